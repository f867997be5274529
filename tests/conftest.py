"""Shared fixtures: fake AWS credentials for every test, and moto's in-process mock for units."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from linkedin_assets.resources.provisioning import ensure_bucket, ensure_table

REGION = "us-west-2"
BUCKET = "test-bucket"
TABLE = "test-profiles"


@pytest.fixture(autouse=True)
def _fake_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # No test may reach a real AWS account, whatever the developer's shell holds.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "LINKEDIN_ASSETS_ENV"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def aws() -> Iterator[dict[str, Any]]:
    """moto's in-process mock with the bucket and the table created."""
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        ensure_bucket(s3, BUCKET, REGION)
        ensure_table(dynamodb, TABLE)
        yield {"s3": s3, "dynamodb": dynamodb}
