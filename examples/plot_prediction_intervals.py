"""
Prediction intervals: jackknife+ and CV+
========================================

With ``store_cv_results=True``, :class:`fastridge.RidgeCV` keeps the models its
cross-validation fitted, and :meth:`fastridge.RidgeCV.predict_interval` turns them into the
distribution-free intervals of Barber, Candès, Ramdas and Tibshirani (2021): **jackknife+** from
the exact leave-one-out fits (no refits: rank-one downdates of the full fit), **CV+** from the
fold models of k-fold.  For exchangeable rows they cover a new y with probability about the
nominal level, whatever the noise distribution — here heavy-tailed (Student t, 3 degrees of
freedom).
"""

import matplotlib.pyplot as plt
import numpy as np

from fastridge import RidgeCV

rng = np.random.default_rng(0)
n, p = 200, 20
beta = rng.standard_normal(p)
X = rng.standard_normal((n + 300, p))
y = X @ beta + rng.standard_t(3, size=n + 300)
X_train, y_train, X_test, y_test = X[:n], y[:n], X[n:], y[n:]

perm = rng.permutation(n)
folds = [(np.setdiff1d(perm, test), np.sort(test)) for test in np.array_split(perm, 10)]
models = {
    "jackknife+ (leave-one-out)": RidgeCV(store_cv_results=True),
    "CV+ (10-fold)": RidgeCV(cv=folds, scoring="neg_mean_squared_error", store_cv_results=True),
}
bounds = {}
for name, model in models.items():
    model.fit(X_train, y_train)
    lower, upper = model.predict_interval(X_test, coverage=0.9)
    bounds[name] = lower, upper
    inside = np.mean((lower <= y_test) & (y_test <= upper))
    print(f"{name:27s} alpha_ = {model.alpha_:6.3f}   covered {inside:.1%} of 300 test rows, "
          f"mean width {np.mean(upper - lower):.2f}")

# %%
# The first 60 test rows, sorted by their prediction: the 90 % intervals, and the true values
# (red where they fall outside).

order = np.argsort(models["CV+ (10-fold)"].predict(X_test[:60]))
fig, axes = plt.subplots(1, 2, sharey=True, figsize=(9, 4.5))
for ax, (name, (lower, upper)) in zip(axes, bounds.items()):
    lo, up, truth = lower[:60][order], upper[:60][order], y_test[:60][order]
    x = np.arange(60)
    ax.fill_between(x, lo, up, step="mid", alpha=0.3, label="90 % interval")
    out = (truth < lo) | (truth > up)
    ax.plot(x[~out], truth[~out], "k.", label="true y, inside")
    ax.plot(x[out], truth[out], "r.", label="true y, outside")
    ax.set_title(name)
    ax.set_xlabel("test row (sorted by prediction)")
axes[0].set_ylabel("y")
axes[0].legend(loc="upper left")
fig.tight_layout()
plt.show()
