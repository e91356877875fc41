"""Figures: coefficient profiles along a path (like glmnet's ``plot`` and ESL Figure 3.8) and the
cross-validation curve (like ``cv.glmnet``'s ``plot``).

matplotlib is an optional dependency (``pip install "fastridge-blas[plot]"``). It is imported
inside the functions only, so importing this module (or fastridge) never loads it.

Orientation: in both figures the least regularized end is on the **right**. On the α axis (log
scale) α decreases to the right, as in scikit-learn's ridge-path example and in ``cv.glmnet``'s
plot with ``sign.lambda = -1``; against df or the coefficient norm the book's orientation is
natural (ESL Figure 3.8). So the three path views have the same shape, and the end-of-line labels
sit where the coefficients are largest. Call ``ax.invert_xaxis()`` for α increasing to the right
(glmnet's default).
"""
import numpy as np

from fastridge._version import install_hint

__all__ = ["plot_path", "plot_cv", "cv_choices", "MATPLOTLIB_MISSING"]

MATPLOTLIB_MISSING = f"matplotlib is required for plotting: {install_hint('plot')}"

XVARS = ("alpha", "df", "norm")
# End-of-line labels are drawn for at most this many features (label="auto").
MAX_END_LABELS = 20

_ALPHA_LABEL = r"$\alpha$ (log scale, decreasing to the right)"


def _require_matplotlib():
    """Import matplotlib or raise an ImportError that says how to install it."""
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(MATPLOTLIB_MISSING) from exc
    return matplotlib


def _new_axes():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(MATPLOTLIB_MISSING) from exc
    _, ax = plt.subplots()
    return ax


def _set_alpha_axis(ax):
    ax.set_xscale("log")
    if not ax.xaxis_inverted():
        ax.invert_xaxis()
    ax.set_xlabel(_ALPHA_LABEL)


def _pick_target(values, target, what):
    """``values[:, target]``: the target axis is axis 1 both for errors (m, k) and for
    coefficients (m, k, p)."""
    k = values.shape[1]
    if isinstance(target, bool) or not isinstance(target, (int, np.integer)) \
            or not 0 <= target < k:
        raise ValueError(f"target must be an int in [0, {k}) for {what} with {k} targets, "
                         f"got {target!r}.")
    return values[:, int(target)]


def _interp_log_alpha(alphas, values, alpha):
    """`values` (one per α) at `alpha`, linear in log α (exact on a grid point)."""
    keep = alphas > 0
    a, v = np.log(alphas[keep]), values[keep]
    order = np.argsort(a)
    return float(np.interp(np.log(alpha), a[order], v[order]))


def _end_labels(ax, x_end, y_end, names, colors, fontsize=8):
    """Write `names` just right of the line ends (x_end, y_end), nudged apart vertically so they
    do not overlap; the text may extend past the axes (save with ``bbox_inches="tight"``)."""
    fig = ax.figure
    lo, hi = ax.get_ylim()
    height_px = max(ax.bbox.height, 1.0)
    gap = (hi - lo) * (1.15 * fontsize * fig.dpi / 72.0) / height_px
    order = np.argsort(y_end, kind="stable")
    y = np.asarray(y_end, dtype=np.float64)[order].copy()
    for i in range(1, y.size):  # push up ...
        y[i] = max(y[i], y[i - 1] + gap)
    y += np.mean(y_end) - np.mean(y)  # ... then re-centre the stack
    texts = []
    for pos, j in enumerate(order):
        texts.append(ax.annotate(names[j], xy=(x_end, y[pos]), xycoords="data",
                                 xytext=(4, 0), textcoords="offset points", ha="left",
                                 va="center", fontsize=fontsize, annotation_clip=False,
                                 color=colors[j]))
    return texts


