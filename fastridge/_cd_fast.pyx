# cython: language_level=3
"""Coordinate-descent kernels for ridge regression (dense, Gram, sparse CSC).

Problem seen by every kernel (the "fit coordinates"), per target:

    minimize_b  ½ Σᵢ wᵢ (rᵢ)² + ½ α Σⱼ vⱼ bⱼ²,   r = y_c − Z b,   Z = (X − 1x̄ᵀ) diag(d)

x̄ is the weighted column mean when `center` (zeros otherwise) and d the per-column scale
(standardization; 0 for a column that must get coefficient 0).  Centring and scaling are implicit:
X is read as given and never copied.

Warm start: `b` and the residual `R` are in/out.  R is recomputed from y and b at every exact
convergence check, so the residual handed back is always y − X diag(d) b to rounding — minus its
weighted mean when `center` (the intercept absorbs any constant; removing it keeps the dot
products free of a large common offset).  The kernels keep R = y − X diag(d) b (raw X, any
constant shift of y allowed) and the running sum S = Σ wᵢ Rᵢ; the centred residual's correlation with
column j is then dⱼ (Σᵢ xᵢⱼ wᵢ Rᵢ − x̄ⱼ S), so one `dot` and one `axpy` per coordinate suffice.

Box constraints: b is confined to [loⱼ, hiⱼ] per coordinate (``positive`` is lo = 0, hi = +∞),
by projecting each exact coordinate minimizer on its interval (the exact minimizer of a convex
quadratic in one variable on an interval).  The bounds are given in fit coordinates (the caller
divides raw-scale limits by dⱼ).  Unbounded fits pass no bounds (NULL pointers inside): the
coordinate step then tests one pointer and the sweep is unchanged.

Stopping: the norm of the gradient g = Zᵀ W r − α V b (projected on the box), measured in the
coordinates where every column has unit scale (g̃ⱼ = gⱼ · jwⱼ with the caller's jwⱼ = 1/√(hⱼ + α
vⱼ)), is at most `tol_abs` (the caller passes tol · ‖g̃‖ at b = 0). Unscaled, the norm is dominated
by the largest-scale column and small-scale coordinates are never resolved. It is checked before the
first sweep, so a warm start at the optimum costs 0 sweeps, and then only after a sweep whose
updates were small (the cheap test) or every 10 sweeps.

Each kernel returns (measure, tol_abs, n_iter); the Python layer decides whether to warn.
"""
import numpy as np
from cython cimport floating
from libc.math cimport sqrt, fabs

from fastridge._blas cimport blas_int, _dot, _axpy, _gemv, _symv, Trans, NoTrans, Upper
from fastridge._interrupt cimport raise_stopped, stop_requested
from fastridge._kernel_utils cimport index_t
from fastridge._view cimport Design, DENSE_F, CSC


cdef enum:
    FORCE_CHECK_EVERY = 10



cdef inline double _kkt_sq(double g, double bj, const double *lo, const double *hi,
                           Py_ssize_t j) noexcept nogil:
    """Squared KKT residual of coordinate j: g², or 0 when b_j sits at a bound that g pushes
    against (the projected gradient on the box [lo_j, hi_j]; no bounds when lo is NULL)."""
    if lo != NULL:
        if (bj <= lo[j] and g < 0.0) or (bj >= hi[j] and g > 0.0):
            return 0.0
    return g * g


cdef inline double _coordinate_step(double corr, double pen, double denom, const double *lo,
                                    const double *hi, Py_ssize_t j, floating *bj) noexcept nogil:
    """Exact minimization over coordinate j.  corr = z_jᵀ W r with the current residual r (b_j's
    own contribution included), pen = α v_j, denom = z_jᵀ W z_j + pen: the minimizer is
    b_j + (corr − pen·b_j)/denom, projected on [lo_j, hi_j] when bounds are given (lo, hi not
    NULL).  Writes b_j and returns the change actually stored (after rounding to the working
    precision)."""
    cdef double old = bj[0], new
    new = old + (corr - pen * old) / denom
    if lo != NULL:
        if new < lo[j]:
            new = lo[j]
        elif new > hi[j]:
            new = hi[j]
    bj[0] = <floating> new
    return <double> bj[0] - old


