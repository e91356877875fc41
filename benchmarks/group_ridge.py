"""Banded ridge: fastridge.GroupRidgeCV against himalaya's random search, on himalaya's own
synthetic setting, the defaults here: ``himalaya.utils.generate_multikernel_dataset`` as in its
example ``examples/multiple_kernel_ridge/plot_mkr_0_random_search.py`` (3 feature spaces of 1000
features — the generator's default —, 1000 training and 300 test rows, 500 targets, true kernel
weights [0.5, 0.3, 0.2] for every target, noise 0.1, random_state 42) and that example's search:
100 Dirichlet draws, alphas logspace(-10, 10, 21), jitter_alphas, its batch sizes, the default
5-fold CV.  Both himalaya estimators get the same parameters (numpy backend, float64).

Reported: the mean over targets of the held-out R², the fit time, its ratio to fastridge's
(leave-one-out) time, and the number of targets where each method is better.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \\
        python benchmarks/group_ridge.py
    (smaller: --n-train 600 --features 100 100 100 --targets 200)

Needs ``pip install himalaya``.
"""
import argparse
import time

import numpy as np


def r2(Y, P):
    Yc = Y - Y.mean(axis=0)
    return 1 - ((Y - P) ** 2).sum(axis=0) / (Yc ** 2).sum(axis=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-train", type=int, default=1000)
    ap.add_argument("--n-test", type=int, default=300)
    ap.add_argument("--features", type=int, nargs="+", default=[1000, 1000, 1000])
    ap.add_argument("--targets", type=int, default=500)
    ap.add_argument("--n-iter", type=int, default=100, help="himalaya's random draws")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--skip-feature-space", action="store_true",
                    help="leave out himalaya's GroupRidgeCV (slow when n_train < n_features, "
                         "where himalaya itself advises MultipleKernelRidgeCV)")
    ap.add_argument("--kfold", action="store_true", help="also fastridge with cv=5")
    args = ap.parse_args()

    from himalaya.kernel_ridge import MultipleKernelRidgeCV
    from himalaya.ridge import GroupRidgeCV as HimalayaGroupRidgeCV
    from himalaya.utils import generate_multikernel_dataset

    M = len(args.features)
    weights = np.tile(np.array([0.5, 0.3, 0.2][:M] if M == 3 else np.full(M, 1.0 / M))[None],
                      (args.targets, 1))
    X, Xt, Y, Yt, _, sizes = generate_multikernel_dataset(
        n_kernels=M, n_targets=args.targets, n_samples_train=args.n_train,
        n_samples_test=args.n_test, kernel_weights=weights, n_features_list=args.features,
        random_state=args.seed)
    X, Xt, Y, Yt = (np.asarray(a, dtype=np.float64) for a in (X, Xt, Y, Yt))
    labels = np.repeat(np.arange(M), sizes)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    params = dict(n_iter=args.n_iter, alphas=np.logspace(-10, 10, 21), progress_bar=False,
                  jitter_alphas=True, n_targets_batch=1000, n_alphas_batch=20,
                  n_targets_batch_refit=200)

    rows = []

    t0 = time.perf_counter()
    Ks = np.stack([X[:, a:b] @ X[:, a:b].T for a, b in zip(bounds[:-1], bounds[1:])])
    mkr = MultipleKernelRidgeCV(kernels="precomputed", solver_params=params, cv=5,
                                random_state=0).fit(Ks, Y)
    t_mkr = time.perf_counter() - t0
    Kt = np.stack([Xt[:, a:b] @ X[:, a:b].T for a, b in zip(bounds[:-1], bounds[1:])])
    s_mkr = r2(Yt, np.asarray(mkr.predict(Kt)))
    rows.append(("himalaya MultipleKernelRidgeCV (kernels, random search, 5-fold)", t_mkr,
                 s_mkr))
    print(rows[-1][0], f"{t_mkr:.1f} s", flush=True)

    from fastridge import GroupRidgeCV

    t0 = time.perf_counter()
    ours = GroupRidgeCV(groups=labels).fit(X, Y)
    t_ours = time.perf_counter() - t0
    s_ours = r2(Yt, ours.predict(Xt))
    rows.append(("fastridge GroupRidgeCV (exact LOO, start + L-BFGS-B)", t_ours, s_ours))
    print(rows[-1][0], f"{t_ours:.1f} s", flush=True)
    if args.kfold:
        t0 = time.perf_counter()
        kf = GroupRidgeCV(groups=labels, cv=5).fit(X, Y)
        rows.append(("fastridge GroupRidgeCV (5-fold, start + L-BFGS-B)",
                     time.perf_counter() - t0, r2(Yt, kf.predict(Xt))))

    def table():
        print(f"n_train={args.n_train} n_test={args.n_test} features={list(sizes)} "
              f"targets={args.targets} himalaya n_iter={args.n_iter}; fastridge solver "
              f"{ours.solver_}")
        print("| method | fit time (s) | time / fastridge LOO | mean test R² "
              "| targets better than fastridge LOO |")
        print("|---|---:|---:|---:|---:|")
        for name, t, s in rows:
            better = "" if s is s_ours else f"{int(np.sum(s > s_ours + 1e-12))}/{s.size}"
            print(f"| {name} | {t:.2f} | {t / t_ours:.2f} | {np.mean(s):.4f} | {better} |")

    table()
    split = ours.score_per_group(Xt, Yt).mean(axis=0)
    print("fastridge test R² split by band (mean over targets):", np.round(split, 4),
          "sum", round(float(split.sum()), 4), flush=True)
    # himalaya's feature-space GroupRidgeCV last: the slowest by far when n < p (the table is
    # printed again with its row)
    if not args.skip_feature_space:
        t0 = time.perf_counter()
        him = HimalayaGroupRidgeCV(groups=labels, solver_params=params, cv=5,
                                   random_state=0).fit(X, Y)
        t_him = time.perf_counter() - t0
        s_him = r2(Yt, np.asarray(him.predict(Xt)))
        rows.append(("himalaya GroupRidgeCV (random search, 5-fold)", t_him, s_him))
        print(rows[-1][0], f"{t_him:.1f} s", flush=True)
        table()


if __name__ == "__main__":
    main()
