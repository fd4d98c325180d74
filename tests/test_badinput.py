"""The bad-input corpus (tests/badinput/make_corpus.py): every case gets its one-line outcome, bounded
in time and memory, never a traceback, and the good inputs beside it still make the graph."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

sys.path.insert(0, str(Path(__file__).parent / "badinput"))
import make_corpus

LIMIT_SECONDS = 120
LIMIT_BYTES = 4 * 1024**3


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def kg(*args: str, timeout: int = LIMIT_SECONDS) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=_limits)  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("corpus")
    return folder, make_corpus.write(folder)


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    folder, _ = corpus
    out = tmp_path_factory.mktemp("out") / "graph.ttl"
    started = time.monotonic()
    done = kg("build", str(folder), "-o", str(out), "--topics", "none")
    return done, out, time.monotonic() - started


def test_no_traceback_and_the_good_inputs_still_build(built):
    done, out, seconds = built
    assert "Traceback" not in done.stderr and done.returncode == 1
    assert seconds < LIMIT_SECONDS
    quads = list(pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.TURTLE))
    titles = {q.object.value for q in quads if q.predicate.value.endswith("#title")}
    assert "On Using Monolingual Corpora" in titles and "XXE fixture" in titles


def test_every_case_has_its_outcome(corpus, built):
    folder, expected = corpus
    done, _, _ = built
    prefix = "kg: error: "
    errors = {
        line[len(prefix) :].split(": ", 1)[0]: line for line in done.stderr.splitlines() if line.startswith(prefix)
    }
    for name, outcome in expected.items():
        path = str(folder / name)
        if outcome.startswith("ok"):
            assert path not in errors, errors.get(path)
        else:
            assert path in errors, f"{name}: no error reported"
            assert len(errors[path].splitlines()) == 1
            if outcome != "bounded":
                assert outcome in errors[path], errors[path]


def test_xxe_reads_no_local_file_and_billion_laughs_is_refused(built):
    done, out, _ = built
    assert "root:" not in out.read_text(encoding="utf-8")
    laughs = next(line for line in done.stderr.splitlines() if "billion-laughs" in line)
    assert "amplification" in laughs or "entity" in laughs


def test_hostile_text_survives_every_serialization(corpus, tmp_path):
    folder, _ = corpus
    for extension in (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"):
        out = tmp_path / f"hostile{extension}"
        done = kg(
            "build", str(folder / "hostile.jsonl"), str(folder / "script.html"), "-o", str(out), "--topics", "none"
        )
        assert done.returncode == 0, done.stderr
        rdf_format = pyoxigraph.RdfFormat.from_extension(extension[1:])
        titles = {q.object.value for q in pyoxigraph.parse(path=str(out), format=rdf_format)
                  if q.predicate.value.endswith("#title")}  # fmt: skip
        # Styling tags are decoded away; anything else in angle brackets is text, kept and escaped.
        assert "Emoji 🧠🔬 title" in titles and "Angle brackets & <img src=x onerror=alert(1)>" in titles
        # A control character is a space, collapsed with the one beside it, as in the record a store keeps.
        assert "Lone surrogate \ufffd inside" in titles and "Control chars" in titles


def test_strict_writes_nothing(corpus, tmp_path):
    folder, _ = corpus
    out = tmp_path / "strict.ttl"
    out.write_text("previous content\n")
    done = kg("build", str(folder), "-o", str(out), "--strict", "--topics", "none")
    assert done.returncode == 1 and "--strict" in done.stderr
    assert out.read_text() == "previous content\n"


def test_kill_9_leaves_the_previous_output_or_the_complete_one(tmp_path):
    """SIGKILL ``kg build`` before it writes, as it starts writing, half way and at the end of the write.

    After each kill the output is the previous file, byte for byte, or (only if the build had finished
    writing) byte-identical to a complete build of the same inputs with the same options. A partial graph
    that happens to parse is a failure. Kills land while writing because the test watches the output's
    folder: the build writes a temporary file beside the output (or, wrongly, the output itself) and the
    test kills it when that has reached a share of the complete output's size.
    """
    records = _many_records(tmp_path / "many.jsonl")
    options = ["-q"]

    def start(out: Path) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "kg", "build", str(records), "-o", str(out), *options])

    (tmp_path / "complete").mkdir()
    complete = start(tmp_path / "complete" / "out.ttl")
    assert complete.wait(timeout=LIMIT_SECONDS) == 0
    reference = (tmp_path / "complete" / "out.ttl").read_bytes()
    previous = b"# the previous graph\n"
    assert reference and reference != previous

    killed_while_writing = 0
    # None: a fixed early delay (before the write); a number: that share of the complete output written.
    for stage, share in enumerate((None, 0.0, 0.5, 1.0)):
        folder = tmp_path / f"kill-{stage}"
        folder.mkdir()
        out = folder / "out.ttl"
        out.write_bytes(previous)
        process = start(out)
        written = None
        if share is None:
            time.sleep(0.5)
            written = _written(folder, out, previous)
        else:
            deadline = time.monotonic() + LIMIT_SECONDS
            while process.poll() is None and time.monotonic() < deadline:
                written = _written(folder, out, previous)
                if written is not None and written >= share * len(reference):
                    break
                time.sleep(0.002)
        alive = process.poll() is None
        process.send_signal(signal.SIGKILL)  # nothing is sent once the build has finished and been waited for
        process.wait()
        assert _no_process_mentions(str(records)), "a worker of the killed build is still running"
        assert out.exists(), f"stage {stage}: the output is gone after kill -9"
        content = out.read_bytes()
        if alive and (written is None or written < len(reference)):
            # Killed before the write was complete: only the previous file may be there.
            killed_while_writing += written is not None
            assert content == previous, f"stage {stage}: killed at {written} of {len(reference)} bytes written"
        else:
            assert content in (previous, reference), f"stage {stage}: neither the previous nor the complete graph"
    assert killed_while_writing, "no kill landed while kg build was writing: the test no longer tests that"


def test_sigterm_while_a_file_is_written_stops_kg_as_ctrl_c_does_and_leaves_no_temporary_file(tmp_path):
    """``kill`` (SIGTERM) during the write of a graph file: kg says it was interrupted (exit status 130, no
    traceback), the previous file is untouched, and the temporary file it was writing is gone."""
    records = _many_records(tmp_path / "many.jsonl")
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "out.ttl"
    previous = b"# the previous graph\n"
    out.write_bytes(previous)
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", str(records), "-o", str(out), "-q"],
                               stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + LIMIT_SECONDS
    while process.poll() is None and time.monotonic() < deadline and _written(folder, out, previous) is None:
        time.sleep(0.002)
    assert process.poll() is None, "the build ended before it began to write: the test no longer tests that"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=LIMIT_SECONDS)
    assert process.returncode == 130 and b"kg: error: interrupted" in err and b"Traceback" not in err, err[-2000:]
    assert [entry.name for entry in folder.iterdir()] == ["out.ttl"] and out.read_bytes() == previous
    assert _no_process_mentions(str(records)), "a worker of the stopped build is still running"


def test_an_interrupt_just_after_the_temporary_file_is_made_still_removes_it(tmp_path, monkeypatch):
    """The moment the SIGTERM test above can hit: the temporary file exists but its maker has not yet
    returned (``tempfile.mkstemp`` left such files behind). Ctrl-C there must still cost nothing."""
    from kg.io import outputs

    out = tmp_path / "out.nq"
    out.write_bytes(b"previous\n")
    real_open = os.open

    def open_then_interrupt(path, flags, mode=0o777):
        real_open(path, flags, mode)
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt), outputs.atomic_write(out) as handle:
        handle.write(b"never\n")
    assert [entry.name for entry in tmp_path.iterdir()] == ["out.nq"] and out.read_bytes() == b"previous\n"


def test_a_scratch_store_left_by_kill_9_is_removed_by_the_next_build(tmp_path):
    """A TriG build past the on-disk threshold works in a scratch store in the system's temporary folder; kill -9
    leaves it there (nothing runs to remove it), and the next such build removes it once it is stale."""
    records = _many_records(tmp_path / "many.jsonl")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    build = ("import sys, kg.pipeline; kg.pipeline.ON_DISK_RECORDS = 100; from kg.cli import main; "
             "sys.exit(main(sys.argv[1:]))")  # fmt: skip
    command = [sys.executable, "-c", build, "build", str(records), "-o", str(tmp_path / "out.trig"), "-q"]
    environment = {**os.environ, "TMPDIR": str(scratch)}
    process = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE)
    deadline = time.monotonic() + LIMIT_SECONDS
    while process.poll() is None and time.monotonic() < deadline and not list(scratch.glob("kg-build-*/*")):
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    left = list(scratch.glob("kg-build-*"))
    assert left, "the build did not reach its scratch store before it was killed: the test no longer tests that"
    for folder in left:
        os.utime(folder, (0, 0))  # as if it had been left long ago
    done = subprocess.run(command, env=environment, capture_output=True, timeout=LIMIT_SECONDS)
    assert done.returncode == 0, done.stderr[-2000:]
    assert list(scratch.iterdir()) == [], "the killed build's scratch store is still there"


def test_sigterm_while_topics_are_read_in_workers_ends_kg_and_a_second_one_ends_it_at_once(tmp_path):
    """``kill`` while worker processes read the papers' topics: kg stops without reading the rest of the corpus,
    and a second ``kill`` while it cleans up ends it outright (it once waited forever on its workers)."""
    records = _many_records(tmp_path / "many.jsonl")
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", str(records), "-o", str(tmp_path / "out.nq"),
                                "-q"], stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + LIMIT_SECONDS
    while process.poll() is None and time.monotonic() < deadline and not _children(process.pid):
        time.sleep(0.01)
    time.sleep(1.0)  # every worker forked (a signal inside fork's own handlers is ignored; a second one is not)
    assert process.poll() is None, "the build ended before its topic workers started: the test no longer tests that"
    process.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=LIMIT_SECONDS)
    assert process.returncode in (130, -signal.SIGTERM) and b"kg: error: interrupted" in err
    assert _no_process_mentions(str(records)), "a topic worker of the stopped build is still running"
    assert not (tmp_path / "out.nq").exists()


def _children(pid: int) -> list[str]:
    """The child processes of ``pid`` (Linux /proc; none elsewhere)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children += task.read_text().split()
        except OSError:
            continue
    return children


