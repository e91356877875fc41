"""Command line entry point: ``python -m fastridge`` (also installed as the ``fastridge`` script).

Without arguments it runs the main job on the bundled prostate cancer data: least squares and ridge
regression on the 67 training rows, printed as a coefficient table in the form of Table 3.3 of
Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning* (2nd ed., 2009).

The fit follows the book:

- the 8 predictors are standardized over all 97 rows (mean 0, sample standard deviation 1);
- both models are fitted on the 67 training rows, the test error is the mean squared error on the
  30 test rows, and its standard error is the standard deviation of the 30 squared errors divided
  by sqrt(30);
- least squares has an intercept column;
- ridge minimizes ``||y - mean(y) - Z b||^2 + alpha ||b||^2`` over the training rows (the
  predictors are not re-centred on the training rows) with intercept ``mean(y)`` over the training
  rows, and ``alpha`` is the value at which the effective degrees of freedom
  ``df(alpha) = sum_j d_j^2 / (d_j^2 + alpha)`` equal 5, ``d`` the singular values of the
  standardized training design. The book marks this choice in its Figure 3.8.

After the table, the job chooses α on the same 67 training rows by 10-fold cross-validation
(folds assigned at random with a fixed seed, :class:`ShuffledKFold`: the file is sorted by the
response, so ``RidgeCV(cv=10)``'s contiguous folds would extrapolate) and by exact leave-one-out
(:class:`fastridge.RidgeCV` with ``standardize=True``, so α is on the scale of the predictors
standardized on the training rows; both search the grid of one :func:`fastridge.ridge_path`),
prints a summary of the path (like glmnet's ``print``), the two
chosen models with their test errors, and writes two figures when matplotlib is installed:
``prostate_path.png`` (coefficient profiles against df, like ESL Figure 3.8) and
``prostate_cv.png`` (the 10-fold CV curve with standard-error bars, like ``cv.glmnet``'s plot), to
the current directory or ``--outdir``.

``python -m fastridge fit DATA.csv --target COLUMN`` fits a user's CSV file: see
:func:`read_csv` for the format and ``python -m fastridge fit --help`` for the options.

Heavy imports (numpy, the estimator, matplotlib) happen inside the jobs, so ``--help`` stays
fast.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import NamedTuple

from fastridge._version import install_hint

__all__ = ["main", "prostate_table", "alpha_for_df", "CoefficientTable", "prostate_selection",
           "Selection", "format_selection", "ShuffledKFold", "read_csv", "CSVError"]

#: Effective degrees of freedom of the ridge column of ESL Table 3.3.
RIDGE_DF = 5.0


class CoefficientTable(NamedTuple):
    """The main job's result as data.

    ``terms`` lists the row labels ("Intercept", the 8 feature names, "Test Error", "Std Error");
    ``columns`` maps "LS" and "Ridge" to lists of floats in the order of ``terms``; ``alpha`` and
    ``df`` are the ridge penalty used and its effective degrees of freedom.
    """

    terms: list
    columns: dict
    alpha: float
    df: float


def alpha_for_df(d, df):
    """Return the ridge penalty ``alpha >= 0`` at which ``sum(d**2 / (d**2 + alpha)) == df``.

    ``d`` are singular values of the design. ``df`` must lie in ``(0, rank]``, where ``rank`` counts
    the nonzero singular values. The function of alpha is decreasing and convex, so Newton's method
    started at ``alpha = 0`` increases monotonically to the root without overshooting.
    """
    import numpy as np

    d2 = np.asarray(d, dtype=np.float64) ** 2
    d2 = d2[d2 > 0]
    rank = d2.size
    if not 0 < df <= rank:
        raise ValueError(f"df must be in (0, {rank}] for this design, got {df!r}.")
    alpha = 0.0
    for _ in range(200):
        ratio = d2 / (d2 + alpha)
        excess = ratio.sum() - df
        if excess <= 0:
            break
        slope = (ratio / (d2 + alpha)).sum()  # minus the derivative of df(alpha)
        step = excess / slope
        alpha += step
        if step <= 4 * np.finfo(np.float64).eps * alpha:
            break
    return float(alpha)


def _test_error(y_true, y_pred):
    """Mean squared error and its standard error (SD of the squared errors / sqrt(n))."""
    import numpy as np

    sq = (np.asarray(y_true) - np.asarray(y_pred)) ** 2
    return float(sq.mean()), float(sq.std(ddof=1) / np.sqrt(sq.size))


def _prostate_split():
    """The book's design: predictors standardized over all 97 rows (ddof=1), then the 67
    training and 30 test rows: (feature_names, Z_train, y_train, Z_test, y_test)."""
    from fastridge.datasets import load_prostate

    data = load_prostate()
    train, test = data.train, ~data.train
    Z = (data.X - data.X.mean(axis=0)) / data.X.std(axis=0, ddof=1)
    return list(data.feature_names), Z[train], data.y[train], Z[test], data.y[test]


def prostate_table(df=RIDGE_DF, ridge_solver="auto", tol=1e-6, max_iter=None):
    """Fit least squares and ridge to the prostate data as ESL Table 3.3 does; return the table.

    Parameters
    ----------
    df : float, default 5.0
        Effective degrees of freedom that fix the ridge penalty.
    ridge_solver, tol, max_iter
        Passed to :class:`fastridge.Ridge` for the ridge column (least squares always uses
        ``solver="svd"``).

    Returns
    -------
    CoefficientTable
    """
    import numpy as np

    from fastridge import Ridge

    names, Z_train, y_train, Z_test, y_test = _prostate_split()

    ls = Ridge(alpha=0.0, solver="svd", fit_intercept=True).fit(Z_train, y_train)
    ls_error = _test_error(y_test, ls.predict(Z_test))

    # The book's ridge: training response centred, predictors kept as standardized over all 97
    # rows (no re-centring on the training rows), intercept = training mean of y.
    d = np.linalg.svd(Z_train, compute_uv=False)
    alpha = alpha_for_df(d, df)
    y_mean = float(y_train.mean())
    ridge = Ridge(alpha=alpha, fit_intercept=False, solver=ridge_solver, tol=tol,
                  max_iter=max_iter).fit(Z_train, y_train - y_mean)
    ridge_error = _test_error(y_test, y_mean + ridge.predict(Z_test))
    df_used = float(np.sum(d**2 / (d**2 + alpha)))

    terms = ["Intercept", *names, "Test Error", "Std Error"]
    columns = {
        "LS": [float(ls.intercept_), *map(float, ls.coef_), *ls_error],
        "Ridge": [y_mean, *map(float, ridge.coef_), *ridge_error],
    }
    return CoefficientTable(terms=terms, columns=columns, alpha=alpha, df=df_used)


def format_table(table, cell=8):
    """Render a :class:`CoefficientTable` as text, three decimals as in the book.

    ``cell`` is the width of each value column (wider column names widen it).
    """
    names = list(table.columns)
    width = max(len(t) for t in table.terms)
    cell = max([cell, *(len(n) for n in names)])
    lines = ["  ".join([f"{'Term':<{width}}", *(f"{n:>{cell}}" for n in names)])]
    lines.append("-" * len(lines[0]))
    for i, term in enumerate(table.terms):
        if term == "Test Error":
            lines.append("-" * len(lines[0]))
        cells = []
        for name in names:
            value = round(table.columns[name][i], 3) + 0.0  # + 0.0 turns -0.0 into 0.0
            cells.append(f"{value:>{cell}.3f}")
        lines.append("  ".join([f"{term:<{width}}", *cells]))
    return "\n".join(lines)


#: The main job's path reaches df ~ 8 (the least squares end), as ESL Figure 3.8 does; glmnet's
#: default ratio (1e-4 when n >= p) stops near df = 6.8 on these data.
PATH_ALPHA_MIN_RATIO = 1e-6
PATH_N_ALPHAS = 100
CV_FOLDS = 10
#: Column names of the chosen models in the printed table.
CV_NAME, LOO_NAME = f"{CV_FOLDS}-fold", "LOO"
PATH_FIGURE, CV_FIGURE = "prostate_path.png", "prostate_cv.png"


#: Seed of the random fold assignment (main job and ``fit --cv K``).
CV_SEED = 0


class ShuffledKFold:
    """K folds of a seeded random permutation of the rows: a splitter for ``RidgeCV(cv=...)``.

    ``RidgeCV(cv=K)`` cuts contiguous folds (scikit-learn's unshuffled ``KFold``). The prostate
    file is sorted by the response ``lpsa``, so contiguous folds would each hold a band of
    responses and every fold would extrapolate; ESL's 10-fold CV assigns rows to folds at random,
    and so does this splitter (fold sizes as ``KFold``: the first ``n % K`` folds get one more
    row).
    """

    def __init__(self, n_splits=10, seed=CV_SEED):
        self.n_splits = n_splits
        self.seed = seed

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.n_splits

    def split(self, X, y=None, groups=None):
        import numpy as np

        n = X.shape[0]
        if self.n_splits > n:
            raise ValueError(f"Cannot have number of splits n_splits={self.n_splits} greater "
                             f"than the number of samples: n_samples={n}.")
        perm = np.random.default_rng(self.seed).permutation(n)
        for test in np.array_split(perm, self.n_splits):
            mask = np.ones(n, dtype=bool)
            mask[test] = False
            yield np.flatnonzero(mask), np.sort(test)

    def __repr__(self):
        return f"ShuffledKFold(n_splits={self.n_splits}, seed={self.seed})"


class Selection(NamedTuple):
    """α chosen by cross-validation on the prostate training rows (see :func:`prostate_selection`).

    ``path`` is the :class:`~fastridge.RidgePath` whose grid both searches use; ``models``
    maps ``"10-fold"`` and ``"LOO"`` to the fitted :class:`~fastridge.RidgeCV`; ``df`` maps the
    same names to the effective degrees of freedom at the chosen α; ``table`` is a
    :class:`CoefficientTable` with one column per model (intercept, coefficients, test error, its
    standard error); ``train_r2`` is the in-sample R² of the path at each α (glmnet's
    %Dev / 100); ``d2`` the squared singular values of the standardized training design
    (df(α) = Σ d2/(d2 + α)).
    """

    path: object
    models: dict
    df: dict
    table: CoefficientTable
    train_r2: object
    feature_names: list
    d2: object


def _design_spectrum(X, standardize):
    """d², d the nonzero singular values of X as a ridge fit with an intercept sees it: centred,
    and divided by each column's population SD when ``standardize`` (columns of zero spread, which
    such a fit leaves at 0, are dropped)."""
    import numpy as np

    Xc = X - X.mean(axis=0)
    if standardize:
        sd = Xc.std(axis=0)
        Xc = Xc[:, sd > 0] / sd[sd > 0]
    d = np.linalg.svd(Xc, compute_uv=False)
    if d.size:  # numerically zero singular values (numpy's matrix_rank rule) count for nothing
        d = d[d > d[0] * max(Xc.shape) * np.finfo(np.float64).eps]
    return d**2


def _df(d2, alpha):
    """Effective degrees of freedom Σ d²/(d² + α)."""
    import numpy as np

    return float(np.sum(d2 / (d2 + alpha)))


# The k-fold criterion of the main job and the fit command: cv.glmnet's default measure, the mean
# squared error, given explicitly because RidgeCV's k-fold default follows scikit-learn's (R²).
KFOLD_SCORING = "neg_mean_squared_error"


def prostate_selection():
    """Choose the ridge penalty for the prostate data by 10-fold CV and by exact leave-one-out.

    The predictors are those of :func:`prostate_table` (standardized over all 97 rows, so the
    coefficients compare with Table 3.3); the models use ``standardize=True``, which re-standardizes
    on the 67 training rows, so α is on that scale. Predictions, α and df do not depend on the
    first standardization (``standardize=True`` makes the fit invariant to column scaling).
    Both searches use the grid of ``ridge_path(..., standardize=True)`` with 100 values down to
    ``1e-6`` times glmnet's ``alpha_max``; both pick the α of least CV mean squared error
    (``rule="min"``; for 10-fold the criterion is given explicitly, ``KFOLD_SCORING``).
    The 10 folds are a random permutation with a fixed seed (:class:`ShuffledKFold`).

    Returns
    -------
    Selection
    """
    import numpy as np

    from fastridge import RidgeCV, ridge_path

    names, Z_train, y_train, Z_test, y_test = _prostate_split()

    path = ridge_path(Z_train, y_train, standardize=True, n_alphas=PATH_N_ALPHAS,
                      alpha_min_ratio=PATH_ALPHA_MIN_RATIO)
    fitted = np.asarray(path.predict(Z_train))
    tss = float(np.sum((y_train - y_train.mean()) ** 2))
    train_r2 = 1.0 - np.sum((y_train[:, None] - fitted) ** 2, axis=0) / tss

    models = {
        CV_NAME: RidgeCV(alphas=path.alphas, cv=ShuffledKFold(CV_FOLDS), scoring=KFOLD_SCORING,
                         standardize=True),
        LOO_NAME: RidgeCV(alphas=path.alphas, cv=None, standardize=True),
    }
    d2 = _design_spectrum(Z_train, standardize=True)
    columns, dfs = {}, {}
    for name, model in models.items():
        model.fit(Z_train, y_train)
        error = _test_error(y_test, model.predict(Z_test))
        columns[name] = [float(model.intercept_), *map(float, model.coef_), *error]
        dfs[name] = _df(d2, float(model.alpha_))
    terms = ["Intercept", *names, "Test Error", "Std Error"]
    first = models[CV_NAME]
    table = CoefficientTable(terms=terms, columns=columns, alpha=float(first.alpha_),
                             df=dfs[CV_NAME])
    return Selection(path=path, models=models, df=dfs, table=table, train_r2=train_r2,
                     feature_names=names, d2=d2)


def _cv_error_at(model):
    """(mean, standard error) of the CV error at the chosen α, from ``cv_results_``."""
    import numpy as np

    res = model.cv_results_
    i = int(np.argmin(np.abs(np.log(np.asarray(res["alphas"])) - np.log(model.alpha_))))
    return float(np.ravel(res["mean_error"])[i]), float(np.ravel(res["se_error"])[i])


def format_path_summary(path, train_r2, rows=11):
    """A few rows of the path (α, df, %Dev) in the manner of glmnet's ``print``."""
    import numpy as np

    m = path.alphas.size
    idx = np.unique(np.linspace(0, m - 1, min(rows, m)).round().astype(int))
    lines = [f"{'':4}{'alpha':>11}  {'df':>6}  {'%Dev':>6}"]
    for i in idx:
        df = "" if path.df is None else f"{path.df[i]:6.3f}"
        lines.append(f"{i + 1:4d}{path.alphas[i]:11.4g}  {df:>6}  {100 * train_r2[i]:6.2f}")
    return "\n".join(lines)


