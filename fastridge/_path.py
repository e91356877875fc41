"""The α grid and the warm-started regularization path."""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

from fastridge import _policy, _validation as V
from fastridge._lazy import load_engine
from fastridge._progress import Progress, due, seconds, shape_text
from fastridge.exceptions import ConvergenceWarning, warn

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Literal

    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike, NDArray

    from fastridge._typing import MatrixLike

PATH_SOLVERS = ("auto", "eigen", "cd", "cg", "cholesky", "svd")


def default_alphas(pr, v, n_alphas=100, alpha_min_ratio=None, cross=None):
    """R glmnet's default ``lambda`` sequence for ``alpha=0``, converted to this package's α.

    With Z̃ the columns as the fit sees them (centred when fitting an intercept, divided by
    their weighted SD with `standardize`), W = Σ wᵢ, σ_y the weighted population SD of y (its
    weighted root mean square without an intercept) and r the residual of the weighted
    least-squares fit of y on the intercept and the unpenalized columns (vⱼ = 0; r = y − ȳ when
    every column is penalized)::

        alpha_max = maxⱼ |z̃ⱼᵀ W r| / (vⱼ · 0.001 · σ_y)

    over the penalized columns (and, for several targets, the largest over the targets, each
    with its own σ_y), then `n_alphas` values log-spaced down to ``alpha_min_ratio *
    alpha_max``; `alpha_min_ratio` None means 1e-4 when n ≥ p, else 1e-2.  This is glmnet's
    λ_max (``max|gⱼ|/(vⱼ · max(alpha, 0.001))`` on y divided by σ_y, then scaled back) through
    α = W·λ·(p/Σv)/σ_y (see the Notes of :func:`fastridge.ridge_path`).  When no penalized column correlates
    with y (constant y, say), alpha_max = 1.

    Parameters
    ----------
    pr : Problem
        The prepared problem (:func:`fastridge._preprocessing.prepare` or the statistics').
    v : ndarray of shape (n_features,)
        Penalty factors.
    n_alphas : int, default=100
        Number of values.
    alpha_min_ratio : float in (0, 1], default=None
        Smallest α as a fraction of the largest.
    cross : ndarray of shape (n_features, n_free), default=None
        For a Problem with neither X nor the Gram (Dask's wide route): the unscaled centred
        cross products Σ wᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ restricted to the unpenalized columns, in the
        order of ``flatnonzero((v == 0) & (pr.d != 0))``.

    Returns
    -------
    ndarray of shape (n_alphas,)
        The grid, descending.
    """
    if alpha_min_ratio is None:
        alpha_min_ratio = 1e-4 if pr.n >= pr.p else 1e-2
    g = np.abs(_null_gradient(pr, v, cross))                # (p, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        sy = np.sqrt(np.asarray(pr.yss, dtype=np.float64) / pr.W)
    pen = (v > 0) & (pr.d != 0)
    live = np.isfinite(sy) & (sy > 0)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # see below
        amax = float(np.max(g[np.ix_(pen, live)] / (v[pen, None] * 0.001) / sy[live])) \
            if pen.any() and live.any() else 0.0
    if not np.isfinite(amax) or amax <= 0.0:
        amax = 1.0
    if n_alphas == 1:
        return np.array([amax])
    return np.geomspace(amax, amax * alpha_min_ratio, int(n_alphas))


