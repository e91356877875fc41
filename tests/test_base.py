"""fastridge._base.RegressorBase: parameters, repr, tags, score, pickling, fitted check.

The estimators here are small test doubles built on RegressorBase and fastridge._validation: a
closed-form ridge (numpy only) that also runs through scikit-learn's check_estimator, which tests
the base class and the validation layer together.
"""
import pickle
import re
import warnings

import numpy as np
import pytest

import fastridge._version
from fastridge import exceptions as fe
from fastridge._base import RegressorBase
from fastridge._validation import check_alpha, check_sample_weight, is_sparse, validate_data


class ClosedFormRidge(RegressorBase):
    """Ridge by the normal equations, in numpy (dense; sparse input is densified)."""

    def __init__(self, alpha=1.0, *, fit_intercept=True):
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X, y, sample_weight=None):
        X, y = validate_data(self, X, y, reset=True)
        w = check_sample_weight(sample_weight, X.shape[0], X.dtype)
        Xd = np.asarray(X.toarray() if is_sparse(X) else X, dtype=np.float64)
        Y = y.reshape(y.shape[0], -1).astype(np.float64)
        alpha = check_alpha(self.alpha, Y.shape[1])
        w = np.ones(Xd.shape[0]) if w is None else w.astype(np.float64)
        if self.fit_intercept:
            x_mean = w @ Xd / w.sum()
            y_mean = w @ Y / w.sum()
        else:
            x_mean = np.zeros(Xd.shape[1])
            y_mean = np.zeros(Y.shape[1])
        Xc, Yc = Xd - x_mean, Y - y_mean
        gram = Xc.T @ (w[:, None] * Xc)
        rhs = Xc.T @ (w[:, None] * Yc)
        coef = np.empty((Y.shape[1], Xd.shape[1]))
        for k in range(Y.shape[1]):
            coef[k] = np.linalg.lstsq(gram + alpha[k] * np.eye(Xd.shape[1]), rhs[:, k],
                                      rcond=None)[0]
        intercept = y_mean - coef @ x_mean
        if y.ndim == 1:
            coef, intercept = coef[0], float(intercept[0])
        self.coef_ = coef.astype(X.dtype)
        self.intercept_ = intercept if y.ndim == 1 else intercept.astype(X.dtype)
        return self

    def predict(self, X):
        self._check_is_fitted()
        X = validate_data(self, X, reset=False)
        return np.asarray(X @ self.coef_.T + self.intercept_).astype(self.coef_.dtype, copy=False)


class FixedPredictor(RegressorBase):
    """predict returns whatever was set: a handle on score()."""

    def __init__(self, prediction=None):
        self.prediction = prediction

    def predict(self, X):
        return self.prediction


class Nested(RegressorBase):
    def __init__(self, estimator=None, *, weight=1.0, name="n", missing=float("nan")):
        self.estimator = estimator
        self.weight = weight
        self.name = name
        self.missing = missing


class NoParams(RegressorBase):
    pass


# ------------------------------------------------------------------------------------------ params
def test_get_params_in_signature_order():
    est = ClosedFormRidge(2.0, fit_intercept=False)
    assert list(est.get_params()) == ["alpha", "fit_intercept"]
    assert est.get_params() == {"alpha": 2.0, "fit_intercept": False}
    assert NoParams().get_params() == {}


def test_get_params_deep():
    inner = ClosedFormRidge(alpha=3.0)
    outer = Nested(inner, weight=2.0)
    deep = outer.get_params(deep=True)
    assert deep["estimator"] is inner
    assert deep["estimator__alpha"] == 3.0
    assert deep["estimator__fit_intercept"] is True
    shallow = outer.get_params(deep=False)
    assert set(shallow) == {"estimator", "weight", "name", "missing"}
    # a class as a value is not an estimator instance
    assert set(Nested(ClosedFormRidge).get_params(deep=True)) == set(shallow)


def test_set_params():
    est = ClosedFormRidge()
    assert est.set_params(alpha=5.0, fit_intercept=False) is est
    assert est.alpha == 5.0 and est.fit_intercept is False
    assert est.set_params() is est


def test_set_params_nested():
    outer = Nested(ClosedFormRidge())
    outer.set_params(estimator__alpha=7.0, weight=0.5)
    assert outer.estimator.alpha == 7.0 and outer.weight == 0.5
    # replacing the nested estimator and setting its parameter in one call
    outer.set_params(estimator=ClosedFormRidge(), estimator__alpha=9.0)
    assert outer.estimator.alpha == 9.0


