"""arXiv OAI-PMH responses in the ``arXiv`` metadata format (keyname / forenames / affiliation).

``msc-class`` and ``acm-class`` ("37K05 37K10 53D10", "I.2.6; F.2.2") are ``msc`` and ``acm-ccs``
``subjects`` (codes only: the shipped taxonomies name them).

Examples
--------
>>> text = ('<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><GetRecord><record><metadata>'
...         '<arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>1401.2122</id><title>T</title>'
...         '<msc-class>37K05 53D10</msc-class><acm-class>I.2.6</acm-class></arXiv></metadata></record>'
...         '</GetRecord></OAI-PMH>')
>>> [(s["scheme"], s["code"]) for s in extract(text, "oai.xml", ExtractOptions())[0][0].extra["subjects"]]
[('msc', '37K05'), ('msc', '53D10'), ('acm-ccs', 'I.2.6')]
"""

from __future__ import annotations

from kg.errors import InputError, KgError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import iso_date
from kg.extractors.common.subjects import acm_codes, msc_codes, subjects
from kg.extractors.common.xmldoc import child_text, children, local_name, parse_xml, sniff_root
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "arxiv-oai"


def detect(text: str) -> float:
    return 1.0 if sniff_root(text) == "OAI-PMH" and "arxiv" in text[:20000].lower() else 0.0


def _author(element) -> AuthorRef | None:
    keyname = child_text(element, "keyname")
    forenames = child_text(element, "forenames")
    suffix = child_text(element, "suffix")
    name = " ".join(part for part in (forenames, keyname, suffix) if part)
    if not name:
        return None
    affiliations = tuple(" ".join("".join(a.itertext()).split()) for a in children(element, "affiliation"))
    return AuthorRef(name, tuple(a for a in affiliations if a))


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    try:
        root = parse_xml(text)
    except KgError as error:
        raise InputError(source, str(error)) from None
    records, notes = [], []
    for metadata in root.iter("{*}arXiv"):
        authors_element = next((c for c in metadata if local_name(c) == "authors"), None)
        authors = (
            [a for a in (_author(x) for x in children(authors_element, "author")) if a]
            if authors_element is not None
            else []
        )
        ids = {"arxiv": child_text(metadata, "id") or ""}
        doi = child_text(metadata, "doi")
        if doi:  # may list several ("10.1/a, 10.2/b"): the record keeps the first, normalised
            ids["doi"] = doi
        categories = (child_text(metadata, "categories") or "").split()
        classes = subjects("msc", msc_codes(child_text(metadata, "msc-class"))) + subjects(
            "acm-ccs", acm_codes(child_text(metadata, "acm-class"))
        )
        records.append(
            Record(
                title=child_text(metadata, "title"),
                authors=tuple(authors),
                date=iso_date(child_text(metadata, "created")),
                categories=tuple(categories),
                venue=child_text(metadata, "journal-ref"),
                abstract=child_text(metadata, "abstract"),
                ids={k: v for k, v in ids.items() if v},
                source=SourceRef(source, metadata.sourceline or 1, FORMAT),
                extra={"subjects": classes} if classes else {},
            )
        )
    if not records:
        notes.append("an OAI-PMH response without arXiv records")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="arXiv OAI-PMH XML, metadataPrefix=arXiv (keyname/forenames/affiliation)",
    detect=detect,
    extract=extract,
)
