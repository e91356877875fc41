"""GroupRidgeCV (banded ridge) against independent oracles: n brute-force refits with per-group
penalties, the numpy normal equations, finite differences, a fine grid search and RidgeCV."""
import numpy as np
import pytest

from fastridge import GroupRidgeCV, RidgeCV
from fastridge._group import loo_at


def make(n=60, sizes=(4, 7), k=1, seed=0, scales=(1.0, 0.1, 0.5), noise=1.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, sum(sizes))) + rng.standard_normal(sum(sizes))
    groups, start = [], 0
    Y = np.zeros((n, k))
    assert len(scales) >= len(sizes)
    for size, sc in zip(sizes, scales):
        g = np.arange(start, start + size)
        groups.append(g)
        Y += X[:, g] @ (sc * rng.standard_normal((size, k)))
        start += size
    Y += noise * rng.standard_normal((n, k)) + 2.0
    return X, (Y[:, 0] if k == 1 else Y), groups


def closed_form(X, y, groups, alphas, intercept=True):
    """Numpy normal equations (XcᵀXc + diag(α_g(j))) b = Xcᵀ yc, intercept ȳ − x̄ᵀb."""
    pen = np.empty(X.shape[1])
    for g, a in zip(groups, alphas):
        pen[g] = a
    xm = X.mean(axis=0) if intercept else np.zeros(X.shape[1])
    ym = y.mean() if intercept else 0.0
    Xc = X - xm
    b = np.linalg.solve(Xc.T @ Xc + np.diag(pen), Xc.T @ (y - ym))
    return b, ym - xm @ b


def brute_loo(X, y, groups, alphas, intercept=True):
    """Mean squared leave-one-out error by n refits."""
    n = X.shape[0]
    err = np.empty(n)
    for i in range(n):
        keep = np.arange(n) != i
        b, b0 = closed_form(X[keep], y[keep], groups, alphas, intercept)
        err[i] = y[i] - X[i] @ b - b0
    return np.mean(err ** 2)


def kernels_of(X, y, groups, intercept=True):
    xm = X.mean(axis=0) if intercept else np.zeros(X.shape[1])
    blocks = [X[:, g] - xm[g] for g in groups]
    Y = y.reshape(len(y), -1)
    Yc = Y - (Y.mean(axis=0) if intercept else 0.0)
    return np.stack([B @ B.T for B in blocks]), blocks, Yc


@pytest.mark.parametrize("intercept", [True, False])
def test_loo_objective_equals_n_refits(intercept):
    X, y, groups = make(n=40, sizes=(3, 5, 2))
    kern, blocks, Yc = kernels_of(X, y, groups, intercept)
    for alphas in ([1.0, 10.0, 0.1], [300.0, 0.02, 5.0]):
        loss, _, _ = loo_at(kern, np.log(alphas), Yc, intercept)
        assert loss[0] == pytest.approx(brute_loo(X, y, groups, alphas, intercept), rel=1e-8)


def test_gradient_matches_finite_differences():
    X, Y, groups = make(n=50, sizes=(3, 6, 4), k=3, scales=(1.0, 0.2, 0.0))
    kern, blocks, Yc = kernels_of(X, Y, groups)
    t = np.log([2.0, 30.0, 0.5])
    _, grad, _ = loo_at(kern, t, Yc, True, True, blocks)
    h = 1e-5
    for m in range(3):
        e = np.zeros(3)
        e[m] = h
        fd = (loo_at(kern, t + e, Yc, True)[0] - loo_at(kern, t - e, Yc, True)[0]) / (2 * h)
        np.testing.assert_allclose(grad[m], fd, rtol=1e-6, atol=1e-12)


