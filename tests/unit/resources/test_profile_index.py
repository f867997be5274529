import boto3
import pytest
from botocore.stub import Stubber

from linkedin_assets.core import index_items
from linkedin_assets.errors import StorageError
from linkedin_assets.resources.profile_index import DynamoDBIndexStore
from tests.conftest import TABLE


def test_registration_then_success_then_failure(aws: dict) -> None:
    store = DynamoDBIndexStore(aws["dynamodb"], TABLE)
    store.update("a", index_items.registration("https://x/in/a/", "possible", "t0"))
    store.update("a", index_items.registration("https://x/in/a/", None, "t1"))
    item = store.get("a")
    assert item is not None
    assert (item["status"], item["registered_at"], item["updated_at"]) == ("possible", "t0", "t1")
    store.update(
        "a", index_items.upload_failure(url="u", screenshot_keys={}, error="boom", now="t2")
    )
    assert store.get("a")["text_upload_failed"] is True  # type: ignore[index]
    store.update("a", index_items.upload_success(
        url="u", name="A", headline="H", screenshot_keys={"profile": "s/a-profile.png"},
        text_s3_key="profiles/a.json", text_s3_url="s3://b/profiles/a.json", text_sha256="00",
        text_uploaded_at="t3", now="t3",
    ))  # fmt: skip
    item = store.get("a")
    assert item is not None
    assert item["text_upload_failed"] is False and "text_upload_error" not in item
    assert item["status"] == "possible"


def test_get_many_reads_more_than_one_batch(aws: dict) -> None:
    store = DynamoDBIndexStore(aws["dynamodb"], TABLE)
    ids = [f"person-{n:04d}" for n in range(250)]
    for pid in ids:
        store.update(pid, index_items.registration(f"https://x/in/{pid}/", None, "t"))
    found = store.get_many([*ids, "not-there"])
    assert set(found) == set(ids)


def test_unprocessed_keys_are_asked_for_again() -> None:
    client = boto3.client("dynamodb", region_name="us-west-2")
    store = DynamoDBIndexStore(client, TABLE)
    key = {"profile_id": {"S": "a"}}
    with Stubber(client) as stub:
        stub.add_response(
            "batch_get_item",
            {"Responses": {TABLE: []}, "UnprocessedKeys": {TABLE: {"Keys": [key]}}},
        )
        stub.add_response(
            "batch_get_item",
            {"Responses": {TABLE: [{"profile_id": {"S": "a"}}]}, "UnprocessedKeys": {}},
        )
        assert store.get_many(["a"]) == {"a": {"profile_id": "a"}}


def test_refused_write_names_profile_and_table() -> None:
    client = boto3.client("dynamodb", region_name="us-west-2")
    store = DynamoDBIndexStore(client, TABLE)
    with Stubber(client) as stub:
        stub.add_client_error("update_item", "AccessDeniedException", http_status_code=400)
        with pytest.raises(StorageError, match=r"'a'.*test-profiles.*AccessDeniedException"):
            store.update("a", index_items.registration("u", None, "t"))


def test_scan_and_delete(aws: dict) -> None:
    store = DynamoDBIndexStore(aws["dynamodb"], TABLE)
    for pid in ("a", "b"):
        store.update(pid, index_items.registration(f"https://x/in/{pid}/", "possible", "t0"))
    scanned = sorted(store.scan(["status"]), key=lambda item: item["profile_id"])
    assert scanned == [
        {"profile_id": "a", "status": "possible"},
        {"profile_id": "b", "status": "possible"},
    ]
    assert store.delete("a") is True and store.get("a") is None
    assert store.delete("a") is False  # nothing left to delete: not an error
    assert [item["profile_id"] for item in store.scan([])] == ["b"]


def test_refused_delete_names_profile_and_table_and_is_not_transient() -> None:
    client = boto3.client("dynamodb", region_name="us-west-2")
    store = DynamoDBIndexStore(client, TABLE)
    with Stubber(client) as stub:
        stub.add_client_error("delete_item", "AccessDeniedException", http_status_code=400)
        with pytest.raises(StorageError, match=r"'a'.*test-profiles.*AccessDeniedException") as e:
            store.delete("a")
    assert not e.value.transient


def test_a_scan_asks_for_the_key_and_the_attributes_and_skips_empty_pages() -> None:
    client = boto3.client("dynamodb", region_name="us-west-2")
    asked = {
        "TableName": TABLE,
        "ProjectionExpression": "#a0, #a1, #a2",
        "ExpressionAttributeNames": {"#a0": "profile_id", "#a1": "status", "#a2": "captured_at"},
    }
    with Stubber(client) as stub:
        # A page may come back with no items at all (a filtered or empty segment).
        stub.add_response("scan", {"LastEvaluatedKey": {"profile_id": {"S": "a"}}}, asked)
        stub.add_response(
            "scan",
            {"Items": [{"profile_id": {"S": "b"}, "status": {"S": "ok"}}]},
            {**asked, "ExclusiveStartKey": {"profile_id": {"S": "a"}}},
        )
        items = list(DynamoDBIndexStore(client, TABLE).scan(["status", "captured_at"]))
        stub.assert_no_pending_responses()
    assert items == [{"profile_id": "b", "status": "ok"}]


def test_a_round_that_answers_only_unprocessed_keys_is_asked_again() -> None:
    client = boto3.client("dynamodb", region_name="us-west-2")
    pauses: list[float] = []
    key = {"profile_id": {"S": "a"}}
    asked = {"RequestItems": {TABLE: {"Keys": [key], "ConsistentRead": True}}}
    with Stubber(client) as stub:
        # Nothing of the table in this answer, not even an empty list: all of it unprocessed.
        stub.add_response("batch_get_item", {"Responses": {},
                          "UnprocessedKeys": {TABLE: {"Keys": [key], "ConsistentRead": True}}},
                          asked)  # fmt: skip
        stub.add_response("batch_get_item", {"Responses": {TABLE: [key]}}, asked)
        found = DynamoDBIndexStore(client, TABLE, sleep=pauses.append).get_many(["a"])
        stub.assert_no_pending_responses()
    assert found == {"a": {"profile_id": "a"}} and pauses == [0.05]
