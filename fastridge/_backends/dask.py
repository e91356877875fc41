"""The Dask backend (the ``dask`` extra): row-chunked Dask arrays, never gathered.

Only what is Dask lives here: validating Dask inputs, the per-chunk kernels (a chunk's
sufficient statistics, split by fold or not; its share of ZᵀWZ P), the delayed tree reduce, and
the distributed operator for CG.  The fits, paths and cross-validation are the engine's: tall X
(the p × p Gram fits in memory) is fitted from the merged statistics (one pass); wide X from an
operator `Problem` whose `op.apply` is one pass over the chunks (CG with the iteration on the
client).  Persist X on the workers first (``X = X.persist()``) so that passes do not recompute
it.  Dask is imported only here, and only when a Dask array is passed.
"""
import numpy as np

from fastridge import _policy, _preprocessing as P, _solvers as S, _stats, _validation as V

# fold the statistics of this many chunks per task of the reduction tree
SPLIT_EVERY = 8


def is_dask(obj):
    """Whether `obj` is a Dask collection (without importing Dask)."""
    return type(obj).__module__.split(".")[0] == "dask" and hasattr(obj, "__dask_graph__")


# --------------------------------------------------------------------------- validation
def _float_dtype(dtype, name):
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        raise ValueError(f"Complex data not supported (got {name} of dtype {dtype}).")
    if dtype.kind not in "fiub" or dtype.itemsize > 8:
        raise ValueError(f"{name} must have a numeric dtype (float, int or bool), got "
                         f"{dtype}.")
    return np.dtype(np.float32) if dtype == np.float32 else np.dtype(np.float64)


def _check_known_chunks(arr, name):
    if any(np.isnan(c) for c in arr.chunks[0]):
        raise ValueError(f"{name} has unknown chunk sizes; call {name}.compute_chunk_sizes() "
                         f"first (or pass lengths= when converting a dataframe).")


def _as_rows(a, chunks, dtype, name):
    """A 1-D or 2-D array-like (Dask or in-memory) as a Dask array with the given row chunks."""
    import dask.array as da

    if is_dask(a):
        if not hasattr(a, "chunks"):
            raise TypeError(f"{name} must be a dask.array.Array (convert a Dask dataframe "
                            f"with .to_dask_array(lengths=True)), got {type(a).__name__}.")
        _check_known_chunks(a, name)
        _float_dtype(a.dtype, name)
        a = a.astype(dtype)
    else:
        if name == "sample_weight":
            a = V.check_sample_weight(a, sum(chunks), np.float64)
        else:
            a = V.check_array(a, ensure_2d=False, input_name=name, estimator_name="fastridge",
                              accept_sparse=False)
        a = np.asarray(a, dtype=dtype)
        if a.ndim in (1, 2) and a.shape[0] == sum(chunks):
            a = da.from_array(a, chunks=(chunks,) + a.shape[1:])
    if a.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D or 2-D, got {a.ndim} dimensions.")
    if a.shape[0] != sum(chunks):
        raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                         f"[{sum(chunks)}, {a.shape[0]}] (X and {name}).")
    if a.ndim == 2 and len(a.chunks[1]) > 1:
        a = a.rechunk({1: -1})
    if tuple(a.chunks[0]) != tuple(chunks):
        a = a.rechunk({0: chunks})
    return a


