"""Every input check and conversion, once, at the boundary.

Only the standard library and numpy are imported here. A scipy sparse matrix is recognised through
``sys.modules["scipy.sparse"]`` (if SciPy's sparse module was never loaded, nothing can be a sparse
matrix) and a pandas/polars object by duck typing, so validation never pulls in SciPy, pandas or
scikit-learn. Error messages follow scikit-learn's wording where it has one.

Conventions shared by the functions below:

- Inputs are never modified. When an input already has an acceptable type, dtype and shape it is
  returned as is (same object or a view sharing its memory, read-only stays read-only, memory order
  and strides unchanged); the caller must copy before writing into it.
- Float32 stays float32, float64 stays float64; every other real numeric dtype (integers, bool,
  float16, long double, objects holding numbers) becomes float64.

Order of calls in an estimator (the feature-name check needs the raw container)::

    fit:      check_feature_names(self, X, reset=True)
              X, y = check_X_y(X, y, estimator_name=name)
              check_n_features(self, X, reset=True)
    predict:  check_feature_names(self, X, reset=False)
              X = check_array(X, estimator_name=name)
              check_n_features(self, X, reset=False)

:func:`validate_data` does exactly that.
"""
import math
import numbers
import operator
import sys
import warnings

import numpy as np

__all__ = [
    "check_X_y",
    "check_alpha",
    "check_array",
    "check_feature_names",
    "check_output_range",
    "check_n_features",
    "check_params",
    "check_penalty_factor",
    "check_sample_weight",
    "get_feature_names",
    "is_sparse",
    "validate_data",
]

#: Largest row or column count the kernels handle (BLAS and loop counters are 32-bit ints).
MAX_DIM = 2**31 - 1

_ComplexWarning = getattr(np, "exceptions", np).ComplexWarning
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_FLOAT_DTYPES = (_F32, _F64)
_SPARSE_KEEP = ("csr", "csc")
VALID_SOLVERS = ("auto", "cd", "cg", "cholesky", "svd")
#: scikit-learn's solver names, accepted as aliases so that scikit-learn code runs unchanged:
#: its Krylov and stochastic-gradient solvers become conjugate gradient (the iterative solver
#: that, as they do, touches X only through products), L-BFGS-B (scikit-learn's solver for
#: ``positive=True``) becomes coordinate descent, which honours the constraint.
SOLVER_ALIASES = {"sparse_cg": "cg", "lsqr": "cg", "sag": "cg", "saga": "cg", "lbfgs": "cd"}


def canonical_solver(solver):
    """fastridge's name of `solver` (a scikit-learn alias resolved; anything else unchanged)."""
    return SOLVER_ALIASES.get(solver, solver) if isinstance(solver, str) else solver


# -------------------------------------------------------------------------------------------------
# container recognition
# -------------------------------------------------------------------------------------------------
def is_sparse(X):
    """True when ``X`` is a scipy sparse matrix or sparse array (any format).

    Does not import SciPy: if ``scipy.sparse`` is not loaded, ``X`` cannot be one.
    """
    sp = sys.modules.get("scipy.sparse")
    if sp is None:
        return False
    if not hasattr(sp, "issparse"):  # another thread is importing it: wait until it is whole
        import scipy.sparse as sp
    return sp.issparse(X)


def _is_dataframe_like(X):
    """A pandas/polars-style 2-D table: has ``columns`` (not a method) and ``shape``."""
    cols = getattr(X, "columns", None)
    return cols is not None and not callable(cols) and hasattr(X, "shape")


def _is_temporal(dtype):
    """Whether a column dtype (numpy, pandas or polars) holds dates, times or durations,
    including a pandas categorical of them."""
    if getattr(dtype, "kind", None) in ("m", "M"):  # numpy, and pandas' tz-aware datetimes
        return True
    categories = getattr(dtype, "categories", None)
    if categories is not None and getattr(categories.dtype, "kind", None) in ("m", "M"):
        return True
    is_temporal = getattr(dtype, "is_temporal", None)  # polars
    return bool(is_temporal()) if callable(is_temporal) else False


def _temporal_error(input_name, what):
    """The one refusal of date, time and duration data (`what` says where they are): their
    conversion to numbers depends on a unit and an origin that only the user knows."""
    return TypeError(
        f"Input {input_name} {what}; datetime and timedelta data are not supported. Convert "
        "them to numbers explicitly (for example seconds since a reference time)."
    )


def _check_not_temporal(X, input_name):
    """TypeError naming the columns of a table (or the Series) that hold datetime or timedelta
    values, which the table's own conversion to float would turn into unit-dependent numbers."""
    if _is_dataframe_like(X):
        dtypes = getattr(X, "dtypes", None)
        if dtypes is None:
            return
        bad = [str(c) for c, dt in zip(list(X.columns), list(dtypes)) if _is_temporal(dt)]
        if bad:
            raise _temporal_error(
                input_name, f"has datetime or timedelta column(s) {', '.join(map(repr, bad))}")
    elif hasattr(X, "to_numpy") and _is_temporal(getattr(X, "dtype", None)):
        raise _temporal_error(input_name, f"has dtype {X.dtype}")