def test_set_params_invalid_names_the_parameter():
    est = ClosedFormRidge()
    with pytest.raises(ValueError, match=re.escape(
            "Invalid parameter 'alhpa' for estimator ClosedFormRidge(). Valid parameters are: "
            "['alpha', 'fit_intercept'].")):
        est.set_params(alhpa=1.0)
    with pytest.raises(ValueError, match="Invalid parameter 'nope' for estimator"):
        Nested(ClosedFormRidge()).set_params(estimator__nope=1)


def test_set_params_does_not_validate():
    est = ClosedFormRidge().set_params(alpha=-np.inf)
    assert est.alpha == -np.inf


def test_varargs_constructor_refused():
    class Bad(RegressorBase):
        def __init__(self, *args):
            self.args = args
    with pytest.raises(RuntimeError, match="no varargs"):
        Bad().get_params()


def test_kwargs_in_constructor_ignored():
    class Kw(RegressorBase):
        def __init__(self, a=1, **kwargs):
            self.a = a
    assert Kw().get_params() == {"a": 1}


# ------------------------------------------------------------------------------------------ repr
def test_repr_shows_only_changed_params():
    assert repr(ClosedFormRidge()) == "ClosedFormRidge()"
    # equal to the default but not the same object: still hidden
    assert repr(ClosedFormRidge(alpha=float("1"), fit_intercept=bool(1))) == "ClosedFormRidge()"
    assert repr(ClosedFormRidge(alpha=2.0)) == "ClosedFormRidge(alpha=2.0)"
    assert (repr(ClosedFormRidge(1.0, fit_intercept=False))
            == "ClosedFormRidge(fit_intercept=False)")
    # int 1 is shown although == 1.0, as scikit-learn's repr does
    assert repr(ClosedFormRidge(alpha=1)) == "ClosedFormRidge(alpha=1)"
    assert repr(ClosedFormRidge(alpha=np.array([1.0, 2.0]))) == \
        "ClosedFormRidge(alpha=array([1., 2.]))"
    assert repr(NoParams()) == "NoParams()"


def test_repr_nan_default_and_nested():
    assert repr(Nested()) == "Nested()"
    assert repr(Nested(missing=np.nan)) == "Nested()"
    assert repr(Nested(ClosedFormRidge(alpha=3.0), name="x")) == \
        "Nested(estimator=ClosedFormRidge(alpha=3.0), name='x')"


def test_repr_wraps_long_lines():
    est = Nested(name="a" * 60, weight=123456.0)
    text = repr(est)
    assert text == "Nested(weight=123456.0,\n       name='" + "a" * 60 + "')"


# ------------------------------------------------------------------------------------------ fitted
def test_not_fitted_error():
    est = ClosedFormRidge()
    with pytest.raises(fe.NotFittedError, match=re.escape(
            "This ClosedFormRidge instance is not fitted yet. Call 'fit' with appropriate "
            "arguments before using this estimator.")):
        est.predict(np.ones((2, 2)))
    with pytest.raises(AttributeError):
        est._check_is_fitted()
    est.fit(np.eye(3), [1.0, 2.0, 3.0])
    est._check_is_fitted()
    est._check_is_fitted(["coef_", "intercept_"])
    with pytest.raises(fe.NotFittedError):
        est._check_is_fitted(["coef_", "alpha_"])


def test_not_fitted_error_is_sklearns_when_loaded():
    sk_exceptions = pytest.importorskip("sklearn.exceptions")
    with pytest.raises(sk_exceptions.NotFittedError, match="ClosedFormRidge instance"):
        ClosedFormRidge().predict(np.ones((2, 2)))


def test_sklearn_check_is_fitted_agrees():
    validation = pytest.importorskip("sklearn.utils.validation")
    from sklearn.exceptions import NotFittedError

    est = ClosedFormRidge()
    with pytest.raises(NotFittedError):
        validation.check_is_fitted(est)
    validation.check_is_fitted(est.fit(np.eye(3), [1.0, 2.0, 3.0]))


# ------------------------------------------------------------------------------------------ tags
def test_estimator_type():
    assert ClosedFormRidge._estimator_type == "regressor"


def test_sklearn_tags():
    utils = pytest.importorskip("sklearn.utils")
    if not hasattr(utils, "get_tags"):
        pytest.skip("scikit-learn < 1.6 has no Tags")
    tags = utils.get_tags(ClosedFormRidge())
    assert isinstance(tags, utils.Tags)
    assert tags.estimator_type == "regressor"
    assert tags.target_tags.required is True
    assert tags.target_tags.multi_output is True
    assert tags.target_tags.single_output is True
    assert tags.input_tags.sparse is True
    assert tags.input_tags.allow_nan is False
    assert tags.input_tags.two_d_array is True
    assert isinstance(tags.regressor_tags, utils.RegressorTags)
    assert tags.classifier_tags is None and tags.transformer_tags is None
    from sklearn.base import is_regressor
    assert is_regressor(ClosedFormRidge())


