"""Type aliases for annotations.

Imported only under ``typing.TYPE_CHECKING`` (every module using it has
``from __future__ import annotations``), so neither ``numpy.typing`` nor SciPy is loaded at run
time because of annotations.
"""
from __future__ import annotations

from typing import Literal

from numpy.typing import ArrayLike
from scipy.sparse import sparray, spmatrix

#: What ``X`` may be: anything ``numpy.asarray`` takes (lists, arrays, pandas DataFrames) or a
#: SciPy sparse matrix or array of any format.
MatrixLike = ArrayLike | spmatrix | sparray

#: A solver name: fastridge's, or one of scikit-learn's accepted as an alias
#: (``_validation.SOLVER_ALIASES``).
SolverName = Literal["auto", "cd", "cg", "cholesky", "svd",
                     "sparse_cg", "lsqr", "sag", "saga", "lbfgs"]

__all__ = ["MatrixLike", "SolverName"]