cdef inline double _centred_dot(Py_ssize_t n, const floating *x, double m, const floating *w,
                                bint weighted, const floating *r) noexcept nogil:
    """Σᵢ (xᵢ − m) wᵢ rᵢ in double."""
    cdef Py_ssize_t i
    cdef double acc = 0.0
    if weighted:
        for i in range(n):
            acc += (x[i] - m) * w[i] * r[i]
    else:
        for i in range(n):
            acc += (x[i] - m) * r[i]
    return acc


cdef inline void _centred_axpy(Py_ssize_t n, double a, const floating *x, double m,
                               floating *r) noexcept nogil:
    """r += a (x − m), computed in double (one pass, like a BLAS axpy)."""
    cdef Py_ssize_t i
    for i in range(n):
        r[i] = <floating> (r[i] + a * (x[i] - m))


cdef inline double _wdot(Py_ssize_t n, const floating *x, const floating *w,
                         const floating *r) noexcept nogil:
    cdef Py_ssize_t i
    cdef double acc = 0.0
    for i in range(n):
        acc += <double> x[i] * w[i] * r[i]
    return acc


cdef inline double _wsum(Py_ssize_t n, const floating *w, bint weighted,
                         const floating *r) noexcept nogil:
    cdef Py_ssize_t i
    cdef double acc = 0.0
    if weighted:
        for i in range(n):
            acc += <double> w[i] * r[i]
    else:
        for i in range(n):
            acc += r[i]
    return acc


cdef double _recentre(Py_ssize_t n, const floating *w, bint weighted, double W, bint center,
                      floating *R) noexcept nogil:
    """With an intercept, shift R by its weighted mean (the intercept absorbs any constant) so
    that the dot products of the next sweeps do not carry a large common offset; returns the
    new S = Σ w R (≈ 0)."""
    cdef Py_ssize_t i
    cdef double m
    if not center:
        return 0.0
    m = _wsum(n, w, weighted, R) / W
    for i in range(n):
        R[i] = <floating> (R[i] - m)
    return _wsum(n, w, weighted, R)


cdef double _grad_norm_dense(const floating[::1, :] X, const floating[::1] y,
                             const floating[::1] sw, bint weighted,
                             const double[::1] xbar, const double[::1] d, const double[::1] v,
                             double alpha, bint center, const double *lo, const double *hi,
                             const floating[::1] b,
                             floating[::1] R, floating[::1] wr, floating[::1] xtr, double W,
                             double *S, double[::1] racc, const double[::1] jw) noexcept nogil:
    """Exact ‖g‖: recomputes R = y − X(d∘b) from scratch (so rounding accumulated by the
    updates cannot fake or block convergence), then S = Σ w R and the gradient (two gemv).
    `racc` (n doubles, float32 with an intercept only) is workspace for the residual."""
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], i, j
    cdef double g, acc = 0.0, c
    cdef floating one = 1.0, zero = 0.0, minus_one = -1.0
    if floating is float and center:
        # a float32 gemv would round X(d∘b) at eps32·|X||b|, which is far more than the
        # residual itself when column means are large: centred columns, summed in double
        for i in range(n):
            racc[i] = y[i]
        for j in range(p):
            c = d[j] * b[j]
            if c != 0.0:
                for i in range(n):
                    racc[i] -= c * (X[i, j] - xbar[j])
        for i in range(n):
            R[i] = <floating> racc[i]
    else:
        for j in range(p):
            xtr[j] = <floating> (d[j] * b[j])
        for i in range(n):
            R[i] = y[i]
        _gemv(NoTrans, <blas_int> n, <blas_int> p, minus_one, &X[0, 0], <blas_int> n,
              &xtr[0], 1, one, &R[0], 1)
    S[0] = _recentre(n, &sw[0] if weighted else NULL, weighted, W, center, &R[0])
    if floating is float and center:
        # float32 BLAS accumulates in float32: with large column means use centred double sums
        for j in range(p):
            g = d[j] * _centred_dot(n, &X[0, j], xbar[j], &sw[0] if weighted else NULL,
                                    weighted, &R[0]) - alpha * v[j] * b[j]
            acc += _kkt_sq(g * jw[j], b[j], lo, hi, j)
        return sqrt(acc)
    if weighted:
        for i in range(n):
            wr[i] = sw[i] * R[i]
        _gemv(Trans, <blas_int> n, <blas_int> p, one, &X[0, 0], <blas_int> n, &wr[0], 1,
              zero, &xtr[0], 1)
    else:
        _gemv(Trans, <blas_int> n, <blas_int> p, one, &X[0, 0], <blas_int> n, &R[0], 1,
              zero, &xtr[0], 1)
    for j in range(p):
        g = d[j] * (xtr[j] - xbar[j] * S[0]) - alpha * v[j] * b[j]
        acc += _kkt_sq(g * jw[j], b[j], lo, hi, j)
    return sqrt(acc)


