"""RidgeCV(cv="gcv"): generalized cross-validation, checked against a closed form written here
in numpy (the weighted hat matrix formed explicitly), against R's MASS::lm.ridge (its GCV is
RSS/(n − df)², ours n times that: tests/data/mass_gcv), against scipy's minimizer of that
closed form (the refinement), and on Dask against the same fit in memory."""
import pathlib
import warnings

import numpy as np
import pytest
import scipy.sparse as sps

from fastridge import Ridge, RidgeCV
from fastridge.exceptions import AlphaGridWarning

DATA = pathlib.Path(__file__).parent / "data" / "mass_gcv"


def gcv_oracle(X, Y, alphas, *, sample_weight=None, fit_intercept=True, standardize=False,
               penalty_factor=None):
    """(RSS_w/W) / (1 − df/n₊)² per α (rows) and target (columns), with the weighted hat
    matrix H = W^{1/2} X₁ (X₁ᵀ W X₁ + α D)⁻¹ X₁ᵀ W^{1/2} of the design with an intercept column
    (unpenalized), df = tr H minus the intercept's 1, from the raw data."""
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64).reshape(X.shape[0], -1)
    n, p = X.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    W = w.sum()
    pos = w > 0
    xm = w @ X / W
    # standardize: the weighted population SD about the weighted mean, with or without an
    # intercept (Ridge's convention)
    sd = np.sqrt(w @ (X - xm) ** 2 / W) if standardize else np.ones(p)
    v = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=np.float64)
    D = np.diag(v * sd ** 2)                    # the penalty on raw coefficients
    X1 = np.column_stack([np.ones(n), X]) if fit_intercept else X
    if fit_intercept:
        D = np.block([[np.zeros((1, 1)), np.zeros((1, p))], [np.zeros((p, 1)), D]])
    sq = np.sqrt(w)
    Xw = sq[:, None] * X1
    out = np.empty((len(alphas), Y.shape[1]))
    for i, a in enumerate(alphas):
        H = Xw @ np.linalg.solve(Xw.T @ Xw + a * D, Xw.T)
        R = sq[:, None] * Y - H @ (sq[:, None] * Y)
        df = np.trace(H) - (1 if fit_intercept else 0)
        out[i] = (R ** 2).sum(axis=0) / W / (1 - df / pos.sum()) ** 2
    return out


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n, p = 60, 6
    X = rng.standard_normal((n, p)) * rng.uniform(0.3, 4, p) + rng.uniform(-5, 5, p)
    Y = X @ rng.standard_normal((p, 2)) + 2.0 * rng.standard_normal((n, 2))
    w = rng.uniform(0.1, 3.0, n)
    w[::9] = 0.0
    return X, Y, w


GRID = np.geomspace(1e3, 1e-3, 25)


@pytest.mark.parametrize("kw", [{}, {"standardize": True}, {"fit_intercept": False},
                                {"penalty_factor": [1.0, 2.0, 0.5, 1.0, 3.0, 1.0]},
                                {"standardize": True, "fit_intercept": False}])
@pytest.mark.parametrize("weighted", [False, True])
def test_gcv_equals_closed_form(data, kw, weighted):
    X, Y, w = data
    sw = w if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        m = RidgeCV(alphas=GRID, cv="gcv", alpha_per_target=True, **kw).fit(X, Y,
                                                                           sample_weight=sw)
        one = RidgeCV(alphas=GRID, cv="gcv", **kw).fit(X, Y[:, 0], sample_weight=sw)
    ref = gcv_oracle(X, Y, GRID, sample_weight=sw, **kw)
    np.testing.assert_allclose(m.cv_summary_["mean_error"], ref, rtol=1e-9)
    assert np.all(np.isnan(m.cv_summary_["se_error"]))
    np.testing.assert_allclose(one.cv_summary_["mean_error"], ref[:, 0], rtol=1e-9)
    best = GRID[np.argmin(ref, axis=0)]
    np.testing.assert_array_equal(m.alpha_, best)
    assert m.best_score_ == pytest.approx(-ref.min(axis=0), rel=1e-9)
    # the refit is Ridge's at alpha_
    ref_fit = Ridge(alpha=m.alpha_, solver="svd", **kw).fit(X, Y, sample_weight=sw)
    np.testing.assert_allclose(m.coef_, ref_fit.coef_, rtol=1e-8, atol=1e-12)


def test_one_alpha_for_all_targets_averages_the_criterion(data):
    X, Y, w = data
    m = RidgeCV(alphas=GRID, cv="gcv").fit(X, Y, sample_weight=w)
    ref = gcv_oracle(X, Y, GRID, sample_weight=w).mean(axis=1)
    np.testing.assert_allclose(m.cv_summary_["mean_error"], ref, rtol=1e-9)
    assert m.alpha_ == GRID[np.argmin(ref)]


def test_zero_weight_rows_equal_deleted_rows(data):
    X, Y, w = data
    keep = w > 0
    a = RidgeCV(alphas=GRID, cv="gcv").fit(X, Y[:, 0], sample_weight=w)
    b = RidgeCV(alphas=GRID, cv="gcv").fit(X[keep], Y[keep, 0], sample_weight=w[keep])
    np.testing.assert_allclose(a.cv_summary_["mean_error"], b.cv_summary_["mean_error"],
                               rtol=1e-10)


