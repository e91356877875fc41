"""Fuzzing the input boundary (API.md "Errors and warnings"): arbitrary objects, shapes and dtypes
for X, y and sample_weight, non-finite and extreme values everywhere, and bad types for every
constructor parameter of Ridge, ridge_path, RidgeCV and RidgeEM.

Every outcome must be either a fit with finite coefficients or a ValueError/TypeError whose
message names the argument (or uses scikit-learn's wording for it) — never another exception
type, a crash, a hang or a NaN coefficient.  Hand-made sparse matrices that would make the
compiled kernels read or write out of bounds are run in a subprocess, so that a segfault is
reported as a failure rather than taking the test run down.
"""
import contextlib
import importlib.util
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import warnings

import numpy as np
import pytest
from hypothesis import event, given, note, settings, strategies as st
from hypothesis.extra import numpy as hnp

from conftest import examples
from fastridge import Ridge, RidgeCV, RidgeEM, ridge_path

sp = pytest.importorskip("scipy.sparse")
HAS_PANDAS = importlib.util.find_spec("pandas") is not None  # optional: DataFrames if present

# scikit-learn's wordings that describe a problem with an array without naming it
SAMPLES = ("inconsistent numbers of samples", "number of samples", "samples with positive weight")
GENERIC = {
    "X": ("Expected 2D array", "Found array with", "Complex data not supported",
          "Reshape your data") + SAMPLES,
    "y": ("Found array with", "Complex data not supported") + SAMPLES,
    "sample_weight": ("Sample weights",) + SAMPLES,
    "alpha": ("Number of targets and number of penalties do not correspond",),
}


HANG_SECONDS = 120  # far beyond any fit here (milliseconds): only a hang gets there


@contextlib.contextmanager
def hang_guard():
    """Turn a call that never returns into a TimeoutError (SIGALRM, main thread on POSIX; the
    kernels check for signals between sweeps)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    fired = []

    def alarm(signum, frame):
        fired.append(True)
        raise TimeoutError(f"a call did not return within {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    except KeyboardInterrupt:  # how an interrupted kernel stops: not the user's Ctrl-C here
        if fired:
            raise TimeoutError(f"a call did not return within {HANG_SECONDS} s") from None
        raise
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def expect_clean_outcome(call, names, finite=True):
    """Run `call()`; it must return an object with finite coefficients, or raise ValueError or
    TypeError whose message names one of `names` (or uses scikit-learn's wording for it).
    Warnings are allowed, except numpy's RuntimeWarnings (unguarded overflow or NaN)."""
    with warnings.catch_warnings(record=True) as rec, hang_guard():
        warnings.simplefilter("always")
        try:
            out = call()
        except (ValueError, TypeError) as exc:
            message = str(exc)
            note(f"{type(exc).__name__}: {message[:300]}")
            event(f"outcome: {type(exc).__name__}")
            ok = any(re.search(rf"\b{name}\b", message) for name in names) or any(
                phrase in message for name in names for phrase in GENERIC.get(name, ()))
            assert ok, f"the message does not name {names}: {message[:300]!r}"
            return None
    event("outcome: fitted")
    runtime = [str(r.message) for r in rec if issubclass(r.category, RuntimeWarning)]
    assert not runtime, runtime
    if isinstance(out, np.ndarray):  # predictions
        values = [out]
    elif hasattr(out, "coef_"):
        values = [out.coef_, out.intercept_]
    else:  # a RidgePath
        values = [out.coef, out.intercept]
    for v in values:
        assert np.asarray(v).dtype in (np.float32, np.float64)
        assert not finite or np.all(np.isfinite(v)), "a non-finite coefficient or prediction"
    return out


# ---------------------------------------------------------------------------------- strategies
ODD_SCALARS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.none(), st.booleans(), st.text(max_size=3), st.binary(max_size=2),
    st.complex_numbers(max_magnitude=10),
    st.fractions(max_denominator=7),
    st.decimals(allow_nan=True, allow_infinity=True, places=2),
    st.sampled_from([np.float16(3), np.longdouble(1.5), np.uint64(2**64 - 1),
                     np.datetime64(3, "s"), np.timedelta64(2, "ms"), {}, (), [1.0], object()]),
)
FINITE_VALUES = st.one_of(
    st.floats(-1e3, 1e3), st.floats(-1e3, 1e3),
    st.sampled_from([0.0, -0.0, 1e300, -1e300, 1e-300, 5e-324, 1e20, 1e-20, 3e38, 1e150]),
)
FLOAT_VALUES = st.one_of(FINITE_VALUES, st.sampled_from([np.nan, np.inf, -np.inf]))
DTYPES = [np.float64, np.float32, np.float16, np.longdouble, np.int8, np.int64, np.uint64,
          np.bool_, np.complex128, object, "U3", "S3", "datetime64[s]", "timedelta64[ms]"]


