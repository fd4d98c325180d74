"""The built-in validator: kg's shapes checked by SPARQL on the Oxigraph store itself, in place.

pySHACL needs the whole graph copied into rdflib and then asks its questions one focus node
at a time: eight to ten minutes for 10,000 papers. This engine works in two steps instead.

1. **Suspects**, by SPARQL over the whole store: one query per constraint of a shape (one
   ``sh:datatype``, one ``sh:minCount`` ...) returns the focus nodes that *may* break it, a few
   or none on a sound graph. The queries are generated from the shapes (:mod:`kg.validate.shapes`)
   and written the way Oxigraph answers fastest on a store on disk: scans, hash joins of
   sub-queries and ``MINUS``, no lookup per row. A query may over-report (a literal whose form
   rdflib might read otherwise is always a suspect) but never misses a node that breaks the
   constraint. ``sh:sparql`` constraints run as written (their joins turned into hash joins
   where the query is a plain pattern with filters), their rows being the results.
2. **Verdict**, in Python, for each suspect only: the constraint is checked with pySHACL's own
   rules on the node's values as rdflib reads them (the same datatypes, comparisons, counts and
   messages), so the results are pySHACL's: same focus nodes, paths, messages, values, severities.

Examples
--------
>>> from kg.records import Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> graph = KnowledgeGraph.from_records([Record(title="Attention as an RNN", date="2024-05-22",
...                                             source=SourceRef("p.txt", 1, "hf-papers"))])
>>> validate_in_store(graph)
[]
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kg.errors import InputError
from kg.namespace import PREFIXES
from kg.progress import Progress, Tally, step
from kg.validate.report import Violation, short, sorted_results
from kg.validate.shapes import Component, Shape, ShapePath, Shapes, SparqlCheck, read_shapes

XSD = PREFIXES["xsd"]
SH = PREFIXES["sh"]
RDF_TYPE = PREFIXES["rdf"] + "type"
SUBCLASS_OF = PREFIXES["rdfs"] + "subClassOf"
VALUE_KINDS = {
    "class", "datatype", "nodeKind", "minLength", "maxLength", "pattern", "in",
    "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "or", "and", "xone", "not", "node",
}  # fmt: skip
_COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
_NUMERIC = {XSD + name for name in ("integer", "decimal", "double", "float")}
# Datatypes whose literals Oxigraph keeps in their canonical form when valid: such a literal that a cast
# to its own datatype leaves unchanged is one rdflib reads as valid too (dates: in rdflib's year range).
_CASTABLE = {XSD + name for name in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time")}
_DATES = {XSD + name for name in ("date", "dateTime")}
_IS_STRING = "COALESCE(datatype({x}) = xsd:string, false)"  # a plain literal: not one with a language
_NODE_KINDS = {
    "IRI": "isIRI({x})",
    "BlankNode": "isBlank({x})",
    "Literal": "isLiteral({x})",
    "BlankNodeOrIRI": "!isLiteral({x})",
    "BlankNodeOrLiteral": "!isIRI({x})",
    "IRIOrLiteral": "!isBlank({x})",
}
MAX_DEPTH = 32  # shapes nested deeper than this (a shape that refers to itself) are refused


def validate_in_store(
    graph: Any, progress: Progress | None = None, shapes_file: str | os.PathLike[str] | None = None
) -> list[Violation]:
    """SHACL results for a :class:`kg.graph.KnowledgeGraph` (a store queried in place), sorted; empty when it conforms.

    ``progress`` is told when the shapes are being read and compared with the graph's classes
    (the stage ``"preparing the graph"``), then how many of the queries have run (``"validating"``).
    ``shapes_file`` is kg's ``ontology/shapes.ttl`` by default.

    Raises
    ------
    kg.errors.InputError
        The shapes use a SHACL feature this engine does not check.
    """
    prepared = step(progress, "preparing the graph")
    plan = _Plan(graph, read_shapes(shapes_file))
    units = plan.units()
    prepared()
    violations: list[Violation] = []
    with _quiet_rdflib():
        for unit in Tally(progress, "validating", len(units)).over(units):
            violations.extend(unit.run(plan))
    return sorted_results(violations)


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for each literal it cannot read (an ill-typed one is a result here, not an error)."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


# -- terms -------------------------------------------------------------------------------------------


def to_rdflib(term: Any) -> Any:
    """The rdflib term rdflib would read for a pyoxigraph term (a plain string has no datatype)."""
    import pyoxigraph
    import rdflib

    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def sparql_term(term: Any) -> str:
    """An rdflib term of the shapes written for a SPARQL query (escaped by Oxigraph)."""
    import pyoxigraph
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return str(pyoxigraph.NamedNode(str(term)))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return str(pyoxigraph.Literal(str(term), language=term.language))
        datatype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype else None
        return str(pyoxigraph.Literal(str(term), datatype=datatype))
    raise TypeError(f"no SPARQL form for {term!r}")


def _iri(value: str) -> str:
    import pyoxigraph

    return str(pyoxigraph.NamedNode(value))


# -- the data, as the verdicts read it ------------------------------------------------------------------


class _Data:
    """Lookups in the store for a few nodes at a time (each a seek; never a scan)."""

    def __init__(self, store: Any) -> None:
        import pyoxigraph

        self.store = store
        self.ox = pyoxigraph
        self._subclasses: dict[str, frozenset[str]] = {}

    def named(self, iri: str) -> Any:
        return self.ox.NamedNode(iri)

    def objects(self, node: Any, predicate: str) -> list[Any]:
        if isinstance(node, self.ox.Literal):
            return []
        return [q.object for q in self.store.quads_for_pattern(node, self.named(predicate), None)]

    def subjects(self, predicate: str, node: Any) -> list[Any]:
        return [q.subject for q in self.store.quads_for_pattern(None, self.named(predicate), node)]

    def values(self, node: Any, path: ShapePath | None) -> dict[Any, Any]:
        """The value nodes of ``node`` along ``path`` (without one: the node): rdflib's term -> Oxigraph's."""
        if path is None:
            found = [node]
        elif path.inverse:
            found = self.subjects(path.predicate, node)
        else:
            found = self.objects(node, path.predicate)
        values: dict[Any, Any] = {}
        for term in found:
            values.setdefault(to_rdflib(term), term)
        return values

    def subclasses(self, iri: str) -> frozenset[str]:
        """``iri`` and every class that is an rdfs:subClassOf it, at any depth, in the data."""
        if iri not in self._subclasses:
            seen, todo = {iri}, [iri]
            while todo:
                for sub in self.subjects(SUBCLASS_OF, self.named(todo.pop())):
                    if isinstance(sub, self.ox.NamedNode) and sub.value not in seen:
                        seen.add(sub.value)
                        todo.append(sub.value)
            self._subclasses[iri] = frozenset(seen)
        return self._subclasses[iri]

    def is_instance(self, node: Any, iri: str) -> bool:
        if isinstance(node, self.ox.Literal):
            return False
        classes = self.subclasses(iri)
        return any(t.value in classes for t in self.objects(node, RDF_TYPE) if isinstance(t, self.ox.NamedNode))


# -- the plan: what to ask the store --------------------------------------------------------------------


@dataclass
class _Unit:
    """One query of the plan: constraints of ``owner`` (``top`` or one of its property shapes), or one sh:sparql."""

    top: Shape
    owner: Shape
    components: list[Component]
    query: str | None  # the suspects' query (None: no node can break the constraints)
    targeted: bool  # the query keeps to the focus nodes of ``top`` already
    check: SparqlCheck | None = None

    def run(self, plan: _Plan) -> list[Violation]:
        if not plan.has_focus(self.top):
            return []
        if self.check is not None:
            return plan.sparql_results(self)
        if self.query is None:
            return []
        results = []
        for focus in plan.suspects(self):
            if self.targeted or plan.is_focus(self.top, focus):
                for component in self.components:
                    results.extend(plan.verdict(self.owner, component, focus))
        return results


class _Plan:
    def __init__(self, graph: Any, shapes: Shapes) -> None:
        import rdflib

        self.graph = graph
        self.shapes = shapes
        self.data = _Data(graph.store)
        self.prefixes = {**PREFIXES, **shapes.prefixes}
        # Messages name data nodes as pySHACL does, with the prefixes of the graph it validates.
        self.data_names = rdflib.Graph()
        for name, iri in PREFIXES.items():
            self.data_names.bind(name, iri)
        self._focus_sets: dict[int, set[Any]] = {}
        self._suspects: dict[str, list[Any]] = {}
        self._has_focus: dict[str, bool] = {}
        self._fresh = 0
        self._check_depth(shapes.top, 0)

    def _check_depth(self, shapes: list[Shape], depth: int) -> None:
        for shape in shapes:
            if depth > MAX_DEPTH:
                raise self.shapes.refuse(f"{shape.name} nested more than {MAX_DEPTH} deep (or in itself)")
            nested = [*shape.properties]
            for component in shape.components:
                if component.kind in ("or", "and", "xone"):
                    nested += [member for members in component.values for member in members]
                elif component.kind in ("not", "node"):
                    nested += component.values
            self._check_depth(nested, depth + 1)

    # -- running queries
    def select(self, sparql: str) -> list[tuple[Any, ...]]:
        from kg.query import run_query

        return run_query(self.graph.store, sparql, prefixes=self.prefixes).rows

    def suspects(self, unit: _Unit) -> list[Any]:
        """The nodes ``unit``'s query returns, each once (shapes that check one property alike share the answer)."""
        if unit.query not in self._suspects:
            seen: dict[Any, None] = {}
            for row in self.select(unit.query):
                seen.setdefault(row[0], None)
            self._suspects[unit.query] = list(seen)
        return self._suspects[unit.query]

    # -- the units
    def units(self) -> list[_Unit]:
        units = []
        for top in self.shapes.top:
            for owner in (top, *top.properties):
                if owner is not top and owner.path is None:
                    continue
                # The value checks of a property shape that need no pattern share one query: one pass over its values.
                shared = [
                    c
                    for c in owner.components
                    if owner.path is not None and c.kind in VALUE_KINDS and self.passing_pattern(c, "?value") is None
                ]
                if shared:
                    units.append(_Unit(top, owner, shared, self.shared_query(owner, shared), False))
                counts = self.counted(owner)
                if counts:
                    units.append(_Unit(top, owner, counts, self.count_query(top, owner, counts), False))
                for component in owner.components:
                    if any(component is c for c in (*shared, *counts)):
                        continue
                    if component.kind == "sparql":
                        if owner.path is not None:
                            raise self.shapes.refuse(f"sh:sparql on the property shape {owner.name}")
                        units += [
                            _Unit(top, owner, [component], self.sparql_query(top, check), True, check)
                            for check in component.values
                        ]
                    else:
                        query, targeted = self.suspects_query(top, owner, component)
                        units.append(_Unit(top, owner, [component], query, targeted))
        return units

    def shared_query(self, owner: Shape, components: list[Component]) -> str:
        atoms: list[str] = []
        for component in components:
            found = self.pass_atoms(component, "?value")
            if found is None:
                atoms = ["false"]  # one check knows nothing: every value is a suspect
                break
            atoms += [atom for atom in found if atom not in atoms]
        failing = "!(" + " && ".join(atoms) + ")"
        return (
            f"SELECT DISTINCT ?this WHERE {{ {self.step_pattern('?this', owner.path, '?value')} FILTER ({failing}) }}"
        )

    def counted(self, owner: Shape) -> list[Component]:
        """sh:minCount (of 1) and sh:maxCount of a property shape that has both: one count answers them."""
        kinds = {c.kind: c for c in owner.components if c.kind in ("minCount", "maxCount")}
        if owner.path is None or len(kinds) < 2 or max(v.value for v in kinds["minCount"].values) != 1:
            return []
        return [kinds["minCount"], kinds["maxCount"]]

    def count_query(self, top: Shape, owner: Shape, counts: list[Component]) -> str:
        """The nodes with no value or too many: each focus node counts its values (none: 0), in one group."""
        most = min(v.value for v in counts[1].values)
        values = self.step_pattern("?this", owner.path, "?value")
        counted = (
            f"SELECT ?this (COUNT(DISTINCT ?value) AS ?count) "
            f"WHERE {{ {self.target_pattern(top)} UNION {{ {values} }} }} GROUP BY ?this"
        )
        return f"SELECT ?this WHERE {{ {{ {counted} }} FILTER (?count < 1 || ?count > {most}) }}"

    def has_focus(self, top: Shape) -> bool:
        """Whether ``top`` has a focus node at all (a shape of nodes the graph lacks asks nothing more)."""
        if top.name not in self._has_focus:
            from kg.query import run_query

            ask = run_query(self.graph.store, f"ASK {{ {self.target_pattern(top)} }}", prefixes=self.prefixes)
            self._has_focus[top.name] = bool(ask.boolean)
        return self._has_focus[top.name]

    def fresh(self) -> str:
        self._fresh += 1
        return f"?v{self._fresh}"

    def target_pattern(self, top: Shape) -> str:
        """A group binding ``?this`` to each focus node of ``top`` (a node typed in two graphs: twice)."""
        parts = []
        for target in top.targets:
            if target.kind == "class":
                # No DISTINCT: a node typed in two graphs comes twice, and the queries around keep each node once.
                classes = sorted(self.data.subclasses(str(target.value)))
                if len(classes) == 1:
                    parts.append(f"{{ ?this a {_iri(classes[0])} }}")
                else:
                    listed = " ".join(_iri(c) for c in classes)
                    parts.append(f"{{ VALUES ?class {{ {listed} }} ?this a ?class }}")
            elif target.kind == "node":
                parts.append(f"{{ VALUES ?this {{ {sparql_term(target.value)} }} }}")
            elif target.kind == "subjectsOf":
                parts.append(f"{{ SELECT ?this WHERE {{ ?this {_iri(str(target.value))} [] }} }}")
            elif target.kind == "objectsOf":
                parts.append(f"{{ SELECT ?this WHERE {{ [] {_iri(str(target.value))} ?this }} }}")
            else:
                if re.match(r"\s*(PREFIX|BASE)\b", _without_comments(target.value), re.IGNORECASE):
                    raise self.shapes.refuse(f"the SPARQL target of {top.name} declares prefixes of its own")
                form = _analyse_select(target.value, self.prefixes, self.shapes.source)
                select = form[1] if form is not None and form[1] is not None else target.value
                parts.append(f"{{ SELECT ?this WHERE {{ {{ {select} }} }} }}")
        if not parts:
            return "{ FILTER (false) }"
        if len(parts) == 1:
            return parts[0]
        return f"{{ SELECT ?this WHERE {{ {' UNION '.join(parts)} }} }}"

    def step_pattern(self, subject: str, path: ShapePath, obj: str) -> str:
        predicate = _iri(path.predicate)
        return f"{obj} {predicate} {subject}" if path.inverse else f"{subject} {predicate} {obj}"

    def suspects_query(self, top: Shape, owner: Shape, component: Component) -> tuple[str | None, bool]:
        """The query for the nodes that may break ``component`` of ``owner``; is it within ``top``'s focus nodes."""
        kind, path = component.kind, owner.path
        target = self.target_pattern(top)
        if kind in VALUE_KINDS:
            if path is not None:
                values = f"{{ {self.step_pattern('?this', path, '?value')} }}"
                passing = self.passing_pattern(component, "?value")
                if passing is not None:
                    return f"SELECT DISTINCT ?this WHERE {{ {values} MINUS {passing} }}", False
                return (
                    f"SELECT DISTINCT ?this WHERE {{ {values} FILTER ({self.may_fail(component, '?value')}) }}",
                    False,
                )
            passing = self.passing_pattern(component, "?this")
            if passing is not None:
                return f"SELECT DISTINCT ?this WHERE {{ {target} MINUS {passing} }}", True
            return f"SELECT DISTINCT ?this WHERE {{ {target} FILTER ({self.may_fail(component, '?this')}) }}", True
        if kind == "minCount":
            least = max(v.value for v in component.values)
            if least == 0 or (path is None and least == 1):
                return None, True
            if path is None or least > 1:
                return f"SELECT DISTINCT ?this WHERE {{ {target} }}", True
            return (
                f"SELECT DISTINCT ?this WHERE {{ {target} MINUS {{ {self.step_pattern('?this', path, '?value')} }} }}",
                True,
            )
        if kind == "maxCount":
            most = min(v.value for v in component.values)
            if path is None:
                return (f"SELECT DISTINCT ?this WHERE {{ {target} }}", True) if most == 0 else (None, True)
            values = self.step_pattern("?this", path, "?value")
            counted = f"SELECT ?this (COUNT(DISTINCT ?value) AS ?count) WHERE {{ {values} }} GROUP BY ?this"
            return f"SELECT ?this WHERE {{ {{ {counted} }} FILTER (?count > {most}) }}", False
        if kind == "hasValue":
            if path is None:
                same = " && ".join(f"sameTerm(?this, {sparql_term(v)})" for v in component.values)
                return f"SELECT DISTINCT ?this WHERE {{ {target} FILTER (!({same})) }}", True
            having = " ".join(f"{{ {self.step_pattern('?this', path, sparql_term(v))} }}" for v in component.values)
            return f"SELECT DISTINCT ?this WHERE {{ {target} MINUS {{ {having} }} }}", True
        raise self.shapes.refuse(f"sh:{kind} of {owner.name}")  # pragma: no cover (read_shapes refuses it first)

    # -- what surely passes, as SPARQL (None: nothing known; the verdict decides)
    def may_fail(self, component: Component, x: str) -> str:
        passes = self.passes(component, x)
        return f"!({passes})" if passes is not None else "true"

    def passes(self, component: Component, x: str) -> str | None:
        """An expression true only for a value node ``x`` that surely meets ``component`` (value-level kinds)."""
        atoms = self.pass_atoms(component, x)
        return None if atoms is None else "(" + " && ".join(atoms) + ")"

    def pass_atoms(self, component: Component, x: str) -> list[str] | None:
        """:meth:`passes` as the terms of a conjunction (a query of several checks asks each term once).

        Oxigraph reads a literal from the store for each function applied to it: the terms use as
        few as they can (``sameTerm`` with a constant reads none).
        """
        kind, values = component.kind, component.values
        if kind == "datatype":
            return self.datatype_atoms(str(values[0]), x)
        if kind == "minLength" and values[0].value == 1:
            return [_IS_STRING.format(x=x), f'!sameTerm({x}, "")']
        found = self.pass_expression(component, x)
        # An expression that fails to evaluate (STR of a blank node) is false here: the node is a suspect.
        return None if found is None else [f"COALESCE({found}, false)"]

    def pass_expression(self, component: Component, x: str) -> str | None:
        kind, values = component.kind, component.values
        if kind == "class":
            parts = []
            for c in values:
                classes = " ".join(_iri(s) for s in sorted(self.data.subclasses(str(c))))
                type_var = self.fresh()
                parts.append(f"EXISTS {{ VALUES {type_var} {{ {classes} }} {x} a {type_var} }}")
            return f"(!isLiteral({x}) && {' && '.join(parts)})"
        if kind == "nodeKind":
            name = str(values[0]).removeprefix(PREFIXES["sh"])
            return _NODE_KINDS[name].format(x=x) if name in _NODE_KINDS else "false"
        if kind in ("minLength", "maxLength"):
            bound = values[0].value
            if kind == "minLength" and bound == 0:
                return "true"
            operator = ">=" if kind == "minLength" else "<="
            plain = f'(isLiteral({x}) && (datatype({x}) = xsd:string || lang({x}) != ""))'
            return f"((isIRI({x}) || {plain}) && STRLEN(STR({x})) {operator} {bound})"
        if kind == "in":
            return " && ".join(
                "(" + (" || ".join(f"sameTerm({x}, {sparql_term(t)})" for t in members) or "false") + ")"
                for members in values
            )
        if kind in _COMPARISONS:
            parts = []
            for bound in values:
                datatype = str(bound.datatype) if bound.datatype else ""
                if datatype not in _NUMERIC:
                    return None
                # A valid literal of the bound's own (numeric) datatype: rdflib compares it as SPARQL does.
                valid = f"COALESCE(sameTerm({_iri(datatype)}({x}), {x}), false)"
                parts.append(f"({valid} && {x} {_COMPARISONS[kind]} {sparql_term(bound)})")
            return " && ".join(parts)
        if kind == "or":
            lists = []
            for members in values:
                known = [p for p in (self.shape_passes(m, x) for m in members) if p is not None]
                if not known:
                    return None
                lists.append("(" + " || ".join(known) + ")")
            return " && ".join(lists)
        if kind == "and":
            parts = [self.shape_passes(m, x) for members in values for m in members]
            return None if None in parts else "(" + " && ".join(parts) + ")"
        if kind == "node":
            parts = [self.shape_passes(m, x) for m in values]
            return None if None in parts else "(" + " && ".join(parts) + ")"
        return None  # pattern, not, xone: the verdict decides

    def datatype_atoms(self, datatype: str, x: str) -> list[str] | None:
        import rdflib

        if datatype == XSD + "string":
            return [_IS_STRING.format(x=x)]
        if datatype == PREFIXES["rdf"] + "langString":
            return [f'COALESCE(lang({x}) != "", false)']
        if datatype == PREFIXES["rdfs"] + "Literal":
            return [f"isLiteral({x})"]
        if datatype in _CASTABLE:
            # A cast to its own datatype leaves a valid literal unchanged; it fails on anything else.
            atoms = [f"COALESCE(sameTerm({_iri(datatype)}({x}), {x}), false)"]
            if datatype in _DATES:
                atoms.append(f'COALESCE(YEAR({x}) >= 1 && YEAR({x}) <= 9999 && TZ({x}) = "", false)')
            elif datatype == XSD + "time":
                atoms.append(f'COALESCE(TZ({x}) = "", false)')
            return atoms
        if rdflib.URIRef(datatype) in rdflib.term.XSDToPython:
            return None  # rdflib reads these its own way: every value is a suspect
        return [f"COALESCE(datatype({x}) = {_iri(datatype)}, false)"]  # rdflib does not read it: the datatype decides

    def shape_passes(self, shape: Shape, x: str) -> str | None:
        """An expression true only for a node ``x`` that surely conforms to ``shape``."""
        if shape.deactivated:
            return "true"
        if shape.path is not None:
            return self.property_passes(shape, x)
        parts = []
        for component in shape.components:
            if component.kind in VALUE_KINDS:
                parts.append(self.passes(component, x))
            elif component.kind == "hasValue":
                parts.append(" && ".join(f"sameTerm({x}, {sparql_term(v)})" for v in component.values))
            elif component.kind == "minCount":
                parts.append("true" if max(v.value for v in component.values) <= 1 else "false")
            elif component.kind == "maxCount":
                parts.append("true" if min(v.value for v in component.values) >= 1 else "false")
            else:
                return None
        for prop in shape.properties:
            parts.append(self.property_passes(prop, x))
        if None in parts:
            return None
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def property_passes(self, prop: Shape, x: str) -> str | None:
        if prop.deactivated:
            return "true"
        parts: list[str | None] = []
        for component in prop.components:
            kind, values = component.kind, component.values
            if kind in VALUE_KINDS:
                value = self.fresh()
                passes = self.passes(component, value)
                if passes is None:
                    return None
                parts.append(f"NOT EXISTS {{ {self.step_pattern(x, prop.path, value)} FILTER (!({passes})) }}")
            elif kind == "minCount":
                least = max(v.value for v in values)
                if least > 1:
                    return None
                if least == 1:
                    parts.append(f"EXISTS {{ {self.step_pattern(x, prop.path, self.fresh())} }}")
            elif kind == "maxCount":
                most = min(v.value for v in values)
                first, second = self.fresh(), self.fresh()
                if most == 0:
                    parts.append(f"NOT EXISTS {{ {self.step_pattern(x, prop.path, first)} }}")
                elif most == 1:
                    pair = f"{self.step_pattern(x, prop.path, first)} . {self.step_pattern(x, prop.path, second)}"
                    parts.append(f"NOT EXISTS {{ {pair} FILTER (!sameTerm({first}, {second})) }}")
            elif kind == "hasValue":
                parts += [f"EXISTS {{ {self.step_pattern(x, prop.path, sparql_term(v))} }}" for v in values]
            else:
                return None
        return "(" + " && ".join(parts) + ")" if parts else "true"

    # -- what surely passes, as a pattern (fast: MINUS of a scan), for logical constraints
    def passing_pattern(self, component: Component, x: str) -> str | None:
        """A group binding ``x`` to nodes that surely meet ``component``; None where none is known."""
        if component.kind == "class":
            groups = []
            for c in component.values:
                classes = " ".join(_iri(s) for s in sorted(self.data.subclasses(str(c))))
                groups.append(f"{{ SELECT {x} WHERE {{ VALUES ?class {{ {classes} }} {x} a ?class }} }}")
            return "{ " + " ".join(groups) + " }"
        if component.kind not in ("or", "and", "xone"):
            return None
        found = self.logical_pattern(component, x)
        return "{ " + found[0] + " }" if found is not None else None

    def logical_pattern(self, component: Component, x: str) -> tuple[str, bool] | None:
        """(pattern, exact): ``exact`` when it binds every node that conforms, not only some."""
        results = []
        for members in component.values:
            patterns = [self.shape_pattern(m, x) for m in members]
            if component.kind == "or":
                known = [p for p in patterns if p is not None]
                if not known:
                    return None
                exact = len(known) == len(patterns) and all(e for _, e in known)
                results.append((" UNION ".join(f"{{ {p} }}" for p, _ in known), exact))
            elif component.kind == "and":
                if None in patterns:
                    return None
                results.append((" ".join(f"{{ {p} }}" for p, _ in patterns), all(e for _, e in patterns)))
            else:  # xone: exactly one member surely conforms and the others surely do not
                if None in patterns or not all(e for _, e in patterns):
                    return None
                alone = []
                for i, (pattern, _) in enumerate(patterns):
                    others = " ".join(f"MINUS {{ {p} }}" for j, (p, _) in enumerate(patterns) if j != i)
                    alone.append(f"{{ {pattern} {others} }}")
                results.append((" UNION ".join(alone), True))
        return " ".join(f"{{ {p} }}" for p, _ in results), all(e for _, e in results)

    def shape_pattern(self, shape: Shape, x: str) -> tuple[str, bool] | None:
        """Nodes that surely conform to ``shape``, for shapes made of sh:minCount 1 and sh:hasValue on paths only."""
        if shape.path is not None:
            properties, logical = [shape], []
        elif all(c.kind in ("or", "and", "xone") for c in shape.components):
            properties, logical = shape.properties, shape.components
        else:
            return None
        groups, exact = [], True
        for component in logical:
            found = self.logical_pattern(component, x)
            if found is None:
                return None
            groups.append(found[0])
            exact = exact and found[1]
        for prop in properties:
            for component in prop.components:
                if component.kind == "minCount" and max(v.value for v in component.values) == 1:
                    groups.append(f"SELECT {x} WHERE {{ {self.step_pattern(x, prop.path, self.fresh())} }}")
                elif component.kind == "hasValue":
                    for v in component.values:
                        groups.append(f"SELECT {x} WHERE {{ {self.step_pattern(x, prop.path, sparql_term(v))} }}")
                        exact = exact and not hasattr(v, "datatype")  # an IRI is found exactly; a literal maybe not
                else:
                    return None
        if not groups:
            return None
        return " ".join(f"{{ {g} }}" for g in groups), exact

    # -- focus nodes
    def is_focus(self, top: Shape, node: Any) -> bool:
        """Whether ``node`` is a focus node of ``top`` (looked up: a few seeks)."""
        for target in top.targets:
            kind, value = target.kind, target.value
            if (
                (kind == "class" and self.data.is_instance(node, str(value)))
                or (kind == "node" and to_rdflib(node) == value)
                or (kind == "subjectsOf" and self.data.objects(node, str(value)))
                or (kind == "objectsOf" and self.data.subjects(str(value), node))
                or (kind == "sparql" and node in self.sparql_focus(top, value))
            ):
                return True
        return False

    def sparql_focus(self, top: Shape, select: str) -> set[Any]:
        key = hash((id(top), select))
        if key not in self._focus_sets:
            self._focus_sets[key] = {row[0] for row in self.select(f"SELECT DISTINCT ?this WHERE {{ {{ {select} }} }}")}
        return self._focus_sets[key]

    # -- verdicts
    def verdict(self, owner: Shape, component: Component, focus: Any, depth: int = 0) -> list[Violation]:
        """pySHACL's results for one constraint of ``owner`` on one focus node."""
        failures = self.failures(owner, component, focus, depth)
        focus_term = to_rdflib(focus)
        path = None
        if owner.path is not None:
            path = ("^" if owner.path.inverse else "") + short(to_rdflib(self.data.named(owner.path.predicate)))
        return [
            Violation(
                focus=short(focus_term),
                path=path,
                message=self.message(owner, component, focus_term, value, extra),
                value=short(value) if value is not None else None,
                severity=owner.severity,
            )
            for value, extra in failures
        ]

    def failures(self, owner: Shape, component: Component, focus: Any, depth: int) -> list[tuple[Any, Any]]:
        """(value node or None, index of the parameter value) for each result ``component`` gives on ``focus``."""
        from pyshacl.rdfutil.compare import compare_literal

        kind, params = component.kind, component.values
        values = self.data.values(focus, owner.path)
        failed: list[tuple[Any, Any]] = []
        if kind == "minCount":
            return [(None, None)] if len(values) < max(v.value for v in params) else []
        if kind == "maxCount":
            return [(None, None)] if len(values) > min(v.value for v in params) else []
        if kind == "hasValue":
            return [(None, None) for v in params if v not in values]
        for value, term in values.items():
            if kind == "class":
                failed += [(value, None) for c in params if not self.data.is_instance(term, str(c))]
            elif kind == "datatype":
                if not _datatype_matches(value, params[0]):
                    failed.append((value, None))
            elif kind == "nodeKind":
                if not _node_kind_matches(value, params[0]):
                    failed.append((value, None))
            elif kind in ("minLength", "maxLength"):
                for bound in params:
                    if not _length_matches(value, bound.value, kind):
                        failed.append((value, None))
            elif kind == "pattern":
                if not _pattern_matches(value, params, component.flags):
                    failed.append((value, None))
            elif kind == "in":
                if any(value not in members for members in params):
                    failed.append((value, None))
            elif kind in _COMPARISONS:
                for bound in params:
                    if not _compares(value, bound, kind, compare_literal):
                        failed.append((value, None))
            elif kind == "or":
                for members in params:
                    if not any(self.conforms(m, term, depth) for m in members):
                        failed.append((value, None))
            elif kind == "and":
                for members in params:
                    if not all(self.conforms(m, term, depth) for m in members):
                        failed.append((value, None))
            elif kind == "xone":
                for members in params:
                    if sum(1 for m in members if self.conforms(m, term, depth)) != 1:
                        failed.append((value, None))
            elif kind == "not":
                failed += [(value, None) for m in params if self.conforms(m, term, depth)]
            elif kind == "node":
                if not all(self.conforms(m, term, depth) for m in params):
                    failed.append((value, None))
            elif kind == "sparql":
                for check in params:
                    failed += [(value, row) for row in self.sparql_rows_for(check, term)]
        return failed

    def conforms(self, shape: Shape, node: Any, depth: int) -> bool:
        if shape.deactivated:
            return True
        if depth > MAX_DEPTH:
            raise self.shapes.refuse(f"{shape.name} nested in itself")
        for owner in (shape, *shape.properties):
            if owner.deactivated:
                continue
            if any(self.failures(owner, c, node, depth + 1) for c in owner.components):
                return False
        return True

    # -- messages
    def message(self, owner: Shape, component: Component, focus: Any, value: Any, extra: Any) -> str:
        """The message pySHACL gives (the first, sorted): the shape's own, else pySHACL's generic one."""
        messages = [str(m) for m in owner.messages]
        if messages:
            return min(messages)
        return self.generic_message(owner, component, focus, value)

    def name(self, graph: Any, node: Any) -> str:
        from pyshacl.rdfutil import stringify_node

        try:
            return stringify_node(graph, node)
        except (LookupError, ValueError):
            return str(node)

    def generic_message(self, owner: Shape, component: Component, focus: Any, value: Any) -> str:
        import rdflib

        shapes, data = self.shapes.graph, self.data_names
        kind, params = component.kind, component.values
        path = self.name(shapes, owner.path.node) if owner.path is not None else None
        on = f"{self.name(data, focus)}->{path}" if path else self.name(data, focus)
        if kind == "class":
            if len(params) < 2:
                return f"Value does not have class {self.name(shapes, params[0])}"
            return "Value class is not in classes ({})".format(", ".join(self.name(shapes, c) for c in params))
        if kind == "datatype":
            return f"Value is not Literal with datatype {self.name(shapes, params[0])}"
        if kind == "nodeKind":
            return f"Value is not of Node Kind {self.name(shapes, params[0])}"
        if kind == "minCount":
            return f"Less than {params[0].value} values on {on}"
        if kind == "maxCount":
            return f"More than {params[0].value} values on {on}"
        if kind == "minLength":
            return f"String length not >= {self.name(data, params[0])}"
        if kind == "maxLength":
            return f"String length not <= {self.name(data, params[0])}"
        if kind == "pattern":
            if len(params) < 2:
                return f"Value does not match pattern '{params[0].value}'"
            return "Value does not match every pattern in ('{}')".format("', '".join(str(p.value) for p in params))
        if kind == "in":
            # pySHACL lists the values of a set, in its order: the same set, built the same way, has it.
            members: set[Any] = set()
            for member in params[0]:
                members.add(member)
            listed = [self.name(shapes, v) for v in members]
            return f"Value {self.name(data, value)} not in list {listed}"
        if kind == "hasValue":
            listed = [self.name(shapes, v) for v in set(shapes.objects(owner.node, rdflib.URIRef(SH + "hasValue")))]
            if path:
                return f"Node {on} does not contain a value in the set: {listed}"
            return f"Node {on} value is not a in the set of values: {listed}"
        if kind in _COMPARISONS:
            operator = _COMPARISONS[kind]
            if len(params) < 2:
                return f"Value is not {operator} {self.name(shapes, params[0])}"
            return "Value is not {} in ({})".format(operator, ", ".join(self.name(shapes, b) for b in params))
        if kind in ("or", "and", "xone"):
            if len(params) < 2:
                listed = " , ".join(self.name(shapes, m.node) for m in params[0])
            else:
                listed = " and ".join(
                    "({})".format(" , ".join(self.name(shapes, m.node) for m in members)) for members in params
                )
            verb = {
                "or": "must conform to one or more shapes in",
                "and": "must conform to all shapes in",
                "xone": "must conform to exactly one shape in",
            }[kind]
            return f"Node {self.name(data, value)} {verb} {listed}"
        if kind == "not":
            if len(params) < 2:
                return f"Node {self.name(data, value)} must not conform to shape {self.name(shapes, params[0].node)}"
            listed = " , ".join(self.name(shapes, m.node) for m in params)
            return f"Node {self.name(data, value)} must not conform to any shapes in {listed}"
        if kind == "node":
            if len(params) < 2:
                text = f"Value does not conform to Shape {self.name(shapes, params[0].node)}."
            else:
                text = "Value must conform to every Shape in ('{}').".format(
                    "', '".join(self.name(shapes, m.node) for m in params)
                )
            return text + " See details for more information."
        return "constraint not met"

    # -- sh:sparql
    def sparql_query(self, top: Shape, check: SparqlCheck) -> str | None:
        """The constraint's query, run once for every focus node (None: it must run once per focus node)."""
        form = _analyse_select(check.select, self.prefixes, self.shapes.source)
        if form is None:
            return None
        return form[1] if form[1] is not None else check.select

    def sparql_results(self, unit: _Unit) -> list[Violation]:
        check = unit.check
        rows: list[dict[str, Any]] = []
        if unit.query is not None:
            from kg.query import run_query

            result = run_query(self.graph.store, unit.query, prefixes=self.prefixes)
            for row in result.rows:
                bound = {name: term for name, term in zip(result.variables, row, strict=True) if term is not None}
                if "this" in bound and self.is_focus(unit.top, bound["this"]):
                    rows.append(bound)
        else:
            for focus in self.focus_nodes(unit.top):
                rows += [{"this": focus, **row} for row in self.sparql_rows_for(check, focus)]
        violations = []
        for bound in rows:
            focus = bound["this"]
            value = bound.get("value", focus)
            path = bound.get("path")
            names = {name: to_rdflib(term) for name, term in bound.items()}
            names.setdefault("value", to_rdflib(value))
            messages = [_format(str(m), names) for m in (*unit.owner.messages, *check.messages)]
            violations.append(
                Violation(
                    focus=short(to_rdflib(focus)),
                    path=short(to_rdflib(path)) if path is not None else None,
                    message=min(messages) if messages else "constraint not met",
                    value=short(to_rdflib(value)),
                    severity=unit.owner.severity,
                )
            )
        return violations

    def sparql_rows_for(self, check: SparqlCheck, focus: Any) -> list[dict[str, Any]]:
        """The rows of a sh:sparql constraint for one focus node, bound as pySHACL binds it."""
        from kg.query import run_query

        result = run_query(self.graph.store, check.select, {"this": focus}, prefixes=self.prefixes)
        return [
            {
                name: term
                for name, term in zip(result.variables, row, strict=True)
                if term is not None and name != "this"
            }
            for row in result.rows
        ]

    def focus_nodes(self, top: Shape) -> list[Any]:
        return [row[0] for row in self.select(f"SELECT DISTINCT ?this WHERE {{ {self.target_pattern(top)} }}")]


