"""RidgeEM: α by maximizing the marginal likelihood.

Oracles: the log marginal likelihood written out with explicit n × n covariance matrices (the
intercept integrated out under its flat prior, REML style), its α-derivative by the REML trace
identity, the explicit Gaussian posterior of [β₀, β] for the predictive SD, scikit-learn's
BayesianRidge where the two models coincide, Ridge at the chosen α, and invariances (repeated rows,
separate targets).
"""
import warnings

import numpy as np
import pytest

from conftest import make_data
from fastridge import Ridge, RidgeEM
from fastridge.exceptions import ConvergenceWarning, NotFittedError

# ------------------------------------------------------------------------ the independent oracle

def _design(X, w, standardize, fit_intercept):
    """The columns the prior is on: X itself, or X standardized (weighted, ddof=0)."""
    X = np.asarray(X, dtype=np.float64)
    if not standardize:
        return X
    if fit_intercept:
        m = w @ X / w.sum()
        return (X - m) / np.sqrt(w @ (X - m) ** 2 / w.sum())
    return X / np.sqrt(w @ X**2 / w.sum())


def oracle_parts(X, y, alpha, *, w=None, fit_intercept=True, standardize=False):
    """Explicit n × n pieces for C₁ = W⁻¹ + AAᵀ/α (C = σ²C₁): the REML projector P (the
    intercept integrated out) or C₁⁻¹, q = yᵀPy, the α-free determinant terms, and N."""
    y = np.asarray(y, dtype=np.float64)
    n = y.size
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    A = _design(X, w, standardize, fit_intercept)
    C1 = np.diag(1.0 / w) + A @ A.T / alpha
    Ci = np.linalg.inv(C1)
    logdet = np.linalg.slogdet(C1)[1]
    if fit_intercept:
        one = np.ones(n)
        Ci1 = Ci @ one
        s = one @ Ci1
        P = Ci - np.outer(Ci1, Ci1) / s
        logdet += np.log(s)
        N = w.sum() - 1.0
    else:
        P = Ci
        N = w.sum()
    return P, y @ P @ y, logdet, N, A, w


def oracle_log_evidence(X, y, alpha, sigma2=None, **kw):
    """log ∫∫ Πᵢ N(yᵢ | β₀ + aᵢᵀb, σ²)^{wᵢ} N(b | 0, σ²/α I) db dβ₀ (flat β₀), by explicit
    matrices: the precision-weighted Gaussian density with covariance σ²C₁ (REML form with an
    intercept), plus the factor Πᵢ wᵢ^{-1/2}(2πσ²)^{-(wᵢ-1)/2} that turns weights into counts.
    σ² = None profiles it in closed form (σ² = q/N)."""
    P, q, logdet, N, _, w = oracle_parts(X, y, alpha, **kw)
    n = w.size
    dim = n - 1 if kw.get("fit_intercept", True) else n
    if sigma2 is None:
        sigma2 = q / N
    prec = -0.5 * (dim * np.log(2 * np.pi * sigma2) + logdet + q / sigma2)
    return prec - 0.5 * np.sum(np.log(w)) - 0.5 * (w.sum() - n) * np.log(2 * np.pi * sigma2)


def oracle_dlogev(X, y, alpha, **kw):
    """d/dα of the σ²-profiled log evidence: ½[N yᵀPDPy/q − tr(PD)], D = dC₁/dα = −AAᵀ/α²."""
    P, q, _, N, A, _ = oracle_parts(X, y, alpha, **kw)
    D = -(A @ A.T) / alpha**2
    Py = P @ y
    return 0.5 * (N * (Py @ D @ Py) / q - np.trace(P @ D))


