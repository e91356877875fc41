# cython: language_level=3
"""Column statistics and Gram/kernel accumulation with centring and scaling done on the fly.

No centred copy of X is ever made: row (or column) blocks are centred, weighted and scaled into a
small buffer and accumulated by BLAS `syrk`/`gemm`.  That keeps the accuracy of an explicitly
centred Gram (the shortcut XᵀX − n·x̄x̄ᵀ loses digits when column means are large against their
spread) at the memory cost of one block.

Conventions shared with the solvers: the fit sees Z = W^{1/2} (X − 1 x̄ᵀ) diag(e), where x̄ is the
weighted column mean (zeros without an intercept), W the sample weights and e a per-column factor
(the standardization scale, times 1/sqrt(v) for the kernel form).
"""
import numpy as np
from cython cimport floating
from libc.math cimport sqrt


from fastridge._blas cimport blas_int, _syrk, _gemm, Upper, Trans, NoTrans
from fastridge._kernel_utils cimport index_t



cdef inline double _col_sum(const floating *x, Py_ssize_t n, const floating *w, bint weighted,
                            double shift) noexcept nogil:
    """Σ wᵢ (xᵢ − shift) over a contiguous column, four independent accumulators (the additions
    of one accumulator form a dependency chain the compiler may not reorder)."""
    cdef double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
    cdef Py_ssize_t i, n4 = n - n % 4
    if weighted:
        for i in range(0, n4, 4):
            a0 += w[i] * (x[i] - shift)
            a1 += w[i + 1] * (x[i + 1] - shift)
            a2 += w[i + 2] * (x[i + 2] - shift)
            a3 += w[i + 3] * (x[i + 3] - shift)
        for i in range(n4, n):
            a0 += w[i] * (x[i] - shift)
    else:
        for i in range(0, n4, 4):
            a0 += x[i] - shift
            a1 += x[i + 1] - shift
            a2 += x[i + 2] - shift
            a3 += x[i + 3] - shift
        for i in range(n4, n):
            a0 += x[i] - shift
    return (a0 + a1) + (a2 + a3)


cdef inline double _col_sumsq(const floating *x, Py_ssize_t n, const floating *w, bint weighted,
                              double shift, double *dsum) noexcept nogil:
    """Σ wᵢ (xᵢ − shift)² over a contiguous column, four independent accumulators; `dsum`
    receives Σ wᵢ (xᵢ − shift), the correction term of the corrected two-pass algorithm."""
    cdef double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, d0, d1, d2, d3
    cdef double b0 = 0.0, b1 = 0.0, b2 = 0.0, b3 = 0.0
    cdef Py_ssize_t i, n4 = n - n % 4
    for i in range(0, n4, 4):
        d0 = x[i] - shift
        d1 = x[i + 1] - shift
        d2 = x[i + 2] - shift
        d3 = x[i + 3] - shift
        if weighted:
            d0 = w[i] * d0
            d1 = w[i + 1] * d1
            d2 = w[i + 2] * d2
            d3 = w[i + 3] * d3
            a0 += d0 * (x[i] - shift)
            a1 += d1 * (x[i + 1] - shift)
            a2 += d2 * (x[i + 2] - shift)
            a3 += d3 * (x[i + 3] - shift)
        else:
            a0 += d0 * d0
            a1 += d1 * d1
            a2 += d2 * d2
            a3 += d3 * d3
        b0 += d0
        b1 += d1
        b2 += d2
        b3 += d3
    for i in range(n4, n):
        d0 = x[i] - shift
        a0 += (w[i] * d0 * d0) if weighted else d0 * d0
        b0 += (w[i] * d0) if weighted else d0
    dsum[0] = (b0 + b1) + (b2 + b3)
    return (a0 + a1) + (a2 + a3)


cdef inline bint _rows_contiguous(const floating[:, :] X) noexcept nogil:
    return X.strides[1] == sizeof(floating) and X.strides[0] != sizeof(floating)


cdef void _first_rows_shift(const floating[:, :] A, const double *w, Py_ssize_t m0,
                            double *shift) noexcept nogil:
    """shift[j] = the weighted mean of A's first `m0` rows (w: the n row weights, NULL for
    unit weights), taken as the first weighted row's value plus the weighted mean deviation
    from it: the mean up to rounding, and exactly the value of a constant column (whose shifted
    values must then come out exactly 0).  Rows of weight 0 may hold anything (an unweighted
    mean of 1e9-valued ignored rows would cancel every digit of a shifted sum); when the first
    rows all weigh 0 the shift is the first weighted row."""
    cdef Py_ssize_t n = A.shape[0], p = A.shape[1], i, j, first = 0
    cdef double wsum = 0.0, acc, a0
    if w != NULL:
        for i in range(m0):
            wsum += w[i]
        while first < n - 1 and w[first] == 0.0:
            first += 1
    else:
        wsum = <double> m0
    for j in range(p):
        a0 = A[first, j]
        acc = 0.0
        for i in range(m0):
            acc += (w[i] if w != NULL else 1.0) * (A[i, j] - a0)
        shift[j] = a0 + (acc / wsum if wsum > 0.0 else 0.0)