def _to_ndarray(X, input_name):
    """Any array-like (list, pandas, polars, ndarray subclass, __array__ object) as an ndarray."""
    _check_not_temporal(X, input_name)
    try:
        arr = np.asarray(X)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"Input {input_name} could not be converted to a numeric array: {exc}"
        ) from exc
    if arr.dtype.kind == "O" and hasattr(X, "to_numpy"):
        # pandas nullable columns (Int64, Float64, boolean) come out as objects holding pd.NA:
        # ask the container for floats with NaN for missing values (then the NaN check fires).
        try:
            with warnings.catch_warnings():
                # complex values would be cast to real with only a warning: keep them
                warnings.simplefilter("error", _ComplexWarning)
                converted = X.to_numpy(dtype=np.float64, na_value=np.nan)
        except Exception:  # non-numeric or complex columns, or a to_numpy without keywords
            pass
        else:
            if isinstance(converted, np.ndarray) and converted.shape == arr.shape:
                arr = converted
    return arr


# -------------------------------------------------------------------------------------------------
# dtype and finiteness
# -------------------------------------------------------------------------------------------------
def _complex_error(array, input_name="X"):
    where = "" if input_name == "X" else f" for {input_name}"
    return ValueError(f"Complex data not supported{where}\n{array}\n")


def _too_large_error(input_name):
    """A value no float64 can hold (a huge Python int, say): as good as infinite."""
    return ValueError(f"Input {input_name} contains infinity or a value too large for float64.")


def _as_float(arr, input_name):
    """``(float ndarray, needs_finite_check)``; no copy when ``arr`` is native float32/64."""
    dtype = arr.dtype
    if dtype is _F64 or dtype is _F32:  # the common case: canonical dtype singletons
        return arr, True
    kind = dtype.kind
    if kind == "f":
        if dtype.itemsize in (4, 8):
            if dtype.isnative:
                return arr, True
            return arr.astype(dtype.newbyteorder("=")), True
        return arr.astype(_F64), True  # float16, long double
    if kind in "iub":
        if kind != "b" and dtype.itemsize >= 8:
            _warn_inexact_integers(arr, input_name)
        return arr.astype(_F64), False  # integers and bools are always finite
    if kind == "c":
        raise _complex_error(arr, input_name)
    if kind == "O":
        try:
            out = arr.astype(_F64)
        except OverflowError as exc:
            raise _too_large_error(input_name) from exc
        except (TypeError, ValueError) as exc:
            if any(isinstance(v, complex) for v in arr.flat):
                raise _complex_error(arr, input_name) from exc
            # Keep numpy's own wording in the message ("float() argument must be a string or a
            # real number, not 'dict'"): scikit-learn's checks look for it.
            err = TypeError if isinstance(exc, TypeError) else ValueError
            raise err(
                f"Input {input_name} could not be converted to a numeric array: {exc}"
            ) from exc
        # numpy datetime64/timedelta64 objects convert silently, to a count of their own unit
        if any(isinstance(v, (np.datetime64, np.timedelta64)) for v in arr.flat):
            raise _temporal_error(input_name, "holds datetime64 or timedelta64 objects")
        return out, True
    if kind in "USa":
        raise ValueError(
            f"Input {input_name} has dtype {dtype}: dtype='numeric' is not compatible with arrays "
            "of bytes/strings. Convert your data to numeric values explicitly instead."
        )
    if kind in "mM":
        raise _temporal_error(input_name, f"has dtype {dtype}")
    raise TypeError(f"Input {input_name} has dtype {dtype}, which is not numeric.")


# float64 represents every integer of magnitude up to 2**53 exactly, and no longer all beyond
_EXACT_INT = 2 ** 53


def _warn_inexact_integers(arr, input_name):
    """DataConversionWarning when 64-bit integers lie beyond float64's exact range: integers
    that differ by less than their rounding become equal (a uint64 wrap of small negative
    numbers, ids, nanosecond timestamps), so a column can become constant and get
    coefficient 0, silently otherwise."""
    if arr.size == 0:
        return
    hi, lo = int(arr.max()), int(arr.min())
    if hi > _EXACT_INT or lo < -_EXACT_INT:
        from fastridge.exceptions import DataConversionWarning, warn

        worst = hi if hi > -lo else lo
        warn(DataConversionWarning,
             f"Input {input_name} has integers beyond 2**53 (up to {worst}), which float64 "
             f"cannot represent exactly: values closer than their rounding become equal (a "
             f"column may become constant and get coefficient 0). Subtract an offset, or "
             f"convert the values yourself, before fitting.", stacklevel=None)


def _all_finite(data, allow_nan=False):
    """True when ``data`` (float ndarray) holds no inf (and no NaN unless ``allow_nan``).

    One pass: the sum of finite values is finite unless it overflows, so a finite sum settles it;
    only a non-finite sum (a NaN/inf, or an overflow) pays for the element-wise check.
    """
    if data.size == 0:
        return True
    with np.errstate(over="ignore", invalid="ignore"):
        total = data.sum()
    if np.isfinite(total):
        return True
    if allow_nan:
        return not np.isinf(data).any()
    return bool(np.isfinite(data).all())


