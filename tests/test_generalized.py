"""Generalized ridge (penalty_matrix / penalty_root Ω, coef_prior β₀) against independent float64
oracles written here: the dense closed form

    β = (XcᵀWXc + αΩ)⁻¹ (XcᵀW yc + αΩβ₀),   β_int = ȳ − x̄ᵀβ   (weighted centring),

n refits of it for leave-one-out, the GCV formula from its hat matrix, and the log marginal
likelihood of the Gaussian model with flat intercept and flat null-space coordinates,
maximized by brute force."""
import numpy as np
import pytest

from fastridge import Ridge, RidgeCV, RidgeEM, difference_penalty, ridge_path

ALPHAS = np.array([0.05, 0.7, 3.0, 40.0])


def closed_form(X, y, alpha, omega, prior=None, w=None, fit_intercept=True):
    """(coef (k, p), intercept (k,)) of the generalized ridge objective, float64 numpy."""
    n, p = X.shape
    Y = y.reshape(n, -1)
    k = Y.shape[1]
    w = np.ones(n) if w is None else np.asarray(w, float)
    prior = np.zeros((k, p)) if prior is None else np.broadcast_to(prior, (k, p))
    if fit_intercept:
        xm, ym = w @ X / w.sum(), w @ Y / w.sum()
    else:
        xm, ym = np.zeros(p), np.zeros(k)
    Xc, Yc = X - xm, Y - ym
    A = Xc.T @ (w[:, None] * Xc) + alpha * omega
    coef = np.stack([np.linalg.solve(A, Xc.T @ (w * Yc[:, t]) + alpha * omega @ prior[t])
                     for t in range(k)])
    return coef, ym - coef @ xm


def data(n=40, p=8, k=None, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    beta = np.sin(np.arange(p)) + 0.3
    y = X @ beta + 0.5 * rng.standard_normal(n)
    if k is not None:
        y = np.column_stack([y + 0.3 * t * rng.standard_normal(n) for t in range(k)])
    return X, y + 2.0


def _flat(coef, intercept, y):
    return (coef[0], intercept[0]) if y.ndim == 1 else (coef, intercept)


# ------------------------------------------------------------------------- helper

def test_difference_penalty_is_numpy_diff_and_has_polynomial_null_space():
    D = difference_penalty(7, order=2)
    assert D.shape == (5, 7)
    # each row a second difference of the coefficients: applied to i², it is 2
    np.testing.assert_array_equal(D @ np.arange(7.0) ** 2, np.full(5, 2.0))
    np.testing.assert_array_equal(D @ (3.0 + 2.0 * np.arange(7.0)), np.zeros(5))
    np.testing.assert_array_equal(difference_penalty(3, order=0), np.eye(3))
    for bad in (dict(n_features=3, order=3), dict(n_features=0), dict(n_features=4, order=-1),
                dict(n_features=4.0), dict(n_features=4, order=True)):
        with pytest.raises(ValueError, match="n_features|order"):
            difference_penalty(**bad)


# ------------------------------------------------------------------------- Ridge

@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd", "cd", "cg"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_equals_closed_form_singular_penalty(solver, fit_intercept, weighted):
    X, y = data(k=3)
    rng = np.random.default_rng(1)
    w = rng.uniform(0.2, 3.0, X.shape[0]) if weighted else None
    D = difference_penalty(X.shape[1], 2)
    prior = rng.standard_normal((3, X.shape[1]))           # one prior mean per target
    model = Ridge(alpha=2.5, penalty_root=D, coef_prior=prior, solver=solver,
                  fit_intercept=fit_intercept, tol=1e-13, max_iter=100000)
    model.fit(X, y, sample_weight=w)
    coef, icpt = closed_form(X, y, 2.5, D.T @ D, prior, w, fit_intercept)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(model.intercept_, icpt if fit_intercept else 0.0, atol=1e-9)
    np.testing.assert_allclose(model.predict(X), X @ coef.T + icpt, atol=1e-8)
    # penalty_matrix = DᵀD is the same model as penalty_root = D
    other = Ridge(alpha=2.5, penalty_matrix=D.T @ D, coef_prior=prior, solver=solver,
                  fit_intercept=fit_intercept, tol=1e-13, max_iter=100000)
    np.testing.assert_allclose(other.fit(X, y, sample_weight=w).coef_, coef, rtol=1e-8,
                               atol=1e-10)


def test_ridge_one_target_shared_prior_and_dense_positive_definite():
    X, y = data()
    rng = np.random.default_rng(2)
    L = rng.standard_normal((12, 8))
    omega = L.T @ L
    prior = rng.standard_normal(8)
    model = Ridge(alpha=0.8, penalty_matrix=omega, coef_prior=prior).fit(X, y)
    coef, icpt = closed_form(X, y, 0.8, omega, prior)
    assert model.coef_.shape == (8,)
    np.testing.assert_allclose(model.coef_, coef[0], rtol=1e-9)
    np.testing.assert_allclose(model.intercept_, icpt[0], rtol=1e-9)
    # one prior of shape (p,) for several targets: each target shrinks towards it
    Y = np.column_stack([y, 2 * y])
    coef2, _ = closed_form(X, Y, 0.8, omega, prior)
    np.testing.assert_allclose(Ridge(alpha=0.8, penalty_matrix=omega, coef_prior=prior)
                               .fit(X, Y).coef_, coef2, rtol=1e-9)
    # score is R² of the original-scale predictions
    pred = X @ coef[0] + icpt[0]
    r2 = 1 - np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2)
    assert model.score(X, y) == pytest.approx(r2, rel=1e-12)


