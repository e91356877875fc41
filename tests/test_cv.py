"""RidgeCV: leave-one-out against brute-force refits, k-fold against a manual loop over the same
folds, the selection rules, per-target α, the default grid, the refit, scoring callables,
splitters, bad input, scikit-learn's RidgeCV and check_estimator, the verbose progress lines."""
import re
import warnings

import numpy as np
import pytest

from conftest import make_data
from fastridge import Ridge, RidgeCV
from fastridge.exceptions import AlphaGridWarning

GRID = np.logspace(-3, 3, 9)


# --------------------------------------------------------------------------- oracles
def _loo_errors(X, Y, alphas, w=None, **kw):
    """Leave-one-out residuals by refitting Ridge(solver="svd") without each row: (m, n, k)."""
    n = X.shape[0]
    Y2 = Y.reshape(n, -1)
    E = np.empty((len(alphas), n, Y2.shape[1]))
    for i in range(n):
        keep = np.arange(n) != i
        wk = None if w is None else w[keep]
        for j, a in enumerate(alphas):
            est = Ridge(alpha=a, solver="svd", **kw).fit(X[keep], Y[keep], sample_weight=wk)
            E[j, i] = Y2[i] - np.asarray(est.predict(X[i:i + 1])).reshape(-1)
    return E


def _row_stats(E, w=None):
    """Weighted mean of the squared errors over rows and glmnet's standard error with each row a
    fold of weight wᵢ; E (m, n) → (m,), (m,)."""
    n = E.shape[1]
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    q = E ** 2
    mean = q @ w / w.sum()
    n_eff = np.count_nonzero(w)
    se = np.sqrt(((q - mean[:, None]) ** 2) @ w / w.sum() / (n_eff - 1))
    return mean, se


def _fold_errors(X, Y, alphas, folds, w=None, solver="svd", **kw):
    """Per-fold (weighted) mean squared error of Ridge fits on the training rows: (F, m, k), and
    the fold weights (F,)."""
    n = X.shape[0]
    Y2 = Y.reshape(n, -1)
    errs = np.empty((len(folds), len(alphas), Y2.shape[1]))
    weights = np.empty(len(folds))
    for f, (train, test) in enumerate(folds):
        wt = np.ones(test.size) if w is None else w[test]
        weights[f] = wt.sum()
        for j, a in enumerate(alphas):
            est = Ridge(alpha=a, solver=solver, **kw).fit(
                X[train], Y[train], sample_weight=None if w is None else w[train])
            r = Y2[test] - np.asarray(est.predict(X[test])).reshape(test.size, -1)
            errs[f, j] = wt @ (r ** 2) / wt.sum()
    return errs, weights


def _glmnet_stats(errs, weights):
    """cv.glmnet's cvm and cvsd over folds (axis 0)."""
    mean = np.average(errs, axis=0, weights=weights)
    var = np.average((errs - mean) ** 2, axis=0, weights=weights) / (errs.shape[0] - 1)
    return mean, np.sqrt(var)


def _weights(n, seed, zeros=True):
    w = np.random.default_rng(seed).uniform(0.3, 3.0, n)
    if zeros:
        w[[2, 7]] = 0.0
    return w