def _cast(arr, dtype, input_name):
    """``arr`` (finite) as ``dtype``; ValueError when values overflow it (float64 → float32)."""
    with np.errstate(over="ignore"):
        out = arr.astype(dtype)
    if not _all_finite(out):
        raise ValueError(
            f"Input {input_name} has values too large for {np.dtype(dtype).name}, the dtype of "
            "X: convert X to float64."
        )
    return out


def check_output_range(dtype, *arrays):
    """ValueError when fitted values (float64) do not fit the output ``dtype`` — float32
    coefficients of float32 data can exceed float32's range (values near 1e-45 in X)."""
    if np.dtype(dtype) != _F32:
        return
    top = float(np.finfo(np.float32).max)
    if any(np.any(np.abs(np.asarray(a, dtype=np.float64)) > top) for a in arrays):
        raise ValueError(
            "The fitted coefficients of this float32 X do not fit float32 (they exceed "
            f"{top:.3g}): convert X to float64."
        )


def _finite_error(input_name, allow_nan):
    if allow_nan:
        return ValueError(f"Input {input_name} contains infinity.")
    return ValueError(f"Input {input_name} contains NaN or infinity.")


def _check_dims(shape, input_name):
    if shape[0] > MAX_DIM or (len(shape) > 1 and shape[1] > MAX_DIM):
        raise ValueError(
            f"Input {input_name} has shape {shape}; fastridge supports at most 2**31 - 1 "
            "rows and 2**31 - 1 columns."
        )


def _by(estimator_name):
    return f" by {estimator_name}" if estimator_name else ""


def _check_min_shape(shape, ensure_min_samples, ensure_min_features, estimator_name):
    if ensure_min_samples > 0 and shape[0] < ensure_min_samples:
        raise ValueError(
            f"Found array with {shape[0]} sample(s) (shape={shape}) while a minimum of "
            f"{ensure_min_samples} is required{_by(estimator_name)}."
        )
    if ensure_min_features > 0 and len(shape) == 2 and shape[1] < ensure_min_features:
        raise ValueError(
            f"Found array with {shape[1]} feature(s) (shape={shape}) while a minimum of "
            f"{ensure_min_features} is required{_by(estimator_name)}."
        )


def _sparse_error(input_name):
    return TypeError(
        f"Sparse data was passed for {input_name}, but dense data is required. Use '.toarray()' "
        "to convert to a dense numpy array."
    )


# -------------------------------------------------------------------------------------------------
# X
# -------------------------------------------------------------------------------------------------
def _structure_problem(X):
    """What makes the index arrays of a CSR/CSC/BSR/COO matrix invalid, or None.

    Hand-made or mutated matrices can hold indices out of range or index pointers that go
    backwards; the compiled kernels (and SciPy's own conversions) would then read and write out
    of bounds.  Checked without modifying X (SciPy's ``check_format`` may rewrite its arrays).
    """
    fmt = X.format
    if fmt == "coo":
        coords = X.coords if hasattr(X, "coords") else (X.row, X.col)
        arrays = [np.asarray(c) for c in coords] + [np.asarray(X.data)]
        if any(a.ndim != 1 or a.shape[0] != arrays[-1].shape[0] for a in arrays):
            return "its coordinate and data arrays are not 1-D arrays of one length"
        for axis, c in enumerate(arrays[:-1]):
            if c.dtype.kind not in "iu":
                return "its coordinates are not integers"
            if c.size and (c.min() < 0 or c.max() >= X.shape[axis]):
                return f"a coordinate on axis {axis} is out of range"
        return None
    if fmt == "dia":
        data, offsets = np.asarray(X.data), np.asarray(X.offsets)
        if data.ndim != 2 or offsets.ndim != 1 or offsets.shape[0] != data.shape[0]:
            return f"its data array (shape {data.shape}) is not 2-D with one row per offset " \
                   f"(offsets of shape {offsets.shape})"
        if offsets.dtype.kind not in "iu":
            return "its offsets are not integers"
        return None
    if fmt not in ("csr", "csc", "bsr"):
        return None  # lil, dok: built through SciPy's checked setters
    indptr, indices, data = np.asarray(X.indptr), np.asarray(X.indices), np.asarray(X.data)
    if indptr.ndim != 1 or indices.ndim != 1:
        return "its index arrays are not 1-D"
    if indptr.dtype.kind not in "iu" or indices.dtype.kind not in "iu":
        return "its index arrays are not integers"
    if data.ndim != (3 if fmt == "bsr" else 1):  # bsr: (blocks, rows, columns of a block)
        return f"its data array has shape {data.shape}, not " \
               f"{'(n_blocks, R, C)' if fmt == 'bsr' else '1-D'}"
    block = X.blocksize if fmt == "bsr" else (1, 1)
    major, minor = (X.shape[1], X.shape[0]) if fmt == "csc" else (X.shape[0], X.shape[1])
    if fmt != "csc":
        major, minor = major // block[0], minor // block[1]
    if indptr.shape[0] != major + 1 or indptr[0] != 0:
        return f"its index pointer has length {indptr.shape[0]} or start {indptr[0]}, " \
               f"expected length {major + 1} and start 0"
    ip = indptr.astype(np.int64, copy=False)  # no wrap-around in the comparisons
    nnz = int(ip[-1])
    if nnz > min(indices.shape[0], data.shape[0]) or np.any(ip[1:] < ip[:-1]):
        return "its index pointer decreases or points past the index and data arrays"
    used = indices[:nnz]
    if nnz and (used.min() < 0 or used.max() >= minor):
        return "an index is out of range"
    return None


