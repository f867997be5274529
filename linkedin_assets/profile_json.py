"""Layer 3, ``profile_json``: the published document at ``profiles/<id>.json`` and its record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import dagster as dg

from linkedin_assets.documents import (
    content_sha256,
    serialise,
    sha256_hex,
    utc_timestamp,
    validate_document,
)
from linkedin_assets.partitions import profile_partitions
from linkedin_assets.profile_text import SPEC as TEXT
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import PutResult

SPEC = dg.AssetSpec(
    "profile_json",
    description=(
        "profiles/<id>.json in S3: the profile document as UTF-8 JSON, encrypted, with object "
        "metadata and a SHA-256 checksum, plus profiles/<id>-meta.json recording the upload."
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


def object_metadata(document: dict[str, Any], status: str) -> dict[str, str]:
    return {
        "profile-id": document["profile_id"],
        "extracted-at": document["extracted_at"],
        "status": status,
    }


def meta_document(
    put: PutResult, *, profile_id: str, uploaded_at: str, status: str, index_table: str
) -> dict[str, Any]:
    """The ``-meta.json`` record of an upload (pure)."""
    return {
        "profile_key": put.key,
        "uploaded_at": uploaded_at,
        "size": put.size,
        "sha256": put.sha256,
        "etag": put.etag,
        "status": status,
        "index_key": {"table": index_table, "profile_id": profile_id},
    }


def publish(
    storage: ProfileStorage, document: dict[str, Any], *, status: str, index_table: str
) -> Published:
    """Upload the document, then its meta record; unchanged content writes nothing."""
    validate_document(document)
    pid, bucket = document["profile_id"], storage.profile_text_bucket
    fingerprint = f"{content_sha256(document)}:{status}"
    put = storage.objects.put(
        bucket, storage.layout.profile_key(pid), serialise(document),
        content_type="application/json", metadata=object_metadata(document, status),
        fingerprint=fingerprint,
    )  # fmt: skip
    uploaded_at = utc_timestamp()
    meta_body = meta_document(
        put, profile_id=pid, uploaded_at=uploaded_at, status=status, index_table=index_table
    )
    meta = storage.objects.put(
        bucket, storage.layout.profile_meta_key(pid),
        json.dumps(meta_body, sort_keys=True, indent=1).encode() + b"\n",
        content_type="application/json", metadata={"profile-id": pid, "status": status},
        fingerprint=f"{put.sha256}:{status}",
    )  # fmt: skip
    if meta.outcome == "unchanged":
        # The record on S3 is the truth about when this content was uploaded.
        uploaded_at = json.loads(storage.objects.get(bucket, meta.key))["uploaded_at"]
    return Published(put, meta, uploaded_at)


def load_published(storage: ProfileStorage, profile_id: str) -> tuple[dict[str, Any], Published]:
    """The document and upload record already in S3 (for an index-only run)."""
    bucket, layout = storage.profile_text_bucket, storage.layout
    body = storage.objects.get(bucket, layout.profile_key(profile_id))
    meta = json.loads(storage.objects.get(bucket, layout.profile_meta_key(profile_id)))
    put = PutResult(
        bucket, layout.profile_key(profile_id), len(body), sha256_hex(body),
        meta.get("etag", ""), "unchanged", 1, 0.0,
    )  # fmt: skip
    meta_put = PutResult(
        bucket, layout.profile_meta_key(profile_id), 0, "", "", "unchanged", 1, 0.0
    )
    return json.loads(body), Published(put, meta_put, meta["uploaded_at"])


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
    }
