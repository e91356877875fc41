# cython: language_level=3
"""Stopping a kernel early: Ctrl-C and the other signal handlers, and cancellation of the kernels
running on worker threads.

The kernels call :func:`stop_requested` between sweeps/iterations, outside their hot loops, and
when it is true leave their ``nogil`` block and call :func:`raise_stopped`.

* On the main thread, the only one where Python runs signal handlers, the check runs the pending
  handlers (``PyErr_CheckSignals``, with the GIL).  When a handler raises — Ctrl-C's
  KeyboardInterrupt, or a handler's own exception (a SIGALRM handler's TimeoutError, a SIGTERM
  handler's ``sys.exit(3)``) — that exception stays set and is what the kernel raises.
* A worker thread never sees a signal and never takes the GIL here.  Instead, the code that
  started the workers (`fastridge._parallel`) gives them a :class:`CancelToken`: each task runs
  through ``token.run``, which points this thread's (C thread-local) flag at the token's, and
  after ``token.cancel()`` the kernels stop and raise :class:`Cancelled`.
"""
import threading

from cpython.exc cimport PyErr_Occurred


cdef extern from "Python.h":
    int PyErr_CheckSignals()
    unsigned long PyThread_get_thread_ident() nogil


cdef extern from *:
    """
    #if defined(_MSC_VER)
    #  define FASTRIDGE_THREAD_LOCAL __declspec(thread)
    #else
    #  define FASTRIDGE_THREAD_LOCAL __thread
    #endif
    /* the flag of the token active in this thread, or NULL */
    static FASTRIDGE_THREAD_LOCAL volatile int *fastridge_cancel_flag = NULL;

    static int fastridge_cancel_requested(void) {
        volatile int *flag = fastridge_cancel_flag;
        return flag != NULL && *flag != 0;
    }

    static int *fastridge_cancel_swap(int *flag) {
        int *old = (int *) fastridge_cancel_flag;
        fastridge_cancel_flag = flag;
        return old;
    }

    static void fastridge_cancel_set(int *flag) {
        *(volatile int *) flag = 1;
    }
    """
    int fastridge_cancel_requested() noexcept nogil
    int *fastridge_cancel_swap(int *flag) noexcept nogil
    void fastridge_cancel_set(int *flag) noexcept nogil


# the thread where Python runs signal handlers
cdef unsigned long _main_thread = <unsigned long> threading.main_thread().ident


class Cancelled(BaseException):
    """A kernel stopped because its task was cancelled (a BaseException, as KeyboardInterrupt, so
    that no ``except Exception`` on the way swallows it)."""


cdef bint stop_requested() noexcept nogil:
    """Whether the kernel should stop: this thread's task was cancelled, or (main thread only) a
    signal handler raised, its exception left set for :func:`raise_stopped`."""
    cdef int rc
    if fastridge_cancel_requested():
        return True
    if PyThread_get_thread_ident() != _main_thread:
        return False
    with gil:
        rc = PyErr_CheckSignals()
    return rc != 0


cdef int raise_stopped() except -1:
    """Raise why a kernel stopped early: the exception a signal handler raised, else
    :class:`Cancelled`."""
    if PyErr_Occurred() != NULL:
        return -1
    raise Cancelled("the task was cancelled")


cdef class CancelToken:
    """A cancellation flag shared by the tasks of one parallel run.

    :meth:`run` calls a task with this token active in the calling thread; :meth:`cancel` asks
    every kernel running under it to stop at its next check.
    """
    cdef int flag

    def __cinit__(self):
        self.flag = 0

    def cancel(self):
        """Ask the kernels running under this token to stop."""
        fastridge_cancel_set(&self.flag)

    @property
    def cancelled(self):
        """Whether :meth:`cancel` has been called."""
        return self.flag != 0

    def run(self, func, *args):
        """``func(*args)`` with this token active in the calling thread (the previous one, if
        any, is active again afterwards)."""
        cdef int *previous = fastridge_cancel_swap(&self.flag)
        try:
            return func(*args)
        finally:
            fastridge_cancel_swap(previous)