def _check_sparse(X, input_name, estimator_name, ensure_min_samples, ensure_min_features,
                  allow_nan):
    shape = X.shape
    if len(shape) != 2:
        raise ValueError(
            f"Expected 2D sparse input for {input_name}, got shape {shape} instead."
        )
    problem = _structure_problem(X)
    if problem is not None:
        raise ValueError(f"Input {input_name} is not a valid sparse matrix: {problem}.")
    if X.format not in _SPARSE_KEEP:
        X = X.tocsc()
    dtype = X.dtype
    if dtype.kind == "c":
        raise _complex_error(X, input_name)
    if dtype not in _FLOAT_DTYPES:
        if dtype.kind not in "iubf":
            raise TypeError(f"Input {input_name} has dtype {dtype}, which is not numeric.")
        if dtype.kind == "f" and dtype.itemsize in (4, 8):
            X = X.astype(dtype.newbyteorder("="))
        else:
            X = X.astype(_F64)
    index_ok = (X.indices.dtype == X.indptr.dtype
                and X.indices.dtype in (np.dtype(np.int32), np.dtype(np.int64)))
    contiguous = all(a.flags.c_contiguous for a in (X.data, X.indices, X.indptr))
    if not (index_ok and contiguous):
        # Rare hand-made matrices: the kernels take one index type (int32 or int64) for both
        # and contiguous arrays.  A new matrix; X's own arrays are left alone.
        itype = X.indices.dtype if index_ok else np.dtype(np.int64)
        nnz = int(X.indptr[-1])
        indices = np.ascontiguousarray(X.indices[:nnz], dtype=itype)
        indptr = np.ascontiguousarray(X.indptr, dtype=itype)
        X = type(X)((np.ascontiguousarray(X.data[:nnz]), indices, indptr), shape=X.shape,
                    copy=False)
        X.indices, X.indptr = indices, indptr  # the constructor may narrow the index type
    _check_min_shape(shape, ensure_min_samples, ensure_min_features, estimator_name)
    _check_dims(shape, input_name)
    if not _all_finite(X.data, allow_nan):
        raise _finite_error(input_name, allow_nan)
    return X


def check_array(X, *, input_name="X", estimator_name="Ridge", accept_sparse=True, ensure_2d=True,
                ensure_min_samples=1, ensure_min_features=1, allow_nan=False, defer_finite=False):
    """Validate a design matrix (or, with ``ensure_2d=False``, a 1D/2D numeric array).

    With ``defer_finite`` a dense float array is not scanned for NaN/inf here: the caller takes
    that from statistics it computes anyway (see :func:`ensure_finite`), saving a read of X.

    Returns
    -------
    ndarray of dtype float32 or float64, or a scipy sparse matrix/array in CSR or CSC format.
        Dense: the input itself (or a view of it) when it already is a native float32/float64
        ndarray, whatever its memory order, strides or writeability; otherwise a new float64
        array (float32 for float32 input). pandas/polars objects go through ``np.asarray``.
        Sparse: CSR and CSC come back as is when their dtype is float32/float64 (int32 or int64
        indices, unchanged); other formats are converted to CSC; other dtypes to float64.

    Raises
    ------
    ValueError
        Empty input, 1D (with ``ensure_2d``) or scalar input, more than two dimensions, NaN or
        infinity, complex or string data, more than 2**31 - 1 rows or columns.
    TypeError
        Sparse input with ``accept_sparse=False``; data that cannot be cast to float (objects,
        datetimes).
    """
    if type(X) is not np.ndarray:
        if is_sparse(X):
            if not accept_sparse:
                raise _sparse_error(input_name)
            return _check_sparse(X, input_name, estimator_name, ensure_min_samples,
                                 ensure_min_features, allow_nan)
        X = _to_ndarray(X, input_name)

    ndim = X.ndim
    if ndim != 2:
        if ndim == 0:
            if ensure_2d:
                raise ValueError(
                    f"Expected 2D array, got scalar array instead:\narray={X}.\n"
                    "Reshape your data either using array.reshape(-1, 1) if your data has a "
                    "single feature or array.reshape(1, -1) if it contains a single sample."
                )
            raise ValueError(
                f"Expected a 1D or 2D array for {input_name}, got scalar array instead:"
                f"\narray={X}."
            )
        if ndim == 1 and ensure_2d:
            raise ValueError(
                f"Expected 2D array, got 1D array instead:\narray={X}.\n"
                "Reshape your data either using array.reshape(-1, 1) if your data has a "
                "single feature or array.reshape(1, -1) if it contains a single sample."
            )
        if ndim > 2:
            if input_name == "X":
                raise ValueError(
                    f"Found array with dim {ndim}, while dim <= 2 is required"
                    f"{_by(estimator_name)}."
                )
            raise ValueError(
                f"Found array with dim {ndim} for {input_name}, while dim <= 2 is required"
                f"{_by(estimator_name)}."
            )

    X, needs_check = _as_float(X, input_name)
    shape = X.shape
    _check_min_shape(shape, ensure_min_samples, ensure_min_features, estimator_name)
    _check_dims(shape, input_name)
    if needs_check and not defer_finite and not _all_finite(X, allow_nan):
        raise _finite_error(input_name, allow_nan)
    return X


