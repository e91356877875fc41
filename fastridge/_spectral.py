"""One spectral decomposition of the fit-coordinate problem, reused for every α.

With Ẑ = W^{1/2} (X − 1x̄ᵀ) diag(d) V^{-1/2} = U S Vᵣᵀ (thin SVD, rank r) and ỹ = W^{1/2} y_c,
the ridge solution for any α is

    b(α) = V^{-1/2} Vᵣ diag(1 / (s² + α)) P,     P = S Uᵀ ỹ = Vᵣᵀ Ẑᵀ ỹ   (r × k)

so after one eigendecomposition — of the Gram ẐᵀẐ (p × p) when n ≥ p, or of the kernel ẐẐᵀ
(n × n) when p > n — each α costs O(p·r·k).  The same factors give the effective degrees of
freedom df(α) = Σ s²/(s² + α) and the diagonal of the hat matrix (exact leave-one-out), and the
marginal likelihood used by RidgeEM.

Zero penalty factors (unpenalized columns, e.g. the null space of a generalized ridge penalty in
its standard form, `fastridge._generalized`) are decomposed only for the callers that ask
(``unavailable(..., unpenalized=True)``): with Ẑ = [Ẑ₀ Ẑ₊] (unpenalized, penalized columns),
G = ẐᵀẐ and B = G₀₀⁺G₀₊, the penalized columns are projected off Ẑ₀ (the Schur complement
G₊₊ − G₊₀B is the Gram of (I − H₀)Ẑ₊, H₀ the projection on Ẑ₀) and decomposed as above; then

    b(α) = scale ∘ (Vᵣ diag(1/(s² + α)) P + b_fix),   Vᵣ = [−B V₊; V₊],   b_fix = [G₀₀⁺C₀; 0],

and the hat matrix is H₀ + U diag(s²/(s² + α)) Uᵀ (U the left singular vectors of (I − H₀)Ẑ₊),
so leave-one-out, GCV and the evidence add H₀'s leverage, its q degrees of freedom and
‖H₀ỹ‖² (`q`, `yy0`, `unpenalized_basis`, `logdet0`).  Always in the Gram form (p × p).
Otherwise penalty factors must be positive here (a zero factor makes V^{-1/2} undefined);
callers fall back to per-α solves.
"""
import numpy as np

from fastridge import _config, _design as D


