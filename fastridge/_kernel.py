"""Kernel ridge regression: `KernelRidge` (scikit-learn's, optionally with an unpenalized
intercept) and `KernelRidgeCV` (exact leave-one-out over every α and target from one
eigendecomposition of the kernel).

With K the n × n kernel of the training rows, W = diag(w) the sample weights (all 1 without
weights) and α > 0, the fit minimizes over f = K c (and b with ``fit_intercept=True``)::

    Σᵢ wᵢ (yᵢ − b − fᵢ)² + α cᵀ K c

whose solution is c = √W (√W K √W + α I)⁻¹ √W y (scikit-learn's ``KernelRidge``).  With an
intercept, K and y are first centred with the weighted means of the feature map: P = I − 1wᵀ/W
(W = Σ wᵢ), K̃ = P K Pᵀ, ỹ = y − ȳ_w; the prediction at x is k(x, X) c + b with
b = ȳ_w − wᵀK c / W (c sums to 0 under the weights' centring).

Leave-one-out (`KernelRidgeCV`): with A = √W K̃ √W = U Λ Uᵀ (its positive eigenvalues), the
fit is a linear smoother whose leverage is hᵢᵢ(α) = Σⱼ U²ᵢⱼ λⱼ/(λⱼ + α) (+ wᵢ/W with an
intercept), and the residual of the refit without row i is (yᵢ − ŷᵢ)/(1 − hᵢᵢ), computed for
all α and targets by the same interpolation-safe algebra as `RidgeCV`'s
(`fastridge._engine.selection.loo_rows` / `loo_ratio`, fed with the kernel's spectrum).
"""
from __future__ import annotations

import numbers
import warnings
from typing import TYPE_CHECKING

import numpy as np

from fastridge import _grid, _validation as V
from fastridge._base import RegressorBase, unchanged_on_failure
from fastridge._cv import record_choice
from fastridge._engine.selection import (
    cv_folds,
    descending,
    fold_stats,
    is_closed_form,
    is_gcv,
    loo_ratio,
    loo_rows,
    weighted_rms,
)
from fastridge._scoring import resolve_scoring

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from numpy.typing import ArrayLike, NDArray

    from fastridge._typing import MatrixLike

__all__ = ["KernelRidge", "KernelRidgeCV", "pairwise_kernel"]

# kernel name → the parameters it takes (scikit-learn's KERNEL_PARAMS, for the kernels here)
KERNELS = {
    "linear": (),
    "poly": ("gamma", "degree", "coef0"),
    "polynomial": ("gamma", "degree", "coef0"),
    "rbf": ("gamma",),
    "laplacian": ("gamma",),
    "sigmoid": ("gamma", "coef0"),
    "cosine": (),
}


# --------------------------------------------------------------------------- kernels
def _dense(A):
    return A.toarray() if V.is_sparse(A) else np.asarray(A, dtype=np.float64)


def _dot(X, Y):
    """X Yᵀ as a dense float64 array (X, Y dense or sparse)."""
    if V.is_sparse(X) or V.is_sparse(Y):
        return _dense(X @ Y.T)
    return X @ Y.T


def _row_sq(X):
    if V.is_sparse(X):
        return np.asarray(X.multiply(X).sum(axis=1), dtype=np.float64).ravel()
    return np.einsum("ij,ij->i", X, X)


def pairwise_kernel(X, Y, kernel, *, gamma=None, degree=3.0, coef0=1.0, kernel_params=None):
    """The kernel matrix k(xᵢ, yⱼ) (n_X, n_Y) as scikit-learn's ``pairwise_kernels`` computes
    it (with ``gamma=None`` meaning 1/n_features):

    - linear: xᵀy;  poly: (γ xᵀy + coef0)^degree;  sigmoid: tanh(γ xᵀy + coef0)
    - rbf: exp(−γ ‖x − y‖²) (‖x − y‖² = ‖x‖² − 2xᵀy + ‖y‖², clipped at 0, 0 on the diagonal
      of k(X, X));  laplacian: exp(−γ ‖x − y‖₁);  cosine: xᵀy/(‖x‖‖y‖) (0 for a zero row)
    - a callable: ``kernel(X[i], Y[j], **kernel_params)`` for every pair of rows
    - "precomputed": X itself."""
    if kernel == "precomputed":
        return _dense(X).astype(np.float64, copy=True)
    same = Y is None
    Y = X if same else Y
    if callable(kernel):
        params = kernel_params or {}
        out = np.empty((X.shape[0], Y.shape[0]))
        for i in range(X.shape[0]):
            for j in range(Y.shape[0]):
                out[i, j] = kernel(X[i], Y[j], **params)
        return out
    g = 1.0 / X.shape[1] if gamma is None else float(gamma)
    # every formula below works in place on the one (n_X, n_Y) array of XYᵀ (no temporaries
    # of that size: at n = 15,000 each is 1.8 GB), in the order of operations of the
    # expressions in the docstring (so the values are those of scikit-learn's)
    if kernel == "linear":
        return _dot(X, Y)
    if kernel in ("poly", "polynomial"):
        K = _dot(X, Y)
        K *= g
        K += coef0
        return np.power(K, degree, out=K)
    if kernel == "sigmoid":
        K = _dot(X, Y)
        K *= g
        K += coef0
        return np.tanh(K, out=K)
    if kernel == "rbf":
        d = _dot(X, Y)
        d *= -2.0
        d += _row_sq(X)[:, None]
        d += _row_sq(Y)[None, :]
        np.maximum(d, 0.0, out=d)
        if same:
            np.fill_diagonal(d, 0.0)
        d *= -g
        return np.exp(d, out=d)
    if kernel == "laplacian":
        from scipy.spatial.distance import cdist

        return np.exp(-g * cdist(_dense(X), _dense(Y), metric="cityblock"))
    if kernel == "cosine":
        def unit(A):
            norm = np.sqrt(_row_sq(A))
            inv = np.where(norm > 0, 1.0 / np.where(norm > 0, norm, 1.0), 0.0)
            if V.is_sparse(A):
                import scipy.sparse as sp

                return sp.diags(inv) @ A
            return A * inv[:, None]

        return _dot(unit(X), unit(Y))
    raise ValueError(f"kernel={kernel!r} is not a known kernel")  # pragma: no cover


