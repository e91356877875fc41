"""The α grid and the warm-started regularization path."""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

from fastridge import _docs, _validation as V
from fastridge._backends import get_backend, minus_offset
from fastridge._engine.path import PathReport, default_alphas, raw_path, warn_short
from fastridge._lazy import load_engine
from fastridge._linear import check_in_memory, generalized_data

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Literal

    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike, NDArray

    from fastridge._typing import MatrixLike

PATH_SOLVERS = ("auto", "eigen", "cd", "cg", "cholesky", "svd")


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
        Iterations run at each α (summed over targets); 0 for the direct solvers.  For the
        multi-shift CG path (``solver == "cg"`` with equal penalty factors and
        ``standardize=True``), which solves every α together, the iterations spent since the
        previous α had converged: ``n_iter[:i + 1].sum()`` is the iteration at which
        ``alphas[i]`` had, and ``n_iter.sum()`` the whole path's.
    df : ndarray of shape (m,) or None
        Effective degrees of freedom Σ d²/(d² + α) of the penalized part (d the singular values
        of the design as the fit sees it: weighted, centred, standardized, divided by √v) when
        the solver has the spectrum (``solver == "eigen"``), else None.
    solver : str
        The solver that ran: ``"eigen"`` (one eigendecomposition, each α in O(p·r)),
        ``"cholesky"``, ``"svd"``, ``"cd"`` or ``"cg"`` (warm-started from the previous α, or,
        with equal penalty factors and ``standardize=True``, every α from one multi-shift
        solve).
    feature_names : ndarray of str or None
        The column names of X when it had them (a pandas DataFrame), else None.
    fitted_offset : bool
        Whether the path was fitted with an ``offset`` (then :meth:`predict` needs one).
    n_features_in_ : int
        Number of columns of X; :meth:`predict` checks it.
    loo : ndarray of shape (m,) or (m, n_targets)
        The exact leave-one-out mean squared error (weighted) at each α, as ``RidgeCV(cv=None)``
        computes it (see :meth:`select` for when it is available).
    gcv : ndarray of shape (m,) or (m, n_targets)
        The generalized cross-validation criterion (RSS_w/W) / (1 − df/n₊)² at each α, as
        ``RidgeCV(cv="gcv")`` computes it: n times ``MASS::lm.ridge``'s ``GCV`` without weights.
    hkb : float or ndarray of shape (n_targets,)
        The modified Hoerl–Kennard–Baldwin estimate of α, ``MASS::lm.ridge``'s ``kHKB``.
    lw : float or ndarray of shape (n_targets,)
        The modified Lawless–Wang estimate of α, ``MASS::lm.ridge``'s ``kLW``.

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
    fitted_offset: bool
    n_features_in_: int
    # set by ridge_path: the problem, penalty factors and (X, Y, sw) when the rows are in memory
    _pr: Any
    _v: Any
    _rows: Any

    def predict(self, X: MatrixLike, offset: ArrayLike | None = None) -> NDArray[np.floating]:
        """Predict with the solution at every α of the path.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Raw (unstandardized) data with the columns the path was fitted on.
        offset : array-like of shape (n_samples,) or (n_samples, n_targets), default=None
            The new rows' known term of the linear predictor, added at every α; required
            when the path was fitted with an offset (as glmnet's ``newoffset``).

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
            out = linear_predict(X, self.coef, self.intercept)
        else:
            out = np.stack([linear_predict(X, self.coef[:, t, :], self.intercept[:, t])
                            for t in range(self.coef.shape[1])], axis=-1)
        if offset is None:
            if getattr(self, "fitted_offset", False):
                raise ValueError("This path was fitted with an offset: predict needs "
                                 "predict(X, offset=...) for the new rows (as glmnet's "
                                 "newoffset).")
            return out
        k = 1 if self.coef.ndim == 2 else self.coef.shape[1]
        off = V.check_offset(offset, out.shape[0], k, self.coef.ndim == 2)
        off = off[:, None] if off.ndim == 1 else off[:, None, :]   # the same at every α
        return (out + off).astype(out.dtype, copy=False)

    # ------------------------------------------------------------ from the spectrum
    def _decomposition(self, what, rows=False):
        """The spectral decomposition of the path's problem (made once), or a ValueError
        naming `what` and why it is not available; `rows`: also the rows in memory."""
        from fastridge import _policy, _spectral

        pr = getattr(self, "_pr", None)
        if pr is None:
            raise ValueError(f"RidgePath.{what} needs the problem the path was computed on: "
                             f"build the path with ridge_path (this one was constructed "
                             f"directly).")
        if getattr(self, "_limits", None) is not None:
            raise ValueError(f"RidgePath.{what} is computed from the spectral decomposition, "
                             f"which solves the unconstrained problem: this path was fitted "
                             f"with lower_limits/upper_limits.")
        if rows and self._rows is None:
            raise ValueError(f"RidgePath.{what} needs the rows of X in memory (a numpy array or "
                             f"scipy.sparse matrix); this path was computed from a "
                             f"{pr.form}-form problem (Dask arrays). Use coef_at/predict_at, or "
                             f"RidgeCV(cv='gcv') for the GCV choice.")
        if self._spectrum is None:
            why = "the rows are held elsewhere (Dask)" if pr.form == "operator" \
                else _policy.spectral_unavailable(pr, self._v, unpenalized=True)
            if why is not None:
                raise ValueError(f"RidgePath.{what} needs one spectral decomposition of the "
                                 f"problem, which is not available here: {why}.")
            self._spectrum = _spectral.spectrum(pr, self._v)
        return self._spectrum

    def _gcv_state(self, what):
        from fastridge._engine.selection import GeneralizedCV

        if getattr(self, "_gcv", None) is None:
            sp = self._decomposition(what, rows=True)
            self._gcv = GeneralizedCV(self._pr, self._v, per_target=True, sp=sp,
                                      label=f"RidgePath.{what}")
        return self._gcv

    def _per_target(self, a):
        """(m, k) or (k,) values laid out as the path's targets (a 1-D y drops the k axis)."""
        return a[..., 0] if self.coef.ndim == 2 else a

    @property
    def gcv(self) -> NDArray[np.float64]:
        self._decomposition("gcv", rows=True)
        return self._per_target(self._gcv_state("gcv").values(self.alphas))

    @property
    def loo(self) -> NDArray[np.float64]:
        from fastridge._engine.selection import LeaveOneOut
        from fastridge._scoring import resolve_scoring

        sp = self._decomposition("loo", rows=True)
        X, Y, sw = self._rows
        state = LeaveOneOut(self._pr, self._v, X, Y, sw, per_target=True,
                            single=self.coef.ndim == 2,
                            criterion=resolve_scoring(None, loo=True), params={}, store=False,
                            predictions=False, sp=sp)
        return self._per_target(state.curve(self.alphas)[0])

    @property
    def hkb(self) -> float | NDArray[np.float64]:
        self._not_generalized("hkb")
        hkb = self._gcv_state("hkb").classical()[0]
        return float(hkb[0]) if self.coef.ndim == 2 else hkb

    @property
    def lw(self) -> float | NDArray[np.float64]:
        self._not_generalized("lw")
        lw = self._gcv_state("lw").classical()[1]
        return float(lw[0]) if self.coef.ndim == 2 else lw

    def _not_generalized(self, what):
        if getattr(self, "_generalized", None) is not None:
            raise ValueError(f"RidgePath.{what} (MASS's estimate for plain ridge) is not "
                             f"defined for a path with penalty_matrix/penalty_root/coef_prior.")

    def select(self) -> None:
        """Print the classical choices of α, as ``MASS::select`` on ``lm.ridge``.

        The modified Hoerl–Kennard–Baldwin estimate `hkb`, the modified Lawless–Wang estimate
        `lw` (from the least-squares fit: σ̂² = RSS₀/(n₊ − r − 1), with the intercept, and the
        least-squares coefficients γ of the design as fitted, HKB = (r − 2) σ̂²/‖γ‖² and
        LW = (r − 2) σ̂² W/‖Ẑγ‖²), and the α of the grid with the smallest `gcv`.  With
        ``standardize=True``, an intercept and no weights these are MASS's numbers for
        ``lambda`` = α (MASS scales the columns by their population SD; its GCV is
        RSS/(n − df)², this package's n times that, with the same minimizer).  Without an
        intercept MASS scales by the columns' root mean square, `standardize` by their SD.

        Needs the rows of X in memory and the spectral decomposition (positive penalty
        factors, a min(n, p)² matrix that fits in memory), as `loo`, `gcv`, `hkb` and `lw` do;
        otherwise a ValueError says why.

        See Also
        --------
        RidgeCV : ``cv="gcv"`` chooses α by the GCV, refined between grid points.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import ridge_path
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((50, 4))
        >>> y = X @ np.array([1.0, 0.5, 0.0, -1.0]) + rng.standard_normal(50)
        >>> path = ridge_path(X, y, alphas=np.linspace(0.0, 10.0, 11), standardize=True)
        >>> path.select()
        modified HKB estimator is 1.870416
        modified L-W estimator is 1.672671
        smallest value of GCV at 5
        """
        def fmt(x):
            return " ".join(f"{v:.7g}" for v in np.ravel(x))

        gcv = np.atleast_2d(self.gcv.T).T                     # (m, k)
        print(f"modified HKB estimator is {fmt(self.hkb)}")
        print(f"modified L-W estimator is {fmt(self.lw)}")
        best = []
        for t in range(gcv.shape[1]):
            col = gcv[:, t]
            if np.isfinite(col).any():
                best.append(fmt(self.alphas[col == np.nanmin(col)]))
        print(f"smallest value of GCV at {'; '.join(best)}")

    def _alphas_at(self, alpha, df, what):
        if (alpha is None) == (df is None):
            raise ValueError(f"RidgePath.{what} takes exactly one of alpha= and df=.")
        sp = self._decomposition(what)
        if alpha is not None:
            return sp, *V.check_values(alpha, "alpha", positive=False)
        dfs, scalar = V.check_values(df, "df", positive=True)
        return sp, np.array([sp.alpha_for_df(d) for d in dfs]), scalar

    def coef_at(self, alpha: ArrayLike | None = None, *, df: ArrayLike | None = None
                ) -> tuple[NDArray[np.floating], NDArray[np.floating] | float]:
        """Exact coefficients at any α, or at any effective degrees of freedom, off the grid.

        From the spectral decomposition of the path's problem (as glmnet's
        ``coef(fit, s=, exact=TRUE)``, without refitting): in the fit coordinates
        b(α) = V^{-1/2} Vᵣ diag(1/(s² + α)) P, mapped back to the raw scale.  `df` is turned
        into the α with Σ s²/(s² + α) = df (a safeguarded Newton iteration on log α; unique,
        df(α) decreasing from the rank r at α = 0 to 0), df in (0, r].

        Parameters
        ----------
        alpha : float or array-like of shape (m,), default=None
            The α ≥ 0; α = 0 is the limit α → 0⁺ (the least-squares solution of least penalty
            Σ vⱼβⱼ² when it is not unique).
        df : float or array-like of shape (m,), default=None
            Effective degrees of freedom in (0, rank]; exactly one of `alpha` and `df`.

        Returns
        -------
        coef : ndarray of shape (n_features,) or (n_targets, n_features)
            With an array of m values, a leading axis of m (as `coef`).
        intercept : float or ndarray of shape (n_targets,)
            With an array of m values, of shape (m,) or (m, n_targets).

        Raises
        ------
        ValueError
            Without the spectral decomposition (a zero penalty factor, a min(n, p)² matrix
            beyond the working memory, Dask rows held as an operator), or for a df outside
            (0, rank].

        See Also
        --------
        predict_at : Predictions at such an α.
        Ridge : ``Ridge(df=...)`` fits at the α of a given df.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge, ridge_path
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((40, 3))
        >>> y = X @ np.array([2.0, -1.0, 0.5]) + rng.standard_normal(40)
        >>> path = ridge_path(X, y, n_alphas=10)
        >>> coef, intercept = path.coef_at(alpha=7.3)
        >>> bool(np.allclose(coef, Ridge(alpha=7.3).fit(X, y).coef_, rtol=1e-10))
        True
        >>> coef, intercept = path.coef_at(df=2.0)
        >>> print(np.round(coef, 3))
        [ 1.674 -0.731  0.514]
        """
        from fastridge import _preprocessing as P

        sp, alphas, scalar = self._alphas_at(alpha, df, "coef_at")
        pr = self._pr
        coef = np.empty((alphas.size, pr.k, pr.p))
        icpt = np.empty((alphas.size, pr.k))
        for i, a in enumerate(alphas):
            coef[i], icpt[i] = P.to_raw(pr, sp.coef(np.full(pr.k, a)))
        gen = getattr(self, "_generalized", None)
        if gen is not None:  # the standard form's coefficients γ → β = Tγ + β₀
            if gen[0] is not None:
                coef = gen[0].coef(coef)
            if gen[1] is not None:
                coef = coef + gen[1][None]
        V.check_output_range(self.coef.dtype, coef, icpt)
        coef, icpt = coef.astype(self.coef.dtype), icpt.astype(self.coef.dtype)
        if self.coef.ndim == 2:
            coef, icpt = coef[:, 0, :], icpt[:, 0]
        if scalar:
            return coef[0], (icpt[0] if icpt.ndim == 2 else float(icpt[0]))
        return coef, icpt

    def predict_at(self, X: MatrixLike, alpha: ArrayLike | None = None, *,
                   df: ArrayLike | None = None) -> NDArray[np.floating]:
        """Predict with the exact solution at any α or effective degrees of freedom.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Raw data with the path's columns.
        alpha, df : float or array-like of shape (m,)
            Exactly one of them, as in :meth:`coef_at`.

        Returns
        -------
        ndarray
            For one value, (n_samples,) or (n_samples, n_targets); for m values, (n_samples, m)
            or (n_samples, m, n_targets), as :meth:`predict`.

        See Also
        --------
        coef_at : The coefficients these predictions use.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge, ridge_path
        >>> rng = np.random.default_rng(1)
        >>> X = rng.standard_normal((30, 4))
        >>> y = X @ np.ones(4) + rng.standard_normal(30)
        >>> path = ridge_path(X, y, n_alphas=5)
        >>> pred = path.predict_at(X[:3], alpha=[0.5, 50.0])
        >>> pred.shape
        (3, 2)
        >>> bool(np.allclose(pred[:, 1], Ridge(alpha=50.0).fit(X, y).predict(X[:3])))
        True
        """
        from fastridge._base import linear_predict

        X = V.validate_data(self, X, reset=False)
        coef, icpt = self.coef_at(alpha, df=df)
        scalar = np.ndim(icpt) == 0 or (self.coef.ndim == 3 and np.ndim(icpt) == 1)
        coef = coef[None] if scalar else coef
        icpt = np.reshape(icpt, (1,) + np.shape(icpt)) if scalar else icpt
        if coef.ndim == 2:
            out = linear_predict(X, coef, icpt)
        else:
            out = np.stack([linear_predict(X, coef[:, t, :], np.asarray(icpt)[:, t])
                            for t in range(coef.shape[1])], axis=-1)
        return out[:, 0] if scalar else out

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


