"""Warnings and errors raised by fastridge.

Each class here has a namesake in :mod:`sklearn.exceptions`. fastridge never imports scikit-learn,
but when ``sklearn.exceptions`` is already loaded, creating an instance of one of these classes
returns an instance of a twin class that derives from both the fastridge class and the scikit-learn
class of the same name. So code written against either library catches our errors and filters our
warnings::

    try:
        est.predict(X)
    except sklearn.exceptions.NotFittedError:   # also catches fastridge's
        ...

    with pytest.warns(sklearn.exceptions.ConvergenceWarning):
        fastridge.exceptions.warn(fastridge.exceptions.ConvergenceWarning, "...")

``isinstance(err, fastridge.exceptions.NotFittedError)`` holds in every case; ``type(err)`` is the
twin (same name and module) when scikit-learn is loaded. Instances pickle as the fastridge class
and pick up the twin again on unpickling if scikit-learn is loaded there.

Warnings must be issued with an *instance* (as :func:`warn` does): ``warnings.warn(msg, Category)``
records ``Category`` itself, which scikit-learn's filters would not match.
"""
from __future__ import annotations

import os
import sys
import threading
import warnings

__all__ = [
    "AlphaGridWarning",
    "ConvergenceWarning",
    "DataConversionWarning",
    "InconsistentVersionWarning",
    "NotFittedError",
    "UndefinedMetricWarning",
    "warn",
]

_TWINS: dict[type, type] = {}
_TWINS_LOCK = threading.Lock()


def _twin_of(cls):
    """The subclass of ``cls`` and scikit-learn's class of the same name, or None.

    The name is that of the fastridge class ``cls`` is (or derives from). None when
    ``sklearn.exceptions`` is not loaded (we never load it), when it has no class of that name
    (older scikit-learn), or when ``cls`` already derives from it.
    """
    sk_exceptions = sys.modules.get("sklearn.exceptions")
    if sk_exceptions is None or cls._sklearn_name is None:
        return None
    sk_cls = getattr(sk_exceptions, cls._sklearn_name, None)
    if not isinstance(sk_cls, type) or issubclass(cls, sk_cls):
        return None
    key = (cls, sk_cls)
    twin = _TWINS.get(key)
    if twin is None:
        with _TWINS_LOCK:
            twin = _TWINS.get(key)
            if twin is None:
                twin = type(cls.__name__, (cls, sk_cls), {
                    "__module__": cls.__module__,
                    "__qualname__": cls.__qualname__,
                    "__doc__": cls.__doc__,
                    "_fastridge_class": cls,
                })
                _TWINS[key] = twin
    return twin


def _rebuild(cls, args, state):
    """Unpickle an exception as ``cls`` (re-twinned if scikit-learn is loaded here)."""
    obj = cls.__new__(cls, *args)
    if state:
        obj.__dict__.update(state)
    return obj


class _SklearnAware:
    """Mixin: instantiate the scikit-learn twin when scikit-learn is loaded."""

    __slots__ = ()
    _sklearn_name: str | None = None  # set by each public class; subclasses inherit it

    def __new__(cls, *args, **kwargs):
        twin = _twin_of(cls)
        # BaseException.__new__ stores the positional args and ignores the keywords.
        return super().__new__(cls if twin is None else twin, *args, **kwargs)

    def __reduce__(self):
        # The twin is not importable by name: pickle as the fastridge class it was made from.
        cls = type(self).__dict__.get("_fastridge_class", type(self))
        return (_rebuild, (cls, self.args, dict(getattr(self, "__dict__", {}))))


class _Message(_SklearnAware):
    """Mixin: the constructor takes the message (positional arguments only), as built-in
    exceptions do; defined so that the public signature reads ``(*args)``."""

    __slots__ = ()

    # Both: inspect.signature reads __new__ before __init__ on some Python versions (3.11.2 does,
    # 3.11.7 does not), and _SklearnAware.__new__ also takes keywords.
    def __new__(cls, *args):
        return super().__new__(cls, *args)

    def __init__(self, *args):
        super().__init__(*args)


class ConvergenceWarning(_Message, UserWarning):
    """An iterative solver stopped at ``max_iter`` before reaching ``tol``.

    Issued once per fit by :class:`~fastridge.Ridge` (solvers ``"cd"`` and ``"cg"``), once per
    path by :func:`~fastridge.ridge_path` (listing the α), and by :class:`~fastridge.RidgeEM`
    when its Newton search does not converge.  The result is still returned, as the last
    iterate.  Also an instance of ``sklearn.exceptions.ConvergenceWarning`` when scikit-learn
    is loaded.

    Parameters
    ----------
    *args : object
        The message (usually one str), as for any warning.

    See Also
    --------
    warn : Issue a warning as an instance, so that scikit-learn's filters match it too.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from fastridge import Ridge
    >>> from fastridge.exceptions import ConvergenceWarning
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((40, 20)) * np.geomspace(1.0, 1e-4, 20)
    >>> y = rng.standard_normal(40)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = Ridge(alpha=1e-8, solver="cd", max_iter=1, tol=1e-12).fit(X, y)
    >>> [issubclass(w.category, ConvergenceWarning) for w in caught]
    [True]

    Silence it with a filter on the category:

    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", ConvergenceWarning)
    ...     _ = Ridge(alpha=1e-8, solver="cd", max_iter=1, tol=1e-12).fit(X, y)
    """

    _sklearn_name = "ConvergenceWarning"