# --------------------------------------------------------------------------- leave-one-out
@pytest.mark.parametrize("shape", [(40, 6), (15, 30)], ids=["tall", "wide"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_loo_equals_brute_force(shape, fit_intercept, weighted):
    n, p = shape
    X, y = make_data(n=n, p=p, seed=1, offset=3.0 if fit_intercept else 0.0, noise=0.5)
    w = _weights(n, 2) if weighted else None
    grid = np.logspace(-2, 3, 7)
    est = RidgeCV(alphas=grid, fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    E = _loo_errors(X, y, grid, w, fit_intercept=fit_intercept)[:, :, 0]
    mean, se = _row_stats(E, w)
    res = est.cv_results_
    np.testing.assert_array_equal(res["alphas"], grid)
    np.testing.assert_allclose(res["mean_error"], mean, rtol=1e-7)
    np.testing.assert_allclose(res["se_error"], se, rtol=1e-6)
    i = np.argmin(mean)
    assert est.alpha_ == grid[i]
    assert est.best_score_ == pytest.approx(-mean[i], rel=1e-7)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_loo_standardize_exact_at_full_data_scaling(weighted, fit_intercept):
    """standardize=True: LOO equals refits on X divided by the full data's (weighted) SD."""
    X, y = make_data(n=30, p=5, seed=3, offset=2.0 if fit_intercept else 0.0, noise=0.5)
    X = X * np.array([1e-2, 1.0, 30.0, 1e3, 0.5])
    w = _weights(30, 4) if weighted else None
    ww = np.ones(30) if w is None else w
    mu = ww @ X / ww.sum()  # the SD about the weighted mean, with or without an intercept
    sd = np.sqrt(ww @ (X - mu) ** 2 / ww.sum())
    pf = np.array([1.0, 0.5, 2.0, 1.0, 3.0])
    grid = np.logspace(-2, 2, 5)
    est = RidgeCV(alphas=grid, standardize=True, penalty_factor=pf,
                  fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    E = _loo_errors(X / sd, y, grid, w, penalty_factor=pf, fit_intercept=fit_intercept)
    mean, se = _row_stats(E[:, :, 0], w)
    np.testing.assert_allclose(est.cv_results_["mean_error"], mean, rtol=1e-7)
    np.testing.assert_allclose(est.cv_results_["se_error"], se, rtol=1e-6)


def test_loo_duplicated_columns_tiny_alpha():
    """Rank-deficient [X, X] with α (down to 1e-10) equals X with α/2 (an exact identity)."""
    X, y = make_data(n=30, p=5, seed=5, noise=0.5)
    X2 = np.hstack([X, X])
    grid = np.array([1e-10, 1e-6, 1e-2, 1.0])
    est = RidgeCV(alphas=grid).fit(X2, y)
    mean, se = est.cv_results_["mean_error"], est.cv_results_["se_error"]
    assert np.all(np.isfinite(mean)) and np.all(np.isfinite(se))
    E = _loo_errors(X, y, grid / 2)[:, :, 0]
    ref_mean, ref_se = _row_stats(E)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-6)
    np.testing.assert_allclose(se, ref_se, rtol=1e-5)


def _min_norm_loo(X, y, fit_intercept):
    """α = 0 leave-one-out with numpy's minimum-norm least squares (the α → 0⁺ limit of ridge:
    minimum norm of β, intercept unpenalized)."""
    n = X.shape[0]
    e = np.empty(n)
    for i in range(n):
        keep = np.arange(n) != i
        Xk, yk = X[keep], y[keep]
        xm, ym = (Xk.mean(axis=0), yk.mean()) if fit_intercept else (0.0, 0.0)
        b = np.linalg.lstsq(Xk - xm, yk - ym, rcond=None)[0]
        e[i] = y[i] - (ym + (X[i] - xm) @ b)
    return e


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_loo_wide_interpolating_tiny_and_zero_alpha(fit_intercept):
    """p > n: every leverage → 1 as α → 0; the errors stay finite and equal the refits (α = 0:
    minimum-norm least squares without row i)."""
    rng = np.random.default_rng(6)
    X = rng.standard_normal((12, 40)) + (1.0 if fit_intercept else 0.0)
    y = X @ rng.standard_normal(40) / 5 + 2.0 + rng.standard_normal(12)
    grid = np.array([0.0, 1e-12, 1e-8, 1e-3, 1.0])
    est = RidgeCV(alphas=grid, fit_intercept=fit_intercept).fit(X, y)
    mean, se = est.cv_results_["mean_error"], est.cv_results_["se_error"]
    assert np.all(np.isfinite(mean)) and np.all(np.isfinite(se))
    E = _loo_errors(X, y, grid[1:], fit_intercept=fit_intercept)[:, :, 0]
    E = np.vstack([_min_norm_loo(X, y, fit_intercept), E])
    ref_mean, ref_se = _row_stats(E)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-6)
    np.testing.assert_allclose(se, ref_se, rtol=1e-5)


def test_loo_row_with_its_own_feature():
    """A feature nonzero in one row only: that row's leverage is 1 at α = 0 (the least-squares
    fit interpolates it); its LOO error is that of a fit where the feature is absent."""
    X, y = make_data(n=25, p=4, seed=7, noise=0.5)
    X = np.hstack([X, np.zeros((25, 1))])
    X[4, -1] = 2.0
    y = y.copy()
    y[4] += 3.0
    grid = np.array([0.0, 1e-10, 1e-4, 0.1, 10.0])
    est = RidgeCV(alphas=grid).fit(X, y)
    mean = est.cv_results_["mean_error"]
    assert np.all(np.isfinite(mean))
    E = _loo_errors(X, y, grid)[:, :, 0]
    ref_mean, ref_se = _row_stats(E)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-6)
    np.testing.assert_allclose(est.cv_results_["se_error"], ref_se, rtol=1e-5)


def test_loo_sparse_and_float32():
    sp = pytest.importorskip("scipy.sparse")
    X, y = make_data(n=50, p=8, seed=8, noise=0.5)
    w = _weights(50, 9)
    dense = RidgeCV(alphas=GRID).fit(X, y, sample_weight=w)
    for conv in (sp.csr_matrix, sp.csc_array, sp.coo_array):
        sparse = RidgeCV(alphas=GRID).fit(conv(X), y, sample_weight=w)
        np.testing.assert_allclose(sparse.cv_results_["mean_error"],
                                   dense.cv_results_["mean_error"], rtol=1e-8)
    f32 = RidgeCV(alphas=GRID).fit(X.astype(np.float32), y.astype(np.float32), sample_weight=w)
    assert f32.coef_.dtype == np.float32 and f32.predict(X.astype(np.float32)).dtype == np.float32
    np.testing.assert_allclose(f32.cv_results_["mean_error"], dense.cv_results_["mean_error"],
                               rtol=2e-3)


def test_loo_equals_n_fold():
    """Leave-one-out from the spectrum equals k-fold with one row per fold (paths), weights and
    all: mean and standard error."""
    X, y = make_data(n=20, p=5, seed=10, noise=0.5)
    w = _weights(20, 11)
    loo = RidgeCV(alphas=GRID).fit(X, y, sample_weight=w)
    nfold = RidgeCV(alphas=GRID, cv=20, solver="svd", scoring="neg_mean_squared_error").fit(
        X, y, sample_weight=w)
    np.testing.assert_allclose(loo.cv_results_["mean_error"], nfold.cv_results_["mean_error"],
                               rtol=1e-7)
    np.testing.assert_allclose(loo.cv_results_["se_error"], nfold.cv_results_["se_error"],
                               rtol=1e-6)
    assert loo.alpha_ == nfold.alpha_


def test_loo_zero_penalty_factor_exact():
    # an unpenalized column joins the intercept's projection (its leverage in 1 − hᵢᵢ):
    # exact leave-one-out equals n refits of the closed form with that column unpenalized
    X, y = make_data(n=30, p=4, seed=12)
    v = np.array([1.0, 0.0, 1.0, 1.0])
    est = RidgeCV(alphas=GRID, penalty_factor=v).fit(X, y)
    for j, a in enumerate(GRID):
        err = []
        for i in range(30):
            keep = np.arange(30) != i
            xm, ym = X[keep].mean(axis=0), y[keep].mean()
            Xc = X[keep] - xm
            b = np.linalg.solve(Xc.T @ Xc + a * np.diag(v), Xc.T @ (y[keep] - ym))
            err.append((y[i] - ym - (X[i] - xm) @ b) ** 2)
        np.testing.assert_allclose(est.cv_results_["mean_error"][j], np.mean(err), rtol=1e-9)
    # k-fold handles it too
    est = RidgeCV(alphas=GRID, penalty_factor=[1.0, 0.0, 1.0, 1.0], cv=3).fit(X, y)
    assert est.alpha_ in GRID


# --------------------------------------------------------------------------- k-fold
@pytest.mark.parametrize("solver", ["auto", "cholesky", "cd", "cg"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("k", [None, 2])
def test_kfold_equals_manual_loop(solver, weighted, k):
    X, y = make_data(n=43, p=6, k=k, seed=13, noise=0.5)
    w = _weights(43, 14) if weighted else None
    folds = [(np.setdiff1d(np.arange(43), t), t) for t in np.array_split(np.arange(43), 5)]
    est = RidgeCV(alphas=GRID, cv=5, solver=solver, tol=1e-12, max_iter=100000,
                  scoring="neg_mean_squared_error").fit(X, y, sample_weight=w)
    errs, weights = _fold_errors(X, y, GRID, folds, w)
    mean, se = _glmnet_stats(errs.mean(axis=2), weights)   # averaged over targets
    np.testing.assert_allclose(est.cv_results_["mean_error"], mean, rtol=1e-7)
    np.testing.assert_allclose(est.cv_results_["se_error"], se, rtol=1e-6)
    assert est.alpha_ == GRID[np.argmin(mean)]


def test_kfold_sparse_standardize_penalty_factor():
    sp = pytest.importorskip("scipy.sparse")
    X, y = make_data(n=36, p=6, seed=15, noise=0.5)
    X = X * np.geomspace(0.1, 10, 6)
    pf = np.array([1.0, 0.0, 2.0, 1.0, 0.5, 1.0])
    folds = [(np.setdiff1d(np.arange(36), t), t) for t in np.array_split(np.arange(36), 4)]
    est = RidgeCV(alphas=GRID, cv=4, standardize=True, penalty_factor=pf, tol=1e-12,
                  max_iter=100000, scoring="neg_mean_squared_error").fit(sp.csr_array(X), y)
    errs, weights = _fold_errors(X, y, GRID, folds, standardize=True, penalty_factor=pf)
    mean, se = _glmnet_stats(errs[:, :, 0], weights)
    np.testing.assert_allclose(est.cv_results_["mean_error"], mean, rtol=1e-7)
    np.testing.assert_allclose(est.cv_results_["se_error"], se, rtol=1e-6)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("solver", ["auto", "svd"])
def test_kfold_zero_penalty_factor_equals_manual_loop(weighted, solver):
    # "auto" scores each fold from its decomposition (`spectral_fold_errors`): with unpenalized
    # columns their coefficients (the same at every α) are part of every test residual
    X, y = make_data(n=40, p=6, k=3, seed=16, noise=0.5)
    w = _weights(40, 17) if weighted else None
    pf = np.array([1.0, 0.0, 2.0, 1.0, 0.0, 1.0])
    folds = [(np.setdiff1d(np.arange(40), t), t) for t in np.array_split(np.arange(40), 4)]
    est = RidgeCV(alphas=GRID, cv=4, solver=solver, penalty_factor=pf,
                  scoring="neg_mean_squared_error").fit(X, y, sample_weight=w)
    errs, weights = _fold_errors(X, y, GRID, folds, w, penalty_factor=pf)
    mean, se = _glmnet_stats(errs.mean(axis=2), weights)
    np.testing.assert_allclose(est.cv_results_["mean_error"], mean, rtol=1e-7)
    np.testing.assert_allclose(est.cv_results_["se_error"], se, rtol=1e-6)


@pytest.mark.parametrize("memory", [None, 1e-4])
def test_many_targets_in_blocks_equal_refits(memory):
    # one α per target; with a tiny memory budget the leave-one-out moments run in blocks
    # of α and rows (64 rows at least: three blocks here) and the fold scores in blocks of
    # targets: the same numbers as refits
    from fastridge import config_context

    X, Y = make_data(n=140, p=8, k=7, seed=21, noise=0.5)
    Y = Y * np.geomspace(1e-3, 1e3, 7)              # targets of very different scales
    folds = [(np.setdiff1d(np.arange(140), t), t) for t in np.array_split(np.arange(140), 4)]
    kw = {} if memory is None else dict(loo_memory=memory, block_memory=memory)
    with config_context(**kw):
        loo = RidgeCV(alphas=GRID, alpha_per_target=True).fit(X, Y)
        kf = RidgeCV(alphas=GRID, cv=4, alpha_per_target=True,
                     scoring="neg_mean_squared_error").fit(X, Y)
    err = np.empty((GRID.size, 140, 7))
    for i in range(140):
        keep = np.arange(140) != i
        for j, a in enumerate(GRID):
            est = Ridge(alpha=a, solver="svd").fit(X[keep], Y[keep])
            err[j, i] = (Y[i] - est.predict(X[i:i + 1])[0]) ** 2
    np.testing.assert_allclose(loo.cv_results_["mean_error"], err.mean(axis=1), rtol=1e-8)
    np.testing.assert_allclose(loo.cv_results_["se_error"],
                               err.std(axis=1, ddof=1) / np.sqrt(140), rtol=1e-6)
    np.testing.assert_array_equal(loo.alpha_, GRID[np.argmin(err.mean(axis=1), axis=0)])
    errs, weights = _fold_errors(X, Y, GRID, folds)
    mean, se = _glmnet_stats(errs, weights)
    np.testing.assert_allclose(kf.cv_results_["mean_error"], mean, rtol=1e-8)
    np.testing.assert_allclose(kf.cv_results_["se_error"], se, rtol=1e-6)
    np.testing.assert_array_equal(kf.alpha_, GRID[np.argmin(mean, axis=0)])


class ShuffledFolds:
    """A minimal splitter: a permutation cut into k folds."""

    def __init__(self, k, seed):
        self.k, self.seed = k, seed

    def split(self, X, y=None):
        perm = np.random.default_rng(self.seed).permutation(X.shape[0])
        for test in np.array_split(perm, self.k):
            yield np.setdiff1d(np.arange(X.shape[0]), test), np.sort(test)


def test_splitter_and_iterable_of_pairs():
    X, y = make_data(n=30, p=4, seed=16, noise=0.5)
    splitter = ShuffledFolds(3, seed=17)
    folds = list(splitter.split(X, y))
    errs, weights = _fold_errors(X, y, GRID, folds)
    mean, se = _glmnet_stats(errs[:, :, 0], weights)
    for cv in (splitter, folds):
        est = RidgeCV(alphas=GRID, cv=cv, scoring="neg_mean_squared_error").fit(X, y)
        np.testing.assert_allclose(est.cv_results_["mean_error"], mean, rtol=1e-7)
        np.testing.assert_allclose(est.cv_results_["se_error"], se, rtol=1e-6)
    # unequal fold sizes are weighted by size: the mean is the error pooled over all rows
    uneven = [(np.arange(5, 30), np.arange(5)), (np.arange(5), np.arange(5, 30))]
    est = RidgeCV(alphas=GRID, cv=uneven, scoring="neg_mean_squared_error").fit(X, y)
    errs, weights = _fold_errors(X, y, GRID, uneven)
    np.testing.assert_allclose(est.cv_results_["mean_error"],
                               (errs[0, :, 0] * 5 + errs[1, :, 0] * 25) / 30, rtol=1e-7)


# --------------------------------------------------------------------------- rules
def test_select_alpha_on_constructed_curves():
    from fastridge._engine.selection import select_alpha

    alphas = np.array([100.0, 10.0, 1.0, 0.1, 0.01])
    mean = np.array([5.0, 2.05, 1.5, 1.0, 1.2])
    se = np.array([0.3, 0.3, 0.3, 0.5, 0.3])
    assert select_alpha(alphas, mean, se, "min") == 3
    assert select_alpha(alphas, mean, se, "1se") == 2          # 1.5 ≤ 1.0 + 0.5 < 2.05
    # the SE used is the one at the minimum, not at the candidate
    se2 = np.array([0.3, 5.0, 0.3, 0.6, 0.3])
    assert select_alpha(alphas, mean, se2, "1se") == 2          # 2.05 > 1.6
    # the order of the grid does not matter
    perm = np.array([2, 4, 0, 3, 1])
    assert alphas[perm][select_alpha(alphas[perm], mean[perm], se[perm], "1se")] == 1.0
    # ties at the minimum: the largest α; NaN errors are ignored
    assert select_alpha(alphas, [3.0, 1.0, 1.0, np.nan, 2.0], se, "min") == 1


@pytest.mark.parametrize("cv", [None, 4])
def test_1se_rule_through_fit(cv):
    X, y = make_data(n=40, p=10, seed=18, noise=2.0)
    grid = np.logspace(-3, 4, 30)
    est = RidgeCV(alphas=grid, cv=cv, rule="1se").fit(X, y)
    mean, se = est.cv_results_["mean_error"], est.cv_results_["se_error"]
    i = np.argmin(mean)
    expected = grid[mean <= mean[i] + se[i]].max()
    assert est.alpha_ == expected
    assert est.alpha_ > grid[i]                # the data are noisy enough for a difference
    assert est.best_score_ == pytest.approx(-mean[grid == expected][0])
    assert RidgeCV(alphas=grid, cv=cv).fit(X, y).alpha_ == grid[i]


# --------------------------------------------------------------------------- targets, grid, refit
@pytest.mark.parametrize("cv", [None, 3])
def test_alpha_per_target_equals_separate_fits(cv):
    X, _ = make_data(n=40, p=6, seed=19)
    rng = np.random.default_rng(20)
    Y = np.column_stack([X @ rng.standard_normal(6) + s * rng.standard_normal(40)
                         for s in (0.1, 3.0, 30.0)])
    grid = np.logspace(-3, 4, 15)
    both = RidgeCV(alphas=grid, cv=cv, alpha_per_target=True).fit(X, Y)
    assert both.alpha_.shape == (3,) and both.cv_results_["mean_error"].shape == (15, 3)
    assert both.coef_.shape == (3, 6) and both.best_score_.shape == (3,)
    for t in range(3):
        one = RidgeCV(alphas=grid, cv=cv).fit(X, Y[:, t])
        assert both.alpha_[t] == one.alpha_
        np.testing.assert_allclose(both.cv_results_["mean_error"][:, t],
                                   one.cv_results_["mean_error"], rtol=1e-9)
        np.testing.assert_allclose(both.cv_results_["se_error"][:, t],
                                   one.cv_results_["se_error"], rtol=1e-9)
        np.testing.assert_allclose(both.coef_[t], one.coef_, rtol=1e-9, atol=1e-12)
        assert both.best_score_[t] == pytest.approx(one.best_score_)
    assert len(set(both.alpha_)) > 1
    # one α for all: the curve is the per-target curves averaged
    joint = RidgeCV(alphas=grid, cv=cv).fit(X, Y)
    np.testing.assert_allclose(joint.cv_results_["mean_error"],
                               both.cv_results_["mean_error"].mean(axis=1), rtol=1e-9)
    assert np.ndim(joint.alpha_) == 0


@pytest.mark.parametrize("shape", [(60, 5), (20, 30)])
def test_default_grid_follows_the_rule(shape):
    n, p = shape
    X, y = make_data(n=n, p=p, seed=21)
    w = np.random.default_rng(22).uniform(0.5, 2.0, n)
    est = RidgeCV(n_alphas=25).fit(X, y, sample_weight=w)
    xm, ym = w @ X / w.sum(), w @ y / w.sum()
    sigma_y = np.sqrt(w @ (y - ym) ** 2 / w.sum())
    amax = np.abs((X - xm).T @ (w * (y - ym))).max() / (1e-3 * sigma_y)
    ratio = 1e-4 if n >= p else 1e-2
    grid = est.cv_results_["alphas"]
    start = int(np.argmin(np.abs(np.log(grid / amax))))
    np.testing.assert_allclose(grid[start:start + 25], np.geomspace(amax, amax * ratio, 25),
                               rtol=1e-9)
    # points added past an end keep the grid's log spacing
    step = ratio ** (1 / 24)
    np.testing.assert_allclose(grid, amax * step ** (np.arange(grid.size) - start), rtol=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)  # these data want least squares
        assert RidgeCV().fit(X, y).cv_results_["alphas"].size >= 100


@pytest.mark.parametrize("cv", [None, 5])
@pytest.mark.parametrize("k", [None, 2])
def test_refit_equals_ridge_at_alpha(cv, k):
    X, y = make_data(n=50, p=7, k=k, seed=23, noise=0.5)
    w = _weights(50, 24)
    est = RidgeCV(cv=cv, standardize=True).fit(X, y, sample_weight=w)
    ref = Ridge(alpha=est.alpha_, standardize=True).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-10)
    np.testing.assert_allclose(est.predict(X), ref.predict(X), rtol=1e-10)
    assert isinstance(est.alpha_, float) and isinstance(est.best_score_, float)
    assert est.n_features_in_ == 7
    assert est.score(X, y) == pytest.approx(ref.score(X, y))


# --------------------------------------------------------------------------- scoring
def _r2(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return 1.0 - np.sum((y_true - y_pred) ** 2) / np.sum((y_true - y_true.mean()) ** 2)


def test_scoring_callable_loo():
    X, y = make_data(n=30, p=5, seed=25, noise=0.5)
    est = RidgeCV(alphas=GRID, scoring=_r2).fit(X, y)
    E = _loo_errors(X, y, GRID)[:, :, 0]
    ref = np.array([-_r2(y, y - e) for e in E])
    np.testing.assert_allclose(est.cv_results_["mean_error"], ref, rtol=1e-8)
    assert np.all(np.isnan(est.cv_results_["se_error"]))
    assert est.alpha_ == GRID[np.argmin(ref)]
    assert est.best_score_ == pytest.approx(-ref.min())
    with pytest.raises(ValueError, match="1se"):
        RidgeCV(alphas=GRID, scoring=_r2, rule="1se").fit(X, y)


def test_scoring_callable_kfold():
    X, y = make_data(n=30, p=5, seed=26, noise=0.5)
    folds = [(np.setdiff1d(np.arange(30), t), t) for t in np.array_split(np.arange(30), 3)]
    est = RidgeCV(alphas=GRID, cv=3, scoring=_r2, rule="1se").fit(X, y)
    scores = np.empty((3, GRID.size))
    for f, (train, test) in enumerate(folds):
        for j, a in enumerate(GRID):
            scores[f, j] = _r2(y[test], Ridge(alpha=a).fit(X[train], y[train]).predict(X[test]))
    mean, se = _glmnet_stats(-scores, np.full(3, 10.0))
    np.testing.assert_allclose(est.cv_results_["mean_error"], mean, rtol=1e-8)
    np.testing.assert_allclose(est.cv_results_["se_error"], se, rtol=1e-7)


@pytest.mark.parametrize("cv", [None, 4])
def test_weighted_scoring_callable_matches_default(cv):
    """A scorer taking sample_weight gets the weights; minus weighted MSE reproduces the
    default curve, including rows of weight 0."""
    def neg_mse(y_true, y_pred, sample_weight=None):
        return -np.average((y_true - y_pred) ** 2, weights=sample_weight)

    X, y = make_data(n=32, p=5, seed=27, noise=0.5)
    w = _weights(32, 28)
    a = RidgeCV(alphas=GRID, cv=cv, scoring=neg_mse).fit(X, y, sample_weight=w)
    b = RidgeCV(alphas=GRID, cv=cv, scoring="neg_mean_squared_error").fit(X, y,
                                                                           sample_weight=w)
    np.testing.assert_allclose(a.cv_results_["mean_error"], b.cv_results_["mean_error"],
                               rtol=1e-9)
    assert a.alpha_ == b.alpha_


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("params,match", [
    (dict(rule="max"), "rule"),
    (dict(rule=None), "rule"),
    (dict(cv=1), "cv"),
    (dict(cv=0), "cv"),
    (dict(cv=2.5), "cv"),
    (dict(cv="five"), "cv"),
    (dict(cv=True), "cv"),
    (dict(cv=100), "cv=100.*n_splits"),
    (dict(alphas=[1.0, -1.0]), "alphas"),
    (dict(alphas=[1.0, np.nan]), "alphas"),
    (dict(alphas=[]), "alphas"),
    (dict(alphas=np.array([[1.0, 2.0]])), "alphas"),
    (dict(scoring="no_such_scorer"), "scoring"),
    (dict(n_alphas=0), "n_alphas"),
    (dict(solver="bogus"), "solver"),
    (dict(gcv_mode="fast"), "gcv_mode"),
])
def test_bad_parameters(params, match):
    X, y = make_data(n=20, p=3, seed=29)
    with pytest.raises(ValueError, match=match):
        RidgeCV(**params).fit(X, y)


def test_bad_types_and_unfitted():
    from fastridge.exceptions import NotFittedError

    X, y = make_data(n=20, p=3, seed=30)
    with pytest.raises(TypeError, match="alpha_per_target"):
        RidgeCV(alpha_per_target="yes").fit(X, y)
    with pytest.raises(TypeError, match="alphas"):
        RidgeCV(alphas="big").fit(X, y)
    with pytest.raises(NotFittedError):
        RidgeCV().predict(X)
    with pytest.raises(ValueError, match="features"):
        RidgeCV(alphas=GRID).fit(X, y).predict(X[:, :2])


def test_inputs_not_modified():
    X, y = make_data(n=24, p=4, seed=31)
    w = _weights(24, 32)
    X.flags.writeable = False
    y.flags.writeable = False
    w.flags.writeable = False
    Xc, yc, wc = X.copy(), y.copy(), w.copy()
    for cv in (None, 3):
        RidgeCV(cv=cv).fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(y, yc)
    np.testing.assert_array_equal(w, wc)


# --------------------------------------------------------------------------- scikit-learn
def test_same_alpha_as_sklearn_loo():
    sklm = pytest.importorskip("sklearn.linear_model")
    grid = np.logspace(-3, 3, 31)
    for seed, shape in ((33, (60, 8)), (34, (20, 40))):
        X, y = make_data(n=shape[0], p=shape[1], seed=seed, noise=1.0)
        ours = RidgeCV(alphas=grid).fit(X, y)
        ref = sklm.RidgeCV(alphas=grid, store_cv_results=True).fit(X, y)
        assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
        np.testing.assert_allclose(ours.cv_results_["mean_error"],
                                   ref.cv_results_.mean(axis=0), rtol=1e-6)
        np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-7, atol=1e-10)
        w = np.random.default_rng(seed).uniform(0.5, 2.0, shape[0])
        ours_w = RidgeCV(alphas=grid).fit(X, y, sample_weight=w)
        ref_w = sklm.RidgeCV(alphas=grid).fit(X, y, sample_weight=w)
        assert ours_w.alpha_ == pytest.approx(ref_w.alpha_, rel=1e-12)


def test_same_alpha_as_sklearn_kfold():
    pytest.importorskip("sklearn")
    from sklearn.linear_model import RidgeCV as SkRidgeCV
    from sklearn.model_selection import KFold

    X, y = make_data(n=50, p=8, seed=35, noise=1.0)
    grid = np.logspace(-3, 3, 31)
    # the default k-fold criterion is scikit-learn's, R² (averaged over the equal folds)
    ours = RidgeCV(alphas=grid, cv=5).fit(X, y)
    ref = SkRidgeCV(alphas=grid, cv=KFold(5)).fit(X, y)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-7)
    ours = RidgeCV(alphas=grid, cv=5, scoring="neg_mean_squared_error").fit(X, y)
    ref = SkRidgeCV(alphas=grid, cv=KFold(5), scoring="neg_mean_squared_error").fit(X, y)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-7)
    shuffled = KFold(5, shuffle=True, random_state=0)
    assert RidgeCV(alphas=grid, cv=shuffled, scoring="neg_mean_squared_error").fit(
        X, y).alpha_ == pytest.approx(
        SkRidgeCV(alphas=grid, cv=shuffled, scoring="neg_mean_squared_error").fit(X, y).alpha_,
        rel=1e-12)


