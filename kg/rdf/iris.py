"""IRIs: minted from content (normalised names, identifiers, hashes), never from counters.

The same inputs always give the same IRIs, under a base the user may choose.

Examples
--------
>>> mint = IriMinter("https://example.org/kg/")
>>> mint.author("Kelvin Xu"), mint.topic("Transformer")
('https://example.org/kg/author/kelvin-xu', 'https://example.org/kg/topic/transformer')
"""

from __future__ import annotations

import hashlib
import re

from kg.errors import UsageError
from kg.namespace import DEFAULT_BASE
from kg.records import SourceRef
from kg.resolve.keys import author_key, org_key
from kg.resolve.people import AuthorResolution
from kg.text import slug


def short_hash(text: str, length: int = 10) -> str:
    """A stable hexadecimal digest of ``text``."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def _readable_id(key: str) -> str:
    """The slug of ``key`` when it says the same as the key, else slug plus a hash."""
    readable = slug(key)
    if readable and readable.replace("-", " ") == " ".join(key.split()).replace("-", " "):
        return readable
    return f"{readable}-{short_hash(key, 8)}" if readable else short_hash(key, 12)


class IriMinter:
    """Mints the IRIs of one build under ``base``.

    Examples
    --------
    >>> IriMinter("https://example.org/kg/").author("Kelvin Xu")
    'https://example.org/kg/author/kelvin-xu'
    >>> IriMinter("not a base")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: base IRI 'not a base' must be an absolute http(s) IRI ending in '/' or '#'
    """

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        import pyoxigraph

        ok = re.match(r"^https?://[^\s<>\"{}|\\^`]+[/#]$", base or "")
        try:
            pyoxigraph.NamedNode(base)
        except ValueError:
            ok = None
        if not ok:
            raise UsageError(f"base IRI {base!r} must be an absolute http(s) IRI ending in '/' or '#'")
        self.base = base
        self.people: AuthorResolution | None = None
        self._person_iris: dict[int, str] = {}
        self._org_iris: dict[str, str] = {}
        self._topic_iris: dict[str, str] = {}
        self._source_iris: dict[tuple[str, str], str] = {}

    def use_people(self, people: AuthorResolution) -> None:
        """Mint author IRIs per resolved person; two people with one display name get distinct IRIs."""
        self.people = people
        by_iri: dict[str, list[int]] = {}
        for person, name in people.display.items():
            by_iri.setdefault(self.author(name), []).append(person)
        for iri, persons in by_iri.items():
            for person in persons:
                unique = len(persons) == 1
                self._person_iris[person] = iri if unique else f"{iri}-{short_hash(people.identity[person], 8)}"

    def person(self, person: int) -> str:
        return self._person_iris[person]

    def person_of(self, record: int, position: int) -> str:
        assert self.people is not None
        return self._person_iris[self.people.person(record, position)]

    def paper(self, identity: str, title: str | None) -> str:
        readable = slug(title, 48) if title else ""
        prefix = readable + "-" if readable else ""
        return f"{self.base}paper/{prefix}{short_hash(identity)}"

    def author(self, name: str) -> str:
        return f"{self.base}author/{_readable_id(author_key(name))}"

    def org(self, name: str) -> str:
        iri = self._org_iris.get(name)
        if iri is None:
            iri = self._org_iris[name] = f"{self.base}org/{_readable_id(org_key(name).replace('-', ' '))}"
        return iri

    def topic(self, key: str) -> str:
        iri = self._topic_iris.get(key)
        if iri is None:
            iri = self._topic_iris[key] = f"{self.base}topic/{_readable_id(key.lower())}"
        return iri

    def category(self, code: str) -> str:
        """A category of a classification scheme: its code is unique there, so its slug is enough."""
        return f"{self.base}topic/category-{slug(code) or short_hash(code)}"

    def subject(self, scheme: str, code: str | None, label: str | None = None) -> str:
        """A concept of a subject scheme (MeSH, MSC, ...): ``<scheme>-<code>``, else ``<scheme>-<label>``.

        A code is unique in its scheme, so its slug is enough; a heading without a code is
        named by its label, whatever its case.

        Examples
        --------
        >>> mint = IriMinter("https://example.org/")
        >>> mint.subject("mesh", "D000818", "Animals"), mint.subject("acm-ccs", "I.2.6")
        ('https://example.org/topic/mesh-d000818', 'https://example.org/topic/acm-ccs-i-2-6')
        >>> mint.subject("mesh", None, "Cell Line, Tumor") == mint.subject("mesh", None, "cell line,  tumor")
        True
        """
        prefix = slug(scheme) or short_hash(scheme)
        if code:
            return f"{self.base}topic/{prefix}-{slug(code) or short_hash(code, 12)}"
        return f"{self.base}topic/{prefix}-{_readable_id(' '.join((label or '').casefold().split()))}"

    def source(self, path: str, key: str = "") -> str:
        """A source: its file name, readable, and a digest of its key (else of its name as given)."""
        iri = self._source_iris.get((path, key))
        if iri is None:
            name = slug(path.replace("\\", "/").rsplit("/", 1)[-1], 40)
            iri = f"{self.base}source/{name + '-' if name else ''}{short_hash(key or path, 8)}"
            self._source_iris[path, key] = iri
        return iri

    def source_line(self, source: SourceRef) -> str:
        return f"{self.source(source.path, source.key)}/L{source.line}"
