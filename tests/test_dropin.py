"""The scikit-learn drop-in surface (API.md "scikit-learn drop-in surface"): solver aliases,
random_state and gcv_mode, RidgeCV's scoring, store_cv_results, groups and cv="loo", metadata
routing, scikit-learn's output layout, n_iter_, _repr_html_, declared fitted attributes and the
ConvergenceWarning's line.  Oracles: brute-force refits (numpy only), closed forms, and
scikit-learn itself where installed (those tests skip without it)."""
import sys
import warnings

import numpy as np
import pytest

from conftest import make_data, ridge_oracle
from fastridge import Ridge, RidgeCV
from fastridge.exceptions import ConvergenceWarning

GRID = np.array([10.0, 1.0, 0.1, 0.01])
SOLVER_ALIASES = {"sparse_cg": "cg", "lsqr": "cg", "sag": "cg", "saga": "cg", "lbfgs": "cd"}


def _needs_sklearn():
    return pytest.importorskip("sklearn")


def _loo_predictions(X, y, alphas, *, sample_weight=None, fit_intercept=True):
    """Leave-one-out predictions by refitting without each row: (n, m) or (n, m, k)."""
    n = X.shape[0]
    out = []
    for i in range(n):
        keep = np.arange(n) != i
        w = None if sample_weight is None else sample_weight[keep]
        row = []
        for a in alphas:
            coef, icpt = ridge_oracle(X[keep], y[keep], a, sample_weight=w,
                                      fit_intercept=fit_intercept)
            row.append(X[i] @ coef.T + icpt)
        out.append(row)
    return np.asarray(out)


# ------------------------------------------------------------------------- solver names
@pytest.mark.parametrize("alias", sorted(SOLVER_ALIASES))
def test_sklearn_solver_names_are_aliases(alias):
    X, y = make_data(n=60, p=6, seed=101)
    positive = alias == "lbfgs"
    est = Ridge(alpha=2.0, solver=alias, positive=positive, tol=1e-12, max_iter=100000).fit(X, y)
    assert est.solver_ == SOLVER_ALIASES[alias]
    if not positive:
        coef, icpt = ridge_oracle(X, y, 2.0)
        np.testing.assert_allclose(est.coef_, coef, rtol=1e-8)
        assert est.intercept_ == pytest.approx(icpt, rel=1e-8)
    else:  # the KKT conditions of the non-negative problem: the oracle is their residual
        Xc, yc = X - X.mean(axis=0), y - y.mean()
        grad = Xc.T @ (Xc @ est.coef_ - yc) + 2.0 * est.coef_
        assert np.all(est.coef_ >= 0)
        free = est.coef_ > 0
        scale = np.abs(Xc.T @ yc).max()
        assert np.all(np.abs(grad[free]) <= 1e-8 * scale)
        assert np.all(grad[~free] >= -1e-8 * scale)


@pytest.mark.parametrize("solver", ["sparse_cg", "lsqr", "sag", "saga", "cholesky", "svd", "cg"])
def test_positive_refused_in_sklearn_words(solver):
    X, y = make_data(n=20, p=3, seed=102)
    with pytest.raises(ValueError, match=f"solver='{solver}' does not support positive fitting"):
        Ridge(solver=solver, positive=True).fit(X, y)


def test_sklearn_positive_lbfgs_matches():
    _needs_sklearn()
    from sklearn.linear_model import Ridge as SkRidge

    rng = np.random.default_rng(103)
    X = rng.standard_normal((80, 6))
    y = X @ np.array([1.0, -2.0, 0.5, 0.0, 3.0, -1.0]) + rng.standard_normal(80)
    ours = Ridge(alpha=1.0, solver="lbfgs", positive=True, tol=1e-12, max_iter=100000).fit(X, y)
    ref = SkRidge(alpha=1.0, solver="lbfgs", positive=True, tol=1e-12, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)


def test_random_state_accepted_and_unused():
    X, y = make_data(n=40, p=5, seed=104)
    fits = [Ridge(alpha=1.0, solver="sag", random_state=rs, tol=1e-12).fit(X, y).coef_
            for rs in (None, 0, 1, np.random.default_rng(3))]
    for coef in fits[1:]:
        np.testing.assert_array_equal(coef, fits[0])
    assert Ridge(random_state=7).get_params()["random_state"] == 7


