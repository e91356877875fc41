"""scikit-learn compatibility: every estimator check, and the meta-estimator tools."""
import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from fastridge import GroupRidgeCV, Ridge, RidgeClassifier, RidgeClassifierCV  # noqa: E402

ESTIMATORS = [Ridge()] + [Ridge(solver=s) for s in ("cd", "cg", "cholesky", "svd")] + [
    RidgeClassifier(), RidgeClassifier(solver="cd"), RidgeClassifierCV(), GroupRidgeCV()]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("solver", ["auto", "cd", "cg", "cholesky", "svd"])
def test_matches_sklearn_ridge(solver):
    from sklearn.linear_model import Ridge as SkRidge

    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 9)) + 2.0
    y = X @ rng.standard_normal(9) + rng.standard_normal(120)
    w = rng.uniform(0.1, 3.0, 120)
    ours = Ridge(alpha=3.0, solver=solver, tol=1e-12, max_iter=10000).fit(X, y, sample_weight=w)
    ref = SkRidge(alpha=3.0, solver="cholesky").fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8)


def test_pipeline_gridsearch_clone_cross_val():
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(1)
    X = rng.standard_normal((90, 5))
    y = X @ np.array([1.0, 0.0, -1.0, 2.0, 0.5]) + 0.1 * rng.standard_normal(90)
    est = Ridge(alpha=2.0, solver="cd")
    c = clone(est)
    assert c.get_params() == est.get_params() and c is not est
    pipe = make_pipeline(StandardScaler(), Ridge())
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,) and np.all(scores > 0.9)
    gs = GridSearchCV(Ridge(), {"alpha": [1e-3, 1.0, 1e3]}, cv=3).fit(X, y)
    assert gs.best_params_["alpha"] in (1e-3, 1.0)
    assert gs.best_estimator_.coef_.shape == (5,)


def test_exceptions_are_sklearn_instances():
    from sklearn.exceptions import ConvergenceWarning as SkCW, NotFittedError as SkNFE

    with pytest.raises(SkNFE):
        Ridge().predict(np.ones((2, 2)))
    rng = np.random.default_rng(2)
    X = rng.standard_normal((40, 30)) @ np.diag(np.geomspace(1, 1e-5, 30))
    y = rng.standard_normal(40)
    with pytest.warns(SkCW):
        Ridge(alpha=1e-8, solver="cd", max_iter=1, tol=1e-12).fit(X, y)
