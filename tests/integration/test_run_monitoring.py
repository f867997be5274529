"""Run monitoring on the local instance: a run whose worker is SIGKILLed is failed by the daemon,
and `linkedin-assets forget` works again after that.

Real pieces only: the local stack (moto's server over HTTP), the local instance's dagster.yaml as
every command writes it, `dagster-daemon`, a run of the main job in its own process (as the demo
runs it) held at its first page load by a site that never answers, and the CLI. Every wait has a
deadline; the processes are stopped at the end.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from linkedin_assets.automation import intake
from linkedin_assets.local.instance import RUN_MONITORING_POLL_S, ensure_dagster_home
from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.local.run_launcher import first_worker_pid
from linkedin_assets.local.sample_site import load_sample_profiles
from tests.integration.conftest import stack_environ
from tests.integration.processes import stop_process_group

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent
PROFILE = next(p.profile_id for p in load_sample_profiles() if p.outcome == "ok")
# The daemon looks every RUN_MONITORING_POLL_S seconds; the rest is slack for a loaded machine,
# not a timing claim: the figure itself is printed.
FAILED_WITHIN_S = RUN_MONITORING_POLL_S + 55
WORKER = """
import sys
import dagster as dg
from linkedin_assets.commands.demo import pipeline_definitions, run_profiles
with dg.DagsterInstance.get() as instance:
    run_profiles(instance, pipeline_definitions(), sys.argv[1:])
"""


@contextmanager
def silent_site() -> Iterator[str]:
    """A site on 127.0.0.1 that takes connections and never answers: the run waits on its first
    page load (up to LINKEDIN_NAVIGATION_TIMEOUT_S) until it is killed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def wait_for(what: str, check: Callable[[], Any], timeout_s: float, logs: list[Path]) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    tails = "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-4000:]}" for log in logs)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}\n{tails}")


def forget(environ: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linkedin_assets.commands.cli", "forget", PROFILE],
        env=environ, cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_a_killed_run_is_failed_by_run_monitoring_and_can_then_be_forgotten(
    tmp_path: Path,
) -> None:
    environ = {**os.environ, **stack_environ(tmp_path)}
    ensure_dagster_home(environ)
    daemon_log, worker_log = tmp_path / "daemon.log", tmp_path / "worker.log"
    logs = [daemon_log, worker_log]
    started: list[subprocess.Popen[bytes]] = []
    with (
        LocalStack(StackSettings.from_environ(environ), persist=False),
        silent_site() as silent_url,
        dg.DagsterInstance.from_config(environ["DAGSTER_HOME"]) as instance,
        open(daemon_log, "wb") as daemon_out,
        open(worker_log, "wb") as worker_out,
    ):
        intake.register(instance, None, [PROFILE])
        try:
            started.append(
                subprocess.Popen(
                    [str(BIN / "dagster-daemon"), "run", "-m", "linkedin_assets.definitions"],
                    env=environ,
                    cwd=tmp_path,
                    stdout=daemon_out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
            worker_env = {
                **environ,
                "LINKEDIN_BASE_URL": silent_url,
                "LINKEDIN_NAVIGATION_TIMEOUT_S": "600",
            }
            worker = subprocess.Popen(
                [sys.executable, "-c", WORKER, PROFILE],
                env=worker_env, cwd=tmp_path, stdout=worker_out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            started.append(worker)

            def started_run() -> dg.DagsterRun | None:
                runs = instance.get_runs()
                if not runs or runs[0].status != dg.DagsterRunStatus.STARTED:
                    return None
                entries = instance.all_logs(
                    runs[0].run_id, of_type=dg.DagsterEventType.ENGINE_EVENT
                )
                return runs[0] if first_worker_pid(entries) else None

            run = wait_for("the run to start in its worker", started_run, 300, logs)
            entries = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
            assert first_worker_pid(entries) is not None
            assert first_worker_pid(entries)[0] == worker.pid  # type: ignore[index]
            wait_for(
                "the daemon's run monitoring",
                lambda: "MONITOR" in str(list(instance.get_daemon_heartbeats())).upper(),
                300,
                logs,
            )

            # While the run is alive, forget refuses its profile.
            refused = forget(environ, tmp_path)
            assert refused.returncode == 1, refused.stdout + refused.stderr
            assert "unfinished runs cover profiles" in refused.stdout + refused.stderr

            os.killpg(worker.pid, signal.SIGKILL)  # the worker and everything it started
            worker.wait(timeout=30)
            killed_at = time.monotonic()
            failed = wait_for(
                "run monitoring to fail the killed run",
                lambda: (
                    (r := instance.get_run_by_id(run.run_id)) is not None
                    and r.status == dg.DagsterRunStatus.FAILURE
                ),
                FAILED_WITHIN_S,
                logs,
            )
            print(f"killed run failed after {time.monotonic() - killed_at:.1f}s")
            assert failed
            messages = [e.message for e in instance.all_logs(run.run_id) if e.message is not None]
            assert any(f"run worker process {worker.pid}" in m for m in messages), messages[-5:]

            forgotten = forget(environ, tmp_path)
            assert forgotten.returncode == 0, forgotten.stdout + forgotten.stderr
            assert PROFILE not in instance.get_dynamic_partitions("profiles")
        finally:
            for process in reversed(started):
                stop_process_group(process)