def format_selection(sel):
    """The path summary, the cross-validated choices and the chosen models' table, as text."""
    import numpy as np

    from fastridge._plot import cv_choices

    path = sel.path
    df_range = "" if path.df is None else f", df from {path.df[0]:.3f} to {path.df[-1]:.3f}"
    out = [
        "Choosing alpha by cross-validation on the 67 training rows",
        "----------------------------------------------------------",
        f"Path: ridge_path(X_train, y_train, standardize=True), solver {path.solver!r}:",
        f"{path.alphas.size} alphas from {path.alphas[0]:.4g} down to {path.alphas[-1]:.4g}"
        f"{df_range}",
        "(alpha on the scale of the predictors standardized on the training rows;",
        " %Dev = 100 R^2 on the training rows)",
        format_path_summary(path, sel.train_r2),
        "",
        f"Choices ({CV_FOLDS} random folds, seed {CV_SEED}, as the file is sorted by lpsa):",
        f"{'':24}{'alpha':>9}  {'df':>6}  {'CV error':>9}  {'(SE)':>8}",
    ]
    for name, model in sel.models.items():
        mean, se = _cv_error_at(model)
        how = f"{CV_FOLDS}-fold CV, minimum" if name == CV_NAME else "LOO (exact), minimum"
        out.append(f"{how:<24}{model.alpha_:9.4g}  {sel.df[name]:6.3f}  {mean:9.4f}  "
                   f"({se:.4f})")
    res = sel.models[CV_NAME].cv_results_
    a_1se = cv_choices(res["alphas"], res["mean_error"], res["se_error"])[1]
    i = int(np.argmin(np.abs(np.log(res["alphas"]) - np.log(a_1se))))
    out += [
        f"{f'{CV_FOLDS}-fold CV, 1-SE rule':<24}{a_1se:9.4g}  {_df(sel.d2, a_1se):6.3f}  "
        f"{res['mean_error'][i]:9.4f}  ({res['se_error'][i]:.4f})",
        "(ESL chose its ridge column, df = 5, by the one-standard-error rule: the most",
        " regularized model within one standard error of the minimum. The models below take",
        " the minimum.)",
        "",
        "The chosen models refitted on the 67 training rows (coefficients of the predictors",
        "standardized as in Table 3.3; test error on the 30 test rows):",
        format_table(sel.table),
    ]
    for name, model in sel.models.items():
        out.append(f"{name}: alpha = {model.alpha_:.4f}, df = {sel.df[name]:.4f}")
    return "\n".join(out)


