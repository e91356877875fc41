"""Progress lines for long runs (the ``verbose`` option of ``ridge_path`` and ``RidgeCV``).

Every line goes to ``sys.stderr`` (looked up at each write, so redirections made after import are
honoured) in one ``write`` call, so lines from folds running on threads never interleave within a
line.  Reports are made between α values or folds only, never inside a kernel.
"""
import sys
import time

__all__ = ["Progress", "due"]


def due(done, total, verbose):
    """Whether step ``done`` (1-based) of ``total`` is reported.

    ``verbose >= 2``: every step.  ``verbose == 1``: the steps at which the completed fraction
    crosses a multiple of 10 % (so every step when ``total <= 10``), and always the last one.
    """
    if verbose >= 2 or done >= total:
        return True
    return (10 * done) // total > (10 * (done - 1)) // total


def seconds(t):
    """Elapsed time for a progress line: ``0.012 s``, ``1.23 s``, ``123 s``."""
    if t < 1.0:
        return f"{t:.3f} s"
    if t < 100.0:
        return f"{t:.2f} s"
    return f"{t:.0f} s"


def shape_text(X, k, kind=None):
    """``"200 x 8 dense, 1 target"`` for a progress header (`kind` names X's storage when it
    is neither dense nor scipy.sparse)."""
    n, p = X.shape
    if kind is None:
        kind = "dense" if not hasattr(X, "tocsr") else f"sparse {X.format}"
    return f"{n} x {p} {kind}, {k} target{'s' if k != 1 else ''}"


class Progress:
    """A clock started at construction and a line writer with a fixed ``[label]`` prefix."""

    def __init__(self, label, verbose):
        self.label = label
        self.verbose = int(verbose)
        self.t0 = time.perf_counter()

    def elapsed(self):
        return time.perf_counter() - self.t0

    def write(self, message):
        stream = sys.stderr
        if stream is None:  # pythonw and some embedded interpreters have no stderr
            return
        stream.write(f"[{self.label}] {message}\n")
        stream.flush()