def ensure_finite(X, input_name="X"):
    """The finiteness check that ``check_array(defer_finite=True)`` left out; callers run it when
    statistics of X (sums, sums of squares, a Gram) came out non-finite, which they do whenever X
    holds a NaN or an infinity (and also when finite values overflow, which passes here)."""
    if not _all_finite(X):
        raise _finite_error(input_name, False)


# -------------------------------------------------------------------------------------------------
# y, sample_weight
# -------------------------------------------------------------------------------------------------
def check_y(y, dtype, estimator_name):
    """y as (n,) or (n, k>=1) ndarray of ``dtype``; new array only if a conversion is needed."""
    if y is None:
        raise ValueError(
            f"{estimator_name} requires y to be passed, but the target y is None."
        )
    if is_sparse(y):
        raise _sparse_error("y")
    y = check_array(y, input_name="y", estimator_name=estimator_name, accept_sparse=False,
                    ensure_2d=False, ensure_min_samples=0, ensure_min_features=0)
    if y.ndim == 2 and y.shape[1] == 0:
        raise ValueError(
            f"Found array with 0 target(s) (shape={y.shape}) while a minimum of 1 is "
            f"required{_by(estimator_name)}."
        )
    if y.dtype != dtype:
        y = _cast(y, dtype, "y")
    return y


def check_X_y(X, y, *, estimator_name="Ridge", accept_sparse=True, defer_finite=False):
    """Validate a design matrix and its targets together.

    Returns
    -------
    X : as :func:`check_array`.
    y : ndarray (n,) or (n, k), k >= 1, of X's float dtype. A (n, 1) target stays 2D. It is the
        caller's array itself (or a view of it) when no conversion was needed: never write into it.

    Raises
    ------
    ValueError
        ``y`` is None, has more than two dimensions, no targets, NaN or infinity, or a length other
        than X's ("Found input variables with inconsistent numbers of samples: [5, 4]"), plus
        everything :func:`check_array` raises for X.
    TypeError
        ``y`` is sparse.
    """
    if y is None:
        raise ValueError(
            f"{estimator_name} requires y to be passed, but the target y is None."
        )
    X = check_array(X, estimator_name=estimator_name, accept_sparse=accept_sparse,
                    defer_finite=defer_finite)
    y = check_y(y, X.dtype, estimator_name)
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"[{X.shape[0]}, {y.shape[0]}]"
        )
    return X, y


def check_sample_weight(sample_weight, n_samples, dtype):
    """Validate sample weights.

    Returns
    -------
    None when ``sample_weight`` is None, else a C-contiguous ndarray (n_samples,) of ``dtype``:
    a scalar is broadcast; an array already of that dtype, 1D and contiguous is returned as is
    (never write into it).

    Raises
    ------
    ValueError
        Wrong shape, NaN or infinity, a negative weight, all weights zero.
    TypeError
        Non-numeric or sparse weights.
    """
    if sample_weight is None:
        return None
    dtype = np.dtype(dtype)
    if isinstance(sample_weight, np.ndarray) and sample_weight.ndim == 0:
        sample_weight = sample_weight.item()
    if isinstance(sample_weight, complex):
        raise _complex_error(sample_weight, "sample_weight")
    if isinstance(sample_weight, numbers.Number):
        try:
            value = float(sample_weight)
        except OverflowError as exc:
            raise _too_large_error("sample_weight") from exc
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"sample_weight must be a real number or an array of real numbers, got "
                f"{sample_weight!r}."
            ) from exc
        sw = _cast(np.full(n_samples, value), dtype, "sample_weight") \
            if math.isfinite(value) else np.full(n_samples, value, dtype=dtype)
    else:
        if is_sparse(sample_weight):
            raise _sparse_error("sample_weight")
        sw = check_array(sample_weight, input_name="sample_weight", estimator_name=None,
                         accept_sparse=False, ensure_2d=False, ensure_min_samples=0,
                         ensure_min_features=0)
        if sw.ndim != 1:
            raise ValueError(
                f"Sample weights must be 1D array or scalar, got {sw.ndim}D array. Expected "
                f"either a scalar value or a 1D array of length {n_samples}."
            )
        if sw.shape != (n_samples,):
            raise ValueError(
                f"sample_weight.shape == {sw.shape}, expected {(n_samples,)}!"
            )
        if sw.dtype != dtype:
            if not _all_finite(sw):
                raise _finite_error("sample_weight", False)
            sw = _cast(sw, dtype, "sample_weight")
        sw = np.ascontiguousarray(sw)
    if not _all_finite(sw):
        raise _finite_error("sample_weight", False)
    if n_samples and not sw.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    if n_samples and sw.min() < 0:
        raise ValueError("Negative values in data passed to `sample_weight`.")
    with np.errstate(over="ignore"):
        total = sw.sum(dtype=_F64)
    if not np.isfinite(total):
        raise ValueError("The sum of sample_weight overflows float64; rescale the weights "
                         "(multiplying them and alpha by the same factor leaves the fit as is).")
    return sw


