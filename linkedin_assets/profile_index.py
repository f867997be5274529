"""Layer 4, ``profile_index``: one DynamoDB item per profile pointing at its S3 objects."""

from __future__ import annotations

from typing import Any

import dagster as dg

from linkedin_assets import index_items
from linkedin_assets.documents import utc_timestamp
from linkedin_assets.partitions import profile_partitions
from linkedin_assets.profile_json import SPEC as JSON_SPEC
from linkedin_assets.profile_json import Published
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


def record_upload_failure(
    index: IndexStore, profile_id: str, url: str, screenshot_keys: dict[str, str], error: str
) -> None:
    index.update(
        profile_id,
        index_items.upload_failure(
            url=url, screenshot_keys=screenshot_keys, error=error, now=utc_timestamp()
        ),
    )
