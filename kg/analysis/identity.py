"""Why kg thinks names are one person, or two: the people behind a name, with their merges and splits.

Author resolution (:mod:`kg.resolve.people`) keeps every decision in the graph's
``<base>graph/resolution``: each merge with its rule, evidence and score, and for people who print
one name, why they were kept apart. :func:`explain_name` reads them back for one name
(``kg why-same GRAPH NAME``).

Examples
--------
>>> from kg.graph import KnowledgeGraph
>>> from kg.records import AuthorRef, Record, SourceRef
>>> def paper(title, *names):
...     return Record(title=title, authors=tuple(AuthorRef(n) for n in names), source=SourceRef("p", 1, "x"))
>>> graph = KnowledgeGraph.from_records([paper("One", "Andrew M. Dai", "Rohan Anil"),
...                                      paper("Two", "A. M. Dai", "Rohan Anil")])
>>> [(p.label, p.names, p.papers) for p in explain_name(graph, "A. Dai")]
[('Andrew M. Dai', ('A. M. Dai', 'Andrew M. Dai'), 2)]
>>> explain_name(graph, "A. Dai")[0].decisions[0].rule
'compatible names + shared co-author'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kg.network.readmodel import graph_of
from kg.queries import load_query
from kg.resolve.people import compatible, parse_name


@dataclass(frozen=True)
class Decision:
    """One merge that made a person, or one split that kept them apart from a namesake."""

    kind: str  # "merge" or "split"
    rule: str
    evidence: tuple[str, ...]
    score: float | None
    variant: str | None = None  # a merge: the name that joined
    other: str | None = None  # a split: the namesake's IRI
    other_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "rule": self.rule, "evidence": list(self.evidence), "score": self.score,
            "variant": self.variant, "other": self.other, "other_label": self.other_label,
        }  # fmt: skip


@dataclass(frozen=True)
class Person:
    """One author whose printed names could be the name asked about."""

    iri: str
    label: str
    names: tuple[str, ...]
    papers: int
    decisions: tuple[Decision, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label, "names": list(self.names), "papers": self.papers,
                "decisions": [d.to_dict() for d in self.decisions]}  # fmt: skip


def explain_name(graph: Any, name: str) -> list[Person]:
    """The people of ``graph`` (or of the file or store it names) who could be ``name``, and why.

    A person qualifies when one of their printed names is compatible with ``name`` (the same
    family name; given names equal or initials of each other: "A. Gupta" finds "Anoop Gupta"
    and "Ajay Gupta"). Most papers first.
    """
    graph = graph_of(graph)
    wanted = parse_name(name)
    if not wanted.family:
        return []
    rows = graph.query(load_query("why_same_names"), {"family": wanted.family.split()[-1]}).as_dicts()
    names: defaultdict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    papers: dict[str, int] = {}
    for row in rows:
        names[row["author"]].add(row["name"])
        labels[row["author"]] = row.get("label") or row["name"]
        papers[row["author"]] = max(papers.get(row["author"], 0), row["papers"])
    people = []
    for iri, printed in names.items():
        if not any(compatible(wanted, parse_name(n)) for n in printed):
            continue
        rows = graph.query(load_query("why_same_decisions"), {"author": _iri(iri)}).as_dicts()
        decisions = tuple(_decision(row) for row in rows)
        people.append(Person(iri, labels[iri], tuple(sorted(printed)), papers[iri], decisions))
    return sorted(people, key=lambda p: (-p.papers, p.label, p.iri))


def _iri(iri: str):  # type: ignore[no-untyped-def]
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)


def _decision(row: dict[str, Any]) -> Decision:
    why = row.get("why") or ""
    score = row.get("score")
    return Decision(
        kind=row["kind"],
        rule=row["rule"],
        evidence=tuple(sorted(e for e in why.split(" | ") if e)),
        score=float(score) if score is not None else None,
        variant=row.get("variant"),
        other=row.get("other"),
        other_label=row.get("otherLabel"),
    )
