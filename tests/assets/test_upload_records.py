"""Upload records never overwrite another profile's document (issue 13, item 3), and records
written under the earlier ``<id>-meta.json`` name are still read, audited and forgotten.

Asset tier: moto's in-process mock behind the real object store and layout."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import dagster as dg

from linkedin_assets.assets.pipeline import ALL_ASSETS
from linkedin_assets.assets.profile_json import (
    check_intact,
    load_published,
    object_metadata,
    publish,
    read_upload_record,
)
from linkedin_assets.assets.reports.profile_store_audit import audit_findings, collect
from linkedin_assets.assets.run_report import run_rows
from linkedin_assets.commands.forget import forget_profiles
from linkedin_assets.core.documents import build_document, content_sha256, serialise
from linkedin_assets.core.profile_ids import profile_url
from linkedin_assets.core.storage_layout import StorageLayout
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import S3ObjectStore
from linkedin_assets.resources.profile_index import DynamoDBIndexStore
from tests.assets.fakes import run
from tests.conftest import BUCKET, TABLE

JANE, JANE_META = "jane", "jane-meta"


def storage(aws: dict[str, Any]) -> ProfileStorage:
    return ProfileStorage(S3ObjectStore(aws["s3"]), StorageLayout(), BUCKET, BUCKET)


def document(pid: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": pid.title(), "headline": "Analyst", "location": None, "about": None,
        "current_company": None, "experience": [], "education": [], "skills": [],
        "connections": None, "followers": None, "activity": [], "fulltext": pid,
    }  # fmt: skip
    return build_document(pid, profile_url(pid), fields, datetime(2026, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]


def test_two_profiles_whose_ids_differ_by_meta_keep_their_own_objects(aws: dict) -> None:
    store = storage(aws)
    publish(store, document(JANE_META), status="lead", index_table=TABLE)
    publish(store, document(JANE), status="lead", index_table=TABLE)

    # Before the fix jane's record was written to profiles/jane-meta.json, over jane-meta's
    # document: its json_intact failed and it was never indexed.
    for pid in (JANE, JANE_META):
        outcome = check_intact(store, pid)
        assert outcome.passed, f"{pid}: {outcome.description}"
        stored, published = load_published(store, pid)
        assert stored["profile_id"] == pid
        assert published.meta.key == f"profiles/{pid}.meta.json"


def legacy_record(aws: dict, pid: str) -> None:
    """What an earlier version left: the document, and its record at ``<id>-meta.json``."""
    doc = document(pid)
    body = serialise(doc)
    # The document as publish wrote it then (same metadata and fingerprint as now).
    storage(aws).objects.put(
        BUCKET, f"profiles/{pid}.json", body, content_type="application/json",
        metadata=object_metadata(doc, "lead"), fingerprint=f"{content_sha256(doc)}:lead",
    )  # fmt: skip
    record = {
        "profile_key": f"profiles/{pid}.json", "uploaded_at": "2025-01-01T00:00:00Z",
        "size": len(body), "sha256": hashlib.sha256(body).hexdigest(), "etag": "",
        "status": "lead", "index_key": {"table": TABLE, "profile_id": pid},
    }  # fmt: skip
    aws["s3"].put_object(
        Bucket=BUCKET, Key=f"profiles/{pid}-meta.json", Body=json.dumps(record).encode(),
        ContentType="application/json", ServerSideEncryption="AES256",
        Metadata={"profile-id": pid},
    )  # fmt: skip


def test_a_record_under_the_earlier_name_is_still_read(aws: dict) -> None:
    legacy_record(aws, JANE)
    store = storage(aws)
    assert check_intact(store, JANE).passed
    _, published = load_published(store, JANE)
    assert published.meta.key == "profiles/jane-meta.json"
    assert published.uploaded_at == "2025-01-01T00:00:00Z"


def test_republishing_moves_an_earlier_record_keeping_its_upload_time(aws: dict) -> None:
    legacy_record(aws, JANE)
    store = storage(aws)
    _, published = publish(store, document(JANE), status="lead", index_table=TABLE)
    assert published.document.outcome == "unchanged"
    assert published.meta.key == "profiles/jane.meta.json"
    # The content was uploaded then, not now.
    assert published.uploaded_at == "2025-01-01T00:00:00Z"
    assert read_upload_record(store, JANE)[0] == "profiles/jane.meta.json"
    assert check_intact(store, JANE).passed


def test_another_profiles_document_is_never_taken_for_a_record(aws: dict) -> None:
    # jane-meta's document sits where jane's record used to; jane has no record at all.
    store = storage(aws)
    publish(store, document(JANE_META), status="lead", index_table=TABLE)
    aws["s3"].put_object(
        Bucket=BUCKET, Key="profiles/jane.json", Body=serialise(document(JANE)),
        ContentType="application/json", ServerSideEncryption="AES256",
    )  # fmt: skip
    outcome = check_intact(store, JANE)
    assert not outcome.passed
    assert "profiles/jane.meta.json is missing" in outcome.description


def test_the_audit_tells_an_earlier_record_from_a_document(aws: dict) -> None:
    # jane-meta's document and joe's earlier record are both named <x>-meta.json.
    store = storage(aws)
    publish(store, document(JANE_META), status="lead", index_table=TABLE)
    legacy_record(aws, "joe")
    objects = collect(store)
    assert set(objects["documents"]) == {"joe", JANE_META}
    assert set(objects["metas"]) == {JANE_META}
    assert set(objects["legacy_metas"]) == {"joe"}
    findings = audit_findings(
        **objects,
        index_items={},
        materialized=set(),
        profile_key=store.layout.profile_key,
    )
    assert ("legacy_meta", "joe") in {(f.kind, f.profile_id) for f in findings}
    assert "orphaned_meta" not in {f.kind for f in findings}


def test_forget_takes_an_earlier_record_only_when_it_is_the_profiles_own(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    legacy_record(aws, "joe")
    store = storage(aws)
    publish(store, document(JANE_META), status="lead", index_table=TABLE)
    index = DynamoDBIndexStore(aws["dynamodb"], TABLE)

    [joe] = forget_profiles(instance, store, index, ["joe"], dry_run=True)
    assert joe.s3_keys_deleted == [
        f"s3://{BUCKET}/profiles/joe.json",
        f"s3://{BUCKET}/profiles/joe-meta.json",
    ]
    # profiles/jane-meta.json is jane-meta's document, not a record of jane's.
    [jane] = forget_profiles(instance, store, index, [JANE], dry_run=True)
    assert jane.s3_keys_deleted == []


def test_the_record_says_how_far_the_profile_got_beside_its_lead_status(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    s3, key = aws["s3"], "profiles/ada-lovelace.meta.json"

    def record() -> tuple[dict, str]:
        answer = s3.get_object(Bucket=BUCKET, Key=key)
        return json.loads(answer["Body"].read()), answer["ETag"]

    screenshots, text, published, index = ALL_ASSETS
    run(instance, ["ada-lovelace"], assets=(screenshots, text, published))
    extracted, _ = record()
    assert (extracted["status"], extracted["processing_state"]) == ("unknown", "extracted")
    assert "indexed_at" not in extracted

    result = run(instance, ["ada-lovelace"], assets=(index,))
    indexed, etag = record()
    assert (indexed["status"], indexed["processing_state"]) == ("unknown", "indexed")
    assert indexed["indexed_at"] >= indexed["uploaded_at"]
    assert {k: v for k, v in indexed.items() if k not in ("processing_state", "indexed_at")} == {
        k: v for k, v in extracted.items() if k != "processing_state"
    }
    [row] = run_rows(instance, result.run_id, ["ada-lovelace"])
    assert row.materialized["profile_index"]["processing_state"] == "indexed"

    # A re-run of unchanged content keeps "indexed" and writes no record.
    run(instance, ["ada-lovelace"])
    assert record() == (indexed, etag)
