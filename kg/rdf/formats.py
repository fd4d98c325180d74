"""RDF serializations kg reads and writes, resolved from a file name in one place.

Examples
--------
>>> rdf_format_for("seeds.ttl").name, rdf_format_for("seeds.nq").dataset
('Turtle', True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePath

from kg.errors import UsageError


@dataclass(frozen=True)
class RdfFormat:
    """A serialization: its name, file extensions, and whether it keeps named graphs."""

    name: str
    extensions: tuple[str, ...]
    dataset: bool
    oxigraph_name: str


FORMATS = (
    RdfFormat("Turtle", (".ttl",), False, "TURTLE"),
    RdfFormat("N-Triples", (".nt",), False, "N_TRIPLES"),
    RdfFormat("N-Quads", (".nq",), True, "N_QUADS"),
    RdfFormat("TriG", (".trig",), True, "TRIG"),
    RdfFormat("JSON-LD", (".jsonld", ".json-ld"), True, "JSON_LD"),
    RdfFormat("RDF/XML", (".rdf", ".owl", ".xml"), False, "RDF_XML"),
)
# Named graphs (one per source) survive only in N-Quads, TriG and JSON-LD; the others hold the
# union of every graph, where provenance is still kept by prov:wasDerivedFrom.
BY_EXTENSION = {extension: rdf_format for rdf_format in FORMATS for extension in rdf_format.extensions}


def rdf_format_for(path: str | PurePath) -> RdfFormat:
    """The format for a file name, from its extension; :class:`UsageError` if unknown."""
    suffix = PurePath(path).suffix.lower()
    if suffix in BY_EXTENSION:
        return BY_EXTENSION[suffix]
    known = " ".join(ext for f in FORMATS for ext in f.extensions)
    raise UsageError(f"{path}: cannot tell the RDF format from the extension {suffix or '(none)'!r} (known: {known})")


_QUALIFIED_TAG_RE = re.compile(rb"<[A-Za-z_][\w.-]*:[A-Za-z_]")
_TERM = rb'(?:<[^<>"\s]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^<>"\s]*>)?)'
_NQUADS_LINE_RE = re.compile(rb"^\s*" + rb"\s+".join([_TERM] * 4) + rb"\s*\.\s*(?:#.*)?$")


def sniff_rdf_format(data: bytes) -> RdfFormat:
    """The format of RDF that comes without a file name (standard input), told from its first bytes.

    RDF/XML starts with ``<?xml``, a DTD or a qualified tag declaring namespaces, JSON-LD with JSON,
    N-Quads with a four-term line;
    anything else is read as TriG, which takes Turtle and N-Triples too.

    Examples
    --------
    >>> sniff_rdf_format(b'<?xml version="1.0"?><rdf:RDF/>').name
    'RDF/XML'
    >>> sniff_rdf_format(b'<urn:a> <urn:b> "c" <urn:g> .').name
    'N-Quads'
    >>> sniff_rdf_format(b'@prefix kg: <urn:kg#> .').name
    'TriG'
    """
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<!")) or (_QUALIFIED_TAG_RE.match(head) and b"xmlns" in head[:4096]):
        return BY_EXTENSION[".rdf"]
    if head[:1] in (b"{", b"["):
        try:
            json.loads(data)
        except ValueError:
            pass
        else:
            return BY_EXTENSION[".jsonld"]
    first = next((line for line in head.splitlines() if line.strip() and not line.lstrip().startswith(b"#")), b"")
    if _NQUADS_LINE_RE.match(first):
        return BY_EXTENSION[".nq"]
    return BY_EXTENSION[".trig"]


def check_graph_output(path: str | PurePath) -> RdfFormat:
    """The format of a graph file to write, checked before any work (see :func:`kg.io.outputs.check_output`).

    Examples
    --------
    >>> check_graph_output("seeds.trig").name
    'TriG'
    """
    from kg.io.outputs import check_output

    return check_output(path, BY_EXTENSION, "a graph")


def oxigraph_format(rdf_format: RdfFormat):
    """The pyoxigraph.RdfFormat for a format."""
    import pyoxigraph

    return getattr(pyoxigraph.RdfFormat, rdf_format.oxigraph_name)
