"""The design Ẑ = W^{1/2}(X − 1x̄ᵀ)diag(e) as an operator on an in-memory `Problem`: its Gram
ẐᵀẐ, kernel ẐẐᵀ and products ẐᵀA, with the centring implicit and the rounding of the means
corrected (columns whose mean exceeds their spread are centred explicitly)."""
import numpy as np

from fastridge import _config


def _block(n_other, itemsize):
    return _config.block_rows(n_other, itemsize, minimum=64)


def gram(pr, e=None):
    """G = ZᵀWZ (p × p) and C = ZᵀW y_c (p × k) in the working dtype."""
    from fastridge import _gram_fast

    e = pr.d if e is None else e
    p, k = pr.p, pr.k
    if pr.G0 is not None:  # formed with the column statistics, in one pass over X
        G = (pr.G0 * e[:, None]) * e[None, :]
        return (np.asfortranarray(G, dtype=pr.dtype),
                np.asfortranarray(pr.C0 * e[:, None], dtype=pr.dtype))
    if pr.fmt == "dense":
        G = np.empty((p, p), dtype=pr.dtype, order="F")
        C = np.empty((p, k), dtype=pr.dtype, order="F")
        sqw = np.empty(0) if pr.sqw is None else pr.sqw
        _gram_fast.gram_dense(pr.X, pr.xbar, e, sqw, pr.Yc, G, C,
                              _block(p, pr.dtype.itemsize))
        return _mean_rounding_corrected(pr, e, G, C)
    # sparse: XᵀWX − W x̄x̄ᵀ in float64 (in float32 the subtraction would cancel the digits);
    # columns whose mean is large against their spread (nearly dense ones) are centred
    # explicitly, since for them that subtraction would cancel digits even in float64
    X = pr.X.astype(np.float64)
    Xw = X if pr.sw is None else X.multiply(pr.sw[:, None].astype(np.float64)).tocsc()
    XtWX = np.asarray((X.T @ Xw).toarray(), dtype=np.float64)
    XtWX -= pr.W * np.outer(pr.xbar, pr.xbar)
    Yw = pr.Yc.astype(np.float64)
    if pr.sw is not None:
        Yw *= pr.sw[:, None]
    C = np.asarray(X.T @ Yw) - np.outer(pr.xbar, Yw.sum(axis=0))
    L = offset_columns(pr)
    if L.size:
        XL = centred_dense_columns(pr, L)             # n × |L|, explicitly centred
        XLw = XL if pr.sw is None else XL * pr.sw[:, None]
        cross = np.asarray(X.T @ XLw) - np.outer(pr.xbar, XLw.sum(axis=0))
        XtWX[:, L] = cross
        XtWX[L, :] = cross.T
        XtWX[np.ix_(L, L)] = XL.T @ XLw
        C[L] = XLw.T @ pr.Yc.astype(np.float64)
    G = (XtWX * e[:, None]) * e[None, :]
    C = C * e[:, None]
    return _mean_rounding_corrected(pr, e, G, C)


def _mean_rounding_corrected(pr, e, G, C):
    """G and C (made with the float64 means x̄ and ȳ) corrected for the rounding of those means,
    in the working dtype.  x̄ is the mean only to about eps·|x̄|, which a column whose mean is
    large against its spread (a timestamp, values near 2⁶⁴) leaves in every centred value: with
    δ = Σ w (x − x̄)/W (and likewise for y) the exactly centred products are G − W δδᵀ and
    C − W δ δ_yᵀ (the corrected two-pass algorithm of Chan, Golub and LeVeque).  Only those
    columns are read again."""
    L, dx = _mean_offsets(pr, e)
    if L.size:
        w = 1.0 if pr.sw is None else pr.sw.astype(np.float64)[:, None]
        dy = np.sum(w * pr.Yc.astype(np.float64), axis=0) / pr.W
        G = G.astype(np.float64) - pr.W * np.outer(dx, dx)
        C = C.astype(np.float64) - pr.W * np.outer(dx, dy)
    return (np.asfortranarray(G, dtype=pr.dtype), np.asfortranarray(C, dtype=pr.dtype))