def _many_records(path: Path) -> Path:
    """10,000 papers as kg JSON Lines: a build of them takes seconds."""
    import json

    with path.open("w", encoding="utf-8") as handle:
        for i in range(10_000):
            handle.write(json.dumps({"title": f"Paper number {i}", "authors": [{"name": f"Author {i % 500} Lee"}],
                                     "authors_truncated": False, "author_count": None, "date_inferred": False,
                                     "abstract": "reinforcement learning " * 20, "source": None}) + "\n")  # fmt: skip
    return path


def _written(folder: Path, out: Path, previous: bytes) -> int | None:
    """Bytes a build has written into ``folder``: the largest new file there, or ``out`` once it is not
    ``previous`` any more; None while nothing is written."""
    sizes = []
    for entry in folder.iterdir():
        try:
            size = entry.stat().st_size
            if entry == out and size == len(previous) and entry.read_bytes() == previous:
                continue  # the previous output, untouched
        except OSError:  # renamed or removed between the listing and the look
            continue
        sizes.append(size)
    return max(sizes, default=None)


def _no_process_mentions(text: str, wait_s: float = 10.0) -> bool:
    """True once no running process has ``text`` in its command line (Linux /proc; True elsewhere)."""
    from pathlib import Path

    deadline = time.monotonic() + wait_s
    while True:
        alive = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if text.encode() in cmdline.read_bytes():
                    alive.append(cmdline)
            except OSError:
                continue
        if not alive or time.monotonic() > deadline:
            return not alive
        time.sleep(0.2)


