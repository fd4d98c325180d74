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

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

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
from kg.resolve.papers import ResolvedPaper
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

_DATE_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}
# What a build hands the writer for topics: each paper's hits, or a pending result (read in workers).
Topics = Sequence[Sequence[TopicHit]] | Any
TopicReader = Callable[[list[tuple[str | None, str | None]]], Any]
# The name of kg's own topic scheme: topics found in text and the sources' keywords.
TOPIC_SCHEME_LABEL = "Topics found by kg in titles and abstracts, and the sources' own keywords"


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
        summary = write_statements(sink, resolution, base, topics, progress)
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
) -> dict[str, int]:
    """Hand the statements of ``resolution`` to ``take`` a chunk of lines at a time (line -> its subject), with
    no store: a line may repeat a line of an earlier chunk. Returns what :func:`write_statements` returns.

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
    summary = write_statements(sink, resolution, base, topics, progress)
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
) -> dict[str, int]:
    """Make ``store``, which holds the statements a build described by ``previous`` wrote, hold those of
    ``resolution``: every statement is written again as text, and only the groups that changed reach the store
    (:mod:`kg.rdf.changes`). ``digests`` (made with a spill folder) gathers this build's digests; ``also`` is
    handed every chunk of lines too (see :func:`load_statements`).

    Returns what :func:`write_statements` returns, with what changed in the store added.
    """

    def take(lines: dict[str, str]) -> None:
        if also is not None:
            also(lines)
        digests.take(lines)

    sink = QuadSink(flush=take, chunk=chunk)
    summary = write_statements(sink, resolution, base, topics, progress)
    sink.flush()
    tally = Tally(progress, "loading statements", None)
    changed = digests.apply(store, previous)
    tally.finish()
    return {**summary, **changed}


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


def write_statements(
    sink: QuadSink,
    resolution: Resolution,
    base: str,
    topics: Topics | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Every statement of ``resolution`` (and its papers' ``topics``) into ``sink``.

    ``progress`` is told how many records, then papers' topics, are written (the stage
    ``"writing statements"``, see :mod:`kg.progress`). Returns what the sources' own topics
    gave, counted over records: ``subjects`` and ``keyword topics`` written, and the keywords
    that gave no topic (``keywords dropped as junk``, ``keywords over the cap``), which stay in
    the records but are not in the graph.
    """
    with_topics = topics is not None and bool(resolution.papers)
    tally = Tally(progress, "writing statements", len(resolution.records) + (len(resolution.papers) * with_topics))
    mint = IriMinter(base)
    mint.use_people(resolution.people)
    counts = _Counts()
    paper_iris = [mint.paper(paper.identity, paper.title) for paper in resolution.papers]
    for iri, paper in zip(paper_iris, resolution.papers, strict=True):
        if paper.year is not None:
            counts.year_of[iri] = paper.year
    described_sources: set[str] = set()
    own = _SourceTopics(resolution.records, mint)
    for index, record in enumerate(resolution.records):
        source = record.source or SourceRef("<unknown>", 1, "unknown")
        source_iri = mint.source(source.path, source.key)
        sink.set_graph(source_iri)
        if source_iri not in described_sources:
            described_sources.add(source_iri)
            sink.link(source_iri, RDF_TYPE, KG.Source)
            sink.value(source_iri, KG.path, source.path)
        sink.value(source_iri, KG.format, source.format)
        line_iri = mint.source_line(source)
        sink.link(line_iri, RDF_TYPE, KG.SourceLine)
        sink.value(line_iri, KG.line, source.line)
        sink.link(line_iri, KG.inSource, source_iri)
        number = resolution.paper_of[index]
        paper_iri = paper_iris[number]
        sink.link(paper_iri, RDF_TYPE, KG.Paper)
        sink.link(paper_iri, PROV_DERIVED_FROM, line_iri)
        _describe_chosen(sink, paper_iri, resolution.papers[number], index)
        _describe_record(sink, mint, resolution, record, paper_iri, line_iri, index, counts)
        for subject in own.subjects[index]:
            _describe_subject(sink, mint, paper_iri, subject, own, counts)
        tally.advance()
    if resolution.citations.citations:
        _describe_citations(sink, mint, resolution, paper_iris, counts)
    if resolution.people.merges or resolution.people.splits:
        _describe_merges(sink, mint, resolution)
    found_labels: dict[str, str] = {}
    if with_topics:
        sink.set_graph(f"{base}graph/topics")
        hits = topics.result() if hasattr(topics, "result") else topics
        scheme = f"{base}scheme/topics"
        sink.link(scheme, RDF_TYPE, SKOS + "ConceptScheme")
        sink.value(scheme, SKOS + "prefLabel", TOPIC_SCHEME_LABEL)
        described: set[str] = set()
        for paper, paper_hits in zip(paper_iris, hits, strict=True):
            _describe_topics(sink, mint, paper, paper_hits, described, counts)
            for hit in paper_hits:
                found_labels.setdefault(mint.topic(hit.key), hit.label)
            tally.advance()
    _describe_keyword_topics(sink, mint, resolution, paper_iris, own, found_labels, counts)
    counts.describe(sink, base)
    tally.finish()
    return own.summary()