def _elements(dtype, finite=False):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        top = float(np.finfo(dtype).max)
        beyond = top if finite else np.inf  # finite values beyond the dtype: its max, or inf

        def cast(v):
            return dtype.type(v if abs(v) <= top or not np.isfinite(v)
                              else np.copysign(beyond, v))
        return (FINITE_VALUES if finite else FLOAT_VALUES).map(cast)
    if dtype.kind == "O":
        return st.one_of(FLOAT_VALUES, ODD_SCALARS)
    if dtype.kind == "c":
        return st.complex_numbers(max_magnitude=1e3)
    return None  # hypothesis' own elements for the dtype


@st.composite
def arrays(draw, n=None, ndim=None):
    """An ndarray of any dtype above, usually of a usable shape (n rows, 1 or 2 dims)."""
    dtype = draw(st.sampled_from(DTYPES))
    if ndim is None:
        ndim = draw(st.sampled_from([2, 2, 2, 1, 0, 3]))
    if n is None or ndim == 0:
        shape = draw(hnp.array_shapes(min_dims=ndim, max_dims=ndim, min_side=0, max_side=6))
    else:
        rest = draw(hnp.array_shapes(min_dims=ndim - 1, max_dims=ndim - 1, min_side=0,
                                     max_side=4)) if ndim > 1 else ()
        shape = (draw(st.sampled_from([n, n, n, max(n - 1, 0), n + 1])),) + rest
    elements = _elements(dtype)
    kw = {} if elements is None else {"elements": elements}
    return draw(hnp.arrays(dtype=dtype, shape=shape, **kw))


@st.composite
def design_matrices(draw):
    """X: an array of any dtype and shape, a nested list, a sparse matrix of any format and
    dtype, a DataFrame, or some other object."""
    kind = draw(st.sampled_from(["array", "array", "float", "float", "float", "float",
                                 "float", "list", "sparse", "sparse", "other"]
                                + ["frame"] * HAS_PANDAS))
    if kind == "float":  # mostly finite floats: the path deep into the solvers
        n, p = draw(st.integers(1, 7)), draw(st.integers(1, 5))
        dtype = draw(st.sampled_from([np.float64, np.float32]))
        finite = draw(st.sampled_from([True, True, False]))
        return draw(hnp.arrays(dtype=dtype, shape=(n, p), elements=_elements(dtype, finite)))
    if kind == "array":
        return draw(arrays())
    if kind == "list":
        n, p = draw(st.integers(0, 4)), draw(st.integers(0, 3))
        return draw(st.lists(st.lists(st.one_of(FLOAT_VALUES, ODD_SCALARS), min_size=p,
                                      max_size=p + draw(st.integers(0, 1))),
                             min_size=n, max_size=n))
    if kind == "sparse":
        dtype = draw(st.sampled_from([np.float64, np.float32, np.int64, np.bool_,
                                      np.complex128, np.uint8]))
        n, p = draw(st.integers(0, 6)), draw(st.integers(0, 4))
        elements = _elements(dtype)
        dense = draw(hnp.arrays(dtype=dtype, shape=(n, p),
                                elements=hnp.from_dtype(np.dtype(dtype)) if elements is None
                                else elements))
        fmt = draw(st.sampled_from(["csr", "csc", "coo", "lil", "dok", "bsr", "dia"]))
        cls = getattr(sp, f"{fmt}_{draw(st.sampled_from(['matrix', 'array']))}")
        try:
            return cls(dense)
        except (ValueError, TypeError):  # a dtype SciPy itself refuses
            return sp.csr_array((n, p))
    if kind == "frame":
        import pandas as pd

        n = draw(st.integers(1, 5))
        cols = {}
        for j in range(draw(st.integers(1, 3))):
            col = draw(st.sampled_from(["float", "int", "str", "nullable", "category", "bool",
                                        "object"]))
            if col == "float":
                cols[f"c{j}"] = draw(st.lists(FLOAT_VALUES, min_size=n, max_size=n))
            elif col == "int":
                cols[f"c{j}"] = pd.array(draw(st.lists(st.integers(-5, 5), min_size=n,
                                                       max_size=n)), dtype="int64")
            elif col == "str":
                cols[f"c{j}"] = draw(st.lists(st.text(max_size=2), min_size=n, max_size=n))
            elif col == "nullable":
                cols[f"c{j}"] = pd.array(draw(st.lists(st.none() | st.integers(-3, 3),
                                                       min_size=n, max_size=n)), dtype="Int64")
            elif col == "category":
                cols[f"c{j}"] = pd.Categorical(draw(st.lists(st.sampled_from("ab"),
                                                             min_size=n, max_size=n)))
            elif col == "bool":
                cols[f"c{j}"] = draw(st.lists(st.booleans(), min_size=n, max_size=n))
            else:
                cols[f"c{j}"] = draw(st.lists(ODD_SCALARS, min_size=n, max_size=n))
        frame = pd.DataFrame(cols)
        if draw(st.booleans()):
            frame.columns = list(range(frame.shape[1]))  # non-string column names
        return frame
    return draw(ODD_SCALARS)


