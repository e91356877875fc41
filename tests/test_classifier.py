"""RidgeClassifier and RidgeClassifierCV against independent oracles: scikit-learn's pair on its
own test problems, ridge solved in closed form with numpy, leave-one-out by n refits, the
balanced class-weight formula, and the calibration refitted with scikit-learn's
LogisticRegression / SciPy's optimizer on brute-force leave-one-out decision values."""
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from fastridge import RidgeClassifier, RidgeClassifierCV, RidgeCV
from fastridge.exceptions import AlphaGridWarning, NotFittedError

sklearn = pytest.importorskip("sklearn")
from sklearn import linear_model as sk  # noqa: E402
from sklearn.datasets import load_iris, make_classification, make_multilabel_classification  # noqa: E402,E501

SOLVERS = ["auto", "cd", "cg", "cholesky", "svd"]
TIGHT = dict(tol=1e-13, max_iter=100000)


def ridge_closed_form(X, Y, alpha, w=None, intercept=True):
    """Weighted ridge with an unpenalized intercept, from the normal equations: (coef (k, p),
    intercept (k,))."""
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64).reshape(X.shape[0], -1)
    w = np.ones(X.shape[0]) if w is None else np.asarray(w, dtype=np.float64)
    if intercept:
        xm, ym = w @ X / w.sum(), w @ Y / w.sum()
    else:
        xm, ym = np.zeros(X.shape[1]), np.zeros(Y.shape[1])
    Xc, Yc = X - xm, Y - ym
    B = np.linalg.solve(Xc.T @ (w[:, None] * Xc) + alpha * np.eye(X.shape[1]),
                        Xc.T @ (w[:, None] * Yc))
    return B.T, ym - xm @ B


def pm1(y):
    """The ±1 columns of labels, written out here: one column for two classes."""
    classes = np.unique(y)
    Y = np.where(np.asarray(y)[:, None] == classes[None, :], 1.0, -1.0)
    return Y[:, 1:] if classes.size == 2 else Y


def loo_decision(X, Y, alpha, w=None):
    """Leave-one-out decision values (n, k) by n refits."""
    n = X.shape[0]
    D = np.empty(Y.shape)
    for i in range(n):
        keep = np.arange(n) != i
        B, b = ridge_closed_form(X[keep], Y[keep], alpha, None if w is None else w[keep])
        D[i] = X[i] @ B.T + b
    return D


@pytest.fixture(scope="module")
def problems():
    Xb, yb = make_classification(n_samples=80, n_features=6, n_informative=4, random_state=0)
    Xi, yi = load_iris(return_X_y=True)
    Xm, Ym = make_multilabel_classification(n_samples=70, n_features=5, n_classes=3,
                                            random_state=1)
    return {"binary": (Xb, yb), "multiclass": (Xi, yi), "multilabel": (Xm, Ym)}


# --------------------------------------------------------------------------- RidgeClassifier
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("sparse", [False, True])
def test_ridgeclassifier_equals_sklearn(problems, solver, kind, sparse):
    X, y = problems[kind]
    rng = np.random.default_rng(3)
    w = rng.uniform(0.2, 2.0, X.shape[0])
    Xf = sp.csr_matrix(X) if sparse else X
    ours = RidgeClassifier(alpha=0.7, solver=solver, **TIGHT).fit(Xf, y, sample_weight=w)
    ref = sk.RidgeClassifier(alpha=0.7, solver="svd").fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    np.testing.assert_allclose(ours.decision_function(Xf), ref.decision_function(X),
                               rtol=1e-8, atol=1e-9)
    np.testing.assert_array_equal(ours.predict(Xf), ref.predict(X))
    assert ours.score(Xf, y) == ref.score(X, y)


