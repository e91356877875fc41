"""fastridge._validation: conversions, no-copy guarantees and scikit-learn's error wording."""
import os
import re
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import fastridge
from fastridge import _validation as V

rng = np.random.default_rng(0)
X64 = rng.standard_normal((6, 3))
Y64 = rng.standard_normal(6)

RESHAPE = ("Reshape your data either using array.reshape(-1, 1) if your data has a single feature "
           "or array.reshape(1, -1) if it contains a single sample.")


def _readonly(a):
    a = a.copy()
    a.flags.writeable = False
    return a


SPARSE_CONTAINERS = [getattr(sp, f"{fmt}_{kind}")
                     for fmt in ("csr", "csc", "coo", "lil", "dok", "bsr", "dia")
                     for kind in ("matrix", "array")]


# ---------------------------------------------------------------------------------------- imports
def test_module_imports_only_numpy(tmp_path):
    script = textwrap.dedent("""
        import sys
        import fastridge._validation, fastridge._base, fastridge.exceptions
        heavy = sorted({m.split(".")[0] for m in sys.modules} & {"scipy", "sklearn", "pandas",
                                                                  "matplotlib", "polars"})
        assert not heavy, heavy
        import numpy as np
        X, y = fastridge._validation.check_X_y(np.ones((3, 2)), [1, 2, 3])
        assert not fastridge._validation.is_sparse(X)
        assert "scipy" not in sys.modules
        print("ok")
    """)
    env = dict(os.environ)
    parent = os.path.dirname(os.path.dirname(os.path.abspath(fastridge.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [parent, env.get("PYTHONPATH")]))
    res = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok"


# -------------------------------------------------------------------------------------- is_sparse
def test_is_sparse():
    assert V.is_sparse(sp.csr_matrix(X64))
    assert V.is_sparse(sp.coo_array(X64))
    assert not V.is_sparse(X64)
    assert not V.is_sparse([[1.0]])
    assert not V.is_sparse(None)


def test_is_sparse_without_scipy_loaded(monkeypatch):
    monkeypatch.delitem(sys.modules, "scipy.sparse", raising=False)
    assert not V.is_sparse(X64)


# ---------------------------------------------------------------------------------------- dense X
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", ["C", "F"])
def test_float_arrays_are_returned_without_copy(dtype, order):
    X = np.asarray(X64, dtype=dtype, order=order)
    out = V.check_array(X)
    assert out is X
    assert out.dtype == dtype


def test_non_contiguous_and_readonly_kept_as_is():
    base = rng.standard_normal((10, 8))
    X = base[::2, 1::3]
    assert not X.flags.c_contiguous and not X.flags.f_contiguous
    out = V.check_array(X)
    assert out is X

    ro = _readonly(X64)
    out = V.check_array(ro)
    assert np.shares_memory(out, ro)
    assert not out.flags.writeable


def test_memmap_like_subclass_is_a_view():
    class Sub(np.ndarray):
        pass
    X = X64.copy().view(Sub)
    out = V.check_array(X)
    assert type(out) is np.ndarray
    assert np.shares_memory(out, X)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint16, np.bool_, np.float16,
                                   np.longdouble])
def test_other_numeric_dtypes_become_float64(dtype):
    X = (np.arange(12).reshape(4, 3) % 3).astype(dtype)
    before = X.copy()
    out = V.check_array(X)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, X.astype(np.float64))
    np.testing.assert_array_equal(X, before)
    assert X.dtype == dtype


def test_object_array_of_numbers_becomes_float64():
    X = np.array([[1, 2.5], [3, np.float32(4)]], dtype=object)
    out = V.check_array(X)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[1, 2.5], [3, 4]])


@pytest.mark.parametrize("dtype", [">f8", ">f4"])
def test_non_native_byte_order_is_made_native(dtype):
    X = X64.astype(dtype)
    out = V.check_array(X)
    assert out.dtype.isnative
    assert out.dtype.itemsize == X.dtype.itemsize
    np.testing.assert_array_equal(out, X)


def test_float_order_kept_on_conversion():
    X = np.asfortranarray(np.arange(6).reshape(3, 2))
    out = V.check_array(X)
    assert out.flags.f_contiguous


def test_list_input():
    data = [[1, 2], [3, 4], [5, 6]]
    out = V.check_array(data)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_array_equal(out, data)
    assert data == [[1, 2], [3, 4], [5, 6]]


def test_ragged_list_names_input():
    with pytest.raises(ValueError, match="Input X could not be converted"):
        V.check_array([[1, 2], [3]])


def test_complex_rejected():
    with pytest.raises(ValueError, match="^Complex data not supported\n"):
        V.check_array(X64 + 1j)
    obj = np.array([[1.0, 2j]], dtype=object)
    with pytest.raises(ValueError, match="^Complex data not supported\n"):
        V.check_array(obj)


