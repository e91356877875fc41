"""
Leave-one-out, k-fold and the marginal likelihood
=================================================

Three ways to choose α for the same data, each costing about one fit:

* ``RidgeCV()`` — the exact leave-one-out error at every α, from one eigendecomposition (not
  the GCV approximation), refined between grid points;
* ``RidgeCV(cv=10)`` — ten-fold cross-validation, every α from each fold's decomposition;
* ``RidgeEM()`` — no held-out data: α maximizes the marginal likelihood of the Bayesian ridge
  model (β ~ N(0, σ²/α I)), found by expectation–maximization.

On simulated data we also know the error on new data, so we can see where each choice lands.
"""

import matplotlib.pyplot as plt
import numpy as np

from fastridge import RidgeCV, RidgeEM, ridge_path

rng = np.random.default_rng(1)
n, p = 80, 40
X = rng.standard_normal((n, p))
beta = rng.standard_normal(p) * 0.3
y = X @ beta + rng.standard_normal(n)
X_new = rng.standard_normal((5000, p))
y_new = X_new @ beta + rng.standard_normal(5000)

grid = np.geomspace(1e4, 1e-2, 60)
perm = rng.permutation(n)
folds = [(np.setdiff1d(perm, test), np.sort(test)) for test in np.array_split(perm, 10)]

loo = RidgeCV(alphas=grid).fit(X, y)
kfold = RidgeCV(alphas=grid, cv=folds, scoring="neg_mean_squared_error").fit(X, y)
em = RidgeEM().fit(X, y)

path = ridge_path(X, y, alphas=grid)
new_error = ((path.predict(X_new) - y_new[:, None]) ** 2).mean(axis=0)
best = path.alphas[np.argmin(new_error)]

for name, model in (("leave-one-out", loo), ("10-fold", kfold), ("marginal likelihood", em)):
    err = np.mean((model.predict(X_new) - y_new) ** 2)
    print(f"{name:20s} alpha_ = {model.alpha_:7.2f}   error on new data {err:.3f}")
print(f"{'best on new data':20s} alpha  = {best:7.2f}   error on new data {new_error.min():.3f}")

# %%
# Top: the two cross-validation curves and the error on new data.  Bottom: the negative log
# marginal likelihood, which :meth:`fastridge.RidgeEM.log_marginal_likelihood` evaluates at any α.

fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(7.5, 7))
top.plot(loo.cv_results_["alphas"], loo.cv_results_["mean_error"], label="leave-one-out")
top.plot(kfold.cv_results_["alphas"], kfold.cv_results_["mean_error"], label="10-fold")
top.plot(path.alphas, new_error, "k--", label="error on new data")
top.set_ylabel("mean squared error")
bottom.plot(grid, -em.log_marginal_likelihood(grid), color="C2")
bottom.set_ylabel("− log marginal likelihood")
bottom.set_xlabel(r"$\alpha$")
for ax in (top, bottom):
    ax.set_xscale("log")
    for model, color in ((loo, "C0"), (kfold, "C1"), (em, "C2")):
        ax.axvline(model.alpha_, color=color, linestyle=":")
top.legend()
top.set_title("The α chosen by each criterion (dotted lines)")
fig.tight_layout()
plt.show()
