"""Side-by-side timing of fastridge and its peers on the same data, in one process.

    python benchmarks/compare.py [--quick] [--workloads tall,sparse] [--repeat 5]
                                 [--multishift-size 50000x20000]

The `multishift` workload (issue 15, part 1) times, on the `sparse` workload's matrix with
``standardize=True``, a 100-α `ridge_path(solver="cg")` and `RidgeCV(cv=5, solver="cg")` against
one cold CG fit at the path's smallest α (five of them, one per fold's training rows, for the
k-fold); `--multishift-size` (or `--quick`) shrinks that matrix.  The `nystrom` workload (part 2)
runs `benchmarks/nystrom_cg.py`'s ill-conditioned problem (`--nystrom-size`, `--nystrom-maxit`).
The `tall` and `wide` workloads end with the fit's ratio to one `syrk` of X (the dense floors,
issue 15, part 3), measured in alternating pairs (`paired_ratio`).  Every ratio
with a target is printed next to it, and again in a summary at the end.

For each workload and each contender: one warm-up, then `--repeat` runs alternating between the
contenders; prints the median wall time, the ratio fastridge / scikit-learn, and each result's
accuracy as the relative KKT residual ‖Zᵀ(y_c − Zβ) − αβ‖ / ‖Zᵀy_c‖ (Z the centred design)
evaluated in float64, so that nobody wins by stopping early.

On machines that set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (they slow numpy's OpenBLAS), run with
both unset for that command: `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python ...`.

Each timed run starts after a pause (`--settle`, 0.1 s): numpy and SciPy each load their own
OpenBLAS, and a pool's threads keep spinning on the cores for a while after a call returns, so
without the pause whichever contender runs right after the other one is slowed by the other
library's spinning threads (on 2 cores that moved single runs by up to 1.5×).  Then four times
the size of X is allocated, touched and freed: on this (virtualized) machine memory that has been
free for a second or so goes back to the host, and the next large allocation pays 0.3-0.7 s of
page faults to get it back.  Without that, a contender that copies X (scikit-learn centres a copy)
would be charged for the sandbox's memory reclaim, depending on how long the previous contender
ran.  Both steps run before the clock starts, for every contender alike.
"""
import argparse
import gc
import platform
import statistics
import time
import warnings

import numpy as np


def kkt(X, y, alpha, coef):
    """Relative KKT residual of the centred problem, float64, implicit centring for sparse X."""
    xm = np.asarray(X.mean(axis=0)).ravel()
    yc = y - y.mean()

    def zt(r):
        return np.asarray(X.T @ r).ravel() - xm * r.sum()

    r = yc - (np.asarray(X @ coef).ravel() - xm @ coef)
    return np.linalg.norm(zt(r) - alpha * coef) / np.linalg.norm(zt(yc))


def tall(quick):
    n, p = (20_000, 200) if quick else (200_000, 200)
    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.standard_normal((n, p)) + rng.uniform(-3, 3, p))
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    return f"tall dense {n}x{p} float64, intercept, alpha=1", X, y, 1.0


def sparse(quick):
    import scipy.sparse as sp

    n, p = (20_000, 5_000) if quick else (200_000, 50_000)
    rng = np.random.default_rng(1)
    X = sp.random_array((n, p), density=1e-3, format="csr", rng=rng, dtype=np.float64)
    y = X @ rng.standard_normal(p) + 0.1 * rng.standard_normal(n)
    return f"sparse CSR {n}x{p} density 1e-3, intercept, alpha=1", X, y, 1.0


def path_data(quick):
    n, p = (5_000, 100) if quick else (50_000, 500)
    rng = np.random.default_rng(2)
    X = np.asfortranarray(rng.standard_normal((n, p)) + rng.uniform(-1, 1, p))
    y = X @ rng.standard_normal(p) + 3.0 * rng.standard_normal(n)
    return f"path of 100 alpha, dense {n}x{p}", X, y, None


