"""Numerical edge cases, each with a defined behaviour (documented where the code decides it):
α = 0 on singular X, columns and targets at extreme magnitudes, constant, duplicate and all-zero
columns, constant y, condition numbers up to 1e12 against an exact rational oracle, float32
data whose Gram would overflow float32, sparse index types and invalid index arrays, and the
regressions found by tests/test_properties.py and tests/test_fuzz.py.

(Pickling round trips and the version warning are covered by tests/test_base.py.)
"""
import fractions
import re
import types
import warnings

import numpy as np
import pytest

from conftest import SOLVERS, Exact, make_data
from exact_rational import ExactRidge
from fastridge import Ridge, RidgeCV, RidgeEM, ridge_path
from fastridge.exceptions import ConvergenceWarning

sp = pytest.importorskip("scipy.sparse")
ITER = {"tol": 1e-12, "max_iter": 100000}


def opts(solver):
    return ITER if solver in ("cd", "cg") else {}


def min_norm(X, y, w=None, fit_intercept=True, rcond=1e-10):
    """Minimum-norm least squares by numpy's pinv of the (weighted) centred design."""
    X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
    w = np.ones(len(y)) if w is None else w
    xm = w @ X / w.sum() if fit_intercept else np.zeros(X.shape[1])
    ym = w @ y / w.sum() if fit_intercept else 0.0
    sw = np.sqrt(w)
    coef = np.linalg.pinv(sw[:, None] * (X - xm), rcond=rcond) @ (sw * (y - ym))
    return coef, ym - xm @ coef


def singular_designs():
    rng = np.random.default_rng(0)
    tall = rng.standard_normal((30, 4))
    tall = np.hstack([tall, tall[:, :1] - 2 * tall[:, 1:2], tall[:, 2:3]])  # rank 4 of 6
    wide = rng.standard_normal((6, 15))
    return {"tall_collinear": tall, "wide": wide}


# ------------------------------------------------------------------- α = 0 on singular X
@pytest.mark.parametrize("shape", ["tall_collinear", "wide"])
@pytest.mark.parametrize("solver", ["auto", "svd", "cholesky", "cg"])
@pytest.mark.parametrize("container", ["dense", "csr", "csc"])
@pytest.mark.parametrize("weighted", [False, True])
def test_alpha_zero_singular_gives_the_minimum_norm_solution(shape, solver, container,
                                                             weighted):
    """svd, cholesky (falling back to svd), "auto" and cg (its preconditioner is scalar at
    α = 0, so from a cold start its iterates stay in the row space) all return pinv's
    minimum-norm least-squares solution."""
    X = singular_designs()[shape]
    rng = np.random.default_rng(1)
    y = X @ rng.standard_normal(X.shape[1]) + rng.standard_normal(X.shape[0])
    w = rng.uniform(0.5, 2.0, X.shape[0]) if weighted else None
    coef, intercept = min_norm(X, y, w)
    Xc = X if container == "dense" else getattr(sp, f"{container}_array")(X)
    est = Ridge(alpha=0.0, solver=solver, **opts(solver)).fit(Xc, y, sample_weight=w)
    np.testing.assert_allclose(est.coef_, coef, rtol=1e-7, atol=1e-9 * np.abs(coef).max())
    np.testing.assert_allclose(est.intercept_, intercept, rtol=1e-7, atol=1e-9)


