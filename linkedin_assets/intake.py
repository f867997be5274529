"""Turning profile URLs into partitions: validate, de-duplicate, register (the one place that does).

``parse_urls`` is pure; ``register`` adds the new dynamic partitions to the Dagster instance in
bounded batches and records each profile's URL and status in the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import dagster as dg

from linkedin_assets import index_items
from linkedin_assets.documents import utc_timestamp
from linkedin_assets.errors import InvalidProfileUrl
from linkedin_assets.partitions import profile_partitions
from linkedin_assets.profile_ids import profile_id_from_url, profile_url
from linkedin_assets.resources.profile_index import IndexStore

PARTITION_BATCH = 1000


@dataclass(frozen=True)
class Rejected:
    input: str
    reason: str


@dataclass
class ParsedUrls:
    accepted: dict[str, str] = field(default_factory=dict)  # profile ID -> first URL seen
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: int = 0


def parse_urls(urls: Iterable[str]) -> ParsedUrls:
    """Profile IDs of ``urls``, de-duplicated, with every rejected input and its reason."""
    parsed = ParsedUrls()
    for url in urls:
        try:
            pid = profile_id_from_url(url)
        except InvalidProfileUrl as exc:
            parsed.rejected.append(Rejected(str(exc.value), exc.reason))
            continue
        if pid in parsed.accepted:
            parsed.duplicates += 1
        else:
            parsed.accepted[pid] = url.strip()
    return parsed


def register(
    instance: dg.DagsterInstance,
    index: IndexStore,
    profile_ids: Iterable[str],
    *,
    status: str | None = None,
    base_url: str = "https://www.linkedin.com",
) -> list[str]:
    """Add the profiles that are not partitions yet; record URL and status of all. New IDs."""
    ids = list(dict.fromkeys(profile_ids))
    existing = set(instance.get_dynamic_partitions(profile_partitions.name))
    new = [pid for pid in ids if pid not in existing]
    for start in range(0, len(new), PARTITION_BATCH):
        instance.add_dynamic_partitions(
            profile_partitions.name, new[start : start + PARTITION_BATCH]
        )
    now = utc_timestamp()
    for pid in ids:
        index.update(pid, index_items.registration(profile_url(pid, base_url), status, now))
    return new