def cv_data(quick):
    n, p = (2_000, 100) if quick else (20_000, 300)
    rng = np.random.default_rng(3)
    X = np.asfortranarray(rng.standard_normal((n, p)) + rng.uniform(-1, 1, p))
    y = X @ (rng.standard_normal(p) * (rng.random(p) < 0.3)) + 2.0 * rng.standard_normal(n)
    return f"RidgeCV, 50 alpha, dense {n}x{p}", X, y, None


def wide(quick):
    n, p = (500, 5_000) if quick else (2_000, 20_000)
    rng = np.random.default_rng(4)
    X = rng.standard_normal((n, p))
    y = X[:, :50] @ rng.standard_normal(50) + rng.standard_normal(n)
    return f"wide dense {n}x{p} float64, intercept, alpha=1", X, y, 1.0


def multishift_data(quick, size=None):
    """The `sparse` workload's matrix (or one of `size` = (n, p), same density and seed)."""
    import scipy.sparse as sp

    if size is None:
        return sparse(quick)[1:3]
    n, p = size
    rng = np.random.default_rng(1)
    X = sp.random_array((n, p), density=1e-3, format="csr", rng=rng, dtype=np.float64)
    y = X @ rng.standard_normal(p) + 0.1 * rng.standard_normal(n)
    return X, y


def run_multishift(X, y, repeat, folds=5):
    """Issue 15, part 1: a 100-α CG path, and RidgeCV(cv=`folds`) over the same grid, against
    cold CG fits at the grid's smallest α (one on all rows; one per fold's training rows, on
    rows sliced before the clock starts), all with standardize=True and tol=1e-6.  Each
    contender is timed by `median_time` (warm-up, then `repeat` runs after `settle`)."""
    from fastridge import Ridge, RidgeCV, ridge_path
    from fastridge._engine.selection import kfold_splits

    kw = dict(standardize=True, solver="cg", tol=1e-6)
    with warnings.catch_warnings():  # the default grid only (its one-iteration fit discarded)
        warnings.simplefilter("ignore")
        grid = ridge_path(X, y, n_alphas=100, max_iter=1, **kw).alphas
    size = nbytes(X)
    t_cold, cold = median_time(lambda: Ridge(alpha=grid[-1], **kw).fit(X, y), repeat, size)
    t_path, path = median_time(lambda: ridge_path(X, y, alphas=grid, **kw), repeat, size)
    parts = [(X[tr], y[tr]) for tr, _ in kfold_splits(X.shape[0], folds)]
    fold_fits = [median_time(lambda Xt=Xt, yt=yt: Ridge(alpha=grid[-1], **kw).fit(Xt, yt),
                             repeat, size) for Xt, yt in parts]
    t_folds = sum(t for t, _ in fold_fits)
    with warnings.catch_warnings():  # the grid's end is often the best α here (said below)
        warnings.simplefilter("ignore")
        t_cv, cv = median_time(lambda: RidgeCV(alphas=grid, cv=folds, **kw).fit(X, y), repeat,
                               size)
    dev = np.abs(path.coef[-1] - cold.coef_).max() / np.abs(cold.coef_).max()
    print(f"\n## multi-shift CG, sparse CSR {X.shape[0]}x{X.shape[1]} density 1e-3, "
          f"standardize=True, tol=1e-6, {grid.size} alpha from {grid[0]:.3g} to {grid[-1]:.3g} "
          f"(median of {repeat})")
    print(f"{'contender':<44}{'median s':>10}{'products':>10}")
    rows = [("one cold CG fit at the smallest alpha", t_cold, int(cold.n_iter_)),
            (f"ridge_path, {grid.size} alpha (multi-shift)", t_path, int(path.n_iter.sum())),
            (f"{folds} cold CG fits (fold rows), smallest alpha", t_folds,
             sum(int(e.n_iter_) for _, e in fold_fits)),
            (f"RidgeCV(cv={folds}), {grid.size} alpha", t_cv, None)]
    for name, t, it in rows:
        print(f"{name:<44}{t:>10.3f}{'' if it is None else it:>10}")
    print(f"# path at the smallest alpha against the cold fit: max |diff| / max |coef| = "
          f"{dev:.1e}; RidgeCV chose alpha_ = {float(cv.alpha_):.4g}")
    report_ratio(f"{grid.size}-alpha CG path / one cold CG fit", t_path / t_cold, 2.0)
    report_ratio(f"RidgeCV(cv={folds}) / {folds} cold CG fits", t_cv / t_folds, 2.0)


