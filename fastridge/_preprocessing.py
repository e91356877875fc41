"""Centring, scaling and weights, all implicit: the description of the problem the solvers see.

Every solver works in the *fit coordinates*

    Z = (X − 1 x̄ᵀ) diag(d),   minimize_b  Σᵢ wᵢ (y_cᵢ − zᵢᵀ b)² + α Σⱼ vⱼ bⱼ²

with x̄ the weighted column means (zeros without an intercept), y_c the weighted-centred targets and
d the per-column scale: 1, or 1/σⱼ with `standardize` (σⱼ the weighted population SD about the
weighted mean, with or without an intercept), and 0 for a column with no spread (it gets
coefficient 0).  X itself is never copied or modified here; the kernels apply x̄ and d on the fly.
The raw-scale coefficients are β = d∘b and β₀ = ȳ − x̄ᵀβ.
"""
from typing import NamedTuple

import numpy as np

from fastridge._validation import is_sparse


def load_kernels():
    """Import the compiled kernels (first fit), with a clear message when they are missing."""
    try:
        from fastridge import _cd_fast, _cg_fast, _gram_fast  # noqa: F401
    except ImportError as exc:
        import os

        raise ImportError(
            "fastridge's compiled kernels could not be imported from "
            f"{os.path.dirname(os.path.abspath(__file__))}. If that is a source checkout, "
            "run Python "
            "from another directory so that the installed package is used (`pip install .` "
            "first), or build in place with `pip install -e .`.") from exc
    return _gram_fast


class SolveResult(NamedTuple):
    """What a solver returns: `coef` (k, p) float64 fit-coordinate coefficients, `n_iter` (k,)
    iterations (None for a direct solver), the `solver` that ran, and for the iterative ones the
    stopping measure and its threshold per target (`measure`, `tol_abs`: converged where
    measure ≤ tol_abs; NaN counts as not converged); `intercept` (k,) when the solver refined
    the intercept itself (svd), else None."""

    coef: np.ndarray
    n_iter: np.ndarray | None
    solver: str
    measure: np.ndarray | None = None
    tol_abs: np.ndarray | None = None
    intercept: np.ndarray | None = None

    def short(self):
        """Indices of the targets where an iterative solver stopped before its tolerance."""
        if self.measure is None:
            return np.zeros(0, dtype=np.intp)
        return np.flatnonzero(~(self.measure <= self.tol_abs))


class Problem:
    """Everything a solver needs about (X, Y, w) in the fit coordinates.

    Three forms, by what the data give: rows in memory (`X` dense, CSR or CSC; `fmt` says
    which), sufficient statistics (`X` None, the centred Gram `G0` and `C0` = ZᵀW y_c unscaled;
    `fmt` "stats"), or an operator (`X` None, `op` applies ZᵀWZ to a block of vectors and holds
    ZᵀW y_c, for rows that live elsewhere — Dask chunks; `fmt` "operator")."""

    __slots__ = ("X", "fmt", "dtype", "n", "p", "k", "sw", "sqw", "W", "center", "xbar", "ss",
                 "d", "h", "ybar", "G0", "C0", "yy", "yss", "op", "_Yc", "_Ysrc")

    def __init__(self):
        self._Yc = self._Ysrc = None
        self.op = None

    @property
    def form(self):
        """"rows" (X in memory), "stats" (the Gram from sufficient statistics) or "operator"
        (products with ZᵀWZ over rows held elsewhere): what a solver can work on."""
        if self.op is not None:
            return "operator"
        return "rows" if self.X is not None else "stats"
        self.yss = None  # (k,) Σ wᵢ y_cᵢ², the targets' weighted sum of squares as fitted

    @property
    def Yc(self):
        """The centred targets Y − ȳ (n × k, F-ordered, working dtype), made on first use: a fit
        on the Gram never needs them, and for many targets the copy is a pass of its own."""
        if self._Yc is None and self._Ysrc is not None:
            with np.errstate(over="ignore", invalid="ignore"):  # range-checked in prepare
                Yc = np.asarray(self._Ysrc, dtype=np.float64) - self.ybar
            self._Yc = np.asfortranarray(Yc, dtype=self.dtype)
            self._Ysrc = None
        return self._Yc

    @Yc.setter
    def Yc(self, value):
        self._Yc, self._Ysrc = value, None

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


