"""RidgeClassifier and RidgeClassifierCV: ridge regression on ±1 target columns.

The labels become target columns (scikit-learn's ``LabelBinarizer(neg_label=-1)``): one column
for two classes (+1 for ``classes_[1]``), one column per class (one-vs-all) for more, one per
label for a multilabel indicator matrix.  Those columns are fitted by the regression estimators
themselves — :class:`RidgeClassifier` is a :class:`fastridge.Ridge` and
:class:`RidgeClassifierCV` a :class:`fastridge.RidgeCV` on them — so every solver, sparse X,
sample weights and every cross-validation mode of RidgeCV come through one code path.  What
this module adds: the encoding and its inverse (`decode`), class weights, accuracy, the
classification criteria of the cross-validation, and the calibrated probabilities of
RidgeClassifierCV.
"""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

from fastridge import _validation as V
from fastridge._base import unchanged_on_failure
from fastridge._cv import RidgeCV
from fastridge._engine.selection import GeneralizedCV, LeaveOneOut, cv_folds
from fastridge._linear import LinearRegressorBase
from fastridge._ridge import Ridge
from fastridge._scoring import Criterion, resolve_scoring
from fastridge.exceptions import DataConversionWarning, NotFittedError, warn

if TYPE_CHECKING:
    from typing import Any, Literal

    from numpy.typing import ArrayLike, NDArray

    from fastridge._typing import MatrixLike, SolverName

__all__ = ["RidgeClassifier", "RidgeClassifierCV", "decode", "accuracy", "class_weights",
           "encode"]

BINARY, MULTICLASS, MULTILABEL = "binary", "multiclass", "multilabel"


# --------------------------------------------------------------------------- labels
def encode(y, estimator_name):
    """The ±1 target columns of labels `y`: (kind, classes, codes, Y).

    kind is "binary" (at most two classes; one column, +1 for ``classes[1]``), "multiclass"
    (one column per class, +1 in the row's class) or "multilabel" (a 2-D indicator matrix of
    two values, the larger marking a label present, as 1 in 0/1: one column per label,
    ``classes = arange(n_labels)``); codes (n,) the index of each
    row's class in `classes` (None for multilabel); Y (n, k) float64."""
    if y is None:
        raise ValueError(f"{estimator_name} requires y to be passed, but the target y is None.")
    if V.is_sparse(y):
        raise TypeError("y: a sparse label matrix is not supported; pass a dense array of "
                        "labels, or a dense 0/1 indicator matrix for multilabel y.")
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        warn(DataConversionWarning, "A column-vector y was passed when a 1d array was "
             "expected. Please change the shape of y to (n_samples, ), for example using "
             "ravel().", stacklevel=4)
        arr = arr[:, 0]
    if arr.ndim not in (1, 2):
        raise ValueError(f"y must be a 1-D array of labels or a 2-D 0/1 indicator matrix; "
                         f"got an array of shape {arr.shape}.")
    if arr.shape[0] == 0:
        raise ValueError("y: found an array with 0 sample(s) while a minimum of 1 is required.")
    if arr.dtype.kind == "c":
        raise ValueError("Complex data not supported: y holds complex labels.")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            raise ValueError("Input y contains NaN or infinity: labels must be finite.")
        if np.any(arr != np.floor(arr)):
            raise ValueError("Unknown label type: continuous. y holds non-integer values; a "
                             "classifier needs class labels (use Ridge or RidgeCV to regress).")
    if arr.ndim == 2:
        values = np.unique(arr) if arr.dtype.kind in "biuf" else None
        if values is None or values.size > 2:
            raise ValueError("Unknown label type: a 2-D y must be a multilabel indicator matrix "
                             "of two values, such as 0 and 1 (multiclass-multioutput is not "
                             "supported).")
        # the larger of the two values marks a label present (1 of 0/1, 1 of -1/+1), as
        # scikit-learn's indicator matrices; one value throughout: present if it is > 0
        present = arr == values[-1] if values.size == 2 else arr > 0
        return MULTILABEL, np.arange(arr.shape[1]), None, np.where(present, 1.0, -1.0)
    if arr.dtype == object:
        kinds = {type(v) for v in arr}
        if any(issubclass(t, str) for t in kinds) and not all(issubclass(t, str) for t in kinds):
            raise ValueError("y: labels mix strings and numbers; use labels of one type.")
    try:
        classes, codes = np.unique(arr, return_inverse=True)
    except TypeError as exc:
        raise ValueError(f"y: the labels cannot be ordered ({exc}).") from None
    codes = codes.reshape(-1)
    n, C = arr.shape[0], classes.size
    if C <= 2:
        Y = np.where(codes == 1, 1.0, -1.0)[:, None]
        return BINARY, classes, codes, Y
    Y = np.full((n, C), -1.0)
    Y[np.arange(n), codes] = 1.0
    return MULTICLASS, classes, codes, Y


