"""The four profile assets as one subsettable step that streams each partition through them.

Why one step: a Dagster step that fails skips every downstream step for *all* its partitions, and a
step that succeeds materializes *all* of them. Streaming each profile through capture → extract →
publish → index inside one step lets one blocked profile fail alone: each stage logs an
``AssetMaterialization`` for its partition as soon as it succeeds, and the step fails at the end
only if some partition failed, so exactly those partitions show as failed in the UI. Subsetting
(``can_subset``) keeps each asset runnable on its own, e.g. ``profile_text`` re-extracted from the
stored HTML without the browser.
"""

import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from linkedin_assets.assets import profile_index, profile_json, profile_screenshots, profile_text
from linkedin_assets.assets.checks import CheckOutcome, latest_materialization
from linkedin_assets.assets.concurrency import (
    BlockBackoff,
    EventRelay,
    PoliteBrowser,
    Requeue,
    StorageGate,
    bounded_map,
    retry_pause_s,
)
from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.assets.profile_screenshots import StoredCapture
from linkedin_assets.assets.upload_metrics import ProfileUpload, observation_metadata, run_metrics
from linkedin_assets.core.index_items import DEFAULT_STATUS
from linkedin_assets.errors import (
    CaptureError,
    CheckFailed,
    ExtractionError,
    LinkedInAssetsError,
    StorageError,
)
from linkedin_assets.resources.aws import ProfileRequests, RequestStats, StorageRetry
from linkedin_assets.resources.browser import ProfileBrowser, ProfileCapture
from linkedin_assets.resources.configured import (
    BrowserResource,
    ProfileIndexResource,
    ProfileStorage,
    ProfileStorageResource,
)
from linkedin_assets.resources.object_store import PutResult
from linkedin_assets.resources.profile_index import IndexStore

SCREENSHOTS, TEXT, JSON, INDEX = (
    profile_screenshots.SPEC.key,
    profile_text.SPEC.key,
    profile_json.SPEC.key,
    profile_index.SPEC.key,
)
ALL_ASSETS = (SCREENSHOTS, TEXT, JSON, INDEX)
CHECK_SPECS = [
    profile_screenshots.STORED_CHECK,
    profile_json.INTACT_CHECK,
    profile_index.CONSISTENT_CHECK,
]
MAX_FAILURES_IN_MESSAGE = 20
# Outcomes that say nothing about the profile: it waits for a later run, and the run stays green.
DEFERRED_KINDS = frozenset({"rate_limited", "deferred", "storage_unavailable"})
CAPTURE_POOL = "linkedin_browser"
# Runs this small log a line per profile (the demo, a manual re-run); larger ones log progress.
DETAILED_LOG_MAX_PROFILES = 20
LOGGED_METADATA = ("outcome", "attempts", "bytes")


@dataclass
class ProfileOutcome:
    """How far one profile got in this run."""

    profile_id: str
    # Rate-limited, or not visited after the site started rate limiting: not a bad profile, just
    # one for a later run.
    deferred: bool = False
    completed: list[str] = field(default_factory=list)
    failed_stage: str | None = None
    error_kind: str | None = None
    error: str | None = None
    duration_s: float = 0.0
    # Check results wait for the step's thread, which ties each to its materialization.
    check_results: list[tuple[dg.AssetCheckSpec, CheckOutcome]] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    json_put: PutResult | None = None
    requests: ProfileRequests = field(default_factory=ProfileRequests)
    rounds: int = 1

    def upload(self) -> ProfileUpload:
        put = self.json_put
        return ProfileUpload(
            profile_id=self.profile_id,
            json_outcome=put.outcome if put else None,
            attempts=put.attempts if put else 0,
            bytes=put.size if put else 0,
            duration_s=put.duration_s if put else 0.0,
            error_kind=self.error_kind,
            error=self.error,
            deferred=self.deferred,
        )

    @property
    def ok(self) -> bool:
        return self.failed_stage is None and not self.deferred

    @property
    def failed(self) -> bool:
        return self.failed_stage is not None and not self.deferred


