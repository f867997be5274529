"""Asset tier: the real assets and S3/DynamoDB code on an ephemeral Dagster instance, with moto's
in-process mock and a fake browser that serves fixed HTML (these tests are about our own
orchestration: per-partition failure, subsetting, idempotence, metadata)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import pytest
from dagster_aws.s3 import S3Resource

from linkedin_assets.errors import ProfileBlocked, ProfileNotFound
from linkedin_assets.partitions import partition_range_tags, profile_partitions
from linkedin_assets.pipeline import ALL_ASSETS, profile_pipeline, profile_pipeline_job
from linkedin_assets.profile_ids import profile_url
from linkedin_assets.resources.browser import PageCapture, ProfileCapture
from linkedin_assets.resources.configured import (
    BrowserResource,
    ProfileIndexResource,
    ProfileStorageResource,
)
from linkedin_assets.run_report import run_rows
from tests.conftest import BUCKET, REGION, TABLE

BASE = "https://www.linkedin.com"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def page_html(name: str, headline: str) -> str:
    return f"""<html><head><title>{name} - {headline} | LinkedIn</title></head><body><main>
    <section class="top-card-layout"><h1 class="top-card-layout__title">{name}</h1>
    <h2 class="top-card-layout__headline">{headline}</h2></section>
    <section class="core-section-container"><h2 class="core-section-container__title">About</h2>
    <div class="core-section-container__content"><p>About {name}.</p></div></section>
    </main></body></html>"""


PEOPLE = {
    "ada-lovelace": ("Ada Lovelace", "Analyst"),
    "alan-turing": ("Alan Turing", "Mathematician"),
}
FAILURES: dict[str, type[Exception]] = {
    "gone-person": ProfileNotFound,
    "walled-person": ProfileBlocked,
}


class FakeBrowser:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        self.calls.append(profile_id)
        url = profile_url(profile_id, base_url)
        if profile_id in FAILURES:
            raise FAILURES[profile_id](profile_id, url, "the fake site says so")
        name, headline = PEOPLE[profile_id]
        page = PageCapture(url, url, 200, page_html(name, headline), PNG)
        return ProfileCapture(
            profile_id, page, None, "activity page not_found: HTTP 404", "2026-01-01T00:00:00Z"
        )


class FakeBrowserResource(BrowserResource):
    @contextmanager
    def open(self) -> Iterator[FakeBrowser]:  # type: ignore[override]
        calls = CALLS
        yield FakeBrowser(calls)


CALLS: list[str] = []


def resources(text_bucket: str = BUCKET) -> dict[str, Any]:
    s3 = S3Resource(region_name=REGION)
    return {
        "browser": FakeBrowserResource(base_url=BASE),
        "profile_storage": ProfileStorageResource(
            s3=s3, screenshot_bucket=BUCKET, profile_text_bucket=text_bucket
        ),
        "profile_index_store": ProfileIndexResource(table=TABLE, region_name=REGION),
    }


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    CALLS.clear()
    with dg.instance_for_test() as instance:
        yield instance


def run(
    instance: dg.DagsterInstance,
    ids: list[str],
    *,
    assets: tuple[dg.AssetKey, ...] = ALL_ASSETS,
    text_bucket: str = BUCKET,
) -> dg.ExecuteInProcessResult:
    instance.add_dynamic_partitions(
        profile_partitions.name,
        [i for i in ids if not instance.has_dynamic_partition(profile_partitions.name, i)],
    )
    defs = dg.Definitions(
        assets=[profile_pipeline], jobs=[profile_pipeline_job], resources=resources(text_bucket)
    )
    job = defs.resolve_job_def("profile_pipeline_job")
    return job.execute_in_process(
        instance=instance,
        tags=partition_range_tags(instance, ids),
        asset_selection=list(assets),
        raise_on_error=False,
    )


def test_one_run_materializes_every_partition_and_fails_only_the_bad_ones(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    ids = ["ada-lovelace", "gone-person", "alan-turing", "walled-person"]
    result = run(instance, ids)
    assert not result.success  # some partitions failed, so the run says so
    rows = {r.profile_id: r for r in run_rows(instance, result.run_id, ids)}
    for pid in ("ada-lovelace", "alan-turing"):
        assert set(rows[pid].materialized) == {k.to_user_string() for k in ALL_ASSETS}
        assert rows[pid].failure is None
    assert (
        rows["gone-person"].materialized == {}
        and rows["gone-person"].failure["kind"] == "not_found"
    )
    assert rows["walled-person"].failure["kind"] == "blocked"
    # Nothing downstream is written for a profile that could not be captured.
    listed = aws["s3"].list_objects_v2(Bucket=BUCKET)["Contents"]
    assert not [
        o["Key"] for o in listed if "gone-person" in o["Key"] or "walled-person" in o["Key"]
    ]
    # Dagster's own partition status: two materialized, two failed, for the last asset.
    key = dg.AssetKey("profile_index")
    materialized = instance.get_materialized_partitions(key)
    assert materialized == {"ada-lovelace", "alan-turing"}
    status = instance.get_status_by_partition(key, ids, profile_partitions)
    assert status["gone-person"] == dg.AssetPartitionStatus.FAILED
    assert status["ada-lovelace"] == dg.AssetPartitionStatus.MATERIALIZED


def test_json_metadata_and_index_item(aws: dict, instance: dg.DagsterInstance) -> None:
    result = run(instance, ["ada-lovelace"])
    assert result.success
    meta = run_rows(instance, result.run_id, ["ada-lovelace"])[0].materialized["profile_json"]
    assert meta["s3_key"] == "profiles/ada-lovelace.json"
    assert meta["s3_url"] == f"s3://{BUCKET}/profiles/ada-lovelace.json"
    assert meta["outcome"] == "uploaded" and meta["attempts"] == 1 and meta["size"] > 0
    body = aws["s3"].get_object(Bucket=BUCKET, Key="profiles/ada-lovelace.json")["Body"].read()
    document = json.loads(body)
    assert (document["profile_id"], document["name"], document["headline"]) == (
        "ada-lovelace",
        "Ada Lovelace",
        "Analyst",
    )
    item = aws["dynamodb"].get_item(TableName=TABLE, Key={"profile_id": {"S": "ada-lovelace"}})[
        "Item"
    ]
    assert item["text_s3_key"]["S"] == "profiles/ada-lovelace.json"
    assert item["text_sha256"]["S"] == meta["sha256"]
    assert item["text_upload_failed"]["BOOL"] is False
    assert item["status"]["S"] == "unknown"
    assert "screenshot_activity_key" not in item  # the activity page was missing


def test_rerun_on_unchanged_content_uploads_nothing(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    first = run(instance, ["ada-lovelace"])
    second = run(instance, ["ada-lovelace"])
    m1 = run_rows(instance, first.run_id, ["ada-lovelace"])[0].materialized
    m2 = run_rows(instance, second.run_id, ["ada-lovelace"])[0].materialized
    assert m2["profile_json"]["outcome"] == "unchanged"
    assert m2["profile_json"]["uploaded_at"] == m1["profile_json"]["uploaded_at"]
    assert m2["profile_screenshots"]["outcome"] == "unchanged"


def test_text_can_be_re_extracted_without_the_browser(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    run(instance, ["ada-lovelace"])
    CALLS.clear()
    result = run(
        instance,
        ["ada-lovelace"],
        assets=(dg.AssetKey("profile_text"), dg.AssetKey("profile_json")),
    )
    assert result.success
    assert CALLS == []  # no page was loaded
    assert set(run_rows(instance, result.run_id, ["ada-lovelace"])[0].materialized) == {
        "profile_text",
        "profile_json",
    }


def test_text_without_a_capture_fails_that_partition_with_a_clear_error(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    result = run(instance, ["alan-turing"], assets=(dg.AssetKey("profile_text"),))
    assert not result.success
    failure = run_rows(instance, result.run_id, ["alan-turing"])[0].failure
    assert failure["kind"] == "extraction_failed"
    assert "materialize profile_screenshots first" in failure["error"]


def test_failed_text_upload_keeps_screenshots_marks_the_index_and_a_later_run_clears_it(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    result = run(instance, ["ada-lovelace"], text_bucket="no-such-bucket")
    assert not result.success
    row = run_rows(instance, result.run_id, ["ada-lovelace"])[0]
    assert set(row.materialized) == {"profile_screenshots"}
    assert row.failure["kind"] == "storage_failed" and "no-such-bucket" in row.failure["error"]
    assert aws["s3"].head_object(Bucket=BUCKET, Key="screenshots/ada-lovelace-profile.png")
    item = aws["dynamodb"].get_item(TableName=TABLE, Key={"profile_id": {"S": "ada-lovelace"}})[
        "Item"
    ]
    assert item["text_upload_failed"]["BOOL"] is True
    assert "NoSuchBucket" in item["text_upload_error"]["S"]
    assert item["screenshot_profile_key"]["S"] == "screenshots/ada-lovelace-profile.png"

    assert run(instance, ["ada-lovelace"]).success
    item = aws["dynamodb"].get_item(TableName=TABLE, Key={"profile_id": {"S": "ada-lovelace"}})[
        "Item"
    ]
    assert item["text_upload_failed"]["BOOL"] is False
    assert "text_upload_error" not in item


def test_materialize_one_partition(aws: dict, instance: dg.DagsterInstance) -> None:
    instance.add_dynamic_partitions(profile_partitions.name, ["alan-turing"])
    result = dg.materialize(
        [profile_pipeline], partition_key="alan-turing", instance=instance, resources=resources()
    )
    assert result.success
    keys = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert keys == {k.to_user_string() for k in ALL_ASSETS}
    assert {e.partition for e in result.get_asset_materialization_events()} == {"alan-turing"}
