"""RidgeCV never returns an α at an end of its grid unnoticed: the default grid is extended past
an end (leave-one-out until the minimum is interior or df reaches ~0 / the rank; k-fold up to a
factor 1000), leave-one-out refines α continuously, and a user grid whose minimum sits at an end
gives AlphaGridWarning.  Oracles: the exact leave-one-out error from an explicit hat matrix in
float64 (checked against brute-force refits), k-fold errors from closed-form refits,
scikit-learn's RidgeCV, and R's published Longley data."""
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from conftest import make_data, ridge_oracle
from fastridge import RidgeCV
from fastridge.exceptions import AlphaGridWarning

DATA = Path(__file__).parent / "data"


def _diabetes():
    datasets = pytest.importorskip("sklearn.datasets")
    return datasets.load_diabetes(return_X_y=True, scaled=False)


def loo_oracle(X, y, alphas, standardize=False):
    """Exact leave-one-out mean squared error (intercept fitted) for each α: the hat matrix
    H = 11ᵀ/n + Z (ZᵀZ + αI)⁻¹ Zᵀ of the centred (standardized) design, formed explicitly from
    its SVD in float64, residuals (y − Hy)/(1 − Hᵢᵢ).  Returns (mean error (m, k), residuals
    (m, n, k))."""
    Y = y[:, None] if y.ndim == 1 else y
    n = X.shape[0]
    Z = X - X.mean(axis=0)
    if standardize:
        Z = Z / Z.std(axis=0)
    U, s, _ = np.linalg.svd(Z, full_matrices=False)
    Yc = Y - Y.mean(axis=0)
    c = U.T @ Yc
    means, resid = [], []
    for a in np.atleast_1d(alphas):
        f = s**2 / (s**2 + a)
        h = 1.0 / n + (U**2) @ f
        e = (Yc - U @ (f[:, None] * c)) / (1.0 - h)[:, None]
        resid.append(e)
        means.append((e**2).mean(axis=0))
    return np.array(means), np.array(resid)


def test_loo_oracle_equals_brute_force_refits():
    """The test's own oracle against refits without each row (the first 40 rows)."""
    X, y = _diabetes()
    a = 3.0
    _, e = loo_oracle(X, y, [a])
    for i in range(40):
        keep = np.arange(X.shape[0]) != i
        coef, icpt = ridge_oracle(X[keep], y[keep], a)
        assert y[i] - (X[i] @ coef + icpt) == pytest.approx(e[0, i, 0], rel=1e-9)


@pytest.mark.parametrize("standardize", [False, True])
def test_default_loo_finds_the_exact_optimum_on_raw_diabetes(standardize):
    """RidgeCV() on the diabetes data in raw units: α within 1 % of the minimizer of the exact
    LOO error over a wide fine grid (14 decades, 0.5 % steps), at the error there."""
    X, y = _diabetes()
    with warnings.catch_warnings():
        warnings.simplefilter("error", AlphaGridWarning)  # the minimum is interior
        model = RidgeCV(standardize=standardize).fit(X, y)
    fine = np.geomspace(1e-6, 1e8, 7000)
    mean, _ = loo_oracle(X, y, fine, standardize=standardize)
    best = fine[np.argmin(mean[:, 0])]
    assert model.alpha_ == pytest.approx(best, rel=1e-2)
    at_alpha = loo_oracle(X, y, [model.alpha_], standardize=standardize)[0][0, 0]
    assert -model.best_score_ == pytest.approx(at_alpha, rel=1e-9)
    assert at_alpha <= mean[:, 0].min() * (1 + 1e-9)
    # the grid evaluated, extended points included, keeps its log spacing
    grid = model.cv_results_["alphas"]
    assert grid.size > 100 and np.all(np.diff(grid) < 0)
    np.testing.assert_allclose(np.diff(np.log(grid)), np.log(grid[1] / grid[0]), rtol=1e-9)
    np.testing.assert_allclose(model.cv_results_["mean_error"],
                               loo_oracle(X, y, grid, standardize=standardize)[0][:, 0],
                               rtol=1e-9)


def test_default_ridgecv_cross_validates_like_scikit_learn_on_raw_diabetes():
    """Out-of-sample: 5-fold R² of RidgeCV() as scikit-learn's RidgeCV() (0.48), not 0.002."""
    model_selection = pytest.importorskip("sklearn.model_selection")
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, y = _diabetes()
    ours = model_selection.cross_val_score(RidgeCV(), X, y, cv=5).mean()
    theirs = model_selection.cross_val_score(linear_model.RidgeCV(), X, y, cv=5).mean()
    assert theirs == pytest.approx(0.48, abs=0.01)
    assert ours == pytest.approx(theirs, abs=0.01)