def test_strings_rejected_naming_input():
    with pytest.raises(ValueError,
                       match="Input X has dtype <U1: dtype='numeric' is not compatible"):
        V.check_array(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="Input X could not be converted to a numeric array: "
                                         "could not convert string to float: 'a'"):
        V.check_array(np.array([[1.0, "a"]], dtype=object))


def test_object_holding_dict_is_type_error_with_numpys_wording():
    X = np.ones((3, 2), dtype=object)
    X[0, 0] = {"foo": "bar"}
    # scikit-learn's check_dtype_object looks for this phrase
    with pytest.raises(TypeError, match="Input X could not .*argument must be .* string.* number"):
        V.check_array(X)


@pytest.mark.parametrize("dtype", ["datetime64[ns]", "timedelta64[s]"])
def test_datetimes_rejected_naming_input(dtype):
    X = np.zeros((3, 2), dtype=dtype)
    with pytest.raises(TypeError, match="Input X has dtype"):
        V.check_array(X)


def test_empty_inputs_messages():
    with pytest.raises(ValueError, match=re.escape(
            "Found array with 0 sample(s) (shape=(0, 3)) while a minimum of 1 is required by "
            "Ridge.")):
        V.check_array(np.empty((0, 3)))
    with pytest.raises(ValueError, match=re.escape(
            "Found array with 0 feature(s) (shape=(12, 0)) while a minimum of 1 is required by "
            "RidgeCV.")):
        V.check_array(np.empty((12, 0)), estimator_name="RidgeCV")
    # ensure_min_samples is honoured
    with pytest.raises(ValueError, match=re.escape("Found array with 1 sample(s) (shape=(1, 3)) "
                                                   "while a minimum of 2 is required by Ridge.")):
        V.check_array(np.ones((1, 3)), ensure_min_samples=2)
    assert V.check_array(np.empty((0, 3)), ensure_min_samples=0).shape == (0, 3)


def test_1d_message():
    with pytest.raises(ValueError) as info:
        V.check_array(np.array([1.0, 2.0, 3.0]))
    assert str(info.value) == (
        "Expected 2D array, got 1D array instead:\narray=[1. 2. 3.].\n" + RESHAPE)


def test_scalar_message():
    with pytest.raises(ValueError) as info:
        V.check_array(3.0)
    assert (str(info.value)
            == "Expected 2D array, got scalar array instead:\narray=3.0.\n" + RESHAPE)


def test_3d_message():
    with pytest.raises(ValueError, match=re.escape(
            "Found array with dim 3, while dim <= 2 is required by Ridge.")):
        V.check_array(np.ones((2, 2, 2)))


def test_ensure_2d_false_accepts_1d():
    v = np.arange(4.0)
    out = V.check_array(v, ensure_2d=False)
    assert out is v


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_non_finite_rejected(bad, dtype):
    X = X64.astype(dtype)
    X[2, 1] = bad
    with pytest.raises(ValueError, match=r"^Input X contains NaN or infinity\.$"):
        V.check_array(X)
    with pytest.raises(ValueError, match=r"^Input X_test contains NaN or infinity\.$"):
        V.check_array(X, input_name="X_test")


def test_plus_and_minus_inf_together_rejected():
    X = np.ones((3, 2))
    X[0, 0], X[1, 1] = np.inf, -np.inf  # sum is NaN, not inf
    with pytest.raises(ValueError, match="Input X contains NaN or infinity."):
        V.check_array(X)


@pytest.mark.parametrize("dtype, big", [(np.float64, 1e308), (np.float32, 3e38)])
def test_large_finite_values_not_mistaken_for_infinity(dtype, big):
    X = np.full((4, 2), big, dtype=dtype)  # the sum overflows, the values are finite
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = V.check_array(X)
    assert out is X


def test_allow_nan():
    X = X64.copy()
    X[0, 0] = np.nan
    assert V.check_array(X, allow_nan=True) is X
    X[1, 1] = np.inf
    with pytest.raises(ValueError, match="Input X contains infinity."):
        V.check_array(X, allow_nan=True)


def test_nan_in_object_array():
    X = np.array([[1.0, None], [2.0, 3.0]], dtype=object)
    with pytest.raises(ValueError, match="Input X contains NaN or infinity."):
        V.check_array(X)


# ----------------------------------------------------------------------------------------- pandas
def test_dataframe_float():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0]})
    out = V.check_array(df)
    assert type(out) is np.ndarray and out.dtype == np.float64
    np.testing.assert_array_equal(out, df.to_numpy())


def test_dataframe_float32_and_int():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": np.arange(3, dtype=np.float32), "b": np.ones(3, dtype=np.float32)})
    assert V.check_array(df).dtype == np.float32
    df = pd.DataFrame({"a": [1, 2, 3], "b": [True, False, True]})
    out = V.check_array(df)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[1, 1], [2, 0], [3, 1]])


def test_dataframe_nullable_with_missing_values_reports_nan():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "b": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="Input X contains NaN or infinity."):
        V.check_array(df)
    df = pd.DataFrame({"a": pd.array([1, 2, 3], dtype="Int64"), "b": [1.0, 2.0, 3.0]})
    np.testing.assert_array_equal(V.check_array(df), [[1, 1], [2, 2], [3, 3]])


