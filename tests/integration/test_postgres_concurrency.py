"""The production instance config on a real PostgreSQL: two batched runs in two OS processes, and
the `linkedin_browser` pool limited to one, so the two capture steps take turns.

DAGSTER_HOME holds deploy/dagster.yaml (its variables point at a throwaway PostgreSQL and the local
stack's S3), its Kubernetes run launcher swapped for Dagster's default (no cluster here), and
the limit is set with the operator's command (`dagster instance concurrency set`). Two paths:

- each run is what a run worker executes, `dagster job execute` over a partition range in its own
  process, bypassing the queue on purpose: the slot is claimed by the run's own executor when the
  step starts, the guarantee that holds however a run is launched, and the waiting run records
  `Step blocked by limit for pool linkedin_browser`. With the limit at 2 the same runs overlap:
  the control that shows the first case can fail.
- runs are queued (`dagster job launch`) and the daemon launches them through the instance's run
  launcher: the second run stays QUEUED until the first capture gives its slot back.

Every process is bounded in time and killed (its process group) if it overruns.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import yaml

from linkedin_assets.assets.partitions import partition_range_tags
from linkedin_assets.assets.pipeline import CAPTURE_POOL
from linkedin_assets.automation import intake
from linkedin_assets.core.storage_layout import StorageLayout
from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.local.sample_site import SampleSite
from linkedin_assets.testing.fault_suite import environment, stack_environment
from linkedin_assets.testing.generated_site import generate_site
from linkedin_assets.testing.postgres import LocalPostgres, PostgresServer
from tests.index_reads import index_item
from tests.integration.local_aws import local_client
from tests.integration.processes import stop_process_group

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
BIN = Path(sys.executable).parent
DEPLOY_YAML = Path(__file__).resolve().parents[2] / "deploy" / "dagster.yaml"
ASSETS = ["profile_screenshots", "profile_text", "profile_json", "profile_index"]
STEP = "profile_pipeline"
JOB = "profile_pipeline_job"
CODE = ["-m", "linkedin_assets.definitions"]
RUN_TAG = "linkedin-assets/pool-test"
PROFILES_PER_RUN = 3
CLI_TIMEOUT_S = 60
RUNS_TIMEOUT_S = 240
# The exact message Dagster's executor logs (an ENGINE_EVENT of the step) while a step waits for a
# pool slot: DagsterEvent.step_concurrency_blocked, repeated as "Step still blocked ..." later.
BLOCKED = f"Step blocked by limit for pool {CAPTURE_POOL}"
STILL_BLOCKED = f"Step still blocked by limit for pool {CAPTURE_POOL}"


@dataclass
class Window:
    """One run's capture step: when it started and ended, and the events saying it waited."""

    run: dg.DagsterRun
    start: float
    end: float
    blocked: list[dg.EventLogEntry]

    def overlaps(self, other: Window) -> bool:
        return self.start < other.end and other.start < self.end


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL of its own for each test (a second to start). Its repr hides the password."""
    with LocalPostgres() as server:
        yield server


def dagster(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(BIN / "dagster"), *args], env=dict(os.environ), capture_output=True, text=True,
        timeout=CLI_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"dagster {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def execute_commands(tags: list[dict[str, str]]) -> list[list[str]]:
    """What a run worker does: `dagster job execute` over the partition range of each tag set."""
    return [["job", "execute", *CODE, "-j", JOB, "--tags", json.dumps(t)] for t in tags]


def run_concurrently(commands: list[list[str]], logs: list[Path]) -> list[int]:
    """Start one `dagster` process per command, all at once; their exit codes, in order."""
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for args, log in zip(commands, logs, strict=True):
            with open(log, "wb") as out:
                processes.append(
                    subprocess.Popen(
                        [str(BIN / "dagster"), *args], env=dict(os.environ), stdout=out,
                        stderr=subprocess.STDOUT, start_new_session=True,
                    )
                )  # fmt: skip
        deadline = time.monotonic() + RUNS_TIMEOUT_S
        for process in processes:
            process.wait(timeout=max(1.0, deadline - time.monotonic()))
        return [process.returncode for process in processes]
    except subprocess.TimeoutExpired:
        tails = "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-4000:]}" for log in logs)
        raise AssertionError(f"still going after {RUNS_TIMEOUT_S}s\n{tails}") from None
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def capture_window(instance: dg.DagsterInstance, run: dg.DagsterRun) -> Window:
    entries = instance.all_logs(run.run_id)
    steps = [e for e in entries if e.step_key == STEP and e.dagster_event is not None]
    [start] = [e.timestamp for e in steps if e.dagster_event_type == dg.DagsterEventType.STEP_START]
    [end] = [e.timestamp for e in steps if e.dagster_event_type == dg.DagsterEventType.STEP_SUCCESS]
    blocked = [
        e for e in steps
        if e.dagster_event_type == dg.DagsterEventType.ENGINE_EVENT
        and e.user_message in (BLOCKED, STILL_BLOCKED)
    ]  # fmt: skip
    return Window(run, start, end, blocked)


@dataclass
class Deployment:
    """The production instance on PostgreSQL, the local stack, and two batches of profiles."""

    environ: dict[str, str]
    instance: dg.DagsterInstance
    halves: list[list[str]]
    tags: list[dict[str, str]]
    workdir: Path

    def runs(self) -> list[dg.DagsterRun]:
        return [
            run
            for run_tags in self.tags
            for run in self.instance.get_runs(dg.RunsFilter(tags={RUN_TAG: run_tags[RUN_TAG]}))
        ]


def instance_yaml(source: Path, run_launcher: dict[str, Any] | None) -> str:
    """``source`` (deploy/dagster.yaml) with its run launcher replaced: ``None`` for Dagster's
    default (a process per run on this machine; no cluster here), else the given section. Every
    other key stays the production file's."""
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    config.pop("run_launcher")
    if run_launcher is not None:
        config["run_launcher"] = run_launcher
    return yaml.safe_dump(config, sort_keys=False)


