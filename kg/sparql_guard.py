"""Limits a SPARQL query or update must keep before Oxigraph sees it: size, nesting, and no SERVICE calls.

Oxigraph parses and plans a query by recursion: a few thousand nested groups
``{{{...}}}``, or a chain of a few thousand operators (``!!!!...``,
``1+1+...``, a path ``<p>/<p>/...``) exhaust a thread's stack and abort the
process, and ``SERVICE <url>`` makes it send requests to any address. kg
checks every query and update text first, with a scanner (not a parser): it
skips string literals (triple-quoted ones too), IRIs ``<...>`` and comments,
and counts what is left:

- the text's size in UTF-8 bytes (at most :data:`MAX_BYTES`);
- how deep brackets ``( { [`` and ``<<`` nest (at most :data:`MAX_DEPTH`);
- its terms and operators (at most :data:`MAX_TOKENS`), the data of ``VALUES``
  blocks aside, so that a long list of values stays possible;
- ``SERVICE`` and ``LOAD``: refused unless the IRI after them, written in
  full as ``<...>``, is one the caller allows (a variable never is).

A ``\\u`` escape outside a string or an IRI is refused too: SPARQL allows such
escapes anywhere, and a parser that honoured them would see a query the
scanner did not.

Examples
--------
>>> check_sparql("SELECT ?name WHERE { ?a kg:name ?name } # SERVICE <http://x/> in a comment")
[]
>>> check_sparql("SELECT * WHERE " + "{" * 100 + "}" * 100)
Traceback (most recent call last):
...
kg.errors.UsageError: the query nests brackets more than 64 deep, which no real query needs (refused)
>>> check_sparql("SELECT * WHERE { SERVICE <http://127.0.0.1:8080/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.errors.UsageError: the query calls SERVICE <http://127.0.0.1:8080/>: not allowed (allow it with allow_service)
>>> check_sparql("SELECT * WHERE { SERVICE <https://query.example.org/> { ?s ?p ?o } }",
...              allow_service=["https://query.example.org/"])
['https://query.example.org/']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kg.errors import UsageError

# The limits sit far above any query a person or a program writes (the largest of kg's own queries is
# under 1 KB, 6 deep and 120 terms) and far below what breaks Oxigraph: nested groups abort its server
# from about 700 deep (2 MiB thread stacks) and a local query from about 2,300 deep; flat chains of
# operators or joins from about 700 links in its server.
MAX_BYTES = 100_000
MAX_DEPTH = 64
MAX_TOKENS = 2_000

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                | '''(?:[^'\\]|\\.|'(?!''))*'''
                | "(?:[^"\\\r\n]|\\.)*"
                | '(?:[^'\\\r\n]|\\.)*')
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<variable>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)
    | (?P<open><<|[({\[])
    | (?P<close>>>|[)}\]])
    | (?P<escape>\\[uU])
    | (?P<tag>\^\^|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<word>(?:[^\W\d]|:|\\[^uU\s]|%[0-9A-Fa-f]{2})
               (?:[\w:.\-\u00B7\u0300-\u036F\u203F\u2040]|\\[^uU\s]|%[0-9A-Fa-f]{2})*)
    | (?P<operator>&&|\|\||!=|<=|>=|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_SHOWN = 200  # characters of an IRI a message shows


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) of each token; a word's trailing dots (a triple's end) come as their own tokens."""
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or "operator"
        if kind in ("space", "comment", "tag"):
            continue
        value = match.group()
        if kind == "word" and value.endswith("."):
            stripped = value.rstrip(".")
            yield "word", stripped
            for _ in range(len(value) - len(stripped)):
                yield "operator", "."
            continue
        yield kind, value


def _shown(iri: str) -> str:
    return iri if len(iri) <= _SHOWN else iri[: _SHOWN - 4] + "...>"


def check_sparql(text: str, *, allow_service: Iterable[str] = (), what: str = "query") -> list[str]:
    """Refuse a SPARQL query or update that is too large, too deep, or calls an endpoint not allowed.

    Parameters
    ----------
    text : str
        The query or update, exactly as it will be parsed.
    allow_service : iterable of str
        Endpoint IRIs that ``SERVICE`` (and an update's ``LOAD``) may name, as
        written between ``<`` and ``>`` in the text; none by default.
    what : str
        How messages name the text (``query`` or ``update``).

    Returns
    -------
    list of str
        The allowed endpoint IRIs the text names, in order of appearance.

    Raises
    ------
    kg.errors.UsageError
        One line naming the limit the text passes or the endpoint it calls.

    Examples
    --------
    >>> check_sparql("SELECT * WHERE { ?s ?p ''' {{{{ SERVICE <http://x/> ''' }")
    []
    >>> check_sparql("SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: the query calls SERVICE ?where: only an allowed <IRI> can be called (allow_service)
    >>> check_sparql("LOAD <http://10.0.0.1/data.ttl>", what="update")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: the update calls LOAD <http://10.0.0.1/data.ttl>: not allowed (allow it with allow_service)
    """
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise UsageError(f"the {what} is not valid Unicode text") from None
    if size > MAX_BYTES:
        raise UsageError(f"the {what} is {size:,} bytes, more than the {MAX_BYTES:,} kg accepts (refused)")
    allowed = set(allow_service)
    called: list[str] = []
    depth = counted = 0
    values_pending = False
    values_depth: int | None = None  # the depth inside a VALUES data block, whose terms are not counted
    expect_endpoint: str | None = None  # SERVICE or LOAD, until its IRI comes
    for kind, value in _tokens(text):
        if kind == "escape":
            raise UsageError(f"the {what} writes a \\u escape outside a string or an IRI, which kg does not accept")
        if expect_endpoint is not None:
            if kind == "word" and value.upper() == "SILENT":
                continue
            keyword, expect_endpoint = expect_endpoint, None
            _check_endpoint(keyword, kind, value, allowed, what)
            called.append(value[1:-1])
        if kind == "word" and value.upper() in ("SERVICE", "LOAD"):
            expect_endpoint = value.upper()
        elif kind == "word" and value.upper() == "VALUES":
            values_pending = True
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise UsageError(
                    f"the {what} nests brackets more than {MAX_DEPTH} deep, which no real query needs (refused)"
                )
            if values_pending and value == "{":
                values_pending, values_depth = False, depth
                continue
        elif kind == "close":
            if values_depth is not None and depth == values_depth:
                values_depth = None
            depth = max(0, depth - 1)
        if values_depth is None:
            counted += 1
            if counted > MAX_TOKENS:
                raise UsageError(
                    f"the {what} has more than {MAX_TOKENS:,} terms and operators outside VALUES blocks, "
                    "which no real query needs (refused)"
                )
    if expect_endpoint is not None:
        _check_endpoint(expect_endpoint, "end", "", allowed, what)
    return called


def _check_endpoint(keyword: str, kind: str, value: str, allowed: set[str], what: str) -> None:
    if kind == "iri" and value[1:-1] in allowed:
        return
    if kind == "iri":
        raise UsageError(
            f"the {what} calls {keyword} {_shown(value)}: not allowed (allow it with {{option}})",
            option="allow_service",
        )
    shown = value if kind in ("variable", "word") else "without an IRI"
    raise UsageError(
        f"the {what} calls {keyword} {_shown(shown)}: only an allowed <IRI> can be called ({{option}})",
        option="allow_service",
    )
