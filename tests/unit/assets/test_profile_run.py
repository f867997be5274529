"""The pipeline's own bookkeeping: failure kinds, run summary, failure message."""

import dagster as dg

from linkedin_assets.assets.profile_run import failed_stage
from linkedin_assets.assets.reporting import failure_message, session_expired, summarise
from linkedin_assets.assets.work import ProfileOutcome
from linkedin_assets.errors import (
    ExtractionError,
    ProfileBlocked,
    RateLimited,
    UploadFailed,
    kind_of,
)


def test_error_kinds() -> None:
    assert kind_of(ProfileBlocked("a", "u", "authwall")) == "blocked"
    assert kind_of(RateLimited("a", "u", "HTTP 999")) == "rate_limited"
    assert kind_of(ExtractionError("x")) == "extraction_failed"
    assert kind_of(UploadFailed("x")) == "storage_failed"
    assert kind_of(KeyError("x")) == "internal_error"


def test_failed_stage_is_the_first_selected_stage_not_completed() -> None:
    outcome = ProfileOutcome("a", completed=["profile_screenshots"])
    everything = frozenset(
        dg.AssetKey(k)
        for k in ("profile_screenshots", "profile_text", "profile_json", "profile_index")
    )
    assert failed_stage(outcome, everything) == "profile_text"
    only_index = frozenset({dg.AssetKey("profile_index")})
    assert failed_stage(ProfileOutcome("a"), only_index) == "profile_index"


def test_summary_counts_and_percentiles() -> None:
    outcomes = [ProfileOutcome(f"p{i}", duration_s=float(i)) for i in range(1, 21)]
    outcomes[0].failed_stage, outcomes[0].error_kind = "profile_screenshots", "blocked"
    summary = summarise(outcomes)
    assert (summary["profiles"], summary["succeeded"], summary["failed"]) == (20, 19, 1)
    assert summary["failures_by_kind"] == {"blocked": 1}
    assert summary["p50_profile_s"] == 11.0 and summary["p95_profile_s"] == 19.0
    assert summarise([])["profiles"] == 0


def test_failure_message_lists_failed_profiles_and_caps_the_list() -> None:
    outcomes = [
        ProfileOutcome(
            f"p{i}", failed_stage="profile_json", error_kind="storage_failed", error="boom"
        )
        for i in range(25)
    ]
    outcomes.append(ProfileOutcome("fine"))
    message = failure_message(outcomes)
    assert message.startswith("25 of 26 profiles failed:")
    assert "- p0: profile_json storage_failed: boom" in message
    assert "fine" not in message and "and 5 more" in message


def test_a_recorded_outcome_is_neither_done_nor_failed_nor_deferred() -> None:
    gone = ProfileOutcome(
        "gone", recorded="not_found", failed_stage="profile_screenshots", error_kind="not_found"
    )
    assert not gone.ok and not gone.failed and not gone.deferred
    summary = summarise([gone, ProfileOutcome("fine")])
    assert (summary["succeeded"], summary["failed"], summary["unavailable"]) == (1, 0, 1)
    assert summary["failures_by_kind"] == {}
    # The upload figures still count it by its kind.
    assert gone.upload().error_kind == "not_found" and not gone.upload().deferred


def test_an_expired_session_is_said_once_with_what_to_renew() -> None:
    expired = ProfileOutcome(
        "walled", deferred=True, failed_stage="profile_screenshots",
        error_kind="session_expired", error="profile 'walled' at u: redirected to /authwall",
    )  # fmt: skip
    later = [
        ProfileOutcome(f"p{i}", deferred=True, error_kind="deferred", error="not visited")
        for i in range(3)
    ]
    outcomes = [ProfileOutcome("done"), expired, *later]
    assert [o.profile_id for o in session_expired(outcomes)] == ["walled"]
    message = failure_message(outcomes)
    assert message.count("LINKEDIN_STORAGE_STATE") == 2 and "Renew it" in message
    assert "4 of 5 profiles were deferred" in message
    assert "failed:" not in message  # no profile failed: one message, not one per profile
    broken = ProfileOutcome("x", failed_stage="profile_text", error_kind="extraction_failed")
    both = failure_message([*outcomes, broken])
    assert both.splitlines()[0].startswith("The signed-in session")
    assert "1 of 6 profiles failed:" in both and "- x: profile_text extraction_failed" in both
    assert session_expired([ProfileOutcome("a"), broken]) == []
