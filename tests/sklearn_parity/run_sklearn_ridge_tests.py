"""Run scikit-learn's own ridge tests against fastridge's ``Ridge``, ``RidgeCV``,
``RidgeClassifier`` and ``RidgeClassifierCV``.

scikit-learn ships ``sklearn/linear_model/tests/test_ridge.py`` in its wheel.  This script copies
it into a temporary directory, rewrites only the import of those four estimators so that they
come from fastridge (``ridge_regression`` and the private helpers stay scikit-learn's), runs pytest
on the copy with scikit-learn's own fixtures (``-p sklearn.conftest``), and compares the failing
tests with the documented, deliberate differences listed in ``differences.txt`` next to this
script.

    python tests/sklearn_parity/run_sklearn_ridge_tests.py           # summary, exit 0 if parity
    python tests/sklearn_parity/run_sklearn_ridge_tests.py --list    # every failure with its cause
    python tests/sklearn_parity/run_sklearn_ridge_tests.py -k gcv    # extra pytest arguments

The fastridge tested is the one the running interpreter imports (set ``PYTHONPATH`` to a source
tree with built kernels to test that tree).  Exit status: 0 when every failure is a documented
difference and every documented difference still fails; 1 otherwise; 2 when scikit-learn (or its
test file) is missing.

``differences.txt``: one entry a line, ``<pattern> | <reason>``; the pattern is matched against
the whole pytest test name (``test_name[params]``), ``*`` standing for any text (brackets are
literal); ``#`` starts a comment line.
"""
from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIFFERENCES = HERE / "differences.txt"
SWAPPED = ("Ridge", "RidgeCV", "RidgeClassifier", "RidgeClassifierCV")


def sklearn_test_file() -> Path:
    """Path of the installed scikit-learn's ``linear_model/tests/test_ridge.py``."""
    import sklearn

    path = Path(sklearn.__file__).parent / "linear_model" / "tests" / "test_ridge.py"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: this scikit-learn was installed without "
                                "its tests.")
    return path


def swap_imports(source: str) -> str:
    """``source`` with the `SWAPPED` estimators imported from fastridge instead of
    ``sklearn.linear_model``; every other line unchanged."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "sklearn.linear_model" \
                and any(a.name in SWAPPED and a.asname is None for a in node.names):
            kept = [a for a in node.names if a.name not in SWAPPED or a.asname is not None]
            new = ""
            if kept:
                new = ast.unparse(ast.ImportFrom(module=node.module, names=kept, level=0)) + "\n"
            swapped = [a.name for a in node.names if a.name in SWAPPED and a.asname is None]
            new += f"from fastridge import {', '.join(swapped)}\n"
            start, stop = node.lineno - 1, node.end_lineno
            # keep the line count, so tracebacks point at the same lines as the original
            new += "\n" * max(0, (stop - start) - new.count("\n"))
            return "".join(lines[:start]) + new + "".join(lines[stop:])
    raise ValueError("test_ridge.py no longer imports Ridge, RidgeCV and the classifiers from "
                     "sklearn.linear_model in one statement; update swap_imports.")


def read_differences(path: Path = DIFFERENCES) -> list[tuple[str, str]]:
    """The documented differences: (pattern, reason) pairs."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, bar, reason = line.partition("|")
        if not bar or not pattern.strip() or not reason.strip():
            raise ValueError(f"{path.name}:{number}: expected '<pattern> | <reason>'")
        out.append((pattern.strip(), reason.strip()))
    return out


