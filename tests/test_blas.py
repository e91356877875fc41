"""Each fused BLAS wrapper against numpy, in float32 and float64."""
import numpy as np
import pytest

from fastridge import _blas

DTYPES = [np.float32, np.float64]


def _rtol(dt):
    return 1e-5 if dt == np.float32 else 1e-13


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.mark.parametrize("dt", DTYPES)
def test_level1(dt, rng):
    x = rng.standard_normal(37).astype(dt)
    y = rng.standard_normal(37).astype(dt)
    np.testing.assert_allclose(_blas.py_dot(x, y), x.astype(float) @ y, rtol=_rtol(dt))
    np.testing.assert_allclose(_blas.py_nrm2(x), np.linalg.norm(x.astype(float)), rtol=_rtol(dt))
    z = y.copy()
    _blas.py_axpy(dt(0.5), x, z)
    np.testing.assert_allclose(z, y + dt(0.5) * x, rtol=_rtol(dt))
    z = x.copy()
    _blas.py_scal(dt(-3.0), z)
    np.testing.assert_allclose(z, -3.0 * x, rtol=_rtol(dt))
    z = np.zeros_like(x)
    _blas.py_copy(x, z)
    np.testing.assert_array_equal(z, x)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("trans", [False, True])
def test_gemv(dt, trans, rng):
    A = np.asfortranarray(rng.standard_normal((7, 5)).astype(dt))
    x = rng.standard_normal(7 if trans else 5).astype(dt)
    y = rng.standard_normal(5 if trans else 7).astype(dt)
    out = y.copy()
    _blas.py_gemv(trans, dt(2.0), A, x, dt(0.5), out)
    ref = 2.0 * ((A.T if trans else A).astype(float) @ x) + 0.5 * y
    np.testing.assert_allclose(out, ref, rtol=10 * _rtol(dt), atol=10 * _rtol(dt))


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("trans", [False, True])
def test_syrk_symv_gemm(dt, trans, rng):
    A = np.asfortranarray(rng.standard_normal((9, 4)).astype(dt))
    m = 4 if trans else 9
    C = np.asfortranarray(np.zeros((m, m), dtype=dt))
    _blas.py_syrk(trans, dt(1.0), A, dt(0.0), C)
    ref = A.T.astype(float) @ A if trans else A.astype(float) @ A.T
    iu = np.triu_indices(m)
    np.testing.assert_allclose(C[iu], ref[iu], rtol=10 * _rtol(dt), atol=10 * _rtol(dt))
    # symv reads only the upper triangle: poison the lower one
    S = np.asfortranarray(np.triu(ref).astype(dt) + np.tril(np.full((m, m), np.nan), -1)
                          .astype(dt))
    x = rng.standard_normal(m).astype(dt)
    y = np.zeros(m, dtype=dt)
    _blas.py_symv(dt(1.0), S, x, dt(0.0), y)
    np.testing.assert_allclose(y, ref @ x, rtol=10 * _rtol(dt), atol=10 * _rtol(dt))
    B = np.asfortranarray(rng.standard_normal((9, 3)).astype(dt))
    out = np.asfortranarray(np.zeros((4, 3), dtype=dt))
    _blas.py_gemm(True, False, dt(1.0), A, B, dt(0.0), out)
    np.testing.assert_allclose(out, A.T.astype(float) @ B, rtol=10 * _rtol(dt),
                               atol=10 * _rtol(dt))
