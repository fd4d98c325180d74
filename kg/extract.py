"""Extraction as a library: text, files or whole folders in, records out.

Examples
--------
>>> text = "LGFeb 10, 2015\\nShow, Attend and TellKelvin Xu, Jimmy Ba et al.\\nAn abstract."
>>> result = extract_text(text, source="profile.txt")
>>> result.format, result.records[0].title, [a.name for a in result.records[0].authors]
('profile-text', 'Show, Attend and Tell', ['Kelvin Xu', 'Jimmy Ba'])
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import sys
from collections.abc import Iterable, Iterator

from kg import extractors
from kg.errors import InputError, KgError, UnknownFormatError
from kg.extractors.base import HOLDS_NO_PAPERS, Extraction, ExtractOptions
from kg.extractors.common.markup import decode_markup
from kg.extractors.common.owner import with_page_owner
from kg.io.inputs import STDIN, STDIN_NAME, decode_bytes, iter_input_paths, read_text, source_key
from kg.records import Record
from kg.text import repair_text

_NO_FORMAT = "in no known format (see {option})"


def extract_text(
    text: str,
    *,
    source: str = "<text>",
    format: str | None = None,
    as_of: datetime.date | None = None,
    orgs: Iterable[str] = (),
    today: datetime.date | None = None,
    mapping: Iterable[tuple[str, str]] = (),
    owner: str | None = None,
) -> Extraction:
    """Extract the papers in ``text``.

    Parameters
    ----------
    text : str
        The content of one input.
    source : str
        The input's name, kept in every record's ``source.path``.
    format : str, optional
        A registered format name; detected from the content when None.
    as_of : datetime.date, optional
        When the page was saved: dates printed without a year take its year.
    orgs : iterable of str
        Organisations the whole input belongs to (whose page it is); added to
        every record's ``orgs``.
    today : datetime.date, optional
        Latest date an inferred date may take; defaults to today.
    mapping : iterable of (field, key)
        For generic tables, the keys holding record fields (see ``--map``).
    owner : str, optional
        The person whose page the input is: an author of every paper on it, whether the page
        prints them or not (``extra["page_owner"]``). Profile pages find it themselves.

    Returns
    -------
    Extraction
        The records, the format used and notes for the user.

    Raises
    ------
    kg.errors.UnknownFormatError
        No format recognises the text, or the chosen one finds no paper in it.
    """
    options = ExtractOptions(as_of=as_of, today=today or datetime.date.today(), mapping=tuple(mapping))
    if format is not None:
        extractor = extractors.get(format)
    else:
        detected = extractors.detect_format(text)
        if detected is None:
            raise UnknownFormatError(source, _NO_FORMAT, option="list_formats")
        extractor = detected[0]
    try:
        records, notes = extractor.extract(text, source, options)
    except InputError:
        raise
    except (KgError, ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as error:
        # A reader tripped over content it did not expect: this input fails, with the reason, never a traceback.
        raise InputError(source, f"could not be read as {extractor.name} ({type(error).__name__}: {error})") from None
    if not records:
        if extractor.guesses:
            raise UnknownFormatError(source, _NO_FORMAT, option="list_formats")
        if not any(HOLDS_NO_PAPERS in note for note in notes):
            # Only an input whose reader says it legitimately holds no paper (an OpenAlex author
            # record) may give none; otherwise finding nothing is a failure, and the notes say why.
            detail = f": {notes[-1]}" if notes else ""
            raise UnknownFormatError(source, f"no paper found when read as {extractor.name}{detail}")
    records, impossible = _without_impossible_dates(records)
    if impossible:
        shown = ", ".join(f"{date!r} (line {line})" for date, line in impossible[:3])
        more = f" and {len(impossible) - 3} more" if len(impossible) > 3 else ""
        notes = [*notes, f"dropped {len(impossible)} impossible date(s): {shown}{more}"]
    records, repaired = _repair_mojibake(records)
    records = [_without_markup(record) for record in records]
    if repaired:
        notes = [*notes, f"repaired mojibake (UTF-8 read as another encoding) in {repaired} field(s)"]
    if owner and owner.strip():
        records = with_page_owner(records, " ".join(owner.split()))
        notes = [*(n for n in notes if not n.startswith("page owner: ")), f"page owner: {owner.strip()} (given)"]
    extra_orgs = tuple(dict.fromkeys(o.strip() for o in orgs if o.strip()))
    if extra_orgs:
        records = [_with_orgs(record, extra_orgs) for record in records]
    return Extraction(source=source, format=extractor.name, records=tuple(records), notes=tuple(notes))


def _without_impossible_dates(records: list[Record]) -> tuple[list[Record], list[tuple[str, int]]]:
    """``records`` with dates no calendar has ("2020-13-45", "2021-02-30") dropped, and those dates.

    Examples
    --------
    >>> records = [Record(title="A", date="2020-13-45"), Record(title="B", date="2020-02")]
    >>> kept, dropped = _without_impossible_dates(records)
    >>> [r.date for r in kept], dropped
    ([None, '2020-02'], [('2020-13-45', 0)])
    """
    out, dropped = [], []
    for record in records:
        date = record.date
        if date and not _possible(date):
            dropped.append((date, record.source.line if record.source else 0))
            record = dataclasses.replace(record, date=None, date_inferred=False)
        out.append(record)
    return out, dropped


def _possible(date: str) -> bool:
    """Whether a YYYY, YYYY-MM or YYYY-MM-DD date exists on the calendar."""
    try:
        if len(date) == 10:
            datetime.date.fromisoformat(date)
        elif len(date) == 7:
            datetime.date(int(date[:4]), int(date[5:7]), 1)
        return int(date[:4]) > 0
    except ValueError:
        return False


def _without_markup(record: Record) -> Record:
    r"""``record`` with HTML, MathML and entities decoded in its title, abstract and venue, and LaTeX in its title.

    An abstract's LaTeX is kept as the source wrote it: formulas in running text read best as TeX,
    and the title is what papers are shown and matched by.

    Examples
    --------
    >>> _without_markup(Record(title="CO<sub>2</sub> capture &amp; $\\ell_1$ fits")).title
    'CO₂ capture & ℓ₁ fits'
    """
    changes = {}
    for name in ("title", "abstract", "venue"):
        value = getattr(record, name)
        if value:
            decoded = decode_markup(value, latex=name != "abstract")
            if decoded != value:
                changes[name] = decoded
    return dataclasses.replace(record, **changes) if changes else record


def _repair_mojibake(records: list[Record]) -> tuple[list[Record], int]:
    """Records with mojibake undone in titles, abstracts, venues, keywords and author names; and how many fields.

    Examples
    --------
    >>> from kg.records import AuthorRef
    >>> fixed, count = _repair_mojibake([Record(title="Caf\u00c3\u00a9", authors=(AuthorRef("Ram\u00c3\u00adrez"),))])
    >>> fixed[0].title, fixed[0].authors[0].name, count
    ('Café', 'Ramírez', 2)
    """
    out, total = [], 0
    for record in records:
        changes: dict[str, object] = {}
        for name in ("title", "abstract", "venue"):
            value = getattr(record, name)
            if value and not value.isascii():
                fixed, changed = repair_text(value)
                if changed:
                    changes[name] = fixed
        authors, authors_changed = [], 0
        for author in record.authors:
            parts = (author.name, author.given, author.family, *author.affiliations)
            if all(part is None or part.isascii() for part in parts):
                authors.append(author)
                continue
            fixed_parts = [repair_text(part) if part else (part, False) for part in parts]
            authors_changed += sum(changed for _, changed in fixed_parts)
            name, given, family, *affiliations = (text for text, _ in fixed_parts)
            authors.append(dataclasses.replace(author, name=name, given=given, family=family,
                                               affiliations=tuple(affiliations)))  # fmt: skip
        if authors_changed:
            changes["authors"] = tuple(authors)
        keywords = record.extra.get("keywords")
        keywords_changed = 0
        if isinstance(keywords, list) and any(isinstance(k, str) and not k.isascii() for k in keywords):
            fixed_keywords = [repair_text(k) if isinstance(k, str) else (k, False) for k in keywords]
            keywords_changed = sum(changed for _, changed in fixed_keywords)
            if keywords_changed:
                changes["extra"] = {**record.extra, "keywords": [k for k, _ in fixed_keywords]}
        total += len({k for k in changes if k not in ("authors", "extra")}) + authors_changed + keywords_changed
        out.append(dataclasses.replace(record, **changes) if changes else record)  # type: ignore[arg-type]
    return out, total


def _with_orgs(record: Record, orgs: tuple[str, ...]) -> Record:
    merged = tuple(dict.fromkeys(record.orgs + orgs))
    return dataclasses.replace(record, orgs=merged)


def extract_file(path: str | os.PathLike[str], **options: object) -> Extraction:
    """Read one file and extract it with :func:`extract_text` (same keyword options).

    Raises
    ------
    kg.errors.InputError
        The file is missing, empty, binary, undecodable or in no known format.
    """
    decoded = read_text(path)
    result = extract_text(decoded.text, source=str(path), **options)  # type: ignore[arg-type]
    notes = result.notes
    if decoded.fallback:
        notes = (f"not UTF-8; decoded as {decoded.encoding}", *notes)
    if decoded.dropped:
        notes = (f"ends inside a UTF-8 character (cut short?): its last {decoded.dropped} byte(s) left out", *notes)
    key = source_key(path)
    records = tuple(
        dataclasses.replace(record, source=dataclasses.replace(record.source, key=key))
        if record.source and record.source.path == str(path) and not record.source.key
        else record
        for record in result.records
    )
    return dataclasses.replace(result, records=records, notes=notes, encoding=decoded.encoding)


def extract_bytes(data: bytes, source: str, **options: object) -> Extraction:
    """Like :func:`extract_file` for bytes already in memory (stdin, a download)."""
    decoded = decode_bytes(data, source)
    result = extract_text(decoded.text, source=source, **options)  # type: ignore[arg-type]
    return dataclasses.replace(result, encoding=decoded.encoding)


def extract_paths(
    names: Iterable[str], *, allow_private: bool = False, follow_links: bool = False, **options: object
) -> Iterator[Extraction | InputError]:
    """Extract every file or URL the user named, walking directories.

    Yields one :class:`Extraction` per readable input and one
    :class:`kg.errors.InputError` per input that failed, so a bad file never
    stops the others. ``-`` is standard input (named ``<stdin>``). URLs are
    fetched (:func:`kg.io.http.fetch`); private and loopback hosts only with
    ``allow_private``. Links out of a walked folder are followed only with
    ``follow_links``.
    """
    from kg.io.http import fetch, is_url

    names = list(names)
    for name in [n for n in names if is_url(n) or n == STDIN]:
        try:
            if name == STDIN:
                yield extract_bytes(sys.stdin.buffer.read(), STDIN_NAME, **options)
            else:
                yield extract_bytes(fetch(name, allow_private=allow_private), name, **options)
        except InputError as error:
            yield error
    items = list(iter_input_paths([n for n in names if not is_url(n) and n != STDIN], follow_links=follow_links))
    files = [item for item in items if not isinstance(item, InputError)]
    workers = min(os.cpu_count() or 1, 4, len(files))
    if workers > 1 and sum(_size(path) for path in files) >= PARALLEL_MIN_BYTES:
        yield from _extract_in_parallel(items, workers, options)
        return
    for item in items:
        yield item if isinstance(item, InputError) else _extract_one(item, options)


PARALLEL_MIN_BYTES = 4 * 1024 * 1024


def _size(path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _extract_one(path, options: dict) -> Extraction | InputError:
    try:
        return extract_file(path, **options)
    except InputError as error:
        return error
    except (KgError, ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as error:
        # A reader tripped over content it did not expect: report this input, go on with the others.
        return InputError(str(path), f"could not be read ({type(error).__name__}: {error})")


def _extract_in_parallel(items: list, workers: int, options: dict) -> Iterator[Extraction | InputError]:
    """Files read by a pool of processes, yielded in the order named: the same results as one by one."""
    import functools

    from kg.io.workers import worker_pool

    files = [item for item in items if not isinstance(item, InputError)]
    read = functools.partial(_extract_one, options=options)
    pool = worker_pool(workers)
    try:
        results = pool.map(read, files)
        for item in items:
            yield item if isinstance(item, InputError) else next(results)
    finally:  # stopped early (interrupted, a strict build's first failure): the files not yet read are dropped
        pool.shutdown(cancel_futures=True)


def extract(names: str | Iterable[str], **options: object) -> list[Record]:
    """Records of every paper in the named files or folders; the first bad input raises.

    Examples
    --------
    >>> extract("no/such/page.txt")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: no/such/page.txt: no such file or directory
    """
    if isinstance(names, (str, os.PathLike)):
        names = [str(names)]
    records: list[Record] = []
    for item in extract_paths(names, **options):
        if isinstance(item, InputError):
            raise item
        records.extend(item.records)
    return records
