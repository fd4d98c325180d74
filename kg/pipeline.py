"""``kg build`` as a library call: inputs in, a knowledge graph and a per-source report out.

Examples
--------
>>> report = build(["no/such/dir"])
>>> [str(f) for f in report.failures], len(report.graph)
(['no/such/dir: no such file or directory'], 0)
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from kg.errors import InputError
from kg.extract import extract_paths
from kg.graph import KnowledgeGraph
from kg.namespace import DEFAULT_BASE
from kg.records import Record
from kg.resolve.people import Aliases
from kg.topics import TopicExtractor


@dataclass(frozen=True)
class SourceReport:
    """What one input gave: its format, how many papers, the notes."""

    source: str
    format: str
    papers: int
    notes: tuple[str, ...]


@dataclass
class BuildReport:
    """The graph of a build, what each input gave, and the inputs that failed."""

    graph: KnowledgeGraph
    sources: list[SourceReport] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    topic_pipeline: str | None = None

    @property
    def papers_read(self) -> int:
        return sum(source.papers for source in self.sources)


def progress(items, description: str):
    """``items``, with a progress line on stderr when it is a terminal (quiet in pipes, logs and CI)."""
    import sys

    if not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}: {task.completed} done"), transient=True) as bar:
        task = bar.add_task(description, total=None)
        for item in items:
            yield item
            bar.advance(task)


@contextmanager
def phase(description: str):
    """A spinner saying what a long step is doing, on stderr when it is a terminal (quiet otherwise)."""
    import sys

    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(description):
        yield


def usable(record: Record) -> bool:
    """A record becomes a paper only if it has a title or an abstract to know it by."""
    return bool(record.title or record.abstract)


def build(
    paths: Iterable[str],
    *,
    base: str = DEFAULT_BASE,
    format: str | None = None,
    as_of=None,
    orgs: Iterable[str] = (),
    topics: TopicExtractor | str | None = "auto",
    mapping: Iterable[tuple[str, str]] = (),
    aliases: Aliases | None = None,
    allow_private: bool = False,
) -> BuildReport:
    """Extract every input (files, folders, kg JSON Lines) and build one graph.

    Inputs that fail are listed in ``failures``; the others still make the
    graph. Records with neither title nor abstract are skipped (listed in
    ``skipped``), as nothing could identify them as a paper. ``topics`` is a
    :class:`kg.topics.TopicExtractor`, a method name for one with default
    settings, or None for no topics from text (category codes still become
    topics).
    """
    from kg.rdf.writer import IriMinter, load_graph

    IriMinter(base)  # a bad base IRI is a usage error before any input is read
    extractor = TopicExtractor(method=topics) if isinstance(topics, str) else topics
    records: list[Record] = []
    report = BuildReport(graph=KnowledgeGraph(base=base))
    options = {"format": format, "as_of": as_of, "orgs": tuple(orgs), "mapping": tuple(mapping)}
    for item in progress(extract_paths(paths, allow_private=allow_private, **options), "reading inputs"):
        if isinstance(item, InputError):
            report.failures.append(item)
            continue
        kept = [r for r in item.records if usable(r)]
        for record in item.records:
            if not usable(record) and record.source:
                report.skipped.append(f"{record.source.path}:{record.source.line}: no title and no abstract")
        records.extend(kept)
        report.sources.append(SourceReport(item.source, item.format, len(kept), item.notes))
    report.graph = KnowledgeGraph(base=base)
    with phase(f"building the graph of {len(records):,} records (resolving authors, topics, statements)"):
        load_graph(report.graph.store, records, base, topics=extractor.start if extractor else None, aliases=aliases)
    report.topic_pipeline = extractor.pipeline if extractor else None
    return report
