"""Shared test data and float64 oracles (closed forms computed independently of fastridge)."""
import numpy as np
import pytest

SOLVERS = ("cholesky", "svd", "cd", "cg")


def make_data(n=60, p=8, k=None, *, cond=10.0, offset=3.0, noise=0.1, seed=0):
    """Well-conditioned X with a chosen spectrum (singular values from 1 to 1/cond of the centred
    design), column means `offset`·j, and y = Xβ + β₀ + noise.  k targets when k is not None."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((n, min(n, p))))
    U -= U.mean(axis=0)
    Vt, _ = np.linalg.qr(rng.standard_normal((p, p)))
    s = np.geomspace(1.0, 1.0 / cond, min(n, p)) * np.sqrt(n)
    X = (U * s) @ Vt[: min(n, p)] + offset * np.arange(1, p + 1)
    kk = 1 if k is None else k
    beta = rng.standard_normal((p, kk))
    Y = X @ beta + rng.standard_normal(kk) + noise * rng.standard_normal((n, kk))
    return X, (Y[:, 0] if k is None else Y)


def ridge_oracle(X, y, alpha, *, sample_weight=None, fit_intercept=True, standardize=False,
                 penalty_factor=None):
    """Closed-form weighted ridge in float64: explicit centring and scaling, then solve."""
    X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    Y = y[:, None] if y.ndim == 1 else y
    n, p = X.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    v = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=np.float64)
    alphas = np.broadcast_to(np.asarray(alpha, dtype=np.float64), (Y.shape[1],))
    if fit_intercept:
        xm = w @ X / w.sum()
        ym = w @ Y / w.sum()
    else:
        xm = np.zeros(p)
        ym = np.zeros(Y.shape[1])
    Xc, Yc = X - xm, Y - ym
    scale = np.sqrt(w @ (Xc * Xc) / w.sum()) if standardize else np.ones(p)
    Z = Xc / scale
    coef = np.empty((Y.shape[1], p))
    for t, a in enumerate(alphas):
        b = np.linalg.solve(Z.T @ (w[:, None] * Z) + a * np.diag(v), Z.T @ (w * Yc[:, t]))
        coef[t] = b / scale
    intercept = ym - coef @ xm
    if y.ndim == 1:
        return coef[0], intercept[0]
    return coef, intercept


def containers():
    """(name, converter) for every input kind the estimator takes."""
    out = [("dense_C", np.ascontiguousarray), ("dense_F", np.asfortranarray)]
    try:
        import scipy.sparse as sp
    except ImportError:  # pragma: no cover
        return out
    for fmt in ("csr", "csc", "coo"):
        out.append((f"{fmt}_matrix", getattr(sp, f"{fmt}_matrix")))
        out.append((f"{fmt}_array", getattr(sp, f"{fmt}_array")))
    return out


CONTAINERS = containers()


@pytest.fixture(params=CONTAINERS, ids=[c[0] for c in CONTAINERS])
def container(request):
    return request.param[1]


def rtol_for(dtype):
    return 2e-4 if np.dtype(dtype) == np.float32 else 1e-7
