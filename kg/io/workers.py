"""Worker processes that never outlive kg.

kg forks worker pools (extraction, topics) and single helpers (:class:`ForkedJob`: part of a graph file's
statements). If kg itself is killed (SIGKILL, out of memory), a forked worker would wait on its queue
forever, holding its copy of the records; on Linux each worker asks the kernel to stop it when its
parent dies.

Examples
--------
>>> pool = worker_pool(1)
>>> pool.submit(sum, [1, 2]).result()
3
>>> pool.shutdown()
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import pickle
import signal
import socket
import struct
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

# Descriptors passed in one message (Linux takes at most 253 at a time).
_FILES_PER_MESSAGE = 200
_HEADER = struct.Struct("<QQ")  # descriptors in this message, bytes of the pickled result that follow
_ENDS = struct.Struct("<qq")  # Claims: the first number not claimed from the front, and the one after the last


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


class Claims:
    """The numbers ``0 .. total - 1`` in blocks, each claimed once: from the front by one process, from the
    back by another forked after this was made, until they meet (so each does work while there is some).

    The two ends are kept in a shared page, changed under a lock of a temporary file (the kernel drops it with
    the process that holds it, however it ends).

    Examples
    --------
    >>> claims = Claims(5, block=2)
    >>> claims.front(), claims.back(), claims.front(), claims.back()
    (range(0, 2), range(3, 5), range(2, 3), None)
    """

    def __init__(self, total: int, block: int = 500) -> None:
        import mmap
        import tempfile

        if block < 1:
            raise ValueError(f"blocks hold at least one number, not {block}")
        self._block = block
        self._lock_file = tempfile.TemporaryFile()  # noqa: SIM115 (held as long as the claims are)
        self._ends = mmap.mmap(-1, _ENDS.size)  # anonymous and shared: a forked process sees the same page
        _ENDS.pack_into(self._ends, 0, 0, total)

    def front(self) -> range | None:
        """The next block from the front, or None once none is left."""
        with self._locked():
            start, end = _ENDS.unpack_from(self._ends)
            if start >= end:
                return None
            stop = min(start + self._block, end)
            _ENDS.pack_into(self._ends, 0, stop, end)
        return range(start, stop)

    def back(self) -> range | None:
        """The next block from the back, or None once none is left."""
        with self._locked():
            start, end = _ENDS.unpack_from(self._ends)
            if start >= end:
                return None
            stop = max(end - self._block, start)
            _ENDS.pack_into(self._ends, 0, start, stop)
        return range(stop, end)

    @contextlib.contextmanager
    def _locked(self):
        import fcntl

        fcntl.lockf(self._lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(self._lock_file, fcntl.LOCK_UN)


def can_fork_jobs() -> bool:
    """Whether :class:`ForkedJob` runs here (a system with ``fork`` and descriptors passed over sockets)."""
    return all(
        (
            hasattr(os, "fork"),
            hasattr(socket, "send_fds"),
            hasattr(socket, "AF_UNIX"),
            hasattr(signal, "pthread_sigmask"),
        )
    )


class ForkedJob:
    """``job`` run in a forked copy of this process: its result, and the open files it made, come back.

    ``job`` returns a picklable value and a list of open files (temporary files it wrote, already
    unlinked): their descriptors are passed back over a socket, so nothing is left on disk whatever happens
    to either process. The child sees the parent's memory as it was when forked (copy on write; the
    collector's objects are frozen first, so it does not copy them all); it ignores Ctrl-C (the parent
    decides, and stops it) and stops when the parent dies. An exception in the child is raised again
    by :meth:`result`. Where there is no fork (:func:`can_fork_jobs`), or no process to spare, making one
    raises OSError.

    Examples
    --------
    >>> import tempfile
    >>> def job():
    ...     spill = tempfile.TemporaryFile()
    ...     _ = spill.write(b"written apart")
    ...     return 42, [spill]
    >>> value, files = ForkedJob(job).result()
    >>> value, files[0].seek(0), files[0].read()
    (42, 0, b'written apart')
    >>> files[0].close()
    """

    def __init__(self, job: Callable[[], tuple[Any, list[BinaryIO]]]) -> None:
        self._result: tuple[Any, list[BinaryIO]] | None = None
        self._pid = 0
        if not can_fork_jobs():  # as a failed fork: the caller does the job itself
            raise OSError(errno.ENOSYS, "no fork on this system")
        self._socket, child_end = socket.socketpair()
        collecting = gc.isenabled()
        # Ctrl-C and SIGTERM wait until each process is itself again: one that reached the child before its
        # handlers were set would run the parent's code there (its clean-up of temporary files).
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        gc.freeze()
        try:
            self._pid = os.fork()
        except BaseException:
            gc.unfreeze()
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            self._socket.close()
            child_end.close()
            raise
        if self._pid == 0:  # pragma: no cover (the child: its coverage is not gathered)
            try:
                self._socket.close()
                _run_child(job, child_end, collecting, blocked)
            finally:
                os._exit(1)
        gc.unfreeze()  # the child keeps them frozen: its collector never walks the inherited heap
        try:
            child_end.close()
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a Ctrl-C held back is raised here: the child stops
        except BaseException:
            self.cancel()
            raise

    def result(self) -> tuple[Any, list[BinaryIO]]:
        """Wait for the child: what ``job`` returned, its files open here (read from where the child left them)."""
        if self._result is not None:
            return self._result
        files: list[BinaryIO] = []
        try:
            while True:
                head, descriptors, flags, _ = socket.recv_fds(self._socket, _HEADER.size, _FILES_PER_MESSAGE)
                files.extend(os.fdopen(descriptor, "rb") for descriptor in descriptors)
                if len(head) < _HEADER.size:
                    raise ChildProcessError("a forked helper of kg stopped before it finished its part")
                count, size = _HEADER.unpack(head)
                if count != len(descriptors) or flags & getattr(socket, "MSG_CTRUNC", 0):
                    # The kernel leaves out what does not fit (past the limit of open files): never a part lost.
                    raise ChildProcessError(
                        f"a forked helper of kg could hand back {len(descriptors)} of its {count} files "
                        "(too many open files?)"
                    )
                if size:
                    break
            payload = b""
            while len(payload) < size:
                part = self._socket.recv(size - len(payload))
                if not part:
                    raise ChildProcessError("a forked helper of kg stopped before it finished its part")
                payload += part
            outcome, value = pickle.loads(payload)
        except BaseException:
            for handle in files:
                handle.close()
            self.cancel()
            raise
        self._reap()
        if outcome == "error":
            for handle in files:
                handle.close()
            raise value
        self._result = (value, files)
        return self._result

    def cancel(self) -> None:
        """Stop the child if it still runs (its files are closed with it). SIGKILL: whatever handlers it
        inherited, and it holds nothing to tidy (its files are already unlinked)."""
        if self._pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        if self._pid:
            with contextlib.suppress(ChildProcessError):  # already reaped (SIGCHLD ignored)
                os.waitpid(self._pid, 0)
            self._pid = 0
            self._socket.close()


def _run_child(  # pragma: no cover (the child's coverage is not gathered)
    job: Callable[[], tuple[Any, list[BinaryIO]]], channel: socket.socket, collect: bool, mask: set
) -> None:
    """The child's side of :class:`ForkedJob`: run ``job``, hand its outcome to the parent, and end."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_with_parent()
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if collect:
            gc.enable()
        try:
            value, files = job()
            for handle in files:
                handle.flush()  # the child ends without flushing its buffers
            payload = pickle.dumps(("ok", value))
        except BaseException as error:  # handed to the parent, which raises it
            files = []
            payload = _pickled_error(error)
        descriptors = [handle.fileno() for handle in files]
        batches = [descriptors[i : i + _FILES_PER_MESSAGE] for i in range(0, len(descriptors), _FILES_PER_MESSAGE)]
        for batch in batches[:-1]:
            socket.send_fds(channel, [_HEADER.pack(len(batch), 0)], batch)
        last = batches[-1] if batches else []
        socket.send_fds(channel, [_HEADER.pack(len(last), len(payload))], last)
        channel.sendall(payload)
        code = 0
    finally:
        os._exit(code)


def _pickled_error(error: BaseException) -> bytes:  # pragma: no cover (in the child)
    """``error`` pickled for the parent, or a ChildProcessError that names it when it would not come back whole
    (an exception whose arguments do not rebuild it)."""
    try:
        payload = pickle.dumps(("error", error))
        pickle.loads(payload)
        return payload
    except Exception:
        return pickle.dumps(("error", ChildProcessError(f"a forked helper of kg failed: {error!r}")))
