"""The README's first command, as a user runs it: `linkedin-assets demo`, twice (the second time the
local stack restarts and replays its recording, so the data survived)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import boto3
import dagster as dg
import pytest

from linkedin_assets.local.sample_site import load_sample_profiles
from tests.integration.conftest import stack_environ

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent


def run_demo(environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "linkedin-assets"), "demo"],
        env={**os.environ, **environ}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_demo_runs_every_sample_profile_and_keeps_data_across_restarts(tmp_path: Path) -> None:
    environ = stack_environ(tmp_path)
    for name in ("S3_PROFILE_TEXT_BUCKET_NAME",):
        environ.pop(name)
    samples = load_sample_profiles()

    first = run_demo(environ)
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    assert f"{len(samples)} of {len(samples)} profiles as expected" in first.stdout
    assert "(moto, fresh)" in first.stdout
    # The sample site's 404 and auth wall are recorded, not failures: a green run, no trace.
    assert "Traceback" not in first.stdout + first.stderr
    assert "recorded as expected" in first.stdout and "failed as expected" not in first.stdout
    assert " - ERROR - " not in first.stderr
    # The reports are materialized too, and the closing table says where to look.
    assert "(profile_store_audit, upload_metrics)" in first.stdout
    assert "http://127.0.0.1:3000/assets/profile_store_audit" in first.stdout
    for sample in samples:
        assert sample.profile_id in first.stdout
    assert (tmp_path / "moto-recording.jsonl").stat().st_size > 0
    # The local queue heard of each published document once (its upload record is skipped).
    published = sum(1 for sample in samples if sample.outcome == "ok")
    # Each upload record is written twice since it says how far the profile got: `extracted` when
    # the document is published, then `indexed` (profile_json.record_indexed).
    assert (
        f"ingestion events (linkedin-profile-events-local): {published} for the {published} "
        f"documents this run published, {2 * published} upload records skipped; one each"
    ) in first.stdout, first.stdout[-4000:]

    second = run_demo(environ)
    assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-4000:]
    assert "(moto, replayed)" in second.stdout
    assert f"registered {len(samples)} sample profiles (0 new partitions)" in second.stdout
    # The replayed uploads' events are not this run's, and every document is unchanged: nothing
    # was published, so there is nothing to match one to one.
    assert (
        "ingestion events (linkedin-profile-events-local): 0 for the 0 documents this run "
        "published, "
    ) in second.stdout, second.stdout[-4000:]
    assert "; nothing published, nothing heard" in second.stdout, second.stdout[-4000:]
    # Both runs are in the same Dagster instance, as `dagster dev` on that DAGSTER_HOME shows them.
    runs = list((tmp_path / "dagster_home" / "storage").iterdir())
    assert len(runs) >= 2
    instance = dg.DagsterInstance.from_config(str(tmp_path / "dagster_home"))
    try:
        records = instance.get_runs()
        # Two demos, each a pipeline run and a reports run: every one of them a success.
        assert len(records) == 4
        assert {r.status for r in records} == {dg.DagsterRunStatus.SUCCESS}
        for key in ("profile_store_audit", "upload_metrics"):
            assert instance.get_latest_materialization_event(dg.AssetKey(key)) is not None
    finally:
        instance.dispose()


def test_local_objects_are_encrypted_by_bucket_default_too(tmp_path: Path) -> None:
    """The local stack provisions default encryption, so even a bare PUT is encrypted."""
    from linkedin_assets.local.local_stack import LocalStack, StackSettings

    environ = stack_environ(tmp_path)
    with LocalStack(StackSettings.from_environ(environ), persist=False):
        s3 = boto3.client("s3", endpoint_url=environ["AWS_ENDPOINT_URL"], region_name="us-west-2",
                          aws_access_key_id="x", aws_secret_access_key="x")  # fmt: skip
        rules = s3.get_bucket_encryption(Bucket=environ["S3_SCREENSHOT_BUCKET_NAME"])
        assert (
            rules["ServerSideEncryptionConfiguration"]["Rules"][0][
                "ApplyServerSideEncryptionByDefault"
            ]["SSEAlgorithm"]
            == "AES256"
        )
        block = s3.get_public_access_block(Bucket=environ["S3_SCREENSHOT_BUCKET_NAME"])
        assert all(block["PublicAccessBlockConfiguration"].values())
