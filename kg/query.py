"""SPARQL over a kg graph, with values bound safely and the standard prefixes predeclared.

User values are never formatted into query text. A binding becomes an RDF
term built by Oxigraph (which escapes it), placed in a ``VALUES`` block at the
top of the query's WHERE group, exactly as rdflib's ``initBindings`` joins
them; the query around it is located by a small lexer that skips strings,
IRIs and comments. (Oxigraph's own ``substitutions`` accept only variables
of the SELECT projection, which rules out the usual "papers of ?name" query.)

Every query passes :func:`kg.sparql_guard.check_sparql` before Oxigraph sees
it (size, nesting, no ``SERVICE`` unless allowed), and runs on a thread with a
large stack, since Oxigraph plans a query by recursion. A failure of the query
(a ``SERVICE`` endpoint that cannot be reached, a store that cannot be read)
is one line, as is a command-line binding that is no usable term.

Examples
--------
>>> binding_term("Kelvin Xu")
<Literal value=Kelvin Xu datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
>>> parse_cli_binding("paper=<https://example.org/p/1>")
('paper', <NamedNode value=https://example.org/p/1>)
"""

from __future__ import annotations

import os
import queue
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kg.errors import InputError, KgError, QueryError, UsageError
from kg.io.inputs import STDIN, STDIN_NAME
from kg.namespace import PREFIXES, XSD
from kg.sparql_guard import check_sparql

T = TypeVar("T")
# Oxigraph parses, plans and evaluates a query by recursion: a query within kg.sparql_guard's limits needs a
# few MiB of stack at worst, which the main thread may not have (ulimit -s), so queries run on threads
# with this much (reserved, not used: the pages are touched only as deep as the query goes).
QUERY_STACK_BYTES = 256 << 20

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


def parse_cli_binding(text: str, prefixes: Mapping[str, str] | None = None) -> tuple[str, Any]:
    """Parse a binding written ``name=value`` (the command line's ``--bind``).

    ``<iri>`` binds an IRI, ``prefix:local`` with a prefix of ``prefixes``
    (kg's standard ones by default; pass a graph's :meth:`kg.graph.KnowledgeGraph.prefixes`
    for ``author:``, ``paper:`` ...) binds that IRI, an integer binds an
    xsd:integer, anything else a plain string.

    Examples
    --------
    >>> parse_cli_binding("a=author:ann-lee", {"author": "https://example.org/author/"})
    ('a', <NamedNode value=https://example.org/author/ann-lee>)
    >>> parse_cli_binding("name=Ann Lee")
    ('name', <Literal value=Ann Lee datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>)
    """
    prefixes = PREFIXES if prefixes is None else prefixes
    import pyoxigraph

    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VARIABLE_RE.match(name):
        raise UsageError(f"{{option}} {text!r}: expected NAME=VALUE with a SPARQL variable name", option="bindings")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{{option}} {text!r}: the value is not valid Unicode text", option="bindings") from None
    iri = None
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    elif (prefixed := _PREFIXED_RE.match(value)) and prefixed["prefix"] in prefixes:
        iri = prefixes[prefixed["prefix"]] + prefixed["local"]
    if iri is not None:
        try:
            return name, pyoxigraph.NamedNode(iri)
        except ValueError:
            raise UsageError(f"{{option}} {text!r}: {value} is not a valid IRI", option="bindings") from None
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
    return bound_query(sparql, bindings)[0]


@dataclass(frozen=True)
class Insertion:
    """Text kg put into a query: where (1-based line, and column in UTF-8 bytes as Oxigraph counts) and how long."""

    line: int
    column: int
    length: int

    @classmethod
    def at(cls, text: str, offset: int, inserted: str) -> Insertion:
        """The insertion of ``inserted`` (one line) at character ``offset`` of ``text``."""
        before = text[:offset]
        line_start = before.rfind("\n") + 1
        column = len(before[line_start:].encode("utf-8")) + 1
        return cls(before.count("\n") + 1, column, len(inserted.encode("utf-8")))


_POSITION_RES = (
    re.compile(r"(?P<head>\bat )(?P<line>\d+)(?P<middle>:)(?P<column>\d+)"),  # Oxigraph: error at 3:14
    re.compile(r"(?P<head>\bline )(?P<line>\d+)(?P<middle>, column )(?P<column>\d+)", re.IGNORECASE),  # Jena
)


