"""Provisioning drift, one test per kind, on moto's in-process mock (the ``aws`` fixture: the bucket
with SSE-S3, no versioning and no policy, the table as wanted); botocore's Stubber for the 403."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions
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
    _put_events,
    _read,
    apply_bucket,
    apply_table,
    bucket_policy,
    ensure_bucket,
    ensure_table,
    lifecycle_rule,
    plan_bucket,
    plan_table,
    reports_lifecycle_rule,
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


# --- Whole changes and whole requests, on botocore's Stubber (issue 18, mutation) ----------------

ARN = "arn:aws:sqs:us-west-2:123456789012:profile-events"
OURS_EVENTS = EventsTarget(ARN, "profiles/")
AES = {"SSEAlgorithm": "AES256"}
KMS = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k1"}


def encryption(rule: dict[str, str]) -> dict[str, Any]:
    return {"ServerSideEncryptionConfiguration": {"Rules": [
        {"ApplyServerSideEncryptionByDefault": rule}]}}  # fmt: skip


def queue(arn: str = ARN, events: list[str] | None = None, **rules: str) -> dict[str, Any]:
    filters = [{"Name": name, "Value": value} for name, value in rules.items()]
    return {"Id": EVENTS_NOTIFICATION_ID, "QueueArn": arn,
            "Events": events or ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": filters}}}  # fmt: skip


def reports_rule(**changed: Any) -> dict[str, Any]:
    return {**reports_lifecycle_rule(90), **changed}


def stub_reads(
    stub: Stubber,
    *,
    enc: dict[str, Any] | str = AES,
    block: dict[str, Any] | str = PUBLIC_ACCESS_BLOCK,
    policy: dict[str, Any] | str = "NoSuchBucketPolicy",
    rules: list[dict[str, Any]] | str | None = None,
    notifications: dict[str, Any] | None = None,
    versioning: dict[str, Any] | None = None,
) -> None:
    """Answers to ``plan_bucket``'s reads of bucket ``b``, in order; a string is an error code."""
    b = {"Bucket": "b"}
    stub.add_response("head_bucket", {}, b)
    reads: list[tuple[str, Any, dict[str, Any]]] = [
        ("get_bucket_encryption", enc, encryption(enc) if isinstance(enc, dict) else {}),
        ("get_public_access_block", block, {"PublicAccessBlockConfiguration": block}),
        ("get_bucket_policy", policy, {"Policy": json.dumps(policy)}),
        ("get_bucket_lifecycle_configuration", rules, {"Rules": rules or [lifecycle_rule()]}),
    ]
    for operation, given, answer in reads:
        if isinstance(given, str):
            stub.add_client_error(operation, given, http_status_code=404, expected_params=b)
        else:
            stub.add_response(operation, answer, b)
    if notifications is not None:
        stub.add_response("get_bucket_notification_configuration", notifications, b)
    stub.add_response("get_bucket_versioning", versioning or {}, b)


def test_every_kind_of_bucket_drift_is_described_whole() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    wanted = bucket_policy("b")
    short = {**reports_rule(), "Expiration": {"Days": 30}}
    with Stubber(s3) as stub:
        stub_reads(stub, block={**PUBLIC_ACCESS_BLOCK, "BlockPublicPolicy": False},
                   policy={**wanted, "Statement": wanted["Statement"][:1]},
                   rules=[{**lifecycle_rule(), "Expiration": {"Days": 1}}, short],
                   notifications={"QueueConfigurations": [queue(prefix="docs/", suffix=".json")]},
                   versioning={"Status": "Suspended"})  # fmt: skip
        drift = plan_bucket(s3, "b", REGION, kms_key_id="k1", versioning=True, policy=wanted,
                            reports_retention_days=90, events=OURS_EVENTS)  # fmt: skip
        stub.assert_no_pending_responses()
    assert [str(c) for c in drift] == [
        f"s3://b default encryption: {AES} -> {KMS}",
        f"s3://b public access block: { ({**PUBLIC_ACCESS_BLOCK, 'BlockPublicPolicy': False}) }"
        " -> all four on",
        "s3://b bucket policy: different -> DenyUnencryptedUploads, DenyInsecureTransport",
        "s3://b lifecycle: different -> expire captures/ after 180 days",
        "s3://b reports lifecycle: different -> expire reports/ after 90 days",
        f"s3://b object-created events: different -> profiles/*.json notify {ARN}",
        "s3://b versioning: Suspended -> Enabled",
    ]
    assert not any(c.unrepairable for c in drift)


