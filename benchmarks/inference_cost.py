"""The cost of Ridge.inference against the fit it reports on (README, "Standard errors and
inference"): median of 3 wall-clock times of ``Ridge().fit`` and of ``inference(kind=...)`` for
every kind, on dense float64 data.

    PYTHONPATH=. python benchmarks/inference_cost.py [n] [p]     (default 200000 200)
"""
import sys
import time

import numpy as np

from fastridge import Ridge


def median_time(f, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main(n=200_000, p=200):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, p))
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    model = Ridge(alpha=10.0)
    fit = median_time(lambda: model.fit(X, y))
    print(f"X {n} x {p} float64; Ridge(alpha=10).fit: {fit:.3f} s (solver {model.solver_})")
    print(f"{'kind':>9} {'seconds':>8} {'/ fit':>6}")
    for kind in ("sandwich", "HC0", "HC1", "HC2", "HC3", "bayes"):
        t = median_time(lambda: model.inference(X, y, kind=kind))
        print(f"{kind:>9} {t:8.3f} {t / fit:6.2f}")
    # without the statistics fit kept (a fit that did not form them): one pass forms them
    kept = model.__dict__.pop("_fit_stats")
    for kind in ("sandwich", "HC3"):
        t = median_time(lambda: model.inference(X, y, kind=kind))
        print(f"{kind:>9} {t:8.3f} {t / fit:6.2f}  (statistics not kept: formed again)")
    model._fit_stats = kept


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
