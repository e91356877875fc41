"""Sufficient statistics of ridge regression, computed block by block and merged exactly.

For the tall case everything a ridge fit needs is in a handful of sums over the rows: the total
weight W, the weighted column means x̄ and ȳ, and the *centred* cross products

    Mxx = Σ wᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ,   Mxy = Σ wᵢ (xᵢ − x̄)(yᵢ − ȳ)ᵀ,   Myy = Σ wᵢ (yᵢ − ȳ)²

Each block's are computed with the one-pass shifted kernel (`_gram_fast.gram_dense_shifted`: the
block is centred on its first rows' means, and the small remaining offset is removed exactly), and
two blocks' statistics are merged with the pairwise update of Chan, Golub and LeVeque (1979):

    W = Wa + Wb,  δ = x̄b − x̄a,  x̄ = x̄a + δ·Wb/W,  Mxx = Mxx,a + Mxx,b + (Wa·Wb/W) δδᵀ

(and likewise for Mxy, Myy).  Nothing is ever formed as a raw sum XᵀWX from which W x̄x̄ᵀ would be
subtracted, so columns with large means lose no digits, and the result does not depend on how the
rows were split into blocks beyond rounding.  The merge is associative, so blocks can be reduced
in any tree (Dask, Spark's ``treeAggregate``, a loop over file chunks).
"""
import numpy as np

from fastridge import _config
from fastridge._dd import two_sum
from fastridge._validation import is_sparse


class RidgeStats:
    """Sufficient statistics of (X, Y, w) for ridge regression (see the module docstring).

    Attributes: `n` rows seen, `W` total weight, `xbar` (p,), `ybar` (k,), `Mxx` (p, p),
    `Mxy` (p, k), `Myy` (k,), `xmin` and `xmax` (p,) bounds of the columns' values over the
    rows of positive weight, equal exactly when a column holds one value (its smallest and
    largest values where it may; −inf and +inf for a column known to vary; +inf and −inf when
    there are no rows; see `common_values`), `xlo` (p,) and `ylo` (k,) the parts of the means
    below their float64 rounding (the mean is xbar + xlo: merging blocks whose means are large
    against the spread would otherwise cancel digits of their difference), all float64, and
    `dtype`, the working dtype of the data (float32 only when every block was float32).
    ``a + b`` merges two statistics; ``a - b`` removes a part (`b`) from a whole (`a`), used
    for exact k-fold from per-fold statistics.
    """

    __slots__ = ("n", "W", "xbar", "ybar", "Mxx", "Mxy", "Myy", "xmin", "xmax", "xlo", "ylo",
                 "dtype")

    def __init__(self, n, W, xbar, ybar, Mxx, Mxy, Myy, dtype, xmin=None, xmax=None, xlo=None,
                 ylo=None):
        self.n, self.W = int(n), float(W)
        self.xbar, self.ybar = xbar, ybar
        self.Mxx, self.Mxy, self.Myy = Mxx, Mxy, Myy
        self.dtype = np.dtype(dtype)
        p = np.shape(xbar)[0]
        self.xmin = np.full(p, np.inf) if xmin is None else xmin
        self.xmax = np.full(p, -np.inf) if xmax is None else xmax
        self.xlo = np.zeros(p) if xlo is None else xlo
        self.ylo = np.zeros(np.shape(ybar)[0]) if ylo is None else ylo

    def common_values(self, cols):
        """The value each column in `cols` holds on every row of positive weight, NaN when its
        values differ (the `values` of `_preprocessing.column_scales`)."""
        from fastridge._preprocessing import common_value

        return common_value(self.xmin[cols], self.xmax[cols])

    @property
    def p(self):
        return self.xbar.size

    @property
    def k(self):
        return self.ybar.size

    @classmethod
    def empty(cls, p, k, dtype=np.float64):
        return cls(0, 0.0, np.zeros(p), np.zeros(k), np.zeros((p, p)), np.zeros((p, k)),
                   np.zeros(k), dtype)

    def __getstate__(self):
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state):
        for name, value in state.items():
            setattr(self, name, value)

    def __add__(self, other):
        return merge(self, other)

    def __sub__(self, other):
        return remove(self, other)

    def __repr__(self):
        return f"RidgeStats(n={self.n}, W={self.W:.6g}, p={self.p}, k={self.k})"


