"""Standard errors, confidence intervals and tests for ridge coefficients, from p × p statistics.

The ridge estimator is linear in y.  In the fit coordinates of `_preprocessing` (Z the centred —
with an intercept — and scaled columns, d the scales, W = diag(w)), with the penalty matrix
αV = α diag(v) (v the penalty factors) and A = ZᵀWZ + αV,

    b = A⁻¹ ZᵀW y,    β = d∘b,    β₀ = ȳ − x̄ᵀβ            (ȳ, x̄ weighted means)

and since Zᵀw = 0 the centred intercept ȳ and b are uncorrelated.  Every kind of covariance
below is computed for θ_f = (ȳ, b) and mapped to the raw parameters θ = (β₀, β) by the linear
map J = [[1, −(x̄∘d)ᵀ], [0, diag(d)]] (exact: Cov θ = J Cov θ_f Jᵀ).  Written for the raw
parameters, it is the same sandwich with the intercept column of [1 X] unpenalized.

Model (precision weights, as R's ``lm(weights=)``): yᵢ = β₀ + xᵢᵀβ + εᵢ, Var εᵢ = σ²/wᵢ.

``"sandwich"``
    Cov b = σ̂² A⁻¹ZᵀWZ A⁻¹,  Var ȳ = σ̂²/Σw,  with
    σ̂² = Σ wᵢ eᵢ² / ν,  ν = n₊ − tr(2H − HᵀH) − 1  (−1 only with an intercept),
    n₊ the number of rows with positive weight, H = W^½ Z A⁻¹ ZᵀW^½ the penalized part of the hat
    matrix: tr H = tr(A⁻¹ZᵀWZ), tr HᵀH = tr((A⁻¹ZᵀWZ)²).  E[Σwe²] = σ²ν + the squared bias,
    so σ̂² is unbiased when the bias of the fit is negligible (Hastie & Tibshirani's residual
    degrees of freedom); at α = 0 it is the least-squares σ̂² on n₊ − p − 1 degrees of freedom.
``"HC0"`` … ``"HC3"``
    The heteroscedasticity-consistent sandwich of the weighted (whitened) problem:
    Cov θ_f = B M B, B = blockdiag(1/Σw, A⁻¹), M = Σᵢ ωᵢ wᵢ² eᵢ² z̃ᵢz̃ᵢᵀ with z̃ᵢ = (1, zᵢ) and
    ωᵢ = 1 (HC0), n₊/ν (HC1), 1/(1 − hᵢ) (HC2), 1/(1 − hᵢ)² (HC3), hᵢ = wᵢ (1/Σw + zᵢᵀA⁻¹zᵢ)
    the leverage of row i in the full hat matrix (intercept included), as wᵢ(1/Σw + ‖L⁻¹zᵢ‖²)
    with A = LLᵀ (one triangular solve a row).  One more pass over the rows (`hc_block`).
``"bayes"``
    The posterior of the Bayesian ridge model of `RidgeEM` (b ~ N(0, σ²(αV)⁻¹), flat intercept,
    frequency weights): Cov b = σ̂² A⁻¹, Var ȳ = σ̂²/Σw, with σ̂² = (Σwe² + α bᵀVb) / N,
    N = Σw − 1 − (number of unpenalized features) — `RidgeEM`'s noise variance at this α.

Intervals and tests use Student's t on ν degrees of freedom for the frequentist kinds (R's
``coeftest`` convention, also for HC) and the normal distribution for ``"bayes"``.

Everything comes from the sufficient statistics (`_stats`) of the rows — W, x̄, ȳ, ZᵀWZ, ZᵀWy,
yᵀWy — plus, for HC, one pass over row blocks (`backend.map_blocks`): so it runs on data in
memory, in row chunks (after `partial_fit`) and on Dask.
"""
from typing import Any

import numpy as np

from fastridge import _preprocessing as P, _stats

KINDS = ("sandwich", "HC0", "HC1", "HC2", "HC3", "bayes")


