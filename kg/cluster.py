"""A build's parallel steps on a Dask cluster: what ``build(..., dask=ADDRESS)`` runs where.

On the cluster's workers, as tasks:

- **extraction**, one task per input file (:func:`read_input`, which runs
  :func:`kg.extract.extract_file` unchanged). The files must be at the same paths on
  every worker as here (a shared file system); a relative name is read from this
  process's working folder. URLs and standard input are read here;
- **topic reading**, one task per chunk of papers (:func:`read_topics`, which runs
  :meth:`kg.topics.TopicFinder.read`); the ranking, which looks at the whole corpus,
  runs here (:meth:`kg.topics.TopicFinder.rank`).

Here, in this process, while the workers read topics: resolution (papers, then authors in one
pass: :func:`kg.resolve.people.resolve_authors` can cluster its name blocks in parts anywhere,
but at 100,000 papers shipping the parts' evidence and making their joins again here cost this
process about what clustering them does), and the statements
(:func:`kg.rdf.writer.load_statements`), whose counts and labels are chosen over the whole
build. The graph is the one a build without a cluster gives, statement for statement.

An unreachable scheduler, a cluster without workers, a task whose worker died more often than
Dask allows (its ``allowed-failures``) and a scheduler lost during the build are each one
:class:`kg.errors.InputError` naming the scheduler, raised before anything is written; kg needs
the ``distributed`` package for any of it (``pip install 'kg[distributed]'``).

Examples
--------
>>> connect(" ")
Traceback (most recent call last):
...
kg.errors.UsageError: dask needs a scheduler's address (tcp://HOST:PORT), not ' '
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from kg.errors import InputError, UsageError
from kg.extract import _extract_one
from kg.extractors.base import Extraction
from kg.progress import Progress, Tally
from kg.topics.finder import KeptReadings, PendingTopics, TopicFinder, TopicReading

# How long to wait for the scheduler to answer, and for it to have a worker.
CONNECT_TIMEOUT_S = 10.0
WORKERS_TIMEOUT_S = 10.0
# A build gives up when the cluster has had no worker this long while it waits for a task.
NO_WORKERS_TIMEOUT_S = 30.0
_POLL_S = 1.0
# Papers are read for topics in this many chunks a worker thread (their progress is seen as each ends),
# of this many papers at least (a task costs milliseconds to send and start).
_TOPIC_CHUNKS_PER_THREAD = 4
_MIN_TOPIC_CHUNK = 500


def connect(address: str, timeout_s: float | None = None) -> Cluster:
    """The Dask cluster whose scheduler is at ``address`` (``tcp://HOST:PORT``), once it has a worker.

    Use it as a context manager: it disconnects at the end (the cluster goes on running).

    Raises
    ------
    kg.errors.UsageError
        No address, or the ``distributed`` package is not installed.
    kg.errors.InputError
        No scheduler answers at ``address``, or it has no worker.
    """
    if not isinstance(address, str) or not address.strip():
        raise UsageError(f"{{option}} needs a scheduler's address (tcp://HOST:PORT), not {address!r}", option="dask")
    try:
        import distributed
    except ImportError:
        raise UsageError(
            "{option} needs Dask's distributed package: pip install 'kg[distributed]'", option="dask"
        ) from None
    address = address.strip()
    timeout_s = CONNECT_TIMEOUT_S if timeout_s is None else timeout_s
    _probe(address, timeout_s)
    restore_logging = _quiet_distributed()
    try:
        try:
            client = distributed.Client(address, timeout=timeout_s, set_as_default=False)
        except Exception as error:  # whatever answered, it is no scheduler kg can use
            raise InputError(address, f"no Dask scheduler answered ({_why(error)})") from None
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except (TimeoutError, OSError):
            client.close()
            raise InputError(address, f"the Dask scheduler has no worker (waited {WORKERS_TIMEOUT_S:g} s)") from None
    except BaseException:
        restore_logging()
        raise
    return Cluster(client, address, restore_logging)


def _quiet_distributed() -> Callable[[], None]:
    """Hold back what distributed logs (tracebacks of lost connections, among others) until the returned
    function is called: kg says what failed itself, in one line."""
    import logging

    def drop(record: logging.LogRecord) -> bool:
        return False

    loggers = [logger for name, logger in logging.Logger.manager.loggerDict.items()
               if name.split(".")[0] == "distributed" and isinstance(logger, logging.Logger)]  # fmt: skip
    handlers = {handler for logger in loggers for handler in logger.handlers}
    for handler in handlers:
        handler.addFilter(drop)

    def restore() -> None:
        for handler in handlers:
            handler.removeFilter(drop)

    return restore


def _probe(address: str, timeout_s: float) -> None:
    """Raise an InputError unless a Dask scheduler answers at ``address``.

    A Client that cannot connect leaves an object behind that complains on the way out;
    a plain connection, opened and closed here, does not.
    """
    import asyncio

    from distributed.comm import connect as open_comm

    async def knock() -> None:
        comm = await open_comm(address, timeout=timeout_s)
        await comm.close()

    try:
        asyncio.run(knock())
    except ValueError as error:
        raise InputError(address, f"not an address Dask can reach ({_why(error)})") from None
    except OSError as error:  # refused, unreachable, timed out
        raise InputError(address, f"no Dask scheduler answered ({_why(error)})") from None
    except Exception as error:  # a server that speaks another protocol: its answer is garbage to Dask
        raise InputError(address, f"something answered, but not a Dask scheduler ({type(error).__name__})") from None


def _why(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class Cluster:
    """A connection to a Dask cluster that runs a build's parallel steps (see :func:`connect`).

    Every method gives what its local counterpart gives, in the same order.

    Attributes
    ----------
    address : str
        The scheduler's address.
    client : distributed.Client
        The connection.
    """

    def __init__(self, client: Any, address: str, restore_logging: Callable[[], None] | None = None) -> None:
        self.client = client
        self.address = address
        self._restore_logging = restore_logging

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Disconnect (tasks still running for this build are dropped)."""
        try:
            self.client.close()
        finally:
            if self._restore_logging is not None:
                self._restore_logging()
                self._restore_logging = None

    @property
    def threads(self) -> int:
        """The worker threads the cluster has now."""
        return max(1, sum(self.client.nthreads().values()))

    def describe(self) -> str:
        """The cluster in words, for a build's notes."""
        workers = self.client.nthreads()
        return f"Dask cluster at {self.address} ({len(workers)} worker(s), {sum(workers.values())} thread(s))"

    # -- extraction ---------------------------------------------------------------------------

    def extract_paths(
        self, names: Iterable[str], *, allow_private: bool = False, follow_links: bool = False, **options: object
    ) -> Iterator[Extraction | InputError]:
        """What :func:`kg.extract.extract_paths` yields, with each file read by a task on the cluster.

        Folders are walked here; URLs and standard input are read here.
        """
        from kg.extract import extract_paths
        from kg.io.http import is_url
        from kg.io.inputs import STDIN, iter_input_paths

        names = list(names)
        here_only = [name for name in names if is_url(name) or name == STDIN]
        if here_only:
            yield from extract_paths(here_only, allow_private=allow_private, **options)
        files = [name for name in names if not is_url(name) and name != STDIN]
        items = list(iter_input_paths(files, follow_links=follow_links))
        folder = os.getcwd()
        pending = [
            item
            if isinstance(item, InputError)
            else self.client.submit(read_input, str(item), os.path.join(folder, item), options, pure=False)
            for item in items
        ]
        for item in pending:
            yield item if isinstance(item, InputError) else self._result(item, "reading inputs")

    # -- topics -------------------------------------------------------------------------------

    def start_topics(
        self,
        finder: TopicFinder,
        papers: Sequence[tuple[str | None, str | None]],
        progress: Progress | None = None,
        kept: KeptReadings | None = None,
    ) -> PendingTopics:
        """What :meth:`kg.topics.TopicFinder.start` gives: chunks of papers read on the cluster, ranked here
        (papers whose readings are ``kept`` are not read again)."""
        plan = finder.plan(papers, kept)
        papers = plan.unread
        tally = Tally(progress, "finding topics", len(papers))
        settings = (finder.method, finder.max_per_paper, finder.min_papers, finder.batch_size, finder.trained)
        size = max(_MIN_TOPIC_CHUNK, -(-len(papers) // (self.threads * _TOPIC_CHUNKS_PER_THREAD)))
        chunks = [list(papers[start : start + size]) for start in range(0, len(papers), size)]
        readings: list[TopicReading] = []
        failed: list[BaseException] = []
        doing = "finding topics"

        def read() -> None:
            # Sent from this thread, and each reading fetched (and unpickled) as soon as it is ready, while the
            # build resolves authors, as a local build's forked workers read them.
            futures = []
            try:
                for chunk in chunks:
                    sent = self._scatter([chunk], doing)[0]  # the first chunks are read while the others are sent
                    futures.append(self.client.submit(read_topics, settings, sent, pure=False))
                for future, chunk in zip(futures, chunks, strict=True):
                    readings.append(self._result(future, doing))
                    tally.advance(len(chunk))
            except BaseException as error:  # handed to the thread that waits for the topics
                failed.append(error)
            finally:
                futures.clear()
                chunks.clear()

        fetcher = threading.Thread(target=read, name="kg-topics", daemon=True)
        fetcher.start()

        def collect() -> list:
            fetcher.join()
            if failed:
                raise failed[0]
            return plan.assemble(readings, tally)

        pending = PendingTopics(collect)
        pending.read_again = len(papers)
        return pending

    # -- failing ------------------------------------------------------------------------------

    def _scatter(self, items: list, doing: str) -> list:
        """Futures of ``items`` sent to the workers (each its own)."""
        with self._failures(doing):
            return self.client.scatter(items, hash=False)

    def _result(self, future: Any, doing: str) -> Any:
        """The future's result; a lost worker, scheduler or cluster is one InputError, a task's own error itself."""
        done = threading.Event()
        future.add_done_callback(lambda _: done.set())
        idle_since: float | None = None
        # Waited for here, fetched once: a result fetched with a timeout starts its transfer again on each try.
        while not done.wait(_POLL_S):
            with self._failures(doing):
                workers = len(self.client.nthreads())
            if workers:
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since > NO_WORKERS_TIMEOUT_S:
                raise InputError(
                    self.address,
                    f"the Dask cluster has had no worker for {NO_WORKERS_TIMEOUT_S:g} s while {doing}; "
                    "nothing was written",
                )
        if future.status == "error":
            error = future.exception()  # the task's own, or the cluster's (a worker that died running it)
            raise self._failure(error, doing) or error
        with self._failures(doing):
            return future.result()

    @contextmanager
    def _failures(self, doing: str) -> Iterator[None]:
        """What the cluster raises while ``doing`` something, as one InputError naming the scheduler."""
        try:
            yield
        except Exception as error:
            failure = self._failure(error, doing)
            if failure is None:
                raise
            raise failure from None

    def _failure(self, error: Exception, doing: str) -> InputError | None:
        """``error`` as one InputError naming the scheduler, when it is the cluster's (not a task's own)."""
        from concurrent.futures import CancelledError

        from distributed import KilledWorker
        from distributed.comm import CommClosedError

        if isinstance(error, KilledWorker):
            why = f"a Dask worker died while {doing}, as often as the cluster allows"
        elif isinstance(error, CancelledError):
            why = f"the Dask cluster dropped a task while {doing}"
        elif isinstance(error, (CommClosedError, OSError)):
            why = f"lost touch with a Dask worker or the scheduler while {doing}"
        else:
            return None
        return InputError(self.address, f"{why} ({_why(error)}); nothing was written")


class _Named(os.PathLike):
    """A file as the user named it (``str``) and where it lies (``os.fspath``: from the build's working folder).

    :func:`kg.extract.extract_file` names records and errors by ``str(path)`` and reads ``os.fspath(path)``,
    so a worker in another working folder reads the file a build names, and names it the same way.
    """

    def __init__(self, name: str, where: str) -> None:
        self.name = name
        self.where = where

    def __fspath__(self) -> str:
        return self.where

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"_Named({self.name!r}, {self.where!r})"


def read_input(name: str, where: str, options: dict[str, Any]) -> Extraction | InputError:
    """One input file read on a worker: its :class:`kg.extractors.base.Extraction`, or why it failed.

    ``name`` is the file as the user named it (what records and errors say), ``where`` its absolute
    path; ``options`` are :func:`kg.extract.extract_file`'s keyword options.

    Examples
    --------
    >>> read_input("no/such/page.txt", "/no/such/page.txt", {})
    InputError('no/such/page.txt: no such file or directory')
    """
    return _extract_one(_Named(name, where), options)


def read_topics(settings: tuple, papers: list[tuple[str | None, str | None]]) -> TopicReading:
    """One chunk of papers read for topics on a worker (:meth:`kg.topics.TopicFinder.read`).

    ``settings`` are the finder's (method, max per paper, min papers, batch size, trained
    pipeline); a worker makes one finder per settings and keeps it (a trained pipeline loads once).
    """
    return _finder(settings).read(papers)


@lru_cache(maxsize=4)
def _finder(settings: tuple) -> TopicFinder:
    method, max_per_paper, min_papers, batch_size, trained = settings
    return TopicFinder(method, max_per_paper, min_papers, batch_size, n_process=1, spacy_model=trained)
