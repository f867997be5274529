"""local/run_launcher.py: which pid is a run's worker, and whether that process still lives."""

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import dagster as dg
import pytest

from linkedin_assets.local.run_launcher import (
    first_worker_pid,
    process_started_at,
    worker_status,
)


def engine_event(pid: str | None, timestamp: float) -> Any:
    """An engine event as first_worker_pid reads one (Dagster's EngineEventData is not public;
    the real format is read back from an instance below)."""
    metadata = {} if pid is None else {"pid": dg.MetadataValue.text(pid)}
    data = SimpleNamespace(metadata=metadata)
    return SimpleNamespace(
        timestamp=timestamp, dagster_event=SimpleNamespace(event_specific_data=data)
    )


def test_the_first_recorded_pid_is_the_run_worker() -> None:
    entries = [
        engine_event(None, 1.0),  # an engine event without a pid
        engine_event("4242", 2.0),  # "Started process for run (pid: 4242)."
        engine_event("5151", 3.0),  # a step's subprocess (multiprocess executor)
    ]
    assert first_worker_pid(entries) == (4242, 2.0)


def test_no_pid_recorded_yet_is_none() -> None:
    assert first_worker_pid([engine_event(None, 1.0)]) is None
    assert first_worker_pid([]) is None


def test_the_pid_this_process_wrote_through_dagster_is_found(tmp_path: Path) -> None:
    # What the in-process executor records, read back from a real instance: the format is Dagster's.
    @dg.op
    def noop() -> None:
        pass

    @dg.job
    def tiny() -> None:
        noop()

    with dg.DagsterInstance.ephemeral() as instance:
        result = tiny.execute_in_process(instance=instance)
        entries = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
    found = first_worker_pid(entries)
    assert found is not None and found[0] == os.getpid()


def test_a_running_process_is_alive() -> None:
    assert worker_status(os.getpid(), time.time()) == (
        True, f"run worker process {os.getpid()} is running"
    )  # fmt: skip


def test_a_killed_and_reaped_process_is_gone() -> None:
    # The child's sleep is the behaviour under test: a worker alive until it is killed.
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    recorded_at = time.time()
    process.kill()
    process.wait(timeout=30)
    alive, why = worker_status(process.pid, recorded_at)
    assert not alive and "no longer exists" in why


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux's /proc")
def test_a_killed_process_its_parent_has_not_reaped_is_gone() -> None:
    # The child's sleep is the behaviour under test: a worker alive until it is killed.
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        recorded_at = time.time()
        process.kill()
        deadline = time.monotonic() + 30
        while (found := process_started_at(process.pid)) is not None and found[1] != "Z":
            assert time.monotonic() < deadline, "the killed child never became a zombie"
            # Polls /proc: the kernel offers no event for "the child is now a zombie".
            time.sleep(0.05)
        alive, why = worker_status(process.pid, recorded_at)
        assert not alive and "has exited" in why
    finally:
        process.wait(timeout=30)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux's /proc")
def test_a_pid_taken_by_a_newer_process_is_not_the_worker() -> None:
    # An event recorded an hour before this process started cannot have been written by it: the
    # pid was reused.
    started_at, state = process_started_at(os.getpid()) or (0.0, "")
    assert state in ("R", "S")
    alive, why = worker_status(os.getpid(), started_at - 3600)
    assert not alive and "newer process" in why
