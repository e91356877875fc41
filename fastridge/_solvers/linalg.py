"""LAPACK's Cholesky, called directly (the wrappers' checks cost more than small
factorizations), with the equilibration and singularity test every direct solver uses."""
import numpy as np

_LAPACK: list = []


def _lapack():
    """(dpotrf, dpotrs), imported once (an import statement per call costs a microsecond or
    two, which shows on small fits)."""
    if not _LAPACK:
        from scipy.linalg.lapack import dpotrf, dpotrs

        _LAPACK.extend((dpotrf, dpotrs))
    return _LAPACK


_POSV: list = []


def _posv():
    """LAPACK's dposv (Cholesky factorization and solve in one call), imported once."""
    if not _POSV:
        from scipy.linalg.lapack import dposv

        _POSV.append(dposv)
    return _POSV[0]


def reliable_cho(A, eps=np.finfo(np.float64).eps, *, overwrite=False):
    """Cholesky factorization of A (float64, p × p) after symmetric diagonal scaling, as the
    pair (upper factor of S A S, S) with S = diag(A)^{-1/2}; LinAlgError when A is not safely
    positive definite.  The scaling makes the test independent of the columns' units (a column
    a million times larger than another does not make A ill-conditioned, only badly scaled):
    the squared ratio of the factor's smallest to largest diagonal entry bounds 1/cond(S A S)
    from above, so a ratio near the rounding level `eps` of the data that formed A flags a
    (numerically) singular matrix.
    LAPACK is called directly (`potrf`): on small problems the wrappers' checks would cost more
    than the factorization.  `overwrite`: A is the caller's to destroy (no copy of it is made)."""
    dpotrf, _ = _lapack()
    d = A.diagonal()
    active = d > 0
    all_active = bool(active.all())
    # zero rows/columns (columns with coefficient 0) get scale 1 and a unit diagonal: they are
    # kept out of the test
    scale = 1.0 / np.sqrt(d) if all_active else \
        np.where(active, 1.0 / np.sqrt(np.where(active, d, 1.0)), 1.0)
    if overwrite:
        A *= scale[:, None]
    else:
        A = A * scale[:, None]
    A *= scale[None, :]
    if not all_active:
        A.flat[:: A.shape[0] + 1] = np.where(active, A.diagonal(), 1.0)
    c, info = dpotrf(A, lower=0, clean=0, overwrite_a=1)
    if info != 0:
        raise lin_alg_error("not positive definite")
    dg = np.abs(c.diagonal())
    if not all_active:
        dg = dg[active]
    if factor_singular(dg, A.shape[0], eps):
        raise lin_alg_error("ill-conditioned")
    return c, scale


def factor_singular(dg, size, eps=np.finfo(np.float64).eps):
    """Whether a Cholesky factor of a unit-diagonal (scaled) matrix with diagonal `dg` marks it
    numerically singular: the squared ratio of its smallest to largest entry bounds
    1/cond from above."""
    return bool(dg.size) and (dg.min() / dg.max()) ** 2 < 100 * size * eps


def scaled_posv(A, b):
    """`cho_solve(reliable_cho(A), b)` in one LAPACK call for A (float64, p × p, owned by the
    caller and overwritten) with a positive diagonal and b (p,): the same diagonal scaling and
    the same singularity test; None when A is not safely positive definite.  For the small-fit
    path, where the two wrapped calls cost more than the arithmetic."""
    scale = 1.0 / np.sqrt(A.diagonal())
    A *= scale[:, None]
    A *= scale
    factor, x, info = _posv()(A, (b * scale)[:, None], lower=0, overwrite_a=1, overwrite_b=1)
    if info != 0 or factor_singular(np.abs(factor.diagonal()), A.shape[0]):
        return None
    return x[:, 0] * scale


def cho_solve(factor, B):
    """Solve A X = B with `factor` = `reliable_cho(A)`."""
    _, dpotrs = _lapack()
    c, scale = factor
    x, info = dpotrs(c, B * scale[:, None], lower=0)
    return x * scale[:, None]


def lin_alg_error(msg):
    from scipy.linalg import LinAlgError

    return LinAlgError(msg)