def decode(decision, kind, classes):
    """Labels from decision values (n,) or (n, k): the positive class where the one column is
    > 0 (binary), the class of the largest column (multiclass), 1 where a column is > 0
    (multilabel, an int indicator matrix)."""
    decision = np.asarray(decision)
    if kind == MULTILABEL:
        return (decision.reshape(decision.shape[0], -1) > 0).astype(np.int64)
    if decision.ndim == 1 or decision.shape[1] == 1:
        index = (decision.reshape(-1) > 0).astype(np.intp)
        return classes[np.minimum(index, classes.size - 1)]   # one class: always that one
    return classes[np.argmax(decision, axis=1)]


def accuracy(y_true, y_pred, w=None):
    """The (weighted) fraction of rows whose labels are all predicted (scikit-learn's
    ``accuracy_score``, subset accuracy for multilabel rows)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    hit = y_true == y_pred
    if hit.ndim == 2:
        hit = hit.all(axis=1)
    return float(np.average(hit, weights=w))


def class_weights(class_weight, kind, classes, codes, Y):
    """The per-row factors (n,) of `class_weight` (None when there are none).

    ``"balanced"``: n / (C · n_c) for a row of class c, n_c the number of rows of class c and C
    the number of classes (scikit-learn's ``compute_sample_weight``; the sample weights do not
    enter the counts); for multilabel y the product over the labels of that rule on each 0/1
    column.  A dict {label: weight}: the weight of a row's class, 1 for a class not named; for
    multilabel y a list of one such dict per label ({0: ..., 1: ...}), multiplied."""
    if class_weight is None:
        return None
    if kind == MULTILABEL:
        cols = [((Y[:, t] > 0).astype(np.int64), np.array([0, 1])) for t in range(Y.shape[1])]
        if isinstance(class_weight, list):
            if len(class_weight) != len(cols):
                raise ValueError(f"class_weight: for multilabel y, a list of one dict per label "
                                 f"({len(cols)}); got {len(class_weight)}.")
            per = class_weight
        elif isinstance(class_weight, str) and class_weight == "balanced":
            per = ["balanced"] * len(cols)
        else:
            raise ValueError("class_weight: for multilabel y, 'balanced' or a list of one dict "
                             "per label; got a "
                             f"{type(class_weight).__name__}.")
        out = np.ones(Y.shape[0])
        for cw, (c, cl) in zip(per, cols):
            present = np.unique(c)
            out *= _one_column_weights(cw, cl[present], np.searchsorted(present, c))
        return out
    if isinstance(class_weight, list):
        raise ValueError("class_weight: a list of dicts is for multilabel y; for labels pass "
                         "a dict {label: weight} or 'balanced'.")
    return _one_column_weights(class_weight, classes, codes)


def _one_column_weights(class_weight, classes, codes):
    C = classes.size
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise ValueError(f"The 'class_weight' parameter must be a dict, 'balanced' or None; "
                             f"got {class_weight!r}.")
        counts = np.bincount(codes, minlength=C).astype(np.float64)
        return (codes.size / (C * counts))[codes]
    if not isinstance(class_weight, dict):
        raise ValueError(f"The 'class_weight' parameter must be a dict, 'balanced' or None; got "
                         f"{type(class_weight).__name__}.")
    weight = np.ones(C)
    unnamed = []
    for i, c in enumerate(classes):
        key = c.item() if hasattr(c, "item") else c
        if key in class_weight:
            value = class_weight[key]
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
                    or not np.isfinite(value) or value < 0:
                raise ValueError(f"class_weight[{key!r}] must be a finite number >= 0; got "
                                 f"{value!r}.")
            weight[i] = float(value)
        else:
            unnamed.append(key)
    if unnamed and C - len(unnamed) != len(class_weight):
        raise ValueError(f"The classes, {unnamed}, are not in class_weight (whose keys "
                         f"{sorted(map(repr, class_weight))} name labels not in y).")
    return weight[codes]


class _Decided:
    """The classifier a scorer receives in cross-validation: its decision values are the
    held-out ones it holds (scikit-learn scores its leave-one-out values the same way)."""

    _estimator_type = "classifier"

    def __init__(self, decision, kind, classes):
        self.decision, self.kind, self.classes_ = decision, kind, classes

    def decision_function(self, X):
        return self.decision

    def predict(self, X):
        return decode(self.decision, self.kind, self.classes_)

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    transformer_tags=None, regressor_tags=None,
                    classifier_tags=ClassifierTags(multi_label=True),
                    input_tags=InputTags(two_d_array=True, sparse=True))


class LabelCriterion(Criterion):
    """A cross-validation criterion on labels: the held-out decision values of the ±1 columns
    (n, k) are decoded to labels before they are scored.  ``kind`` "accuracy" (computed here,
    weighted), "metric" (``metric(y_true, y_pred)`` on labels) or "scorer" (``scorer(estimator,
    X, y)`` with an estimator whose ``decision_function`` gives the held-out values).  A single
    one-vs-all column (per-class α) is scored as its own binary problem, labels -1 and +1."""

    def __init__(self, kind, func, label_kind, classes):
        super().__init__(kind, func)
        self.label_kind, self.classes = label_kind, classes
        if kind == "accuracy":
            self.weighted = True

    def call(self, y_true, y_pred, w, X, params):
        if y_true.ndim == 1:                             # one column: its own binary problem
            kind, classes = BINARY, np.array([-1, 1])
        else:
            kind, classes = self.label_kind, self.classes
            y_pred = y_pred[:, 0] if y_pred.shape[1] == 1 and kind != MULTILABEL else y_pred
        truth = decode(y_true, kind, classes)
        if self.kind == "accuracy":
            return accuracy(truth, decode(y_pred, kind, classes), w)
        weight = {} if w is None else {"sample_weight": w}
        if self.kind == "metric":
            return float(self.func(truth, decode(y_pred, kind, classes), **weight, **params))
        return float(self.func(_Decided(y_pred, kind, classes), y_pred if X is None else X,
                               truth, **weight, **params))


# --------------------------------------------------------------------------- shared behaviour
class _Classifier:
    """What both classifiers add to their regression estimator: the encoding of y, class
    weights, decision_function, predict (labels), score (accuracy) and scikit-learn's
    classifier tags."""

    _estimator_type = "classifier"

    def _encode(self, y, sample_weight):
        """Labels → (Y, weights of the fit, the user's weights checked): sets `classes_`."""
        name = type(self).__name__
        kind, classes, codes, Y = encode(y, name)
        n = Y.shape[0]
        sw = V.check_sample_weight(sample_weight, n, np.float64)
        factors = class_weights(self.class_weight, kind, classes, codes, Y)
        fit_sw = sw if factors is None else (factors if sw is None else sw * factors)
        if fit_sw is not None and n and not fit_sw.any():
            raise ValueError("class_weight and sample_weight together give every sample "
                             "weight 0.")
        self.classes_ = classes
        self._label_kind = kind
        return Y, fit_sw, sw, codes

    def decision_function(self, X: MatrixLike) -> NDArray[np.floating]:
        """Decision values: the fitted linear model of the ±1 target columns.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Samples, with the columns seen in `fit`.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_classes)
            ``X @ coef_.T + intercept_``: one column for two classes (> 0 means
            ``classes_[1]``), else one per class (or label).

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeClassifier
        >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
        >>> clf = RidgeClassifier(alpha=1e-10).fit(X, ["no", "no", "yes", "yes"])
        >>> print(np.round(clf.decision_function([[-1.5], [0.5]]), 3))
        [-0.9  0.3]
        """
        return LinearRegressorBase.predict(self, X)  # type: ignore[arg-type]  # mixin

    def predict(self, X: MatrixLike) -> NDArray[Any]:
        """Predict class labels.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples,), or (n_samples, n_labels) for multilabel y
            ``classes_[1]`` where the one decision value is > 0, else ``classes_[0]`` (two
            classes); the class of the largest decision value (more classes); 1 where a
            label's decision value is > 0 (multilabel).

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeClassifier
        >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
        >>> RidgeClassifier(alpha=1e-10).fit(X, ["no", "no", "yes", "yes"]).predict([[0.5]])
        array(['yes'], dtype='<U3')
        """
        return decode(self.decision_function(X), self._label_kind, self.classes_)

    def score(self, X: MatrixLike, y: ArrayLike,
              sample_weight: ArrayLike | None = None) -> float:
        """Return the accuracy of `predict` on X.

        The (weighted) fraction of rows whose label (all of whose labels, for multilabel y) is
        predicted, as scikit-learn's ``accuracy_score``.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Test samples.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights.

        Returns
        -------
        float
            Accuracy in [0, 1].

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeClassifier
        >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
        >>> RidgeClassifier().fit(X, [0, 0, 1, 1]).score(X, [0, 1, 1, 1])
        0.75
        """
        pred = self.predict(X)
        truth = np.asarray(y)
        if truth.shape[0] != pred.shape[0]:
            raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                             f"[{truth.shape[0]}, {pred.shape[0]}]")
        w = V.check_sample_weight(sample_weight, pred.shape[0], np.float64)
        return accuracy(truth.reshape(pred.shape), pred, w)

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.regressor_tags = None
        tags.classifier_tags = ClassifierTags(multi_label=True)
        tags.target_tags.multi_output = True
        return tags