@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
def test_ridgeclassifier_is_ridge_on_pm1_columns(problems, kind):
    X, y = problems[kind]
    Y = 2.0 * y - 1.0 if kind == "multilabel" else pm1(y)
    B, b = ridge_closed_form(X, Y, 2.5)
    clf = RidgeClassifier(alpha=2.5).fit(X, y)
    np.testing.assert_allclose(np.atleast_2d(clf.coef_), B, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(clf.intercept_, b, rtol=1e-10, atol=1e-12)
    D = X @ B.T + b
    if kind == "multilabel":
        expected = (D > 0).astype(int)
    elif kind == "binary":
        expected = np.unique(y)[(D[:, 0] > 0).astype(int)]
    else:
        expected = np.unique(y)[D.argmax(axis=1)]
    np.testing.assert_array_equal(clf.predict(X), expected)


def test_balanced_class_weight_is_the_formula():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((90, 4))
    y = np.array(["a"] * 60 + ["b"] * 20 + ["c"] * 10)
    w = rng.uniform(0.5, 1.5, 90)
    counts = {"a": 60, "b": 20, "c": 10}
    factor = np.array([90 / (3 * counts[c]) for c in y])          # n / (C · n_c)
    B, b = ridge_closed_form(X, pm1(y), 1.3, w * factor)
    clf = RidgeClassifier(alpha=1.3, class_weight="balanced").fit(X, y, sample_weight=w)
    np.testing.assert_allclose(clf.coef_, B, rtol=1e-10)
    np.testing.assert_allclose(clf.intercept_, b, rtol=1e-10)
    ref = sk.RidgeClassifier(alpha=1.3, class_weight="balanced").fit(X, y, sample_weight=w)
    np.testing.assert_allclose(clf.coef_, ref.coef_, rtol=1e-8)
    # a dict: named classes weighted, the others weigh 1
    clf = RidgeClassifier(alpha=1.3, class_weight={"b": 3.0}).fit(X, y)
    B, _ = ridge_closed_form(X, pm1(y), 1.3, np.where(y == "b", 3.0, 1.0))
    np.testing.assert_allclose(clf.coef_, B, rtol=1e-10)


def test_multilabel_balanced_is_the_product_over_labels(problems):
    X, Y = problems["multilabel"]
    n = Y.shape[0]
    factor = np.ones(n)
    for t in range(Y.shape[1]):
        counts = np.bincount(Y[:, t], minlength=2)
        factor *= n / (2 * counts[Y[:, t]])
    B, _ = ridge_closed_form(X, 2.0 * Y - 1.0, 0.4, factor)
    clf = RidgeClassifier(alpha=0.4, class_weight="balanced").fit(X, Y)
    np.testing.assert_allclose(clf.coef_, B, rtol=1e-10)


def test_string_labels_and_float32():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((50, 3)).astype(np.float32)
    y = np.where(X[:, 0] > 0, "yes", "no")
    clf = RidgeClassifier(alpha=1.0).fit(X, y)
    assert clf.coef_.dtype == np.float32
    np.testing.assert_array_equal(clf.classes_, ["no", "yes"])
    B, b = ridge_closed_form(X.astype(np.float64), pm1(y), 1.0)
    np.testing.assert_allclose(clf.coef_, B[0], rtol=1e-4)
    assert set(clf.predict(X)) <= {"no", "yes"}


# --------------------------------------------------------------------------- RidgeClassifierCV
@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("sparse", [False, True])
def test_ridgeclassifiercv_loo_equals_sklearn(problems, kind, sparse):
    X, y = problems[kind]
    alphas = [0.01, 0.3, 3.0, 30.0, 300.0]
    Xf = sp.csr_matrix(X) if sparse else X
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        ours = RidgeClassifierCV(alphas=alphas, store_cv_results=True).fit(Xf, y)
    ref = sk.RidgeClassifierCV(alphas=alphas, store_cv_results=True).fit(X, y)
    assert ours.alpha_ == ref.alpha_
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-8)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.cv_results_, ref.cv_results_, rtol=1e-8, atol=1e-12)


def test_ridgeclassifiercv_class_weight_equals_sklearn(problems):
    X, y = problems["multiclass"]
    alphas = [0.01, 0.1, 1.0, 10.0]
    for cw in ("balanced", {1: 0.2}):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AlphaGridWarning)
            ours = RidgeClassifierCV(alphas=alphas, class_weight=cw).fit(X, y)
        ref = sk.RidgeClassifierCV(alphas=alphas, class_weight=cw).fit(X, y)
        assert ours.alpha_ == ref.alpha_
        np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)


def test_ridgeclassifiercv_kfold_equals_sklearn(problems):
    X, y = problems["binary"]
    alphas = [1.0, 30.0, 300.0, 3000.0, 3e4]        # accuracies without ties
    ours = RidgeClassifierCV(alphas=alphas, cv=4).fit(X, y)
    ref = sk.RidgeClassifierCV(alphas=alphas, cv=4).fit(X, y)  # StratifiedKFold(4), accuracy
    assert ours.alpha_ == ref.alpha_
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-12)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8)


def test_loo_error_is_brute_force_refits():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((40, 3))
    y = rng.integers(0, 3, 40)
    w = rng.uniform(0.5, 2.0, 40)
    cw = {0: 2.0, 2: 0.5}
    alphas = np.array([0.05, 1.0, 20.0])
    wf = w * np.array([cw.get(c, 1.0) for c in y])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        clf = RidgeClassifierCV(alphas=alphas, class_weight=cw).fit(X, y, sample_weight=w)
    Y = pm1(y)
    for j, a in enumerate(alphas):
        E = Y - loo_decision(X, Y, a, wf)
        expected = (wf @ (E ** 2).mean(axis=1)) / wf.sum()       # Σ w e² / Σ w, mean over k
        assert clf.cv_summary_["mean_error"][j] == pytest.approx(expected, rel=1e-10)


