# cython: language_level=3
"""The design Z = (X − 1x̄ᵀ) diag(d), weighted by W, as the iterative kernels read it.

Built once per problem and handed to every kernel call instead of a dozen loose arrays and a
layout number.  X is never copied when it is C- or F-contiguous or sparse CSR/CSC, and the
centring and scaling stay implicit (the kernels apply x̄ and d on the fly).
"""
import numpy as np


def _float_vector(a, name, length, dtype):
    """`a` as a contiguous 1-D array of `dtype` and `length` (no copy when it is one already)."""
    a = np.ascontiguousarray(a, dtype=dtype)
    if a.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},), got {a.shape}.")
    return a


cdef class Design:
    """The implicitly centred, scaled and weighted design of one problem.

    Parameters
    ----------
    X : ndarray of shape (n, p), or scipy.sparse CSR/CSC matrix or array
        float32 or float64; its dtype is the working precision of every kernel call.  A
        C-ordered array is held as its transpose (layout ``DENSE_C``), any other dense array
        F-ordered (a copy only when it is neither C- nor F-contiguous).
    xbar : array-like of shape (p,)
        Column centres x̄ (float64; zeros when `center` is false).
    d : array-like of shape (p,)
        Column scales (float64; 0 for a column whose coefficient must stay 0).
    center : bool
        Whether Z subtracts 1x̄ᵀ.
    sw : array-like of shape (n,) or None
        Sample weights (None: unit weights); √w is formed here, in float64 rounded to the
        working dtype.

    Attributes
    ----------
    layout : Layout
        How X is stored: ``DENSE_F``, ``DENSE_C`` (`dense` is then Xᵀ), ``CSR`` or ``CSC``.
    n, p : int
        Shape of X.
    dense : ndarray
        F-ordered X (``DENSE_F``) or Xᵀ (``DENSE_C``); a 1 × 1 placeholder when sparse.
    data, indices, indptr : ndarray
        The sparse arrays (indices and indptr of one integer type); empty when dense.
    sw, sqw : ndarray
        Weights and their square roots in the working dtype; empty when unweighted.
    """

    def __init__(self, X, xbar, d, center, sw=None):
        fmt = getattr(X, "format", None)
        if fmt in ("csr", "csc") and hasattr(X, "indptr"):
            dtype = X.dtype
        elif isinstance(X, np.ndarray) and X.ndim == 2:
            dtype, fmt = X.dtype, "dense"
        else:
            raise TypeError(f"X must be a 2-D numpy array or a scipy.sparse CSR/CSC matrix, "
                            f"got {type(X).__name__}.")
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"X must be float32 or float64, got {dtype}.")
        self.dtype = np.dtype(dtype)
        self.n, self.p = X.shape
        empty_i = np.zeros(1, dtype=np.int32)
        if fmt == "dense":
            # C-ordered X is read through its transpose: no copy for either memory order
            if X.flags.c_contiguous and not X.flags.f_contiguous:
                self.layout, self.dense = DENSE_C, X.T
            else:
                self.layout, self.dense = DENSE_F, np.asfortranarray(X)
            self.data, self.indices, self.indptr = np.empty(0, dtype), empty_i[:0], empty_i
        else:
            self.layout = CSR if fmt == "csr" else CSC
            self.dense = np.empty((1, 1), dtype=dtype, order="F")
            indices, indptr = X.indices, X.indptr
            if indices.dtype != indptr.dtype:  # the kernels take one index type for both
                indices, indptr = indices.astype(np.int64), indptr.astype(np.int64)
            if indptr.shape != ((self.n if fmt == "csr" else self.p) + 1,):
                raise ValueError(f"X.indptr has shape {indptr.shape}, inconsistent with "
                                 f"X.shape {X.shape}.")
            self.data, self.indices, self.indptr = X.data, indices, indptr
        self.xbar = _float_vector(xbar, "xbar", self.p, np.float64)
        self.d = _float_vector(d, "d", self.p, np.float64)
        self.center = bool(center)
        self.weighted = sw is not None
        if sw is None:
            self.sw = self.sqw = np.empty(0, dtype=dtype)
        else:
            self.sw = _float_vector(sw, "sw", self.n, dtype)
            self.sqw = np.sqrt(self.sw.astype(np.float64)).astype(dtype)

    def check_vectors(self, working=(), float64=()):
        """ValueError naming the first vector that does not fit a kernel call on this design.

        `working` and `float64` are sequences of (name, array, length): vectors that must be of
        the working dtype, and float64 vectors; each must have shape (length,).
        """
        for name, a, length in working:
            if a.dtype != self.dtype or a.shape != (length,):
                raise ValueError(f"{name} must be a {self.dtype} array of shape ({length},), "
                                 f"got {a.dtype} {a.shape}.")
        for name, a, length in float64:
            if a.dtype != np.float64 or a.shape != (length,):
                raise ValueError(f"{name} must be a float64 array of shape ({length},), got "
                                 f"{a.dtype} {a.shape}.")

    def __repr__(self):
        return (f"Design(layout={Layout(self.layout).name}, n={self.n}, p={self.p}, "
                f"dtype={self.dtype}, center={bool(self.center)}, "
                f"weighted={bool(self.weighted)})")