def _describe_chosen(sink: QuadSink, paper: str, chosen: ResolvedPaper, record_index: int) -> None:
    """The paper's chosen values that came from record ``record_index``, in that record's graph."""
    came_from = chosen.chosen_from
    if came_from.get("title") == record_index:
        sink.value(paper, KG.title, chosen.title)
    for variant, printed_by in chosen.title_variants:
        if printed_by == record_index:
            sink.value(paper, KG.alternativeTitle, variant)
    if came_from.get("abstract") == record_index:
        sink.value(paper, KG.abstract, chosen.abstract)
    if came_from.get("date") == record_index and chosen.date:
        sink.value(paper, KG.date, chosen.date, _DATE_TYPES[len(chosen.date)])
        sink.value(paper, KG.year, chosen.year)
        if chosen.date_inferred:
            sink.value(paper, KG.dateInferred, True)
    if came_from.get("venue") == record_index:
        sink.value(paper, KG.venue, chosen.venue)
        sink.value(paper, KG.venueStatus, chosen.venue_status)
    if came_from.get("author_count") == record_index:
        sink.value(paper, KG.authorCount, chosen.author_count)
    if came_from.get("upvotes") == record_index:
        sink.value(paper, KG.upvotes, chosen.upvotes)
    if came_from.get("has_code") == record_index:
        sink.value(paper, KG.hasCode, chosen.has_code)
    if came_from.get("authors_truncated") == record_index:
        sink.value(paper, KG.authorsTruncated, chosen.authors_truncated)


def _describe_record(
    sink: QuadSink,
    mint: IriMinter,
    resolution: Resolution,
    record: Record,
    paper: str,
    line_iri: str,
    record_index: int,
    counts: _Counts,
) -> None:
    """What one record says of its paper: its ids, stated citation count, authorships, orgs and categories."""
    _describe_ids(sink, paper, record.ids)
    stated = record.extra.get("citation_count") if record.extra else None
    if isinstance(stated, int) and not isinstance(stated, bool) and stated >= 0:
        sink.value(paper, KG.statedCitationCount, stated)
    for position, author in enumerate(record.authors, start=1):
        author_iri = mint.person_of(record_index, position - 1)
        authorship = f"{paper}/authorship/{position}-{author_iri.rsplit('/', 1)[-1]}"
        if sink.first(author_iri, author.name):
            sink.link(author_iri, RDF_TYPE, KG.Author)
            sink.value(author_iri, KG.name, author.name)
            # The name resolution chose for this person, one for every printing: the views' label.
            sink.value(
                author_iri,
                SKOS + "prefLabel",
                resolution.people.display[resolution.people.person(record_index, position - 1)],
            )
        sink.link(author_iri, KG.authored, paper)
        counts.add(author_iri, paper, "author")
        sink.link(paper, KG.hasAuthorship, authorship)
        sink.link(authorship, RDF_TYPE, KG.Authorship)
        sink.link(authorship, KG.author, author_iri)
        sink.value(authorship, KG.position, position)
        sink.value(authorship, KG.nameAsPrinted, author.name)
        sink.link(authorship, PROV_DERIVED_FROM, line_iri)
        if author.orcid:
            sink.value(author_iri, KG.identifier, f"orcid:{author.orcid}")
        for affiliation in author.affiliations:
            org = _describe_org(sink, mint, resolution, affiliation, ror_of(record, affiliation))
            if org:
                sink.link(authorship, KG.affiliated, org)
                sink.link(author_iri, KG.affiliated, org)
                counts.add(org, paper, "org")
    listed = resolution.people.listed.get(record_index)
    if listed is not None:
        _describe_listed_authorship(sink, mint, resolution, paper, line_iri, listed, counts)
    for name in record.orgs:
        org = _describe_org(sink, mint, resolution, name)
        if org:
            sink.link(paper, KG.affiliated, org)
            counts.add(org, paper, "org")
    for code in record.categories:
        _describe_category(sink, mint, paper, code, counts)


