"""SHACL validation of a graph against ontology/shapes.ttl (pySHACL).

Examples
--------
>>> from kg.records import Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> graph = KnowledgeGraph.from_records([Record(title="Attention as an RNN", date="2024-05-22",
...                                             source=SourceRef("p.txt", 1, "hf-papers"))])
>>> validate_graph(graph)
[]
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.namespace import PREFIXES, ontology_file
from kg.progress import Progress, Tally, step


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in words: which node, which property, what is wrong."""

    focus: str
    path: str | None
    message: str
    value: str | None
    severity: str

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}" if self.path else self.focus
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: {where}: {self.message}{value}"


def _short(term, graph) -> str:
    import rdflib

    if isinstance(term, rdflib.URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(term).startswith(namespace):
                return f"{prefix}:{str(term)[len(namespace) :]}"
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        text = str(term)
        shown = text if len(text) <= 60 else text[:57] + "..."
        return f'"{shown}"' + (f"^^{_short(term.datatype, graph)}" if term.datatype else "")
    if isinstance(term, rdflib.BNode):
        # A path such as [ sh:inversePath kg:hasAuthorship ].
        inverse = graph.value(term, rdflib.URIRef(PREFIXES["sh"] + "inversePath"))
        return f"^{_short(inverse, graph)}" if inverse is not None else "(path)"
    return str(term)


def validate_graph(graph, progress: Progress | None = None) -> list[Violation]:
    """SHACL violations of a :class:`kg.graph.KnowledgeGraph`, sorted; empty when it conforms.

    ``progress`` is told when the graph is being copied for the validator (the stage
    ``"preparing the graph"``), then how many of the shapes are checked (``"validating"``;
    see :mod:`kg.progress`).
    """
    import pyshacl
    import rdflib

    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    prepared = step(progress, "preparing the graph")
    data = graph.union_rdflib_graph()
    prepared()
    # One shape at a time, to say how far validation is: the same results as all at once.
    # The copy is validator's own, so it is validated in place (no second copy).
    batches = _shape_batches(shapes)
    reports = []
    for use_shapes in Tally(progress, "validating", len(batches)).over(batches):
        _conforms, report, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
            use_shapes=use_shapes,
        )
        reports.append(report)
    sh = rdflib.Namespace(PREFIXES["sh"])
    violations = []
    for report in reports:
        for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
            focus = report.value(result, sh.focusNode)
            path = report.value(result, sh.resultPath)
            value = report.value(result, sh.value)
            messages = sorted(str(m) for m in report.objects(result, sh.resultMessage))
            severity = report.value(result, sh.resultSeverity)
            violations.append(
                Violation(
                    focus=_short(focus, report),
                    path=_short(path, report) if path is not None else None,
                    message=messages[0] if messages else "constraint not met",
                    value=_short(value, report) if value is not None else None,
                    severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                )
            )
    return sorted(set(violations), key=lambda v: (v.focus, v.path or "", v.message, v.value or ""))


def _shape_batches(shapes) -> list[list[str] | None]:
    """The shapes to validate with, one named shape a run; ``[None]`` (all in one run) if a blank node has targets.

    Examples
    --------
    >>> import rdflib
    >>> batches = _shape_batches(rdflib.Graph().parse(ontology_file("shapes.ttl"), format="turtle"))
    >>> len(batches) > 10, "https://w3id.org/kg/shapes#PaperShape" in [b[0] for b in batches]
    (True, True)
    """
    import rdflib

    sh = rdflib.Namespace(PREFIXES["sh"])
    targets = (sh.targetClass, sh.targetNode, sh.targetSubjectsOf, sh.targetObjectsOf, sh.target)
    shape_types = (sh.NodeShape, sh.PropertyShape)
    targeted = {subject for predicate in targets for subject in shapes.subjects(predicate, None)}
    # A shape that is also a class targets its instances.
    for kind in (rdflib.RDFS.Class, rdflib.OWL.Class):
        for subject in shapes.subjects(rdflib.RDF.type, kind):
            if any((subject, rdflib.RDF.type, shape_type) in shapes for shape_type in shape_types):
                targeted.add(subject)
    if any(not isinstance(shape, rdflib.URIRef) for shape in targeted):
        return [None]
    return [[str(shape)] for shape in sorted(targeted)]
