"""`linkedin-assets provision` against moto's server over HTTP: creates, is idempotent, reports
drift with --check, and repairs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from linkedin_assets.resources.ingestion_queue import drain
from linkedin_assets.testing.fault_proxy import FaultProxy, FaultRule
from tests.integration.local_aws import local_client

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent


def provision(stack: dict[str, str], *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        **stack,
        "S3_SCREENSHOT_BUCKET_NAME": "prov-shots",
        "S3_PROFILE_TEXT_BUCKET_NAME": "prov-text",
        "DYNAMODB_PROFILE_TABLE": "prov-table",
        **env,
    }
    return subprocess.run(
        [str(BIN / "linkedin-assets"), "provision", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


# The first test's own buckets and table: the module's other tests make prov-*, in any order.
FRESH = {
    "S3_SCREENSHOT_BUCKET_NAME": "fresh-shots",
    "S3_PROFILE_TEXT_BUCKET_NAME": "fresh-text",
    "DYNAMODB_PROFILE_TABLE": "fresh-table",
}


def test_provision_creates_then_changes_nothing_then_repairs_drift(stack: dict[str, str]) -> None:
    first = provision(stack, "--env", "local", "--versioning", **FRESH)
    assert first.returncode == 0, first.stderr
    assert "changed: s3://fresh-shots bucket: missing" in first.stdout
    assert "changed: s3://fresh-text bucket: missing" in first.stdout
    assert "changed: dynamodb:fresh-table table: missing" in first.stdout
    assert "omits DenyInsecureTransport" in first.stdout

    again = provision(stack, "--env", "local", "--versioning", **FRESH)
    assert again.returncode == 0 and "nothing to change" in again.stdout, again.stdout
    assert provision(stack, "--env", "local", "--versioning", "--check", **FRESH).returncode == 0

    s3, ddb = local_client("s3", stack), local_client("dynamodb", stack)
    assert (
        s3.get_bucket_encryption(Bucket="fresh-text")["ServerSideEncryptionConfiguration"]["Rules"][
            0
        ]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
        == "AES256"
    )
    assert s3.get_bucket_versioning(Bucket="fresh-shots")["Status"] == "Enabled"
    assert (
        s3.get_bucket_lifecycle_configuration(Bucket="fresh-shots")["Rules"][0]["Filter"]["Prefix"]
        == "captures/"
    )
    assert (
        ddb.describe_continuous_backups(TableName="fresh-table")["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"
        ]["PointInTimeRecoveryStatus"]
        == "ENABLED"
    )
    assert (
        ddb.describe_table(TableName="fresh-table")["Table"]["BillingModeSummary"]["BillingMode"]
        == "PAY_PER_REQUEST"
    )

    s3.delete_bucket_encryption(Bucket="fresh-text")
    s3.delete_public_access_block(Bucket="fresh-shots")
    drift = provision(stack, "--env", "local", "--check", **FRESH)
    assert drift.returncode == 1
    assert "drift: s3://fresh-text default encryption" in drift.stdout
    assert "drift: s3://fresh-shots public access block" in drift.stdout
    # --check changed nothing:
    with pytest.raises(s3.exceptions.ClientError):
        s3.get_bucket_encryption(Bucket="fresh-text")

    fixed = provision(stack, "--env", "local", **FRESH)
    assert fixed.returncode == 0 and "changed: s3://fresh-text default encryption" in fixed.stdout
    assert provision(stack, "--env", "local", "--check", **FRESH).returncode == 0


def test_kms_key_is_the_default_encryption_when_configured(stack: dict[str, str]) -> None:
    key_id = local_client("kms", stack).create_key()["KeyMetadata"]["KeyId"]
    result = provision(
        stack,
        "--env",
        "local",
        S3_SCREENSHOT_BUCKET_NAME="prov-kms",
        S3_PROFILE_TEXT_BUCKET_NAME="prov-kms",
        S3_KMS_KEY_ID=key_id,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rule = local_client("s3", stack).get_bucket_encryption(Bucket="prov-kms")[
        "ServerSideEncryptionConfiguration"
    ]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": key_id,
    }


def test_a_table_key_it_cannot_change_is_an_error_not_a_change(stack: dict[str, str]) -> None:
    local_client("dynamodb", stack).create_table(
        TableName="prov-wrong-key",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    result = provision(stack, "--env", "local", DYNAMODB_PROFILE_TABLE="prov-wrong-key")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "changed: dynamodb:prov-wrong-key" not in result.stdout
    assert "error: dynamodb:prov-wrong-key key schema: [('id', 'HASH')]" in result.stdout
    assert "a table's key cannot change" in result.stdout

    check = provision(stack, "--env", "local", "--check", DYNAMODB_PROFILE_TABLE="prov-wrong-key")
    assert check.returncode == 1
    assert "drift: dynamodb:prov-wrong-key key schema" in check.stdout
    assert "provision cannot repair this" in check.stdout


def test_text_bucket_gets_reports_expiry_and_events_to_the_queue(stack: dict[str, str]) -> None:
    names = {
        "S3_SCREENSHOT_BUCKET_NAME": "prov-ev-shots",
        "S3_PROFILE_TEXT_BUCKET_NAME": "prov-ev-text",
    }
    result = provision(stack, "--env", "local", REPORTS_RETENTION_DAYS="30", **names)
    assert result.returncode == 0, result.stdout + result.stderr
    s3 = local_client("s3", stack)
    rules = {
        r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket="prov-ev-text")["Rules"]
    }
    assert rules["linkedin-assets-expire-old-reports"]["Expiration"] == {"Days": 30}
    assert rules["linkedin-assets-expire-old-reports"]["Filter"] == {"Prefix": "reports/"}
    shots = s3.get_bucket_lifecycle_configuration(Bucket="prov-ev-shots")["Rules"]
    assert [r["ID"] for r in shots] == ["linkedin-assets-expire-old-captures"]  # no reports there
    # The local default queue: the one the local stack created.
    [queue] = s3.get_bucket_notification_configuration(Bucket="prov-ev-text")["QueueConfigurations"]
    assert queue["QueueArn"] == "arn:aws:sqs:us-west-2:123456789012:linkedin-profile-events-local"
    assert "QueueConfigurations" not in s3.get_bucket_notification_configuration(
        Bucket="prov-ev-shots"
    )
    check = provision(stack, "--env", "local", "--check", REPORTS_RETENTION_DAYS="30", **names)
    assert check.returncode == 0, check.stdout
    drift = provision(stack, "--env", "local", "--check", **names)  # the default, 90 days
    assert drift.returncode == 1
    assert (
        "drift: s3://prov-ev-text reports lifecycle: different -> expire reports/ after 90 days"
        in drift.stdout
    )

    # A document under profiles/ reaches the queue, as an ingestion consumer reads it.
    # moto 5.2 applies a Deny statement without evaluating its condition on the request, so the
    # provisioned DenyUnencryptedUploads refuses every PutObject there, encrypted or not; the
    # notification under test is the bucket's, not the policy's.
    s3.delete_bucket_policy(Bucket="prov-ev-text")
    s3.put_object(
        Bucket="prov-ev-text",
        Key="profiles/jane-doe.json",
        Body=b"{}",
        ServerSideEncryption="AES256",
    )
    sqs = local_client("sqs", stack)
    url = sqs.get_queue_url(QueueName="linkedin-profile-events-local")["QueueUrl"]
    # S3 (and moto) also sends an s3:TestEvent when a notification is saved; it names no object.
    created = drain(sqs, url)
    assert ("prov-ev-text", "profiles/jane-doe.json") in [(e.bucket, e.key) for e in created]


def test_a_queue_in_another_region_is_refused(stack: dict[str, str]) -> None:
    result = provision(
        stack, "--env", "local",
        S3_PROFILE_EVENTS_QUEUE_ARN="arn:aws:sqs:eu-west-1:123456789012:elsewhere",
    )  # fmt: skip
    assert result.returncode == 2
    assert "S3 notifies queues of its own region only" in result.stderr


def test_check_tells_access_denied_from_a_missing_bucket(stack: dict[str, str]) -> None:
    missing = provision(stack, "--env", "local", "--check", S3_SCREENSHOT_BUCKET_NAME="prov-none",
                        S3_PROFILE_TEXT_BUCKET_NAME="prov-none")  # fmt: skip
    assert missing.returncode == 1
    assert "drift: s3://prov-none bucket: missing" in missing.stdout
    assert "access denied" not in missing.stdout

    # S3 answers a HEAD the caller may not make 403 with no body, whether or not the bucket
    # exists: here the proxy answers so for one bucket (moto has no IAM for it).
    with FaultProxy(stack["AWS_ENDPOINT_URL"]) as proxy:
        proxy.set_rules([FaultRule("error", service="s3", operation="HEAD",
                                   path_prefix="/prov-theirs", status=403, code="AccessDenied")])  # fmt: skip
        denied = provision(stack, "--env", "local", "--check", AWS_ENDPOINT_URL=proxy.url,
                           S3_SCREENSHOT_BUCKET_NAME="prov-theirs",
                           S3_PROFILE_TEXT_BUCKET_NAME="prov-theirs")  # fmt: skip
        assert proxy.stats()["injected"] == {"error:403:AccessDenied": 1}
    assert denied.returncode == 1, denied.stdout + denied.stderr
    assert "error: s3://prov-theirs: access denied (need s3:ListBucket" in denied.stdout
    assert "missing" not in denied.stdout