class Data:
    """Validated Dask inputs: X (chunked by rows only), Y (n, k), w (n,) or None, all with the
    same row chunks."""

    def __init__(self, est_name, X, y, sample_weight):
        if not hasattr(X, "chunks") or not hasattr(X, "ndim"):
            raise TypeError(f"{est_name}: X must be a dask.array.Array (convert a Dask "
                            f"dataframe with .to_dask_array(lengths=True)), got "
                            f"{type(X).__name__}.")
        if X.ndim != 2:
            raise ValueError(f"Expected 2D array, got a {X.ndim}-D Dask array instead; "
                             f"{est_name} needs X of shape (n_samples, n_features).")
        _check_known_chunks(X, "X")
        self.dtype = _float_dtype(X.dtype, "X")
        n, p = X.shape
        if n == 0:
            raise ValueError(f"Found array with 0 sample(s) (shape=({n}, {p})) while a minimum "
                             f"of 1 is required by {est_name}.")
        if p == 0:
            raise ValueError(f"Found array with 0 feature(s) (shape=({n}, 0)) while a minimum "
                             f"of 1 is required by {est_name}.")
        if y is None:
            raise ValueError(f"{est_name} requires y to be passed, but the target y is None.")
        X = X.astype(self.dtype)
        if len(X.chunks[1]) > 1:  # row chunks of whole rows: one task reads a chunk whole
            X = X.rechunk({1: -1})
        self.X, self.n, self.p = X, n, p
        chunks = tuple(int(c) for c in X.chunks[0])
        Y = _as_rows(y, chunks, self.dtype, "y")
        self.single = Y.ndim == 1
        self.Y = Y[:, None] if self.single else Y
        self.k = self.Y.shape[1]
        self.w = None if sample_weight is None else _as_rows(
            sample_weight, chunks, np.float64, "sample_weight")
        if self.w is not None and self.w.ndim != 1:
            raise ValueError(f"sample_weight must be 1-D, got shape {self.w.shape}.")
        self.chunks = chunks
        self.starts = np.concatenate([[0], np.cumsum(chunks)[:-1]]).astype(np.int64)

    def describe(self):
        from fastridge._progress import shape_text

        return shape_text(self.X, self.k, kind="dask array")

    def blocks(self):
        """(X block, Y block, w block or None, first row) as delayed objects, one per row chunk."""
        Xb = self.X.to_delayed()
        Yb = self.Y.to_delayed()
        wb = None if self.w is None else self.w.to_delayed()
        for i in range(len(self.chunks)):
            yield (Xb[i, 0], Yb[i, 0], None if wb is None else wb[i], int(self.starts[i]))


def _chunk_arrays(Xb, Yb, wb, dtype):
    """Inside a task: a chunk as validated arrays (finite; weights ≥ 0)."""
    from fastridge._validation import is_sparse

    if is_sparse(Xb):
        Xb = Xb.tocsr() if Xb.format not in ("csr", "csc") else Xb
        Xb = Xb.astype(dtype)
        values = Xb.data
    else:
        Xb = np.asarray(Xb, dtype=dtype)
        values = Xb
    if not np.all(np.isfinite(values)):
        raise ValueError("Input X contains NaN or infinity.")
    Yb = np.asarray(Yb, dtype=dtype)
    if not np.all(np.isfinite(Yb)):
        raise ValueError("Input y contains NaN or infinity.")
    if wb is not None:
        wb = np.asarray(wb, dtype=np.float64)
        if not np.all(np.isfinite(wb)):
            raise ValueError("Input sample_weight contains NaN or infinity.")
        if np.any(wb < 0):
            raise ValueError("Negative values in data passed to sample_weight.")
        wb = wb.astype(dtype)
    return Xb, Yb, wb




