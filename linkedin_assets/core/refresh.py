"""Which profiles a scheduled backfill should (re)capture, oldest first (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

DagsterStatus = Literal["materialized", "failed", "in_progress", "missing"]
Reason = Literal["missing", "failed", "text_upload_failed", "stale"]


@dataclass(frozen=True)
class ProfileState:
    profile_id: str
    status: DagsterStatus  # of the last asset, profile_index
    refreshed_at: str | None  # the index item's updated_at (UTC ISO-8601), None if never indexed
    upload_failed: bool = False


@dataclass(frozen=True)
class Selected:
    profile_id: str
    reason: Reason


def reason_for(state: ProfileState, stale_before: str) -> Reason | None:
    if state.status == "in_progress":
        return None
    if state.status == "missing":
        return "missing"
    if state.status == "failed":
        return "failed"
    if state.upload_failed:
        return "text_upload_failed"
    if state.refreshed_at is None or state.refreshed_at < stale_before:
        return "stale"
    return None


def select_for_refresh(
    states: Iterable[ProfileState], *, now: datetime, max_age: timedelta, cap: int
) -> tuple[list[Selected], int]:
    """Profiles that need work, oldest first, at most ``cap``; and how many wait for later.

    "Oldest" is the last successful refresh; a profile never indexed is older than any other.
    """
    stale_before = (now - max_age).strftime("%Y-%m-%dT%H:%M:%SZ")
    candidates = [
        (state.refreshed_at or "", n, Selected(state.profile_id, reason))
        for n, state in enumerate(states)
        if (reason := reason_for(state, stale_before)) is not None
    ]
    candidates.sort(key=lambda c: (c[0], c[1]))
    chosen = [selected for _, _, selected in candidates[: max(cap, 0)]]
    return chosen, len(candidates) - len(chosen)
