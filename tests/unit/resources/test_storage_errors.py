"""The error branches of the S3 and DynamoDB resources: what a refused, failing or unreachable
request becomes (the project's error type, its message, whether it is transient).

S3 and DynamoDB answers are scripted with botocore's Stubber; a connection that drops is raised
from botocore's public ``before-send`` event, where botocore's HTTP layer would raise it.
"""

from __future__ import annotations

from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import pytest
from botocore.stub import Stubber

from linkedin_assets.errors import ObjectNotFound, StorageError, UploadFailed
from linkedin_assets.resources.aws import ClientSettings, build_client
from linkedin_assets.resources.object_store import DELETE_BATCH, S3ObjectStore
from linkedin_assets.resources.profile_index import UNPROCESSED_ROUNDS, DynamoDBIndexStore
from tests.conftest import BUCKET, REGION, TABLE


def s3_client() -> Any:
    return boto3.client("s3", region_name=REGION)


# --- HEAD -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status", "transient"),
    [("403", 403, False), ("500", 500, True), ("503", 503, True)],
)
def test_a_head_that_is_refused_or_fails_is_a_storage_error_not_a_missing_object(
    code: str, status: int, transient: bool
) -> None:
    # A HEAD's answer has no body: S3's 403 and 5xx reach botocore as a bare status code.
    client = s3_client()
    store = S3ObjectStore(client)
    with Stubber(client) as stub:
        stub.add_client_error("head_object", code, http_status_code=status)
        with pytest.raises(StorageError) as raised:
            store.head("b", "profiles/a.json")
    assert type(raised.value) is StorageError
    assert str(raised.value) == f"HEAD s3://b/profiles/a.json failed: {code} (HTTP {status})"
    assert raised.value.transient is transient


@pytest.mark.parametrize(("code", "status"), [("404", 404), ("NoSuchKey", 404)])
def test_a_head_of_a_missing_object_is_none(code: str, status: int) -> None:
    client = s3_client()
    with Stubber(client) as stub:
        stub.add_client_error("head_object", code, http_status_code=status)
        assert S3ObjectStore(client).head("b", "k") is None


def test_head_many_passes_on_a_refused_head() -> None:
    client = s3_client()
    store = S3ObjectStore(client)
    with Stubber(client) as stub:
        stub.add_client_error("head_object", "403", http_status_code=403)
        with pytest.raises(StorageError, match=r"HEAD s3://b/k failed: 403 \(HTTP 403\)"):
            dict(store.head_many("b", ["k"], concurrency=1))


# --- GET --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status", "transient"),
    [("AccessDenied", 403, False), ("InternalError", 500, True), ("SlowDown", 503, True)],
)
def test_a_get_that_is_refused_or_fails_is_a_storage_error_not_object_not_found(
    code: str, status: int, transient: bool
) -> None:
    client = s3_client()
    store = S3ObjectStore(client)
    with Stubber(client) as stub:
        stub.add_client_error("get_object", code, "refused", http_status_code=status)
        with pytest.raises(StorageError) as raised:
            store.get("b", "captures/a/profile.html")
    assert not isinstance(raised.value, ObjectNotFound)
    assert str(raised.value) == (
        f"reading s3://b/captures/a/profile.html failed: {code} (HTTP {status})"
    )
    assert raised.value.transient is transient


@pytest.mark.parametrize("code", ["NoSuchKey", "404"])
def test_a_get_of_a_missing_object_is_object_not_found(code: str) -> None:
    client = s3_client()
    with Stubber(client) as stub:
        stub.add_client_error("get_object", code, http_status_code=404)
        with pytest.raises(ObjectNotFound, match=r"^s3://b/k does not exist$") as raised:
            S3ObjectStore(client).get("b", "k")
    assert not raised.value.transient


def test_a_byte_range_is_asked_for_as_given() -> None:
    client = s3_client()
    with Stubber(client) as stub:
        stub.add_client_error(
            "get_object",
            "InvalidRange",
            http_status_code=416,
            expected_params={"Bucket": "b", "Key": "k", "Range": "bytes=0-7"},
        )
        with pytest.raises(StorageError, match=r"InvalidRange \(HTTP 416\)"):
            S3ObjectStore(client).get("b", "k", byte_range="bytes=0-7")


# --- PUT: connections that fail ------------------------------------------------------------------