@dataclass
class RunContext:
    """What every profile of a run shares; ``emit`` and ``log`` may be called from any thread."""

    selected: frozenset[dg.AssetKey]
    checks: frozenset[dg.AssetCheckKey]
    storage: ProfileStorage
    index: IndexStore
    index_table: str
    browser: ProfileBrowser | None
    base_url: str
    statuses: dict[str, str]
    emit: Callable[[dg.AssetKey, str, dict[str, Any]], None]
    log: Any
    retry: StorageRetry = field(default_factory=StorageRetry)
    requests: RequestStats = field(default_factory=RequestStats)
    # Unlimited unless a run gives it a ceiling; the pipeline's throttles it on SlowDown.
    gate: StorageGate | None = None
    profile_retries: int = 0
    clock: Callable[[], float] = time.monotonic


@dataclass
class ProfileWork:
    """One profile's way through a run, kept across its storage rounds: the steps done and what
    they produced, so that a retry resumes where the last round stopped (the site is visited once,
    whatever S3 does) and each stored input is loaded at most once."""

    profile_id: str
    outcome: ProfileOutcome
    done: set[str] = field(default_factory=set)
    capture: ProfileCapture | None = None
    stored: StoredCapture | None = None
    just_stored: profile_screenshots.JustStored | None = None
    shot_keys: dict[str, str] | None = None
    document: dict[str, Any] | None = None
    published: profile_json.Published | None = None
    intact: CheckOutcome | None = None
    requests: ProfileRequests = field(default_factory=ProfileRequests)
    rounds: int = 1
    first_failure_at: float | None = None

    @classmethod
    def start(cls, profile_id: str) -> "ProfileWork":
        return cls(profile_id, ProfileOutcome(profile_id))


def error_kind(exc: BaseException) -> str:
    if isinstance(exc, CaptureError):
        return exc.kind
    if isinstance(exc, CheckFailed):
        return "check_failed"
    if isinstance(exc, ExtractionError):
        return "extraction_failed"
    if isinstance(exc, StorageError):
        return "storage_failed"
    return "internal_error"


def process_profile(run: RunContext, work: ProfileWork) -> ProfileOutcome | Requeue[ProfileWork]:
    """Take one profile through the selected stages; never raises for the profile's own errors.

    A transient S3 or DynamoDB failure sends the profile back to the run's queue (``Requeue``)
    while ``run.retry`` allows, then defers it; anything else ends the profile here.
    """
    outcome = work.outcome
    started = time.monotonic()
    try:
        with run.requests.for_profile(work.requests):
            _run_stages(run, work)
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


def _failed(run: RunContext, work: ProfileWork, exc: BaseException) -> None:
    outcome = work.outcome
    stage = _failed_stage(outcome, run.selected)
    outcome.failed_stage = stage
    outcome.error_kind = error_kind(exc)
    outcome.error = str(exc) if isinstance(exc, LinkedInAssetsError) else repr(exc)
    # Rate limited, or not visited after the site started rate limiting: not the profile's
    # fault, so it is deferred to a later run rather than failed.
    outcome.deferred = outcome.error_kind in DEFERRED_KINDS
    if outcome.error_kind == "internal_error":
        run.log.error(f"profile {work.profile_id}: {stage} crashed:\n{traceback.format_exc()}")


