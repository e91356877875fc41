"""Sufficient statistics and streaming fits (Ridge.partial_fit), against explicit float64 oracles
on the stacked data."""
import numpy as np
import pytest
import scipy.sparse as sp

from conftest import make_data, ridge_oracle
from fastridge import Ridge, _stats


def _blocks(n, size):
    return [slice(i, min(n, i + size)) for i in range(0, n, size)]


def _direct_stats(X, Y, w):
    """Weighted means and centred cross products computed the obvious way, in float64."""
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    w = np.ones(X.shape[0]) if w is None else np.asarray(w, dtype=np.float64)
    W = w.sum()
    xm, ym = w @ X / W, w @ Y / W
    Xc, Yc = X - xm, Y - ym
    return W, xm, ym, Xc.T @ (w[:, None] * Xc), Xc.T @ (w[:, None] * Yc), w @ (Yc * Yc)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("sparse", [False, True])
def test_block_stats_and_merge_equal_direct_sums(weighted, sparse):
    # columns with means 1e6 times their spread: raw sums XᵀX − W x̄x̄ᵀ would keep no digits
    rng = np.random.default_rng(1)
    n, p, k = 900, 6, 2
    X = rng.standard_normal((n, p)) + 1e6 * rng.uniform(1, 2, p)
    Y = X @ rng.standard_normal((p, k)) + rng.standard_normal((n, k))
    w = rng.uniform(0, 3, n) if weighted else None
    parts = []
    for sl in _blocks(n, 250):
        Xb = sp.csr_matrix(X[sl]) if sparse else X[sl]
        parts.append(_stats.block_stats(Xb, Y[sl], None if w is None else w[sl]))
    st = _stats.merge_all(parts)
    W, xm, ym, Mxx, Mxy, Myy = _direct_stats(X, Y, w)
    assert st.n == n and st.W == pytest.approx(W, rel=1e-14)
    np.testing.assert_allclose(st.xbar, xm, rtol=1e-14)
    np.testing.assert_allclose(st.ybar, ym, rtol=1e-12)
    scale = np.sqrt(np.outer(np.diag(Mxx), np.diag(Mxx)))
    assert np.abs(st.Mxx - Mxx).max() / scale.max() < 1e-9
    np.testing.assert_allclose(np.diag(st.Mxx), np.diag(Mxx), rtol=1e-8)
    np.testing.assert_allclose(st.Myy, Myy, rtol=1e-8)
    # merging is order-free (up to rounding) and `remove` inverts it
    st2 = _stats.merge_all(parts[::-1])
    np.testing.assert_allclose(st2.Mxx, st.Mxx, rtol=1e-8, atol=1e-8 * scale.max())
    rest = _stats.remove(st, parts[0])
    ref = _stats.merge_all(parts[1:])
    np.testing.assert_allclose(rest.xbar, ref.xbar, rtol=1e-12)
    np.testing.assert_allclose(rest.Mxy, ref.Mxy, rtol=1e-6, atol=1e-6 * np.abs(ref.Mxy).max())


def test_test_error_equals_direct_residuals():
    # the statistics' RSS against Σ w (y − Xβ − β₀)² evaluated row by row, for several fits
    X, Y = make_data(n=400, p=7, k=2, offset=1e4, noise=0.5, seed=3)
    w = np.random.default_rng(3).uniform(0.5, 2, 400)
    st = _stats.block_stats(X, Y, w)
    rng = np.random.default_rng(4)
    coef = rng.standard_normal((3, 2, 7))
    coef[0] = ridge_oracle(X, Y, 1.0, sample_weight=w)[0]          # a good fit: small RSS
    icpt = rng.standard_normal((3, 2))
    icpt[0] = ridge_oracle(X, Y, 1.0, sample_weight=w)[1]
    got = _stats.test_error(st, coef, icpt)
    for m in range(3):
        R = Y - X @ coef[m].T - icpt[m]
        np.testing.assert_allclose(got[m], w @ (R * R), rtol=1e-7)


@pytest.mark.parametrize("kw", [{}, {"standardize": True}, {"fit_intercept": False},
                                {"penalty_factor": np.r_[0.0, np.ones(7)]}])
@pytest.mark.parametrize("weighted", [False, True])
def test_partial_fit_equals_fit_on_stacked_rows(kw, weighted):
    X, Y = make_data(n=700, p=8, k=2, offset=50.0, seed=5)
    w = np.random.default_rng(5).uniform(0, 2, 700) if weighted else None
    ref_coef, ref_icpt = ridge_oracle(X, Y, 2.0, sample_weight=w, **kw)
    model = Ridge(alpha=2.0, **kw)
    for sl in _blocks(700, 96):
        model.partial_fit(X[sl], Y[sl], sample_weight=None if w is None else w[sl])
    # norm-wise: without an intercept the raw Gram of columns with means 50× their spread has
    # cond ≈ 1e7, which both the oracle's and our normal equations feel
    tol = 1e-7 if kw.get("fit_intercept") is False else 1e-9
    assert np.abs(model.coef_ - ref_coef).max() <= tol * np.abs(ref_coef).max()
    np.testing.assert_allclose(model.intercept_, ref_icpt, rtol=1e-8, atol=1e-8)
    assert model.stats_.n == 700 and model.n_features_in_ == 8


