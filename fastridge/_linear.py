"""What the linear estimators share above the engine: prediction through the input's backend
(a lazy Dask array for Dask input, as the fit), on top of `fastridge._base.RegressorBase`."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fastridge._backends import get_backend
from fastridge._base import RegressorBase

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from fastridge._typing import MatrixLike


class LinearRegressorBase(RegressorBase):
    """A fitted linear model ``X @ coef_.T + intercept_``."""

    coef_: NDArray[np.floating]
    intercept_: float | np.floating | NDArray[np.floating]

    def predict(self, X: MatrixLike) -> NDArray[np.floating]:
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            Raw (unstandardized) data with the columns seen in `fit`; sparse X is not
            densified; a Dask array gives a lazy Dask array of predictions.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_targets)
            ``X @ coef_.T + intercept_``, float32 for a model fitted on float32 data.

        See Also
        --------
        score : R² of these predictions.

        Examples
        --------
        >>> import numpy as np
        >>> from fastridge import Ridge
        >>> X = np.array([[0.0], [1.0], [2.0]])
        >>> model = Ridge(alpha=1e-10).fit(X, [1.0, 3.0, 5.0])
        >>> print(np.round(model.predict([[3.0], [4.0]]), 6))
        [7. 9.]
        """
        self._check_is_fitted()
        return get_backend(X).predict(self, X, self.coef_, self.intercept_)


_GENERALIZED = ("penalty_matrix", "penalty_root", "coef_prior")


def generalized_requested(est):
    """Whether `est` has a penalty matrix (or root) or a prior mean: then its fit goes through
    `generalized_fit`."""
    return any(getattr(est, name, None) is not None for name in _GENERALIZED)


def check_in_memory(name, X, y, sample_weight):
    """The generalized fits need the rows in memory: a ValueError for Dask arrays (before any
    validation, which would compute them)."""
    if not get_backend(X, y, sample_weight).rows_in_memory:
        raise ValueError(f"{name}: penalty_matrix, penalty_root and coef_prior need the rows in "
                         f"memory (numpy or scipy.sparse); Dask arrays are not supported with "
                         f"them. Compute the array first (X.compute()).")


def generalized_data(name, X, y, sample_weight, penalty_matrix, penalty_root, coef_prior, *,
                     penalty_factor, standardize, unpenalized_ok, fit_intercept):
    """The standard form of the data (X, y validated arrays): ``(X̃, ỹ, form, prior, shift)``
    with X̃ = X T (X itself without a penalty matrix), ỹ = y − Xβ₀ (y without a prior), `form`
    the `fastridge._generalized.StandardForm` or None, `prior` (k, p) or None, `shift` = Xβ₀
    (n, k) or None.  The interaction rules of `generalized_fit` are checked here (for the
    estimators and `ridge_path`); `unpenalized_ok`: whether the caller takes penalty factors
    (zero ones for Ω's null space)."""
    from fastridge import _config, _generalized as G, _validation as V

    n, p = X.shape
    k = 1 if y.ndim == 1 else y.shape[1]
    omega = G.check_penalty(penalty_matrix, penalty_root, p)
    prior = G.check_prior(coef_prior, p, k)
    form = None
    if omega is not None:
        if penalty_factor is not None:
            raise ValueError(f"{name}: penalty_factor and penalty_matrix/penalty_root are "
                             f"mutually exclusive: the penalty matrix already weighs every "
                             f"direction (a diagonal penalty_matrix is penalty_factor).")
        if standardize:
            raise ValueError(f"{name}: standardize=True with penalty_matrix/penalty_root is "
                             f"refused: the penalty applies to the coefficients of X as given. "
                             f"Scale the columns first (StandardScaler) and build the penalty "
                             f"for the scaled coefficients.")
        form = G.StandardForm(omega)
        if form.null_dim and not unpenalized_ok:
            raise ValueError(f"{name}: this penalty matrix has a null space of dimension "
                             f"{form.null_dim} (directions left unpenalized, as a difference "
                             f"penalty's polynomials), which {name} does not support: it needs "
                             f"a positive definite penalty_matrix.")
        if V.is_sparse(X) and not _config.fits(n, p, itemsize=X.dtype.itemsize):
            raise ValueError(f"{name}: with penalty_matrix/penalty_root, sparse X becomes the "
                             f"dense {n} x {p} array X @ T, which exceeds the working memory "
                             f"(fastridge.config_context(working_memory=...)).")
    if form is not None:
        sw = V.check_sample_weight(sample_weight, n, np.float64)   # the fit checks it too
        Xt = form.design(X, sw, center=fit_intercept)
    else:
        Xt = X
    yt, shift = y, None
    if prior is not None:
        shift = np.asarray(X @ prior.T, dtype=np.float64)            # (n, k)
        yt = np.asarray(y, dtype=np.float64) - (shift[:, 0] if y.ndim == 1 else shift)
    return Xt, yt, form, prior, shift


