"""RidgeCV's out-of-fold predictions (`cv_predictions_`) and prediction intervals
(`predict_interval`: jackknife+ and CV+ of Barber, Candès, Ramdas and Tibshirani, 2021).

Oracles: explicit refits in float64 numpy (the weighted normal equations with an unpenalized
intercept column), one per left-out row or per fold, and the paper's order statistics written
with its own floor and ceiling; MAPIE where it is installed; a coverage simulation."""
import math

import numpy as np
import pytest
import scipy.sparse as sps

from fastridge import RidgeCV
from fastridge.exceptions import NotFittedError

# the grids here are small on purpose; where the minimum falls on them does not matter
pytestmark = pytest.mark.filterwarnings("ignore::fastridge.exceptions.AlphaGridWarning")


# --------------------------------------------------------------------------- oracles
def ridge_np(X, Y, w, alpha, pen, intercept):
    """Raw coefficients (p, k) and intercept (k,) of Σ wᵢ (yᵢ − β₀ − xᵢᵀβ)² + α Σ penⱼ βⱼ²."""
    n, p = X.shape
    Xa = np.column_stack([np.ones(n), X]) if intercept else X
    D = np.diag(np.concatenate([[0.0], pen]) if intercept else pen)
    A = Xa.T @ (w[:, None] * Xa) + alpha * D
    B = np.linalg.solve(A, Xa.T @ (w[:, None] * Y))
    return (B[1:], B[0]) if intercept else (B, np.zeros(Y.shape[1]))


def weighted_sd(X, w):
    """The weighted population SD about the weighted mean (fastridge._preprocessing's σ)."""
    m = (w[:, None] * X).sum(0) / w.sum()
    return np.sqrt((w[:, None] * (X - m) ** 2).sum(0) / w.sum())


def plus_interval(M, R, coverage):
    """Barber et al.'s bounds from leave-out predictions M (b, n) and residuals R (n,):
    the ⌊a(n+1)⌋-th smallest of M − R and the ⌈(1−a)(n+1)⌉-th smallest of M + R."""
    n = R.size
    a = 1.0 - coverage
    k_lo = math.floor(round(a * (n + 1), 9))
    k_hi = math.ceil(round((1 - a) * (n + 1), 9))
    lo = np.sort(M - R, axis=1)[:, k_lo - 1] if k_lo >= 1 else np.full(M.shape[0], -np.inf)
    hi = np.sort(M + R, axis=1)[:, k_hi - 1] if k_hi <= n else np.full(M.shape[0], np.inf)
    return lo, hi


def brute_jackknife_plus(X, Y, w, alphas, pen, intercept, Xt, coverage):
    """n explicit refits (one per row of positive weight), each target at its own α:
    (lower, upper) (b, k) and the leave-one-out predictions at the training rows (n, k)."""
    n, k = Y.shape
    keep = np.flatnonzero(w > 0)
    lower, upper = np.empty((Xt.shape[0], k)), np.empty((Xt.shape[0], k))
    loo = np.empty((n, k))
    for t in range(k):
        M, R = [], []
        for i in range(n):
            mask = np.arange(n) != i
            coef, b0 = ridge_np(X[mask], Y[mask, t:t + 1], w[mask], alphas[t], pen, intercept)
            loo[i, t] = (X[i] @ coef + b0)[0]
            if w[i] > 0:
                M.append((Xt @ coef + b0)[:, 0])
                R.append(abs(Y[i, t] - loo[i, t]))
        lower[:, t], upper[:, t] = plus_interval(np.array(M).T, np.array(R), coverage)
    return lower, upper, loo, keep


def brute_cv_plus(X, Y, w, folds, alphas, intercept, standardize, Xt, coverage):
    """K explicit refits, each fold's model on its training rows (standardized with them when
    `standardize`): (lower, upper) (b, k)."""
    n, k = Y.shape
    lower, upper = np.empty((Xt.shape[0], k)), np.empty((Xt.shape[0], k))
    for t in range(k):
        M, R = [], []
        for train, test in folds:
            pen = weighted_sd(X[train], w[train]) ** 2 if standardize else np.ones(X.shape[1])
            coef, b0 = ridge_np(X[train], Y[train, t:t + 1], w[train], alphas[t], pen,
                                intercept)
            for i in test:
                if w[i] > 0:
                    M.append((Xt @ coef + b0)[:, 0])
                    R.append(abs(Y[i, t] - (X[i] @ coef + b0)[0]))
        lower[:, t], upper[:, t] = plus_interval(np.array(M).T, np.array(R), coverage)
    return lower, upper


