"""A ridge path for the price of its hardest point: the multi-shift CG path against one cold
CG fit at the path's smallest α and against the warm-started CG path (issue 15, part 1).

Sparse X (n × p, density `--density`, entries N(0, 1) times column scales spanning 1e±1),
y = Xβ + noise, ``standardize=True`` (so that every α is a shift of one system), the default
100-α grid (glmnet's, down to 1e-4 of its top for n ≥ p).  Printed for each method: the
wall-clock seconds, the products with ZᵀWZ (``n_iter.sum()``) and the ratio of the time to the
cold fit's; then the largest relative coefficient difference between the multi-shift and the
warm-started paths (both stop at ``tol``).  The warm-started path is the one the policy keeps
where the shift structure breaks; here it is forced by declining the multi-shift route
(`fastridge._policy.multishift_cg`) for that row only.  ``--folds K`` adds RidgeCV(cv=K)
against K cold fits at the smallest α.

    PYTHONPATH=. nice -n 10 python benchmarks/multishift_path.py \
        [--n 200000 --p 50000 --density 1e-3]

Target (issue 15): path ≤ 2 × the cold fit.
"""
import argparse
import contextlib
import time
import warnings

import numpy as np
import scipy.sparse as sp

from fastridge import Ridge, RidgeCV, _policy, ridge_path


def data(n, p, density, seed=0):
    rng = np.random.default_rng(seed)
    X = sp.random(n, p, density=density, format="csr", random_state=rng,
                  data_rvs=rng.standard_normal)
    X = sp.csr_array(X @ sp.diags(np.logspace(-1, 1, p)))
    beta = rng.standard_normal(p)
    y = X @ beta + rng.standard_normal(n) + 1.0
    return X, y


@contextlib.contextmanager
def warm_only():
    """The warm-started path, as for penalty factors that break the shift structure."""
    keep = _policy.multishift_cg
    _policy.multishift_cg = lambda *a, **k: False
    try:
        yield
    finally:
        _policy.multishift_cg = keep


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--p", type=int, default=50_000)
    ap.add_argument("--density", type=float, default=1e-3)
    ap.add_argument("--n-alphas", type=int, default=100)
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--no-warm", action="store_true", help="skip the warm-started path")
    a = ap.parse_args()
    X, y = data(a.n, a.p, a.density)
    with warnings.catch_warnings():  # the default grid (the fit itself discarded)
        warnings.simplefilter("ignore")
        grid = ridge_path(X, y, n_alphas=a.n_alphas, standardize=True, solver="cg",
                          max_iter=1).alphas
    kw = dict(standardize=True, solver="cg", tol=a.tol, max_iter=100_000)
    print(f"sparse X {a.n} x {a.p}, density {a.density:g} (nnz {X.nnz}), {grid.size} alphas "
          f"from {grid[0]:.4g} to {grid[-1]:.4g}, tol {a.tol:g}")
    t_cold, cold = timed(lambda: Ridge(alpha=grid[-1], **kw).fit(X, y))
    t_ms, ms = timed(lambda: ridge_path(X, y, alphas=grid, **kw))
    rows = [("one cold CG fit at the smallest alpha", t_cold, int(cold.n_iter_)),
            ("multi-shift CG path", t_ms, int(ms.n_iter.sum()))]
    warm = None
    if not a.no_warm:
        with warm_only():
            t_w, warm = timed(lambda: ridge_path(X, y, alphas=grid, **kw))
        rows.append(("warm-started CG path", t_w, int(warm.n_iter.sum())))
    print(f"{'method':<40} {'seconds':>9} {'products':>9} {'x cold':>7}")
    for name, t, it in rows:
        print(f"{name:<40} {t:9.2f} {it:9d} {t / t_cold:7.2f}", flush=True)
    if warm is not None:
        scale = np.abs(warm.coef).max(axis=-1, keepdims=True)
        print(f"max |multi-shift - warm| / max|coef| over the path: "
              f"{float((np.abs(ms.coef - warm.coef) / scale).max()):.2e}")
    if a.folds:
        t_cv, est = timed(lambda: RidgeCV(alphas=grid, cv=a.folds, **kw).fit(X, y))
        idx = np.arange(a.n)
        t_k = 0.0
        for f in range(a.folds):  # the unshuffled folds' training rows, one cold fit each
            tr = idx[(idx * a.folds) // a.n != f]
            t_k += timed(lambda: Ridge(alpha=grid[-1], **kw).fit(X[tr], y[tr]))[0]
        print(f"RidgeCV(cv={a.folds}) {t_cv:.2f} s; {a.folds} cold fits at the smallest alpha "
              f"{t_k:.2f} s; ratio {t_cv / t_k:.2f}")


if __name__ == "__main__":
    main()
