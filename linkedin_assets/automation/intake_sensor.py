"""``new_profile_urls_sensor``: URL files dropped in the inbox become partitions and batched runs.

Each tick reads only new or changed files (the cursor remembers file versions and how far into a
large file it got), reads the existing partitions once, and returns one ``SensorResult``: the new
partitions in bounded batches, a run per ``batch_size`` new profiles, and, for profiles whose lead
status changed, a run of ``profile_json`` + ``profile_index`` only so the status reaches the S3
metadata and the index without a new capture.
"""

import hashlib
import logging

import dagster as dg

from linkedin_assets.assets.partitions import contiguous_ranges, profile_partitions, range_tags
from linkedin_assets.assets.pipeline import ALL_ASSETS, INDEX, JSON, profile_pipeline_job
from linkedin_assets.automation import intake
from linkedin_assets.automation.intake_tick import IntakeTick, take_in
from linkedin_assets.core.inbox import InboxCursor, shown_name
from linkedin_assets.resources.configured import AutomationSettings, ProfileIndexResource
from linkedin_assets.settings import setting, wants_running

MAX_REJECTS_LOGGED = 50
DEFAULT_INTERVAL_S = 60
SOURCE_TAG = "linkedin-assets/source"


def sensor_status(environ: dict[str, str], env: str) -> dg.DefaultSensorStatus:
    """Off in ``local`` unless ``PROFILE_URL_SENSOR_STATUS=running``; else on unless stopped."""
    running = wants_running(environ, "PROFILE_URL_SENSOR_STATUS", env)
    return dg.DefaultSensorStatus.RUNNING if running else dg.DefaultSensorStatus.STOPPED


def run_requests(
    tick: IntakeTick, order: list[str], changed: list[str], batch_size: int
) -> list[dg.RunRequest]:
    """Batched runs: all assets for the new profiles, JSON + index for changed statuses."""
    requests = []
    full_order = [*order, *tick.new_ids]
    for first, last, count in contiguous_ranges(tick.new_ids, full_order, batch_size):
        requests.append(
            dg.RunRequest(
                run_key=f"new:{first}..{last}:{count}",
                asset_selection=list(ALL_ASSETS),
                tags={**range_tags(first, last), SOURCE_TAG: "intake-sensor"},
            )
        )
    statuses = ",".join(f"{pid}={tick.statuses[pid]}" for pid in changed)
    digest = hashlib.sha256(statuses.encode()).hexdigest()[:12]
    for first, last, count in contiguous_ranges(changed, order, batch_size):
        requests.append(
            dg.RunRequest(
                run_key=f"status:{first}..{last}:{count}:{digest}",
                asset_selection=[JSON, INDEX],
                tags={**range_tags(first, last), SOURCE_TAG: "intake-sensor-status"},
            )
        )
    return requests


def log_tick(log: logging.Logger | dg.DagsterLogManager, tick: IntakeTick, stable_s: float) -> None:
    """What the tick skipped, left for later or rejected. File names go through ``shown_name``:
    a name with a line break must not forge a log line. Skipped files are named, never read."""
    for name, reason in tick.skipped:
        log.warning(f"inbox entry {shown_name(name)} {reason}")
    for name, error in tick.retrying:
        log.warning(f"{shown_name(name)} could not be read ({error}): left for the next tick")
    for name in tick.waiting:
        log.info(
            f"{shown_name(name)} is not complete yet (no final line break): taken once it ends "
            f"with one or has not changed for {stable_s:g} s"
        )
    for rejected in tick.rejected[:MAX_REJECTS_LOGGED]:
        log.warning(
            f"rejected {shown_name(rejected.file)}:{rejected.line} {rejected.input!r}: "
            f"{rejected.reason}"
        )
    if len(tick.rejected) > MAX_REJECTS_LOGGED:
        log.warning(f"… and {len(tick.rejected) - MAX_REJECTS_LOGGED} more rejected")
    for name, where in tick.reports.items():
        log.info(f"rejects of {shown_name(name)} written to {shown_name(where)}")
    for name, error in tick.report_failures.items():
        log.warning(f"rejects of {shown_name(name)} not written to a report: {error}")


def build_intake_sensor(environ: dict[str, str], env: str) -> dg.SensorDefinition:
    interval = setting("PROFILE_URL_SENSOR_INTERVAL_S", environ) or DEFAULT_INTERVAL_S

    @dg.sensor(
        name="new_profile_urls_sensor",
        job=profile_pipeline_job,
        minimum_interval_seconds=interval,
        default_status=sensor_status(environ, env),
        description="Turns profile URL files dropped in PROFILE_URL_INBOX into partitions, runs.",
    )
    def new_profile_urls_sensor(
        context: dg.SensorEvaluationContext,
        automation: AutomationSettings,
        profile_index_store: ProfileIndexResource,
    ) -> dg.SensorResult | dg.SkipReason:
        source = automation.open_inbox()
        if source is None:
            return dg.SkipReason("PROFILE_URL_INBOX is not set: there is no inbox to watch")
        order = list(context.instance.get_dynamic_partitions(profile_partitions.name))
        tick = take_in(
            source,
            InboxCursor.load(context.cursor),
            set(order),
            automation.max_lines_per_tick,
            stable_after_s=automation.stable_after_s,
        )
        log_tick(context.log, tick, automation.stable_after_s)
        changed: list[str] = []
        if tick.statuses:
            index = profile_index_store.open()
            known = {pid for pid in tick.statuses if pid not in set(tick.new_ids)}
            current = index.get_many(known)
            changed = [
                pid for pid in order
                if pid in known and current.get(pid, {}).get("status") != tick.statuses[pid]
            ]  # fmt: skip
            updates = {
                pid: tick.statuses[pid] for pid in [*tick.new_ids, *changed] if pid in tick.statuses
            }
            intake.write_statuses(index, updates, automation.base_url)
        context.log.info(
            f"{len(tick.files)} file(s), {tick.lines_taken} line(s): {len(tick.new_ids)} new "
            f"profile(s), {tick.duplicates} already known, {len(changed)} status change(s), "
            f"{len(tick.rejected)} rejected"
            + ("; more waits for the next tick" if tick.more_waiting else "")
        )
        return dg.SensorResult(
            run_requests=run_requests(tick, order, changed, automation.batch_size),
            dynamic_partitions_requests=intake.add_partition_requests(tick.new_ids),
            cursor=tick.cursor.dump(),
        )

    return new_profile_urls_sensor