# -- pySHACL's rules for one value --------------------------------------------------------------------------


def _datatype_matches(value: Any, datatype: Any) -> bool:
    """pySHACL's sh:datatype: rdflib's datatype, and a value rdflib could read from the literal."""
    import datetime
    from decimal import Decimal

    import rdflib

    if not isinstance(value, rdflib.Literal):
        return False
    xsd, rdf = rdflib.XSD, rdflib.RDF
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
    elif datatype == rdflib.RDFS.Literal or (datatype == rdflib.RDFS.Datatype and value.datatype):
        return True
    elif not (value.datatype is None and value.language is None and datatype == xsd.string) and not (
        datatype == rdf.langString and value.language
    ):
        return False
    kinds = {
        xsd.string: (str, bytes),
        rdf.langString: (str, bytes),
        xsd.integer: int,
        xsd.float: float,
        xsd.decimal: Decimal,
        xsd.boolean: bool,
        xsd.date: datetime.date,
        xsd.time: datetime.time,
        xsd.dateTime: datetime.datetime,
    }
    return isinstance(value.value, kinds[datatype]) if datatype in kinds else True


def _node_kind_matches(value: Any, kind: Any) -> bool:
    import rdflib

    name = str(kind).removeprefix(PREFIXES["sh"])
    if isinstance(value, rdflib.BNode):
        return name in ("BlankNode", "BlankNodeOrLiteral", "BlankNodeOrIRI")
    if isinstance(value, rdflib.Literal):
        return name in ("Literal", "BlankNodeOrLiteral", "IRIOrLiteral")
    return name in ("IRI", "IRIOrLiteral", "BlankNodeOrIRI")


