"""Every data backend through one contract: the one place that states "every backend equals
in-memory".

Backends: numpy (C and F order), scipy.sparse CSR/CSC (matrices and arrays), and Dask arrays
on a real dask.distributed LocalCluster (row-chunked from numpy, and chunked along both axes).
Each fits Ridge (every solver), ridge_path (default and user grid), RidgeCV (exact
leave-one-out and 5-fold, on a user grid) and Ridge.partial_fit over row blocks; every result
(coef_, intercept_, alpha_, path coefficients, intercepts and degrees of freedom, CV errors)
equals the in-memory dense float64 one to 1e-10 relative.

The Dask backends are skipped cleanly when dask.distributed is not installed (CI also runs
without the extras); tests/test_dask.py covers Dask-specific behaviour (wide CG, errors, the
one-pass claim), this module only the equality with in-memory.
"""
import importlib.util

import numpy as np
import pytest
import scipy.sparse as sp

from conftest import make_data
from fastridge import Ridge, RidgeCV, ridge_path

RTOL = 1e-10
SOLVERS = ("cd", "cg", "cholesky", "svd")
HAVE_DASK = (importlib.util.find_spec("dask") is not None
             and importlib.util.find_spec("distributed") is not None)
needs_dask = pytest.mark.skipif(not HAVE_DASK, reason="dask.distributed not installed")


def _dask_rows(a, rows=110):
    import dask.array as da

    return da.from_array(a, chunks=(rows,) + a.shape[1:])


def _dask_tiles(a):
    # chunks along both axes (the fit rechunks X to whole rows)
    import dask.array as da

    return da.from_array(a, chunks=(150, 3) if a.ndim == 2 else 150)


# name → (converter of X, converter of y and sample_weight), and whether it needs Dask
BACKENDS = {
    "numpy_C": (np.ascontiguousarray, None),
    "numpy_F": (np.asfortranarray, None),
    "csr_matrix": (sp.csr_matrix, None),
    "csr_array": (sp.csr_array, None),
    "csc_matrix": (sp.csc_matrix, None),
    "csc_array": (sp.csc_array, None),
    "dask_rows": (_dask_rows, _dask_rows),
    "dask_tiles": (_dask_tiles, _dask_rows),
}
PARAMS = [pytest.param(name, marks=[needs_dask] if name.startswith("dask") else [], id=name)
          for name in BACKENDS]


@pytest.fixture(scope="module")
def cluster_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                       dashboard_address=None)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.fixture(params=PARAMS)
def backend(request):
    """(convert X, convert y / weights) for the backend; Dask ones run on the cluster."""
    name = request.param
    if name.startswith("dask"):
        request.getfixturevalue("cluster_client")
    to_x, to_y = BACKENDS[name]
    return name, to_x, (to_y or (lambda a: a))


@pytest.fixture(scope="module")
def data():
    # column means 20× their spread, one column of a very different scale, zero weights
    X, Y = make_data(n=660, p=9, k=2, cond=30.0, offset=20.0, noise=0.3, seed=41)
    X[:, 4] *= 1e3
    rng = np.random.default_rng(41)
    w = rng.uniform(0.0, 2.0, 660)
    w[::13] = 0.0
    return X, Y, w


