"""Property tests (hypothesis, deterministic "ci" profile from conftest): random problems of
every shape (n = 1, p = 1, p ≫ n), dtype, container, weighting and penalty, α over sixteen
decades, solved by every solver and checked against an exact float64 oracle (`conftest.Exact`,
numpy only), against the optimality conditions computed from the raw data, and for the
invariances the objective promises.  Inputs must come back unchanged.

Tolerances follow from first principles: an iterative solver stops at a relative gradient
`tol`; rounding at the data's precision eps leaves at most about eps · (‖H‖‖b‖ + ‖Z‖‖y‖) of the
gradient; and the coefficients are then within cond(H) · (eps + tol) of the exact ones.  A
check whose bound says nothing (cond(H) too large) is skipped, never loosened.
"""
import importlib.util
import warnings

import numpy as np
import pytest
from hypothesis import assume, event, given, note, settings, strategies as st

from conftest import Exact, examples
from fastridge import Ridge, ridge_path
from fastridge.exceptions import ConvergenceWarning

sp = pytest.importorskip("scipy.sparse")

SPARSE_FORMATS = ("csr", "csc", "coo", "lil", "dok", "bsr", "dia")
HAS_PANDAS = importlib.util.find_spec("pandas") is not None  # optional: DataFrames if present
CONTAINERS = (["dense_C", "dense_F", "strided", "readonly"] + ["dataframe"] * HAS_PANDAS
              + [f"{f}_{kind}" for f in SPARSE_FORMATS for kind in ("matrix", "array")])
ALL_SOLVERS = ("auto", "cholesky", "svd", "cd", "cg")
ITERATIVE_TOL = {np.float64: 1e-10, np.float32: 1e-4}


def convert(X, name):
    """X (ndarray) in the container `name`."""
    if name == "dense_C":
        return np.ascontiguousarray(X)
    if name == "dense_F":
        return np.asfortranarray(X)
    if name == "strided":  # a non-contiguous view of a larger array
        big = np.zeros((2 * X.shape[0], 3 * X.shape[1]), dtype=X.dtype)
        big[::2, ::3] = X
        return big[::2, ::3]
    if name == "readonly":
        out = X.copy()
        out.flags.writeable = False
        return out
    if name == "dataframe":
        import pandas as pd

        return pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
    fmt, kind = name.split("_")
    return getattr(sp, f"{fmt}_{kind}")(X)


