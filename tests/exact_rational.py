"""An exact oracle for ridge regression: the weighted, centred normal equations solved in rational
arithmetic (`fractions.Fraction`) from the float64 data, independently of fastridge and of numpy's
rounding.  For small n and p only (every product is exact, so the cost grows with the digits).

The problem is the API contract's: minimize Σ wᵢ (yᵢ − β₀ − xᵢᵀβ)² + α Σⱼ vⱼ sⱼ² βⱼ² with sⱼ = 1,
or the column's weighted population SD with `standardize` (sⱼ² is rational, so the penalty is too);
β₀ free with `fit_intercept`, else 0.  A column whose values (over rows of positive weight) are
all equal to its mean — all zeros without an intercept — gets βⱼ = 0.
"""
from fractions import Fraction

import numpy as np


class ExactRidge:
    """The exact solution (`coef`, `intercept`, Fractions) and the exact objective of any float
    answer, with the rounding floor of a float64 answer."""

    def __init__(self, X, y, alpha, *, sample_weight=None, fit_intercept=True,
                 standardize=False, penalty_factor=None):
        X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float64)
        n, p = X.shape
        F = Fraction
        self.X = X
        self.Xf = [[F(float(v)) for v in row] for row in X]
        self.yf = [F(float(v)) for v in np.asarray(y, dtype=np.float64)]
        self.wf = [F(1)] * n if sample_weight is None else [F(float(v)) for v in sample_weight]
        vf = [F(1)] * p if penalty_factor is None else [F(float(v)) for v in penalty_factor]
        W = sum(self.wf)
        pos = [i for i in range(n) if self.wf[i] > 0]
        if fit_intercept:
            xm = [sum(self.wf[i] * self.Xf[i][j] for i in pos) / W for j in range(p)]
            self.ym = sum(self.wf[i] * self.yf[i] for i in pos) / W
        else:
            xm, self.ym = [F(0)] * p, F(0)
        Z = [[self.Xf[i][j] - xm[j] for j in range(p)] for i in range(n)]
        var = [sum(self.wf[i] * (Z[i][j] - (0 if fit_intercept else
                                             sum(self.wf[r] * Z[r][j] for r in pos) / W)) ** 2
                   for i in pos) / W for j in range(p)]
        self.pen = [F(float(alpha)) * vf[j] * (var[j] if standardize else 1) for j in range(p)]
        active = [j for j in range(p) if any(Z[i][j] != 0 for i in pos)]
        A = [[sum(self.wf[i] * Z[i][a] * Z[i][b] for i in pos) + (self.pen[a] if a == b else 0)
              for b in active] + [sum(self.wf[i] * Z[i][a] * (self.yf[i] - self.ym) for i in pos)]
             for a in active]
        m = len(active)
        for c in range(m):  # Gauss-Jordan elimination, exact
            piv = next(r for r in range(c, m) if A[r][c] != 0)
            A[c], A[piv] = A[piv], A[c]
            for r in range(m):
                if r != c and A[r][c] != 0:
                    f = A[r][c] / A[c][c]
                    A[r] = [a - f * b for a, b in zip(A[r], A[c])]
        self.coef = [F(0)] * p
        for i, j in enumerate(active):
            self.coef[j] = A[i][m] / A[i][i]
        self.intercept = self.ym - sum(xm[j] * self.coef[j] for j in range(p))
        self.f0 = sum(w * (yi - self.ym) ** 2 for w, yi in zip(self.wf, self.yf))

    def objective(self, coef, intercept):
        """The exact objective at (coef, intercept) (floats or Fractions)."""
        c = [v if isinstance(v, Fraction) else Fraction(float(v)) for v in np.ravel(coef)]
        b0 = intercept if isinstance(intercept, Fraction) else Fraction(float(intercept))
        rss = sum(w * (yi - b0 - sum(x * cj for x, cj in zip(row, c))) ** 2
                  for w, yi, row in zip(self.wf, self.yf, self.Xf))
        return rss + sum(pj * cj * cj for pj, cj in zip(self.pen, c))

    def error(self, coef, intercept):
        """√((f(answer) − f*) / f₀), f₀ = Σ w (y − ȳ)²: the answer's distance from the optimum
        in the norm of the objective's Hessian, relative to the spread of y."""
        excess = self.objective(coef, intercept) - self.objective(self.coef, self.intercept)
        return float(excess / self.f0) ** 0.5 if self.f0 else float(excess) ** 0.5

    def floor(self):
        """What rounding the exact answer to float64 may cost in the same measure: the fitted
        values move by up to eps·(|β₀| + Σⱼ |βⱼ xᵢⱼ|)."""
        eps = np.finfo(np.float64).eps
        c = np.abs(np.array([float(v) for v in self.coef]))
        d = eps * (abs(float(self.intercept)) + np.abs(self.X) @ c)
        w = np.array([float(v) for v in self.wf])
        f0 = float(self.f0)
        return float(np.sqrt(np.sum(w * d * d) / f0)) if f0 else 0.0

    def coef_float(self):
        return np.array([float(v) for v in self.coef])
