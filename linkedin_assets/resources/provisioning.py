"""Create or verify the bucket(s) and the table, idempotently; report what changed or drifted.

Bucket: default encryption (SSE-S3, or SSE-KMS with the configured key), all four public-access
blocks, a policy that refuses unencrypted uploads and plain HTTP, a lifecycle rule that expires old
captured HTML (and old object versions), versioning when asked. The profile-text bucket also gets a
lifecycle rule that expires ``reports/`` (``REPORTS_RETENTION_DAYS``) and, with
``S3_PROFILE_EVENTS_QUEUE_ARN``, an event notification to that SQS queue for every object created
under the profile prefix (docs/ingestion.md). Table: key ``profile_id`` (string), on-demand
billing, point-in-time recovery. ``plan_*`` compare (pure-ish reads); ``apply`` writes.

A bucket may be shared (the storage design allows it for the screenshots), so ``apply`` merges its
lifecycle rules and its queue notification by ID and leaves every other rule and notification
alone. Drift ``apply`` must not repair (a table's key), a bucket it may not read (403) and a
setting it may not read (403, naming the IAM action) raise ``ProvisioningError`` before that target
is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

import botocore.exceptions

from linkedin_assets.core.storage_layout import CAPTURES_PREFIX, REPORTS_PREFIX
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
REPORTS_RETENTION_DAYS: Final = 90
REPORTS_LIFECYCLE_RULE_ID: Final = "linkedin-assets-expire-old-reports"
EVENTS_NOTIFICATION_ID: Final = "linkedin-assets-profile-events"
# Every way an object can be created; the pipeline only ever PUTs, but a copy or a multipart
# upload of a document is a new document to the consumer as well.
EVENTS: Final = ["s3:ObjectCreated:*"]
# S3 filters by one prefix and one suffix. ``<id>.meta.json`` ends in ``.json`` as ``<id>.json``
# does, and no suffix every document has is missing from every upload record (a document's
# suffix is at most ``.json``, which the record shares), so the record's events cannot be
# filtered out here: consumers skip keys ending ``.meta.json`` (core/ingestion_events.py).
EVENTS_SUFFIX: Final = ".json"
# The IAM action each read of ``plan_bucket`` needs, to name it when S3 answers 403.
_READ_ACTIONS: Final = {
    "get_bucket_encryption": "s3:GetEncryptionConfiguration",
    "get_public_access_block": "s3:GetBucketPublicAccessBlock",
    "get_bucket_policy": "s3:GetBucketPolicy",
    "get_bucket_lifecycle_configuration": "s3:GetLifecycleConfiguration",
    "get_bucket_versioning": "s3:GetBucketVersioning",
    "get_bucket_notification_configuration": "s3:GetBucketNotification",
}


@dataclass(frozen=True)
class EventsTarget:
    """Where the profile-text bucket tells of new objects: an SQS queue, for keys under ``prefix``
    ending in ``EVENTS_SUFFIX``."""

    queue_arn: str
    prefix: str

    def configuration(self) -> dict[str, Any]:
        return {
            "Id": EVENTS_NOTIFICATION_ID,
            "QueueArn": self.queue_arn,
            "Events": list(EVENTS),
            "Filter": {
                "Key": {
                    "FilterRules": [
                        {"Name": "prefix", "Value": self.prefix},
                        {"Name": "suffix", "Value": EVENTS_SUFFIX},
                    ]
                }
            },
        }


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


def reports_lifecycle_rule(days: int) -> dict[str, Any]:
    return {
        "ID": REPORTS_LIFECYCLE_RULE_ID,
        "Status": "Enabled",
        "Filter": {"Prefix": REPORTS_PREFIX},
        "Expiration": {"Days": days},
        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
    }


def _read(call: Any, missing_codes: tuple[str, ...], **kwargs: Any) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = call(**kwargs)
        return found
    except botocore.exceptions.ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code in missing_codes:
            return None
        if code in _ACCESS_DENIED_CODES:
            action = _READ_ACTIONS.get(getattr(call, "__name__", ""), "a read permission")
            bucket = kwargs.get("Bucket", "")
            raise ProvisioningError(
                f"s3://{bucket}: access denied (need {action} on arn:aws:s3:::{bucket})"
            ) from exc
        raise


def _filter_rules(configuration: dict[str, Any]) -> dict[str, str]:
    # S3 answers "Prefix"/"Suffix" where it was sent "prefix"/"suffix".
    rules = configuration.get("Filter", {}).get("Key", {}).get("FilterRules", [])
    return {rule["Name"].lower(): rule["Value"] for rule in rules}


def _same_notification(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return (
        current.get("QueueArn") == wanted["QueueArn"]
        # Events is required in S3's answer (botocore's model): always there.
        and sorted(current["Events"]) == sorted(wanted["Events"])
        and _filter_rules(current) == _filter_rules(wanted)
    )


def _notifications(client: Any, bucket: str) -> dict[str, Any]:
    found = _read(client.get_bucket_notification_configuration, (), Bucket=bucket) or {}
    found.pop("ResponseMetadata", None)
    return found


def plan_bucket(
    client: Any,
    bucket: str,
    region: str,
    *,
    kms_key_id: str | None,
    versioning: bool,
    policy: dict[str, Any] | None,
    reports_retention_days: int | None = None,
    events: EventsTarget | None = None,
) -> list[Change]:
    """What differs from the wanted state. ``reports_retention_days`` and ``events`` (the
    profile-text bucket's) are left unchecked when ``None``."""
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
    if reports_retention_days is not None:
        wanted_rule = reports_lifecycle_rule(reports_retention_days)
        reports = [r for r in (life or {}).get("Rules", []) if r.get("ID") == wanted_rule["ID"]]
        if (
            not reports
            or reports[0].get("Expiration", {}).get("Days") != reports_retention_days
            or reports[0].get("Filter", {}).get("Prefix") != REPORTS_PREFIX
            or reports[0].get("Status") != "Enabled"
        ):
            changes.append(
                Change(
                    target,
                    "reports lifecycle",
                    "missing" if not reports else "different",
                    f"expire {REPORTS_PREFIX} after {reports_retention_days} days",
                )
            )
    if events is not None:
        queues = _notifications(client, bucket).get("QueueConfigurations", [])
        ours_now = [q for q in queues if q.get("Id") == EVENTS_NOTIFICATION_ID]
        if not ours_now or not _same_notification(ours_now[0], events.configuration()):
            changes.append(
                Change(
                    target,
                    "object-created events",
                    "missing" if not ours_now else "different",
                    f"{events.prefix}*{EVENTS_SUFFIX} notify {events.queue_arn}",
                )
            )
    status = (_read(client.get_bucket_versioning, (), Bucket=bucket) or {}).get(
        "Status", "Disabled"
    )
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
    reports_retention_days: int | None = None,
    events: EventsTarget | None = None,
) -> list[Change]:
    """Bring the bucket to the wanted state; returns what had to change."""
    changes = plan_bucket(
        client,
        bucket,
        region,
        kms_key_id=kms_key_id,
        versioning=versioning,
        policy=policy,
        reports_retention_days=reports_retention_days,
        events=events,
    )
    if not changes:
        return []
    created = changes[0].setting == "bucket"
    if created:
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
    # The put replaces the whole configuration: keep every rule this call does not write.
    ours = [lifecycle_rule()]
    if reports_retention_days is not None:
        ours.append(reports_lifecycle_rule(reports_retention_days))
    written = {rule["ID"] for rule in ours}
    others = [r for r in (life or {}).get("Rules", []) if r.get("ID") not in written]
    client.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": [*others, *ours]}
    )
    if events is not None and (
        created or any(c.setting == "object-created events" for c in changes)
    ):
        _put_events(client, bucket, events)
    if versioning:
        client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return changes


