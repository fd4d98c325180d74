"""kg's SHACL shapes read into plain objects: each shape's targets, constraints and nested shapes.

The shapes are data (``ontology/shapes.ttl``): this module reads whatever that file says, and
refuses, with one error naming it, any SHACL feature that :mod:`kg.validate.engine` cannot check
(a closed shape, a property pair, a sequence path, a constraint component of the file's own ...).
A later edit of the shapes therefore never makes validation check less without saying so.

Examples
--------
>>> shapes = read_shapes()
>>> paper = next(s for s in shapes if s.name == "kgsh:PaperShape")
>>> paper.targets[0].kind, len(paper.properties) > 10
('class', True)
>>> sorted({c.kind for s in shapes for p in (s, *s.properties) for c in p.components})[:4]
['class', 'datatype', 'in', 'maxCount']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.namespace import PREFIXES, ontology_file

SH = PREFIXES["sh"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SEVERITIES = {SH + "Violation": "Violation", SH + "Warning": "Warning", SH + "Info": "Info"}

# The constraint components the engine checks, named by their parameter. A shape with another sh:
# predicate, neither one of these nor one of _NOT_CONSTRAINTS, is refused.
COMPONENTS = (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minLength", "maxLength", "pattern", "in",
    "hasValue", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "or", "and", "xone", "not",
    "node", "sparql",
)  # fmt: skip
# sh: predicates of a shape that add no constraint of their own (or are read with one: sh:flags).
_NOT_CONSTRAINTS = {
    "path", "property", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target",
    "message", "severity", "deactivated", "name", "description", "order", "group", "defaultValue", "flags",
}  # fmt: skip
_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")


@dataclass(frozen=True)
class ShapePath:
    """A property shape's path: one predicate, followed forwards or (``inverse``) backwards."""

    predicate: str
    inverse: bool
    node: Any  # the path as the shapes graph writes it (an IRI or a blank node), for messages


@dataclass(frozen=True)
class Target:
    """How a shape finds its focus nodes: ``kind`` is class, node, subjectsOf, objectsOf or sparql."""

    kind: str
    value: Any  # an rdflib term, or the SELECT text of a SPARQL target


@dataclass(frozen=True)
class SparqlCheck:
    """One ``sh:sparql`` constraint: its SELECT text, its messages and the node it is in the shapes graph."""

    select: str
    messages: tuple[Any, ...]
    node: Any


@dataclass
class Component:
    """One constraint component of a shape: its kind (``"datatype"``) and its parameter values.

    For ``or``, ``and`` and ``xone`` each value is a list of :class:`Shape`; for ``not`` and ``node``
    a :class:`Shape`; for ``sparql`` a :class:`SparqlCheck`; otherwise an rdflib term (``in``: a list).
    """

    kind: str
    values: list[Any]
    flags: str | None = None  # sh:flags, for sh:pattern


@dataclass(eq=False)
class Shape:
    """A node or property shape, as the validator uses it."""

    node: Any
    name: str
    path: ShapePath | None
    targets: list[Target] = field(default_factory=list)
    severity: str = "Violation"
    messages: tuple[Any, ...] = ()
    deactivated: bool = False
    components: list[Component] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)


@dataclass
class Shapes:
    """Every shape that has targets (the ones validation starts from), the shapes graph and its prefixes."""

    top: list[Shape]
    graph: Any  # the rdflib shapes graph (messages name its terms with its prefixes)
    prefixes: dict[str, str]  # the prefixes SPARQL constraints and targets declare (sh:declare)
    source: str = "shapes"  # the file, as errors name it

    def refuse(self, what: str) -> InputError:
        """The error for a feature of the shapes the built-in engine does not check."""
        return refusal(self.source, what)

    def __iter__(self):
        return iter(self.top)


def read_shapes(path: str | Path | None = None) -> Shapes:
    """The shapes of ``path`` (kg's ``ontology/shapes.ttl`` by default), read into :class:`Shape` objects.

    Raises
    ------
    kg.errors.InputError
        The file uses a SHACL feature the engine does not check (named in the message).
    """
    import rdflib

    source = Path(path) if path is not None else ontology_file("shapes.ttl")
    graph = rdflib.Graph().parse(source, format="turtle")
    return _Reader(graph, str(source)).read()


