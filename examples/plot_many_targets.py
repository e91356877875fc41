"""
Many targets, one α per target
==============================

A 2-D ``y`` is fitted in one call: the decomposition of X is shared by every target, so 100
targets cost little more than one.  With ``alpha_per_target=True``, :class:`fastridge.RidgeCV`
chooses each target's α from the same exact leave-one-out computation.  Targets with more noise
need more shrinkage: here the noise level grows a hundredfold across the targets, and so does
the α they get.
"""

import matplotlib.pyplot as plt
import numpy as np

from fastridge import RidgeCV

rng = np.random.default_rng(0)
n, p, k = 300, 60, 100
X = rng.standard_normal((n + 1000, p))
B = rng.standard_normal((p, k)) * 0.2           # one coefficient vector per target
noise = np.geomspace(0.1, 10, k)                # the noise level of each target
Y = X @ B + rng.standard_normal((n + 1000, k)) * noise
X_train, Y_train, X_test, Y_test = X[:n], Y[:n], X[n:], Y[n:]

per_target = RidgeCV(alpha_per_target=True).fit(X_train, Y_train)
shared = RidgeCV().fit(X_train, Y_train)
print(f"alpha_ per target: {per_target.alpha_.shape}, from {per_target.alpha_.min():.3g} "
      f"to {per_target.alpha_.max():.3g}; one shared alpha_ = {shared.alpha_:.3g}")


def r2(model):
    """Held-out R² of each target."""
    resid = Y_test - model.predict(X_test)
    return 1 - (resid ** 2).mean(axis=0) / Y_test.var(axis=0)


gain = r2(per_target) - r2(shared)
print(f"held-out R^2, mean over targets: {r2(per_target).mean():.3f} (per target) against "
      f"{r2(shared).mean():.3f} (shared); better for {np.sum(gain > 0)} of {k} targets")

# %%
# Left: each target's α against its noise level (ridge's Bayesian reading: α = σ²/τ², so α grows
# as σ²).  Right: what the per-target α gains on held-out data.

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5))
left.loglog(noise, per_target.alpha_, "o", markersize=4, label="alpha_ per target")
left.axhline(shared.alpha_, color="C1", label="one shared alpha_")
ref = noise ** 2 / 0.2 ** 2
left.loglog(noise, ref, "k:", label=r"$\sigma^2/\tau^2$ (the Bayes-optimal α)")
left.set_xlabel("noise standard deviation of the target")
left.set_ylabel(r"$\alpha$")
left.legend()
right.semilogx(noise, gain, "o", markersize=4)
right.axhline(0.0, color="0.6")
right.set_xlabel("noise standard deviation of the target")
right.set_ylabel("held-out R², per-target α minus shared α")
fig.tight_layout()
plt.show()