def _write_figures(sel, outdir):
    """Write the path and CV figures; return their paths, or None without matplotlib."""
    try:
        from matplotlib.figure import Figure  # a bare Figure renders PNG with Agg, no pyplot
    except ImportError:
        return None
    from fastridge._plot import plot_cv, plot_path

    os.makedirs(outdir, exist_ok=True)
    written = []
    cv = sel.models[CV_NAME]

    fig = Figure(figsize=(7.5, 5.5))
    ax = fig.subplots()
    plot_path(sel.path, ax=ax, xvar="df", mark_alpha=float(cv.alpha_),
              feature_names=sel.feature_names)
    ax.set_title("Ridge coefficient profiles, prostate training data (cf. ESL Figure 3.8)\n"
                 f"dashed: {CV_NAME} CV choice, df = {sel.df[CV_NAME]:.2f}", fontsize=10)
    target = os.path.join(outdir, PATH_FIGURE)
    fig.savefig(target, dpi=100, bbox_inches="tight")
    written.append(target)

    fig = Figure(figsize=(7.5, 5.5))
    ax = fig.subplots()
    plot_cv(cv, ax=ax)
    ax.set_title(f"{CV_NAME} cross-validation, prostate training data (67 rows)", fontsize=10)
    target = os.path.join(outdir, CV_FIGURE)
    fig.savefig(target, dpi=100, bbox_inches="tight")
    written.append(target)
    return written


