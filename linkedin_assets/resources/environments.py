"""The resources of each environment: one dict, ``ENVIRONMENTS``, keyed by environment name.

What sets ``local``, ``dev``, ``staging`` and ``prod`` apart is their ``Environment`` entry there:
politeness towards the site, required variables, local defaults and credentials, whether internal
addresses may be browsed. Everything else is shared and built by ``build_resources``.

KMS is the same everywhere: SSE-KMS when ``S3_KMS_KEY_ID`` is set, else SSE-S3 (AES256). Adding
``S3_KMS_KEY_ID`` to an environment's ``required`` would make a key mandatory there (unset, the code
location then fails to load naming it); no environment does yet, because a prod without a key loads
and runs with AES256 today.

Names and secrets arrive as ``dg.EnvVar`` so the Dagster UI shows the variable's name, never its
value; an optional variable that is unset is not wired at all (its default applies), because
Dagster fails a run on an unset ``EnvVar``. Commands import this module, not the code location.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

import dagster as dg

from linkedin_assets.core.endpoints import check_endpoints
from linkedin_assets.core.host_policy import DEFAULT_ALLOWED_HOSTS
from linkedin_assets.errors import ConfigurationError
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
    first_set,
    local_data_dir,
    setting,
)

REAL_SITE: Final = "https://www.linkedin.com"


@dataclass(frozen=True)
class Politeness:
    """How hard the browser may press the site; each is the default of its variable."""

    max_concurrent_pages: int | None  # LINKEDIN_MAX_CONCURRENT_PAGES; None: sized to the machine
    min_delay_s: float  # LINKEDIN_MIN_DELAY_S, between page loads
    block_backoff_s: int  # LINKEDIN_BLOCK_BACKOFF_S, after the site blocks us


@dataclass(frozen=True)
class Environment:
    """What one environment's resources differ in; the variables still override each default."""

    politeness: Politeness
    # Unset (or blank), any of these stops the load with one error naming every one of them.
    required: tuple[str, ...]
    # Fills an unset variable of the same name (settings.LOCAL_DEFAULTS in local).
    defaults: Mapping[str, str]
    # True: fixed, non-secret credentials and AWS_ENDPOINT_URL wired here (moto needs no real
    # credentials, and its recording writes request headers to disk). False: unset endpoint and
    # credentials are left to boto3's own chain (AWS_ENDPOINT_URL, AWS_PROFILE, the variables, the
    # instance role).
    local_aws: bool
    # The browser's boundary: internal addresses only where the site itself is on loopback.
    internal_addresses_allowed: bool
    # The inbox the sensor reads when PROFILE_URL_INBOX is unset: a folder of the local stack's data
    # directory in local; elsewhere none (the sensor only reads a configured inbox).
    local_inbox: bool


# The sample site on 127.0.0.1 is ours and its rate limiting a fixture, not a site to be polite to:
# local runs as fast as the machine allows.
SAMPLE_SITE_POLITENESS: Final = Politeness(
    max_concurrent_pages=None, min_delay_s=0.0, block_backoff_s=1
)
# The real site: few pages at once, spaced page loads, a long pause after a block.
REAL_SITE_POLITENESS: Final = Politeness(
    max_concurrent_pages=2, min_delay_s=2.0, block_backoff_s=30
)
# dev tries changes against the real site, usually with one person's session: one page at a
# time, further apart, so a bug in a change cannot press the site (or the account) harder.
DEV_POLITENESS: Final = Politeness(max_concurrent_pages=1, min_delay_s=5.0, block_backoff_s=60)
# A deployed environment must name its bucket and table.
DEPLOYED_REQUIRED: Final = ("S3_SCREENSHOT_BUCKET_NAME", "DYNAMODB_PROFILE_TABLE")
# What dev, staging and prod share; staging rehearses prod, so it is prod's to the letter.
DEPLOYED: Final = Environment(
    politeness=REAL_SITE_POLITENESS,
    required=DEPLOYED_REQUIRED,
    defaults={},
    local_aws=False,
    internal_addresses_allowed=False,
    local_inbox=False,
)

