"""Author resolution with the name blocks an earlier run clustered (kg.resolve.clusterings): whatever was kept,
the people, merges and splits are those of clustering every block."""

from __future__ import annotations

import random

import pytest

from kg.extract import extract_file
from kg.resolve.aliases import Aliases
from kg.resolve.clusterings import KeptClusterings
from kg.resolve.papers import is_paper, resolve_papers
from kg.resolve.people import resolve_authors

# Real exports that share people with each other and with the seed pages.
FILES = [
    "wos-plaintext/wos_plaintext.txt",
    "medline/pubmed_result_45_medline.txt",
    "scopus-csv/scopus.csv",
    "ris/ris_sample.ris",
    "csl-json/csl_sample.json",
    "acl-anthology-author-page/andreas-madsack.html",
]


@pytest.fixture(scope="module")
def real_records(shared_data, seeds):
    paths = [*(shared_data / name for name in FILES), *sorted(seeds.glob("*.txt"))]
    records = [record for path in paths if path.exists() for record in extract_file(path).records]
    return [record for record in records if is_paper(record)]


def _resolve(records, kept=None, aliases=None, apart=False):
    papers, _ = resolve_papers(records)
    return resolve_authors(records, aliases, [paper.records for paper in papers], kept=kept, apart=apart)


def _kept(kept: KeptClusterings) -> bytes:
    return b"".join(kept.kept_parts())


def _stored_digests(records) -> list[bytes]:
    """Each record's digest as a store keeps it (its line), as a store's build gives them."""
    import hashlib

    from kg.records import record_json

    return [hashlib.blake2b((record_json(r) + "\n").encode(), digest_size=16).digest() for r in records]


