"""KernelRidgeCV (exact leave-one-out from one eigendecomposition) against scikit-learn's
KernelRidge in GridSearchCV (5-fold: leave-one-out would be n × 20 fits) and himalaya's
KernelRidgeCV (5-fold, one eigendecomposition per fold), on rbf kernels (γ = 1/p), 20 α, with
1 and 100 targets.  Wall-clock and CPU (all threads) seconds of one run each, the chosen α
and the R² on 1000 held-out rows.

    PYTHONPATH=. python benchmarks/kernel_ridge.py [n] [p] [methods]   (default 5000 100 all)

`methods` is a comma-separated subset of fastridge,himalaya,sklearn (to time fastridge alone
at sizes where the k-fold competitors take too long on a shared machine).
"""
import sys
import time
import warnings

import numpy as np

from fastridge import KernelRidgeCV


def timed(f):
    t0, c0 = time.perf_counter(), time.process_time()
    out = f()
    return out, time.perf_counter() - t0, time.process_time() - c0


def r2(Y, P):
    Y, P = Y.reshape(len(Y), -1), P.reshape(len(P), -1)
    return float(np.mean(1 - ((Y - P) ** 2).sum(0) / ((Y - Y.mean(0)) ** 2).sum(0)))


def _fits(X, y, alphas, gamma, methods):
    from sklearn.kernel_ridge import KernelRidge
    from sklearn.model_selection import GridSearchCV

    if "fastridge" in methods:
        KernelRidgeCV(alphas=alphas, kernel="rbf", gamma=gamma).fit(X, y)
    if "himalaya" in methods:
        try:
            from himalaya.kernel_ridge import KernelRidgeCV as HKRCV
            HKRCV(alphas=alphas, kernel="rbf", kernel_params={"gamma": gamma}).fit(X, y)
        except ImportError:
            pass
    if "sklearn" in methods:
        GridSearchCV(KernelRidge(kernel="rbf", gamma=gamma), {"alpha": alphas}, cv=5).fit(X, y)


def main(n=5000, p=100, methods="fastridge,himalaya,sklearn"):
    methods = methods.split(",")
    from sklearn.kernel_ridge import KernelRidge
    from sklearn.model_selection import GridSearchCV

    rng = np.random.default_rng(0)
    X = rng.standard_normal((n + 1000, p))
    B = rng.standard_normal((p, 100)) / np.sqrt(p)
    Yall = np.tanh(2 * X @ B) + 0.3 * rng.standard_normal((n + 1000, 100))
    X, Xt = X[:n], X[n:]
    alphas = np.geomspace(1e2, 1e-3, 20)
    gamma = 1.0 / p
    print(f"n={n} p={p} rbf gamma=1/p, 20 alphas from 1e-3 to 1e2, R2 on 1000 held-out rows")
    print("| targets | method | wall s | CPU s | alpha_ (first target) | held-out R2 |")
    print("|---|---|---|---|---|---|")
    for k in (1, 100):
        if k == 1:      # warm-up: imports and first-call costs out of the timings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _fits(X[:60], Yall[:60, 0], alphas, gamma, methods)
        Y, Yt = (Yall[:n, 0], Yall[n:, 0]) if k == 1 else (Yall[:n], Yall[n:])
        rows = []
        if "fastridge" in methods:
            m, wall, cpu = timed(lambda: KernelRidgeCV(alphas=alphas, kernel="rbf", gamma=gamma,
                                                       alpha_per_target=k > 1).fit(X, Y))
            rows.append(("fastridge KernelRidgeCV (exact LOO, alpha per target)", wall, cpu,
                         np.atleast_1d(m.alpha_)[0], m.predict(Xt)))
        if "himalaya" in methods:
            try:
                from himalaya.kernel_ridge import KernelRidgeCV as HKRCV
            except ImportError:
                HKRCV = None
                print(f"| {k} | himalaya not installed | | | | |")
            if HKRCV is not None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    h, wall, cpu = timed(lambda: HKRCV(alphas=alphas, kernel="rbf",
                                                       kernel_params={"gamma": gamma},
                                                       cv=5).fit(X, Y))
                rows.append(("himalaya KernelRidgeCV (5-fold, alpha per target)", wall, cpu,
                             np.atleast_1d(np.asarray(h.best_alphas_))[0],
                             np.asarray(h.predict(Xt))))
        if "sklearn" in methods:
            g, wall, cpu = timed(lambda: GridSearchCV(KernelRidge(kernel="rbf", gamma=gamma),
                                                      {"alpha": alphas}, cv=5,
                                                      scoring="neg_mean_squared_error").fit(X, Y))
            rows.append(("scikit-learn GridSearchCV(KernelRidge, cv=5), one alpha for all",
                         wall, cpu, g.best_params_["alpha"], g.predict(Xt)))
        for name, wall, cpu, a, pred in rows:
            print(f"| {k} | {name} | {wall:.1f} | {cpu:.1f} | {a:.3g} | {r2(Yt, pred):.4f} |",
                  flush=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]), *sys.argv[3:4])