def _as_string(value: Any) -> str:
    import rdflib

    plain = (None, rdflib.RDF.langString, rdflib.XSD.string)
    if isinstance(value, rdflib.Literal) and value.value is not None and value.datatype in plain:
        return str(value.value)
    return str(value)


def _length_matches(value: Any, bound: int, kind: str) -> bool:
    import rdflib

    if kind == "minLength" and bound == 0:
        return True
    if isinstance(value, rdflib.BNode):
        return False
    length = len(_as_string(value))
    return length >= bound if kind == "minLength" else length <= bound


def _pattern_matches(value: Any, patterns: list[Any], flags: str | None) -> bool:
    import rdflib

    if isinstance(value, rdflib.BNode):
        return False
    options = 0  # pySHACL reads two of the flags
    for letter, flag in (("i", re.IGNORECASE), ("m", re.MULTILINE)):
        if flags and letter in flags.lower():
            options |= flag
    text = _as_string(value)
    return all(re.compile(str(p.value), options).search(text) for p in patterns)


def _compares(value: Any, bound: Any, kind: str, compare_literal: Any) -> bool:
    import rdflib

    if not isinstance(value, rdflib.Literal):
        return False
    if isinstance(bound.value, str) != isinstance(value.value, str):
        return False
    try:
        order = compare_literal(value, bound)
    except (TypeError, NotImplementedError):
        return False  # as pySHACL: a value that cannot be compared with the bound breaks the constraint
    return {
        "minInclusive": order >= 0,
        "maxInclusive": order <= 0,
        "minExclusive": order > 0,
        "maxExclusive": order < 0,
    }[kind]


