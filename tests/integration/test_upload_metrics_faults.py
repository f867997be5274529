"""Upload metrics against the fault proxy's own counts: real failures injected on the way to moto's
server, one batched run of a few sample profiles, then its per-run observation, the
``upload_metrics`` report and the CloudWatch metrics it sent, each checked against what the proxy
says it did."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from linkedin_assets.assets.partitions import partition_range_tags
from linkedin_assets.assets.reports.upload_metrics_report import upload_metrics
from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.local.sample_site import load_sample_profiles
from linkedin_assets.testing.fault_proxy import FaultProxy, FaultRule
from linkedin_assets.testing.fault_suite import environment, scaled_backoff, stack_environment
from tests.integration.local_aws import local_client

pytestmark = pytest.mark.integration
SAMPLES = {p.outcome: p.profile_id for p in reversed(load_sample_profiles())}
OK = [p.profile_id for p in load_sample_profiles() if p.outcome == "ok"]
# ASCII IDs, so that each rule's path prefix is the key as sent.
REFUSED, SLOW, DOWN, CLEAN = OK[0], OK[1], OK[2], OK[4]
IDS = [REFUSED, SLOW, DOWN, CLEAN, SAMPLES["blocked"], SAMPLES["not_found"]]
NAMESPACE = "LinkedInAssets/it"
SETTINGS = {
    # Two attempts per request, two storage rounds per profile, short pauses: DOWN's upload is
    # tried 2 × 2 times, then the profile is deferred.
    "AWS_MAX_ATTEMPTS": "2",
    "PROFILE_STORAGE_RETRY_ROUNDS": "2",
    "PROFILE_STORAGE_RETRY_PAUSE_S": "0.1",
    "UPLOAD_METRICS_CLOUDWATCH_NAMESPACE": NAMESPACE,
}


def rules(bucket: str) -> list[FaultRule]:
    def document(pid: str) -> str:
        return f"/{bucket}/profiles/{pid}.json"  # the document only, not its .meta.json

    return [
        # Refused for good: one attempt, never retried; the profile fails.
        FaultRule("error", 1.0, service="s3", operation="PUT", path_prefix=document(REFUSED),
                  status=403, code="AccessDenied"),
        # Two SlowDowns: the first round's two attempts fail, the second round's first goes
        # through; the upload counts all three.
        FaultRule("error", 1.0, service="s3", operation="PUT", path_prefix=document(SLOW),
                  status=503, code="SlowDown", limit=2),
        # Down whatever we do: every attempt of every round fails; the profile is deferred.
        FaultRule("error", 1.0, service="s3", operation="PUT", path_prefix=document(DOWN),
                  status=500, code="InternalError"),
    ]  # fmt: skip


def run_figures(instance: dg.DagsterInstance, run_id: str) -> dict[str, Any]:
    """The run's ``profile_json`` observation without partition: its upload figures."""
    for record in instance.fetch_observations(dg.AssetKey("profile_json"), limit=20).records:
        observation = record.asset_observation
        if record.run_id == run_id and observation is not None and observation.partition is None:
            return {key: value.value for key, value in observation.metadata.items()}
    raise AssertionError(f"run {run_id} recorded no upload figures")


def cloudwatch_sums(cloudwatch: Any, names: list[str], since: datetime) -> dict[str, float]:
    queries = [
        {"Id": f"m{i}", "Label": name, "ReturnData": True, "MetricStat": {
            "Metric": {"Namespace": NAMESPACE, "MetricName": name}, "Period": 60, "Stat": "Sum"}}
        for i, name in enumerate(names)
    ]  # fmt: skip
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=queries, StartTime=since, EndTime=since + timedelta(hours=1)
    )
    return {r["Label"].removesuffix(" Sum"): sum(r["Values"]) for r in answer["MetricDataResults"]}


@pytest.mark.timeout(600)
def test_the_metrics_count_what_the_fault_proxy_did(tmp_path: Path) -> None:
    environ = {**stack_environment(tmp_path), **SETTINGS}
    moto_url, bucket = environ["AWS_ENDPOINT_URL"], environ["S3_SCREENSHOT_BUCKET_NAME"]
    since = datetime.now(UTC) - timedelta(minutes=5)
    with (
        environment(environ),
        LocalStack(StackSettings.from_environ(environ), persist=False),
        FaultProxy(moto_url, seed=16) as proxy,
        scaled_backoff(0.02),
    ):
        os.environ["AWS_ENDPOINT_URL"] = proxy.url
        defs = build_definitions("local")
        instance = dg.DagsterInstance.ephemeral()
        instance.add_dynamic_partitions("profiles", IDS)
        proxy.set_rules(rules(bucket))
        result = defs.resolve_job_def("profile_pipeline_job").execute_in_process(
            instance=instance, tags=partition_range_tags(instance, IDS), raise_on_error=False
        )
        proxy.clear()
        injected = proxy.stats()["injected"]
        figures = run_figures(instance, result.run_id)
        report = dg.materialize(
            [upload_metrics],
            instance=instance,
            resources={"profile_storage": defs.resources["profile_storage"]},
            run_config={"ops": {"upload_metrics": {"config": {"window_hours": 1}}}},
        )
        cloudwatch = local_client("cloudwatch", {"AWS_ENDPOINT_URL": moto_url})
        listed = {m["MetricName"] for m in cloudwatch.list_metrics(Namespace=NAMESPACE)["Metrics"]}
        sent = cloudwatch_sums(
            cloudwatch,
            ["UploadsTried", "UploadsSucceeded", "UploadsFailed", "UploadRetries", "UploadedBytes"],
            since,
        )

    # The proxy's own counts: what each rule did.
    refused, slowed, down = (
        injected.get(key, 0)
        for key in ("error:403:AccessDenied", "error:503:SlowDown", "error:500:InternalError")
    )
    assert (refused, slowed, down) == (1, 2, 4), injected

    # The per-run observation: four uploads tried, the capture outcomes beside them.
    assert figures["profiles"] == len(IDS) and figures["uploads_tried"] == 4
    assert (figures["blocked"], figures["not_found"]) == (1, 1)
    assert (figures["uploaded"], figures["upload_failed"], figures["upload_deferred"]) == (2, 1, 1)
    # Every attempt the proxy refused is an attempt of a tried upload, as is each successful
    # upload's last (forwarded) one: failed uploads count what they really cost.
    assert figures["attempts"] == refused + slowed + down + figures["uploaded"]
    assert figures["retried"] == 2  # SLOW (3 attempts over 2 rounds) and DOWN (4); REFUSED took 1
    assert (figures["upload_success_rate"], figures["upload_retry_rate"]) == (0.5, 0.5)
    assert figures["bytes_uploaded"] > 0

    # The report over the window says the same.
    assert report.success
    [mat] = report.get_asset_materialization_events()
    totals = {k: v.value for k, v in mat.materialization.metadata.items()}
    assert (totals["runs"], totals["uploads_tried"], totals["attempts"]) == (
        1, 4, refused + slowed + down + 2,
    )  # fmt: skip
    assert (totals["upload_success_rate"], totals["upload_retry_rate"]) == (0.5, 0.5)
    assert (totals["blocked"], totals["not_found"], totals["upload_failed"]) == (1, 1, 1)

    # And so does CloudWatch, read back from moto's server.
    assert {"UploadsTried", "UploadDuration", "ProfilesBeforeUpload"} <= listed
    assert sent == {
        "UploadsTried": 4,
        "UploadsSucceeded": 2,
        "UploadsFailed": 2,
        "UploadRetries": refused + slowed + down + 2 - 4,
        "UploadedBytes": figures["bytes_uploaded"],
    }