class Spectrum:
    """Factors of the problem for all α; see the module docstring.

    Attributes: `kind` ("gram" or "kernel"), `s2` (r,) descending, `Vr` (p, r), `P` (r, k),
    `scale` (p,) = V^{-1/2} (b = scale ∘ (Vr @ ...)), `yy` (k,) = ‖ỹ‖².
    """

    def __init__(self, pr, kind, s2, Vr, P, scale, U=None):
        self.pr, self.kind, self.s2, self.Vr, self.P, self.scale = pr, kind, s2, Vr, P, scale
        self._U = U
        # unpenalized columns (module docstring): none here; `_unpenalized_spectrum` sets them
        self.q, self.fixed, self.yy0, self.logdet0, self.gram = 0, None, 0.0, 0.0, None
        self._unpen = None
        if pr.yy is not None:  # a Problem made from sufficient statistics (no rows)
            self.yy = pr.yy
            return
        Yt = pr.Yc.astype(np.float64)
        if pr.sqw is not None:
            Yt = Yt * pr.sqw[:, None]
        self.yy = np.einsum("ij,ij->j", Yt, Yt)

    @property
    def rank(self):
        return self.s2.size

    def coef(self, alphas):
        """Fit-coordinate coefficients B (k, p), one α per target (alphas (k,))."""
        alphas = np.broadcast_to(np.asarray(alphas, dtype=np.float64), (self.P.shape[1],))
        with np.errstate(divide="ignore", invalid="ignore"):
            F = self.P / (self.s2[:, None] + alphas[None, :])
        F[~np.isfinite(F)] = 0.0
        B = self.Vr @ F
        if self.fixed is not None:
            B += self.fixed
        B *= self.scale[:, None]
        return B.T

    def unpenalized_basis(self):
        """Q₀ (n, q): an orthonormal basis of the unpenalized columns Ẑ₀ (weighted, centred,
        scaled), from the rows; H₀ = Q₀Q₀ᵀ.  (n, 0) without unpenalized columns."""
        pr = self.pr
        if self._unpen is None:
            return np.zeros((pr.n, 0))
        cols, R = self._unpen
        Xu = pr.X[:, cols]
        Xu = np.asarray(Xu.toarray() if hasattr(Xu, "toarray") else Xu, dtype=np.float64)
        Z0 = (Xu - pr.xbar[cols]) * (pr.d[cols] * self.scale[cols])
        if pr.sqw is not None:
            Z0 *= pr.sqw[:, None]
        return Z0 @ R

    def df(self, alpha):
        """Effective degrees of freedom Σ s²/(s² + α) of the penalized part (array-friendly)."""
        a = np.asarray(alpha, dtype=np.float64)[..., None]
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(self.s2 + a > 0, self.s2 / (self.s2 + a), 0.0)
        return out.sum(axis=-1)

    def alpha_for_df(self, df):
        """The α ≥ 0 at which `df` (0 < df ≤ rank) equals the effective degrees of freedom
        Σ s²/(s² + α); α = 0 for df = rank.

        df(α) decreases strictly from the rank r at α = 0 to 0 as α → ∞, so the root is
        unique.  It is bracketed by α_lo = (r − df) / Σ s⁻² (where r − df(α) ≤ α Σ s⁻²) and
        α_hi = Σ s² / df (where df(α) ≤ Σ s²/α), and found by Newton's method on t = log α,
        safeguarded by bisection of that bracket (a Newton step leaving it is replaced by the
        midpoint), to the last bits of α."""
        s2, r = self.s2, self.rank
        df = float(df)
        if not (0.0 < df <= r):
            raise ValueError(f"df must be in (0, rank] = (0, {r}]; got df={df!r}.")
        if df == r:
            return 0.0
        ls2 = np.log(s2)                               # the bracket in logs: no overflow
        lo = np.log(r - df) - np.logaddexp.reduce(-ls2)   # df(e^lo) ≥ df
        hi = np.logaddexp.reduce(ls2) - np.log(df)         # df(e^hi) ≤ df
        t = 0.5 * (lo + hi)
        for _ in range(200):
            with np.errstate(over="ignore"):            # α beyond float64: q = 0
                a = np.exp(t)
                q = s2 / (s2 + a)
            f = q.sum() - df                           # decreasing in t
            if f > 0:
                lo = t
            elif f < 0:
                hi = t
            else:
                break
            slope = -np.sum(q * (1.0 - q))            # d df / d log α
            step = t - f / slope if slope < 0 else 0.5 * (lo + hi)
            if not (lo < step < hi):
                step = 0.5 * (lo + hi)
            if abs(step - t) <= 4 * np.finfo(np.float64).eps * max(1.0, abs(t)):
                t = step
                break
            t = step
        with np.errstate(over="ignore"):
            return float(np.exp(t))

    def rows(self, X, sqw, M=None):
        """W^{1/2} (X − 1x̄ᵀ) diag(d) V^{-1/2} M (n, r) in float64 for rows `X` (the fit's, or
        others' in its coordinates: a fold's test rows), `sqw` their √w (or None); M (p, r)
        defaults to Vᵣ (`fixed`, the unpenalized columns' coefficients, is the other use)."""
        pr = self.pr
        E = (self.Vr if M is None else M) * self.scale[:, None]   # coefficients of Ẑ-columns
        ZV = np.asarray(X @ (E * pr.d[:, None]), dtype=np.float64)
        ZV -= (pr.xbar * pr.d) @ E
        if sqw is not None:
            ZV *= sqw[:, None]
        return ZV

    def left(self):
        """U (n, r): left singular vectors of Ẑ (one pass over X in the Gram form)."""
        if self._U is None:
            with np.errstate(divide="ignore", invalid="ignore"):
                self._U = self.rows(self.pr.X, self.pr.sqw) / np.sqrt(self.s2)
        return self._U