def _format(message: str, names: dict[str, Any]) -> str:
    """A SPARQL constraint's message with ``{?name}`` and ``{$name}`` replaced, as pySHACL does."""
    for name, term in names.items():
        message = re.sub(f"{{[?$]{name}}}", str(term).replace("\\", "\\\\"), message)
    return message


# -- reading a sh:sparql query ------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*')"
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)|(?P<comment>#[^\n]*)|(?P<word>[?$]?[A-Za-z_][\w\-.]*(?::[^\s(){},;]*)?)"
    r"|(?P<space>\s+)|(?P<other>.)",
    re.DOTALL,
)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.lastgroup or "", m.start(), m.end()) for m in _TOKEN_RE.finditer(text) if m.lastgroup != "space"]


def _without_comments(text: str) -> str:
    return "".join(text[s:e] for kind, s, e in _tokens(text) if kind != "comment")


def _analyse_select(
    select: str, prefixes: dict[str, str], source: str = "shapes"
) -> tuple[list[str], str | None] | None:
    """(projected variables, the query with hash joins or None) for a query that may run once for all focus nodes.

    None when it must run once per focus node, as pySHACL runs it: it does not return ``$this``,
    or it limits, orders or aggregates its rows.
    """
    from rdflib.plugins.sparql import prepareQuery

    try:
        query = prepareQuery(select, initNs=prefixes)
    except Exception as error:  # rdflib raises many kinds for a query it cannot read
        raise InputError(source, f"a SPARQL query does not parse: {' '.join(str(error).split())[:200]}") from None
    algebra = query.algebra
    if algebra.name != "SelectQuery":
        return None
    variables = [str(v) for v in algebra.PV]
    inner = algebra.p
    while inner.name in ("Distinct", "Reduced", "Project"):
        inner = inner.p
    if "this" not in variables or not _only(inner, _JOINS):
        return None
    if re.match(r"\s*(PREFIX|BASE)\b", _without_comments(select), re.IGNORECASE):
        return variables, None
    return variables, _hash_joined(select, variables, inner)


