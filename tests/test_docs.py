"""The user-facing surface: every public name has a numpydoc docstring with the sections users
look for, the public signatures carry type annotations, and the installed package ships its
``py.typed`` marker.

The structural checks use only the standard library.  numpydoc's validator (numpydoc is in the
``test`` extra) also runs over the same names, with the checks chosen in pyproject.toml's
``[tool.numpydoc_validation]``; without numpydoc that test is skipped.  (The examples themselves
are run by ``pytest --doctest-modules --pyargs fastridge``.)
"""
import inspect
import re
from importlib import resources
from pathlib import Path

import pytest

import fastridge
import fastridge.datasets
import fastridge.exceptions

SECTION = re.compile(r"^([A-Z][A-Za-z ]+)\n-{3,}\s*$", re.MULTILINE)
ROOT = Path(__file__).resolve().parents[1]


def _is_ours(obj):
    return getattr(obj, "__module__", "").startswith("fastridge")


def _public_methods(cls_name, cls):
    """Public methods of ``cls`` defined by fastridge (inherited ones included, those of
    ``object`` or of the built-in exception classes not)."""
    out = []
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        attr = inspect.getattr_static(cls, name)
        func = attr.__func__ if isinstance(attr, (classmethod, staticmethod)) else attr
        if inspect.isfunction(func) and _is_ours(func):
            out.append((f"{cls_name}.{name}", getattr(cls, name)))
    return out


def public_objects():
    """(dotted name, object) for every public name users reach: ``fastridge.__all__`` (the
    names in the ``exceptions`` and ``datasets`` modules included) and every public method of
    the classes among them."""
    top = []
    for name in fastridge.__all__:
        obj = getattr(fastridge, name)
        if isinstance(obj, str):  # __version__
            continue
        if inspect.ismodule(obj):
            top += [(f"{obj.__name__}.{sub}", getattr(obj, sub)) for sub in obj.__all__]
        else:
            top.append((f"fastridge.{name}", obj))
    out = []
    for name, obj in top:
        out.append((name, obj))
        if inspect.isclass(obj):
            out += _public_methods(name, obj)
    return out


OBJECTS = public_objects()
IDS = [name for name, _ in OBJECTS]
TOP_LEVEL = {f"fastridge.{name}" for name in fastridge.__all__} | {
    "fastridge.datasets.load_prostate"}
ESTIMATORS = ("fastridge.Ridge", "fastridge.RidgeCV", "fastridge.RidgeEM")


def sections(doc):
    """{section title: its text} of a numpydoc docstring."""
    doc = inspect.cleandoc(doc)
    found = list(SECTION.finditer(doc))
    out = {}
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(doc)
        out[match.group(1).strip()] = doc[match.end():end]
    return out


def section_titles(doc):
    """The section titles of a numpydoc docstring, in order, repeats included."""
    return [m.group(1).strip() for m in SECTION.finditer(inspect.cleandoc(doc))]


def documented_names(section_text):
    """Parameter names listed in a Parameters section (``a, b : type`` lists two)."""
    names = set()
    for line in section_text.splitlines():
        if line and not line[0].isspace():
            head = line.split(" : ")[0]
            names.update(part.strip() for part in head.split(","))
    return names


