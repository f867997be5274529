"""``linkedin-assets provision --env ENV [--check] [--versioning]``."""

from __future__ import annotations

import os
from contextlib import ExitStack

from rich.console import Console
from rich.markup import escape

from linkedin_assets.core.setting_rules import queue_arn_parts
from linkedin_assets.core.storage_layout import normalise_prefix
from linkedin_assets.errors import ConfigurationError, ProvisioningError
from linkedin_assets.resources.environments import build_resources
from linkedin_assets.resources.provisioning import (
    REPORTS_RETENTION_DAYS,
    Change,
    EventsTarget,
    apply_bucket,
    apply_table,
    bucket_policy,
    plan_bucket,
    plan_table,
)
from linkedin_assets.settings import apply_local_defaults, setting


def run_provision(env: str, check: bool, versioning: bool, console: Console) -> int:
    """Create or verify; with ``check`` only report drift. Exit status 1 when drift is found,
    and when ``provision`` may not read a bucket or finds drift it must not repair (an error line
    with the reason, after what it did change)."""
    if env == "local":
        apply_local_defaults()  # into os.environ
    resources = build_resources(env)
    with ExitStack() as stack:
        storage = stack.enter_context(
            resources["profile_storage"].process_config_and_initialize_cm()
        )
        index = stack.enter_context(
            resources["profile_index_store"].process_config_and_initialize_cm()
        )
        endpoint = storage.aws.endpoint_url or os.environ.get("AWS_ENDPOINT_URL")
        https_only = not (endpoint or "").startswith("http://")
        kms = storage.kms_key_id if storage.sse_algorithm == "aws:kms" else None
        buckets = storage.bucket_regions()
        text_bucket = storage.profile_text_bucket or storage.screenshot_bucket
        # The profile-text bucket's own: reports expire, and new documents are announced.
        reports_days = setting("REPORTS_RETENTION_DAYS", os.environ) or REPORTS_RETENTION_DAYS
        queue_arn = setting("S3_PROFILE_EVENTS_QUEUE_ARN", os.environ)
        events = None
        if queue_arn:
            queue_region = queue_arn_parts(queue_arn)[0]
            if queue_region != buckets[text_bucket]:
                raise ConfigurationError(
                    f"S3_PROFILE_EVENTS_QUEUE_ARN is in {queue_region}, the profile-text bucket "
                    f"s3://{text_bucket} in {buckets[text_bucket]}: S3 notifies queues of its "
                    "own region only"
                )
            events = EventsTarget(queue_arn, normalise_prefix(storage.profile_text_prefix))
        changes: list[Change] = []
        failure: ProvisioningError | None = None
        try:
            for bucket, region in buckets.items():
                client = storage.aws.client("s3", region=region)
                policy = bucket_policy(bucket, https_only)
                plan = plan_bucket if check else apply_bucket
                text = bucket == text_bucket
                changes += plan(
                    client,
                    bucket,
                    region,
                    kms_key_id=kms,
                    versioning=versioning,
                    policy=policy,
                    reports_retention_days=reports_days if text else None,
                    events=events if text else None,
                )
            dynamodb = index.aws.client("dynamodb")
            changes += (plan_table if check else apply_table)(dynamodb, index.table)
        except ProvisioningError as exc:
            # What was already changed must still be reported before the reason we stopped.
            failure = exc
    targets = ", ".join([*(f"s3://{b}" for b in buckets), f"dynamodb:{index.table}"])
    if not changes and failure is None:
        console.print(f"{env}: {targets} as wanted; nothing to change")
        return 0
    verb = "drift" if check else "changed"
    for change in changes:
        cannot = f" (provision cannot repair this: {change.unrepairable})"
        console.print(escape(f"{verb}: {change}{cannot if change.unrepairable else ''}"))
    if changes and not https_only:
        console.print("note: plain-HTTP endpoint, so the bucket policy omits DenyInsecureTransport")
    if failure is not None:
        console.print(escape(f"error: {failure}"))
        return 1
    return 1 if check else 0
