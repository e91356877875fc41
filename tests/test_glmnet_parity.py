"""glmnet's `offset`, `lower.limits`/`upper.limits` and `exclude` in Ridge, against R's glmnet and
against independent oracles.

Reference values: tests/data/glmnet_parity/make.R (R glmnet 4.1-6, versions in versions.txt) on
data of its own (tall: 80 × 6 with column scales 0.5–10 and a column of mean 100; wide: 25 × 40),
glmnet alpha = 0 (ridge) at one exact lambda, thresh = 1e-22.  R is not needed to run these tests.

glmnet's λ is converted to α independently of the package (`_glmnet_to_alpha`):
α = W·λ·(p/Σv')/s_y, W = Σw, s_y the weighted population SD of y − offset (root mean square
without an intercept: glmnet fits y − offset and standardizes it), v' glmnet's penalty factors
with the excluded features' set to 1 (glmnet does that before rescaling them to sum to p).

Tolerance: 1e-8 relative to the largest coefficient (and 1).  glmnet's thresh bounds the last
sweep's coefficient change, not the distance to the optimum: with thresh = 1e-14 its slow cases
(no intercept, hundreds of passes) are off by up to 1e-5; with 1e-22 the two agree to 2e-9.

Independent oracles: the box-constrained least squares solved by scipy's `lsq_linear` (BVLS) on
the augmented system [√W Xc; √(α v) S] (S the standardization scales) for the limits; a
closed-form ridge in numpy on the other columns for `exclude`, and on y − offset for `offset`.
"""
import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import lsq_linear

from fastridge import Ridge, ridge_path

HERE = Path(__file__).parent / "data" / "glmnet_parity"
TOL = 1e-8


# --------------------------------------------------------------------------- the R reference
def _vec(text, p):
    if text == "":
        return None
    a = np.array([float(t) for t in text.split(";")])
    return np.full(p, a[0]) if a.size == 1 else a


