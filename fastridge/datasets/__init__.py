"""Small data sets shipped with fastridge.

``load_prostate()`` returns the prostate cancer data of Stamey et al. (1989) with the train/test
split used in Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning* (2nd ed.,
2009), §3.2 and Table 3.3. The file and its origin are described in
``fastridge/datasets/data/README.md``.

Only numpy and the standard library are used here, so loading a data set stays cheap.
"""
from __future__ import annotations

import csv
import io
from importlib import resources
from typing import NamedTuple

import numpy as np

__all__ = ["Dataset", "load_prostate"]

_PROSTATE_FILE = "prostate.data"
_PROSTATE_FEATURES = ("lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45")
_PROSTATE_TARGET = "lpsa"
_PROSTATE_SPLIT = "train"
_PROSTATE_SHAPE = (97, 8)
_PROSTATE_N_TRAIN = 67


class Dataset(NamedTuple):
    """A regression data set: design matrix, response, names and a train/test flag.

    A named tuple: each field is an attribute and a tuple position, in this order.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64
        The predictors.
    y : ndarray of shape (n_samples,), float64
        The response.
    feature_names : list of str
        The column names of ``X``.
    train : ndarray of shape (n_samples,), bool
        True marks a training row.
    target_name : str
        The name of ``y``.

    See Also
    --------
    load_prostate : Returns one.

    Examples
    --------
    >>> from fastridge.datasets import load_prostate
    >>> X, y, feature_names, train, target_name = load_prostate()
    >>> X.shape, y.shape, len(feature_names), target_name
    ((97, 8), (97,), 8, 'lpsa')
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: list
    train: np.ndarray
    target_name: str


def _read_text(name: str) -> str:
    return resources.files(__name__).joinpath("data").joinpath(name).read_text(encoding="utf-8")


def load_prostate() -> Dataset:
    """Load the prostate cancer data (97 men, 8 clinical predictors, response ``lpsa``).

    The predictors are ``lcavol`` (log cancer volume), ``lweight`` (log prostate weight), ``age``,
    ``lbph`` (log benign prostatic hyperplasia amount), ``svi`` (seminal vesicle invasion, 0/1),
    ``lcp`` (log capsular penetration), ``gleason`` (Gleason score) and ``pgg45`` (percentage of
    Gleason scores 4 or 5); the response ``lpsa`` is the log of the prostate-specific antigen
    level.

    ``train`` is the split of *The Elements of Statistical Learning*, Table 3.3: 67 training rows
    and 30 test rows. Subject 32 carries the corrected ``lweight`` value 3.804438. Every call
    returns new, writeable arrays.

    Returns
    -------
    Dataset
        A named tuple ``(X, y, feature_names, train, target_name)``; ``X`` is a (97, 8) float64
        array, ``y`` a (97,) float64 array, ``train`` a (97,) bool array with 67 True entries.

    See Also
    --------
    fastridge.ridge_path : The coefficient profiles of ESL Figure 3.8 come from this data.

    Notes
    -----
    The book standardizes the predictors over all 97 rows (sample standard deviation) and then
    fits on the 67 training rows, while ``standardize=True`` standardizes on the rows given to
    ``fit`` (population standard deviation); the penalties therefore differ in scale.  The
    command ``fastridge`` (``python -m fastridge``) reproduces Table 3.3 the book's way.

    Examples
    --------
    >>> from fastridge.datasets import load_prostate
    >>> data = load_prostate()
    >>> data.X.shape, int(data.train.sum())
    ((97, 8), 67)
    >>> data.feature_names[:3], data.target_name
    (['lcavol', 'lweight', 'age'], 'lpsa')

    A cross-validated ridge fit on the training rows, scored on the test rows:

    >>> from fastridge import RidgeCV
    >>> X_train, y_train = data.X[data.train], data.y[data.train]
    >>> model = RidgeCV(standardize=True).fit(X_train, y_train)
    >>> print(round(model.score(data.X[~data.train], data.y[~data.train]), 2))
    0.53
    """
    text = _read_text(_PROSTATE_FILE)
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    header = [field.strip() for field in rows[0]]
    # The first column holds the row (subject) number and has an empty header.
    expected = ["", *_PROSTATE_FEATURES, _PROSTATE_TARGET, _PROSTATE_SPLIT]
    if header != expected:
        raise RuntimeError(f"unexpected header in {_PROSTATE_FILE}: {header!r}")
    body = [row for row in rows[1:] if row]
    table = np.array([[float(field) for field in row[1:]] for row in body], dtype=np.float64)
    p = len(_PROSTATE_FEATURES)
    X = np.ascontiguousarray(table[:, :p])
    y = table[:, p].copy()
    train = table[:, p + 1] == 1.0
    if X.shape != _PROSTATE_SHAPE or int(train.sum()) != _PROSTATE_N_TRAIN:
        raise RuntimeError(f"{_PROSTATE_FILE} does not have the expected shape or split")
    return Dataset(X=X, y=y, feature_names=list(_PROSTATE_FEATURES), train=train,
                   target_name=_PROSTATE_TARGET)