def _run_main_job(args, prog):
    table = prostate_table()
    print("Prostate cancer data (Stamey et al., 1989): least squares and ridge regression")
    print("on the 67 training rows, test error on the 30 test rows; predictors standardized over")
    print("all 97 rows, as in Hastie, Tibshirani & Friedman, The Elements of Statistical Learning,")
    print("2nd ed., Table 3.3.")
    print()
    print(format_table(table))
    print()
    print(f"Ridge penalty alpha = {table.alpha:.4f}, "
          f"effective degrees of freedom df = {table.df:.4f}")

    sel = prostate_selection()
    print()
    print(format_selection(sel))
    print()
    written = None
    try:
        written = _write_figures(sel, args.outdir)
    except OSError as exc:
        print(f"{prog}: error: cannot write the figures to {args.outdir!r}: {exc}",
              file=sys.stderr)
        return 2
    if written is None:
        print(f"matplotlib is not installed, so {PATH_FIGURE} and {CV_FIGURE} were not written "
              f"({install_hint('plot')}).")
    else:
        where = os.path.abspath(args.outdir)
        print(f"Figures written to {where}:")
        print(f"  {PATH_FIGURE}: coefficient profiles against df (cf. ESL Figure 3.8)")
        print(f"  {CV_FIGURE}: {CV_NAME} CV curve with standard-error bars (cf. cv.glmnet)")
    print(f"For help, run: {prog} --help")
    return 0


# ----------------------------------------------------------------------------- fit a CSV file

class CSVError(ValueError):
    """A CSV file the ``fit`` command cannot use; the message says why and where."""


#: Longest line (in characters, newline included) the ``fit`` command reads. A file without
#: newlines (``/dev/zero``, a binary dump) would otherwise be read as one unbounded line.
MAX_LINE_CHARS = 1 << 24
#: Separators the ``fit`` command detects when ``--sep`` is not given (csv.Sniffer on the first
#: lines); a file it cannot decide on is read with ",".
SEPARATORS = ",;\t|"
SNIFF_LINES, SNIFF_CHARS = 50, 1 << 16


class Table(NamedTuple):
    """A CSV file read by :func:`read_table`.

    ``X`` (n, p) float64 features, ``y`` (n,) the target, ``feature_names`` (p names in file
    order), ``excluded`` the names dropped by ``exclude``, ``sep`` the separator used (given or
    detected), ``sniffed`` whether it was detected, ``compression`` None, "gzip", "bz2" or "xz".
    """

    X: object
    y: object
    feature_names: list
    excluded: list
    sep: str
    sniffed: bool
    compression: object


def _lzma_error():
    try:
        from lzma import LZMAError
    except ImportError:  # a Python built without lzma
        return ()
    return (LZMAError,)


def _decompressed(raw):
    """``raw`` (a buffered binary file), decompressed when its first bytes are the magic number
    of gzip, bz2 or xz; and the compression's name (or None). Closing the result leaves ``raw``
    open."""
    head = raw.peek(8)[:8]
    if head.startswith(b"\x1f\x8b"):
        import gzip

        return gzip.GzipFile(fileobj=raw, mode="rb"), "gzip"
    if head.startswith(b"BZh"):
        import bz2

        return bz2.BZ2File(raw, "rb"), "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        import lzma

        return lzma.LZMAFile(raw, "rb"), "xz"
    return raw, None


def _text_lines(stream, name):
    """The lines of a binary stream decoded as UTF-8 (a byte order mark dropped; ``\\n``,
    ``\\r\\n`` and ``\\r`` end a line), each at most MAX_LINE_CHARS long and free of NUL."""
    import io

    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    number = 0
    while True:
        try:
            line = text.readline(MAX_LINE_CHARS + 1)
        except UnicodeDecodeError:
            raise CSVError(f"cannot read {name}: it is not a UTF-8 text file") from None
        if not line:
            return
        number += 1
        if "\x00" in line:
            raise CSVError(f"{name}, line {number}: contains a NUL byte: it is a binary file, "
                           "not CSV text")
        if len(line) > MAX_LINE_CHARS:
            raise CSVError(f"{name}, line {number}: longer than {MAX_LINE_CHARS:,} characters, "
                           "the longest line the fit command reads; is it a CSV text file?")
        yield line


def _sniff_separator(lines):
    """The separator of the first lines of a file (one of SEPARATORS), or None."""
    import csv

    sample = ""
    for line in lines:  # whole lines, about SNIFF_CHARS of them (csv.Sniffer scans each one
        if line.strip():  # for every ASCII character)
            sample += line
            if len(sample) >= SNIFF_CHARS:
                break
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        return None


def _sep_hint(sep):
    shown = "'\\t'" if sep == "\t" else repr(sep)
    others = ", ".join("'\\t'" if s == "\t" else repr(s) for s in SEPARATORS if s != sep)
    return (f"split at {shown}, the header row is one column; if the file uses another "
            f"separator, name it with --sep (e.g. {others})")


def _split_names(values):
    """Column names of a repeatable, comma-separated option, in order, without repeats."""
    names = []
    for value in values or ():
        for part in value.split(","):
            part = part.strip()
            if part and part not in names:
                names.append(part)
    return names


