"""Records to RDF quads, with deterministic IRIs and provenance.

Every statement a source supports is put in that source's named graph (the
graph's IRI is the source's IRI), and every paper and authorship node points
with prov:wasDerivedFrom at the source line it was read from. A merged node
is described in the graph of every source that mentions it, so nothing is lost
in merging and "which sources say X" is one query.

IRIs are minted from content (normalised names, identifiers, hashes), never
from counters, so the same inputs always give the same IRIs.

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

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from kg.errors import UsageError
from kg.namespace import DEFAULT_BASE, KG, PROV_DERIVED_FROM, RDF_TYPE, SKOS, XSD
from kg.records import Record, SourceRef
from kg.resolve.keys import (
    author_key,
    canonical_org,
    group_papers,
    normalise_arxiv_id,
    normalise_doi,
    org_key,
    paper_identity,
    paper_keys,
)
from kg.resolve.people import Aliases, AuthorResolution, resolve_authors
from kg.text import sanitize_text, slug
from kg.topics.categories import resolve_category
from kg.topics.categories import scheme as category_scheme
from kg.topics.finder import TopicHit

_DATE_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}


def short_hash(text: str, length: int = 10) -> str:
    """A stable hexadecimal digest of ``text``."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def _readable_id(key: str) -> str:
    """The slug of ``key`` when it says the same as the key, else slug plus a hash."""
    readable = slug(key)
    if readable and readable.replace("-", " ") == " ".join(key.split()).replace("-", " "):
        return readable
    return f"{readable}-{short_hash(key, 8)}" if readable else short_hash(key, 12)


class IriMinter:
    """Mints the IRIs of one build under ``base``.

    Examples
    --------
    >>> IriMinter("https://example.org/kg/").author("Kelvin Xu")
    'https://example.org/kg/author/kelvin-xu'
    >>> IriMinter("not a base")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: base IRI 'not a base' must be an absolute http(s) IRI ending in '/' or '#'
    """

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        import pyoxigraph

        ok = re.match(r"^https?://[^\s<>\"{}|\\^`]+[/#]$", base or "")
        try:
            pyoxigraph.NamedNode(base)
        except ValueError:
            ok = None
        if not ok:
            raise UsageError(f"base IRI {base!r} must be an absolute http(s) IRI ending in '/' or '#'")
        self.base = base
        self.people: AuthorResolution | None = None
        self.org_aliases: dict[str, str] = {}
        self._person_iris: dict[int, str] = {}
        self._org_iris: dict[str, str] = {}

    def use_people(self, people: AuthorResolution, org_aliases: dict[str, str] | None = None) -> None:
        """Mint author IRIs per resolved person; two people with one display name get distinct IRIs."""
        self.people = people
        self.org_aliases = org_aliases or {}
        by_iri: dict[str, list[int]] = {}
        for person, name in people.display.items():
            by_iri.setdefault(self.author(name), []).append(person)
        for iri, persons in by_iri.items():
            for person in persons:
                unique = len(persons) == 1
                self._person_iris[person] = iri if unique else f"{iri}-{short_hash(people.identity[person], 8)}"

    def person(self, person: int) -> str:
        return self._person_iris[person]

    def person_of(self, record: int, position: int) -> str:
        assert self.people is not None
        return self._person_iris[self.people.person(record, position)]

    def paper(self, identity: str, title: str | None) -> str:
        prefix = slug(title, 48) + "-" if title and slug(title, 48) else ""
        return f"{self.base}paper/{prefix}{short_hash(identity)}"

    def author(self, name: str) -> str:
        return f"{self.base}author/{_readable_id(author_key(name))}"

    def org(self, name: str) -> str:
        iri = self._org_iris.get(name)
        if iri is None:
            iri = self._org_iris[name] = f"{self.base}org/{_readable_id(org_key(name).replace('-', ' '))}"
        return iri

    def topic(self, key: str) -> str:
        return f"{self.base}topic/{_readable_id(key.lower())}"

    def category(self, code: str) -> str:
        """A category of a classification scheme: its code is unique there, so its slug is enough."""
        return f"{self.base}topic/category-{slug(code) or short_hash(code)}"

    def source(self, path: str) -> str:
        name = slug(path.replace("\\", "/").rsplit("/", 1)[-1], 40)
        return f"{self.base}source/{name + '-' if name else ''}{short_hash(path, 8)}"

    def source_line(self, source: SourceRef) -> str:
        return f"{self.source(source.path)}/L{source.line}"