def _sklearn_checks():
    try:
        from sklearn.utils.estimator_checks import parametrize_with_checks
    except ImportError:
        return pytest.mark.skip(reason="scikit-learn is not installed")
    return parametrize_with_checks([RidgeCV(), RidgeCV(cv=3)])


@_sklearn_checks()
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_sklearn_tools():
    pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = make_data(n=60, p=5, seed=36)
    est = RidgeCV(alphas=GRID, cv=3, rule="1se")
    assert repr(clone(est)) == repr(est)
    scores = cross_val_score(make_pipeline(StandardScaler(), RidgeCV()), X, y, cv=3)
    assert scores.shape == (3,) and np.all(scores > 0.9)


def test_feature_names_and_plot(tmp_path):
    pd = pytest.importorskip("pandas")
    X, y = make_data(n=30, p=3, seed=37)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    est = RidgeCV(alphas=GRID).fit(df, y)
    assert list(est.feature_names_in_) == ["a", "b", "c"]
    assert est.cv_results_["df"].shape == GRID.shape
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = est.plot()
    path = tmp_path / "cv.png"
    ax.figure.savefig(path)
    assert path.stat().st_size > 0
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


# --------------------------------------------------------------------------- verbose
_FOLD = re.compile(r"^\[RidgeCV\] folds done (\d+)/(\d+) \(fold (\d+) in \d+(\.\d+)? s\), "
                   r"elapsed \d+(\.\d+)? s$")


