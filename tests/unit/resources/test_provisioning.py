"""Provisioning drift, one test per kind, on moto's in-process mock (the ``aws`` fixture: the bucket
with SSE-S3, no versioning and no policy, the table as wanted); botocore's Stubber for the 403."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from linkedin_assets.errors import ProvisioningError
from linkedin_assets.resources.provisioning import (
    CAPTURE_RETENTION_DAYS,
    EVENTS_NOTIFICATION_ID,
    LIFECYCLE_RULE_ID,
    PUBLIC_ACCESS_BLOCK,
    REPORTS_LIFECYCLE_RULE_ID,
    EventsTarget,
    apply_bucket,
    apply_table,
    bucket_policy,
    lifecycle_rule,
    plan_bucket,
    plan_table,
)
from tests.conftest import BUCKET, REGION, TABLE

# What the ``aws`` fixture's bucket was provisioned with.
AS_PROVISIONED: dict[str, Any] = {"kms_key_id": None, "versioning": False, "policy": None}


def bucket_drift(s3: Any, **wanted: Any) -> list[str]:
    return [c.setting for c in plan_bucket(s3, BUCKET, REGION, **{**AS_PROVISIONED, **wanted})]


def repair(s3: Any, **wanted: Any) -> list[str]:
    changed = apply_bucket(s3, BUCKET, REGION, **{**AS_PROVISIONED, **wanted})
    return [c.setting for c in changed]


def test_the_fixture_bucket_and_table_have_no_drift(aws: dict[str, Any]) -> None:
    assert bucket_drift(aws["s3"]) == []
    assert plan_table(aws["dynamodb"], TABLE) == []


def test_encryption_drift_is_reported_and_repaired(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    s3.delete_bucket_encryption(Bucket=BUCKET)
    assert bucket_drift(s3) == ["default encryption"]
    assert repair(s3) == ["default encryption"]
    rule = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert bucket_drift(s3) == []


def test_public_access_block_drift_is_reported_and_repaired(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    s3.put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": True,
        },
    )
    assert bucket_drift(s3) == ["public access block"]
    assert repair(s3) == ["public access block"]
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    assert bucket_drift(s3) == []


def test_policy_drift_is_reported_and_repaired(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    wanted = bucket_policy(BUCKET)
    missing = plan_bucket(s3, BUCKET, REGION, **{**AS_PROVISIONED, "policy": wanted})
    assert [(c.setting, c.current) for c in missing] == [("bucket policy", "missing")]
    only_uploads = {**wanted, "Statement": wanted["Statement"][:1]}
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(only_uploads))
    different = plan_bucket(s3, BUCKET, REGION, **{**AS_PROVISIONED, "policy": wanted})
    assert [(c.setting, c.current) for c in different] == [("bucket policy", "different")]
    assert repair(s3, policy=wanted) == ["bucket policy"]
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"]) == wanted
    assert bucket_drift(s3, policy=wanted) == []


def test_lifecycle_is_merged_by_id_and_other_rules_are_kept(aws: dict[str, Any]) -> None:
    # A shared bucket: someone else's rule beside ours, and ours edited to expire too soon.
    s3 = aws["s3"]
    theirs = {
        "ID": "someone-elses-rule",
        "Status": "Enabled",
        "Filter": {"Prefix": "exports/"},
        "Expiration": {"Days": 7},
    }
    too_soon = {**lifecycle_rule(), "Expiration": {"Days": 1}}
    s3.put_bucket_lifecycle_configuration(
        Bucket=BUCKET, LifecycleConfiguration={"Rules": [theirs, too_soon]}
    )
    assert bucket_drift(s3) == ["lifecycle"]
    assert repair(s3) == ["lifecycle"]
    rules = {
        rule["ID"]: rule for rule in s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    }
    assert set(rules) == {"someone-elses-rule", LIFECYCLE_RULE_ID}
    assert rules["someone-elses-rule"]["Expiration"] == {"Days": 7}
    assert rules["someone-elses-rule"]["Filter"] == {"Prefix": "exports/"}
    assert rules[LIFECYCLE_RULE_ID]["Expiration"]["Days"] == CAPTURE_RETENTION_DAYS
    assert bucket_drift(s3) == []


def test_repairing_another_setting_keeps_other_lifecycle_rules(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    theirs = {
        "ID": "theirs",
        "Status": "Enabled",
        "Filter": {"Prefix": "x/"},
        "Expiration": {"Days": 3},
    }
    s3.put_bucket_lifecycle_configuration(
        Bucket=BUCKET, LifecycleConfiguration={"Rules": [theirs, lifecycle_rule()]}
    )
    s3.delete_bucket_encryption(Bucket=BUCKET)
    assert repair(s3) == ["default encryption"]
    ids = [r["ID"] for r in s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]]
    assert sorted(ids) == sorted(["theirs", LIFECYCLE_RULE_ID])


def test_versioning_drift_is_reported_and_repaired(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    drift = plan_bucket(s3, BUCKET, REGION, **{**AS_PROVISIONED, "versioning": True})
    assert [(c.setting, c.current, c.wanted) for c in drift] == [
        ("versioning", "Disabled", "Enabled")
    ]
    assert repair(s3, versioning=True) == ["versioning"]
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    assert bucket_drift(s3, versioning=True) == []


def test_billing_drift_is_reported_and_repaired(aws: dict[str, Any]) -> None:
    dynamodb = aws["dynamodb"]
    dynamodb.update_table(
        TableName=TABLE,
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    )
    drift = plan_table(dynamodb, TABLE)
    assert [(c.setting, c.current) for c in drift] == [("billing mode", "PROVISIONED")]
    assert [c.setting for c in apply_table(dynamodb, TABLE)] == ["billing mode"]
    summary = dynamodb.describe_table(TableName=TABLE)["Table"]["BillingModeSummary"]
    assert summary["BillingMode"] == "PAY_PER_REQUEST"
    assert plan_table(dynamodb, TABLE) == []


def test_point_in_time_recovery_drift_is_reported_and_repaired(aws: dict[str, Any]) -> None:
    dynamodb = aws["dynamodb"]
    dynamodb.update_continuous_backups(
        TableName=TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    drift = plan_table(dynamodb, TABLE)
    assert [(c.setting, c.current) for c in drift] == [("point-in-time recovery", "DISABLED")]
    assert [c.setting for c in apply_table(dynamodb, TABLE)] == ["point-in-time recovery"]
    assert plan_table(dynamodb, TABLE) == []


def test_a_wrong_key_schema_is_an_error_and_nothing_is_written(aws: dict[str, Any]) -> None:
    dynamodb = aws["dynamodb"]
    dynamodb.create_table(
        TableName="wrong-key",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    )
    drift = plan_table(dynamodb, "wrong-key")
    assert [c.setting for c in drift] == ["key schema", "billing mode", "point-in-time recovery"]
    assert drift[0].unrepairable and not drift[1].unrepairable
    with pytest.raises(ProvisioningError, match=r"dynamodb:wrong-key key schema: .*not changed"):
        apply_table(dynamodb, "wrong-key")
    # Not ours to reconfigure: the billing mode it had is left as it was.
    assert plan_table(dynamodb, "wrong-key") == drift


def test_a_missing_bucket_is_reported_as_missing(aws: dict[str, Any]) -> None:
    drift = plan_bucket(aws["s3"], "not-there", REGION, **AS_PROVISIONED)
    assert [(c.setting, c.current) for c in drift] == [("bucket", "missing")]


@pytest.mark.parametrize("code", ["403", "AccessDenied"])
def test_a_403_on_the_bucket_is_access_denied_not_missing(code: str) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stubber:
        stubber.add_client_error(
            "head_bucket", service_error_code=code, http_status_code=403, expected_params=None
        )
        with pytest.raises(ProvisioningError) as raised:
            plan_bucket(s3, "theirs", REGION, **AS_PROVISIONED)
        stubber.assert_no_pending_responses()
    assert str(raised.value).startswith(
        "s3://theirs: access denied (need s3:ListBucket on arn:aws:s3:::theirs"
    )


def test_another_head_bucket_error_is_not_reported_as_missing() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stubber:
        stubber.add_client_error("head_bucket", service_error_code="500", http_status_code=500)
        with pytest.raises(ProvisioningError, match=r"^s3://b: head_bucket failed with 500$"):
            plan_bucket(s3, "b", REGION, **AS_PROVISIONED)


def test_reports_lifecycle_is_added_merged_and_checked(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    drift = plan_bucket(s3, BUCKET, REGION, **AS_PROVISIONED, reports_retention_days=90)
    assert [(c.setting, c.current) for c in drift] == [("reports lifecycle", "missing")]
    assert repair(s3, reports_retention_days=90) == ["reports lifecycle"]
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]}
    assert rules[REPORTS_LIFECYCLE_RULE_ID]["Filter"] == {"Prefix": "reports/"}
    assert rules[REPORTS_LIFECYCLE_RULE_ID]["Expiration"] == {"Days": 90}
    assert LIFECYCLE_RULE_ID in rules  # the captures rule is kept beside it
    assert bucket_drift(s3, reports_retention_days=90) == []
    # Another retention is drift, repaired in place; not asking leaves the rule alone.
    assert bucket_drift(s3, reports_retention_days=30) == ["reports lifecycle"]
    assert repair(s3, reports_retention_days=30) == ["reports lifecycle"]
    assert bucket_drift(s3, reports_retention_days=30) == []
    assert bucket_drift(s3) == []


QUEUE_ARN = f"arn:aws:sqs:{REGION}:123456789012:profile-events"


def test_events_notification_is_added_and_merged_with_others(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    sqs = boto3.client("sqs", region_name=REGION)
    theirs_url = sqs.create_queue(QueueName="theirs")["QueueUrl"]
    sqs.create_queue(QueueName="profile-events")
    theirs_arn = sqs.get_queue_attributes(QueueUrl=theirs_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    theirs = {
        "Id": "someone-elses",
        "QueueArn": theirs_arn,
        "Events": ["s3:ObjectRemoved:*"],
    }
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET, NotificationConfiguration={"QueueConfigurations": [theirs]}
    )
    events = EventsTarget(QUEUE_ARN, "profiles/")
    assert bucket_drift(s3, events=events) == ["object-created events"]
    assert repair(s3, events=events) == ["object-created events"]
    queues = {
        q["Id"]: q
        for q in s3.get_bucket_notification_configuration(Bucket=BUCKET)["QueueConfigurations"]
    }
    assert set(queues) == {"someone-elses", EVENTS_NOTIFICATION_ID}
    assert queues["someone-elses"]["QueueArn"] == theirs_arn
    ours = queues[EVENTS_NOTIFICATION_ID]
    assert ours["QueueArn"] == QUEUE_ARN and ours["Events"] == ["s3:ObjectCreated:*"]
    rules = {r["Name"].lower(): r["Value"] for r in ours["Filter"]["Key"]["FilterRules"]}
    assert rules == {"prefix": "profiles/", "suffix": ".json"}
    assert bucket_drift(s3, events=events) == []
    # Another prefix is drift, and the repair replaces ours only.
    moved = EventsTarget(QUEUE_ARN, "docs/")
    assert bucket_drift(s3, events=moved) == ["object-created events"]
    assert repair(s3, events=moved) == ["object-created events"]
    ids = [
        q["Id"]
        for q in s3.get_bucket_notification_configuration(Bucket=BUCKET)["QueueConfigurations"]
    ]
    assert sorted(ids) == sorted(["someone-elses", EVENTS_NOTIFICATION_ID])


def test_a_new_bucket_gets_its_events_and_reports_rule(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    events = EventsTarget(QUEUE_ARN, "profiles/")
    created = apply_bucket(
        s3, "fresh-bucket", REGION, **AS_PROVISIONED, reports_retention_days=90, events=events
    )
    assert [c.setting for c in created] == ["bucket"]
    drift = plan_bucket(
        s3, "fresh-bucket", REGION, **AS_PROVISIONED, reports_retention_days=90, events=events
    )
    assert drift == []


@pytest.mark.parametrize(
    ("operation", "action"),
    [
        ("get_bucket_encryption", "s3:GetEncryptionConfiguration"),
        ("get_bucket_policy", "s3:GetBucketPolicy"),
    ],
)
def test_a_403_on_a_bucket_read_names_the_iam_action(operation: str, action: str) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stubber:
        stubber.add_response("head_bucket", {})
        if operation == "get_bucket_policy":
            stubber.add_response(
                "get_bucket_encryption",
                {
                    "ServerSideEncryptionConfiguration": {
                        "Rules": [
                            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                        ]
                    }
                },
            )
            stubber.add_response(
                "get_public_access_block",
                {"PublicAccessBlockConfiguration": dict(PUBLIC_ACCESS_BLOCK)},
            )
        stubber.add_client_error(operation, service_error_code="AccessDenied", http_status_code=403)
        with pytest.raises(ProvisioningError) as raised:
            plan_bucket(
                s3, "theirs", REGION, **{**AS_PROVISIONED, "policy": bucket_policy("theirs")}
            )
    assert str(raised.value) == f"s3://theirs: access denied (need {action} on arn:aws:s3:::theirs)"
