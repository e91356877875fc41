"""RidgeCV's chosen α off the ends of its grid: extension past an end, continuous refinement,
and the warnings that say when the optimum stays at an end.

The rules (RidgeCV's docstring and README's "Choosing α" state them for users):

- The *minimum* of an error curve sits at an end of a descending grid when the lowest mean error
  is at the grid's largest α (``"top"``) or smallest α (``"bottom"``) and is strictly below its
  neighbour's (a flat curve, such as that of a constant y, is not at an end).
- Default grid, leave-one-out (and generalized cross-validation, the same way): the grid is
  extended past that end, `LOO_CHUNK` points at a time with the grid's own log spacing, until
  the minimum is interior, or the effective degrees of freedom show there is nothing more to
  find: df ≤ `DF_ZERO` at the top (the intercept-only
  model) or rank − df ≤ `DF_RANK_GAP` at the bottom (the least-squares fit); then
  :class:`~fastridge.exceptions.AlphaGridWarning` names the numbers.  With ``rule="min"`` α is
  then refined continuously: Brent's method on log α between the neighbours of the best grid
  point (:func:`refine`).
- Default grid, k-fold: the path is extended at that end by at most `KFOLD_EXTENSIONS` steps,
  each of as many points of the grid's log spacing as fit in a factor `KFOLD_FACTOR` in α (at
  most a factor 1000 in all); a minimum still at the end then warns.
- A user-given grid is never changed: a minimum at its end warns.
"""
import numpy as np

from fastridge.exceptions import AlphaGridWarning, warn_from_user_code

LOO_CHUNK = 20           # points added per leave-one-out extension step
LOO_MAX_POINTS = 4000    # safety cap on the points a leave-one-out extension adds
DF_ZERO = 1e-3           # top end: df at most this is the intercept-only model
DF_RANK_GAP = 1e-3       # bottom end: rank − df at most this is the least-squares fit
KFOLD_EXTENSIONS = 3     # k-fold: extensions at one end, at most
KFOLD_FACTOR = 10.0      # the span in α of one k-fold extension
TINY_ALPHA = 1e-300      # no extension below this α
# log spacing for a grid of one point: that of glmnet's default grid (100 values over 1e4)
DEFAULT_LOG_STEP = np.log(1e4) / 99


def log_step(desc):
    """The mean spacing in log α of a descending grid of positive values."""
    pos = desc[desc > 0]
    if pos.size < 2:
        return DEFAULT_LOG_STEP
    return float(np.log(pos[0] / pos[-1]) / (pos.size - 1))


def _end_of(col):
    """The end ("top", "bottom") of a descending grid where the column `col` has its minimum
    strictly below its neighbour's, else None; NaN errors are ignored."""
    finite = np.isfinite(col)
    if col.size < 2 or not finite.any():
        return None
    i = int(np.argmin(np.where(finite, col, np.inf)))
    if i == 0 and col[0] < col[1]:
        return "top"
    if i == col.size - 1 and col[-1] < col[-2]:
        return "bottom"
    return None


def ends_of_minimum(mean):
    """The ends ("top", "bottom") of a descending grid at which some column of `mean` (m, K)
    has its minimum strictly below its neighbour's; NaN errors are ignored."""
    return {_end_of(mean[:, t]) for t in range(mean.shape[1])} - {None}


def _edge_target(mean, end):
    """The first column of `mean` whose minimum is at `end` (the one a warning quotes), else 0."""
    return next((t for t in range(mean.shape[1]) if _end_of(mean[:, t]) == end), 0)


def _past(desc, end, count, step):
    """`count` new α past `end` of the descending grid, with log spacing `step`, descending."""
    j = np.arange(1, count + 1)
    if end == "top":
        return desc[0] * np.exp(step * j[::-1])
    return desc[-1] * np.exp(-step * j)


def _join(end, old, new):
    return np.concatenate([new, old] if end == "top" else [old, new])


