"""Write the input data sets of glmnet_grids.R (run once; the CSVs are committed).

synth: 60 x 6, columns on different scales and with large means, y in large units.
wide: 25 x 40 (n < p: glmnet's lambda.min.ratio 0.01).
diabetes: scikit-learn's diabetes data in raw units (load_diabetes(scaled=False)).
longley: R's datasets::longley, copied from ../longley_genridge (y = Employed).
Each file has the predictors, then the column `y`, then a column `w` of sample weights.
"""
import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def write(name, X, y, w):
    with open(HERE / f"{name}.csv", "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([f"x{j + 1}" for j in range(X.shape[1])] + ["y", "w"])
        for row, yi, wi in zip(X, y, w):
            out.writerow([repr(float(v)) for v in row] + [repr(float(yi)), repr(float(wi))])


def weights(rng, n):
    return np.round(rng.uniform(0.2, 3.0, n), 3)


def main():
    rng = np.random.default_rng(20261202)
    n, p = 60, 6
    X = rng.standard_normal((n, p)) * np.array([1.0, 10.0, 0.01, 3.0, 200.0, 0.5])
    X += np.array([0.0, 100.0, 5.0, -20.0, 1e4, 2.0])
    X = np.round(X, 6)
    y = 1e3 * (X[:, 0] - 0.05 * X[:, 1] + 30.0 * X[:, 2] + 0.2 * X[:, 3]) \
        + 2e3 * rng.standard_normal(n) + 5e4
    write("synth", X, np.round(y, 4), weights(rng, n))

    n, p = 25, 40
    X = np.round(rng.standard_normal((n, p)) + rng.uniform(-1, 1, p), 6)
    y = np.round(X[:, :5].sum(axis=1) + rng.standard_normal(n), 6)
    write("wide", X, y, weights(rng, n))

    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True, scaled=False)
    write("diabetes", X, y, weights(rng, X.shape[0]))

    rows = list(csv.DictReader(open(HERE.parent / "longley_genridge" / "longley_R_datasets.csv")))
    names = ["GNP.deflator", "GNP", "Unemployed", "Armed.Forces", "Population", "Year"]
    X = np.array([[float(r[c]) for c in names] for r in rows])
    y = np.array([float(r["Employed"]) for r in rows])
    write("longley", X, y, weights(rng, X.shape[0]))


if __name__ == "__main__":
    main()
