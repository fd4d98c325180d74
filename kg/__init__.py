"""kg: a knowledge-graph builder for research literature.

The small public API; see README.md for the command line. Names are imported
when first used, so ``import kg`` stays cheap.

Examples
--------
>>> import kg
>>> result = kg.extract_text("CLMar 11, 2015\\nOn Using Monolingual CorporaCaglar Gulcehre, Orhan Firat et al.")
>>> result.records[0].date, result.records[0].authors_truncated
('2015-03-11', True)
>>> graph = kg.KnowledgeGraph.from_records(result.records)
>>> graph.query("SELECT ?name WHERE { ?a kg:name ?name } ORDER BY ?name").as_dicts()
[{'name': 'Caglar Gulcehre'}, {'name': 'Orhan Firat'}]
>>> kg.load("no/such/graph.ttl")
Traceback (most recent call last):
...
kg.errors.InputError: no/such/graph.ttl: no such file
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported now, not on first use: the submodule kg.extract would otherwise shadow the function kg.extract.
from kg.extract import extract, extract_file, extract_paths, extract_text

# Public name -> the module that defines it.
_EXPORTS = {
    "AuthorRef": "kg.records",
    "Record": "kg.records",
    "SourceRef": "kg.records",
    "record_from_dict": "kg.records",
    "KgError": "kg.errors",
    "InputError": "kg.errors",
    "UnknownFormatError": "kg.errors",
    "UsageError": "kg.errors",
    "formats": "kg.extractors",
    "Aliases": "kg.resolve.aliases",
    "KnowledgeGraph": "kg.graph",
    "validate_graph": "kg.validate",
    "BuildOptions": "kg.pipeline",
    "BuildReport": "kg.pipeline",
    "Target": "kg.pipeline",
    "build": "kg.pipeline",
    "add": "kg.pipeline",
    "remove": "kg.pipeline",
}

__all__ = [
    *sorted(_EXPORTS),
    "extract",
    "extract_file",
    "extract_paths",
    "extract_text",
    "load",
]
__version__ = "0.1.0"


def load(path: str) -> Any:
    """Open a graph: an RDF file in any format kg writes, or a store folder (read-only, queried in place).

    Returns a :class:`kg.graph.KnowledgeGraph`.
    """
    from kg.store import open_graph

    return open_graph(path)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
