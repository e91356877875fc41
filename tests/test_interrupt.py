"""Ctrl-C stops a long iterative fit within about a second with KeyboardInterrupt, and a
warm_start estimator keeps its previous, consistent state.  Each case runs in a fresh
interpreter that sends itself SIGINT after half a second."""
import os
import signal
import subprocess
import sys
import tempfile

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name == "nt",
                                reason="POSIX signals")

SCRIPT = r"""
import os, signal, threading, time, sys
import numpy as np
import scipy.sparse as sp
from fastridge import Ridge

solver, kind = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(0)
X = rng.standard_normal((400, 3000)) @ np.diag(np.geomspace(1, 1e-6, 3000))
if kind == "sparse":
    X = sp.csc_array(X) if solver == "cd" else sp.csr_array(X)
y = rng.standard_normal(400)
est = Ridge(alpha=1e-10, solver=solver, warm_start=True, max_iter=5, tol=1e-30)
import warnings
warnings.simplefilter("ignore")
est.fit(X, y)
before = est.coef_.copy()
est.set_params(max_iter=10**8)
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
t0 = time.perf_counter()
try:
    est.fit(X, y)
except KeyboardInterrupt:
    print("interrupted after", round(time.perf_counter() - t0, 2))
    print("state kept", bool(np.array_equal(est.coef_, before)))
"""


@pytest.mark.parametrize("solver,kind", [("cd", "dense"), ("cd", "sparse"), ("cg", "dense"),
                                         ("cg", "sparse")])
