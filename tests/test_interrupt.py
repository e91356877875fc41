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
