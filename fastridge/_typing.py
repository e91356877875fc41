"""Type aliases for annotations.

Imported only under ``typing.TYPE_CHECKING`` (every module using it has
``from __future__ import annotations``), so neither ``numpy.typing`` nor SciPy is loaded at run
time because of annotations.
"""
from __future__ import annotations

from typing import Union

from numpy.typing import ArrayLike
from scipy.sparse import sparray, spmatrix

#: What ``X`` may be: anything ``numpy.asarray`` takes (lists, arrays, pandas DataFrames) or a
#: SciPy sparse matrix or array of any format.
MatrixLike = Union[ArrayLike, spmatrix, sparray]

__all__ = ["MatrixLike"]
