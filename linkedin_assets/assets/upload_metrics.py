"""Upload metrics: per-run figures from a pipeline run's outcomes, and the report over a window.

What is an upload: the ``profile_json`` put of one profile's document (and its record), tried in
this run. Its attempts and time are the put's when it succeeded, and the storage error's when it
failed (``StorageError.attempts``/``duration_s``), summed over the profile's storage rounds. The
rates are over those uploads only; what stopped a profile before its upload (an auth wall, a
missing profile, rate limiting, a failed capture or extraction) is counted beside them, never in
their denominator.

Per partition, ``profile_json`` materializations carry ``duration_s``, ``attempts``, ``size``
and ``outcome``. Per run, the pipeline records an ``AssetObservation`` of ``profile_json`` (no
partition) with ``run_metrics``; Dagster plots both over time, and with
``UPLOAD_METRICS_CLOUDWATCH_NAMESPACE`` set the pipeline also sends them to CloudWatch
(``cloudwatch_data``). The ``upload_metrics`` report asset reads the observations back over a time
window (``window_report``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import pandas as pd

from linkedin_assets.errors import StorageError
from linkedin_assets.resources.cloudwatch import CloudWatchMetrics, Datum

# How a tried upload ended. "stale": a newer document was already there, nothing written.
UPLOAD_OUTCOMES = ("uploaded", "unchanged", "stale", "upload_failed", "upload_deferred")
SUCCEEDED = ("uploaded", "unchanged", "stale")
# How a profile ended before its upload was tried, counted beside the uploads. ``not_reached``:
# anything else (extraction failed, a screenshot upload failed, profile_json not selected…).
CAPTURE_OUTCOMES = ("blocked", "not_found", "rate_limited", "not_visited", "capture_failed")
BESIDE = (*CAPTURE_OUTCOMES, "not_reached")
# A profile's failure kind → its capture outcome (errors.py; NotVisited's kind is "deferred").
CAPTURE_KINDS = {
    "blocked": "blocked",
    "not_found": "not_found",
    "rate_limited": "rate_limited",
    "deferred": "not_visited",
    "capture_failed": "capture_failed",
}
TOP_ERRORS = 10


@dataclass(frozen=True)
class ProfileUpload:
    """What one profile of a run did: its JSON upload, if tried, and how the profile ended."""

    profile_id: str
    # uploaded / unchanged / stale, "failed" when it was tried and did not succeed, None when
    # it was not tried.
    json_outcome: str | None
    attempts: int  # every attempt of the upload, over its storage rounds, failed ones included
    bytes: int
    duration_s: float  # likewise, failed tries included
    error_kind: str | None
    error: str | None
    deferred: bool = False
    failed: bool = False  # the profile failed the run, at whatever stage

    @property
    def tried(self) -> bool:
        return self.json_outcome is not None

    def upload_outcome(self) -> str | None:
        """One of ``UPLOAD_OUTCOMES``, or ``None`` when the upload was not tried."""
        if self.json_outcome is None:
            return None
        if self.json_outcome == "failed":
            return "upload_deferred" if self.deferred else "upload_failed"
        return self.json_outcome

    def beside_outcome(self) -> str | None:
        """One of ``BESIDE`` for a profile whose upload was not tried, else ``None``."""
        if self.tried:
            return None
        return CAPTURE_KINDS.get(self.error_kind or "", "not_reached")


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))])


def error_signature(kind: str, error: str) -> str:
    """An error with the profile ID, URLs and numbers taken out, so alike errors count together."""
    text = re.sub(r"profile '[^']*'", "profile …", error)
    text = re.sub(r"https?://\S+|s3://\S+", "…", text)
    text = re.sub(r"\d+", "N", text)
    return f"{kind}: {text[:160]}"


def rate(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def run_metrics(uploads: Iterable[ProfileUpload], run_seconds: float) -> dict[str, Any]:
    """The figures of one run (pure): the uploads tried and their rates, and beside them how
    many profiles ended before their upload, and why."""
    uploads = list(uploads)
    tried = [u for u in uploads if u.tried]
    ended = Counter(u.upload_outcome() for u in tried)
    beside = Counter(u.beside_outcome() for u in uploads if not u.tried)
    succeeded = sum(ended[o] for o in SUCCEEDED)
    retried = sum(u.attempts > 1 for u in tried)
    durations = [u.duration_s for u in uploads if u.json_outcome == "uploaded"]
    errors = Counter(
        error_signature(u.error_kind, u.error or "")
        for u in uploads
        if u.error_kind and not u.deferred
    )
    return {
        "profiles": len(uploads),
        "profiles_failed": sum(u.failed for u in uploads),
        "profiles_deferred": sum(u.deferred for u in uploads),
        "uploads_tried": len(tried),
        **{outcome: ended.get(outcome, 0) for outcome in UPLOAD_OUTCOMES},
        "upload_success_rate": rate(succeeded, len(tried)),
        "retried": retried,
        "upload_retry_rate": rate(retried, len(tried)),
        "attempts": sum(u.attempts for u in tried),
        "bytes_uploaded": sum(u.bytes for u in uploads if u.json_outcome == "uploaded"),
        "upload_seconds": round(sum(u.duration_s for u in tried), 4),
        "p50_upload_s": round(percentile(durations, 0.5), 4),
        "p95_upload_s": round(percentile(durations, 0.95), 4),
        **{outcome: beside.get(outcome, 0) for outcome in BESIDE},
        "run_seconds": round(run_seconds, 3),
        "profiles_per_s": round(len(uploads) / run_seconds, 3) if run_seconds > 0 else 0.0,
        "errors": dict(errors.most_common(TOP_ERRORS)),
    }


RUN_COLUMNS = (
    "run_id", "timestamp", "profiles", "uploads_tried", *UPLOAD_OUTCOMES, "upload_success_rate",
    "retried", "upload_retry_rate", "attempts", "bytes_uploaded", "upload_seconds",
    "p50_upload_s", "p95_upload_s", *BESIDE, "profiles_failed", "profiles_deferred",
    "run_seconds", "profiles_per_s",
)  # fmt: skip


def window_report(
    runs: Sequence[Mapping[str, Any]],
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Per-run table, top errors and totals over the runs of a window (pure).

    The rates are over the uploads tried in the window; the profiles that ended before their
    upload are totalled beside them. A run recorded before these figures existed (no
    ``upload_success_rate``) is listed, but left out of the totals: its ``failed`` mixed capture
    failures with upload failures, so no upload rate can be drawn from it.
    """
    table = pd.DataFrame(
        [{c: run.get(c) for c in RUN_COLUMNS} for run in runs], columns=RUN_COLUMNS
    )
    errors: Counter[str] = Counter()
    for run in runs:
        errors.update(run.get("errors") or {})
    top = pd.DataFrame(errors.most_common(TOP_ERRORS), columns=["error", "count"])
    counted = table[table["upload_success_rate"].notna()]

    def total(column: str) -> int:
        return int(pd.to_numeric(counted[column]).sum()) if len(counted) else 0

    tried = total("uploads_tried")
    seconds = float(pd.to_numeric(counted["run_seconds"]).sum()) if len(counted) else 0.0
    totals: dict[str, float] = {
        "runs": len(table),
        "runs_counted": len(counted),
        "profiles": total("profiles"),
        "uploads_tried": tried,
        **{outcome: total(outcome) for outcome in UPLOAD_OUTCOMES},
        "upload_success_rate": rate(sum(total(o) for o in SUCCEEDED), tried),
        "retried": total("retried"),
        "upload_retry_rate": rate(total("retried"), tried),
        "attempts": total("attempts"),
        "attempts_per_upload": rate(total("attempts"), tried),
        "bytes_uploaded": total("bytes_uploaded"),
        **{outcome: total(outcome) for outcome in BESIDE},
        "throughput_profiles_per_s": round(total("profiles") / seconds, 3) if seconds else 0.0,
    }
    return table, top, totals