def extend_loo(curve, desc, mean, se, df, rank):
    """Extend a default grid for leave-one-out until the minimum is interior (see the module
    docstring).  `curve(alphas)` gives (mean, se, df) for further α; `rank` is the number of
    positive squared singular values (df's limit at α = 0).  Returns the extended (desc, mean,
    se, df) and a dict {end: (α at that end, df there)} of the ends where the minimum stayed
    because df reached its limit."""
    step = log_step(desc)
    stuck = {}
    added = 0
    while added < LOO_MAX_POINTS:
        ends = ends_of_minimum(mean) - set(stuck)
        if not ends:
            break
        for end in sorted(ends):
            edge = 0 if end == "top" else -1
            a, d = float(desc[edge]), float(df[edge])
            if (end == "top" and d <= DF_ZERO) or (
                    end == "bottom" and (rank - d <= DF_RANK_GAP or a <= TINY_ALPHA)):
                stuck[end] = (a, d)
                continue
            new = _past(desc, end, LOO_CHUNK, step)
            if end == "bottom":
                new = new[new > TINY_ALPHA]
            if new.size == 0 or not np.all(np.isfinite(new)):
                stuck[end] = (a, d)
                continue
            m_new, s_new, d_new = curve(new)
            desc, df = _join(end, desc, new), _join(end, df, d_new)
            mean, se = _join(end, mean, m_new), _join(end, se, s_new)
            added += new.size
    for end in ends_of_minimum(mean) - set(stuck):  # LOO_MAX_POINTS reached
        edge = 0 if end == "top" else -1
        stuck[end] = (float(desc[edge]), float(df[edge]))
    return desc, mean, se, df, stuck


def extend_kfold(curve, desc, mean, se):
    """Extend a default grid for k-fold at the end where the minimum sits, at most
    `KFOLD_EXTENSIONS` times by (at most) a factor `KFOLD_FACTOR` in α.  `curve(alphas)` gives
    (mean, se) for further α (one warm-started path per fold).  Returns the extended (desc, mean,
    se)."""
    step = log_step(desc)
    points = max(1, int(np.floor(np.log(KFOLD_FACTOR) / step + 1e-9)))
    tries = {"top": 0, "bottom": 0}
    while True:
        ends = [e for e in sorted(ends_of_minimum(mean)) if tries[e] < KFOLD_EXTENSIONS]
        if not ends:
            return desc, mean, se
        for end in ends:
            tries[end] += 1
            new = _past(desc, end, points, step)
            new = new[np.isfinite(new) & (new > TINY_ALPHA)]
            if new.size == 0:
                tries[end] = KFOLD_EXTENSIONS
                continue
            m_new, s_new = curve(new)
            desc = _join(end, desc, new)
            mean, se = _join(end, mean, m_new), _join(end, se, s_new)


def refine(curve, desc, mean, index):
    """The α minimizing the scalar error curve `curve(alpha)` between the neighbours of grid
    point `index` (Brent's method on log α, scipy's bounded ``minimize_scalar``), and its
    error; the grid point itself when nothing lower is found (or it is α = 0)."""
    from scipy.optimize import minimize_scalar

    a0, e0 = float(desc[index]), float(mean[index])
    lo = float(desc[min(index + 1, desc.size - 1)])
    hi = float(desc[max(index - 1, 0)])
    if not (a0 > 0 and lo > 0 and hi > lo and np.isfinite(e0)):
        return a0, e0
    res = minimize_scalar(lambda t: curve(float(np.exp(t))), bounds=(np.log(lo), np.log(hi)),
                          method="bounded", options={"xatol": 1e-4})
    if np.isfinite(res.fun) and res.fun < e0:
        return float(np.exp(res.x)), float(res.fun)
    return a0, e0


def refine_choice(curve, grid, mean, alpha, score):
    """A choice (`alpha`, `score`: scalars, or (k,) with one α per target) on `grid` moved to
    the minimum of the exact criterion between the neighbours of each target's grid point
    (:func:`refine`); `curve(alphas)` gives the criterion as ``(mean (m, k), ...)``, `mean`
    (m, k) its values on `grid`.  Returns the refined (alpha, score), laid out as given."""
    per = np.ndim(alpha) == 1
    alphas = np.atleast_1d(np.asarray(alpha, dtype=np.float64)).copy()
    scores = np.atleast_1d(np.asarray(score, dtype=np.float64)).copy()
    for t in range(alphas.size):
        i = int(np.flatnonzero(grid == alphas[t])[0])

        def error(a, t=t):
            return float(curve(np.array([a]))[0][0, t])

        alphas[t], err = refine(error, grid, mean[:, t], i)
        scores[t] = -err
    return (alphas if per else float(alphas[0])), (scores if per else float(scores[0]))


def _fmt(x):
    return f"{x:.4g}"


