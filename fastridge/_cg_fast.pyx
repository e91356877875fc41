# cython: language_level=3
"""Preconditioned conjugate-gradient kernels for ridge regression (dense, CSR, CSC).

Same fit coordinates as `_cd_fast`: Z = (X − 1x̄ᵀ) diag(d), weights W, penalty factors V.
The centring is implicit (Z u = X(d∘u) − (x̄ᵀ(d∘u)) 1 and Zᵀ r = d∘(Xᵀr − x̄ Σr)), so X is read
as given: dense F-ordered through `gemv`, or sparse CSR/CSC through gather/scatter loops.
The arrays describing Z and W come bundled, once per problem, in a `fastridge._view.Design`.

* primal: (ZᵀWZ + αV) b = ZᵀW y — two mat-vecs with X per iteration, never forming XᵀX;
* dual (p > n, α > 0, all vⱼ > 0): (K + αI) a = W^{1/2} y with K = W^{1/2} Z V⁻¹ Zᵀ W^{1/2},
  then b = V⁻¹ Zᵀ W^{1/2} a.  Its residual e maps to the primal gradient g = Zᵀ W^{1/2} e, which
  is what the stopping rule measures;
* multi-shift (`ridge_cg_multishift`): (ZᵀWZ + αV + σₛI) bₛ = ZᵀW y for many shifts σₛ from one
  Krylov space — one mat-vec pair per iteration for all of them (a ridge path, when the Jacobi
  preconditioner is a scalar and V ∝ I on the columns that move).

Jacobi (diagonal) preconditioning. Stopping: relative gradient norm ‖g‖ ≤ tol_abs, measured in the
coordinates where every column has unit scale (gⱼ/√(hⱼ + α vⱼ), the caller's `jw`), the recursive
residual being the cheap test and the true residual (recomputed from scratch) the exact one.
"""
import numpy as np
from cython cimport floating
from libc.math cimport sqrt, fabs
from cython.parallel cimport prange, threadid

from fastridge._blas cimport blas_int, _gemv, Trans, NoTrans
from fastridge._interrupt cimport raise_stopped, stop_requested
from fastridge._kernel_utils cimport index_t
from fastridge._view cimport Design, Layout, DENSE_F, DENSE_C, CSR, CSC


cdef enum:
    SIGNAL_CHECK_EVERY = 8


# Level-1 vector operations as plain loops (double accumulation): they are memory-bound, and
# calling BLAS for them would wake OpenBLAS's worker threads, which then spin on the cores the
# OpenMP sparse mat-vec needs.  Only the dense mat-vecs go to BLAS (gemv).

cdef inline double _dot(blas_int n, const floating *x, int incx, const floating *y,
                        int incy) noexcept nogil:
    cdef Py_ssize_t i
    cdef double acc = 0.0
    for i in range(n):
        acc += <double> x[i] * y[i]
    return acc


cdef inline void _axpy(blas_int n, floating a, const floating *x, int incx, floating *y,
                       int incy) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        y[i] = y[i] + a * x[i]


cdef inline void _copy(blas_int n, const floating *x, int incx, floating *y,
                       int incy) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        y[i] = x[i]


cdef inline double _nrm2(blas_int n, const floating *x, int incx) noexcept nogil:
    """Euclidean norm, scaled by the largest magnitude so that no square overflows."""
    cdef Py_ssize_t i
    cdef double big = 0.0, acc = 0.0, t
    for i in range(n):
        t = fabs(x[i])
        if t > big:
            big = t
    if big == 0.0:
        return 0.0
    for i in range(n):
        t = x[i] / big
        acc += t * t
    return big * sqrt(acc)



cdef void _x_mul(Layout layout, const floating[::1, :] Xd, const floating[::1] data,
                 const index_t[::1] indices, const index_t[::1] indptr, Py_ssize_t n,
                 Py_ssize_t p, const floating *t, floating *out) noexcept nogil:
    """out (n) = X t."""
    cdef Py_ssize_t i, j, k
    cdef double acc
    cdef floating one = 1.0, zero = 0.0
    if layout == DENSE_F:
        _gemv(NoTrans, <blas_int> n, <blas_int> p, one, &Xd[0, 0], <blas_int> n, t, 1,
              zero, out, 1)
    elif layout == DENSE_C:
        _gemv(Trans, <blas_int> p, <blas_int> n, one, &Xd[0, 0], <blas_int> p, t, 1,
              zero, out, 1)
    elif layout == CSR:
        for i in range(n):
            acc = 0.0
            for k in range(indptr[i], indptr[i + 1]):
                acc += <double> data[k] * t[indices[k]]
            out[i] = <floating> acc
    else:
        for i in range(n):
            out[i] = 0.0
        for j in range(p):
            for k in range(indptr[j], indptr[j + 1]):
                out[indices[k]] += data[k] * t[j]


cdef void _xt_mul(Layout layout, const floating[::1, :] Xd, const floating[::1] data,
                  const index_t[::1] indices, const index_t[::1] indptr, Py_ssize_t n,
                  Py_ssize_t p, const floating *r, floating *out) noexcept nogil:
    """out (p) = Xᵀ r."""
    cdef Py_ssize_t i, j, k
    cdef double acc
    cdef floating one = 1.0, zero = 0.0
    if layout == DENSE_F:
        _gemv(Trans, <blas_int> n, <blas_int> p, one, &Xd[0, 0], <blas_int> n, r, 1,
              zero, out, 1)
    elif layout == DENSE_C:
        _gemv(NoTrans, <blas_int> p, <blas_int> n, one, &Xd[0, 0], <blas_int> p, r, 1,
              zero, out, 1)
    elif layout == CSC:
        for j in range(p):
            acc = 0.0
            for k in range(indptr[j], indptr[j + 1]):
                acc += <double> data[k] * r[indices[k]]
            out[j] = <floating> acc
    else:
        for j in range(p):
            out[j] = 0.0
        for i in range(n):
            for k in range(indptr[i], indptr[i + 1]):
                out[indices[k]] += data[k] * r[i]