@pytest.mark.slow
def test_huge_inputs_are_bounded(tmp_path):
    """A 100 MB single line and a million tiny records: bounded time and memory (run with -m slow)."""
    expected = make_corpus.write(tmp_path, big=True)
    line = kg("extract", "-q", str(tmp_path / "one-100mb-line.txt"))
    assert line.returncode == 1 and expected["one-100mb-line.txt"] in line.stderr and "Traceback" not in line.stderr
    many = kg("extract", "-q", str(tmp_path / "million-records.csv"), timeout=300)
    assert many.returncode == 0 and many.stdout.count("\n") == 1_000_000


def test_rdfxml_graph_files_cannot_expand_without_bound(tmp_path):
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))  # a billion "lol"s
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY l0 "lol">{laughs}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="http://x/a"><rdf:value>&l9;</rdf:value></rdf:Description></rdf:RDF>'
    )
    external = tmp_path / "external.rdf"
    external.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
    for path, reason in ((bomb, "could expand without bound"), (external, "could read other files")):
        done = kg("stats", str(path))
        assert done.returncode == 1 and done.stderr.count("\n") == 1 and reason in done.stderr
    # Entities that only name namespaces, as ontology editors write them, are fine.
    protege = tmp_path / "protege.rdf"
    protege.write_text(
        '<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY ex "http://example.org/#">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="&ex;a"><rdf:value>v</rdf:value></rdf:Description></rdf:RDF>'
    )
    done = kg("stats", str(protege))
    assert done.returncode == 0, done.stderr


