"""The bad-input corpus (tests/badinput/make_corpus.py): every case gets its one-line outcome, bounded
in time and memory, never a traceback, and the good inputs beside it still make the graph."""

from __future__ import annotations

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
        assert "Emoji 🧠🔬 title" in titles and "Angle <b>brackets</b> & <img src=x onerror=alert(1)>" in titles
        assert "Lone surrogate \ufffd inside" in titles and "Control  chars" in titles


def test_strict_writes_nothing(corpus, tmp_path):
    folder, _ = corpus
    out = tmp_path / "strict.ttl"
    out.write_text("previous content\n")
    done = kg("build", str(folder), "-o", str(out), "--strict", "--topics", "none")
    assert done.returncode == 1 and "--strict" in done.stderr
    assert out.read_text() == "previous content\n"


def test_kill_9_leaves_the_previous_output_intact(tmp_path):
    import json

    records = tmp_path / "many.jsonl"
    with records.open("w", encoding="utf-8") as handle:
        for i in range(30_000):
            handle.write(json.dumps({"title": f"Paper number {i}", "authors": [{"name": f"Author {i % 500} Lee"}],
                                     "authors_truncated": False, "author_count": None, "date_inferred": False,
                                     "abstract": "reinforcement learning " * 20, "source": None}) + "\n")  # fmt: skip
    out = tmp_path / "out.ttl"
    out.write_bytes(b"# the previous graph\n")
    for delay in (0.5, 1.5, 3.0, 5.0):
        process = subprocess.Popen([sys.executable, "-m", "kg", "build", str(records), "-o", str(out), "-q"])
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert _no_process_mentions(str(records)), "a worker of the killed build is still running"
        content = out.read_bytes()
        # Either the old file, untouched, or (if the build finished in time) a complete new graph.
        assert (
            content == b"# the previous graph\n"
            or len(list(pyoxigraph.parse(content, format=pyoxigraph.RdfFormat.TURTLE))) > 0
        )


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
