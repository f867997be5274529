from decimal import Decimal

from linkedin_assets.core import index_items
from linkedin_assets.core.index_items import ItemUpdate, from_item


def test_expression_sets_and_removes_with_placeholders_only() -> None:
    expr = ItemUpdate(
        set={"status": "possible", "name": None}, remove=("text_upload_error",)
    ).expression()
    assert expr["UpdateExpression"] == "SET #a0 = :v0, #a1 = :v1 REMOVE #a2"
    assert expr["ExpressionAttributeNames"] == {
        "#a0": "status",
        "#a1": "name",
        "#a2": "text_upload_error",
    }
    assert expr["ExpressionAttributeValues"] == {":v0": {"S": "possible"}, ":v1": {"NULL": True}}


def test_if_absent_attributes_use_if_not_exists() -> None:
    expr = ItemUpdate(set={"url": "u"}, if_absent={"registered_at": "t"}).expression()
    assert expr["UpdateExpression"] == "SET #a0 = :v0, #a1 = if_not_exists(#a1, :v1)"


def test_registration_without_status_keeps_an_existing_one() -> None:
    update = index_items.registration("https://x/in/a/", None, "2026-01-01T00:00:00Z")
    assert "status" not in update.set
    assert update.if_absent["status"] == "unknown"
    with_status = index_items.registration("https://x/in/a/", "possible", "t")
    assert with_status.set["status"] == "possible"


def test_success_clears_the_failure_and_failure_records_the_error() -> None:
    ok = index_items.upload_success(
        url="u", name="N", headline=None, screenshot_keys={"profile": "screenshots/a-profile.png"},
        text_s3_key="profiles/a.json", text_s3_url="s3://b/profiles/a.json", text_sha256="ab",
        text_uploaded_at="t", now="t",
    )  # fmt: skip
    assert ok.set["text_upload_failed"] is False
    # A profile back on the site loses its tombstone.
    assert ok.remove == ("text_upload_error", *index_items.TOMBSTONE)
    assert ok.set["screenshot_profile_key"] == "screenshots/a-profile.png"
    failed = index_items.upload_failure(url="u", screenshot_keys={}, error="x" * 5000, now="t")
    assert failed.set["text_upload_failed"] is True
    assert len(failed.set["text_upload_error"]) == index_items.MAX_ERROR_LENGTH


def test_unavailable_is_a_tombstone_with_why_and_when_that_keeps_the_rest() -> None:
    update = index_items.unavailable(
        url="u", kind="not_found", reason="HTTP 404 from the site", now="2026-01-01T00:00:00Z"
    )
    assert {k: update.set[k] for k in index_items.TOMBSTONE} == {
        "unavailable": "not_found",
        "unavailable_reason": "HTTP 404 from the site",
        "unavailable_seen_at": "2026-01-01T00:00:00Z",
    }
    # Earlier pointers (text_s3_key, screenshots) and the lead status are not touched.
    assert not update.remove and "status" not in update.set and "text_s3_key" not in update.set
    assert update.if_absent["status"] == "unknown"


def test_unavailable_refuses_an_unknown_kind() -> None:
    import pytest

    with pytest.raises(ValueError, match="'deleted' is not one of not_found, auth_wall"):
        index_items.unavailable(url="u", kind="deleted", reason="r", now="t")


def test_from_item_turns_whole_decimals_into_ints() -> None:
    item = {"profile_id": {"S": "a"}, "n": {"N": "3"}, "f": {"N": "1.5"}, "ok": {"BOOL": True}}
    assert from_item(item) == {"profile_id": "a", "n": 3, "f": Decimal("1.5"), "ok": True}


def test_from_item_gives_whole_numbers_as_ints_not_decimals() -> None:
    # Decimal("3") == 3, so the type is what says the conversion happened.
    plain = from_item({"n": {"N": "3"}, "big": {"N": "12345678901234567890"}, "f": {"N": "2.50"}})
    assert type(plain["n"]) is int and type(plain["big"]) is int
    assert plain["big"] == 12345678901234567890
    assert type(plain["f"]) is Decimal and plain["f"] == Decimal("2.5")


def test_unavailable_names_every_attribute_and_bounds_the_reason() -> None:
    update = index_items.unavailable(
        url="https://x/in/a/", kind="auth_wall", reason="r" * 5000, now="2026-01-02T03:04:05Z"
    )
    assert update == ItemUpdate(
        set={
            "url": "https://x/in/a/",
            "unavailable": "auth_wall",
            "unavailable_reason": "r" * index_items.MAX_ERROR_LENGTH,
            "unavailable_seen_at": "2026-01-02T03:04:05Z",
            "updated_at": "2026-01-02T03:04:05Z",
        },
        if_absent={"registered_at": "2026-01-02T03:04:05Z", "status": "unknown"},
    )