# -------------------------------------------------------------------------------------------------
# penalties
# -------------------------------------------------------------------------------------------------
def _real_array(value, name, what):
    """``value`` as a new float64 ndarray; TypeError naming ``name`` unless it holds real numbers.

    Booleans, strings (even "1.5"), complex numbers and sparse matrices are refused.
    """
    bad = TypeError(f"{name} must be {what}, got {value!r}.")
    if isinstance(value, (bool, np.bool_, str, bytes)) or is_sparse(value):
        raise bad
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise bad from exc
    kind = arr.dtype.kind
    if kind == "O":
        if not all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))
                   for v in arr.flat):
            raise bad
    elif kind not in "iuf":
        raise bad
    try:
        return arr.astype(_F64)
    except OverflowError as exc:  # a Python int beyond float64
        raise ValueError(f"{name} must be finite; it holds a value too large for float64."
                         ) from exc


def check_alpha(alpha, n_targets):
    """Validate the penalty strength; returns a new float64 ndarray of shape (n_targets,).

    A scalar or a length-1 array is broadcast to every target.
    """
    if type(alpha) is float:  # fast path for the common case
        if 0 <= alpha < float("inf"):
            return np.full(n_targets, alpha, dtype=_F64)
        raise ValueError(f"alpha must be finite and >= 0, got {alpha!r}.")
    what = "a non-negative real number or a 1D array of them"
    arr = _real_array(alpha, "alpha", what)
    if arr.ndim > 1:
        raise ValueError(
            f"alpha must be a scalar or a 1D array, got an array of shape {arr.shape}."
        )
    if arr.ndim == 1 and arr.size not in (1, n_targets):
        raise ValueError(
            "Number of targets and number of penalties do not correspond: "
            f"{arr.size} != {n_targets}"
        )
    if not (np.isfinite(arr).all() and (arr >= 0).all()):
        shown = arr.item() if arr.ndim == 0 else arr
        raise ValueError(f"alpha must be finite and >= 0, got {shown!r}.")
    if arr.size == n_targets and arr.ndim == 1:
        return arr
    return np.full(n_targets, arr.reshape(-1)[0], dtype=_F64)


def check_penalty_factor(penalty_factor, n_features):
    """Validate per-feature penalty factors; None or a new float64 ndarray of shape (n_features,).

    A factor of 0 leaves that feature unpenalized; all factors 0 is allowed (no penalty at all).
    """
    if penalty_factor is None:
        return None
    what = "a 1D array of non-negative real numbers"
    arr = _real_array(penalty_factor, "penalty_factor", what)
    if arr.ndim != 1:
        raise ValueError(
            f"penalty_factor must be a 1D array of length n_features={n_features}, got "
            f"{'a scalar' if arr.ndim == 0 else f'an array of shape {arr.shape}'}."
        )
    if arr.shape[0] != n_features:
        raise ValueError(
            f"penalty_factor has {arr.shape[0]} elements, but X has {n_features} features."
        )
    if not np.isfinite(arr).all():
        raise ValueError("penalty_factor must be finite; it contains NaN or infinity.")
    if (arr < 0).any():
        raise ValueError("Negative values in data passed to `penalty_factor`.")
    return arr


def _check_limit(value, name, n_features, sign):
    """One of `check_limits`' arguments: None, or a float64 (n_features,) array."""
    if value is None:
        return None
    what = "a real number or a 1D array of real numbers (+-inf allowed)"
    arr = _real_array(value, name, what)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.size not in (1, n_features)):
        raise ValueError(f"{name} must be a scalar or a 1D array of length "
                         f"n_features={n_features}, got an array of shape {arr.shape}.")
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN.")
    if (sign * arr < 0).any():
        rel = "<= 0" if sign < 0 else ">= 0"
        raise ValueError(f"{name} must be {rel} (as glmnet's {name.replace('_', '.')}: a fit "
                         f"starts from coefficient 0, which must be allowed), got "
                         f"{arr.item() if arr.ndim == 0 else arr!r}.")
    return np.array(np.broadcast_to(arr.reshape(-1), (n_features,)), dtype=_F64)


def check_limits(lower_limits, upper_limits, n_features):
    """Validate glmnet's box limits on the coefficients (raw scale).

    Returns None when both are None, else ``(lower, upper)``, new float64 arrays of shape
    (n_features,) (a scalar or a length-1 array is broadcast; a missing side is -inf or +inf)
    with lower ≤ 0 ≤ upper, as glmnet requires.
    """
    lower = _check_limit(lower_limits, "lower_limits", n_features, -1)
    upper = _check_limit(upper_limits, "upper_limits", n_features, 1)
    if lower is None and upper is None:
        return None
    return (np.full(n_features, -np.inf) if lower is None else lower,
            np.full(n_features, np.inf) if upper is None else upper)


def check_exclude(exclude, n_features):
    """Validate `exclude`, the features whose coefficient is forced to 0: None, or the sorted
    unique indices as an intp array (negative indices count from the end, as numpy's)."""
    if exclude is None:
        return None
    bad = TypeError(f"exclude must be a 1D array of integer feature indices, got {exclude!r}.")
    if isinstance(exclude, (str, bytes, bool, np.bool_)) or is_sparse(exclude):
        raise bad
    try:
        arr = np.asarray(exclude)
    except (TypeError, ValueError) as exc:
        raise bad from exc
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.size == 0:
        return np.zeros(0, dtype=np.intp)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise bad
    if (arr >= n_features).any() or (arr < -n_features).any():
        raise ValueError(f"exclude holds an index out of range for n_features={n_features}: "
                         f"{arr[(arr >= n_features) | (arr < -n_features)][:5].tolist()}.")
    return np.unique(np.where(arr < 0, arr + n_features, arr).astype(np.intp))


