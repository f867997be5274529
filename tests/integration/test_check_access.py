"""`linkedin-assets check-access` against the running local stack (moto's server over HTTP).

moto's server enforces a bucket policy's plain ``Deny`` on object requests: it answers 403 (empty
body) to a DeleteObject its policy denies, so the S3 case below is moto's own refusal, not a
stand-in. moto does not enforce IAM for DynamoDB unless its IAM mode is on (which would refuse
every request of credentials it has not issued), so the table's refusal is the fault proxy's
``AccessDeniedException``, in DynamoDB's own error format.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linkedin_assets.testing.fault_proxy import FaultProxy, FaultRule
from tests.integration.local_aws import local_client

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent
PROBE = "_linkedin-assets-access."


def check_access(stack: dict[str, str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "linkedin-assets"), "check-access", "--env", "local"],
        env={**os.environ, **stack, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def rows(output: str) -> list[list[str]]:
    """The table's rows: where, operation, IAM action, result."""
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in output.splitlines()]
    return [c[:4] for c in cells if len(c) >= 4 and c[0].startswith(("s3://", "dynamodb:"))]


def probes_left(stack: dict[str, str]) -> list[str]:
    listed = local_client("s3", stack).list_objects_v2(Bucket=stack["S3_SCREENSHOT_BUCKET_NAME"])
    return [o["Key"] for o in listed.get("Contents", []) if PROBE in o["Key"]]


def test_every_permission_is_held_on_the_local_stack(stack: dict[str, str]) -> None:
    result = check_access(stack)
    assert result.returncode == 0, result.stdout + result.stderr
    found = rows(result.stdout)
    bucket = stack["S3_SCREENSHOT_BUCKET_NAME"]
    wheres = {where for where, *_ in found}
    assert wheres == {
        *(f"s3://{bucket}/{p}/" for p in ("screenshots", "captures", "profiles", "extracted")),
        f"s3://{bucket}/reports/",
        f"dynamodb:{stack['DYNAMODB_PROFILE_TABLE']}",
    }
    assert {result for *_, result in found} == {"held"}
    assert ["dynamodb:" + stack["DYNAMODB_PROFILE_TABLE"], "delete", "dynamodb:DeleteItem",
            "held"] in found  # fmt: skip
    assert f"local: all {len(found)} permissions held" in result.stdout
    assert probes_left(stack) == []  # every probe was removed


def test_a_bucket_policy_denying_deletes_is_named_and_fails(stack: dict[str, str]) -> None:
    bucket = stack["S3_SCREENSHOT_BUCKET_NAME"]
    s3 = local_client("s3", stack)
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
             "Resource": f"arn:aws:s3:::{bucket}/*"}
        ],
    }  # fmt: skip
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(deny))
    try:
        result = check_access(stack)
    finally:
        s3.delete_bucket_policy(Bucket=bucket)
    assert result.returncode == 1, result.stdout + result.stderr
    not_held = [row for row in rows(result.stdout) if row[3] != "held"]
    assert not_held and all(
        operation == "delete" and action == "s3:DeleteObject" and status == "MISSING"
        for _, operation, action, status in not_held
    ), not_held
    assert len(not_held) == 5  # one per prefix of the bucket
    assert "missing IAM actions: s3:DeleteObject" in result.stdout
    left = probes_left(stack)
    assert len(left) == 5 and all(
        f"probe left at s3://{bucket}/{key}" in result.stdout for key in left
    )
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in left]})


def test_a_table_refusing_deletes_is_named_and_fails(stack: dict[str, str]) -> None:
    with FaultProxy(stack["AWS_ENDPOINT_URL"]) as proxy:
        proxy.set_rules([
            FaultRule("error", service="dynamodb", operation="DeleteItem", status=400,
                      code="AccessDeniedException"),
        ])  # fmt: skip
        result = check_access(stack, AWS_ENDPOINT_URL=proxy.url)
        assert proxy.stats()["injected"] == {"error:400:AccessDeniedException": 1}
    assert result.returncode == 1, result.stdout + result.stderr
    not_held = [row for row in rows(result.stdout) if row[3] != "held"]
    table = f"dynamodb:{stack['DYNAMODB_PROFILE_TABLE']}"
    assert not_held == [[table, "delete", "dynamodb:DeleteItem", "MISSING"]]
    assert "missing IAM actions: dynamodb:DeleteItem" in result.stdout
    assert f"probe left at {table} item profile_id={PROBE}" in result.stdout


def test_an_s3_inbox_is_probed_where_the_sensor_writes(stack: dict[str, str]) -> None:
    bucket = stack["S3_SCREENSHOT_BUCKET_NAME"]
    result = check_access(stack, PROFILE_URL_INBOX=f"s3://{bucket}/inbox/")
    assert result.returncode == 0, result.stdout + result.stderr
    inbox = [row for row in rows(result.stdout) if row[0] == f"s3://{bucket}/inbox/_rejects/"]
    assert [(operation, status) for _, operation, _, status in inbox] == [
        ("put", "held"), ("head", "held"), ("get", "held"), ("list", "held"), ("delete", "held"),
    ]  # fmt: skip
