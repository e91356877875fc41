"""Independent tasks on worker threads, with the calling thread kept interruptible.

Python runs signal handlers only in the main thread, so Ctrl-C never reaches a kernel on a
worker thread.  :func:`run_tasks` keeps the calling thread waiting where a signal handler can
raise, and when it does (KeyboardInterrupt, a SIGALRM handler's TimeoutError, ...), or when a
task fails, it cancels the other tasks (their kernels stop at their next check, see
`fastridge._interrupt`), waits for the workers to stop, and raises that exception.
"""
import concurrent.futures as cf
import contextvars


def run_tasks(func, items, workers):
    """``[func(item) for item in items]``, on up to `workers` threads when `workers` > 1.

    Results come in the order of `items`; each task sees the caller's context variables (the
    settings of `fastridge.config_context`).  When tasks fail, the error raised is that of the
    first failed item in that order (the one a sequential loop would raise); an exception in the
    waiting thread (a signal handler's) is raised as it is.  Either way no task is still running
    when this returns or raises.
    """
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [func(item) for item in items]
    from fastridge._interrupt import Cancelled, CancelToken

    token = CancelToken()
    pool = cf.ThreadPoolExecutor(max_workers=min(workers, len(items)))
    futures = []
    try:
        # each task runs in a copy of the caller's context: the settings of
        # `fastridge.config_context` hold in the workers as in the caller
        context = contextvars.copy_context()
        futures = [pool.submit(context.copy().run, token.run, func, item) for item in items]
        cf.wait(futures, return_when=cf.FIRST_EXCEPTION)
    except BaseException:
        _stop(token, pool)
        raise
    if any(f.done() and f.exception() is not None for f in futures):
        _stop(token, pool)
        for f in futures:
            exc = None if f.cancelled() else f.exception()
            if exc is not None and not isinstance(exc, Cancelled):
                raise exc
    pool.shutdown(wait=True)
    return [f.result() for f in futures]


def _stop(token, pool):
    """Cancel the tasks not yet started and stop the running ones, then wait for the workers."""
    token.cancel()
    pool.shutdown(wait=True, cancel_futures=True)