def _result_dtype(a, b):
    return np.float32 if a == np.float32 and b == np.float32 else np.float64


def merge(a, b):
    """Statistics of the union of two disjoint sets of rows (Chan et al.'s pairwise update)."""
    if (a.p, a.k) != (b.p, b.k):
        raise ValueError(f"Cannot merge statistics of {a.p} features and {a.k} targets with "
                         f"statistics of {b.p} features and {b.k} targets.")
    dtype = _result_dtype(a.dtype, b.dtype)
    if b.W == 0.0 or a.W == 0.0:
        # rows of weight 0 carry nothing but their count
        keep = a if b.W == 0.0 else b
        return RidgeStats(a.n + b.n, keep.W, keep.xbar.copy(), keep.ybar.copy(),
                          keep.Mxx.copy(), keep.Mxy.copy(), keep.Myy.copy(), dtype,
                          keep.xmin.copy(), keep.xmax.copy(), keep.xlo.copy(), keep.ylo.copy())
    W = a.W + b.W
    # the differences of the means in double-double (the float64 parts subtract exactly when
    # the means are close, which is when their rounding would matter)
    dx = (b.xbar - a.xbar) + (b.xlo - a.xlo)
    dy = (b.ybar - a.ybar) + (b.ylo - a.ylo)
    f = a.W * b.W / W
    xbar, xlo = two_sum(a.xbar, a.xlo + dx * (b.W / W))
    ybar, ylo = two_sum(a.ybar, a.ylo + dy * (b.W / W))
    return RidgeStats(a.n + b.n, W, xbar, ybar,
                      a.Mxx + b.Mxx + f * np.outer(dx, dx),
                      a.Mxy + b.Mxy + f * np.outer(dx, dy),
                      a.Myy + b.Myy + f * dy * dy, dtype,
                      np.minimum(a.xmin, b.xmin), np.maximum(a.xmax, b.xmax), xlo, ylo)


def remove(whole, part):
    """Statistics of the rows of `whole` that are not in `part` (the inverse of `merge`).

    Subtracting cross products can cancel digits when `part` holds most of the weight; the
    k-fold code therefore builds each training set by merging the other folds instead and uses
    this only where the part is small.
    """
    W = whole.W - part.W
    if part.W == 0.0:
        return RidgeStats(whole.n - part.n, whole.W, whole.xbar.copy(), whole.ybar.copy(),
                          whole.Mxx.copy(), whole.Mxy.copy(), whole.Myy.copy(), whole.dtype)
    if W <= 0.0:
        return RidgeStats.empty(whole.p, whole.k, whole.dtype)
    # the smallest and largest values cannot be taken out: the whole's are kept (a column
    # constant on the remaining rows only is then fitted, its spread 0 up to rounding)
    xbar = (whole.W * whole.xbar - part.W * part.xbar) / W
    ybar = (whole.W * whole.ybar - part.W * part.ybar) / W
    dx, dy = part.xbar - xbar, part.ybar - ybar
    f = W * part.W / whole.W
    return RidgeStats(whole.n - part.n, W, xbar, ybar,
                      whole.Mxx - part.Mxx - f * np.outer(dx, dx),
                      whole.Mxy - part.Mxy - f * np.outer(dx, dy),
                      np.maximum(whole.Myy - part.Myy - f * dy * dy, 0.0), whole.dtype,
                      whole.xmin.copy(), whole.xmax.copy())


def merge_all(items):
    """Merge a sequence of statistics pairwise (a balanced tree: rounding grows as log n)."""
    items = list(items)
    if not items:
        raise ValueError("No statistics to merge.")
    while len(items) > 1:
        items = [merge(items[i], items[i + 1]) if i + 1 < len(items) else items[i]
                 for i in range(0, len(items), 2)]
    return items[0]