def oracle_argmax(X, y, lo, hi, **kw):
    """The α in [lo, hi] where the oracle derivative changes sign from + to −, by bisection in
    log α to 1e-13."""
    a, b = np.log(lo), np.log(hi)
    assert oracle_dlogev(X, y, lo, **kw) > 0 > oracle_dlogev(X, y, hi, **kw)
    while b - a > 1e-13:
        m = 0.5 * (a + b)
        if oracle_dlogev(X, y, np.exp(m), **kw) > 0:
            a = m
        else:
            b = m
    return np.exp(0.5 * (a + b))


CASES = {
    # name: (n, p, noise, seed) — noise chosen so that the evidence has an interior maximum
    "tall": (50, 6, 1.0, 0),
    "tall_noisy": (80, 10, 4.0, 1),
    "wide": (25, 40, 1.0, 2),
}


def _case(name, weighted):
    n, p, noise, seed = CASES[name]
    X, y = make_data(n, p, noise=noise, seed=seed)
    w = None
    if weighted:
        # weights count observations; normalized to sum to n they describe n observations, as
        # the rows do (weights with a larger sum would make wide data look noise-free)
        w = np.random.default_rng(seed + 10).uniform(0.3, 3.0, n)
        w *= n / w.sum()
    return X, y, w


# ------------------------------------------------------------------------ (a) the evidence

@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept,standardize",
                         [(True, False), (True, True), (False, False)])
def test_alpha_maximizes_the_explicit_evidence(case, weighted, fit_intercept, standardize):
    X, y, w = _case(case, weighted)
    kw = dict(w=w, fit_intercept=fit_intercept, standardize=standardize)
    m = RidgeEM(fit_intercept=fit_intercept, standardize=standardize).fit(X, y, sample_weight=w)
    a = m.alpha_
    assert np.isfinite(a) and a > 0 and m.n_iter_ >= 1
    best = oracle_log_evidence(X, y, a, **kw)
    # the value at the optimum, constants included, and σ² = the profiled maximizer
    np.testing.assert_allclose(m.log_marginal_likelihood_, best, rtol=1e-9, atol=1e-9)
    P, q, _, N, _, _ = oracle_parts(X, y, a, **kw)
    np.testing.assert_allclose(m.noise_variance_, q / N, rtol=1e-9)
    # grid neighbours are lower
    for f in (0.5, 0.8, 0.95, 0.99, 1.01, 1.05, 1.25, 2.0):
        assert oracle_log_evidence(X, y, a * f, **kw) < best
    # σ² is the maximizer at that α
    for f in (0.9, 0.99, 1.01, 1.1):
        assert oracle_log_evidence(X, y, a, m.noise_variance_ * f, **kw) < best
    # the stationary point found independently
    ref = oracle_argmax(X, y, a / 3, a * 3, **kw)
    np.testing.assert_allclose(a, ref, rtol=1e-6)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_log_marginal_likelihood_method_matches_oracle(fit_intercept):
    X, y, w = _case("tall", True)
    kw = dict(w=w, fit_intercept=fit_intercept)
    m = RidgeEM(fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    alphas = np.array([1e-3, 0.1, 1.0, 30.0, 1e4])
    got = m.log_marginal_likelihood(alphas)
    ref = [oracle_log_evidence(X, y, a, **kw) for a in alphas]
    np.testing.assert_allclose(got, ref, rtol=1e-9)
    got = m.log_marginal_likelihood(alphas, noise_variance=0.7)
    ref = [oracle_log_evidence(X, y, a, 0.7, **kw) for a in alphas]
    np.testing.assert_allclose(got, ref, rtol=1e-9)
    assert isinstance(m.log_marginal_likelihood(2.0), float)
    np.testing.assert_allclose(m.log_marginal_likelihood(m.alpha_, m.noise_variance_),
                               m.log_marginal_likelihood_, rtol=1e-12)
    with pytest.raises(ValueError, match="alpha"):
        m.log_marginal_likelihood(-1.0)


# ------------------------------------------------------------------------ (b) scikit-learn

def _bayesian_ridge(fit_intercept):
    from sklearn.linear_model import BayesianRidge

    return BayesianRidge(alpha_1=1e-12, alpha_2=1e-12, lambda_1=1e-12, lambda_2=1e-12,
                         tol=1e-14, max_iter=5000, fit_intercept=fit_intercept)


@pytest.mark.parametrize("case", ["tall", "wide"])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_bayesian_ridge_without_intercept(case, weighted):
    """Without an intercept the two models are the same (both count N = Σw)."""
    pytest.importorskip("sklearn")
    X, y, w = _case(case, weighted)
    ours = RidgeEM(fit_intercept=False).fit(X, y, sample_weight=w)
    sk = _bayesian_ridge(False).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.alpha_, sk.lambda_ / sk.alpha_, rtol=1e-6)
    np.testing.assert_allclose(ours.noise_variance_, 1.0 / sk.alpha_, rtol=1e-6)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=1e-6, atol=1e-9)
    Xt = make_data(10, X.shape[1], seed=5)[0] * 1.5
    mu, sd = ours.predict(Xt, return_std=True)
    mu_sk, sd_sk = sk.predict(Xt, return_std=True)
    np.testing.assert_allclose(mu, mu_sk, rtol=1e-6)
    np.testing.assert_allclose(sd, sd_sk, rtol=1e-6)