# --------------------------------------------------------------------------- RidgeClassifier
# (its predict takes no `offset`: the labels come from the decision function)
class RidgeClassifier(_Classifier, Ridge):  # type: ignore[misc]
    """Classifier using ridge regression on ±1 targets (scikit-learn's ``RidgeClassifier``).

    The labels become target columns of -1 and +1 — one column for two classes (+1 for
    ``classes_[1]``), one per class for more (one-vs-all), one per label for a multilabel 0/1
    indicator matrix — and :class:`fastridge.Ridge` fits them, minimizing for each column y
    ``Σᵢ wᵢ (yᵢ − xᵢᵀβ − β₀)² + α Σⱼ vⱼ βⱼ²`` with wᵢ the sample weight times the class
    weight of row i.  The predicted class is the one of the largest decision value
    ``xᵀβ + β₀`` (its sign for two classes).

    Parameters
    ----------
    alpha : float or array of shape (n_classes,), default=1.0
        Penalty strength (≥ 0); an array gives one α per target column.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept per column (sparse X is centred implicitly).
    standardize : bool, default=False
        Standardize the columns before the penalty, as in :class:`fastridge.Ridge`.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty, as in :class:`fastridge.Ridge`.
    positive : bool, default=False
        Constrain the coefficients to be ≥ 0 (coordinate descent).
    solver : {"auto", "cd", "cg", "cholesky", "svd"} or a scikit-learn name, default="auto"
        As in :class:`fastridge.Ridge`; every solver takes dense and sparse X.
    tol : float, default=1e-6
        Tolerance of the iterative solvers, as in :class:`fastridge.Ridge`.
    max_iter : int, default=None
        Iteration cap of the iterative solvers (None: 1000).
    warm_start : bool, default=False
        Start an iterative solver from the previous `coef_`.
    copy_X : bool, default=True
        Accepted for scikit-learn; X is never modified.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplying the sample weights: ``{label: weight}`` (a class
        not named weighs 1), or ``"balanced"``: n / (n_classes · n_c) for class c with n_c
        rows.  For multilabel y: "balanced" (per label, multiplied) or a list of dicts.
    random_state : None, int or numpy.random.Generator, default=None
        Accepted for scikit-learn and unused (every solver is deterministic).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (``arange(n_labels)`` for multilabel y).
    coef_ : ndarray of shape (n_features,) or (n_classes, n_features)
        (n_features,) for two classes.
    intercept_ : float or ndarray of shape (n_classes,)
        0.0 without an intercept.
    n_iter_, solver_, n_features_in_, feature_names_in_
        As in :class:`fastridge.Ridge`.

    See Also
    --------
    RidgeClassifierCV : The α by exact leave-one-out, and calibrated probabilities.
    Ridge : The regression fitted to the ±1 columns.

    Notes
    -----
    Differences from scikit-learn: every solver handles sparse X with an intercept, and
    `solver_` names the solver that ran, as for :class:`fastridge.Ridge`; no `partial_fit`
    (the classes must be known before the first block).

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import RidgeClassifier
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 3.0], [4.0, 5.0]])
    >>> clf = RidgeClassifier(alpha=0.1).fit(X, ["a", "a", "b", "c", "c"])
    >>> clf.classes_, clf.coef_.shape
    (array(['a', 'b', 'c'], dtype='<U1'), (3, 2))
    >>> clf.predict([[0.5, 0.5], [4.0, 4.0]])
    array(['a', 'c'], dtype='<U1')
    """

    def __init__(self, alpha: float | ArrayLike = 1.0, *, fit_intercept: bool = True,
                 standardize: bool = False, penalty_factor: ArrayLike | None = None,
                 positive: bool = False, solver: Any = "auto", tol: float = 1e-6,
                 max_iter: int | None = None, warm_start: bool = False, copy_X: bool = True,
                 class_weight: dict | str | None = None, random_state: Any = None) -> None:
        super().__init__(alpha, fit_intercept=fit_intercept, standardize=standardize,
                         penalty_factor=penalty_factor, positive=positive, solver=solver,
                         tol=tol, max_iter=max_iter, warm_start=warm_start, copy_X=copy_X,
                         random_state=random_state)
        self.class_weight = class_weight

    @unchanged_on_failure
    def fit(self, X: MatrixLike, y: ArrayLike,  # type: ignore[override]  # no `offset`
            sample_weight: ArrayLike | None = None) -> RidgeClassifier:
        """Fit the ridge regression of the ±1 target columns of `y`.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Training data (any scipy.sparse format, never densified).
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a 0/1 indicator matrix for multilabel classification.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, multiplied by the class weights.

        Returns
        -------
        RidgeClassifier
            The fitted estimator (``self``).

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeClassifier
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
        >>> clf = RidgeClassifier(class_weight="balanced").fit(X, [0, 0, 0, 1])
        >>> clf.predict([[2.25]])
        array([1])
        >>> RidgeClassifier().fit(X, [0, 0, 0, 1]).predict([[2.25]])
        array([0])
        """
        Y, fit_sw, _, _ = self._encode(y, sample_weight)
        super().fit(X, Y, fit_sw)
        return self

    @property
    def partial_fit(self):
        raise AttributeError("'RidgeClassifier' object has no attribute 'partial_fit': the "
                             "classes would have to be known before the first block; fit "
                             "Ridge.partial_fit on your ±1 columns instead.")


