"""ridge_path: each point equals an independent exact fit, warm starts pay, the grid follows the
rule, df matches an independent SVD, verbose reports progress."""
import re

import numpy as np
import pytest

from conftest import make_data, ridge_oracle
from fastridge import Ridge, ridge_path
from fastridge.exceptions import ConvergenceWarning

SOLVERS = ("auto", "cholesky", "svd", "cd", "cg")


def _conv(kind):
    if kind == "dense":
        return lambda A: A
    sp = pytest.importorskip("scipy.sparse")
    return sp.csr_array if kind == "csr" else sp.csc_matrix


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("kind", ["dense", "csr", "csc"])
@pytest.mark.parametrize("shape", [(120, 10), (25, 60)])
def test_each_point_equals_exact_fit(solver, kind, shape):
    n, p = shape
    X, y = make_data(n=n, p=p, seed=1)
    w = np.random.default_rng(2).uniform(0.5, 2.0, n)
    path = ridge_path(_conv(kind)(X), y, n_alphas=15, sample_weight=w, solver=solver,
                      tol=1e-12, max_iter=20000)
    assert path.coef.shape == (15, p) and path.intercept.shape == (15,)
    assert np.all(np.diff(path.alphas) < 0)
    for i, a in enumerate(path.alphas):
        coef, intercept = ridge_oracle(X, y, a, sample_weight=w)
        np.testing.assert_allclose(path.coef[i], coef, rtol=1e-7, atol=1e-9 * np.abs(coef).max())
        np.testing.assert_allclose(path.intercept[i], intercept, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("solver", SOLVERS)
def test_standardize_penalty_factor_multitarget(solver):
    X, Y = make_data(n=80, p=7, k=2, seed=3)
    X = X * np.geomspace(0.01, 100, 7)
    pf = np.array([1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 1.0])
    path = ridge_path(X, Y, alphas=[0.3, 30.0, 3.0], standardize=True, penalty_factor=pf,
                      solver=solver, tol=1e-12, max_iter=20000)
    np.testing.assert_array_equal(path.alphas, [30.0, 3.0, 0.3])
    np.testing.assert_array_equal(path.order, [1, 2, 0])
    assert path.coef.shape == (3, 2, 7) and path.intercept.shape == (3, 2)
    for i, a in enumerate(path.alphas):
        coef, intercept = ridge_oracle(X, Y, a, standardize=True, penalty_factor=pf)
        np.testing.assert_allclose(path.coef[i], coef, rtol=1e-7, atol=1e-10)
        np.testing.assert_allclose(path.intercept[i], intercept, rtol=1e-7)
    pred = path.predict(X[:5])
    assert pred.shape == (5, 3, 2)
    np.testing.assert_allclose(pred[:, 1, :], X[:5] @ path.coef[1].T + path.intercept[1],
                               rtol=1e-12)


def test_zero_penalty_factor_path():
    """An unpenalized feature: no spectral path; the solvers still agree with the oracle."""
    X, y = make_data(n=60, p=6, seed=4)
    pf = np.array([0.0, 1, 1, 1, 1, 1])
    path = ridge_path(X, y, n_alphas=8, penalty_factor=pf, tol=1e-12, max_iter=20000)
    assert path.solver != "eigen" and path.df is None
    for i, a in enumerate(path.alphas):
        np.testing.assert_allclose(path.coef[i], ridge_oracle(X, y, a, penalty_factor=pf)[0],
                                   rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("solver", ["cd", "cg"])
@pytest.mark.parametrize("kind,shape", [("dense", (500, 50)), ("csr", (600, 100)),
                                        ("csc", (100, 300))])
def test_warm_start_beats_cold_fits(solver, kind, shape):
    X, y = make_data(n=shape[0], p=shape[1], seed=5, cond=100.0)
    Xc = _conv(kind)(X)
    path = ridge_path(Xc, y, solver=solver)
    cold = sum(Ridge(alpha=a, solver=solver).fit(Xc, y).n_iter_ for a in path.alphas)
    assert path.n_iter.sum() <= 0.6 * cold, (path.n_iter.sum(), cold)


def test_default_grid_follows_the_rule():
    X, y = make_data(n=50, p=8, seed=6)
    w = np.random.default_rng(7).uniform(0.5, 2.0, 50)
    pf = np.array([1.0, 0.0, 2.0, 1.0, 1.0, 1.0, 0.5, 1.0])
    path = ridge_path(X, y, sample_weight=w, penalty_factor=pf, standardize=True,
                      n_alphas=40, solver="cg", tol=1e-8)
    xm, ym = w @ X / w.sum(), w @ y / w.sum()
    Z = (X - xm) / np.sqrt(w @ (X - xm) ** 2 / w.sum())
    sigma_y = np.sqrt(w @ (y - ym) ** 2 / w.sum())
    pen = pf > 0
    # the residual of the weighted least-squares fit on the unpenalized column (glmnet's
    # gradient at λ = ∞)
    Zu, sq = Z[:, ~pen], np.sqrt(w)
    r = (y - ym) - Zu @ np.linalg.lstsq(sq[:, None] * Zu, sq * (y - ym), rcond=None)[0]
    c = np.abs(Z.T @ (w * r))
    amax = np.max(c[pen] / (pf[pen] * 0.001 * sigma_y))
    np.testing.assert_allclose(path.alphas, np.geomspace(amax, amax * 1e-4, 40), rtol=1e-10)
    wide = ridge_path(make_data(n=10, p=30, seed=8)[0], make_data(n=10, p=30, seed=8)[1],
                      n_alphas=5)
    np.testing.assert_allclose(wide.alphas[-1] / wide.alphas[0], 1e-2, rtol=1e-12)
    assert ridge_path(X, y, n_alphas=5, alpha_min_ratio=0.1).alphas[-1] == \
        pytest.approx(ridge_path(X, y, n_alphas=5).alphas[0] * 0.1)


@pytest.mark.parametrize("shape", [(60, 8), (15, 40)])
def test_df_equals_independent_svd(shape):
    X, y = make_data(n=shape[0], p=shape[1], seed=9)
    path = ridge_path(X, y, n_alphas=12, standardize=True)
    assert path.solver == "eigen"
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    d = np.linalg.svd(Z, compute_uv=False)
    expected = [(d**2 / (d**2 + a)).sum() for a in path.alphas]
    np.testing.assert_allclose(path.df, expected, rtol=1e-10)


def test_warns_once_listing_alphas():
    X, y = make_data(n=40, p=30, seed=10, cond=1e4)
    with pytest.warns(ConvergenceWarning, match="alpha = ") as rec:
        ridge_path(X, y, n_alphas=5, solver="cd", max_iter=1, tol=1e-14)
    assert sum(issubclass(r.category, ConvergenceWarning) for r in rec) == 1


def test_bad_arguments():
    X, y = make_data(seed=11)
    with pytest.raises(ValueError, match="alphas"):
        ridge_path(X, y, alphas=[1.0, -1.0])
    with pytest.raises(ValueError, match="alphas"):
        ridge_path(X, y, alphas=[])
    with pytest.raises(ValueError, match="n_alphas"):
        ridge_path(X, y, n_alphas=0)
    with pytest.raises(ValueError, match="alpha_min_ratio"):
        ridge_path(X, y, alpha_min_ratio=2.0)
    with pytest.raises(ValueError, match="solver"):
        ridge_path(X, y, solver="magic")
    path = ridge_path(X, y, n_alphas=3)
    with pytest.raises(ValueError, match="features"):
        path.predict(X[:, :3])


def test_feature_names_from_dataframe():
    pd = pytest.importorskip("pandas")
    X, y = make_data(n=30, p=3, seed=12)
    path = ridge_path(pd.DataFrame(X, columns=["a", "b", "c"]), y, n_alphas=4)
    assert list(path.feature_names) == ["a", "b", "c"]


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("kind", ["dense", "csr"])
def test_float32_path_matches_float64(solver, kind):
    X, y = make_data(n=90, p=9, seed=13)
    conv = _conv(kind)
    p64 = ridge_path(conv(X), y, n_alphas=10, solver=solver, tol=1e-12, max_iter=20000)
    p32 = ridge_path(conv(X.astype(np.float32)), y.astype(np.float32), n_alphas=10,
                     solver=solver, tol=1e-6, max_iter=20000)
    assert p32.coef.dtype == np.float32 and p32.intercept.dtype == np.float32
    np.testing.assert_allclose(p32.alphas, p64.alphas, rtol=1e-5)
    np.testing.assert_allclose(p32.coef, p64.coef, rtol=2e-4, atol=2e-4 * np.abs(p64.coef).max())
    assert p32.predict(X.astype(np.float32)).dtype == np.float32


def test_spectral_kernel_form_keeps_digits_when_ill_conditioned():
    """p > n with two nearly identical rows and tiny α: the spectral path falls back to the
    SVD of the design and agrees with the svd solver."""
    rng = np.random.default_rng(14)
    X = rng.standard_normal((10, 30))
    X[1] = X[0] + 1e-5 * rng.standard_normal(30)
    y = rng.standard_normal(10)
    path = ridge_path(X, y, alphas=[1e-10])
    ref = Ridge(alpha=1e-10, solver="svd").fit(X, y).coef_
    np.testing.assert_allclose(path.coef[0], ref, rtol=1e-8, atol=1e-8 * np.abs(ref).max())


# ------------------------------------------------------------------------------ verbose
_STEP = re.compile(r"^\[ridge_path\] alpha (\d+)/(\d+) \((\d+)%\): alpha=(\S+), (\d+) "
                   r"iterations, elapsed \d+(\.\d+)? s$")


def _path_lines(err):
    return [line for line in err.splitlines() if line.startswith("[ridge_path]")]


def test_path_is_silent_by_default(capsys):
    X, y = make_data(40, 5)
    ridge_path(X, y, n_alphas=30, solver="cd")
    ridge_path(X, y, n_alphas=30, verbose=0)
    ridge_path(X, y, n_alphas=30, verbose=False)
    out, err = capsys.readouterr()
    assert out == "" and err == ""


@pytest.mark.parametrize("solver", ["auto", "cd", "cg", "cholesky", "svd"])
def test_path_verbose_1_reports_every_tenth_and_a_summary(capsys, solver):
    X, y = make_data(60, 6)
    path = ridge_path(X, y, n_alphas=25, solver=solver, verbose=1)
    out, err = capsys.readouterr()
    assert out == ""  # progress goes to stderr only
    lines = _path_lines(err)
    assert len(lines) == len(err.splitlines())
    header, steps, summary = lines[0], lines[1:-1], lines[-1]
    assert header.startswith(f"[ridge_path] 25 alphas from {path.alphas[0]:.4g} down to "
                             f"{path.alphas[-1]:.4g}, solver {path.solver!r}, X 60 x 6 dense, "
                             "1 target")
    parsed = [_STEP.match(line) for line in steps]
    assert all(parsed), steps
    done = [int(m.group(1)) for m in parsed]
    # one line each time another tenth of the grid is done: α 3, 5, 8, 10, ..., 25
    assert done == [3, 5, 8, 10, 13, 15, 18, 20, 23, 25]
    assert all(int(m.group(2)) == 25 for m in parsed)
    assert [float(m.group(4)) for m in parsed] == pytest.approx(
        [float(f"{a:.4g}") for a in path.alphas[np.array(done) - 1]])
    assert [int(m.group(5)) for m in parsed] == list(path.n_iter[np.array(done) - 1])
    assert re.fullmatch(rf"\[ridge_path\] done: 25 alphas in \d+(\.\d+)? s, "
                        rf"{int(path.n_iter.sum())} iterations in all, solver "
                        rf"{path.solver!r}", summary)


def test_path_verbose_2_reports_every_alpha(capsys):
    X, y = make_data(50, 4, k=2)
    path = ridge_path(X, y, alphas=[1.0, 100.0, 10.0], solver="cg", verbose=2)
    lines = _path_lines(capsys.readouterr().err)
    assert len(lines) == 1 + 3 + 1
    assert "X 50 x 4 dense, 2 targets" in lines[0]
    assert [int(_STEP.match(line).group(1)) for line in lines[1:4]] == [1, 2, 3]
    # the order solved: descending
    assert [float(_STEP.match(line).group(4)) for line in lines[1:4]] == [100.0, 10.0, 1.0]
    assert path.solver == "cg"


def test_path_verbose_small_grid_and_sparse(capsys):
    sp = pytest.importorskip("scipy.sparse")
    X, y = make_data(40, 5)
    ridge_path(sp.csr_array(X), y, n_alphas=4, verbose=True)
    lines = _path_lines(capsys.readouterr().err)
    assert "X 40 x 5 sparse csr" in lines[0]
    # fewer α than ten: every α is a tenth or more of the grid
    assert len(lines) == 1 + 4 + 1


def test_path_verbose_names_max_iter_in_summary(capsys):
    X, y = make_data(40, 20, cond=1e4)
    with pytest.warns(ConvergenceWarning):
        ridge_path(X, y, n_alphas=5, solver="cd", max_iter=1, tol=1e-14, verbose=1)
    summary = _path_lines(capsys.readouterr().err)[-1]
    assert re.search(r"max_iter reached at [1-5] alpha$", summary)


@pytest.mark.parametrize("bad, exc", [(-1, ValueError), (1.5, TypeError), ("yes", TypeError)])
def test_path_verbose_rejects_bad_values(bad, exc):
    X, y = make_data(20, 3)
    with pytest.raises(exc, match="verbose"):
        ridge_path(X, y, n_alphas=3, verbose=bad)
