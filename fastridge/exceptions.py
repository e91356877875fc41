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
twin (same name and module) when scikit-learn is loaded. Instances pickle as the fastridge class and
pick up the twin again on unpickling if scikit-learn is loaded there.

Warnings must be issued with an *instance* (as :func:`warn` does): ``warnings.warn(msg, Category)``
records ``Category`` itself, which scikit-learn's filters would not match.
"""
import sys
import threading
import warnings

__all__ = [
    "ConvergenceWarning",
    "DataConversionWarning",
    "InconsistentVersionWarning",
    "NotFittedError",
    "UndefinedMetricWarning",
    "warn",
]

_TWINS = {}
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
    _sklearn_name = None  # set by each public class; subclasses inherit it

    def __new__(cls, *args, **kwargs):
        twin = _twin_of(cls)
        # BaseException.__new__ stores the positional args and ignores the keywords.
        return super().__new__(cls if twin is None else twin, *args, **kwargs)

    def __reduce__(self):
        # The twin is not importable by name: pickle as the fastridge class it was made from.
        cls = type(self).__dict__.get("_fastridge_class", type(self))
        return (_rebuild, (cls, self.args, dict(getattr(self, "__dict__", {}))))


class ConvergenceWarning(_SklearnAware, UserWarning):
    """An iterative solver stopped at ``max_iter`` before reaching ``tol``."""

    _sklearn_name = "ConvergenceWarning"


class DataConversionWarning(_SklearnAware, UserWarning):
    """Input data was converted or interpreted in a way the user may not expect."""

    _sklearn_name = "DataConversionWarning"


class UndefinedMetricWarning(_SklearnAware, UserWarning):
    """A score is not defined for the given input (for example R² on fewer than two samples)."""

    _sklearn_name = "UndefinedMetricWarning"


class NotFittedError(_SklearnAware, ValueError, AttributeError):
    """An estimator was used before ``fit``.

    Derives from both ValueError and AttributeError, as scikit-learn's class does, so ``hasattr``
    style probing and ``except ValueError`` both work.
    """

    _sklearn_name = "NotFittedError"


class InconsistentVersionWarning(_SklearnAware, UserWarning):
    """An estimator was unpickled with a fastridge version other than the one that pickled it.

    Parameters
    ----------
    estimator_name : str
        Class name of the unpickled estimator.
    current_version : str
        The fastridge version doing the unpickling.
    original_version : str
        The fastridge version recorded in the pickle.

    The attributes have the same names. (scikit-learn's namesake calls them
    ``current_sklearn_version``/``original_sklearn_version``; these are fastridge versions, so they
    are not offered under those names.)
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


def warn(category, message, stacklevel=2):
    """Issue ``category(message)`` as a warning *instance*.

    Warning with an instance makes the recorded category the instance's class, which is the
    scikit-learn twin when scikit-learn is loaded; so filters and ``pytest.warns`` on either
    library's class match. ``stacklevel`` counts as in :func:`warnings.warn` from the caller of
    this function: the default 2 attributes the warning to the caller's caller.
    """
    warnings.warn(category(message), stacklevel=stacklevel + 1)
