"""Ridge, ridge_path and RidgeCV on Dask arrays (the ``fastridge-blas[dask]`` extra).

Tall X (the p × p Gram fits in memory): each row chunk's sufficient statistics
(:mod:`fastridge._stats`) are computed on the workers with the compiled one-pass kernel and merged
in a tree; the solve, the whole α path and k-fold cross-validation then run on the client from
p × p matrices.  k-fold costs one pass over the data for the whole grid: each chunk returns the
statistics of its rows split by fold, a fold's training statistics are the merge of the other
folds', and its test error follows from its own statistics (`_stats.test_error`).  Exact
leave-one-out needs a second pass (the leverages of every row).

Wide X (the Gram would not fit): conjugate gradient on the normal equations with the iteration on
the client and each iteration's mat-vecs Z v and Zᵀ W u as one Dask graph (implicit centring and
scaling, warm starts along a path).

Dask is imported only here, and only when a Dask array is passed.
"""
import numpy as np

from fastridge import _policy, _validation as V

# fold the statistics of this many chunks per task of the reduction tree
SPLIT_EVERY = 8


def is_dask(obj):
    """Whether `obj` is a Dask collection (without importing Dask)."""
    return type(obj).__module__.split(".")[0] == "dask" and hasattr(obj, "__dask_graph__")


def any_dask(*objs):
    return any(is_dask(o) for o in objs)


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


# --------------------------------------------------------------------------- Ridge
def fit_ridge(est, X, y, sample_weight):
    """`Ridge.fit` on Dask arrays."""
    from fastridge import _stats

    name = type(est).__name__
    if est.warm_start and getattr(est, "coef_", None) is not None and est.solver == "cg":
        B0 = np.atleast_2d(np.asarray(est.coef_, dtype=np.float64))
    else:
        B0 = None
    tall = _policy.statistics_route(X.shape[1] if X.ndim == 2 else 0, est.solver)
    data = Data(name, X, y, sample_weight)
    _set_features(est, data)
    alphas = V.check_alpha(est.alpha, data.k)
    pf = V.check_penalty_factor(est.penalty_factor, data.p)
    v = np.ones(data.p) if pf is None else pf
    if est.positive and not tall:
        raise ValueError("positive=True needs coordinate descent on the p x p Gram, which would "
                         "not fit in memory for this Dask array.")
    if tall:
        st = statistics(data)
        pr = _stats.problem(st, fit_intercept=est.fit_intercept, standardize=est.standardize)
        B, n_iter, info = _stats.solve(pr, alphas, v, est.solver, positive=bool(est.positive),
                                       tol=float(est.tol), max_iter=est.max_iter)
        cold = True
    else:
        if np.any(alphas == 0):
            raise ValueError("alpha = 0 with solver='cg' on a Dask array: the normal equations "
                             "may be singular; use alpha > 0.")
        pr = column_problem(data, fit_intercept=est.fit_intercept,
                            standardize=est.standardize)
        state = DaskCG(data, pr, v)
        if B0 is not None and B0.shape == (data.k, data.p):
            from fastridge._preprocessing import from_raw

            state.B[...] = from_raw(pr, B0)
        B, n_iter, info = state.solve(alphas, float(est.tol), est.max_iter)
        cold = B0 is None
    est._store(pr, B, n_iter, info, data.dtype, data.single, cold=cold)
    est.__dict__.pop("stats_", None)
    est._fit_stats = None  # the rows' statistics are not kept: partial_fit refuses
    return est


def _set_features(est, data):
    est.n_features_in_ = data.p
    est.__dict__.pop("feature_names_in_", None)


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


# --------------------------------------------------------------------------- distributed CG
def column_problem(data, *, fit_intercept, standardize):
    """A Problem without the Gram (the wide route): column means and spreads from two
    reductions over X (the spread about the exact mean, not raw sums of squares)."""
    import dask
    import dask.array as da

    from fastridge import _preprocessing as P

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
    pr.X, pr.fmt, pr.dtype = None, "dask", data.dtype
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
    pr.d = P.column_scales(xbar, ss, W, data.n, standardize, centred,
                           values=lambda cols: _common_values(data, cols))
    pr.h = pr.d * pr.d * ss
    return pr