def one_attempt_client() -> Any:
    """An S3 client that does not retry (botocore's retries are not under test here), built as the
    project builds them: a bare boto3 client would leave the attempt count of an error with no
    response to whatever an earlier test's client left on this thread."""
    return build_client("s3", ClientSettings(region_name=REGION, max_attempts=1))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            botocore.exceptions.ConnectionClosedError(endpoint_url="http://127.0.0.1:1/b/k"),
            "ConnectionClosedError",
        ),
        (
            botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:1/b/k"),
            'EndpointConnectionError: Could not connect to the endpoint URL: "http://127.0.0.1:1/b/k"',
        ),
        (
            botocore.exceptions.ReadTimeoutError(endpoint_url="http://127.0.0.1:1"),
            "ReadTimeoutError",
        ),
    ],
)
def test_a_put_whose_connection_fails_is_a_transient_upload_failure(
    aws: dict, error: Exception, expected: str
) -> None:
    client = one_attempt_client()

    def drop_the_connection(**_: Any) -> None:
        raise error

    # Where botocore's HTTP layer raises it: for the PUT only, the HEAD before it is answered.
    client.meta.events.register("before-send.s3.PutObject", drop_the_connection)
    store = S3ObjectStore(client)
    with pytest.raises(UploadFailed) as raised:
        store.put(BUCKET, "profiles/a.json", b"{}", content_type="application/json", metadata={})
    assert str(raised.value) == (
        f"upload of s3://{BUCKET}/profiles/a.json failed after 1 attempt(s): {expected}"
    )
    assert raised.value.transient is True
    assert raised.value.attempts == 1
    assert store.head(BUCKET, "profiles/a.json") is None  # nothing half-written


def test_a_put_refused_with_a_server_error_is_transient_and_counts_attempts() -> None:
    client = s3_client()
    store = S3ObjectStore(client)
    with Stubber(client) as stub:
        stub.add_client_error("head_object", "404", http_status_code=404)
        stub.add_client_error(
            "put_object",
            "InternalError",
            http_status_code=500,
            response_meta={"RetryAttempts": 2},
        )
        with pytest.raises(UploadFailed) as raised:
            store.put("b", "k", b"x", content_type="text/plain", metadata={})
    assert str(raised.value) == (
        "upload of s3://b/k failed after 3 attempt(s): InternalError (HTTP 500)"
    )
    assert raised.value.transient and raised.value.attempts == 3


def test_a_put_whose_head_is_refused_sends_nothing() -> None:
    client = s3_client()
    store = S3ObjectStore(client)
    with Stubber(client) as stub:
        stub.add_client_error("head_object", "403", http_status_code=403)
        # No put_object queued: the Stubber would fail the test on an unexpected call.
        with pytest.raises(StorageError, match=r"HEAD s3://b/k failed: 403"):
            store.put("b", "k", b"x", content_type="text/plain", metadata={})
        stub.assert_no_pending_responses()


# --- DeleteObjects ----------------------------------------------------------------------------


def test_errors_in_a_later_batch_fail_the_call_after_the_earlier_batch_is_deleted() -> None:
    client = s3_client()
    store = S3ObjectStore(client)
    keys = [f"d/{n}" for n in range(DELETE_BATCH + 2)]
    with Stubber(client) as stub:
        stub.add_response(
            "delete_objects",
            {},
            expected_params={
                "Bucket": "b",
                "Delete": {"Objects": [{"Key": k} for k in keys[:DELETE_BATCH]], "Quiet": True},
            },
        )
        stub.add_response(
            "delete_objects",
            {"Errors": [{"Key": keys[-1], "Code": "InternalError", "Message": "try again"}]},
            expected_params={
                "Bucket": "b",
                "Delete": {"Objects": [{"Key": k} for k in keys[DELETE_BATCH:]], "Quiet": True},
            },
        )
        with pytest.raises(StorageError) as raised:
            store.delete_many("b", keys)
        stub.assert_no_pending_responses()
    assert str(raised.value) == (
        f"deleting s3://b/{keys[-1]} failed: InternalError (1 of 2 keys in the batch)"
    )


def test_a_refused_delete_request_is_a_storage_error_naming_the_bucket() -> None:
    client = s3_client()
    with Stubber(client) as stub:
        stub.add_client_error("delete_objects", "AccessDenied", http_status_code=403)
        with pytest.raises(StorageError) as raised:
            S3ObjectStore(client).delete_many("b", ["k"])
    assert str(raised.value) == "deleting from s3://b failed: AccessDenied (HTTP 403)"
    assert not raised.value.transient


def test_deleting_nothing_sends_nothing() -> None:
    client = s3_client()
    with Stubber(client) as stub:
        assert S3ObjectStore(client).delete_many("b", []) == 0
        stub.assert_no_pending_responses()


# --- BatchGetItem -----------------------------------------------------------------------------


def unprocessed(pids: list[str], answered: tuple[str, ...] = ()) -> dict[str, Any]:
    """A BatchGetItem answer with ``answered`` found and ``pids`` left unprocessed."""
    keys = [{"profile_id": {"S": pid}} for pid in pids]
    items = [{"profile_id": {"S": pid}} for pid in answered]
    return {"Responses": {TABLE: items}, "UnprocessedKeys": {TABLE: {"Keys": keys}}}


