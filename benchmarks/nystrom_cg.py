"""Jacobi-CG vs Nyström-PCG vs scikit-learn's sparse_cg and lsqr on an ill-conditioned sparse
ridge problem (issue 15, part 2).

X = (S diag(σ) R + ε E) diag(c): S (n × q) and E (n × p) sparse Gaussian, R (q × p) sparse,
σ decaying over 1e0..1e-3 (a decaying spectrum), column scales c spanning 1e±3, no intercept
(the same problem for every solver).  Each solver is asked for KKT ≤ 1e-8, KKT being the
relative gradient in unit-scale coordinates, ‖D^{-1/2}(Xᵀ(y − Xb) − αb)‖ / ‖D^{-1/2}Xᵀy‖ with
D = diag(XᵀX) + αI (fastridge's stopping rule), measured here again in float64 at every
result.  scikit-learn's solvers have their own stopping rules: they get tol=1e-10 and
max_iter=--maxit, and the table says which KKT they reached.

    nice -n 10 python benchmarks/nystrom_cg.py            # 20,000 × 2,000
    nice -n 10 python benchmarks/nystrom_cg.py --mid      # 60,000 × 6,000
    nice -n 10 python benchmarks/nystrom_cg.py --full     # 200,000 × 20,000 (the issue's size)
"""
import argparse
import time
import warnings

import numpy as np
import scipy.sparse as sp

from fastridge import Ridge, _policy
from fastridge._solvers.nystrom import NystromSketch

MAXIT = 20000


def problem(n, p, q, density, seed=0):
    rng = np.random.default_rng(seed)
    S = sp.random(n, q, density=density * 3, random_state=rng, data_rvs=rng.standard_normal,
                  format="csc")
    R = sp.random(q, p, density=3.0 / q, random_state=rng, data_rvs=rng.standard_normal,
                  format="csc")
    E = sp.random(n, p, density=density, random_state=rng, data_rvs=rng.standard_normal,
                  format="csc")
    c = np.logspace(-3, 3, p)[rng.permutation(p)]
    X = sp.csr_matrix((S @ sp.diags(np.logspace(0, -3, q)) @ R + 1e-3 * E) @ sp.diags(c))
    y = X @ (rng.standard_normal(p) / c) + 0.1 * rng.standard_normal(n)
    return X, y


def kkt(X, y, b, alpha, D):
    g = X.T @ (y - X @ b) - alpha * b
    return np.linalg.norm(g / np.sqrt(D)) / np.linalg.norm((X.T @ y) / np.sqrt(D))


SIZES = {"quick": (5_000, 800, 40, 0.01), "default": (20_000, 2_000, 100, 1e-3),
         "mid": (60_000, 6_000, 150, 40 / 60_000), "full": (200_000, 20_000, 200, 2e-4)}


def measure(size, alpha=1e-3, maxit=MAXIT, constant=False, sklearn=True, out=print):
    """Rows (name, iterations, seconds, KKT) of each solver on the problem `SIZES[size]`, each
    printed through `out` as it is measured (the noise E has about 40 nonzeros a column at the
    larger sizes, 20 at the default)."""
    n, p, q, dens = SIZES[size]
    X, y = problem(n, p, q, dens)
    D = np.asarray(X.multiply(X).sum(axis=0)).ravel() + alpha
    out(f"sparse {n} x {p}, nnz {X.nnz}, alpha {alpha}, column scales 1e-3..1e3, "
        f"rank-{q} part with singular values 1..1e-3 plus 1e-3 noise; target KKT <= 1e-8; "
        f"every solver capped at {maxit} iterations")
    out(f"{'solver':<24}{'iterations':>11}{'seconds':>10}{'KKT':>11}")
    rows = []

    def show(name, it, sec, k):
        rows.append((name, it, sec, k))
        out(f"{name:<24}{it:>11}{sec:>10.2f}{k:>11.1e}")

    def paper(sketch, a):
        """Frangella, Tropp & Udell's M⁻¹ = S[U diag((λ̂_ℓ + α)/(λ̂ + α))Uᵀ + (I − UUᵀ)]S."""
        U, lam = sketch.fit_to(a)
        return (np.asfortranarray(U, dtype=sketch.pr.dtype), (lam[-1] + a) / (lam + a) - 1.0,
                sketch.vs)

    def fastridge(jacobi, constant=False):
        trial = _policy.NYSTROM_TRIAL_ITERATIONS
        if jacobi:
            _policy.NYSTROM_TRIAL_ITERATIONS = 10**9
        if constant:
            NystromSketch.preconditioner = paper
        try:
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = Ridge(alpha=alpha, solver="cg", fit_intercept=False, tol=1e-8,
                          max_iter=maxit).fit(X, y)
            return time.perf_counter() - t, int(m.n_iter_), m.coef_
        finally:
            _policy.NYSTROM_TRIAL_ITERATIONS = trial
            NystromSketch.preconditioner = diagonal

    diagonal = NystromSketch.preconditioner
    runs = [("fastridge Nyström-PCG", False, False), ("fastridge Jacobi-CG", True, False)]
    if constant:
        runs.insert(1, ("  constant tail (paper)", False, True))
    for name, jac, const in runs:
        sec, it, b = fastridge(jac, const)
        show(name, it, sec, kkt(X, y, b, alpha, D))
    try:
        from sklearn.linear_model import Ridge as SkRidge
    except ImportError:
        SkRidge = None
    if SkRidge is not None and sklearn:
        for solver in ("sparse_cg", "lsqr"):
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = SkRidge(alpha=alpha, solver=solver, fit_intercept=False, tol=1e-10,
                            max_iter=maxit).fit(X, y)
            sec = time.perf_counter() - t
            it = m.n_iter_[0] if m.n_iter_ is not None else -1
            show(f"sklearn {solver}", int(it), sec, kkt(X, y, m.coef_, alpha, D))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true", help="200,000 × 20,000 (else 20,000 × 2,000)")
    ap.add_argument("--mid", action="store_true", help="60,000 × 6,000")
    ap.add_argument("--constant", action="store_true",
                    help="also the paper's preconditioner (constant λ̂_ℓ + α off the sketch)")
    ap.add_argument("--alpha", type=float, default=1e-3)
    ap.add_argument("--maxit", type=int, default=MAXIT, help="iteration cap of every solver")
    args = ap.parse_args()
    size = "full" if args.full else "mid" if args.mid else "default"
    rows = measure(size, args.alpha, args.maxit, args.constant,
                   out=lambda line: print(line, flush=True))
    jacobi = next(r for r in rows if r[0] == "fastridge Jacobi-CG")
    print(f"Nyström-PCG time / Jacobi-CG time: {rows[0][2] / jacobi[2]:.3f}")


if __name__ == "__main__":
    main()
