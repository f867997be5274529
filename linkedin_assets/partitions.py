"""The one partitioning of the project: a dynamic partition per profile ID."""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

profile_partitions = dg.DynamicPartitionsDefinition(name="profiles")


def partition_range_tags(
    instance: dg.DagsterInstance, profile_ids: Iterable[str]
) -> dict[str, str]:
    """Run tags for one run over ``profile_ids``: the range from the first to the last of them.

    Dynamic partitions are ordered by when they were added, so the range also covers any profile
    added between those two.
    """
    order = {
        pid: n for n, pid in enumerate(instance.get_dynamic_partitions(profile_partitions.name))
    }
    ordered = sorted(set(profile_ids), key=order.__getitem__)
    return {ASSET_PARTITION_RANGE_START_TAG: ordered[0], ASSET_PARTITION_RANGE_END_TAG: ordered[-1]}
