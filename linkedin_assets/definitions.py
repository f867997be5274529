"""The code location: assets, job and the resources of the current environment.

``LINKEDIN_ASSETS_ENV`` picks one of ``local`` (default), ``dev``, ``staging``, ``prod``; anything
else fails at load. Names and secrets arrive through ``dg.EnvVar``; in ``local`` each falls back to
the embedded stack's default (moto's server and the sample site on 127.0.0.1).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg

from linkedin_assets.assets.pipeline import (
    profile_checks_job,
    profile_pipeline,
    profile_pipeline_job,
)
from linkedin_assets.assets.reports.profile_store_audit import profile_store_audit
from linkedin_assets.assets.reports.upload_metrics_report import upload_metrics
from linkedin_assets.automation.intake_sensor import build_intake_sensor
from linkedin_assets.automation.refresh_schedule import build_refresh_schedule
from linkedin_assets.core.host_policy import DEFAULT_ALLOWED_HOSTS
from linkedin_assets.resources.aws import AwsSettings
from linkedin_assets.resources.browser import MAX_SCREENSHOT_MB, MAX_SCREENSHOT_PIXELS
from linkedin_assets.resources.configured import (
    AutomationSettings,
    BrowserResource,
    ProfileIndexResource,
    ProfileStorageResource,
)
from linkedin_assets.settings import (
    DEFAULT_REGION,
    LOCAL_DEFAULTS,
    check_settings,
    current_environment,
    first_set,
    local_data_dir,
    setting,
)

# Required outside local: a deployed environment must name its bucket and table.
REQUIRED = ("S3_SCREENSHOT_BUCKET_NAME", "DYNAMODB_PROFILE_TABLE")


def build_resources(env: str, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The resources of ``env``; values come from ``environ`` variables via ``dg.EnvVar``."""
    environ = os.environ if environ is None else environ
    local = env == "local"

    def var(name: str, default: str | None = None) -> str | None:
        if environ.get(name):
            return dg.EnvVar(name)
        if local and name in LOCAL_DEFAULTS:
            return LOCAL_DEFAULTS[name]
        if name in REQUIRED:
            return dg.EnvVar(name)  # unset: Dagster names the missing variable at launch
        return default

    # Every setting is checked against settings.SETTINGS here, at load, so a bad value stops
    # the load with one line naming it instead of failing (or misbehaving) in a run.
    check_settings(environ)

    def number(name: str, default: float | None) -> Any:
        return dg.EnvVar.int(name) if setting(name, environ) is not None else default

    def fraction(name: str, default: float) -> float:
        # Dagster's EnvVar has no float form: the checked value itself.
        value = setting(name, environ)
        return default if value is None else value

    region = first_set("AWS_REGION", "AWS_DEFAULT_REGION", default=DEFAULT_REGION, environ=environ)
    # Outside local, unset endpoint and credentials are left to boto3's own chain, which reads
    # AWS_ENDPOINT_URL, AWS_PROFILE, the credential variables or the instance role itself. Local
    # always uses its fixed, non-secret values: moto needs no real ones, and its recording writes
    # request headers (the access key ID, a session token) to disk.
    credentials: dict[str, str | None] = {"aws_access_key_id": None, "aws_secret_access_key": None}
    if local:
        credentials = {
            "aws_access_key_id": LOCAL_DEFAULTS["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": LOCAL_DEFAULTS["AWS_SECRET_ACCESS_KEY"],
            "aws_session_token": None,
        }
    endpoint = var("AWS_ENDPOINT_URL") if local else None
    kms_key = var("S3_KMS_KEY_ID")
    # One AWS configuration for every client (S3, DynamoDB, the inbox). AWS_MAX_ATTEMPTS is the
    # standard variable; total attempts, the first one included.
    aws = AwsSettings(
        region_name=region,
        endpoint_url=endpoint,
        max_attempts=number("AWS_MAX_ATTEMPTS", 10),
        **credentials,
    )
    local_inbox = str(local_data_dir(environ) / "inbox") if local else None

    return {
        "browser": BrowserResource(
            chromium_executable=var("CHROMIUM_EXECUTABLE"),
            storage_state_path=var("LINKEDIN_STORAGE_STATE"),
            base_url=var("LINKEDIN_BASE_URL", "https://www.linkedin.com"),
            navigation_timeout_s=number("LINKEDIN_NAVIGATION_TIMEOUT_S", 30),
            max_page_mb=number("LINKEDIN_MAX_PAGE_MB", 8),
            max_consecutive_blocks=number("LINKEDIN_MAX_CONSECUTIVE_BLOCKS", 3),
            # The sample site's rate limiting is a fixture, not a site to be polite to.
            block_backoff_s=number("LINKEDIN_BLOCK_BACKOFF_S", 1 if local else 30),
            # Politeness is on for the real site: few pages at once, spaced page loads. The
            # sample site on 127.0.0.1 is ours, so local runs as fast as the machine allows.
            max_concurrent_pages=number("LINKEDIN_MAX_CONCURRENT_PAGES", None if local else 2),
            min_delay_s=fraction("LINKEDIN_MIN_DELAY_S", 0.0 if local else 2.0),
            delay_jitter=fraction("LINKEDIN_DELAY_JITTER", 0.5),
            # The browser's boundary: the site plus LINKEDIN_ALLOWED_HOSTS; internal addresses
            # only in local, where the sample site is on loopback (docs/security.md).
            allowed_hosts=var("LINKEDIN_ALLOWED_HOSTS", DEFAULT_ALLOWED_HOSTS),
            internal_addresses_allowed=local,
            max_screenshot_pixels=number("LINKEDIN_MAX_SCREENSHOT_PIXELS", MAX_SCREENSHOT_PIXELS),
            max_screenshot_mb=number("LINKEDIN_MAX_SCREENSHOT_MB", MAX_SCREENSHOT_MB),
        ),
        "profile_storage": ProfileStorageResource(
            aws=aws,
            screenshot_bucket=var("S3_SCREENSHOT_BUCKET_NAME"),
            screenshot_prefix=var("S3_SCREENSHOT_PREFIX", "screenshots/"),
            profile_text_bucket=var("S3_PROFILE_TEXT_BUCKET_NAME"),
            profile_text_prefix=var("S3_PROFILE_TEXT_PREFIX", "profiles/"),
            profile_text_region=var("S3_PROFILE_TEXT_REGION"),
            sse_algorithm="aws:kms" if kms_key else "AES256",
            kms_key_id=kms_key,
            workers=number("PROFILE_UPLOAD_WORKERS", 8),
            # Transient S3/DynamoDB failures: profile rounds, then deferral (docs/faults.md).
            retry_rounds=number("PROFILE_STORAGE_RETRY_ROUNDS", 6),
            retry_pause_s=fraction("PROFILE_STORAGE_RETRY_PAUSE_S", 2.0),
            retry_max_s=fraction("PROFILE_STORAGE_RETRY_MAX_S", 300.0),
            slowdown_s=fraction("PROFILE_STORAGE_SLOWDOWN_S", 10.0),
        ),
        "profile_index_store": ProfileIndexResource(
            table=var("DYNAMODB_PROFILE_TABLE"),
            aws=aws,
        ),
        "automation": AutomationSettings(
            inbox=var("PROFILE_URL_INBOX", local_inbox),
            aws=aws,
            base_url=var("LINKEDIN_BASE_URL", "https://www.linkedin.com"),
            batch_size=number("PROFILE_RUN_BATCH_SIZE", 200),
            max_lines_per_tick=number("PROFILE_INTAKE_MAX_LINES_PER_TICK", 50_000),
            stable_after_s=fraction("PROFILE_INTAKE_STABLE_AFTER_S", 60.0),
            refresh_max_age_days=number("PROFILE_REFRESH_MAX_AGE_DAYS", 30),
            refresh_max_profiles_per_tick=number("PROFILE_REFRESH_MAX_PROFILES_PER_TICK", 2_000),
        ),
    }


def build_definitions(
    env: str | None = None, environ: Mapping[str, str] | None = None
) -> dg.Definitions:
    environ = dict(os.environ if environ is None else environ)
    env = env or current_environment(environ)
    check_settings(environ)
    return dg.Definitions(
        assets=[profile_pipeline, profile_store_audit, upload_metrics],
        jobs=[profile_pipeline_job, profile_checks_job],
        sensors=[build_intake_sensor(environ, env)],
        schedules=[build_refresh_schedule(environ, env)],
        resources=build_resources(env, environ),
    )


defs = build_definitions()
