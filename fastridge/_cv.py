"""RidgeCV: α by exact leave-one-out from one spectral decomposition, or by k-fold from each
fold's decomposition or its warm-started path.

Leave-one-out, in the fit coordinates of :mod:`fastridge._preprocessing` (Ẑ the weighted,
centred, scaled design divided by √v, ỹ = W^{1/2} y_c, Ẑ = U S Vᵀ of rank r, c = Uᵀỹ): the
hat matrix of the weighted ridge fit with an unpenalized intercept is

    H(α) = W^{1/2} 1 1ᵀ W^{1/2} / W  +  U diag(s²/(s² + α)) Uᵀ

and the W^{1/2}-scaled leave-one-out residual of row i is (ỹ − Hỹ)ᵢ / (1 − Hᵢᵢ).  Both numerator
and denominator are split into an α-free part and a part proportional to α:

    ỹᵢ − (Hỹ)ᵢ = r0ᵢ + α aᵢ(α),   r0 = ỹ − U c,        aᵢ(α) = Σⱼ Uᵢⱼ cⱼ / (sⱼ² + α)
    1 − Hᵢᵢ    = Mᵢᵢ + α bᵢ(α),   Mᵢᵢ = 1 − wᵢ/W − ‖uᵢ‖²,  bᵢ(α) = Σⱼ Uᵢⱼ² / (sⱼ² + α)

M (the residual projector of the unpenalized least-squares fit) is positive semidefinite, so
Mᵢᵢ = 0 forces r0ᵢ = 0: the row is interpolated by the least-squares fit (a wide problem, a row
with a feature of its own).  For such rows the ratio is aᵢ/bᵢ, which is exact for every α > 0
and is the α → 0⁺ limit at α = 0; nothing of size 1 − Hᵢᵢ ≈ α is ever formed by cancellation.
"""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

from fastridge import _docs, _grid, _policy, _validation as V
from fastridge._backends import get_backend
from fastridge._base import set_linear_fit, unchanged_on_failure
from fastridge._engine import fit as engine
from fastridge._engine.path import default_alphas
from fastridge._engine.selection import (
    GeneralizedCV,
    LeaveOneOut,
    cv_folds,
    descending,
    fold_mean_coef,
    is_closed_form,
    is_gcv,
    is_leave_one_out,
    kfold_bounds,
    kfold_curve,
    kfold_from_statistics,
    loo_from_blocks,
    positive_rows,
    select_alpha,
)
from fastridge._lazy import load_engine
from fastridge._linear import LinearRegressorBase, generalized_fit, generalized_requested
from fastridge._progress import Progress, seconds
from fastridge._routing import RoutingMixin
from fastridge._scoring import resolve_scoring

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, Literal, Protocol

    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike, NDArray
    from sklearn.utils.metadata_routing import MetadataRouter

    from fastridge._typing import MatrixLike, SolverName

    class _Splitter(Protocol):
        def split(self, X: Any, y: Any = ...) -> Iterable[tuple[ArrayLike, ArrayLike]]: ...

RULES = ("min", "1se")
# scikit-learn's names of its leave-one-out computations, accepted and without effect
GCV_MODES = (None, "auto", "svd", "eigen")
# LOO work arrays (n × block of α × k) are kept under this many float64 elements.


def _check_grid(alphas):
    """User α grid → float64 (m,), finite, ≥ 0, non-empty."""
    if isinstance(alphas, (str, bytes, bool, np.bool_)):
        raise TypeError(f"alphas must be an array of non-negative floats, got {alphas!r}.")
    if isinstance(alphas, (list, tuple)):  # name the bad entry, in scikit-learn's words
        for i, value in enumerate(alphas):
            if isinstance(value, (str, bytes, bool, np.bool_)) or not isinstance(
                    value, (numbers.Real, np.ndarray)):
                raise TypeError(f"alphas[{i}] must be an instance of float, not "
                                f"{type(value).__name__}.")
            if isinstance(value, numbers.Real) and value < 0:
                raise ValueError(f"alphas[{i}] == {value}, must be > 0.0 or equal to 0.0 "
                                 f"(alpha = 0 is unpenalized least squares).")
    try:
        a = np.asarray(alphas, dtype=np.float64)
    except OverflowError as exc:  # a Python int beyond float64
        raise ValueError("alphas must be finite and >= 0; it holds a value too large for "
                         "float64.") from exc
    except (TypeError, ValueError) as exc:
        raise TypeError(f"alphas must be an array of non-negative floats, got {alphas!r}."
                        ) from exc
    if a.ndim == 0:
        a = a.reshape(1)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"alphas must be a non-empty 1-D array, got shape {a.shape}.")
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"alphas must be finite and >= 0, got {a!r}.")
    return a


def record_choice(est, grid, mean, se, per_target, extra):
    """Choose α on each error curve (mean, se: (m, K) in grid order) by `est.rule` and set
    `alpha_`, `best_score_` and `cv_results_`."""
    K = mean.shape[1]
    chosen = [select_alpha(grid, mean[:, t], se[:, t], est.rule) for t in range(K)]
    if per_target:
        est.alpha_ = grid[chosen].astype(np.float64)
        est.best_score_ = -mean[chosen, np.arange(K)]
        res_mean, res_se = mean, se
    else:
        est.alpha_ = float(grid[chosen[0]])
        est.best_score_ = float(-mean[chosen[0], 0])
        res_mean, res_se = mean[:, 0], se[:, 0]
    est.cv_results_ = {"alphas": grid.copy(), "mean_error": res_mean, "se_error": res_se,
                       **extra}


