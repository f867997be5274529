"""The image `make image` built, run here (make image-smoke): nothing of the tests inside, the code
location loads and validates in it, its code server answers the health check, and a run of 3
sample profiles executed inside the container stores them in S3 and DynamoDB, with the image's own
deploy/dagster.yaml on a real PostgreSQL. The local stack and PostgreSQL run on this machine's
127.0.0.1; the container shares its network."""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from linkedin_assets.testing.fault_suite import free_port
from linkedin_assets.testing.postgres import LocalPostgres, PostgresServer
from tests.image.podman import PODMAN, ULIMITS, Podman, env_args
from tests.integration.test_postgres_concurrency import (
    ASSETS,
    JOB,
    assert_stored,
    deployment,
)

pytestmark = [pytest.mark.image, pytest.mark.integration, pytest.mark.postgres]
DEPLOYED = {
    "LINKEDIN_ASSETS_ENV": "staging",
    "S3_SCREENSHOT_BUCKET_NAME": "smoke-bucket",
    "DYNAMODB_PROFILE_TABLE": "smoke-table",
    "DAGSTER_COMPUTE_LOG_BUCKET": "smoke-logs",
}
# What only the tests and the local stack use: none of it ships.
NOT_SHIPPED_MODULES = ("moto", "pytest", "ruff", "hypothesis", "mypy")
NOT_SHIPPED_COMMANDS = ("ruff", "pytest", "moto_server", "mypy")
HEALTH_DEADLINE_S = 120
# The code location's check, on a scratch instance: the image's own dagster.yaml would want the
# production database's variables, which say nothing about the code.
VALIDATE = [
    "sh", "-c",
    "mkdir -p /tmp/validate && DAGSTER_HOME=/tmp/validate "
    "exec dagster definitions validate -m linkedin_assets.definitions",
]  # fmt: skip
# Variables that hold a path of this machine: the container has its own.
HOST_ONLY = ("DAGSTER_HOME", "LINKEDIN_ASSETS_DATA_DIR")


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    with LocalPostgres() as server:
        yield server


def test_nothing_of_the_tests_is_inside_and_the_size_is_printed(podman: Podman) -> None:
    probe = (
        "import importlib.util, shutil; "
        f"print([m for m in {NOT_SHIPPED_MODULES!r} if importlib.util.find_spec(m)]"
        f" + [c for c in {NOT_SHIPPED_COMMANDS!r} if shutil.which(c)])"
    )
    result = podman.run(["python", "-c", probe])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"shipped in the image: {result.stdout}"
    # The control: the same probe finds what the image does ship.
    control = podman.run(["python", "-c", probe.replace("moto", "dagster_k8s")])
    assert control.stdout.strip() == "['dagster_k8s']", control.stdout + control.stderr
    print(f"\nimage {podman.image}: {podman.size_bytes() / 1e6:.0f} MB")


def test_the_code_location_validates_inside(podman: Podman) -> None:
    result = podman.run(VALIDATE, DEPLOYED)
    assert result.returncode == 0, result.stdout + result.stderr
    # The control: without the table the load fails, naming it.
    broken = {k: v for k, v in DEPLOYED.items() if k != "DYNAMODB_PROFILE_TABLE"}
    failed = podman.run(VALIDATE, broken)
    assert failed.returncode != 0
    assert "required variables not set: DYNAMODB_PROFILE_TABLE" in failed.stdout + failed.stderr


def test_the_code_server_answers_the_health_check(podman: Podman) -> None:
    port = str(free_port())
    name = f"linkedin-assets-smoke-{uuid.uuid4().hex[:8]}"
    # The image's own command, on a free port of the shared network.
    command = [
        "dagster", "api", "grpc", "--host", "127.0.0.1", "--port", port,
        "--module-name", "linkedin_assets.definitions", "--location-name", "linkedin_assets",
    ]  # fmt: skip
    args = [*PODMAN, "run", "-d", "--name", name, "--network", "host"]
    args += [a for u in ULIMITS for a in ("--ulimit", u)]
    started = subprocess.run(
        [*args, *env_args(DEPLOYED), podman.image, *command],
        env={**os.environ, **DEPLOYED}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    try:
        deadline = time.monotonic() + HEALTH_DEADLINE_S
        while True:
            check = subprocess.run(
                [*PODMAN, "exec", name, "dagster", "api", "grpc-health-check", "--port", port],
                capture_output=True, text=True, timeout=60, check=False,
            )  # fmt: skip
            if check.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(2)  # the server is still loading the code location
        logs = subprocess.run(
            [*PODMAN, "logs", name], capture_output=True, text=True, timeout=60, check=False
        )
        assert check.returncode == 0, check.stdout + check.stderr + logs.stdout + logs.stderr
    finally:
        subprocess.run([*PODMAN, "rm", "-f", name], capture_output=True, timeout=120, check=False)


def test_a_run_executed_inside_the_container_stores_three_profiles(
    podman: Podman, postgres: PostgresServer, tmp_path: Path
) -> None:
    with deployment(tmp_path, postgres, 1) as deployed:
        environ = {k: v for k, v in deployed.environ.items() if k not in HOST_ONLY}
        tags, profiles = deployed.tags[0], deployed.halves[0]
        assert len(profiles) == 3
        started = time.monotonic()
        # What a run worker does, in the image, with the image's own dagster.yaml.
        result = podman.run(
            ["dagster", "job", "execute", "-m", "linkedin_assets.definitions", "-j", JOB,
             "--tags", json.dumps(tags)],
            environ, timeout=600,
        )  # fmt: skip
        elapsed = time.monotonic() - started
        log = tmp_path / "container-run.log"
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        assert result.returncode == 0, f"see {log}\n{result.stderr[-4000:]}"
        [run] = [r for r in deployed.runs() if r.tags == {**r.tags, **tags}]
        assert run.status == dg.DagsterRunStatus.SUCCESS
        materialized = {
            (e.asset_materialization.asset_key.to_user_string(), e.asset_materialization.partition)
            for e in deployed.instance.all_logs(
                run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
            )
            if e.asset_materialization is not None
        }
        assert materialized == {(asset, pid) for asset in ASSETS for pid in profiles}
        assert_stored(deployed.environ, profiles)
    print(f"\n3 profiles captured and stored from inside the container in {elapsed:.1f}s")