# ------------------------------------------------------------------------- RidgeCV surface
@pytest.mark.parametrize("mode", [None, "auto", "svd", "eigen"])
def test_gcv_mode_accepted_without_effect(mode):
    X, y = make_data(n=30, p=4, seed=105, noise=0.5)
    ref = RidgeCV(alphas=GRID).fit(X, y)
    est = RidgeCV(alphas=GRID, gcv_mode=mode).fit(X, y)
    assert est.alpha_ == ref.alpha_
    np.testing.assert_array_equal(est.cv_summary_["mean_error"], ref.cv_summary_["mean_error"])


def test_cv_loo_is_exact_leave_one_out():
    X, y = make_data(n=25, p=4, seed=106, noise=0.5)
    est = RidgeCV(alphas=GRID, cv="loo").fit(X, y)
    E = y[:, None] - _loo_predictions(X, y, GRID)
    np.testing.assert_allclose(est.cv_summary_["mean_error"], (E ** 2).mean(axis=0), rtol=1e-8)


def test_store_cv_results_loo_layout_and_values():
    """scoring=None: the squared errors wᵢ eᵢ² (scikit-learn's values); with a scoring: the
    leave-one-out predictions; (n, m) for 1-D y, (n, k, m) for 2-D y, grid order."""
    X, Y = make_data(n=20, p=4, k=2, seed=107, noise=0.5)
    w = np.random.default_rng(108).uniform(0.5, 2.0, 20)
    pred = _loo_predictions(X, Y, GRID, sample_weight=w)                # (n, m, k)
    est = RidgeCV(alphas=GRID, store_cv_results=True).fit(X, Y[:, 0], sample_weight=w)
    assert est.cv_results_.shape == (20, GRID.size)
    np.testing.assert_allclose(est.cv_results_, w[:, None] * (Y[:, :1] - pred[:, :, 0]) ** 2,
                               rtol=1e-8)
    est = RidgeCV(alphas=GRID, store_cv_results=True, scoring="r2").fit(X, Y, sample_weight=w)
    assert est.cv_results_.shape == (20, 2, GRID.size)
    np.testing.assert_allclose(est.cv_results_, pred.transpose(0, 2, 1), rtol=1e-8)
    # the summary stays available, and is what plot and the CLI read
    assert set(est.cv_summary_) >= {"alphas", "mean_error", "se_error"}


def test_store_cv_results_kfold_out_of_fold_predictions():
    X, y = make_data(n=30, p=4, seed=109, noise=0.5)
    folds = [(np.setdiff1d(np.arange(30), t), t) for t in np.array_split(np.arange(30), 3)]
    est = RidgeCV(alphas=GRID, cv=3, store_cv_results=True).fit(X, y)
    ref = np.empty((30, GRID.size))
    for train, test in folds:
        for j, a in enumerate(GRID):
            coef, icpt = ridge_oracle(X[train], y[train], a)
            ref[test, j] = X[test] @ coef + icpt
    np.testing.assert_allclose(est.cv_results_, ref, rtol=1e-8)


def test_store_cv_results_matches_sklearn():
    _needs_sklearn()
    from sklearn.linear_model import RidgeCV as SkRidgeCV

    X, Y = make_data(n=25, p=6, k=3, seed=110, noise=1.0)
    w = np.random.default_rng(111).uniform(0.5, 2.0, 25)
    for scoring in (None, "neg_mean_absolute_error"):
        for y in (Y[:, 0], Y[:, :1], Y):
            ours = RidgeCV(alphas=GRID, scoring=scoring, store_cv_results=True).fit(
                X, y, sample_weight=w)
            ref = SkRidgeCV(alphas=GRID, scoring=scoring, store_cv_results=True).fit(
                X, y, sample_weight=w)
            assert ours.cv_results_.shape == ref.cv_results_.shape
            np.testing.assert_allclose(ours.cv_results_, ref.cv_results_, rtol=1e-7)