def _retry_or_defer(
    run: RunContext, work: ProfileWork, exc: StorageError
) -> Requeue[ProfileWork] | None:
    """Another storage round after a pause while ``run.retry`` allows; else the profile is
    deferred (``None``): S3 or DynamoDB being unwell says nothing about the profile."""
    policy, now = run.retry, run.clock()
    work.first_failure_at = work.first_failure_at or now
    stage = _failed_stage(work.outcome, run.selected)
    if work.rounds < policy.rounds:
        pause = retry_pause_s(
            work.profile_id, work.rounds + 1, policy.first_pause_s, policy.max_pause_s
        )
        if now + pause - work.first_failure_at <= policy.max_s:
            work.rounds += 1
            run.profile_retries += 1  # one worker per profile, and only workers count: no race
            run.log.warning(
                f"{work.profile_id}: {stage} storage failed ({exc}); round "
                f"{work.rounds}/{policy.rounds} in {pause:.1f}s"
            )
            return Requeue(work, pause)
    outcome = work.outcome
    outcome.failed_stage = stage
    outcome.error_kind = "storage_unavailable"
    outcome.error = (
        f"storage still failing after {work.rounds} round(s) in "
        f"{now - work.first_failure_at:.0f}s: {exc}"
    )
    outcome.deferred = True
    return None


def _failed_stage(outcome: ProfileOutcome, selected: frozenset[dg.AssetKey]) -> str:
    for key in ALL_ASSETS:
        if key in selected and key.to_user_string() not in outcome.completed:
            return key.to_user_string()
    return INDEX.to_user_string()


def _run_stages(run: RunContext, work: ProfileWork) -> None:
    """The selected stages and checks, in lineage order, each once: a step done in an earlier
    round is skipped. Every step but the browser's holds a place at the run's storage gate."""
    selected, checks = run.selected, run.checks
    steps: list[tuple[str, bool, Callable[[RunContext, ProfileWork], None]]] = [
        ("capture", SCREENSHOTS in selected, _capture),
        ("screenshots", SCREENSHOTS in selected, _store_screenshots),
        ("stored", profile_screenshots.STORED_CHECK.key in checks, _check_stored),
        ("text", TEXT in selected, _extract),
        ("json", JSON in selected, _publish),
        ("intact", profile_json.INTACT_CHECK.key in checks, _check_intact),
        ("index", INDEX in selected, _record),
        ("consistent", profile_index.CONSISTENT_CHECK.key in checks, _check_consistent),
    ]
    for name, wanted, step in steps:
        if not wanted or name in work.done:
            continue
        if name == "capture" or run.gate is None:
            step(run, work)
        else:
            with run.gate.slot():
                step(run, work)
        work.done.add(name)


def _capture(run: RunContext, work: ProfileWork) -> None:
    assert run.browser is not None
    work.capture = run.browser.capture_profile(work.profile_id, run.base_url)


def _store_screenshots(run: RunContext, work: ProfileWork) -> None:
    storage, pid, capture = run.storage, work.profile_id, work.capture
    assert capture is not None
    puts = profile_screenshots.store_capture(storage, capture)
    work.shot_keys = profile_screenshots.screenshot_keys(storage, pid, capture.activity is not None)
    meta = profile_screenshots.materialization_metadata(storage, capture, puts)
    work.just_stored = profile_screenshots.JustStored.of(capture, puts)
    work.stored = StoredCapture(
        pid,
        capture.profile.requested_url,
        capture.profile.html,
        capture.activity.html if capture.activity else None,
        profile_screenshots.capture_manifest(capture),
    )
    work.capture = None  # stored: the screenshots need not stay in memory
    _done(run, work.outcome, SCREENSHOTS, pid, meta)


def _check_stored(run: RunContext, work: ProfileWork) -> None:
    pid = work.profile_id
    _check(run, work.outcome, profile_screenshots.STORED_CHECK, pid,
           profile_screenshots.check_stored(run.storage, pid, work.just_stored))  # fmt: skip


def _extract(run: RunContext, work: ProfileWork) -> None:
    storage, pid = run.storage, work.profile_id
    work.stored = work.stored or profile_screenshots.load_capture(storage, pid)
    document = profile_text.extract_document(work.stored)
    with _text_upload(run, work, document["url"]):
        put = profile_text.store_document(storage, document)
    work.document = document
    _done(run, work.outcome, TEXT, pid, profile_text.materialization_metadata(document, put))


