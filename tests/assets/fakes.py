"""A fake browser and the asset-tier resources and run helper (moto's in-process mock)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
from linkedin_assets.errors import AuthWall, ProfileBlocked, ProfileNotFound, SessionExpired
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
FAILURES: dict[str, type[Exception]] = {
    "gone-person": ProfileNotFound,
    # An auth wall to the anonymous browser: the member shows the profile to members only.
    "walled-person": AuthWall,
    # An auth wall although signed in: what the real browser raises with LINKEDIN_STORAGE_STATE.
    "expired-session": SessionExpired,
    "off-site-person": ProfileBlocked,
}


class FakeBrowser:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        self.calls.append(profile_id)
        url = profile_url(profile_id, base_url)
        if profile_id in FAILURES:
            raise FAILURES[profile_id](profile_id, url, "the fake site says so")
        name, headline = PEOPLE[profile_id]
        page = PageCapture(url, url, 200, page_html(name, headline), PNG)
        return ProfileCapture(
            profile_id, page, None, "activity page not_found: HTTP 404", "2026-01-01T00:00:00Z"
        )


class FakeBrowserResource(BrowserResource):
    @contextmanager
    def open(self) -> Iterator[FakeBrowser]:  # type: ignore[override]
        calls = CALLS
        yield FakeBrowser(calls)


CALLS: list[str] = []


def resources(
    text_bucket: str = BUCKET, metrics_namespace: str | None = None, **browser_settings: Any
) -> dict[str, Any]:
    aws = AwsSettings(region_name=REGION)
    return {
        "browser": FakeBrowserResource(base_url=BASE, **browser_settings),
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
        resources=resources(text_bucket, metrics_namespace, **(browser_settings or {})),
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
        resources=resources(),
    )
    return defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, tags=partition_range_tags(instance, ids), raise_on_error=False
    )
