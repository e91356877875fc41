"""The Ridge estimator and the solver dispatch ("auto" rule)."""
import numpy as np

from fastridge import _validation as V
from fastridge._base import RegressorBase, linear_predict
from fastridge.exceptions import ConvergenceWarning, warn

SOLVERS = ("auto", "cd", "cg", "cholesky", "svd")
# "auto" forms a Gram/kernel matrix or a dense copy only up to this many bytes.
DENSE_WORK_MAX_BYTES = 2 * 1024**3
# sparse X: the direct solver's Gram XᵀWX is formed only for at most this many features.
SPARSE_GRAM_MAX_FEATURES = 1000


def choose_solver(n, p, *, sparse, alphas, positive, penalty_factor=None):
    """The "auto" rule, in order:

    1. ``positive=True`` → ``"cd"`` (the only solver that honours the constraint; with α = 0
       it returns a non-negative least-squares solution, one of many if X is rank deficient);
    2. some α = 0 → ``"svd"`` (exact minimum-norm least squares, whatever the rank) when a dense
       n × p float64 copy fits in 2 GiB, else ``"cg"``;
    3. dense X → ``"cholesky"`` (Gram XᵀWX by ``syrk`` when n ≥ p, kernel XXᵀ when p > n; one
       factorization shared by all targets with the same α) when the min(n, p)² matrix fits in
       2 GiB (p² when some penalty factor is 0: the kernel form needs them positive), else
       ``"cg"``;
    4. sparse X → ``"cholesky"`` when p ≤ 1000 (the sparse Gram is small and cheap), else
       ``"cg"`` (mat-vecs with X only, implicit centring, X never densified).
    """
    if positive:
        return "cd"
    if np.any(alphas == 0.0):
        return "svd" if n * p * 8 <= DENSE_WORK_MAX_BYTES else "cg"
    if not sparse:
        # the kernel form (p > n) needs positive penalty factors; otherwise the Gram is p × p
        kernel_ok = penalty_factor is None or bool(np.all(np.asarray(penalty_factor) > 0))
        m = min(n, p) if kernel_ok else p
        return "cholesky" if m * m * 8 <= DENSE_WORK_MAX_BYTES else "cg"
    return "cholesky" if p <= SPARSE_GRAM_MAX_FEATURES else "cg"