def test_every_missing_bucket_setting_is_described_whole() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub_reads(stub, enc="ServerSideEncryptionConfigurationNotFoundError",
                   block="NoSuchPublicAccessBlockConfiguration", policy="NoSuchBucketPolicy",
                   rules="NoSuchLifecycleConfiguration", notifications={})  # fmt: skip
        drift = plan_bucket(s3, "b", REGION, kms_key_id=None, versioning=True,
                            policy=bucket_policy("b", https_only=False),
                            reports_retention_days=90, events=OURS_EVENTS)  # fmt: skip
    assert [str(c) for c in drift] == [
        f"s3://b default encryption: None -> {AES}",
        "s3://b public access block: None -> all four on",
        "s3://b bucket policy: missing -> DenyUnencryptedUploads",
        "s3://b lifecycle: missing -> expire captures/ after 180 days",
        "s3://b reports lifecycle: missing -> expire reports/ after 90 days",
        f"s3://b object-created events: missing -> profiles/*.json notify {ARN}",
        "s3://b versioning: Disabled -> Enabled",
    ]


def test_a_bucket_as_wanted_has_no_drift_whatever_case_s3_gives_the_filter_names() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    wanted = bucket_policy("b")
    theirs = {**queue("arn:aws:sqs:us-west-2:1:theirs"), "Id": "theirs"}
    with Stubber(s3) as stub:
        stub_reads(stub, enc=KMS, policy=wanted, rules=[lifecycle_rule(), reports_rule()],
                   notifications={"QueueConfigurations": [
                       theirs, queue(Prefix="profiles/", Suffix=".json")]},
                   versioning={"Status": "Enabled"})  # fmt: skip
        assert plan_bucket(s3, "b", REGION, kms_key_id="k1", versioning=True, policy=wanted,
                           reports_retention_days=90, events=OURS_EVENTS) == []  # fmt: skip


@pytest.mark.parametrize(
    "rule",
    [
        reports_rule(Expiration={"Days": 30}),
        reports_rule(Filter={"Prefix": "captures/"}),
        reports_rule(Status="Disabled"),
    ],
    ids=["days", "prefix", "status"],
)
def test_a_reports_rule_that_differs_in_one_field_is_drift(rule: dict[str, Any]) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub_reads(stub, rules=[lifecycle_rule(), rule])
        drift = plan_bucket(s3, "b", REGION, **AS_PROVISIONED, reports_retention_days=90)
    assert [(c.setting, c.current) for c in drift] == [("reports lifecycle", "different")]


@pytest.mark.parametrize(
    "ours",
    [
        queue("arn:aws:sqs:us-west-2:1:other", prefix="profiles/", suffix=".json"),
        queue(events=["s3:ObjectCreated:Put"], prefix="profiles/", suffix=".json"),
        queue(prefix="profiles/", suffix=".html"),
    ],
    ids=["queue", "events", "suffix"],
)
def test_a_notification_that_differs_in_one_field_is_drift(ours: dict[str, Any]) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub_reads(stub, notifications={"QueueConfigurations": [ours]})
        drift = plan_bucket(s3, "b", REGION, **AS_PROVISIONED, events=OURS_EVENTS)
    assert [(c.setting, c.current) for c in drift] == [("object-created events", "different")]