def _describe_listed_authorship(
    sink: QuadSink,
    mint: IriMinter,
    resolution: Resolution,
    paper: str,
    line_iri: str,
    listed: tuple[int, str],
    counts: _Counts,
) -> None:
    """The owner of a one-person page as an author of a paper the page lists without printing them.

    The authorship has no position (the page does not say where in the list they stand) and
    says whose page it comes from (``kg:listedOnPageOf``).
    """
    person, owner = listed
    author_iri = mint.person(person)
    if sink.first(author_iri, owner):
        sink.link(author_iri, RDF_TYPE, KG.Author)
        sink.value(author_iri, KG.name, owner)
        sink.value(author_iri, SKOS + "prefLabel", resolution.people.display[person])
    authorship = f"{paper}/authorship/listed-{author_iri.rsplit('/', 1)[-1]}"
    sink.link(author_iri, KG.authored, paper)
    counts.add(author_iri, paper, "author")
    sink.link(paper, KG.hasAuthorship, authorship)
    sink.link(authorship, RDF_TYPE, KG.Authorship)
    sink.link(authorship, KG.author, author_iri)
    sink.value(authorship, KG.nameAsPrinted, owner)
    sink.value(authorship, KG.listedOnPageOf, owner)
    sink.link(authorship, PROV_DERIVED_FROM, line_iri)


def _describe_category(sink: QuadSink, mint: IriMinter, paper: str, code: str, counts: _Counts) -> None:
    category = resolve_category(code)
    topic = mint.category(category.code if category else code)
    sink.link(paper, KG.citesTopic, topic)
    counts.add(topic, paper, "topic")
    if not sink.first(topic, code):
        return
    sink.link(topic, RDF_TYPE, KG.Topic)
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
    sink: QuadSink, mint: IriMinter, paper: str, subject: _Concept, own: _SourceTopics, counts: _Counts
) -> None:
    """A subject a source gives the paper, in the source's graph: a kg:Topic in its scheme, with its parents."""
    sink.link(paper, KG.citesTopic, subject.iri)
    counts.add(subject.iri, paper, "topic")
    if sink.first(subject.iri, "topic"):
        sink.link(subject.iri, RDF_TYPE, KG.Topic)
        _describe_concept(sink, mint, subject, own.parents.get(subject.iri, []), own)
    if subject.given and subject.given != own.label(subject) and sink.first(subject.iri, subject.given):
        sink.value(subject.iri, SKOS + "altLabel", subject.given)


def _describe_concept(sink: QuadSink, mint: IriMinter, concept: _Concept, parents: list[_Concept], own) -> None:
    """A concept and the chain above it: scheme, label, notation and skos:broader; the top of a chain is a top
    concept of its scheme (a concept with no known parents is not said to be one)."""
    scheme = f"{mint.base}scheme/{slug(concept.scheme) or short_hash(concept.scheme)}"
    if sink.first(scheme):
        sink.link(scheme, RDF_TYPE, SKOS + "ConceptScheme")
        arxiv = category_scheme()
        name = arxiv["label"] if concept.scheme == arxiv["id"] else scheme_label(concept.scheme)
        sink.value(scheme, SKOS + "prefLabel", name)
    chain = [concept, *parents]
    for position, node in enumerate(chain):
        if position and not sink.first(node.iri, "concept"):
            continue  # a parent's own statements are written once a graph
        if position:
            sink.link(node.iri, RDF_TYPE, SKOS + "Concept")
        sink.link(node.iri, SKOS + "inScheme", scheme)
        sink.value(node.iri, SKOS + "prefLabel", own.label(node))
        if node.code:
            sink.value(node.iri, SKOS + "notation", node.code)
        if position + 1 < len(chain):
            sink.link(node.iri, SKOS + "broader", chain[position + 1].iri)
        elif parents or _is_top(node):
            sink.link(node.iri, SKOS + "topConceptOf", scheme)