class Ridge(RegressorBase):
    """Ridge regression: linear least squares with an L2 penalty.

    Minimizes, for each target column y,
    ``Σᵢ wᵢ (yᵢ − xᵢᵀβ − β₀)² + α Σⱼ vⱼ βⱼ²`` (scikit-learn's scaling; w = `sample_weight`,
    v = `penalty_factor`, the intercept β₀ never penalized).

    Parameters
    ----------
    alpha : float or array of shape (n_targets,), default=1.0
        Penalty strength (≥ 0); an array gives one α per target.
    fit_intercept : bool, default=True
        Fit β₀.  Dense or sparse X is centred implicitly (never copied or densified).
    standardize : bool, default=False
        Divide each column by its weighted population SD (root mean square without intercept)
        before the penalty, as glmnet does; `coef_` is reported on the original scale.  A column
        with no spread gets coefficient 0.
    penalty_factor : array of shape (n_features,), default=None
        Per-feature multipliers vⱼ ≥ 0 of the penalty; 0 leaves a feature unpenalized.
    positive : bool, default=False
        Constrain the coefficients to be ≥ 0 (coordinate descent, by projection).
    solver : {"auto", "cd", "cg", "cholesky", "svd"}, default="auto"
        ``"cd"``: coordinate descent (on the Gram XᵀWX when n ≥ 2p, else on X with residual
        updates; sparse X is used in CSC form); it refuses α = 0 on rank-deficient X unless
        ``positive=True`` (least squares then has many solutions, and CD does not find the
        minimum-norm one).
        ``"cg"``: Jacobi-preconditioned conjugate gradient on the normal equations, or on the
        kernel system when p > n; at α = 0 the preconditioner is scalar, so that a cold fit
        converges to the minimum-norm least-squares solution.  ``"cholesky"``:
        exact, through the Gram (n ≥ p) or kernel (p > n) matrix.  ``"svd"``: exact and the most
        accurate (centred, column-normalized SVD); handles α = 0 and rank deficiency with the
        minimum-norm solution.  ``"auto"`` follows :func:`choose_solver`:
        positive → cd; any α = 0 → svd; dense → cholesky; sparse → cholesky when p ≤ 1000,
        else cg (with fallbacks to cg when a dense work matrix would exceed 2 GiB).
    tol : float, default=1e-6
        Iterative solvers stop when the norm of the objective's gradient is at most `tol` times
        its norm at β = 0 (the relative KKT residual).
    max_iter : int, default=None
        Iteration cap of the iterative solvers: sweeps for cd, mat-vec iterations for cg.
        None means 1000 for both.
    warm_start : bool, default=False
        Start an iterative solver from the previous `coef_` (a refit on the same data and α then
        takes 0 iterations).
    copy_X : bool, default=True
        Accepted for compatibility with scikit-learn; fastridge never modifies X, so no copy is
        ever needed for safety.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int, ndarray of shape (n_targets,) or None
        Iterations run by an iterative solver (None for the direct ones).
    solver_ : str
        The solver actually used.
    n_features_in_ : int
    feature_names_in_ : ndarray of str, when X had string column names.

    Notes
    -----
    The fit squares X's columns and y: their spreads (weighted standard deviation, or root
    mean square without an intercept) and weighted sums of squares must stay within float64's
    range, about 1e±150 for the spreads; otherwise a ValueError names the column (or y, or the
    sample weights).  float32 data whose Gram matrix would leave float32's range are computed
    in float64; `coef_` and the predictions are float32 all the same.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import Ridge
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 3))
    >>> y = X @ np.array([1.0, -2.0, 0.5]) + 3.0
    >>> model = Ridge(alpha=1e-8).fit(X, y)
    >>> np.round(model.coef_, 4), round(model.intercept_, 4)
    (array([ 1. , -2. ,  0.5]), 3.0)
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, standardize=False, penalty_factor=None,
                 positive=False, solver="auto", tol=1e-6, max_iter=None, warm_start=False,
                 copy_X=True):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.positive = positive
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start
        self.copy_X = copy_X

    def fit(self, X, y, sample_weight=None):
        """Fit the model; X dense or any scipy.sparse format, y (n,) or (n, k)."""
        from fastridge import _preprocessing as P
        from fastridge import _solvers as S

        V.check_params(solver=self.solver, tol=self.tol, max_iter=self.max_iter,
                       fit_intercept=self.fit_intercept, standardize=self.standardize,
                       positive=self.positive, warm_start=self.warm_start, copy_X=self.copy_X)
        X, y = V.validate_data(self, X, y, reset=True)
        n, p = X.shape
        sw = V.check_sample_weight(sample_weight, n, X.dtype)
        single = y.ndim == 1
        Y = y[:, None] if single else y
        alphas = V.check_alpha(self.alpha, Y.shape[1])
        pf = V.check_penalty_factor(self.penalty_factor, p)
        v = np.ones(p) if pf is None else pf
        sparse = V.is_sparse(X)

        solver = self.solver
        if solver == "auto":
            solver = choose_solver(n, p, sparse=sparse, alphas=alphas,
                                   positive=bool(self.positive), penalty_factor=pf)
        pr = P.prepare(X, Y, sw, fit_intercept=self.fit_intercept,
                       standardize=self.standardize,
                       want_gram=S.wants_gram(X, solver, v, alphas, sparse=sparse))

        B0 = None
        if self.warm_start and solver in ("cd", "cg") and getattr(self, "coef_", None) \
                is not None:
            prev = np.atleast_2d(np.asarray(self.coef_, dtype=np.float64))
            if prev.shape == (pr.k, p):
                B0 = P.from_raw(pr, prev)

        if solver == "cd":
            B, n_iter, info = S.solve_cd(pr, alphas, v, positive=bool(self.positive),
                                         tol=float(self.tol), max_iter=self.max_iter, B0=B0)
        elif solver == "cg":
            B, n_iter, info = S.solve_cg(pr, alphas, v, tol=float(self.tol),
                                         max_iter=self.max_iter, B0=B0)
        elif solver == "cholesky":
            B, n_iter, info = S.solve_cholesky(pr, alphas, v)
        else:
            B, n_iter, info = S.solve_svd(pr, alphas, v)

        if n_iter is not None:
            # NaN-safe: a non-finite measure counts as not converged
            short = np.flatnonzero(~(info["measure"] <= info["tol_abs"]))
            if short.size:
                detail = ", ".join(
                    f"target {t}: gradient norm {info['measure'][t]:.3g} > "
                    f"{info['tol_abs'][t]:.3g}" for t in short[:5])
                cap = S.iteration_cap(info["solver"], self.max_iter)
                ran = int(n_iter[short].max())
                # CG also stops early when its recursion breaks down (precision exhausted)
                where = f"at max_iter={cap}" if ran >= cap else \
                    f"after {ran} iterations (breakdown: the problem is too ill-conditioned)"
                warn(ConvergenceWarning,
                     f"Ridge solver={info['solver']!r} stopped {where} before reaching "
                     f"tol={self.tol} ({detail}). Increase max_iter, loosen tol, or use "
                     f"solver='cholesky'/'svd' for an exact solution.")

        coef, intercept = P.to_raw(pr, B)
        if "intercept" in info:  # a solver that refined the intercept itself (svd)
            intercept = info["intercept"]
        dt = X.dtype
        V.check_output_range(dt, coef, intercept)
        self.coef_ = coef[0].astype(dt) if single else coef.astype(dt)
        self.intercept_ = (float(intercept[0]) if single else intercept.astype(dt))
        if single and dt == np.float32:
            self.intercept_ = np.float32(intercept[0])
        if n_iter is not None and B0 is None:
            # a cold fit evaluates the gradient at 0 at least once, even when 0 is optimal
            n_iter = np.maximum(n_iter, 1)
        self.n_iter_ = None if n_iter is None else (int(n_iter[0]) if single else n_iter)
        self.solver_ = info["solver"]
        return self

    def predict(self, X):
        """Predictions X @ coef_ᵀ + intercept_ (numpy only; sparse X stays sparse)."""
        self._check_is_fitted()
        X = V.validate_data(self, X, reset=False)
        return linear_predict(X, self.coef_, self.intercept_)