# --------------------------------------------------------------------------- the backend
class DaskBackend:
    """Rows in row chunks of Dask arrays, on a cluster or local threads."""

    name = "dask"
    rows_in_memory = False

    def validate(self, est, X, y, sample_weight, *, reset=True, name=None):
        data = Data(name or type(est).__name__, X, y, sample_weight)
        if not reset:  # a fitted estimator's data (inference): checked, nothing recorded
            if data.p != est.n_features_in_:
                raise ValueError(f"X has {data.p} features, but {type(est).__name__} is "
                                 f"expecting {est.n_features_in_} features as input.")
            return data
        est.n_features_in_ = data.p
        est.__dict__.pop("feature_names_in_", None)
        return data

    def _route(self, data, solver, *, fit_intercept, standardize):
        """The statistics route (Problem from the merged statistics) unless the Gram would not
        fit or CG was asked for (the operator route)."""
        if _policy.statistics_route(data.p, solver):
            return _stats.problem(statistics(data), fit_intercept=fit_intercept,
                                  standardize=standardize)
        return operator_problem(data, fit_intercept=fit_intercept, standardize=standardize)

    def problem(self, data, *, fit_intercept, standardize, solver, alphas, v, positive,
                penalty_factor, limits=False):
        """(Problem, solver) for one fit; "auto" is resolved by the registry from the
        problem's form (statistics or operator).  An option the operator route cannot honour is
        refused before any pass over the data."""
        S.check_options(solver, positive=positive, limits=limits)  # before any pass
        if (positive or limits) and not _policy.statistics_route(data.p, solver):
            _policy.form_solver("operator", positive=positive, limits=limits)  # raises
        return self._route(data, solver, fit_intercept=fit_intercept,
                           standardize=standardize), solver

    def path_problem(self, data, *, fit_intercept, standardize, solver, v):
        return self._route(data, "auto" if solver == "eigen" else solver,
                           fit_intercept=fit_intercept, standardize=standardize)

    def statistics(self, data):
        return statistics(data)

    def fold_statistics(self, data, bounds):
        return fold_statistics(data, bounds)

    def positive_rows(self, data):
        """The number of rows with positive weight (a reduction over the weights only)."""
        if data.w is None:
            return data.n
        return int((data.w > 0).sum().compute())

    def fit_statistics(self, data, pr):
        return None  # not kept: partial_fit after a Dask fit refuses

    def map_blocks(self, data, func, combine, *args):
        """``combine([func(X, Y, w, *args) for each row chunk])``, evaluated on the workers
        with the chunks validated (finite; weights ≥ 0) and reduced in a tree."""
        from dask import delayed

        parts = [delayed(_chunk_call)(func, x, y, w, data.dtype, args)
                 for x, y, w, _ in data.blocks()]
        return _tree(parts, combine).compute()

    def predict(self, est, X, coef, intercept):
        return predict(est, X, coef, intercept)


def _chunk_call(func, Xb, Yb, wb, dtype, args):
    Xb, Yb, wb = _chunk_arrays(Xb, Yb, wb, dtype)
    return func(Xb, Yb, wb, *args)


# --------------------------------------------------------------------------- statistics
def _chunk_stats(Xb, Yb, wb, dtype):
    from fastridge import _stats

    Xb, Yb, wb = _chunk_arrays(Xb, Yb, wb, dtype)
    return _stats.block_stats(Xb, Yb, wb)


def _chunk_fold_stats(Xb, Yb, wb, row0, bounds, dtype):
    """{fold: statistics} of one chunk's rows split by the contiguous fold `bounds`."""
    from fastridge import _stats

    Xb, Yb, wb = _chunk_arrays(Xb, Yb, wb, dtype)
    n = Yb.shape[0]
    out = {}
    first = int(np.searchsorted(bounds, row0, side="right")) - 1
    f = first
    while f < len(bounds) - 1 and bounds[f] < row0 + n:
        lo, hi = max(bounds[f], row0) - row0, min(bounds[f + 1], row0 + n) - row0
        if hi > lo:
            out[f] = _stats.block_stats(Xb[lo:hi], Yb[lo:hi], None if wb is None else wb[lo:hi])
        f += 1
    return out


def _merge_list(parts):
    from fastridge import _stats

    return _stats.merge_all(parts)


def _merge_dicts(parts):
    from fastridge import _stats

    out = {}
    for d in parts:
        for f, st in d.items():
            out[f] = st if f not in out else _stats.merge(out[f], st)
    return out


def _tree(parts, combine):
    from dask import delayed

    parts = list(parts)
    while len(parts) > 1:
        parts = [delayed(combine)(parts[i:i + SPLIT_EVERY])
                 for i in range(0, len(parts), SPLIT_EVERY)]
    return parts[0]


def statistics(data):
    """The sufficient statistics of all the rows: one pass, reduced in a tree."""
    from dask import delayed

    parts = [delayed(_chunk_stats)(x, y, w, data.dtype) for x, y, w, _ in data.blocks()]
    st = _tree(parts, _merge_list).compute()
    return _check_weight(st)


def fold_statistics(data, bounds):
    """Statistics per contiguous fold [bounds[f], bounds[f+1]): one pass, list by fold."""
    from dask import delayed

    bounds = np.asarray(bounds, dtype=np.int64)
    parts = [delayed(_chunk_fold_stats)(x, y, w, r0, bounds, data.dtype)
             for x, y, w, r0 in data.blocks()]
    by_fold = _tree(parts, _merge_dicts).compute()
    return [by_fold[f] for f in range(len(bounds) - 1)]


def _check_weight(st):
    if st.W <= 0.0:
        raise ValueError("Sample weights must not all be zero: the sum of sample_weight is 0.")
    return st


