"""kg add / kg remove against full builds: after every step of a random sequence, the store holds the graph a
full build of its sources gives, statement for statement, whatever the last build kept for the next one."""

from __future__ import annotations

import random
import shutil
import zlib
from pathlib import Path

import pytest

from kg.pipeline import BuildOptions, add, build, remove
from kg.store import StoreFolder, open_graph

# Real files that share papers, people, orgs and cited works with each other: the three seed pages (one
# person's profile, a listing and a lab's page), and exports of several formats.
SHARED_FILES = [
    "wos-plaintext/wos_plaintext.txt",
    "medline/pubmed_result_45_medline.txt",
    "crossref-references/test_1_multiple_authors.json",
    "scopus-csv/scopus.csv",
    "acl-anthology-author-page/andreas-madsack.html",
]
# What a changed source says instead: one word of its first paper's title, or one of its author's names.
EDITS = [("Transformer", "Transformator"), ("Learning", "Lerning"), ("the", "a"), ("Monte Carlo", "Monte-Carlo")]


def _sources(seeds, shared_data, folder):
    """Each source's file (a copy this test may change) and its two contents: as saved, and changed."""
    sources = {}
    for original in [*sorted(seeds.glob("*.txt")), *(shared_data / name for name in SHARED_FILES)]:
        copy = folder / original.name
        text = original.read_text(encoding="utf-8")
        old, new = next((old, new) for old, new in EDITS if old in text)
        changed = text.replace(old, new, 1)
        assert changed != text
        shutil.copy(original, copy)
        sources[str(copy)] = (text, changed)
    return sources


@pytest.mark.parametrize("seed", [1, 2])
def test_random_adds_removes_and_changes_give_the_full_build(tmp_path, seeds, shared_data, seed, monkeypatch):
    if seed == 2:  # the kept topic readings decoded twice, as past kg.topics.finder._HELD_READINGS papers
        monkeypatch.setattr("kg.topics.finder._HELD_READINGS", 0)
    files = tmp_path / "files"
    files.mkdir()
    sources = _sources(seeds, shared_data, files)
    pick = random.Random(seed)
    store = str(tmp_path / "store")
    options = BuildOptions(as_of="2026-11-22")
    names = list(sources)
    first = pick.choice(names)
    assert build([first], options, target=_store(store)).status == 0
    reused = updated = graphs_kept = clusterings_kept = merges_kept = topics_kept = 0
    for _ in range(7):
        held = [entry.name for entry in StoreFolder(store).sources()]
        action = pick.choice(["add", "add", "remove", "change"] if len(held) > 1 else ["add", "change"])
        if action == "add" and len(held) < len(names):
            report = add(store, pick.choice([name for name in names if name not in held]), options)
        elif action == "remove":
            report = remove(store, pick.choice(held))
        else:
            name = pick.choice(held)
            text, changed = sources[name]
            path = Path(name)
            path.write_text(changed if path.read_text(encoding="utf-8") == text else text, encoding="utf-8")
            report = add(store, name, options)
        assert report.status == 0, report.summary()
        reused += any("as the last build read them" in note for note in map(str, report.notes))
        updated += any("the others as the last build left them" in note for note in map(str, report.notes))
        graphs_kept += any("graphs not written again" in note for note in map(str, report.notes))
        clusterings_kept += any("similar names (a family name" in note for note in map(str, report.notes))
        notes = " ".join(map(str, report.notes))
        merges_kept += "people who have any as the last build wrote them" in notes
        topics_kept += "papers and topics as the last build wrote them" in notes
        held = [entry.name for entry in StoreFolder(store).sources()]
        full = build(held, options)
        assert open_graph(store).canonical_nquads() == full.graph.canonical_nquads(), (action, held)
        assert set(open_graph(store).store.named_graphs()) == set(full.graph.store.named_graphs()), (action, held)
    assert reused, "no step read its topics from what the last build kept"
    assert updated, "no step changed a copy of the last database"
    assert graphs_kept, "no step left a source's graph as the last build wrote it"
    assert clusterings_kept, "no step took a name block's clustering from the last build"
    assert merges_kept, "no step left a person's merges as the last build wrote them"
    assert topics_kept, "no step left a paper's topics as the last build wrote them"


def kept_now(store, name):
    return StoreFolder(store).kept().read(name)


def _store(folder):
    from kg.pipeline import Target

    return Target(store=folder, replace=True)