def test_alpha_zero_auto_routes_to_svd_and_to_cg_when_too_large(monkeypatch):
    """"auto" takes svd for α = 0 while a dense float64 copy fits in 2 GiB, else cg — which
    also gives the minimum-norm solution (pretended here by lowering the limit)."""
    from fastridge import config_context

    X = singular_designs()["wide"]
    y = np.arange(X.shape[0], dtype=float)
    coef, _ = min_norm(X, y)
    assert Ridge(alpha=0.0).fit(X, y).solver_ == "svd"
    with config_context(working_memory=8 / 2**20):
        est = Ridge(alpha=0.0, tol=1e-12).fit(sp.csr_array(X), y)
    assert est.solver_ == "cg"
    np.testing.assert_allclose(est.coef_, coef, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("shape", ["tall_collinear", "wide"])
@pytest.mark.parametrize("container", ["dense", "csc"])
def test_alpha_zero_singular_coordinate_descent_refuses(shape, container):
    """CD converges to *a* least-squares solution, which depends on its start: on rank-deficient
    X it refuses α = 0 and points to solver="svd"."""
    X = singular_designs()[shape]
    Xc = X if container == "dense" else sp.csc_array(X)
    y = np.arange(X.shape[0], dtype=float)
    with pytest.raises(ValueError, match=r"solver='cd' cannot solve alpha=0.*solver='svd'"):
        Ridge(alpha=0.0, solver="cd").fit(Xc, y)
    with pytest.raises(ValueError, match=r"alpha=0"):
        Ridge(alpha=np.array([1.0, 0.0]), solver="cd").fit(Xc, np.column_stack([y, y]))
    with pytest.raises(ValueError, match=r"alpha=0"):
        ridge_path(Xc, y, alphas=[1.0, 0.0], solver="cd")


def test_alpha_zero_full_rank_coordinate_descent_and_nnls():
    """On full-rank X, CD solves α = 0 (the least-squares solution is unique), and with
    positive=True (non-negative least squares, CD's alone) α = 0 is always accepted."""
    X, y = make_data(n=50, p=5, seed=3)
    coef, intercept = min_norm(X, y)
    est = Ridge(alpha=0.0, solver="cd", **ITER).fit(X, y)
    np.testing.assert_allclose(est.coef_, coef, rtol=1e-7)
    y2 = y - 3 * X[:, 0]
    nn = Ridge(alpha=0.0, positive=True, **ITER).fit(X, y2)
    Xc = X - X.mean(axis=0)
    grad = Xc.T @ (y2 - y2.mean() - Xc @ nn.coef_)
    assert np.all(nn.coef_ >= 0) and np.any(nn.coef_ == 0)
    scale = np.abs(Xc.T @ (y2 - y2.mean())).max()
    assert np.all(np.abs(grad[nn.coef_ > 0]) <= 1e-8 * scale)
    assert np.all(grad[nn.coef_ == 0] <= 1e-8 * scale)


@pytest.mark.parametrize("solver", ["auto", "cg", "cholesky", "svd"])
def test_path_through_alpha_zero(solver):
    """A grid ending at 0: the last point is the minimum-norm solution, also with unequal
    penalty factors (whose penalized solutions are not in the row space: the cg path starts
    α = 0 from zero, "auto" leaves Gram-form CD for direct solves)."""
    X = singular_designs()["tall_collinear"]
    y = X @ np.arange(1.0, 7.0) + np.random.default_rng(2).standard_normal(30)
    coef, intercept = min_norm(X, y)
    pf = np.array([1.0, 2.0, 0.5, 1.0, 3.0, 1.0])
    path = ridge_path(X, y, alphas=[10.0, 1.0, 0.0], penalty_factor=pf, solver=solver,
                      tol=1e-12, max_iter=100000)
    assert path.alphas[-1] == 0.0
    np.testing.assert_allclose(path.coef[-1], coef, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(path.intercept[-1], intercept, rtol=1e-7)


@pytest.mark.parametrize("solver", ["auto", "svd", "cholesky"])
def test_alpha_zero_float32_rank_is_judged_at_float32_precision(solver):
    """A column that is a sum of two others up to float32 rounding is dependent as far as
    float32 data can tell: the minimum-norm solution, not a 1e6-sized exact fit of the
    rounding noise."""
    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 4))
    X = np.hstack([X, X[:, :1] + X[:, 1:2]]).astype(np.float32)
    y = (X[:, :4].astype(float) @ [1.0, 2.0, 3.0, 4.0] + rng.standard_normal(40)).astype(
        np.float32)
    coef, _ = min_norm(X, y.astype(float), rcond=1e-5)
    est = Ridge(alpha=0.0, solver=solver).fit(X, y)
    assert est.coef_.dtype == np.float32
    np.testing.assert_allclose(est.coef_, coef, rtol=1e-4, atol=1e-4)


# -------------------------------------------------------------------- extreme magnitudes
SCALES = np.array([1.0, 1e150, 1e-150, 1.0, 3e-151, 3e150])


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("container", ["dense", "csr"])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("shape", [(40, 6), (5, 6)])
def test_columns_scaled_by_1e150_either_way(solver, container, standardize, fit_intercept,
                                            shape):
    """Columns at 1e±150 in one X: no overflow or underflow anywhere (column statistics,
    Gram, kernel, refinement).  Oracle: the unscaled problem, with the penalty factor of a
    column scaled by c multiplied by c² when the fit does not standardize."""
    rng = np.random.default_rng(5)
    X0 = rng.standard_normal(shape) + 0.5
    y = X0 @ rng.standard_normal(6) + rng.standard_normal(shape[0])
    w = rng.uniform(0.5, 2.0, shape[0])
    X = X0 * SCALES
    Xc = X if container == "dense" else sp.csr_array(X)
    est = Ridge(alpha=1.0, solver=solver, standardize=standardize,
                fit_intercept=fit_intercept, **opts(solver)).fit(Xc, y, sample_weight=w)
    ex = Exact(X0, y, 1.0, sample_weight=w, fit_intercept=fit_intercept,
               standardize=standardize,
               penalty_factor=None if standardize else 1.0 / SCALES**2)
    assert np.all(np.isfinite(est.coef_))
    b, b_star = ex.to_fit(est.coef_ * SCALES), ex.solve(0)
    np.testing.assert_allclose(b, b_star, rtol=1e-6, atol=1e-8 * np.abs(b_star).max())
    icpt = ex.ym[0] - ex.xm @ (b_star * ex.d)
    np.testing.assert_allclose(est.intercept_, icpt, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("value, what", [(1e200, "overflows"), (1e-200, "underflows"),
                                         (1e300, "overflows")])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("container", ["dense", "csc"])
def test_columns_beyond_the_squaring_range_are_refused(value, what, standardize, container):
    """Beyond ~1e±152 a column's squares leave float64: a ValueError naming X and the column,
    for every estimator (not a NaN coefficient or a column silently taken for a constant)."""
    rng = np.random.default_rng(6)
    X = rng.standard_normal((20, 3))
    X[:, 1] *= value
    Xc = X if container == "dense" else sp.csc_array(X)
    y = rng.standard_normal(20)
    message = re.escape("Input X has values too large or too small") + \
        f".*column 1 .*{what}"
    for fit in (lambda: Ridge(standardize=standardize).fit(Xc, y),
                lambda: Ridge(solver="cg", standardize=standardize).fit(Xc, y),
                lambda: ridge_path(Xc, y, standardize=standardize),
                lambda: RidgeCV(standardize=standardize).fit(Xc, y),
                lambda: RidgeEM(standardize=standardize).fit(Xc, y)):
        with pytest.raises(ValueError, match=message):
            fit()


def test_zero_column_with_values_on_zero_weight_rows_is_a_zero_column():
    X = np.array([[0.0, 1.0], [0.0, 2.0], [5.0, 3.0], [0.0, 5.0]])
    y = np.array([1.0, 2.0, 3.0, 5.5])
    w = np.array([1.0, 1.0, 0.0, 1.0])
    est = Ridge(alpha=1.0).fit(X, y, sample_weight=w)
    assert est.coef_[0] == 0.0
    ref = Ridge(alpha=1.0).fit(X[w > 0, 1:], y[w > 0])
    np.testing.assert_allclose(est.coef_[1], ref.coef_[0], rtol=1e-12)


@pytest.mark.parametrize("y_scale", [1e200, 1e-200])
def test_targets_beyond_the_squaring_range_are_refused(y_scale):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((10, 2))
    y = rng.standard_normal(10) * y_scale
    for solver in SOLVERS:
        with pytest.raises(ValueError, match="Input y has values too large or too small"):
            Ridge(solver=solver).fit(X, y)
    # X and y each in range, their product not: named together
    with pytest.raises(ValueError, match="Input X and y are together too large"):
        Ridge().fit(X * 1e150, rng.standard_normal(10) * 1e150)
    # constant y (spread 0) is fine at any magnitude
    est = Ridge().fit(X, np.full(10, 1e300))
    np.testing.assert_array_equal(est.coef_, 0.0)
    assert est.intercept_ == 1e300


def test_sample_weights_that_overflow_are_blamed_on_sample_weight():
    X, y = make_data(n=10, p=2, seed=8)
    with pytest.raises(ValueError, match="sum of sample_weight overflows"):
        Ridge().fit(X, y, sample_weight=np.full(10, 1e308))
    with pytest.raises(ValueError, match="sample_weight"):
        Ridge().fit(X * 1e100, y, sample_weight=np.full(10, 1e200))
    # far from the limits, weights and α scale together (powers of two: exactly)
    a = Ridge(alpha=2.0).fit(X, y, sample_weight=np.full(10, 2.0**-900))
    b = Ridge(alpha=2.0 * 2.0**900).fit(X, y)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-12)


