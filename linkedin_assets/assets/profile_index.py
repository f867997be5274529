"""Layer 4, ``profile_index``: one DynamoDB item per profile pointing at its S3 objects."""

from __future__ import annotations

from typing import Any

import dagster as dg

from linkedin_assets.assets import profile_json, profile_screenshots
from linkedin_assets.assets.checks import CheckOutcome, check_spec
from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.assets.profile_json import SPEC as JSON_SPEC
from linkedin_assets.assets.profile_json import Published
from linkedin_assets.assets.work import ProfileWork, RunContext, Stage
from linkedin_assets.core import index_items
from linkedin_assets.core.documents import utc_timestamp
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import SHA256_KEY
from linkedin_assets.resources.profile_index import IndexStore

SPEC = dg.AssetSpec(
    "profile_index",
    description=(
        "The DynamoDB index item of each profile: URL, status, name, headline, screenshot keys, "
        "the S3 key/URL/SHA-256 of its JSON and whether that upload failed."
    ),
    deps=[JSON_SPEC],
    partitions_def=profile_partitions,
    group_name="profiles",
    kinds={"dynamodb"},
    skippable=True,
)


def record_published(
    index: IndexStore,
    document: dict[str, Any],
    published: Published,
    screenshot_keys: dict[str, str],
) -> dict[str, Any]:
    """Point the index item at the uploaded JSON and clear any earlier failure."""
    put = published.document
    update = index_items.upload_success(
        url=document["url"],
        name=document["name"],
        headline=document["headline"],
        screenshot_keys=screenshot_keys,
        text_s3_key=put.key,
        text_s3_url=put.url,
        text_sha256=put.sha256,
        text_uploaded_at=published.uploaded_at,
        now=utc_timestamp(),
    )
    index.update(document["profile_id"], update)
    return {"profile_id": document["profile_id"], "text_s3_key": put.key, "text_sha256": put.sha256}


def record_unavailable(run: RunContext, work: ProfileWork) -> None:
    """The site would not show the profile (404, or an auth wall to a browser without a session):
    a tombstone in its index item, with why and when. Nothing stored earlier is touched."""
    exc = work.unavailable
    assert exc is not None and exc.records is not None
    run.index.update(
        work.profile_id,
        index_items.unavailable(
            url=exc.url, kind=exc.records, reason=exc.reason, now=utc_timestamp()
        ),
    )


CONSISTENT_CHECK = check_spec(
    "index_consistent",
    SPEC,
    "The index item exists, its upload has not failed, and its text_s3_key / text_sha256 point at "
    "the `profiles/<id>.json` that is really in S3.",
)


def check_consistent(
    storage: ProfileStorage, item: dict[str, Any] | None, profile_id: str
) -> CheckOutcome:
    """The ``index_consistent`` check of one profile, given its index item (or ``None``)."""
    key = storage.layout.profile_key(profile_id)
    info = storage.objects.head(storage.profile_text_bucket, key)
    observed = {
        "item_exists": item is not None,
        "text_s3_key": (item or {}).get("text_s3_key"),
        "text_sha256": (item or {}).get("text_sha256"),
        "text_upload_failed": (item or {}).get("text_upload_failed"),
    }
    expected = {
        "item_exists": True,
        "text_s3_key": key,
        "text_sha256": info.metadata.get(SHA256_KEY) if info else "(no object in S3)",
        "text_upload_failed": False,
    }
    problems = []
    if item is None:
        problems.append(f"no index item for {profile_id!r}")
    else:
        if item.get("text_upload_failed"):
            problems.append(f"the index says the upload failed: {item.get('text_upload_error')}")
        if item.get("text_s3_key") != key:
            problems.append(f"text_s3_key is {item.get('text_s3_key')!r}, expected {key!r}")
        if info is None:
            problems.append(f"{key}, which the item points at, is not in S3")
        elif item.get("text_sha256") != info.metadata.get(SHA256_KEY):
            problems.append("text_sha256 does not match the object in S3")
    return CheckOutcome.from_problems(
        problems, "index item matches S3", {"observed": observed, "expected": expected}
    )


# The layer's stage: what the multi-asset runs for one profile (assets/work.py).


def materialize(run: RunContext, work: ProfileWork) -> dict[str, Any]:
    document, published = profile_json.published(run, work)
    keys = profile_screenshots.keys(run, work)
    recorded = record_published(run.index, document, published, keys)
    # The item points at the document: its upload record now says so (processing_state).
    work.published = profile_json.record_indexed(run.storage, work.profile_id, published)
    state = work.published.record.get("processing_state")
    return {"table": run.index_table, **recorded, "processing_state": state}


def check(run: RunContext, work: ProfileWork) -> CheckOutcome:
    return check_consistent(run.storage, run.index.get(work.profile_id), work.profile_id)


STAGE = Stage(SPEC, materialize, CONSISTENT_CHECK, check)
