"""The store folder: an on-disk Oxigraph database plus the records of every source and the build options.

Layout of a store folder::

    DIR/config.json      the options every graph of this store is built with (see kg.pipeline.BuildOptions)
    DIR/sources.json     the sources in the order they were added: name, content hash, format, records file,
                         papers, and the options they were read with
    DIR/records/*.jsonl  the records each source gave (one file per source and content)
    DIR/oxigraph/        the Oxigraph database (queried in place, never re-parsed)

This module keeps the folder; it does not build graphs. :mod:`kg.pipeline`
builds, adds and removes sources through :meth:`StoreFolder.commit`, which
writes the new records and the new database before the manifest names them:
a build that fails (an error, Ctrl-C) removes what it wrote and leaves the
store as it was. The database swap and the manifest write are two steps, so a
process killed between them can leave them out of step; making the switch one
atomic step (store generations) and locking the store are the next step.

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

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, KgError, UsageError
from kg.graph import KnowledgeGraph
from kg.io.outputs import atomic_write
from kg.records import Record, record_from_dict

CONFIG = "config.json"
MANIFEST = "sources.json"
DATABASE = "oxigraph"
RECORDS = "records"
_NOT_A_STORE = "not a kg store (make one with {option})"


@dataclass(frozen=True)
class SourceEntry:
    """One source of a store, as its manifest lists it."""

    name: str
    sha256: str
    format: str
    records: str
    papers: int
    read_options: dict[str, Any] = field(default_factory=dict)


def content_hash(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class StoreFolder:
    """A store folder: its options, its manifest of sources and their records, and the database."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    # -- reading ------------------------------------------------------------------------------
    def is_store(self) -> bool:
        """True for a folder that a build with a store target wrote."""
        return (self.folder / CONFIG).is_file() and (self.folder / DATABASE).is_dir()

    def require(self) -> StoreFolder:
        """This folder, checked to be a store.

        Raises
        ------
        kg.errors.UsageError
            It is not one.
        """
        if not self.is_store():
            raise UsageError(f"{self.folder}: {_NOT_A_STORE}", option="store")
        return self

    def options(self) -> dict[str, Any]:
        """The build options the store was made with, as the plain dict it keeps."""
        try:
            data = json.loads((self.folder / CONFIG).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            raise InputError(str(self.folder), _NOT_A_STORE, option="store") from None
        if not isinstance(data, dict):
            raise InputError(str(self.folder / CONFIG), "not a kg store's configuration")
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
        """The sources, in the order they were added."""
        path = self.folder / MANIFEST
        if not path.is_file():
            return []
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):  # the older manifest: one object keyed by name, read in sorted order
                return [SourceEntry(name, **entry) for name, entry in sorted(data.items())]
            return [SourceEntry(**entry) for entry in data]
        except (ValueError, TypeError, AttributeError):
            raise InputError(str(path), "damaged: not the list of sources kg writes") from None

    def source(self, name: str) -> SourceEntry | None:
        return next((entry for entry in self.sources() if entry.name == name), None)

    def records_of(self, entry: SourceEntry) -> Iterator[Record]:
        """The records one source gave, in the order it gave them."""
        path = self.folder / RECORDS / entry.records
        number = 0
        try:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    number += 1
                    if line.strip():
                        yield record_from_dict(json.loads(line))
        except FileNotFoundError:
            raise InputError(str(path), f"the records of {entry.name} are missing from the store") from None
        except (ValueError, KgError) as error:
            raise InputError(f"{path}:{number}", f"damaged record ({error})") from None

    def records(self) -> list[Record]:
        """Every stored record, source by source in the manifest's order (the order a full build reads them)."""
        return [record for entry in self.sources() for record in self.records_of(entry)]

    def open_graph(self) -> KnowledgeGraph:
        """The stored graph, read-only, queried in place."""
        import pyoxigraph

        self.require()
        base = self.options().get("base")
        database = pyoxigraph.Store.read_only(str(self.folder / DATABASE))
        return KnowledgeGraph(database, **({"base": base} if base else {}))

    # -- writing ------------------------------------------------------------------------------
    def check_new(self) -> None:
        """Refuse a folder that holds something other than a store (before any input is read)."""
        if self.folder.exists() and not self.folder.is_dir():
            raise UsageError(f"{self.folder}: exists and is not a folder", option="store")
        if self.folder.is_dir() and any(self.folder.iterdir()) and not self.is_store():
            raise UsageError(
                f"{self.folder}: exists and is not a kg store; give an empty or new folder", option="store"
            )

    def commit(
        self,
        options: dict[str, Any],
        sources: Sequence[tuple[SourceEntry, Sequence[Record] | None]],
        write_graph: Callable[[Any], None],
    ) -> int:
        """Make the store hold exactly ``sources``, built with ``options``; returns the statements stored.

        Each source comes with its new records, or None to keep the records
        the store already has for it. New records files are written first
        (named by source and content, so no file in use is overwritten), then
        ``write_graph`` fills a fresh database, which replaces the old one;
        the options and manifest are written last, and records files no
        source names any more are removed.
        """
        import pyoxigraph

        created = not self.folder.exists()
        in_use = {entry.records for entry in self.sources()} if not created else set()
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / RECORDS).mkdir(exist_ok=True)
        fresh = self.folder / f"{DATABASE}.new"
        entries = []
        try:
            for entry, records in sources:
                if records is not None:
                    entry = self._write_records(entry, records)
                entries.append(entry)
            shutil.rmtree(fresh, ignore_errors=True)
            database = pyoxigraph.Store(str(fresh))
            write_graph(database)
            database.flush()
            statements = len(database)
            del database
        except BaseException:
            # Nothing of a failed build stays: the store is as it was (or, if it is new, not there).
            shutil.rmtree(fresh, ignore_errors=True)
            if created:
                shutil.rmtree(self.folder, ignore_errors=True)
            else:
                for entry in entries:
                    if entry.records not in in_use:
                        (self.folder / RECORDS / entry.records).unlink(missing_ok=True)
            raise
        old, retired = self.folder / DATABASE, self.folder / f"{DATABASE}.old"
        shutil.rmtree(retired, ignore_errors=True)
        if old.exists():
            old.rename(retired)
        fresh.rename(old)
        shutil.rmtree(retired, ignore_errors=True)
        with atomic_write(self.folder / CONFIG) as handle:
            handle.write(json.dumps({"kg_store": 2, "options": options}, indent=1, ensure_ascii=False).encode("utf-8"))
        with atomic_write(self.folder / MANIFEST) as handle:
            manifest = [asdict(entry) for entry in entries]
            handle.write(json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"))
        named = {entry.records for entry in entries}
        for path in (self.folder / RECORDS).glob("*.jsonl"):
            if path.name not in named:
                path.unlink(missing_ok=True)
        return statements

    def _write_records(self, entry: SourceEntry, records: Sequence[Record]) -> SourceEntry:
        """Write one source's records to a file named by source, content and how it was read.

        A rebuild never writes over a file the store's manifest names.
        """
        how = json.dumps(entry.read_options, sort_keys=True, default=str)
        digest = hashlib.sha256(f"{entry.name}\n{entry.sha256}\n{how}".encode("utf-8", "surrogatepass")).hexdigest()
        entry = SourceEntry(**{**asdict(entry), "records": f"{digest[:24]}.jsonl"})
        with atomic_write(self.folder / RECORDS / entry.records) as handle:
            for record in records:
                handle.write((json.dumps(record.to_dict(), ensure_ascii=False) + "\n").encode("utf-8"))
        return entry


def is_store(path: str | os.PathLike[str]) -> bool:
    """True for a folder that a build with a store target wrote."""
    return StoreFolder(path).is_store()


def open_graph(path: str | os.PathLike[str]) -> KnowledgeGraph:
    """Open a graph: a store folder (read-only, in place) or an RDF file in any format kg writes.

    Raises
    ------
    kg.errors.InputError
        The path is missing, or the file is not valid RDF in the format its extension names.
    """
    if is_store(path):
        return StoreFolder(path).open_graph()
    return KnowledgeGraph.load(path)
