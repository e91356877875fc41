"""
Coefficient profiles against the degrees of freedom (ESL Figure 3.8)
=====================================================================

*The Elements of Statistical Learning* (Hastie, Tibshirani & Friedman, 2nd ed.), Figure 3.8,
draws the ridge coefficients of the prostate cancer data against the effective degrees of
freedom df(α) = Σ d²ⱼ / (d²ⱼ + α) of the standardized design, and marks df = 5, the model of its
Table 3.3.  :func:`fastridge.ridge_path` computes the whole path from one eigendecomposition,
and :meth:`fastridge.RidgePath.plot` draws it.
"""

import matplotlib.pyplot as plt
import numpy as np

from fastridge import Ridge, ridge_path
from fastridge.datasets import load_prostate

data = load_prostate()
X, y = data.X[data.train], data.y[data.train]      # the book's 67 training rows

path = ridge_path(X, y, standardize=True, alpha_min_ratio=1e-6)
print(f"{path.alphas.size} alphas from {path.alphas[0]:.3g} to {path.alphas[-1]:.3g}, "
      f"df from {path.df[0]:.3f} to {path.df[-1]:.3f}, solver {path.solver!r}")

# %%
# The book's model at df = 5: ``Ridge(df=5)`` finds the α whose effective degrees of freedom
# are 5, and :meth:`~fastridge.RidgePath.coef_at` gives the exact coefficients there, off the
# grid, from the same decomposition.

at5 = Ridge(df=5.0, standardize=True).fit(X, y)
coef, intercept = path.coef_at(df=5.0)
print(f"alpha at df = 5: {at5.alpha_:.3f}")
for name, b in zip(data.feature_names, coef):
    print(f"  {name:8s} {b:7.3f}")
print("the same as Ridge(df=5):", np.allclose(coef, at5.coef_))

X_test, y_test = data.X[~data.train], data.y[~data.train]
print(f"test mean squared error at df = 5: {np.mean((at5.predict(X_test) - y_test) ** 2):.3f}")

# %%
# The figure: least squares (df = 8) on the right, the intercept-only model (df = 0) on the
# left; the dashed line is df = 5.

fig, ax = plt.subplots(figsize=(7.5, 5))
path.plot(ax=ax, xvar="df", mark_alpha=at5.alpha_, feature_names=data.feature_names)
ax.axhline(0.0, color="0.6", linewidth=0.8)
ax.set_title("Ridge coefficient profiles, prostate data (cf. ESL Figure 3.8)")
fig.tight_layout()
plt.show()
