"""The one partitioning of the project: a dynamic partition per profile ID."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import dagster as dg

profile_partitions = dg.DynamicPartitionsDefinition(name="profiles")

# Dagster's run tags for one partition and for a partition range: plain strings, the same a run
# launched from the UI or the CLI carries (tests/unit/test_compat.py runs on them).
PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


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
    return range_tags(ordered[0], ordered[-1])


def range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags that make a run cover the partitions from ``first`` to ``last``."""
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}


def contiguous_ranges(
    selected: Iterable[str], order: Sequence[str], batch_size: int
) -> list[tuple[str, str, int]]:
    """Group ``selected`` keys into runs of at most ``batch_size`` contiguous partitions.

    A run targets a partition *range* (Dagster has no run over an arbitrary set), so keys are
    grouped where they stand next to each other in ``order``; a gap starts a new range. Returns
    ``(first, last, count)`` per range, in partition order.
    """
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, got {batch_size}")
    wanted = set(selected)
    ranges: list[tuple[str, str, int]] = []
    first: str | None = None
    last = ""
    count = 0
    for key in order:
        if key in wanted and first is not None and count < batch_size:
            last, count = key, count + 1
            continue
        if first is not None:
            ranges.append((first, last, count))
            first = None
        if key in wanted:
            first, last, count = key, key, 1
    if first is not None:
        ranges.append((first, last, count))
    return ranges
