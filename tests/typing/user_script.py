"""A user's script, type-checked by mypy (``mypy`` from the repository root checks it; see
pyproject's ``[tool.mypy]``): what a typed caller writes must be accepted as written, with the
fitted attributes carrying their declared types rather than ``Any``.

The misuse that mypy must reject (``rule="max"`` and the like) is in ``tests/test_typing.py``.
It also runs: ``python tests/typing/user_script.py``.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from fastridge import Ridge, RidgeCV


def choose(X: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, NDArray[np.floating]]:
    """Fit RidgeCV and return the chosen α (one target, so a float) and the coefficients."""
    model = RidgeCV(alphas=np.logspace(-3, 3, 13), cv=5, rule="1se",
                    store_cv_results=True).fit(X, y)
    alpha = model.alpha_                     # float, or one α per target
    if not isinstance(alpha, float):         # narrowed from float | NDArray[float64]
        alpha = float(np.ravel(alpha)[0])
    coef: NDArray[np.floating] = model.coef_
    results = model.cv_results_              # dict of arrays, or the stored LOO values
    if isinstance(results, dict):
        mean: NDArray[np.float64] = results["mean_error"]
        assert mean.shape[0] == 13
    score: float | NDArray[np.float64] = model.best_score_
    assert np.all(np.isfinite(score))
    return alpha, coef


def main() -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 4))
    y = X @ np.array([1.0, -2.0, 0.0, 0.5]) + rng.standard_normal(60)
    alpha, coef = choose(X, y)
    refit = Ridge(alpha=alpha, solver="cholesky").fit(X, y)
    pred: NDArray[np.floating] = refit.predict(X[:3])
    n_in: int = refit.n_features_in_
    print(f"alpha_ = {alpha:.3g}, coef_ = {np.round(coef, 2)}, "
          f"{pred.shape[0]} predictions, {n_in} features")


if __name__ == "__main__":
    main()
