"""The store folder: an on-disk Oxigraph database plus the records of every source and the build options.

Layout of a store folder::

    DIR/kg-store.json           marks the folder as a kg store (written before anything else)
    DIR/CURRENT                 the name of the current generation; switched by one atomic rename
    DIR/lock                    writers hold an exclusive lock on it, and say in it who they are
    DIR/records/*.jsonl         the records each source gave, named by source, content and read options
    DIR/gen-00000007/           one generation: every part of one state of the store
        config.json             the options every graph of this store is built with (kg.pipeline.BuildOptions)
        sources.json            the sources in the order they were added (name, real path, content hash,
                                format, records file, papers, read options)
        server-writes.jsonl     what a writable ``kg serve`` accepted, replayed after every rebuild
        oxigraph/               the Oxigraph database (queried in place, never re-parsed)
        readers                 readers hold a shared lock on it while they read this generation

How it stays whole:

- **One writer.** :meth:`StoreFolder.writing` takes an exclusive lock (``flock``)
  for the whole read-change-write of ``kg build --store``, ``kg add``,
  ``kg remove`` and a writable ``kg serve``; a second writer waits or gets
  :class:`kg.errors.StoreBusyError` naming the holder. The lock dies with its
  process, so a killed command never leaves the store locked.
- **Built aside, switched at once.** :meth:`StoreFolder.commit` writes a new
  generation beside the current one (records, database, options, manifest),
  flushes it to disk, then renames a new ``CURRENT`` over the old: a crash at
  any moment leaves the old state or the new one, never a mix.
- **Readers see one generation.** :meth:`StoreFolder.reading` holds a shared
  lock on the generation it reads; a writer removes an old generation only when
  no reader holds it, and every writer removes what an interrupted command left
  (:meth:`StoreFolder.clean`). :meth:`StoreFolder.check` verifies a store.
- **Confined.** Records files are named by digests the store wrote; a manifest
  naming any other path is refused as damaged, so a crafted store cannot make
  kg read or delete a file outside it.

Stores written before generations (``config.json``, ``sources.json`` and
``oxigraph/`` at the top) are read as they are and converted by their next write.

Examples
--------
>>> import tempfile
>>> folder = StoreFolder(tempfile.mkdtemp())
>>> folder.is_store(), folder.sources()
(False, [])
>>> open_graph("no/such/graph.ttl")
Traceback (most recent call last):
...
kg.errors.InputError: no/such/graph.ttl: no such file
"""

from __future__ import annotations

import base64
import contextlib
import gc
import hashlib
import json
import os
import re
import shutil
import stat
import time
import traceback
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, KgError, Note, StoreBusyError, UsageError
from kg.graph import KnowledgeGraph
from kg.io.inputs import STDIN, json_line_loader
from kg.io.outputs import atomic_write
from kg.progress import Progress, Tally, step
from kg.records import Record, record_from_dict, record_json

MARKER = "kg-store.json"
POINTER = "CURRENT"
LOCK = "lock"
READERS = "readers"
CONFIG = "config.json"
MANIFEST = "sources.json"
DATABASE = "oxigraph"
RECORDS = "records"
SERVER_WRITES = "server-writes.jsonl"
VIEWS = "views"  # files derived from a generation's graph (kg's read model), so views need not read it again
KEPT = "kept"  # what a build keeps for the next (topic readings, statement digests), so it need not do it again
VIEW_MAX_BYTES = 8 << 30  # a kept file larger than this is no file kg wrote
LAYOUT = 3
_GENERATION_RE = re.compile(r"gen-(\d{8})\Z")
_RECORDS_NAME_RE = re.compile(r"[0-9a-f]{24}\.jsonl\Z")
_NOT_A_STORE = "not a kg store (make one with {option})"
_SERVER_WRITE_KINDS = ("update", "put", "post", "delete")
_POLL_S = 0.2


@dataclass(frozen=True)
class SourceEntry:
    """One source of a store, as its manifest lists it.

    ``name`` is the source as it was last given; ``path`` its real path (links
    resolved), which is what tells two spellings of one file apart from two files.
    """

    name: str
    sha256: str
    format: str
    records: str
    papers: int
    read_options: dict[str, Any] = field(default_factory=dict)
    path: str = ""


@dataclass(frozen=True)
class Snapshot:
    """One generation of a store, held for reading: its database and its name."""

    folder: Path
    generation: str | None
    database: Path


