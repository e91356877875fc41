"""The harness that runs scikit-learn's test_ridge.py against fastridge
(tests/sklearn_parity/run_sklearn_ridge_tests.py): its import rewrite and its list of documented
differences.  The full run takes minutes and is a separate CI step (see README)."""
import ast
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "sklearn_parity"))
import run_sklearn_ridge_tests as harness  # noqa: E402

SOURCE = '''import numpy as np
from sklearn.linear_model import (
    LinearRegression,
    Ridge,
    RidgeClassifier,
    RidgeCV,
)
from sklearn.linear_model._ridge import _solve_svd

x = Ridge
'''


def _imported(tree):
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for a in node.names:
                out[a.asname or a.name] = node.module
    return out


def test_swap_imports_changes_only_the_four_estimators():
    new = harness.swap_imports(SOURCE)
    imported = _imported(ast.parse(new))
    assert imported["Ridge"] == imported["RidgeCV"] == imported["RidgeClassifier"] == "fastridge"
    assert "RidgeClassifierCV" not in imported      # not imported by this source: not added
    assert imported["LinearRegression"] == "sklearn.linear_model"
    assert imported["_solve_svd"] == "sklearn.linear_model._ridge"
    # line numbers kept, so tracebacks point at the original lines
    assert new.count("\n") == SOURCE.count("\n")
    assert new.splitlines()[-1] == "x = Ridge"


def test_swap_imports_on_the_installed_test_file():
    pytest.importorskip("sklearn")
    try:
        path = harness.sklearn_test_file()
    except FileNotFoundError:
        pytest.skip("this scikit-learn was installed without its tests")
    source = path.read_text(encoding="utf-8")
    new = harness.swap_imports(source)
    imported = _imported(ast.parse(new))
    for name in ("Ridge", "RidgeCV", "RidgeClassifier", "RidgeClassifierCV"):
        assert imported[name] == "fastridge"
    assert imported["LinearRegression"] == "sklearn.linear_model"
    assert new.count("\n") == source.count("\n")


def test_differences_list_parses_and_patterns_are_literal_but_star():
    differences = harness.read_differences()
    assert differences and all(reason for _, reason in differences)
    assert harness.matches("test_a[x-sag]", "test_a[*-sag]")
    assert not harness.matches("test_a[x-saga]", "test_a[*-sag]")
    assert not harness.matches("test_ab", "test_a")      # the whole name
    assert harness.matches("test_a[1]", "test_a[1]")      # brackets are literal


def test_compare_sorts_failures():
    outcomes = {"test_a[1]": "failed", "test_b": "failed", "test_c": "passed"}
    unexpected, matched, stale = harness.compare(
        outcomes, [("test_a[*]", "why"), ("test_d", "gone")])
    assert unexpected == ["test_b"]
    assert matched == {"test_a[*]": ["test_a[1]"], "test_d": []}
    assert stale == ["test_d"]