def kfold(n, K):
    """scikit-learn's KFold(K) layout (contiguous, the first n % K folds one row longer)."""
    sizes = np.full(K, n // K)
    sizes[: n % K] += 1
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    idx = np.arange(n)
    return [(np.concatenate([idx[:lo], idx[hi:]]), idx[lo:hi])
            for lo, hi in zip(bounds[:-1], bounds[1:])]


def data(n=40, p=5, k=1, seed=0, wide=False):
    rng = np.random.default_rng(seed)
    p = n + 15 if wide else p
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3.0, p) + rng.uniform(-2, 2, p)
    B = rng.standard_normal((p, k))
    Y = X @ B + 3.0 + 4.0 * rng.standard_normal((n, k))
    Xt = rng.standard_normal((7, p)) * 2.0
    return X, Y, Xt


def as_2d(a):
    return a[:, None] if a.ndim == 1 else a


# --------------------------------------------------------------------------- jackknife+
JK_CASES = {
    "intercept": dict(),
    "no-intercept": dict(fit_intercept=False),
    "weights": dict(weights=True),
    "multi-target, alpha per target": dict(k=3, alpha_per_target=True),
    "standardize, penalty factors": dict(standardize=True, penalty_factor=True),
    "wide (kernel form)": dict(wide=True),
    "sparse X": dict(sparse=True),
}


@pytest.mark.parametrize("case", list(JK_CASES))
def test_jackknife_plus_equals_n_refits(case):
    """Closed-form jackknife+ (rank-one downdates) against n explicit refits, to 1e-8."""
    opt = JK_CASES[case]
    k = opt.get("k", 1)
    X, Y, Xt = data(k=k, wide=opt.get("wide", False))
    n, p = X.shape
    rng = np.random.default_rng(1)
    w = rng.uniform(0.2, 3.0, n) if opt.get("weights") else np.ones(n)
    if opt.get("weights"):
        w[[3, 17]] = 0.0                         # rows of weight 0 take no part
    pf = rng.uniform(0.5, 2.0, p) if opt.get("penalty_factor") else None
    intercept = opt.get("fit_intercept", True)
    model = RidgeCV(alphas=np.logspace(-2, 3, 11), fit_intercept=intercept,
                    standardize=opt.get("standardize", False), penalty_factor=pf,
                    alpha_per_target=opt.get("alpha_per_target", False),
                    store_cv_results=True)
    Xfit = sps.csr_matrix(X) if opt.get("sparse") else X
    model.fit(Xfit, Y[:, 0] if k == 1 else Y, sample_weight=w if opt.get("weights") else None)
    alphas = np.broadcast_to(np.asarray(model.alpha_, dtype=float), (k,))
    # the penalty in raw units: v ∘ σ² with standardize (the full data's σ, kept in LOO)
    pen = np.ones(p) if pf is None else pf
    if opt.get("standardize"):
        pen = pen * weighted_sd(X, w) ** 2
    for coverage in (0.9, 0.75):
        lower, upper, loo, keep = brute_jackknife_plus(X, Y, w, alphas, pen, intercept, Xt,
                                                       coverage)
        Xq = sps.csr_matrix(Xt) if opt.get("sparse") else Xt
        lo, hi = model.predict_interval(Xq, coverage=coverage)
        assert lo.shape == hi.shape == model.predict(Xq).shape
        scale = np.abs(Y).max()
        np.testing.assert_allclose(as_2d(lo), lower, rtol=0, atol=1e-8 * scale)
        np.testing.assert_allclose(as_2d(hi), upper, rtol=0, atol=1e-8 * scale)
        assert np.all(lo < hi)


