"""Talk to a SPARQL server: query any SPARQL 1.1 endpoint, push a graph into any Graph Store.

- :func:`query_endpoint` sends a query to a SPARQL 1.1 Protocol endpoint
  (a form POST, retried like a GET since a query changes nothing) and reads
  the answer with Oxigraph's results parser, as a local query's result.
- :func:`push` loads a graph into a SPARQL 1.1 Graph Store HTTP Protocol
  server, one request per named graph, so every source keeps its own graph;
  PUT (retried on failure) replaces a graph, POST (``append``, never retried,
  since a repeat would add the statements twice) adds to it.

Both send through :func:`kg.io.http.request`. Endpoints are named by the user,
so private and loopback hosts are allowed; failures are one-line
:class:`kg.errors.InputError` naming the endpoint.

Examples
--------
>>> with_prefixes("SELECT * WHERE { ?s a kg:Paper }").startswith("PREFIX kg: <https://w3id.org/kg/ontology#>")
True
>>> query_endpoint("ftp://example.org/sparql", "ASK {}")
Traceback (most recent call last):
...
kg.errors.UsageError: ftp://example.org/sparql: an endpoint must be an http(s) URL
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

from kg.errors import InputError, QueryError, ServerAnswerError, UsageError
from kg.io.http import RETRIES, request
from kg.query import PREFIXES, Insertion, QueryResult, bound_query, user_positions

TIMEOUT_S = 60.0
_PREFIX_DECLARED_RE = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


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
) -> QueryResult | bytes:
    """Run ``sparql`` on a SPARQL 1.1 Protocol endpoint.

    With ``result_format`` (json, xml, csv, tsv) the server's answer is returned
    as bytes; without, a :class:`kg.query.QueryResult` like a local query's.
    Bindings go into a VALUES block, as for local queries; ``prefixes`` (kg's
    usual ones by default) are declared in the text sent. A failed request is
    tried ``retries`` more times (see :func:`kg.io.http.request`).

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
        data = request(
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
    if result_format is not None:
        return data
    return _parse_answer(endpoint, data)


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


def push(
    graph: Any, endpoint: str, *, append: bool = False, timeout_s: float = TIMEOUT_S, retries: int = RETRIES
) -> list[tuple[str, int]]:
    """Load ``graph`` (a :class:`kg.graph.KnowledgeGraph`) into a Graph Store Protocol server.

    Each named graph (one per source, topics, resolution) is sent as N-Triples
    to ``endpoint?graph=IRI``, and the default graph to ``endpoint?default``:
    PUT replaces what the server held under that name and is tried ``retries``
    more times after a failure; POST (``append``) adds to it and is sent once,
    since a repeat could add the statements twice. Returns (graph name,
    statements sent) per request.

    Raises
    ------
    kg.errors.UsageError
        The endpoint is not an http(s) URL.
    kg.errors.InputError
        A request failed (the graphs sent before it stay on the server).
    """
    import pyoxigraph

    _check_endpoint(endpoint)
    sent: list[tuple[str, int]] = []
    for graph_name in graph.graph_names():
        data = graph.store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph_name)
        if isinstance(graph_name, pyoxigraph.DefaultGraph):
            if not data:
                continue
            target, label = _with_query(endpoint, "default"), "default graph"
        else:
            target, label = _with_query(endpoint, urllib.parse.urlencode({"graph": graph_name.value})), graph_name.value
        request(
            target,
            method="POST" if append else "PUT",
            data=data,
            headers={"Content-Type": "application/n-triples"},
            timeout=timeout_s,
            retries=retries,
            allow_private=True,
            idempotent=not append,
            source=endpoint,
        )
        sent.append((label, data.count(b"\n")))
    return sent


def _with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"