def test_readings_kept_damaged_or_by_other_settings_are_read_again(tmp_path, fixtures, monkeypatch):
    from kg.topics import TopicFinder

    store = str(tmp_path / "store")
    pages = [str(fixtures / name) for name in ("hf_sample.txt", "lab_sample.txt", "profile_sample.txt")]
    assert build(pages[:1], target=_store(store)).status == 0
    kept = StoreFolder(store).kept()
    name = TopicFinder().reading_kind
    header, *lines = kept.read(name).splitlines()
    assert lines and all(line.startswith(b'["') for line in lines)
    # One digit of one kept reading changed: the file is not what kg kept, and every paper is read again.
    digit = next(i for i, c in enumerate(lines[0]) if chr(c).isdigit())
    lines[0] = lines[0][:digit] + (b"1" if lines[0][digit : digit + 1] != b"1" else b"2") + lines[0][digit + 1 :]
    kept.save(name, b"\n".join([header, *lines]) + b"\n")
    report = add(store, pages[1])
    assert report.status == 0
    assert not any("as the last build read them" in str(note) for note in report.notes)
    assert open_graph(store).canonical_nquads() == build(pages[:2]).graph.canonical_nquads()
    # A line that is no reading, in a file whose digest matches: that paper alone is read again.
    import hashlib

    header, *lines = kept_now(store, name).splitlines()
    body = b"".join(line + b"\n" for line in [lines[0][:40] + b'", "no reading"]', *lines[1:]])
    StoreFolder(store).kept().save(name, b'{"kg": "topic readings", "blake2b": "%s"}\n' % (
        hashlib.blake2b(body).hexdigest().encode()) + body)  # fmt: skip
    assert remove(store, pages[1]).status == 0
    assert open_graph(store).canonical_nquads() == build(pages[:1]).graph.canonical_nquads()
    assert add(store, pages[1]).status == 0
    # Readings kept by another kg (its topic code differs) are not taken for this one's.
    monkeypatch.setattr(TopicFinder, "reading_kind", property(lambda self: "topic-readings-0123456789abcdef"))
    report = add(store, pages[2])
    assert not any("as the last build read them" in str(note) for note in report.notes)
    assert open_graph(store).canonical_nquads() == build(pages).graph.canonical_nquads()


def _records_file(path: Path, *papers: tuple[str, list[str], str]) -> str:
    import json

    lines = [json.dumps({"title": title, "authors": [{"name": name} for name in names], "date": date})
             for title, names, date in papers]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _notes(report) -> str:
    return " ".join(map(str, report.notes))


def test_a_sources_graph_is_written_again_exactly_when_what_it_is_made_from_changed(tmp_path, monkeypatch):
    """A source's graph is left as the last build wrote it only while its records and what resolution decided
    for them are the same: a new source that gives one of its authors a fuller name makes it written again
    (with that name), an unrelated source's graph is kept, and another kg's statements are never kept."""
    from kg.io import version

    a = _records_file(tmp_path / "a.jsonl", ("Graph networks for molecules", ["J. Smith", "Ada Lovelace"], "2020"))
    b = _records_file(tmp_path / "b.jsonl", ("Unrelated work on tides", ["Zed Quinn"], "2021"))
    c = _records_file(tmp_path / "c.jsonl", ("Graph networks for proteins", ["John Smith", "Ada Lovelace"], "2022"))
    store = str(tmp_path / "store")
    assert build([a, b], target=_store(store)).status == 0
    report = add(store, c)
    # b's graph is the same; a's is not: "J. Smith" is now John Smith, its chosen name.
    assert report.status == 0 and "1 of 3 sources' graphs not written again" in _notes(report), report.notes
    assert open_graph(store).canonical_nquads() == build([a, b, c]).graph.canonical_nquads()
    query = "SELECT ?label WHERE { GRAPH ?g { ?author skos:prefLabel ?label ; kg:name 'J. Smith' } }"
    assert [str(row["label"]) for row in open_graph(store).query(query).as_dicts()] == ["John Smith"]
    # Removing c: a's graph goes back to what it was, b's is kept again.
    report = remove(store, c)
    assert "1 of 2 sources' graphs not written again" in _notes(report), report.notes
    assert open_graph(store).canonical_nquads() == build([a, b]).graph.canonical_nquads()
    # A kg whose code differs keeps none of the last build's graphs.
    monkeypatch.setattr(version, "_CODE_VERSION", "0" * 32)
    report = add(store, c)
    assert report.status == 0 and "graphs not written again" not in _notes(report), report.notes
    assert open_graph(store).canonical_nquads() == build([a, b, c]).graph.canonical_nquads()


def test_a_stored_record_changed_by_hand_has_its_sources_graph_written_again(tmp_path):
    """A source's graph's fingerprint holds each record as the store keeps it (a digest of its line): a stored
    record edited in place (its source file edited the same way, so a full build reads what the store holds) in
    what resolution decides nothing from (its categories) makes the next change to the store write that
    source's graph again."""
    import json

    a = _records_file(tmp_path / "a.jsonl", ("Graph networks for molecules", ["Ada Lovelace"], "2020"))
    b = tmp_path / "b.jsonl"
    b.write_text(
        json.dumps(
            {"title": "Unrelated work on tides", "authors": [{"name": "Zed Quinn"}], "categories": ["physics.ao-ph"]}
        )
        + "\n",
        encoding="utf-8",
    )
    c = _records_file(tmp_path / "c.jsonl", ("Wavelets for seismic traces", ["Cy Dunn"], "2022"))
    store = str(tmp_path / "store")
    assert build([a, str(b)], target=_store(store)).status == 0
    folder = StoreFolder(store)
    for path in (b, folder.folder / "records" / folder.find_source(str(b)).records):
        text = path.read_text(encoding="utf-8")
        assert '"physics.ao-ph"' in text
        path.write_text(text.replace('"physics.ao-ph"', '"physics.geo-ph"'), encoding="utf-8")
    report = add(store, c)
    assert report.status == 0 and "1 of 3 sources' graphs not written again" in _notes(report), report.notes
    assert open_graph(store).canonical_nquads() == build([a, str(b), c]).graph.canonical_nquads()
    query = "SELECT ?code WHERE { ?paper kg:citesTopic ?topic . ?topic skos:notation ?code }"
    assert [str(row["code"]) for row in open_graph(store).query(query).as_dicts()] == ["physics.geo-ph"]


