"""The solver registry: every solver works on a `Problem` in fit coordinates (see
`fastridge._preprocessing`) and returns a `SolveResult`.

A solver is one module of this package with a `SPEC`
(:class:`~fastridge._solvers.common.SolverSpec`: the problem forms it works on, the options it
honours) and ``solve(pr, alphas, v, *, positive, tol, max_iter, B0)`` (those whose SPEC has
`limits` also take ``limits=(lower, upper)``, raw-scale box limits); iterative ones also
``state(pr, v, *, positive)`` for warm-started paths.
Adding a solver means its module and one line in :data:`SOLVERS`; which solver "auto" takes is
the policy's (`fastridge._policy`), not the registry's.
"""
from fastridge import _policy
from fastridge._solvers import cd, cg, cholesky, svd
from fastridge._solvers.common import DEFAULT_MAX_ITER, iteration_cap, unit_scale

SOLVERS = {m.SPEC.name: m for m in (cd, cg, cholesky, svd)}

__all__ = ["SOLVERS", "DEFAULT_MAX_ITER", "check_options", "iteration_cap", "path_state",
           "solve", "spec", "unit_scale"]


def spec(name):
    """The `SolverSpec` of a registered solver."""
    return SOLVERS[name].SPEC


def _module(pr, solver, positive, limits=None):
    """The solver's module, "auto" resolved by the policy; a ValueError for an option or a
    form the solver cannot take."""
    kind = pr.form
    if solver == "auto":
        solver = _policy.form_solver(kind, positive=positive, limits=limits is not None)
    mod = SOLVERS[solver]
    if kind not in mod.SPEC.forms:
        raise ValueError(f"solver={solver!r} needs the {pr.p} x {pr.p} Gram matrix or the rows "
                         f"in memory; for this data (rows elsewhere, the Gram too large) use "
                         f"solver='cg'.")
    check_options(solver, positive=positive, limits=limits is not None)
    return mod


def check_options(solver, *, positive=False, limits=False):
    """ValueError naming `solver` (a registered name, or "eigen") when it does not honour
    ``positive=True`` or box limits; "auto" always does (the policy then takes CD)."""
    if solver == "auto":
        return
    spec_ = SOLVERS[solver].SPEC if solver in SOLVERS else None
    if positive and not (spec_ and spec_.positive):
        raise ValueError(f"positive=True needs solver='cd' (or 'auto'); solver={solver!r} "
                         f"does not honour it.")
    if limits and not (spec_ and spec_.limits):
        raise ValueError(f"lower_limits/upper_limits need solver='cd' (or 'auto'); "
                         f"solver={solver!r} does not honour them.")


def solve(pr, alphas, v, solver, *, positive=False, limits=None, tol=1e-6, max_iter=None,
          B0=None):
    """Solve the problem at each target's α with `solver` ("auto": the policy's choice for the
    problem's form).  B0: fit-coordinate start (k, p) for the solvers that take one; `limits`:
    None or raw-scale (lower, upper) box limits (only for solvers whose SPEC has `limits`)."""
    mod = _module(pr, solver, positive, limits)
    if not mod.SPEC.warm_start:
        B0 = None
    kw = {} if limits is None else {"limits": limits}
    return mod.solve(pr, alphas, v, positive=positive, tol=tol, max_iter=max_iter, B0=B0, **kw)


def path_state(pr, v, solver, limits=None):
    """The state a path over α carries: `start_from(B, α)` (iterative solvers: a warm start)
    and `solve(alphas, tol, max_iter)` → `SolveResult`; within the raw-scale box `limits`
    when given (solvers whose SPEC has `limits`)."""
    mod = _module(pr, solver, False, limits)
    return mod.state(pr, v) if limits is None else mod.state(pr, v, limits=limits)
