"""partial_fit and set_params keep the estimator's state consistent: parameters validated as fit
validates them, a failed call leaves everything as it was, and partial_fit after fit continues
from fit's rows or refuses by name.  Oracle: fit on all the good rows at once (itself checked
against closed forms elsewhere) and the exact rational solution."""
import copy

import numpy as np
import pytest

from exact_rational import ExactRidge
from fastridge import Ridge


def _data(n=120, p=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + 3.0
    y = X @ rng.standard_normal(p) + 1.0 + 0.1 * rng.standard_normal(n)
    return X, y


def _state(est):
    """Every attribute, deep-copied (the statistics object compared field by field)."""
    out = {}
    for k, v in est.__dict__.items():
        if hasattr(v, "__slots__") and not isinstance(v, np.ndarray):
            v = {s: copy.deepcopy(getattr(v, s)) for s in v.__slots__}
        out[k] = copy.deepcopy(v)
    return out


def _assert_same_state(a, b):
    assert a.keys() == b.keys()
    for k in a:
        va, vb = a[k], b[k]
        if isinstance(va, dict):
            _assert_same_state(va, vb)
        elif isinstance(va, np.ndarray):
            np.testing.assert_array_equal(va, vb, err_msg=k)
        else:
            assert va == vb or (va != va and vb != vb), k


@pytest.mark.parametrize("bad, error", [
    ({"standardize": "no"}, TypeError),
    ({"tol": float("nan")}, ValueError),
    ({"solver": "bogus"}, ValueError),
    ({"max_iter": -1}, ValueError),
    ({"alpha": -1.0}, ValueError),
    ({"penalty_factor": [1.0, 1.0]}, ValueError),
])
def test_set_params_after_partial_fit_validates_like_fit(bad, error):
    """It re-solved without any check: standardize="no" turned standardization on, tol=nan
    gave zeros, solver="bogus" ran cholesky.  Now fit's error, and nothing changed."""
    X, y = _data()
    est = Ridge(alpha=1.0).partial_fit(X[:60], y[:60]).partial_fit(X[60:], y[60:])
    before = _state(est)
    with pytest.raises(error) as from_set_params:
        est.set_params(**bad)
    _assert_same_state(before, _state(est))
    with pytest.raises(error) as from_fit:
        Ridge(alpha=1.0).set_params(**bad).fit(X, y)
    assert str(from_set_params.value) == str(from_fit.value)


def test_set_params_after_partial_fit_still_resolves():
    X, y = _data()
    est = Ridge(alpha=1.0).partial_fit(X[:60], y[:60]).partial_fit(X[60:], y[60:])
    est.set_params(alpha=5.0, standardize=True)
    ex = ExactRidge(X, y, 5.0, standardize=True)
    np.testing.assert_allclose(est.coef_, ex.coef_float(), rtol=1e-10)


@pytest.mark.parametrize("sparse", [False, True])
def test_failed_partial_fit_block_leaves_the_model_as_it_was(sparse):
    """A block whose squares overflow float64 made the statistics NaN for good.  Now: fit's
    error for the same rows, every attribute unchanged, and the next good block gives fit on
    all the good rows."""
    import scipy.sparse as sp

    X, y = _data()
    conv = sp.csr_array if sparse else np.asarray
    est = Ridge(alpha=1.0).partial_fit(conv(X[:40]), y[:40])
    before = _state(est)
    Xbad = X[40:80].copy()
    Xbad[3, 1] = 1e200
    with pytest.raises(ValueError) as from_partial:
        est.partial_fit(conv(Xbad), y[40:80])
    _assert_same_state(before, _state(est))
    with pytest.raises(ValueError) as from_fit:
        Ridge(alpha=1.0).fit(conv(Xbad), y[40:80])
    assert str(from_partial.value) == str(from_fit.value)
    est.partial_fit(conv(X[40:]), y[40:])
    full = Ridge(alpha=1.0).fit(X, y)
    np.testing.assert_allclose(est.coef_, full.coef_, rtol=1e-11)
    np.testing.assert_allclose(est.intercept_, full.intercept_, rtol=1e-11)


def test_failed_first_block_leaves_an_unfitted_model():
    X, y = _data()
    est = Ridge()
    X = X.copy()
    X[0, 0] = 1e200
    with pytest.raises(ValueError):
        est.partial_fit(X, y)
    assert not hasattr(est, "coef_") and not hasattr(est, "stats_")
    assert not hasattr(est, "n_features_in_")


@pytest.mark.parametrize("n, p, kw", [(60, 4, {}), (3000, 12, {}), (60, 4, {"solver": "svd"}),
                                      (60, 4, {"solver": "cg", "tol": 1e-14}),
                                      (60, 4, {"fit_intercept": False}),
                                      (60, 4, {"standardize": True}),
                                      (3000, 12, {"standardize": True})])
def test_partial_fit_after_fit_continues_from_fit_rows(n, p, kw):
    """It dropped the rows fit saw.  fit keeps their statistics when it formed the centred
    Gram anyway (the default solver on dense n ≥ p: the small-fit path and the general one),
    or when they are cheap to form (small problems, any solver): partial_fit adds to them."""
    X, y = _data(n=2 * n, p=p, seed=1)
    est = Ridge(alpha=2.0, **kw).fit(X[:n], y[:n])
    est.partial_fit(X[n:], y[n:])
    ex = ExactRidge(X, y, 2.0, fit_intercept=kw.get("fit_intercept", True)) \
        if n < 100 and not kw.get("standardize") else None
    full = Ridge(alpha=2.0, **kw).fit(X, y)
    np.testing.assert_allclose(est.coef_, full.coef_, rtol=1e-11)
    if ex is not None:
        np.testing.assert_allclose(est.coef_, ex.coef_float(), rtol=1e-11)
        assert est.intercept_ == pytest.approx(float(ex.intercept), rel=1e-11)


@pytest.mark.parametrize("kw", [{"solver": "svd"}, {"solver": "cg"}, {"fit_intercept": False}])
def test_partial_fit_after_fit_that_kept_nothing_refuses(kw):
    """A fit that did not form the centred Gram of its rows, on a problem where forming it
    would cost more than n·p² = 1e7 flops, keeps nothing: partial_fit says so."""
    X, y = _data(n=3000, p=120)
    est = Ridge(alpha=1.0, **kw).fit(X[:1000], y[:1000])
    before = _state(est)
    with pytest.raises(ValueError, match="partial_fit after fit"):
        est.partial_fit(X[1000:], y[1000:])
    _assert_same_state(before, _state(est))


def test_fit_whose_row_statistics_overflow_keeps_none():
    """float32's largest values next to zeros, no intercept, fitted by svd: the fit is right
    (y = 0 gives coefficients 0) and silent, but the float32 statistics it would keep for
    partial_fit overflow, so it keeps none (found by test_fuzz: their RuntimeWarnings leaked),
    and a partial_fit that follows refuses by name."""
    import warnings

    big = float(np.finfo(np.float32).max)
    X = np.zeros((5, 4), dtype=np.float32)
    X[3, 3], X[4, 3] = big * 0.88, big
    y = np.zeros(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = Ridge(alpha=0.0, fit_intercept=False).fit(X, y)
    np.testing.assert_array_equal(est.coef_, 0.0)
    before = _state(est)
    with pytest.raises(ValueError, match="partial_fit after fit"):
        est.partial_fit(X[:2], y[:2])
    _assert_same_state(before, _state(est))
