"""kg.io.workers: a forked helper's result and files come back, its failure is raised here, and it is stopped
when kg stops it; work claimed from both ends is done once."""

from __future__ import annotations

import os
import tempfile
import time

import pytest

from kg.io.workers import Claims, ForkedJob


def test_a_forked_job_hands_back_its_value_and_the_files_it_wrote_and_leaves_none_on_disk(tmp_path):
    def job():
        files = []
        for number in range(250):  # more than one message of descriptors
            spill = tempfile.TemporaryFile(dir=tmp_path)  # noqa: SIM115 (handed back open)
            spill.write(f"part {number}".encode())
            files.append(spill)
        return {"parts": len(files), "pid": os.getpid()}, files

    value, files = ForkedJob(job).result()
    assert value["parts"] == 250 and value["pid"] != os.getpid()
    contents = []
    for handle in files:
        handle.seek(0)
        contents.append(handle.read())
        handle.close()
    assert contents == [f"part {number}".encode() for number in range(250)]
    assert not list(tmp_path.iterdir())


def test_an_error_in_the_forked_job_is_raised_by_result():
    def job():
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left on device") as raised:
        ForkedJob(job).result()
    assert raised.value.errno == 28


def test_a_forked_job_that_dies_is_an_error_not_a_hang():
    def job():
        os._exit(3)

    with pytest.raises(ChildProcessError, match="stopped before it finished"):
        ForkedJob(job).result()


def test_a_cancelled_job_is_stopped_and_reaped(tmp_path):
    marker = tmp_path / "finished"

    def job():
        time.sleep(30)
        marker.write_text("finished")
        return None, []

    started = time.monotonic()
    forked = ForkedJob(job)
    pid = forked._pid
    forked.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # reaped: no such child any more
        os.waitpid(pid, os.WNOHANG)
    assert not marker.exists()


def test_claims_from_both_ends_by_two_processes_give_every_number_once():
    claims = Claims(10_007, block=13)

    def from_front():
        taken = []
        for block in iter(claims.front, None):
            taken.extend(block)
            time.sleep(0.001)
        return taken, []

    forked = ForkedJob(from_front)
    mine = []
    for block in iter(claims.back, None):
        mine.extend(block)
        time.sleep(0.001)
    theirs, _ = forked.result()
    assert sorted(mine + theirs) == list(range(10_007))
    assert mine and theirs, "both ends took part"
    assert max(theirs) < min(mine)