# ------------------------------------------------- constant, duplicate, zero columns; constant y
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("container", ["dense", "csr", "csc"])
@pytest.mark.parametrize("standardize", [False, True])
def test_constant_zero_and_duplicate_columns(solver, container, standardize):
    """With an intercept, constant and all-zero columns get coefficient exactly 0 and the
    others the fit without them; a duplicated column splits its coefficient in two equal
    halves (the penalty is smallest there).  Without an intercept a nonzero constant column
    is an ordinary regressor."""
    X, y = make_data(n=40, p=4, seed=9)
    Xd = np.column_stack([X, np.full(40, 7.5), np.zeros(40), X[:, 1]])
    conv = (lambda A: A) if container == "dense" else getattr(sp, f"{container}_array")
    est = Ridge(alpha=1.0, solver=solver, standardize=standardize,
                **opts(solver)).fit(conv(Xd), y)
    assert est.coef_[4] == 0.0 and est.coef_[5] == 0.0
    assert est.coef_[1] == pytest.approx(est.coef_[6], rel=1e-8)
    keep = np.column_stack([X, X[:, 1]])
    ref = Exact(keep, y, 1.0, standardize=standardize)
    np.testing.assert_allclose(est.coef_[[0, 1, 2, 3, 6]], ref.solve(0) * ref.d, rtol=1e-7)
    no_icpt = Ridge(alpha=1.0, solver=solver, fit_intercept=False,
                    **opts(solver)).fit(conv(Xd), y)
    assert no_icpt.coef_[4] != 0.0 and no_icpt.coef_[5] == 0.0


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("sparse", [False, True])
def test_constant_target(solver, sparse):
    """Constant y: coefficients 0 and intercept y (with an intercept) for every solver, in one
    iteration at most; the iterative solvers do not warn."""
    X, _ = make_data(n=30, p=5, seed=10)
    Xc = sp.csr_array(X) if sparse else X
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est = Ridge(alpha=1.0, solver=solver).fit(Xc, np.full(30, -4.25))
    np.testing.assert_allclose(est.coef_, 0.0, atol=1e-15)
    assert est.intercept_ == pytest.approx(-4.25, rel=1e-15)
    path = ridge_path(Xc, np.full(30, 2.0), n_alphas=5)
    np.testing.assert_allclose(path.coef, 0.0, atol=1e-15)


