"""Larger-than-worker-memory benchmark: ridge on 4 GB of float64 data that exists only in chunks.

    python benchmarks/dask_scale.py [--gb 4] [--features 500] [--chunk-mb 80] [--workers 2]
                                    [--memory-limit 1GiB]

X (n × p) and y = X β + noise are generated chunk by chunk on the workers of a local
dask.distributed cluster whose workers may each use at most `--memory-limit`; nothing holds all of
X at once.  It times, on the same cluster:

  read once     X.sum() and y.sum(): generating the data and reading each chunk once
  Ridge.fit     statistics per chunk + tree merge, then one solve on the client
  RidgeCV(cv=5) one pass for per-fold statistics, then 100 α × 5 folds on the client
  ridge_path    100 α from the same one-pass statistics

and reports each wall time, its ratio to "read once", the peak resident memory of any worker
(sampled every 0.1 s), and the relative error of the coefficients against the β that generated
the data (noise SD 0.1, so the error is small but not zero).
Needs `pip install "fastridge-blas[dask]"`.
"""
import argparse
import threading
import time

import numpy as np


def _rss():
    import psutil

    return psutil.Process().memory_info().rss


class PeakMemory:
    """Peak RSS of every worker, polled from a background thread."""

    def __init__(self, client, every=0.1):
        self.client, self.every = client, every
        self.peak = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                for worker, rss in self.client.run(_rss).items():
                    self.peak[worker] = max(self.peak.get(worker, 0), rss)
            except Exception:  # noqa: BLE001 (a worker restarting mid-poll)
                pass
            self._stop.wait(self.every)

    def __enter__(self):
        self.peak = {}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._stop.clear()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def max_mb(self):
        return max(self.peak.values(), default=0) / 2**20


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gb", type=float, default=4.0, help="size of X in GB (10^9 bytes)")
    ap.add_argument("--features", type=int, default=500)
    ap.add_argument("--chunk-mb", type=float, default=80.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-limit", default="1GiB")
    args = ap.parse_args(argv)

    import dask
    import dask.array as da
    import distributed

    from fastridge import Ridge, RidgeCV, ridge_path

    p = args.features
    n = int(args.gb * 1e9 / (8 * p))
    rows = max(1, int(args.chunk_mb * 1e6 / (8 * p)))
    cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                       processes=True, memory_limit=args.memory_limit,
                                       dashboard_address=None, host="127.0.0.1")
    client = distributed.Client(cluster)
    try:
        rng = da.random.default_rng(12345)
        beta = np.random.default_rng(1).standard_normal(p)
        X = rng.standard_normal((n, p), chunks=(rows, p)) + 3.0
        y = X @ beta + 7.0 + 0.1 * rng.standard_normal(n, chunks=rows)
        print(f"X: {n:,} x {p} float64 = {X.nbytes / 1e9:.2f} GB in {X.numblocks[0]} chunks of "
              f"{rows * p * 8 / 1e6:.0f} MB; {args.workers} workers, memory limit "
              f"{args.memory_limit} each; dask {dask.__version__}")
        results = []

        def timed(name, fn):
            with PeakMemory(client) as mem:
                t0 = time.perf_counter()
                out = fn()
                dt = time.perf_counter() - t0
            results.append((name, dt, mem.max_mb))
            return out

        timed("read once (X.sum, y.sum)", lambda: dask.compute(X.sum(), y.sum()))
        m = timed("Ridge(alpha=1).fit", lambda: Ridge(alpha=1.0).fit(X, y))
        cv = timed("RidgeCV(cv=5), 100 alphas", lambda: RidgeCV(cv=5).fit(X, y))
        path = timed("ridge_path, 100 alphas", lambda: ridge_path(X, y))
        base = results[0][1]
        print(f"\n{'step':<28}{'wall s':>9}{'/ read':>9}{'peak worker MB':>16}")
        for name, dt, mb in results:
            print(f"{name:<28}{dt:9.2f}{dt / base:9.2f}{mb:16.0f}")
        err = np.abs(m.coef_ - beta).max() / np.abs(beta).max()
        print(f"\nRidge: max |coef - beta| / max |beta| = {err:.2e}, intercept "
              f"{m.intercept_:.5f} (true 7)")
        print(f"RidgeCV alpha_ = {cv.alpha_:.4g}; path {path.alphas.size} alphas, solver "
              f"{path.solver!r}")
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