cdef void _row_moments(const floating *X, Py_ssize_t n, Py_ssize_t p, Py_ssize_t ld,
                       const floating *w, bint weighted, const double *shift,
                       double *s1, double *s2) noexcept nogil:
    """s1 += Σᵢ wᵢ (xᵢ − shift), s2 += Σᵢ wᵢ (xᵢ − shift)² over the rows of C-ordered X (row i
    at X + i·ld), two rows per sweep so that each accumulator is loaded and stored half as often;
    the loops over j are independent and vectorize."""
    cdef Py_ssize_t i, j, n2 = n - n % 2
    cdef const floating *r0
    cdef const floating *r1
    cdef double d0, d1, w0 = 1.0, w1 = 1.0
    for i in range(0, n2, 2):
        r0 = X + i * ld
        r1 = r0 + ld
        if weighted:
            w0 = w[i]
            w1 = w[i + 1]
            for j in range(p):
                d0 = r0[j] - shift[j]
                d1 = r1[j] - shift[j]
                s1[j] += w0 * d0 + w1 * d1
                s2[j] += w0 * d0 * d0 + w1 * d1 * d1
        else:
            for j in range(p):
                d0 = r0[j] - shift[j]
                d1 = r1[j] - shift[j]
                s1[j] += d0 + d1
                s2[j] += d0 * d0 + d1 * d1
    if n2 < n:
        r0 = X + n2 * ld
        w0 = w[n2] if weighted else 1.0
        for j in range(p):
            d0 = r0[j] - shift[j]
            s1[j] += w0 * d0
            s2[j] += w0 * d0 * d0


