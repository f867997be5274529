"""The intake sensor reading an S3 inbox (``PROFILE_URL_INBOX=s3://bucket/prefix/``) on moto's
in-process mock, through the same resources a deployment uses: new files become partitions and
runs, the rejects report lands beside them in S3, and a file is read once per version."""

from __future__ import annotations

from typing import Any

import dagster as dg

from linkedin_assets.automation.intake_sensor import build_intake_sensor
from linkedin_assets.resources.aws import AwsSettings
from linkedin_assets.resources.configured import AutomationSettings, ProfileIndexResource
from tests.assets.automation.sensor_results import added, apply
from tests.conftest import BUCKET, REGION, TABLE
from tests.index_reads import index_item

SENSOR = build_intake_sensor({}, "local")
INBOX = f"s3://{BUCKET}/inbox/"


def tick(instance: dg.DagsterInstance, cursor: str | None = None) -> dg.SensorResult:
    aws = AwsSettings(region_name=REGION)
    resources = {
        "automation": AutomationSettings(inbox=INBOX, aws=aws, batch_size=2),
        "profile_index_store": ProfileIndexResource(table=TABLE, aws=aws),
    }
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources) as context:
        result = SENSOR(context)
    assert isinstance(result, dg.SensorResult), result
    return result


def put(s3: Any, key: str, body: str) -> None:
    s3.put_object(Bucket=BUCKET, Key=key, Body=body.encode("utf-8"))


def test_an_s3_inbox_file_becomes_partitions_runs_and_a_rejects_report_in_s3(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    s3 = aws["s3"]
    put(s3, "inbox/leads.csv", "url,status\n"
        "https://www.linkedin.com/in/ada-lovelace/,possible\n"
        "https://www.linkedin.com/in/alan-turing/,\n"
        "https://www.linkedin.com/in/grace-hopper/,qualified\n"
        "https://evil.test/in/nobody,\n")  # fmt: skip
    put(s3, "inbox/nested/other.txt", "https://www.linkedin.com/in/not-this-level/\n")
    result = tick(instance)
    assert added(result) == ["ada-lovelace", "alan-turing", "grace-hopper"]
    ranges = [
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in result.run_requests
    ]
    assert ranges == [("ada-lovelace", "alan-turing"), ("grace-hopper", "grace-hopper")]
    # The lead statuses reach the index at intake.
    assert index_item(aws["dynamodb"], TABLE, "ada-lovelace")["status"] == {"S": "possible"}
    assert index_item(aws["dynamodb"], TABLE, "grace-hopper")["status"] == {"S": "qualified"}
    report = s3.get_object(Bucket=BUCKET, Key="inbox/_rejects/leads.csv.rejects.csv")
    text = report["Body"].read().decode("utf-8")
    assert "leads.csv,5,https://evil.test/in/nobody," in text
    assert report["ServerSideEncryption"] == "AES256"

    # The report is not an inbox file, and an unchanged file is not read again.
    apply(instance, result)
    again = tick(instance, cursor=result.cursor)
    assert added(again) == [] and again.run_requests == []


def test_a_changed_s3_file_is_read_again_for_its_new_lines_only(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    s3 = aws["s3"]
    put(s3, "inbox/leads.txt", "https://www.linkedin.com/in/ada-lovelace/\n")
    first = tick(instance)
    assert added(first) == ["ada-lovelace"]
    apply(instance, first)
    put(
        s3,
        "inbox/leads.txt",
        "https://www.linkedin.com/in/ada-lovelace/\nhttps://www.linkedin.com/in/alan-turing/\n",
    )
    second = tick(instance, cursor=first.cursor)
    assert added(second) == ["alan-turing"]
    assert [r.tags["dagster/asset_partition_range_start"] for r in second.run_requests] == [
        "alan-turing"
    ]


def test_an_empty_s3_inbox_asks_for_nothing(aws: dict, instance: dg.DagsterInstance) -> None:
    result = tick(instance)
    assert added(result) == [] and result.run_requests == []