def test_groups_reach_the_splitter():
    class ByGroup:
        """Leave-one-group-out without scikit-learn."""

        def split(self, X, y=None, groups=None):
            if groups is None:
                raise ValueError("groups needed")
            for g in np.unique(groups):
                yield np.flatnonzero(groups != g), np.flatnonzero(groups == g)

    X, y = make_data(n=30, p=4, seed=112, noise=0.5)
    groups = np.arange(30) % 4
    est = RidgeCV(alphas=GRID, cv=ByGroup(), scoring="neg_mean_squared_error").fit(
        X, y, groups=groups)
    errs, sizes = [], []
    for train, test in ByGroup().split(X, y, groups):
        row = []
        for a in GRID:
            coef, icpt = ridge_oracle(X[train], y[train], a)
            row.append(np.mean((y[test] - X[test] @ coef - icpt) ** 2))
        errs.append(row)
        sizes.append(test.size)
    np.testing.assert_allclose(est.cv_summary_["mean_error"],
                               np.average(errs, axis=0, weights=sizes), rtol=1e-8)
    with pytest.raises(ValueError, match="groups"):
        RidgeCV(alphas=GRID, cv=3).fit(X, y, groups=groups)


def test_group_kfold_matches_sklearn():
    _needs_sklearn()
    from sklearn.linear_model import Ridge as SkRidge
    from sklearn.model_selection import GridSearchCV, GroupKFold

    X, y = make_data(n=40, p=5, seed=113, noise=1.0)
    groups = np.arange(40) % 5
    ours = RidgeCV(alphas=GRID, cv=GroupKFold(5)).fit(X, y, groups=groups)
    ref = GridSearchCV(SkRidge(), {"alpha": GRID}, cv=GroupKFold(5)).fit(X, y, groups=groups)
    assert ours.alpha_ == ref.best_params_["alpha"]
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-9)


# ------------------------------------------------------------------------- scoring
def test_metric_callable_without_sklearn():
    X, y = make_data(n=25, p=4, seed=114, noise=0.5)

    def neg_mae(y_true, y_pred):
        return -np.mean(np.abs(y_true - y_pred))

    est = RidgeCV(alphas=GRID, scoring=neg_mae).fit(X, y)
    pred = _loo_predictions(X, y, GRID)
    ref = np.abs(y[:, None] - pred).mean(axis=0)
    np.testing.assert_allclose(est.cv_summary_["mean_error"], ref, rtol=1e-8)
    assert est.alpha_ == GRID[np.argmin(ref)]
    assert est.best_score_ == pytest.approx(-ref.min())


def test_scorer_callable_receives_an_estimator():
    X, y = make_data(n=25, p=4, seed=115, noise=0.5)

    def scorer(estimator, X_, y_true):
        return -np.max(np.abs(y_true - estimator.predict(X_)))

    est = RidgeCV(alphas=GRID, scoring=scorer).fit(X, y)
    ref = np.abs(y[:, None] - _loo_predictions(X, y, GRID)).max(axis=0)
    np.testing.assert_allclose(est.cv_summary_["mean_error"], ref, rtol=1e-8)


def test_native_scoring_names_without_sklearn(monkeypatch):
    """'r2' and 'neg_mean_squared_error' need no scikit-learn; other names say they do."""
    X, y = make_data(n=25, p=4, seed=116, noise=0.5)
    pred = _loo_predictions(X, y, GRID)
    r2 = 1 - ((y[:, None] - pred) ** 2).sum(axis=0) / ((y - y.mean()) ** 2).sum()
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.metrics", None)
    est = RidgeCV(alphas=GRID, scoring="r2").fit(X, y)
    np.testing.assert_allclose(est.cv_summary_["mean_error"], -r2, rtol=1e-8)
    est = RidgeCV(alphas=GRID, scoring="neg_mean_squared_error").fit(X, y)
    np.testing.assert_allclose(est.cv_summary_["mean_error"],
                               ((y[:, None] - pred) ** 2).mean(axis=0), rtol=1e-8)
    with pytest.raises(ValueError, match="scoring.*scikit-learn is not installed"):
        RidgeCV(alphas=GRID, scoring="neg_mean_absolute_error").fit(X, y)


