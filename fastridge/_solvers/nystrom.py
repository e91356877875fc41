"""Randomized Nyström preconditioning for CG (Frangella, Tropp & Udell, "Randomized Nyström
preconditioning", SIAM J. Matrix Anal. Appl. 44(2), 2023), with the residual's diagonal.

The primal system (ZᵀWZ + αV) b = ZᵀW y is, with S = V^{-1/2}, S⁻¹ (A + αI) S⁻¹ b = ZᵀW y for
A = S ZᵀWZ S.  A rank-ℓ Nyström approximation A ≈ U diag(λ̂) Uᵀ, from ℓ products with A (one
block product Sᵀ Zᵀ W Z S Ω, BLAS-3 for dense X), gives the preconditioner

    P = U diag(λ̂) Uᵀ + D,   D = diag(r) + αI,   rⱼ = max(Aⱼⱼ − Σᵢ λ̂ᵢ Uⱼᵢ², 0),

the sketch plus the diagonal of what it leaves out, R = A − U diag(λ̂) Uᵀ (positive
semidefinite: a Nyström approximation is dominated by A), so that P's diagonal is A + αI's.
The paper's preconditioner puts the constant λ̂_ℓ + α in place of D; it is as good when R is
small or has a flat diagonal, but column scales that vary by orders of magnitude (that the
centring/standardization has not removed, or penalty factors) spread R's diagonal over as
many orders, and the constant then over-damps the small ones: the preconditioned condition
number is about (λ̂_ℓ + α)/α until ℓ exceeds the number of eigenvalues above 10α, which can be
thousands.  With D, a residual that is mostly diagonal (independent noise in the columns) is
preconditioned exactly, as Jacobi would, and the low-rank part (the correlated columns) by the
sketch.  By Woodbury, P⁻¹ = D^{-1/2} (I − L (I + LᵀL)⁻¹ Lᵀ) D^{-1/2} with
L = D^{-1/2} U diag(λ̂)^{1/2} = Ū diag(σ) Wᵀ (thin SVD): P⁻¹ = D^{-1/2}(I + Ū diag(c) Ūᵀ)D^{-1/2}
with cᵢ = −σᵢ²/(1 + σᵢ²) ∈ (−1, 0], the form `fastridge._cg_fast.ridge_cg_nystrom` applies
(two gemv with Ū per iteration).  D depends on α, the sketch does not: a path shares the sketch
and forms Ū, c once per α (O(pℓ²)).

ℓ grows (doubling) until λ̂_ℓ ≤ `RANK_FACTOR` · α, the paper's rule: then R ⪯ λ̂_ℓ-ish and
both R's spread and the constant's are within a factor about 1 + `RANK_FACTOR` of α, whatever
D does; with D the rule is sufficient, not necessary, and a sketch capped at `MAX_RANK` short
of it still leaves the diagonal part of R to D.

Measured on `benchmarks/nystrom_cg.py`'s construction (sparse, column scales 1e±3, no
intercept, α = 1e-3, KKT ≤ 1e-8), iterations with the constant → with D: PCG from b = 0 (a
numpy prototype of the iteration), 20,000 × 2,000 at ℓ = 256: 229 → 24; 60,000 × 6,000 at
ℓ = 256, 512, 1024: 882 → 34, 541 → 22, 173 → 16; `Ridge(solver="cg")` (32 Jacobi iterations
included) at 200,000 × 20,000, ℓ = 1024: 738 → 47.  A sketch in Jacobi coordinates
(diag(ZᵀWZ)^{-1/2} in place of S) does not work on that construction: there the penalty αV
becomes the shift αvⱼ/hⱼ, which spans as many orders as the column scales, and the constant
off the sketch cannot match it (20,000 × 2,000: no convergence in 3000 iterations at
ℓ = 64, 256, 1024).
"""
import numpy as np

from fastridge import _config

# the paper's rule: the sketch is large enough when λ̂_ℓ ≤ RANK_FACTOR · α (then the
# preconditioned condition number is at most about 1 + RANK_FACTOR)
RANK_FACTOR = 10.0
# the first sketch's rank, and the largest (the p × ℓ U and the ℓ products must also fit
# the working-memory budget)
START_RANK = 16
MAX_RANK = 1024


def _scaled_gram_times(pr, vs, Om):
    """S ZᵀWZ S Ω for Ω (p, ℓ), in float64, the centring implicit:
    Z M = X (d∘M) − 1 (x̄ᵀ(d∘M)), Zᵀ R = d∘(Xᵀ R − x̄ 1ᵀR); a block of columns at a time, so
    that the n × block intermediate stays within the block budget."""
    step = _config.block_rows(pr.n)
    if Om.shape[1] > step:
        return np.hstack([_scaled_gram_times(pr, vs, Om[:, j:j + step])
                          for j in range(0, Om.shape[1], step)])
    M = (pr.d * vs)[:, None] * Om
    XM = np.asarray(pr.X @ M.astype(pr.X.dtype, copy=False), dtype=np.float64)
    if pr.center:
        XM -= pr.xbar @ M
    if pr.sw is not None:
        XM *= np.asarray(pr.sw, dtype=np.float64)[:, None]
    XtR = np.asarray(pr.X.T @ XM.astype(pr.X.dtype, copy=False), dtype=np.float64)
    if pr.center:
        XtR -= np.outer(pr.xbar, XM.sum(axis=0))
    return (pr.d * vs)[:, None] * XtR


