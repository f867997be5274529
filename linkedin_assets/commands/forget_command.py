"""``linkedin-assets forget PROFILE_ID... [--dry-run]``: a person's data deleted everywhere."""

from __future__ import annotations

import os
from contextlib import ExitStack

import dagster as dg
from rich.console import Console
from rich.markup import escape

from linkedin_assets.commands.forget import forget_profiles
from linkedin_assets.local.instance import ensure_dagster_home
from linkedin_assets.resources.environments import build_resources
from linkedin_assets.settings import apply_local_defaults


def run_forget(env: str, profile_ids: list[str], dry_run: bool, console: Console) -> int:
    if env == "local":
        apply_local_defaults(os.environ)
        ensure_dagster_home()
    resources = build_resources(env)
    with ExitStack() as stack:
        storage = stack.enter_context(
            resources["profile_storage"].process_config_and_initialize_cm()
        ).open()
        index = stack.enter_context(
            resources["profile_index_store"].process_config_and_initialize_cm()
        ).open()
        reports = forget_profiles(
            dg.DagsterInstance.get(), storage, index, profile_ids, dry_run=dry_run
        )
    verb = "would delete" if dry_run else "deleted"
    for report in reports:
        console.print(
            escape(
                f"{report.profile_id}: {verb} {len(report.s3_keys_deleted)} object(s), "
                f"index item: {'yes' if report.index_item_deleted else 'none'}, "
                f"partition: {'yes' if report.partition_deleted else 'none'}"
            )
        )
        for key in report.s3_keys_deleted:
            console.print(escape(f"  {key}"))
        if report.runs_with_events:
            console.print(
                escape(
                    f"  still named in the logs of {len(report.runs_with_events)} run(s); "
                    "see docs/security.md"
                )
            )
    return 0