@dataclass(frozen=True)
class ViewCache:
    """Files derived from one generation's graph, kept beside it: what a view read once need not be read again.

    A generation's graph changes only through a writable server's writes, which are logged: ``key`` names the
    graph as it is now (the generation and how much of that log there is), and a file saved under another key
    is never read back. Saving is best effort: a store on a read-only disk, or a full one, only loses speed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> cache = ViewCache(pathlib.Path(tempfile.mkdtemp()), "gen-00000001.0")
    >>> cache.read("model-1"), cache.save("model-1", b"{}"), cache.read("model-1")
    (None, True, b'{}')
    >>> later = ViewCache(cache.folder, "gen-00000001.120")
    >>> later.read("model-1") is None, later.save("model-2", b"[]"), [p.name for p in cache.folder.iterdir()]
    (True, True, ['model-2.gen-00000001.120.json'])
    """

    folder: Path
    key: str

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.{self.key}.json"

    def _usable(self) -> bool:
        """The folder is a folder of the store (a store holds no links: one put here is not followed)."""
        try:
            return stat.S_ISDIR(os.lstat(self.folder).st_mode)
        except OSError:
            return False

    def read(self, name: str) -> bytes | None:
        """What was saved as ``name`` for this graph, or None (nor is anything but a plain file read, nor a link
        followed, nor more than :data:`VIEW_MAX_BYTES` read)."""
        if not self._usable():
            return None
        try:
            descriptor = os.open(self._path(name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode) or status.st_size > VIEW_MAX_BYTES:
                return None
            try:
                return handle.read()
            except OSError:
                return None

    def has(self, name: str) -> bool:
        """Whether something was saved as ``name`` for this graph (without reading it)."""
        return self._usable() and self._path(name).is_file()

    def save(self, name: str, data: bytes | Iterable[bytes]) -> bool:
        """Keep ``data`` (bytes, or parts written one after the other) as ``name`` for this graph; False when it
        could not be written.

        A name's part before its last ``-`` is its kind (``readmodel-1a2b``): one file of a kind is kept,
        so what an earlier state of the graph, or another version of kg, saved as that kind goes.
        """
        kind = name.rsplit("-", 1)[0]
        try:
            self.folder.mkdir(exist_ok=True)
            if not self._usable():
                return False
            with atomic_write(self._path(name)) as handle:
                for part in (data,) if isinstance(data, bytes) else data:
                    handle.write(part)
            for old in self.folder.glob(f"{kind}-*.json"):
                if old != self._path(name):
                    old.unlink(missing_ok=True)
        except (OSError, KgError):  # a read-only or full disk: the view is read from the graph next time
            return False
        return True


@dataclass(frozen=True)
class GenerationStart:
    """What :meth:`StoreFolder.commit` hands the build of a new generation.

    Attributes
    ----------
    kept : ViewCache
        Where the build keeps what the next build reads (its topic readings, its statement digests).
    previous : ViewCache or None
        What the build of the previous generation kept (None when there is none).
    copied : bool
        The database holds the previous generation's statements (a copy made with hard links), not nothing:
        the build is to change it into its own.
    folder : pathlib.Path
        The new generation's folder (for the build's temporary files; removed with it on failure).
    """

    kept: ViewCache
    previous: ViewCache | None
    copied: bool
    folder: Path


@dataclass(frozen=True)
class Problem:
    """What :meth:`StoreFolder.check` found wrong, and how to repair it."""

    what: str
    repair: Note
    repairable: bool = False


def content_hash(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _flock(descriptor: int, shared: bool, wait: bool) -> bool:
    import fcntl

    flags = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB)
    try:
        fcntl.flock(descriptor, flags)
    except BlockingIOError:
        return False
    return True


def _fsync_tree(folder: Path) -> None:
    """Every file and folder under ``folder`` (and itself) flushed to disk."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            descriptor = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        _fsync_folder(Path(root))


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _disk_error(folder: Path, error: OSError) -> KgError:
    """A failed write of the store as one line (the store is as it was)."""
    reason = error.strerror or str(error)
    return InputError(str(folder), f"cannot be written ({reason}); the store was not changed")


class StoreFolder:
    """A store folder: its options, its manifest of sources and their records, and the database."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self._writer: int | None = None

    # -- what the folder is ---------------------------------------------------------------------
    def current_generation(self) -> str | None:
        """The name of the current generation (None for a store without generations, or no store).

        Raises
        ------
        kg.errors.InputError
            The pointer is damaged: it names no generation, or one that is not there.
        """
        previous = None
        while True:
            try:
                name = (self.folder / POINTER).read_text(encoding="utf-8").strip()
            except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
                return None
            except OSError as error:
                raise InputError(str(self.folder), f"cannot be read ({error.strerror or error})") from None
            if not _GENERATION_RE.match(name):
                raise InputError(
                    str(self.folder / POINTER), "damaged: not the name of a generation (see {option})", option="check"
                )
            if (self.folder / name).is_dir():
                return name
            if name == previous:  # read twice, still not there: not a switch seen half-way
                raise InputError(
                    str(self.folder / POINTER),
                    f"damaged: names {name}, which is missing (see {{option}})",
                    option="check",
                )
            previous = name

    def _is_legacy(self) -> bool:
        return (self.folder / CONFIG).is_file() and (self.folder / DATABASE).is_dir()

    def state(self) -> str:
        """``store``, ``legacy`` (written before generations), ``unfinished`` (a first build that never
        finished), ``damaged`` (its pointer to the current generation is), ``empty`` (missing or an empty
        folder) or ``foreign`` (something else)."""
        if not self.folder.exists():
            return "empty"
        if not self.folder.is_dir():
            return "foreign"
        try:
            if self.current_generation() is not None:
                return "store"
        except InputError:
            return "damaged"
        if self._is_legacy():
            return "legacy"
        if (self.folder / MARKER).is_file():  # no pointer: a first build cut short, unless one ever finished
            return "damaged" if self._was_built() else "unfinished"
        return "foreign" if any(self.folder.iterdir()) else "empty"

    def _was_built(self) -> bool:
        """Whether a build of this store ever finished (its marker says so once one has)."""
        try:
            return json.loads((self.folder / MARKER).read_text(encoding="utf-8")).get("built") is True
        except (OSError, ValueError, AttributeError):
            return False

    def _mark_built(self) -> None:
        if not self._was_built():
            with atomic_write(self.folder / MARKER) as handle:
                handle.write(json.dumps({"kg_store": LAYOUT, "built": True}).encode("utf-8"))

    def _pointer_damage(self) -> InputError:
        """What is wrong with the pointer of a ``damaged`` store."""
        try:
            self.current_generation()
        except InputError as error:
            return error
        return InputError(
            str(self.folder / POINTER),
            "damaged: missing, though the store has generations (see {option})",
            option="check",
        )

    def is_store(self) -> bool:
        """True for a folder that a build with a store target wrote."""
        try:
            return self.state() in ("store", "legacy")
        except KgError:
            return False

    def require(self) -> StoreFolder:
        """This folder, checked to be a store.

        Raises
        ------
        kg.errors.UsageError
            It is not one.
        """
        state = self.state()
        if state == "damaged":
            raise self._pointer_damage()
        if state == "unfinished":
            raise UsageError(
                f"{self.folder}: its first build did not finish; run the build again ({{option}})", option="store"
            )
        if state not in ("store", "legacy"):
            raise UsageError(f"{self.folder}: {_NOT_A_STORE}", option="store")
        return self

    def _generation_folder(self, generation: str | None) -> Path:
        return self.folder / generation if generation else self.folder

    # -- reading ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def reading(self) -> Iterator[Snapshot]:
        """The current generation, held for reading until the block ends (no writer removes it meanwhile)."""
        snapshot, descriptor = self._hold_current()
        try:
            yield snapshot
        finally:
            if descriptor is not None:
                os.close(descriptor)

    def _hold_current(self) -> tuple[Snapshot, int | None]:
        """The current generation and the descriptor holding its shared lock (close it to let go)."""
        self.require()
        for _ in range(100):
            generation = self.current_generation()
            if generation is None:  # a store written before generations: nothing to hold
                return Snapshot(self.folder, None, self.folder / DATABASE), None
            readers = self.folder / generation / READERS
            try:
                descriptor = os.open(readers, os.O_RDONLY)
            except FileNotFoundError:
                continue  # switched and removed meanwhile: read the pointer again
            _flock(descriptor, shared=True, wait=True)
            try:
                still_there = os.stat(readers).st_ino == os.fstat(descriptor).st_ino
            except FileNotFoundError:
                still_there = False
            if still_there:
                return Snapshot(self.folder, generation, self.folder / generation / DATABASE), descriptor
            os.close(descriptor)
        raise InputError(str(self.folder), "changed too often to be read; try again")

    def _read_json(self, name: str, generation: str | None) -> Any:
        path = self._generation_folder(generation) / name
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(str(path), "missing from the store (see {option})", option="check") from None
        except (ValueError, UnicodeDecodeError):
            raise InputError(str(path), "damaged: not the JSON kg writes (see {option})", option="check") from None

    def options(self) -> dict[str, Any]:
        """The build options the store was made with, as the plain dict it keeps."""
        with self.reading() as snapshot:
            return self._options(snapshot.generation)

    def _options(self, generation: str | None) -> dict[str, Any]:
        data = self._read_json(CONFIG, generation)
        if not isinstance(data, dict):
            raise InputError(str(self._generation_folder(generation) / CONFIG), "not a kg store's configuration")
        if "options" in data:
            return data["options"]
        # A store written before the options were kept whole: base, topic method, alias file (a path).
        options = {"base": data.get("base"), "topics": data.get("topics", "auto")}
        if data.get("aliases"):
            found = [p for p in (self.folder / data["aliases"], Path(data["aliases"])) if p.is_file()]
            if not found:
                raise InputError(
                    data["aliases"],
                    f"the alias file {self.folder} was built with is gone; give it again with {{option}}",
                    option="aliases",
                )
            options["aliases"] = json.loads(found[0].read_text(encoding="utf-8"))
        return options

    def sources(self) -> list[SourceEntry]:
        """The sources, in the order they were added (by name in a store written before generations; none for a
        folder that is no store)."""
        if not self.is_store():
            return []
        with self.reading() as snapshot:
            return self._sources(snapshot.generation)

    def _sources(self, generation: str | None) -> list[SourceEntry]:
        path = self._generation_folder(generation) / MANIFEST
        if generation is None and not path.is_file():
            return []
        data = self._read_json(MANIFEST, generation)
        try:
            if isinstance(data, dict):  # the older manifest: one object keyed by name, read in sorted order
                entries = [SourceEntry(name, **entry) for name, entry in sorted(data.items())]
            else:
                entries = [SourceEntry(**entry) for entry in data]
        except (TypeError, AttributeError):
            raise InputError(
                str(path), "damaged: not the list of sources kg writes (see {option})", option="check"
            ) from None
        for entry in entries:
            if not isinstance(entry.records, str) or not _RECORDS_NAME_RE.match(entry.records):
                raise InputError(
                    str(path),
                    f"damaged: {entry.records!r} is not a records file of the store (see {{option}})",
                    option="check",
                )
        return entries

    def find_source(self, name: str, entries: Sequence[SourceEntry] | None = None) -> SourceEntry | None:
        """The source ``name`` names: by its real path (any spelling of the file), else as it was given."""
        entries = self.sources() if entries is None else entries
        real = os.path.realpath(name)
        return next((e for e in entries if e.path and e.path == real), None) or next(
            (e for e in entries if e.name == str(Path(name))), None
        )

    def records_of(self, entry: SourceEntry) -> Iterator[Record]:
        """The records one source gave, in the order it gave them."""
        return (record for record, _ in self.stored_records_of(entry))

    def stored_records_of(self, entry: SourceEntry) -> Iterator[tuple[Record, str]]:
        """:meth:`records_of`, each record with its line as the store keeps it (line break included)."""
        if not _RECORDS_NAME_RE.match(entry.records):
            raise InputError(str(self.folder / MANIFEST), f"damaged: {entry.records!r} is not a records file")
        path = self.folder / RECORDS / entry.records
        number = 0
        loads = json_line_loader()
        try:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    number += 1
                    if line.strip():
                        yield record_from_dict(loads(line)), line
        except FileNotFoundError:
            raise InputError(
                str(path), f"the records of {entry.name} are missing from the store (see {{option}})", option="check"
            ) from None
        except (ValueError, KgError) as error:
            raise InputError(f"{path}:{number}", f"damaged record ({error}; see {{option}})", option="check") from None

    def records(self) -> list[Record]:
        """Every stored record, source by source in the manifest's order (the order a full build reads them)."""
        return [record for entry in self.sources() for record in self.records_of(entry)]

    def open_graph(self) -> KnowledgeGraph:
        """The stored graph, read-only, queried in place; its generation is held while the graph is open."""
        import pyoxigraph

        snapshot, descriptor = self._hold_current()
        try:
            base = self._options(snapshot.generation).get("base")
            # How much a writable server has logged, taken before the database is opened: a write it logs
            # meanwhile makes what a view keeps of this state stale, never the other way round.
            logged = 0
            if snapshot.generation is not None:
                with contextlib.suppress(FileNotFoundError):
                    logged = (self.folder / snapshot.generation / SERVER_WRITES).stat().st_size
            try:
                database = pyoxigraph.Store.read_only(str(snapshot.database))
            except (OSError, RuntimeError, ValueError) as error:
                raise InputError(
                    str(snapshot.database),
                    f"the database cannot be opened ({_first_line(error)}); see {{option}}",
                    option="check",
                ) from None
        except BaseException:
            if descriptor is not None:
                os.close(descriptor)
            raise
        graph = KnowledgeGraph(database, **({"base": base} if base else {}))
        graph.database_path = str(snapshot.database)  # other processes may open it read-only too
        with contextlib.suppress(InputError):  # a damaged manifest stops no reader (kg check names it)
            graph.store_sources = self._sources(snapshot.generation)  # of the generation held, not a later one
        if snapshot.generation is not None:
            graph.views = ViewCache(self.folder / snapshot.generation / VIEWS, f"{snapshot.generation}.{logged}")
        if descriptor is not None:
            weakref.finalize(graph, os.close, descriptor)
        return graph

    def kept(self) -> ViewCache | None:
        """What the build of the current generation kept for the next build (None for a store without
        generations); call it while holding the writer's lock (:meth:`writing`)."""
        try:
            generation = self.current_generation() if self.is_store() else None
        except InputError:  # a damaged pointer: nothing kept can be trusted to be the current generation's
            return None
        return self._kept_of(generation)

    def _kept_of(self, generation: str | None) -> ViewCache | None:
        return ViewCache(self.folder / generation / KEPT, generation) if generation else None

    # -- the writer's lock ----------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self, purpose: str, wait_s: float = 0.0) -> Iterator[StoreFolder]:
        """Hold the store's writer lock until the block ends (the folder is made when it is new).

        Parameters
        ----------
        purpose : str
            Who holds it, as another command's busy message shows it (``kg add page.txt``).
        wait_s : float
            How long to wait for another writer to finish; a writable server is never waited for.

        Raises
        ------
        kg.errors.StoreBusyError
            Another command (or a writable server) still holds it.
        """
        if self._writer is not None:  # already held by this object: nothing more to take
            yield self
            return
        state = self.state()
        if state == "foreign":
            self.check_new()
        existed = self.folder.exists()
        for name in (LOCK, RECORDS, MARKER, POINTER):
            if (self.folder / name).is_symlink():
                raise InputError(str(self.folder / name), "a link, which a kg store never holds; not changed")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if state == "empty":
                with atomic_write(self.folder / MARKER) as handle:
                    handle.write(json.dumps({"kg_store": LAYOUT}).encode("utf-8"))
            descriptor = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as error:
            raise _disk_error(self.folder, error) from None
        try:
            deadline = time.monotonic() + max(0.0, wait_s)
            while not _flock(descriptor, shared=False, wait=False):
                holder = _read_holder(descriptor)
                if time.monotonic() >= deadline or "serve" in holder:
                    who = holder or "another kg command"
                    then = "stop the server first" if "serve" in holder else "try again when it ends, or give {option}"
                    raise StoreBusyError(
                        f"{self.folder}: busy: {who} is changing it; nothing was changed ({then})", option="wait"
                    )
                time.sleep(_POLL_S)
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, 0)
                os.pwrite(descriptor, f"{purpose} (pid {os.getpid()})".encode("utf-8", "replace"), 0)
            self._writer = descriptor
            try:
                if state == "store":
                    with contextlib.suppress(OSError):  # what an interrupted command left goes first
                        self.clean()
                yield self
            finally:
                self._writer = None
                if state == "empty" and self.current_generation() is None:
                    self._unmake(existed)  # a new store whose first build did not finish: nothing stays
                with contextlib.suppress(OSError):
                    os.ftruncate(descriptor, 0)
        finally:
            os.close(descriptor)

    def _unmake(self, existed: bool) -> None:
        """Remove a store folder this process made (or filled, when it was an empty folder)."""
        if not existed:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        for path in self.folder.iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def _require_writer(self) -> None:
        if self._writer is None:
            raise KgError("internal: a store is changed only inside StoreFolder.writing()")

    def check_new(self) -> None:
        """Refuse a folder that holds something other than a store (before any input is read)."""
        state = self.state()
        if state == "foreign" and not self.folder.is_dir():
            raise UsageError(f"{self.folder}: exists and is not a folder", option="store")
        if state == "foreign":
            raise UsageError(
                f"{self.folder}: exists and is not a kg store; give an empty or new folder", option="store"
            )

    # -- writing ------------------------------------------------------------------------------
    def commit(
        self,
        options: dict[str, Any],
        sources: Sequence[tuple[SourceEntry, Sequence[Record] | None]],
        write_graph: Callable[[Any, GenerationStart], None],
        keep_server_writes: bool = True,
        repair: bool = False,
        progress: Progress | None = None,
        from_previous: bool = False,
    ) -> tuple[int, list[str]]:
        """Make the store hold exactly ``sources``, built with ``options``, as a new generation.

        Each source comes with its new records, or None to keep the records
        the store already has for it. The new generation (records, database
        filled by ``write_graph(database, start)`` (a :class:`GenerationStart`), what a writable server
        accepted replayed on
        top, options, manifest) is written aside and flushed to disk; then one
        rename makes it current. Anything that fails before that leaves the
        store as it was. Must be called inside :meth:`writing`. ``repair``
        drops damaged lines of the server writes instead of refusing them.
        ``progress`` is told how far ``"storing records"`` (the new records written) and
        ``"saving the store"`` are (see :mod:`kg.progress`). With ``from_previous``, the database starts as a
        copy of the previous generation's (hard links: RocksDB never changes a file it wrote) where there is
        one and no writable server wrote to it; ``write_graph`` is told which it got.

        Returns
        -------
        (int, list of str)
            The statements stored, and notes about server writes that could not be replayed.
        """
        import pyoxigraph

        self._require_writer()
        self.clean()
        previous = self.current_generation()
        server_writes = self._server_writes(previous, lenient=repair) if keep_server_writes and previous else []
        generation = self._next_generation()
        target = self.folder / generation
        in_use = {entry.records for entry in self._sources(previous)} if self.is_store() else set()
        written: list[str] = []
        database = None
        try:
            (self.folder / RECORDS).mkdir(exist_ok=True)
            target.mkdir()
            (target / READERS).touch()
            entries = []
            tally = Tally(progress, "storing records", sum(len(new) for _, new in sources if new is not None))
            for entry, records in sources:
                if records is not None:
                    entry = self._write_records(entry, records)
                    written.append(entry.records)
                    tally.advance(len(records))
                entries.append(entry)
            tally.finish()
            copied = from_previous and not server_writes and not repair and self._copy_database(previous, target)
            database = pyoxigraph.Store(str(target / DATABASE))
            kept_before = self._kept_of(previous)
            write_graph(database, GenerationStart(ViewCache(target / KEPT, generation), kept_before, copied, target))
            saved = step(progress, "saving the store")
            notes = _replay(database, server_writes)
            database.flush()
            statements = len(database)
            database = None  # closed: the generation's files are whole before they are flushed to disk
            if server_writes:
                with open(target / SERVER_WRITES, "w", encoding="utf-8") as handle:
                    handle.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in server_writes)
            (target / CONFIG).write_text(
                json.dumps({"kg_store": LAYOUT, "options": options}, indent=1, ensure_ascii=False), encoding="utf-8"
            )
            manifest = [asdict(entry) for entry in entries]
            (target / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
            _fsync_tree(target)
            _fsync_folder(self.folder / RECORDS)
            with atomic_write(self.folder / POINTER) as handle:  # the switch: one rename
                handle.write(generation.encode("ascii"))
            _fsync_folder(self.folder)
            saved()
        except BaseException as error:
            # The database is closed before its folder goes: RocksDB writes files as it closes, which would
            # otherwise land in a folder made again. The frames of the failed build still hold it.
            traceback.clear_frames(error.__traceback__)
            database = None
            gc.collect()
            shutil.rmtree(target, ignore_errors=True)
            for name in written:
                if name not in in_use:
                    (self.folder / RECORDS / name).unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise _disk_error(self.folder, error) from None
            raise
        with contextlib.suppress(OSError):  # the new state is in place; what is left is tidied next time
            self._mark_built()
            self.clean()
        return statements, notes

    def _copy_database(self, generation: str | None, target: Path) -> bool:
        """Copy ``generation``'s database into ``target`` (a checkpoint: hard links); False when it cannot be."""
        import pyoxigraph

        if generation is None or (self.folder / generation / SERVER_WRITES).exists():
            return False  # what a writable server wrote is in that database, and is replayed on a fresh one
        try:
            pyoxigraph.Store.read_only(str(self.folder / generation / DATABASE)).backup(str(target / DATABASE))
        except (OSError, RuntimeError, ValueError):
            shutil.rmtree(target / DATABASE, ignore_errors=True)
            return False
        return True

    def _next_generation(self) -> str:
        numbers = [0]
        for path in self.folder.iterdir():
            match = _GENERATION_RE.match(path.name.removeprefix(".retired-").split(".")[0])
            if match:
                numbers.append(int(match.group(1)))
        return f"gen-{max(numbers) + 1:08d}"

    def _write_records(self, entry: SourceEntry, records: Sequence[Record]) -> SourceEntry:
        """Write one source's records to a file named by source, content and how it was read.

        A file of that name should hold those very records already; it is written
        again all the same (atomically), so a damaged one is mended.
        """
        how = json.dumps(entry.read_options, sort_keys=True, default=str)
        identity = entry.path or entry.name
        digest = hashlib.sha256(f"{identity}\n{entry.sha256}\n{how}".encode("utf-8", "surrogatepass")).hexdigest()
        entry = SourceEntry(**{**asdict(entry), "records": f"{digest[:24]}.jsonl"})
        with atomic_write(self.folder / RECORDS / entry.records) as handle:
            for record in records:
                handle.write((record_json(record) + "\n").encode("utf-8"))
        return entry

    # -- what a writable server accepted --------------------------------------------------------
    def log_server_write(self, kind: str, body: bytes, content_type: str | None, graph: str | None) -> None:
        """Keep one write a writable ``kg serve`` accepted, so every later rebuild replays it.

        Call it inside :meth:`writing`, after the database took the write and
        before the client is told so.
        """
        self._require_writer()
        if kind not in _SERVER_WRITE_KINDS:
            raise KgError(f"internal: unknown server write {kind!r}")
        generation = self.current_generation()
        if generation is None:
            raise UsageError(
                f"{self.folder}: written before generations; convert it with {{option}} first", option="repair"
            )
        try:
            text, encoding = body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(body).decode("ascii"), "base64"
        item = {"kind": kind, "graph": graph, "content_type": content_type, "body": text, "encoding": encoding}
        with open(self.folder / generation / SERVER_WRITES, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def _server_writes(self, generation: str, lenient: bool = False) -> list[dict[str, Any]]:
        """What a writable server accepted; ``lenient`` drops damaged lines (a repair) instead of refusing."""
        path = self.folder / generation / SERVER_WRITES
        if not path.is_file():
            return []
        items = []
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    item = json.loads(line)
                    if not isinstance(item, dict) or item.get("kind") not in _SERVER_WRITE_KINDS:
                        raise ValueError(line)
                    if not isinstance(item.get("body"), str):
                        raise ValueError(line)
                except ValueError:
                    if lenient:
                        continue
                    if line.endswith("\n"):
                        raise InputError(f"{path}:{number}", "damaged (see {option})", option="check") from None
                    break  # the last line of a server killed while writing it: the client was never told
                items.append(item)
        return items

    # -- leftovers and checks -------------------------------------------------------------------
    def clean(self) -> list[str]:
        """Remove what interrupted commands left: old generations no reader holds, half-written files,
        records no source names. Inside :meth:`writing` only; returns what was removed."""
        self._require_writer()
        removed: list[str] = []
        current = self.current_generation()
        if current is None and not self._is_legacy():
            keep: set[str] = set()
        else:
            keep = {entry.records for entry in self._sources(current)}
        for path in sorted(self.folder.iterdir()):
            name = path.name
            if path.is_symlink():
                continue  # a store writes no links; one put here is not followed, nor removed
            if name.startswith(".retired-") or name in (f"{DATABASE}.new", f"{DATABASE}.old"):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(name)
            elif name.startswith(".") and name.endswith(".tmp"):
                path.unlink(missing_ok=True)
                removed.append(name)
            elif _GENERATION_RE.match(name) and name != current and self._retire(path):
                removed.append(name)
        if current is not None and self._is_legacy():  # converted: the old top-level state goes
            for name in (CONFIG, MANIFEST):
                (self.folder / name).unlink(missing_ok=True)
            shutil.rmtree(self.folder / DATABASE, ignore_errors=True)
            removed.append("the store's layout before generations")
        records = self.folder / RECORDS
        if records.is_dir() and not records.is_symlink():
            for path in sorted(records.iterdir()):
                if path.name not in keep:
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)
                    removed.append(f"{RECORDS}/{path.name}")
        return removed

    def _held(self, generation: Path) -> bool:
        """Whether a reader (a running server, a query) holds an old generation: it is no leftover yet."""
        try:
            descriptor = os.open(generation / READERS, os.O_RDONLY)
        except OSError:
            return False
        try:
            return not _flock(descriptor, shared=False, wait=False)
        finally:
            os.close(descriptor)

    def _retire(self, generation: Path) -> bool:
        """Remove an old generation unless a reader holds it."""
        try:
            descriptor = os.open(generation / READERS, os.O_RDONLY)
        except FileNotFoundError:
            descriptor = None  # a generation whose build was cut short: nobody reads it
        try:
            if descriptor is not None and not _flock(descriptor, shared=False, wait=False):
                return False
            retired = self.folder / f".retired-{generation.name}.{uuid.uuid4().hex[:8]}"
            generation.rename(retired)
        finally:
            if descriptor is not None:
                os.close(descriptor)
        shutil.rmtree(retired, ignore_errors=True)
        return True

    def leftovers(self) -> list[str]:
        """What :meth:`clean` would remove now (old generations a reader still holds are not leftovers)."""
        current = self.current_generation()
        found = []
        for path in sorted(self.folder.iterdir()):
            name = path.name
            if (
                name.startswith(".retired-")
                or name in (f"{DATABASE}.new", f"{DATABASE}.old")
                or (name.startswith(".") and name.endswith(".tmp"))
                or (_GENERATION_RE.match(name) and name != current and not self._held(path))
            ):
                found.append(name)
        with contextlib.suppress(KgError):
            keep = {entry.records for entry in self._sources(current)}
            records = self.folder / RECORDS
            if records.is_dir():
                found += [f"{RECORDS}/{p.name}" for p in sorted(records.iterdir()) if p.name not in keep]
        return found

    def check(self) -> list[Problem]:
        """Everything wrong with the store, each with how to repair it (empty when it is whole)."""
        state = self.state()
        if state in ("empty", "foreign"):
            return [Problem(f"{self.folder}: not a kg store", Note("build one with {option}", "store"))]
        if state == "damaged":
            repair = Note("{option} points it at the newest whole generation", "repair")
            return [Problem(_plain(self._pointer_damage()), repair, self._newest_whole_generation() is not None)]
        links = [name for name in (LOCK, RECORDS, MARKER, POINTER) if (self.folder / name).is_symlink()]
        if links:
            return [Problem(f"{self.folder}: {', '.join(links)}: a link, which a store never holds", Note("remove it"))]
        if state == "unfinished":
            return [Problem(f"{self.folder}: its first build did not finish", Note("run that {option} again", "store"))]
        problems: list[Problem] = []
        try:
            with self.reading() as snapshot:
                generation = snapshot.generation
                try:
                    self._options(generation)
                except KgError as error:
                    problems.append(
                        Problem(_plain(error), Note("build the store again from its sources with {option}", "replace"))
                    )
                entries = self._sources(generation)
                for entry in entries:
                    try:
                        count = sum(1 for _ in self.records_of(entry))
                    except KgError as error:
                        where = entry.path or entry.name
                        problems.append(
                            Problem(
                                _plain(error),
                                Note(f"{{option}} reads {where} again if it is unchanged", "repair"),
                                True,
                            )
                        )
                        continue
                    if count == 0 and entry.papers:
                        problems.append(
                            Problem(f"the records of {entry.name} are empty", Note("{option}", "repair"), True)
                        )
                problems += self._check_database(snapshot, entries)
                try:
                    self._server_writes(generation) if generation else []
                except KgError as error:
                    repair = Note("{option} drops the damaged line(s) and keeps the other writes", "repair")
                    problems.append(Problem(_plain(error), repair, True))
        except KgError as error:
            problems.append(
                Problem(_plain(error), Note("build the store again from its sources with {option}", "replace"))
            )
        if self.leftovers():
            problems.append(
                Problem(
                    f"{len(self.leftovers())} leftover(s) of interrupted commands",
                    Note("{option} (or any change of the store) removes them", "repair"),
                    True,
                )
            )
        return problems

    def _newest_whole_generation(self) -> str | None:
        whole = [
            path.name
            for path in self.folder.iterdir()
            if _GENERATION_RE.match(path.name)
            and not path.is_symlink()
            and all((path / name).exists() for name in (CONFIG, MANIFEST, DATABASE, READERS))
        ]
        return max(whole, default=None)

    def repair_pointer(self) -> str | None:
        """Point a store whose pointer is damaged at its newest whole generation; its name, or None if none is."""
        self._require_writer()
        newest = self._newest_whole_generation()
        if newest is not None:
            with atomic_write(self.folder / POINTER) as handle:
                handle.write(newest.encode("ascii"))
            _fsync_folder(self.folder)
        return newest

    def _check_database(self, snapshot: Snapshot, entries: Sequence[SourceEntry]) -> list[Problem]:
        import pyoxigraph

        try:
            database = pyoxigraph.Store.read_only(str(snapshot.database))
            statements = len(database)
        except (OSError, RuntimeError, ValueError) as error:
            return [
                Problem(
                    f"{snapshot.database}: the database cannot be read ({_first_line(error)})",
                    Note("{option} rebuilds it from the stored records", "repair"),
                    True,
                )
            ]
        if statements == 0 and any(entry.papers for entry in entries):
            return [
                Problem(f"{snapshot.database}: the database is empty", Note("{option} rebuilds it", "repair"), True)
            ]
        return []


def _plain(error: KgError) -> str:
    """An error's message without its pointer to kg check (it is shown by kg check)."""
    return str(error).replace(" (see check)", "").replace("; see check)", ")").replace("; see check", "")


def _read_holder(descriptor: int) -> str:
    with contextlib.suppress(OSError):
        return os.pread(descriptor, 500, 0).decode("utf-8", "replace").strip()
    return ""


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def _replay(database: Any, writes: Sequence[dict[str, Any]]) -> list[str]:
    """Apply what a writable server accepted to a rebuilt database; notes for writes that no longer apply."""
    import pyoxigraph

    notes = []
    for number, item in enumerate(writes, start=1):
        body = item.get("body") or ""
        data = base64.b64decode(body) if item.get("encoding") == "base64" else body.encode("utf-8")
        graph_name = item.get("graph")
        graph = pyoxigraph.DefaultGraph() if graph_name in (None, "default") else pyoxigraph.NamedNode(str(graph_name))
        try:
            kind = item.get("kind")
            if kind == "update":
                database.update(data.decode("utf-8"))
                continue
            if kind in ("put", "delete"):
                if isinstance(graph, pyoxigraph.DefaultGraph):
                    database.clear_graph(graph)
                elif database.contains_named_graph(graph):
                    database.remove_graph(graph)
            if kind in ("put", "post"):
                media_type = (item.get("content_type") or "text/turtle").split(";")[0].strip()
                rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
                if rdf_format is None:
                    raise ValueError(f"unknown media type {media_type}")
                database.load(data, format=rdf_format, to_graph=graph)
        except (SyntaxError, ValueError, OSError, RuntimeError) as error:
            notes.append(f"server write {number} ({item.get('kind')}) could not be replayed: {_first_line(error)}")
    return notes


def is_store(path: str | os.PathLike[str]) -> bool:
    """True for a folder that a build with a store target wrote."""
    return StoreFolder(path).is_store()


def open_graph(path: str | os.PathLike[str], progress: Progress | None = None) -> KnowledgeGraph:
    """Open a graph: a store folder (read-only, in place), an RDF file in any format kg writes, or ``-``.

    A file is loaded into memory, which takes long for a large one: ``progress`` is told
    when the stage ``"loading FILE"`` begins and ends (see :mod:`kg.progress`).

    ``-`` reads RDF from standard input (Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML,
    told from its first bytes): ``kg build ... -o - | kg stats -``.

    Raises
    ------
    kg.errors.InputError
        The path is missing, or the file is not valid RDF in the format its extension names.
    kg.errors.UsageError
        The path is a folder that is no store.
    """
    if str(path) == STDIN:
        return KnowledgeGraph.read_stdin()
    folder = StoreFolder(path)
    if folder.state() in ("store", "legacy", "unfinished", "damaged"):
        return folder.require().open_graph()
    loaded = step(progress, f"loading {path}")
    graph = KnowledgeGraph.load(path)
    loaded()
    return graph