def predict(est, X, coef, intercept):
    """X @ coefᵀ + intercept as a lazy Dask array (row chunks kept)."""
    if not hasattr(X, "chunks") or X.ndim != 2:
        raise ValueError(f"Expected a 2-D Dask array, got {type(X).__name__} with "
                         f"{getattr(X, 'ndim', '?')} dimension(s).")
    _float_dtype(X.dtype, "X")
    if X.shape[1] != est.n_features_in_:
        raise ValueError(f"X has {X.shape[1]} features, but {type(est).__name__} is expecting "
                         f"{est.n_features_in_} features as input.")
    dt = np.asarray(coef).dtype
    return X.astype(dt) @ np.asarray(coef).T + intercept




def operator_problem(data, *, fit_intercept, standardize):
    """The operator Problem of the wide route (no Gram): column means and spreads from two
    reductions over X (the spread about the exact mean, not raw sums of squares), checked as
    the in-memory route checks them, and `op` the distributed ZᵀWZ."""
    import dask
    import dask.array as da

    X, Y, w = data.X, data.Y, data.w
    ones = da.ones(data.n, chunks=(data.chunks,), dtype=np.float64) if w is None else w
    # the sums' pass doubles as the finiteness check: only a non-finite sum (a NaN/inf, or an
    # overflow) pays for the element-wise pass that names the culprit
    w_ok = True if w is None else (da.isfinite(w) & (w >= 0)).all()
    W, colsum, ysum, w_ok = dask.compute(ones.sum(), ones @ X.astype(np.float64),
                                         ones @ Y.astype(np.float64), w_ok)
    if not (bool(w_ok) and np.isfinite(W) and np.all(np.isfinite(colsum))
            and np.all(np.isfinite(ysum))):
        _check_chunks_finite(data)
    W = float(W)
    if W <= 0.0:
        raise ValueError("Sample weights must not all be zero: the sum of sample_weight is 0.")
    pr = P.Problem()
    pr.X, pr.fmt, pr.dtype = None, "operator", data.dtype
    pr.n, pr.p, pr.k = data.n, data.p, data.k
    pr.sw = pr.sqw = pr.Yc = pr.G0 = pr.C0 = pr.yy = None
    pr.W, pr.center = W, bool(fit_intercept)
    if pr.center:
        xbar, ybar = np.asarray(colsum) / W, np.asarray(ysum) / W
    else:
        xbar, ybar = np.zeros(data.p), np.zeros(data.k)
    Xc = X.astype(np.float64) - xbar
    Yc = Y.astype(np.float64) - ybar
    sums = [ones @ (Xc * Xc), ones @ (Yc * Yc)]
    centred = None
    if standardize and not pr.center:  # the scale is the SD about the mean all the same
        mean_c = np.asarray(colsum) / W
        Xm = X.astype(np.float64) - mean_c
        sums.append(ones @ (Xm * Xm))
    ss, pr.yss, *rest = (np.asarray(s, dtype=np.float64) for s in dask.compute(*sums))
    if rest:
        centred = (mean_c, rest[0])
    pr.xbar, pr.ybar, pr.ss = xbar, ybar, ss
    found = {}

    def values(cols):  # one reduction per set of candidate columns, however often asked
        key = tuple(int(c) for c in cols)
        if key not in found:
            found[key] = _common_values(data, cols)
        return found[key]

    pr.d = P.column_scales(xbar, ss, W, data.n, standardize, centred, values=values)
    pr.h = pr.d * pr.d * ss
    P.check_magnitudes(pr, weighted=w is not None, values=values)
    pr.op = DaskOperator(data, pr)
    pr.C0 = pr.op.rhs / np.where(pr.d != 0, pr.d, 1.0)[:, None]   # ZᵀW y_c, unscaled
    return pr


def _chunk_range(Xb, wb, cols):
    return P.column_range(Xb[:, cols], wb)


def _common_values(data, cols):
    """`_preprocessing.common_values` for the columns `cols` of Dask X (one reduction over
    those columns, from each chunk's smallest and largest values)."""
    import dask
    from dask import delayed

    parts = dask.compute(*[delayed(_chunk_range)(x, w, cols) for x, _, w, _ in data.blocks()])
    return P.common_value(np.min([r[0] for r in parts], axis=0),
                          np.max([r[1] for r in parts], axis=0))


