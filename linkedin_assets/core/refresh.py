"""Which profiles a scheduled backfill should (re)capture, oldest first (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

DagsterStatus = Literal["materialized", "failed", "in_progress", "missing"]
Reason = Literal["missing", "failed", "text_upload_failed", "stale", "unavailable"]
# How long a profile the site would not show is left alone, by what it showed (index_items).
DEFAULT_RETRY_AFTER: Mapping[str, timedelta] = {
    "not_found": timedelta(days=30),
    "auth_wall": timedelta(days=7),
}
ISO = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class ProfileState:
    profile_id: str
    status: DagsterStatus  # of the last asset, profile_index
    refreshed_at: str | None  # the index item's updated_at (UTC ISO-8601), None if never indexed
    upload_failed: bool = False
    # The index item's tombstone: what the site answered instead of the profile, and when.
    unavailable: str | None = None
    unavailable_seen_at: str | None = None


@dataclass(frozen=True)
class Selected:
    profile_id: str
    reason: Reason


def reason_for(
    state: ProfileState, stale_before: str, unavailable_before: Mapping[str, str] | None = None
) -> Reason | None:
    """Why ``state``'s profile needs work, or ``None``. A profile the site would not show (a
    tombstone seen after ``unavailable_before[kind]``) waits, whatever Dagster's status says: its
    partition is missing, or failed when another profile failed its run."""
    if state.status == "in_progress":
        return None
    if state.unavailable is not None:
        since = (unavailable_before or {}).get(state.unavailable)
        if since is not None and (state.unavailable_seen_at or "") >= since:
            return None
        return "unavailable"
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
    states: Iterable[ProfileState],
    *,
    now: datetime,
    max_age: timedelta,
    cap: int,
    retry_after: Mapping[str, timedelta] = DEFAULT_RETRY_AFTER,
) -> tuple[list[Selected], int]:
    """Profiles that need work, oldest first, at most ``cap``; and how many wait for later.

    "Oldest" is the last successful refresh; a profile never indexed is older than any other.
    A profile the site would not show is tried again ``retry_after[kind]`` after it was seen.
    """
    stale_before = (now - max_age).strftime(ISO)
    unavailable_before = {kind: (now - wait).strftime(ISO) for kind, wait in retry_after.items()}
    candidates = [
        (state.refreshed_at or "", n, Selected(state.profile_id, reason))
        for n, state in enumerate(states)
        if (reason := reason_for(state, stale_before, unavailable_before)) is not None
    ]
    # Input order breaks ties (n is unique, so a Selected is never compared).
    candidates.sort()
    chosen = [selected for _, _, selected in candidates[: max(cap, 0)]]
    return chosen, len(candidates) - len(chosen)
