"""fastridge.exceptions: the classes, their scikit-learn twins, pickling, and warn()."""
import copy
import os
import pickle
import subprocess
import sys
import textwrap
import warnings

import pytest

import fastridge
from fastridge import exceptions as fe

CLASSES = [
    (fe.ConvergenceWarning, UserWarning),
    (fe.DataConversionWarning, UserWarning),
    (fe.UndefinedMetricWarning, UserWarning),
    (fe.NotFittedError, ValueError),
    (fe.NotFittedError, AttributeError),
    (fe.InconsistentVersionWarning, UserWarning),
]
MESSAGE_CLASSES = [fe.ConvergenceWarning, fe.DataConversionWarning, fe.UndefinedMetricWarning,
                   fe.NotFittedError]


def _make(cls, message="boom"):
    if cls is fe.InconsistentVersionWarning:
        return cls(estimator_name="Ridge", current_version="2.0", original_version="1.0")
    return cls(message)


@pytest.fixture
def no_sklearn(monkeypatch):
    """Make fastridge believe scikit-learn is not loaded, for the duration of a test."""
    monkeypatch.delitem(sys.modules, "sklearn.exceptions", raising=False)


@pytest.fixture
def sk_exceptions():
    return pytest.importorskip("sklearn.exceptions")


@pytest.mark.parametrize("cls, base", CLASSES)
def test_class_hierarchy(cls, base):
    assert issubclass(cls, base)
    assert isinstance(_make(cls), base)


@pytest.mark.parametrize("cls", [c for c, _ in CLASSES])
def test_plain_class_without_sklearn(no_sklearn, cls):
    obj = _make(cls)
    assert type(obj) is cls


def test_not_fitted_error_caught_as_value_and_attribute_error():
    with pytest.raises(ValueError, match="not fitted"):
        raise fe.NotFittedError("not fitted")
    # AttributeError: hasattr() probing treats it as "missing".
    class Probe:
        @property
        def thing(self):
            raise fe.NotFittedError("not fitted")
    assert not hasattr(Probe(), "thing")


@pytest.mark.parametrize("cls", [c for c, _ in CLASSES])
def test_twin_is_instance_of_both(sk_exceptions, cls):
    sk_cls = getattr(sk_exceptions, cls.__name__)
    obj = _make(cls)
    assert isinstance(obj, cls)
    assert isinstance(obj, sk_cls)
    assert type(obj).__name__ == cls.__name__
    assert type(obj).__module__ == "fastridge.exceptions"
    # the twin class is made once and reused
    assert type(_make(cls)) is type(obj)


def test_twin_caught_by_sklearn_except_clause(sk_exceptions):
    with pytest.raises(sk_exceptions.NotFittedError, match="^boom$"):
        raise fe.NotFittedError("boom")
    try:
        raise fe.NotFittedError("boom")
    except sk_exceptions.NotFittedError as exc:
        assert exc.args == ("boom",)
        assert str(exc) == "boom"


@pytest.mark.parametrize("cls", [fe.ConvergenceWarning, fe.DataConversionWarning,
                                 fe.UndefinedMetricWarning])
def test_warn_matches_sklearn_and_fastridge_classes(sk_exceptions, cls):
    sk_cls = getattr(sk_exceptions, cls.__name__)
    with pytest.warns(sk_cls, match="^did not converge$"):
        fe.warn(cls, "did not converge")
    with pytest.warns(cls, match="^did not converge$"):
        fe.warn(cls, "did not converge")


def test_sklearn_filters_apply(sk_exceptions):
    with warnings.catch_warnings():
        warnings.simplefilter("error", sk_exceptions.ConvergenceWarning)
        with pytest.raises(sk_exceptions.ConvergenceWarning):
            fe.warn(fe.ConvergenceWarning, "stop")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=sk_exceptions.ConvergenceWarning)
        fe.warn(fe.ConvergenceWarning, "stop")
    assert record == []


def test_warn_without_sklearn_records_fastridge_class(no_sklearn):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fe.warn(fe.ConvergenceWarning, "slow")
    assert len(record) == 1
    assert record[0].category is fe.ConvergenceWarning
    assert str(record[0].message) == "slow"


def _library_function():
    fe.warn(fe.ConvergenceWarning, "from the library")  # default stacklevel=2


def _deeper_library_function():
    fe.warn(fe.ConvergenceWarning, "from deeper", stacklevel=3)