# --------------------------------------------------------------------------- the estimator
@_docs.fill
class RidgeCV(RoutingMixin, LinearRegressorBase):
    """Ridge regression with α chosen by cross-validation.

    Exact leave-one-out for every α from one spectral decomposition (``cv=None``), or k-fold
    cross-validation (``cv=k`` or a splitter) that scores every α from each fold's spectral
    decomposition where one applies and fits in memory, else from a warm-started
    :func:`fastridge.ridge_path` per fold; then a refit on all the data with
    :class:`fastridge.Ridge` at the chosen α.
    The objective is Ridge's: ``Σᵢ wᵢ (yᵢ − xᵢᵀβ − β₀)² + α Σⱼ vⱼ βⱼ²``.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,), default=None
        The α grid (finite, ≥ 0), used as given: never extended, `alpha_` one of its values;
        a minimum at one of its ends gives :class:`~fastridge.exceptions.AlphaGridWarning`.
        None: R glmnet's default grid (``n_alphas`` values, see :func:`fastridge.ridge_path`)
        on the full data, descending, extended past an end when the minimum sits there (see
        Notes).
    n_alphas : int, default=100
        Size of the default grid (ignored when `alphas` is given).
    cv : None, "loo", "gcv", int, splitter or iterable, default=None
        None or ``"loo"``: exact, efficient leave-one-out (see Notes).  ``"gcv"``: generalized
        cross-validation, RSS_w/W / (1 − df/n₊)² (see Notes), from the same decomposition and
        with the same grid extension and refinement; it has no standard error, so it takes
        neither ``rule="1se"``, a `scoring` other than the squared error, nor
        ``store_cv_results=True``.  An int k ≥ 2: k
        contiguous folds,
        without shuffling (scikit-learn's ``KFold(k)`` layout).  An object with
        ``split(X, y)`` (any scikit-learn splitter), or an iterable of (train, test) index
        arrays.  The folds run on threads (the kernels release the GIL), all on the same grid.
    scoring : None, str, scorer or callable, default=None
        The criterion, higher is better (scikit-learn's convention; the error minimized is
        minus the score).  None: for leave-one-out the mean squared error, for k-fold the
        estimator's `score` (R²), as scikit-learn's ``RidgeCV``; both weighted by
        `sample_weight` when given.  ``"neg_mean_squared_error"`` and ``"r2"`` work without
        scikit-learn; any other name of ``sklearn.metrics.get_scorer_names()``, a scorer
        object (``make_scorer``) or a callable ``scorer(estimator, X, y)`` (three required
        positional parameters) is called as scikit-learn calls scorers, with an estimator
        predicting the held-out predictions; any other callable is a metric
        ``metric(y_true, y_pred) -> float``.  scikit-learn's loss functions
        (``mean_squared_error``, ...) are refused as metrics: maximizing them would choose the
        worst α; use their ``"neg_..."`` names.  A criterion is evaluated on each fold's test
        rows for k-fold, and on all the leave-one-out predictions at once for leave-one-out;
        with sample weights it also receives ``sample_weight=`` if its signature accepts that
        keyword (rows of weight 0 then get their full-fit prediction, which is their
        leave-one-out prediction), else it sees only the rows of positive weight, unweighted.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept, as in :class:`fastridge.Ridge`.
    standardize : bool, default=False
        Standardize the columns before the penalty, as in :class:`fastridge.Ridge` (each k-fold
        path with its own training rows).
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty, as in :class:`fastridge.Ridge`.  Exact
        leave-one-out needs them positive.
    alpha_per_target : bool, default=False
        Multi-target y: choose one α per target from its own error curve.  Otherwise one α for
        all targets, chosen on the error averaged over the targets.
    rule : {"min", "1se"}, default="min"
        ``"min"``: the α of lowest mean error (the largest α among ties; with leave-one-out on
        the default grid, refined between grid points).  ``"1se"``: the largest grid α whose
        mean error is within one standard error (taken at the minimum) of the minimum, as
        cv.glmnet's ``lambda.1se`` (the grid is extended as for ``"min"``, without refinement).
    solver : {"auto", "cd", "cg", "cholesky", "svd"}, default="auto"
        Solver of every fold's path and of the final refit, as in :func:`fastridge.ridge_path`
        and :class:`fastridge.Ridge`.  With ``cv=None`` it is used only for the refit.
    tol : float, default=1e-6
        Tolerance of the iterative solvers, as in :class:`fastridge.Ridge`.
    max_iter : int, default=None
        Iteration cap of the iterative solvers at each α, as in :class:`fastridge.Ridge`.
    verbose : int or bool, default=0
        Progress report on ``sys.stderr``.  0 (or False) is silent.  1 (or True): for k-fold, a
        header, a line about every 10 % of the folds (folds done out of k, the elapsed time)
        and a closing line with the chosen `alpha_`, its cross-validated error and the total
        time; for leave-one-out only the closing line.  2: a line for every fold, and each
        fold's path reports as ``ridge_path(verbose=1)`` does, its lines labelled with the
        fold; 3 or more: the paths report every α.  Folds running on threads may finish, and
        report, out of order.
    store_cv_results : bool, default=False
        Keep scikit-learn's per-row cross-validation values in `cv_results_` (see Attributes);
        also for k-fold, where they are the out-of-fold predictions.  Also keeps
        `cv_predictions_` and what :meth:`predict_interval` needs (rows in memory only).
    gcv_mode : {"auto", "svd", "eigen"} or None, default=None
        Accepted for scikit-learn's code and without effect: leave-one-out is always the
        exact computation described in Notes.
    penalty_matrix : array-like of shape (n_features, n_features), default=None
        %(penalty_matrix)s
        Exact leave-one-out, GCV and k-fold choose α among the same models, and `alpha_`,
        `cv_results_` and `coef_` are those of the original problem (``cv_results_["df"]`` counts
        the penalized directions; GCV adds the null space's dimension).
        %(penalty_matrix_limits)s
    %(penalty_root)s
    %(coef_prior)s

    Attributes
    ----------
    alpha_ : float, or ndarray of shape (n_targets,) with `alpha_per_target`
        The chosen α (per `rule`).  Leave-one-out on the default grid with ``rule="min"``: the
        minimizer of the exact LOO error, found between grid points (each target's with
        `alpha_per_target`), so in general not a grid value.
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        From ``Ridge(alpha=alpha_, ...)`` refit on all the data.
    intercept_ : float or ndarray of shape (n_targets,)
        From the same refit.
    best_score_ : float or ndarray of shape (n_targets,)
        The cross-validated score at `alpha_`, higher is better (minus the mean squared error by
        default, scikit-learn's convention).
    cv_results_ : dict, or ndarray with ``store_cv_results=True``
        The dict `cv_summary_`; with ``store_cv_results=True`` instead scikit-learn's per-row
        values, of shape (n_samples, n_alphas), or (n_samples, n_targets, n_alphas) for 2-D y,
        the alphas in the order of ``cv_summary_["alphas"]``, in X's float dtype: for
        leave-one-out with ``scoring=None`` the squared errors wᵢ eᵢ² (scikit-learn's
        values), otherwise the leave-one-out predictions; for k-fold the out-of-fold
        predictions (glmnet's ``keep=TRUE``; NaN for rows in no test fold).
    cv_predictions_ : ndarray of shape (n_samples, n_alphas) or (n_samples, n_targets, n_alphas)
        Only with ``store_cv_results=True``: the out-of-fold predictions in raw y units for
        every α of ``cv_summary_["alphas"]`` (in that order; scikit-learn's `cv_results_`
        layout), in X's float dtype.  Leave-one-out: ŷ₋ᵢ(xᵢ) = yᵢ − eᵢ/(1 − hᵢᵢ), the exact
        prediction of the weighted fit without row i (intercept re-fitted; with
        ``standardize=True`` the column scales of all the rows kept); a row of weight 0 gets
        the full fit's prediction.  k-fold: the prediction of the fold's path that held the row
        out (glmnet's ``keep=TRUE``; NaN for a row in no test fold, the last fold's for a row
        in several).
    cv_summary_ : dict
        ``alphas`` (m,) the grid in the order given, or the default grid descending with the
        points added past its ends (so a plot shows them);
        ``mean_error`` and ``se_error`` of shape (m,), or (m, n_targets) with
        `alpha_per_target` and 2-D y; with ``cv=None`` also ``df`` (m,), the effective degrees of
        freedom Σ s²/(s² + α) of the full-data fit.
    n_iter_ : int or ndarray of shape (n_targets,)
        Iterations of the refit's solver (1 for a direct solver and for the leave-one-out
        refit, which reuses the decomposition).
    solver_ : str
        The solver of the refit, as `Ridge.solver_`; ``"eigen"`` when the leave-one-out
        decomposition itself gives the coefficients at `alpha_`.
    n_features_in_ : int
        Number of columns of X seen in `fit`.
    feature_names_in_ : ndarray of str of shape (`n_features_in_`,)
        Column names of X, defined only when X had string column names.

    Warns
    -----
    AlphaGridWarning
        When the minimum of the error curve stays at an end of the grid (see Notes).

    See Also
    --------
    Ridge : Ridge regression at a given α.
    ridge_path : The path that k-fold cross-validation runs on each fold without a spectral
        decomposition.
    RidgeEM : Ridge with α maximizing the marginal likelihood, without cross-validation.

    Notes
    -----
    Leave-one-out (``cv=None``) is exact: the error of row i is that of a refit without row i,
    computed for every α from one eigendecomposition (of the Gram matrix XᵀWX when n ≥ p, of
    the kernel XWXᵀ when p > n) through the residual (yᵢ − ŷᵢ)/(1 − hᵢᵢ), where the leverage
    hᵢᵢ includes the intercept's wᵢ/W; sample weights are honoured (a weighted refit without row
    i), and the error is Σ wᵢ eᵢ² / Σ wᵢ.  With ``standardize=True`` it is exact with respect to
    refits that keep the full data's column scaling (the scale is not re-estimated without row
    i); centring is exact, through the intercept's leverage.  Rows that the least-squares fit
    interpolates (hᵢᵢ → 1 as α → 0: wide X, rank deficiency) are handled without cancellation, so
    tiny α and α = 0 give finite, exact errors.  It needs positive penalty factors and a
    min(n, p)² matrix that fits in memory; otherwise use k-fold (``cv=5``).

    Standard errors follow cv.glmnet: for k folds, sqrt(Σ ωf (ef − ē)² / Σ ωf / (k − 1)) over the
    per-fold errors ef with fold weights ωf (the fold's total sample weight, its size without
    weights), and ē = Σ ωf ef / Σ ωf (for the mean squared error this equals the error pooled
    over all rows).  For leave-one-out, each row is a fold of weight wᵢ: the standard deviation
    of the n squared errors over √n (weighted).  With a `scoring` other than the squared error
    and leave-one-out there is no per-row error: `se_error` is NaN, and ``rule="1se"`` is
    refused.

    Generalized cross-validation (``cv="gcv"``, Craven and Wahba 1979; Golub, Heath and Wahba
    1979) replaces every leverage of leave-one-out by their mean: with RSS_w(α) = Σ wᵢ (yᵢ −
    ŷᵢ)² the weighted residual sum of squares of the fit on all rows, W = Σ wᵢ, n₊ the number of
    rows of positive weight and df(α) = Σ s²/(s² + α) (the intercept not counted, as
    ``MASS::lm.ridge``),

        GCV(α) = (RSS_w(α) / W) / (1 − df(α)/n₊)²

    Without weights this is n · RSS/(n − df)², n times ``MASS::lm.ridge``'s ``GCV`` (whose λ is
    α with ``standardize=True``): the same minimizer.  `cv_summary_` then holds the GCV as
    ``mean_error`` (``se_error`` NaN); `best_score_` is minus the GCV at `alpha_`.  On Dask
    arrays it needs no pass beyond the sufficient statistics (one more for the count n₊ when
    weighted), and its default grid is extended and refined as in memory.

    With ``standardize=True`` each k-fold path standardizes with its own training rows, as
    glmnet does.

    The default grid (glmnet's, down to 10⁻⁴ (n ≥ p) or 10⁻² (p > n) times its largest α) is
    never left with its minimum silently at an end (``fastridge._grid`` holds the rules):

    - Leave-one-out extends it past the end where the minimum sits, 20 points at a time with
      the grid's log spacing, until the minimum is interior; or until the effective degrees of
      freedom reach ~0 (df ≤ 1e-3: the intercept-only model is best) or the rank (rank − df ≤
      1e-3: least squares is best), where it stops with an
      :class:`~fastridge.exceptions.AlphaGridWarning` naming the numbers (as it does at its
      safety cap of 4000 added points).  With ``rule="min"``
      `alpha_` is then refined by Brent's method on log α between the neighbours of the best
      grid point (per target with `alpha_per_target`).
    - k-fold extends its path at that end, up to three times by (at most) a factor 10 in α at
      the grid's log spacing — a factor 1000 in all; a minimum still at the end warns.

    A user grid is used as given and only warned about.  A flat curve (errors equal at the end
    and its neighbour, as for a constant y) is not at an end.

    Threads and pickles: the kernels release the GIL, so fits in several threads run in parallel,
    also of many models on one shared read-only X (never modified); one estimator object is not
    fitted, nor its parameters set, while another thread uses it.  Loading a pickled estimator
    runs code from the file: unpickle only files you trust.
    Ctrl-C (or another signal handler's exception) stops a k-fold fit promptly, also when its
    folds run on threads.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import RidgeCV
    >>> rng = np.random.default_rng(2)
    >>> X = rng.standard_normal((80, 5))
    >>> y = X @ np.array([1.0, -1.0, 0.5, 0.0, 2.0]) + 2.0 * rng.standard_normal(80)
    >>> model = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(X, y)
    >>> model.cv_results_["mean_error"].shape
    (13,)
    >>> print(f"alpha_ = {model.alpha_:.3g}", np.round(model.coef_, 1))
    alpha_ = 3.16 [ 1.2 -0.9  0.6  0.   2.1]

    Generalized cross-validation, on the default grid (extended and refined as leave-one-out):

    >>> gcv = RidgeCV(cv="gcv").fit(X, y)
    >>> print(f"alpha_ = {gcv.alpha_:.3g}", np.round(gcv.coef_, 1))
    alpha_ = 2.79 [ 1.2 -0.9  0.6  0.   2.1]

    Ten-fold cross-validation with the one-standard-error rule chooses a larger α:

    >>> model_1se = RidgeCV(alphas=np.logspace(-3, 3, 13), cv=10, rule="1se").fit(X, y)
    >>> bool(model_1se.alpha_ > model.alpha_)
    True
    """

    # fitted attributes, declared for type checkers (set by fit)
    alpha_: float | NDArray[np.float64]
    best_score_: float | NDArray[np.float64]
    coef_: NDArray[np.floating]
    intercept_: float | np.floating | NDArray[np.floating]
    cv_results_: dict[str, NDArray[np.float64]] | NDArray[np.floating]
    cv_summary_: dict[str, NDArray[np.float64]]
    n_iter_: int | NDArray[np.int64]
    n_features_in_: int
    feature_names_in_: NDArray[np.object_]

    def __init__(self, alphas: ArrayLike | None = None, *, n_alphas: int = 100,
                 cv: int | Literal["loo"] | _Splitter | Iterable[tuple[ArrayLike, ArrayLike]]
                 | None = None,
                 scoring: str | Callable[..., float] | None = None, fit_intercept: bool = True,
                 standardize: bool = False, penalty_factor: ArrayLike | None = None,
                 alpha_per_target: bool = False, rule: Literal["min", "1se"] = "min",
                 solver: SolverName = "auto",
                 tol: float = 1e-6, max_iter: int | None = None,
                 verbose: int | bool = 0, store_cv_results: bool = False,
                 gcv_mode: Literal["auto", "svd", "eigen"] | None = None,
                 penalty_matrix: ArrayLike | None = None,
                 penalty_root: ArrayLike | None = None,
                 coef_prior: ArrayLike | None = None) -> None:
        self.alphas = alphas
        self.n_alphas = n_alphas
        self.cv = cv
        self.scoring = scoring
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.alpha_per_target = alpha_per_target
        self.rule = rule
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.verbose = verbose
        self.store_cv_results = store_cv_results
        self.gcv_mode = gcv_mode
        self.penalty_matrix = penalty_matrix
        self.penalty_root = penalty_root
        self.coef_prior = coef_prior

    # ---------------------------------------------------------------- metadata routing
    def get_metadata_routing(self) -> MetadataRouter:
        """Get scikit-learn's metadata routing of this estimator (needs scikit-learn).

        As scikit-learn's ``RidgeCV``: the estimator's own requests (:meth:`set_fit_request`,
        :meth:`set_score_request`), the scorer's (the default criteria and the built-in names
        request ``sample_weight``, which `fit` always uses) and the splitter's (``groups`` for
        a group splitter), all consumed by `fit`.

        Returns
        -------
        sklearn.utils.metadata_routing.MetadataRouter
            The routing, for scikit-learn's meta-estimators and tools.

        See Also
        --------
        set_fit_request : Request ``sample_weight`` for `fit`.

        Examples
        --------
        >>> import sklearn
        >>> from sklearn.model_selection import GroupKFold
        >>> from fastridge import RidgeCV
        >>> with sklearn.config_context(enable_metadata_routing=True):
        ...     routing = RidgeCV(cv=GroupKFold(3)).get_metadata_routing()
        ...     sorted(routing.consumes("fit", ["sample_weight", "groups"]))
        ['groups', 'sample_weight']
        """
        from sklearn.metrics import get_scorer
        from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping

        router = MetadataRouter(owner=self).add_self_request(self._metadata_request_object())
        crit = self._criterion(loo=is_closed_form(self.cv))
        scorer = None
        native = {"r2": "r2", "mse": "neg_mean_squared_error", "accuracy": "accuracy"}
        if crit.kind in native:
            scorer = get_scorer(native[crit.kind]).set_score_request(sample_weight=True)
        elif hasattr(crit.func, "get_metadata_routing"):
            scorer = crit.func
        if scorer is not None:
            router.add(scorer=scorer,
                       method_mapping=MethodMapping().add(caller="fit", callee="score"))
        if hasattr(self.cv, "split"):
            router.add(splitter=self.cv,
                       method_mapping=MethodMapping().add(caller="fit", callee="split"))
        return router

    # ---------------------------------------------------------------- what subclasses change
    def _criterion(self, loo):
        """The resolved `scoring` (`fastridge._scoring.Criterion`); `loo` says whether it
        scores leave-one-out predictions.  RidgeClassifierCV gives its classification
        criteria here."""
        return resolve_scoring(self.scoring, loo=loo)

    def _folds(self, X, y, groups):
        """None for leave-one-out, else the (train, test) folds of `cv`
        (`selection.cv_folds`).  RidgeClassifierCV splits on the class labels here."""
        return cv_folds(self.cv, X, y, groups)

    # ---------------------------------------------------------------- validation
    def _check_own_params(self):
        V.check_params(solver=self.solver, tol=self.tol, max_iter=self.max_iter,
                       fit_intercept=self.fit_intercept, standardize=self.standardize,
                       estimator_name="RidgeCV")
        V._check_bool(self.alpha_per_target, "alpha_per_target", "RidgeCV")
        V.check_verbose(self.verbose, "RidgeCV")
        if not isinstance(self.rule, str) or self.rule not in RULES:
            raise ValueError(f"The 'rule' parameter of RidgeCV must be a str among "
                             f"{{'min', '1se'}}. Got {self.rule!r} instead.")
        V._check_bool(self.store_cv_results, "store_cv_results", "RidgeCV")
        if self.gcv_mode not in GCV_MODES:
            raise ValueError(f"The 'gcv_mode' parameter of RidgeCV must be None or a str among "
                             f"{{'auto', 'svd', 'eigen'}} (accepted for scikit-learn; "
                             f"leave-one-out is always exact). Got {self.gcv_mode!r} instead.")
        n_alphas = self.n_alphas
        if isinstance(n_alphas, V._NOT_NUMBERS) or not isinstance(n_alphas, numbers.Integral):
            raise TypeError(f"The 'n_alphas' parameter of RidgeCV must be an int in the range "
                            f"[1, inf). Got {n_alphas!r} instead.")
        if n_alphas < 1:
            raise ValueError(f"The 'n_alphas' parameter of RidgeCV must be an int in the range "
                             f"[1, inf). Got {n_alphas!r} instead.")
        if is_gcv(self.cv):
            self._check_gcv_params()
        return None if self.alphas is None else _check_grid(self.alphas)

    def _check_gcv_params(self):
        """cv="gcv": the options it cannot honour, refused by name."""
        if self.rule == "1se":
            raise ValueError("rule='1se' needs a standard error, which generalized "
                             "cross-validation (cv='gcv') does not give; use rule='min', or "
                             "cv=None (leave-one-out) or k-fold (cv=5).")
        if self._criterion(loo=True).kind != "mse":
            raise ValueError(f"scoring={self.scoring!r}: generalized cross-validation "
                             f"(cv='gcv') is a criterion of the squared error only; use "
                             f"scoring=None or 'neg_mean_squared_error', or cv=None "
                             f"(leave-one-out) for another scoring.")
        if self.store_cv_results:
            raise ValueError("store_cv_results=True keeps per-row cross-validation values, "
                             "which generalized cross-validation (cv='gcv') does not have; use "
                             "cv=None (leave-one-out).")

    # ---------------------------------------------------------------- fit
    @unchanged_on_failure
    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            groups: ArrayLike | None = None, **params: Any) -> RidgeCV:
        """Choose α by cross-validation, then refit on all the data at that α.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Training data: dense, or any scipy.sparse format (never densified).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights; they weight the fits and the cross-validation error.
        groups : array-like of shape (n_samples,), default=None
            Group labels, passed to the splitter's ``split(X, y, groups)`` (e.g. scikit-learn's
            ``GroupKFold``); only with a splitter `cv`.
        **params : dict
            Further keywords for a `scoring` callable or scorer (per-sample arrays are split
            with the folds), as scikit-learn's ``RidgeCV.fit(**params)``.

        Returns
        -------
        RidgeCV
            The fitted estimator (``self``).

        See Also
        --------
        ridge_path : The path each fold computes.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeCV
        >>> rng = np.random.default_rng(2)
        >>> X = rng.standard_normal((40, 6))
        >>> y = X @ np.array([1.0, 0.5, 0.0, 0.0, 0.0, 0.2]) + 2.0 * rng.standard_normal(40)
        >>> model = RidgeCV(alphas=np.logspace(-2, 3, 6), cv=5).fit(X, y)
        >>> model.alpha_, sorted(model.cv_results_)
        (10.0, ['alphas', 'mean_error', 'se_error'])
        """
        load_engine()
        if generalized_requested(self):
            return generalized_fit(self, X, y, sample_weight, groups=groups, **params)
        self.__dict__.pop("_fit_generalized", None)
        self.__dict__.pop("_generalized_T", None)
        verbose = V.check_verbose(self.verbose, "RidgeCV")
        progress = Progress("RidgeCV", verbose) if verbose else None
        try:
            folds, m, what = self._fit(X, y, sample_weight, progress, groups, params)
        finally:
            for name in ("_fit_ctx", "_loo_state", "_fold_tails", "_fold_models", "_fold_starts"):
                self.__dict__.pop(name, None)
        if progress is not None:
            progress.write(self._summary(folds, m, what, progress.elapsed()))
        return self

    def _summary(self, folds, m, what, elapsed):
        """The closing progress line: the choice, its error, the time."""
        def fmt(x):
            return (f"{x:.4g}" if np.ndim(x) == 0 else
                    "[" + ", ".join(f"{v:.4g}" for v in np.ravel(x)) + "]")

        kind = self._criterion(loo=folds is None).kind
        if is_gcv(self.cv):
            return (f"generalized cross-validation over {m} alpha{'s' if m != 1 else ''}, X "
                    f"{what}: alpha_ = {fmt(self.alpha_)}, GCV "
                    f"{fmt(-np.asarray(self.best_score_))}; {seconds(elapsed)}")
        if kind == "mse":
            err = f"mean squared error {fmt(-np.asarray(self.best_score_))}"
        else:
            err = f"{'R²' if kind == 'r2' else 'score'} {fmt(self.best_score_)}"
        choice = f"alpha_ = {fmt(self.alpha_)} (rule {self.rule!r}), {err}"
        if folds is None:
            return (f"leave-one-out over {m} alpha{'s' if m != 1 else ''}, X {what}: "
                    f"{choice}; {seconds(elapsed)}")
        return f"done: {len(folds)} folds in {seconds(elapsed)}; {choice}"

    def _fit(self, X, y, sample_weight, progress, groups=None, score_params=None):
        """The work of :meth:`fit`; returns (folds or None, grid size, X's description)."""
        from fastridge import _preprocessing as P

        user_grid = self._check_own_params()
        for name in ("cv_predictions_", "_intervals"):   # kept only by a store_cv_results fit
            self.__dict__.pop(name, None)
        backend = get_backend(X, y, sample_weight)
        if not backend.rows_in_memory:
            return self._fit_statistics(backend, X, y, sample_weight, user_grid, groups,
                                        score_params)
        data = backend.validate(self, X, y, sample_weight)
        X, y, sw = data.X, data.y, data.sw
        n, p = X.shape
        pf = V.check_penalty_factor(self.penalty_factor, p)
        v = np.ones(p) if pf is None else pf
        single = y.ndim == 1
        Y = y[:, None] if single else y
        k = Y.shape[1]
        per_target = bool(self.alpha_per_target) and not single
        folds = self._folds(X, y, groups)
        crit = self._criterion(loo=folds is None)
        if score_params and crit.func is None:  # the built-in criteria take no keywords
            raise TypeError(f"RidgeCV.fit got unexpected keyword argument(s) "
                            f"{sorted(score_params)}: they are passed to a scoring callable, "
                            f"and scoring={self.scoring!r} takes none.")
        if folds is None and not crit.per_row and self.rule == "1se":
            raise ValueError("rule='1se' needs a standard error, which leave-one-out (cv=None) "
                             "with a scoring other than the squared error does not give; use "
                             "scoring=None or k-fold (cv=5).")
        self._fit_ctx = {"criterion": crit, "score_params": score_params,
                         "store": bool(self.store_cv_results), "values": None}

        # exact LOO on tall dense data decomposes the Gram: take it from the statistics' pass
        gram_pass = folds is None and not V.is_sparse(X) and X.shape[0] >= X.shape[1]
        pr = P.prepare(X, Y, sw, fit_intercept=self.fit_intercept,
                       standardize=self.standardize, want_gram=gram_pass,
                       check_finite=True)
        if user_grid is None:
            grid = default_alphas(pr, v, self.n_alphas, alpha_min_ratio=None)
        else:
            grid = user_grid
        # every computation runs on the distinct values, descending; `inverse` maps them back
        desc, inverse = descending(grid)

        what = data.describe()
        if folds is None:
            mean, se, df = self._loo(pr, v, X, Y, sw, desc, per_target, single)
            grid, desc, inverse = self._closed_form_choice(grid, desc, inverse, mean, se, df,
                                                           user_grid, per_target,
                                                           score=crit.kind != "mse")
        else:
            if progress is not None:
                progress.write(f"{len(folds)}-fold cross-validation over {grid.size} alphas, "
                               f"X {what}")
            mean, se = self._kfold(X, y, Y, sw, pf, folds, desc, per_target, single,
                                   progress)
            if user_grid is None:  # the default path: extended past an end, up to a limit
                top = [desc[0]]

                def more(a):
                    kept = self._fit_ctx["values"]
                    out = self._kfold(X, y, Y, sw, pf, folds, a, per_target, single)
                    if kept is not None:  # join the added α's out-of-fold predictions
                        new, above = self._fit_ctx["values"], a[0] > top[0]
                        self._fit_ctx["values"] = np.concatenate(
                            (new, kept) if above else (kept, new), axis=1)
                        top[0] = max(top[0], a[0])
                    return out

                desc, mean, se = _grid.extend_kfold(more, desc, mean, se)
                grid, inverse = desc, np.arange(desc.size)
                _grid.warn_at_end(desc, mean, user=False, score=crit.kind != "mse", how=(
                    f"extended by up to a factor "
                    f"{_grid.KFOLD_FACTOR ** _grid.KFOLD_EXTENSIONS:.0f} in alpha at that end"))
            if user_grid is not None:  # used as given: a minimum at its end is only reported
                _grid.warn_at_end(desc, mean, user=True, how="", score=crit.kind != "mse")
            mean, se = mean[inverse], se[inverse]          # (m, K), grid order
            if crit.kind == "r2" and not np.isfinite(mean).any() \
                    and min(test.size for _, test in folds) < 2:
                raise ValueError(f"cv: R² (scoring=None's k-fold criterion, as scikit-learn's) "
                                 f"is undefined on test folds of one row: the number of samples "
                                 f"(n_samples={n}) is too small for these {len(folds)} folds. "
                                 f"Use fewer folds or scoring='neg_mean_squared_error'.")
            record_choice(self, grid, mean, se, per_target, {})
        if folds is None and self._fit_ctx["store"]:
            self._loo_curve(desc)  # the per-row values of the final grid (not of the last call)
        if self._fit_ctx["store"] and (folds is not None or "_loo_state" in self.__dict__):
            self._keep_out_of_fold(folds, X, Y, sw, desc, inverse, single)
        self.__dict__.pop("_fold_models", None)
        self.__dict__.pop("_fold_tails", None)  # `_loo_state` stays until `fit` returns
        starts = self.__dict__.pop("_fold_starts", {})
        self.cv_summary_ = self.cv_results_
        values = self._fit_ctx["values"]
        if values is not None:
            # scikit-learn's layout: (n_samples, n_alphas), or (n_samples, n_targets, n_alphas)
            # for 2-D y; the alphas in the order of cv_summary_["alphas"]
            values = values[:, inverse, :].transpose(0, 2, 1)
            self.cv_results_ = (values[:, 0, :] if single else values).astype(X.dtype)

        sp = self.__dict__.pop("_spectrum", None)
        if folds is None and self.solver == "auto" and sp is not None and pr.fmt == "dense":
            # the LOO decomposition already solves the full-data problem for any α: the refit
            # is one O(p·r) evaluation instead of another pass over X.  Not for sparse X: its
            # decomposition is of the Gram as formed, which dense X replaces by the SVD of the
            # design when ill-conditioned; the refit keeps the equilibrated solvers' accuracy
            alphas_t = np.broadcast_to(np.asarray(self.alpha_, dtype=np.float64), (pr.k,))
            coef, intercept = P.to_raw(pr, sp.coef(alphas_t))
            V.check_output_range(X.dtype, coef, intercept)
            set_linear_fit(self, engine.LinearFit(coef, intercept, np.ones(k, dtype=np.int64),
                                                  "eigen"),     # one decomposition
                           dtype=X.dtype, single=single)
            return folds, grid.size, what
        B0 = None
        if folds is not None and starts:
            # the folds' multi-shift solves give their coefficients at alpha_ for a few
            # products: their mean starts the refit's CG (at the same tolerance)
            B0 = fold_mean_coef(starts, len(folds), np.broadcast_to(
                np.asarray(self.alpha_, dtype=np.float64), (k,)))
        self._refit(backend, data, pf, v, B0=B0)
        return folds, grid.size, what

    def _refit(self, backend, data, pf, v, pr=None, B0=None):
        """The fit on all the rows at `alpha_` (one α per target with `alpha_per_target`), as
        `Ridge` with the same parameters would make it (from `B0`, raw-scale (k, p), when
        given: the same tolerance, fewer iterations); from `pr` when the statistics of all
        the rows are at hand (no further pass)."""
        alphas = np.broadcast_to(np.asarray(self.alpha_, dtype=np.float64), (data.k,))
        solver = V.canonical_solver(self.solver)
        if pr is not None:
            solver = "auto" if solver == "cg" else solver
        else:
            pr, solver = backend.problem(data, fit_intercept=self.fit_intercept,
                                         standardize=self.standardize, solver=solver,
                                         alphas=alphas, v=v, positive=False, penalty_factor=pf)
        fit = engine.fit(pr, alphas, v, solver, tol=float(self.tol), max_iter=self.max_iter,
                         dtype=data.dtype, asked=self.solver, label="RidgeCV", B0=B0)
        set_linear_fit(self, fit, dtype=data.dtype, single=data.single)

    def _fit_statistics(self, backend, X, y, sample_weight, user_grid, groups, score_params):
        """RidgeCV for rows that are not in memory (a backend without them): k-fold from the
        statistics of each fold's rows (one pass: `selection.kfold_from_statistics`), or exact
        leave-one-out from the decomposition of all the rows' statistics and one pass for the
        leverages (`selection.loo_from_blocks`).  Folds: ``cv=k`` gives scikit-learn's
        contiguous ``KFold(k)`` layout (the same folds as for rows in memory); other splitters
        would need the rows."""
        from fastridge import _spectral, _stats

        if groups is not None or score_params or self.store_cv_results:
            raise ValueError(f"RidgeCV on {backend.name.capitalize()} arrays takes neither "
                             f"groups, scoring "
                             f"keywords nor store_cv_results=True.")
        if is_gcv(self.cv):
            if groups is not None or score_params:
                raise ValueError(f"RidgeCV with cv='gcv' takes neither groups nor scoring "
                                 f"keywords (it has no folds and no scoring callable); got "
                                 f"{'groups' if groups is not None else sorted(score_params)}.")
            return self._gcv_statistics(backend, X, y, sample_weight, user_grid)
        cv = None if is_leave_one_out(self.cv) else self.cv
        crit = self._criterion(loo=cv is None)
        if crit.kind not in ("mse", "r2") or (cv is None and crit.kind != "mse"):
            raise ValueError(f"RidgeCV on a {backend.name.capitalize()} array computes its "
                             "criterion from sufficient statistics: the (weighted) mean squared "
                             "error, or R² for k-fold; another scoring would need every "
                             "prediction in memory. Use scoring=None or "
                             "'neg_mean_squared_error'.")
        if cv is not None and not (isinstance(cv, numbers.Integral)
                                   and not isinstance(cv, (bool, np.bool_))):
            raise ValueError(f"RidgeCV on a {backend.name.capitalize()} array supports cv=None "
                             f"(exact leave-one-out) or cv=int (contiguous folds, as KFold); "
                             f"got cv={cv!r}.")
        if cv is not None and cv < 2:
            raise ValueError(f"cv must be None (leave-one-out) or an int >= 2; got cv={cv!r}.")
        if not _policy.statistics_route(X.shape[1] if X.ndim == 2 else 0, "auto"):
            raise ValueError(f"RidgeCV on a {backend.name.capitalize()} array needs the p x p "
                             "statistics, which would not fit in memory here; use ridge_path "
                             "with solver='cg' and a held-out set.")
        data = backend.validate(self, X, y, sample_weight)
        pf = V.check_penalty_factor(self.penalty_factor, data.p)
        v = np.ones(data.p) if pf is None else pf
        per_target = bool(self.alpha_per_target) and not data.single
        fit_kw = dict(fit_intercept=self.fit_intercept, standardize=self.standardize)
        if cv is None:
            pr = _stats.problem(backend.statistics(data), **fit_kw)
            grid = user_grid if user_grid is not None else default_alphas(pr, v, self.n_alphas)
            desc, inverse = descending(grid)
            why = _policy.spectral_unavailable(pr, v)
            if why is not None:
                raise ValueError(f"RidgeCV with cv=None (exact leave-one-out) needs one "
                                 f"spectral decomposition, which is not available here: {why}. "
                                 f"Use k-fold cross-validation instead, e.g. cv=5.")
            sp = _spectral.spectrum(pr, v)
            mean, se = loo_from_blocks(lambda *a: backend.map_blocks(data, *a), pr, sp, desc,
                                       per_target)
            extra = {"df": sp.df(desc)[inverse]}
        else:
            folds = backend.fold_statistics(data, kfold_bounds(data.n, int(cv)))
            total = _stats.merge_all(folds)
            if total.W <= 0.0:
                raise ValueError("Sample weights must not all be zero: the sum of "
                                 "sample_weight is 0.")
            pr = _stats.problem(total, **fit_kw)
            grid = user_grid if user_grid is not None else default_alphas(pr, v, self.n_alphas)
            desc, inverse = descending(grid)
            mean, se = kfold_from_statistics(folds, desc, v, crit, per_target,
                                             tol=float(self.tol), max_iter=self.max_iter,
                                             dtype=data.dtype, **fit_kw)
            extra = {}
        # no extension or refinement here (each point costs passes over the data): report an end
        _grid.warn_at_end(desc, mean, user=user_grid is not None,
                          how=f"not extended ({backend.name.capitalize()} arrays)",
                          reason="user_grid" if user_grid is not None else backend.name,
                          score=crit.kind != "mse")
        record_choice(self, grid, mean[inverse], se[inverse], per_target, extra)
        self.cv_summary_ = self.cv_results_
        self._refit(backend, data, pf, v, pr=pr)
        return None if cv is None else [None] * int(cv), grid.size, data.describe()

    def _gcv_statistics(self, backend, X, y, sample_weight, user_grid):
        """cv="gcv" for rows that are not in memory: the decomposition of the statistics of all
        the rows (and, with weights, one pass counting the rows of positive weight) gives the
        criterion at any α, so the default grid is extended and refined as in memory."""
        from fastridge import _stats

        data = backend.validate(self, X, y, sample_weight)
        pf = V.check_penalty_factor(self.penalty_factor, data.p)
        v = np.ones(data.p) if pf is None else pf
        per_target = bool(self.alpha_per_target) and not data.single
        st = backend.statistics(data)
        pr = _stats.problem(st, fit_intercept=self.fit_intercept, standardize=self.standardize)
        n_pos = st.n if sample_weight is None else backend.map_blocks(data, positive_rows, sum)
        self._fit_ctx = {"store": False, "values": None}
        self._loo_state = GeneralizedCV(pr, v, per_target=per_target, n_pos=n_pos)
        grid = user_grid if user_grid is not None else default_alphas(pr, v, self.n_alphas)
        desc, inverse = descending(grid)
        mean, se, df = self._loo_curve(desc)
        self._closed_form_choice(grid, desc, inverse, mean, se, df, user_grid, per_target)
        self.cv_summary_ = self.cv_results_
        self.__dict__.pop("_loo_state", None)
        self.__dict__.pop("_spectrum", None)
        self._refit(backend, data, pf, v, pr=pr)
        return None, self.cv_summary_["alphas"].size, data.describe()

    def _closed_form_choice(self, grid, desc, inverse, mean, se, df, user_grid, per_target,
                            score=False):
        """The choice on a leave-one-out or GCV curve (`_loo_state`'s, mean/se/df on `desc`):
        a default grid extended past an end (`_grid.extend_loo`), a user grid's end reported,
        the choice recorded and (rule "min", default grid) refined between grid points.
        Returns the final (grid, desc, inverse)."""
        if user_grid is None:  # the default grid: extended past an end (fastridge._grid)
            rank = self._loo_state.sp.rank
            desc, mean, se, df, stuck = _grid.extend_loo(self._loo_curve, desc, mean, se, df,
                                                         rank)
            grid, inverse = desc, np.arange(desc.size)
            _grid.warn_loo_limits(stuck, rank, desc, mean, score=score,
                                  criterion=self._criterion_name())
        else:  # used as given: a minimum at its end is only reported
            _grid.warn_at_end(desc, mean, user=True, how="", score=score)
        record_choice(self, grid, mean[inverse], se[inverse], per_target,
                      {"df": df[inverse]})
        if user_grid is None and self.rule == "min":
            self._refine_alpha(grid, mean[inverse])
        return grid, desc, inverse

    def _criterion_name(self):
        return "generalized cross-validation" if is_gcv(self.cv) else "leave-one-out"

    # ---------------------------------------------------------------- leave-one-out
    def _loo(self, pr, v, X, Y, sw, alphas, per_target, single):
        """Mean and standard error of the leave-one-out error (or the GCV, cv="gcv") for each
        α of `alphas`: (m, K) each (K = k per target, else 1), and df (m,)."""
        if is_gcv(self.cv):
            self._loo_state = GeneralizedCV(pr, v, per_target=per_target)
            return self._loo_curve(alphas)
        self._loo_state = LeaveOneOut(
            pr, v, X, Y, sw, per_target=per_target, single=single,
            criterion=self._fit_ctx["criterion"], params=self._fit_ctx["score_params"],
            store=self._fit_ctx["store"], predictions=self.scoring is not None)
        return self._loo_curve(alphas)

    def _loo_curve(self, alphas):
        """`_loo` for further α, from the decomposition `_loo` kept: (mean, se, df)."""
        loo = self._loo_state
        mean, se, values = loo.curve(alphas)
        self._spectrum = loo.sp  # reused by the refit (solver="auto")
        self._fit_ctx["values"] = values
        return mean, se, loo.sp.df(alphas)

    def _refine_alpha(self, grid, mean):
        """Leave-one-out on the default grid, rule "min": move `alpha_` (per target with
        `alpha_per_target`) from the best grid point to the minimum of the exact LOO error
        between its neighbours (Brent on log α), and `best_score_` with it."""
        self.alpha_, self.best_score_ = _grid.refine_choice(self._loo_curve, grid, mean,
                                                            self.alpha_, self.best_score_)

    # ---------------------------------------------------------------- k-fold
    def _kfold(self, X, y, Y, sw, pf, folds, alphas, per_target, single, progress=None):
        """Weighted mean and standard error over folds of the per-fold error for each α of
        `alphas` (descending): (m, K) each.  `progress` (or None) hears each finished fold."""
        from fastridge._backends.memory import MemoryBackend, MemoryData

        mean, se, values = kfold_curve(
            MemoryBackend(), MemoryData(X, y, sw), folds, alphas,
            np.ones(X.shape[1]) if pf is None else np.asarray(pf, dtype=np.float64),
            solver=V.canonical_solver(self.solver), fit_intercept=self.fit_intercept,
            standardize=self.standardize, tol=float(self.tol), max_iter=self.max_iter,
            criterion=self._fit_ctx["criterion"], params=self._fit_ctx["score_params"],
            per_target=per_target, store=self._fit_ctx["store"],
            tails=self.__dict__.setdefault("_fold_tails", {}), progress=progress,
            label="RidgeCV", models=self.__dict__.setdefault("_fold_models", {})
            if self._fit_ctx["store"] else None,
            starts=self.__dict__.setdefault("_fold_starts", {}))
        self._fit_ctx["values"] = values
        return mean, se

    # ---------------------------------------------------------------- out of fold
    def _keep_out_of_fold(self, folds, X, Y, sw, desc, inverse, single):
        """`cv_predictions_` (every α of the grid) and the state of `predict_interval` (at
        `alpha_`), from the leave-one-out decomposition or the folds' paths: no refit."""
        from fastridge._engine import conformal

        alphas = np.broadcast_to(np.asarray(self.alpha_, dtype=np.float64), (Y.shape[1],))
        if folds is None:
            pred = Y[:, None, :] - conformal.loo_residuals(self._loo_state, Y, desc)
            # jackknife+ downdates the penalized fit only: not with unpenalized columns
            self._intervals = "unpenalized" if self._loo_state.sp.q \
                else conformal.JackknifePlus(self._loo_state, Y, alphas)
        else:
            pred = self._fit_ctx["values"]
            self._intervals = conformal.CVPlus(folds, self.__dict__["_fold_models"], pred, Y,
                                               sw, desc, alphas)
        pred = pred[:, inverse, :].transpose(0, 2, 1)     # scikit-learn's cv_results_ layout
        self.cv_predictions_ = (pred[:, 0, :] if single else pred).astype(X.dtype)

    def predict_interval(self, X: MatrixLike, coverage: float = 0.9,
                         method: Literal["jackknife+", "cv+"] | None = None
                         ) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
        """Distribution-free prediction intervals: jackknife+ (leave-one-out) or CV+ (k-fold).

        The intervals of Barber, Candès, Ramdas and Tibshirani (2021, Ann. Statist.), at
        `alpha_`, from the models that cross-validation fitted — no refit.  With μ̂₋ᵢ the model
        that did not see training row i (the leave-one-out fit for jackknife+, the fit of the
        fold holding row i out for CV+), ``Rᵢ = |yᵢ − μ̂₋ᵢ(xᵢ)|`` and a = 1 − `coverage`, over the
        n training rows of positive weight:

            lower(x) = the ⌊a(n + 1)⌋-th smallest of μ̂₋ᵢ(x) − Rᵢ
            upper(x) = the ⌈(1 − a)(n + 1)⌉-th smallest of μ̂₋ᵢ(x) + Rᵢ

        and −∞ / +∞ when that rank is below 1 / above n (fewer than 1/a − 1 rows).  For
        exchangeable rows a new y falls inside with probability at least 1 − 2a (CV+: 1 − 2a less
        a small term in K and n, see the paper's section on CV+), in practice about `coverage`.

        The leave-one-out models are exact rank-one downdates of the full fit at `alpha_`,
        μ̂₋ᵢ(x) = μ̂(x) − wᵢ (yᵢ − μ̂₋ᵢ(xᵢ)) x̃ᵀA⁻¹x̃ᵢ (x̃ = (1, x), A the penalized weighted
        Gram with the unpenalized intercept), in the sense of leave-one-out in `fit`: the
        weighted fit without row i, intercept re-fitted, with ``standardize=True`` the column
        scales of all the rows kept.  The CV+ fold models are the folds' paths at `alpha_`
        (each standardized on its own training rows).

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Raw data (in memory; a Dask array is refused).
        coverage : float, default=0.9
            The nominal level 1 − a, in (0, 1).
        method : {"jackknife+", "cv+"} or None, default=None
            ``"jackknife+"`` for a model fitted with leave-one-out (``cv=None``), ``"cv+"`` for
            k-fold (the test folds must partition the rows); None takes the one that fits.

        Returns
        -------
        lower : ndarray of shape (n_samples,) or (n_samples, n_targets)
            The lower bounds, laid out as :meth:`predict`'s output (one target, also y of
            shape (n, 1), gives 1-D bounds), in its dtype; −∞ when n is too small.
        upper : ndarray of shape (n_samples,) or (n_samples, n_targets)
            The upper bounds, laid out as `lower`; +∞ when n is too small.

        Raises
        ------
        ValueError
            When the model was not fitted with ``store_cv_results=True`` (the per-row state is
            kept only then: O(n·min(n, p)) for leave-one-out, the fold models for k-fold), for a
            `method` the fit's cross-validation does not give, folds that are not a partition
            (CV+), or `coverage` outside (0, 1).
        TypeError
            For a Dask array X.

        See Also
        --------
        predict : The point predictions.

        Notes
        -----
        α is held at `alpha_`, chosen on all the rows (as MAPIE with a tuned estimator does);
        the finite-sample guarantee is the paper's for a fixed α.  Sample weights: the rows of
        positive weight are the n exchangeable training points, each counted once, and each
        μ̂₋ᵢ is the weighted fit without row i (a weight is not a number of repeated rows here;
        rows of weight 0 take no part).  Predicting b rows forms b × n matrices, in blocks
        within ``working_memory`` (:func:`fastridge.config_context`).

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import RidgeCV
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((100, 3))
        >>> y = X @ np.array([1.0, -2.0, 0.5]) + rng.standard_normal(100)
        >>> model = RidgeCV(store_cv_results=True).fit(X, y)
        >>> lower, upper = model.predict_interval(X[:3], coverage=0.9)
        >>> print(np.round(lower, 2), np.round(upper, 2))
        [-0.83 -0.09 -2.43] [2.01 2.75 0.41]

        The point prediction lies inside (it need not be the centre):

        >>> bool(np.all((lower <= model.predict(X[:3])) & (model.predict(X[:3]) <= upper)))
        True
        """
        from fastridge._engine import conformal

        self._check_is_fitted("coef_")
        if get_backend(X).name == "dask":
            raise TypeError("RidgeCV.predict_interval takes X in memory (a NumPy array or a "
                            "SciPy sparse matrix), not a Dask array: compute the rows first "
                            "(X.compute(), a block at a time).")
        state = self.__dict__.get("_intervals")
        if self.__dict__.get("_fit_generalized") or isinstance(state, str):
            raise ValueError("RidgeCV.predict_interval is not available after a fit with "
                             "penalty_matrix/penalty_root/coef_prior or zero penalty factors "
                             "with cv=None (jackknife+ downdates the penalized fit only); "
                             "k-fold CV+ (cv=5, store_cv_results=True) works with zero "
                             "penalty factors.")
        if state is None:
            raise ValueError("RidgeCV.predict_interval needs the out-of-fold state that fit "
                             "keeps only with store_cv_results=True (and rows in memory); "
                             "refit with RidgeCV(store_cv_results=True, ...).")
        if isinstance(coverage, (bool, np.bool_)) or not isinstance(coverage, numbers.Real) \
                or not 0.0 < coverage < 1.0:
            raise ValueError(f"coverage must be a float in the open interval (0, 1), the "
                             f"nominal level of the intervals; got coverage={coverage!r}.")
        if method is not None and (not isinstance(method, str)
                                   or method not in conformal.METHODS):
            raise ValueError(f"method must be None, 'jackknife+' or 'cv+'; got "
                             f"method={method!r}.")
        if method is not None and method != state.method:
            raise ValueError(
                f"method={method!r} does not apply: this RidgeCV was fitted with "
                + ("leave-one-out (cv=None), which gives method='jackknife+'; for CV+ fit with "
                   "k-fold (cv=5)." if state.method == "jackknife+" else
                   "k-fold cross-validation, which gives method='cv+'; for jackknife+ fit "
                   "with leave-one-out (cv=None)."))
        if state.method == "cv+" and not state.usable:
            raise ValueError("method='cv+' needs test folds that partition the rows (each row "
                             "of positive weight in exactly one test fold, as KFold's); the "
                             "cv of this fit left rows out of every test fold or in several.")
        X = V.validate_data(self, X, reset=False)
        lower, upper = conformal.intervals(state, X, float(coverage))
        dt = np.asarray(self.coef_).dtype
        if np.ndim(self.coef_) == 1:
            lower, upper = lower[:, 0], upper[:, 0]
        return lower.astype(dt), upper.astype(dt)

    # ---------------------------------------------------------------- predict, plot
    def plot(self, ax: Axes | None = None, *, target: int | None = None) -> Axes:
        """Draw the cross-validation curve, like cv.glmnet's plot (needs matplotlib).

        The mean error against α (log scale, decreasing to the right) with ± 1 standard error
        bars, dotted and dash-dotted vertical lines at the minimum-error and one-standard-error
        α, the chosen `alpha_` circled, and (leave-one-out) a top axis with the effective
        degrees of freedom.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw into; None makes a new figure with ``pyplot.subplots()``.
        target : int, default=None
            Multi-target errors: None draws the mean over the targets, an int that target's
            curve.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into; ``ax.containers[0]`` holds the error bars.

        Raises
        ------
        ImportError
            When matplotlib is not installed (``pip install "fastridge[plot]"``).

        See Also
        --------
        RidgePath.plot : Coefficient profiles along the path.

        Examples
        --------
        >>> import numpy as np
        >>> from matplotlib.figure import Figure
        >>> from fastridge import RidgeCV
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((50, 3))
        >>> y = X @ np.array([1.0, 0.0, -1.0]) + rng.standard_normal(50)
        >>> model = RidgeCV(n_alphas=30, cv=5, scoring="neg_mean_squared_error").fit(X, y)
        >>> ax = model.plot(ax=Figure().subplots())
        >>> ax.get_ylabel()
        '5-fold CV mean squared error'
        """
        self._check_is_fitted("cv_summary_")
        from fastridge._plot import plot_cv

        return plot_cv(self, ax=ax, target=target)