def _check_chunks_finite(data):
    """One cheap reduction that raises the usual messages for NaN/inf or negative weights."""
    import dask
    import dask.array as da

    checks = [da.isfinite(data.X).all(), da.isfinite(data.Y).all()]
    if data.w is not None:
        checks += [da.isfinite(data.w).all(), (data.w >= 0).all()]
    ok = dask.compute(*checks)
    names = ["Input X contains NaN or infinity.", "Input y contains NaN or infinity.",
             "Input sample_weight contains NaN or infinity.",
             "Negative values in data passed to sample_weight."]
    for good, msg in zip(ok, names):
        if not bool(good):
            raise ValueError(msg)




# --------------------------------------------------------------------------- the operator
class DaskOperator:
    """ZᵀWZ as a pass over the chunks, for CG on data whose p × p Gram would not fit: each
    `apply` is one task per row chunk, which returns that chunk's Xᵀ W (X P̃ − 1 x̄ᵀP̃) in one
    read of the chunk, and a tree sum.  `rhs` = ZᵀW y_c, `diagonal` = diag(ZᵀWZ) = h."""

    def __init__(self, data, pr):
        self.data, self.pr = data, pr
        self.parts = [(x, w) for x, _, w, _ in data.blocks()]
        self.yparts = [y for _, y, _, _ in data.blocks()]
        self.diagonal = pr.h
        self.rhs = self._pass(None)                                 # ZᵀW y_c (p, k)

    def apply(self, P):
        """ZᵀWZ P for P (p, m): one pass over X."""
        return self._pass(P)

    def _pass(self, P):
        from dask import delayed

        pr = self.pr
        if P is None:
            tasks = [delayed(_chunk_rhs)(x, y, w, pr.ybar, pr.dtype)
                     for (x, w), y in zip(self.parts, self.yparts)]
        else:
            DP = pr.d[:, None] * P
            shift = pr.xbar @ DP if pr.center else np.zeros(P.shape[1])
            tasks = [delayed(_chunk_normal)(x, w, DP, shift, pr.dtype) for x, w in self.parts]
        XtU, colsum = _tree(tasks, _sum_pairs).compute()
        out = XtU - pr.xbar[:, None] * colsum[None, :] if pr.center else XtU
        return out * pr.d[:, None]

    def cross(self, free):
        """Σ wᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ restricted to the columns `free` (p × len(free)), one
        reduction over X (glmnet's largest λ is taken at the least-squares fit of the
        unpenalized columns)."""
        data, pr = self.data, self.pr
        Xc = data.X.astype(np.float64) - pr.xbar
        Xw = Xc if data.w is None else Xc * data.w.astype(np.float64)[:, None]
        return np.asarray((Xw.T @ Xc[:, free]).compute(), dtype=np.float64)


def _chunk_normal(Xb, wb, DP, shift, dtype):
    """(Xbᵀ W u, Σ W u) with u = Xb DP − shift: one chunk's share of ZᵀWZ P."""
    Xb = Xb.astype(dtype) if hasattr(Xb, "tocsr") else np.asarray(Xb, dtype=dtype)
    U = np.asarray(Xb @ DP, dtype=np.float64) - shift
    if wb is not None:
        U *= np.asarray(wb, dtype=np.float64)[:, None]
    return np.asarray(Xb.T @ U, dtype=np.float64), U.sum(axis=0)


def _chunk_rhs(Xb, Yb, wb, ybar, dtype):
    """(Xbᵀ W (y − ȳ), Σ W (y − ȳ)): one chunk's share of ZᵀW y_c."""
    Xb = Xb.astype(dtype) if hasattr(Xb, "tocsr") else np.asarray(Xb, dtype=dtype)
    U = np.asarray(Yb, dtype=np.float64) - ybar
    if wb is not None:
        U *= np.asarray(wb, dtype=np.float64)[:, None]
    return np.asarray(Xb.T @ U, dtype=np.float64), U.sum(axis=0)


def _sum_pairs(parts):
    a = parts[0][0].copy()
    b = parts[0][1].copy()
    for x, y in parts[1:]:
        a += x
        b += y
    return a, b