def _cv_lines(err):
    return [line for line in err.splitlines() if line.startswith("[RidgeCV]")]


def test_verbose_is_a_silent_constructor_parameter(capsys):
    X, y = make_data(40, 4)
    assert RidgeCV().get_params()["verbose"] == 0
    assert "verbose" not in repr(RidgeCV())
    assert repr(RidgeCV(verbose=1)) == "RidgeCV(verbose=1)"
    RidgeCV(alphas=GRID).fit(X, y)
    RidgeCV(alphas=GRID, cv=3).fit(X, y)
    out, err = capsys.readouterr()
    assert out == "" and err == ""


@pytest.mark.parametrize("cv, expected", [(5, [1, 2, 3, 4, 5]),
                                          (12, [2, 3, 4, 5, 6, 8, 9, 10, 11, 12])])
def test_verbose_kfold_reports_folds_and_the_choice(capsys, cv, expected):
    X, y = make_data(60, 4, noise=1.0)
    model = RidgeCV(alphas=GRID, cv=cv, verbose=1, scoring="neg_mean_squared_error").fit(X, y)
    out, err = capsys.readouterr()
    assert out == ""
    lines = _cv_lines(err)
    assert len(lines) == len(err.splitlines())
    assert lines[0] == f"[RidgeCV] {cv}-fold cross-validation over 9 alphas, X 60 x 4 dense, " \
                       "1 target"
    parsed = [_FOLD.match(line) for line in lines[1:-1]]
    assert all(parsed), lines
    # folds may finish out of order on threads, but the count rises one by one
    assert [int(m.group(1)) for m in parsed] == expected
    assert {int(m.group(2)) for m in parsed} == {cv}
    assert re.fullmatch(rf"\[RidgeCV\] done: {cv} folds in \d+(\.\d+)? s; alpha_ = "
                        rf"{model.alpha_:.4g} \(rule 'min'\), mean squared error "
                        rf"{-model.best_score_:.4g}", lines[-1])


