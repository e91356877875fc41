"""Generalized ridge: a penalty matrix Ω and a prior mean β₀, by one standard-form transformation.

The objective, per target,

    Σᵢ wᵢ (yᵢ − xᵢᵀβ − β_int)² + α (β − β₀)ᵀ Ω (β − β₀),     Ω = Ωᵀ ⪰ 0 (p × p),

becomes an ordinary ridge problem (Hansen's standard form).  With Ω = U diag(ω) Uᵀ (eigenvalues
ω ≥ 0) and

    T = [U₊ diag(ω₊^{-1/2}), U₀]       (U₊ the range of Ω, U₀ its null space),

β = Tγ + β₀ gives (β − β₀)ᵀΩ(β − β₀) = Σ_{range} γⱼ², while the null-space coordinates are not
penalized (penalty factor 0).  So the fit is plain ridge of y − Xβ₀ on X̃ = X T with penalty
factors v = (1, …, 1, 0, …, 0), mapped back by β = Tγ + β₀; the intercept is the same in both
parametrizations.  T is invertible, so the fitted values, the hat matrix — hence the spectral
path, exact leave-one-out, GCV and the marginal likelihood of y — are those of the original
problem exactly.  A factor L (r × p) with Ω = LᵀL is accepted too (`penalty_root`); Ω is formed
from it (p × p, cheap next to the fit).

This module is pure linear algebra on p × p matrices; the estimators apply it (`_linear`).
"""
import numpy as np

# eigenvalues of Ω below this fraction of the largest (times p) count as 0 (its null space),
# and negative ones beyond it make Ω "not positive semidefinite"
_PSD_RTOL = 1e3 * float(np.finfo(np.float64).eps)


def difference_penalty(n_features: int, order: int = 2) -> np.ndarray:
    """The difference matrix D of the P-spline penalty (Eilers & Marx 1996): Ω = DᵀD.

    Row i of D holds the `order`-th finite difference of coefficients i … i + order, so that

        ‖Dβ‖² = Σᵢ (Δ^order β)ᵢ²,   e.g. order 2:  Σᵢ (βᵢ − 2βᵢ₊₁ + βᵢ₊₂)²,

    a roughness penalty on neighbouring coefficients (of a B-spline basis, of ordered
    categories, of lagged effects).  Pass it as ``penalty_root=D`` (or ``penalty_matrix=D.T @
    D``).  Its null space — polynomials of degree < `order` in the index — is left unpenalized.

    Parameters
    ----------
    n_features : int
        Number of coefficients p (> `order`).
    order : int, default=2
        Order of the differences (≥ 0; 0 gives the identity, plain ridge).

    Returns
    -------
    ndarray of shape (n_features - order, n_features)
        The difference matrix D (float64), ``numpy.diff(numpy.eye(n_features), order, axis=0)``.

    See Also
    --------
    Ridge : ``Ridge(penalty_root=D)``, and `penalty_matrix`, `coef_prior`.
    RidgeCV : Chooses α of such a penalty by exact leave-one-out, GCV or k-fold.

    Examples
    --------
    >>> from fastridge import difference_penalty
    >>> difference_penalty(4, order=2)
    array([[ 1., -2.,  1.,  0.],
           [ 0.,  1., -2.,  1.]])
    """
    import numbers

    for name, val, low in (("n_features", n_features, 1), ("order", order, 0)):
        if isinstance(val, (bool, np.bool_)) or not isinstance(val, numbers.Integral) \
                or val < low:
            raise ValueError(f"difference_penalty: {name} must be an integer >= {low}; got "
                             f"{val!r}.")
    if order >= n_features:
        raise ValueError(f"difference_penalty: order must be < n_features; got order={order}, "
                         f"n_features={n_features}.")
    return np.diff(np.eye(int(n_features)), int(order), axis=0)


def _real_matrix(value, name):
    try:
        arr = np.array(value, dtype=np.float64)  # a copy: the input is never modified
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a 2-D array of real numbers; got "
                        f"{type(value).__name__}.") from exc
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array; got an array of shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; it contains NaN or infinity.")
    return arr


def check_penalty(penalty_matrix, penalty_root, n_features):
    """Ω (p × p float64) from `penalty_matrix` or `penalty_root` (L, Ω = LᵀL), or None when
    neither is given; ValueError naming the argument when it is not a finite symmetric positive
    semidefinite p × p matrix (or L has not p columns), or when both are given."""
    if penalty_matrix is not None and penalty_root is not None:
        raise ValueError("penalty_matrix and penalty_root are mutually exclusive (penalty_root "
                         "L stands for penalty_matrix = L.T @ L); give one of them.")
    p = int(n_features)
    if penalty_root is not None:
        L = _real_matrix(penalty_root, "penalty_root")
        if L.shape[1] != p:
            raise ValueError(f"penalty_root must have n_features={p} columns (Omega = L.T @ L); "
                             f"got shape {L.shape}.")
        return L.T @ L
    if penalty_matrix is None:
        return None
    om = _real_matrix(penalty_matrix, "penalty_matrix")
    if om.shape != (p, p):
        raise ValueError(f"penalty_matrix must be square of shape (n_features, n_features) = "
                         f"({p}, {p}); got shape {om.shape}.")
    scale = float(np.abs(om).max()) if om.size else 0.0
    if np.abs(om - om.T).max(initial=0.0) > _PSD_RTOL * max(scale, np.finfo(float).tiny):
        raise ValueError("penalty_matrix must be symmetric; it differs from its transpose by "
                         f"{np.abs(om - om.T).max():.3g} (largest entry {scale:.3g}).")
    return 0.5 * (om + om.T)


