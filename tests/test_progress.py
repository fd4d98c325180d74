"""Progress of long steps: plain calls from the library, bars on a terminal only (issue 16).

The library reports ``progress(stage, done, total)``; the command line draws one bar a stage,
with a count and the time left, on a terminal, and nothing on a pipe or under ``-q``.
"""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import FIXTURES

from kg.cli import main
from kg.pipeline import Target, add, build
from kg.topics import TopicFinder
from kg.validate import validate_graph

PAGES = [str(FIXTURES / n) for n in ("profile_sample.txt", "hf_sample.txt", "lab_sample.txt")]
ROOT = Path(__file__).resolve().parents[1]
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]")


class Recorder:
    """A progress callback that keeps every call, stage by stage."""

    def __init__(self) -> None:
        self.calls: defaultdict[str, list[tuple[int, int | None]]] = defaultdict(list)
        self.order: list[str] = []

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        assert isinstance(stage, str) and isinstance(done, int) and (total is None or isinstance(total, int))
        if stage not in self.calls:
            self.order.append(stage)
        self.calls[stage].append((done, total))

    def check_stages(self) -> dict[str, int]:
        """Every stage counted up, never down, and ended with done == total; the totals."""
        totals = {}
        for stage, calls in self.calls.items():
            counts = [done for done, _ in calls]
            assert counts == sorted(counts), f"{stage}: counts went down: {counts}"
            done, total = calls[-1]
            assert total is not None and done == total, f"{stage} did not end: {calls[-1]}"
            assert all(d <= t for d, t in calls if t is not None), f"{stage}: more done than there are: {calls}"
            totals[stage] = total
        return totals


def test_a_build_reports_each_stage_with_its_count_and_total(tmp_path):
    progress = Recorder()
    out = tmp_path / "g.nt"
    report = build(PAGES, target=Target(output=str(out)), progress=progress)
    totals = progress.check_stages()
    papers = report.counts["kg:Paper"]
    assert totals["reading inputs"] == len(PAGES)
    assert [done for done, _ in progress.calls["reading inputs"]] == [0, 1, 2, 3, 3]  # a call per file read
    assert totals["finding topics"] == papers
    records = report.papers_read  # every record read is a paper here
    assert totals["writing statements"] == records + papers  # each record, then each paper's topics
    assert totals["loading statements"] > 0
    assert totals[f"writing {out}"] == report.statements == len(out.read_text().splitlines())
    assert progress.order[0] == "reading inputs" and progress.order[-1] == f"writing {out}"
    assert "resolving authors" in totals


def test_a_store_build_and_an_add_report_the_store_stages(tmp_path):
    progress = Recorder()
    store = tmp_path / "store"
    report = build(PAGES[:2], target=Target(store=str(store)), progress=progress)
    totals = progress.check_stages()
    assert totals["storing records"] == report.papers_read
    assert totals["saving the store"] == 1
    progress = Recorder()
    added = add(str(store), PAGES[2], progress=progress)
    assert added.change == "added"
    totals = progress.check_stages()
    # The sources already stored are read back; only the new one's records are written.
    assert totals["reading stored records"] == report.papers_read
    assert totals["storing records"] == added.sources[0].papers


def test_many_papers_report_their_count_as_they_go_and_calls_stay_few():
    progress = Recorder()
    papers = [
        (f"A transformer for task {n}", "We train a language model with reinforcement learning.") for n in range(1000)
    ]
    TopicFinder("vocabulary", n_process=1).start(papers, progress).result()
    calls = progress.calls["finding topics"]
    assert progress.check_stages() == {"finding topics": 1000}
    assert 10 < len(calls) <= 210  # reported as it goes, but never once a paper


def test_topics_read_by_workers_report_progress_and_find_the_same(tmp_path):
    papers = [
        (f"Graph neural networks, part {n}", "A transformer with attention for machine translation.") for n in range(80)
    ]
    progress = Recorder()
    in_parallel = TopicFinder("vocabulary", n_process=2).start(papers, progress).result()
    assert progress.check_stages() == {"finding topics": 80}
    assert len(progress.calls["finding topics"]) > 3  # each part of the papers as it ends
    assert in_parallel == TopicFinder("vocabulary", n_process=1).find(papers)


def test_validation_reports_each_shape():
    graph = build(PAGES[:1]).graph
    progress = Recorder()
    assert validate_graph(graph, progress) == []
    totals = progress.check_stages()
    assert totals["preparing the graph"] == 1
    assert totals["validating"] > 10  # one step a shape
    assert progress.order == ["preparing the graph", "validating"]


def test_bars_show_a_count_and_the_time_left():
    from rich.console import Console

    from kg.cli.progress import ProgressBars

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80, color_system=None)
    with ProgressBars(console=console) as bars:
        bars("reading inputs", 0, 40)
        bars("reading inputs", 10, 40)
        bars._progress.refresh()
        drawn = _ESCAPES.sub("", screen.getvalue())
        assert re.search(r"reading inputs\s+\S+\s+10/40\s+eta (\d+:\d\d|-:--)", drawn), drawn
        bars("reading inputs", 40, 40)
        bars("saving the store", 0, None)
        bars("saving the store", 1, 1)
        bars("storing records", 0, 0)  # nothing to do: no bar
    lines = [line for line in _ESCAPES.sub("", screen.getvalue()).splitlines() if line.strip()]
    last = lines[-2:]
    assert re.match(r"reading inputs\s+━+\s+40/40\s+\d+:\d\d$", last[0]), last
    assert re.match(r"saving the store\s+━+\s+1/1\s+\d+:\d\d$", last[1]), last
    assert "storing records" not in screen.getvalue()
    assert all(len(line) <= 80 for line in lines)


