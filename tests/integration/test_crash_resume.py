"""Kill a batched run with SIGKILL at a random point, then resume: every profile ends complete, no
partial or corrupt object is ever visible under profiles/, and finished profiles are not redone.

The resume is what the system itself does: the refresh schedule selects what is missing or failed
(the killed run is marked failed first, as Dagster's run monitoring does for a vanished worker)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from linkedin_assets.assets.run_report import run_rows
from linkedin_assets.core.documents import validate_document
from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.instance import ensure_dagster_home
from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.local.sample_site import load_sample_profiles
from linkedin_assets.testing.fault_suite import environment, stack_environment
from tests.integration.local_aws import local_client

pytestmark = pytest.mark.integration
IDS = [p.profile_id for p in load_sample_profiles() if p.outcome == "ok"]
RUN_ONE = """
import dagster as dg
from linkedin_assets.definitions import build_definitions
from linkedin_assets.assets.partitions import partition_range_tags
instance = dg.DagsterInstance.get()
ids = instance.get_dynamic_partitions("profiles")
build_definitions("local").resolve_job_def("profile_pipeline_job").execute_in_process(
    instance=instance, tags=partition_range_tags(instance, ids), raise_on_error=False)
"""


def profile_documents(s3, bucket: str) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    keys = [
        o["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="profiles/")
        for o in page.get("Contents", [])
    ]
    return {k: s3.get_object(Bucket=bucket, Key=k)["Body"].read() for k in keys}


def assert_nothing_partial(documents: dict[str, bytes]) -> None:
    for key, body in documents.items():
        data = json.loads(body)  # a half-written object would not parse
        if key.endswith(".meta.json"):
            document_key = key.replace(".meta.json", ".json")
            assert document_key in documents, f"{key} without its document"
            assert data["sha256"] == hashlib.sha256(documents[document_key]).hexdigest()
        else:
            validate_document(data)


def test_sigkill_then_resume_completes_everything_without_redoing_finished_work(
    tmp_path: Path,
) -> None:
    environ = stack_environment(tmp_path)
    # Still concurrent (2 pages, 3 workers), but slow enough for the kill to land mid-run.
    environ.update(LINKEDIN_MAX_CONCURRENT_PAGES="2", PROFILE_UPLOAD_WORKERS="1")
    ensure_dagster_home(environ)
    rng = random.Random(20261124)
    with environment(environ), LocalStack(StackSettings.from_environ(environ), persist=False):
        s3 = local_client("s3", environ)
        bucket = environ["S3_SCREENSHOT_BUCKET_NAME"]
        instance = dg.DagsterInstance.from_config(environ["DAGSTER_HOME"])
        instance.add_dynamic_partitions("profiles", IDS)

        worker = subprocess.Popen(
            [sys.executable, "-c", RUN_ONE],
            env=dict(os.environ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        kill_after = rng.randint(2, 6)  # profiles uploaded before the kill
        deadline = time.monotonic() + 240
        while (
            time.monotonic() < deadline
            and len([k for k in profile_documents(s3, bucket) if not k.endswith(".meta.json")])
            < kill_after
        ):
            time.sleep(0.05 + rng.random() * 0.2)
        time.sleep(rng.random())  # somewhere inside the next profile
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

        before = profile_documents(s3, bucket)
        assert_nothing_partial(before)
        done_before = {
            k[len("profiles/") : -len(".json")] for k in before if not k.endswith(".meta.json")
        }
        assert kill_after <= len(done_before) < len(IDS), "the kill must land mid-run"

        [killed] = instance.get_runs()
        assert killed.status == dg.DagsterRunStatus.STARTED  # the worker vanished mid-run
        instance.report_run_failed(killed)  # what run monitoring does for a vanished worker
        # Finished = indexed and recorded by Dagster before the kill. A profile whose JSON was
        # uploaded but whose index write or events had not happened yet is not finished.
        finished_in_run_one = set(
            instance.get_materialized_partitions(dg.AssetKey("profile_index"))
        )

        defs = build_definitions("local")
        schedule = defs.resolve_schedule_def("profile_refresh_schedule")
        with dg.build_schedule_context(
            instance=instance, scheduled_execution_time=datetime.now(UTC), resources=defs.resources
        ) as context:
            requests = schedule.evaluate_tick(context).run_requests or []
        resumed: list[str] = []
        job = defs.resolve_job_def("profile_pipeline_job")
        for request in requests:
            result = job.execute_in_process(
                instance=instance, tags=request.tags, raise_on_error=False
            )
            assert result.success
            resumed += [
                r.profile_id for r in run_rows(instance, result.run_id, IDS) if r.materialized
            ]

        assert finished_in_run_one <= done_before
        assert not set(resumed) & finished_in_run_one  # finished work was not redone
        assert set(resumed) | finished_in_run_one == set(IDS)
        after = profile_documents(s3, bucket)
        assert_nothing_partial(after)
        assert {k for k in after if not k.endswith(".meta.json")} == {
            f"profiles/{pid}.json" for pid in IDS
        }
        assert instance.get_materialized_partitions(dg.AssetKey("profile_index")) == set(IDS)
