"""The cross-validation criterion of RidgeCV, with scikit-learn's scoring conventions.

A criterion is a score of held-out predictions, **higher is better** (scikit-learn's sign
convention: its ``neg_*`` scorers are minus a loss); RidgeCV minimizes minus the score.  What
``scoring`` may be:

- ``None``: for leave-one-out the mean squared error (weighted by the sample weights), whose
  per-row terms also give standard errors; for k-fold the estimator's ``score``, R² (weighted),
  as scikit-learn's ``RidgeCV`` does.
- ``"neg_mean_squared_error"`` and ``"r2"``: computed here, without scikit-learn.  Any other
  string is one of scikit-learn's scorer names (``sklearn.metrics.get_scorer``; needs
  scikit-learn).
- A scorer: scikit-learn's scorer objects (``make_scorer``, ``get_scorer``) and any callable
  ``scorer(estimator, X, y)`` (three required positional parameters, or a first parameter
  named ``estimator``).  The estimator it receives predicts the held-out predictions.
- A metric: any other callable ``metric(y_true, y_pred)``, higher is better.  scikit-learn's
  loss functions (``sklearn.metrics.*_error``, ``*_loss``, ``*_deviance``) are refused as
  metrics, since maximizing them would choose the worst α: use their ``neg_*`` scorer names.

Scorers and metrics receive ``sample_weight=`` when there are sample weights and their
signature accepts the keyword; otherwise they see only the rows of positive weight, unweighted.
"""
from __future__ import annotations

import functools
import inspect
import sys

import numpy as np

from fastridge._base import RegressorBase, r2_score
from fastridge.exceptions import UndefinedMetricWarning, warn

__all__ = ["Criterion", "resolve_scoring"]

_NATIVE = ("neg_mean_squared_error", "r2")
_LOSS_SUFFIXES = ("_error", "_loss", "_deviance")


def _accepts_keyword(func, name):
    """Whether calling `func` with the keyword `name` is accepted by its signature."""
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _is_sklearn_scorer(obj):
    module = sys.modules.get("sklearn.metrics._scorer")
    base = getattr(module, "_BaseScorer", None)
    return isinstance(base, type) and isinstance(obj, base)


