"""Upload metrics: per-run figures from a pipeline run's outcomes, and the report over a window.

Per partition, ``profile_json`` materializations carry ``duration_s``, ``attempts``, ``size``
and ``outcome``. Per run, the pipeline records an ``AssetObservation`` of ``profile_json`` (no
partition) with ``run_metrics``; Dagster plots both over time. The ``upload_metrics`` report asset
reads those observations back over a time window (``window_report``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dagster as dg
import pandas as pd

OUTCOME_KINDS = ("uploaded", "unchanged", "failed", "blocked", "not_found", "deferred")
BLOCKED_KINDS = ("blocked", "rate_limited")
TOP_ERRORS = 10


@dataclass(frozen=True)
class ProfileUpload:
    """What one profile of a run did: the JSON upload (if any) and how it ended."""

    profile_id: str
    json_outcome: str | None  # uploaded / unchanged, None when not reached
    attempts: int
    bytes: int
    duration_s: float
    error_kind: str | None
    error: str | None
    deferred: bool = False


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


def run_metrics(uploads: Iterable[ProfileUpload], run_seconds: float) -> dict[str, Any]:
    """The figures of one run (pure)."""
    uploads = list(uploads)
    outcome = Counter(
        "deferred" if u.deferred
        else "blocked" if u.error_kind in BLOCKED_KINDS
        else u.error_kind if u.error_kind in ("not_found",)
        else "failed" if u.error_kind
        else u.json_outcome or "not_reached"
        for u in uploads
    )  # fmt: skip
    tried = [u for u in uploads if u.json_outcome or u.error_kind == "storage_failed"]
    durations = [u.duration_s for u in uploads if u.json_outcome == "uploaded"]
    errors = Counter(
        error_signature(u.error_kind, u.error or "")
        for u in uploads
        if u.error_kind and not u.deferred
    )
    return {
        "profiles": len(uploads),
        **{kind: outcome.get(kind, 0) for kind in OUTCOME_KINDS},
        "uploads_tried": len(tried),
        "retried": sum(u.attempts > 1 for u in uploads),
        "attempts": sum(u.attempts for u in uploads),
        "bytes_uploaded": sum(u.bytes for u in uploads if u.json_outcome == "uploaded"),
        "p50_upload_s": round(percentile(durations, 0.5), 4),
        "p95_upload_s": round(percentile(durations, 0.95), 4),
        "run_seconds": round(run_seconds, 3),
        "profiles_per_s": round(len(uploads) / run_seconds, 3) if run_seconds > 0 else 0.0,
        "errors": dict(errors.most_common(TOP_ERRORS)),
    }


def window_report(
    runs: Sequence[Mapping[str, Any]],
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Per-run table, top errors and totals over the runs of a window (pure)."""
    columns = [
        "run_id", "timestamp", "profiles", *OUTCOME_KINDS, "retried", "attempts",
        "bytes_uploaded", "p50_upload_s", "p95_upload_s", "run_seconds", "profiles_per_s",
    ]  # fmt: skip
    table = pd.DataFrame([{c: run.get(c) for c in columns} for run in runs], columns=columns)
    errors: Counter[str] = Counter()
    for run in runs:
        errors.update(run.get("errors") or {})
    top = pd.DataFrame(errors.most_common(TOP_ERRORS), columns=["error", "count"])
    profiles = int(table["profiles"].sum()) if len(table) else 0
    good = int(table["uploaded"].sum() + table["unchanged"].sum()) if len(table) else 0
    seconds = float(table["run_seconds"].sum()) if len(table) else 0.0
    totals = {
        "runs": len(table),
        "profiles": profiles,
        "success_rate": round(good / profiles, 4) if profiles else 0.0,
        "retry_rate": round(float(table["retried"].sum()) / profiles, 4) if profiles else 0.0,
        "throughput_profiles_per_s": round(profiles / seconds, 3) if seconds else 0.0,
        "bytes_uploaded": int(table["bytes_uploaded"].sum()) if len(table) else 0,
    }
    return table, top, totals


def observation_metadata(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """Run figures as observation metadata (numbers stay numbers, so Dagster can plot them)."""
    return {k: dg.MetadataValue.json(v) if isinstance(v, dict) else v for k, v in metrics.items()}
