"""The in-memory backend: numpy arrays and scipy.sparse matrices (X never copied, centred or
densified; see `fastridge._preprocessing`)."""
import numpy as np

from fastridge import _config, _policy, _preprocessing as P, _stats, _validation as V
from fastridge._base import linear_predict


class MemoryData:
    """Validated in-memory inputs: X (n, p), y as given (1-D or 2-D), Y (n, k), sw or None."""

    __slots__ = ("X", "y", "Y", "sw", "n", "p", "k", "dtype", "single", "sparse")

    def __init__(self, X, y, sw):
        self.X, self.y, self.sw = X, y, sw
        self.n, self.p = X.shape
        self.single = y.ndim == 1
        self.Y = y[:, None] if self.single else y
        self.k = self.Y.shape[1]
        self.dtype = X.dtype
        self.sparse = V.is_sparse(X)

    def minus_offset(self, offset):
        """The same rows with target y − offset (offset (n,) or (n, k), validated, float64),
        computed in float64 and stored in the working dtype; the caller's y is not modified."""
        off = offset if offset.ndim == self.Y.ndim else offset[:, None]
        with np.errstate(over="ignore", invalid="ignore"):
            Y = np.asarray(self.Y, dtype=np.float64) - off
        if not np.isfinite(Y).all():
            raise ValueError("y - offset is not finite in float64: rescale y or the offset.")
        Y = Y.astype(self.dtype)
        return MemoryData(self.X, Y[:, 0] if self.single else Y, self.sw)

    def describe(self):
        from fastridge._progress import shape_text

        return shape_text(self.X, self.k)


class MemoryBackend:
    """Rows in this process's memory."""

    name = "memory"
    rows_in_memory = True

    def validate(self, est, X, y, sample_weight, *, reset=True, name=None):
        """Validate (X, y, w) as scikit-learn does (feature names and count set on `est` when
        `reset`); a NaN/inf in dense X is found by the statistics' pass, not a scan."""
        X, y = V.validate_data(est, X, y, reset=reset, defer_finite=True)
        sw = V.check_sample_weight(sample_weight, X.shape[0], X.dtype)
        return MemoryData(X, y, sw)

    def problem(self, data, *, fit_intercept, standardize, solver, alphas, v, positive,
                penalty_factor, limits=False):
        """(Problem, solver) for one fit: "auto" resolved by the policy first, so that the pass
        computing the column statistics also forms the Gram when the solver works on it."""
        if solver == "auto":
            solver = _policy.fit_solver(data.n, data.p, sparse=data.sparse, alphas=alphas,
                                        positive=positive, penalty_factor=penalty_factor,
                                        limits=limits)
        pr = P.prepare(data.X, data.Y, data.sw, fit_intercept=fit_intercept,
                       standardize=standardize,
                       want_gram=_policy.wants_gram(data.X, solver, v, alphas,
                                                    sparse=data.sparse),
                       check_finite=True)
        return pr, solver

    def path_problem(self, data, *, fit_intercept, standardize, solver, v):
        """The Problem of a path (its Gram formed in the same pass when the likely solver
        works on it)."""
        guess = _policy.path_prepare_solver(data.n, data.p, sparse=data.sparse, solver=solver,
                                            v=v)
        return P.prepare(data.X, data.Y, data.sw, fit_intercept=fit_intercept,
                         standardize=standardize,
                         want_gram=_policy.wants_gram(data.X, guess, v, np.ones(1),
                                                      sparse=data.sparse),
                         check_finite=True)

    def rows(self, data, index):
        """The data of a subset of the rows (a fold's training rows)."""
        return MemoryData(data.X[index], data.y[index],
                          None if data.sw is None else data.sw[index])

    def statistics(self, data):
        """The sufficient statistics of all the rows (`fastridge._stats`)."""
        return _stats.block_stats(data.X, data.Y, data.sw)

    def fit_statistics(self, data, pr):
        """The statistics a fit keeps for a partial_fit that follows (`_policy`'s rule), or
        None."""
        keep = _policy.keep_fit_statistics(data.n, data.p,
                                           formed_gram=pr.G0 is not None and pr.center)
        if keep == "formed":
            return _stats.finite_or_none(lambda: _stats.from_problem(pr, data.X, data.Y, data.sw))
        if keep == "compute":
            return _stats.finite_or_none(lambda: _stats.block_stats(data.X, data.Y, data.sw))
        return None

    def positive_rows(self, data):
        """The number of rows with positive weight."""
        return data.n if data.sw is None else int(np.count_nonzero(data.sw > 0))

    def map_blocks(self, data, func, combine, *args):
        """``combine([func(X, Y, w, *args) for each block of rows])`` (blocks of the
        `block_memory` budget, at least 1024 rows; sparse X read as CSR)."""
        X = data.X
        if data.sparse and X.format != "csr":
            X = X.tocsr()
        step = _config.block_rows(data.p, minimum=1024)
        parts = [func(X[i:i + step], data.Y[i:i + step],
                      None if data.sw is None else data.sw[i:i + step], *args)
                 for i in range(0, data.n, step)]
        return combine(parts)

    def predict(self, est, X, coef, intercept):
        """X @ coefᵀ + intercept for X validated against `est`'s fitted features."""
        X = V.validate_data(est, X, reset=False)
        return linear_predict(X, coef, intercept)
