"""Thread safety and the GIL: concurrent fits on one shared read-only X agree with a sequential
fit, and another Python thread keeps running while a long kernel runs."""
import threading
import time
import warnings

import numpy as np
import pytest

from conftest import make_data
from fastridge import Ridge
from fastridge.exceptions import ConvergenceWarning


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


FIRST_USE = r"""
import sys, threading
import numpy as np
import fastridge

N = 9
rng = np.random.default_rng(int(sys.argv[1]))
sparse = sys.argv[2] == "sparse"
if sparse:  # (otherwise SciPy's first import happens in the threads)
    import scipy.sparse as sp
data = []
for i in range(N):
    X = rng.standard_normal((60, 5)) + 2.0
    y = X @ rng.standard_normal(5) + 0.1 * rng.standard_normal(60)
    data.append((sp.csr_array(X) if sparse and i % 2 else X, y))


def run(i):
    # the first touch of each public name, and the first fit, happen here, in every thread at once
    X, y = data[i]
    kind = i % 9
    if kind == 0:
        return fastridge.Ridge(alpha=1.0).fit(X, y).coef_
    if kind == 1:
        return fastridge.Ridge(alpha=1.0, solver="cd", tol=1e-12).fit(X, y).coef_
    if kind == 2:
        return fastridge.ridge_path(X, y, alphas=[10.0, 1.0]).coef
    if kind == 3:
        return fastridge.Ridge(alpha=1.0, solver="cg", tol=1e-12).fit(X, y).predict(X)
    if kind == 4:
        return fastridge.RidgeCV(alphas=[0.1, 1.0, 10.0]).fit(X, y).coef_
    if kind == 5:
        return fastridge.RidgeCV(alphas=[0.1, 1.0, 10.0], cv=3).fit(X, y).coef_
    if kind == 6:
        m = fastridge.Ridge(alpha=1.0)
        for rows in np.array_split(np.arange(60), 3):
            m.partial_fit(X[rows], y[rows])
        return m.coef_
    if kind == 7:  # the default grid: half-imported scipy.sparse met by another thread
        return fastridge.RidgeCV().fit(X, y).coef_
    return fastridge.RidgeEM().fit(X, y).coef_


barrier = threading.Barrier(N)
results, errors = [None] * N, []


def work(i):
    barrier.wait()
    try:
        results[i] = run(i)
    except BaseException as exc:
        errors.append(f"{type(exc).__name__}: {exc}")


threads = [threading.Thread(target=work, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("errors", errors)
# the same fits one at a time, and Ridge's closed form (centred normal equations in float64)
same = [bool(np.allclose(results[i], run(i), rtol=1e-9, atol=1e-12)) for i in range(N)]
X, y = data[0]
Xc, yc = X - X.mean(0), y - y.mean()
exact = np.linalg.solve(Xc.T @ Xc + np.eye(5), Xc.T @ yc)
print("same", all(same), same)
print("exact", bool(np.allclose(results[0], exact, rtol=1e-10)))
"""


@pytest.mark.parametrize("kind,seed", [("dense", 0), ("dense", 1), ("dense", 2), ("sparse", 0),
                                       ("sparse", 1)])
def test_first_use_from_many_threads_at_once(kind, seed):
    """The first fits of a fresh process, in nine threads at once (every estimator, dense and
    sparse, partial_fit): no import deadlock, and the results of the one-at-a-time fits.  With
    dense data SciPy's first import happens in the threads: most runs deadlocked in importlib
    before the engine was loaded under one lock."""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        res = subprocess.run([sys.executable, "-c", FIRST_USE, str(seed), kind], cwd=d,
                             capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "errors []", res.stdout
    assert lines[1].startswith("same True"), res.stdout
    assert lines[2] == "exact True", res.stdout