def _ridge_cd_dense(const floating[::1, :] X, const floating[::1] y, const floating[::1] sw,
                    const double[::1] xbar,
                    const double[::1] d, const double[::1] h, const double[::1] v, double alpha,
                    floating[::1] b, floating[::1] R, double W, bint center,
                    const double[::1] lower, const double[::1] upper,
                    const double[::1] jw, double tol_abs, int max_iter):
    """Cyclic coordinate descent on dense F-ordered X with residual updates.

    h[j] = dⱼ² Σ wᵢ (xᵢⱼ − x̄ⱼ)² is the exact diagonal of ZᵀWZ (computed without cancellation by the
    caller); `sw` is empty for unit weights; W = Σ w.  `b`, `R` in/out (R = y − X diag(d) b;
    y may be the raw or the centred target).  `lower`, `upper`: the box in fit coordinates, or
    both empty (unbounded).
    """
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], j
    cdef const double *lo = &lower[0] if lower.shape[0] > 0 else NULL
    cdef const double *hi = &upper[0] if upper.shape[0] > 0 else NULL
    cdef bint weighted = sw.shape[0] > 0
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] wr = np.empty(n if weighted else 1, dtype=dtype)
    cdef floating[::1] xtr = np.empty(p, dtype=dtype)
    cdef double[::1] racc = np.empty(n if (floating is float and center) else 1)
    cdef double S = 0.0, measure = 0.0, denom, g, delta, step_sq
    cdef int n_iter = 0, since_check = 0  # S = Σ w R, ≈ 0: R is kept centred
    cdef bint check = True, fresh = False, stopped = False
    with nogil:
        while True:
            if check or since_check >= FORCE_CHECK_EVERY:
                measure = _grad_norm_dense(X, y, sw, weighted, xbar, d, v, alpha, center,
                                           lo, hi, b, R, wr, xtr, W, &S, racc, jw)
                since_check = 0
                fresh = True
                if measure <= tol_abs:
                    break
            if n_iter >= max_iter:
                break
            step_sq = 0.0
            for j in range(p):
                denom = h[j] + alpha * v[j]
                if denom <= 0.0 or d[j] == 0.0:
                    continue
                if center:
                    # R stays centred: the dot and the update use x_j − x̄_j, accumulated in
                    # double, so a column mean large against its spread cannot cancel digits
                    g = _centred_dot(n, &X[0, j], xbar[j], &sw[0] if weighted else NULL,
                                     weighted, &R[0])
                elif weighted:
                    g = _wdot(n, &X[0, j], &sw[0], &R[0])
                else:
                    g = _dot(<blas_int> n, &X[0, j], 1, &R[0], 1)
                delta = _coordinate_step(d[j] * g, alpha * v[j], denom, lo, hi, j, &b[j])
                if delta != 0.0:
                    if center:
                        _centred_axpy(n, -delta * d[j], &X[0, j], xbar[j], &R[0])
                    else:
                        _axpy(<blas_int> n, <floating> (-delta * d[j]), &X[0, j], 1, &R[0], 1)
                    step_sq += (denom * delta * jw[j]) * (denom * delta * jw[j])
            n_iter += 1
            since_check += 1
            fresh = False
            check = sqrt(step_sq) <= tol_abs
            if stop_requested():
                stopped = True
                break
        if not stopped and not fresh:
            measure = _grad_norm_dense(X, y, sw, weighted, xbar, d, v, alpha, center,
                                       lo, hi, b, R, wr, xtr, W, &S, racc, jw)
    if stopped:
        raise_stopped()
    return measure, tol_abs, n_iter