class NystromSketch:
    """The growing randomized Nyström approximation of A = S ZᵀWZ S (S = V^{-1/2}).

    With an orthonormal test matrix Ω (p × ℓ) and Y = AΩ, the shift ν = eps·‖Y‖_F keeps the
    core positive definite: C Cᵀ = Ωᵀ(Y + νΩ) (Cholesky), B = (Y + νΩ) C⁻ᵀ, B = U Σ Wᵀ (thin
    SVD), and A ≈ U diag(λ̂) Uᵀ with λ̂ = max(σ² − ν, 0).  `grow` doubles ℓ keeping the
    products already taken (the new columns of Ω are orthogonalized against the old).
    """

    def __init__(self, pr, v, *, seed=0):
        self.pr = pr
        self.vs = 1.0 / np.sqrt(np.asarray(v, dtype=np.float64))
        self.rng = np.random.default_rng(seed)
        self.Om = np.empty((pr.p, 0))
        self.Y = np.empty((pr.p, 0))
        self.U, self.lam = None, None
        self.max_rank = min(pr.p, MAX_RANK)
        self._pc = (None, None)       # ((α, ℓ), preconditioner) of the last call
        # Ω, Y, U in float64, the preconditioner's Ū and its working-dtype copy
        while self.max_rank > 1 and not _config.fits(pr.p, 5 * self.max_rank):
            self.max_rank //= 2

    @property
    def rank(self):
        return self.Om.shape[1]

    def grow(self, ell):
        """Extend the sketch to rank min(ell, max_rank)."""
        p = self.pr.p
        extra = min(ell, self.max_rank) - self.rank
        if extra <= 0:
            return
        G = self.rng.standard_normal((p, extra))
        for _ in range(2):      # twice is enough (Kahan–Parlett)
            G -= self.Om @ (self.Om.T @ G)
        Q, _ = np.linalg.qr(G)
        self.Om = np.hstack([self.Om, Q])
        self.Y = np.hstack([self.Y, _scaled_gram_times(self.pr, self.vs, Q)])
        self._factor()

    def _factor(self):
        from scipy import linalg

        Om, Y = self.Om, self.Y
        nu = np.finfo(np.float64).eps * max(np.linalg.norm(Y), np.finfo(np.float64).tiny)
        Yn = Y + nu * Om
        core = Om.T @ Yn
        core = (core + core.T) / 2
        for _ in range(20):
            try:
                C = linalg.cholesky(core, lower=True)
                break
            except linalg.LinAlgError:   # rounding: a larger shift
                extra = 10 * nu
                Yn += extra * Om
                core += extra * np.eye(core.shape[0])
                nu += extra
        else:   # not reached in practice (the shift grows 11-fold each time); the caller
            # keeps Jacobi
            raise linalg.LinAlgError("the Nyström sketch's core matrix is not positive "
                                     "definite")
        B = linalg.solve_triangular(C, Yn.T, lower=True).T        # Yn C⁻ᵀ
        U, s, _ = linalg.svd(B, full_matrices=False)
        self.U, self.lam = U, np.maximum(s * s - nu, 0.0)

    def fit_to(self, alpha, start=START_RANK):
        """Grow (doubling from `start`) until λ̂_ℓ ≤ RANK_FACTOR · α or ℓ reaches its cap;
        returns (U, λ̂), float64."""
        if self.rank == 0:
            self.grow(min(start, self.max_rank))
        while self.lam[-1] > RANK_FACTOR * alpha and self.rank < self.max_rank:
            self.grow(2 * self.rank)
        return self.U, self.lam

    def preconditioner(self, alpha):
        """The arguments (U, coef, scale) of `_cg_fast.ridge_cg_nystrom` for P at `alpha`
        (the module's docstring): U = Ū Fortran-ordered in the working dtype, coef = c, scale =
        S D^{-1/2} = (v ∘ (r + α))^{-1/2}, with the sketch grown by `fit_to`.  Kept for the
        last α (the targets of a fit share it)."""
        from scipy import linalg

        U, lam = self.fit_to(alpha)
        if self._pc[0] == (alpha, self.rank):
            return self._pc[1]
        v = self.vs ** -2
        Ajj = self.pr.h / v
        # the residual's diagonal, not below the rounding of A's own diagonal (100 eps · Aⱼⱼ):
        # where the sketch holds all of A (a full-rank sketch of a tall problem) the difference
        # is rounding alone, and a tiny α would otherwise make D⁻¹ that rounding's inverse
        r = np.maximum(Ajj - (U * U) @ lam, 100.0 * np.finfo(self.pr.dtype).eps * Ajj)
        dsi = 1.0 / np.sqrt(r + alpha)
        keep = lam > 0
        if not keep.any():      # Z = 0 on the sketch: the diagonal alone
            Ub, c = np.zeros((self.pr.p, 1)), np.zeros(1)
        else:
            Ub, sig, _ = linalg.svd(dsi[:, None] * U[:, keep] * np.sqrt(lam[keep]),
                                    full_matrices=False)
            # the eigenvalues 1 + c = 1/(1 + σ²) of the middle factor, kept above the working
            # precision's rounding (100 eps): where σ² is beyond 1/eps (a tiny α against a
            # large column) 1 + c would round to 0 and the preconditioner be singular; the floor
            # keeps it positive definite (PCG is exact for any SPD preconditioner), at the
            # price of under-scaling those few directions
            floor = 100.0 * np.finfo(self.pr.dtype).eps
            c = np.maximum(-(sig * sig) / (1.0 + sig * sig), floor - 1.0)
        pc = (np.asfortranarray(Ub, dtype=self.pr.dtype), c, self.vs * dsi)
        self._pc = ((alpha, self.rank), pc)
        return pc