def user_positions(message: str, insertions: Iterable[Insertion]) -> str:
    """``message`` with the positions it names moved back to the text the user wrote.

    Examples
    --------
    >>> user_positions("error at 1:60: expected ...", [Insertion(1, 1, 40)])
    'error at 1:20: expected ...'
    >>> user_positions("Encountered x at line 2, column 5.", [Insertion(1, 1, 40)])
    'Encountered x at line 2, column 5.'
    """
    edits = list(insertions)

    def moved(match: re.Match[str]) -> str:
        line, column = int(match["line"]), int(match["column"])
        for edit in reversed(edits):  # undo the last edit first
            if line == edit.line and column >= edit.column + edit.length:
                column -= edit.length
            elif line == edit.line and column > edit.column:
                column = edit.column
        return f"{match['head']}{line}{match['middle']}{column}"

    for pattern in _POSITION_RES:
        message = pattern.sub(moved, message)
    return message


_REQUIRES_RE = re.compile(r"^\s*#\s*requires:\s*[?$](?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<what>.*)$", re.MULTILINE)


def required_bindings(sparql: str) -> dict[str, str]:
    r"""The variables a query says it needs a value for, with what each is (``# requires: ?name what``).

    Examples
    --------
    >>> required_bindings("# requires: ?name an author's name, as printed\nSELECT * { ?a kg:name ?name }")
    {'name': "an author's name, as printed"}
    """
    return {match["name"]: match["what"].strip() for match in _REQUIRES_RE.finditer(sparql)}


def bound_query(sparql: str, bindings: Mapping[str, Any]) -> tuple[str, Insertion | None]:
    """``sparql`` with ``bindings`` joined in (as :func:`bind_values` does), and where the VALUES block went.

    Raises
    ------
    kg.errors.QueryError
        The query lacks a value it says it requires (:func:`required_bindings`).
    kg.errors.UsageError
        A binding names no variable of the query, or is no usable value.
    """
    missing = {name: what for name, what in required_bindings(sparql).items() if name not in bindings}
    if missing:
        name, what = next(iter(missing.items()))
        raise QueryError(
            f"the query needs a value for ?{name}" + (f" ({what})" if what else "") + f": give {{option}} {name}=VALUE",
            option="bindings",
        )
    if not bindings:
        return sparql, None
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
    block = f" VALUES ({names}) {{ ({terms}) }}"
    return f"{sparql[:position]}{block}{sparql[position:]}", Insertion.at(sparql, position, block)


class _QueryWorker:
    """A thread with :data:`QUERY_STACK_BYTES` of stack running one query at a time.

    Kept for the next query once done: Oxigraph takes about a millisecond to
    get going on a thread it has not seen, ten times a small query's run.
    """

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        previous = threading.stack_size(QUERY_STACK_BYTES)  # under _WORKERS_LOCK: no other thread is sized meanwhile
        try:
            threading.Thread(target=self._loop, name="kg-query", daemon=True).start()
        finally:
            threading.stack_size(previous)

    def _loop(self) -> None:
        while True:
            work, outcome, done = self.jobs.get()
            try:
                outcome["value"] = work()
            except KgError as error:
                # Its frames (and the query result in them, which Oxigraph lets go only on this thread) go now.
                error.__traceback__ = error.__context__ = None
                outcome["error"] = error
            except BaseException as error:  # handed to the caller's thread, which raises it
                outcome["error"] = error
            work = None
            with _WORKERS_LOCK:
                _IDLE_WORKERS.append(self)
            done.set()


_IDLE_WORKERS: list[_QueryWorker] = []
_WORKERS_LOCK = threading.Lock()


def _forget_workers() -> None:
    """In a forked child: the workers' threads did not come along."""
    global _WORKERS_LOCK
    _IDLE_WORKERS.clear()
    _WORKERS_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_workers)


def _on_large_stack(work: Callable[[], T]) -> T:
    """``work()`` run on a :class:`_QueryWorker`; its result, or its exception raised here."""
    with _WORKERS_LOCK:
        try:
            worker = _IDLE_WORKERS.pop() if _IDLE_WORKERS else _QueryWorker()
        except (ValueError, RuntimeError):  # a platform that cannot size thread stacks, or no thread to be had
            worker = None
    if worker is None:
        return work()
    outcome: dict[str, Any] = {}
    done = threading.Event()
    worker.jobs.put((work, outcome, done))
    done.wait()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _failed(error: BaseException, services: list[str]) -> InputError | UsageError:
    """One line for a query that parsed but failed while it ran."""
    reason = " ".join(str(error).split()) or type(error).__name__
    if services:
        return InputError(", ".join(services), f"the SERVICE request failed: {reason[:300]}")
    return UsageError(f"the query failed: {reason[:300]}")


