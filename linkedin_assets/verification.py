"""Does what a run claims to have stored really exist, intact and encrypted? (Used by the demo's
checks; each function returns the problems it found, empty when all is well.)"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from linkedin_assets.documents import InvalidDocument, validate_document
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import SHA256_KEY, ObjectInfo

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _object_problems(info: ObjectInfo | None, key: str, content_type: str) -> list[str]:
    if info is None:
        return [f"{key}: missing"]
    problems = []
    if info.size == 0:
        problems.append(f"{key}: empty")
    if not info.server_side_encryption:
        problems.append(f"{key}: not encrypted")
    if not (info.content_type or "").startswith(content_type):
        problems.append(f"{key}: content type {info.content_type!r}, expected {content_type!r}")
    return problems


def screenshot_problems(storage: ProfileStorage, profile_id: str) -> list[str]:
    bucket, layout = storage.screenshot_bucket, storage.layout
    manifest_raw = storage.objects.get(bucket, layout.capture_manifest_key(profile_id))
    pages = ["profile", *(["activity"] if json.loads(manifest_raw).get("activity") else [])]
    problems: list[str] = []
    for page in pages:
        key = layout.screenshot_key(profile_id, page)  # type: ignore[arg-type]
        info = storage.objects.head(bucket, key)
        problems += _object_problems(info, key, "image/png")
        if info is not None and not storage.objects.get(bucket, key).startswith(PNG_MAGIC):
            problems.append(f"{key}: not a PNG")
    return problems


def profile_json_problems(storage: ProfileStorage, profile_id: str) -> list[str]:
    bucket, key = storage.profile_text_bucket, storage.layout.profile_key(profile_id)
    info = storage.objects.head(bucket, key)
    problems = _object_problems(info, key, "application/json")
    if info is None:
        return problems
    body = storage.objects.get(bucket, key)
    digest = hashlib.sha256(body)
    if info.metadata.get(SHA256_KEY) != digest.hexdigest():
        problems.append(
            f"{key}: body SHA-256 {digest.hexdigest()} != metadata {info.metadata.get(SHA256_KEY)}"
        )
    if info.checksum_sha256 and info.checksum_sha256 != base64.b64encode(digest.digest()).decode():
        problems.append(f"{key}: S3 checksum {info.checksum_sha256} does not match the body")
    try:
        document = json.loads(body)
        validate_document(document)
        if document["profile_id"] != profile_id:
            problems.append(f"{key}: profile_id {document['profile_id']!r} != {profile_id!r}")
    except (ValueError, InvalidDocument) as exc:
        problems.append(f"{key}: {exc}")
    meta_key = storage.layout.profile_meta_key(profile_id)
    if storage.objects.head(bucket, meta_key) is None:
        problems.append(f"{meta_key}: missing")
    elif json.loads(storage.objects.get(bucket, meta_key)).get("sha256") != digest.hexdigest():
        problems.append(f"{meta_key}: sha256 does not match {key}")
    return problems


def index_problems(
    storage: ProfileStorage, item: dict[str, Any] | None, profile_id: str
) -> list[str]:
    if item is None:
        return [f"index item {profile_id!r}: missing"]
    problems = []
    key = storage.layout.profile_key(profile_id)
    if item.get("text_upload_failed"):
        problems.append(
            f"index item {profile_id!r}: text_upload_failed: {item.get('text_upload_error')}"
        )
    if item.get("text_s3_key") != key:
        problems.append(
            f"index item {profile_id!r}: text_s3_key {item.get('text_s3_key')!r} != {key!r}"
        )
    info = storage.objects.head(storage.profile_text_bucket, key)
    if info is not None and item.get("text_sha256") != info.metadata.get(SHA256_KEY):
        problems.append(f"index item {profile_id!r}: text_sha256 does not match the object")
    return problems
