"""Ridge, ridge_path and RidgeCV on Dask arrays, run on a real dask.distributed LocalCluster (two
worker processes on loopback), each result compared with the in-memory fit of the same data."""
import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from conftest import make_data, process_cluster_client, ridge_oracle  # noqa: E402
from fastridge import Ridge, RidgeCV, ridge_path  # noqa: E402

RTOL = 1e-10


@pytest.fixture(scope="module")
def client():
    with process_cluster_client() as c:
        yield c


def _close(a, b, rtol=RTOL):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape
    assert np.abs(a - b).max() <= rtol * max(np.abs(b).max(), 1e-300), (a, b)


@pytest.fixture(scope="module")
def tall():
    X, Y = make_data(n=3000, p=12, k=3, offset=100.0, noise=0.3, seed=21)
    w = np.random.default_rng(21).uniform(0, 2, 3000)
    w[::17] = 0.0
    return X, Y, w


def _dask(X, Y, w, rows=400):
    ychunks = (rows + 50,) if Y.ndim == 1 else (rows + 50, -1)
    return (da.from_array(X, chunks=(rows, 5)), da.from_array(Y, chunks=ychunks),
            None if w is None else da.from_array(w, chunks=rows - 30))


@pytest.mark.parametrize("kw", [{}, {"standardize": True}, {"fit_intercept": False},
                                {"penalty_factor": np.r_[0.0, np.ones(11)]},
                                {"alpha": np.array([0.1, 10.0, 1000.0])}])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_tall_equals_in_memory(client, tall, kw, weighted):
    X, Y, w = tall
    w = w if weighted else None
    kw = {"alpha": 3.0, **kw}
    Xd, Yd, wd = _dask(X, Y, w)
    ref = Ridge(solver="svd", **kw).fit(X, Y, sample_weight=w)
    got = Ridge(**kw).fit(Xd, Yd, sample_weight=wd)
    # without an intercept the raw Gram of these columns (means 100× their spread) has
    # cond ≈ 6e8: any normal-equations solver, in memory or not, keeps ~8 digits there
    tol = 1e-7 if kw.get("fit_intercept") is False else RTOL
    _close(got.coef_, ref.coef_, tol)
    _close(got.intercept_, ref.intercept_, tol)
    assert got.solver_ == "cholesky" and got.n_features_in_ == 12
    pred = got.predict(Xd)
    assert isinstance(pred, da.Array)
    _close(pred.compute(), ref.predict(X), 1e-9)


def test_ridge_tall_single_target_float32_cd_positive(client, tall):
    X, Y, w = tall
    y = Y[:, 0]
    Xd, Yd, wd = _dask(X, y, w)
    ref = Ridge(alpha=2.0, solver="cd", positive=True, tol=1e-12).fit(X, y, sample_weight=w)
    got = Ridge(alpha=2.0, solver="cd", positive=True, tol=1e-12).fit(Xd, Yd, sample_weight=wd)
    _close(got.coef_, ref.coef_, 1e-8)
    assert np.all(got.coef_ >= 0) and np.ndim(got.intercept_) == 0
    X32 = da.from_array(X.astype(np.float32), chunks=(500, -1))
    got32 = Ridge(alpha=2.0).fit(X32, y.astype(np.float32))
    assert got32.coef_.dtype == np.float32
    _close(got32.coef_, ridge_oracle(X, y, 2.0)[0], 1e-3)


def test_ridge_wide_cg_equals_in_memory(client, monkeypatch):
    X, Y = make_data(n=300, p=400, k=2, offset=5.0, seed=22)
    w = np.random.default_rng(22).uniform(0.5, 2, 300)
    Xd = da.from_array(X, chunks=(80, -1)).persist()   # CG reads X once per iteration
    Yd, wd = da.from_array(Y), da.from_array(w)
    ref = Ridge(alpha=5.0, solver="svd").fit(X, Y, sample_weight=w)
    # CG is as exact as its tolerance (relative gradient norm) makes it: cond ≈ 60 here, so
    # tol=1e-10 gives 6e-9 at worst; a tighter tol sits at the rounding floor, where the
    # reduction order of the chunks decides whether CG reports a breakdown
    got = Ridge(alpha=5.0, solver="cg", tol=1e-10).fit(Xd, Yd, sample_weight=wd)
    _close(got.coef_, ref.coef_, 1e-8)
    _close(got.intercept_, ref.intercept_, 1e-8)
    assert got.solver_ == "cg" and np.all(got.n_iter_ >= 1)
    # "auto" takes distributed CG when the p × p Gram would not fit
    from fastridge import config_context

    with config_context(working_memory=8 * 100 * 100 / 2**20):
        got = Ridge(alpha=5.0, standardize=True, tol=1e-10).fit(Xd, Yd)
    ref = Ridge(alpha=5.0, standardize=True, solver="svd").fit(X, Y)
    assert got.solver_ == "cg"
    _close(got.coef_, ref.coef_, 1e-8)