_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_FORBIDDEN_RE = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def nt_literal(value: str, datatype: str | None = None) -> str:
    """An N-Triples literal: quotes, backslashes and line breaks escaped, lone surrogates replaced.

    Examples
    --------
    >>> print(nt_literal('say "hi"'))
    "say \\"hi\\""
    >>> nt_literal("2020", XSD + "gYear")
    '"2020"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    value = sanitize_text(value)
    literal = '"' + value.translate(_LITERAL_ESCAPES) + '"'
    return f"{literal}^^<{datatype}>" if datatype else literal


class _QuadSink:
    """Collects statements as N-Quads lines, one named graph at a time.

    Writing text and bulk-loading it is several times faster than building a
    Python term object per statement (MEASUREMENTS.md); every IRI is checked
    once, every literal escaped.
    """

    def __init__(self, flush: Callable[[list[str]], None] | None = None, chunk: int = 500_000) -> None:
        # A dict keeps first-seen order: what is handed on is in a reproducible order.
        self.lines: dict[str, None] = {}
        self._iris: dict[str, str] = {}
        self._graph = ""
        self._flush = flush
        self._chunk = chunk
        self._described: set[tuple] = set()

    def _add(self, line: str) -> None:
        self.lines[line] = None
        if self._flush is not None and len(self.lines) >= self._chunk:
            self.flush()

    def first(self, *key: object) -> bool:
        """True the first time ``key`` is seen in the current graph: a node's own statements are written once."""
        marked = (self._graph, *key)
        if marked in self._described:
            return False
        self._described.add(marked)
        return True

    def flush(self) -> None:
        """Hand the collected lines on (when streaming) and start a new chunk."""
        if self._flush is not None and self.lines:
            self._flush(list(self.lines))
            self.lines = {}

    def set_graph(self, iri: str) -> None:
        self._graph = self.iri(iri)

    def iri(self, iri: str) -> str:
        term = self._iris.get(iri)
        if term is None:
            if _IRI_FORBIDDEN_RE.search(iri):
                raise ValueError(f"not a valid IRI: {iri!r}")
            term = self._iris[iri] = f"<{iri}>"
        return term

    def link(self, subject: str, predicate: str, obj: str) -> None:
        self._add(f"{self.iri(subject)} {self.iri(predicate)} {self.iri(obj)} {self._graph} .")

    def value(self, subject: str, predicate: str, value: object, datatype: str | None = None) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            literal = nt_literal("true" if value else "false", XSD + "boolean")
        elif isinstance(value, int):
            literal = nt_literal(str(value), XSD + "integer")
        else:
            literal = nt_literal(str(value), XSD + datatype if datatype else None)
        self._add(f"{self.iri(subject)} {self.iri(predicate)} {literal} {self._graph} .")


def build_quads(
    records: Sequence[Record],
    base: str = DEFAULT_BASE,
    topics: Callable[[list[tuple[str | None, str | None]]], list[list[TopicHit]]] | None = None,
) -> list:
    """All quads of the graph of ``records`` as pyoxigraph Quads (see :func:`build_nquads`)."""
    import pyoxigraph

    data = "\n".join(build_nquads(records, base, topics)).encode("utf-8")
    return list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS))


def build_nquads(
    records: Sequence[Record],
    base: str = DEFAULT_BASE,
    topics: Callable[[list[tuple[str | None, str | None]]], list[list[TopicHit]]] | None = None,
    aliases: Aliases | None = None,
) -> list[str]:
    """All statements of the graph of ``records`` as sorted, distinct N-Quads lines.

    Holds every line in memory: a large build streams them into a store
    with :func:`load_graph` instead. Parameters as for :func:`load_graph`.
    """
    sink = _QuadSink()
    _write_graph(sink, records, base, topics, aliases)
    return sorted(sink.lines)


def load_graph(
    store,
    records: Sequence[Record],
    base: str = DEFAULT_BASE,
    topics: Callable[[list[tuple[str | None, str | None]]], list[list[TopicHit]]] | None = None,
    aliases: Aliases | None = None,
    chunk: int = 500_000,
    in_memory: bool = True,
) -> None:
    """Write the graph of ``records`` into a pyoxigraph ``store``, bulk-loaded a chunk of lines at a time.

    Memory stays bounded by ``chunk`` lines, not by the size of the graph;
    the store drops the statements that repeat across chunks. Chunks are
    loaded by a thread, in order, while this one writes the next (Oxigraph
    releases the GIL while it loads). ``in_memory`` picks Oxigraph's
    transactional load, faster for a store in memory; a store on disk gets
    its bulk loader.

    Parameters
    ----------
    store : pyoxigraph.Store
        Where the statements go (in memory or on disk).
    records : sequence of Record
        Records in input order; records of one paper are merged.
    base : str
        Base IRI of every minted node (ends in ``/`` or ``#``).
    topics : callable, optional
        Given (title, abstract) of every merged paper, returns each paper's
        ranked topics (e.g. :meth:`kg.topics.TopicExtractor.extract`), or
        an object whose ``result()`` returns them later
        (:meth:`kg.topics.TopicExtractor.start`, which reads them in worker
        processes while the rest of the graph is written). Its statements
        go to the named graph ``<base>graph/topics``.
    aliases : kg.resolve.people.Aliases, optional
        The user's forced and forbidden merges of authors and orgs.

    """
    from concurrent.futures import Future, ThreadPoolExecutor

    import pyoxigraph

    load = store.load if in_memory else store.bulk_load
    pending: list[Future] = []

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-load") as loader:

        def hand_on(lines: list[str]) -> None:
            data = "\n".join(lines).encode("utf-8")
            while len(pending) >= 2:  # at most two chunks waiting: memory stays bounded
                pending.pop(0).result()
            pending.append(loader.submit(load, data, format=pyoxigraph.RdfFormat.N_QUADS))

        sink = _QuadSink(flush=hand_on, chunk=chunk)
        _write_graph(sink, records, base, topics, aliases)
        sink.flush()
        for future in pending:
            future.result()