# --------------------------------------------------- condition numbers up to 1e12, exact oracle
@pytest.mark.parametrize("cond_h", [1e4, 1e8, 1e12])
def test_ill_conditioned_against_an_exact_rational_oracle(cond_h):
    """Designs whose ridge Hessian has condition number up to 1e12.  The direct solvers are
    accurate to their rounding level (svd works on X itself: about sqrt(cond)·eps; cholesky
    on the Gram: cond·eps); the iterative ones either meet their tolerance, with the error
    that implies, or say that they did not (ConvergenceWarning) — never silently wrong."""
    rng = np.random.default_rng(11)
    n, p = 14, 4
    U, _ = np.linalg.qr(rng.standard_normal((n, p)))
    U -= U.mean(axis=0)
    V, _ = np.linalg.qr(rng.standard_normal((p, p)))
    s = np.geomspace(1.0, 1.0 / np.sqrt(cond_h), p)
    X = (U * s) @ V.T + 3.0
    y = X @ rng.standard_normal(p) + 0.01 * rng.standard_normal(n)
    alpha = 1e-3 / cond_h
    exact = ExactRidge(X, y, alpha)  # rational arithmetic from the float64 data
    coef = exact.coef_float()
    eps = np.finfo(float).eps
    ex = Exact(X, y, alpha)
    kappa = ex.cond(0)
    assert kappa == pytest.approx(cond_h, rel=0.5)
    err = {}
    for solver in ("svd", "cholesky"):
        est = Ridge(alpha=alpha, solver=solver).fit(X, y)
        err[solver] = np.abs(est.coef_ - coef).max() / np.abs(coef).max()
    assert err["svd"] <= 1e3 * np.sqrt(kappa) * eps
    assert err["cholesky"] <= 1e2 * kappa * eps
    for solver in ("cd", "cg"):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            est = Ridge(alpha=alpha, solver=solver, tol=1e-10, max_iter=20000).fit(X, y)
        if not any(issubclass(r.category, ConvergenceWarning) for r in rec):
            e = np.abs(est.coef_ - coef).max() / np.abs(coef).max()
            assert e <= 1e2 * kappa * (1e-10 + eps), (solver, e)


# ---------------------------------------------------------------- float32 beyond its Gram
@pytest.mark.parametrize("scale", [1e20, 1e-20, 1e30])
@pytest.mark.parametrize("solver", ["auto"] + list(SOLVERS))
@pytest.mark.parametrize("container", ["dense", "csr"])
@pytest.mark.parametrize("standardize", [False, True])
def test_float32_data_whose_gram_leaves_float32(scale, solver, container, standardize):
    """float32 values ~1e20 square to ~1e40, beyond float32: the fit must not turn into inf or
    NaN.  With standardize the Gram is formed after scaling; without, the computation runs in
    float64.  Either way the result is the float64 fit of the same float32 data, returned as
    float32."""
    rng = np.random.default_rng(12)
    X = (rng.standard_normal((40, 4)) * scale).astype(np.float32)
    y = rng.standard_normal(40).astype(np.float32)
    alpha = 1.0 if standardize else float(scale) ** 2
    conv = sp.csr_array if container == "csr" else (lambda A: A)
    est = Ridge(alpha=alpha, solver=solver, standardize=standardize, tol=1e-6,
                max_iter=10000).fit(conv(X), y)
    ref = Ridge(alpha=alpha, solver="svd", standardize=standardize).fit(
        X.astype(np.float64), y.astype(np.float64))
    assert est.coef_.dtype == np.float32 and np.all(np.isfinite(est.coef_))
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=2e-4,
                               atol=2e-4 * np.abs(ref.coef_).max())
    assert np.all(np.isfinite(est.predict(conv(X))))


@pytest.mark.parametrize("standardize", [False, True])
def test_float32_targets_beyond_float32_are_refused(standardize):
    X = np.random.default_rng(13).standard_normal((6, 2)).astype(np.float32)
    with pytest.raises(ValueError, match="Input y has values too large for float32"):
        Ridge(standardize=standardize).fit(X, np.full(6, 1e300) * np.arange(6))
    with pytest.raises(ValueError, match="sample_weight has values too large for float32"):
        Ridge().fit(X, np.arange(6.0), sample_weight=np.full(6, 1e300))


def test_float32_coordinate_descent_with_large_column_means():
    """float32 columns with means 1e6 times their spread: the exact residual of the CD kernel
    is computed from centred columns in double (a float32 gemv lost every digit of it), so the
    solution meets the tolerance."""
    X = np.array([[21327.281, 45899.18, 8725.639], [21327.26, 45898.777, 8725.36]],
                 dtype=np.float32)
    y = np.array([-0.22096902, 0.6762954], dtype=np.float32)
    est = Ridge(alpha=1.0, solver="cd", tol=1e-4).fit(X, y)
    ex = Exact(X, y, 1.0)
    grad, _ = ex.kkt(est.coef_, est.intercept_, 0)
    assert grad <= 2e-4 * ex.g0[0]


def test_float32_cg_with_large_column_means_reports_what_it_reaches():
    """CG on X centres implicitly, X(d∘u) − x̄ᵀ(d∘u): for float32 columns whose mean is 1e6
    times their spread that product keeps no digit, and so does the kernel's own convergence
    test (it used to claim convergence with a gradient 1e-2 of its value at 0, then said it
    stopped short).  Such columns now send CG to the exactly centred Gram: it gets there."""
    X = np.array([[-91805.17], [-91805.43]], dtype=np.float32)
    y = np.array([0.24410807, -0.29141447], dtype=np.float32)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        est = Ridge(alpha=1.0, solver="cg", tol=1e-4).fit(X, y)
    ex = Exact(X, y, 1.0)
    grad, _ = ex.kkt(est.coef_, est.intercept_, 0)
    warned = any(issubclass(r.category, ConvergenceWarning) for r in rec)
    assert not warned and grad <= 2e-4 * ex.g0[0]


