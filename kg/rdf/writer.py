"""The RDF writer: a :class:`kg.resolve.Resolution` (and the papers' topics) mapped to statements.

The writer decides nothing: which records are one paper, which names one
person, and which title, date or year a paper takes were all decided by
:mod:`kg.resolve`. It only maps those values to statements, with provenance:

- every statement a source supports is put in that source's named graph (the
  graph's IRI is the source's IRI), and every paper and authorship node points
  with prov:wasDerivedFrom at the source line it was read from. A merged node
  is described in the graph of every source that mentions it;
- a paper's chosen values (title, abstract, date, year, venue, ...) are
  written once each, in the graph of the source they were chosen from; an
  author's and an org's chosen name is its ``skos:prefLabel`` (every printed
  name stays a ``kg:name``);
- topics found in text go to ``<base>graph/topics``, author merges with their
  evidence to ``<base>graph/resolution``, and materialised paper counts to
  ``<base>graph/counts``;
- what a source itself says a paper is about stays in that source's graph: its
  category codes and its subjects (MeSH, OpenAlex, MSC, ACM CCS, ...: SKOS concepts of
  ``<base>scheme/<scheme>``, with their broader concepts), and its keywords, which are
  topics of kg's own scheme with a ``kg:TopicAssignment`` of method "keyword" (or
  "ai-keyword") derived from the source line. A keyword that is also a topic found in
  the paper's text is one topic and one assignment, with both methods
  (:mod:`kg.topics.schemes`).

Examples
--------
>>> from kg.records import AuthorRef, Record, SourceRef
>>> record = Record(title="Universal Transformers", authors=(AuthorRef("Mostafa Dehghani"),),
...                 date="2018-07-10", source=SourceRef("page.txt", 3, "hf-papers"))
>>> quads = build_quads([record], base="https://example.org/")
>>> sorted({q.subject.value for q in quads if "author/" in q.subject.value})
['https://example.org/author/mostafa-dehghani']
"""

from __future__ import annotations

import functools
import hashlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from kg.io.version import code_version
from kg.namespace import DEFAULT_BASE, KG, PROV_DERIVED_FROM, RDF_TYPE, RDFS_LABEL, SKOS
from kg.progress import Progress, Tally
from kg.rdf.changes import KeptDigests, StatementDigests
from kg.rdf.iris import IriMinter, short_hash
from kg.rdf.nquads import QuadSink
from kg.records import Record, SourceRef
from kg.resolve import Resolution, resolve
from kg.resolve.aliases import Aliases
from kg.resolve.keys import normalise_arxiv_id, normalise_doi
from kg.resolve.orgs import ror_of
from kg.resolve.people import Merge
from kg.text import slug
from kg.topics.categories import resolve_category
from kg.topics.categories import scheme as category_scheme
from kg.topics.finder import TopicHit
from kg.topics.schemes import (
    KeywordTopic,
    ancestors,
    concept_name,
    keyword_label,
    keyword_topics,
    scheme_label,
    subjects_of,
)

if TYPE_CHECKING:
    from kg.io.workers import Claims

_DATE_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}
# What a build hands the writer for topics: each paper's hits, or a pending result (read in workers).
Topics = Sequence[Sequence[TopicHit]] | Any
TopicReader = Callable[[list[tuple[str | None, str | None]]], Any]
# The name of kg's own topic scheme: topics found in text and the sources' keywords.
TOPIC_SCHEME_LABEL = "Topics found by kg in titles and abstracts, and the sources' own keywords"
# A stream of at least this many records is written by two processes (stream_statements' ``apart``). Below
# it, forking costs more than it saves.
APART_MIN_RECORDS = 20_000


def build_quads(
    records: Sequence[Record],
    base: str = DEFAULT_BASE,
    topics: TopicReader | None = None,
    aliases: Aliases | None = None,
) -> list:
    """All quads of the graph of ``records`` as pyoxigraph Quads (see :func:`build_nquads`)."""
    import pyoxigraph

    data = "\n".join(build_nquads(records, base, topics, aliases)).encode("utf-8")
    return list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS))


def build_nquads(
    records: Sequence[Record],
    base: str = DEFAULT_BASE,
    topics: TopicReader | None = None,
    aliases: Aliases | None = None,
) -> list[str]:
    """All statements of the graph of ``records`` as sorted, distinct N-Quads lines.

    Resolves the records and reads their topics with ``topics`` (given each
    paper's (title, abstract), returns its hits), all in memory: a build
    streams statements into a store with :func:`load_statements` instead.
    """
    IriMinter(base)  # a bad base is an error before any work
    resolution = resolve(records, aliases)
    hits = topics([(paper.title, paper.abstract) for paper in resolution.papers]) if topics else None
    sink = QuadSink()
    write_statements(sink, resolution, base, hits)
    return sorted(sink.lines)