# --------------------------------------------------------------------------- RidgeClassifierCV
class RidgeClassifierCV(_Classifier, RidgeCV):
    """Ridge classifier with α chosen by cross-validation, and calibrated probabilities.

    :class:`fastridge.RidgeCV` on the ±1 target columns of the labels (see
    :class:`RidgeClassifier`): exact leave-one-out for every α from one decomposition
    (``cv=None``), or k-fold, over the grid; then a refit at the chosen α.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,), default=None
        The α grid, used as given.  None: glmnet's default grid, extended past an end where the
        minimum sits and refined between grid points, as in :class:`fastridge.RidgeCV`
        (scikit-learn's default is the three values (0.1, 1, 10)).
    n_alphas : int, default=100
        Size of the default grid.
    cv : None, "loo", int, splitter or iterable, default=None
        None or "loo": exact leave-one-out.  An int k: scikit-learn's ``StratifiedKFold(k)``
        on the labels (needs scikit-learn), contiguous ``KFold(k)`` folds for multilabel y,
        as scikit-learn's cross-validation of a classifier.  A splitter receives the labels:
        ``split(X, labels, groups)``.  Any other mode of :class:`fastridge.RidgeCV` works
        the same way, through the same code.
    scoring : None, str, scorer or callable, default=None
        None: with leave-one-out the (weighted) mean squared error of the ±1 target columns,
        averaged over the columns — what scikit-learn's ``RidgeClassifierCV`` minimizes by
        default; with k-fold the accuracy.  ``"accuracy"`` works without scikit-learn; other
        scorer names and scorers get an estimator whose ``decision_function`` gives the
        held-out decision values and ``predict`` their labels, and the true labels; a metric
        callable ``metric(y_true, y_pred)`` gets labels.  ``"neg_mean_squared_error"`` and
        ``"r2"`` score the ±1 columns' held-out values.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept for each column.
    standardize : bool, default=False
        Standardize the columns before the penalty, as in :class:`fastridge.RidgeCV`.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty, as in :class:`fastridge.RidgeCV`.
    alpha_per_target : bool, default=False
        One α per class column, each chosen on its own error curve (a single one-vs-all column
        is scored as its own binary problem by label criteria).  scikit-learn has no such
        option for classifiers.
    rule : {"min", "1se"}, default="min"
        The choice on the error curve, as in :class:`fastridge.RidgeCV`.
    solver : {"auto", "cd", "cg", "cholesky", "svd"}, default="auto"
        Solver of the folds' paths and of the refit, as in :class:`fastridge.RidgeCV`.
    tol : float, default=1e-6
        Tolerance of the iterative solvers.
    max_iter : int, default=None
        Iteration cap of the iterative solvers at each α.
    verbose : int or bool, default=0
        Progress report on ``sys.stderr``, as in :class:`fastridge.RidgeCV`.
    class_weight : dict, "balanced" or None, default=None
        As in :class:`RidgeClassifier`: they weight the fits and the cross-validation errors.
    store_cv_results : bool, default=False
        Keep scikit-learn's per-row values in `cv_results_`, (n_samples, n_columns,
        n_alphas), as :class:`fastridge.RidgeCV`.
    gcv_mode : {"auto", "svd", "eigen"} or None, default=None
        Accepted for scikit-learn's code, as in :class:`fastridge.RidgeCV`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    alpha_, best_score_, coef_, intercept_, cv_results_, cv_summary_, n_iter_, solver_, \
n_features_in_, feature_names_in_
        As in :class:`fastridge.RidgeCV`, for the ±1 columns.
    calibration_scale_ : float, or ndarray of shape (n_labels,) for multilabel y
        The slope a ≥ 0 of the calibration (see Notes), the inverse of a softmax
        temperature.

    See Also
    --------
    RidgeClassifier : At a given α.
    RidgeCV : The regression cross-validated on the ±1 columns.

    Notes
    -----
    Compatibility with scikit-learn: the leave-one-out criterion by default is scikit-learn's
    (the squared error of the ±1 columns, so the same α on the same grid); `best_score_` is
    minus the weighted mean Σ wᵢ eᵢ² / Σ wᵢ (scikit-learn divides by n_samples, which differs
    only with weights).  Beyond scikit-learn: the default grid is extended and refined,
    ``store_cv_results`` and `alpha_per_target` work with k-fold too, scorers get the true
    labels (scikit-learn gives leave-one-out scorers class indices, and for two classes one
    index only, so that every α scores an accuracy of 1), and a label criterion weights its
    rows by the sample weights, as the fits.  Among equal scores the largest α is chosen
    (scikit-learn takes the first of the grid).

    Calibrated probabilities: the held-out decision values dᵢ at `alpha_` — with
    leave-one-out each row's decision value from the fit without that row, from the same
    decomposition (no refit); with k-fold the out-of-fold values, from one more fit per fold
    at `alpha_` — are mapped to probabilities by a model of one slope a ≥ 0
    fitted to them by maximum likelihood, weighted by the sample weights (not the class
    weights, so that the probabilities follow the classes' frequencies in the data):

    - two classes: Platt scaling through the origin, P(classes_[1] | d) = 1 / (1 + exp(−a d));
    - more classes: softmax temperature scaling, P(c | d) = exp(a d_c) / Σ_j exp(a d_j);
    - multilabel: Platt scaling through the origin of each label's column (one a per label).

    On Dask arrays (rows not in memory) the held-out values are not formed: no
    `predict_proba`.  Without intercepts the most probable class is the predicted one (d > 0, the
    largest d_c), as scikit-learn requires of a classifier.  The targets of the likelihood are
    Platt's: for a row of class c, (N_c + 1)/(N_c + 2) for c and 1/(N_c + 2) shared equally
    by the other classes, N_c the total sample weight of class c (for two classes exactly
    Platt's 1999 targets); they keep a finite when the leave-one-out values separate the
    classes.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import RidgeClassifierCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 4))
    >>> y = np.where(X[:, 0] + 0.5 * rng.standard_normal(200) > 0, "pos", "neg")
    >>> clf = RidgeClassifierCV(alphas=np.logspace(-2, 3, 11)).fit(X, y)
    >>> clf.classes_, round(clf.score(X, y), 3)
    (array(['neg', 'pos'], dtype='<U3'), 0.895)
    >>> print(np.round(clf.predict_proba([[-1.0, 0, 0, 0], [1.0, 0, 0, 0]]), 2))
    [[0.98 0.02]
     [0.03 0.97]]
    """

    def __init__(self, alphas: ArrayLike | None = None, *, n_alphas: int = 100, cv: Any = None,
                 scoring: Any = None, fit_intercept: bool = True, standardize: bool = False,
                 penalty_factor: ArrayLike | None = None, alpha_per_target: bool = False,
                 rule: Literal["min", "1se"] = "min", solver: SolverName = "auto",
                 tol: float = 1e-6,
                 max_iter: int | None = None, verbose: int | bool = 0,
                 class_weight: dict | str | None = None, store_cv_results: bool = False,
                 gcv_mode: Literal["auto", "svd", "eigen"] | None = None) -> None:
        super().__init__(alphas, n_alphas=n_alphas, cv=cv, scoring=scoring,
                         fit_intercept=fit_intercept, standardize=standardize,
                         penalty_factor=penalty_factor, alpha_per_target=alpha_per_target,
                         rule=rule, solver=solver, tol=tol, max_iter=max_iter, verbose=verbose,
                         store_cv_results=store_cv_results, gcv_mode=gcv_mode)
        self.class_weight = class_weight

    @unchanged_on_failure
    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            groups: ArrayLike | None = None, **params: Any) -> RidgeClassifierCV:
        """Choose α by cross-validation on the ±1 target columns of `y`, refit, calibrate.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a 0/1 indicator matrix for multilabel classification.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights (multiplied by the class weights in the fits and the errors).
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group splitter `cv`.
        **params : dict
            Further keywords for a `scoring` callable or scorer.

        Returns
        -------
        RidgeClassifierCV
            The fitted estimator (``self``).

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeClassifierCV
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
        >>> clf = RidgeClassifierCV(alphas=[0.1, 1.0, 10.0]).fit(X, [0, 0, 0, 1, 1, 1])
        >>> clf.alpha_, clf.predict([[1.5], [3.5]])
        (1.0, array([0, 1]))
        """
        Y, fit_sw, sw, codes = self._encode(y, sample_weight)
        self._split = (np.asarray(y) if self._label_kind != MULTILABEL else Y > 0, sw, codes, Y)
        self.__dict__.pop("calibration_scale_", None)
        try:
            super().fit(X, Y, fit_sw, groups, **params)
        finally:
            self.__dict__.pop("_split", None)
        if Y.shape[1] == 1 and np.ndim(self.alpha_) == 1:   # one column: one α
            self.alpha_ = float(np.ravel(self.alpha_)[0])
            self.best_score_ = float(np.ravel(self.best_score_)[0])
        return self

    def _criterion(self, loo):
        """Classification criteria (see `scoring`): the squared error of the ±1 columns for
        leave-one-out with ``scoring=None`` (scikit-learn's), accuracy for k-fold, label
        criteria otherwise."""
        kind, classes = self.__dict__.get("_label_kind"), self.__dict__.get("classes_")
        if self.scoring is None:
            return resolve_scoring(None, loo=True) if loo else \
                LabelCriterion("accuracy", None, kind, classes)
        if isinstance(self.scoring, str) and self.scoring == "accuracy":
            return LabelCriterion("accuracy", None, kind, classes)
        base = resolve_scoring(self.scoring, loo=loo, estimator_name=type(self).__name__)
        if base.kind in ("mse", "r2"):
            return base
        return LabelCriterion(base.kind, base.func, kind, classes)

    def _folds(self, X, y, groups):
        """Folds on the labels: ``StratifiedKFold(k)`` for an int `cv` with labels (as
        scikit-learn's cross-validation of a classifier), else `selection.cv_folds`."""
        labels = self._split[0]
        cv = self.cv
        if isinstance(cv, np.ndarray) and cv.ndim == 0:
            cv = cv.item()
        if isinstance(cv, numbers.Integral) and not isinstance(cv, V._NOT_NUMBERS) \
                and self._label_kind != MULTILABEL and cv >= 2 and groups is None:
            try:
                from sklearn.model_selection import StratifiedKFold
            except ImportError:
                raise ValueError(f"cv={cv}: a classifier's k folds are stratified by class, "
                                 f"as scikit-learn's StratifiedKFold({cv}) makes them, and "
                                 f"scikit-learn is not installed; pass cv as a list of "
                                 f"(train, test) index pairs.") from None
            return cv_folds(StratifiedKFold(int(cv)), X, labels)
        return cv_folds(cv, X, labels, groups)

    def _fit(self, X, y, sample_weight, progress, groups=None, score_params=None):
        out = super()._fit(X, y, sample_weight, progress, groups, score_params)
        folds = out[0]
        _, sw, codes, Y = self._split
        alphas = np.broadcast_to(np.asarray(self.alpha_, dtype=np.float64), (Y.shape[1],))
        loo = self.__dict__.get("_loo_state")
        if folds is None and isinstance(loo, LeaveOneOut):  # closed form, no refit
            D = np.empty(Y.shape)
            for a in np.unique(alphas):
                cols = alphas == a
                D[:, cols] = loo.predictions(np.array([a]), Y)[:, 0, cols]
        elif folds is None and isinstance(loo, GeneralizedCV):
            # GCV's own stand-in for the held-out values: every leverage replaced by the
            # mean df/n₊ (the approximation GCV makes of leave-one-out), no refit
            F = np.asarray(self.decision_function(X), dtype=np.float64).reshape(Y.shape)
            lev = loo.sp.df(alphas) / loo.n_pos                         # (k,)
            with np.errstate(divide="ignore", invalid="ignore"):
                D = Y - (Y - F) / (1.0 - lev)[None, :]
        elif folds is not None and folds[0] is not None:
            D = self._out_of_fold(X, y, sample_weight, folds, alphas)
        else:
            return out                                 # no held-out values: no probabilities
        w = np.ones(Y.shape[0]) if sw is None else sw.astype(np.float64)
        held = np.all(np.isfinite(D), axis=1)          # rows in some test fold
        w = np.where(held, w, 0.0)
        D = np.where(held[:, None], D, 0.0)
        self.calibration_scale_ = calibrate(D, self._label_kind, codes, Y, w)
        return out

    def _out_of_fold(self, X, Y, sample_weight, folds, alphas):
        """k-fold: the out-of-fold decision values (n, k) at the chosen α (per column), from
        one fit per fold at that α (`selection.kfold_curve`, as the cross-validation ran
        them); NaN for rows in no test fold."""
        from fastridge._backends import get_backend
        from fastridge._engine.selection import kfold_curve

        backend = get_backend(X, Y, sample_weight)
        data = backend.validate(self, X, Y, sample_weight)
        pf = V.check_penalty_factor(self.penalty_factor, data.p)
        v = np.ones(data.p) if pf is None else pf
        D = np.empty(Y.shape)
        for a in np.unique(alphas):
            cols = alphas == a
            values = kfold_curve(
                backend, data, folds, np.array([a]), v, solver=V.canonical_solver(self.solver),
                fit_intercept=self.fit_intercept, standardize=self.standardize,
                tol=float(self.tol), max_iter=self.max_iter,
                criterion=resolve_scoring(None, loo=True), params={}, per_target=False,
                store=True, tails={}, label=type(self).__name__)[2]
            D[:, cols] = values[:, 0, cols]
        return D

    def predict_proba(self, X: MatrixLike) -> NDArray[np.float64]:
        """Calibrated class probabilities.

        From the decision values, by the model fitted in `fit` to the held-out decision
        values (see Notes of the class).

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples, n_classes), or (n_samples, n_labels) for multilabel y
            Class probabilities (rows sum to 1), in the order of `classes_`; for multilabel y
            the probability of each label.

        Raises
        ------
        NotFittedError
            Before `fit`, or after a fit that had no held-out decision values.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeClassifierCV
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
        >>> clf = RidgeClassifierCV(alphas=[1.0]).fit(X, [0, 0, 1, 0, 1, 1])
        >>> p = clf.predict_proba([[0.0], [5.0]])
        >>> p.shape, bool(p[0, 0] > 0.5 > p[1, 0])
        ((2, 2), True)
        """
        if not hasattr(self, "calibration_scale_"):
            raise NotFittedError(
                f"This {type(self).__name__} has no calibrated probabilities: predict_proba "
                f"needs a fit whose cross-validation gave held-out decision values "
                f"(leave-one-out or k-fold), on which the calibration is fitted.")
        d = np.asarray(self.decision_function(X), dtype=np.float64)
        return probabilities(d, self._label_kind, self.classes_.size, self.calibration_scale_)