def run_nystrom(size, maxit):
    """Issue 15, part 2: `benchmarks/nystrom_cg.py`'s ill-conditioned sparse problem (column
    scales 1e±3, a decaying spectrum), each solver once to KKT ≤ 1e-8 within `maxit` iterations.
    Targets: Nyström-PCG within 100 iterations, and within 0.2 × Jacobi-CG's time.  A Jacobi run
    stopped at its cap had not reached the KKT: its time to reach it is longer, so the printed
    ratio is then an upper bound of the true one."""
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import nystrom_cg

    print(f"\n## Nyström-PCG against Jacobi-CG and scikit-learn ({size} size; one run each)")
    rows = {r[0]: r for r in nystrom_cg.measure(size, maxit=maxit,
                                                out=lambda line: print(line, flush=True))}
    _, it_n, t_n, kkt_n = rows["fastridge Nyström-PCG"]
    _, it_j, t_j, kkt_j = rows["fastridge Jacobi-CG"]
    capped = kkt_j > 1e-8
    print(f"# Nyström-PCG: {it_n} iterations to KKT {kkt_n:.1e}"
          + (f"; Jacobi-CG stopped at its cap ({it_j} iterations, KKT {kkt_j:.1e}), so the time "
             f"ratio below is an upper bound" if capped else ""))
    report_ratio(f"Nyström-PCG iterations / 100 ({size})", it_n / 100, 1.0)
    report_ratio(f"Nyström-PCG time / Jacobi-CG time{' (bound)' if capped else ''} ({size})",
                 t_n / t_j, 0.2)


def multi(quick):
    n, p, k = (5_000, 300, 50) if quick else (50_000, 300, 50)
    rng = np.random.default_rng(5)
    X = rng.standard_normal((n, p))
    Y = X @ rng.standard_normal((p, k)) + rng.standard_normal((n, k))
    return f"{k} targets, dense {n}x{p}, alpha=1", X, Y, 1.0


def small(quick):
    rng = np.random.default_rng(6)
    X = rng.standard_normal((200, 20))
    y = X @ rng.standard_normal(20) + rng.standard_normal(200)
    return "small 200x20, fit per call (1000 calls)", X, y, 1.0


WORKLOADS = {"tall": tall, "sparse": sparse, "wide": wide, "multi": multi, "small": small,
             "path": path_data, "loo": cv_data, "kfold": cv_data, "memory": tall,
             "multishift": None, "nystrom": None, "import": None}
FLOOR_TARGETS = {"tall": 1.2, "wide": 1.15}  # whole fit / one syrk of X (issue 15, part 3)


def run_memory(X, y, alpha):
    """Peak memory allocated during one fit beyond what was allocated before it (tracemalloc,
    which numpy reports its array buffers to), as a multiple of X's size."""
    import tracemalloc

    from fastridge import Ridge

    def peak(fit):
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        est = fit()
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        del est
        return top - base

    cands = [(f"fastridge {s}", lambda s=s: Ridge(alpha=alpha, solver=s, tol=1e-6).fit(X, y))
             for s in ("auto", "cd", "cg")]
    try:
        from sklearn.linear_model import Ridge as SkRidge

        cands.append(("sklearn auto", lambda: SkRidge(alpha=alpha).fit(X, y)))
    except ImportError:
        pass
    print(f"\n## peak extra memory of one fit, dense {X.shape[0]}x{X.shape[1]} float64 "
          f"F-ordered, intercept (X is {X.nbytes / 1e6:.0f} MB; tracemalloc)")
    print(f"{'contender':<28}{'peak MB':>10}{'x size of X':>14}")
    for name, fit in cands:
        fit()  # warm-up: first-call imports and caches are not the fit's memory
        b = peak(fit)
        print(f"{name:<28}{b / 1e6:>10.1f}{b / X.nbytes:>14.3f}")