def _close(got, ref, rtol=RTOL, what=""):
    got = np.asarray(got, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    assert got.shape == ref.shape, (what, got.shape, ref.shape)
    err = np.abs(got - ref).max(initial=0.0)
    assert err <= rtol * max(np.abs(ref).max(initial=0.0), 1e-300), (what, err)


def _compute(a):
    return a.compute() if hasattr(a, "compute") else a


# ---------------------------------------------------------------------------------- Ridge
# Two accuracy bugs these tests exposed, fixed since: solver="svd" from sufficient statistics
# (Dask, partial_fit) eigendecomposed G + αV without equilibrating the columns (2e-9 against
# 4e-14 with one column 1e3 times the others); RidgeCV(cv=None) on sparse X took coef_ from
# the LOO spectrum of the unequilibrated Gram (1.7e-8 from Ridge(alpha=alpha_).fit).


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("solver", SOLVERS)
def test_ridge(backend, data, solver, standardize, request):
    name, to_x, to_y = backend
    X, Y, w = data
    kw = dict(alpha=np.array([0.5, 50.0]), standardize=standardize)
    ref = Ridge(solver="svd", **kw).fit(X, Y, sample_weight=w)
    # iterative solvers: tol far below 1e-10 / cond(Jacobi-scaled system) (≈ 1e3 here).  cg
    # stops at 1e-12: tighter sits at the rounding floor, where the reduction order of the
    # Dask chunks decides whether it reports a breakdown (tests/test_dask.py)
    extra = {"cd": {"tol": 1e-14, "max_iter": 100_000},
             "cg": {"tol": 1e-12, "max_iter": 100_000}}.get(solver, {})
    got = Ridge(solver=solver, **kw, **extra).fit(to_x(X), to_y(Y), sample_weight=to_y(w))
    assert got.solver_ == solver
    _close(got.coef_, ref.coef_, what="coef_")
    _close(got.intercept_, ref.intercept_, what="intercept_")
    _close(_compute(got.predict(to_x(X))), ref.predict(X), what="predict")


# ----------------------------------------------------------------------------- ridge_path
@pytest.mark.parametrize("grid", ["default", "user"])
def test_ridge_path(backend, data, grid):
    name, to_x, to_y = backend
    X, Y, w = data
    kw = dict(standardize=True, sample_weight=w)
    if grid == "user":
        kw["alphas"] = np.geomspace(1e4, 1e-3, 15)
    ref = ridge_path(X, Y, **kw)
    kw["sample_weight"] = to_y(w)
    got = ridge_path(to_x(X), to_y(Y), **kw)
    _close(got.alphas, ref.alphas, what="alphas")
    _close(got.coef, ref.coef, what="coef")
    _close(got.intercept, ref.intercept, what="intercept")
    _close(got.df, ref.df, what="df")


# -------------------------------------------------------------------------------- RidgeCV
@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("cv", [None, 5], ids=["loo", "kfold5"])
def test_ridgecv(backend, data, cv, standardize, request):
    # a user grid: the default one is extended beyond its end when the optimum sits there,
    # in memory only (a Dask fit says so in its AlphaGridWarning) — a documented difference
    name, to_x, to_y = backend
    X, Y, w = data
    kw = dict(alphas=np.geomspace(1e-3, 1e4, 30), cv=cv, standardize=standardize)
    ref = RidgeCV(**kw).fit(X, Y, sample_weight=w)
    got = RidgeCV(**kw).fit(to_x(X), to_y(Y), sample_weight=to_y(w))
    assert got.alpha_ == ref.alpha_
    _close(got.coef_, ref.coef_, what="coef_")
    _close(got.intercept_, ref.intercept_, what="intercept_")
    _close(got.cv_results_["alphas"], ref.cv_results_["alphas"], what="alphas")
    # Dask's k-fold makes all folds in one pass: a fold's training statistics are the total's
    # minus the fold's, and its test error comes from statistics, not rows; that subtraction
    # costs a few digits more than the in-memory fold fits (8e-11 measured without
    # standardize, one column 1e3 times the others), hence 1e-9 there (as tests/test_dask.py)
    rtol = 1e-9 if cv is not None and name.startswith("dask") else RTOL
    _close(got.cv_results_["mean_error"], ref.cv_results_["mean_error"], rtol, "mean_error")
    per = RidgeCV(alpha_per_target=True, **kw).fit(to_x(X), to_y(Y), sample_weight=to_y(w))
    per_ref = RidgeCV(alpha_per_target=True, **kw).fit(X, Y, sample_weight=w)
    np.testing.assert_array_equal(per.alpha_, per_ref.alpha_)
    _close(per.coef_, per_ref.coef_, what="per-target coef_")


# k-fold's default grid keeps its minimum at the small end here even extended (one column
# 1e3 times the others): the warning saying so is expected, the equality is what is tested
@pytest.mark.filterwarnings("ignore::fastridge.exceptions.AlphaGridWarning")
@pytest.mark.parametrize("cv", [None, 5], ids=["loo", "kfold5"])
def test_ridgecv_default_grid_in_memory_backends(backend, data, cv, request):
    name, to_x, to_y = backend
    if name.startswith("dask"):
        pytest.skip("the default grid is not extended on Dask (documented, with a warning)")
    X, Y, w = data
    ref = RidgeCV(cv=cv).fit(X, Y, sample_weight=w)
    got = RidgeCV(cv=cv).fit(to_x(X), Y, sample_weight=w)
    _close(got.cv_results_["alphas"], ref.cv_results_["alphas"], what="alphas")
    _close(got.cv_results_["mean_error"], ref.cv_results_["mean_error"], what="mean_error")
    # leave-one-out refines alpha_ by a bounded Brent search on log α (its documented
    # tolerance 1e-4): curves equal to 1e-10 may stop it at points that far apart; the
    # coefficients are then those of the fit at the backend's own alpha_
    assert abs(np.log(got.alpha_ / ref.alpha_)) <= 1e-4
    at = Ridge(alpha=got.alpha_, solver="svd").fit(X, Y, sample_weight=w)
    _close(got.coef_, at.coef_, what="coef_")
    _close(got.intercept_, at.intercept_, what="intercept_")


# ---------------------------------------------------------------------- partial_fit blocks
@pytest.mark.parametrize("solver", ["auto", "svd"])
def test_partial_fit_blocks(backend, data, solver, request):
    name, to_x, to_y = backend
    X, Y, w = data
    ref = Ridge(alpha=3.0, solver="svd").fit(X, Y, sample_weight=w)
    got = Ridge(alpha=3.0, solver=solver)
    for rows in (slice(0, 200), slice(200, 230), slice(230, 660)):
        got.partial_fit(to_x(X[rows]), to_y(Y[rows]), sample_weight=to_y(w[rows]))
    _close(got.coef_, ref.coef_, what="coef_")
    _close(got.intercept_, ref.intercept_, what="intercept_")