def _publish(run: RunContext, work: ProfileWork) -> None:
    storage, pid = run.storage, work.profile_id
    document = work.document or profile_text.load_document(storage, pid)
    work.document = document
    status = run.statuses.get(pid, DEFAULT_STATUS)
    with _text_upload(run, work, document["url"]):
        document, published = profile_json.publish(
            storage, document, status=status, index_table=run.index_table
        )
    work.document, work.published = document, published
    work.outcome.json_put = published.document
    _done(run, work.outcome, JSON, pid, profile_json.materialization_metadata(published))


def _check_intact(run: RunContext, work: ProfileWork) -> None:
    pid = work.profile_id
    work.intact = _check(run, work.outcome, profile_json.INTACT_CHECK, pid,
                         profile_json.check_intact(run.storage, pid))  # fmt: skip


def _record(run: RunContext, work: ProfileWork) -> None:
    storage, pid = run.storage, work.profile_id
    if work.intact is not None and not work.intact.passed:
        raise CheckFailed(
            f"json_intact failed, so the index is not updated: {work.intact.description}"
        )
    if work.published is None:
        work.document, work.published = profile_json.load_published(storage, pid)
    assert work.document is not None
    work.shot_keys = work.shot_keys or _stored_shot_keys(storage, pid)
    meta = profile_index.record_published(run.index, work.document, work.published, work.shot_keys)
    _done(run, work.outcome, INDEX, pid, {"table": run.index_table, **meta})


def _check_consistent(run: RunContext, work: ProfileWork) -> None:
    pid = work.profile_id
    _check(run, work.outcome, profile_index.CONSISTENT_CHECK, pid,
           profile_index.check_consistent(run.storage, run.index.get(pid), pid))  # fmt: skip


def _check(
    run: RunContext,
    outcome: ProfileOutcome,
    spec: dg.AssetCheckSpec,
    pid: str,
    result: CheckOutcome,
) -> CheckOutcome:
    """Keep one check's result for the step's thread, which ties it to its materialization."""
    outcome.check_results.append((spec, result))
    if not result.passed:
        run.log.warning(f"{pid}: check {spec.name} failed: {result.description}")
    return result


@contextmanager
def _text_upload(run: RunContext, work: ProfileWork, url: str) -> Iterator[None]:
    """A profile-text upload that fails for good is recorded in the index, then re-raised; one
    that may succeed later is left to the next round (or the next run) to settle."""
    try:
        yield
    except StorageError as exc:
        if not exc.transient:
            # The screenshots stay; the index says the text upload failed and why.
            keys = work.shot_keys or _stored_shot_keys(run.storage, work.profile_id)
            profile_index.record_upload_failure(run.index, work.profile_id, url, keys, str(exc))
        raise


def _stored_shot_keys(storage: ProfileStorage, pid: str) -> dict[str, str]:
    manifest = profile_screenshots.load_capture(storage, pid).manifest
    return profile_screenshots.screenshot_keys(storage, pid, bool(manifest.get("activity")))


def _done(
    run: RunContext, outcome: ProfileOutcome, key: dg.AssetKey, pid: str, meta: dict[str, Any]
) -> None:
    run.emit(key, pid, meta)
    outcome.completed.append(key.to_user_string())
    # One log line per profile, not per stage: each line is an event-log write.
    details = " ".join(f"{k}={meta[k]}" for k in LOGGED_METADATA if meta.get(k) is not None)
    outcome.details.append(f"{key.to_user_string()}{f' ({details})' if details else ''}")


