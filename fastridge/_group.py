"""Banded ridge: one penalty per group of features, chosen by exact leave-one-out or k-fold.

With the columns split into groups (bands) X = [X₁ … X_M] (centred when `fit_intercept`),
the coefficients at a penalty vector α = (α₁ … α_M) solve

    min_b ‖y − Σₘ Xₘ bₘ‖² + Σₘ αₘ ‖bₘ‖²,

which is Ridge with ``penalty_factor`` vⱼ = α_{g(j)} / α_ref at α_ref.  Scaling the columns of
group m by 1/√αₘ, Z = X D^{-1/2}, turns it into plain ridge at α = 1 with the kernel

    K(α) = Z Zᵀ = Σₘ Xₘ Xₘᵀ / αₘ,     G = K + I,     A = G⁻¹ − 11ᵀ/n (without intercept: G⁻¹),

and, since I − H = A (H the hat matrix, intercept included), the leave-one-out residuals are
rᵢ = (A y)ᵢ / Aᵢᵢ.  The objective is L(t) = Σᵢ rᵢ² / n as a function of t = log α.  Its gradient
is closed-form: ∂G⁻¹/∂tₘ = G⁻¹ (Xₘ Xₘᵀ/αₘ) G⁻¹ = Bₘ Bₘᵀ / αₘ with Bₘ = G⁻¹ Xₘ, so

    ∂(Ay)/∂tₘ = Bₘ (Bₘᵀ y) / αₘ,    ∂Aᵢᵢ/∂tₘ = Σⱼ (Bₘ)ᵢⱼ² / αₘ,
    ∂rᵢ/∂tₘ = (∂(Ay)ᵢ/∂tₘ − rᵢ ∂Aᵢᵢ/∂tₘ) / Aᵢᵢ,    ∂L/∂tₘ = 2 Σᵢ rᵢ ∂rᵢ/∂tₘ / n.

The search has two stages.  (1) A start: for each of a few directions γ on the simplex (the
centre, the vertices and Dirichlet draws), α = s/γ for every scale s of the grid — one
eigendecomposition K_γ = Σ γₘ XₘXₘᵀ = Q Λ Qᵀ gives the exact leave-one-out curve over s for every
target at once (A = Q diag(s/(λ + s)) Qᵀ − 11ᵀ/n); each target keeps its best (γ, s).  (2) A
refinement: with at most `n_refine` targets each is refined alone; otherwise the targets that chose
the same start share it, and for the `n_refine` largest such clusters L-BFGS-B on t (bounded)
minimizes their summed leave-one-out error from the cluster's median start, with the closed-form
gradient, and the refined direction is then scored as one more candidate (with a scale grid around
it) for every target, each target keeping whichever is best.  So with few targets each α is the
exact leave-one-out minimizer (within the bounds and `tol`).

Two forms, chosen by ``solver="auto"`` from the shape.  Kernel (n × n) form, above: the kernels
Xₘ Xₘᵀ (n²p once), O(n³) per candidate and per optimizer step, O(n²p) for a gradient; memory
O(M n²) — the regime of himalaya's banded ridge (n up to a few thousand, p large).  Primal
(p × p) form when n > p: with S = XᵀX + diag(α_g(j)), b = S⁻¹Xᵀy, e = y − Xb and the leverage
hᵢ = xᵢᵀS⁻¹xᵢ (+ 1/n), rᵢ = eᵢ/(1 − hᵢ); with U = X S⁻¹, ∂e/∂tₘ = αₘ U₍ₘ₎ b₍ₘ₎ and
∂(1 − hᵢ)/∂tₘ = αₘ Σ_{j∈m} Uᵢⱼ² — O(p³ + np²) a step from the Gram matrix XᵀX, and the start's
directions from the eigendecomposition of the scaled p × p Gram.

k-fold cross-validation (``cv`` an int, a splitter or (train, test) pairs) runs the same search
on the summed held-out squared error, each fold centred on its own training rows: the start from
one eigendecomposition per fold and direction (ŷᵥ(s) = K_w,ᵥₜ Q diag(1/(λ+s)) Qᵀyₜ, all scales
and targets at once), the refinement with the closed-form gradient per fold (kernel form:
w = G⁻¹yₜ, ∂ŷᵥ/∂tₘ = (−Kₘ,ᵥₜ w + P G⁻¹ Kₘ,ₜₜ w)/αₘ with P = Σ Kₘ,ᵥₜ/αₘ; primal form:
∂ŷᵥ/∂tₘ = −αₘ (XᵥS⁻¹)₍ₘ₎ b₍ₘ₎).
"""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

from fastridge import _validation as V
from fastridge._base import set_linear_fit, unchanged_on_failure
from fastridge._engine.fit import LinearFit
from fastridge._engine.selection import cv_folds
from fastridge._linear import LinearRegressorBase

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from fastridge._typing import MatrixLike

__all__ = ["GroupRidgeCV"]


