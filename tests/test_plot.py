"""Figures (matplotlib, Agg backend): RidgePath.plot / plot_path and RidgeCV.plot / plot_cv.

Smoke tests that a PNG is produced, plus checks that what is drawn is the data: the path lines'
y-data are the coefficient columns, the error bars are centred on the mean CV error with
half-width the standard error, the vertical lines sit at the minimum and 1-SE α.
"""
import sys
from types import SimpleNamespace

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from fastridge._plot import MATPLOTLIB_MISSING, cv_choices, plot_cv, plot_path  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def assert_png(path):
    assert path.exists(), f"{path} was not written"
    data = path.read_bytes()
    assert len(data) > 1000, f"{path} is only {len(data)} bytes"
    assert data[:8] == PNG_SIGNATURE


def fake_path(m=12, p=4, k=None, *, df=True, names=None, seed=0):
    """A RidgePath look-alike with only the documented attributes."""
    rng = np.random.default_rng(seed)
    alphas = np.geomspace(1e3, 1e-2, m)
    shape = (m, p) if k is None else (m, k, p)
    coef = rng.standard_normal(shape)
    return SimpleNamespace(alphas=alphas, coef=coef, intercept=np.zeros(shape[:-1]),
                           df=np.linspace(0.1, p - 0.1, m) if df else None,
                           feature_names=None if names is None else np.array(names))


def coef_lines(ax, p):
    lines = ax.lines[:p]
    assert len(lines) == p
    return lines


def data_xy(line):
    return (np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float))


# ------------------------------------------------------------------------------- the path plot

@pytest.mark.parametrize("xvar", ["alpha", "df", "norm"])
def test_path_plot_writes_a_png(tmp_path, xvar):
    from fastridge import ridge_path

    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 5))
    y = X @ np.array([1.0, -0.5, 0.25, 0.0, 2.0]) + 0.1 * rng.standard_normal(40)
    path = ridge_path(X, y, n_alphas=30)
    ax = path.plot(xvar=xvar)
    out = tmp_path / f"path_{xvar}.png"
    ax.figure.savefig(out)
    assert_png(out)
    # What is drawn is the path: one line per feature, y-data = coef[:, j], x-data per xvar.
    expected_x = {"alpha": path.alphas, "df": path.df,
                  "norm": np.linalg.norm(path.coef, axis=1)}[xvar]
    for j, line in enumerate(coef_lines(ax, 5)):
        x, yy = data_xy(line)
        np.testing.assert_array_equal(yy, path.coef[:, j])
        np.testing.assert_allclose(x, expected_x, rtol=1e-12)
        assert line.get_label() == f"x{j}"
    assert ax.get_ylabel() == "Coefficients"
    assert ax.get_xlabel()


def test_path_plot_alpha_axis_is_log_and_decreasing_to_the_right():
    ax = plot_path(fake_path())
    assert ax.get_xscale() == "log"
    left, right = ax.get_xlim()
    assert left > right  # α decreases to the right: the least regularized end is on the right
    assert "alpha" in ax.get_xlabel()


def test_path_plot_uses_feature_names_and_end_labels():
    names = ["lcavol", "lweight", "age", "lbph"]
    path = fake_path(names=names)
    ax = plot_path(path, xvar="df")
    assert [line.get_label() for line in coef_lines(ax, 4)] == names
    # End-of-line labels, one per feature, at the least regularized end (largest df).
    texts = {t.get_text(): t for t in ax.texts}
    assert set(names) <= set(texts)
    for name in names:
        assert texts[name].xy[0] == pytest.approx(path.df.max())
    # A legend is available from the line labels.
    handles, labels = ax.get_legend_handles_labels()
    assert labels[:4] == names
    # label=False: no text; feature_names= overrides the path's names.
    plt.close("all")
    ax = plot_path(path, xvar="df", label=False, feature_names=["a", "b", "c", "d"])
    assert not ax.texts
    assert [line.get_label() for line in coef_lines(ax, 4)] == ["a", "b", "c", "d"]


def test_path_plot_many_features_gets_no_end_labels_by_default():
    ax = plot_path(fake_path(p=30))
    assert len(coef_lines(ax, 30)) == 30
    assert not ax.texts
    plt.close("all")
    ax = plot_path(fake_path(p=30), label=True)
    assert len(ax.texts) == 30


def test_path_plot_multi_target_draws_the_chosen_target():
    path = fake_path(k=3)
    for target in (0, 2):
        ax = plot_path(path, target=target)
        for j, line in enumerate(coef_lines(ax, 4)):
            np.testing.assert_array_equal(data_xy(line)[1], path.coef[:, target, j])
        plt.close("all")
    ax = plot_path(path, xvar="norm", target=1)
    np.testing.assert_allclose(data_xy(ax.lines[0])[0],
                               np.linalg.norm(path.coef[:, 1, :], axis=1))
    for bad in (3, -1, 1.0, "0"):
        with pytest.raises(ValueError, match="target"):
            plot_path(path, target=bad)
    with pytest.raises(ValueError, match="target"):
        plot_path(fake_path(), target=1)


