"""Talk to a SPARQL server: query any SPARQL 1.1 endpoint, push a graph into any Graph Store.

- :func:`query_endpoint` sends a query to a SPARQL 1.1 Protocol endpoint
  (a form POST, retried like a GET since a query changes nothing) and reads
  the answer with Oxigraph's results parser, as a local query's result.
- :func:`push` loads a graph into a SPARQL 1.1 Graph Store HTTP Protocol
  server, graph by graph, so every source keeps its own graph, in requests
  of at most :data:`CHUNK_STATEMENTS` statements: PUT (retried on failure)
  replaces a graph with the first, POST (never retried, since a repeat could
  add the statements twice) adds the next ones, and every one with
  ``append``. A build's own graphs (counts, topics, resolution, and
  statements in no named graph) go under the build's name,
  ``<graph IRI>/<build>``, so that several builds pushed into one server
  never replace each other's (:func:`build_name`); a source's graph keeps
  its name: a source is the same in every build.

Both send through :func:`kg.io.http.request_answer`. Endpoints are named by the
user, so private and loopback hosts are allowed; failures are one-line
:class:`kg.errors.InputError` naming the endpoint. An answer that stops at the
server's row cap (Virtuoso's ``X-SPARQL-MaxRows`` header) is still returned,
with a warning (:class:`RowCapWarning`).

Examples
--------
>>> with_prefixes("SELECT * WHERE { ?s a kg:Paper }").startswith("PREFIX kg: <https://w3id.org/kg/ontology#>")
True
>>> query_endpoint("ftp://example.org/sparql", "ASK {}")
Traceback (most recent call last):
...
kg.errors.UsageError: ftp://example.org/sparql: an endpoint must be an http(s) URL
>>> build_graph("https://w3id.org/kg/id/graph/counts", "seeds-1a2b3c4d")
'https://w3id.org/kg/id/graph/counts/seeds-1a2b3c4d'
>>> build_graph("https://w3id.org/kg/id/source/page-txt-5e6f7a8b", "seeds-1a2b3c4d")
'https://w3id.org/kg/id/source/page-txt-5e6f7a8b'
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import urllib.parse
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, QueryError, ServerAnswerError, UsageError
from kg.io.http import RETRIES, request_answer
from kg.io.inputs import STDIN
from kg.query import PREFIXES, Insertion, QueryResult, bound_query, user_positions
from kg.rdf.iris import short_hash
from kg.text import slug

TIMEOUT_S = 60.0
CHUNK_STATEMENTS = 50_000  # at most this many statements a request: about 10 MB, a second or less on Virtuoso
_PREFIX_DECLARED_RE = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
# The graphs kg's writer makes for a whole build (kg.rdf.writer): <base>graph/counts, /topics and /resolution.
_BUILD_GRAPH_RE = re.compile(r"/graph/(?:counts|topics|resolution)$")
_BUILD_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# A literal holding "<" (one N-Triples line holds at most one literal: the object).
_ANGLED_LITERAL_RE = re.compile(rb'"(?:[^"\\\n<]|\\.)*<(?:[^"\\\n]|\\.)*"')
# The header Virtuoso adds when an answer has as many rows as its cap (ResultSetMaxRows) allows.
_ROW_CAP_HEADER = "X-SPARQL-MaxRows"


class RowCapWarning(UserWarning):
    """An endpoint's answer stopped at the server's row cap: rows past it may be missing."""


def with_prefixes(sparql: str, prefixes: Mapping[str, str] | None = None) -> str:
    r"""``sparql`` with ``prefixes`` (kg's usual ones by default) declared, except those it declares itself.

    A remote server does not know kg's predeclared prefixes, so they travel with the query, all
    on the query's first line: the server's line numbers are the user's (see :func:`_prefix_block`).

    Examples
    --------
    >>> text = with_prefixes("PREFIX kg: <urn:mine#>\nASK { ?s a kg:Paper }")
    >>> text.count("PREFIX kg:"), text.count("\n"), text.endswith("PREFIX kg: <urn:mine#>\nASK { ?s a kg:Paper }")
    (1, 1, True)
    """
    return _prefix_block(sparql, prefixes) + sparql


def _prefix_block(sparql: str, prefixes: Mapping[str, str] | None) -> str:
    declared = {match.group(1) or "" for match in _PREFIX_DECLARED_RE.finditer(sparql)}
    chosen = PREFIXES if prefixes is None else prefixes
    return "".join(f"PREFIX {name}: <{iri}> " for name, iri in chosen.items() if name not in declared)


def _check_endpoint(endpoint: str) -> None:
    try:
        parsed = urllib.parse.urlsplit(endpoint)
        parsed.port  # noqa: B018 - a port out of range raises here
    except ValueError as error:
        raise UsageError(f"{endpoint}: not a valid URL ({error})") from None
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        raise UsageError(f"{endpoint}: an endpoint must be an http(s) URL")


def query_endpoint(
    endpoint: str,
    sparql: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    result_format: str | None = None,
    timeout_s: float = TIMEOUT_S,
    retries: int = RETRIES,
    prefixes: Mapping[str, str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> QueryResult | bytes:
    """Run ``sparql`` on a SPARQL 1.1 Protocol endpoint.

    With ``result_format`` (json, xml, csv, tsv) the server's answer is returned
    as bytes; without, a :class:`kg.query.QueryResult` like a local query's.
    Bindings go into a VALUES block, as for local queries; ``prefixes`` (kg's
    usual ones by default) are declared in the text sent. A failed request is
    tried ``retries`` more times (see :func:`kg.io.http.request`).

    An answer that stops at the server's row cap (Virtuoso says so with an
    ``X-SPARQL-MaxRows`` header; its ``ResultSetMaxRows`` is 10,000 by default)
    is returned as it came, and ``warn`` is called with a one-line message
    saying so and how to get every row; without ``warn``, a
    :class:`RowCapWarning` is issued.

    Raises
    ------
    kg.errors.QueryError
        The endpoint refused the query (HTTP 400: it does not parse, or breaks a
        limit of the server); positions in its message are moved back to the
        text given, as a local query's are.
    kg.errors.UsageError
        The endpoint is not an http(s) URL, or the result format is unknown.
    kg.errors.InputError
        The endpoint cannot be reached, answered with an error (its message is
        kept), or answered something that is not SPARQL results.
    """
    _check_endpoint(endpoint)
    if result_format is not None and result_format not in _RESULT_TYPES:
        raise UsageError(f"unknown result format {result_format!r} (known: {', '.join(_RESULT_TYPES)})")
    bound, values_block = bound_query(sparql, bindings or {})
    block = _prefix_block(bound, prefixes)
    insertions = [edit for edit in (values_block, Insertion(1, 1, len(block.encode("utf-8")))) if edit]
    accept = _RESULT_TYPES[result_format or "json"] + ", application/n-triples;q=0.9"
    try:
        data, headers = request_answer(
            endpoint,
            method="POST",
            data=urllib.parse.urlencode({"query": block + bound}).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept},
            timeout=timeout_s,
            retries=retries,
            max_bytes=None,
            allow_private=True,
            idempotent=True,  # a query changes nothing: sending it again is safe
        )
    except ServerAnswerError as error:
        if error.status != 400:
            raise
        message = user_positions(error.reason.removeprefix("the server answered 400: "), insertions)
        raise QueryError(f"{endpoint}: the endpoint refused the query: {message}") from None
    cap = (headers.get(_ROW_CAP_HEADER) or "").strip()
    if cap.isdigit():
        message = _row_cap_message(endpoint, int(cap))
        if warn is None:
            warnings.warn(message, RowCapWarning, stacklevel=2)
        else:
            warn(message)
    if result_format is not None:
        return data
    return _parse_answer(endpoint, data)


def _row_cap_message(endpoint: str, cap: int) -> str:
    """What a capped answer means, and how to get every row.

    Examples
    --------
    >>> print(_row_cap_message("http://127.0.0.1:8890/sparql", 10000))  # doctest: +ELLIPSIS
    http://127.0.0.1:8890/sparql: the answer has 10000 rows, the server's row cap (X-SPARQL-MaxRows): rows past ...
    """
    return (
        f"{endpoint}: the answer has {cap} rows, the server's row cap ({_ROW_CAP_HEADER}): rows past it may be "
        "missing; raise the cap (Virtuoso: ResultSetMaxRows in [SPARQL] of virtuoso.ini, and MaxSortedTopRows in "
        f"[Parameters] to sort past 10000 rows) or ask for pages of fewer than {cap} rows with ORDER BY, LIMIT "
        "and OFFSET"
    )


def _parse_answer(endpoint: str, data: bytes) -> QueryResult:
    import pyoxigraph

    try:
        answer = pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError):
        try:
            triples = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError):
            raise InputError(endpoint, "the answer is neither SPARQL JSON results nor N-Triples") from None
        return QueryResult([], [], triples=triples)
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult([], [], boolean=bool(answer))
    variables = [v.value for v in answer.variables]
    return QueryResult(variables, [tuple(solution[v] for v in variables) for solution in answer])


def build_name(path: str | os.PathLike[str], name: str | None = None) -> str:
    """The name :func:`push` gives the build in ``path``: ``name`` when given (checked), else one made from the path.

    The name made is the file or folder name with a hash of its real path: the
    same store or file pushed again (after it changed) has the same name, so
    its graphs replace their earlier selves; another build has another name.

    Raises
    ------
    kg.errors.UsageError
        ``name`` is not a build name (letters, digits, ``.``, ``_`` and ``-``,
        starting with a letter or digit, at most 64), or there is none and
        ``path`` is standard input (``-``), which has no name to keep.

    Examples
    --------
    >>> made = build_name("/data/seeds")
    >>> made.startswith("seeds-"), len(made), made == build_name("/data/seeds/"), made == build_name("/data2/seeds")
    (True, 14, True, False)
    >>> build_name("-", "seeds-2025")
    'seeds-2025'
    >>> build_name("/data/seeds", "../seeds")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: '../seeds' is not a build name for build: letters, digits, '.', '_' and '-', starting ...
    """
    if name is not None:
        return _checked_build(name)
    if str(path) == STDIN:
        raise UsageError(
            "a graph read from standard input needs a build name ({option} NAME): it names the graphs "
            "that a later push of the same build replaces",
            option="build",
        )
    real = Path(path).resolve()
    return f"{slug(real.name)[:40].strip('-') or 'build'}-{short_hash(str(real), 8)}"


def _checked_build(build: object) -> str:
    if not isinstance(build, str) or not _BUILD_NAME_RE.fullmatch(build):
        raise UsageError(
            f"{build!r} is not a build name for {{option}}: letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, at most 64",
            option="build",
        )
    return build


def build_graph(graph_name: str, build: str) -> str:
    """The name ``graph_name`` takes on the server when pushed as part of ``build``.

    A build's own graphs, ``<base>graph/counts``, ``/topics`` and
    ``/resolution``, become ``<graph IRI>/<build>``; every other graph (a
    source's) keeps its name.
    """
    return f"{graph_name}/{build}" if _BUILD_GRAPH_RE.search(graph_name) else graph_name


@dataclass(frozen=True)
class Pushed:
    """What :func:`push` did: ``sent`` (graph name, statements) per graph; ``removed``, the graphs an earlier
    push of the build had sent that it no longer has (a source removed since), deleted from the server; and
    ``notes``, what it could not do (a server that gives no graph back keeps the graphs of removed sources)."""

    sent: list[tuple[str, int]]
    removed: list[str]
    notes: list[str] = field(default_factory=list)


def push(
    graph: Any,
    endpoint: str,
    *,
    build: str,
    append: bool = False,
    timeout_s: float = TIMEOUT_S,
    retries: int = RETRIES,
    chunk: int = CHUNK_STATEMENTS,
) -> Pushed:
    """Load ``graph`` (a :class:`kg.graph.KnowledgeGraph`) into a Graph Store Protocol server as ``build``.

    Each named graph is sent as N-Triples to ``endpoint?graph=IRI``: a source's
    graph under its own name, the build's own graphs (counts, topics,
    resolution) under ``<graph IRI>/<build>`` (:func:`build_graph`), and
    statements in no named graph under ``<base>graph/default/<build>``. So
    builds pushed into one server keep their counts apart, and a second push
    of the same build replaces its own graphs.

    A graph goes in requests of at most ``chunk`` statements, so that no
    request outlasts ``timeout_s`` or holds a large graph in memory: PUT
    replaces what the server held under that name with the first, POST adds
    each next one. A PUT is tried ``retries`` more times after a failure; a
    POST (every request with ``append``) is sent once, since a repeat could
    add the statements twice.

    The server keeps, for each build, the list of graphs it sent (the graph
    ``<base>graph/pushed/<build>``, each graph a ``prov:hadMember``; the builds are
    members of ``<base>graph/pushed``). A push without ``append`` deletes the graphs
    its build's last push sent that it no longer has (the graph of a source removed
    since), unless another build's list names them too: the server holds what the
    build holds now. The list is written before the graphs and again after, so a
    push cut short forgets nothing it sent.

    Parameters
    ----------
    build : str
        The build's name (see :func:`build_name`): letters, digits, ``.``,
        ``_`` and ``-``, starting with a letter or digit, at most 64.
    chunk : int
        The most statements one request carries.

    Raises
    ------
    kg.errors.UsageError
        The endpoint is not an http(s) URL, or ``build`` is not a name.
    kg.errors.InputError
        A request failed: the graphs sent before it stay on the server, and
        the message names a graph left incomplete; a server that does not let
        the endpoint write says how to let it.
    """

    _check_endpoint(endpoint)
    _checked_build(build)
    send = functools.partial(_send, endpoint, timeout_s=timeout_s, retries=retries)
    pushed_list, pushed_index = f"{graph.base}graph/pushed/{build}", f"{graph.base}graph/pushed"
    names = [_server_name(graph, name, build) for name in graph.graph_names()]
    notes: list[str] = []
    previous = [] if append else _members(endpoint, pushed_list, timeout_s, retries, notes)
    # Listed before they are sent (until the push ends, the build holds both what it sent and what it sends
    # now): a push cut short leaves no graph that no list names.
    send(pushed_index, _membership(pushed_index, [pushed_list]), method="POST")
    listed = set(previous)
    if append:
        send(pushed_list, _membership(pushed_list, names), method="POST")
    elif not set(names) <= listed:
        listed |= set(names)
        send(pushed_list, _membership(pushed_list, sorted(listed)), method="PUT")
    sent: list[tuple[str, int]] = []
    for graph_name in graph.graph_names():
        name = _server_name(graph, graph_name, build)
        count = 0
        for data, statements in _chunks(graph.store, graph_name, chunk):
            method = "POST" if append or count else "PUT"
            try:
                _send(endpoint, name, data, method=method, timeout_s=timeout_s, retries=retries)
            except InputError as error:
                if not count:
                    raise
                partial = f"; the server holds only part of graph <{name}> ({count} statements): push again"
                raise InputError(endpoint, error.reason + partial, option=error.option) from None
            count += statements
        if count:
            sent.append((name, count))
    held = [name for name, _ in sent]
    removed = []
    stale = [name for name in previous if name not in held]
    if stale:
        others = set()
        for member in _members(endpoint, pushed_index, timeout_s, retries, notes):
            if member != pushed_list:
                others.update(_members(endpoint, member, timeout_s, retries, notes))
        for name in stale:
            if name not in others:
                _delete(endpoint, name, timeout_s, retries)
                removed.append(name)
    if not append and set(held) != listed:
        send(pushed_list, _membership(pushed_list, held), method="PUT")
    return Pushed(sent, removed, notes)


def _server_name(graph: Any, graph_name: Any, build: str) -> str:
    """The name a graph of ``graph`` takes on the server when pushed as ``build``."""
    import pyoxigraph

    if isinstance(graph_name, pyoxigraph.DefaultGraph):
        # Statements in no named graph are this build's too: a second build PUT into the server's default
        # graph would replace them. And Virtuoso's Graph Store has no default graph to write unless one is
        # set for the host (it answers "?default" with a 500); its queries read every graph anyway.
        return f"{graph.base}graph/default/{build}"
    return build_graph(graph_name.value, build)


def _membership(collection: str, members: list[str]) -> bytes:
    """N-Triples: ``collection prov:hadMember member`` for each of ``members``."""
    import pyoxigraph

    subject, predicate = pyoxigraph.NamedNode(collection), pyoxigraph.NamedNode(PREFIXES["prov"] + "hadMember")
    triples = [pyoxigraph.Triple(subject, predicate, pyoxigraph.NamedNode(m)) for m in dict.fromkeys(members)]
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)


def _members(endpoint: str, collection: str, timeout_s: float, retries: int, notes: list[str]) -> list[str]:
    """The members the server's graph ``collection`` lists (none when the server has no such graph, or gives
    no graph back: then ``notes`` says so)."""
    import pyoxigraph

    try:
        answer = request_answer(_with_query(endpoint, urllib.parse.urlencode({"graph": collection})),
                                headers={"Accept": "application/n-triples"}, timeout=timeout_s, retries=retries,
                                allow_private=True, source=endpoint)  # fmt: skip
    except ServerAnswerError as error:
        if error.status == 404:
            return []
        if error.status in (401, 403, 405, 501):
            note = (f"the server gives no graph back ({error.reason}): the graphs of sources a build no longer "
                    "has stay on it")  # fmt: skip
            if note not in notes:
                notes.append(note)
            return []
        raise
    try:  # N-Triples, as asked; Turtle, which holds it, from a server that answers in Turtle anyway
        triples = pyoxigraph.parse(answer.body, format=pyoxigraph.RdfFormat.TURTLE)
        member = PREFIXES["prov"] + "hadMember"
        return sorted({t.object.value for t in triples if t.subject.value == collection and t.predicate.value == member
                       and isinstance(t.object, pyoxigraph.NamedNode)})  # fmt: skip
    except (SyntaxError, ValueError):
        raise InputError(endpoint, f"graph <{collection}> is not the N-Triples kg asked for") from None


def _delete(endpoint: str, name: str, timeout_s: float, retries: int) -> None:
    try:
        request_answer(_with_query(endpoint, urllib.parse.urlencode({"graph": name})), method="DELETE",
                       timeout=timeout_s, retries=retries, allow_private=True, source=endpoint)  # fmt: skip
    except ServerAnswerError as error:
        if error.status != 404:  # gone already: what was asked
            raise


def _chunks(store: Any, graph_name: Any, size: int) -> Iterator[tuple[bytes, int]]:
    """The statements of one graph as N-Triples, at most ``size`` at a time (``<`` in literals escaped)."""
    import pyoxigraph

    quads = store.quads_for_pattern(None, None, None, graph_name)
    while triples := [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in itertools.islice(quads, size)]:
        yield _angles_escaped(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)), len(triples)


def _send(endpoint: str, name: str, data: bytes, *, method: str, timeout_s: float, retries: int) -> None:
    try:
        request_answer(
            _with_query(endpoint, urllib.parse.urlencode({"graph": name})),
            method=method,
            data=data,
            headers={"Content-Type": "application/n-triples"},
            timeout=timeout_s,
            retries=retries,
            allow_private=True,
            idempotent=method == "PUT",
            source=endpoint,
        )
    except ServerAnswerError as error:
        if error.status not in (401, 403):
            raise
        # The server took the request but will not write: its setup, not kg, must change.
        raise InputError(
            endpoint,
            f"the server refused to write graph <{name}> ({error.reason}): let this endpoint's user write "
            'graphs (Virtuoso: in isql, GRANT SPARQL_UPDATE TO "SPARQL";)',
        ) from None


def _angles_escaped(data: bytes) -> bytes:
    r"""N-Triples ``data`` with every ``<`` inside a literal written ``\u003C``: the same statements.

    Virtuoso's Graph Store (7.2) ignores the Content-Type and guesses the type
    from the body's first 64 KB: a literal holding ``<html>`` makes it refuse
    the graph as an HTML page. With ``<`` escaped the body holds no tag.

    Examples
    --------
    >>> _angles_escaped(b'<urn:a> <urn:p> "see <html> \\"<b>\\"" .\n<urn:a> <urn:q> "1"^^<urn:t> .\n')
    b'<urn:a> <urn:p> "see \\u003Chtml> \\"\\u003Cb>\\"" .\n<urn:a> <urn:q> "1"^^<urn:t> .\n'
    """
    return _ANGLED_LITERAL_RE.sub(lambda literal: literal.group(0).replace(b"<", b"\\u003C"), data)


def _with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"