def read_table(filename, target, sep=None, exclude=()):
    """Read a numeric CSV file with a header row for the ``fit`` command; return a :class:`Table`.

    The first row names the columns; every column except ``target`` and those named in
    ``exclude`` is a numeric feature (excluded columns may hold anything). Blank lines are
    skipped. A gzip, bz2 or xz file is decompressed (recognized by its first bytes). ``sep=None``
    detects the separator among ``,``, ``;``, tab and ``|`` from the first lines (``,`` when
    undecided). Raises :class:`CSVError` naming the problem by file, line and column name
    (missing or unreadable file, binary data, an overlong line, no header, no data, a row with
    the wrong number of fields, an empty or unparsable value, a non-numeric column, a missing
    target or excluded column).
    """
    import contextlib
    import csv
    import itertools
    import zlib

    import numpy as np

    name = repr(str(filename))
    compression = None
    try:
        with contextlib.ExitStack() as stack, open(filename, "rb") as raw:
            stream, compression = _decompressed(raw)
            stack.callback(stream.close)
            lines = _text_lines(stream, name)
            head = list(itertools.islice(lines, SNIFF_LINES))
            sniffed = sep is None
            if sniffed:
                sep = _sniff_separator(head) or ","
            reader = csv.reader(itertools.chain(head, lines), delimiter=sep)
            rows, numbers = [], []
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                rows.append(row)
                numbers.append(reader.line_num)
    except CSVError:
        raise
    except (OSError, EOFError, zlib.error, *_lzma_error()) as exc:
        how = f"read {name}" if compression is None else \
            f"decompress {name} ({compression})"
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise CSVError(f"cannot {how}: {detail}") from None
    except csv.Error as exc:
        raise CSVError(f"cannot parse {name} as CSV: {exc}") from None

    if not rows:
        raise CSVError(f"{name} is empty; a header row naming the columns is required")
    header = [h.strip() for h in rows[0]]
    for j, h in enumerate(header):
        if not h:
            after = f" (after {header[j - 1]!r})" if j else ""
            raise CSVError(f"{name}: column {j + 1} of the header row has no name{after}")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise CSVError(f"{name}: duplicate column names in the header: {', '.join(dupes)}")
    if target not in header:
        hint = f"; {_sep_hint(sep)}" if len(header) == 1 else ""
        raise CSVError(f"{name} has no column {target!r} (the --target); its columns are: "
                       + ", ".join(header) + hint)
    excluded = list(exclude)
    for col in excluded:
        if col == target:
            raise CSVError(f"--exclude {col!r} names the --target column")
        if col not in header:
            raise CSVError(f"{name} has no column {col!r} (given to --exclude); its columns "
                           "are: " + ", ".join(header))
    if len(header) < 2:
        raise CSVError(f"{name} has no feature columns besides the target {target!r}; "
                       f"{_sep_hint(sep)}")
    if len(header) - len(excluded) < 2:
        raise CSVError(f"{name} has no feature columns left besides the target {target!r} "
                       f"after --exclude {','.join(excluded)}")
    body, body_lines = rows[1:], numbers[1:]
    if not body:
        raise CSVError(f"{name} has a header row but no data rows")
    width = len(header)
    for row, line in zip(body, body_lines):
        if len(row) != width:
            what = (f"no value for column {header[len(row)]!r}" if len(row) < width else
                    f"a value after the last column {header[-1]!r}")
            raise CSVError(f"{name}, line {line}: {len(row)} fields, but the header has {width} "
                           f"({what})")

    used = [j for j, h in enumerate(header) if h not in excluded]
    values = np.empty((len(body), len(used)), dtype=np.float64)
    first_bad = {}  # column -> (line, text, reason)
    n_bad = dict.fromkeys(used, 0)
    for i, (row, line) in enumerate(zip(body, body_lines)):
        for c, j in enumerate(used):
            field = row[j].strip()
            try:
                value = float(field)
            except ValueError:
                value = None
            if value is None or not np.isfinite(value):
                n_bad[j] += 1
                if j not in first_bad:
                    reason = ("empty value (missing values are not supported)" if not field
                              else f"cannot parse {field!r} as a number" if value is None
                              else f"{field!r} is not a finite number")
                    first_bad[j] = (line, field, reason)
                value = np.nan
            values[i, c] = value
    for j in used:  # whole columns of text first: the likelier mistake
        if n_bad[j] == len(body) and first_bad[j][1]:
            kind = "target column" if header[j] == target else "column"
            hint = "" if header[j] == target else f" (or leave it out with --exclude {header[j]})"
            raise CSVError(f"{name}: {kind} {header[j]!r} is not numeric (line {first_bad[j][0]}: "
                           f"{first_bad[j][1]!r}); every column must hold numbers{hint}")
    if first_bad:
        j = min(first_bad, key=lambda c: (first_bad[c][0], c))
        line, _, reason = first_bad[j]
        raise CSVError(f"{name}, line {line}, column {header[j]!r}: {reason}")
    names = [header[j] for j in used]
    t = names.index(target)
    features = [h for h in names if h != target]
    X = np.ascontiguousarray(np.delete(values, t, axis=1))
    return Table(X=X, y=values[:, t].copy(), feature_names=features, excluded=excluded, sep=sep,
                 sniffed=sniffed, compression=compression)


def read_csv(filename, target, sep=","):
    """Read a numeric CSV file with a header row; return ``(X, y, feature_names)``.

    :func:`read_table` with a given separator (``sep=None`` detects it), without exclusions.
    """
    table = read_table(filename, target, sep=sep)
    return table.X, table.y, table.feature_names


# ---------------------------------------------------------------------- the fit command's options

