"""Regenerate the README's figures from the bundled prostate data.

    pip install ".[plot]"            # fastridge with matplotlib
    python docs/make_figures.py      # writes docs/images/prostate_path.png and prostate_cv.png

Both figures come from the package's own plotting methods (``RidgePath.plot`` and
``RidgeCV.plot``) on the 67 training rows of ESL's prostate data with ``standardize=True``.
The folds are a seeded random permutation: the data file is sorted by the response, so contiguous
folds would each hold one band of responses.  The output is deterministic up to the BLAS's last
digits.
"""
import os
import sys

import numpy as np
from matplotlib.figure import Figure  # a bare Figure renders with Agg; no pyplot, no display

from fastridge import RidgeCV, ridge_path
from fastridge.datasets import load_prostate

HERE = os.path.dirname(os.path.abspath(__file__))
N_FOLDS = 10
SEED = 0


def shuffled_folds(n, k, seed):
    """k (train, test) index pairs from a seeded permutation of the n rows."""
    perm = np.random.default_rng(seed).permutation(n)
    return [(np.setdiff1d(perm, test), np.sort(test)) for test in np.array_split(perm, k)]


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    data = load_prostate()
    X, y = data.X[data.train], data.y[data.train]

    path = ridge_path(X, y, standardize=True, alpha_min_ratio=1e-6)
    grid = path.alphas
    cv = RidgeCV(alphas=grid, cv=shuffled_folds(len(y), N_FOLDS, SEED), standardize=True,
                 scoring="neg_mean_squared_error")
    cv.fit(X, y)
    df_chosen = float(np.interp(np.log(cv.alpha_), np.log(grid[::-1]), path.df[::-1]))

    fig = Figure(figsize=(7.5, 5.0))
    ax = fig.subplots()
    path.plot(ax=ax, xvar="df", mark_alpha=cv.alpha_, feature_names=data.feature_names)
    ax.set_title("Ridge coefficient profiles, prostate training data (cf. ESL Figure 3.8)\n"
                 f"dashed: the {N_FOLDS}-fold CV choice, alpha = {cv.alpha_:.3g}, "
                 f"df = {df_chosen:.2f}", fontsize=10)
    written = [os.path.join(outdir, "prostate_path.png")]
    fig.savefig(written[-1], dpi=100, bbox_inches="tight", metadata={"Software": None})

    fig = Figure(figsize=(7.5, 5.0))
    ax = fig.subplots()
    cv.plot(ax=ax)
    ax.set_ylabel(f"{N_FOLDS}-fold CV mean squared error")  # the folds are a list, unnamed
    ax.set_title(f"{N_FOLDS}-fold cross-validation, prostate training data (67 rows)",
                 fontsize=10)
    written.append(os.path.join(outdir, "prostate_cv.png"))
    fig.savefig(written[-1], dpi=100, bbox_inches="tight", metadata={"Software": None})
    return written


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "images")
    for name in main(target):
        print(name)
