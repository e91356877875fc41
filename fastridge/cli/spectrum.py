"""Effective degrees of freedom of a ridge fit, from the spectrum of its design.

``df(alpha) = sum_j d_j^2 / (d_j^2 + alpha)``, ``d`` the singular values of the design as the fit
sees it; shared by the main job (:mod:`fastridge.cli.esl`) and the ``fit`` command
(:mod:`fastridge.cli.fit`). numpy is imported inside the functions.
"""
from __future__ import annotations

__all__ = ["design_spectrum", "effective_df"]


def design_spectrum(X, standardize):
    """d², d the nonzero singular values of X as a ridge fit with an intercept sees it: centred,
    and divided by each column's population SD when ``standardize`` (columns of zero spread, which
    such a fit leaves at 0, are dropped)."""
    import numpy as np

    Xc = X - X.mean(axis=0)
    if standardize:
        sd = Xc.std(axis=0)
        Xc = Xc[:, sd > 0] / sd[sd > 0]
    d = np.linalg.svd(Xc, compute_uv=False)
    if d.size:  # numerically zero singular values (numpy's matrix_rank rule) count for nothing
        d = d[d > d[0] * max(Xc.shape) * np.finfo(np.float64).eps]
    return d**2


def effective_df(d2, alpha):
    """Effective degrees of freedom Σ d²/(d² + α)."""
    import numpy as np

    return float(np.sum(d2 / (d2 + alpha)))
