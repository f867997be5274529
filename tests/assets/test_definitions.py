"""The code location loads in every environment, through Python and through Dagster's own CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from linkedin_assets.definitions import build_definitions
from linkedin_assets.resources.environments import build_resources
from linkedin_assets.settings import ENVIRONMENTS

DEPLOYED = {
    "S3_SCREENSHOT_BUCKET_NAME": "acme-linkedin-screenshots",
    "DYNAMODB_PROFILE_TABLE": "acme-linkedin-profiles",
}
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_definitions_load_in_every_environment(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in DEPLOYED.items():
        monkeypatch.setenv(name, value)
    defs = build_definitions(env)
    job = defs.resolve_job_def("profile_pipeline_job")
    assert {k.to_user_string() for k in job.asset_layer.executable_asset_keys} == {
        "profile_screenshots", "profile_text", "profile_json", "profile_index",
    }  # fmt: skip
    assert defs.resolve_assets_def("profile_json").partitions_def == dg.DynamicPartitionsDefinition(
        name="profiles"
    )
    defs.resolve_all_job_defs()


def test_deployed_environments_take_names_from_env_vars_and_leave_aws_to_boto3() -> None:
    resources = build_resources("prod", {**DEPLOYED, "S3_PROFILE_TEXT_BUCKET_NAME": "acme-text"})
    storage = resources["profile_storage"]
    assert type(storage.screenshot_bucket).__name__ == "EnvVar"
    assert storage.screenshot_bucket == "S3_SCREENSHOT_BUCKET_NAME"  # the name, never a value
    assert storage.profile_text_bucket == "S3_PROFILE_TEXT_BUCKET_NAME"
    assert storage.aws.endpoint_url is None and storage.aws.aws_secret_access_key is None
    assert resources["browser"].base_url == "https://www.linkedin.com"
    assert storage.sse_algorithm == "AES256"
    assert (
        build_resources("prod", {**DEPLOYED, "S3_KMS_KEY_ID": "k"})["profile_storage"].sse_algorithm
        == "aws:kms"
    )


def test_local_falls_back_to_the_embedded_stack() -> None:
    resources = build_resources("local", {})
    assert resources["profile_storage"].screenshot_bucket == "linkedin-assets-local"
    assert resources["profile_storage"].aws.endpoint_url == "http://127.0.0.1:5757"
    assert resources["browser"].base_url == "http://127.0.0.1:8788"
    assert resources["profile_index_store"].table == "linkedin-profiles-local"


@pytest.mark.parametrize("env", ["local", "prod"])
def test_one_aws_settings_object_serves_every_resource(env: str) -> None:
    resources = build_resources(env, {**DEPLOYED, "AWS_MAX_ATTEMPTS": "4"})
    aws = resources["profile_storage"].aws
    assert resources["profile_index_store"].aws is aws and resources["automation"].aws is aws
    # The variable's name, read at launch: DynamoDB's and the inbox's clients get it too.
    assert aws.max_attempts.env_var_name == "AWS_MAX_ATTEMPTS"


@pytest.mark.parametrize("env", ["local", "prod"])
def test_dagster_cli_validates_the_code_location(env: str, tmp_path: Path) -> None:
    environ = {**os.environ, **DEPLOYED, "LINKEDIN_ASSETS_ENV": env, "DAGSTER_HOME": str(tmp_path)}
    result = subprocess.run(
        [str(BIN / "dagster"), "definitions", "validate", "-m", "linkedin_assets.definitions"],
        env=environ, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_environment_fails_at_load_naming_it(tmp_path: Path) -> None:
    environ = {**os.environ, "LINKEDIN_ASSETS_ENV": "production", "DAGSTER_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import linkedin_assets.definitions"],
        env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "LINKEDIN_ASSETS_ENV='production' is not an environment" in result.stderr


def test_missing_required_variables_fail_the_load_naming_every_one(tmp_path: Path) -> None:
    # What the UI shows for the code location: the load error, with both names at once.
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("S3_SCREENSHOT_BUCKET_NAME", "DYNAMODB_PROFILE_TABLE")
    }
    environ |= {"LINKEDIN_ASSETS_ENV": "staging", "DAGSTER_HOME": str(tmp_path)}
    result = subprocess.run(
        [str(BIN / "dagster"), "definitions", "validate", "-m", "linkedin_assets.definitions"],
        env=environ, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "required variables not set: S3_SCREENSHOT_BUCKET_NAME, DYNAMODB_PROFILE_TABLE" in output


def test_politeness_is_on_for_the_real_site_and_off_for_the_sample_site() -> None:
    prod = build_resources("prod", DEPLOYED)["browser"]
    assert (prod.max_concurrent_pages, prod.min_delay_s, prod.delay_jitter) == (2, 2.0, 0.5)
    local = build_resources("local", {})["browser"]
    assert local.max_concurrent_pages is None and local.min_delay_s == 0.0
    assert 1 <= local.pages_at_once() <= 4  # sized to the machine
    tuned = build_resources(
        "prod", {**DEPLOYED, "LINKEDIN_MIN_DELAY_S": "5.5", "LINKEDIN_DELAY_JITTER": "0.1"}
    )["browser"]
    assert (tuned.min_delay_s, tuned.delay_jitter) == (5.5, 0.1)


def test_a_delay_that_is_not_a_number_fails_at_load_naming_it() -> None:
    from linkedin_assets.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match=r"LINKEDIN_MIN_DELAY_S='soon' is not a number"):
        build_resources("prod", {**DEPLOYED, "LINKEDIN_MIN_DELAY_S": "soon"})


def test_zero_pages_is_refused_naming_the_setting() -> None:
    from linkedin_assets.errors import ConfigurationError
    from linkedin_assets.resources.configured import BrowserResource

    with pytest.raises(ConfigurationError, match="LINKEDIN_MAX_CONCURRENT_PAGES=0"):
        BrowserResource(max_concurrent_pages=0).pages_at_once()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PROFILE_RUN_BATCH_SIZE", "0"),
        ("PROFILE_REFRESH_CRON", "61 * * * *"),
        ("AWS_MAX_ATTEMPTS", "abc"),
    ],
)
def test_a_bad_setting_stops_the_load_with_one_line(name: str, value: str, tmp_path: Path) -> None:
    environ = {**os.environ, name: value, "DAGSTER_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import linkedin_assets.definitions"],
        env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"linkedin_assets.errors.ConfigurationError: {name}={value!r} ")
    # The reason is the error itself, not an exception chained beneath another one.
    assert "During handling" not in result.stderr and "direct cause" not in result.stderr


@pytest.mark.parametrize(
    ("command", "env"),
    [
        (["provision", "--check"], "prod"),
        (["add", "https://www.linkedin.com/in/ada-lovelace/"], "local"),
    ],
)
def test_the_cli_prints_a_bad_setting_as_one_line_and_exits_2(
    command: list[str], env: str, tmp_path: Path
) -> None:
    environ = {
        **os.environ, **DEPLOYED, "LINKEDIN_ASSETS_ENV": env, "DAGSTER_HOME": str(tmp_path),
        "LINKEDIN_ASSETS_DATA_DIR": str(tmp_path), "LINKEDIN_MIN_DELAY_S": "nan",
    }  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "linkedin_assets.commands.cli", *command],
        env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip() == (
        "Error: LINKEDIN_MIN_DELAY_S='nan' is not a finite number; allowed: a number from 0 to 3600"
    )