ENVIRONMENTS: Final[Mapping[str, Environment]] = {
    "local": Environment(
        politeness=SAMPLE_SITE_POLITENESS,
        required=(),  # LOCAL_DEFAULTS names the embedded stack's bucket and table
        defaults=LOCAL_DEFAULTS,
        local_aws=True,
        internal_addresses_allowed=True,
        local_inbox=True,
    ),
    "dev": replace(DEPLOYED, politeness=DEV_POLITENESS),
    "staging": DEPLOYED,
    "prod": DEPLOYED,
}


@dataclass(frozen=True)
class Variables:
    """Reads one environment's variables the way every resource field wants them."""

    environment: Environment
    environ: Mapping[str, str]

    def var(self, name: str, default: str | None = None) -> Any:
        """A set variable as ``dg.EnvVar``; else the environment's default, a required variable's
        ``dg.EnvVar`` (``check_required`` has refused an unset one already), or ``default``."""
        if self.environ.get(name):
            return dg.EnvVar(name)
        if name in self.environment.defaults:
            return self.environment.defaults[name]
        if name in self.environment.required:
            return dg.EnvVar(name)
        return default

    def number(self, name: str, default: float | None) -> Any:
        # The value was checked by check_settings; EnvVar.int keeps the name visible in the UI.
        return dg.EnvVar.int(name) if setting(name, self.environ) is not None else default

    def fraction(self, name: str, default: float) -> float:
        # Dagster's EnvVar has no float form: the checked value itself.
        value = setting(name, self.environ)
        return default if value is None else float(value)


def build_aws(variables: Variables) -> AwsSettings:
    """The AWS connection of one environment, shared by every resource that reaches AWS (S3,
    DynamoDB, the inbox): the one place region, endpoint, credentials and attempts are set."""
    env, environ = variables.environment, variables.environ
    region = first_set("AWS_REGION", "AWS_DEFAULT_REGION", default=DEFAULT_REGION, environ=environ)
    # None: boto3's own chain finds them. Local: the fixed values, never the shell's (the session
    # token too stays unset), because moto's recording writes request headers to disk.
    access_key_id = secret_access_key = endpoint = None
    if env.local_aws:
        access_key_id = LOCAL_DEFAULTS["AWS_ACCESS_KEY_ID"]
        secret_access_key = LOCAL_DEFAULTS["AWS_SECRET_ACCESS_KEY"]
        endpoint = variables.var("AWS_ENDPOINT_URL")
    return AwsSettings(
        region_name=region,
        endpoint_url=endpoint,
        # AWS_MAX_ATTEMPTS is the standard variable; total attempts, the first one included.
        max_attempts=variables.number("AWS_MAX_ATTEMPTS", 10),
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        aws_session_token=None,
    )