def test_partial_fit_sparse_and_float32_blocks():
    X, y = make_data(n=300, p=5, seed=6)
    ref_coef, ref_icpt = ridge_oracle(X, y, 0.5)
    m = Ridge(alpha=0.5)
    for sl in _blocks(300, 64):
        m.partial_fit(sp.csc_matrix(X[sl]), y[sl])
    np.testing.assert_allclose(m.coef_, ref_coef, rtol=1e-9)
    m32 = Ridge(alpha=0.5)
    for sl in _blocks(300, 64):
        m32.partial_fit(X[sl].astype(np.float32), y[sl].astype(np.float32))
    assert m32.coef_.dtype == np.float32
    np.testing.assert_allclose(m32.coef_, ref_coef, rtol=2e-3, atol=1e-3)


def test_partial_fit_set_params_resolves_for_a_new_alpha():
    X, y = make_data(n=200, p=6, seed=7)
    m = Ridge(alpha=1.0)
    for sl in _blocks(200, 50):
        m.partial_fit(X[sl], y[sl])
    m.set_params(alpha=30.0, standardize=True)
    ref_coef, ref_icpt = ridge_oracle(X, y, 30.0, standardize=True)
    np.testing.assert_allclose(m.coef_, ref_coef, rtol=1e-9)
    np.testing.assert_allclose(m.predict(X[:5]), X[:5] @ ref_coef + ref_icpt, rtol=1e-9)
    # a fit on rows starts afresh: the statistics are dropped
    m.fit(X[:100], y[:100])
    assert not hasattr(m, "stats_")


@pytest.mark.parametrize("solver", ["cd", "cg", "cholesky"])
def test_partial_fit_solvers_and_positive(solver):
    X, y = make_data(n=300, p=6, seed=8)
    m = Ridge(alpha=1.0, solver=solver, tol=1e-12)
    for sl in _blocks(300, 70):
        m.partial_fit(X[sl], y[sl])
    np.testing.assert_allclose(m.coef_, ridge_oracle(X, y, 1.0)[0], rtol=1e-8)
    if solver == "cd":
        mp = Ridge(alpha=1.0, positive=True, solver="cd", tol=1e-12)
        for sl in _blocks(300, 70):
            mp.partial_fit(X[sl], y[sl])
        ref = Ridge(alpha=1.0, positive=True, solver="cd", tol=1e-12).fit(X, y)
        np.testing.assert_allclose(mp.coef_, ref.coef_, rtol=1e-7, atol=1e-9)
        assert np.all(mp.coef_ >= 0)


def test_partial_fit_alpha_zero_singular_gives_min_norm():
    X, y = make_data(n=100, p=4, seed=9)
    X = np.column_stack([X, X[:, 0]])                         # a duplicate column
    m = Ridge(alpha=0.0)
    for sl in _blocks(100, 30):
        m.partial_fit(X[sl], y[sl])
    ref = Ridge(alpha=0.0, solver="svd").fit(X, y)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-7, atol=1e-9)
    assert m.coef_[0] == pytest.approx(m.coef_[-1], rel=1e-8)   # the minimum-norm split


def test_partial_fit_from_memmap_chunks(tmp_path):
    # the streaming use: data on disk, read chunk by chunk
    X, y = make_data(n=1000, p=5, seed=10)
    path = tmp_path / "X.f64"
    mm = np.memmap(path, dtype=np.float64, mode="w+", shape=X.shape)
    mm[:] = X
    mm.flush()
    del mm
    Xm = np.memmap(path, dtype=np.float64, mode="r", shape=X.shape)
    m = Ridge(alpha=3.0)
    for sl in _blocks(1000, 128):
        m.partial_fit(Xm[sl], y[sl])
    np.testing.assert_allclose(m.coef_, ridge_oracle(X, y, 3.0)[0], rtol=1e-10)


def test_partial_fit_errors():
    X, y = make_data(n=50, p=4, seed=11)
    m = Ridge().partial_fit(X[:20], y[:20])
    with pytest.raises(ValueError, match="X has 3 features, but Ridge is expecting 4"):
        m.partial_fit(X[20:, :3], y[20:])
    with pytest.raises(ValueError, match="target"):
        m.partial_fit(X[20:], np.column_stack([y[20:], y[20:]]))
    with pytest.raises(ValueError, match="NaN"):
        Ridge().partial_fit(np.full((3, 4), np.nan), y[:3])
    with pytest.raises(ValueError, match="Sample weights must contain at least one non-zero"):
        Ridge().partial_fit(X, y, sample_weight=np.zeros(50))
