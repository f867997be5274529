import base64
import hashlib
import io
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from linkedin_assets.assets.profile_screenshots import store_capture
from linkedin_assets.core.profile_ids import profile_url
from linkedin_assets.core.storage_layout import StorageLayout
from linkedin_assets.errors import ObjectNotFound, StorageError, UploadFailed
from linkedin_assets.resources import object_store
from linkedin_assets.resources.browser import PageCapture, ProfileCapture, activity_url
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import (
    MAX_METADATA_BYTES,
    Listed,
    ObjectInfo,
    PutResult,
    S3ObjectStore,
    decode_metadata_value,
    encode_metadata_value,
    metadata_size,
)
from tests.conftest import BUCKET


def test_put_encrypts_checksums_and_records_metadata(aws: dict) -> None:
    store = S3ObjectStore(aws["s3"])
    result = store.put(BUCKET, "profiles/a.json", b'{"a": 1}', content_type="application/json",
                       metadata={"profile-id": "a", "status": "possible"})  # fmt: skip
    assert result.outcome == "uploaded"
    assert result.sha256 == hashlib.sha256(b'{"a": 1}').hexdigest()
    assert result.url == f"s3://{BUCKET}/profiles/a.json"
    head = aws["s3"].head_object(Bucket=BUCKET, Key="profiles/a.json", ChecksumMode="ENABLED")
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "application/json"
    assert head["Metadata"]["profile-id"] == "a"
    assert head["Metadata"]["sha256"] == result.sha256
    assert head["ChecksumSHA256"]


def test_same_fingerprint_is_not_uploaded_again(aws: dict) -> None:
    store = S3ObjectStore(aws["s3"])
    first = store.put(BUCKET, "k", b"one", content_type="text/plain", metadata={}, fingerprint="f1")
    again = store.put(BUCKET, "k", b"two", content_type="text/plain", metadata={}, fingerprint="f1")
    changed = store.put(
        BUCKET, "k", b"two", content_type="text/plain", metadata={}, fingerprint="f2"
    )
    assert (first.outcome, again.outcome, changed.outcome) == ("uploaded", "unchanged", "uploaded")
    assert again.sha256 == first.sha256
    assert store.get(BUCKET, "k") == b"two"


def test_unicode_metadata_survives_the_round_trip(aws: dict) -> None:
    store = S3ObjectStore(aws["s3"])
    store.put(
        BUCKET, "u", b"x", content_type="text/plain", metadata={"profile-id": "jürgen-müller"}
    )
    info = store.head(BUCKET, "u")
    assert info is not None and info.metadata["profile-id"] == "jürgen-müller"
    assert encode_metadata_value("jürgen").isascii()
    assert decode_metadata_value(encode_metadata_value("a b/ü")) == "a b/ü"


def test_kms_encryption_when_configured(aws: dict) -> None:
    key_id = boto3.client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["KeyId"]
    store = S3ObjectStore(aws["s3"], sse_algorithm="aws:kms", kms_key_id=key_id)
    store.put(BUCKET, "kms", b"x", content_type="text/plain", metadata={})
    head = aws["s3"].head_object(Bucket=BUCKET, Key="kms")
    assert head["ServerSideEncryption"] == "aws:kms"


def test_missing_objects(aws: dict) -> None:
    store = S3ObjectStore(aws["s3"])
    assert store.head(BUCKET, "nope") is None
    with pytest.raises(ObjectNotFound, match="nope"):
        store.get(BUCKET, "nope")


def test_access_denied_is_an_upload_failure_naming_the_key() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    store = S3ObjectStore(client)
    with Stubber(client) as stub:
        stub.add_client_error("head_object", "404", http_status_code=404)
        stub.add_client_error("put_object", "AccessDenied", "Access Denied", http_status_code=403)
        with pytest.raises(UploadFailed) as raised:
            store.put("b", "profiles/a.json", b"{}", content_type="application/json", metadata={})
    message = str(raised.value)
    assert "s3://b/profiles/a.json" in message and "AccessDenied (HTTP 403)" in message
    assert "testing" not in message  # never a credential


# --- S3's 2 KB limit on user metadata (issue 13, item 10) ------------------------------------------

