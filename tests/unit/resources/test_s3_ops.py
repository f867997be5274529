import threading

import pytest

from linkedin_assets.errors import ObjectNotFound
from linkedin_assets.resources import s3_ops
from linkedin_assets.resources.object_store import S3ObjectStore
from tests.conftest import BUCKET


@pytest.fixture
def store(aws: dict) -> S3ObjectStore:
    return S3ObjectStore(aws["s3"])


def put(store: S3ObjectStore, key: str, body: bytes = b"x") -> None:
    store.put(BUCKET, key, body, content_type="text/plain", metadata={})


def test_list_goes_past_a_thousand_keys(store: S3ObjectStore) -> None:
    for n in range(1203):
        store.client_for(BUCKET).put_object(
            Bucket=BUCKET, Key=f"profiles/p{n:05d}.json", Body=b"{}"
        )
    store.client_for(BUCKET).put_object(Bucket=BUCKET, Key="screenshots/other.png", Body=b"x")
    listed = list(s3_ops.list_objects(store, BUCKET, "profiles/"))
    assert len(listed) == 1203 and listed[0].key == "profiles/p00000.json" and listed[0].size == 2


def test_exists_download_delete(store: S3ObjectStore) -> None:
    put(store, "a", b"hello")
    assert s3_ops.exists(store, BUCKET, "a") and not s3_ops.exists(store, BUCKET, "b")
    assert s3_ops.download(store, BUCKET, "a") == b"hello"
    for n in range(1500):
        store.client_for(BUCKET).put_object(Bucket=BUCKET, Key=f"d/{n}", Body=b"x")
    assert (
        s3_ops.delete(store, BUCKET, [f"d/{n}" for n in range(1500)] + ["a", "never-was"]) == 1502
    )
    assert list(s3_ops.list_objects(store, BUCKET, "d/")) == []
    with pytest.raises(ObjectNotFound):
        s3_ops.download(store, BUCKET, "a")


def test_head_many_is_bounded_and_complete(
    store: S3ObjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(60):
        put(store, f"h/{n}")
    in_flight, peak, lock = 0, 0, threading.Lock()
    real_head = store.head

    def counting_head(bucket: str, key: str):  # type: ignore[no-untyped-def]
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
        s3_ops.head_many(
            store, BUCKET, [f"h/{n}" for n in range(60)] + ["h/missing"], concurrency=4
        )
    )
    assert len(results) == 61 and results["h/missing"] is None
    assert all(results[f"h/{n}"].server_side_encryption == "AES256" for n in range(60))
    assert peak <= 4
    with pytest.raises(ValueError, match="concurrency"):
        list(s3_ops.head_many(store, BUCKET, ["x"], concurrency=0))