def n_rows(X):
    try:
        return int(np.shape(X)[0]) if np.ndim(X) else None
    except Exception:
        return None


@st.composite
def targets_for(draw, X):
    """y for X: usually of matching length, of any dtype and with odd values."""
    n = n_rows(X) if not sp.issparse(X) else X.shape[0]
    kind = draw(st.sampled_from(["float", "float", "array", "list", "other"]))
    if kind == "float" and n is not None:
        shape = (n,) if draw(st.booleans()) else (n, draw(st.integers(1, 3)))
        values = draw(st.sampled_from([FINITE_VALUES, FINITE_VALUES, FLOAT_VALUES]))
        return draw(hnp.arrays(dtype=np.float64, shape=shape, elements=values))
    if kind in ("array", "float"):
        return draw(arrays(n=n, ndim=draw(st.sampled_from([1, 1, 2, 0, 3]))))
    if kind == "list" and n is not None:
        return draw(st.lists(st.one_of(FLOAT_VALUES, ODD_SCALARS), min_size=n, max_size=n))
    return draw(ODD_SCALARS)


def estimators():
    return st.one_of(
        st.builds(Ridge, alpha=st.sampled_from([0.0, 1e-8, 1.0, 1e8]),
                  solver=st.sampled_from(["auto", "cd", "cg", "cholesky", "svd"]),
                  fit_intercept=st.booleans(), standardize=st.booleans()),
        st.builds(RidgeCV, cv=st.sampled_from([None, 2]), fit_intercept=st.booleans(),
                  n_alphas=st.integers(1, 5)),
        st.builds(RidgeEM, fit_intercept=st.booleans(), standardize=st.booleans()),
        st.just("ridge_path"),
    )


def fit_call(est, X, y, sample_weight=None):
    if est == "ridge_path":
        return lambda: ridge_path(X, y, n_alphas=4, sample_weight=sample_weight)
    return lambda: est.fit(X, y, sample_weight=sample_weight)


# ------------------------------------------------------------------------------ data fuzzing
@settings(max_examples=examples(3000))
@given(data=st.data(), est=estimators())
def test_fuzz_X_and_y(data, est):
    """Any X and y: a finite fit, or an error about X or y."""
    X = data.draw(design_matrices(), label="X")
    y = data.draw(targets_for(X), label="y")
    # (α = 0 with solver="cd" is refused on rank-deficient X: a message about alpha)
    out = expect_clean_outcome(fit_call(est, X, y), ("X", "y", "alpha"))
    if out is not None:  # what was fitted predicts finite values on the same data
        pred = expect_clean_outcome(lambda: np.asarray(out.predict(X)), ("X",), finite=False)
        if pred is not None:
            check_prediction_range(out, X, pred)


