"""Multi-shift CG paths (`ridge_path(solver="cg")` with equal penalty factors and
``standardize=True``): every α equals the closed-form fit to the solver tolerance, the whole
path costs the iterations of one cold CG fit at the smallest α, and the policy keeps the
warm-started path where the shift structure breaks."""
import numpy as np
import pytest

from conftest import make_data, ridge_oracle
from fastridge import Ridge, RidgeCV, ridge_path


def _conv(kind):
    if kind == "dense":
        return lambda A: A
    sp = pytest.importorskip("scipy.sparse")
    return {"csr": sp.csr_array, "csc": sp.csc_matrix}[kind]


@pytest.fixture
def spy(monkeypatch):
    """The multi-shift solves run (one entry per path): the tests check that they exercised
    it, not the warm-started path."""
    from fastridge._solvers import cg

    calls, run = [], cg.multishift_path

    def wrapped(*args, **kwargs):
        calls.append(args[2].size)
        return run(*args, **kwargs)

    monkeypatch.setattr(cg, "multishift_path", wrapped)
    return calls


def _sparse_data(n, p, density, seed):
    """Sparse X whose columns have scales spanning 1e±1 (standardize must equalize them)."""
    sp = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(seed)
    X = sp.random(n, p, density=density, format="csr", random_state=rng,
                  data_rvs=rng.standard_normal)
    X = X @ sp.diags(np.logspace(-1, 1, p))
    X = sp.csr_array(X)
    beta = rng.standard_normal(p)
    y = X @ beta + 0.5 * rng.standard_normal(n) + 2.0
    return X, y


def _mod_folds(n, k=3):
    """k (train, test) folds of n rows: row i is in test fold i mod k."""
    idx = np.arange(n)
    return [(idx[idx % k != f], idx[idx % k == f]) for f in range(k)]


def _oracle_oof(Xd, y, folds, grid):
    """The brute-force out-of-fold predictions (n, len(grid)): for each fold and α, the
    closed-form standardized fit on the training rows (their own scales), applied to the test
    rows."""
    P = np.empty((len(y), len(grid)))
    for train, test in folds:
        for i, a in enumerate(grid):
            coef, icpt = ridge_oracle(Xd[train], y[train], a, standardize=True)
            P[test, i] = Xd[test] @ coef + icpt
    return P


def _cg_folds_case(p, m, seed, **kwargs):
    """RidgeCV(solver="cg", standardize=True) over 3 folds of sparse 300 × p data and an
    m-α grid, with the brute-force out-of-fold predictions: (est, P, y, folds, grid)."""
    X, y = _sparse_data(300, p, 0.1, seed=seed)
    grid = np.logspace(2, -2, m)
    folds = _mod_folds(300)
    est = RidgeCV(alphas=grid, cv=folds, solver="cg", standardize=True, tol=1e-11,
                  max_iter=5000, **kwargs).fit(X, y)
    return est, _oracle_oof(X.toarray(), y, folds, grid), y, folds, grid


def _kkt(X, y, w, alpha, coef, intercept):
    """(‖g‖, ‖g(0)‖) in float64, g = ZᵀW(y − ȳ − Zb) − αb in the standardized coordinates
    (b = coef · sd), written out here: the rule the solver stops on."""
    X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
    w = np.ones(X.shape[0]) if w is None else w
    xm, ym = w @ X / w.sum(), w @ y / w.sum()
    sd = np.sqrt(w @ (X - xm) ** 2 / w.sum())
    Z = (X - xm) / sd
    b = np.asarray(coef, dtype=np.float64) * sd
    g0 = Z.T @ (w * (y - ym))
    g = g0 - Z.T @ (w * (Z @ b)) - alpha * b
    return np.linalg.norm(g), np.linalg.norm(g0)


