# When a kernel stops early, and what it raises then (see _interrupt.pyx).
cdef bint stop_requested() noexcept nogil
cdef int raise_stopped() except -1