def test_path_plot_draws_into_given_axes():
    fig, ax = plt.subplots()
    assert plot_path(fake_path(), ax=ax) is ax


def test_path_plot_mark_alpha_at_interpolated_df():
    path = fake_path(m=11)
    a = path.alphas[4]
    ax = plot_path(path, xvar="df", mark_alpha=a)
    marks = [line for line in ax.lines[4:] if np.ptp(data_xy(line)[0]) == 0 and
             line.get_linestyle() == "--"]
    assert len(marks) == 1
    assert data_xy(marks[0])[0][0] == pytest.approx(path.df[4])


def test_path_plot_drops_alpha_zero_on_the_log_axis():
    path = fake_path(m=6)
    path.alphas = np.array([100.0, 10.0, 1.0, 0.1, 0.01, 0.0])
    ax = plot_path(path)
    x, yy = data_xy(ax.lines[0])
    np.testing.assert_array_equal(x, path.alphas[:5])
    np.testing.assert_array_equal(yy, path.coef[:5, 0])
    plt.close("all")
    ax = plot_path(path, xvar="df")  # df and norm keep every point
    assert data_xy(ax.lines[0])[1].size == 6
    only_zero = fake_path(m=1)
    only_zero.alphas = np.array([0.0])
    with pytest.raises(ValueError, match="positive alphas"):
        plot_path(only_zero)


def test_path_plot_bad_xvar_and_missing_df():
    with pytest.raises(ValueError, match="xvar"):
        plot_path(fake_path(), xvar="lambda")
    with pytest.raises(ValueError, match="df"):
        plot_path(fake_path(df=False), xvar="df")
    with pytest.raises(ValueError, match="label"):
        plot_path(fake_path(), label="yes")
    with pytest.raises(ValueError, match="feature_names"):
        plot_path(fake_path(), feature_names=["a"])


def test_ridge_path_plot_method_passes_xvar():
    from fastridge import ridge_path

    rng = np.random.default_rng(1)
    X = rng.standard_normal((30, 3))
    path = ridge_path(X, X @ np.ones(3), n_alphas=10)
    with pytest.raises(ValueError, match="xvar"):
        path.plot(xvar="bogus")
    fig, ax = plt.subplots()
    assert path.plot(ax=ax, xvar="df") is ax


def test_ridge_path_plot_uses_dataframe_column_names():
    pd = pytest.importorskip("pandas")
    from fastridge import ridge_path

    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.standard_normal((30, 3)), columns=["lcavol", "svi", "age"])
    path = ridge_path(X, X.to_numpy() @ np.ones(3), n_alphas=10)
    ax = path.plot(xvar="norm")
    assert [line.get_label() for line in coef_lines(ax, 3)] == ["lcavol", "svi", "age"]
    assert {"lcavol", "svi", "age"} <= {t.get_text() for t in ax.texts}


# --------------------------------------------------------------------------------- the CV plot

def fake_cv(alphas, mean, se, *, alpha_, rule="min", cv=10):
    return SimpleNamespace(cv_results_={"alphas": np.asarray(alphas),
                                        "mean_error": np.asarray(mean),
                                        "se_error": np.asarray(se)},
                           alpha_=alpha_, rule=rule, cv=cv, scoring="neg_mean_squared_error")


ALPHAS = np.geomspace(100.0, 0.01, 9)
MEAN = np.array([5.0, 4.0, 3.0, 2.2, 2.0, 2.1, 2.5, 3.0, 4.0])
SE = np.full(9, 0.3)


def vertical_lines(ax):
    return [line for line in ax.lines
            if np.ptp(data_xy(line)[0]) == 0 and data_xy(line)[0].size == 2]


def test_cv_choices_min_and_one_standard_error():
    a_min, a_1se = cv_choices(ALPHAS, MEAN, SE)
    assert a_min == ALPHAS[4]
    assert a_1se == ALPHAS[3]  # 2.2 <= 2.0 + 0.3, while 3.0 is not
    # Ties at the minimum: the largest α; order of the grid does not matter.
    mean = MEAN.copy()
    mean[5] = 2.0
    assert cv_choices(ALPHAS[::-1], mean[::-1], SE)[0] == ALPHAS[4]


