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


def _standardized_spectrum(Z):
    """d², d the singular values of Z centred and divided by its population SD (the design as
    ``standardize=True`` sees it)."""
    import numpy as np

    Zc = Z - Z.mean(axis=0)
    return np.linalg.svd(Zc / Zc.std(axis=0), compute_uv=False) ** 2


def _df(d2, alpha):
    """Effective degrees of freedom Σ d²/(d² + α)."""
    import numpy as np

    return float(np.sum(d2 / (d2 + alpha)))


def prostate_selection():
    """Choose the ridge penalty for the prostate data by 10-fold CV and by exact leave-one-out.

    The predictors are those of :func:`prostate_table` (standardized over all 97 rows, so the
    coefficients compare with Table 3.3); the models use ``standardize=True``, which re-standardizes
    on the 67 training rows, so α is on that scale. Predictions, α and df do not depend on the
    first standardization (``standardize=True`` makes the fit invariant to column scaling).
    Both searches use the grid of ``ridge_path(..., standardize=True)`` with 100 values down to
    ``1e-6`` times glmnet's ``alpha_max``; both pick the α of least CV error (``rule="min"``).
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
        CV_NAME: RidgeCV(alphas=path.alphas, cv=ShuffledKFold(CV_FOLDS), standardize=True,
                         scoring="neg_mean_squared_error"),
        LOO_NAME: RidgeCV(alphas=path.alphas, cv=None, standardize=True),
    }
    d2 = _standardized_spectrum(Z_train)
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
              "(pip install fastridge[plot]).")
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


def read_csv(filename, target, sep=","):
    """Read a numeric CSV file with a header row; return ``(X, y, feature_names)``.

    The first row names the columns; every column except ``target`` is a numeric feature. Blank
    lines are skipped. Raises :class:`CSVError` naming the problem (missing or unreadable file, no
    header, no data, a row with the wrong number of fields, an empty or unparsable value with its
    line and column, a non-numeric column, a missing target column).
    """
    import csv

    import numpy as np

    name = repr(str(filename))
    try:
        with open(filename, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh, delimiter=sep)
            rows, lines = [], []
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                rows.append(row)
                lines.append(reader.line_num)
    except OSError as exc:
        raise CSVError(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CSVError(f"cannot read {name}: it is not a UTF-8 text file") from None
    except csv.Error as exc:
        raise CSVError(f"cannot parse {name} as CSV: {exc}") from None

    if not rows:
        raise CSVError(f"{name} is empty; a header row naming the columns is required")
    header = [h.strip() for h in rows[0]]
    for j, h in enumerate(header):
        if not h:
            raise CSVError(f"{name}: column {j + 1} of the header row has no name")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise CSVError(f"{name}: duplicate column names in the header: {', '.join(dupes)}")
    if target not in header:
        raise CSVError(f"{name} has no column {target!r} (the --target); its columns are: "
                       + ", ".join(header))
    if len(header) < 2:
        raise CSVError(f"{name} has no feature columns besides the target {target!r}")
    body, body_lines = rows[1:], lines[1:]
    if not body:
        raise CSVError(f"{name} has a header row but no data rows")
    width = len(header)
    for row, line in zip(body, body_lines):
        if len(row) != width:
            raise CSVError(f"{name}, line {line}: {len(row)} fields, but the header has {width}")

    values = np.empty((len(body), width), dtype=np.float64)
    first_bad = {}  # column -> (line, text, reason)
    n_bad = [0] * width
    for i, (row, line) in enumerate(zip(body, body_lines)):
        for j, text in enumerate(row):
            field = text.strip()
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
            values[i, j] = value
    for j in range(width):  # whole columns of text first: the likelier mistake
        if n_bad[j] == len(body) and first_bad[j][1]:
            kind = "target column" if header[j] == target else "column"
            raise CSVError(f"{name}: {kind} {header[j]!r} is not numeric (line {first_bad[j][0]}: "
                           f"{first_bad[j][1]!r}); every column must hold numbers")
    if first_bad:
        j = min(first_bad, key=lambda c: (first_bad[c][0], c))
        line, _, reason = first_bad[j]
        raise CSVError(f"{name}, line {line}, column {header[j]!r}: {reason}")
    t = header.index(target)
    features = [h for j, h in enumerate(header) if j != t]
    X = np.ascontiguousarray(np.delete(values, t, axis=1))
    return X, values[:, t].copy(), features


def _cv_option(text):
    if text.strip().lower() == "loo":
        return None
    try:
        k = int(text)
    except ValueError:
        k = 0
    if k < 2:
        raise argparse.ArgumentTypeError(f"must be an integer >= 2 or 'loo', got {text!r}")
    return k


def _sep_option(text):
    sep = {"\\t": "\t", "tab": "\t"}.get(text, text)
    if len(sep) != 1:
        raise argparse.ArgumentTypeError(f"must be a single character (or '\\t'), got {text!r}")
    return sep


def format_coefficients(terms, values):
    width = max(len("Term"), *(len(t) for t in terms))
    lines = [f"{'Term':<{width}}  {'Coefficient':>16}", "-" * (width + 18)]
    for term, value in zip(terms, values):
        lines.append(f"{term:<{width}}  {value + 0.0:>16.10g}")
    return "\n".join(lines)


def _run_fit(args, prog):
    import numpy as np

    from fastridge import Ridge, RidgeCV

    def fail(message):
        print(f"{prog} fit: error: {message}", file=sys.stderr)
        return 2

    try:
        X, y, features = read_csv(args.data, args.target, sep=args.sep)
    except CSVError as exc:
        return fail(str(exc))
    n, p = X.shape
    try:
        if args.alpha is not None:
            model = Ridge(alpha=args.alpha, standardize=args.standardize).fit(X, y)
            how = "given (--alpha)"
        else:
            # args.cv is None for leave-one-out (the default, and --cv loo)
            folds = None if args.cv is None else ShuffledKFold(args.cv, seed=args.seed)
            model = RidgeCV(cv=folds, standardize=args.standardize,
                            scoring="neg_mean_squared_error").fit(X, y)
            mean, se = _cv_error_at(model)
            what = ("exact leave-one-out" if folds is None else
                    f"{args.cv}-fold (random folds, seed {args.seed})")
            how = (f"chosen by {what} cross-validation over "
                   f"{np.size(model.cv_results_['alphas'])} alphas\n"
                   f"(CV mean squared error {mean:.6g}, standard error {se:.3g})")
    except (ValueError, TypeError) as exc:
        return fail(f"cannot fit {args.data!r}: {exc}")
    pred = model.predict(X)
    mse = float(np.mean((y - pred) ** 2))
    r2 = float(model.score(X, y))
    alpha = float(model.alpha) if args.alpha is not None else float(model.alpha_)
    print(f"{args.data}: {n} row{'s' * (n != 1)}, {p} feature{'s' * (p != 1)}, "
          f"target {args.target!r}")
    scale = "standardized predictors (standardize=True)" if args.standardize else \
        "raw predictors"
    print(f"Ridge regression on {scale}; alpha = {alpha:.6g} {how}")
    print()
    print(format_coefficients(["Intercept", *features],
                              [float(model.intercept_), *map(float, model.coef_)]))
    print()
    print(f"alpha = {alpha:.10g}   in-sample R^2 = {r2:.6f}   in-sample MSE = {mse:.6g}")
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
            "Fit ridge regression to a CSV file and print the coefficient table, alpha and the "
            "in-sample R^2 and mean squared error. The file needs a header row naming the "
            "columns; every column except the target must be numeric (no missing values). "
            "With --alpha the penalty is fixed; otherwise it is chosen by cross-validation: "
            "exact leave-one-out by default, K-fold with --cv K."),
        epilog=("alpha is on scikit-learn's scale: the penalty alpha * sum(coef^2) is added to "
                "the residual sum of squares (with --standardize, on the scale of the "
                "standardized predictors; coefficients are reported for the raw predictors). "
                "Errors in the file exit with status 2."),
    )
    fit.add_argument("data", metavar="DATA.csv", help="CSV file with a header row")
    fit.add_argument("--target", required=True, metavar="COLUMN",
                     help="name of the response column")
    choice = fit.add_mutually_exclusive_group()
    choice.add_argument("--alpha", type=float, metavar="A",
                        help="fit at this penalty (>= 0) instead of choosing it")
    choice.add_argument("--cv", type=_cv_option, default="loo", metavar="K",
                        help="choose alpha by K-fold cross-validation (K >= 2; the rows are "
                             "assigned to folds at random, see --seed), or 'loo' for exact "
                             "leave-one-out (the default)")
    fit.add_argument("--standardize", action="store_true",
                     help="scale each predictor to unit variance before the penalty (as glmnet)")
    fit.add_argument("--sep", type=_sep_option, default=",", metavar="CHAR",
                     help="field separator (default ','; '\\t' for tab)")
    fit.add_argument("--seed", type=int, default=CV_SEED, metavar="N",
                     help=f"seed of the random fold assignment of --cv K (default {CV_SEED})")
    fit.set_defaults(func=_run_fit)
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