def plot_path(path, ax=None, xvar="alpha", *, target=0, label="auto", mark_alpha=None,
              feature_names=None):
    """Draw the coefficient profiles of a :class:`~fastridge.RidgePath`, one line per feature.

    Like glmnet's ``plot(fit, xvar=...)`` and *The Elements of Statistical Learning*, Figure 3.8.
    The least regularized end is on the right in every view (see the module docstring).

    Parameters
    ----------
    path : RidgePath
        Uses ``alphas`` (m,), ``coef`` (m, p) or (m, k, p), ``df`` (m,) or None and
        ``feature_names`` (None → ``x0, x1, ...``).
    ax : matplotlib Axes, default=None
        Axes to draw into; None makes a new figure with ``pyplot.subplots()``.
    xvar : {"alpha", "df", "norm"}, default="alpha"
        ``"alpha"``: α on a logarithmic axis, decreasing to the right (grid points with α = 0 are
        left out, as log 0 does not exist). ``"df"``: the effective degrees of freedom
        ``path.df`` (ValueError when it is None: the solver did not compute the spectrum).
        ``"norm"``: the L2 norm of the coefficient vector (of the plotted target, on the scale of
        ``coef``).
    target : int, default=0
        For multi-target paths (coef of shape (m, k, p)), the target whose profiles are drawn.
    label : "auto", bool, default="auto"
        Write each feature's name at the right end of its line (``"auto"``: when there are at
        most 20 features). Every line also carries its name as its matplotlib label, so
        ``ax.legend()`` gives a legend instead.
    mark_alpha : float, default=None
        Draw a dashed vertical line at this α (for instance a cross-validated choice, as the book
        marks df = 5 in Figure 3.8); on the df and norm axes its position is interpolated in
        log α along the path.
    feature_names : sequence of str, default=None
        Names for the lines, overriding ``path.feature_names`` (useful when the path was fitted
        on an array without column names).

    Returns
    -------
    ax : matplotlib Axes
        The p coefficient lines come first in ``ax.lines``, in feature order; their y-data are
        ``coef[:, j]`` (rows with α = 0 dropped for ``xvar="alpha"``) in the path's order.
    """
    if xvar not in XVARS:
        raise ValueError(f"xvar must be one of {XVARS}, got {xvar!r}.")
    if label not in ("auto", True, False):
        raise ValueError(f"label must be 'auto', True or False, got {label!r}.")
    _require_matplotlib()

    alphas = np.asarray(path.alphas, dtype=np.float64)
    coef = np.asarray(path.coef, dtype=np.float64)
    if coef.ndim == 3:
        coef = _pick_target(coef, target, "a path")
    elif coef.ndim == 2:
        if target not in (0, None):
            raise ValueError(f"target must be 0 for a single-target path, got {target!r}.")
    else:
        raise ValueError(f"path.coef must have 2 or 3 dimensions, got shape {coef.shape}.")
    m, p = coef.shape
    if alphas.shape != (m,):
        raise ValueError(f"path.alphas has shape {alphas.shape}, expected ({m},).")
    names = getattr(path, "feature_names", None) if feature_names is None else feature_names
    names = [f"x{j}" for j in range(p)] if names is None else [str(s) for s in names]
    if len(names) != p:
        raise ValueError(f"feature_names has {len(names)} names for {p} features.")

    if xvar == "alpha":
        keep = alphas > 0
        if not np.any(keep):
            raise ValueError("xvar='alpha' needs positive alphas (log scale); this path has "
                             "only alpha = 0. Use xvar='df' or xvar='norm'.")
        x, Y, x_alphas = alphas[keep], coef[keep], alphas[keep]
    elif xvar == "df":
        df = getattr(path, "df", None)
        if df is None:
            raise ValueError("xvar='df' needs the effective degrees of freedom, but path.df is "
                             "None (the path's solver did not compute the spectrum; "
                             "solver='auto' does when it can). Use xvar='alpha' or 'norm'.")
        x, Y, x_alphas = np.asarray(df, dtype=np.float64), coef, alphas
    else:
        x, Y, x_alphas = np.linalg.norm(coef, axis=1), coef, alphas

    if ax is None:
        ax = _new_axes()
    lines = ax.plot(x, Y, linewidth=1.2)
    for line, name in zip(lines, names):
        line.set_label(name)
    ax.axhline(0.0, color="0.6", linewidth=0.8, linestyle="--", zorder=0)

    if xvar == "alpha":
        _set_alpha_axis(ax)
        df = getattr(path, "df", None)
        if df is not None:
            _top_df_axis(ax, x, np.asarray(df, dtype=np.float64)[alphas > 0])
    elif xvar == "df":
        ax.set_xlabel(r"df($\alpha$), effective degrees of freedom")
    else:
        ax.set_xlabel(r"$\|\beta\|_2$, L2 norm of the coefficients")
    ax.set_ylabel("Coefficients")

    if mark_alpha is not None and not (xvar == "alpha" and float(mark_alpha) <= 0):
        a = float(mark_alpha)  # (α = 0 has no place on the log axis)
        xm = a if xvar == "alpha" else _interp_log_alpha(alphas, x, a)
        ax.axvline(xm, color="0.3", linestyle="--", linewidth=1.0,
                   label=fr"$\alpha$ = {a:.4g}")

    if label is True or (label == "auto" and p <= MAX_END_LABELS):
        # At the least regularized point (smallest α): the right end in every view.
        end = int(np.argmin(x_alphas))
        _end_labels(ax, x[end], Y[end], names, [line.get_color() for line in lines])
    return ax