def refusal(source: str, what: str) -> InputError:
    """The one error for ``what`` in the shapes of ``source``, which only the pyshacl engine checks."""
    return InputError(
        source, f"{what}: the built-in validator does not check it (use {{option}} pyshacl)", option="engine"
    )


class _Reader:
    def __init__(self, graph: Any, source: str) -> None:
        self.graph = graph
        self.source = source
        self.built: dict[Any, Shape] = {}
        self.prefixes: dict[str, str] = {}

    def refuse(self, what: str) -> InputError:
        return refusal(self.source, what)

    def sh(self, name: str):
        import rdflib

        return rdflib.URIRef(SH + name)

    def read(self) -> Shapes:
        import rdflib

        graph = self.graph
        for kind in ("ConstraintComponent", "SPARQLRule", "TripleRule", "JSConstraint", "SPARQLTargetType"):
            for node in graph.subjects(rdflib.RDF.type, self.sh(kind)):
                raise self.refuse(f"{self.name(node)} (a sh:{kind})")
        for predicate in ("rule", "entailment", "js", "shapesGraph"):
            for node in graph.subjects(self.sh(predicate), None):
                raise self.refuse(f"sh:{predicate} on {self.name(node)}")
        roots = {subject for name in _TARGETS for subject in graph.subjects(self.sh(name), None)}
        # A shape that is also a class targets its instances.
        for kind in (rdflib.RDFS.Class, rdflib.OWL.Class):
            for subject in graph.subjects(rdflib.RDF.type, kind):
                if any((subject, rdflib.RDF.type, self.sh(t)) in graph for t in ("NodeShape", "PropertyShape")):
                    roots.add(subject)
        top = [self.shape(node) for node in sorted(roots, key=self.sort_key)]
        return Shapes([shape for shape in top if not shape.deactivated], graph, dict(self.prefixes), self.source)

    def sort_key(self, node: Any) -> tuple[int, str]:
        import rdflib

        return (0 if isinstance(node, rdflib.URIRef) else 1, str(node))

    def name(self, node: Any) -> str:
        from pyshacl.rdfutil import stringify_node

        return stringify_node(self.graph, node)

    def shape(self, node: Any) -> Shape:
        import rdflib

        if node in self.built:
            return self.built[node]
        graph = self.graph
        path_node = graph.value(node, self.sh("path"))
        shape = Shape(node=node, name=self.name(node), path=self.path(path_node) if path_node is not None else None)
        self.built[node] = shape  # before its parts: a shape may refer to itself
        shape.messages = tuple(graph.objects(node, self.sh("message")))
        severity = graph.value(node, self.sh("severity"))
        if severity is not None:
            if str(severity) not in SEVERITIES:
                raise self.refuse(f"severity {self.name(severity)} of {shape.name}")
            shape.severity = SEVERITIES[str(severity)]
        deactivated = graph.value(node, self.sh("deactivated"))
        shape.deactivated = isinstance(deactivated, rdflib.Literal) and deactivated.value is True
        shape.targets = self.targets(node)
        parameters: dict[str, list[Any]] = {}
        for predicate, value in graph.predicate_objects(node):
            if not str(predicate).startswith(SH):
                continue
            local = str(predicate)[len(SH) :]
            if local in COMPONENTS:
                parameters.setdefault(local, []).append(value)
            elif local not in _NOT_CONSTRAINTS:
                raise self.refuse(f"sh:{local} on {shape.name}")
        for local in COMPONENTS:  # a fixed order, whatever the file's
            if local in parameters:
                shape.components.append(self.component(shape, local, sorted(parameters[local], key=self.sort_key)))
        for child in sorted(graph.objects(node, self.sh("property")), key=self.sort_key):
            nested = self.shape(child)
            if nested.path is None:
                raise self.refuse(f"sh:property {nested.name} of {shape.name} has no sh:path")
            if not nested.deactivated:
                shape.properties.append(nested)
        if shape.path is not None and shape.properties:
            raise self.refuse(f"sh:property on the property shape {shape.name}")
        return shape

    def path(self, node: Any) -> ShapePath:
        import rdflib

        if isinstance(node, rdflib.URIRef):
            return ShapePath(str(node), False, node)
        inverse = self.graph.value(node, self.sh("inversePath"))
        others = [p for p in self.graph.predicates(node, None) if p != self.sh("inversePath")]
        if isinstance(inverse, rdflib.URIRef) and not others:
            return ShapePath(str(inverse), True, node)
        raise self.refuse(f"the path {self.name(node)} (only a predicate or the inverse of one)")

    def targets(self, node: Any) -> list[Target]:
        import rdflib

        graph = self.graph
        found = [Target("class", c) for c in graph.objects(node, self.sh("targetClass"))]
        for kind in (rdflib.RDFS.Class, rdflib.OWL.Class):
            if (node, rdflib.RDF.type, kind) in graph:
                found.append(Target("class", node))
        found += [Target("node", n) for n in graph.objects(node, self.sh("targetNode"))]
        found += [Target("subjectsOf", p) for p in graph.objects(node, self.sh("targetSubjectsOf"))]
        found += [Target("objectsOf", p) for p in graph.objects(node, self.sh("targetObjectsOf"))]
        for target in graph.objects(node, self.sh("target")):
            if (target, rdflib.RDF.type, self.sh("SPARQLTarget")) not in graph:
                raise self.refuse(f"the target {self.name(target)} of {self.name(node)} (only sh:SPARQLTarget)")
            found.append(Target("sparql", self.select(target)))
        return sorted(set(found), key=lambda t: (t.kind, str(t.value)))

    def select(self, node: Any) -> str:
        """The SELECT text of a SPARQL target or constraint, its prefixes noted for the queries."""
        import rdflib

        selects = list(self.graph.objects(node, self.sh("select")))
        if len(selects) != 1 or not isinstance(selects[0], rdflib.Literal):
            raise self.refuse(f"{self.name(node)} without exactly one sh:select")
        for declared in self.graph.objects(node, self.sh("prefixes")):
            for declaration in self.graph.objects(declared, self.sh("declare")):
                prefix = str(self.graph.value(declaration, self.sh("prefix")))
                namespace = str(self.graph.value(declaration, self.sh("namespace")))
                if self.prefixes.get(prefix, namespace) != namespace:
                    raise self.refuse(f"the prefix {prefix}: declared for two namespaces")
                self.prefixes[prefix] = namespace
        return str(selects[0])

    def component(self, shape: Shape, kind: str, values: list[Any]) -> Component:
        import rdflib

        graph = self.graph
        if kind in ("or", "and", "xone"):
            return Component(kind, [[self.shape(item) for item in graph.items(value)] for value in values])
        if kind in ("not", "node"):
            return Component(kind, [self.shape(value) for value in values])
        if kind == "sparql":
            return Component(kind, [check for value in values if (check := self.sparql(shape, value)) is not None])
        if kind in ("datatype", "nodeKind", "in") and len(values) > 1:
            raise self.refuse(f"two values of sh:{kind} on {shape.name}")
        if kind == "in":
            return Component(kind, [list(graph.items(value)) for value in values])
        if kind in ("minCount", "maxCount", "minLength", "maxLength") and not all(
            isinstance(v, rdflib.Literal) and isinstance(v.value, int) and v.value >= 0 for v in values
        ):
            raise self.refuse(f"sh:{kind} {self.name(values[0])} on {shape.name} (a count, 0 or more)")
        if kind in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "pattern") and not all(
            isinstance(v, rdflib.Literal) for v in values
        ):
            raise self.refuse(f"sh:{kind} {self.name(values[0])} on {shape.name} (a literal)")
        flags = graph.value(shape.node, self.sh("flags")) if kind == "pattern" else None
        return Component(kind, values, str(flags) if flags is not None else None)

    def sparql(self, shape: Shape, node: Any) -> SparqlCheck | None:
        """One sh:sparql constraint (None when it is deactivated)."""
        import rdflib

        graph = self.graph
        deactivated = graph.value(node, self.sh("deactivated"))
        if isinstance(deactivated, rdflib.Literal) and deactivated.value is True:
            return None
        known = {SH + name for name in ("select", "message", "prefixes", "deactivated")}
        known |= {RDF + "type", RDFS + "comment", RDFS + "label"}
        extra = sorted(str(p) for p in graph.predicates(node, None) if str(p) not in known)
        if extra:
            raise self.refuse(f"{extra[0]} in a sh:sparql constraint of {shape.name}")
        return SparqlCheck(self.select(node), tuple(graph.objects(node, self.sh("message"))), node)