def test_ctrl_c_stops_a_long_fit(solver, kind):
    with tempfile.TemporaryDirectory() as d:
        res = subprocess.run([sys.executable, "-c", SCRIPT, solver, kind], cwd=d,
                             capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.split("\n")
    assert lines[0].startswith("interrupted after"), res.stdout + res.stderr
    assert float(lines[0].split()[-1]) < 2.0
    assert lines[1] == "state kept True"


# A long fit in a fresh interpreter that a signal interrupts after a second: Ridge with CD
# or CG, or RidgeCV(cv=5) with CD folds (on worker threads when there is more than one core).
# Uninterrupted, each of these runs for minutes.  `handler` chooses what the signal does:
# Python's default Ctrl-C (KeyboardInterrupt), a SIGALRM handler raising TimeoutError, or a
# SIGTERM handler calling sys.exit(3).
SIGNALLED = r"""
import os, signal, sys, threading, time, warnings
import numpy as np
from fastridge import Ridge, RidgeCV

what, handler = sys.argv[1], sys.argv[2]
warnings.simplefilter("ignore")
rng = np.random.default_rng(0)
X = rng.standard_normal((400, 3000)) @ np.diag(np.geomspace(1, 1e-6, 3000))
y = rng.standard_normal(400)
if what == "cv":
    est = RidgeCV(alphas=[1e-10, 1e-9], cv=5, solver="cd", tol=1e-30, max_iter=10**5)
else:
    est = Ridge(alpha=1e-10, solver=what, tol=1e-30, max_iter=10**8)
# a previous fit, on fewer columns (which also loads SciPy and the kernels, so that the signal
# comes while the kernels iterate): the interrupted fit must leave it as it was
max_iter = est.max_iter
est.set_params(max_iter=3).fit(X[:60, :10], y[:60])
est.set_params(max_iter=max_iter)
before = dict(est.__dict__)


def timeout(signum, frame):
    raise TimeoutError("the fit took too long")


def terminate(signum, frame):
    sys.exit(3)


DELAY = 1.0  # the fit's set-up is over by then, and the kernels iterate
if handler == "alarm":
    signal.signal(signal.SIGALRM, timeout)
    signal.setitimer(signal.ITIMER_REAL, DELAY)
else:
    sig = signal.SIGINT if handler == "int" else signal.SIGTERM
    if handler == "term":
        signal.signal(signal.SIGTERM, terminate)
    threading.Timer(DELAY, os.kill, (os.getpid(), sig)).start()
t0 = time.perf_counter()
try:
    est.fit(X, y)
finally:
    # what reaches here is the exception the handler raised; no fold may still be running
    kept = est.__dict__.keys() == before.keys() and all(
        est.__dict__[k] is before[k] for k in before)
    print(f"stopped after {time.perf_counter() - t0 - DELAY:.2f} threads "
          f"{threading.active_count()} kept {kept}", flush=True)
"""


@pytest.mark.parametrize("what,handler,returncode,message", [
    ("cv", "int", -signal.SIGINT, "KeyboardInterrupt"),  # re-raised by the interpreter
    ("cv", "alarm", 1, "TimeoutError: the fit took too long"),
    ("cd", "alarm", 1, "TimeoutError: the fit took too long"),
    ("cg", "alarm", 1, "TimeoutError: the fit took too long"),
    ("cd", "term", 3, None),
    ("cg", "term", 3, None),
    ("cv", "term", 3, None),
])
def test_a_signal_stops_a_long_fit_with_the_handlers_exception(what, handler, returncode,
                                                                message):
    """The signal stops the fit promptly (RidgeCV's folds on threads too), what propagates is
    the exception the signal handler raised — KeyboardInterrupt for Ctrl-C, the handler's own
    TimeoutError, or the handler's SystemExit with its exit status — and the estimator keeps
    its previous fit."""
    with tempfile.TemporaryDirectory() as d:
        res = subprocess.run([sys.executable, "-c", SIGNALLED, what, handler], cwd=d,
                             capture_output=True, text=True, timeout=90)
    assert res.returncode == returncode, res.stdout + res.stderr
    line = res.stdout.strip().split("\n")[-1]
    assert line.startswith("stopped after"), res.stdout + res.stderr
    # seconds from the signal to the exception: allow for a loaded machine
    assert -0.05 < float(line.split()[2]) < 1.5, line
    assert line.split()[4] == "1", line  # only the main thread is left
    assert line.split()[6] == "True", line  # the estimator keeps its previous fit
    last = res.stderr.strip().split("\n")[-1]
    if message is None:
        assert "Traceback" not in res.stderr, res.stderr
    else:
        assert last == message, res.stderr


FAILING_FOLD = r"""
import threading, time, warnings
import numpy as np
from fastridge import RidgeCV

warnings.simplefilter("ignore")
rng = np.random.default_rng(0)
X = rng.standard_normal((400, 3000)) @ np.diag(np.geomspace(1, 1e-6, 3000))
y = rng.standard_normal(400)
w = np.ones(400)
w[300:] = 0.0
rows = np.arange(400)
# fold 1 trains on rows 300..399 only, all of weight 0: it fails at once; fold 0 runs for minutes
folds = [(rows[:200], rows[200:300]), (rows[300:], rows[:300])]
est = RidgeCV(alphas=[1e-10], cv=folds, solver="cd", tol=1e-30, max_iter=10**5)
t0 = time.perf_counter()
try:
    est.fit(X, y, sample_weight=w)
except ValueError as exc:
    print(f"{time.perf_counter() - t0:.2f} {threading.active_count()} {exc}")
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2 if hasattr(os, "sched_getaffinity")
                    else (os.cpu_count() or 1) < 2, reason="folds run on threads from 2 CPUs")
def test_a_failing_fold_stops_the_others():
    """A fold that fails raises its error at once, and stops the folds still running on other
    threads (they used to run to the end first)."""
    with tempfile.TemporaryDirectory() as d:
        res = subprocess.run([sys.executable, "-c", FAILING_FOLD], cwd=d, capture_output=True,
                             text=True, timeout=90)
    assert res.returncode == 0, res.stderr
    elapsed, threads, message = res.stdout.strip().split(" ", 2)
    assert message.startswith("cv: every training row of a fold has sample_weight 0"), message
    assert float(elapsed) < 3.0, res.stdout
    assert threads == "1", res.stdout