# ---------------------------------------------------------------------- sparse index arrays
@pytest.mark.parametrize("solver", ["auto"] + list(SOLVERS))
@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("itype", [np.int64, np.uint32, np.int16])
def test_sparse_index_types(solver, fmt, itype):
    """int64 indices are used as they are; other integer index types are converted (never
    passed to the kernels, which take int32 or int64)."""
    X, y = make_data(n=30, p=6, seed=14)
    X[np.abs(X - X.mean(0)) < 1.0] = 0.0
    M = getattr(sp, f"{fmt}_array")(X)
    M.indices, M.indptr = M.indices.astype(itype), M.indptr.astype(itype)
    before = (M.indices.copy(), M.indptr.copy())
    est = Ridge(alpha=1.0, solver=solver, **opts(solver)).fit(M, y)
    ref = Ridge(alpha=1.0, solver="svd").fit(X, y)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-7, atol=1e-9)
    assert M.indices.dtype == itype
    np.testing.assert_array_equal(M.indices, before[0])
    np.testing.assert_array_equal(M.indptr, before[1])


@pytest.mark.parametrize("break_it, problem", [
    (lambda M: M.indices.__setitem__(2, 99), "an index is out of range"),
    (lambda M: M.indices.__setitem__(2, -1), "an index is out of range"),
    (lambda M: M.indptr.__setitem__(2, M.indptr[3] + 1), "its index pointer decreases"),
    (lambda M: M.indptr.__setitem__(slice(3, None), np.int32(-2**31 + 5)),
     "its index pointer decreases"),
    (lambda M: setattr(M, "data", M.data[:-2]), "its index pointer decreases or points past"),
])
def test_invalid_sparse_index_arrays_are_refused(break_it, problem):
    """Index arrays that would make the kernels read or write out of bounds — including an
    int32 index pointer that wrapped around, as it would past 2**31 stored values — are
    refused before anything reads them."""
    X, y = make_data(n=8, p=4, seed=15)
    M = sp.csr_matrix(X)
    break_it(M)
    with pytest.raises(ValueError, match="Input X is not a valid sparse matrix: " + problem):
        Ridge().fit(M, y)
    coo = sp.coo_matrix(X)
    coo.col[1] = 40
    with pytest.raises(ValueError, match="coordinate on axis 1 is out of range"):
        Ridge().fit(coo, y)


def _set(name, value):
    return lambda M: setattr(M, name, value(getattr(M, name)))


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("kind", ["matrix", "array"])
@pytest.mark.parametrize("break_it, problem", [
    (_set("data", lambda d: d.reshape(-1, 1)), r"its data array has shape \(\d+, 1\), not 1-D"),
    (_set("data", lambda d: d.reshape(1, -1)), r"its data array has shape \(1, \d+\), not 1-D"),
    (_set("indices", lambda i: i.reshape(-1, 1)), "its index arrays are not 1-D"),
    (_set("indptr", lambda i: i.astype(np.float64)), "its index arrays are not integers"),
])
def test_hand_made_compressed_arrays_of_the_wrong_shape_are_refused(fmt, kind, break_it,
                                                                     problem):
    """A CSR/CSC matrix whose arrays were replaced by hand (SciPy checks them only in its
    constructor) is refused by name before any kernel sees it — a 2-D `data` used to reach the
    kernels' fused-type dispatch ("Function call with ambiguous argument types") — by fit,
    partial_fit, the path, RidgeCV and predict alike."""
    from fastridge import RidgeCV, ridge_path

    X, y = make_data(n=12, p=4, seed=16)
    X[np.abs(X - X.mean(0)) < 1.0] = 0.0
    M = getattr(sp, f"{fmt}_{kind}")(X)
    break_it(M)
    match = "Input X is not a valid sparse matrix: " + problem
    for solver in ("cd", "cg", "cholesky"):
        with pytest.raises(ValueError, match=match):
            Ridge(solver=solver).fit(M, y)
    with pytest.raises(ValueError, match=match):
        Ridge().partial_fit(M, y)
    with pytest.raises(ValueError, match=match):
        ridge_path(M, y)
    with pytest.raises(ValueError, match=match):
        RidgeCV(cv=3, solver="cd").fit(M, y)
    with pytest.raises(ValueError, match=match):
        Ridge().fit(X, y).predict(M)


def test_hand_made_bsr_and_dia_arrays_of_the_wrong_shape_are_refused():
    X, y = make_data(n=8, p=4, seed=17)
    bsr = sp.bsr_array(X, blocksize=(2, 2))
    bsr.data = bsr.data[..., None]
    with pytest.raises(ValueError, match=r"its data array has shape \(\d+, 2, 2, 1\), not "
                                         r"\(n_blocks, R, C\)"):
        Ridge().fit(bsr, y)
    dia = sp.dia_array(np.eye(8) + np.eye(8, k=1))
    dia.data = dia.data[None]
    with pytest.raises(ValueError, match="its data array .* is not 2-D with one row per offset"):
        Ridge().fit(dia, y)
    dia = sp.dia_array(np.eye(8) + np.eye(8, k=1))
    dia.offsets = dia.offsets.astype(np.float64)
    with pytest.raises(ValueError, match="its offsets are not integers"):
        Ridge().fit(dia, y)


def test_more_than_2_31_stored_values_pass_the_structure_check():
    """Matrices with int64 indices and more than 2**31 stored values are handled (the kernels
    loop with 64-bit counters); only their index arrays are checked, without copying them.
    A virtual array (stride 0) stands in for the 16 GiB one."""
    from numpy.lib.stride_tricks import as_strided

    from fastridge._validation import _structure_problem

    nnz = 2**31 + 5
    indices = as_strided(np.zeros(1, dtype=np.int64), shape=(nnz,), strides=(0,))
    data = as_strided(np.zeros(1), shape=(nnz,), strides=(0,))
    fake = types.SimpleNamespace(format="csr", shape=(1, 3), data=data, indices=indices,
                                 indptr=np.array([0, nnz], dtype=np.int64))
    assert _structure_problem(fake) is None
    fake.indptr = np.array([0, nnz + 1], dtype=np.int64)
    assert "points past" in _structure_problem(fake)


