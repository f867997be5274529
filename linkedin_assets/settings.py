"""Which environment this process runs in, the defaults of the embedded local one, and the table
of the settings checked at load.

Only the environment's *name* is read when definitions load; names and secrets reach resources
through ``dg.EnvVar`` so the Dagster UI shows variable names, never values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import dagster as dg

from linkedin_assets.core.setting_rules import (
    FloatRange,
    IntRange,
    KeyPrefix,
    MetricNamespace,
    Rule,
    SqsQueueArn,
    read_setting,
)
from linkedin_assets.errors import ConfigurationError

ENV_VAR: Final = "LINKEDIN_ASSETS_ENV"
ENVIRONMENTS: Final = ("local", "dev", "staging", "prod")
DEFAULT_ENVIRONMENT: Final = "local"
DEFAULT_REGION: Final = "us-west-2"

# The embedded local default: moto's server and the sample site on loopback. Each value can be
# overridden by the variable of the same name.
LOCAL_DEFAULTS: Final[Mapping[str, str]] = {
    "AWS_ENDPOINT_URL": "http://127.0.0.1:5757",
    "AWS_ACCESS_KEY_ID": "local-not-a-secret",
    "AWS_SECRET_ACCESS_KEY": "local-not-a-secret",
    "AWS_REGION": DEFAULT_REGION,
    "LINKEDIN_BASE_URL": "http://127.0.0.1:8788",
    "S3_SCREENSHOT_BUCKET_NAME": "linkedin-assets-local",
    "DYNAMODB_PROFILE_TABLE": "linkedin-profiles-local",
}


@dataclass(frozen=True)
class Cron:
    """A cron expression Dagster's schedules accept (5 fields, or ``@daily`` and the like)."""

    def __call__(self, text: str) -> str:
        try:
            # Dagster's own check, through its public constructor: the schedule built from this
            # value later can then not fail on it. It is why this rule lives here and not in core.
            dg.ScheduleDefinition(name="cron_check", cron_schedule=text, job_name="cron_check")
        except dg.DagsterInvalidDefinitionError:
            raise ValueError(
                "is not a cron expression Dagster accepts; allowed: 5 fields, e.g. '0 3 * * *'"
            ) from None
        return text


# Every setting read at load, with its rule (linkedin_assets.core.setting_rules). A new setting is
# one line here and one row in docs/configuration.md.
SETTINGS: Final[Mapping[str, Rule]] = {
    "AWS_MAX_ATTEMPTS": IntRange(1, 50),
    "LINKEDIN_NAVIGATION_TIMEOUT_S": IntRange(1, 600),
    "LINKEDIN_MAX_PAGE_MB": IntRange(1, 1024),
    "LINKEDIN_MAX_CONSECUTIVE_BLOCKS": IntRange(1, 1000),
    "LINKEDIN_BLOCK_BACKOFF_S": IntRange(0, 3600),
    "LINKEDIN_MAX_CONCURRENT_PAGES": IntRange(1, 64),
    "LINKEDIN_MIN_DELAY_S": FloatRange(0, 3600),
    "LINKEDIN_DELAY_JITTER": FloatRange(0, 1),
    "LINKEDIN_MAX_SCREENSHOT_PIXELS": IntRange(1, 1_000_000_000),
    "LINKEDIN_MAX_SCREENSHOT_MB": IntRange(1, 1024),
    "PROFILE_UPLOAD_WORKERS": IntRange(1, 256),
    "PROFILE_STORAGE_RETRY_ROUNDS": IntRange(1, 100),
    "PROFILE_STORAGE_RETRY_PAUSE_S": FloatRange(0, 3600),
    "PROFILE_STORAGE_RETRY_MAX_S": FloatRange(0, 86_400),
    "PROFILE_STORAGE_SLOWDOWN_S": FloatRange(0, 3600),
    "PROFILE_RUN_BATCH_SIZE": IntRange(1, 10_000),
    "PROFILE_INTAKE_MAX_LINES_PER_TICK": IntRange(1, 1_000_000),
    "PROFILE_INTAKE_STABLE_AFTER_S": FloatRange(0, 86_400),
    "PROFILE_REFRESH_MAX_AGE_DAYS": IntRange(1, 3650),
    "PROFILE_REFRESH_MAX_PROFILES_PER_TICK": IntRange(1, 1_000_000),
    "PROFILE_URL_SENSOR_INTERVAL_S": IntRange(1, 86_400),
    "PROFILE_REFRESH_CRON": Cron(),
    "S3_SCREENSHOT_PREFIX": KeyPrefix(),
    "S3_PROFILE_TEXT_PREFIX": KeyPrefix(),
    "UPLOAD_METRICS_CLOUDWATCH_NAMESPACE": MetricNamespace(),
    "S3_PROFILE_EVENTS_QUEUE_ARN": SqsQueueArn(),
    "REPORTS_RETENTION_DAYS": IntRange(1, 36_500),
    "PROFILE_NOT_FOUND_RETRY_DAYS": IntRange(1, 3650),
    "PROFILE_AUTH_WALL_RETRY_DAYS": IntRange(1, 3650),
}