@pytest.mark.parametrize("case", ["tall", "tall_noisy"])
def test_matches_bayesian_ridge_with_intercept(case):
    """With an intercept BayesianRidge counts N = n observations for σ², we count n − 1 (the
    intercept integrated out).  BayesianRidge with every weight c = (n − 1)/n counts n − 1 and
    sees the centred data scaled by √c, which is our model with α and σ² multiplied by c; and on
    pre-centred data without an intercept we count n, as BayesianRidge does."""
    pytest.importorskip("sklearn")
    X, y, _ = _case(case, False)
    n = y.size
    c = (n - 1) / n
    ours = RidgeEM().fit(X, y)
    sk = _bayesian_ridge(True).fit(X, y, sample_weight=np.full(n, c))
    np.testing.assert_allclose(ours.alpha_, sk.lambda_ / sk.alpha_ / c, rtol=1e-6)
    np.testing.assert_allclose(ours.noise_variance_, 1.0 / sk.alpha_ / c, rtol=1e-6)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=1e-6)
    np.testing.assert_allclose(ours.intercept_, sk.intercept_, rtol=1e-6)
    Xt = make_data(10, X.shape[1], seed=7)[0]
    mu, sd = ours.predict(Xt, return_std=True)
    mu_sk, sd_sk = sk.predict(Xt, return_std=True)
    np.testing.assert_allclose(mu, mu_sk, rtol=1e-6)
    # ours: σ²(1 + 1/n) + xᵀΣx; BayesianRidge: cσ² + xᵀΣx (same Σ, no intercept variance)
    np.testing.assert_allclose(sd**2, sd_sk**2 + 2 * ours.noise_variance_ / n, rtol=1e-6)

    # the plain BayesianRidge (N = n) is our model without intercept on centred data
    sk0 = _bayesian_ridge(True).fit(X, y)
    ours0 = RidgeEM(fit_intercept=False).fit(X - X.mean(axis=0), y - y.mean())
    np.testing.assert_allclose(ours0.alpha_, sk0.lambda_ / sk0.alpha_, rtol=1e-6)
    np.testing.assert_allclose(ours0.noise_variance_, 1.0 / sk0.alpha_, rtol=1e-6)
    np.testing.assert_allclose(ours0.coef_, sk0.coef_, rtol=1e-6)


# ------------------------------------------------------------------------ predictive SD

@pytest.mark.parametrize("case", ["tall", "wide"])
@pytest.mark.parametrize("fit_intercept,standardize,weighted",
                         [(True, False, False), (True, True, True), (False, False, True)])