def test_alpha_per_class_is_ridgecv_per_column(problems):
    X, y = problems["multiclass"]
    Y = pm1(y)
    alphas = np.logspace(-3, 3, 13)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        clf = RidgeClassifierCV(alphas=alphas, alpha_per_target=True).fit(X, y)
        for t in range(3):
            assert clf.alpha_[t] == RidgeCV(alphas=alphas).fit(X, Y[:, t]).alpha_


def test_default_grid_is_extended_and_refined_as_ridgecv(problems):
    X, y = problems["multiclass"]
    clf = RidgeClassifierCV().fit(X, y)
    reg = RidgeCV().fit(X, pm1(y))
    assert clf.alpha_ == reg.alpha_
    np.testing.assert_allclose(clf.coef_, reg.coef_, rtol=1e-12)


# --------------------------------------------------------------------------- calibration
def test_binary_calibration_is_platt_on_brute_force_loo():
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(n_samples=60, n_features=4, flip_y=0.2, random_state=4)
    w = np.random.default_rng(2).uniform(0.5, 2.0, 60)
    clf = RidgeClassifierCV(alphas=[3.0]).fit(X, y, sample_weight=w)
    d = loo_decision(X, pm1(y), 3.0, w)[:, 0]
    # Platt's targets, as duplicated rows of weights w·t and w·(1 − t); no intercept
    n1, n0 = w[y == 1].sum(), w[y == 0].sum()
    t = np.where(y == 1, (n1 + 1) / (n1 + 2), 1 / (n0 + 2))
    lr = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-14, max_iter=10000).fit(
        np.concatenate([d, d])[:, None], np.r_[np.ones(60), np.zeros(60)],
        sample_weight=np.r_[w * t, w * (1 - t)])
    assert clf.calibration_scale_ == pytest.approx(lr.coef_[0, 0], rel=1e-6)
    P = clf.predict_proba(X)
    np.testing.assert_allclose(P, lr.predict_proba(clf.decision_function(X)[:, None]),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(clf.classes_[P.argmax(axis=1)], clf.predict(X))


def test_multiclass_calibration_maximizes_the_likelihood(problems):
    from scipy.optimize import minimize_scalar

    X, y = problems["multiclass"]
    X = X + np.random.default_rng(0).normal(0, 0.5, X.shape)     # classes that overlap
    clf = RidgeClassifierCV(alphas=[1.0]).fit(X, y)
    D = loo_decision(X, pm1(y), 1.0)
    N = np.bincount(y).astype(float)
    T = np.repeat((1 / (N[y] + 2) / 2)[:, None], 3, axis=1)
    T[np.arange(y.size), y] = (N[y] + 1) / (N[y] + 2)

    def nll(a):
        eta = a * D
        eta -= eta.max(axis=1, keepdims=True)
        logp = eta - np.log(np.exp(eta).sum(axis=1, keepdims=True))
        return -(T * logp).sum()

    best = minimize_scalar(nll, bounds=(0.0, 100.0), method="bounded",
                           options={"xatol": 1e-12})
    assert clf.calibration_scale_ == pytest.approx(best.x, rel=1e-6)
    P = clf.predict_proba(X)
    eta = best.x * clf.decision_function(X)
    expected = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(P, expected, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(P.argmax(axis=1), clf.predict(X))


def test_multilabel_calibration_is_platt_per_label(problems):
    X, Y = problems["multilabel"]
    clf = RidgeClassifierCV(alphas=[2.0]).fit(X, Y)
    D = loo_decision(X, 2.0 * Y - 1.0, 2.0)
    for t in range(Y.shape[1]):
        n1, n0 = Y[:, t].sum(), (1 - Y[:, t]).sum()
        tt = np.where(Y[:, t] == 1, (n1 + 1) / (n1 + 2), 1 / (n0 + 2))
        # the score equation of the likelihood at the fitted slope: Σ (σ(a d) − t) d = 0
        a = clf.calibration_scale_[t]
        assert abs(np.sum((1 / (1 + np.exp(-a * D[:, t])) - tt) * D[:, t])) < 1e-9
    np.testing.assert_array_equal(clf.predict_proba(X) > 0.5, clf.predict(X) == 1)


def test_kfold_calibration_is_fitted_on_out_of_fold_refits(problems):
    X, y = problems["binary"]
    folds = [(np.arange(40, 80), np.arange(40)), (np.arange(40), np.arange(40, 80))]
    clf = RidgeClassifierCV(alphas=[0.5, 5.0], cv=folds).fit(X, y)
    d = np.empty(80)
    for train, test in folds:
        B, b = ridge_closed_form(X[train], pm1(y[train]), clf.alpha_)
        d[test] = X[test] @ B[0] + b[0]
    n1, n0 = (y == 1).sum(), (y == 0).sum()
    t = np.where(y == 1, (n1 + 1) / (n1 + 2), 1 / (n0 + 2))
    a = clf.calibration_scale_
    assert abs(np.sum((1 / (1 + np.exp(-a * d)) - t) * d)) < 1e-9      # the score equation


# --------------------------------------------------------------------------- errors, inputs
@pytest.mark.parametrize("Est", [RidgeClassifier, RidgeClassifierCV])
def test_bad_input_names_the_argument(Est):
    X = np.random.default_rng(0).standard_normal((10, 2))
    y = np.array([0, 1] * 5)
    with pytest.raises(ValueError, match="class_weight"):
        Est(class_weight="bad").fit(X, y)
    with pytest.raises(ValueError, match=r"class_weight\[1\]"):
        Est(class_weight={1: -1.0}).fit(X, y)
    with pytest.raises(ValueError, match="continuous"):
        Est().fit(X, np.linspace(0, 1, 10))
    with pytest.raises(ValueError, match="y"):
        Est().fit(X, None)
    with pytest.raises(ValueError, match="multilabel indicator"):
        Est().fit(X, np.c_[y, 2 * y])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        Est().fit(X, y[:-1])
    with pytest.raises(ValueError, match="sample_weight"):
        Est().fit(X, y, sample_weight=np.ones(9))


@pytest.mark.parametrize("Est", [RidgeClassifier, RidgeClassifierCV])
def test_inputs_not_modified_and_failed_fit_leaves_estimator(Est):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 3))
    y = rng.integers(0, 3, 30)
    w = rng.uniform(0.5, 1.0, 30)
    copies = X.copy(), y.copy(), w.copy()
    est = Est(class_weight="balanced").fit(X, y, sample_weight=w)
    for a, b in zip((X, y, w), copies):
        np.testing.assert_array_equal(a, b)
    coef = est.coef_.copy()
    with pytest.raises(ValueError):
        est.fit(X[:, :2], np.linspace(0, 1, 30))
    np.testing.assert_array_equal(est.coef_, coef)
    assert est.n_features_in_ == 3