cdef void _z_mul(Layout layout, const floating[::1, :] Xd, const floating[::1] data,
                 const index_t[::1] indices, const index_t[::1] indptr, Py_ssize_t n,
                 Py_ssize_t p, const double[::1] xbar, const double[::1] d, bint center,
                 const floating *u, floating *tp, floating *out) noexcept nogil:
    """out (n) = Z u, using tp (p) as workspace."""
    cdef Py_ssize_t i, j
    cdef double shift = 0.0
    for j in range(p):
        tp[j] = <floating> (d[j] * u[j])
        if center:
            shift += xbar[j] * tp[j]
    _x_mul(layout, Xd, data, indices, indptr, n, p, tp, out)
    if center:
        for i in range(n):
            out[i] = <floating> (out[i] - shift)


cdef void _zt_mul(Layout layout, const floating[::1, :] Xd, const floating[::1] data,
                  const index_t[::1] indices, const index_t[::1] indptr, Py_ssize_t n,
                  Py_ssize_t p, const double[::1] xbar, const double[::1] d, bint center,
                  const floating *r, floating *out) noexcept nogil:
    """out (p) = Zᵀ r."""
    cdef Py_ssize_t i, j
    cdef double total = 0.0
    _xt_mul(layout, Xd, data, indices, indptr, n, p, r, out)
    if center:
        for i in range(n):
            total += r[i]
    for j in range(p):
        out[j] = <floating> (d[j] * (out[j] - xbar[j] * total))


cdef void _fused_csr_threads(const floating[::1] data, const index_t[::1] indices,
                             const index_t[::1] indptr, Py_ssize_t n, Py_ssize_t p,
                             const floating[::1] sw, bint weighted, double shift,
                             const floating *tp, double *tbuf, int nthreads,
                             double *total_out) noexcept nogil:
    """The fused CSR product split over rows among `nthreads` OpenMP threads, each scattering
    into its own p-vector of `tbuf` (nthreads × p); the caller adds the p-vectors.  Results equal
    the serial ones up to the order of the final additions."""
    cdef Py_ssize_t i, k, off
    cdef double acc, total = 0.0
    for i in range(nthreads * p):
        tbuf[i] = 0.0
    for i in prange(n, num_threads=nthreads, schedule="static"):
        off = threadid() * p
        acc = 0.0
        for k in range(indptr[i], indptr[i + 1]):
            acc = acc + <double> data[k] * tp[indices[k]]
        acc = acc - shift
        if weighted:
            acc = acc * sw[i]
        total += acc
        for k in range(indptr[i], indptr[i + 1]):
            tbuf[off + indices[k]] += data[k] * acc
    total_out[0] = total


cdef void _apply(bint dual, Layout layout, const floating[::1, :] Xd,
                 const floating[::1] data, const index_t[::1] indices, const index_t[::1] indptr, Py_ssize_t n,
                 Py_ssize_t p, const double[::1] xbar, const double[::1] d, bint center,
                 const floating[::1] sw, const floating[::1] sqw, bint weighted,
                 const double[::1] v, double alpha, const floating *u, floating *out,
                 floating *tn, floating *tp, floating *tp2, double *tbuf,
                 int nthreads) noexcept nogil:
    """out = A u with A = ZᵀWZ + αV (primal, size p) or K + αI (dual, size n)."""
    cdef Py_ssize_t i, j, k, t
    cdef double shift, acc, total
    if not dual and layout == CSR and nthreads > 1:
        shift = 0.0
        for j in range(p):
            tp[j] = <floating> (d[j] * u[j])
            shift += xbar[j] * tp[j] if center else 0.0
        _fused_csr_threads(data, indices, indptr, n, p, sw, weighted, shift, tp, tbuf,
                           nthreads, &total)
        for j in range(p):
            acc = 0.0
            for t in range(nthreads):
                acc += tbuf[t * p + j]
            out[j] = <floating> (d[j] * (acc - (xbar[j] * total if center else 0.0))
                                 + alpha * v[j] * u[j])
    elif not dual and layout == CSR:
        # fused ZᵀWZu in one pass over the rows: each row's entries are gathered for its
        # product and, still in cache, scattered into the result (half the memory traffic)
        shift = 0.0
        for j in range(p):
            tp[j] = <floating> (d[j] * u[j])
            shift += xbar[j] * tp[j] if center else 0.0
            out[j] = 0.0
        total = 0.0
        for i in range(n):
            acc = 0.0
            for k in range(indptr[i], indptr[i + 1]):
                acc += <double> data[k] * tp[indices[k]]
            acc -= shift
            if weighted:
                acc *= sw[i]
            total += acc
            for k in range(indptr[i], indptr[i + 1]):
                out[indices[k]] += <floating> (data[k] * acc)
        for j in range(p):
            out[j] = <floating> (d[j] * (out[j] - (xbar[j] * total if center else 0.0))
                                 + alpha * v[j] * u[j])
    elif not dual:
        _z_mul(layout, Xd, data, indices, indptr, n, p, xbar, d, center, u, tp, tn)
        if weighted:
            for i in range(n):
                tn[i] = tn[i] * sw[i]
        _zt_mul(layout, Xd, data, indices, indptr, n, p, xbar, d, center, tn, out)
        for j in range(p):
            out[j] = <floating> (out[j] + alpha * v[j] * u[j])
    else:
        for i in range(n):
            tn[i] = u[i] * sqw[i] if weighted else u[i]
        _zt_mul(layout, Xd, data, indices, indptr, n, p, xbar, d, center, tn, tp2)
        for j in range(p):
            tp2[j] = <floating> (tp2[j] / v[j])
        _z_mul(layout, Xd, data, indices, indptr, n, p, xbar, d, center, tp2, tp, tn)
        for i in range(n):
            out[i] = <floating> ((tn[i] * sqw[i] if weighted else tn[i]) + alpha * u[i])


