"""The main job: ``python -m fastridge`` prints ESL Table 3.3's LS and ridge columns."""
import subprocess
import sys

import pytest

from fastridge.__main__ import format_table, main, prostate_table

TERMS = ["Intercept", "lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45"]


def _table_lines(stdout):
    return {line.split()[0]: line.split() for line in stdout.splitlines() if line.split()}


def test_python_m_fastridge_prints_the_table(tmp_path):
    # Run from an empty directory so the installed package is what runs.
    proc = subprocess.run([sys.executable, "-m", "fastridge"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    lines = _table_lines(out)
    header = next(line for line in out.splitlines() if line.split()[:1] == ["Term"])
    assert header.split() == ["Term", "LS", "Ridge"]
    for term in TERMS:
        assert term in lines, f"row {term} missing from:\n{out}"
        assert len(lines[term]) == 3
        float(lines[term][1]), float(lines[term][2])
    assert "Test Error" in out and "Std Error" in out
    assert "alpha" in out and "df" in out
    assert "--help" in out
    # Three decimals as in the book: the LS intercept and lcavol rows.
    assert lines["Intercept"][1] == "2.465"
    assert lines["lcavol"][1:] == ["0.680", "0.420"]


def test_main_in_process_returns_zero(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for term in TERMS:
        assert term in out


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "prostate" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("fastridge ")


def test_unknown_argument_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--no-such-option"])
    assert exc.value.code == 2


def test_format_table_has_no_negative_zero():
    table = prostate_table()
    text = format_table(table)
    assert "-0.000" not in text
    assert text.splitlines()[0].split() == ["Term", "LS", "Ridge"]
