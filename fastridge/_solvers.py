"""The solvers, each working on a `Problem` in fit coordinates (see `_preprocessing`).

Each returns (B, n_iter, info): B (k, p) float64 fit-coordinate coefficients, n_iter (k,) int array
or None for direct solvers, info a dict (`measure`, `tol_abs` per target for the iterative ones,
`solver` actually used).
"""
import numpy as np

from fastridge import _config, _policy

DEFAULT_MAX_ITER = {"cd": 1000, "cg": 1000}
# the kernels count iterations in a C int: a larger max_iter means "no limit" in practice
MAX_ITER_CAP = 2**31 - 1


def iteration_cap(solver, max_iter):
    """The iteration limit a kernel runs with: the default for None, at most MAX_ITER_CAP."""
    return DEFAULT_MAX_ITER[solver] if max_iter is None else min(int(max_iter), MAX_ITER_CAP)


def _groups(alphas):
    """Targets grouped by identical α (one factorization per group)."""
    out = {}
    for t, a in enumerate(alphas):
        out.setdefault(float(a), []).append(t)
    return out.items()


def _block(n_other, itemsize):
    return _config.block_rows(n_other, itemsize, minimum=64)


# --------------------------------------------------------------------------- Gram and kernel

def gram(pr, e=None):
    """G = ZᵀWZ (p × p) and C = ZᵀW y_c (p × k) in the working dtype."""
    from fastridge import _gram_fast

    e = pr.d if e is None else e
    p, k = pr.p, pr.k
    if pr.G0 is not None:  # formed with the column statistics, in one pass over X
        G = (pr.G0 * e[:, None]) * e[None, :]
        return (np.asfortranarray(G, dtype=pr.dtype),
                np.asfortranarray(pr.C0 * e[:, None], dtype=pr.dtype))
    if pr.fmt == "dense":
        G = np.empty((p, p), dtype=pr.dtype, order="F")
        C = np.empty((p, k), dtype=pr.dtype, order="F")
        sqw = np.empty(0) if pr.sqw is None else pr.sqw
        _gram_fast.gram_dense(pr.X, pr.xbar, e, sqw, pr.Yc, G, C,
                              _block(p, pr.dtype.itemsize))
        return _mean_rounding_corrected(pr, e, G, C)
    # sparse: XᵀWX − W x̄x̄ᵀ in float64 (in float32 the subtraction would cancel the digits);
    # columns whose mean is large against their spread (nearly dense ones) are centred
    # explicitly, since for them that subtraction would cancel digits even in float64
    X = pr.X.astype(np.float64)
    Xw = X if pr.sw is None else X.multiply(pr.sw[:, None].astype(np.float64)).tocsc()
    XtWX = np.asarray((X.T @ Xw).toarray(), dtype=np.float64)
    XtWX -= pr.W * np.outer(pr.xbar, pr.xbar)
    Yw = pr.Yc.astype(np.float64)
    if pr.sw is not None:
        Yw *= pr.sw[:, None]
    C = np.asarray(X.T @ Yw) - np.outer(pr.xbar, Yw.sum(axis=0))
    L = _offset_columns(pr)
    if L.size:
        XL = _centred_dense_columns(pr, L)             # n × |L|, explicitly centred
        XLw = XL if pr.sw is None else XL * pr.sw[:, None]
        cross = np.asarray(X.T @ XLw) - np.outer(pr.xbar, XLw.sum(axis=0))
        XtWX[:, L] = cross
        XtWX[L, :] = cross.T
        XtWX[np.ix_(L, L)] = XL.T @ XLw
        C[L] = XLw.T @ pr.Yc.astype(np.float64)
    G = (XtWX * e[:, None]) * e[None, :]
    C = C * e[:, None]
    return _mean_rounding_corrected(pr, e, G, C)


def _mean_rounding_corrected(pr, e, G, C):
    """G and C (made with the float64 means x̄ and ȳ) corrected for the rounding of those means,
    in the working dtype.  x̄ is the mean only to about eps·|x̄|, which a column whose mean is
    large against its spread (a timestamp, values near 2⁶⁴) leaves in every centred value: with
    δ = Σ w (x − x̄)/W (and likewise for y) the exactly centred products are G − W δδᵀ and
    C − W δ δ_yᵀ (the corrected two-pass algorithm of Chan, Golub and LeVeque).  Only those
    columns are read again."""
    L, dx = _mean_offsets(pr, e)
    if L.size:
        w = 1.0 if pr.sw is None else pr.sw.astype(np.float64)[:, None]
        dy = np.sum(w * pr.Yc.astype(np.float64), axis=0) / pr.W
        G = G.astype(np.float64) - pr.W * np.outer(dx, dx)
        C = C.astype(np.float64) - pr.W * np.outer(dx, dy)
    return (np.asfortranarray(G, dtype=pr.dtype), np.asfortranarray(C, dtype=pr.dtype))


def _mean_offsets(pr, e):
    """(L, t): L the columns whose mean exceeds their spread (`_offset_columns`), t (p,) the
    rounding of their float64 means as it shows in every centred value, times e:
    tⱼ = eⱼ Σ w (xⱼ − x̄ⱼ)/W on L, 0 elsewhere (the corrected two-pass algorithm)."""
    L = _offset_columns(pr)
    t = np.zeros(pr.p)
    if L.size:
        w = 1.0 if pr.sw is None else pr.sw.astype(np.float64)[:, None]
        t[L] = np.sum(w * _centred_dense_columns(pr, L), axis=0) / pr.W * e[L]
    return L, t


def _offset_columns(pr):
    """Indices of the columns whose mean exceeds their spread (W x̄² > Σw(x − x̄)²)."""
    if not pr.center:
        return np.zeros(0, dtype=np.intp)
    with np.errstate(over="ignore"):
        return np.flatnonzero((pr.W * pr.xbar * pr.xbar > pr.ss) & (pr.d != 0))


def _centred_dense_columns(pr, cols):
    Xc = pr.X[:, cols]
    Xc = np.asarray(Xc.toarray() if hasattr(Xc, "toarray") else Xc, dtype=np.float64)
    return Xc - pr.xbar[cols]