def test_wide_and_sparse(data):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((20, 50))
    y = X[:, :3] @ np.ones(3) + rng.standard_normal(20)
    grid = np.geomspace(1e3, 1e-3, 19)
    # p > n: RSS → 0 as α → 0 while 1 − df/n stays ≥ 1/n, so the GCV's minimum is at the
    # interpolating end (as MASS's would be), which a user grid reports
    with pytest.warns(AlphaGridWarning, match="smallest alpha of the grid"):
        m = RidgeCV(alphas=grid, cv="gcv").fit(X, y)
    np.testing.assert_allclose(m.cv_summary_["mean_error"], gcv_oracle(X, y, grid)[:, 0],
                               rtol=1e-9)
    Xs, ys, ws = data[0], data[1][:, 0], data[2]
    dense = RidgeCV(alphas=GRID, cv="gcv").fit(Xs, ys, sample_weight=ws)
    sparse = RidgeCV(alphas=GRID, cv="gcv").fit(sps.csr_matrix(Xs), ys, sample_weight=ws)
    np.testing.assert_allclose(sparse.cv_summary_["mean_error"],
                               dense.cv_summary_["mean_error"], rtol=1e-9)


def _mass(name):
    pd = pytest.importorskip("pandas")   # reads MASS's CSVs (the 'test' extra)

    d = pd.read_csv(DATA / "data.csv")
    d = d[d.dataset == name]
    xcols = [c for c in ["x1", "x2", "x3", "x4", "x5", "x6"] if d[c].notna().all()]
    r = pd.read_csv(DATA / "ridge.csv")
    r = r[r.dataset == name]
    e = pd.read_csv(DATA / "estimates.csv").set_index("dataset").loc[name]
    return d[xcols].to_numpy(), d["y"].to_numpy(), r, e


