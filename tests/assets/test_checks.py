"""The per-partition asset checks catch real damage, explain it, block the index for that
profile only, and run on their own without re-materializing."""

from __future__ import annotations

import dagster as dg

from linkedin_assets.assets.pipeline import INDEX, JSON
from linkedin_assets.assets.run_report import run_rows
from tests.assets.fakes import forget_visits, run, visited
from tests.conftest import BUCKET, TABLE
from tests.index_reads import index_item

IDS = ["ada-lovelace", "alan-turing"]


def evaluations(
    result: dg.ExecuteInProcessResult,
) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    found = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            found[(evaluation.check_name, evaluation.partition)] = evaluation
    return found


def run_checks(instance: dg.DagsterInstance, ids: list[str]) -> dg.ExecuteInProcessResult:
    from tests.assets.fakes import run_job

    return run_job(instance, ids, "profile_checks_job")


def test_a_batched_run_records_every_check_for_every_partition(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    result = run(instance, IDS)
    assert result.success
    found = evaluations(result)
    assert set(found) == {
        (c, p) for c in ("screenshots_stored", "json_intact", "index_consistent") for p in IDS
    }
    assert all(e.passed for e in found.values())
    assert (
        found[("json_intact", "ada-lovelace")].metadata["expected"].value["profile_id"]
        == "ada-lovelace"
    )


def test_checks_run_alone_and_explain_hand_made_damage(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    assert run(instance, IDS).success
    s3, ddb = aws["s3"], aws["dynamodb"]
    # Someone edits one profile's JSON by hand, deletes the other's screenshot, and breaks an item.
    s3.put_object(
        Bucket=BUCKET,
        Key="profiles/ada-lovelace.json",
        Body=b'{"edited": true}',
        ServerSideEncryption="AES256",
        ContentType="application/json",
    )
    s3.delete_object(Bucket=BUCKET, Key="screenshots/alan-turing-profile.png")
    ddb.update_item(
        TableName=TABLE,
        Key={"profile_id": {"S": "alan-turing"}},
        UpdateExpression="SET text_sha256 = :x",
        ExpressionAttributeValues={":x": {"S": "0" * 64}},
    )
    forget_visits(instance)
    materialized_before = len(instance.get_materialized_partitions(JSON))

    result = run_checks(instance, IDS)
    assert visited(instance) == []  # no browser, no re-materialization
    assert len(instance.get_materialized_partitions(JSON)) == materialized_before
    assert [e for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"] == []
    found = evaluations(result)
    bad_json = found[("json_intact", "ada-lovelace")]
    assert not bad_json.passed
    assert (
        "were uploaded" in bad_json.description
        and "not a valid profile document" in bad_json.description
    )
    observed, expected = bad_json.metadata["observed"].value, bad_json.metadata["expected"].value
    assert observed["sha256"] != expected["sha256"] and expected["size"] > 0
    missing_shot = found[("screenshots_stored", "alan-turing")]
    assert (
        not missing_shot.passed
        and "screenshots/alan-turing-profile.png is missing" in missing_shot.description
    )
    wrong_item = found[("index_consistent", "alan-turing")]
    assert not wrong_item.passed and "text_sha256 does not match" in wrong_item.description
    assert (
        found[("json_intact", "alan-turing")].passed
        and found[("screenshots_stored", "ada-lovelace")].passed
    )


def test_unencrypted_or_non_png_screenshots_fail(aws: dict, instance: dg.DagsterInstance) -> None:
    assert run(instance, ["ada-lovelace"]).success
    aws["s3"].put_object(
        Bucket=BUCKET,
        Key="screenshots/ada-lovelace-profile.png",
        Body=b"GIF89a....",
        ContentType="image/png",
    )
    # The bucket's default would encrypt even a bare PUT; remove it to see one that is not.
    aws["s3"].delete_bucket_encryption(Bucket=BUCKET)
    aws["s3"].put_object(
        Bucket=BUCKET,
        Key="screenshots/ada-lovelace-profile.png",
        Body=b"GIF89a....",
        ContentType="image/png",
    )
    found = evaluations(run_checks(instance, ["ada-lovelace"]))
    description = found[("screenshots_stored", "ada-lovelace")].description
    assert "is not a PNG" in description and "is not encrypted" in description


def test_a_failed_json_check_blocks_the_index_of_that_profile_only(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    assert run(instance, IDS).success
    # Silent corruption: the body changes but the object keeps its metadata (fingerprint included),
    # so the JSON stage sees "unchanged" and only the check can tell.
    key = "profiles/ada-lovelace.json"
    head = aws["s3"].head_object(Bucket=BUCKET, Key=key)
    aws["s3"].put_object(
        Bucket=BUCKET,
        Key=key,
        Body=b'{"corrupt": 1}',
        Metadata=head["Metadata"],
        ServerSideEncryption="AES256",
        ContentType="application/json",
    )
    before = index_item(aws["dynamodb"], TABLE, "ada-lovelace")["updated_at"]

    result = run(instance, IDS, assets=(JSON, INDEX))
    assert not result.success
    rows = {r.profile_id: r for r in run_rows(instance, result.run_id, IDS)}
    assert rows["ada-lovelace"].failure["kind"] == "check_failed"
    assert rows["ada-lovelace"].materialized["profile_json"]["outcome"] == "unchanged"
    assert "profile_index" not in rows["ada-lovelace"].materialized
    assert (
        "profile_index" in rows["alan-turing"].materialized and rows["alan-turing"].failure is None
    )
    after = index_item(aws["dynamodb"], TABLE, "ada-lovelace")["updated_at"]
    assert after == before  # the index was not touched for the blocked profile


def test_check_results_point_at_the_materialization_they_checked(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    from linkedin_assets._compat import AssetCheckExecutionRecordStatus

    result = run(instance, IDS)
    for pid in IDS:
        latest = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=JSON, asset_partitions=[pid]), limit=1
        ).records[0]
        evaluation = evaluations(result)[("json_intact", pid)]
        assert evaluation.target_materialization_data is not None
        assert evaluation.target_materialization_data.storage_id == latest.storage_id
        assert evaluation.target_materialization_data.run_id == result.run_id
    # Dagster then counts each partition's check as current and passed, not missing.
    infos = instance.event_log_storage.get_asset_check_partition_info(
        [dg.AssetCheckKey(JSON, "json_intact")], partition_keys=IDS
    )
    assert sorted(i.partition_key for i in infos) == sorted(IDS)
    assert all(
        i.is_current and i.latest_execution_status == AssetCheckExecutionRecordStatus.SUCCEEDED
        for i in infos
    )