def kernel(pr, e):
    """K = ẐẐᵀ (n × n) with Ẑ = W^{1/2}(X − 1x̄ᵀ)diag(e)."""
    from fastridge import _gram_fast

    n = pr.n
    if pr.fmt == "dense":
        K = np.empty((n, n), dtype=pr.dtype, order="F")
        sqw = np.empty(0) if pr.sqw is None else pr.sqw
        _gram_fast.kernel_dense(pr.X, pr.xbar, e, sqw, K, _block(n, pr.dtype.itemsize))
        return _kernel_corrected(pr, e, K.astype(np.float64))
    X = pr.X
    L = _offset_columns(pr)
    eS = e.copy()
    eS[L] = 0.0                                          # those columns are added exactly below
    Xe = X.multiply(eS[None, :]).tocsr()
    K = np.asarray((Xe @ Xe.T).toarray(), dtype=np.float64)
    m = np.asarray(X @ (eS * eS * pr.xbar)).ravel()
    c0 = float(np.sum(eS * eS * pr.xbar * pr.xbar))
    K += c0 - m[:, None] - m[None, :]
    if L.size:
        XL = _centred_dense_columns(pr, L) * e[L]
        K += XL @ XL.T
    if pr.sqw is not None:
        K *= pr.sqw[:, None] * pr.sqw[None, :]
    return _kernel_corrected(pr, e, K)


def _kernel_corrected(pr, e, K):
    """K = ẐẐᵀ made with the rounded x̄, corrected for that rounding (`_mean_offsets`): with
    Ẑ = Ẑ_f − s tᵀ (s = √w), K = K_f − u sᵀ − s uᵀ + (tᵀt) s sᵀ, u = Ẑ_f t."""
    L, t = _mean_offsets(pr, e)
    if L.size:
        s = np.ones(pr.n) if pr.sqw is None else pr.sqw
        u = s * (_centred_dense_columns(pr, L) @ (e[L] * t[L]))
        K = K - np.outer(u, s) - np.outer(s, u) + float(t @ t) * np.outer(s, s)
    return K


def zt(pr, e, A):
    """Ẑᵀ A (p × k) with Ẑ = W^{1/2}(X − 1x̄ᵀ)diag(e), A (n × k)."""
    from fastridge import _gram_fast

    if pr.fmt == "dense":
        A = np.asfortranarray(A, dtype=pr.dtype)
        out = np.empty((pr.p, A.shape[1]), dtype=pr.dtype, order="F")
        sqw = np.empty(0) if pr.sqw is None else pr.sqw
        _gram_fast.zt_dense(pr.X, pr.xbar, e, sqw, A, out, _block(pr.n, pr.dtype.itemsize))
        out = out.astype(np.float64)
    else:
        Aw = A if pr.sqw is None else A * pr.sqw[:, None]
        out = np.asarray(pr.X.T @ Aw) - np.outer(pr.xbar, Aw.sum(axis=0))
        L = _offset_columns(pr)  # centred explicitly: x̄ Σ A would cancel the digits of Xᵀ A
        out[L] = _centred_dense_columns(pr, L).T @ Aw
        out = out * e[:, None]
    L, t = _mean_offsets(pr, e)  # the rounding of x̄: Ẑᵀ A = Ẑ_fᵀ A − t (sᵀ A)
    if L.size:
        sA = np.asarray(A, dtype=np.float64).sum(axis=0) if pr.sqw is None else \
            pr.sqw @ np.asarray(A, dtype=np.float64)
        out = out - np.outer(t, sA)
    return out


# --------------------------------------------------------------------------- direct solvers

_LAPACK = []


def _lapack():
    """(dpotrf, dpotrs), imported once (an import statement per call costs a microsecond or
    two, which shows on small fits)."""
    if not _LAPACK:
        from scipy.linalg.lapack import dpotrf, dpotrs

        _LAPACK.extend((dpotrf, dpotrs))
    return _LAPACK


_POSV = []


def _posv():
    """LAPACK's dposv (Cholesky factorization and solve in one call), imported once."""
    if not _POSV:
        from scipy.linalg.lapack import dposv

        _POSV.append(dposv)
    return _POSV[0]


def _reliable_cho(A, eps=np.finfo(np.float64).eps):
    """Cholesky factorization of A (float64, p × p) after symmetric diagonal scaling, as the
    pair (upper factor of S A S, S) with S = diag(A)^{-1/2}; LinAlgError when A is not safely
    positive definite.  The scaling makes the test independent of the columns' units (a column
    a million times larger than another does not make A ill-conditioned, only badly scaled):
    the squared ratio of the factor's smallest to largest diagonal entry bounds 1/cond(S A S)
    from above, so a ratio near the rounding level `eps` of the data that formed A flags a
    (numerically) singular matrix.
    LAPACK is called directly (`potrf`): on small problems the wrappers' checks would cost more
    than the factorization."""
    dpotrf, _ = _lapack()
    d = A.diagonal()
    active = d > 0
    all_active = bool(active.all())
    # zero rows/columns (columns with coefficient 0) get scale 1 and a unit diagonal: they are
    # kept out of the test
    scale = 1.0 / np.sqrt(d) if all_active else \
        np.where(active, 1.0 / np.sqrt(np.where(active, d, 1.0)), 1.0)
    A = A * scale[:, None]
    A *= scale[None, :]
    if not all_active:
        A.flat[:: A.shape[0] + 1] = np.where(active, A.diagonal(), 1.0)
    c, info = dpotrf(A, lower=0, clean=0, overwrite_a=1)
    if info != 0:
        raise _lin_alg_error("not positive definite")
    dg = np.abs(c.diagonal())
    if not all_active:
        dg = dg[active]
    if _factor_singular(dg, A.shape[0], eps):
        raise _lin_alg_error("ill-conditioned")
    return c, scale


