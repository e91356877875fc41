# Small pieces shared by the kernel modules (header-only: inline definitions, no module of its own).
from libc.stdint cimport int32_t, int64_t

# scipy.sparse index arrays come as int32 or int64; the kernels take either without a copy
ctypedef fused index_t:
    int32_t
    int64_t


cdef extern from "Python.h":
    int PyErr_CheckSignals()
    void PyErr_Clear()


cdef inline bint _interrupted() noexcept nogil:
    """Whether a signal handler (Ctrl-C) asked to stop: checked between sweeps/iterations, outside
    the hot loops; the pending exception is cleared and re-raised by the caller with the GIL."""
    cdef int rc
    with gil:
        rc = PyErr_CheckSignals()
        if rc != 0:
            PyErr_Clear()
    return rc != 0
