"""Choosing α: folds, the leave-one-out algebra, the fold statistics and the choice rules.

Leave-one-out works in the fit coordinates of `fastridge._preprocessing` (see `RidgeCV`'s
module for the formulas); k-fold from sufficient statistics needs one pass over the rows
(`kfold_from_statistics`)."""
import numbers

import numpy as np

from fastridge import _stats, _validation as V
from fastridge._engine.path import raw_path


# --------------------------------------------------------------------------- helpers
def kfold_bounds(n, n_splits):
    """Boundaries (n_splits + 1,) of contiguous folds without shuffling (scikit-learn's
    ``KFold`` layout): the first ``n % n_splits`` folds get one extra row."""
    if n_splits > n:
        raise ValueError(f"cv={n_splits}: Cannot have number of splits n_splits={n_splits} "
                         f"greater than the number of samples: n_samples={n}.")
    sizes = np.full(n_splits, n // n_splits, dtype=np.int64)
    sizes[: n % n_splits] += 1
    return np.concatenate([[0], np.cumsum(sizes)])


def kfold_splits(n, n_splits):
    """The folds of `kfold_bounds` as a list of (train, test) index arrays."""
    bounds = kfold_bounds(n, n_splits)
    idx = np.arange(n)
    return [(np.concatenate([idx[:lo], idx[hi:]]), idx[lo:hi])
            for lo, hi in zip(bounds[:-1], bounds[1:])]


def as_indices(a, n, what):
    a = np.asarray(a)
    if a.dtype == bool:
        if a.shape != (n,):
            raise ValueError(f"cv: a boolean {what} mask must have length n_samples={n}.")
        return np.flatnonzero(a)
    if a.ndim != 1 or (a.size and a.dtype.kind not in "iu"):
        raise ValueError(f"cv: {what} indices must be a 1-D array of integers.")
    a = a.astype(np.intp)
    if a.size and (a.min() < -n or a.max() >= n):
        raise ValueError(f"cv: {what} indices out of range for n_samples={n}.")
    return a


def is_leave_one_out(cv):
    """Whether `cv` asks for exact leave-one-out: None or "loo"."""
    return cv is None or (isinstance(cv, str) and cv == "loo")


def is_gcv(cv):
    """Whether `cv` asks for generalized cross-validation: "gcv"."""
    return isinstance(cv, str) and cv == "gcv"


def is_closed_form(cv):
    """Whether `cv` asks for a criterion from one decomposition of all the rows (leave-one-out
    or generalized cross-validation) rather than folds."""
    return is_leave_one_out(cv) or is_gcv(cv)


CV_KINDS = ("None or 'loo' (leave-one-out), 'gcv' (generalized cross-validation), an int >= 2, "
            "a splitter with split(X, y) or an iterable of (train, test) index pairs")


def cv_folds(cv, X, y, groups=None):
    """None for leave-one-out (``cv=None`` or ``"loo"``) and generalized cross-validation
    (``"gcv"``), else a list of (train, test) index arrays; `groups` goes to a splitter's
    ``split(X, y, groups)``."""
    n = X.shape[0]
    if groups is not None and not hasattr(cv, "split"):
        raise ValueError(f"groups are passed to the splitter, but cv={cv!r} is not a splitter "
                         f"with split(X, y, groups) (e.g. sklearn.model_selection.GroupKFold).")
    if is_closed_form(cv):
        return None
    if isinstance(cv, np.ndarray) and cv.ndim == 0:
        cv = cv.item()  # a 0-d array is a scalar (and cannot be iterated)
    if isinstance(cv, numbers.Integral) and not isinstance(cv, V._NOT_NUMBERS):
        if cv < 2:
            raise ValueError(f"cv must be {CV_KINDS}; got cv={cv!r}.")
        return kfold_splits(n, int(cv))
    if isinstance(cv, (str, bytes, float, bool, np.bool_, np.floating)) \
            or not (hasattr(cv, "split") or hasattr(cv, "__iter__")):
        raise ValueError(f"cv must be {CV_KINDS}; got cv={cv!r}.")
    if hasattr(cv, "split"):
        pairs = cv.split(X, y) if groups is None else cv.split(X, y, groups)
    else:
        pairs = cv
    folds = []
    for pair in pairs:
        try:
            train, test = pair
        except (TypeError, ValueError) as exc:
            raise ValueError("cv must yield (train, test) index pairs.") from exc
        train, test = as_indices(train, n, "train"), as_indices(test, n, "test")
        if train.size == 0 or test.size == 0:
            raise ValueError("cv produced an empty train or test set.")
        folds.append((train, test))
    if not folds:
        raise ValueError("cv produced no (train, test) splits.")
    return folds


def select_alpha(alphas, mean_error, se_error, rule):
    """Index of the chosen α on one error curve.

    ``"min"``: the lowest mean error (among ties, the largest α).  ``"1se"``: the largest α whose
    mean error is at most the minimum plus the standard error at the minimum (cv.glmnet's
    ``lambda.1se``; an undefined standard error counts as 0).  Non-finite errors are ignored.
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    mean_error = np.asarray(mean_error, dtype=np.float64)
    finite = np.isfinite(mean_error)
    if not finite.any():
        raise ValueError("Every cross-validation error is NaN or infinite; cannot choose alpha.")
    best = mean_error[finite].min()
    ties = np.flatnonzero(finite & (mean_error == best))
    i_min = ties[np.argmax(alphas[ties])]
    if rule == "min":
        return int(i_min)
    se = float(np.asarray(se_error, dtype=np.float64)[i_min])
    if not np.isfinite(se):
        se = 0.0
    ok = np.flatnonzero(finite & (mean_error <= best + se))
    return int(ok[np.argmax(alphas[ok])])


def loo_rows(U, w, W, center, Q0=None):
    """Per-row pieces of the leave-one-out residuals (see the module docstring) for rows with
    left singular vectors U (n, r) and weights w (n,) out of the total W: (U², M, interp).
    `Q0` (n, q) or None: an orthonormal basis of unpenalized columns (`Spectrum.
    unpenalized_basis`), whose leverage ‖Q0ᵢ‖² the intercept's joins in M."""
    r = U.shape[1]
    M = 1.0 - np.einsum("ij,ij->i", U, U)
    if center:
        M -= w / W
    if Q0 is not None and Q0.shape[1]:
        M -= np.einsum("ij,ij->i", Q0, Q0)
        r += Q0.shape[1]
    interp = M <= 64.0 * np.finfo(np.float64).eps * (r + 2)
    return U * U, np.where(interp, 0.0, M), interp


def loo_coefficients(M, B, a, interp):
    """(c0, c1), each (n, m): the leave-one-out residual of row i at α = aⱼ is
    √wᵢ eᵢ = c0ᵢⱼ r0ᵢ + c1ᵢⱼ Aᵢⱼ with A = U c/(s² + αⱼ) and B = U²/(s² + αⱼ) (`loo_rows`):
    c0 = 1/(Mᵢ + αⱼBᵢⱼ) and c1 = αⱼ c0, i.e. (r0 + αA)/(M + αB); for the rows at the
    interpolation limit (`loo_rows`' `interp`) the limit A/B (c0 = 0, c1 = 1/B); 0 where
    that is not finite (rows of no weight and no leverage, which no fit sees)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c0 = 1.0 / (M[:, None] + a[None, :] * B)
        c1 = a[None, :] * c0
        if interp.any():
            c0[interp] = 0.0
            c1[interp] = 1.0 / B[interp]
    bad = ~(np.isfinite(c0) & np.isfinite(c1))
    c0[bad] = 0.0
    c1[bad] = 0.0
    return c0, c1


def _loo_products(U, U2, M, interp, c, s2, a, cD, out):
    """A = U·(c/(s² + α)) (n, len(a)·k) in U's dtype (into `out` when given), and
    `loo_coefficients` for the α of `a`."""
    n, r = U.shape
    inv = 1.0 / (s2[:, None] + a[None, :])                      # (r, mb)
    if cD is None:
        cD = (c[:, None, :] * inv[:, :, None]).reshape(r, -1)
    if out is None:
        A = np.ascontiguousarray(U @ cD)
    else:
        A = np.matmul(U, cD, out=out.reshape(-1)[:n * cD.shape[1]].reshape(n, cD.shape[1]))
    c0, c1 = loo_coefficients(M, U2 @ inv, a, interp)
    return A, c0, c1


def loo_ratio(U, U2, r0, M, interp, c, s2, a, cD=None, out=None):
    """√wᵢ times the leave-one-out residual of each row for each α of `a`: (n, len(a), k), in
    U's dtype; `cD` (or None), c (r, k) times 1/(s² + α) for each α of `a`, (r, len(a)·k),
    when the caller has it; `out` (or None), a C-contiguous buffer of U's dtype with at least
    n·len(a)·k items to hold the result (a caller looping over blocks reuses one: fresh memory
    costs page faults on every first touch)."""
    from fastridge import _gram_fast

    A, c0, c1 = _loo_products(U, U2, M, interp, c, s2, a, cD, out)
    none = np.empty((0, 0))
    _gram_fast.loo_combine(A, np.ascontiguousarray(r0, dtype=A.dtype), c0, c1, np.empty(0), 0,
                           none, none)
    return A.reshape(U.shape[0], a.size, -1)


def loo_moments(U, U2, r0, M, interp, c, s2, a, w, per_target, cD=None, out=None):
    """(weight, mean, M2, rows) of the squared leave-one-out errors eᵢ² of the rows with
    positive weight w, weighted, for each α of `a` (m, k) (and target with `per_target`; else
    (m, 1), of their mean over targets), merged across row blocks by `merge_moments`: the
    residuals of `loo_ratio` formed and reduced in one pass (Welford's update), never stored.
    `cD` and `out` as for `loo_ratio`."""
    from fastridge import _gram_fast

    A, c0, c1 = _loo_products(U, U2, M, interp, c, s2, a, cD, out)
    k = A.shape[1] // max(a.size, 1)
    K = k if per_target else 1
    mean, m2 = np.empty((a.size, K)), np.empty((a.size, K))
    W = _gram_fast.loo_combine(A, np.ascontiguousarray(r0, dtype=A.dtype), c0, c1,
                               np.ascontiguousarray(w, dtype=np.float64),
                               1 if per_target else 2, mean, m2)
    return W, mean, m2, int(np.count_nonzero(w > 0))


def descending(grid):
    """The distinct α of `grid`, descending (every computation runs on these), and the index
    of each grid entry among them."""
    uniq, inverse = np.unique(grid, return_inverse=True)
    return uniq[::-1].copy(), (uniq.size - 1) - inverse.reshape(-1)


def weighted_rms(dev, w, denom):
    """sqrt(Σᵢ wᵢ devᵢ² / denom) over axis 0, scaled so that no square overflows (the errors
    are squares already: their deviations squared are fourth powers of y's scale)."""
    scale = np.abs(dev).max(axis=0)
    safe = np.where((scale > 0) & np.isfinite(scale), scale, 1.0)
    with np.errstate(invalid="ignore"):
        return np.where(scale > 0, scale, 0.0) * np.sqrt(
            (w * (dev / safe) ** 2).sum(axis=0) / denom)


def fold_stats(err, weights):
    """Mean and standard error over folds of per-fold errors ``err`` (F, ...), the folds
    weighted by ``weights`` (F,), as cv.glmnet: mean = Σ ω e / Σ ω and
    se = sqrt(Σ ω (e − mean)² / Σ ω / (F − 1)), F the folds with positive weight."""
    keep = weights > 0
    err, weights = err[keep], weights[keep]
    tot = weights.sum()
    shape = (-1,) + (1,) * (err.ndim - 1)
    wv = weights.reshape(shape)
    mean = (wv * err).sum(axis=0) / tot
    F = err.shape[0]
    if F < 2:
        return mean, np.full_like(mean, np.nan)
    return mean, weighted_rms(err - mean, wv, tot * (F - 1))


# --------------------------------------------------------------------------- from statistics
def kfold_from_statistics(folds, grid, v, crit, per_target, *, fit_intercept, standardize,
                          tol, max_iter, dtype):
    """Mean and standard error over folds (each (m, K)) of the k-fold error for each α of
    `grid` (descending), from the sufficient statistics of each fold's rows (`folds`, one
    `RidgeStats` per fold): a fold's training statistics are the merge of the others' (prefix
    and suffix merges: 2F merges in all), its fit the path on those, and its error follows from
    its own statistics (`_stats.test_error`: no second pass over the rows)."""

    F = len(folds)
    K = folds[0].k if per_target else 1
    prefix = [None]
    for f in folds[:-1]:
        prefix.append(f if prefix[-1] is None else _stats.merge(prefix[-1], f))
    suffix = [None] * (F + 1)
    for i in range(F - 1, 0, -1):
        suffix[i] = folds[i] if suffix[i + 1] is None else _stats.merge(folds[i], suffix[i + 1])
    errs, weights = [], []
    for i, test in enumerate(folds):
        train = _stats.merge_all([s for s in (prefix[i], suffix[i + 1]) if s is not None])
        if test.W <= 0.0 or train.W <= 0.0:
            errs.append(np.full((grid.size, K), np.nan))
            weights.append(0.0)
            continue
        pr = _stats.problem(train, fit_intercept=fit_intercept, standardize=standardize)
        coef, icpt = raw_path(pr, v, grid, "auto", tol=tol, max_iter=max_iter, dtype=dtype)[:2]
        err = crit.from_sums(_stats.test_error(test, coef, icpt), test.Myy, test.W)
        errs.append(err if per_target else err.mean(axis=1, keepdims=True))
        weights.append(test.W)
    return fold_stats(np.stack(errs), np.asarray(weights))


def reduce_rows(A, T):
    """Residuals R(c) = T − A c (n × k) for many c with A (n × r), n > r, in r rows: with
    A = Q A' (thin QR), ‖R(c)‖² = ‖T − Q QᵀT‖² + ‖QᵀT − A' c‖² per column, no sum of squares
    cancelling.  Returns (A', QᵀT, ‖T − Q QᵀT‖² (k,)), or (A, T, 0) when n ≤ r."""
    if A.shape[0] <= A.shape[1]:
        return A, T, np.zeros(T.shape[1])
    Q, A = np.linalg.qr(A)
    QtT = Q.T @ T
    R0 = T - Q @ QtT
    return A, QtT, np.einsum("ij,ij->j", R0, R0)


def krylov_fold_errors(pr, forms, X_te, Y_te, w_te, crit, per_target):
    """Minus the "mse"/"r2" score (m, K) of one fold's test rows at every α of its path, from
    the path's Krylov forms (`fastridge._engine.path.krylov_rows`) — never the (n_te, m)
    predictions.  With scaled targets Ỹ = Y_te/s (`target_scale`), weights W and
    X_te β(α) + β₀(α) = Hₜ cₜ(α) + β₀⁰ₜ, the residual of target t is
    W^{1/2} (Ỹₜ − β₀⁰ₜ/s) − W^{1/2} Hₜ/s · cₜ(α), summed in squares over blocks of rows
    (`_config.block_rows`: one reused (rows, m) buffer, no fresh (n_te, m) array)."""
    from fastridge import _config
    from fastridge._engine.path import krylov_rows
    from fastridge._scoring import target_scale

    rows, icpt0 = krylov_rows(pr, forms, X_te)
    w = np.ones(Y_te.shape[0]) if w_te is None else np.asarray(w_te, dtype=np.float64)
    sqw = np.sqrt(w)
    Ys, scale = target_scale(np.asarray(Y_te, dtype=np.float64))
    m, k = forms[0][1].shape[0], pr.k
    rss = np.empty((m, k))
    n = Y_te.shape[0]
    block = min(n, _config.block_rows(m, minimum=1))
    R = np.empty((block, m))
    for t, (H, (_, coords)) in enumerate(zip(rows, forms)):
        A = H * (sqw / scale)[:, None]
        T = (Ys[:, t] - icpt0[t] / scale) * sqw
        rss[:, t] = 0.0
        for lo in range(0, n, block):
            hi = min(n, lo + block)
            Rb = R[:hi - lo]
            np.matmul(A[lo:hi], coords.T, out=Rb)
            np.subtract(T[lo:hi, None], Rb, out=Rb)
            rss[:, t] += np.einsum("ij,ij->j", Rb, Rb)
    return crit.from_scaled_sums(rss, Ys, w, scale, per_target)


def spectral_fold_errors(pr, v, X_te, Y_te, w_te, alphas, crit, per_target):
    """Minus the "mse"/"r2" score (m, K) of one fold's test rows at every α of `alphas`, from
    the spectral decomposition of its training problem `pr` — never the (m, k, p) coefficients.

    With the fold's decomposition b(α) = E diag(1/(s² + α)) P (`fastridge._spectral`; E = the
    scaled Vᵣ; unpenalized columns add a part that is the same at every α, taken off Ỹ first),
    the test residuals are R(α) = Ỹ − A diag(1/(s² + α)) P, where
    A = W^{1/2} (X_te − 1x̄ᵀ) diag(d) E (n_te × r) and Ỹ = W^{1/2} (Y_te − ȳ), x̄, ȳ, d the
    training rows' centring and scaling.  When the test rows outnumber the rank, A = Q T (thin
    QR) and ‖R(α)‖² = ‖Ỹ − Q QᵀỸ‖² + ‖QᵀỸ − T diag(1/(s² + α)) P‖² per target: every α then
    costs r²·k instead of n_te·r·k, and no sum of squares cancels.  Targets go in blocks, so
    the memory is that of the decomposition and one block."""
    from fastridge import _config, _spectral
    from fastridge._scoring import target_scale

    sp = _spectral.spectrum(pr, v)
    m, k = alphas.size, pr.k
    w = np.ones(Y_te.shape[0]) if w_te is None else np.asarray(w_te, dtype=np.float64)
    sqw = np.sqrt(w)
    Ys, scale = target_scale(np.asarray(Y_te, dtype=np.float64))
    T = (Ys - pr.ybar / scale) * sqw[:, None]
    if sp.fixed is None:
        A = sp.rows(X_te, sqw)
    else:  # unpenalized columns: their part of b(α), the same at every α, from the same pass
        A = sp.rows(X_te, sqw, np.hstack([sp.Vr, sp.fixed]))
        T -= A[:, sp.rank:] / scale
        A = A[:, :sp.rank]
    P = sp.P / scale
    A, T, rss0 = reduce_rows(A, T)
    rss = np.empty((m, k))
    with np.errstate(divide="ignore"):
        D = 1.0 / (sp.s2[None, :] + alphas[:, None])           # (m, r)
    D[~np.isfinite(D)] = 0.0
    block = _config.block_rows(A.shape[0] + A.shape[1], minimum=1)
    for lo in range(0, k, block):
        hi = min(k, lo + block)
        Tb, Pb = T[:, lo:hi], P[:, lo:hi]
        for i in range(m):
            Rb = Tb - A @ (Pb * D[i][:, None])
            rss[i, lo:hi] = np.einsum("ij,ij->j", Rb, Rb)
    rss += rss0
    return crit.from_scaled_sums(rss, Ys, w, scale, per_target)


def loo_block_moments(X, Y, w, E, xbar, ybar, s2, c, alphas, W, center, per_target):
    """One block of rows' share of the leave-one-out error, from the decomposition of all the
    rows (E = V·scale·d (p, r), s2, c = Uᵀỹ): for each α (and target), the weight, the weighted
    mean and the weighted sum of squared deviations of the squared errors of its rows with
    positive weight (merged across blocks by `merge_moments`)."""
    n = Y.shape[0]
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    sqw = np.sqrt(w)
    Z = np.asarray(X @ E, dtype=np.float64)                      # (X − x̄) E in two steps
    Z -= xbar @ E
    U = (Z * sqw[:, None]) / np.sqrt(s2)
    yt = (np.asarray(Y, dtype=np.float64) - ybar) * sqw[:, None]
    r0 = yt - U @ c
    U2, M, interp = loo_rows(U, w, W, center)
    r0[interp] = 0.0
    return loo_moments(U, U2, r0, M, interp, c, s2, alphas, w, per_target)


def merge_moments(parts):
    """Merge `loo_block_moments` results (weight, mean, M2, rows) pairwise, as Chan, Golub and
    LeVeque's update merges the statistics."""
    W, mean, m2, rows = parts[0]
    for Wb, mb, m2b, rb in parts[1:]:
        rows += rb
        if Wb == 0.0:
            continue
        if W == 0.0:
            W, mean, m2 = Wb, mb, m2b
            continue
        tot = W + Wb
        delta = mb - mean
        mean = mean + delta * (Wb / tot)
        m2 = m2 + m2b + delta * delta * (W * Wb / tot)
        W = tot
    return W, mean, m2, rows


def loo_from_blocks(map_blocks, pr, sp, alphas, per_target):
    """Exact leave-one-out errors (mean, se), each (m, K), from one pass over row blocks
    (`map_blocks(func, combine, *args)`, a backend's) and the spectrum `sp` of all the rows."""
    r = sp.rank
    c = sp.P / np.sqrt(sp.s2)[:, None] if r else np.zeros((0, pr.k))
    E = (sp.Vr * sp.scale[:, None]) * pr.d[:, None]               # p × r
    W, mean, m2, n_pos = map_blocks(loo_block_moments, merge_moments, E, pr.xbar, pr.ybar,
                                    sp.s2, c, alphas, pr.W, pr.center, per_target)
    if pr.center and n_pos < 2:
        raise ValueError("RidgeCV with cv=None (leave-one-out) and fit_intercept=True needs at "
                         "least 2 samples with positive weight.")
    se = np.full(mean.shape, np.nan)
    if n_pos >= 2:
        se = np.sqrt(m2 / W / (n_pos - 1))
    return mean, se


class LeaveOneOut:
    """Exact leave-one-out over any α from one spectral decomposition of all the rows (in
    memory; `sp`, when given, is that decomposition), for the criterion `criterion`
    (`fastridge._scoring`): `curve(alphas)` gives the
    mean error and its standard error per α (and target with `per_target`), and the per-row
    values scikit-learn's ``store_cv_results`` keeps (the squared errors with the default
    criterion, else the leave-one-out predictions)."""

    def __init__(self, pr, v, X, Y, sw, *, per_target, single, criterion, params, store,
                 predictions, sp=None):
        from fastridge import _policy, _spectral

        why = _policy.spectral_unavailable(pr, v, unpenalized=True)
        if why is not None:
            raise ValueError(f"RidgeCV with cv=None (exact leave-one-out) needs one spectral "
                             f"decomposition, which is not available here: {why}. Use k-fold "
                             f"cross-validation instead, e.g. cv=5.")
        n, k = pr.n, pr.k
        w = np.ones(n) if sw is None else sw.astype(np.float64)
        pos = w > 0
        n_eff = int(pos.sum())
        if pr.center and n_eff < 2:
            raise ValueError(f"RidgeCV with cv=None (leave-one-out) and fit_intercept=True "
                             f"needs at least 2 samples with positive weight; got {n_eff} "
                             f"sample(s) (n_samples={n}).")
        W = float(w.sum())
        sp = _spectral.spectrum(pr, v) if sp is None else sp
        s2 = sp.s2
        U = sp.left() if s2.size else np.zeros((n, 0))
        c = sp.P / np.sqrt(s2)[:, None] if s2.size else np.zeros((0, k))   # Uᵀỹ
        yt = pr.Yc.astype(np.float64)
        sqw = np.sqrt(w)
        if sw is not None:
            yt = yt * sqw[:, None]
        r0 = yt - U @ c                                   # residual of the least-squares fit
        Q0 = sp.unpenalized_basis() if sp.q else None     # unpenalized columns: H₀ = Q0Q0ᵀ
        if Q0 is not None:
            r0 -= Q0 @ (Q0.T @ yt)
        U2, M, interp = loo_rows(U, w, W, pr.center, Q0)
        r0[interp] = 0.0
        # scikit-learn stores the per-row squared errors with its default scoring, else the
        # leave-one-out predictions
        self.want_pred = not criterion.per_row or (store and predictions)
        self.Yraw = self.zero_rows = self.y_true = None
        if self.want_pred:
            self.Yraw = np.asarray(Y, dtype=np.float64)
            # a weighted criterion scores rows of weight 0 too: their leave-one-out prediction
            # is the full fit's (an unweighted one never sees them)
            self.zero_rows = np.flatnonzero(~pos) if criterion.weighted and sw is not None \
                else np.empty(0, dtype=np.intp)
            self.y_true = self.Yraw[:, 0] if single else self.Yraw
        self.pr, self.sp, self.X, self.sw = pr, sp, X, sw
        self.per_target, self.n, self.k = per_target, n, k
        self.w, self.pos, self.n_eff, self.W, self.sqw = w, pos, n_eff, W, sqw
        self.U, self.U2, self.M, self.interp, self.c, self.r0 = U, U2, M, interp, c, r0
        self.criterion, self.params, self.store = criterion, params, store

    def curve(self, alphas):
        """(mean, se, values) for `alphas`: mean and se (m, K), values (n, m, k) or None."""
        from fastridge import _config

        n, k, crit = self.n, self.k, self.criterion
        m = alphas.size
        values = np.empty((n, m, k)) if self.store else None   # scikit-learn's cv values
        K = k if self.per_target else 1
        if crit.per_row and values is None and not self.want_pred:
            return (*self._error_moments(alphas), values)
        mean = np.empty((m, K))
        se = np.full((m, K), np.nan)
        w, pos, W = self.w, self.pos, self.W
        block = _config.block_rows(n * k, minimum=1, budget="loo_memory")
        for start in range(0, m, block):
            a = alphas[start:start + block]
            mb = a.size
            ratio = loo_ratio(self.U, self.U2, self.r0, self.M, self.interp, self.c,
                              self.sp.s2, a)
            if crit.per_row:
                sq = ratio * ratio                                       # wᵢ eᵢ²
                if values is not None and not self.want_pred:
                    values[:, start:start + mb] = sq
                if not self.per_target:
                    sq = sq.mean(axis=2, keepdims=True)
                mean[start:start + mb] = sq.sum(axis=0) / W
                if self.n_eff >= 2:
                    with np.errstate(divide="ignore", invalid="ignore"):
                        q = np.where(pos[:, None, None], sq / w[:, None, None], 0.0)   # eᵢ²
                    dev = q - mean[start:start + mb][None]
                    se[start:start + mb] = weighted_rms(dev, w[:, None, None],
                                                        W * (self.n_eff - 1))
                if not self.want_pred:
                    continue
            pred = self._predictions(ratio, a, self.Yraw, self.zero_rows)  # (n, mb, k)
            if values is not None:
                values[:, start:start + mb] = pred
            if not crit.per_row:
                mean[start:start + mb] = crit.scores(self.y_true, pred, self.sw, self.X,
                                                     self.params, self.per_target)
        return mean, se, values

    def _error_moments(self, alphas):
        """Mean and standard error (m, K) of the squared leave-one-out errors, by blocks of α
        and of rows merged as `merge_moments` merges them: the memory is that of the
        decomposition and one block, whatever the number of targets.  The targets are
        divided by a scale of their own first (one for all when they are averaged), so
        that no fourth power of the errors overflows; float32 data take float32 products."""
        from fastridge import _config

        n, k, r = self.n, self.k, self.U.shape[1]
        m = alphas.size
        K = k if self.per_target else 1
        scale = np.maximum(np.abs(self.c).max(axis=0, initial=0.0),
                           np.abs(self.r0).max(axis=0, initial=0.0))
        scale = np.where((scale > 0) & np.isfinite(scale), scale, 1.0)
        if not self.per_target:
            scale = np.full(k, scale.max())
        dt = np.float32 if self.pr.dtype == np.float32 else np.float64
        c = (self.c / scale).astype(dt)
        r0 = (self.r0 / scale).astype(dt)
        U = self.U.astype(dt, copy=False)
        s2, w, M, U2, interp = self.sp.s2, self.w, self.M, self.U2, self.interp
        mean = np.empty((m, K))
        m2 = np.empty((m, K))
        budget = _config.block_rows(1, minimum=1, budget="loo_memory")   # float64 items
        mb = max(1, min(m, budget // max(1, r * k)))
        nb = max(64, budget // max(1, mb * k))
        # one buffer each for c/(s² + α) and the block's residuals, reused by every block
        cD_buf = np.empty(r * mb * k, dtype=dt)
        out = np.empty(min(n, nb) * mb * k, dtype=dt)
        for lo in range(0, m, mb):
            a = alphas[lo:lo + mb]
            inv = 1.0 / (s2[:, None] + a[None, :])                   # (r, mb)
            cD = cD_buf[:r * a.size * k].reshape(r, a.size, k)
            np.multiply(c[:, None, :], inv[:, :, None].astype(dt), out=cD)
            cD = cD.reshape(r, a.size * k)
            parts = [loo_moments(U[rows], U2[rows], r0[rows], M[rows], interp[rows], None, s2,
                                 a, w[rows], self.per_target, cD=cD, out=out)
                     for rows in (slice(b, b + nb) for b in range(0, n, nb))]
            W, mean[lo:lo + mb], m2[lo:lo + mb], _ = merge_moments(parts)
        factor = scale * scale if self.per_target else scale[:1] * scale[:1]
        se = np.full((m, K), np.nan)
        if self.n_eff >= 2:
            se = np.sqrt(m2 / W / (self.n_eff - 1)) * factor
        with np.errstate(over="ignore"):
            return mean * factor, se

    def errors(self, ratio):
        """The raw leave-one-out residuals yᵢ − ŷ₋ᵢ(xᵢ) from `loo_ratio`'s √wᵢ-scaled ones
        (n, m, k); 0 for rows of weight 0 (which no fit sees: callers that need them take the
        full fit's residual, `_full_fit_rows`)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.pos[:, None, None], ratio / self.sqw[:, None, None], 0.0)

    def _predictions(self, ratio, alphas, Y, zero_rows):
        """The leave-one-out predictions (n, m, k) of the targets `Y` from `loo_ratio`'s
        ratios at `alphas`; `zero_rows` (rows of weight 0) get the full fit's prediction,
        which is theirs: leaving out a row of no weight changes nothing."""
        pred = np.asarray(Y, dtype=np.float64)[:, None, :] - self.errors(ratio)
        for j in range(alphas.size):
            if zero_rows.size:
                pred[zero_rows, j] = self._full_fit_rows(zero_rows, alphas[j])
        return pred

    def predictions(self, alphas, Y):
        """The leave-one-out predictions (n, m, k) of every row at each α of `alphas` (rows
        of weight 0 included); `Y` (n, k) the targets this decomposition was made with."""
        alphas = np.asarray(alphas, dtype=np.float64).reshape(-1)
        ratio = loo_ratio(self.U, self.U2, self.r0, self.M, self.interp, self.c, self.sp.s2,
                          alphas)
        return self._predictions(ratio, alphas, Y, np.flatnonzero(~self.pos))

    def _full_fit_rows(self, rows, alpha):
        """Predictions of the full-data fit at α for the given rows, (len(rows), k)."""
        from fastridge import _preprocessing as P

        coef, intercept = P.to_raw(self.pr, self.sp.coef(np.full(self.pr.k, alpha)))
        return np.asarray(self.X[rows] @ coef.T, dtype=np.float64) + intercept


def positive_rows(X, Y, w):
    """The rows of a block with positive weight (all of them without weights)."""
    return Y.shape[0] if w is None else int(np.count_nonzero(np.asarray(w) > 0))


class GeneralizedCV:
    """Generalized cross-validation (Craven and Wahba, 1979) over any α from one spectral
    decomposition of all the rows, with the interface of `LeaveOneOut` (`sp`, `curve`).

    With the fit coordinates of `fastridge._spectral` (Ẑ = U S Vᵀ of rank r, ỹ = W^{1/2} y_c,
    c = Uᵀỹ), the weighted residual sum of squares and the effective degrees of freedom of the
    fit at α are

        RSS_w(α) = ‖ỹ − U diag(s²/(s² + α)) c‖² = RSS₀ + Σⱼ (α/(sⱼ² + α))² cⱼ²,
        df(α) = Σⱼ sⱼ²/(sⱼ² + α)   (+ q, the number of unpenalized columns, when some
                                    penalty factors are 0: their fit's degrees of freedom),

    RSS₀ = ‖ỹ − U c‖² the least-squares residual (the intercept is not counted in df, as in
    ``MASS::lm.ridge``), and

        GCV(α) = (RSS_w(α) / W) / (1 − df(α)/n₊)²,

    W = Σ wᵢ and n₊ the number of rows of positive weight: leave-one-out's mean of
    wᵢ eᵢ²/(1 − hᵢᵢ)² / W with every leverage replaced by the mean df/n₊.  Without weights this
    is n · RSS/(n − df)², n times MASS's GCV: the same minimizer.  Undefined (NaN) where
    df = n₊ (an interpolating fit at α = 0 without intercept).

    `pr` may hold the rows (RSS₀ from them, without cancellation) or only sufficient statistics
    (RSS₀ = ‖ỹ‖² − ‖c‖², clipped at 0); then `n_pos` must be given.  `sp`, when given, is
    the decomposition of `pr` (not made again).  There is no per-row error,
    so the standard error is NaN.
    """

    def __init__(self, pr, v, *, per_target, n_pos=None, sp=None,
                 label="RidgeCV with cv='gcv'"):
        from fastridge import _policy, _spectral

        why = _policy.spectral_unavailable(pr, v, unpenalized=True)
        if why is not None:
            raise ValueError(f"{label} (generalized cross-validation) needs one spectral "
                             f"decomposition, which is not available here: {why}. Use k-fold "
                             f"cross-validation instead, e.g. cv=5.")
        sp = _spectral.spectrum(pr, v) if sp is None else sp
        k = pr.k
        c = sp.P / np.sqrt(sp.s2)[:, None] if sp.rank else np.zeros((0, k))     # Uᵀỹ
        if pr.form == "rows":
            yt = pr.Yc.astype(np.float64)
            if pr.sqw is not None:
                yt = yt * pr.sqw[:, None]
            U = sp.left() if sp.rank else np.zeros((pr.n, 0))
            r0 = yt - U @ c
            if sp.q:                                     # the unpenalized columns' fit
                Q0 = sp.unpenalized_basis()
                r0 -= Q0 @ (Q0.T @ yt)
            rss0 = np.einsum("ij,ij->j", r0, r0)
            if n_pos is None:
                n_pos = pr.n if pr.sw is None else int(np.count_nonzero(pr.sw > 0))
        else:
            rss0 = np.maximum(sp.yy - np.einsum("ij,ij->j", c, c) - sp.yy0, 0.0)
        self.pr, self.sp, self.c, self.rss0 = pr, sp, c, rss0
        self.n_pos, self.W, self.per_target = int(n_pos), float(pr.W), per_target

    def rss(self, alphas):
        """RSS_w (m, k) at each α of `alphas`."""
        s2 = self.sp.s2
        with np.errstate(divide="ignore", invalid="ignore"):
            shrink = alphas[None, :] / (s2[:, None] + alphas[None, :])     # (r, m)
        shrink[~np.isfinite(shrink)] = 1.0                                 # α = ∞
        return self.rss0[None, :] + (shrink * shrink).T @ (self.c * self.c)

    def values(self, alphas):
        """GCV (m, k) at each α of `alphas` (see the class docstring)."""
        alphas = np.asarray(alphas, dtype=np.float64).reshape(-1)
        gap = 1.0 - (self.sp.df(alphas) + self.sp.q) / self.n_pos
        out = self.rss(alphas) / self.W
        with np.errstate(divide="ignore", invalid="ignore"):
            out = out / (gap * gap)[:, None]
        out[gap <= 0.0] = np.nan
        return out

    def curve(self, alphas):
        """(mean, se, values) as `LeaveOneOut.curve`: mean (m, K) the GCV (averaged over the
        targets unless `per_target`), se NaN, values None."""
        mean = self.values(alphas)
        if not self.per_target:
            mean = mean.mean(axis=1, keepdims=True)
        return mean, np.full(mean.shape, np.nan), None

    def classical(self):
        """The modified Hoerl–Kennard–Baldwin and Lawless–Wang estimates of α (k,) each, as
        ``MASS::lm.ridge``'s ``kHKB`` and ``kLW``, in the fit coordinates:

            σ̂² = RSS₀ / (n₊ − r − [intercept]),   γ = diag(1/s) c (the least-squares
            coefficients of Ẑ),  HKB = (r − 2) σ̂² / ‖γ‖²,  LW = (r − 2) σ̂² W / ‖Ẑγ‖²

        (‖γ‖² = Σ c²/s², ‖Ẑγ‖² = Σ c²).  MASS standardizes X by the population SD, so
        ``standardize=True`` without weights gives its values (r = p, W = n).  NaN where
        n₊ − r − [intercept] ≤ 0 (no residual degrees of freedom)."""
        if self.sp.q:
            raise ValueError("the HKB and Lawless-Wang estimates (MASS::lm.ridge) are defined "
                             "for plain ridge, not with unpenalized columns.")
        r = self.sp.rank
        dof = self.n_pos - r - (1 if self.pr.center else 0)
        c2 = self.c * self.c
        with np.errstate(divide="ignore", invalid="ignore"):
            s2hat = self.rss0 / dof if dof > 0 else np.full(self.rss0.shape, np.nan)
            hkb = (r - 2) * s2hat / (c2 / self.sp.s2[:, None]).sum(axis=0)
            lw = (r - 2) * s2hat * self.W / c2.sum(axis=0)
        return hkb, lw


def fold_mean_coef(starts, n_folds, alphas):
    """The mean over the folds of their raw-scale coefficients (k, p) at `alphas` (k,), one
    α per target, from the Krylov forms `kfold_curve` left in `starts` (βₜ = d∘(coords[i] @
    basis) for fold f, α index i): a start for the fit on all the rows.  None unless every
    fold left its form and each α is on its grid."""
    if len(starts) != n_folds:
        return None
    total = 0.0
    for grid, d, forms in starts.values():
        rows = []
        for t, (basis, coords) in enumerate(forms):
            i = np.flatnonzero(grid == alphas[t])
            if i.size == 0:
                return None
            rows.append(d * (coords[i[0]] @ basis))
        total = total + np.stack(rows)
    return total / n_folds


def kfold_curve(backend, data, folds, alphas, v, *, solver, fit_intercept, standardize, tol,
                max_iter, criterion, params, per_target, store, tails, progress=None,
                label="RidgeCV", models=None, starts=None):
    """k-fold cross-validation over `alphas` (descending) for rows the backend holds: each
    fold's path on its training rows (`backend.rows`), its predictions on its test rows scored
    by `criterion`.  Returns the weighted mean and standard error over folds (m, K) each, and
    the out-of-fold predictions (n, m, k) when `store`, else None.

    `tails` (a dict kept by the caller) holds each fold's last solutions, so that a path
    continued below `alphas` (the grid's extension) starts from their extrapolation; folds run
    on threads when the policy says so (`_policy.fold_workers`, sharing the kernels' threads:
    `_policy.fold_kernel_threads`), the calling thread waiting interruptibly; `progress` (or
    None) hears each finished fold.  `models` (a dict kept by the caller, or None) receives
    each fold's path, ``models[j]`` a list of (alphas, coef (m, k, p), intercept (m, k)) in
    float64 (as the fold's predictions use them), one entry per call: the CV+ intervals take
    the fold models at the chosen α from there.  `starts` (a dict kept by the caller, or
    None) receives, for each fold scored from its Krylov form, ``starts[j] = (alphas, d,
    forms)`` with its column scales d and `S.cg.multishift_krylov`'s forms: the raw-scale
    coefficients at any of its α for a few products (`fold_mean_coef`)."""
    import threading

    from fastridge import _policy, _preprocessing as P
    from fastridge._base import linear_predict
    from fastridge._config import config_context
    from fastridge._engine.path import (
        PathReport,
        krylov_forms,
        krylov_predictions,
        krylov_tail,
        warn_short,
    )
    from fastridge._parallel import run_tasks
    from fastridge._progress import due, seconds
    from fastridge._scoring import sample_params

    X, y, sw = data.X, data.y, data.sw
    m, k = alphas.size, data.k
    K = k if per_target else 1
    values = np.full((data.n, m, k), np.nan) if store else None     # out-of-fold predictions
    F = len(folds)
    verbose = 0 if progress is None else progress.verbose
    path_verbose = verbose - 1 if verbose >= 2 else 0
    finished = [0]
    lock = threading.Lock()

    def run_and_report(item):
        j, fold = item
        t0 = progress.elapsed() if progress is not None else 0.0
        if workers > 1:  # the kernels' threads shared among the folds running at once
            with config_context(num_threads=_policy.fold_kernel_threads(workers)):
                out = run(j, fold)
        else:
            out = run(j, fold)
        if progress is not None:
            with lock:
                finished[0] += 1
                if due(finished[0], F, verbose):
                    progress.write(f"folds done {finished[0]}/{F} (fold {j + 1} in "
                                   f"{seconds(progress.elapsed() - t0)}), elapsed "
                                   f"{seconds(progress.elapsed())}")
        return out

    def run(j, fold):
        train, test = fold
        w_tr = None if sw is None else sw[train]
        w_te = None if sw is None else sw[test].astype(np.float64)
        weight = float(test.size) if w_te is None else float(w_te.sum())
        if weight <= 0.0:
            return np.full((m, K), np.nan), 0.0
        if w_tr is not None and not np.any(w_tr):
            raise ValueError("cv: every training row of a fold has sample_weight 0, so "
                             "that fold cannot be fitted; use other folds (shuffled, or "
                             "fewer of them).")
        part = backend.rows(data, train)
        pr = backend.path_problem(part, fit_intercept=fit_intercept, standardize=standardize,
                                  solver=solver, v=v)
        if spectral and values is None and models is None \
                and (criterion.kind == "mse" or test.size >= 2) \
                and _policy.fold_scores_spectral(pr, v, solver):
            # the default criteria from the fold's decomposition: no (m, k, p) coefficients
            err = spectral_fold_errors(pr, v, X[test], y[test].reshape(test.size, -1), w_te,
                                       alphas, criterion, per_target)
            return err, weight
        if values is None and models is None and j not in tails and not path_verbose \
                and data.dtype == np.float64:
            # a multi-shift CG path scored in its Krylov form: the test rows times the
            # basis (its iterations + 1 vectors), not times the m coefficient vectors
            forms = krylov_forms(pr, v, alphas, solver, tol=tol, max_iter=max_iter)
            if forms is not None:
                tail_coef = krylov_tail(pr, forms)[0]
                tails[j] = (alphas[-tail_coef.shape[0]:].copy(), tail_coef)
                if starts is not None:
                    starts[j] = (alphas.copy(), pr.d, forms)
                if criterion.kind in ("mse", "r2") and (criterion.kind == "mse"
                                                        or test.size >= 2):
                    err = krylov_fold_errors(pr, forms, X[test],
                                             y[test].reshape(test.size, -1), w_te, criterion,
                                             per_target)
                    return err, weight
                return score(krylov_predictions(pr, forms, X[test]), test, w_te), weight
        history = None
        if j in tails:  # a path continuing below the α this fold has solved
            history = (tails[j][0], np.stack([P.from_raw(pr, c) for c in tails[j][1]]))
        report = PathReport(f"{label} fold {j + 1}/{F}", path_verbose,
                            part.describe()) if path_verbose else None
        coef, icpt, _, _, used, short = raw_path(
            pr, v, alphas, solver, tol=tol, max_iter=max_iter, dtype=data.dtype,
            report=report, history=history)
        warn_short(short, used, tol, stacklevel=4)
        if report is not None:
            report.end(used, short)
        # the coefficients in X's dtype, as the fold's fit reports them; predictions in
        # float64 (float32 ones of a fold's fit may overflow)
        if data.dtype != np.float64:
            coef = coef.astype(data.dtype).astype(np.float64)
            icpt = icpt.astype(data.dtype).astype(np.float64)
        if models is not None:
            models.setdefault(j, []).append((alphas, coef, icpt))
        if j not in tails or alphas[-1] < tails[j][0][-1]:  # the path's lower end
            tails[j] = (alphas[-3:].copy(), coef[-3:].copy())
        pred = linear_predict(X[test], coef.reshape(m * k, -1), icpt.reshape(m * k))
        pred = np.asarray(pred, dtype=np.float64).reshape(test.size, m, k)
        if values is not None:
            values[test] = pred
        return score(pred, test, w_te), weight

    def score(pred, test, w_te):
        yt = np.asarray(y[test], dtype=np.float64)
        X_te = X[test] if criterion.kind == "scorer" else None
        return criterion.scores(yt, pred, w_te, X_te, sample_params(params, data.n, test),
                                per_target)

    # the spectral path's α = 0 with unequal penalty factors is the SVD's (`solve_path`)
    spectral = criterion.kind in ("mse", "r2") and not (
        np.any(alphas == 0.0) and np.ptp(np.asarray(v)) > 0)
    workers = _policy.fold_workers(data.n, data.p, sparse=data.sparse, solver=solver, v=v,
                                   n_folds=F)
    results = run_tasks(run_and_report, enumerate(folds), workers)
    mean, se = fold_stats(np.stack([r[0] for r in results]), np.array([r[1] for r in results]))
    return mean, se, values