@contextmanager
def deployment(
    workdir: Path,
    postgres: PostgresServer,
    limit: int,
    *,
    source: Path = DEPLOY_YAML,
    run_launcher: dict[str, Any] | None = None,
) -> Iterator[Deployment]:
    pages = workdir / "site"
    ids = generate_site(pages, 2 * PROFILES_PER_RUN, seed=limit)
    environ = {
        **stack_environment(workdir),
        **postgres.dagster_yaml_env(),
        # One page at a time, a second apart: each capture step lasts several seconds, much
        # longer than the two processes' start-up differs, so the steps would overlap if
        # nothing kept them apart (the limit-2 case shows they do).
        "LINKEDIN_MAX_CONCURRENT_PAGES": "1",
        "LINKEDIN_MIN_DELAY_S": "1",
    }
    # Step output goes to the local stack's S3 (deploy/dagster.yaml's S3ComputeLogManager).
    environ["DAGSTER_COMPUTE_LOG_BUCKET"] = environ["S3_SCREENSHOT_BUCKET_NAME"]
    home = Path(environ["DAGSTER_HOME"])
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text(instance_yaml(source, run_launcher), encoding="utf-8")
    site_port = int(environ["LINKEDIN_BASE_URL"].rsplit(":", 1)[1])
    with (
        environment(environ),
        SampleSite(port=site_port, pages_dir=pages),
        LocalStack(StackSettings.from_environ(environ), persist=False),
        dg.DagsterInstance.from_config(str(home)) as instance,
    ):
        assert isinstance(instance.run_coordinator, dg.QueuedRunCoordinator)
        # The operator's command, against the instance deploy/dagster.yaml describes.
        dagster("instance", "concurrency", "set", CAPTURE_POOL, str(limit))
        info = instance.event_log_storage.get_concurrency_info(CAPTURE_POOL)
        assert (info.slot_count, info.using_default_limit) == (limit, False)

        intake.register(instance, None, ids, base_url=environ["LINKEDIN_BASE_URL"])
        halves = [ids[:PROFILES_PER_RUN], ids[PROFILES_PER_RUN:]]
        tags = [
            {**partition_range_tags(instance, half), RUN_TAG: f"{workdir.name}-{n}"}
            for n, half in enumerate(halves)
        ]
        yield Deployment(environ, instance, halves, tags, workdir)