def _top_df_axis(ax, alphas, df, n_ticks=6):
    """A secondary top axis labelled with df at a few α of the grid (glmnet prints the number of
    nonzero coefficients there; for ridge the effective degrees of freedom say more)."""
    if alphas.size == 0:
        return None
    idx = np.unique(np.linspace(0, alphas.size - 1, min(n_ticks, alphas.size)).round()
                    .astype(int))
    top = ax.secondary_xaxis("top")
    top.set_xticks(alphas[idx], labels=[f"{d:.1f}" for d in df[idx]])
    top.xaxis.set_minor_locator(_null_locator())
    top.set_xlabel("df", fontsize=9)
    top.tick_params(labelsize=8)
    return top


def _null_locator():
    from matplotlib.ticker import NullLocator

    return NullLocator()


def cv_choices(alphas, mean_error, se_error):
    """``(alpha_min, alpha_1se)`` from a CV curve, as ``cv.glmnet`` computes them.

    ``alpha_min`` is the α of lowest mean error (the largest such α if several tie);
    ``alpha_1se`` the largest α whose mean error is at most the minimum plus its standard error
    (an undefined, NaN, standard error counts as 0).
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    mean = np.asarray(mean_error, dtype=np.float64)
    se = np.asarray(se_error, dtype=np.float64)
    se = np.where(np.isfinite(se), se, 0.0)  # an undefined standard error counts as 0
    if not np.any(np.isfinite(mean)):
        raise ValueError("Every cross-validation error is NaN or infinite.")
    best = np.nanmin(mean)
    a_min = float(alphas[mean <= best].max())
    i_min = int(np.flatnonzero((mean <= best) & (alphas == a_min))[0])
    a_1se = float(alphas[mean <= mean[i_min] + se[i_min]].max())
    return a_min, a_1se


def plot_cv(cv, ax=None, *, target=None):
    """Draw the cross-validation curve of a fitted :class:`~fastridge.RidgeCV`, like ``cv.glmnet``.

    Mean CV error with ± 1 standard error bars against α (log scale, decreasing to the right, as
    in :func:`plot_path`), vertical lines at the minimum-error α (dotted) and at the 1-SE α
    (dash-dotted: the largest α whose error is within one standard error of the minimum; both
    computed here from ``cv.cv_results_`` by :func:`cv_choices`), and the chosen ``cv.alpha_``
    (per ``cv.rule``) circled on the curve. Grid points with α = 0 are not drawn (log axis).

    Parameters
    ----------
    cv : fitted RidgeCV
        Uses ``cv_results_["alphas"]`` (m,), ``["mean_error"]`` and ``["se_error"]`` ((m,) or
        (m, k)), ``alpha_``, ``rule``, ``cv`` and ``scoring`` (for the y label), and
        ``cv_results_["df"]`` when present (a top axis labelled with df, as for leave-one-out).
    ax : matplotlib Axes, default=None
        Axes to draw into; None makes a new figure with ``pyplot.subplots()``.
    target : int, default=None
        For errors of shape (m, k): None draws the mean over the targets (of both the error and
        its standard error — the latter an upper bound of the standard error of the mean, not
        the exact value), an int draws that target's curve and marks its ``alpha_`` entry when
        α was chosen per target.

    Returns
    -------
    ax : matplotlib Axes
        ``ax.containers[0]`` is the error-bar container; its data line's y-data are the mean
        errors drawn.
    """
    _require_matplotlib()
    # the per-α summary; with store_cv_results=True, cv_results_ holds scikit-learn's per-row
    # values instead and the summary is in cv_summary_
    res = getattr(cv, "cv_summary_", None)
    if res is None:
        res = getattr(cv, "cv_results_", None)
    if res is None:
        raise ValueError("plot_cv needs a fitted RidgeCV (cv_results_ is missing); call fit "
                         "first.")
    alphas = np.asarray(res["alphas"], dtype=np.float64)
    mean = np.asarray(res["mean_error"], dtype=np.float64)
    se = np.asarray(res["se_error"], dtype=np.float64)
    chosen = np.atleast_1d(np.asarray(getattr(cv, "alpha_", np.nan), dtype=np.float64))
    if mean.ndim == 2:
        if target is None:
            mean, se = mean.mean(axis=1), se.mean(axis=1)
        else:
            mean, se = _pick_target(mean, target, "CV errors"), _pick_target(se, target, "")
            if chosen.size > 1:
                chosen = chosen[[int(target)]]
    elif target not in (None, 0):
        raise ValueError(f"target must be None or 0 for single-target CV errors, got "
                         f"{target!r}.")
    if mean.shape != alphas.shape or se.shape != alphas.shape:
        raise ValueError(f"cv_results_ has alphas of shape {alphas.shape} but errors of shape "
                         f"{mean.shape}.")
    # The choices use the whole curve; the log axis shows the points with α > 0 only.
    a_min, a_1se = cv_choices(alphas, mean, se)
    keep = (alphas > 0) & np.isfinite(mean)
    if not np.any(keep):
        raise ValueError("plot_cv needs positive alphas with finite errors (log scale).")
    alphas, mean, se = alphas[keep], mean[keep], se[keep]

    if ax is None:
        ax = _new_axes()
    has_se = bool(np.any(np.isfinite(se)))  # LOO with a scoring callable has none
    ax.errorbar(alphas, mean, yerr=np.where(np.isfinite(se), se, 0.0) if has_se else None,
                fmt="o", markersize=3.5, color="tab:red", ecolor="0.6", elinewidth=1.0,
                capsize=2.0, label="mean error ± 1 SE" if has_se else "mean error")
    for a, style, what in ((a_min, ":", "minimum"), (a_1se, "-.", "1-SE")):
        if a > 0:  # α = 0 has no place on the log axis
            ax.axvline(a, color="0.25", linestyle=style, linewidth=1.2 if style == ":" else 1.0,
                       label=fr"{what}: $\alpha$ = {a:.4g}")
    rule = getattr(cv, "rule", "min")
    for i, a in enumerate(chosen):
        if not (np.isfinite(a) and a > 0):
            continue
        y = _interp_log_alpha(alphas, mean, a)
        what = f"chosen (rule={rule!r})" if chosen.size == 1 else f"chosen, target {i}"
        ax.plot([a], [y], linestyle="none", marker="o", markersize=11, markerfacecolor="none",
                markeredgecolor="tab:blue", markeredgewidth=1.8,
                label=fr"{what}: $\alpha$ = {a:.4g}")
    _set_alpha_axis(ax)
    df = res.get("df") if hasattr(res, "get") else None
    if df is not None and np.ndim(df) == 1 and np.size(df) == keep.size:
        _top_df_axis(ax, alphas, np.asarray(df, dtype=np.float64)[keep])
    folds = getattr(cv, "cv", None)
    scoring = getattr(cv, "scoring", None)
    from fastridge._engine.selection import is_closed_form, is_gcv

    loo = is_closed_form(folds)
    if is_gcv(folds):
        how = "Generalized cross-validation"
    elif loo:
        how = "Leave-one-out"
    elif isinstance(folds, (int, np.integer)):
        how = f"{int(folds)}-fold CV"
    elif isinstance(getattr(folds, "n_splits", None), (int, np.integer)):
        how = f"{int(folds.n_splits)}-fold CV"  # a splitter such as scikit-learn's KFold
    else:
        how = "Cross-validated"
    from fastridge._scoring import resolve_scoring

    what = {"mse": "mean squared error", "r2": "minus R²"}.get(
        resolve_scoring(scoring, loo=loo).kind, "error (minus the score)")
    ax.set_ylabel(f"{how} {what}")
    ax.legend(fontsize=8, loc="best")
    return ax