def test_predictive_std_matches_explicit_posterior(case, fit_intercept, standardize, weighted):
    """σ²(1 + aᵀ(AᵀWA + diag(0, αI))⁻¹a) with A = [1, Z] (flat intercept: prior precision 0),
    Z = X or X standardized; without intercept A = Z."""
    X, y, w = _case(case, weighted)
    m = RidgeEM(fit_intercept=fit_intercept, standardize=standardize).fit(X, y, sample_weight=w)
    ww = np.ones(y.size) if w is None else w
    Xt = make_data(12, X.shape[1], seed=11)[0] * 1.3 + 0.5
    if standardize:
        mu_x = ww @ X / ww.sum()
        sd_x = np.sqrt(ww @ (X - mu_x) ** 2 / ww.sum())
        Z, Zt = X / sd_x, Xt / sd_x
    else:
        Z, Zt = X, Xt
    if fit_intercept:
        A = np.column_stack([np.ones(y.size), Z])
        At = np.column_stack([np.ones(len(Xt)), Zt])
        prior = np.r_[0.0, np.full(X.shape[1], m.alpha_)]
    else:
        A, At, prior = Z, Zt, np.full(X.shape[1], m.alpha_)
    S = np.linalg.inv(A.T @ (ww[:, None] * A) + np.diag(prior))
    var = m.noise_variance_ * (1.0 + np.einsum("ij,jk,ik->i", At, S, At))
    mean = At @ (S @ (A.T @ (ww * y)))
    mu, sd = m.predict(Xt, return_std=True)
    np.testing.assert_allclose(mu, mean, rtol=1e-8)
    np.testing.assert_allclose(sd, np.sqrt(var), rtol=1e-7)
    np.testing.assert_allclose(m.predict(Xt), mu, rtol=0, atol=0)


def test_predictive_std_sparse_equals_dense():
    sp = pytest.importorskip("scipy.sparse")
    X, y, w = _case("tall", True)
    X[np.abs(X) < 2.0] = 0.0
    dense = RidgeEM().fit(X, y, sample_weight=w)
    for fmt in ("csr", "csc", "coo"):
        Xs = getattr(sp, f"{fmt}_matrix")(X)
        sparse = RidgeEM().fit(Xs, y, sample_weight=w)
        np.testing.assert_allclose(sparse.alpha_, dense.alpha_, rtol=1e-8)
        np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-8, atol=1e-12)
        mu_s, sd_s = sparse.predict(Xs, return_std=True)
        mu_d, sd_d = dense.predict(X, return_std=True)
        np.testing.assert_allclose(mu_s, mu_d, rtol=1e-8)
        np.testing.assert_allclose(sd_s, sd_d, rtol=1e-8)


# ------------------------------------------------------------------------ (c) Ridge at alpha_

@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("fit_intercept,standardize,weighted",
                         [(True, False, False), (True, True, True), (False, False, True),
                          (False, True, False)])
