"""Multi-shift CG paths (issue 15): a 100-α path on sparse standardized data against one cold
CG fit at its smallest α and the warm-started path (forced by declining the multi-shift
route).  track_* records the products with ZᵀWZ (the path's should be about the cold fit's).
`benchmarks/multishift_path.py` runs the full-size comparison.  Data from a fixed seed."""
import warnings

import numpy as np


def _data(n, p, density):
    import scipy.sparse as sp

    rng = np.random.default_rng(5)
    X = sp.random(n, p, density=density, format="csr", random_state=rng,
                  data_rvs=rng.standard_normal)
    X = sp.csr_array(X @ sp.diags(np.logspace(-1, 1, p)))
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    return X, y


class MultiShiftPath:
    params = (["multishift", "warm", "cold-smallest"],)
    param_names = ["method"]
    timeout = 300

    def setup(self, method):
        import importlib.util

        if importlib.util.find_spec("scipy") is None:
            raise NotImplementedError("scipy is needed")
        from fastridge import ridge_path

        self.X, self.y = _data(20_000, 5_000, 2e-3)
        self.kw = dict(standardize=True, solver="cg", tol=1e-6, max_iter=100_000)
        with warnings.catch_warnings():  # the default grid (the fit itself discarded)
            warnings.simplefilter("ignore")
            self.grid = ridge_path(self.X, self.y, n_alphas=100, standardize=True,
                                   solver="cg", max_iter=1).alphas

    def _run(self, method):
        from fastridge import Ridge, _policy, ridge_path

        if method == "cold-smallest":
            return int(Ridge(alpha=self.grid[-1], **self.kw).fit(self.X, self.y).n_iter_)
        keep = _policy.multishift_cg
        if method == "warm":
            _policy.multishift_cg = lambda *a, **k: False
        try:
            return int(ridge_path(self.X, self.y, alphas=self.grid, **self.kw).n_iter.sum())
        finally:
            _policy.multishift_cg = keep

    def time_fit(self, method):
        self._run(method)

    def track_products(self, method):
        return self._run(method)