def test_a_new_bucket_is_created_and_configured_with_exactly_these_requests() -> None:
    s3 = boto3.client("s3", region_name="eu-west-1")
    theirs = {**queue("arn:aws:sqs:eu-west-1:1:theirs"), "Id": "theirs"}
    b = {"Bucket": "b"}
    with Stubber(s3) as stub:
        stub.add_client_error("head_bucket", "404", http_status_code=404, expected_params=b)
        stub.add_response(
            "create_bucket",
            {},
            {"Bucket": "b", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}},
        )
        stub.add_response(
            "put_bucket_encryption",
            {},
            {
                "Bucket": "b",
                "ServerSideEncryptionConfiguration": {
                    "Rules": [{"ApplyServerSideEncryptionByDefault": KMS, "BucketKeyEnabled": True}]
                },
            },
        )
        stub.add_response(
            "put_public_access_block",
            {},
            {"Bucket": "b", "PublicAccessBlockConfiguration": PUBLIC_ACCESS_BLOCK},
        )
        stub.add_response(
            "put_bucket_policy", {}, {"Bucket": "b", "Policy": json.dumps(bucket_policy("b"))}
        )
        stub.add_client_error(
            "get_bucket_lifecycle_configuration",
            "NoSuchLifecycleConfiguration",
            http_status_code=404,
            expected_params=b,
        )
        stub.add_response(
            "put_bucket_lifecycle_configuration",
            {},
            {
                "Bucket": "b",
                "LifecycleConfiguration": {"Rules": [lifecycle_rule(), reports_lifecycle_rule(90)]},
            },
        )
        stub.add_response(
            "get_bucket_notification_configuration",
            {"QueueConfigurations": [theirs], "TopicConfigurations": []},
            b,
        )
        stub.add_response(
            "put_bucket_notification_configuration",
            {},
            {
                "Bucket": "b",
                "NotificationConfiguration": {
                    "QueueConfigurations": [theirs, OURS_EVENTS.configuration()],
                    "TopicConfigurations": [],
                },
            },
        )
        stub.add_response(
            "put_bucket_versioning",
            {},
            {"Bucket": "b", "VersioningConfiguration": {"Status": "Enabled"}},
        )
        changes = apply_bucket(s3, "b", "eu-west-1", kms_key_id="k1", versioning=True,
                               policy=bucket_policy("b"), reports_retention_days=90,
                               events=OURS_EVENTS)  # fmt: skip
        stub.assert_no_pending_responses()
    assert [str(c) for c in changes] == [
        "s3://b bucket: missing -> created in eu-west-1, configured as below"
    ]


def test_in_us_east_1_a_bucket_is_created_without_a_location() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    with Stubber(s3) as stub:
        stub.add_client_error("head_bucket", "NoSuchBucket", http_status_code=404)
        stub.add_response("create_bucket", {}, {"Bucket": "b"})
        stub.add_response(
            "put_bucket_encryption",
            {},
            {
                "Bucket": "b",
                "ServerSideEncryptionConfiguration": {
                    "Rules": [
                        {"ApplyServerSideEncryptionByDefault": AES, "BucketKeyEnabled": False}
                    ]
                },
            },
        )
        stub.add_response("put_public_access_block", {})
        stub.add_response("get_bucket_lifecycle_configuration", {"Rules": []})
        stub.add_response(
            "put_bucket_lifecycle_configuration",
            {},
            {"Bucket": "b", "LifecycleConfiguration": {"Rules": [lifecycle_rule()]}},
        )
        apply_bucket(s3, "b", "us-east-1", **AS_PROVISIONED)
        stub.assert_no_pending_responses()


def test_a_bucket_without_drift_is_not_written() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub_reads(stub)  # no put queued: the Stubber fails any write
        assert apply_bucket(s3, "b", REGION, **AS_PROVISIONED) == []
        stub.assert_no_pending_responses()


def test_events_already_as_wanted_are_not_rewritten_when_other_settings_drift() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub_reads(stub, notifications={"QueueConfigurations": [
            queue(prefix="profiles/", suffix=".json")]}, versioning={})  # fmt: skip
        stub.add_response("put_bucket_encryption", {})
        stub.add_response("put_public_access_block", {})
        stub.add_response("get_bucket_lifecycle_configuration", {"Rules": [lifecycle_rule()]})
        stub.add_response("put_bucket_lifecycle_configuration", {})
        stub.add_response("put_bucket_versioning", {})  # no notification put before it
        changes = apply_bucket(s3, "b", REGION, kms_key_id=None, versioning=True, policy=None,
                               events=OURS_EVENTS)  # fmt: skip
        stub.assert_no_pending_responses()
    assert [c.setting for c in changes] == ["versioning"]