def _check_kernel_params(est):
    """Check `kernel`, `gamma`, `degree`, `coef0`, `kernel_params` (names in errors)."""
    name = type(est).__name__
    k = est.kernel
    if not (callable(k) or (isinstance(k, str) and (k in KERNELS or k == "precomputed"))):
        raise ValueError(f"{name}: kernel must be one of {sorted(KERNELS) + ['precomputed']} "
                         f"or a callable, got kernel={k!r}.")
    if est.gamma is not None and (isinstance(est.gamma, (bool, np.bool_)) or not isinstance(
            est.gamma, numbers.Real) or not np.isfinite(est.gamma)):
        raise ValueError(f"{name}: gamma must be None or a finite real number, "
                         f"got gamma={est.gamma!r}.")
    if isinstance(est.degree, (bool, np.bool_)) or not isinstance(est.degree, numbers.Real) \
            or not (0 <= est.degree < np.inf):
        raise ValueError(f"{name}: degree must be a real number >= 0, got degree={est.degree!r}.")
    if isinstance(est.coef0, (bool, np.bool_)) or not isinstance(est.coef0, numbers.Real) \
            or not np.isfinite(est.coef0):
        raise ValueError(f"{name}: coef0 must be a finite real number, got coef0={est.coef0!r}.")
    if est.kernel_params is not None and not isinstance(est.kernel_params, dict):
        raise TypeError(f"{name}: kernel_params must be a dict or None, "
                        f"got {type(est.kernel_params).__name__}.")
    if not isinstance(est.fit_intercept, (bool, np.bool_)):
        raise TypeError(f"{name}: fit_intercept must be a bool, got {est.fit_intercept!r}.")


class _KernelMixin(RegressorBase):
    """Validation, kernel evaluation and prediction shared by the two estimators."""

    kernel: str | Callable[..., Any]   # the estimators' parameter

    def _get_kernel(self, X, Y=None):
        return pairwise_kernel(X, Y, self.kernel, gamma=self.gamma, degree=self.degree,
                               coef0=self.coef0, kernel_params=self.kernel_params)

    def _validate_fit(self, X, y, sample_weight, kernel=True):
        """(X, Y (n, k) float64, single, w or None, K (n, n) a new float64 array, or None
        without `kernel`)."""
        _check_kernel_params(self)
        X, y = V.validate_data(self, X, y, reset=True)
        n = X.shape[0]
        if self.kernel == "precomputed" and X.shape[1] != n:
            raise ValueError(f"{type(self).__name__}: with kernel='precomputed', X is the kernel "
                             f"of the training rows and must be square (n_samples, n_samples); "
                             f"got X of shape {X.shape}.")
        sw = V.check_sample_weight(sample_weight, n, np.float64)
        y = np.asarray(y, dtype=np.float64)
        single = y.ndim == 1
        Y = y[:, None] if single else y
        return X, Y, single, sw, (self._get_kernel(X) if kernel else None)

    def _set_dual(self, X, wK, c, ybar, w, single):
        """`dual_coef_`, `intercept_` and `X_fit_` from the dual solution c of the (centred)
        problem: with an intercept, b = ȳ_w − wᵀK c / W (`wK` = wᵀK of the uncentred kernel,
        taken before the kernel is centred in place; None without an intercept)."""
        if self.fit_intercept:
            intercept = ybar - wK @ c / w.sum()
        else:
            intercept = np.zeros(c.shape[1])
        self.dual_coef_ = c[:, 0] if single else c
        self.intercept_ = float(intercept[0]) if single else intercept
        self.X_fit_ = X

    def predict(self, X: MatrixLike) -> NDArray[np.floating]:
        """Predict with the fitted kernel ridge model.

        ``ŷ = k(X, X_fit_) · dual_coef_ + intercept_``.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Samples; with ``kernel="precomputed"``, the kernel between them and the training
            rows, of shape (n_samples, n_samples_fitted).

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predictions.

        See Also
        --------
        fit : The fit predicted from.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import KernelRidge
        >>> X = np.array([[0.0], [1.0], [2.0]])
        >>> KernelRidge(alpha=1.0).fit(X, [0.0, 1.0, 2.0]).predict([[3.0]]).round(4)
        array([2.5])
        """
        self._check_is_fitted("dual_coef_")
        X = V.validate_data(self, X, reset=False)
        if self.kernel == "precomputed" and X.shape[1] != self.X_fit_.shape[0]:
            raise ValueError(f"{type(self).__name__}: with kernel='precomputed', X must be the "
                             f"kernel against the {self.X_fit_.shape[0]} training rows; got X "
                             f"of shape {X.shape}.")
        K = self._get_kernel(X, self.X_fit_)
        return K @ self.dual_coef_ + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.kernel == "precomputed"
        return tags