def _null_gradient(pr, v, cross=None):
    """Z̃ᵀ W r (p × k, float64, fit coordinates), r the residual of the weighted least-squares
    fit of the centred targets on the unpenalized columns (vⱼ = 0): the gradient at the
    solution for α → ∞, from which glmnet takes its largest λ."""
    from fastridge import _solvers as S

    free = np.flatnonzero((v == 0) & (pr.d != 0))
    if pr.C0 is not None:  # ZᵀW y_c came with the Gram (or the sufficient statistics)
        C = pr.C0 * pr.d[:, None]
        if free.size and (pr.G0 is not None or cross is not None):
            G = (pr.G0[:, free] if cross is None else cross) * pr.d[:, None] \
                * pr.d[free][None, :]
            b0 = np.linalg.lstsq(G[free], C[free], rcond=None)[0]
            C = C - G @ b0
        return C
    A = pr.Yc.astype(np.float64)
    if pr.sqw is not None:
        A = A * pr.sqw[:, None]
    if free.size and pr.X is not None:
        Xf = pr.X[:, free]
        Zf = (Xf.toarray() if hasattr(Xf, "toarray") else np.asarray(Xf, dtype=np.float64)) \
            - pr.xbar[free]
        Zf = Zf * pr.d[free]
        if pr.sqw is not None:
            Zf = Zf * pr.sqw[:, None]
        A = A - Zf @ np.linalg.lstsq(Zf, A, rcond=None)[0]
    return S.zt(pr, pr.d, A)


def _check_path_args(alphas, n_alphas, alpha_min_ratio, solver):
    if not isinstance(solver, str) or solver not in PATH_SOLVERS:
        raise ValueError(f"The 'solver' parameter of ridge_path must be a str among "
                         f"{sorted(PATH_SOLVERS)}. Got {solver!r} instead.")
    if alphas is not None:
        if isinstance(alphas, (str, bytes, bool, np.bool_)):
            raise TypeError(f"alphas must be an array of non-negative floats, got {alphas!r}.")
        try:
            a = np.asarray(alphas, dtype=np.float64)
        except OverflowError as exc:  # a Python int beyond float64
            raise ValueError("alphas must be finite and >= 0.") from exc
        except (TypeError, ValueError) as exc:
            raise TypeError(f"alphas must be an array of non-negative floats, got {alphas!r}."
                            ) from exc
        if a.ndim != 1 or a.size == 0:
            raise ValueError(f"alphas must be a non-empty 1-D array, got shape {a.shape}.")
        if not np.all(np.isfinite(a)) or np.any(a < 0):
            raise ValueError("alphas must be finite and >= 0.")
        return a
    if isinstance(n_alphas, V._NOT_NUMBERS) or not isinstance(n_alphas, (int, np.integer)) \
            or n_alphas < 1:
        raise ValueError(f"n_alphas must be an int >= 1, got {n_alphas!r}.")
    if alpha_min_ratio is not None:
        if isinstance(alpha_min_ratio, V._NOT_NUMBERS) \
                or not isinstance(alpha_min_ratio, numbers.Real):
            raise TypeError(f"alpha_min_ratio must be a float in (0, 1], got "
                            f"{alpha_min_ratio!r}.")
        try:
            r = float(alpha_min_ratio)
        except OverflowError:
            r = float("inf")
        if not (0.0 < r <= 1.0):
            raise ValueError(f"alpha_min_ratio must be in (0, 1], got {alpha_min_ratio!r}.")
    return None


