"""Every solver through one contract.

The contract of `Ridge(solver=...)`, for each of `SOLVERS`, on dense and CSR X, float64 and
float32, one and several targets, with and without an intercept and sample weights:

(i)   optimality: the gradient of the objective at the returned coefficients, computed
      independently in float64 numpy from the raw data (`conftest.Exact.kkt`), is within the
      solver's `tol` (iterative) or the rounding of its precision (direct);
(ii)  a warm restart at the optimum runs the number of iterations `n_iter_` documents: 0 for
      cd/cg ("0 for a warm start already at the optimum"), 1 for a direct solver;
(iii) dense and sparse X give the same coefficients;
(iv)  float32 in, float32 out (coef_, intercept_, predictions);
(v)   an option a solver does not support is refused with a ValueError naming it.
"""
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from conftest import Exact, make_data
from fastridge import Ridge

# the solvers under contract (to become the solver registry)
from fastridge._solvers import SOLVERS as _REGISTRY  # noqa: E402

# every registered solver goes through the same contract
SOLVERS = tuple(sorted(_REGISTRY))
ITERATIVE = ("cd", "cg")
# iterative tolerances: far below the problem's conditioning in float64, at float32's limit
TOL = {np.float64: 1e-10, np.float32: 1e-4}
ALPHA = 2.0

CONTAINERS = {"dense": np.asarray, "csr": sp.csr_matrix}


def _problem(k, weighted):
    # column means of a few spreads: without an intercept the raw Gram stays well enough
    # conditioned for cd to reach tol=1e-10 in float64 (means of 3j gave cond ~1e5)
    X, Y = make_data(n=90, p=9, k=3, cond=20.0, offset=0.3, noise=0.2, seed=31)
    w = np.random.default_rng(31).uniform(0.0, 2.5, 90) if weighted else None
    if weighted:
        w[::11] = 0.0        # zero weights: rows that must not count
    return X, (Y[:, 0] if k == 1 else Y), w


def _fit(solver, X, y, w, dtype, **kw):
    params = dict(alpha=ALPHA, solver=solver, **kw)
    if solver in ITERATIVE:
        params.setdefault("tol", TOL[dtype])
        params.setdefault("max_iter", 50_000)
    return Ridge(**params).fit(X, y, sample_weight=w)


def _targets(est):
    coef = np.atleast_2d(np.asarray(est.coef_, dtype=np.float64))
    b0 = np.broadcast_to(np.atleast_1d(np.asarray(est.intercept_, dtype=np.float64)),
                         (coef.shape[0],))
    return coef, b0


CASES = [(s, c, d, k, fi, wt) for s in SOLVERS for c in CONTAINERS
         for d in (np.float64, np.float32) for k in (1, 3)
         for fi in (True, False) for wt in (False, True)]
IDS = [f"{s}-{c}-{np.dtype(d).name}-k{k}-{'icpt' if fi else 'noicpt'}-{'w' if wt else 'now'}"
       for s, c, d, k, fi, wt in CASES]


@pytest.mark.parametrize("solver,container,dtype,k,fit_intercept,weighted", CASES, ids=IDS)
def test_optimality_dtype_and_warm_restart(solver, container, dtype, k, fit_intercept,
                                           weighted):
    X, y, w = _problem(k, weighted)
    Xc = CONTAINERS[container](X.astype(dtype))
    yd = y.astype(dtype)
    est = _fit(solver, Xc, yd, w, dtype, fit_intercept=fit_intercept, warm_start=True)
    assert est.solver_ == solver

    # (iv) float32 in, float32 out; scikit-learn's layout of intercept_ without an intercept
    assert est.coef_.dtype == dtype
    assert est.coef_.shape == ((9,) if k == 1 else (k, 9))
    if fit_intercept:
        assert np.asarray(est.intercept_).dtype == dtype
    else:
        assert type(est.intercept_) is float and est.intercept_ == 0.0
    pred = est.predict(Xc)
    assert pred.dtype == dtype and pred.shape == yd.shape

    # (i) the KKT residual from the raw data (rounded to the fitted dtype: the problem the
    # solver was given), against the bound of the solver's stopping rule plus rounding
    ex = Exact(X.astype(dtype), yd, ALPHA, sample_weight=w, fit_intercept=fit_intercept)
    eps = np.finfo(dtype).eps
    tol = TOL[dtype] if solver in ITERATIVE else 0.0
    coef, b0 = _targets(est)
    for t in range(k):
        grad, icpt = ex.kkt(coef[t], b0[t], t)
        bound = 2.0 * tol * ex.g0_bound(t) + ex.rounding_bound(coef[t], b0[t], t, eps)
        assert grad <= bound, (t, grad, bound)
        if fit_intercept:
            assert icpt <= 1e3 * eps, icpt      # Σ w r = 0: the intercept is optimal

    # (ii) a warm restart at the optimum: cd/cg check the gradient before their first
    # iteration and stop at once (0); the direct solvers factorize once (1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.fit(Xc, yd, sample_weight=w)
    expected = 0 if solver in ITERATIVE else 1
    assert np.all(np.asarray(est.n_iter_) == expected), est.n_iter_
    coef2, b02 = _targets(est)
    scale = np.abs(coef).max()
    assert np.abs(coef2 - coef).max() <= 10 * eps * scale