def _centre(K, Y, w):
    """(K̃ = P K Pᵀ, ỹ = Y − ȳ_w, ȳ_w) with P = I − 1wᵀ/W (weighted centring of the feature
    map); `K` is overwritten."""
    u = w / w.sum()
    ybar = u @ Y
    Ku = K @ u
    K -= Ku[:, None]
    K -= Ku[None, :]
    K += float(u @ Ku)
    return K, Y - ybar, ybar


# --------------------------------------------------------------------------- KernelRidge
class KernelRidge(_KernelMixin):
    """Kernel ridge regression, scikit-learn's ``KernelRidge`` (optionally with an intercept).

    The fit minimizes Σᵢ wᵢ (yᵢ − b − fᵢ)² + α cᵀ K c over f = K c, K the kernel of the
    training rows: c = √W (√W K √W + α I)⁻¹ √W y (W = diag(sample_weight)), solved by
    Cholesky (least squares, with a warning, when K + αI is singular) — scikit-learn's
    ``KernelRidge`` exactly, by default (no intercept, b = 0).

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Penalty strength (≥ 0); one per target with an array.
    kernel : str or callable, default="linear"
        "linear", "poly" (or "polynomial"), "rbf", "laplacian", "sigmoid", "cosine",
        "precomputed" (X is then the kernel), or a callable ``k(x, y, **kernel_params)`` of
        two rows; scikit-learn's definitions (see :func:`pairwise_kernel` in Notes).
    gamma : float, default=None
        The γ of the rbf, laplacian, poly and sigmoid kernels; None means 1/n_features.
    degree : float, default=3
        Degree of the poly kernel.
    coef0 : float, default=1
        Constant of the poly and sigmoid kernels.
    kernel_params : dict, default=None
        Keyword arguments of a callable kernel.
    fit_intercept : bool, default=False
        Fit an unpenalized intercept b (the kernel and y centred with the weighted means of
        the feature map, as `Ridge` centres X).  False is scikit-learn's ``KernelRidge``.

    Attributes
    ----------
    dual_coef_ : ndarray of shape (n_samples,) or (n_samples, n_targets)
        The dual coefficients c.
    intercept_ : float or ndarray of shape (n_targets,)
        b (0 without an intercept).
    X_fit_ : ndarray or sparse matrix of shape (n_samples, n_features)
        The training rows (the training kernel with ``kernel="precomputed"``).
    n_features_in_ : int
        Number of columns of X seen by fit.
    feature_names_in_ : ndarray of str
        Column names of X, when it had them.

    See Also
    --------
    KernelRidgeCV : The same model with α chosen by exact leave-one-out.
    Ridge : The linear model (kernel="linear" without intercept is Ridge without intercept).

    Notes
    -----
    With an intercept, P = I − 1wᵀ/W (W = Σ wᵢ), K̃ = P K Pᵀ and ỹ = y − ȳ_w; c solves the
    problem on (K̃, ỹ) and b = ȳ_w − wᵀK c / W.  For kernel="linear" this is `Ridge` with
    ``fit_intercept=True`` (``coef_ = Xᵀc``).

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import KernelRidge
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 3))
    >>> y = np.sin(X[:, 0]) + 0.1 * rng.standard_normal(50)
    >>> model = KernelRidge(alpha=0.1, kernel="rbf", gamma=0.5).fit(X, y)
    >>> model.dual_coef_.shape
    (50,)
    >>> round(model.score(X, y), 3)
    0.991
    """

    def __init__(self, alpha: float | ArrayLike = 1.0, *, kernel: str | Callable = "linear",
                 gamma: float | None = None, degree: float = 3, coef0: float = 1,
                 kernel_params: dict | None = None, fit_intercept: bool = False) -> None:
        self.alpha = alpha
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.kernel_params = kernel_params
        self.fit_intercept = fit_intercept

    @unchanged_on_failure
    def fit(self, X: MatrixLike, y: ArrayLike,
            sample_weight: ArrayLike | None = None) -> KernelRidge:
        """Fit kernel ridge regression.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Training data; with ``kernel="precomputed"``, the training kernel
            (n_samples, n_samples).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Row weights wᵢ ≥ 0.

        Returns
        -------
        KernelRidge
            The fitted estimator.

        See Also
        --------
        predict : Predictions of the fit.

        Examples
        --------
        >>> from fastridge import KernelRidge
        >>> KernelRidge(alpha=1.0).fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0]).dual_coef_
        array([0.        , 0.16666667, 0.33333333])
        """
        X, Y, single, sw, K = self._validate_fit(X, y, sample_weight)
        alpha = V.check_alpha(self.alpha, Y.shape[1])
        w = np.ones(X.shape[0]) if sw is None else sw
        Yc, ybar, wK = Y, np.zeros(Y.shape[1]), None
        if self.fit_intercept:       # wᵀK before K is centred in place (no n × n copy)
            wK = w @ K
            K, Yc, ybar = _centre(K, Y, w)
        c = _dual_solve(K, Yc, alpha, sw)
        self._set_dual(X, wK, c, ybar, w, single)
        return self