def run_import(repeat):
    """Wall time of a fresh interpreter importing numpy, and numpy plus fastridge's public
    names, alternating; the difference of the medians is what fastridge adds."""
    import subprocess
    import sys

    base = [sys.executable, "-c", "import numpy"]
    ours = [sys.executable, "-c", "import numpy; from fastridge import Ridge, RidgeCV, ridge_path"]
    times = {"numpy": [], "numpy + fastridge": []}
    for _ in range(max(repeat, 7)):
        for name, cmd in (("numpy", base), ("numpy + fastridge", ours)):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True)
            times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"\n## import in a fresh interpreter (median of {len(times['numpy'])})")
    for k, v in med.items():
        print(f"{k:<28}{v * 1e3:>9.1f} ms")
    print(f"{'fastridge adds':<28}{(med['numpy + fastridge'] - med['numpy']) * 1e3:>9.1f} ms")


def small_contenders():
    from fastridge import Ridge

    def ours_fit(X, y, a):
        for _ in range(1000):
            est = Ridge(alpha=a).fit(X, y)
        return est

    out = [("fastridge fit x1000", ours_fit)]
    ours = Ridge(alpha=1.0)
    try:
        from sklearn.linear_model import Ridge as SkRidge
    except ImportError:
        return out, None
    sk = SkRidge(alpha=1.0)

    def sk_fit(X, y, a):
        for _ in range(1000):
            est = SkRidge(alpha=a).fit(X, y)
        return est

    out.append(("sklearn fit x1000", sk_fit))

    def ours_pred(X, y, a):
        ours.fit(X, y) if not hasattr(ours, "coef_") else None
        for _ in range(1000):
            ours.predict(X)
        return ours

    def sk_pred(X, y, a):
        sk.fit(X, y) if not hasattr(sk, "coef_") else None
        for _ in range(1000):
            sk.predict(X)
        return sk

    return out, [("fastridge predict x1000", ours_pred), ("sklearn predict x1000", sk_pred)]


def path_contenders(X, y):
    from fastridge import ridge_path

    grid = ridge_path(X, y, n_alphas=100, solver="auto").alphas
    out = [(f"fastridge path {s}", lambda X, y, s=s: ridge_path(X, y, alphas=grid, solver=s))
           for s in ("auto", "cd", "cg")]
    try:
        from sklearn.linear_model import Ridge as SkRidge
    except ImportError:
        return out, grid

    def sk_loop(X, y):
        return [SkRidge(alpha=a).fit(X, y) for a in grid]

    out.append(("sklearn loop of fits", sk_loop))
    return out, grid


def cv_contenders(X, y, cv):
    from fastridge import RidgeCV

    grid = np.geomspace(1e4, 1e-2, 50)
    out = [(f"fastridge RidgeCV cv={cv}", lambda X, y: RidgeCV(alphas=grid, cv=cv).fit(X, y))]
    try:
        from sklearn.linear_model import RidgeCV as SkRidgeCV
    except ImportError:
        return out
    out.append((f"sklearn RidgeCV cv={cv}", lambda X, y: SkRidgeCV(
        alphas=grid, cv=cv, scoring=None if cv is None else "neg_mean_squared_error"
    ).fit(X, y)))
    return out


TARGETS = []  # (what, measured ratio, target): printed again at the end of the run


