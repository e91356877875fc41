"""
Ridge on a Dask cluster
=======================

Row-chunked :mod:`dask.array` input goes to the same estimators: each chunk's sufficient
statistics are computed on the workers by the compiled kernel and merged in a tree, and the
solve and the whole α grid run on the client from p × p matrices.  ``RidgeCV(cv=k)`` costs one
pass over the data for every α and fold.

This example starts a small local cluster in this process (``processes=False``: one worker
with two threads); on a real cluster, connect the :class:`~distributed.Client` to its scheduler
instead.  The data are generated chunk by chunk on the workers, never all in one place.
"""

import dask.array as da
import matplotlib.pyplot as plt
import numpy as np
from dask.distributed import Client, LocalCluster

from fastridge import RidgeCV

cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                       dashboard_address=None)
client = Client(cluster)

n, p, chunk = 100_000, 40, 20_000
beta = np.random.default_rng(0).standard_normal(p)
X = da.random.default_rng(1).standard_normal((n, p), chunks=(chunk, p))
y = X @ beta + 5.0 * da.random.default_rng(2).standard_normal(n, chunks=chunk)
print(f"X: {X.shape}, {X.numblocks[0]} chunks of {chunk} rows")

# glmnet's default grid stops at 1e-4 of its largest α, far above the optimum of such tall
# data; in memory RidgeCV extends it, on Dask it warns instead: pass a grid.
alphas = np.geomspace(1e5, 1e-2, 50)
model = RidgeCV(alphas, cv=5).fit(X, y)
print(f"alpha_ = {model.alpha_:.4g}, 5-fold R^2 = {model.best_score_:.4f}")

# %%
# The same fit in memory agrees to rounding: the chunks' statistics are merged exactly, and the
# folds are ``KFold(5)``'s contiguous folds in both cases.

X_mem, y_mem = X.compute(), y.compute()
local = RidgeCV(alphas, cv=5).fit(X_mem, y_mem)
print(f"in memory: alpha_ = {local.alpha_:.4g}; largest coefficient difference "
      f"{np.max(np.abs(local.coef_ - model.coef_)):.1e}")

pred = model.predict(X[:5])                     # lazy: a Dask array
print(type(pred).__name__, np.round(pred.compute(), 3))

client.close()
cluster.close()

# %%
# The cross-validation curve of the Dask fit.

fig, ax = plt.subplots(figsize=(7.5, 5))
model.plot(ax=ax)
ax.set_title(f"5-fold CV on a Dask array of {n:,} × {p}")
fig.tight_layout()
plt.show()
