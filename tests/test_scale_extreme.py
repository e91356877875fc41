"""Near-constant columns and scale-extreme data (values near 2⁶⁴, 1e±150, large offsets of y),
every solver against an exact rational oracle (`exact_rational.ExactRidge`).

Criterion: the answer's distance from the exact optimum in the objective's own norm,
√((f(β̂, β̂₀) − f*)/f₀), is at most a small multiple of what rounding the exact answer to float64
would cost (`ExactRidge.floor`) plus 1e-9: as accurate as float64 coefficients can be.
"""
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from exact_rational import ExactRidge
from fastridge import Ridge

DIRECT = ("auto", "svd", "cholesky")
ITERATIVE = ("cd", "cg")
TIGHT = {"tol": 1e-13, "max_iter": 100000}


def fit(solver, X, y, alpha, **kw):
    sw = kw.pop("sample_weight", None)
    opts = TIGHT if solver in ITERATIVE else {}
    return Ridge(alpha=alpha, solver=solver, **opts, **kw).fit(X, y, sample_weight=sw)


def assert_exact(est, ex, factor=64.0):
    err = ex.error(est.coef_, est.intercept_)
    assert err <= factor * ex.floor() + 1e-9, (err, ex.floor(), est.coef_, ex.coef_float())


# --------------------------------------------------------------- near-constant columns (item 1)
def one_e14(seed=0, n=30):
    """A column at 1e14 ± 1 (integers) and y = 3 (x − 1e14) + noise."""
    rng = np.random.default_rng(seed)
    x = 1e14 + rng.integers(-1, 2, n).astype(float)
    return x[:, None], 3.0 * (x - 1e14) + 0.1 * rng.standard_normal(n), rng.uniform(0.5, 2, n)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("solver", DIRECT + ITERATIVE)
def test_column_at_1e14_plus_minus_1_is_fitted(solver, weighted, standardize, sparse):
    """Its spread (1) is 1e-14 of its mean: the old rule (spread ≤ 4·n·eps·|mean|) took it for a
    constant column and gave coefficient 0 and R² 0; scikit-learn's svd gets R² 0.998."""
    X, y, w = one_e14()
    kw = {"standardize": standardize, "sample_weight": w if weighted else None}
    ex = ExactRidge(X, y, 1e-3, **kw)
    est = fit(solver, sp.csr_array(X) if sparse else X, y, 1e-3, **kw)
    assert est.coef_[0] == pytest.approx(float(ex.coef[0]), rel=1e-9)
    assert_exact(est, ex)


def test_timestamp_column_is_fitted():
    """Seconds since 1970 (1.7e9) with a spread of 0.05 s over 200,000 rows: every solver fits
    it to float64 accuracy (the exact slope from rational sums over the rows)."""
    from fractions import Fraction

    rng = np.random.default_rng(1)
    n = 200_000
    t = 1.7e9 + np.sort(rng.uniform(0.0, 0.05, n))
    y = 100.0 * (t - 1.7e9) + 0.01 * rng.standard_normal(n)
    # exact slope Sxy / (Sxx + α): sums of products of exact differences from the first value
    dt = [Fraction(float(v)) for v in t - t[0]]          # t − t₀ is exact (Sterbenz)
    yf = [Fraction(float(v)) for v in y]
    mt, my = sum(dt) / n, sum(yf) / n
    sxx = sum((a - mt) ** 2 for a in dt)
    sxy = sum((a - mt) * (b - my) for a, b in zip(dt, yf))
    slope = float(sxy / (sxx + Fraction(1e-6)))
    for solver in DIRECT + ITERATIVE:
        est = fit(solver, t[:, None], y, 1e-6)
        assert est.coef_[0] == pytest.approx(slope, rel=1e-9), solver
        assert est.score(t[:, None], y) > 0.99


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("solver", DIRECT + ITERATIVE)
def test_exactly_constant_columns_still_get_zero(solver, sparse):
    """Columns whose values are all equal over the rows of positive weight get coefficient 0 —
    also when a row of weight 0 holds another value, and (sparse) when every row stores it."""
    rng = np.random.default_rng(2)
    n = 12
    x0 = rng.standard_normal(n)
    X = np.column_stack([x0, np.full(n, 1e14), np.full(n, 3.0), np.zeros(n)])
    X[0, 2] = 7.0                                         # a row of weight 0 below
    y = x0 + 0.1 * rng.standard_normal(n)
    w = np.ones(n)
    w[0] = 0.0
    est = fit(solver, sp.csc_array(X) if sparse else X, y, 1.0, sample_weight=w)
    np.testing.assert_array_equal(est.coef_[1:], 0.0)
    ex = ExactRidge(X, y, 1.0, sample_weight=w)
    assert est.coef_[0] == pytest.approx(float(ex.coef[0]), rel=1e-9)