def test_one_group_is_ridgecv_leave_one_out():
    X, y, _ = make(n=70, sizes=(8,), scales=(0.5,))
    grid = np.logspace(-2, 4, 25)
    ours = GroupRidgeCV(alphas=grid).fit(X, y)
    ref = RidgeCV(alphas=grid).fit(X, y)
    assert ours.best_alphas_.shape == (1,)
    assert ours.best_alphas_[0] == pytest.approx(ref.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
    # the leave-one-out R² reported is 1 − (RidgeCV's leave-one-out MSE) / var(y)
    assert ours.cv_scores_ == pytest.approx(1 + ref.best_score_ / np.var(y), rel=1e-9)


def test_optimizer_finds_the_grid_minimum_of_brute_force_loo():
    X, y, groups = make(n=40, sizes=(3, 5), scales=(1.0, 0.5), seed=3, noise=2.0)
    model = GroupRidgeCV(groups=groups, tol=1e-10).fit(X, y)
    # fine grid (steps of 0.2 in log α) of the brute-force leave-one-out error around it
    t1 = np.log(model.best_alphas_[0]) + np.linspace(-2, 2, 21)
    t2 = np.log(model.best_alphas_[1]) + np.linspace(-2, 2, 21)
    table = np.array([[brute_loo(X, y, groups, np.exp([a, b])) for b in t2] for a in t1])
    ours = brute_loo(X, y, groups, model.best_alphas_)
    assert ours <= table.min() + 1e-10
    i, j = np.unravel_index(np.argmin(table), table.shape)
    assert (i, j) == (10, 10)      # an interior minimum, at the grid's centre
    assert 1 - ours / np.var(y) == pytest.approx(model.cv_scores_, rel=1e-9)
    # a wider look: no point of a coarse grid over 8 decades does better
    kern, blocks, Yc = kernels_of(X, y, groups)
    coarse = np.log(np.logspace(-3, 5, 17))
    assert ours <= min(loo_at(kern, np.array([a, b]), Yc, True)[0][0]
                       for a in coarse for b in coarse) + 1e-12


@pytest.mark.parametrize("intercept", [True, False])
def test_coef_at_best_alphas_is_the_closed_form(intercept):
    X, Y, groups = make(n=80, sizes=(5, 3, 6), k=4, scales=(1.0, 0.0, 0.3), seed=5)
    model = GroupRidgeCV(groups=groups, fit_intercept=intercept).fit(X, Y)
    assert model.best_alphas_.shape == (4, 3)
    assert model.coef_.shape == (4, 14)
    for j in range(4):
        b, b0 = closed_form(X, Y[:, j], groups, model.best_alphas_[j], intercept)
        np.testing.assert_allclose(model.coef_[j], b, rtol=1e-8, atol=1e-10)
        if intercept:
            assert model.intercept_[j] == pytest.approx(b0, rel=1e-8)
        loo = brute_loo(X, Y[:, j], groups, model.best_alphas_[j], intercept)
        ss = np.mean((Y[:, j] - (Y[:, j].mean() if intercept else 0.0)) ** 2)
        assert model.cv_scores_[j] == pytest.approx(1 - loo / ss, rel=1e-8)
    np.testing.assert_allclose(model.predict(X), X @ model.coef_.T + model.intercept_)


@pytest.mark.parametrize("n_refine", [10, 1])
def test_refinement_never_worse_than_the_start_and_each_target_at_a_minimum(n_refine):
    X, Y, groups = make(n=60, sizes=(4, 6), k=3, scales=(1.0, 0.3), seed=8)
    start = GroupRidgeCV(groups=groups, max_iter=0).fit(X, Y)
    full = GroupRidgeCV(groups=groups, tol=1e-10, n_refine=n_refine).fit(X, Y)
    assert np.all(full.cv_scores_ >= start.cv_scores_ - 1e-12)
    kern, blocks, Yc = kernels_of(X, Y, groups)
    for j in range(3):      # the reported score is the leave-one-out error at best_alphas_
        loo = brute_loo(X, Y[:, j], groups, full.best_alphas_[j])
        assert full.cv_scores_[j] == pytest.approx(1 - loo / np.var(Y[:, j]), rel=1e-9)
    if n_refine < 3:        # clusters of targets share a refined α: no per-target minimum
        return
    for j in range(3):   # each target's α: no better point nearby (steps of 10% in each α)
        t = np.log(full.best_alphas_[j])
        here = loo_at(kern, t, Yc[:, [j]], True)[0][0]
        for d in ([0.1, 0], [-0.1, 0], [0, 0.1], [0, -0.1]):
            assert here <= loo_at(kern, t + np.array(d), Yc[:, [j]], True)[0][0] + 1e-12


def test_shared_alpha_minimizes_the_mean_loo():
    X, Y, groups = make(n=50, sizes=(3, 4), k=3, scales=(1.0, 0.4), seed=2)
    model = GroupRidgeCV(groups=groups, alpha_per_target=False, tol=1e-10).fit(X, Y)
    assert model.best_alphas_.shape == (2,)
    mean_loo = [brute_loo(X, Y[:, j], groups, model.best_alphas_) for j in range(3)]
    kern, blocks, Yc = kernels_of(X, Y, groups)
    grid = np.log(np.logspace(-2, 4, 25))
    best_grid = min(loo_at(kern, np.array([a, b]), Yc, True)[0].mean() for a in grid
                    for b in grid)
    assert np.mean(mean_loo) <= best_grid + 1e-12
    for j in range(3):
        b, _ = closed_form(X, Y[:, j], groups, model.best_alphas_)
        np.testing.assert_allclose(model.coef_[j], b, rtol=1e-8, atol=1e-10)


def test_labels_and_index_lists_are_the_same_groups():
    X, y, _ = make(n=40, sizes=(3, 3), seed=4)
    labels = np.array([5, 2, 5, 2, 2, 5])
    a = GroupRidgeCV(groups=labels).fit(X, y)
    b = GroupRidgeCV(groups=[[1, 3, 4], [0, 2, 5]]).fit(X, y)
    np.testing.assert_allclose(a.best_alphas_, b.best_alphas_)
    np.testing.assert_allclose(a.coef_, b.coef_)
    assert [g.tolist() for g in a.groups_] == [[1, 3, 4], [0, 2, 5]]


def test_score_per_group_splits_the_r2():
    X, Y, groups = make(n=90, sizes=(4, 5), k=2, scales=(1.0, 0.5), seed=6)
    model = GroupRidgeCV(groups=groups).fit(X[:60], Y[:60])
    # on the training rows the split sums to the R² of each target
    fitted = model.predict(X[:60])
    r2 = [1 - np.sum((Y[:60, j] - fitted[:, j]) ** 2) / np.sum((Y[:60, j] - Y[:60, j].mean()) ** 2)
          for j in range(2)]
    np.testing.assert_allclose(model.explained_variance_per_group_.sum(axis=1), r2, rtol=1e-10)
    split = model.score_per_group(X[60:], Y[60:])
    yt = Y[60:] - Y[60:].mean(axis=0)
    for j in range(2):
        parts = [X[60:, g] @ model.coef_[j, g] for g in groups]
        parts = [q - q.mean() for q in parts]
        tot = parts[0] + parts[1]
        # the oracle: each band's share 2⟨y, ŷₘ⟩ − ⟨ŷₘ, ŷ⟩ over ‖y‖², summing to the R² of
        # the bias-corrected prediction
        want = [(2 * yt[:, j] @ q - q @ tot) / (yt[:, j] @ yt[:, j]) for q in parts]
        np.testing.assert_allclose(split[j], want, rtol=1e-10)
        assert split[j].sum() == pytest.approx(
            1 - np.sum((yt[:, j] - tot) ** 2) / np.sum(yt[:, j] ** 2), rel=1e-10)


@pytest.mark.parametrize("groups, match", [
    ([[0, 1, 2], [2, 3, 4, 5]], "overlapping"),
    ([[0, 1, 2], [3, 4, 6]], "out of range"),
    ([[0, 1], [3, 4, 5]], "belong to no group"),
    ([[0, 1, 2], []], "empty"),
    ([0, 1, 1], "one label per feature"),
    ([[0.5, 1], [2, 3, 4, 5]], "integer"),
])
def test_bad_groups_are_named(groups, match):
    X, y, _ = make(n=20, sizes=(3, 3))
    with pytest.raises(ValueError, match=match) as err:
        GroupRidgeCV(groups=groups).fit(X, y)
    assert "groups" in str(err.value)


@pytest.mark.parametrize("params, name", [({"cv": "gcv"}, "cv"), ({"cv": 1}, "cv"),
                                          ({"solver": "svd"}, "solver"),
                                          ({"n_iter": -1}, "n_iter"),
                                          ({"tol": 0.0}, "tol"), ({"alphas": [1.0, -1.0]},
                                                                   "alphas")])
def test_bad_parameters_are_named(params, name):
    X, y, groups = make(n=20, sizes=(3, 3))
    with pytest.raises(ValueError, match=name):
        GroupRidgeCV(groups=groups, **params).fit(X, y)


def test_inputs_not_modified_and_failed_fit_keeps_the_model():
    X, Y, groups = make(n=30, sizes=(2, 3), k=2)
    X0, Y0 = X.copy(), Y.copy()
    model = GroupRidgeCV(groups=groups).fit(X, Y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
    coef = model.coef_.copy()
    model.set_params(groups=[[0, 1], [1, 2, 3, 4]])
    with pytest.raises(ValueError, match="overlapping"):
        model.fit(X[:, ::-1] * 2, Y)
    np.testing.assert_array_equal(model.coef_, coef)


def test_shapes_for_one_column_y_and_float32():
    X, y, groups = make(n=50, sizes=(3, 4), seed=9)
    a = GroupRidgeCV(groups=groups).fit(X, y)
    b = GroupRidgeCV(groups=groups).fit(X, y[:, None])
    assert a.coef_.shape == (7,) and np.ndim(a.intercept_) == 0 and a.best_alphas_.shape == (2,)
    assert b.coef_.shape == (7,) and b.best_alphas_.shape == (1, 2)
    np.testing.assert_allclose(b.best_alphas_[0], a.best_alphas_)
    c = GroupRidgeCV(groups=groups).fit(X.astype(np.float32), y.astype(np.float32))
    assert c.coef_.dtype == np.float32
    # the search runs in float64: the float32 data's own optimum, to float32 rounding
    b32, _ = closed_form(X.astype(np.float32).astype(np.float64),
                         y.astype(np.float32).astype(np.float64), groups, c.best_alphas_)
    np.testing.assert_allclose(c.coef_, b32, rtol=1e-5, atol=1e-6)


# --- the p × p (primal) form and k-fold cross-validation -----------------------------------

def brute_kfold(X, y, groups, alphas, folds, intercept=True):
    """Mean squared held-out error by one closed-form refit per fold."""
    sse = 0.0
    for train, test in folds:
        b, b0 = closed_form(X[train], y[train], groups, alphas, intercept)
        sse += np.sum((y[test] - X[test] @ b - b0) ** 2)
    return sse / sum(len(te) for _, te in folds)


def contiguous_folds(n, n_splits):
    edges = np.linspace(0, n, n_splits + 1).astype(int)
    idx = np.arange(n)
    return [(np.r_[idx[:a], idx[b:]], idx[a:b]) for a, b in zip(edges[:-1], edges[1:])]


@pytest.mark.parametrize("intercept", [True, False])
def test_primal_loo_and_gradient_equal_the_kernel_form(intercept):
    from fastridge._group import loo_at_primal
    X, Y, groups = make(n=70, sizes=(3, 6, 4), k=3, scales=(1.0, 0.2, 0.0), seed=11)
    kern, blocks, Yc = kernels_of(X, Y, groups, intercept)
    Xc = np.hstack(blocks)
    bounds = np.r_[0, np.cumsum([len(g) for g in groups])]
    for t in (np.log([2.0, 30.0, 0.5]), np.log([1e3, 1e-2, 7.0])):
        lk, gk, wk = loo_at(kern, t, Yc, intercept, True, blocks)
        lp, gp, wp = loo_at_primal(Xc, Xc.T @ Xc, bounds, t, Yc, intercept, True)
        np.testing.assert_allclose(lp, lk, rtol=1e-9)
        np.testing.assert_allclose(gp, gk, rtol=1e-7, atol=1e-12)
        np.testing.assert_allclose(wp, wk, rtol=1e-8, atol=1e-12)
        for j in range(3):      # and both are the brute-force leave-one-out error
            assert lp[j] == pytest.approx(brute_loo(X, Y[:, j], groups, np.exp(t), intercept),
                                          rel=1e-8)


def test_solver_auto_picks_primal_for_tall_data_and_both_forms_agree():
    X, Y, groups = make(n=90, sizes=(4, 6), k=3, scales=(1.0, 0.3), seed=12)
    auto = GroupRidgeCV(groups=groups, tol=1e-10).fit(X, Y)
    kern = GroupRidgeCV(groups=groups, tol=1e-10, solver="kernel").fit(X, Y)
    assert auto.solver_ == "primal" and kern.solver_ == "kernel"
    np.testing.assert_allclose(auto.best_alphas_, kern.best_alphas_, rtol=1e-4)
    np.testing.assert_allclose(auto.cv_scores_, kern.cv_scores_, rtol=1e-9)
    np.testing.assert_allclose(auto.coef_, kern.coef_, rtol=1e-5, atol=1e-8)
    wide = GroupRidgeCV(groups=groups).fit(X[:8], Y[:8])      # n = 8 < p = 10
    assert wide.solver_ == "kernel"


@pytest.mark.parametrize("solver", ["kernel", "primal"])
@pytest.mark.parametrize("intercept", [True, False])
def test_fold_error_and_gradient_are_brute_force_refits(solver, intercept):
    from fastridge._group import fold_at, make_folds
    X, Y, groups = make(n=45, sizes=(3, 5, 2), k=2, scales=(1.0, 0.2, 0.6), seed=13)
    kern, blocks, Yc = kernels_of(X, Y, groups, intercept)
    folds = contiguous_folds(45, 4)
    data = make_folds(blocks, Yc, folds, solver, intercept)
    t = np.log([2.0, 30.0, 0.5])
    cols = np.arange(2)
    total = sum(fold_at(f, t, cols)[0] for f in data) / 45
    for j in range(2):
        assert total[j] == pytest.approx(brute_kfold(X, Y[:, j], groups, np.exp(t), folds,
                                                     intercept), rel=1e-9)
    grad = sum(fold_at(f, t, cols, True)[1] for f in data) / 45
    h = 1e-5
    for m in range(3):
        e = np.zeros(3)
        e[m] = h
        fd = (sum(fold_at(f, t + e, cols)[0] for f in data)
              - sum(fold_at(f, t - e, cols)[0] for f in data)) / (2 * h * 45)
        np.testing.assert_allclose(grad[m], fd, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("solver", ["kernel", "primal"])
def test_kfold_choice_is_the_scipy_optimum_of_brute_force_refits(solver):
    from scipy import optimize
    X, y, groups = make(n=50, sizes=(3, 5), scales=(1.0, 0.4), seed=14, noise=1.5)
    folds = contiguous_folds(50, 5)
    model = GroupRidgeCV(groups=groups, cv=folds, solver=solver, tol=1e-10).fit(X, y)
    ours = brute_kfold(X, y, groups, model.best_alphas_, folds)
    assert model.cv_scores_ == pytest.approx(1 - ours / np.var(y), rel=1e-9)
    # the oracle: Nelder–Mead on the brute-force objective (n_folds refits per evaluation)
    res = optimize.minimize(lambda t: brute_kfold(X, y, groups, np.exp(t), folds),
                            np.log(model.best_alphas_) + 0.5, method="Nelder-Mead",
                            options={"xatol": 1e-6, "fatol": 1e-12, "maxiter": 2000})
    assert ours <= res.fun * (1 + 1e-7)
    b, b0 = closed_form(X, y, groups, model.best_alphas_)
    np.testing.assert_allclose(model.coef_, b, rtol=1e-8, atol=1e-10)
    assert model.intercept_ == pytest.approx(b0, rel=1e-8)


@pytest.mark.parametrize("solver", ["kernel", "primal"])
def test_kfold_many_targets_each_at_its_closed_form(solver):
    X, Y, groups = make(n=60, sizes=(4, 3, 5), k=4, scales=(1.0, 0.0, 0.3), seed=15)
    model = GroupRidgeCV(groups=groups, cv=3, solver=solver).fit(X, Y)
    folds = contiguous_folds(60, 3)
    for j in range(4):
        b, b0 = closed_form(X, Y[:, j], groups, model.best_alphas_[j])
        np.testing.assert_allclose(model.coef_[j], b, rtol=1e-8, atol=1e-10)
        err = brute_kfold(X, Y[:, j], groups, model.best_alphas_[j], folds)
        assert model.cv_scores_[j] == pytest.approx(1 - err / np.var(Y[:, j]), rel=1e-9)
    shared = GroupRidgeCV(groups=groups, cv=3, solver=solver, alpha_per_target=False,
                          max_iter=0).fit(X, Y)
    for j in range(4):
        b, _ = closed_form(X, Y[:, j], groups, shared.best_alphas_)
        np.testing.assert_allclose(shared.coef_[j], b, rtol=1e-8, atol=1e-10)


def test_kfold_splitter_is_its_list_of_folds():
    model_selection = pytest.importorskip("sklearn.model_selection")
    X, y, groups = make(n=40, sizes=(3, 4), seed=16)
    splitter = model_selection.KFold(4, shuffle=True, random_state=0)
    a = GroupRidgeCV(groups=groups, cv=splitter).fit(X, y)
    b = GroupRidgeCV(groups=groups, cv=list(splitter.split(X))).fit(X, y)
    np.testing.assert_allclose(a.best_alphas_, b.best_alphas_)
    err = brute_kfold(X, y, groups, a.best_alphas_, list(splitter.split(X)))
    assert a.cv_scores_ == pytest.approx(1 - err / np.var(y), rel=1e-9)


# --- sample weights --------------------------------------------------------------------------

def closed_form_w(X, y, groups, alphas, w, intercept=True):
    """Weighted normal equations: Σ wᵢ(yᵢ − b₀ − xᵢᵀb)² + Σ α‖b‖², b₀ at the weighted means."""
    pen = np.empty(X.shape[1])
    for g, a in zip(groups, alphas):
        pen[g] = a
    W = w.sum()
    xm = w @ X / W if intercept else np.zeros(X.shape[1])
    ym = w @ y / W if intercept else 0.0
    Xc = X - xm
    b = np.linalg.solve(Xc.T @ (w[:, None] * Xc) + np.diag(pen), Xc.T @ (w * (y - ym)))
    return b, ym - xm @ b


def brute_loo_w(X, y, groups, alphas, w, intercept=True):
    """Σ wᵢ eᵢ² / Σ wᵢ, eᵢ the error on row i of the weighted fit without row i."""
    sse = 0.0
    for i in np.flatnonzero(w > 0):
        keep = np.arange(len(y)) != i
        b, b0 = closed_form_w(X[keep], y[keep], groups, alphas, w[keep], intercept)
        sse += w[i] * (y[i] - X[i] @ b - b0) ** 2
    return sse / w.sum()


def brute_kfold_w(X, y, groups, alphas, w, folds, intercept=True):
    sse = 0.0
    for train, test in folds:
        b, b0 = closed_form_w(X[train], y[train], groups, alphas, w[train], intercept)
        sse += np.sum(w[test] * (y[test] - X[test] @ b - b0) ** 2)
    return sse / sum(w[te].sum() for _, te in folds)


def wvar(y, w):
    return w @ (y - w @ y / w.sum()) ** 2 / w.sum()


@pytest.mark.parametrize("solver", ["kernel", "primal"])
@pytest.mark.parametrize("intercept", [True, False])
def test_weighted_loo_is_brute_force_weighted_refits(solver, intercept):
    X, Y, groups = make(n=40, sizes=(3, 4), k=2, scales=(1.0, 0.3), seed=17)
    w = np.random.default_rng(0).uniform(0.2, 3.0, 40)
    model = GroupRidgeCV(groups=groups, solver=solver, fit_intercept=intercept,
                         tol=1e-10).fit(X, Y, sample_weight=w)
    for j in range(2):
        a = model.best_alphas_[j]
        b, b0 = closed_form_w(X, Y[:, j], groups, a, w, intercept)
        np.testing.assert_allclose(model.coef_[j], b, rtol=1e-8, atol=1e-10)
        if intercept:
            assert model.intercept_[j] == pytest.approx(b0, rel=1e-8)
        err = brute_loo_w(X, Y[:, j], groups, a, w, intercept)
        ss = wvar(Y[:, j], w) if intercept else w @ Y[:, j] ** 2 / w.sum()
        assert model.cv_scores_[j] == pytest.approx(1 - err / ss, rel=1e-9)
        # no better point nearby on the brute-force weighted objective (steps of 5 % in α)
        for d in ([0.05, 0], [-0.05, 0], [0, 0.05], [0, -0.05]):
            assert err <= brute_loo_w(X, Y[:, j], groups, a * np.exp(d), w,
                                      intercept) * (1 + 1e-9)


def test_zero_weights_are_dropped_rows_for_leave_one_out():
    X, y, groups = make(n=50, sizes=(3, 5), scales=(1.0, 0.3), seed=18)
    w = np.ones(50)
    w[[3, 17, 40]] = 0.0
    keep = w > 0
    a = GroupRidgeCV(groups=groups, solver="kernel").fit(X, y, sample_weight=w)
    b = GroupRidgeCV(groups=groups, solver="kernel").fit(X[keep], y[keep])
    np.testing.assert_allclose(a.best_alphas_, b.best_alphas_, rtol=1e-6)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-6, atol=1e-9)
    assert a.cv_scores_ == pytest.approx(b.cv_scores_, rel=1e-9)


@pytest.mark.parametrize("solver", ["kernel", "primal"])
def test_weighted_kfold_is_brute_force_weighted_refits(solver):
    X, y, groups = make(n=48, sizes=(3, 4), scales=(1.0, 0.3), seed=19)
    w = np.random.default_rng(1).uniform(0.0, 2.0, 48)
    folds = contiguous_folds(48, 4)
    model = GroupRidgeCV(groups=groups, cv=folds, solver=solver, tol=1e-10).fit(
        X, y, sample_weight=w)
    b, b0 = closed_form_w(X, y, groups, model.best_alphas_, w)
    # (α₂ ~ 1e-6 here: the n × n system is ill-conditioned, hence 1e-7)
    np.testing.assert_allclose(model.coef_, b, rtol=1e-7, atol=1e-10)
    assert model.intercept_ == pytest.approx(b0, rel=1e-7)
    err = brute_kfold_w(X, y, groups, model.best_alphas_, w, folds)
    assert model.cv_scores_ == pytest.approx(1 - err / wvar(y, w), rel=1e-9)
    for d in ([0.05, 0], [-0.05, 0], [0, 0.05], [0, -0.05]):
        # (relative: here α₂ runs towards 0 on a plateau flat to ~1e-10)
        assert err <= brute_kfold_w(X, y, groups, model.best_alphas_ * np.exp(d), w,
                                    folds) * (1 + 1e-9)