def check_kind(kind):
    """The canonical name of a covariance `kind` (HC names in any case), or ValueError."""
    if isinstance(kind, str):
        for name in KINDS:
            if kind.lower() == name.lower():
                return name
    raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}.")


def _inverse(A):
    """A⁻¹ of a symmetric positive definite A (equilibrated eigendecomposition), or ValueError
    when A is numerically singular (the coefficients are then not identified)."""
    s = 1.0 / np.sqrt(np.diag(A))
    lam, Q = np.linalg.eigh(A * s[:, None] * s[None, :])
    if lam.size and not lam[0] > lam[-1] * lam.size * np.finfo(np.float64).eps * 10:
        raise ValueError(
            "The ridge system X'WX + alpha*V is numerically singular (alpha = 0, or zero "
            "penalty factors, on collinear columns or with more columns than rows): the "
            "coefficients are not identified and have no standard errors. Use alpha > 0.")
    inv = (Q / lam) @ Q.T
    inv = 0.5 * (inv + inv.T)
    return inv * s[:, None] * s[None, :]


def _factor(A):
    """A lower-triangular L with A = LLᵀ, A symmetric positive definite (`_inverse` has
    checked it): the Cholesky factor of the equilibrated A, or — when rounding defeats the
    Cholesky recursion on a badly conditioned A — the same factor from the eigendecomposition
    (A = QΛQᵀ = RᵀR with R the triangle of the QR of Λ^½Qᵀ)."""
    s = 1.0 / np.sqrt(np.diag(A))
    As = A * s[:, None] * s[None, :]
    try:
        L = np.linalg.cholesky(As)
    except np.linalg.LinAlgError:
        lam, Q = np.linalg.eigh(As)
        R = np.linalg.qr(np.sqrt(np.clip(lam, 0.0, None))[:, None] * Q.T, mode="r")
        L = R.T * np.where(np.diag(R) < 0, -1.0, 1.0)   # a positive diagonal, as Cholesky's
    return L / s[:, None]