class _Counts:
    """Distinct papers per author, org and topic, and per topic and year, gathered while statements are written."""

    def __init__(self) -> None:
        self.papers: defaultdict[str, set[str]] = defaultdict(set)
        self.year_of: dict[str, int] = {}
        self.kind: dict[str, str] = {}

    def add(self, node: str, paper: str, kind: str) -> None:
        """Count ``paper`` for ``node``, an "author", "org" or "topic"."""
        self.papers[node].add(paper)
        self.kind[node] = kind

    def describe(self, sink: _QuadSink, base: str) -> None:
        """The named graph ``<base>graph/counts``: a paper count on every counted node, and topic years."""
        sink.set_graph(f"{base}graph/counts")
        predicates = {"author": KG.authorPaperCount, "org": KG.orgPaperCount, "topic": KG.topicPaperCount}
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


def _write_graph(sink: _QuadSink, records: Sequence[Record], base: str, topics, aliases: Aliases | None) -> None:
    mint = IriMinter(base)
    counts = _Counts()
    paper_of: dict[int, str] = {}
    keys = [paper_keys(record) for record in records]
    groups = group_papers(records, keys)
    papers: list[tuple[str, str | None, str | None]] = []
    for members in groups:
        titles = [records[i].title for i in members if records[i].title]
        abstracts = [records[i].abstract for i in members if records[i].abstract]
        iri = mint.paper(paper_identity(records, members, keys), min(titles) if titles else None)
        papers.append((iri, titles[0] if titles else None, max(abstracts, key=len) if abstracts else None))
        dates = [records[i].date for i in members if records[i].date]
        if dates:
            counts.year_of[iri] = int(dates[0][:4])
        for index in members:
            paper_of[index] = iri
    # Topics are read in worker processes while this one resolves authors and writes statements.
    pending = topics([(title, abstract) for _, title, abstract in papers]) if topics is not None and papers else None
    people = resolve_authors(records, aliases, groups)
    mint.use_people(people, org_aliases={**_ror_alias_table(records), **_org_alias_table(aliases)})
    described_sources: set[str] = set()
    for index, record in enumerate(records):
        source = record.source or SourceRef("<unknown>", 1, "unknown")
        source_iri = mint.source(source.path)
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
        _describe_paper(sink, mint, record, paper_of[index], line_iri, index, counts)
    if people.merges:
        _describe_merges(sink, mint, people)
    if pending is not None:
        sink.set_graph(f"{base}graph/topics")
        hits = pending.result() if hasattr(pending, "result") else pending
        scheme = f"{base}scheme/topics"
        sink.link(scheme, RDF_TYPE, SKOS + "ConceptScheme")
        sink.value(scheme, SKOS + "prefLabel", "Topics found by kg in titles and abstracts")
        described: set[str] = set()
        for (paper, _, _), paper_hits in zip(papers, hits, strict=True):
            _describe_topics(sink, mint, paper, paper_hits, described, counts)
    counts.describe(sink, base)


def _ror_alias_table(records: Sequence[Record]) -> dict[str, str]:
    """Org names that sources tie to one ROR id all map to one of them (the first in sorted order)."""
    names_of: dict[str, set[str]] = {}
    for record in records:
        for name, ror in (record.extra.get("org_ror") or {}).items() if isinstance(record.extra, dict) else ():
            if isinstance(name, str) and isinstance(ror, str):
                names_of.setdefault(ror, set()).add(name)
    table: dict[str, str] = {}
    for names in names_of.values():
        canonical = canonical_org(min(names))
        for name in names:
            table[org_key(name)] = canonical
    return table