def check_groups(groups, n_features):
    """The groups as a list of sorted index arrays partitioning range(n_features), from a list
    of index arrays or from one integer label per column (groups = sorted distinct labels);
    None is one group of every column."""
    if groups is None:
        return [np.arange(n_features)]
    if isinstance(groups, (str, bytes)):
        raise TypeError(f"groups must be None, a list of index arrays or an array of one "
                        f"integer label per feature; got groups={groups!r}.")
    if isinstance(groups, np.ndarray) and groups.ndim == 1 and groups.dtype.kind in "iu" \
            or (not isinstance(groups, np.ndarray) and len(groups) > 0
                and all(isinstance(g, numbers.Integral) and not isinstance(g, bool)
                        for g in groups)):
        labels = np.asarray(groups)
        if labels.shape != (n_features,):
            raise ValueError(f"groups: an array of labels must have one label per feature "
                             f"(n_features={n_features}); got shape {labels.shape}.")
        return [np.flatnonzero(labels == u) for u in np.unique(labels)]
    out = []
    for i, g in enumerate(groups):
        a = np.asarray(g)
        if a.ndim != 1 or (a.size and a.dtype.kind not in "iu") or a.dtype == bool:
            raise ValueError(f"groups: group {i} must be a 1-D array of integer column "
                             f"indices.")
        if a.size == 0:
            raise ValueError(f"groups: group {i} is empty.")
        if a.min() < 0 or a.max() >= n_features:
            raise ValueError(f"groups: group {i} has column indices out of range for "
                             f"n_features={n_features}.")
        out.append(np.sort(a.astype(np.intp)))
    if not out:
        raise ValueError("groups: no group given.")
    allcols = np.concatenate(out)
    counts = np.bincount(allcols, minlength=n_features)
    if np.any(counts > 1):
        raise ValueError(f"groups: overlapping groups (column(s) "
                         f"{np.flatnonzero(counts > 1)[:5].tolist()} in more than one group).")
    if np.any(counts == 0):
        raise ValueError(f"groups: column(s) {np.flatnonzero(counts == 0)[:5].tolist()} "
                         f"belong to no group; every feature must be in one group.")
    return out


def intercept_leverage(center, n):
    """The intercept's share of the leverage per row: `center` itself when it is an array
    (wᵢ/Σw with sample weights), else 1/n with an intercept and 0 without."""
    if isinstance(center, np.ndarray):
        return center
    return 1.0 / n if center else 0.0


def loo_at(kernels, t, Y, center, want_grad=False, blocks=None):
    """Mean squared leave-one-out residual per target (k,) at log-penalties `t` (M,), from the
    group kernels `kernels` (M, n, n) = XₘXₘᵀ of the centred blocks, and with `want_grad` its
    gradient (M, k) (module docstring), which needs the centred `blocks` Xₘ.  Also returns the
    dual vectors G⁻¹Y (n, k) (the in-sample residuals)."""
    from scipy import linalg

    n = Y.shape[0]
    alpha = np.exp(t)
    G = np.tensordot(1.0 / alpha, kernels, axes=1)
    G[np.diag_indices(n)] += 1.0
    c = linalg.cho_factor(G, lower=True, check_finite=False)
    Ginv = linalg.cho_solve(c, np.eye(n), check_finite=False)
    W = Ginv @ Y                                      # G⁻¹y: the residual of the full fit
    d = np.diag(Ginv) - intercept_leverage(center, n)   # A = G⁻¹ − 11ᵀ/n, and 1ᵀY = 0
    R = W / d[:, None]
    loss = np.einsum("ij,ij->j", R, R) / n
    if not want_grad:
        return loss, None, W
    grad = np.empty((alpha.size, Y.shape[1]))
    for m, Xm in enumerate(blocks):
        B = Ginv @ Xm
        dW = B @ (B.T @ Y) / alpha[m]
        dd = np.einsum("ij,ij->i", B, B) / alpha[m]
        dR = (dW - R * dd[:, None]) / d[:, None]
        grad[m] = 2.0 * np.einsum("ij,ij->j", R, dR) / n
    return loss, grad, W


def loo_at_primal(Xc, gram, bounds, t, Y, center, want_grad=False):
    """`loo_at` in the p × p (primal) form, for n > p: with S = XᵀX + diag(α_g(j)) (Xc the
    centred columns in group order, `gram` = XcᵀXc, group m the columns bounds[m]:bounds[m+1]),
    b = S⁻¹XᵀY, the residual e = Y − Xb, the leverage hᵢ = xᵢᵀS⁻¹xᵢ (+ 1/n) and rᵢ = eᵢ/(1 − hᵢ).
    With U = X S⁻¹, ∂e/∂tₘ = αₘ U₍ₘ₎ b₍ₘ₎ and ∂(1 − hᵢ)/∂tₘ = αₘ Σ_{j∈m} Uᵢⱼ²: O(np² + p³)
    a step.  Returns the same (loss (k,), gradient (M, k) or None, residuals (n, k))."""
    from scipy import linalg

    n, p = Xc.shape
    alpha = np.exp(t)
    pen = np.repeat(alpha, np.diff(bounds))
    S = gram.copy()
    S[np.diag_indices(p)] += pen
    c = linalg.cho_factor(S, lower=True, check_finite=False)
    Sinv = linalg.cho_solve(c, np.eye(p), check_finite=False)
    b = Sinv @ (Xc.T @ Y)
    W = Y - Xc @ b
    U = Xc @ Sinv
    d = 1.0 - np.einsum("ij,ij->i", U, Xc) - intercept_leverage(center, n)
    R = W / d[:, None]
    loss = np.einsum("ij,ij->j", R, R) / n
    if not want_grad:
        return loss, None, W
    grad = np.empty((alpha.size, Y.shape[1]))
    for m in range(alpha.size):
        sl = slice(bounds[m], bounds[m + 1])
        Um = U[:, sl]
        dW = alpha[m] * (Um @ b[sl])
        dd = alpha[m] * np.einsum("ij,ij->i", Um, Um)
        dR = (dW - R * dd[:, None]) / d[:, None]
        grad[m] = 2.0 * np.einsum("ij,ij->j", R, dR) / n
    return loss, grad, W


