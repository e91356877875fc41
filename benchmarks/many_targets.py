"""Many targets at once: RidgeCV with one α per target against himalaya's RidgeCV, on
himalaya's own workload (an encoding model: a few thousand samples, many targets, each with
its own α).

For each size, the same X, Y and 20 α (geomspace(1e-2, 1e5)): himalaya's ``RidgeCV(cv=5)``
(numpy backend, its default mean-squared-error criterion, one α per target), fastridge's
``RidgeCV(cv=5, alpha_per_target=True, scoring="neg_mean_squared_error")`` (the same criterion
and the same unshuffled 5 folds) and fastridge's exact leave-one-out
``RidgeCV(alpha_per_target=True)`` (cv=None).  With ``--floor``, also the time of the 20
products (n × r)(r × k) that exact leave-one-out cannot avoid: each α's n × k residuals are
r-term sums, r = min(n − 1, p); k-fold costs about as much.  All fit the intercept.
Printed: the wall-clock seconds of one fit each, the ratio to himalaya's time, and the
agreement of the chosen α with himalaya's (the fraction of targets whose α is the same grid
value; for leave-one-out, another criterion, within one grid step).  GCV is left out: for
p > n it falls toward the interpolating fit (README, "GCV, the classical estimators").

    PYTHONPATH=. python benchmarks/many_targets.py [n p targets ...]
        [--float32] [--no-himalaya] [--floor]

Without size arguments the three sizes of issue 14 run: 1000 × 2000 with 5,000 and 20,000
targets, 20000 × 500 with 5,000 targets.  The targets: Y = X B + noise with B of rank 20 and a
signal-to-noise ratio spread over four decades across targets, so that the chosen α spread
over the grid.
"""
import argparse
import time
import warnings

import numpy as np

from fastridge import RidgeCV

ALPHAS = np.geomspace(1e-2, 1e5, 20)


def data(n, p, k, dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    B = rng.standard_normal((p, 20)) @ rng.standard_normal((20, k)) / np.sqrt(20 * p)
    snr = np.logspace(-2, 2, k)
    Y = X @ B
    Y = Y / Y.std(axis=0) * np.sqrt(snr) + rng.standard_normal((n, k)) + 3.0
    return X.astype(dtype), Y.astype(dtype)


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t0


def index_of(alpha):
    a = np.asarray(alpha, dtype=np.float64)
    return np.abs(np.log(a)[:, None] - np.log(ALPHAS)[None, :]).argmin(axis=1)


def warm_up(gib):
    """Touch `gib` GiB once, so that no method pays for first touches of fresh memory (in a
    virtual machine these cost much more than later reuse, and would fall on whichever method
    runs first)."""
    if gib > 0:
        buf = np.ones(int(gib * 2 ** 27))
        del buf


def run(n, p, k, dtype, with_himalaya, floor):
    X, Y = data(n, p, k, dtype)
    rows = []
    ref = t_ref = None
    if with_himalaya:
        from himalaya.ridge import RidgeCV as HRidgeCV

        h = HRidgeCV(alphas=ALPHAS, cv=5, fit_intercept=True,
                     solver_params=dict(warn=False))
        _, t_ref = timed(lambda: h.fit(X, Y))
        ref = index_of(h.best_alphas_)
        rows.append(("himalaya RidgeCV(cv=5)", t_ref, 1.0, 1.0))
    for label, kw, close in (
            ("fastridge RidgeCV(cv=5)", dict(cv=5, scoring="neg_mean_squared_error"), 0),
            ("fastridge RidgeCV(cv=None, LOO)", dict(cv=None), 1)):
        est = RidgeCV(alphas=ALPHAS, alpha_per_target=True, **kw)
        _, t = timed(lambda: est.fit(X, Y))
        agree = np.nan if ref is None else float(np.mean(np.abs(index_of(est.alpha_) - ref)
                                                         <= close))
        rows.append((label, t, np.nan if t_ref is None else t / t_ref, agree))
    if floor:
        # what leave-one-out cannot go below: each α's n × k residuals, each an r-term sum
        # (r = min(n − 1, p)), i.e. one (n × r)(r × k) product per α
        r = min(n - 1, p)
        U = np.linalg.qr(np.random.default_rng(1).standard_normal((n, r)).astype(dtype))[0]
        C = np.ones((r, k), dtype=dtype)

        def gemms():
            for _ in ALPHAS:
                U @ C
        _, t = timed(gemms)
        rows.append((f"floor: {ALPHAS.size} x ({n}x{r})({r}x{k})", t,
                     np.nan if t_ref is None else t / t_ref, np.nan))
    print(f"\nX {n} x {p} {np.dtype(dtype).name}, {k} targets, {ALPHAS.size} alphas")
    print(f"{'method':34s} {'seconds':>9s} {'ratio':>7s} {'alpha agreement':>16s}")
    for label, t, ratio, agree in rows:
        print(f"{label:34s} {t:9.2f} {ratio:7.3f} {agree:16.3f}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="n p targets, repeated")
    parser.add_argument("--float32", action="store_true")
    parser.add_argument("--no-himalaya", action="store_true")
    parser.add_argument("--warm", type=float, default=6.0,
                        help="GiB of memory touched once before the first size (default 6)")
    parser.add_argument("--floor", action="store_true",
                        help="also time the products leave-one-out cannot avoid")
    args = parser.parse_args(argv)
    sizes = args.sizes or [1000, 2000, 5000, 1000, 2000, 20000, 20000, 500, 5000]
    if len(sizes) % 3:
        parser.error("sizes come in threes: n p targets")
    warnings.simplefilter("ignore")
    warm_up(args.warm)
    for i in range(0, len(sizes), 3):
        run(*sizes[i:i + 3], np.float32 if args.float32 else np.float64,
            not args.no_himalaya, args.floor)


if __name__ == "__main__":
    main()