# ------------------------------------------------------- regressions from the property search
def test_svd_zero_penalty_factors_with_more_unpenalized_columns_than_rows():
    """α > 0 with more unpenalized columns than rows (and an all-zero column): raised
    LinAlgError("Singular matrix"); now the minimum-norm solution of the penalized problem."""
    rng = np.random.default_rng(16)
    X = rng.standard_normal((3, 12))
    X[:, 1] = 0.0
    y = rng.standard_normal(3)
    v = np.where(np.arange(12) % 2 == 0, 0.0, 2.0)
    A = np.vstack([X, np.diag(np.sqrt(v))])
    A[:, 1] = 0.0
    expected = np.linalg.lstsq(A, np.r_[y, np.zeros(12)], rcond=None)[0]
    for solver in ("svd", "cholesky"):
        est = Ridge(alpha=1.0, solver=solver, fit_intercept=False, penalty_factor=v).fit(X, y)
        np.testing.assert_allclose(est.coef_, expected, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("solver", SOLVERS)
def test_penalty_factors_over_300_decades(solver):
    """v = 1e-300 on one column is as good as 0 (svd's thin SVD cut every other direction)."""
    X, y = make_data(n=30, p=4, seed=17)
    ref = Ridge(alpha=1.0, solver="svd", penalty_factor=[1, 0, 1, 1]).fit(X, y)
    est = Ridge(alpha=1.0, solver=solver, penalty_factor=[1, 1e-300, 1, 1],
                **opts(solver)).fit(X, y)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-9)


def test_cholesky_is_not_thrown_off_by_column_units():
    """Columns in units a million apart: the Gram is badly scaled, not ill-conditioned —
    cholesky keeps it (its reliability test is scale invariant) and is accurate."""
    X, y = make_data(n=60, p=5, seed=18)
    X = X * np.array([1e-4, 1.0, 1e3, 1e6, 1e-2])
    est = Ridge(alpha=1e-3, solver="cholesky").fit(X, y)
    assert est.solver_ == "cholesky"
    ex = Exact(X, y, 1e-3)
    np.testing.assert_allclose(est.coef_, ex.solve(0), rtol=1e-8)


def test_rank_deficient_with_means_far_above_the_spread():
    """Two rows near 1.0: the centred design has rank one, which the rounding of the mean
    hid from svd (a second centring pass removes it) — the minimum-norm solution."""
    X = np.array([[0.9989930042876904, 1.0016023285958808, 1.0019217211725047],
                  [0.999983778856571, 0.9990633405385023, 0.9994091209791186]])
    y = np.array([1.2360074889046058, 1.9967734461792124])
    v = np.array([2.1192560445845645, 0.0, 0.0])
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    A = np.vstack([Xc, np.diag(np.sqrt(v))])
    expected = np.linalg.lstsq(A, np.r_[yc, 0, 0, 0], rcond=None)[0]
    est = Ridge(alpha=1.0, solver="svd", penalty_factor=v).fit(X, y)
    np.testing.assert_allclose(est.coef_, expected, rtol=1e-9, atol=1e-9)


def test_svd_refinement_does_not_amplify_rounding_noise():
    """cond(H) = 1e17 (a duplicated column, α = 1e-6): the first SVD solution is exact to
    rounding, and the refinement step no longer divides projection noise by α."""
    X = np.array([[4.4899006895958692e7], [-1.3359911933616323e7], [6.5166018332563058e7],
                  [-1.0514406986763492e8], [2.5786384347343966e7], [-4.7435123407349348e7]])
    X = np.hstack([X, 2 * X])
    y = np.array([7.8598839026050806e7, -2.3387457405314364e7, 1.1407765519968857e8,
                  -1.8406201957816282e8, 4.5140862730387598e7, -8.3038488589775667e7])
    F = fractions.Fraction
    xx = sum(F(float(v)) ** 2 for v in X[:, 0])
    xy = sum(F(float(a)) * F(float(b)) for a, b in zip(X[:, 0], y))
    t = xy / (5 * xx + F(1e-6))  # the solution is t·[1, 2]
    est = Ridge(alpha=1e-6, solver="svd", fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(est.coef_, [float(t), float(2 * t)], rtol=1e-14)


@pytest.mark.parametrize("solver", ["cholesky", "cd"])
def test_zero_weight_rows_holding_anything(solver):
    """The one-pass Gram centres on the weighted mean of its first rows: a row of weight 0
    holding 1e9 used to cancel every digit (coefficient 0)."""
    X, y = make_data(n=20, p=3, seed=19)
    w = np.ones(20)
    w[2] = 0.0
    Xg = X.copy()
    Xg[2] = 1e9
    a = Ridge(alpha=1.0, solver=solver, **opts(solver)).fit(Xg, y, sample_weight=w)
    b = Ridge(alpha=1.0, solver=solver, **opts(solver)).fit(np.delete(X, 2, 0),
                                                             np.delete(y, 2))
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-10)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=1e-10)


