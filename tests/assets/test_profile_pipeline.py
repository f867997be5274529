"""Asset tier: the real assets and S3/DynamoDB code on an ephemeral Dagster instance, with moto's
in-process mock and a fake browser that serves fixed HTML (these tests are about our own
orchestration: per-partition failure, subsetting, idempotence, metadata)."""

from __future__ import annotations

import json
import time

import dagster as dg

from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.assets.pipeline import ALL_ASSETS, CHECK_SPECS, profile_pipeline
from linkedin_assets.assets.run_report import run_rows
from tests.assets.fakes import FAILURES, forget_visits, resources, run, visited
from tests.conftest import BUCKET, TABLE
from tests.index_reads import index_item


def item_of(aws: dict, pid: str) -> dict:
    return aws["dynamodb"].get_item(TableName=TABLE, Key={"profile_id": {"S": pid}}).get("Item", {})


def test_one_run_materializes_every_partition_and_fails_only_the_bad_ones(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    ids = ["ada-lovelace", "off-site-person", "alan-turing"]
    result = run(instance, ids)
    assert not result.success  # a partition failed, so the run says so
    rows = {r.profile_id: r for r in run_rows(instance, result.run_id, ids)}
    for pid in ("ada-lovelace", "alan-turing"):
        assert set(rows[pid].materialized) == {k.to_user_string() for k in ALL_ASSETS}
        assert rows[pid].failure is None
    bad = rows["off-site-person"]
    assert bad.materialized == {} and bad.failure["kind"] == "blocked" and bad.unavailable is None
    # Nothing downstream is written for a profile that could not be captured.
    listed = aws["s3"].list_objects_v2(Bucket=BUCKET)["Contents"]
    assert not [o["Key"] for o in listed if "off-site-person" in o["Key"]]
    # Dagster's own partition status: two materialized, one failed, for the last asset.
    key = dg.AssetKey("profile_index")
    assert instance.get_materialized_partitions(key) == {"ada-lovelace", "alan-turing"}
    status = instance.get_status_by_partition(key, ids, profile_partitions)
    assert status["off-site-person"] == dg.AssetPartitionStatus.FAILED
    assert status["ada-lovelace"] == dg.AssetPartitionStatus.MATERIALIZED


def test_the_sites_answers_about_a_profile_are_recorded_and_the_run_stays_green(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    ids = ["ada-lovelace", "gone-person", "alan-turing", "walled-person"]
    result = run(instance, ids)
    assert result.success  # a 404 and an anonymous auth wall are data, not failures
    rows = {r.profile_id: r for r in run_rows(instance, result.run_id, ids)}
    for pid, kind in (("gone-person", "not_found"), ("walled-person", "auth_wall")):
        row = rows[pid]
        assert row.failure is None and row.deferred is None and row.materialized == {}
        # The partition's observation says why it is missing.
        assert row.unavailable is not None and row.unavailable["unavailable"] == kind
        assert "the fake site says so" in row.unavailable["reason"]
        # Nothing was ever stored, so each check says there is nothing to check (and none stays
        # "planned", which the UI would show as the check's latest execution).
        assert set(row.checks) == {"screenshots_stored", "json_intact", "index_consistent"}
        assert all(
            passed and "nothing to check" in why and kind in why
            for passed, why in row.checks.values()
        )
        # The index item is a tombstone with why and when.
        item = item_of(aws, pid)
        assert item["unavailable"]["S"] == kind
        assert "the fake site says so" in item["unavailable_reason"]["S"]
        assert item["unavailable_seen_at"]["S"].endswith("Z")
        assert item["status"]["S"] == "unknown" and "text_s3_key" not in item
    assert "unavailable" not in item_of(aws, "ada-lovelace")
    listed = aws["s3"].list_objects_v2(Bucket=BUCKET)["Contents"]
    assert not [o["Key"] for o in listed if "gone-person" in o["Key"] or "walled" in o["Key"]]
    # Missing, not failed: nothing in Dagster is red for them.
    for key in ALL_ASSETS:
        status = instance.get_status_by_partition(key, ids, profile_partitions)
        assert status["gone-person"] is None and status["walled-person"] is None
        assert status["ada-lovelace"] == dg.AssetPartitionStatus.MATERIALIZED
    # Each check's latest execution, as the UI's check list shows it, is an evaluation that passed.
    keys = [dg.AssetCheckKey(spec.asset_key, spec.name) for spec in CHECK_SPECS]
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    assert {k.name: r.status.value for k, r in latest.items()} == dict.fromkeys(
        (k.name for k in keys), "SUCCEEDED"
    )
    [summary] = [
        r.user_message for r in instance.all_logs(result.run_id) if "summary:" in r.user_message
    ]
    assert "'failed': 0" in summary and "'unavailable': 2" in summary


def test_a_profile_back_on_the_site_loses_its_tombstone(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    walled = {**FAILURES, "ada-lovelace": "auth_wall"}
    assert run(instance, ["ada-lovelace"], browser_settings={"failures": walled}).success
    assert item_of(aws, "ada-lovelace")["unavailable"]["S"] == "auth_wall"
    assert run(instance, ["ada-lovelace"]).success  # the member shows the profile again
    item = item_of(aws, "ada-lovelace")
    assert not {"unavailable", "unavailable_reason", "unavailable_seen_at"} & set(item)
    assert item["text_s3_key"]["S"] == "profiles/ada-lovelace.json"


def test_an_expired_session_fails_the_run_once_and_defers_what_it_did_not_reach(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    """Signed in, an auth wall says the session expired: one message for the operator, no visit
    after it, and no profile failed or tombstoned for it."""
    ids = ["ada-lovelace", "expired-session", "alan-turing", "limited-one", "limited-two"]
    result = run(instance, ids, browser_settings={"max_concurrent_pages": 1})
    assert not result.success
    calls = visited(instance)
    assert calls[-1] == "expired-session"  # the wall was the last visit of the run
    [failure] = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    user = failure.step_failure_data.user_failure_data
    assert user is not None and user.description is not None
    assert user.description.startswith(
        "The signed-in session in LINKEDIN_STORAGE_STATE has expired"
    )
    assert "Renew it" in user.description and "failed:" not in user.description
    assert user.metadata["failures"].value == {}  # no profile's own failure
    rows = {r.profile_id: r for r in run_rows(instance, result.run_id, ids)}
    assert (
        "redirected" in rows["expired-session"].deferred
        or "fake site" in rows["expired-session"].deferred
    )
    for pid in ids:
        row = rows[pid]
        assert row.failure is None and row.unavailable is None
        if pid in calls and pid != "expired-session":
            assert len(row.materialized) == len(ALL_ASSETS)
        else:  # met the wall, or never visited: left for a later run
            assert row.deferred and row.materialized == {}
    not_visited = set(ids) - set(calls)
    assert not_visited  # the limited-* profiles cannot be captured: they were never visited
    for pid in not_visited:
        assert "not visited: the signed-in session (LINKEDIN_STORAGE_STATE) has expired" in (
            rows[pid].deferred or ""
        )
    assert not {"unavailable"} & set(item_of(aws, "expired-session"))


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
    item = index_item(aws["dynamodb"], TABLE, "ada-lovelace")
    assert item["text_s3_key"]["S"] == "profiles/ada-lovelace.json"
    assert item["text_sha256"]["S"] == meta["sha256"]
    assert item["text_upload_failed"]["BOOL"] is False
    assert item["status"]["S"] == "unknown"
    assert "screenshot_activity_key" not in item  # the activity page was missing


def test_rerun_on_unchanged_content_uploads_nothing(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    first = run(instance, ["ada-lovelace"])
    time.sleep(1)  # extracted_at has second precision: the second extraction's must differ
    second = run(instance, ["ada-lovelace"])
    m1 = run_rows(instance, first.run_id, ["ada-lovelace"])[0].materialized
    m2 = run_rows(instance, second.run_id, ["ada-lovelace"])[0].materialized
    assert m1["profile_text"]["outcome"] == "uploaded"
    # Re-extracted a second later: only extracted_at differs, so nothing is rewritten.
    assert m2["profile_text"]["outcome"] == "unchanged"
    assert m2["profile_json"]["outcome"] == "unchanged"
    assert m2["profile_json"]["uploaded_at"] == m1["profile_json"]["uploaded_at"]
    assert m2["profile_screenshots"]["outcome"] == "unchanged"


def test_text_can_be_re_extracted_without_the_browser(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    run(instance, ["ada-lovelace"])
    forget_visits(instance)
    result = run(
        instance,
        ["ada-lovelace"],
        assets=(dg.AssetKey("profile_text"), dg.AssetKey("profile_json")),
    )
    assert result.success
    assert visited(instance) == []  # no page was loaded
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
    item = index_item(aws["dynamodb"], TABLE, "ada-lovelace")
    assert item["text_upload_failed"]["BOOL"] is True
    assert "NoSuchBucket" in item["text_upload_error"]["S"]
    assert item["screenshot_profile_key"]["S"] == "screenshots/ada-lovelace-profile.png"

    assert run(instance, ["ada-lovelace"]).success
    item = index_item(aws["dynamodb"], TABLE, "ada-lovelace")
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


def test_rate_limiting_backs_off_then_stops_visiting_and_defers_the_rest(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    # The site rate-limits every visit: with one page at a time, the run visits two (the limit in
    # a row), whatever order its workers arrive in, and defers all four.
    ids = ["limited-one", "limited-two", "limited-three", "limited-four"]
    result = run(
        instance,
        ids,
        browser_settings={
            "failures": {**FAILURES, **dict.fromkeys(ids, "rate_limited")},
            "max_consecutive_blocks": 2,
            "block_backoff_s": 0,
            "max_concurrent_pages": 1,
        },
    )
    calls = visited(instance)
    assert len(calls) == 2 and set(calls) < set(ids)  # stopped visiting after two
    not_visited = set(ids) - set(calls)
    rows = {r.profile_id: r for r in run_rows(instance, result.run_id, ids)}
    for pid in ids:
        assert rows[pid].deferred and rows[pid].failure is None and rows[pid].materialized == {}
        assert ("not visited" in rows[pid].deferred) == (pid in not_visited)
    assert result.success  # nothing failed: the deferred profiles are simply not done yet
    status = instance.get_status_by_partition(
        dg.AssetKey("profile_screenshots"), ids, profile_partitions
    )
    assert all(status[pid] is None for pid in ids)  # missing, for the refresh schedule
    [observation] = instance.fetch_observations(dg.AssetKey("profile_json"), limit=1).records
    figures = {k: v.value for k, v in observation.asset_observation.metadata.items()}
    assert figures["profiles_deferred"] == 4 and figures["uploads_tried"] == 0
    assert figures["rate_limited"] + figures["not_visited"] == 4  # beside the uploads