class RidgePath:
    """Ridge solutions along a grid of α, as returned by :func:`ridge_path`.

    A plain container of arrays (not an estimator): row ``i`` of every array belongs to
    ``alphas[i]``.  Build it with :func:`ridge_path`; constructing it directly gives an empty
    object.

    Attributes
    ----------
    alphas : ndarray of shape (m,)
        The α values in the order solved: descending.
    order : ndarray of shape (m,) of int
        For user-given alphas, ``alphas == np.asarray(user_alphas)[order]`` (a stable sort, largest
        first); for the default grid ``arange(m)``.  ``coef[np.argsort(order)]`` puts the
        solutions back in the user's order.
    coef : ndarray of shape (m, n_features) or (m, n_targets, n_features)
        Coefficients on the raw (unstandardized) scale, in X's floating dtype.
    intercept : ndarray of shape (m,) or (m, n_targets)
        Intercepts (all 0 with ``fit_intercept=False``).
    n_iter : ndarray of shape (m,) of int
        Iterations run at each α (summed over targets); 0 for the direct solvers.
    df : ndarray of shape (m,) or None
        Effective degrees of freedom Σ d²/(d² + α) of the penalized part (d the singular values
        of the design as the fit sees it: weighted, centred, standardized, divided by √v) when
        the solver has the spectrum (``solver == "eigen"``), else None.
    solver : str
        The solver that ran: ``"eigen"`` (one eigendecomposition, each α in O(p·r)),
        ``"cholesky"``, ``"svd"``, ``"cd"`` or ``"cg"`` (warm-started from the previous α).
    feature_names : ndarray of str or None
        The column names of X when it had them (a pandas DataFrame), else None.
    n_features_in_ : int
        Number of columns of X; :meth:`predict` checks it.

    See Also
    --------
    ridge_path : Compute a path.
    RidgeCV : Choose α on a path by cross-validation.
    Ridge : One fit at one α.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import ridge_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((40, 3))
    >>> y = X @ np.array([2.0, -1.0, 0.5]) + 0.1 * rng.standard_normal(40)
    >>> path = ridge_path(X, y, alphas=[10.0, 0.1, 1.0])
    >>> path.alphas, path.order
    (array([10. ,  1. ,  0.1]), array([0, 2, 1]))
    >>> print(np.round(path.coef[-1], 2))
    [ 2.02 -1.02  0.51]
    >>> path.predict(X[:2]).shape
    (2, 3)
    """

    alphas: NDArray[np.float64]
    order: NDArray[np.intp]
    coef: NDArray[np.floating]
    intercept: NDArray[np.floating]
    n_iter: NDArray[np.intp]
    df: NDArray[np.float64] | None
    solver: str
    feature_names: NDArray[np.object_] | None
    n_features_in_: int

    def predict(self, X: MatrixLike) -> NDArray[np.floating]:
        """Predict with the solution at every α of the path.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Raw (unstandardized) data with the columns the path was fitted on.

        Returns
        -------
        ndarray of shape (n_samples, m) or (n_samples, m, n_targets)
            Column ``i`` holds ``X @ coef[i].T + intercept[i]``, the prediction at ``alphas[i]``.

        See Also
        --------
        Ridge.predict : The same for one α.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import ridge_path
        >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]])
        >>> path = ridge_path(X, X @ np.array([1.0, 2.0]), alphas=[100.0, 1e-9])
        >>> print(np.round(path.predict(X), 3))
        [[3.401 2.   ]
         [3.419 1.   ]
         [3.581 6.   ]
         [3.599 5.   ]]
        """
        from fastridge._base import linear_predict

        X = V.validate_data(self, X, reset=False)
        if self.coef.ndim == 2:
            return linear_predict(X, self.coef, self.intercept)
        return np.stack([linear_predict(X, self.coef[:, t, :], self.intercept[:, t])
                         for t in range(self.coef.shape[1])], axis=-1)

    def plot(self, ax: Axes | None = None, xvar: Literal["alpha", "df", "norm"] = "alpha", *,
             target: int = 0, label: Literal["auto"] | bool = "auto",
             mark_alpha: float | None = None,
             feature_names: Sequence[str] | None = None) -> Axes:
        """Draw the coefficient profiles, one line per feature (needs matplotlib).

        Like glmnet's ``plot(fit, xvar=...)`` and *The Elements of Statistical Learning*,
        Figure 3.8.  The least regularized end is on the right in every view.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw into; None makes a new figure with ``pyplot.subplots()``.
        xvar : {"alpha", "df", "norm"}, default="alpha"
            The horizontal axis: α on a log scale decreasing to the right (α = 0 is left out;
            with `df` known, a top axis shows df at a few α), the effective degrees of freedom
            `df` (needs ``solver == "eigen"``), or the L2 norm of the coefficients.
        target : int, default=0
            For a multi-target path, the target whose profiles are drawn.
        label : "auto" or bool, default="auto"
            Write each feature's name at the right end of its line (``"auto"``: when there are
            at most 20 features).  Every line also carries its name as its matplotlib label,
            so ``ax.legend()`` gives a legend instead.
        mark_alpha : float, default=None
            Draw a dashed vertical line at this α, for instance ``RidgeCV.alpha_``.
        feature_names : sequence of str, default=None
            Names of the lines; default `feature_names`, else ``x0, x1, ...``.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into; the first ``n_features`` entries of ``ax.lines`` are the
            coefficient lines, in feature order.

        Raises
        ------
        ImportError
            When matplotlib is not installed (``pip install "fastridge[plot]"``).

        See Also
        --------
        RidgeCV.plot : The cross-validation curve.

        Examples
        --------
        >>> import numpy as np
        >>> from matplotlib.figure import Figure
        >>> from fastridge import ridge_path
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((30, 4))
        >>> path = ridge_path(X, X @ np.arange(1.0, 5.0), n_alphas=20)
        >>> ax = path.plot(ax=Figure().subplots(), xvar="df")
        >>> ax.get_xlabel().endswith("effective degrees of freedom")
        True
        >>> len(ax.lines[:4])
        4
        """
        from fastridge._plot import plot_path

        return plot_path(self, ax=ax, xvar=xvar, target=target, label=label,
                         mark_alpha=mark_alpha, feature_names=feature_names)

    def __repr__(self):
        return (f"RidgePath(n_alphas={self.alphas.size}, alpha=[{self.alphas[0]:.4g} .. "
                f"{self.alphas[-1]:.4g}], solver={self.solver!r})")