def _dual_solve(K, Y, alpha, sw):
    """c = √W (√W K √W + α I)⁻¹ √W Y, one α per target (K is overwritten)."""
    from scipy import linalg

    n = K.shape[0]
    if sw is not None:
        s = np.sqrt(sw)
        K *= np.outer(s, s)
        Y = Y * s[:, None]
    out = np.empty_like(Y)
    groups = {}
    for t, a in enumerate(alpha):
        groups.setdefault(float(a), []).append(t)
    diag = K.flat[::n + 1].copy()
    for a, cols in groups.items():
        K.flat[::n + 1] = diag + a
        try:
            out[:, cols] = linalg.solve(K, Y[:, cols], assume_a="pos", overwrite_a=False)
        except np.linalg.LinAlgError:
            warnings.warn("Singular matrix in solving dual problem. Using least-squares "
                          "solution instead.", stacklevel=4)
            out[:, cols] = linalg.lstsq(K, Y[:, cols])[0]
    K.flat[::n + 1] = diag
    if sw is not None:
        out *= s[:, None]
    return out


# --------------------------------------------------------------------------- leave-one-out
def _eigen(K, w):
    """(λ, U, √w): the eigenvalues λ (r,) and eigenvectors U (n, r) of A = √W K √W (W =
    diag(w)) of modulus above n·ε·max|λ| (an indefinite kernel, e.g. sigmoid, keeps its λ < 0).

    `K` (symmetric, the caller's own array) is overwritten: it is scaled in place, and LAPACK's
    divide-and-conquer ``syevd`` (the fastest driver here: 9.2 s at n = 4000 against 20.7 s for
    ``syevr``) runs on its transpose — the same symmetric matrix in Fortran order, so that no
    n × n copy is made — and leaves the eigenvectors in it; U is a view of its columns when the
    kept eigenvalues are contiguous (always for a positive semi-definite kernel)."""
    from scipy import linalg

    n = K.shape[0]
    sqw = np.sqrt(w)
    if np.any(w != 1.0):
        K *= sqw[:, None]
        K *= sqw[None, :]
    lam, Q = linalg.eigh(K.T, overwrite_a=True, check_finite=False, driver="evd")
    tol = n * np.finfo(lam.dtype).eps * float(np.abs(lam).max(initial=0.0))
    keep = np.flatnonzero(np.abs(lam) > tol)
    if keep.size and keep[-1] - keep[0] + 1 == keep.size:      # one block: a view
        U = Q[:, keep[0]:keep[-1] + 1]
    else:
        U = Q[:, keep]
    return lam[keep], U, sqw


class KernelLeaveOneOut:
    """Exact leave-one-out over any α > 0 for all targets, from one eigendecomposition of
    A = √W K̃ √W (K̃ the kernel, centred with an intercept): `curve(alphas)` gives (mean, se,
    values) as `fastridge._engine.selection.LeaveOneOut` does, `df(alphas)` the effective
    degrees of freedom Σ λ/(λ + α) and `dual(alphas)` the dual coefficients of the fit on all
    rows (one α per target).  Eigenvalues of modulus below n·ε·max|λ| are taken as 0 (`rank`
    counts the others); negative ones (an indefinite kernel) are kept, so α must not be −λ."""

    def __init__(self, K, Y, w, *, center, per_target, store):
        """`K` (n, n) is overwritten; `Y` (n, k) the (centred) targets, `w` (n,) the
        weights (ones without)."""
        n, k = Y.shape
        W = float(w.sum())
        self.s2, U, sqw = _eigen(K, w)
        del K
        yt = Y * sqw[:, None]                                 # √W ỹ
        self.c = U.T @ yt                                     # Uᵀ√W ỹ
        r0 = yt - U @ self.c                                  # its part in A's null space
        self.U2, self.M, self.interp = loo_rows(U, w, W, center)
        self.r0_full = r0
        self.r0 = np.where(self.interp[:, None], 0.0, r0)
        self.U, self.w, self.W, self.sqw = U, w, W, sqw
        self.pos = w > 0
        self.n_eff = int(self.pos.sum())
        self.rank = int(self.s2.size)
        self.per_target, self.store, self.n, self.k = per_target, store, n, k

    def df(self, alphas):
        """Σⱼ λⱼ/(λⱼ + α) for each α (the intercept not counted)."""
        return (self.s2[None, :] / (self.s2[None, :] + alphas[:, None])).sum(axis=1)

    def curve(self, alphas):
        """(mean, se, values): mean and se (m, K) of the weighted leave-one-out squared error
        Σ wᵢ eᵢ² / W (K = k per target, else 1: the mean over targets), values (n, m, k) the
        per-row wᵢ eᵢ² (with `store`, else None)."""
        from fastridge import _config

        n, k, m = self.n, self.k, alphas.size
        K = k if self.per_target else 1
        mean, se = np.empty((m, K)), np.full((m, K), np.nan)
        values = np.empty((n, m, k)) if self.store else None
        w, pos, W = self.w, self.pos, self.W
        block = _config.block_rows(n * k, minimum=1, budget="loo_memory")
        for start in range(0, m, block):
            a = alphas[start:start + block]
            ratio = loo_ratio(self.U, self.U2, self.r0, self.M, self.interp, self.c, self.s2, a)
            sq = ratio * ratio                                  # wᵢ eᵢ²
            if values is not None:
                values[:, start:start + a.size] = sq
            if not self.per_target:
                sq = sq.mean(axis=2, keepdims=True)
            mean[start:start + a.size] = sq.sum(axis=0) / W
            if self.n_eff >= 2:
                with np.errstate(divide="ignore", invalid="ignore"):
                    q = np.where(pos[:, None, None], sq / w[:, None, None], 0.0)   # eᵢ²
                dev = q - mean[start:start + a.size][None]
                se[start:start + a.size] = weighted_rms(dev, w[:, None, None],
                                                        W * (self.n_eff - 1))
        return mean, se, values

    def dual(self, alpha_t):
        """c = √W (A + αI)⁻¹ √W ỹ for one α per target (k,): √W (U diag(1/(λ+α)) Uᵀ√Wỹ
        + r/α), r the part of √Wỹ in A's null space."""
        c = self.U @ (self.c / (self.s2[:, None] + alpha_t[None, :])) + self.r0_full / alpha_t
        return c * self.sqw[:, None]