def column_stats_dense(const floating[:, :] X, const floating[::1] sw, bint center,
                       double[::1] mean, double[::1] ss):
    """Weighted column means (when `center`) and sums of squares Σ w (x − mean)², in double.

    X may be C- or F-ordered or strided; `sw` is empty for unit weights; no copy.  Contiguous
    columns: two passes per column, the second from cache (the exact mean, then the squares).
    Contiguous rows: one pass of vectorized row updates of Σ w (x − s) and Σ w (x − s)², with s
    the weighted mean of the first rows, then mean = s + δ and ss = Σ w (x − s)² − W δ² (δ is
    small against the spread when the first rows are representative, so nothing cancels).
    Other strides: two passes.
    """
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], i, j
    cdef bint weighted = sw.shape[0] > 0
    cdef double W = 0.0, acc, dv, wi, delta
    cdef Py_ssize_t isz = sizeof(floating)
    cdef bint f_contig = X.strides[0] == isz
    cdef bint c_contig = _rows_contiguous(X)
    cdef bint by_column = X.strides[0] <= X.strides[1]
    cdef const floating *src
    cdef const floating *wp = &sw[0] if weighted else NULL
    cdef double[::1] s1 = np.zeros(p if not (f_contig or by_column) else 0)
    cdef const double[::1] w64 = np.asarray(sw, dtype=np.float64) if weighted and c_contig \
        else np.empty(1)
    with nogil:
        if weighted:
            for i in range(n):
                W += sw[i]
        else:
            W = <double> n
        if f_contig:
            # the corrected two-pass algorithm (Chan, Golub & LeVeque): the second pass's sum
            # of deviations removes the effect of the mean's rounding, which otherwise shows
            # when the mean is many times the spread
            for j in range(p):
                src = &X[0, j]
                mean[j] = (_col_sum(src, n, wp, weighted, 0.0) / W) if center else 0.0
                ss[j] = _col_sumsq(src, n, wp, weighted, mean[j], &acc)
                if center:
                    delta = acc / W
                    mean[j] += delta
                    ss[j] = max(ss[j] - acc * delta, 0.0)
        elif c_contig:
            if center:  # the shift: the weighted mean of the first rows
                _first_rows_shift(X, &w64[0] if weighted else NULL, min(n, 256), &mean[0])
            else:
                for j in range(p):
                    mean[j] = 0.0
            for j in range(p):
                ss[j] = 0.0
            _row_moments(&X[0, 0], n, p, <Py_ssize_t> (X.strides[0] // isz), wp, weighted,
                         &mean[0], &s1[0], &ss[0])
            if center:
                for j in range(p):
                    delta = s1[j] / W
                    mean[j] += delta
                    ss[j] -= W * delta * delta
                    if ss[j] < 0.0:
                        ss[j] = 0.0
        elif by_column:
            for j in range(p):
                acc = 0.0
                if center:
                    for i in range(n):
                        acc += (sw[i] if weighted else 1.0) * X[i, j]
                    mean[j] = acc / W
                else:
                    mean[j] = 0.0
                acc = 0.0
                delta = 0.0
                for i in range(n):
                    wi = sw[i] if weighted else 1.0
                    dv = X[i, j] - mean[j]
                    acc += wi * dv * dv
                    delta += wi * dv
                ss[j] = acc
                if center:  # corrected two-pass, as above
                    mean[j] += delta / W
                    ss[j] = max(acc - delta * delta / W, 0.0)
        else:
            for j in range(p):
                mean[j] = 0.0
                ss[j] = 0.0
                s1[j] = 0.0
            if center:
                for i in range(n):
                    wi = sw[i] if weighted else 1.0
                    for j in range(p):
                        mean[j] += wi * X[i, j]
                for j in range(p):
                    mean[j] /= W
            for i in range(n):
                wi = sw[i] if weighted else 1.0
                for j in range(p):
                    dv = X[i, j] - mean[j]
                    ss[j] += wi * dv * dv
                    s1[j] += wi * dv
            if center:
                for j in range(p):
                    delta = s1[j] / W
                    mean[j] += delta
                    ss[j] = max(ss[j] - s1[j] * delta, 0.0)
    return W


def column_stats_sparse(const floating[::1] data, const index_t[::1] indices,
                        const index_t[::1] indptr, Py_ssize_t n_rows, bint csc,
                        const floating[::1] sw, bint center, double[::1] mean, double[::1] ss,
                        double[::1] wcount):
    """The same statistics for CSC (`csc`) or CSR X in canonical format (no duplicates).

    One pass gives Σwx, Σwx² and Σw per column; Σw(x − m)² = Σwx² − W m² is kept when that
    subtraction loses at most one bit (W m² ≤ Σwx²/2).  Otherwise a second, exact pass:
    Σ over stored entries of w (x − m)² + m² · (W − Σ stored w), no cancellation, corrected
    as in the two-pass algorithm of Chan, Golub & LeVeque (the same pass sums the deviations
    w (x − m), which removes the rounding of m: with a mean far beyond the spread it would
    otherwise stay in every centred value).  `wcount` is workspace of length p.
    """
    cdef Py_ssize_t p = mean.shape[0], nmajor = indptr.shape[0] - 1, a, k, i, j
    cdef bint weighted = sw.shape[0] > 0
    cdef double W = 0.0, wi, dv, x, delta
    cdef bint exact_pass = False
    cdef double[::1] dsum = np.zeros(p)
    with nogil:
        if weighted:
            for i in range(n_rows):
                W += sw[i]
        else:
            W = <double> n_rows
        for j in range(p):
            mean[j] = 0.0
            ss[j] = 0.0
            wcount[j] = 0.0
        # one pass: Σ w x, Σ w x², Σ w over the stored entries
        for a in range(nmajor):
            for k in range(indptr[a], indptr[a + 1]):
                if csc:
                    i = indices[k]
                    j = a
                else:
                    i = a
                    j = indices[k]
                wi = sw[i] if weighted else 1.0
                x = data[k]
                mean[j] += wi * x
                ss[j] += wi * x * x
                wcount[j] += wi
        for j in range(p):
            mean[j] = mean[j] / W if center else 0.0
            # Σw(x − m)² = Σwx² − W m² loses digits only when W m² is comparable to Σwx²
            # (a mean large against the spread, rare in sparse data): then an exact second pass
            if center and 2.0 * W * mean[j] * mean[j] > ss[j]:
                exact_pass = True
            ss[j] = ss[j] - W * mean[j] * mean[j]
        for j in range(p):
            if exact_pass:
                ss[j] = 0.0
            elif ss[j] < 0.0:
                ss[j] = 0.0
        for a in range(nmajor if exact_pass else 0):
            for k in range(indptr[a], indptr[a + 1]):
                if csc:
                    i = indices[k]
                    j = a
                else:
                    i = a
                    j = indices[k]
                wi = sw[i] if weighted else 1.0
                dv = data[k] - mean[j]
                ss[j] += wi * dv * dv
                dsum[j] += wi * dv
        for j in range(p if exact_pass else 0):
            ss[j] += mean[j] * mean[j] * (W - wcount[j])
            if center and W > 0.0:
                dsum[j] -= mean[j] * (W - wcount[j])
                delta = dsum[j] / W
                mean[j] += delta
                ss[j] = max(ss[j] - dsum[j] * delta, 0.0)
    return W


cdef inline void _fill_row_block(const floating[:, :] X, const double[::1] xbar,
                                 const double[::1] e, const double[::1] sqw, bint weighted,
                                 Py_ssize_t i0, Py_ssize_t m, floating[::1, :] B) noexcept nogil:
    """B[:m] = W^{1/2} (X[i0:i0+m] − x̄) diag(e), looping in X's memory order."""
    cdef Py_ssize_t p = X.shape[1], i, j
    cdef double ej, mj
    if X.strides[0] <= X.strides[1]:
        for j in range(p):
            ej = e[j]
            mj = xbar[j]
            if weighted:
                for i in range(m):
                    B[i, j] = <floating> (sqw[i0 + i] * (X[i0 + i, j] - mj) * ej)
            else:
                for i in range(m):
                    B[i, j] = <floating> ((X[i0 + i, j] - mj) * ej)
    else:
        for i in range(m):
            for j in range(p):
                B[i, j] = <floating> ((X[i0 + i, j] - xbar[j]) * e[j])
            if weighted:
                for j in range(p):
                    B[i, j] = <floating> (B[i, j] * sqw[i0 + i])


def gram_dense(const floating[:, :] X, const double[::1] xbar, const double[::1] e,
               const double[::1] sqw, const floating[::1, :] Y, floating[::1, :] G,
               floating[::1, :] C, Py_ssize_t block_rows):
    """G = ZᵀZ (full symmetric) and C = Zᵀ W^{1/2} Y, with Z = W^{1/2}(X − 1x̄ᵀ)diag(e).

    Y (n, k) holds the (centred) targets; `sqw` is the square root of the weights or empty.
    Accumulates over row blocks of `block_rows` rows with `syrk` (half the flops of `gemm`).
    """
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], k = Y.shape[1]
    cdef bint weighted = sqw.shape[0] > 0
    dtype = np.float32 if floating is float else np.float64
    block_rows = max(1, min(block_rows, n))
    cdef floating[::1, :] B = np.empty((block_rows, p), dtype=dtype, order="F")
    cdef floating[::1, :] Yb = np.empty((block_rows, max(k, 1)), dtype=dtype, order="F")
    cdef Py_ssize_t i0, m, i, t, j
    cdef floating zero = 0.0, one = 1.0, beta
    with nogil:
        i0 = 0
        while i0 < n:
            m = min(block_rows, n - i0)
            _fill_row_block(X, xbar, e, sqw, weighted, i0, m, B)
            beta = zero if i0 == 0 else one
            _syrk(Upper, Trans, <blas_int> p, <blas_int> m, one, &B[0, 0],
                  <blas_int> block_rows, beta, &G[0, 0], <blas_int> p)
            if k > 0:
                for t in range(k):
                    for i in range(m):
                        Yb[i, t] = Y[i0 + i, t] * <floating> sqw[i0 + i] if weighted \
                            else Y[i0 + i, t]
                _gemm(Trans, NoTrans, <blas_int> p, <blas_int> k, <blas_int> m, one,
                      &B[0, 0], <blas_int> block_rows, &Yb[0, 0], <blas_int> block_rows, beta,
                      &C[0, 0], <blas_int> p)
            i0 += m
        for j in range(p):
            for i in range(j + 1, p):
                G[i, j] = G[j, i]


