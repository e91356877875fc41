"""Bad input through the estimator end to end: a ValueError/TypeError naming the argument and
the problem (API.md "Errors and warnings"), never a crash, a hang or a NaN coefficient."""
import re

import numpy as np
import pytest

from fastridge import Ridge
from fastridge.exceptions import NotFittedError

rng = np.random.default_rng(0)
X = rng.standard_normal((20, 4))
y = X @ np.arange(1.0, 5.0) + 0.1 * rng.standard_normal(20)


@pytest.mark.parametrize("kwargs,fit_args,exc,pattern", [
    ({}, (np.where(np.eye(20, 4) > 0, np.nan, X), y), ValueError,
     "Input X contains NaN or infinity."),
    ({}, (np.where(np.eye(20, 4) > 0, np.inf, X), y), ValueError,
     "Input X contains NaN or infinity."),
    ({}, (X, np.r_[y[:-1], np.nan]), ValueError, "Input y contains NaN or infinity."),
    ({}, (X[:0], y[:0]), ValueError, "Found array with 0 sample(s)"),
    ({}, (X[:, :0], y), ValueError, "Found array with 0 feature(s)"),
    ({}, (X + 1j, y), ValueError, "Complex data not supported"),
    ({}, (X, y[:-1]), ValueError, "inconsistent numbers of samples: [20, 19]"),
    ({}, (X[:, 0], y), ValueError, "Expected 2D array, got 1D array"),
    ({}, (X, None), ValueError, "requires y to be passed"),
    ({"alpha": -1.0}, (X, y), ValueError, "alpha"),
    ({"alpha": np.nan}, (X, y), ValueError, "alpha"),
    ({"alpha": [1.0, 2.0]}, (X, y), ValueError,
     "Number of targets and number of penalties do not correspond: 2 != 1"),
    ({"alpha": "big"}, (X, y), TypeError, "alpha"),
    ({"solver": "bogus"}, (X, y), ValueError, "solver"),
    ({"solver": "cg", "positive": True}, (X, y), ValueError, "positive"),
    ({"solver": "cholesky", "positive": True}, (X, y), ValueError, "positive"),
    ({"penalty_factor": [1.0, -1.0, 1.0, 1.0]}, (X, y), ValueError, "penalty_factor"),
    ({"penalty_factor": [1.0, 1.0]}, (X, y), ValueError, "penalty_factor"),
    ({"tol": -1e-3}, (X, y), ValueError, "tol"),
    ({"max_iter": 0}, (X, y), ValueError, "max_iter"),
    ({"fit_intercept": "yes"}, (X, y), TypeError, "fit_intercept"),
])
def test_bad_fit_input(kwargs, fit_args, exc, pattern):
    X0 = fit_args[0].copy() if hasattr(fit_args[0], "copy") else fit_args[0]
    with pytest.raises(exc, match=re.escape(pattern)):
        Ridge(**kwargs).fit(*fit_args)
    if isinstance(X0, np.ndarray):
        np.testing.assert_array_equal(fit_args[0], X0)


@pytest.mark.parametrize("w,pattern", [
    (-np.ones(20), "Negative values in data passed to `sample_weight`"),
    (np.zeros(20), "Sample weights must contain at least one non-zero number"),
    (np.ones(19), "sample_weight.shape == (19,), expected (20,)!"),
    (np.r_[np.ones(19), np.nan], "Input sample_weight contains NaN or infinity."),
])
def test_bad_sample_weight(w, pattern):
    with pytest.raises(ValueError, match=re.escape(pattern)):
        Ridge().fit(X, y, sample_weight=w)


def test_predict_errors():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        Ridge().predict(X)
    est = Ridge().fit(X, y)
    with pytest.raises(ValueError, match=re.escape(
            "X has 3 features, but Ridge is expecting 4 features as input.")):
        est.predict(X[:, :3])
    with pytest.raises(ValueError, match="NaN or infinity"):
        est.predict(np.full((2, 4), np.nan))


def test_sparse_bad_values():
    sp = pytest.importorskip("scipy.sparse")
    Xs = sp.csr_array(X)
    Xs.data[3] = np.inf
    with pytest.raises(ValueError, match=re.escape("Input X contains NaN or infinity.")):
        Ridge().fit(Xs, y)


