"""Ridge against float64 closed forms, over solver × container × dtype × intercept × weights ×
targets, plus the invariances of the objective and the estimator's behaviours."""
import warnings

import numpy as np
import pytest

from conftest import CONTAINERS, SOLVERS, make_data, ridge_oracle, rtol_for
from fastridge import Ridge
from fastridge.exceptions import ConvergenceWarning


def _tight(solver, dtype):
    """Iterative solvers run to a tolerance below the comparison's."""
    if solver in ("cd", "cg"):
        return {"tol": 1e-6 if np.dtype(dtype) == np.float32 else 1e-12, "max_iter": 10000}
    return {}


def _assert_close(est, coef, intercept, dtype):
    rtol = rtol_for(dtype)
    scale = max(np.abs(coef).max(), 1.0)
    np.testing.assert_allclose(est.coef_, coef, rtol=rtol, atol=rtol * scale)
    np.testing.assert_allclose(est.intercept_, intercept, rtol=rtol,
                               atol=rtol * max(np.abs(intercept).max(), 1.0))


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("name,conv", CONTAINERS, ids=[c[0] for c in CONTAINERS])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("k", [None, 3])
def test_matches_closed_form(solver, name, conv, dtype, fit_intercept, weighted, k):
    # without an intercept, large column means would make the problem itself ill-conditioned
    X, y = make_data(k=k, seed=1, offset=3.0 if fit_intercept else 0.0)
    rng = np.random.default_rng(2)
    w = rng.uniform(0.2, 2.0, X.shape[0]) if weighted else None
    alpha = 2.5 if k is None else np.array([0.5, 2.5, 10.0])
    coef, intercept = ridge_oracle(X, y, alpha, sample_weight=w, fit_intercept=fit_intercept)
    Xc = conv(X.astype(dtype))
    est = Ridge(alpha=alpha, solver=solver, fit_intercept=fit_intercept,
                **_tight(solver, dtype)).fit(Xc, y.astype(dtype), sample_weight=w)
    assert est.solver_ == solver
    assert est.coef_.dtype == dtype
    assert est.coef_.shape == coef.shape
    _assert_close(est, coef, intercept, dtype)
    pred = est.predict(Xc)
    assert pred.dtype == dtype and pred.shape == y.shape
    np.testing.assert_allclose(pred, X @ coef.T + intercept, rtol=10 * rtol_for(dtype),
                               atol=10 * rtol_for(dtype) * np.abs(y).max())
    if solver in ("cd", "cg"):
        assert np.all(np.asarray(est.n_iter_) >= 1)
    else:  # a direct solver: one factorization (API.md)
        assert np.all(np.asarray(est.n_iter_) == 1)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("sparse", [False, True])
def test_wide_problems(solver, sparse):
    """p > n: the kernel forms (cholesky, cg dual) against the closed form."""
    X, y = make_data(n=25, p=60, seed=3)
    coef, intercept = ridge_oracle(X, y, 1.5)
    Xc = X
    if sparse:
        sp = pytest.importorskip("scipy.sparse")
        Xc = sp.csr_array(X)
    est = Ridge(alpha=1.5, solver=solver, **_tight(solver, np.float64)).fit(Xc, y)
    _assert_close(est, coef, intercept, np.float64)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_standardize_and_penalty_factor(solver, fit_intercept):
    X, y = make_data(seed=4, offset=3.0 if fit_intercept else 0.0)
    X = X * np.array([1e-3, 1, 10, 1e3, 1, 1, 5, 0.2])
    rng = np.random.default_rng(5)
    w = rng.uniform(0.5, 2.0, X.shape[0])
    pf = np.array([1.0, 0.5, 2.0, 1.0, 1.0, 3.0, 1.0, 0.7])
    coef, intercept = ridge_oracle(X, y, 4.0, sample_weight=w, fit_intercept=fit_intercept,
                                   standardize=True, penalty_factor=pf)
    est = Ridge(alpha=4.0, solver=solver, fit_intercept=fit_intercept, standardize=True,
                penalty_factor=pf, **_tight(solver, np.float64)).fit(X, y, sample_weight=w)
    _assert_close(est, coef, intercept, np.float64)