def test_no_bars_on_a_pipe_and_none_under_quiet(tmp_path, capsys):
    assert main(["build", *PAGES, "-o", str(tmp_path / "g.ttl")]) == 0
    err = capsys.readouterr().err
    assert err and all(line.startswith("kg: note: ") for line in err.splitlines()), err
    assert main(["build", *PAGES, "-o", str(tmp_path / "g.ttl"), "-q"]) == 0
    assert capsys.readouterr().err == ""


def _on_a_terminal(args: list[str], cwd: Path, columns: int = 80, timeout: float = 120) -> tuple[int, str]:
    """Run ``kg ARGS`` with standard error on a pseudo-terminal of ``columns``; its status and what it drew."""
    import fcntl
    import struct
    import termios

    main_fd, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns)}
    env.pop("FORCE_TERMINAL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 0.5)
            if ready:
                try:
                    data = os.read(main_fd, 65536)
                except OSError:  # the terminal's other end is closed: the command is over
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        status = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main_fd)
    return status, b"".join(chunks).decode("utf-8", "replace")


def _last_frame(drawn: str) -> list[str]:
    """The lines left on the screen at the end: the last drawing of the bars, then the notes."""
    text = _ESCAPES.sub("", drawn).replace("\r\n", "\n")
    frames = text.split("\r")
    return [line for line in frames[-1].split("\n") if line.strip()] if frames else []


@pytest.mark.skipif(not hasattr(pty, "openpty") or sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_build_on_a_terminal_draws_bars_that_end_full(tmp_path):
    status, drawn = _on_a_terminal(["build", *PAGES, "-o", str(tmp_path / "g.ttl")], ROOT)
    assert status == 0, drawn
    screen = _ESCAPES.sub("", drawn)
    lines = _last_frame(drawn)
    bars = {line.split("  ")[0].strip(): line for line in lines if "━" in line}
    assert re.search(r"━\s+3/3\s+\d+:\d\d$", bars["reading inputs"]), lines
    assert re.search(r"━\s+(\d+)/\1\s+\d+:\d\d$", bars["writing statements"]), lines
    assert any(name.startswith("writing ") and name != "writing statements" for name in bars), lines
    assert all(len(line) <= 80 for line in bars.values()), lines  # one line a bar, at 80 columns
    assert "kg: note: " in lines[-1]  # the notes come after the bars, on lines of their own
    assert "Traceback" not in screen


@pytest.mark.skipif(not hasattr(pty, "openpty") or sys.platform == "win32", reason="needs a pseudo-terminal")
def test_quiet_on_a_terminal_draws_nothing(tmp_path):
    status, drawn = _on_a_terminal(["build", *PAGES, "-o", str(tmp_path / "g.ttl"), "-q"], ROOT)
    assert status == 0
    assert _ESCAPES.sub("", drawn).strip() == ""


@pytest.mark.skipif(not hasattr(pty, "openpty") or sys.platform == "win32", reason="needs a pseudo-terminal")
def test_validate_on_a_terminal_shows_its_progress(tmp_path):
    graph = tmp_path / "g.ttl"
    assert main(["build", PAGES[0], "-o", str(graph), "-q"]) == 0
    status, drawn = _on_a_terminal(["validate", str(graph)], ROOT)
    assert status == 0, drawn
    lines = _last_frame(drawn)
    assert any(re.match(r"validating\s+━+\s+(\d+)/\1\s+\d+:\d\d$", line) for line in lines), lines
    assert any(re.match(r"loading \S*g\.ttl\s+━+\s+1/1\s+\d+:\d\d$", line) for line in lines), lines


def test_topics_asked_for_while_a_worker_reads_are_read_here_too_and_counted_once(monkeypatch):
    """A build's one topic worker (a core left to author resolution) is helped once the build asks for the
    topics: the chunks no worker has started are read here, each paper counted once, with the same topics."""
    from kg.topics import finder as finder_module

    monkeypatch.setattr(finder_module, "PARALLEL_MIN_PAPERS", 10)
    monkeypatch.setattr(finder_module.os, "cpu_count", lambda: 2)
    here, read_here = os.getpid(), []
    read = TopicFinder._read_reading

    def counted(self, papers, tally=None):
        if os.getpid() == here:
            read_here.append(len(papers))
        return read(self, papers, tally)

    monkeypatch.setattr(TopicFinder, "_read_reading", counted)
    from kg.progress import Tally

    advanced = defaultdict(int)  # papers counted by each stage, before the stage's end rounds it up
    advance = Tally.advance

    def summed(self, items=1):
        advanced[self.stage] += items
        return advance(self, items)

    monkeypatch.setattr(Tally, "advance", summed)
    papers = [(f"Graph neural networks, part {n}", "A transformer with attention for translation.") for n in range(200)]
    progress = Recorder()
    pending = TopicFinder("vocabulary").start(papers, progress, alongside=True)
    assert pending.in_workers and not read_here
    topics = pending.result()
    assert read_here, "every chunk was waited for"
    assert advanced["finding topics"] == 200
    assert progress.check_stages() == {"finding topics": 200}
    assert topics == TopicFinder("vocabulary", n_process=1).find(papers)