def load_statements(
    store: Any,
    resolution: Resolution,
    base: str = DEFAULT_BASE,
    topics: Topics | None = None,
    chunk: int = 250_000,
    in_memory: bool = True,
    progress: Progress | None = None,
    digests: StatementDigests | None = None,
    also: Callable[[dict[str, str]], None] | None = None,
    graphs: SourceGraphs | None = None,
) -> dict[str, int]:
    """Write the statements of ``resolution`` into a pyoxigraph ``store``, a chunk of lines at a time.

    Memory stays bounded by ``chunk`` lines, not by the size of the graph; the
    store drops the statements that repeat across chunks. Chunks are loaded by
    a thread, in order, while this one writes the next (Oxigraph releases the
    GIL while it loads). ``in_memory`` picks Oxigraph's transactional load,
    faster for a store in memory; a store on disk gets its bulk loader.

    Parameters
    ----------
    store : pyoxigraph.Store
        Where the statements go (in memory or on disk).
    resolution : kg.resolve.Resolution
        The resolved records.
    base : str
        Base IRI of every minted node (ends in ``/`` or ``#``).
    topics : sequence of hit lists, or an object with ``result()``, optional
        Each paper's topics found in text, in the order of
        ``resolution.papers``; a pending result (read in worker processes
        while the rest is written) is waited for only when they are written.
    chunk : int
        Lines handed to the store at a time.
    in_memory : bool
        Whether ``store`` is in memory.
    progress : callable, optional
        Told how far the stages ``"writing statements"`` (records and papers written) and
        ``"loading statements"`` (statements loaded while none are left to write) are
        (see :mod:`kg.progress`).
    digests : kg.rdf.changes.StatementDigests, optional
        Gathers the digests of what is written, for the next build of a store (:func:`update_statements`).
    also : callable, optional
        Handed each chunk's lines too (line -> its subject), before the store loads them (a file's
        :class:`kg.rdf.sorted_nquads.SortedNQuads`).
    graphs : SourceGraphs, optional
        Gathers each source graph's fingerprint, for the next build of a store (:func:`update_statements`).

    Returns
    -------
    dict
        What the sources' own topics gave (see :func:`write_statements`).
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    import pyoxigraph

    load = store.load if in_memory else store.bulk_load
    pending: list[tuple[Future, int]] = []
    handed = 0

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-load") as loader:

        def hand_on(lines: dict[str, str]) -> None:
            nonlocal handed
            if also is not None:
                also(lines)
            # Lines one by one: joined as text, one wide character (a dash, a CJK name) would make every
            # character of the chunk take 2 or 4 bytes before it was encoded.
            data = digests.take(lines) if digests is not None else b"\n".join([line.encode("utf-8") for line in lines])
            while pending:  # one chunk loads while the next is written: memory stays bounded by two
                pending.pop(0)[0].result()
            pending.append((loader.submit(load, data, format=pyoxigraph.RdfFormat.N_QUADS), len(lines)))
            handed += len(lines)

        sink = QuadSink(flush=hand_on, chunk=chunk)
        summary = write_statements(sink, resolution, base, topics, progress, graphs)
        sink.flush()
        tally = Tally(progress, "loading statements", handed)
        tally.advance(handed - sum(lines for _, lines in pending))
        for future, lines in pending:
            future.result()
            tally.advance(lines)
        tally.finish()
    return summary


def stream_statements(
    resolution: Resolution,
    base: str,
    topics: Topics | None,
    take: Callable[[dict[str, str]], None],
    chunk: int = 250_000,
    progress: Progress | None = None,
    apart: Callable[[Callable[[Callable[[Iterable[str]], None]], None]], Any] | None = None,
) -> dict[str, int]:
    """Hand the statements of ``resolution`` to ``take`` a chunk of lines at a time (line -> its subject), with
    no store: a line may repeat a line of an earlier chunk. Returns what :func:`write_statements` returns.

    With ``apart`` (:meth:`kg.rdf.sorted_nquads.SortedNQuads.apart`: it runs ``write(take)`` in a forked
    process and returns what is joined or cancelled), a stream of at least :data:`APART_MIN_RECORDS` records
    is written by two processes at once: the other one writes the merges of author resolution, this one the
    topics, keywords and counts, and each then the records' own statements, from either end, until they
    meet. The other process's lines do not pass through ``take``: they reach what ``apart`` belongs to,
    which must hold the same lines either way (a set of distinct lines, such as a sorted file).

    Examples
    --------
    >>> from kg.records import AuthorRef, Record
    >>> chunks = []
    >>> _ = stream_statements(resolve([Record(title="T", authors=(AuthorRef("A B"),))]), DEFAULT_BASE, None,
    ...                       chunks.append)
    >>> len(chunks), any("/author/a-b>" in line for line in chunks[0])
    (1, True)
    """
    sink = QuadSink(flush=take, chunk=chunk)
    summary = write_statements(sink, resolution, base, topics, progress, apart=apart)
    sink.flush()
    return summary


def update_statements(
    store: Any,
    resolution: Resolution,
    base: str,
    topics: Topics | None,
    previous: KeptDigests,
    digests: StatementDigests,
    chunk: int = 250_000,
    progress: Progress | None = None,
    also: Callable[[dict[str, str]], None] | None = None,
    graphs: SourceGraphs | None = None,
) -> dict[str, int]:
    """Make ``store``, which holds the statements a build described by ``previous`` wrote, hold those of
    ``resolution``: the statements are written again as text, and only the groups that changed reach the store
    (:mod:`kg.rdf.changes`). ``digests`` (made with a spill folder) gathers this build's digests; ``also`` is
    handed every chunk of lines too (see :func:`load_statements`).

    With ``graphs`` (the source graphs' fingerprints the same build kept with ``previous``), the sources'
    graphs whose fingerprint did not change are not written at all: their groups are carried from
    ``previous`` and the store keeps their statements (``also`` then misses them).

    Returns what :func:`write_statements` returns, with what changed in the store added (and ``"graphs
    kept"``, the sources' graphs not written; ``graphs`` says which parts of the whole build's graphs were not:
    :meth:`SourceGraphs.keep_part`).
    """

    def take(lines: dict[str, str]) -> None:
        if also is not None:
            also(lines)
        digests.take(lines)

    sink = QuadSink(flush=take, chunk=chunk)
    summary = write_statements(sink, resolution, base, topics, progress, graphs)
    sink.flush()
    tally = Tally(progress, "loading statements", None)
    kept = len(graphs.kept) if graphs is not None else 0
    if graphs is not None:
        digests.carry(previous, graphs.kept, graphs.kept_subjects)
        graphs.kept_subjects = []  # millions of names at a million papers, not held while the store changes
    changed = digests.apply(store, previous)
    tally.finish()
    return {**summary, **changed, "graphs kept": kept}


class _Counts:
    """Distinct papers per author, org and topic, and per topic and year, gathered while statements are written."""

    def __init__(self) -> None:
        self.papers: defaultdict[str, set[str]] = defaultdict(set)
        self.year_of: dict[str, int] = {}
        self.kind: dict[str, str] = {}

    def add(self, node: str, paper: str, kind: str) -> None:
        """Count ``paper`` for ``node``, an "author", "org" or "topic" (or the citing ``paper`` of a "citation")."""
        self.papers[node].add(paper)
        self.kind[node] = kind

    def describe(self, sink: QuadSink, base: str) -> None:
        """The named graph ``<base>graph/counts``: a paper count on every counted node, and topic years."""
        sink.set_graph(f"{base}graph/counts")
        predicates = {"author": KG.authorPaperCount, "org": KG.orgPaperCount, "topic": KG.topicPaperCount,
                      "citation": KG.citationCount}  # fmt: skip
        for node, papers in self.papers.items():
            sink.value(node, predicates[self.kind[node]], len(papers))
            if self.kind[node] != "topic":
                continue
            years = Counter(self.year_of[paper] for paper in papers if paper in self.year_of)
            for year, count in sorted(years.items()):
                cell = f"{node}/year/{year}"
                sink.link(cell, RDF_TYPE, KG.TopicYear)
                sink.link(cell, KG.countsTopic, node)
                sink.value(cell, KG.year, year)
                sink.value(cell, KG.paperCount, count)


class SourceGraphs:
    """Which source graphs a store's build writes again: a fingerprint of everything each one's statements are
    made from, compared with the last build's.

    A source's graph holds only what its records say, as resolution left them: the record itself, its paper's
    IRI and the values chosen from it, the IRI and chosen name of each of its authors, the org each printed org
    name is, the concepts and labels of its subjects and keywords, and its citations (:class:`_RecordFacts`).
    Those, with kg's own code and data (:func:`kg.io.version.code_version`), are its fingerprint: a graph whose
    fingerprint the last build kept is left as that build wrote it, and its statements are not written again.

    The graphs of the whole build are written again, but not all of them: a part of one whose statements are
    made from something alone (a person's merges and splits in the resolution graph, a paper's topics and a
    topic's labels in the topics graph) has a fingerprint too (:meth:`keep_part`), and a part the last build
    wrote the same is not written: its subjects' statements are left as they are (:attr:`kept_subjects`). A
    subject two parts would share (two papers or people minted one IRI) is never kept (:attr:`shared`).

    Examples
    --------
    >>> graphs = SourceGraphs({"https://example.org/source/a": "f1"})
    >>> graphs.keep("https://example.org/source/a", "f1"), graphs.keep("https://example.org/source/b", "f2")
    (True, False)
    >>> sorted(graphs.kept), graphs.fingerprints["https://example.org/source/b"]
    (['https://example.org/source/a'], 'f2')
    >>> first = SourceGraphs()
    >>> first.keep_part("https://example.org/graph/g", "person/1", ("merges",), ["https://example.org/m/1"])
    False
    >>> later = SourceGraphs.read(b"".join(first.kept_lines()))
    >>> later.keep_part("https://example.org/graph/g", "person/1", ("merges",), ["https://example.org/m/1"])
    True
    >>> later.kept_subjects
    [('https://example.org/m/1', 'https://example.org/graph/g')]
    """

    def __init__(
        self,
        previous: dict[str, str] | None = None,
        previous_parts: Iterable[str] = (),
        record_digests: Sequence[bytes] | None = None,
    ) -> None:
        self.previous = previous or {}
        # Each record's digest as the store keeps it (its line), by its place in the resolution's records: noted
        # for the record instead of its repr, which costs more than its facts.
        self.record_digests = record_digests
        self.fingerprints: dict[str, str] = {}
        self.kept: set[str] = set()
        self.previous_parts = set(previous_parts)
        self.parts: set[str] = set()  # the fingerprints of the parts of whole-build graphs written or kept
        self.kept_subjects: list[tuple[str, str]] = []  # (subject, graph) of the parts kept, not written
        self.parts_of: Counter[str] = Counter()  # graph -> its parts
        self.parts_kept: Counter[str] = Counter()  # graph -> its parts kept
        # Subjects of two parts (a carried group and written lines would be summed into one, wrongly): the
        # writer names them before it writes.
        self.shared: set[str] = set()
        self.version = code_version()  # taken when the build starts, before any kg file could change
        # graph -> the digests of its records, of its keywords and of its citations (BLAKE2b: a source is
        # hostile, and a crafted collision here would keep a changed graph as it was)
        self._digests: dict[str, tuple[Any, Any, Any]] = {}

    def _of(self, graph: str) -> tuple[Any, Any, Any]:
        digests = self._digests.get(graph)
        if digests is None:
            digests = self._digests[graph] = tuple(hashlib.blake2b(digest_size=16) for _ in range(3))
        return digests

    def note_record(self, graph: str, index: int, record: Record, facts: _RecordFacts) -> None:
        """Add record ``index`` of ``graph`` (by its digest as stored, when known) and what resolution decided for
        it to the graph's fingerprint."""
        part = self._of(graph)[0]
        if self.record_digests is None:
            part.update(repr(record).encode("utf-8", "surrogatepass") + b"\0")
        else:
            part.update(self.record_digests[index])  # of a fixed length
        part.update(repr(facts).encode("utf-8", "surrogatepass") + b"\0")

    def note_keywords(self, graph: str, topics: tuple) -> None:
        """Add a record's keyword topics to its graph's fingerprint (in the order of its records)."""
        self._of(graph)[1].update(repr(topics).encode("utf-8", "surrogatepass") + b"\0")

    def note_citation(self, graph: str, citation: _Citation) -> None:
        """Add a citation ``graph``'s source lists to its fingerprint (in the order resolution gave them)."""
        self._of(graph)[2].update(repr(citation).encode("utf-8", "surrogatepass") + b"\0")

    def seal(self, graph: str) -> str:
        """The fingerprint of ``graph`` once its records, keywords and citations are noted."""
        parts = self._digests.pop(graph, None) or tuple(hashlib.blake2b(digest_size=16) for _ in range(3))
        digest = hashlib.blake2b(f"{self.version}\0{graph}\0".encode(), digest_size=16)
        for part in parts:
            digest.update(part.digest())
        self.fingerprints[graph] = fingerprint = digest.hexdigest()
        return fingerprint

    def keep(self, graph: str, fingerprint: str) -> bool:
        """Note ``graph``'s fingerprint; True when the last build wrote the same graph (it is not written)."""
        self.fingerprints[graph] = fingerprint
        if self.previous.get(graph) == fingerprint:
            self.kept.add(graph)
            return True
        return False

    def keep_part(self, graph: str, key: str, content: object, subjects: Iterable[str]) -> bool:
        """Note the fingerprint of a part of a whole build's ``graph``: the statements about ``subjects``, made
        from ``content`` alone (its repr) and ``key`` (what it is about). True when the last build wrote the same
        part: it is not to be written, and its subjects' statements are kept (:attr:`kept_subjects`)."""
        digest = hashlib.blake2b(f"{self.version}\0{graph}\0{key}\0".encode("utf-8", "surrogatepass"), digest_size=16)
        digest.update(repr(content).encode("utf-8", "surrogatepass"))
        fingerprint = digest.hexdigest()
        self.parts.add(fingerprint)
        self.parts_of[graph] += 1
        if fingerprint not in self.previous_parts or key in self.shared:
            return False
        self.parts_kept[graph] += 1
        self.kept_subjects.extend((subject, graph) for subject in subjects)
        return True

    def kept_lines(self) -> list[bytes]:
        """What the next build reads back (:meth:`read`): a graph and its fingerprint a line, then ``*`` and the
        fingerprint of each part of a whole build's graph."""
        lines = [f"{graph} {fingerprint}\n".encode() for graph, fingerprint in sorted(self.fingerprints.items())]
        return lines + [f"* {fingerprint}\n".encode() for fingerprint in sorted(self.parts)]

    @classmethod
    def read(cls, data: bytes | None, record_digests: Sequence[bytes] | None = None) -> SourceGraphs:
        """The graphs :meth:`kept_lines` wrote, as the last build's (none from nothing or damaged data); with the
        records' ``record_digests`` (see the class)."""
        previous: dict[str, str] = {}
        parts: list[str] = []
        for line in (data or b"").decode("utf-8", "replace").splitlines():
            graph, _, fingerprint = line.rpartition(" ")
            if not graph or len(fingerprint) != 32:
                return cls(record_digests=record_digests)
            if graph == "*":  # no graph's IRI
                parts.append(fingerprint)
            else:
                previous[graph] = fingerprint
        return cls(previous, parts, record_digests)


class _RecordFacts(NamedTuple):
    """Everything a record's statements are made from besides the record: what resolution decided for it."""

    graph: str  # its source's graph
    line: str  # its source line
    paper: str  # its paper's IRI
    chosen: tuple  # the paper's values chosen from this record: (name, value, ...) each
    variants: tuple[str, ...]  # the titles this record printed that were not chosen
    people: tuple[tuple[str, str], ...]  # each author's IRI and chosen name
    affiliations: tuple[tuple[str | None, ...], ...]  # each author's affiliations as orgs (canonical names)
    orgs: tuple[str | None, ...]  # the record's orgs as orgs
    listed: tuple[str, str, str] | None  # the page owner it lists without printing: IRI, name, chosen name
    subjects: tuple[tuple[_Concept, str, tuple[tuple[_Concept, str], ...]], ...]  # concept, label, parents


class _Citation(NamedTuple):
    """One citation as its source's graph says it."""

    line: str
    citing: str
    cited: str
    rule: str
    text: str | None
    cited_only: bool
    work: tuple | None  # a cited-only work's label, title, year, venue, author and ids, where it is labelled


_UNKNOWN_SOURCE = SourceRef("<unknown>", 1, "unknown")
_CHOSEN = ("abstract", "date", "venue", "author_count", "upvotes", "has_code", "authors_truncated")


class _Writer:
    """One :func:`write_statements` run: what is decided over the whole build, and the facts of each record."""

    def __init__(self, resolution: Resolution, mint: IriMinter) -> None:
        self.resolution = resolution
        self.mint = mint
        self.paper_iris = [mint.paper(paper.identity, paper.title) for paper in resolution.papers]
        self.own = _SourceTopics(resolution.records, mint)
        # Each record's graph, one string per graph (a pointer a record); its source line is made when asked.
        graphs: dict[str, str] = {}
        self.graph_of: list[str] = []
        for record in resolution.records:
            source = record.source or _UNKNOWN_SOURCE
            graph = mint.source(source.path, source.key)
            self.graph_of.append(graphs.setdefault(graph, graph))
        self._named: dict[str, tuple[str, str, str]] = {}  # a keyword's topic: IRI, last segment, label
        result = resolution.citations
        self._cited_iris = [mint.paper(work.identity, work.title or work.label) for work in result.cited_only]
        # Each cited-only work is labelled in the graph of its first citation: that citation's number.
        self._labelled_by = array("q", [-1]) * len(result.cited_only)
        for number, citation in enumerate(result.citations):
            if citation.cited >= result.paper_count and self._labelled_by[citation.cited - result.paper_count] < 0:
                self._labelled_by[citation.cited - result.paper_count] = number

    def line_of(self, index: int) -> str:
        return self.mint.source_line(self.resolution.records[index].source or _UNKNOWN_SOURCE)

    def facts(self, index: int) -> _RecordFacts:
        resolution, mint = self.resolution, self.mint
        record = resolution.records[index]
        number = resolution.paper_of[index]
        paper = resolution.papers[number]
        came_from = paper.chosen_from
        chosen: list[tuple] = [("title", paper.title)] if came_from.get("title") == index else []
        for name in _CHOSEN:
            if came_from.get(name) == index:
                if name == "date":
                    chosen.append((name, paper.date, paper.year, paper.date_inferred))
                elif name == "venue":
                    chosen.append((name, paper.venue, paper.venue_status))
                else:
                    chosen.append((name, getattr(paper, name)))
        people = resolution.people
        authors = tuple(
            (mint.person_of(index, position), people.display[people.person(index, position)])
            for position in range(len(record.authors))
        )
        listed = people.listed.get(index)
        own = self.own
        return _RecordFacts(
            graph=self.graph_of[index],
            line=self.line_of(index),
            paper=self.paper_iris[number],
            chosen=tuple(chosen),
            variants=tuple(variant for variant, printed_by in paper.title_variants if printed_by == index),
            people=authors,
            affiliations=tuple(tuple(map(resolution.orgs.canonical, a.affiliations)) for a in record.authors),
            orgs=tuple(map(resolution.orgs.canonical, record.orgs)),
            listed=(mint.person(listed[0]), listed[1], people.display[listed[0]]) if listed is not None else None,
            subjects=tuple(
                (concept, own.label(concept), tuple((p, own.label(p)) for p in own.parents.get(concept.iri, [])))
                for concept in own.subjects[index]
            ),
        )

    def citation(self, number: int) -> _Citation:
        """Citation ``number`` of the resolution as its source's graph says it."""
        result = self.resolution.citations
        citation = result.citations[number]
        cited_only = citation.cited >= result.paper_count
        work = None
        if cited_only and self._labelled_by[citation.cited - result.paper_count] == number:
            cited = result.cited_only[citation.cited - result.paper_count]  # labelled where it is first cited
            work = (cited.label, cited.title, cited.year, cited.venue, cited.cited_author, cited.ids)
        iris = self.paper_iris
        citing = iris[citation.citing] if citation.citing < len(iris) else self._cited_iris[citation.citing - len(iris)]
        cited_iri = iris[citation.cited] if not cited_only else self._cited_iris[citation.cited - result.paper_count]
        return _Citation(self.line_of(citation.record), citing, cited_iri, citation.rule, citation.text, cited_only,
                         work)  # fmt: skip

    def citations_by_graph(self) -> dict[str, array]:
        """The numbers of the citations each graph's source lists, in order."""
        by_graph: dict[str, array] = {}
        for number, citation in enumerate(self.resolution.citations.citations):
            graph = self.graph_of[citation.record]
            listed = by_graph.get(graph)
            if listed is None:
                listed = by_graph[graph] = array("q")
            listed.append(number)
        return by_graph

    def keywords(self, index: int, found_labels: dict[str, str]) -> tuple:
        """Record ``index``'s keywords as topics: (topic IRI, its last segment, label, as printed, method) each."""
        topics = []
        for keyword in self.own.keywords[index]:
            named = self._named.get(keyword.key)
            if named is None:
                iri = self.mint.topic(keyword.key)
                label = found_labels.get(iri) or keyword_label(keyword.key, self.own.forms[keyword.key])
                named = self._named[keyword.key] = (iri, iri.rsplit("/", 1)[-1], label)
            topics.append((*named, keyword.printed, keyword.method))
        return tuple(topics)


def write_statements(
    sink: QuadSink,
    resolution: Resolution,
    base: str,
    topics: Topics | None = None,
    progress: Progress | None = None,
    graphs: SourceGraphs | None = None,
    apart: Callable[[Callable[[Callable[[Iterable[str]], None]], None]], Any] | None = None,
) -> dict[str, int]:
    """Every statement of ``resolution`` (and its papers' ``topics``) into ``sink``.

    ``progress`` is told how many records, then papers' topics, are written (the stage
    ``"writing statements"``, see :mod:`kg.progress`). Returns what the sources' own topics
    gave, counted over records: ``subjects`` and ``keyword topics`` written, and the keywords
    that gave no topic (``keywords dropped as junk``, ``keywords over the cap``), which stay in
    the records but are not in the graph.

    With ``graphs`` (:class:`SourceGraphs`), the statements of a source's graph whose fingerprint is the last
    build's are not written (:attr:`SourceGraphs.kept` names them), nor those of a part of the topics or
    resolution graph whose fingerprint is (:meth:`SourceGraphs.keep_part`); the counts always are. The sources'
    graphs are then written once the topics are in.

    With ``apart`` (and no ``graphs``), the merges and part of the records' own statements go to another
    process instead of ``sink`` when there are at least :data:`APART_MIN_RECORDS` records (see
    :func:`stream_statements`).
    """
    with_topics = topics is not None and bool(resolution.papers)
    tally = Tally(progress, "writing statements", len(resolution.records) + (len(resolution.papers) * with_topics))
    mint = IriMinter(base)
    mint.use_people(resolution.people)
    writer = _Writer(resolution, mint)
    if graphs is not None:
        graphs.shared = _shared_iris(writer.paper_iris) | _shared_iris(
            mint.person(person) for person in resolution.people.display
        )
    counts = _Counts()
    for iri, paper in zip(writer.paper_iris, resolution.papers, strict=True):
        if paper.year is not None:
            counts.year_of[iri] = paper.year
    records = resolution.records
    now = graphs is None or not graphs.previous  # nothing to compare with: every graph is written, at once
    claims = elsewhere = None
    if now and graphs is None and apart is not None and len(records) >= APART_MIN_RECORDS:
        from kg.io.workers import Claims

        try:
            claims = Claims(len(records))
            elsewhere = apart(functools.partial(_describe_apart, writer, claims))
        except OSError:  # no fork here, or no process or file to spare (memory, the process table): all here
            claims = None
    try:
        summary = _write_statements(sink, writer, topics, tally, graphs, counts, now, claims)
        if elsewhere is not None:
            elsewhere.join()
    except BaseException:
        if elsewhere is not None:
            elsewhere.cancel()
        raise
    tally.finish()
    return summary


def _describe_apart(writer: _Writer, claims: Claims, take: Callable[[Iterable[str]], None]) -> None:
    """In another process (:func:`write_statements` with ``apart``): the merges, then the own statements of
    records claimed from the front of ``claims`` (:class:`kg.io.workers.Claims`), handed to ``take`` a chunk
    at a time."""
    sink = QuadSink(flush=take, chunk=250_000)
    resolution, mint = writer.resolution, writer.mint
    if resolution.people.merges or resolution.people.splits:
        _describe_merges(sink, mint, resolution)
    records = resolution.records
    for block in iter(claims.front, None):
        for index in block:
            _describe_source_record(sink, mint, records[index], writer.facts(index))
    sink.flush()


def _write_statements(
    sink: QuadSink,
    writer: _Writer,
    topics: Topics | None,
    tally: Tally,
    graphs: SourceGraphs | None,
    counts: _Counts,
    now: bool,
    claims: Claims | None = None,
) -> dict[str, int]:
    """:func:`write_statements`, once the writer is made. With ``claims``, another process writes the merges
    and the records' own statements it claims from the front; this one counts every record, writes the rest,
    then the records' statements it claims from the back."""
    resolution, mint = writer.resolution, writer.mint
    base = mint.base
    with_topics = topics is not None and bool(resolution.papers)
    records = resolution.records
    if now:  # while the topics are read
        for index, record in enumerate(records):
            facts = writer.facts(index)
            if claims is None:
                _describe_source_record(sink, mint, record, facts)
            _count_record(counts, mint, record, facts)
            if graphs is not None:
                graphs.note_record(facts.graph, index, record, facts)
            tally.advance()
        described: set[tuple[str, str]] = set()  # (graph, cited-only work) described there
        for number, cited in enumerate(resolution.citations.citations):
            graph = writer.graph_of[cited.record]
            citation = writer.citation(number)
            sink.set_graph(graph)
            first = citation.cited_only and (graph, citation.cited) not in described
            if first:
                described.add((graph, citation.cited))
            _describe_citation(sink, citation, first)
            counts.add(citation.cited, citation.citing, "citation")
            if graphs is not None:
                graphs.note_citation(graph, citation)
    if (resolution.people.merges or resolution.people.splits) and claims is None:
        _describe_merges(sink, mint, resolution, graphs)
    found_labels: dict[str, str] = {}
    if with_topics:
        sink.set_graph(f"{base}graph/topics")
        hits = topics.result() if hasattr(topics, "result") else topics
        scheme = f"{base}scheme/topics"
        sink.link(scheme, RDF_TYPE, SKOS + "ConceptScheme")
        sink.value(scheme, SKOS + "prefLabel", TOPIC_SCHEME_LABEL)
        described_topics: set[str] = set()
        for paper, paper_hits in zip(writer.paper_iris, hits, strict=True):
            _describe_topics(sink, mint, paper, paper_hits, described_topics, counts, graphs)
            for hit in paper_hits:
                found_labels.setdefault(mint.topic(hit.key), hit.label)
            tally.advance()
    if now:
        for index in range(len(records)):
            topics_of = writer.keywords(index, found_labels)
            if graphs is not None:
                graphs.note_keywords(writer.graph_of[index], topics_of)
            if topics_of:
                sink.set_graph(writer.graph_of[index])
                paper = writer.paper_iris[resolution.paper_of[index]]
                _describe_keyword_topics(sink, mint, paper, writer.line_of(index), topics_of)
                _count_keywords(counts, paper, topics_of)
        if graphs is not None:
            for graph in dict.fromkeys(writer.graph_of):
                graphs.seal(graph)
    else:
        _write_source_graphs(sink, writer, graphs, found_labels, counts, tally)
    counts.describe(sink, base)
    if claims is not None:
        for block in iter(claims.back, None):
            for index in block:
                _describe_source_record(sink, mint, records[index], writer.facts(index))
    return writer.own.summary()


def _write_source_graphs(
    sink: QuadSink,
    writer: _Writer,
    graphs: SourceGraphs,
    found_labels: dict[str, str],
    counts: _Counts,
    tally: Tally,
) -> None:
    """Each source's graph whose fingerprint changed since the last build, whole; every graph counted.

    A graph's facts are made twice when it is written (once for its fingerprint), so that a million records'
    facts are never held at once."""
    records, mint = writer.resolution.records, writer.mint
    by_graph: dict[str, array] = {}
    for index, graph in enumerate(writer.graph_of):
        listed = by_graph.get(graph)
        if listed is None:
            listed = by_graph[graph] = array("q")
        listed.append(index)
    citations = writer.citations_by_graph()
    for graph, indexes in by_graph.items():
        for index in indexes:
            facts = writer.facts(index)
            topics_of = writer.keywords(index, found_labels)
            graphs.note_record(graph, index, records[index], facts)
            graphs.note_keywords(graph, topics_of)
            _count_record(counts, mint, records[index], facts)
            _count_keywords(counts, facts.paper, topics_of)
        numbers = citations.get(graph, ())
        for number in numbers:
            citation = writer.citation(number)
            graphs.note_citation(graph, citation)
            counts.add(citation.cited, citation.citing, "citation")
        if graphs.keep(graph, graphs.seal(graph)):
            tally.advance(len(indexes))
            continue
        for index in indexes:
            _describe_source_record(sink, mint, records[index], writer.facts(index))
            tally.advance()
        sink.set_graph(graph)
        described: set[str] = set()
        for number in numbers:
            citation = writer.citation(number)
            first = citation.cited_only and citation.cited not in described
            if first:
                described.add(citation.cited)
            _describe_citation(sink, citation, first)
        for index in indexes:
            topics_of = writer.keywords(index, found_labels)
            if topics_of:
                sink.set_graph(graph)
                paper = writer.paper_iris[writer.resolution.paper_of[index]]
                _describe_keyword_topics(sink, mint, paper, writer.line_of(index), topics_of)


def _describe_source_record(sink: QuadSink, mint: IriMinter, record: Record, facts: _RecordFacts) -> None:
    """What one record says, in its source's graph: the source, its line, the paper and what the record says
    of it."""
    source = record.source or _UNKNOWN_SOURCE
    graph = facts.graph
    sink.set_graph(graph)
    if sink.first(graph, "source"):
        sink.link(graph, RDF_TYPE, KG.Source)
        sink.value(graph, KG.path, source.path)
    sink.value(graph, KG.format, source.format)
    line = facts.line
    sink.link(line, RDF_TYPE, KG.SourceLine)
    sink.value(line, KG.line, source.line)
    sink.link(line, KG.inSource, graph)
    paper = facts.paper
    sink.link(paper, RDF_TYPE, KG.Paper)
    sink.link(paper, PROV_DERIVED_FROM, line)
    _describe_chosen(sink, paper, facts)
    _describe_record(sink, mint, record, facts)
    for subject, label, parents in facts.subjects:
        _describe_subject(sink, mint, paper, subject, label, parents)


def _count_record(counts: _Counts, mint: IriMinter, record: Record, facts: _RecordFacts) -> None:
    """The papers one record counts for its authors, orgs, categories and subjects."""
    paper = facts.paper
    for (author, _), orgs in zip(facts.people, facts.affiliations, strict=True):
        counts.add(author, paper, "author")
        for canonical in orgs:
            if canonical is not None:
                counts.add(mint.org(canonical), paper, "org")
    if facts.listed is not None:
        counts.add(facts.listed[0], paper, "author")
    for canonical in facts.orgs:
        if canonical is not None:
            counts.add(mint.org(canonical), paper, "org")
    for code in record.categories:
        counts.add(_category_iri(mint, code), paper, "topic")
    for subject, _, _ in facts.subjects:
        counts.add(subject.iri, paper, "topic")


def _count_keywords(counts: _Counts, paper: str, topics: tuple) -> None:
    for topic, *_ in topics:
        counts.add(topic, paper, "topic")


def _describe_chosen(sink: QuadSink, paper: str, facts: _RecordFacts) -> None:
    """The paper's chosen values that came from this record, in its graph."""
    chosen = facts.chosen
    if chosen and chosen[0][0] == "title":
        sink.value(paper, KG.title, chosen[0][1])
    for variant in facts.variants:
        sink.value(paper, KG.alternativeTitle, variant)
    for name, value, *more in chosen:
        if name == "abstract":
            sink.value(paper, KG.abstract, value)
        elif name == "date" and value:
            sink.value(paper, KG.date, value, _DATE_TYPES[len(value)])
            sink.value(paper, KG.year, more[0])
            if more[1]:
                sink.value(paper, KG.dateInferred, True)
        elif name == "venue":
            sink.value(paper, KG.venue, value)
            sink.value(paper, KG.venueStatus, more[0])
        elif name in _CHOSEN_PREDICATES:
            sink.value(paper, _CHOSEN_PREDICATES[name], value)


_CHOSEN_PREDICATES = {"author_count": KG.authorCount, "upvotes": KG.upvotes, "has_code": KG.hasCode,
                      "authors_truncated": KG.authorsTruncated}  # fmt: skip


def _describe_record(sink: QuadSink, mint: IriMinter, record: Record, facts: _RecordFacts) -> None:
    """What one record says of its paper: its ids, stated citation count, authorships, orgs and categories."""
    paper, line_iri = facts.paper, facts.line
    _describe_ids(sink, paper, record.ids)
    stated = record.extra.get("citation_count") if record.extra else None
    if isinstance(stated, int) and not isinstance(stated, bool) and stated >= 0:
        sink.value(paper, KG.statedCitationCount, stated)
    for position, (author, (author_iri, display), orgs) in enumerate(
        zip(record.authors, facts.people, facts.affiliations, strict=True), start=1
    ):
        authorship = f"{paper}/authorship/{position}-{author_iri.rsplit('/', 1)[-1]}"
        if sink.first(author_iri, author.name):
            sink.link(author_iri, RDF_TYPE, KG.Author)
            sink.value(author_iri, KG.name, author.name)
            # The name resolution chose for this person, one for every printing: the views' label.
            sink.value(author_iri, SKOS + "prefLabel", display)
        sink.link(author_iri, KG.authored, paper)
        sink.link(paper, KG.hasAuthorship, authorship)
        sink.link(authorship, RDF_TYPE, KG.Authorship)
        sink.link(authorship, KG.author, author_iri)
        sink.value(authorship, KG.position, position)
        sink.value(authorship, KG.nameAsPrinted, author.name)
        sink.link(authorship, PROV_DERIVED_FROM, line_iri)
        if author.orcid:
            sink.value(author_iri, KG.identifier, f"orcid:{author.orcid}")
        for affiliation, canonical in zip(author.affiliations, orgs, strict=True):
            org = _describe_org(sink, mint, canonical, affiliation, ror_of(record, affiliation))
            if org:
                sink.link(authorship, KG.affiliated, org)
                sink.link(author_iri, KG.affiliated, org)
    if facts.listed is not None:
        _describe_listed_authorship(sink, paper, line_iri, facts.listed)
    for name, canonical in zip(record.orgs, facts.orgs, strict=True):
        org = _describe_org(sink, mint, canonical, name)
        if org:
            sink.link(paper, KG.affiliated, org)
    for code in record.categories:
        _describe_category(sink, mint, paper, code)


def _describe_listed_authorship(sink: QuadSink, paper: str, line_iri: str, listed: tuple[str, str, str]) -> None:
    """The owner of a one-person page as an author of a paper the page lists without printing them.

    The authorship has no position (the page does not say where in the list they stand) and
    says whose page it comes from (``kg:listedOnPageOf``).
    """
    author_iri, owner, display = listed
    if sink.first(author_iri, owner):
        sink.link(author_iri, RDF_TYPE, KG.Author)
        sink.value(author_iri, KG.name, owner)
        sink.value(author_iri, SKOS + "prefLabel", display)
    authorship = f"{paper}/authorship/listed-{author_iri.rsplit('/', 1)[-1]}"
    sink.link(author_iri, KG.authored, paper)
    sink.link(paper, KG.hasAuthorship, authorship)
    sink.link(authorship, RDF_TYPE, KG.Authorship)
    sink.link(authorship, KG.author, author_iri)
    sink.value(authorship, KG.nameAsPrinted, owner)
    sink.value(authorship, KG.listedOnPageOf, owner)
    sink.link(authorship, PROV_DERIVED_FROM, line_iri)


def _category_iri(mint: IriMinter, code: str) -> str:
    return _category_iri_of(mint.base, code)


@functools.lru_cache(maxsize=65_536)
def _category_iri_of(base: str, code: str) -> str:
    """A category code's topic IRI (asked twice a code a record: its count and its statements)."""
    category = resolve_category(code)
    return IriMinter(base).category(category.code if category else code)


def _describe_category(sink: QuadSink, mint: IriMinter, paper: str, code: str) -> None:
    topic = _category_iri(mint, code)
    sink.link(paper, KG.citesTopic, topic)
    if not sink.first(topic, code):
        return
    sink.link(topic, RDF_TYPE, KG.Topic)
    category = resolve_category(code)
    if category is None:
        sink.value(topic, SKOS + "prefLabel", code)
        sink.value(topic, SKOS + "notation", code)
        return
    scheme = f"{mint.base}scheme/{category_scheme()['id']}"
    sink.link(scheme, RDF_TYPE, SKOS + "ConceptScheme")
    sink.value(scheme, SKOS + "prefLabel", category_scheme()["label"])
    sink.link(topic, SKOS + "inScheme", scheme)
    sink.value(topic, SKOS + "prefLabel", category.name)
    sink.value(topic, SKOS + "notation", category.code)
    group = f"{scheme}/{slug(category.group)}"
    sink.link(group, RDF_TYPE, SKOS + "Concept")
    sink.value(group, SKOS + "prefLabel", category.group)
    sink.link(group, SKOS + "topConceptOf", scheme)
    sink.link(topic, SKOS + "broader", group)
    if category.printed != category.code:
        sink.value(topic, SKOS + "altLabel", category.printed)


class _Concept(NamedTuple):
    """A concept of a subject scheme as the graph names it: its IRI, scheme, code and the label a source gave."""

    iri: str
    scheme: str
    code: str | None
    given: str | None


class _SourceTopics:
    """What the records themselves say their papers are about, read once before anything is written.

    Labels are chosen here, for the whole build, so that every concept has one ``skos:prefLabel``
    whichever sources name it: a shipped taxonomy's name, else the label its sources give most
    (on a tie the one that sorts first), else the code. A heading a source gives without a code
    takes the code another record of the build gives it in the same scheme, so that MEDLINE's
    "Animals" and PubMed XML's D000818 Animals are one concept.
    """

    def __init__(self, records: Sequence[Record], mint: IriMinter) -> None:
        self.mint = mint
        self._iris: dict[tuple[str, str | None, str | None], str] = {}
        raw = [subjects_of(record.extra) for record in records]
        codes: dict[tuple[str, str], str] = {}
        for subjects in raw:
            for subject in subjects:
                if subject.code and subject.label:
                    codes.setdefault((subject.scheme, subject.label.casefold()), subject.code)
        given: defaultdict[str, Counter] = defaultdict(Counter)
        self.parents: dict[str, list[_Concept]] = {}
        self.subjects: list[list[_Concept]] = []
        for subjects in raw:
            concepts = []
            for subject in subjects:
                code = subject.code or codes.get((subject.scheme, (subject.label or "").casefold()))
                concept = _Concept(self.iri(subject.scheme, code, subject.label), subject.scheme, code, subject.label)
                concepts.append(concept)
                if subject.label:
                    given[concept.iri][subject.label] += 1
                if concept.iri not in self.parents:
                    self.parents[concept.iri] = self._parents(concept, subject.broader, given)
            self.subjects.append(concepts)
        self.labels = {iri: min(names, key=lambda n: (-names[n], n)) for iri, names in given.items()}
        self.keywords: list[list[KeywordTopic]] = []
        self.forms: defaultdict[str, Counter] = defaultdict(Counter)
        self.dropped_junk = self.dropped_over = 0
        for record in records:
            kept, junk, over = keyword_topics(record.extra)
            self.keywords.append(kept)
            self.dropped_junk += junk
            self.dropped_over += over
            for keyword in kept:
                self.forms[keyword.key][keyword.printed] += 1

    def iri(self, scheme: str, code: str | None, label: str | None) -> str:
        """The IRI of a concept (a code names it alone: its label then plays no part)."""
        key = (scheme, code, None if code else label)
        iri = self._iris.get(key)
        if iri is None:
            iri = self._iris[key] = self.mint.subject(scheme, code, label)
        return iri

    def _parents(self, concept: _Concept, broader, given: defaultdict[str, Counter]) -> list[_Concept]:
        """The concepts above ``concept``, nearest first: as the source names them, else from the taxonomy."""
        chain = []
        if broader:
            for code, label in broader:
                parent = _Concept(self.iri(concept.scheme, code, label), concept.scheme, code, label)
                chain.append(parent)
                if label:
                    given[parent.iri][label] += 1
        elif concept.code:
            chain = [_Concept(self.iri(concept.scheme, code, None), concept.scheme, code, None)
                     for code in ancestors(concept.scheme, concept.code)]  # fmt: skip
        return chain

    def label(self, concept: _Concept) -> str:
        return concept_name(concept.scheme, concept.code) or self.labels.get(concept.iri) or concept.code or ""

    def summary(self) -> dict[str, int]:
        return {
            "subjects": sum(map(len, self.subjects)),
            "keyword topics": sum(map(len, self.keywords)),
            "keywords dropped as junk": self.dropped_junk,
            "keywords over the cap": self.dropped_over,
        }


def _describe_subject(
    sink: QuadSink,
    mint: IriMinter,
    paper: str,
    subject: _Concept,
    label: str,
    parents: tuple[tuple[_Concept, str], ...],
) -> None:
    """A subject a source gives the paper, in the source's graph: a kg:Topic in its scheme, with its parents."""
    sink.link(paper, KG.citesTopic, subject.iri)
    if sink.first(subject.iri, "topic"):
        sink.link(subject.iri, RDF_TYPE, KG.Topic)
        _describe_concept(sink, mint, subject, label, parents)
    if subject.given and subject.given != label and sink.first(subject.iri, subject.given):
        sink.value(subject.iri, SKOS + "altLabel", subject.given)


def _describe_concept(
    sink: QuadSink, mint: IriMinter, concept: _Concept, label: str, parents: tuple[tuple[_Concept, str], ...]
) -> None:
    """A concept and the chain above it: scheme, label, notation and skos:broader; the top of a chain is a top
    concept of its scheme (a concept with no known parents is not said to be one)."""
    scheme = f"{mint.base}scheme/{slug(concept.scheme) or short_hash(concept.scheme)}"
    if sink.first(scheme):
        sink.link(scheme, RDF_TYPE, SKOS + "ConceptScheme")
        arxiv = category_scheme()
        name = arxiv["label"] if concept.scheme == arxiv["id"] else scheme_label(concept.scheme)
        sink.value(scheme, SKOS + "prefLabel", name)
    chain = [(concept, label), *parents]
    for position, (node, node_label) in enumerate(chain):
        if position and not sink.first(node.iri, "concept"):
            continue  # a parent's own statements are written once a graph
        if position:
            sink.link(node.iri, RDF_TYPE, SKOS + "Concept")
        sink.link(node.iri, SKOS + "inScheme", scheme)
        sink.value(node.iri, SKOS + "prefLabel", node_label)
        if node.code:
            sink.value(node.iri, SKOS + "notation", node.code)
        if position + 1 < len(chain):
            sink.link(node.iri, SKOS + "broader", chain[position + 1][0].iri)
        elif parents or _is_top(node):
            sink.link(node.iri, SKOS + "topConceptOf", scheme)


def _is_top(concept: _Concept) -> bool:
    """A code its scheme's taxonomy names and puts under nothing ("68-XX", "I")."""
    return bool(
        concept.code and concept_name(concept.scheme, concept.code) and not ancestors(concept.scheme, concept.code)
    )


def _describe_keyword_topics(sink: QuadSink, mint: IriMinter, paper: str, line: str, topics: tuple) -> None:
    """A record's keywords as topics of kg's scheme, in its source's graph, with an assignment per paper.

    The assignment node is the one a topic found in the paper's text has (``<paper>/topic/<topic>``):
    a keyword that is also found in the text adds its method to that assignment, whose score is the
    text's; an assignment only keywords gave has no score.
    """
    scheme = f"{mint.base}scheme/topics"
    # Keys of their own: what is written does not depend on whether a record's subject with the same IRI came
    # first (records and keywords are written in either order when two processes write: write_statements).
    if sink.first(scheme, "keywords"):
        sink.link(scheme, RDF_TYPE, SKOS + "ConceptScheme")
        sink.value(scheme, SKOS + "prefLabel", TOPIC_SCHEME_LABEL)
    for topic, tail, label, printed, method in topics:
        if sink.first(topic, "keyword topic"):
            sink.link(topic, RDF_TYPE, KG.Topic)
            sink.value(topic, SKOS + "prefLabel", label)
            sink.link(topic, SKOS + "inScheme", scheme)
        if printed != label and sink.first(topic, printed):
            sink.value(topic, SKOS + "altLabel", printed)
        sink.link(paper, KG.citesTopic, topic)
        assignment = f"{paper}/topic/{tail}"
        sink.link(paper, KG.hasTopicAssignment, assignment)
        sink.link(assignment, KG.topic, topic)
        sink.value(assignment, KG.method, method)
        sink.link(assignment, PROV_DERIVED_FROM, line)


def _describe_merges(
    sink: QuadSink, mint: IriMinter, resolution: Resolution, graphs: SourceGraphs | None = None
) -> None:
    """Each merge and split of author resolution, with its rule, evidence and score.

    With ``graphs``, a person whose merges and splits the last build wrote the same is not written again
    (:meth:`SourceGraphs.keep_part`).
    """
    graph = f"{mint.base}graph/resolution"
    sink.set_graph(graph)
    people = resolution.people
    splits_of: defaultdict[int, list] = defaultdict(list)
    for split in people.splits:
        splits_of[split.person].append(split)
    for person in sorted(people.merges.keys() | splits_of.keys()):
        author = mint.person(person)
        merges = [(_merge_node(author, merge), merge) for merge in dict.fromkeys(people.merges.get(person, ()))]
        splits = []  # (node, the other person, rule, evidence, score): no person's number (they shift)
        for split in splits_of.get(person, ()):
            other = mint.person(split.other)
            node = f"{author}/split/{other.rsplit('/', 1)[-1]}"
            splits.append((node, other, split.rule, split.evidence, split.score))
        nodes = [node for node, _ in merges] + [split[0] for split in splits]
        if graphs is not None and graphs.keep_part(graph, author, (merges, splits), nodes):
            continue
        _describe_person_merges(sink, author, merges, splits)


def _shared_iris(iris: Iterable[str]) -> set[str]:
    """The IRIs met more than once (40 bits of a digest tell papers of one title apart: they can be made to meet).

    Examples
    --------
    >>> sorted(_shared_iris(["a", "b", "a"]))
    ['a']
    """
    seen: set[str] = set()
    shared: set[str] = set()
    for iri in iris:
        (shared if iri in seen else seen).add(iri)
    return shared


def _merge_node(author: str, merge: Merge) -> str:
    """The node of one distinct merge decision about ``author``."""
    decision = short_hash(f"{merge.rule}|{'|'.join(merge.evidence)}|{merge.score}", 6)
    return f"{author}/merge/{slug(merge.variant) or short_hash(merge.variant)}-{decision}"


def _describe_person_merges(
    sink: QuadSink, author: str, merges: list[tuple[str, Merge]], splits: list[tuple[str, str, str, tuple, Any]]
) -> None:
    """One person's merges (node, merge) and splits (node, the other person, rule, evidence, score)."""
    for node, merge in merges:
        sink.link(node, RDF_TYPE, KG.AuthorMerge)
        sink.link(node, KG.mergedInto, author)
        sink.value(node, KG.variantName, merge.variant)
        sink.value(node, KG.rule, merge.rule)
        for evidence in merge.evidence:
            sink.value(node, KG.evidence, evidence)
        if merge.score is not None:
            sink.value(node, KG.decisionScore, f"{merge.score:.3f}", "decimal")
    for node, other, rule, evidences, score in splits:
        sink.link(node, RDF_TYPE, KG.AuthorSplit)
        sink.link(node, KG.splitAuthor, author)
        sink.link(node, KG.keptApartFrom, other)
        sink.value(node, KG.rule, rule)
        for evidence in evidences:
            sink.value(node, KG.evidence, evidence)
        if score is not None:
            sink.value(node, KG.decisionScore, f"{score:.3f}", "decimal")


def _describe_topics(
    sink: QuadSink,
    mint: IriMinter,
    paper: str,
    hits: Sequence[TopicHit],
    described: set[str],
    counts: _Counts,
    graphs: SourceGraphs | None = None,
) -> None:
    """A paper's topics in the topics graph (the sink's current one), and each topic's own statements the first
    time it is met (``described``). With ``graphs``, a topic's own statements and a paper's topics are each a part
    (:meth:`SourceGraphs.keep_part`), written only when the last build did not write the same."""
    graph, scheme = f"{mint.base}graph/topics", f"{mint.base}scheme/topics"
    assignments = []
    for hit in hits:
        topic = mint.topic(hit.key)
        counts.add(topic, paper, "topic")
        if topic not in described:  # a topic's own statements are the same for every paper
            described.add(topic)
            if graphs is None or not graphs.keep_part(graph, topic, (scheme, hit.label, hit.forms), [topic]):
                sink.link(topic, RDF_TYPE, KG.Topic)
                sink.value(topic, SKOS + "prefLabel", hit.label)
                sink.link(topic, SKOS + "inScheme", scheme)
                for form in hit.forms:
                    if form != hit.label:
                        sink.value(topic, SKOS + "altLabel", form)
        assignments.append((topic, f"{paper}/topic/{topic.rsplit('/', 1)[-1]}", f"{hit.score:.4f}", hit.method))
    nodes = [paper, *(assignment for _, assignment, _, _ in assignments)]
    if not assignments or (graphs is not None and graphs.keep_part(graph, paper, assignments, nodes)):
        return
    for topic, assignment, score, method in assignments:
        sink.link(paper, KG.citesTopic, topic)
        # No rdf:type on assignments: the range of kg:hasTopicAssignment says it, and at
        # five topics a paper every statement saved is a tenth of a build's topic cost.
        sink.link(paper, KG.hasTopicAssignment, assignment)
        sink.link(assignment, KG.topic, topic)
        sink.value(assignment, KG.score, score, "decimal")
        sink.value(assignment, KG.method, method)


def _describe_org(
    sink: QuadSink, mint: IriMinter, canonical: str | None, name: str, ror_id: str | None = None
) -> str | None:
    """The org node of a printed name (``canonical``: resolution's name for it); None for a name with no
    letters."""
    if canonical is None:
        return None
    org = mint.org(canonical)
    if not sink.first(org, name, ror_id):
        return org
    if ror_id:
        sink.value(org, KG.identifier, f"ror:{ror_id}")
    sink.link(org, RDF_TYPE, KG.Org)
    sink.value(org, KG.name, name)
    if canonical != name:
        sink.value(org, KG.name, canonical)
    sink.value(org, SKOS + "prefLabel", canonical)
    return org


def _describe_citation(sink: QuadSink, citation: _Citation, first_here: bool) -> None:
    """One citation, in the graph of the source that listed it (the sink's current one).

    A cited-only work is a kg:Paper with ``kg:citedOnly true`` in the graph of every source citing it
    (``first_here``: the first citation of it there); its label, title, year and identifiers are written
    once, in the graph of its first citing source.
    """
    line, citing, cited = citation.line, citation.citing, citation.cited
    if first_here:
        sink.link(cited, RDF_TYPE, KG.Paper)
        sink.value(cited, KG.citedOnly, True)
        sink.link(cited, PROV_DERIVED_FROM, line)
    if citation.work is not None:
        _describe_cited_work(sink, cited, citation.work)
    node = f"{citing}/citation/{short_hash(line + ' ' + cited)}"
    sink.link(citing, KG.cites, cited)
    sink.link(citing, KG.hasCitation, node)
    sink.link(node, RDF_TYPE, KG.Citation)
    sink.link(node, KG.citingPaper, citing)
    sink.link(node, KG.citedPaper, cited)
    sink.value(node, KG.matchedBy, citation.rule)
    if citation.text:
        sink.value(node, KG.referenceText, citation.text)
    sink.link(node, PROV_DERIVED_FROM, line)


def _describe_cited_work(sink: QuadSink, iri: str, work: tuple) -> None:
    label, title, year, venue, cited_author, ids = work
    sink.value(iri, RDFS_LABEL, label)
    if title:
        sink.value(iri, KG.title, title)
    if year:
        sink.value(iri, KG.year, year)
    if venue:
        sink.value(iri, KG.venue, venue)
    if cited_author:
        sink.value(iri, KG.citedAuthor, cited_author)
    _describe_ids(sink, iri, ids)


def _describe_ids(sink: QuadSink, paper: str, ids: dict[str, str]) -> None:
    for scheme, value in sorted(ids.items()):
        if scheme == "doi":
            sink.value(paper, KG.doi, normalise_doi(value))
        elif scheme == "arxiv":
            sink.value(paper, KG.arxivId, normalise_arxiv_id(value))
        else:
            sink.value(paper, KG.identifier, f"{scheme}:{value}")
