"""Registering profiles: new dynamic partitions (in bounded batches) and lead statuses in the index.

Used by the intake command and the demo; the sensor returns the same partition requests from its
``SensorResult`` instead of writing them itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import dagster as dg

from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.core import index_items
from linkedin_assets.core.documents import utc_timestamp
from linkedin_assets.core.profile_ids import profile_url
from linkedin_assets.resources.profile_index import IndexStore

PARTITION_BATCH = 1000
STATUS_WRITERS = 16


def chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def add_partition_requests(new_ids: Sequence[str]) -> list[dg.AddDynamicPartitionsRequest]:
    """The new partitions, in bounded batches."""
    return [profile_partitions.build_add_request(list(c)) for c in chunks(new_ids, PARTITION_BATCH)]


def write_statuses(index: IndexStore, statuses: Mapping[str, str], base_url: str) -> None:
    """Record each profile's lead status (and URL) in the index, a few writes at a time."""
    now = utc_timestamp()

    def write(item: tuple[str, str]) -> None:
        pid, status = item
        index.update(pid, index_items.registration(profile_url(pid, base_url), status, now))

    with ThreadPoolExecutor(STATUS_WRITERS) as pool:
        list(pool.map(write, statuses.items()))


def register(
    instance: dg.DagsterInstance,
    index: IndexStore | None,
    profile_ids: Iterable[str],
    *,
    statuses: Mapping[str, str] | None = None,
    base_url: str = "https://www.linkedin.com",
) -> list[str]:
    """Add the profiles that are not partitions yet and record given statuses. Returns new IDs."""
    ids = list(dict.fromkeys(profile_ids))
    # Statuses first: if the index cannot be written, nothing is registered half-way.
    if statuses:
        if index is None:
            raise ValueError("recording a status needs the profile index")
        write_statuses(index, statuses, base_url)
    existing = set(instance.get_dynamic_partitions(profile_partitions.name))
    new = [pid for pid in ids if pid not in existing]
    for chunk in chunks(new, PARTITION_BATCH):
        instance.add_dynamic_partitions(profile_partitions.name, list(chunk))
    return new
