"""Author identity: how well kg's author resolution tells people apart, labelled from identifiers.

    python bench/author_identity.py            # print the tables
    python bench/author_identity.py --write    # and update its section in bench/README.md

Every export in ../shared/data is read; where a source names the person behind an author mention
(an ORCID, a Semantic Scholar, Scopus or Google Scholar author id, a dblp homonym number) that id is
the mention's label. The ids are then hidden (ORCIDs dropped, id extras removed, dblp numbers cut
from names) and the whole corpus is resolved by ``kg.resolve.resolve``, beside two baselines:
"same full name" (``author_key``) and "surname + first initial" (the name block). Scores are
pairwise and B-cubed precision, recall and F1 over the labelled mentions, within one kind of label
(an ORCID and an S2 id are never compared), in name blocks holding at least two of them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import platform
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data"
ID_EXTRAS = ("s2_author_ids", "scopus_author_ids", "scholar_author_ids")
_DBLP_NUMBER = re.compile(r"\s+(\d{4})$")
METHODS = ("kg resolve", "same full name", "surname + first initial")


@dataclasses.dataclass(frozen=True)
class Mention:
    record: int  # index among the paper records handed to resolve
    position: int
    label: str  # "kind:id"
    folder: str
    name: str  # the name as resolution sees it (ids hidden)

    @property
    def kind(self) -> str:
        return self.label.split(":", 1)[0]


def read(data: Path = DATA) -> tuple[list, list[str]]:
    """Every paper record of every export folder, with the folder each came from."""
    from kg.errors import InputError
    from kg.extract import extract_paths
    from kg.resolve.papers import is_paper

    records, folders = [], []
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        for extraction in extract_paths([str(folder)]):
            if isinstance(extraction, InputError):
                continue
            for record in extraction.records:
                if is_paper(record):
                    records.append(record)
                    folders.append(folder.name)
    return records, folders


def _aligned(record, key: str) -> list:
    values = record.extra.get(key)
    return values if isinstance(values, list) and len(values) == len(record.authors) else []


def label_and_hide(records: list, folders: list[str]) -> tuple[list, list[Mention]]:
    """The labelled mentions, and copies of the records with every person identifier hidden."""
    numbered = {  # dblp names that dblp disambiguated: some mention carries a homonym number
        _DBLP_NUMBER.sub("", a.name)
        for record in records
        if record.source and record.source.format == "dblp-xml"
        for a in record.authors
        if _DBLP_NUMBER.search(a.name)
    }
    hidden, mentions = [], []
    for index, (record, folder) in enumerate(zip(records, folders, strict=True)):
        s2, scopus = _aligned(record, "s2_author_ids"), _aligned(record, "scopus_author_ids")
        scholar = record.extra.get("scholar_author_ids")
        scholar = scholar if isinstance(scholar, dict) else {}
        dblp = bool(record.source and record.source.format == "dblp-xml")
        authors = []
        for position, author in enumerate(record.authors):
            name = _DBLP_NUMBER.sub("", author.name) if dblp else author.name
            label = None
            if author.orcid:
                label = f"orcid:{author.orcid.rsplit('/', 1)[-1].upper()}"
            elif s2 and s2[position]:
                label = f"s2:{s2[position]}"
            elif scopus and scopus[position]:
                label = f"scopus:{scopus[position]}"
            elif scholar.get(author.name):
                label = f"scholar:{scholar[author.name]}"
            elif dblp and name in numbered:
                label = f"dblp:{author.name}"  # "Name 0002", or the unnumbered profile "Name"
            if label:
                mentions.append(Mention(index, position, label, folder, name))
            authors.append(dataclasses.replace(author, name=name, orcid=None))
        extra = {k: v for k, v in record.extra.items() if k not in ID_EXTRAS}
        hidden.append(dataclasses.replace(record, authors=tuple(authors), extra=extra))
    return hidden, mentions


def keep_blocks(mentions: list[Mention]) -> list[Mention]:
    """Mentions in name blocks (per kind of label) that hold at least two labelled mentions."""
    from kg.resolve.people import parse_name

    size = Counter((m.kind, parse_name(m.name).block) for m in mentions)
    return [m for m in mentions if size[(m.kind, parse_name(m.name).block)] >= 2]


def predict(hidden: list, mentions: list[Mention]) -> tuple[dict[str, dict], float]:
    """Each method's cluster for every labelled mention."""
    from kg.resolve import resolve
    from kg.resolve.keys import author_key
    from kg.resolve.people import parse_name

    start = time.perf_counter()
    resolution = resolve(hidden)
    seconds = time.perf_counter() - start
    if len(resolution.records) != len(hidden):
        raise SystemExit("resolve dropped records: indexes would not line up")
    person_of = resolution.people.person_of
    where = [(m.record, m.position) for m in mentions]
    return {
        "kg resolve": {w: person_of[w] for w in where},
        "same full name": {w: author_key(m.name) for w, m in zip(where, mentions, strict=True)},
        "surname + first initial": {w: parse_name(m.name).block for w, m in zip(where, mentions, strict=True)},
    }, seconds


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _prf(p_num, p_den, r_num, r_den) -> tuple[float, float, float]:
    p = p_num / p_den if p_den else 1.0
    r = r_num / r_den if r_den else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(mentions: list[Mention], cluster: dict) -> dict:
    """Pairwise and B-cubed scores from cluster x label counts, within each kind of label."""
    from kg.resolve.people import parse_name

    cell, by_cluster, by_label = Counter(), Counter(), Counter()
    labels_in_block: defaultdict[tuple, set] = defaultdict(set)
    for m in mentions:
        c = (m.kind, cluster[(m.record, m.position)])
        cell[(c, m.label)] += 1
        by_cluster[c] += 1
        by_label[m.label] += 1
        labels_in_block[(m.kind, parse_name(m.name).block)].add(m.label)
    tp = sum(_pairs(n) for n in cell.values())
    predicted = sum(_pairs(n) for n in by_cluster.values())
    true = sum(_pairs(n) for n in by_label.values())
    b_p = sum(n * n / by_cluster[c] for (c, _), n in cell.items())
    b_r = sum(n * n / by_label[label] for (_, label), n in cell.items())
    total = len(mentions)
    return {
        "mentions": total,
        "people": len(by_label),
        "blocks": len(labels_in_block),
        "ambiguous": sum(len(v) > 1 for v in labels_in_block.values()),
        "true pairs": true,
        "pairwise": _prf(tp, predicted, tp, true),
        "bcubed": _prf(b_p, total, b_r, total) if total else (1.0, 1.0, 1.0),
    }


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(str(v) for v in row) + " |" for row in rows])