def _mean_offsets(pr, e):
    """(L, t): L the columns whose mean exceeds their spread (`offset_columns`), t (p,) the
    rounding of their float64 means as it shows in every centred value, times e:
    tⱼ = eⱼ Σ w (xⱼ − x̄ⱼ)/W on L, 0 elsewhere (the corrected two-pass algorithm)."""
    L = offset_columns(pr)
    t = np.zeros(pr.p)
    if L.size:
        w = 1.0 if pr.sw is None else pr.sw.astype(np.float64)[:, None]
        t[L] = np.sum(w * centred_dense_columns(pr, L), axis=0) / pr.W * e[L]
    return L, t


def offset_columns(pr):
    """Indices of the columns whose mean exceeds their spread (W x̄² > Σw(x − x̄)²)."""
    if not pr.center:
        return np.zeros(0, dtype=np.intp)
    with np.errstate(over="ignore"):
        return np.flatnonzero((pr.W * pr.xbar * pr.xbar > pr.ss) & (pr.d != 0))


def centred_dense_columns(pr, cols):
    Xc = pr.X[:, cols]
    Xc = np.asarray(Xc.toarray() if hasattr(Xc, "toarray") else Xc, dtype=np.float64)
    return Xc - pr.xbar[cols]


def kernel(pr, e):
    """K = ẐẐᵀ (n × n) with Ẑ = W^{1/2}(X − 1x̄ᵀ)diag(e)."""
    from fastridge import _gram_fast

    n = pr.n
    K = _kernel_from_raw(pr, e) if pr.fmt == "dense" and _raw_kernel(pr, e) else None
    if K is not None:
        return K
    if pr.fmt == "dense":
        K = np.empty((n, n), dtype=pr.dtype, order="F")
        sqw = np.empty(0) if pr.sqw is None else pr.sqw
        _gram_fast.kernel_dense(pr.X, pr.xbar, e, sqw, K, _block(n, pr.dtype.itemsize))
        return _kernel_corrected(pr, e, K.astype(np.float64))
    X = pr.X
    L = offset_columns(pr)
    eS = e.copy()
    eS[L] = 0.0                                          # those columns are added exactly below
    Xe = X.multiply(eS[None, :]).tocsr()
    K = np.asarray((Xe @ Xe.T).toarray(), dtype=np.float64)
    m = np.asarray(X @ (eS * eS * pr.xbar)).ravel()
    c0 = float(np.sum(eS * eS * pr.xbar * pr.xbar))
    K += c0 - m[:, None] - m[None, :]
    if L.size:
        XL = centred_dense_columns(pr, L) * e[L]
        K += XL @ XL.T
    if pr.sqw is not None:
        K *= pr.sqw[:, None] * pr.sqw[None, :]
    return _kernel_corrected(pr, e, K)


def _contiguous(X):
    return X.flags.c_contiguous or X.flags.f_contiguous


def _raw_kernel(pr, e):
    """Whether K can come from one `syrk` on X as it is (`_kernel_from_raw`): dense contiguous X,
    equal scales e (so diag(e) factors out) and no column whose mean exceeds its spread (for the
    others, subtracting the means afterwards loses at most a bit or two)."""
    return _contiguous(pr.X) and bool(np.all(e == e[0])) and offset_columns(pr).size == 0


def _kernel_from_raw(pr, e):
    """K = ẐẐᵀ from K₀ = XXᵀ (one `syrk`, no copy of X) centred in O(n²): with x̄ = Xᵀw/W,
    X x̄ = K₀ w / W =: m and x̄ᵀx̄ = wᵀm / W, so (X − 1x̄ᵀ)(X − 1x̄ᵀ)ᵀ = K₀ − m1ᵀ − 1mᵀ + (x̄ᵀx̄)11ᵀ;
    then K = e₀² S K S (S = W^{1/2}).  None when the raw squares XXᵀ leave the float64 range
    (|K₀ᵢⱼ| ≤ the largest diagonal entry; the centring adds at most three times that): the
    centred blocks of `kernel` then square only the deviations."""
    from fastridge import _gram_fast

    n = pr.n
    K = np.empty((n, n), dtype=pr.dtype, order="F")
    _gram_fast.kernel_dense_raw(pr.X, K)
    K = K.astype(np.float64, copy=False)
    with np.errstate(over="ignore", invalid="ignore"):
        top = K.diagonal().max(initial=0.0)
    if not top <= np.finfo(np.float64).max / 8:  # also NaN: an overflow in float32
        return None
    if pr.center:
        w = np.ones(n) if pr.sw is None else pr.sw.astype(np.float64)
        m = K @ w / pr.W
        K -= m[:, None]
        K -= m[None, :]
        K += float(w @ m) / pr.W
    if pr.sqw is not None:
        s = pr.sqw.astype(np.float64)
        K *= s[:, None]
        K *= s[None, :]
    if e.size and e[0] != 1.0:
        K *= float(e[0]) ** 2
    return K