# Ridge, ridge_path and RidgeCV leave dense X's NaN/inf check to the statistics they compute
# anyway (the column sums of squares, the one-pass Gram): the same error must come out of every
# route, wherever the bad value sits (in the first block, whose means are the Gram's shift, or
# in the last row), whatever the memory layout, and also in a row of weight zero.
def _bad_design(shape, where, value, layout, dtype):
    rng = np.random.default_rng(7)
    Xb = rng.standard_normal(shape).astype(dtype) + 3.0
    i = {"first": 0, "last": shape[0] - 1, "middle": shape[0] // 2}[where]
    Xb[i, shape[1] - 1] = value
    if layout == "F":
        Xb = np.asfortranarray(Xb)
    elif layout == "strided":
        Xb = np.repeat(Xb, 2, axis=1)[:, ::2]
    return Xb, i


@pytest.mark.parametrize("shape", [(3000, 12), (30, 1000)], ids=["tall", "wide"])
@pytest.mark.parametrize("where,value", [("first", np.nan), ("last", np.inf),
                                         ("middle", -np.inf)])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_deferred_finite_check_every_route(shape, where, value, layout, dtype):
    from fastridge import RidgeCV, ridge_path

    Xb, i = _bad_design(shape, where, value, layout, dtype)
    yb = np.ones(shape[0])
    w = np.ones(shape[0])
    w[i] = 0.0  # a zero weight does not excuse the value
    msg = re.escape("Input X contains NaN or infinity.")
    fits = [lambda s=s: Ridge(solver=s).fit(Xb, yb) for s in ("auto", "cholesky", "cd", "cg")]
    fits += [lambda: Ridge(solver="svd", fit_intercept=False).fit(Xb, yb),
             lambda: Ridge(standardize=True).fit(Xb, yb, sample_weight=w),
             lambda: ridge_path(Xb, yb, n_alphas=3),
             lambda: RidgeCV(alphas=[0.1, 1.0]).fit(Xb, yb),
             lambda: RidgeCV(alphas=[0.1, 1.0], cv=3).fit(Xb, yb, sample_weight=w)]
    for fit in fits:
        with pytest.raises(ValueError, match=msg):
            fit()
    assert np.isnan(Xb[i, -1]) or np.isinf(Xb[i, -1])  # the input is left as it was


def test_deferred_finite_check_keeps_overflow_handling():
    # finite values whose squares overflow make the statistics non-finite too: the deferred check
    # must then pass (X is finite) and leave the case to the range checks, as before
    rng = np.random.default_rng(8)
    Xb = rng.standard_normal((3000, 12)) * 1e160
    yb = rng.standard_normal(3000)
    with pytest.raises(ValueError) as err:
        Ridge().fit(Xb, yb)
    assert "NaN or infinity" not in str(err.value) and "too large" in str(err.value)


@pytest.mark.parametrize("alpha", [np.inf, float("inf"), 10 ** 400, np.nan, -1.0, 0.0])
def test_small_fit_alpha_out_of_range(alpha):
    # the lean path for small dense fits must hand every α it does not take (here: not finite
    # and > 0, or 0) to the general path, which refuses the invalid ones by name
    Xs = rng.standard_normal((30, 3))
    ys = Xs @ np.ones(3)
    if alpha == 0.0:
        est = Ridge(alpha=alpha).fit(Xs, ys)  # α = 0 is valid: least squares
        np.testing.assert_allclose(est.coef_, np.ones(3), rtol=1e-12)
        return
    with pytest.raises(ValueError, match="alpha"):
        Ridge(alpha=alpha).fit(Xs, ys)


@pytest.mark.parametrize("solver", [np.array([]), np.array(["auto"]), 3, None, "Auto"])
def test_small_fit_bad_solver_is_named(solver):
    # found by the thorough fuzz profile: the lean small-fit path compared an array `solver`
    # with a string before check_params could name it
    Xs = rng.standard_normal((30, 3))
    with pytest.raises(ValueError, match="'solver' parameter"):
        Ridge(solver=solver).fit(Xs, Xs @ np.ones(3))