def _int_at_least(least, also=""):
    """An argparse type: an integer >= ``least`` (``also`` names other accepted values)."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = least - 1
        if value < least:
            raise argparse.ArgumentTypeError(f"must be an integer >= {least}{also}, got {text!r}")
        return value
    return parse


def _cv_option(text):
    if text.strip().lower() == "loo":
        return "loo"
    return _int_at_least(2, " or 'loo'")(text)


def _sep_option(text):
    sep = {"\\t": "\t", "tab": "\t"}.get(text, text)
    if len(sep) != 1:
        raise argparse.ArgumentTypeError(f"must be a single character (or '\\t'), got {text!r}")
    return sep


def _finite_float(text):
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    return value if math.isfinite(value) else None


def _ratio_option(text):
    value = _finite_float(text)
    if value is None or not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be a number in (0, 1], got {text!r}")
    return value


def _alphas_option(text):
    alphas = [_finite_float(part) for part in text.split(",") if part.strip()]
    if not alphas or any(a is None or a < 0 for a in alphas):
        raise argparse.ArgumentTypeError(
            f"must be a comma-separated list of numbers >= 0, got {text!r}")
    return alphas


# --------------------------------------------------------------------- the fit command's output

def format_numbers(values, digits=4):
    """Format a column of numbers as R's ``print`` does: every value to ``digits`` significant
    digits, all with the same number of decimals (the fewest that show each value so), in fixed
    notation unless scientific notation is narrower; right-aligned to a common width. NaN and
    infinities print as ``NaN``, ``Inf``, ``-Inf``."""
    import math

    vals = [float(v) + 0.0 for v in values]  # + 0.0 turns -0.0 into 0.0
    finite = [v for v in vals if math.isfinite(v)]
    decimals, mantissa = 0, 0
    for v in finite:
        if v == 0:
            continue
        mant, exp = f"{v:.{digits - 1}e}".split("e")
        sig = len(mant.replace("-", "").replace(".", "").rstrip("0")) or 1
        decimals = max(decimals, sig - 1 - int(exp))
        mantissa = max(mantissa, sig - 1)

    def show(v, spec):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Inf" if v > 0 else "-Inf"
        text = format(v, spec)
        return text.lstrip("-") if float(text) == 0 else text  # no "-0.00"

    fixed = [show(v, f".{decimals}f") for v in vals]
    sci = [show(v, f".{mantissa}e") for v in vals]
    cells = fixed if max(map(len, fixed), default=0) <= max(map(len, sci), default=0) else sci
    width = max(map(len, cells), default=0)
    return [c.rjust(width) for c in cells]


def _name_columns(message, features):
    """The library's messages name X's columns by 0-based index ("column 3"); name them."""
    import re

    def repl(match):
        j = int(match.group(2))
        return f"{match.group(1)} {features[j]!r}" if 0 <= j < len(features) else match.group(0)

    return re.sub(r"\b(column|feature)s? (\d+)\b", repl, message)


#: What the fit command passes to RidgeCV for ``--cv loo``. RidgeCV is to accept cv="loo"
#: (issue 11, section 5); until it does, leave-one-out is cv=None. Switch this one name to "loo"
#: when it lands.
LOO_CV = None


class FitResult(NamedTuple):
    """The fit command's result as data (what ``--json`` writes).

    ``model`` the fitted estimator; ``alpha`` the penalty used; ``df`` its effective degrees of
    freedom; ``d2`` the squared singular values behind df; ``cv`` None (``--alpha``) or a dict
    with the CV table and the min and 1-SE choices; ``warnings`` a list of (category name,
    message).
    """

    model: object
    alpha: float
    df: float
    d2: object
    cv: object
    warnings: list


def _cv_table(model, d2, default_size):
    """The CV table of a fitted RidgeCV with cv.glmnet's two choices (grid indices);
    ``default_size`` the size of the default grid asked for, or None for a given grid."""
    import numpy as np

    from fastridge._engine.selection import select_alpha

    res = model.cv_results_
    alphas = np.asarray(res["alphas"], dtype=np.float64)
    mean = np.asarray(res["mean_error"], dtype=np.float64)
    se = np.asarray(res["se_error"], dtype=np.float64)
    return {
        "alphas": alphas, "mean_error": mean, "se_error": se,
        "df": np.array([_df(d2, a) for a in alphas]),
        "index_min": select_alpha(alphas, mean, se, "min"),
        "index_1se": select_alpha(alphas, mean, se, "1se"),
        "default_size": default_size,
    }


def fit_table(table, *, alpha=None, alphas=None, n_alphas=None, alpha_min_ratio=None, cv="loo",
              rule="min", seed=CV_SEED, standardize=False):
    """Fit the ``fit`` command's model to a :class:`Table`; return a :class:`FitResult`.

    ``alpha`` fixes the penalty (:class:`fastridge.Ridge`); otherwise :class:`fastridge.RidgeCV`
    chooses it by exact leave-one-out (``cv="loo"``) or ``cv`` random folds
    (:class:`ShuffledKFold` with ``seed``) with the mean squared error, by ``rule``, over RidgeCV's
    default grid of ``n_alphas`` values, or over a fixed grid (used as given): ``alphas``, or
    glmnet's grid down to ``alpha_min_ratio`` times its largest value (that of
    :func:`fastridge.ridge_path`). Warnings the fit raises are recorded, not shown. Raises
    ValueError or TypeError when the model cannot be fitted.
    """
    import warnings

    from fastridge import Ridge, RidgeCV, ridge_path

    X, y = table.X, table.y
    grid = alphas
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if alpha is not None:
            model = Ridge(alpha=alpha, standardize=standardize).fit(X, y)
            used = float(model.alpha)
        else:
            if grid is None and alpha_min_ratio is not None:
                # RidgeCV has no alpha_min_ratio: take the grid of ridge_path, whose default
                # rule RidgeCV shares
                grid = ridge_path(X, y, n_alphas=n_alphas or 100, alpha_min_ratio=alpha_min_ratio,
                                  standardize=standardize).alphas
            kfold = cv != "loo"
            model = RidgeCV(alphas=grid, n_alphas=n_alphas or 100,
                            cv=ShuffledKFold(cv, seed=seed) if kfold else LOO_CV,
                            scoring=KFOLD_SCORING if kfold else None,
                            rule=rule, standardize=standardize).fit(X, y)
            used = float(model.alpha_)
    seen, found = set(), []
    for w in caught:
        item = (w.category.__name__, _name_columns(str(w.message), table.feature_names))
        if item not in seen:
            seen.add(item)
            found.append(item)
    d2 = _design_spectrum(X, standardize)
    cv_table = None if alpha is not None else _cv_table(
        model, d2, None if grid is not None else n_alphas or 100)
    return FitResult(model=model, alpha=used, df=_df(d2, used), d2=d2, cv=cv_table,
                     warnings=found)


def _describe_table(args, table):
    n, p = table.X.shape
    names = table.feature_names
    shown = ", ".join(names if p <= 12 else [*names[:10], f"... ({p - 10} more)"])
    lines = [f"{args.data}: {n} row{'s' * (n != 1)}, target {args.target!r}, {p} "
             f"feature{'s' * (p != 1)}: {shown}"]
    notes = []
    if table.excluded:
        notes.append(f"excluded: {', '.join(table.excluded)}")
    sep = "'\\t'" if table.sep == "\t" else repr(table.sep)
    notes.append(f"separator {sep}" + (" (detected)" if table.sniffed else ""))
    if table.compression:
        notes.append(f"{table.compression}-compressed")
    lines.append("(" + "; ".join(notes) + ")")
    return lines


def format_cv_summary(result, cv, rule, seed):
    """The cross-validation summary in the manner of cv.glmnet's ``print``."""
    c = result.cv
    alphas = c["alphas"]
    m = alphas.size
    how = ("exact leave-one-out" if cv == "loo" else
           f"{cv}-fold (rows assigned to folds at random, --seed {seed})")
    lo, hi = alphas.min(), alphas.max()
    span = f"from {hi:.4g} down to {lo:.4g}" + (f" (ratio {lo / hi:.3g})" if hi > 0 else "")
    size = c["default_size"]
    origin = ("given" if size is None else "glmnet's default" if size == m else
              f"glmnet's default of {size}, extended past the end where the minimum sat")
    grid_line = f"Grid: {m} alpha{'s' * (m != 1)} {span}; {origin}"
    if len(grid_line) > 96:
        grid_line = grid_line.replace("; ", ";\n      ", 1)
    lines = [f"Cross-validation: {how}; measure: mean squared error", grid_line, ""]
    rows = [("min", c["index_min"]), ("1se", c["index_1se"])]
    label = [name for name, _ in rows]
    alpha_col = [alphas[i] for _, i in rows]
    index_col = [str(i + 1) for _, i in rows]
    df_col = [c["df"][i] for _, i in rows]
    err_col = [c["mean_error"][i] for _, i in rows]
    se_col = [c["se_error"][i] for _, i in rows]
    chosen = result.alpha
    on_grid = alpha_col[label.index(rule)] == chosen
    if not on_grid:  # the estimator refined α between grid points
        model = result.model
        label.append("chosen")
        alpha_col.append(chosen)
        index_col.append("-")
        df_col.append(result.df)
        err_col.append(-float(model.best_score_))
        se_col.append(float("nan"))
    se_cells = format_numbers(se_col)
    if not on_grid:  # no standard error off the grid
        se_cells[-1] = "-".rjust(len(se_cells[-1]))
    cols = [("alpha", format_numbers(alpha_col)), ("index", index_col),
            ("df", format_numbers(df_col)), ("CV error", format_numbers(err_col)),
            ("SE", se_cells)]
    width = max(map(len, label))
    widths = [max(len(h), *(len(v) for v in vals)) for h, vals in cols]
    lines.append(" " * width + "".join(f"  {h:>{w}}" for (h, _), w in zip(cols, widths)))
    for r, name in enumerate(label):
        mark = ""
        if (on_grid and name == rule) or name == "chosen":
            mark = "  <- chosen (--rule " + rule + ")"
        lines.append(f"{name:<{width}}" + "".join(f"  {vals[r]:>{w}}" for (_, vals), w
                                                  in zip(cols, widths)) + mark)
    lines.append("(index: position in the grid; df: effective degrees of freedom; SE: standard "
                 "error of the CV error)")
    return lines


