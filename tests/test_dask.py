"""kg build --dask: a real Dask cluster (two worker processes on loopback) gives the graph a build here gives.

The cluster tests need Dask's ``distributed`` package (kg's ``distributed`` extra) and are skipped
without it, unless KG_REQUIRE names ``dask``. The tests of the seams the cluster uses (topics read in
chunks, author blocks in parts) and of a missing package need no cluster.
"""

from __future__ import annotations

import io
import pickle
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, skip_unless_required

import kg.cluster
from kg.cli import main
from kg.errors import InputError
from kg.extract import extract_paths
from kg.records import AuthorRef, Record, SourceRef
from kg.resolve.papers import is_paper, resolve_papers
from kg.resolve.people import resolve_authors
from kg.store import open_graph
from kg.topics import TopicFinder

PAGES = [str(FIXTURES / name) for name in ("profile_sample.txt", "hf_sample.txt", "lab_sample.txt")]
# Real exports with citations (Web of Science, Crossref), subjects (MEDLINE), keywords and ids (Scopus) and
# arXiv's feeds, each folder with a SOURCE.md that fails alike on both sides.
EXPORTS = ["medline", "wos-plaintext", "scopus-csv", "crossref-references", "arxiv-api-atom"]


def _require_distributed() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        skip_unless_required("dask", "Dask's distributed package is not installed (pip install 'kg[distributed]')")


def _local_cluster(n_workers: int = 2, **config):
    _require_distributed()
    import dask
    import distributed

    with dask.config.set(config):
        # The scheduler serves its HTTP pages even with dashboard_address=None (on 8787, or another port with a
        # warning when that is taken): on loopback, on a free port.
        return distributed.LocalCluster(
            n_workers=n_workers,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        )


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """The scheduler address of a two-worker cluster, closed after the module."""
    local = _local_cluster()
    try:
        yield local.scheduler_address
    finally:
        local.close(timeout=30)


def _build(capsys, *args: str) -> tuple[int, str]:
    status = main(["build", *args])
    return status, capsys.readouterr().err


def _without_cluster_note(err: str) -> str:
    return "".join(line for line in err.splitlines(keepends=True) if "were read on the Dask cluster" not in line)


@pytest.mark.parametrize("extension", [".nq", ".ttl"])
def test_the_fixture_pages_give_the_same_bytes_on_a_cluster(cluster, tmp_path, capsys, extension):
    here, there = tmp_path / f"here{extension}", tmp_path / f"there{extension}"
    status, err_here = _build(capsys, *PAGES, "--as-of", "2026-11-22", "-o", str(here))
    assert status == 0
    status, err_there = _build(capsys, *PAGES, "--as-of", "2026-11-22", "-o", str(there), "--dask", cluster)
    assert status == 0
    assert there.read_bytes() == here.read_bytes() and len(here.read_bytes()) > 10_000
    # The same notes, per input and in the summary; and one more saying where the work ran.
    assert _without_cluster_note(err_there).replace(str(there), str(here)) == err_here
    assert (
        f"kg: note: inputs and topics were read on the Dask cluster at {cluster} (2 worker(s), 2 thread(s))\n"
        in err_there
    )


def test_real_exports_give_the_same_file_and_store_on_a_cluster(cluster, shared_data, seeds, tmp_path, capsys):
    inputs = [str(shared_data / name) for name in EXPORTS] + [str(seeds)]
    status, err_here = _build(capsys, *inputs, "--store", str(tmp_path / "here"), "-o", str(tmp_path / "here.nq"))
    assert status == 1  # each folder's SOURCE.md is in no known format
    status, err_there = _build(
        capsys, *inputs, "--store", str(tmp_path / "there"), "-o", str(tmp_path / "there.nq"), "--dask", cluster
    )
    assert status == 1
    assert (tmp_path / "there.nq").read_bytes() == (tmp_path / "here.nq").read_bytes()
    stored = open_graph(tmp_path / "there").canonical_nquads()
    assert stored == open_graph(tmp_path / "here").canonical_nquads()
    assert stored.count(b"\n") > 100_000 and b"/citation/" in stored and b"scheme/mesh" in stored
    assert _without_cluster_note(err_there).replace("there", "here") == err_here
    assert "kg: error: " + str(shared_data / "medline" / "SOURCE.md") + ": in no known format" in err_there


