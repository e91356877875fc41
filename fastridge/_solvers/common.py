"""What every solver shares: iteration limits, targets grouped by α, and the stopping rule's
unit-scale coordinates."""
from typing import NamedTuple

import numpy as np


class SolverSpec(NamedTuple):
    """What a solver declares to the registry (`fastridge._solvers`).

    `forms`: the problem forms it works on — "rows" (X in memory), "stats" (the Gram from
    sufficient statistics), "operator" (only products with ZᵀWZ, rows elsewhere);
    `positive`: honours ``positive=True``; `limits`: honours box limits on the coefficients
    (``lower_limits``/``upper_limits``); `alpha_zero`: exact at α = 0 (the minimum-norm
    least-squares solution) on any rank; `warm_start`: starts from given coefficients (and keeps
    a state along a path); `iterative`: stops on a tolerance (reports `measure`/`tol_abs`)."""

    name: str
    forms: frozenset
    positive: bool
    alpha_zero: bool
    warm_start: bool
    iterative: bool
    limits: bool = False


DEFAULT_MAX_ITER = {"cd": 1000, "cg": 1000}

# the kernels count iterations in a C int: a larger max_iter means "no limit" in practice
MAX_ITER_CAP = 2**31 - 1


def iteration_cap(solver, max_iter):
    """The iteration limit a kernel runs with: the default for None, at most MAX_ITER_CAP."""
    return DEFAULT_MAX_ITER[solver] if max_iter is None else min(int(max_iter), MAX_ITER_CAP)


def alpha_groups(alphas):
    """Targets grouped by identical α (one factorization per group)."""
    out = {}
    for t, a in enumerate(alphas):
        out.setdefault(float(a), []).append(t)
    return out.items()


def unit_scale(h, v, alpha):
    """jwⱼ = 1/√(hⱼ + α vⱼ) (0 where that is not positive: such a column cannot move).

    The one stopping rule of the iterative solvers: ‖jw ∘ g(b)‖ ≤ tol · ‖jw ∘ g(0)‖, the
    gradient g = ZᵀW(y_c − Zb) − αVb measured in the coordinates where every column has unit
    scale (Jacobi-scaled, as CG's preconditioner sees it).  Unscaled, the norm would be
    dominated by the largest-scale column, and coordinates of columns far smaller (1e-150 next
    to 1e150, O(1) next to 2⁶⁴) would never be resolved; with columns of equal scale the two
    tests are the same.  Broadcasts (h, v per column, α per target)."""
    D = np.asarray(h, dtype=np.float64) + alpha * np.asarray(v, dtype=np.float64)
    pos = D > 0
    return np.where(pos, 1.0 / np.sqrt(np.where(pos, D, 1.0)), 0.0)
