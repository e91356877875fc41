"""The main job: ``python -m fastridge`` prints ESL Table 3.3's LS and ridge columns."""
import subprocess
import sys

import pytest

from fastridge.__main__ import format_table, main, prostate_table

TERMS = ["Intercept", "lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45"]


def _table_lines(stdout):
    """Rows by their first word; the first occurrence wins (the Table 3.3 block comes first, the
    chosen models' table with the same row names after it)."""
    rows = {}
    for line in stdout.splitlines():
        if line.split():
            rows.setdefault(line.split()[0], line.split())
    return rows


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


def test_main_in_process_returns_zero(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the job writes its figures to the current directory
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



# ---------------------------------------------------------------------------------------------
# The main job grows: alpha by 10-fold CV and LOO, the path summary, the two figures.
# ---------------------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIGURES = ("prostate_path.png", "prostate_cv.png")


def _assert_png(path):
    assert path.exists(), f"{path} was not written"
    data = path.read_bytes()
    assert len(data) > 1000 and data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"


def _choice_rows(stdout):
    """{"10-fold CV": (alpha, df), "LOO (exact)": ..., "10-fold CV, 1-SE": ...} from the output."""
    rows = {}
    for line in stdout.splitlines():
        for key in ("10-fold CV, minimum", "LOO (exact), minimum", "10-fold CV, 1-SE rule"):
            if line.startswith(key):
                fields = line[len(key):].split()
                rows[key] = (float(fields[0]), float(fields[1]))
    return rows


def test_python_m_fastridge_chooses_alpha_and_writes_figures(tmp_path):
    pytest.importorskip("matplotlib")
    import numpy as np

    from fastridge.__main__ import prostate_selection

    proc = subprocess.run([sys.executable, "-m", "fastridge"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for name in FIGURES:
        _assert_png(tmp_path / name)
        assert name in out
    assert str(tmp_path.resolve()) in out or str(tmp_path) in out
    # The table is still first and unchanged in form.
    assert _table_lines(out)["lcavol"][1:] == ["0.680", "0.420"]
    # The path summary (glmnet-like: alpha, df, %Dev) and the choices.
    assert "100 alphas" in out and "%Dev" in out
    rows = _choice_rows(out)
    assert set(rows) == {"10-fold CV, minimum", "LOO (exact), minimum", "10-fold CV, 1-SE rule"}
    sel = prostate_selection()
    for key, name in (("10-fold CV, minimum", "10-fold"), ("LOO (exact), minimum", "LOO")):
        alpha, df = rows[key]
        assert alpha == pytest.approx(sel.models[name].alpha_, rel=1e-3)
        assert df == pytest.approx(sel.df[name], abs=1e-3)
        assert 0 < df < 8
    # The 1-SE choice regularizes at least as much as the minimum.
    assert rows["10-fold CV, 1-SE rule"][0] >= rows["10-fold CV, minimum"][0]
    # The chosen models' table: header and one row per term.
    header = [line.split() for line in out.splitlines() if line.split()[:1] == ["Term"]]
    assert ["Term", "10-fold", "LOO"] in header
    assert "Traceback" not in proc.stderr
    assert np.isfinite(sel.table.columns["LOO"]).all()


def test_prostate_selection_models_are_consistent():
    import numpy as np

    from fastridge import Ridge
    from fastridge.__main__ import prostate_selection
    from fastridge.datasets import load_prostate

    sel = prostate_selection()
    data = load_prostate()
    Z = (data.X - data.X.mean(axis=0)) / data.X.std(axis=0, ddof=1)
    Zt, yt = Z[data.train], data.y[data.train]
    # Both searched the path's grid; each refit equals Ridge at the chosen alpha.
    for name, model in sel.models.items():
        np.testing.assert_array_equal(model.cv_results_["alphas"], sel.path.alphas)
        ridge = Ridge(alpha=model.alpha_, standardize=True).fit(Zt, yt)
        np.testing.assert_allclose(model.coef_, ridge.coef_, rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(sel.table.columns[name][1:9], ridge.coef_, rtol=1e-8)
        # df at the chosen alpha from an independent SVD of the standardized training design.
        Zc = Zt - Zt.mean(axis=0)
        d2 = np.linalg.svd(Zc / Zc.std(axis=0), compute_uv=False) ** 2
        assert sel.df[name] == pytest.approx(np.sum(d2 / (d2 + model.alpha_)), rel=1e-12)
    # The path reaches the least squares end (df -> 8) like ESL Figure 3.8.
    assert sel.path.df[-1] > 7.9 and sel.path.df[0] < 0.1


def test_outdir_option(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    outdir = tmp_path / "figs" / "nested"
    assert main(["--outdir", str(outdir)]) == 0
    out = capsys.readouterr().out
    for name in FIGURES:
        _assert_png(outdir / name)
    assert str(outdir) in out


def test_main_without_matplotlib_says_so(tmp_path):
    code = ("import sys\n"
            "sys.modules['matplotlib'] = None\n"
            "from fastridge.__main__ import main\n"
            "raise SystemExit(main([]))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "matplotlib is not installed" in proc.stdout
    assert "pip install fastridge[plot]" in proc.stdout
    assert not any((tmp_path / name).exists() for name in FIGURES)
    assert _choice_rows(proc.stdout)  # the CV choices are still printed


def test_help_is_fast_and_lists_the_fit_command(capsys):
    code = ("import sys\n"
            "from fastridge.__main__ import main\n"
            "try:\n"
            "    main(['--help'])\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(sorted(m for m in ('numpy', 'scipy', 'matplotlib') if m in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "fit" in proc.stdout and "--outdir" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    with pytest.raises(SystemExit) as exc:
        main(["fit", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for option in ("--target", "--alpha", "--cv", "--standardize", "--sep", "leave-one-out"):
        assert option in text


def test_shuffled_kfold_partitions_the_rows():
    import numpy as np

    from fastridge.__main__ import ShuffledKFold

    X = np.zeros((23, 2))
    folds = list(ShuffledKFold(5, seed=3).split(X))
    assert len(folds) == 5
    tests = np.concatenate([test for _, test in folds])
    np.testing.assert_array_equal(np.sort(tests), np.arange(23))
    assert sorted(test.size for _, test in folds) == [4, 4, 5, 5, 5]
    for train, test in folds:
        np.testing.assert_array_equal(np.sort(np.r_[train, test]), np.arange(23))
    again = list(ShuffledKFold(5, seed=3).split(X))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again))
    assert any(np.any(np.diff(test) != 1) for _, test in folds)  # not contiguous
    with pytest.raises(ValueError, match="n_splits=30"):
        list(ShuffledKFold(30).split(X))


# ---------------------------------------------------------------------------------------------
# python -m fastridge fit DATA.csv --target COLUMN
# ---------------------------------------------------------------------------------------------

def _write_csv(path, X, y, names=("a", "b", "c"), target="resp", sep=","):
    """The target goes in the middle, to check that the column order is kept."""
    header = [names[0], target, *names[1:]]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(sep.join(header) + "\n")
        for row, t in zip(X.tolist(), y.tolist()):
            fh.write(sep.join(repr(v) for v in [row[0], t, *row[1:]]) + "\n")
    return path


def _make_xy(n=40, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3)) * [1.0, 10.0, 0.1] + [0.0, 5.0, -2.0]
    y = X @ np.array([1.0, 0.2, -5.0]) + 3.0 + 0.5 * rng.standard_normal(n)
    return X, y


def _parse_fit(stdout):
    """(coefficients by term, alpha, R², MSE) from the fit command's output."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["Term", "Coefficient"])
    coef = {}
    for line in lines[start + 2:]:
        if not line.strip():
            break
        term, value = line.rsplit(None, 1)
        coef[term.strip()] = float(value)
    last = next(line for line in lines if line.startswith("alpha = ") and "R^2" in line).split()
    return coef, float(last[2]), float(last[6]), float(last[10])


@pytest.mark.parametrize("standardize", [False, True])
def test_fit_at_alpha_equals_ridge(tmp_path, capsys, standardize):
    import numpy as np

    from fastridge import Ridge

    X, y = _make_xy()
    csv_path = _write_csv(tmp_path / "data.csv", X, y)
    argv = ["fit", str(csv_path), "--target", "resp", "--alpha", "0.75"]
    assert main(argv + (["--standardize"] if standardize else [])) == 0
    coef, alpha, r2, mse = _parse_fit(capsys.readouterr().out)
    ridge = Ridge(alpha=0.75, standardize=standardize).fit(X, y)
    assert list(coef) == ["Intercept", "a", "b", "c"]
    assert alpha == 0.75
    assert coef["Intercept"] == pytest.approx(ridge.intercept_, rel=1e-9)
    np.testing.assert_allclose([coef[t] for t in "abc"], ridge.coef_, rtol=1e-9)
    assert r2 == pytest.approx(ridge.score(X, y), abs=1e-6)
    assert mse == pytest.approx(np.mean((y - ridge.predict(X)) ** 2), rel=1e-5)


@pytest.mark.parametrize("cv_args", [[], ["--cv", "loo"], ["--cv", "5"]])
def test_fit_by_cross_validation_equals_ridgecv(tmp_path, capsys, cv_args):
    import numpy as np

    from fastridge import Ridge, RidgeCV
    from fastridge.__main__ import ShuffledKFold

    X, y = _make_xy(seed=1)
    csv_path = _write_csv(tmp_path / "data.csv", X, y)
    assert main(["fit", str(csv_path), "--target", "resp", *cv_args]) == 0
    out = capsys.readouterr().out
    coef, alpha, _, _ = _parse_fit(out)
    folds = ShuffledKFold(5) if cv_args == ["--cv", "5"] else None
    # the CLI reports cv.glmnet's criterion, the squared error, also for k-fold
    model = RidgeCV(cv=folds, scoring="neg_mean_squared_error").fit(X, y)
    assert alpha == pytest.approx(model.alpha_, rel=1e-9)
    import re

    printed = float(re.search(r"CV mean squared error ([-+0-9.e]+)", out).group(1))
    assert printed == pytest.approx(-model.best_score_, rel=1e-5)
    np.testing.assert_allclose([coef[t] for t in "abc"], model.coef_, rtol=1e-9)
    # ... which is Ridge at the printed alpha.
    ridge = Ridge(alpha=alpha).fit(X, y)
    np.testing.assert_allclose([coef[t] for t in "abc"], ridge.coef_, rtol=1e-8)
    assert ("leave-one-out" in out) == (folds is None)


def test_fit_subprocess_with_tab_separator(tmp_path):
    import numpy as np

    from fastridge import Ridge

    X, y = _make_xy(n=25, seed=2)
    csv_path = _write_csv(tmp_path / "data.tsv", X, y, sep="\t")
    proc = subprocess.run([sys.executable, "-m", "fastridge", "fit", "data.tsv", "--target",
                           "resp", "--alpha", "2", "--sep", "\\t"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    coef, _, _, _ = _parse_fit(proc.stdout)
    np.testing.assert_allclose([coef[t] for t in "abc"], Ridge(alpha=2.0).fit(X, y).coef_,
                               rtol=1e-9)
    assert csv_path.name in proc.stdout


BAD_FILES = {
    # name: (file content or None for a missing file, target, fragment of the message)
    "missing file": (None, "y", "cannot read"),
    "empty": ("", "y", "is empty"),
    "header only": ("a,b,y\n", "y", "no data rows"),
    "missing target": ("a,b,y\n1,2,3\n4,5,6\n", "z", "no column 'z'"),
    "unparsable": ("a,b,y\n1,2,3\n4,x5,6\n7,8,9\n", "y", "line 3, column 'b': cannot parse 'x5'"),
    "empty value": ("a,b,y\n1,,3\n4,5,6\n", "y", "line 2, column 'b': empty value"),
    "not finite": ("a,b,y\n1,2,inf\n4,5,6\n", "y", "line 2, column 'y': 'inf' is not a finite"),
    "text column": ("a,name,y\n1,bob,3\n4,al,6\n", "y", "column 'name' is not numeric"),
    "text target": ("a,b,y\n1,2,x\n4,5,w\n", "y", "target column 'y' is not numeric"),
    "ragged": ("a,b,y\n1,2,3\n4,5\n", "y", "line 3: 2 fields, but the header has 3"),
    "only target": ("y\n1\n2\n", "y", "no feature columns"),
    "duplicate names": ("a,a,y\n1,2,3\n", "y", "duplicate column names"),
    "blank name": ("a,,y\n1,2,3\n", "y", "column 2 of the header row has no name"),
    "not utf-8": (b"a,y\n\xff\xfe,1\n", "y", "not a UTF-8 text file"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_fit_bad_file_exits_2_with_a_message(tmp_path, capsys, case):
    content, target, fragment = BAD_FILES[case]
    csv_path = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        csv_path.write_bytes(content)
    elif content is not None:
        csv_path.write_text(content, encoding="utf-8")
    assert main(["fit", str(csv_path), "--target", target]) == 2
    captured = capsys.readouterr()
    assert fragment in captured.err, captured.err
    assert "error:" in captured.err and "bad.csv" in captured.err
    assert captured.out == ""


def test_fit_errors_in_a_subprocess_have_no_traceback(tmp_path):
    (tmp_path / "bad.csv").write_text("a,b,y\n1,2,3\n4,oops,6\n", encoding="utf-8")
    for args, fragment in ((["bad.csv", "--target", "y"], "cannot parse 'oops'"),
                           (["nope.csv", "--target", "y"], "No such file"),
                           (["bad.csv", "--target", "q"], "no column 'q'")):
        proc = subprocess.run([sys.executable, "-m", "fastridge", "fit", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2
        assert fragment in proc.stderr
        assert "Traceback" not in proc.stderr


def test_fit_cannot_fit_exits_2(tmp_path, capsys):
    csv_path = tmp_path / "small.csv"
    csv_path.write_text("a,y\n1,2\n2,3\n3,5\n", encoding="utf-8")
    assert main(["fit", str(csv_path), "--target", "y", "--cv", "10"]) == 2
    assert "n_splits=10" in capsys.readouterr().err
    assert main(["fit", str(csv_path), "--target", "y", "--alpha", "-1"]) == 2
    assert "alpha" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["fit", "x.csv"],                                           # --target is required
    ["fit", "x.csv", "--target", "y", "--cv", "1"],             # K >= 2
    ["fit", "x.csv", "--target", "y", "--cv", "many"],
    ["fit", "x.csv", "--target", "y", "--alpha", "1", "--cv", "5"],  # one or the other
    ["fit", "x.csv", "--target", "y", "--sep", ";;"],
])
def test_fit_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err