def _row(name: str, method: str, s: dict) -> list:
    f = [f"{v:.3f}" for v in (*s["pairwise"], *s["bcubed"])]
    return [name, method, s["mentions"], s["people"], s["blocks"], s["ambiguous"], s["true pairs"], *f]


HEADERS = ["mentions of", "method", "mentions", "people", "blocks", "ambiguous blocks", "same-person pairs",
           "pair P", "pair R", "pair F1", "B3 P", "B3 R", "B3 F1"]  # fmt: skip


def measure(data: Path = DATA) -> dict:
    start = time.perf_counter()
    records, folders = read(data)
    hidden, mentions = label_and_hide(records, folders)
    all_labelled = Counter(m.folder for m in mentions)
    kept = keep_blocks(mentions)
    predicted, resolve_seconds = predict(hidden, kept)
    groups = {"all labelled": kept}
    for kind in sorted({m.kind for m in kept}):
        groups[f"{kind} labels"] = [m for m in kept if m.kind == kind]
    for folder in sorted({m.folder for m in kept}):
        groups[folder] = [m for m in kept if m.folder == folder]
    scores = {g: {method: score(ms, predicted[method]) for method in METHODS} for g, ms in groups.items()}
    return {
        "records": len(records),
        "authors": sum(len(r.authors) for r in records),
        "labelled": all_labelled,
        "kept": Counter(m.folder for m in kept),
        "kinds": Counter(m.kind for m in kept),
        "scores": scores,
        "resolve seconds": resolve_seconds,
        "seconds": time.perf_counter() - start,
    }