def _extrapolate(prev_alphas, prev_B, a):
    """Polynomial extrapolation in log α of the last (up to three) solutions to α = a.

    The solution is a smooth function of log α, so on a log-spaced grid the error of a degree-d
    extrapolation is O(hᵈ⁺¹) in the grid step h, against O(h) for the previous solution alone:
    the warm start lands much closer and the iterative solver needs far fewer iterations.
    """
    if prev_alphas.size < 2 or a <= 0 or np.any(prev_alphas <= 0):
        return None
    t = np.log(prev_alphas)
    if np.any(np.diff(t) >= 0):
        return None
    x = np.log(a)
    weights = np.ones(t.size)  # Lagrange basis at x
    for j in range(t.size):
        for m in range(t.size):
            if m != j:
                weights[j] *= (x - t[m]) / (t[j] - t[m])
    return np.tensordot(weights, prev_B, axes=1)


def solve_path(pr, v, alphas, solver, *, tol, max_iter, report=None, history=None):
    """Fit-coordinate solutions for each α of `alphas` (descending): B (m, k, p), n_iter (m,),
    df or None, the solver used, and a list of α at which an iterative solver stopped short.

    `history` (or None): (α (h,), B (h, k, p)), solutions of the same problem at α above
    ``alphas[0]`` (a path continued below its end); the iterative solvers' first α then start
    from their extrapolation, as if the path had not stopped.

    `report` (a :class:`_PathReport` or None) hears the solver once and each α as it is done.
    """
    from scipy.linalg import LinAlgError

    from fastridge import _solvers as S, _spectral, _stats

    m, k = alphas.size, pr.k
    B = np.zeros((m, k, pr.p))
    n_iter = np.zeros(m, dtype=np.intp)
    df, short = None, []
    used = _policy.path_solver(pr, v, solver)
    if used == "cd" and solver == "auto" and np.any(alphas == 0.0):
        used = "cholesky"  # direct solves: at α = 0, the SVD's minimum-norm one if singular
    step = _no_report if report is None else report.step
    if report is not None:
        report.begin(used, alphas)
    if used == "eigen":
        if _policy.spectral_unavailable(pr, v) is not None:
            raise ValueError("solver='eigen' needs positive penalty factors and a Gram/kernel "
                             "matrix that fits in memory; use solver='auto'.")
        spec = _spectral.spectrum(pr, v)
        for i, a in enumerate(alphas):
            if a == 0.0 and np.ptp(v[pr.d != 0]) > 0:
                # the spectrum's α → 0 limit is the solution of least norm ‖√v∘b‖; the
                # least-squares problem does not involve v, and its minimum-norm solution
                # (in b, as every solver returns it) comes from the SVD
                B[i] = (S.solve_svd(pr, np.zeros(k), v) if pr.X is not None else
                        _stats.solve(pr, np.zeros(k), v, "svd"))[0]
            else:
                B[i] = spec.coef(np.full(k, a))
            step(i, a, 0)
        df = spec.df(alphas)
    elif used in ("cd", "cg"):
        if used == "cd":
            state = S.CDState(pr, v, positive=False)
        else:  # tall dense path: CG on the Gram, O(p²) iterations
            state = S.cg_state(pr, v, gram=_policy.path_gram_cg(pr))
        if history is not None and not (history[0].size and np.all(history[0] > alphas[0])):
            history = None
        for i, a in enumerate(alphas):
            prev_a, prev_B = alphas[max(0, i - 3):i], B[max(0, i - 3):i]
            if history is not None and i < 3:
                prev_a = np.concatenate([history[0], prev_a])[-3:]
                prev_B = np.concatenate([history[1], prev_B])[-3:]
            start = _extrapolate(prev_a, prev_B, a)
            if start is None and i == 0 and history is not None:
                start = history[1][-1]
            if a == 0.0:
                # CG reaches the minimum-norm least-squares solution from a start in the row
                # space of Z; the penalized solutions before are not in it (unequal v)
                start = np.zeros((k, pr.p))
            if start is not None:
                state.start_from(start, a)
            B[i], it, info = state.solve(np.full(k, a), tol, max_iter)
            n_iter[i] = int(it.sum())
            if not np.all(info["measure"] <= info["tol_abs"]):  # NaN counts as short
                short.append(float(a))
            step(i, a, n_iter[i])
    elif used == "cholesky" and pr.X is None:  # sufficient statistics only
        for i, a in enumerate(alphas):
            B[i] = _stats.solve(pr, np.full(k, a), v, "cholesky")[0]
            step(i, a, 0)
    elif used == "cholesky":
        state = None
        for i, a in enumerate(alphas):
            try:
                if state is None or (state.kernel and a == 0):
                    state = S.CholeskyState(pr, v, allow_kernel=a > 0)
                B[i] = state.solve(np.full(k, a))
            except LinAlgError:
                B[i] = S.solve_svd(pr, np.full(k, a), v)[0]
            step(i, a, 0)
    else:  # svd (from sufficient statistics: the eigendecomposition of the Gram)
        for i, a in enumerate(alphas):
            B[i] = (S.solve_svd(pr, np.full(k, a), v) if pr.X is not None else
                    _stats.solve(pr, np.full(k, a), v, "svd"))[0]
            step(i, a, 0)
    return B, n_iter, df, used, short


