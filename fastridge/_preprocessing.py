"""Centring, scaling and weights, all implicit: the description of the problem the solvers see.

Every solver works in the *fit coordinates*

    Z = (X − 1 x̄ᵀ) diag(d),   minimize_b  Σᵢ wᵢ (y_cᵢ − zᵢᵀ b)² + α Σⱼ vⱼ bⱼ²

with x̄ the weighted column means (zeros without an intercept), y_c the weighted-centred targets and
d the per-column scale: 1, or 1/σⱼ with `standardize` (σⱼ the weighted population SD, or the
weighted root mean square without an intercept), and 0 for a column with no spread (it gets
coefficient 0).  X itself is never copied or modified here; the kernels apply x̄ and d on the fly.
The raw-scale coefficients are β = d∘b and β₀ = ȳ − x̄ᵀβ.
"""
import numpy as np

from fastridge._validation import is_sparse


def load_kernels():
    """Import the compiled kernels (first fit), with a clear message when they are missing."""
    try:
        from fastridge import _cd_fast, _cg_fast, _gram_fast  # noqa: F401
    except ImportError as exc:
        import os

        import fastridge

        raise ImportError(
            "fastridge's compiled kernels could not be imported from "
            f"{os.path.dirname(fastridge.__file__)}. If that is a source checkout, run Python "
            "from another directory so that the installed package is used (`pip install .` "
            "first), or build in place with `pip install -e .`.") from exc
    return _gram_fast


class Problem:
    """Everything a solver needs about (X, Y, w) in the fit coordinates."""

    __slots__ = ("X", "fmt", "dtype", "n", "p", "k", "sw", "sqw", "W", "center", "xbar", "ss",
                 "d", "h", "ybar", "Yc", "G0", "C0", "yy")

    def csc(self):
        """X as CSC (a converted copy only when X is CSR), canonical format."""
        X = self.X if self.fmt == "csc" else self.X.tocsc()
        return X

    def empty(self):
        """A zero-length array of the working dtype (stands for "no weights")."""
        return np.empty(0, dtype=self.dtype)


def _canonical(X):
    """Sparse X without duplicate entries (a copy only when duplicates exist)."""
    if not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    return X


def prepare(X, Y, sample_weight, *, fit_intercept, standardize, want_gram=False):
    """Column statistics and centred targets; X is used as given (no copy).

    Y must be 2-D (n, k) of X's dtype.  With `want_gram` (dense X, a solver that works on the
    Gram matrix), the statistics come from the same single pass over X that forms the centred
    Gram ZᵀWZ and ZᵀW y_c (kept in the Problem for the solver).
    """
    _gram_fast = load_kernels()

    pr = Problem()
    pr.G0 = pr.C0 = pr.yy = None
    dtype = X.dtype
    n, p = X.shape
    pr.dtype, pr.n, pr.p, pr.k = dtype, n, p, Y.shape[1]
    pr.center = bool(fit_intercept)
    sw = None if sample_weight is None else np.ascontiguousarray(sample_weight, dtype=dtype)
    pr.sw = sw
    swv = pr.empty() if sw is None else sw
    mean = np.empty(p)
    ss = np.empty(p)
    if is_sparse(X):
        fmt = X.format
        if fmt not in ("csr", "csc"):
            X = X.tocsc()
            fmt = "csc"
        X = _canonical(X)
        W = _gram_fast.column_stats_sparse(
            X.data, X.indices, X.indptr, n, fmt == "csc", swv, pr.center, mean, ss,
            np.empty(p))
    elif want_gram:
        fmt = "dense"
        W = _one_pass_gram(pr, X, Y, sw, mean, ss)
    else:
        fmt = "dense"
        W = _gram_fast.column_stats_dense(X, swv, pr.center, mean, ss)
    pr.X, pr.fmt, pr.W = X, fmt, float(W)
    pr.xbar, pr.ss = mean, ss
    pr.sqw = None if sw is None else np.sqrt(sw.astype(np.float64))

    pr.d = column_scales(mean, ss, pr.W, n, standardize)
    pr.h = pr.d * pr.d * ss

    Yd = np.asarray(Y, dtype=np.float64)
    if pr.G0 is not None:
        ybar = pr.ybar
    elif pr.center:
        ybar = (Yd.T @ sw) / W if sw is not None else Yd.mean(axis=0)
    else:
        ybar = np.zeros(pr.k)
    pr.ybar = ybar
    pr.Yc = np.asfortranarray(Yd - ybar, dtype=dtype)
    return pr