def format_coefficients(terms, values, digits=7):
    """The coefficient table: one row per term, numbers as R prints them (``digits``
    significant digits, aligned)."""
    cells = format_numbers(values, digits)
    width = max(len("Term"), *(len(t) for t in terms))
    cell = max(len("Estimate"), *(len(c) for c in cells))
    lines = [f"{'Term':<{width}}  {'Estimate':>{cell}}", "-" * (width + 2 + cell)]
    lines += [f"{term:<{width}}  {text:>{cell}}" for term, text in zip(terms, cells)]
    return "\n".join(lines)


def format_fit(args, table, result):
    """The fit command's text output."""
    import numpy as np

    model = result.model
    lines = _describe_table(args, table)
    scale = ("standardized predictors (--standardize; coefficients on the raw scale)"
             if args.standardize else "raw predictors")
    lines += [f"Ridge regression on {scale}", ""]
    if result.cv is not None:
        lines += format_cv_summary(result, args.cv, args.rule, args.seed) + [""]
    for category, message in result.warnings:
        lines += [f"Warning ({category}): {message}", ""]
    how = "given (--alpha)" if result.cv is None else "chosen"
    a, df = format_numbers([result.alpha]), format_numbers([result.df])
    lines.append(f"Coefficients at alpha = {a[0].strip()} ({how}), df = {df[0].strip()}:")
    lines.append(format_coefficients(["Intercept", *table.feature_names],
                                     [float(model.intercept_), *map(float, model.coef_)]))
    pred = model.predict(table.X)
    mse = float(np.mean((table.y - pred) ** 2))
    r2, mse_text = format_numbers([model.score(table.X, table.y)]), format_numbers([mse])
    lines += ["", f"In-sample R^2 = {r2[0].strip()}, mean squared error = {mse_text[0].strip()}"]
    return "\n".join(lines)


def fit_json(args, table, result):
    """The fit command's result as a JSON-serializable dict (NaN and infinities as null)."""
    import math

    import numpy as np

    def num(v):
        v = float(v)
        return v if math.isfinite(v) else None

    def nums(a):
        return [num(v) for v in np.ravel(a)]

    model = result.model
    out = {
        "data": str(args.data), "target": args.target, "n_samples": int(table.X.shape[0]),
        "features": list(table.feature_names), "excluded": list(table.excluded),
        "separator": table.sep, "compression": table.compression,
        "standardize": bool(args.standardize),
        "alpha": num(result.alpha), "alpha_given": result.cv is None, "df": num(result.df),
        "intercept": num(model.intercept_),
        "coef": {name: num(v) for name, v in zip(table.feature_names, model.coef_)},
        "r2": num(model.score(table.X, table.y)),
        "mse": num(np.mean((table.y - model.predict(table.X)) ** 2)),
        "cv": None,
        "warnings": [{"category": c, "message": m} for c, m in result.warnings],
    }
    if result.cv is not None:
        c = result.cv
        out["cv"] = {
            "method": "loo" if args.cv == "loo" else "kfold",
            "folds": None if args.cv == "loo" else int(args.cv),
            "seed": None if args.cv == "loo" else int(args.seed),
            "rule": args.rule, "measure": "mean squared error",
            "grid": "given" if c["default_size"] is None else "default",
            "alpha_min": num(c["alphas"][c["index_min"]]),
            "alpha_1se": num(c["alphas"][c["index_1se"]]),
            "alphas": nums(c["alphas"]), "mean_error": nums(c["mean_error"]),
            "se_error": nums(c["se_error"]), "df": nums(c["df"]),
        }
    return out