def warn_short(short, used, tol, stacklevel=3):
    """One ConvergenceWarning for a whole path, listing the α where the solver stopped short."""
    if short:
        listed = ", ".join(f"{a:.4g}" for a in short[:10])
        more = f" and {len(short) - 10} more" if len(short) > 10 else ""
        warn(ConvergenceWarning,
             f"ridge_path solver={used!r} stopped at max_iter before reaching tol={tol} at "
             f"alpha = {listed}{more}. Increase max_iter or use solver='auto'.",
             stacklevel=stacklevel)


def _no_report(i, alpha, n_iter):
    return None


class _PathReport:
    """The progress lines of one path (``verbose >= 1``), on sys.stderr.

    A header when the solver is known, one line per α that :func:`fastridge._progress.due`
    selects (about every 10 % of the grid at ``verbose=1``, every α from 2 on), and a summary.
    """

    def __init__(self, label, verbose, X, k):
        self.out = Progress(label, verbose)
        self.verbose = int(verbose)
        self.what = shape_text(X, k)
        self.total_iter = 0
        self.m = 0

    def begin(self, solver, alphas):
        self.m = int(alphas.size)
        self.out.write(f"{self.m} alpha{'s' if self.m != 1 else ''} from {alphas[0]:.4g} "
                       f"down to {alphas[-1]:.4g}, solver {solver!r}, X {self.what}")

    def step(self, i, alpha, n_iter):
        self.total_iter += int(n_iter)
        if due(i + 1, self.m, self.verbose):
            pct = 100 * (i + 1) // self.m
            self.out.write(f"alpha {i + 1}/{self.m} ({pct}%): alpha={alpha:.4g}, "
                           f"{int(n_iter)} iterations, elapsed {seconds(self.out.elapsed())}")

    def end(self, solver, short):
        tail = f", max_iter reached at {len(short)} alpha" if short else ""
        self.out.write(f"done: {self.m} alphas in {seconds(self.out.elapsed())}, "
                       f"{self.total_iter} iterations in all, solver {solver!r}{tail}")