def measure_benchmarks() -> dict[str, dict]:
    """kg and the two baselines on each public labelled set found (bench/identity_benchmarks.py)."""
    import identity_benchmarks as sets

    from kg.resolve.papers import resolve_papers
    from kg.resolve.people import resolve_authors

    out = {}
    for name in sets.SETS:
        if not (sets.DATA / name).is_dir():
            continue
        records, mentions = sets.load(name)
        start = time.perf_counter()
        papers, _ = resolve_papers(records)
        people = resolve_authors(records, None, [p.records for p in papers])
        seconds = time.perf_counter() - start
        predicted = {"kg resolve": {(r, p): people.person_of[(r, p)] for r, p, _ in mentions}}
        predicted.update(sets.baselines(records, mentions))
        out[name] = {
            "records": len(records),
            "mentions": len(mentions),
            "names": len({sets.block_of(label) for _, _, label in mentions}),
            "people": len({label for _, _, label in mentions}),
            "seconds": seconds,
            "scores": {method: sets.score(mentions, clusters) for method, clusters in predicted.items()},
        }
    return out


def measure_hyperauthor(authors: int = 50_000) -> float:
    """Seconds ``kg build`` takes for one paper with ``authors`` authors (JSON Lines in, Turtle out)."""
    import json
    import random
    import tempfile

    from kg.pipeline import BuildOptions, Target, build

    rng = random.Random(1)
    given = [
        f"{a}{b}"
        for a in ("An", "Bo", "Ca", "Da", "El", "Fa", "Gi", "Ha", "Io", "Ja")
        for b in ("n", "ra", "lo", "mi", "sa")
    ]
    families = [
        f"{a}{b}"
        for a in ("Lee", "Kim", "Park", "Wang", "Li", "Smith", "Novak", "Rossi")
        for b in ("", "son", "berg", "ez")
    ]
    names = [f"{rng.choice(given)} {rng.choice(families)}" for _ in range(authors)]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "collaboration.jsonl"
        source.write_text(json.dumps({"title": "A very large collaboration", "authors": names}) + "\n")
        start = time.perf_counter()
        build([str(source)], BuildOptions(topics="none"), Target(output=str(Path(folder) / "g.ttl")))
        return time.perf_counter() - start


def render_benchmarks(results: dict[str, dict], hyperauthor: float | None) -> str:
    rows = []
    for name, result in results.items():
        scores = result["scores"]
        best_pair = max(scores[m]["pairwise"][2] for m in scores if m != "kg resolve")
        best_b3 = max(scores[m]["bcubed"][2] for m in scores if m != "kg resolve")
        for method, s in scores.items():
            margin = ""
            if method == "kg resolve":
                margin = f"{s['pairwise'][2] - best_pair:+.3f} / {s['bcubed'][2] - best_b3:+.3f}"
            values = [f"{v:.3f}" for v in (*s["pairwise"], *s["bcubed"])]
            rows.append([name, method, *values, margin])
    lines = [
        "Public labelled sets (`bench/identity_benchmarks.py`; names, people, mentions and the time kg's"
        " resolution took):",
        "",
        _table(
            ["set", "names", "people", "labelled mentions", "records", "resolve s"],
            [
                [n, r["names"], r["people"], r["mentions"], r["records"], f"{r['seconds']:.1f}"]
                for n, r in results.items()
            ],
        ),
        "",
        _table(
            [
                "set",
                "method",
                "pair P",
                "pair R",
                "pair F1",
                "B3 P",
                "B3 R",
                "B3 F1",
                "kg over the better baseline (pair F1 / B3 F1)",
            ],
            rows,
        ),
    ]
    if hyperauthor is not None:
        lines += [
            "",
            f"One paper with 50,000 authors: `kg build` (JSON Lines in, Turtle out) took {hyperauthor:.1f} s.",
        ]
    return "\n".join(lines)


