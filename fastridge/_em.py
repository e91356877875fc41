"""RidgeEM: ridge regression with α chosen by maximizing the marginal likelihood (evidence).

The model, in the fit coordinates of `_preprocessing` (Z = (X − 1x̄ᵀ)diag(d), centred targets):

    yᵢ = β₀ + zᵢᵀb + εᵢ,   εᵢ ~ N(0, σ²),   b ~ N(0, σ²/α · I),   β₀ flat (unpenalized)

Sample weights count observations: the likelihood is Πᵢ N(yᵢ | β₀ + zᵢᵀb, σ²)^{wᵢ}, so an
integer weight k is exactly k repeated rows and a zero weight deletes the row.  Its dependence on
(β₀, b) is that of precision weights wᵢ/σ²; the number of observations it counts is Σwᵢ.

With Ẑ = W^{1/2}Z = U S Vᵣᵀ (rank r, s² = diag(S)²) and ỹ = W^{1/2}y_c, c = Uᵀỹ and the part of
‖ỹ‖² outside the column space R₀ = ‖ỹ‖² − ‖c‖², integrating b and β₀ out gives

    log p(y | α, σ²) = −½ [ N log(2πσ²) + Σⱼ log(1 + s²ⱼ/α) + Q(α)/σ² + log W ]
    Q(α) = ỹᵀ(I + ẐẐᵀ/α)⁻¹ỹ = R₀ + Σⱼ c²ⱼ α/(s²ⱼ + α)

with W = Σwᵢ and N = W − 1 degrees of freedom when `fit_intercept` (the flat intercept integrated
out takes one; the log W term is its normalization), N = W and no log W term otherwise.  The
maximizing σ² for a given α is Q(α)/N; the profiled log evidence

    ℓ(t) = −(N/2) log Q(α) − ½ Σⱼ log(1 + s²ⱼ/α),   t = log α,

is stationary exactly where MacKay's fixed point holds, α = γ Q/(N‖b‖²) = γ E_D/((N − γ)‖b‖²)
(γ = Σ s²/(s² + α) the effective degrees of freedom, b the posterior mean, E_D its weighted
residual sum of squares): the fixed points of the EM / evidence updates.  Plain substitution into
that fixed point converges only linearly (hundreds of iterations on wide or noisy problems) and
runs off to infinity when the evidence is largest at α = ∞, so this module instead

1. evaluates ℓ on a log-spaced grid of α spanning 10⁻¹⁵…10¹⁵ × the largest s² (global search:
   the evidence need not be unimodal; ties within rounding go to the larger α, which is kept
   as it is: the evidence does not identify α there), then
2. solves ℓ'(t) = 0 by Newton's method in t = log α with exact O(r) derivatives, safeguarded by
   bisection inside the bracket of the best grid point (quadratic convergence, typically 3-6
   iterations; `n_iter_` counts them).

Everything after the single spectral decomposition (`_spectral.spectrum`) costs O(r·k) per grid
point or iteration.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fastridge import _docs, _policy, _validation as V
from fastridge._base import RegressorBase, linear_predict, set_linear_fit, unchanged_on_failure
from fastridge._engine.fit import LinearFit
from fastridge._lazy import load_engine
from fastridge._linear import generalized_fit, generalized_requested
from fastridge.exceptions import ConvergenceWarning, warn

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from fastridge._typing import MatrixLike

#: α is searched in [s²_max / ALPHA_SPAN, s²_max · ALPHA_SPAN] (s²_max: the largest eigenvalue of
#: ẐᵀẐ; 1 when Ẑ = 0).  The upper end stands for α = ∞ (coefficients shrunk by a factor ≥ 10¹⁵
#: relative to least squares), the lower end for α = 0 (noise-free data).
ALPHA_SPAN = 1e15
#: Grid points per decade of α in the global search.
GRID_PER_DECADE = 4
#: Grid values of ℓ within this relative distance of the best count as ties (the larger α wins).
TIE_RTOL = 1e-10


# --------------------------------------------------------------------------- the evidence

class _Evidence:
    """The profiled log evidence and its derivatives in t = log α, for k targets at once.

    s2 (r,), c2 (r, k) = (Uᵀỹ)², R0 (k,), N (degrees of freedom), logW (the intercept's term, 0
    without an intercept).
    """

    def __init__(self, s2, c2, R0, N, logW):
        self.s2, self.c2, self.R0, self.N, self.logW = s2, c2, R0, N, logW

    def _fractions(self, alpha):
        S = self.s2[:, None]
        a = np.asarray(alpha, dtype=np.float64)[None, :]
        den = S + a
        return S / den, a / den, np.log1p(S / a).sum(axis=0)     # f, g = 1 − f, Σ log(1+s²/α)

    def Q(self, alpha):
        """Q(α) (k,): the residual quadratic form ỹᵀ(I + ẐẐᵀ/α)⁻¹ỹ."""
        _, g, _ = self._fractions(alpha)
        return self.R0 + (self.c2 * g).sum(axis=0)

    def profile(self, alpha):
        """ℓ (k,) without constants, and the parts (Q, Σ log(1+s²/α))."""
        _, g, ld = self._fractions(alpha)
        Q = self.R0 + (self.c2 * g).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ell = -0.5 * self.N * np.log(Q) - 0.5 * ld
        return ell, Q, ld

    def derivatives(self, alpha):
        """ℓ, dℓ/dt and d²ℓ/dt² (each (k,)) at α = eᵗ."""
        f, g, ld = self._fractions(alpha)
        c2 = self.c2
        fg = f * g
        Q = self.R0 + (c2 * g).sum(axis=0)
        Q1 = (c2 * fg).sum(axis=0)                    # dQ/dt
        Q2 = (c2 * fg * (f - g)).sum(axis=0)          # d²Q/dt²
        gamma = f.sum(axis=0)
        dgamma = -fg.sum(axis=0)
        N = self.N
        with np.errstate(divide="ignore", invalid="ignore"):
            ell = -0.5 * N * np.log(Q) - 0.5 * ld
            q1 = np.where(Q > 0, Q1 / Q, 0.0)
            q2 = np.where(Q > 0, Q2 / Q, 0.0)
        d1 = -0.5 * N * q1 + 0.5 * gamma
        d2 = -0.5 * N * (q2 - q1 * q1) + 0.5 * dgamma
        return ell, d1, d2

    def full(self, alpha, sigma2=None):
        """log p(y | α, σ²) with all constants; σ² = Q(α)/N (the maximizer) when None."""
        ell, Q, ld = self.profile(alpha)
        N = self.N
        if sigma2 is None:
            with np.errstate(divide="ignore", invalid="ignore"):
                sigma2 = Q / N
            quad = np.where(Q > 0, N, 0.0)
        else:
            sigma2 = np.asarray(sigma2, dtype=np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                quad = np.where(Q > 0, Q / sigma2, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = -0.5 * (N * np.log(2.0 * np.pi * sigma2) + ld + quad + self.logW)
        return out


def maximize_evidence(ev, alpha_ref, *, tol, max_iter):
    """α (k,) maximizing the profiled evidence, iterations (k,), converged mask (k,).

    Targets with Q ≡ 0 (constant y) or no degrees of freedom (N ≤ 0) get the upper end of the
    search range (the evidence cannot prefer any α, or prefers α = ∞).
    """
    k = ev.c2.shape[1]
    # in log space, within float64's range: at extreme column scales s²_max · ALPHA_SPAN
    # overflows (then the upper end shrinks the coefficients by less than 1e-15, by design of
    # the data) and s²_max / ALPHA_SPAN underflows
    lo_t = max(np.log(alpha_ref) - np.log(ALPHA_SPAN), np.log(1e-306))
    hi_t = min(np.log(alpha_ref) + np.log(ALPHA_SPAN), np.log(1e306))
    m = int(round(2 * np.log10(ALPHA_SPAN) * GRID_PER_DECADE)) + 1
    grid = np.linspace(lo_t, hi_t, m)

    # 1. global search on the grid
    ells = np.empty((m, k))
    for i, t in enumerate(grid):
        ells[i] = ev.profile(np.full(k, np.exp(t)))[0]
    degenerate = (ev.N <= 0) | ~np.all(np.isfinite(ells), axis=0)
    best = np.full(k, m - 1, dtype=np.intp)
    plateau = degenerate.copy()
    for j in np.flatnonzero(~degenerate):
        col = ells[:, j]
        top = int(np.argmax(col))
        scale = 1.0 + np.abs(col).max()
        best[j] = np.flatnonzero(col >= col[top] - TIE_RTOL * scale)[-1]
        # ℓ flat (to rounding) from the best grid point up to a larger α: α is not identified
        # there, the larger one is kept as it is
        plateau[j] = best[j] != top

    t = grid[best]
    lo = grid[np.maximum(best - 1, 0)]
    hi = grid[np.minimum(best + 1, m - 1)]
    n_iter = np.zeros(k, dtype=np.intp)
    done = np.zeros(k, dtype=bool)
    n_iter[plateau] = 1
    done[plateau] = True

    # 2. safeguarded Newton on dℓ/dt = 0 inside [lo, hi]
    for it in range(1, max_iter + 1):
        act = np.flatnonzero(~done)
        if act.size == 0:
            break
        n_iter[act] = it
        sub = _Evidence(ev.s2, ev.c2[:, act], ev.R0[act], ev.N, ev.logW)
        ta = t[act]
        ell, d1, d2 = sub.derivatives(np.exp(ta))
        la, ha = lo[act], hi[act]
        # the maximum lies on the ascent side of the current point
        la = np.where(d1 > 0, ta, la)
        ha = np.where(d1 < 0, ta, ha)
        # at an end of the search range with the slope pointing outwards: the end is the answer
        at_end = ((ta >= hi_t) & (d1 >= 0)) | ((ta <= lo_t) & (d1 <= 0)) | (d1 == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(d2 < 0, -d1 / d2, np.nan)
        tn = ta + step
        # a Newton step is taken when it ascends (ℓ'' < 0) and stays in the bracket, else bisect
        newton = np.isfinite(tn) & (tn >= la) & (tn <= ha)
        tn = np.where(newton, tn, 0.5 * (la + ha))
        tn = np.where(at_end, ta, tn)
        dt = tn - ta
        # convergence: the Newton step changes α, and (quadratic model) ℓ, by ≤ tol relative
        dell = np.abs(d1 * dt + 0.5 * d2 * dt * dt)
        with np.errstate(over="ignore"):  # a huge tol: every step converges
            conv = at_end | (newton & (np.abs(np.expm1(dt)) <= tol)
                             & (dell <= tol * np.maximum(1.0, np.abs(ell))))
        conv |= (ha - la) <= 4 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(ta))
        t[act] = tn
        lo[act], hi[act] = la, ha
        done[act] = conv
    return np.exp(t), n_iter, done


def _posterior_cov(Vr, s2, d, alphas, sigma2):
    """Posterior covariances (k, p, p) of the raw coefficients: diag(d) σ²(ZᵀWZ + αI)⁻¹ diag(d)
    from the eigenvectors Vr (p, r) and eigenvalues s2 (r,) of ZᵀWZ."""
    p = Vr.shape[0]
    out = np.empty((alphas.size, p, p))
    for t, (a, s) in enumerate(zip(alphas, sigma2)):
        with np.errstate(divide="ignore", invalid="ignore"):
            C = (Vr / (s2 + a)) @ Vr.T
            if Vr.shape[1] < p:
                C += (np.eye(p) - Vr @ Vr.T) / a
        C = s * C * d[:, None] * d[None, :]
        out[t] = 0.5 * (C + C.T)
    return out


def _posterior_cov_dense(G, J, e, alphas, sigma2):
    """Posterior covariances (k, p, p) of the raw coefficients when some directions have a flat
    prior: diag(e) σ²(G + α diag(J))⁻¹ diag(e), G the Gram of the fit coordinates divided by
    √v (`Spectrum.gram`), J the penalized (or inactive) columns, e = d/√v."""
    out = np.empty((alphas.size, G.shape[0], G.shape[0]))
    for t, (a, s) in enumerate(zip(alphas, sigma2)):
        M = G + a * np.diag(J.astype(np.float64))
        q = np.sqrt(np.diag(M))
        q = 1.0 / np.where(q > 0, q, 1.0)          # equilibrated: α may dwarf the Gram
        C = s * np.linalg.pinv(M * q[:, None] * q[None, :], hermitian=True) * q[:, None] * q
        C = C * e[:, None] * e[None, :]
        out[t] = 0.5 * (C + C.T)
    return out


# --------------------------------------------------------------------------- the estimator

@_docs.fill
class RidgeEM(RegressorBase):
    """Ridge regression with α chosen by maximizing the marginal likelihood (no cross-validation).

    The Bayesian ridge model, in the fit coordinates (columns centred when `fit_intercept`, and
    divided by their weighted SD with `standardize`; coefficients b on that scale)::

        y = β₀ + Zb + ε,   ε ~ N(0, σ²),   b ~ N(0, σ²/α · I),   β₀ with a flat prior

    α and σ² maximize the marginal likelihood p(y | α, σ²) (the evidence, MacKay 1992; Bishop PRML
    §3.5; the EM of Tew, Boley & Schmidt 2023 has the same fixed points).  One eigendecomposition
    (of ZᵀWZ when n ≥ p, of ZWZᵀ when p > n) serves the whole search; every step after it is
    O(min(n, p)) per target.  Each target of a multi-target y gets its own α and σ².

    Parameters
    ----------
    fit_intercept : bool, default=True
        Fit an unpenalized intercept (flat prior).
    standardize : bool, default=False
        Put the prior on the coefficients of the standardized columns (divided by their weighted
        population SD); `coef_` is still reported on the original scale.
    tol : float, default=1e-8
        Stop when a Newton step changes α by at most `tol` relative and the log evidence by at
        most `tol` relative (its predicted change).
    max_iter : int, default=1000
        Cap on the Newton iterations per target; a ConvergenceWarning is issued when reached.
    penalty_matrix : array-like of shape (n_features, n_features), default=None
        %(penalty_matrix)s
        The evidence is that of β − β₀ ~ N(0, σ²/α · Ω⁺) on Ω's range with a flat prior on its null
        space (orthonormal coordinates, REML-style: each flat direction takes one degree of
        freedom, as the intercept), and `coef_cov_` is σ²(ZᵀWZ + αΩ)⁻¹. Not with
        ``standardize=True`` (Ω applies to the coefficients of X as given); sparse X is multiplied
        into the dense n × p array X T; Dask arrays are refused.
    %(penalty_root)s
    coef_prior : array-like of shape (n_features,) or (n_targets, n_features), default=None
        The prior mean β₀ the coefficients are shrunk towards instead of 0 (one per target,
        or one for all); with `penalty_matrix` or alone (then also with `standardize` and
        sparse X, which stays sparse: the fit is made on y − Xβ₀).

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
        The chosen penalty α (scikit-learn's `Ridge` scaling): the prior precision of b relative
        to the noise precision.  ``Ridge(alpha=alpha_)`` reproduces `coef_` and `intercept_`.
    noise_variance_ : float or ndarray of shape (n_targets,)
        σ² at the optimum, Q(α)/N.
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Posterior mean of the coefficients (the ridge solution at `alpha_`), original scale.
    intercept_ : float or ndarray of shape (n_targets,)
        Posterior mean of the intercept.
    log_marginal_likelihood_ : float or ndarray of shape (n_targets,)
        ``log p(y | alpha_, noise_variance_)``, constants included; see
        :meth:`log_marginal_likelihood`.
    n_iter_ : int or ndarray of shape (n_targets,)
        Newton iterations run after the grid search (≥ 1).
    coef_cov_ : ndarray of shape (n_features, n_features) or (n_targets, n_features, n_features)
        Posterior covariance of `coef_` (original scale): with d the column scales,
        diag(d) σ²(ZᵀWZ + αI)⁻¹ diag(d) = diag(d) σ² [Vᵣ diag(1/(s² + α)) Vᵣᵀ + (I − VᵣVᵣᵀ)/α]
        diag(d) at `alpha_` and `noise_variance_` (Vᵣ, s² the eigenvectors and eigenvalues of
        ZᵀWZ; the second term is the prior along directions the data do not reach).  The same
        as ``Ridge(alpha=alpha_).inference(X, y, kind="bayes").cov`` without the intercept.
    n_features_in_ : int
        Number of columns of X seen in `fit`.
    feature_names_in_ : ndarray of str of shape (`n_features_in_`,)
        Column names of X, defined only when X had string column names.

    See Also
    --------
    RidgeCV : Ridge with α chosen by cross-validation instead.
    Ridge : Ridge regression at a given α; ``Ridge(alpha=model.alpha_)`` reproduces the fit.

    Notes
    -----
    Conventions:

    * The intercept is integrated out under its flat prior, which uses up one degree of freedom:
      the evidence is that of N = Σw − 1 observations with `fit_intercept` (N = Σw without), and
      σ² = Q(α)/N at the optimum — the REML-style count.  scikit-learn's `BayesianRidge` counts
      N = Σw even with an intercept, so its σ² is smaller by the factor (N − 1)/N on the same data.
    * `sample_weight` counts observations: the likelihood is Πᵢ N(yᵢ | μᵢ, σ²)^{wᵢ}, so an integer
      weight k equals k repeated rows and a zero weight deletes the row (scikit-learn's
      `BayesianRidge` does the same).  Row i's noise precision is wᵢ/σ²; multiplying all weights by
      a constant also multiplies the number of observations, as repeating every row would.  To
      use weights as relative precisions of n observations, normalize them to sum to n: then
      counting and precision weighting agree.  (Weights summing to more than the number of rows
      make data that the columns interpolate — p ≥ n − 1 — look noise-free, exactly as repeated
      rows with identical targets would.)
    * The search runs over α ∈ [s²_max·10⁻¹⁵, s²_max·10¹⁵] (s²_max the largest eigenvalue of
      ZᵀWZ).  When the evidence is largest at α = ∞ — y constant, or no detectable signal —
      `alpha_` is the finite upper end s²_max·10¹⁵ (coefficients effectively 0, the prediction is
      the weighted mean of y); when it is largest at α = 0 (noise-free data, σ² → 0), `alpha_` is
      the lower end.  Where the evidence does not depend on α at all (two samples with an
      intercept, all columns constant), the upper end is taken too.
    * With no degree of freedom left for the noise (one sample with an intercept, or Σw ≤ 1;
      Σw = 0 without one) σ² is not defined: `fit` raises a ValueError.  A constant y (every
      row of positive weight equal, all zeros without an intercept) gives `noise_variance_` = 0
      and `log_marginal_likelihood_` = +inf.

    The search evaluates the profiled log evidence on a log-spaced grid over the whole range
    (it need not be unimodal), then solves dℓ/d log α = 0 by Newton's method safeguarded by
    bisection: a few O(r) iterations after the one eigendecomposition.

    Threads and pickles: the kernels release the GIL, so fits in several threads run in parallel,
    also of many models on one shared read-only X (never modified); one estimator object is not
    fitted, nor its parameters set, while another thread uses it.  Loading a pickled estimator
    runs code from the file: unpickle only files you trust.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import RidgeEM
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 5))
    >>> y = X @ np.array([1.0, -2.0, 0.5, 0.0, 0.0]) + 0.3 * rng.standard_normal(200)
    >>> model = RidgeEM().fit(X, y)
    >>> bool(0.05 < model.noise_variance_ < 0.15), np.round(model.coef_, 1)
    (True, array([ 1. , -2. ,  0.5,  0. ,  0. ]))
    """

    coef_: NDArray[np.floating]
    intercept_: float | np.floating | NDArray[np.floating]

    def __init__(self, *, fit_intercept: bool = True, standardize: bool = False,
                 tol: float = 1e-8, max_iter: int = 1000,
                 penalty_matrix: ArrayLike | None = None, penalty_root: ArrayLike | None = None,
                 coef_prior: ArrayLike | None = None) -> None:
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.penalty_matrix = penalty_matrix
        self.penalty_root = penalty_root
        self.coef_prior = coef_prior

    @unchanged_on_failure
    def fit(self, X: MatrixLike, y: ArrayLike,
            sample_weight: ArrayLike | None = None) -> RidgeEM:
        """Choose α and σ² by maximizing the evidence, and compute the posterior mean.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Training data, dense or any scipy.sparse format.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets; each gets its own α and σ².
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights counting observations (an integer weight k equals k repeated
            rows).

        Returns
        -------
        RidgeEM
            The fitted estimator (``self``).

        Warns
        -----
        ConvergenceWarning
            When the Newton search stops at `max_iter` before reaching `tol`.

        See Also
        --------
        RidgeEM.log_marginal_likelihood : The evidence at any α.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeEM
        >>> rng = np.random.default_rng(3)
        >>> X = rng.standard_normal((100, 4))
        >>> y = X @ np.array([0.5, 0.0, -0.5, 1.0]) + rng.standard_normal(100)
        >>> model = RidgeEM().fit(X, y)
        >>> print(f"alpha_ = {model.alpha_:.2f}, noise_variance_ = {model.noise_variance_:.2f}")
        alpha_ = 2.98, noise_variance_ = 0.92
        """
        load_engine()
        from fastridge import _preprocessing as P, _spectral as SP

        if generalized_requested(self):
            return generalized_fit(self, X, y, sample_weight)
        self.__dict__.pop("_fit_generalized", None)
        self.__dict__.pop("_generalized_T", None)
        name = type(self).__name__
        V.check_params(tol=self.tol, max_iter=self.max_iter, fit_intercept=self.fit_intercept,
                       standardize=self.standardize, estimator_name=name)
        X, yv = V.validate_data(self, X, y, reset=True)
        n, p = X.shape
        sw = V.check_sample_weight(sample_weight, n, X.dtype)
        single = yv.ndim == 1
        Y = yv[:, None] if single else yv
        pr = P.prepare(X, Y, sw, fit_intercept=self.fit_intercept,
                       standardize=self.standardize)
        # the standard form of a penalty matrix with a null space (`_linear.generalized_fit`):
        # its directions (penalty factor 0) get a flat prior, as the intercept
        v = self.__dict__.get("_standard_form_v")
        v = np.ones(p) if v is None else v
        why = _policy.spectral_unavailable(pr, v, unpenalized=True)
        if why is not None:
            raise ValueError(
                f"{name} needs one eigendecomposition, which is not available here: {why}; "
                "use RidgeCV with cv=k instead.")
        spec = SP.spectrum(pr, v)

        s2 = spec.s2
        with np.errstate(divide="ignore", invalid="ignore"):
            c = spec.P / np.sqrt(s2)[:, None]                    # Uᵀỹ  (r × k)
        c2 = c * c
        yy = spec.yy.copy()
        W = float(pr.W)
        N = (W - 1.0 if pr.center else W) - spec.q   # flat directions each take one
        if not N > 0:
            raise ValueError(
                f"{name} needs more than one observation in X and y to estimate the noise "
                f"variance: the total weight of the rows (sample_weight, 1 per row by default) "
                f"is {W:.6g}"
                f"{', and fit_intercept=True uses one' if pr.center else ''} "
                f"(n_samples={n}). Fit on more rows (or larger weights).")
        # a target whose rows of positive weight all hold its mean (all zeros without an
        # intercept) is constant: Q ≡ 0 (the same exact rule as for the columns of X)
        eps = np.finfo(np.float64).eps
        with np.errstate(invalid="ignore"):
            constant = P.constant_columns(pr.ybar, np.sqrt(yy / W), n,
                                          lambda cols: P.common_values(Y, sw, cols))
        yy[constant] = 0.0
        c2[:, constant] = 0.0
        yy0 = np.where(constant, 0.0, spec.yy0)          # ‖H₀ỹ‖² of the flat directions
        R0 = yy - c2.sum(axis=0) - yy0
        # below the rounding level of ‖ỹ‖² the residual outside the column space is zero
        R0 = np.where(R0 <= 8 * max(n, 1) * eps * yy, 0.0, R0)
        logW = (float(np.log(W)) if pr.center else 0.0) + spec.logdet0
        ev = _Evidence(s2, c2, R0, N, logW)
        alpha_ref = float(s2[0]) if s2.size else 1.0

        max_iter = 1000 if self.max_iter is None else int(self.max_iter)
        alphas, n_iter, done = maximize_evidence(ev, alpha_ref, tol=float(self.tol),
                                                 max_iter=max_iter)
        if not done.all():
            short = np.flatnonzero(~done)
            detail = ", ".join(f"target {t}: alpha {alphas[t]:.6g}" for t in short[:5])
            warn(ConvergenceWarning,
                 f"{name} stopped at max_iter={max_iter} before the evidence maximization "
                 f"reached tol={self.tol} ({detail}). Increase max_iter or loosen tol.")

        Q = ev.Q(alphas)
        with np.errstate(divide="ignore", invalid="ignore"):
            sigma2 = Q / N
        logml = ev.full(alphas)
        logml = np.where(Q == 0, np.inf, logml)

        B = spec.coef(alphas)
        B[constant] = 0.0
        coef, intercept = P.to_raw(pr, B)
        V.check_output_range(X.dtype, coef, intercept)
        set_linear_fit(self, LinearFit(coef, intercept, n_iter, None), dtype=X.dtype,
                       single=single)
        self.alpha_ = float(alphas[0]) if single else alphas
        self.noise_variance_ = float(sigma2[0]) if single else sigma2
        self.log_marginal_likelihood_ = float(logml[0]) if single else logml

        # what predict(return_std=True) and log_marginal_likelihood() need
        self._evidence = ev
        self._single = single
        self._Vr = spec.Vr                    # penalty factors are 1: b-coordinates = Ẑ's
        self._s2 = s2
        self._xbar = np.asarray(pr.xbar, dtype=np.float64) if pr.center else None
        self._d = np.asarray(pr.d, dtype=np.float64)
        self._W = W
        self._full_rank = s2.size + spec.q == int(np.count_nonzero(pr.d))
        if spec.q:   # flat directions: σ²(ẐᵀẐ + αJ)⁻¹, J = 1 on the penalized ones
            cov = _posterior_cov_dense(spec.gram, (v > 0) | (pr.d == 0), self._d * spec.scale,
                                       alphas, sigma2)
        else:
            cov = _posterior_cov(spec.Vr, s2, self._d, alphas, sigma2)
        self._cov_dense = cov if spec.q else None
        self.coef_cov_ = cov[0] if single else cov
        return self

    def log_marginal_likelihood(self, alpha: float | ArrayLike,
                                noise_variance: float | ArrayLike | None = None
                                ) -> float | NDArray[np.float64]:
        """Log marginal likelihood log p(y | α, σ²) of the training data, for any α.

        Constants included: −½ [N log(2πσ²) + Σⱼ log(1 + s²ⱼ/α) + Q(α)/σ² + log W] with the
        class docstring's N, s², Q and W (log W only with `fit_intercept`: the normalization of
        the flat intercept prior integrated out).  It is the density of the training targets
        projected off the intercept direction (n − 1 dimensions), weighted as repeated rows.

        Parameters
        ----------
        alpha : float or array of shape (m,)
            Penalties (> 0) at which to evaluate.
        noise_variance : None, float or array broadcastable to (m, n_targets)
            The noise variance σ²; None profiles it out (σ² = Q(α)/N, the maximizer for each
            α).

        Returns
        -------
        float or ndarray
            A float for a scalar `alpha` and one target; otherwise an array of shape (m,),
            (n_targets,) or (m, n_targets), following the shapes of `alpha` and of the fitted y.

        See Also
        --------
        RidgeEM.fit : Maximizes this over α and σ².

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeEM
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((50, 3))
        >>> model = RidgeEM().fit(X, X @ np.ones(3) + rng.standard_normal(50))
        >>> a = model.alpha_
        >>> ll = model.log_marginal_likelihood([a / 10, a, a * 10])
        >>> bool(ll[1] > ll[0] and ll[1] > ll[2])
        True
        >>> bool(np.isclose(ll[1], model.log_marginal_likelihood_))
        True
        """
        self._check_is_fitted("_evidence")
        ev = self._evidence
        a = np.asarray(alpha, dtype=np.float64)
        if a.ndim > 1 or not np.all(np.isfinite(a)) or np.any(a <= 0):
            raise ValueError(f"alpha must be a positive finite scalar or 1D array, got {alpha!r}.")
        k = ev.c2.shape[1]
        rows = []
        sig = None if noise_variance is None else np.broadcast_to(
            np.asarray(noise_variance, dtype=np.float64), (a.size, k) if a.ndim else (k,))
        for i, ai in enumerate(np.atleast_1d(a)):
            si = None if sig is None else (sig[i] if a.ndim else sig)
            rows.append(ev.full(np.full(k, ai), si))
        out = np.stack(rows)                                      # (m, k)
        if self._single:
            out = out[:, 0]
        if a.ndim == 0:
            out = out[0]
            return float(out) if self._single else out
        return out

    def predict(self, X: MatrixLike, return_std: bool = False
                ) -> NDArray[np.floating] | tuple[NDArray[np.floating], NDArray[np.floating]]:
        """Predict with the posterior mean, optionally with the predictive standard deviation.

        The posterior mean prediction is ``X @ coef_.T + intercept_``.  The predictive variance
        of a new row x (unit weight), in the fit coordinates z = (x − x̄)∘d, is

            σ² + σ²/W + zᵀ Σ_post z,   Σ_post = σ² (ZᵀWZ + αI)⁻¹
                                     = σ² [Vᵣ diag(1/(s² + α)) Vᵣᵀ + (I − VᵣVᵣᵀ)/α]

        (noise + the flat intercept's posterior variance σ²/W, W = Σw, only with
        `fit_intercept` + the coefficients' posterior variance; the second part of Σ_post is the
        prior variance along directions the data do not reach, p > n or rank-deficient X).

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Raw (unstandardized) data.
        return_std : bool, default=False
            Also return the predictive standard deviation of each prediction.

        Returns
        -------
        y_mean : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Posterior mean predictions.
        y_std : ndarray of the same shape
            Predictive standard deviations (noise included); only with ``return_std=True``.

        See Also
        --------
        RidgeEM.score : R² of the mean predictions.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeEM
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((200, 2))
        >>> model = RidgeEM().fit(X, X @ [1.0, 2.0] + 0.5 * rng.standard_normal(200))
        >>> mean, std = model.predict([[1.0, 1.0], [10.0, 10.0]], return_std=True)
        >>> print(np.round(mean, 1), np.round(std, 2))
        [ 3.  30.3] [0.5 0.7]

        Far from the training data the standard deviation grows beyond the noise level σ:

        >>> print(round(float(np.sqrt(model.noise_variance_)), 2))
        0.5
        """
        self._check_is_fitted()
        X = V.validate_data(self, X, reset=False)
        mean = linear_predict(X, self.coef_, self.intercept_)
        if not return_std:
            return mean
        std = self._predictive_std(X)
        dt = mean.dtype
        # laid out as the mean: one target (1-D y, or y of shape (n, 1)) gives 1-D values
        return mean, (std[:, 0] if std.shape[1] == 1 else std).astype(dt)

    def _predictive_std(self, X):
        T = self.__dict__.get("_generalized_T")
        if T is not None:   # the posterior is kept in the standard form's coordinates X T
            X = np.asarray(X @ T)
        d = self._d
        Vr = self._Vr
        xbar = self._xbar
        cov = self.__dict__.get("_cov_dense")
        if cov is not None:   # flat directions: the posterior covariance itself, raw scale
            Z = np.asarray(X.toarray() if V.is_sparse(X) else X, dtype=np.float64)
            if xbar is not None:
                Z = Z - xbar
            quad = np.einsum("ni,tij,nj->nt", Z, cov, Z)
            sigma2 = np.atleast_1d(np.asarray(self.noise_variance_, dtype=np.float64))
            base = 1.0 + (1.0 / self._W if xbar is not None else 0.0)
            return np.sqrt(sigma2[None, :] * base + quad)
        if V.is_sparse(X):
            Xd = X.astype(np.float64).multiply(d[None, :]).tocsr()
            ZV = np.asarray(Xd @ Vr)
            zz = np.asarray(Xd.multiply(Xd).sum(axis=1)).ravel()
            if xbar is not None:
                m = xbar * d
                ZV = ZV - m @ Vr
                zz = zz - 2.0 * np.asarray(Xd @ m).ravel() + m @ m
        else:
            Z = np.asarray(X, dtype=np.float64)
            if xbar is not None:
                Z = Z - xbar
            Z = Z * d
            ZV = Z @ Vr
            zz = np.einsum("ij,ij->i", Z, Z)
        alphas = np.atleast_1d(np.asarray(self.alpha_, dtype=np.float64))
        sigma2 = np.atleast_1d(np.asarray(self.noise_variance_, dtype=np.float64))
        ZV2 = ZV * ZV
        quad = ZV2 @ (1.0 / (self._s2[:, None] + alphas[None, :]))          # (n, k)
        if not self._full_rank:
            null = np.clip(zz - ZV2.sum(axis=1), 0.0, None)
            quad = quad + null[:, None] / alphas[None, :]
        base = 1.0 + (1.0 / self._W if xbar is not None else 0.0)
        var = sigma2[None, :] * (base + quad)
        return np.sqrt(var)