class StandardForm:
    """The reparametrization β = Tγ + β₀ of `check_penalty`'s Ω (module docstring).

    Attributes: `T` (p × p), `v` (p,) the penalty factors of γ (1 on Ω's range, 0 on its null
    space), `null_dim` the dimension of the null space."""

    def __init__(self, omega):
        omega = np.asarray(omega, dtype=np.float64)
        p = omega.shape[0]
        w, U = np.linalg.eigh(omega)
        top = float(np.abs(w).max()) if w.size else 0.0
        cut = _PSD_RTOL * max(p, 1) * top
        if w.size and w[0] < -cut:
            raise ValueError(f"penalty_matrix must be positive semidefinite; its smallest "
                             f"eigenvalue is {w[0]:.3g} (largest {top:.3g}).")
        pos = w > cut
        order = np.concatenate([np.flatnonzero(pos)[::-1], np.flatnonzero(~pos)])
        w, U = w[order], U[:, order]
        r = int(pos.sum())
        scale = np.ones(p)
        scale[:r] = 1.0 / np.sqrt(w[:r])
        self.T = U * scale
        self.v = np.where(np.arange(p) < r, 1.0, 0.0)
        self.null_dim = p - r
        self._U, self._scale = U, scale

    def design(self, X, sample_weight=None, center=False):
        """X̃ = X T, dense float (X's float dtype; sparse X gives a dense array).

        With `center` (an intercept), a null-space direction whose column X U₀u is constant
        up to rounding (its weighted spread ≤ 8(n + p)·eps·|mean|: a difference penalty's
        constant on a basis summing to 1) is the intercept's own direction: the null-space
        basis is rotated so that it is one column, which is then made exactly constant —
        the fit gives it coefficient 0 (the intercept takes it), as the minimum-norm closed
        form does, instead of fitting the rounding noise of its centring unpenalized."""
        if center and self.null_dim:
            self._align_null_space(X, sample_weight)
        out = X @ self.T.astype(X.dtype if X.dtype == np.float32 else np.float64)
        out = np.array(out, dtype=out.dtype, order="F")
        for j in self._constant:
            out[:, j] = self._constant[j]
        return out

    _constant: dict = {}

    def _align_null_space(self, X, sample_weight):
        n, p = X.shape
        r = p - self.null_dim
        w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, np.float64)
        N = np.asarray(X @ self.T[:, r:], dtype=np.float64)
        W = float(w.sum())
        mean = (w @ N) / W
        Nc = (N - mean) * np.sqrt(w)[:, None]
        _, sv, Vt = np.linalg.svd(Nc, full_matrices=False)
        sv = np.concatenate([sv, np.zeros(self.null_dim - sv.size)])
        V = Vt.T if Vt.shape[0] == self.null_dim else np.linalg.qr(Vt.T, mode="complete")[0]
        means = mean @ V
        flat = sv <= 8.0 * (n + p) * np.finfo(np.float64).eps * np.sqrt(W) * np.abs(means)
        if not flat.any():
            return
        self.T = self.T.copy()
        self.T[:, r:] = self.T[:, r:] @ V
        self._constant = {r + j: float(means[j]) for j in np.flatnonzero(flat)}

    def coef(self, gamma):
        """β = Tγ for coefficients γ laid out as `coef_` ((p,) or (k, p))."""
        return np.asarray(gamma, dtype=np.float64) @ self.T.T

    def cov(self, cov):
        """T Σ Tᵀ for a covariance (p, p) or (k, p, p) of γ."""
        return self.T @ np.asarray(cov, dtype=np.float64) @ self.T.T


def check_prior(coef_prior, n_features, n_targets):
    """β₀ as a float64 (n_targets, p) array (a new one), or None; ValueError naming
    `coef_prior` for a wrong shape or a non-finite value."""
    if coef_prior is None:
        return None
    try:
        b = np.array(coef_prior, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"coef_prior must be an array of real numbers; got "
                        f"{type(coef_prior).__name__}.") from exc
    p, k = int(n_features), int(n_targets)
    if b.shape == (p,):
        b = np.broadcast_to(b, (k, p)).copy()
    elif b.shape != (k, p):
        raise ValueError(f"coef_prior must have shape (n_features,) = ({p},) or (n_targets, "
                         f"n_features) = ({k}, {p}); got shape {b.shape}.")
    if not np.isfinite(b).all():
        raise ValueError("coef_prior must be finite; it contains NaN or infinity.")
    return b