cdef inline double _scaled_nrm2(Py_ssize_t p, const floating *g, const double[::1] jw,
                                floating *out) noexcept nogil:
    """‖g ∘ jw‖ (out = g ∘ jw; out may be g itself when g is workspace)."""
    cdef Py_ssize_t j
    for j in range(p):
        out[j] = <floating> (g[j] * jw[j])
    return _nrm2(<blas_int> p, out, 1)


cdef double _primal_grad(bint dual, Layout layout, const floating[::1, :] Xd,
                         const floating[::1] data, const index_t[::1] indices,
                         const index_t[::1] indptr, Py_ssize_t n, Py_ssize_t p,
                         const double[::1] xbar, const double[::1] d, bint center,
                         const floating[::1] sqw, bint weighted, const floating *res,
                         floating *tn, floating *tp, const double[::1] jw) noexcept nogil:
    """‖primal gradient‖ in unit-scale coordinates (gⱼ · jwⱼ) from the system residual `res`
    (primal: res itself).  Overwrites tp."""
    cdef Py_ssize_t i
    if not dual:
        return _scaled_nrm2(p, res, jw, tp)
    for i in range(n):
        tn[i] = res[i] * sqw[i] if weighted else res[i]
    _zt_mul(layout, Xd, data, indices, indptr, n, p, xbar, d, center, tn, tp)
    return _scaled_nrm2(p, tp, jw, tp)


cdef void _precondition(Py_ssize_t m, const floating *r, const floating[::1] minv,
                        const floating[::1, :] U, const double[::1] ncoef,
                        const double[::1] vs, floating *w, floating *t,
                        floating *z) noexcept nogil:
    """z = M⁻¹ r: Jacobi (z = minv ∘ r) when U has no columns, else the low-rank-plus-diagonal
    preconditioner of `ridge_cg_nystrom`, z = S (I + U diag(ncoef) Uᵀ) S r with S = diag(vs):
    two gemv with the p × ℓ matrix U, no allocation."""
    cdef Py_ssize_t i, ell = U.shape[1]
    cdef floating one = 1.0, zero = 0.0
    if ell == 0:
        for i in range(m):
            z[i] = minv[i] * r[i]
        return
    for i in range(m):
        w[i] = <floating> (vs[i] * r[i])
    _gemv(Trans, <blas_int> m, <blas_int> ell, one, &U[0, 0], <blas_int> m, w, 1, zero, t, 1)
    for i in range(ell):
        t[i] = <floating> (t[i] * ncoef[i])
    _gemv(NoTrans, <blas_int> m, <blas_int> ell, one, &U[0, 0], <blas_int> m, t, 1, one, w, 1)
    for i in range(m):
        z[i] = <floating> (vs[i] * w[i])


def ridge_cg(Design design not None, y, x, b_out, *, double alpha, v, h, jw, bint dual,
             double tol, int max_iter, int nthreads=1):
    """Jacobi-preconditioned CG for one target on `design` (the Z, W of the problem).

    Parameters
    ----------
    design : Design
        The implicitly centred, scaled and weighted design, built once per problem; its dtype
        is the working precision of `y`, `x` and `b_out`.
    y : ndarray of shape (n,)
        The centred target.
    x : ndarray of shape (p,) in the primal, (n,) in the dual
        In/out: the unknown of the system solved, b in the primal, the dual variable a in the
        dual; its value on entry is the starting point.
    b_out : ndarray of shape (p,)
        Receives b.
    alpha : float
        The penalty α.
    v : float64 ndarray of shape (p,)
        Penalty factors V.
    h : float64 ndarray of shape (p,)
        The diagonal of ZᵀWZ as the Jacobi preconditioner uses it, 1/(hⱼ + α vⱼ) (the caller
        may pass a stand-in, as at α = 0).
    jw : float64 ndarray of shape (p,)
        1/√(diag(ZᵀWZ)ⱼ + α vⱼ), 0 for a column that cannot move: the gradient is measured in
        the coordinates where every column has unit scale.
    dual : bool
        Solve (K + αI) a = W^{1/2} y (p > n, α > 0, all vⱼ > 0) instead of the primal system.
    tol, max_iter : float, int
        Relative tolerance on the scaled gradient; cap on the iterations.
    nthreads : int, default=1
        > 1 splits the fused CSR product of the primal over OpenMP threads (when compiled with
        OpenMP; otherwise the same code runs serially).

    Returns
    -------
    (measure, tol_abs, n_iter) with measure = ‖jw ∘ (Zᵀ W (y − Z b) − α V b)‖ and
    tol_abs = tol · ‖jw ∘ Zᵀ W y‖.
    """
    cdef Py_ssize_t n = design.n, p = design.p
    design.check_vectors(
        working=(("y", y, n), ("x", x, n if dual else p), ("b_out", b_out, p)),
        float64=(("v", v, p), ("h", h, p), ("jw", jw, p)))
    return _ridge_cg(design.layout, design.dense, design.data, design.indices, design.indptr,
                     n, p, design.sw, design.sqw, design.xbar, design.d, design.center, h, v,
                     alpha, y, x, b_out, dual, jw, tol, max_iter, nthreads,
                     np.empty((p, 0), dtype=design.dtype, order="F"), _EMPTY, _EMPTY)


