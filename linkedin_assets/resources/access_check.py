"""Whether the pipeline's own credentials may do what the pipeline does: probe each bucket and
prefix and the table with a throwaway object and item, and name the IAM action of each answer.

Every probe uses the request the pipeline itself makes, encrypted as the pipeline encrypts (so a
bucket policy that refuses unencrypted uploads does not make a held permission look missing). The
probe keys can never be a profile's: a profile ID never contains ``.`` or ``/``, and the probe's
name has both a ``.`` and a suffix no layer writes (``.probe``), so it triggers no ingestion event
either. Each probe is deleted at the end; one that cannot be deleted is named, to be removed by
hand.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import botocore.exceptions

from linkedin_assets.resources.aws import error_code

Result = Literal["held", "missing", "error", "not checked"]
# What S3, DynamoDB and KMS answer when a policy refuses a request. HEAD has no body: bare 403.
DENIED_CODES = frozenset(
    {
        "403", "AccessDenied", "AccessDeniedException", "Forbidden", "UnauthorizedOperation",
        "KMS.AccessDeniedException", "KMS.KMSInvalidStateException",
    }
)  # fmt: skip
PROBE_PREFIX = "_linkedin-assets-access."
PROBE_SUFFIX = ".probe"


@dataclass(frozen=True)
class Permission:
    """One probe's answer: where, what the pipeline does there, the IAM action it needs."""

    target: str  # "s3://bucket/prefix" or "dynamodb:table"
    operation: str  # put, head, get, list, delete
    action: str  # the IAM action, e.g. s3:DeleteObject
    result: Result
    detail: str = ""
    # A probe this check could not delete, to be removed by hand.
    left_behind: str = ""

    @property
    def held(self) -> bool:
        return self.result == "held"


@dataclass(frozen=True)
class S3Target:
    """A prefix of a bucket the pipeline writes and reads, and the client that reaches it."""

    client: Any
    bucket: str
    prefix: str

    @property
    def name(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


def probe_name() -> str:
    # The pipeline's role may delete only these names (docs/security.md), and nothing else.
    return f"{PROBE_PREFIX}{secrets.token_hex(8)}{PROBE_SUFFIX}"


def _answer(call: Callable[[], Any]) -> tuple[Result, str]:
    try:
        call()
    except botocore.exceptions.ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        denied = code in DENIED_CODES or status == 403
        return ("missing" if denied else "error"), error_code(exc)
    except botocore.exceptions.BotoCoreError as exc:
        return "error", error_code(exc)
    return "held", ""


def probe_s3(target: S3Target, sse: dict[str, str]) -> Iterator[Permission]:
    """put, head, get, list and delete one probe object under ``target``'s prefix."""
    key = f"{target.prefix}{probe_name()}"
    client, bucket = target.client, target.bucket
    body = b"linkedin-assets check-access probe\n"
    # With SSE-KMS, S3 asks KMS on the caller's behalf: a data key to write, a decrypt to read.
    kms = sse.get("ServerSideEncryption") == "aws:kms"
    put, read = ("s3:PutObject", "s3:GetObject")
    if kms:
        put, read = f"{put} + kms:GenerateDataKey", f"{read} + kms:Decrypt"
    steps: list[tuple[str, str, Callable[[], Any]]] = [
        ("put", put, lambda: client.put_object(
            Bucket=bucket, Key=key, Body=body, ContentType="text/plain",
            ChecksumAlgorithm="SHA256", **sse,
        )),
        # HeadObject needs s3:GetObject; it is how every put first looks at what is there.
        ("head", read, lambda: client.head_object(Bucket=bucket, Key=key)),
        ("get", read, lambda: client.get_object(Bucket=bucket, Key=key)["Body"].read()),
        # Without s3:ListBucket, S3 answers a HEAD of a missing key 403 instead of 404: every
        # first upload of a profile would fail. The audit lists the prefixes too.
        ("list", "s3:ListBucket", lambda: client.list_objects_v2(
            Bucket=bucket, Prefix=target.prefix, MaxKeys=1
        )),
        ("delete", "s3:DeleteObject", lambda: client.delete_object(Bucket=bucket, Key=key)),
    ]  # fmt: skip
    put_held = True
    for operation, action, call in steps:
        if not put_held and operation in ("head", "get", "delete"):
            yield Permission(target.name, operation, action, "not checked", "no probe: put failed")
            continue
        result, detail = _answer(call)
        if operation == "put":
            put_held = result == "held"
        left = f"s3://{bucket}/{key}" if operation == "delete" and result != "held" else ""
        yield Permission(target.name, operation, action, result, detail, left)


def probe_table(client: Any, table: str) -> Iterator[Permission]:
    """put, get and delete one probe item, with the requests the pipeline makes (UpdateItem,
    BatchGetItem, DeleteItem), and a one-item Scan as the audit makes."""
    key = {"profile_id": {"S": probe_name()}}
    target = f"dynamodb:{table}"
    steps: list[tuple[str, str, Callable[[], Any]]] = [
        ("put", "dynamodb:UpdateItem", lambda: client.update_item(
            TableName=table, Key=key, UpdateExpression="SET #p = :p",
            ExpressionAttributeNames={"#p": "access_probe"},
            ExpressionAttributeValues={":p": {"BOOL": True}},
        )),
        ("get", "dynamodb:BatchGetItem", lambda: client.batch_get_item(
            RequestItems={table: {"Keys": [key], "ConsistentRead": True}}
        )),
        ("list", "dynamodb:Scan", lambda: client.scan(TableName=table, Limit=1)),
        ("delete", "dynamodb:DeleteItem", lambda: client.delete_item(TableName=table, Key=key)),
    ]  # fmt: skip
    put_held = True
    for operation, action, call in steps:
        if not put_held and operation in ("get", "delete"):
            yield Permission(target, operation, action, "not checked", "no probe: put failed")
            continue
        result, detail = _answer(call)
        if operation == "put":
            put_held = result == "held"
        left = ""
        if operation == "delete" and result != "held":
            left = f"{target} item profile_id={key['profile_id']['S']}"
        yield Permission(target, operation, action, result, detail, left)
