"""Kernel ridge regression with α chosen by cross-validation, on an rbf kernel (γ = 1/p), 20 α
from 1e-3 to 1e2 and 100 targets (n × p standard normal X, targets tanh(2XB) + noise): one
table from one run, for a size given on the command line.

- fastridge ``KernelRidgeCV(cv=None)``: exact leave-one-out, α per target, from one
  eigendecomposition of the n × n kernel;
- fastridge ``KernelRidgeCV(cv=5)``: 5-fold (``KFold(5)``), α per target, one
  eigendecomposition per fold's training kernel;
- himalaya ``KernelRidgeCV(cv=5)``: 5-fold (``KFold(5)``), α per target, one
  eigendecomposition per fold (and its refit);
- scikit-learn ``GridSearchCV(KernelRidge(), cv=5)``: 5-fold (``KFold(5)``), one α for all
  targets (GridSearchCV scores the multi-output fit), 5 × 20 Cholesky fits and the refit.
  ``sklearn-sub`` times a subset only — the fits of fold 1 at the first and last α (the cost
  of a fit does not depend on α) and the refit on all rows — and extrapolates the total to
  100 × (the mean fold fit, with its test-fold prediction) + the refit; its chosen α and R²
  are then not available.  ``himalaya-sub`` likewise times himalaya's kernel and solver on
  fold 1 only (no refit) and extrapolates to 5 folds + the refit (an eigendecomposition of the
  full kernel, estimated as the fold's time × (n / n_train)³).

At n = 15,000 with 100 targets (2 shared cores, 23 GB): fastridge's leave-one-out fit took
1,059 CPU s with a 5.20 GiB peak (the kernel and syevd's 2n² workspace); himalaya-sub was
killed by the kernel's out-of-memory killer at 18.1 GB resident, before finishing fold 1.

Wall-clock and CPU (all threads) seconds of one run each, the chosen α (of the first target),
the R² on 1000 held-out rows (mean over targets), and the peak resident memory of the process
after each fastridge fit (the first methods run, so it is their peak, data included).

    PYTHONPATH=. python benchmarks/kernel_ridge.py [n] [p] [methods]

`methods`: comma-separated, of fastridge,fastridge-kfold,himalaya,himalaya-sub,sklearn,
sklearn-sub
(default: fastridge,fastridge-kfold,himalaya,sklearn; n default 5000, p 100).  Run at
n = 15,000 as ``nice -n 10 ... 15000 100 fastridge,sklearn-sub,himalaya`` (see the README).
"""
import resource
import sys
import time
import warnings

import numpy as np

from fastridge import KernelRidgeCV

ALL = "fastridge,fastridge-kfold,himalaya,sklearn"


def timed(f):
    t0, c0 = time.perf_counter(), time.process_time()
    out = f()
    return out, time.perf_counter() - t0, time.process_time() - c0


def peak_gb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20   # KiB → GiB


def r2(Y, P):
    Y, P = Y.reshape(len(Y), -1), P.reshape(len(P), -1)
    return float(np.mean(1 - ((Y - P) ** 2).sum(0) / ((Y - Y.mean(0)) ** 2).sum(0)))


def data(n, p, k=100, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n + 1000, p))
    B = rng.standard_normal((p, k)) / np.sqrt(p)
    Y = np.tanh(2 * X @ B) + 0.3 * rng.standard_normal((n + 1000, k))
    return X[:n], Y[:n], X[n:], Y[n:]