def test_coef_is_ridge_at_alpha(case, fit_intercept, standardize, weighted):
    X, y, w = _case(case, weighted)
    m = RidgeEM(fit_intercept=fit_intercept, standardize=standardize).fit(X, y, sample_weight=w)
    r = Ridge(alpha=m.alpha_, fit_intercept=fit_intercept, standardize=standardize).fit(
        X, y, sample_weight=w)
    scale = np.abs(r.coef_).max()
    # standardize without an intercept divides the uncentred columns by their SD: on "wide"
    # the kernel's condition number reaches ~5e6, so two exact solvers agree to ~1e-9
    slack = 20.0 if standardize and not fit_intercept else 1.0
    np.testing.assert_allclose(m.coef_, r.coef_, rtol=1e-8, atol=1e-10 * slack * scale)
    np.testing.assert_allclose(m.intercept_, r.intercept_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(m.predict(X), r.predict(X), rtol=1e-8)


def test_float32():
    X, y, _ = _case("tall", False)
    m64 = RidgeEM().fit(X, y)
    m32 = RidgeEM().fit(X.astype(np.float32), y.astype(np.float32))
    assert m32.coef_.dtype == np.float32
    mu, sd = m32.predict(X.astype(np.float32), return_std=True)
    assert mu.dtype == np.float32 and sd.dtype == np.float32
    np.testing.assert_allclose(m32.alpha_, m64.alpha_, rtol=1e-3)
    np.testing.assert_allclose(m32.coef_, m64.coef_, rtol=2e-4, atol=1e-4)
    r = Ridge(alpha=m32.alpha_).fit(X.astype(np.float32), y.astype(np.float32))
    np.testing.assert_allclose(m32.coef_, r.coef_, rtol=2e-4, atol=1e-4)


# ------------------------------------------------------------------------ (d) multi-target

@pytest.mark.parametrize("case", ["tall", "wide"])
def test_multi_target_equals_separate_fits(case):
    n, p, noise, seed = CASES[case]
    X, Y = make_data(n, p, k=3, noise=noise, seed=seed)
    Y[:, 1] = Y[:, 1] * 0.01 + 5 * np.random.default_rng(0).standard_normal(n)  # weak signal
    w = np.random.default_rng(1).uniform(0.5, 2.0, n)
    w *= n / w.sum()
    m = RidgeEM().fit(X, Y, sample_weight=w)
    assert m.alpha_.shape == m.noise_variance_.shape == m.n_iter_.shape == (3,)
    assert m.coef_.shape == (3, p) and m.intercept_.shape == (3,)
    Xt = X[:7] + 0.3
    mu, sd = m.predict(Xt, return_std=True)
    assert mu.shape == sd.shape == (7, 3)
    for t in range(3):
        s = RidgeEM().fit(X, Y[:, t], sample_weight=w)
        np.testing.assert_allclose(m.alpha_[t], s.alpha_, rtol=1e-10)
        np.testing.assert_allclose(m.noise_variance_[t], s.noise_variance_, rtol=1e-10)
        np.testing.assert_allclose(m.log_marginal_likelihood_[t], s.log_marginal_likelihood_,
                                   rtol=1e-12)
        np.testing.assert_allclose(m.coef_[t], s.coef_, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(m.intercept_[t], s.intercept_, rtol=1e-10)
        mu_s, sd_s = s.predict(Xt, return_std=True)
        np.testing.assert_allclose(mu[:, t], mu_s, rtol=1e-10)
        np.testing.assert_allclose(sd[:, t], sd_s, rtol=1e-10)
    # one α per target: the targets do get different ones
    assert np.ptp(np.log(m.alpha_)) > 1.0
    np.testing.assert_allclose(m.log_marginal_likelihood(np.array([1.0, 2.0])).shape, (2, 3))


# ------------------------------------------------------------------------ (e) shapes

@pytest.mark.parametrize("n,p", [(200, 5), (40, 39), (30, 31), (15, 100), (100, 100)])
def test_tall_and_wide_shapes(n, p):
    X, y = make_data(n, p, noise=1.0, seed=n + p)
    m = RidgeEM().fit(X, y)
    assert np.isfinite(m.alpha_) and m.alpha_ > 0
    assert np.isfinite(m.noise_variance_) and m.noise_variance_ >= 0
    r = Ridge(alpha=m.alpha_).fit(X, y)
    np.testing.assert_allclose(m.predict(X), r.predict(X), rtol=1e-7, atol=1e-9)
    # the chosen α is at least as good as any on a coarse grid (its own evidence function)
    grid = np.geomspace(m.alpha_ * 1e-4, m.alpha_ * 1e4, 81)
    tie = 1e-9 * (1.0 + abs(m.log_marginal_likelihood_))   # flat evidence: ties within rounding
    assert np.all(m.log_marginal_likelihood(grid) <= m.log_marginal_likelihood_ + tie)


# ------------------------------------------------------------------------ (f) weights

def test_integer_weights_equal_repeated_rows():
    X, y, _ = _case("tall_noisy", False)
    rng = np.random.default_rng(3)
    w = rng.integers(0, 4, y.size)
    a = RidgeEM().fit(X, y, sample_weight=w)
    b = RidgeEM().fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(a.alpha_, b.alpha_, rtol=1e-9)
    np.testing.assert_allclose(a.noise_variance_, b.noise_variance_, rtol=1e-9)
    np.testing.assert_allclose(a.log_marginal_likelihood_, b.log_marginal_likelihood_,
                               rtol=1e-9)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-9)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=1e-9)
    Xt = X[:5] - 1.0
    for u, v in zip(a.predict(Xt, return_std=True), b.predict(Xt, return_std=True)):
        np.testing.assert_allclose(u, v, rtol=1e-9)