def test_files_named_from_the_build_s_folder_are_read_there_by_workers_elsewhere_and_stdin_here(
    cluster, tmp_path, monkeypatch, capsys
):
    # The workers' working folder is the one the cluster started in, not this one.
    for page in PAGES:
        shutil.copy(page, tmp_path)
    monkeypatch.chdir(tmp_path)
    names = ["-", *(Path(page).name for page in PAGES[1:])]
    piped = Path(PAGES[0]).read_bytes()
    for out, dask in (("here.nq", ()), ("there.nq", ("--dask", cluster))):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(piped)))
        assert _build(capsys, *names, "--as-of", "2026-11-22", "-o", out, "-q", *dask) == (0, "")
    there = (tmp_path / "there.nq").read_bytes()
    assert there == (tmp_path / "here.nq").read_bytes()
    # The sources as named, not the paths a worker opened.
    assert b'"hf_sample.txt"' in there and b'"<stdin>"' in there and str(tmp_path).encode() not in there


def test_an_unreachable_scheduler_is_one_line_and_nothing_is_written(tmp_path, capsys, monkeypatch):
    _require_distributed()
    monkeypatch.setattr(kg.cluster, "CONNECT_TIMEOUT_S", 1.0)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    with _not_a_scheduler() as stranger:
        for address, why in (
            (closed, "no Dask scheduler answered (OSError: Timed out trying to connect"),
            (stranger, ""),  # what Dask makes of an HTTP answer is its own affair: one line, still
            ("nonsense://127.0.0.1:1", "not an address Dask can reach (ValueError: unknown address scheme"),
        ):
            out, store = tmp_path / "g.nq", tmp_path / "store"
            status, err = _build(capsys, *PAGES, "-o", str(out), "--store", str(store), "--dask", address)
            assert status == 1
            assert err.startswith(f"kg: error: {address}: {why}") and err.count("\n") == 1, err
            assert "Dask scheduler" in err or "Dask can reach" in err
            assert not out.exists() and not store.exists()
    monkeypatch.setattr(kg.cluster, "WORKERS_TIMEOUT_S", 1.0)
    idle = _local_cluster(n_workers=0)
    try:
        status, err = _build(capsys, *PAGES, "-o", str(tmp_path / "g.nq"), "--dask", idle.scheduler_address)
    finally:
        idle.close(timeout=30)
    assert (status, err) == (1, f"kg: error: {idle.scheduler_address}: the Dask scheduler has no worker (waited 1 s)\n")
    assert not (tmp_path / "g.nq").exists()


class _not_a_scheduler:
    """A loopback server that answers every connection with an HTTP error and hangs up."""

    def __enter__(self) -> str:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        return f"tcp://127.0.0.1:{self.server.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.server.close()


@pytest.mark.parametrize(("task", "doing"), [("read_input", "reading inputs"), ("read_topics", "finding topics")])
def test_a_worker_that_dies_fails_the_build_in_one_line_and_leaves_the_store_as_it_was(tmp_path, capsys, task, doing):
    _require_distributed()
    import distributed

    class DieOn(distributed.WorkerPlugin):
        """Ends the worker's process as a task of one kind starts."""

        def __init__(self, prefix: str) -> None:
            self.prefix = prefix

        def transition(self, key, start, finish, **kwargs) -> None:
            if finish == "executing" and str(key).startswith(self.prefix):
                import os

                os._exit(1)

    store, out = tmp_path / "store", tmp_path / "g.nq"
    assert main(["build", PAGES[0], "--store", str(store), "-q"]) == 0
    before = {p: p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}
    # One death is too many: Dask would otherwise run the task again on a new worker, three times.
    local = _local_cluster(**{"distributed.scheduler.allowed-failures": 0})
    try:
        with distributed.Client(local.scheduler_address, set_as_default=False) as client:
            client.register_plugin(DieOn(task))  # a class defined here travels by value
        status, err = _build(capsys, *PAGES, "--store", str(store), "-o", str(out), "--dask", local.scheduler_address)
    finally:
        local.close(timeout=30)
    assert status == 1
    errors = [line for line in err.splitlines() if line.startswith("kg: error: ")]
    assert errors == [line for line in err.splitlines() if not line.startswith("kg: note: ")]
    assert len(errors) == 1 and errors[0].startswith(f"kg: error: {local.scheduler_address}: a Dask worker died")
    assert f"while {doing}" in errors[0] and errors[0].endswith("nothing was written")
    assert not out.exists()
    assert {p: p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()} == before


