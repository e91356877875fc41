"""Out-of-fold predictions and the jackknife+ and CV+ prediction intervals of Barber, Candès,
Ramdas and Tibshirani (2021), "Predictive inference with the jackknife+", Ann. Statist. 49(1).

Jackknife+ without n refits.  With the intercept as a column x̃ = (1, x) (unpenalized) and
A = X̃ᵀWX̃ + α diag(0, penalty), the weighted ridge fit without row i follows from the full fit by
a rank-one downdate (Sherman–Morrison):

    β̂₋ᵢ = β̂ − A⁻¹ x̃ᵢ wᵢ eᵢ / (1 − hᵢᵢ),    so    μ̂₋ᵢ(x) = μ̂(x) − wᵢ eᵢ⁽ˡᵒᵒ⁾ · x̃ᵀA⁻¹x̃ᵢ

with eᵢ⁽ˡᵒᵒ⁾ = yᵢ − μ̂₋ᵢ(xᵢ) the leave-one-out residual (`selection.LeaveOneOut`) and, in the
coordinates of the spectral decomposition Ẑ = U S Vᵣᵀ of `fastridge._spectral` (E = V^{-1/2}
diag(d) Vᵣ, p × r, z(x) = (x − x̄)ᵀE),

    x̃ᵀA⁻¹x̃ᵢ = 1/W + Σⱼ z(x)ⱼ z(xᵢ)ⱼ / (sⱼ² + α)          (1/W only with an intercept)

(the centred parametrization makes A block-diagonal; xᵢ − x̄ lies in Ẑ's row space, so the
directions the data do not reach contribute nothing).  z(xᵢ) = uᵢ s / √wᵢ comes from the
decomposition already made, so m test rows cost O(m·(p + n)·r) and an m × n matrix, blocked.
"Leave one out" is LeaveOneOut's: the weighted fit without row i, intercept re-fitted, the
column scaling of ``standardize=True`` kept from all the rows.

The intervals, for the n training rows of positive weight, Rᵢ = |eᵢ⁽ˡᵒᵒ⁾| and a coverage level
1 − a (Barber et al., eq. (6)):

    lower(x) = the ⌊a(n+1)⌋-th smallest of μ̂₋ᵢ(x) − Rᵢ,
    upper(x) = the ⌈(1−a)(n+1)⌉-th smallest of μ̂₋ᵢ(x) + Rᵢ,

−∞ (+∞) when that rank is below 1 (above n): n < 1/a − 1 rows cannot give a finite interval.
CV+ (their section 3) is the same with μ̂₋ᵢ the model of the fold that holds row i out and Rᵢ its
out-of-fold residual.  Both cover a new y with probability ≥ 1 − 2a for exchangeable rows
(CV+: less a small term in K and n, see their section on CV+), ≈ 1 − a in practice.
"""
import math

import numpy as np

from fastridge import _config, _preprocessing as P
from fastridge._engine.selection import loo_ratio

METHODS = ("jackknife+", "cv+")


def plus_rank(n, coverage):
    """The rank ⌈coverage·(n + 1)⌉ of the upper bound among n values (1-based; > n means an
    infinite interval).  A product within 1e-12 (relative) of an integer counts as that
    integer, so that 0.9·50 is 45 whatever the last bit of 0.9."""
    t = coverage * (n + 1)
    r = round(t)
    return int(r) if abs(t - r) <= 1e-12 * t else int(math.ceil(t))


def plus_bounds(M, R, rank):
    """Lower and upper jackknife+ bounds (b,) from the leave-out predictions M (b, n) at b test
    rows and the residuals R (n,): the (n + 1 − rank)-th smallest of M − R and the rank-th
    smallest of M + R."""
    b, n = M.shape
    if rank > n:
        return np.full(b, -np.inf), np.full(b, np.inf)
    lo = np.partition(M - R, n - rank, axis=1)[:, n - rank]
    hi = np.partition(M + R, rank - 1, axis=1)[:, rank - 1]
    return lo, hi


def loo_residuals(loo, Y, alphas):
    """Leave-one-out residuals yᵢ − μ̂₋ᵢ(xᵢ) (n, m, k) for each α of `alphas` (one α for all
    targets), from `loo` (a `selection.LeaveOneOut`); rows of weight 0 get the full fit's
    residual (no fit sees them: leaving one out changes nothing)."""
    n, k = Y.shape
    Y = np.asarray(Y, dtype=np.float64)
    out = np.empty((n, alphas.size, k))
    zero = np.flatnonzero(~loo.pos)
    block = _config.block_rows(n * k, minimum=1, budget="loo_memory")
    for start in range(0, alphas.size, block):
        a = alphas[start:start + block]
        ratio = loo_ratio(loo.U, loo.U2, loo.r0, loo.M, loo.interp, loo.c, loo.sp.s2, a)
        out[:, start:start + a.size] = loo.errors(ratio)
    for j, alpha in enumerate(alphas):
        if zero.size:
            out[zero, j] = Y[zero] - loo._full_fit_rows(zero, alpha)
    return out