# --------------------------------------------------------------------------- k-fold
class KernelFold:
    """One fold of k-fold cross-validation: the fit on the fold's training rows for any α and
    every target, from one eigendecomposition of their (weighted, centred with an intercept)
    kernel A = √W K̃ √W = U Λ Uᵀ, and its predictions on the fold's test rows.

    The dual coefficients at α are c(α) = √W (U diag(1/(λ + α)) Uᵀ √W ỹ + r/α) (r the part of
    √W ỹ in A's null space) and the test predictions ŷ(α) = K̃ₜ c(α) + ȳ_w, with K̃ₜ = Kₜ −
    1 wᵀK/W the test rows' kernel against the training rows, centred as the intercept is
    (b = ȳ_w − wᵀK c/W, as :class:`KernelRidge` fits it; K̃ₜ = Kₜ and ȳ_w = 0 without).  With
    G = K̃ₜ √W U (n_test, r) and h = K̃ₜ r, formed once, ŷ(α) = G diag(1/(λ + α)) Uᵀ√Wỹ + h/α
    + ȳ_w: one (n_test × r) by (r × m·k) product for m α and k targets.  Only G, h and the
    small pieces are kept (the fold's n_train² arrays are freed)."""

    def __init__(self, K_train, K_test, Y, w, *, center):
        """`K_train` (n_train, n_train) and `K_test` (n_test, n_train) are the fold's own
        arrays and are overwritten; `Y` (n_train, k) the training targets, `w` their weights
        (ones without)."""
        W = float(w.sum())
        self.ybar = np.zeros(Y.shape[1])
        if center:
            wK = w @ K_train                     # before K_train is centred in place
            K_test -= (wK / W)[None, :]
            K_train, Y, self.ybar = _centre(K_train, Y, w)
        self.s2, U, sqw = _eigen(K_train, w)
        del K_train
        yt = Y * sqw[:, None]
        self.c = U.T @ yt                        # Uᵀ√W ỹ (r, k)
        r0 = yt - U @ self.c
        if np.any(w != 1.0):
            K_test *= sqw[None, :]
        self.G = K_test @ U                      # K̃ₜ √W U
        self.h = K_test @ r0                     # K̃ₜ √W r

    def predict(self, alphas):
        """The test rows' predictions (n_test, m, k) for each α of `alphas` (m,)."""
        r, k = self.c.shape
        m = alphas.size
        inv = 1.0 / (self.s2[:, None] + alphas[None, :])                  # (r, m)
        P = (self.G @ (self.c[:, None, :] * inv[:, :, None]).reshape(r, m * k))
        P = P.reshape(-1, m, k)
        P += self.h[:, None, :] / alphas[None, :, None]
        P += self.ybar
        return P


def kernel_kfold(est, X, Y, sw, folds, *, center):
    """The `KernelFold` of each (train, test) fold of `folds`, one after the other (each is
    one n_train × n_train eigendecomposition: BLAS-bound, so threads over folds would only
    share the same cores, and each would hold its own n_train² arrays).  Kernels of the rows
    from X (or slices of the precomputed one)."""
    out = []
    for train, test in folds:
        w = np.ones(train.size) if sw is None else sw[train]
        if sw is not None and not np.any(w):
            raise ValueError("cv: every training row of a fold has sample_weight 0, so that "
                             "fold cannot be fitted; use other folds (shuffled, or fewer of "
                             "them).")
        if est.kernel == "precomputed":
            K = _dense(X)
            K_train, K_test = K[np.ix_(train, train)], K[np.ix_(test, train)]
        else:
            K_train, K_test = est._get_kernel(X[train]), est._get_kernel(X[test], X[train])
        # float64 even for float32 X: with float32 eigenpairs the folds' curves moved by up
        # to 1.3e-3 (relative) and 55 % of the per-target choices changed (1,500 × 100 rbf,
        # 20 targets; leave-one-out in float32 kept all of them)
        out.append(KernelFold(np.asarray(K_train, dtype=np.float64),   # new arrays already
                              np.asarray(K_test, dtype=np.float64), Y[train], w, center=center))
    return out