def run(name, X, Y, alphas, gamma):
    """(label, wall, cpu, alpha of target 1 or None, predictions or None, note)."""
    if name == "fastridge":
        m, wall, cpu = timed(lambda: KernelRidgeCV(alphas=alphas, kernel="rbf", gamma=gamma,
                                                   alpha_per_target=True).fit(X, Y))
        return ("fastridge KernelRidgeCV (exact LOO, alpha per target)", wall, cpu,
                m.alpha_[0], m, f"peak RSS {peak_gb():.2f} GiB")
    if name == "fastridge-kfold":
        m, wall, cpu = timed(lambda: KernelRidgeCV(alphas=alphas, kernel="rbf", gamma=gamma,
                                                   cv=5, alpha_per_target=True).fit(X, Y))
        return ("fastridge KernelRidgeCV (cv=5, alpha per target)", wall, cpu, m.alpha_[0], m,
                f"peak RSS {peak_gb():.2f} GiB")
    if name == "himalaya":
        from himalaya.kernel_ridge import KernelRidgeCV as HKRCV

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            h, wall, cpu = timed(lambda: HKRCV(alphas=alphas, kernel="rbf",
                                               kernel_params={"gamma": gamma}, cv=5).fit(X, Y))
        return ("himalaya KernelRidgeCV (cv=5, alpha per target)", wall, cpu,
                np.atleast_1d(np.asarray(h.best_alphas_))[0], h, "")
    from sklearn.kernel_ridge import KernelRidge
    from sklearn.model_selection import GridSearchCV, KFold
    if name == "himalaya-sub":
        from himalaya.backend import get_backend
        from himalaya.kernel_ridge._kernels import pairwise_kernels
        from himalaya.kernel_ridge._random_search import solve_multiple_kernel_ridge_random_search

        fold = next(KFold(5).split(X))

        K, kwall, kcpu = timed(lambda: pairwise_kernels(X, metric="rbf", gamma=gamma))

        def one_fold():     # KernelRidgeCV.fit's solver on fold 1 only, without the refit
            return solve_multiple_kernel_ridge_random_search(
                K[None], Y, n_iter=get_backend().ones_like(K, shape=(1, 1)), alphas=alphas,
                cv=[fold], return_weights=None, local_alpha=True, progress_bar=False,
                concentration=None, jitter_alphas=False, random_state=None)
        _, wall, cpu = timed(one_fold)
        grow = (X.shape[0] / fold[0].size) ** 3
        note = (f"EXTRAPOLATED: the timed kernel ({kwall:.1f} s wall) + 5 x the timed fold 1 "
                f"({wall:.1f} s wall: eigh of its training kernel, all alphas and targets) + "
                f"the refit's eigh of the full kernel estimated as {grow:.2f} x that fold (n^3 "
                f"scaling); lower bound without the refit {kwall + 5 * wall:.1f} s")
        return ("himalaya KernelRidgeCV (cv=5, alpha per target)", kwall + (5 + grow) * wall,
                kcpu + (5 + grow) * cpu, None, None, note)
    if name == "sklearn":
        g, wall, cpu = timed(lambda: GridSearchCV(KernelRidge(kernel="rbf", gamma=gamma),
                                                  {"alpha": alphas}, cv=KFold(5),
                                                  scoring="neg_mean_squared_error").fit(X, Y))
        return ("scikit-learn GridSearchCV(KernelRidge, cv=5), one alpha for all", wall, cpu,
                g.best_params_["alpha"], g, "")
    if name == "sklearn-sub":
        train, test = next(KFold(5).split(X))
        walls, cpus = [], []
        for a in (alphas[0], alphas[-1]):
            def fold_fit(a=a):
                m = KernelRidge(alpha=a, kernel="rbf", gamma=gamma).fit(X[train], Y[train])
                return ((Y[test] - m.predict(X[test])) ** 2).mean()
            _, wall, cpu = timed(fold_fit)
            walls.append(wall)
            cpus.append(cpu)
        _, rwall, rcpu = timed(lambda: KernelRidge(alpha=alphas[0], kernel="rbf",
                                                   gamma=gamma).fit(X, Y))
        fits = 5 * alphas.size
        note = (f"EXTRAPOLATED: {fits} x mean of 2 timed fold fits ({np.mean(walls):.1f} s "
                f"wall each) + 1 timed refit ({rwall:.1f} s)")
        return ("scikit-learn GridSearchCV(KernelRidge, cv=5), one alpha for all",
                fits * np.mean(walls) + rwall, fits * np.mean(cpus) + rcpu, None, None, note)
    raise ValueError(f"unknown method {name!r}")


def main(n=5000, p=100, methods=ALL):
    methods = methods.split(",")
    X, Y, Xt, Yt = data(n, p)
    alphas = np.geomspace(1e2, 1e-3, 20)
    gamma = 1.0 / p
    with warnings.catch_warnings():     # warm-up: imports and first-call costs out of timings
        warnings.simplefilter("ignore")
        for name in methods:
            run(name, X[:60], Y[:60], alphas, gamma)
    print(f"n={n} p={p} rbf gamma=1/p, 100 targets, 20 alphas from 1e-3 to 1e2, R2 on 1000 "
          f"held-out rows; peak RSS before the fits {peak_gb():.2f} GiB", flush=True)
    print("| method | wall s | CPU s | alpha_ (target 1) | held-out R2 | note |")
    print("|---|---|---|---|---|---|", flush=True)
    for name in methods:
        print(f"<!-- {name} started {time.strftime('%H:%M:%S')} -->", flush=True)
        label, wall, cpu, a, model, note = run(name, X, Y, alphas, gamma)
        a = "n/a" if a is None else f"{a:.3g}"
        score = "n/a" if model is None else f"{r2(Yt, np.asarray(model.predict(Xt))):.4f}"
        print(f"| {label} | {wall:.1f} | {cpu:.1f} | {a} | {score} | {note} |", flush=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]), *sys.argv[3:4])
