"""Timing of RidgeCV's out-of-fold state and prediction intervals (best of 3 runs each).

    python benchmarks/intervals.py [--mapie]

For each size: RidgeCV's leave-one-out fit with and without ``store_cv_results=True`` (the
state `predict_interval` needs), jackknife+ at 1000 test rows, the same for 5-fold and CV+.
``--mapie``: also MAPIE's jackknife+ (``CrossConformalRegressor(method="plus",
cv=LeaveOneOut())``, n refits of scikit-learn's Ridge at the same α) on the smallest size, one
run, with the largest difference of the bounds.
"""
import argparse
import time
import warnings

import numpy as np

from fastridge import RidgeCV


def best(f, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mapie", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(0)
    for n, p, m in [(2000, 50, 1000), (20000, 100, 1000)]:
        X = rng.standard_normal((n, p))
        y = X @ rng.standard_normal(p) + rng.standard_normal(n)
        Xt = rng.standard_normal((m, p))
        t_fit, model = best(lambda: RidgeCV(store_cv_results=True).fit(X, y))
        t_plain, _ = best(lambda: RidgeCV().fit(X, y))
        t_jk, (lo, hi) = best(lambda: model.predict_interval(Xt))
        t_k, kf = best(lambda: RidgeCV(cv=5, store_cv_results=True,
                                       scoring="neg_mean_squared_error").fit(X, y))
        t_cv, _ = best(lambda: kf.predict_interval(Xt))
        print(f"n={n} p={p}, {m} test rows: LOO fit {t_plain:.2f} s, with "
              f"store_cv_results {t_fit:.2f} s; jackknife+ {t_jk:.2f} s | 5-fold fit with "
              f"store_cv_results {t_k:.2f} s; CV+ {t_cv:.2f} s")
        if args.mapie and n == 2000:
            from mapie.regression import CrossConformalRegressor
            from sklearn.linear_model import Ridge
            from sklearn.model_selection import LeaveOneOut

            t = time.perf_counter()
            reg = CrossConformalRegressor(Ridge(alpha=model.alpha_), confidence_level=0.9,
                                          method="plus", cv=LeaveOneOut()).fit_conformalize(X, y)
            _, pis = reg.predict_interval(Xt)
            t = time.perf_counter() - t
            diff = max(np.abs(pis[:, 0, 0] - lo).max(), np.abs(pis[:, 1, 0] - hi).max())
            print(f"  MAPIE jackknife+ (n refits) {t:.1f} s; largest difference of the bounds "
                  f"{diff:.1e}")


if __name__ == "__main__":
    main()