def ridge_path(X: MatrixLike, y: ArrayLike, *, alphas: ArrayLike | None = None,
               n_alphas: int = 100, alpha_min_ratio: float | None = None,
               fit_intercept: bool = True, standardize: bool = False,
               penalty_factor: ArrayLike | None = None, sample_weight: ArrayLike | None = None,
               solver: Literal["auto", "eigen", "cd", "cg", "cholesky", "svd"] = "auto",
               tol: float = 1e-6, max_iter: int | None = None,
               verbose: int | bool = 0) -> RidgePath:
    """Compute ridge solutions over a grid of α, from the largest to the smallest.

    For each α the problem is that of :class:`Ridge`.  An iterative solver starts each α from
    an extrapolation of the previous solutions (warm start), so a whole path costs a few cold
    fits; the direct spectral path costs about one fit.

    Parameters
    ----------
    X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
        Training data: dense, or any scipy.sparse format (``*_matrix`` or ``*_array``; never
        densified).  float32 stays float32; integers and bools become float64.
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Targets.
    alphas : array-like of shape (m,), default=None
        The α values (finite, ≥ 0), used as given but solved in descending order (see
        `RidgePath.order`).  None: the default grid (see Notes).
    n_alphas : int, default=100
        Size of the default grid; ignored when `alphas` is given.
    alpha_min_ratio : float in (0, 1], default=None
        Smallest α of the default grid as a fraction of the largest; None means 1e-4 when
        n_samples ≥ n_features, else 1e-2.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept (X and y are centred implicitly).
    standardize : bool, default=False
        Scale each column to unit weighted population SD (about its weighted mean, also
        without an intercept) before the penalty, as glmnet does; the coefficients are
        reported on the original scale.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers vⱼ ≥ 0 of the penalty; 0 leaves a feature unpenalized.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative row weights; an integer weight equals repeating the row.
    solver : {"auto", "eigen", "cd", "cg", "cholesky", "svd"}, default="auto"
        ``"eigen"``: one eigendecomposition of the Gram matrix XᵀWX (n ≥ p) or of the kernel
        XWXᵀ (p > n), then each α in O(p·r); needs positive penalty factors.  ``"cd"``,
        ``"cg"``: warm-started coordinate descent or conjugate gradient.  ``"cholesky"``,
        ``"svd"``: one direct solve per α.  ``"auto"`` takes ``"eigen"`` when the penalty
        factors are positive and the min(n, p)² matrix fits in memory, otherwise ``"cd"`` for
        tall dense data (n ≥ 2p) and ``"cg"`` else (see :class:`Ridge` for the solvers).
    tol : float, default=1e-6
        Relative KKT residual at which the iterative solvers stop, at each α, measured in the
        coordinates where every column has unit scale, as in :class:`fastridge.Ridge`.
    max_iter : int, default=None
        Iteration cap of the iterative solvers at each α; None means 1000.
    verbose : int or bool, default=0
        Progress report on ``sys.stderr``: 0 (or False) is silent; 1 (or True) writes a
        header, a line about every 10 % of the grid (α done out of m, the current α, its
        iterations, the elapsed time) and a summary; 2 or more writes a line for every α.

    Returns
    -------
    RidgePath
        The grid and, for every α, the coefficients, intercepts, iteration counts and (solver
        ``"eigen"``) effective degrees of freedom.

    Warns
    -----
    ConvergenceWarning
        Once for the whole path when an iterative solver stops at `max_iter` at some α, listing
        those α.

    See Also
    --------
    RidgePath : The result, with ``predict`` and ``plot``.
    RidgeCV : Choose α on such a grid by cross-validation.
    Ridge : One fit at one α.

    Notes
    -----
    The default grid is R glmnet's default ``lambda`` sequence for ``alpha = 0``, in this
    package's α.  With z̃ⱼ the columns as the fit sees them (centred when fitting an intercept,
    standardized with `standardize`), W = Σ wᵢ, σ_y the weighted population SD of y (its
    weighted root mean square without an intercept) and r = y − ȳ (or, when some penalty
    factors are 0, the residual of the weighted least-squares fit on those columns),

        alpha_max = maxⱼ |z̃ⱼᵀ W r| / (vⱼ · 0.001 · σ_y)

    over the penalized features (for several targets: the largest over the targets, each with
    its own σ_y), and `n_alphas` values log-spaced from alpha_max down to ``alpha_min_ratio *
    alpha_max``.  glmnet's ``lambda_max`` for the lasso is the smallest λ that zeroes every
    coefficient; ridge never zeroes them, and glmnet (alpha=0) takes 1000 times that value,
    which is what the factor 0.001 does.

    glmnet's λ is this package's α = W·λ·(p/Σv)/σ_y: glmnet minimizes
    ``Σ wᵢ rᵢ²/(2W) + λ/2 · Σ ṽⱼ βⱼ²`` on y/σ_y and reports λ times σ_y, and it rescales
    ``penalty.factor`` to ṽ = v·p/Σv, whereas `penalty_factor` multiplies α as given here.  With
    that conversion the grid equals glmnet's (the package's tests compare with glmnet 4.1-6),
    and so do the solutions along it.

    Solutions are computed from the largest α to the smallest.  With ``"cd"`` and ``"cg"``, the
    start at each α is a polynomial extrapolation in log α of the last (up to three) solutions,
    which cuts the iterations well below those of cold fits.  The effective degrees of freedom
    are df(α) = Σ d²/(d² + α), d the singular values of W^{1/2} Z̃ V^{-1/2}: df runs from near 0
    at the top of the grid to the number of penalized, linearly independent columns at α = 0.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import ridge_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 4))
    >>> y = X @ np.array([1.0, 0.5, 0.0, -1.0]) + 0.1 * rng.standard_normal(50)
    >>> path = ridge_path(X, y, n_alphas=20)
    >>> path.coef.shape, path.solver, bool(np.all(np.diff(path.df) > 0))
    ((20, 4), 'eigen', True)
    >>> print(f"df from {path.df[0]:.3f} to {path.df[-1]:.3f}")
    df from 0.005 to 3.664

    With ``verbose=1`` the progress goes to ``sys.stderr``, here sent to stdout:

    >>> import contextlib, sys
    >>> with contextlib.redirect_stderr(sys.stdout):
    ...     path = ridge_path(X, y, n_alphas=3, solver="cd", verbose=1)  # doctest: +ELLIPSIS
    [ridge_path] 3 alphas from ... down to ..., solver 'cd', X 50 x 4 dense, 1 target
    [ridge_path] alpha 1/3 (33%): alpha=..., ... iterations, elapsed ... s
    [ridge_path] alpha 2/3 (66%): alpha=..., ... iterations, elapsed ... s
    [ridge_path] alpha 3/3 (100%): alpha=..., ... iterations, elapsed ... s
    [ridge_path] done: 3 alphas in ... s, ... iterations in all, solver 'cd'
    """
    return _fit_path(X, y, alphas=alphas, n_alphas=n_alphas, alpha_min_ratio=alpha_min_ratio,
                     fit_intercept=fit_intercept, standardize=standardize,
                     penalty_factor=penalty_factor, sample_weight=sample_weight, solver=solver,
                     tol=tol, max_iter=max_iter, verbose=verbose, label="ridge_path")