def test_unprocessed_keys_that_never_drain_are_a_transient_error_not_a_partial_answer() -> None:
    client = boto3.client("dynamodb", region_name=REGION)
    pauses: list[float] = []
    store = DynamoDBIndexStore(client, TABLE, sleep=pauses.append)
    with Stubber(client) as stub:
        # The first round answers one of the two; "b" stays unprocessed every round after.
        stub.add_response(
            "batch_get_item",
            unprocessed(["b"], answered=("a",)),
        )
        for _ in range(UNPROCESSED_ROUNDS - 1):
            stub.add_response("batch_get_item", unprocessed(["b"]))
        with pytest.raises(StorageError) as raised:
            store.get_many(["a", "b"])
        stub.assert_no_pending_responses()
    assert str(raised.value) == (
        f"reading the index table {TABLE!r}: keys still unprocessed after "
        f"{UNPROCESSED_ROUNDS} rounds (table throttled)"
    )
    assert raised.value.transient
    # A growing pause between rounds, capped, and none after the last one.
    assert pauses == [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2.0]


def test_unprocessed_keys_are_asked_for_alone_on_the_next_round() -> None:
    client = boto3.client("dynamodb", region_name=REGION)
    pauses: list[float] = []
    store = DynamoDBIndexStore(client, TABLE, sleep=pauses.append)
    with Stubber(client) as stub:
        # Each ID once, read consistently: an item written a moment ago must be seen.
        keys = [{"profile_id": {"S": "a"}}, {"profile_id": {"S": "b"}}]
        stub.add_response(
            "batch_get_item",
            unprocessed(["b"], answered=("a",)),
            expected_params={"RequestItems": {TABLE: {"Keys": keys, "ConsistentRead": True}}},
        )
        stub.add_response(
            "batch_get_item",
            {"Responses": {TABLE: [{"profile_id": {"S": "b"}, "status": {"S": "possible"}}]}},
            expected_params={"RequestItems": {TABLE: {"Keys": [{"profile_id": {"S": "b"}}]}}},
        )
        found = store.get_many(["a", "b", "a"])
    assert found == {"a": {"profile_id": "a"}, "b": {"profile_id": "b", "status": "possible"}}
    assert pauses == [0.05]


@pytest.mark.parametrize(
    ("code", "status", "transient"),
    [
        ("ProvisionedThroughputExceededException", 400, True),
        ("AccessDeniedException", 400, False),
        ("InternalServerError", 500, True),
    ],
)
def test_a_failed_batch_read_is_a_storage_error_naming_the_table(
    code: str, status: int, transient: bool
) -> None:
    client = boto3.client("dynamodb", region_name=REGION)
    store = DynamoDBIndexStore(client, TABLE, sleep=lambda _: None)
    with Stubber(client) as stub:
        stub.add_client_error("batch_get_item", code, http_status_code=status)
        with pytest.raises(StorageError) as raised:
            store.get("a")
    assert str(raised.value) == (
        f"reading the index table {TABLE!r} failed: {code} (HTTP {status})"
    )
    assert raised.value.transient is transient


def test_a_failed_scan_is_a_storage_error_naming_the_table() -> None:
    client = boto3.client("dynamodb", region_name=REGION)
    with Stubber(client) as stub:
        stub.add_client_error("scan", "ResourceNotFoundException", http_status_code=400)
        with pytest.raises(StorageError) as raised:
            list(DynamoDBIndexStore(client, TABLE).scan(["status"]))
    assert str(raised.value) == (
        f"scanning the index table {TABLE!r} failed: ResourceNotFoundException (HTTP 400)"
    )


# --- GET, HEAD, listing and delete: connections that fail --------------------------------------


@pytest.mark.parametrize(
    ("operation", "call", "what"),
    [
        ("GetObject", lambda store: store.get("b", "k"), "reading s3://b/k failed"),
        ("HeadObject", lambda store: store.head("b", "k"), "HEAD s3://b/k failed"),
        (
            "ListObjectsV2",
            lambda store: list(store.list_objects("b", "p/")),
            "listing s3://b/p/ failed",
        ),
        (
            "DeleteObjects",
            lambda store: store.delete_many("b", ["k"]),
            "deleting from s3://b failed",
        ),
    ],  # fmt: skip
)
def test_a_read_or_delete_whose_connection_drops_is_a_transient_storage_error(
    operation: str, call: Any, what: str
) -> None:
    client = one_attempt_client()

    def drop_the_connection(**_: Any) -> None:
        raise botocore.exceptions.ConnectionClosedError(endpoint_url="http://127.0.0.1:1/b/k")

    client.meta.events.register(f"before-send.s3.{operation}", drop_the_connection)
    with pytest.raises(StorageError) as raised:
        call(S3ObjectStore(client))
    assert type(raised.value) is StorageError
    assert str(raised.value) == f"{what}: ConnectionClosedError"
    assert raised.value.transient is True and raised.value.attempts == 1
