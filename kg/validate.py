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


def validate_graph(graph) -> list[Violation]:
    """SHACL violations of a :class:`kg.graph.KnowledgeGraph`, sorted; empty when it conforms."""
    import pyshacl
    import rdflib

    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    data = graph.union_rdflib_graph()
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    sh = rdflib.Namespace(PREFIXES["sh"])
    violations = []
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
