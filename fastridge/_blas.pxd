# Fused float/double wrappers over scipy.linalg.cython_blas.
# Inputs are const pointers and by-value ints; the casts to SciPy's non-const signatures live in
# _blas.pyx.  Every wrapper is noexcept nogil, so kernels can call them inside `with nogil:`.
from cython cimport floating

include "_blas_int.pxi"

cdef enum BlasTrans:
    NoTrans = 110   # ord('n')
    Trans = 116     # ord('t')

cdef enum BlasUplo:
    Upper = 117     # ord('u')
    Lower = 108     # ord('l')

cdef floating _dot(blas_int n, const floating *x, blas_int incx,
                   const floating *y, blas_int incy) noexcept nogil
cdef void _axpy(blas_int n, floating alpha, const floating *x, blas_int incx,
                floating *y, blas_int incy) noexcept nogil
cdef floating _nrm2(blas_int n, const floating *x, blas_int incx) noexcept nogil
cdef void _scal(blas_int n, floating alpha, floating *x, blas_int incx) noexcept nogil
cdef void _copy(blas_int n, const floating *x, blas_int incx, floating *y,
                blas_int incy) noexcept nogil
cdef void _gemv(BlasTrans ta, blas_int m, blas_int n, floating alpha, const floating *A,
                blas_int lda, const floating *x, blas_int incx, floating beta,
                floating *y, blas_int incy) noexcept nogil
cdef void _syrk(BlasUplo uplo, BlasTrans trans, blas_int n, blas_int k, floating alpha,
                const floating *A, blas_int lda, floating beta, floating *C,
                blas_int ldc) noexcept nogil
cdef void _symv(BlasUplo uplo, blas_int n, floating alpha, const floating *A, blas_int lda,
                const floating *x, blas_int incx, floating beta, floating *y,
                blas_int incy) noexcept nogil
cdef void _gemm(BlasTrans ta, BlasTrans tb, blas_int m, blas_int n, blas_int k,
                floating alpha, const floating *A, blas_int lda, const floating *B,
                blas_int ldb, floating beta, floating *C, blas_int ldc) noexcept nogil
