"""Conditional writes: a slow, older run never overwrites a newer profile document, and a write
that loses a race gets 412, looks again and decides again (moto honours If-Match/If-None-Match)."""

from datetime import UTC, datetime
from typing import Any

import pytest

from linkedin_assets.assets import profile_json
from linkedin_assets.core.documents import build_document
from linkedin_assets.core.storage_layout import StorageLayout
from linkedin_assets.errors import UploadFailed
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import S3ObjectStore
from tests.conftest import BUCKET


def document(headline: str, day: int) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "Ada Lovelace", "headline": headline, "location": None, "about": None, "current_company": None,
        "experience": [], "education": [], "skills": [], "connections": None, "followers": None,
        "activity": [], "fulltext": "Ada Lovelace",
    }  # fmt: skip
    return build_document(
        "ada-lovelace", "https://x/in/ada-lovelace/", fields, datetime(2026, 1, day, tzinfo=UTC)
    )  # type: ignore[arg-type]


@pytest.fixture
def storage(aws: dict) -> ProfileStorage:
    return ProfileStorage(S3ObjectStore(aws["s3"]), StorageLayout(), BUCKET, BUCKET)


def stored_headline(aws: dict) -> str:
    import json

    return json.loads(
        aws["s3"].get_object(Bucket=BUCKET, Key="profiles/ada-lovelace.json")["Body"].read()
    )["headline"]


def test_an_older_document_never_overwrites_a_newer_one(aws: dict, storage: ProfileStorage) -> None:
    _, newer = profile_json.publish(
        storage, document("Engineer", 2), status="possible", index_table="t"
    )
    in_s3, older = profile_json.publish(
        storage, document("Analyst", 1), status="possible", index_table="t"
    )
    assert (newer.document.outcome, older.document.outcome) == ("uploaded", "stale")
    assert stored_headline(aws) == "Engineer" and in_s3["headline"] == "Engineer"
    assert older.uploaded_at == newer.uploaded_at  # the record of the newer upload stands


def test_first_write_uses_if_none_match_and_later_ones_if_match(
    aws: dict, storage: ProfileStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict] = []
    real = aws["s3"].put_object
    monkeypatch.setattr(aws["s3"], "put_object", lambda **kw: seen.append(kw) or real(**kw))
    profile_json.publish(storage, document("Engineer", 1), status="s", index_table="t")
    profile_json.publish(storage, document("Engineer, again", 2), status="s", index_table="t")
    documents = [kw for kw in seen if kw["Key"] == "profiles/ada-lovelace.json"]
    assert documents[0]["IfNoneMatch"] == "*" and "IfMatch" not in documents[0]
    assert documents[1]["IfMatch"] and "IfNoneMatch" not in documents[1]


def test_a_lost_race_is_decided_again_not_overwritten(
    aws: dict, storage: ProfileStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile_json.publish(storage, document("v1", 1), status="s", index_table="t")
    real = aws["s3"].put_object
    calls = {"n": 0}

    def racing_put(**kw: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:  # another, newer run writes just before ours lands
            monkeypatch.setattr(aws["s3"], "put_object", real)
            profile_json.publish(storage, document("v3 (newest)", 3), status="s", index_table="t")
            monkeypatch.setattr(aws["s3"], "put_object", racing_put)
        return real(**kw)

    monkeypatch.setattr(aws["s3"], "put_object", racing_put)
    _, ours = profile_json.publish(storage, document("v2", 2), status="s", index_table="t")
    assert ours.document.outcome == "stale"  # 412 on If-Match, looked again: a newer one is there
    assert stored_headline(aws) == "v3 (newest)"


def test_endless_conflicts_give_up_with_a_clear_error(
    aws: dict, storage: ProfileStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    def always_conflict(**kw: Any) -> Any:
        raise ClientError(
            {"Error": {"Code": "PreconditionFailed"}, "ResponseMetadata": {"HTTPStatusCode": 412}},
            "PutObject",
        )

    monkeypatch.setattr(aws["s3"], "put_object", always_conflict)
    with pytest.raises(UploadFailed, match="other writers changed it 3 times"):
        storage.objects.put(
            BUCKET, "k", b"x", content_type="text/plain", metadata={}, conditional=True
        )
