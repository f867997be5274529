"""The container-per-run model rehearsed here (docs/deployment.md): deploy/rehearsal/dagster.yaml
(the production file but for its run launcher) on a real PostgreSQL, the code server in a
container of the image, the daemon draining the run queue and starting **each run in its own
container** through podman's Docker-compatible socket with dagster-docker's DockerRunLauncher.

Two batched runs are launched at once with the `linkedin_browser` pool limited to 1. Checked: each
ran in a container of its own, both stored their profiles, their capture steps never overlapped,
and of the daemon's environment only the variables the launcher names reached a container (the
database password by design), never a canary secret; no secret value is on a command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from linkedin_assets.testing.fault_suite import free_port
from linkedin_assets.testing.postgres import LocalPostgres, PostgresServer
from tests.image.podman import PODMAN, ULIMITS, Podman, env_args
from tests.integration.processes import stop_process_group
from tests.integration.test_postgres_concurrency import (
    JOB,
    Deployment,
    deployment,
    finished_windows,
    run_concurrently,
    timeline,
    wait_until_finished,
)

pytestmark = [pytest.mark.image, pytest.mark.integration, pytest.mark.postgres]
REHEARSAL_YAML = Path(__file__).resolve().parents[2] / "deploy" / "rehearsal" / "dagster.yaml"
BIN = Path(sys.executable).parent
CONTAINER_TAG = "docker/container_id"  # the run tag DockerRunLauncher sets
CANARY = "LINKEDIN_ASSETS_REHEARSAL_CANARY"
SOCKET_DEADLINE_S = 60
HEALTH_DEADLINE_S = 120


def rehearsal_launcher() -> dict[str, Any]:
    return dict(yaml.safe_load(REHEARSAL_YAML.read_text(encoding="utf-8"))["run_launcher"])


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    with LocalPostgres() as server:
        yield server


@pytest.fixture
def podman_socket(tmp_path: Path) -> Iterator[str]:
    """podman's Docker-compatible API on a socket of this test, served with runc."""
    pytest.importorskip("dagster_docker")
    conf = tmp_path / "containers.conf"
    conf.write_text('[engine]\nruntime = "runc"\n', encoding="utf-8")
    socket = tmp_path / "podman.sock"
    log = open(tmp_path / "podman-service.log", "wb")  # noqa: SIM115 - closed below
    service = subprocess.Popen(
        ["podman", "system", "service", "--time=0", f"unix://{socket}"],
        env={**os.environ, "CONTAINERS_CONF": str(conf)}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        import docker

        deadline = time.monotonic() + SOCKET_DEADLINE_S
        while not socket.exists():
            assert service.poll() is None, (tmp_path / "podman-service.log").read_text()
            assert time.monotonic() < deadline, "podman's socket did not appear"
            time.sleep(0.2)
        assert docker.DockerClient(base_url=f"unix://{socket}").ping()
        yield f"unix://{socket}"
    finally:
        stop_process_group(service)
        log.close()


def start_code_server(podman: Podman, environ: dict[str, str], port: int) -> str:
    """The image's code server on the host network; it tells the daemon its image
    (DAGSTER_CURRENT_IMAGE), as the Helm chart's user deployment does."""
    name = f"linkedin-assets-code-{uuid.uuid4().hex[:8]}"
    environ = {**environ, "DAGSTER_CURRENT_IMAGE": podman.image}
    command = [
        "dagster", "api", "grpc", "--host", "127.0.0.1", "--port", str(port),
        "--module-name", "linkedin_assets.definitions", "--location-name", "linkedin_assets",
    ]  # fmt: skip
    args = [*PODMAN, "run", "-d", "--name", name, "--network", "host"]
    args += [a for u in ULIMITS for a in ("--ulimit", u)]
    started = subprocess.run(
        [*args, *env_args(environ), podman.image, *command], env={**os.environ, **environ},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    deadline = time.monotonic() + HEALTH_DEADLINE_S
    while True:
        check = subprocess.run(
            [*PODMAN, "exec", name, "dagster", "api", "grpc-health-check", "--port", str(port)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        if check.returncode == 0:
            return name
        assert time.monotonic() < deadline, check.stdout + check.stderr
        time.sleep(2)  # still loading the code location


def inspect(container_id: str) -> dict[str, Any]:
    out = subprocess.run(
        [*PODMAN, "container", "inspect", container_id], capture_output=True, text=True,
        timeout=60, check=True,
    ).stdout  # fmt: skip
    return dict(json.loads(out)[0])


def image_env_names(podman: Podman) -> set[str]:
    out = subprocess.run(
        [*PODMAN, "image", "inspect", podman.image], capture_output=True, text=True,
        timeout=60, check=True,
    ).stdout  # fmt: skip
    return {entry.split("=", 1)[0] for entry in json.loads(out)[0]["Config"]["Env"]}


def test_two_queued_runs_each_run_in_a_container_of_their_own(
    podman: Podman, podman_socket: str, postgres: PostgresServer, tmp_path: Path
) -> None:
    launcher = rehearsal_launcher()
    allowed = set(launcher["config"]["env_vars"])
    with deployment(
        tmp_path, postgres, 1, source=REHEARSAL_YAML, run_launcher=launcher
    ) as deployed:
        code_env = {k: v for k, v in deployed.environ.items() if k in allowed}
        port = free_port()
        workspace = tmp_path / "workspace.yaml"
        workspace.write_text(
            yaml.safe_dump(
                {
                    "load_from": [
                        {
                            "grpc_server": {
                                "host": "127.0.0.1",
                                "port": port,
                                "location_name": "linkedin_assets",
                            }
                        }
                    ]
                }  # fmt: skip
            )
        )
        secret = uuid.uuid4().hex
        os.environ.update({"DOCKER_HOST": podman_socket, CANARY: secret})
        code_server = start_code_server(podman, code_env, port)
        containers: list[str] = []
        daemon_log = tmp_path / "daemon.log"
        logs = [daemon_log, *(tmp_path / f"launch-{n}.log" for n in range(2))]
        try:
            with open(daemon_log, "wb") as out:
                daemon = subprocess.Popen(
                    [str(BIN / "dagster-daemon"), "run", "-w", str(workspace)],
                    env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            try:
                launches = run_concurrently(
                    [["job", "launch", "-w", str(workspace), "-j", JOB, "--tags", json.dumps(t)]
                     for t in deployed.tags],
                    logs[1:],
                )  # fmt: skip
                assert launches == [0, 0], [log.read_text(errors="replace") for log in logs[1:]]
                wait_until_finished(deployed, logs)
            finally:
                stop_process_group(daemon)
            containers = [run.tags.get(CONTAINER_TAG, "") for run in deployed.runs()]
            first, second = finished_windows(deployed, logs)
            story = timeline(deployed.instance, [first.run, second.run])
            check_containers(deployed, containers, podman, allowed, secret)
        finally:
            for container in [c for c in containers if c] + [code_server]:
                subprocess.run(
                    [*PODMAN, "rm", "-f", container], capture_output=True, timeout=120, check=False
                )
            os.environ.pop(CANARY, None)
            os.environ.pop("DOCKER_HOST", None)

    # The pool held across the two containers: one capture step at a time.
    assert not first.overlaps(second), story
    print(f"\ncontainers {[c[:12] for c in containers]}\n{story}")


def check_containers(
    deployed: Deployment, containers: list[str], podman: Podman, allowed: set[str], secret: str
) -> None:
    runs = deployed.runs()
    # Two runs, two different containers, each labelled with its own run.
    assert len(containers) == 2 and all(containers) and len(set(containers)) == 2, containers
    password = deployed.environ["DAGSTER_PG_PASSWORD"]
    image_names = image_env_names(podman)
    for run, container_id in zip(runs, containers, strict=True):
        details = inspect(container_id)
        assert details["Config"]["Labels"]["dagster/run_id"] == run.run_id
        assert details["State"]["ExitCode"] == 0
        assert details["Config"]["Image"].endswith(podman.image.split("/")[-1])
        env = dict(entry.split("=", 1) for entry in details["Config"]["Env"])
        # Only what the launcher names, what the image sets, and the run's job name.
        extra = (
            set(env)
            - image_names
            - {"DAGSTER_RUN_JOB_NAME", "HOSTNAME", "HOME", "container", "TERM"}
        )
        assert extra == allowed & set(deployed.environ), sorted(extra)
        assert CANARY not in env and secret not in json.dumps(details)
        # The password reached the environment by design, and no command line.
        assert env["DAGSTER_PG_PASSWORD"] == password
        assert password not in json.dumps(details["Config"]["Cmd"]) + json.dumps(details["Args"])