CJK_ID = "田" * 100  # 3 bytes a character in UTF-8, 9 characters percent-encoded
WIDE_ID = "\U00020000" * 100  # a CJK Extension B ideograph: 4 bytes, 12 characters encoded


def test_metadata_size_counts_names_and_values_in_utf8_bytes() -> None:
    assert metadata_size({"ab": "cd", "e": "ü"}) == 2 + 2 + 1 + 2


def test_a_put_over_the_metadata_limit_fails_naming_the_key_before_sending() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    store = S3ObjectStore(client)
    # moto accepts any size; S3 answers 400 MetadataTooLarge. Nothing at all may be sent.
    with Stubber(client), pytest.raises(UploadFailed) as raised:
        store.put("b", "screenshots/x-profile.png", b"png", content_type="image/png",
                  metadata={"note": "ü" * 400})  # fmt: skip
    message = str(raised.value)
    assert "s3://b/screenshots/x-profile.png" in message
    assert f"over S3's limit of {MAX_METADATA_BYTES}" in message and "note" in message


def capture(pid: str) -> ProfileCapture:
    base = "https://www.linkedin.com"
    profile = PageCapture(profile_url(pid, base), profile_url(pid, base), 200, "<html/>", b"png")
    activity = PageCapture(activity_url(pid, base), activity_url(pid, base), 200, "<html/>", b"p")
    return ProfileCapture(pid, profile, activity, None, "2026-01-01T00:00:00Z")


@pytest.mark.parametrize("pid", ["田" * 60, "jürgen-müller", "ada-lovelace"])
def test_the_source_url_is_percent_encoded_once(aws: dict, pid: str) -> None:
    storage = ProfileStorage(S3ObjectStore(aws["s3"]), StorageLayout(), BUCKET, BUCKET)
    store_capture(storage, capture(pid))
    for page, url in [
        ("profile", profile_url(pid)),
        ("activity", activity_url(pid, "https://www.linkedin.com")),
    ]:
        for key in (f"screenshots/{pid}-{page}.png", f"captures/{pid}/{page}.html"):
            sent = aws["s3"].head_object(Bucket=BUCKET, Key=key)["Metadata"]
            # On the wire: the request URL itself, not its '%' encoded again as '%25'.
            assert sent["source-url"] == url
            assert metadata_size(sent) <= MAX_METADATA_BYTES
            info = storage.objects.head(BUCKET, key)
            assert info is not None and info.metadata["profile-id"] == pid


@pytest.mark.parametrize("pid", [CJK_ID, WIDE_ID])
def test_a_slug_too_long_for_the_limit_drops_only_the_derivable_source_url(
    aws: dict, pid: str
) -> None:
    # Before the fix the 100-character CJK slug's metadata was over 2 KB (S3 would refuse it).
    storage = ProfileStorage(S3ObjectStore(aws["s3"]), StorageLayout(), BUCKET, BUCKET)
    store_capture(storage, capture(pid))
    for page in ("profile", "activity"):
        key = f"screenshots/{pid}-{page}.png"
        sent = aws["s3"].head_object(Bucket=BUCKET, Key=key)["Metadata"]
        assert metadata_size(sent) <= MAX_METADATA_BYTES
        # Absent or the URL itself: it is profile_url(profile-id), also in capture.json.
        assert sent.get("source-url") in (None, profile_url(pid) if page == "profile" else
                                          activity_url(pid, "https://www.linkedin.com"))  # fmt: skip
        assert decode_metadata_value(sent["profile-id"]) == pid
        assert pid != WIDE_ID or "source-url" not in sent  # 4-byte characters never fit it


# --- Listing, deleting and HEADing many keys ---------------------------------------------------


def put(store: S3ObjectStore, key: str, body: bytes = b"x") -> None:
    store.put(BUCKET, key, body, content_type="text/plain", metadata={})


def test_list_goes_past_a_thousand_keys(aws: dict) -> None:
    store = S3ObjectStore(aws["s3"])
    for n in range(1203):
        aws["s3"].put_object(Bucket=BUCKET, Key=f"profiles/p{n:05d}.json", Body=b"{}")
    aws["s3"].put_object(Bucket=BUCKET, Key="screenshots/other.png", Body=b"x")
    listed = list(store.list_objects(BUCKET, "profiles/"))
    assert len(listed) == 1203 and listed[0].key == "profiles/p00000.json" and listed[0].size == 2


