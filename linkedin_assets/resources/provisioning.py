"""Create or verify the bucket(s) and the table, idempotently; report what changed or drifted.

Bucket: default encryption (SSE-S3, or SSE-KMS with the configured key), all four public-access
blocks, a policy that refuses unencrypted uploads and plain HTTP, a lifecycle rule that expires old
captured HTML (and old object versions), versioning when asked. Table: key ``profile_id`` (string),
on-demand billing, point-in-time recovery. ``plan_*`` compare (pure-ish reads); ``apply`` writes.

A bucket may be shared (the storage design allows it for the screenshots), so ``apply`` merges its
lifecycle rule by ID and leaves every other rule alone. Drift ``apply`` must not repair (a table's
key) and a bucket it may not read (403) raise ``ProvisioningError`` before that target is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import botocore.exceptions

from linkedin_assets.core.storage_layout import CAPTURES_PREFIX
from linkedin_assets.errors import ProvisioningError

PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
CAPTURE_RETENTION_DAYS = 180
LIFECYCLE_RULE_ID = "linkedin-assets-expire-old-captures"
# HEAD has no body, so botocore's error code is the bare HTTP status.
_BUCKET_MISSING_CODES = ("404", "NoSuchBucket")
_ACCESS_DENIED_CODES = ("403", "AccessDenied")


@dataclass(frozen=True)
class Change:
    target: str  # "s3://bucket" or "dynamodb:table"
    setting: str
    current: str
    wanted: str
    # Why ``apply`` must not repair it, or "" when it can.
    unrepairable: str = ""

    def __str__(self) -> str:
        return f"{self.target} {self.setting}: {self.current} -> {self.wanted}"


def encryption_rule(kms_key_id: str | None) -> dict[str, Any]:
    if kms_key_id:
        return {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key_id}
    return {"SSEAlgorithm": "AES256"}


def bucket_policy(bucket: str, https_only: bool = True) -> dict[str, Any]:
    """Refuse unencrypted uploads and (``https_only``) any request over plain HTTP.

    ``https_only`` is off only for an endpoint that is itself plain HTTP (moto's server on
    127.0.0.1), which the statement would otherwise lock out.
    """
    arn = f"arn:aws:s3:::{bucket}"
    statements: list[dict[str, Any]] = [
        {"Sid": "DenyUnencryptedUploads", "Effect": "Deny", "Principal": "*",
         "Action": "s3:PutObject", "Resource": f"{arn}/*",
         "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}},
    ]  # fmt: skip
    if https_only:
        statements.append(
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        )  # fmt: skip
    return {"Version": "2012-10-17", "Statement": statements}


def lifecycle_rule() -> dict[str, Any]:
    return {
        "ID": LIFECYCLE_RULE_ID,
        "Status": "Enabled",
        "Filter": {"Prefix": CAPTURES_PREFIX},
        "Expiration": {"Days": CAPTURE_RETENTION_DAYS},
        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
    }


def _read(call: Any, missing_codes: tuple[str, ...], **kwargs: Any) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = call(**kwargs)
        return found
    except botocore.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in missing_codes:
            return None
        raise


def plan_bucket(
    client: Any,
    bucket: str,
    region: str,
    *,
    kms_key_id: str | None,
    versioning: bool,
    policy: dict[str, Any] | None,
) -> list[Change]:
    target = f"s3://{bucket}"
    try:
        client.head_bucket(Bucket=bucket)
    except botocore.exceptions.ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code in _ACCESS_DENIED_CODES:
            # Creating it would fail too (or, for a name another account holds, mislead).
            raise ProvisioningError(
                f"{target}: access denied (need s3:ListBucket on arn:aws:s3:::{bucket}, "
                "or the bucket belongs to another account)"
            ) from exc
        if code not in _BUCKET_MISSING_CODES:
            raise ProvisioningError(f"{target}: head_bucket failed with {code}") from exc
        return [Change(target, "bucket", "missing", f"created in {region}, configured as below")]
    changes = []
    enc = _read(
        client.get_bucket_encryption,
        ("ServerSideEncryptionConfigurationNotFoundError",),
        Bucket=bucket,
    )
    rules = (enc or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    current = rules[0].get("ApplyServerSideEncryptionByDefault") if rules else None
    if current != encryption_rule(kms_key_id):
        changes.append(
            Change(target, "default encryption", str(current), str(encryption_rule(kms_key_id)))
        )
    block = _read(
        client.get_public_access_block, ("NoSuchPublicAccessBlockConfiguration",), Bucket=bucket
    )
    if (block or {}).get("PublicAccessBlockConfiguration") != PUBLIC_ACCESS_BLOCK:
        changes.append(
            Change(
                target,
                "public access block",
                str((block or {}).get("PublicAccessBlockConfiguration")),
                "all four on",
            )
        )
    current_policy = _read(client.get_bucket_policy, ("NoSuchBucketPolicy",), Bucket=bucket)
    if policy is not None and (
        current_policy is None or json.loads(current_policy["Policy"]) != policy
    ):
        changes.append(
            Change(
                target,
                "bucket policy",
                "missing" if current_policy is None else "different",
                ", ".join(statement["Sid"] for statement in policy["Statement"]),
            )
        )
    life = _read(
        client.get_bucket_lifecycle_configuration, ("NoSuchLifecycleConfiguration",), Bucket=bucket
    )
    ours = [r for r in (life or {}).get("Rules", []) if r.get("ID") == LIFECYCLE_RULE_ID]
    if not ours or ours[0].get("Expiration", {}).get("Days") != CAPTURE_RETENTION_DAYS:
        changes.append(
            Change(
                target,
                "lifecycle",
                "missing" if not ours else "different",
                f"expire {CAPTURES_PREFIX} after {CAPTURE_RETENTION_DAYS} days",
            )
        )
    status = client.get_bucket_versioning(Bucket=bucket).get("Status", "Disabled")
    if versioning and status != "Enabled":
        changes.append(Change(target, "versioning", status, "Enabled"))
    return changes


def apply_bucket(
    client: Any,
    bucket: str,
    region: str,
    *,
    kms_key_id: str | None,
    versioning: bool,
    policy: dict[str, Any] | None,
) -> list[Change]:
    """Bring the bucket to the wanted state; returns what had to change."""
    changes = plan_bucket(
        client, bucket, region, kms_key_id=kms_key_id, versioning=versioning, policy=policy
    )
    if not changes:
        return []
    if changes[0].setting == "bucket":
        kwargs: dict[str, Any] = {"Bucket": bucket}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(**kwargs)
    client.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": encryption_rule(kms_key_id),
                    "BucketKeyEnabled": bool(kms_key_id),
                }
            ]
        },
    )
    client.put_public_access_block(
        Bucket=bucket, PublicAccessBlockConfiguration=PUBLIC_ACCESS_BLOCK
    )
    if policy is not None:
        client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    life = _read(
        client.get_bucket_lifecycle_configuration, ("NoSuchLifecycleConfiguration",), Bucket=bucket
    )
    # The put replaces the whole configuration: keep the rules that are not ours.
    others = [r for r in (life or {}).get("Rules", []) if r.get("ID") != LIFECYCLE_RULE_ID]
    client.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": [*others, lifecycle_rule()]}
    )
    if versioning:
        client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return changes


def plan_table(client: Any, table: str) -> list[Change]:
    target = f"dynamodb:{table}"
    try:
        description = client.describe_table(TableName=table)["Table"]
    except client.exceptions.ResourceNotFoundException:
        return [
            Change(target, "table", "missing", "created: key profile_id (S), on-demand, PITR on")
        ]
    changes = []
    key = [(k["AttributeName"], k["KeyType"]) for k in description["KeySchema"]]
    if key != [("profile_id", "HASH")]:
        # A key cannot be changed in place: report it, never "fix" it by deleting data.
        changes.append(
            Change(
                target,
                "key schema",
                str(key),
                "[('profile_id', 'HASH')] (needs a new table)",
                unrepairable="a table's key cannot change; create a new table and copy the items",
            )
        )
    billing = description.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    if billing != "PAY_PER_REQUEST":
        changes.append(Change(target, "billing mode", billing, "PAY_PER_REQUEST"))
    backups = client.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    pitr = backups.get("PointInTimeRecoveryDescription", {}).get(
        "PointInTimeRecoveryStatus", "DISABLED"
    )
    if pitr != "ENABLED":
        changes.append(Change(target, "point-in-time recovery", pitr, "ENABLED"))
    return changes


def apply_table(client: Any, table: str) -> list[Change]:
    """Bring the table to the wanted state; returns what had to change.

    Raises ``ProvisioningError``, writing nothing, when the table has drift ``apply`` must not
    repair: a table with another key is not ours to reconfigure.
    """
    changes = plan_table(client, table)
    for change in changes:
        if change.unrepairable:
            raise ProvisioningError(f"{change}: not changed: {change.unrepairable}")
    settings = {c.setting for c in changes}
    if "table" in settings:
        client.create_table(
            TableName=table,
            AttributeDefinitions=[{"AttributeName": "profile_id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "profile_id", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.get_waiter("table_exists").wait(TableName=table, WaiterConfig={"Delay": 1})
    if "billing mode" in settings:
        client.update_table(TableName=table, BillingMode="PAY_PER_REQUEST")
    if "table" in settings or "point-in-time recovery" in settings:
        client.update_continuous_backups(
            TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    return changes


def ensure_bucket(client: Any, bucket: str, region: str) -> bool:
    """The local stack's bucket (SSE-S3, no versioning, no policy: tests upload bare objects on
    purpose to see the checks catch them); ``True`` if it had to change."""
    return bool(
        apply_bucket(client, bucket, region, kms_key_id=None, versioning=False, policy=None)
    )


def ensure_table(client: Any, table: str) -> bool:
    return bool(apply_table(client, table))