def test_identity_and_diagonal_equal_plain_ridge_and_penalty_factor():
    X, y = data(k=2)
    v = np.array([0.5, 2.0, 1.0, 0.0, 3.0, 1.0, 1.0, 0.2])
    plain = Ridge(alpha=1.7).fit(X, y)
    np.testing.assert_allclose(Ridge(alpha=1.7, penalty_matrix=np.eye(8)).fit(X, y).coef_,
                               plain.coef_, rtol=1e-10)
    pf = Ridge(alpha=1.7, penalty_factor=v).fit(X, y)
    gen = Ridge(alpha=1.7, penalty_matrix=np.diag(v)).fit(X, y)
    np.testing.assert_allclose(gen.coef_, pf.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gen.intercept_, pf.intercept_, rtol=1e-10)
    # a prior of zeros is no prior
    np.testing.assert_allclose(Ridge(alpha=1.7, coef_prior=np.zeros(8)).fit(X, y).coef_,
                               plain.coef_, rtol=1e-12)


def test_prior_alone_keeps_standardize_penalty_factor_and_sparse_x():
    sp = pytest.importorskip("scipy.sparse")
    X, y = data()
    prior = np.linspace(-1, 1, 8)
    v = np.linspace(0.5, 2.0, 8)
    # standardize: the penalty is Σ vⱼ sⱼ² (βⱼ − β₀ⱼ)² with sⱼ the population SD
    s = X.std(axis=0)
    coef, icpt = closed_form(X, y, 3.0, np.diag(v * s * s), prior)
    model = Ridge(alpha=3.0, coef_prior=prior, standardize=True, penalty_factor=v).fit(X, y)
    np.testing.assert_allclose(model.coef_, coef[0], rtol=1e-9)
    model = Ridge(alpha=3.0, coef_prior=prior, penalty_factor=v).fit(sp.csr_matrix(X), y)
    coef, icpt = closed_form(X, y, 3.0, np.diag(v), prior)
    np.testing.assert_allclose(model.coef_, coef[0], rtol=1e-9)
    np.testing.assert_allclose(model.intercept_, icpt[0], rtol=1e-9)


