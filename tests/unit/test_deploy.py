"""deploy/: the production instance config is valid for the installed Dagster and keeps its
promises (Postgres from the environment, no inline secret, pools enforced per step, the run queue
limits the batched runs); the image has what a capture needs. No database or Docker needed."""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import yaml

from linkedin_assets._compat import dagster_instance_config
from linkedin_assets.assets.pipeline import CAPTURE_POOL, profile_pipeline
from linkedin_assets.automation.intake_sensor import SOURCE_TAG
from linkedin_assets.testing.postgres import DAGSTER_PG_ENV

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ROOT = DEPLOY.parent


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    # Dagster's own loader: every key checked against the installed version's schema.
    value, custom_class = dagster_instance_config(str(DEPLOY), "dagster.yaml")
    assert custom_class is None
    return dict(value)


def test_storage_is_postgres_with_every_setting_from_the_environment(
    config: dict[str, Any],
) -> None:
    database = config["storage"]["postgres"]["postgres_db"]
    fields = ("hostname", "port", "username", "password", "db_name")
    assert {database[f]["env"] for f in fields} == set(DAGSTER_PG_ENV)
    assert database["password"] == {"env": "DAGSTER_PG_PASSWORD"}
    # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3, which dagster-postgres does not
    # install: the driver must be named.
    assert database["scheme"] == "postgresql+psycopg2"


def secret_values(node: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every value under a key that names a secret (a password, a URL that could carry one)."""
    if not isinstance(node, dict):
        return []
    found: list[tuple[str, Any]] = []
    for key, value in node.items():
        if re.search(r"password|secret|token|_url$", str(key)):
            found.append((f"{path}{key}", value))
        found += secret_values(value, f"{path}{key}.")
    return found


def test_no_secret_is_written_in_the_file() -> None:
    raw = yaml.safe_load((DEPLOY / "dagster.yaml").read_text(encoding="utf-8"))
    found = secret_values(raw)
    assert [path for path, _ in found] == ["storage.postgres.postgres_db.password"]
    assert all(set(value) == {"env"} for _, value in found), found


def test_runs_are_queued_with_a_limit_for_the_batched_runs(config: dict[str, Any]) -> None:
    coordinator = config["run_coordinator"]
    module = importlib.import_module(coordinator["module"])
    assert getattr(module, coordinator["class"]) is dg.QueuedRunCoordinator
    runs = config["concurrency"]["runs"]
    assert runs["max_concurrent_runs"] >= 1
    [limit] = runs["tag_concurrency_limits"]
    assert limit["key"] == SOURCE_TAG  # the tag every sensor and schedule run carries
    assert 1 <= limit["limit"] <= runs["max_concurrent_runs"]


def test_the_capture_pool_is_enforced_by_every_step_that_starts(config: dict[str, Any]) -> None:
    pools = config["concurrency"]["pools"]
    # `run` granularity would leave the run worker's executor unchecked.
    assert pools["granularity"] == "op"
    assert pools["default_limit"] >= 1
    assert profile_pipeline.op.pool == CAPTURE_POOL


def test_only_dead_run_workers_are_retried(config: dict[str, Any]) -> None:
    retries = config["run_retries"]
    assert retries["enabled"] is True
    assert retries["max_retries"] >= 1
    assert retries["retry_on_asset_or_op_failure"] is False
    monitoring = config["run_monitoring"]
    assert monitoring["enabled"] is True
    assert monitoring["free_slots_after_run_end_seconds"] > 0


def test_telemetry_is_off(config: dict[str, Any]) -> None:
    assert config["telemetry"] == {"enabled": False}


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    lines = [
        line for line in dockerfile.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]  # fmt: skip
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else "")
        for parts in (line.split(None, 1) for line in joined.splitlines())
    ]


def test_the_image_carries_debians_chromium_and_runs_the_code_server_unprivileged() -> None:
    steps = instructions(DEPLOY / "Dockerfile")
    values = {name: [args for n, args in steps if n == name] for name, _ in steps}
    assert values["FROM"] == ["python:3.11-slim-bookworm"]
    assert any(re.search(r"apt-get install .*\bchromium\b", run) for run in values["RUN"])
    assert any("CHROMIUM_EXECUTABLE=/usr/bin/chromium" in env for env in values["ENV"])
    assert any(re.search(r"pip install \.(\s|$)", run) for run in values["RUN"])
    [user] = values["USER"]
    assert user.split(":")[0] not in ("0", "root")
    assert steps.index(("USER", user)) > max(i for i, s in enumerate(steps) if s[0] == "RUN")
    [command] = values["CMD"]
    argv = yaml.safe_load(command)  # the JSON (exec) form
    assert argv[:3] == ["dagster", "api", "grpc"]
    assert argv[argv.index("--module-name") + 1] == "linkedin_assets.definitions"
    # The run launcher replaces the command; an entrypoint must keep it runnable.
    [entrypoint] = values["ENTRYPOINT"]
    assert yaml.safe_load(entrypoint)[-1] == "--"


def test_the_image_copies_the_instance_config_and_no_secret() -> None:
    steps = instructions(DEPLOY / "Dockerfile")
    copies = [shlex.split(args) for name, args in steps if name == "COPY"]
    for *sources, _target in copies:
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
    assert ["deploy/dagster.yaml", "${DAGSTER_HOME}/dagster.yaml"] in copies
    environment = " ".join(args for name, args in steps if name in ("ENV", "ARG"))
    for secret in ("DAGSTER_PG_PASSWORD", "AWS_SECRET_ACCESS_KEY", "LINKEDIN_STORAGE_STATE"):
        assert secret not in environment
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [line for line in ignore if line and not line.startswith("#")]
    assert patterns[0] == "**"  # everything is left out of the build context unless listed
    assert not any(p.startswith("!.") for p in patterns)  # never .env, .local-data, .venv
