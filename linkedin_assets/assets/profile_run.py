"""One profile's run through the layers: each layer's stage in lineage order, a blocking check
stopping the layers after it, and transient storage failures sending the profile back to the
run's queue, then deferring it. Never raises for the profile's own errors."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import dagster as dg

from linkedin_assets.assets import profile_index, profile_json, profile_screenshots, profile_text
from linkedin_assets.assets.concurrency import Requeue, retry_pause_s
from linkedin_assets.assets.work import ProfileOutcome, ProfileWork, RunContext, Stage
from linkedin_assets.errors import (
    INTERNAL_ERROR,
    CaptureError,
    CheckFailed,
    LinkedInAssetsError,
    StorageError,
    defers_profile,
    kind_of,
    records_outcome,
)

# In lineage order: each stage may read what the ones before it produced.
STAGES: tuple[Stage, ...] = (
    profile_screenshots.STAGE,
    profile_text.STAGE,
    profile_json.STAGE,
    profile_index.STAGE,
)
SCREENSHOTS, TEXT, JSON, INDEX = (stage.spec.key for stage in STAGES)
ALL_ASSETS = (SCREENSHOTS, TEXT, JSON, INDEX)
CHECK_SPECS = [stage.check_spec for stage in STAGES if stage.check_spec is not None]
# Storage still failing after the profile's rounds: the pipeline's own outcome, not an error class.
STORAGE_UNAVAILABLE = "storage_unavailable"
LOGGED_METADATA = ("outcome", "attempts", "bytes")
T = TypeVar("T")


def process_profile(run: RunContext, work: ProfileWork) -> ProfileOutcome | Requeue[ProfileWork]:
    """Take one profile through the selected stages and checks.

    A transient S3 or DynamoDB failure sends the profile back to the run's queue (``Requeue``)
    while ``run.retry`` allows, then defers it; anything else ends the profile here.
    """
    outcome = work.outcome
    started = time.monotonic()
    try:
        with run.requests.for_profile(work.requests):
            run_stages(run, work)
    except StorageError as exc:
        if exc.transient:
            again = _retry_or_defer(run, work, exc)
            if again is not None:
                outcome.duration_s += time.monotonic() - started
                return again
        else:
            _failed(run, work, exc)
    except Exception as exc:  # one profile's failure, whatever it is, must not stop the batch
        _failed(run, work, exc)
    outcome.duration_s += time.monotonic() - started
    outcome.requests, outcome.rounds = work.requests, work.rounds
    return outcome


def run_stages(run: RunContext, work: ProfileWork) -> None:
    """Each selected stage, then its selected check, in lineage order, each once (a step done in
    an earlier round is skipped). A failed blocking check stops every stage after it. Every step
    but the browser's holds a place at the run's storage gate."""
    for stage in STAGES:
        key = stage.spec.key
        if key in run.selected and key.to_user_string() not in work.outcome.completed:
            if work.blocked_by is not None:
                check, why = work.blocked_by
                raise CheckFailed(
                    f"{check} failed, so {key.to_user_string()} is not written: {why}"
                )
            if stage.browse is not None and "browse" not in work.done:
                try:
                    stage.browse(run, work)
                except CaptureError as exc:
                    if records_outcome(exc) is None:
                        raise
                    work.unavailable = exc
                work.done.add("browse")
            if work.unavailable is not None:
                # The site's answer is data: the index records it, and nothing else is written.
                _gated(profile_index.record_unavailable, run, work)
                _recorded(work.outcome, work.unavailable, stage.spec.key)
                return
            meta = _gated(stage.materialize, run, work)
            _done(run, work.outcome, key, work.profile_id, meta)
        spec = stage.check_spec
        if spec is None or stage.check is None or spec.key not in run.checks:
            continue
        if spec.name in work.done:
            continue
        result = _gated(stage.check, run, work)
        work.done.add(spec.name)
        work.outcome.check_results.append((spec, result))
        if not result.passed:
            run.log.warning(f"{work.profile_id}: check {spec.name} failed: {result.description}")
            if spec.blocking:
                work.blocked_by = (spec.name, result.description)


def _gated(step: Callable[[RunContext, ProfileWork], T], run: RunContext, work: ProfileWork) -> T:
    if run.gate is None:
        return step(run, work)
    with run.gate.slot():
        return step(run, work)


def _done(
    run: RunContext, outcome: ProfileOutcome, key: dg.AssetKey, pid: str, meta: dict[str, Any]
) -> None:
    run.emit(key, pid, meta)
    outcome.completed.append(key.to_user_string())
    # One log line per profile, not per stage: each line is an event-log write.
    details = " ".join(f"{k}={meta[k]}" for k in LOGGED_METADATA if meta.get(k) is not None)
    outcome.details.append(f"{key.to_user_string()}{f' ({details})' if details else ''}")


def failed_stage(outcome: ProfileOutcome, selected: frozenset[dg.AssetKey]) -> str:
    """The first selected stage the profile did not complete."""
    for key in ALL_ASSETS:
        if key in selected and key.to_user_string() not in outcome.completed:
            return key.to_user_string()
    return INDEX.to_user_string()


def _recorded(outcome: ProfileOutcome, exc: CaptureError, key: dg.AssetKey) -> None:
    outcome.recorded = records_outcome(exc)
    outcome.failed_stage = key.to_user_string()
    outcome.error_kind = kind_of(exc)
    outcome.error = str(exc)


def _failed(run: RunContext, work: ProfileWork, exc: BaseException) -> None:
    outcome = work.outcome
    stage = failed_stage(outcome, run.selected)
    outcome.failed_stage = stage
    outcome.error_kind = kind_of(exc)
    outcome.error = str(exc) if isinstance(exc, LinkedInAssetsError) else repr(exc)
    # Rate limited, or not visited after the site started rate limiting: not the profile's
    # fault, so the error class says it is deferred to a later run rather than failed.
    outcome.deferred = defers_profile(exc)
    if outcome.error_kind == INTERNAL_ERROR:
        run.log.error(f"profile {work.profile_id}: {stage} crashed:\n{traceback.format_exc()}")


def _retry_or_defer(
    run: RunContext, work: ProfileWork, exc: StorageError
) -> Requeue[ProfileWork] | None:
    """Another storage round after a pause while ``run.retry`` allows; else the profile is
    deferred (``None``): S3 or DynamoDB being unwell says nothing about the profile."""
    policy, now = run.retry, run.clock()
    work.first_failure_at = work.first_failure_at or now
    stage = failed_stage(work.outcome, run.selected)
    if work.rounds < policy.rounds:
        pause = retry_pause_s(
            work.profile_id, work.rounds + 1, policy.first_pause_s, policy.max_pause_s
        )
        if now + pause - work.first_failure_at <= policy.max_s:
            work.rounds += 1
            run.count_retry()
            run.log.warning(
                f"{work.profile_id}: {stage} storage failed ({exc}); round "
                f"{work.rounds}/{policy.rounds} in {pause:.1f}s"
            )
            return Requeue(work, pause)
    outcome = work.outcome
    outcome.failed_stage = stage
    outcome.error_kind = STORAGE_UNAVAILABLE
    outcome.error = (
        f"storage still failing after {work.rounds} round(s) in "
        f"{now - work.first_failure_at:.0f}s: {exc}"
    )
    outcome.deferred = True
    return None
