"""Faults on purpose: a store never loses what it held, whatever happens while it is written.

kill -9 at every step of every store write, two writers at once, a full disk, a
read-only folder, crafted manifests, damaged databases and records, and typos.
Each case asserts that the store afterwards holds its old state or its new one
(byte-identical graphs), that ``kg check`` says what is wrong and how to repair
it, and that running the command again gives the new state.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import FIXTURES, skip_unless_required

from kg.cli import main
from kg.store import StoreFolder, open_graph

HF, PROFILE, LAB = (FIXTURES / name for name in ("hf_sample.txt", "profile_sample.txt", "lab_sample.txt"))

# A kg command run in a child process that kills itself (SIGKILL, as kill -9) at one step of a store write.
_CHILD = textwrap.dedent(
    """
    import contextlib, os, signal, sys
    from pathlib import Path
    import kg.store as store

    point, args = sys.argv[1], sys.argv[2:]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    if point == "records":  # while the new records are written
        store.StoreFolder._write_records = lambda self, entry, records: die()
    elif point == "database":  # while the new database is filled
        import kg.rdf.writer
        kg.rdf.writer.load_statements = kg.rdf.writer.update_statements = lambda *a, **k: die()
    elif point == "flushed":  # the new generation is complete on disk, not yet current
        flush = store._fsync_tree
        def flushed(folder):
            flush(folder)
            die()
        store._fsync_tree = flushed
    elif point == "switch":  # the new pointer is written beside the old one, not yet renamed over it
        write = store.atomic_write
        @contextlib.contextmanager
        def switching(path):
            with write(path) as handle:
                yield handle
                if Path(path).name == store.POINTER:
                    handle.flush()
                    die()
        store.atomic_write = switching
    elif point == "switched":  # the new generation is current; the old one is not removed yet
        clean, seen = store.StoreFolder.clean, []
        def cleaning(self):
            seen.append(self.current_generation())
            if seen[-1] != seen[0]:
                die()
            return clean(self)
        store.StoreFolder.clean = cleaning
    from kg.cli import main
    sys.exit(main(args))
    """
)
POINTS = ("records", "database", "flushed", "switch", "switched")
SWITCHED = {"switched"}


def _killed_at(point: str, args: list[str], cwd: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, point, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, f"{point}: not killed there ({done.returncode}): {done.stderr}"


def _graph(store: Path) -> str:
    return open_graph(store).canonical_nquads()


def _reference(tmp_path: Path, pages: list[Path], name: str) -> str:
    output = tmp_path / f"{name}.nq"
    assert main(["build", *map(str, pages), "-o", str(output), "-q"]) == 0
    return open_graph(output).canonical_nquads()


def _problems(store: Path) -> list[str]:
    return [problem.what for problem in StoreFolder(store).check()]


@pytest.fixture
def pages(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "pages"
    folder.mkdir()
    copies = []
    for page in (HF, PROFILE, LAB):
        copies.append(folder / page.name)
        shutil.copy(page, copies[-1])
    return copies


@pytest.mark.parametrize("point", POINTS)
def test_kill_9_at_any_step_of_kg_add_leaves_the_old_or_the_new_store(tmp_path, pages, point):
    store = tmp_path / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    before, after = _graph(store), _reference(tmp_path, pages[:2], "after")
    _killed_at(point, ["add", str(pages[1]), "--store", str(store), "-q"], tmp_path)
    assert _graph(store) == (after if point in SWITCHED else before)
    assert all("leftover" in what for what in _problems(store)), _problems(store)
    # Running it again finishes the work (never "unchanged" while the graph is old) and tidies up.
    assert main(["add", str(pages[1]), "--store", str(store), "-q"]) == 0
    assert _graph(store) == after and _problems(store) == []
    assert sorted(p.name for p in store.iterdir()) == ["CURRENT", StoreFolder(store).current_generation(),
                                                        "kg-store.json", "lock", "records"]  # fmt: skip
    assert len(list((store / "records").iterdir())) == 2


@pytest.mark.parametrize("point", ("database", "switch", "switched"))
def test_kill_9_of_kg_remove_and_of_a_rebuild(tmp_path, pages, point):
    store = tmp_path / "store"
    assert main(["build", *map(str, pages[:2]), "--store", str(store), "-q"]) == 0
    before, after = _graph(store), _reference(tmp_path, pages[:1], "after")
    _killed_at(point, ["remove", str(pages[1]), "--store", str(store), "-q"], tmp_path)
    assert _graph(store) == (after if point in SWITCHED else before)
    if point not in SWITCHED:
        assert main(["remove", str(pages[1]), "--store", str(store), "-q"]) == 0
    assert _graph(store) == after
    rebuilt = _reference(tmp_path, pages[1:3], "rebuilt")
    _killed_at(point, ["build", *map(str, pages[1:3]), "--store", str(store), "--replace", "-q"], tmp_path)
    assert _graph(store) == (rebuilt if point in SWITCHED else after)


@pytest.mark.parametrize("point", ("records", "flushed"))
def test_a_first_build_killed_midway_is_built_again_by_the_same_command(tmp_path, pages, point, capsys):
    store = tmp_path / "store"
    command = ["build", *map(str, pages[:2]), "--store", str(store), "-q"]
    _killed_at(point, command, tmp_path)
    assert StoreFolder(store).state() == "unfinished"
    assert main(["query", str(store), "ASK {}"]) == 2
    assert "its first build did not finish" in capsys.readouterr().err
    assert main(command) == 0
    assert _graph(store) == _reference(tmp_path, pages[:2], "after") and _problems(store) == []


def test_killed_at_random_moments_the_store_is_always_old_or_new(tmp_path, pages):
    """kill -9 after a sweep of delays, wherever the command happens to be."""
    store = tmp_path / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    before, after = _graph(store), _reference(tmp_path, pages[:2], "after")
    seen = set()
    for delay in (0.3, 0.8, 1.2, 1.6, 2.0, 2.5, 3.5):
        child = subprocess.Popen(
            [sys.executable, "-m", "kg", "add", str(pages[1]), "--store", str(store), "-q"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=delay)
        child.kill()
        child.wait(timeout=30)
        state = _graph(store)
        assert state in (before, after)
        seen.add(state == after)
        if state == after:  # back to the old state for the next try
            assert main(["remove", str(pages[1]), "--store", str(store), "-q"]) == 0
            assert _graph(store) == before
    assert main(["add", str(pages[1]), "--store", str(store), "-q"]) == 0
    assert _graph(store) == after and _problems(store) == []


def test_two_writers_at_once_both_land_or_one_is_told_busy(tmp_path, pages, capsys):
    store = tmp_path / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "kg", "add", str(page), "--store", str(store), "-q", "--wait", "120"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for page in pages[1:]
    ]
    for child in children:
        assert child.wait(timeout=180) == 0, child.stderr.read()
        child.stderr.close()
    assert _graph(store) == _reference(tmp_path, pages, "all") and _problems(store) == []
    assert StoreFolder(store).sources()[0].name == str(pages[0])
    # While another process holds the store, a command that may not wait changes nothing and says why.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from kg.store import StoreFolder\n"
         "with StoreFolder(sys.argv[1]).writing('adding other.txt'):\n print('held', flush=True); time.sleep(60)",
         str(store)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        before = _graph(store)
        assert main(["remove", str(pages[1]), "--store", str(store), "--wait", "0"]) == 3  # BUSY: try again
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "busy: adding other.txt (pid " in err and "--wait" in err
        assert _graph(store) == before
    finally:
        holder.kill()
        holder.wait(timeout=30)
        holder.stdout.close()


def test_a_reader_keeps_its_generation_while_the_store_changes(tmp_path, pages):
    store = tmp_path / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    reading = open_graph(store)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }"
    papers = reading.query(count).rows
    old = StoreFolder(store).current_generation()
    assert main(["add", str(pages[1]), "--store", str(store), "-q"]) == 0
    assert (store / old).is_dir() and reading.query(count).rows == papers  # still answering, from its snapshot
    assert _problems(store) == []  # a generation a reader holds is no leftover of an interrupted command
    del reading
    assert main(["add", str(pages[2]), "--store", str(store), "-q"]) == 0
    assert not (store / old).exists()


def _limited_writes(limit: int):
    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing

    return limit_file_size


def test_a_write_that_fails_for_want_of_space_changes_nothing(tmp_path, pages):
    store = tmp_path / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    before = _graph(store)
    big = tmp_path / "big.jsonl"
    with open(big, "w", encoding="utf-8") as handle:
        for number in range(3000):
            record = {"title": f"A study of things number {number}", "authors": [{"name": f"Ann Lee{number}"}]}
            handle.write(json.dumps(record) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "kg", "add", str(big), "--store", str(store), "-q"],
        capture_output=True, text=True, timeout=300, preexec_fn=_limited_writes(256 * 1024),
    )  # fmt: skip
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"kg: error: {store}: cannot be written (File too large)")
    assert _graph(store) == before and _problems(store) == []


def _mount(*options: str, where: Path) -> bool:
    if os.geteuid() != 0:
        return False
    where.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    where = tmp_path / "disk"
    if not _mount("size=4m", where=where):
        skip_unless_required("root", "mounting a small tmpfs needs root")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_changes_nothing_and_the_next_try_succeeds(tmp_path, pages, small_disk, capsys):
    store = small_disk / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    before = _graph(store)
    filler = small_disk / "filler"
    # Unbuffered: what a failed write left is not flushed again (and refused again) on close.
    with open(filler, "wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    capsys.readouterr()
    assert main(["add", str(pages[1]), "--store", str(store), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "the store was not changed" in err
    assert _graph(store) == before
    assert main(["build", str(pages[1]), "-o", str(small_disk / "out.ttl"), "-q"]) == 1
    assert capsys.readouterr().err.count("\n") == 1 and not (small_disk / "out.ttl").exists()
    filler.unlink()
    assert main(["add", str(pages[1]), "--store", str(store), "-q"]) == 0
    assert _graph(store) == _reference(tmp_path, pages[:2], "after") and _problems(store) == []


def test_a_read_only_folder_is_one_line_and_keeps_the_store(tmp_path, pages, capsys):
    store = tmp_path / "ro" / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    before = _graph(store)
    if os.geteuid() == 0:
        done = subprocess.run(
            ["mount", "--bind", "-o", "ro", str(store.parent), str(store.parent)], capture_output=True
        )
        if done.returncode:
            skip_unless_required("root", "a read-only bind mount needs root")
        undo = ["umount", "-l", str(store.parent)]
    else:
        for path in (store.parent, store, *store.rglob("*")):
            if path.is_dir():
                path.chmod(0o555)
        undo = ["chmod", "-R", "u+w", str(store.parent)]
    try:
        capsys.readouterr()
        assert main(["add", str(pages[1]), "--store", str(store), "-q"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "cannot be written" in err and "Traceback" not in err
        assert main(["build", str(pages[1]), "-o", str(store.parent / "g.ttl"), "-q"]) == 1
        assert capsys.readouterr().err.count("\n") == 1
        assert _graph(store) == before  # still readable, as it was
    finally:
        subprocess.run(undo, check=False)


def test_a_crafted_manifest_cannot_reach_outside_the_store(tmp_path, pages, capsys):
    store = tmp_path / "store"
    assert main(["build", *map(str, pages[:2]), "--store", str(store), "-q"]) == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    manifest = store / StoreFolder(store).current_generation() / "sources.json"
    entries = json.loads(manifest.read_text())
    entries[1]["records"] = "../../victim.txt"
    manifest.write_text(json.dumps(entries))
    capsys.readouterr()
    for command in (["remove", str(pages[0])], ["add", str(pages[2])], ["check"]):
        assert main([*command, "--store", str(store)]) in (1, 2)
        err = capsys.readouterr().err
        assert "is not a records file of the store" in err and "Traceback" not in err
    assert victim.read_text() == "precious"


def test_links_planted_in_a_store_are_not_followed(tmp_path, pages, capsys):
    store = tmp_path / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (store / "lock").unlink()
    (store / "lock").symlink_to(victim)
    capsys.readouterr()
    assert main(["add", str(pages[1]), "--store", str(store)]) == 1
    assert "a link, which a kg store never holds" in capsys.readouterr().err
    assert victim.read_text() == "precious"
    (store / "lock").unlink()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    shutil.rmtree(store / "records")
    (store / "records").symlink_to(mine)
    assert main(["add", str(pages[1]), "--store", str(store)]) == 1
    assert (mine / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(
    "damage", ("pointer", "no-pointer", "generation", "manifest", "config", "database", "records", "garbled-records")
)
def test_damage_is_one_line_and_kg_check_says_how_to_repair(tmp_path, pages, damage, capsys):
    store = tmp_path / "store"
    assert main(["build", *map(str, pages[:2]), "--store", str(store), "-q"]) == 0
    whole = _graph(store)
    generation = store / StoreFolder(store).current_generation()
    if damage == "pointer":
        (store / "CURRENT").write_text("../../etc")
    elif damage == "no-pointer":  # not a first build cut short: a build must not take it for an empty store
        (store / "CURRENT").unlink()
    elif damage == "generation":  # the pointer names a generation that is gone; an older whole one is there
        shutil.copytree(generation, tmp_path / "kept")
        assert main(["add", str(pages[2]), "--store", str(store), "-q"]) == 0
        shutil.rmtree(store / StoreFolder(store).current_generation())
        (tmp_path / "kept").rename(generation)
    elif damage == "manifest":
        (generation / "sources.json").write_text("[{")
    elif damage == "config":
        (generation / "config.json").unlink()
    elif damage == "database":
        for path in (generation / "oxigraph").iterdir():
            if path.is_file():
                path.write_bytes(b"\x00garbage" * 64)
    elif damage == "garbled-records":
        (store / "records" / StoreFolder(store).sources()[0].records).write_text("{not json\n")
    else:
        (store / "records" / StoreFolder(store).sources()[0].records).unlink()
    capsys.readouterr()
    for command in (
        ["query", str(store), "ASK {}"],
        ["stats", str(store)],
        ["add", str(pages[2]), "--store", str(store)],
    ):
        if damage in ("records", "garbled-records", "manifest") and command[0] != "add":
            continue  # the database is whole: reading it is fine
        if damage == "database" and command[0] == "add":
            continue  # kg add builds a new database from the records: it would repair this
        assert main(command) in (1, 2)
        err = capsys.readouterr().err
        assert err.startswith("kg: error: ") and err.count("\n") == 1 and "Traceback" not in err
    if damage in ("pointer", "no-pointer", "generation"):  # which sources a build would drop cannot be told
        assert main(["build", str(pages[2]), "--store", str(store)]) == 1
        assert "CURRENT: damaged: " in capsys.readouterr().err
    assert main(["check", "--store", str(store)]) == 1
    err = capsys.readouterr().err
    assert "(repair: " in err and "Traceback" not in err
    if damage not in ("manifest", "config"):  # the parts are still there: repaired whole, the very same graph
        assert main(["check", "--store", str(store), "--repair", "-q"]) == 0
        assert _graph(store) == whole and _problems(store) == []


def test_a_typo_or_a_failed_input_never_empties_a_store(tmp_path, pages, capsys):
    store = tmp_path / "store"
    assert main(["build", *map(str, pages[:2]), "--store", str(store), "-q"]) == 0
    before = _graph(store)
    capsys.readouterr()
    assert main(["build", str(tmp_path / "typo.jsonl"), "--store", str(store)]) == 1
    assert main(["build", str(pages[2]), "--store", str(store)]) == 1
    assert "--replace rebuilds it from these inputs alone" in capsys.readouterr().err
    assert main(["build", *map(str, pages[:2]), str(tmp_path / "typo.jsonl"), "--store", str(store), "--strict"]) == 1
    assert "--strict: 1 input(s) failed; nothing was written" in capsys.readouterr().err
    assert _graph(store) == before
    # Every source again (after an option change, say) is a rebuild, not a replacement.
    assert main(["build", *map(str, pages[:2]), "--store", str(store), "-q", "--topics", "none"]) == 0
    assert main(["build", str(pages[2]), "--store", str(store), "--replace", "-q"]) == 0
    assert [entry.name for entry in StoreFolder(store).sources()] == [str(pages[2])]


def _iris(graph) -> set[str]:
    rows = graph.query("SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }").as_dicts()
    return {row["s"] for row in rows}


def test_one_file_is_one_source_however_it_is_spelled_and_wherever_kg_runs(tmp_path, pages, monkeypatch, capsys):
    store = tmp_path / "store"
    monkeypatch.chdir(pages[0].parent)
    assert main(["build", pages[0].name, "--store", str(store), "-q"]) == 0
    for spelling in (f"./{pages[0].name}", str(pages[0]), f"../pages/{pages[0].name}"):
        assert main(["add", spelling, "--store", str(store)]) == 0
        assert "unchanged since it was added" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main(["build", f"pages/{pages[0].name}", "-o", "elsewhere.nq", "-q"]) == 0
    assert _iris(open_graph(tmp_path / "elsewhere.nq")) == _iris(open_graph(store))  # the same IRIs from any folder
    pages[0].write_text(
        pages[0].read_text(encoding="utf-8").replace("Universal Transformers", "Universal Transformers II")
    )
    assert main(["add", str(pages[0]), "--store", str(store), "-q"]) == 0
    assert len(StoreFolder(store).sources()) == 1
    assert main(["remove", f"pages/{pages[0].name}", "--store", str(store), "-q"]) == 0
    assert StoreFolder(store).sources() == []


def test_what_a_writable_server_accepted_survives_every_rebuild(tmp_path, pages):
    store = tmp_path / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    folder = StoreFolder(store)
    with folder.writing("a writable server (test)"):
        folder.log_server_write("update", b"INSERT DATA { <urn:kg:test:a> <urn:kg:test:said> 'kept' }", None, None)
        folder.log_server_write("put", b"<urn:kg:test:b> <urn:kg:test:said> 'put' .", "text/turtle", "urn:kg:test:g")
    assert main(["add", str(pages[1]), "--store", str(store), "-q"]) == 0
    assert main(["remove", str(pages[0]), "--store", str(store), "-q"]) == 0
    said = open_graph(store).query("SELECT ?o WHERE { ?s <urn:kg:test:said> ?o } ORDER BY ?o").as_dicts()
    assert said == [{"o": "kept"}, {"o": "put"}]
    writes = store / StoreFolder(store).current_generation() / "server-writes.jsonl"
    with open(writes, "a", encoding="utf-8") as handle:
        handle.write("{damaged\n")
    assert main(["add", str(pages[2]), "--store", str(store), "-q"]) == 1  # refused: nothing is dropped unasked
    assert [problem.repairable for problem in StoreFolder(store).check()] == [True]
    assert main(["check", "--store", str(store), "--repair", "-q"]) == 0  # the damaged line goes, the others stay
    said = open_graph(store).query("SELECT ?o WHERE { ?s <urn:kg:test:said> ?o } ORDER BY ?o").as_dicts()
    assert said == [{"o": "kept"}, {"o": "put"}]
    assert main(["build", str(pages[1]), "--store", str(store), "--replace", "-q"]) == 0  # a new store: they go
    assert open_graph(store).query("SELECT * WHERE { ?s <urn:kg:test:said> ?o }").as_dicts() == []


def test_a_store_written_before_generations_is_read_and_converted(tmp_path, pages):
    store = tmp_path / "store"
    assert main(["build", str(pages[0]), "--store", str(store), "-q"]) == 0
    before = _graph(store)
    generation = store / StoreFolder(store).current_generation()
    for name in ("config.json", "sources.json", "oxigraph"):
        (generation / name).rename(store / name)
    for name in ("CURRENT", "kg-store.json", "lock"):
        (store / name).unlink()
    shutil.rmtree(generation)
    assert StoreFolder(store).state() == "legacy" and _graph(store) == before
    assert main(["add", str(pages[1]), "--store", str(store), "-q"]) == 0
    assert StoreFolder(store).state() == "store" and not (store / "oxigraph").exists()
    assert _graph(store) == _reference(tmp_path, pages[:2], "after") and _problems(store) == []
