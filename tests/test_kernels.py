"""Kernel contracts, tested on the compiled kernels directly (no estimator in between):
gradient ≤ scaled tol on exit, R = y − Xb on exit, a restart at the optimum takes 0 iterations,
dense = sparse, read-only inputs accepted, column statistics and the centred Gram exact."""
import numpy as np
import pytest

sp = pytest.importorskip("scipy.sparse")
from fastridge import _cd_fast, _cg_fast, _gram_fast  # noqa: E402
from fastridge._view import Design, Layout  # noqa: E402

DTYPES = [np.float64, np.float32]


def _problem(dt, n=50, p=12, seed=0, readonly=True):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)).astype(dt))
    X[rng.random((n, p)) < 0.3] = 0.0
    y = (X.astype(float) @ rng.standard_normal(p) + rng.standard_normal(n)).astype(dt)
    w = rng.uniform(0.5, 2.0, n).astype(dt)
    if readonly:
        for a in (X, y, w):
            a.setflags(write=False)
    return X, y, w


def _exact(X, y, w, alpha):
    X64 = X.astype(float)
    return np.linalg.solve(X64.T @ (w[:, None] * X64) + alpha * np.eye(X.shape[1]),
                           X64.T @ (w * y))


def _common(X, w):
    p = X.shape[1]
    zeros, ones = np.zeros(p), np.ones(p)
    h = (w[:, None] * X.astype(float) ** 2).sum(axis=0)
    return zeros, ones, h


def _jw(h, alpha):
    """The unit-scale weights 1/√(hⱼ + α) of the stopping rule (v = 1)."""
    return 1.0 / np.sqrt(h + alpha)


def _grad(X, y, w, alpha, b):
    X64 = X.astype(float)
    return X64.T @ (w * (y - X64 @ b)) - alpha * b


@pytest.mark.parametrize("dt", DTYPES)
def test_cd_dense_contract(dt):
    X, y, w = _problem(dt)
    zeros, ones, h = _common(X, w)
    alpha = 2.0
    b = np.zeros(X.shape[1], dtype=dt)
    R = y.copy()
    tol = 1e-5 if dt == np.float32 else 1e-10
    jw = _jw(h, alpha)
    t0 = tol * np.linalg.norm(jw * (X.astype(float).T @ (w * y)))
    design = Design(X, zeros, ones, False, sw=w)
    opts = dict(alpha=alpha, v=ones, h=h, jw=jw, W=float(w.sum()), positive=False, tol_abs=t0,
                max_iter=1000)
    m, ta, it = _cd_fast.ridge_cd(design, y, b, R, **opts)
    assert it >= 1 and m <= ta == t0
    g = _grad(X, y, w, alpha, b.astype(float))
    assert np.linalg.norm(jw * g) <= 1.01 * t0 + 1e-5 * (dt == np.float32)
    np.testing.assert_allclose(R, y - X.astype(float) @ b, rtol=1e-5, atol=1e-5 if
                               dt == np.float32 else 1e-12)
    np.testing.assert_allclose(b, _exact(X, y, w, alpha), rtol=1e-4 if dt == np.float32
                               else 1e-8, atol=1e-6)
    # restart at the optimum: zero sweeps, nothing changes
    b2, R2 = b.copy(), R.copy()
    m2, _, it2 = _cd_fast.ridge_cd(design, y, b2, R2, **opts)
    assert it2 == 0 and m2 <= t0
    np.testing.assert_array_equal(b2, b)
    # the same on CSC input
    Xs = sp.csc_array(X)
    bs = np.zeros_like(b)
    Rs = y.copy()
    _, _, its = _cd_fast.ridge_cd(Design(Xs, zeros, ones, False, sw=w), y, bs, Rs, **opts)
    np.testing.assert_allclose(bs, b, rtol=1e-4 if dt == np.float32 else 1e-9, atol=1e-6)