@pytest.mark.parametrize("kind", ["dense", "csr", "csc"])
@pytest.mark.parametrize("shape", [(150, 90), (40, 90)])   # n < 2p: CG on X, not the Gram
@pytest.mark.parametrize("weighted", [False, True])
def test_each_alpha_equals_closed_form(kind, shape, weighted, spy):
    n, p = shape
    X, y = make_data(n=n, p=p, seed=11, cond=30.0, offset=0.0)
    X = X * np.logspace(-2, 2, p)   # unequal raw scales: standardize equalizes them
    w = np.random.default_rng(3).uniform(0.2, 3.0, n) if weighted else None
    tol = 1e-10
    path = ridge_path(_conv(kind)(X), y, n_alphas=30, standardize=True, sample_weight=w,
                      solver="cg", tol=tol, max_iter=5000)
    assert path.solver == "cg"
    for i, a in enumerate(path.alphas):
        coef, icpt = ridge_oracle(X, y, a, sample_weight=w, standardize=True)
        np.testing.assert_allclose(path.coef[i], coef, rtol=1e-6, atol=1e-8 * np.abs(coef).max())
        np.testing.assert_allclose(path.intercept[i], icpt, rtol=1e-6, atol=1e-8)
        g, g0 = _kkt(X, y, w, a, path.coef[i], path.intercept[i])
        assert g <= 1.01 * tol * g0 + 1e-12 * g0, (i, g / g0)
    assert spy == [30]


def test_float32_meets_its_tolerance(spy):
    X, y = _sparse_data(3000, 200, 0.02, seed=4)
    X32 = X.astype(np.float32)
    tol = 1e-4
    path = ridge_path(X32, y.astype(np.float32), n_alphas=20, standardize=True, solver="cg",
                      tol=tol)
    assert path.coef.dtype == np.float32
    for i, a in enumerate(path.alphas):
        coef, icpt = ridge_oracle(X32.astype(np.float64), y.astype(np.float32), a,
                                  standardize=True)
        np.testing.assert_allclose(path.coef[i], coef, rtol=2e-3, atol=2e-3 * np.abs(coef).max())
        g, g0 = _kkt(X32, y.astype(np.float32).astype(np.float64), None, a, path.coef[i],
                     path.intercept[i])
        assert g <= 3 * tol * g0, (i, g / g0)
    assert spy == [20]