def block_stats(X, Y, sample_weight=None):
    """Statistics of one block of validated rows: X (n, p) dense or sparse, Y (n, k) of X's
    dtype, weights (n,) or None.  One pass over a dense block (the shifted `syrk` kernel)."""
    from fastridge import _design as D, _preprocessing as P

    n, p = X.shape
    k = Y.shape[1]
    dtype = X.dtype
    if n == 0:
        return RidgeStats.empty(p, k, dtype)
    if is_sparse(X):
        # the sparse Gram centres columns with large means explicitly (see `_design.gram`);
        # it works in float64 throughout
        X64 = X.astype(np.float64)
        pr = P.prepare(X64, np.asarray(Y, dtype=np.float64), sample_weight, fit_intercept=True,
                       standardize=False)
        if pr.W == 0.0:
            return RidgeStats(n, 0.0, np.zeros(p), np.zeros(k), np.zeros((p, p)),
                              np.zeros((p, k)), np.zeros(k), dtype)
        ones = np.ones(p)
        d_saved, pr.d = pr.d, ones
        G, C = D.gram(pr, ones)
        pr.d = d_saved
        Mxx, Mxy = np.asarray(G, dtype=np.float64), np.asarray(C, dtype=np.float64)
        xbar, xlo = pr.xbar.copy(), np.zeros(p)
        L = D.offset_columns(pr)  # what the rounding of their means left: Σ w (x − x̄)/W
        w = 1.0 if sample_weight is None else np.asarray(sample_weight, np.float64)[:, None]
        xlo[L] = np.sum(w * D.centred_dense_columns(pr, L), axis=0) / pr.W
        ybar = pr.ybar.copy()
    else:
        from fastridge import _gram_fast

        sw = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if sw is not None and not np.any(sw > 0):
            return RidgeStats(n, 0.0, np.zeros(p), np.zeros(k), np.zeros((p, p)),
                              np.zeros((p, k)), np.zeros(k), dtype)
        G = np.empty((p, p), dtype=dtype, order="F")
        C = np.empty((p, k), dtype=dtype, order="F")
        shift, yshift = np.empty(p), np.empty(k)
        colsum, ysum = np.empty(p), np.empty(k)
        sqw = np.empty(0) if sw is None else np.sqrt(sw)
        block = _config.block_rows(p, dtype.itemsize, minimum=256)
        W = _gram_fast.gram_dense_shifted(X, np.asfortranarray(Y, dtype=dtype), sqw, True,
                                          shift, yshift, G, C, colsum, ysum, block)
        dx, dy = colsum / W, ysum / W
        Mxx = G.astype(np.float64) - W * np.outer(dx, dx)
        Mxy = C.astype(np.float64) - W * np.outer(dx, dy)
        xbar, xlo = two_sum(shift, dx)
        ybar = yshift + dy
    Yc = np.asarray(Y, dtype=np.float64) - ybar
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    W = float(n) if sample_weight is None else float(w.sum())
    # corrected two-pass: ȳ's rounding (y offset far beyond its spread) leaves ylo in every
    # centred value
    ylo = (w @ Yc) / W
    Myy = np.maximum(np.einsum("i,ij,ij->j", w, Yc, Yc) - W * ylo * ylo, 0.0)
    Mxx = 0.5 * (Mxx + Mxx.T)
    # smallest and largest values, read only for the columns that may be constant (the others
    # vary: bounds −inf, +inf)
    xmin, xmax = np.full(p, -np.inf), np.full(p, np.inf)
    cand = np.flatnonzero(P.maybe_constant(xbar, np.sqrt(np.maximum(np.diag(Mxx), 0.0) / W),
                                           n))
    if cand.size:
        xmin[cand], xmax[cand] = P.column_range(X[:, cand], sample_weight)
    return RidgeStats(n, W, xbar, ybar, Mxx, Mxy, Myy, dtype, xmin, xmax, xlo, ylo)


def finite_or_none(make):
    """`make()`'s statistics, or None when they are not finite (squares beyond float64 that
    the fit itself did not form): partial_fit then refuses by name instead of merging into
    infinities."""
    with np.errstate(all="ignore"):
        stats = make()
    return stats if finite(stats) else None


def finite(stats):
    """Whether every statistic is finite (sums of squares that overflowed are not)."""
    with np.errstate(invalid="ignore"):
        return all(bool(np.all(np.isfinite(a))) for a in (
            stats.W, stats.xbar, stats.ybar, stats.Mxx, stats.Mxy, stats.Myy))