def fold_at(fold, t, cols, want_grad=False):
    """Sum of squared held-out errors (k,) of one fold at log-penalties `t`, and with
    `want_grad` its gradient (M, k), for the targets `cols`.

    Kernel form (fold["Ktt"] (M, nₜ, nₜ), fold["Kvt"] (M, nᵥ, nₜ) of the blocks centred on the
    training rows): w = G⁻¹yₜ, G = Σ Kₘ,ₜₜ/αₘ + I, ŷᵥ = P w, P = Σ Kₘ,ᵥₜ/αₘ, and
    ∂ŷᵥ/∂tₘ = (−Kₘ,ᵥₜ w + P G⁻¹ Kₘ,ₜₜ w)/αₘ.  Primal form (fold["Xt"], fold["Xv"], fold["gram"]):
    b = S⁻¹Xₜᵀyₜ, S = XₜᵀXₜ + diag(α_g(j)), ŷᵥ = Xᵥb, ∂ŷᵥ/∂tₘ = −αₘ (XᵥS⁻¹)₍ₘ₎ b₍ₘ₎."""
    from scipy import linalg

    alpha = np.exp(t)
    Yt, Yv = fold["Yt"][:, cols], fold["Yv"][:, cols]
    if "Ktt" in fold:
        nt = Yt.shape[0]
        G = np.tensordot(1.0 / alpha, fold["Ktt"], axes=1)
        G[np.diag_indices(nt)] += 1.0
        c = linalg.cho_factor(G, lower=True, check_finite=False)
        w = linalg.cho_solve(c, Yt, check_finite=False)
        P = np.tensordot(1.0 / alpha, fold["Kvt"], axes=1)
        E = Yv - P @ w
        if not want_grad:
            return np.einsum("ij,ij->j", E, E), None
        PG = linalg.cho_solve(c, P.T, check_finite=False).T
        grad = np.empty((alpha.size, Yt.shape[1]))
        for m in range(alpha.size):
            dY = (PG @ (fold["Ktt"][m] @ w) - fold["Kvt"][m] @ w) / alpha[m]
            grad[m] = -2.0 * np.einsum("ij,ij->j", E, dY)
        return np.einsum("ij,ij->j", E, E), grad
    bounds = fold["bounds"]
    p = fold["gram"].shape[0]
    S = fold["gram"].copy()
    S[np.diag_indices(p)] += np.repeat(alpha, np.diff(bounds))
    c = linalg.cho_factor(S, lower=True, check_finite=False)
    b = linalg.cho_solve(c, fold["Xt"].T @ Yt, check_finite=False)
    E = Yv - fold["Xv"] @ b
    if not want_grad:
        return np.einsum("ij,ij->j", E, E), None
    V = linalg.cho_solve(c, fold["Xv"].T, check_finite=False).T       # Xᵥ S⁻¹
    grad = np.empty((alpha.size, Yt.shape[1]))
    for m in range(alpha.size):
        sl = slice(bounds[m], bounds[m + 1])
        grad[m] = 2.0 * alpha[m] * np.einsum("ij,ij->j", E, V[:, sl] @ b[sl])
    return np.einsum("ij,ij->j", E, E), grad


def direction_basis(w, kernels=None, Xc=None, gram=None, bounds=None):
    """The spectral basis of the kernel K_w = Σ wₘ XₘXₘᵀ: kernel form, (λ, Q) of K_w (Q n × n);
    primal form, with Z = X diag(√w_g(j)), (λ, V, √w per column) of ZᵀZ (p × p)."""
    if kernels is not None:
        lam, Q = np.linalg.eigh(np.tensordot(w, kernels, axes=1))
        return np.clip(lam, 0.0, None), Q, None
    sc = np.sqrt(np.repeat(w, np.diff(bounds)))
    lam, V = np.linalg.eigh(gram * np.outer(sc, sc))
    return np.clip(lam, 0.0, None), V, sc


