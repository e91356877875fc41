"""Import stays cheap: no scikit-learn, matplotlib, pandas or SciPy at import (nor numpy.typing:
the type annotations are never evaluated at run time); the kernels load on first fit; predict needs
only numpy.  Each check runs in a fresh interpreter from a temp dir."""
import os
import pickle
import subprocess
import sys
import tempfile

import numpy as np


def _run(code):
    with tempfile.TemporaryDirectory() as d:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        if "PYTHONPATH" in os.environ:  # keep a source-tree run working, never add the cwd
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        res = subprocess.run([sys.executable, "-c", code], cwd=d, env=env, capture_output=True,
                             text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_import_loads_no_heavy_modules():
    out = _run(
        "import sys, fastridge\n"
        "from fastridge import Ridge\n"
        "import fastridge.exceptions\n"
        "heavy = ['sklearn', 'scipy', 'matplotlib', 'pandas', 'fastridge._cd_fast',\n"
        "         'fastridge._cg_fast', 'fastridge._gram_fast', 'fastridge._interrupt',\n"
        "         'fastridge._view',\n"
        "         'numpy.typing', 'fastridge._typing']  # annotations are never evaluated\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n")
    assert out.strip() == "[]"


def test_kernels_load_on_first_fit_and_sklearn_never():
    out = _run(
        "import sys, numpy as np\n"
        "from fastridge import Ridge\n"
        "Ridge(solver='cd').fit(np.random.rand(20, 3), np.random.rand(20))\n"
        "print('fastridge._cd_fast' in sys.modules, 'sklearn' in sys.modules,\n"
        "      'matplotlib' in sys.modules)\n")
    assert out.split() == ["True", "False", "False"]


def test_predict_needs_only_numpy():
    from fastridge import Ridge

    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 4))
    est = Ridge(alpha=0.5).fit(X, X @ np.arange(4.0) + 1.0)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "est.pkl")
        with open(path, "wb") as fh:
            pickle.dump(est, fh)
        code = (
            "import sys, pickle, numpy as np\n"
            "sys.modules['scipy'] = None  # any SciPy import now fails\n"
            f"est = pickle.load(open({path!r}, 'rb'))\n"
            "X = np.arange(8.0).reshape(2, 4)\n"
            "print(repr(est.predict(X).tolist()))\n")
        out = _run(code)
    expected = (np.arange(8.0).reshape(2, 4) @ est.coef_ + est.intercept_).tolist()
    np.testing.assert_allclose(eval(out), expected, rtol=1e-12)


def test_install_hints_name_the_installed_distribution():
    """Every "pip install ...[extra]" hint must name the distribution that really provides the
    `fastridge` module (PyPI's `fastridge` is another project), with extras it declares."""
    import importlib.metadata as md

    import pytest

    from fastridge._version import DISTRIBUTION, install_hint

    providers = md.packages_distributions().get("fastridge", [])
    if not providers:
        pytest.skip("fastridge runs from a source tree, not from an installed distribution")
    assert providers == [DISTRIBUTION]
    meta = md.metadata(DISTRIBUTION)
    extras = set(meta.get_all("Provides-Extra") or [])
    for extra in ("plot", "dask", "sklearn", "pandas", "test"):
        assert extra in extras
        assert install_hint(extra) == f'pip install "{DISTRIBUTION}[{extra}]"'