def _factor_singular(dg, size, eps=np.finfo(np.float64).eps):
    """Whether a Cholesky factor of a unit-diagonal (scaled) matrix with diagonal `dg` marks it
    numerically singular: the squared ratio of its smallest to largest entry bounds
    1/cond from above."""
    return bool(dg.size) and (dg.min() / dg.max()) ** 2 < 100 * size * eps


def scaled_posv(A, b):
    """`_cho_solve(_reliable_cho(A), b)` in one LAPACK call for A (float64, p × p, owned by the
    caller and overwritten) with a positive diagonal and b (p,): the same diagonal scaling and
    the same singularity test; None when A is not safely positive definite.  For the small-fit
    path, where the two wrapped calls cost more than the arithmetic."""
    scale = 1.0 / np.sqrt(A.diagonal())
    A *= scale[:, None]
    A *= scale
    factor, x, info = _posv()(A, (b * scale)[:, None], lower=0, overwrite_a=1, overwrite_b=1)
    if info != 0 or _factor_singular(np.abs(factor.diagonal()), A.shape[0]):
        return None
    return x[:, 0] * scale


def _cho_solve(factor, B):
    """Solve A X = B with `factor` = `_reliable_cho(A)`."""
    _, dpotrs = _lapack()
    c, scale = factor
    x, info = dpotrs(c, B * scale[:, None], lower=0)
    return x * scale[:, None]


class CholeskyState:
    """The Gram (n ≥ p, or some vⱼ = 0) or kernel (p > n) system, formed once; `solve` factors
    G + αV or K + αI once per distinct α and shares it among the targets with that α."""

    def __init__(self, pr, v, *, allow_kernel=True):
        self.pr, self.v = pr, v
        self.kernel = allow_kernel and pr.X is not None and pr.p > pr.n and \
            bool(np.all(v > 0))
        if self.kernel:
            self.e = pr.d / np.sqrt(v)
            self.K = kernel(pr, self.e)
            rhs = pr.Yc.astype(np.float64)
            self.rhs = rhs * pr.sqw[:, None] if pr.sqw is not None else rhs
        else:
            G, C = gram(pr)
            self.G, self.C = G.astype(np.float64), C.astype(np.float64)

    def solve(self, alphas):
        """B (k, p); raises scipy's LinAlgError when a matrix is numerically singular."""
        pr, v = self.pr, self.v
        B = np.zeros((pr.k, pr.p))
        for a, ts in _groups(alphas):
            # at α = 0 the test decides the rank, relative to the data's precision (float32
            # data determine nothing below about 1e-7; their Gram is formed in float32)
            eps = np.finfo(pr.dtype if a == 0 else np.float64).eps
            if self.kernel and a > 0:
                Ka = self.K.copy()
                Ka.flat[:: pr.n + 1] += a
                A = _cho_solve(_reliable_cho(Ka, eps), self.rhs[:, ts])
                B[ts] = (zt(pr, self.e, A) / np.sqrt(v)[:, None]).T
            elif self.kernel:
                raise _lin_alg_error("α = 0 in the kernel form")
            else:
                Ga = self.G + np.diag(a * v)
                B[ts] = _cho_solve(_reliable_cho(Ga, eps), self.C[:, ts]).T
        return B


def _lin_alg_error(msg):
    from scipy.linalg import LinAlgError

    return LinAlgError(msg)


def solve_cholesky(pr, alphas, v):
    """Cholesky of G + αV (n ≥ p or some vⱼ = 0), or of K + αI in the kernel form (p > n).

    Targets sharing an α share one factorization.  A matrix that is not numerically positive
    definite (α = 0 with dependent columns) falls back to `solve_svd`.
    """
    from scipy.linalg import LinAlgError

    try:
        B = CholeskyState(pr, v, allow_kernel=bool(np.all(alphas > 0))).solve(alphas)
    except LinAlgError:
        return solve_svd(pr, alphas, v)
    return B, None, {"solver": "cholesky"}


def _scaled_design(pr):
    """Dense float64 W^{1/2}(X − 1x̄ᵀ)diag(d), columns then normalized to unit norm (c)."""
    X = pr.X.toarray() if pr.fmt != "dense" else pr.X
    Z = (np.asarray(X, dtype=np.float64) - pr.xbar) * pr.d
    if pr.center:
        # second centring pass: the rounding of x̄ leaves each column off by a constant of
        # order eps·|x̄ⱼ|, a rank-one error along 1 that can exceed the SVD's rank cutoff when
        # a mean is large against its spread (it would count a null direction as signal)
        Z -= (Z.mean(axis=0) if pr.sw is None else (pr.sw @ Z) / pr.W)
    if pr.sqw is not None:
        Z *= pr.sqw[:, None]
    c = np.sqrt(np.einsum("ij,ij->j", Z, Z))
    c_safe = np.where(c > 0, c, 1.0)
    Z /= c_safe
    return X, Z, np.where(c > 0, c, 0.0), c_safe


# ---- double-double arithmetic (error-free transformations; portable, unlike np.longdouble)

_SPLIT = 134217729.0  # 2**27 + 1


def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_prod(a, b):
    p = a * b
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _dd_sum(hi, lo):
    """Σ (hi + lo) along axis 0 by pairwise two_sum reduction; float64 rounding of the result
    (a scalar for 1-D input, one value per column for 2-D input)."""
    hi = np.asarray(hi, dtype=np.float64)
    lo = np.asarray(lo, dtype=np.float64)
    n = hi.shape[0]
    if n == 0:
        return 0.0 if hi.ndim == 1 else np.zeros(hi.shape[1:])
    m = 1 << max(0, int(n - 1).bit_length())
    if m > n:
        pad = ((0, m - n),) + ((0, 0),) * (hi.ndim - 1)
        hi, lo = np.pad(hi, pad), np.pad(lo, pad)
    while hi.shape[0] > 1:
        half = hi.shape[0] // 2
        s, e = _two_sum(hi[:half], hi[half:])
        lo = lo[:half] + lo[half:] + e
        hi = s
    out = hi[0] + lo[0]
    return float(out) if out.ndim == 0 else out


