"""Command line interface: ``python -m fastridge`` (also installed as the ``fastridge`` script).

Without arguments it runs the main job (:mod:`fastridge.cli.esl`): least squares and ridge
regression on the 67 training rows of the bundled prostate cancer data, printed as a coefficient
table in the form of Table 3.3 of Hastie, Tibshirani & Friedman, *The Elements of Statistical
Learning* (2nd ed., 2009); then the choice of α by 10-fold and exact leave-one-out
cross-validation, and two figures (to the current directory or ``--outdir``) when matplotlib is
installed.

``python -m fastridge fit DATA.csv --target COLUMN`` fits a user's CSV file: see
:func:`fastridge.cli.table.read_table` for the format, :mod:`fastridge.cli.fit` for the model and
its output, and ``python -m fastridge fit --help`` for the options.

This module holds the argument parser, the option types and the two commands' drivers (run a
job, print its output, return the exit status); the jobs live in the modules it imports. Heavy
imports (numpy, the estimators, matplotlib) happen inside the jobs' functions, never at module
level, so ``--help`` stays light.
"""
from __future__ import annotations

import argparse
import os
import sys

from fastridge._version import install_hint
from fastridge.cli.esl import (
    CV_FIGURE,
    CV_NAME,
    PATH_FIGURE,
    format_selection,
    format_table,
    prostate_selection,
    prostate_table,
    write_figures,
)
from fastridge.cli.fit import fit_json, fit_table, format_fit, name_columns
from fastridge.cli.splits import CV_SEED
from fastridge.cli.table import CSVError, read_table

__all__ = ["main"]


# ---------------------------------------------------------------------- the fit command's options

def _split_names(values):
    """Column names of a repeatable, comma-separated option, in order, without repeats."""
    names = []
    for value in values or ():
        for part in value.split(","):
            part = part.strip()
            if part and part not in names:
                names.append(part)
    return names


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


# ---------------------------------------------------------------------------------- the commands

def _run_main_job(args, prog):
    """The main job (no command): print the ESL tables, write the figures; the exit status."""
    table = prostate_table()
    print("Prostate cancer data (Stamey et al., 1989): least squares and ridge regression")
    print("on the 67 training rows, test error on the 30 test rows; predictors standardized over")
    print("all 97 rows, as in Hastie, Tibshirani & Friedman, "
          "The Elements of Statistical Learning,")
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
        written = write_figures(sel, args.outdir)
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


def _run_fit(args, prog):
    """The ``fit`` command: read the table, fit, print the result; the exit status."""
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
        return fail(f"cannot fit {args.data!r}: {name_columns(str(exc), table.feature_names)}")
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
