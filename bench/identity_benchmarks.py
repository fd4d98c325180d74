"""Public labelled author name disambiguation sets, read as kg records.

    python bench/identity_benchmarks.py                 # counts and baselines for every set
    python bench/identity_benchmarks.py aminer-110      # one set (a name or a folder)

The raw files live outside the repository, in ``../bench-data/<set>/`` (or ``$KG_BENCH_DATA/<set>/``),
each folder with a ``SOURCE.md`` saying where it came from. :func:`load` turns a set into paper
records and labelled mentions: ``(record index, author position, person label)``. Only the
mentions of each set's ambiguous names are labelled; their co-authors are unlabelled context.
No person identifier from the data reaches the records.

Sets
----
``aminer-110``
    The Arnetminer name disambiguation set (Tang et al. 2012; Wang et al. 2011): one XML file per
    ambiguous full name ("Bin Li"), every paper of every person of that name, with co-authors in
    printed order, venue, year and, for some papers, the affiliation of the labelled author.
``citeseerx-kim``
    Han et al.'s 14 DBLP/CiteSeerX name blocks ("A. Gupta": every "A* Gupta") as re-labelled by
    Kim; lower-cased names, stemmed titles without stop words, no affiliations.
``aminer534k-sample``
    Six name blocks ("c chen") of the Aminer-534K set (Boukhers and Asundi), lower-cased, some
    with affiliations.

Scores
------
Two baselines are scored over the labelled mentions, within each ambiguous name block of a set:
"same full name" (kg's ``author_key`` of the printed name) and "surname + first initial" (kg's
name block). Pairwise precision and recall count pairs of labelled mentions of one block; B-cubed
precision and recall are averaged over labelled mentions, each judged against its own block.
"""

from __future__ import annotations

import html
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("KG_BENCH_DATA", HERE.parent.parent / "bench-data"))
SETS = ("aminer-110", "citeseerx-kim", "aminer534k-sample")
FORMAT = "benchmark"

Mention = tuple[int, int, str]

_TAGS = ("title", "year", "authors", "jconf", "id", "label", "organization", "keyword")
_TAG_RE = {tag: re.compile(rf"<{tag}>(.*?)</{tag}>", re.S) for tag in _TAGS}
_PUBLICATION_RE = re.compile(r"<publication>(.*?)</publication>", re.S)
_FULLNAME_RE = re.compile(r"<FullName>(.*?)</FullName>", re.S)
_YEAR_RE = re.compile(r"^\d{4}$")
_NO_VALUE = {"", "null", "none"}


@dataclass
class _Paper:
    """One paper while a set is read: its record fields and its labelled author positions."""

    title: str | None
    authors: list[str]
    affiliations: list[list[str]]
    year: str | None
    venue: str | None
    keywords: list[str]
    path: str
    line: int
    labels: defaultdict[int, set[str]]


def _text(value: str | None) -> str | None:
    """The field's text, entities decoded and whitespace collapsed; None when empty or "null"."""
    if value is None:
        return None
    text = " ".join(html.unescape(value).split())
    return None if text.casefold() in _NO_VALUE else text


def _tag(block: str, tag: str) -> str | None:
    match = _TAG_RE[tag].search(block)
    return _text(match.group(1)) if match else None


def _block(name: str) -> tuple[str, str]:
    """The name block (family name, first initial) of a printed name, as kg computes it."""
    from kg.resolve.people import parse_name

    return parse_name(name).block


def _tokens(name: str) -> list[str]:
    from kg.text import fold

    return sorted(re.findall(r"[^\W\d_]+", fold(name)))


def _locate(authors: list[str], target: str, exact: str | None) -> int | None:
    """The position of the labelled author among ``authors``, or None when it cannot be told.

    Parameters
    ----------
    authors : list of str
        The printed author names of the paper, in order.
    target : str
        A name of the block being labelled ("Bin Li", "a gupta"): candidates are the authors
        whose name block (family name + first initial) is this name's.
    exact : str or None
        The labelled person's printed name when the data gives it: a single author printed so
        (case and accents aside) is taken before the block is searched.

    Returns
    -------
    int or None
        The position, or None when no author or several fit.
    """
    from kg.text import fold

    if exact is not None:
        same = [i for i, a in enumerate(authors) if fold(a).strip() == fold(exact).strip()]
        if len(same) == 1:
            return same[0]
    block = _block(target)
    candidates = [i for i, a in enumerate(authors) if _block(a) == block]
    if not candidates:  # "Li Bin" printed for "Bin Li": the same words in another order
        candidates = [i for i, a in enumerate(authors) if _tokens(a) == _tokens(target)]
    return candidates[0] if len(candidates) == 1 else None