def _box(Py_ssize_t p, bint positive, lower, upper):
    """(lo, hi) float64 arrays of length p for a bounded fit, both empty when unbounded.
    Checked here, once per call: finite-or-infinite, not NaN, lo ≤ 0 ≤ hi (so that b = 0, the
    cold start, is feasible)."""
    if lower is None and upper is None and not positive:
        return np.empty(0), np.empty(0)
    lo = np.full(p, -np.inf) if lower is None else np.array(lower, dtype=np.float64)
    hi = np.full(p, np.inf) if upper is None else np.array(upper, dtype=np.float64)
    if lo.shape != (p,) or hi.shape != (p,):
        raise ValueError(f"lower and upper must have shape ({p},), got {lo.shape} and "
                         f"{hi.shape}.")
    if positive:
        lo = np.maximum(lo, 0.0)
    if not (np.all(lo <= 0.0) and np.all(hi >= 0.0)):  # also False for NaN
        raise ValueError("the bounds must satisfy lower <= 0 <= upper (no NaN).")
    return lo, hi


cdef double _grad_norm_gram(const floating[::1, :] G, const floating[::1] c,
                            const double[::1] v, double alpha, const double *lo,
                            const double *hi,
                            const floating[::1] b, const floating[::1] q,
                            const double[::1] jw) noexcept nogil:
    cdef Py_ssize_t p = G.shape[0], j
    cdef double g, acc = 0.0
    for j in range(p):
        g = <double> c[j] - q[j] - alpha * v[j] * b[j]
        acc += _kkt_sq(g * jw[j], b[j], lo, hi, j)
    return sqrt(acc)


def ridge_cd_gram(const floating[::1, :] G, const floating[::1] c, const double[::1] v,
                  double alpha, floating[::1] b, bint positive, const double[::1] jw,
                  double tol_abs, int max_iter, lower=None, upper=None):
    """Coordinate descent on the Gram ("covariance") form: G = ZᵀWZ (p × p), c = ZᵀW y_c.

    Never touches X.  Keeps q = G b (one `axpy` of a Gram column per changed coordinate); the
    gradient c − q − αVb is then O(p) per sweep, and q is recomputed exactly (`symv`) every
    10 sweeps and before convergence is declared, so drift can neither fake convergence nor
    steer b away from the optimum on ill-conditioned problems.  `positive` or `lower`/`upper`
    (float64 (p,), fit coordinates, lower ≤ 0 ≤ upper): the box, as in `ridge_cd`.
    """
    cdef Py_ssize_t p = G.shape[0], j
    cdef const double[::1] lw, up
    lw, up = _box(p, positive, lower, upper)
    cdef const double *lo = &lw[0] if lw.shape[0] > 0 else NULL
    cdef const double *hi = &up[0] if up.shape[0] > 0 else NULL
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] q = np.empty(p, dtype=dtype)
    cdef double measure, denom, delta
    cdef int n_iter = 0
    cdef bint stopped = False
    cdef floating one = 1.0, zero = 0.0
    with nogil:
        _symv(Upper, <blas_int> p, one, &G[0, 0], <blas_int> p, &b[0], 1, zero, &q[0], 1)
        measure = _grad_norm_gram(G, c, v, alpha, lo, hi, b, q, jw)
        while measure > tol_abs and n_iter < max_iter:
            if n_iter % FORCE_CHECK_EVERY == 0 and n_iter > 0:
                # refresh q = G b so that the drift of the incremental updates cannot steer b
                _symv(Upper, <blas_int> p, one, &G[0, 0], <blas_int> p, &b[0], 1, zero,
                      &q[0], 1)
            for j in range(p):
                denom = G[j, j] + alpha * v[j]
                if denom <= 0.0:
                    continue
                delta = _coordinate_step(<double> c[j] - q[j], alpha * v[j], denom, lo, hi, j,
                                         &b[j])
                if delta != 0.0:
                    _axpy(<blas_int> p, <floating> delta, &G[0, j], 1, &q[0], 1)
            n_iter += 1
            if stop_requested():
                stopped = True
                break
            measure = _grad_norm_gram(G, c, v, alpha, lo, hi, b, q, jw)
            if measure <= tol_abs:
                _symv(Upper, <blas_int> p, one, &G[0, 0], <blas_int> p, &b[0], 1, zero,
                      &q[0], 1)
                measure = _grad_norm_gram(G, c, v, alpha, lo, hi, b, q, jw)
    if stopped:
        raise_stopped()
    return measure, tol_abs, n_iter