def check_offset(offset, n_samples, n_targets, single):
    """Validate a per-row offset (a known term of the linear predictor): None, or a new float64
    array of shape (n_samples,) for 1-D y / (n_samples, n_targets), finite.  A 1-D offset with
    several targets applies to every target."""
    if offset is None:
        return None
    if is_sparse(offset):
        raise _sparse_error("offset")
    arr = _real_array(offset, "offset", "an array of real numbers")
    if arr.ndim == 2 and arr.shape == (n_samples, 1) and single:
        arr = arr[:, 0]
    ok = arr.shape == (n_samples,) or (arr.shape == (n_samples, n_targets) and not single)
    if not ok:
        want = f"({n_samples},)" if single else f"({n_samples},) or ({n_samples}, {n_targets})"
        raise ValueError(f"offset has shape {arr.shape}, expected {want}.")
    if not np.isfinite(arr).all():
        raise ValueError("offset must be finite; it contains NaN or infinity.")
    return arr


# -------------------------------------------------------------------------------------------------
# hyper-parameters
# -------------------------------------------------------------------------------------------------
def _check_bool(value, name, estimator_name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"The '{name}' parameter of {estimator_name} must be an instance of 'bool' or an "
            f"instance of 'numpy.bool'. Got {value!r} instead."
        )


# registered as numbers (numpy's timedelta64 subclasses signedinteger) but no count or size
_NOT_NUMBERS = (bool, np.bool_, np.timedelta64, np.datetime64)


def check_params(*, solver="auto", tol=1e-6, max_iter=None, fit_intercept=True, standardize=False,
                 positive=False, warm_start=False, copy_X=True, valid_solvers=VALID_SOLVERS,
                 estimator_name="Ridge"):
    """Validate constructor parameters at fit time (``set_params`` never validates).

    Returns None; raises ValueError for a bad value and TypeError for a bad type, naming the
    parameter. The defaults are Ridge's, so estimators without some of these parameters
    (RidgeCV, RidgeEM) leave them out.
    """
    if not isinstance(solver, str) or solver not in valid_solvers \
            and not (canonical_solver(solver) in valid_solvers and solver in SOLVER_ALIASES):
        among = "{" + ", ".join(repr(s) for s in valid_solvers) + "}"
        if valid_solvers is VALID_SOLVERS:
            among += " or one of scikit-learn's names {" + ", ".join(
                repr(s) for s in SOLVER_ALIASES) + "}"
        raise ValueError(
            f"The 'solver' parameter of {estimator_name} must be a str among {among}. "
            f"Got {solver!r} instead."
        )
    if isinstance(tol, _NOT_NUMBERS) or not isinstance(tol, numbers.Real):
        raise TypeError(
            f"The 'tol' parameter of {estimator_name} must be a float in the range [0.0, inf). "
            f"Got {tol!r} instead."
        )
    try:
        tol_value = float(tol)  # Fractions, numpy scalars, huge ints (OverflowError)
    except OverflowError:
        tol_value = float("inf")
    if not (tol_value >= 0 and math.isfinite(tol_value)):
        raise ValueError(
            f"The 'tol' parameter of {estimator_name} must be a float in the range [0.0, inf). "
            f"Got {tol!r} instead."
        )
    if max_iter is not None:
        if isinstance(max_iter, _NOT_NUMBERS) or not isinstance(max_iter, numbers.Integral):
            raise TypeError(
                f"The 'max_iter' parameter of {estimator_name} must be an int in the range "
                f"[1, inf) or None. Got {max_iter!r} instead."
            )
        if operator.index(max_iter) < 1:
            raise ValueError(
                f"The 'max_iter' parameter of {estimator_name} must be an int in the range "
                f"[1, inf) or None. Got {max_iter!r} instead."
            )
    for name, value in (("fit_intercept", fit_intercept), ("standardize", standardize),
                        ("positive", positive), ("warm_start", warm_start), ("copy_X", copy_X)):
        _check_bool(value, name, estimator_name)
    if positive and canonical_solver(solver) not in ("auto", "cd"):
        raise ValueError(
            f"solver={solver!r} does not support positive fitting (positive=True). Please set "
            f"the solver to 'auto' or 'cd' (or scikit-learn's 'lbfgs'), or set `positive=False`."
        )


def check_verbose(verbose, estimator_name):
    """The verbosity level as an int >= 0 (``False``/``True`` count as 0/1)."""
    if isinstance(verbose, (bool, np.bool_)):
        return int(verbose)
    if not isinstance(verbose, numbers.Integral):
        raise TypeError(
            f"The 'verbose' parameter of {estimator_name} must be an int in the range [0, inf) "
            f"or a bool. Got {verbose!r} instead."
        )
    if verbose < 0:
        raise ValueError(
            f"The 'verbose' parameter of {estimator_name} must be an int in the range [0, inf) "
            f"or a bool. Got {verbose!r} instead."
        )
    return int(verbose)


