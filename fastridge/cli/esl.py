"""The main job: the prostate cancer example of Hastie, Tibshirani & Friedman, *The Elements of
Statistical Learning* (2nd ed., 2009), reproduced by ``python -m fastridge`` without arguments.

:func:`prostate_table` fits least squares and ridge regression on the 67 training rows of the
bundled prostate cancer data; :func:`format_table` prints the result in the form of the book's
Table 3.3. The fit follows the book:

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

After the table, :func:`prostate_selection` chooses α on the same 67 training rows by 10-fold
cross-validation (folds assigned at random with a fixed seed,
:class:`fastridge.cli.splits.ShuffledKFold`: the file is sorted by the response, so
``RidgeCV(cv=10)``'s contiguous folds would extrapolate) and by exact leave-one-out
(:class:`fastridge.RidgeCV` with ``standardize=True``, so α is on the scale of the predictors
standardized on the training rows; both search the grid of one :func:`fastridge.ridge_path`);
:func:`format_selection` prints a summary of the path (like glmnet's ``print``) and the two
chosen models with their test errors, and :func:`write_figures` writes two figures when
matplotlib is installed: ``prostate_path.png`` (coefficient profiles against df, like ESL
Figure 3.8) and ``prostate_cv.png`` (the 10-fold CV curve with standard-error bars, like
``cv.glmnet``'s plot).

numpy, the estimators and matplotlib are imported inside the functions, so importing this module
(as ``python -m fastridge --help`` does) stays light.
"""
from __future__ import annotations

import os
from typing import NamedTuple

from fastridge.cli.spectrum import design_spectrum, effective_df
from fastridge.cli.splits import CV_SEED, KFOLD_SCORING, ShuffledKFold

__all__ = ["prostate_table", "format_table", "alpha_for_df", "CoefficientTable",
           "prostate_selection", "Selection", "format_selection", "format_path_summary",
           "write_figures", "RIDGE_DF"]

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

    ``d`` are singular values of the design. ``df`` must lie in ``(0, rank]``, where ``rank``
    counts the nonzero singular values. The function of alpha is decreasing and convex, so Newton's
    method started at ``alpha = 0`` increases monotonically to the root without overshooting.
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
    df_used = effective_df(d**2, alpha)

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



def prostate_selection():
    """Choose the ridge penalty for the prostate data by 10-fold CV and by exact leave-one-out.

    The predictors are those of :func:`prostate_table` (standardized over all 97 rows, so the
    coefficients compare with Table 3.3); the models use ``standardize=True``, which
    re-standardizes on the 67 training rows, so α is on that scale. Predictions, α and df do not
    depend on the first standardization (``standardize=True`` makes the fit invariant to column
    scaling).
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
    d2 = design_spectrum(Z_train, standardize=True)
    columns, dfs = {}, {}
    for name, model in models.items():
        model.fit(Z_train, y_train)
        error = _test_error(y_test, model.predict(Z_test))
        columns[name] = [float(model.intercept_), *map(float, model.coef_), *error]
        dfs[name] = effective_df(d2, float(model.alpha_))
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
        f"{f'{CV_FOLDS}-fold CV, 1-SE rule':<24}{a_1se:9.4g}  "
        f"{effective_df(sel.d2, a_1se):6.3f}  {res['mean_error'][i]:9.4f}  "
        f"({res['se_error'][i]:.4f})",
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


def write_figures(sel, outdir):
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