# ---------------------------------------------------------------------------------- strategies
@st.composite
def designs(draw, max_n=24, max_p=30, dtype=None):
    """(X float ndarray, description).  Shapes from 1 × 1 to wide (p ≫ n) and tall; values of
    several kinds: Gaussian, mostly zeros, large column means, columns over twelve decades,
    collinear columns, constant and all-zero columns, small integers (ties)."""
    n = draw(st.integers(1, max_n))
    p = draw(st.one_of(st.integers(1, 4), st.integers(1, max_p)))
    kind = draw(st.sampled_from(["gauss", "sparse", "offset", "scaled", "collinear",
                                 "constant", "integer"]))
    dtype = dtype or draw(st.sampled_from([np.float64, np.float32]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.standard_normal((n, p))
    if kind == "sparse":
        X[rng.random((n, p)) < 0.7] = 0.0
    elif kind == "offset":
        X += draw(st.sampled_from([10.0, 1e3, 1e5])) * rng.uniform(-1, 1, p)
    elif kind == "scaled":
        X *= 10.0 ** rng.uniform(-6, 6, p)
    elif kind == "collinear" and p > 1:
        X[:, -1] = 2.0 * X[:, 0] - 0.5 * X[:, p // 2]
    elif kind == "constant":
        X[:, rng.integers(p)] = 3.0
        X[:, rng.integers(p)] = 0.0
    elif kind == "integer":
        X = rng.integers(-2, 3, (n, p)).astype(float)
    return X.astype(dtype), kind


@st.composite
def problems(draw, max_n=24, max_p=30, dtype=None, allow_multi=True, multi=False):
    """A full fit problem: X, y (n,) or (n, k), α (scalar or per target), weights (with zeros)
    and penalty factors (with zeros, over decades), intercept and standardization flags."""
    X, kind = draw(designs(max_n=max_n, max_p=max_p, dtype=dtype))
    n, p = X.shape
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    k = draw(st.sampled_from([2, 3] if multi else [None, 1, 3])) if allow_multi else None
    kk = 1 if k is None else k
    beta = rng.standard_normal((p, kk)) * draw(st.sampled_from([0.0, 1.0, 100.0]))
    Xs = X.astype(np.float64)
    scale = np.where(np.abs(Xs).max(axis=0) > 0, np.abs(Xs).max(axis=0), 1.0)
    Y = (Xs / scale) @ beta + rng.standard_normal(kk) * 3 + rng.standard_normal((n, kk))
    y = (Y[:, 0] if k is None else Y).astype(X.dtype)
    alpha = 10.0 ** draw(st.integers(-8, 8))
    if kk > 1 and draw(st.booleans()):
        alpha = 10.0 ** rng.integers(-8, 9, kk).astype(float)
    w = None
    wkind = draw(st.sampled_from(["none", "uniform", "zeros", "integer"]))
    if wkind == "uniform":
        w = rng.uniform(0.1, 3.0, n) * 10.0 ** draw(st.integers(-3, 3))
    elif wkind == "zeros":
        w = rng.uniform(0.1, 3.0, n)
        w[rng.random(n) < 0.3] = 0.0
        if not w.any():
            w[rng.integers(n)] = 1.0
    elif wkind == "integer":
        w = rng.integers(0, 4, n).astype(float)
        if not w.any():
            w[0] = 2.0
    pf = None
    pkind = draw(st.sampled_from(["none", "uniform", "decades", "zeros"]))
    if pkind == "uniform":
        pf = rng.uniform(0.2, 3.0, p)
    elif pkind == "decades":
        pf = 10.0 ** rng.uniform(-4, 4, p)
    elif pkind == "zeros":
        pf = rng.uniform(0.2, 3.0, p)
        pf[rng.random(p) < 0.4] = 0.0
    return {"X": X, "y": y, "alpha": alpha, "w": w, "pf": pf, "kind": kind,
            "fit_intercept": draw(st.booleans()), "standardize": draw(st.booleans())}


def fit(pb, solver, container="dense_C", **extra):
    """Ridge on the problem `pb`; returns (estimator, converged) where converged is False when
    an iterative solver warned that it stopped short of tol (an honest outcome)."""
    params = dict(alpha=pb["alpha"], solver=solver, fit_intercept=pb["fit_intercept"],
                  standardize=pb["standardize"], penalty_factor=pb["pf"])
    if solver in ("cd", "cg", "auto"):
        params.update(tol=ITERATIVE_TOL[pb["X"].dtype.type], max_iter=20000)
    params.update(extra)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        est = Ridge(**params).fit(convert(pb["X"], container), pb["y"], sample_weight=pb["w"])
    short = [r for r in rec if issubclass(r.category, ConvergenceWarning)]
    others = [str(r.message) for r in rec if not issubclass(r.category, ConvergenceWarning)]
    assert not others, others
    if short:
        assert est.solver_ in ("cd", "cg")
    return est, not short


def exact(pb):
    return Exact(pb["X"], pb["y"], pb["alpha"], sample_weight=pb["w"], penalty_factor=pb["pf"],
                 fit_intercept=pb["fit_intercept"], standardize=pb["standardize"])


def targets(est):
    coef = np.atleast_2d(np.asarray(est.coef_, dtype=np.float64))
    # scikit-learn's layout: the float 0.0 for every target without an intercept
    return coef, np.broadcast_to(np.atleast_1d(np.asarray(est.intercept_, dtype=np.float64)),
                                 (coef.shape[0],))


def check_solution(est, ex, dtype, converged):
    """KKT conditions from the raw data and, when the problem's conditioning makes it
    meaningful, agreement with the exact solution."""
    eps = np.finfo(dtype).eps
    tol = ITERATIVE_TOL[dtype] if est.solver_ in ("cd", "cg") else 0.0
    coef, intercept = targets(est)
    assert np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))
    assert np.all(coef[:, ~ex.active] == 0.0), "a constant column got a nonzero coefficient"
    for t in range(ex.k):
        grad, icpt = ex.kkt(coef[t], intercept[t], t)
        bound = 2.0 * tol * ex.g0_bound(t) + ex.rounding_bound(coef[t], intercept[t], t, eps)
        note(f"target {t}: |g| = {grad:.3g}, bound {bound:.3g}, g0 = {ex.g0[t]:.3g}, "
             f"cond = {ex.cond(t):.3g}, solver {est.solver_}")
        if converged:
            assert grad <= bound + 1e-300, (grad, bound)
        if ex.k and np.any(ex.w) and est.fit_intercept:
            assert icpt <= 1e3 * eps, icpt  # Σ w r = 0: the intercept is optimal
        limit = ex.coef_limit(t, eps, tol)
        event(f"coefficients compared: {bool(converged and limit < 1e-2)}")
        if converged and limit < 1e-2:
            b, b_star = ex.to_fit(coef[t]), ex.solve(t)
            err = np.linalg.norm(b - b_star) / max(np.linalg.norm(b_star), 1e-300)
            note(f"target {t}: coefficient error {err:.3g}, limit {limit:.3g}")
            assert err <= limit or np.linalg.norm(b_star) == 0.0, (err, limit)


# ----------------------------------------------------------------------------- against oracle
@settings(max_examples=examples(2000))
@given(pb=problems(), solver=st.sampled_from(ALL_SOLVERS),
       container=st.sampled_from(CONTAINERS))
def test_every_solver_matches_the_exact_solution(pb, solver, container):
    """Every solver, container and dtype: optimality from the raw data and the exact answer."""
    est, converged = fit(pb, solver, container)
    dtype = pb["X"].dtype.type
    assert est.coef_.dtype == dtype
    # scikit-learn 1.9's layout: intercept_ in X's dtype, the float 0.0 without an intercept;
    # coef_ (p,) for one target, also for y of shape (n, 1)
    assert np.asarray(est.intercept_).dtype == dtype if est.fit_intercept else \
        type(est.intercept_) is float
    assert est.coef_.shape == ((pb["X"].shape[1],) if pb["y"].ndim == 1 or pb["y"].shape[1] == 1
                               else (pb["y"].shape[1], pb["X"].shape[1]))
    check_solution(est, exact(pb), dtype, converged)
    pred = est.predict(convert(pb["X"], container))
    n = pb["X"].shape[0]
    assert pred.shape == ((n,) if est.coef_.ndim == 1 else pb["y"].shape)
    assert pred.dtype == dtype


@settings(max_examples=examples(600))
@given(pb=problems(allow_multi=False, dtype=np.float64), solver=st.sampled_from(["cd", "cg"]),
       sparse=st.booleans(), warm=st.booleans())
def test_iterative_solvers_meet_their_tolerance(pb, solver, sparse, warm):
    """The contract of `tol`: when cd/cg do not warn, the gradient norm computed independently
    from the raw data is at most tol times its norm at β = 0, both with every column at unit
    scale (`Exact.g0_bound`; plus rounding) — also after a
    warm start from the solution at another α."""
    container = "csc_array" if sparse else "dense_F"
    if warm:
        est = Ridge(alpha=pb["alpha"] * 10.0, solver=solver, warm_start=True, tol=1e-10,
                    max_iter=20000, fit_intercept=pb["fit_intercept"],
                    standardize=pb["standardize"], penalty_factor=pb["pf"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(convert(pb["X"], container), pb["y"], sample_weight=pb["w"])
        est.set_params(alpha=pb["alpha"])
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            est.fit(convert(pb["X"], container), pb["y"], sample_weight=pb["w"])
        converged = not rec
    else:
        est, converged = fit(pb, solver, container)
    assert est.solver_ == solver
    check_solution(est, exact(pb), np.float64, converged)


@settings(max_examples=examples(300))
@given(pb=problems(allow_multi=False, dtype=np.float64), sparse=st.booleans())
def test_positive_coordinate_descent_meets_the_kkt_conditions(pb, sparse):
    """positive=True: b ≥ 0, the gradient vanishes where b > 0 and points outwards (≤ 0 in the
    descent direction) where b = 0, computed from the raw data."""
    est, converged = fit(pb, "auto", "csc_matrix" if sparse else "dense_C", positive=True)
    assert est.solver_ == "cd"
    ex = exact(pb)
    coef = np.asarray(est.coef_, dtype=np.float64)
    assert np.all(coef >= 0.0)
    assume(converged)
    r = ex.Y[:, 0] - ex.X @ coef - est.intercept_
    g = ex.Z.T @ (ex.w * r) - ex.alphas[0] * ex.v * ex.to_fit(coef)  # minus the gradient
    g[~ex.active] = 0.0
    g[(coef == 0.0) & (g < 0.0)] = 0.0   # the projected gradient
    bound = (2e-10 * ex.g0_bound(0)
             + ex.rounding_bound(coef, est.intercept_, 0, np.finfo(float).eps))
    assert np.linalg.norm(g) <= bound + 1e-300


@settings(max_examples=examples(300))
@given(pb=problems(max_n=16, max_p=12), data=st.data())
def test_path_points_match_the_exact_solution(pb, data):
    """ridge_path: every point of a user grid (unsorted, with repeats) is the exact solution at
    its α, in the documented order."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    grid = 10.0 ** rng.integers(-6, 7, data.draw(st.integers(1, 5))).astype(float)
    solver = data.draw(st.sampled_from(["auto", "cholesky", "svd", "cd", "cg"]))
    tol = ITERATIVE_TOL[pb["X"].dtype.type]
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        path = ridge_path(pb["X"], pb["y"], alphas=grid, sample_weight=pb["w"],
                          fit_intercept=pb["fit_intercept"], standardize=pb["standardize"],
                          penalty_factor=pb["pf"], solver=solver, tol=tol, max_iter=20000)
    converged = not any(issubclass(r.category, ConvergenceWarning) for r in rec)
    np.testing.assert_array_equal(path.alphas, grid[path.order])
    assert np.all(np.diff(path.alphas) <= 0)
    for i, a in enumerate(path.alphas):
        class Point:  # the path's i-th solution, seen as a fitted estimator
            coef_, intercept_, fit_intercept = path.coef[i], path.intercept[i], \
                pb["fit_intercept"]
            solver_ = path.solver if path.solver in ("cd", "cg") else "direct"
        point = dict(pb, alpha=a)
        check_solution(Point, exact(point), pb["X"].dtype.type, converged)


# --------------------------------------------------------------------------------- invariances
def assert_same_fit(a, b, ex, dtype, what, ex_other=None):
    """Two fits of the same problem agree within cond(H) · (eps + tol), in fit coordinates.
    `ex_other`: the other fit's problem when it is the same one in other units (its condition,
    and the gradient norm `tol` refers to, are not those of `ex`)."""
    eps = np.finfo(dtype).eps
    tol = ITERATIVE_TOL[dtype] if a.solver_ in ("cd", "cg") else 0.0
    (ca, ia), (cb, ib) = targets(a), targets(b)
    for t in range(ca.shape[0]):
        limit = ex.coef_limit(t, eps, tol)
        if ex_other is not None:
            limit = max(limit, ex_other.coef_limit(t, eps, tol))
        if limit >= 1e-2:
            continue
        ba, bb = ex.to_fit(ca[t]), ex.to_fit(cb[t])
        scale = max(np.linalg.norm(bb), np.linalg.norm(ex.solve(t)), 1e-300)
        err = np.linalg.norm(ba - bb) / scale
        assert err <= limit, (what, t, err, limit)
        # the intercepts then agree to the rounding of x̄ᵀβ and ȳ
        iscale = abs(ex.ym[t]) + np.abs(ex.xm) @ np.abs(cb[t]) + np.abs(ex.Yc[:, t]).max()
        assert abs(ia[t] - ib[t]) <= (10 * limit + 100 * eps) * iscale + 1e-300, (what, t)


def _solver_pair(draw):
    return draw(st.sampled_from(ALL_SOLVERS))


@settings(max_examples=examples(400))
@given(pb=problems(allow_multi=False), data=st.data())
def test_zero_weight_equals_dropped_row(pb, data):
    """A row of weight 0 is as good as absent — whatever it holds."""
    solver = _solver_pair(data.draw)
    n = pb["X"].shape[0]
    w = np.ones(n) if pb["w"] is None else pb["w"].copy()
    drop = np.random.default_rng(n).random(n) < 0.4
    assume(np.any(w[~drop] > 0))
    w[drop] = 0.0
    X = pb["X"].copy()
    X[drop] *= 1e6   # garbage in the dropped rows must not matter
    full = dict(pb, X=X, w=w)
    kept = dict(pb, X=X[~drop], y=pb["y"][~drop], w=w[~drop])
    a, ca = fit(full, solver)
    b, cb = fit(kept, solver)
    assume(ca and cb)
    assert_same_fit(a, b, exact(kept), pb["X"].dtype.type, "zero weight")


@settings(max_examples=examples(300))
@given(pb=problems(allow_multi=False, dtype=np.float64), data=st.data())
def test_integer_weight_equals_repeated_rows(pb, data):
    solver = _solver_pair(data.draw)
    n = pb["X"].shape[0]
    reps = np.random.default_rng(n + 1).integers(0, 4, n)
    assume(reps.any())
    a, ca = fit(dict(pb, w=reps.astype(float)), solver)
    rep = dict(pb, X=np.repeat(pb["X"], reps, axis=0), y=np.repeat(pb["y"], reps), w=None)
    b, cb = fit(rep, solver)
    assume(ca and cb)
    assert_same_fit(a, b, exact(rep), np.float64, "integer weights")


@settings(max_examples=examples(250))
@given(pb=problems(dtype=np.float64, multi=True), data=st.data())
def test_multi_target_equals_separate_fits(pb, data):
    solver = _solver_pair(data.draw)
    a, ca = fit(pb, solver)
    alphas = np.broadcast_to(pb["alpha"], (pb["y"].shape[1],))
    for t in range(pb["y"].shape[1]):
        one = dict(pb, y=pb["y"][:, t], alpha=float(alphas[t]))
        b, cb = fit(one, solver)
        if not (ca and cb):
            continue

        class Column:  # target t of the joint fit
            coef_, intercept_, solver_ = a.coef_[t], targets(a)[1][t], a.solver_
        assert_same_fit(Column, b, exact(one), np.float64, f"target {t}")


@settings(max_examples=examples(400))
@given(pb=problems(allow_multi=False), data=st.data())
def test_column_scaling_moves_into_the_penalty(pb, data):
    """X[:, j]·c (c a power of two, so exact) gives coef[j]/c; without standardization the
    penalty factor must become v[j]·c² for that, with it nothing changes."""
    solver = _solver_pair(data.draw)
    p = pb["X"].shape[1]
    rng = np.random.default_rng(p)
    c = 2.0 ** rng.integers(-20, 21, p)
    if pb["X"].dtype == np.float32:
        c = 2.0 ** rng.integers(-8, 9, p)
    v = np.ones(p) if pb["pf"] is None else pb["pf"]
    scaled = dict(pb, X=(pb["X"] * c).astype(pb["X"].dtype),
                  pf=v if pb["standardize"] else v * c**2)
    a, ca = fit(pb, solver)
    b, cb = fit(scaled, solver)
    assume(ca and cb)

    class Unscaled:
        coef_, intercept_, solver_ = b.coef_ * c, b.intercept_, b.solver_
    assert_same_fit(Unscaled, a, exact(pb), pb["X"].dtype.type, "column scaling",
                    ex_other=exact(scaled))


@settings(max_examples=examples(400))
@given(pb=problems(allow_multi=False), data=st.data())
def test_weight_scale_equals_alpha_scale_and_y_scale_scales_coef(pb, data):
    """The objective with weights c·w and α is c times the one with w and α/c; y·s gives
    coef·s and intercept·s (c, s powers of two)."""
    solver = _solver_pair(data.draw)
    c = 2.0 ** data.draw(st.integers(-30, 30))
    s = 2.0 ** data.draw(st.integers(-20, 20))
    w = np.ones(pb["X"].shape[0]) if pb["w"] is None else pb["w"]
    base, c0 = fit(dict(pb, w=w), solver)
    heavy, c1 = fit(dict(pb, w=w * c, alpha=pb["alpha"] * c), solver)
    assume(c0 and c1)
    ex = exact(dict(pb, w=w))
    assert_same_fit(heavy, base, ex, pb["X"].dtype.type, "weights and alpha scaled")
    if pb["X"].dtype == np.float32:
        s = 2.0 ** data.draw(st.integers(-8, 8))
    big, c2 = fit(dict(pb, w=w, y=(pb["y"] * s).astype(pb["y"].dtype)), solver)
    assume(c2)

    class Rescaled:
        coef_, intercept_, solver_ = big.coef_ / s, big.intercept_ / s, big.solver_
    assert_same_fit(Rescaled, base, ex, pb["X"].dtype.type, "y scaled")


@settings(max_examples=examples(400))
@given(pb=problems(allow_multi=False), solver=st.sampled_from(ALL_SOLVERS),
       container=st.sampled_from(CONTAINERS), permute=st.booleans())
def test_container_and_row_order_do_not_matter(pb, solver, container, permute):
    """Any container (dense in any layout, every sparse format, a DataFrame) and any row order
    give the fit of the C-ordered array."""
    ref, c0 = fit(pb, solver, "dense_C")
    other = pb
    if permute:
        perm = np.random.default_rng(7).permutation(pb["X"].shape[0])
        other = dict(pb, X=pb["X"][perm], y=pb["y"][perm],
                     w=None if pb["w"] is None else pb["w"][perm])
    est, c1 = fit(other, solver, container)
    assume(c0 and c1)
    assert_same_fit(est, ref, exact(pb), pb["X"].dtype.type, container)


# ------------------------------------------------------------------------ inputs left unchanged
def snapshot(obj):
    """Deep copies of everything an input holds (dense values, sparse data and index arrays)."""
    if obj is None or np.isscalar(obj):
        return obj
    if sp.issparse(obj):
        if obj.format == "coo":
            return [a.copy() for a in (obj.data, obj.row, obj.col)]
        if obj.format in ("csr", "csc", "bsr"):
            return [a.copy() for a in (obj.data, obj.indices, obj.indptr)]
        return [obj.toarray()]
    return [np.array(obj, copy=True)]


def assert_unchanged(obj, before):
    now = snapshot(obj)
    if before is None or np.isscalar(before):
        assert now == before
        return
    assert len(now) == len(before)
    for a, b in zip(now, before):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


@settings(max_examples=examples(400))
@given(pb=problems(max_n=12, max_p=10), container=st.sampled_from(CONTAINERS),
       estimator=st.sampled_from(["Ridge", "ridge_path", "RidgeCV", "RidgeEM"]),
       solver=st.sampled_from(ALL_SOLVERS))
def test_inputs_are_never_modified(pb, container, estimator, solver):
    from fastridge import RidgeCV, RidgeEM

    X = convert(pb["X"], container)
    y, w, pf = pb["y"], pb["w"], pb["pf"]
    alpha = np.atleast_1d(pb["alpha"]).copy()
    for a in (y, w, pf, alpha):
        if isinstance(a, np.ndarray):
            a.flags.writeable = False  # read-only arrays are accepted, and never written
    inputs = [X, y, w, pf, alpha]
    before = [snapshot(a) for a in inputs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if estimator == "Ridge":
            Ridge(alpha if alpha.size > 1 else float(alpha[0]), solver=solver,
                  penalty_factor=pf).fit(X, y, sample_weight=w)
        elif estimator == "ridge_path":
            ridge_path(X, y, alphas=alpha, sample_weight=w, penalty_factor=pf,
                       solver=solver)
        elif estimator == "RidgeCV":
            cv = None if pf is None or np.all(pf > 0) else 2
            if np.count_nonzero(np.ones(len(y)) if w is None else w) < 3:
                return  # too few samples to cross-validate (refused with a ValueError)
            try:
                # the squared error: k-fold's default R² is undefined on one-row test folds
                RidgeCV(alphas=alpha, penalty_factor=pf, cv=cv, solver=solver,
                        scoring="neg_mean_squared_error").fit(X, y, sample_weight=w)
            except ValueError as exc:  # contiguous folds may leave no weight to train on
                assert "every training row of a fold has sample_weight 0" in str(exc)
        else:
            try:
                RidgeEM().fit(X, y, sample_weight=w)
            except ValueError as exc:  # one observation: no degree of freedom for the noise
                assert "more than one observation" in str(exc)
    for a, b in zip(inputs, before):
        assert_unchanged(a, b)
