"""The fit engine: solve a prepared `Problem` at given α with a registered solver, warn when an
iterative solver stopped short, and map the solution back to the raw scale.

Every estimator's single fit goes through :func:`fit` (whatever the backend made the problem
from: rows, statistics or an operator), and its result is stored by the one attribute setter,
`fastridge._base.set_linear_fit`.
"""
from typing import NamedTuple

import numpy as np

from fastridge import _preprocessing as P, _solvers as S, _validation as V
from fastridge.exceptions import ConvergenceWarning, warn


class LinearFit(NamedTuple):
    """Raw-scale coefficients `coef` (k, p) and `intercept` (k,), float64; `n_iter` (k,)
    (direct solvers: 1, one factorization); the `solver` that ran."""

    coef: np.ndarray
    intercept: np.ndarray
    n_iter: np.ndarray
    solver: str | None


def fit(pr, alphas, v, solver, *, positive=False, limits=None, tol=1e-6, max_iter=None, B0=None,
        dtype=np.float64, asked=None, cold=True, label="Ridge"):
    """Solve `pr` at `alphas` (k,) and return a :class:`LinearFit`.

    `B0`: raw-scale coefficients (k, p) to start from (warm start; ignored by direct solvers);
    `asked`: the solver name the user gave (for the warning's words); `dtype`: the data's,
    whose range the coefficients must stay within; `cold`: no start was given (a cold fit
    counts at least one iteration, the gradient at 0); `limits`: None or raw-scale box limits
    (lower, upper) on the coefficients (the solver works on them divided by the column
    scales; see `P.to_raw`)."""
    start = None if B0 is None else P.from_raw(pr, B0)
    res = S.solve(pr, alphas, v, solver, positive=positive, limits=limits, tol=tol,
                  max_iter=max_iter, B0=start)
    warn_not_converged(res, tol, max_iter, asked, label)
    coef, intercept = P.to_raw(pr, res.coef, limits)
    if res.intercept is not None:  # a solver that refined the intercept itself (svd)
        intercept = res.intercept
    V.check_output_range(dtype, coef, intercept)
    n_iter = res.n_iter
    if n_iter is None:
        # a direct solver: one factorization (API.md), so that scikit-learn's n_iter_
        # check holds for every solver
        n_iter = np.ones(pr.k, dtype=np.int64)
    elif cold and B0 is None:
        n_iter = np.maximum(n_iter, 1)
    return LinearFit(coef, intercept, n_iter, res.solver)


def warn_not_converged(res, tol, max_iter, asked, label):
    """One ConvergenceWarning naming the targets where an iterative solver stopped short."""
    short = res.short()
    if not short.size:
        return
    detail = ", ".join(
        f"target {t}: gradient norm (columns at unit scale) {res.measure[t]:.3g} > "
        f"{res.tol_abs[t]:.3g}" for t in short[:5])
    cap = S.iteration_cap(res.solver, max_iter)
    ran = int(res.n_iter[short].max())
    # CG also stops early when its recursion breaks down (precision exhausted)
    where = f"at max_iter={cap}" if ran >= cap else \
        f"after {ran} iterations (breakdown: the problem is too ill-conditioned)"
    asked = asked if asked in V.SOLVER_ALIASES else res.solver
    alias = "" if asked == res.solver else f" (run as fastridge's solver={res.solver!r})"
    warn(ConvergenceWarning,
         f"{label}: {asked} solver did not converge{alias}: solver={res.solver!r} stopped "
         f"{where} before reaching tol={tol} ({detail}). Increase max_iter, loosen tol, or use "
         f"solver='cholesky'/'svd' for an exact solution.", stacklevel=None)
