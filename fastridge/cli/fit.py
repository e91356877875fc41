"""The ``fit`` command's model and output: ridge regression on a table read by
:func:`fastridge.cli.table.read_table`, its penalty fixed or chosen by cross-validation.

:func:`fit_table` fits and returns a :class:`FitResult` (the data ``--json`` writes, via
:func:`fit_json`); :func:`format_fit` renders it as text: the cross-validation summary in the
manner of cv.glmnet's ``print`` (:func:`format_cv_summary`), the coefficient table
(:func:`format_coefficients`), numbers as R prints them (:func:`format_numbers`). numpy and the
estimators are imported inside the functions, so importing this module stays light.
"""
from __future__ import annotations

from typing import NamedTuple

from fastridge.cli.spectrum import design_spectrum, effective_df
from fastridge.cli.splits import CV_SEED, KFOLD_SCORING, ShuffledKFold

__all__ = ["fit_table", "FitResult", "format_fit", "fit_json", "format_cv_summary",
           "format_coefficients", "format_numbers", "name_columns", "LOO_CV"]


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


def name_columns(message, features):
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
        "df": np.array([effective_df(d2, a) for a in alphas]),
        "index_min": select_alpha(alphas, mean, se, "min"),
        "index_1se": select_alpha(alphas, mean, se, "1se"),
        "default_size": default_size,
    }


def fit_table(table, *, alpha=None, alphas=None, n_alphas=None, alpha_min_ratio=None, cv="loo",
              rule="min", seed=CV_SEED, standardize=False):
    """Fit the ``fit`` command's model to a :class:`~fastridge.cli.table.Table`; return a
    :class:`FitResult`.

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
        item = (w.category.__name__, name_columns(str(w.message), table.feature_names))
        if item not in seen:
            seen.add(item)
            found.append(item)
    d2 = design_spectrum(X, standardize)
    cv_table = None if alpha is not None else _cv_table(
        model, d2, None if grid is not None else n_alphas or 100)
    return FitResult(model=model, alpha=used, df=effective_df(d2, used), d2=d2, cv=cv_table,
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
