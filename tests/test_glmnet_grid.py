"""The default α grid is R glmnet's default lambda sequence (alpha = 0), converted to α, and the
path along it gives glmnet's coefficients; standardize=True without an intercept divides by the
weighted SD (as glmnet and scikit-learn's StandardScaler(with_mean=False)).

The reference values come from R's glmnet (tests/data/glmnet_grids/glmnet_grids.R, versions in
versions.txt); R is not needed to run these tests.
"""
import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from fastridge import Ridge, RidgeCV, ridge_path

HERE = Path(__file__).parent / "data" / "glmnet_grids"
DATASETS = ("synth", "wide", "diabetes", "longley")


def _load(name):
    data = np.loadtxt(HERE / f"{name}.csv", delimiter=",", skiprows=1)
    return data[:, :-2], data[:, -2], data[:, -1]


def _penalties():
    out = defaultdict(list)
    with open(HERE / "penalty.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["dataset"]].append(float(row["penalty"]))
    return {k: np.array(v) for k, v in out.items()}


def _cases(filename, value):
    out = defaultdict(list)
    with open(HERE / filename, newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["dataset"],) + tuple(row[c] == "1" for c in
                                            ("standardize", "intercept", "weighted", "penalized"))
            out[key].append(value(row))
    return out


GRIDS = _cases("grids.csv", lambda row: float(row["lambda"]))
PENALTY = _penalties()


def _setting(key):
    name, standardize, intercept, weighted, penalized = key
    X, y, w = _load(name)
    sw = w if weighted else None
    pf = PENALTY[name] if penalized else None
    return X, y, sw, pf, standardize, intercept


def _glmnet_to_alpha(lam, y, sw, pf, intercept):
    """α = W·λ·(p/Σv)/σ_y, written out independently of the package: glmnet divides y by its
    weighted population SD (root mean square without an intercept), reports λ times that,
    and rescales penalty.factor to sum to the number of variables."""
    w = np.ones(y.size) if sw is None else sw
    W = w.sum()
    m = w @ y / W if intercept else 0.0
    sigma_y = np.sqrt(w @ (y - m) ** 2 / W)
    ratio = 1.0 if pf is None else pf.size / pf.sum()
    return W * np.asarray(lam) * ratio / sigma_y


def test_reference_files_cover_the_cases():
    assert sorted({k[0] for k in GRIDS}) == sorted(DATASETS)
    assert len(GRIDS) == len(DATASETS) * 16
    assert "glmnet 4.1" in (HERE / "versions.txt").read_text()


@pytest.mark.filterwarnings("ignore::fastridge.exceptions.ConvergenceWarning")  # only the grid
@pytest.mark.parametrize("key", sorted(GRIDS), ids=lambda k: "-".join(
    [k[0]] + [f"{n}{int(b)}" for n, b in zip(("std", "int", "w", "pf"), k[1:])]))
@pytest.mark.parametrize("route", ["dense-auto", "dense-cd", "csr-auto"])
def test_default_grid_is_glmnets(key, route):
    X, y, sw, pf, standardize, intercept = _setting(key)
    kind, solver = route.split("-")
    if kind == "csr":
        import scipy.sparse as sp

        X = sp.csr_array(X)
    lam = np.array(GRIDS[key])
    expected = _glmnet_to_alpha(lam, y, sw, pf, intercept)
    path = ridge_path(X, y, sample_weight=sw, penalty_factor=pf, standardize=standardize,
                      fit_intercept=intercept, solver=solver, max_iter=3, tol=1e-2)
    # glmnet stops the sequence early when the fit saturates: compare its first values
    np.testing.assert_allclose(path.alphas[:lam.size], expected, rtol=1e-6)
    assert path.alphas.size == 100


@pytest.mark.filterwarnings("ignore::fastridge.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("intercept", [True, False])
def test_default_grid_in_ridgecv(standardize, intercept):
    """RidgeCV's default grid is the same (k-fold may extend it past its smallest α)."""
    key = ("diabetes", standardize, intercept, True, True)
    X, y, sw, pf, _, _ = _setting(key)
    expected = _glmnet_to_alpha(np.array(GRIDS[key]), y, sw, pf, intercept)
    model = RidgeCV(cv=3, standardize=standardize, fit_intercept=intercept, penalty_factor=pf)
    model.fit(X, y, sample_weight=sw)
    grid = model.cv_results_["alphas"]
    start = int(np.argmin(np.abs(np.log(grid / expected[0]))))
    np.testing.assert_allclose(grid[start:start + expected.size], expected, rtol=1e-6)


@pytest.mark.filterwarnings("ignore::fastridge.exceptions.ConvergenceWarning")  # only the grid
@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("intercept", [True, False])
def test_default_grid_on_dask_routes(standardize, intercept):
    """Dask arrays: the statistics route and the wide (column statistics, CG) route, with
    weights and a zero penalty factor (λ_max at the fit of the unpenalized column)."""
    da = pytest.importorskip("dask.array")
    key = ("synth", standardize, intercept, True, True)
    X, y, sw, pf, _, _ = _setting(key)
    expected = _glmnet_to_alpha(np.array(GRIDS[key][:1]), y, sw, pf, intercept)
    dX, dy, dw = (da.from_array(X, chunks=(20, 6)), da.from_array(y, chunks=20),
                  da.from_array(sw, chunks=20))
    for solver in ("auto", "cg"):
        path = ridge_path(dX, dy, sample_weight=dw, penalty_factor=pf, standardize=standardize,
                          fit_intercept=intercept, n_alphas=3, solver=solver, max_iter=2)
        np.testing.assert_allclose(path.alphas[0], expected[0], rtol=1e-6)


COEFS = _cases("coefs.csv", lambda row: (int(row["i"]), int(row["j"]), float(row["value"])))


@pytest.mark.parametrize("key", sorted(COEFS), ids=lambda k: "-".join(
    [k[0]] + [f"{n}{int(b)}" for n, b in zip(("std", "int", "w", "pf"), k[1:])]))
def test_path_along_the_grid_gives_glmnets_coefficients(key):
    """A second oracle for the conversion: glmnet's coefficients (thresh = 1e-14) at its λ are
    the path's at the converted α."""
    X, y, sw, pf, standardize, intercept = _setting(key)
    path = ridge_path(X, y, sample_weight=sw, penalty_factor=pf, standardize=standardize,
                      fit_intercept=intercept, solver="svd")
    rows = defaultdict(dict)
    for i, j, value in COEFS[key]:
        rows[i][j] = value
    for i, coefs in rows.items():
        ref = np.array([coefs[j] for j in sorted(coefs)])
        ours = np.concatenate([[path.intercept[i - 1]], path.coef[i - 1]])
        # glmnet's coordinate descent reaches about 1e-5 of the largest coefficient here
        assert np.abs(ours - ref).max() <= 5e-5 * np.abs(ref).max(), (i, ours, ref)


# --------------------------------------------------------------------------- standardize
def _standard_scaler_oracle(X, y, alpha, sw):
    """scikit-learn: StandardScaler(with_mean=False) then Ridge(fit_intercept=False) on the
    scaled data, coefficients mapped back to the raw columns."""
    from sklearn.linear_model import Ridge as SkRidge
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler(with_mean=False).fit(X, sample_weight=sw)
    coef = SkRidge(alpha=alpha, fit_intercept=False, solver="svd").fit(
        scaler.transform(X), y, sample_weight=sw).coef_
    return coef / scaler.scale_


def _uncentred_data():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((70, 5)) * [1.0, 10.0, 0.1, 3.0, 2.0] + [5.0, -2.0, 100.0, 0.0, 1.0]
    y = X @ np.array([1.0, 0.2, 3.0, -1.0, 0.5]) + rng.standard_normal(70)
    return X, y, rng.uniform(0.2, 3.0, 70)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("route", ["dense-auto", "dense-cholesky", "dense-cd", "dense-cg",
                                   "dense-svd", "csr-auto", "csc-cg", "csr-cd", "partial_fit",
                                   "ridge_path", "dask"])
def test_standardize_without_intercept_divides_by_the_sd(route, weighted):
    pytest.importorskip("sklearn")
    X, y, w = _uncentred_data()
    sw = w if weighted else None
    alpha = 3.0
    expected = _standard_scaler_oracle(X, y, alpha, sw)
    kind, _, solver = route.partition("-")
    kw = dict(fit_intercept=False, standardize=True)
    if kind in ("csr", "csc"):
        import scipy.sparse as sp

        model = Ridge(alpha=alpha, solver=solver, tol=1e-12, max_iter=100000, **kw)
        coef = model.fit(getattr(sp, f"{kind}_matrix")(X), y, sample_weight=sw).coef_
    elif kind == "dense":
        model = Ridge(alpha=alpha, solver=solver, tol=1e-12, max_iter=100000, **kw)
        coef = model.fit(X, y, sample_weight=sw).coef_
    elif kind == "partial_fit":
        model = Ridge(alpha=alpha, **kw)
        for rows in np.array_split(np.arange(70), 3):
            model.partial_fit(X[rows], y[rows], sample_weight=None if sw is None else sw[rows])
        coef = model.coef_
    elif kind == "ridge_path":
        coef = ridge_path(X, y, alphas=[alpha], sample_weight=sw, **kw).coef[0]
    else:
        da = pytest.importorskip("dask.array")
        dX, dy = da.from_array(X, chunks=(25, 5)), da.from_array(y, chunks=25)
        dw = None if sw is None else da.from_array(sw, chunks=25)
        coef = Ridge(alpha=alpha, **kw).fit(dX, dy, sample_weight=dw).coef_
        wide = ridge_path(dX, dy, alphas=[alpha], sample_weight=dw, solver="cg", tol=1e-12,
                          max_iter=100000, **kw).coef[0]  # the column-statistics route
        np.testing.assert_allclose(wide, expected, rtol=1e-7)
    # coordinate descent's relative-gradient stop leaves ~1e-7 on these uncentred columns
    np.testing.assert_allclose(coef, expected, rtol=1e-6 if solver == "cd" else 1e-7)


def test_standardize_without_intercept_constant_column_gets_zero():
    """A constant (nonzero) column has SD 0: coefficient 0, as glmnet excludes it; the other
    columns are fitted as if it were absent."""
    X, y, _ = _uncentred_data()
    Xk = np.column_stack([X, np.full(70, 4.0)])
    model = Ridge(alpha=2.0, fit_intercept=False, standardize=True).fit(Xk, y)
    assert model.coef_[-1] == 0.0
    # the closed form on the columns divided by their population SD (about the mean), mapped
    # back: what StandardScaler(with_mean=False) and Ridge(fit_intercept=False) compute
    sd = X.std(axis=0)
    Z = X / sd
    expected = np.linalg.solve(Z.T @ Z + 2.0 * np.eye(5), Z.T @ y) / sd
    np.testing.assert_allclose(model.coef_[:-1], expected, rtol=1e-9)