def test_dataframe_with_strings_names_input():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": ["x", "y"], "b": [1.0, 2.0]})
    with pytest.raises(ValueError, match="Input X could not be converted"):
        V.check_array(df)


def test_series_y():
    pd = pytest.importorskip("pandas")
    s = pd.Series(Y64)
    X, y = V.check_X_y(X64, s)
    assert type(y) is np.ndarray
    np.testing.assert_array_equal(y, Y64)


# --------------------------------------------------------------------------------------- sparse X
@pytest.mark.parametrize("container", SPARSE_CONTAINERS, ids=lambda c: c.__name__)
def test_sparse_formats(container):
    Xd = X64.copy()
    Xd[Xd < 0] = 0
    X = container(Xd)
    out = V.check_array(X)
    assert V.is_sparse(out)
    assert out.format in ("csr", "csc")
    if X.format in ("csr", "csc"):
        assert out is X
    else:
        assert out.format == "csc"
    assert type(out).__name__.endswith("_array") == type(X).__name__.endswith("_array")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.toarray(), Xd)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_int64_indices_kept(fmt):
    X = getattr(sp, f"{fmt}_matrix")(X64)
    X.indices = X.indices.astype(np.int64)
    X.indptr = X.indptr.astype(np.int64)
    out = V.check_array(X)
    assert out is X
    assert out.indices.dtype == np.int64 and out.indptr.dtype == np.int64


def test_sparse_mixed_index_dtypes_unified_without_touching_input():
    X = sp.csr_matrix(X64)
    X.indptr = X.indptr.astype(np.int64)  # indices stay int32
    out = V.check_array(X)
    assert out.indices.dtype == out.indptr.dtype == np.int64
    assert X.indices.dtype == np.int32
    np.testing.assert_array_equal(out.toarray(), X64)


@pytest.mark.parametrize("dtype, expected", [(np.float32, np.float32), (np.int64, np.float64),
                                             (np.bool_, np.float64), (np.longdouble, np.float64)])
def test_sparse_dtype_policy(dtype, expected):
    X = sp.csr_array((np.abs(X64) > 0.5).astype(dtype))
    out = V.check_array(X)
    assert out.dtype == expected
    assert X.dtype == dtype
    if dtype == expected:
        assert out is X


def test_sparse_non_finite_and_complex_and_empty():
    X = sp.csr_matrix(X64)
    X.data[3] = np.nan
    with pytest.raises(ValueError, match="^Input X contains NaN or infinity.$"):
        V.check_array(X)
    with pytest.raises(ValueError, match="Complex data not supported"):
        V.check_array(sp.csr_matrix(X64 + 1j))
    with pytest.raises(ValueError, match=re.escape("Found array with 0 sample(s) (shape=(0, 3))")):
        V.check_array(sp.csr_matrix((0, 3)))
    with pytest.raises(ValueError,
                       match=re.escape("Found array with 0 feature(s) (shape=(5, 0))")):
        V.check_array(sp.csc_array((5, 0)))


def test_sparse_refused_when_not_accepted():
    with pytest.raises(TypeError,
                       match="Sparse data was passed for X, but dense data is required"):
        V.check_array(sp.csr_matrix(X64), accept_sparse=False)


@pytest.mark.parametrize("fmt, shape", [("csc", (2**31, 1)), ("csr", (1, 2**31))])
def test_sparse_too_large(fmt, shape):
    idx = np.array([0], dtype=np.int64)
    X = getattr(sp, f"{fmt}_matrix")((np.ones(1), idx, np.array([0, 1], dtype=np.int64)),
                                     shape=shape)
    with pytest.raises(ValueError, match=re.escape(f"Input X has shape {shape}; fastridge "
                                                   "supports at most 2**31 - 1 rows")):
        V.check_array(X)


# ---------------------------------------------------------------------------------------------- y
def test_y_none():
    with pytest.raises(ValueError, match=re.escape(
            "Ridge requires y to be passed, but the target y is None.")):
        V.check_X_y(X64, None)


def test_y_no_copy_when_dtype_matches():
    y = _readonly(Y64)
    X, out = V.check_X_y(X64, y)
    assert out is y
    assert not out.flags.writeable
    X32 = X64.astype(np.float32)
    y32 = Y64.astype(np.float32)
    assert V.check_X_y(X32, y32)[1] is y32


@pytest.mark.parametrize("X_dtype, y_dtype, expected", [
    (np.float32, np.float64, np.float32), (np.float64, np.float32, np.float64),
    (np.int64, np.int64, np.float64), (np.float32, np.int32, np.float32),
    (np.bool_, np.bool_, np.float64)])
def test_y_follows_X_dtype(X_dtype, y_dtype, expected):
    X = (X64 > 0).astype(X_dtype)
    y = (Y64 > 0).astype(y_dtype)
    y_before = y.copy()
    Xo, yo = V.check_X_y(X, y)
    assert Xo.dtype == expected and yo.dtype == expected
    np.testing.assert_array_equal(yo, y_before.astype(expected))
    np.testing.assert_array_equal(y, y_before)


