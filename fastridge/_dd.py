"""Double-double arithmetic (Dekker, Knuth): sums and residuals carried to about twice the
precision of float64, for the refinement steps that need digits float64 cannot hold."""
import numpy as np

_SPLIT = 134217729.0  # 2**27 + 1


def two_sum(a, b):
    """(s, e) with s = fl(a + b) and s + e = a + b exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def two_prod(a, b):
    p = a * b
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def dd_sum(hi, lo):
    """Σ (hi + lo) along axis 0 by pairwise two_sum reduction; float64 rounding of the result
    (a scalar for 1-D input, one value per column for 2-D input)."""
    hi = np.asarray(hi, dtype=np.float64)
    lo = np.asarray(lo, dtype=np.float64)
    n = hi.shape[0]
    if n == 0:
        return 0.0 if hi.ndim == 1 else np.zeros(hi.shape[1:])
    m = 1 << max(0, int(n - 1).bit_length())
    if m > n:
        pad = ((0, m - n),) + ((0, 0),) * (hi.ndim - 1)
        hi, lo = np.pad(hi, pad), np.pad(lo, pad)
    while hi.shape[0] > 1:
        half = hi.shape[0] // 2
        s, e = two_sum(hi[:half], hi[half:])
        lo = lo[:half] + lo[half:] + e
        hi = s
    out = hi[0] + lo[0]
    return float(out) if out.ndim == 0 else out


def _dd_sum_pair(hi, lo):
    """Σ (hi + lo) of a 1-D pair as a double-double (s, e): `dd_sum` without the final
    rounding."""
    s = dd_sum(hi, lo)
    return s, dd_sum(np.append(hi, -s), np.append(lo, 0.0))


def dd_centred_residual(X, y, w, coef):
    """w∘(y − β₀ − Xβ) in double-double, β₀ = Σ w (y − Xβ) / W the best intercept for β, kept
    in double-double too: its rounding to float64 (eps·|β₀| in every residual, far beyond the
    residuals' spread when β₀ is large) must not enter the gradient."""
    rh, rl = dd_weighted_residual(X, y, w, coef, 0.0)
    # W too in double-double: a rounded Σw would leave eps·W·|β₀| in the residuals' sum
    W, We = (float(rh.size), 0.0) if w is None else _dd_sum_pair(w, np.zeros_like(w))
    s, e = _dd_sum_pair(rh, rl)
    b_hi = s / W
    q, qe = two_prod(np.float64(b_hi), np.float64(W))
    b_lo = ((s - q) - qe + e - b_hi * We) / W      # β₀ = b_hi + b_lo
    ww = np.ones_like(rh) if w is None else w
    q, qe = two_prod(ww, np.full_like(rh, -b_hi))
    rh, e2 = two_sum(rh, q)
    return rh, rl + qe + e2 - ww * b_lo


def dd_residual(X, y, intercept, coef):
    """r = y − intercept − X coef in double-double, as (hi, lo) arrays."""
    hi = np.array(y, dtype=np.float64)
    lo = np.zeros_like(hi)
    hi, e = two_sum(hi, np.full_like(hi, -intercept))
    lo += e
    for j in np.flatnonzero(coef):
        q, e1 = two_prod(X[:, j], np.full_like(hi, -coef[j]))
        hi, e2 = two_sum(hi, q)
        lo += e1 + e2
    return hi, lo


def dd_weighted_residual(X, y, w, coef, intercept):
    """w∘(y − β₀ − Xβ) in double-double."""
    rh, rl = dd_residual(X, y, intercept, coef)
    if w is not None:
        rh, e = two_prod(w, rh)
        rl = e + w * rl
    return rh, rl