def _is_top(concept: _Concept) -> bool:
    """A code its scheme's taxonomy names and puts under nothing ("68-XX", "I")."""
    return bool(
        concept.code and concept_name(concept.scheme, concept.code) and not ancestors(concept.scheme, concept.code)
    )


def _describe_keyword_topics(
    sink: QuadSink,
    mint: IriMinter,
    resolution: Resolution,
    paper_iris: list[str],
    own: _SourceTopics,
    found_labels: dict[str, str],
    counts: _Counts,
) -> None:
    """Each record's keywords as topics of kg's scheme, in its source's graph, with an assignment per paper.

    The assignment node is the one a topic found in the paper's text has (``<paper>/topic/<topic>``):
    a keyword that is also found in the text adds its method to that assignment, whose score is the
    text's; an assignment only keywords gave has no score.
    """
    scheme = f"{mint.base}scheme/topics"
    named: dict[str, tuple[str, str, str]] = {}  # key -> the topic's IRI, its last segment and its label
    for index, record in enumerate(resolution.records):
        keywords = own.keywords[index]
        if not keywords:
            continue
        source = record.source or SourceRef("<unknown>", 1, "unknown")
        sink.set_graph(mint.source(source.path, source.key))
        line = mint.source_line(source)
        paper = paper_iris[resolution.paper_of[index]]
        if sink.first(scheme):
            sink.link(scheme, RDF_TYPE, SKOS + "ConceptScheme")
            sink.value(scheme, SKOS + "prefLabel", TOPIC_SCHEME_LABEL)
        for keyword in keywords:
            if keyword.key not in named:
                iri = mint.topic(keyword.key)
                label = found_labels.get(iri) or keyword_label(keyword.key, own.forms[keyword.key])
                named[keyword.key] = (iri, iri.rsplit("/", 1)[-1], label)
            topic, tail, label = named[keyword.key]
            if sink.first(topic, "topic"):
                sink.link(topic, RDF_TYPE, KG.Topic)
                sink.value(topic, SKOS + "prefLabel", label)
                sink.link(topic, SKOS + "inScheme", scheme)
            if keyword.printed != label and sink.first(topic, keyword.printed):
                sink.value(topic, SKOS + "altLabel", keyword.printed)
            sink.link(paper, KG.citesTopic, topic)
            counts.add(topic, paper, "topic")
            assignment = f"{paper}/topic/{tail}"
            sink.link(paper, KG.hasTopicAssignment, assignment)
            sink.link(assignment, KG.topic, topic)
            sink.value(assignment, KG.method, keyword.method)
            sink.link(assignment, PROV_DERIVED_FROM, line)


def _describe_merges(sink: QuadSink, mint: IriMinter, resolution: Resolution) -> None:
    """Each merge and split of author resolution, with its rule, evidence and score."""
    sink.set_graph(f"{mint.base}graph/resolution")
    for person, merges in sorted(resolution.people.merges.items()):
        author = mint.person(person)
        for merge in dict.fromkeys(merges):  # one node per distinct decision
            decision = short_hash(f"{merge.rule}|{'|'.join(merge.evidence)}|{merge.score}", 6)
            node = f"{author}/merge/{slug(merge.variant) or short_hash(merge.variant)}-{decision}"
            sink.link(node, RDF_TYPE, KG.AuthorMerge)
            sink.link(node, KG.mergedInto, author)
            sink.value(node, KG.variantName, merge.variant)
            sink.value(node, KG.rule, merge.rule)
            for evidence in merge.evidence:
                sink.value(node, KG.evidence, evidence)
            if merge.score is not None:
                sink.value(node, KG.decisionScore, f"{merge.score:.3f}", "decimal")
    for split in resolution.people.splits:
        author, other = mint.person(split.person), mint.person(split.other)
        node = f"{author}/split/{other.rsplit('/', 1)[-1]}"
        sink.link(node, RDF_TYPE, KG.AuthorSplit)
        sink.link(node, KG.splitAuthor, author)
        sink.link(node, KG.keptApartFrom, other)
        sink.value(node, KG.rule, split.rule)
        for evidence in split.evidence:
            sink.value(node, KG.evidence, evidence)
        if split.score is not None:
            sink.value(node, KG.decisionScore, f"{split.score:.3f}", "decimal")