def test_y_shapes():
    X, y = V.check_X_y(X64, Y64.reshape(-1, 1))
    assert y.shape == (6, 1)
    X, y = V.check_X_y(X64, np.ones((6, 3)))
    assert y.shape == (6, 3)
    X, y = V.check_X_y(X64, list(Y64))
    assert y.shape == (6,)
    with pytest.raises(ValueError, match=re.escape(
            "Found array with 0 target(s) (shape=(6, 0)) while a minimum of 1 is required")):
        V.check_X_y(X64, np.ones((6, 0)))
    with pytest.raises(ValueError, match="Found array with dim 3 for y"):
        V.check_X_y(X64, np.ones((6, 2, 2)))
    with pytest.raises(ValueError, match="scalar"):
        V.check_X_y(X64, 3.0)


def test_y_sparse_refused():
    with pytest.raises(TypeError, match="Sparse data was passed for y"):
        V.check_X_y(X64, sp.csr_matrix(Y64.reshape(-1, 1)))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_y_non_finite(bad):
    y = Y64.copy()
    y[0] = bad
    with pytest.raises(ValueError, match=r"^Input y contains NaN or infinity\.$"):
        V.check_X_y(X64, y)


def test_y_complex_and_strings():
    with pytest.raises(ValueError, match="Complex data not supported"):
        V.check_X_y(X64, Y64 + 1j)
    with pytest.raises(ValueError, match="Input y"):
        V.check_X_y(X64, np.array(["a"] * 6, dtype=object))


def test_length_mismatch():
    with pytest.raises(ValueError, match=re.escape(
            "Found input variables with inconsistent numbers of samples: [6, 4]")):
        V.check_X_y(X64, Y64[:4])


def test_check_X_y_validates_X_first():
    with pytest.raises(ValueError, match="Input X contains NaN"):
        V.check_X_y(np.full((3, 2), np.nan), [np.nan, 1.0])


def test_check_X_y_sparse_X_dtype_drives_y():
    X, y = V.check_X_y(sp.csr_matrix(X64.astype(np.float32)), Y64)
    assert X.dtype == y.dtype == np.float32


# ---------------------------------------------------------------------------------------- weights
def test_sample_weight_none_and_scalar():
    assert V.check_sample_weight(None, 5, np.float64) is None
    sw = V.check_sample_weight(2, 5, np.float32)
    assert sw.dtype == np.float32 and sw.shape == (5,)
    np.testing.assert_array_equal(sw, 2.0)
    np.testing.assert_array_equal(V.check_sample_weight(np.array(0.5), 3, np.float64), 0.5)


def test_sample_weight_no_copy_and_conversion():
    w = _readonly(np.arange(1.0, 6.0))
    assert V.check_sample_weight(w, 5, np.float64) is w
    w32 = V.check_sample_weight(w, 5, np.float32)
    assert w32.dtype == np.float32
    strided = np.arange(1.0, 11.0)[::2]
    out = V.check_sample_weight(strided, 5, np.float64)
    assert out.flags.c_contiguous
    np.testing.assert_array_equal(out, strided)
    out = V.check_sample_weight([1, 2, 0, 1, 1], 5, np.float64)
    np.testing.assert_array_equal(out, [1, 2, 0, 1, 1])


def test_sample_weight_shape_messages():
    with pytest.raises(ValueError, match=re.escape("sample_weight.shape == (4,), expected (5,)!")):
        V.check_sample_weight(np.ones(4), 5, np.float64)
    with pytest.raises(ValueError,
                       match="Sample weights must be 1D array or scalar, got 2D array"):
        V.check_sample_weight(np.ones((5, 1)), 5, np.float64)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_sample_weight_non_finite(bad):
    w = np.ones(5)
    w[1] = bad
    with pytest.raises(ValueError, match=r"^Input sample_weight contains NaN or infinity\.$"):
        V.check_sample_weight(w, 5, np.float64)
    with pytest.raises(ValueError, match=r"^Input sample_weight contains NaN or infinity\.$"):
        V.check_sample_weight(bad, 5, np.float64)


def test_sample_weight_negative_and_all_zero():
    with pytest.raises(ValueError, match=re.escape(
            "Negative values in data passed to `sample_weight`")):
        V.check_sample_weight(np.array([1.0, -1.0, 1.0]), 3, np.float64)
    with pytest.raises(ValueError, match=re.escape(
            "Negative values in data passed to `sample_weight`")):
        V.check_sample_weight(-1.0, 3, np.float64)
    # scikit-learn's check_all_zero_sample_weights_error matches "weight.*zero"
    for zeros in (np.zeros(3), 0.0):
        with pytest.raises(ValueError,
                           match=r"^Sample weights must contain at least one non-zero"):
            V.check_sample_weight(zeros, 3, np.float64)


