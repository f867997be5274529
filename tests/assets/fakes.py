"""A fake browser and the asset-tier resources and run helper (moto's in-process mock).

The fake holds no module-global state: what the site fails is the resource's configuration, and
the profiles it visited are written to a file in the test's own Dagster instance (``visited``), as
Dagster runs the resource from a copy of its configuration.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg

from linkedin_assets.assets.partitions import partition_range_tags, profile_partitions
from linkedin_assets.assets.pipeline import (
    ALL_ASSETS,
    profile_checks_job,
    profile_pipeline,
    profile_pipeline_job,
)
from linkedin_assets.core.profile_ids import profile_url
from linkedin_assets.errors import (
    AuthWall,
    CaptureError,
    ProfileBlocked,
    ProfileNotFound,
    RateLimited,
    SessionExpired,
)
from linkedin_assets.resources.aws import AwsSettings
from linkedin_assets.resources.browser import PageCapture, ProfileCapture
from linkedin_assets.resources.configured import (
    BrowserResource,
    ProfileIndexResource,
    ProfileStorageResource,
)
from tests.conftest import BUCKET, REGION, TABLE

BASE = "https://www.linkedin.com"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def page_html(name: str, headline: str) -> str:
    return f"""<html><head><title>{name} - {headline} | LinkedIn</title></head><body><main>
    <section class="top-card-layout"><h1 class="top-card-layout__title">{name}</h1>
    <h2 class="top-card-layout__headline">{headline}</h2></section>
    <section class="core-section-container"><h2 class="core-section-container__title">About</h2>
    <div class="core-section-container__content"><p>About {name}.</p></div></section>
    </main></body></html>"""


PEOPLE = {
    "ada-lovelace": ("Ada Lovelace", "Analyst"),
    "alan-turing": ("Alan Turing", "Mathematician"),
}
ERRORS: Mapping[str, type[CaptureError]] = {
    "not_found": ProfileNotFound,
    # An auth wall to the anonymous browser: the member shows the profile to members only.
    "auth_wall": AuthWall,
    # An auth wall although signed in: what the real browser raises with LINKEDIN_STORAGE_STATE.
    "session_expired": SessionExpired,
    "blocked": ProfileBlocked,
    "rate_limited": RateLimited,
}
# What the fake site answers for these profiles (a key of ERRORS); the rest are PEOPLE's pages.
FAILURES: Mapping[str, str] = {
    "gone-person": "not_found",
    "walled-person": "auth_wall",
    "expired-session": "session_expired",
    "off-site-person": "blocked",
}
CALLS_FILE = "fake-browser-calls.txt"


class FakeBrowser:
    def __init__(self, calls: list[str], failures: Mapping[str, str] = FAILURES) -> None:
        self.calls = calls
        self.failures = failures

    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        self.calls.append(profile_id)
        url = profile_url(profile_id, base_url)
        if profile_id in self.failures:
            raise ERRORS[self.failures[profile_id]](profile_id, url, "the fake site says so")
        name, headline = PEOPLE[profile_id]
        page = PageCapture(url, url, 200, page_html(name, headline), PNG)
        return ProfileCapture(
            profile_id, page, None, "activity page not_found: HTTP 404", "2026-01-01T00:00:00Z"
        )


class FakeBrowserResource(BrowserResource):
    # Where the profiles visited are appended, one a line ("": nowhere).
    calls_log: str = ""
    failures: dict[str, str] = dict(FAILURES)

    @contextmanager
    def open(self) -> Iterator[FakeBrowser]:  # type: ignore[override]
        calls: list[str] = []
        try:
            yield FakeBrowser(calls, self.failures)
        finally:
            if self.calls_log:
                with open(self.calls_log, "a", encoding="utf-8") as log:
                    log.writelines(f"{pid}\n" for pid in calls)


def calls_log(instance: dg.DagsterInstance) -> str:
    return str(Path(instance.root_directory) / CALLS_FILE)


def visited(instance: dg.DagsterInstance) -> list[str]:
    """The profiles the fake browser visited in ``instance``'s runs, in order."""
    path = Path(calls_log(instance))
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def forget_visits(instance: dg.DagsterInstance) -> None:
    Path(calls_log(instance)).unlink(missing_ok=True)


def resources(
    text_bucket: str = BUCKET,
    metrics_namespace: str | None = None,
    *,
    instance: dg.DagsterInstance | None = None,
    **browser_settings: Any,
) -> dict[str, Any]:
    aws = AwsSettings(region_name=REGION)
    log = calls_log(instance) if instance is not None else ""
    return {
        "browser": FakeBrowserResource(base_url=BASE, calls_log=log, **browser_settings),
        "profile_storage": ProfileStorageResource(
            aws=aws,
            screenshot_bucket=BUCKET,
            profile_text_bucket=text_bucket,
            metrics_namespace=metrics_namespace,
        ),  # fmt: skip
        "profile_index_store": ProfileIndexResource(table=TABLE, aws=aws),
    }


def run(
    instance: dg.DagsterInstance,
    ids: list[str],
    *,
    assets: tuple[dg.AssetKey, ...] = ALL_ASSETS,
    text_bucket: str = BUCKET,
    browser_settings: dict[str, Any] | None = None,
    metrics_namespace: str | None = None,
) -> dg.ExecuteInProcessResult:
    instance.add_dynamic_partitions(
        profile_partitions.name,
        [i for i in ids if not instance.has_dynamic_partition(profile_partitions.name, i)],
    )
    defs = dg.Definitions(
        assets=[profile_pipeline],
        jobs=[profile_pipeline_job],
        resources=resources(
            text_bucket, metrics_namespace, instance=instance, **(browser_settings or {})
        ),
    )
    job = defs.resolve_job_def("profile_pipeline_job")
    return job.execute_in_process(
        instance=instance,
        tags=partition_range_tags(instance, ids),
        asset_selection=list(assets),
        raise_on_error=False,
    )


def run_job(
    instance: dg.DagsterInstance, ids: list[str], job_name: str
) -> dg.ExecuteInProcessResult:
    """Run another job of the code location (e.g. the checks job) over ``ids``."""
    defs = dg.Definitions(
        assets=[profile_pipeline],
        jobs=[profile_pipeline_job, profile_checks_job],
        resources=resources(instance=instance),
    )
    return defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, tags=partition_range_tags(instance, ids), raise_on_error=False
    )