cdef double _grad_norm_csc(const floating[::1] data, const index_t[::1] indices,
                           const index_t[::1] indptr, const floating[::1] y,
                           const floating[::1] sw, bint weighted,
                           const double[::1] xbar, const double[::1] d, const double[::1] v,
                           double alpha, bint center, const double *lo, const double *hi,
                             const floating[::1] b,
                           floating[::1] R, double W, double *S,
                           const double[::1] jw) noexcept nogil:
    """Exact ‖g‖ after recomputing R = y − X(d∘b) from scratch (see `_grad_norm_dense`)."""
    cdef Py_ssize_t p = indptr.shape[0] - 1, n = R.shape[0], j, k
    cdef double g, acc = 0.0, xr, sc
    for k in range(n):
        R[k] = y[k]
    for j in range(p):
        sc = d[j] * b[j]
        if sc != 0.0:
            for k in range(indptr[j], indptr[j + 1]):
                R[indices[k]] -= <floating> (sc * data[k])
    S[0] = _recentre(n, &sw[0] if weighted else NULL, weighted, W, center, &R[0])
    for j in range(p):
        xr = 0.0
        for k in range(indptr[j], indptr[j + 1]):
            xr += <double> data[k] * R[indices[k]] * (sw[indices[k]] if weighted else 1.0)
        g = d[j] * (xr - xbar[j] * S[0]) - alpha * v[j] * b[j]
        acc += _kkt_sq(g * jw[j], b[j], lo, hi, j)
    return sqrt(acc)


def _ridge_cd_sparse(const floating[::1] data, const index_t[::1] indices,
                     const index_t[::1] indptr, const floating[::1] y, const floating[::1] sw,
                     const double[::1] xbar, const double[::1] d, const double[::1] h,
                     const double[::1] v, double alpha,
                     floating[::1] b, floating[::1] R, double W, bint center,
                     const double[::1] lower, const double[::1] upper,
                     const double[::1] jw, double tol_abs, int max_iter):
    """Cyclic coordinate descent on CSC X with implicit centring (X is never densified).

    Same contract as `_ridge_cd_dense`.  Centring costs nothing per coordinate: the shift of the
    residual by dⱼ x̄ⱼ δ is carried by S alone (see the module docstring).
    """
    cdef Py_ssize_t p = indptr.shape[0] - 1, n = R.shape[0], j, k, i
    cdef bint weighted = sw.shape[0] > 0
    cdef const double *lo = &lower[0] if lower.shape[0] > 0 else NULL
    cdef const double *hi = &upper[0] if upper.shape[0] > 0 else NULL
    cdef double S = 0.0, measure = 0.0, denom, delta, step_sq, xr, sc
    cdef int n_iter = 0, since_check = 0
    cdef bint check = True, fresh = False, stopped = False
    with nogil:
        while True:
            if check or since_check >= FORCE_CHECK_EVERY:
                measure = _grad_norm_csc(data, indices, indptr, y, sw, weighted, xbar, d, v,
                                         alpha, center, lo, hi, b, R, W, &S, jw)
                since_check = 0
                fresh = True
                if measure <= tol_abs:
                    break
            if n_iter >= max_iter:
                break
            step_sq = 0.0
            for j in range(p):
                denom = h[j] + alpha * v[j]
                if denom <= 0.0 or d[j] == 0.0:
                    continue
                xr = 0.0
                if weighted:
                    for k in range(indptr[j], indptr[j + 1]):
                        i = indices[k]
                        xr += <double> data[k] * sw[i] * R[i]
                else:
                    for k in range(indptr[j], indptr[j + 1]):
                        xr += <double> data[k] * R[indices[k]]
                delta = _coordinate_step(d[j] * (xr - xbar[j] * S), alpha * v[j], denom,
                                         lo, hi, j, &b[j])
                if delta != 0.0:
                    sc = delta * d[j]
                    for k in range(indptr[j], indptr[j + 1]):
                        R[indices[k]] -= <floating> (sc * data[k])
                    if center:
                        S -= sc * xbar[j] * W
                    step_sq += (denom * delta * jw[j]) * (denom * delta * jw[j])
            n_iter += 1
            since_check += 1
            fresh = False
            check = sqrt(step_sq) <= tol_abs
            if stop_requested():
                stopped = True
                break
        if not stopped and not fresh:
            measure = _grad_norm_csc(data, indices, indptr, y, sw, weighted, xbar, d, v,
                                     alpha, center, lo, hi, b, R, W, &S, jw)
    if stopped:
        raise_stopped()
    return measure, tol_abs, n_iter


