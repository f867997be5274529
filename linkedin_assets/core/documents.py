"""The profile document: building it from extracted fields, validating it, serialising it (pure).

The serialised form is what lands at ``profiles/<id>.json``: UTF-8 JSON with sorted keys, so the
same content always has the same bytes and SHA-256. ``content_sha256`` leaves out
``extracted_at``, so a re-extraction of unchanged content can be recognised as unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from linkedin_assets.core.extraction import ExtractedProfile
from linkedin_assets.core.profile_ids import validate_profile_id
from linkedin_assets.errors import InvalidDocument

SCHEMA_VERSION = 1
TIMESTAMP_FIELDS = ("extracted_at",)
# How far a profile's processing got, as its upload record (``<id>.meta.json``) says beside the
# lead ``status``: the document is extracted and published, then the index item points at it.
EXTRACTED = "extracted"
INDEXED = "indexed"
PROCESSING_STATES = (EXTRACTED, INDEXED)


@cache
def profile_schema() -> dict[str, Any]:
    """The published JSON schema of the profile document."""
    text = resources.files("linkedin_assets.schemas").joinpath("profile.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def utc_timestamp(moment: datetime | None = None) -> str:
    """UTC ISO-8601 with a ``Z``, second precision: ``2026-11-24T15:42:00Z``."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_document(
    profile_id: str, url: str, extracted: ExtractedProfile, extracted_at: datetime | None = None
) -> dict[str, Any]:
    """The full profile document for ``profile_id``, validated."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "profile_id": validate_profile_id(profile_id),
        "url": url,
        **extracted,
        "extracted_at": utc_timestamp(extracted_at),
    }
    validate_document(document)
    return document


def validate_document(document: Mapping[str, Any]) -> None:
    """Raise ``InvalidDocument`` naming the first field that breaks the schema."""
    validator = jsonschema.Draft202012Validator(profile_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(document)"
        raise InvalidDocument(f"profile document field {where}: {error.message}")


def serialise(document: Mapping[str, Any]) -> bytes:
    """Canonical UTF-8 JSON bytes (sorted keys, no ASCII escaping, trailing newline)."""
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def content_sha256(document: Mapping[str, Any]) -> str:
    """SHA-256 of the document without its timestamps: equal when the content is unchanged."""
    content = {k: v for k, v in document.items() if k not in TIMESTAMP_FIELDS}
    return sha256_hex(serialise(content))


def record_fingerprint(sha256: str, status: str, state: str) -> str:
    """What an upload record's content depends on: the same document, lead status and processing
    state write nothing again (the times in it are those of the first write)."""
    return f"{sha256}:{status}:{state}"


def indexed_record(record: Mapping[str, Any], indexed_at: str) -> dict[str, Any]:
    """The upload record once the index item points at its document (pure)."""
    return {**record, "processing_state": INDEXED, "indexed_at": indexed_at}