@pytest.mark.parametrize("guarded", [True, False])
def test_two_papers_minted_one_iri_have_their_topics_written_whole(tmp_path, monkeypatch, guarded):
    """A paper's IRI tells papers of one title apart by 40 bits of a digest, which a hostile source can make meet.
    Two papers with one IRI would be two parts of the topics graph with one subject: one kept and one written,
    their statements would be summed into one group and some lost. Such a subject is always written; without
    that (``guarded`` False) the store is not the full build."""
    import json

    from kg.rdf import iris, writer

    monkeypatch.setattr(iris.IriMinter, "paper", lambda self, identity, title: f"{self.base}paper/one-iri")
    if not guarded:
        monkeypatch.setattr(writer, "_shared_iris", lambda found: set(found) and set())

    def source(path, abstract):
        papers = [{"title": "Graph neural networks for molecules", "authors": [{"name": "Ada Lovelace"}],
                   "abstract": "We train graph neural networks with attention on molecular property prediction."},
                  {"title": "Wavelet denoising of seismic traces", "authors": [{"name": "Zed Quinn"}],
                   "abstract": abstract}]  # fmt: skip
        path.write_text("\n".join(map(json.dumps, papers)) + "\n", encoding="utf-8")
        return str(path)

    first = source(tmp_path / "a.jsonl", "Reinforcement learning agents explore with intrinsic rewards.")
    other = _records_file(tmp_path / "b.jsonl", ("Tides and moons", ["Cy Dunn"], "2020"))
    store = str(tmp_path / "store")
    assert build([first, other], target=_store(store)).status == 0
    changed = source(tmp_path / "a.jsonl", "Convolutional neural networks denoise seismic images.")
    assert add(store, changed).status == 0
    same = open_graph(store).canonical_nquads() == build([changed, other]).graph.canonical_nquads()
    assert same is guarded


def test_adding_a_file_that_is_not_there_says_what_a_build_says(tmp_path):
    """A new user saw "no such file" from kg add and "no such file or directory" from kg build for one typo."""
    a = _records_file(tmp_path / "a.jsonl", ("Graph networks for molecules", ["Ada Lovelace"], "2020"))
    store = str(tmp_path / "store")
    assert build([a], target=_store(store)).status == 0
    missing = str(tmp_path / "typo.jsonl")
    added, built = add(store, missing), build([missing])
    assert [str(error) for error in added.failures] == [str(error) for error in built.failures]
    assert [str(error) for error in added.failures] == [f"{missing}: no such file or directory"]


def test_kept_digests_of_a_large_graph_carry_and_name_each_group_whatever_piece_it_is_read_in():
    """The names of a store's groups are read back a piece at a time (more than a megabyte compressed here):
    a graph not written again keeps every group's name, one carried subject its own, and a group asked for by
    its key is named once, whichever piece holds its line."""
    from kg.rdf.changes import KeptDigests, StatementDigests

    rng = random.Random(7)
    graphs = ["http://x.org/g/a", "http://x.org/g/b"]

    def line(subject: str, graph: str) -> str:
        return f'<{subject}> <http://x.org/p> "{rng.random()}" <{graph}> .'

    first = StatementDigests()
    subjects = [f"http://x.org/s/{rng.getrandbits(96):024x}" for _ in range(120_000)]
    for start in range(0, len(subjects), 40_000):  # three chunks: a subject's lines in two of them, once
        chunk = {line(s, graphs[i % 2]): f"<{s}>" for i, s in enumerate(subjects[start : start + 40_000])}
        chunk.update({line(subjects[start], graphs[0]): f"<{subjects[start]}>"})
        first.take(chunk)
    kept = KeptDigests(first.kept())
    assert len(kept._names) > 1 << 20 and len(kept.keys) == len(subjects)

    later = StatementDigests(seed=kept.seed)
    one = (subjects[1], graphs[1])  # of graph b, carried alone
    assert later.carry(kept, [graphs[0]], [one]) == len(subjects) // 2 + 1
    lines = zlib.decompress(b"".join(later._named) + later._names.copy().flush()).splitlines()
    carried = {name.split(b" ", 1)[1] for name in lines}
    expected = {f"<{s}> <{graphs[i % 2]}>".encode() for i, s in enumerate(subjects) if i % 2 == 0}
    assert carried == expected | {f"<{one[0]}> <{one[1]}>".encode()}

    wanted = kept.keys[:: len(kept.keys) // 50]
    named = list(kept.names(wanted))
    assert len(named) == len(wanted) == len(set(named))
    assert {subject for subject, _ in named} <= set(subjects)
