"""The CloudWatch publisher: what it sends, and a refusal in the project's words (botocore's
Stubber; the real thing over HTTP is tests/integration/test_upload_metrics_faults.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber

from linkedin_assets.errors import StorageError
from linkedin_assets.resources.cloudwatch import CloudWatchMetrics, Datum
from linkedin_assets.resources.configured import ProfileStorageResource

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_one_request_carries_values_and_statistic_sets() -> None:
    client = boto3.client("cloudwatch", region_name="us-west-2")
    data = [
        Datum("UploadsTried", 3),
        Datum("UploadDuration", unit="Seconds", statistics=(3, 1.5, 0.25, 0.75)),
    ]
    with Stubber(client) as stub:
        stub.add_response("put_metric_data", {}, {"Namespace": "LA/test", "MetricData": [
            {"MetricName": "UploadsTried", "Timestamp": NOW, "Unit": "Count", "Value": 3.0},
            {"MetricName": "UploadDuration", "Timestamp": NOW, "Unit": "Seconds", "StatisticValues": {
                "SampleCount": 3.0, "Sum": 1.5, "Minimum": 0.25, "Maximum": 0.75}},
        ]})  # fmt: skip
        assert CloudWatchMetrics(client, "LA/test").publish(data, NOW) == 2
        stub.assert_no_pending_responses()


def test_a_refusal_is_a_storage_error_naming_the_namespace() -> None:
    client = boto3.client("cloudwatch", region_name="us-west-2")
    with Stubber(client) as stub:
        stub.add_client_error("put_metric_data", "AccessDenied", http_status_code=403)
        with pytest.raises(
            StorageError, match=r"namespace 'LA/test' failed: AccessDenied \(HTTP 403\)"
        ):
            CloudWatchMetrics(client, "LA/test").publish([Datum("UploadsTried", 1)], NOW)


def test_a_datum_is_a_value_or_statistics() -> None:
    with pytest.raises(ValueError, match="'X': give a value or statistics"):
        Datum("X")
    with pytest.raises(ValueError, match="'X': give a value or statistics"):
        Datum("X", 1, statistics=(1, 1.0, 1.0, 1.0))


def test_no_namespace_no_client() -> None:
    assert ProfileStorageResource(screenshot_bucket="b").metrics_publisher() is None
    publisher = ProfileStorageResource(
        screenshot_bucket="b", metrics_namespace="LA/x"
    ).metrics_publisher()
    assert publisher is not None and publisher.namespace == "LA/x"


def test_a_value_of_zero_is_sent_as_zero() -> None:
    assert Datum("UploadsFailed", 0).request(NOW)["Value"] == 0.0