def finished_windows(deployed: Deployment, logs: list[Path]) -> list[Window]:
    """Both runs succeeded, wrote everything for their own half; their capture windows."""
    instance = deployed.instance
    tails = "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-4000:]}" for log in logs)
    runs = deployed.runs()
    assert len(runs) == 2, tails
    windows: list[Window] = []
    for run, half in zip(sorted(runs, key=lambda r: r.tags[RUN_TAG]), deployed.halves, strict=True):
        assert run.status == dg.DagsterRunStatus.SUCCESS, tails
        materialized = {
            (e.asset_materialization.asset_key.to_user_string(), e.asset_materialization.partition)
            for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
            if e.asset_materialization is not None
        }  # fmt: skip
        assert materialized == {(asset, pid) for asset in ASSETS for pid in half}
        windows.append(capture_window(instance, run))
    ids = [pid for half in deployed.halves for pid in half]
    for asset in ASSETS:
        assert instance.get_materialized_partitions(dg.AssetKey(asset)) == set(ids)
    assert_stored(deployed.environ, ids)
    # Every slot is given back when its step ends.
    assert instance.event_log_storage.get_concurrency_info(CAPTURE_POOL).claimed_slots == []
    return sorted(windows, key=lambda w: w.start)


@pytest.mark.parametrize("limit", [1, 2])
def test_the_browser_pool_caps_capture_steps_across_processes(
    postgres: PostgresServer, limit: int, tmp_path: Path
) -> None:
    with deployment(tmp_path, postgres, limit) as deployed:
        logs = [tmp_path / f"run-{n}.log" for n in range(len(deployed.tags))]
        started = time.monotonic()
        codes = run_concurrently(execute_commands(deployed.tags), logs)
        elapsed = time.monotonic() - started
        assert codes == [0, 0], [log.read_text(errors="replace")[-4000:] for log in logs]
        first, second = finished_windows(deployed, logs)

    if limit == 1:
        # One slot: the second capture started only after the first one ended, and its run
        # recorded why it waited; the first never waited.
        assert not first.overlaps(second), (first, second)
        assert first.blocked == []
        assert second.blocked, "the waiting run recorded no pool block"
        assert second.blocked[0].user_message == BLOCKED
        # Blocked while the first step held the slot (which it claims just before its STEP_START
        # is written, so the block may even be recorded first).
        assert second.blocked[0].timestamp < first.end <= second.start
        event = second.blocked[0].dagster_event
        assert event is not None and event.engine_event_data.metadata["pool"].value == CAPTURE_POOL
    else:
        # The control: with two slots nothing waits and the same two runs overlap, so the
        # assertions above do not hold by construction.
        assert first.overlaps(second), (first, second)
        assert first.blocked == second.blocked == []
    print(
        f"limit {limit}: both runs {elapsed:.1f}s; capture steps "
        + ", ".join(
            f"{w.start - first.start:.1f}-{w.end - first.start:.1f}s" for w in (first, second)
        )
    )


