"""RidgePath's classical choices of α and its off-grid solutions.

Oracles: R's ``MASS::lm.ridge`` (tests/data/mass_gcv/make.R and its CSV output: coefficients,
GCV, kHKB, kLW, select()), numpy closed forms written here, and brute-force ``Ridge`` refits.
The mapping, read from MASS's source (``print(MASS::lm.ridge)``): MASS centres X and y, divides
each column by its population SD (1/n), and minimizes ‖y − Xs b‖² + λ‖b‖², so λ is this
package's α with ``standardize=True``; its ``GCV`` is RSS/(n − df)², df = Σ d²/(d² + λ) without
the intercept, and RidgePath.gcv = RSS/n/(1 − df/n)² = n · GCV (same minimizer)."""
import contextlib
import io
import pathlib

import numpy as np
import pytest

from fastridge import Ridge, ridge_path

DATA = pathlib.Path(__file__).parent / "data" / "mass_gcv"
RTOL = 1e-10


def _csv(name):
    pd = pytest.importorskip("pandas")   # reads MASS's CSVs (the 'test' extra)

    return pd.read_csv(DATA / name)


def _mass(name):
    d = _csv("data.csv")
    d = d[d.dataset == name]
    xcols = [c for c in ["x1", "x2", "x3", "x4", "x5", "x6"] if d[c].notna().all()]
    X, y = d[xcols].to_numpy(), d["y"].to_numpy()
    r = _csv("ridge.csv")
    r = r[r.dataset == name]
    e = _csv("estimates.csv").set_index("dataset").loc[name]
    return X, y, r, e


def _rel(a, b):
    """Largest elementwise relative difference of a from b."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def _rel_rows(a, b):
    """Largest over the rows (one λ each) of max |a − b| / max |b| over that row's
    coefficients: the normwise error of a coefficient vector.  Elementwise it would be ill-posed
    where a coefficient crosses 0 along the path (Longley's GNP.deflator near λ = 0.0025, where
    rounding of order 1e-13 of the vector's size is 1e-10 of that entry: against the exact
    rational solution (tests/exact_rational.py) ours errs by 3e-13 normwise there, MASS's by
    2e-15)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b).max(axis=1) / np.abs(b).max(axis=1)))


DATASETS = ["synth", "longley"]


@pytest.mark.parametrize("name", DATASETS)
def test_coef_and_gcv_equal_mass(name):
    X, y, r, _ = _mass(name)
    p = X.shape[1]
    lam = r["lambda"].to_numpy()
    path = ridge_path(X, y, alphas=lam, standardize=True)
    back = np.argsort(path.order)                         # the path's rows in MASS's order
    raw = r[[f"coef{j}" for j in range(1, p + 1)]].to_numpy()
    assert _rel_rows(path.coef[back], raw) <= RTOL
    assert _rel(path.intercept[back], r["coef0"].to_numpy()) <= RTOL
    # MASS's scaled coefficients: ours times each column's population SD
    sd = X.std(axis=0)
    scaled = r[[f"scaled{j}" for j in range(1, p + 1)]].to_numpy()
    assert _rel_rows(path.coef[back] * sd, scaled) <= RTOL
    # GCV: ours is n times MASS's, so the same minimizer
    n = X.shape[0]
    mass_gcv = r["GCV"].to_numpy()
    assert _rel(path.gcv[back] / n, mass_gcv) <= RTOL
    assert np.argmin(path.gcv[back]) == np.argmin(mass_gcv)
    # the exact off-grid solutions give MASS's too
    coef, icpt = path.coef_at(alpha=lam)
    assert _rel_rows(coef, raw) <= RTOL and _rel(icpt, r["coef0"].to_numpy()) <= RTOL


@pytest.mark.parametrize("name", DATASETS)
def test_hkb_lw_and_select_equal_mass(name):
    X, y, r, e = _mass(name)
    path = ridge_path(X, y, alphas=r["lambda"].to_numpy(), standardize=True)
    assert _rel(path.hkb, e["kHKB"]) <= RTOL
    assert _rel(path.lw, e["kLW"]) <= RTOL
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert path.select() is None
    lines = out.getvalue().splitlines()
    # select.txt: MASS's own printout (7 significant digits, as R's format)
    txt = (DATA / "select.txt").read_text().split("## ")
    mass = [ln.split() for ln in next(t for t in txt if t.startswith(name)).splitlines()[1:]]
    ours = [ln.split() for ln in lines]
    assert [m[-1] for m in mass] == [o[-1] for o in ours]
    assert ours[0][:4] == ["modified", "HKB", "estimator", "is"]
    assert ours[1][:4] == ["modified", "L-W", "estimator", "is"]
    assert " ".join(ours[2][:-1]) == "smallest value of GCV at"
    assert float(ours[2][-1]) == pytest.approx(float(e["select_lambda"]), rel=1e-6)


