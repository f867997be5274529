import hashlib

import boto3
import pytest
from botocore.stub import Stubber

from linkedin_assets.errors import ObjectNotFound, UploadFailed
from linkedin_assets.resources.object_store import (
    S3ObjectStore,
    decode_metadata_value,
    encode_metadata_value,
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