def _chunk_range(Xb, wb, cols):
    from fastridge._preprocessing import column_range

    return column_range(Xb[:, cols], wb)


def _common_values(data, cols):
    """`_preprocessing.common_values` for the columns `cols` of Dask X (one reduction over
    those columns, from each chunk's smallest and largest values)."""
    import dask
    from dask import delayed

    from fastridge._preprocessing import common_value

    parts = dask.compute(*[delayed(_chunk_range)(x, w, cols) for x, _, w, _ in data.blocks()])
    return common_value(np.min([r[0] for r in parts], axis=0),
                          np.max([r[1] for r in parts], axis=0))


def _free_cross(data, pr, free):
    """Σ wᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ restricted to the columns `free` (p × len(free)), one reduction
    over X: glmnet's largest λ is taken at the least-squares fit of the unpenalized columns."""
    Xc = data.X.astype(np.float64) - pr.xbar
    Xw = Xc if data.w is None else Xc * data.w.astype(np.float64)[:, None]
    return np.asarray((Xw.T @ Xc[:, free]).compute(), dtype=np.float64)


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


class DaskCG:
    """Jacobi-preconditioned CG on (ZᵀWZ + αV) b = ZᵀW y_c for all targets at once, with
    Z = (X − 1x̄ᵀ)diag(d) applied implicitly.  Each iteration is one task per row chunk, which
    returns that chunk's Xᵀ W (X P̃ − 1 x̄ᵀP̃) in one read of the chunk, and a tree sum: persist X
    on the workers first (``X = X.persist()``) so that the iterations do not recompute it.
    Carries b from one α to the next (warm starts along a path)."""

    def __init__(self, data, pr, v):
        self.data, self.pr, self.v = data, pr, v
        self.B = np.zeros((pr.k, pr.p))
        self.parts = [(x, w) for x, _, w, _ in data.blocks()]
        self.yparts = [y for _, y, _, _ in data.blocks()]
        self.rhs = self._apply(None)                              # ZᵀW y_c (p, k)

    def _apply(self, P):
        """ZᵀWZ P for P (p, k), or ZᵀW y_c when P is None: one pass over X."""
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

    def _gram_apply(self, P):
        return self._apply(P)

    def start_from(self, B, alpha=None):
        self.B[...] = B

    def solve(self, alphas, tol, max_iter):
        from fastridge._solvers import DEFAULT_MAX_ITER, unit_scale

        pr, v = self.pr, self.v
        max_iter = DEFAULT_MAX_ITER["cg"] if max_iter is None else int(max_iter)
        a = np.broadcast_to(np.asarray(alphas, dtype=np.float64), (pr.k,))
        jw = unit_scale(pr.h[:, None], v[:, None], a[None, :])       # (p, k)
        tol_abs = tol * np.linalg.norm(jw * self.rhs, axis=0)
        diag = pr.h[:, None] + v[:, None] * a[None, :]
        minv = np.where(diag > 0, 1.0 / np.where(diag > 0, diag, 1.0), 1.0)
        X = self.B.T.copy()                                          # (p, k)

        def residual(X):
            return self.rhs - (self._gram_apply(X) + v[:, None] * a[None, :] * X)

        R = residual(X)
        n_iter = np.zeros(pr.k, dtype=np.intp)
        active = np.linalg.norm(jw * R, axis=0) > tol_abs
        Zm = minv * R
        P = Zm.copy()
        rz = np.einsum("ij,ij->j", R, Zm)
        it = 0
        while active.any() and it < max_iter:
            Q = self._gram_apply(P) + v[:, None] * a[None, :] * P
            pq = np.einsum("ij,ij->j", P, Q)
            ok = active & (pq > 0) & (rz > 0)
            step = np.where(ok, rz / np.where(ok, pq, 1.0), 0.0)
            X += step * P
            R -= step * Q
            it += 1
            n_iter[active] += 1
            active &= ok & (np.linalg.norm(jw * R, axis=0) > tol_abs)
            Zm = minv * R
            rz_new = np.einsum("ij,ij->j", R, Zm)
            beta = np.where(active, rz_new / np.where(rz > 0, rz, 1.0), 0.0)
            P = Zm + beta * P
            rz = rz_new
        R = residual(X)                       # the true residual: drift cannot fake success
        self.B = X.T.copy()
        return self.B.copy(), n_iter, {"solver": "cg",
                                       "measure": np.linalg.norm(jw * R, axis=0),
                                       "tol_abs": tol_abs}


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


