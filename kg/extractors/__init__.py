"""The registry of source formats: one module per format, one line each below.

Detection lives here, in one place: every extractor scores the content and the
best score above :data:`DETECT_THRESHOLD` wins; when none does, the fallback
that guesses is used and says so.
"""

from __future__ import annotations

from kg.errors import UsageError
from kg.extractors import (
    arxiv_atom,
    arxiv_listing_html,
    arxiv_mailing,
    arxiv_oai,
    bibtex,
    crossref_json,
    csl_json,
    dblp_json,
    dblp_person,
    dblp_xml,
    dimensions_csv,
    hf_daily_json,
    hf_papers,
    html,
    ieee_csv,
    jstor_dfr,
    kg_jsonl,
    lab_page,
    lens_csv,
    listing_text,
    medline,
    openalex_json,
    openreview_json,
    orcid_json,
    orcid_xml,
    paperlist_json,
    profile_text,
    publications_html,
    pubmed_xml,
    records,
    ris,
    scholar_html,
    scopus_csv,
    semanticscholar_json,
    springer_csv,
    wos_text,
    zotero_rdf,
)
from kg.extractors.base import DETECT_THRESHOLD, Extraction, ExtractOptions, Extractor

__all__ = ["DETECT_THRESHOLD", "ExtractOptions", "Extraction", "Extractor", "detect_format", "formats", "get"]

# Text layouts are told apart by their first lines; a 100 MB input need not be scanned to guess.
DETECT_SAMPLE_CHARS = 1_000_000

_REGISTRY: dict[str, Extractor] = {}


def register(extractor: Extractor) -> None:
    """Add a format to the registry (names are unique)."""
    if extractor.name in _REGISTRY:
        raise ValueError(f"format {extractor.name!r} is registered twice")
    _REGISTRY[extractor.name] = extractor


register(profile_text.EXTRACTOR)
register(hf_papers.EXTRACTOR)
register(lab_page.EXTRACTOR)
register(kg_jsonl.EXTRACTOR)
register(bibtex.EXTRACTOR)
register(arxiv_atom.EXTRACTOR)
register(arxiv_oai.EXTRACTOR)
register(arxiv_listing_html.EXTRACTOR)
register(arxiv_mailing.EXTRACTOR)
register(dblp_xml.EXTRACTOR)
register(dblp_json.EXTRACTOR)
register(dblp_person.EXTRACTOR)
register(openreview_json.EXTRACTOR)
register(crossref_json.EXTRACTOR)
register(openalex_json.EXTRACTOR)
register(semanticscholar_json.EXTRACTOR)
register(paperlist_json.EXTRACTOR)
register(pubmed_xml.EXTRACTOR)
register(zotero_rdf.EXTRACTOR)
register(ris.EXTRACTOR)
register(wos_text.EXTRACTOR)
register(medline.EXTRACTOR)
register(csl_json.EXTRACTOR)
register(scopus_csv.EXTRACTOR)
register(ieee_csv.EXTRACTOR)
register(springer_csv.EXTRACTOR)
register(lens_csv.EXTRACTOR)
register(hf_daily_json.EXTRACTOR)
register(dimensions_csv.EXTRACTOR)
register(orcid_xml.EXTRACTOR)
register(orcid_json.EXTRACTOR)
register(jstor_dfr.EXTRACTOR)
register(scholar_html.EXTRACTOR)
register(publications_html.EXTRACTOR)
register(html.EXTRACTOR)
register(records.EXTRACTOR)
register(listing_text.EXTRACTOR)


def formats() -> list[Extractor]:
    """Every registered format, in registration order.

    Examples
    --------
    >>> "hf-papers" in [f.name for f in formats()]
    True
    """
    return list(_REGISTRY.values())


def get(name: str) -> Extractor:
    """The extractor registered as ``name``; :class:`kg.errors.UsageError` if there is none."""
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise UsageError(f"unknown format {name!r} (known: {known})") from None


def detect_format(text: str) -> tuple[Extractor, float] | None:
    """The format whose detector is most confident about ``text``.

    A confident format (score at least :data:`DETECT_THRESHOLD`) wins over any
    guessing fallback; a fallback is returned only when no confident format
    exists and its own score is above zero. None means nothing recognised it.
    """
    sample = text[:DETECT_SAMPLE_CHARS]
    scored = [(e.detect(text if e.whole_text_detect else sample), e) for e in _REGISTRY.values()]
    confident = [(s, e) for s, e in scored if not e.guesses and s >= DETECT_THRESHOLD]
    if confident:
        score, best = max(confident, key=lambda pair: pair[0])
        return best, score
    guesses = [(s, e) for s, e in scored if e.guesses and s > 0]
    if guesses:
        score, best = max(guesses, key=lambda pair: pair[0])
        return best, score
    return None


def explain_detection(text: str) -> tuple[list[tuple[str, float, bool]], str | None, str]:
    """Why :func:`detect_format` chooses what it does for ``text``.

    Returns every registered format's (name, score, guesses), highest score
    first; the name of the format chosen (None when none is); and the reason,
    in words.

    Examples
    --------
    >>> scores, chosen, why = explain_detection("@article{k, title={T}, year={2019}}")
    >>> scores[0][:2], chosen
    (('bibtex', 0.75), 'bibtex')
    >>> why
    'bibtex scored 0.75, at least the threshold 0.3 a confident format needs'
    >>> explain_detection("Just a sentence.")[1:]
    (None, 'no format scored 0.3 or more, and no fallback guessed')
    """
    sample = text[:DETECT_SAMPLE_CHARS]
    scores = [(e.name, e.detect(text if e.whole_text_detect else sample), e.guesses) for e in _REGISTRY.values()]
    scores.sort(key=lambda entry: -entry[1])  # stable: a tie keeps registration order, as detection does
    detected = detect_format(text)
    if detected is None:
        return scores, None, f"no format scored {DETECT_THRESHOLD} or more, and no fallback guessed"
    chosen, score = detected
    if chosen.guesses:
        why = f"no format scored {DETECT_THRESHOLD} or more; the fallback {chosen.name} guesses (score {score:.2f})"
    else:
        why = f"{chosen.name} scored {score:.2f}, at least the threshold {DETECT_THRESHOLD} a confident format needs"
    return scores, chosen.name, why