def run_tests(pytest_args=(), keep: Path | None = None) -> tuple[dict[str, str], dict, float]:
    """Run the swapped copy; returns ({test name: outcome}, {test name: failure message},
    seconds).  Outcomes are "passed", "failed" (failures and errors), "skipped", "xfailed"."""
    source = swap_imports(sklearn_test_file().read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="fastridge-sklearn-parity-") as tmp:
        work = Path(keep) if keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        (work / "test_ridge_fastridge.py").write_text(source, encoding="utf-8")
        report = work / "report.xml"
        cmd = [sys.executable, "-m", "pytest", "test_ridge_fastridge.py", "-p", "sklearn.conftest",
               "-p", "no:cacheprovider", "-q", "--no-header", "-o", "addopts=",
               "-o", "junit_family=xunit1", f"--junitxml={report}", "--tb=line",
               "--rootdir", str(work), *pytest_args]
        # no bytecode: pytest's assertion rewriting would write *.pyc files into scikit-learn's
        # own package (its conftest), which `pip uninstall` leaves behind as an importable
        # namespace directory named `sklearn`
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        # the copy lives outside any project: no project conftest or pytest configuration
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=work, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        seconds = time.perf_counter() - t0
        if not report.is_file():
            sys.stdout.write(proc.stdout)
            raise RuntimeError(f"pytest wrote no report (exit {proc.returncode})")
        outcomes, messages = {}, {}
        for case in ET.parse(report).getroot().iter("testcase"):
            name = case.get("name")
            outcome = "passed"
            for child in case:
                if child.tag in ("failure", "error"):
                    outcome = "failed"
                    messages[name] = (child.get("message") or "").strip().splitlines()[0:1]
                elif child.tag == "skipped":
                    outcome = "xfailed" if child.get("type") == "pytest.xfail" else "skipped"
            # an error in teardown after a pass is reported as a second entry: keep the worst
            if outcomes.get(name) != "failed":
                outcomes[name] = outcome
        messages = {k: (v[0] if v else "") for k, v in messages.items()}
    return outcomes, messages, seconds


def matches(name: str, pattern: str) -> bool:
    """Whether the test `name` matches `pattern` (``*`` any text, everything else literal)."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, name) is not None


def compare(outcomes: dict[str, str], differences: list[tuple[str, str]]):
    """(unexpected failures, {pattern: matched failures}, stale patterns)."""
    failed = sorted(n for n, o in outcomes.items() if o == "failed")
    matched = {p: [] for p, _ in differences}
    unexpected = []
    for name in failed:
        hit = next((p for p, _ in differences if matches(name, p)), None)
        if hit is None:
            unexpected.append(name)
        else:
            matched[hit].append(name)
    stale = [p for p, names in matched.items() if not names]
    return unexpected, matched, stale


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true",
                        help="print every failure (with its first message line)")
    parser.add_argument("--keep", metavar="DIR", help="write the copy and report into DIR")
    args, pytest_args = parser.parse_known_args(argv)
    try:
        import sklearn
    except ImportError:
        print("scikit-learn is not installed: nothing to compare against.")
        return 2
    try:
        sklearn_test_file()
    except FileNotFoundError as exc:
        print(exc)
        return 2
    differences = read_differences()
    outcomes, messages, seconds = run_tests(pytest_args, keep=args.keep)
    counts = {}
    for o in outcomes.values():
        counts[o] = counts.get(o, 0) + 1
    unexpected, matched, stale = compare(outcomes, differences)
    print(f"scikit-learn {sklearn.__version__} test_ridge.py with fastridge's "
          "Ridge/RidgeCV/RidgeClassifier(CV): "
          + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("passed", "failed", "skipped",
                                                          "xfailed"))
          + f" ({seconds:.0f} s)")
    reasons = dict(differences)
    for pattern, names in matched.items():
        if names:
            print(f"  {len(names):4d} documented: {pattern}  ({reasons[pattern]})")
            if args.list:
                for name in names:
                    print(f"         {name}: {messages.get(name, '')}")
    if unexpected:
        print(f"{len(unexpected)} failure(s) not among the documented differences:")
        for name in unexpected:
            print(f"  {name}: {messages.get(name, '')}")
    if pytest_args:  # a selection: documented differences outside it cannot be judged
        stale = []
    if stale:
        print("documented differences that no longer fail (remove them from differences.txt):")
        for pattern in stale:
            print(f"  {pattern}")
    return 1 if unexpected or stale else 0


if __name__ == "__main__":
    sys.exit(main())