# --------------------------------------------------------------------------- ridge_path
def ridge_path(X, y, *, alphas, n_alphas, alpha_min_ratio, fit_intercept, standardize,
               penalty_factor, sample_weight, solver, tol, max_iter):
    """`fastridge.ridge_path` on Dask arrays (arguments already checked by the caller)."""
    from fastridge import _path, _stats
    from fastridge._preprocessing import to_raw

    if solver == "eigen":
        solver_stats = "auto"
    else:
        solver_stats = solver
    tall = _policy.statistics_route(X.shape[1] if X.ndim == 2 else 0,
                          "auto" if solver == "eigen" else solver)
    path = _path.RidgePath()
    data = Data("ridge_path", X, y, sample_weight)
    _set_features(path, data)
    pf = V.check_penalty_factor(penalty_factor, data.p)
    v = np.ones(data.p) if pf is None else pf
    if tall:
        st = statistics(data)
        pr = _stats.problem(st, fit_intercept=fit_intercept, standardize=standardize)
    else:
        pr = column_problem(data, fit_intercept=fit_intercept, standardize=standardize)
    if alphas is None:
        if tall:
            grid = _path.default_alphas(pr, v, n_alphas, alpha_min_ratio)
        else:
            state = DaskCG(data, pr, v)
            pr.C0 = state.rhs / np.where(pr.d != 0, pr.d, 1.0)[:, None]
            free = np.flatnonzero((v == 0) & (pr.d != 0))
            cross = _free_cross(data, pr, free) if free.size else None
            grid = _path.default_alphas(pr, v, n_alphas, alpha_min_ratio, cross=cross)
            pr.C0 = None
        order = np.arange(grid.size)
    else:
        order = np.argsort(-alphas, kind="stable")
        grid = alphas[order]
    if tall:
        B, n_iter, df, used, short = _path.solve_path(
            pr, v, grid, "auto" if solver_stats == "auto" else solver_stats, tol=tol,
            max_iter=max_iter)
    else:
        if np.any(grid == 0):
            raise ValueError("alpha = 0 with solver='cg' on a Dask array: the normal equations "
                             "may be singular; use alphas > 0.")
        state = state if alphas is None else DaskCG(data, pr, v)
        B, n_iter, short = _cg_path(state, grid, tol, max_iter)
        df, used = None, "cg"
    _path.warn_short(short, used, tol, stacklevel=5)  # the caller of ridge_path
    coef = np.empty((grid.size, pr.k, pr.p))
    intercept = np.empty((grid.size, pr.k))
    for i in range(grid.size):
        coef[i], intercept[i] = to_raw(pr, B[i])
    coef, intercept = coef.astype(data.dtype), intercept.astype(data.dtype)
    path.alphas, path.order, path.n_iter, path.df, path.solver = grid, order, n_iter, df, used
    path.coef = coef[:, 0, :] if data.single else coef
    path.intercept = intercept[:, 0] if data.single else intercept
    path.feature_names = None
    return path


def _cg_path(state, grid, tol, max_iter):
    from fastridge._path import _extrapolate

    k = state.pr.k
    B = np.zeros((grid.size, k, state.pr.p))
    n_iter = np.zeros(grid.size, dtype=np.intp)
    short = []
    for i, a in enumerate(grid):
        start = _extrapolate(grid[max(0, i - 3):i], B[max(0, i - 3):i], a)
        if start is not None:
            state.start_from(start)
        B[i], it, info = state.solve(np.full(k, a), tol, max_iter)
        n_iter[i] = int(it.sum())
        if not np.all(info["measure"] <= info["tol_abs"]):
            short.append(float(a))
    return B, n_iter, short


