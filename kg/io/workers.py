"""Worker processes that never outlive kg.

kg forks worker pools (extraction, topics). If kg itself is killed (SIGKILL,
out of memory), a forked worker would wait on its queue forever, holding its
copy of the records; on Linux each worker asks the kernel to stop it when its
parent dies.

Examples
--------
>>> pool = worker_pool(1)
>>> pool.submit(sum, [1, 2]).result()
3
>>> pool.shutdown()
"""

from __future__ import annotations

import signal
import sys


def stop_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent exits (a no-op elsewhere); SIGTERM stops it at
    once, whatever handler the parent had."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def worker_pool(workers: int):
    """A forked process pool whose workers end when kg ends, however it ends."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=stop_with_parent
    )