def _wrapper():
    _deeper_library_function()  # stacklevel=3: the warning is attributed to _wrapper's caller


def test_warn_stacklevel_points_at_callers_caller():
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        _library_function(); line = sys._getframe().f_lineno  # noqa: E702
        _wrapper(); line3 = sys._getframe().f_lineno  # noqa: E702
    assert [r.filename for r in record] == [__file__, __file__]
    assert record[0].lineno == line
    assert record[1].lineno == line3


@pytest.mark.parametrize("cls", [c for c, _ in CLASSES])
@pytest.mark.parametrize("sklearn_loaded", [False, True])
def test_pickle_and_copy_round_trip(monkeypatch, cls, sklearn_loaded):
    if sklearn_loaded:
        sk_exceptions = pytest.importorskip("sklearn.exceptions")
    else:
        monkeypatch.delitem(sys.modules, "sklearn.exceptions", raising=False)
    obj = _make(cls)
    for clone in (pickle.loads(pickle.dumps(obj)), copy.copy(obj), copy.deepcopy(obj)):
        assert type(clone) is type(obj)
        assert str(clone) == str(obj)
        assert clone.args == obj.args
        if sklearn_loaded:
            assert isinstance(clone, getattr(sk_exceptions, cls.__name__))


def test_pickled_twin_unpickles_as_plain_class_without_sklearn(monkeypatch, sk_exceptions):
    data = pickle.dumps(fe.NotFittedError("later"))
    monkeypatch.delitem(sys.modules, "sklearn.exceptions")
    obj = pickle.loads(data)
    assert type(obj) is fe.NotFittedError
    assert obj.args == ("later",)


def test_inconsistent_version_warning_fields_and_message():
    w = fe.InconsistentVersionWarning(estimator_name="Ridge", current_version="0.2",
                                      original_version="0.1")
    assert (w.estimator_name, w.current_version, w.original_version) == ("Ridge", "0.2", "0.1")
    assert str(w).startswith(
        "Trying to unpickle estimator Ridge from fastridge version 0.1 when using version 0.2."
    )
    assert w.args == (str(w),)  # an informative repr
    with pytest.raises(TypeError):
        fe.InconsistentVersionWarning("positional message")


def test_inconsistent_version_warning_twin_uses_our_init(sk_exceptions):
    # scikit-learn's __init__ wants other keywords; ours must be the one that runs.
    w = fe.InconsistentVersionWarning(estimator_name="Ridge", current_version="0.2",
                                      original_version="0.1")
    assert isinstance(w, sk_exceptions.InconsistentVersionWarning)
    assert "fastridge version 0.1" in str(w)


def test_subclass_gets_its_own_twin(sk_exceptions):
    class MyWarning(fe.ConvergenceWarning):
        pass
    obj = MyWarning("x")
    assert isinstance(obj, MyWarning)
    assert isinstance(obj, sk_exceptions.ConvergenceWarning)
    assert type(MyWarning("y")) is type(obj)


def test_without_sklearn_in_a_fresh_interpreter(tmp_path):
    """Importing fastridge.exceptions loads no scikit-learn; instances are the plain classes."""
    script = textwrap.dedent("""
        import sys, warnings
        import fastridge.exceptions as fe
        assert "sklearn" not in sys.modules, "fastridge imported scikit-learn"
        err = fe.NotFittedError("x")
        assert type(err) is fe.NotFittedError, type(err).__mro__
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            fe.warn(fe.ConvergenceWarning, "c")
        assert rec[0].category is fe.ConvergenceWarning
        assert not any(m.split(".")[0] in ("sklearn", "scipy", "pandas") for m in sys.modules)
        print("ok")
    """)
    env = dict(os.environ)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(fastridge.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_twin_appears_once_sklearn_is_imported_later(tmp_path):
    """The same process: plain before scikit-learn is imported, twin after."""
    pytest.importorskip("sklearn")
    script = textwrap.dedent("""
        import fastridge.exceptions as fe
        before = fe.ConvergenceWarning("a")
        assert type(before) is fe.ConvergenceWarning
        import sklearn.exceptions as ske
        after = fe.ConvergenceWarning("b")
        assert isinstance(after, ske.ConvergenceWarning)
        assert not isinstance(before, ske.ConvergenceWarning)
        print("ok")
    """)
    env = dict(os.environ)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(fastridge.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
