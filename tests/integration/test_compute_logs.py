"""Step output in S3: deploy/dagster.yaml's S3ComputeLogManager, unchanged, against moto's server
over HTTP. A run's step prints to stdout and stderr in its own process (`dagster job execute`, as
a run worker would); both streams land in the bucket under the configured prefix, and a second
instance with an empty local cache (the webserver's, on another machine) reads them back through
the compute log manager, as the UI's captured-logs view does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import yaml

from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.testing.fault_suite import environment, stack_environment
from tests.integration.local_aws import local_client

pytestmark = pytest.mark.integration
DEPLOY_YAML = Path(__file__).resolve().parents[2] / "deploy" / "dagster.yaml"
BIN = Path(sys.executable).parent
STDOUT_LINE = "capture step says: 3 profiles stored"
STDERR_LINE = "capture step warns: one page was slow"


@dg.op
def talkative_step() -> None:
    # What a capture step's libraries print outside Dagster's logger (Playwright, boto3 warnings).
    print(STDOUT_LINE)
    print(STDERR_LINE, file=sys.stderr)


@dg.job
def talkative_job() -> None:
    talkative_step()


def instance_yaml(storage: Path, local_dir: Path) -> str:
    """SQLite storage shared by the two instances; compute_logs exactly as deploy/dagster.yaml
    says, plus where this machine keeps its local copy."""
    production = yaml.safe_load(DEPLOY_YAML.read_text(encoding="utf-8"))
    compute_logs: dict[str, Any] = production["compute_logs"]
    compute_logs["config"]["local_dir"] = str(local_dir)
    return yaml.safe_dump(
        {
            "storage": {"sqlite": {"base_dir": str(storage)}},
            "compute_logs": compute_logs,
            "telemetry": {"enabled": False},
        }
    )


def test_step_output_lands_in_s3_and_reads_back_through_another_instance(tmp_path: Path) -> None:
    environ = {**stack_environment(tmp_path), "DAGSTER_COMPUTE_LOG_BUCKET": "compute-logs"}
    worker_home, web_home = tmp_path / "worker", tmp_path / "web"
    for home, cache in ((worker_home, "worker-cache"), (web_home, "web-cache")):
        home.mkdir()
        (home / "dagster.yaml").write_text(instance_yaml(tmp_path / "storage", tmp_path / cache))
    with environment(environ), LocalStack(StackSettings.from_environ(environ), persist=False):
        s3 = local_client("s3", environ)
        s3.create_bucket(
            Bucket="compute-logs", CreateBucketConfiguration={"LocationConstraint": "us-west-2"}
        )
        result = subprocess.run(
            [str(BIN / "dagster"), "job", "execute", "-f", __file__, "-j", "talkative_job"],
            env={**os.environ, "DAGSTER_HOME": str(worker_home)},
            capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr

        # In the bucket, under the prefix deploy/dagster.yaml sets.
        prefix = yaml.safe_load(DEPLOY_YAML.read_text())["compute_logs"]["config"]["prefix"]
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="compute-logs").get("Contents", [])]
        assert keys and all(key.startswith(f"{prefix}/") for key in keys), keys
        bodies = b"".join(s3.get_object(Bucket="compute-logs", Key=k)["Body"].read() for k in keys)
        assert STDOUT_LINE.encode() in bodies and STDERR_LINE.encode() in bodies

        # Read back as the UI does, by an instance that has no local copy.
        web_cache = tmp_path / "web-cache"
        with dg.DagsterInstance.from_config(str(web_home)) as instance:
            [run] = instance.get_runs()
            [captured] = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.LOGS_CAPTURED)
            assert captured.dagster_event is not None
            file_key = captured.dagster_event.logs_captured_data.file_key
            assert not web_cache.exists() or not any(web_cache.rglob("*.*"))  # nothing local yet
            log = instance.compute_log_manager.get_log_data([run.run_id, "compute_logs", file_key])
        assert any(web_cache.rglob("*.out"))  # downloaded from the bucket to be read
    assert log.stdout is not None and STDOUT_LINE in log.stdout.decode()
    assert log.stderr is not None and STDERR_LINE in log.stderr.decode()