@pytest.mark.parametrize("dt", DTYPES)
def test_cd_gram_contract(dt):
    X, y, w = _problem(dt, seed=1)
    X64 = X.astype(float)
    G = np.asfortranarray((X64.T @ (w[:, None] * X64)).astype(dt))
    c = (X64.T @ (w * y)).astype(dt)
    G.setflags(write=False)
    c.setflags(write=False)
    ones = np.ones(X.shape[1])
    b = np.zeros(X.shape[1], dtype=dt)
    jw = _jw(np.diag(G).astype(float), 0.7)
    t0 = (1e-5 if dt == np.float32 else 1e-11) * np.linalg.norm(jw * c.astype(float))
    m, ta, it = _cd_fast.ridge_cd_gram(G, c, ones, 0.7, b, False, jw, t0, 10000)
    assert it >= 1 and m <= ta
    g = c.astype(float) - G.astype(float) @ b - 0.7 * b
    assert np.linalg.norm(jw * g) <= 1.01 * t0 + (1e-4 if dt == np.float32 else 0.0)
    _, _, it2 = _cd_fast.ridge_cd_gram(G, c, ones, 0.7, b, False, jw, t0, 10000)
    assert it2 == 0


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("mode", ["dense", "dense_c", "csr", "csc"])
@pytest.mark.parametrize("dual", [False, True])
def test_cg_contract(dt, mode, dual):
    n, p = (20, 45) if dual else (50, 12)
    X, y, w = _problem(dt, n=n, p=p, seed=2)
    zeros, ones, h = _common(X, w)
    alpha = 1.5
    Xin = {"dense": X, "dense_c": np.ascontiguousarray(X), "csr": sp.csr_array(X),
           "csc": sp.csc_array(X)}[mode]
    design = Design(Xin, zeros, ones, False, sw=w)
    assert design.layout == {"dense": Layout.DENSE_F, "dense_c": Layout.DENSE_C,
                             "csr": Layout.CSR, "csc": Layout.CSC}[mode]
    tol = 1e-5 if dt == np.float32 else 1e-11
    x = np.zeros(n if dual else p, dtype=dt)
    b = np.empty(p, dtype=dt)
    jw = _jw(h, alpha)
    opts = dict(alpha=alpha, v=ones, h=h, jw=jw, dual=dual, tol=tol, max_iter=1000)
    m, ta, it = _cg_fast.ridge_cg(design, y, x, b, **opts)
    assert it >= 1 and m <= ta
    assert ta == pytest.approx(tol * np.linalg.norm(jw * (X.astype(float).T @ (w * y))),
                               rel=1e-5 if dt == np.float32 else 1e-12)
    g = _grad(X, y, w, alpha, b.astype(float))
    assert np.linalg.norm(jw * g) <= 1.01 * ta + (1e-4 if dt == np.float32 else 0.0)
    np.testing.assert_allclose(b, _exact(X, y, w, alpha), rtol=1e-3 if dt == np.float32
                               else 1e-8, atol=1e-5 if dt == np.float32 else 1e-10)
    # warm restart from the returned unknown: 0 iterations
    b2 = np.empty(p, dtype=dt)
    _, _, it2 = _cg_fast.ridge_cg(design, y, x, b2, **opts)
    assert it2 == 0
    np.testing.assert_array_equal(b2, b)


@pytest.mark.parametrize("dt", DTYPES)
def test_design_reads_x_without_copy(dt):
    """The design holds X itself (C order through its transpose), the sparse arrays as given
    and √w rounded once from float64; the input arrays are left unchanged."""
    X, _, w = _problem(dt, n=30, p=7, seed=8)
    Xc = np.ascontiguousarray(X)
    zeros, ones, _ = _common(X, w)
    for Xin, layout in ((X, Layout.DENSE_F), (Xc, Layout.DENSE_C)):
        des = Design(Xin, zeros, ones, True, sw=w)
        assert des.layout == layout and (des.n, des.p) == (30, 7) and des.dtype == dt
        assert np.shares_memory(des.dense, Xin)
        np.testing.assert_array_equal(des.dense.T if layout == Layout.DENSE_C else des.dense, X)
    for Xs, layout in ((sp.csr_array(X), Layout.CSR), (sp.csc_array(X), Layout.CSC)):
        des = Design(Xs, zeros, ones, False)
        assert des.layout == layout and not des.weighted and des.sw.size == des.sqw.size == 0
        assert des.data is Xs.data and des.indices is Xs.indices and des.indptr is Xs.indptr
    des = Design(X, zeros, ones, True, sw=w)
    assert des.sw is w
    np.testing.assert_array_equal(des.sqw, np.sqrt(w.astype(np.float64)).astype(dt))
    # mixed index types (scipy can produce them) become one int64 type, values unchanged
    Xs = sp.csr_array(X)
    Xs.indptr = Xs.indptr.astype(np.int64)
    des = Design(Xs, zeros, ones, False)
    assert des.indices.dtype == des.indptr.dtype == np.int64
    np.testing.assert_array_equal(des.indices, Xs.indices)