@pytest.mark.parametrize("cv", [None, 4])
@pytest.mark.parametrize("scoring", ["neg_mean_absolute_error", "explained_variance",
                                     "neg_median_absolute_error", "r2"])
def test_sklearn_scoring_names_match_sklearn(cv, scoring):
    _needs_sklearn()
    from sklearn.linear_model import RidgeCV as SkRidgeCV

    X, y = make_data(n=40, p=6, seed=117, noise=2.0)
    ours = RidgeCV(alphas=np.logspace(-3, 3, 13), scoring=scoring, cv=cv).fit(X, y)
    ref = SkRidgeCV(alphas=np.logspace(-3, 3, 13), scoring=scoring, cv=cv).fit(X, y)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-7)


def test_sklearn_scorer_objects_and_sign():
    _needs_sklearn()
    from sklearn.metrics import get_scorer, make_scorer, mean_absolute_error, mean_squared_error

    X, y = make_data(n=30, p=4, seed=118, noise=0.5)
    pred = _loo_predictions(X, y, GRID)
    mae = np.abs(y[:, None] - pred).mean(axis=0)
    for scoring in (make_scorer(mean_absolute_error, greater_is_better=False),
                    get_scorer("neg_mean_absolute_error")):
        est = RidgeCV(alphas=GRID, scoring=scoring).fit(X, y)
        np.testing.assert_allclose(est.cv_summary_["mean_error"], mae, rtol=1e-8)
        assert est.alpha_ == GRID[np.argmin(mae)]          # minimized, never maximized
    for loss in (mean_squared_error, mean_absolute_error):  # a loss as a metric: refused
        with pytest.raises(ValueError, match=f"neg_{loss.__name__}"):
            RidgeCV(alphas=GRID, scoring=loss).fit(X, y)


def test_kfold_default_is_r2_averaged_over_folds():
    X, y = make_data(n=30, p=4, seed=119, noise=1.0)
    folds = [(np.setdiff1d(np.arange(30), t), t) for t in np.array_split(np.arange(30), 3)]
    est = RidgeCV(alphas=GRID, cv=3).fit(X, y)
    r2 = np.empty((3, GRID.size))
    for f, (train, test) in enumerate(folds):
        for j, a in enumerate(GRID):
            coef, icpt = ridge_oracle(X[train], y[train], a)
            res = y[test] - X[test] @ coef - icpt
            r2[f, j] = 1 - res @ res / np.sum((y[test] - y[test].mean()) ** 2)
    np.testing.assert_allclose(est.cv_summary_["mean_error"], -r2.mean(axis=0), rtol=1e-8)
    assert est.best_score_ == pytest.approx(r2.mean(axis=0).max(), rel=1e-10)


def test_r2_on_one_row_folds_is_refused_by_name():
    X, y = make_data(n=5, p=3, seed=129)
    with pytest.warns(Warning, match="not well-defined"), \
            pytest.raises(ValueError, match="one row.*neg_mean_squared_error"):
        RidgeCV(alphas=GRID, cv=5).fit(X, y)
    # the squared error is defined there (n-fold = leave-one-out)
    est = RidgeCV(alphas=GRID, cv=5, scoring="neg_mean_squared_error").fit(X, y)
    loo = RidgeCV(alphas=GRID).fit(X, y)
    np.testing.assert_allclose(est.cv_summary_["mean_error"], loo.cv_summary_["mean_error"],
                               rtol=1e-8)


def test_dask_kfold_default_is_r2():
    da = pytest.importorskip("dask.array")
    X, y = make_data(n=60, p=5, seed=130, noise=1.0)
    ours = RidgeCV(alphas=GRID, cv=3).fit(da.from_array(X, chunks=20), da.from_array(y, chunks=20))
    ref = RidgeCV(alphas=GRID, cv=3).fit(X, y)
    np.testing.assert_allclose(ours.cv_summary_["mean_error"], ref.cv_summary_["mean_error"],
                               rtol=1e-8)
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-8)
    loo = RidgeCV(alphas=GRID, cv="loo").fit(da.from_array(X, chunks=20),
                                             da.from_array(y, chunks=20))
    np.testing.assert_allclose(loo.cv_summary_["mean_error"],
                               RidgeCV(alphas=GRID).fit(X, y).cv_summary_["mean_error"],
                               rtol=1e-8)