def _dd_sum_pair(hi, lo):
    """Σ (hi + lo) of a 1-D pair as a double-double (s, e): `_dd_sum` without the final
    rounding."""
    s = _dd_sum(hi, lo)
    return s, _dd_sum(np.append(hi, -s), np.append(lo, 0.0))


def _dd_centred_residual(X, y, w, coef):
    """w∘(y − β₀ − Xβ) in double-double, β₀ = Σ w (y − Xβ) / W the best intercept for β, kept
    in double-double too: its rounding to float64 (eps·|β₀| in every residual, far beyond the
    residuals' spread when β₀ is large) must not enter the gradient."""
    rh, rl = _dd_weighted_residual(X, y, w, coef, 0.0)
    # W too in double-double: a rounded Σw would leave eps·W·|β₀| in the residuals' sum
    W, We = (float(rh.size), 0.0) if w is None else _dd_sum_pair(w, np.zeros_like(w))
    s, e = _dd_sum_pair(rh, rl)
    b_hi = s / W
    q, qe = _two_prod(np.float64(b_hi), np.float64(W))
    b_lo = ((s - q) - qe + e - b_hi * We) / W      # β₀ = b_hi + b_lo
    ww = np.ones_like(rh) if w is None else w
    q, qe = _two_prod(ww, np.full_like(rh, -b_hi))
    rh, e2 = _two_sum(rh, q)
    return rh, rl + qe + e2 - ww * b_lo


def _dd_residual(X, y, intercept, coef):
    """r = y − intercept − X coef in double-double, as (hi, lo) arrays."""
    hi = np.array(y, dtype=np.float64)
    lo = np.zeros_like(hi)
    hi, e = _two_sum(hi, np.full_like(hi, -intercept))
    lo += e
    for j in np.flatnonzero(coef):
        q, e1 = _two_prod(X[:, j], np.full_like(hi, -coef[j]))
        hi, e2 = _two_sum(hi, q)
        lo += e1 + e2
    return hi, lo


def _dd_weighted_residual(X, y, w, coef, intercept):
    """w∘(y − β₀ − Xβ) in double-double."""
    rh, rl = _dd_residual(X, y, intercept, coef)
    if w is not None:
        rh, e = _two_prod(w, rh)
        rl = e + w * rl
    return rh, rl


