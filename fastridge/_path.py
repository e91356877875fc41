"""The α grid and the warm-started regularization path."""
import numbers

import numpy as np

from fastridge import _validation as V
from fastridge.exceptions import ConvergenceWarning, warn

PATH_SOLVERS = ("auto", "eigen", "cd", "cg", "cholesky", "svd")


def default_alphas(pr, v, n_alphas=100, alpha_min_ratio=None):
    """glmnet's grid in our scaling, descending.

    alpha_max = max_j |z_jᵀ W y_c| / (v_j · 0.001) over the penalized features (z_j the column as
    the fit sees it: centred and, with `standardize`, scaled; the maximum also runs over
    targets), then `n_alphas` values log-spaced down to alpha_min_ratio · alpha_max, with
    alpha_min_ratio = 1e-4 when n ≥ p and 1e-2 otherwise.  When no penalized feature correlates
    with y (constant y, say), alpha_max = 1.
    """
    from fastridge import _solvers as S

    if alpha_min_ratio is None:
        alpha_min_ratio = 1e-4 if pr.n >= pr.p else 1e-2
    A = pr.Yc.astype(np.float64)
    if pr.sqw is not None:
        A = A * pr.sqw[:, None]
    c = np.abs(S.zt(pr, pr.d, A)).max(axis=1)
    pen = (v > 0) & (pr.d != 0)
    with np.errstate(over="ignore", divide="ignore"):  # tiny factors: alpha_max = inf, below
        amax = float(np.max(c[pen] / (v[pen] * 0.001))) if np.any(pen) else 0.0
    if not np.isfinite(amax) or amax <= 0.0:
        amax = 1.0
    if n_alphas == 1:
        return np.array([amax])
    return np.geomspace(amax, amax * alpha_min_ratio, int(n_alphas))


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
    """Solutions along a grid of α (see :func:`ridge_path`).

    Attributes
    ----------
    alphas : ndarray (m,)
        The α values in the order solved: descending.
    order : ndarray (m,) of int
        For user-given alphas, ``alphas == np.asarray(user_alphas)[order]``; for the default grid
        ``arange(m)``.
    coef : ndarray (m, p) or (m, k, p)
        Coefficients on the raw scale.
    intercept : ndarray (m,) or (m, k)
    n_iter : ndarray (m,) of int
        Iterations run at each α (summed over targets); 0 for the direct solvers.
    df : ndarray (m,) or None
        Effective degrees of freedom Σ d²/(d² + α) of the penalized part (d the singular values
        of the design as the fit sees it: weighted, centred, standardized, divided by √v) when
        the solver has the spectrum (``solver == "eigen"``), else None.
    solver : str
        The solver that ran: "eigen" (one eigendecomposition, each α in O(p·r)), "cholesky",
        "svd", "cd" or "cg" (warm-started from the previous α).
    feature_names : ndarray of str or None
    """

    def predict(self, X):
        """Predictions for every α: (n, m), or (n, m, k) for multi-target fits."""
        from fastridge._base import linear_predict

        X = V.validate_data(self, X, reset=False)
        if self.coef.ndim == 2:
            return linear_predict(X, self.coef, self.intercept)
        return np.stack([linear_predict(X, self.coef[:, t, :], self.intercept[:, t])
                         for t in range(self.coef.shape[1])], axis=-1)

    def plot(self, ax=None, xvar="alpha", **kwargs):
        """Coefficient profiles against log α, df or the coefficient norm (needs matplotlib);
        keyword arguments go to :func:`fastridge._plot.plot_path` (target, label, mark_alpha,
        feature_names)."""
        from fastridge._plot import plot_path

        return plot_path(self, ax=ax, xvar=xvar, **kwargs)

    def __repr__(self):
        return (f"RidgePath(n_alphas={self.alphas.size}, alpha=[{self.alphas[0]:.4g} .. "
                f"{self.alphas[-1]:.4g}], solver={self.solver!r})")


def _path_solver(pr, v, solver):
    from fastridge import _ridge, _spectral

    if solver != "auto":
        return solver
    if _spectral.available(pr, v):
        return "eigen"
    auto = _ridge.choose_solver(pr.n, pr.p, sparse=pr.fmt != "dense", alphas=np.ones(1),
                                positive=False)
    if auto == "cholesky" and pr.p > pr.n and np.any(v == 0):
        auto = "cg"  # the kernel form needs positive penalty factors; a p × p Gram may not fit
    return "cd" if auto == "cholesky" and pr.n >= 2 * pr.p else auto


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


