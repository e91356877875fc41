"""Fit time, peak memory and iteration counts of ``fastridge.Ridge`` for every solver.

Each class is parametrized over solver x container x dtype x shape. The data are made in
``setup`` from a fixed seed, so every run and every commit sees the same problem:

- dense: standard normal X (well conditioned), F-ordered as the kernels read it;
- csr: a random ``scipy.sparse.csr_array`` with standard normal non-zeros;
- y = X w + noise with a fixed w, one target, ``fit_intercept=True`` (the default, so the
  sparse cases exercise the implicit centring).

The iterative solvers stop at ``tol`` = 1e-6 for float64 and 1e-4 for float32 (a relative
gradient norm of 1e-6 is below what float32 arithmetic resolves on these sizes).
``track_n_iter`` records the iteration count, which catches convergence regressions that a
timing on a noisy machine would miss.
"""
import warnings

import numpy as np

SOLVERS = ("cholesky", "svd", "cd", "cg")
ITERATIVE = ("cd", "cg")
CONTAINERS = ("dense", "csr")
DTYPES = ("float32", "float64")
SHAPES = ("small", "large")

# (n_samples, n_features, density of the sparse container)
SIZES = {
    ("dense", "small"): (1_000, 50, None),
    ("dense", "large"): (10_000, 200, None),
    ("csr", "small"): (2_000, 200, 0.01),
    ("csr", "large"): (20_000, 2_000, 0.005),
}

# Combinations a solver is not meant for: an SVD of a large sparse matrix needs it dense.
UNSUPPORTED = {("svd", "csr", "large")}

ALPHA = 1.0
TOL = {"float32": 1e-4, "float64": 1e-6}
MAX_ITER = 1_000
SEED = 0
WARMUP_ROWS = 50


def make_problem(container, dtype, shape):
    """Return (X, y) for one benchmark case, the same on every call."""
    n, p, density = SIZES[container, shape]
    rng = np.random.default_rng(SEED)
    if container == "dense":
        X = rng.standard_normal((n, p))
    else:
        import scipy.sparse as sp

        X = sp.csr_array(sp.random(n, p, density=density, format="csr", dtype=np.float64,
                                   random_state=rng, data_rvs=rng.standard_normal))
    y = X @ rng.standard_normal(p) + 0.5 * rng.standard_normal(n) + 3.0
    if container == "dense":
        X = np.asfortranarray(X, dtype=dtype)
    else:
        X = X.astype(dtype)
    return X, y.astype(dtype)


class _RidgeFit:
    params = (SOLVERS, CONTAINERS, DTYPES, SHAPES)
    param_names = ("solver", "container", "dtype", "shape")

    def setup(self, solver, container, dtype, shape):
        if (solver, container, shape) in UNSUPPORTED:
            raise NotImplementedError(f"{solver} on {shape} {container} data is not benchmarked")
        from fastridge import Ridge

        self.X, self.y = make_problem(container, dtype, shape)
        self.model = Ridge(alpha=ALPHA, solver=solver, tol=TOL[dtype], max_iter=MAX_ITER)
        # SciPy and the compiled kernels load on the first fit: pay that here, on a few rows,
        # so that the measured fit (the only one under --quick) times the solver alone.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Ridge(alpha=ALPHA, solver=solver, tol=TOL[dtype], max_iter=MAX_ITER).fit(
                self.X[:WARMUP_ROWS], self.y[:WARMUP_ROWS])

    def fit(self):
        return self.model.fit(self.X, self.y)


class RidgeFitTime(_RidgeFit):
    """Wall time of one cold ``Ridge.fit``."""

    def time_fit(self, solver, container, dtype, shape):
        self.fit()


class RidgeFitMemory(_RidgeFit):
    """Peak resident memory of the process around one ``Ridge.fit`` (data included)."""

    def peakmem_fit(self, solver, container, dtype, shape):
        self.fit()


class RidgeIterations(_RidgeFit):
    """Iterations the iterative solvers need to reach ``tol`` from a cold start."""

    def setup(self, solver, container, dtype, shape):
        if solver not in ITERATIVE:
            raise NotImplementedError(f"{solver} is a direct solver: it has no iterations")
        super().setup(solver, container, dtype, shape)

    def track_n_iter(self, solver, container, dtype, shape):
        return int(np.max(self.fit().n_iter_))

    track_n_iter.unit = "iterations"


class DenseLayout:
    """`auto` on dense X in either memory order, tall (the one-pass Gram) and wide (the kernel
    form): numpy arrays are C-ordered by default, and each kernel reads X in X's own order
    rather than copying it.  Peak memory shows that no copy of X is made (X is 16 MB here)."""
    params = (("C", "F"), ("tall", "wide"))
    param_names = ("order", "shape")

    def setup(self, order, shape):
        n, p = (20_000, 100) if shape == "tall" else (400, 5_000)
        rng = np.random.default_rng(SEED)
        X = rng.standard_normal((n, p)) + rng.uniform(-2, 2, p)
        self.y = X[:, :20] @ rng.standard_normal(20) + rng.standard_normal(n)
        self.X = np.asarray(X, order=order)

    def time_fit(self, order, shape):
        from fastridge import Ridge

        Ridge(alpha=ALPHA).fit(self.X, self.y)

    def peakmem_fit(self, order, shape):
        from fastridge import Ridge

        Ridge(alpha=ALPHA).fit(self.X, self.y)


class ManyTargets:
    """50 targets on 20,000 × 100, C- or F-ordered Y: the targets go through the Gram's pass
    without a centred copy."""
    params = (("C", "F"),)
    param_names = ("y_order",)

    def setup(self, y_order):
        rng = np.random.default_rng(SEED)
        self.X = rng.standard_normal((20_000, 100))
        Y = self.X @ rng.standard_normal((100, 50)) + rng.standard_normal((20_000, 50))
        self.Y = np.asarray(Y, order=y_order)

    def time_fit(self, y_order):
        from fastridge import Ridge

        Ridge(alpha=ALPHA).fit(self.X, self.Y)