def loo_curve(lam, Q, Yc, scales, center, Yperp=None):
    """Mean squared leave-one-out residual (len(scales), k) of kernel ridge K = Q diag(λ) Qᵀ
    (Q n × r with orthonormal columns; r = n, or the range of K and Yperp = Y − QQᵀY) at each
    penalty s of `scales` (all targets at once): the residual is Q diag(s/(λ+s)) QᵀY + Yperp
    and 1 − Hᵢᵢ = Σⱼ Qᵢⱼ² s/(λⱼ+s) + (1 − Σⱼ Qᵢⱼ²) (− 1/n with the intercept).  Also for each
    target its best s: (curve, best index (k,), residuals (n, k))."""
    n = Q.shape[0]
    QY = Q.T @ Yc
    Q2 = Q * Q
    rest = 1.0 - Q2.sum(axis=1) if Q.shape[1] < n else 0.0
    curve = np.empty((scales.size, Yc.shape[1]))
    for i, s in enumerate(scales):
        f = s / (lam + s)
        E = Q @ (f[:, None] * QY)
        if Yperp is not None:
            E += Yperp
        d = Q2 @ f + rest - intercept_leverage(center, n)
        d = np.where(d > 0, d, np.finfo(np.float64).tiny)
        R = E / d[:, None]
        curve[i] = np.einsum("ij,ij->j", R, R) / n
    best = np.argmin(curve, axis=0)
    duals = residual_at(lam, Q, QY, scales[best], Yc, Yperp)
    return curve, best, duals


def residual_at(lam, Q, QY, scale_per_target, Yc, Yperp=None):
    """Residuals Q diag(s/(λ+s)) QᵀY (+ Yperp) with one s per target (column)."""
    s = np.asarray(scale_per_target)[None, :]
    E = Q @ ((s / (lam[:, None] + s)) * QY)
    return E + Yperp if Yperp is not None else E


def thin_basis(lam, V, sc, Xc, Yc):
    """The primal basis as a kernel one: Q = Z V Λ^{-1/2} over λ > 0 (Z = Xc·sc), and
    Yperp = Y − QQᵀY."""
    keep = lam > lam.max() * 1e-12 if lam.size and lam.max() > 0 else np.zeros(lam.size, bool)
    Q = (Xc * sc) @ (V[:, keep] / np.sqrt(lam[keep]))
    QY = Q.T @ Yc
    return lam[keep], Q, Yc - Q @ QY


def fold_curve(fold, w, scales):
    """Sum of squared held-out errors (len(scales), k) of one fold along the direction w:
    ŷᵥ(s) = L diag(1/(λ+s)) R with, in kernel form, K_w's eigenpairs on the training rows,
    L = K_w,ᵥₜ Q and R = Qᵀyₜ; in primal form L = Zᵥ V and R = VᵀZₜᵀyₜ."""
    if "Ktt" in fold:
        lam, Q, _ = direction_basis(w, kernels=fold["Ktt"])
        L = np.tensordot(w, fold["Kvt"], axes=1) @ Q
        R = Q.T @ fold["Yt"]
    else:
        lam, V, sc = direction_basis(w, gram=fold["gram"], bounds=fold["bounds"])
        L = (fold["Xv"] * sc) @ V
        R = V.T @ (sc[:, None] * fold["XtY"])
    curve = np.empty((scales.size, R.shape[1]))
    for i, s in enumerate(scales):
        E = fold["Yv"] - L @ (R / (lam + s)[:, None])
        curve[i] = np.einsum("ij,ij->j", E, E)
    return curve


def make_folds(blocks, Yc, folds, form, center, w=None):
    """Per fold, the blocks and targets centred on its training rows (training means,
    weighted by `w`) and their rows scaled by √wᵢ, as the kernels (kernel form) or the columns
    and Gram (primal form) that `fold_at`/`fold_curve` read (the held-out sum of squares is
    then Σ wᵢ eᵢ²)."""
    out = []
    bounds = np.concatenate([[0], np.cumsum([B.shape[1] for B in blocks])])
    if w is None:
        w = np.ones(Yc.shape[0])
    for train, test in folds:
        wt = w[train]
        st, sv = np.sqrt(wt)[:, None], np.sqrt(w[test])[:, None]

        def mean(A):
            return wt @ A / wt.sum() if center else 0.0

        yt, yv = Yc[train], Yc[test]
        mu = mean(yt)
        f = {"Yt": st * (yt - mu), "Yv": sv * (yv - mu), "bounds": bounds}
        bt, bv = [], []
        for B in blocks:
            xm = mean(B[train])
            bt.append(st * (B[train] - xm))
            bv.append(sv * (B[test] - xm))
        if form == "kernel":
            f["Ktt"] = np.stack([a @ a.T for a in bt])
            f["Kvt"] = np.stack([v @ a.T for a, v in zip(bt, bv)])
        else:
            f["Xt"], f["Xv"] = np.hstack(bt), np.hstack(bv)
            f["gram"] = f["Xt"].T @ f["Xt"]
            f["XtY"] = f["Xt"].T @ f["Yt"]
        out.append(f)
    return out


