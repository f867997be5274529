"""The four profile assets as one subsettable step that streams each partition through them.

Why one step: a Dagster step that fails skips every downstream step for *all* its partitions, and a
step that succeeds materializes *all* of them. Streaming each profile through capture → extract →
publish → index inside one step lets one blocked profile fail alone: each stage logs an
``AssetMaterialization`` for its partition as soon as it succeeds, and the step fails at the end
only if some partition failed, so exactly those partitions show as failed in the UI. Subsetting
(``can_subset``) keeps each asset runnable on its own, e.g. ``profile_text`` re-extracted from the
stored HTML without the browser.

Where things are: each layer's body and check in its module (``profile_json.STAGE`` →
``profile_json.materialize`` / ``profile_json.check``); one profile's way through them in
``profile_run``; what the run prints in ``reporting``; this module is the Dagster glue.
"""

import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import dagster as dg

from linkedin_assets.assets.checks import latest_materialization, nothing_to_check
from linkedin_assets.assets.concurrency import (
    BlockBackoff,
    EventRelay,
    PoliteBrowser,
    StorageGate,
    bounded_map,
)
from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.assets.profile_run import (
    ALL_ASSETS,
    CHECK_SPECS,
    INDEX,
    JSON,
    SCREENSHOTS,
    STAGES,
    TEXT,
    process_profile,
)
from linkedin_assets.assets.reporting import (
    Progress,
    failure_message,
    session_expired,
    storage_figures,
    storage_line,
    summarise,
)
from linkedin_assets.assets.upload_metrics import (
    observation_metadata,
    run_metrics,
    send_to_cloudwatch,
)
from linkedin_assets.assets.work import ProfileOutcome, ProfileWork, RunContext
from linkedin_assets.core.index_items import DEFAULT_STATUS
from linkedin_assets.resources.aws import RequestStats
from linkedin_assets.resources.configured import (
    BrowserResource,
    ProfileIndexResource,
    ProfileStorageResource,
)

__all__ = ["ALL_ASSETS", "CHECK_SPECS", "INDEX", "JSON", "SCREENSHOTS", "TEXT"]

CAPTURE_POOL = "linkedin_browser"
UNAVAILABLE_WHY = {
    "not_found": "the site says this profile does not exist",
    "auth_wall": "the member shows this profile to signed-in members only",
}
# Runs this small log a line per profile (the demo, a manual re-run); larger ones log progress.
DETAILED_LOG_MAX_PROFILES = 20


def deferral(pid: str, outcome: ProfileOutcome) -> dg.AssetObservation:
    """Recorded per partition, so the UI (and the demo) can tell "later" from "failed"."""
    return dg.AssetObservation(
        asset_key=SCREENSHOTS, partition=pid, metadata={"deferred": outcome.error or ""}
    )


def unavailable(pid: str, outcome: ProfileOutcome, table: str) -> dg.AssetObservation:
    """Recorded per partition: why the profile is missing, which is data, not a failure."""
    what = UNAVAILABLE_WHY.get(outcome.recorded or "", outcome.recorded or "")
    return dg.AssetObservation(
        asset_key=SCREENSHOTS,
        partition=pid,
        description=f"Not captured: {what} ({outcome.error}). Recorded in the index; the "
        "refresh schedule tries again after a while.",
        metadata={
            "unavailable": outcome.recorded or "",
            "reason": outcome.error or "",
            "index_table": table,
        },
    )


def unchecked(
    instance: dg.DagsterInstance,
    outcomes: list[ProfileOutcome],
    checks: frozenset[dg.AssetCheckKey],
) -> Iterator[dg.AssetCheckEvaluation]:
    """A result for each selected check of each profile recorded or deferred before its check,
    whose asset was never materialized: there is nothing stored to check. So every partition of
    the run ends with an evaluation, and the check's latest execution in the UI is one
    (docs/checks.md). One that was materialized before keeps its last real evaluation."""
    unreached = [o for o in outcomes if o.recorded is not None or o.deferred]
    for spec in CHECK_SPECS if unreached else ():
        if spec.key not in checks:
            continue
        stored: set[str] | None = None
        for outcome in unreached:
            if any(done.key == spec.key for done, _ in outcome.check_results):
                continue
            if stored is None:  # one query per asset, only when needed
                stored = instance.get_materialized_partitions(spec.asset_key)
            if outcome.profile_id in stored:
                continue
            why = (
                f"{outcome.recorded} ({UNAVAILABLE_WHY.get(outcome.recorded, '')})"
                if outcome.recorded
                else f"deferred: {outcome.error}"
            )
            yield nothing_to_check(outcome.profile_id, why).evaluation(spec, outcome.profile_id)


def run_storage_figures(run: RunContext) -> dict[str, int]:
    return storage_figures(
        run.requests.attempts,
        run.requests.transient_failures,
        run.profile_retries,
        run.gate.cuts if run.gate else 0,
    )


