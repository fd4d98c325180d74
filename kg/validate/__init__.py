"""SHACL validation of a graph against ontology/shapes.ttl.

Two engines give the same results (focus nodes, paths, messages, values, severities):

- ``"builtin"`` (the default): the shapes compiled to SPARQL and run on the Oxigraph store in place
  (:mod:`kg.validate.engine`); seconds where pySHACL takes minutes, and no copy of the graph.
- ``"pyshacl"``: pySHACL on an rdflib copy of the graph (:mod:`kg.validate.reference`), the reference
  the built-in engine is tested against.

Examples
--------
>>> from kg.records import Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> graph = KnowledgeGraph.from_records([Record(title="Attention as an RNN", date="2024-05-22",
...                                             source=SourceRef("p.txt", 1, "hf-papers"))])
>>> validate_graph(graph)
[]
>>> validate_graph(graph, engine="pyshacl")
[]
"""

from __future__ import annotations

import os
from typing import Any

from kg.errors import UsageError
from kg.progress import Progress
from kg.validate.report import Violation

ENGINES = ("builtin", "pyshacl")

__all__ = ["ENGINES", "Violation", "validate_graph"]


def validate_graph(
    graph: Any,
    progress: Progress | None = None,
    engine: str = "builtin",
    shapes: str | os.PathLike[str] | None = None,
) -> list[Violation]:
    """SHACL results for a :class:`kg.graph.KnowledgeGraph`, sorted; empty when it conforms.

    ``progress`` is told of the stage ``"preparing the graph"``, then how many of the checks are
    done (``"validating"``; see :mod:`kg.progress`). ``shapes`` is a Turtle file of SHACL shapes,
    kg's own (``ontology/shapes.ttl``) by default.

    Raises
    ------
    kg.errors.UsageError
        An unknown ``engine``.
    kg.errors.InputError
        The shapes use a SHACL feature the built-in engine does not check (the pyshacl engine does).
    """
    if engine == "builtin":
        from kg.validate.engine import validate_in_store

        return validate_in_store(graph, progress, shapes)
    if engine == "pyshacl":
        from kg.validate.reference import validate_with_pyshacl

        return validate_with_pyshacl(graph, progress, shapes)
    raise UsageError(f"{{option}} {engine!r}: unknown (known: {', '.join(ENGINES)})", option="engine")
