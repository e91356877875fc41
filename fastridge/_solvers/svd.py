"""The SVD solver: exact, minimum-norm when the problem is singular, refined in double-double
where the columns' scales would cost digits."""
import numpy as np

from fastridge._dd import dd_centred_residual, dd_sum, dd_weighted_residual, two_prod
from fastridge._preprocessing import SolveResult
from fastridge._solvers.common import SolverSpec, alpha_groups

SPEC = SolverSpec("svd", frozenset({"rows", "stats"}), positive=False, alpha_zero=True,
                  warm_start=False, iterative=False)


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


def refine_extended(pr, X, y, w, coef):
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
            rh, rl = dd_centred_residual(X, y, w, coef)
        else:
            rh, rl = dd_weighted_residual(X, y, w, coef, 0.0)
        step = max(1, (4 * 1024**2) // max(1, n))
        for j0 in range(0, active.size, step):
            cols = active[j0:j0 + step]
            Xb = np.asarray(X[:, cols], dtype=np.float64)
            if pr.center:
                # centred before the products (x − x̄ is exact when x̄ is large against the
                # spread): Σ x r − x̄ Σ r would cancel the products' digits, eps·|x|·|r| each
                Xb = Xb - pr.xbar[cols]
            p_, e = two_prod(Xb, rh[:, None])
            g[cols] = dd_sum(p_, e + Xb * rl[:, None])
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
    for a, ts in alpha_groups(alphas):
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
            g = refine_extended(pr, X, Y[:, t], w, coef)
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
                    icpt2 = dd_sum(*dd_weighted_residual(X, Y[:, t], w, coef, 0.0)) / pr.W
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
    return SolveResult(B, None, "svd", intercept=intercepts if pr.center else None)


def pinv_solve(pr, a, v, targets):
    """Minimum-norm solution (len(targets), p) of (G + aV) b = C from a statistics-only
    Problem's Gram.  The eigendecomposition is of the equilibrated S(G + aV)S (S the inverse
    square roots of its diagonal), whose accuracy does not depend on the columns' units; when
    the system is singular (α = 0 with dependent columns, an unpenalized column without
    spread), the minimum-norm solution in b itself comes from the unscaled one."""
    G = pr.G0 * pr.d[:, None] * pr.d[None, :] + np.diag(a * v)
    C = (pr.C0 * pr.d[:, None])[:, targets]
    dg = G.diagonal()
    if np.all(dg > 0):
        s = 1.0 / np.sqrt(dg)
        lam, Q = np.linalg.eigh(G * s[:, None] * s[None, :])
        if lam.min() > lam.max() * lam.size * np.finfo(np.float64).eps * 10:  # full rank
            return (s[:, None] * (Q @ ((Q.T @ (s[:, None] * C)) / lam[:, None]))).T
    lam, Q = np.linalg.eigh(G)
    keep = lam > max(lam.max(initial=0.0), 0.0) * lam.size * np.finfo(np.float64).eps * 10
    Qk = Q[:, keep]
    return (Qk @ ((Qk.T @ C) / lam[keep][:, None])).T


def solve(pr, alphas, v, *, positive=False, tol=None, max_iter=None, B0=None):
    """The SVD of the design (rows), or the eigendecomposition of the Gram (statistics: without
    the rows its accuracy is that of the Gram)."""
    if pr.X is not None:
        return solve_svd(pr, alphas, v)
    B = np.zeros((pr.k, pr.p))
    for a, ts in alpha_groups(alphas):
        B[ts] = pinv_solve(pr, a, v, ts)
    return SolveResult(B, None, "svd")