# ------------------------------------------------------------------------- metadata routing
def test_set_request_needs_routing_enabled():
    _needs_sklearn()
    with pytest.raises(RuntimeError, match="metadata routing is enabled"):
        Ridge().set_fit_request(sample_weight=True)


def test_cross_validate_routes_sample_weight():
    sklearn = _needs_sklearn()
    from sklearn.base import clone
    from sklearn.linear_model import Ridge as SkRidge
    from sklearn.model_selection import cross_validate

    X, y = make_data(n=40, p=5, seed=120, noise=1.0)
    w = np.random.default_rng(121).uniform(0.1, 3.0, 40)
    with sklearn.config_context(enable_metadata_routing=True):
        ours = Ridge(alpha=3.0).set_fit_request(sample_weight=True).set_score_request(
            sample_weight=True)
        assert clone(ours)._metadata_request == ours._metadata_request
        ref = SkRidge(alpha=3.0).set_fit_request(sample_weight=True).set_score_request(
            sample_weight=True)
        a = cross_validate(ours, X, y, params={"sample_weight": w}, cv=4)["test_score"]
        b = cross_validate(ref, X, y, params={"sample_weight": w}, cv=4)["test_score"]
        np.testing.assert_allclose(a, b, rtol=1e-9)
        # not requested: passing it is the error scikit-learn raises for its own Ridge
        with pytest.raises(Exception, match="sample_weight"):
            cross_validate(Ridge(), X, y, params={"sample_weight": w}, cv=4)


def test_ridgecv_routing_with_group_splitter():
    """With routing on, cross_validate hands RidgeCV.fit the weights and the groups of each
    outer training set: the scores equal those of fits given them by hand."""
    sklearn = _needs_sklearn()
    from sklearn.model_selection import GroupKFold, KFold, cross_validate

    X, y = make_data(n=40, p=5, seed=122, noise=1.0)
    w = np.random.default_rng(123).uniform(0.1, 3.0, 40)
    groups = np.arange(40) % 5
    with sklearn.config_context(enable_metadata_routing=True):
        est = RidgeCV(alphas=GRID, cv=GroupKFold(3)).set_fit_request(
            sample_weight=True).set_score_request(sample_weight=True)
        scores = cross_validate(est, X, y, params={"sample_weight": w, "groups": groups},
                                cv=KFold(4))["test_score"]
    for score, (train, test) in zip(scores, KFold(4).split(X)):
        ref = RidgeCV(alphas=GRID, cv=GroupKFold(3)).fit(X[train], y[train],
                                                         sample_weight=w[train],
                                                         groups=groups[train])
        assert score == pytest.approx(ref.score(X[test], y[test], sample_weight=w[test]),
                                      rel=1e-12)


# ------------------------------------------------------------------------- outputs
def test_output_layout_matches_sklearn():
    _needs_sklearn()
    import scipy.sparse as sp
    from sklearn.linear_model import Ridge as SkRidge, RidgeCV as SkRidgeCV

    rng = np.random.default_rng(124)
    X = rng.standard_normal((20, 3))
    y = rng.standard_normal(20)
    for fit_intercept in (True, False):
        for dt in (np.float64, np.float32):
            for Y in (y, y[:, None], np.c_[y, 2 * y]):
                for XX in (X.astype(dt), sp.csr_matrix(X.astype(dt))):
                    pairs = [(Ridge(fit_intercept=fit_intercept),
                              SkRidge(fit_intercept=fit_intercept))]
                    for cv in (None, 3):
                        pairs.append((RidgeCV(alphas=GRID, cv=cv, fit_intercept=fit_intercept),
                                      SkRidgeCV(alphas=GRID, cv=cv,
                                                fit_intercept=fit_intercept)))
                    for ours, ref in pairs:
                        ours.fit(XX, Y.astype(dt))
                        ref.fit(XX, Y.astype(dt))
                        what = (type(ours).__name__, fit_intercept, dt, Y.shape)
                        assert type(ours.intercept_) is type(ref.intercept_), what
                        assert np.shape(ours.intercept_) == np.shape(ref.intercept_), what
                        assert ours.coef_.shape == ref.coef_.shape, what
                        assert ours.coef_.dtype == ref.coef_.dtype, what
                        p1, p2 = ours.predict(XX), ref.predict(XX)
                        assert p1.shape == p2.shape and p1.dtype == p2.dtype, what