def setting(name: str, environ: Mapping[str, str]) -> Any:
    """``name``'s value in ``environ``, checked against its rule; ``None`` if unset or blank."""
    rule = SETTINGS.get(name)
    if rule is None:
        # A programming mistake, not a configuration one: every setting read must have a rule.
        raise KeyError(f"setting {name} has no rule in linkedin_assets.settings.SETTINGS")
    return read_setting(name, rule, environ)


def check_settings(environ: Mapping[str, str]) -> None:
    """Check every setting of the table that ``environ`` sets; the first bad one raises."""
    for name in SETTINGS:
        setting(name, environ)


LOCAL_CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def current_environment(environ: Mapping[str, str] | None = None) -> str:
    """The environment named by ``LINKEDIN_ASSETS_ENV``; fail loudly on anything unknown."""
    environ = os.environ if environ is None else environ
    name = environ.get(ENV_VAR, DEFAULT_ENVIRONMENT).strip().lower() or DEFAULT_ENVIRONMENT
    if name not in ENVIRONMENTS:
        raise ConfigurationError(
            f"{ENV_VAR}={environ.get(ENV_VAR)!r} is not an environment of this project; "
            f"choose one of {', '.join(ENVIRONMENTS)}"
        )
    return name


def first_set(*names: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """The first variable of ``names`` that is set, as an ``EnvVar``; else ``default``."""
    environ = os.environ if environ is None else environ
    for name in names:
        if environ.get(name):
            return dg.EnvVar(name)
    return default


def wants_running(environ: Mapping[str, str], variable: str, env: str) -> bool:
    """A sensor's or schedule's default status: ``variable`` = running/stopped; unset, automation
    is off in ``local`` and on elsewhere. Anything else fails loudly at load."""
    default = "stopped" if env == "local" else "running"
    wanted = environ.get(variable, default).strip().lower()
    if wanted not in ("running", "stopped"):
        raise ConfigurationError(f"{variable}={wanted!r} must be running or stopped")
    return wanted == "running"


def local_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the local stack keeps its data across restarts (moto's recording, Dagster home)."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("LINKEDIN_ASSETS_DATA_DIR", ".local-data")).resolve()


def apply_local_defaults(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Fill the local defaults into ``environ`` (``os.environ`` by default) where unset; the AWS
    credentials are always the local ones.

    Used by the local stack and the demo, which start the endpoints these values point at.
    """
    environ = os.environ if environ is None else environ
    for name, value in LOCAL_DEFAULTS.items():
        # Blank is unset (`NAME=` in a .env copied from .env.example).
        if not environ.get(name, "").strip():
            environ[name] = value
    # The local stack never gets the shell's real AWS credentials: moto needs none, and its
    # recording would write them to disk.
    for name in LOCAL_CREDENTIALS:
        environ[name] = LOCAL_DEFAULTS[name]
    for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
        environ.pop(name, None)
    environ.setdefault("DAGSTER_HOME", str(local_data_dir(environ) / "dagster_home"))
    if not environ.get("S3_PROFILE_EVENTS_QUEUE_ARN", "").strip():  # blank, as .env.example has it
        environ["S3_PROFILE_EVENTS_QUEUE_ARN"] = local_events_queue_arn(environ)
    return dict(environ)


# moto's account unless MOTO_ACCOUNT_ID says otherwise; moto finds the queue by region and name.
LOCAL_ACCOUNT_ID: Final = "123456789012"
LOCAL_EVENTS_QUEUE: Final = "linkedin-profile-events-local"


def local_events_queue_arn(environ: Mapping[str, str]) -> str:
    """The local stack's own queue for the profile-text bucket's events, in that bucket's region
    (S3 only notifies a queue of its own region)."""
    region = (
        environ.get("S3_PROFILE_TEXT_REGION")
        or environ.get("AWS_REGION")
        or environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )
    account = environ.get("MOTO_ACCOUNT_ID") or LOCAL_ACCOUNT_ID
    return f"arn:aws:sqs:{region}:{account}:{LOCAL_EVENTS_QUEUE}"