def test_a_file_name_cannot_forge_an_error_line(tmp_path):
    forged = tmp_path / "x\nkg: error: other.txt: empty file"
    forged.write_text("nothing that looks like papers here\n")
    done = kg("extract", str(forged))
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1 and "x\\nkg: error: other.txt" in errors[0]


def test_a_utf8_file_cut_short_keeps_what_decodes(tmp_path):
    path = tmp_path / "cut.ris"
    path.write_bytes("TY  - JOUR\nTI  - Café naïve\nER  - \n\nTY  - JOUR\nTI  - Second ü".encode()[:-1])
    done = kg("extract", str(path))
    assert done.returncode == 0
    titles = [json.loads(line)["title"] for line in done.stdout.splitlines()]
    assert titles == ["Café naïve", "Second"]  # not read as Windows-1252 ("CafÃ©")
    assert "its last 1 byte(s) left out" in done.stderr


def test_a_long_inline_query_is_a_query_not_a_file_name(tmp_path):
    graph = tmp_path / "g.nt"
    graph.write_text('<http://x/a> <http://x/p> "v" .\n')
    done = kg("query", str(graph), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } " + "#" * 5000, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["bindings"][0]["n"]["value"] == "1"


def test_links_out_of_an_input_folder_are_not_followed(tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    (private / "secret.json").write_text(json.dumps([{"title": "A private paper", "authors": ["Ann Lee"]}]))
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "page.json").write_text(json.dumps([{"title": "A public paper", "authors": ["Bo Chen"]}]))
    (folder / "inner.json").symlink_to(folder / "page.json")  # a link inside the folder: read
    (folder / "leak.json").symlink_to(private / "secret.json")
    done = kg("extract", str(folder))
    titles = [json.loads(line)["title"] for line in done.stdout.splitlines()]
    assert titles == ["A public paper", "A public paper"] and done.returncode == 1
    assert "leak.json: a link to a file outside the folder; not followed (follow it with --follow-links)" in done.stderr
    followed = kg("extract", str(folder), "--follow-links")
    assert followed.returncode == 0 and "A private paper" in followed.stdout