def test_jackknife_plus_too_few_rows_gives_infinite_bounds():
    """⌈(1−a)(n+1)⌉ > n: no finite upper bound (and ⌊a(n+1)⌋ < 1: no lower one)."""
    X, Y, Xt = data(n=8, p=2)
    model = RidgeCV(alphas=[1.0], store_cv_results=True).fit(X, Y[:, 0])
    lo, hi = model.predict_interval(Xt, coverage=0.9)     # 0.9 · 9 = 8.1 → rank 9 > 8
    assert np.all(lo == -np.inf) and np.all(hi == np.inf)
    lo, hi = model.predict_interval(Xt, coverage=0.8)     # 0.8 · 9 = 7.2 → rank 8 ≤ 8
    ref_lo, ref_hi, _, _ = brute_jackknife_plus(X, Y[:, :1], np.ones(8), [1.0], np.ones(2),
                                                True, Xt, 0.8)
    np.testing.assert_allclose(lo, ref_lo[:, 0], atol=1e-9)
    np.testing.assert_allclose(hi, ref_hi[:, 0], atol=1e-9)


def test_interval_blocks_under_working_memory():
    """Test rows in blocks (a tiny working memory) give the same bounds as one block."""
    from fastridge import config_context

    X, Y, _ = data(n=60)
    Xt = np.random.default_rng(5).standard_normal((300, X.shape[1]))
    model = RidgeCV(alphas=[0.5, 5.0, 50.0], store_cv_results=True).fit(X, Y[:, 0])
    lo, hi = model.predict_interval(Xt)
    with config_context(working_memory=0.01):              # 0.01 MiB: 2 rows × 4·60 floats
        lo2, hi2 = model.predict_interval(Xt)
    np.testing.assert_array_equal(lo, lo2)
    np.testing.assert_array_equal(hi, hi2)


# --------------------------------------------------------------------------- CV+
@pytest.mark.parametrize("case", ["plain", "weights", "standardize", "multi-target",
                                  "extended default grid"])
def test_cv_plus_equals_k_refits(case):
    """CV+ from the folds' paths against K explicit refits at alpha_, to 1e-8 (also when
    alpha_ lies on the part of the default grid added by its extension: another path call)."""
    k = 2 if case == "multi-target" else 1
    X, Y, Xt = data(n=47, k=k, seed=3)
    n = X.shape[0]
    w = np.ones(n)
    if case == "weights":
        w = np.random.default_rng(2).uniform(0.2, 3.0, n)
        w[5] = 0.0
    grid = np.logspace(-2, 3, 11)
    if case == "extended default grid":          # pure noise: the best α is past the top
        Y = np.random.default_rng(7).standard_normal((n, 1))
        grid = None
    model = RidgeCV(alphas=grid, n_alphas=10, cv=5, standardize=case == "standardize",
                    alpha_per_target=case == "multi-target", solver="cholesky",
                    store_cv_results=True)
    model.fit(X, Y[:, 0] if k == 1 else Y, sample_weight=w if case == "weights" else None)
    if grid is None:   # alpha_ is above the 10 α of the default grid: an added one
        assert model.alpha_ > model.cv_summary_["alphas"][-10]
    alphas = np.broadcast_to(np.asarray(model.alpha_, dtype=float), (k,))
    lower, upper = brute_cv_plus(X, Y, w, kfold(n, 5), alphas, True, case == "standardize",
                                 Xt, 0.9)
    lo, hi = model.predict_interval(Xt, coverage=0.9, method="cv+")
    scale = np.abs(Y).max()
    np.testing.assert_allclose(as_2d(lo), lower, rtol=0, atol=1e-8 * scale)
    np.testing.assert_allclose(as_2d(hi), upper, rtol=0, atol=1e-8 * scale)