def hc_block(X, Y, w, act, xbar, d, ybar, B, chol, which, W, center, kind):
    """One row block's share of the HC "meat" Σᵢ ωᵢ wᵢ² eᵢ² z̃ᵢz̃ᵢᵀ for every target:
    (k, m, m) with m = 1 + len(act) (intercept first) or len(act) — for HC2/HC3 in the
    whitened coordinates t̃ᵢ = L̃⁻¹z̃ᵢ of the target's factor (`unwhiten` maps it back).

    `B` (k, len(act)) fit-coordinate coefficients; for HC2/HC3, `chol` (u, len(act), len(act))
    lower-triangular factors A = LLᵀ of the distinct ridge systems (fit coordinates),
    L̃ = blockdiag(1, L) with an intercept, and `which` (k,) the factor of each target.  Rows
    are taken in sub-blocks (a Dask chunk may be large); in each, the centred rows
    C̃ = (1, x − x̄) are formed once (row-major, so C̃ᵀ is a column-major BLAS operand), z = d∘c:

    * residuals  E = (Y − ȳ) − C(d∘b)                    one gemv per target
    * HC2/HC3    T̃ = Z̃ L̃⁻ᵀ in place of C̃ (one trsm per distinct factor, b·p² flops);
      hᵢ = wᵢ(1/W + ‖tᵢ‖²) as zᵢᵀA⁻¹zᵢ = ‖L⁻¹zᵢ‖²; meat T̃ᵀ diag(q) T̃
    * HC0/HC1    meat C̃ᵀ diag(q) C̃, then z = d∘c on both sides
    * q = ω w² e²; each meat one syrk per target of the rows scaled by √q.

    Every BLAS call is SciPy's (the library of the fit's kernels): a product from NumPy's own
    OpenBLAS between the syrk calls makes the two libraries' thread pools contend, several
    times slower."""
    from scipy.linalg.blas import dgemm, dgemv, dsyrk, dtrsm

    from fastridge import _config

    Xa = X if len(act) == X.shape[1] else X[:, act]
    n = Xa.shape[0]
    k, pa = B.shape
    c0 = int(center)
    m = pa + c0
    Y = np.asarray(Y, dtype=np.float64).reshape(n, k)
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    # (ȳ, d∘b) by targets: E = Y − (1, c)(ȳ, d∘b)ᵀ
    coef = np.asfortranarray(np.hstack([ybar[:, None], B * d]) if center else B * d)
    leverage = kind in ("HC2", "HC3") and m > 0
    groups = {}                          # factor → its targets (order kept)
    for t in range(k):
        groups.setdefault(int(which[t]) if leverage else 0, []).append(t)
    if leverage:
        # L̃ of D⁻¹AD⁻¹ (c-coordinates): L⁻¹(d∘c) = (D⁻¹L)⁻¹c
        fac = {}
        for u in groups:
            F = np.zeros((m, m), order="F")
            F[:c0, :c0] = 1.0
            F[c0:, c0:] = chol[u] / d[:, None]
            fac[u] = F
    # lower triangles, accumulated in place by syrk (column-major, as BLAS keeps them)
    acc = [np.zeros((m, m), order="F") for _ in range(k)]
    # sub-blocks as the memory backend's blocks, which are thus taken whole
    nsub = -(-n // _config.block_rows(X.shape[1], minimum=1024))
    step = -(-n // max(nsub, 1))                # equal sub-blocks, no sliver at the end
    C1 = np.empty((min(step, n), m))
    for lo in range(0, n, step):
        hi = min(lo + step, n)
        nb = hi - lo
        Xb = Xa[lo:hi]
        Xb = np.asarray(Xb.toarray() if hasattr(Xb, "toarray") else Xb, dtype=np.float64)
        C1b = C1[:nb]
        if center:
            C1b[:, 0] = 1.0
        np.subtract(Xb, xbar, out=C1b[:, c0:])
        E = np.array(Y[lo:hi])
        if m and k <= 4:
            for t in range(k):
                E[:, t] -= dgemv(1.0, C1b.T, coef[t], trans=1)
        elif m:
            E -= dgemm(1.0, coef, C1b.T).T
        wb = w[lo:hi]
        last_group = list(groups)[-1]
        for u, targets in groups.items():
            base = C1b if u == last_group else C1b.copy()   # the last one works in place
            omega = 1.0
            if leverage:
                base = dtrsm(1.0, fac[u], base.T, side=0, lower=1, overwrite_b=1).T
                h = np.einsum("ij,ij->i", base[:, c0:], base[:, c0:])
                if center:
                    h += 1.0 / W
                h *= wb
                with np.errstate(divide="ignore"):
                    omega = 1.0 / (1.0 - h)
                if kind == "HC3":
                    omega = omega * omega
            for t in targets:
                q = (wb * E[:, t]) ** 2
                with np.errstate(invalid="ignore"):
                    q = np.where(q > 0, q * omega, 0.0)
                if not m:
                    continue
                S = base if t == targets[-1] else base.copy()
                S *= np.sqrt(q)[:, None]
                # the Gram of √q (1, c) (or of √q t̃): one triangle, S.T column-major
                acc[t] = dsyrk(1.0, S.T, beta=1.0, c=acc[t], trans=0, lower=1, overwrite_c=1)
    out = np.zeros((k, m, m))
    scale = np.ones(m) if leverage else np.r_[np.ones(c0), d]
    for t in range(k):
        out[t] = (np.tril(acc[t]) + np.tril(acc[t], -1).T) * scale[:, None] * scale
    return out


def unwhiten(meat, chol, which, center, kind):
    """`hc_block`'s summed meat in fit coordinates: L̃ M L̃ᵀ for HC2/HC3 (as is otherwise)."""
    if kind not in ("HC2", "HC3") or meat.shape[1] == 0:
        return meat
    c0 = int(center)
    out = np.empty_like(meat)
    for t in range(meat.shape[0]):
        F = np.zeros(meat.shape[1:])
        F[:c0, :c0] = 1.0
        F[c0:, c0:] = chol[which[t]]
        M = F @ meat[t] @ F.T
        out[t] = 0.5 * (M + M.T)
    return out


def sum_blocks(parts):
    """The sum of the blocks' `hc_block` results."""
    total = parts[0].copy()
    for part in parts[1:]:
        total += part
    return total


def fingerprint_block(X, Y, w, xbar, ybar, R):
    """One row block's sums about given means (x̄, ȳ of kept statistics), to tell whether the
    rows are those the statistics were made from: (rows, rows of positive weight, Σw,
    Σw(x − x̄), Σw(y − ȳ), Σw(x − x̄)(y − ȳ)ᵀ, Σw(y − ȳ)², Σw((x − x̄)ᵀR)²)."""
    # products with X itself, centred after (two reads of X, no centred copy): with means
    # far beyond the spread the rounding of x̄ᵀ(…) fails the check, and the statistics are
    # formed again, exactly
    Xd = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
    Yc = np.asarray(Y, dtype=np.float64) - ybar
    n = Xd.shape[0]
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    WY = np.hstack([w[:, None], Yc * w[:, None]])
    S = Xd.T @ WY - np.outer(xbar, WY.sum(axis=0))     # Σw(x − x̄) and Σw(x − x̄)(y − ȳ)ᵀ
    U = Xd @ R - xbar @ R
    return (n, int(np.count_nonzero(w > 0)), float(w.sum()), S[:, 0], WY[:, 1:].sum(axis=0),
            S[:, 1:], np.einsum("ij,ij->j", WY[:, 1:], Yc), w @ (U * U))


def sum_tuples(parts):
    """Element-wise sums of the blocks' `fingerprint_block` tuples."""
    out = list(parts[0])
    for part in parts[1:]:
        out = [a + b for a, b in zip(out, part)]
    return tuple(out)


def _matches(st, fp, R):
    """Whether the sums `fp` (`fingerprint_block` over all the rows) agree with the statistics
    `st` to rounding: same rows, total weight, means, cross products with y, sums of squares
    of y, and the quadratic form of ZᵀWZ along two random directions `R`."""
    n, _, W, sx, sy, cross, yy, quad = fp
    if n != st.n or not abs(W - st.W) <= 1e-10 * st.W or st.W <= 0:
        return False
    tol = 1e-4 if st.dtype == np.float32 else 1e-8
    tiny = np.finfo(np.float64).tiny
    dx, dy = sx / W, sy / W
    sdx = np.sqrt(np.clip(np.diag(st.Mxx), 0.0, None) / W)
    sdy = np.sqrt(np.clip(st.Myy, 0.0, None) / W)
    with np.errstate(all="ignore"):
        ok = (np.all(np.abs(dx) <= tol * sdx + tiny) and np.all(np.abs(dy) <= tol * sdy + tiny)
              and np.all(np.abs(cross - W * np.outer(dx, dy) - st.Mxy)
                         <= tol * W * np.outer(sdx, sdy) + tiny)
              and np.all(np.abs(yy - W * dy * dy - st.Myy) <= tol * st.Myy + tiny))
        ref = np.einsum("ji,jk,ki->i", R, st.Mxx, R) + W * (dx @ R) ** 2
        ok = ok and np.all(np.abs(quad - ref) <= tol * np.abs(ref) + tiny)
    return bool(ok)


def statistics(backend, data, kept=None):
    """(statistics, rows of positive weight) of `data`: `kept` statistics when the rows are
    the ones they were made from (one read of the rows, O(n·p) flops, checks it), else one
    pass that forms them (O(n·p²))."""
    if kept is not None and (kept.p, kept.k) == (data.p, data.k):
        R = np.random.default_rng(0).standard_normal((data.p, 2))
        with np.errstate(all="ignore"):
            fp = backend.map_blocks(data, fingerprint_block, sum_tuples, kept.xbar, kept.ybar, R)
        if _matches(kept, fp, R):
            return kept, fp[1]
    with np.errstate(all="ignore"):
        st = backend.statistics(data)
    if not _stats.finite(st):
        raise ValueError("Input X, y or sample_weight contains NaN or infinity, or values "
                         "whose squares overflow float64.")
    return st, int(backend.positive_rows(data))


def ridge_inference(backend, data, *, alphas, v, fit_intercept, standardize, kind, names,
                    single, kept=None, exclude=None):
    """A :class:`RidgeInference` for the ridge fit of `data` (a backend's validated rows) at
    `alphas` (k,) with penalty factors `v` (p,): see the module docstring for the formulas.
    `kept`: the statistics the estimator kept of the rows it was fitted on, reused when `data`
    are those rows (see `statistics`); `exclude`: columns whose coefficient is fixed at 0 (no
    variance, as a constant column's)."""
    kind = check_kind(kind)
    st, n_pos = statistics(backend, data, kept)
    pr = _stats.problem(st, fit_intercept=fit_intercept, standardize=standardize)
    P.exclude_columns(pr, exclude)     # glmnet's exclude: fixed at 0, as a constant column
    act = np.flatnonzero(pr.d != 0)
    d = pr.d[act]
    center = bool(pr.center)
    G = pr.G0[np.ix_(act, act)] * d[:, None] * d[None, :]
    G = 0.5 * (G + G.T)
    C = pr.C0[act] * d[:, None]
    va = v[act]
    k, p, pa = pr.k, pr.p, act.size
    m = pa + center
    W = float(pr.W)

    inverses, which = [], np.empty(k, dtype=np.intp)
    seen = {}
    for t, a in enumerate(alphas):
        if float(a) not in seen:
            seen[float(a)] = len(inverses)
            inverses.append(_inverse(G + float(a) * np.diag(va)) if pa else np.zeros((0, 0)))
        which[t] = seen[float(a)]
    inv = np.stack(inverses)

    B = np.empty((k, pa))
    covf = np.zeros((k, m, m))
    sigma2 = np.empty(k)
    df_resid = np.empty(k)
    vif = np.full((k, p), np.nan)
    rss = np.empty(k)
    for t in range(k):
        Ai = inv[which[t]]
        b = Ai @ C[:, t]
        B[t] = b
        M = Ai @ G
        S = M @ Ai
        S = 0.5 * (S + S.T)                          # A⁻¹ZᵀWZA⁻¹
        df_resid[t] = n_pos - (2.0 * np.trace(M) - np.sum(M * M.T)) - center
        rss[t] = max(pr.yy[t] - 2.0 * b @ C[:, t] + b @ G @ b, 0.0)
        if kind == "bayes":
            N = W - center - np.count_nonzero(va == 0)
            if not N > 0:
                raise ValueError(
                    f"kind='bayes' needs more observations than unpenalized parameters: the "
                    f"total weight is {W:.6g}.")
            sigma2[t] = (rss[t] + alphas[t] * np.sum(va * b * b)) / N
            core = Ai
        else:
            sigma2[t] = rss[t] / df_resid[t] if df_resid[t] > 0 else np.nan
            core = S
        if kind in ("sandwich", "bayes"):
            covf[t, center:, center:] = sigma2[t] * core
            if center:
                covf[t, 0, 0] = sigma2[t] / W
        if pa:
            sd = np.sqrt(np.diag(S))
            R = S / sd[:, None] / sd[None, :]
            vif[t, act] = np.diag(np.linalg.inv(R)) if pa > 1 else 1.0
    if np.any(~(df_resid > 0)) and kind != "bayes":
        raise ValueError(
            f"No residual degrees of freedom left (n - tr(2H - H'H){' - 1' if center else ''}"
            f" = {df_resid.min():.6g} with {n_pos} rows of positive weight): the noise variance "
            "cannot be estimated. Use more rows or a larger alpha.")
    if kind.startswith("HC"):
        # HC2/HC3's leverages zᵢᵀA⁻¹zᵢ as ‖L⁻¹zᵢ‖² (A = LLᵀ): one triangular solve a row
        chol = (np.stack([_factor(G + float(a) * np.diag(va)) for a in seen])
                if kind in ("HC2", "HC3") and pa else np.zeros((len(seen), pa, pa)))
        meat = backend.map_blocks(
            data, hc_block, sum_blocks, act, pr.xbar[act] if center else np.zeros(pa), d,
            pr.ybar if center else np.zeros(k), B, chol, which, W, center, kind)
        meat = unwhiten(meat, chol, which, center, kind)
        for t in range(k):
            bread = np.zeros((m, m))
            bread[center:, center:] = inv[which[t]]
            if center:
                bread[0, 0] = 1.0 / W
            c = bread @ meat[t] @ bread
            if kind == "HC1":
                c *= n_pos / df_resid[t]
            covf[t] = 0.5 * (c + c.T)

    # the linear map to the raw parameters θ = (β₀, β)
    nparams = p + center
    J = np.zeros((nparams, m))
    J[center + act, center + np.arange(pa)] = d
    if center:
        J[0, 0] = 1.0
        J[0, 1:] = -(pr.xbar[act] * d)
    thf = np.hstack([pr.ybar[:, None], B]) if center else B
    coef = thf @ J.T
    cov = J @ covf @ J.T
    return RidgeInference(coef=coef, cov=cov, kind=kind, df_resid=df_resid, sigma2=sigma2,
                          vif=vif, names=names, fit_intercept=center, single=single,
                          alpha=np.asarray(alphas, dtype=np.float64), n_pos=n_pos)


def _t_quantiles(prob, df, normal):
    """Upper quantiles of Student's t on `df` (array) degrees of freedom, or normal."""
    from scipy import special

    if normal:
        return np.full(np.shape(df), special.ndtri(prob))
    return special.stdtrit(df, prob)


class RidgeInference:
    """Standard errors, intervals and tests for the coefficients of a ridge fit.

    Returned by :meth:`fastridge.Ridge.inference`; see it for the formulas of each `kind`.
    Parameters are the intercept (first, named ``"intercept"``, when the model has one) and the
    features, on the raw scale of X (also with ``standardize=True``: the covariance is mapped
    exactly).  Arrays are laid out as the estimator's `coef_`: one target (1-D y) gives
    (n_params,) vectors and an (n_params, n_params) covariance; several targets add a leading
    n_targets axis.  Made by `Ridge.inference`, not by hand.

    Parameters
    ----------
    coef : ndarray of shape (n_targets, n_params)
        The coefficients, intercept first when fitted.
    cov : ndarray of shape (n_targets, n_params, n_params)
        Their covariance matrices.
    kind : str
        The kind of covariance (see `Ridge.inference`).
    df_resid : ndarray of shape (n_targets,)
        Residual degrees of freedom ν.
    sigma2 : ndarray of shape (n_targets,)
        The noise variance used.
    vif : ndarray of shape (n_targets, n_features)
        Ridge variance inflation factors.
    names : list of str
        Parameter names.
    fit_intercept : bool
        Whether the first parameter is the intercept.
    single : bool
        One target given as 1-D y: the arrays lose their leading axis.
    alpha : ndarray of shape (n_targets,)
        The penalty of each target.
    n_pos : int
        The number of rows with positive weight.

    Attributes
    ----------
    kind : str
        ``"sandwich"``, ``"HC0"`` … ``"HC3"`` or ``"bayes"``.
    names : list of str
        Parameter names: ``"intercept"`` then the feature names (``x0``, ``x1``, … when X had
        none).
    coef : ndarray of shape (n_params,) or (n_targets, n_params)
        The coefficients θ = (β₀, β) (`intercept_` and `coef_` of the exact ridge solution).
    cov : ndarray of shape (n_params, n_params) or (n_targets, n_params, n_params)
        Their covariance matrix.
    se : ndarray
        Standard errors √diag(cov); 0 for a constant column (coefficient fixed at 0).
    t : ndarray
        coef / se (NaN where se = 0).
    p_values : ndarray
        Two-sided p-values of θⱼ = 0: Student's t on `df_resid` degrees of freedom, the normal
        distribution for ``kind="bayes"`` (posterior mass beyond 0, doubled).
    df_resid : float or ndarray
        ν = n₊ − tr(2H − HᵀH) − 1 (−1 with an intercept only).
    sigma2 : float or ndarray
        The noise variance σ̂² used (Σwe²/ν; for ``"bayes"`` the posterior's).
    vif : ndarray of shape (n_features,) or (n_targets, n_features)
        Ridge variance inflation factors, genridge's ``vif.ridge``: VIFⱼ = (R⁻¹)ⱼⱼ with R the
        correlation matrix of the coefficients' sandwich covariance A⁻¹ZᵀWZA⁻¹ (Fox & Monette
        1992); at α = 0 the classical 1/(1 − R²ⱼ).  NaN for a constant column.
    alpha : float or ndarray
        The penalty of each target.
    n_samples_positive : int
        The number of rows with positive weight, n₊.

    See Also
    --------
    Ridge.inference : Makes it.
    RidgeEM : Its ``coef_cov_`` is the ``"bayes"`` covariance at the chosen α.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import Ridge
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 2))
    >>> y = 1.0 + X @ np.array([2.0, 0.0]) + rng.standard_normal(200)
    >>> res = Ridge(alpha=1.0).fit(X, y).inference(X, y)
    >>> res.names
    ['intercept', 'x0', 'x1']
    >>> print(np.round(res.se, 3))
    [0.071 0.072 0.07 ]
    >>> print(res.p_values[1] < 1e-10, res.p_values[2] > 0.05)
    True True
    >>> print(np.round(res.conf_int(0.90), 2))
    [[0.88 1.11]
     [1.82 2.06]
     [0.   0.23]]
    """

    def __init__(self, *, coef: np.ndarray, cov: np.ndarray, kind: str, df_resid: np.ndarray,
                 sigma2: np.ndarray, vif: np.ndarray, names: list, fit_intercept: bool,
                 single: bool, alpha: np.ndarray, n_pos: int) -> None:
        self.kind = kind
        self.names = list(names)
        self._single = single
        self.fit_intercept = fit_intercept
        self.n_samples_positive = n_pos
        with np.errstate(invalid="ignore"):
            se = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0.0, None))
            t = np.where(se > 0, coef / np.where(se > 0, se, 1.0), np.nan)
        from scipy import special

        if kind == "bayes":
            pv = 2.0 * special.ndtr(-np.abs(t))
        else:
            pv = 2.0 * special.stdtr(df_resid[:, None], -np.abs(t))
        self._df = df_resid
        pick = (lambda a: a[0]) if single else (lambda a: a)
        self.coef, self.cov, self.se, self.t, self.p_values = (
            pick(coef), pick(cov), pick(se), pick(t), pick(pv))
        self.vif = pick(vif)
        self.df_resid = float(df_resid[0]) if single else df_resid
        self.sigma2 = float(sigma2[0]) if single else sigma2
        self.alpha = float(alpha[0]) if single else alpha

    def conf_int(self, level: float = 0.95) -> np.ndarray:
        """Confidence (credible, for ``"bayes"``) intervals θⱼ ± q·seⱼ.

        Parameters
        ----------
        level : float, default=0.95
            Coverage in (0, 1); q is the (1 + level)/2 quantile of Student's t on `df_resid`
            degrees of freedom (of the normal distribution for ``kind="bayes"``).

        Returns
        -------
        ndarray of shape (n_params, 2) or (n_targets, n_params, 2)
            Lower and upper bounds.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge
        >>> X = np.arange(10.0)[:, None]
        >>> y = np.array([0.1, 1.2, 1.9, 3.2, 3.9, 5.1, 6.0, 6.8, 8.1, 9.0])
        >>> ci = Ridge(alpha=1e-9).fit(X, y).inference(X, y).conf_int(0.95)
        >>> print(np.round(ci, 3))
        [[-0.082  0.279]
         [ 0.951  1.019]]
        """
        if isinstance(level, (bool, np.bool_)) or not isinstance(
                level, (int, float, np.integer, np.floating)) or not 0.0 < float(level) < 1.0:
            raise ValueError(f"level must be a number in (0, 1), got {level!r}.")
        q = _t_quantiles(0.5 + 0.5 * float(level), self._df, self.kind == "bayes")
        q = q[0] if self._single else q[:, None]
        half = q * self.se
        return np.stack([self.coef - half, self.coef + half], axis=-1)

    def _table(self, target, level):
        k = 1 if self._single else np.shape(self.coef)[0]
        if isinstance(target, (bool, np.bool_)) or not isinstance(target, (int, np.integer)) \
                or not -k <= int(target) < k:
            raise ValueError(f"target must be an integer in [0, {k}), got {target!r}.")
        sl = (lambda a: a) if self._single else (lambda a: a[int(target)])
        ci = sl(self.conf_int(level))
        lo, hi = f"[{(1 - level) / 2:g}", f"{(1 + level) / 2:g}]"
        vif = sl(self.vif)
        vif = np.concatenate([[np.nan], vif]) if self.fit_intercept else vif
        stat = "z" if self.kind == "bayes" else "t"
        cols = {"coef": sl(self.coef), "std err": sl(self.se), stat: sl(self.t),
                f"P>|{stat}|": sl(self.p_values), lo: ci[:, 0], hi: ci[:, 1], "VIF": vif}
        return cols

    def summary(self, target: int = 0, level: float = 0.95) -> Any:
        """Tabulate one target's coefficients, standard errors, tests, intervals and VIFs.

        A pandas DataFrame when pandas is installed, else a text table (str).  Columns: coef,
        std err, t (z for ``"bayes"``), P>|t|, the `level` interval's bounds and the ridge VIF;
        one row per parameter.

        Parameters
        ----------
        target : int, default=0
            Which target of a multi-target fit.
        level : float, default=0.95
            Coverage of the interval.

        Returns
        -------
        pandas.DataFrame or str
            One row per parameter (index: `names`).

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge
        >>> X = np.arange(10.0)[:, None]
        >>> y = np.array([0.1, 1.2, 1.9, 3.2, 3.9, 5.1, 6.0, 6.8, 8.1, 9.0])
        >>> import pandas  # with pandas installed the table is a DataFrame, else text
        >>> table = Ridge(alpha=1.0).fit(X, y).inference(X, y).summary()
        >>> list(table.columns)
        ['coef', 'std err', 't', 'P>|t|', '[0.025', '0.975]', 'VIF']
        """
        cols = self._table(target, level)
        try:
            import pandas as pd
        except ImportError:
            return self._text(cols)
        return pd.DataFrame(cols, index=self.names)

    def _text(self, cols):
        width = max(len(n) for n in self.names)
        head = " " * width + "".join(f"{c:>11}" for c in cols)
        lines = [head]
        for i, name in enumerate(self.names):
            lines.append(f"{name:<{width}}" + "".join(f"{cols[c][i]:>11.4g}" for c in cols))
        return "\n".join(lines)

    def __str__(self) -> str:
        k = 1 if self._single else np.shape(self.coef)[0]
        parts = []
        for t in range(k):
            head = f"Ridge inference ({self.kind}), alpha={np.atleast_1d(self.alpha)[t]:.6g}, " \
                   f"df_resid={np.atleast_1d(self.df_resid)[t]:.6g}"
            parts.append((head if k == 1 else f"target {t}: {head}") + "\n"
                         + self._text(self._table(t, 0.95)))
        return "\n\n".join(parts)

    def __repr__(self) -> str:
        k = "" if self._single else f", n_targets={np.shape(self.coef)[0]}"
        return f"RidgeInference(kind={self.kind!r}, n_params={len(self.names)}{k})"