def test_design_and_ridge_cg_refuse_inconsistent_input():
    X, y, w = _problem(np.float64, n=30, p=7, seed=9)
    zeros, ones, h = _common(X, w)
    with pytest.raises(TypeError, match="X must be"):
        Design(X.tolist(), zeros, ones, False)
    with pytest.raises(TypeError, match="X must be float32 or float64"):
        Design(X.astype(np.int64), zeros, ones, False)
    with pytest.raises(ValueError, match=r"xbar must have shape \(7,\)"):
        Design(X, zeros[:6], ones, False)
    with pytest.raises(ValueError, match=r"sw must have shape \(30,\)"):
        Design(X, zeros, ones, False, sw=w[:29])
    des = Design(X, zeros, ones, False, sw=w)
    opts = dict(alpha=1.0, v=ones, h=h, jw=_jw(h, 1.0), dual=False, tol=1e-8, max_iter=10)
    b = np.empty(7)
    with pytest.raises(ValueError, match="y must be a float64 array of shape"):
        _cg_fast.ridge_cg(des, y.astype(np.float32), np.zeros(7), b, **opts)
    with pytest.raises(ValueError, match=r"x must be a float64 array of shape \(30,\)"):
        _cg_fast.ridge_cg(des, y, np.zeros(7), b, **{**opts, "dual": True})
    with pytest.raises(ValueError, match=r"jw must be a float64 array of shape \(7,\)"):
        _cg_fast.ridge_cg(des, y, np.zeros(7), b, **{**opts, "jw": ones[:3]})
    # coordinate descent reads X by columns: a row layout is refused, not misread
    cd = dict(alpha=1.0, v=ones, h=h, jw=_jw(h, 1.0), W=float(w.sum()), positive=False,
              tol_abs=1e-8, max_iter=10)
    for Xr in (np.ascontiguousarray(X), sp.csr_array(X)):
        with pytest.raises(ValueError, match="needs a design of layout DENSE_F or CSC"):
            _cd_fast.ridge_cd(Design(Xr, zeros, ones, False), y, b, y.copy(), **cd)
    with pytest.raises(ValueError, match=r"R must be a float64 array of shape \(30,\)"):
        _cd_fast.ridge_cd(des, y, b, y[:7].copy(), **cd)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("center", [True, False])
def test_column_stats(dt, order, center):
    X, _, w = _problem(dt, seed=3)
    X = np.array(X + 1e3, order=order)
    mean, ss = np.empty(X.shape[1]), np.empty(X.shape[1])
    W = _gram_fast.column_stats_dense(X, w, center, mean, ss)
    X64, w64 = X.astype(float), w.astype(float)
    m_ref = w64 @ X64 / w64.sum() if center else np.zeros(X.shape[1])
    np.testing.assert_allclose(W, w64.sum(), rtol=1e-12)
    np.testing.assert_allclose(mean, m_ref, rtol=1e-12)
    np.testing.assert_allclose(ss, w64 @ (X64 - m_ref) ** 2, rtol=1e-9)
    for fmt in ("csr", "csc"):
        Xs = sp.csr_array(X) if fmt == "csr" else sp.csc_array(X)
        m2, s2 = np.empty(X.shape[1]), np.empty(X.shape[1])
        _gram_fast.column_stats_sparse(Xs.data, Xs.indices, Xs.indptr, X.shape[0], fmt == "csc",
                                       w, center, m2, s2, np.empty(X.shape[1]))
        np.testing.assert_allclose(m2, m_ref, rtol=1e-12)
        np.testing.assert_allclose(s2, w64 @ (X64 - m_ref) ** 2, rtol=1e-9)