class JackknifePlus:
    """The state jackknife+ needs at the chosen α (one per target, `alphas` (k,)) after a
    leave-one-out fit: the full fit, the rows' coordinates z(xᵢ) (n₊ × r, rows of positive
    weight), their downdate weights wᵢ eᵢ⁽ˡᵒᵒ⁾ and residuals |eᵢ⁽ˡᵒᵒ⁾| (see the module
    docstring)."""

    method = "jackknife+"

    def __init__(self, loo, Y, alphas):
        pr, sp = loo.pr, loo.sp
        if sp.q:
            raise ValueError("jackknife+ intervals are not available with unpenalized "
                             "directions (a zero penalty factor, or the null space of a "
                             "penalty_matrix); use k-fold cross-validation (CV+), e.g. cv=5.")
        k = Y.shape[1]
        pos = loo.pos
        self.E = (sp.Vr * sp.scale[:, None]) * pr.d[:, None]            # p × r
        self.zbar = np.asarray(pr.xbar, dtype=np.float64) @ self.E       # x̄ᵀE (0 without)
        s = np.sqrt(sp.s2)
        self.Z = loo.U[pos] * (s / loo.sqw[pos][:, None])                # z(xᵢ) (n₊ × r)
        self.s2 = sp.s2
        self.c0 = 1.0 / pr.W if pr.center else 0.0
        self.alphas = np.asarray(alphas, dtype=np.float64)
        e = np.empty((int(pos.sum()), k))
        for a in np.unique(self.alphas):      # the residuals at each target's α
            on = self.alphas == a
            e[:, on] = loo_residuals(loo, Y, np.array([a]))[pos, 0][:, on]
        self.g = loo.w[pos][:, None] * e                                 # wᵢ eᵢ⁽ˡᵒᵒ⁾
        self.R = np.abs(e)
        self.coef, self.intercept = P.to_raw(pr, sp.coef(self.alphas))  # the full fit
        self.n = self.Z.shape[0]

    def leave_out(self, X, t):
        """μ̂₋ᵢ(x) (b, n₊) for target t at the rows of X (b, p)."""
        mu = np.asarray(X @ self.coef[t], dtype=np.float64) + self.intercept[t]
        zx = np.asarray(X @ self.E, dtype=np.float64) - self.zbar
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = np.where(self.s2 + self.alphas[t] > 0, 1.0 / (self.s2 + self.alphas[t]), 0.0)
        K = (zx * inv) @ self.Z.T + self.c0                              # x̃ᵀA⁻¹x̃ᵢ
        return mu[:, None] - K * self.g[:, t]


class CVPlus:
    """The state CV+ needs at the chosen α: each fold's model (from its path, no refit), the
    fold holding out each row of positive weight and that row's out-of-fold residual."""

    method = "cv+"

    def __init__(self, folds, models, values, Y, sw, desc, alphas):
        n, k = Y.shape
        pos = np.ones(n, dtype=bool) if sw is None else np.asarray(sw) > 0
        owner = np.full(n, -1, dtype=np.intp)
        count = np.zeros(n, dtype=np.intp)
        for j, (_, test) in enumerate(folds):
            owner[test] = j
            count[test] += 1
        self.usable = bool(np.all(count[pos] == 1))   # CV+ needs each row in one test fold
        self.alphas = np.asarray(alphas, dtype=np.float64)
        F = len(folds)
        p = None
        coef, icpt = {}, {}
        for j, runs in models.items():   # runs: one (alphas, coef, intercept) per path call
            for a_run, c_run, i_run in runs:
                for t, a in enumerate(self.alphas):
                    hit = np.flatnonzero(a_run == a)
                    if hit.size:
                        coef[j, t], icpt[j, t] = c_run[hit[0], t], i_run[hit[0], t]
                        p = c_run.shape[2]
        self.coef = np.zeros((k, F, p or 0))
        self.intercept = np.zeros((k, F))
        for (j, t), c in coef.items():
            self.coef[t, j], self.intercept[t, j] = c, icpt[j, t]
        e = np.empty((int(pos.sum()), k))
        for t, a in enumerate(self.alphas):
            i = int(np.flatnonzero(desc == a)[0])
            e[:, t] = np.asarray(Y, dtype=np.float64)[pos, t] - values[pos, i, t]
        self.owner = owner[pos]
        self.R = np.abs(e)
        self.n = self.owner.size

    def leave_out(self, X, t):
        """μ̂₋ₖ₍ᵢ₎(x) (b, n₊) for target t at the rows of X (b, p)."""
        fold_pred = np.asarray(X @ self.coef[t].T, dtype=np.float64) + self.intercept[t]
        return fold_pred[:, self.owner]


def intervals(state, X, coverage):
    """(lower, upper), each (b, k), of `state`'s method at the rows of X (validated, 2-D),
    blocked so that the b × n matrices stay within the working memory."""
    b, n = X.shape[0], state.n
    k = state.R.shape[1]
    rank = plus_rank(n, coverage)
    lower, upper = np.empty((b, k)), np.empty((b, k))
    step = _config.block_rows(4 * max(n, 1), minimum=1, budget="working_memory")
    for start in range(0, b, step):
        Xb = X[start:start + step]
        Xb = Xb.astype(np.float64) if Xb.dtype != np.float64 else Xb
        for t in range(k):
            lo, hi = plus_bounds(state.leave_out(Xb, t), state.R[:, t], rank)
            lower[start:start + step, t], upper[start:start + step, t] = lo, hi
    return lower, upper