def check_prediction_range(model, X, pred):
    """A prediction is finite, except a float32 one whose value lies beyond float32's range:
    the same coefficients applied in float64 (the oracle) say which values those are."""
    bad = ~np.isfinite(pred)
    if not bad.any():
        return
    assert pred.dtype == np.float32, "a non-finite float64 prediction"
    X64 = X.astype(np.float64) if hasattr(X, "tocsr") else np.asarray(X, dtype=np.float64)
    ref = np.asarray(model.predict(X64), dtype=np.float64)
    assert np.all(np.abs(ref[bad]) > np.finfo(np.float32).max * (1 - 1e-6)), \
        "a non-finite float32 prediction of a value float32 can hold"


@st.composite
def weights_for(draw, n):
    kind = draw(st.sampled_from(["float", "array", "scalar", "other"]))
    if kind == "float":
        return draw(hnp.arrays(dtype=np.float64, shape=draw(st.sampled_from([n, n, n + 1])),
                               elements=FLOAT_VALUES | st.floats(0, 1e3)))
    if kind == "array":
        return draw(arrays(n=n, ndim=draw(st.sampled_from([1, 1, 0, 2]))))
    return draw(ODD_SCALARS)


@settings(max_examples=examples(800))
@given(data=st.data(), est=estimators(), dtype=st.sampled_from([np.float64, np.float32]))
def test_fuzz_sample_weight(data, est, dtype):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    n = data.draw(st.integers(1, 8))
    X = rng.standard_normal((n, 3)).astype(dtype)
    y = rng.standard_normal(n).astype(dtype)
    w = data.draw(weights_for(n), label="sample_weight")
    expect_clean_outcome(fit_call(est, X, y, w), ("sample_weight", "alpha"))


# ---------------------------------------------------------------------- parameter fuzzing
PARAMETER_VALUES = st.one_of(
    ODD_SCALARS, FLOAT_VALUES,
    st.sampled_from([0, 1, -1, 2, 2**31, 2**63, 10**20, 0.5, 1.5, -0.5, "auto", "cd", "min",
                     "1se", "svd", "eigen", "lbfgs", "", np.array(1.0), np.array([1.0, 2.0]),
                     np.array([[1.0]]), np.ones(3), [0.1, 1.0, 10.0], [1.0, -1.0, 1.0],
                     [np.nan, 1.0, 1.0], [1.0, "a", 2.0], np.array(5), np.bool_(True)]),
    st.lists(FLOAT_VALUES, min_size=0, max_size=4),
    hnp.arrays(np.float64, st.integers(0, 4), elements=FLOAT_VALUES),
)

PARAMETERS = {
    Ridge: ["alpha", "fit_intercept", "standardize", "penalty_factor", "positive", "solver",
            "tol", "max_iter", "warm_start", "copy_X"],
    RidgeCV: ["alphas", "n_alphas", "cv", "scoring", "fit_intercept", "standardize",
              "penalty_factor", "alpha_per_target", "rule", "solver", "tol", "max_iter"],
    RidgeEM: ["fit_intercept", "standardize", "tol", "max_iter"],
    "ridge_path": ["alphas", "n_alphas", "alpha_min_ratio", "fit_intercept", "standardize",
                   "penalty_factor", "solver", "tol", "max_iter"],
}
CASES = [(owner, name) for owner, names in PARAMETERS.items() for name in names]


def _safe_value(name, value):
    """Huge counts are valid requests for huge work (n_alphas=2**31 asks for 2**31 fits): they
    are not what this test is about."""
    if name == "n_alphas" and isinstance(value, (int, np.integer)) and value > 1000:
        return 1000
    if name == "max_iter" and isinstance(value, (int, np.integer)) and value > 10**4:
        return value  # capped internally; the fits here converge long before
    return value


@settings(max_examples=examples(2000))
@given(case=st.sampled_from(CASES), data=st.data(), dtype=st.sampled_from([np.float64,
                                                                          np.float32]),
       sparse=st.booleans(), k=st.sampled_from([None, 3]))
def test_fuzz_parameters(case, data, dtype, sparse, k):
    """One parameter at a time set to anything: a fit, or an error naming that parameter."""
    owner, name = case
    value = _safe_value(name, data.draw(PARAMETER_VALUES, label=name))
    rng = np.random.default_rng(0)
    X = rng.standard_normal((9, 4)).astype(dtype)
    y = (X @ np.arange(1.0, 5.0) + rng.standard_normal(9)).astype(dtype)
    if k is not None:
        y = np.column_stack([y, -y, 2 * y])
    if sparse:
        X = sp.csr_array(X)
    label = name.rstrip("s") if name == "alphas" else name
    if owner == "ridge_path":
        call = lambda: ridge_path(X, y, **{name: value})  # noqa: E731
    else:
        est = owner(**{name: value})
        call = lambda: est.fit(X, y)  # noqa: E731
    expect_clean_outcome(call, (name, label))


