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

from linkedin_assets._compat import dagster_instance_config, validate_config
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
    assert [path for path, _ in found] == [
        "storage.postgres.postgres_db.password",
        # The *name* of the Kubernetes Secret holding it, itself from the environment.
        "run_launcher.config.postgres_password_secret",
    ]
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
    # Both stages start from the build argument, whose default stays the slim Python image.
    assert values["FROM"] == ["${BASE_IMAGE} AS build", "${BASE_IMAGE}"]
    assert steps[0] == ("ARG", "BASE_IMAGE=python:3.11-slim-bookworm")
    assert any(re.search(r"apt-get install .*\bchromium\b", run) for run in values["RUN"])
    assert any("CHROMIUM_EXECUTABLE=/usr/bin/chromium" in env for env in values["ENV"])
    # The locked versions, hash-checked, when uv.lock is there; the package itself without deps.
    [install] = [run for run in values["RUN"] if "uv export" in run]
    assert "--frozen" in install and "--require-hashes" in install
    assert re.search(r"pip install --no-deps \.;", install)
    assert "--mount=type=secret,id=ca" in install  # the build machine's CA: a secret, not a layer
    assert ["--from=build", "/opt/venv", "/opt/venv"] in [
        shlex.split(args) for name, args in steps if name == "COPY"
    ]
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
            if source.startswith("--from="):
                break  # from the build stage, not the repository
            # A glob may match nothing (uv.lock*); a plain name must exist.
            assert source.endswith("*") or (ROOT / source).exists(), f"COPY {source}: no such file"
    assert ["deploy/dagster.yaml", "${DAGSTER_HOME}/dagster.yaml"] in copies
    environment = " ".join(args for name, args in steps if name in ("ENV", "ARG"))
    for secret in ("DAGSTER_PG_PASSWORD", "AWS_SECRET_ACCESS_KEY", "LINKEDIN_STORAGE_STATE"):
        assert secret not in environment
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [line for line in ignore if line and not line.startswith("#")]
    assert patterns[0] == "**"  # everything is left out of the build context unless listed
    assert not any(p.startswith("!.") for p in patterns)  # never .env, .local-data, .venv


def launcher_config_errors(section: dict[str, Any]) -> list[str]:
    """What Dagster's config system says of a run launcher's or compute log manager's config,
    checked against the class's own schema (the module must be installed)."""
    module = pytest.importorskip(section["module"])
    cls = getattr(module, section["class"])
    result = validate_config(cls.config_type(), section.get("config", {}))
    return [error.message for error in result.errors or []]


def test_each_run_gets_its_own_kubernetes_job(config: dict[str, Any]) -> None:
    launcher = config["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_k8s", "K8sRunLauncher")
    settings = launcher["config"]
    # Everything that names a cluster object comes from the environment the chart sets.
    for key in ("instance_config_map", "postgres_password_secret", "service_account_name"):
        assert set(settings[key]) == {"env"}, key
    assert launcher_config_errors(launcher) == []


def test_step_output_outlives_the_run_pod_in_s3(config: dict[str, Any]) -> None:
    logs = config["compute_logs"]
    assert (logs["module"], logs["class"]) == (
        "dagster_aws.s3.compute_log_manager",
        "S3ComputeLogManager",
    )
    assert logs["config"]["bucket"] == {"env": "DAGSTER_COMPUTE_LOG_BUCKET"}
    assert launcher_config_errors(logs) == []


def test_the_rehearsal_is_the_production_file_but_for_its_run_launcher(
    config: dict[str, Any],
) -> None:
    rehearsal, _ = dagster_instance_config(str(DEPLOY / "rehearsal"), "dagster.yaml")
    rehearsal = dict(rehearsal)
    launcher = rehearsal.pop("run_launcher")
    assert rehearsal == {k: v for k, v in config.items() if k != "run_launcher"}
    assert (launcher["module"], launcher["class"]) == ("dagster_docker", "DockerRunLauncher")
    # podman's socket starts a container here only with explicit limits (docs/deployment.md).
    ulimits = {
        u["name"]: (u["soft"], u["hard"]) for u in launcher["config"]["container_kwargs"]["ulimits"]
    }
    assert ulimits == {"nofile": (1024, 20000), "nproc": (4096, 4096)}
    # Only named variables reach a run's container; the password by design, no other secret.
    names = launcher["config"]["env_vars"]
    assert all("=" not in name for name in names)  # values come from the daemon, never this file
    assert set(DAGSTER_PG_ENV) <= set(names)
    assert "LINKEDIN_STORAGE_STATE" not in names and "AWS_SESSION_TOKEN" not in names
    assert launcher_config_errors(launcher) == []


