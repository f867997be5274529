"""Layer 3, ``profile_json``: the published document at ``profiles/<id>.json`` and its record."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from linkedin_assets.assets import profile_text
from linkedin_assets.assets.checks import CheckOutcome, check_spec, object_problems
from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.assets.profile_text import SPEC as TEXT
from linkedin_assets.assets.work import ProfileWork, RunContext, Stage
from linkedin_assets.core.documents import (
    EXTRACTED,
    INDEXED,
    InvalidDocument,
    content_sha256,
    indexed_record,
    record_fingerprint,
    serialise,
    sha256_hex,
    utc_timestamp,
    validate_document,
)
from linkedin_assets.core.index_items import DEFAULT_STATUS
from linkedin_assets.core.storage_layout import is_upload_record
from linkedin_assets.errors import ObjectNotFound, StorageError
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import SHA256_KEY, ObjectInfo, PutResult

SPEC = dg.AssetSpec(
    "profile_json",
    description=(
        "`profiles/<id>.json` in S3: the profile document as UTF-8 JSON, encrypted, with object "
        "metadata and a SHA-256 checksum, plus `profiles/<id>.meta.json` recording the upload."
    ),
    deps=[TEXT],
    partitions_def=profile_partitions,
    group_name="profiles",
    kinds={"json", "s3"},
    skippable=True,
)


@dataclass(frozen=True)
class Published:
    document: PutResult
    meta: PutResult
    uploaded_at: str
    # The upload record as it is in S3 (``meta_document``), with its processing state.
    record: dict[str, Any] = field(default_factory=dict)


EXTRACTED_AT = "extracted-at"


def newer_than(existing: ObjectInfo, document: dict[str, Any]) -> bool:
    """Was the object in S3 extracted later than ``document``? (ISO UTC strings sort by time.)"""
    return existing.metadata.get(EXTRACTED_AT, "") > document["extracted_at"]


def object_metadata(document: dict[str, Any], status: str) -> dict[str, str]:
    return {
        "profile-id": document["profile_id"],
        EXTRACTED_AT: document["extracted_at"],
        "status": status,
    }


def meta_document(
    put: PutResult,
    *,
    profile_id: str,
    uploaded_at: str,
    status: str,
    index_table: str,
    processing_state: str = EXTRACTED,
) -> dict[str, Any]:
    """The ``.meta.json`` record of an upload (pure): ``status`` is the lead status,
    ``processing_state`` how far the profile got (``extracted``, then ``indexed``)."""
    return {
        "profile_key": put.key,
        "uploaded_at": uploaded_at,
        "size": put.size,
        "sha256": put.sha256,
        "etag": put.etag,
        "status": status,
        "processing_state": processing_state,
        "index_key": {"table": index_table, "profile_id": profile_id},
    }


def kept_state(record: dict[str, Any] | None, put: PutResult, status: str) -> dict[str, Any]:
    """What an unchanged document keeps of its record: ``indexed`` (and when) if the record says
    so for this very content and status, so a re-run does not set it back to ``extracted``."""
    if (
        record
        and record.get("processing_state") == INDEXED
        and (record.get("sha256"), record.get("status")) == (put.sha256, status)
    ):
        return {"processing_state": INDEXED, "indexed_at": record.get("indexed_at")}
    return {"processing_state": EXTRACTED}


def put_record(storage: ProfileStorage, profile_id: str, record: dict[str, Any]) -> PutResult:
    """Write an upload record; the same document, status and state write nothing."""
    return storage.objects.put(
        storage.profile_text_bucket, storage.layout.profile_meta_key(profile_id),
        json.dumps(record, sort_keys=True, indent=1).encode() + b"\n",
        content_type="application/json",
        metadata={"profile-id": profile_id, "status": str(record.get("status", ""))},
        fingerprint=record_fingerprint(
            str(record.get("sha256", "")), str(record.get("status", "")), record["processing_state"]
        ),
    )  # fmt: skip


def publish(
    storage: ProfileStorage,
    document: dict[str, Any],
    *,
    status: str,
    index_table: str,
    on_document: Callable[[PutResult], None] = lambda put: None,
) -> tuple[dict[str, Any], Published]:
    """Upload the document, then its meta record; unchanged content writes nothing.
    ``on_document`` hears of the document's put before the record is written (which may fail).

    Returns the document now in S3 (``document`` itself, or a newer one another run wrote) and
    the upload record. The write is a compare-and-swap, so a slow older run cannot overwrite it.
    """
    validate_document(document)
    pid, bucket = document["profile_id"], storage.profile_text_bucket
    fingerprint = f"{content_sha256(document)}:{status}"
    put = storage.objects.put(
        bucket, storage.layout.profile_key(pid), serialise(document),
        content_type="application/json", metadata=object_metadata(document, status),
        fingerprint=fingerprint, conditional=True,
        is_stale=lambda existing: newer_than(existing, document),
    )  # fmt: skip
    on_document(put)
    if put.outcome == "stale":
        # A newer document is already there (a faster, later run): keep it and its record.
        stored, published = load_published(storage, pid)
        return stored, Published(put, published.meta, published.uploaded_at, published.record)
    uploaded_at, recorded, record = utc_timestamp(), None, None
    if put.outcome == "unchanged":
        # The content is already there, and so is its record, which says when it was uploaded:
        # read it first, so a record found only under the earlier name (before the upgrade) is
        # rewritten under the new one with that time, not with now.
        try:
            record = read_upload_record(storage, pid)[1]
            recorded = record["uploaded_at"]
        except (ObjectNotFound, ValueError, KeyError, TypeError):
            record, recorded = None, None
        uploaded_at = recorded or uploaded_at
    meta_body = meta_document(
        put, profile_id=pid, uploaded_at=uploaded_at, status=status, index_table=index_table
    )
    meta_body.update(kept_state(record, put, status))
    meta = put_record(storage, pid, meta_body)
    if meta.outcome == "unchanged" and recorded is None:
        # The record on S3 is the truth about when this content was uploaded.
        meta_body = json.loads(storage.objects.get(bucket, meta.key))
        uploaded_at = meta_body["uploaded_at"]
    return document, Published(put, meta, uploaded_at, meta_body)


def record_indexed(storage: ProfileStorage, profile_id: str, published: Published) -> Published:
    """The upload record says ``indexed`` once the index item points at the document; a record
    that already says so (for this document and status) is not written again."""
    if published.record.get("processing_state") == INDEXED:
        return published
    record = indexed_record(published.record, utc_timestamp())
    meta = put_record(storage, profile_id, record)
    return Published(published.document, meta, published.uploaded_at, record)


def read_upload_record(storage: ProfileStorage, profile_id: str) -> tuple[str, dict[str, Any]]:
    """The key and body of a profile's upload record: ``<id>.meta.json``, else one an earlier
    version wrote at ``<id>-meta.json``, taken only if its body says it is this profile's record
    (that key may be the document of a profile ``<id>-meta``). ``ObjectNotFound`` if neither is;
    ``ValueError`` if the record is not JSON."""
    bucket, layout = storage.profile_text_bucket, storage.layout
    key = layout.profile_meta_key(profile_id)
    try:
        return key, json.loads(storage.objects.get(bucket, key))
    except ObjectNotFound:
        legacy = layout.legacy_profile_meta_key(profile_id)
        try:
            record = json.loads(storage.objects.get(bucket, legacy))
        except (ObjectNotFound, ValueError):
            raise ObjectNotFound(f"s3://{bucket}/{key} does not exist") from None
        if not is_upload_record(record, layout.profile_key(profile_id)):
            raise ObjectNotFound(f"s3://{bucket}/{key} does not exist") from None
        return legacy, record


def load_published(storage: ProfileStorage, profile_id: str) -> tuple[dict[str, Any], Published]:
    """The document and upload record already in S3 (for an index-only run)."""
    bucket, layout = storage.profile_text_bucket, storage.layout
    body = storage.objects.get(bucket, layout.profile_key(profile_id))
    meta_key, meta = read_upload_record(storage, profile_id)
    put = PutResult(
        bucket, layout.profile_key(profile_id), len(body), sha256_hex(body),
        meta.get("etag", ""), "unchanged", 1, 0.0,
    )  # fmt: skip
    meta_put = PutResult(bucket, meta_key, 0, "", "", "unchanged", 1, 0.0)
    return json.loads(body), Published(put, meta_put, meta["uploaded_at"], meta)


def materialization_metadata(published: Published) -> dict[str, Any]:
    put = published.document
    return {
        "s3_key": put.key,
        "s3_url": put.url,
        "size": put.size,
        "etag": put.etag,
        "sha256": put.sha256,
        "duration_s": round(put.duration_s, 4),
        "attempts": put.attempts,
        "outcome": put.outcome,
        "meta_s3_key": published.meta.key,
        "uploaded_at": published.uploaded_at,
        "processing_state": published.record.get("processing_state"),
    }


INTACT_CHECK = check_spec(
    "json_intact",
    SPEC,
    "`profiles/<id>.json` exists, its size and SHA-256 match what was uploaded (`.meta.json` and "
    "S3's own checksum), it is encrypted, it validates against `docs/profile.schema.json`, and its "
    "profile_id is the partition's. Blocking: a failure stops profile_index for that profile.",
    blocking=True,
)


def check_intact(storage: ProfileStorage, profile_id: str) -> CheckOutcome:
    """The ``json_intact`` check of one profile."""
    bucket, layout = storage.profile_text_bucket, storage.layout
    key, meta_key = layout.profile_key(profile_id), layout.profile_meta_key(profile_id)
    info = storage.objects.head(bucket, key)
    problems, observed = object_problems(info, key, "application/json")
    try:
        _, uploaded = read_upload_record(storage, profile_id)
    except (ObjectNotFound, ValueError):
        uploaded = {}
        problems.append(f"{meta_key} is missing or not JSON")
    expected = {
        "size": uploaded.get("size"), "sha256": uploaded.get("sha256"), "profile_id": profile_id,
        "server_side_encryption": "AES256 or aws:kms", "content_type": "application/json",
    }  # fmt: skip
    if info is not None:
        body = storage.objects.get(bucket, key)
        digest = hashlib.sha256(body)
        observed.update(
            sha256=digest.hexdigest(),
            metadata_sha256=info.metadata.get(SHA256_KEY),
            s3_checksum_sha256=info.checksum_sha256,
        )
        if uploaded and (len(body), digest.hexdigest()) != (
            uploaded.get("size"),
            uploaded.get("sha256"),
        ):
            problems.append(
                f"{key} is {len(body)} bytes with SHA-256 {digest.hexdigest()[:12]}…, but "
                f"{uploaded.get('size')} bytes with SHA-256 {str(uploaded.get('sha256'))[:12]}… "
                "were uploaded"
            )
        if (
            info.checksum_sha256
            and info.checksum_sha256 != base64.b64encode(digest.digest()).decode()
        ):
            problems.append(f"{key}: S3's checksum does not match the body")
        problems += _document_problems(body, key, profile_id, observed)
    return CheckOutcome.from_problems(
        problems, f"{key} intact", {"observed": observed, "expected": expected}
    )


def _document_problems(
    body: bytes, key: str, profile_id: str, observed: dict[str, Any]
) -> list[str]:
    try:
        document = json.loads(body.decode("utf-8"))
        validate_document(document)
    except (UnicodeDecodeError, ValueError, InvalidDocument) as exc:
        return [f"{key} is not a valid profile document: {exc}"]
    observed["profile_id"] = document["profile_id"]
    if document["profile_id"] != profile_id:
        return [f"{key} holds profile {document['profile_id']!r}, not {profile_id!r}"]
    return []


# The layer's stage: what the multi-asset runs for one profile (assets/work.py).


def materialize(run: RunContext, work: ProfileWork) -> dict[str, Any]:
    document = profile_text.document(run, work)
    status = run.statuses.get(work.profile_id, DEFAULT_STATUS)
    try:
        with profile_text.upload_failure_recorded(run, work, document["url"]):
            work.document, work.published = publish(
                run.storage, document, status=status, index_table=run.index_table,
                on_document=work.outcome.document_put,
            )  # fmt: skip
    except StorageError as exc:
        work.outcome.upload_failed(exc)  # its attempts and time count in the upload metrics
        raise
    return materialization_metadata(work.published)


def check(run: RunContext, work: ProfileWork) -> CheckOutcome:
    return check_intact(run.storage, work.profile_id)


def published(run: RunContext, work: ProfileWork) -> tuple[dict[str, Any], Published]:
    """The published document and its upload record: this run's, or those in S3, read once."""
    if work.published is None or work.document is None:
        work.document, work.published = load_published(run.storage, work.profile_id)
    return work.document, work.published


STAGE = Stage(SPEC, materialize, INTACT_CHECK, check)