@dg.multi_asset(
    name="profile_pipeline",
    specs=[stage.spec for stage in STAGES],
    check_specs=CHECK_SPECS,
    can_subset=True,
    backfill_policy=dg.BackfillPolicy.single_run(),
    # Runs that visit the site share this pool: with its limit set on the instance, the steps
    # running at once across every run and worker never exceed it (docs/deployment.md).
    pool=CAPTURE_POOL,
)
def profile_pipeline(
    context: dg.AssetExecutionContext,
    browser: BrowserResource,
    profile_storage: ProfileStorageResource,
    profile_index_store: ProfileIndexResource,
) -> Iterator[Any]:
    """Capture, extract, publish and index every profile partition of the run."""
    partition_keys = list(context.partition_keys)
    selected = frozenset(context.selected_asset_keys)
    checks = frozenset(context.selected_asset_check_keys)
    capturing = SCREENSHOTS in selected
    # Workers: the pages the browser may have open, plus the profiles uploading meanwhile. It is
    # also how many profiles (captures) are held in memory at once.
    pages = browser.pages_at_once() if capturing else 0
    workers = pages + profile_storage.workers
    relay = EventRelay(context.log)
    log = relay.log
    # SlowDown and throttling answers cut how many profiles do storage work at once.
    gate = StorageGate(profile_storage.workers, profile_storage.slowdown_s, log)
    requests = RequestStats(on_throttle=gate.throttled)
    index = profile_index_store.open(requests, pool_size=workers)
    storage = profile_storage.open(requests, pool_size=workers)
    statuses = {
        pid: item.get("status", DEFAULT_STATUS)
        for pid, item in index.get_many(partition_keys).items()
    }

    def emit(key: dg.AssetKey, pid: str, meta: dict[str, Any]) -> None:
        relay.call(
            context.log_event, dg.AssetMaterialization(asset_key=key, partition=pid, metadata=meta)
        )

    context.log.info(
        f"{len(partition_keys)} profile(s), assets: "
        + (", ".join(k.to_user_string() for k in ALL_ASSETS if k in selected) or "none")
        + f"; checks: {', '.join(sorted(c.name for c in checks)) or 'none'}"
        + (f"; {pages} page(s) at once" if capturing else "")
        + f"; {workers} worker(s)"
    )
    outcomes: list[ProfileOutcome] = []
    started = time.monotonic()
    with ExitStack() as stack:
        session = None
        if capturing:
            backoff = BlockBackoff(browser.max_consecutive_blocks, browser.block_backoff_s, log)
            session = PoliteBrowser(stack.enter_context(browser.open()), pages, backoff)
        run = RunContext(
            selected, checks, storage, index, profile_index_store.table, session,
            browser.base_url, statuses, emit, log, profile_storage.retry(), requests, gate,
        )  # fmt: skip
        total = len(partition_keys)
        progress = Progress(
            total, context.log.info, detail=lambda: storage_line(run_storage_figures(run))
        )
        for n, (_, outcome) in enumerate(
            bounded_map(lambda work: process_profile(run, work),
                        (ProfileWork.start(pid) for pid in partition_keys), workers,
                        on_wake=relay.drain),
            1,
        ):  # fmt: skip
            assert isinstance(outcome, ProfileOutcome)
            pid = outcome.profile_id
            outcomes.append(outcome)
            for spec, result in outcome.check_results:
                # Here, after the relay drained, the profile's materializations are stored.
                target = latest_materialization(context.instance, spec.asset_key, pid)
                yield result.evaluation(spec, pid, target)
            progress.count(outcome)
            if outcome.ok:
                # A line per profile only in small runs: each line is an event-log write, and
                # the materializations carry the details. Larger runs log progress periodically.
                if total <= DETAILED_LOG_MAX_PROFILES:
                    context.log.info(
                        f"[{n}/{total}] {pid}: done in {outcome.duration_s:.2f}s: "
                        + "; ".join(outcome.details)
                    )
            elif outcome.deferred:
                context.log_event(deferral(pid, outcome))
                context.log.warning(f"[{n}/{total}] {pid}: deferred: {outcome.error}")
            elif outcome.recorded:
                context.log_event(unavailable(pid, outcome, profile_index_store.table))
                context.log.info(
                    f"[{n}/{total}] {pid}: recorded as {outcome.recorded}: {outcome.error}"
                )
            else:
                context.log.error(
                    f"[{n}/{total}] {pid}: {outcome.failed_stage} failed "
                    f"({outcome.error_kind}): {outcome.error}"
                )
        progress.log(final=True)
    yield from unchecked(context.instance, outcomes, checks)
    summary = {**summarise(outcomes), **run_storage_figures(run)}
    log.info(f"summary: {summary}")
    if JSON in selected:
        # One observation per run: the run's upload figures, which Dagster plots over time.
        uploads = [o.upload() for o in outcomes]
        metrics = {
            **run_metrics(uploads, time.monotonic() - started),
            **run_storage_figures(run),
        }
        context.log_event(
            dg.AssetObservation(asset_key=JSON, metadata=observation_metadata(metrics))
        )
        # With UPLOAD_METRICS_CLOUDWATCH_NAMESPACE set, the same figures go to CloudWatch.
        send_to_cloudwatch(profile_storage.metrics_publisher(), uploads, metrics, context.log)
    if summary["failed"] or session_expired(outcomes):
        raise dg.Failure(
            description=failure_message(outcomes),
            metadata={
                **{k: v for k, v in summary.items() if k != "failures_by_kind"},
                "failures": dg.MetadataValue.json(
                    {
                        o.profile_id: {
                            "stage": o.failed_stage,
                            "kind": o.error_kind,
                            "error": o.error,
                        }
                        for o in outcomes
                        if o.failed
                    }
                ),
            },
        )


profile_pipeline_job = dg.define_asset_job(
    "profile_pipeline_job",
    # The checks run with their assets, one result per partition.
    selection=dg.AssetSelection.assets(*ALL_ASSETS)
    | dg.AssetSelection.checks_for_assets(*ALL_ASSETS),
    partitions_def=profile_partitions,
    executor_def=dg.in_process_executor,
    description="Capture, extract, publish and index the selected profile partitions in one run.",
)


profile_checks_job = dg.define_asset_job(
    "profile_checks_job",
    selection=dg.AssetSelection.checks_for_assets(*ALL_ASSETS),
    partitions_def=profile_partitions,
    executor_def=dg.in_process_executor,
    description="The per-profile asset checks over the chosen partitions; materializes nothing.",
)
