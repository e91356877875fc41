"""fastridge: fast, exact ridge regression.

Public names are resolved lazily so that ``import fastridge`` costs little more than importing numpy:
SciPy and the compiled kernels load on the first fit, scikit-learn and matplotlib never.
"""
from fastridge._version import __version__

__all__ = ["Ridge", "RidgeCV", "RidgeEM", "RidgePath", "ridge_path", "exceptions", "datasets",
           "__version__"]

_LAZY = {
    "Ridge": ("fastridge._ridge", "Ridge"),
    "ridge_path": ("fastridge._path", "ridge_path"),
    "RidgePath": ("fastridge._path", "RidgePath"),
    "RidgeCV": ("fastridge._cv", "RidgeCV"),
    "RidgeEM": ("fastridge._em", "RidgeEM"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in ("exceptions", "datasets"):
        import importlib

        return importlib.import_module(f"fastridge.{name}")
    raise AttributeError(f"module 'fastridge' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
