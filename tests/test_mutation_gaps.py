"""Direct oracle tests for what mutation testing found weakly guarded.

Written against the public API (`fastridge.Ridge`) and, where a code path cannot be reached
from it, the compiled kernel itself (`fastridge._cg_fast`), so that they survive the move of
the private Python modules.  Every oracle is the closed form in float64 numpy on explicitly
centred (and scaled) data.
"""
import numpy as np
import pytest
import scipy.sparse as sp

from conftest import make_data, ridge_oracle
from fastridge import Ridge


def _rel(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


# ------------------------------------------------------------------------------------------
# a. the threaded CSR mat-vec of the CG kernel: implicit centring and the x̄·total correction
# ------------------------------------------------------------------------------------------
def _offset_csr_problem(seed=0, n=2000, p=50, density=0.3):
    """Half the columns stored in full with values 1000 ± 1 (mean ~1700 times the spread:
    a sparse column's spread is dominated by its zeros, so only a full column can have a
    mean far beyond its spread), half sparse N(0, 1) with implicit zeros."""
    rng = np.random.default_rng(seed)
    X = np.where(rng.random((n, p)) < density, rng.standard_normal((n, p)), 0.0)
    X[:, : p // 2] = 1000.0 + rng.uniform(-1.0, 1.0, (n, p // 2))
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    w = rng.uniform(0.5, 2.0, n)
    return X, y, w


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("nthreads", [1, 2])
def test_cg_kernel_csr_threads_offset_columns(weighted, nthreads):
    # Through the public API a column whose mean exceeds its spread sends CG to the Gram
    # (exactly centred) whenever the p × p Gram fits, so the implicitly centred CSR product
    # with real column means is reached only for p beyond ~16k: the kernel is called here
    # directly, with the fit coordinates of the API contract (d = 1, no standardization).
    # Z u = X u − (x̄ᵀu) 1 and Zᵀ W r = Xᵀ W r − x̄ (Σ W r); Σ W r is 0 in exact arithmetic,
    # so dropping the x̄·total term changes only the rounding — by eps·|x̄|/σ·n, which the
    # 2-thread fused product showed as 6e-9 (instead of 3e-13) before this test.
    from fastridge import _cg_fast

    X, y, w = _offset_csr_problem()
    n, p = X.shape
    alpha, tol = 1.0, 1e-12
    ww = w if weighted else np.ones(n)
    xbar = ww @ X / ww.sum()
    Xc = X - xbar
    yc = y - ww @ y / ww.sum()
    H = Xc.T @ (ww[:, None] * Xc)
    oracle = np.linalg.solve(H + alpha * np.eye(p), Xc.T @ (ww * yc))

    Xs = sp.csr_matrix(X)
    h = np.diag(H).copy()
    v = np.ones(p)
    jw = 1.0 / np.sqrt(h + alpha * v)
    from fastridge._view import Design

    design = Design(Xs, xbar, np.ones(p), True, sw=w if weighted else None)
    x, b = np.zeros(p), np.empty(p)
    measure, tol_abs, n_iter = _cg_fast.ridge_cg(
        design, np.ascontiguousarray(yc), x, b, alpha=alpha, v=v, h=h, jw=jw, dual=False,
        tol=tol, max_iter=200, nthreads=nthreads)
    # cond(H + αI) ≈ 2 here: the relative error is ≈ tol plus the rounding floor (~3e-13)
    assert measure <= tol_abs and n_iter < 200, (measure, tol_abs, n_iter)
    assert _rel(b, oracle) <= 1e-10


def test_cg_csr_offset_columns_through_the_api(monkeypatch):
    # the same data through Ridge with two kernel threads (FASTRIDGE_NUM_THREADS, read at
    # each fit): whatever route "cg" takes for such columns, the answer is the closed form
    # with a working memory too small for the 50 x 50 Gram, the threaded CSR kernel itself
    # (implicit centring, real column means) runs
    from fastridge import config_context

    X, y, w = _offset_csr_problem(seed=1)
    monkeypatch.setenv("FASTRIDGE_NUM_THREADS", "2")
    for memory in (None, 1e-3):
        for weights in (None, w):
            coef, b0 = ridge_oracle(X, y, 1.0, sample_weight=weights)
            with config_context(**({} if memory is None else {"working_memory": memory})):
                got = Ridge(alpha=1.0, solver="cg", tol=1e-12).fit(sp.csr_matrix(X), y,
                                                                    sample_weight=weights)
            assert _rel(got.coef_, coef) <= 1e-10
            # β₀ = ȳ − x̄ᵀβ: within ‖x̄‖ times the coefficients' error bound (Cauchy–Schwarz);
            # on the Gram route (exactly centred) also within 1e-10 of itself
            xbar = np.average(X, axis=0, weights=weights)
            bound = 1e-10 * (np.linalg.norm(xbar) * np.linalg.norm(coef) + abs(b0))
            assert abs(got.intercept_ - b0) <= (bound if memory else 1e-10 * abs(b0))


# ------------------------------------------------------------------------------------------
# b. coordinate descent with non-uniform penalty factors
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("shape", [(300, 12), (30, 20)], ids=["gram_form", "residual_form"])
def test_cd_penalty_factors_closed_form(standardize, shape):
    # n ≥ 2p runs CD on the Gram, n < 2p (F-ordered X) on X with residual updates: both
    # kernels.  The objective: Σ w (y − Xβ − β₀)² + α Σ vⱼ (sⱼβⱼ)² with sⱼ the weighted SD
    # when standardizing (1 otherwise), the factors used as given (no rescaling to sum p)
    n, p = shape
    # a column whose mean exceeds its spread sends CD to the (exactly centred) Gram: the
    # residual form is reached with centred columns only
    X, y = make_data(n=n, p=p, cond=5.0, offset=2.0 if n >= 2 * p else 0.0, seed=7)
    X = np.asfortranarray(X * np.linspace(0.5, 4.0, p))   # columns of different spreads
    rng = np.random.default_rng(7)
    w = rng.uniform(0.2, 3.0, n)
    pf = np.tile([0.0, 0.5, 3.0], p)[:p]
    alpha, tol = 7.0, 1e-13
    coef, b0 = ridge_oracle(X, y, alpha, sample_weight=w, standardize=standardize,
                            penalty_factor=pf)
    got = Ridge(alpha=alpha, solver="cd", tol=tol, standardize=standardize,
                penalty_factor=pf, max_iter=100_000).fit(X, y, sample_weight=w)
    assert got.solver_ == "cd"
    # CD stops at a relative (unit-scale) gradient ≤ tol: the error is ≤ cond · tol times a
    # modest constant; cond(Hessian) < 1e4 here, so 1e-8 leaves a margin of ~100 over it
    assert _rel(got.coef_, coef) <= 1e-8
    assert abs(got.intercept_ - b0) <= 1e-8 * max(abs(b0), np.abs(coef).max())
    # the unpenalized columns matter: the same fit with every factor 1 is far from it
    uniform, _ = ridge_oracle(X, y, alpha, sample_weight=w, standardize=standardize)
    assert _rel(uniform, coef) > 1e-3


# ------------------------------------------------------------------------------------------
# c. the sparse statistics pass with implicit (and explicit) zeros
# ------------------------------------------------------------------------------------------
def _sparse_blocks_problem(offset_column, seed=11):
    """n = 240 rows in 3 blocks of 80: columns 0-4 sparse (~15 % stored), column 5 stored
    zeros only (explicit zeros), column 6 empty in the first block (all implicit zeros there),
    column 7 a near-constant positive column with a few implicit zeros (`offset_column`: its
    mean far beyond its spread, which sends the statistics to their exact second pass)."""
    rng = np.random.default_rng(seed)
    n, p = 240, 8
    X = np.where(rng.random((n, p)) < 0.15, rng.standard_normal((n, p)) * 3.0 + 1.0, 0.0)
    X[:80, 6] = 0.0
    X[80:, 6] = np.where(rng.random(160) < 0.3, rng.uniform(1.0, 2.0, 160), 0.0)
    X[:, 7] = (50.0 + rng.uniform(-1.0, 1.0, n)) if offset_column else X[:, 7]
    if offset_column:
        X[rng.choice(n, 3, replace=False), 7] = 0.0
    X[:, 5] = 0.0
    y = X @ rng.standard_normal(p) + 0.5 * rng.standard_normal(n) + 2.0
    w = rng.uniform(0.1, 2.0, n)
    return X, y, w


def _with_explicit_zeros(X, fmt, seed=0):
    """X as CSR/CSC with some zeros stored explicitly (column 5 in full, and a few others)."""
    rng = np.random.default_rng(seed)
    M = sp.coo_matrix(X)
    extra = rng.random(X.shape) < 0.05
    extra[:, 5] = True
    rows, cols = np.nonzero(extra & (X == 0))
    data = np.concatenate([M.data, np.zeros(rows.size)])
    out = sp.coo_matrix((data, (np.concatenate([M.row, rows]), np.concatenate([M.col, cols]))),
                        shape=X.shape).asformat(fmt)
    out.sum_duplicates()
    assert out.nnz > np.count_nonzero(X)        # explicit zeros really are stored
    return out


@pytest.mark.parametrize("offset_column", [False, True])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_statistics_implicit_zeros(fmt, standardize, offset_column):
    X, y, w = _sparse_blocks_problem(offset_column)
    alpha = 0.3
    # an all-zero column has no spread: coefficient 0, and the others as without it
    keep = np.arange(X.shape[1]) != 5
    coef = np.zeros(X.shape[1])
    coef[keep], b0 = ridge_oracle(X[:, keep], y, alpha, sample_weight=w,
                                  standardize=standardize)
    Xs = _with_explicit_zeros(X, fmt)
    kw = dict(alpha=alpha, standardize=standardize)
    # cond of the centred weighted Hessian here < 1e3: a direct solver keeps ≥ 1e-12
    direct = Ridge(solver="cholesky", **kw).fit(Xs, y, sample_weight=w)
    assert _rel(direct.coef_, coef) <= 1e-12
    assert abs(direct.intercept_ - b0) <= 1e-12 * abs(b0)
    stream = Ridge(**kw)
    for rows in (slice(0, 80), slice(80, 160), slice(160, 240)):
        block = _with_explicit_zeros(X[rows], fmt, seed=rows.start)
        stream.partial_fit(block, y[rows], sample_weight=w[rows])
    assert _rel(stream.coef_, coef) <= 1e-12
    assert abs(stream.intercept_ - b0) <= 1e-12 * abs(b0)


# ------------------------------------------------------------------------------------------
# d. Jacobi-preconditioned CG does not see column scales
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["dense", "csr"])
@pytest.mark.parametrize("seed", [0, 1])
def test_cg_iterations_do_not_depend_on_column_scales(fmt, seed):
    # Columns scaled by s (2^-10 … 2^10, i.e. 1e-3 … 1e3) with penalty factors s² pose the
    # same problem: X' = X diag(s), β' = β / s, and the system becomes
    # diag(s) (H + αI) diag(s) β' = diag(s) c.  Jacobi-preconditioned CG is invariant under
    # this symmetric diagonal scaling (its preconditioner is rescaled the same way), and so
    # is the stopping rule (the gradient measured at unit column scale).  Powers of two make
    # the rescaling exact in floating point too, so the iterates agree up to the summation
    # order of the kernels: the counts may differ by at most a couple of iterations.  Without
    # the preconditioner the scaled system has cond ~1e12·cond(H) and CG needs hundreds.
    X, y = make_data(n=400, p=30, cond=10.0, offset=0.0, seed=seed)
    p = X.shape[1]
    s = 2.0 ** np.round(np.linspace(-10.0, 10.0, p))
    np.random.default_rng(seed).shuffle(s)
    conv = np.asarray if fmt == "dense" else sp.csr_matrix
    alpha, tol = 0.5, 1e-10
    coef, b0 = ridge_oracle(X, y, alpha)
    unit = Ridge(alpha=alpha, solver="cg", tol=tol, standardize=False).fit(conv(X), y)
    scaled = Ridge(alpha=alpha, solver="cg", tol=tol, standardize=False,
                   penalty_factor=s * s).fit(conv(X * s), y)
    assert unit.solver_ == scaled.solver_ == "cg"
    assert abs(int(scaled.n_iter_) - int(unit.n_iter_)) <= 2, (unit.n_iter_, scaled.n_iter_)
    assert unit.n_iter_ <= 60        # ≤ 2p: a converged run, not one that hit a cap
    # ‖g‖ ≤ tol‖g(0)‖ bounds the relative error by cond(H + αI) · tol (≈ 100 · tol here)
    H = np.cov(X.T, bias=True) * X.shape[0] + alpha * np.eye(p)
    bound = 10.0 * np.linalg.cond(H) * tol
    assert _rel(unit.coef_, coef) <= bound
    assert _rel(scaled.coef_ * s, coef) <= bound
    assert abs(scaled.intercept_ - b0) <= bound * max(abs(b0), 1.0)
