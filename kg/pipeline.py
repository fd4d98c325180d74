"""The one build pipeline behind ``kg build``, ``kg add`` and ``kg remove``.

inputs -> extract -> records -> resolve -> topics -> RDF statements -> a graph in memory or a store folder
(and, on request, a graph file). Every option lives in one :class:`BuildOptions`;
every call returns one :class:`BuildReport` with the same notes, failures and
exit status, whatever the target. A store keeps the options it was built with,
and :func:`add` and :func:`remove` rebuild its graph with them through the same
function as :func:`build`, so a store's graph is always the one a full build
of its sources would give.

Nothing is written when no input could be read, or when ``strict`` is set and
any input failed: an earlier output file or store stays as it was.

Examples
--------
>>> report = build(["no/such/dir"])
>>> [str(f) for f in report.failures], report.refused, report.status
(['no/such/dir: no such file or directory'], 'no input could be read; nothing was written', 1)
>>> BuildOptions(max_topics=0)
Traceback (most recent call last):
...
kg.errors.UsageError: max_topics must be at least 1, not 0
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from kg.errors import InputError, Note, UsageError
from kg.extract import extract_paths
from kg.graph import CITED_ONLY, KnowledgeGraph
from kg.io.memory import collector_paused
from kg.io.outputs import STDOUT
from kg.namespace import DEFAULT_BASE
from kg.progress import Progress, Tally, quiet
from kg.records import Record, record_json
from kg.resolve.aliases import Aliases
from kg.resolve.groups import COLLECTIVE_AUTHORS, groups_apart
from kg.resolve.papers import is_paper
from kg.store import GenerationStart, SourceEntry, StoreFolder, content_hash
from kg.topics import METHODS as TOPIC_METHODS
from kg.topics import TopicFinder
from kg.topics.finder import KeptReadings

if TYPE_CHECKING:
    from kg.cluster import Cluster

_READ_FIELDS = ("format", "as_of", "orgs", "mapping", "allow_private", "follow_links", "owner")
# A build into a TriG or JSON-LD file from more records than this holds its graph in a temporary store on disk, not in
# Oxigraph's memory (about 340 bytes a statement: 2.7 GB of a 6.4 GB peak at 100,000 papers). Smaller ones
# stay in memory: forced through the disk at 100,000 papers, the build took 280 s and 2.7 GB (writing the
# file from RocksDB is the slow part), so the disk is for builds memory could not hold. The statements are
# the same; their order in the file is the on-disk store's.
ON_DISK_RECORDS = 200_000
# An N-Quads, N-Triples, Turtle or RDF/XML file is written from the statements as they are made, sorted and
# each once (kg.rdf.sorted_nquads), not from a database. The report of a build into such a file alone from at
# most this many records also holds the graph in memory; past it the file is the graph (holding it took a
# 100,000-paper build to 4.4 GB, against 1.9 GB without).
HELD_RECORDS = 20_000
# What a store's build keeps of its statements for the next build (kg.rdf.changes); the number names the layout.
STATEMENT_DIGESTS = "statement-digests-3"
# Each source graph's fingerprint, and each part of a whole build's graph's (kg.rdf.writer.SourceGraphs).
SOURCE_GRAPHS = "source-graphs-2"
# The joins each component of name blocks was clustered into (kg.resolve.clusterings), by its input's digest.
AUTHOR_CLUSTERINGS = "author-clusterings-1"


@dataclass(frozen=True)
class BuildOptions:
    """Every option of a build: how inputs are read and how the graph is made.

    Attributes
    ----------
    base : str
        Base IRI of every minted node (an absolute http(s) IRI ending in ``/`` or ``#``).
    topics : str
        Topic method for titles and abstracts (one of :data:`kg.topics.METHODS`) or ``"none"``
        (category codes still become topics).
    max_topics : int
        Topics found in a paper's title and abstract, at most (the source's own keywords and
        subjects come on top).
    min_topic_papers : int
        A key phrase is kept only if this many papers have it (1: each paper's own phrases count).
    aliases : kg.resolve.aliases.Aliases, optional
        The user's forced and forbidden author and org merges.
    format : str, optional
        Read every input as this format instead of detecting it.
    as_of : datetime.date, optional
        When the pages were saved (dates printed without a year take its year).
    orgs : tuple of str
        Organisations added to every record (whose page it is).
    mapping : tuple of (field, key)
        For generic tables, the key holding each record field.
    allow_private : bool
        Let URLs reach private and loopback addresses.
    follow_links : bool
        Follow links in input folders that lead out of them.
    owner : str, optional
        The person whose page the inputs are: an author of every paper read (profile pages
        find their owner themselves; this names it where a page cannot).
    strict : bool
        Any input that fails stops the build before anything is written.
    """

    base: str = DEFAULT_BASE
    topics: str = "auto"
    max_topics: int = 8
    min_topic_papers: int = 1
    aliases: Aliases | None = None
    format: str | None = None
    as_of: datetime.date | None = None
    orgs: tuple[str, ...] = ()
    mapping: tuple[tuple[str, str], ...] = ()
    allow_private: bool = False
    follow_links: bool = False
    owner: str | None = None
    strict: bool = False

    def __post_init__(self) -> None:
        from kg import extractors
        from kg.rdf.iris import IriMinter

        object.__setattr__(self, "topics", self.topics or "none")
        if isinstance(self.as_of, str):
            try:
                object.__setattr__(self, "as_of", datetime.date.fromisoformat(self.as_of))
            except ValueError:
                raise UsageError(
                    f"{{option}} {self.as_of!r} is not a date in YYYY-MM-DD form", option="as_of"
                ) from None
        if self.as_of is not None and not isinstance(self.as_of, datetime.date):
            raise UsageError("{option} must be a date", option="as_of")
        for name in ("max_topics", "min_topic_papers"):
            if isinstance(getattr(self, name), bool) or not isinstance(getattr(self, name), int):
                raise UsageError(f"{{option}} must be a whole number, not {getattr(self, name)!r}", option=name)
        if isinstance(self.orgs, str) or not all(isinstance(org, str) for org in self.orgs):
            raise UsageError("{option} must be a list of organisation names", option="orgs")
        if self.aliases is not None and not isinstance(self.aliases, Aliases):
            raise UsageError("{option} must be an Aliases value (Aliases.load(path))", option="aliases")
        object.__setattr__(self, "orgs", tuple(self.orgs))
        if self.owner is not None and (not isinstance(self.owner, str) or not self.owner.strip()):
            raise UsageError("{option} must be a person's name", option="owner")
        object.__setattr__(self, "mapping", tuple(tuple(pair) for pair in self.mapping))
        try:
            IriMinter(self.base)
        except UsageError as error:
            raise UsageError(str(error), option="base") from None
        if self.topics not in (*TOPIC_METHODS, "none"):
            known = ", ".join((*TOPIC_METHODS, "none"))
            raise UsageError(f"{{option}} must be one of {known}, not {self.topics!r}", option="topics")
        for name in ("max_topics", "min_topic_papers"):
            if getattr(self, name) < 1:
                raise UsageError(f"{{option}} must be at least 1, not {getattr(self, name)}", option=name)
        if self.format is not None:
            extractors.get(self.format)

    def read_options(self) -> dict[str, Any]:
        """The keyword options of :func:`kg.extract.extract_paths` (how inputs are read)."""
        return {name: getattr(self, name) for name in _READ_FIELDS}

    def topic_finder(self) -> TopicFinder | None:
        """The topic finder these options ask for (None for ``topics="none"``)."""
        if self.topics == "none":
            return None
        return TopicFinder(self.topics, max_per_paper=self.max_topics, min_papers=self.min_topic_papers)

    def to_dict(self) -> dict[str, Any]:
        """The options as JSON-ready values (what a store keeps)."""
        out = dataclasses.asdict(self)
        out["aliases"] = self.aliases.to_dict() if self.aliases else None
        out["as_of"] = self.as_of.isoformat() if self.as_of else None
        out["orgs"], out["mapping"] = list(self.orgs), [list(pair) for pair in self.mapping]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BuildOptions:
        """Options from :meth:`to_dict`'s form; keys it does not know are ignored."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if values.get("aliases") is not None:
            values["aliases"] = Aliases.from_dict(values["aliases"], "the store's aliases")
        if values.get("as_of"):
            values["as_of"] = datetime.date.fromisoformat(values["as_of"])
        return cls(**values)


@dataclass(frozen=True)
class Target:
    """Where a build goes: a store folder, a graph file, both, or neither (the graph in memory only).

    Attributes
    ----------
    store : str, optional
        A store folder: new, or one to rebuild.
    output : str, optional
        A graph file.
    replace : bool
        Let the build drop sources an existing store holds that these inputs do not
        include (without it such a build is refused, so a typo cannot empty a store).
    wait_s : float
        How long to wait for another command changing the store.
    """

    store: str | None = None
    output: str | None = None
    replace: bool = False
    wait_s: float = 0.0


@dataclass(frozen=True)
class SourceReport:
    """What one input gave: its format, how many papers, the notes."""

    source: str
    format: str
    papers: int
    notes: tuple[str, ...]


@dataclass
class BuildReport:
    """The graph of a build and everything to tell the user about it.

    Attributes
    ----------
    graph : KnowledgeGraph
        The graph built (empty when nothing was built); a store's graph is opened read-only. A build into an
        N-Quads, N-Triples, Turtle or RDF/XML file alone from more than ``HELD_RECORDS`` records holds no graph
        (the file is the graph, written as its statements are made): this one is then empty, ``statements``
        and ``counts`` say what the file holds.
    sources : list of SourceReport
        What each input that could be read gave, in the order read.
    failures : list of kg.errors.InputError
        The inputs that could not be read.
    skipped : list of str
        Records that became no paper, and why.
    notes : list of str
        Notes about the build as a whole (the topic pipeline used).
    warnings : list of str
        What the user should check: papers whose sources print different titles.
    refused : str, optional
        Why nothing was written, when nothing was.
    written : list of str
        What was written: the graph file, the store folder.
    change : str, optional
        For :func:`add` and :func:`remove`: ``added``, ``replaced``, ``unchanged`` or ``removed``.
    statements : int
        Statements in the graph.
    graph_sources : int
        Sources the graph is built from (for a store: all of its sources, not only those read now).
    counts : dict
        Nodes per class (``kg:Paper``, ``kg:Author``, ...).
    """

    graph: KnowledgeGraph
    sources: list[SourceReport] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: str | None = None
    written: list[str] = field(default_factory=list)
    change: str | None = None
    statements: int = 0
    graph_sources: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def papers_read(self) -> int:
        return sum(source.papers for source in self.sources)

    @property
    def status(self) -> int:
        """The exit status: 0 when every input was read and the graph written, else 1."""
        return 1 if self.failures or self.refused else 0

    def summary(self) -> str:
        """One line: what was written, and the graph's size."""
        counts = self.counts
        cited_only = counts.get(CITED_ONLY, 0)
        papers = f"{counts.get('kg:Paper', 0) - cited_only:,} papers"
        if counts.get("kg:Citation"):
            papers += f" ({counts['kg:Citation']:,} citations, {cited_only:,} cited works outside them)"
        return (
            f"wrote {' and '.join(self.written)}: {self.statements:,} statements; "
            f"{papers}, {counts.get('kg:Author', 0):,} authors, "
            f"{counts.get('kg:Org', 0):,} orgs, {counts.get('kg:Topic', 0):,} topics "
            f"from {self.graph_sources:,} source(s); {len(self.failures):,} failed"
        )


@dataclass
class _Read:
    """One input read: its report and its records (with the content hash a store keeps)."""

    report: SourceReport
    records: tuple[Record, ...]
    sha256: str


def build(
    inputs: Iterable[str],
    options: BuildOptions | None = None,
    target: Target | None = None,
    progress: Progress | None = None,
    dask: str | None = None,
    **option_values: Any,
) -> BuildReport:
    """Read every input (files, folders, URLs, kg JSON Lines) and build one graph into ``target``.

    Inputs that fail are listed in ``failures``; the others still make the
    graph, unless ``options.strict``. A target store is replaced by the graph
    of these inputs alone; a target file is written atomically.

    Parameters
    ----------
    inputs : iterable of str
        What to read.
    options : BuildOptions, optional
        How to read and build (the defaults when None).
    target : Target, optional
        Where the graph goes; in memory only when None.
    progress : callable, optional
        Called as ``progress(stage, done, total)`` while a long step runs: the stage's name
        (``"reading inputs"``, ``"reading stored records"``, ``"storing records"``, ``"finding topics"``,
        ``"resolving authors"``, ``"writing statements"``, ``"loading statements"``, ``"writing OUT"``,
        ``"saving the store"``),
        how many of its items are done, and how many there are (see :mod:`kg.progress`).
    dask : str, optional
        The address of a Dask scheduler (``tcp://HOST:PORT``): input files and the papers' topics are
        read on its cluster (:mod:`kg.cluster`), for the graph a build here gives. Input files must be
        at the same paths on its workers.
    **option_values
        Options by name, over ``options`` (``build(paths, topics="none")``).

    Raises
    ------
    kg.errors.UsageError
        A bad option or target, before any input is read; ``dask`` without the distributed package.
    kg.errors.InputError
        With ``dask``: no scheduler answers there (before any input is read), or the cluster failed
        the build (nothing is written).
    """
    options = dataclasses.replace(options or BuildOptions(), **option_values)
    target = target or Target()
    progress = progress or quiet
    output_format = _check_target(target)
    finder = options.topic_finder()
    if dask is not None:
        from kg.cluster import connect

        with connect(dask) as cluster:
            return _build(inputs, options, target, progress, output_format, finder, cluster)
    return _build(inputs, options, target, progress, output_format, finder)


def _build(
    inputs: Iterable[str],
    options: BuildOptions,
    target: Target,
    progress: Progress,
    output_format,
    finder: TopicFinder | None,
    cluster: Cluster | None = None,
) -> BuildReport:
    report = BuildReport(graph=KnowledgeGraph(base=options.base))
    if cluster is not None:
        report.notes.append(f"{'inputs and topics were' if finder else 'inputs were'} read on the {cluster.describe()}")
    read = _read_inputs(inputs, options, report, progress, cluster)
    if read is None:
        return report
    if target.store:
        folder = StoreFolder(target.store)
        sources = [(_entry(item, options), item.records) for item in read]
        with folder.writing("a build", target.wait_s):
            if folder.state() == "damaged":
                folder.require()  # which of its sources a build would drop cannot be told: say what is damaged
            dropped = [e for e in folder.sources() if not any(_same_source(e, new) for new, _ in sources)]
            if dropped and not target.replace:
                names = ", ".join(entry.name for entry in dropped[:3]) + (", ..." if len(dropped) > 3 else "")
                report.refused = Note(
                    f"{target.store} holds {len(dropped)} source(s) this build would drop "
                    f"(not among its inputs, or unreadable now) ({names}); "
                    "it was not changed ({option} rebuilds it from these inputs alone; "
                    "sources added one by one keep the others)",
                    "replace",
                )
                return report
            _commit(
                folder, options, sources, finder, report, progress, target.output, not target.replace, cluster=cluster
            )
    else:
        records = [record for item in read for record in item.records]
        report.graph_sources = len(read)
        sorted_file = _SortedFile.of(target.output)
        held = sorted_file is None or len(records) <= HELD_RECORDS
        on_disk = sorted_file is None and target.output is not None and len(records) > ON_DISK_RECORDS
        if on_disk:
            report.graph = _scratch_graph(options.base)
        _build_graph(
            report.graph.store if held else None,
            records,
            options,
            finder,
            report,
            progress,
            in_memory=not on_disk,
            cluster=cluster,
            file=sorted_file,
        )
        if sorted_file is not None:
            report.statements, report.counts = sorted_file.save(progress, options.base)
            return _finish(report, target, output_format, progress, saved=True)
    return _finish(report, target, output_format, progress)


def _scratch_graph(base: str) -> KnowledgeGraph:
    """An empty graph in a new folder of the system's temporary files, removed once the graph is gone."""
    import shutil
    import tempfile
    import weakref

    import pyoxigraph

    clear_stale_scratch(tempfile.gettempdir())
    folder = tempfile.mkdtemp(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-")
    try:
        graph = KnowledgeGraph(pyoxigraph.Store(folder), base=base)
    except BaseException:  # Ctrl-C while the database opens, before the finalizer below could own the folder
        shutil.rmtree(folder, ignore_errors=True)
        raise
    weakref.finalize(graph, shutil.rmtree, folder, True)
    return graph


_SCRATCH_PREFIX = "kg-build-"


def clear_stale_scratch(folder: str, min_age_s: float = 600.0) -> list[str]:
    """Remove the scratch stores in ``folder`` whose build is gone (killed with SIGKILL, or the machine stopped):
    a scratch store is named after its process, and one whose process is no longer running, and that nothing
    changed for ``min_age_s``, is nobody's.

    Returns the names removed.

    Examples
    --------
    >>> import tempfile, pathlib, shutil
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("kg-build-999999999-abc", f"kg-build-{os.getpid()}-def", "kg-build-999999999-new"):
    ...     (folder / name).mkdir()
    >>> os.utime(folder / "kg-build-999999999-abc", (0, 0))
    >>> clear_stale_scratch(str(folder))
    ['kg-build-999999999-abc']
    >>> shutil.rmtree(folder)
    """
    import shutil
    import time

    removed: list[str] = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return removed
    for name in names:
        pid = name[len(_SCRATCH_PREFIX) :].split("-", 1)[0]
        if not name.startswith(_SCRATCH_PREFIX) or not pid.isdigit() or _running(int(pid)):
            continue
        path = os.path.join(folder, name)
        try:
            old = time.time() - os.lstat(path).st_mtime >= min_age_s
        except OSError:
            continue
        if old and os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(name)
    return removed


def _running(pid: int) -> bool:
    """Whether a process ``pid`` runs (one of another user counts as running: its folder is not ours to judge)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return pid > 0
    return True


def add(
    store: str,
    source: str,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    wait_s: float = 0.0,
) -> BuildReport:
    """Add ``source`` (a file) to ``store``, or replace it when its content changed; a no-op when it did not.

    The graph is rebuilt from every stored source with the store's own
    options; only how ``source`` is read comes from ``options`` (its format,
    as_of, orgs, mapping). What the last build kept spares work, never changes
    the result: papers whose text it read are not read again, and only the
    statements that changed reach the database (:mod:`kg.rdf.changes`). A file is one source however it is spelled
    (``page.txt``, ``./page.txt``, its absolute path, from any folder).
    ``wait_s`` is how long to wait for another command changing the store.

    Raises
    ------
    kg.errors.UsageError
        ``store`` is not a store.
    kg.errors.StoreBusyError
        Another command is changing the store.
    """
    folder = StoreFolder(store).require()
    progress = progress or quiet
    path = Path(source)
    source = str(path)  # the name extraction gives it ("./a.txt" is "a.txt")
    if not path.is_file():
        report = BuildReport(graph=KnowledgeGraph())
        reason = "no such file or directory" if not path.exists() else "not a regular file (add files one by one)"
        report.failures.append(InputError(source, reason))
        report.refused = f"{store} was not changed"
        return report
    with folder.writing(f"adding {source}", wait_s):
        stored = BuildOptions.from_dict(folder.options())
        read_with = options or BuildOptions()
        options = dataclasses.replace(stored, **{name: getattr(read_with, name) for name in _READ_FIELDS})
        report = BuildReport(graph=KnowledgeGraph(base=stored.base))
        entries = folder.sources()
        previous = folder.find_source(source, entries)
        read_options = {name: value for name, value in options.to_dict().items() if name in _READ_FIELDS}
        if (
            previous is not None
            and previous.sha256 == content_hash(path)
            and previous.read_options == read_options
            and previous.path
        ):
            report.change = "unchanged"
            return report
        read = _read_inputs([source], options, report, progress)
        if read is None:
            report.refused = f"{store} was not changed"
            return report
        new_entry = _entry(read[0], options)
        sources: list[tuple[SourceEntry, Sequence[Record] | None]] = [
            (new_entry, read[0].records) if entry is previous else (entry, None) for entry in entries
        ]
        if previous is None:
            sources.append((new_entry, read[0].records))
        report.change = "replaced" if previous else "added"
        _commit(folder, stored, sources, stored.topic_finder(), report, progress)
    return _finish(report, Target(store=store), None, progress)


def remove(store: str, source: str, progress: Progress | None = None, wait_s: float = 0.0) -> BuildReport:
    """Drop ``source`` from ``store`` and rebuild its graph from the rest, with the store's options.

    ``source`` is matched by its real path (any spelling of the file, even one
    deleted since), else by the name it was added as. A source the store does
    not have is a failure of the report (nothing is changed).

    Raises
    ------
    kg.errors.UsageError
        ``store`` is not a store.
    kg.errors.StoreBusyError
        Another command is changing the store.
    """
    folder = StoreFolder(store).require()
    progress = progress or quiet
    with folder.writing(f"removing {source}", wait_s):
        options = BuildOptions.from_dict(folder.options())
        entries = folder.sources()
        report = BuildReport(graph=KnowledgeGraph(base=options.base))
        found = folder.find_source(source, entries)
        if found is None:
            where = folder.folder / (folder.current_generation() or "") / "sources.json"
            report.failures.append(InputError(str(Path(source)), f"not a source of {store} (see {where})"))
            report.refused = f"{store} was not changed"
            return report
        report.change = "removed"
        kept: list[tuple[SourceEntry, Sequence[Record] | None]] = [(e, None) for e in entries if e is not found]
        _commit(folder, options, kept, options.topic_finder(), report, progress)
    return _finish(report, Target(store=store), None, progress)


def rebuild(store: str, progress: Progress | None = None, wait_s: float = 0.0) -> BuildReport:
    """Build ``store``'s graph again from its stored records, as a new generation (``kg check --repair``).

    Records a store has lost are read again from their file when it still has
    the content they were read from; a source that cannot be had is kept out and
    named in ``failures``.
    """
    folder = StoreFolder(store).require()
    progress = progress or quiet
    with folder.writing("a repair", wait_s):
        options = BuildOptions.from_dict(folder.options())
        report = BuildReport(graph=KnowledgeGraph(base=options.base))
        sources: list[tuple[SourceEntry, Sequence[Record] | None]] = []
        for entry in folder.sources():
            try:
                list(folder.records_of(entry))
                sources.append((entry, None))
                continue
            except InputError as damaged:
                reread = _reread(entry, options)
                if isinstance(reread, InputError):
                    report.failures.append(InputError(entry.name, f"{damaged.reason}; {reread.reason}"))
                    continue
                report.sources.append(reread.report)
                mended = dataclasses.replace(_entry(reread, options), path=entry.path, read_options=entry.read_options)
                sources.append((mended, reread.records))
        report.change = "rebuilt"
        _commit(folder, options, sources, options.topic_finder(), report, progress, repair=True)
    return _finish(report, Target(store=store), None, progress)


def _reread(entry: SourceEntry, options: BuildOptions) -> _Read | InputError:
    """A source read again from its file, if that file still holds what the store read."""
    path = Path(entry.path or entry.name)
    if not path.is_file():
        return InputError(str(path), "its file is gone: remove the source, or add it again")
    if content_hash(path) != entry.sha256:
        return InputError(str(path), "its file changed since: add it again")
    read_with = dataclasses.replace(options, **{k: v for k, v in entry.read_options.items() if k in _READ_FIELDS})
    scratch = BuildReport(graph=KnowledgeGraph())
    read = _read_inputs([str(path)], read_with, scratch, quiet)
    if read is None:
        return scratch.failures[0] if scratch.failures else InputError(str(path), "could not be read again")
    # Read by its real path, named as it was added: the graph is the one the store held before.
    renamed = tuple(
        dataclasses.replace(r, source=dataclasses.replace(r.source, path=entry.name))
        if r.source and r.source.path == str(path)
        else r
        for r in read[0].records
    )
    report = dataclasses.replace(read[0].report, source=entry.name)
    return _Read(report, renamed, read[0].sha256)


def _same_source(stored: SourceEntry, new: SourceEntry) -> bool:
    """Whether a stored source and a new one are one source (one file, however spelled; one URL)."""
    if stored.path and new.path:
        return stored.path == new.path
    return stored.name == new.name or (bool(new.path) and os.path.realpath(stored.name) == new.path)


def _check_target(target: Target):
    from kg.rdf.formats import check_graph_output

    output_format = None
    if target.output == STDOUT:
        from kg.rdf.formats import BY_EXTENSION

        output_format = BY_EXTENSION[".ttl"]  # standard output: Turtle, what people and most tools read
    elif target.output:
        output_format = check_graph_output(target.output)
    if target.store:
        StoreFolder(target.store).check_new()
    return output_format


def _read_inputs(
    inputs: Iterable[str],
    options: BuildOptions,
    report: BuildReport,
    progress: Progress,
    cluster: Cluster | None = None,
):
    """Every input read (files by ``cluster``'s workers, when given), or None (with ``report.refused`` set) when
    nothing may be written."""
    from kg.io.http import is_url
    from kg.io.inputs import STDIN, iter_input_paths

    inputs = list(inputs)
    local = [name for name in inputs if not is_url(name) and name != STDIN]
    # Each URL, standard input, and file a folder holds (or bad name) gives one item.
    count = len(inputs) - len(local) + sum(1 for _ in iter_input_paths(local, options.follow_links))
    tally = Tally(progress, "reading inputs", count)
    read: list[_Read] = []
    extract = extract_paths if cluster is None else cluster.extract_paths
    for item in tally.over(extract(inputs, **options.read_options())):
        if isinstance(item, InputError):
            report.failures.append(item)
            continue
        kept = tuple(record for record in item.records if is_paper(record))
        for record in item.records:
            if not is_paper(record) and record.source:
                report.skipped.append(f"{record.source.path}:{record.source.line}: no title and no abstract")
        source = SourceReport(item.source, item.format, len(kept), item.notes)
        report.sources.append(source)
        path = Path(item.source)
        local = not is_url(item.source) and path.is_file()
        digest = content_hash(path) if local else _text_hash(item.source)
        read.append(_Read(source, item.records, digest))
    if report.failures and not read:
        report.refused = "no input could be read; nothing was written"
    elif report.failures and options.strict:
        report.refused = Note(f"{{option}}: {len(report.failures)} input(s) failed; nothing was written", "strict")
    return None if report.refused else read


def _text_hash(text: str) -> str:
    """The content hash of an input that is no file (a URL): its name's."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _entry(item: _Read, options: BuildOptions) -> SourceEntry:
    from kg.io.http import is_url

    read_options = {name: value for name, value in options.to_dict().items() if name in _READ_FIELDS}
    name = item.report.source
    real = "" if is_url(name) else os.path.realpath(name)
    return SourceEntry(name, item.sha256, item.report.format, "", item.report.papers, read_options, real)


def _commit(
    folder: StoreFolder,
    options: BuildOptions,
    sources: list[tuple[SourceEntry, Sequence[Record] | None]],
    finder: TopicFinder | None,
    report: BuildReport,
    progress: Progress,
    output: str | None = None,
    keep_server_writes: bool = True,
    repair: bool = False,
    cluster: Cluster | None = None,
) -> None:
    records: list[Record] = []
    # Each record's digest as the store keeps it: what a source's graph's fingerprint notes of the record.
    digests: list[bytes] = []
    stored = [entry for entry, new in sources if new is None]
    tally = Tally(progress, "reading stored records", sum(entry.papers for entry in stored)) if stored else None
    with collector_paused():  # records form no cycles: the collector would rescan them (kg.io.memory)
        for entry, new in sources:
            if new is not None:
                records.extend(new)
                digests.extend(_line_digest(record_json(record) + "\n") for record in new)
                continue
            for record, line in folder.stored_records_of(entry):
                records.append(record)
                digests.append(_line_digest(line))
                tally.advance()
    if tally is not None:
        tally.finish()

    def write(database, start: GenerationStart) -> None:
        sorted_file = _SortedFile.of(output)
        _build_graph(database, records, options, finder, report, progress, False, cluster, start, sorted_file, digests)
        # The file is written before the store changes: a bad output changes neither.
        if sorted_file is not None:
            sorted_file.save(progress, options.base)
        elif output is not None:
            _save(KnowledgeGraph(database, base=options.base), output, progress)

    report.statements, replay_notes = folder.commit(
        options.to_dict(), sources, write, keep_server_writes, repair, progress, from_previous=_digests_kept(folder)
    )
    report.warnings.extend(replay_notes)
    report.graph_sources = len(sources)
    report.graph = folder.open_graph()
    report.written.append(f"the store {folder.folder}")


def _line_digest(line: str) -> bytes:
    """A record's digest as the store keeps it, from its line (BLAKE2b: a source is hostile)."""
    return hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _build_graph(
    database,
    records: Sequence[Record],
    options: BuildOptions,
    finder: TopicFinder | None,
    report: BuildReport,
    progress: Progress,
    in_memory: bool,
    cluster: Cluster | None = None,
    start: GenerationStart | None = None,
    file: _SortedFile | None = None,
    record_digests: Sequence[bytes] | None = None,
) -> None:
    """Resolve ``records``, read their papers' topics meanwhile, and write the statements into ``database``.

    With a ``cluster``, its workers read the topics. With ``start`` (a store's new generation), papers whose
    text the last build read are not read again, and a database that starts as a copy of the last one gets
    only the statements that changed (:mod:`kg.rdf.changes`). With ``file``, the statements go there too,
    or only there when ``database`` is None. ``record_digests`` (each record's digest as the store keeps it)
    stand for the records in the fingerprints of a store's source graphs and in its kept clusterings' digests.
    """
    from kg.rdf.writer import load_statements, stream_statements
    from kg.resolve import resolve_rest
    from kg.resolve.clusterings import KeptClusterings
    from kg.resolve.papers import resolve_papers

    # Millions of small objects that form no cycles (kg.io.memory): a third of reading and grouping the records
    # at 100,000 papers went to the collector rescanning them.
    with collector_paused():
        # Groups printed among the authors (consortia, teams) are no people: the graph ties their papers to them.
        chosen = [is_paper(record) for record in records]
        papers_of = [groups_apart(record) for record, paper in zip(records, chosen, strict=True) if paper]
        if record_digests is not None:
            record_digests = [digest for digest, paper in zip(record_digests, chosen, strict=True) if paper]
        papers, paper_of = resolve_papers(papers_of)
        # Topics are read in worker processes while this one resolves authors and writes statements.
        pending = readings = None
        if finder and papers:
            texts = [(paper.title, paper.abstract) for paper in papers]
            if start is not None:
                readings = KeptReadings(start.previous.read(finder.reading_kind) if start.previous else None)
            if cluster is None:
                pending = finder.start(texts, progress, readings, alongside=True)
            else:
                pending = cluster.start_topics(finder, texts, progress, readings)
        clusterings = None
        if start is not None:
            clusterings = KeptClusterings(
                start.previous.read(AUTHOR_CLUSTERINGS) if start.previous else None, record_digests
            )
        try:
            # A second process clusters part of the name blocks, unless topic workers already use the other cores
            # (or a cluster's client threads run here: no fork then).
            apart = cluster is None and (pending is None or not pending.in_workers)
            resolution = resolve_rest(papers_of, papers, paper_of, options.aliases, progress, clusterings, apart)
            if clusterings is not None:
                start.kept.save(AUTHOR_CLUSTERINGS, clusterings.kept_parts())
                if clusterings.reused:
                    report.notes.append(
                        f"authors: {clusterings.clustered:,} of {clusterings.clustered + clusterings.reused:,} "
                        "groups of similar names (a family name and first initial, with those their people share) "
                        "resolved again; the others as the last build resolved them"
                    )
                clusterings = None  # dropped before the statements are written: hundreds of MB at a million papers
            report.warnings.extend(_title_disagreements(papers_of, papers))
            report.notes.extend(_repeated_within_sources(papers_of, papers))
            report.notes.extend(_collective_authors(papers_of))
            if database is None:
                stream_statements(resolution, options.base, pending, file.take, progress=progress, apart=file.apart)
            elif start is None:
                take = None if file is None else file.take
                load_statements(database, resolution, options.base, pending, in_memory=in_memory,
                                progress=progress, also=take)  # fmt: skip
            else:
                _store_statements(
                    database, resolution, options.base, pending, start, report, progress, file, record_digests
                )
        except BaseException:
            if pending is not None:  # interrupted or failed: the topics not yet read are not waited for
                pending.cancel()
            raise
        if finder is not None:
            reused = ""
            if pending is not None and readings is not None and pending.read_again < len(papers):
                reused = f"; {len(papers) - pending.read_again:,} of {len(papers):,} papers as the last build read them"
            report.notes.append(f"topics: {finder.method} with {finder.pipeline}{reused}")
        if pending is not None and start is not None:
            lines = pending.kept_parts()
            if lines is not None:
                start.kept.save(finder.reading_kind, lines)


def _digests_kept(folder: StoreFolder) -> bool:
    """Whether the store's current generation kept its statement digests (its next build may change a copy of
    its database instead of loading every statement)."""
    kept = folder.kept()
    return kept is not None and kept.has(STATEMENT_DIGESTS)


def _store_statements(
    database,
    resolution,
    base: str,
    topics,
    start: GenerationStart,
    report: BuildReport,
    progress: Progress,
    file: _SortedFile | None = None,
    record_digests: Sequence[bytes] | None = None,
) -> None:
    """The statements into a store's new generation: only what changed when its database is a copy of the last
    one and the digests the last build kept are whole, else all; the digests (and the sources' graphs'
    fingerprints) kept for the next build. With ``file``, every statement goes there too."""
    from kg.rdf.changes import KeptDigests, StatementDigests
    from kg.rdf.writer import SourceGraphs, load_statements, update_statements

    take = None if file is None else file.take
    previous = None
    if start.copied and start.previous is not None:
        try:
            previous = KeptDigests(start.previous.read(STATEMENT_DIGESTS) or b"")
        except ValueError:
            previous = None
    # A graph the last build wrote the same is not written again, unless a file needs every statement.
    kept_graphs = start.previous.read(SOURCE_GRAPHS) if previous is not None and start.previous else None
    graphs = SourceGraphs.read(kept_graphs, record_digests) if file is None else None
    if previous is None:
        if start.copied:
            database.clear()  # a copy whose statements cannot be told apart: loaded again whole
        digests = StatementDigests()
        load_statements(database, resolution, base, topics, in_memory=False, progress=progress, digests=digests,
                        also=take, graphs=graphs)  # fmt: skip
    else:
        digests = StatementDigests(spill=start.folder, seed=previous.seed)
        changed = update_statements(database, resolution, base, topics, previous, digests, progress=progress,
                                    also=take, graphs=graphs)  # fmt: skip
        database.flush()  # the deletions are in memory until then
        if changed["statements deleted"] >= 0:
            same = ""
            if changed["graphs kept"]:
                same = f"; {changed['graphs kept']:,} of {len(graphs.fingerprints):,} sources' graphs not written again"
            if graphs is not None:
                parts_said = {"resolution": "the merges and splits of {} of the {} people who have any",
                              "topics": "the topic lists and labels of {} of {} papers and topics"}  # fmt: skip
                for graph, what in parts_said.items():
                    kept, parts = graphs.parts_kept[f"{base}graph/{graph}"], graphs.parts_of[f"{base}graph/{graph}"]
                    if kept:
                        same += f"; {what.format(f'{kept:,}', f'{parts:,}')} as the last build wrote them"
            report.notes.append(
                f"the store: the statements of {changed['groups rewritten']:,} subject(s) written again and those "
                f"of {changed['groups deleted']:,} removed; the others as the last build left them{same}"
            )
    start.kept.save(STATEMENT_DIGESTS, digests.kept_parts())
    if graphs is not None:
        start.kept.save(SOURCE_GRAPHS, graphs.kept_lines())


class _SortedFile:
    """The graph file a build streams its statements into (:mod:`kg.rdf.sorted_nquads`), spilled beside it;
    a failure to write it names the file."""

    def __init__(self, output: str, rdf_format) -> None:
        from kg.rdf.sorted_nquads import SortedNQuads

        self.output = output
        self.rdf_format = rdf_format
        self.lines = SortedNQuads(spill=os.path.dirname(os.path.abspath(output)))

    @classmethod
    def of(cls, output: str | None) -> _SortedFile | None:
        """The sorted file for ``output`` when its format is written from sorted lines, else None (from a
        database: TriG, JSON-LD, and Turtle on standard output)."""
        from kg.rdf.formats import rdf_format_for
        from kg.rdf.sorted_nquads import STREAMED

        rdf_format = None if output is None or output == STDOUT else rdf_format_for(output)
        return cls(output, rdf_format) if rdf_format is not None and rdf_format.name in STREAMED else None

    def take(self, chunk: dict[str, str]) -> None:
        try:
            self.lines.take(chunk)
        except OSError as error:
            raise InputError(self.output, f"cannot be written ({error.strerror or error})") from None

    def apart(self, write) -> _LinesApart:
        """Lines written by ``write(take)`` in another process (:meth:`kg.rdf.sorted_nquads.SortedNQuads.apart`)."""
        return _LinesApart(self.output, self.lines.apart(write))

    def save(self, progress: Progress, base: str) -> tuple[int, dict[str, int]]:
        """Write the file (Turtle with the prefixes of ``base``); its statements and nodes per class (as
        :meth:`KnowledgeGraph.class_counts` gives them)."""
        from kg.graph import class_counts_of, output_prefixes
        from kg.io.outputs import atomic_write

        tally = Tally(progress, f"writing {self.output}", self.lines.taken)
        try:
            # The merge makes millions of short-lived lines beside the build's records: the collector would
            # rescan those (kg.io.memory).
            with collector_paused(), atomic_write(self.output) as handle:
                prefixes = output_prefixes(base) if self.rdf_format.name == "Turtle" else None
                statements = self.lines.write(handle, self.rdf_format, prefixes, tally.advance)
        except OSError as error:
            raise InputError(self.output, f"cannot be written ({error.strerror or error})") from None
        tally.finish()
        return statements, class_counts_of(self.lines.classes, self.lines.cited_only)


class _LinesApart:
    """A file's lines written in another process; a failure to write them names the file."""

    def __init__(self, output: str, apart) -> None:
        self.output = output
        self.apart = apart

    def join(self) -> None:
        try:
            self.apart.join()
        except OSError as error:
            raise InputError(self.output, f"cannot be written ({error.strerror or error})") from None

    def cancel(self) -> None:
        self.apart.cancel()


def _save(graph: KnowledgeGraph, output: str, progress: Progress) -> None:
    import sys

    from kg.io.outputs import atomic_write
    from kg.rdf.formats import BY_EXTENSION, rdf_format_for

    rdf_format = BY_EXTENSION[".ttl"] if output == STDOUT else rdf_format_for(output)
    shown = "standard output" if output == STDOUT else output
    tally = Tally(progress, f"writing {shown}", len(graph))
    if output == STDOUT:
        graph.write(_Counted(sys.stdout.buffer, tally, rdf_format.name), rdf_format)
        sys.stdout.buffer.flush()
        tally.finish()
        return
    try:
        with atomic_write(output) as handle:
            graph.write(_Counted(handle, tally, rdf_format.name), rdf_format)
    except OSError as error:
        raise InputError(output, f"cannot be written ({error.strerror or error})") from None
    tally.finish()


class _Counted:
    """A binary file that counts the statements written through it, about: lines, or bytes where lines say nothing."""

    # Bytes a statement takes, about, in the formats that do not write one a line (measured on a build's graph).
    _BYTES_PER_STATEMENT: ClassVar[dict[str, int]] = {"JSON-LD": 130, "RDF/XML": 150}

    def __init__(self, handle, tally: Tally, format_name: str) -> None:
        self._handle = handle
        self._tally = tally
        self._size = self._BYTES_PER_STATEMENT.get(format_name)
        self._bytes = 0

    def write(self, data: bytes) -> int:
        if self._size is None:
            self._tally.advance(data.count(b"\n"))
        else:
            self._bytes += len(data)
            self._tally.advance(self._bytes // self._size - self._tally.done)
        return self._handle.write(data)

    def flush(self) -> None:
        self._handle.flush()


def _repeated_within_sources(records: Sequence[Record], papers) -> list[str]:
    """One note per source that gives one paper in several records (an export holding a DOI twice): its count of
    records beyond the first of each paper, which are no paper of their own.

    Examples
    --------
    >>> from kg.records import SourceRef
    >>> from kg.resolve.papers import resolve_papers
    >>> records = [Record(title=t, ids=i, source=SourceRef("x.ris", n, "ris")) for n, (t, i) in
    ...            enumerate([("A", {"doi": "10.1/a"}), ("B", {}), ("A again", {"doi": "10.1/A"})], start=1)]
    >>> [note.split("; ")[0] for note in _repeated_within_sources(records, resolve_papers(records)[0])]
    ['x.ris: 1 record(s) repeat a paper given earlier in the file (same DOI, arXiv id, title or abstract)']
    """
    repeated: Counter[str] = Counter()
    for paper in papers:
        per_source = Counter(records[index].source.path for index in paper.records if records[index].source)
        for path, count in per_source.items():
            repeated[path] += count - 1
    return [
        f"{path}: {count:,} record(s) repeat a paper given earlier in the file (same DOI, arXiv id, title or "
        "abstract); each paper is one node"
        for path, count in sorted(repeated.items())
        if count
    ]


def _collective_authors(records: Sequence[Record]) -> list[str]:
    """A note naming the groups printed among the authors of ``records`` (as :func:`groups_apart` gives them), which
    are no people.

    Examples
    --------
    >>> from kg.records import AuthorRef
    >>> record = Record(title="T", authors=(AuthorRef("Ann Lee"), AuthorRef("GIANT Consortium")))
    >>> _collective_authors([groups_apart(record)])
    ["1 group(s) printed among the authors of 1 record(s) ('GIANT Consortium') are no people: each paper is tied \
to its group as an org"]
    """
    groups: Counter[str] = Counter()
    records_with = 0
    for record in records:
        named = record.extra.get(COLLECTIVE_AUTHORS)
        if isinstance(named, list) and named:
            records_with += 1
            groups.update(str(name) for name in named)
    if not groups:
        return []
    shown = ", ".join(f"'{name}'" for name, _ in groups.most_common(3)) + (", ..." if len(groups) > 3 else "")
    return [
        f"{len(groups):,} group(s) printed among the authors of {records_with:,} record(s) ({shown}) are no people: "
        "each paper is tied to its group as an org"
    ]


def _title_disagreements(records: Sequence[Record], papers) -> list[str]:
    """One warning per paper whose sources print titles in other words: which one was kept, which are variants."""

    def where(index: int) -> str:
        source = records[index].source
        return f"{source.path}:{source.line}" if source else "a record"

    warnings = []
    for paper in papers:
        if not paper.disagrees():
            continue
        variants = "; ".join(f"{title!r} ({where(index)})" for title, index in paper.title_variants)
        warnings.append(
            f"one paper ({paper.identity}), titles disagree: kept {paper.title!r} "
            f"({where(paper.chosen_from['title'])}), "
            f"the other kept as kg:alternativeTitle: {variants}"
        )
    return warnings


def _finish(report: BuildReport, target: Target, output_format, progress: Progress, saved: bool = False) -> BuildReport:
    """The report once the graph is built: its file written (unless ``saved`` already, with the counts)."""
    if target.output:
        if not target.store and not saved:
            _save(report.graph, target.output, progress)
        shown = "standard output" if target.output == STDOUT else target.output
        report.written.insert(0, f"{shown} ({output_format.name})")
    if saved:
        return report
    if not target.store:
        report.statements = len(report.graph)
    report.counts = report.graph.class_counts()
    return report