def test_without_intercept_a_nonzero_constant_column_is_fitted_and_a_tiny_one_refused():
    """Without an intercept a constant column is a regressor like any other (only a column of
    zeros is dropped); one whose equal values are too small to square in float64 is refused
    (it was once taken for a column of zeros)."""
    rng = np.random.default_rng(3)
    X = np.column_stack([rng.standard_normal(10), np.full(10, 2.0)])
    y = X @ [1.0, 0.5] + 0.1 * rng.standard_normal(10)
    ex = ExactRidge(X, y, 1.0, fit_intercept=False)
    est = Ridge(alpha=1.0, fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(est.coef_, ex.coef_float(), rtol=1e-12)
    X[:, 1] = 1e-170
    with pytest.raises(ValueError, match="column 1"):
        Ridge(alpha=1.0, fit_intercept=False).fit(X, y)
    # with an intercept the same column is constant: coefficient 0
    assert Ridge(alpha=1.0).fit(X, y).coef_[1] == 0.0


def test_partial_fit_tells_constant_columns_from_blocks_of_different_constants():
    """Streaming keeps each column's smallest and largest value: a column constant within each
    block but 1e14 in one and 1e14 + 1 in the other is fitted; one constant throughout is 0."""
    rng = np.random.default_rng(4)
    n = 40
    X = np.column_stack([np.where(np.arange(n) < 20, 1e14, 1e14 + 1), np.full(n, -5.0),
                         rng.standard_normal(n)])
    y = 2.0 * (X[:, 0] - 1e14) + X[:, 2] + 0.1 * rng.standard_normal(n)
    est = Ridge(alpha=0.1)
    for rows in (slice(0, 20), slice(20, 40)):
        est.partial_fit(X[rows], y[rows])
    ex = ExactRidge(X, y, 0.1)
    np.testing.assert_allclose(est.coef_, ex.coef_float(), rtol=1e-9)
    assert est.coef_[1] == 0.0


def test_dask_routes_fit_near_constant_columns():
    da = pytest.importorskip("dask.array")
    X, y, w = one_e14(n=60)
    X = np.column_stack([X, np.full(60, 4.0)])
    ex = ExactRidge(X, y, 1e-3, sample_weight=w)
    Xd, yd, wd = (da.from_array(a, chunks=20) for a in (X, y, w))
    est = Ridge(alpha=1e-3, solver="cholesky").fit(Xd, yd, sample_weight=wd)  # statistics
    assert est.coef_[0] == pytest.approx(float(ex.coef[0]), rel=1e-9)
    assert est.coef_[1] == 0.0
    # the distributed CG centres implicitly (eps·|x̄|/σ of each product is lost): it fits the
    # column, and says so when it cannot reach the tolerance
    from fastridge.exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        est = Ridge(alpha=1e-3, solver="cg", tol=1e-12).fit(Xd, yd, sample_weight=wd)
    warned = any(issubclass(r.category, ConvergenceWarning) for r in rec)
    assert warned or est.coef_[0] == pytest.approx(float(ex.coef[0]), rel=1e-7)
    assert est.coef_[0] == pytest.approx(float(ex.coef[0]), rel=1e-2)
    assert est.coef_[1] == 0.0


# ---------------------------------------------------------------- scale-extreme data (item 2)
def _wrapped(values):
    """What a uint64 cast of negative integers gives (values near 2⁶⁴), as float64."""
    return np.asarray(values, dtype=np.int64).astype(np.uint64).astype(np.float64)


def scale_extreme_data():
    """(name, X, y, w): small designs mixing columns near 2⁶⁴, 1e±150 and O(1), with targets
    of O(1), offset by 1e12, or themselves wrapped."""
    rng = np.random.default_rng(5)
    out = []
    n = 9
    # the reported case: small values and wrapped negatives in the same columns and in y
    X = np.array([[4.0, 3.0], [2.0, 3.0], [3.0, 4.0], [3.0, 5.0],
                  [_wrapped([-3])[0], _wrapped([-5])[0]]])
    y = np.array([_wrapped([-1])[0], 0.0, _wrapped([-2])[0], 3.0, _wrapped([-7])[0]])
    w = np.array([0.75, 1.7, 1.24, 1.32, 1.75])
    out.append(("wrapped_mix", X, y, w))
    u64 = _wrapped(-rng.integers(1, 10**7, n))
    out.append(("near_2_64_and_o1", np.column_stack([u64, rng.standard_normal(n)]),
                rng.standard_normal(n), rng.uniform(0.5, 2.0, n)))
    out.append(("huge_tiny_o1", np.column_stack([1e150 * rng.standard_normal(n),
                                                 1e-150 * rng.standard_normal(n),
                                                 rng.standard_normal(n)]),
                1e12 + rng.standard_normal(n), rng.uniform(0.5, 2.0, n)))
    out.append(("offset_and_wrapped_y", np.column_stack([1e8 + rng.standard_normal(n),
                                                         _wrapped(rng.integers(-5, 6, n))]),
                _wrapped(-rng.integers(1, 10**7, n)), rng.uniform(0.5, 2.0, n)))
    return out


DATA = scale_extreme_data()


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("solver", DIRECT + ITERATIVE)
@pytest.mark.parametrize("case", DATA, ids=[d[0] for d in DATA])
def test_every_solver_against_the_exact_oracle(case, solver, sparse, standardize, weighted):
    """With an intercept (centring is where the digits go).  Without one these designs are
    ill-conditioned (a column at 1e8 or 2⁶⁴ stands in for the intercept), and the error of any
    backward-stable solver grows with the condition number beyond this criterion."""
    name, X, y, w = case
    fit_intercept = True
    kw = {"fit_intercept": fit_intercept, "standardize": standardize,
          "sample_weight": w if weighted else None}
    ex = ExactRidge(X, y, 1e-3, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                   # no ConvergenceWarning either
        est = fit(solver, sp.csr_array(X) if sparse else X, y, 1e-3, **kw)
    assert_exact(est, ex)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("solver", ITERATIVE)
@pytest.mark.parametrize("case", DATA[1:], ids=[d[0] for d in DATA[1:]])
def test_iterative_coefficients_in_unit_scale(case, solver, sparse, weighted):
    """cd and cg stop on the gradient measured with every column at unit scale, so every
    coefficient times its column's scale √(Σ w (x − x̄)² + α) is right to about tol: the
    objective's norm above hides an error on a column whose scale is far below the others'
    (stopping on the unscaled gradient, cd gave −4.5e5 for −6.0e5 on the column 1e8 ± 1 next
    to a wrapped column of spread 1e19, without a warning, at tol=1e-13).  wrapped_mix is left
    out: its two columns are collinear to 1e-19, and the objective does not determine the
    coefficients further."""
    name, X, y, w = case
    w = w if weighted else None
    ex = ExactRidge(X, y, 1e-3, sample_weight=w)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = fit(solver, sp.csr_array(X) if sparse else X, y, 1e-3, sample_weight=w)
    ww = np.ones(len(y)) if w is None else w
    Xc = X - (ww @ X) / ww.sum()                       # columns far beyond 1e8: a scale only
    scale = np.sqrt(ww @ (Xc * Xc) + 1e-3)
    exact = ex.coef_float()
    err = np.max(scale * np.abs(est.coef_ - exact))
    assert err <= 1e-8 * np.max(scale * np.abs(exact)), (est.coef_, exact)


def test_svd_intercept_with_values_near_2_64():
    """The reported case: svd (and cholesky, which fell back to it) returned coefficients
    ±1.3e22 and an intercept 2e25 (3.7e6 times the spread of y off the optimum), from a
    refinement step whose gradient Σ x r − x̄ Σ r cancelled eps·|x|·|r| with x near 2⁶⁴; cd
    and cg were right."""
    name, X, y, w = DATA[0]
    ex = ExactRidge(X, y, 1e-3, sample_weight=w)
    for solver in ("svd", "cholesky", "cd", "cg"):
        est = fit(solver, X, y, 1e-3, sample_weight=w)
        assert_exact(est, ex)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("solver", DIRECT + ITERATIVE)
def test_wide_design_with_a_column_at_1e14(solver, sparse, weighted):
    """p > n: the kernel form K = ẐẐᵀ and Ẑᵀa are made with the rounded x̄ too (the sparse
    cholesky's slope was 0.9 % off); they are corrected like the Gram."""
    rng = np.random.default_rng(6)
    n, p = 8, 12
    X = rng.standard_normal((n, p))
    X[:, 0] = 1e14 + rng.integers(-1, 2, n)
    y = 3.0 * (X[:, 0] - 1e14) + X[:, 1] + 0.1 * rng.standard_normal(n)
    w = rng.uniform(0.5, 2.0, n) if weighted else None
    ex = ExactRidge(X, y, 0.5, sample_weight=w)
    est = fit(solver, sp.csr_array(X) if sparse else X, y, 0.5, sample_weight=w)
    np.testing.assert_allclose(est.coef_, ex.coef_float(), rtol=1e-9, atol=1e-9)
    assert_exact(est, ex)
