"""Which environment this process runs in, and the defaults of the embedded local one.

Only the environment's *name* is read when definitions load; names and secrets reach resources
through ``dg.EnvVar`` so the Dagster UI shows variable names, never values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Final

import dagster as dg

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
        environ.setdefault(name, value)
    # The local stack never gets the shell's real AWS credentials: moto needs none, and its
    # recording would write them to disk.
    for name in LOCAL_CREDENTIALS:
        environ[name] = LOCAL_DEFAULTS[name]
    for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
        environ.pop(name, None)
    environ.setdefault("DAGSTER_HOME", str(local_data_dir(environ) / "dagster_home"))
    return dict(environ)