def test_zero_weight_deletes_row_and_unit_weights_are_none():
    X, y, _ = _case("tall", False)
    w = np.ones(y.size)
    w[::4] = 0.0
    a = RidgeEM().fit(X, y, sample_weight=w)
    b = RidgeEM().fit(X[w > 0], y[w > 0])
    np.testing.assert_allclose(a.alpha_, b.alpha_, rtol=1e-9)
    np.testing.assert_allclose(a.noise_variance_, b.noise_variance_, rtol=1e-9)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-9)
    c = RidgeEM().fit(X, y, sample_weight=np.ones(y.size))
    d = RidgeEM().fit(X, y)
    assert c.alpha_ == pytest.approx(d.alpha_, rel=1e-12)


# ------------------------------------------------------------------------ degenerate data

@pytest.mark.parametrize("weighted", [False, True])
def test_constant_y_gives_zero_coefficients(weighted):
    X, _, w = _case("tall", weighted)
    m = RidgeEM().fit(X, np.full(X.shape[0], 3.5), sample_weight=w)
    # a constant whose weighted mean is not exact in floating point: still constant
    m01 = RidgeEM().fit(X, np.full(X.shape[0], 0.1), sample_weight=w)
    np.testing.assert_array_equal(m01.coef_, 0.0)
    assert m01.noise_variance_ == 0.0 and m01.alpha_ == m.alpha_
    np.testing.assert_array_equal(m.coef_, 0.0)
    assert m.intercept_ == pytest.approx(3.5)
    assert m.noise_variance_ == 0.0 and m.log_marginal_likelihood_ == np.inf
    ww = np.ones(X.shape[0]) if w is None else w
    Xc = X - ww @ X / ww.sum()
    s2max = np.linalg.eigvalsh(Xc.T @ (ww[:, None] * Xc)).max()
    assert m.alpha_ == pytest.approx(s2max * 1e15, rel=1e-6)      # the documented upper end
    mu, sd = m.predict(X[:3], return_std=True)
    np.testing.assert_allclose(mu, 3.5)
    np.testing.assert_array_equal(sd, 0.0)


def test_pure_noise_target_sends_alpha_to_upper_end():
    X, _, _ = _case("tall", False)
    y = np.random.default_rng(0).standard_normal(X.shape[0])
    y -= X @ np.linalg.lstsq(X - X.mean(0), y - y.mean(), rcond=None)[0]   # orthogonal to X
    m = RidgeEM().fit(X, y)
    assert m.alpha_ > 1e12 * np.linalg.norm(X - X.mean(0), 2) ** 2
    np.testing.assert_allclose(m.coef_, 0.0, atol=1e-12)
    np.testing.assert_allclose(m.noise_variance_, np.var(y) * y.size / (y.size - 1), rtol=1e-9)


def test_noise_free_data_gives_tiny_noise_variance():
    X, y = make_data(60, 8, noise=0.0)
    m = RidgeEM().fit(X, y)
    assert m.noise_variance_ < 1e-12 * np.var(y)
    beta = np.linalg.lstsq(X - X.mean(0), y - y.mean(), rcond=None)[0]
    np.testing.assert_allclose(m.coef_, beta, rtol=1e-6)