@pytest.mark.parametrize("seed, stored", [(1, False), (2, False), (3, False), (4, True), (5, True)])
def test_random_corpora_resolved_with_what_the_last_run_kept_give_the_full_resolution(real_records, seed, stored):
    """Each step resolves a random part of the records (their titles' word counts, venue sizes and printed names
    change with it), reading what the step before kept: every step gives the people of clustering every block,
    some components are taken from the last step and some are clustered again. With the records' digests as a
    store keeps them (``stored``), those stand for what each record says itself."""
    pick = random.Random(seed)
    kept_bytes, reused, clustered = None, 0, 0
    for step in range(6):
        records = pick.sample(real_records, k=pick.randint(len(real_records) // 3, len(real_records)))
        pick.shuffle(records)
        kept = KeptClusterings(kept_bytes, _stored_digests(records) if stored else None)
        assert _resolve(records, kept) == _resolve(records), step
        kept_bytes = _kept(kept)
        if step:
            reused += kept.reused
            clustered += kept.clustered
    assert reused, "no component was taken from the last step"
    assert clustered, "no component was clustered again"


@pytest.mark.parametrize("stored", [False, True])
def test_the_same_records_in_another_order_take_every_component_from_the_last_run(real_records, stored):
    kept = KeptClusterings(None, _stored_digests(real_records) if stored else None)
    first = _resolve(real_records, kept)
    shuffled = random.Random(7).sample(real_records, k=len(real_records))
    later = KeptClusterings(_kept(kept), _stored_digests(shuffled) if stored else None)
    assert _resolve(shuffled, later) == _resolve(shuffled)
    assert later.clustered == 0 and later.reused == kept.clustered > 10
    # Every component's people are taken as they were: no join is made again.
    assert later.taken == later.reused
    assert first == _resolve(real_records)


def test_a_name_split_across_two_components_keeps_their_joins_alone():
    """A source's own given and family parts can put one printed name in another name block ("Ann Lee" given as
    family Ann): the two people of that name are weighed apart across two components, which needs both one's
    groups. Those components keep their joins alone, made again each time, and nothing is clustered again."""
    from kg.records import AuthorRef, Record, SourceRef

    def paper(title, authors, line):
        authors = tuple(a if isinstance(a, AuthorRef) else AuthorRef(a) for a in authors)
        return Record(title=title, authors=authors, source=SourceRef("a.json", line, "json"))

    records = [paper("Graphs", [AuthorRef("Ann Lee", given="Lee", family="Ann"), "Bo Chen"], 1),
               paper("Trees", ["Ann Lee", "Cy Dunn"], 2), paper("Tides", ["A. Lee", "Di Ma"], 3),
               paper("Waves", [AuthorRef("L. Ann", given="L.", family="Ann"), "Ed Xu"], 4)]  # fmt: skip
    expected = _resolve(records)
    assert [split.name for split in expected.splits] == ["ann lee"]
    kept = KeptClusterings(None)
    assert _resolve(records, kept) == expected and kept.clustered == 2
    for _ in range(2):
        kept = KeptClusterings(_kept(kept))
        assert _resolve(records, kept) == expected
        assert (kept.reused, kept.taken, kept.clustered) == (2, 0, 0)


def _paper(title, authors, line):
    from kg.records import AuthorRef, Record, SourceRef

    authors = tuple(a if isinstance(a, AuthorRef) else AuthorRef(a) for a in authors)
    return Record(title=title, authors=authors, source=SourceRef("a.json", line, "json"))


def test_kept_people_hold_the_identifiers_merges_of_their_run():
    """The user's "same" alias group written in another order joins the same mentions with other evidence: the
    people kept with the first order are not those of the second (from a review)."""
    records = [_paper("Graphs", ["Ann Lee", "Bo Chen"], 1), _paper("Trees", ["A. Lee", "Cy Dunn"], 2),
               _paper("Tides", ["Ann Lee", "Di Ma"], 3), _paper("Rocks", ["Alan Lee", "Ed Xu"], 4)]  # fmt: skip
    kept = KeptClusterings(None)
    _resolve(records, kept, Aliases(same_authors=(("Ann Lee", "A. Lee"),)))
    reordered = Aliases(same_authors=(("A. Lee", "Ann Lee"),))
    later = KeptClusterings(_kept(kept))
    assert _resolve(records, later, reordered) == _resolve(records, aliases=reordered)
    assert later.taken == 0


def test_two_listings_of_one_paper_join_their_authors_whatever_the_records_order():
    """Two listings of one paper whose titles differ in case: the merge "same paper, same position" names one of
    them, and which one does not follow the records' order (from a review)."""
    from kg.resolve.papers import resolve_papers

    records = [_paper("Deep Learning", ["Yoshua Bengio", "Aaron Courville"], 1),
               _paper("Deep learning", ["Yoshua Bengio", "Aaron Courville"], 7),
               _paper("Other Work", ["Yoshua Bengio", "Cy Dunn"], 2)]  # fmt: skip

    def evidence(records):
        papers, _ = resolve_papers(records)
        people = _resolve_with_papers(records, [paper.records for paper in papers])
        return sorted(merge.evidence for made in people.merges.values() for merge in made)

    assert evidence(records) == evidence([records[1], records[0], records[2]])


def _resolve_with_papers(records, paper_groups):
    from kg.resolve.people import resolve_authors

    return resolve_authors(records, None, paper_groups)


def test_what_is_kept_does_not_depend_on_the_runs_before():
    """A component kept with its joins alone (a namesake in another name block, earlier) has its people kept again
    once that namesake is gone, as a run with nothing kept keeps them; a namesake added in another name block
    has that component's joins made again, and nothing kept is dropped (from a review)."""
    from kg.records import AuthorRef

    swapped = _paper("Graphs", [AuthorRef("Ann Lee", given="Lee", family="Ann"), "Bo Chen"], 1)
    rest = [_paper("Trees", ["Ann Lee", "Cy Dunn"], 2), _paper("Tides", ["A. Lee", "Di Ma"], 3),
            _paper("Waves", [AuthorRef("L. Ann", given="L.", family="Ann"), "Ed Xu"], 4),
            _paper("Rocks", ["Alan Lee", "Fay Wu"], 5)]  # fmt: skip
    kept = KeptClusterings(None)
    _resolve([swapped, *rest], kept)
    chain, fresh = KeptClusterings(_kept(kept)), KeptClusterings(None)
    assert _resolve(rest, chain) == _resolve(rest, fresh)
    assert _kept(chain) == _kept(fresh)
    later = KeptClusterings(_kept(chain))
    assert _resolve([swapped, *rest], later) == _resolve([swapped, *rest])
    # Lee's block made again from its joins (its "Ann Lee" is weighed against the other block's), Ann's clustered.
    assert (later.reused, later.taken, later.clustered) == (1, 0, 1)


def test_kept_people_that_are_not_what_their_joins_make_are_not_taken(real_records):
    """A component's kept people are taken only where they are the people its kept joins make (each group in one
    person); else its joins are made again. A kept person who lacks a split clustering would weigh makes the run
    drop everything kept and cluster every block. Either way the people are those of clustering every block."""
    kept = KeptClusterings(None)
    expected = _resolve(real_records, kept)
    data = _kept(kept)

    def one_person_fewer(line):
        if len(line.get("people", ())) > 1:
            line["people"][0][0] += line["people"][1][0]  # two people's groups given to one
            del line["people"][1]
        return line

    merged = KeptClusterings(_rewritten(data, one_person_fewer))
    assert _resolve(real_records, merged) == expected
    assert merged.reused == kept.clustered and merged.taken < merged.reused

    def no_splits(line):
        line["splits"] = []
        return line

    split = KeptClusterings(_rewritten(data, no_splits))
    assert _resolve(real_records, split) == expected
    assert split.taken == 0 and split.clustered == kept.clustered  # everything dropped, every block clustered


def test_the_people_and_their_merges_do_not_depend_on_the_records_order(real_records):
    """Before, a pair of groups scored again after one of them grew tied with its first score, and the groups'
    numbers decided which was taken: one merge of "Lum, E.B." was "same name" or "compatible names" by order."""

    def merges(records):
        people = _resolve(records)
        return {people.display[person]: made for person, made in people.merges.items()}

    assert merges(random.Random(7).sample(real_records, k=len(real_records))) == merges(real_records)


def test_damaged_kept_clusterings_or_other_aliases_are_clustered_again(real_records):
    kept = KeptClusterings(None)
    _resolve(real_records, kept)
    data = _kept(kept)
    # One byte of the body changed: the file is not what kg kept, and nothing of it is read.
    damaged = data[:-3] + bytes([data[-3] ^ 1]) + data[-2:]
    again = KeptClusterings(damaged)
    assert _resolve(real_records, again) == _resolve(real_records) and again.reused == 0
    # Aliases are part of every component's input: kept without them, nothing is taken with them.
    someone = next(record.authors[0].name for record in real_records if record.authors)
    aliases = Aliases(different_authors=((someone, "Someone Else"),))
    with_aliases = KeptClusterings(data)
    assert _resolve(real_records, with_aliases, aliases) == _resolve(real_records, aliases=aliases)
    assert with_aliases.reused == 0


def test_records_that_can_tie_are_clustered_every_time():
    """Two records of one title read from one place (or from none) can give their mentions one sort key; ties
    go by the records' order, which a digest of their content does not hold, so their blocks are never kept."""
    from kg.records import AuthorRef, Record, SourceRef

    def paper(title, names, line):
        return Record(title=title, authors=tuple(map(AuthorRef, names)), source=SourceRef("a.json", line, "json"))

    records = [paper("Graphs", ["Wei Lee", "Bo Chen"], 1), paper("Graphs", ["Wei Lee", "Cy Dunn"], 1),
               paper("Trees", ["Ann Xu", "Di Ma"], 2), paper("Forests", ["Ann Xu", "Di Ma"], 3)]  # fmt: skip
    kept = KeptClusterings(None)
    assert _resolve(records, kept) == _resolve(records)
    assert kept.clustered == 2  # Ann Xu's and Di Ma's blocks; Wei Lee's is left out
    later = KeptClusterings(_kept(kept))
    assert _resolve(records[::-1], later) == _resolve(records[::-1]) and later.reused == 2


@pytest.mark.parametrize("stored", [False, True])
def test_a_component_is_clustered_again_when_a_coauthors_printed_name_changes_elsewhere(stored):
    """A merge's evidence names a shared co-author as the corpus first prints them: a record elsewhere that prints
    them otherwise changes Ann Lee's merge, so her block is clustered again though none of its records changed
    (whether the records' digests as a store keeps them stand for the records, ``stored``, or not)."""
    from kg.records import AuthorRef, Record, SourceRef

    def paper(title, names, line):
        return Record(title=title, authors=tuple(map(AuthorRef, names)), source=SourceRef("a.json", line, "json"))

    records = [paper("Graphs", ["Ann Lee", "Bo Chen"], 1), paper("Trees", ["Ann Lee", "Bo Chen"], 2),
               paper("Tides", ["Di Ma", "Ed Xu"], 3), paper("Waves", ["Di Ma", "Ed Xu"], 4)]  # fmt: skip
    kept = KeptClusterings(None, _stored_digests(records) if stored else None)
    before = _resolve(records, kept)
    assert before.merges[before.person(0, 0)][0].evidence == ("co-author: Bo Chen",)
    more = [*records, paper("Rivers", ["Bo CHEN", "Cy Dunn"], 5)]
    later = KeptClusterings(_kept(kept), _stored_digests(more) if stored else None)
    after = _resolve(more, later)
    assert after == _resolve(more) and after.merges[after.person(0, 0)][0].evidence == ("co-author: Bo CHEN",)
    # Di Ma's and Ed Xu's blocks are kept; Bo Chen's has a mention more, and Ann Lee's a co-author printed otherwise.
    assert later.reused == 2 and later.clustered == 2


@pytest.mark.parametrize("stored", [False, True])
def test_a_component_is_clustered_again_when_a_record_of_it_says_otherwise(stored):
    """A record of the component names another org for its paper, in the same place, with the same title, venue
    and names: the corpus's part of its evidence is the same, but Ann Lee's merge is made on other evidence, so
    her block is clustered again (whether the records' digests as a store keeps them stand for the records,
    ``stored``, or not)."""
    import dataclasses

    from kg.records import AuthorRef, Record, SourceRef

    def paper(title, names, line):
        said = {"orgs": ("Acme Lab",), "venue": "Journal of Tides", "categories": ("physics.ao-ph",), "date": "2020"}
        where = SourceRef("a.json", line, "json")
        return Record(title=title, authors=tuple(map(AuthorRef, names)), source=where, **said)

    records = [paper("Wavelet denoising of tides", ["Ann Lee", "Bo Chen"], 1),
               paper("Wavelet models of tides", ["Ann Lee", "Cy Dunn"], 2)]  # fmt: skip
    kept = KeptClusterings(None, _stored_digests(records) if stored else None)
    before = _resolve(records, kept)
    assert before.merges[before.person(0, 0)][0].rule == "same name + shared organisation"
    changed = [records[0], dataclasses.replace(records[1], orgs=("Other Institute",))]
    later = KeptClusterings(_kept(kept), _stored_digests(changed) if stored else None)
    after = _resolve(changed, later)
    assert after == _resolve(changed) and after.merges[after.person(0, 0)][0].rule == "same name + shared venue"
    assert later.clustered == 1


def _forged(joins_of_each_component: list[bytes]) -> bytes:
    """A kept file whose digest is right but whose lines were written by hand, one per component."""
    return _signed(b"".join(b'%032x\t{"joins":%s}\n' % (n, joins) for n, joins in enumerate(joins_of_each_component)))


def _signed(body: bytes) -> bytes:
    """A kept file of ``body``'s lines, with the header kg writes (the body's digest)."""
    import hashlib

    return b"kg author clusterings 2 %s\n" % hashlib.blake2b(body).hexdigest().encode() + body


def _rewritten(data: bytes, change) -> bytes:
    """A kept file with each line's content (decoded) passed through ``change``, and its digest made again."""

    import orjson

    lines = []
    for line in data.split(b"\n")[1:]:
        if line:
            digest, content = line.split(b"\t", 1)
            lines.append(digest + b"\t" + orjson.dumps(change(orjson.loads(content))) + b"\n")
    return _signed(b"".join(lines))


def test_kept_joins_written_by_hand_never_change_the_people_nor_stop_the_run(monkeypatch):
    """A kept file edited with its digest made again: a join the groups refuse drops everything kept (every
    block is clustered), and a join on the user's aliases (which skips what forbids a join) is never taken."""
    from kg.records import AuthorRef, Record, SourceRef
    from kg.resolve import people as resolution

    def paper(title, orcid, coauthor, line):
        return Record(title=title, authors=(AuthorRef("Ann Lee", orcid=orcid), AuthorRef(coauthor)),
                      source=SourceRef("a.json", line, "json"))  # fmt: skip

    records = [paper("Graphs", "0000-0001-0000-0001", "Bo Chen", 1),
               paper("Trees", "0000-0002-0000-0002", "Cy Dunn", 2)]  # fmt: skip
    expected = _resolve(records)
    assert expected.person(0, 0) != expected.person(1, 0)  # two ORCIDs: two people
    # One component (Ann Lee's block); its digest is taken to be the first forged line's.
    names = iter(f"{n:032x}" for n in range(100))

    def forged_digest(self, keys, blocks, *rest):
        return next(names), sorted({index for key in keys for index in blocks[key]})

    monkeypatch.setattr(resolution._Resolver, "_component_digest", forged_digest)
    refused = KeptClusterings(_forged([b'[[0,1,"same name + shared co-author",[],2.0]]']))
    assert _resolve(records, refused) == expected
    assert refused.reused == 0 and refused.clustered == 1
    names = iter(f"{n:032x}" for n in range(100))
    alias = KeptClusterings(_forged([b'[[0,1,"user alias: same",[],null]]']))
    assert _resolve(records, alias) == expected
    assert alias.reused == 0 and alias.clustered == 1


def test_what_another_kg_kept_is_clustered_again(real_records, monkeypatch):
    from kg.io import version

    kept = KeptClusterings(None)
    _resolve(real_records, kept)
    monkeypatch.setattr(version, "_CODE_VERSION", "0" * 32)
    other = KeptClusterings(_kept(kept))
    assert _resolve(real_records, other) == _resolve(real_records) and other.reused == 0


def test_people_and_what_is_kept_are_the_same_whatever_pythons_hash_seed(tmp_path):
    """One name printed under two family names, joined by identifiers ("John Smith" and "John Smyth" share an
    ORCID, and a Semantic Scholar id elsewhere): which family weighed the name used to follow a set's order,
    which changes with each run of Python (one person or two from one build to the next); what one run keeps
    must give the next run, hashed otherwise, what clustering gives it."""
    import os
    import subprocess
    import sys

    script = tmp_path / "resolve.py"
    script.write_text(
        "import sys\n"
        "from kg.records import AuthorRef, Record, SourceRef\n"
        "from kg.resolve.clusterings import KeptClusterings\n"
        "from kg.resolve.people import resolve_authors\n"
        "def paper(line, name, title, orcid=None, s2=None, scopus=None):\n"
        "    ids = {'s2_author_ids': [s2]} if s2 else {}\n"
        "    ids.update({'scopus_author_ids': [scopus]} if scopus else {})\n"
        "    return Record(title=title, authors=(AuthorRef(name, orcid=orcid),), extra=ids,\n"
        "                  source=SourceRef('a.jsonl', line, 'kg'))\n"
        "records = [paper(1, 'John Smith', 'Alpha', orcid='0000-0001-0000-0001'),\n"
        "           paper(2, 'John Smyth', 'Bravo', orcid='0000-0001-0000-0001'),\n"
        "           paper(3, 'John Smith', 'Charlie', s2='77'), paper(4, 'John Smyth', 'Delta', s2='77'),\n"
        "           paper(5, 'Ann Lee', 'Echo', s2='9', scopus='8'), paper(6, 'Ann Lee', 'Foxtrot')]\n"
        "path = sys.argv[1]\n"
        "kept = KeptClusterings(open(path, 'rb').read() if sys.argv[2] == 'read' else None)\n"
        "people = resolve_authors(records, kept=kept)\n"
        "assert people == resolve_authors(records)\n"
        "open(path, 'wb').write(b''.join(kept.kept_parts()))\n"
        "print(len(people.display), kept.reused)\n",
        encoding="utf-8",
    )
    kept = str(tmp_path / "kept")
    runs = []
    for seed, mode in [("1", "new"), ("2", "read"), ("3", "read"), ("4", "new"), ("5", "read")]:
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, str(script), kept, mode], capture_output=True, text=True,
                              env=environment, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        runs.append(done.stdout.split())
    assert [people for people, _ in runs] == ["3"] * 5  # John Smith, and two Ann Lees (nothing joins them)
    # John's and Ann's blocks are taken from the run before (Ann's record holds a set of two ids, of no order).
    assert [reused for _, reused in runs] == ["0", "2", "2", "0", "2"]


@pytest.fixture
def two_processes(monkeypatch):
    """Name blocks clustered by two processes however few (kg.resolve.people.CLUSTER_APART_MIN_GROUPS), a few
    components claimed at a time; counts how often the other process's outcome was taken."""
    from kg.resolve import people

    settled = []
    settle = people._Resolver._settle
    monkeypatch.setattr(people, "CLUSTER_APART_MIN_GROUPS", 0)
    monkeypatch.setattr(people, "_COMPONENTS_PER_CLAIM", 3)
    monkeypatch.setattr(people._Resolver, "_settle", lambda self, *a: settled.append(len(a[0])) or settle(self, *a))
    return settled


def test_blocks_clustered_by_two_processes_give_the_people_of_one(real_records, two_processes, monkeypatch):
    """Each process claims components until none is left; the other's groups, roots and merges are taken here.
    The people, merges, splits and what is kept for the next run are those of one process, and so is a run
    where no process can be forked."""
    from kg.io import workers

    one = _resolve(real_records)
    kept_alone = KeptClusterings(None)
    assert _resolve(real_records, kept_alone) == one
    assert not two_processes, "forked where it was not asked to"

    assert _resolve(real_records, apart=True) == one
    assert two_processes and two_processes[-1] > 0, "the other process clustered nothing"
    kept = KeptClusterings(None)
    assert _resolve(real_records, kept, apart=True) == one
    assert _kept(kept) == _kept(kept_alone) and kept.clustered == kept_alone.clustered > 10
    later = KeptClusterings(_kept(kept))
    assert _resolve(real_records, later, apart=True) == one and later.clustered == 0
    shuffled = random.Random(3).sample(real_records, k=len(real_records))
    assert _resolve(shuffled, apart=True) == _resolve(shuffled, KeptClusterings(None))

    calls = len(two_processes)
    monkeypatch.setattr(workers, "can_fork_jobs", lambda: False)  # a ForkedJob is refused, as a failed fork
    assert _resolve(real_records, apart=True) == one
    assert len(two_processes) == calls


@pytest.mark.parametrize("failure", ["error", "killed"])
def test_components_the_other_process_could_not_cluster_are_clustered_here(real_records, two_processes, failure,
                                                                            monkeypatch):  # fmt: skip
    """The other process fails (an error, or killed for memory): what it claimed is clustered here, with the
    people of one process."""
    import os
    import signal

    from kg.resolve import people

    one = _resolve(real_records)

    def fail(self, *args):
        if failure == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        raise MemoryError("no memory left in the other process")

    monkeypatch.setattr(people._Resolver, "_cluster_apart", fail)
    assert _resolve(real_records, apart=True) == one
    assert not two_processes