def prepare(X, Y, sample_weight, *, fit_intercept, standardize, want_gram=False,
            check_finite=False):
    """Column statistics and centred targets; X is used as given (no copy).

    Y must be 2-D (n, k) of X's dtype.  With `want_gram` (dense X, a solver that works on the
    Gram matrix), the statistics come from the same single pass over X that forms the centred
    Gram ZᵀWZ and ZᵀW y_c (kept in the Problem for the solver).  `check_finite`: dense X was
    validated with `defer_finite`; a NaN or infinity in it makes the statistics non-finite, and
    only then is X scanned (for the error message), so the check costs no read of X.
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
        with np.errstate(over="ignore", invalid="ignore"):  # checked below
            W = _one_pass_gram(pr, X, Y, sw, mean, ss)
    else:
        fmt = "dense"
        W = _gram_fast.column_stats_dense(X, swv, pr.center, mean, ss)
    finite = _all_finite_stats(mean, ss, pr.G0, pr.C0)
    if check_finite and fmt == "dense" and not finite:
        from fastridge._validation import ensure_finite

        ensure_finite(X, "X")
    if pr.G0 is not None and (
            not finite or dtype == np.float32 and not _float32_gram_ok(pr.G0, X, sw, mean, ss, W,
                                                                       n)):
        # the one-pass Gram squares unscaled values: it overflowed (x·(y − ȳ) beyond float64
        # with huge y, say) or, in float32, lost digits to underflow.  Statistics again in
        # double; the solvers form the Gram after scaling, or the range checks below refuse.
        pr.G0 = pr.C0 = pr.yy = None
        W = _gram_fast.column_stats_dense(X, swv, pr.center, mean, ss)
    pr.X, pr.fmt, pr.W = X, fmt, float(W)
    pr.xbar, pr.ss = mean, ss
    pr.sqw = None if sw is None else np.sqrt(sw.astype(np.float64))

    with np.errstate(over="ignore", invalid="ignore"):  # checked below
        spread = np.sqrt(ss / W)
    values = lambda cols: common_values(X, sw, cols)  # noqa: E731 (exact constant test)
    constant = constant_columns(mean, spread, n, values)
    _check_magnitudes(sw, mean, ss, spread, constant)
    centred = None
    if standardize and not pr.center:
        # the scale is the SD about the weighted mean all the same (a second, centred pass)
        centred = np.empty(p), np.empty(p)
        if fmt == "dense":
            _gram_fast.column_stats_dense(X, swv, True, *centred)
        else:
            _gram_fast.column_stats_sparse(X.data, X.indices, X.indptr, n, fmt == "csc", swv,
                                           True, *centred, np.empty(p))
    pr.d = column_scales(mean, ss, W, n, standardize, centred, values=values)
    pr.h = pr.d * pr.d * ss

    Yd = np.asarray(Y, dtype=np.float64)

    def centred_weighted():
        with np.errstate(over="ignore", invalid="ignore"):
            Yc = Yd - ybar
            return Yc if sw is None else Yc * pr.sqw[:, None]

    if pr.G0 is not None:
        ybar, yy = pr.ybar, pr.yy  # from the Gram's pass
        pr.yy = None
    else:
        if pr.center:
            ybar = (Yd.T @ sw) / W if sw is not None else Yd.mean(axis=0)
        else:
            ybar = np.zeros(pr.k)
        Ycw = centred_weighted()
        with np.errstate(over="ignore", invalid="ignore"):
            yy = np.einsum("ij,ij->j", Ycw, Ycw)
    active = pr.d != 0
    _check_target_magnitudes(centred_weighted, ybar, yy, pr.h[active], W,
                             weighted=sw is not None)
    if dtype == np.float32:
        # the kernels also multiply the raw values (x, not x − x̄) in float32
        raw_x = ss + W * mean * mean if pr.center else ss
        raw_y = np.einsum("ij,ij->j", Yd, Yd if sw is None else Yd * sw[:, None])
        top = F32_GRAM_RANGE[1]
        if not (_within(pr.h[active], F32_GRAM_RANGE) and np.all(yy <= top)
                and np.all(raw_x <= top) and np.all(raw_y <= top)):
            # the float32 kernels would form or apply a Gram ZᵀWZ (or ZᵀWy, or Xᵀr) that
            # overflows float32 or underflows it: the whole computation moves to float64 (the
            # estimators still return float32 results)
            X64 = X.astype(np.float64)
            sw64 = None if sw is None else sw.astype(np.float64)
            return prepare(X64, Yd, sw64, fit_intercept=fit_intercept,
                           standardize=standardize, want_gram=want_gram)
    pr.ybar = ybar
    pr.yss = np.asarray(yy, dtype=np.float64)
    pr._Ysrc = Y  # pr.Yc is made from it on first use
    return pr


def _all_finite_stats(*arrays):
    """Whether every given statistic (None for absent) is finite.  A NaN or infinity anywhere
    in X reaches its column's sum of squares (and every Gram entry of its column): sums and
    products propagate them, and a zero weight multiplies an infinity into a NaN."""
    with np.errstate(invalid="ignore"):
        return all(a is None or np.isfinite(a).all() for a in arrays)


def column_scales(mean, ss, W, n, standardize, centred=None, *, values):
    """The per-column scale d of the fit coordinates from the column means and (centred, or raw
    without an intercept) weighted sums of squares: 1/σⱼ with `standardize`, else 1; 0 for a
    constant column (see `constant_columns`, which calls `values`), which gets coefficient 0.

    `centred`: the weighted means and sums of squares about them, (mean, ss), when the fit does
    not centre (no intercept).  `standardize` divides by the weighted SD about the mean all the
    same (as glmnet and scikit-learn's ``StandardScaler(with_mean=False)`` do, not by the root
    mean square), so a column constant about its mean gets 0 as well."""
    def spread_of(ssq):
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            return np.sqrt(ssq / W) if W > 0 else np.zeros_like(ssq)

    spread = spread_of(ss)
    constant = constant_columns(mean, spread, n, values)
    if standardize and centred is not None:
        sd = spread_of(centred[1])
        return _scales(sd, constant | constant_columns(centred[0], sd, n, values), True)
    return _scales(spread, constant, standardize)


def _scales(spread, constant, standardize):
    if standardize:
        with np.errstate(divide="ignore"):
            return np.where(constant, 0.0, 1.0 / np.where(constant, 1.0, spread))
    return np.where(constant, 0.0, 1.0)


# Column spreads (weighted SD, or root mean square without an intercept) whose squares float64
# represents with full precision, about 1e-152 to 1e+152 (a sum of squares W·spread² may still
# overflow beyond 2**14 rows: that is caught as a non-finite statistic).
F64_SPREAD_RANGE = (2.0 ** -505, 2.0 ** 505)
# Diagonal entries of the fit-coordinate Gram ZᵀWZ the float32 kernels handle (about 8e-31 to
# 1.3e+30): beyond, float32 data are computed in float64.
F32_GRAM_RANGE = (2.0 ** -100, 2.0 ** 100)


def _within(values, bounds):
    return bool(np.all((values >= bounds[0]) & (values <= bounds[1])))


_EPS = float(np.finfo(np.float64).eps)


def constant_columns(mean, spread, n, values):
    """Constant columns, which carry no information beyond the intercept and get coefficient 0:
    those whose rows of positive weight all hold one value, and that value is the column's
    `mean` (so without an intercept, where `mean` is 0, only columns of zeros).  Any other
    column is fitted, however small its spread against its mean.

    The exact test reads only the candidates: the columns whose computed spread is within the
    rounding of their mean (n·eps·|mean| bounds it for a column of equal values) or is 0.
    `values(cols)` gives, for those column indices, the value each holds on every row of
    positive weight, NaN where the values differ (`common_values` for X at hand; the kept
    minimum and maximum for statistics)."""
    cols = np.flatnonzero(maybe_constant(mean, spread, n))
    constant = np.zeros(np.shape(mean), dtype=bool)
    if cols.size:
        c = np.asarray(values(cols), dtype=np.float64)
        m = np.asarray(mean)[cols]
        with np.errstate(invalid="ignore"):
            constant[cols] = np.abs(c - m) <= (4.0 * max(n, 1) * _EPS) * np.abs(c)
    return constant


def maybe_constant(mean, spread, n):
    """The columns that may be constant (see `constant_columns`): spread within n·eps·|mean|
    (what rounding leaves of a column of equal values), or 0."""
    return (spread <= (4.0 * max(n, 1) * _EPS) * np.abs(mean)) | (spread == 0.0)


def common_values(X, sw, cols):
    """For each column index in `cols`, the value all rows of X with positive weight (`sw`, None
    for unit weights) hold in it, NaN when they hold different values.  Dense or sparse X
    (an implicit zero is a value); reads only those columns."""
    return common_value(*column_range(X[:, cols], sw))


def common_value(lo, hi):
    """The value a column holds on every row, from its smallest and largest: NaN when they
    differ (the `values` of `constant_columns`, from X or from kept statistics)."""
    return np.where(lo == hi, lo, np.nan)


def column_range(X, sample_weight):
    """Each column's smallest and largest value over the rows of positive weight (an implicit
    zero of sparse X counts), float64."""
    if sample_weight is not None:
        pos = np.asarray(sample_weight) > 0
        if is_sparse(X):
            X = X[np.flatnonzero(pos)]
        elif not pos.all():
            mask = pos[:, None]
            return (np.min(X, axis=0, where=mask, initial=np.inf).astype(np.float64),
                    np.max(X, axis=0, where=mask, initial=-np.inf).astype(np.float64))
    if is_sparse(X):
        return (np.asarray(X.min(axis=0).todense(), dtype=np.float64).ravel(),
                np.asarray(X.max(axis=0).todense(), dtype=np.float64).ravel())
    return X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)


def check_magnitudes(pr, *, weighted, values, yy_zero_is_constant=True):
    """The magnitude checks of `prepare` (`_check_magnitudes`, `_check_target_magnitudes`)
    for a Problem built without the rows at hand (from statistics, or as an operator over
    rows elsewhere): the same errors, from the column statistics.  `values(cols)`: the common
    value of each candidate constant column (NaN where the values differ).  Without the rows,
    a target whose sum of squares is exactly 0 counts as constant (the merges of the
    statistics and the reductions leave a constant target's sum at 0)."""
    mean = pr.xbar if pr.center else np.zeros(pr.p)
    with np.errstate(over="ignore", invalid="ignore"):
        spread = np.sqrt(pr.ss / pr.W)
    constant = constant_columns(mean, spread, pr.n, values)
    _check_magnitudes(weighted or None, mean, pr.ss, spread, constant)
    yy = np.asarray(pr.yss, dtype=np.float64)
    _check_target_magnitudes(lambda: (yy != 0.0)[None, :], pr.ybar, yy, pr.h[pr.d != 0],
                             pr.W, weighted=weighted)


def _check_magnitudes(sw, mean, ss, spread, constant):
    """ValueError when some column's values are too large or too small for its sum of squares
    to be computed in float64 (the column statistics and every Gram or kernel matrix square the
    centred values): rather than a NaN, an inf or a column silently taken for a constant one.

    A column whose squares all underflow has spread 0 but is not constant (`constant`, the
    exact test): it is refused too."""
    lo, hi = F64_SPREAD_RANGE
    with np.errstate(invalid="ignore"):
        # the spread, and the weighted sum of squares itself (weights over many decades)
        overflow = ~np.isfinite(mean) | ~np.isfinite(ss) | (spread > hi) | (ss > hi * hi)
        underflow = ~constant & ((spread < lo) | (ss < lo * lo))
    if overflow.any() or underflow.any():
        j = int(np.flatnonzero(overflow | underflow)[0])
        what = "overflows" if overflow[j] else "underflows"
        raise ValueError(
            f"Input X{' (weighted by sample_weight)' if sw is not None else ''} has values too "
            f"large or too small to be squared in float64: the sum of squares of column {j} "
            f"(mean {mean[j]:.3g}) {what}. The spread of every "
            "non-constant column must lie between about 1e-150 and 1e150: rescale those "
            "columns (multiply them by a power of 10).")


def _check_target_magnitudes(make_ycw, ybar, yy, h, W, weighted):
    """ValueError when y's sum of squares (weighted, centred) overflows or underflows float64,
    or when the squared norm of ZᵀWy (the gradient at 0, at most Σ hⱼ · yy) would: the same
    rule as for X (spread within about 1e±150), for y and for the product of the two.
    `make_ycw()` makes the weighted centred targets; it is called only when a sum of squares is
    small enough to have underflowed."""
    lo, hi = F64_SPREAD_RANGE
    with np.errstate(over="ignore", invalid="ignore"):
        spread = np.sqrt(yy / W)
        bad = ~np.isfinite(ybar) | ~np.isfinite(yy) | (spread > hi) | (yy > hi * hi)
        small = (spread < lo) | (yy < lo * lo)
        if small.any():  # underflow, unless those targets are exactly constant
            bad |= small & np.any(make_ycw() != 0.0, axis=0)
        too_large = h.size and np.any(h.sum() * yy > 2.0 ** 1020)  # ‖ZᵀWy‖² ≤ Σ hⱼ · yy
    inputs = "X, y and sample_weight are" if weighted else "X and y are"
    if bad.any():
        raise ValueError(
            f"Input y{' (weighted by sample_weight)' if weighted else ''} has values too large "
            f"or too small to be squared in float64 (target {int(np.flatnonzero(bad)[0])}): "
            "the spread of y must lie between about 1e-150 and 1e150. Rescale y (the "
            "coefficients scale with it).")
    if too_large:
        raise ValueError(
            f"Input {inputs} together too large: the products X'Wy overflow float64 when "
            "squared. Rescale y or X (or use standardize=True).")


def _float32_gram_ok(G, X, sw, mean, ss, W, n):
    """Whether a float32 one-pass Gram of the unscaled columns (dense X), already known to be
    finite, is usable: the diagonal of every non-constant column within the range where float32
    keeps its digits (a zero diagonal of a column that is not constant is an underflow)."""
    spread = np.sqrt(np.clip(ss, 0.0, None) / W)
    active = ~constant_columns(mean, spread, n, lambda cols: common_values(X, sw, cols))
    return _within(ss[active], F32_GRAM_RANGE)


def _one_pass_gram(pr, X, Y, sw, mean, ss):
    """Fill mean, ss, pr.ybar, pr.G0 (centred, unscaled ZᵀWZ, float64) and pr.C0 (ZᵀW y_c)
    from one read of X (see `_gram_fast.gram_dense_shifted`: row blocks shifted by the first
    block's means into a cached buffer, `syrk` and one `gemm` per block): one read of X where a
    raw XᵀX would need a separate pass for the column sums and XᵀY, and full accuracy for any
    means (benchmarks/compare.py measures it against one `syrk`)."""
    from fastridge import _config, _gram_fast
    p, k = pr.p, pr.k
    dt = pr.dtype
    G = np.empty((p, p), dtype=dt, order="F")
    C = np.empty((p, k), dtype=dt, order="F")
    shift, yshift = np.empty(p), np.empty(k)
    colsum, ysum = np.empty(p), np.empty(k)
    sqw = np.empty(0) if sw is None else np.sqrt(sw.astype(np.float64))
    block = _config.block_rows(p, dt.itemsize, minimum=256)
    ysq = np.empty(k)
    W = _gram_fast.gram_dense_shifted(X, np.asarray(Y, dtype=dt), sqw, pr.center, shift,
                                      yshift, G, C, colsum, ysum, block, ysq)
    delta, eps = colsum / W, ysum / W
    G0 = G.astype(np.float64)
    C0 = C.astype(np.float64)
    if pr.center:
        G0 -= W * np.outer(delta, delta)
        C0 -= W * np.outer(delta, eps)
        mean[:] = shift + delta
        pr.ybar = yshift + eps
        pr.yy = np.clip(ysq - ysum * eps, 0.0, None)
    else:
        mean[:] = 0.0
        pr.ybar = np.zeros(k)
        pr.yy = ysq
    ss[:] = np.clip(np.diag(G0), 0.0, None)
    pr.G0, pr.C0 = G0, C0
    return W


def to_raw(pr, B, limits=None, *, overwrite=False):
    """Fit-coordinate coefficients B (k, p) → raw-scale coef (k, p) and intercept (k,):
    β = d∘b and β₀ = ȳ − x̄ᵀβ.  B may carry leading axes (a path's (m, k, p) gives coef
    (m, k, p) and intercept (m, k), every α at once).

    `limits`: None or the raw-scale box (lower, upper) the solver kept B in (as B = β/d); the
    raw coefficients are clipped to it, which only removes the rounding of β = d·b, and the
    intercept β₀ = ȳ − x̄ᵀβ is taken with the clipped β.  `overwrite`: B (float64, C-ordered,
    the caller's to give up) becomes coef in place, so that a path's conversion allocates no
    second (m, k, p) array."""
    if overwrite and isinstance(B, np.ndarray) and B.dtype == np.float64 \
            and B.flags.c_contiguous and B.flags.writeable:
        coef = B
    else:
        coef = np.array(B, dtype=np.float64)  # one copy, then in place (fewer temporaries)
    coef *= pr.d
    coef += 0.0                               # no -0.0 for a column with d = 0
    if limits is not None:
        np.clip(coef, limits[0], limits[1], out=coef)
    if pr.center:
        flat = coef.reshape(-1, coef.shape[-1])
        intercept = (pr.ybar - (flat @ pr.xbar).reshape(coef.shape[:-2] + (-1,)))
    else:
        intercept = np.zeros(coef.shape[:-2] + (pr.k,))
    return coef, intercept


def from_raw(pr, coef):
    """Raw-scale coefficients (k, p) → fit coordinates (for warm starts); 0 where d = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        B = np.where(pr.d != 0.0, coef / np.where(pr.d != 0.0, pr.d, 1.0), 0.0)
    return B


def exclude_columns(pr, cols):
    """Force the coefficients of the columns `cols` to 0 (glmnet's ``exclude``): their scale
    dⱼ becomes 0, as a constant column's, so that every solver leaves them out of the fit and
    `to_raw` reports 0 for them.  None or an empty `cols` leaves `pr` as it is."""
    if cols is None or not len(cols):
        return pr
    pr.d = pr.d.copy()
    pr.d[cols] = 0.0
    pr.h = pr.d * pr.d * pr.ss
    return pr
