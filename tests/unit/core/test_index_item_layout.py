"""The index item's layout, attribute by attribute (docs/s3-storage-design.md): the names are a
contract with the audit, forget, the checks and anyone querying the table, so each update is
compared whole, with its attribute names written out here."""

from __future__ import annotations

from decimal import Decimal

from linkedin_assets.core import index_items
from linkedin_assets.core.index_items import ItemUpdate, to_dynamodb

SHOTS = {"profile": "screenshots/a-profile.png", "activity": "screenshots/a-activity.png"}


def test_registration_with_a_status() -> None:
    update = index_items.registration("https://x/in/a/", "possible", "t0")
    assert update == ItemUpdate(
        set={"url": "https://x/in/a/", "updated_at": "t0", "status": "possible"},
        if_absent={"registered_at": "t0"},
    )


def test_registration_without_a_status_sets_the_default_only_when_absent() -> None:
    update = index_items.registration("https://x/in/a/", None, "t0")
    assert update == ItemUpdate(
        set={"url": "https://x/in/a/", "updated_at": "t0"},
        if_absent={"registered_at": "t0", "status": "unknown"},
    )
    assert index_items.registration("u", "", "t0") == index_items.registration("u", None, "t0")


def test_upload_success_names_every_attribute() -> None:
    update = index_items.upload_success(
        url="u", name="Ada", headline="Analyst", screenshot_keys=SHOTS,
        text_s3_key="profiles/a.json", text_s3_url="s3://b/profiles/a.json", text_sha256="ab",
        text_uploaded_at="t1", now="t2",
    )  # fmt: skip
    assert update == ItemUpdate(
        set={
            "url": "u",
            "name": "Ada",
            "headline": "Analyst",
            "screenshot_profile_key": "screenshots/a-profile.png",
            "screenshot_activity_key": "screenshots/a-activity.png",
            "text_s3_key": "profiles/a.json",
            "text_s3_url": "s3://b/profiles/a.json",
            "text_sha256": "ab",
            "text_uploaded_at": "t1",
            "text_upload_failed": False,
            "updated_at": "t2",
        },
        if_absent={"registered_at": "t2", "status": "unknown"},
        # A profile stored again is no longer unavailable: its tombstone goes with the error.
        remove=("text_upload_error", "unavailable", "unavailable_reason", "unavailable_seen_at"),
    )


def test_upload_failure_names_every_attribute_and_bounds_the_error() -> None:
    update = index_items.upload_failure(
        url="u", screenshot_keys={"profile": "screenshots/a-profile.png"}, error="e" * 5000, now="t"
    )
    assert update == ItemUpdate(
        set={
            "url": "u",
            "screenshot_profile_key": "screenshots/a-profile.png",
            "text_upload_failed": True,
            "text_upload_error": "e" * index_items.MAX_ERROR_LENGTH,
            "updated_at": "t",
        },
        if_absent={"registered_at": "t", "status": "unknown"},
    )
    short = index_items.upload_failure(url="u", screenshot_keys={}, error="boom", now="t")
    assert short.set["text_upload_error"] == "boom"


def test_an_update_with_only_removals_or_nothing() -> None:
    assert ItemUpdate(remove=("a", "b")).expression() == {
        "UpdateExpression": "REMOVE #a0, #a1",
        "ExpressionAttributeNames": {"#a0": "a", "#a1": "b"},
    }
    assert ItemUpdate().expression() == {"UpdateExpression": "", "ExpressionAttributeNames": {}}


def test_if_absent_values_are_typed_and_numbered_after_the_set_ones() -> None:
    expr = ItemUpdate(set={"status": "x"}, if_absent={"n": 1.5, "ok": True}).expression()
    assert expr == {
        "UpdateExpression": "SET #a0 = :v0, #a1 = if_not_exists(#a1, :v1), "
        "#a2 = if_not_exists(#a2, :v2)",
        "ExpressionAttributeNames": {"#a0": "status", "#a1": "n", "#a2": "ok"},
        "ExpressionAttributeValues": {
            ":v0": {"S": "x"},
            ":v1": {"N": "1.5"},
            ":v2": {"BOOL": True},
        },
    }


def test_floats_travel_as_decimals_and_nothing_else_changes() -> None:
    assert to_dynamodb(1.5) == Decimal("1.5") and isinstance(to_dynamodb(1.5), Decimal)
    assert to_dynamodb(0.1) == Decimal("0.1")  # from its repr, not its binary value
    for value in (3, "s", True, None, [1]):
        assert to_dynamodb(value) is value