def test_alpha_per_target_refined_per_target():
    X, y = _diabetes()
    Y = np.column_stack([y, y + 40.0 * np.random.default_rng(0).standard_normal(y.size)])
    model = RidgeCV(alpha_per_target=True).fit(X, Y)
    fine = np.geomspace(1e-4, 1e8, 6000)
    mean, _ = loo_oracle(X, Y, fine)
    best = fine[np.argmin(mean, axis=0)]
    assert best[1] > 2 * best[0]  # two different optima
    np.testing.assert_allclose(model.alpha_, best, rtol=1e-2)
    shared = RidgeCV().fit(X, Y)
    avg = fine[np.argmin(mean.mean(axis=1))]
    assert shared.alpha_ == pytest.approx(avg, rel=1e-2)


def test_loo_extends_up_to_the_intercept_only_model_and_says_so():
    """y unrelated to X: the error falls toward α = ∞; the grid grows until df ~ 0, alpha_ is
    its largest α, and the warning names df."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((80, 6))
    y = rng.standard_normal(80)
    model = RidgeCV()
    with pytest.warns(AlphaGridWarning, match=r"largest alpha = .*df = .*intercept-only") as rec:
        model.fit(X, y)
    w = rec[0].message
    assert (w.end, w.reason) == ("largest", "df_limit")
    grid = model.cv_results_["alphas"]
    assert model.alpha_ == grid.max() == w.alpha
    assert model.cv_results_["df"][0] <= 1e-3
    mean, _ = loo_oracle(X, y, grid)
    np.testing.assert_allclose(model.cv_results_["mean_error"], mean[:, 0], rtol=1e-9)


def test_loo_extends_down_to_least_squares_and_says_so():
    X, y = make_data(n=60, p=5, seed=4, noise=1e-6)
    model = RidgeCV()
    with pytest.warns(AlphaGridWarning, match=r"smallest alpha = .*rank 5") as rec:
        model.fit(X, y)
    assert (rec[0].message.end, rec[0].message.reason) == ("smallest", "df_limit")
    assert 5 - model.cv_results_["df"][-1] <= 1e-3


def test_loo_extension_cap_warns(monkeypatch):
    """The safety cap on added points (lowered here) ends the extension with a warning."""
    from fastridge import _grid

    monkeypatch.setattr(_grid, "LOO_MAX_POINTS", 20)
    X, y = _diabetes()
    model = RidgeCV()
    with pytest.warns(AlphaGridWarning, match="stopped at its limit") as rec:
        model.fit(X, y)
    assert (rec[0].message.end, rec[0].message.reason) == ("smallest", "loo_limit")
    assert model.cv_results_["alphas"].size == 120


def test_flat_curve_is_not_an_edge():
    """Constant y: every error is 0, nothing to extend, nothing to warn about."""
    X = np.random.default_rng(5).standard_normal((30, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error", AlphaGridWarning)
        for cv in (None, 3):
            model = RidgeCV(cv=cv, n_alphas=10).fit(X, np.full(30, 2.0))
            assert model.cv_results_["alphas"].size == 10


@pytest.mark.parametrize("cv", [None, 4])
def test_edge_warning_quotes_the_target_whose_minimum_is_there(cv):
    # target 0 is constant (error 0 at every α, no edge), target 1 has its minimum at the
    # smallest α: the warning quotes target 1's errors, not target 0's
    X, y = make_data(n=60, p=4, seed=6, noise=0.01)
    Y = np.column_stack([np.zeros(60), y])
    grid = [10.0, 1.0, 100.0, 1000.0]
    model = RidgeCV(alphas=grid, cv=cv, alpha_per_target=True,
                    scoring=None if cv is None else "neg_mean_squared_error")
    with pytest.warns(AlphaGridWarning, match=r"error for target 1 ") as rec:
        model.fit(X, Y)
    err = model.cv_results_["mean_error"][:, 1]
    assert rec[0].message.errors == (err[1], err[0]) and 0 < err[1] < err[0]   # α = 1, 10


@pytest.mark.parametrize("cv", [None, 4])
def test_user_grid_minimum_at_its_end_warns_and_grid_is_kept(cv):
    X, y = make_data(n=60, p=4, seed=6, noise=0.01)
    grid = [10.0, 1.0, 100.0, 1000.0]
    model = RidgeCV(alphas=grid, cv=cv)
    with pytest.warns(AlphaGridWarning, match=r"smallest alpha of the grid, alpha = 1 .*"
                                              r"Pass a grid extending below 1") as rec:
        model.fit(X, y)
    w = rec[0].message
    assert (w.end, w.alpha, w.reason, w.alpha_range) == ("smallest", 1.0, "user_grid",
                                                         (1.0, 1000.0))
    assert model.alpha_ == 1.0  # a grid point: user grids are used as given
    np.testing.assert_array_equal(model.cv_results_["alphas"], grid)
    err = model.cv_results_["mean_error"]
    assert w.errors == (err[1], err[0])
    # an interior minimum: silent
    Xn, yn = make_data(n=60, p=4, seed=6, noise=2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AlphaGridWarning)
        model = RidgeCV(alphas=np.geomspace(1e-4, 1e6, 21), cv=cv).fit(Xn, yn)
    assert 1e-4 < model.alpha_ < 1e6


def _kfold_oracle(X, y, alphas, folds):
    """Mean over contiguous folds of each fold's mean squared error (equal-size folds)."""
    out = np.empty(len(alphas))
    for i, a in enumerate(alphas):
        errs = []
        for test in np.array_split(np.arange(X.shape[0]), folds):
            train = np.setdiff1d(np.arange(X.shape[0]), test)
            coef, icpt = ridge_oracle(X[train], y[train], a)
            errs.append(np.mean((y[test] - X[test] @ coef - icpt) ** 2))
        out[i] = np.mean(errs)
    return out


