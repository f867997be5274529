"""`core/refresh.py`'s decision for one profile at its edges (the selection over many profiles is in
tests/unit/automation/test_batching_and_refresh.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from linkedin_assets.core.refresh import ProfileState, Selected, reason_for, select_for_refresh

STALE_BEFORE = "2026-01-01T00:00:00Z"
WAIT_UNTIL = {"not_found": "2026-02-01T00:00:00Z"}


def _tombstone(seen_at: str | None) -> ProfileState:
    return ProfileState(
        "p", "missing", "2026-03-01T00:00:00Z", unavailable="not_found", unavailable_seen_at=seen_at
    )


def test_a_tombstone_seen_exactly_at_the_retry_boundary_still_waits() -> None:
    assert reason_for(_tombstone("2026-02-01T00:00:00Z"), STALE_BEFORE, WAIT_UNTIL) is None
    assert reason_for(_tombstone("2026-01-31T23:59:59Z"), STALE_BEFORE, WAIT_UNTIL) == (
        "unavailable"
    )


def test_a_tombstone_without_a_seen_date_is_retried_not_left_alone() -> None:
    # No date cannot prove the site answered recently.
    assert reason_for(_tombstone(None), STALE_BEFORE, WAIT_UNTIL) == "unavailable"


def test_a_tombstone_of_a_kind_without_a_wait_is_retried() -> None:
    assert reason_for(_tombstone("2026-03-01T00:00:00Z"), STALE_BEFORE, None) == "unavailable"
    assert reason_for(_tombstone("2026-03-01T00:00:00Z"), STALE_BEFORE, {}) == "unavailable"


def test_refreshed_exactly_at_the_stale_boundary_is_not_stale() -> None:
    fresh = ProfileState("p", "materialized", STALE_BEFORE)
    assert reason_for(fresh, STALE_BEFORE) is None
    assert reason_for(ProfileState("p", "materialized", "2025-12-31T23:59:59Z"), STALE_BEFORE) == (
        "stale"
    )
    assert reason_for(ProfileState("p", "materialized", None), STALE_BEFORE) == "stale"


NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def test_profiles_equally_old_keep_their_input_order() -> None:
    states = [ProfileState(pid, "missing", None) for pid in ("c", "a", "b")]
    chosen, waiting = select_for_refresh(states, now=NOW, max_age=timedelta(days=30), cap=10)
    assert chosen == [Selected("c", "missing"), Selected("a", "missing"), Selected("b", "missing")]
    assert waiting == 0


def test_a_cap_of_zero_or_less_chooses_nothing_and_counts_everything_as_waiting() -> None:
    states = [ProfileState(pid, "missing", None) for pid in ("a", "b")]
    for cap in (0, -1):
        assert select_for_refresh(states, now=NOW, max_age=timedelta(days=30), cap=cap) == ([], 2)
