"""Statements as N-Quads text: literals escaped, IRIs checked, written one named graph at a time.

Writing text and bulk-loading it is several times faster than building a
Python term object per statement (MEASUREMENTS.md).

Examples
--------
>>> sink = QuadSink()
>>> sink.set_graph("https://example.org/g")
>>> sink.value("https://example.org/p", "https://example.org/title", 'A "quoted" title')
>>> print(*sink.lines)
<https://example.org/p> <https://example.org/title> "A \\"quoted\\" title" <https://example.org/g> .
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.namespace import XSD
from kg.text import sanitize_text

# What Oxigraph escapes when it writes N-Quads (sanitize_text leaves no other control character), so that a
# line written here is the line a dump of the loaded statement gives (kg.rdf.sorted_nquads).
_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_DECIMAL = XSD + "decimal"
_IRI_FORBIDDEN_RE = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def nt_literal(value: str, datatype: str | None = None) -> str:
    """An N-Triples literal: quotes, backslashes, tabs and line breaks escaped, lone surrogates replaced;
    a decimal in its canonical form, as Oxigraph keeps it (no trailing zeros).

    Examples
    --------
    >>> print(nt_literal('say "hi"'))
    "say \\"hi\\""
    >>> nt_literal("2020", XSD + "gYear")
    '"2020"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    >>> nt_literal("0.2500", XSD + "decimal"), nt_literal("1.000", XSD + "decimal")
    ('"0.25"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"1"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    """
    value = sanitize_text(value)
    if datatype == _DECIMAL and "." in value and value.replace(".", "", 1).lstrip("-").isdigit():
        value = value.rstrip("0").rstrip(".")
        value = "0" if value in ("-0", "") else value
    literal = '"' + value.translate(_LITERAL_ESCAPES) + '"'
    return f"{literal}^^<{datatype}>" if datatype else literal


class QuadSink:
    """Collects statements as N-Quads lines, one named graph at a time.

    Writing text and bulk-loading it is several times faster than building a
    Python term object per statement (MEASUREMENTS.md); every IRI is checked
    once, every literal escaped.
    """

    def __init__(self, flush: Callable[[dict[str, str]], None] | None = None, chunk: int = 500_000) -> None:
        # A dict keeps first-seen order: what is handed on is in a reproducible order. Each line's value is its
        # subject (as N-Quads writes it), which tells what a statement is about (kg.rdf.changes).
        self.lines: dict[str, str] = {}
        self._iris: dict[str, str] = {}
        self._graph = ""
        self._flush = flush
        self._chunk = chunk
        self._described: set[tuple] = set()

    def _add(self, line: str, subject: str) -> None:
        self.lines[line] = subject
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
        """Hand the collected lines (line -> its subject) on (when streaming) and start a new chunk (with a new
        cache of IRIs: what streams stays bounded by a chunk, not by the graph)."""
        if self._flush is not None and self.lines:
            self._flush(self.lines)
            self.lines = {}
            self._iris = {}

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
        term = self.iri(subject)
        self._add(f"{term} {self.iri(predicate)} {self.iri(obj)} {self._graph} .", term)

    def value(self, subject: str, predicate: str, value: object, datatype: str | None = None) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            literal = nt_literal("true" if value else "false", XSD + "boolean")
        elif isinstance(value, int):
            literal = nt_literal(str(value), XSD + "integer")
        else:
            literal = nt_literal(str(value), XSD + datatype if datatype else None)
        term = self.iri(subject)
        self._add(f"{term} {self.iri(predicate)} {literal} {self._graph} .", term)
