"""Regularization paths (warm-started vs a loop of cold fits), RidgeCV (exact LOO and k-fold),
RidgeEM, and small-problem latency.  Data from a fixed seed, made in ``setup``."""
import warnings

import numpy as np

SEED = 1


def _dense(n, p, k=None):
    rng = np.random.default_rng(SEED)
    X = np.asfortranarray(rng.standard_normal((n, p)) + rng.uniform(-1, 1, p))
    beta = rng.standard_normal((p, 1 if k is None else k))
    Y = X @ beta + rng.standard_normal((n, beta.shape[1]))
    return X, (Y[:, 0] if k is None else Y)


class Path:
    """100-α path: the direct spectral path and the warm-started iterative ones; the cold loop
    of the same solver gives the warm-start gain (track_* records total iterations)."""
    params = (["auto", "cd", "cg"],)
    param_names = ["solver"]

    def setup(self, solver):
        from fastridge import ridge_path

        self.X, self.y = _dense(5_000, 100)
        self.grid = ridge_path(self.X, self.y, n_alphas=100).alphas

    def time_path(self, solver):
        from fastridge import ridge_path

        ridge_path(self.X, self.y, alphas=self.grid, solver=solver)

    def peakmem_path(self, solver):
        from fastridge import ridge_path

        ridge_path(self.X, self.y, alphas=self.grid, solver=solver)



class PathIterations:
    """Total iterations of the warm-started path against a loop of cold fits of the same
    solver (the warm-start gain; catches convergence regressions)."""
    params = (["cd", "cg"],)
    param_names = ["solver"]

    def setup(self, solver):
        from fastridge import ridge_path

        self.X, self.y = _dense(5_000, 100)
        self.grid = ridge_path(self.X, self.y, n_alphas=100).alphas

    def track_path_iterations(self, solver):
        from fastridge import ridge_path

        return int(ridge_path(self.X, self.y, alphas=self.grid, solver=solver).n_iter.sum())

    def track_cold_loop_iterations(self, solver):
        from fastridge import Ridge

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return int(sum(Ridge(alpha=a, solver=solver).fit(self.X, self.y).n_iter_
                           for a in self.grid))


class CrossValidation:
    params = (["loo", "5-fold"],)
    param_names = ["cv"]

    def setup(self, cv):
        self.X, self.y = _dense(4_000, 100)
        self.grid = np.geomspace(1e4, 1e-2, 50)

    def time_ridgecv(self, cv):
        from fastridge import RidgeCV

        RidgeCV(alphas=self.grid, cv=None if cv == "loo" else 5).fit(self.X, self.y)

    def peakmem_ridgecv(self, cv):
        from fastridge import RidgeCV

        RidgeCV(alphas=self.grid, cv=None if cv == "loo" else 5).fit(self.X, self.y)


class EM:
    def setup(self):
        self.X, self.y = _dense(4_000, 100)

    def time_ridgeem(self):
        from fastridge import RidgeEM

        RidgeEM().fit(self.X, self.y)


class SmallProblem:
    """Per-call latency on 200 × 20: what hot-path callers pay."""

    def setup(self):
        from fastridge import Ridge

        self.X, self.y = _dense(200, 20)
        self.est = Ridge().fit(self.X, self.y)

    def time_fit(self):
        from fastridge import Ridge

        Ridge().fit(self.X, self.y)

    def time_predict(self):
        self.est.predict(self.X)


class MultiTarget:
    def setup(self):
        self.X, self.Y = _dense(5_000, 100, k=20)

    def time_fit_20_targets(self):
        from fastridge import Ridge

        Ridge().fit(self.X, self.Y)


class ClassifierCV:
    """RidgeClassifierCV, exact leave-one-out over a 30-α grid, 10 classes (one decomposition
    for all ten ±1 columns; the calibration fits one slope on the LOO decision values)."""
    params = (["fastridge", "sklearn"],)
    param_names = ["library"]

    def setup(self, library):
        rng = np.random.default_rng(SEED)
        self.X = rng.standard_normal((20_000, 100))
        W = rng.standard_normal((100, 10))
        self.y = np.argmax(self.X @ W + 3.0 * rng.standard_normal((20_000, 10)), axis=1)
        self.alphas = np.logspace(-2, 7, 30)
        if library == "sklearn":
            try:
                from sklearn.linear_model import RidgeClassifierCV
            except ImportError:   # asv skips a benchmark whose setup raises this
                raise NotImplementedError("scikit-learn is not installed") from None
        else:
            from fastridge import RidgeClassifierCV
        self.cls = RidgeClassifierCV

    def time_loo(self, library):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.cls(alphas=self.alphas).fit(self.X, self.y)