@pytest.mark.parametrize("name", ["synth", "longley"])
def test_argmin_and_scaled_values_equal_mass(name):
    """MASS's λ is α with standardize=True; its GCV = RSS/(n − df)², ours n · GCV."""
    X, y, r, e = _mass(name)
    lam = r["lambda"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        m = RidgeCV(alphas=lam, cv="gcv", standardize=True).fit(X, y)
    n = X.shape[0]
    ours = m.cv_summary_["mean_error"] / n
    mass = r["GCV"].to_numpy()
    assert np.max(np.abs(ours - mass) / mass) <= 1e-10
    assert m.alpha_ == pytest.approx(float(e["select_lambda"]), rel=1e-15)
    np.testing.assert_allclose(m.cv_summary_["df"], [
        np.sum(s2 / (s2 + a)) for s2 in [np.linalg.svd((X - X.mean(0)) / X.std(0),
                                                      compute_uv=False) ** 2] for a in lam],
        rtol=1e-12)


def test_default_grid_refined_to_the_minimum_of_the_closed_form(data):
    from scipy.optimize import minimize_scalar

    X, Y, w = data
    y = Y[:, 1]
    m = RidgeCV(cv="gcv").fit(X, y, sample_weight=w)
    grid = m.cv_summary_["alphas"]
    assert not np.any(grid == m.alpha_)             # refined off the grid

    def f(t):
        return gcv_oracle(X, y, [np.exp(t)], sample_weight=w)[0, 0]

    i = int(np.argmin(m.cv_summary_["mean_error"]))
    res = minimize_scalar(f, bounds=(np.log(grid[i + 1]), np.log(grid[i - 1])),
                          method="bounded", options={"xatol": 1e-10})
    assert m.alpha_ == pytest.approx(np.exp(res.x), rel=2e-3)
    assert -m.best_score_ == pytest.approx(f(np.log(m.alpha_)), rel=1e-10)
    assert -m.best_score_ <= m.cv_summary_["mean_error"].min()


def test_default_grid_extended_past_an_end():
    """Pure noise: the GCV falls as α grows, past the default grid's top, until df ~ 0; the
    extension's warning names generalized cross-validation."""
    rng = np.random.default_rng(2)
    X = rng.standard_normal((80, 4))
    y = rng.standard_normal(80)
    with pytest.warns(AlphaGridWarning, match="generalized cross-validation"):
        m = RidgeCV(cv="gcv", n_alphas=30).fit(X, y)
    from fastridge import ridge_path

    default_top = ridge_path(X, y, n_alphas=30).alphas[0]
    assert m.cv_summary_["alphas"][0] > default_top
    assert m.cv_summary_["df"][0] <= 1e-3


def test_errors_name_the_argument(data):
    X, Y, _ = data
    y = Y[:, 0]
    with pytest.raises(ValueError, match="rule='1se'.*cv='gcv'"):
        RidgeCV(cv="gcv", rule="1se").fit(X, y)
    with pytest.raises(ValueError, match="scoring='r2'.*cv='gcv'"):
        RidgeCV(cv="gcv", scoring="r2").fit(X, y)
    with pytest.raises(ValueError, match="store_cv_results=True.*cv='gcv'"):
        RidgeCV(cv="gcv", store_cv_results=True).fit(X, y)
    with pytest.raises(ValueError, match="cv must be .*'gcv'.*got cv='gvc'"):
        RidgeCV(cv="gvc").fit(X, y)
    # (a zero penalty factor is decomposed too: tests/test_generalized.py checks GCV with one)
    # neg_mean_squared_error is the criterion's own scale: accepted
    a = RidgeCV(cv="gcv", alphas=GRID, scoring="neg_mean_squared_error").fit(X, y)
    b = RidgeCV(cv="gcv", alphas=GRID).fit(X, y)
    assert a.alpha_ == b.alpha_


def test_plot_names_the_criterion(data):
    Figure = pytest.importorskip("matplotlib.figure").Figure

    X, Y, _ = data
    ax = RidgeCV(cv="gcv", alphas=GRID).fit(X, Y[:, 0]).plot(ax=Figure().subplots())
    assert ax.get_ylabel() == "Generalized cross-validation mean squared error"


# ------------------------------------------------------------------ Dask
da = None


@pytest.fixture(scope="module")
def client():
    global da
    da = pytest.importorskip("dask.array")
    pytest.importorskip("distributed")
    from conftest import process_cluster_client

    with process_cluster_client() as c:
        yield c


@pytest.mark.parametrize("kw", [{}, {"standardize": True}, {"alpha_per_target": True},
                                {"alphas": GRID}])
@pytest.mark.parametrize("weighted", [False, True])
def test_dask_equals_in_memory(client, data, kw, weighted):
    X, Y, w = data
    sw = w if weighted else None
    dX, dY = da.from_array(X, chunks=(17, 3)), da.from_array(Y, chunks=(23, -1))
    dw = None if sw is None else da.from_array(sw, chunks=13)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        mem = RidgeCV(cv="gcv", **kw).fit(X, Y, sample_weight=sw)
        dsk = RidgeCV(cv="gcv", **kw).fit(dX, dY, sample_weight=dw)
    np.testing.assert_allclose(dsk.cv_summary_["alphas"], mem.cv_summary_["alphas"],
                               rtol=1e-12)
    np.testing.assert_allclose(dsk.cv_summary_["mean_error"], mem.cv_summary_["mean_error"],
                               rtol=1e-10)
    np.testing.assert_allclose(dsk.alpha_, mem.alpha_, rtol=1e-6)
    np.testing.assert_allclose(dsk.coef_, mem.coef_, rtol=1e-6, atol=1e-10)


def test_dask_errors_name_the_argument(client, data):
    X, Y, _ = data
    dX, dy = da.from_array(X, chunks=(17, 3)), da.from_array(Y[:, 0], chunks=23)
    with pytest.raises(ValueError, match="rule='1se'.*cv='gcv'"):
        RidgeCV(cv="gcv", rule="1se").fit(dX, dy)
    with pytest.raises(ValueError, match="store_cv_results=True.*cv='gcv'"):
        RidgeCV(cv="gcv", store_cv_results=True).fit(dX, dy)
    with pytest.raises(ValueError, match="groups"):
        RidgeCV(cv="gcv").fit(dX, dy, groups=np.arange(X.shape[0]))


def test_dask_ridge_df_and_coef_at_equal_in_memory(client, data):
    from fastridge import ridge_path

    X, Y, w = data
    dX, dY = da.from_array(X, chunks=(17, 3)), da.from_array(Y, chunks=(23, -1))
    dw = da.from_array(w, chunks=13)
    mem = Ridge(df=3.5, standardize=True).fit(X, Y, sample_weight=w)
    dsk = Ridge(df=3.5, standardize=True).fit(dX, dY, sample_weight=dw)
    assert dsk.alpha_ == pytest.approx(mem.alpha_, rel=1e-10)
    np.testing.assert_allclose(dsk.coef_, mem.coef_, rtol=1e-9)
    path = ridge_path(dX, dY, n_alphas=5, sample_weight=dw)
    coef, icpt = path.coef_at(alpha=2.5)
    ref = Ridge(alpha=2.5, solver="svd").fit(X, Y, sample_weight=w)
    np.testing.assert_allclose(coef, ref.coef_, rtol=1e-9)
    np.testing.assert_allclose(icpt, ref.intercept_, rtol=1e-9)
    with pytest.raises(ValueError, match="RidgePath.gcv needs the rows of X in memory"):
        path.gcv  # noqa: B018 - the property raises


def test_partial_fit_with_df_equals_fit(data):
    X, Y, w = data
    y = Y[:, 0]
    m = Ridge(df=2.5).partial_fit(X[:30], y[:30], sample_weight=w[:30])
    m.partial_fit(X[30:], y[30:], sample_weight=w[30:])
    ref = Ridge(df=2.5).fit(X, y, sample_weight=w)
    assert m.alpha_ == pytest.approx(ref.alpha_, rel=1e-10)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-9)
    m.set_params(df=None, alpha=ref.alpha_)             # re-solved from the statistics
    assert not hasattr(m, "alpha_")
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-9)