@pytest.mark.parametrize("solver", SOLVERS)
def test_standardize_equals_scaler_then_ridge(solver):
    """Predictions equal those of centring/scaling by the population SD then plain ridge."""
    X, y = make_data(seed=6)
    X = X * np.geomspace(1e-2, 1e2, X.shape[1])
    mu, sd = X.mean(axis=0), X.std(axis=0)
    plain = Ridge(alpha=3.0, solver="svd").fit((X - mu) / sd, y)
    std = Ridge(alpha=3.0, solver=solver, standardize=True, **_tight(solver, np.float64)).fit(X, y)
    Xt = make_data(seed=7)[0] * np.geomspace(1e-2, 1e2, X.shape[1])
    np.testing.assert_allclose(std.predict(Xt), plain.predict((Xt - mu) / sd), rtol=1e-8)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("standardize", [False, True])
def test_constant_and_zero_columns_get_zero(solver, standardize):
    X, y = make_data(seed=8)
    X[:, 2] = 7.25
    X[:, 5] = 0.0
    est = Ridge(alpha=1.0, solver=solver, standardize=standardize,
                **_tight(solver, np.float64)).fit(X, y)
    assert np.all(np.isfinite(est.coef_))
    assert est.coef_[2] == 0.0 and est.coef_[5] == 0.0
    keep = [0, 1, 3, 4, 6, 7]
    coef, intercept = ridge_oracle(X[:, keep], y, 1.0, standardize=standardize)
    np.testing.assert_allclose(est.coef_[keep], coef, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(est.intercept_, intercept, rtol=1e-7)


@pytest.mark.parametrize("solver", ["cd", "cholesky", "svd", "cg"])
@pytest.mark.parametrize("sparse", [False, True])
def test_zero_weight_equals_dropped_row(solver, sparse):
    X, y = make_data(seed=9)
    w = np.ones(X.shape[0])
    w[[3, 10, 11]] = 0.0
    keep = w > 0
    conv = np.asarray
    if sparse:
        conv = pytest.importorskip("scipy.sparse").csc_array
    a = Ridge(alpha=2.0, solver=solver, **_tight(solver, np.float64)).fit(conv(X), y,
                                                                      sample_weight=w)
    b = Ridge(alpha=2.0, solver="svd").fit(X[keep], y[keep])
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=1e-8)


@pytest.mark.parametrize("solver", SOLVERS)
def test_integer_weight_equals_repeated_rows(solver):
    X, y = make_data(seed=10)
    w = np.random.default_rng(11).integers(1, 4, X.shape[0])
    a = Ridge(alpha=2.0, solver=solver, **_tight(solver, np.float64)).fit(X, y, sample_weight=w)
    b = Ridge(alpha=2.0, solver="svd").fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=1e-8)


@pytest.mark.parametrize("solver", SOLVERS)
def test_duplicated_columns_halve(solver):
    """[X, X]/2 with α/2 gives [β, β]."""
    X, y = make_data(seed=12)
    a = Ridge(alpha=3.0, solver="svd").fit(X, y)
    b = Ridge(alpha=1.5, solver=solver, **_tight(solver, np.float64)).fit(np.hstack([X, X]) / 2, y)
    np.testing.assert_allclose(b.coef_, np.concatenate([a.coef_, a.coef_]), rtol=1e-7,
                               atol=1e-9)
    np.testing.assert_allclose(b.intercept_, a.intercept_, rtol=1e-8)


