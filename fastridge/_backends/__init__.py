"""Data backends: where the rows live and how a pass over them is made.

A backend validates its data (:meth:`validate` → a :class:`Data`), builds the `Problem` the
engine solves — from the rows themselves, from their sufficient statistics, or as an operator
(:meth:`problem`, :meth:`path_problem`) — gives the statistics of all the rows or per fold
(:meth:`statistics`, :meth:`fold_statistics`), maps a function over row blocks and combines the
results (:meth:`map_blocks`), and predicts.  The estimators and the engine never import a
backend: :func:`get_backend` picks one by the input's type, importing Dask only for Dask input.

Backends:

* ``memory`` (`fastridge._backends.memory`): numpy arrays and scipy.sparse matrices;
* ``dask`` (`fastridge._backends.dask`): row-chunked Dask arrays (the ``dask`` extra).
"""


def get_backend(*arrays):
    """The backend for these inputs (X, y, sample_weight ...; None entries ignored): Dask when
    any is a Dask collection, else in-memory."""
    from fastridge._backends.dask import DaskBackend, is_dask  # Dask itself is not imported

    if any(is_dask(a) for a in arrays if a is not None):
        return DaskBackend()
    from fastridge._backends.memory import MemoryBackend

    return MemoryBackend()


def minus_offset(backend, data, offset, what):
    """`data` with its targets less glmnet's `offset` (validated against them), for `what`
    ("fit", "path", ...); None leaves `data` as it is.  In-memory rows only."""
    if offset is None:
        return data
    from fastridge import _validation as V

    if not backend.rows_in_memory:
        raise ValueError(f"offset is supported for in-memory data (numpy arrays, scipy.sparse "
                         f"matrices); subtract it from y for a Dask {what}.")
    return data.minus_offset(V.check_offset(offset, data.n, data.k, data.single))