def ridge_cd(Design design not None, y, b, R, *, double alpha, v, h, jw, double W,
             bint positive=False, lower=None, upper=None, double tol_abs, int max_iter):
    """Cyclic coordinate descent for one target on `design` (the Z, W of the problem).

    Parameters
    ----------
    design : Design
        The implicitly centred, scaled and weighted design, built once per problem; coordinate
        descent reads X by columns, so its layout must be ``DENSE_F`` or ``CSC``.  Its dtype is
        the working precision of `y`, `b` and `R`.
    y : ndarray of shape (n,)
        The target, raw or centred.
    b, R : ndarray of shape (p,), (n,)
        In/out: the coefficients (the start on entry) and the residual R = y − X diag(d) b.
    alpha : float
        The penalty α.
    v, h, jw : float64 ndarray of shape (p,)
        Penalty factors V; hⱼ = dⱼ² Σ wᵢ (xᵢⱼ − x̄ⱼ)², the exact diagonal of ZᵀWZ (computed
        without cancellation by the caller); jwⱼ = 1/√(hⱼ + α vⱼ), the unit-scale weights of
        the stopping rule.
    W : float
        Σ w (n when unweighted).
    positive : bool
        Constrain b ≥ 0 (the box lo = 0, hi = +∞).
    lower, upper : float64 ndarray of shape (p,) or None
        Per-coordinate bounds loⱼ ≤ 0 ≤ hiⱼ in fit coordinates (±inf allowed); with `positive`
        the lower bound is max(loⱼ, 0).  None for both (and not `positive`): unbounded.
    tol_abs, max_iter : float, int
        Absolute tolerance on the scaled gradient norm (see the module docstring); cap on the
        sweeps.

    Returns
    -------
    (measure, tol_abs, n_iter)
    """
    cdef Py_ssize_t n = design.n, p = design.p
    design.check_vectors(working=(("y", y, n), ("b", b, p), ("R", R, n)),
                         float64=(("v", v, p), ("h", h, p), ("jw", jw, p)))
    lo, hi = _box(p, positive, lower, upper)
    if design.layout == DENSE_F:
        return _ridge_cd_dense(design.dense, y, design.sw, design.xbar, design.d, h, v, alpha,
                               b, R, W, design.center, lo, hi, jw, tol_abs, max_iter)
    if design.layout == CSC:
        return _ridge_cd_sparse(design.data, design.indices, design.indptr, y, design.sw,
                                design.xbar, design.d, h, v, alpha, b, R, W, design.center,
                                lo, hi, jw, tol_abs, max_iter)
    raise ValueError(f"ridge_cd reads X by columns: it needs a design of layout DENSE_F or CSC, "
                     f"got {design!r}.")