def _describe_topics(
    sink: QuadSink, mint: IriMinter, paper: str, hits: Sequence[TopicHit], described: set[str], counts: _Counts
) -> None:
    scheme = f"{mint.base}scheme/topics"
    for hit in hits:
        topic = mint.topic(hit.key)
        counts.add(topic, paper, "topic")
        if topic not in described:  # a topic's own statements are the same for every paper
            described.add(topic)
            sink.link(topic, RDF_TYPE, KG.Topic)
            sink.value(topic, SKOS + "prefLabel", hit.label)
            sink.link(topic, SKOS + "inScheme", scheme)
            for form in hit.forms:
                if form != hit.label:
                    sink.value(topic, SKOS + "altLabel", form)
        assignment = f"{paper}/topic/{topic.rsplit('/', 1)[-1]}"
        sink.link(paper, KG.citesTopic, topic)
        # No rdf:type on assignments: the range of kg:hasTopicAssignment says it, and at
        # five topics a paper every statement saved is a tenth of a build's topic cost.
        sink.link(paper, KG.hasTopicAssignment, assignment)
        sink.link(assignment, KG.topic, topic)
        sink.value(assignment, KG.score, f"{hit.score:.4f}", "decimal")
        sink.value(assignment, KG.method, hit.method)


def _describe_org(
    sink: QuadSink, mint: IriMinter, resolution: Resolution, name: str, ror_id: str | None = None
) -> str | None:
    """The org node of a printed name (its resolved canonical name); None for a name with no letters."""
    canonical = resolution.orgs.canonical(name)
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


def _describe_citations(
    sink: QuadSink, mint: IriMinter, resolution: Resolution, paper_iris: list[str], counts: _Counts
) -> None:
    """Every citation, in the graph of the source that listed it, and the works known only from citations.

    A cited-only work is a kg:Paper with ``kg:citedOnly true`` in the graph of every source citing it;
    its label, title, year and identifiers are written once, in the graph of its first citing source.
    """
    result = resolution.citations
    cited_iris = [mint.paper(work.identity, work.title or work.label) for work in result.cited_only]
    iris = paper_iris + cited_iris
    described: set[tuple[str, str]] = set()
    labelled: set[str] = set()
    for citation in result.citations:
        record = resolution.records[citation.record]
        source = record.source or SourceRef("<unknown>", 1, "unknown")
        graph = mint.source(source.path, source.key)
        line = mint.source_line(source)
        sink.set_graph(graph)
        citing, cited = iris[citation.citing], iris[citation.cited]
        if citation.cited >= result.paper_count and (cited, graph) not in described:
            described.add((cited, graph))
            sink.link(cited, RDF_TYPE, KG.Paper)
            sink.value(cited, KG.citedOnly, True)
            sink.link(cited, PROV_DERIVED_FROM, line)
            if cited not in labelled:
                labelled.add(cited)
                _describe_cited_work(sink, cited, result.cited_only[citation.cited - result.paper_count])
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
        counts.add(cited, citing, "citation")


def _describe_cited_work(sink: QuadSink, iri: str, work: Any) -> None:
    sink.value(iri, RDFS_LABEL, work.label)
    if work.title:
        sink.value(iri, KG.title, work.title)
    if work.year:
        sink.value(iri, KG.year, work.year)
    if work.venue:
        sink.value(iri, KG.venue, work.venue)
    if work.cited_author:
        sink.value(iri, KG.citedAuthor, work.cited_author)
    _describe_ids(sink, iri, work.ids)


def _describe_ids(sink: QuadSink, paper: str, ids: dict[str, str]) -> None:
    for scheme, value in sorted(ids.items()):
        if scheme == "doi":
            sink.value(paper, KG.doi, normalise_doi(value))
        elif scheme == "arxiv":
            sink.value(paper, KG.arxivId, normalise_arxiv_id(value))
        else:
            sink.value(paper, KG.identifier, f"{scheme}:{value}")
