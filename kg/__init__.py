"""kg: a knowledge-graph builder for research literature.

The small public API; see README.md for the command line.

Examples
--------
>>> import kg
>>> result = kg.extract_text("CLMar 11, 2015\\nOn Using Monolingual CorporaCaglar Gulcehre, Orhan Firat et al.")
>>> result.records[0].date, result.records[0].authors_truncated
('2015-03-11', True)
>>> graph = kg.KnowledgeGraph.from_records(result.records)
>>> graph.query("SELECT ?name WHERE { ?a kg:name ?name } ORDER BY ?name").as_dicts()
[{'name': 'Caglar Gulcehre'}, {'name': 'Orhan Firat'}]
"""

from kg.errors import InputError, KgError, UnknownFormatError, UsageError
from kg.extract import extract, extract_file, extract_paths, extract_text
from kg.extractors import formats
from kg.graph import KnowledgeGraph
from kg.pipeline import BuildReport, build
from kg.records import AuthorRef, Record, SourceRef, record_from_dict
from kg.validate import validate_graph


def load(path: str) -> KnowledgeGraph:
    """Open a graph file written by ``kg build`` (any RDF format kg writes).

    Examples
    --------
    >>> load("no/such/graph.ttl")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: no/such/graph.ttl: no such file
    """
    return KnowledgeGraph.load(path)


__all__ = [
    "AuthorRef",
    "BuildReport",
    "InputError",
    "KgError",
    "KnowledgeGraph",
    "Record",
    "SourceRef",
    "UnknownFormatError",
    "UsageError",
    "build",
    "extract",
    "extract_file",
    "extract_paths",
    "extract_text",
    "formats",
    "load",
    "record_from_dict",
    "validate_graph",
]

__version__ = "0.1.0"