cdef inline void _fill_col_block(const floating[:, :] X, const double[::1] xbar,
                                 const double[::1] e, const double[::1] sqw, bint weighted,
                                 Py_ssize_t j0, Py_ssize_t m, floating[::1, :] B) noexcept nogil:
    """The column block W^{1/2} (X[:, j0:j0+m] − x̄) diag(e), stored so that the copy runs in X's
    memory order: as B[:, :m] (n × m) for column-ordered X, and transposed, as the first m·n
    entries of B read as an m × n F-ordered matrix (row i of the block contiguous), for
    row-ordered X."""
    cdef Py_ssize_t n = X.shape[0], i, j
    cdef double wi
    cdef floating *dst
    cdef const floating *src
    if _rows_contiguous(X):
        for i in range(n):
            wi = sqw[i] if weighted else 1.0
            src = &X[i, j0]
            dst = &B[0, 0] + i * m
            for j in range(m):
                dst[j] = <floating> ((src[j] - xbar[j0 + j]) * (e[j0 + j] * wi))
    else:
        for j in range(m):
            for i in range(n):
                B[i, j] = <floating> ((X[i, j0 + j] - xbar[j0 + j]) * e[j0 + j]
                                      * (sqw[i] if weighted else 1.0))


def kernel_dense(const floating[:, :] X, const double[::1] xbar, const double[::1] e,
                 const double[::1] sqw, floating[::1, :] K, Py_ssize_t block_cols):
    """K = ZZᵀ (n × n, full symmetric), accumulated over column blocks with `syrk`."""
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1]
    cdef bint weighted = sqw.shape[0] > 0
    dtype = np.float32 if floating is float else np.float64
    block_cols = max(1, min(block_cols, p))
    cdef floating[::1, :] B = np.empty((n, block_cols), dtype=dtype, order="F")
    cdef Py_ssize_t j0, m, i, j
    cdef floating zero = 0.0, one = 1.0
    cdef bint rows = _rows_contiguous(X)
    with nogil:
        j0 = 0
        while j0 < p:
            m = min(block_cols, p - j0)
            _fill_col_block(X, xbar, e, sqw, weighted, j0, m, B)
            if rows:  # B holds the block transposed (m × n)
                _syrk(Upper, Trans, <blas_int> n, <blas_int> m, one, &B[0, 0], <blas_int> m,
                      zero if j0 == 0 else one, &K[0, 0], <blas_int> n)
            else:
                _syrk(Upper, NoTrans, <blas_int> n, <blas_int> m, one, &B[0, 0], <blas_int> n,
                      zero if j0 == 0 else one, &K[0, 0], <blas_int> n)
            j0 += m
        for j in range(n):
            for i in range(j + 1, n):
                K[i, j] = K[j, i]