@_docs.fill
def ridge_path(X: MatrixLike, y: ArrayLike, *, alphas: ArrayLike | None = None,
               n_alphas: int = 100, alpha_min_ratio: float | None = None,
               fit_intercept: bool = True, standardize: bool = False,
               penalty_factor: ArrayLike | None = None, sample_weight: ArrayLike | None = None,
               solver: Literal["auto", "eigen", "cd", "cg", "cholesky", "svd"] = "auto",
               tol: float = 1e-6, max_iter: int | None = None,
               verbose: int | bool = 0, lower_limits: float | ArrayLike | None = None,
               upper_limits: float | ArrayLike | None = None,
               exclude: ArrayLike | None = None,
               offset: ArrayLike | None = None, penalty_matrix: ArrayLike | None = None,
               penalty_root: ArrayLike | None = None,
               coef_prior: ArrayLike | None = None) -> RidgePath:
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
    lower_limits, upper_limits : float or array of shape (n_features,), default=None
        Raw-scale box limits on the coefficients at every α, lowerⱼ ≤ 0 ≤ upperⱼ (glmnet's
        ``lower.limits``/``upper.limits``, as :class:`Ridge`'s); only ``"cd"`` honours them
        (``"auto"`` takes it).
    exclude : array of int, default=None
        Features left out of the fit, coefficient 0 at every α (glmnet's ``exclude``).
    offset : array-like of shape (n_samples,) or (n_samples, n_targets), default=None
        A known per-row term of the linear predictor (glmnet's ``offset``): the path is fitted
        on y − offset, and `RidgePath.predict` then needs the new rows' offset.  In-memory data
        only.
    penalty_matrix : array-like of shape (n_features, n_features), default=None
        %(penalty_matrix)s
        `coef` at every α, `coef_at`, `loo` and `gcv` are those of the original problem (not with
        `lower_limits`, `upper_limits` or `exclude`).
        %(penalty_matrix_limits)s
    %(penalty_root)s
    %(coef_prior)s

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

        ``alpha_max = maxⱼ |z̃ⱼᵀ W r| / (vⱼ · 0.001 · σ_y)``

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
    which cuts the iterations well below those of cold fits.  With ``"cg"``, equal penalty
    factors and columns of equal scale (``standardize=True``), the system at α is
    (ZᵀWZ + α v₀ I) b = ZᵀW y: every α shares one Krylov space, so one multi-shift conjugate
    gradient (Jegerlehner 1996; Frommer & Maass 1999) run at the smallest α yields them all,
    each α stopping when its own residual meets `tol` — about the iterations of a single cold
    fit at the smallest α, plus O(p) work per α per iteration.  The effective degrees of freedom
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
    kw = dict(alphas=alphas, n_alphas=n_alphas, alpha_min_ratio=alpha_min_ratio,
              fit_intercept=fit_intercept, standardize=standardize,
              penalty_factor=penalty_factor, sample_weight=sample_weight, solver=solver,
              tol=tol, max_iter=max_iter, verbose=verbose, label="ridge_path",
              lower_limits=lower_limits, upper_limits=upper_limits, exclude=exclude,
              offset=offset)
    if penalty_matrix is None and penalty_root is None and coef_prior is None:
        return _fit_path(X, y, **kw)
    return _generalized_path(X, y, penalty_matrix, penalty_root, coef_prior, kw)


def _generalized_path(X, y, penalty_matrix, penalty_root, coef_prior, kw):
    """`ridge_path` with a penalty matrix and/or a prior mean: the path of the standard form
    (`fastridge._linear.generalized_data`), its coefficients mapped back to β = Tγ + β₀ (the
    intercepts, df, LOO and GCV are the same in both parametrizations)."""
    if kw["lower_limits"] is not None or kw["upper_limits"] is not None \
            or kw["exclude"] is not None:
        raise ValueError("ridge_path: lower_limits, upper_limits and exclude act on single "
                         "coefficients and are not supported with penalty_matrix, "
                         "penalty_root or coef_prior.")
    check = RidgePath()
    check_in_memory("ridge_path", X, y, kw["sample_weight"])
    X, y = V.validate_data(check, X, y, reset=True)
    Xt, yt, form, prior, _ = generalized_data(
        "ridge_path", X, y, kw["sample_weight"], penalty_matrix, penalty_root, coef_prior,
        penalty_factor=kw["penalty_factor"], standardize=kw["standardize"],
        unpenalized_ok=True, fit_intercept=kw["fit_intercept"])
    if form is not None:
        kw["penalty_factor"] = form.v if form.null_dim else None
    path = _fit_path(Xt, yt, **kw)
    coef = np.asarray(path.coef, dtype=np.float64)
    if form is not None:
        coef = form.coef(coef)
    if prior is not None:
        coef = coef + (prior[0] if coef.ndim == 2 else prior[None])
    path.coef = coef.astype(path.coef.dtype)
    path._generalized = (form, prior)
    path.n_features_in_ = X.shape[1]
    path.feature_names = getattr(check, "feature_names_in_", None)
    if path.feature_names is not None:
        path.feature_names_in_ = path.feature_names
    return path


def _fit_path(X, y, *, alphas, n_alphas, alpha_min_ratio, fit_intercept, standardize,
              penalty_factor, sample_weight, solver, tol, max_iter, verbose, label, warm=None,
              lower_limits=None, upper_limits=None, exclude=None, offset=None):
    """:func:`ridge_path`, with the label of its progress lines (RidgeCV names the fold).

    `warm` (or None): (α (h,), raw coefficients (h, p) or (h, k, p)) of an earlier path on the
    same data at larger α; a path continuing below them starts from their extrapolation."""
    load_engine()
    from fastridge import _preprocessing as P

    V.check_params(solver="auto", tol=tol, max_iter=max_iter, fit_intercept=fit_intercept,
                   standardize=standardize, positive=False, warm_start=False, copy_X=True)
    user = _check_path_args(alphas, n_alphas, alpha_min_ratio, solver)
    verbose = V.check_verbose(verbose, "ridge_path")
    backend = get_backend(X, y, sample_weight)
    path = RidgePath()
    data = backend.validate(path, X, y, sample_weight, name="ridge_path")
    pf = V.check_penalty_factor(penalty_factor, data.p)
    limits = V.check_limits(lower_limits, upper_limits, data.p)
    excluded = V.check_exclude(exclude, data.p)
    data = minus_offset(backend, data, offset, "path")
    v = np.ones(data.p) if pf is None else pf
    report = PathReport(label, verbose, data.describe()) if verbose else None
    pr = backend.path_problem(data, fit_intercept=fit_intercept, standardize=standardize,
                              solver="cd" if limits is not None and solver == "auto" else solver,
                              v=v)
    P.exclude_columns(pr, excluded)
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
    keep = {}
    coef, intercept, n_iter, df, used, short = raw_path(
        pr, v, grid, solver, tol=float(tol), max_iter=max_iter, dtype=data.dtype,
        report=report, history=history, keep=keep, limits=limits)
    warn_short(short, used, tol, stacklevel=4)  # the caller of ridge_path
    coef, intercept = coef.astype(data.dtype), intercept.astype(data.dtype)
    path.alphas, path.order, path.n_iter, path.df, path.solver = grid, order, n_iter, df, used
    path.coef = coef[:, 0, :] if data.single else coef
    path.intercept = intercept[:, 0] if data.single else intercept
    path.feature_names = getattr(path, "feature_names_in_", None)
    # what coef_at, gcv, loo, ... need: the problem and its decomposition (made on first use
    # when the path's solver did not make it), the rows when in memory
    path._pr, path._v, path._spectrum, path._gcv = pr, v, keep.get("spectrum"), None
    path._rows = (data.X, data.Y, data.sw) if backend.rows_in_memory else None
    path._limits = limits
    path.fitted_offset = offset is not None
    if report is not None:
        report.end(used, short)
    return path
