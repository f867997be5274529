"""Our clients get a retry quota sized for a batched run (botocore has no setting for it; this test
fails if a botocore upgrade moves the hook that widen_retry_quota relies on)."""

import pytest
from botocore.retries.standard import RetryQuotaChecker

from linkedin_assets.resources.aws import ClientSettings, build_client


def quota_checker(client, service: str) -> RetryQuotaChecker:  # type: ignore[no-untyped-def]
    emitter = getattr(client.meta.events, "_emitter", client.meta.events)
    [checker] = [
        h.__self__
        for h in emitter._handlers.prefix_search(f"after-call.{service}.X")
        if isinstance(getattr(h, "__self__", None), RetryQuotaChecker)
    ]
    return checker


@pytest.mark.parametrize("service", ["s3", "dynamodb"])
def test_built_clients_have_the_configured_retry_quota(service: str) -> None:
    client = build_client(service, ClientSettings(region_name="us-west-2", retry_quota=1234), None)
    assert quota_checker(client, service)._quota.available_capacity == 1234


def test_the_widened_quota_is_the_one_botocore_spends() -> None:
    client = build_client("s3", ClientSettings(region_name="us-west-2", retry_quota=100), None)
    checker = quota_checker(client, "s3")
    assert checker._quota.acquire(14) and checker._quota.available_capacity == 86