# --------------------------------------------------------------------------- calibration
def platt_targets(codes, C, w):
    """Platt's targets (n, C): (N_c + 1)/(N_c + 2) for a row's class c, 1/(N_c + 2) shared
    equally by the other classes; N_c the total weight of class c."""
    N = np.bincount(codes, weights=w, minlength=C)
    n = codes.size
    T = np.repeat((1.0 / (N[codes] + 2.0) / (C - 1))[:, None], C, axis=1)
    T[np.arange(n), codes] = (N[codes] + 1.0) / (N[codes] + 2.0)
    return T


def _log_softmax(eta):
    eta = eta - eta.max(axis=1, keepdims=True)
    return eta - np.log(np.exp(eta).sum(axis=1, keepdims=True))


def fit_scale(F, T, w, max_iter=200):
    """The a ≥ 0 of largest likelihood (targets T (n, C), weights w (n,)) of
    P(c | f) = softmax(a f)_c, by Newton's method with step halving (the negative
    log-likelihood is convex in a; its minimizer is clipped at 0, whose probabilities are
    uniform)."""
    TF = (T * F).sum(axis=1)

    def nll(a):
        logp = _log_softmax(a * F)
        P = np.exp(logp)
        mean_f = (P * F).sum(axis=1)
        return -float(w @ (T * logp).sum(axis=1)), P, mean_f, float(w @ (mean_f - TF))

    a = 1.0
    f, P, mean_f, g = nll(a)
    for _ in range(max_iter):
        h = float(w @ ((P * F * F).sum(axis=1) - mean_f * mean_f))
        if not h > 0.0:
            break                                # F constant in every row: any a is as good
        step, t = g / h, 1.0
        while True:
            new = nll(a - t * step)
            # near the minimum the likelihood is flat to its rounding (a step's decrease
            # g²/2h is far below it) while the derivative still resolves the step: a smaller
            # |derivative| is progress too (the function is convex in a)
            if new[0] <= f or abs(new[3]) < abs(g) or t < 1e-12:
                break
            t *= 0.5
        a, done = a - t * step, abs(t * step) <= 1e-14 * max(abs(a), 1.0)
        f, P, mean_f, g = new
        if done:
            break
    return max(a, 0.0)