# -------------------------------------------------------------------------------------------------
# feature names and counts
# -------------------------------------------------------------------------------------------------
def get_feature_names(X):
    """Column names of a DataFrame-like ``X`` as an object ndarray of str, else None.

    None for arrays, sparse matrices, and tables whose column names are not all strings (integers,
    tuples of a MultiIndex...). Raises TypeError when string and non-string names are mixed.
    """
    if type(X) is np.ndarray or not _is_dataframe_like(X):
        return None
    try:
        names = np.asarray(list(X.columns), dtype=object)
    except TypeError:
        return None
    if names.ndim != 1 or names.size == 0:
        return None
    types = sorted({type(v).__qualname__ for v in names})
    if len(types) > 1 and "str" in types:
        raise TypeError(
            "Feature names are only supported if all input features have string names, but "
            f"your input has {types} as feature name / column name types. If you want feature "
            "names to be stored and validated, you must convert them all to strings, by using "
            "X.columns = X.columns.astype(str) for example. Otherwise you can remove feature / "
            "column names from your input data, or convert them all to a non-string data type."
        )
    if types == ["str"]:
        return names
    return None


def check_n_features(est, X, reset):
    """Set ``est.n_features_in_`` (reset=True) or check X against it (reset=False).

    ``X`` is a validated 2D array or sparse matrix. Before fit (no ``n_features_in_``) the check is
    skipped.
    """
    n_features = X.shape[1]
    if reset:
        est.n_features_in_ = n_features
        return
    expected = getattr(est, "n_features_in_", None)
    if expected is not None and n_features != expected:
        raise ValueError(
            f"X has {n_features} features, but {type(est).__name__} is expecting {expected} "
            "features as input."
        )


def _list_names(names, limit=5):
    lines = []
    for i, name in enumerate(names):
        if i == limit:
            lines.append("- ...\n")
            break
        lines.append(f"- {name}\n")
    return "".join(lines)


def check_feature_names(est, X, reset):
    """Set/delete ``est.feature_names_in_`` (reset=True) or check X's names against it.

    ``X`` is the raw input (a DataFrame carries the names). On predict: different names or order
    raise ValueError; names at fit but not now, or now but not at fit, warn (UserWarning).
    Returns the names of X (or None).
    """
    names = get_feature_names(X)
    if reset:
        if names is not None:
            est.feature_names_in_ = names
        elif "feature_names_in_" in getattr(est, "__dict__", {}):
            del est.feature_names_in_
        return names

    fitted = getattr(est, "feature_names_in_", None)
    cls_name = type(est).__name__
    if fitted is None and names is None:
        return None
    if fitted is None:
        warnings.warn(
            f"X has feature names, but {cls_name} was fitted without feature names",
            UserWarning, stacklevel=3,
        )
        return names
    if names is None:
        warnings.warn(
            f"X does not have valid feature names, but {cls_name} was fitted with feature names",
            UserWarning, stacklevel=3,
        )
        return None
    if len(fitted) == len(names) and (fitted == names).all():
        return names
    message = "The feature names should match those that were passed during fit.\n"
    unexpected = sorted(set(names) - set(fitted))
    missing = sorted(set(fitted) - set(names))
    if unexpected:
        message += "Feature names unseen at fit time:\n" + _list_names(unexpected)
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + _list_names(missing)
    if not unexpected and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    raise ValueError(message)


def validate_data(est, X, y=None, *, reset, accept_sparse=True, defer_finite=False):
    """The estimator-side sequence: feature names, array checks, feature count.

    With ``y`` (fit): returns ``(X, y)`` from :func:`check_X_y`; without (predict): ``X`` from
    :func:`check_array`. ``reset=True`` records ``n_features_in_``/``feature_names_in_``.
    ``defer_finite`` leaves dense X's NaN/inf check to the caller's statistics pass
    (`_preprocessing.prepare(check_finite=True)`).
    """
    name = type(est).__name__
    if y is None and reset:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    check_feature_names(est, X, reset=reset)
    if y is None:
        X = check_array(X, estimator_name=name, accept_sparse=accept_sparse)
        check_n_features(est, X, reset=False)
        return X
    X, y = check_X_y(X, y, estimator_name=name, accept_sparse=accept_sparse,
                     defer_finite=defer_finite)
    check_n_features(est, X, reset=reset)
    return X, y


def check_values(value, name, *, positive):
    """A scalar or 1-D array of finite reals, ≥ 0 (or > 0 with `positive`): a float64 array of
    shape (m,) and whether `value` was a scalar; TypeError or ValueError naming `name`."""
    bound = "> 0" if positive else ">= 0"
    arr = _real_array(value, name, f"a real number {bound} or a 1-D array of them")
    if arr.ndim > 1 or arr.size == 0:
        raise ValueError(f"{name} must be a scalar or a non-empty 1-D array, got an array of "
                         f"shape {arr.shape}.")
    if not (np.isfinite(arr).all() and ((arr > 0) if positive else (arr >= 0)).all()):
        shown = arr.item() if arr.ndim == 0 else arr
        raise ValueError(f"{name} must be finite and {bound}, got {shown!r}.")
    return arr.reshape(-1), arr.ndim == 0
