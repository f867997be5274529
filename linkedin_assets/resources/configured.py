"""Dagster resources: configuration per environment, opened once per run.

Each resource's ``open`` builds the real client (browser, boto3) once and hands the pipeline a
plain object behind a small interface, so the stage functions never see Dagster.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import dagster as dg
from pydantic import Field

from linkedin_assets.core.host_policy import (
    DEFAULT_ALLOWED_HOSTS,
    HostPolicy,
    is_internal_host,
    origin_of,
    parse_allowed_hosts,
)
from linkedin_assets.core.storage_layout import StorageLayout
from linkedin_assets.errors import ConfigurationError
from linkedin_assets.resources.aws import AwsSettings, RequestStats, StorageRetry
from linkedin_assets.resources.browser import (
    MAX_SCREENSHOT_MB,
    MAX_SCREENSHOT_PIXELS,
    ChromiumSession,
    default_max_pages,
    open_browser,
)
from linkedin_assets.resources.cloudwatch import CloudWatchMetrics
from linkedin_assets.resources.inbox_source import (
    InboxSource,
    LocalInbox,
    S3Inbox,
    parse_inbox_location,
)
from linkedin_assets.resources.object_store import ObjectStore, S3ObjectStore
from linkedin_assets.resources.profile_index import DynamoDBIndexStore, IndexStore


class BrowserResource(dg.ConfigurableResource):
    """Headless Chromium through Playwright; one browser per run."""

    chromium_executable: str | None = Field(
        default=None, description="Path to a Chromium binary; unset: Playwright's, else PATH."
    )
    storage_state_path: str | None = Field(
        default=None, description="Playwright storage-state file of a signed-in session (secret)."
    )
    navigation_timeout_s: int = Field(default=30, description="Per page load and screenshot, s.")
    max_page_mb: int = Field(default=8, description="Larger pages fail their profile.")
    max_consecutive_blocks: int = Field(
        default=3,
        description="After this many rate-limited profiles in a row the run stops visiting the "
        "site; the rest wait for a later run.",
    )
    block_backoff_s: int = Field(
        default=30, description="First pause (s) after a rate-limited profile; doubles each time."
    )
    base_url: str = Field(
        default="https://www.linkedin.com",
        description="Profiles are <base_url>/in/<id>/ (LINKEDIN_BASE_URL).",
    )
    max_concurrent_pages: int | None = Field(
        default=None,
        description="Pages one run has open at once (LINKEDIN_MAX_CONCURRENT_PAGES); unset: sized "
        "to the machine. Across runs the linkedin_browser pool caps how many runs capture at once.",
    )
    min_delay_s: float = Field(
        default=0.0,
        description="Minimum pause between two page loads of a run (LINKEDIN_MIN_DELAY_S).",
    )
    delay_jitter: float = Field(
        default=0.5,
        description="Each pause is min_delay_s × a random factor in [1 - jitter, 1 + jitter].",
    )

    allowed_hosts: str = Field(
        default=DEFAULT_ALLOWED_HOSTS,
        description="Hosts a page may load from besides its own site (LINKEDIN_ALLOWED_HOSTS): "
        "host, host:port or *.suffix, comma-separated; 'none' for the site alone.",
    )
    internal_addresses_allowed: bool = Field(
        default=False,
        description="Local only: the site and allow-list may be on loopback or private "
        "addresses. Elsewhere every internal address is refused, listed or not.",
    )
    max_screenshot_pixels: int = Field(
        default=MAX_SCREENSHOT_PIXELS,
        description="A page whose full-page screenshot would be larger fails its profile "
        "(LINKEDIN_MAX_SCREENSHOT_PIXELS).",
    )
    max_screenshot_mb: int = Field(
        default=MAX_SCREENSHOT_MB,
        description="A larger screenshot PNG fails its profile (LINKEDIN_MAX_SCREENSHOT_MB).",
    )

    def host_policy(self) -> HostPolicy:
        """The browser's allow-list, refused at once when it or the site cannot work."""
        policy = HostPolicy(
            parse_allowed_hosts(self.allowed_hosts), self.internal_addresses_allowed
        )
        site = origin_of(self.base_url)
        if site is None:
            raise ConfigurationError(
                f"LINKEDIN_BASE_URL={self.base_url!r} must be an http(s) URL with a host"
            )
        if not policy.internal_allowed and is_internal_host(site.host):
            raise ConfigurationError(
                f"LINKEDIN_BASE_URL={self.base_url!r} is an internal address, which the browser "
                "refuses outside local"
            )
        return policy

    def screenshot_caps(self) -> tuple[int, int]:
        """(pixels, bytes) of the largest screenshot kept."""
        for name, value in (
            ("LINKEDIN_MAX_SCREENSHOT_PIXELS", self.max_screenshot_pixels),
            ("LINKEDIN_MAX_SCREENSHOT_MB", self.max_screenshot_mb),
        ):
            if value < 1:
                raise ConfigurationError(f"{name}={value} must be at least 1")
        return self.max_screenshot_pixels, self.max_screenshot_mb * 1_000_000

    def pages_at_once(self) -> int:
        if self.max_concurrent_pages is not None and self.max_concurrent_pages < 1:
            raise ConfigurationError(
                f"LINKEDIN_MAX_CONCURRENT_PAGES={self.max_concurrent_pages} must be at least 1"
            )
        return self.max_concurrent_pages or default_max_pages()

    @contextmanager
    def open(self) -> Iterator[ChromiumSession]:
        if self.min_delay_s < 0 or not 0 <= self.delay_jitter <= 1:
            raise ConfigurationError(
                f"LINKEDIN_MIN_DELAY_S={self.min_delay_s} must be ≥ 0 and "
                f"LINKEDIN_DELAY_JITTER={self.delay_jitter} within 0..1"
            )
        policy = self.host_policy()
        max_pixels, max_bytes = self.screenshot_caps()
        with open_browser(
            chromium_executable=self.chromium_executable,
            storage_state_path=self.storage_state_path,
            timeout_s=self.navigation_timeout_s,
            max_page_bytes=int(self.max_page_mb * 1_000_000),
            max_pages=self.pages_at_once(),
            min_delay_s=self.min_delay_s,
            jitter=self.delay_jitter,
            policy=policy,
            max_screenshot_pixels=max_pixels,
            max_screenshot_bytes=max_bytes,
            site=self.base_url,
        ) as session:
            yield session