def test_sample_weight_bad_types():
    with pytest.raises(TypeError, match="Sparse data was passed for sample_weight"):
        V.check_sample_weight(sp.csr_matrix(np.ones((1, 3))), 3, np.float64)
    with pytest.raises(ValueError, match="Complex data not supported"):
        V.check_sample_weight(np.ones(3) * 1j, 3, np.float64)
    with pytest.raises(ValueError, match="Complex data not supported"):
        V.check_sample_weight(1j, 3, np.float64)
    with pytest.raises(ValueError, match="Input sample_weight"):
        V.check_sample_weight(np.array(["a", "b", "c"]), 3, np.float64)


# ------------------------------------------------------------------------------------------ alpha
def test_alpha_scalar_broadcast():
    for value in (1.0, 2, np.float32(0.5), np.int64(3), 0.0):
        out = V.check_alpha(value, 3)
        assert out.dtype == np.float64 and out.shape == (3,)
        np.testing.assert_array_equal(out, float(value))


def test_alpha_array():
    a = np.array([1.0, 2.0])
    out = V.check_alpha(a, 2)
    np.testing.assert_array_equal(out, a)
    assert not np.shares_memory(out, a)
    np.testing.assert_array_equal(V.check_alpha([3], 4), [3, 3, 3, 3])
    np.testing.assert_array_equal(V.check_alpha((1, 2, 3), 3), [1, 2, 3])


def test_alpha_length_mismatch():
    with pytest.raises(ValueError, match=re.escape(
            "Number of targets and number of penalties do not correspond: 3 != 2")):
        V.check_alpha([1.0, 2.0, 3.0], 2)


@pytest.mark.parametrize("bad", [-1.0, -1, np.nan, np.inf, [1.0, -2.0], [1.0, np.nan]])
def test_alpha_bad_values(bad):
    n = len(bad) if isinstance(bad, list) else 1
    with pytest.raises(ValueError, match="^alpha must be finite and >= 0"):
        V.check_alpha(bad, n)


@pytest.mark.parametrize("bad", ["1.0", None, True, np.bool_(False), 1j, [1.0, "a"],
                                 {"a": 1}, [None]])
def test_alpha_bad_types(bad):
    with pytest.raises(TypeError, match="^alpha must be"):
        V.check_alpha(bad, 1)


def test_alpha_2d():
    with pytest.raises(ValueError, match="alpha must be a scalar or a 1D array"):
        V.check_alpha(np.ones((2, 1)), 2)


# ---------------------------------------------------------------------------------------- penalty
def test_penalty_factor():
    assert V.check_penalty_factor(None, 3) is None
    pf = np.array([0.0, 1.0, 2.0])
    out = V.check_penalty_factor(pf, 3)
    np.testing.assert_array_equal(out, pf)
    assert out.dtype == np.float64 and not np.shares_memory(out, pf)
    np.testing.assert_array_equal(V.check_penalty_factor([1, 0, 1], 3), [1, 0, 1])
    np.testing.assert_array_equal(V.check_penalty_factor(np.zeros(2), 2), [0, 0])


