"""Shared test data and float64 oracles (closed forms computed independently of fastridge)."""
import contextlib
import os

import numpy as np
import pytest

SOLVERS = ("cholesky", "svd", "cd", "cg")

# ---------------------------------------------------------------------------------- hypothesis
# "ci" (the default): deterministic, so a failure reproduces on every run and machine, with
# each property test's example count as written.  FASTRIDGE_HYPOTHESIS_PROFILE=thorough runs
# 20 times as many random (not derandomized) examples, for a long local search.
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover - hypothesis is a test requirement
    settings = None
else:
    _HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
    settings.register_profile("ci", derandomize=True, deadline=None, database=None,
                              print_blob=True, suppress_health_check=_HEALTH)
    settings.register_profile("thorough", derandomize=False, deadline=None, database=None,
                              print_blob=True, suppress_health_check=_HEALTH)
    settings.load_profile(os.environ.get("FASTRIDGE_HYPOTHESIS_PROFILE", "ci"))

EXAMPLE_SCALE = {"thorough": 20}.get(os.environ.get("FASTRIDGE_HYPOTHESIS_PROFILE", "ci"), 1)


def examples(n):
    """A property test's example count: `n` in the CI profile, scaled for a thorough run."""
    return int(n * EXAMPLE_SCALE)