def calibrate(D, kind, codes, Y, sw):
    """The slope(s) a of the calibration (see RidgeClassifierCV's Notes) fitted on the
    leave-one-out decision values D (n, k)."""
    n = D.shape[0]
    w = np.ones(n) if sw is None else np.asarray(sw, dtype=np.float64)
    if kind == MULTILABEL:
        return np.array([_platt(D[:, t], (Y[:, t] > 0).astype(np.intp), w)
                         for t in range(D.shape[1])])
    if D.shape[1] == 1:
        if np.unique(codes).size < 2:            # one class: nothing to calibrate
            return 0.0
        return _platt(D[:, 0], codes, w)
    return fit_scale(D, platt_targets(codes, D.shape[1], w), w)


def _platt(d, codes, w):
    """Platt scaling through the origin of one column: a of P(1 | d) = σ(a d)."""
    return fit_scale(np.column_stack([np.zeros_like(d), d]), platt_targets(codes, 2, w), w)


def probabilities(d, kind, n_classes, a):
    """Class probabilities of decision values `d` under the calibration slope(s) `a`."""
    if kind == MULTILABEL:
        return 1.0 / (1.0 + np.exp(-(d * a)))
    if d.ndim == 1:
        if n_classes < 2:
            return np.ones((d.shape[0], 1))
        p1 = 1.0 / (1.0 + np.exp(-(a * d)))
        return np.column_stack([1.0 - p1, p1])
    return np.exp(_log_softmax(a * d))