def _rel(a, b):
    return float(np.abs(np.asarray(a, float) - np.asarray(b, float)).max()
                 / max(np.abs(np.asarray(b, float)).max(), 1e-300))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("solver", SOLVERS)
def test_dense_and_sparse_agree(solver, dtype, fit_intercept, weighted):
    # (iii) the objective is a strongly convex quadratic with Hessian H = ZᵀWZ + αV in fit
    # coordinates, so a point with gradient g is ‖H⁻¹g‖ ≤ ‖g‖/λ_min(H) from the optimum: two
    # answers whose gradients (from the raw data) are within the bounds of (i) differ by at
    # most the sum of those bounds over λ_min — the solver's tol (iterative) or rounding
    # (direct), scaled by the conditioning, and nothing more
    X, Y, w = _problem(3, weighted)
    ex = Exact(X.astype(dtype), Y.astype(dtype), ALPHA, sample_weight=w,
               fit_intercept=fit_intercept)
    eps = np.finfo(dtype).eps
    tol = TOL[dtype] if solver in ITERATIVE else 0.0
    fits = {}
    for name, conv in CONTAINERS.items():
        est = _fit(solver, conv(X.astype(dtype)), Y.astype(dtype), w, dtype,
                   fit_intercept=fit_intercept)
        assert est.solver_ == solver
        fits[name] = _targets(est)
    for t in range(3):
        lam_min = np.linalg.eigvalsh(ex.hessian(t)).min()
        slack = 0.0
        for coef, b0 in fits.values():
            grad, _ = ex.kkt(coef[t], b0[t], t)
            bound = 2.0 * tol * ex.g0_bound(t) + ex.rounding_bound(coef[t], b0[t], t, eps)
            assert grad <= bound
            slack += bound
        d, s = ex.to_fit(fits["dense"][0][t]), ex.to_fit(fits["csr"][0][t])
        assert np.linalg.norm(d - s) <= slack / lam_min, (np.linalg.norm(d - s), slack / lam_min)
        if fit_intercept:
            # β₀ = ȳ − x̄ᵀβ: the coefficients' difference, through x̄, plus rounding
            diff = abs(fits["dense"][1][t] - fits["csr"][1][t])
            assert diff <= np.linalg.norm(ex.xm) * slack / lam_min + 1e3 * eps * (
                abs(ex.ym[t]) + np.abs(ex.xm) @ np.abs(fits["dense"][0][t]))


# ---------------------------------------------------------------------------- refusals (v)
@pytest.mark.parametrize("solver", [s for s in SOLVERS if s != "cd"])
@pytest.mark.parametrize("container", list(CONTAINERS))
def test_positive_is_refused_by_name(solver, container):
    X, y, _ = _problem(1, False)
    with pytest.raises(ValueError, match="positive"):
        Ridge(solver=solver, positive=True).fit(CONTAINERS[container](X), y)


@pytest.mark.parametrize("container", list(CONTAINERS))
def test_positive_is_honoured_by_cd(container):
    X, y, _ = _problem(1, False)
    y = y - 3.0 * X[:, 0]            # a coefficient that would be negative
    est = Ridge(solver="cd", positive=True, tol=1e-10).fit(CONTAINERS[container](X), y)
    assert est.solver_ == "cd" and np.all(est.coef_ >= 0) and np.any(est.coef_ == 0)


@pytest.mark.parametrize("container", list(CONTAINERS))
def test_cd_refuses_alpha_zero_on_rank_deficient_x_by_name(container):
    # least squares has many solutions there and CD does not find the minimum-norm one
    X, y, _ = _problem(1, False)
    X = np.c_[X, X[:, 0] + X[:, 1]]
    with pytest.raises(ValueError, match="alpha=0"):
        Ridge(solver="cd", alpha=0.0).fit(CONTAINERS[container](X), y)


@pytest.mark.parametrize("solver", SOLVERS)
def test_negative_alpha_is_refused_by_name(solver):
    X, y, _ = _problem(1, False)
    with pytest.raises(ValueError, match="alpha"):
        Ridge(solver=solver, alpha=-1.0).fit(X, y)


@pytest.mark.parametrize("solver", [s for s in SOLVERS if s != "cd"])
def test_alpha_zero_gives_minimum_norm_least_squares(solver):
    # the solvers that accept α = 0 on rank-deficient X return the minimum-norm
    # least-squares solution (oracle: numpy's lstsq on the centred data)
    X, y, _ = _problem(1, False)
    X = np.c_[X, X[:, 0] + X[:, 1]]
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    oracle = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    est = Ridge(solver=solver, alpha=0.0, tol=1e-12, max_iter=50_000).fit(X, y)
    assert _rel(est.coef_, oracle) <= 1e-7