@pytest.mark.parametrize("order", ["C", "F"])
def test_centred_gram_keeps_digits(order):
    """Means 1e7 × the spread: the blockwise centred Gram matches the exactly centred one where
    XᵀX − n x̄x̄ᵀ would lose about 14 digits."""
    rng = np.random.default_rng(4)
    n, p = 3000, 7
    X = np.array(rng.standard_normal((n, p)) + 1e7, order=order)
    Y = np.asfortranarray(rng.standard_normal((n, 2)))
    mean, ss = np.empty(p), np.empty(p)
    _gram_fast.column_stats_dense(X, np.empty(0), True, mean, ss)
    e = rng.uniform(0.5, 2.0, p)
    sqw = np.sqrt(rng.uniform(0.5, 2.0, n))
    G = np.empty((p, p), order="F")
    C = np.empty((p, 2), order="F")
    _gram_fast.gram_dense(X, mean, e, sqw, Y, G, C, 256)
    Z = (X - mean) * e * sqw[:, None]
    np.testing.assert_allclose(G, Z.T @ Z, rtol=1e-12)
    np.testing.assert_allclose(C, Z.T @ (Y * sqw[:, None]), rtol=1e-10, atol=1e-9)
    K = np.empty((n // 10, n // 10), order="F")
    Xs = np.array(X[: n // 10], order=order)
    _gram_fast.kernel_dense(Xs, mean, e, sqw[: n // 10], K, 3)
    Zs = Z[: n // 10]
    np.testing.assert_allclose(K, Zs @ Zs.T, rtol=1e-11, atol=1e-11 * np.abs(Zs @ Zs.T).max())
    out = np.empty((p, 2), order="F")
    A = np.asfortranarray(Y[: n // 10])
    _gram_fast.zt_dense(Xs, mean, e, sqw[: n // 10], A, out, 3)
    np.testing.assert_allclose(out, Zs.T @ A, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("y_order", ["C", "F"])
@pytest.mark.parametrize("k", [3, 9])
def test_one_pass_shifted_gram(dt, order, center, y_order, k):
    """Statistics and the centred Gram from one read of X: the shift by the first block's mean
    makes the final rank-one correction harmless even with means 1e6 × the spread; the targets'
    centred sums of squares come from the same pass, for C- or F-ordered targets.  In float64,
    3 targets take the widened block (one syrk of [X − s, √w, √w (Y − t)]) and 9 the syrk and
    gemm pair."""
    rng = np.random.default_rng(5)
    n, p = 2500, 6
    off = 1e6 if (center and dt == np.float64) else (1e2 if center else 0.0)
    X = np.array(rng.standard_normal((n, p)) + off, order=order, dtype=dt)
    Y = np.array(rng.standard_normal((n, k)) * np.resize([1.0, 1e-3, 1e3], k)
                 + np.resize([5.0, 1e4, -3.0], k), dtype=dt, order=y_order)
    w = rng.uniform(0.5, 2.0, n)
    sqw = np.sqrt(w)
    G = np.empty((p, p), dtype=dt, order="F")
    C = np.empty((p, k), dtype=dt, order="F")
    s, t, cs, ys, ysq = np.empty(p), np.empty(k), np.empty(p), np.empty(k), np.empty(k)
    W = _gram_fast.gram_dense_shifted(X, Y, sqw, center, s, t, G, C, cs, ys, 300, ysq)
    X64, Y64 = X.astype(float), Y.astype(float)
    xm = w @ X64 / w.sum() if center else np.zeros(p)
    ym = w @ Y64 / w.sum() if center else np.zeros(k)
    delta, eps = (cs / W, ys / W) if center else (np.zeros(p), np.zeros(k))
    Gc = G.astype(float) - W * np.outer(delta, delta)
    Cc = C.astype(float) - W * np.outer(delta, eps)
    Xc, Yc = X64 - xm, Y64 - ym
    rtol = 1e-4 if dt == np.float32 else 1e-10
    np.testing.assert_allclose(W, w.sum(), rtol=1e-12)
    np.testing.assert_allclose(s + delta if center else np.zeros(p), xm,
                               rtol=1e-7 if dt == np.float32 else 1e-13)
    np.testing.assert_allclose(Gc, Xc.T @ (w[:, None] * Xc), rtol=rtol,
                               atol=rtol * np.abs(Xc.T @ (w[:, None] * Xc)).max())
    np.testing.assert_allclose(Cc, Xc.T @ (w[:, None] * Yc), rtol=rtol,
                               atol=rtol * np.abs(Xc.T @ (w[:, None] * Yc)).max())
    yy = ysq - ys * eps if center else ysq
    np.testing.assert_allclose(t + eps if center else np.zeros(k), ym,
                               rtol=1e-6 if dt == np.float32 else 1e-13)
    np.testing.assert_allclose(yy, w @ (Yc * Yc), rtol=1e-5 if dt == np.float32 else 1e-12)


@pytest.mark.parametrize("dt", DTYPES)
def test_cg_csr_threads_agree(dt):
    """The OpenMP-split CSR mat-vec gives the serial result up to rounding, whatever the number
    of threads (and runs serially when compiled without OpenMP)."""
    X, y, w = _problem(dt, n=300, p=40, seed=6)
    zeros, ones, h = _common(X, w)
    design = Design(sp.csr_array(X), zeros, ones, False, sw=w)
    out = []
    for nthreads in (1, 2, 3):
        x = np.zeros(40, dtype=dt)
        b = np.empty(40, dtype=dt)
        _cg_fast.ridge_cg(design, y, x, b, alpha=0.5, v=ones, h=h, jw=_jw(h, 0.5), dual=False,
                          tol=1e-5 if dt == np.float32 else 1e-12, max_iter=1000,
                          nthreads=nthreads)
        out.append(b)
    tol = 1e-4 if dt == np.float32 else 1e-10
    np.testing.assert_allclose(out[1], out[0], rtol=tol, atol=tol)
    np.testing.assert_allclose(out[2], out[0], rtol=tol, atol=tol)
    np.testing.assert_allclose(out[0], _exact(X, y, w, 0.5), rtol=10 * tol, atol=10 * tol)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("weighted", [False, True])
def test_column_stats_dense_one_pass_rows(dt, layout, weighted):
    """The row-ordered statistics are one pass shifted by the first rows' weighted mean: they
    must keep every digit with means 1e8 × the spread, an odd row count, rows sorted so that
    the first rows are the least representative, and zero-weight rows of garbage at the top."""
    rng = np.random.default_rng(11)
    n, p = 1001, 9
    X = (np.sort(rng.standard_normal((n, p)), axis=0) * np.logspace(-2, 2, p)
         + 1e8 * (dt == np.float64))
    w = rng.uniform(0.5, 2.0, n)
    if weighted:
        w[:300] = 0.0
        X[:300] = 1e9
    X = X.astype(dt)
    if layout == "F":
        X = np.asfortranarray(X)
    elif layout == "strided":
        X = np.repeat(X, 2, axis=1)[:, ::2]
    sw = w.astype(dt) if weighted else np.empty(0, dtype=dt)
    from fractions import Fraction

    X64 = X.astype(np.float64)
    w64 = sw.astype(np.float64) if weighted else np.ones(n)
    wf = [Fraction(v) for v in w64]
    Wf = sum(wf)
    for center in (True, False):
        mean, ss = np.empty(p), np.empty(p)
        W = _gram_fast.column_stats_dense(X, sw, center, mean, ss)
        assert W == pytest.approx(float(Wf), rel=1e-14)
        for j in range(p):  # exact rational oracle
            xf = [Fraction(v) for v in X64[:, j]]
            m = sum(a * b for a, b in zip(wf, xf)) / Wf if center else Fraction(0)
            s2 = sum(a * (b - m) ** 2 for a, b in zip(wf, xf))
            assert mean[j] == pytest.approx(float(m), rel=1e-13, abs=1e-13 * float(s2 / Wf) ** 0.5)
            assert ss[j] == pytest.approx(float(s2), rel=1e-13)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("order", ["C", "F", "strided"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("case", ["plain", "scaled", "offset", "no_intercept"])
def test_kernel_and_zt_equal_the_centred_float64_products(dt, order, weighted, case):
    """`_design.kernel` (K = ẐẐᵀ) and `_design.zt` (ẐᵀA) on wide dense X, whichever route they
    take (one raw `syrk` centred in O(n²), or centred column blocks), equal the products of the
    explicitly centred, weighted, scaled float64 Ẑ = W^{1/2}(X − 1x̄ᵀ)diag(e); X is not
    modified."""
    from fastridge import _design, _preprocessing as P

    rng = np.random.default_rng(11)
    n, p = 40, 300
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2.0, p)
    if case == "offset":
        X[:, 3] += 1e6  # a mean far beyond the spread: the centred blocks keep its digits
    X = X.astype(dt)
    X = {"C": np.ascontiguousarray(X), "F": np.asfortranarray(X),
         "strided": np.asfortranarray(np.repeat(X, 2, axis=1))[:, ::2]}[order]
    before = X.copy()
    w = rng.uniform(0.5, 2.0, n) if weighted else None
    y = rng.standard_normal((n, 1))
    pr = P.prepare(X, y, None if w is None else w.astype(dt),
                   fit_intercept=case != "no_intercept", standardize=False)
    e = np.full(p, 0.7) if case == "scaled" else rng.uniform(0.5, 2.0, p) \
        if case == "offset" else np.ones(p)
    # the oracle centres in extended precision (the 1e6 column's mean, rounded to float64,
    # would put its own error of 1e6·2⁻⁵³ into every centred value)
    Xl = X.astype(np.longdouble)
    ww = np.ones(n) if w is None else w.astype(dt).astype(np.longdouble)
    xbar = ww @ Xl / ww.sum() if case != "no_intercept" else np.zeros(p)
    Z = (np.sqrt(ww)[:, None] * (Xl - xbar) * e).astype(np.float64)
    A = rng.standard_normal((n, 3))
    tol = 2e-5 if dt == np.float32 else 1e-11
    K_ref = Z @ Z.T
    np.testing.assert_allclose(_design.kernel(pr, e), K_ref, rtol=0,
                               atol=tol * np.abs(K_ref).max())
    ZtA = Z.T @ A
    np.testing.assert_allclose(_design.zt(pr, e, A), ZtA, rtol=0,
                               atol=tol * np.abs(ZtA).max())
    np.testing.assert_array_equal(X, before)
