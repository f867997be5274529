"""``linkedin-assets check-access --env ENV``: may the pipeline's own credentials do its work?"""

from __future__ import annotations

from contextlib import ExitStack

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from linkedin_assets.core.storage_layout import (
    CAPTURES_PREFIX,
    EXTRACTED_PREFIX,
    REPORTS_PREFIX,
    normalise_prefix,
)
from linkedin_assets.resources.access_check import Permission, S3Target, probe_s3, probe_table
from linkedin_assets.resources.environments import build_resources
from linkedin_assets.resources.inbox_source import REJECTS_FOLDER, parse_inbox_location
from linkedin_assets.settings import apply_local_defaults

SHOWN = {"held": "held", "missing": "MISSING", "error": "ERROR", "not checked": "not checked"}


def run_check_access(env: str, console: Console) -> int:
    """Probe every bucket prefix, the inbox (on S3) and the table with the credentials the
    pipeline of ``env`` runs with; print each permission; 1 when any is not held."""
    if env == "local":
        apply_local_defaults()  # into os.environ
    resources = build_resources(env)
    permissions: list[Permission] = []
    with ExitStack() as stack:
        storage = stack.enter_context(
            resources["profile_storage"].process_config_and_initialize_cm()
        )
        index = stack.enter_context(
            resources["profile_index_store"].process_config_and_initialize_cm()
        )
        automation = stack.enter_context(resources["automation"].process_config_and_initialize_cm())
        sse = {"ServerSideEncryption": storage.sse_algorithm}
        if storage.sse_algorithm == "aws:kms" and storage.kms_key_id:
            sse["SSEKMSKeyId"] = storage.kms_key_id
        regions = storage.bucket_regions()
        shots = storage.screenshot_bucket
        text = storage.profile_text_bucket or shots
        # Every prefix the pipeline, its checks and its reports write (core/storage_layout.py).
        targets = [
            (shots, normalise_prefix(storage.screenshot_prefix)),
            (shots, CAPTURES_PREFIX),
            (text, normalise_prefix(storage.profile_text_prefix)),
            (text, EXTRACTED_PREFIX),
            (text, REPORTS_PREFIX),
        ]
        clients = {bucket: storage.aws.client("s3", region=r) for bucket, r in regions.items()}
        s3_targets = [S3Target(clients[b], b, prefix) for b, prefix in targets]
        if automation.inbox:
            kind, bucket, prefix = parse_inbox_location(automation.inbox)
            if kind == "s3":
                # The sensor writes only its rejects, under the inbox; it reads the whole inbox.
                inbox_client = automation.aws.client("s3")
                rejects = f"{prefix}{REJECTS_FOLDER}/"
                s3_targets.append(S3Target(inbox_client, bucket, rejects))
        for target in s3_targets:
            permissions += probe_s3(target, sse)
        permissions += probe_table(index.aws.client("dynamodb"), index.table)
    console.print(permission_table(env, permissions))
    missing = [p for p in permissions if not p.held]
    if not missing:
        console.print(f"{env}: all {len(permissions)} permissions held")
        return 0
    for p in permissions:
        if p.left_behind:
            console.print(escape(f"probe left at {p.left_behind}: remove it by hand"))
    actions = sorted({p.action for p in missing if p.result == "missing"})
    console.print(
        escape(
            f"{env}: {len(missing)} of {len(permissions)} not held"
            + (f"; missing IAM actions: {', '.join(actions)}" if actions else "")
        )
    )
    return 1


def permission_table(env: str, permissions: list[Permission]) -> Table:
    table = Table(title=f"{env}: what the pipeline's credentials may do")
    table.add_column("where", no_wrap=True)
    table.add_column("operation", no_wrap=True)
    table.add_column("IAM action", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("detail")
    for p in permissions:
        table.add_row(escape(p.target), p.operation, p.action, SHOWN[p.result], escape(p.detail))
    return table
