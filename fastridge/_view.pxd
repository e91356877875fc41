# The design matrix as the iterative kernels read it (see _view.pyx).

cpdef enum Layout:
    DENSE_F = 0     # dense X (n × p), F-ordered
    CSR = 1         # scipy CSR: data, indices, indptr (n + 1)
    CSC = 2         # scipy CSC: data, indices, indptr (p + 1)
    DENSE_C = 3     # dense C-ordered X, held as its transpose Xᵀ (F-ordered p × n): no copy


cdef class Design:
    cdef readonly Layout layout
    cdef readonly Py_ssize_t n, p
    cdef readonly bint center, weighted
    cdef readonly object dtype
    cdef readonly object dense, data, indices, indptr
    cdef readonly object sw, sqw, xbar, d