def _put_events(client: Any, bucket: str, events: EventsTarget) -> None:
    """Our queue notification, merged by ID: the put replaces the whole configuration, so every
    other notification (topics, functions, other queues, EventBridge) is sent back as it was."""
    configuration = _notifications(client, bucket)
    queues = configuration.get("QueueConfigurations", [])
    configuration["QueueConfigurations"] = [
        *(q for q in queues if q.get("Id") != EVENTS_NOTIFICATION_ID),
        events.configuration(),
    ]
    try:
        client.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration=configuration
        )
    except botocore.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        # S3 checks the destination when the configuration is saved: the queue must exist in the
        # bucket's region and its policy must let s3.amazonaws.com send to it.
        raise ProvisioningError(
            f"s3://{bucket}: object-created events to {events.queue_arn} refused: "
            f"{error.get('Code')}: {error.get('Message', '')} (the queue must be in the bucket's "
            "region and allow sqs:SendMessage from s3.amazonaws.com for this bucket; "
            "see docs/ingestion.md)"
        ) from exc


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


def ensure_bucket(
    client: Any,
    bucket: str,
    region: str,
    *,
    reports_retention_days: int | None = None,
    events: EventsTarget | None = None,
) -> bool:
    """The local stack's bucket (SSE-S3, no versioning, no policy: tests upload bare objects on
    purpose to see the checks catch them); ``True`` if it had to change."""
    return bool(
        apply_bucket(
            client,
            bucket,
            region,
            kms_key_id=None,
            versioning=False,
            policy=None,
            reports_retention_days=reports_retention_days,
            events=events,
        )
    )


def ensure_table(client: Any, table: str) -> bool:
    return bool(apply_table(client, table))
