"""The Dagster resources' own checks and wiring (resources/configured.py): each bad value refused
naming its variable before anything is built, and what each ``open`` hands the pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linkedin_assets.errors import ConfigurationError
from linkedin_assets.resources import configured
from linkedin_assets.resources.aws import AwsSettings, RequestStats, StorageRetry
from linkedin_assets.resources.configured import (
    AutomationSettings,
    BrowserResource,
    ProfileIndexResource,
    ProfileStorageResource,
)
from linkedin_assets.resources.inbox_source import LocalInbox, S3Inbox

AWS = AwsSettings(region_name="eu-central-1", endpoint_url="http://127.0.0.1:1")


# --- BrowserResource ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pages", "expected"), [(None, "machine"), (1, 1), (3, 3)], ids=["unset", "one", "three"]
)
def test_pages_at_once_is_the_setting_or_sized_to_the_machine(
    pages: int | None, expected: int | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(configured, "default_max_pages", lambda: 7)
    wanted = 7 if expected == "machine" else expected
    assert BrowserResource(max_concurrent_pages=pages).pages_at_once() == wanted


@pytest.mark.parametrize("pages", [0, -1])
def test_fewer_than_one_page_is_refused_naming_the_variable(pages: int) -> None:
    with pytest.raises(ConfigurationError) as raised:
        BrowserResource(max_concurrent_pages=pages).pages_at_once()
    assert str(raised.value) == f"LINKEDIN_MAX_CONCURRENT_PAGES={pages} must be at least 1"


def test_screenshot_caps_at_one_are_kept_in_bytes() -> None:
    browser = BrowserResource(max_screenshot_pixels=1, max_screenshot_mb=1)
    assert browser.screenshot_caps() == (1, 1_000_000)


@pytest.mark.parametrize(
    ("delay", "jitter"), [(-0.5, 0.5), (1.0, -0.1), (1.0, 1.5)], ids=["delay", "low", "high"]
)
def test_a_bad_pacing_is_refused_before_any_browser_starts(
    delay: float, jitter: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(configured, "open_browser", pytest.fail)  # never reached
    with (
        pytest.raises(ConfigurationError) as raised,
        BrowserResource(min_delay_s=delay, delay_jitter=jitter).open(),
    ):
        pass
    assert str(raised.value) == (
        f"LINKEDIN_MIN_DELAY_S={delay} must be ≥ 0 and LINKEDIN_DELAY_JITTER={jitter} within 0..1"
    )


def test_open_hands_the_browser_every_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class Opened:
        def __init__(self, **kwargs: Any) -> None:
            seen.update(kwargs)

        def __enter__(self) -> str:
            return "session"

        def __exit__(self, *_: object) -> None:
            seen["closed"] = True

    monkeypatch.setattr(configured, "open_browser", Opened)
    browser = BrowserResource(
        chromium_executable="/usr/bin/chromium", storage_state_path="/s.json",
        navigation_timeout_s=12, max_page_mb=3, max_concurrent_pages=2, min_delay_s=0.0,
        delay_jitter=0.0, base_url="http://127.0.0.1:9", internal_addresses_allowed=True,
        max_screenshot_pixels=100, max_screenshot_mb=2,
    )  # fmt: skip
    with browser.open() as session:
        assert session == "session"
    policy = seen.pop("policy")
    assert policy == browser.host_policy()
    assert seen == {
        "chromium_executable": "/usr/bin/chromium", "storage_state_path": "/s.json",
        "timeout_s": 12, "max_page_bytes": 3_000_000, "max_pages": 2, "min_delay_s": 0.0,
        "jitter": 0.0, "max_screenshot_pixels": 100, "max_screenshot_bytes": 2_000_000,
        "site": "http://127.0.0.1:9", "closed": True,
    }  # fmt: skip
    # The bounds themselves are accepted: no delay, and a jitter of 0 or 1.
    edge = BrowserResource(min_delay_s=0.0, delay_jitter=1.0, base_url="http://127.0.0.1:9",
                           internal_addresses_allowed=True)  # fmt: skip
    with edge.open() as session:
        assert session == "session" and seen["jitter"] == 1.0


# --- ProfileStorageResource ---------------------------------------------------------------------


def storage(**kwargs: Any) -> ProfileStorageResource:
    return ProfileStorageResource(aws=AWS, screenshot_bucket="shots", **kwargs)


def test_the_retry_is_built_from_the_settings_with_a_pause_cap_of_a_minute_or_more() -> None:
    assert storage(retry_rounds=1, retry_pause_s=0.0, retry_max_s=0.0).retry() == StorageRetry(
        rounds=1, first_pause_s=0.0, max_pause_s=60.0, max_s=0.0
    )
    assert storage(retry_pause_s=90.0).retry() == StorageRetry(6, 90.0, 90.0, 300.0)


@pytest.mark.parametrize(
    "bad",
    [{"retry_rounds": 0}, {"retry_pause_s": -1.0}, {"retry_max_s": -1.0}],
    ids=["rounds", "pause", "max"],
)
def test_a_bad_retry_setting_is_refused_naming_all_three(bad: dict[str, Any]) -> None:
    resource = storage(**bad)
    with pytest.raises(ConfigurationError) as raised:
        resource.retry()
    assert str(raised.value) == (
        f"PROFILE_STORAGE_RETRY_ROUNDS={resource.retry_rounds} must be at least 1, and "
        f"PROFILE_STORAGE_RETRY_PAUSE_S={resource.retry_pause_s} and "
        f"PROFILE_STORAGE_RETRY_MAX_S={resource.retry_max_s} at least 0"
    )


def test_bucket_regions_give_each_bucket_its_own_region() -> None:
    assert storage().bucket_regions() == {"shots": "eu-central-1"}
    assert storage(profile_text_bucket="text").bucket_regions() == {
        "shots": "eu-central-1", "text": "eu-central-1"}  # fmt: skip
    assert storage(profile_text_bucket="text", profile_text_region="us-east-1").bucket_regions() == {
        "shots": "eu-central-1", "text": "us-east-1"}  # fmt: skip
    # One bucket for both: its region is the S3 region, whatever the text region says.
    assert storage(profile_text_region="us-east-1").bucket_regions() == {"shots": "eu-central-1"}


def test_open_builds_a_client_per_region_sized_to_the_run() -> None:
    stats = RequestStats()
    opened = storage(profile_text_bucket="text", profile_text_region="us-east-1",
                     sse_algorithm="aws:kms", kms_key_id="k1", screenshot_prefix="s/",
                     profile_text_prefix="p/").open(stats, pool_size=3)  # fmt: skip
    assert (opened.screenshot_bucket, opened.profile_text_bucket) == ("shots", "text")
    assert (opened.layout.screenshot_prefix, opened.layout.profile_text_prefix) == ("s/", "p/")
    objects: Any = opened.objects
    near, far = objects.client_for("shots"), objects.client_for("text")
    assert near.meta.region_name == "eu-central-1" and far.meta.region_name == "us-east-1"
    assert near.meta.config.max_pool_connections == 3 == far.meta.config.max_pool_connections
    assert objects._sse == {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "k1"}
    # The text bucket in the S3 region itself: one client for both.
    same: Any = storage(profile_text_bucket="text", profile_text_region="eu-central-1").open()
    assert same.objects.client_for("text") is same.objects.client_for("shots")
    assert same.profile_text_bucket == "text"
    assert storage().open().profile_text_bucket == "shots"


def test_open_counts_requests_of_every_client(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[RequestStats | None] = []

    def client(self: AwsSettings, service: str, **kwargs: Any) -> str:
        built.append(kwargs.get("stats"))
        return service

    monkeypatch.setattr(AwsSettings, "client", client)
    stats = RequestStats()
    storage(profile_text_bucket="text", profile_text_region="us-east-1").open(stats)
    ProfileIndexResource(table="t", aws=AWS).open(stats)
    assert built == [stats, stats, stats]


@pytest.mark.parametrize("workers", [0, -2])
def test_fewer_than_one_upload_worker_is_refused_naming_the_variable(workers: int) -> None:
    with pytest.raises(ConfigurationError) as raised:
        storage(workers=workers).open()
    assert str(raised.value) == f"PROFILE_UPLOAD_WORKERS={workers} must be at least 1"


def test_one_upload_worker_is_enough() -> None:
    assert storage(workers=1).open().screenshot_bucket == "shots"


def test_the_index_store_reads_its_table_with_a_sized_pool() -> None:
    index: Any = ProfileIndexResource(table="profiles", aws=AWS).open(pool_size=4)
    assert index.table == "profiles"
    assert index._client.meta.config.max_pool_connections == 4
    assert index._client.meta.region_name == "eu-central-1"


def test_metrics_go_to_the_namespace_with_a_one_connection_client() -> None:
    assert storage().metrics_publisher() is None
    assert storage(metrics_namespace="").metrics_publisher() is None
    publisher: Any = storage(metrics_namespace="linkedin-assets").metrics_publisher()
    assert publisher.namespace == "linkedin-assets"
    assert publisher._client.meta.service_model.service_name == "cloudwatch"
    assert publisher._client.meta.config.max_pool_connections == 1


# --- AutomationSettings -------------------------------------------------------------------------


def test_no_inbox_is_none_a_folder_is_local_and_s3_is_s3(tmp_path: Path) -> None:
    assert AutomationSettings().open_inbox() is None
    assert AutomationSettings(inbox="").open_inbox() is None
    local = AutomationSettings(inbox=str(tmp_path)).open_inbox()
    assert isinstance(local, LocalInbox)
    remote = AutomationSettings(inbox="s3://inbox-bucket/in/", aws=AWS).open_inbox()
    assert isinstance(remote, S3Inbox)


@pytest.mark.parametrize("stable", [-1.0, float("inf"), float("nan")])
def test_a_stable_after_that_is_no_number_of_seconds_is_refused(stable: float) -> None:
    with pytest.raises(ConfigurationError) as raised:
        AutomationSettings(inbox="/tmp/inbox", stable_after_s=stable).open_inbox()
    assert str(raised.value) == (
        f"PROFILE_INTAKE_STABLE_AFTER_S={stable} must be a number of seconds, 0 or more"
    )


def test_a_stable_after_of_zero_is_taken(tmp_path: Path) -> None:
    assert AutomationSettings(inbox=str(tmp_path), stable_after_s=0.0).open_inbox() is not None
