"""A small estimator base class, scikit-learn compatible without importing scikit-learn.

``RegressorBase`` gives an estimator the parameter protocol (``get_params``/``set_params``, so
``clone``, ``Pipeline`` and ``GridSearchCV`` work), a repr showing only non-default parameters,
scikit-learn's estimator tags (built lazily inside ``__sklearn_tags__``), ``score`` as R², pickling
that records the fastridge version, and the not-fitted check.

Subclasses follow scikit-learn's rules: every constructor parameter is named in ``__init__`` (no
``*args``), stored unchanged on ``self`` under the same name, and validated in ``fit``, not in
``__init__`` or ``set_params``.
"""
from __future__ import annotations

import functools
import inspect
import warnings
from typing import TYPE_CHECKING, cast

import numpy as np

from . import _version
from ._validation import check_sample_weight, check_y
from .exceptions import InconsistentVersionWarning, NotFittedError, UndefinedMetricWarning

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from numpy.typing import ArrayLike

    from fastridge._typing import MatrixLike

    _Estimator = TypeVar("_Estimator", bound="RegressorBase")
    _Method = TypeVar("_Method", bound=Callable[..., Any])

__all__ = ["RegressorBase", "linear_attributes", "linear_predict", "r2_score"]

_VERSION_KEY = "_fastridge_version"


@functools.cache
def _init_signature(cls):
    """``(names, defaults)`` of the constructor parameters of ``cls``, in signature order."""
    init = cls.__init__
    if init is object.__init__:
        return (), {}
    params = inspect.signature(init).parameters
    names, defaults = [], {}
    for p in list(params.values())[1:]:  # skip self
        if p.kind is p.VAR_POSITIONAL:
            raise RuntimeError(
                "fastridge estimators should always specify their parameters in the signature "
                f"of their __init__ (no varargs). {cls.__name__} with constructor "
                f"{inspect.signature(init)} doesn't follow this convention."
            )
        if p.kind is p.VAR_KEYWORD:
            continue
        names.append(p.name)
        defaults[p.name] = p.default
    return tuple(names), defaults


def unchanged_on_failure(fit: _Method) -> _Method:
    """Decorate a fitting method: when it raises (an input found bad midway, Ctrl-C, a signal
    handler's exception), the estimator's attributes are put back as they were before the call,
    so that a failed fit never leaves, say, a new `n_features_in_` next to the old `coef_`.
    The fits replace their attributes, never modify them in place, so a shallow copy suffices."""
    @functools.wraps(fit)
    def wrapper(self, *args, **kwargs):
        before = self.__dict__.copy()
        try:
            return fit(self, *args, **kwargs)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(before)
            raise

    return cast("_Method", wrapper)  # the same signature, for type checkers