# --------------------------------------------------------------------------- RidgeCV
def fit_ridge_cv(est, X, y, sample_weight, user_grid):
    """`RidgeCV.fit` on Dask arrays: k-fold in one pass over the data, or exact leave-one-out
    in two.  Folds: ``cv=k`` gives scikit-learn's contiguous ``KFold(k)`` layout (the same folds
    as for in-memory data); other splitters are not supported (they would need the rows)."""
    import numbers

    from fastridge import _cv, _grid, _path, _stats, _spectral
    from fastridge._base import linear_attributes
    from fastridge._preprocessing import to_raw

    from fastridge._scoring import resolve_scoring

    name = "RidgeCV"
    cv = None if _cv.is_leave_one_out(est.cv) else est.cv
    crit = resolve_scoring(est.scoring, loo=cv is None)
    if crit.kind not in ("mse", "r2") or (cv is None and crit.kind != "mse"):
        raise ValueError("RidgeCV on a Dask array computes its criterion from sufficient "
                         "statistics: the (weighted) mean squared error, or R² for k-fold; "
                         "another scoring would need every prediction in memory. Use "
                         "scoring=None or 'neg_mean_squared_error'.")
    if cv is not None and not (isinstance(cv, numbers.Integral)
                               and not isinstance(cv, (bool, np.bool_))):
        raise ValueError("RidgeCV on a Dask array supports cv=None (exact leave-one-out) or "
                         f"cv=int (contiguous folds, as KFold); got cv={cv!r}.")
    if cv is not None and cv < 2:
        raise ValueError(f"cv must be None (leave-one-out) or an int >= 2; got cv={cv!r}.")
    if not _policy.statistics_route(X.shape[1] if X.ndim == 2 else 0, "auto"):
        raise ValueError("RidgeCV on a Dask array needs the p x p statistics, which would not "
                         "fit in memory here; use ridge_path with solver='cg' and a held-out "
                         "set.")
    data = Data(name, X, y, sample_weight)
    _set_features(est, data)
    pf = V.check_penalty_factor(est.penalty_factor, data.p)
    v = np.ones(data.p) if pf is None else pf
    per_target = bool(est.alpha_per_target) and not data.single
    k = data.k
    K = k if per_target else 1
    fit_kw = dict(fit_intercept=est.fit_intercept, standardize=est.standardize)

    if cv is None:
        total = statistics(data)
        pr = _stats.problem(total, **fit_kw)
        grid = user_grid if user_grid is not None else _path.default_alphas(pr, v, est.n_alphas)
        desc, inverse = _cv.descending(grid)
        if _policy.spectral_unavailable(pr, v) is not None:
            raise ValueError("RidgeCV with cv=None (exact leave-one-out) needs positive "
                             "penalty factors; use cv=5.")
        sp = _spectral.spectrum(pr, v)
        mean, se = _loo_pass(data, pr, sp, desc, per_target)
        extra = {"df": sp.df(desc)[inverse]}
    else:
        if cv > data.n:
            raise ValueError(f"cv={cv}: Cannot have number of splits n_splits={cv} greater "
                             f"than the number of samples: n_samples={data.n}.")
        sizes = np.full(cv, data.n // cv, dtype=np.int64)
        sizes[: data.n % cv] += 1
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        folds = fold_statistics(data, bounds)
        total = _check_weight(_stats.merge_all(folds))
        pr = _stats.problem(total, **fit_kw)
        grid = user_grid if user_grid is not None else _path.default_alphas(pr, v, est.n_alphas)
        desc, inverse = _cv.descending(grid)
        errs, weights = [], []
        prefix = [None]
        for f in folds[:-1]:
            prefix.append(f if prefix[-1] is None else _stats.merge(prefix[-1], f))
        suffix = [None] * (cv + 1)
        for i in range(cv - 1, 0, -1):
            suffix[i] = folds[i] if suffix[i + 1] is None else _stats.merge(folds[i],
                                                                             suffix[i + 1])
        for i, test in enumerate(folds):
            parts = [s for s in (prefix[i], suffix[i + 1]) if s is not None]
            train = _stats.merge_all(parts)
            if test.W <= 0.0 or train.W <= 0.0:
                errs.append(np.full((desc.size, K), np.nan))
                weights.append(0.0)
                continue
            prf = _stats.problem(train, **fit_kw)
            Bf, _, _, _, _ = _path.solve_path(prf, v, desc, "auto", tol=float(est.tol),
                                               max_iter=est.max_iter)
            coef = np.empty((desc.size, k, data.p))
            icpt = np.empty((desc.size, k))
            for j in range(desc.size):
                coef[j], icpt[j] = to_raw(prf, Bf[j])
            err = crit.from_sums(_stats.test_error(test, coef, icpt), test.Myy, test.W)
            errs.append(err if per_target else err.mean(axis=1, keepdims=True))
            weights.append(test.W)
        mean, se = _cv._fold_stats(np.stack(errs), np.asarray(weights))
        extra = {}
    # no extension or refinement here (each point costs passes over the data): report an end
    _grid.warn_at_end(desc, mean, user=user_grid is not None, how=(
        "not extended (Dask arrays)"), reason="user_grid" if user_grid is not None else "dask",
        score=crit.kind != "mse")
    mean, se = mean[inverse], se[inverse]
    _cv.record_choice(est, grid, mean, se, per_target, extra)
    alphas_t = np.broadcast_to(np.asarray(est.alpha_, dtype=np.float64), (k,))
    solver = "auto" if est.solver == "cg" else est.solver
    B = _stats.solve(pr, alphas_t, v, solver, tol=float(est.tol), max_iter=est.max_iter)[0]
    coef, intercept = to_raw(pr, B)
    dt = data.dtype
    est.coef_, est.intercept_ = linear_attributes(coef, intercept, dt, 1 if data.single else 2,
                                                  est.fit_intercept)
    return est


def _chunk_loo(Xb, Yb, wb, dtype, E, xbar, ybar, s2, c, alphas, W, center, per_target):
    """One chunk's contribution to the leave-one-out error: for each α (and target), the total
    weight, the weighted mean and the weighted sum of squared deviations of the squared errors
    of its rows with positive weight (merged across chunks like `_stats.merge`)."""
    from fastridge import _cv

    Xb, Yb, wb = _chunk_arrays(Xb, Yb, wb, dtype)
    n = Yb.shape[0]
    w = np.ones(n) if wb is None else wb.astype(np.float64)
    sqw = np.sqrt(w)
    Z = np.asarray(Xb @ E, dtype=np.float64)                     # (X − x̄) E in two steps
    Z -= xbar @ E
    U = (Z * sqw[:, None]) / np.sqrt(s2)
    yt = (np.asarray(Yb, dtype=np.float64) - ybar) * sqw[:, None]
    r0 = yt - U @ c
    U2, M, interp = _cv.loo_rows(U, w, W, center)
    r0[interp] = 0.0
    ratio = _cv.loo_ratio(U, U2, r0, M, interp, c, s2, alphas)   # √w · e  (n, m, k)
    sq = ratio * ratio
    if not per_target:
        sq = sq.mean(axis=2, keepdims=True)
    pos = w > 0
    Wc = float(w[pos].sum())
    if Wc == 0.0:
        return 0.0, np.zeros(sq.shape[1:]), np.zeros(sq.shape[1:])
    mean = sq.sum(axis=0) / Wc
    q = sq[pos] / w[pos][:, None, None]
    m2 = (w[pos][:, None, None] * (q - mean) ** 2).sum(axis=0)
    return Wc, mean, m2


def _merge_moments(parts):
    W, mean, m2 = parts[0]
    for Wb, mb, m2b in parts[1:]:
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
    return W, mean, m2


def _loo_pass(data, pr, sp, alphas, per_target):
    """Exact leave-one-out errors (mean, se), each (m, K), from one more pass over X."""
    from dask import delayed

    if pr.center and data.n < 2:
        raise ValueError("RidgeCV with cv=None (leave-one-out) and fit_intercept=True needs at "
                         "least 2 samples.")
    r = sp.rank
    c = sp.P / np.sqrt(sp.s2)[:, None] if r else np.zeros((0, pr.k))
    E = (sp.Vr * sp.scale[:, None]) * pr.d[:, None]               # p × r
    parts = [delayed(_chunk_loo)(x, y, w, data.dtype, E, pr.xbar, pr.ybar, sp.s2, c, alphas,
                                 pr.W, pr.center, per_target)
             for x, y, w, _ in data.blocks()]
    W, mean, m2 = _tree(parts, _merge_moments).compute()
    n_pos = data.n if data.w is None else int((data.w > 0).sum().compute())
    se = np.full(mean.shape, np.nan)
    if n_pos >= 2:
        se = np.sqrt(m2 / W / (n_pos - 1))
    return mean, se