def _read_cases():
    data = {n: np.loadtxt(HERE / f"{n}.csv", delimiter=",", skiprows=1) for n in ("tall", "wide")}
    coefs, preds = defaultdict(list), defaultdict(list)
    with open(HERE / "coefs.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            coefs[row["case"]].append(float(row["value"]))
    with open(HERE / "preds.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            preds[row["case"]].append((float(row["newoffset"]), float(row["value"])))
    cases = {}
    with open(HERE / "cases.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            D = data[row["dataset"]]
            X, y, w, off = D[:, :-3], D[:, -3], D[:, -2], D[:, -1]
            p = X.shape[1]
            lower, upper = _vec(row["lower"], p), _vec(row["upper"], p)
            cases[row["case"]] = dict(
                X=X, y=y, sw=w if row["weighted"] == "1" else None,
                offset=off if row["offset"] == "1" else None, lam=float(row["lambda"]),
                standardize=row["standardize"] == "1", intercept=row["intercept"] == "1",
                lower=None if np.all(lower == -np.inf) else lower,
                upper=None if np.all(upper == np.inf) else upper,
                exclude=None if row["exclude"] == "" else
                [int(t) - 1 for t in row["exclude"].split(";")],        # R counts from 1
                pf=_vec(row["penalty"], p), coef=np.array(coefs[row["case"]]),
                pred=np.array(preds.get(row["case"], [])))
    return cases


CASES = _read_cases()
LIMITED = sorted(k for k, c in CASES.items() if c["lower"] is not None or c["upper"] is not None)
FREE = sorted(set(CASES) - set(LIMITED))


def _glmnet_to_alpha(c):
    """α of glmnet's λ (see the module docstring), written out independently of the package."""
    y = c["y"] - (0.0 if c["offset"] is None else c["offset"])
    w = np.ones(y.size) if c["sw"] is None else c["sw"]
    W = w.sum()
    m = w @ y / W if c["intercept"] else 0.0
    s_y = np.sqrt(w @ (y - m) ** 2 / W)
    p = c["X"].shape[1]
    v = np.ones(p) if c["pf"] is None else c["pf"].copy()
    if c["exclude"]:
        v[c["exclude"]] = 1.0
    return W * c["lam"] * (p / v.sum()) / s_y


def _model(c, **kw):
    return Ridge(alpha=_glmnet_to_alpha(c), fit_intercept=c["intercept"],
                 standardize=c["standardize"], penalty_factor=c["pf"],
                 lower_limits=c["lower"], upper_limits=c["upper"], exclude=c["exclude"],
                 tol=1e-12, max_iter=100_000, **kw)


def _close(got, ref, tol=TOL):
    err = np.abs(got - ref).max() / max(1.0, np.abs(ref).max())
    assert err <= tol, err


def test_reference_files():
    assert "glmnet 4.1.6" in (HERE / "versions.txt").read_text()
    assert len(CASES) == 32 and len(LIMITED) == 24
    # the cases exercise what they claim: some limit binds in every limited case
    for k in LIMITED:
        c = CASES[k]
        b = c["coef"][1:]
        lo = -np.inf if c["lower"] is None else c["lower"]
        hi = np.inf if c["upper"] is None else c["upper"]
        assert np.all((b >= lo - 1e-12) & (b <= hi + 1e-12)), k
        assert np.any(np.isclose(b, lo) | np.isclose(b, hi)), k


@pytest.mark.parametrize("route", ["dense", "csr", "csc"])
@pytest.mark.parametrize("key", sorted(CASES))
def test_matches_glmnet(key, route):
    c = CASES[key]
    X = c["X"] if route == "dense" else getattr(sp, f"{route}_matrix")(c["X"])
    model = _model(c).fit(X, c["y"], sample_weight=c["sw"], offset=c["offset"])
    _close(np.r_[model.intercept_, model.coef_], c["coef"])
    if c["lower"] is not None or c["upper"] is not None:
        assert model.solver_ == "cd"  # "auto" takes the one solver that honours limits
    if c["exclude"]:
        assert np.all(model.coef_[c["exclude"]] == 0.0)


@pytest.mark.parametrize("key", sorted(CASES))
def test_ridge_path_matches_glmnet(key):
    """ridge_path takes the same options; a path through the case's α (from 100 α above it,
    warm-started) ends at glmnet's solution, and predicts with the new rows' offset."""
    c = CASES[key]
    a = _glmnet_to_alpha(c)
    path = ridge_path(c["X"], c["y"], alphas=[100 * a + 1.0, 10 * a + 0.1, a],
                      fit_intercept=c["intercept"], standardize=c["standardize"],
                      penalty_factor=c["pf"], sample_weight=c["sw"], lower_limits=c["lower"],
                      upper_limits=c["upper"], exclude=c["exclude"], offset=c["offset"],
                      tol=1e-12, max_iter=100_000)
    _close(np.r_[path.intercept[-1], path.coef[-1]], c["coef"])
    if c["offset"] is not None:
        newoff, ref = c["pred"][:, 0], c["pred"][:, 1]
        _close(path.predict(c["X"][:5], offset=newoff)[:, -1], ref)
        with pytest.raises(ValueError, match="fitted with an offset"):
            path.predict(c["X"][:5])


def test_ridge_path_limits_need_cd():
    X, y, *_ = _setup(12)
    for solver in ("eigen", "cg", "cholesky", "svd"):
        with pytest.raises(ValueError, match=f"solver='{solver}' does not honour"):
            ridge_path(X, y, alphas=[1.0], upper_limits=1.0, solver=solver)
    assert ridge_path(X, y, alphas=[1.0, 0.0], lower_limits=-1.0, upper_limits=1.0).solver == "cd"


@pytest.mark.parametrize("solver", ["cd", "cg", "cholesky", "svd"])
@pytest.mark.parametrize("key", FREE)
def test_offset_and_exclude_with_every_solver(key, solver):
    c = CASES[key]
    model = _model(c, solver=solver).fit(c["X"], c["y"], sample_weight=c["sw"],
                                         offset=c["offset"])
    assert model.solver_ == solver
    _close(np.r_[model.intercept_, model.coef_], c["coef"])


@pytest.mark.parametrize("key", sorted(k for k in CASES if CASES[k]["offset"] is not None))
def test_predict_with_new_offset_matches_glmnet(key):
    c = CASES[key]
    model = _model(c).fit(c["X"], c["y"], sample_weight=c["sw"], offset=c["offset"])
    newoff, ref = c["pred"][:, 0], c["pred"][:, 1]
    _close(model.predict(c["X"][:5], offset=newoff), ref)
    with pytest.raises(ValueError, match="fitted with an offset.*offset="):
        model.predict(c["X"][:5])   # glmnet: "No newoffset provided for prediction"


# --------------------------------------------------------------------------- independent oracles
def _scales(X, w, standardize):
    """Weighted population SDs about the weighted mean (1 without standardize)."""
    if not standardize:
        return np.ones(X.shape[1])
    m = w @ X / w.sum()
    return np.sqrt(w @ (X - m) ** 2 / w.sum())


def _centred(X, y, w, intercept):
    if not intercept:
        return X, y
    return X - w @ X / w.sum(), y - w @ y / w.sum()


def _box_lsq(X, y, w, alpha, v, s, lower, upper, intercept):
    """min Σ w (y − β₀ − Xβ)² + α Σ v (s β)² on lower ≤ β ≤ upper, by BVLS on the augmented
    system (the free intercept removed by weighted centring)."""
    Xc, yc = _centred(X, y, w, intercept)
    sq = np.sqrt(w)
    A = np.vstack([sq[:, None] * Xc, np.diag(np.sqrt(alpha * v) * s)])
    b = np.r_[sq * yc, np.zeros(X.shape[1])]
    res = lsq_linear(A, b, bounds=(lower, upper), method="bvls", tol=1e-15)
    beta = res.x
    b0 = (w @ (y - X @ beta)) / w.sum() if intercept else 0.0
    return b0, beta


def _ridge_closed(X, y, w, alpha, v, s, intercept):
    """Ridge in closed form: (XcᵀWXc + α V S²) β = XcᵀW yc."""
    Xc, yc = _centred(X, y, w, intercept)
    beta = np.linalg.solve(Xc.T @ (w[:, None] * Xc) + np.diag(alpha * v * s * s),
                           Xc.T @ (w * yc))
    b0 = (w @ (y - X @ beta)) / w.sum() if intercept else 0.0
    return b0, beta


def _setup(seed, n=60, p=5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.2, 5, p) + rng.uniform(-3, 3, p)
    y = X @ rng.uniform(-2, 2, p) + rng.standard_normal(n) + 2.0
    return X, y, rng.uniform(0.3, 2.0, n), rng.standard_normal(n), rng


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("intercept", [False, True])
@pytest.mark.parametrize("shape", [(60, 5), (12, 30)])   # the Gram and the residual CD kernels
@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_limits_against_bvls(shape, intercept, standardize, dtype, fmt):
    X, y, w, _, rng = _setup(1, *shape)
    p = X.shape[1]
    lower = np.where(rng.random(p) < 0.5, -np.inf, -rng.uniform(0, 0.5, p))
    upper = np.where(rng.random(p) < 0.3, np.inf, rng.uniform(0, 0.6, p))
    v = rng.uniform(0.5, 2.0, p)
    alpha = 3.0
    s = _scales(X, w, standardize)
    b0, beta = _box_lsq(X, y, w, alpha, v, s, lower, upper, intercept)
    Xf = X.astype(dtype)
    Xf = sp.csc_matrix(Xf) if fmt == "csc" else Xf
    model = Ridge(alpha=alpha, fit_intercept=intercept, standardize=standardize,
                  penalty_factor=v, lower_limits=lower, upper_limits=upper,
                  tol=1e-10 if dtype == np.float64 else 1e-7, max_iter=100_000)
    model.fit(Xf, y.astype(dtype), sample_weight=w.astype(dtype))
    assert model.coef_.dtype == dtype
    # the limits hold exactly on the raw scale, to the working precision (float32 coefficients
    # are the float64 ones, clipped, then rounded: a limit rounds with them)
    assert np.all(model.coef_ >= lower.astype(dtype))
    assert np.all(model.coef_ <= upper.astype(dtype))
    tol = 1e-7 if dtype == np.float64 else 1e-4
    _close(np.r_[model.intercept_, model.coef_], np.r_[b0, beta], tol)


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("solver", ["auto", "cd", "cg", "cholesky", "svd"])
def test_exclude_is_the_fit_on_the_other_columns(solver, standardize):
    X, y, w, _, _ = _setup(2)
    keep = [0, 2, 4]
    s = _scales(X[:, keep], w, standardize)
    b0, beta = _ridge_closed(X[:, keep], y, w, 2.0, np.ones(3), s, True)
    model = Ridge(alpha=2.0, standardize=standardize, exclude=[1, -2], solver=solver,
                  tol=1e-12).fit(X, y, sample_weight=w)
    expected = np.zeros(5)
    expected[keep] = beta
    assert np.all(model.coef_[[1, 3]] == 0.0)
    _close(np.r_[model.intercept_, model.coef_], np.r_[b0, expected], 1e-9)


@pytest.mark.parametrize("intercept", [False, True])
@pytest.mark.parametrize("k", [1, 2])
def test_offset_is_the_fit_on_y_minus_offset(intercept, k):
    X, y, w, off, rng = _setup(3)
    Y = y if k == 1 else np.c_[y, y[::-1]]
    Off = off if k == 1 else np.c_[off, rng.standard_normal(y.size)]
    model = Ridge(alpha=1.5, fit_intercept=intercept).fit(X, Y, sample_weight=w, offset=Off)
    for t in range(k):
        yt = Y if k == 1 else Y[:, t]
        ot = Off if k == 1 else Off[:, t]
        b0, beta = _ridge_closed(X, yt - ot, w, 1.5, np.ones(5), np.ones(5), intercept)
        coef = model.coef_ if k == 1 else model.coef_[t]
        icpt = np.broadcast_to(model.intercept_, (k,))[t]
        _close(np.r_[icpt, coef], np.r_[b0, beta], 1e-10)
    # predictions add the new rows' offset to the linear predictor
    new = rng.standard_normal(Off[:4].shape)
    np.testing.assert_allclose(model.predict(X[:4], offset=new),
                               X[:4] @ model.coef_.T + model.intercept_ + new, rtol=1e-12)
    if k == 2:  # a 1-D offset applies to every target
        one = rng.standard_normal(4)
        np.testing.assert_allclose(model.predict(X[:4], offset=one),
                                   X[:4] @ model.coef_.T + model.intercept_ + one[:, None])


# --------------------------------------------------------------------------- semantics
def test_alpha_zero_needs_a_bounded_problem():
    X, y, w, _, _ = _setup(4)
    Xd = np.c_[X, X[:, 0] + X[:, 1]]                        # rank deficient
    with pytest.raises(ValueError, match="alpha=0 with lower_limits/upper_limits"):
        Ridge(alpha=0.0, lower_limits=-1.0).fit(Xd, y)
    # every coefficient boxed: allowed; the fitted values of the constrained least squares are
    # unique (strictly convex in Xβ), so they match BVLS's even though β is not unique
    lo, hi = -0.5 * np.ones(6), 0.7 * np.ones(6)
    model = Ridge(alpha=0.0, lower_limits=lo, upper_limits=hi, tol=1e-13,
                  max_iter=10**6).fit(Xd, y, sample_weight=w)
    b0, beta = _box_lsq(Xd, y, w, 0.0, np.ones(6), np.ones(6), lo, hi, True)
    np.testing.assert_allclose(model.predict(Xd), Xd @ beta + b0, rtol=1e-7, atol=1e-7)
    # full column rank: one-sided limits allowed at α = 0
    model = Ridge(alpha=0.0, lower_limits=-0.2, tol=1e-13).fit(X, y, sample_weight=w)
    b0, beta = _box_lsq(X, y, w, 0.0, np.ones(5), np.ones(5), -0.2, np.inf, True)
    _close(np.r_[model.intercept_, model.coef_], np.r_[b0, beta], 1e-9)


@pytest.mark.parametrize("solver", ["cg", "cholesky", "svd", "sparse_cg"])
def test_limits_need_cd(solver):
    X, y, *_ = _setup(5)
    name = "cg" if solver == "sparse_cg" else solver     # scikit-learn's alias, by its meaning
    with pytest.raises(ValueError, match=f"lower_limits/upper_limits need solver='cd'.*"
                                         f"solver='{name}' does not honour"):
        Ridge(lower_limits=-1.0, solver=solver).fit(X, y)


def test_positive_and_limits_combine():
    X, y, w, _, _ = _setup(6)
    lower = np.array([-1.0, -np.inf, 0.0, -0.1, -2.0])
    a = Ridge(alpha=5.0, positive=True, lower_limits=lower, upper_limits=0.5,
              tol=1e-12).fit(X, y, sample_weight=w)
    b = Ridge(alpha=5.0, lower_limits=0.0, upper_limits=0.5, tol=1e-12).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-12, atol=1e-14)


def test_warm_start_outside_the_box_is_projected():
    X, y, w, _, _ = _setup(7)
    model = Ridge(alpha=1.0, warm_start=True, tol=1e-12, solver="cd").fit(X, y, sample_weight=w)
    assert np.abs(model.coef_).max() > 0.3                   # the start lies outside the box
    model.set_params(lower_limits=-0.3, upper_limits=0.3).fit(X, y, sample_weight=w)
    cold = Ridge(alpha=1.0, lower_limits=-0.3, upper_limits=0.3, tol=1e-12).fit(X, y,
                                                                                  sample_weight=w)
    np.testing.assert_allclose(model.coef_, cold.coef_, rtol=1e-9, atol=1e-12)


def test_partial_fit_honours_limits_and_exclude():
    X, y, w, _, _ = _setup(8)
    opts = dict(alpha=2.0, lower_limits=-0.4, upper_limits=[1, 1, 0.2, 1, 1], exclude=[3],
                standardize=True, tol=1e-12)
    full = Ridge(**opts).fit(X, y, sample_weight=w)
    streamed = Ridge(**opts)
    for rows in np.array_split(np.arange(y.size), 3):
        streamed.partial_fit(X[rows], y[rows], sample_weight=w[rows])
    assert streamed.solver_ == "cd" and streamed.coef_[3] == 0.0
    np.testing.assert_allclose(streamed.coef_, full.coef_, rtol=1e-9, atol=1e-12)
    # ... and an offset fit cannot continue with partial_fit (the new rows carry no offset)
    model = Ridge().fit(X, y, offset=np.ones(y.size))
    with pytest.raises(ValueError, match="partial_fit after a fit with an offset"):
        model.partial_fit(X, y)


def test_inputs_are_not_modified():
    X, y, w, off, _ = _setup(9)
    lower, upper, exclude = np.full(5, -0.5), np.full(5, 0.5), np.array([4, 1])
    saved = [a.copy() for a in (X, y, w, off, lower, upper, exclude)]
    model = Ridge(alpha=1.0, lower_limits=lower, upper_limits=upper, exclude=exclude,
                  standardize=True).fit(X, y, sample_weight=w, offset=off)
    model.predict(X, offset=off)
    for a, b in zip((X, y, w, off, lower, upper, exclude), saved):
        np.testing.assert_array_equal(a, b)
    assert model.exclude is exclude and model.lower_limits is lower   # parameters kept as given


@pytest.mark.parametrize("params, fit_kw, match", [
    (dict(lower_limits=0.1), {}, "lower_limits must be <= 0"),
    (dict(upper_limits=[1, 1, -1, 1, 1]), {}, "upper_limits must be >= 0"),
    (dict(lower_limits=[np.nan, 0, 0, 0, 0]), {}, "lower_limits must not contain NaN"),
    (dict(lower_limits=[-1, -1]), {}, "lower_limits must be a scalar or a 1D array of length"),
    (dict(exclude=[5]), {}, "exclude holds an index out of range"),
    (dict(), dict(offset=np.ones(3)), r"offset has shape \(3,\)"),
    (dict(), dict(offset=np.r_[np.nan, np.ones(59)]), "offset must be finite"),
    (dict(), dict(offset=np.r_[1e308, np.ones(59)]), "y - offset is not finite"),
])
def test_validation_names_the_argument(params, fit_kw, match):
    X, y, *_ = _setup(10)
    y = y.copy()
    y[0] = -1e308
    model = Ridge(**params)
    with pytest.raises(ValueError, match=match):
        model.fit(X, y, **fit_kw)
    assert not hasattr(model, "coef_")


@pytest.mark.parametrize("params", [dict(lower_limits="a"), dict(exclude=[0.5]),
                                    dict(exclude="0")])
def test_validation_types(params):
    X, y, *_ = _setup(11)
    with pytest.raises(TypeError, match=next(iter(params))):
        Ridge(**params).fit(X, y)


def test_dask_takes_limits_and_exclude_and_refuses_offset():
    da = pytest.importorskip("dask.array")
    X, y, w, off, _ = _setup(13, 200, 5)
    Xd, yd, wd = da.from_array(X, chunks=(50, 5)), da.from_array(y, chunks=50), \
        da.from_array(w, chunks=50)
    opts = dict(alpha=3.0, lower_limits=-0.5, upper_limits=[1, 1, 0.3, 1, 1], exclude=[1],
                standardize=True, tol=1e-12)
    ref = Ridge(**opts).fit(X, y, sample_weight=w)
    got = Ridge(**opts).fit(Xd, yd, sample_weight=wd)     # the statistics route: CD on the Gram
    np.testing.assert_allclose(got.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
    ex = Ridge(alpha=3.0, exclude=[1], solver="cg", tol=1e-12).fit(Xd, yd)   # the operator route
    b0, beta = _ridge_closed(X[:, [0, 2, 3, 4]], y, np.ones(200), 3.0, np.ones(4), np.ones(4),
                             True)
    _close(np.r_[ex.intercept_, ex.coef_], np.r_[b0, beta[0], 0.0, beta[1:]], 1e-9)
    with pytest.raises(ValueError, match="solver='cg' does not honour"):
        Ridge(lower_limits=-1.0, solver="cg").fit(Xd, yd)
    with pytest.raises(ValueError, match="offset is supported for in-memory data"):
        Ridge().fit(Xd, yd, offset=off)


# --------------------------------------------------------------------------- the kernels
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kernels_box_in_fit_coordinates(dtype):
    """ridge_cd (dense, CSC) and ridge_cd_gram on a box in fit coordinates: the box solution
    of BVLS; positive=True is the box [0, inf) bit for bit; the bounds are checked."""
    from fastridge import _cd_fast
    from fastridge._view import Design

    X, y, w, _, rng = _setup(14, 40, 6)
    n, p = X.shape
    Xf = np.asfortranarray(X, dtype=dtype)
    yw = y.astype(dtype)
    lo = np.array([-0.2, -np.inf, 0.0, -1.0, -0.05, -0.3])
    hi = np.array([0.3, 0.1, np.inf, 0.0, 0.05, np.inf])
    h = (X * X).sum(0)
    jw = 1.0 / np.sqrt(h + 2.0)
    ref = lsq_linear(np.vstack([X, np.sqrt(2.0) * np.eye(p)]), np.r_[y, np.zeros(p)],
                     bounds=(lo, hi), method="bvls", tol=1e-15).x
    tol = 1e-6 if dtype == np.float32 else 1e-10
    t0 = tol * np.linalg.norm(jw * (X.T @ y))
    rt = 1e-3 if dtype == np.float32 else 1e-8
    zeros, ones = np.zeros(p), np.ones(p)
    for Xd in (Xf, sp.csc_matrix(Xf)):
        b, R = np.zeros(p, dtype=dtype), yw.copy()
        _cd_fast.ridge_cd(Design(Xd, zeros, ones, False), yw, b, R, alpha=2.0, v=ones, h=h,
                          jw=jw, W=float(n), lower=lo, upper=hi, tol_abs=t0, max_iter=10**5)
        assert np.all(b >= lo.astype(dtype)) and np.all(b <= hi.astype(dtype))
        np.testing.assert_allclose(b, ref, rtol=rt, atol=rt)
    G = np.asfortranarray(X.T @ X, dtype=dtype)
    c = (X.T @ y).astype(dtype)
    b = np.zeros(p, dtype=dtype)
    _cd_fast.ridge_cd_gram(G, c, ones, 2.0, b, False, jw, t0, 10**5, lo, hi)
    np.testing.assert_allclose(b, ref, rtol=rt, atol=rt)
    # positive=True and the box [0, inf) take the same steps
    b1, b2 = np.zeros(p, dtype=dtype), np.zeros(p, dtype=dtype)
    _cd_fast.ridge_cd_gram(G, c, ones, 2.0, b1, True, jw, t0, 10**5)
    _cd_fast.ridge_cd_gram(G, c, ones, 2.0, b2, False, jw, t0, 10**5, zeros, None)
    np.testing.assert_array_equal(b1, b2)
    for bad in (dict(lower=np.full(p, 0.1)), dict(upper=-np.ones(p)),
                dict(lower=np.full(p, np.nan)), dict(lower=np.zeros(p - 1))):
        with pytest.raises(ValueError, match="lower"):
            _cd_fast.ridge_cd(Design(Xf, zeros, ones, False), yw, np.zeros(p, dtype=dtype),
                              yw.copy(), alpha=2.0, v=ones, h=h, jw=jw, W=float(n), tol_abs=t0,
                              max_iter=10, **bad)