def signature_names(obj):
    """The parameters a user passes (self/cls left out), ``*args``/``**kwargs`` with stars."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):  # pragma: no cover - every public callable has one
        return []
    out = []
    for p in sig.parameters.values():
        if p.name in ("self", "cls"):
            continue
        star = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        out.append(star + p.name)
    return out


def test_the_public_surface_is_all_there():
    names = set(IDS)
    for expected in ("fastridge.Ridge", "fastridge.Ridge.fit", "fastridge.Ridge.predict",
                     "fastridge.Ridge.score", "fastridge.Ridge.get_params",
                     "fastridge.Ridge.set_params", "fastridge.ridge_path",
                     "fastridge.RidgePath", "fastridge.RidgePath.predict",
                     "fastridge.RidgePath.plot", "fastridge.RidgePath.coef_at",
                     "fastridge.RidgePath.predict_at", "fastridge.RidgePath.select",
                     "fastridge.RidgeCV", "fastridge.RidgeCV.fit",
                     "fastridge.RidgeCV.plot", "fastridge.RidgeEM", "fastridge.RidgeEM.fit",
                     "fastridge.RidgeEM.predict", "fastridge.RidgeEM.log_marginal_likelihood",
                     "fastridge.datasets.load_prostate",
                     "fastridge.exceptions.ConvergenceWarning",
                     "fastridge.exceptions.NotFittedError",
                     "fastridge.exceptions.DataConversionWarning"):
        assert expected in names


@pytest.mark.parametrize("name, obj", OBJECTS, ids=IDS)
def test_numpydoc_sections(name, obj):
    doc = inspect.getdoc(obj)
    assert doc, f"{name} has no docstring"
    summary = doc.strip().splitlines()[0]
    assert summary.endswith("."), f"{name}: the one-line summary should end with a period"
    # shared parameter text (fastridge._docs) is filled in: no marker is left for a reader
    assert "%(" not in doc, f"{name}: a shared-text marker was not filled (@_docs.fill)"
    titles = section_titles(doc)
    repeated = sorted({t for t in titles if titles.count(t) > 1})
    assert not repeated, f"{name}: sections {repeated} appear more than once"
    found = sections(doc)
    assert "Examples" in found and ">>>" in found["Examples"], f"{name} has no Examples"
    params = signature_names(obj)
    if params:
        assert "Parameters" in found, f"{name} takes {params} but has no Parameters section"
        missing = [p for p in params if p not in documented_names(found["Parameters"])]
        assert not missing, f"{name}: parameters {missing} are not documented"
    is_routine = inspect.isfunction(obj) or inspect.ismethod(obj)
    returns_none = is_routine and inspect.signature(obj).return_annotation in (None, "None")
    if is_routine and not returns_none:
        assert "Returns" in found, f"{name} has no Returns section"
    if name in TOP_LEVEL:
        assert "See Also" in found, f"{name} has no See Also section"
    if name in ESTIMATORS:
        assert "Attributes" in found, f"{name} has no Attributes section"
        assert "Notes" in found, f"{name} has no Notes section"


@pytest.mark.parametrize("name, obj", [(n, o) for n, o in OBJECTS if callable(o)], ids=[
    n for n, o in OBJECTS if callable(o)])
def test_public_signatures_are_annotated(name, obj):
    if inspect.isclass(obj):
        if issubclass(obj, BaseException) or "__init__" not in vars(obj):
            return  # exception messages, named tuples and RidgePath() take no typed input
        obj = obj.__init__
    sig = inspect.signature(obj)
    bare = [p.name for p in sig.parameters.values()
            if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty]
    assert not bare, f"{name}: parameters {bare} have no type annotation"
    assert sig.return_annotation is not inspect.Signature.empty, \
        f"{name} has no return annotation"


def numpydoc_config():
    """The checks chosen in pyproject.toml's ``[tool.numpydoc_validation]`` and the names
    excluded there, read by numpydoc's own parser (``checks = ["all", "ES01", ...]`` means every
    check but those listed), as the ``numpydoc lint`` command and its pre-commit hook read them."""
    hooks = pytest.importorskip("numpydoc.hooks.validate_docstrings")
    from numpydoc.validate import get_validation_checks

    assert (ROOT / "pyproject.toml").is_file(), f"no pyproject.toml in {ROOT}"
    config = hooks.parse_config(ROOT)
    return get_validation_checks(config["checks"]), config["exclude"]


def test_numpydoc_checks_are_chosen():
    """The configuration selects the checks a reader relies on (so an edit of pyproject.toml
    cannot quietly switch the validation off)."""
    checks, _ = numpydoc_config()
    for code in ("GL07", "PR01", "PR02", "RT01", "SS03", "EX01", "SA04"):
        assert code in checks, f"{code} is not among the numpydoc checks of pyproject.toml"


@pytest.mark.parametrize("name", IDS)
def test_numpydoc_validation(name):
    validate = pytest.importorskip("numpydoc.validate")
    checks, exclude = numpydoc_config()
    if exclude is not None and exclude.search(name):
        pytest.skip(f"{name} is excluded in [tool.numpydoc_validation]")
    # numpydoc's parser raises on a section that appears twice: that is a failure here too
    errors = [f"{code}: {message}" for code, message in validate.validate(name)["errors"]
              if code in checks]
    assert not errors, f"{name}:\n" + "\n".join(errors)


def test_py_typed_marker_is_installed():
    marker = resources.files("fastridge").joinpath("py.typed")
    assert marker.is_file(), "fastridge/py.typed is missing: type checkers would ignore the hints"
