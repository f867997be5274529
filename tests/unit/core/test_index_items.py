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
    assert ok.remove == ("text_upload_error",)
    assert ok.set["screenshot_profile_key"] == "screenshots/a-profile.png"
    failed = index_items.upload_failure(url="u", screenshot_keys={}, error="x" * 5000, now="t")
    assert failed.set["text_upload_failed"] is True
    assert len(failed.set["text_upload_error"]) == index_items.MAX_ERROR_LENGTH


def test_from_item_turns_whole_decimals_into_ints() -> None:
    item = {"profile_id": {"S": "a"}, "n": {"N": "3"}, "f": {"N": "1.5"}, "ok": {"BOOL": True}}
    assert from_item(item) == {"profile_id": "a", "n": 3, "f": Decimal("1.5"), "ok": True}
