"""Parameter text that several public docstrings share, kept here once.

`fill` replaces each line holding only a marker ``%(name)s`` in an object's docstring by the
entry `name` of `SHARED`, indented as the marker was.  Sphinx, numpydoc's validation and
``help()`` read the filled ``__doc__``.
"""
from typing import TypeVar

T = TypeVar("T")

SHARED = {
    # Ridge, RidgeCV, RidgeEM and ridge_path; each goes on with what the transform keeps there
    "penalty_matrix": """\
Generalized ridge: a symmetric positive semidefinite Ω replacing the diagonal penalty,
so that each target minimizes ``Σᵢ wᵢ (yᵢ − xᵢᵀβ − β_int)² + α (β − β₀)ᵀ Ω (β − β₀)``
(β₀ = `coef_prior`, the intercept β_int never penalized). Directions in Ω's null space
are not penalized (e.g. the polynomials of a :func:`fastridge.difference_penalty`).
Fitted as ordinary ridge in Ω's standard form β = Tγ + β₀ (``fastridge._generalized``),
which keeps the hat matrix.""",
    # Ridge, RidgeCV and ridge_path (RidgeEM has no penalty factors)
    "penalty_matrix_limits": """\
Not with `penalty_factor` (a diagonal Ω is one) nor ``standardize=True`` (Ω applies to the
coefficients of X as given); sparse X is multiplied into the dense n × p array X T; Dask
arrays are refused.""",
    "penalty_root": """\
penalty_root : array-like of shape (n_rows, n_features), default=None
    A factor L of the penalty, Ω = LᵀL (as ``difference_penalty(p)``, mgcv's and the
    P-spline literature's D); exclusive with `penalty_matrix`.""",
    # Ridge, RidgeCV and ridge_path (RidgeEM's has no penalty factors)
    "coef_prior": """\
coef_prior : array-like of shape (n_features,) or (n_targets, n_features), default=None
    The prior mean β₀ the coefficients are shrunk towards instead of 0 (one per target,
    or one for all); with `penalty_matrix` or alone (then also with `penalty_factor`,
    `standardize` and sparse X, which stays sparse: the fit is made on y − Xβ₀).""",
}


def fill(obj: T) -> T:
    """`obj` with the markers of its docstring replaced (see the module docstring)."""
    doc = obj.__doc__
    if doc and "%(" in doc:
        lines: list[str] = []
        for line in doc.split("\n"):
            body = line.strip()
            if body.startswith("%(") and body.endswith(")s") and body[2:-2] in SHARED:
                pad = line[:len(line) - len(line.lstrip())]
                lines.extend(pad + t if t else t for t in SHARED[body[2:-2]].split("\n"))
            else:
                lines.append(line)
        obj.__doc__ = "\n".join(lines)
    return obj