def test_rank_deficient_and_constant_columns():
    X, y, _ = _case("tall", False)
    Xr = np.column_stack([X, X[:, :3] @ [1.0, -2.0, 0.5], np.full(y.size, 7.0), X[:, 0]])
    m = RidgeEM().fit(Xr, y)
    assert m.coef_[-2] == 0.0
    r = Ridge(alpha=m.alpha_).fit(Xr, y)
    np.testing.assert_allclose(m.coef_, r.coef_, rtol=1e-7, atol=1e-10)
    # the duplicated column splits its coefficient evenly
    assert m.coef_[0] == pytest.approx(m.coef_[-1], rel=1e-8)
    # evidence as a function of α matches the explicit one (rank deficiency handled)
    for a in (0.1, m.alpha_, 10.0):
        np.testing.assert_allclose(m.log_marginal_likelihood(a),
                                   oracle_log_evidence(Xr, y, a), rtol=1e-8)
    assert np.all(np.isfinite(m.predict(Xr, return_std=True)[1]))


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_one_and_two_samples(fit_intercept):
    X, y, _ = _case("tall", False)
    for n in (1, 2):
        if fit_intercept and n == 1:
            # no degree of freedom left for the noise: refused (it returned NaN σ² and NaN
            # predictive std silently)
            with pytest.raises(ValueError, match="more than one observation in X"):
                RidgeEM(fit_intercept=fit_intercept).fit(X[:n], y[:n])
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            m = RidgeEM(fit_intercept=fit_intercept).fit(X[:n], y[:n])
            mu, sd = m.predict(X[:4], return_std=True)
        assert np.all(np.isfinite(m.coef_)) and np.isfinite(m.alpha_) and m.alpha_ > 0
        assert np.isfinite(m.noise_variance_) and np.all(np.isfinite(sd))


@pytest.mark.parametrize("weights", [[0.0, 0.0, 1.0, 0.0], [0.25, 0.25, 0.25, 0.25]])
def test_total_weight_of_one_observation_is_refused(weights):
    """Weights count observations: a total weight of 1 (one row of weight 1, or four of 0.25)
    leaves no degree of freedom for σ² with an intercept; without one it is a fit."""
    X, y, _ = _case("tall", False)
    with pytest.raises(ValueError, match="is 1, and fit_intercept"):
        RidgeEM().fit(X[:4], y[:4], sample_weight=weights)
    m = RidgeEM(fit_intercept=False).fit(X[:4], y[:4], sample_weight=weights)
    assert np.isfinite(m.noise_variance_) and np.all(np.isfinite(m.predict(X, True)[1]))


def test_constant_y_is_told_exactly():
    """A target whose rows hold one value is constant (σ² = 0, coefficients 0); one at 1e14
    with a spread of 1 is not (the old rule, spread ≤ 4·n·eps·|mean|, took it for constant) —
    its σ² is the exact residual variance scale of a fit, positive."""
    X, _, _ = _case("tall", False)
    n = X.shape[0]
    m = RidgeEM().fit(X, np.full(n, 1e14))
    assert m.noise_variance_ == 0.0 and np.all(m.coef_ == 0.0)
    y = 1e14 + np.arange(n) % 3 - 1.0
    m = RidgeEM().fit(X, y)
    assert m.noise_variance_ > 0.1


def test_max_iter_warns_once():
    X, y, _ = _case("tall_noisy", False)
    with pytest.warns(ConvergenceWarning, match="max_iter=1") as rec:
        m = RidgeEM(max_iter=1).fit(X, y)
    assert len([r for r in rec if issubclass(r.category, ConvergenceWarning)]) == 1
    assert m.n_iter_ == 1
    full = RidgeEM().fit(X, y)
    assert 2 <= full.n_iter_ <= 20
    # a loose tol stops earlier, near the same α
    loose = RidgeEM(tol=1e-2).fit(X, y)
    assert loose.n_iter_ <= full.n_iter_
    np.testing.assert_allclose(loose.alpha_, full.alpha_, rtol=1e-1)