def test_dual_cg_is_not_used_for_badly_scaled_columns():
    """p > n with one column 1e150 times the others: the kernel CG broke down (coefficients
    off by 1e18, "stopped at max_iter=3"); the primal CG converges."""
    rng = np.random.default_rng(20)
    X0 = rng.standard_normal((8, 20)) + 0.5
    y = X0 @ rng.standard_normal(20) + rng.standard_normal(8)
    scales = np.ones(20)
    scales[1] = 1e150
    ref = Ridge(1.0, solver="svd", penalty_factor=1.0 / scales**2).fit(X0, y)
    est = Ridge(1.0, solver="cg", tol=1e-12, max_iter=100000).fit(X0 * scales, y)
    np.testing.assert_allclose(est.coef_ * scales, ref.coef_, rtol=1e-7,
                               atol=1e-9 * np.abs(ref.coef_).max())


def test_huge_max_iter_means_no_limit():
    X, y = make_data(n=30, p=4, seed=21)
    for solver in ("cd", "cg"):
        est = Ridge(alpha=1.0, solver=solver, max_iter=2**40).fit(X, y)
        assert 1 <= est.n_iter_ < 2**31


@pytest.mark.parametrize("scale", [1e150, 1e-150])
def test_cv_em_and_path_are_equivariant_at_extreme_scales(scale):
    """X·c with α·c² is the same problem (coefficients /c): RidgeEM's evidence search (its α
    range is relative to the largest eigenvalue, whose product with the span overflowed),
    RidgeCV's leave-one-out and ridge_path all follow it at c = 1e±150."""
    X, y = make_data(n=40, p=4, seed=22)
    a, b = RidgeEM().fit(X, y), RidgeEM().fit(X * scale, y)
    assert b.alpha_ / scale**2 == pytest.approx(a.alpha_, rel=1e-8)
    np.testing.assert_allclose(b.coef_ * scale, a.coef_, rtol=1e-8)
    grid = np.geomspace(1e-3, 1e3, 13)
    a, b = RidgeCV(alphas=grid).fit(X, y), RidgeCV(alphas=grid * scale**2).fit(X * scale, y)
    assert b.alpha_ == pytest.approx(a.alpha_ * scale**2, rel=1e-12)
    np.testing.assert_allclose(b.coef_ * scale, a.coef_, rtol=1e-8)
    pa, pb = ridge_path(X, y, alphas=grid), ridge_path(X * scale, y, alphas=grid * scale**2)
    np.testing.assert_allclose(pb.coef * scale, pa.coef, rtol=1e-8, atol=1e-12)


def test_spectral_path_keeps_the_directions_alpha_does_not_dominate():
    """Columns over eleven decades (no standardize): the spectral path's SVD cut singular
    values below √eps·s_max (a threshold for Gram eigenvalues), dropping the 1e-6 column's
    direction although α = 1 does not dominate it: coefficients 3e-3 off."""
    X = np.array([[2.09078206e04, -8.15007219e02, 6.90762394e-07],
                  [1.74439591e04, -3.30475650e03, 3.90017851e-07],
                  [2.16843642e05, 5.84291753e03, -7.59051597e-07]])
    y = np.array([-0.22096902, 0.67629541, 1.6187004])
    path = ridge_path(X, y, alphas=[1e6, 1.0], fit_intercept=False)
    assert path.solver == "eigen"
    ex = Exact(X, y, 1.0, fit_intercept=False)
    np.testing.assert_allclose(path.coef[-1], ex.solve(0), rtol=1e-10)


def test_spectral_solvers_refuse_penalty_factors_beyond_the_float_range():
    """Z/√v with v = 1e-306 leaves float64 (and 5.7e-57 float32): leave-one-out says so (it
    raised LinAlgError or warned of an overflow) and the path takes another solver."""
    rng = np.random.default_rng(23)
    X = rng.standard_normal((9, 4))
    y = X @ np.arange(4.0) + rng.standard_normal(9)
    for dtype, tiny in ((np.float64, 1e-306), (np.float32, 5.7e-57)):
        pf = [1.0, 1.0, 1.0, tiny]
        with pytest.raises(ValueError, match="leave the range of float"):
            RidgeCV(penalty_factor=pf).fit(X.astype(dtype), y.astype(dtype))
        path = ridge_path(X.astype(dtype), y.astype(dtype), alphas=[1.0], penalty_factor=pf)
        assert path.solver != "eigen" and np.all(np.isfinite(path.coef))
        RidgeCV(penalty_factor=pf, cv=3).fit(X.astype(dtype), y.astype(dtype))


@pytest.mark.parametrize("solver", SOLVERS)
def test_float32_values_near_the_float32_maximum(solver):
    """A float32 value of 3e38 with standardize: the fit-coordinate Gram is fine, but the
    kernels also multiply the raw values (Xᵀr) in float32 — cd and cg returned NaN."""
    X = np.zeros((3, 4), np.float32)
    X[2, 3] = 3e38
    est = Ridge(alpha=0.0 if solver != "cd" else 1e-30, solver=solver, fit_intercept=False,
                standardize=True).fit(X, np.full(3, 2.0))
    np.testing.assert_allclose(est.coef_, [0, 0, 0, 2.0 / 3e38], rtol=1e-6)
    assert np.all(np.isfinite(est.predict(X)))