def _spectral_oracle(X, y, w, standardize):
    """Centred, weighted (and standardized) design Z̃ = W^{1/2}(X − x̄)/sd, its SVD, ỹ."""
    w = np.ones(len(y)) if w is None else w
    W = w.sum()
    xbar, ybar = w @ X / W, w @ y / W
    Xc = X - xbar
    sd = np.sqrt(w @ Xc ** 2 / W) if standardize else np.ones(X.shape[1])
    Z = np.sqrt(w)[:, None] * Xc / sd
    yt = np.sqrt(w) * (y - ybar)
    return Z, yt, W


@pytest.mark.parametrize("weighted", [False, True])
def test_hkb_lw_closed_form_with_weights(weighted):
    """The modified estimators with weights: σ̂² = RSS_w/(n₊ − p − 1), γ the least-squares
    coefficients of W^{1/2}(X − x̄)/sd, HKB = (p − 2)σ̂²/‖γ‖², LW = (p − 2)σ̂² W/‖Z̃γ‖²."""
    rng = np.random.default_rng(3)
    n, p = 50, 6
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3, p) + 2
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    w = rng.uniform(0.2, 3.0, n) if weighted else None
    if weighted:
        w[:4] = 0.0
    path = ridge_path(X, y, n_alphas=5, standardize=True, sample_weight=w)
    Z, yt, W = _spectral_oracle(X, y, w, True)
    g = np.linalg.lstsq(Z, yt, rcond=None)[0]
    rss = np.sum((yt - Z @ g) ** 2)
    n_pos = n - (4 if weighted else 0)
    s2 = rss / (n_pos - p - 1)
    assert path.hkb == pytest.approx((p - 2) * s2 / (g @ g), rel=1e-11)
    assert path.lw == pytest.approx((p - 2) * s2 * W / np.sum((Z @ g) ** 2), rel=1e-11)


def test_multi_target_estimates_are_per_target():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 5))
    Y = X @ rng.standard_normal((5, 2)) + rng.standard_normal((40, 2))
    path = ridge_path(X, Y, n_alphas=8)
    both = ridge_path(X, Y[:, 1], alphas=path.alphas)
    assert path.hkb.shape == (2,) and path.gcv.shape == (8, 2) and path.loo.shape == (8, 2)
    assert path.hkb[1] == pytest.approx(both.hkb, rel=1e-12)
    assert path.lw[1] == pytest.approx(both.lw, rel=1e-12)
    np.testing.assert_allclose(path.gcv[:, 1], both.gcv, rtol=1e-12)
    np.testing.assert_allclose(path.loo[:, 1], both.loo, rtol=1e-12)


def test_loo_equals_brute_force_refits():
    rng = np.random.default_rng(5)
    n, p = 25, 4
    X = rng.standard_normal((n, p))
    y = X @ np.array([1.0, -1.0, 0.5, 0.0]) + rng.standard_normal(n)
    w = rng.uniform(0.5, 2.0, n)
    alphas = np.array([30.0, 3.0, 0.3])
    path = ridge_path(X, y, alphas=alphas, sample_weight=w)
    for i, a in enumerate(path.alphas):
        sq = []
        for j in range(n):
            keep = np.arange(n) != j
            m = Ridge(alpha=a, solver="svd").fit(X[keep], y[keep], sample_weight=w[keep])
            sq.append(w[j] * (y[j] - m.predict(X[j:j + 1])[0]) ** 2)
        assert path.loo[i] == pytest.approx(np.sum(sq) / w.sum(), rel=1e-9)


# ------------------------------------------------------------------ coef_at, predict_at, df
@pytest.mark.parametrize("kw", [dict(), dict(standardize=True),
                                dict(fit_intercept=False), dict(penalty_factor=[1, 2, .5, 1, 3])])