def solve_path(pr, v, alphas, solver, *, tol, max_iter):
    """Fit-coordinate solutions for each α of `alphas` (descending): B (m, k, p), n_iter (m,),
    df or None, the solver used, and a list of α at which an iterative solver stopped short."""
    from scipy.linalg import LinAlgError

    from fastridge import _solvers as S, _spectral

    m, k = alphas.size, pr.k
    B = np.zeros((m, k, pr.p))
    n_iter = np.zeros(m, dtype=np.intp)
    df, short = None, []
    used = _path_solver(pr, v, solver)
    if used == "cd" and solver == "auto" and np.any(alphas == 0.0):
        used = "cholesky"  # direct solves: at α = 0, the SVD's minimum-norm one if singular
    if used == "eigen":
        if not _spectral.available(pr, v):
            raise ValueError("solver='eigen' needs positive penalty factors and a Gram/kernel "
                             "matrix that fits in memory; use solver='auto'.")
        spec = _spectral.spectrum(pr, v)
        for i, a in enumerate(alphas):
            if a == 0.0 and np.ptp(v[pr.d != 0]) > 0:
                # the spectrum's α → 0 limit is the solution of least norm ‖√v∘b‖; the
                # least-squares problem does not involve v, and its minimum-norm solution
                # (in b, as every solver returns it) comes from the SVD
                B[i] = S.solve_svd(pr, np.zeros(k), v)[0]
            else:
                B[i] = spec.coef(np.full(k, a))
        df = spec.df(alphas)
    elif used in ("cd", "cg"):
        if used == "cd":
            state = S.CDState(pr, v, positive=False)
        elif pr.fmt == "dense" and S._gram_cd(pr.n, pr.p, True, True):
            state = S.CGGramState(pr, v)  # tall dense path: CG on the Gram, O(p²) iterations
        else:
            state = S.CGState(pr, v)
        for i, a in enumerate(alphas):
            start = _extrapolate(alphas[max(0, i - 3):i], B[max(0, i - 3):i], a)
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
    elif used == "cholesky":
        state = None
        for i, a in enumerate(alphas):
            try:
                if state is None or (state.kernel and a == 0):
                    state = S.CholeskyState(pr, v, allow_kernel=a > 0)
                B[i] = state.solve(np.full(k, a))
            except LinAlgError:
                B[i] = S.solve_svd(pr, np.full(k, a), v)[0]
    else:  # svd
        for i, a in enumerate(alphas):
            B[i] = S.solve_svd(pr, np.full(k, a), v)[0]
    return B, n_iter, df, used, short


def ridge_path(X, y, *, alphas=None, n_alphas=100, alpha_min_ratio=None, fit_intercept=True,
               standardize=False, penalty_factor=None, sample_weight=None, solver="auto",
               tol=1e-6, max_iter=None):
    """Ridge solutions over a grid of α, from largest to smallest, each warm-started.

    Parameters are those of :class:`fastridge.Ridge` plus the grid: `alphas` (used as given;
    solved in descending order, see `RidgePath.order`) or `n_alphas` values from glmnet's rule
    (:func:`default_alphas`).  `solver="auto"` takes the direct spectral path ("eigen": one
    eigendecomposition of the Gram matrix when n ≥ p or of the kernel matrix when p > n, then
    each α in O(p·r)) whenever the penalty factors are positive and that matrix fits in memory;
    otherwise warm-started coordinate descent (dense, n ≥ 2p) or conjugate gradient.  An
    iterative solver that stops at `max_iter` warns once for the whole path, listing the α.

    Returns
    -------
    RidgePath

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import ridge_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 4))
    >>> y = X @ np.array([1.0, 0.5, 0.0, -1.0]) + 0.1 * rng.standard_normal(50)
    >>> path = ridge_path(X, y, n_alphas=20)
    >>> path.coef.shape, bool(np.all(np.diff(path.df) > 0))
    ((20, 4), True)
    """
    from fastridge import _preprocessing as P, _solvers as S

    V.check_params(solver="auto", tol=tol, max_iter=max_iter, fit_intercept=fit_intercept,
                   standardize=standardize, positive=False, warm_start=False, copy_X=True)
    user = _check_path_args(alphas, n_alphas, alpha_min_ratio, solver)
    path = RidgePath()
    X, y = V.validate_data(path, X, y, reset=True)
    n, p = X.shape
    sw = V.check_sample_weight(sample_weight, n, X.dtype)
    pf = V.check_penalty_factor(penalty_factor, p)
    v = np.ones(p) if pf is None else pf
    single = y.ndim == 1
    guess = solver
    if solver == "cg" and not V.is_sparse(X) and S._gram_cd(n, p, True, True):
        guess = "cd"  # the tall dense CG path works on the Gram too: take it from the same pass
    if solver == "auto":
        guess = "eigen" if np.all(v > 0) and min(n, p) ** 2 * 8 <= S.GRAM_MAX_BYTES else "cg"
    pr = P.prepare(X, y[:, None] if single else y, sw, fit_intercept=fit_intercept,
                   standardize=standardize,
                   want_gram=S.wants_gram(X, guess, v, np.ones(1), sparse=V.is_sparse(X)))
    if user is None:
        grid = default_alphas(pr, v, n_alphas, alpha_min_ratio)
        order = np.arange(grid.size)
    else:
        order = np.argsort(-user, kind="stable")
        grid = user[order]
    B, n_iter, df, used, short = solve_path(pr, v, grid, solver, tol=float(tol),
                                            max_iter=max_iter)
    if short:
        listed = ", ".join(f"{a:.4g}" for a in short[:10])
        more = f" and {len(short) - 10} more" if len(short) > 10 else ""
        warn(ConvergenceWarning,
             f"ridge_path solver={used!r} stopped at max_iter before reaching tol={tol} at "
             f"alpha = {listed}{more}. Increase max_iter or use solver='auto'.")
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
    return path
