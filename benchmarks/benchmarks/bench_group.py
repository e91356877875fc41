"""Banded ridge: fastridge.GroupRidgeCV (exact leave-one-out, start + L-BFGS-B, and 5-fold)
against himalaya's GroupRidgeCV (random search on the simplex, 5-fold), on a small version of
himalaya's synthetic setting (3 feature spaces weighted 0.5/0.3/0.2 for every target).  The
full-size comparison is ``benchmarks/group_ridge.py``."""
import numpy as np

SEED = 3


def _bands(n=400, sizes=(100, 100, 100), k=50, noise=0.1):
    """Feature spaces of independent Gaussian columns; each target the sum over spaces of
    √weight × (a unit-variance random projection of the space), plus noise."""
    rng = np.random.default_rng(SEED)
    weights = np.array([0.5, 0.3, 0.2])
    Xs, Y = [], np.zeros((n, k))
    for size, w in zip(sizes, weights):
        Xm = rng.standard_normal((n, size))
        part = Xm @ rng.standard_normal((size, k))
        Y += np.sqrt(w) * part / part.std(axis=0)
        Xs.append(Xm)
    Y += noise * rng.standard_normal((n, k))
    return np.hstack(Xs), Y, np.repeat(np.arange(len(sizes)), sizes)


class GroupRidge:
    """One fit with one α per band and target."""
    params = (["fastridge-loo", "fastridge-5fold", "himalaya-5fold"],)
    param_names = ["method"]
    timeout = 300

    def setup(self, method):
        self.X, self.Y, self.labels = _bands()
        if method.startswith("himalaya"):
            try:
                from himalaya.ridge import GroupRidgeCV
            except ImportError:   # asv skips a benchmark whose setup raises this
                raise NotImplementedError("himalaya is not installed") from None
            params = dict(n_iter=20, alphas=np.logspace(-10, 10, 21), progress_bar=False)
            self.model = GroupRidgeCV(groups=self.labels, solver_params=params, cv=5,
                                      random_state=0)
        else:
            from fastridge import GroupRidgeCV

            self.model = GroupRidgeCV(groups=self.labels,
                                      cv=5 if method.endswith("5fold") else None)

    def time_fit(self, method):
        self.model.fit(self.X, self.Y)

    def peakmem_fit(self, method):
        self.model.fit(self.X, self.Y)