@dataclass(frozen=True)
class ProfileStorage:
    """Where a run writes: the object store, the key layout and the two buckets."""

    objects: ObjectStore
    layout: StorageLayout
    screenshot_bucket: str
    profile_text_bucket: str


class ProfileStorageResource(dg.ConfigurableResource):
    """The screenshot and profile-text buckets."""

    aws: AwsSettings = Field(default_factory=AwsSettings, description="How S3 is reached.")
    screenshot_bucket: str
    screenshot_prefix: str = "screenshots/"
    profile_text_bucket: str | None = Field(
        default=None, description="Falls back to the screenshot bucket."
    )
    profile_text_prefix: str = "profiles/"
    profile_text_region: str | None = Field(
        default=None, description="Region of the profile-text bucket; falls back to the S3 region."
    )
    sse_algorithm: Literal["AES256", "aws:kms"] = "AES256"
    kms_key_id: str | None = None
    workers: int = Field(
        default=8,
        description="Profiles doing their S3/DynamoDB work at once, beside the pages in the "
        "browser (PROFILE_UPLOAD_WORKERS); the clients' connection pools are sized to the run.",
    )

    retry_rounds: int = Field(
        default=6,
        description="Storage rounds a profile gets when S3 or DynamoDB fails for a transient "
        "reason, the first one included (PROFILE_STORAGE_RETRY_ROUNDS); then it is deferred.",
    )
    retry_pause_s: float = Field(
        default=2.0,
        description="Pause before a profile's second storage round; doubles each round, with "
        "jitter (PROFILE_STORAGE_RETRY_PAUSE_S).",
    )
    retry_max_s: float = Field(
        default=300.0,
        description="A profile is deferred once this long has passed since its first transient "
        "storage failure (PROFILE_STORAGE_RETRY_MAX_S).",
    )
    slowdown_s: float = Field(
        default=10.0,
        description="After a SlowDown or throttling answer, fewer profiles do storage work at "
        "once; each quiet period this long adds one back (PROFILE_STORAGE_SLOWDOWN_S).",
    )

    metrics_namespace: str | None = Field(
        default=None,
        description="CloudWatch namespace each run sends its upload figures to "
        "(UPLOAD_METRICS_CLOUDWATCH_NAMESPACE); unset: nothing is sent.",
    )

    def metrics_publisher(self) -> CloudWatchMetrics | None:
        """The CloudWatch publisher of this run's upload figures; ``None`` (no client built)
        when no namespace is set. Built from the same ``aws`` settings as the S3 clients."""
        if not self.metrics_namespace:
            return None
        return CloudWatchMetrics(self.aws.client("cloudwatch", pool_size=1), self.metrics_namespace)

    def retry(self) -> StorageRetry:
        if self.retry_rounds < 1 or self.retry_pause_s < 0 or self.retry_max_s < 0:
            raise ConfigurationError(
                f"PROFILE_STORAGE_RETRY_ROUNDS={self.retry_rounds} must be at least 1, and "
                f"PROFILE_STORAGE_RETRY_PAUSE_S={self.retry_pause_s} and "
                f"PROFILE_STORAGE_RETRY_MAX_S={self.retry_max_s} at least 0"
            )
        return StorageRetry(
            rounds=self.retry_rounds,
            first_pause_s=self.retry_pause_s,
            max_pause_s=max(self.retry_pause_s, 60.0),
            max_s=self.retry_max_s,
        )

    def bucket_regions(self) -> dict[str, str]:
        """Each bucket and its region: the S3 region, or the profile-text bucket's own."""
        regions = {self.screenshot_bucket: self.aws.region()}
        text_bucket = self.profile_text_bucket or self.screenshot_bucket
        regions.setdefault(text_bucket, self.profile_text_region or self.aws.region())
        return regions

    def open(self, stats: RequestStats | None = None, pool_size: int = 10) -> ProfileStorage:
        """Build the S3 client(s) once for this run, with a connection per worker; ``stats``
        counts their requests."""
        if self.workers < 1:
            raise ConfigurationError(f"PROFILE_UPLOAD_WORKERS={self.workers} must be at least 1")
        screenshot_client = self.aws.client("s3", pool_size=pool_size, stats=stats)
        text_bucket = self.profile_text_bucket or self.screenshot_bucket
        by_bucket = {}
        if self.profile_text_region and self.profile_text_region != self.aws.region():
            by_bucket[text_bucket] = self.aws.client(
                "s3", region=self.profile_text_region, pool_size=pool_size, stats=stats
            )
        return ProfileStorage(
            objects=S3ObjectStore(
                screenshot_client,
                sse_algorithm=self.sse_algorithm,
                kms_key_id=self.kms_key_id,
                clients_by_bucket=by_bucket,
            ),
            layout=StorageLayout(self.screenshot_prefix, self.profile_text_prefix),
            screenshot_bucket=self.screenshot_bucket,
            profile_text_bucket=text_bucket,
        )


