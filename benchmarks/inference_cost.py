"""The cost of Ridge.inference against the fit it reports on (README, "Standard errors and
inference"): median of 3 wall-clock and CPU (all threads) times of ``Ridge().fit`` and of
``inference(kind=...)`` for every kind, on dense float64 data.  On a shared machine the CPU
times are the steadier measure.

    PYTHONPATH=. python benchmarks/inference_cost.py [n] [p]     (default 200000 200)
"""
import sys
import time

import numpy as np

from fastridge import Ridge


def median_time(f, repeat=3):
    """(wall, cpu) medians in seconds."""
    times = []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    return tuple(np.median(np.array(times), axis=0))


def main(n=200_000, p=200):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, p))
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    model = Ridge(alpha=10.0)
    fit = median_time(lambda: model.fit(X, y))
    print(f"X {n} x {p} float64; Ridge(alpha=10).fit: wall {fit[0]:.3f} s, cpu {fit[1]:.3f} s "
          f"(solver {model.solver_})")
    print(f"{'kind':>9} {'wall s':>8} {'/ fit':>6} {'cpu s':>8} {'/ fit':>6}")

    def show(kind, note=""):
        t = median_time(lambda: model.inference(X, y, kind=kind))
        print(f"{kind:>9} {t[0]:8.3f} {t[0] / fit[0]:6.2f} {t[1]:8.3f} {t[1] / fit[1]:6.2f}{note}")

    for kind in ("sandwich", "HC0", "HC1", "HC2", "HC3", "bayes"):
        show(kind)
    # without the statistics fit kept (a fit that did not form them): one pass forms them
    kept = model.__dict__.pop("_fit_stats")
    for kind in ("sandwich", "HC3"):
        show(kind, "  (statistics not kept: formed again)")
    model._fit_stats = kept


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
