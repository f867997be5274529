"""The code location: assets, jobs, sensor, schedule and the resources of the current environment.

``LINKEDIN_ASSETS_ENV`` picks one of ``local`` (default), ``dev``, ``staging``, ``prod``; anything
else fails at load. The resources of each are in ``linkedin_assets.resources.environments``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

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
from linkedin_assets.resources.environments import build_resources
from linkedin_assets.settings import current_environment


def build_definitions(
    env: str | None = None, environ: Mapping[str, str] | None = None
) -> dg.Definitions:
    """The code location of ``env`` (else ``LINKEDIN_ASSETS_ENV``) with ``environ``'s settings."""
    environ = dict(os.environ if environ is None else environ)
    env = env or current_environment(environ)
    # The resources check every setting first, so a bad one stops the load before the sensor and
    # schedule read theirs.
    resources = build_resources(env, environ)
    return dg.Definitions(
        assets=[profile_pipeline, profile_store_audit, upload_metrics],
        jobs=[profile_pipeline_job, profile_checks_job],
        sensors=[build_intake_sensor(environ, env)],
        schedules=[build_refresh_schedule(environ, env)],
        resources=resources,
    )


defs = build_definitions()
