"""Ridge.inference (fastridge._engine.inference) against independent computations: an explicit
dense numpy evaluation of every formula on the raw design [1 X] (intercept unpenalized, the
penalty written on the raw coefficients), R's lm at α = 0 (tests/data/inference), textbook HC
formulas, genridge's VIF (R script and the published README values), statsmodels when
installed, and a coverage simulation of the intervals."""
import csv
import json
import pathlib
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats

from conftest import make_data
from fastridge import Ridge, RidgeEM, RidgeInference
from fastridge.datasets import load_prostate
from fastridge.exceptions import NotFittedError

DATA = pathlib.Path(__file__).parent / "data"
KINDS = ("sandwich", "HC0", "HC1", "HC2", "HC3", "bayes")


# ------------------------------------------------------------------------------ the oracle
def oracle(X, y, alpha, kind, *, w=None, v=None, fit_intercept=True, standardize=False):
    """(coef, cov, df_resid, vif) of one target from explicit n × n and (p+1) × (p+1) matrices:
    design D = [1 X] (or X), penalty Λ = diag(0, α vⱼ/dⱼ²) on the raw coefficients (dⱼ the
    standardization scale), the full symmetric hat matrix Hs = W^½ D (DᵀWD + Λ)⁻¹ DᵀW^½."""
    X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
    n, p = X.shape
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    v = np.ones(p) if v is None else np.asarray(v, dtype=np.float64)
    Wt = w.sum()
    sd = np.sqrt(w @ (X - w @ X / Wt) ** 2 / Wt)
    d = 1.0 / sd if standardize else np.ones(p)
    D = np.hstack([np.ones((n, 1)), X]) if fit_intercept else X
    lam = alpha * v / d ** 2
    Lam = np.diag(np.r_[0.0, lam] if fit_intercept else lam)
    DtWD = D.T @ (w[:, None] * D)
    Ainv = np.linalg.inv(DtWD + Lam)
    theta = Ainv @ D.T @ (w * y)
    e = y - D @ theta
    sq = np.sqrt(w)
    Hs = (sq[:, None] * D) @ Ainv @ (D.T * sq[None, :])
    n_pos = np.count_nonzero(w > 0)
    nu = n_pos - np.trace(2 * Hs - Hs.T @ Hs)
    S = Ainv @ DtWD @ Ainv
    if kind == "sandwich":
        cov = (w @ e ** 2) / nu * S
    elif kind == "bayes":
        N = Wt - fit_intercept - np.count_nonzero(v == 0)
        cov = (w @ e ** 2 + theta @ Lam @ theta) / N * Ainv
    else:
        h = np.diag(Hs)
        omega = {"HC0": 1.0, "HC1": 1.0, "HC2": 1 / (1 - h), "HC3": 1 / (1 - h) ** 2}[kind]
        meat = D.T @ ((w ** 2 * e ** 2 * omega)[:, None] * D)
        cov = Ainv @ meat @ Ainv * (n_pos / nu if kind == "HC1" else 1.0)
    F = S[1:, 1:] if fit_intercept else S
    R = F / np.sqrt(np.outer(np.diag(F), np.diag(F)))
    return theta, cov, nu, np.diag(np.linalg.inv(R))


def _close(a, b, rtol=1e-10):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    assert np.abs(a - b).max() <= rtol * max(np.abs(b).max(), 1e-300), (a, b)


@pytest.fixture(scope="module")
def data():
    X, Y = make_data(n=80, p=6, k=2, offset=1.0, noise=0.5, seed=3)
    w = np.random.default_rng(3).uniform(0.2, 3.0, 80)
    w[[4, 11]] = 0.0
    return X, Y, w