# --------------------------------------------------------------------------- cv_predictions_
def test_cv_predictions_loo_equal_n_refits_for_every_alpha():
    """Leave-one-out predictions in raw y units, every α of a (shuffled) user grid, as
    scikit-learn's cv_results_ layout (n, n_targets, n_alphas); a row of weight 0 gets the
    full fit's prediction (its leave-one-out fit is the full fit)."""
    X, Y, _ = data(n=30, k=2, seed=4)
    n, p = X.shape
    w = np.random.default_rng(3).uniform(0.5, 2.0, n)
    w[7] = 0.0
    grid = np.array([10.0, 0.01, 1.0, 100.0, 0.1])
    model = RidgeCV(alphas=grid, store_cv_results=True).fit(X, Y, sample_weight=w)
    assert model.cv_predictions_.shape == (n, 2, grid.size)
    for j, a in enumerate(model.cv_summary_["alphas"]):
        for i in range(n):
            mask = np.arange(n) != i
            coef, b0 = ridge_np(X[mask], Y[mask], w[mask], a, np.ones(p), True)
            np.testing.assert_allclose(model.cv_predictions_[i, :, j], X[i] @ coef + b0,
                                       rtol=1e-9, atol=1e-9)
    # the default scoring keeps the squared errors in cv_results_: wᵢ eᵢ², the same residuals
    e = Y[:, :, None] - model.cv_predictions_
    np.testing.assert_allclose(model.cv_results_, w[:, None, None] * e ** 2, rtol=1e-9,
                               atol=1e-12)


def test_cv_predictions_kfold_equal_k_refits_and_1d_layout():
    X, Y, _ = data(n=33, seed=6)
    n, p = X.shape
    grid = np.array([3.0, 0.3, 30.0])
    model = RidgeCV(alphas=grid, cv=4, solver="cholesky", store_cv_results=True)
    model.fit(X, Y[:, 0])
    assert model.cv_predictions_.shape == (n, grid.size)
    for j, a in enumerate(model.cv_summary_["alphas"]):
        for train, test in kfold(n, 4):
            coef, b0 = ridge_np(X[train], Y[train], np.ones(train.size), a, np.ones(p), True)
            np.testing.assert_allclose(model.cv_predictions_[test, j], (X[test] @ coef + b0)[:, 0],
                                       rtol=1e-9, atol=1e-9)


def test_cv_predictions_default_grid_follows_the_extended_summary():
    """On the default (extended) grid, column j of cv_predictions_ is cv_summary_'s alphas[j]."""
    X, Y, _ = data(n=25, seed=8)
    n, p = X.shape
    for cv in (None, 5):
        model = RidgeCV(cv=cv, n_alphas=12, store_cv_results=True).fit(X, Y[:, 0])
        grid = model.cv_summary_["alphas"]
        assert model.cv_predictions_.shape == (n, grid.size)
        j = grid.size // 2
        train, test = (np.arange(1, n), np.array([0])) if cv is None else kfold(n, 5)[0]
        coef, b0 = ridge_np(X[train], Y[train], np.ones(train.size), grid[j], np.ones(p), True)
        np.testing.assert_allclose(model.cv_predictions_[test, j], (X[test] @ coef + b0)[:, 0],
                                   rtol=1e-7, atol=1e-7)


def test_no_state_without_store_and_refit_clears_it():
    X, Y, Xt = data(n=30)
    model = RidgeCV(alphas=[1.0], store_cv_results=True).fit(X, Y[:, 0])
    assert hasattr(model, "cv_predictions_")
    model.set_params(store_cv_results=False).fit(X, Y[:, 0])
    assert not hasattr(model, "cv_predictions_")
    with pytest.raises(ValueError, match="store_cv_results=True"):
        model.predict_interval(Xt)


