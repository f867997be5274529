"""One ``AwsSettings`` builds every boto3 client: S3 (both buckets), DynamoDB and the inbox."""

from __future__ import annotations

from typing import Any

import pytest

from linkedin_assets.resources import aws as aws_module
from linkedin_assets.resources.aws import AwsSettings, ClientSettings, RequestStats
from linkedin_assets.resources.configured import (
    AutomationSettings,
    ProfileIndexResource,
    ProfileStorageResource,
)
from linkedin_assets.resources.environments import build_resources

SETTINGS = AwsSettings(
    region_name="eu-central-1",
    endpoint_url="http://127.0.0.1:1",
    aws_access_key_id="AKIAEXAMPLE",
    aws_secret_access_key="example-secret",
    max_attempts=3,
    connect_timeout_s=1.5,
    read_timeout_s=7.0,
)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ClientSettings]]:
    """Every client built while the test runs, with the settings it was built from."""
    seen: list[tuple[str, ClientSettings]] = []
    real = aws_module.build_client

    def recording(service: str, settings: ClientSettings, stats: RequestStats | None = None) -> Any:
        seen.append((service, settings))
        return real(service, settings, stats)

    monkeypatch.setattr(aws_module, "build_client", recording)
    return seen


def test_every_resource_builds_its_clients_from_the_one_settings_object(
    built: list[tuple[str, ClientSettings]],
) -> None:
    storage = ProfileStorageResource(
        aws=SETTINGS, screenshot_bucket="shots", profile_text_bucket="text",
        profile_text_region="us-east-1",
    )  # fmt: skip
    stats = RequestStats()
    storage.open(stats, pool_size=12)
    ProfileIndexResource(table="t", aws=SETTINGS).open(stats, pool_size=12)
    inbox = AutomationSettings(inbox="s3://inbox-bucket/in/", aws=SETTINGS).open_inbox()
    assert inbox is not None
    assert [service for service, _ in built] == ["s3", "s3", "dynamodb", "s3"]
    assert [s.region_name for _, s in built] == [
        "eu-central-1", "us-east-1", "eu-central-1", "eu-central-1",
    ]  # fmt: skip
    for _, settings in built:
        assert settings.max_attempts == 3  # AWS_MAX_ATTEMPTS reaches DynamoDB and the inbox too
        assert (settings.connect_timeout, settings.read_timeout) == (1.5, 7.0)
        assert settings.endpoint_url == "http://127.0.0.1:1"
        assert settings.aws_access_key_id == "AKIAEXAMPLE"
    assert [s.max_pool_connections for _, s in built[:3]] == [12, 12, 12]  # sized to the run


def test_the_client_is_configured_as_the_settings_say() -> None:
    client = SETTINGS.client("dynamodb", pool_size=5)
    config = client.meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}
    assert (config.connect_timeout, config.read_timeout) == (1.5, 7.0)
    assert config.max_pool_connections == 5
    assert client.meta.region_name == "eu-central-1"


def test_an_unset_region_is_the_project_default() -> None:
    assert AwsSettings().region() == "us-west-2"
    assert AwsSettings().client_settings(region="ap-south-1").region_name == "ap-south-1"


def test_the_same_variables_configure_every_client_of_a_deployed_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From the variables to the boto3 clients themselves: both S3 buckets' clients, DynamoDB's,
    the s3:// inbox's and CloudWatch's are built with AWS_MAX_ATTEMPTS and the region."""
    environ = {
        "S3_SCREENSHOT_BUCKET_NAME": "shots", "S3_PROFILE_TEXT_BUCKET_NAME": "text",
        "S3_PROFILE_TEXT_REGION": "eu-west-1", "DYNAMODB_PROFILE_TABLE": "profiles",
        "PROFILE_URL_INBOX": "s3://inbox-bucket/in/", "AWS_REGION": "eu-central-1",
        "AWS_MAX_ATTEMPTS": "4", "UPLOAD_METRICS_CLOUDWATCH_NAMESPACE": "LinkedInAssets/prod",
    }  # fmt: skip
    for name, value in environ.items():
        monkeypatch.setenv(name, value)  # Dagster resolves the EnvVars from the process
    clients: list[Any] = []
    real = aws_module.build_client

    def keeping(service: str, settings: ClientSettings, stats: RequestStats | None = None) -> Any:
        clients.append(real(service, settings, stats))
        return clients[-1]

    monkeypatch.setattr(aws_module, "build_client", keeping)
    resources = build_resources("prod", environ)
    with (
        resources["profile_storage"].process_config_and_initialize_cm() as storage,
        resources["profile_index_store"].process_config_and_initialize_cm() as index,
        resources["automation"].process_config_and_initialize_cm() as automation,
    ):
        storage.open()
        storage.metrics_publisher()
        index.open()
        automation.open_inbox()
    assert [(c.meta.service_model.service_name, c.meta.region_name) for c in clients] == [
        ("s3", "eu-central-1"), ("s3", "eu-west-1"), ("cloudwatch", "eu-central-1"),
        ("dynamodb", "eu-central-1"), ("s3", "eu-central-1"),
    ]  # fmt: skip
    for client in clients:
        assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 4}


def test_every_setting_reaches_the_client_settings() -> None:
    settings = AwsSettings(
        region_name="eu-central-1", endpoint_url="http://127.0.0.1:1", profile_name="ops",
        aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="example-secret",
        aws_session_token="example-token", max_attempts=3, connect_timeout_s=1.5,
        read_timeout_s=7.0,
    )  # fmt: skip
    assert settings.client_settings("ap-south-1", 4) == ClientSettings(
        region_name="ap-south-1", endpoint_url="http://127.0.0.1:1", profile_name="ops",
        aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="example-secret",
        aws_session_token="example-token", max_attempts=3, connect_timeout=1.5,
        read_timeout=7.0, max_pool_connections=4,
    )  # fmt: skip
    assert settings.client_settings().region_name == "eu-central-1"


def test_a_client_given_stats_counts_its_requests(aws: dict[str, Any]) -> None:
    stats = RequestStats()
    client = AwsSettings(region_name="us-west-2").client("s3", stats=stats)
    client.list_buckets()
    client.list_buckets()
    assert stats.attempts == 2 and stats.transient_failures == 0
