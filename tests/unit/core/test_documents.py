import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from linkedin_assets.core.documents import (
    InvalidDocument,
    build_document,
    content_sha256,
    indexed_record,
    serialise,
    sha256_hex,
    utc_timestamp,
    validate_document,
)


def extracted(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "Ada Lovelace", "headline": "Analyst", "location": "London", "about": None,
        "current_company": None, "experience": [], "education": [], "skills": ["Maths"],
        "connections": 500, "followers": None, "activity": [], "fulltext": "Ada Lovelace\nAnalyst",
    }  # fmt: skip
    return {**fields, **overrides}


def test_document_has_every_field_and_a_utc_timestamp() -> None:
    moment = datetime(2026, 11, 24, 16, 42, 7, 123456, tzinfo=timezone(timedelta(hours=1)))
    document = build_document(
        "ada-lovelace", "https://www.linkedin.com/in/ada-lovelace/", extracted(), moment
    )  # type: ignore[arg-type]
    assert document["schema_version"] == 1
    assert document["profile_id"] == "ada-lovelace"
    assert document["extracted_at"] == "2026-11-24T15:42:07Z"
    assert set(document) >= {
        "experience",
        "education",
        "skills",
        "activity",
        "fulltext",
        "followers",
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"connections": -1}, "connections"),
        ({"skills": [1]}, "skills/0"),
        ({"experience": [{"title": "x"}]}, "experience/0"),
        ({"unexpected": "x"}, "(document)"),
        ({"fulltext": None}, "fulltext"),
    ],
)
def test_invalid_documents_name_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidDocument, match=re.escape(f"field {field}")):
        build_document("ada-lovelace", "https://x/in/ada-lovelace/", extracted(**overrides))  # type: ignore[arg-type]


def test_a_bad_profile_id_is_refused() -> None:
    with pytest.raises(ValueError, match="profile"):
        build_document("../x", "https://x/", extracted())  # type: ignore[arg-type]


def test_serialisation_is_canonical_utf8() -> None:
    document = build_document(
        "jürgen-müller", "https://x/in/j%C3%BCrgen-m%C3%BCller/", extracted(name="Jürgen <b>")
    )  # type: ignore[arg-type]
    body = serialise(document)
    assert "Jürgen <b>".encode() in body  # UTF-8, not \\u escapes; markup stays text
    assert serialise(json.loads(body)) == body
    assert body.endswith(b"\n")


def test_content_hash_ignores_only_the_timestamp() -> None:
    a = build_document("ada-lovelace", "https://x/", extracted(), datetime(2026, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]
    b = build_document("ada-lovelace", "https://x/", extracted(), datetime(2026, 2, 1, tzinfo=UTC))  # type: ignore[arg-type]
    c = build_document(
        "ada-lovelace",
        "https://x/",
        extracted(headline="Engineer"),
        datetime(2026, 1, 1, tzinfo=UTC),
    )  # type: ignore[arg-type]
    assert sha256_hex(serialise(a)) != sha256_hex(serialise(b))
    assert content_sha256(a) == content_sha256(b) != content_sha256(c)


def test_validate_accepts_what_build_produces_and_rejects_a_local_timestamp() -> None:
    document = build_document("ada-lovelace", "https://x/", extracted())  # type: ignore[arg-type]
    validate_document(document)
    with pytest.raises(InvalidDocument, match="extracted_at"):
        validate_document({**document, "extracted_at": "2026-01-01T00:00:00+01:00"})
    assert utc_timestamp(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00Z"


def test_an_indexed_record_is_the_record_marked_indexed_and_when() -> None:
    record = {"profile_id": "ada-l", "processing_state": "extracted", "sha256": "ab"}
    assert indexed_record(record, "2026-01-02T03:04:05Z") == {
        "profile_id": "ada-l",
        "processing_state": "indexed",
        "sha256": "ab",
        "indexed_at": "2026-01-02T03:04:05Z",
    }
    assert record["processing_state"] == "extracted"  # a new record: the given one is untouched