def _takes_estimator(func):
    """A callable ``f(estimator, X, y)``: three required positional parameters, or a first
    parameter named ``estimator``."""
    try:
        params = [p for p in inspect.signature(func).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return False
    required = [p for p in params if p.default is p.empty]
    return len(required) >= 3 or (bool(params) and params[0].name == "estimator")


def _sklearn_loss_name(func):
    """The name of a scikit-learn loss function `func` (or a partial of one), else None."""
    while isinstance(func, functools.partial):
        func = func.func
    module = getattr(func, "__module__", "") or ""
    name = getattr(func, "__name__", "") or ""
    if module.startswith("sklearn.metrics") and name.endswith(_LOSS_SUFFIXES):
        return name
    return None


class _Predicted(RegressorBase):
    """The estimator a scorer receives: it "predicts" the held-out predictions it holds
    (scikit-learn's RidgeCV scores its leave-one-out predictions the same way)."""

    def __init__(self, y_pred=None):
        self.y_pred = y_pred

    def predict(self, X):
        return self.y_pred


class Criterion:
    """A resolved ``scoring``: ``kind`` is "mse", "r2", "metric" or "scorer"; ``func`` the
    user's callable (metric, scorer) or None."""

    def __init__(self, kind, func=None):
        self.kind = kind
        self.func = func
        self.weighted = kind in ("mse", "r2") or _accepts_keyword(func, "sample_weight")

    @property
    def per_row(self):
        """The mean squared error is a mean of per-row terms (leave-one-out standard errors and
        stored per-row errors come from them)."""
        return self.kind == "mse"

    def from_sums(self, rss, tss, W):
        """Minus the score of the "mse" and "r2" criteria from sums over the held-out rows:
        the weighted residual sums of squares `rss` (m, k), the weighted total sums of
        squares about the weighted mean `tss` (k,) and the total weight `W`; (m, k).  R²
        follows scikit-learn for a constant target: 1 if predicted exactly, else 0."""
        if self.kind == "mse":
            return rss / W
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = np.where(tss > 0, 1.0 - rss / tss, np.where(rss == 0, 1.0, 0.0))
        return -r2

    def from_scaled_sums(self, rss, Ys, w, scale, per_target):
        """Minus the "mse"/"r2" score (m, K) from the weighted residual sums of squares `rss`
        (m, k) of held-out targets divided by `scale` (`target_scale`: `Ys`, (n, k)), rows
        weighted by `w` (n,)."""
        W = float(w.sum())
        centred = Ys - (w @ Ys) / W
        err = self.from_sums(rss, w @ (centred * centred), W)
        if self.kind == "mse":
            with np.errstate(over="ignore"):
                err = err * (scale * scale)
        return err if per_target else err.mean(axis=1, keepdims=True)

    def scores(self, y_true, pred, w, X, params, per_target):
        """Minus the score for each α: ``(m, K)`` from held-out predictions `pred`
        ``(n, m, k)`` of `y_true` ``(n, k)`` (1-D y: k = 1, scored as 1-D), K = k per target
        else 1 (one multi-output score)."""
        n, m, k = pred.shape
        single = y_true.ndim == 1
        Y = y_true.reshape(n, -1).astype(np.float64, copy=False)
        if self.kind == "r2" and n < 2:
            warn(UndefinedMetricWarning, "R^2 score is not well-defined with less than two "
                 "samples (a cross-validation test fold of one row).", stacklevel=None)
            return np.full((m, k if per_target else 1), np.nan)
        if self.kind in ("mse", "r2"):
            wv = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
            Ys, scale = target_scale(Y)
            rss = np.einsum("i,imk->mk", wv, (Ys[:, None, :] - pred / scale) ** 2)  # (m, k)
            return self.from_scaled_sums(rss, Ys, wv, scale, per_target)
        out = np.empty((m, k if per_target else 1))
        for j in range(m):
            if per_target:
                for t in range(k):
                    out[j, t] = -self.score(Y[:, t], pred[:, j, t], w, X, params)
            else:
                out[j, 0] = -self.score(Y[:, 0] if single else Y,
                                        pred[:, j, 0] if single else pred[:, j, :], w, X,
                                        params)
        return out

    def score(self, y_true, y_pred, w=None, X=None, params=None):
        """The score (higher is better) of predictions `y_pred` of `y_true` (1-D, or (n, k)
        scored as one multi-output score), rows weighted by `w` (or None); `X` the rows'
        features (given to scorers), `params` extra keywords for a scorer or metric."""
        params = params or {}
        if w is not None and not self.weighted:
            keep = np.flatnonzero(w > 0)
            params = sample_params(params, len(w), keep)
            y_true, y_pred, w = y_true[keep], y_pred[keep], None
            X = None if X is None else X[keep]
        if self.kind == "mse":
            sq = (np.asarray(y_true, np.float64) - y_pred) ** 2
            sq = sq.reshape(sq.shape[0], -1).mean(axis=1)
            return -float(np.average(sq, weights=w))
        if self.kind == "r2":
            return r2_score(y_true, y_pred, w, stacklevel=4)
        return self.call(y_true, y_pred, w, X, params)

    def call(self, y_true, y_pred, w, X, params):
        """The user's metric or scorer on predictions `y_pred` of `y_true`, rows weighted by
        `w` (or None): the one place a criterion calls user code (a classifier's criterion
        gives it labels instead of the regression values)."""
        weight = {} if w is None else {"sample_weight": w}
        if self.kind == "metric":
            return float(self.func(y_true, y_pred, **weight, **params))
        return float(self.func(_Predicted(y_pred), y_pred if X is None else X, y_true,
                               **weight, **params))


def target_scale(Y):
    """(Y / s, s): held-out targets on their largest magnitude s, so that no square of theirs
    overflows (y ~ 1e150 squares to 1e300); s = 1 for all-zero or non-finite Y."""
    scale = float(np.abs(Y).max(initial=0.0))
    scale = scale if 0.0 < scale < np.inf else 1.0
    return Y / scale, scale


def sample_params(params, n, rows):
    """The keywords of `params` that are per-sample (array-likes of length `n`, as
    scikit-learn's cross-validation splits them) restricted to `rows`; the rest unchanged."""
    out = {}
    for key, value in params.items():
        if not isinstance(value, (str, bytes)) and hasattr(value, "__len__") \
                and hasattr(value, "__getitem__"):
            try:
                length = len(value)
            except TypeError:
                length = None
            if length == n:
                arr = value if hasattr(value, "shape") else np.asarray(value)
                out[key] = arr[rows]
                continue
        out[key] = value
    return out


def resolve_scoring(scoring, *, loo, estimator_name="RidgeCV"):
    """The :class:`Criterion` of `scoring` (see the module docstring); `loo` says whether the
    criterion scores leave-one-out predictions (its default is then the squared error)."""
    where = f"The 'scoring' parameter of {estimator_name}"
    if scoring is None:
        return Criterion("mse" if loo else "r2")
    if isinstance(scoring, str):
        if scoring == "neg_mean_squared_error":
            return Criterion("mse")
        if scoring == "r2":
            return Criterion("r2")
        try:
            from sklearn.metrics import get_scorer
        except ImportError:
            raise ValueError(
                f"{where} is {scoring!r}, a scikit-learn scorer name, and scikit-learn is not "
                f"installed. Without it fastridge knows {list(_NATIVE)}; otherwise pass a "
                f"callable metric(y_true, y_pred) -> float (higher is better).") from None
        try:
            return Criterion("scorer", get_scorer(scoring))
        except ValueError as exc:
            raise ValueError(f"{where} must be None, a scorer name of "
                             f"sklearn.metrics.get_scorer_names(), a scorer or a callable; "
                             f"got {scoring!r}. ({exc})") from None
    if not callable(scoring) or isinstance(scoring, type):
        raise TypeError(f"{where} must be None, a str, a scorer(estimator, X, y) or a callable "
                        f"metric(y_true, y_pred) -> float (higher is better). Got "
                        f"{scoring!r} instead.")
    if _is_sklearn_scorer(scoring) or _takes_estimator(scoring):
        return Criterion("scorer", scoring)
    loss = _sklearn_loss_name(scoring)
    if loss is not None:
        raise ValueError(
            f"{where} is sklearn.metrics.{loss}, a loss (lower is better), but RidgeCV "
            f"maximizes its scoring. Use scoring='neg_{loss}' (scikit-learn's sign convention) "
            f"or make_scorer({loss}, greater_is_better=False).")
    return Criterion("metric", scoring)
