"""``profile_refresh_schedule``: nightly batched backfills of what needs work.

Missing, failed, ``text_upload_failed`` and stale profiles (``refresh_max_age_days``) are chosen
by ``refresh.select_for_refresh``, capped per tick oldest first, and launched as runs over
contiguous partition ranges of at most ``batch_size`` profiles. A profile whose index item holds a
tombstone (the site said 404, or showed an auth wall to the anonymous browser) waits
``not_found_retry_days`` or ``auth_wall_retry_days`` after it was seen.
"""

from datetime import UTC, datetime, timedelta

import dagster as dg

from linkedin_assets.assets.partitions import contiguous_ranges, profile_partitions, range_tags
from linkedin_assets.assets.pipeline import ALL_ASSETS, INDEX, profile_pipeline_job
from linkedin_assets.core.refresh import DagsterStatus, ProfileState, select_for_refresh
from linkedin_assets.resources.configured import AutomationSettings, ProfileIndexResource
from linkedin_assets.settings import setting, wants_running

DEFAULT_CRON = "0 3 * * *"
# Keyed by what get_status_by_partition answers, None (no status) included: it falls to missing.
STATUS_NAMES: dict[dg.AssetPartitionStatus | None, DagsterStatus] = {
    dg.AssetPartitionStatus.MATERIALIZED: "materialized",
    dg.AssetPartitionStatus.FAILED: "failed",
    dg.AssetPartitionStatus.IN_PROGRESS: "in_progress",
}


def schedule_status(environ: dict[str, str], env: str) -> dg.DefaultScheduleStatus:
    running = wants_running(environ, "PROFILE_REFRESH_SCHEDULE_STATUS", env)
    return dg.DefaultScheduleStatus.RUNNING if running else dg.DefaultScheduleStatus.STOPPED


def profile_states(
    instance: dg.DagsterInstance, order: list[str], index_items: dict[str, dict]
) -> list[ProfileState]:
    statuses = instance.get_status_by_partition(INDEX, order, profile_partitions)
    return [
        ProfileState(
            profile_id=pid,
            status=STATUS_NAMES.get(statuses.get(pid), "missing"),
            refreshed_at=index_items.get(pid, {}).get("updated_at"),
            upload_failed=bool(index_items.get(pid, {}).get("text_upload_failed")),
            unavailable=index_items.get(pid, {}).get("unavailable"),
            unavailable_seen_at=index_items.get(pid, {}).get("unavailable_seen_at"),
        )
        for pid in order
    ]


def build_refresh_schedule(environ: dict[str, str], env: str) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="profile_refresh_schedule",
        job=profile_pipeline_job,
        cron_schedule=setting("PROFILE_REFRESH_CRON", environ) or DEFAULT_CRON,
        execution_timezone="UTC",
        default_status=schedule_status(environ, env),
        description="Re-captures missing, failed and stale profiles in batched runs, oldest first; "
        "a profile the site said was gone or walled waits its retry days.",
    )
    def profile_refresh_schedule(
        context: dg.ScheduleEvaluationContext,
        automation: AutomationSettings,
        profile_index_store: ProfileIndexResource,
    ) -> list[dg.RunRequest] | dg.SkipReason:
        order = list(context.instance.get_dynamic_partitions(profile_partitions.name))
        index = profile_index_store.open()
        attributes = ["updated_at", "text_upload_failed", "unavailable", "unavailable_seen_at"]
        items = {i["profile_id"]: i for i in index.scan(attributes)}
        now = context.scheduled_execution_time or datetime.now(UTC)
        chosen, waiting = select_for_refresh(
            profile_states(context.instance, order, items),
            now=now,
            max_age=timedelta(days=automation.refresh_max_age_days),
            cap=automation.refresh_max_profiles_per_tick,
            retry_after={
                "not_found": timedelta(days=automation.not_found_retry_days),
                "auth_wall": timedelta(days=automation.auth_wall_retry_days),
            },
        )
        if not chosen:
            return dg.SkipReason(f"all {len(order)} profiles are fresh")
        reasons: dict[str, int] = {}
        for selected in chosen:
            reasons[selected.reason] = reasons.get(selected.reason, 0) + 1
        context.log.info(f"refreshing {len(chosen)} profile(s) {reasons}; {waiting} wait for later")
        stamp = now.strftime("%Y%m%dT%H%M")
        return [
            dg.RunRequest(
                run_key=f"refresh:{stamp}:{first}..{last}",
                asset_selection=list(ALL_ASSETS),
                tags={**range_tags(first, last), "linkedin-assets/source": "refresh-schedule"},
            )
            for first, last, _ in contiguous_ranges(
                [s.profile_id for s in chosen], order, automation.batch_size
            )
        ]

    return profile_refresh_schedule