def test_head_get_and_delete_many(aws: dict) -> None:
    store = S3ObjectStore(aws["s3"])
    put(store, "a", b"hello")
    assert store.head(BUCKET, "a") is not None and store.head(BUCKET, "b") is None
    assert store.get(BUCKET, "a") == b"hello"
    for n in range(1500):
        aws["s3"].put_object(Bucket=BUCKET, Key=f"d/{n}", Body=b"x")
    assert store.delete_many(BUCKET, [f"d/{n}" for n in range(1500)] + ["a", "never-was"]) == 1502
    assert list(store.list_objects(BUCKET, "d/")) == []
    with pytest.raises(ObjectNotFound):
        store.get(BUCKET, "a")


def test_keys_s3_refuses_to_delete_fail_the_call_naming_one_and_the_count() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    store = S3ObjectStore(client)
    refused = [{"Key": k, "Code": "AccessDenied", "Message": "no"} for k in ("k1", "k2")]
    with Stubber(client) as stub:
        stub.add_response("delete_objects", {"Deleted": [{"Key": "k0"}], "Errors": refused})
        with pytest.raises(StorageError, match=r"s3://b/k1 failed: AccessDenied \(2 of 3 keys"):
            store.delete_many("b", ["k0", "k1", "k2"])


def test_a_failed_listing_is_a_storage_error_that_says_whether_it_is_transient() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    store = S3ObjectStore(client)
    with Stubber(client) as stub:
        stub.add_client_error("list_objects_v2", "SlowDown", http_status_code=503)
        stub.add_client_error("list_objects_v2", "AccessDenied", http_status_code=403)
        with pytest.raises(StorageError, match=r"listing s3://b/p/ failed: SlowDown") as slow:
            list(store.list_objects("b", "p/"))
        with pytest.raises(StorageError, match="AccessDenied") as denied:
            list(store.list_objects("b", "p/"))
    assert slow.value.transient and not denied.value.transient