def test_verbose_loo_is_one_summary_line(capsys):
    X, Y = make_data(40, 4, k=2)
    model = RidgeCV(alphas=GRID, alpha_per_target=True, rule="min", verbose=True).fit(X, Y)
    lines = _cv_lines(capsys.readouterr().err)
    assert len(lines) == 1
    alphas = ", ".join(f"{a:.4g}" for a in model.alpha_)
    errors = ", ".join(f"{-s:.4g}" for s in model.best_score_)
    assert re.fullmatch(rf"\[RidgeCV\] leave-one-out over 9 alphas, X 40 x 4 dense, 2 targets: "
                        rf"alpha_ = \[{alphas}\] \(rule 'min'\), mean squared error "
                        rf"\[{errors}\]; \d+(\.\d+)? s", lines[0])


def test_verbose_2_adds_each_folds_path(capsys):
    X, y = make_data(45, 3)
    model = RidgeCV(alphas=GRID, cv=3, solver="cd", verbose=2,
                    scoring=lambda t, p: -float(np.mean(np.abs(t - p)))).fit(X, y)
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert sum(1 for line in lines if _FOLD.match(line)) == 3
    for j in (1, 2, 3):
        own = [line for line in lines if line.startswith(f"[RidgeCV fold {j}/3] ")]
        # each fold's path at verbose=1: header, 9 α (fewer than ten: all), summary
        assert len(own) == 1 + 9 + 1
        assert own[-1].startswith(f"[RidgeCV fold {j}/3] done: 9 alphas in ")
    assert lines[-1].endswith(f"score {model.best_score_:.4g}")