def report_ratio(what, ratio, target):
    """One measured ratio next to its target (and kept for the closing summary)."""
    TARGETS.append((what, ratio, target))
    mark = "met" if ratio <= target else "MISSED"
    print(f"# {what}: {ratio:.2f} (target <= {target:g}, {mark})")


def print_targets():
    if not TARGETS:
        return
    print("\n## ratios with a target (issue 15)")
    print(f"{'measured':<62}{'ratio':>7}{'target':>9}")
    for what, ratio, target in TARGETS:
        print(f"{what:<62}{ratio:>7.2f}{'<= ' + format(target, 'g'):>9}"
              f"{'' if ratio <= target else '  missed'}")


def median_time(f, repeat, size):
    """Median wall time of `f()` over `repeat` runs after one warm-up, each run after
    `settle(size)` (the same preparation as `run_plain`'s contenders), and the warm-up's
    result."""
    out = f()
    ts = []
    for _ in range(repeat):
        settle(size)
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), out


def syrk_floor(key, X):
    """The dense floors' operation: one `syrk` of X, XᵀX for the tall workload (the Gram), XXᵀ
    for the wide one (the kernel; X.T of C-ordered X is F-ordered: no copy)."""
    from scipy.linalg import blas

    A = X if key == "tall" else X.T
    return lambda: blas.dsyrk(1.0, A, trans=1)


def paired_ratio(fit, floor, repeat, size):
    """fit's time over floor's, measured in alternation (each run after `settle`): the median of
    the `repeat` per-pair ratios, and the ratio of the fastest runs.  On this shared machine
    the speed drifts by ±30 % over a minute, so two medians taken minutes apart (the floor at
    the start of a workload, the fit after every contender) can differ by that much more than
    the two operations do; a pair is measured seconds apart."""
    fit()
    floor()
    tf, ts = [], []
    for _ in range(repeat):
        for f, out in ((floor, ts), (fit, tf)):
            settle(size)
            t0 = time.perf_counter()
            f()
            out.append(time.perf_counter() - t0)
    return statistics.median(a / b for a, b in zip(tf, ts)), min(tf) / min(ts)


def print_floor(key, X, repeat):
    """The machine's floors: one syrk of X (the direct path's arithmetic: the Gram for the tall
    case, the kernel for the wide one), one pass over the sparse matrix's bytes (memory bandwidth)
    next to one CG iteration's fused mat-vec for the sparse case.  Returns the syrk's time (tall
    and wide), else None."""
    def median_time_x(f):
        return median_time(f, repeat, nbytes(X))[0]

    if key in ("tall", "wide"):
        t = median_time_x(syrk_floor(key, X))
        what = "XᵀX" if key == "tall" else "XXᵀ"
        print(f"\n# floor: one dsyrk of X ({X.shape[0]}x{X.shape[1]}, {what}): {t:.3f} s")
        return t
    data, ind = X.data, X.indices
    t_pass = median_time_x(lambda: (data.sum(), ind.sum()))
    from fastridge import Ridge

    warnings.simplefilter("ignore")
    t1 = median_time_x(lambda: Ridge(solver="cg", max_iter=1).fit(
        X, np.zeros(X.shape[0]) + 1.0))
    t11 = median_time_x(lambda: Ridge(solver="cg", max_iter=11, tol=1e-30).fit(
        X, np.asarray(X @ np.ones(X.shape[1])).ravel()))
    per_iter = (t11 - t1) / 10
    print(f"\n# floor: one pass over the matrix's bytes ({(data.nbytes + ind.nbytes) / 1e6:.0f} MB"
          f" of values and indices): {t_pass * 1e3:.1f} ms; one CG iteration (fused mat-vec and"
          f" vector updates): {per_iter * 1e3:.1f} ms")
    return None


SETTLE = 0.1


def nbytes(X):
    return X.nbytes if isinstance(X, np.ndarray) else X.data.nbytes + X.indices.nbytes