@pytest.mark.parametrize("bad, match", [
    ([1.0, 2.0], "penalty_factor has 2 elements, but X has 3 features"),
    ([1.0, -1.0, 1.0], "Negative values in data passed to `penalty_factor`"),
    ([1.0, np.nan, 1.0], "penalty_factor must be finite"),
    ([1.0, np.inf, 1.0], "penalty_factor must be finite"),
    (1.0, "penalty_factor must be a 1D array of length n_features=3, got a scalar"),
    (np.ones((3, 1)), "penalty_factor must be a 1D array"),
])
def test_penalty_factor_bad_values(bad, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        V.check_penalty_factor(bad, 3)


def test_penalty_factor_bad_types():
    with pytest.raises(TypeError, match="^penalty_factor must be"):
        V.check_penalty_factor(["a", "b", "c"], 3)
    with pytest.raises(TypeError, match="^penalty_factor must be"):
        V.check_penalty_factor([1j, 1, 1], 3)


# ----------------------------------------------------------------------------------------- params
GOOD = dict(solver="auto", tol=1e-6, max_iter=None, fit_intercept=True, standardize=False,
            positive=False, warm_start=False, copy_X=True)


def _params(**changes):
    return {**GOOD, **changes}


def test_params_good():
    assert V.check_params(**GOOD) is None
    for solver in ("auto", "cd", "cg", "cholesky", "svd"):
        V.check_params(**_params(solver=solver))
    V.check_params(**_params(tol=0, max_iter=np.int64(5), fit_intercept=np.bool_(False)))
    V.check_params(**_params(positive=True, solver="cd"))
    V.check_params(**_params(positive=True, solver="auto"))
    V.check_params()  # RidgeCV/RidgeEM may leave parameters out


def test_params_solver():
    with pytest.raises(ValueError, match=re.escape(
            "The 'solver' parameter of Ridge must be a str among {'auto', 'cd', 'cg', "
            "'cholesky', 'svd'} or one of scikit-learn's names {'sparse_cg', 'lsqr', 'sag', "
            "'saga', 'lbfgs'}. Got 'bogus' instead.")):
        V.check_params(**_params(solver="bogus"))
    with pytest.raises(ValueError, match="'solver' parameter of RidgeCV must be a str among "
                                         r"\{'auto', 'svd'\}"):
        V.check_params(**_params(solver="cd"), valid_solvers=("auto", "svd"),
                       estimator_name="RidgeCV")
    with pytest.raises(ValueError, match="'solver' parameter"):
        V.check_params(**_params(solver=None))


@pytest.mark.parametrize("tol, err", [(-1e-3, ValueError), (np.nan, ValueError),
                                      (np.inf, ValueError), ("a", TypeError), (None, TypeError),
                                      (True, TypeError)])
def test_params_tol(tol, err):
    with pytest.raises(err, match="The 'tol' parameter of Ridge must be a float in the range"):
        V.check_params(**_params(tol=tol))


@pytest.mark.parametrize("max_iter, err", [(0, ValueError), (-3, ValueError), (1.5, TypeError),
                                           (100.0, TypeError), (True, TypeError),
                                           ("10", TypeError)])
def test_params_max_iter(max_iter, err):
    with pytest.raises(err, match="The 'max_iter' parameter of Ridge must be an int"):
        V.check_params(**_params(max_iter=max_iter))


@pytest.mark.parametrize("name", ["fit_intercept", "standardize", "positive", "warm_start",
                                  "copy_X"])
@pytest.mark.parametrize("value", [1, 0, "yes", None, 1.0])
def test_params_booleans(name, value):
    with pytest.raises(TypeError, match=f"The '{name}' parameter of Ridge must be an instance "
                                        "of 'bool'"):
        V.check_params(**_params(**{name: value}))


@pytest.mark.parametrize("solver", ["cg", "cholesky", "svd", "sparse_cg", "lsqr", "sag", "saga"])
def test_params_positive_needs_cd(solver):
    # scikit-learn's wording ("does not support positive fitting"), which its tests match
    with pytest.raises(ValueError, match=re.escape(
            f"solver='{solver}' does not support positive fitting (positive=True).")):
        V.check_params(**_params(solver=solver, positive=True))


# ------------------------------------------------------------------------------------------ names
class FakeFrame:
    """A duck-typed table (like polars): columns and shape, no pandas."""

    def __init__(self, columns, data):
        self.columns = columns
        self._data = np.asarray(data, dtype=float)
        self.shape = self._data.shape

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)


class Est:
    pass


def test_get_feature_names_duck_typed():
    names = V.get_feature_names(FakeFrame(["a", "b"], np.ones((2, 2))))
    assert names.dtype == object
    assert list(names) == ["a", "b"]
    assert V.get_feature_names(FakeFrame([0, 1], np.ones((2, 2)))) is None
    assert V.get_feature_names(X64) is None
    assert V.get_feature_names([[1, 2]]) is None


def test_get_feature_names_pandas():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(np.ones((2, 3)), columns=["x", "y", "z"])
    np.testing.assert_array_equal(V.get_feature_names(df), np.array(["x", "y", "z"], dtype=object))
    assert V.get_feature_names(pd.DataFrame(np.ones((2, 2)))) is None  # RangeIndex
    mi = pd.MultiIndex.from_tuples([("a", "b"), ("a", "c")])
    assert V.get_feature_names(pd.DataFrame(np.ones((2, 2)), columns=mi)) is None
    mixed = pd.DataFrame(np.ones((2, 2)), columns=["a", 1])
    with pytest.raises(TypeError, match=re.escape(
            "Feature names are only supported if all input features have string names, but your "
            "input has ['int', 'str'] as feature name / column name types.")):
        V.get_feature_names(mixed)
    assert V.get_feature_names(pd.Series([1.0, 2.0], name="s")) is None


def test_check_n_features():
    est = Est()
    V.check_n_features(est, np.ones((2, 3)), reset=False)  # not fitted: skipped
    V.check_n_features(est, np.ones((2, 4)), reset=True)
    assert est.n_features_in_ == 4
    V.check_n_features(est, np.ones((5, 4)), reset=False)
    with pytest.raises(ValueError, match=re.escape(
            "X has 3 features, but Est is expecting 4 features as input.")):
        V.check_n_features(est, np.ones((2, 3)), reset=False)