_EMPTY = np.empty(0)


def ridge_cg_nystrom(Design design not None, y, x, b_out, *, double alpha, v, U, coef, scale,
                     jw, double tol, int max_iter, int nthreads=1):
    """CG on the primal system (ZᵀWZ + αV) b = ZᵀW y with a low-rank-plus-diagonal
    preconditioner, all vⱼ > 0, α > 0:

        M⁻¹ = diag(s) (I + U diag(c) Uᵀ) diag(s),

    s = `scale` > 0, U (p × ℓ) with orthonormal columns and c = `coef` > −1, so that M⁻¹ is
    symmetric positive definite (its middle factor has eigenvalues 1 + cᵢ > 0 and 1).  The
    randomized Nyström preconditioner (Frangella, Tropp & Udell, SIAM J. Matrix Anal. Appl.
    2023) and its variant with the residual's diagonal (`fastridge._solvers.nystrom`) are of
    this form.  The mat-vecs, stopping rule (the scaled gradient, `jw`), restarts and interrupt
    checks are those of `ridge_cg`; applying M⁻¹ costs two gemv with U (4pℓ flops) per
    iteration.

    Parameters
    ----------
    design, y, x, b_out, alpha, v, jw, tol, max_iter, nthreads
        As for `ridge_cg` (primal only: x is b, of shape (p,)).
    U : ndarray of shape (p, ℓ), Fortran-ordered, the design's working dtype
        Orthonormal columns, ℓ ≥ 1.
    coef : float64 ndarray of shape (ℓ,)
        The cᵢ, each > −1.
    scale : float64 ndarray of shape (p,)
        The sⱼ, each > 0 and finite.

    Returns
    -------
    (measure, tol_abs, n_iter) as `ridge_cg`.
    """
    cdef Py_ssize_t n = design.n, p = design.p
    design.check_vectors(working=(("y", y, n), ("x", x, p), ("b_out", b_out, p)),
                         float64=(("v", v, p), ("jw", jw, p), ("scale", scale, p)))
    coef = np.ascontiguousarray(coef, dtype=np.float64)
    if U.ndim != 2 or U.shape[0] != p or U.shape[1] != coef.shape[0] or U.shape[1] < 1 \
            or U.dtype != design.dtype or not U.flags.f_contiguous:
        raise ValueError(f"U must be a Fortran-ordered {design.dtype} array of shape "
                         f"({p}, {coef.shape[0]}) with at least one column")
    v = np.asarray(v)
    if not np.all(v > 0) or alpha <= 0 or not np.all(coef > -1.0) \
            or not np.all(np.isfinite(coef)) or not np.all(np.asarray(scale) > 0) \
            or not np.all(np.isfinite(scale)):
        raise ValueError("the low-rank preconditioner needs alpha > 0, v > 0, finite "
                         "coef > -1 and finite scale > 0")
    return _ridge_cg(design.layout, design.dense, design.data, design.indices, design.indptr,
                     n, p, design.sw, design.sqw, design.xbar, design.d, design.center,
                     np.zeros(p), v, alpha, y, x, b_out, False, jw, tol, max_iter, nthreads,
                     U, coef, scale)