def _refine_extended(pr, X, y, w, coef):
    """Σᵢ wᵢ (xᵢⱼ − x̄ⱼ) rᵢ for every j, with r = y − β₀ − Xβ, all in double-double (β₀ the
    best intercept for β with an intercept, else 0).

    This is the gradient of the least-squares term at the current raw-scale solution; computing it
    beyond float64 is what lets one correction step reach the digits the data hold (NIST Wampler,
    Filip).  Columns are processed in blocks of about 32 MB of work arrays.  None when the
    products overflow float64 (values near 1e300 times the residuals).  Columns with d = 0
    (coefficient 0) get 0."""
    n, p = X.shape
    g = np.zeros(p)
    active = np.flatnonzero(pr.d != 0.0)  # the others have coefficient 0 and no gradient
    with np.errstate(over="ignore", invalid="ignore"):
        if pr.center:
            # with the intercept that is best for coef, in double-double: the weighted
            # residuals then sum to 0 (to double-double rounding), so the rounding of x̄ below
            # (about eps·|x̄|, against a spread that may be far smaller) does not multiply
            # their sum
            rh, rl = _dd_centred_residual(X, y, w, coef)
        else:
            rh, rl = _dd_weighted_residual(X, y, w, coef, 0.0)
        step = max(1, (4 * 1024**2) // max(1, n))
        for j0 in range(0, active.size, step):
            cols = active[j0:j0 + step]
            Xb = np.asarray(X[:, cols], dtype=np.float64)
            if pr.center:
                # centred before the products (x − x̄ is exact when x̄ is large against the
                # spread): Σ x r − x̄ Σ r would cancel the products' digits, eps·|x|·|r| each
                Xb = Xb - pr.xbar[cols]
            p_, e = _two_prod(Xb, rh[:, None])
            g[cols] = _dd_sum(p_, e + Xb * rl[:, None])
    if not np.all(np.isfinite(g)):
        return None  # products of huge values and residuals overflowed: no refinement
    return g


# largest ratio of column norms of Z V^{-1/2} for which `solve_svd` uses its thin SVD
ISOTROPIC_MAX_SPREAD = 1e4


def solve_svd(pr, alphas, v):
    """SVD of the centred, column-normalized design (accuracy independent of column scale).

    α = 0: minimum-norm least squares (rank by a relative threshold); α > 0 with positive penalty
    factors: the thin SVD of Z V^{-1/2} and the shrinkage s/(s² + α); α > 0 with some zero
    penalty factor: the augmented least-squares problem [Z; √(αV)] b ≈ [y; 0].  One step of
    refinement follows, with the gradient at the first solution computed in double-double
    arithmetic from the raw data (so the result is as accurate as the float64 data allow), and the
    intercept is recomputed from the refined residual.  When the problem is rank deficient, the
    minimum-norm solution in the fit coordinates is returned.
    """
    import scipy.linalg as sla

    X, Z, c, c_safe = _scaled_design(pr)
    X = np.asarray(X, dtype=np.float64)
    n, p = Z.shape
    rhs = pr.Yc.astype(np.float64)
    if pr.sqw is not None:
        rhs = rhs * pr.sqw[:, None]
    B = np.zeros((pr.k, p))
    intercepts = np.zeros(pr.k)
    active = c > 0
    w = None if pr.sw is None else pr.sw.astype(np.float64)
    Y = pr.Yc.astype(np.float64) + pr.ybar
    # the thin SVD of Z V^{-1/2} resolves singular values only down to eps times the largest:
    # when its column norms c/√v spread over more than ISOTROPIC_MAX_SPREAD (columns in very
    # different units without `standardize`, penalty factors over many decades), the small ones
    # would be cut although α does not dominate them; the equilibrated augmented form is then
    # used instead
    cv = c[active] / np.sqrt(np.where(v[active] > 0, v[active], 1.0))
    isotropic = bool(np.all(v[active] > 0)) and (
        cv.size == 0 or cv.max() <= ISOTROPIC_MAX_SPREAD * cv.min())
    for a, ts in _groups(alphas):
        ridge = 0.0
        if a == 0.0:
            A, R = Z, rhs[:, ts]
        elif isotropic:
            # u = √v ∘ b makes the penalty α‖u‖²: one thin SVD of Z V^{-1/2} (n × p), with the
            # shrinkage s/(s² + α) — no (n + p) × p augmented matrix
            A, R, ridge = Z * (c_safe / np.sqrt(np.where(v > 0, v, 1.0))), rhs[:, ts], a
        else:
            # columns equilibrated ([z/c; λ]/√(1 + λ²) has unit norm): the rank cutoff is then
            # relative to the data, not to the largest √(αv)/c; a column with no spread stays a
            # zero column (its unknown is not in the row space, so it gets 0)
            lam = np.where(active, np.sqrt(a * v) / c_safe, 0.0)
            eq = np.sqrt(1.0 + lam * lam)
            A = np.vstack([Z, np.diag(lam)]) / eq
            R = np.vstack([rhs[:, ts], np.zeros((p, len(ts)))])
        # scale of the unknown of A: b = u / cu
        if ridge:
            cu = np.sqrt(np.where(v > 0, v, 1.0))
        elif a == 0.0:
            cu = c_safe
        else:
            cu = c_safe * eq
        U, s, Vt = sla.svd(A, full_matrices=False, check_finite=False,
                           lapack_driver="gesdd")
        # relative to the precision of the data: float32 data are exact only to about 1e-7, so
        # a direction they determine less well than that is rank deficiency, not signal
        cutoff = max(A.shape) * np.finfo(pr.dtype).eps * (s[0] if s.size else 0.0)
        r = int(np.sum(s > cutoff))
        if a == 0.0:
            # the centred design has rank ≤ (rows with positive weight) − 1 exactly; rounding in
            # the centring leaves that last singular value just above any relative cutoff
            n_pos = n if pr.sw is None else int(np.count_nonzero(pr.sw))
            r = min(r, n_pos - 1 if pr.center else n_pos)
        U_, s_, V_ = U[:, :r], s[:r], Vt[:r].T
        b = (V_ @ ((U_.T @ R) * (s_ / (s_ ** 2 + ridge))[:, None])) / cu[:, None]
        b[~active] = 0.0
        for col, t in enumerate(ts):
            coef = b[:, col] * pr.d
            icpt = float(pr.ybar[t] - coef @ pr.xbar) if pr.center else 0.0
            g = _refine_extended(pr, X, Y[:, t], w, coef)
            if g is None:  # the gradient overflowed: keep the unrefined solution
                if pr.center:
                    intercepts[t] = icpt
                continue
            # Newton step with the factorized Hessian AᵀA + ridge·I (in u = cu∘b)
            g_u = (pr.d * g - a * v * b[:, col]) / cu
            proj = V_.T @ g_u
            step = V_ @ (proj / (s_ ** 2 + ridge))
            if ridge:
                # the directions the SVD did not resolve (s below the cutoff) have Hessian ≈ α.
                # The rounding of the projection leaves about eps·‖g‖ in every direction: that
                # noise must not be divided by α in the directions Vᵣ resolves (re-orthogonalize)
                # nor count as a gradient where there is none (below the noise level, no step)
                perp = g_u - V_ @ proj
                perp -= V_ @ (V_.T @ perp)
                noise = 8.0 * np.sqrt(p) * np.finfo(np.float64).eps * np.linalg.norm(g_u)
                if np.linalg.norm(perp) > noise:
                    step += perp / ridge
            b[:, col] += step / cu
            b[~active, col] = 0.0
            if pr.center:
                coef = b[:, col] * pr.d
                with np.errstate(over="ignore", invalid="ignore"):
                    icpt2 = _dd_sum(*_dd_weighted_residual(X, Y[:, t], w, coef, 0.0)) / pr.W
                intercepts[t] = icpt2 if np.isfinite(icpt2) else \
                    float(pr.ybar[t] - coef @ pr.xbar)
        if not ridge and r < int(active.sum()):
            # rank deficient: the solutions are the b whose u = cu∘b (A's unknown) has the
            # same projection on span(Vᵣ) (same fitted values and penalty), Vᵣᵀ diag(cu) b = q;
            # the one of minimum norm in fit coordinates is the minimum-norm solution of that
            # underdetermined r × p system.  (Its normal equations would square the condition
            # of Vᵣᵀ diag(cu), which is large when the column scales cu spread widely.)
            q = V_.T @ (b * cu[:, None])
            b = np.linalg.lstsq(V_.T * cu, q, rcond=None)[0]
            for col, t in enumerate(ts):
                if pr.center:
                    intercepts[t] = pr.ybar[t] - (b[:, col] * pr.d) @ pr.xbar
        B[ts] = b.T
    info = {"solver": "svd"}
    if pr.center:
        info["intercept"] = intercepts
    return B, None, info


# --------------------------------------------------------------------------- iterative solvers

def unit_scale(h, v, alpha):
    """jwⱼ = 1/√(hⱼ + α vⱼ) (0 where that is not positive: such a column cannot move).

    The one stopping rule of the iterative solvers: ‖jw ∘ g(b)‖ ≤ tol · ‖jw ∘ g(0)‖, the
    gradient g = ZᵀW(y_c − Zb) − αVb measured in the coordinates where every column has unit
    scale (Jacobi-scaled, as CG's preconditioner sees it).  Unscaled, the norm would be
    dominated by the largest-scale column, and coordinates of columns far smaller (1e-150 next
    to 1e150, O(1) next to 2⁶⁴) would never be resolved; with columns of equal scale the two
    tests are the same.  Broadcasts (h, v per column, α per target)."""
    D = np.asarray(h, dtype=np.float64) + alpha * np.asarray(v, dtype=np.float64)
    pos = D > 0
    return np.where(pos, 1.0 / np.sqrt(np.where(pos, D, 1.0)), 0.0)


def _initial_residual(pr, t, b):
    """R = y_c − X (d∘b) for target t (raw X, as the CD kernels keep it)."""
    R = pr.Yc[:, t].astype(pr.dtype, copy=True)
    if np.any(b):
        R -= np.asarray(pr.X @ (pr.d * b)).ravel().astype(pr.dtype)
    return R


class CDState:
    """Coordinate descent carrying its state (b, residuals or the Gram) from one α to the next.

    Created once per problem; each `solve(alphas)` warm-starts from the current coefficients and,
    for the residual form, from the current residuals, so a path costs no O(np) restart work.
    """

    def __init__(self, pr, v, *, positive, B0=None):
        self.pr, self.v, self.positive = pr, v, bool(positive)
        self.B = np.zeros((pr.k, pr.p), dtype=pr.dtype) if B0 is None \
            else np.array(B0, dtype=pr.dtype)
        self.gram_form = _policy.use_gram_cd(pr, _offset_columns(pr).size)
        self.sw = pr.empty() if pr.sw is None else pr.sw
        if self.gram_form:
            self.G, C = gram(pr)
            self.C = [np.ascontiguousarray(C[:, t]) for t in range(pr.k)]
            self.g0 = C.astype(np.float64)
            return
        self.X = np.asfortranarray(pr.X) if pr.fmt == "dense" else pr.csc()
        self.Y = [np.ascontiguousarray(pr.Yc[:, t]) for t in range(pr.k)]
        self.R = [_initial_residual(pr, t, self.B[t]) for t in range(pr.k)]
        Yw = pr.Yc.astype(np.float64)
        if pr.sw is not None:
            Yw = Yw * pr.sw[:, None]
        G0 = (np.asarray(self.X.T @ Yw) - np.outer(pr.xbar, Yw.sum(axis=0))) * pr.d[:, None]
        self.g0 = G0                    # the gradient at b = 0, (p, k)

    def start_from(self, B, alpha=None):
        """Next solve starts at B (k, p) (the kernels recompute the residual from b at their
        first convergence check, so nothing else needs updating)."""
        self.B[...] = B

    def require_unique(self):
        """ValueError unless the least-squares problem (α = 0) has a unique solution.

        Coordinate descent converges to *a* minimizer; when X is rank deficient that is not the
        minimum-norm one the other solvers return, so CD refuses α = 0 then (``positive=True``
        excepted: CD is its only solver).  Rank deficiency is detected structurally (more active
        columns than rows of positive weight, less one for the intercept) or by an equilibrated
        Cholesky factorization of ZᵀWZ (formed if CD does not work on it already).
        """
        from scipy.linalg import LinAlgError

        pr = self.pr
        if getattr(self, "unique", None) is None:
            n_pos = pr.n if pr.sw is None else int(np.count_nonzero(pr.sw))
            self.unique = int(np.count_nonzero(pr.d)) <= n_pos - pr.center
            if self.unique:
                if self.gram_form or _config.fits(pr.p, pr.p):
                    G = self.G if self.gram_form else gram(pr)[0]
                    try:
                        _reliable_cho(np.array(G, dtype=np.float64),
                                      eps=np.finfo(pr.dtype).eps)
                    except LinAlgError:
                        self.unique = False
                else:
                    self.unique = False  # cannot check: refuse rather than guess
        if not self.unique:
            raise ValueError(
                "solver='cd' cannot solve alpha=0 when X is rank deficient (or too large to "
                "check its rank): the least-squares solution is then not unique and coordinate "
                "descent does not find the minimum-norm one. Use solver='svd' (exact, minimum "
                "norm), 'cg' or 'auto', or a positive alpha.")

    def solve(self, alphas, tol, max_iter):
        from fastridge import _cd_fast

        pr, v = self.pr, self.v
        if not self.positive and np.any(np.asarray(alphas) == 0.0):
            self.require_unique()
        max_iter = iteration_cap("cd", max_iter)
        n_iter = np.zeros(pr.k, dtype=np.intp)
        measure, tol_abs = np.zeros(pr.k), np.zeros(pr.k)
        for t in range(pr.k):
            a, b = float(alphas[t]), self.B[t]
            jw = unit_scale(pr.h, v, a)
            t0 = tol * float(np.linalg.norm(jw * self.g0[:, t]))
            if self.gram_form:
                m, ta, it = _cd_fast.ridge_cd_gram(self.G, self.C[t], v, a, b, self.positive,
                                                   jw, t0, max_iter)
            elif pr.fmt == "dense":
                m, ta, it = _cd_fast.ridge_cd_dense(self.X, self.Y[t], self.sw, pr.xbar, pr.d,
                                                    pr.h, v, a, b, self.R[t], pr.W, pr.center,
                                                    self.positive, jw, t0, max_iter)
            else:
                X = self.X
                m, ta, it = _cd_fast.ridge_cd_sparse(X.data, X.indices, X.indptr, self.Y[t],
                                                     self.sw, pr.xbar, pr.d, pr.h, v, a, b,
                                                     self.R[t], pr.W, pr.center, self.positive,
                                                     jw, t0, max_iter)
            n_iter[t], measure[t], tol_abs[t] = it, m, ta
        return self.B.astype(np.float64), n_iter, {
            "solver": "cd", "measure": measure, "tol_abs": tol_abs, "gram": self.gram_form}


def solve_cd(pr, alphas, v, *, positive, tol, max_iter, B0=None):
    return CDState(pr, v, positive=positive, B0=B0).solve(alphas, tol, max_iter)


def _balanced(pr, v):
    """Whether the columns of Z V^{-1/2} have comparable norms (squared norms hⱼ/vⱼ within a
    factor 1/√eps of each other), as the dual (kernel) CG needs: K = Z V⁻¹ Zᵀ sums the columns'
    contributions, so a column far smaller than the others is lost in K's rounding and the
    iteration stalls or breaks down.  The primal CG's Jacobi preconditioner is blind to column
    scales."""
    hv = pr.h[pr.d != 0] / v[pr.d != 0]
    return hv.size == 0 or hv.max() <= hv.min() / np.sqrt(np.finfo(pr.dtype).eps)


class CGState:
    """Conjugate gradient carrying its unknowns from one α to the next.

    The primal unknown is b itself; the dual one (p > n) is a = W^{1/2}(y_c − Zb)/α, which is
    rescaled by α_old/α_new when α changes (the residual moves little between neighbouring α).
    """

    def __init__(self, pr, v, *, B0=None):
        self.pr, self.v = pr, v
        dt = pr.dtype
        self.B = np.zeros((pr.k, pr.p), dtype=dt) if B0 is None else np.array(B0, dtype=dt)
        if pr.fmt == "dense":
            # C-ordered X is read through its transpose: no copy for either memory order
            if pr.X.flags.c_contiguous and not pr.X.flags.f_contiguous:
                self.Xd, self.mode = pr.X.T, 3
            else:
                self.Xd, self.mode = np.asfortranarray(pr.X), 0
            self.sparse = (np.empty(0, dt), np.empty(0, np.int32), np.zeros(1, np.int32))
        else:
            self.Xd = np.empty((1, 1), dtype=dt, order="F")
            X = pr.X
            indices, indptr = X.indices, X.indptr
            if indices.dtype != indptr.dtype:
                indices, indptr = indices.astype(np.int64), indptr.astype(np.int64)
            self.sparse = (X.data, indices, indptr)
            self.mode = 1 if pr.fmt == "csr" else 2
        self.sw = pr.empty() if pr.sw is None else pr.sw
        self.sqw = pr.empty() if pr.sqw is None else pr.sqw.astype(dt)
        self.Y = [np.ascontiguousarray(pr.Yc[:, t]) for t in range(pr.k)]
        self.dual_ok = pr.p > pr.n and bool(np.all(v > 0)) and _balanced(pr, v)
        self.A = [None] * pr.k          # dual unknowns, with the α they belong to
        self.A_alpha = [None] * pr.k
        # The kernels centre implicitly, Z u = X(d∘u) − (x̄ᵀ(d∘u)) 1: with a column mean far
        # beyond its spread the product loses about eps·|x̄|/σ of its digits (most of them in
        # float32), and so does the kernel's own measure of convergence.  Then the gradient
        # at the result is measured again, in float64 with numpy, so that stopping short of
        # tol is always reported.
        self.recheck = _offset_columns(pr).size > 0

    def start_from(self, B, alpha):
        """Next solve at `alpha` starts at B (k, p); the dual unknowns follow from it."""
        self.B[...] = B
        self.A = [None] * self.pr.k

    def _dual_start(self, t, a):
        pr = self.pr
        if self.A[t] is not None and self.A_alpha[t] > 0:
            return (self.A[t] * (self.A_alpha[t] / a)).astype(pr.dtype)
        b0 = self.B[t].astype(np.float64)
        if not np.any(b0):
            return np.zeros(pr.n, dtype=pr.dtype)
        r0 = _initial_residual(pr, t, b0).astype(np.float64)
        if pr.center:
            r0 -= r0 @ pr.sw / pr.W if pr.sw is not None else r0.mean()
        if pr.sqw is not None:
            r0 *= pr.sqw
        return (r0 / a).astype(pr.dtype)

    def solve(self, alphas, tol, max_iter):
        from fastridge import _cg_fast

        pr, v = self.pr, self.v
        max_iter = iteration_cap("cg", max_iter)
        n_iter = np.zeros(pr.k, dtype=np.intp)
        measure, tol_abs = np.zeros(pr.k), np.zeros(pr.k)
        data, indices, indptr = self.sparse
        for t in range(pr.k):
            a = float(alphas[t])
            dual = self.dual_ok and a > 0
            if dual and self.A[t] is None and np.any(self.B[t]):
                # a start given as b (warm start, extrapolated path point): if b already meets
                # the tolerance, keep it — the dual unknown rebuilt from b would not
                m, ta = _primal_gradient(pr, v, t, self.B[t].astype(np.float64), a, tol)
                if m <= ta:
                    measure[t], tol_abs[t] = m, ta
                    continue
            x = self._dual_start(t, a) if dual else self.B[t].copy()
            b_out = np.empty(pr.p, dtype=pr.dtype)
            m, ta, it = _cg_fast.ridge_cg(self.mode, self.Xd, data, indices, indptr, pr.n, pr.p,
                                          self.sw, self.sqw, pr.xbar, pr.d, pr.center,
                                          _preconditioner_diagonal(pr.h, a), v, a, self.Y[t],
                                          x, b_out, dual, unit_scale(pr.h, v, a), tol,
                                          max_iter, _config.num_threads())
            self.B[t] = b_out
            self.A[t], self.A_alpha[t] = (x, a) if dual else (None, None)
            if self.recheck:
                m, ta = _primal_gradient(pr, v, t, b_out.astype(np.float64), a, tol,
                                         with_floor=True)
            n_iter[t], measure[t], tol_abs[t] = it, m, ta
        return self.B.astype(np.float64), n_iter, {
            "solver": "cg", "measure": measure, "tol_abs": tol_abs}


class CGGramState:
    """Jacobi-preconditioned CG on the Gram form (G + αV) b = c, G = ZᵀWZ formed once (one
    pass over X).  For paths over tall data (n ≫ p): each iteration is then O(p²) instead of two
    passes over X.  Same warm-start protocol as `CGState`."""

    def __init__(self, pr, v, *, B0=None):
        self.pr, self.v = pr, v
        G, C = gram(pr)
        self.G, self.C = G.astype(np.float64), C.astype(np.float64)
        self.B = np.zeros((pr.k, pr.p)) if B0 is None else np.array(B0, dtype=np.float64)

    def start_from(self, B, alpha=None):
        self.B[...] = B

    def solve(self, alphas, tol, max_iter):
        pr, v, G = self.pr, self.v, self.G
        max_iter = iteration_cap("cg", max_iter)
        n_iter = np.zeros(pr.k, dtype=np.intp)
        measure, tol_abs = np.zeros(pr.k), np.zeros(pr.k)
        for t in range(pr.k):
            a, c, x = float(alphas[t]), self.C[:, t], self.B[t]
            d = _preconditioner_diagonal(np.diag(G), a) + a * v
            minv = np.where(d > 0, 1.0 / np.where(d > 0, d, 1.0), 1.0)
            jw = unit_scale(pr.h, v, a)
            tol_abs[t] = tol * np.linalg.norm(jw * c)
            r = c - (G @ x + a * v * x)
            it = 0
            while np.linalg.norm(jw * r) > tol_abs[t] and it < max_iter:
                z = minv * r
                p_ = z.copy()
                rz = r @ z
                while it < max_iter:
                    q = G @ p_ + a * v * p_
                    pq = p_ @ q
                    it += 1
                    if pq <= 0.0 or rz <= 0.0:
                        break
                    step = rz / pq
                    x += step * p_
                    r -= step * q
                    if np.linalg.norm(jw * r) <= tol_abs[t]:
                        break
                    z = minv * r
                    rz, rz_old = r @ z, rz
                    p_ = z + (rz / rz_old) * p_
                r = c - (G @ x + a * v * x)  # true residual: no drift can fake convergence
                if pq <= 0.0 or rz <= 0.0:
                    break
            n_iter[t], measure[t] = it, np.linalg.norm(jw * r)
        return self.B.copy(), n_iter, {"solver": "cg", "measure": measure, "tol_abs": tol_abs}


def _matvec64(X, u, transpose=False):
    """X u (or Xᵀ u) in float64; dense float32 X is converted a block of rows at a time, never
    as a whole (numpy would make a float64 copy of X for the mixed-type product)."""
    if X.dtype == np.float64 or not isinstance(X, np.ndarray):
        return np.asarray((X.T if transpose else X) @ u, dtype=np.float64).ravel()
    n, p = X.shape
    step = _config.block_rows(p)
    out = np.zeros(p) if transpose else np.empty(n)
    for i0 in range(0, n, step):
        block = X[i0:i0 + step].astype(np.float64)
        if transpose:
            out += block.T @ u[i0:i0 + step]
        else:
            out[i0:i0 + step] = block @ u
    return out


def _primal_gradient(pr, v, t, b, alpha, tol, with_floor=False):
    """(‖jw ∘ g(b)‖, tol · ‖jw ∘ g(0)‖) for target t, g(b) = Zᵀ W (y_c − Z b) − α V b, in
    float64 with numpy, jw = `unit_scale` (the iterative solvers' stopping rule).

    With `with_floor`, the second value also holds what rounding leaves of the gradient in any
    case — at the working precision, eps · (‖H‖ ‖b‖ + ‖W^½Z‖ ‖W^½y_c‖) with ‖H‖ ≤ Σ hⱼ + α max v
    and ‖W^½Z‖² ≤ Σ hⱼ; and in this float64 evaluation, whose centring is implicit too — both
    times max jw, which bounds their scaled norm."""
    X = pr.X
    y = pr.Yc[:, t].astype(np.float64)
    db = pr.d * b
    Xdb = _matvec64(X, db)
    shift = pr.xbar @ db if pr.center else 0.0
    r = y - (Xdb - shift)
    w = 1.0 if pr.sw is None else pr.sw.astype(np.float64)

    def zt_w(u):
        wu = w * u
        return pr.d * (_matvec64(X, wu, transpose=True) - pr.xbar * wu.sum())

    jw = unit_scale(pr.h, v, alpha)
    g = jw * (zt_w(r) - alpha * v * b)
    tol_abs = tol * float(np.linalg.norm(jw * zt_w(y)))
    floor = 0.0
    if with_floor:
        sw = np.sqrt(w) * np.ones(pr.n)
        trace = float(pr.h.sum())
        eps = np.finfo(pr.dtype).eps
        floor += eps * ((trace + alpha * float(v.max(initial=0.0))) * float(np.linalg.norm(b))
                          + np.sqrt(trace) * float(np.linalg.norm(sw * y)))
        size = pr.d * (np.abs(pr.xbar) * np.sqrt(pr.W) + np.sqrt(pr.ss))
        terms = np.abs(y) + np.abs(Xdb) + abs(shift)
        floor += np.finfo(np.float64).eps * pr.n * (
            float(np.linalg.norm(size)) * float(np.linalg.norm(sw * terms)))
    return float(np.linalg.norm(g)), tol_abs + floor * float(jw.max(initial=0.0))


def _preconditioner_diagonal(h, alpha):
    """The diagonal of ZᵀWZ used by CG's Jacobi preconditioner: `h` itself when α > 0.

    At α = 0 the least-squares solution need not be unique.  CG on the normal equations keeps
    its iterates in the row space of Z only with a scalar preconditioner (a diagonal one would
    make it converge to the solution of least weighted norm), so α = 0 uses the mean of the
    nonzero hⱼ for every column: from b = 0 (a cold fit), CG then converges to the
    minimum-norm least-squares solution, the one `solve_svd` returns; from a start b₀ (warm
    start), to the least-squares solution nearest b₀."""
    if alpha > 0:
        return h
    active = h > 0
    return np.where(active, h[active].mean() if active.any() else 0.0, 0.0)


def cg_state(pr, v, *, B0=None, gram=False):
    """The CG state for a problem: on the Gram (`CGGramState`) when asked (`gram`), for a
    problem given by statistics (no X), and when some column's mean exceeds its spread and the
    p × p Gram fits in memory; else on X (`CGState`).  The kernels on X centre implicitly and
    lose about eps·|x̄|/σ of every product to such a column (a timestamp column, values near
    2⁶⁴): their answer would be off by as much, with the loss hidden in the rounding floor of
    the convergence test, where the Gram is centred exactly."""
    if _policy.cg_on_gram(pr, _offset_columns(pr).size, asked=gram):
        return CGGramState(pr, v, B0=B0)
    return CGState(pr, v, B0=B0)


def solve_cg(pr, alphas, v, *, tol, max_iter, B0=None):
    return cg_state(pr, v, B0=B0).solve(alphas, tol, max_iter)