def test_a_scheduler_that_goes_away_fails_the_build_in_one_line(tmp_path, capsys):
    _require_distributed()
    import distributed

    class Hang(distributed.WorkerPlugin):
        """Holds every task that starts, so that the build is waiting when the cluster goes."""

        def transition(self, key, start, finish, **kwargs) -> None:
            if finish == "executing":
                import time

                time.sleep(60)

    local = _local_cluster()
    address = local.scheduler_address
    with distributed.Client(address, set_as_default=False) as client:
        client.register_plugin(Hang())
    closing = threading.Timer(3.0, local.close)
    closing.start()
    try:
        status, err = _build(capsys, *PAGES, "-o", str(tmp_path / "g.nq"), "--dask", address)
    finally:
        closing.join()
        local.close(timeout=30)
    assert status == 1
    assert err.startswith(f"kg: error: {address}: ") and err.count("\n") == 1, err
    assert "while reading inputs" in err and err.endswith("; nothing was written\n")
    assert not (tmp_path / "g.nq").exists()


def test_without_the_distributed_package_dask_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails, as when it is not installed
    status, err = _build(capsys, *PAGES, "-o", str(tmp_path / "g.nq"), "--dask", "tcp://127.0.0.1:8786")
    assert status == 2
    assert err == "kg: error: --dask needs Dask's distributed package: pip install 'kg[distributed]'\n"
    assert not (tmp_path / "g.nq").exists()


# -- the seams: no cluster needed ------------------------------------------------------------------


def _real_records(shared_data: Path, seeds: Path) -> list[Record]:
    records = []
    for item in extract_paths([str(shared_data / name) for name in (*EXPORTS, "orcid", "dblp-xml-sample")]
                              + [str(seeds), *PAGES]):  # fmt: skip
        if not isinstance(item, InputError):
            records.extend(record for record in item.records if is_paper(record))
    return records


def _pickled(cluster_part, parts):
    """Each part clustered from a pickled copy, as a worker elsewhere would get it."""
    return [cluster_part(pickle.loads(pickle.dumps(part))) for part in parts]


def test_author_resolution_in_parts_by_blocking_key_is_the_one_pass_result(shared_data, seeds):
    records = _real_records(shared_data, seeds)
    papers, _ = resolve_papers(records)
    groups = [paper.records for paper in papers]
    one_pass = resolve_authors(records, None, groups)
    assert len(one_pass.merges) > 1000 and one_pass.splits
    for partitions in (2, 7, 32):
        assert resolve_authors(records, None, groups, partitions=partitions, run_partitions=_pickled) == one_pass


def test_blocks_joined_by_an_identifier_are_clustered_in_one_part():
    """Ann Adams and Ann Smith share an ORCID, so their two blocks are one person's: what joins in the first
    (a namesake who brings a co-author) lets a namesake join in the second. Split apart, the second would
    not see it."""

    def paper(title: str, *names: str, orcid: str | None = None, line: int) -> Record:
        authors = tuple(AuthorRef(name, orcid=orcid if i == 0 else None) for i, name in enumerate(names))
        return Record(title=title, authors=authors, source=SourceRef("list.txt", line, "records"))

    records = [
        paper("Soil carbon in alpine meadows", "Ann Adams", "Bo Chen", orcid="0000-0002-1825-0097", line=1),
        paper("Nitrogen uptake of grasses", "Ann Smith", orcid="0000-0002-1825-0097", line=2),
        paper("Root depth and drought", "Ann Adams", "Bo Chen", "Cy Dunn", line=3),
        paper("Grazing and seed banks", "Ann Smith", "Cy Dunn", line=4),
    ]
    one_pass = resolve_authors(records)
    people = {one_pass.person(r, 0) for r in range(4)}
    assert len(people) == 1, one_pass.display  # the last Ann Smith joined through Cy Dunn, a co-author Adams brought
    for partitions in range(2, 9):
        assert resolve_authors(records, partitions=partitions, run_partitions=_pickled) == one_pass


def test_topics_read_in_chunks_and_ranked_once_are_the_topics_of_one_pass(shared_data, seeds):
    papers, _ = resolve_papers(_real_records(shared_data, seeds))
    texts = [(paper.title, paper.abstract) for paper in papers][:3000]
    for finder in (TopicFinder(n_process=1), TopicFinder("keyphrase", min_papers=2, n_process=1)):
        chunks = [texts[:1], texts[1:700], texts[700:701], texts[701:]]
        assert finder.rank([finder.read(chunk) for chunk in chunks]) == finder.find(texts)
