"""The local instance's run launcher: Dagster's default one, plus a health check of each run's
worker process, so that run monitoring fails a run whose process died.

``DefaultRunLauncher`` cannot tell the run-monitoring daemon whether a run's process still lives
(``supports_check_run_worker_health`` is False), so a run whose process was killed (``kill -9``, a
closed laptop lid's OOM, Ctrl-C twice on the demo) stays STARTED for good, and ``linkedin-assets
forget`` refuses every profile it covered. Every run worker records its pid in an engine event
before it does any work: the code server's "Started process for run (pid: N)", the in-process
executor's "Executing steps in process (pid: N)" (``execute_in_process``, which the demo uses,
too). The check reads the first such pid of the run and calls the worker gone when that process no
longer exists, is a zombie, or is another process that took its pid after the run started.

Local only: every run of the local instance runs on this machine. Deployed instances use a launcher
that knows its containers (``K8sRunLauncher``, ``EcsRunLauncher``; docs/deployment.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import dagster as dg

from linkedin_assets._compat import CheckRunHealthResult, WorkerStatus, launcher_instance

# /proc's start time is in clock ticks since boot and the boot time in whole seconds: a process
# is "the same" when it started no later than this long after the event that named it.
START_TIME_SLACK_S: Final = 2.0
PID_KEY: Final = "pid"


def first_worker_pid(entries: Iterable[dg.EventLogEntry]) -> tuple[int, float] | None:
    """The pid the run's worker recorded first, and when; ``None`` if none is recorded yet.

    The first: later pid events may name step subprocesses (the multiprocess executor), which
    end with their step while the run goes on.
    """
    for entry in entries:
        event = entry.dagster_event
        data = event.event_specific_data if event is not None else None
        metadata: Mapping[str, Any] = getattr(data, "metadata", None) or {}
        value = metadata.get(PID_KEY)
        text = getattr(value, "value", value)
        if isinstance(text, str | int) and str(text).isdigit():
            return int(text), entry.timestamp
    return None


def process_started_at(pid: int, proc: Path = Path("/proc")) -> tuple[float, str] | None:
    """When process ``pid`` started (epoch seconds) and its state letter, from Linux's /proc;
    ``None`` where there is no /proc entry for it (gone, or not Linux)."""
    try:
        stat = (proc / str(pid) / "stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in (proc / "stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    # The command name (field 2) may hold spaces and parentheses: fields count from the last ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    state, start_ticks = fields[0], int(fields[19])
    return boot + start_ticks / os.sysconf("SC_CLK_TCK"), state


def worker_status(pid: int, recorded_at: float, proc: Path = Path("/proc")) -> tuple[bool, str]:
    """Whether the worker ``pid`` recorded at ``recorded_at`` still runs, and why not if not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False, f"run worker process {pid} no longer exists"
    except PermissionError:
        pass  # it exists, as another user's process: /proc says whether it is ours
    found = process_started_at(pid, proc)
    if found is None:
        return True, f"run worker process {pid} is running"  # not Linux: existence is all we know
    started_at, state = found
    if state in ("Z", "X"):
        return False, f"run worker process {pid} has exited (not yet reaped by its parent)"
    if started_at > recorded_at + START_TIME_SLACK_S:
        return False, f"run worker process {pid} is gone (the pid now names a newer process)"
    return True, f"run worker process {pid} is running"


class LocalRunLauncher(dg.DefaultRunLauncher):
    """``DefaultRunLauncher`` that can tell run monitoring whether a run's worker is alive."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: dg.DagsterRun) -> CheckRunHealthResult:
        entries = launcher_instance(self).all_logs(
            run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT
        )
        found = first_worker_pid(entries)
        if found is None:
            # Between RUN_START and the worker's first engine event: nothing to judge yet.
            return CheckRunHealthResult(WorkerStatus.RUNNING, "no run worker pid recorded yet")
        pid, recorded_at = found
        alive, why = worker_status(pid, recorded_at)
        return CheckRunHealthResult(
            WorkerStatus.RUNNING if alive else WorkerStatus.FAILED, why, run_worker_id=str(pid)
        )