@pytest.mark.parametrize("solver", SOLVERS)
def test_stacked_rows_double_alpha(solver):
    """[X; X] with 2α gives β."""
    X, y = make_data(seed=13)
    a = Ridge(alpha=3.0, solver="svd").fit(X, y)
    b = Ridge(alpha=6.0, solver=solver, **_tight(solver, np.float64)).fit(np.vstack([X, X]),
                                                                       np.concatenate([y, y]))
    np.testing.assert_allclose(b.coef_, a.coef_, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("solver", SOLVERS)
def test_multi_target_equals_separate_fits(solver):
    X, Y = make_data(k=3, seed=14)
    alphas = np.array([0.1, 1.0, 10.0])
    est = Ridge(alpha=alphas, solver=solver, **_tight(solver, np.float64)).fit(X, Y)
    for t in range(3):
        one = Ridge(alpha=alphas[t], solver=solver, **_tight(solver, np.float64)).fit(X, Y[:, t])
        np.testing.assert_allclose(est.coef_[t], one.coef_, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(est.intercept_[t], one.intercept_, rtol=1e-9)


@pytest.mark.parametrize("solver", SOLVERS)
def test_huge_alpha_shrinks_to_zero(solver):
    X, y = make_data(seed=15)
    est = Ridge(alpha=1e12, solver=solver, **_tight(solver, np.float64)).fit(X, y)
    assert np.abs(est.coef_).max() < 1e-8 * np.abs(Ridge(alpha=1.0).fit(X, y).coef_).max()
    np.testing.assert_allclose(est.intercept_, y.mean(), rtol=1e-6)


@pytest.mark.parametrize("sparse", [False, True])
def test_positive_constraint_kkt(sparse):
    """Non-negative coefficients satisfying the KKT conditions of the constrained problem."""
    X, y = make_data(seed=16, p=10)
    y = y - 2.0 * X[:, 3]
    conv = np.asarray
    if sparse:
        conv = pytest.importorskip("scipy.sparse").csc_array
    est = Ridge(alpha=1.0, positive=True, tol=1e-12, max_iter=10000).fit(conv(X), y)
    assert est.solver_ == "cd"
    b = est.coef_
    assert np.all(b >= 0) and np.any(b == 0)
    Xc = X - X.mean(axis=0)
    grad = -Xc.T @ (y - y.mean() - Xc @ b) + 1.0 * b
    scale = np.abs(Xc.T @ (y - y.mean())).max()
    assert np.all(np.abs(grad[b > 0]) <= 1e-9 * scale)
    assert np.all(grad[b == 0] >= -1e-9 * scale)


@pytest.mark.parametrize("solver", ["cd", "cg"])
@pytest.mark.parametrize("sparse", [False, True])
def test_warm_start_refit_takes_zero_iterations(solver, sparse):
    X, y = make_data(n=200, p=40, seed=17, cond=30.0)
    conv = np.asarray
    if sparse:
        conv = pytest.importorskip("scipy.sparse").csc_array
    est = Ridge(alpha=2.0, solver=solver, warm_start=True).fit(conv(X), y)
    assert est.n_iter_ >= 1
    first = est.coef_.copy()
    est.fit(conv(X), y)
    assert est.n_iter_ == 0
    np.testing.assert_array_equal(est.coef_, first)
    cold = Ridge(alpha=1.99, solver=solver).fit(conv(X), y).n_iter_
    est.set_params(alpha=1.99).fit(conv(X), y)
    assert est.n_iter_ < cold


@pytest.mark.parametrize("solver", ["cd", "cg"])
def test_convergence_warning_once_when_stopped_short(solver):
    X, y = make_data(seed=18, cond=1e4)
    with pytest.warns(ConvergenceWarning, match="max_iter") as rec:
        est = Ridge(alpha=1e-6, solver=solver, tol=1e-14, max_iter=2).fit(X, y)
    assert len([r for r in rec if issubclass(r.category, ConvergenceWarning)]) == 1
    assert est.n_iter_ == 2


def test_auto_rule():
    from fastridge._policy import fit_solver as choose_solver

    X, y = make_data(seed=19)
    assert Ridge().fit(X, y).solver_ == "cholesky"
    assert Ridge(alpha=0.0).fit(X, y).solver_ == "svd"
    assert Ridge(positive=True).fit(X, y).solver_ == "cd"
    assert choose_solver(10**6, 50_000, sparse=True, alphas=np.ones(1), positive=False) == "cg"
    assert choose_solver(10**6, 200, sparse=True, alphas=np.ones(1), positive=False) \
        == "cholesky"
    assert choose_solver(10**6, 10**5, sparse=False, alphas=np.ones(1), positive=False) == "cg"


@pytest.mark.parametrize("shape", [(60, 6), (12, 30)])
@pytest.mark.parametrize("scaled", [False, True])
def test_svd_minimum_norm_for_rank_deficient(shape, scaled):
    """α = 0 with dependent columns (tall) or p > n (wide): the minimum-norm least-squares
    solution (pinv), whatever the column scales, equal to the α → 0⁺ limit."""
    X, y = make_data(seed=20, n=shape[0], p=shape[1])
    X = np.hstack([X, X[:, :2] @ np.array([[1.0], [2.0]])])
    if scaled:
        X = X * np.geomspace(1e-3, 1e3, X.shape[1])
    est = Ridge(alpha=0.0, solver="svd").fit(X, y)
    Xc = X - X.mean(axis=0)
    expected = np.linalg.pinv(Xc, rcond=1e-10) @ (y - y.mean())
    # with column scales over six decades the numerically rank-deficient problem is itself only
    # determined to about cond · eps: pinv and fastridge then agree to ~1e-6
    rtol = 1e-5 if scaled else 1e-7
    np.testing.assert_allclose(est.coef_, expected, rtol=rtol,
                               atol=rtol * 1e-2 * np.abs(expected).max())
    np.testing.assert_allclose(est.predict(X), X @ expected + y.mean() - X.mean(0) @ expected,
                               rtol=rtol * 1e-1, atol=1e-8)


def test_cholesky_falls_back_to_svd_when_singular():
    X, y = make_data(seed=21, p=5)
    X = np.hstack([X, X[:, :1]])
    est = Ridge(alpha=0.0, solver="cholesky").fit(X, y)
    Xc = X - X.mean(axis=0)
    np.testing.assert_allclose(est.coef_, np.linalg.pinv(Xc, rcond=1e-10) @ (y - y.mean()),
                               rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("solver", SOLVERS)
def test_inputs_not_modified_and_readonly_noncontiguous(solver):
    X, y = make_data(n=80, p=16, seed=22)
    w = np.random.default_rng(23).uniform(0.5, 1.5, 80)
    Xv = X[::2, ::2]
    yv = y[::2]
    wv = w[::2]
    for a in (X, y, w):
        a.setflags(write=False)
    copies = [Xv.copy(), yv.copy(), wv.copy()]
    est = Ridge(alpha=1.0, solver=solver, **_tight(solver, np.float64)).fit(Xv, yv,
                                                                         sample_weight=wv)
    for a, c in zip((Xv, yv, wv), copies):
        np.testing.assert_array_equal(a, c)
    coef, intercept = ridge_oracle(Xv, yv, 1.0, sample_weight=wv)
    _assert_close(est, coef, intercept, np.float64)


def test_large_column_offsets_keep_accuracy():
    """Centring on the fly keeps digits that XᵀX − n x̄x̄ᵀ would lose (means 1e8 × spread)."""
    X, y = make_data(seed=24, offset=0.0)
    X = X + 1e8
    coef, intercept = ridge_oracle(X, y, 1.0)
    for solver in ("cholesky", "svd"):
        est = Ridge(alpha=1.0, solver=solver).fit(X, y)
        np.testing.assert_allclose(est.coef_, coef, rtol=1e-7)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("late", [3000, 7000])
def test_gram_centring_safe_when_offsets_appear_late(order, late):
    """The one-pass Gram shifts every row block by the first block's means; from row `late`
    on one column carries an offset of 1e6 that the first block never saw: the exact correction
    afterwards must still give the digits of an explicitly centred fit."""
    from fastridge import config_context

    rng = np.random.default_rng(25)
    n, p = 8000, 5
    X = rng.standard_normal((n, p))
    X[late:, 2] += 1e6
    X = np.array(X, order=order)
    y = X @ np.array([1.0, 2.0, 1e-6, 4.0, 5.0]) + rng.standard_normal(n)
    coef, intercept = ridge_oracle(X, y, 10.0)
    with config_context(block_memory=1e-6):  # blocks of 256 rows: the shift is the first's
        est = Ridge(alpha=10.0, solver="cholesky").fit(X, y)
    np.testing.assert_allclose(est.coef_, coef, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(est.intercept_, intercept, rtol=1e-8)


# ---- regressions found by a second reading of the solvers

@pytest.mark.parametrize("dtype,offset", [(np.float32, 1e3), (np.float64, 1e7)])
@pytest.mark.parametrize("sparse", [False, True])
def test_cd_large_column_means(dtype, offset, sparse):
    """CD on X itself (p > n) with means far beyond the spread: no NaN, no divergence."""
    rng = np.random.default_rng(7)
    X = np.asfortranarray(rng.standard_normal((20, 50)) + offset)
    y = rng.standard_normal(20)
    ref = Ridge(1.0, solver="svd").fit(X, y).coef_
    Xd = X.astype(dtype)
    if sparse:
        Xd = pytest.importorskip("scipy.sparse").csc_array(Xd)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # float32 may stop at max_iter
        est = Ridge(1.0, solver="cd", max_iter=5000).fit(Xd, y.astype(dtype))
    assert np.all(np.isfinite(est.coef_))
    tol = 5e-3 if dtype == np.float32 else 1e-3
    np.testing.assert_allclose(est.coef_, ref, rtol=0, atol=tol * np.abs(ref).max())


@pytest.mark.parametrize("offset", [1e5, 1e7])
@pytest.mark.parametrize("shape", [(200, 5), (20, 40)])
def test_sparse_gram_and_kernel_with_large_means(offset, shape):
    sp = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(8)
    X = rng.standard_normal(shape)
    y = X[:, :3].sum(axis=1) + 0.1 * rng.standard_normal(shape[0])
    X[:, 0] += offset
    ref = Ridge(1.0, solver="svd").fit(X, y)
    est = Ridge(1.0, solver="cholesky").fit(sp.csr_array(X), y)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-10)


def test_auto_never_forms_a_huge_gram_for_zero_penalty_factors():
    from fastridge._policy import fit_solver as choose_solver, gram_cd as _gram_cd

    pf = np.ones(50_000)
    pf[0] = 0.0
    assert choose_solver(20, 50_000, sparse=False, alphas=np.ones(1), positive=False,
                         penalty_factor=pf) == "cg"
    assert choose_solver(20, 50_000, sparse=False, alphas=np.ones(1), positive=False) \
        == "cholesky"
    # CD on C-ordered wide X copies to column-major (n·p) rather than forming p²
    assert not _gram_cd(50, 3000, True, False)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("alpha", [1.0, 1e-4])
def test_cg_dual_warm_refit_takes_zero_iterations(dtype, alpha):
    rng = np.random.default_rng(4)
    X = rng.standard_normal((20, 60)).astype(dtype)
    y = (X[:, :5].sum(axis=1) + rng.standard_normal(20)).astype(dtype)
    est = Ridge(alpha, solver="cg", warm_start=True).fit(X, y)
    coef = est.coef_.copy()
    assert est.n_iter_ >= 1
    est.fit(X, y)
    assert est.n_iter_ == 0
    np.testing.assert_array_equal(est.coef_, coef)


@pytest.mark.parametrize("solver", ["cd", "cg"])
def test_cold_fit_reports_at_least_one_iteration(solver):
    X, _ = make_data(seed=26)
    est = Ridge(solver=solver).fit(X, np.full(X.shape[0], 0.1))
    assert est.n_iter_ >= 1
    np.testing.assert_allclose(est.coef_, 0.0, atol=1e-20)  # y_c is 0 up to rounding


# ---- the lean small-problem path (Ridge._fit_small) against the general one

@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardize", [False, True])
def test_small_path_equals_general_path_and_oracle(fit_intercept, standardize):
    from fastridge import _policy

    X, y = make_data(n=80, p=7, seed=31)
    X[:, 3] *= 1e4                                         # columns in different units
    fast = Ridge(alpha=2.5, fit_intercept=fit_intercept, standardize=standardize).fit(X, y)
    # unit weights take the general path (the lean one takes no weights), same problem
    slow = Ridge(alpha=2.5, fit_intercept=fit_intercept, standardize=standardize).fit(
        X, y, sample_weight=np.ones(80))
    coef, intercept = ridge_oracle(X, y, 2.5, fit_intercept=fit_intercept,
                                   standardize=standardize)
    for est in (fast, slow):
        np.testing.assert_allclose(est.coef_, coef, rtol=1e-9)
        assert est.intercept_ == pytest.approx(intercept, rel=1e-9, abs=1e-12)
        assert est.solver_ == "cholesky" and est.n_iter_ == 1 and est.n_features_in_ == 7
        # scikit-learn's types: a numpy scalar, the Python float 0.0 without an intercept
        assert type(est.intercept_) is (np.float64 if fit_intercept else float)
    assert fast.coef_.dtype == np.float64
    assert _policy.SMALL_MAX_ENTRIES >= X.size          # this test did exercise the lean path


def test_small_path_hands_unusual_cases_to_the_general_path():
    X, y = make_data(n=50, p=4, seed=32)
    Xc = X.copy()
    Xc[:, 1] = 3.0                                         # a constant column: coefficient 0
    est = Ridge(alpha=1.0).fit(Xc, y)
    assert est.coef_[1] == 0.0
    np.testing.assert_allclose(np.delete(est.coef_, 1),
                               ridge_oracle(np.delete(Xc, 1, axis=1), y, 1.0)[0], rtol=1e-9)
    bad = X.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        Ridge().fit(bad, y)
    with pytest.raises(ValueError, match="tol"):
        Ridge(tol=-1.0).fit(X, y)
    # a fit on named columns, then a plain ndarray: the names go
    pd = pytest.importorskip("pandas")
    est = Ridge().fit(pd.DataFrame(X, columns=list("abcd")), y)
    assert list(est.feature_names_in_) == list("abcd")
    est.fit(X, y)
    assert not hasattr(est, "feature_names_in_")


@pytest.mark.parametrize("y_order", ["C", "F"])
def test_many_targets_one_pass_gram_keeps_digits(y_order):
    """Row-ordered targets are read as they are by the one-pass Gram: with means 1e4 × their
    spread, sorted rows (an unrepresentative first block) and columns of X with large means,
    the coefficients of every target equal the exact ones (extended-precision normal equations
    of the centred problem) to rounding."""
    rng = np.random.default_rng(12)
    n, p, k = 30_000, 20, 12
    X = rng.standard_normal((n, p)) + rng.uniform(-50, 50, p)
    Y = (X - X.mean(0)) @ rng.standard_normal((p, k)) + rng.standard_normal((n, k))
    Y = Y * np.logspace(-3, 3, k) + 1e4 * np.logspace(-3, 3, k)
    order = np.argsort(Y[:, 0])
    X, Y = X[order], np.array(Y[order], order=y_order)
    est = Ridge(alpha=3.0).fit(X, Y)
    assert est.solver_ == "cholesky"
    Xc = (X - X.mean(0)).astype(np.longdouble)
    Yc = (Y - Y.mean(0)).astype(np.longdouble)
    G = Xc.T @ Xc + 3.0 * np.eye(p, dtype=np.longdouble)
    exact = np.linalg.solve(G.astype(np.float64), (Xc.T @ Yc).astype(np.float64))
    # one refinement step in long double removes the float64 solve's error
    r = (Xc.T @ Yc) - G @ exact.astype(np.longdouble)
    exact = exact + np.linalg.solve(G.astype(np.float64), r.astype(np.float64))
    scale = np.abs(exact).max(axis=0)
    np.testing.assert_array_less(np.abs(est.coef_.T - exact).max(axis=0) / scale, 1e-12)