# --------------------------------------------------------------------------- KernelRidgeCV
class KernelRidgeCV(_KernelMixin):
    """Kernel ridge regression with α chosen by exact leave-one-out or k-fold.

    For every α of the grid and every target, the leave-one-out error — that of refits
    without each row in turn — comes from one eigendecomposition of the (weighted, centred
    with an intercept) kernel; k-fold errors from one eigendecomposition per fold's training
    kernel.  The model is then the fit on all rows at the chosen α, as :class:`KernelRidge`
    (same kernels and parameters) fits it.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,), default=None
        The α grid (finite, > 0), used as given.  None: a default grid from the spectrum
        (see Notes), extended past an end where the minimum sits and refined between grid
        points, as `RidgeCV`'s.
    n_alphas : int, default=100
        Size of the default grid.
    kernel : str or callable, default="linear"
        As :class:`KernelRidge`'s.
    gamma : float, default=None
        As :class:`KernelRidge`'s.
    degree : float, default=3
        As :class:`KernelRidge`'s.
    coef0 : float, default=1
        As :class:`KernelRidge`'s.
    kernel_params : dict, default=None
        As :class:`KernelRidge`'s.
    fit_intercept : bool, default=False
        Fit an unpenalized intercept (see :class:`KernelRidge`); its leverage wᵢ/W enters the
        leave-one-out residuals (each fold's fit has its own, with k-fold).
    cv : None, int, splitter or iterable, default=None
        None: exact leave-one-out.  An int k ≥ 2: scikit-learn's ``KFold(k)`` (contiguous
        folds); a splitter with ``split(X, y)`` or an iterable of (train, test) index pairs:
        those folds.
    scoring : None, str, scorer or callable, default=None
        The k-fold criterion, as `RidgeCV`'s: None (or "neg_mean_squared_error") the weighted
        mean squared error of each test fold, "r2", a scikit-learn scorer name, a scorer or a
        callable metric(y_true, y_pred) (higher is better).  Leave-one-out takes the squared
        error only.
    alpha_per_target : bool, default=False
        Choose α separately for each target (2-D y); else on the error averaged over targets.
    rule : {"min", "1se"}, default="min"
        The lowest mean error, or the largest α within one standard error of it.
    store_cv_results : bool, default=False
        Keep the per-row leave-one-out values wᵢ eᵢ² in `cv_results_` (k-fold: the
        out-of-fold predictions).

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
        The chosen α (per target with `alpha_per_target`).
    best_score_ : float or ndarray of shape (n_targets,)
        Minus the cross-validation error at `alpha_` (the score with a k-fold `scoring`).
    cv_summary_ : dict
        ``alphas`` (the final grid), ``mean_error``, ``se_error`` ((n_alphas,) or
        (n_alphas, n_targets) per target) and, for leave-one-out, ``df``.  With k-fold,
        ``mean_error`` is the mean over folds weighted by their test weight (minus the score
        for a `scoring` other than the squared error).
    cv_results_ : dict or ndarray
        `cv_summary_`, or with ``store_cv_results`` the per-row values (leave-one-out) or
        out-of-fold predictions (k-fold) of shape (n_samples, n_alphas) or
        (n_samples, n_targets, n_alphas).
    dual_coef_ : ndarray of shape (n_samples,) or (n_samples, n_targets)
        The dual coefficients of the fit at `alpha_`.
    intercept_ : float or ndarray of shape (n_targets,)
        The intercept (0 without one).
    X_fit_ : ndarray or sparse matrix of shape (n_samples, n_features)
        The training rows (the training kernel with ``kernel="precomputed"``).
    n_features_in_ : int
        Number of columns of X seen by fit.
    feature_names_in_ : ndarray of str
        Column names of X, when it had them.

    See Also
    --------
    KernelRidge : The fit at one α.
    RidgeCV : The linear model, with the same leave-one-out algebra.

    Notes
    -----
    With A = √W K̃ √W = U Λ Uᵀ (W = diag(w), K̃ the kernel centred by P = I − 1wᵀ/W with an
    intercept), the leverage of row i is hᵢᵢ(α) = Σⱼ U²ᵢⱼ λⱼ/(λⱼ + α) (+ wᵢ/W with an
    intercept), the residual of the fit on all rows √wᵢ rᵢ = (U diag(α/(λ+α)) Uᵀ √W ỹ)ᵢ (+ the
    null-space part of √W ỹ), and the leave-one-out residual eᵢ = rᵢ/(1 − hᵢᵢ): exact for the
    refit with wᵢ = 0.  The error is Σ wᵢ eᵢ² / Σ wᵢ and its standard error that of `RidgeCV`.
    The cost is one n × n eigendecomposition (O(n³)) and O(n·r) per α and target (r the rank
    of A), by matrix products over blocks of α.

    The default grid is ``n_alphas`` values log-spaced from 10·tr(A) (where df ≤ 0.1) down to
    10⁻⁶ times that, then extended (20 points at a time) past the end where the minimum sits
    until it is interior or df reaches 0 or the rank, as `RidgeCV`'s (``fastridge._grid``).

    k-fold (``cv``): for each fold, A = √W K̃ √W = U Λ Uᵀ on its training rows (K̃ centred with
    the training weights with an intercept) and, with K̃ₜ the test rows' kernel against them
    (centred likewise), the test predictions for every α and target are
    ŷ(α) = K̃ₜ√W U diag(1/(λ + α)) Uᵀ√Wỹ (+ the null-space part over α, + ȳ_w): the
    fold's fit as :class:`KernelRidge` makes it, for all α and targets from one
    eigendecomposition and one (n_test × r) by (r × n_alphas·n_targets) product.  A fold's
    error is its test rows' weighted mean squared error (or `scoring`); the curve is their
    mean weighted by the folds' test weights, its standard error cv.glmnet's (as `RidgeCV`).
    The default grid starts at 10 times the largest fold trace and is extended as `RidgeCV`'s
    k-fold grid (by up to a factor 10³ at the end where the minimum sits); the choice is not
    refined between grid points.  Folds run one after the other (each is a BLAS-bound
    eigendecomposition that uses every core).

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import KernelRidgeCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 3))
    >>> y = np.sin(X[:, 0]) + 0.1 * rng.standard_normal(60)
    >>> model = KernelRidgeCV(alphas=np.geomspace(10, 1e-4, 30), kernel="rbf",
    ...                       gamma=0.5).fit(X, y)
    >>> round(model.alpha_, 4)
    0.0574
    >>> model.cv_results_["mean_error"].shape
    (30,)
    >>> kfold = KernelRidgeCV(alphas=np.geomspace(10, 1e-4, 30), kernel="rbf", gamma=0.5,
    ...                       cv=5).fit(X, y)
    >>> round(kfold.alpha_, 4)
    0.0174
    """

    cv_results_: dict[str, NDArray[np.float64]] | NDArray[np.floating]
    cv_summary_: dict[str, NDArray[np.float64]] | NDArray[np.floating]

    def __init__(self, alphas: ArrayLike | None = None, *, n_alphas: int = 100,
                 kernel: str | Callable = "linear", gamma: float | None = None,
                 degree: float = 3, coef0: float = 1, kernel_params: dict | None = None,
                 fit_intercept: bool = False, cv: int | object | None = None,
                 scoring: str | Callable | None = None, alpha_per_target: bool = False,
                 rule: str = "min", store_cv_results: bool = False) -> None:
        self.alphas = alphas
        self.n_alphas = n_alphas
        self.cv = cv
        self.scoring = scoring
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.kernel_params = kernel_params
        self.fit_intercept = fit_intercept
        self.alpha_per_target = alpha_per_target
        self.rule = rule
        self.store_cv_results = store_cv_results

    def _check_own_params(self):
        name = type(self).__name__
        if self.rule not in ("min", "1se"):
            raise ValueError(f"{name}: rule must be 'min' or '1se', got rule={self.rule!r}.")
        if isinstance(self.n_alphas, (bool, np.bool_)) or not isinstance(
                self.n_alphas, numbers.Integral) or self.n_alphas < 1:
            raise ValueError(f"{name}: n_alphas must be an int >= 1, got {self.n_alphas!r}.")
        for flag in ("alpha_per_target", "store_cv_results"):
            if not isinstance(getattr(self, flag), (bool, np.bool_)):
                raise TypeError(f"{name}: {flag} must be a bool, got {getattr(self, flag)!r}.")
        if self.alphas is None:
            return None
        return V.check_values(self.alphas, "alphas", positive=True)[0]

    @unchanged_on_failure
    def fit(self, X: MatrixLike, y: ArrayLike,
            sample_weight: ArrayLike | None = None) -> KernelRidgeCV:
        """Choose α by exact leave-one-out (or k-fold, `cv`) and fit on all rows at that α.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Training data; with ``kernel="precomputed"``, the training kernel
            (n_samples, n_samples).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Row weights wᵢ ≥ 0.

        Returns
        -------
        KernelRidgeCV
            The fitted estimator.

        See Also
        --------
        predict : Predictions of the fit.

        Examples
        --------
        >>> from fastridge import KernelRidgeCV
        >>> X, y = [[0.0], [1.0], [2.0], [4.0]], [0.1, 0.9, 2.2, 3.9]
        >>> KernelRidgeCV(alphas=[0.01, 0.1, 1.0], fit_intercept=True).fit(X, y).alpha_
        0.1
        """
        user_grid = self._check_own_params()
        kfold = not is_closed_form(self.cv) or is_gcv(self.cv)
        crit = resolve_scoring(self.scoring, loo=True, estimator_name="KernelRidgeCV")
        if not kfold and crit.kind != "mse":
            raise ValueError(f"KernelRidgeCV: leave-one-out (cv=None) scores the squared error "
                             f"only; got scoring={self.scoring!r}. Use scoring=None or "
                             f"'neg_mean_squared_error', or k-fold (cv=5) for another scoring.")
        X, Y, single, sw, K = self._validate_fit(X, y, sample_weight, kernel=not kfold)
        n, k = Y.shape
        w = np.ones(n) if sw is None else sw
        if self.fit_intercept and np.count_nonzero(w) < 2:
            raise ValueError(f"{type(self).__name__} with fit_intercept=True needs at least 2 "
                             f"samples with positive weight; got {np.count_nonzero(w)} "
                             f"(n_samples={n}).")
        per_target = bool(self.alpha_per_target) and not single
        if kfold:
            if is_gcv(self.cv):
                raise ValueError("KernelRidgeCV: cv must be None (leave-one-out), an int >= 2, "
                                 "a splitter or an iterable of (train, test) pairs; got "
                                 "cv='gcv'.")
            self._fit_kfold(X, Y, single, sw, w, cv_folds(self.cv, X, y), crit, user_grid,
                            per_target)
            return self
        Yc, ybar, wK = Y, np.zeros(k), None
        if self.fit_intercept:       # wᵀK before K is centred in place (no n × n copy)
            wK = w @ K
            K, Yc, ybar = _centre(K, Y, w)
        loo = KernelLeaveOneOut(K, Yc, w, center=self.fit_intercept,
                                per_target=per_target, store=bool(self.store_cv_results))
        del K
        if user_grid is None:
            top = 10.0 * max(float(loo.s2.sum()), np.finfo(np.float64).tiny)
            grid = np.geomspace(top, top * 1e-6, int(self.n_alphas))
        else:
            grid = user_grid
        desc, inverse = descending(grid)
        values: list[Any] = [None]

        def curve(a):
            mean, se, vals = loo.curve(a)
            values[0] = vals
            return mean, se, loo.df(a)

        mean, se, df = curve(desc)
        if user_grid is None:
            desc, mean, se, df, stuck = _grid.extend_loo(curve, desc, mean, se, df, loo.rank)
            grid, inverse = desc, np.arange(desc.size)
            _grid.warn_loo_limits(stuck, loo.rank, desc, mean, estimator="KernelRidgeCV",
                                  null_model=("the intercept-only model" if self.fit_intercept
                                              else "the zero function"))
        else:
            _grid.warn_at_end(desc, mean, user=True, how="", estimator="KernelRidgeCV")
        record_choice(self, grid, mean[inverse], se[inverse], per_target, {"df": df[inverse]})
        if self.store_cv_results:
            curve(desc)    # the per-row values of the final grid
        if user_grid is None and self.rule == "min":
            self._refine(loo, grid, mean[inverse])
        self.cv_summary_ = self.cv_results_
        if self.store_cv_results:
            vals = values[0][:, inverse, :].transpose(0, 2, 1)
            self.cv_results_ = vals[:, 0, :] if single else vals
        alpha_t = np.broadcast_to(np.asarray(self.alpha_, dtype=np.float64), (k,))
        c = loo.dual(alpha_t)
        self._set_dual(X, wK, c, ybar, w, single)
        return self

    def _fit_kfold(self, X, Y, single, sw, w, folds, crit, user_grid, per_target):
        """k-fold: each fold's `KernelFold` (one eigendecomposition), its test predictions for
        every α and target scored by `crit` (`fastridge._scoring`), the folds' mean and standard
        error (`selection.fold_stats`, as `RidgeCV`'s k-fold); the default grid extended as
        `RidgeCV`'s k-fold grid (`fastridge._grid.extend_kfold`); then the fit on all rows at
        the chosen α, as :class:`KernelRidge` makes it."""
        parts = kernel_kfold(self, X, Y, sw, folds, center=self.fit_intercept)
        n, k = Y.shape
        store = bool(self.store_cv_results)
        kept = [None]     # the out-of-fold predictions of the last curve (with `store`)

        def curve(a):
            errs, weights = [], []
            values = np.full((n, a.size, k), np.nan) if store else None
            for part, (_, test) in zip(parts, folds):
                w_te = None if sw is None else sw[test]
                weight = float(test.size) if w_te is None else float(w_te.sum())
                pred = part.predict(a)
                if values is not None:
                    values[test] = pred
                if weight <= 0.0:
                    errs.append(np.full((a.size, k if per_target else 1), np.nan))
                else:
                    yt = Y[test, 0] if single else Y[test]
                    errs.append(crit.scores(yt, pred, w_te, X[test] if crit.kind == "scorer"
                                            else None, {}, per_target))
                weights.append(weight)
            kept[0] = values
            return fold_stats(np.stack(errs), np.array(weights))

        if user_grid is None:
            trace = max(float(part.s2.sum()) for part in parts)
            top = 10.0 * max(trace, np.finfo(np.float64).tiny)
            grid = np.geomspace(top, top * 1e-6, int(self.n_alphas))
        else:
            grid = user_grid
        desc, inverse = descending(grid)
        mean, se = curve(desc)
        if user_grid is None:
            desc, mean, se = _grid.extend_kfold(curve, desc, mean, se)
            grid, inverse = desc, np.arange(desc.size)
            _grid.warn_at_end(desc, mean, user=False, score=crit.kind != "mse",
                              estimator="KernelRidgeCV", how=(
                                  f"extended by up to a factor "
                                  f"{_grid.KFOLD_FACTOR ** _grid.KFOLD_EXTENSIONS:.0f} in alpha "
                                  f"at that end"))
        else:
            _grid.warn_at_end(desc, mean, user=True, how="", score=crit.kind != "mse",
                              estimator="KernelRidgeCV")
        record_choice(self, grid, mean[inverse], se[inverse], per_target, {})
        self.cv_summary_ = self.cv_results_
        if store:        # the out-of-fold predictions of the final grid, scikit-learn's layout
            curve(desc)
            vals = kept[0][:, inverse, :].transpose(0, 2, 1)
            self.cv_results_ = vals[:, 0, :] if single else vals
        parts.clear()     # the folds' arrays (n × r in all) freed before the refit's kernel
        K = self._get_kernel(X)
        alpha_t = np.broadcast_to(np.asarray(self.alpha_, dtype=np.float64), (k,))
        Yc, ybar, wK = Y, np.zeros(k), None
        if self.fit_intercept:
            wK = w @ K
            K, Yc, ybar = _centre(K, Y, w)
        c = _dual_solve(K, Yc, np.array(alpha_t), sw)
        self._set_dual(X, wK, c, ybar, w, single)

    def _refine(self, loo, grid, mean):
        """Move `alpha_` (per target) to the minimum of the exact leave-one-out error between
        the neighbours of the best grid point (`fastridge._grid.refine`)."""
        self.alpha_, self.best_score_ = _grid.refine_choice(loo.curve, grid, mean,
                                                            self.alpha_, self.best_score_)
