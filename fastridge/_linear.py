"""What the linear estimators share above the engine: prediction through the input's backend
(a lazy Dask array for Dask input, as the fit), on top of `fastridge._base.RegressorBase`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from fastridge._backends import get_backend
from fastridge._base import RegressorBase

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from fastridge._typing import MatrixLike


class LinearRegressorBase(RegressorBase):
    """A fitted linear model ``X @ coef_.T + intercept_``."""

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
