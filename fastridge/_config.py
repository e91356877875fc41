"""Run-time configuration: the memory budgets and thread count every fit reads.

One place for them, read through :func:`get_config` by the solver policy
(`fastridge._policy`) and the blocked kernels' callers; changed for a block of code with
:func:`config_context`, as scikit-learn's ``config_context(working_memory=...)``.  The values
live in a context variable: a ``with config_context(...)`` block affects the thread (and the
context) it runs in, and `fastridge._parallel.run_tasks` runs each fold in a copy of the
caller's context, so the folds of a fit see the settings of the code that started it.
"""
from __future__ import annotations

import contextlib
import contextvars
import math
import numbers
import os
from collections.abc import Iterator

MIB = 1024**2

_DEFAULTS = {
    # the largest matrix "auto" forms besides X: a Gram XᵀWX, a kernel XXᵀ or a dense float64
    # copy of X (MiB); larger ones go to the iterative solvers, which need O(n + p) memory
    "working_memory": 2048.0,
    # the buffer of the blocked passes over X (the on-the-fly centred Gram, float32→float64
    # mat-vecs, statistics of row blocks), in MiB
    "block_memory": 4.0,
    # the leave-one-out errors of a block of α (n × k × α float64 values at a time), in MiB
    "loo_memory": 16.0,
    # threads of the kernels' own parallel loops (the sparse CG mat-vec); None: the
    # environment variable FASTRIDGE_NUM_THREADS, else the CPUs this process may use
    "num_threads": None,
}

_config: contextvars.ContextVar[dict] = contextvars.ContextVar("fastridge_config")


def get_config() -> dict:
    """The current settings of fastridge's memory budgets and threads.

    Returns
    -------
    dict
        A copy of the settings: ``working_memory``, ``block_memory`` and ``loo_memory`` (MiB)
        and ``num_threads`` (see :func:`config_context`).

    See Also
    --------
    config_context : Change settings for a block of code.

    Examples
    --------
    >>> from fastridge import get_config
    >>> get_config()["working_memory"]
    2048.0
    """
    return dict(_config.get(_DEFAULTS))


def _check(name, value):
    if name == "num_threads":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
                or value < 1:
            raise ValueError(f"num_threads must be None or a positive int, got {value!r}.")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number of MiB, got {value!r}.")
    return float(value)


def set_config(**settings: float | int | None) -> None:
    """Change settings for the rest of the current thread (or context).

    Parameters
    ----------
    **settings
        Any of the settings of :func:`config_context`.

    Returns
    -------
    None
        The settings are changed in place (there is nothing to return).

    Raises
    ------
    TypeError
        For an unknown setting.
    ValueError
        For a value out of range (a memory setting must be a positive number of MiB).

    See Also
    --------
    config_context : The same, restored at the end of a ``with`` block (preferred).

    Examples
    --------
    >>> from fastridge import config_context, get_config, set_config
    >>> with config_context():          # restores the settings afterwards
    ...     set_config(block_memory=8)
    ...     get_config()["block_memory"]
    8.0
    """
    unknown = sorted(set(settings) - set(_DEFAULTS))
    if unknown:
        raise TypeError(f"set_config got unknown setting(s) {unknown}; the settings are "
                        f"{sorted(_DEFAULTS)}.")
    new = get_config()
    new.update({k: _check(k, v) for k, v in settings.items()})
    _config.set(new)


@contextlib.contextmanager
def config_context(**settings: float | int | None) -> Iterator[None]:
    """Change fastridge's settings for the duration of a ``with`` block.

    Parameters
    ----------
    **settings
        ``working_memory`` (MiB, default 2048): the largest Gram, kernel or dense copy that
        ``solver="auto"`` forms; beyond it the iterative solvers are chosen.
        ``block_memory`` (MiB, default 4): the buffer of blocked passes over X.
        ``loo_memory`` (MiB, default 16): leave-one-out errors evaluated at a time.
        ``num_threads`` (int or None): threads of the kernels' parallel loops.
        The settings hold in the calling thread and in the threads fastridge starts (the folds
        of k-fold cross-validation); tasks on Dask's distributed workers see the defaults,
        which there only size the blocks of a chunk's kernels (every choice of solver or route
        is made on the client).

    Returns
    -------
    contextlib.AbstractContextManager
        A context manager: the settings hold inside its ``with`` block, in that thread and in
        the worker threads fastridge starts from it (k-fold cross-validation's folds).

    See Also
    --------
    get_config : The current settings.

    Examples
    --------
    >>> import numpy as np
    >>> from fastridge import Ridge, config_context
    >>> X, y = np.random.default_rng(0).standard_normal((1000, 50)), np.arange(1000.0)
    >>> with config_context(working_memory=0.01):   # no 50 x 50 Gram: CG instead
    ...     Ridge(alpha=1.0).fit(X, y).solver_
    'cg'
    >>> Ridge(alpha=1.0).fit(X, y).solver_
    'cholesky'
    """
    token = _config.set(_config.get(_DEFAULTS))
    try:
        set_config(**settings)
        yield
    finally:
        _config.reset(token)


def budget_bytes(name: str) -> float:
    """A memory setting in bytes."""
    return _config.get(_DEFAULTS)[name] * MIB


def num_threads() -> int:
    """Threads for the kernels' own parallel loops: the ``num_threads`` setting, else the
    environment variable FASTRIDGE_NUM_THREADS, else the CPUs this process may use."""
    set_ = _config.get(_DEFAULTS)["num_threads"]
    if set_ is not None:
        return set_
    env = os.environ.get("FASTRIDGE_NUM_THREADS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            raise ValueError(
                f"FASTRIDGE_NUM_THREADS must be a positive integer, got {env!r}") from None
    return cpu_count()


def cpu_count() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def fits(*shape: int, itemsize: int = 8) -> bool:
    """Whether an array of this shape (float64 unless `itemsize` says otherwise) is within the
    ``working_memory`` budget: the one test of "would this matrix fit"."""
    size = itemsize
    for s in shape:
        size *= int(s)
    return size <= budget_bytes("working_memory")


def block_rows(width: int, itemsize: int = 8, minimum: int = 1,
               budget: str = "block_memory") -> int:
    """Rows of `width` items per block of a blocked pass (within the `budget` setting)."""
    return max(minimum, int(budget_bytes(budget)) // max(1, width * itemsize))