def linear_predict(X, coef, intercept):
    """X @ coefᵀ + intercept in X's dtype.  float32 products can overflow on the way to a
    representable prediction (coefficients of 1e20 against values of 1e20 that cancel): those
    are computed again in float64, a block of rows at a time, and rounded to float32."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.asarray(X @ coef.T) + intercept
    if out.dtype != np.float32 or np.all(np.isfinite(out)):
        return out
    coef64, icpt64 = np.asarray(coef, np.float64), np.asarray(intercept, np.float64)
    step = max(1, (4 * 1024**2) // (8 * max(X.shape[1], 1)))
    rows = []
    for i0 in range(0, X.shape[0], step):
        block = X[i0:i0 + step]
        block = block.astype(np.float64) if hasattr(block, "astype") else block
        rows.append(np.asarray(block @ coef64.T) + icpt64)
    with np.errstate(over="ignore"):  # beyond float32 the prediction itself is infinite
        return np.concatenate(rows).astype(np.float32)


def linear_attributes(coef, intercept, dtype, y_ndim, fit_intercept):
    """``(coef_, intercept_)`` laid out as scikit-learn 1.9's linear models store them.

    `coef` (k, p) and `intercept` (k,) are the fitted values for k targets; `dtype` is X's
    floating dtype and `y_ndim` the number of dimensions of the y given to fit.  ``coef_`` is
    (p,) when k = 1 (also for y of shape (n, 1)), else (k, p); ``intercept_`` is the Python float
    0.0 without an intercept, a numpy scalar of `dtype` for 1-D y, else an array (k,) of `dtype`.
    """
    dtype = np.dtype(dtype)
    coef = np.asarray(coef)
    coef_ = (coef[0] if coef.shape[0] == 1 else coef).astype(dtype)
    if not fit_intercept:
        return coef_, 0.0
    intercept = np.asarray(intercept)
    if y_ndim == 1:
        return coef_, dtype.type(intercept.reshape(-1)[0])
    return coef_, intercept.reshape(-1).astype(dtype)


def r2_score(y_true, y_pred, sample_weight=None, *, stacklevel=2):
    """R² of `y_pred` against `y_true` (1-D or (n, k)), weighted by `sample_weight`, averaged
    uniformly over targets, with scikit-learn's conventions for constant targets and fewer
    than two samples (see :meth:`RegressorBase.score`)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    n = y_pred.shape[0]
    if y_true.shape[0] != n:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"[{y_true.shape[0]}, {n}]"
        )
    y_true = y_true.reshape(n, -1)
    y_pred = y_pred.reshape(n, -1).astype(np.float64, copy=False)
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            "y_true and y_pred have different number of output "
            f"({y_true.shape[1]}!={y_pred.shape[1]})"
        )
    w = check_sample_weight(sample_weight, n, np.float64)
    if n < 2:
        warnings.warn(
            UndefinedMetricWarning("R^2 score is not well-defined with less than two samples."),
            stacklevel=stacklevel,
        )
        return float("nan")
    sq_res = (y_true - y_pred) ** 2
    if w is None:
        numerator = sq_res.sum(axis=0)
        centred = y_true - y_true.mean(axis=0)
        denominator = (centred * centred).sum(axis=0)
    else:
        numerator = w @ sq_res
        centred = y_true - (w @ y_true) / w.sum()
        denominator = w @ (centred * centred)
    scores = np.ones(y_true.shape[1])
    nonzero_num = numerator != 0
    nonzero_den = denominator != 0
    regular = nonzero_num & nonzero_den
    scores[regular] = 1.0 - numerator[regular] / denominator[regular]
    scores[nonzero_num & ~nonzero_den] = 0.0
    return float(scores.mean())


def _is_scalar_nan(x):
    return isinstance(x, (float, np.floating)) and x != x