@pytest.mark.parametrize("bad, exc", [(-2, ValueError), (0.5, TypeError), (None, TypeError)])
def test_verbose_rejects_bad_values(bad, exc):
    X, y = make_data(20, 3)
    with pytest.raises(exc, match="'verbose' parameter of RidgeCV"):
        RidgeCV(verbose=bad).fit(X, y)


def test_loo_per_target_weighted_equals_refits():
    """One α per target with sample weights (one row of weight 0): each target's leave-one-out
    mean and standard error equal those of n brute-force refits (the per-target reduction is
    its own pass, apart from the one that averages the targets)."""
    X, _ = make_data(n=25, p=4, seed=41)
    rng = np.random.default_rng(42)
    Y = np.column_stack([X @ rng.standard_normal(4) + s * rng.standard_normal(25)
                         for s in (0.2, 2.0)])
    w = rng.uniform(0.3, 3.0, 25)
    w[5] = 0.0
    grid = np.logspace(-2, 2, 5)
    est = RidgeCV(alphas=grid, alpha_per_target=True).fit(X, Y, sample_weight=w)
    E = _loo_errors(X, Y, grid, w=w)
    for t in range(2):
        mean, se = _row_stats(E[:, :, t], w)
        np.testing.assert_allclose(est.cv_results_["mean_error"][:, t], mean, rtol=1e-8)
        np.testing.assert_allclose(est.cv_results_["se_error"][:, t], se, rtol=1e-6)
