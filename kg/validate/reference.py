"""The reference validator: pySHACL on an rdflib copy of the graph (slow; kept to check the built-in one against).

Examples
--------
>>> from kg.records import Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> graph = KnowledgeGraph.from_records([Record(title="Attention as an RNN", date="2024-05-22",
...                                             source=SourceRef("p.txt", 1, "hf-papers"))])
>>> validate_with_pyshacl(graph)
[]
"""

from __future__ import annotations

import os
from typing import Any

from kg.namespace import PREFIXES, ontology_file
from kg.progress import Progress, Tally, step
from kg.validate.report import Violation, short, sorted_results


def _short(term: Any, graph: Any) -> str:
    import rdflib

    if isinstance(term, rdflib.BNode):
        # A path such as [ sh:inversePath kg:hasAuthorship ].
        inverse = graph.value(term, rdflib.URIRef(PREFIXES["sh"] + "inversePath"))
        return f"^{short(inverse)}" if inverse is not None else "(path)"
    return short(term)


def validate_with_pyshacl(
    graph: Any, progress: Progress | None = None, shapes_file: str | os.PathLike[str] | None = None
) -> list[Violation]:
    """SHACL results of pySHACL for a :class:`kg.graph.KnowledgeGraph`, sorted; empty when it conforms.

    ``progress`` is told when the graph is being copied for pySHACL (the stage
    ``"preparing the graph"``), then how many of the shapes are checked (``"validating"``).
    ``shapes_file`` is kg's ``ontology/shapes.ttl`` by default.
    """
    import pyshacl
    import rdflib

    shapes = rdflib.Graph().parse(shapes_file or ontology_file("shapes.ttl"), format="turtle")
    prepared = step(progress, "preparing the graph")
    data = graph.union_rdflib_graph()
    prepared()
    # One shape at a time, to say how far validation is: the same results as all at once.
    # The copy is the validator's own, so it is validated in place (no second copy).
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
        # The report's results, not those nested in them (sh:detail, under a sh:node result).
        results = [
            r for top in report.subjects(rdflib.RDF.type, sh.ValidationReport) for r in report.objects(top, sh.result)
        ]
        for result in results:
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
    return sorted_results(violations)


def _shape_batches(shapes: Any) -> list[list[str] | None]:
    """The shapes to validate with, one named shape a run; ``[None]`` (all in one run) if a blank node has
    targets or a shape refers to a named one.

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
    # pySHACL leaves out a named shape that use_shapes does not list, even where another shape refers to it.
    referred = {o for p in (sh.node, sh["not"], sh.property, sh.qualifiedValueShape) for o in shapes.objects(None, p)}
    for logical in (sh["or"], sh["and"], sh.xone):
        referred.update(item for listed in shapes.objects(None, logical) for item in shapes.items(listed))
    if any(not isinstance(shape, rdflib.URIRef) for shape in targeted) or any(
        isinstance(shape, rdflib.URIRef) for shape in referred
    ):
        return [None]
    return [[str(shape)] for shape in sorted(targeted)]
