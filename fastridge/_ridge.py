"""The Ridge estimator and the solver dispatch ("auto" rule)."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from fastridge import _docs, _policy, _validation as V
from fastridge._backends import get_backend, minus_offset
from fastridge._base import set_linear_fit, unchanged_on_failure
from fastridge._engine import fit as engine
from fastridge._lazy import load_engine
from fastridge._linear import LinearRegressorBase, generalized_fit, generalized_requested
from fastridge._routing import RoutingMixin

if TYPE_CHECKING:
    from typing import Any

    from numpy.typing import ArrayLike, NDArray

    from fastridge._typing import MatrixLike, SolverName

_FLOAT_MAX = float(np.finfo(np.float64).max)  # an int beyond it cannot become a float α
_ONE = np.ones(1, dtype=np.int64)  # one factorization


def _fit_small(est, X, y, P, posv):
    """The common small case in a few numpy/LAPACK calls: 1-D float64 y, 2-D float64 X with
    n ≥ p and n·p ≤ `_policy.SMALL_MAX_ENTRIES`, no weights or penalty factors, one α > 0, solver
    "auto"/"cholesky", default options otherwise.  The same centred Gram and Cholesky
    factorization as the general path (explicit centring of this small X instead of the
    one-pass kernel); anything unusual — a non-finite value, a constant column, an extreme
    scale, a numerically singular system, any parameter outside the plain case — returns False
    and the general path (which also raises the errors) takes over.  Returns True when fitted.
    P is the `_preprocessing` module and `posv` `_solvers.linalg.scaled_posv`, as `fit` imported
    them.

    On small problems the general path's per-call overhead (validation layers, the kernel's
    buffers, the solver dispatch) dominates; this path avoids most of it (asv: ``SmallProblem``).
    """
    # the parameters are checked strictly enough here that check_params (which the caller runs
    # only when this returns False) would pass them: plain bools, a float tol, the default
    # max_iter, a Cholesky solver
    alpha, tol = est.alpha, est.tol
    if not (X.ndim == 2 and y.ndim == 1 and X.dtype == np.float64 and y.dtype == np.float64
            and isinstance(alpha, (float, int)) and not isinstance(alpha, bool)
            and 0 < alpha <= _FLOAT_MAX and type(est.solver) is str
            and est.solver in ("auto", "cholesky")
            and est.penalty_factor is None and est.positive is False
            and est.lower_limits is None and est.upper_limits is None and est.exclude is None
            and (est.fit_intercept is True or est.fit_intercept is False)
            and (est.standardize is True or est.standardize is False)
            and (est.warm_start is True or est.warm_start is False)
            and (est.copy_X is True or est.copy_X is False) and est.max_iter is None
            and isinstance(tol, float) and 0.0 <= tol < math.inf):
        return False
    n, p = X.shape
    if not (_policy.small_fit(n, p) and y.shape[0] == n):
        return False
    if est.standardize and not est.fit_intercept:
        return False  # the scale is the SD about the mean (P.column_scales), X is not centred
    # column sums and Σy, whose finiteness also settles that X and y are finite (a finite sum
    # of finite values; an overflow or a NaN/inf goes to the general path, which tells them apart)
    colsum = np.ones(n) @ X
    ysum = float(y.sum())
    if not (math.isfinite(float(colsum.sum())) and math.isfinite(ysum)):
        return False
    if est.fit_intercept:
        xm, ym = colsum / n, ysum / n
        Xc, yc = X - xm, y - ym
    else:
        xm, ym, Xc, yc = None, 0.0, X, y
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow fails the range tests
        G = Xc.T @ Xc
        yy = float(yc @ yc)                            # y's spread: the same rule as X's
        c = Xc.T @ yc
        if xm is not None:
            # the corrected two-pass algorithm, as the general path's statistics: a mean
            # large against its column's spread is rounded by up to n·eps·|mean|, which stays
            # in every centred value; its sum δ removes it from the products
            dx, dy = (np.ones(n) @ Xc) / n, float(yc.sum()) / n
            xm, ym = xm + dx, ym + dy
            G -= (n * dx)[:, None] * dx
            c -= n * dy * dx
            yy -= n * dy * dy
    ss = np.maximum(G.diagonal(), 0.0)
    spread = np.sqrt(ss / n)
    lo, hi = P.F64_SPREAD_RANGE                         # the general path's magnitude rule
    bad = (spread < lo) | (spread > hi)
    if xm is not None:  # a column that may be constant: the general path tells exactly
        bad |= P.maybe_constant(xm, spread, n)
    if np.count_nonzero(bad) or not (lo <= math.sqrt(yy / n) <= hi
                                     and float(G.trace()) * yy <= 2.0 ** 1000):
        return False
    # for partial_fit: the statistics of the raw columns, before any standardization (the
    # scales belong to the fit, and a partial_fit recomputes them from the merged rows)
    stats = None if xm is None else (n, xm, ym, G.copy(), c.copy(), yy)
    if est.standardize:
        d = 1.0 / spread
        G *= d[:, None]
        G *= d[None, :]
        c *= d
    G.flat[:: p + 1] += float(alpha)
    b = posv(G, c)
    if b is None:
        return False  # numerically singular: the general path decides
    coef = b * d if est.standardize else b
    intercept = ym - float(coef @ xm) if xm is not None else 0.0
    set_linear_fit(est, engine.LinearFit(coef[None], np.array([intercept]), _ONE, "cholesky"),
                   dtype=np.float64, single=True, n_features=p)
    est.__dict__.pop("stats_", None)
    if stats is None:  # no intercept: the centred statistics are one small pass more
        from fastridge import _stats

        stats = _stats.finite_or_none(lambda: _stats.block_stats(X, y[:, None]))
    est._fit_stats = stats  # a tuple is made into statistics by partial_fit (`_small_fit_stats`)
    est._stats_single = True
    return True


def _small_fit_stats(n, xm, ym, G, c, yy):
    """The statistics of the rows `_fit_small` fitted, from what it kept (its centred Gram
    and cross products): no column of them is constant (those go to the general path)."""
    from fastridge import _stats

    p = xm.size
    return _stats.RidgeStats(n, float(n), xm, np.array([ym]), G, c[:, None], np.array([yy]),
                             np.float64, np.full(p, -np.inf), np.full(p, np.inf))


@_docs.fill
class Ridge(RoutingMixin, LinearRegressorBase):
    """Ridge regression: linear least squares with an L2 penalty.

    Minimizes, for each target column y,
    ``Σᵢ wᵢ (yᵢ − xᵢᵀβ − β₀)² + α Σⱼ vⱼ βⱼ²`` (scikit-learn's scaling; w = `sample_weight`,
    v = `penalty_factor`, the intercept β₀ never penalized).  A drop-in for scikit-learn's
    ``Ridge`` with glmnet's standardization, penalty factors, and Cython solvers for dense and
    sparse data.

    Parameters
    ----------
    alpha : float or array of shape (n_targets,), default=1.0
        Penalty strength (≥ 0); an array gives one α per target.
    fit_intercept : bool, default=True
        Fit β₀.  Dense or sparse X is centred implicitly (never copied or densified).
    standardize : bool, default=False
        Divide each column by its weighted population SD (about its weighted mean, also
        without an intercept) before the penalty, as glmnet does; `coef_` is reported on the
        original scale.  A column with no spread gets coefficient 0.
    penalty_factor : array of shape (n_features,), default=None
        Per-feature multipliers vⱼ ≥ 0 of the penalty; 0 leaves a feature unpenalized.
    positive : bool, default=False
        Constrain the coefficients to be ≥ 0 (coordinate descent, by projection); the same as
        ``lower_limits=0``.
    lower_limits, upper_limits : float or array of shape (n_features,), default=None
        Box limits on the coefficients, glmnet's ``lower.limits``/``upper.limits``: each
        βⱼ is confined to [lowerⱼ, upperⱼ], on the original scale of X (also with
        ``standardize=True``); a scalar applies to every feature, ±inf leaves a side open, None
        is -inf (upper: +inf).  As glmnet, lowerⱼ ≤ 0 ≤ upperⱼ is required.  Only ``"cd"``
        honours them (``"auto"`` takes it; another solver raises a ValueError); the intercept
        is never bounded.  α = 0 is allowed when every coefficient has two finite limits or X
        has full column rank.
    exclude : array of int, default=None
        Indices of features left out of the fit, their coefficient reported as 0 (glmnet's
        ``exclude``); every solver honours it.
    solver : {"auto", "cd", "cg", "cholesky", "svd"} or a scikit-learn name, default="auto"
        scikit-learn's names are accepted as aliases: ``"sparse_cg"``, ``"lsqr"``, ``"sag"``,
        ``"saga"`` mean ``"cg"``, and ``"lbfgs"`` means ``"cd"`` (which honours `positive`);
        `solver_` names the solver that ran.
        ``"cd"``: coordinate descent (on the Gram XᵀWX when n ≥ 2p, else on X with residual
        updates; sparse X is used in CSC form); it refuses α = 0 on rank-deficient X unless
        ``positive=True`` (least squares then has many solutions, and CD does not find the
        minimum-norm one).
        ``"cg"``: Jacobi-preconditioned conjugate gradient on the normal equations, or on the
        kernel system when p > n; at α = 0 the preconditioner is scalar, so that a cold fit
        converges to the minimum-norm least-squares solution.  A solve on the normal equations
        that has not converged after 32 Jacobi iterations (α > 0, positive penalty factors)
        continues with a randomized Nyström preconditioner (Frangella, Tropp & Udell 2023),
        whose iteration count depends on the effective dimension at α rather than on the
        condition number; the kernel system keeps Jacobi (its iterates stay in X's row space,
        so that a small α still gives the ridge, near minimum-norm, solution).
        ``"cholesky"``:
        exact, through the Gram (n ≥ p) or kernel (p > n) matrix.  ``"svd"``: exact and the most
        accurate (centred, column-normalized SVD); handles α = 0 and rank deficiency with the
        minimum-norm solution.  ``"auto"``: see Notes.
    tol : float, default=1e-6
        Iterative solvers stop when the norm of the objective's gradient, in the coordinates
        where every column has unit scale (each component divided by
        √(Σ w (x − x̄)² + α·penalty_factor) of its column), is at most `tol` times its norm at
        β = 0 (the relative KKT residual; the plain relative gradient when all columns have the
        same scale).
    max_iter : int, default=None
        Iteration cap of the iterative solvers: sweeps for cd, mat-vec iterations for cg.
        None means 1000 for both.
    warm_start : bool, default=False
        Start an iterative solver from the previous `coef_` (a refit on the same data and α then
        takes 0 iterations).
    copy_X : bool, default=True
        Accepted for compatibility with scikit-learn; fastridge never modifies X, so no copy is
        ever needed for safety.
    random_state : None, int or numpy.random.Generator, default=None
        Accepted for compatibility with scikit-learn and unused: every fastridge solver is
        deterministic.
    df : float, default=None
        Ask for the shrinkage by its effective degrees of freedom instead of α (ESL §3.4.1,
        Figure 3.8; R's genridge): `fit` takes the α ≥ 0 at which
        df(α) = Σ d²/(d² + α) equals `df`, d the singular values of the design as fitted
        (weighted, centred, standardized with `standardize`, divided by √v; the intercept not
        counted), df in (0, rank]; `alpha_` is that α, one for all targets.  Needs positive
        penalty factors and the min(n, p)² decomposition in memory; exclusive with a `alpha`
        other than its default and with ``positive=True``.
    penalty_matrix : array-like of shape (n_features, n_features), default=None
        %(penalty_matrix)s
        Every solver works on it, and `coef_` is β.
        %(penalty_matrix_limits)s
    %(penalty_root)s
    %(coef_prior)s

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients on the original scale of X (also with ``standardize=True``); (n_features,)
        also for y of shape (n_samples, 1), as scikit-learn.
    intercept_ : float or ndarray of shape (n_targets,)
        The intercept β₀, a numpy scalar of X's float dtype for 1-D y, else an array; the
        Python float 0.0 with ``fit_intercept=False`` (scikit-learn's layout).
    n_iter_ : int or ndarray of shape (n_targets,)
        Iterations run by an iterative solver (≥ 1 after a cold fit; 0 for a warm start already
        at the optimum); 1 for the direct ones (one factorization).
    solver_ : str
        The solver actually used (``"cholesky"`` falls back to ``"svd"`` when the matrix is
        numerically singular).
    alpha_ : float
        With `df`: the α solved for, the same for every target (not set without `df`).
    n_features_in_ : int
        Number of columns of X seen in `fit`.
    feature_names_in_ : ndarray of str of shape (`n_features_in_`,)
        Column names of X, defined only when X had string column names (a pandas DataFrame).

    See Also
    --------
    RidgeCV : Ridge with α chosen by exact leave-one-out or k-fold cross-validation.
    RidgeEM : Ridge with α chosen by maximizing the marginal likelihood.
    ridge_path : Solutions over a grid of α, warm-started.

    Notes
    -----
    glmnet's options: ``offset`` in `fit` is a known per-row term of the linear predictor (the
    fit is made on y − offset, the intercept still fitted), and a model fitted with one needs
    ``predict(X, offset=...)`` (glmnet's ``newoffset``), a ValueError otherwise;
    `lower_limits`/`upper_limits` and `exclude` are described above.  glmnet's λ is
    α = λ·(Σw)·(p/Σv)/s_y, s_y the weighted population SD of y (root mean square without an
    intercept) and Σv glmnet's penalty factors summed over all features (an excluded one counts
    as 1); see the README's "glmnet's offset, limits and exclude".

    With ``standardize=True`` each column is centred (with an intercept) and divided by its
    weighted population standard deviation sⱼ (ddof=0, about the weighted mean also without
    an intercept, as ``StandardScaler(with_mean=False)``) before the penalty; the fit is made
    on that scale and the coefficients divided by sⱼ, so `predict` takes raw X and agrees with
    ``StandardScaler`` followed by ridge.  Centring and scaling are implicit: X is never copied,
    centred or densified.

    The ``"auto"`` rule, in order:

    1. ``positive=True`` → ``"cd"`` (the only solver that honours the constraint);
    2. some α = 0 → ``"svd"`` when a dense float64 copy of X fits in the working memory (2 GiB
       by default, see :func:`fastridge.config_context`), else ``"cg"``;
    3. dense X → ``"cholesky"`` when the min(n, p)² Gram or kernel matrix fits in it (p² when
       some penalty factor is 0, as the kernel form needs positive factors), else ``"cg"``;
    4. sparse X → ``"cholesky"`` when p ≤ 1000, else ``"cg"``.

    The iterative solvers stop when ‖∇f(β)‖ ≤ `tol` · ‖∇f(0)‖, f the objective (the relative
    KKT residual), the gradient measured with every column at unit scale (see `tol`), checked
    before their first iteration; one that stops at `max_iter` warns with a
    :class:`~fastridge.exceptions.ConvergenceWarning`.

    float32 X is fitted in float32 (`coef_`, `intercept_` and predictions are float32); integer
    and bool X become float64.

    The fit squares X's columns and y: their spreads (weighted standard deviation, or root
    mean square without an intercept) and weighted sums of squares must stay within float64's
    range, about 1e±150 for the spreads; otherwise a ValueError names the column (or y, or the
    sample weights).  float32 data whose Gram matrix would leave float32's range are computed
    in float64; `coef_` and the predictions are float32 all the same.

    Threads and pickles: the kernels release the GIL, so fits in several threads run in parallel,
    also of many models on one shared read-only X (never modified); one estimator object is not
    fitted, nor its parameters set, while another thread uses it.  Loading a pickled estimator
    runs code from the file: unpickle only files you trust.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import Ridge
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 3))
    >>> y = X @ np.array([1.0, -2.0, 0.5]) + 3.0
    >>> model = Ridge(alpha=1e-8).fit(X, y)
    >>> np.round(model.coef_, 4), round(float(model.intercept_), 4)
    (array([ 1. , -2. ,  0.5]), 3.0)

    A larger α shrinks the coefficients; a zero penalty factor exempts a feature:

    >>> print(np.round(Ridge(alpha=100.0).fit(X, y).coef_, 2))
    [ 0.53 -0.99  0.2 ]
    >>> print(np.round(Ridge(alpha=100.0, penalty_factor=[0, 1, 1]).fit(X, y).coef_, 2))
    [ 0.98 -0.99  0.2 ]

    The shrinkage asked for by its effective degrees of freedom (2 of the 3):

    >>> model = Ridge(df=2.0).fit(X, y)
    >>> print(f"alpha_ = {model.alpha_:.4g}", np.round(model.coef_, 2))
    alpha_ = 51.16 [ 0.69 -1.31  0.29]

    Generalized ridge: a second-difference penalty ‖Dβ‖² pulls neighbouring coefficients
    together (a linear trend in the index is not penalized), and `coef_prior` shrinks towards
    a prior mean instead of 0:

    >>> from fastridge import difference_penalty
    >>> D = difference_penalty(3, order=2)          # [[1, -2, 1]]
    >>> print(np.round(Ridge(alpha=1e4, penalty_root=D).fit(X, y).coef_, 3))
    [ 0.227 -0.182 -0.582]
    >>> print(np.round(Ridge(alpha=1e4, coef_prior=[1.0, 1.0, 1.0]).fit(X, y).coef_, 3))
    [0.999 0.97  0.994]
    """

    # fitted attributes, declared for type checkers (set by fit)
    coef_: NDArray[np.floating]
    intercept_: float | np.floating | NDArray[np.floating]
    n_iter_: int | NDArray[np.int64]
    solver_: str
    n_features_in_: int
    feature_names_in_: NDArray[np.object_]

    def __init__(self, alpha: float | ArrayLike = 1.0, *, fit_intercept: bool = True,
                 standardize: bool = False, penalty_factor: ArrayLike | None = None,
                 positive: bool = False,
                 lower_limits: float | ArrayLike | None = None,
                 upper_limits: float | ArrayLike | None = None,
                 exclude: ArrayLike | None = None,
                 solver: SolverName = "auto",
                 tol: float = 1e-6, max_iter: int | None = None, warm_start: bool = False,
                 copy_X: bool = True, random_state: Any = None,
                 df: float | None = None, penalty_matrix: ArrayLike | None = None,
                 penalty_root: ArrayLike | None = None,
                 coef_prior: ArrayLike | None = None) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.positive = positive
        self.lower_limits = lower_limits
        self.upper_limits = upper_limits
        self.exclude = exclude
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start
        self.copy_X = copy_X
        self.random_state = random_state
        self.df = df
        self.penalty_matrix = penalty_matrix
        self.penalty_root = penalty_root
        self.coef_prior = coef_prior

    @unchanged_on_failure
    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            offset: ArrayLike | None = None) -> Ridge:
        """Fit the ridge coefficients and intercept.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Training data: dense, or any scipy.sparse format (``*_matrix`` or ``*_array``; never
            densified).  float32 stays float32; integers and bools become float64.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights wᵢ (not all 0): a zero weight equals deleting the row, an
            integer weight k equals repeating it k times.
        offset : array-like of shape (n_samples,) or (n_samples, n_targets), default=None
            A known term of each row's linear predictor (glmnet's ``offset``): the model is
            y ≈ offset + β₀ + Xβ, so the fit is made on y − offset (β₀ still fitted).  The
            fitted model then needs ``predict(X, offset=...)``.  In-memory data only.

        Returns
        -------
        Ridge
            The fitted estimator (``self``).

        Warns
        -----
        ConvergenceWarning
            When an iterative solver stops at `max_iter` before reaching `tol`.

        See Also
        --------
        ridge_path : Fits for many α at the cost of a few.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge
        >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
        >>> y = np.array([1.0, 2.0, 3.0, 4.0])
        >>> model = Ridge(alpha=0.5, solver="cd").fit(X, y, sample_weight=[1, 1, 2, 1])
        >>> model.solver_, model.n_iter_ > 0
        ('cd', True)
        """
        load_engine()
        from fastridge import _preprocessing as P
        from fastridge._solvers.linalg import scaled_posv

        if generalized_requested(self):
            return generalized_fit(self, X, y, sample_weight, offset=offset)
        self.__dict__.pop("_fit_generalized", None)
        self.__dict__.pop("_generalized_T", None)
        if self.df is None and sample_weight is None and offset is None \
                and type(X) is np.ndarray and type(y) is np.ndarray \
                and _fit_small(self, X, y, P, scaled_posv):
            self.__dict__.pop("alpha_", None)
            self._fit_offset = False
            return self
        self._check_params()
        backend = get_backend(X, y, sample_weight)
        prev = getattr(self, "coef_", None) if self.warm_start else None
        data = backend.validate(self, X, y, sample_weight)
        pf = V.check_penalty_factor(self.penalty_factor, data.p)
        limits = V.check_limits(self.lower_limits, self.upper_limits, data.p)
        excluded = V.check_exclude(self.exclude, data.p)
        data = minus_offset(backend, data, offset, "fit")
        v = np.ones(data.p) if pf is None else pf
        alpha_df = None
        if self.df is not None:        # the spectrum of the problem as fitted (exclude too)
            pr_df = backend.path_problem(data, fit_intercept=self.fit_intercept,
                                         standardize=self.standardize, solver="auto", v=v)
            P.exclude_columns(pr_df, excluded)
            alpha_df = self._alpha_for_df(pr_df, v)
        alphas = V.check_alpha(self.alpha if alpha_df is None else alpha_df, data.k)
        pr, solver = backend.problem(
            data, fit_intercept=self.fit_intercept, standardize=self.standardize,
            solver=V.canonical_solver(self.solver), alphas=alphas, v=v,
            positive=bool(self.positive), penalty_factor=pf, limits=limits is not None)
        P.exclude_columns(pr, excluded)
        B0 = None
        if prev is not None:
            prev = np.atleast_2d(np.asarray(prev, dtype=np.float64))
            B0 = prev if prev.shape == (pr.k, pr.p) else None
        fit = engine.fit(pr, alphas, v, solver, positive=bool(self.positive), limits=limits,
                         tol=float(self.tol), max_iter=self.max_iter, B0=B0, dtype=data.dtype,
                         asked=self.solver)
        set_linear_fit(self, fit, dtype=data.dtype, single=data.single)
        self._set_alpha_df(alpha_df)
        self.__dict__.pop("stats_", None)  # a fit on rows starts any streaming afresh
        # the statistics of these rows, for a partial_fit that follows, when they are cheap
        # (not after an offset: the rows partial_fit adds would have none)
        self._fit_offset = offset is not None
        self._fit_stats = None if self._fit_offset else backend.fit_statistics(data, pr)
        self._stats_single = data.single
        return self

    def _alpha_for_df(self, pr, v):
        """`df`: the α of that effective number of degrees of freedom on problem `pr`
        (`fastridge._spectral.Spectrum.alpha_for_df`)."""
        from fastridge import _spectral

        alpha = self.alpha
        if not (np.ndim(alpha) == 0 and not isinstance(alpha, (bool, np.bool_))
                and alpha == 1.0):
            raise ValueError(f"Ridge: df= and alpha= are mutually exclusive (df chooses alpha); "
                             f"got df={self.df!r} and alpha={alpha!r}. Leave alpha at its "
                             f"default 1.0.")
        if self.positive or self.lower_limits is not None or self.upper_limits is not None:
            raise ValueError("Ridge: df= with positive=True or lower_limits/upper_limits is "
                             "refused: the effective degrees of freedom sum d²/(d² + alpha) are "
                             "those of the unconstrained fit.")
        df, scalar = V.check_values(self.df, "df", positive=True)
        if not scalar:
            raise ValueError(f"df must be a single number (one alpha for every target), got "
                             f"{self.df!r}.")
        why = "the rows are held elsewhere (Dask)" if pr.form == "operator" \
            else _policy.spectral_unavailable(pr, v)
        if why is not None:
            raise ValueError(f"Ridge(df=...) needs one spectral decomposition of the problem, "
                             f"which is not available here: {why}.")
        return _spectral.spectrum(pr, v).alpha_for_df(df[0])

    def _set_alpha_df(self, alpha_df):
        if alpha_df is None:
            self.__dict__.pop("alpha_", None)
        else:
            self.alpha_ = float(alpha_df)

    def predict(self, X: MatrixLike, offset: ArrayLike | None = None) -> NDArray[np.floating]:
        """Predict with the fitted linear model, plus an offset.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Raw (unstandardized) data with the columns seen in `fit`.
        offset : array-like of shape (n_samples,) or (n_samples, n_targets), default=None
            The rows' known term of the linear predictor (glmnet's ``newoffset``), added to
            the predictions.  Required when the model was fitted with an offset (as glmnet,
            which stops when ``newoffset`` is missing), a ValueError otherwise.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_targets)
            ``X @ coef_.T + intercept_ (+ offset)``.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
        >>> off = np.array([10.0, 10.0, 0.0, 0.0])
        >>> model = Ridge(alpha=1e-10).fit(X, 2 * X[:, 0] + off, offset=off)
        >>> print(np.round(model.coef_, 6), np.round(model.predict([[4.0]], offset=[5.0]), 6))
        [2.] [13.]
        """
        self._check_is_fitted()
        if offset is None:
            if getattr(self, "_fit_offset", False):
                raise ValueError("This Ridge was fitted with an offset: predict needs "
                                 "predict(X, offset=...) for the new rows (as glmnet's "
                                 "newoffset).")
            return super().predict(X)
        pred = super().predict(X)
        off = V.check_offset(offset, pred.shape[0], 1 if pred.ndim == 1 else pred.shape[1],
                             pred.ndim == 1)
        out = pred + (off if off.ndim == pred.ndim else off[:, None])
        return out.astype(pred.dtype, copy=False)

    def _check_params(self):
        """The constructor parameters' check, as fit, partial_fit and set_params make it."""
        V.check_params(solver=self.solver, tol=self.tol, max_iter=self.max_iter,
                       fit_intercept=self.fit_intercept, standardize=self.standardize,
                       positive=self.positive, warm_start=self.warm_start, copy_X=self.copy_X)

    # ---------------------------------------------------------------- streaming
    @unchanged_on_failure  # a failed block leaves the statistics and attributes as they were
    def partial_fit(self, X: MatrixLike, y: ArrayLike,
                    sample_weight: ArrayLike | None = None) -> Ridge:
        """Add a block of rows and re-solve from the accumulated sufficient statistics.

        For data that arrive in pieces or do not fit in memory (chunks of a file, a memmap, a
        stream).  Only the statistics of the rows seen are kept — total weight, column means
        and the centred cross products XᵀWX, XᵀWy, yᵀWy — O(p² + p·k) memory however many rows.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_block, n_features)
            The block's rows (dense or any sparse format; float32 blocks keep float32 results
            when every block is float32).
        y : array-like of shape (n_block,) or (n_block, n_targets)
            The block's targets; the number of targets must stay the same across blocks.
        sample_weight : array-like of shape (n_block,), default=None
            The block's weights (≥ 0, not all zero).

        Returns
        -------
        Ridge
            The estimator, fitted to all the rows seen so far.

        See Also
        --------
        fit : Fit on all the rows at once (starts any streaming afresh).
        fastridge.ridge_path : Also accepts row-chunked Dask arrays, for data on a cluster.

        Notes
        -----
        Each block's statistics come from one pass over it (the shifted one-pass Gram kernel)
        and are merged with the pairwise updates of Chan, Golub and LeVeque, never as raw sums
        from which W x̄x̄ᵀ is subtracted; so the fit after the last block equals ``fit`` on the
        stacked rows to rounding, even when column means are large against their spread.
        After each call the estimator is fitted (one p × p solve); ``set_params`` (a new
        `alpha`, `standardize`, `penalty_factor`, ...) re-solves from the kept statistics,
        without the data.  Solvers all work on the p × p Gram: "auto" and "cholesky" (exact,
        minimum-norm when singular), "cd" (needed for `positive`), "cg", and "svd" (the
        eigendecomposition of the Gram; without the rows it cannot reach the accuracy of the
        in-memory "svd").  The statistics are in the attribute `stats_`.

        After `fit`, partial_fit continues from the rows `fit` saw when `fit` kept their
        statistics: when it formed their centred Gram in its pass over X (as the default
        solver does on dense X with n ≥ p, an intercept and at most 512 features: nothing
        extra is computed), or when forming them costs at most n·p² = 1e7 flops.  After any
        other `fit` it raises a ValueError rather than drop those rows.  A block that `fit`
        would refuse raises `fit`'s error and leaves the estimator, statistics included, as it
        was.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((1000, 3))
        >>> y = X @ np.array([1.0, -2.0, 0.5]) + 3.0
        >>> model = Ridge(alpha=1.0)
        >>> for rows in np.array_split(np.arange(1000), 4):
        ...     model = model.partial_fit(X[rows], y[rows])
        >>> bool(np.allclose(model.coef_, Ridge(alpha=1.0).fit(X, y).coef_, rtol=1e-12))
        True
        >>> coef_small_alpha = model.coef_
        >>> model = model.set_params(alpha=1e6)             # re-solved, no data needed
        >>> bool(np.abs(model.coef_).max() < 0.01 * np.abs(coef_small_alpha).max())
        True
        """
        load_engine()
        from fastridge import _preprocessing as P, _stats

        self._check_params()
        if generalized_requested(self) or self.__dict__.get("_fit_generalized"):
            raise ValueError("Ridge.partial_fit does not support penalty_matrix, penalty_root or "
                             "coef_prior (nor continuing a fit made with them): fit on all the "
                             "rows instead.")
        prev = self.__dict__.get("stats_")
        if prev is None and self.__dict__.get("_fit_offset"):
            raise ValueError("partial_fit after a fit with an offset: the blocks partial_fit "
                             "adds have none. Subtract the offset from y in every block and "
                             "stream them from an unfitted estimator, or refit.")
        if prev is None and "_fit_stats" in self.__dict__:
            prev = self._fit_stats
            if isinstance(prev, tuple):
                prev = _small_fit_stats(*prev)
            if prev is None:
                raise ValueError(
                    "partial_fit after fit: this Ridge was fitted by fit() on rows whose "
                    f"statistics it did not keep (fit keeps them "
                    f"{_policy.keep_statistics_rule()}), so it cannot add rows to them. "
                    "Stream every block with partial_fit from an unfitted estimator "
                    "(sklearn.base.clone(model)), or refit on all the rows.")
        X, yv = V.validate_data(self, X, y, reset=prev is None)
        sw = V.check_sample_weight(sample_weight, X.shape[0], X.dtype)
        single = yv.ndim == 1
        Y = yv[:, None] if single else yv
        if prev is not None:
            if single != self._stats_single or Y.shape[1] != prev.k:
                raise ValueError(
                    f"y has {Y.shape[1]} target(s) ({yv.ndim}-D), but this Ridge was "
                    f"fitted with {prev.k} target(s) "
                    f"({1 if self._stats_single else 2}-D); call fit to start afresh.")
        # the checks fit makes on these rows, with its errors (values whose squares overflow
        # float64 would otherwise turn the statistics into NaN for good)
        P.prepare(X, Y, sw, fit_intercept=self.fit_intercept, standardize=self.standardize)
        block = _stats.block_stats(X, Y, sw)
        stats = block if prev is None else _stats.merge(prev, block)
        if not _stats.finite(stats):
            raise ValueError(
                "Input X and y together with the rows partial_fit has seen have sums of squares "
                "that overflow float64: rescale X or y (the coefficients scale with them).")
        self.stats_ = stats
        self.__dict__.pop("_fit_stats", None)
        self._stats_single = single
        self._solve_stats()
        return self

    def _solve_stats(self):
        """(Re-)solve from `stats_` with the current parameters."""
        load_engine()
        from fastridge import _preprocessing as P, _stats

        st = self.stats_
        pf = V.check_penalty_factor(self.penalty_factor, st.p)
        v = np.ones(st.p) if pf is None else pf
        limits = V.check_limits(self.lower_limits, self.upper_limits, st.p)
        pr = _stats.problem(st, fit_intercept=self.fit_intercept,
                            standardize=self.standardize)
        P.exclude_columns(pr, V.check_exclude(self.exclude, st.p))
        alpha_df = None if self.df is None else self._alpha_for_df(pr, v)
        alphas = V.check_alpha(self.alpha if alpha_df is None else alpha_df, st.k)
        fit = engine.fit(pr, alphas, v, V.canonical_solver(self.solver),
                         positive=bool(self.positive), limits=limits, tol=float(self.tol),
                         max_iter=self.max_iter, dtype=st.dtype, asked=self.solver)
        set_linear_fit(self, fit, dtype=st.dtype, single=self._stats_single)
        self._set_alpha_df(alpha_df)

    @unchanged_on_failure
    def set_params(self, **params: Any) -> Ridge:
        """Set constructor parameters; an estimator fitted by `partial_fit` re-solves.

        Parameters
        ----------
        **params : dict
            ``name=value`` for constructor parameters.

        Returns
        -------
        Ridge
            The estimator (``self``); when it holds `partial_fit` statistics, refitted from
            them with the new parameters (no data needed).  The parameters are then validated
            as `fit` validates them; on an error the estimator is left as it was.

        See Also
        --------
        partial_fit : Streaming fits whose statistics a new `alpha` can reuse.

        Examples
        --------
        >>> from fastridge import Ridge
        >>> Ridge().set_params(alpha=0.5, solver="cd")
        Ridge(alpha=0.5, solver='cd')
        """
        super().set_params(**params)
        if "stats_" in self.__dict__:
            self._check_params()  # validated as fit validates them
            self._solve_stats()
        return self

    # ---------------------------------------------------------------- inference
    def inference(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
                  *, kind: str = "sandwich", offset: ArrayLike | None = None) -> Any:
        """Standard errors, confidence intervals, tests and VIFs of the fitted coefficients.

        The ridge estimator θ̂ = (β̂₀, β̂) is linear in y.  With Z the columns of X centred (with
        an intercept) and scaled as fitted (``standardize``), W = diag(`sample_weight`),
        V = diag(`penalty_factor`) and A = ZᵀWZ + αV, the frequentist covariance of the
        coefficients (of the fit coordinates b, mapped exactly to the raw scale) is the
        sandwich

            Cov b̂ = σ̂² A⁻¹ ZᵀWZ A⁻¹,   Var ȳ = σ̂²/Σw,   Cov(ȳ, b̂) = 0,
            σ̂² = Σ wᵢ eᵢ² / ν,   ν = n₊ − tr(2H − HᵀH) − 1,

        H = W^½ Z A⁻¹ ZᵀW^½ (the penalized part of the hat matrix), n₊ the rows with positive
        weight, −1 only with an intercept; the intercept's rows are those of the same sandwich
        for [1 X] with the intercept unpenalized.  It is the covariance of the estimator
        around its mean E β̂ (the bias-free target): the ridge bias is not in it, and intervals
        cover E β̂, not β.  At α = 0 it is ordinary (weighted) least squares' covariance.

        Parameters
        ----------
        X : array-like, scipy.sparse matrix or Dask array of shape (n_samples, n_features)
            The rows the model was fitted on (after `partial_fit`: all the blocks, e.g. a
            memmap or a Dask array).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Their targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Their weights, read as precision weights (Var εᵢ = σ²/wᵢ, R's ``lm(weights=)``):
            rows of weight 0 are left out, also of n₊.
        kind : {"sandwich", "HC0", "HC1", "HC2", "HC3", "bayes"}, default="sandwich"
            ``"sandwich"``: the formula above (homoscedastic noise).  ``"HC0"`` … ``"HC3"``:
            heteroscedasticity-consistent, A⁻¹ (Σᵢ ωᵢ wᵢ² eᵢ² zᵢzᵢᵀ) A⁻¹ (the intercept
            included as above) with ωᵢ = 1, n₊/ν, 1/(1 − hᵢ), 1/(1 − hᵢ)², hᵢ = wᵢ(1/Σw +
            zᵢᵀA⁻¹zᵢ) the leverage; one more pass over the rows.  ``"bayes"``: the posterior of
            `RidgeEM`'s model at this α (b ~ N(0, σ²(αV)⁻¹), flat intercept): Cov b = σ̂²A⁻¹,
            σ̂² = (Σwe² + α bᵀVb)/(Σw − 1 − #unpenalized), with weights counting observations.
        offset : array-like of shape (n_samples,) or (n_samples, n_targets), default=None
            The rows' offset, when the model was fitted with one (required then, as in
            `predict`).  Columns in `exclude` are fixed at 0: their standard error is 0.

        Returns
        -------
        RidgeInference
            `coef`, `se`, `cov`, `t`, `p_values`, `vif`, `conf_int(level)` and `summary()`;
            the parameters are the intercept (first, when fitted) and the features.

        Raises
        ------
        ValueError
            For ``positive=True`` (the constrained estimator is not linear in y), a singular
            system (α = 0 on collinear columns), no residual degrees of freedom, or X, y not
            of the fitted shape.

        Notes
        -----
        Everything comes from the p × p sufficient statistics of (X, y, w), plus for HC one
        more pass over the rows for the residuals and leverages; the same on Dask.  When the
        estimator kept the statistics of its rows (`partial_fit`, or a `fit` that formed them,
        see `partial_fit`) and X, y, w are those rows — checked in one read of them, O(n·p):
        count, total weight, means, Xᵀ W y and ZᵀWZ along two random directions — they are
        reused; otherwise one pass forms them (O(n·p²), as a fit with solver "cholesky").  The
        coefficients are solved exactly from those statistics; when they differ from `coef_` by
        more than 1% of a standard error (X, y are not the fitted data, or an iterative solver
        stopped early) a UserWarning says so.  With several targets each has its own table.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((100, 3))
        >>> y = X @ np.array([1.0, 0.0, -1.0]) + rng.standard_normal(100)
        >>> res = Ridge(alpha=5.0).fit(X, y).inference(X, y)
        >>> print(np.round(res.coef, 3))
        [-0.045  0.945 -0.129 -1.097]
        >>> print(np.round(res.se, 3))
        [0.093 0.081 0.088 0.092]
        >>> print(np.round(res.p_values, 4))
        [0.6271 0.     0.1455 0.    ]

        At α → 0 these are ordinary least squares' standard errors (R's ``summary(lm())``);
        ``kind="HC3"`` drops the assumption of a constant noise variance:

        >>> print(np.round(Ridge(alpha=5.0).fit(X, y).inference(X, y, kind="HC3").se, 3))
        [0.094 0.085 0.078 0.097]
        """
        load_engine()
        from fastridge._engine.inference import check_kind, ridge_inference

        self._check_is_fitted()
        kind = check_kind(kind)
        if self.__dict__.get("_fit_generalized"):
            raise ValueError("Ridge.inference is not available for a fit with penalty_matrix, "
                             "penalty_root or coef_prior.")
        if self.positive or self.lower_limits is not None or self.upper_limits is not None:
            raise ValueError("Ridge.inference is not available for positive=True or "
                             "lower_limits/upper_limits: the constrained estimator is not "
                             "linear in y, and its sandwich covariance does not hold.")
        self._check_params()
        backend = get_backend(X, y, sample_weight)
        data = backend.validate(self, X, y, sample_weight, reset=False)
        if offset is None and getattr(self, "_fit_offset", False):
            raise ValueError("This Ridge was fitted with an offset: inference needs the rows' "
                             "offset too, inference(X, y, offset=...).")
        data = minus_offset(backend, data, offset, "fit")
        fitted_k = 1 if np.ndim(self.coef_) == 1 else np.shape(self.coef_)[0]
        if data.k != fitted_k:
            raise ValueError(f"y has {data.k} target(s), but this Ridge was fitted with "
                             f"{fitted_k}.")
        alphas = V.check_alpha(self.alpha if self.df is None else self.alpha_, data.k)
        pf = V.check_penalty_factor(self.penalty_factor, data.p)
        names = list(getattr(self, "feature_names_in_", [f"x{j}" for j in range(data.p)]))
        if self.fit_intercept:
            names = ["intercept"] + names
        kept = self.__dict__.get("stats_", self.__dict__.get("_fit_stats"))
        if isinstance(kept, tuple):
            kept = _small_fit_stats(*kept)
        res = ridge_inference(backend, data, alphas=alphas,
                              v=np.ones(data.p) if pf is None else pf,
                              fit_intercept=self.fit_intercept, standardize=self.standardize,
                              kind=kind, names=names, single=np.ndim(self.coef_) == 1,
                              kept=kept, exclude=V.check_exclude(self.exclude, data.p))
        _warn_if_not_fitted_data(self, res)
        return res


def _warn_if_not_fitted_data(est, res):
    """UserWarning when the exact coefficients of the data given to `inference` differ from
    the fitted `coef_`/`intercept_` by more than 1% of a standard error (an iterative solver's
    tolerance stays far below)."""
    from fastridge.exceptions import warn

    coef = np.atleast_2d(res.coef)
    se = np.atleast_2d(res.se)
    fitted = np.atleast_2d(np.asarray(est.coef_, dtype=np.float64))
    if est.fit_intercept:
        fitted = np.hstack([np.atleast_1d(np.asarray(est.intercept_, np.float64))[:, None],
                            fitted])
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(se > 0, np.abs(coef - fitted) / se, 0.0)
    gap = np.where(np.isnan(gap), np.inf, gap)  # NaN standard errors: compare at all
    if np.any(gap > 0.01):
        warn(UserWarning,
             f"Ridge.inference: the exact ridge coefficients of the X, y given differ from the "
             f"fitted coef_/intercept_ (by up to {gap.max():.3g} standard errors): the "
             "inference is for the exact solution on the data given. Pass the data the model "
             "was fitted on (or refit with solver='cholesky').")
