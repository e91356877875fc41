"""fastridge: fast, exact ridge regression.

Public names are resolved lazily so that ``import fastridge`` costs little more than importing
numpy: SciPy and the compiled kernels load on the first fit, scikit-learn and matplotlib never.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from fastridge._version import __version__

if TYPE_CHECKING:  # what the lazy names resolve to, for type checkers and IDEs
    from fastridge import datasets, exceptions
    from fastridge._classifier import RidgeClassifier, RidgeClassifierCV
    from fastridge._config import config_context, get_config, set_config
    from fastridge._cv import RidgeCV
    from fastridge._em import RidgeEM
    from fastridge._engine.inference import RidgeInference
    from fastridge._generalized import difference_penalty
    from fastridge._group import GroupRidgeCV
    from fastridge._kernel import KernelRidge, KernelRidgeCV
    from fastridge._path import RidgePath, ridge_path
    from fastridge._ridge import Ridge

__all__ = ["Ridge", "RidgeCV", "GroupRidgeCV", "KernelRidge", "KernelRidgeCV", "RidgeClassifier",
           "RidgeClassifierCV", "RidgeEM", "RidgeInference",
           "RidgePath", "ridge_path", "difference_penalty", "config_context",
           "get_config", "set_config", "exceptions", "datasets", "__version__"]

_LAZY = {
    "Ridge": ("fastridge._ridge", "Ridge"),
    "ridge_path": ("fastridge._path", "ridge_path"),
    "RidgePath": ("fastridge._path", "RidgePath"),
    "RidgeCV": ("fastridge._cv", "RidgeCV"),
    "RidgeEM": ("fastridge._em", "RidgeEM"),
    "difference_penalty": ("fastridge._generalized", "difference_penalty"),
    "GroupRidgeCV": ("fastridge._group", "GroupRidgeCV"),
    "KernelRidge": ("fastridge._kernel", "KernelRidge"),
    "KernelRidgeCV": ("fastridge._kernel", "KernelRidgeCV"),
    "RidgeClassifier": ("fastridge._classifier", "RidgeClassifier"),
    "RidgeClassifierCV": ("fastridge._classifier", "RidgeClassifierCV"),
    "RidgeInference": ("fastridge._engine.inference", "RidgeInference"),
    "config_context": ("fastridge._config", "config_context"),
    "get_config": ("fastridge._config", "get_config"),
    "set_config": ("fastridge._config", "set_config"),
}


def __getattr__(name: str) -> object:
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


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