@pytest.mark.parametrize("solver", ["auto", "cd", "cg"])
def test_kfold_extension_reaches_an_interior_minimum_within_the_limit(solver):
    """The extension continues each fold's path (cd/cg warm-started from its last solutions)."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((100, 8))
    y = X @ rng.standard_normal(8) + 0.02 * rng.standard_normal(100)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AlphaGridWarning)
        model = RidgeCV(cv=5, n_alphas=30, solver=solver, tol=1e-12,
                        scoring="neg_mean_squared_error").fit(X, y)
    grid = model.cv_results_["alphas"]
    default_bottom = grid[0] * 1e-4
    assert grid[-1] < default_bottom * 0.99  # extended ...
    assert grid[-1] >= default_bottom * 1e-3 * 0.99  # ... within the documented factor 1000
    assert model.alpha_ < default_bottom and model.alpha_ > grid[-1]  # interior
    np.testing.assert_allclose(model.cv_results_["mean_error"], _kfold_oracle(X, y, grid, 5),
                               rtol=1e-6)


def test_kfold_extension_limit_then_warns():
    X, y = make_data(n=60, p=5, seed=8, noise=1e-8)
    model = RidgeCV(cv=3, n_alphas=20, scoring="neg_mean_squared_error")
    with pytest.warns(AlphaGridWarning, match=r"extended by up to a factor 1000") as rec:
        model.fit(X, y)
    w = rec[0].message
    assert (w.end, w.reason) == ("smallest", "kfold_limit")
    grid = model.cv_results_["alphas"]
    assert grid[0] * 1e-4 * 1e-3 * 0.99 <= grid[-1] <= grid[0] * 1e-4 * 1e-2  # the limit
    assert w.alpha_range == (grid[-1], grid[0]) and model.alpha_ == grid[-1]


def test_rule_1se_on_the_extended_grid():
    """rule="1se": the grid is extended as for "min", then the largest α within one SE of the
    minimum is chosen among the grid points (no continuous refinement)."""
    X, y = _diabetes()
    model = RidgeCV(rule="1se").fit(X, y)
    res = model.cv_results_
    assert res["alphas"].size > 100
    i = np.argmin(res["mean_error"])
    ok = res["mean_error"] <= res["mean_error"][i] + res["se_error"][i]
    assert model.alpha_ == res["alphas"][ok].max()


def _longley_nist(tmp_path):
    d = json.loads((DATA / "nist" / "Longley.json").read_text())
    names = list(d["columns"])
    path = tmp_path / "longley.csv"
    rows = ["TOTEMP," + ",".join(names)]
    for i, yv in enumerate(d["y"]):
        rows.append(",".join([repr(yv)] + [repr(d["columns"][c][i]) for c in names]))
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("which", ["nist", "genridge"])
def test_cli_fit_longley_standardized(tmp_path, which):
    """`fastridge fit` on Longley with --standardize: in-sample R² near least squares (0.995),
    not the intercept-only model's (0.02 before the grid divided by σ_y)."""
    if which == "nist":
        path, target = _longley_nist(tmp_path), "TOTEMP"
    else:
        path, target = DATA / "longley_genridge" / "longley_R_datasets.csv", "Employed"
    out = subprocess.run([sys.executable, "-m", "fastridge", "fit", str(path), "--target",
                          target, "--standardize"], capture_output=True, text=True, cwd=tmp_path,
                         check=True).stdout
    r2 = float(re.search(r"R(?:\^2|²)\s*=\s*([-0-9.eE+]+)", out).group(1))
    assert r2 >= 0.98, out