@pytest.mark.parametrize("weighted", [False, True])
def test_coef_at_equals_ridge_refit(kw, weighted):
    rng = np.random.default_rng(6)
    X = rng.standard_normal((30, 5)) * [1, 10, 0.1, 1, 5] + 3
    y = X @ rng.standard_normal(5) + rng.standard_normal(30)
    w = rng.uniform(0, 2, 30) if weighted else None
    path = ridge_path(X, y, n_alphas=7, sample_weight=w, **kw)
    for a in (1e-3, 0.77, 42.0, 3e4):
        coef, icpt = path.coef_at(alpha=a)
        ref = Ridge(alpha=a, solver="svd", **kw).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(coef, ref.coef_, rtol=1e-9,
                                   atol=1e-12 * np.abs(ref.coef_).max())
        assert icpt == pytest.approx(float(ref.intercept_), rel=1e-9, abs=1e-12)
        np.testing.assert_allclose(path.predict_at(X[:4], alpha=a), ref.predict(X[:4]),
                                   rtol=1e-9)


def test_coef_at_wide_and_multi_target_and_arrays():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((15, 40))
    Y = rng.standard_normal((15, 3))
    path = ridge_path(X, Y, n_alphas=6, solver="cg")      # the decomposition made on first use
    coef, icpt = path.coef_at(alpha=[5.0, 0.5])
    assert coef.shape == (2, 3, 40) and icpt.shape == (2, 3)
    for i, a in enumerate([5.0, 0.5]):
        ref = Ridge(alpha=a, solver="svd").fit(X, Y)
        np.testing.assert_allclose(coef[i], ref.coef_, rtol=1e-9, atol=1e-13)
        np.testing.assert_allclose(icpt[i], ref.intercept_, rtol=1e-9)
    pred = path.predict_at(X[:2], alpha=[5.0, 0.5])
    assert pred.shape == (2, 2, 3)
    np.testing.assert_allclose(pred[:, 1, :], Ridge(alpha=0.5, solver="svd").fit(X, Y)
                               .predict(X[:2]), rtol=1e-9)
    # on the grid, coef_at gives the path's own solutions
    c, _ = path.coef_at(alpha=path.alphas[2])
    np.testing.assert_allclose(c, path.coef[2], rtol=1e-5, atol=1e-9)


def _df_oracle(X, alpha, standardize=False):
    Z, _, _ = _spectral_oracle(X, np.zeros(X.shape[0]), None, standardize)
    d2 = np.linalg.svd(Z, compute_uv=False) ** 2
    return np.sum(d2 / (d2 + alpha))


@pytest.mark.parametrize("target", [1e-6, 0.3, 1.0, 2.5, 3.999999, 4.0])
def test_df_round_trip(target):
    rng = np.random.default_rng(8)
    X = rng.standard_normal((30, 4)) @ np.diag([1.0, 5.0, 0.2, 30.0])
    y = X @ np.ones(4) + rng.standard_normal(30)
    path = ridge_path(X, y, n_alphas=5)
    coef, _ = path.coef_at(df=target)
    model = Ridge(df=target).fit(X, y)
    a = model.alpha_
    if target == 4.0:
        assert a == 0.0
    else:
        assert _df_oracle(X, a) == pytest.approx(target, rel=1e-10)
    np.testing.assert_allclose(coef, model.coef_, rtol=1e-8, atol=1e-14)
    np.testing.assert_allclose(coef, path.coef_at(alpha=a)[0], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("s2", [np.geomspace(1e12, 1e-12, 30), np.array([5.0]),
                                np.full(3, 2.0), np.array([1e150, 1e-150])])
def test_alpha_for_df_solves_the_equation_on_wide_spectra(s2):
    """The root of Σ s²/(s² + α) = df, checked by evaluating that sum in numpy, over spectra
    spanning up to 300 decades and df from 1e-9 to just below the rank."""
    from fastridge._spectral import Spectrum

    sp = Spectrum.__new__(Spectrum)            # only the eigenvalues matter here
    sp.s2 = s2
    r = s2.size
    for target in (1e-9, 1e-3, 0.5 * r, r - 1e-3):
        a = sp.alpha_for_df(target)
        assert a > 0
        assert np.sum(s2 / (s2 + a)) == pytest.approx(target, rel=1e-12)
    assert sp.alpha_for_df(r) == 0.0


def test_ridge_df_multi_target_one_alpha_and_standardize():
    rng = np.random.default_rng(9)
    X = rng.standard_normal((40, 6)) * rng.uniform(0.1, 10, 6)
    Y = rng.standard_normal((40, 2))
    m = Ridge(df=3.0, standardize=True).fit(X, Y)
    assert isinstance(m.alpha_, float)
    assert _df_oracle(X, m.alpha_, standardize=True) == pytest.approx(3.0, rel=1e-10)
    ref = Ridge(alpha=m.alpha_, standardize=True, solver="svd").fit(X, Y)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-9)
    # a later fit without df forgets alpha_
    m.set_params(df=None).fit(X, Y)
    assert not hasattr(m, "alpha_")