def test_ridge_path_tall_and_wide_equal_in_memory(client, tall):
    X, Y, w = tall
    Xd, Yd, wd = _dask(X, Y, w)
    ref = ridge_path(X, Y, sample_weight=w, n_alphas=30, standardize=True)
    got = ridge_path(Xd, Yd, sample_weight=wd, n_alphas=30, standardize=True)
    _close(got.alphas, ref.alphas, 1e-12)
    _close(got.coef, ref.coef)
    _close(got.df, ref.df)
    assert got.solver == "eigen"
    Xw, yw = make_data(n=150, p=200, seed=23)
    grid = np.geomspace(100.0, 1.0, 6)
    ref = ridge_path(Xw, yw, alphas=grid)
    got = ridge_path(da.from_array(Xw, chunks=(50, -1)).persist(), yw, alphas=grid, solver="cg",
                     tol=1e-11)
    _close(got.coef, ref.coef, 1e-8)
    assert got.solver == "cg" and got.n_iter.sum() > 0


@pytest.mark.parametrize("cv", [None, 5])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridgecv_equals_in_memory(client, tall, cv, weighted):
    X, Y, w = tall
    w = w if weighted else None
    Xd, Yd, wd = _dask(X, Y, w)
    kw = dict(alphas=np.geomspace(1e-2, 1e4, 25), cv=cv, standardize=True)
    ref = RidgeCV(**kw).fit(X, Y, sample_weight=w)
    got = RidgeCV(**kw).fit(Xd, Yd, sample_weight=wd)
    _close(got.cv_results_["mean_error"], ref.cv_results_["mean_error"], 1e-9)
    _close(got.cv_results_["se_error"], ref.cv_results_["se_error"], 1e-7)
    assert got.alpha_ == ref.alpha_
    _close(got.coef_, ref.coef_, 1e-9)
    per = RidgeCV(alpha_per_target=True, rule="1se", **kw).fit(Xd, Yd, sample_weight=wd)
    per_ref = RidgeCV(alpha_per_target=True, rule="1se", **kw).fit(X, Y, sample_weight=w)
    np.testing.assert_array_equal(per.alpha_, per_ref.alpha_)


def test_errors_name_the_problem(client, tall):
    X, Y, w = tall
    Xd, Yd, _ = _dask(X, Y, None)
    bad = X.copy()
    bad[2500, 3] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        Ridge().fit(da.from_array(bad, chunks=(400, -1)), Y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        Ridge().fit(Xd, Y[:-1])
    with pytest.raises(ValueError, match="scoring"):
        RidgeCV(scoring=lambda a, b: 0.0).fit(Xd, Yd)
    with pytest.raises(ValueError, match="unknown chunk sizes"):
        Ridge().fit(Xd[Xd[:, 0] > -np.inf], Yd)
    with pytest.raises(ValueError, match="X has 11 features, but Ridge is expecting 12"):
        Ridge().fit(Xd, Yd).predict(Xd[:, :11])


def test_kfold_reads_each_chunk_once():
    # the one-pass claim, counted: every chunk of X is produced once for the whole k-fold CV
    # over the α grid (threaded scheduler, so the counter lives in this process)
    import dask

    X, y = make_data(n=1200, p=6, seed=24)
    calls = []

    def produce(block, block_info=None):
        calls.append(block_info[0]["chunk-location"])
        return block

    Xd = da.from_array(X, chunks=(100, -1)).map_blocks(produce, dtype=X.dtype)
    with dask.config.set(scheduler="threads"):
        RidgeCV(cv=4, alphas=np.geomspace(1e-3, 1e3, 40)).fit(Xd, y)
    assert len(calls) == 12 and len(set(calls)) == 12


def test_refusals_come_before_any_pass_over_the_data(client):
    """An option the chosen route cannot honour (positive=True where the Gram would not fit)
    and all-zero weights in k-fold are refused with fit's words, and the first before Dask
    computes anything: X here cannot be computed at all."""
    import dask

    from fastridge import config_context

    def boom(block):
        raise AssertionError("X was computed")

    X = da.map_blocks(boom, da.zeros((60, 4), chunks=(15, 4)), dtype=float)
    y = da.zeros(60, chunks=15)
    with config_context(working_memory=1e-6), dask.config.set(scheduler="sync"):
        with pytest.raises(ValueError, match="positive=True"):
            Ridge(positive=True).fit(X, y)
    rng = np.random.default_rng(3)
    Xd = da.from_array(rng.standard_normal((60, 4)), chunks=(15, 4))
    with pytest.raises(ValueError, match="Sample weights must not all be zero"):
        RidgeCV(cv=5, alphas=[1.0]).fit(Xd, da.from_array(rng.standard_normal(60), chunks=15),
                                        sample_weight=da.zeros(60, chunks=15))
