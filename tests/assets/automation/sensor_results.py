"""What a sensor tick asked for, and applying it as the daemon would: the partitions it adds."""

from __future__ import annotations

import dagster as dg

from linkedin_assets.assets.partitions import profile_partitions


def added(result: dg.SensorResult) -> list[str]:
    """The partition keys the tick asks to add, in order."""
    return [key for request in result.dynamic_partitions_requests for key in request.partition_keys]


def apply(instance: dg.DagsterInstance, result: dg.SensorResult) -> None:
    """Add the tick's partitions to ``instance``, as the daemon does with a sensor's result."""
    for request in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(profile_partitions.name, list(request.partition_keys))