def _fit_path(X, y, *, alphas, n_alphas, alpha_min_ratio, fit_intercept, standardize,
              penalty_factor, sample_weight, solver, tol, max_iter, verbose, label, warm=None):
    """:func:`ridge_path`, with the label of its progress lines (RidgeCV names the fold).

    `warm` (or None): (α (h,), raw coefficients (h, p) or (h, k, p)) of an earlier path on the
    same data at larger α; a path continuing below them starts from their extrapolation."""
    load_engine()
    from fastridge import _preprocessing as P

    V.check_params(solver="auto", tol=tol, max_iter=max_iter, fit_intercept=fit_intercept,
                   standardize=standardize, positive=False, warm_start=False, copy_X=True)
    user = _check_path_args(alphas, n_alphas, alpha_min_ratio, solver)
    verbose = V.check_verbose(verbose, "ridge_path")
    from fastridge._dask import any_dask

    if any_dask(X, y, sample_weight):  # row-chunked Dask arrays (fastridge[dask])
        from fastridge import _dask

        return _dask.ridge_path(X, y, alphas=user, n_alphas=n_alphas,
                                alpha_min_ratio=alpha_min_ratio, fit_intercept=fit_intercept,
                                standardize=standardize, penalty_factor=penalty_factor,
                                sample_weight=sample_weight, solver=solver, tol=float(tol),
                                max_iter=max_iter)
    path = RidgePath()
    X, y = V.validate_data(path, X, y, reset=True, defer_finite=True)
    n, p = X.shape
    sw = V.check_sample_weight(sample_weight, n, X.dtype)
    pf = V.check_penalty_factor(penalty_factor, p)
    v = np.ones(p) if pf is None else pf
    single = y.ndim == 1
    report = _PathReport(label, verbose, X, 1 if single else y.shape[1]) if verbose else None
    guess = _policy.path_prepare_solver(n, p, sparse=V.is_sparse(X), solver=solver, v=v)
    pr = P.prepare(X, y[:, None] if single else y, sw, fit_intercept=fit_intercept,
                   standardize=standardize,
                   want_gram=_policy.wants_gram(X, guess, v, np.ones(1), sparse=V.is_sparse(X)),
                   check_finite=True)
    if user is None:
        grid = default_alphas(pr, v, n_alphas, alpha_min_ratio)
        order = np.arange(grid.size)
    else:
        order = np.argsort(-user, kind="stable")
        grid = user[order]
    history = None
    if warm is not None:
        coefs = np.asarray(warm[1], dtype=np.float64)
        coefs = coefs[:, None, :] if coefs.ndim == 2 else coefs
        history = (np.asarray(warm[0], dtype=np.float64),
                   np.stack([P.from_raw(pr, c) for c in coefs]))
    B, n_iter, df, used, short = solve_path(pr, v, grid, solver, tol=float(tol),
                                            max_iter=max_iter, report=report, history=history)
    warn_short(short, used, tol, stacklevel=4)  # the caller of ridge_path
    coefs, intercepts = [], []
    for i in range(grid.size):
        c, b0 = P.to_raw(pr, B[i])
        coefs.append(c)
        intercepts.append(b0)
    V.check_output_range(X.dtype, coefs, intercepts)
    coef = np.asarray(coefs).astype(X.dtype)
    intercept = np.asarray(intercepts).astype(X.dtype)
    path.alphas, path.order, path.n_iter, path.df, path.solver = grid, order, n_iter, df, used
    path.coef = coef[:, 0, :] if single else coef
    path.intercept = intercept[:, 0] if single else intercept
    path.feature_names = getattr(path, "feature_names_in_", None)
    if report is not None:
        report.end(used, short)
    return path