def settle(size):
    """Before a timed run: let BLAS threads stop spinning, and fault in 4 × `size` bytes of
    memory (see the module's docstring)."""
    gc.collect()
    time.sleep(SETTLE)
    buf = np.ones(min(4 * size, 2 ** 32) // 8)
    del buf


def run_plain(key, title, X, y, cands, repeat, check=None):
    times = {name: [] for name, _ in cands}
    results = {}
    for name, fit in cands:  # warm-up
        results[name] = fit(X, y)
    for _ in range(repeat):
        for name, fit in cands:
            settle(nbytes(X))
            t0 = time.perf_counter()
            fit(X, y)
            times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    sk = min((v for k, v in med.items() if k.startswith("sklearn")), default=None)
    sk_best = min((min(v) for k, v in times.items() if k.startswith("sklearn")), default=None)
    print(f"\n## {title} (median of {repeat}; ratio to the best scikit-learn contender: of the "
          "medians, and of the fastest runs)")
    print(f"{'contender':<28}{'median s':>10}{'min-max s':>16}{'ratio':>8}{'best':>7}  check")
    for name, _ in cands:
        ratio = f"{med[name] / sk:.3f}" if sk else "n/a"
        best = f"{min(times[name]) / sk_best:.2f}" if sk_best else "n/a"
        spread = f"{min(times[name]):.3f}-{max(times[name]):.3f}"
        print(f"{name:<28}{med[name]:>10.3f}{spread:>16}{ratio:>8}{best:>7}  "
              f"{check(results[name]) if check else ''}")
    return med


def contenders(name, X):
    from fastridge import Ridge

    out = []
    is_sparse = hasattr(X, "tocsr")
    for solver in ("auto", "cholesky", "svd", "cd", "cg"):
        if is_sparse and solver in ("cholesky", "svd"):
            continue  # a 50,000² Gram or a dense copy of X do not fit in memory here
        out.append((f"fastridge {solver}",
                    lambda X, y, a, s=solver: Ridge(alpha=a, solver=s, tol=1e-6).fit(X, y)))
    try:
        from sklearn.linear_model import Ridge as SkRidge
    except ImportError:
        return out
    sk = ("sparse_cg", "lsqr") if is_sparse else ("auto",)
    for solver in sk:
        out.append((f"sklearn {solver}",
                    lambda X, y, a, s=solver: SkRidge(alpha=a, solver=s, tol=1e-6).fit(X, y)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small shapes, 3 repeats")
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--multishift-size", default=None, metavar="NxP",
                    help="rows x columns of the multi-shift workload's sparse matrix (default: "
                         "the sparse workload's, 200000x50000, or 20000x5000 with --quick)")
    ap.add_argument("--nystrom-size", default="default", choices=["default", "mid", "full"],
                    help="the nystrom workload's problem: 20000x2000, 60000x6000 or 200000x20000")
    ap.add_argument("--nystrom-maxit", type=int, default=20_000,
                    help="iteration cap of each solver in the nystrom workload")
    ap.add_argument("--settle", type=float, default=SETTLE,
                    help="seconds of pause before each timed run (BLAS threads go idle)")
    args = ap.parse_args(argv)
    globals()["SETTLE"] = args.settle
    repeat = 3 if args.quick else args.repeat
    try:
        from threadpoolctl import threadpool_info

        blas = "; ".join(f"{i['internal_api']} {i.get('version')} {i.get('architecture') or ''} "
                         f"{i.get('threading_layer', '')} threads={i['num_threads']}"
                         for i in threadpool_info())
    except ImportError:
        blas = "threadpoolctl not installed"
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")),
                       cpu)
    except OSError:
        pass
    import os

    print(f"# machine: {platform.machine()} {cpu}, {os.cpu_count()} CPUs, python "
          f"{platform.python_version()}, numpy {np.__version__}; BLAS: {blas}")
    print(f"# medians of {repeat} runs after a warm-up, contenders alternating; before each run a "
          f"{SETTLE} s pause and 4 x X of memory faulted in (see the docstring)")
    for key in args.workloads.split(","):
        if key == "import":
            run_import(repeat)
            continue
        if key == "nystrom":
            run_nystrom("quick" if args.quick else args.nystrom_size, args.nystrom_maxit)
            continue
        if key == "multishift":
            size = None if args.multishift_size is None else \
                tuple(int(v) for v in args.multishift_size.lower().split("x"))
            run_multishift(*multishift_data(args.quick, size), min(repeat, 3))
            continue
        title, X, y, alpha = WORKLOADS[key](args.quick)
        if key == "memory":
            run_memory(X, y, alpha)
            continue
        floor = print_floor(key, X, repeat) if key in ("tall", "sparse", "wide") else None
        if key == "path":
            cands, grid = path_contenders(X, y)

            def check(res, X=X, y=y, grid=grid):
                # largest deviation from an exact fit at three α of the grid
                from fastridge import Ridge

                coef = res.coef if hasattr(res, "coef") else np.array([r.coef_ for r in res])
                errs = [np.abs(coef[i] - Ridge(alpha=grid[i], solver="svd").fit(X, y).coef_).max()
                        for i in (0, 50, 99)]
                return f"max |coef - exact| = {max(errs):.1e}"

            run_plain(key, title, X, y, cands, min(repeat, 3), check)
            continue
        if key in ("loo", "kfold"):
            cands = cv_contenders(X, y, None if key == "loo" else 5)
            run_plain(key, title, X, y, cands, min(repeat, 3),
                      lambda r: f"alpha_ = {float(np.ravel(r.alpha_)[0]):.4g}")
            continue
        if key == "small":
            fits, preds = small_contenders()
            run_plain(key, title, X, y, [(n, lambda X, y, f=f: f(X, y, alpha)) for n, f in fits],
                      repeat)
            if preds:
                run_plain(key, "small 200x20, predict per call (1000 calls)", X, y,
                          [(n, lambda X, y, f=f: f(X, y, alpha)) for n, f in preds], repeat)
            continue
        cands = contenders(title, X)
        if key == "multi":
            cands = [c for c in cands if c[0] in ("fastridge auto", "sklearn auto")]
        if key == "wide":  # svd and cyclic CD are not the tools for 20,000 collinear columns
            cands = [c for c in cands if c[0] not in ("fastridge svd", "fastridge cd")]
        if key == "tall":
            from fastridge import Ridge

            X32, y32 = X.astype(np.float32), y.astype(np.float32)
            cands.append(("fastridge auto float32",
                          lambda X, y, a: Ridge(alpha=a).fit(X32, y32)))

        def accuracy(est, X=X, y=y, alpha=alpha):
            coef = np.atleast_2d(np.asarray(est.coef_, dtype=np.float64))
            Y = y.reshape(len(y), -1)
            rel = max(kkt(X, Y[:, t], alpha, coef[t]) for t in range(Y.shape[1]))
            return f"rel. KKT {rel:.1e}"

        med = run_plain(key, title, X, y,
                        [(name, lambda X, y, f=fit: f(X, y, alpha)) for name, fit in cands],
                        repeat, accuracy)
        if key in FLOOR_TARGETS:
            pairs = max(2 * repeat, 11)
            auto = dict(cands)["fastridge auto"]
            ratio, fastest = paired_ratio(lambda: auto(X, y, alpha),
                                          syrk_floor(key, X), pairs, nbytes(X))
            print(f"# {key}: Ridge fit (auto) / one dsyrk of X, the medians above: "
                  f"{med['fastridge auto'] / floor:.2f}; {pairs} paired runs: median of the "
                  f"ratios {ratio:.2f}, fastest / fastest {fastest:.2f}")
            report_ratio(f"{key} {X.shape[0]}x{X.shape[1]}: Ridge fit (auto) / one dsyrk of X",
                         ratio, FLOOR_TARGETS[key])
    print_targets()

if __name__ == "__main__":
    main()