def test_head_many_is_bounded_and_complete(aws: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    store = S3ObjectStore(aws["s3"])
    for n in range(60):
        put(store, f"h/{n}")
    in_flight, peak, lock = 0, 0, threading.Lock()
    real_head = store.head

    def counting_head(bucket: str, key: str) -> ObjectInfo | None:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            return real_head(bucket, key)
        finally:
            with lock:
                in_flight -= 1

    monkeypatch.setattr(store, "head", counting_head)
    results = dict(
        store.head_many(BUCKET, [f"h/{n}" for n in range(60)] + ["h/missing"], concurrency=4)
    )
    assert len(results) == 61 and results["h/missing"] is None
    assert all(results[f"h/{n}"].server_side_encryption == "AES256" for n in range(60))
    assert peak <= 4
    with pytest.raises(ValueError, match="concurrency"):
        list(store.head_many(BUCKET, ["x"], concurrency=0))


# --- What a put sends and reports, request by request (issue 18, mutation) ---------------------

BODY = b'{"a": 1}'
BODY_SHA256 = hashlib.sha256(BODY).hexdigest()
BODY_CHECKSUM = base64.b64encode(hashlib.sha256(BODY).digest()).decode()
HEAD_PARAMS = {"Bucket": "b", "Key": "k", "ChecksumMode": "ENABLED"}


def put_params(**extra: object) -> dict[str, object]:
    """The whole PutObject request for BODY at s3://b/k, as botocore receives it."""
    return {
        "Bucket": "b",
        "Key": "k",
        "Body": BODY,
        "ContentType": "application/json",
        "Metadata": {"profile-id": "j%C3%BCrgen", "sha256": BODY_SHA256, "content-sha256": "f1"},
        "ChecksumAlgorithm": "SHA256",
        "ChecksumSHA256": BODY_CHECKSUM,
        "ServerSideEncryption": "AES256",
        **extra,
    }


def test_a_put_sends_exactly_the_body_checksums_metadata_and_encryption() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    store = S3ObjectStore(client)
    with Stubber(client) as stub:
        stub.add_client_error(
            "head_object", "404", http_status_code=404, expected_params=HEAD_PARAMS
        )
        stub.add_response(
            "put_object",
            {"ETag": '"e1"', "VersionId": "v1", "ResponseMetadata": {"RetryAttempts": 2}},
            put_params(),
        )
        result = store.put("b", "k", BODY, content_type="application/json",
                           metadata={"profile-id": "jürgen"}, fingerprint="f1")  # fmt: skip
        stub.assert_no_pending_responses()
    assert result == PutResult(
        "b", "k", len(BODY), BODY_SHA256, "e1", "uploaded", 3, result.duration_s, "v1"
    )
    assert result.duration_s >= 0


def test_without_a_fingerprint_the_content_digest_is_the_fingerprint() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    with Stubber(client) as stub:
        stub.add_client_error(
            "head_object", "404", http_status_code=404, expected_params=HEAD_PARAMS
        )
        sent = put_params(Metadata={"sha256": BODY_SHA256, "content-sha256": BODY_SHA256})
        stub.add_response("put_object", {}, sent)
        result = S3ObjectStore(client).put("b", "k", BODY, content_type="application/json",
                                           metadata={})  # fmt: skip
    # No ETag, no VersionId, no retry count in the answer: empty, None, one attempt.
    assert (result.etag, result.version_id, result.attempts) == ("", None, 1)


def test_kms_puts_name_the_key_and_other_algorithms_never_do() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    kms = S3ObjectStore(client, sse_algorithm="aws:kms", kms_key_id="key-1")
    aes_with_key = S3ObjectStore(client, sse_algorithm="AES256", kms_key_id="key-1")
    with Stubber(client) as stub:
        for sse in ({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "key-1"},
                    {"ServerSideEncryption": "AES256"}):  # fmt: skip
            stub.add_client_error("head_object", "404", http_status_code=404)
            stub.add_response("put_object", {}, put_params(**sse))
        for store in (kms, aes_with_key):
            store.put("b", "k", BODY, content_type="application/json",
                      metadata={"profile-id": "jürgen"}, fingerprint="f1")  # fmt: skip
        stub.assert_no_pending_responses()


def test_conditional_puts_compare_and_swap_on_what_the_head_saw() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    store = S3ObjectStore(client)
    existing = {"ETag": '"old"', "ContentLength": 3, "Metadata": {"content-sha256": "f0"}}
    with Stubber(client) as stub:
        stub.add_client_error("head_object", "404", http_status_code=404)
        stub.add_response("put_object", {}, put_params(IfNoneMatch="*"))
        stub.add_response("head_object", existing, HEAD_PARAMS)
        stub.add_response("put_object", {}, put_params(IfMatch="old"))
        for _ in range(2):
            store.put("b", "k", BODY, content_type="application/json",
                      metadata={"profile-id": "jürgen"}, fingerprint="f1", conditional=True)  # fmt: skip
        stub.assert_no_pending_responses()


@pytest.mark.parametrize("code", ["PreconditionFailed", "412", "ConditionalRequestConflict", "409"])
def test_a_lost_race_looks_again_and_gives_up_after_three_rounds(code: str) -> None:
    client = boto3.client("s3", region_name="us-west-2")
    store = S3ObjectStore(client)
    with Stubber(client) as stub:
        for _ in range(3):
            stub.add_client_error("head_object", "404", http_status_code=404)
            stub.add_client_error("put_object", code, http_status_code=412)
        with pytest.raises(UploadFailed) as raised:
            store.put("b", "k", BODY, content_type="application/json", metadata={},
                      conditional=True)  # fmt: skip
        stub.assert_no_pending_responses()
    assert str(raised.value) == (
        "upload of s3://b/k: other writers changed it 3 times while this one tried; "
        "giving up rather than overwriting"
    )


def test_a_conflict_on_an_unconditional_put_is_a_failure_at_once() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    with Stubber(client) as stub:
        stub.add_client_error("head_object", "404", http_status_code=404)
        stub.add_client_error("put_object", "PreconditionFailed", http_status_code=412)
        with pytest.raises(UploadFailed) as raised:
            S3ObjectStore(client).put("b", "k", BODY, content_type="application/json",
                                      metadata={})  # fmt: skip
    assert str(raised.value) == (
        "upload of s3://b/k failed after 1 attempt(s): PreconditionFailed (HTTP 412)"
    )


def existing_object(**metadata: str) -> dict[str, object]:
    return {"ETag": '"e0"', "ContentLength": 7, "Metadata": metadata}


class FakeMonotonic:
    """``time`` for object_store: each call of ``monotonic`` a quarter second after the last."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        self.now += 0.25
        return self.now


def test_an_unchanged_put_reports_what_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(object_store, "time", FakeMonotonic())
    client = boto3.client("s3", region_name="us-west-2")
    with Stubber(client) as stub:
        stub.add_response(
            "head_object", existing_object(**{"sha256": "s0", "content-sha256": "f1"})
        )
        result = S3ObjectStore(client).put("b", "k", BODY, content_type="application/json",
                                           metadata={}, fingerprint="f1")  # fmt: skip
    # Its duration runs from the put's start to the answer: one tick of the fake clock.
    assert result == PutResult("b", "k", 7, "s0", "e0", "unchanged", 1, 0.25)


def test_a_stale_put_reports_what_is_there_and_writes_nothing() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    seen: list[ObjectInfo] = []

    def newer(info: ObjectInfo) -> bool:
        seen.append(info)
        return True

    with Stubber(client) as stub:
        stub.add_response("head_object", existing_object(**{"content-sha256": "f0"}))
        result = S3ObjectStore(client).put("b", "k", BODY, content_type="application/json",
                                           metadata={}, fingerprint="f1", is_stale=newer)  # fmt: skip
    assert result == PutResult("b", "k", 7, "", "e0", "stale", 1, result.duration_s)
    assert [info.metadata for info in seen] == [{"content-sha256": "f0"}]


def test_an_object_that_is_not_stale_is_overwritten() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    with Stubber(client) as stub:
        stub.add_response("head_object", existing_object(**{"content-sha256": "f0"}))
        stub.add_response("put_object", {}, put_params(Metadata={
            "sha256": BODY_SHA256, "content-sha256": "f1"}))  # fmt: skip
        result = S3ObjectStore(client).put("b", "k", BODY, content_type="application/json",
                                           metadata={}, fingerprint="f1",
                                           is_stale=lambda info: False)  # fmt: skip
    assert result.outcome == "uploaded"


# The two checksums a put adds weigh 148 bytes: "sha256" + 64 hex, "content-sha256" + 64 hex.
ROOM = MAX_METADATA_BYTES - (6 + 64) - (14 + 64)


def test_metadata_exactly_at_the_limit_is_sent() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    metadata = {"n": "v" * (ROOM - 1)}
    with Stubber(client) as stub:
        stub.add_client_error("head_object", "404", http_status_code=404)
        stub.add_response("put_object", {})
        S3ObjectStore(client).put("b", "k", BODY, content_type="text/plain", metadata=metadata)
        stub.assert_no_pending_responses()


def test_metadata_one_byte_over_the_limit_is_refused_naming_the_largest_value() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    metadata = {"small": "x", "big": "ü" * 10, "n": "v" * (ROOM - 1 - 5 - 1 - 3 - 60 + 1)}
    with Stubber(client), pytest.raises(UploadFailed) as raised:
        S3ObjectStore(client).put("b", "k", BODY, content_type="text/plain", metadata=metadata)
    assert str(raised.value) == (
        "upload of s3://b/k refused: its user metadata is 2049 bytes encoded, over S3's limit "
        "of 2048 (largest value: n)"
    )


def test_the_largest_value_is_measured_as_encoded() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    # 700 "ü" are 700 characters but 4,200 once percent-encoded; 1,000 "a" stay 1,000.
    metadata = {"plain": "a" * 1000, "wide": "ü" * 700}
    with Stubber(client), pytest.raises(UploadFailed, match=r"\(largest value: wide\)$"):
        S3ObjectStore(client).put("b", "k", BODY, content_type="text/plain", metadata=metadata)


# --- Reads, HEADs, listings and deletes go to the bucket's own client ---------------------------


def test_every_call_uses_the_client_of_its_bucket() -> None:
    default = boto3.client("s3", region_name="us-west-2")
    other = boto3.client("s3", region_name="eu-west-1")
    store = S3ObjectStore(default, clients_by_bucket={"far": other})
    assert store.client_for("far") is other and store.client_for("near") is default
    # The default client has nothing queued: the Stubber fails any call that reaches it.
    with Stubber(default), Stubber(other) as stub:
        stub.add_response("get_object", {"Body": StreamingBody(io.BytesIO(b"hi"), 2)},
                          {"Bucket": "far", "Key": "k"})  # fmt: skip
        stub.add_response("head_object", {"ETag": '"e"', "ContentLength": 2}, {
            "Bucket": "far", "Key": "k", "ChecksumMode": "ENABLED"})  # fmt: skip
        stub.add_response("list_objects_v2", {}, {"Bucket": "far", "Prefix": "p/"})
        stub.add_response("delete_objects", {}, {
            "Bucket": "far", "Delete": {"Objects": [{"Key": "k"}], "Quiet": True}})  # fmt: skip
        stub.add_client_error("head_object", "404", http_status_code=404)
        stub.add_response("put_object", {})
        assert store.get("far", "k") == b"hi"
        assert store.head("far", "k") is not None
        assert list(store.list_objects("far", "p/")) == []
        assert store.delete_many("far", ["k"]) == 1
        store.put("far", "k", BODY, content_type="text/plain", metadata={})
        stub.assert_no_pending_responses()


def test_a_head_reads_every_field_of_the_answer() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    answer = {
        "ETag": '"e1"',
        "ContentLength": 12,
        "ContentType": "image/png",
        "Metadata": {"profile-id": "j%C3%BCrgen"},
        "ServerSideEncryption": "aws:kms",
        "ChecksumSHA256": "c2hh",
    }
    with Stubber(client) as stub:
        stub.add_response("head_object", answer, HEAD_PARAMS)
        stub.add_response("head_object", {})
        info = S3ObjectStore(client).head("b", "k")
        bare = S3ObjectStore(client).head("b", "k")
    assert info == ObjectInfo("b", "k", 12, "e1", "image/png", {"profile-id": "jürgen"},
                              "aws:kms", "c2hh")  # fmt: skip
    assert bare == ObjectInfo("b", "k", 0, "", None, {}, None, None)


def test_a_listing_reports_each_object_with_its_etag_unquoted() -> None:
    client = boto3.client("s3", region_name="us-west-2")
    when = datetime(2026, 1, 2, tzinfo=UTC)
    page = {"Contents": [{"Key": "p/a", "Size": 5, "ETag": '"e1"', "LastModified": when}]}
    with Stubber(client) as stub:
        stub.add_response("list_objects_v2", page, {"Bucket": "b", "Prefix": "p/"})
        assert list(S3ObjectStore(client).list_objects("b", "p/")) == [Listed("p/a", 5, "e1", when)]


def test_head_many_keeps_at_most_twice_its_concurrency_waiting_and_yields_as_they_come(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = S3ObjectStore(None)
    gates = {f"k{n}": threading.Event() for n in range(20)}

    def gated_head(bucket: str, key: str) -> ObjectInfo | None:
        gates[key].wait()  # answered only once the test opens its gate
        return None

    monkeypatch.setattr(store, "head", gated_head)
    consumed: list[int] = []

    def keys() -> Iterator[str]:
        for n in range(20):
            consumed.append(n)
            yield f"k{n}"

    results = store.head_many("b", keys(), concurrency=2)
    gates["k0"].set()
    # Four keys taken (twice the concurrency), then the first answer, alone, while three wait.
    assert next(results) == ("k0", None) and consumed == [0, 1, 2, 3]
    for gate in gates.values():
        gate.set()
    assert sorted(key for key, _ in results) == sorted(f"k{n}" for n in range(1, 20))


def test_delete_many_counts_every_full_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(object_store, "DELETE_BATCH", 2)
    client = boto3.client("s3", region_name="us-west-2")
    with Stubber(client) as stub:
        for batch in (["a", "b"], ["c", "d"], ["e"]):
            stub.add_response("delete_objects", {}, {
                "Bucket": "b", "Delete": {"Objects": [{"Key": k} for k in batch], "Quiet": True}})  # fmt: skip
        assert S3ObjectStore(client).delete_many("b", ["a", "b", "c", "d", "e"]) == 5
        stub.assert_no_pending_responses()
