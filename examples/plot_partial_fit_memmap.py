"""
A larger-than-memory fit: ``partial_fit`` from a memory-mapped file
===================================================================

Everything a tall ridge fit needs is a few sums over the rows (the total weight, the column
means and the centred cross products), and fastridge merges them block by block exactly.  So
rows on disk can be streamed through :meth:`fastridge.Ridge.partial_fit` one block at a time,
in O(p²) memory, and the result equals the fit on all the rows at once; ``set_params`` then
re-solves at another α from the kept statistics without reading the data again.

The file here is small enough to check against the in-memory fit; the same loop runs on a file
of any size.
"""

import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np

from fastridge import Ridge

n, p, block = 200_000, 50, 20_000
rng = np.random.default_rng(0)
beta = rng.standard_normal(p)

tmp = tempfile.TemporaryDirectory()
X_file = np.lib.format.open_memmap(os.path.join(tmp.name, "X.npy"), mode="w+",
                                   dtype=np.float64, shape=(n, p))
y = np.empty(n)
for start in range(0, n, block):                  # write the file a block at a time
    rows = slice(start, start + block)
    X_file[rows] = rng.standard_normal((block, p)) + 5.0   # large column means: no digits lost
    y[rows] = X_file[rows] @ beta + 3.0 * rng.standard_normal(block)
X_file.flush()
del X_file

# %%
# Stream the file: open it read-only as a memmap and hand ``partial_fit`` one block at a time.
# The model is solved after every block; we record how far its coefficients are from the truth.

X = np.load(os.path.join(tmp.name, "X.npy"), mmap_mode="r")
model = Ridge(alpha=1.0)
seen, distance = [], []
for start in range(0, n, block):
    rows = slice(start, start + block)
    model.partial_fit(X[rows], y[rows])
    seen.append(start + block)
    distance.append(np.linalg.norm(model.coef_ - beta))

in_memory = Ridge(alpha=1.0).fit(np.asarray(X), y)
print("streamed vs in-memory fit, largest coefficient difference: "
      f"{np.max(np.abs(model.coef_ - in_memory.coef_)):.1e}")

model.set_params(alpha=1000.0)                    # re-solved from the statistics, no data read
again = Ridge(alpha=1000.0).fit(np.asarray(X), y)
print(f"at alpha = 1000: {np.max(np.abs(model.coef_ - again.coef_)):.1e}")
del X
tmp.cleanup()

# %%
# The estimate sharpens as rows arrive, at the rate 1/√n of least squares.

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.loglog(seen, distance, "o-", label="after each block")
ax.loglog(seen, distance[0] * np.sqrt(seen[0] / np.asarray(seen)), "k:",
          label=r"$\propto 1/\sqrt{n}$")
ax.set_xlabel("rows streamed")
ax.set_ylabel(r"$\|\hat\beta - \beta\|$")
ax.set_title(f"partial_fit over a {n:,} × {p} memmap, blocks of {block:,} rows")
ax.legend()
fig.tight_layout()
plt.show()
