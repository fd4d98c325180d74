"""The terms of kg's ontology (ontology/kg.ttl) and the standard prefixes.

ontology/kg.ttl is the definition; this module names its terms for code, and
a test keeps the two in step (every name here is declared there and the
reverse). The ontology files ship inside the package as ``kg.ontology``.

Examples
--------
>>> KG.Paper
'https://w3id.org/kg/ontology#Paper'
>>> PREFIXES["skos"]
'http://www.w3.org/2004/02/skos/core#'
"""

from __future__ import annotations

import re
from pathlib import Path

ONTOLOGY_IRI = "https://w3id.org/kg/ontology"
KG_NS = ONTOLOGY_IRI + "#"
DEFAULT_BASE = "https://w3id.org/kg/id/"

PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "cito": "http://purl.org/spar/cito/",
    "sh": "http://www.w3.org/ns/shacl#",
}


class _Terms:
    """IRIs of one namespace as attributes; only the names listed are valid."""

    def __init__(self, namespace: str, names: tuple[str, ...]) -> None:
        self._namespace = namespace
        self._names = frozenset(names)
        for name in names:  # plain attributes: read in hot loops
            setattr(self, name, namespace + name)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in self._names:
            raise AttributeError(f"{self._namespace}{name} is not a declared term")
        return self._namespace + name

    @property
    def names(self) -> frozenset[str]:
        return self._names


KG = _Terms(
    KG_NS,
    (
        # classes
        "Paper", "Author", "Topic", "Org", "Authorship", "TopicAssignment", "AuthorMerge", "Source", "SourceLine",
        "TopicYear", "AuthorDecision", "AuthorSplit", "Citation",
        # object properties
        "authored", "citesTopic", "affiliated", "hasAuthorship", "author", "hasTopicAssignment", "topic", "mergedInto",
        "inSource", "countsTopic", "keptApartFrom", "splitAuthor", "cites", "hasCitation", "citingPaper", "citedPaper",
        # datatype properties
        "title", "alternativeTitle", "name", "nameAsPrinted", "position", "date", "dateInferred", "abstract", "venue",
        "venueStatus", "authorCount", "authorsTruncated", "upvotes", "hasCode", "doi", "arxivId",
        "identifier", "score", "method", "variantName", "rule", "evidence", "path", "format", "line",
        "paperCount", "authorPaperCount", "orgPaperCount", "topicPaperCount", "year", "decisionScore",
        "listedOnPageOf", "citedOnly", "referenceText", "matchedBy", "citationCount", "statedCitationCount",
        "citedAuthor",
    ),
)  # fmt: skip

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
PROV_DERIVED_FROM = PREFIXES["prov"] + "wasDerivedFrom"


def ontology_file(name: str) -> Path:
    """A file of the ontology folder (``kg.ttl``, ``shapes.ttl``), installed or in a checkout.

    An installed kg carries the folder as ``kg/ontology``; a checkout (or an
    editable install) has it at the top level beside ``kg/``.

    Examples
    --------
    >>> ontology_file("kg.ttl").name
    'kg.ttl'
    """
    package = Path(__file__).resolve().parent
    for folder in (package / "ontology", package.parent / "ontology"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"ontology file {name!r} is missing from this kg installation")


def compact_iri(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``iri`` as prefix:local when a prefix covers it and SPARQL and Turtle would read it back, else in full.

    The local part must be a valid prefixed-name local part (no ``/``, not ending in ``.``), so what kg
    prints can be pasted into a query.

    Examples
    --------
    >>> compact_iri("https://w3id.org/kg/ontology#Paper")
    'kg:Paper'
    >>> compact_iri("https://example.org/x")
    'https://example.org/x'
    >>> compact_iri("https://w3id.org/kg/ontology#a/b")
    'https://w3id.org/kg/ontology#a/b'
    """
    best = ("", "")
    for prefix, namespace in (prefixes or PREFIXES).items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and len(namespace) > len(best[1]) and _LOCAL_NAME_RE.match(local):
            best = (prefix, namespace)
    return f"{best[0]}:{iri[len(best[1]) :]}" if best[1] else iri


# A prefixed name's local part (SPARQL 1.1 PN_LOCAL, without backslash escapes): what a query reads back.
_HEX = r"%[0-9A-Fa-f]{2}"
_LOCAL_NAME_RE = re.compile(rf"^(?:(?:[^\W]|:|{_HEX})(?:(?:[\w.:\-\u00B7]|{_HEX})*(?:[\w:\-\u00B7]|{_HEX}))?)?$")