def kernel_dense_raw(const floating[:, :] X, floating[::1, :] K):
    """K = XXᵀ (n × n, full symmetric) by one `syrk` on X as it is, C- or F-contiguous: no
    centred copy of any block (the caller centres K afterwards, in O(n²))."""
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], i, j
    cdef floating zero = 0.0, one = 1.0
    cdef bint rows = _rows_contiguous(X)
    if not rows and X.strides[0] != sizeof(floating):
        raise ValueError("X must be C- or F-contiguous")
    if n == 0 or p == 0:
        K[:, :] = 0
        return
    with nogil:
        if rows:  # X's memory is Xᵀ in column-major order (p × n, leading dimension p)
            _syrk(Upper, Trans, <blas_int> n, <blas_int> p, one, &X[0, 0],
                  <blas_int> (X.strides[0] // sizeof(floating)), zero, &K[0, 0], <blas_int> n)
        else:
            _syrk(Upper, NoTrans, <blas_int> n, <blas_int> p, one, &X[0, 0],
                  <blas_int> (X.strides[1] // sizeof(floating)), zero, &K[0, 0], <blas_int> n)
        for j in range(n):
            for i in range(j + 1, n):
                K[i, j] = K[j, i]


def zt_dense(const floating[:, :] X, const double[::1] xbar, const double[::1] e,
             const double[::1] sqw, const floating[::1, :] A, floating[::1, :] out,
             Py_ssize_t block_cols):
    """out = Zᵀ A (p × k) for A (n × k), centring column blocks on the fly."""
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], k = A.shape[1]
    cdef bint weighted = sqw.shape[0] > 0
    dtype = np.float32 if floating is float else np.float64
    block_cols = max(1, min(block_cols, p))
    cdef floating[::1, :] B = np.empty((n, block_cols), dtype=dtype, order="F")
    cdef Py_ssize_t j0, m
    cdef floating zero = 0.0, one = 1.0
    cdef bint rows = _rows_contiguous(X)
    with nogil:
        j0 = 0
        while j0 < p:
            m = min(block_cols, p - j0)
            _fill_col_block(X, xbar, e, sqw, weighted, j0, m, B)
            if rows:
                _gemm(NoTrans, NoTrans, <blas_int> m, <blas_int> k, <blas_int> n, one,
                      &B[0, 0], <blas_int> m, &A[0, 0], <blas_int> n, zero, &out[j0, 0],
                      <blas_int> p)
            else:
                _gemm(Trans, NoTrans, <blas_int> m, <blas_int> k, <blas_int> n, one,
                      &B[0, 0], <blas_int> n, &A[0, 0], <blas_int> n, zero, &out[j0, 0],
                      <blas_int> p)
            j0 += m


cdef void _shift_columns(const floating *X, Py_ssize_t ldx, Py_ssize_t m, Py_ssize_t p,
                         const double *shift, const double *sqw, floating *B,
                         Py_ssize_t ldb) noexcept nogil:
    """B[:, j] = √w ∘ (X[:, j] − shiftⱼ) for the m rows of column-major X (column j at
    X + j·ldx; sqw NULL for unit weights), four columns per sweep: four read streams in flight
    at once keep more of the memory bandwidth busy than one column after another (measured on
    the tall 200,000 × 200 fit: the copy takes 15 % less)."""
    cdef Py_ssize_t i, j, p4 = p - p % 4
    cdef const floating *x0
    cdef const floating *x1
    cdef const floating *x2
    cdef const floating *x3
    cdef floating *b0
    cdef floating *b1
    cdef floating *b2
    cdef floating *b3
    cdef double s0, s1, s2, s3, wi
    for j in range(0, p4, 4):
        x0 = X + j * ldx
        x1 = x0 + ldx
        x2 = x1 + ldx
        x3 = x2 + ldx
        b0 = B + j * ldb
        b1 = b0 + ldb
        b2 = b1 + ldb
        b3 = b2 + ldb
        s0, s1, s2, s3 = shift[j], shift[j + 1], shift[j + 2], shift[j + 3]
        if sqw == NULL:
            for i in range(m):
                b0[i] = <floating> (x0[i] - s0)
                b1[i] = <floating> (x1[i] - s1)
                b2[i] = <floating> (x2[i] - s2)
                b3[i] = <floating> (x3[i] - s3)
        else:
            for i in range(m):
                wi = sqw[i]
                b0[i] = <floating> (wi * (x0[i] - s0))
                b1[i] = <floating> (wi * (x1[i] - s1))
                b2[i] = <floating> (wi * (x2[i] - s2))
                b3[i] = <floating> (wi * (x3[i] - s3))
    for j in range(p4, p):
        x0 = X + j * ldx
        b0 = B + j * ldb
        s0 = shift[j]
        for i in range(m):
            b0[i] = <floating> ((1.0 if sqw == NULL else sqw[i]) * (x0[i] - s0))


def gram_dense_shifted(const floating[:, :] X, const floating[:, :] Y, const double[::1] sqw,
                       bint center, double[::1] shift, double[::1] yshift, floating[::1, :] G,
                       floating[::1, :] C, double[::1] colsum, double[::1] ysum,
                       Py_ssize_t block_rows, double[::1] ysq=None):
    """One pass over X: G = Σ wᵢ (xᵢ − s)(xᵢ − s)ᵀ, C = Σ wᵢ (xᵢ − s)(yᵢ − t)ᵀ and the sums
    Σ wᵢ (xᵢ − s), Σ wᵢ (yᵢ − t), with the shifts s, t = the weighted means of the first block
    (exact for constant columns and targets; zeros without `center`).

    The caller centres exactly afterwards: with δ = Σ w (x − s) / W, the centred Gram is
    G − W δδᵀ.  Because s is already close to the mean, δ is small against the columns' spread
    and that correction loses no digits — unlike XᵀX − W x̄x̄ᵀ, which cancels catastrophically
    when the means are large.  Column means, the centred sums of squares (diag) and the Gram
    thus come from a single read of X.  Y may have any strides.  `ysq`, when given, receives
    Σ wᵢ (yᵢ − t)² per target (in double).  Returns W = Σ w.

    In float64 with few targets (k + 1 ≤ max(4, p/16)) each block carries its √wᵢ and
    √wᵢ (yᵢ − t) as k + 1 more columns, so that one `syrk` of the widened block gives the Gram,
    the column sums and XᵀY at once (the cached block is read once, not again by a `gemm`, for
    (k + 1)/p more arithmetic).  Otherwise (float32, or many targets) a `gemm` per block forms
    the column sums and XᵀY.  The targets' sums and squares are always summed in double.
    """
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], k = Y.shape[1]
    cdef bint weighted = sqw.shape[0] > 0
    dtype = np.float32 if floating is float else np.float64
    block_rows = max(1, min(block_rows, n))
    cdef Py_ssize_t isz = sizeof(floating)
    cdef bint c_order = X.strides[1] == isz and X.strides[0] == p * isz
    cdef bint f_order = X.strides[0] == isz
    # the widened block (see the docstring): columns p..q−1 hold √w and √w (y − t)
    cdef bint wide = floating is double and k + 1 <= max(4, p // 16)
    cdef Py_ssize_t q = p + k + 1 if wide else p
    cdef floating[::1, :] B = np.empty((1 if c_order else block_rows, 1 if c_order else q),
                                       dtype=dtype, order="F")
    cdef floating[::1, :] BT = np.empty((q if c_order else 1, block_rows if c_order else 1),
                                        dtype=dtype, order="F")
    cdef floating[::1, :] Ga = np.empty((q, q), dtype=dtype, order="F") if wide else G
    # the block's right-hand sides: column 0 holds √wᵢ, so that the same product that forms
    # C = Bᵀ(W^{1/2}(Y − t)) also gives the column sums Σ wᵢ (xᵢ − s) — the copy loops below then
    # carry no running sum (which would serialize them).  Widened, they are B's last k + 1
    # columns (Bᵀ's last rows, copied there, for C-ordered X) and the syrk is that product.
    cdef floating[::1, :] Yb = B[:, p:] if wide and not c_order else \
        np.empty((block_rows, k + 1), dtype=dtype, order="F")
    cdef floating[::1, :] Ca = np.empty((1 if wide else p, k + 1), dtype=dtype, order="F")
    cdef Py_ssize_t i0, m, i, t, j
    cdef double W = 0.0, wi, acc, sj
    cdef floating zero = 0.0, one = 1.0, beta
    cdef const floating *src
    cdef floating *dst
    cdef bint y_rows = Y.strides[1] == isz and Y.strides[0] != isz
    cdef bint want_ysq = ysq is not None
    cdef double[::1] yacc = np.zeros(k)
    cdef double[::1] yacc2 = np.zeros(k)
    cdef double[::1] bacc = np.zeros(k)
    cdef double[::1] bacc2 = np.zeros(k)
    cdef const double[::1] w = np.square(sqw) if weighted else np.empty(1)
    with nogil:
        # the shifts: the weighted means of the first block (see _first_rows_shift)
        if center:
            _first_rows_shift(X, &w[0] if weighted else NULL, min(block_rows, n), &shift[0])
            _first_rows_shift(Y, &w[0] if weighted else NULL, min(block_rows, n), &yshift[0])
        else:
            for j in range(p):
                shift[j] = 0.0
            for t in range(k):
                yshift[t] = 0.0
        i0 = 0
        while i0 < n:
            m = min(block_rows, n - i0)
            beta = zero if i0 == 0 else one
            if c_order:
                # rows of C-ordered X are contiguous: fill Bᵀ (q × m, F-ordered) row by row
                for i in range(m):
                    wi = sqw[i0 + i] if weighted else 1.0
                    src = &X[i0 + i, 0]
                    dst = &BT[0, i]
                    for j in range(p):
                        dst[j] = <floating> (wi * (src[j] - shift[j]))
            elif f_order:
                _shift_columns(&X[i0, 0], X.strides[1] // isz, m, p, &shift[0],
                               &sqw[i0] if weighted else NULL, &B[0, 0], block_rows)
            else:
                for j in range(p):
                    sj = shift[j]
                    dst = &B[0, j]
                    for i in range(m):
                        wi = sqw[i0 + i] if weighted else 1.0
                        dst[i] = <floating> (wi * (X[i0 + i, j] - sj))
            for i in range(m):
                wi = sqw[i0 + i] if weighted else 1.0
                W += wi * wi
                Yb[i, 0] = <floating> wi
            if y_rows:  # row-ordered Y: read it row by row, summing per block as below
                for t in range(k):
                    bacc[t] = 0.0
                    bacc2[t] = 0.0
                for i in range(m):
                    wi = sqw[i0 + i] if weighted else 1.0
                    src = &Y[i0 + i, 0]
                    for t in range(k):
                        Yb[i, t + 1] = <floating> (wi * (src[t] - yshift[t]))
                        bacc[t] += wi * Yb[i, t + 1]
                        bacc2[t] += <double> Yb[i, t + 1] * Yb[i, t + 1]
                for t in range(k):
                    yacc[t] += bacc[t]
                    yacc2[t] += bacc2[t]
            else:
                for t in range(k):
                    acc = 0.0
                    sj = 0.0
                    for i in range(m):
                        wi = sqw[i0 + i] if weighted else 1.0
                        Yb[i, t + 1] = <floating> (wi * (Y[i0 + i, t] - yshift[t]))
                        acc += wi * Yb[i, t + 1]
                        sj += <double> Yb[i, t + 1] * Yb[i, t + 1]
                    yacc[t] += acc
                    yacc2[t] += sj
            if c_order:
                if wide:
                    for i in range(m):
                        for t in range(k + 1):
                            BT[p + t, i] = Yb[i, t]
                _syrk(Upper, NoTrans, <blas_int> q, <blas_int> m, one, &BT[0, 0],
                      <blas_int> q, beta, &Ga[0, 0], <blas_int> q)
            else:
                _syrk(Upper, Trans, <blas_int> q, <blas_int> m, one, &B[0, 0],
                      <blas_int> block_rows, beta, &Ga[0, 0], <blas_int> q)
            if not wide:
                if c_order:
                    _gemm(NoTrans, NoTrans, <blas_int> p, <blas_int> (k + 1), <blas_int> m,
                          one, &BT[0, 0], <blas_int> p, &Yb[0, 0], <blas_int> block_rows,
                          beta, &Ca[0, 0], <blas_int> p)
                else:
                    _gemm(Trans, NoTrans, <blas_int> p, <blas_int> (k + 1), <blas_int> m, one,
                          &B[0, 0], <blas_int> block_rows, &Yb[0, 0], <blas_int> block_rows,
                          beta, &Ca[0, 0], <blas_int> p)
            i0 += m
        if wide:  # the widened Gram's last k + 1 columns (upper triangle)
            for j in range(p):
                colsum[j] = Ga[j, p]
                for t in range(k):
                    C[j, t] = Ga[j, p + 1 + t]
                for i in range(j + 1):
                    G[i, j] = Ga[i, j]
        else:
            for j in range(p):
                colsum[j] = Ca[j, 0]
                for t in range(k):
                    C[j, t] = Ca[j, t + 1]
        for t in range(k):
            ysum[t] = yacc[t]
            if want_ysq:
                ysq[t] = yacc2[t]
        for j in range(p):
            for i in range(j + 1, p):
                G[i, j] = G[j, i]
    return W


def loo_combine(floating[:, ::1] A, const floating[:, ::1] r0, const double[:, ::1] c0,
                const double[:, ::1] c1, const double[::1] w, int mode,
                double[:, ::1] mean, double[:, ::1] m2):
    """The leave-one-out residuals of a block of rows, √wᵢ eᵢ = c0ᵢⱼ r0ᵢₜ + c1ᵢⱼ Aᵢ,ⱼₖ₊ₜ for
    each α j and target t (A (nb, m·k), the block's U·(c/(s² + α)); r0 (nb, k); c0, c1 (nb, m)
    from `selection.loo_coefficients`), in one pass over A:

    - mode 0: written over A;
    - mode 1: the weighted mean and sum of squared deviations of eᵢ² over the rows with
      wᵢ > 0, per α and target, into mean and m2 (m, k) (Welford's update, weight wᵢ);
    - mode 2: the same of the mean of eᵢ² over the targets, into mean and m2 (m, 1).

    Returns the rows' total weight (modes 1 and 2; 0 for mode 0)."""
    cdef Py_ssize_t nb = A.shape[0], m = c0.shape[1], k = r0.shape[1], i, j, t
    cdef double W = 0.0, wi, inv_w, f, x, d, s, a0, a1
    if A.shape[1] != m * k or c1.shape[1] != m or c0.shape[0] != nb or c1.shape[0] != nb \
            or r0.shape[0] != nb:
        raise ValueError("inconsistent shapes")
    if mode != 0 and (w.shape[0] != nb or mean.shape[0] != m or m2.shape[0] != m
                      or mean.shape[1] != (k if mode == 1 else 1)
                      or m2.shape[1] != mean.shape[1]):
        raise ValueError("inconsistent shapes")
    with nogil:
        if mode != 0:
            for j in range(m):
                for t in range(mean.shape[1]):
                    mean[j, t] = 0.0
                    m2[j, t] = 0.0
        for i in range(nb):
            if mode == 0:
                for j in range(m):
                    a0 = c0[i, j]
                    a1 = c1[i, j]
                    for t in range(k):
                        A[i, j * k + t] = <floating> (a0 * r0[i, t] + a1 * A[i, j * k + t])
                continue
            wi = w[i]
            if not wi > 0.0:
                continue
            W += wi
            f = wi / W
            inv_w = 1.0 / wi
            for j in range(m):
                a0 = c0[i, j]
                a1 = c1[i, j]
                if mode == 1:
                    for t in range(k):
                        x = a0 * r0[i, t] + a1 * A[i, j * k + t]
                        x = x * x * inv_w
                        d = x - mean[j, t]
                        mean[j, t] += d * f
                        m2[j, t] += wi * d * (x - mean[j, t])
                else:
                    s = 0.0
                    for t in range(k):
                        x = a0 * r0[i, t] + a1 * A[i, j * k + t]
                        s += x * x
                    x = s / k * inv_w
                    d = x - mean[j, 0]
                    mean[j, 0] += d * f
                    m2[j, 0] += wi * d * (x - mean[j, 0])
    return W