def observation_metadata(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """Run figures as observation metadata (numbers stay numbers, so Dagster can plot them)."""
    return {k: dg.MetadataValue.json(v) if isinstance(v, dict) else v for k, v in metrics.items()}


def cloudwatch_data(uploads: Sequence[ProfileUpload], metrics: Mapping[str, Any]) -> list[Datum]:
    """What a run sends to CloudWatch (pure): its upload successes, failures, retries (attempts
    after each upload's first), bytes and durations (a statistic set, so CloudWatch can give the
    average, minimum and maximum over any period), and the profiles that ended before an upload."""
    durations = [u.duration_s for u in uploads if u.tried]
    data = [
        Datum("UploadsTried", metrics["uploads_tried"]),
        Datum("UploadsSucceeded", sum(metrics[o] for o in SUCCEEDED)),
        Datum("UploadsFailed", metrics["upload_failed"] + metrics["upload_deferred"]),
        Datum("UploadRetries", metrics["attempts"] - metrics["uploads_tried"]),
        Datum("UploadedBytes", metrics["bytes_uploaded"], unit="Bytes"),
        Datum("ProfilesBeforeUpload", sum(metrics[o] for o in BESIDE)),
    ]
    if durations:
        data.append(
            Datum(
                "UploadDuration",
                unit="Seconds",
                statistics=(len(durations), sum(durations), min(durations), max(durations)),
            )
        )
    return data


def send_to_cloudwatch(
    publisher: CloudWatchMetrics | None,
    uploads: Sequence[ProfileUpload],
    metrics: Mapping[str, Any],
    log: Any,
) -> int:
    """Send a run's figures to CloudWatch when a namespace is set (``publisher``); returns how
    many metrics were sent. A failure is a warning: the run's work is done and its figures are in
    its observation, so metrics that could not be sent must not fail it."""
    if publisher is None:
        return 0
    try:
        sent = publisher.publish(cloudwatch_data(uploads, metrics), datetime.now(UTC))
    except StorageError as exc:
        log.warning(f"upload metrics not sent to CloudWatch: {exc}")
        return 0
    log.info(f"{sent} upload metric(s) sent to CloudWatch namespace {publisher.namespace!r}")
    return sent