# What a query may be made of to be run once for all focus nodes: joining its rows with the focus nodes
# afterwards is then the same as binding $this before (pySHACL's way). Anything else runs once a node.
_JOINS = ("Filter", "BGP", "Join", "Extend")


def _only(node: Any, names: tuple[str, ...]) -> bool:
    """Whether every graph pattern below ``node`` (filter expressions aside) is one of ``names``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if node.name not in names:
        return False
    for key, part in node.items():
        if key == "expr":
            continue
        if isinstance(part, CompValue) and part.name not in ("vars",) and not _only(part, names):
            return False
    return True


def _hash_joined(select: str, variables: list[str], inner: Any) -> str | None:
    """The query with each triple pattern a sub-query of its own: Oxigraph joins those by hashing, not by a seek a row.

    Only for a WHERE clause that is triple patterns and FILTERs (what it means is then unchanged:
    a basic graph pattern is the join of its triple patterns); None for any other.
    """
    import rdflib

    bgp = inner.p if inner.name == "Filter" else inner
    if bgp.name != "BGP" or not bgp.triples:
        return None
    for triple in bgp.triples:
        for term in triple:
            if not isinstance(term, (rdflib.URIRef, rdflib.Literal, rdflib.Variable)):
                return None  # a blank node (a variable the patterns share) or a path
    filters = _filter_texts(select)
    if filters is None or (inner.name == "Filter") != bool(filters):
        return None
    branches = _branches(list(bgp.triples))
    texts = [
        " ".join("{ SELECT * WHERE { " + " ".join(term.n3() for term in triple) + " } }" for triple in group)
        for group in branches
    ]
    # A FILTER on variables of one group only is checked in that group, before the joins.
    bound = [{str(t) for triple in group for t in triple if isinstance(t, rdflib.Variable)} for group in branches]
    outer = []
    for text in filters:
        words = (text[start:end] for kind, start, end in _tokens(text) if kind == "word")
        named = {word[1:] for word in words if word[0] in "?$"}
        home = next((i for i, names in enumerate(bound) if named <= names), None)
        if home is None or not named:
            outer.append(text)
        else:
            texts[home] += " " + text
    patterns = " ".join(f"{{ SELECT * WHERE {{ {g} }} }}" for g in texts)
    projection = " ".join(f"?{v}" for v in variables)
    return f"SELECT DISTINCT {projection} WHERE {{ {patterns} {' '.join(outer)} }}"


def _branches(triples: list[Any]) -> list[list[Any]]:
    """Triple patterns in groups to join: each a walk along the edges from one pattern on ``$this``.

    A group is joined pattern by pattern, each on the node its subject was met as (a star of
    patterns on one node is joined on that node); the groups are then joined on what they share.
    Every join is thus on a node or on several values at once, never on one value many rows share
    (a position, a year), which would multiply the rows.
    """
    import rdflib

    def is_variable(term: Any) -> bool:
        return isinstance(term, rdflib.Variable)

    left = list(triples)
    groups: list[list[Any]] = []

    def walk(triple: Any, group: list[Any]) -> None:
        left.remove(triple)
        group.append(triple)
        if is_variable(triple[2]):
            for following in [t for t in left if t[0] == triple[2]]:
                if following in left:
                    walk(following, group)

    for start in [t for t in triples if is_variable(t[0]) and str(t[0]) == "this"]:
        if start in left:
            groups.append([])
            walk(start, groups[-1])
    while left:  # patterns no walk from $this reaches: from each of them on
        groups.append([])
        walk(left[0], groups[-1])
    return groups


def _filter_texts(select: str) -> list[str] | None:
    """The FILTERs of the query's WHERE group, as written; None if the group holds anything else nested."""
    tokens = _tokens(select)
    texts: list[str] = []
    depth = 0
    i = 0
    while i < len(tokens):
        kind, start, end = tokens[i]
        word = select[start:end]
        if kind == "other" and word == "{":
            depth += 1
            if depth > 1:
                return None
        elif kind == "other" and word == "}":
            depth -= 1
        elif kind == "word" and depth == 1 and word.upper() == "FILTER":
            j = i + 1
            while j < len(tokens) and tokens[j][0] == "comment":
                j += 1
            opening = "("
            while j < len(tokens) and tokens[j][0] == "word" and select[tokens[j][1] : tokens[j][2]].upper() in (
                "NOT", "EXISTS",
            ):  # fmt: skip
                opening = "{"
                j += 1
            if j >= len(tokens) or tokens[j][0] == "comment":
                return None
            while j < len(tokens) and select[tokens[j][1] : tokens[j][2]] != opening:
                j += 1  # a function's name before its "("
            closing = ")" if opening == "(" else "}"
            level, k = 0, j
            while k < len(tokens):
                text = select[tokens[k][1] : tokens[k][2]]
                if tokens[k][0] == "other" and text in "({":
                    level += 1
                elif tokens[k][0] == "other" and text in ")}":
                    level -= 1
                    if level == 0:
                        break
                k += 1
            if k >= len(tokens) or select[tokens[k][1] : tokens[k][2]] != closing:
                return None
            texts.append(select[start : tokens[k][2]])
            i = k + 1
            continue
        i += 1
    return texts