CASES = [
    {},
    {"standardize": True},
    {"fit_intercept": False},
    {"fit_intercept": False, "standardize": True},
    {"penalty_factor": np.array([0.0, 1.0, 2.0, 0.5, 1.0, 3.0])},
    {"standardize": True, "penalty_factor": np.array([1.0, 0.0, 2.0, 0.5, 1.0, 3.0])},
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kw", CASES)
@pytest.mark.parametrize("weighted", [False, True])
def test_equals_dense_oracle(data, kind, kw, weighted):
    X, Y, w = data
    w = w if weighted else None
    alphas = np.array([3.0, 40.0])
    model = Ridge(alpha=alphas, solver="cholesky", **kw).fit(X, Y, sample_weight=w)
    res = model.inference(X, Y, sample_weight=w, kind=kind)
    assert isinstance(res, RidgeInference) and res.kind == kind
    fi = kw.get("fit_intercept", True)
    for t in range(2):
        theta, cov, nu, vif = oracle(X, Y[:, t], alphas[t], kind, w=w,
                                     v=kw.get("penalty_factor"), fit_intercept=fi,
                                     standardize=kw.get("standardize", False))
        _close(res.coef[t], theta)
        _close(res.cov[t], cov)
        _close(res.se[t], np.sqrt(np.diag(cov)))
        _close(res.df_resid[t], nu)
        _close(res.vif[t], vif)
        q = stats.norm.ppf(0.95) if kind == "bayes" else stats.t.ppf(0.95, nu)
        _close(res.conf_int(0.9)[t], np.c_[theta - q * np.sqrt(np.diag(cov)),
                                           theta + q * np.sqrt(np.diag(cov))])
        tt = theta / np.sqrt(np.diag(cov))
        pv = 2 * (stats.norm.sf(np.abs(tt)) if kind == "bayes" else stats.t.sf(np.abs(tt), nu))
        _close(res.t[t], tt)
        np.testing.assert_allclose(res.p_values[t], pv, rtol=1e-9, atol=1e-300)
    # the coefficients are the fit's
    fitted = np.c_[model.intercept_, model.coef_] if fi else model.coef_
    _close(res.coef, fitted, rtol=1e-8)


@pytest.mark.parametrize("kind", ["sandwich", "HC3", "bayes"])
def test_sparse_equals_dense(data, kind):
    X, Y, w = data
    X = X - X.mean(axis=0)
    X[np.abs(X) < 1.0] = 0.0
    model = Ridge(alpha=2.0).fit(X, Y[:, 0], sample_weight=w)
    dense = model.inference(X, Y[:, 0], sample_weight=w, kind=kind)
    for fmt in ("csr", "csc"):
        res = model.inference(sp.csr_matrix(X).asformat(fmt), Y[:, 0], sample_weight=w,
                              kind=kind)
        _close(res.cov, dense.cov, rtol=1e-9)
        _close(res.coef, dense.coef, rtol=1e-9)


def test_single_target_layout(data):
    X, Y, _ = data
    res = Ridge(alpha=1.0).fit(X, Y[:, 0]).inference(X, Y[:, 0])
    p = X.shape[1]
    assert res.coef.shape == res.se.shape == res.t.shape == res.p_values.shape == (p + 1,)
    assert res.cov.shape == (p + 1, p + 1) and res.vif.shape == (p,)
    assert res.conf_int().shape == (p + 1, 2)
    assert isinstance(res.df_resid, float) and isinstance(res.sigma2, float)
    assert res.names == ["intercept"] + [f"x{j}" for j in range(p)]
    res2 = Ridge(alpha=1.0).fit(X, Y).inference(X, Y)
    assert res2.coef.shape == (2, p + 1) and res2.cov.shape == (2, p + 1, p + 1)
    _close(res2.cov[0], res.cov)


# ------------------------------------------------------------------------------ OLS limit
def test_ols_limit_equals_textbook_least_squares(data):
    """α = 0: σ̂²(XᵀX)⁻¹ with σ̂² = RSS/(n − p − 1), and the textbook HC0-HC3 (MacKinnon & White
    1985; Long & Ervin 2000) on the design with an intercept column."""
    X, Y, _ = data
    y = Y[:, 0]
    n, p = X.shape
    D = np.hstack([np.ones((n, 1)), X])
    Q, R = np.linalg.qr(D)
    bread = np.linalg.inv(R.T @ R)
    beta = np.linalg.solve(R, Q.T @ y)
    e = y - D @ beta
    s2 = e @ e / (n - p - 1)
    h = np.einsum("ij,ij->i", Q, Q)
    model = Ridge(alpha=0.0).fit(X, y)
    res = model.inference(X, y)
    _close(res.coef, beta, rtol=1e-9)
    _close(res.cov, s2 * bread, rtol=1e-8)
    assert res.df_resid == pytest.approx(n - p - 1, rel=1e-12)
    for kind, om in [("HC0", np.ones(n)), ("HC1", np.full(n, n / (n - p - 1))),
                     ("HC2", 1 / (1 - h)), ("HC3", 1 / (1 - h) ** 2)]:
        meat = D.T @ ((e ** 2 * om)[:, None] * D)
        _close(model.inference(X, y, kind=kind).cov, bread @ meat @ bread, rtol=1e-8)


def test_ols_limit_equals_R_lm_with_weights():
    """α = 0 with weights (some zero): R's summary(lm(weights=)) and confint(level=0.9), whose
    residual degrees of freedom leave the zero-weight rows out (tests/data/inference)."""
    X, y, _, train, _ = load_prostate()
    X, y = X[train], y[train]
    w = 1.0 + (np.arange(1, len(y) + 1) % 3)
    w[:5] = 0.0
    with open(DATA / "inference" / "lm_weighted_prostate.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ref = {k: np.array([float(r[k]) for r in rows]) for k in
           ("estimate", "se", "t", "p", "lo90", "hi90", "df_resid", "sigma")}
    res = Ridge(alpha=0.0).fit(X, y, sample_weight=w).inference(X, y, sample_weight=w)
    np.testing.assert_allclose(res.coef, ref["estimate"], rtol=1e-10)
    np.testing.assert_allclose(res.se, ref["se"], rtol=1e-10)
    np.testing.assert_allclose(res.t, ref["t"], rtol=1e-10)
    np.testing.assert_allclose(res.p_values, ref["p"], rtol=1e-8)
    np.testing.assert_allclose(res.conf_int(0.9), np.c_[ref["lo90"], ref["hi90"]], rtol=1e-10)
    assert res.df_resid == pytest.approx(ref["df_resid"][0], rel=1e-12)
    assert np.sqrt(res.sigma2) == pytest.approx(ref["sigma"][0], rel=1e-10)


def test_statsmodels_wls_cross_check():
    sm = pytest.importorskip("statsmodels.api")
    X, y, _, train, _ = load_prostate()
    X, y = X[train], y[train]
    w = 0.5 + (np.arange(len(y)) % 4)
    model = Ridge(alpha=0.0).fit(X, y, sample_weight=w)
    for kind, cov_type in [("sandwich", "nonrobust"), ("HC0", "HC0"), ("HC1", "HC1"),
                           ("HC2", "HC2"), ("HC3", "HC3")]:
        ref = sm.WLS(y, sm.add_constant(X), weights=w).fit(cov_type=cov_type)
        np.testing.assert_allclose(model.inference(X, y, sample_weight=w, kind=kind).cov,
                                   ref.cov_params(), rtol=1e-9)


# ------------------------------------------------------------------------------ bayes
def test_bayes_is_ridgeem_posterior():
    """kind='bayes' at RidgeEM's α is RidgeEM's posterior: its noise variance and coef_cov_,
    and coef_cov_ equals the posterior σ²(ZᵀWZ + αI)⁻¹ written out (raw scale)."""
    X, y = make_data(n=60, p=5, offset=2.0, noise=0.8, seed=9)
    w = np.random.default_rng(9).uniform(0.5, 2.0, 60)
    for standardize in (False, True):
        em = RidgeEM(standardize=standardize).fit(X, y, sample_weight=w)
        res = Ridge(alpha=em.alpha_, standardize=standardize).fit(
            X, y, sample_weight=w).inference(X, y, sample_weight=w, kind="bayes")
        assert res.sigma2 == pytest.approx(em.noise_variance_, rel=1e-9)
        _close(res.cov[1:, 1:], em.coef_cov_, rtol=1e-8)
        _, cov, _, _ = oracle(X, y, em.alpha_, "bayes", w=w, standardize=standardize)
        _close(em.coef_cov_, cov[1:, 1:], rtol=1e-8)


def test_ridgeem_coef_cov_wide_and_multi_target():
    """p > n (the prior variance along directions the data do not reach) and one covariance
    per target."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((15, 25))
    Y = X @ (0.3 * rng.standard_normal((25, 2))) + rng.standard_normal((15, 2))
    em = RidgeEM().fit(X, Y)
    assert em.coef_cov_.shape == (2, 25, 25)
    Xc = X - X.mean(axis=0)
    for t in range(2):
        ref = em.noise_variance_[t] * np.linalg.inv(Xc.T @ Xc + em.alpha_[t] * np.eye(25))
        _close(em.coef_cov_[t], ref, rtol=1e-8)


# ------------------------------------------------------------------------------ VIF
def _longley():
    with open(DATA / "longley_genridge" / "longley_R_datasets.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cols = ["GNP", "Unemployed", "Armed.Forces", "Population", "Year", "GNP.deflator"]
    X = np.array([[float(r[c]) for c in cols] for r in rows])
    y = np.array([float(r["Employed"]) for r in rows])
    return X, y


def test_vif_equals_genridge_formula_in_R_and_published():
    """genridge's ridge(λ) scales X by its population RMS: standardize=True with α = λ."""
    X, y = _longley()
    with open(DATA / "inference" / "genridge_vif_longley.csv", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    for row in rows:
        lam, ref = float(row[0]), np.array([float(x) for x in row[1:]])
        res = Ridge(alpha=lam, standardize=True).fit(X, y).inference(X, y)
        np.testing.assert_allclose(res.vif, ref, rtol=1e-7)  # λ = 0: cond(X) ≈ 1e4
    pub = json.loads((DATA / "inference" / "published_genridge_vif_readme.json").read_text())
    for lam, printed in zip(pub["lambda"], pub["vif_printed"]):
        res = Ridge(alpha=lam, standardize=True).fit(X, y).inference(X, y)
        for got, text in zip(res.vif, printed):
            decimals = len(text.split(".")[1])
            assert round(got, decimals) == pytest.approx(float(text), abs=1e-9), (lam, got, text)


def test_vif_at_alpha_zero_is_classical():
    """1/(1 − R²ⱼ) from regressing each column on the others."""
    X = make_data(n=50, p=4, cond=30.0, seed=5)[0]
    y = np.random.default_rng(0).standard_normal(50)
    res = Ridge(alpha=0.0).fit(X, y).inference(X, y)
    for j in range(4):
        others = np.hstack([np.ones((50, 1)), np.delete(X, j, axis=1)])
        fit = np.linalg.lstsq(others, X[:, j], rcond=None)[0]
        r = X[:, j] - others @ fit
        r2 = 1 - r @ r / np.sum((X[:, j] - X[:, j].mean()) ** 2)
        assert res.vif[j] == pytest.approx(1 / (1 - r2), rel=1e-9)


# ------------------------------------------------------------------------------ coverage
def _coverage(kind, n, alpha, reps, hetero, seed):
    """Observed coverage of 90% intervals of the bias-free target E θ̂ = (DᵀD + Λ)⁻¹DᵀD θ,
    per parameter, over `reps` replications fitted at once as `reps` targets."""
    rng = np.random.default_rng(seed)
    p = 4
    X = rng.standard_normal((n, p)) @ np.linalg.cholesky(0.5 * np.eye(p) + 0.5).T
    theta = np.array([1.0, 0.5, -0.5, 0.0, 1.0])
    D = np.hstack([np.ones((n, 1)), X])
    scale = (0.3 + np.abs(X[:, 0])) if hetero else np.ones(n)
    Y = (D @ theta)[:, None] + scale[:, None] * rng.standard_normal((n, reps))
    Lam = np.diag(np.r_[0.0, np.full(p, alpha)])
    target = np.linalg.solve(D.T @ D + Lam, D.T @ D @ theta)
    res = Ridge(alpha=alpha, solver="cholesky").fit(X, Y).inference(X, Y, kind=kind)
    ci = res.conf_int(0.90)
    return np.mean((ci[..., 0] <= target) & (target <= ci[..., 1]), axis=0)


def _bayes_coverage(n, reps, seed):
    """Coverage of 90% credible intervals of β drawn from the prior b ~ N(0, σ²/α I)."""
    rng = np.random.default_rng(seed)
    p, alpha, sigma = 4, 30.0, 1.0
    X = rng.standard_normal((n, p))
    B = rng.standard_normal((p, reps)) * sigma / np.sqrt(alpha)
    Y = X @ B + 2.0 + sigma * rng.standard_normal((n, reps))
    res = Ridge(alpha=alpha).fit(X, Y).inference(X, Y, kind="bayes")
    ci = res.conf_int(0.90)[:, 1:]
    return np.mean((ci[..., 0] <= B.T) & (B.T <= ci[..., 1]), axis=0)


REPS = 4000
MC_SE = np.sqrt(0.9 * 0.1 / REPS)


@pytest.mark.parametrize("kind,hetero", [("sandwich", False), ("HC0", True), ("HC1", True),
                                         ("HC2", True), ("HC3", True), ("HC3", False)])
def test_coverage_of_the_bias_free_target(kind, hetero):
    cov = _coverage(kind, n=300, alpha=30.0, reps=REPS, hetero=hetero, seed=11)
    # 4 Monte Carlo standard errors per parameter (each parameter its own check)
    assert np.all(np.abs(cov - 0.90) <= 4 * MC_SE), cov


def test_sandwich_undercovers_under_heteroscedasticity():
    """The check has power: the homoscedastic sandwich misses under noise that grows with x0."""
    cov = _coverage("sandwich", n=300, alpha=30.0, reps=REPS, hetero=True, seed=11)
    assert cov[1] < 0.90 - 6 * MC_SE


def test_bayes_credible_intervals_cover_prior_draws():
    cov = _bayes_coverage(n=300, reps=REPS, seed=12)
    assert np.all(np.abs(cov - 0.90) <= 4 * MC_SE), cov


# ------------------------------------------------------------------------------ plumbing
def test_summary_table_and_text(data):
    pd = pytest.importorskip("pandas")
    X, Y, _ = data
    import pandas
    frame = pandas.DataFrame(X, columns=[f"c{j}" for j in range(6)])
    res = Ridge(alpha=1.0).fit(frame, Y).inference(frame, Y, kind="HC3")
    table = res.summary(target=1, level=0.9)
    assert isinstance(table, pd.DataFrame)
    assert list(table.index) == ["intercept"] + [f"c{j}" for j in range(6)]
    np.testing.assert_array_equal(table["std err"].to_numpy(), res.se[1])
    np.testing.assert_array_equal(table[["[0.05", "0.95]"]].to_numpy(), res.conf_int(0.9)[1])
    text = str(res)
    assert text.count("intercept") == 2 and "HC3" in text and "c5" in text


def test_summary_without_pandas_is_text(data, monkeypatch):
    import builtins
    real = builtins.__import__

    def no_pandas(name, *a, **k):
        if name == "pandas":
            raise ImportError
        return real(name, *a, **k)

    X, Y, _ = data
    res = Ridge(alpha=1.0).fit(X, Y[:, 0]).inference(X, Y[:, 0])
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    text = res.summary()
    assert isinstance(text, str) and len(text.splitlines()) == 1 + 7
    assert f"{res.se[2]:.4g}" in text.splitlines()[3]


def test_constant_column_is_fixed_at_zero(data):
    X, Y, _ = data
    Xc = X.copy()
    Xc[:, 2] = 7.0
    res = Ridge(alpha=1.0, standardize=True).fit(Xc, Y[:, 0]).inference(Xc, Y[:, 0])
    assert res.coef[3] == 0.0 and res.se[3] == 0.0 and np.isnan(res.t[3])
    assert np.isnan(res.vif[2])
    keep = [0, 1, 3, 4, 5]
    ref = Ridge(alpha=1.0, standardize=True).fit(X[:, keep], Y[:, 0]).inference(
        X[:, keep], Y[:, 0])
    sel = [0, 1, 2, 4, 5, 6]
    _close(res.cov[np.ix_(sel, sel)], ref.cov, rtol=1e-9)


def test_errors_and_input_not_modified(data):
    X, Y, w = data
    with pytest.raises(NotFittedError):
        Ridge().inference(X, Y)
    model = Ridge(alpha=1.0).fit(X, Y, sample_weight=w)
    copies = X.copy(), Y.copy(), w.copy()
    for kind in KINDS:
        model.inference(X, Y, sample_weight=w, kind=kind)
    np.testing.assert_array_equal(X, copies[0])
    np.testing.assert_array_equal(Y, copies[1])
    np.testing.assert_array_equal(w, copies[2])
    with pytest.raises(ValueError, match="kind must be one of"):
        model.inference(X, Y, kind="HC4")
    with pytest.raises(ValueError, match="kind must be one of"):
        model.inference(X, Y, kind=None)
    with pytest.raises(ValueError, match="features"):
        model.inference(X[:, :3], Y)
    with pytest.raises(ValueError, match="target"):
        model.inference(X, Y[:, 0])
    with pytest.raises(ValueError, match="positive=True"):
        Ridge(positive=True).fit(X, Y[:, 0]).inference(X, Y[:, 0])
    with pytest.raises(ValueError, match="level"):
        model.inference(X, Y, sample_weight=w).conf_int(1.0)
    with pytest.raises(ValueError, match="target"):
        model.inference(X, Y, sample_weight=w).summary(target=2)
    Xn = X.copy()
    Xn[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        model.inference(Xn, Y, sample_weight=w)
    # α = 0 with more columns than rows: not identified
    Xw = np.random.default_rng(0).standard_normal((5, 8))
    with pytest.raises(ValueError, match="singular"):
        Ridge(alpha=0.0).fit(Xw, Xw[:, 0]).inference(Xw, Xw[:, 0])
    # no residual degrees of freedom
    X2 = np.array([[0.0], [1.0]])
    with pytest.raises(ValueError, match="degrees of freedom"):
        Ridge(alpha=0.0).fit(X2, [1.0, 2.0]).inference(X2, [1.0, 2.0])


def test_warns_when_data_are_not_the_fitted_data(data):
    X, Y, _ = data
    model = Ridge(alpha=1.0).fit(X, Y[:, 0])
    with pytest.warns(UserWarning, match="differ from the fitted"):
        model.inference(X[:40], Y[:40, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.inference(X, Y[:, 0])
        # iterative solvers at their default tolerance, on columns with offset means
        X2, y2 = make_data(n=500, p=30, cond=100.0, offset=3.0, noise=0.5, seed=1)
        for solver in ("cd", "cg"):
            Ridge(alpha=1.0, solver=solver).fit(X2, y2).inference(X2, y2)


def test_after_partial_fit_and_on_a_memmap(data, tmp_path):
    X, Y, w = data
    model = Ridge(alpha=2.0)
    for rows in np.array_split(np.arange(80), 3):
        model.partial_fit(X[rows], Y[rows], sample_weight=w[rows])
    mm = np.lib.format.open_memmap(tmp_path / "X.npy", mode="w+", shape=X.shape)
    mm[:] = X
    res = model.inference(mm, Y, sample_weight=w, kind="HC2")
    ref = Ridge(alpha=2.0).fit(X, Y, sample_weight=w).inference(X, Y, sample_weight=w,
                                                                kind="HC2")
    _close(res.cov, ref.cov, rtol=1e-9)


def test_blocked_pass_equals_one_block(data):
    """The HC pass over row blocks (a small block budget) equals it in one block."""
    from fastridge import config_context

    X, Y, w = data
    model = Ridge(alpha=2.0).fit(X, Y, sample_weight=w)
    ref = model.inference(X, Y, sample_weight=w, kind="HC3")
    X3 = np.vstack([X] * 20)
    Y3 = np.vstack([Y] * 20)
    w3 = np.tile(w, 20) / 20
    model3 = Ridge(alpha=2.0).fit(X3, Y3, sample_weight=w3)
    with config_context(block_memory=0.01):
        small = model3.inference(X3, Y3, sample_weight=w3, kind="HC0")
    one = model3.inference(X3, Y3, sample_weight=w3, kind="HC0")
    _close(small.cov, one.cov, rtol=1e-10)
    assert ref.cov.shape == one.cov.shape


@pytest.mark.parametrize("kind", ["HC0", "HC3"])
@pytest.mark.parametrize("center", [True, False])
def test_hc_block_in_sub_blocks_equals_dense_meat(kind, center):
    """The block function on a chunk larger than its block budget (several sub-blocks, as a
    large Dask chunk), two targets with their own ridge systems (two triangular factors), then
    `unwhiten`: the dense Σ ωᵢ wᵢ² eᵢ² z̃ᵢz̃ᵢᵀ with hᵢ = wᵢ(1/W + zᵢᵀA⁻¹zᵢ) from A⁻¹ itself."""
    from fastridge import config_context
    from fastridge._engine import inference as inf

    rng = np.random.default_rng(7)
    n, p, k = 3000, 5, 2
    X = rng.standard_normal((n, p)) * [1.0, 2.0, 0.5, 3.0, 1.0] + 4.0
    Y = rng.standard_normal((n, k))
    w = rng.uniform(0.0, 2.0, n)
    xbar = w @ X / w.sum() if center else np.zeros(p)
    ybar = w @ Y / w.sum() if center else np.zeros(k)
    d = 1.0 / np.array([1.0, 2.0, 0.5, 3.0, 1.0])
    Z = (X - xbar) * d
    G = Z.T @ (w[:, None] * Z)
    A = [G + a * np.eye(p) for a in (30.0, 900.0)]
    B = np.array([np.linalg.solve(A[t], Z.T @ (w * (Y[:, t] - ybar[t]))) for t in range(k)])
    chol = np.stack([inf._factor(a) for a in A])
    which = np.array([0, 1])
    W = w.sum()
    with config_context(block_memory=0.01):            # sub-blocks of 1024 rows
        got = inf.hc_block(X, Y, w, np.arange(p), xbar, d, ybar, B, chol, which, W, center,
                           kind)
    got = inf.unwhiten(got, chol, which, center, kind)
    Zt = np.hstack([np.ones((n, 1)), Z]) if center else Z
    for t in range(k):
        e = Y[:, t] - ybar[t] - Z @ B[t]
        h = w * ((1.0 / W if center else 0.0)
                 + np.einsum("ij,jk,ik->i", Z, np.linalg.inv(A[t]), Z))
        om = 1.0 / (1.0 - h) ** 2 if kind == "HC3" else 1.0
        ref = Zt.T @ ((om * w ** 2 * e ** 2)[:, None] * Zt)
        _close(got[t], ref)


def test_factor_is_the_cholesky_factor_also_by_its_fallback(monkeypatch):
    """`_factor` gives the lower triangle with positive diagonal and LLᵀ = A (the Cholesky
    factor, numpy's), also through its eigendecomposition route when Cholesky fails."""
    from fastridge._engine import inference as inf

    rng = np.random.default_rng(8)
    M = rng.standard_normal((40, 6)) * [1e3, 1.0, 1e-2, 5.0, 1.0, 1.0]
    A = M.T @ M + 0.1 * np.eye(6)
    ref = np.linalg.cholesky(A)
    _close(inf._factor(A), ref)

    def fail(_):
        raise np.linalg.LinAlgError("not positive definite")

    monkeypatch.setattr(np.linalg, "cholesky", fail)
    L = inf._factor(A)
    assert np.all(np.triu(L, 1) == 0.0) and np.all(np.diag(L) > 0)
    _close(L @ L.T, A)
    _close(L, ref, rtol=1e-8)


def test_dask_equals_in_memory():
    """On Dask arrays (row chunks, a chunking of y and w unlike X's), on a real process
    cluster: the statistics and the HC pass (backend.map_blocks) give the in-memory result."""
    da = pytest.importorskip("dask.array")
    pytest.importorskip("distributed")
    from conftest import process_cluster_client

    X, Y = make_data(n=900, p=5, k=2, offset=50.0, noise=0.3, seed=4)
    w = np.random.default_rng(4).uniform(0, 2, 900)
    w[::13] = 0.0
    model = Ridge(alpha=3.0, standardize=True).fit(X, Y, sample_weight=w)
    Xd = da.from_array(X, chunks=(200, 5))
    Yd = da.from_array(Y, chunks=(250, -1))
    wd = da.from_array(w, chunks=170)
    with process_cluster_client():
        for kind in ("sandwich", "HC3", "bayes"):
            got = model.inference(Xd, Yd, sample_weight=wd, kind=kind)
            ref = model.inference(X, Y, sample_weight=w, kind=kind)
            _close(got.cov, ref.cov, rtol=1e-9)
            _close(got.coef, ref.coef, rtol=1e-9)
            assert got.df_resid == pytest.approx(ref.df_resid, rel=1e-12)
        with pytest.raises(ValueError, match="features"):
            model.inference(Xd[:, :3], Yd, sample_weight=wd)
    assert model.n_features_in_ == 5


def test_reuses_the_statistics_fit_kept(data, monkeypatch):
    """After a fit that kept its rows' statistics, inference on those rows forms no Gram (the
    backend's statistics pass is never called) and gives the oracle's answer."""
    from fastridge._backends.memory import MemoryBackend

    X, Y, _ = data
    y = Y[:, 0]
    model = Ridge(alpha=4.0).fit(X, y)
    assert model.__dict__.get("_fit_stats") is not None

    def no_pass(*a, **k):
        raise AssertionError("statistics formed again")

    monkeypatch.setattr(MemoryBackend, "statistics", no_pass)
    for kind in ("sandwich", "HC2"):
        res = model.inference(X, y, kind=kind)
        theta, cov, _, _ = oracle(X, y, 4.0, kind)
        _close(res.cov, cov)
        _close(res.coef, theta)


def test_other_rows_with_the_same_means_and_cross_products_are_not_taken_for_the_kept(data):
    """X + E with E orthogonal to 1 and y keeps n, the means and Xᵀy but not XᵀX: the check
    along random directions sees it, and the statistics are formed from the rows given."""
    X, Y, _ = data
    y = Y[:, 0]
    model = Ridge(alpha=4.0).fit(X, y)
    Q, _ = np.linalg.qr(np.c_[np.ones(80), y])
    E = np.random.default_rng(1).standard_normal(X.shape)
    E -= Q @ (Q.T @ E)
    X2 = X + 0.5 * E
    np.testing.assert_allclose(X2.mean(axis=0), X.mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(X2.T @ y, X.T @ y, rtol=1e-12)
    with pytest.warns(UserWarning, match="differ from the fitted"):
        res = model.inference(X2, y)
    _close(res.cov, oracle(X2, y, 4.0, "sandwich")[1])


@pytest.mark.parametrize("kind", ["sandwich", "HC3"])
def test_columns_with_large_means(data, kind):
    """Shifting the columns by 1e7 (means 1e7 × their spread) changes only the intercept: the
    features' covariance is that of the unshifted data, whether the kept statistics are reused
    or formed again."""
    X, Y, w = data
    y = Y[:, 0]
    ref = Ridge(alpha=4.0).fit(X, y, sample_weight=w).inference(X, y, sample_weight=w,
                                                                kind=kind)
    Xs = X + 1e7
    model = Ridge(alpha=4.0).fit(Xs, y, sample_weight=w)
    res = model.inference(Xs, y, sample_weight=w, kind=kind)
    _close(res.cov[1:, 1:], ref.cov[1:, 1:], rtol=1e-7)
    _close(res.coef[1:], ref.coef[1:], rtol=1e-7)


@pytest.mark.parametrize("kind", KINDS)
def test_all_columns_constant_leaves_the_intercept(kind):
    """Only the intercept is estimated: its standard error is that of a weighted mean (the
    oracle on the design [1])."""
    rng = np.random.default_rng(0)
    X = np.full((20, 3), 2.5)
    y = rng.standard_normal(20)
    w = rng.uniform(0.5, 2.0, 20)
    res = Ridge().fit(X, y, sample_weight=w).inference(X, y, sample_weight=w, kind=kind)
    theta, cov, _, _ = oracle(np.zeros((20, 0)), y, 1.0, kind, w=w)
    _close(res.coef, np.r_[theta, 0.0, 0.0, 0.0])
    _close(res.se, np.r_[np.sqrt(cov[0, 0]), 0.0, 0.0, 0.0])
    assert np.all(np.isnan(res.vif))


def test_inference_with_df_exclude_offset_and_limits():
    """The glmnet options and df=: Ridge(df=) is inferred at its solved alpha_; exclude is the
    model without those columns (their coefficient fixed at 0, se 0); an offset fit is the fit
    of y − offset (and needs the offset again); box limits are refused by name."""
    from fastridge import Ridge

    rng = np.random.default_rng(5)
    X = rng.standard_normal((80, 4))
    off = rng.uniform(0.0, 1.0, 80)
    y = X @ np.array([1.0, -0.5, 0.0, 2.0]) + off + rng.standard_normal(80)

    by_df = Ridge(df=2.5).fit(X, y)
    same = Ridge(alpha=by_df.alpha_).fit(X, y).inference(X, y)
    got = by_df.inference(X, y)
    np.testing.assert_allclose(got.se, same.se, rtol=1e-10)
    np.testing.assert_allclose(got.coef, same.coef, rtol=1e-10)

    ex = Ridge(alpha=3.0, exclude=[2]).fit(X, y).inference(X, y)
    kept = Ridge(alpha=3.0).fit(np.delete(X, 2, axis=1), y).inference(np.delete(X, 2, axis=1), y)
    np.testing.assert_allclose(np.delete(ex.coef, 3), kept.coef, rtol=1e-10)   # intercept first
    np.testing.assert_allclose(np.delete(ex.se, 3), kept.se, rtol=1e-10)
    assert ex.coef[3] == 0.0 and ex.se[3] == 0.0

    model = Ridge(alpha=3.0).fit(X, y, offset=off)
    ref = Ridge(alpha=3.0).fit(X, y - off).inference(X, y - off)
    res = model.inference(X, y, offset=off)
    np.testing.assert_allclose(res.coef, ref.coef, rtol=1e-10)
    np.testing.assert_allclose(res.se, ref.se, rtol=1e-10)
    with pytest.raises(ValueError, match="offset"):
        model.inference(X, y)
    with pytest.raises(ValueError, match="lower_limits"):
        Ridge(alpha=1.0, lower_limits=-1.0).fit(X, y).inference(X, y)
