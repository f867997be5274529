"""`linkedin-assets provision` against moto's server over HTTP: creates, is idempotent, reports
drift with --check, and repairs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_provision_creates_then_changes_nothing_then_repairs_drift(stack: dict[str, str]) -> None:
    first = provision(stack, "--env", "local", "--versioning")
    assert first.returncode == 0, first.stderr
    assert "changed: s3://prov-shots bucket: missing" in first.stdout
    assert "changed: s3://prov-text bucket: missing" in first.stdout
    assert "changed: dynamodb:prov-table table: missing" in first.stdout
    assert "omits DenyInsecureTransport" in first.stdout

    again = provision(stack, "--env", "local", "--versioning")
    assert again.returncode == 0 and "nothing to change" in again.stdout, again.stdout
    assert provision(stack, "--env", "local", "--versioning", "--check").returncode == 0

    s3, ddb = local_client("s3", stack), local_client("dynamodb", stack)
    assert (
        s3.get_bucket_encryption(Bucket="prov-text")["ServerSideEncryptionConfiguration"]["Rules"][
            0
        ]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
        == "AES256"
    )
    assert s3.get_bucket_versioning(Bucket="prov-shots")["Status"] == "Enabled"
    assert (
        s3.get_bucket_lifecycle_configuration(Bucket="prov-shots")["Rules"][0]["Filter"]["Prefix"]
        == "captures/"
    )
    assert (
        ddb.describe_continuous_backups(TableName="prov-table")["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"
        ]["PointInTimeRecoveryStatus"]
        == "ENABLED"
    )
    assert (
        ddb.describe_table(TableName="prov-table")["Table"]["BillingModeSummary"]["BillingMode"]
        == "PAY_PER_REQUEST"
    )

    s3.delete_bucket_encryption(Bucket="prov-text")
    s3.delete_public_access_block(Bucket="prov-shots")
    drift = provision(stack, "--env", "local", "--check")
    assert drift.returncode == 1
    assert "drift: s3://prov-text default encryption" in drift.stdout
    assert "drift: s3://prov-shots public access block" in drift.stdout
    # --check changed nothing:
    with pytest.raises(s3.exceptions.ClientError):
        s3.get_bucket_encryption(Bucket="prov-text")

    fixed = provision(stack, "--env", "local")
    assert fixed.returncode == 0 and "changed: s3://prov-text default encryption" in fixed.stdout
    assert provision(stack, "--env", "local", "--check").returncode == 0


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
