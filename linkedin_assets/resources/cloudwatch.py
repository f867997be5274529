"""CloudWatch metrics, optional: a run's upload figures sent with ``PutMetricData``.

``CloudWatchMetrics`` is built only when ``UPLOAD_METRICS_CLOUDWATCH_NAMESPACE`` is set (through
``ProfileStorageResource.metrics_publisher``), from the same ``AwsSettings`` as every other client,
so it gets the same region, endpoint, credentials and retries. Unset, no client is built and
nothing is sent. One call per run: the figures are per run, and CloudWatch aggregates them over
any period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import botocore.exceptions

from linkedin_assets.resources.aws import storage_error

# PutMetricData takes at most 1,000 data per request.
MAX_DATA_PER_REQUEST = 1000


@dataclass(frozen=True)
class Datum:
    """One metric of a run: a ``value``, or ``statistics`` (count, sum, minimum, maximum)."""

    name: str
    value: float | None = None
    unit: str = "Count"
    statistics: tuple[int, float, float, float] | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.statistics is None):
            raise ValueError(f"metric {self.name!r}: give a value or statistics, not both")

    def request(self, timestamp: datetime) -> dict[str, Any]:
        """The datum as ``PutMetricData`` takes it."""
        datum: dict[str, Any] = {"MetricName": self.name, "Timestamp": timestamp, "Unit": self.unit}
        if self.statistics is not None:
            count, total, low, high = self.statistics
            datum["StatisticValues"] = {
                "SampleCount": float(count), "Sum": total, "Minimum": low, "Maximum": high,
            }  # fmt: skip
        else:
            datum["Value"] = float(self.value or 0)
        return datum


class CloudWatchMetrics:
    """Sends metrics to one CloudWatch namespace."""

    def __init__(self, client: Any, namespace: str) -> None:
        self._client = client
        self.namespace = namespace

    def publish(self, data: Sequence[Datum], timestamp: datetime) -> int:
        """Send ``data``, stamped ``timestamp``; returns how many were sent. A refusal or a
        failure after botocore's retries raises ``StorageError`` naming the namespace."""
        requests = [datum.request(timestamp) for datum in data]
        for start in range(0, len(requests), MAX_DATA_PER_REQUEST):
            try:
                self._client.put_metric_data(
                    Namespace=self.namespace,
                    MetricData=requests[start : start + MAX_DATA_PER_REQUEST],
                )
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
                raise storage_error(
                    f"PutMetricData to CloudWatch namespace {self.namespace!r} failed", exc
                ) from exc
        return len(requests)
