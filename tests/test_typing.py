"""The public annotations work for a caller: mypy accepts the typed user script
``tests/typing/user_script.py`` as written, and rejects misuse of the estimators' arguments and
fitted attributes, each with an error naming what is wrong.

mypy runs in-process (``mypy.api.run``) with the repository's ``[tool.mypy]`` configuration on the
script and on a file of misuse written here; it finds fastridge either as the source tree (run
from the repository root) or as the installed package, whose ``py.typed`` marker makes its
annotations visible.  Needs mypy (``pip install mypy``): skipped without it.
"""
import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
USER_SCRIPT = ROOT / "tests" / "typing" / "user_script.py"

# (a line of misuse, what mypy's error on that line must say)
MISUSE = [
    ('RidgeCV(rule="max")',
     r'Argument "rule" to "RidgeCV" has incompatible type "Literal\[\'max\'\]"'),
    ('RidgeCV(solver="fast")', r'Argument "solver" to "RidgeCV" has incompatible type'),
    ('RidgeCV(gcv_mode="qr")', r'Argument "gcv_mode" to "RidgeCV" has incompatible type'),
    ("RidgeCV(alpha=1.0)", r'Unexpected keyword argument "alpha" for "RidgeCV"'),
    ("RidgeCV(np.logspace(-3, 3, 7), 5)", r'Too many positional arguments for "RidgeCV"'),
    ("Ridge(alpha=1.0, positive=1.5)", r'Argument "positive" to "Ridge" has incompatible type'),
    ('name: str = RidgeCV().fit(X, y).alpha_',
     r"Incompatible types in assignment \(expression has type \"float \| ndarray"),
    ("RidgeCV().fit(X, y).coef_.append(1.0)", r'"ndarray\[.*\]" has no attribute "append"'),
]


def _run_mypy(tmp_path, *files):
    api = pytest.importorskip("mypy.api")
    args = ["--cache-dir", str(tmp_path / "mypy-cache"), "--no-error-summary",
            "--hide-error-context", "--show-column-numbers"]
    if (ROOT / "pyproject.toml").is_file():
        args += ["--config-file", str(ROOT / "pyproject.toml")]
    stdout, stderr, status = api.run(args + [str(f) for f in files])
    return stdout, stderr, status


def _errors(stdout, path):
    """{line number: [messages]} of mypy's errors in ``path``."""
    out = {}
    for line in stdout.splitlines():
        m = re.match(r"^(.*?):(\d+):(?:\d+:)? error: (.*)$", line)
        if m and Path(m.group(1)).resolve() == path.resolve():
            out.setdefault(int(m.group(2)), []).append(m.group(3))
    return out


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory):
    """mypy's output on the user script and the misuse file together (one run: the import of
    fastridge and numpy is analysed once)."""
    tmp = tmp_path_factory.mktemp("typing")
    header = textwrap.dedent("""\
        import numpy as np

        from fastridge import Ridge, RidgeCV

        X = np.ones((10, 2))
        y = np.ones(10)
    """)
    first = header.count("\n") + 1
    misuse = tmp / "misuse.py"
    misuse.write_text(header + "\n".join(line for line, _ in MISUSE) + "\n")
    stdout, stderr, status = _run_mypy(tmp, USER_SCRIPT, misuse)
    assert "Cannot find implementation or library stub" not in stdout, stdout
    return {"stdout": stdout, "stderr": stderr, "status": status,
            "misuse": _errors(stdout, misuse), "script": _errors(stdout, USER_SCRIPT),
            "first": first}


def test_user_script_type_checks(mypy_report):
    assert not mypy_report["script"], mypy_report["stdout"]
    assert not mypy_report["stderr"], mypy_report["stderr"]


@pytest.mark.parametrize("i", range(len(MISUSE)), ids=[line for line, _ in MISUSE])
def test_misuse_is_rejected(mypy_report, i):
    line, expected = MISUSE[i]
    messages = mypy_report["misuse"].get(mypy_report["first"] + i, [])
    assert any(re.search(expected, m) for m in messages), (
        f"mypy did not reject {line!r} as expected ({expected!r}); its errors on that line: "
        f"{messages}\n{mypy_report['stdout']}")
    assert mypy_report["status"] == 1


def test_only_the_misuse_lines_are_rejected(mypy_report):
    first = mypy_report["first"]
    assert set(mypy_report["misuse"]) == set(range(first, first + len(MISUSE))), \
        mypy_report["stdout"]
