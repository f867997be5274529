"""The audit finds every kind of damage it claims to, its check fails then; and the upload-metrics
report summarises real runs. moto's in-process mock, fake browser, real temporary instance."""

from __future__ import annotations

import boto3
import dagster as dg

from linkedin_assets.assets.reports.profile_store_audit import profile_store_audit
from linkedin_assets.assets.reports.upload_metrics_report import upload_metrics
from tests.assets.fakes import resources, run
from tests.conftest import BUCKET, REGION, TABLE

IDS = ["ada-lovelace", "alan-turing", "gone-person"]


def materialize(
    instance: dg.DagsterInstance, asset: dg.AssetsDefinition, **kwargs
) -> dg.ExecuteInProcessResult:  # type: ignore[no-untyped-def]
    return dg.materialize(
        [asset], instance=instance, resources=resources(), raise_on_error=False, **kwargs
    )


def audit_metadata(result: dg.ExecuteInProcessResult) -> tuple[dict, dg.AssetCheckEvaluation]:
    [mat] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in mat.materialization.metadata.items()}
    [check] = result.get_asset_check_evaluations()
    return metadata, check


def test_a_clean_store_passes(aws: dict, instance: dg.DagsterInstance) -> None:
    run(instance, IDS)
    metadata, check = audit_metadata(materialize(instance, profile_store_audit))
    assert check.passed and metadata["inconsistencies"] == 0
    assert metadata["objects_profiles"] == 4 and metadata["objects_screenshots"] == 2
    assert metadata["never_materialized"] == 1  # gone-person: not an inconsistency
    assert metadata["report_s3_url"].startswith(f"s3://{BUCKET}/reports/audit/")


def test_every_kind_of_damage_is_found(aws: dict, instance: dg.DagsterInstance) -> None:
    run(instance, IDS)
    s3, ddb = aws["s3"], aws["dynamodb"]
    s3.delete_object(Bucket=BUCKET, Key="profiles/alan-turing.json")  # missing + orphaned meta
    ddb.update_item(TableName=TABLE, Key={"profile_id": {"S": "ada-lovelace"}},
                    UpdateExpression="SET text_sha256 = :x", ExpressionAttributeValues={":x": {"S": "f" * 64}})  # fmt: skip
    s3.delete_bucket_encryption(Bucket=BUCKET)
    s3.put_object(
        Bucket=BUCKET, Key="profiles/stray-person.json", Body=b"{}"
    )  # unindexed, unencrypted
    s3.put_object(
        Bucket=BUCKET, Key="screenshots/notes.txt", Body=b"?", ServerSideEncryption="AES256"
    )

    result = materialize(instance, profile_store_audit)
    metadata, check = audit_metadata(result)
    assert not check.passed
    assert {k: metadata[k] for k in (
        "object_without_index_item", "index_object_missing", "index_checksum_mismatch",
        "materialized_without_object", "orphaned_meta", "unencrypted_object", "unexpected_object",
    )} == {
        "object_without_index_item": 1, "index_object_missing": 1, "index_checksum_mismatch": 1,
        "materialized_without_object": 1, "orphaned_meta": 1, "unencrypted_object": 1, "unexpected_object": 1,
    }  # fmt: skip
    assert "1 index_checksum_mismatch" in (check.description or "")
    assert check.metadata["observed"].value["orphaned_meta"] == 1
    assert "alan-turing" in metadata["findings"]  # the Markdown table the UI shows
    report = (
        s3.get_object(Bucket=BUCKET, Key=metadata["report_s3_url"].split(f"{BUCKET}/", 1)[1])[
            "Body"
        ]
        .read()
        .decode()
    )
    assert report.splitlines()[0] == "kind,profile_id,key,detail" and "stray-person" in report


def test_upload_metrics_summarise_the_runs_of_the_window(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    run(instance, IDS)  # two uploaded, one not found
    run(instance, ["ada-lovelace", "alan-turing"])  # both unchanged
    result = materialize(
        instance,
        upload_metrics,
        run_config={"ops": {"upload_metrics": {"config": {"window_hours": 1}}}},
    )
    assert result.success
    [mat] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in mat.materialization.metadata.items()}
    assert metadata["runs"] == 2 and metadata["profiles"] == 5
    # 2 uploaded + 2 unchanged of the 4 uploads tried; the missing profile is counted beside.
    assert (metadata["uploads_tried"], metadata["upload_success_rate"]) == (4, 1.0)
    assert (metadata["not_found"], metadata["upload_failed"]) == (1, 0)
    assert "not_found" in metadata["top_errors"]
    assert metadata["runs_csv"].startswith(f"s3://{BUCKET}/reports/upload_metrics/")
    body = (
        aws["s3"]
        .get_object(Bucket=BUCKET, Key=metadata["runs_csv"].split(f"{BUCKET}/", 1)[1])["Body"]
        .read()
        .decode()
    )
    assert body.splitlines()[0].startswith(
        "run_id,timestamp,profiles,uploads_tried,uploaded,unchanged,stale,upload_failed,"
        "upload_deferred,upload_success_rate,retried,upload_retry_rate,attempts"
    )
    assert len(body.splitlines()) == 3


def test_each_pipeline_run_records_its_upload_figures(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    run(instance, IDS)
    [record] = instance.fetch_observations(dg.AssetKey("profile_json"), limit=5).records
    figures = {k: v.value for k, v in record.asset_observation.metadata.items()}
    assert (figures["profiles"], figures["uploads_tried"], figures["uploaded"]) == (3, 2, 2)
    assert (figures["not_found"], figures["upload_success_rate"]) == (1, 1.0)
    assert (
        figures["attempts"] == 2
        and figures["bytes_uploaded"] > 0
        and figures["p95_upload_s"] >= figures["p50_upload_s"]
    )


def test_cloudwatch_gets_the_run_figures_only_when_a_namespace_is_set(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)

    def ours() -> set[tuple[str, str]]:
        # moto lists its own AWS/S3 bucket metrics too; those are not ours.
        return {
            (m["Namespace"], m["MetricName"])
            for m in cloudwatch.list_metrics()["Metrics"]
            if not m["Namespace"].startswith("AWS/")
        }

    run(instance, IDS)  # UPLOAD_METRICS_CLOUDWATCH_NAMESPACE unset
    assert ours() == set()  # nothing sent, to any namespace
    run(instance, ["ada-lovelace"], metrics_namespace="LinkedInAssets/test")
    assert {name for _, name in ours()} >= {"UploadsTried", "UploadsSucceeded", "UploadedBytes"}
    assert {namespace for namespace, _ in ours()} == {"LinkedInAssets/test"}
