"""
The cross-validation curve and the one-standard-error rule
==========================================================

R's ``cv.glmnet`` draws the mean cross-validated error with one standard error above and below
it, and marks two choices of α: ``lambda.min``, where the error is smallest, and
``lambda.1se``, the largest α whose error is within one standard error of that minimum — a more
shrunk model that the data cannot tell from the best one.  :class:`fastridge.RidgeCV` makes
either choice (``rule="min"`` or ``rule="1se"``) and :meth:`fastridge.RidgeCV.plot` draws the
same figure.
"""

import matplotlib.pyplot as plt
import numpy as np

from fastridge import RidgeCV
from fastridge.datasets import load_prostate

data = load_prostate()
X, y = data.X[data.train], data.y[data.train]
X_test, y_test = data.X[~data.train], data.y[~data.train]

# %%
# The data file is sorted by the response, so contiguous folds would each hold one band of
# responses: cut ten folds from a seeded permutation instead, as ``(train, test)`` index pairs.

rng = np.random.default_rng(0)
folds = [(np.setdiff1d(np.arange(len(y)), test), np.sort(test))
         for test in np.array_split(rng.permutation(len(y)), 10)]

fits = {rule: RidgeCV(cv=folds, rule=rule, standardize=True,
                      scoring="neg_mean_squared_error").fit(X, y)
        for rule in ("min", "1se")}
for rule, model in fits.items():
    mse = np.mean((model.predict(X_test) - y_test) ** 2)
    print(f"rule={rule!r:6}: alpha_ = {model.alpha_:8.3f}, test MSE = {mse:.3f}")

res = fits["1se"].cv_results_
i = np.argmin(res["mean_error"])
print(f"minimum CV error {res['mean_error'][i]:.3f} (SE {res['se_error'][i]:.3f}) "
      f"at alpha = {res['alphas'][i]:.3f}")

# %%
# The curve: error bars of ± one standard error over the ten folds, the minimum (dotted) and the
# 1-SE choice (dash-dotted), the chosen α circled.

fig, ax = plt.subplots(figsize=(7.5, 5))
fits["1se"].plot(ax=ax)
ax.set_title("10-fold CV error on the prostate data, rule='1se'")
fig.tight_layout()
plt.show()