def column_scales(mean, ss, W, n, standardize):
    """The per-column scale d of the fit coordinates from the column means and (centred, or raw
    without an intercept) weighted sums of squares: 1/σⱼ with `standardize`, else 1; and 0 for
    a column whose spread is at the level of the rounding of its mean (it carries no information
    beyond the intercept, or is all zeros), which gets coefficient 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.sqrt(ss / W) if W > 0 else np.zeros_like(ss)
    eps = np.finfo(np.float64).eps
    constant = spread <= 4.0 * max(n, 1) * eps * np.abs(mean)
    constant |= spread == 0.0
    if standardize:
        with np.errstate(divide="ignore"):
            return np.where(constant, 0.0, 1.0 / np.where(constant, 1.0, spread))
    return np.where(constant, 0.0, 1.0)


def _one_pass_gram(pr, X, Y, sw, mean, ss):
    """Fill mean, ss, pr.ybar, pr.G0 (centred, unscaled ZᵀWZ, float64) and pr.C0 (ZᵀW y_c)
    from one read of X (see `_gram_fast.gram_dense_shifted`: row blocks shifted by the first
    block's means into a cached buffer, `syrk` and one `gemm` per block).  On 200,000 × 200 it
    takes about 1.3 times one `syrk` of X itself, less than syrk plus the separate pass for the
    column sums and XᵀY that a raw XᵀX would need, and it keeps full accuracy for any means."""
    from fastridge import _gram_fast
    from fastridge._solvers import BLOCK_BYTES
    n, p, k = pr.n, pr.p, pr.k
    dt = pr.dtype
    G = np.empty((p, p), dtype=dt, order="F")
    C = np.empty((p, k), dtype=dt, order="F")
    shift, yshift = np.empty(p), np.empty(k)
    colsum, ysum = np.empty(p), np.empty(k)
    sqw = np.empty(0) if sw is None else np.sqrt(sw.astype(np.float64))
    block = max(256, BLOCK_BYTES // max(1, p * dt.itemsize))
    W = _gram_fast.gram_dense_shifted(X, np.asfortranarray(Y, dtype=dt), sqw, pr.center, shift,
                                      yshift, G, C, colsum, ysum, block)
    delta, eps = colsum / W, ysum / W
    G0 = G.astype(np.float64)
    C0 = C.astype(np.float64)
    if pr.center:
        G0 -= W * np.outer(delta, delta)
        C0 -= W * np.outer(delta, eps)
        mean[:] = shift + delta
        pr.ybar = yshift + eps
    else:
        mean[:] = 0.0
        pr.ybar = np.zeros(k)
    ss[:] = np.clip(np.diag(G0), 0.0, None)
    pr.G0, pr.C0 = G0, C0
    return W


def to_raw(pr, B):
    """Fit-coordinate coefficients B (k, p) → raw-scale coef (k, p) and intercept (k,)."""
    coef = B.astype(np.float64) * pr.d
    if pr.center:
        intercept = pr.ybar - coef @ pr.xbar
    else:
        intercept = np.zeros(pr.k)
    return coef, intercept


def from_raw(pr, coef):
    """Raw-scale coefficients (k, p) → fit coordinates (for warm starts); 0 where d = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        B = np.where(pr.d != 0.0, coef / np.where(pr.d != 0.0, pr.d, 1.0), 0.0)
    return B
