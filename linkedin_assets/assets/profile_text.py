"""Layer 2, ``profile_text``: the profile document extracted from the stored HTML."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg

from linkedin_assets.assets import profile_screenshots
from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.assets.profile_screenshots import SPEC as SCREENSHOTS
from linkedin_assets.assets.profile_screenshots import StoredCapture
from linkedin_assets.assets.work import ProfileWork, RunContext, Stage
from linkedin_assets.core import index_items
from linkedin_assets.core.documents import build_document, content_sha256, serialise, utc_timestamp
from linkedin_assets.core.extraction import Fallback, extract
from linkedin_assets.errors import ExtractionError, ObjectNotFound, StorageError
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import PutResult

SPEC = dg.AssetSpec(
    "profile_text",
    description=(
        "The profile document (name, headline, location, about, experience, education, skills, "
        "activity, fulltext) extracted from the stored HTML; re-runnable without the browser."
    ),
    deps=[SCREENSHOTS],
    partitions_def=profile_partitions,
    group_name="profiles",
    kinds={"python", "s3"},
    skippable=True,
)


def extract_document(capture: StoredCapture) -> tuple[dict[str, Any], tuple[Fallback, ...]]:
    """Build the validated document from a stored capture (pure), with the sections whose field
    was read from their text because their inner markup changed (`core.extraction._fallback`)."""
    extraction = extract(capture.profile_html, capture.activity_html)
    if not extraction.profile["name"]:
        raise ExtractionError(f"profile {capture.profile_id!r}: no name found in the stored HTML")
    return build_document(capture.profile_id, capture.url, extraction.profile), extraction.fallbacks


def store_document(storage: ProfileStorage, document: dict[str, Any]) -> PutResult:
    """Upload the extracted document; the same content (whatever ``extracted_at``) writes nothing,
    as for ``profile_json``, so a re-extraction that changes nothing rewrites nothing."""
    key = storage.layout.extracted_key(document["profile_id"])
    return storage.objects.put(
        storage.profile_text_bucket, key, serialise(document),
        content_type="application/json; charset=utf-8",
        metadata={"profile-id": document["profile_id"], "extracted-at": document["extracted_at"]},
        fingerprint=content_sha256(document),
    )  # fmt: skip


def load_document(storage: ProfileStorage, profile_id: str) -> dict[str, Any]:
    key = storage.layout.extracted_key(profile_id)
    try:
        return json.loads(storage.objects.get(storage.profile_text_bucket, key))
    except ObjectNotFound as exc:
        raise ExtractionError(
            f"profile {profile_id!r} has no extracted document; materialize profile_text first"
        ) from exc


def materialization_metadata(
    document: dict[str, Any], put: PutResult, fallbacks: tuple[Fallback, ...] = ()
) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "s3_key": put.key,
        "outcome": put.outcome,
        "name": document["name"],
        "experience": len(document["experience"]),
        "education": len(document["education"]),
        "skills": len(document["skills"]),
        "activity": len(document["activity"]),
        "fulltext_chars": len(document["fulltext"]),
        # The fields read from a section's text: the page's markup has moved on from the
        # selectors we know, and the extractor wants updating (docs/extraction.md).
        "fallbacks": ", ".join(f.field for f in fallbacks) or "none",
    }
    if fallbacks:
        metadata["fallback_warning"] = "; ".join(f.message for f in fallbacks)
    return metadata


# The layer's stage: what the multi-asset runs for one profile (assets/work.py).


def materialize(run: RunContext, work: ProfileWork) -> dict[str, Any]:
    document, fallbacks = extract_document(profile_screenshots.stored(run, work))
    for used in fallbacks:
        run.log.warning(f"profile {work.profile_id!r}: {used.message}")
    with upload_failure_recorded(run, work, document["url"]):
        put = store_document(run.storage, document)
    work.document = document
    return materialization_metadata(document, put, fallbacks)


def document(run: RunContext, work: ProfileWork) -> dict[str, Any]:
    """The profile's document: this run's, or the stored one, read once."""
    if work.document is None:
        work.document = load_document(run.storage, work.profile_id)
    return work.document


@contextmanager
def upload_failure_recorded(run: RunContext, work: ProfileWork, url: str) -> Iterator[None]:
    """A profile-text upload that fails for good is recorded in the index, then re-raised; one
    that may succeed later is left to the next round (or the next run) to settle."""
    try:
        yield
    except StorageError as exc:
        if not exc.transient:
            # The screenshots stay; the index says the text upload failed and why.
            failure = index_items.upload_failure(
                url=url,
                screenshot_keys=profile_screenshots.keys(run, work),
                error=str(exc),
                now=utc_timestamp(),
            )
            run.index.update(work.profile_id, failure)
        raise


STAGE = Stage(SPEC, materialize)