def _org_alias_table(aliases: Aliases | None) -> dict[str, str]:
    table: dict[str, str] = {}
    for group in aliases.same_orgs if aliases else []:
        for name in group:
            table[org_key(name)] = canonical_org(group[0])
    return table


def _describe_merges(sink: _QuadSink, mint: IriMinter, people: AuthorResolution) -> None:
    sink.set_graph(f"{mint.base}graph/resolution")
    for person, merges in sorted(people.merges.items()):
        author = mint.person(person)
        for merge in merges:
            node = f"{author}/merge/{slug(merge.variant) or short_hash(merge.variant)}-{short_hash(merge.rule, 6)}"
            sink.link(node, RDF_TYPE, KG.AuthorMerge)
            sink.link(node, KG.mergedInto, author)
            sink.value(node, KG.variantName, merge.variant)
            sink.value(node, KG.rule, merge.rule)
            for evidence in merge.evidence:
                sink.value(node, KG.evidence, evidence)


def _describe_topics(
    sink: _QuadSink, mint: IriMinter, paper: str, hits: Sequence[TopicHit], described: set[str], counts: _Counts
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


def _describe_paper(
    sink: _QuadSink, mint: IriMinter, record: Record, paper: str, line_iri: str, record_index: int, counts: _Counts
) -> None:
    sink.link(paper, RDF_TYPE, KG.Paper)
    sink.link(paper, PROV_DERIVED_FROM, line_iri)
    sink.value(paper, KG.title, record.title)
    sink.value(paper, KG.abstract, record.abstract)
    if record.date:
        sink.value(paper, KG.date, record.date, _DATE_TYPES[len(record.date)])
        if record.date_inferred:
            sink.value(paper, KG.dateInferred, True)
    sink.value(paper, KG.venue, record.venue)
    sink.value(paper, KG.venueStatus, record.extra.get("venue_status") if record.extra else None)
    sink.value(paper, KG.authorCount, record.author_count)
    sink.value(paper, KG.upvotes, record.upvotes)
    sink.value(paper, KG.hasCode, record.has_code)
    if record.authors:
        sink.value(paper, KG.authorsTruncated, record.authors_truncated)
    _describe_ids(sink, paper, record.ids)
    ror = record.extra.get("org_ror") if isinstance(record.extra.get("org_ror"), dict) else {}
    for position, author in enumerate(record.authors, start=1):
        author_iri = mint.person_of(record_index, position - 1) if mint.people else mint.author(author.name)
        authorship = f"{paper}/authorship/{position}-{author_iri.rsplit('/', 1)[-1]}"
        if sink.first(author_iri, author.name):
            sink.link(author_iri, RDF_TYPE, KG.Author)
            sink.value(author_iri, KG.name, author.name)
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
            org = _describe_org(sink, mint, affiliation, ror.get(affiliation))
            if org:
                sink.link(authorship, KG.affiliated, org)
                sink.link(author_iri, KG.affiliated, org)
                counts.add(org, paper, "org")
    for name in record.orgs:
        org = _describe_org(sink, mint, name)
        if org:
            sink.link(paper, KG.affiliated, org)
            counts.add(org, paper, "org")
    for code in record.categories:
        category = resolve_category(code)
        topic = mint.category(category.code if category else code)
        sink.link(paper, KG.citesTopic, topic)
        counts.add(topic, paper, "topic")
        if not sink.first(topic, code):
            continue
        sink.link(topic, RDF_TYPE, KG.Topic)
        if category is None:
            sink.value(topic, SKOS + "prefLabel", code)
            sink.value(topic, SKOS + "notation", code)
            continue
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


def _describe_org(sink: _QuadSink, mint: IriMinter, name: str, ror: str | None = None) -> str | None:
    """An org node, named by its canonical name; names that share a ROR id share the node (see build_nquads)."""
    if not org_key(name):
        return None
    canonical = mint.org_aliases.get(org_key(name)) or canonical_org(name)
    ror_id = ror.rstrip("/").rsplit("/", 1)[-1] if isinstance(ror, str) and ror.strip() else None
    org = mint.org(canonical)
    if not sink.first(org, name, ror_id):
        return org
    if ror_id:
        sink.value(org, KG.identifier, f"ror:{ror_id}")
    sink.link(org, RDF_TYPE, KG.Org)
    sink.value(org, KG.name, name)
    if canonical != name:
        sink.value(org, KG.name, canonical)
    return org


def _describe_ids(sink: _QuadSink, paper: str, ids: dict[str, str]) -> None:
    for scheme, value in sorted(ids.items()):
        if scheme == "doi":
            sink.value(paper, KG.doi, normalise_doi(value))
        elif scheme == "arxiv":
            sink.value(paper, KG.arxivId, normalise_arxiv_id(value))
        else:
            sink.value(paper, KG.identifier, f"{scheme}:{value}")
