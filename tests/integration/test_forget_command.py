"""`linkedin-assets forget` against the local stack: a captured profile's data is gone everywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.instance import ensure_dagster_home
from linkedin_assets.local.sample_site import load_sample_profiles
from tests.index_reads import index_item
from tests.integration.local_aws import local_client

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent


def test_forget_deletes_objects_item_and_partition(stack: dict[str, str]) -> None:
    pid = [p.profile_id for p in load_sample_profiles() if p.outcome == "ok"][2]
    ensure_dagster_home(stack)
    instance = dg.DagsterInstance.from_config(stack["DAGSTER_HOME"])
    instance.add_dynamic_partitions("profiles", [pid])
    result = (
        build_definitions("local")
        .resolve_job_def("profile_pipeline_job")
        .execute_in_process(instance=instance, partition_key=pid, raise_on_error=False)
    )
    assert result.success
    s3, ddb = local_client("s3", stack), local_client("dynamodb", stack)

    def keys() -> list[str]:
        return [
            o["Key"]
            for o in s3.list_objects_v2(Bucket=stack["S3_SCREENSHOT_BUCKET_NAME"]).get(
                "Contents", []
            )
            if pid in o["Key"]
        ]

    assert len(keys()) >= 6

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "linkedin-assets"), "forget", *args],
            env={**os.environ, **stack},
            capture_output=True,
            text=True,
            timeout=120,
        )

    dry = run(pid, "--dry-run")
    assert dry.returncode == 0 and "would delete" in dry.stdout and len(keys()) >= 6
    done = run(pid)
    assert done.returncode == 0, done.stderr
    assert f"profiles/{pid}.json" in done.stdout
    assert keys() == []
    assert index_item(ddb, stack["DYNAMODB_PROFILE_TABLE"], pid, missing_ok=True) is None
    assert pid not in dg.DagsterInstance.from_config(stack["DAGSTER_HOME"]).get_dynamic_partitions(
        "profiles"
    )
    bad = run("../etc/passwd")
    assert bad.returncode != 0 and "invalid profile URL" in bad.stderr