def _run_fit(args, prog):
    import json

    def fail(message):
        print(f"{prog} fit: error: {message}", file=sys.stderr)
        return 2

    given = {flag: getattr(args, dest) is not None for flag, dest in (
        ("--alphas", "alphas"), ("--n-alphas", "n_alphas"),
        ("--alpha-min-ratio", "alpha_min_ratio"), ("--rule", "rule"))}
    if args.alpha is not None:
        clash = [flag for flag, on in given.items() if on]
        if clash:
            args.parser.error(f"argument {clash[0]}: not allowed with argument --alpha (a fixed "
                              "penalty is not chosen)")
    elif args.alphas is not None:
        clash = [flag for flag in ("--n-alphas", "--alpha-min-ratio") if given[flag]]
        if clash:
            args.parser.error(f"argument {clash[0]}: not allowed with argument --alphas")
    if args.rule is None:
        args.rule = "min"
    try:
        table = read_table(args.data, args.target, sep=args.sep,
                           exclude=_split_names(args.exclude))
    except CSVError as exc:
        return fail(str(exc))
    except MemoryError:
        return fail(f"not enough memory to read {args.data!r}")
    try:
        result = fit_table(table, alpha=args.alpha, alphas=args.alphas, n_alphas=args.n_alphas,
                           alpha_min_ratio=args.alpha_min_ratio, cv=args.cv, rule=args.rule,
                           seed=args.seed, standardize=args.standardize)
    except (ValueError, TypeError) as exc:
        return fail(f"cannot fit {args.data!r}: {_name_columns(str(exc), table.feature_names)}")
    except MemoryError:
        n, p = table.X.shape
        return fail(f"not enough memory to fit {args.data!r} ({n} rows, {p} features)")
    if args.json:
        for category, message in result.warnings:
            print(f"{prog} fit: warning ({category}): {message}", file=sys.stderr)
        print(json.dumps(fit_json(args, table, result), indent=1, allow_nan=False))
    else:
        print(format_fit(args, table, result))
    return 0


# --------------------------------------------------------------------------------- the parser

def _prog_name():
    argv0 = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if argv0 in ("", "__main__.py", "-c") or argv0.startswith("python"):
        return "python -m fastridge"
    return argv0


def _build_parser(prog):
    from fastridge._version import __version__

    parser = argparse.ArgumentParser(
        prog=prog,
        description=(
            "fastridge: fast, exact ridge regression. Without a command, fit least squares and "
            "ridge to the bundled prostate cancer data and print the coefficient table of "
            "ESL Table 3.3; then choose alpha by 10-fold and leave-one-out cross-validation, "
            f"print the path and the chosen models, and write {PATH_FIGURE} and {CV_FIGURE} "
            "(when matplotlib is installed)."
        ),
        epilog=f"Fit your own data: {prog} fit DATA.csv --target COLUMN (see {prog} fit --help).",
    )
    parser.add_argument("--version", action="version", version=f"fastridge {__version__}")
    parser.add_argument("--outdir", default=".", metavar="DIR",
                        help="directory for the figures of the main job (default: the current "
                             "directory; created if missing)")
    parser.set_defaults(func=_run_main_job)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    fit = commands.add_parser(
        "fit", prog=f"{prog} fit",
        help="fit ridge regression to a CSV file and print the coefficient table",
        description=(
            "Fit ridge regression to a CSV file (plain, or gzip/bz2/xz-compressed) and print a "
            "summary: the cross-validation table (the grid's range and size; the alpha of least "
            "CV error and the largest alpha within one standard error of it, with df, CV error "
            "and SE, as cv.glmnet prints them), any warning of the fit, the coefficient table "
            "and the in-sample R^2. The file needs a header row naming the columns; every "
            "column except the target and the --exclude'd ones must be numeric (no missing "
            "values). With --alpha the penalty is fixed; otherwise it is chosen by "
            "cross-validation: exact leave-one-out by default, K-fold with --cv K."),
        epilog=("alpha is on scikit-learn's scale: the penalty alpha * sum(coef^2) is added to "
                "the residual sum of squares (with --standardize, on the scale of the "
                "standardized predictors; coefficients are reported for the raw predictors). "
                "The default grid is glmnet's (see README). df is the effective degrees of "
                "freedom sum d^2/(d^2 + alpha), d the singular values of the centred (and "
                "standardized) design. Errors in the file or the options exit with status 2."),
    )
    fit.add_argument("data", metavar="DATA.csv",
                     help="CSV file with a header row (gzip, bz2 and xz are recognized by their "
                          "first bytes)")
    fit.add_argument("--target", required=True, metavar="COLUMN",
                     help="name of the response column")
    fit.add_argument("--exclude", action="append", metavar="COL",
                     help="leave this column out of the model (it may hold anything); "
                          "repeatable, or a comma-separated list of names")
    choice = fit.add_mutually_exclusive_group()
    choice.add_argument("--alpha", type=float, metavar="A",
                        help="fit at this penalty (>= 0) instead of choosing it")
    choice.add_argument("--cv", type=_cv_option, default="loo", metavar="K",
                        help="choose alpha by K-fold cross-validation (K >= 2; the rows are "
                             "assigned to folds at random, see --seed), or 'loo' for exact "
                             "leave-one-out (the default)")
    fit.add_argument("--alphas", type=_alphas_option, metavar="A1,A2,...",
                     help="the grid of alphas to choose from, a comma-separated list "
                          "(default: glmnet's grid, see --n-alphas and --alpha-min-ratio)")
    fit.add_argument("--n-alphas", type=_int_at_least(1), metavar="N",
                     help="size of the default grid (default 100)")
    fit.add_argument("--alpha-min-ratio", type=_ratio_option, metavar="R",
                     help="smallest alpha of glmnet's grid as a fraction of the largest, in "
                          "(0, 1] (default 1e-4, or 1e-2 when there are more features than "
                          "rows); like --alphas, it fixes the grid: the default grid is "
                          "extended past an end where the CV minimum sits, a fixed one only "
                          "warns")
    fit.add_argument("--rule", choices=("min", "1se"), default=None,
                     help="choose the alpha of least CV error ('min', the default) or the "
                          "largest alpha within one standard error of it ('1se', as "
                          "cv.glmnet's lambda.1se)")
    fit.add_argument("--standardize", action="store_true",
                     help="scale each predictor to unit variance before the penalty (as glmnet)")
    fit.add_argument("--sep", type=_sep_option, default=None, metavar="CHAR",
                     help="field separator ('\\t' for tab; default: detected among ',', ';', "
                          "tab and '|', else ',')")
    fit.add_argument("--seed", type=_int_at_least(0), default=CV_SEED, metavar="N",
                     help=f"seed (an integer >= 0) of the random fold assignment of --cv K "
                          f"(default {CV_SEED})")
    fit.add_argument("--json", action="store_true",
                     help="write the result as JSON to stdout (alpha, coefficients by column "
                          "name, intercept, the CV table, warnings) instead of the summary")
    fit.set_defaults(func=_run_fit, parser=fit)
    return parser


def main(argv=None) -> int:
    """Run the command line interface; return the process exit status."""
    prog = _prog_name()
    parser = _build_parser(prog)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args, prog))
    except BrokenPipeError:
        # output piped into a reader that stopped early (`fastridge | head`): not an error
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
