# cython: language_level=3
"""Fused float32/float64 wrappers over ``scipy.linalg.cython_blas``.

The ``cdef`` functions are what the kernels use.  The ``py_*`` functions are thin Python-visible hooks
so that the test-suite can check every wrapper against numpy; they are not public API.
"""
from scipy.linalg.cython_blas cimport (
    sdot, ddot, saxpy, daxpy, snrm2, dnrm2, sscal, dscal, scopy, dcopy,
    sgemv, dgemv, ssyrk, dsyrk, ssymv, dsymv, sgemm, dgemm,
)
from cython cimport floating


cdef floating _dot(blas_int n, const floating *x, blas_int incx,
                   const floating *y, blas_int incy) noexcept nogil:
    if floating is float:
        return sdot(&n, <float *> x, &incx, <float *> y, &incy)
    else:
        return ddot(&n, <double *> x, &incx, <double *> y, &incy)


cdef void _axpy(blas_int n, floating alpha, const floating *x, blas_int incx,
                floating *y, blas_int incy) noexcept nogil:
    if floating is float:
        saxpy(&n, &alpha, <float *> x, &incx, y, &incy)
    else:
        daxpy(&n, &alpha, <double *> x, &incx, y, &incy)


cdef floating _nrm2(blas_int n, const floating *x, blas_int incx) noexcept nogil:
    if floating is float:
        return snrm2(&n, <float *> x, &incx)
    else:
        return dnrm2(&n, <double *> x, &incx)


cdef void _scal(blas_int n, floating alpha, floating *x, blas_int incx) noexcept nogil:
    if floating is float:
        sscal(&n, &alpha, x, &incx)
    else:
        dscal(&n, &alpha, x, &incx)


cdef void _copy(blas_int n, const floating *x, blas_int incx, floating *y,
                blas_int incy) noexcept nogil:
    if floating is float:
        scopy(&n, <float *> x, &incx, y, &incy)
    else:
        dcopy(&n, <double *> x, &incx, y, &incy)


cdef void _gemv(BlasTrans ta, blas_int m, blas_int n, floating alpha, const floating *A,
                blas_int lda, const floating *x, blas_int incx, floating beta,
                floating *y, blas_int incy) noexcept nogil:
    cdef char t = ta
    if floating is float:
        sgemv(&t, &m, &n, &alpha, <float *> A, &lda, <float *> x, &incx, &beta, y, &incy)
    else:
        dgemv(&t, &m, &n, &alpha, <double *> A, &lda, <double *> x, &incx, &beta, y, &incy)


cdef void _syrk(BlasUplo uplo, BlasTrans trans, blas_int n, blas_int k, floating alpha,
                const floating *A, blas_int lda, floating beta, floating *C,
                blas_int ldc) noexcept nogil:
    cdef char u = uplo, t = trans
    if floating is float:
        ssyrk(&u, &t, &n, &k, &alpha, <float *> A, &lda, &beta, C, &ldc)
    else:
        dsyrk(&u, &t, &n, &k, &alpha, <double *> A, &lda, &beta, C, &ldc)


cdef void _symv(BlasUplo uplo, blas_int n, floating alpha, const floating *A, blas_int lda,
                const floating *x, blas_int incx, floating beta, floating *y,
                blas_int incy) noexcept nogil:
    cdef char u = uplo
    if floating is float:
        ssymv(&u, &n, &alpha, <float *> A, &lda, <float *> x, &incx, &beta, y, &incy)
    else:
        dsymv(&u, &n, &alpha, <double *> A, &lda, <double *> x, &incx, &beta, y, &incy)


cdef void _gemm(BlasTrans ta, BlasTrans tb, blas_int m, blas_int n, blas_int k,
                floating alpha, const floating *A, blas_int lda, const floating *B,
                blas_int ldb, floating beta, floating *C, blas_int ldc) noexcept nogil:
    cdef char a = ta, b = tb
    if floating is float:
        sgemm(&a, &b, &m, &n, &k, &alpha, <float *> A, &lda, <float *> B, &ldb, &beta, C, &ldc)
    else:
        dgemm(&a, &b, &m, &n, &k, &alpha, <double *> A, &lda, <double *> B, &ldb, &beta, C, &ldc)


# ---------------------------------------------------------------- test hooks (not public API)

def py_dot(const floating[::1] x, const floating[::1] y):
    return _dot(<blas_int> x.shape[0], &x[0], 1, &y[0], 1)


def py_axpy(double alpha, const floating[::1] x, floating[::1] y):
    _axpy(<blas_int> x.shape[0], <floating> alpha, &x[0], 1, &y[0], 1)


def py_nrm2(const floating[::1] x):
    return _nrm2(<blas_int> x.shape[0], &x[0], 1)


def py_scal(double alpha, floating[::1] x):
    _scal(<blas_int> x.shape[0], <floating> alpha, &x[0], 1)


def py_copy(const floating[::1] x, floating[::1] y):
    _copy(<blas_int> x.shape[0], &x[0], 1, &y[0], 1)


def py_gemv(bint trans, double alpha, const floating[::1, :] A, const floating[::1] x,
            double beta, floating[::1] y):
    """y = alpha * op(A) @ x + beta * y with A F-ordered."""
    _gemv(Trans if trans else NoTrans, <blas_int> A.shape[0], <blas_int> A.shape[1], <floating> alpha,
          &A[0, 0], <blas_int> A.shape[0], &x[0], 1, <floating> beta, &y[0], 1)


def py_syrk(bint trans, double alpha, const floating[::1, :] A, double beta,
            floating[::1, :] C):
    """Upper triangle of C = alpha * A @ A.T + beta * C (trans: A.T @ A)."""
    cdef blas_int n = C.shape[0]
    cdef blas_int k = A.shape[0] if trans else A.shape[1]
    _syrk(Upper, Trans if trans else NoTrans, n, k, <floating> alpha, &A[0, 0],
          <blas_int> A.shape[0], <floating> beta, &C[0, 0], n)


def py_symv(double alpha, const floating[::1, :] A, const floating[::1] x, double beta,
            floating[::1] y):
    """y = alpha * A @ x + beta * y reading only A's upper triangle."""
    _symv(Upper, <blas_int> A.shape[0], <floating> alpha, &A[0, 0], <blas_int> A.shape[0],
          &x[0], 1, <floating> beta, &y[0], 1)


def py_gemm(bint transa, bint transb, double alpha, const floating[::1, :] A,
            const floating[::1, :] B, double beta, floating[::1, :] C):
    """C = alpha * op(A) @ op(B) + beta * C, all F-ordered."""
    cdef blas_int m = C.shape[0], n = C.shape[1]
    cdef blas_int k = A.shape[0] if transa else A.shape[1]
    _gemm(Trans if transa else NoTrans, Trans if transb else NoTrans, m, n, k, <floating> alpha,
          &A[0, 0], <blas_int> A.shape[0], &B[0, 0], <blas_int> B.shape[0], <floating> beta,
          &C[0, 0], <blas_int> C.shape[0])
