"""Coordinate descent: on the residuals over X, or on the Gram (tall data, statistics)."""
import numpy as np

from fastridge import _config, _policy
from fastridge._design import gram, initial_residual, offset_columns
from fastridge._preprocessing import SolveResult
from fastridge._solvers.common import SolverSpec, iteration_cap, unit_scale
from fastridge._solvers.linalg import reliable_cho


class CDState:
    """Coordinate descent carrying its state (b, residuals or the Gram) from one α to the next.

    Created once per problem; each `solve(alphas)` warm-starts from the current coefficients and,
    for the residual form, from the current residuals, so a path costs no O(np) restart work.
    """

    def __init__(self, pr, v, *, positive, limits=None, B0=None):
        self.pr, self.v, self.positive = pr, v, bool(positive)
        self.limits = limits
        self.lower, self.upper = fit_bounds(pr, positive, limits)
        self.B = np.zeros((pr.k, pr.p), dtype=pr.dtype) if B0 is None \
            else np.array(B0, dtype=pr.dtype)
        self.gram_form = _policy.use_gram_cd(pr, offset_columns(pr).size)
        if self.gram_form:
            self.G, C = gram(pr)
            self.C = [np.ascontiguousarray(C[:, t]) for t in range(pr.k)]
            self.g0 = C.astype(np.float64)
            return
        self.X = np.asfortranarray(pr.X) if pr.fmt == "dense" else pr.csc()
        from fastridge._view import Design

        self.design = Design(self.X, pr.xbar, pr.d, pr.center, sw=pr.sw)
        self.Y = [np.ascontiguousarray(pr.Yc[:, t]) for t in range(pr.k)]
        self.R = [initial_residual(pr, t, self.B[t]) for t in range(pr.k)]
        Yw = pr.Yc.astype(np.float64)
        if pr.sw is not None:
            Yw = Yw * pr.sw[:, None]
        G0 = (np.asarray(self.X.T @ Yw) - np.outer(pr.xbar, Yw.sum(axis=0))) * pr.d[:, None]
        self.g0 = G0                    # the gradient at b = 0, (p, k)

    def start_from(self, B, alpha=None):
        """Next solve starts at B (k, p) (the kernels recompute the residual from b at their
        first convergence check, so nothing else needs updating)."""
        self.B[...] = B

    def boxed(self):
        """Whether every active coefficient has a finite lower and upper bound (then α = 0
        leaves a bounded problem whatever the rank of X)."""
        if self.lower is None:
            return False
        act = self.pr.d != 0
        return bool(np.all(np.isfinite(self.lower[act])) and np.all(np.isfinite(self.upper[act])))

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
                        reliable_cho(np.array(G, dtype=np.float64),
                                      eps=np.finfo(pr.dtype).eps)
                    except LinAlgError:
                        self.unique = False
                else:
                    self.unique = False  # cannot check: refuse rather than guess
        if not self.unique and self.limits is not None:
            raise ValueError(
                "alpha=0 with lower_limits/upper_limits needs a finite lower and upper limit "
                "on every coefficient, or X of full column rank (this X is rank deficient, or "
                "too large to check its rank): otherwise the least-squares solution is not "
                "unique and can run off along a direction the limits leave open. Box every "
                "coefficient, or use a positive alpha.")
        if not self.unique:
            raise ValueError(
                "solver='cd' cannot solve alpha=0 when X is rank deficient (or too large to "
                "check its rank): the least-squares solution is then not unique and coordinate "
                "descent does not find the minimum-norm one. Use solver='svd' (exact, minimum "
                "norm), 'cg' or 'auto', or a positive alpha.")

    def solve(self, alphas, tol, max_iter):
        from fastridge import _cd_fast

        pr, v = self.pr, self.v
        # α = 0: refused on rank-deficient X unless every coefficient is boxed (with limits)
        # or positive=True without limits (as before limits existed)
        bounded = self.boxed() if self.limits is not None else self.positive
        if np.any(np.asarray(alphas) == 0.0) and not bounded:
            self.require_unique()
        if self.lower is not None:
            # a start outside the box (a warm start from an unconstrained fit) is projected:
            # the kernels' stopping test assumes a feasible b
            np.clip(self.B, self.lower, self.upper, out=self.B)
        max_iter = iteration_cap("cd", max_iter)
        n_iter = np.zeros(pr.k, dtype=np.intp)
        measure, tol_abs = np.zeros(pr.k), np.zeros(pr.k)
        for t in range(pr.k):
            a, b = float(alphas[t]), self.B[t]
            jw = unit_scale(pr.h, v, a)
            t0 = tol * float(np.linalg.norm(jw * self.g0[:, t]))
            if self.gram_form:
                m, ta, it = _cd_fast.ridge_cd_gram(self.G, self.C[t], v, a, b, self.positive,
                                                   jw, t0, max_iter, self.lower, self.upper)
            else:
                m, ta, it = _cd_fast.ridge_cd(self.design, self.Y[t], b, self.R[t], alpha=a,
                                              v=v, h=pr.h, jw=jw, W=pr.W,
                                              positive=self.positive, lower=self.lower,
                                              upper=self.upper, tol_abs=t0,
                                              max_iter=max_iter)
            n_iter[t], measure[t], tol_abs[t] = it, m, ta
        return SolveResult(self.B.astype(np.float64), n_iter, "cd", measure, tol_abs)


def fit_bounds(pr, positive, limits):
    """Raw-scale box limits (lower, upper) → the box in fit coordinates, b = β/d: (lo, hi)
    float64 (p,) rounded to the working precision (so that a coordinate the kernel clamps sits
    exactly on its bound), with lo ≥ 0 for `positive`; (None, None) without limits.  A column
    with d = 0 (constant or excluded) keeps b = 0: its box is [0, 0]."""
    if limits is None:
        return None, None
    d = pr.d
    act = d != 0
    safe = np.where(act, d, 1.0)
    with np.errstate(over="ignore"):
        lo = np.where(act, limits[0] / safe, 0.0)
        hi = np.where(act, limits[1] / safe, 0.0)
        lo = lo.astype(pr.dtype).astype(np.float64)
        hi = hi.astype(pr.dtype).astype(np.float64)
    if positive:
        lo = np.maximum(lo, 0.0)
    return lo, hi


SPEC = SolverSpec("cd", frozenset({"rows", "stats"}), positive=True, alpha_zero=False,
                  warm_start=True, iterative=True, limits=True)


def solve(pr, alphas, v, *, positive=False, limits=None, tol=1e-6, max_iter=None, B0=None):
    """Coordinate descent from B0 (or 0) at each target's α, within the raw-scale box
    `limits` = (lower, upper) when given."""
    return CDState(pr, v, positive=positive, limits=limits, B0=B0).solve(alphas, tol, max_iter)


def state(pr, v, *, positive=False, limits=None):
    """The state a path carries from one α to the next (within the box `limits`)."""
    return CDState(pr, v, positive=positive, limits=limits)