def make_data(n=60, p=8, k=None, *, cond=10.0, offset=3.0, noise=0.1, seed=0):
    """Well-conditioned X with a chosen spectrum (singular values from 1 to 1/cond of the centred
    design), column means `offset`·j, and y = Xβ + β₀ + noise.  k targets when k is not None."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((n, min(n, p))))
    U -= U.mean(axis=0)
    Vt, _ = np.linalg.qr(rng.standard_normal((p, p)))
    s = np.geomspace(1.0, 1.0 / cond, min(n, p)) * np.sqrt(n)
    X = (U * s) @ Vt[: min(n, p)] + offset * np.arange(1, p + 1)
    kk = 1 if k is None else k
    beta = rng.standard_normal((p, kk))
    Y = X @ beta + rng.standard_normal(kk) + noise * rng.standard_normal((n, kk))
    return X, (Y[:, 0] if k is None else Y)


def ridge_oracle(X, y, alpha, *, sample_weight=None, fit_intercept=True, standardize=False,
                 penalty_factor=None):
    """Closed-form weighted ridge in float64: explicit centring and scaling, then solve."""
    X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    Y = y[:, None] if y.ndim == 1 else y
    n, p = X.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    v = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=np.float64)
    alphas = np.broadcast_to(np.asarray(alpha, dtype=np.float64), (Y.shape[1],))
    if fit_intercept:
        xm = w @ X / w.sum()
        ym = w @ Y / w.sum()
    else:
        xm = np.zeros(p)
        ym = np.zeros(Y.shape[1])
    Xc, Yc = X - xm, Y - ym
    # standardize: the weighted population SD about the weighted mean, with or without an
    # intercept (glmnet; scikit-learn's StandardScaler(with_mean=False))
    Xd = X - w @ X / w.sum()
    scale = np.sqrt(w @ (Xd * Xd) / w.sum()) if standardize else np.ones(p)
    Z = Xc / scale
    coef = np.empty((Y.shape[1], p))
    for t, a in enumerate(alphas):
        b = np.linalg.solve(Z.T @ (w[:, None] * Z) + a * np.diag(v), Z.T @ (w * Yc[:, t]))
        coef[t] = b / scale
    intercept = ym - coef @ xm
    if y.ndim == 1:
        return coef[0], intercept[0]
    return coef, intercept


def containers():
    """(name, converter) for every input kind the estimator takes."""
    out = [("dense_C", np.ascontiguousarray), ("dense_F", np.asfortranarray)]
    try:
        import scipy.sparse as sp
    except ImportError:  # pragma: no cover
        return out
    for fmt in ("csr", "csc", "coo"):
        out.append((f"{fmt}_matrix", getattr(sp, f"{fmt}_matrix")))
        out.append((f"{fmt}_array", getattr(sp, f"{fmt}_array")))
    return out


CONTAINERS = containers()


@pytest.fixture(params=CONTAINERS, ids=[c[0] for c in CONTAINERS])
def container(request):
    return request.param[1]


def rtol_for(dtype):
    return 2e-4 if np.dtype(dtype) == np.float32 else 1e-7


# ------------------------------------------------------------------ exact oracle and KKT checks
class Exact:
    """The ridge problem of the API contract set up explicitly in float64 numpy, independently of
    fastridge: weighted centring and scaling, the fit coordinates Z = (X − x̄) diag(d), the
    Hessian H = ZᵀWZ + αV over the active (non-constant) columns and its condition number.

    `solve(t)` gives the exact solution (np.linalg.solve when H is comfortably nonsingular, the
    minimum-norm least-squares solution of the augmented system otherwise); `kkt(coef, b0, t)`
    the gradient of the objective at a returned solution, computed from the raw data.
    """

    def __init__(self, X, Y, alphas, *, sample_weight=None, penalty_factor=None,
                 fit_intercept=True, standardize=False):
        X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
        Y = np.asarray(Y, dtype=np.float64)
        self.Y = Y[:, None] if Y.ndim == 1 else Y
        n, p = X.shape
        self.X, self.n, self.p, self.k = X, n, p, self.Y.shape[1]
        self.w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float)
        self.v = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, float)
        self.alphas = np.broadcast_to(np.asarray(alphas, dtype=np.float64), (self.k,))
        w, W = self.w, self.w.sum()
        pos = w > 0
        self.xm = w @ X / W if fit_intercept else np.zeros(p)
        self.ym = w @ self.Y / W if fit_intercept else np.zeros(self.k)
        Xc = X - self.xm
        # constant columns (all equal on the rows that count, or all zero without intercept
        # and without standardize: standardize divides by the SD about the mean, 0 for them)
        if fit_intercept or standardize:
            self.active = np.ptp(X[pos], axis=0) > 0
        else:
            self.active = np.any(X[pos] != 0, axis=0)
        Xd = X - w @ X / W
        sd = np.sqrt(w @ (Xd * Xd) / W)
        scale = np.where(self.active, sd if standardize else 1.0, 1.0)
        self.d = np.where(self.active, 1.0 / scale, 0.0)
        self.Z = Xc * self.d
        self.Yc = self.Y - self.ym
        self.G = self.Z.T @ (w[:, None] * self.Z)
        self.C = self.Z.T @ (w[:, None] * self.Yc)
        self.g0 = np.linalg.norm(self.C, axis=0)
        self.norm_Z = np.linalg.norm(np.sqrt(w)[:, None] * self.Z, 2) if n and p else 0.0
        self.norm_y = np.linalg.norm(np.sqrt(w)[:, None] * self.Yc, axis=0)

    def hessian(self, t):
        act = self.active
        return (self.G + self.alphas[t] * np.diag(self.v))[np.ix_(act, act)]

    def cond(self, t, scaled=False):
        """Condition number of H on the active columns (inf when singular); with `scaled`, of
        V^-½ H V^-½, the Hessian in the coordinates u = √v∘b in which the spectral, kernel and
        SVD forms work (when every factor is positive)."""
        if not self.active.any():
            return 1.0
        H = self.hessian(t)
        if scaled:
            v = self.v[self.active]
            if not np.all(v > 0):
                return 1.0
            H = H / np.sqrt(v)[:, None] / np.sqrt(v)[None, :]
        ev = np.linalg.eigvalsh(H)
        return float(ev.max() / ev.min()) if ev.min() > 1e-13 * ev.max() else np.inf

    def coef_limit(self, t, eps, tol=0.0):
        """Bound on the relative error of the fit-coordinate coefficients of a solver working at
        precision `eps` to a relative gradient `tol`: cond · (eps · (ρ + ψ) + tol), cond that of
        H in b or in u = √v∘b (a solver may work in either), ρ the amplification of rounding
        in ZᵀWy (‖|Z|ᵀW|y|‖ / ‖ZᵀWy_c‖: cancellation in the right-hand side) and ψ that of the
        centring (largest |x̄ⱼ| / σⱼ), times a constant."""
        act = self.active
        if not act.any():
            return 0.0
        absZ = np.abs(self.Z[:, act])
        rho = np.linalg.norm(absZ.T @ (self.w * np.abs(self.Y[:, t]))) / max(
            np.linalg.norm(self.C[act, t]), 1e-300)
        psi = self.offset()
        kappa = max(self.cond(t), self.cond(t, scaled=True))
        return 1000.0 * np.sqrt(self.p) * kappa * (eps * (1.0 + rho + psi) + tol)

    def offset(self):
        """ψ = max |x̄ⱼ| / σⱼ over the active columns: implicit centring, (X − 1x̄ᵀ)u computed
        as Xu − 1(x̄ᵀu), perturbs Z by about eps·ψ relatively."""
        act = self.active
        if not act.any():
            return 0.0
        sd = np.sqrt(self.w @ (self.Z[:, act] ** 2) / self.w.sum()) / self.d[act]
        return float(np.max(np.abs(self.xm[act]) / sd))

    def solve(self, t):
        """Fit-coordinate coefficients b (p,) for target t (0 on constant columns)."""
        act, b = self.active, np.zeros(self.p)
        if not act.any():
            return b
        H = self.hessian(t)
        s = 1.0 / np.sqrt(np.diag(H))  # Jacobi scaling: columns in any units
        Hs = H * s[:, None] * s[None, :]
        ev = np.linalg.eigvalsh(Hs)
        if ev.min() > 1e-10 * ev.max():
            b[act] = s * np.linalg.solve(Hs, s * self.C[act, t])
            return b
        sw = np.sqrt(self.w)
        A = np.vstack([sw[:, None] * self.Z[:, act],
                       np.diag(np.sqrt(self.alphas[t] * self.v[act]))])
        r = np.concatenate([sw * self.Yc[:, t], np.zeros(act.sum())])
        b[act] = np.linalg.lstsq(A, r, rcond=None)[0]
        return b

    def to_fit(self, coef):
        """Raw-scale coefficients → fit coordinates b = coef / d."""
        coef = np.asarray(coef, dtype=np.float64)
        return np.where(self.active, coef / np.where(self.active, self.d, 1.0), 0.0)

    def kkt(self, coef, intercept, t):
        """(‖gradient in fit coordinates‖, |Σ w r| / its rounding scale) at a raw-scale solution
        (coef (p,), intercept), the gradient being Zᵀ W r − α V b with r = y − X coef − b0."""
        coef = np.asarray(coef, dtype=np.float64)
        r = self.Y[:, t] - self.X @ coef - float(intercept)
        g = self.Z.T @ (self.w * r) - self.alphas[t] * self.v * self.to_fit(coef)
        g[~self.active] = 0.0
        scale = self.w @ (np.abs(self.Y[:, t]) + np.abs(self.X) @ np.abs(coef)
                          + abs(float(intercept))) + 1e-300
        return float(np.linalg.norm(g)), abs(float(self.w @ r)) / scale

    def g0_bound(self, t):
        """The iterative solvers stop when ‖g ∘ s‖ ≤ tol · ‖g(0) ∘ s‖, sⱼ = 1/√Dⱼ with
        D = diag H (every column at unit scale); then ‖g‖ ≤ max √D · ‖g ∘ s‖, so this value
        times tol bounds ‖g‖ (it is `g0` when every Dⱼ is the same)."""
        act = self.active
        if not act.any():
            return 0.0
        D = np.diag(self.hessian(t))
        s = np.where(D > 0, 1.0 / np.sqrt(np.where(D > 0, D, 1.0)), 0.0)
        return float(np.sqrt(D.max()) * np.linalg.norm(s * self.C[act, t]))

    def rounding_bound(self, coef, intercept, t, eps):
        """What rounding alone may leave of the gradient at a solution: at the solver's
        precision `eps`, eps · (1 + ψ) · (‖H‖ ‖b‖ + ‖W^½Z‖ ‖W^½y_c‖) (ψ: `offset`, for solvers
        that centre implicitly); and in `kkt` itself, whose residual
        y − Xβ − β₀ cancels terms of size |y| + |X||β| + |β₀| in float64.  Times a modest
        constant for the sums involved."""
        coef = np.asarray(coef, dtype=np.float64)
        b = self.to_fit(coef)
        H = self.norm_Z ** 2 + self.alphas[t] * self.v.max(initial=0.0)
        c = 50.0 * np.sqrt(self.n + self.p)
        terms = np.abs(self.Y[:, t]) + np.abs(self.X) @ np.abs(coef) + abs(float(intercept))
        own = self.norm_Z * np.linalg.norm(np.sqrt(self.w) * terms)
        alpha, v = self.alphas[t], self.v[self.active]
        # solvers working in the coordinates u = √v∘b (spectral, kernel and SVD forms) are
        # backward stable there: back in b, the bound grows by the spread of the factors
        spread = v.max() / v[v > 0].min() if np.any(v > 0) else 1.0
        bound = spread * eps * (1.0 + self.offset()) * (
            H * np.linalg.norm(b) + self.norm_Z * self.norm_y[t])
        if self.p > self.n and alpha > 0 and v.size and v.min() > 0:
            # p > n: a solver may work on the kernel system (K + αI) a = W^½ y_c, with
            # K = Z V⁻¹ Zᵀ and a = W^½ r / α; rounding there reaches the gradient through Zᵀ
            r = self.Y[:, t] - self.X @ coef - float(intercept)
            a = np.linalg.norm(np.sqrt(self.w) * r) / alpha
            bound += spread * eps * self.norm_Z * (self.norm_Z ** 2 / v.min() + alpha) * a
        return c * (bound + np.finfo(np.float64).eps * own)


@contextlib.contextmanager
def process_cluster_client():
    """A `distributed.Client` on a local cluster of 2 single-threaded worker processes (the
    Dask tests' real cluster; distributed is imported only here, when a test asks for it)."""
    import distributed

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None,
                                       memory_limit="1GiB")
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()