def _rank_cut(s2):
    s2 = np.clip(s2, 0.0, None)
    if s2.size == 0 or s2.max() == 0.0:
        return np.zeros(s2.size, dtype=bool)
    return s2 > s2.max() * s2.size * np.finfo(np.float64).eps * 10


def unavailable(pr, v, unpenalized=False):
    """Why a spectral decomposition does not apply numerically, or None: it needs positive
    penalty factors on the active columns and a diagonal hⱼ/vⱼ of ẐᵀẐ that the working
    precision represents (penalty factors over hundreds of decades would overflow it).
    `unpenalized`: the caller handles zero penalty factors (see the module docstring), which
    are then decomposed too (in the p × p Gram form).  Whether
    its matrix fits in memory is the policy's question (`_policy.spectral_unavailable`)."""
    act = pr.d != 0
    if np.any(v[act] <= 0):
        if not unpenalized:
            return "a zero penalty factor (in penalty_factor) leaves a feature unpenalized"
        if not _config.fits(pr.p, pr.p):
            return ("a zero penalty factor needs the p x p Gram matrix, beyond the working "
                    "memory")
        act = act & (v > 0)
    # float32: the Gram is formed in float32, its entries at most max hⱼ/vⱼ (the range the
    # preprocessing keeps h in); float64: its trace, at most p · max hⱼ/vⱼ, stays finite too
    if pr.dtype == np.float32:
        lo, hi, size = 2.0 ** -100, 2.0 ** 100, 1
    else:
        lo, hi, size = 2.0 ** -1020, 2.0 ** 1020, max(pr.p, 1)
    with np.errstate(over="ignore", divide="ignore"):
        hv = pr.h[act] / v[act] * size
    if hv.size and not (np.all(hv <= hi) and np.all(hv >= lo)):
        return ("the columns of Z/sqrt(penalty_factor) (X centred, scaled and weighted) "
                f"leave the range of {pr.dtype.name}: rescale penalty_factor, sample_weight "
                "or X")
    return None


# below this ratio of smallest to largest eigenvalue of the Gram (cond(Ẑ) > 1e4), a dense
# problem is decomposed by the SVD of Ẑ instead
ILL_CONDITIONED = 1e-8


def _svd_spectrum(pr, e, scale):
    Z = (np.asarray(pr.X, dtype=np.float64) - pr.xbar) * e
    if pr.sqw is not None:
        Z *= pr.sqw[:, None]
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    # singular values are accurate to about eps·s_max (eigenvalues of the Gram only to
    # eps·s²_max, hence `_rank_cut`'s threshold on s²): cutting at √eps·s_max here threw away
    # directions α does not dominate (columns over many decades without standardize)
    keep = s > (s[0] if s.size else 0.0) * max(Z.shape) * np.finfo(np.float64).eps
    U, s, Vr = U[:, keep], s[keep], Vt[keep].T
    Yt = pr.Yc.astype(np.float64)
    if pr.sqw is not None:
        Yt = Yt * pr.sqw[:, None]
    return Spectrum(pr, "svd", s * s, Vr, s[:, None] * (U.T @ Yt), scale, U=U)


