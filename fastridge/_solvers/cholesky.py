"""The Cholesky solver: the Gram (n ≥ p) or kernel (p > n) system formed once, one
factorization per distinct α shared by the targets with that α."""
import numpy as np

from fastridge._design import gram, kernel, zt
from fastridge._preprocessing import SolveResult
from fastridge._solvers.common import SolverSpec, alpha_groups
from fastridge._solvers.linalg import cho_solve, lin_alg_error, reliable_cho
from fastridge._solvers.svd import pinv_solve, solve_svd

SPEC = SolverSpec("cholesky", frozenset({"rows", "stats"}), positive=False, alpha_zero=True,
                  warm_start=False, iterative=False)


class CholeskyState:
    """The Gram (n ≥ p, or some vⱼ = 0) or kernel (p > n) system, formed once; `solve` factors
    G + αV or K + αI once per distinct α and shares it among the targets with that α."""

    def __init__(self, pr, v, *, allow_kernel=True):
        self.pr, self.v = pr, v
        self.kernel = allow_kernel and pr.X is not None and pr.p > pr.n and \
            bool(np.all(v > 0))
        if self.kernel:
            self.e = pr.d / np.sqrt(v)
            self.K = kernel(pr, self.e)
            rhs = pr.Yc.astype(np.float64)
            self.rhs = rhs * pr.sqw[:, None] if pr.sqw is not None else rhs
        else:
            G, C = gram(pr)
            self.G, self.C = G.astype(np.float64), C.astype(np.float64)

    def solve(self, alphas, *, consume=False):
        """B (k, p); raises scipy's LinAlgError when a matrix is numerically singular.
        `consume`: the last α's factorization may overwrite the kernel (a one-shot fit: no copy
        of the n × n matrix)."""
        pr, v = self.pr, self.v
        B = np.zeros((pr.k, pr.p))
        groups = list(alpha_groups(alphas))
        for g, (a, ts) in enumerate(groups):
            # at α = 0 the test decides the rank, relative to the data's precision (float32
            # data determine nothing below about 1e-7; their Gram is formed in float32)
            eps = np.finfo(pr.dtype if a == 0 else np.float64).eps
            if self.kernel and a > 0:
                last = consume and g == len(groups) - 1
                Ka = self.K if last else self.K.copy()
                Ka.flat[:: pr.n + 1] += a
                A = cho_solve(reliable_cho(Ka, eps, overwrite=True), self.rhs[:, ts])
                B[ts] = (zt(pr, self.e, A) / np.sqrt(v)[:, None]).T
            elif self.kernel:
                raise lin_alg_error("α = 0 in the kernel form")
            else:
                Ga = self.G + np.diag(a * v)
                B[ts] = cho_solve(reliable_cho(Ga, eps, overwrite=True), self.C[:, ts]).T
        return B


def solve_cholesky(pr, alphas, v):
    """Cholesky of G + αV (n ≥ p or some vⱼ = 0), or of K + αI in the kernel form (p > n).

    Targets sharing an α share one factorization; with many distinct α
    (`_policy.eigen_for_alphas`) one eigendecomposition serves them all.  A matrix that is
    not numerically positive definite (α = 0 with dependent columns) falls back to
    `solve_svd`.
    """
    from scipy.linalg import LinAlgError

    from fastridge import _policy, _spectral

    if _policy.eigen_for_alphas(pr, v, alphas):
        return SolveResult(_spectral.spectrum(pr, v).coef(alphas), None, "eigen")
    try:
        B = CholeskyState(pr, v, allow_kernel=bool(np.all(alphas > 0))).solve(alphas,
                                                                               consume=True)
    except LinAlgError:
        return solve_svd(pr, alphas, v)
    return SolveResult(B, None, "cholesky")


def solve_statistics(pr, alphas, v):
    """Cholesky of G + αV from a statistics-only Problem; the minimum-norm solution from the
    eigendecomposition where the system is singular (without the rows there is no SVD of Z)."""
    from scipy.linalg import LinAlgError

    B = np.zeros((pr.k, pr.p))
    state = CholeskyState(pr, v, allow_kernel=False)
    for a, ts in alpha_groups(alphas):
        try:
            B[ts] = cho_solve(reliable_cho(state.G + np.diag(a * v)), state.C[:, ts]).T
        except LinAlgError:
            B[ts] = pinv_solve(pr, a, v, ts)
    return SolveResult(B, None, "cholesky")


def solve(pr, alphas, v, *, positive=False, tol=None, max_iter=None, B0=None):
    """One factorization per distinct α (rows or statistics)."""
    return solve_cholesky(pr, alphas, v) if pr.X is not None else \
        solve_statistics(pr, alphas, v)


class PathState:
    """A path's Cholesky: the Gram or kernel formed once for every α (the Gram form at α = 0,
    whose singular systems fall back to the SVD, or to the eigendecomposition for statistics)."""

    def __init__(self, pr, v):
        self.pr, self.v, self.state = pr, v, None

    def solve(self, alphas, tol=None, max_iter=None):
        from scipy.linalg import LinAlgError

        pr, a = self.pr, float(alphas[0])
        if pr.X is None:
            return solve_statistics(pr, alphas, self.v)
        try:
            if self.state is None or (self.state.kernel and a == 0):
                self.state = CholeskyState(pr, self.v, allow_kernel=a > 0)
            return SolveResult(self.state.solve(alphas), None, "cholesky")
        except LinAlgError:
            return solve_svd(pr, alphas, self.v)


def state(pr, v, *, positive=False):
    """The state a path carries (the formed Gram or kernel)."""
    return PathState(pr, v)