def test_dask_ridgecv_reports_an_end():
    """RidgeCV on Dask arrays does not extend its grid; a minimum at an end warns."""
    da = pytest.importorskip("dask.array")
    X, y = make_data(n=60, p=4, seed=6, noise=0.01)
    dX, dy = da.from_array(X, chunks=(20, 4)), da.from_array(y, chunks=20)
    with pytest.warns(AlphaGridWarning, match="smallest alpha of the grid") as rec:
        RidgeCV(alphas=[1.0, 10.0, 100.0]).fit(dX, dy)
    assert rec[0].message.reason == "user_grid"
    with pytest.warns(AlphaGridWarning, match=r"not extended \(Dask arrays\)") as rec:
        RidgeCV(cv=3).fit(dX, dy)
    assert rec[0].message.reason == "dask"


def test_kfold_extends_the_top_end_too():
    """y unrelated to X: the k-fold error falls toward α = ∞; the path is extended above its
    largest α (up to the limit), then the warning names the largest end."""
    rng = np.random.default_rng(9)
    X = rng.standard_normal((90, 5))
    y = rng.standard_normal(90)
    model = RidgeCV(cv=3, n_alphas=20, solver="cd", tol=1e-12,
                    scoring="neg_mean_squared_error")
    with pytest.warns(AlphaGridWarning, match="largest alpha of the grid") as rec:
        model.fit(X, y)
    w = rec[0].message
    assert (w.end, w.reason) == ("largest", "kfold_limit")
    grid = model.cv_results_["alphas"]
    assert grid[0] / grid[-1] > 1e4 * 1e2  # the default span 1e4, extended by over 100 above
    assert model.alpha_ == grid[0]
    np.testing.assert_allclose(model.cv_results_["mean_error"], _kfold_oracle(X, y, grid, 3),
                               rtol=1e-6)


@pytest.mark.parametrize("cv", [None, 3])
def test_grid_warning_points_at_the_users_line(cv):
    """The warning is attributed to the caller's line (not to fastridge's fit wrapper)."""
    X, y = make_data(n=60, p=4, seed=6, noise=0.01)
    with pytest.warns(AlphaGridWarning) as rec:
        RidgeCV(alphas=[10.0, 100.0, 1000.0], cv=cv).fit(X, y)
    assert {w.filename for w in rec} == {__file__}


@pytest.mark.parametrize("cv", [None, 4])
def test_stored_cv_values_cover_the_extended_grid(cv):
    """store_cv_results=True with an extended default grid: one column per α of the final grid
    (cv_summary_["alphas"]), each equal to brute-force refits without the held-out rows — the
    leave-one-out squared errors, or the k-fold out-of-fold predictions."""
    X, y = make_data(n=40, p=5, seed=12, noise=1e-3)  # the minimum lies below the default grid
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        model = RidgeCV(cv=cv, n_alphas=20, store_cv_results=True,
                        scoring=None if cv is None else "neg_mean_squared_error").fit(X, y)
    grid = model.cv_summary_["alphas"]
    assert grid.size > 20 and model.cv_results_.shape == (40, grid.size)
    n = X.shape[0]
    folds = [np.array([i]) for i in range(n)] if cv is None else \
        np.array_split(np.arange(n), cv)
    for j in (0, grid.size // 2, grid.size - 1):
        pred = np.empty(n)
        for test in folds:
            train = np.setdiff1d(np.arange(n), test)
            coef, b0 = ridge_oracle(X[train], y[train], grid[j])
            pred[test] = X[test] @ coef.ravel() + np.ravel(b0)[0]
        want = (y - pred) ** 2 if cv is None else pred
        np.testing.assert_allclose(model.cv_results_[:, j], want, rtol=1e-6,
                                   atol=1e-9 * np.abs(want).max())


def test_grid_warning_names_a_score_as_a_score():
    """With a score criterion (k-fold's default R²) the warning says the score is largest and
    prints the scores themselves, which are R² computed here from the fold predictions."""
    X, y = make_data(n=60, p=4, seed=6, noise=0.01)
    grid = [10.0, 100.0, 1000.0]
    with pytest.warns(AlphaGridWarning, match="cross-validation score is largest") as rec:
        model = RidgeCV(alphas=grid, cv=3).fit(X, y)
    r2 = []
    for test in np.array_split(np.arange(60), 3):
        train = np.setdiff1d(np.arange(60), test)
        coef, b0 = ridge_oracle(X[train], y[train], 10.0)
        resid = y[test] - X[test] @ coef.ravel() - np.ravel(b0)[0]
        r2.append(1 - resid @ resid / np.sum((y[test] - y[test].mean()) ** 2))
    assert f"(score {np.mean(r2):.4g};" in str(rec[0].message)
    assert model.alpha_ == 10.0
