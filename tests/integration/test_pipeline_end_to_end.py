"""The real chain: Chromium → the sample site → moto's server over HTTP, through the same boto3
code production uses, on a real Dagster instance."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import boto3
import dagster as dg
import pytest

from linkedin_assets.assets.partitions import partition_range_tags
from linkedin_assets.assets.run_report import run_rows
from linkedin_assets.automation import intake
from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.sample_site import load_sample_profiles
from linkedin_assets.resources.provisioning import ensure_bucket, ensure_table
from tests.index_reads import index_item

pytestmark = pytest.mark.integration

SAMPLES = load_sample_profiles()
OK = [p for p in SAMPLES if p.outcome == "ok"]
FAILING = [p for p in SAMPLES if p.outcome != "ok"]
EXPECTED_KIND = {"not_found": "not_found", "blocked": "blocked", "rate_limited": "rate_limited"}


@pytest.fixture(scope="module")
def clients(stack: dict[str, str]) -> dict[str, Any]:
    kwargs = {
        "endpoint_url": stack["AWS_ENDPOINT_URL"],
        "region_name": "us-west-2",
        "aws_access_key_id": "x",
        "aws_secret_access_key": "x",
    }
    return {"s3": boto3.client("s3", **kwargs), "dynamodb": boto3.client("dynamodb", **kwargs)}


@pytest.fixture(scope="module")
def pipeline_run(stack: dict[str, str]) -> Iterator[tuple[dg.DagsterInstance, str, dict]]:
    """Every sample profile registered (one with a lead status) and materialized in one run."""
    import os

    os.environ.update(stack)
    with dg.instance_for_test() as instance:
        defs = build_definitions("local")
        index = defs.resources["profile_index_store"].process_config_and_initialize().open()
        ids = [p.profile_id for p in SAMPLES]
        intake.register(instance, index, ids, base_url=stack["LINKEDIN_BASE_URL"])
        intake.register(
            instance,
            index,
            [OK[0].profile_id],
            statuses={OK[0].profile_id: "possible"},
            base_url=stack["LINKEDIN_BASE_URL"],
        )
        result = defs.resolve_job_def("profile_pipeline_job").execute_in_process(
            instance=instance, tags=partition_range_tags(instance, ids), raise_on_error=False
        )
        rows = {r.profile_id: r for r in run_rows(instance, result.run_id, ids)}
        yield instance, result.run_id, rows


def test_one_run_for_all_samples(pipeline_run: tuple) -> None:
    instance, run_id, rows = pipeline_run
    assert len(instance.get_runs()) == 1  # a batch is one run, not one per profile
    run = instance.get_run_by_id(run_id)
    assert run is not None and run.status == dg.DagsterRunStatus.FAILURE  # the failing samples


@pytest.mark.parametrize("sample", OK, ids=lambda p: p.profile_id)
def test_every_object_of_a_captured_profile(
    sample: Any, pipeline_run: tuple, clients: dict, stack: dict
) -> None:
    _, _, rows = pipeline_run
    row = rows[sample.profile_id]
    assert row.failure is None, row.failure
    assert set(row.materialized) == {
        "profile_screenshots",
        "profile_text",
        "profile_json",
        "profile_index",
    }
    assert {name: passed for name, (passed, _) in row.checks.items()} == {
        "screenshots_stored": True,
        "json_intact": True,
        "index_consistent": True,
    }
    s3, bucket, pid = clients["s3"], stack["S3_SCREENSHOT_BUCKET_NAME"], sample.profile_id

    pages = ["profile", "activity"] if sample.has_activity_page else ["profile"]
    for page in pages:
        shot = s3.get_object(Bucket=bucket, Key=f"screenshots/{pid}-{page}.png")
        assert shot["Body"].read(8) == b"\x89PNG\r\n\x1a\n"
        assert shot["ContentType"] == "image/png" and shot["ServerSideEncryption"] == "AES256"
        html = s3.get_object(Bucket=bucket, Key=f"captures/{pid}/{page}.html")["Body"].read()
        assert b"<html" in html.lower()
    if not sample.has_activity_page:
        manifest = json.loads(
            s3.get_object(Bucket=bucket, Key=f"captures/{pid}/capture.json")["Body"].read()
        )
        assert manifest["activity"] is None and "404" in manifest["activity_missing_reason"]

    head = s3.head_object(Bucket=bucket, Key=f"profiles/{pid}.json", ChecksumMode="ENABLED")
    body = s3.get_object(Bucket=bucket, Key=f"profiles/{pid}.json")["Body"].read()
    digest = hashlib.sha256(body)
    assert head["ContentType"] == "application/json"
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ChecksumSHA256"] == base64.b64encode(digest.digest()).decode()
    assert head["Metadata"]["sha256"] == digest.hexdigest()
    assert head["Metadata"]["status"] == ("possible" if sample is OK[0] else "unknown")
    assert head["Metadata"]["extracted-at"].endswith("Z")
    document = json.loads(body.decode("utf-8"))
    assert document["profile_id"] == pid
    assert document["name"] == sample.expected["name"]
    assert document["headline"] == sample.expected["headline"]
    assert document["url"] == f"{stack['LINKEDIN_BASE_URL']}/in/{document['url'].split('/in/')[1]}"

    meta = json.loads(s3.get_object(Bucket=bucket, Key=f"profiles/{pid}.meta.json")["Body"].read())
    assert meta["sha256"] == digest.hexdigest() and meta["size"] == len(body)
    assert meta["index_key"] == {"table": stack["DYNAMODB_PROFILE_TABLE"], "profile_id": pid}

    item = index_item(clients["dynamodb"], stack["DYNAMODB_PROFILE_TABLE"], pid)
    assert item["text_s3_key"]["S"] == f"profiles/{pid}.json"
    assert item["text_s3_url"]["S"] == f"s3://{bucket}/profiles/{pid}.json"
    assert item["text_sha256"]["S"] == digest.hexdigest()
    assert item["text_upload_failed"]["BOOL"] is False
    assert item["name"]["S"] == sample.expected["name"]
    assert item["screenshot_profile_key"]["S"] == f"screenshots/{pid}-profile.png"


@pytest.mark.parametrize("sample", FAILING, ids=lambda p: p.profile_id)
def test_failing_profiles_fail_with_the_right_reason_and_write_nothing(
    sample: Any, pipeline_run: tuple, clients: dict, stack: dict
) -> None:
    instance, _, rows = pipeline_run
    row = rows[sample.profile_id]
    assert row.materialized == {}
    if sample.outcome == "rate_limited":
        # Rate limiting says nothing about the profile: deferred to a later run, not failed.
        assert row.failure is None and row.deferred and "HTTP 999" in row.deferred
    else:
        assert row.failure is not None and row.failure["kind"] == EXPECTED_KIND[sample.outcome]
        assert row.failure["stage"] == "profile_screenshots"
    listed = clients["s3"].list_objects_v2(Bucket=stack["S3_SCREENSHOT_BUCKET_NAME"])
    assert not [o["Key"] for o in listed.get("Contents", []) if sample.profile_id in o["Key"]]
    status = instance.get_status_by_partition(
        dg.AssetKey("profile_screenshots"),
        [sample.profile_id],
        build_definitions("local").resolve_assets_def("profile_screenshots").partitions_def,
    )
    assert status[sample.profile_id] == dg.AssetPartitionStatus.FAILED


def test_s3_refusing_the_upload_marks_the_index(
    stack: dict, clients: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its own bucket and table on the shared stack: the profile's failed upload is marked in an
    # index no other test reads, so the tests of this file pass in any order.
    ensure_bucket(clients["s3"], "refused-upload-screenshots", "us-west-2")
    ensure_table(clients["dynamodb"], "refused-upload-profiles")
    monkeypatch.setenv("S3_SCREENSHOT_BUCKET_NAME", "refused-upload-screenshots")
    monkeypatch.setenv("DYNAMODB_PROFILE_TABLE", "refused-upload-profiles")
    monkeypatch.setenv("S3_PROFILE_TEXT_BUCKET_NAME", "bucket-that-does-not-exist")
    pid = OK[1].profile_id
    with dg.instance_for_test() as instance:
        defs = build_definitions("local")
        instance.add_dynamic_partitions("profiles", [pid])
        result = defs.resolve_job_def("profile_pipeline_job").execute_in_process(
            instance=instance, partition_key=pid, raise_on_error=False
        )
        row = run_rows(instance, result.run_id, [pid])[0]
    assert not result.success
    assert row.failure is not None and "bucket-that-does-not-exist" in row.failure["error"]
    assert "profile_screenshots" in row.materialized and "profile_json" not in row.materialized
    item = index_item(clients["dynamodb"], "refused-upload-profiles", pid)
    assert item["text_upload_failed"]["BOOL"] is True
    assert "NoSuchBucket" in item["text_upload_error"]["S"]