def _unpenalized_spectrum(pr, v, scale, e):
    """The decomposition with unpenalized active columns (module docstring), Gram form."""
    G, C = D.gram(pr, e)
    G, C = G.astype(np.float64), C.astype(np.float64)
    p = pr.p
    unpen = (v <= 0) & (pr.d != 0)
    u, g = np.flatnonzero(unpen), np.flatnonzero(~unpen)
    G00, G0p, Gpp = G[np.ix_(u, u)], G[np.ix_(u, g)], G[np.ix_(g, g)]
    lam0, Q0 = np.linalg.eigh(G00)
    keep0 = _rank_cut(lam0)
    if pr.center and u.size:
        # a combination of unpenalized columns that is constant up to the rounding of its
        # centring (spread ≤ 4n·eps·|mean|, `_preprocessing.maybe_constant`'s rule for a
        # column) is the intercept's direction, not a column to fit: its centred Gram is
        # rounding noise (a first-difference penalty's constant on a basis summing to 1)
        m = pr.xbar[u] * e[u]
        bound = pr.W * float(m @ m) * (4.0 * max(pr.n, 1) * np.finfo(np.float64).eps) ** 2
        keep0 &= lam0 > bound

    lam0, Q0 = lam0[keep0], Q0[:, keep0]
    R = Q0 / np.sqrt(lam0)                              # Ẑ₀R orthonormal; G₀₀⁺ = RRᵀ
    B = R @ (R.T @ G0p)                                 # G₀₀⁺ G₀₊
    C0 = C[u]
    A0 = R.T @ C0                                       # (Ẑ₀R)ᵀỹ
    Gr = Gpp - G0p.T @ B
    Cr = C[g] - B.T @ C0
    lam, Q = np.linalg.eigh(0.5 * (Gr + Gr.T))
    lam, Q = lam[::-1], Q[:, ::-1]
    keep = _rank_cut(lam)
    s2, Vp = lam[keep], Q[:, keep]
    Vr = np.zeros((p, s2.size))
    Vr[g], Vr[u] = Vp, -B @ Vp
    fixed = np.zeros((p, pr.k))
    fixed[u] = R @ A0
    sp = Spectrum(pr, "gram", s2, Vr, Vp.T @ Cr, scale)
    sp.q, sp.fixed = int(lam0.size), fixed
    sp.yy0 = np.einsum("ij,ij->j", A0, A0)             # ‖H₀ỹ‖²
    sp.logdet0 = float(np.log(lam0).sum())              # log det of Ẑ₀ᵀẐ₀ (its range)
    sp.gram, sp._unpen = G, (u, R)
    return sp


def spectrum(pr, v):
    """Eigendecomposition of the Gram (n ≥ p) or kernel (p > n) matrix of Ẑ, in float64
    (always the Gram with unpenalized columns, see the module docstring)."""
    vs = np.where(v > 0, v, 1.0)
    scale = 1.0 / np.sqrt(vs)
    e = pr.d * scale
    if np.any((v <= 0) & (pr.d != 0)):
        return _unpenalized_spectrum(pr, v, scale, e)
    if pr.n >= pr.p:
        G, C = D.gram(pr, e)
        lam, Q = np.linalg.eigh(G.astype(np.float64))
        lam, Q = lam[::-1], Q[:, ::-1]
        keep = _rank_cut(lam)
        s2, Vr = lam[keep], Q[:, keep]
        ill = s2.size and s2[-1] < ILL_CONDITIONED * s2[0]
        if (ill or keep.sum() < keep.size) and pr.fmt == "dense" \
                and _config.fits(pr.n, pr.p):
            # the Gram squares the condition number: its small eigenvalues (and so LOO at tiny
            # α) lose digits; the SVD of the design itself keeps them
            return _svd_spectrum(pr, e, scale)
        P = Vr.T @ C.astype(np.float64)
        return Spectrum(pr, "gram", s2, Vr, P, scale)
    K = D.kernel(pr, e)
    lam, Q = np.linalg.eigh(K)
    lam, Q = lam[::-1], Q[:, ::-1]
    keep = _rank_cut(lam)
    s2, U = lam[keep], Q[:, keep]
    if s2.size and s2[-1] < ILL_CONDITIONED * s2[0] and pr.fmt == "dense" \
            and _config.fits(pr.n, pr.p):
        return _svd_spectrum(pr, e, scale)  # as in the Gram form: keep the small directions
    Yt = pr.Yc.astype(np.float64)
    if pr.sqw is not None:
        Yt = Yt * pr.sqw[:, None]
    P = np.sqrt(s2)[:, None] * (U.T @ Yt)
    Vr = D.zt(pr, e, U) / np.sqrt(s2)              # ẐᵀU S⁻¹ (p × r)
    return Spectrum(pr, "kernel", s2, Vr, P, scale, U=U)
