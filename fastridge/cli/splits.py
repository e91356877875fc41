"""How both commands cross-validate with K folds: rows assigned to folds at random with a fixed
seed (:class:`ShuffledKFold`), scored by the mean squared error (``KFOLD_SCORING``).

Used by the main job's 10-fold choice (:mod:`fastridge.cli.esl`) and by ``fit --cv K``
(:mod:`fastridge.cli.fit`). numpy is imported inside :meth:`ShuffledKFold.split`, so importing
this module stays light.
"""
from __future__ import annotations

__all__ = ["ShuffledKFold", "CV_SEED", "KFOLD_SCORING"]

#: Seed of the random fold assignment (main job and ``fit --cv K``).
CV_SEED = 0


class ShuffledKFold:
    """K folds of a seeded random permutation of the rows: a splitter for ``RidgeCV(cv=...)``.

    ``RidgeCV(cv=K)`` cuts contiguous folds (scikit-learn's unshuffled ``KFold``). The prostate
    file is sorted by the response ``lpsa``, so contiguous folds would each hold a band of
    responses and every fold would extrapolate; ESL's 10-fold CV assigns rows to folds at random,
    and so does this splitter (fold sizes as ``KFold``: the first ``n % K`` folds get one more
    row).
    """

    def __init__(self, n_splits=10, seed=CV_SEED):
        self.n_splits = n_splits
        self.seed = seed

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.n_splits

    def split(self, X, y=None, groups=None):
        import numpy as np

        n = X.shape[0]
        if self.n_splits > n:
            raise ValueError(f"Cannot have number of splits n_splits={self.n_splits} greater "
                             f"than the number of samples: n_samples={n}.")
        perm = np.random.default_rng(self.seed).permutation(n)
        for test in np.array_split(perm, self.n_splits):
            mask = np.ones(n, dtype=bool)
            mask[test] = False
            yield np.flatnonzero(mask), np.sort(test)

    def __repr__(self):
        return f"ShuffledKFold(n_splits={self.n_splits}, seed={self.seed})"


# The k-fold criterion of the main job and the fit command: cv.glmnet's default measure, the mean
# squared error, given explicitly because RidgeCV's k-fold default follows scikit-learn's (R²).
KFOLD_SCORING = "neg_mean_squared_error"