def test_cross_validation_errors_of_large_targets():
    """Leave-one-out and k-fold standard errors square the squared errors (y⁴): computed
    scaled, they neither overflow nor warn for y ~ 1e150."""
    X, y = make_data(n=30, p=3, seed=24)
    grid = np.geomspace(1e-3, 1e3, 13)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for cv in (None, 3):
            mse = "neg_mean_squared_error"
            a = RidgeCV(grid, cv=cv, rule="1se", scoring=mse).fit(X, y)
            b = RidgeCV(grid, cv=cv, rule="1se", scoring=mse).fit(X, y * 1e150)
            assert b.alpha_ == pytest.approx(a.alpha_, rel=1e-9)
            np.testing.assert_allclose(b.cv_results_["se_error"],
                                       a.cv_results_["se_error"] * 1e300, rtol=1e-9)
            # R² (k-fold's default) is scale-free: the same curve
            if cv is not None:
                a, b = RidgeCV(grid, cv=cv).fit(X, y), RidgeCV(grid, cv=cv).fit(X, y * 1e150)
                np.testing.assert_allclose(b.cv_results_["mean_error"],
                                           a.cv_results_["mean_error"], rtol=1e-9)


def test_weights_over_hundreds_of_decades_are_named():
    """Weights of 5e-324 each: every weighted sum of squares underflows (the spread alone, a
    ratio of two such sums, looked fine).  A ValueError naming sample_weight, not a Gram of
    denormals or a spectral error about penalty factors."""
    X, y = make_data(n=6, p=3, seed=25)
    for est in (Ridge(), RidgeCV(), RidgeEM()):
        with pytest.raises(ValueError, match=r"weighted by sample_weight.*underflows"):
            est.fit(X, y, sample_weight=np.full(6, 5e-324))


def test_cross_validation_of_float32_data_near_its_maximum():
    """Fold predictions of float32 data near 3e38 overflowed float32 (RuntimeWarning, NaN
    errors): they are computed in float64."""
    X = np.zeros((6, 3), np.float32)
    X[:2, 2], X[3, 2] = 3e38, -3.4e38
    y = np.zeros(6)
    y[2] = 3e38
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        est = RidgeCV(n_alphas=3, cv=2).fit(X, y)
    assert np.all(np.isfinite(est.cv_results_["mean_error"]))


def test_float32_coefficients_beyond_float32_are_refused():
    """float32 X of order 1e-45 (denormal) is computed in float64, but a coefficient of 1e45
    does not fit the float32 coef_: refused (it became inf with a RuntimeWarning)."""
    X = np.array([[1.4e-45], [2.8e-45], [0.0]], dtype=np.float32)
    y = np.array([1.0, 3.0, 2.0])
    for fit in (lambda: Ridge(alpha=0.0, fit_intercept=False).fit(X, y),
                lambda: ridge_path(X, y, alphas=[0.0], fit_intercept=False)):
        with pytest.raises(ValueError, match="do not fit float32.*float64"):
            fit()
    est = Ridge(alpha=0.0, fit_intercept=False).fit(X.astype(np.float64), y)
    assert np.all(np.isfinite(est.coef_))


def test_a_fold_without_training_weight_is_named():
    X, y = make_data(n=7, p=2, seed=26)
    w = np.array([3.0, 2.0, 1.0, 3.0, 0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="every training row of a fold has sample_weight 0"):
        RidgeCV(alphas=[1.0], cv=2).fit(X, y, sample_weight=w)


def test_overflowing_one_pass_gram_is_redone_not_returned():
    # found by the fuzz run after the merge: constant y of 1e300 with one 3e38 entry in X made
    # the one-pass Gram's x·(y − shift) overflow to -inf; the fit must refuse, never return inf
    X = np.array([[0.0]] * 6 + [[3e38]])
    y = np.full((7, 1), 1e300)
    for solver in ("cholesky", "cd", "auto"):
        try:
            est = Ridge(alpha=1.0, solver=solver).fit(X, y)
        except ValueError as exc:
            assert "y" in str(exc)
        else:
            assert np.all(np.isfinite(est.coef_)) and np.all(np.isfinite(est.intercept_))


def test_svd_refinement_with_a_constant_huge_column_stays_quiet():
    # found by the thorough fuzz profile: a constant column of -1e300 (coefficient 0) and
    # targets near 1e20 made svd's double-double refinement overflow its products (warnings
    # leaked; an overflow in an active column would have given an infinite step)
    X = np.array([[-1e300, 0.0, 0.0], [-1e300, 0.0, 0.0]])
    y = np.array([[0.0], [1e20]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = Ridge(alpha=0.0).fit(X, y)
    np.testing.assert_array_equal(est.coef_, 0.0)
    assert est.intercept_[0] == 5e19


@pytest.mark.parametrize("make", [
    lambda: Ridge(), lambda: Ridge(solver="cd"),
    lambda: __import__("fastridge").RidgeCV(), lambda: __import__("fastridge").RidgeCV(cv=3),
    lambda: __import__("fastridge").RidgeEM(),
])
def test_a_failed_fit_leaves_the_estimator_as_it_was(make):
    """X whose NaN is found only after validation has begun (the deferred finiteness check):
    the refit fails, and the estimator keeps every attribute of its previous fit — it used to
    take the new X's n_features_in_ next to the old coef_, and then refused the X it was fitted
    on."""
    X, y = make_data(n=30, p=3, seed=18)
    est = make().fit(X, y)
    before = dict(est.__dict__)
    expected = X @ np.atleast_1d(est.coef_).T + est.intercept_
    bad, _ = make_data(n=30, p=5, seed=19)
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        est.fit(bad, y)
    assert est.__dict__.keys() == before.keys()
    assert all(est.__dict__[k] is before[k] for k in before)
    np.testing.assert_allclose(est.predict(X), expected, rtol=1e-12)