def _read_xml(folder: Path, label_prefix: str) -> tuple[list[_Paper], Counter]:
    """Papers of an Arnetminer-style XML set (``<person><FullName>…<publication>…``).

    Parameters
    ----------
    folder : Path
        The set's folder, one XML file per ambiguous name.
    label_prefix : str
        What person labels start with (the set's name).

    Returns
    -------
    tuple of (list of _Paper, Counter)
        The papers, each with its labelled positions, and counts of what was left out.
    """
    from kg.text import fold

    papers: dict[tuple, _Paper] = {}
    skipped: Counter = Counter()
    for path in sorted(folder.glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        full_name = _text(_FULLNAME_RE.search(text).group(1))
        block_name = path.stem
        # "Bin Li.xml" holds "Bin Li": an author printed so is the labelled one. "agupta.xml" holds
        # every "A* Gupta" and its FullName is one of them, no guide to which author is labelled.
        exact = full_name if fold(block_name.replace("_", " ")) == fold(full_name) else None
        seen: set[tuple] = set()
        for match in _PUBLICATION_RE.finditer(text):
            body = match.group(1)
            authors = [a for a in (_text(a) for a in (_tag(body, "authors") or "").split(",")) if a]
            title, label, paper_id = _tag(body, "title"), _tag(body, "label"), _tag(body, "id")
            entry = (paper_id, title, tuple(authors), label)
            if entry in seen:  # the same paper listed twice for the same person
                skipped["repeated entry"] += 1
                continue
            seen.add(entry)
            position = _locate(authors, full_name, exact)
            if position is None:
                skipped["labelled author not found among the authors"] += 1
                continue
            key = (paper_id, title, tuple(a.casefold() for a in authors))
            paper = papers.get(key)
            if paper is None:
                year = _tag(body, "year")
                keywords = [k.strip() for k in (_tag(body, "keyword") or "").split(";") if k.strip()]
                paper = papers[key] = _Paper(
                    title=title,
                    authors=authors,
                    affiliations=[[] for _ in authors],
                    year=year if year and _YEAR_RE.match(year) else None,
                    venue=_tag(body, "jconf"),
                    keywords=keywords,
                    path=str(path),
                    line=text.count("\n", 0, match.start()) + 1,
                    labels=defaultdict(set),
                )
            paper.labels[position].add(f"{label_prefix}/{block_name}/{label}")
            organization = _tag(body, "organization")
            if organization and organization not in paper.affiliations[position]:
                paper.affiliations[position].append(organization)
    return list(papers.values()), skipped


def _read_534k(folder: Path, label_prefix: str) -> tuple[list[_Paper], Counter]:
    """Papers of the Aminer-534K line format.

    Each line is ``person_paper|printed name<>co-author;co-author@affiliation;…<>title<>venue<>year``;
    the file is one name block ("c chen.txt", "h_xie.txt").
    """
    papers: dict[str, _Paper] = {}
    skipped: Counter = Counter()
    for path in sorted(folder.glob("*.txt")):
        block_name = path.stem.replace("_", " ")
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            head, _, rest = line.partition("|")
            person, _, paper_id = head.partition("_")
            fields = rest.split("<>")
            if len(fields) != 5:
                skipped["malformed line"] += 1
                continue
            printed, people, title, venue, year = fields
            authors, affiliations = [], []
            for entry in people.split(";"):
                name, _, affiliation = entry.partition("@")
                if _text(name):
                    authors.append(_text(name))
                    affiliations.append([_text(affiliation)] if _text(affiliation) else [])
            position = _locate(authors, block_name, _text(printed))
            if position is None:
                skipped["labelled author not found among the authors"] += 1
                continue
            paper = papers.get(paper_id)
            if paper is None:
                paper = papers[paper_id] = _Paper(
                    title=_text(title),
                    authors=authors,
                    affiliations=affiliations,
                    year=year.strip() if _YEAR_RE.match(year.strip()) else None,
                    venue=_text(venue),
                    keywords=[],
                    path=str(path),
                    line=line_number,
                    labels=defaultdict(set),
                )
            elif [a.casefold() for a in paper.authors] != [a.casefold() for a in authors]:
                skipped["paper listed with other authors"] += 1
                continue
            paper.labels[position].add(f"{label_prefix}/{block_name}/{person}")
    return list(papers.values()), skipped


def _records(papers: Iterable[_Paper]) -> tuple[list, list[Mention], Counter]:
    """kg records and labelled mentions of the papers (positions checked against the record)."""
    from kg.records import AuthorRef, Record, SourceRef

    records, mentions, skipped = [], [], Counter()
    for paper in papers:
        pairs = zip(paper.authors, paper.affiliations, strict=True)
        authors = tuple(AuthorRef(name, affiliations=tuple(affs)) for name, affs in pairs)
        orgs = tuple(dict.fromkeys(a for affs in paper.affiliations for a in affs))
        extra = {"keywords": paper.keywords} if paper.keywords else {}
        record = Record(
            title=paper.title,
            authors=authors,
            orgs=orgs,
            date=paper.year,
            venue=paper.venue,
            abstract=None,
            source=SourceRef(paper.path, paper.line, FORMAT),
            extra=extra,
        )
        kept = _kept_positions(authors, record.authors)
        for position, labels in sorted(paper.labels.items()):
            if len(labels) > 1:  # the data gives this author to several people: no truth to score
                skipped["author labelled as several people"] += 1
            elif kept.get(position) is None:
                skipped["labelled author dropped by the record"] += 1
            else:
                mentions.append((len(records), kept[position], next(iter(labels))))
        records.append(record)
    return records, mentions, skipped


def _kept_positions(before: tuple, after: tuple) -> dict[int, int]:
    """Where each author of ``before`` is in ``after`` (the record may drop "et al." and the like)."""
    if before == after:
        return {i: i for i in range(len(before))}
    out, j = {}, 0
    for i, author in enumerate(before):
        if j < len(after) and after[j].name.strip() == author.name.strip():
            out[i] = j
            j += 1
    return out


def _folder(name_or_path: str | os.PathLike) -> tuple[str, Path]:
    path = Path(name_or_path)
    if str(name_or_path) in SETS and not path.exists():
        path = DATA / str(name_or_path)
    if not path.is_dir():
        raise FileNotFoundError(f"no benchmark folder at {path} (sets: {', '.join(SETS)}; data root {DATA})")
    return path.name, path


def load_with_report(name_or_path: str | os.PathLike) -> tuple[list, list[Mention], Counter]:
    """Like :func:`load`, with counts of the labelled entries that could not be placed.

    Returns
    -------
    tuple of (list of Record, list of (int, int, str), Counter)
        The records, the labelled mentions, and what was left out and why.
    """
    name, folder = _folder(name_or_path)
    if any(folder.glob("*.xml")):
        papers, skipped = _read_xml(folder, name)
    elif any(folder.glob("*.txt")):
        papers, skipped = _read_534k(folder, name)
    else:
        raise FileNotFoundError(f"{folder} holds neither *.xml nor *.txt benchmark files")
    records, mentions, dropped = _records(papers)
    return records, mentions, skipped + dropped


def load(name_or_path: str | os.PathLike) -> tuple[list, list[Mention]]:
    """Read one labelled set as kg records and labelled author mentions.

    Parameters
    ----------
    name_or_path : str or path-like
        A set's name (``"aminer-110"``, ``"citeseerx-kim"``, ``"aminer534k-sample"``: read from
        ``DATA``) or the path of a folder in one of their formats.

    Returns
    -------
    records : list of kg.records.Record
        One per paper: title, authors in printed order (with the labelled author's affiliation
        where the set gives one), year as date, venue, keywords in ``extra["keywords"]`` if any;
        source is the data file, the paper's line in it, format ``"benchmark"``.
    mentions : list of (int, int, str)
        ``(record index, author position, person label)`` for each labelled mention; labels are
        ``"<set>/<block>/<person>"`` and only compare within one set.

    Examples
    --------
    >>> records, mentions = load("aminer534k-sample")  # doctest: +SKIP
    >>> r, position, label = mentions[0]  # doctest: +SKIP
    >>> records[r].authors[position].name  # doctest: +SKIP
    'antonio campillo'
    """
    records, mentions, _ = load_with_report(name_or_path)
    return records, mentions


def block_of(label: str) -> str:
    """The ambiguous name block a person label belongs to ("aminer-110/Bin Li/3" -> "Bin Li")."""
    return label.split("/")[-2]


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _prf(p_num: float, p_den: float, r_num: float, r_den: float) -> tuple[float, float, float]:
    p = p_num / p_den if p_den else 1.0
    r = r_num / r_den if r_den else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(mentions: list[Mention], predicted: dict[tuple[int, int], object]) -> dict[str, tuple[float, float, float]]:
    """Pairwise and B-cubed precision, recall and F1 of a clustering, within each name block.

    Parameters
    ----------
    mentions : list of (int, int, str)
        The labelled mentions, as :func:`load` returns them.
    predicted : dict
        The predicted cluster of each ``(record index, author position)``; two mentions are
        predicted one person when their values are equal and they share a block.

    Returns
    -------
    dict
        ``{"pairwise": (p, r, f1), "bcubed": (p, r, f1)}``, pairs summed over blocks and
        B-cubed averaged over mentions.
    """
    cell, by_cluster, by_label = Counter(), Counter(), Counter()
    for record, position, label in mentions:
        cluster = (block_of(label), predicted[(record, position)])
        cell[(cluster, label)] += 1
        by_cluster[cluster] += 1
        by_label[label] += 1
    tp = sum(_pairs(n) for n in cell.values())
    b_p = sum(n * n / by_cluster[c] for (c, _), n in cell.items())
    b_r = sum(n * n / by_label[label] for (_, label), n in cell.items())
    predicted_pairs = sum(_pairs(n) for n in by_cluster.values())
    true_pairs = sum(_pairs(n) for n in by_label.values())
    total = len(mentions)
    return {
        "pairwise": _prf(tp, predicted_pairs, tp, true_pairs),
        "bcubed": _prf(b_p, total, b_r, total),
    }


def baselines(records: list, mentions: list[Mention]) -> dict[str, dict[tuple[int, int], object]]:
    """The two name-only clusterings: "same full name" and "surname + first initial"."""
    from kg.resolve.keys import author_key

    methods: dict[str, Callable[[str], object]] = {"same full name": author_key, "surname + first initial": _block}
    return {
        method: {(r, p): key(records[r].authors[p].name) for r, p, _ in mentions} for method, key in methods.items()
    }


def summary(name_or_path: str | os.PathLike) -> dict:
    """Counts and baseline scores of one set (what ``__main__`` prints)."""
    records, mentions, skipped = load_with_report(name_or_path)
    people_per_block: defaultdict[str, set] = defaultdict(set)
    printed_per_person: defaultdict[str, set] = defaultdict(set)
    for r, p, label in mentions:
        people_per_block[block_of(label)].add(label)
        printed_per_person[label].add(records[r].authors[p].name.casefold())
    return {
        "names": len(people_per_block),
        "ambiguous names": sum(len(v) > 1 for v in people_per_block.values()),
        "people": len(printed_per_person),
        "people printed several ways": sum(len(v) > 1 for v in printed_per_person.values()),
        "labelled mentions": len(mentions),
        "records": len(records),
        "with affiliations": sum(any(a.affiliations for a in rec.authors) for rec in records),
        "left out": dict(skipped),
        "scores": {m: score(mentions, pred) for m, pred in baselines(records, mentions).items()},
    }


def main(argv: list[str] | None = None) -> dict[str, dict]:
    """Print counts and baselines for the named sets (all of them by default)."""
    names = (argv if argv is not None else sys.argv[1:]) or list(SETS)
    results = {}
    for name in names:
        s = results[name] = summary(name)
        print(f"== {name}")
        for key in ("names", "ambiguous names", "people", "people printed several ways", "labelled mentions"):
            print(f"  {key}: {s[key]}")
        print(f"  records: {s['records']} ({s['with affiliations']} with an affiliation)")
        if s["left out"]:
            print(f"  left out: {s['left out']}")
        print(f"  {'method':<26}{'pair P':>8}{'pair R':>8}{'pair F1':>8}{'B3 P':>8}{'B3 R':>8}{'B3 F1':>8}")
        for method, sc in s["scores"].items():
            values = "".join(f"{v:>8.3f}" for v in (*sc["pairwise"], *sc["bcubed"]))
            print(f"  {method:<26}{values}")
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