def test_multitarget_one_solve_per_target(spy):
    X, Y = make_data(n=150, p=40, k=3, seed=8, cond=20.0, offset=0.0)
    path = ridge_path(_conv("csr")(X), Y, n_alphas=12, standardize=True, solver="cg",
                      tol=1e-11, max_iter=5000)
    for i, a in enumerate(path.alphas):
        coef, icpt = ridge_oracle(X, Y, a, standardize=True)
        np.testing.assert_allclose(path.coef[i], coef, rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(path.intercept[i], icpt, rtol=1e-7, atol=1e-9)
    assert spy == [12]


@pytest.mark.parametrize("kind", ["csr", "csc"])
def test_path_costs_one_cold_solve_at_the_smallest_alpha(kind, spy):
    """n_iter counts products with ZᵀWZ: the whole path's equal those of one cold CG fit at
    the smallest α (the seed's recursion is that fit's), and the count by which αᵢ retired
    equals a cold fit's at αᵢ (shifted CG's iterates are each shifted system's own CG
    iterates)."""
    X, y = _sparse_data(1000, 400, 0.01, seed=2)
    X = _conv(kind)(X)
    tol = 1e-8
    path = ridge_path(X, y, n_alphas=100, alpha_min_ratio=1e-4, standardize=True, solver="cg",
                      tol=tol, max_iter=10000)
    cold = [Ridge(alpha=a, solver="cg", standardize=True, tol=tol, max_iter=10000)
            .fit(X, y).n_iter_ for a in path.alphas]
    assert cold[-1] >= 20  # a problem where the count means something
    assert spy == [100]
    total = int(path.n_iter.sum())
    assert abs(total - cold[-1]) <= 2, (total, cold[-1])
    reached = np.cumsum(path.n_iter)
    for i in range(0, 100, 9):
        assert abs(int(reached[i]) - int(cold[i])) <= 2, (i, reached[i], cold[i])
    # against the warm-started path: unequal penalty factors take it
    pf = np.ones(X.shape[1])
    pf[0] = 1.0 + 1e-3
    warm = ridge_path(X, y, alphas=path.alphas, standardize=True, solver="cg", tol=tol,
                      max_iter=10000, penalty_factor=pf)
    assert warm.n_iter.sum() > 3 * total, (warm.n_iter.sum(), total)


def test_policy_keeps_warm_path_where_shifts_break(spy):
    """Unequal raw column scales (standardize=False) or penalty factors: the warm-started path,
    still exact; equal ones: multi-shift (its count is one cold solve, far below warm's)."""
    from fastridge import _preprocessing as P
    from fastridge._solvers import cg

    X, y = make_data(n=20, p=12, seed=5, offset=0.0)   # n < 2p: CG on X, not the Gram
    X = X * np.logspace(-1, 1, 12)
    alphas = np.logspace(1, -2, 10)

    def applies(standardize, pf=None, fit_intercept=True, shift=0.0):
        pr = P.prepare(X + shift, y[:, None], None, fit_intercept=fit_intercept,
                       standardize=standardize)
        v = np.ones(12) if pf is None else pf
        return cg.multishift_applies(pr, v, alphas)

    assert applies(True)
    assert not applies(False)
    assert not applies(True, pf=np.linspace(0.5, 2.0, 12))
    assert applies(True, fit_intercept=False)        # columns of mean 0 (make_data's)
    # no intercept: the scale is the SD about the mean, the norm about 0: unequal hⱼ
    assert not applies(True, fit_intercept=False, shift=np.linspace(0.1, 1.0, 12))
    assert not applies(True, shift=100.0)            # means far beyond the spread
    for kw in ({"standardize": False}, {"standardize": True,
                                        "penalty_factor": np.linspace(0.5, 2.0, 12)}):
        path = ridge_path(X, y, alphas=alphas, solver="cg", tol=1e-11, max_iter=5000, **kw)
        for i, a in enumerate(alphas):
            coef, _ = ridge_oracle(X, y, a, standardize=kw["standardize"],
                                   penalty_factor=kw.get("penalty_factor"))
            np.testing.assert_allclose(path.coef[i], coef, rtol=1e-6, atol=1e-9)
    assert spy == []


def test_equal_raw_scales_without_standardize(spy):
    """Columns of equal weighted norm: the shift structure holds without standardize."""
    X, y = make_data(n=25, p=15, seed=6, offset=0.0)
    Xc = X - X.mean(axis=0)
    X = X / np.linalg.norm(Xc, axis=0) * 3.0
    path = ridge_path(X, y, n_alphas=20, solver="cg", tol=1e-11, max_iter=5000)
    for i, a in enumerate(path.alphas):
        np.testing.assert_allclose(path.coef[i], ridge_oracle(X, y, a)[0], rtol=1e-7,
                                   atol=1e-10)
    assert spy == [20]


@pytest.mark.filterwarnings("ignore::fastridge.exceptions.AlphaGridWarning")
def test_ridgecv_kfold_folds_use_multishift(spy):
    """RidgeCV(cv=folds, solver="cg", standardize=True): each fold's out-of-fold predictions
    equal a closed-form fit on its training rows (with their own scales)."""
    est, P, _, _, grid = _cg_folds_case(60, 15, 9, store_cv_results=True)
    for i, a in enumerate(grid):
        j = int(np.flatnonzero(est.cv_summary_["alphas"] == a)[0])
        np.testing.assert_allclose(est.cv_predictions_[:, j], P[:, i], rtol=1e-7, atol=1e-8)
    assert len(spy) >= 3


def test_kernel_shifts_in_any_order_and_its_checks():
    """The kernel on its own: shifts unsorted (the seed is the smallest), each bₛ the float64
    solution of (ZᵀZ + (α + σₛ)I) b = Zᵀy written here; wrong arrays are refused by name."""
    from fastridge import _cg_fast
    from fastridge._view import Design

    rng = np.random.default_rng(1)
    n, p = 70, 25
    X = np.asfortranarray(rng.standard_normal((n, p)))
    y = rng.standard_normal(n)
    xbar, d = X.mean(axis=0), np.ones(p)
    design = Design(X, xbar, d, True)
    shifts = np.array([3.0, 0.0, 100.0, 0.5, 0.0])
    out = np.empty((5, p))
    yc = y - y.mean()
    measure, rhs_norm, it, seed_measure = _cg_fast.ridge_cg_multishift(
        design, yc, shifts, out, alpha=0.2, v=np.ones(p), tol=1e-12, max_iter=1000)
    Z = X - xbar
    c = Z.T @ yc
    assert rhs_norm == pytest.approx(np.linalg.norm(c), rel=1e-12)
    for s, sig in enumerate(shifts):
        b = np.linalg.solve(Z.T @ Z + (0.2 + sig) * np.eye(p), c)
        np.testing.assert_allclose(out[s], b, rtol=1e-9, atol=1e-12)
        assert measure[s] <= 1e-12 * rhs_norm
    assert it[2] < it[0] <= it[3] <= it[1] == it[4] <= p + 2   # larger shift, sooner done
    assert seed_measure <= 1e-11 * rhs_norm
    with pytest.raises(ValueError, match="coef_out"):
        _cg_fast.ridge_cg_multishift(design, yc, shifts, np.empty((4, p)), alpha=0.2,
                                     v=np.ones(p), tol=1e-8, max_iter=10)
    with pytest.raises(ValueError, match="shifts"):
        _cg_fast.ridge_cg_multishift(design, yc, -shifts, out, alpha=0.2, v=np.ones(p),
                                     tol=1e-8, max_iter=10)
    with pytest.raises(ValueError, match="y must"):
        _cg_fast.ridge_cg_multishift(design, yc[:-1], shifts, out, alpha=0.2, v=np.ones(p),
                                     tol=1e-8, max_iter=10)



@pytest.mark.parametrize("kind", ["dense", "csr"])
def test_kernel_krylov_form_gives_the_same_solutions(kind):
    """The kernel with a basis: the seed's residuals in its rows (row 0 = Zᵀy, the rows
    mutually orthogonal in exact arithmetic), each bₛ = coords[s] @ basis the float64 solution
    of (ZᵀZ + (α + σₛ)I) b = Zᵀy written here, the iterations those of the kernel without a
    basis, coef_out the seed's solution; a basis too short stops with the measures above tol;
    wrong arrays are refused by name."""
    from fastridge import _cg_fast
    from fastridge._view import Design

    rng = np.random.default_rng(2)
    n, p = 90, 30
    Xd = rng.standard_normal((n, p)) * (rng.uniform(size=(n, p)) < 0.3)
    X = np.asfortranarray(Xd) if kind == "dense" else _conv("csr")(Xd)
    y = rng.standard_normal(n)
    xbar, d = Xd.mean(axis=0), np.ones(p)
    design = Design(X, xbar, d, True)
    shifts = np.array([3.0, 0.0, 100.0, 0.5])
    yc = y - y.mean()
    kw = dict(alpha=0.2, v=np.ones(p), tol=1e-12, max_iter=1000)
    _, _, it_full, _ = _cg_fast.ridge_cg_multishift(design, yc, shifts, np.empty((4, p)), **kw)
    basis, coords, seed = np.empty((200, p)), np.empty((4, 200)), np.empty((1, p))
    measure, rhs_norm, it, seed_measure, rows = _cg_fast.ridge_cg_multishift(
        design, yc, shifts, seed, basis=basis, coords=coords, **kw)
    Z = Xd - xbar
    c = Z.T @ yc
    np.testing.assert_allclose(basis[0], c, rtol=1e-12)
    np.testing.assert_array_equal(it, it_full)
    assert rows == it.max() + 1 and np.all(coords[:, rows:] == 0)
    for s, sig in enumerate(shifts):
        b = np.linalg.solve(Z.T @ Z + (0.2 + sig) * np.eye(p), c)
        np.testing.assert_allclose(coords[s, :rows] @ basis[:rows], b, rtol=1e-9, atol=1e-12)
        assert measure[s] <= 1e-12 * rhs_norm
    np.testing.assert_allclose(seed[0], coords[1, :rows] @ basis[:rows], rtol=1e-12)
    assert seed_measure <= 1e-11 * rhs_norm
    out = _cg_fast.ridge_cg_multishift(design, yc, shifts, seed, basis=np.empty((4, p)),
                                       coords=np.empty((4, 4)), **kw)
    assert out[4] == 4 and np.all(out[2] <= 3) and np.all(out[0] > 1e-12 * rhs_norm)
    with pytest.raises(ValueError, match="coef_out"):
        _cg_fast.ridge_cg_multishift(design, yc, shifts, np.empty((4, p)), basis=basis,
                                     coords=coords, **kw)
    with pytest.raises(ValueError, match="coords"):
        _cg_fast.ridge_cg_multishift(design, yc, shifts, seed, basis=basis,
                                     coords=np.empty((4, 199)), **kw)
    with pytest.raises(ValueError, match="basis"):
        _cg_fast.ridge_cg_multishift(design, yc, shifts, seed, basis=np.empty((200, p - 1)),
                                     coords=coords, **kw)


INTERRUPT = r"""
import os, signal, threading, time, warnings
import numpy as np
import scipy.sparse as sp
from fastridge import ridge_path
rng = np.random.default_rng(0)
X = sp.csr_array(sp.random(20000, 5000, density=1e-3, random_state=rng) @
                 sp.diags(np.geomspace(1, 1e-6, 5000)))
y = rng.standard_normal(20000)
warnings.simplefilter("ignore")
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
t0 = time.perf_counter()
try:
    ridge_path(X, y, alphas=np.geomspace(1, 1e-10, 200), standardize=True, solver="cg",
               tol=1e-30, max_iter=10**8)
except KeyboardInterrupt:
    print("interrupted after", round(time.perf_counter() - t0, 2))
"""


def test_ctrl_c_stops_a_multishift_path():
    import os
    import signal
    import subprocess
    import sys

    if not hasattr(signal, "SIGINT") or os.name == "nt":
        pytest.skip("POSIX signals")
    pytest.importorskip("scipy.sparse")
    res = subprocess.run([sys.executable, "-c", INTERRUPT], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("interrupted after"), res.stdout + res.stderr
    assert float(res.stdout.split()[-1]) < 2.0


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("limits", [None, "box"])
def test_to_raw_converts_a_whole_path_at_once(center, limits):
    """`to_raw` on a path's (m, k, p) fit coordinates (as `raw_path` calls it, in place) equals
    the formula per α written here: β = d∘b clipped to the box, β₀ = ȳ − x̄ᵀβ (0 without
    centring)."""
    from fastridge import _preprocessing as P

    X, Y = make_data(n=50, p=7, k=3, seed=12)
    pr = P.prepare(X, Y, None, fit_intercept=center, standardize=True)
    rng = np.random.default_rng(13)
    B = rng.standard_normal((5, 3, 7))
    box = None if limits is None else (np.full(7, -0.4), np.r_[np.full(6, np.inf), 0.2])
    want_coef = B * pr.d
    if box is not None:
        want_coef = np.minimum(np.maximum(want_coef, box[0]), box[1])
    want_icpt = (Y.mean(axis=0) - want_coef @ X.mean(axis=0)) if center else np.zeros((5, 3))
    keep = B.copy()
    coef, icpt = P.to_raw(pr, B, box)                   # a copy: B untouched
    np.testing.assert_array_equal(B, keep)
    np.testing.assert_allclose(coef, want_coef, rtol=1e-14, atol=0)
    np.testing.assert_allclose(icpt, want_icpt, rtol=1e-12, atol=1e-12)
    coef2, icpt2 = P.to_raw(pr, B, box, overwrite=True)  # in B's memory, the same values
    assert coef2 is B
    np.testing.assert_array_equal(coef2, coef)
    np.testing.assert_array_equal(icpt2, icpt)
    for i in range(5):                                   # one α at a time: the same
        c1, i1 = P.to_raw(pr, keep[i], box)
        np.testing.assert_allclose(c1, coef[i], rtol=1e-15, atol=0)
        np.testing.assert_allclose(i1, icpt[i], rtol=1e-13, atol=1e-13)


@pytest.mark.filterwarnings("ignore::fastridge.exceptions.AlphaGridWarning")
def test_folds_on_threads_share_the_kernel_threads(monkeypatch):
    """Folds running at once share the kernels' threads (each fold's kernel gets
    num_threads // workers, so the cores are not oversubscribed), the refit on all the rows gets
    them all, and the curve is that of the folds run one after the other (a brute-force loop
    of manual fold fits at each α, scored by R² here)."""
    import fastridge
    from fastridge import _cg_fast, _policy

    X, y = _sparse_data(240, 50, 0.1, seed=11)
    Xd = X.toarray()
    grid = np.logspace(2, -2, 8)
    seen, kernel = [], _cg_fast.ridge_cg_multishift

    def spy_kernel(*args, **kwargs):
        seen.append(kwargs["nthreads"])
        return kernel(*args, **kwargs)

    monkeypatch.setattr(_cg_fast, "ridge_cg_multishift", spy_kernel)
    monkeypatch.setattr(_policy, "fold_workers", lambda *a, **k: 2)
    with fastridge.config_context(num_threads=4):
        est = RidgeCV(alphas=grid, cv=4, solver="cg", standardize=True, tol=1e-11,
                      max_iter=5000).fit(X, y)
        refit_threads = fastridge.get_config()["num_threads"]
    assert len(seen) >= 4 and set(seen) == {2} and refit_threads == 4
    idx = np.arange(240)
    err = np.zeros(grid.size)
    for f in range(4):
        test = idx[f * 60:(f + 1) * 60]
        train = np.setdiff1d(idx, test)
        for i, a in enumerate(grid):
            coef, icpt = ridge_oracle(Xd[train], y[train], a, standardize=True)
            rss = np.sum((y[test] - Xd[test] @ coef - icpt) ** 2)
            err[i] -= (1.0 - rss / np.sum((y[test] - y[test].mean()) ** 2)) / 4  # minus R²
    np.testing.assert_array_equal(est.cv_summary_["alphas"], grid)
    np.testing.assert_allclose(est.cv_summary_["mean_error"], err, rtol=1e-7)


@pytest.fixture
def krylov_spy(monkeypatch):
    """Whether each fold's path stayed in its Krylov form (True) or fell back (False)."""
    from fastridge._solvers import cg

    calls, run = [], cg.multishift_krylov

    def wrapped(*args, **kwargs):
        out = run(*args, **kwargs)
        calls.append(out is not None)
        return out

    monkeypatch.setattr(cg, "multishift_krylov", wrapped)
    return calls


def _manual_kfold_mse(Xd, Y, w, folds, grid, fit_intercept):
    """The weighted k-fold MSE curve by brute force: a closed-form fit on each fold's training
    rows at each α, its weighted mean squared error on the test rows (mean over targets), the
    folds weighted by their test weight."""
    err, total = np.zeros(grid.size), 0.0
    for train, test in folds:
        wt = w[test]
        for i, a in enumerate(grid):
            coef, icpt = ridge_oracle(Xd[train], Y[train], a, sample_weight=w[train],
                                      fit_intercept=fit_intercept, standardize=True)
            R = Y[test] - (Xd[test] @ coef.T + icpt)
            err[i] += wt @ (R * R).mean(axis=1)
        total += wt.sum()
    return err / total


@pytest.mark.filterwarnings("ignore::fastridge.exceptions.AlphaGridWarning")
@pytest.mark.parametrize("n_targets", [1, 2])
def test_kfold_curve_from_the_krylov_form_equals_manual_refits(n_targets, krylov_spy):
    """RidgeCV(cv=folds, solver="cg", standardize=True) without stored predictions scores each
    fold from the multi-shift solve's Krylov form (the test rows times the basis, never the m
    coefficient vectors): weighted rows, one or two targets, its curve equals the brute-force
    loop of closed-form fold fits."""
    X, y = _sparse_data(300, 60, 0.1, seed=12)
    rng = np.random.default_rng(12)
    Y = np.column_stack([y, X @ rng.standard_normal(60) - 1.0])[:, :n_targets]
    w = rng.uniform(0.2, 3.0, 300)
    grid = np.logspace(2, -2, 40)
    folds = _mod_folds(300)
    est = RidgeCV(alphas=grid, cv=folds, solver="cg", standardize=True, tol=1e-11,
                  max_iter=5000, scoring="neg_mean_squared_error").fit(X, Y, sample_weight=w)
    assert krylov_spy == [True] * 3
    want = _manual_kfold_mse(X.toarray(), Y, w, folds, grid, True)
    np.testing.assert_array_equal(est.cv_summary_["alphas"], grid)
    np.testing.assert_allclose(est.cv_summary_["mean_error"], want, rtol=1e-8)


@pytest.mark.parametrize("weighted", [False, True])
def test_krylov_predictions_and_tail_equal_closed_form(weighted):
    """`krylov_predictions` and `krylov_tail`: at every α the predictions at other rows equal
    those of the closed-form fit, and the tail coefficients and intercepts equal it (tol
    1e-12)."""
    from fastridge import _preprocessing as P
    from fastridge._engine.path import krylov_forms, krylov_predictions, krylov_tail

    X, y = _sparse_data(250, 40, 0.15, seed=13)
    Xd = X.toarray()
    w = np.random.default_rng(13).uniform(0.5, 2.0, 200) if weighted else None
    grid = np.logspace(1.5, -1.5, 30)
    pr = P.prepare(X[:200], y[:200, None], w, fit_intercept=True, standardize=True)
    forms = krylov_forms(pr, np.ones(40), grid, "cg", tol=1e-12, max_iter=None)
    pred = krylov_predictions(pr, forms, X[200:])
    coef, icpt = krylov_tail(pr, forms)
    assert pred.shape == (50, 30, 1) and coef.shape == (3, 1, 40)
    for i, a in enumerate(grid):
        c, b0 = ridge_oracle(Xd[:200], y[:200], a, sample_weight=w, standardize=True)
        np.testing.assert_allclose(pred[:, i, 0], Xd[200:] @ c + b0, rtol=1e-9, atol=1e-9)
        if i >= grid.size - 3:
            np.testing.assert_allclose(coef[i - grid.size + 3, 0], c, rtol=1e-8, atol=1e-10)
            np.testing.assert_allclose(icpt[i - grid.size + 3, 0], b0, rtol=1e-9)


@pytest.mark.filterwarnings("ignore::fastridge.exceptions.AlphaGridWarning")
def test_krylov_form_falls_back_when_its_basis_is_full(krylov_spy):
    """Two α and a tolerance that needs more than 2m = 4 iterations: the Krylov form gives
    up (its basis holds 2m + 1 vectors), the fold takes the multi-shift path, and the curve
    still equals the brute-force fold refits."""
    X, y = _sparse_data(240, 50, 0.1, seed=14)
    grid = np.array([3.0, 0.3])
    folds = _mod_folds(240, 2)
    est = RidgeCV(alphas=grid, cv=folds, solver="cg", standardize=True, tol=1e-12,
                  max_iter=5000, scoring="neg_mean_squared_error").fit(X, y)
    assert krylov_spy == [False] * 2
    want = _manual_kfold_mse(X.toarray(), y[:, None], np.ones(240), folds, grid, True)
    np.testing.assert_allclose(est.cv_summary_["mean_error"], want, rtol=1e-8)


@pytest.mark.parametrize("n_alphas, forms", [(20, ["krylov"]), (2, ["krylov", "solutions"])])
def test_path_in_either_form_equals_closed_form(n_alphas, forms, monkeypatch):
    """`ridge_path(solver="cg")` solves in the Krylov form (then B = coords @ basis), or, when
    that form gives up (2 α: its basis holds 5 vectors, the tolerance needs more iterations),
    again keeping the m solutions: either way each α equals the closed-form fit."""
    from fastridge import _cg_fast

    seen, kernel = [], _cg_fast.ridge_cg_multishift

    def spy_kernel(*args, **kwargs):
        seen.append("krylov" if kwargs.get("basis") is not None else "solutions")
        return kernel(*args, **kwargs)

    monkeypatch.setattr(_cg_fast, "ridge_cg_multishift", spy_kernel)
    X, y = _sparse_data(200, 40, 0.15, seed=15)
    grid = np.logspace(1, -1, n_alphas)
    path = ridge_path(X, y, alphas=grid, solver="cg", standardize=True, tol=1e-12,
                      max_iter=5000)
    assert seen == forms
    for i, a in enumerate(grid):
        coef, icpt = ridge_oracle(X, y, a, standardize=True)
        np.testing.assert_allclose(path.coef[i], coef, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(path.intercept[i], icpt, rtol=1e-9)


@pytest.mark.filterwarnings("ignore::fastridge.exceptions.AlphaGridWarning")
def test_refit_starts_from_the_folds_mean_and_meets_the_tolerance(monkeypatch):
    """After folds scored from their Krylov forms, the refit on all the rows starts from the
    mean of the folds' coefficients at alpha_ (equal to the mean of closed-form fold fits),
    takes fewer iterations than a cold fit, and meets the same tolerance: its coefficients
    equal the closed-form fit at alpha_."""
    from fastridge._engine import fit as engine_fit

    X, y = _sparse_data(400, 80, 0.05, seed=16)
    grid = np.logspace(2, -2, 40)
    folds = _mod_folds(400, 4)
    starts, run = [], engine_fit.fit

    def spy_fit(*args, **kwargs):
        starts.append(kwargs.get("B0"))
        return run(*args, **kwargs)

    monkeypatch.setattr(engine_fit, "fit", spy_fit)
    est = RidgeCV(alphas=grid, cv=folds, solver="cg", standardize=True, tol=1e-10,
                  max_iter=5000).fit(X, y)
    a = float(est.alpha_)
    want = np.mean([ridge_oracle(X[tr], y[tr], a, standardize=True)[0] for tr, _ in folds],
                   axis=0)
    assert len(starts) == 1 and starts[0] is not None
    np.testing.assert_allclose(starts[0][0], want, rtol=1e-7, atol=1e-9)
    coef, icpt = ridge_oracle(X, y, a, standardize=True)
    np.testing.assert_allclose(est.coef_, coef, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(est.intercept_, icpt, rtol=1e-9)
    cold = Ridge(alpha=a, solver="cg", standardize=True, tol=1e-10, max_iter=5000).fit(X, y)
    assert 0 < est.n_iter_ < cold.n_iter_


def _neg_mae(y_true, y_pred):
    """A metric (higher is better) written here: minus the mean absolute error."""
    return -float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))))


@pytest.mark.filterwarnings("ignore::fastridge.exceptions.AlphaGridWarning")
@pytest.mark.parametrize("scoring", [None, _neg_mae])
def test_krylov_folds_score_r2_and_metrics_as_manual_refits(scoring, krylov_spy):
    """The folds' Krylov form under R² (scored by sums over blocks of the test rows' basis
    products, no (n_te, m) predictions) and under a metric (the predictions formed from the form):
    both curves equal the brute-force loop of closed-form fold fits, scored here."""
    est, P, y, folds, grid = _cg_folds_case(50, 40, 17, scoring=scoring)
    assert krylov_spy == [True] * 3
    want = np.zeros(grid.size)
    for _, test in folds:
        R = y[test, None] - P[test]
        if scoring is None:
            want -= (1 - np.sum(R * R, axis=0) / np.sum((y[test] - y[test].mean()) ** 2)) / 3
        else:
            want += np.mean(np.abs(R), axis=0) / 3
    np.testing.assert_allclose(est.cv_summary_["mean_error"], want, rtol=1e-8)