def render(result: dict) -> str:
    folders = set(result["labelled"])
    scores = result["scores"]
    rows = [_row(g, method, s) for g, by in scores.items() if g not in folders for method, s in by.items()]
    per_folder = []
    for folder, labelled in sorted(result["labelled"].items()):
        by = scores.get(folder)
        if not by:
            per_folder.append([folder, labelled, 0, "", ""] + [""] * 2 * len(METHODS))
            continue
        s = by[METHODS[0]]
        f1s = [f"{by[m]['pairwise'][2]:.3f} / {by[m]['bcubed'][2]:.3f}" for m in METHODS]
        per_folder.append([folder, labelled, s["mentions"], s["people"], s["ambiguous"], *f1s])
    sources = _table(
        ["folder", "labelled mentions", "kept (blocks of 2+)", "people", "ambiguous blocks"]
        + [f"{m}: pair F1 / B3 F1" for m in METHODS],
        [row[: 5 + len(METHODS)] for row in per_folder],
    )
    return "\n".join(
        [
            f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, Python "
            f"{platform.python_version()}, {__import__('os').cpu_count()} cores: `python bench/author_identity.py "
            f"--write` ({result['records']:,} paper records, {result['authors']:,} author mentions from every "
            f"folder of ../shared/data resolved together; resolve {result['resolve seconds']:.1f} s, "
            f"all {result['seconds']:.1f} s).",
            "",
            _table(HEADERS, rows),
            "",
            "Per source folder (pairs and B-cubed within the folder's own labelled mentions):",
            "",
            sources,
        ]
    )


SECTION = """## Author identity (labelled from identifiers)

`bench/author_identity.py` (also `python bench/run.py --identity`) measures how well kg's author
resolution tells people apart, with no hand labels: where an export names the person behind an
author mention, that identifier is the label, and resolution runs with every identifier hidden.

- **Labels**: an ORCID (`AuthorRef.orcid`: RIS, Web of Science, MEDLINE, PubMed, CSL-JSON, OpenAlex,
  Crossref, ...); else a Semantic Scholar author id (`s2_author_ids`), a Scopus author id
  (`scopus_author_ids`) or a Google Scholar profile id (`scholar_author_ids`); else, for dblp names
  that dblp disambiguated (some mention carries a homonym number, "Jun Wang 0006"), the dblp name
  with its number ("Name" alone is then dblp's unnumbered profile of that name). One label a mention,
  the first of these.
- **Hidden**: ORCIDs set to none, the id extras removed, dblp numbers cut from names. Resolution sees
  names, co-authors, affiliations, venues, years and topics of all the exports at once (labelled and
  not), as `kg build` would.
- **Scored**: labelled mentions in name blocks (family name + first initial, per kind of label) that
  hold at least two of them; "ambiguous blocks" hold two or more labels, where names alone cannot
  be enough. Pairwise precision/recall/F1 counts same-cluster pairs against same-label pairs;
  B-cubed averages, per mention, the share of its cluster with its label (precision) and of its
  label in its cluster (recall). Pairs of two kinds of label (an ORCID and an S2 id) are not
  counted: the same person can carry both.
- **Caveats**: ORCIDs are given for some authors only, so a person's unlabelled mentions are not
  scored; Semantic Scholar ids over-split people (one person, several ids), which counts kg's
  right joins as wrong; dblp numbers exist only where dblp split a name. These are
  silver labels: read differences between methods, not the absolute figures.

<!-- identity -->
{body}
<!-- /identity -->
"""


def write(readme: Path, body: str) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- identity -->", "<!-- /identity -->"
    if start in text:
        block = f"{start}\n{body}\n{end}"
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        section = SECTION.format(body=body)
        anchor = "\n## How to read them"
        text = text.replace(anchor, "\n" + section + anchor, 1) if anchor in text else text + "\n" + section
    readme.write_text(text, encoding="utf-8")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="folder of export folders (../shared/data)")
    parser.add_argument("--write", action="store_true", help="update the section in bench/README.md")
    parser.add_argument("--no-hyperauthor", action="store_true", help="skip the 50,000-author build")
    args = parser.parse_args(argv)
    result = measure(args.data)
    benchmarks = measure_benchmarks()
    hyperauthor = None if args.no_hyperauthor else measure_hyperauthor()
    body = render_benchmarks(benchmarks, hyperauthor) + "\n\n" + render(result)
    print(body)
    if args.write:
        write(HERE / "README.md", body)
        print(f"wrote {HERE / 'README.md'}", file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