def _ridge_cg(Layout layout, const floating[::1, :] Xd, const floating[::1] data,
              const index_t[::1] indices, const index_t[::1] indptr, Py_ssize_t n, Py_ssize_t p,
              const floating[::1] sw, const floating[::1] sqw, const double[::1] xbar,
              const double[::1] d, bint center, const double[::1] h, const double[::1] v,
              double alpha, const floating[::1] y, floating[::1] x, floating[::1] b_out,
              bint dual, const double[::1] jw, double tol, int max_iter, int nthreads,
              const floating[::1, :] U, const double[::1] ncoef, const double[::1] vs):
    """`ridge_cg` with the design unpacked (the fused types are resolved here, once per call);
    the arrays are those of a `Design`, the sizes checked by `ridge_cg`.  U with columns (then
    `ncoef`, `vs`): the preconditioner of `ridge_cg_nystrom` instead of Jacobi."""
    cdef bint weighted = sw.shape[0] > 0
    cdef Py_ssize_t m = n if dual else p, i, j, k
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] rhs = np.empty(m, dtype=dtype)
    cdef floating[::1] r = np.empty(m, dtype=dtype)
    cdef floating[::1] z = np.empty(m, dtype=dtype)
    cdef floating[::1] pd = np.empty(m, dtype=dtype)
    cdef floating[::1] q = np.empty(m, dtype=dtype)
    cdef floating[::1] minv = np.empty(m, dtype=dtype)
    cdef floating[::1] tn = np.empty(n, dtype=dtype)
    cdef floating[::1] tp = np.empty(p, dtype=dtype)
    cdef floating[::1] tp2 = np.empty(p, dtype=dtype)
    cdef floating[::1] tl = np.empty(max(U.shape[1], 1), dtype=dtype)
    nthreads = max(1, nthreads) if (layout == CSR and not dual) else 1
    cdef double[::1] tbuf = np.empty(nthreads * p if nthreads > 1 else 1)
    cdef double tol_abs, measure, rz, rz_new, pq, step, beta, rnorm, cheap_tol, diag, xc, e
    cdef int n_iter = 0
    cdef floating one = 1.0
    cdef bint x_zero, stopped = False
    with nogil:
        # right-hand side and the gradient's norm at b = 0
        for i in range(n):
            tn[i] = y[i] * sw[i] if weighted else y[i]
        _zt_mul(layout, Xd, data, indices, indptr, n, p, xbar, d, center, &tn[0], &tp[0])
        if dual:
            for i in range(n):
                rhs[i] = y[i] * sqw[i] if weighted else y[i]
        else:
            _copy(<blas_int> p, &tp[0], 1, &rhs[0], 1)
        tol_abs = tol * _scaled_nrm2(p, &tp[0], jw, &tp[0])
        # Jacobi preconditioner
        if not dual:
            for j in range(p):
                diag = h[j] + alpha * v[j]
                minv[j] = <floating> (1.0 / diag) if diag > 0.0 else one
        else:
            for i in range(n):
                q[i] = 0.0
            xc = 0.0
            for j in range(p):
                e = d[j] * d[j] / v[j]
                xc += xbar[j] * xbar[j] * e
            if layout == DENSE_F:
                for j in range(p):
                    e = d[j] * d[j] / v[j]
                    for i in range(n):
                        q[i] += <floating> (e * (Xd[i, j] - xbar[j]) * (Xd[i, j] - xbar[j]))
            elif layout == DENSE_C:
                for i in range(n):
                    for j in range(p):
                        e = d[j] * d[j] / v[j]
                        q[i] += <floating> (e * (Xd[j, i] - xbar[j]) * (Xd[j, i] - xbar[j]))
            else:
                for i in range(n):
                    q[i] = <floating> xc
                for k in range(indptr.shape[0] - 1):
                    for j in range(indptr[k], indptr[k + 1]):
                        if layout == CSR:
                            i = k
                            e = d[indices[j]] * d[indices[j]] / v[indices[j]]
                            q[i] += <floating> (e * ((data[j] - xbar[indices[j]]) ** 2
                                                     - xbar[indices[j]] ** 2))
                        else:
                            i = indices[j]
                            e = d[k] * d[k] / v[k]
                            q[i] += <floating> (e * ((data[j] - xbar[k]) ** 2 - xbar[k] ** 2))
            for i in range(n):
                diag = (q[i] if q[i] > 0 else 0.0) * (sw[i] if weighted else 1.0) + alpha
                minv[i] = <floating> (1.0 / diag)
        cheap_tol = tol_abs if not dual else tol * _nrm2(<blas_int> n, &rhs[0], 1)
        x_zero = True
        for i in range(m):
            if x[i] != 0:
                x_zero = False
                break
        while True:
            # true residual r = rhs − A x, the exact measure, and a (re)start of the recursion
            if x_zero:  # cold start: r = rhs, no mat-vec needed
                _copy(<blas_int> m, &rhs[0], 1, &r[0], 1)
                x_zero = False
            else:
                _apply(dual, layout, Xd, data, indices, indptr, n, p, xbar, d, center, sw, sqw,
                       weighted, v, alpha, &x[0], &r[0], &tn[0], &tp[0], &tp2[0], &tbuf[0], nthreads)
                for i in range(m):
                    r[i] = rhs[i] - r[i]
            measure = _primal_grad(dual, layout, Xd, data, indices, indptr, n, p, xbar, d,
                                   center, sqw, weighted, &r[0], &tn[0], &tp[0], jw)
            if measure <= tol_abs or n_iter >= max_iter:
                break
            if dual:
                rnorm = _nrm2(<blas_int> n, &r[0], 1)
                # tighten the cheap test by how far the exact measure is from the target
                cheap_tol = min(cheap_tol, 0.5 * rnorm * tol_abs / measure)
            _precondition(m, &r[0], minv, U, ncoef, vs, &tp2[0], &tl[0], &z[0])
            _copy(<blas_int> m, &z[0], 1, &pd[0], 1)
            rz = _dot(<blas_int> m, &r[0], 1, &z[0], 1)
            while n_iter < max_iter:
                _apply(dual, layout, Xd, data, indices, indptr, n, p, xbar, d, center, sw, sqw,
                       weighted, v, alpha, &pd[0], &q[0], &tn[0], &tp[0], &tp2[0], &tbuf[0], nthreads)
                pq = _dot(<blas_int> m, &pd[0], 1, &q[0], 1)
                n_iter += 1
                if n_iter % SIGNAL_CHECK_EVERY == 0 and stop_requested():
                    stopped = True
                    break
                if pq <= 0.0 or rz <= 0.0:
                    break
                step = rz / pq
                _axpy(<blas_int> m, <floating> step, &pd[0], 1, &x[0], 1)
                _axpy(<blas_int> m, <floating> (-step), &q[0], 1, &r[0], 1)
                if dual:
                    rnorm = _nrm2(<blas_int> m, &r[0], 1)
                else:  # r is the gradient: measured like `measure`
                    rnorm = _scaled_nrm2(p, &r[0], jw, &tp[0])
                if rnorm <= cheap_tol:
                    break
                _precondition(m, &r[0], minv, U, ncoef, vs, &tp2[0], &tl[0], &z[0])
                rz_new = _dot(<blas_int> m, &r[0], 1, &z[0], 1)
                beta = rz_new / rz
                rz = rz_new
                for i in range(m):
                    pd[i] = z[i] + <floating> beta * pd[i]
            if stopped:
                break
            if pq <= 0.0 or rz <= 0.0:
                # breakdown (singular, inconsistent or exhausted precision): report honestly
                _apply(dual, layout, Xd, data, indices, indptr, n, p, xbar, d, center, sw, sqw,
                       weighted, v, alpha, &x[0], &r[0], &tn[0], &tp[0], &tp2[0], &tbuf[0], nthreads)
                for i in range(m):
                    r[i] = rhs[i] - r[i]
                measure = _primal_grad(dual, layout, Xd, data, indices, indptr, n, p, xbar, d,
                                       center, sqw, weighted, &r[0], &tn[0], &tp[0], jw)
                break
        # coefficients
        if dual:
            for i in range(n):
                tn[i] = x[i] * sqw[i] if weighted else x[i]
            _zt_mul(layout, Xd, data, indices, indptr, n, p, xbar, d, center, &tn[0], &b_out[0])
            for j in range(p):
                b_out[j] = <floating> (b_out[j] / v[j])
        else:
            _copy(<blas_int> p, &x[0], 1, &b_out[0], 1)
    if stopped:
        raise_stopped()
    return measure, tol_abs, n_iter