def test_no_partial_fit_and_classifier_tags():
    from sklearn.base import is_classifier

    assert not hasattr(RidgeClassifier(), "partial_fit")
    assert is_classifier(RidgeClassifier()) and is_classifier(RidgeClassifierCV())


def test_label_scorer_on_loo_labels_is_brute_force():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(7)
    X = rng.standard_normal((45, 4))
    y = np.array(["x", "y", "z"])[(X[:, 0] + X[:, 1] + rng.normal(0, 1.5, 45) > 0).astype(int)
                                   + (X[:, 2] > 0.8)]
    alphas = np.array([0.01, 3.0, 30.0, 300.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        clf = RidgeClassifierCV(alphas=alphas, scoring="f1_macro").fit(X, y)
    classes = np.unique(y)
    scores = [f1_score(y, classes[loo_decision(X, pm1(y), a).argmax(axis=1)], average="macro")
              for a in alphas]
    best = max(scores)
    assert clf.alpha_ == alphas[[s == best for s in scores]].max()    # ties: the larger α
    np.testing.assert_allclose(-clf.cv_summary_["mean_error"], scores, rtol=1e-12)


def test_one_class_predicts_it_and_unfitted_proba_raises():
    X = np.random.default_rng(0).standard_normal((6, 2))
    clf = RidgeClassifier().fit(X, ["only"] * 6)
    np.testing.assert_array_equal(clf.predict(X), ["only"] * 6)
    assert sk.RidgeClassifier().fit(X, ["only"] * 6).predict(X[:1])[0] == "only"
    with pytest.raises(NotFittedError):
        RidgeClassifierCV().predict_proba(X)


def test_dask_rows_equal_in_memory(problems):
    da = pytest.importorskip("dask.array")
    X, y = problems["multiclass"]
    Xd = da.from_array(X, chunks=(50, 4))
    ours = RidgeClassifier(alpha=0.3).fit(Xd, y)
    np.testing.assert_allclose(ours.coef_, RidgeClassifier(alpha=0.3).fit(X, y).coef_,
                               rtol=1e-10)
    alphas = [0.01, 0.1, 1.0, 10.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        cv_d = RidgeClassifierCV(alphas=alphas).fit(Xd, y)      # LOO from the statistics
        cv_m = RidgeClassifierCV(alphas=alphas).fit(X, y)
    assert cv_d.alpha_ == cv_m.alpha_
    np.testing.assert_allclose(cv_d.coef_, cv_m.coef_, rtol=1e-10)
    np.testing.assert_array_equal(cv_d.predict(Xd), cv_m.predict(X))
    with pytest.raises(NotFittedError, match="held-out"):       # the rows were not at hand
        cv_d.predict_proba(X)


@pytest.mark.parametrize("solver", SOLVERS)
def test_kfold_paths_of_every_solver_equal_sklearn(problems, solver):
    X, y = problems["multiclass"]
    Xs = sp.csr_matrix(X)
    alphas = [0.01, 1.0, 100.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridWarning)
        ours = RidgeClassifierCV(alphas=alphas, cv=5, solver=solver, **TIGHT).fit(Xs, y)
    ref = sk.RidgeClassifierCV(alphas=alphas, cv=5).fit(X, y)
    assert ours.alpha_ == ref.alpha_
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-12)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)


def test_one_alpha_per_class_column(problems):
    X, y = problems["multiclass"]
    alphas = np.array([0.1, 10.0, 1000.0])
    clf = RidgeClassifier(alpha=alphas).fit(X, y)
    for t in range(3):
        B, b = ridge_closed_form(X, pm1(y)[:, t], alphas[t])
        np.testing.assert_allclose(clf.coef_[t], B[0], rtol=1e-10)


def test_sparse_input_not_modified():
    rng = np.random.default_rng(4)
    X = sp.random(40, 6, density=0.3, format="csr", random_state=4)
    y = rng.integers(0, 2, 40)
    data, indices, indptr = X.data.copy(), X.indices.copy(), X.indptr.copy()
    RidgeClassifierCV(alphas=[0.1, 1.0], class_weight="balanced").fit(X, y)
    RidgeClassifier(solver="cd").fit(X, y)
    np.testing.assert_array_equal(X.data, data)
    np.testing.assert_array_equal(X.indices, indices)
    np.testing.assert_array_equal(X.indptr, indptr)


def test_builtin_criteria_refuse_scorer_keywords(problems):
    X, y = problems["binary"]
    for scoring in (None, "accuracy"):
        with pytest.raises(TypeError, match="unexpected keyword"):
            RidgeClassifierCV(alphas=[1.0], cv=3, scoring=scoring).fit(X, y, extra=np.ones(80))


def test_gcv_chooses_the_numpy_gcv_minimum_and_calibrates_on_its_held_out_values():
    """cv='gcv' reaches the classifier through RidgeCV's path: α is the minimizer over the grid
    of the GCV written here (RSS/(n − df)² of the ±1 column, df = tr of the hat matrix of the
    centred design), and the calibration is Platt on GCV's held-out stand-in
    yᵢ − eᵢ/(1 − df/n)."""
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(n_samples=70, n_features=5, flip_y=0.2, random_state=7)
    Y = pm1(y)
    grid = np.logspace(-2, 3, 21)
    clf = RidgeClassifierCV(alphas=grid, cv="gcv").fit(X, y)
    Xc = X - X.mean(axis=0)
    n = X.shape[0]

    def gcv(a):
        H = Xc @ np.linalg.solve(Xc.T @ Xc + a * np.eye(X.shape[1]), Xc.T)
        e = (Y[:, 0] - Y[:, 0].mean()) - H @ (Y[:, 0] - Y[:, 0].mean())
        return e @ e / (n - np.trace(H)) ** 2, e, np.trace(H)

    best = min(grid, key=lambda a: gcv(a)[0])
    assert clf.alpha_ == best
    _, e, df = gcv(best)
    d = Y[:, 0] - e / (1 - df / n)
    n1, n0 = (y == 1).sum(), (y == 0).sum()
    t = np.where(y == 1, (n1 + 1) / (n1 + 2), 1 / (n0 + 2))
    lr = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-14, max_iter=10000).fit(
        np.concatenate([d, d])[:, None], np.r_[np.ones(n), np.zeros(n)],
        sample_weight=np.r_[t, 1 - t])
    assert clf.calibration_scale_ == pytest.approx(lr.coef_[0, 0], rel=1e-6)
    with pytest.raises(ValueError, match="scoring"):
        RidgeClassifierCV(cv="gcv", scoring="accuracy").fit(X, y)