class RegressorBase:
    """Base class of fastridge's regressors."""

    _estimator_type = "regressor"

    if TYPE_CHECKING:  # every subclass defines it; `score` calls it
        def predict(self, X: Any) -> Any: ...

    # ---------------------------------------------------------------- parameters
    @classmethod
    def _get_param_names(cls):
        """Constructor parameter names, in signature order."""
        return list(_init_signature(cls)[0])

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Get the constructor parameters of this estimator.

        Parameters
        ----------
        deep : bool, default=True
            Also include the parameters of nested estimators (values having ``get_params``),
            as ``name__subname``.

        Returns
        -------
        dict
            Parameter name → current value, in the constructor's order.

        See Also
        --------
        set_params : The converse.

        Examples
        --------
        >>> from fastridge import Ridge
        >>> Ridge(alpha=2.0).get_params()["alpha"]
        2.0
        """
        out = {}
        # a class is hashable; mypy's Hashable check of type[...] says otherwise
        for name in _init_signature(type(self))[0]:  # type: ignore[arg-type]
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                for sub_name, sub_value in value.get_params(deep=True).items():
                    out[f"{name}__{sub_name}"] = sub_value
            out[name] = value
        return out

    def set_params(self: _Estimator, **params: Any) -> _Estimator:
        """Set constructor parameters of this estimator.

        Values are not validated here; ``fit`` validates them.

        Parameters
        ----------
        **params : dict
            ``name=value``, or ``name__subname=value`` for a parameter of a nested estimator.

        Returns
        -------
        estimator
            The estimator (``self``).

        See Also
        --------
        get_params : The converse.

        Examples
        --------
        >>> from fastridge import Ridge
        >>> Ridge().set_params(alpha=0.5, solver="cd")
        Ridge(alpha=0.5, solver='cd')
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested: dict[str, dict] = {}
        for key, value in params.items():
            name, delim, sub_name = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {self}. Valid parameters are: "
                    f"{sorted(self._get_param_names())!r}."
                )
            if delim:
                nested.setdefault(name, {})[sub_name] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self):
        names, defaults = _init_signature(type(self))
        parts = []
        for name in names:
            if not hasattr(self, name):
                continue
            value, default = getattr(self, name), defaults[name]
            if value is default or (_is_scalar_nan(value) and _is_scalar_nan(default)):
                continue
            text = repr(value)
            if text != repr(default):
                parts.append(f"{name}={text}")
        cls_name = type(self).__name__
        one_line = f"{cls_name}({', '.join(parts)})"
        if len(one_line) <= 79 or len(parts) < 2:
            return one_line
        indent = ",\n" + " " * (len(cls_name) + 1)
        return f"{cls_name}({indent.join(parts)})"

    # ---------------------------------------------------------------- scikit-learn tags
    def __sklearn_tags__(self):
        from sklearn.utils import InputTags, RegressorTags, Tags, TargetTags

        return Tags(
            estimator_type="regressor",
            target_tags=TargetTags(required=True, multi_output=True, single_output=True),
            transformer_tags=None,
            classifier_tags=None,
            regressor_tags=RegressorTags(),
            input_tags=InputTags(two_d_array=True, sparse=True, allow_nan=False),
        )

    def _repr_html_(self):
        """The HTML diagram notebooks show (scikit-learn's ``estimator_html_repr``); None, so
        that the plain repr is shown, when scikit-learn is not installed."""
        try:
            from sklearn.utils import estimator_html_repr
        except ImportError:
            return None
        return estimator_html_repr(self)

    # ---------------------------------------------------------------- fitted state
    def _check_is_fitted(self, attr="coef_"):
        """Raise NotFittedError unless ``self`` has ``attr`` (a name or a list of names)."""
        attrs = (attr,) if isinstance(attr, str) else attr
        if not all(hasattr(self, a) for a in attrs):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    # ---------------------------------------------------------------- scoring
    def score(self, X: MatrixLike, y: ArrayLike,
              sample_weight: ArrayLike | None = None) -> float:
        """Return the coefficient of determination R² of the predictions.

        R² = 1 - Σ w (y - ŷ)² / Σ w (y - ȳ_w)², computed per target and averaged uniformly
        over targets (scikit-learn's ``r2_score`` defaults). A target with constant ``y``
        scores 1.0 if predicted exactly and 0.0 otherwise. With fewer than two samples the
        score is undefined: NaN, with an UndefinedMetricWarning.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Test data.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the sums.

        Returns
        -------
        float
            R² of ``self.predict(X)`` against `y` (1.0 is a perfect fit; it can be negative).

        See Also
        --------
        predict : The predictions scored.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
        >>> y = np.array([0.0, 1.0, 2.0, 3.0])
        >>> round(Ridge(alpha=1.0).fit(X, y).score(X, y), 4)
        0.9722
        """
        y_pred = np.asarray(self.predict(X))
        y_true = check_y(y, np.dtype(np.float64), type(self).__name__)
        return r2_score(y_true, y_pred, sample_weight, stacklevel=3)

    # ---------------------------------------------------------------- pickling
    def __getstate__(self):
        state = self.__dict__.copy()
        state[_VERSION_KEY] = _version.__version__
        return state

    def __setstate__(self, state):
        state = dict(state)
        pickled_version = state.pop(_VERSION_KEY, "unknown")
        current = _version.__version__
        if pickled_version != current:
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=type(self).__name__,
                    current_version=current,
                    original_version=pickled_version,
                ),
                stacklevel=2,
            )
        self.__dict__.update(state)


def set_linear_fit(est, fit, *, dtype, single, n_features=None):
    """The one setter of a linear estimator's fitted attributes: `coef_` and `intercept_` laid
    out as scikit-learn's (`linear_attributes`: dtype, single-target and no-intercept rules),
    `n_iter_` (an int for one target, else an array) and `solver_`; with `n_features`, also
    `n_features_in_` (for inputs that carry no feature names: those are set by validation)."""
    coef, intercept = linear_attributes(fit.coef, fit.intercept, dtype, 1 if single else 2,
                                        est.fit_intercept)
    if n_features is not None:
        est.n_features_in_ = int(n_features)
        est.__dict__.pop("feature_names_in_", None)
    est.coef_, est.intercept_ = coef, intercept
    n_iter = np.asarray(fit.n_iter)
    est.n_iter_ = int(n_iter[0]) if single else n_iter
    if fit.solver is not None:  # None: an estimator without a choice of solver (RidgeEM)
        est.solver_ = fit.solver
