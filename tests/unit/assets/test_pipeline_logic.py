"""The pipeline's own bookkeeping: failure kinds, run summary, failure message."""

import dagster as dg

from linkedin_assets.assets.profile_run import failed_stage
from linkedin_assets.assets.reporting import failure_message, summarise
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