def test_check_feature_names_flow():
    est = Est()
    fitted = FakeFrame(["a", "b", "c"], np.ones((2, 3)))
    V.check_feature_names(est, fitted, reset=True)
    assert list(est.feature_names_in_) == ["a", "b", "c"]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        V.check_feature_names(est, FakeFrame(["a", "b", "c"], np.ones((1, 3))), reset=False)

    with pytest.warns(UserWarning, match="^X does not have valid feature names, but Est was "
                                         "fitted with feature names$"):
        V.check_feature_names(est, np.ones((2, 3)), reset=False)

    with pytest.raises(ValueError) as info:
        V.check_feature_names(est, FakeFrame(["a", "b", "d"], np.ones((1, 3))), reset=False)
    assert str(info.value) == (
        "The feature names should match those that were passed during fit.\n"
        "Feature names unseen at fit time:\n- d\n"
        "Feature names seen at fit time, yet now missing:\n- c\n")

    with pytest.raises(ValueError, match="Feature names must be in the same order as they were "
                                         "in fit."):
        V.check_feature_names(est, FakeFrame(["c", "b", "a"], np.ones((1, 3))), reset=False)

    with pytest.raises(ValueError, match="Feature names seen at fit time, yet now missing:\n- c"):
        V.check_feature_names(est, FakeFrame(["a", "b"], np.ones((1, 2))), reset=False)

    # refit without names forgets them, and then names at predict time warn
    V.check_feature_names(est, np.ones((2, 3)), reset=True)
    assert not hasattr(est, "feature_names_in_")
    with pytest.warns(UserWarning, match="^X has feature names, but Est was fitted without "
                                         "feature names$"):
        V.check_feature_names(est, fitted, reset=False)


def test_many_unseen_names_are_elided():
    est = Est()
    V.check_feature_names(est, FakeFrame(list("abcdefg"), np.ones((1, 7))), reset=True)
    with pytest.raises(ValueError) as info:
        V.check_feature_names(est, FakeFrame(list("hijklmn"), np.ones((1, 7))), reset=False)
    assert "- l\n- ...\n" in str(info.value)


def test_validate_data():
    est = Est()
    frame = FakeFrame(["a", "b", "c"], X64)
    X, y = V.validate_data(est, frame, Y64, reset=True)
    assert est.n_features_in_ == 3 and list(est.feature_names_in_) == ["a", "b", "c"]
    np.testing.assert_array_equal(X, X64)
    Xp = V.validate_data(est, frame, reset=False)
    np.testing.assert_array_equal(Xp, X64)
    with pytest.raises(ValueError, match="X has 2 features, but Est is expecting 3 features"):
        with pytest.warns(UserWarning, match="X does not have valid feature names"):
            V.validate_data(est, X64[:, :2], reset=False)
    with pytest.raises(ValueError, match="Est requires y to be passed"):
        V.validate_data(Est(), X64, reset=True)


# --------------------------------------------------------------------------------------- property
@st.composite
def _design(draw):
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6))
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int32]))
    if dtype is np.int32:
        elements = st.integers(-1000, 1000)
    else:
        elements = st.floats(width=32) | st.floats(allow_nan=False, allow_infinity=False,
                                                   width=32)
    return draw(hnp.arrays(dtype=dtype, shape=shape, elements=elements))


@settings(derandomize=True, max_examples=80, deadline=None)
@given(X=_design(), order=st.sampled_from(["C", "F"]), readonly=st.booleans())
def test_property_inputs_never_modified(X, order, readonly):
    X = np.asarray(X, order=order)
    y = np.arange(X.shape[0], dtype=np.float64)
    if readonly:
        X.flags.writeable = False
        y.flags.writeable = False
    X_before, y_before = X.copy(), y.copy()
    finite = bool(np.isfinite(X).all())
    try:
        Xo, yo = V.check_X_y(X, y)
    except ValueError as exc:
        assert not finite
        assert str(exc) == "Input X contains NaN or infinity."
    else:
        assert finite
        expected = np.float32 if X.dtype == np.float32 else np.float64
        assert Xo.dtype == expected and yo.dtype == expected
        np.testing.assert_array_equal(Xo, X.astype(expected))
        if X.dtype == expected:
            assert Xo is X
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


# ------------------------------------------------------------------------ dates, times, durations
def _temporal_frames(pd):
    """Tables whose datetime-like column pandas itself would turn into unit-dependent numbers."""
    n = 6
    a = np.linspace(0.0, 1.0, n)
    days = pd.date_range("2021-03-01", periods=n, freq="D")
    return {
        "datetime64[ns]": pd.DataFrame({"a": a, "when": days}),
        "datetime64[s]": pd.DataFrame({"a": a, "when": days.astype("datetime64[s]")}),
        "tz-aware": pd.DataFrame({"a": a, "when": days.tz_localize("UTC")}),
        "timedelta": pd.DataFrame({"a": a, "when": pd.to_timedelta(np.arange(n), unit="s")}),
        "categorical of dates": pd.DataFrame({"a": a, "when": pd.Categorical(days)}),
        "only dates": pd.DataFrame({"when": days}),
    }


@pytest.mark.parametrize("case", ["datetime64[ns]", "datetime64[s]", "tz-aware", "timedelta",
                                  "categorical of dates", "only dates"])
