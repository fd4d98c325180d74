"""One validation result in words, and how terms are written in it (the same for every engine).

Examples
--------
>>> import rdflib
>>> short(rdflib.URIRef("https://w3id.org/kg/ontology#title"))
'kg:title'
>>> short(rdflib.Literal("-1", datatype=rdflib.XSD.integer))
'"-1"^^xsd:integer'
>>> str(Violation("<p>", "kg:date", "A paper has at most one date", '"June 2018"', "Violation"))
'Violation: <p> kg:date: A paper has at most one date (value: "June 2018")'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.namespace import PREFIXES


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


def short(term: Any) -> str:
    """An rdflib IRI with kg's prefixes (``kg:title``), else in brackets; a literal quoted, cut at 60 characters."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(term).startswith(namespace):
                return f"{prefix}:{str(term)[len(namespace) :]}"
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        text = str(term)
        shown = text if len(text) <= 60 else text[:57] + "..."
        return f'"{shown}"' + (f"^^{short(term.datatype)}" if term.datatype else "")
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term)


def sorted_results(violations: Any) -> list[Violation]:
    """Each result once, in the order kg prints them (focus node, path, message, value)."""
    return sorted(set(violations), key=lambda v: (v.focus, v.path or "", v.message, v.value or ""))