# How the chart's templates (helm/dagster/templates/helpers/instance/*.tpl) turn values into the
# instance's dagster.yaml, for the keys deploy/dagster.yaml sets.
def chart_instance(values: dict[str, Any]) -> dict[str, Any]:
    daemon = values["dagsterDaemon"]
    queue = daemon["runCoordinator"]["config"]["queuedRunCoordinator"]
    runs, pools = values["concurrency"]["runs"], values["concurrency"]["pools"]
    monitoring, retries = daemon["runMonitoring"], daemon["runRetries"]
    s3_logs = values["computeLogManager"]["config"]["s3ComputeLogManager"]
    postgres = values["postgresql"]
    return {
        "storage": {
            "scheme": postgres["postgresqlScheme"],
            "password": {"env": "DAGSTER_PG_PASSWORD"},
        },
        "run_launcher": f"{values['runLauncher']['type']}",
        "run_coordinator": {
            "class": daemon["runCoordinator"]["type"],
            "dequeue_interval_seconds": queue["dequeueIntervalSeconds"],
        },
        "concurrency": {
            "runs": {
                "max_concurrent_runs": runs["maxConcurrentRuns"],
                "tag_concurrency_limits": runs["tagConcurrencyLimits"],
            },
            "pools": {"default_limit": pools["defaultLimit"], "granularity": pools["granularity"]},
        },
        "run_retries": {
            "enabled": retries["enabled"],
            "max_retries": retries["maxRetries"],
            "retry_on_asset_or_op_failure": retries["retryOnAssetOrOpFailure"],
        },
        "run_monitoring": {
            "enabled": monitoring["enabled"],
            "start_timeout_seconds": monitoring["startTimeoutSeconds"],
            "max_runtime_seconds": monitoring["maxRuntimeSeconds"],
            "free_slots_after_run_end_seconds": monitoring["freeSlotsAfterRunEndSeconds"],
            "max_resume_run_attempts": monitoring["maxResumeRunAttempts"],
        },
        "compute_logs": {
            "class": values["computeLogManager"]["type"],
            "bucket": s3_logs["bucket"],
            "prefix": s3_logs["prefix"],
            "skip_empty_files": s3_logs["skipEmptyFiles"],
        },
        "telemetry": {"enabled": values["telemetry"]["enabled"]},
    }


def file_instance(config: dict[str, Any]) -> dict[str, Any]:
    """The same keys, read from deploy/dagster.yaml."""
    database = config["storage"]["postgres"]["postgres_db"]
    logs = config["compute_logs"]["config"]
    return {
        "storage": {"scheme": database["scheme"], "password": database["password"]},
        "run_launcher": config["run_launcher"]["class"],
        "run_coordinator": {
            "class": config["run_coordinator"]["class"],
            "dequeue_interval_seconds": config["run_coordinator"]["config"][
                "dequeue_interval_seconds"
            ],
        },
        "concurrency": config["concurrency"],
        "run_retries": config["run_retries"],
        "run_monitoring": config["run_monitoring"],
        "compute_logs": {
            "class": config["compute_logs"]["class"],
            "bucket": logs["bucket"],
            "prefix": logs["prefix"],
            "skip_empty_files": logs["skip_empty_files"],
        },
        "telemetry": config["telemetry"],
    }


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text(encoding="utf-8")))


def test_the_helm_values_say_what_the_instance_file_says(
    config: dict[str, Any], values: dict[str, Any]
) -> None:
    assert chart_instance(values) == file_instance(config)
    # The pool and the tag are the code's own.
    [limit] = values["concurrency"]["runs"]["tagConcurrencyLimits"]
    assert limit["key"] == SOURCE_TAG
    # The chart refuses run limits in both places at once.
    queue = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert "maxConcurrentRuns" not in queue and "tagConcurrencyLimits" not in queue


def test_the_helm_values_deploy_this_image_with_an_external_database_and_no_secret(
    values: dict[str, Any],
) -> None:
    [deployment] = values["dagster-user-deployments"]["deployments"]
    args = deployment["dagsterApiGrpcArgs"]
    assert args[args.index("--module-name") + 1] == "linkedin_assets.definitions"
    assert deployment["port"] == 4000  # the port the image's default command and health check use
    assert deployment["includeConfigInLaunchedRuns"] == {"enabled": True}
    assert values["postgresql"]["enabled"] is False
    assert values["generatePostgresqlPasswordSecret"] is False
    assert values["global"]["postgresqlSecretName"]
    # IRSA: the service account carries the role; no AWS key is passed anywhere.
    assert "eks.amazonaws.com/role-arn" in values["serviceAccount"]["annotations"]
    text = (DEPLOY / "helm" / "values.yaml").read_text(encoding="utf-8")
    assert "AWS_SECRET_ACCESS_KEY" not in text and "postgresqlPassword" not in text
    # Every secret value a pod gets is a reference (valueFrom.secretKeyRef), never a literal.
    env = values["runLauncher"]["config"]["k8sRunLauncher"]["runK8sConfig"]["containerConfig"][
        "env"
    ]
    secret_env = [
        e for e in env + deployment["env"] if re.search(r"PASSWORD|SECRET|TOKEN", e["name"])
    ]
    assert secret_env and all(set(e) == {"name", "valueFrom"} for e in secret_env)
    assert all("secretKeyRef" in e["valueFrom"] for e in secret_env)


def test_the_ecs_alternative_in_the_docs_is_a_valid_launcher_config() -> None:
    text = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    section = text[text.index("## ECS (EcsRunLauncher)") :]
    block = section[section.index("```yaml") + len("```yaml") : section.index("```\n", 8)]
    launcher = yaml.safe_load(block)["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_aws.ecs", "EcsRunLauncher")
    assert launcher_config_errors(launcher) == []
