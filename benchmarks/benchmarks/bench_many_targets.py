"""Many targets, one α each (encoding models): RidgeCV's k-fold and exact leave-one-out with
``alpha_per_target=True``, and himalaya's RidgeCV on the same data where himalaya is installed
(`benchmarks/many_targets.py` runs the full-size comparison).  Data from a fixed seed, made in
``setup``."""
import warnings

import numpy as np

ALPHAS = np.geomspace(1e-2, 1e5, 20)


def _data(n, p, k):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((n, p))
    B = rng.standard_normal((p, 10)) @ rng.standard_normal((10, k)) / np.sqrt(10 * p)
    Y = X @ B
    Y = Y / Y.std(axis=0) * np.sqrt(np.logspace(-2, 2, k)) + rng.standard_normal((n, k))
    return X, Y


class ManyTargets:
    """300 × 600 (wide: the kernel form) and 3000 × 100 (tall: the Gram form), 500 targets."""
    params = (["wide", "tall"], ["fastridge-5fold", "fastridge-loo", "himalaya-5fold"])
    param_names = ["shape", "method"]
    timeout = 300

    def setup(self, shape, method):
        if method.startswith("himalaya"):
            try:
                import himalaya  # noqa: F401
            except ImportError:
                raise NotImplementedError("himalaya is not installed") from None
        self.X, self.Y = _data(300, 600, 500) if shape == "wide" else _data(3000, 100, 500)

    def time_ridgecv(self, shape, method):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "himalaya-5fold":
                from himalaya.ridge import RidgeCV as HimalayaRidgeCV

                HimalayaRidgeCV(alphas=ALPHAS, cv=5, fit_intercept=True,
                                solver_params=dict(warn=False)).fit(self.X, self.Y)
                return
            from fastridge import RidgeCV

            RidgeCV(alphas=ALPHAS, alpha_per_target=True,
                    cv=5 if method == "fastridge-5fold" else None,
                    scoring="neg_mean_squared_error" if method == "fastridge-5fold"
                    else None).fit(self.X, self.Y)

    def peakmem_ridgecv(self, shape, method):
        self.time_ridgecv(shape, method)