# ------------------------------------------------------------------------ (g) bad input

def test_bad_input():
    X, y, _ = _case("tall", False)
    with pytest.raises(NotFittedError):
        RidgeEM().predict(X)
    with pytest.raises(ValueError, match="NaN or infinity"):
        Xn = X.copy()
        Xn[0, 0] = np.nan
        RidgeEM().fit(Xn, y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        RidgeEM().fit(X, y[:-1])
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        RidgeEM().fit(X, y, sample_weight=-np.ones(y.size))
    with pytest.raises(ValueError, match="sample_weight"):
        RidgeEM().fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="0 sample"):
        RidgeEM().fit(X[:0], y[:0])
    with pytest.raises(ValueError, match="'tol' parameter of RidgeEM"):
        RidgeEM(tol=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="'max_iter' parameter of RidgeEM"):
        RidgeEM(max_iter=0).fit(X, y)
    with pytest.raises(TypeError, match="'fit_intercept' parameter of RidgeEM"):
        RidgeEM(fit_intercept="yes").fit(X, y)
    with pytest.raises(TypeError, match="'standardize' parameter of RidgeEM"):
        RidgeEM(standardize=None).fit(X, y)
    m = RidgeEM().fit(X, y)
    with pytest.raises(ValueError, match="X has 5 features, but RidgeEM is expecting 6"):
        m.predict(X[:, :5])
    with pytest.raises(ValueError, match="alpha"):
        m.log_marginal_likelihood(0.0)
    # inputs are not modified, read-only inputs accepted
    Xc, yc = X.copy(), y.copy()
    Xc.flags.writeable = False
    yc.flags.writeable = False
    RidgeEM().fit(Xc, yc).predict(Xc, return_std=True)
    np.testing.assert_array_equal(Xc, X)
    np.testing.assert_array_equal(yc, y)


def test_feature_names_and_params():
    pd = pytest.importorskip("pandas")
    X, y, _ = _case("tall", False)
    df = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    m = RidgeEM().fit(df, y)
    assert list(m.feature_names_in_) == list(df.columns)
    assert m.n_features_in_ == X.shape[1]
    assert RidgeEM(tol=1e-4).get_params() == {"fit_intercept": True, "standardize": False,
                                              "tol": 1e-4, "max_iter": 1000,
                                              "penalty_matrix": None, "penalty_root": None,
                                              "coef_prior": None}
    assert repr(RidgeEM(standardize=True)) == "RidgeEM(standardize=True)"


# ------------------------------------------------------------------------ (h) scikit-learn checks

try:
    from sklearn.utils.estimator_checks import parametrize_with_checks
except ImportError:  # pragma: no cover
    parametrize_with_checks = None

if parametrize_with_checks is not None:
    @parametrize_with_checks([RidgeEM(), RidgeEM(standardize=True)])
    def test_sklearn_estimator_checks(estimator, check):
        check(estimator)
else:  # pragma: no cover
    def test_sklearn_estimator_checks():
        pytest.importorskip("sklearn")


def test_one_target_as_a_column_is_laid_out_as_one_target():
    """y of shape (n, 1) is one target: coef_, the predictive mean and its standard
    deviation are laid out alike (1-D), and equal those of 1-D y."""
    rng = np.random.default_rng(11)
    X = rng.standard_normal((40, 3))
    y = X @ np.array([1.0, -1.0, 0.5]) + rng.standard_normal(40)
    col = RidgeEM().fit(X, y[:, None])
    flat = RidgeEM().fit(X, y)
    mean, std = col.predict(X[:5], return_std=True)
    mean1, std1 = flat.predict(X[:5], return_std=True)
    assert col.coef_.shape == (3,) and mean.shape == std.shape == (5,)
    np.testing.assert_allclose(mean, mean1, rtol=1e-12)
    np.testing.assert_allclose(std, std1, rtol=1e-12)