class DataConversionWarning(_Message, UserWarning):
    """Input data was converted or interpreted in a way the user may not expect.

    Issued when 64-bit integer input holds values beyond 2**53, which float64 cannot represent
    exactly (integers closer than their rounding become equal).  Also an instance of
    ``sklearn.exceptions.DataConversionWarning`` when scikit-learn is loaded.

    Parameters
    ----------
    *args : object
        The message (usually one str), as for any warning.

    See Also
    --------
    ConvergenceWarning : The other warning fit may issue.

    Examples
    --------
    >>> import warnings
    >>> from fastridge.exceptions import DataConversionWarning, warn
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn(DataConversionWarning, "y was converted to float64")
    >>> print(caught[0].message)
    y was converted to float64
    """

    _sklearn_name = "DataConversionWarning"


class UndefinedMetricWarning(_Message, UserWarning):
    """A score is not defined for the given input (for example R² on fewer than two samples).

    Also an instance of ``sklearn.exceptions.UndefinedMetricWarning`` when scikit-learn is
    loaded.

    Parameters
    ----------
    *args : object
        The message (usually one str), as for any warning.

    See Also
    --------
    fastridge.Ridge.score : Issues it, returning NaN, for fewer than two samples.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from fastridge import Ridge
    >>> from fastridge.exceptions import UndefinedMetricWarning
    >>> model = Ridge().fit(np.eye(3), [1.0, 2.0, 3.0])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     score = model.score([[1.0, 0.0, 0.0]], [1.0])
    >>> score, caught[0].category.__name__
    (nan, 'UndefinedMetricWarning')
    """

    _sklearn_name = "UndefinedMetricWarning"


class NotFittedError(_Message, ValueError, AttributeError):
    """An estimator was used before ``fit``.

    Derives from both ValueError and AttributeError, as scikit-learn's class does, so ``hasattr``
    style probing and ``except ValueError`` both work.  Also an instance of
    ``sklearn.exceptions.NotFittedError`` when scikit-learn is loaded.

    Parameters
    ----------
    *args : object
        The message (usually one str), as for any exception.

    See Also
    --------
    fastridge.Ridge.fit : What to call first.

    Examples
    --------
    >>> from fastridge import Ridge
    >>> from fastridge.exceptions import NotFittedError
    >>> try:
    ...     Ridge().predict([[1.0, 2.0]])
    ... except NotFittedError as err:
    ...     print(err)  # doctest: +NORMALIZE_WHITESPACE
    This Ridge instance is not fitted yet. Call 'fit' with appropriate arguments before using
    this estimator.
    """

    _sklearn_name = "NotFittedError"


class InconsistentVersionWarning(_SklearnAware, UserWarning):
    """An estimator was unpickled with a fastridge version other than the one that pickled it.

    Also an instance of ``sklearn.exceptions.InconsistentVersionWarning`` when scikit-learn is
    loaded.

    Parameters
    ----------
    estimator_name : str
        Class name of the unpickled estimator.
    current_version : str
        The fastridge version doing the unpickling.
    original_version : str
        The fastridge version recorded in the pickle.

    Attributes
    ----------
    estimator_name : str
        As given.
    current_version : str
        As given.
    original_version : str
        As given.

    See Also
    --------
    warn : Issue a warning as an instance.

    Notes
    -----
    scikit-learn's namesake calls the versions ``current_sklearn_version`` and
    ``original_sklearn_version``; these are fastridge versions, so they are not offered under
    those names.

    Examples
    --------
    >>> from fastridge.exceptions import InconsistentVersionWarning
    >>> w = InconsistentVersionWarning(estimator_name="Ridge", current_version="0.2",
    ...                                original_version="0.1")
    >>> print(w)  # doctest: +NORMALIZE_WHITESPACE
    Trying to unpickle estimator Ridge from fastridge version 0.1 when using version 0.2. This
    might lead to breaking code or invalid results. Use at your own risk.
    """

    _sklearn_name = "InconsistentVersionWarning"

    def __init__(self, *, estimator_name, current_version, original_version):
        # Not super().__init__: in the twin, the next class in line is scikit-learn's, whose
        # __init__ takes other keywords.
        self.estimator_name = estimator_name
        self.current_version = current_version
        self.original_version = original_version
        self.args = (str(self),)

    def __str__(self):
        return (
            f"Trying to unpickle estimator {self.estimator_name} from fastridge version "
            f"{self.original_version} when using version {self.current_version}. This might lead "
            "to breaking code or invalid results. Use at your own risk."
        )