def test_cv_plot_draws_the_curve_and_marks(tmp_path):
    cv = fake_cv(ALPHAS, MEAN, SE, alpha_=ALPHAS[3], rule="1se")
    ax = plot_cv(cv)
    out = tmp_path / "cv.png"
    ax.figure.savefig(out)
    assert_png(out)
    bars = ax.containers[0]
    x, yy = data_xy(bars.lines[0])
    np.testing.assert_array_equal(x, ALPHAS)
    np.testing.assert_array_equal(yy, MEAN)
    segments = np.asarray(bars.lines[2][0].get_segments())  # (m, 2, 2): the error bars
    np.testing.assert_allclose(segments[:, 0, 1], MEAN - SE)
    np.testing.assert_allclose(segments[:, 1, 1], MEAN + SE)
    xs = sorted(data_xy(line)[0][0] for line in vertical_lines(ax))
    np.testing.assert_allclose(xs, sorted([ALPHAS[4], ALPHAS[3]]))
    chosen = [line for line in ax.lines if line.get_label().startswith("chosen")]
    assert len(chosen) == 1
    assert data_xy(chosen[0])[0][0] == pytest.approx(ALPHAS[3])
    assert data_xy(chosen[0])[1][0] == pytest.approx(MEAN[3])
    assert "'1se'" in chosen[0].get_label()
    assert ax.get_xscale() == "log"
    assert "10-fold" in ax.get_ylabel() and "squared error" in ax.get_ylabel()
    left, right = ax.get_xlim()
    assert left > right


def test_cv_plot_multi_target():
    mean = np.column_stack([MEAN, MEAN[::-1] + 1.0])
    se = np.column_stack([SE, 2 * SE])
    ax = plot_cv(fake_cv(ALPHAS, mean, se, alpha_=ALPHAS[4]))
    np.testing.assert_allclose(data_xy(ax.containers[0].lines[0])[1], mean.mean(axis=1))
    plt.close("all")
    cv = fake_cv(ALPHAS, mean, se, alpha_=np.array([ALPHAS[4], ALPHAS[4]]))
    ax = plot_cv(cv, target=1)
    np.testing.assert_array_equal(data_xy(ax.containers[0].lines[0])[1], mean[:, 1])
    assert len([line for line in ax.lines if line.get_label().startswith("chosen")]) == 1
    with pytest.raises(ValueError, match="target"):
        plot_cv(cv, target=2)


def test_cv_plot_loo_label_and_unfitted():
    ax = plot_cv(fake_cv(ALPHAS, MEAN, SE, alpha_=ALPHAS[4], cv=None))
    assert "Leave-one-out" in ax.get_ylabel()
    with pytest.raises(ValueError, match="fit"):
        plot_cv(SimpleNamespace())


@pytest.mark.parametrize("folds", [None, 5])
def test_ridgecv_plot_method(tmp_path, folds):
    from fastridge import RidgeCV

    rng = np.random.default_rng(2)
    X = rng.standard_normal((60, 4))
    y = X @ np.array([1.0, 0.5, 0.0, -1.0]) + 0.5 * rng.standard_normal(60)
    cv = RidgeCV(cv=folds, n_alphas=25).fit(X, y)
    ax = cv.plot()
    out = tmp_path / "ridgecv.png"
    ax.figure.savefig(out)
    assert_png(out)
    res = cv.cv_results_
    np.testing.assert_allclose(data_xy(ax.containers[0].lines[0])[1],
                               np.asarray(res["mean_error"])[np.asarray(res["alphas"]) > 0])
    chosen = [line for line in ax.lines if line.get_label().startswith("chosen")]
    assert data_xy(chosen[0])[0][0] == pytest.approx(cv.alpha_)
    a_min, a_1se = cv_choices(res["alphas"], res["mean_error"], res["se_error"])
    # rule="min": the grid's minimum; leave-one-out refines it between its neighbours
    grid = np.sort(res["alphas"])
    i = int(np.searchsorted(grid, a_min))
    assert grid[max(i - 1, 0)] <= cv.alpha_ <= grid[min(i + 1, grid.size - 1)]
    if folds is not None:
        assert cv.alpha_ == pytest.approx(a_min)
    fig, ax2 = plt.subplots()
    assert cv.plot(ax=ax2) is ax2


# ---------------------------------------------------------------------- matplotlib is optional

def test_plots_say_how_to_install_matplotlib(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"matplotlib is required for plotting: "
                                          r'pip install "fastridge-blas\[plot\]"'):
        plot_path(fake_path())
    with pytest.raises(ImportError) as exc:
        plot_cv(fake_cv(ALPHAS, MEAN, SE, alpha_=ALPHAS[4]))
    assert str(exc.value) == MATPLOTLIB_MISSING


def test_plot_methods_say_how_to_install_matplotlib(monkeypatch):
    from fastridge import RidgeCV, ridge_path

    rng = np.random.default_rng(4)
    X = rng.standard_normal((20, 2))
    y = X @ np.ones(2) + rng.standard_normal(20)
    path, cv = ridge_path(X, y, n_alphas=5), RidgeCV(n_alphas=5).fit(X, y)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    for draw in (path.plot, cv.plot):
        with pytest.raises(ImportError, match=r'pip install "fastridge-blas\[plot\]"'):
            draw()


def test_importing_the_plot_module_does_not_import_matplotlib(tmp_path):
    import subprocess

    code = ("import sys; import fastridge._plot; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