def _kernel_corrected(pr, e, K):
    """K = ẐẐᵀ made with the rounded x̄, corrected for that rounding (`_mean_offsets`): with
    Ẑ = Ẑ_f − s tᵀ (s = √w), K = K_f − u sᵀ − s uᵀ + (tᵀt) s sᵀ, u = Ẑ_f t."""
    L, t = _mean_offsets(pr, e)
    if L.size:
        s = np.ones(pr.n) if pr.sqw is None else pr.sqw
        u = s * (centred_dense_columns(pr, L) @ (e[L] * t[L]))
        K = K - np.outer(u, s) - np.outer(s, u) + float(t @ t) * np.outer(s, s)
    return K


def zt(pr, e, A):
    """Ẑᵀ A (p × k) with Ẑ = W^{1/2}(X − 1x̄ᵀ)diag(e), A (n × k)."""
    from fastridge import _gram_fast

    if pr.fmt == "dense" and not _contiguous(pr.X):
        A = np.asfortranarray(A, dtype=pr.dtype)
        out = np.empty((pr.p, A.shape[1]), dtype=pr.dtype, order="F")
        sqw = np.empty(0) if pr.sqw is None else pr.sqw
        _gram_fast.zt_dense(pr.X, pr.xbar, e, sqw, A, out, _block(pr.n, pr.dtype.itemsize))
        out = out.astype(np.float64)
    else:  # Xᵀ(SA) − x̄ (1ᵀSA): X read once as it is, by BLAS
        Aw = A if pr.sqw is None else A * pr.sqw[:, None]
        if pr.fmt == "dense":
            Aw = np.asarray(Aw, dtype=pr.dtype)
        out = np.asarray(pr.X.T @ Aw, dtype=np.float64)
        if pr.center:
            sA = Aw.sum(axis=0, dtype=np.float64)
            step = _block(sA.size, 8)  # bounded temporaries
            for i0 in range(0, pr.p, step):
                out[i0:i0 + step] -= np.outer(pr.xbar[i0:i0 + step], sA)
        L = offset_columns(pr)  # centred explicitly: x̄ Σ A would cancel the digits of Xᵀ A
        out[L] = centred_dense_columns(pr, L).T @ Aw
        out *= e[:, None]
    L, t = _mean_offsets(pr, e)  # the rounding of x̄: Ẑᵀ A = Ẑ_fᵀ A − t (sᵀ A)
    if L.size:
        sA = np.asarray(A, dtype=np.float64).sum(axis=0) if pr.sqw is None else \
            pr.sqw @ np.asarray(A, dtype=np.float64)
        out = out - np.outer(t, sA)
    return out


def matvec64(X, u, transpose=False):
    """X u (or Xᵀ u) in float64; dense float32 X is converted a block of rows at a time, never
    as a whole (numpy would make a float64 copy of X for the mixed-type product)."""
    if X.dtype == np.float64 or not isinstance(X, np.ndarray):
        return np.asarray((X.T if transpose else X) @ u, dtype=np.float64).ravel()
    n, p = X.shape
    step = _config.block_rows(p)
    out = np.zeros(p) if transpose else np.empty(n)
    for i0 in range(0, n, step):
        block = X[i0:i0 + step].astype(np.float64)
        if transpose:
            out += block.T @ u[i0:i0 + step]
        else:
            out[i0:i0 + step] = block @ u
    return out


def initial_residual(pr, t, b):
    """R = y_c − X (d∘b) for target t (raw X, as the CD kernels keep it)."""
    R = pr.Yc[:, t].astype(pr.dtype, copy=True)
    if np.any(b):
        R -= np.asarray(pr.X @ (pr.d * b)).ravel().astype(pr.dtype)
    return R