def build_resources(env: str, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The resources of ``env`` (a key of ``ENVIRONMENTS``); values come from ``environ``."""
    environ = os.environ if environ is None else environ
    if env not in ENVIRONMENTS:
        names = ", ".join(ENVIRONMENTS)
        raise ConfigurationError(
            f"{env!r} is not an environment of this project; choose one of {names}"
        )
    environment = ENVIRONMENTS[env]
    if not environment.local_aws:
        # boto3 reads AWS_ENDPOINT_URL itself: a local value left in .env would reach moto.
        check_endpoints(env, environ)
    return resources_of(environment, environ)


def check_required(environment: Environment, environ: Mapping[str, str]) -> None:
    """Refuse the load when required variables are unset, naming all of them in one error: the
    UI then shows the whole list at once, rather than one variable per failed run launch."""
    missing = [
        name
        for name in environment.required
        if not environ.get(name, "").strip() and name not in environment.defaults
    ]
    if missing:
        raise ConfigurationError(
            f"required variables not set: {', '.join(missing)} "
            "(docs/configuration.md lists what each environment needs)"
        )


def resources_of(environment: Environment, environ: Mapping[str, str]) -> dict[str, Any]:
    """The resources ``environment`` describes, with the values ``environ`` sets."""
    # Every setting is checked against setting_rules.SETTINGS here, at load, so a bad value stops
    # the load with one line naming it instead of failing (or misbehaving) in a run.
    check_settings(environ)
    check_required(environment, environ)
    v = Variables(environment, environ)
    polite = environment.politeness
    aws = build_aws(v)
    kms_key = v.var("S3_KMS_KEY_ID")
    local_inbox = str(local_data_dir(environ) / "inbox") if environment.local_inbox else None

    return {
        "browser": BrowserResource(
            chromium_executable=v.var("CHROMIUM_EXECUTABLE"),
            storage_state_path=v.var("LINKEDIN_STORAGE_STATE"),
            base_url=v.var("LINKEDIN_BASE_URL", REAL_SITE),
            navigation_timeout_s=v.number("LINKEDIN_NAVIGATION_TIMEOUT_S", 30),
            max_page_mb=v.number("LINKEDIN_MAX_PAGE_MB", 8),
            max_consecutive_blocks=v.number("LINKEDIN_MAX_CONSECUTIVE_BLOCKS", 3),
            block_backoff_s=v.number("LINKEDIN_BLOCK_BACKOFF_S", polite.block_backoff_s),
            max_concurrent_pages=v.number(
                "LINKEDIN_MAX_CONCURRENT_PAGES", polite.max_concurrent_pages
            ),
            min_delay_s=v.fraction("LINKEDIN_MIN_DELAY_S", polite.min_delay_s),
            delay_jitter=v.fraction("LINKEDIN_DELAY_JITTER", 0.5),
            # The site plus LINKEDIN_ALLOWED_HOSTS (docs/security.md).
            allowed_hosts=v.var("LINKEDIN_ALLOWED_HOSTS", DEFAULT_ALLOWED_HOSTS),
            internal_addresses_allowed=environment.internal_addresses_allowed,
            max_screenshot_pixels=v.number("LINKEDIN_MAX_SCREENSHOT_PIXELS", MAX_SCREENSHOT_PIXELS),
            max_screenshot_mb=v.number("LINKEDIN_MAX_SCREENSHOT_MB", MAX_SCREENSHOT_MB),
        ),
        "profile_storage": ProfileStorageResource(
            aws=aws,
            screenshot_bucket=v.var("S3_SCREENSHOT_BUCKET_NAME"),
            screenshot_prefix=v.var("S3_SCREENSHOT_PREFIX", "screenshots/"),
            profile_text_bucket=v.var("S3_PROFILE_TEXT_BUCKET_NAME"),
            profile_text_prefix=v.var("S3_PROFILE_TEXT_PREFIX", "profiles/"),
            profile_text_region=v.var("S3_PROFILE_TEXT_REGION"),
            sse_algorithm="aws:kms" if kms_key else "AES256",
            kms_key_id=kms_key,
            workers=v.number("PROFILE_UPLOAD_WORKERS", 8),
            # Transient S3/DynamoDB failures: profile rounds, then deferral (docs/faults.md).
            retry_rounds=v.number("PROFILE_STORAGE_RETRY_ROUNDS", 6),
            retry_pause_s=v.fraction("PROFILE_STORAGE_RETRY_PAUSE_S", 2.0),
            retry_max_s=v.fraction("PROFILE_STORAGE_RETRY_MAX_S", 300.0),
            slowdown_s=v.fraction("PROFILE_STORAGE_SLOWDOWN_S", 10.0),
            metrics_namespace=v.var("UPLOAD_METRICS_CLOUDWATCH_NAMESPACE"),
        ),
        "profile_index_store": ProfileIndexResource(
            table=v.var("DYNAMODB_PROFILE_TABLE"),
            aws=aws,
        ),
        "automation": AutomationSettings(
            inbox=v.var("PROFILE_URL_INBOX", local_inbox),
            aws=aws,
            base_url=v.var("LINKEDIN_BASE_URL", REAL_SITE),
            batch_size=v.number("PROFILE_RUN_BATCH_SIZE", 200),
            max_lines_per_tick=v.number("PROFILE_INTAKE_MAX_LINES_PER_TICK", 50_000),
            stable_after_s=v.fraction("PROFILE_INTAKE_STABLE_AFTER_S", 60.0),
            refresh_max_age_days=v.number("PROFILE_REFRESH_MAX_AGE_DAYS", 30),
            refresh_max_profiles_per_tick=v.number("PROFILE_REFRESH_MAX_PROFILES_PER_TICK", 2_000),
            not_found_retry_days=v.number("PROFILE_NOT_FOUND_RETRY_DAYS", 30),
            auth_wall_retry_days=v.number("PROFILE_AUTH_WALL_RETRY_DAYS", 7),
        ),
    }