def ridge_cg_multishift(Design design not None, y, shifts, coef_out, *, double alpha, v,
                        double tol, int max_iter, int nthreads=1, basis=None, coords=None):
    """Multi-shift CG: (ZᵀWZ + αV + σₛI) bₛ = ZᵀW y for every shift σₛ ≥ 0 at once, from bₛ = 0.

    One Krylov space serves every shift (Jegerlehner 1996; Frommer & Maass 1999): CG runs on the
    seed system A₀ = ZᵀWZ + αV (the smallest penalty, the hardest system), and each shifted
    system's residual stays collinear with the seed's, rₛ = ζₛ r.  With the seed's step aₖ and
    βₖ = ‖rₖ₊₁‖²/‖rₖ‖², ζ₋₁ = ζ₀ = 1, a₋₁ = 1, β₋₁ = 0::

        ζₛ,ₖ₊₁ = ζₛ,ₖ ζₛ,ₖ₋₁ aₖ₋₁ / (aₖ βₖ₋₁ (ζₛ,ₖ₋₁ − ζₛ,ₖ) + ζₛ,ₖ₋₁ aₖ₋₁ (1 + σₛ aₖ))
        aₛ,ₖ = aₖ ζₛ,ₖ₊₁/ζₛ,ₖ,   βₛ,ₖ = βₖ (ζₛ,ₖ₊₁/ζₛ,ₖ)²
        bₛ += aₛ,ₖ pₛ,   pₛ = ζₛ,ₖ₊₁ rₖ₊₁ + βₛ,ₖ pₛ

    so an iteration costs one product with ZᵀWZ (that of the seed) plus O(p) per shift still
    running.  A shift retires when its residual ‖rₛ‖ = |ζₛ| ‖r‖ meets tol · ‖ZᵀW y‖.  The CG is
    not preconditioned: a Jacobi preconditioner diag(hⱼ + (α + σ)vⱼ) would differ with σ and
    break the shift structure, so the caller uses this kernel only when that diagonal is a
    scalar (equal column scales, as with ``standardize=True``, and equal penalty factors),
    where CG's iterates are the same with or without it.  Only the primal system.

    Parameters
    ----------
    design : Design
        The implicitly centred, scaled and weighted design (as for `ridge_cg`).
    y : ndarray of shape (n,)
        The centred target, in the design's working dtype.
    shifts : float64 ndarray of shape (m,)
        σₛ ≥ 0 (0 for the seed itself, when it is wanted).
    coef_out : ndarray of shape (m, p), C-contiguous, working dtype
        Receives bₛ.
    alpha : float
        The seed's penalty α (with the penalty factors `v`).
    v : float64 ndarray of shape (p,)
        Penalty factors V.
    tol, max_iter : float, int
        Relative tolerance on the residual; cap on the iterations (products with ZᵀWZ).
    nthreads : int, default=1
        As for `ridge_cg` (the fused CSR product); the shifts' O(p) updates are split over as
        many threads on every layout.
    basis, coords : None, or ndarrays of shape (c, p) (C-contiguous, working dtype) and (m, c)
        (C-contiguous float64)
        The Krylov form of the solutions instead of the solutions: `basis` receives the seed's
        residuals r₀ = ZᵀW y, r₁, … (row i the residual after i iterations) and `coords` each
        shift's coordinates in them, bₛ = Σᵢ coords[s, i] basis[i].  The recursions above run
        on the coordinates (pₛ = Σᵢ πₛ,ᵢ rᵢ: πₛ ← βₛ πₛ, πₛ,ₖ₊₁ = ζₛ,ₖ₊₁; coordsₛ += aₛ πₛ),
        so an iteration costs O(iterations) per shift instead of O(p), and c·p numbers are
        stored instead of 2·m·p.  At most c − 1 iterations are run (a shift still active then
        is left with its measure above tol).  `coef_out` is then (1, p) and receives the seed's
        solution only.

    Returns
    -------
    (measure, rhs_norm, n_iter, seed_measure): measure (m,) = |ζₛ| ‖r‖ when shift s retired (the
    recursive residual's norm), rhs_norm = ‖ZᵀW y‖, n_iter (m,) the iterations by which each
    shift had retired (the products with ZᵀWZ are max(n_iter) + 1), seed_measure the true
    residual ‖ZᵀW y − (A₀ + σI) b‖ of the seed (the smallest shift σ) at its last iterate (one
    more product: the check that rounding did not fake the convergence).  With `basis`, a fifth
    item: the rows of `basis` written (the coordinates beyond are 0).
    """
    cdef Py_ssize_t n = design.n, p = design.p
    design.check_vectors(working=(("y", y, n),), float64=(("v", v, p),))
    shifts = np.ascontiguousarray(shifts, dtype=np.float64)
    cdef Py_ssize_t m = shifts.shape[0]
    cdef bint bmode = basis is not None
    rows = 1 if bmode else m
    if coef_out.ndim != 2 or coef_out.shape[0] != rows or coef_out.shape[1] != p \
            or coef_out.dtype != design.dtype or not coef_out.flags.c_contiguous:
        raise ValueError(f"coef_out must be a C-contiguous {design.dtype} array of shape "
                         f"({rows}, {p})")
    if shifts.size and (not np.all(np.isfinite(shifts)) or shifts.min() < 0):
        raise ValueError("shifts must be finite and >= 0")
    if bmode:
        if basis.ndim != 2 or basis.shape[0] < 1 or basis.shape[1] != p \
                or basis.dtype != design.dtype or not basis.flags.c_contiguous:
            raise ValueError(f"basis must be a C-contiguous {design.dtype} array of shape "
                             f"(c, {p}) with c >= 1")
        if coords is None or coords.ndim != 2 or coords.shape[0] != m \
                or coords.shape[1] != basis.shape[0] or coords.dtype != np.float64 \
                or not coords.flags.c_contiguous:
            raise ValueError(f"coords must be a C-contiguous float64 array of shape "
                             f"({m}, {basis.shape[0]})")
    else:
        basis = np.empty((1, 1), dtype=design.dtype)
        coords = np.empty((1, 1))
    out = _ridge_cg_multishift(design.layout, design.dense, design.data, design.indices,
                               design.indptr, n, p, design.sw, design.sqw, design.xbar,
                               design.d, design.center, v, alpha, y, shifts, coef_out, tol,
                               max_iter, nthreads, basis, coords, bmode)
    return out if bmode else out[:4]