class GroupRidgeCV(LinearRegressorBase):
    """Banded ridge regression: one penalty per feature group, by exact leave-one-out or k-fold.

    The penalties are found by a gradient search on log α from a random/grid start.

    The coefficients solve, for each target,

        min_b ‖y − 1b₀ − Σₘ Xₘ bₘ‖² + Σₘ αₘ ‖bₘ‖²

    (Xₘ the columns of group m, b₀ the unpenalized intercept): Ridge with ``penalty_factor``
    vⱼ = α_{g(j)}/α_ref.  The penalty vector α minimizes the exact leave-one-out mean squared
    error L(log α) = Σᵢ ((A y)ᵢ / Aᵢᵢ)² / n, A = (Σₘ XₘXₘᵀ/αₘ + I)⁻¹ − 11ᵀ/n (intercept
    included; the columns centred), found by a random/grid start over directions of the
    simplex and scales, then L-BFGS-B on log α with the closed-form gradient (see the module
    `fastridge._group`).

    Parameters
    ----------
    groups : None, list of array-like of int, or array-like of int of shape (n_features,)
        The bands: a list of column-index arrays that partition the columns (every column in
        exactly one group), or one integer label per column (groups ordered by label).  None
        puts every column in one group (then this is RidgeCV with leave-one-out).
    alphas : array-like of float, default=None
        The grid of the start along each direction γ of the simplex: grid value a gives
        αₘ = a · (trₘ / tr̄) / (M γₘ), trₘ = ‖Xₘ‖²_F / n (centred) and tr̄ their mean — at the
        centre γ = 1/M the grid itself, scaled by each group's relative size; with one group
        exactly the grid (as RidgeCV's).  None is ``np.logspace(-3, 7, 21) * tr̄``.
    cv : None, "loo", int, cross-validation splitter or iterable of (train, test), default=None
        None or "loo": exact leave-one-out.  Otherwise k-fold cross-validation as RidgeCV's
        `cv` (an int is that many contiguous folds): the summed held-out squared error, each
        fold centred on its training rows, minimized by the same start and refinement.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept (the columns and targets are centred).
    n_iter : int, default=20
        Random directions of the start (Dirichlet draws with concentrations 0.1 and 1 in
        turn), besides the centre and the M vertices (slightly inside) of the simplex.
    max_iter : int, default=50
        Iterations of L-BFGS-B per refined cluster; 0 keeps the start.
    tol : float, default=1e-6
        L-BFGS-B's tolerance on the relative change of the objective and its projected
        gradient.
    n_refine : int, default=10
        With at most `n_refine` targets, each target's α-vector is refined on its own (its
        exact leave-one-out minimizer); with more, the targets sharing a start form clusters
        and the `n_refine` largest are refined, each on its summed leave-one-out error.
    alpha_per_target : bool, default=True
        One α-vector per target; False: one shared α-vector minimizing the mean leave-one-out
        error over targets.
    solver : {"auto", "kernel", "primal"}, default="auto"
        "kernel": the n × n form (kernels XₘXₘᵀ); "primal": the p × p form (Gram XᵀX); "auto"
        takes the primal form when p < n (p < the smallest training fold for k-fold).
    random_state : int or None, default=0
        Seed of the random directions.

    Attributes
    ----------
    best_alphas_ : ndarray of shape (n_groups,) or (n_targets, n_groups)
        The chosen penalty per group ((n_groups,) for 1-D y or ``alpha_per_target=False``).
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients at `best_alphas_`.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept (0.0 without `fit_intercept`).
    cv_scores_ : float or ndarray of shape (n_targets,)
        Leave-one-out (or k-fold) R² at `best_alphas_`: 1 − L / (‖y − ȳ‖²/n), L the mean
        squared leave-one-out (held-out) error.
    solver_ : str
        The form used, "kernel" or "primal".
    groups_ : list of ndarray
        The column indices of each group.
    explained_variance_per_group_ : ndarray of shape (n_groups,) or (n_targets, n_groups)
        `score_per_group` on the training data (the training R² split into groups).
    n_iter_ : int or ndarray of shape (n_targets,)
        1 + the L-BFGS-B iterations of the refinement each target's α came from (1: the
        start).
    n_features_in_ : int
        Number of features seen in `fit`.

    See Also
    --------
    fastridge.RidgeCV : One α for every column.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import GroupRidgeCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 30))
    >>> y = X[:, :10] @ rng.standard_normal(10) + 3 * rng.standard_normal(200)
    >>> model = GroupRidgeCV(groups=[np.arange(10), np.arange(10, 30)]).fit(X, y)
    >>> print(model.best_alphas_[0] < model.best_alphas_[1])
    True
    >>> print(np.round(model.explained_variance_per_group_, 2))
    [0.52 0.01]
    """

    def __init__(self, groups: ArrayLike | list[ArrayLike] | None = None,
                 alphas: ArrayLike | None = None, cv: str | None = None,
                 fit_intercept: bool = True, n_iter: int = 20, max_iter: int = 50,
                 tol: float = 1e-6, n_refine: int = 10, alpha_per_target: bool = True,
                 solver: str = "auto", random_state: int | None = 0) -> None:
        self.groups = groups
        self.alphas = alphas
        self.cv = cv
        self.fit_intercept = fit_intercept
        self.n_iter = n_iter
        self.max_iter = max_iter
        self.tol = tol
        self.n_refine = n_refine
        self.alpha_per_target = alpha_per_target
        self.solver = solver
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False       # dense input only
        return tags

    def _check_params(self):
        if isinstance(self.cv, str) and self.cv != "loo":
            raise ValueError(f"cv: GroupRidgeCV takes None or 'loo' (exact leave-one-out), an "
                             f"int >= 2, a splitter or (train, test) pairs; got "
                             f"cv={self.cv!r}.")
        if self.solver not in ("auto", "kernel", "primal"):
            raise ValueError(f"solver must be 'auto', 'kernel' or 'primal'; got "
                             f"solver={self.solver!r}.")
        for name in ("n_iter", "max_iter", "n_refine"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a non-negative int; got {name}={value!r}.")
        if not isinstance(self.tol, numbers.Real) or not self.tol > 0:
            raise ValueError(f"tol must be a positive float; got tol={self.tol!r}.")
        for name in ("fit_intercept", "alpha_per_target"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"{name} must be a bool; got {getattr(self, name)!r}.")
        if self.alphas is None:
            return None
        grid = np.asarray(self.alphas, dtype=np.float64).reshape(-1)
        if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid <= 0):
            raise ValueError("alphas must be positive finite floats.")
        return np.unique(grid)

    @unchanged_on_failure
    def fit(self, X: MatrixLike, y: ArrayLike,
            sample_weight: ArrayLike | None = None) -> GroupRidgeCV:
        """Choose one α per group (and target) by exact leave-one-out or k-fold, and fit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (dense).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Row weights wᵢ ≥ 0: the loss Σ wᵢ (yᵢ − b₀ − xᵢᵀb)², the intercept at the weighted
            means, and the criterion the weighted leave-one-out (held-out) error
            Σ wᵢ eᵢ² / Σ wᵢ (as RidgeCV's).

        Returns
        -------
        GroupRidgeCV
            The fitted estimator (``self``).

        See Also
        --------
        GroupRidgeCV.score_per_group : The R² split into groups.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import GroupRidgeCV
        >>> rng = np.random.default_rng(1)
        >>> X = rng.standard_normal((100, 6))
        >>> Y = X[:, :3] @ rng.standard_normal((3, 2)) + rng.standard_normal((100, 2))
        >>> model = GroupRidgeCV(groups=[0, 0, 0, 1, 1, 1]).fit(X, Y)
        >>> model.best_alphas_.shape, model.coef_.shape
        ((2, 2), (2, 6))
        """
        from scipy import optimize

        grid = self._check_params()
        X, yv = V.validate_data(self, X, y, reset=True, accept_sparse=False)
        single = yv.ndim == 1
        Y = np.asarray(yv, dtype=np.float64).reshape(yv.shape[0], -1)
        Xf = np.asarray(X, dtype=np.float64)
        n, p = Xf.shape
        k = Y.shape[1]
        groups = check_groups(self.groups, p)
        M = len(groups)
        sw = V.check_sample_weight(sample_weight, n, np.float64)
        w = np.ones(n) if sw is None else sw
        W = float(w.sum())
        n_pos = int(np.count_nonzero(w > 0))
        if self.fit_intercept and n_pos < 2:
            raise ValueError(f"GroupRidgeCV with fit_intercept=True needs at least 2 samples "
                             f"with positive weight; got {n_pos} (n_samples={n}).")
        # with weights, the rows scaled by √wᵢ after centring on the weighted means, and the
        # intercept's leverage wᵢ/W (1/n without weights)
        center = bool(self.fit_intercept) if sw is None else \
            (w / W if self.fit_intercept else False)
        sqw = np.sqrt(w)[:, None]
        xbar = w @ Xf / W if self.fit_intercept else np.zeros(p)
        ybar = w @ Y / W if self.fit_intercept else np.zeros(k)
        raw = [Xf[:, g] - xbar[g] for g in groups]       # centred, for the folds
        Yraw = Y - ybar
        Yc = Yraw if sw is None else sqw * Yraw
        blocks = raw if sw is None else [sqw * B for B in raw]
        traces = np.array([np.einsum("ij,ij->", B, B) for B in blocks]) / W
        if np.any(traces <= 0):
            raise ValueError(f"groups: group(s) {np.flatnonzero(traces <= 0).tolist()} have "
                             f"only constant columns.")
        folds = cv_folds(self.cv, Xf, Y)
        n_train = n if folds is None else min(tr.size for tr, _ in folds)
        form = self.solver if self.solver != "auto" else ("primal" if p < n_train else "kernel")
        bounds = np.concatenate([[0], np.cumsum([g.size for g in groups])])
        if form == "kernel":
            kernels = np.stack([B @ B.T for B in blocks])
            full = {"kernels": kernels}
        else:
            Xc = np.hstack(blocks)                       # the columns in group order
            gram = Xc.T @ Xc
            full = {"Xc": Xc, "gram": gram, "bounds": bounds}
        fold_data = None if folds is None else make_folds(raw, Yraw, folds, form,
                                                          self.fit_intercept, sw)
        # the criterion: Σ wᵢ eᵢ² / Σ wᵢ over the held-out rows (the loo_* functions divide by n)
        held = n / W if folds is None else 1.0 / sum(w[te].sum() for _, te in folds)

        def criterion_at(t, cols, want_grad):
            """Mean squared leave-one-out or held-out error (and gradient) at log α = t."""
            if fold_data is None:
                if form == "kernel":
                    loss, grad, _ = loo_at(kernels, t, Yc[:, cols], center, want_grad, blocks)
                else:
                    loss, grad, _ = loo_at_primal(Xc, gram, bounds, t, Yc[:, cols], center,
                                                  want_grad)
                return loss * held, (grad * held if want_grad else None)
            parts = [fold_at(f, t, cols, want_grad) for f in fold_data]
            loss = sum(q[0] for q in parts) * held
            return loss, (sum(q[1] for q in parts) * held if want_grad else None)

        def basis_at(w):
            """The basis of the kernel Σ wₘXₘXₘᵀ of all the rows, as `loo_curve` and
            `residual_at` take it: (λ, Q, Yperp)."""
            if form == "kernel":
                lam, Q, _ = direction_basis(w, kernels=kernels)
                Yperp = None
            else:
                lam, Q, Yperp = thin_basis(*direction_basis(w, **full), Xc, Yc)
            return lam, Q, Yperp

        if grid is None:
            grid = np.logspace(-3, 7, 21) * traces.mean()
        grid = grid / (M * traces.mean())    # the scales s on the normalized kernels
        rng = np.random.default_rng(self.random_state)
        dirs = [np.full(M, 1.0 / M)]
        if M > 1:
            dirs += list(0.98 * np.eye(M) + 0.02 / M)
            conc = (0.1, 1.0)
            dirs += [rng.dirichlet(np.full(M, conc[i % 2])) for i in range(self.n_iter)]
        per_target = self.alpha_per_target
        K = k if per_target else 1

        best_loss = np.full(K, np.inf)
        best_t = np.zeros((K, M))
        duals = np.zeros((n, k))
        n_iter_ = np.ones(K, dtype=int)
        start_of = np.zeros(K, dtype=int)
        won = {}                             # k-fold: tag -> (direction w, scale per target)

        def score_direction(gamma, scales, tag, iters):
            gamma = np.clip(gamma, 1e-300, None)
            wd = gamma / traces
            if fold_data is None:
                lam, Q, Yperp = basis_at(wd)
                curve, best, D = loo_curve(lam, Q, Yc, scales, center, Yperp)
                curve *= held
            else:
                curve = sum(fold_curve(f, wd, scales) for f in fold_data) * held
                best = np.argmin(curve, axis=0)
                D = None
            if not per_target:
                curve = curve.mean(axis=1, keepdims=True)
                best = np.argmin(curve, axis=0)
                D = None
            lo = curve[best, np.arange(K)]
            better = lo < best_loss
            if not better.any():
                return
            best_loss[better] = lo[better]
            t = np.log(scales[best][:, None]) - np.log(gamma)[None, :] + np.log(traces)
            best_t[better] = t[better]
            start_of[better] = tag
            n_iter_[better] = iters
            if per_target and D is not None:
                duals[:, better] = D[:, better]
            elif per_target:
                won[tag] = (wd, scales[best])

        for c, gamma in enumerate(dirs):
            score_direction(gamma, grid, c, 1)

        if M > 1 and self.max_iter > 0 and self.n_refine > 0:
            lo_b = np.log(grid[0]) - np.log(1e3) + np.log(traces.min())
            hi_b = np.log(grid[-1]) + np.log(1e6) + np.log(traces.max())
            start0, t_start = start_of.copy(), best_t.copy()   # the clusters of the start
            if K <= self.n_refine:      # few targets: each refined on its own
                clusters = [np.array([j]) for j in range(K)]
            else:
                tags, counts = np.unique(start0, return_counts=True)
                order = tags[np.argsort(-counts, kind="stable")][: self.n_refine]
                clusters = [np.flatnonzero(start0 == tag) for tag in order]
            fine = np.logspace(-0.5, 0.5, 5)
            for c, members in enumerate(clusters):
                cols = members if per_target else np.arange(k)
                t0 = np.clip(np.median(t_start[members], axis=0), lo_b, hi_b)

                def fun(t, cols=cols):
                    loss, grad = criterion_at(t, cols, True)
                    return loss.mean(), grad.mean(axis=1)

                res = optimize.minimize(fun, t0, jac=True, method="L-BFGS-B",
                                        bounds=[(lo_b, hi_b)] * M,
                                        options={"maxiter": self.max_iter, "ftol": self.tol,
                                                 "gtol": self.tol})
                a = np.exp(res.x)
                s = 1.0 / np.sum(1.0 / a)
                gamma = (s / a) * traces      # direction on the normalized kernels
                g_sum = gamma.sum()
                score_direction(gamma / g_sum, s / g_sum * fine, len(dirs) + c,
                                1 + int(res.nit))

        alphas_t = np.exp(best_t)                        # (K, M)
        if not per_target:
            duals = (loo_at(kernels, best_t[0], Yc, center)[2] if form == "kernel" else
                     loo_at_primal(Xc, gram, bounds, best_t[0], Yc, center)[2])
            alphas_k = np.broadcast_to(alphas_t, (k, M))
        else:
            alphas_k = alphas_t
            for tag, (wd, scales_k) in won.items():  # k-fold: the residuals on all rows
                members = np.flatnonzero(start_of == tag)
                if members.size:
                    lam, Q, Yperp = basis_at(wd)
                    duals[:, members] = residual_at(
                        lam, Q, Q.T @ Yc[:, members], scales_k[members], Yc[:, members],
                        None if Yperp is None else Yperp[:, members])
        rows, which = np.unique(alphas_k, axis=0, return_inverse=True)
        which = which.reshape(-1)
        exact = rows.shape[0] <= (50 if form == "primal" else 10)
        if exact and form == "kernel":
            # few distinct α-vectors: the residuals G⁻¹Y by a direct solve rather than through
            # a direction's eigenbasis (which loses digits when one αₘ is tiny)
            from scipy import linalg

            for r, a in enumerate(rows):
                members = np.flatnonzero(which == r)
                G = np.tensordot(1.0 / a, kernels, axes=1)
                G[np.diag_indices(n)] += 1.0
                duals[:, members] = linalg.solve(G, Yc[:, members], assume_a="pos",
                                                 check_finite=False)
        coef = np.empty((k, p))
        for m, g in enumerate(groups):
            coef[:, g] = (blocks[m].T @ duals).T / alphas_k[:, m][:, None]
        if exact and form == "primal":
            # likewise (XᵀX + diag α) b = XᵀY solved directly
            from scipy import linalg

            cols = np.concatenate(groups)
            XtY = Xc.T @ Yc
            for r, a in enumerate(rows):
                members = np.flatnonzero(which == r)
                S = gram.copy()
                S[np.diag_indices(p)] += np.repeat(a, np.diff(bounds))
                coef[np.ix_(members, cols)] = linalg.solve(
                    S, XtY[:, members], assume_a="pos", check_finite=False).T
        intercept = ybar - coef @ xbar
        self.groups_ = groups
        self.solver_ = form
        self.best_alphas_ = alphas_t[0] if (single or not per_target) else alphas_t
        sst = np.einsum("ij,ij->j", Yc, Yc) / W
        with np.errstate(divide="ignore", invalid="ignore"):
            loss = best_loss if per_target else criterion_at(best_t[0], np.arange(k), False)[0]
            r2 = 1.0 - loss / sst
        self.cv_scores_ = float(r2[0]) if single else r2
        set_linear_fit(self, LinearFit(coef, intercept, np.broadcast_to(n_iter_, (k,)), None),
                       dtype=X.dtype, single=single)
        self.explained_variance_per_group_ = self.score_per_group(X, y)
        return self

    def score_per_group(self, X: MatrixLike, y: ArrayLike) -> NDArray[np.floating]:
        """The R² of the predictions split into groups by the partial predictions of each band.

        With ŷₘ = Xₘ bₘ centred over the rows given, ŷ = Σₘ ŷₘ and y_c = y − ȳ,

            R²ₘ = (2 y_cᵀ ŷₘ − ŷₘᵀ ŷ) / ‖y_c‖²,

        whose sum over groups is 1 − ‖y_c − ŷ‖²/‖y_c‖²: the R² of the predictions once their
        mean bias is removed (on the training data, where that bias is 0, exactly `score`).
        A group's share can be negative (a band that hurts, or correlated bands).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data with the columns seen in `fit`.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            True targets.

        Returns
        -------
        ndarray of shape (n_groups,) or (n_targets, n_groups)
            R²ₘ for each group (and target).

        See Also
        --------
        GroupRidgeCV.score : The R² itself.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import GroupRidgeCV
        >>> rng = np.random.default_rng(2)
        >>> X = rng.standard_normal((150, 4))
        >>> y = X @ np.array([1.0, 1.0, 0.0, 0.0]) + rng.standard_normal(150)
        >>> model = GroupRidgeCV(groups=[0, 0, 1, 1]).fit(X, y)
        >>> split = model.score_per_group(X, y)
        >>> print(np.round(split, 2), np.isclose(split.sum(), model.score(X, y)))
        [0.66 0.01] True
        """
        self._check_is_fitted()
        X = V.validate_data(self, X, reset=False, accept_sparse=False)
        y = np.asarray(y, dtype=np.float64)
        single = y.ndim == 1
        Y = y.reshape(y.shape[0], -1)
        Yc = Y - Y.mean(axis=0)
        coef = np.asarray(self.coef_, dtype=np.float64).reshape(-1, X.shape[1])
        Xf = np.asarray(X, dtype=np.float64)
        parts = []
        for g in self.groups_:
            P = Xf[:, g] @ coef[:, g].T
            parts.append(P - P.mean(axis=0))
        total = np.sum(parts, axis=0)
        sst = np.einsum("ij,ij->j", Yc, Yc)
        out = np.stack([(2 * np.einsum("ij,ij->j", Yc, P) - np.einsum("ij,ij->j", P, total))
                        / sst for P in parts], axis=1)          # (k, M)
        return out[0] if single else out
