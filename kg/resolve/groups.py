"""Groups printed among a paper's authors: a consortium, a study group, a team, "IEEE" as Web of Science prints it.

A source prints what it prints, and a record keeps it (``kg extract`` shows "Gemini Team" among the
authors). The graph says what is true: a group is no person, so before resolution its entry leaves the
author list and the paper is tied to the group as an org (``kg:affiliated``), like the orgs a source
gives for a paper as a whole. The words and names that make an entry a group are data
(``kg/data/collective_authors.json``).

Examples
--------
>>> from kg.records import AuthorRef
>>> record = Record(title="T", authors=(AuthorRef("Ann Lee"), AuthorRef("GIANT Consortium")))
>>> apart = groups_apart(record)
>>> [a.name for a in apart.authors], apart.orgs, apart.extra
(['Ann Lee'], ('GIANT Consortium',), {'collective_authors': ['GIANT Consortium']})
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache

from kg.records import COLLECTIVE_AUTHORS, AuthorRef, Record

_WORD_RE = re.compile(r"[^\W\d_]+")
# "Ann Lee on behalf of the X Consortium", "for the X Study Group": a person (or nobody) speaking for a group.
_ON_BEHALF_RE = re.compile(
    r"^(.*?)[\s,;]*\bon behalf of\s+(?:the\s+)?(.+)$|^()for\s+the\s+(.+)$", re.IGNORECASE | re.DOTALL
)
_SPEAKING_HINT_RE = re.compile(r"\bon behalf of\s|^for\s+the\s")  # a cheap look first, on the folded entry


@cache
def _lists() -> tuple[frozenset[str], frozenset[str], re.Pattern[str], int]:
    from kg.data import load_json

    data = load_json("collective_authors.json")
    words = frozenset(data["words"])
    # A first, cheap look for any of the words, before the entry is split into words.
    hint = re.compile("|".join(map(re.escape, sorted(words))))
    return words, frozenset(data["names"]), hint, max(map(len, data["names"]))


def collective_author(name: str) -> tuple[str, str] | None:
    """(the person printed before it, or "", the group) when an author entry names a group, not a person: a word
    such as "Consortium", "Study Group" or "Team" in it, a name such as "IEEE" alone, or an entry that speaks for
    a group ("for the ...", "... on behalf of ...", whatever the group's name); else None.

    Examples
    --------
    >>> collective_author("AAST AORTA Study Group"), collective_author("Ieee"), collective_author("Ann Lee")
    (('', 'AAST AORTA Study Group'), ('', 'Ieee'), None)
    >>> collective_author("Meena Kumari on behalf of the WHII 50K Group")
    ('Meena Kumari', 'WHII 50K Group')
    >>> collective_author("for the Alzheimer's Disease Neuroimaging Initiativ")  # cut short, as a real export has it
    ('', "Alzheimer's Disease Neuroimaging Initiativ")
    >>> collective_author("Fortheringham, Ann"), collective_author("Ann Behalf")
    (None, None)
    """
    words, names, hint, longest_name = _lists()
    folded = name.casefold()
    if len(folded) > longest_name and hint.search(folded) is None and _SPEAKING_HINT_RE.search(folded) is None:
        return None  # most names: no word of the lists inside, and longer than any of the names
    name = " ".join(name.split())
    match = _ON_BEHALF_RE.match(name)
    if match is not None:
        person, group = (match.group(1), match.group(2)) if match.group(2) else ("", match.group(4))
        if collective_author(person) is None:
            return person.strip(), group
    found = _WORD_RE.findall(folded)
    if words.isdisjoint(found) and " ".join(found) not in names:
        return None
    return "", name


def groups_apart(record: Record) -> Record:
    """``record`` as the graph reads it: the groups among its authors moved to its orgs (and named in its extra
    under ``collective_authors``); the record itself when it prints none.

    An author entry is a group when :func:`collective_author` says so, or when its reader listed it under
    ``collective_authors`` (a source that marks groups as such: PubMed's ``CollectiveName``, MEDLINE's ``CN``,
    Crossref's authors given by ``name`` alone), whatever words it holds.

    Examples
    --------
    >>> from kg.records import AuthorRef
    >>> marked = Record(title="T", authors=(AuthorRef("Ann Lee"), AuthorRef("ADNI")),
    ...                 extra={"collective_authors": ["ADNI"]})
    >>> apart = groups_apart(marked)
    >>> [a.name for a in apart.authors], apart.orgs
    (['Ann Lee'], ('ADNI',))
    """
    listed = record.extra.get(COLLECTIVE_AUTHORS) if record.extra else None
    marked: frozenset[str] = frozenset()
    if isinstance(listed, list):
        marked = frozenset(" ".join(name.split()) for name in listed if isinstance(name, str))
    people: list[AuthorRef] = []
    groups: list[str] = []
    for author in record.authors:
        collective = collective_author(author.name)
        if collective is None and marked and " ".join(author.name.split()) in marked:
            collective = ("", " ".join(author.name.split()))
        if collective is None:
            people.append(author)
            continue
        person, group = collective
        groups.append(group)
        if person:
            people.append(AuthorRef(person, author.affiliations, author.orcid))
    if not groups:
        if listed is None:
            return record
        # Listed by its reader, but none of its authors (any more): the graph names no group for it.
        return dataclasses.replace(record, extra={k: v for k, v in record.extra.items() if k != COLLECTIVE_AUTHORS})
    orgs = (*record.orgs, *(group for group in dict.fromkeys(groups) if group not in record.orgs))
    return dataclasses.replace(
        record,
        authors=tuple(people),
        orgs=orgs,
        extra={**record.extra, COLLECTIVE_AUTHORS: list(dict.fromkeys(groups))},
    )