# ------------------------------------------------------------------------------------------ score
def _r2_reference(y, p, w=None):
    """R² by loops in plain Python floats, scikit-learn's conventions."""
    y = np.asarray(y, dtype=float).reshape(len(y), -1)
    p = np.asarray(p, dtype=float).reshape(len(p), -1)
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=float)
    scores = []
    for k in range(y.shape[1]):
        mean = sum(wi * yi for wi, yi in zip(w, y[:, k])) / sum(w)
        num = sum(wi * (yi - pi) ** 2 for wi, yi, pi in zip(w, y[:, k], p[:, k]))
        den = sum(wi * (yi - mean) ** 2 for wi, yi in zip(w, y[:, k]))
        if den == 0:
            scores.append(1.0 if num == 0 else 0.0)
        else:
            scores.append(1 - num / den)
    return sum(scores) / len(scores)


RNG = np.random.default_rng(1)


@pytest.mark.parametrize("shape", [(20,), (20, 1), (20, 3)])
@pytest.mark.parametrize("weighted", [False, True])
def test_score_matches_reference(shape, weighted):
    y = RNG.standard_normal(shape)
    pred = y + 0.5 * RNG.standard_normal(shape)
    w = RNG.uniform(0, 2, size=shape[0]) if weighted else None
    est = FixedPredictor(pred)
    assert est.score(None, y, sample_weight=w) == pytest.approx(_r2_reference(y, pred, w),
                                                                rel=1e-12)


@pytest.mark.parametrize("shape", [(15,), (15, 2)])
@pytest.mark.parametrize("weighted", [False, True])
def test_score_matches_sklearn(shape, weighted):
    metrics = pytest.importorskip("sklearn.metrics")
    y = RNG.standard_normal(shape)
    pred = 0.8 * y + 0.3 * RNG.standard_normal(shape)
    w = RNG.uniform(0, 2, size=shape[0]) if weighted else None
    got = FixedPredictor(pred).score(None, y, sample_weight=w)
    assert got == pytest.approx(metrics.r2_score(y, pred, sample_weight=w), rel=1e-12)


def test_score_constant_target():
    y = np.full(5, 3.0)
    assert FixedPredictor(y.copy()).score(None, y) == 1.0
    assert FixedPredictor(y + 1.0).score(None, y) == 0.0
    # one constant target (predicted exactly) and one regular target
    Y = np.column_stack([y, np.arange(5.0)])
    P = np.column_stack([y, np.arange(5.0) + [0.5, -0.5, 0, 0, 0]])
    assert FixedPredictor(P).score(None, Y) == pytest.approx((1.0 + (1 - 0.5 / 10)) / 2)


def test_score_perfect_and_mean_predictions():
    y = np.arange(6.0)
    assert FixedPredictor(y.copy()).score(None, y) == 1.0
    assert FixedPredictor(np.full(6, y.mean())).score(None, y) == pytest.approx(0.0, abs=1e-15)


def test_score_zero_weight_equals_dropped_row():
    y = RNG.standard_normal(8)
    pred = y + RNG.standard_normal(8)
    w = np.ones(8)
    w[3] = 0.0
    keep = np.arange(8) != 3
    with_zero = FixedPredictor(pred).score(None, y, sample_weight=w)
    dropped = FixedPredictor(pred[keep]).score(None, y[keep])
    assert with_zero == pytest.approx(dropped, rel=1e-12)


def test_score_1d_vs_column_targets():
    y = RNG.standard_normal(7)
    pred = y + RNG.standard_normal(7)
    a = FixedPredictor(pred).score(None, y)
    assert FixedPredictor(pred.reshape(-1, 1)).score(None, y) == a
    assert FixedPredictor(pred).score(None, y.reshape(-1, 1)) == a


def test_score_single_sample_is_nan_with_warning():
    with pytest.warns(fe.UndefinedMetricWarning, match="less than two samples"):
        s = FixedPredictor(np.array([1.0])).score(None, [2.0])
    assert np.isnan(s)