# --------------------------------------------------------------------------- errors
def test_predict_interval_refusals_name_the_argument():
    X, Y, Xt = data(n=30)
    with pytest.raises(NotFittedError):
        RidgeCV(store_cv_results=True).predict_interval(Xt)
    loo = RidgeCV(alphas=[1.0], store_cv_results=True).fit(X, Y[:, 0])
    kf = RidgeCV(alphas=[1.0], cv=3, store_cv_results=True).fit(X, Y[:, 0])
    with pytest.raises(ValueError, match=r"method='cv\+'.*leave-one-out"):
        loo.predict_interval(Xt, method="cv+")
    with pytest.raises(ValueError, match=r"method='jackknife\+'.*k-fold"):
        kf.predict_interval(Xt, method="jackknife+")
    with pytest.raises(ValueError, match="method must be"):
        loo.predict_interval(Xt, method="naive")
    for bad in (0.0, 1.0, -0.1, 1.5, np.nan, True, "0.9"):
        with pytest.raises(ValueError, match="coverage"):
            loo.predict_interval(Xt, coverage=bad)
    with pytest.raises(ValueError, match="features"):
        loo.predict_interval(Xt[:, :2])
    # CV+ needs a partition: ShuffleSplit's test sets leave rows out
    ShuffleSplit = pytest.importorskip("sklearn.model_selection").ShuffleSplit

    ss = RidgeCV(alphas=[1.0], cv=ShuffleSplit(3, random_state=0), store_cv_results=True,
                 scoring="neg_mean_squared_error").fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="partition"):
        ss.predict_interval(Xt)


def test_predict_interval_refuses_dask():
    da = pytest.importorskip("dask.array")
    X, Y, Xt = data(n=30)
    model = RidgeCV(alphas=[1.0], store_cv_results=True).fit(X, Y[:, 0])
    with pytest.raises(TypeError, match="Dask"):
        model.predict_interval(da.from_array(Xt, chunks=3))


# --------------------------------------------------------------------------- MAPIE
@pytest.mark.parametrize("cv", [None, 5])
def test_matches_mapie(cv):
    """MAPIE's CrossConformalRegressor(method="plus") with scikit-learn's Ridge at alpha_, over
    LeaveOneOut or the same KFold(5), gives the same bounds."""
    mapie = pytest.importorskip("mapie.regression")
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, LeaveOneOut

    X, Y, Xt = data(n=49, seed=9)
    y = Y[:, 0]
    model = RidgeCV(alphas=np.logspace(-2, 3, 11), cv=cv, solver="cholesky",
                    store_cv_results=True).fit(X, y)
    lo, hi = model.predict_interval(Xt, coverage=0.8)
    splitter = LeaveOneOut() if cv is None else KFold(5)
    reg = mapie.CrossConformalRegressor(Ridge(alpha=model.alpha_), confidence_level=0.8,
                                        method="plus", cv=splitter).fit_conformalize(X, y)
    _, pis = reg.predict_interval(Xt)
    np.testing.assert_allclose(lo, pis[:, 0, 0], rtol=0, atol=1e-8)
    np.testing.assert_allclose(hi, pis[:, 1, 0], rtol=0, atol=1e-8)


# --------------------------------------------------------------------------- coverage
def coverage_run(cv, reps, n=50, coverage=0.9, seed=0):
    """Fraction of fresh (x, y) inside the interval over `reps` independent data sets (one
    test point each; heavy-tailed noise, a fixed α so that the paper's guarantee applies)."""
    rng = np.random.default_rng(seed)
    p = 5
    beta = np.array([2.0, -1.0, 0.5, 0.0, 1.0])
    hits = 0
    for _ in range(reps):
        X = rng.standard_normal((n + 1, p))
        y = X @ beta + rng.standard_t(3, n + 1)
        model = RidgeCV(alphas=[2.0], cv=cv, store_cv_results=True,
                        scoring="neg_mean_squared_error").fit(X[:n], y[:n])
        lo, hi = model.predict_interval(X[n:], coverage=coverage)
        hits += int(lo[0] <= y[n] <= hi[0])
    return hits / reps


@pytest.mark.parametrize("cv, reps", [(None, 2000), (5, 1000)])
def test_coverage_by_simulation(cv, reps):
    """Empirical coverage ≥ nominal − 3 Monte Carlo standard errors (the theory guarantees
    ≥ 1 − 2a; in practice ≈ 1 − a)."""
    observed = coverage_run(cv, reps)
    mc = math.sqrt(0.9 * 0.1 / reps)
    print(f"\n{'jackknife+' if cv is None else 'CV+ (K=5)'}: nominal 0.90, observed "
          f"{observed:.4f}, MC s.e. {mc:.4f} ({reps} reps, n=50)")
    assert observed >= 0.9 - 3 * mc
    assert observed >= 0.8