def generalized_fit(est, X, y, sample_weight=None, **fit_kwargs):
    """Fit `est` with its `penalty_matrix`/`penalty_root` Ω and `coef_prior` β₀ through the
    standard form of `fastridge._generalized`: an estimator of the same class with the same
    other parameters is fitted on X̃ = X T (only when Ω is given) and y − Xβ₀, with penalty
    factors 1 on Ω's range and 0 on its null space, and its fitted attributes are taken over
    with the coefficients mapped back, β = Tγ + β₀ (the intercept, fitted values, α and the
    cross-validation/evidence values are the same in both parametrizations).

    Interactions (refused with a ValueError naming them): `penalty_factor` or
    ``standardize=True`` together with Ω (Ω already states the penalty of each direction, and
    it applies to the coefficients of X as given); Dask arrays.  Sparse X with Ω is multiplied
    into the dense n × p array X̃ when it fits in the working memory (a ValueError otherwise);
    with `coef_prior` alone X stays sparse.  Returns `est`."""
    from fastridge import _validation as V

    name = type(est).__name__
    params = est.get_params(deep=False)
    check_in_memory(name, X, y, sample_weight)
    X, y = V.validate_data(est, X, y, reset=True)   # X's feature names are est's
    names = est.__dict__.get("feature_names_in_")
    Xt, yt, form, prior, shift = generalized_data(
        name, X, y, sample_weight, params["penalty_matrix"], params["penalty_root"],
        params["coef_prior"], penalty_factor=params.get("penalty_factor"),
        standardize=params.get("standardize"), unpenalized_ok=True,
        fit_intercept=params.get("fit_intercept", True))
    n, p = X.shape
    inner_params = {**params, "penalty_matrix": None, "penalty_root": None, "coef_prior": None}
    if form is not None and "penalty_factor" in params:
        inner_params["penalty_factor"] = form.v if form.null_dim else None
    inner = type(est)(**inner_params)
    if form is not None and form.null_dim and "penalty_factor" not in params:
        inner._standard_form_v = form.v   # RidgeEM: flat prior on Ω's null space
    try:
        inner.fit(Xt, yt, sample_weight, **fit_kwargs)
    except ValueError as exc:
        if form is not None and form.null_dim and "zero penalty factor" in str(exc):
            raise ValueError(f"{name}: this penalty matrix has a null space of dimension "
                             f"{form.null_dim} (directions left unpenalized, as a difference "
                             f"penalty's polynomials); {exc}") from exc
        raise
    # the fitted state only: the constructor parameters stay the user's
    state = {key: val for key, val in inner.__dict__.items()
             if key not in params and key not in ("n_features_in_", "feature_names_in_",
                                                  "_standard_form_v")}
    est.__dict__.update(state)
    est.n_features_in_ = p
    if names is not None:
        est.feature_names_in_ = names
    else:
        est.__dict__.pop("feature_names_in_", None)
    coef = np.asarray(inner.coef_, dtype=np.float64)
    if form is not None:
        coef = form.coef(coef)
        est._generalized_T = form.T
    else:
        est.__dict__.pop("_generalized_T", None)
    if prior is not None:
        coef = coef + (prior[0] if coef.ndim == 1 else prior)
        # leave-one-out/out-of-fold predictions of y − Xβ₀: add Xβ₀ back (squared errors,
        # the default criterion's values, are the same in both)
        for key, preds in (("cv_results_", getattr(est, "scoring", None) is not None),
                           ("cv_predictions_", True)):
            values = est.__dict__.get(key)
            if preds and isinstance(values, np.ndarray):
                sh = shift[:, 0] if values.ndim == 2 else shift
                setattr(est, key, (values + sh[..., None]).astype(values.dtype))
    est.coef_ = coef.astype(np.asarray(inner.coef_).dtype)
    cov = est.__dict__.get("coef_cov_")
    if cov is not None and form is not None:
        est.coef_cov_ = form.cov(cov)
    for key in ("_fit_stats", "stats_"):   # statistics of X̃, not of X: no partial_fit after
        est.__dict__.pop(key, None)
    est._fit_generalized = True
    return est
