"""The bundled prostate data: shape, split, names, the corrected subject-32 value."""
import subprocess
import sys
from importlib import resources

import numpy as np
import pytest

from fastridge.datasets import load_prostate

FEATURES = ["lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45"]


def test_shapes_and_dtypes():
    data = load_prostate()
    assert data.X.shape == (97, 8) and data.X.dtype == np.float64
    assert data.y.shape == (97,) and data.y.dtype == np.float64
    assert data.train.shape == (97,) and data.train.dtype == np.bool_
    assert np.isfinite(data.X).all() and np.isfinite(data.y).all()


def test_train_test_split_is_esl():
    data = load_prostate()
    assert int(data.train.sum()) == 67
    assert int((~data.train).sum()) == 30
    # The flags of subjects 1-11 as in the file.
    assert data.train[:11].tolist() == [True] * 6 + [False, True, False, False, True]


def test_names():
    data = load_prostate()
    assert data.feature_names == FEATURES
    assert all(isinstance(n, str) for n in data.feature_names)
    assert data.target_name == "lpsa"


def test_values_of_the_file():
    data = load_prostate()
    # Subject 32 (row index 31) has the corrected lweight, log(44.9 g), not log(449 g) = 6.1.
    assert data.X[31, FEATURES.index("lweight")] == 3.804438
    assert np.exp(data.X[31, 1]) == pytest.approx(44.9, abs=0.01)
    # Subject 1 and subject 97, as printed in the file.
    np.testing.assert_array_equal(
        data.X[0], [-0.579818495, 2.769459, 50, -1.38629436, 0, -1.38629436, 6, 0])
    assert data.y[0] == -0.4307829
    assert data.y[96] == 5.5829322
    assert set(np.unique(data.X[:, FEATURES.index("svi")])) == {0.0, 1.0}


def test_each_call_returns_fresh_arrays():
    first = load_prostate()
    first.X[:] = 0.0
    first.train[:] = False
    second = load_prostate()
    assert second.X[0, 0] == -0.579818495
    assert int(second.train.sum()) == 67


def test_named_tuple_unpacks():
    X, y, names, train, target = load_prostate()
    assert X.shape == (97, 8) and len(names) == 8 and target == "lpsa"


def test_data_and_its_readme_are_installed():
    folder = resources.files("fastridge.datasets").joinpath("data")
    assert folder.joinpath("prostate.data").is_file()
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    assert "Stamey" in readme and "Elements of Statistical Learning" in readme


def test_loading_imports_neither_pandas_nor_scipy(tmp_path):
    code = ("import sys; from fastridge.datasets import load_prostate; load_prostate(); "
            "print(sorted(m for m in ('pandas', 'scipy', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"