def _edge_numbers(desc, mean, end):
    """(α at the end, error there, α next to it, its error, which) for the first target whose
    minimum is at that end; `which` is " for target t" with several targets, else ""."""
    i, j = (0, 1) if end == "top" else (-1, -2)
    t = _edge_target(mean, end)
    which = f" for target {t}" if mean.shape[1] > 1 else ""
    return float(desc[i]), float(mean[i, t]), float(desc[j]), float(mean[j, t]), which


def warn_loo_limits(stuck, rank, desc, mean, score=False, criterion="leave-one-out",
                    estimator="RidgeCV", null_model="the intercept-only model"):
    """AlphaGridWarning for each end where the minimum of the `criterion` curve (leave-one-out
    or generalized cross-validation) stayed (df at its limit); `estimator` names the caller and
    `null_model` the fit at df = 0."""
    for end, (a, d) in sorted(stuck.items()):
        a_end, e_end, a_next, e_next, which = _edge_numbers(desc, mean, end)
        reason = "df_limit"
        if end == "top" and d <= DF_ZERO:
            what = (f"its largest alpha = {_fmt(a)}, where the effective degrees of freedom "
                    f"df = {d:.3g} are ~0: {null_model} predicts as well as any "
                    f"ridge fit")
        elif end == "bottom" and rank - d <= DF_RANK_GAP:
            what = (f"its smallest alpha = {_fmt(a)}, where df = {_fmt(d)} has reached the "
                    f"rank {rank}: the least-squares fit is not improved by shrinkage")
        else:
            what = (f"its {'largest' if end == 'top' else 'smallest'} alpha = {_fmt(a)} "
                    f"(df = {_fmt(d)}, rank {rank}), where the extension stopped at its limit "
                    f"({LOO_MAX_POINTS} points or alpha {TINY_ALPHA:.0e})")
            reason = "loo_limit"
        name, best, s = _measure(score)
        message = (f"{estimator}: the {criterion} {name} is {best} at the end of the extended "
                   f"grid (alpha from {_fmt(desc[-1])} to {_fmt(desc[0])}), at {what} "
                   f"({name}{which} {_fmt(s * e_end)} there, {_fmt(s * e_next)} at alpha = "
                   f"{_fmt(a_next)}).")
        _warn(message, end, a, (float(desc[-1]), float(desc[0])), (e_end, e_next), reason)


def _measure(score):
    """How a warning names the curve: (what, its best, the sign that turns `mean` into it);
    `mean` is an error (lower is better), minus the score when the criterion is a score."""
    return ("score", "largest", -1.0) if score else ("error", "smallest", 1.0)


def warn_at_end(desc, mean, *, user, how, reason="kfold_limit", score=False,
                estimator="RidgeCV"):
    """AlphaGridWarning when the minimum of the error curve sits at an end of the grid that
    was not (user grid) or no further (k-fold limit) extended; `how` says how a default grid
    was extended (or why not); `estimator` names the caller."""
    for end in sorted(ends_of_minimum(mean)):
        a_end, e_end, a_next, e_next, which = _edge_numbers(desc, mean, end)
        side = "largest" if end == "top" else "smallest"
        name, best, s = _measure(score)
        where = (f"the {side} alpha of the grid, alpha = {_fmt(a_end)} ({name}{which} "
                 f"{_fmt(s * e_end)}; {_fmt(s * e_next)} at alpha = {_fmt(a_next)}), tried alpha "
                 f"from {_fmt(desc[-1])} to {_fmt(desc[0])}")
        if user:
            fix = (f"Pass a grid extending {'above' if end == 'top' else 'below'} "
                   f"{_fmt(a_end)}, e.g. alphas=np.geomspace({_fmt(desc[0] * 1e3)}, "
                   f"{_fmt(desc[-1] * 1e-3)}, 100) — or alphas=None, whose default grid "
                   f"extends itself.")
            reason = "user_grid"
        else:
            fix = (f"The default grid was {how}; pass a wider grid (alphas=...)"
                   + ("" if reason != "kfold_limit" else " or use cv=None (leave-one-out), "
                      "which extends until the minimum is interior") + ".")
        _warn(f"{estimator}: the cross-validation {name} is {best} at {where}. {fix}", end,
              a_end, (float(desc[-1]), float(desc[0])), (e_end, e_next), reason)


def _warn(message, end, alpha, alpha_range, errors, reason):
    warn_from_user_code(AlphaGridWarning(message, end=end, alpha=alpha, alpha_range=alpha_range,
                                         errors=errors, reason=reason))
