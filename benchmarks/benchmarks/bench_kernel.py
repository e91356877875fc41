"""KernelRidgeCV (exact leave-one-out and 5-fold) at a small size — 1,000 × 20 rbf, 100
targets, 20 α, α per target — against himalaya's KernelRidgeCV (5-fold) and scikit-learn's
KernelRidge in GridSearchCV (5-fold); the competitors are skipped where not installed (CI's
asv smoke run has neither).  The full-size comparison is ``benchmarks/kernel_ridge.py``."""
import numpy as np

ALPHAS = np.geomspace(1e2, 1e-3, 20)


def _data(n=1_000, p=20, k=100):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, p))
    B = rng.standard_normal((p, k)) / np.sqrt(p)
    return X, np.tanh(2 * X @ B) + 0.3 * rng.standard_normal((n, k))


class KernelRidgeCV:
    params = (["fastridge-loo", "fastridge-kfold", "himalaya-kfold", "sklearn-gridsearch"],)
    param_names = ["method"]
    timeout = 600

    def setup(self, method):
        import importlib.util

        needs = {"himalaya-kfold": "himalaya", "sklearn-gridsearch": "sklearn"}.get(method)
        if needs is not None and importlib.util.find_spec(needs) is None:
            # asv skips a benchmark whose setup raises this
            raise NotImplementedError(f"{needs} is not installed")
        self.X, self.Y = _data()
        self.gamma = 1.0 / self.X.shape[1]

    def _fit(self, method):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method.startswith("fastridge"):
                from fastridge import KernelRidgeCV

                cv = None if method == "fastridge-loo" else 5
                KernelRidgeCV(alphas=ALPHAS, kernel="rbf", gamma=self.gamma, cv=cv,
                              alpha_per_target=True).fit(self.X, self.Y)
            elif method == "himalaya-kfold":
                from himalaya.kernel_ridge import KernelRidgeCV

                KernelRidgeCV(alphas=ALPHAS, kernel="rbf", kernel_params={"gamma": self.gamma},
                              cv=5).fit(self.X, self.Y)
            else:
                from sklearn.kernel_ridge import KernelRidge
                from sklearn.model_selection import GridSearchCV

                GridSearchCV(KernelRidge(kernel="rbf", gamma=self.gamma), {"alpha": ALPHAS},
                             cv=5, scoring="neg_mean_squared_error").fit(self.X, self.Y)

    def time_fit(self, method):
        self._fit(method)

    def peakmem_fit(self, method):
        self._fit(method)