def from_problem(pr, X, Y, sw):
    """The statistics of the rows of a fitted in-memory Problem that holds the one-pass centred
    Gram (`pr.G0`, with an intercept): no further pass over X (constant columns, which the fit
    found, are read for their value; the others are marked non-constant by −inf/+inf bounds)."""
    w = np.ones(pr.n) if sw is None else np.asarray(sw, dtype=np.float64)
    Yc = np.asarray(Y, dtype=np.float64) - pr.ybar
    ylo = (w @ Yc) / pr.W
    Myy = np.maximum(np.einsum("i,ij,ij->j", w, Yc, Yc) - pr.W * ylo * ylo, 0.0)
    xmin, xmax = np.full(pr.p, -np.inf), np.full(pr.p, np.inf)
    const = np.flatnonzero(pr.d == 0.0)
    if const.size:
        first = int(np.flatnonzero(w > 0)[0])
        row = X[first]
        row = np.asarray(row.toarray() if hasattr(row, "toarray") else row).ravel()
        xmin[const] = xmax[const] = row[const]
    return RidgeStats(pr.n, pr.W, pr.xbar.copy(), pr.ybar.copy(), pr.G0, pr.C0, Myy, pr.dtype,
                      xmin, xmax, None, ylo)


def problem(stats, *, fit_intercept, standardize):
    """A `_preprocessing.Problem` in fit coordinates made from statistics alone (no X): the
    Gram-based solvers (Cholesky, CD and CG on the Gram, the spectral path) work on it."""
    from fastridge import _preprocessing as P

    if stats.W <= 0.0:
        raise ValueError("The statistics hold no rows of positive weight: call partial_fit "
                         "with data (sample weights must not all be zero).")
    pr = P.Problem()
    pr.X, pr.fmt, pr.dtype = None, "stats", np.dtype(stats.dtype)
    pr.n, pr.p, pr.k = stats.n, stats.p, stats.k
    pr.sw = pr.sqw = None
    pr.Yc = None
    pr.W = stats.W
    pr.center = bool(fit_intercept)
    if pr.center:
        pr.xbar, pr.ybar = stats.xbar.copy(), stats.ybar.copy()
        G, C, yy = stats.Mxx, stats.Mxy, stats.Myy
    else:
        W, mx, my = stats.W, stats.xbar, stats.ybar
        G = stats.Mxx + W * np.outer(mx, mx)
        C = stats.Mxy + W * np.outer(mx, my)
        yy = stats.Myy + W * my * my
        pr.xbar, pr.ybar = np.zeros(stats.p), np.zeros(stats.k)
    pr.ss = np.clip(np.diag(G).copy(), 0.0, None)
    pr.d = P.column_scales(pr.xbar if pr.center else np.zeros(stats.p), pr.ss, pr.W, pr.n,
                           standardize, None if pr.center else
                           (stats.xbar, np.clip(np.diag(stats.Mxx), 0.0, None)),
                           values=stats.common_values)
    pr.h = pr.d * pr.d * pr.ss
    pr.yss = np.array(yy, dtype=np.float64)
    P.check_magnitudes(pr, weighted=False,  # the statistics do not record whether w was given
                       values=stats.common_values)
    # the solvers scale G0 and C0 by d (0 for columns without spread) as for in-memory data
    pr.G0, pr.C0 = np.array(G, dtype=np.float64), np.array(C, dtype=np.float64)
    pr.yy = np.array(yy, dtype=np.float64)
    pr.yss = pr.yy
    return pr


def test_error(stats, coef, intercept):
    """Σ wᵢ (yᵢ − xᵢᵀβ − β₀)² over the rows of `stats`, for coefficients coef (m, k, p) and
    intercepts (m, k): (m, k).

    From the rows' own centred statistics, RSS = Myy − 2βᵀMxy + βᵀMxxβ + W (ȳ − x̄ᵀβ − β₀)²:
    the centring keeps the large means out of the quadratic form, and every term but the middle
    one is a sum of squares, so the only cancellation is that of a good fit's residual against
    the spread of y (digits lost ≈ log10 of 1/(1 − R²)).  Clipped at 0.
    """
    quad = np.einsum("mkp,pq,mkq->mk", coef, stats.Mxx, coef)
    cross = np.einsum("mkp,pk->mk", coef, stats.Mxy)
    offset = (stats.ybar[None, :] - coef @ stats.xbar - intercept) + (
        stats.ylo[None, :] - coef @ stats.xlo)
    rss = stats.Myy[None, :] - 2.0 * cross + quad + stats.W * offset * offset
    return np.clip(rss, 0.0, None)