class AlphaGridWarning(UserWarning):
    """RidgeCV's cross-validation error is smallest at an end of the α grid.

    The chosen α may then not be the optimum: the error may fall further beyond the grid.
    :class:`~fastridge.RidgeCV` issues it when

    - a user-given grid (``alphas=[...]``), which is never changed, has its minimum at an end
      (`reason` ``"user_grid"``);
    - k-fold cross-validation on the default grid still has its minimum at an end after the
      documented extensions (`reason` ``"kfold_limit"``);
    - leave-one-out on the default grid was extended until the effective degrees of freedom
      reached ~0 (intercept-only model) or the rank (least squares) with the minimum still at
      that end (`reason` ``"df_limit"``).

    A plain ``UserWarning`` subclass (scikit-learn has no namesake).

    Parameters
    ----------
    message : str
        The text, naming the numbers and how to extend the grid.
    end : {"largest", "smallest"}, default=None
        Which end of the grid (also accepted as ``"top"``/``"bottom"``).
    alpha : float, default=None
        The α at that end.
    alpha_range : tuple of float, default=None
        (smallest, largest) α tried.
    errors : tuple of float, default=None
        The mean CV error at the end and at its neighbour on the grid (first target).
    reason : {"user_grid", "kfold_limit", "df_limit", "loo_limit", "dask"}, default=None
        Why the grid was not (further) extended (``"loo_limit"``: leave-one-out's safety cap
        on added points; ``"dask"``: RidgeCV on Dask arrays does not extend its default grid).

    Attributes
    ----------
    end : str or None
        ``"largest"`` or ``"smallest"``.
    alpha : float or None
        As given.
    alpha_range : tuple of float or None
        As given.
    errors : tuple of float or None
        As given.
    reason : str or None
        As given.

    See Also
    --------
    fastridge.RidgeCV : Its Notes describe how each grid is handled.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from fastridge import RidgeCV
    >>> from fastridge.exceptions import AlphaGridWarning
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 3))
    >>> y = X @ np.array([1.0, 2.0, 3.0]) + 0.01 * rng.standard_normal(50)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = RidgeCV(alphas=[1.0, 10.0, 100.0]).fit(X, y)
    >>> w = caught[0].message
    >>> type(w).__name__, w.end, w.alpha, w.reason
    ('AlphaGridWarning', 'smallest', 1.0, 'user_grid')
    """

    def __init__(self, message="", *, end=None, alpha=None, alpha_range=None, errors=None,
                 reason=None):
        super().__init__(message)
        self.end = {"top": "largest", "bottom": "smallest"}.get(end, end)
        self.alpha = alpha
        self.alpha_range = alpha_range
        self.errors = errors
        self.reason = reason


def warn(category: type[Warning], message: str, stacklevel: int | None = 2) -> None:
    """Issue ``category(message)`` as a warning *instance*.

    Warning with an instance makes the recorded category the instance's class, which is the
    scikit-learn twin when scikit-learn is loaded; so filters and ``pytest.warns`` on either
    library's class match.

    Parameters
    ----------
    category : type
        A warning class taking the message as its one argument, such as
        :class:`ConvergenceWarning`.
    message : str
        The warning's text.
    stacklevel : int or None, default=2
        As in :func:`warnings.warn`, counted from the caller of this function: the default 2
        attributes the warning to the caller's caller.  None attributes it to the innermost
        caller outside the fastridge package (the user's line, however deep inside fastridge
        the warning arose).

    See Also
    --------
    warnings.warn : What this calls, with ``category(message)``.

    Examples
    --------
    >>> import warnings
    >>> from fastridge.exceptions import ConvergenceWarning, warn
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn(ConvergenceWarning, "stopped early")
    >>> caught[0].category.__name__, str(caught[0].message)
    ('ConvergenceWarning', 'stopped early')
    """
    if stacklevel is None:
        stacklevel = _outside_stacklevel()
    warnings.warn(category(message), stacklevel=stacklevel + 1)


def warn_from_user_code(warning: Warning) -> None:
    """Issue the warning instance `warning` attributed to the innermost calling frame outside
    fastridge (the user's line), however deep inside fastridge the call is made."""
    warnings.warn(warning, stacklevel=_outside_stacklevel() + 1)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _outside_stacklevel():
    """The `stacklevel` of :func:`warn` that names the innermost frame outside fastridge."""
    frame = sys._getframe(2)  # the caller of warn
    level = 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
            _PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    return level if frame is not None else 2