# ------------------------------------------------------------------ errors by name
def test_errors_name_the_argument():
    rng = np.random.default_rng(10)
    X = rng.standard_normal((20, 3))
    y = rng.standard_normal(20)
    path = ridge_path(X, y, n_alphas=4)
    with pytest.raises(ValueError, match="exactly one of alpha= and df="):
        path.coef_at()
    with pytest.raises(ValueError, match="exactly one of alpha= and df="):
        path.coef_at(alpha=1.0, df=1.0)
    with pytest.raises(ValueError, match=r"df must be in \(0, rank\] = \(0, 3\]"):
        path.coef_at(df=3.5)
    with pytest.raises(ValueError, match="df must be finite and > 0"):
        path.coef_at(df=0.0)
    with pytest.raises(ValueError, match="alpha must be finite and >= 0"):
        path.predict_at(X, alpha=-1.0)
    with pytest.raises(TypeError, match="alpha must be"):
        path.coef_at(alpha="1")
    with pytest.raises(ValueError, match="df= and alpha="):
        Ridge(alpha=2.0, df=1.0).fit(X, y)
    with pytest.raises(ValueError, match="df= with positive=True"):
        Ridge(df=1.0, positive=True).fit(X, y)
    with pytest.raises(ValueError, match=r"df must be in \(0, rank\]"):
        Ridge(df=7.0).fit(X, y)
    # a zero penalty factor: the decomposition projects the unpenalized column off
    # (fastridge._spectral); the classical estimates are plain ridge's only
    zero = ridge_path(X, y, n_alphas=4, penalty_factor=[0, 1, 1])
    for what in ("hkb", "lw"):
        with pytest.raises(ValueError, match="HKB and Lawless-Wang.*unpenalized"):
            getattr(zero, what)
    np.testing.assert_allclose(zero.coef_at(alpha=1.0)[0],
                               Ridge(alpha=1.0, penalty_factor=[0, 1, 1]).fit(X, y).coef_,
                               rtol=1e-9, atol=1e-12)
    from fastridge import RidgePath

    with pytest.raises(ValueError, match="RidgePath.select needs|RidgePath.gcv needs"):
        RidgePath().select()


def test_df_and_off_grid_values_meet_glmnets_options():
    """Ridge(df=) with `exclude` solves df on the kept columns (the oracle: the same df on the
    matrix without them); with box limits (not a spectral solution) df= and coef_at refuse."""
    from fastridge import Ridge, ridge_path

    rng = np.random.default_rng(11)
    X = rng.standard_normal((60, 5))
    y = X @ np.array([1.0, -2.0, 0.5, 0.0, 1.5]) + rng.standard_normal(60)
    ex = Ridge(df=2.5, exclude=[1]).fit(X, y)
    kept = Ridge(df=2.5).fit(np.delete(X, 1, axis=1), y)
    assert ex.alpha_ == pytest.approx(kept.alpha_, rel=1e-10)
    np.testing.assert_allclose(np.delete(ex.coef_, 1), kept.coef_, rtol=1e-10)
    assert ex.coef_[1] == 0.0
    with pytest.raises(ValueError, match="lower_limits"):
        Ridge(df=2.5, lower_limits=-1.0).fit(X, y)
    path = ridge_path(X, y, alphas=[1.0, 0.1], upper_limits=0.8)
    with pytest.raises(ValueError, match="lower_limits/upper_limits"):
        path.coef_at(alpha=0.5)