def test_score_errors():
    with pytest.raises(ValueError, match=re.escape(
            "Found input variables with inconsistent numbers of samples: [4, 5]")):
        FixedPredictor(np.ones(5)).score(None, np.ones(4))
    with pytest.raises(ValueError, match=re.escape(
            "y_true and y_pred have different number of output (2!=3)")):
        FixedPredictor(np.ones((5, 3))).score(None, np.ones((5, 2)))
    with pytest.raises(ValueError, match="Input y contains NaN or infinity."):
        FixedPredictor(np.ones(3)).score(None, [1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        FixedPredictor(np.ones(3)).score(None, [1.0, 0.0, 2.0], sample_weight=[1, -1, 1])


def test_score_float32_predictions_and_inputs_unchanged():
    y = RNG.standard_normal(10).astype(np.float32)
    pred = (y + 0.1).astype(np.float32)
    y_before = y.copy()
    got = FixedPredictor(pred).score(None, y)
    assert isinstance(got, float)
    assert got == pytest.approx(_r2_reference(y, pred), rel=1e-6)
    np.testing.assert_array_equal(y, y_before)


def test_score_uses_predict_of_fitted_model():
    X = RNG.standard_normal((30, 3))
    y = X @ [1.0, -2.0, 0.5] + 0.1 * RNG.standard_normal(30)
    est = ClosedFormRidge(alpha=1e-3).fit(X, y)
    assert est.score(X, y) == pytest.approx(_r2_reference(y, est.predict(X)), rel=1e-12)
    assert est.score(X, y) > 0.99


# ------------------------------------------------------------------------------------------ pickle
def _fitted():
    X = RNG.standard_normal((10, 3))
    return ClosedFormRidge(alpha=0.5).fit(X, X @ [1.0, 2.0, 3.0]), X


def test_pickle_round_trip_records_version():
    est, X = _fitted()
    state = est.__getstate__()
    assert state["_fastridge_version"] == fastridge._version.__version__
    assert "_fastridge_version" not in est.__dict__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clone = pickle.loads(pickle.dumps(est))
    assert type(clone) is ClosedFormRidge
    assert "_fastridge_version" not in clone.__dict__
    assert clone.get_params() == est.get_params()
    np.testing.assert_array_equal(clone.coef_, est.coef_)
    np.testing.assert_array_equal(clone.predict(X), est.predict(X))


def test_unpickle_with_other_version_warns(monkeypatch):
    est, _ = _fitted()
    data = pickle.dumps(est)
    original = fastridge._version.__version__
    monkeypatch.setattr(fastridge._version, "__version__", "99.0")
    with pytest.warns(fe.InconsistentVersionWarning, match=re.escape(
            f"Trying to unpickle estimator ClosedFormRidge from fastridge version {original} "
            "when using version 99.0.")) as record:
        clone = pickle.loads(data)
    w = record[0].message
    assert w.estimator_name == "ClosedFormRidge"
    assert w.current_version == "99.0"
    assert w.original_version == original
    np.testing.assert_array_equal(clone.coef_, est.coef_)


def test_unpickle_without_version_warns():
    est, _ = _fitted()
    state = est.__getstate__()
    del state["_fastridge_version"]
    fresh = ClosedFormRidge.__new__(ClosedFormRidge)
    with pytest.warns(fe.InconsistentVersionWarning, match="from fastridge version unknown"):
        fresh.__setstate__(state)
    np.testing.assert_array_equal(fresh.coef_, est.coef_)


def test_unpickle_version_warning_is_sklearns_when_loaded(monkeypatch):
    sk_exceptions = pytest.importorskip("sklearn.exceptions")
    est, _ = _fitted()
    data = pickle.dumps(est)
    monkeypatch.setattr(fastridge._version, "__version__", "99.0")
    with pytest.warns(sk_exceptions.InconsistentVersionWarning):
        pickle.loads(data)


# ----------------------------------------------------------------------------------------- sklearn
def test_clone_pipeline_gridsearch():
    pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    est = ClosedFormRidge(alpha=2.0, fit_intercept=False)
    c = clone(est)
    assert c is not est and c.get_params() == est.get_params()

    X = RNG.standard_normal((40, 4))
    y = X @ [1.0, 0.0, -1.0, 2.0] + RNG.standard_normal(40)
    pipe = make_pipeline(StandardScaler(), ClosedFormRidge())
    pipe.set_params(closedformridge__alpha=3.0)
    assert pipe.fit(X, y).score(X, y) > 0.5
    search = GridSearchCV(ClosedFormRidge(), {"alpha": [0.1, 1.0, 100.0]}, cv=3).fit(X, y)
    assert search.best_params_["alpha"] in (0.1, 1.0, 100.0)
    assert cross_val_score(ClosedFormRidge(), X, y, cv=3).shape == (3,)


def _estimator_checks():
    try:
        from sklearn.utils.estimator_checks import parametrize_with_checks
    except ImportError:
        return pytest.mark.skip(reason="scikit-learn not installed")
    with warnings.catch_warnings():
        # "does not inherit from BaseEstimator": on purpose, RegressorBase stands in for it
        warnings.filterwarnings("ignore", message=".*does not inherit from", category=UserWarning)
        return parametrize_with_checks([ClosedFormRidge()])


@_estimator_checks()
def test_sklearn_estimator_checks(estimator, check):
    """RegressorBase + _validation pass scikit-learn's whole check suite on a numpy ridge."""
    check(estimator)