# --------------------------------------------------- crash safety, in a subprocess (segfaults)
CRASH_SCRIPT = textwrap.dedent("""
    import warnings
    import numpy as np
    import scipy.sparse as sp
    from fastridge import Ridge, RidgeCV, RidgeEM, ridge_path

    rng = np.random.default_rng(0)
    y = rng.standard_normal(5)

    def base(fmt="csr"):
        return getattr(sp, f"{fmt}_matrix")(rng.standard_normal((5, 4)))

    def case(name):
        M = base("csc" if name.startswith("csc") else "coo" if name.startswith("coo")
                 else "csr")
        if name == "index_out_of_range":
            M.indices[3] = 1000
        elif name == "negative_index":
            M.indices[3] = -7
        elif name == "csc_row_out_of_range":
            M.indices[3] = 99
        elif name == "indptr_decreasing":
            M.indptr[2] = M.indptr[3] + 1
        elif name == "indptr_past_the_end":
            M.indptr[-1] = 1000
        elif name == "indptr_wrapped_int32":  # as if 2**31 stored values had overflowed
            M.indptr[3:] = np.int32(-2**31 + 5)
        elif name == "coo_column_out_of_range":
            M.col[2] = 50
        elif name == "short_data":
            M.data = M.data[:-3]
        elif name == "uint16_indices":
            M.indices = M.indices.astype(np.uint16)
            M.indptr = M.indptr.astype(np.uint16)
        elif name == "non_contiguous_data":
            M.data = np.repeat(M.data, 2)[::2]
        return M

    fits = {
        "cd": lambda X: Ridge(1.0, solver="cd").fit(X, y).coef_,
        "cg": lambda X: Ridge(1.0, solver="cg").fit(X, y).coef_,
        "cholesky": lambda X: Ridge(1.0, solver="cholesky").fit(X, y).coef_,
        "svd": lambda X: Ridge(1.0, solver="svd").fit(X, y).coef_,
        "path": lambda X: ridge_path(X, y, n_alphas=3).coef,
        "cv": lambda X: RidgeCV(alphas=[0.1, 1.0]).fit(X, y).coef_,
        "em": lambda X: RidgeEM().fit(X, y).coef_,
    }
    for name in CASES:
        for fit_name, fit in fits.items():
            try:
                X = case(name)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    coef = fit(X)
                outcome = "ok" if np.all(np.isfinite(coef)) else "NONFINITE"
            except (ValueError, TypeError) as exc:
                outcome = "named" if "X" in str(exc) else "unnamed: " + str(exc)[:80]
            except Exception as exc:
                outcome = f"{type(exc).__name__}: {str(exc)[:80]}"
            print(name, fit_name, outcome, flush=True)
""")

BAD_SPARSE = {  # case -> expected outcome: refused naming X, or fitted (converted)
    "index_out_of_range": "named", "negative_index": "named", "csc_row_out_of_range": "named",
    "indptr_decreasing": "named", "indptr_past_the_end": "named",
    "indptr_wrapped_int32": "named", "coo_column_out_of_range": "named",
    "short_data": "named", "uint16_indices": "ok", "non_contiguous_data": "ok",
}


def test_hand_made_sparse_matrices_never_crash(tmp_path):
    """Index arrays that would make the kernels (or SciPy's conversions) read and write out of
    bounds are refused with a ValueError naming X; odd but valid index types and layouts are
    converted.  In a subprocess: a segfault or heap corruption shows as a failure here."""
    script = tmp_path / "crash.py"
    script.write_text(f"CASES = {list(BAD_SPARSE)!r}\n" + CRASH_SCRIPT)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=300)
    assert proc.returncode == 0, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    lines = [ln.split(" ", 2) for ln in proc.stdout.splitlines()]
    assert len(lines) == 7 * len(BAD_SPARSE)
    for name, fit_name, outcome in lines:
        assert outcome == BAD_SPARSE[name], (name, fit_name, outcome)