def test_the_run_queue_holds_a_run_whose_pool_is_full(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    """The production path: runs are queued (`dagster job launch`), and the daemon launches them
    through the instance's run launcher. The second run stays QUEUED while the first holds the
    slot, instead of being launched to wait in a run worker."""
    with deployment(tmp_path, postgres, 1) as deployed:
        daemon_log = tmp_path / "daemon.log"
        logs = [daemon_log, *(tmp_path / f"launch-{n}.log" for n in range(len(deployed.tags)))]
        with open(daemon_log, "wb") as out:
            daemon = subprocess.Popen(
                [str(BIN / "dagster-daemon"), "run", *CODE],
                env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        try:
            started = time.monotonic()
            launches = run_concurrently(
                [
                    ["job", "launch", *CODE, "-j", JOB, "--tags", json.dumps(t)]
                    for t in deployed.tags
                ],
                logs[1:],
            )
            assert launches == [0, 0], [log.read_text(errors="replace") for log in logs[1:]]
            wait_until_finished(deployed, logs)
            elapsed = time.monotonic() - started
        finally:
            stop_process_group(daemon)
        first, second = finished_windows(deployed, logs)
        story = timeline(deployed.instance, [first.run, second.run])
        launched = {
            run.run_id: [
                e.timestamp
                for e in deployed.instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_STARTING)
            ]
            for run in (first.run, second.run)
        }  # fmt: skip

    assert not first.overlaps(second), story
    [second_launched] = launched[second.run.run_id]
    # The queue, not the run worker, kept the second run waiting: it was launched only once the
    # first capture had given its slot back, and its step never had to wait for one.
    assert second_launched >= first.end, story
    assert second.blocked == first.blocked == [], story
    daemon_text = daemon_log.read_text(errors="replace")
    assert f"Run {second.run.run_id} is blocked by global concurrency limits" in daemon_text
    print(
        f"queue: both runs {elapsed:.1f}s; second launched {second_launched - first.end:.1f}s "
        "after the first capture ended"
    )


def timeline(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> str:
    """The runs' lifecycle and capture-step events in time order, for failure messages."""
    kinds = {
        dg.DagsterEventType.RUN_ENQUEUED, dg.DagsterEventType.RUN_STARTING,
        dg.DagsterEventType.RUN_START, dg.DagsterEventType.STEP_START,
        dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.RUN_SUCCESS,
    }  # fmt: skip
    entries = sorted(
        (e.timestamp, n, e.dagster_event_type, e.user_message)
        for n, run in enumerate(runs)
        for e in instance.all_logs(run.run_id)
        if e.dagster_event_type in kinds or "blocked by limit" in e.user_message
    )
    origin = entries[0][0] if entries else 0.0
    return "\n".join(
        f"{t - origin:7.2f}s run {n}: {kind.value if kind else ''} {message[:60]}"
        for t, n, kind, message in entries
    )


def wait_until_finished(deployed: Deployment, logs: list[Path]) -> None:
    deadline = time.monotonic() + RUNS_TIMEOUT_S
    while time.monotonic() < deadline:
        runs = deployed.runs()
        if len(runs) == 2 and all(run.is_finished for run in runs):
            return
        time.sleep(1)
    tails = "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-4000:]}" for log in logs)
    raise AssertionError(f"runs not finished after {RUNS_TIMEOUT_S}s\n{tails}")


def assert_stored(environ: dict[str, str], ids: list[str]) -> None:
    s3, dynamodb = local_client("s3", environ), local_client("dynamodb", environ)
    bucket, layout = environ["S3_SCREENSHOT_BUCKET_NAME"], StorageLayout()
    for pid in ids:
        for key in (
            layout.screenshot_key(pid, "profile"), layout.screenshot_key(pid, "activity"),
            layout.capture_html_key(pid, "profile"), layout.profile_key(pid),
            layout.profile_meta_key(pid),
        ):  # fmt: skip
            s3.head_object(Bucket=bucket, Key=key)  # raises for a missing object
        item = index_item(dynamodb, environ["DYNAMODB_PROFILE_TABLE"], pid)
        assert item["text_s3_key"]["S"] == f"profiles/{pid}.json"