def test_datetime_columns_of_a_dataframe_are_refused_naming_the_column(case):
    """pandas converts a datetime column to nanoseconds, microseconds or seconds since 1970 by
    its unit (scikit-learn refuses such a table): refused, naming X and the column, and a fitted
    estimator is left as it was."""
    pd = pytest.importorskip("pandas")
    from fastridge import Ridge

    df = _temporal_frames(pd)[case]
    y = np.arange(df.shape[0], dtype=float)
    est = Ridge().fit(np.arange(12.0).reshape(6, 2) ** 1.5, y)
    before = est.coef_.copy()
    with pytest.raises(TypeError, match=r"Input X has datetime or timedelta column\(s\) 'when'"):
        est.fit(df, y)
    np.testing.assert_array_equal(est.coef_, before)


def test_datetime_y_and_sample_weight_are_refused():
    pd = pytest.importorskip("pandas")
    from fastridge import Ridge

    X = np.arange(12.0).reshape(6, 2) ** 1.5
    days = pd.Series(pd.date_range("2021-03-01", periods=6, freq="D"))
    with pytest.raises(TypeError, match="Input y has dtype datetime64"):
        Ridge().fit(X, days)
    with pytest.raises(TypeError, match="Input y has dtype category"):
        Ridge().fit(X, days.astype("category"))
    durations = pd.Series(pd.to_timedelta(np.arange(1, 7), unit="s"))
    with pytest.raises(TypeError, match="Input sample_weight has dtype timedelta64"):
        Ridge().fit(X, np.arange(6.0), sample_weight=durations)
    with pytest.raises(TypeError, match="Input sample_weight has dtype timedelta64"):
        Ridge().fit(X, np.arange(6.0), sample_weight=durations.to_numpy())


def test_numpy_datetime_objects_are_refused():
    """numpy converts datetime64/timedelta64 objects in an object array to a count of their
    own unit (days here) without a word."""
    X = np.empty((4, 2), dtype=object)
    X[:, 0] = [1.0, 2.0, 3.0, 5.0]
    X[:, 1] = [np.datetime64("2021-03-01") + i for i in range(4)]
    with pytest.raises(TypeError, match="Input X holds datetime64 or timedelta64 objects"):
        V.check_array(X)
    X[:, 1] = [np.timedelta64(i, "ms") for i in range(4)]
    with pytest.raises(TypeError, match="Input X holds datetime64 or timedelta64 objects"):
        V.check_array(X)


def test_pandas_nullable_categorical_and_object_columns():
    """Numbers in pandas' nullable, boolean, categorical and object columns are those numbers
    (as scikit-learn reads them); a missing value is a NaN; labels are refused naming X."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "int": pd.array([1, 2, 3, 4], dtype="Int64"),
        "bool": pd.array([True, False, True, True], dtype="boolean"),
        "cat": pd.Categorical([2.5, 1.0, 2.5, 7.0]),
        "obj": np.array([1, 2.5, 3, 4], dtype=object),
    })
    expected = [[1, 1, 2.5, 1], [2, 0, 1, 2.5], [3, 1, 2.5, 3], [4, 1, 7, 4]]
    np.testing.assert_array_equal(V.check_array(frame), expected)
    try:
        from sklearn.utils import check_array as sk_check_array
    except ImportError:
        pass
    else:
        np.testing.assert_array_equal(sk_check_array(frame, dtype=np.float64), expected)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        V.check_array(frame.assign(int=pd.array([1, None, 3, 4], dtype="Int64")))
    with pytest.raises(ValueError, match="Input X could not be converted"):
        V.check_array(frame.assign(cat=pd.Categorical(["a", "b", "a", "c"])))


@pytest.mark.parametrize("make", [
    lambda: (2 ** 62 + np.arange(30)).astype(np.int64),           # ids, nanosecond timestamps
    lambda: (-np.arange(1, 31)).astype(np.uint64),                 # a uint64 wrap of -1 .. -30
    lambda: -(2 ** 60) - np.arange(30, dtype=np.int64),
])
def test_integers_beyond_float64s_exact_range_warn(make):
    """64-bit integers beyond 2**53 round in float64, and integers closer than the rounding
    become equal: the column turns constant (coefficient 0). Silent before; now a
    DataConversionWarning naming X, at the caller's line."""
    from fastridge import Ridge
    from fastridge.exceptions import DataConversionWarning

    col = make()
    # the oracle: float64 rounds these distinct integers onto fewer values
    assert np.unique(col).size == 30 and np.unique(col.astype(np.float64)).size < 30
    X = np.column_stack([col, (np.arange(30) % 7).astype(col.dtype)])  # stays integer
    y = np.random.default_rng(0).standard_normal(30)
    with pytest.warns(DataConversionWarning, match=r"Input X has integers beyond 2\*\*53") as rec:
        Ridge().fit(X, y)
    assert {w.filename for w in rec} == {__file__}


def test_integers_within_float64s_exact_range_do_not_warn():
    import warnings

    from fastridge import Ridge

    X = np.array([[2 ** 53, 1], [-(2 ** 53), 2], [0, 5], [7, 3]], dtype=np.int64)
    assert (X.astype(np.float64).astype(np.int64) == X).all()  # exactly representable
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Ridge().fit(X, np.arange(4.0))