class Progress:
    """A progress line every ``every_s`` seconds (and at the end), not one per profile."""

    def __init__(
        self,
        total: int,
        log: Callable[[str], None],
        every_s: float = 10.0,
        detail: Callable[[], str] = lambda: "",
    ) -> None:
        self.total = total
        self._log = log
        self._detail = detail
        self._every_s = every_s
        self._started = self._last = time.monotonic()
        self.counts: Counter[str] = Counter()

    def count(self, outcome: ProfileOutcome) -> None:
        self.counts["done" if outcome.ok else "deferred" if outcome.deferred else "failed"] += 1
        if time.monotonic() - self._last >= self._every_s:
            self.log()

    def log(self, final: bool = False) -> None:
        self._last = time.monotonic()
        finished = sum(self.counts.values())
        elapsed = self._last - self._started
        rate = finished / elapsed if elapsed > 0 else 0.0
        self._log(
            f"{'finished' if final else 'progress'}: {finished}/{self.total} profiles "
            f"({self.counts['done']} done, {self.counts['failed']} failed, "
            f"{self.counts['deferred']} deferred) in {elapsed:.0f}s, {rate:.2f} profiles/s"
            + self._detail()
        )


def deferral(pid: str, outcome: ProfileOutcome) -> dg.AssetObservation:
    """Recorded per partition, so the UI (and the demo) can tell "later" from "failed"."""
    return dg.AssetObservation(
        asset_key=SCREENSHOTS, partition=pid, metadata={"deferred": outcome.error or ""}
    )


def storage_figures(run: RunContext) -> dict[str, int]:
    """The run's S3 and DynamoDB requests, their transient failures (each retried by botocore
    or, past its retries, by a profile round), the profile rounds and the gate's cuts."""
    return {
        "storage_requests": run.requests.attempts,
        "storage_transient_failures": run.requests.transient_failures,
        "profile_retries": run.profile_retries,
        "slowdowns": run.gate.cuts if run.gate else 0,
    }


def storage_line(figures: dict[str, int]) -> str:
    return (
        f"; storage: {figures['storage_requests']} requests, "
        f"{figures['storage_transient_failures']} transient failures, "
        f"{figures['profile_retries']} profile retries, {figures['slowdowns']} slowdowns"
    )


def summarise(outcomes: list[ProfileOutcome]) -> dict[str, Any]:
    """Run-level figures (pure)."""
    kinds = Counter(o.error_kind for o in outcomes if o.failed)
    durations = sorted(o.duration_s for o in outcomes)
    return {
        "profiles": len(outcomes),
        "succeeded": sum(o.ok for o in outcomes),
        "failed": sum(o.failed for o in outcomes),
        "deferred": sum(o.deferred for o in outcomes),
        "failures_by_kind": dict(kinds),
        "p50_profile_s": round(durations[len(durations) // 2], 3) if durations else 0.0,
        "p95_profile_s": round(durations[int(len(durations) * 0.95) - 1], 3) if durations else 0.0,
    }


def failure_message(outcomes: list[ProfileOutcome]) -> str:
    failed = [o for o in outcomes if o.failed]
    lines = [f"{len(failed)} of {len(outcomes)} profiles failed:"]
    for o in failed[:MAX_FAILURES_IN_MESSAGE]:
        lines.append(f"- {o.profile_id}: {o.failed_stage} {o.error_kind}: {o.error}")
    if len(failed) > MAX_FAILURES_IN_MESSAGE:
        lines.append(f"- … and {len(failed) - MAX_FAILURES_IN_MESSAGE} more (see the run's logs)")
    return "\n".join(lines)


@dg.multi_asset(
    name="profile_pipeline",
    specs=[profile_screenshots.SPEC, profile_text.SPEC, profile_json.SPEC, profile_index.SPEC],
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
            total, context.log.info, detail=lambda: storage_line(storage_figures(run))
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
            else:
                context.log.error(
                    f"[{n}/{total}] {pid}: {outcome.failed_stage} failed "
                    f"({outcome.error_kind}): {outcome.error}"
                )
        progress.log(final=True)
    summary = {**summarise(outcomes), **storage_figures(run)}
    log.info(f"summary: {summary}")
    if JSON in selected:
        # One observation per run: the run's upload figures, which Dagster plots over time.
        metrics = {
            **run_metrics([o.upload() for o in outcomes], time.monotonic() - started),
            **storage_figures(run),
        }
        context.log_event(
            dg.AssetObservation(asset_key=JSON, metadata=observation_metadata(metrics))
        )
    if summary["failed"]:
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