def test_sparse_x_with_penalty_matrix_is_densified_and_exact():
    sp = pytest.importorskip("scipy.sparse")
    X, y = data()
    X[X < 0.3] = 0.0
    D = difference_penalty(8, 1)
    model = Ridge(alpha=2.0, penalty_root=D).fit(sp.csc_matrix(X), y)
    coef, icpt = closed_form(X, y, 2.0, D.T @ D)
    np.testing.assert_allclose(model.coef_, coef[0], rtol=1e-9)
    np.testing.assert_allclose(model.predict(sp.csr_matrix(X)), X @ coef[0] + icpt[0],
                               rtol=1e-9)


def test_float32_stays_float32():
    X, y = data()
    D = difference_penalty(8, 2)
    model = Ridge(alpha=2.0, penalty_root=D).fit(X.astype(np.float32), y.astype(np.float32))
    coef, _ = closed_form(X, y, 2.0, D.T @ D)
    assert model.coef_.dtype == np.float32
    np.testing.assert_allclose(model.coef_, coef[0], rtol=2e-3, atol=2e-3)


# ------------------------------------------------------------------------- ridge_path

@pytest.mark.parametrize("solver", ["auto", "cd", "cg", "cholesky", "svd"])
def test_path_equals_closed_form_at_every_alpha(solver):
    X, y = data(k=2)
    D = difference_penalty(8, 2)
    prior = np.random.default_rng(3).standard_normal((2, 8))
    path = ridge_path(X, y, alphas=ALPHAS, penalty_root=D, coef_prior=prior, solver=solver,
                      tol=1e-13, max_iter=100000)
    for i, a in enumerate(path.alphas):
        coef, icpt = closed_form(X, y, a, D.T @ D, prior)
        np.testing.assert_allclose(path.coef[i], coef, rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(path.intercept[i], icpt, rtol=1e-7, atol=1e-9)
    # off the grid, exactly, from the decomposition of the standard form
    coef, icpt = closed_form(X, y, 1.234, D.T @ D, prior)
    c, i0 = path.coef_at(alpha=1.234)
    np.testing.assert_allclose(c, coef, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(i0, icpt, rtol=1e-9)
    np.testing.assert_allclose(path.predict(X)[:, 0], X @ path.coef[0].T + path.intercept[0],
                               rtol=1e-12)


def test_path_positive_definite_penalty_eigen():
    X, y = data()
    D = difference_penalty(8, 2)
    omega = D.T @ D + 0.1 * np.eye(8)
    path = ridge_path(X, y, alphas=ALPHAS, penalty_matrix=omega)
    assert path.solver == "eigen"
    for i, a in enumerate(path.alphas):
        np.testing.assert_allclose(path.coef[i], closed_form(X, y, a, omega)[0][0], rtol=1e-9)


# ------------------------------------------------------------------------- RidgeCV

def brute_loo(X, y, alphas, omega, prior=None, w=None):
    """Weighted mean over rows of wᵢ (yᵢ − ŷ₋ᵢ)² / Σw, n refits of the closed form."""
    n = X.shape[0]
    w = np.ones(n) if w is None else w
    out = []
    for a in alphas:
        err = 0.0
        for i in range(n):
            keep = np.arange(n) != i
            c, b = closed_form(X[keep], y[keep], a, omega, prior, w[keep])
            err += w[i] * np.mean((y[i] - X[i] @ c.T - b) ** 2)
        out.append(err / w.sum())
    return np.array(out)


@pytest.mark.parametrize("penalty", ["singular", "definite"])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridgecv_loo_equals_n_refits(penalty, weighted):
    X, y = data(n=30, k=2)
    rng = np.random.default_rng(4)
    w = rng.uniform(0.3, 2.0, 30) if weighted else None
    D = difference_penalty(8, 2)
    omega = D.T @ D if penalty == "singular" else D.T @ D + 0.05 * np.eye(8)
    prior = rng.standard_normal(8)
    model = RidgeCV(alphas=ALPHAS, penalty_matrix=omega, coef_prior=prior)
    model.fit(X, y, sample_weight=w)
    expect = brute_loo(X, y, ALPHAS, omega, prior, w)
    np.testing.assert_allclose(model.cv_results_["mean_error"], expect, rtol=1e-8)
    best = ALPHAS[np.argmin(expect)]
    assert model.alpha_ == best
    coef, icpt = closed_form(X, y, best, omega, prior, w)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(model.intercept_, icpt, rtol=1e-9)


def test_ridgecv_gcv_equals_closed_form():
    X, y = data(n=30)
    D = difference_penalty(8, 2)
    omega = D.T @ D
    model = RidgeCV(alphas=ALPHAS, cv="gcv", penalty_root=D).fit(X, y)
    n = X.shape[0]
    Xc = X - X.mean(axis=0)
    for j, a in enumerate(ALPHAS):
        coef, icpt = closed_form(X, y, a, omega)
        rss = np.sum((y - X @ coef[0] - icpt[0]) ** 2)
        # the hat matrix minus the intercept's 1/n·11ᵀ: df counts the null space (2 here)
        df = np.trace(Xc @ np.linalg.solve(Xc.T @ Xc + a * omega, Xc.T))
        np.testing.assert_allclose(model.cv_results_["mean_error"][j],
                                   (rss / n) / (1 - df / n) ** 2, rtol=1e-9)


def test_ridgecv_kfold_and_default_grid():
    X, y = data(n=40)
    D = difference_penalty(8, 2)
    folds = [(np.setdiff1d(np.arange(40), t), t) for t in np.array_split(np.arange(40), 4)]
    model = RidgeCV(alphas=ALPHAS, cv=folds, penalty_root=D,
                    scoring="neg_mean_squared_error").fit(X, y)
    errs = []
    for a in ALPHAS:
        e = []
        for tr, te in folds:
            c, b = closed_form(X[tr], y[tr], a, D.T @ D)
            e.append(np.mean((y[te] - X[te] @ c[0] - b[0]) ** 2))
        errs.append(np.mean(e))
    assert model.alpha_ == ALPHAS[np.argmin(errs)]
    # the default grid (extended and refined) ends at a coefficient vector of the closed form
    model = RidgeCV(penalty_root=D).fit(X, y)
    np.testing.assert_allclose(model.coef_, closed_form(X, y, model.alpha_, D.T @ D)[0][0],
                               rtol=1e-8)


def test_ridgecv_stored_predictions_are_of_y():
    X, y = data(n=25)
    prior = np.full(8, 0.5)
    model = RidgeCV(alphas=ALPHAS, coef_prior=prior, store_cv_results=True,
                    scoring="neg_mean_squared_error").fit(X, y)
    # leave-one-out predictions of y itself (not of y − Xβ₀), from n refits
    for j, a in enumerate(ALPHAS):
        for i in (0, 7):
            keep = np.arange(25) != i
            c, b = closed_form(X[keep], y[keep], a, np.eye(8), prior)
            assert model.cv_results_[i, j] == pytest.approx(X[i] @ c[0] + b[0], rel=1e-9)


# ------------------------------------------------------------------------- RidgeEM

def log_evidence(X, y, alpha, omega, prior, sigma2=None):
    """log p(y | α, σ²) of y = β_int + Xβ + ε, ε ~ N(0, σ²I), β − β₀ ~ N(0, σ²/α Ω⁺) on Ω's
    range, flat on its null space (orthonormal coordinates) and on β_int: the Gaussian
    integral written out with F = [1, X U₀], K = I + XΩ⁺Xᵀ/α (σ² profiled out when None)."""
    n = X.shape[0]
    lam, U = np.linalg.eigh(omega)
    U0 = U[:, lam < 1e-9 * lam.max()]
    F = np.column_stack([np.ones(n), X @ U0])
    m = F.shape[1]
    r = y - X @ prior
    K = np.eye(n) + X @ np.linalg.pinv(omega) @ X.T / alpha
    Ki = np.linalg.inv(K)
    FKF = F.T @ Ki @ F
    Q = r @ (Ki - Ki @ F @ np.linalg.solve(FKF, F.T @ Ki)) @ r
    s2 = Q / (n - m) if sigma2 is None else sigma2
    return -0.5 * ((n - m) * np.log(2 * np.pi * s2) + np.linalg.slogdet(K)[1]
                   + np.linalg.slogdet(FKF)[1] + Q / s2)


@pytest.mark.parametrize("penalty", ["singular", "definite"])
def test_ridgeem_maximizes_brute_force_evidence(penalty):
    X, y = data(n=40)
    D = difference_penalty(8, 2)
    omega = D.T @ D if penalty == "singular" else D.T @ D + 0.2 * np.eye(8)
    prior = np.random.default_rng(5).normal(0.0, 0.2, 8)
    model = RidgeEM(penalty_matrix=omega, coef_prior=prior).fit(X, y)
    grid = np.exp(np.linspace(np.log(model.alpha_) - 3, np.log(model.alpha_) + 3, 601))
    ll = np.array([log_evidence(X, y, a, omega, prior) for a in grid])
    assert grid[np.argmax(ll)] == pytest.approx(model.alpha_, rel=0.011)   # grid spacing 1%
    assert model.log_marginal_likelihood_ == pytest.approx(
        log_evidence(X, y, model.alpha_, omega, prior), rel=1e-10)
    assert ll.max() <= model.log_marginal_likelihood_ + 1e-9
    assert model.log_marginal_likelihood(2.0, 0.7) == pytest.approx(
        log_evidence(X, y, 2.0, omega, prior, 0.7), rel=1e-10)
    coef, icpt = closed_form(X, y, model.alpha_, omega, prior)
    np.testing.assert_allclose(model.coef_, coef[0], rtol=1e-8)
    # posterior covariance σ²(XcᵀXc + αΩ)⁻¹ and the predictive SD with it
    Xc = X - X.mean(axis=0)
    cov = model.noise_variance_ * np.linalg.inv(Xc.T @ Xc + model.alpha_ * omega)
    np.testing.assert_allclose(model.coef_cov_, cov, rtol=1e-7, atol=1e-12)
    _, sd = model.predict(X[:4], return_std=True)
    z = X[:4] - X.mean(axis=0)
    np.testing.assert_allclose(
        sd, np.sqrt(model.noise_variance_ * (1 + 1 / 40) + np.einsum("ni,ij,nj->n", z, cov, z)),
        rtol=1e-8)


def test_ridgeem_integer_weights_are_repeated_rows():
    X, y = data(n=20)
    D = difference_penalty(8, 2)
    w = np.arange(20) % 3 + 1.0
    rep = np.repeat(np.arange(20), w.astype(int))
    a = RidgeEM(penalty_root=D).fit(X, y, sample_weight=w)
    b = RidgeEM(penalty_root=D).fit(X[rep], y[rep])
    assert a.alpha_ == pytest.approx(b.alpha_, rel=1e-7)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-7)


# ------------------------------------------------------------------------- errors

@pytest.mark.parametrize("est", [Ridge(), RidgeCV(alphas=ALPHAS), RidgeEM()])
def test_bad_inputs_name_the_argument(est):
    X, y = data(p=4)
    good = np.eye(4)
    bad = {
        "penalty_matrix": [(np.eye(3), "penalty_matrix.*shape"),
                           (np.ones((4, 3)), "penalty_matrix"),
                           (np.triu(np.ones((4, 4))), "penalty_matrix must be symmetric"),
                           (-np.eye(4), "penalty_matrix must be positive semidefinite"),
                           (np.full((4, 4), np.nan), "penalty_matrix must be finite"),
                           (np.ones(4), "penalty_matrix must be a 2-D")],
        "penalty_root": [(np.ones((2, 3)), "penalty_root must have n_features=4 columns"),
                         (np.array([[np.inf, 0, 0, 0]]), "penalty_root must be finite")],
        "coef_prior": [(np.ones(3), r"coef_prior must have shape"),
                       (np.ones((2, 4)), r"coef_prior must have shape"),
                       (np.array([0, np.nan, 0, 0]), "coef_prior must be finite")],
    }
    for name, cases in bad.items():
        for value, match in cases:
            with pytest.raises(ValueError, match=match):
                est.set_params(**{name: value}).fit(X, y)
            est.set_params(**{name: None})
    with pytest.raises(ValueError, match="mutually exclusive"):
        est.set_params(penalty_matrix=good, penalty_root=good).fit(X, y)
    est.set_params(penalty_matrix=None, penalty_root=None)
    if "penalty_factor" in est.get_params():
        with pytest.raises(ValueError, match="penalty_factor and penalty_matrix"):
            est.set_params(penalty_matrix=good, penalty_factor=np.ones(4)).fit(X, y)
        est.set_params(penalty_matrix=None, penalty_factor=None)
    with pytest.raises(ValueError, match="standardize=True with penalty_matrix"):
        est.set_params(penalty_matrix=good, standardize=True).fit(X, y)
    est.set_params(penalty_matrix=None, standardize=False)


def test_refusals_partial_fit_dask_inference():
    X, y = data(p=4)
    with pytest.raises(ValueError, match="partial_fit does not support"):
        Ridge(penalty_matrix=np.eye(4)).partial_fit(X, y)
    fitted = Ridge(coef_prior=np.ones(4)).fit(X, y)
    with pytest.raises(ValueError, match="partial_fit does not support"):
        fitted.partial_fit(X, y)
    with pytest.raises(ValueError, match="inference is not available"):
        fitted.inference(X, y)
    da = pytest.importorskip("dask.array")
    with pytest.raises(ValueError, match="Dask arrays are not supported"):
        Ridge(penalty_matrix=np.eye(4)).fit(da.from_array(X, chunks=10), da.from_array(y, 10))


def test_inputs_unchanged_and_failed_fit_leaves_estimator():
    X, y = data()
    D = difference_penalty(8, 2)
    prior = np.ones(8)
    copies = [a.copy() for a in (X, y, D, prior)]
    model = RidgeCV(alphas=ALPHAS, penalty_root=D, coef_prior=prior).fit(X, y)
    for a, b in zip((X, y, D, prior), copies):
        np.testing.assert_array_equal(a, b)
    before = {k: (v.copy() if isinstance(v, np.ndarray) else v)
              for k, v in model.__dict__.items()}
    with pytest.raises(ValueError, match="penalty_root"):
        model.set_params(penalty_root=np.ones((2, 3))).fit(X, y)
    assert set(model.__dict__) == set(before)
    np.testing.assert_array_equal(model.coef_, before["coef_"])
    assert model.alpha_ == before["alpha_"]


def test_refit_without_penalty_is_plain():
    X, y = data()
    model = Ridge(alpha=1.0, penalty_matrix=np.diag(np.arange(1.0, 9.0))).fit(X, y)
    model.set_params(penalty_matrix=None).fit(X, y)
    np.testing.assert_allclose(model.coef_, Ridge(alpha=1.0).fit(X, y).coef_, rtol=1e-12)
    assert "_generalized_T" not in model.__dict__


# ------------------------------------------------------------------------- real data, R oracle

MCYCLE = __import__("pathlib").Path(__file__).parent / "data" / "mcycle"


def _csv(name):
    return np.genfromtxt(MCYCLE / name, delimiter=",", skip_header=1)


def test_pspline_on_mcycle_equals_r():
    # MASS::mcycle with a cubic B-spline basis (20 segments) and the second-difference penalty:
    # df, GCV, exact LOO and the coefficients computed in R (tests/data/mcycle/mcycle.R) from
    # its own basis (splines::splineDesign) and hat matrix
    interpolate = pytest.importorskip("scipy.interpolate")
    data_ = _csv("mcycle.csv")
    x, y = data_[:, 0], data_[:, 1]
    knots = _csv("knots.csv")
    B = interpolate.BSpline.design_matrix(x, knots, 3).toarray()
    np.testing.assert_allclose(B, _csv("basis.csv"), atol=1e-13)      # the same basis
    D = difference_penalty(B.shape[1], 2)
    ref = _csv("pspline.csv")                                          # lambda, df, rss, gcv, loo
    lam = ref[:, 0]
    loo = RidgeCV(alphas=lam, penalty_root=D, fit_intercept=False).fit(B, y)
    np.testing.assert_allclose(loo.cv_results_["mean_error"], ref[:, 4], rtol=1e-8)
    gcv = RidgeCV(alphas=lam, penalty_root=D, fit_intercept=False, cv="gcv").fit(B, y)
    np.testing.assert_allclose(gcv.cv_results_["mean_error"], ref[:, 3], rtol=1e-8)
    # df: the penalized directions' plus the null space's 2 (constants and lines)
    np.testing.assert_allclose(gcv.cv_results_["df"] + 2, ref[:, 1], rtol=1e-8)
    path = ridge_path(B, y, alphas=lam, penalty_root=D, fit_intercept=False, solver="cholesky")
    rss = ((y[:, None] - path.predict(B)) ** 2).sum(axis=0)
    np.testing.assert_allclose(rss, ref[::-1, 2], rtol=1e-9)           # the path: descending
    coef = Ridge(alpha=10.0, penalty_root=D, fit_intercept=False).fit(B, y).coef_
    np.testing.assert_allclose(coef, _csv("coef.csv"), rtol=1e-8, atol=1e-8)
    # with an intercept, which the basis already holds (it sums to 1): the same smoother,
    # the same leave-one-out errors
    with_icpt = RidgeCV(alphas=lam, penalty_root=D).fit(B, y)
    np.testing.assert_allclose(with_icpt.cv_results_["mean_error"], ref[:, 4], rtol=1e-7)
    np.testing.assert_allclose(with_icpt.predict(B), loo.predict(B), rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd", "cd", "cg"])
def test_null_space_holding_the_intercept(order, solver):
    # a B-spline basis sums to 1: a difference penalty's constant is the intercept's own
    # direction.  With fit_intercept=True the smoother is the same as without (the closed
    # form's minimum-norm solution), not a fit of the rounding noise of that column's centring
    interpolate = pytest.importorskip("scipy.interpolate")
    x, y = _csv("mcycle.csv").T
    B = interpolate.BSpline.design_matrix(x, _csv("knots.csv"), 3).toarray()
    D = difference_penalty(B.shape[1], order)
    w = 1.0 + (np.arange(x.size) % 4)
    coef, _ = closed_form(B, y, 3.0, D.T @ D, w=w, fit_intercept=False)
    model = Ridge(alpha=3.0, penalty_root=D, solver=solver, tol=1e-12, max_iter=100000)
    model.fit(B, y, sample_weight=w)
    np.testing.assert_allclose(model.predict(B), B @ coef[0], rtol=1e-7, atol=1e-6)
    if solver == "auto":
        cv = RidgeCV(alphas=ALPHAS, penalty_root=D).fit(B, y, sample_weight=w)
        ref = RidgeCV(alphas=ALPHAS, penalty_root=D, fit_intercept=False).fit(B, y,
                                                                             sample_weight=w)
        np.testing.assert_allclose(cv.cv_results_["mean_error"],
                                   ref.cv_results_["mean_error"], rtol=1e-9)
        em = RidgeEM(penalty_root=D).fit(B, y)
        assert em.alpha_ == pytest.approx(RidgeEM(penalty_root=D, fit_intercept=False)
                                          .fit(B, y).alpha_, rel=1e-8)
