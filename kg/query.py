"""SPARQL over a kg graph, with values bound safely and the standard prefixes predeclared.

User values are never formatted into query text. A binding becomes an RDF
term built by Oxigraph (which escapes it), placed in a ``VALUES`` block at the
top of the query's WHERE group, exactly as rdflib's ``initBindings`` joins
them; the query around it is located by a small lexer that skips strings,
IRIs and comments. (Oxigraph's own ``substitutions`` accept only variables
of the SELECT projection, which rules out the usual "papers of ?name" query.)

Examples
--------
>>> binding_term("Kelvin Xu")
<Literal value=Kelvin Xu datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
>>> parse_cli_binding("paper=<https://example.org/p/1>")
('paper', <NamedNode value=https://example.org/p/1>)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.namespace import PREFIXES, XSD

_VARIABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_INTEGER_RE = re.compile(r"^-?\d+$")
_PREFIXED_RE = re.compile(r"^(?P<prefix>[A-Za-z][\w-]*):(?P<local>[^\s<>\"]+)$")


def binding_term(value: Any):
    """A pyoxigraph term for a Python value: str, int, float, bool or a term already."""
    import pyoxigraph

    if isinstance(value, (pyoxigraph.NamedNode, pyoxigraph.Literal, pyoxigraph.BlankNode)):
        return value
    if isinstance(value, bool):
        return pyoxigraph.Literal("true" if value else "false", datatype=pyoxigraph.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return pyoxigraph.Literal(str(value), datatype=pyoxigraph.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return pyoxigraph.Literal(repr(value), datatype=pyoxigraph.NamedNode(XSD + "double"))
    if isinstance(value, str):
        return pyoxigraph.Literal(value)
    raise UsageError(f"cannot bind a value of type {type(value).__name__}")


def parse_cli_binding(text: str) -> tuple[str, Any]:
    """Parse a binding written ``name=value`` (the command line's ``--bind``).

    ``<iri>`` binds an IRI, ``prefix:local`` with a standard prefix binds that
    IRI, an integer binds an xsd:integer, anything else a plain string.
    """
    import pyoxigraph

    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VARIABLE_RE.match(name):
        raise UsageError(f"{{option}} {text!r}: expected NAME=VALUE with a SPARQL variable name", option="bind")
    if value.startswith("<") and value.endswith(">"):
        try:
            return name, pyoxigraph.NamedNode(value[1:-1])
        except ValueError:
            raise UsageError(f"{{option}} {text!r}: {value} is not a valid IRI", option="bind") from None
    prefixed = _PREFIXED_RE.match(value)
    if prefixed and prefixed["prefix"] in PREFIXES:
        return name, pyoxigraph.NamedNode(PREFIXES[prefixed["prefix"]] + prefixed["local"])
    if _INTEGER_RE.match(value):
        return name, binding_term(int(value))
    return name, binding_term(value)


def _python_value(term: Any) -> Any:
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value.removeprefix(XSD)
        if datatype in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
        if datatype in ("decimal", "double", "float"):
            return float(term.value)
        if datatype == "boolean":
            return term.value == "true"
        return term.value
    return term.value


@dataclass
class QueryResult:
    """What a query returned: rows for SELECT, a boolean for ASK, triples for CONSTRUCT."""

    variables: list[str]
    rows: list[tuple[Any, ...]]
    boolean: bool | None = None
    triples: list[Any] | None = None

    def as_dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (IRIs as strings, numbers as numbers)."""
        return [{v: _python_value(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def to_dataframe(self):
        """Rows as a pandas DataFrame (pandas must be installed)."""
        try:
            import pandas
        except ImportError:
            raise UsageError("to_dataframe needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.as_dicts(), columns=self.variables)


RESULT_FORMATS = ("csv", "tsv", "json", "xml")


_IRIREF_RE = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)
_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VAR_RE = re.compile(r"[?$]([A-Za-z0-9_]+)")


def _tokens(sparql: str) -> Iterator[tuple[str, int, str]]:
    """Braces, words and variables of a query with their offsets; strings, IRIs and comments skipped."""
    index = 0
    while index < len(sparql):
        char = sparql[index]
        if char == "#":
            end = sparql.find("\n", index)
            index = len(sparql) if end < 0 else end
            continue
        skipped = next((m for p in (_STRING_RE, _IRIREF_RE) if char in "\"'<" and (m := p.match(sparql, index))), None)
        if skipped:
            index = skipped.end()
        elif char in "?$" and (var := _VAR_RE.match(sparql, index)):
            yield "variable", index, var.group(1)
            index = var.end()
        elif char.isalpha() and (word := _WORD_RE.match(sparql, index)):
            yield "word", index, word.group().upper()
            index = word.end()
        else:
            if char in "{}":
                yield char, index, char
            index += 1


def _scan(sparql: str) -> tuple[int | None, set[str]]:
    """Offset just inside the WHERE group's opening brace, and the variables used."""
    variables: set[str] = set()
    depth = 0
    seen_where = construct = False
    where_group = first_group = None
    for kind, offset, text in _tokens(sparql):
        if kind == "variable":
            variables.add(text)
        elif kind == "word" and depth == 0:
            seen_where |= text == "WHERE"
            construct |= text == "CONSTRUCT"
        elif kind == "{":
            if depth == 0:
                first_group = offset + 1 if first_group is None else first_group
                if seen_where and where_group is None:
                    where_group = offset + 1
            depth += 1
        elif kind == "}":
            depth -= 1
    # "SELECT * { ... }" and "ASK { ... }" may leave WHERE out; CONSTRUCT's first group is its template.
    return (where_group if where_group is not None else (None if construct else first_group)), variables


def bind_values(sparql: str, bindings: Mapping[str, Any]) -> str:
    """``sparql`` with ``bindings`` joined in as a VALUES block at the top of its WHERE group.

    Examples
    --------
    >>> print(bind_values("SELECT ?p WHERE { ?a kg:name ?name ; kg:authored ?p }", {"name": 'Ann "A" Lee'}))
    SELECT ?p WHERE { VALUES (?name) { ("Ann \\"A\\" Lee") } ?a kg:name ?name ; kg:authored ?p }
    """
    if not bindings:
        return sparql
    position, variables = _scan(sparql)
    for name in bindings:
        if not _VARIABLE_RE.match(name):
            raise UsageError(f"{name!r} is not a SPARQL variable name")
        if name not in variables:
            raise UsageError(f"cannot bind ?{name}: the query has no variable ?{name}")
    if position is None:
        raise UsageError("cannot bind values: the query has no WHERE group")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(binding_term(value)) for value in bindings.values())
    return f"{sparql[:position]} VALUES ({names}) {{ ({terms}) }}{sparql[position:]}"


def _execute(store: Any, sparql: str, bindings: Mapping[str, Any] | None):
    sparql = bind_values(sparql, bindings or {})
    try:
        result = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise UsageError(f"the query does not parse: {' '.join(str(error).split())}") from None
    return result


def run_query(store: Any, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
    """Run ``sparql`` on a pyoxigraph store over the union of its graphs.

    Raises
    ------
    kg.errors.UsageError
        The query does not parse, or a binding is not a usable value.
    """
    import pyoxigraph

    result = _execute(store, sparql, bindings)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return QueryResult([], [], boolean=bool(result))
    if isinstance(result, pyoxigraph.QueryTriples):
        return QueryResult([], [], triples=list(result))
    variables = [v.value for v in result.variables]
    rows = [tuple(solution[v] for v in variables) for solution in result]
    return QueryResult(variables, rows)


def run_query_serialized(store: Any, sparql: str, bindings: Mapping[str, Any] | None, result_format: str) -> bytes:
    """Run a SELECT or ASK query and return W3C SPARQL results: csv, tsv, json or xml."""
    import pyoxigraph

    if result_format not in RESULT_FORMATS:
        raise UsageError(f"unknown result format {result_format!r} (known: {', '.join(RESULT_FORMATS)})")
    result = _execute(store, sparql, bindings)
    if isinstance(result, pyoxigraph.QueryTriples):
        raise UsageError(
            "CONSTRUCT and DESCRIBE results are graphs, not tables of results: leave out {option}",
            option="result_format",
        )
    return result.serialize(format=getattr(pyoxigraph.QueryResultsFormat, result_format.upper()))


def _is_file(name: str) -> bool:
    """Whether ``name`` names an existing file (a long inline query is no file name, and says so)."""
    try:
        return Path(name).is_file()
    except OSError:
        return False


def read_query(query: str) -> str:
    """QUERY as given on the command line: a path to a ``.rq`` file or inline SPARQL."""
    if query.endswith((".rq", ".sparql")) or ("\n" not in query and _is_file(query)):
        path = Path(query)
        if not path.is_file():
            raise UsageError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    return query
