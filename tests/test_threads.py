"""Thread safety and the GIL: concurrent fits on one shared read-only X agree with a sequential
fit, and another Python thread keeps running while a long kernel runs."""
import threading
import time
import warnings

import numpy as np
import pytest

from fastridge import Ridge
from fastridge.exceptions import ConvergenceWarning
from conftest import make_data


@pytest.mark.parametrize("solver", ["cholesky", "svd", "cd", "cg"])
@pytest.mark.parametrize("sparse", [False, True])
def test_concurrent_fits_on_shared_readonly_data(solver, sparse):
    X, y = make_data(n=300, p=40, seed=30)
    if sparse:
        X = pytest.importorskip("scipy.sparse").csr_array(X)
        X.data.setflags(write=False)
    else:
        X.setflags(write=False)
    y.setflags(write=False)
    ref = Ridge(alpha=2.0, solver=solver, tol=1e-10).fit(X, y).coef_
    results, errors = [None] * 6, []

    def work(i):
        try:
            results[i] = Ridge(alpha=2.0, solver=solver, tol=1e-10).fit(X, y).coef_
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for r in results:
        np.testing.assert_allclose(r, ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("solver", ["cd", "cg"])
def test_gil_released_during_a_long_kernel(solver):
    rng = np.random.default_rng(31)
    X = rng.standard_normal((300, 2000)) @ np.diag(np.geomspace(1, 1e-6, 2000))
    y = rng.standard_normal(300)

    def spin(seconds):
        n, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            n += 1
        return n

    alone = spin(0.3) / 0.3
    done = threading.Event()

    def fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            # one long kernel call: tiny tol, many iterations
            # (0.2 s or more each, alone or under load: CD sweeps cost more than CG steps)
            Ridge(alpha=1e-12, solver=solver, tol=1e-30,
                  max_iter=600 if solver == "cd" else 6000).fit(X, y)
        done.set()

    worker = threading.Thread(target=fit)
    t0 = time.perf_counter()
    worker.start()
    count = 0
    while not done.is_set():
        count += 1
    elapsed = time.perf_counter() - t0
    worker.join()
    assert elapsed > 0.2, "the fit was too short to tell"
    # had the kernel held the GIL, this loop would have stalled for the whole fit
    assert count / elapsed > 0.05 * alone
