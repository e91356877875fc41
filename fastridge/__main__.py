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

Heavy imports (numpy, the estimator) happen inside the job, so ``--help`` stays fast.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import NamedTuple

__all__ = ["main", "prostate_table", "alpha_for_df", "CoefficientTable"]

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
    from fastridge.datasets import load_prostate

    data = load_prostate()
    train, test = data.train, ~data.train
    Z = (data.X - data.X.mean(axis=0)) / data.X.std(axis=0, ddof=1)
    Z_train, y_train = Z[train], data.y[train]
    Z_test, y_test = Z[test], data.y[test]

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

    terms = ["Intercept", *data.feature_names, "Test Error", "Std Error"]
    columns = {
        "LS": [float(ls.intercept_), *map(float, ls.coef_), *ls_error],
        "Ridge": [y_mean, *map(float, ridge.coef_), *ridge_error],
    }
    return CoefficientTable(terms=terms, columns=columns, alpha=alpha, df=df_used)


def format_table(table):
    """Render a :class:`CoefficientTable` as text, three decimals as in the book."""
    names = list(table.columns)
    width = max(len(t) for t in table.terms)
    lines = ["  ".join([f"{'Term':<{width}}", *(f"{n:>8}" for n in names)])]
    lines.append("-" * len(lines[0]))
    for i, term in enumerate(table.terms):
        if term == "Test Error":
            lines.append("-" * len(lines[0]))
        cells = []
        for name in names:
            value = round(table.columns[name][i], 3) + 0.0  # + 0.0 turns -0.0 into 0.0
            cells.append(f"{value:>8.3f}")
        lines.append("  ".join([f"{term:<{width}}", *cells]))
    return "\n".join(lines)


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
    print(f"For help, run: {prog} --help")
    return 0


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
            "ESL Table 3.3."
        ),
    )
    parser.add_argument("--version", action="version", version=f"fastridge {__version__}")
    # Later commands register here with parser.add_subparsers(); each sets its own `func`.
    parser.set_defaults(func=_run_main_job)
    return parser


def main(argv=None) -> int:
    """Run the command line interface; return the process exit status."""
    prog = _prog_name()
    parser = _build_parser(prog)
    args = parser.parse_args(argv)
    return int(args.func(args, prog))


if __name__ == "__main__":
    raise SystemExit(main())