class ProfileIndexResource(dg.ConfigurableResource):
    """The DynamoDB table that indexes every profile."""

    table: str
    aws: AwsSettings = Field(default_factory=AwsSettings, description="How DynamoDB is reached.")

    def open(self, stats: RequestStats | None = None, pool_size: int = 10) -> IndexStore:
        """Build the DynamoDB client once for this run; ``stats`` counts its requests."""
        client = self.aws.client("dynamodb", pool_size=pool_size, stats=stats)
        return DynamoDBIndexStore(client, self.table)


class AutomationSettings(dg.ConfigurableResource):
    """What the intake sensor and the refresh schedule read: the inbox, batch and tick sizes."""

    inbox: str | None = Field(
        default=None, description="PROFILE_URL_INBOX: a local folder or s3://bucket/prefix/."
    )
    aws: AwsSettings = Field(default_factory=AwsSettings, description="For an s3:// inbox.")
    base_url: str = "https://www.linkedin.com"
    batch_size: int = Field(default=200, description="Profiles per run (PROFILE_RUN_BATCH_SIZE).")
    max_lines_per_tick: int = Field(
        default=50_000, description="Inbox lines taken in per sensor tick; the rest waits."
    )
    stable_after_s: float = Field(
        default=60.0,
        description="PROFILE_INTAKE_STABLE_AFTER_S: an inbox file without a final line break is "
        "taken once it has not changed for this long (s); one with it, at once.",
    )
    refresh_max_age_days: int = Field(
        default=30, description="Profiles older than this (days) are captured again."
    )
    refresh_max_profiles_per_tick: int = Field(
        default=2_000, description="At most this many profiles per schedule tick, oldest first."
    )
    not_found_retry_days: int = Field(
        default=30,
        description="A profile the site said does not exist (404) is tried again after this "
        "many days (PROFILE_NOT_FOUND_RETRY_DAYS).",
    )
    auth_wall_retry_days: int = Field(
        default=7,
        description="A profile behind an auth wall for the anonymous browser is tried again "
        "after this many days (PROFILE_AUTH_WALL_RETRY_DAYS).",
    )

    def open_inbox(self) -> InboxSource | None:
        if not self.inbox:
            return None
        if not 0 <= self.stable_after_s < float("inf"):  # also refuses nan
            raise ConfigurationError(
                f"PROFILE_INTAKE_STABLE_AFTER_S={self.stable_after_s} must be a number of "
                "seconds, 0 or more"
            )
        kind, where, prefix = parse_inbox_location(self.inbox)
        if kind == "local":
            return LocalInbox(Path(where))
        return S3Inbox(self.aws.client("s3"), where, prefix)