def test_a_refused_notification_says_what_the_queue_needs() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub.add_response("get_bucket_notification_configuration", {})
        stub.add_client_error("put_bucket_notification_configuration", "InvalidArgument",
                              "Unable to validate the following destination configurations",
                              http_status_code=400)  # fmt: skip
        with pytest.raises(ProvisioningError) as raised:
            _put_events(s3, "b", OURS_EVENTS)
    assert str(raised.value) == (
        f"s3://b: object-created events to {ARN} refused: InvalidArgument: Unable to validate "
        "the following destination configurations (the queue must be in the bucket's region and "
        "allow sqs:SendMessage from s3.amazonaws.com for this bucket; see docs/ingestion.md)"
    )


def test_a_403_on_a_read_without_a_known_action_still_names_the_bucket() -> None:
    def unnamed(**_: Any) -> dict[str, Any]:
        raise botocore.exceptions.ClientError(
            {"Error": {"Code": "403"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "Read"
        )

    with pytest.raises(ProvisioningError) as raised:
        _read(unnamed, (), Bucket="b")
    assert str(raised.value) == "s3://b: access denied (need a read permission on arn:aws:s3:::b)"


def test_another_error_on_a_read_is_raised_as_it_is() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub.add_response("head_bucket", {})
        stub.add_client_error("get_bucket_encryption", "InternalError", http_status_code=500)
        with pytest.raises(botocore.exceptions.ClientError, match="InternalError"):
            plan_bucket(s3, "b", REGION, **AS_PROVISIONED)


# --- Tables -------------------------------------------------------------------------------------


def test_a_missing_table_is_created_on_demand_with_point_in_time_recovery() -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    described = {
        "Table": {
            "TableName": "idx",
            "TableStatus": "ACTIVE",
            "KeySchema": [{"AttributeName": "profile_id", "KeyType": "HASH"}],
        }
    }
    t = {"TableName": "idx"}
    with Stubber(dynamodb) as stub:
        stub.add_client_error("describe_table", "ResourceNotFoundException", expected_params=t)
        stub.add_response(
            "create_table",
            {},
            {
                "TableName": "idx",
                "AttributeDefinitions": [{"AttributeName": "profile_id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "profile_id", "KeyType": "HASH"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        )
        stub.add_response("describe_table", described, t)  # the waiter's first look
        stub.add_response(
            "update_continuous_backups",
            {},
            {
                "TableName": "idx",
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            },
        )
        changes = apply_table(dynamodb, "idx")
        stub.assert_no_pending_responses()
    assert [str(c) for c in changes] == [
        "dynamodb:idx table: missing -> created: key profile_id (S), on-demand, PITR on"
    ]


def test_table_drift_is_described_whole_and_repaired_with_exactly_these_requests() -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    described = {"Table": {"KeySchema": [{"AttributeName": "profile_id", "KeyType": "HASH"}]}}
    t = {"TableName": "idx"}
    with Stubber(dynamodb) as stub:
        for _ in range(2):
            stub.add_response("describe_table", described, t)
            stub.add_response("describe_continuous_backups",
                              {"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED"}},
                              t)  # fmt: skip
        stub.add_response(
            "update_table", {}, {"TableName": "idx", "BillingMode": "PAY_PER_REQUEST"}
        )
        stub.add_response(
            "update_continuous_backups",
            {},
            {
                "TableName": "idx",
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            },
        )
        assert [str(c) for c in plan_table(dynamodb, "idx")] == [
            "dynamodb:idx billing mode: PROVISIONED -> PAY_PER_REQUEST",
            "dynamodb:idx point-in-time recovery: DISABLED -> ENABLED",
        ]
        assert len(apply_table(dynamodb, "idx")) == 2
        stub.assert_no_pending_responses()


def test_a_wrong_key_is_refused_with_the_reason_and_nothing_written() -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    described = {
        "Table": {
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        }
    }
    backups = {
        "ContinuousBackupsDescription": {
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"},
        }
    }
    with Stubber(dynamodb) as stub:
        stub.add_response("describe_table", described)
        stub.add_response("describe_continuous_backups", backups)
        with pytest.raises(ProvisioningError) as raised:
            apply_table(dynamodb, "idx")
        stub.assert_no_pending_responses()
    assert str(raised.value) == (
        "dynamodb:idx key schema: [('id', 'HASH')] -> [('profile_id', 'HASH')] (needs a new table)"
        ": not changed: a table's key cannot change; create a new table and copy the items"
    )


def test_ensure_reports_whether_anything_changed(aws: dict[str, Any]) -> None:
    assert ensure_bucket(aws["s3"], BUCKET, REGION) is False
    assert ensure_table(aws["dynamodb"], TABLE) is False
    assert ensure_bucket(aws["s3"], "another", REGION, reports_retention_days=90) is True
    assert ensure_table(aws["dynamodb"], "another") is True
    rules = aws["s3"].get_bucket_lifecycle_configuration(Bucket="another")["Rules"]
    assert [r["ID"] for r in rules] == [LIFECYCLE_RULE_ID, REPORTS_LIFECYCLE_RULE_ID]


def documented_policy(bucket: str) -> dict[str, Any]:
    """The bucket policy as docs/s3-storage-design.md shows it, for ``bucket``."""
    doc = (Path(__file__).parents[3] / "docs" / "s3-storage-design.md").read_text(encoding="utf-8")
    section = doc.split("## Bucket policy", 1)[1]
    block = section.split("```json\n", 1)[1].split("```", 1)[0]
    policy: dict[str, Any] = json.loads(block.replace("BUCKET", bucket))
    return policy


def test_the_bucket_policy_is_the_documented_one() -> None:
    assert bucket_policy("my-bucket") == documented_policy("my-bucket")
    # Over plain HTTP (moto's server) only the transport statement is left out.
    plain = documented_policy("my-bucket")
    plain["Statement"] = [s for s in plain["Statement"] if s["Sid"] != "DenyInsecureTransport"]
    assert bucket_policy("my-bucket", https_only=False) == plain


def test_the_lifecycle_rules_expire_what_the_storage_design_says(aws: dict[str, Any]) -> None:
    s3 = aws["s3"]
    apply_bucket(s3, "fresh", REGION, **AS_PROVISIONED, reports_retention_days=45)
    rules = s3.get_bucket_lifecycle_configuration(Bucket="fresh")["Rules"]
    assert rules == [
        {"ID": "linkedin-assets-expire-old-captures", "Status": "Enabled",
         "Filter": {"Prefix": "captures/"}, "Expiration": {"Days": 180},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 30}},
        {"ID": "linkedin-assets-expire-old-reports", "Status": "Enabled",
         "Filter": {"Prefix": "reports/"}, "Expiration": {"Days": 45},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 30}},
    ]  # fmt: skip
    encryption = s3.get_bucket_encryption(Bucket="fresh")["ServerSideEncryptionConfiguration"]
    assert encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "AES256"
    }
    block = s3.get_public_access_block(Bucket="fresh")["PublicAccessBlockConfiguration"]
    assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                     "BlockPublicPolicy": True, "RestrictPublicBuckets": True}  # fmt: skip


@pytest.mark.parametrize(
    "ours",
    [
        {k: v for k, v in queue().items() if k != "Filter"},
        {**queue(), "Filter": {}},
        {**queue(), "Filter": {"Key": {}}},
    ],
    ids=["no-filter", "empty-filter", "no-rules"],
)
def test_a_notification_without_our_filter_is_drift(ours: dict[str, Any]) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub_reads(stub, notifications={"QueueConfigurations": [ours]})
        drift = plan_bucket(s3, "b", REGION, **AS_PROVISIONED, events=OURS_EVENTS)
    assert [(c.setting, c.current) for c in drift] == [("object-created events", "different")]


def test_a_failed_notification_read_is_raised_as_it_is() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with Stubber(s3) as stub:
        stub.add_client_error("get_bucket_notification_configuration", "InternalError",
                              http_status_code=500)  # fmt: skip
        with pytest.raises(botocore.exceptions.ClientError, match="InternalError"):
            _put_events(s3, "b", OURS_EVENTS)
