"""The first fit's imports, made by one thread at a time.

``import fastridge`` loads neither SciPy nor the compiled kernels; the first fit does.  Python's
per-module import locks do not make two threads' first imports of a package with internal
cycles safe: one thread inside ``scipy.linalg``'s ``__init__`` and another importing a kernel
(which cimports ``scipy.linalg.cython_blas``) each hold a module lock the other waits for, and
importlib raises ``_DeadlockError`` in one of them.  So every public entry point that fits calls
:func:`load_engine` first: it imports SciPy's linear algebra, then the kernels, then the modules
that use them, in that order, under one lock; afterwards the imports inside the fits only look
up ``sys.modules``.
"""
import threading

_lock = threading.Lock()
_loaded = False


def load_engine():
    """Import SciPy's linear algebra, the compiled kernels and the solver modules, once and in
    one thread at a time (see the module docstring).  Cheap after the first call."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        import scipy.linalg  # noqa: F401 - the package first: the kernels cimport from it
        import scipy.linalg.lapack  # noqa: F401

        # scipy.sparse whole before any fit looks it up in sys.modules (_validation.is_sparse):
        # a thread found it there half initialized while another thread's fit was importing it
        import scipy.sparse  # noqa: F401

        from fastridge import _preprocessing

        _preprocessing.load_kernels()
        from fastridge import _solvers, _spectral, _stats  # noqa: F401

        _loaded = True