def _run(
    store: Any,
    sparql: str,
    bindings: Mapping[str, Any] | None,
    allow_service: Iterable[str],
    use: Callable[[Any], T],
    prefixes: Mapping[str, str] | None,
) -> T:
    """Check, bind and run ``sparql``, and ``use`` its result on the same (large-stack) thread."""
    bound, insertion = bound_query(sparql, bindings or {})
    services = check_sparql(bound, allow_service=allow_service)

    def work() -> T:
        try:
            result = store.query(bound, prefixes=dict(prefixes or PREFIXES), use_default_graph_as_union=True)
        except SyntaxError as error:
            reason = user_positions(" ".join(str(error).split()), [insertion] if insertion else [])
            raise QueryError(f"the query does not parse: {_shortened(reason)}") from None
        except (OSError, RuntimeError, ValueError) as error:
            raise _failed(error, services) from None
        try:
            return use(result)
        except (OSError, RuntimeError, ValueError, SyntaxError) as error:
            raise _failed(error, services) from None

    return _on_large_stack(work)


def _shortened(reason: str, limit: int = 300) -> str:
    """A parser's message cut to ``limit`` characters (Oxigraph lists every character class it expected)."""
    return reason if len(reason) <= limit else reason[: limit - 1].rstrip() + "…"


def run_query(
    store: Any,
    sparql: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    allow_service: Iterable[str] = (),
    prefixes: Mapping[str, str] | None = None,
) -> QueryResult:
    """Run ``sparql`` on a pyoxigraph store over the union of its graphs.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store to query.
    sparql : str
        The query; kg's prefixes are predeclared.
    bindings : mapping, optional
        Values for variables of the query (:func:`bind_values`).
    allow_service : iterable of str
        Endpoints ``SERVICE`` may call, written as in the query; none by default.
    prefixes : mapping, optional
        The prefixes the query may use undeclared: kg's standard ones by default, a graph's
        :meth:`kg.graph.KnowledgeGraph.prefixes` to add ``paper:``, ``author:`` ... as kg prints them.

    Raises
    ------
    kg.errors.QueryError
        The query does not parse (positions are those of the text given), or lacks a value
        it says it ``requires``.
    kg.errors.UsageError
        The query breaks a limit of :mod:`kg.sparql_guard`,
        calls an endpoint not allowed, fails while it runs, or a binding is
        not a usable value.
    kg.errors.InputError
        A ``SERVICE`` endpoint it calls cannot be reached or failed.
    """
    import pyoxigraph

    def collect(result: Any) -> QueryResult:
        if isinstance(result, pyoxigraph.QueryBoolean):
            return QueryResult([], [], boolean=bool(result))
        if isinstance(result, pyoxigraph.QueryTriples):
            return QueryResult([], [], triples=list(result))
        variables = [v.value for v in result.variables]
        return QueryResult(variables, [tuple(solution[v] for v in variables) for solution in result])

    return _run(store, sparql, bindings, allow_service, collect, prefixes)


def run_query_serialized(
    store: Any,
    sparql: str,
    bindings: Mapping[str, Any] | None,
    result_format: str,
    *,
    allow_service: Iterable[str] = (),
    prefixes: Mapping[str, str] | None = None,
) -> bytes:
    """Run a SELECT or ASK query and return W3C SPARQL results: csv, tsv, json or xml.

    Raises as :func:`run_query` does, and for a CONSTRUCT or DESCRIBE query.
    """
    import pyoxigraph

    if result_format not in RESULT_FORMATS:
        raise UsageError(f"unknown result format {result_format!r} (known: {', '.join(RESULT_FORMATS)})")

    def serialize(result: Any) -> bytes:
        if isinstance(result, pyoxigraph.QueryTriples):
            raise UsageError(
                "CONSTRUCT and DESCRIBE results are graphs, not tables of results: leave out {option}",
                option="result_format",
            )
        return result.serialize(format=getattr(pyoxigraph.QueryResultsFormat, result_format.upper()))

    return _run(store, sparql, bindings, allow_service, serialize, prefixes)


def _is_file(name: str) -> bool:
    """Whether ``name`` names an existing file (a long inline query is no file name, and says so)."""
    try:
        return Path(name).is_file()
    except OSError:
        return False


def read_query(query: str) -> str:
    """QUERY as given on the command line: a path to a ``.rq`` file, ``-`` (standard input) or inline SPARQL.

    Raises
    ------
    kg.errors.UsageError
        A query file that is missing or not UTF-8 text, or nothing on standard input.
    """
    if query == STDIN:
        text = sys.stdin.buffer.read()
        name = STDIN_NAME
    elif query.endswith((".rq", ".sparql")) or ("\n" not in query and _is_file(query)):
        path = Path(query)
        if not path.is_file():
            raise UsageError(f"{query}: no such query file")
        try:
            text, name = path.read_bytes(), query
        except OSError as error:
            raise UsageError(f"{query}: cannot be read ({error.strerror or error})") from None
    else:
        return query
    try:
        decoded = text.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{name}: the query is not UTF-8 text") from None
    if not decoded.strip():
        raise UsageError(f"{name}: no query in it")
    return decoded
