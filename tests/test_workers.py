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


def test_files_the_kernel_could_not_hand_back_are_an_error_not_a_silent_loss(tmp_path):
    """Past the parent's limit of open files the kernel leaves descriptors out: the parent says so instead of
    going on without part of the child's work."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)

    def job():
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))  # the child opens them; the parent cannot take them
        files = [tempfile.TemporaryFile(dir=tmp_path) for _ in range(150)]  # noqa: SIM115 (handed back open)
        return None, files

    open_now = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 64
    resource.setrlimit(resource.RLIMIT_NOFILE, (open_now + 40, hard))
    try:
        with pytest.raises(ChildProcessError, match="of its 150 files"):
            ForkedJob(job).result()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_an_error_that_would_not_come_back_whole_is_named():
    class Unbuildable(Exception):
        def __init__(self, first, second):
            super().__init__(f"{first} and {second}")

    def job():
        raise Unbuildable("one", "two")

    with pytest.raises(ChildProcessError, match="one and two"):
        ForkedJob(job).result()


def test_the_child_keeps_the_parents_objects_out_of_its_collectors_sight_and_the_result_survives_ignored_sigchld():
    import gc
    import signal

    def job():
        return gc.get_freeze_count(), []

    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reaped by the kernel
    try:
        frozen, _ = ForkedJob(job).result()
    finally:
        signal.signal(signal.SIGCHLD, before)
    assert frozen > 1000 and gc.get_freeze_count() == 0


def test_a_ctrl_c_held_back_across_the_fork_stops_the_helper(monkeypatch):
    """Ctrl-C is held back while kg forks; raised as it is let through, it stops the helper (never left running)."""
    import signal as signals

    here, forked, real_mask = os.getpid(), [], signals.pthread_sigmask
    real_fork = os.fork

    def fork():
        pid = real_fork()
        forked.append(pid)
        return pid

    def mask(how, which):
        previous = real_mask(how, which)
        if os.getpid() == here and how == signals.SIG_SETMASK:
            raise KeyboardInterrupt  # as a Ctrl-C that arrived while it was held back
        return previous

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(signals, "pthread_sigmask", mask)
    with pytest.raises(KeyboardInterrupt):
        ForkedJob(lambda: (time.sleep(30), []))
    monkeypatch.undo()
    assert forked and forked[0] > 0
    with pytest.raises(ProcessLookupError):  # stopped and reaped
        os.kill(forked[0], 0)
