"""The layering contract of the package (README, "How the code is organised").

Every module of `fastridge` belongs to one layer; a module imports only from layers below its
own — function-level imports included, read from the source with `ast` (and `cimport`s of the
Cython kernels) — so the import graph has no cycle and no upward arrow.  Within a layer,
modules do not import each other (the finer rungs below order the few that build on a
sibling, e.g. the solver registry on the solver modules).  No module imports another
module's private name (``from fastridge.x import _name``): what crosses a module boundary is
public within the package.

The test reads the source tree that the installed package was built from when it is at hand
(``fastridge.__file__``'s directory); the wheel carries the ``.py`` files and the Cython
sources are read when present.
"""
import ast
import pathlib

import pytest

import fastridge

ROOT = pathlib.Path(fastridge.__file__).parent

# (layer, rungs): the layers of the picture in README, bottom first; each rung a set of
# modules that never import each other, importing only from rungs below.
LAYERS = [
    ("utils", [
        {"_version", "_typing", "exceptions", "_config", "_progress", "_routing", "_docs"},
        {"_validation"},
        {"_base"},
    ]),
    ("kernels", [
        {"_blas", "_interrupt", "_view", "_kernel_utils"},
        {"_cd_fast", "_cg_fast", "_gram_fast"},
    ]),
    ("core", [
        {"_dd", "_preprocessing"},
        {"_design"},
        {"_stats", "_spectral", "_generalized"},
    ]),
    ("solvers", [
        {"_policy"},
        {"_solvers.common", "_solvers.linalg", "_solvers.nystrom"},
        {"_solvers.svd"},
        {"_solvers.cholesky", "_solvers.cd", "_solvers.cg"},
        {"_solvers"},
    ]),
    ("engine", [
        {"_engine.fit", "_engine.path", "_engine.inference", "_grid", "_scoring", "_parallel"},
        {"_engine.selection"},
        {"_engine.conformal"},
        {"_engine"},
    ]),
    ("backends", [
        {"_backends.memory", "_backends.dask"},
        {"_backends"},
    ]),
    ("plotting", [
        {"_plot"},
    ]),
    ("estimators", [
        {"_linear", "_lazy"},
        {"_ridge", "_path", "_cv", "_em", "_group"},
        {"_classifier", "_kernel"},
    ]),
    ("face", [
        {"datasets"},
        {""},
        {"cli.spectrum", "cli.splits", "cli.table"},
        {"cli.esl", "cli.fit"},
        {"cli"},
        {"__main__"},
    ]),
]

RUNG = {}
for li, (layer, rungs) in enumerate(LAYERS):
    for ri, rung in enumerate(rungs):
        for name in rung:
            RUNG[("fastridge." + name).rstrip(".")] = (li, ri, layer)


def _modules():
    """{dotted name: source path} of every .py and .pyx module under the package; compiled
    modules whose source is not at hand (an installed wheel) map to None: they are known as
    modules (so ``from fastridge import _cg_fast`` names one) but have no imports to read."""
    out = {}
    for f in sorted(ROOT.rglob("*.py")) + sorted(ROOT.rglob("*.pyx")) + \
            sorted(ROOT.rglob("*.pxd")):
        parts = list(f.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if f.suffix == ".pxd" and name in out:
            continue  # the declarations of a .pyx module: read with it
        out[name] = f
    for f in sorted(ROOT.rglob("*.so")) + sorted(ROOT.rglob("*.pyd")):
        parts = list(f.relative_to(ROOT.parent).parts)
        parts[-1] = parts[-1].split(".")[0]       # _cg_fast.cpython-311-x86_64-linux-gnu.so
        out.setdefault(".".join(parts), None)
    return out


MODULES = _modules()


def _imports(name, path):
    """[(imported module, imported name or None, line)] of one module, at any depth."""
    if path.suffix in (".pyx", ".pxd"):
        found = []
        for i, line in enumerate(path.read_text().splitlines(), 1):
            words = line.strip().split()
            if len(words) >= 2 and words[0] in ("from", "cimport", "import") \
                    and words[1].startswith("fastridge"):
                found.append((words[1], None, i))
        return found
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] == "fastridge":
                for alias in node.names:
                    sub = f"{module}.{alias.name}"
                    if sub in MODULES:
                        found.append((sub, None, node.lineno))
                    else:
                        found.append((module, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "fastridge":
                    found.append((alias.name, None, node.lineno))
    return found


def test_every_module_has_a_layer():
    missing = sorted(m for m in MODULES if m not in RUNG)
    assert not missing, f"modules without a layer in tests/test_layers.py: {missing}"


def _violations(name, path):
    """The imports of module `name` (source `path`) that do not go down the layers."""
    bad = []
    here = RUNG[name]
    for target, _, line in _imports(name, path):
        if target == name or target not in RUNG:
            continue
        there = RUNG[target]
        if there[:2] >= here[:2]:
            kind = "sideways" if there[:2] == here[:2] else "upward"
            bad.append(f"{path.name}:{line}: {name} ({here[2]}) imports {target} "
                       f"({there[2]}): {kind}")
    return bad


def test_imports_go_down_only():
    bad = [v for name, path in MODULES.items() if name in RUNG and path is not None
           for v in _violations(name, path)]
    assert not bad, "\n".join(bad)


def test_no_private_name_crosses_a_module_boundary():
    bad = []
    for name, path in MODULES.items():
        if path is None:
            continue
        for target, imported, line in _imports(name, path):
            if imported and imported.startswith("_") and not imported.startswith("__"):
                bad.append(f"{path.relative_to(ROOT.parent)}:{line}: {name} imports "
                           f"{target}.{imported}")
    assert not bad, "\n".join(bad)


def test_no_estimator_or_engine_module_tests_for_dask():
    """The Dask backend is chosen by `get_backend` alone: nothing above it asks whether an
    input is a Dask array (the backend's capabilities say what it can do)."""
    bad = []
    for name, path in MODULES.items():
        layer = RUNG.get(name, (None, None, None))[2]
        if layer in ("engine", "estimators") and path is not None and path.suffix == ".py":
            text = path.read_text()
            for word in ("is_dask", "any_dask", "import dask", "_backends.dask"):
                if word in text:
                    bad.append(f"{name}: {word}")
    assert not bad, bad


@pytest.mark.parametrize("source,expected", [
    ("def f():\n    from fastridge._cv import RidgeCV\n", "upward"),       # function level
    ("from fastridge import _spectral\n", "sideways"),
    ("from . import _spectral as SP\n", "sideways"),                       # relative
    ("import numpy as np\nfrom fastridge import _design\n", None),
])
def test_the_checker_finds_planted_imports(tmp_path, source, expected):
    """The checker's own oracle: a planted module `fastridge._stats` (core) with a known
    import is flagged exactly when that import does not go down."""
    path = tmp_path / "_stats.py"
    path.write_text(source)
    found = _violations("fastridge._stats", path)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].endswith(expected)
