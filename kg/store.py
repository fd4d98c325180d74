"""A persistent graph: an on-disk Oxigraph store plus the records of every source, for incremental builds.

Layout of a store folder::

    DIR/oxigraph/        the Oxigraph database (queried in place, never re-parsed)
    DIR/sources.json     one entry per source: content hash, format, how many records
    DIR/records/*.jsonl  the records each source gave
    DIR/config.json      how graphs are built here (base IRI, topic method, aliases)

``kg add`` re-extracts one source and ``kg remove`` drops one; either rebuilds
the graph from the stored records of all sources, so merges and topics are
exactly those of a full build (a test compares them). Re-adding a source whose
bytes did not change does nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError, UsageError
from kg.io.outputs import atomic_write
from kg.records import Record, record_from_dict

STORE_MARK = "config.json"


def is_store(path: str | Path) -> bool:
    """True for a folder that ``kg build --store`` wrote."""
    return (Path(path) / STORE_MARK).is_file() and (Path(path) / "oxigraph").is_dir()


@dataclass
class StoreConfig:
    """How the graphs of one store are built; kept so that add/remove build the same way."""

    base: str
    topics: str
    aliases: str | None = None

    def to_json(self) -> str:
        return json.dumps({"base": self.base, "topics": self.topics, "aliases": self.aliases}, indent=1)


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class GraphStore:
    """A store folder: its manifest of sources and their records, and the Oxigraph database."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    # -- reading ------------------------------------------------------------------------------
    def config(self) -> StoreConfig:
        try:
            data = json.loads((self.folder / STORE_MARK).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            raise InputError(str(self.folder), "not a kg store (make one with kg build --store)") from None
        return StoreConfig(data["base"], data["topics"], data.get("aliases"))

    def manifest(self) -> dict[str, dict]:
        path = self.folder / "sources.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def records(self) -> list[Record]:
        """Every stored record, sources in sorted order (the order a full build reads them)."""
        out: list[Record] = []
        for _name, entry in sorted(self.manifest().items()):
            lines = (self.folder / "records" / entry["records"]).read_text(encoding="utf-8").splitlines()
            out.extend(record_from_dict(json.loads(line)) for line in lines if line)
        return out

    def open_graph(self):
        """The stored graph, read-only, queried in place."""
        import pyoxigraph

        from kg.graph import KnowledgeGraph

        if not is_store(self.folder):
            raise InputError(str(self.folder), "not a kg store (make one with kg build --store)")
        return KnowledgeGraph(pyoxigraph.Store.read_only(str(self.folder / "oxigraph")), base=self.config().base)

    # -- writing ------------------------------------------------------------------------------
    def create(self, config: StoreConfig) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "records").mkdir(exist_ok=True)
        with atomic_write(self.folder / STORE_MARK) as handle:
            handle.write(config.to_json().encode("utf-8"))
        self._write_manifest({})

    def _write_manifest(self, manifest: dict[str, dict]) -> None:
        with atomic_write(self.folder / "sources.json") as handle:
            handle.write(json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8"))

    def put_source(self, name: str, content_hash: str, records: list[Record], format_name: str) -> None:
        """Store (or replace) one source's records."""
        manifest = self.manifest()
        file_name = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16] + ".jsonl"
        with atomic_write(self.folder / "records" / file_name) as handle:
            for record in records:
                handle.write((json.dumps(record.to_dict(), ensure_ascii=False) + "\n").encode("utf-8"))
        manifest[name] = {"sha256": content_hash, "format": format_name, "records": file_name, "papers": len(records)}
        self._write_manifest(manifest)

    def drop_source(self, name: str) -> bool:
        manifest = self.manifest()
        entry = manifest.pop(name, None)
        if entry is None:
            return False
        (self.folder / "records" / entry["records"]).unlink(missing_ok=True)
        self._write_manifest(manifest)
        return True

    def write_graph(self, write: Callable[[Any], None]) -> int:
        """Replace the database: ``write`` fills a fresh store, which is then swapped in."""
        import pyoxigraph

        fresh = self.folder / "oxigraph.new"
        shutil.rmtree(fresh, ignore_errors=True)
        store = pyoxigraph.Store(str(fresh))
        write(store)
        store.flush()
        count = len(store)
        del store
        old = self.folder / "oxigraph"
        retired = self.folder / "oxigraph.old"
        shutil.rmtree(retired, ignore_errors=True)
        if old.exists():
            old.rename(retired)
        fresh.rename(old)
        shutil.rmtree(retired, ignore_errors=True)
        return count


def rebuild(store: GraphStore) -> int:
    """Rebuild the store's graph from every stored record; returns the number of statements."""
    from kg.rdf.writer import load_graph
    from kg.resolve.people import Aliases
    from kg.topics import TopicExtractor

    config = store.config()
    records = [r for r in store.records() if r.title or r.abstract]
    aliases = Aliases.load(config.aliases) if config.aliases else None
    extractor = TopicExtractor(config.topics) if config.topics != "none" else None
    topics = extractor.start if extractor else None
    return store.write_graph(lambda target: load_graph(target, records, config.base, topics, aliases, in_memory=False))


def add_source(store: GraphStore, name: str, **options) -> tuple[str, int]:
    """Add or replace one source (a file); ("unchanged", 0) when its bytes did not change."""
    from kg.extract import extract_file

    path = Path(name)
    if not path.is_file():
        raise InputError(name, "no such file" if not path.exists() else "not a regular file (add files one by one)")
    content_hash = _hash(path)
    if store.manifest().get(name, {}).get("sha256") == content_hash:
        return "unchanged", 0
    result = extract_file(path, **options)
    replaced = name in store.manifest()
    store.put_source(name, content_hash, list(result.records), result.format)
    return ("replaced" if replaced else "added"), len(result.records)


def require_store(folder: str) -> GraphStore:
    store = GraphStore(folder)
    if not is_store(folder):
        raise UsageError(f"{folder}: not a kg store (make one with kg build --store {folder})")
    return store


def build_store(folder: str, paths: list[str], config: StoreConfig, allow_private: bool = False, **options):
    """A new store from ``paths`` (files, folders, URLs): every source's records, then the graph.

    Returns (sources added, failures, statements).
    """
    from kg.extract import extract_paths
    from kg.io.http import is_url

    store = GraphStore(folder)
    if store.folder.exists() and any(store.folder.iterdir()) and not is_store(folder):
        raise UsageError(f"{folder}: exists and is not a kg store; give an empty or new folder")
    store.create(config)
    for name in list(store.manifest()):
        store.drop_source(name)
    added, failures = [], []
    for item in extract_paths(paths, allow_private=allow_private, **options):
        if isinstance(item, InputError):
            failures.append(item)
            continue
        path = Path(item.source)
        content_hash = _hash(path) if not is_url(item.source) and path.is_file() else hashlib.sha256(
            item.source.encode("utf-8")).hexdigest()  # fmt: skip
        store.put_source(item.source, content_hash, list(item.records), item.format)
        added.append((item.source, len(item.records)))
    return added, failures, rebuild(store)