def test_y_column_vector_layout():
    """y of shape (n, 1): coef_ (p,), intercept_ (1,), predictions (n,) (scikit-learn 1.9)."""
    X, y = make_data(n=30, p=4, seed=125)
    for est in (Ridge(), Ridge(solver="cd"), RidgeCV(alphas=GRID), RidgeCV(alphas=GRID, cv=3)):
        est.fit(X, y[:, None])
        assert est.coef_.shape == (4,) and est.intercept_.shape == (1,)
        assert est.predict(X).shape == (30,)
        ref = type(est)(**est.get_params()).fit(X, y)
        np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-12)


@pytest.mark.parametrize("solver", ["cholesky", "svd", "auto"])
def test_direct_solvers_report_one_iteration(solver):
    X, Y = make_data(n=30, p=4, k=3, seed=126)
    assert Ridge(solver=solver).fit(X, Y[:, 0]).n_iter_ == 1
    np.testing.assert_array_equal(Ridge(solver=solver).fit(X, Y).n_iter_, [1, 1, 1])
    assert RidgeCV(alphas=GRID).fit(X, Y[:, 0]).n_iter_ == 1


def test_repr_html():
    try:
        import sklearn.utils  # noqa: F401
    except ImportError:
        assert Ridge()._repr_html_() is None
    else:
        html = RidgeCV(cv=3)._repr_html_()
        assert "RidgeCV" in html and "<div" in html


def test_repr_html_without_sklearn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.utils", None)
    assert Ridge()._repr_html_() is None


def test_fitted_attributes_are_declared():
    """Type checkers read class-level annotations: every fitted attribute is declared, and
    the declaration does not make an unfitted estimator look fitted."""
    for cls, names in ((Ridge, {"coef_", "intercept_", "n_iter_", "solver_",
                                "n_features_in_", "feature_names_in_"}),
                       (RidgeCV, {"alpha_", "best_score_", "coef_", "intercept_",
                                  "cv_results_", "cv_summary_", "n_iter_", "n_features_in_",
                                  "feature_names_in_"})):
        assert names <= set(cls.__annotations__)
        assert not any(hasattr(cls(), name) for name in names)


# ------------------------------------------------------------------------- warnings
@pytest.mark.parametrize("make", [
    lambda: Ridge(alpha=1e-8, solver="cd", max_iter=1, tol=1e-14),
    lambda: Ridge(alpha=1e-8, solver="lbfgs", positive=True, max_iter=1, tol=1e-14),
])
def test_convergence_warning_points_at_the_callers_line(make):
    rng = np.random.default_rng(128)
    X = rng.standard_normal((40, 30)) @ np.diag(np.geomspace(1, 1e-5, 30))
    y = rng.standard_normal(40)
    est = make()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X, y)
    hits = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert hits and all(w.filename == __file__ for w in hits)
    if est.solver == "lbfgs":  # scikit-learn's wording, with the solver that ran
        assert "lbfgs solver did not converge" in str(hits[0].message)
        assert "'cd'" in str(hits[0].message)


def test_weighted_loo_best_score_against_sklearn():
    """Same α as scikit-learn's weighted GCV; best_score_ is the weighted mean of the squared
    errors, scikit-learn's the plain mean of wᵢeᵢ² (README: differences)."""
    _needs_sklearn()
    from sklearn.linear_model import RidgeCV as SkRidgeCV

    X, y = make_data(n=30, p=4, seed=131, noise=1.0)
    w = np.random.default_rng(132).uniform(0.2, 3.0, 30)
    grid = np.logspace(-3, 3, 25)
    ours = RidgeCV(alphas=grid).fit(X, y, sample_weight=w)
    ref = SkRidgeCV(alphas=grid).fit(X, y, sample_weight=w)
    assert ours.alpha_ == ref.alpha_
    assert ours.best_score_ == pytest.approx(ref.best_score_ * 30 / w.sum(), rel=1e-9)