def _ridge_cg_multishift(Layout layout, const floating[::1, :] Xd, const floating[::1] data,
                         const index_t[::1] indices, const index_t[::1] indptr, Py_ssize_t n,
                         Py_ssize_t p, const floating[::1] sw, const floating[::1] sqw,
                         const double[::1] xbar, const double[::1] d, bint center,
                         const double[::1] v, double alpha, const floating[::1] y,
                         const double[::1] shifts, floating[:, ::1] B, double tol,
                         int max_iter, int nthreads, floating[:, ::1] R, double[:, ::1] C,
                         bint bmode):
    """`ridge_cg_multishift` with the design unpacked (fused types resolved once per call);
    `bmode`: the Krylov form (R the basis, C the coordinates), else B holds every bₛ."""
    cdef bint weighted = sw.shape[0] > 0
    cdef Py_ssize_t m = shifts.shape[0], i, j, s, kk, nb = 0
    cdef Py_ssize_t cap = R.shape[0], brow
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] rhs = np.empty(p, dtype=dtype)
    cdef floating[::1] r = np.empty(p, dtype=dtype)
    cdef floating[::1] pd = np.empty(p, dtype=dtype)
    cdef floating[::1] q = np.empty(p, dtype=dtype)
    cdef floating[::1] tn = np.empty(n, dtype=dtype)
    cdef floating[::1] tp = np.empty(p, dtype=dtype)
    cdef floating[::1] tp2 = np.empty(p, dtype=dtype)
    # the search directions: as vectors, or as coordinates in the basis
    cdef floating[:, ::1] P = np.empty((1 if bmode else m, 1 if bmode else p), dtype=dtype)
    cdef double[:, ::1] PC = np.zeros((m if bmode else 1, cap if bmode else 1))
    cdef double[::1] zeta = np.ones(m), zeta_old = np.ones(m), measure = np.zeros(m)
    cdef Py_ssize_t[::1] n_iter = np.zeros(m, dtype=np.intp)
    cdef unsigned char[::1] active = np.zeros(m, dtype=np.uint8)
    cdef int sthreads = max(1, min(nthreads, m))
    nthreads = max(1, nthreads) if layout == CSR else 1
    cdef double[::1] tbuf = np.empty(nthreads * p if nthreads > 1 else 1)
    cdef double rr, rr_new, pq, step, beta, step_old = 1.0, beta_old = 0.0, rnorm, tol_abs
    cdef double rhs_norm, zn, zs, zo, denom, seed_measure, zsd, fbd
    cdef floating fs, fb, fz
    cdef int it = 0, n_active = 0
    cdef Py_ssize_t seed = 0
    cdef bint stopped = False
    with nogil:
        for i in range(n):
            tn[i] = y[i] * sw[i] if weighted else y[i]
        _zt_mul(layout, Xd, data, indices, indptr, n, p, xbar, d, center, &tn[0], &rhs[0])
        rhs_norm = _nrm2(<blas_int> p, &rhs[0], 1)
        tol_abs = tol * rhs_norm
        _copy(<blas_int> p, &rhs[0], 1, &r[0], 1)
        _copy(<blas_int> p, &rhs[0], 1, &pd[0], 1)
        rr = _dot(<blas_int> p, &r[0], 1, &r[0], 1)
        if bmode:
            _copy(<blas_int> p, &rhs[0], 1, &R[0, 0], 1)
            nb = 1
            if cap <= max_iter:
                max_iter = <int> (cap - 1)  # the rows the basis can hold
        for s in range(m):
            if shifts[s] < shifts[seed]:
                seed = s
            if bmode:
                for kk in range(cap):
                    C[s, kk] = 0.0
                PC[s, 0] = 1.0
            else:
                for j in range(p):
                    B[s, j] = 0.0
                    P[s, j] = rhs[j]
            measure[s] = rhs_norm
            if rhs_norm > tol_abs:
                active[s] = 1
                n_active += 1
        while n_active > 0 and it < max_iter:
            _apply(False, layout, Xd, data, indices, indptr, n, p, xbar, d, center, sw, sqw,
                   weighted, v, alpha, &pd[0], &q[0], &tn[0], &tp[0], &tp2[0], &tbuf[0],
                   nthreads)
            pq = _dot(<blas_int> p, &pd[0], 1, &q[0], 1)
            it += 1
            # every iteration: with many shifts one costs far more than a plain CG's
            if stop_requested():
                stopped = True
                break
            if pq <= 0.0 or rr <= 0.0:
                break  # breakdown: precision exhausted (the measures say how far each got)
            step = rr / pq
            _axpy(<blas_int> p, <floating> (-step), &q[0], 1, &r[0], 1)
            rr_new = _dot(<blas_int> p, &r[0], 1, &r[0], 1)
            beta = rr_new / rr
            rnorm = sqrt(rr_new)
            if bmode:  # rₖ₊₁ joins the basis (it < cap by the cap on max_iter)
                _copy(<blas_int> p, &r[0], 1, &R[it, 0], 1)
                nb = it + 1
            # the shifts are independent: split over threads (each touches its own rows)
            for s in prange(m, num_threads=sthreads, schedule="static"):
                if active[s] and bmode:  # the same steps on the coordinates (in double)
                    zs = zeta[s]
                    zo = zeta_old[s]
                    denom = step * beta_old * (zo - zs) \
                        + zo * step_old * (1.0 + shifts[s] * step)
                    zn = zs * zo * step_old / denom
                    zsd = step * zn / zs
                    fbd = beta * (zn / zs) * (zn / zs)
                    n_iter[s] = it
                    measure[s] = fabs(zn) * rnorm
                    for kk in range(it):
                        C[s, kk] = C[s, kk] + zsd * PC[s, kk]
                    if measure[s] <= tol_abs:
                        active[s] = 0
                        n_active -= 1
                    else:
                        for kk in range(it):
                            PC[s, kk] = fbd * PC[s, kk]
                        PC[s, it] = zn
                    zeta_old[s] = zs
                    zeta[s] = zn
                elif active[s]:
                    zs = zeta[s]
                    zo = zeta_old[s]
                    denom = step * beta_old * (zo - zs) \
                        + zo * step_old * (1.0 + shifts[s] * step)
                    zn = zs * zo * step_old / denom
                    fs = <floating> (step * zn / zs)
                    fb = <floating> (beta * (zn / zs) * (zn / zs))
                    fz = <floating> zn
                    n_iter[s] = it
                    measure[s] = fabs(zn) * rnorm
                    if measure[s] <= tol_abs:  # retires: the last step only
                        active[s] = 0
                        n_active -= 1
                        for j in range(p):
                            B[s, j] = B[s, j] + fs * P[s, j]
                    else:  # one pass: bₛ += aₛ pₛ, then pₛ = ζₛ r + βₛ pₛ
                        for j in range(p):
                            B[s, j] = B[s, j] + fs * P[s, j]
                            P[s, j] = fz * r[j] + fb * P[s, j]
                    zeta_old[s] = zs
                    zeta[s] = zn
            for j in range(p):
                pd[j] = r[j] + <floating> beta * pd[j]
            step_old, beta_old, rr = step, beta, rr_new
        # the seed's true residual
        seed_measure = 0.0
        brow = 0 if bmode else seed
        if m > 0 and bmode:  # the seed's solution from its coordinates
            for j in range(p):
                B[0, j] = 0.0
            for kk in range(nb):
                _axpy(<blas_int> p, <floating> C[seed, kk], &R[kk, 0], 1, &B[0, 0], 1)
        if m > 0:
            _apply(False, layout, Xd, data, indices, indptr, n, p, xbar, d, center, sw, sqw,
                   weighted, v, alpha, &B[brow, 0], &q[0], &tn[0], &tp[0], &tp2[0],
                   &tbuf[0], nthreads)
            for j in range(p):
                q[j] = <floating> (rhs[j] - q[j] - shifts[seed] * B[brow, j])
            seed_measure = _nrm2(<blas_int> p, &q[0], 1)
    if stopped:
        raise_stopped()
    return np.asarray(measure), rhs_norm, np.asarray(n_iter), seed_measure, nb
