"""The resources of each environment come from one dict; what sets them apart is visible there."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from linkedin_assets.errors import ConfigurationError
from linkedin_assets.resources.environments import (
    DEPLOYED_REQUIRED,
    ENVIRONMENTS,
    REAL_SITE_POLITENESS,
    SAMPLE_SITE_POLITENESS,
    build_resources,
    resources_of,
)
from linkedin_assets.settings import ENVIRONMENTS as ENVIRONMENT_NAMES

PACKAGE = Path(__file__).parents[2] / "linkedin_assets"
DEPLOYED = dict.fromkeys(DEPLOYED_REQUIRED, "x")


def test_every_environment_the_variable_accepts_has_its_entry() -> None:
    assert tuple(ENVIRONMENTS) == ENVIRONMENT_NAMES


def test_an_unknown_environment_is_refused_naming_it() -> None:
    with pytest.raises(ConfigurationError, match=r"^'production' is not an environment"):
        build_resources("production", {})


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_each_environment_is_built_from_its_own_entry(env: str) -> None:
    entry = ENVIRONMENTS[env]
    resources = build_resources(env, DEPLOYED)
    browser = resources["browser"]
    assert (browser.max_concurrent_pages, browser.min_delay_s, browser.block_backoff_s) == (
        entry.politeness.max_concurrent_pages,
        entry.politeness.min_delay_s,
        entry.politeness.block_backoff_s,
    )
    assert browser.internal_addresses_allowed == entry.internal_addresses_allowed
    assert (resources["automation"].inbox is not None) == entry.local_inbox
    assert (resources["profile_storage"].aws.endpoint_url is not None) == entry.local_aws


def test_local_is_fast_and_deployed_environments_are_polite() -> None:
    assert ENVIRONMENTS["local"].politeness == SAMPLE_SITE_POLITENESS
    for env in ("staging", "prod"):
        assert ENVIRONMENTS[env].politeness == REAL_SITE_POLITENESS, env
    assert REAL_SITE_POLITENESS.min_delay_s > 0 and REAL_SITE_POLITENESS.max_concurrent_pages
    # dev is gentler still: one page at a time, further apart, a longer pause after a block.
    dev = ENVIRONMENTS["dev"].politeness
    assert dev.max_concurrent_pages == 1 < (REAL_SITE_POLITENESS.max_concurrent_pages or 0)
    assert dev.min_delay_s > REAL_SITE_POLITENESS.min_delay_s
    assert dev.block_backoff_s > REAL_SITE_POLITENESS.block_backoff_s
    # staging rehearses prod: the same entry.
    assert ENVIRONMENTS["staging"] == ENVIRONMENTS["prod"]


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_required_variable_left_unset_is_named_in_one_error_at_load(env: str) -> None:
    # One error naming them all: the UI shows the whole list, not one name per failed launch.
    with pytest.raises(ConfigurationError) as raised:
        build_resources(env, {"DYNAMODB_PROFILE_TABLE": "  "})  # blank counts as unset
    assert str(raised.value).startswith(
        "required variables not set: S3_SCREENSHOT_BUCKET_NAME, DYNAMODB_PROFILE_TABLE"
    )
    with pytest.raises(ConfigurationError, match=r"not set: DYNAMODB_PROFILE_TABLE \("):
        build_resources(env, {"S3_SCREENSHOT_BUCKET_NAME": "b"})


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_a_required_variable_that_is_set_is_wired_by_name(env: str) -> None:
    resources = build_resources(env, DEPLOYED)
    for name, value in [
        ("S3_SCREENSHOT_BUCKET_NAME", resources["profile_storage"].screenshot_bucket),
        ("DYNAMODB_PROFILE_TABLE", resources["profile_index_store"].table),
    ]:
        assert type(value).__name__ == "EnvVar" and value == name


def test_local_requires_nothing_its_defaults_do_not_give() -> None:
    assert build_resources("local", {})["profile_index_store"].table == "linkedin-profiles-local"


def test_a_required_kms_key_would_turn_sse_kms_on_and_be_refused_when_unset() -> None:
    # The mechanism an environment would use to require KMS: the key joins its required names.
    strict = replace(ENVIRONMENTS["prod"], required=(*DEPLOYED_REQUIRED, "S3_KMS_KEY_ID"))
    storage = resources_of(strict, {**DEPLOYED, "S3_KMS_KEY_ID": "k"})["profile_storage"]
    assert storage.sse_algorithm == "aws:kms" and storage.kms_key_id == "S3_KMS_KEY_ID"
    with pytest.raises(ConfigurationError, match=r"not set: S3_KMS_KEY_ID \("):
        resources_of(strict, DEPLOYED)


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_module_imports_the_code_location_at_import() -> None:
    # Importing definitions builds the whole code location; commands take resources instead.
    importers = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "definitions.py"
        and "linkedin_assets.definitions" in _top_level_imports(path)
    ]
    assert importers == []


# --- Every variable reaches its field; unset, the documented default applies (issue 18) --------

# (variable, resource, field, a valid value): wired by name, as ``dg.EnvVar`` or ``EnvVar.int``.
WIRED = [
    ("CHROMIUM_EXECUTABLE", "browser", "chromium_executable", "/usr/bin/chromium"),
    ("LINKEDIN_STORAGE_STATE", "browser", "storage_state_path", "/secrets/state.json"),
    ("LINKEDIN_BASE_URL", "browser", "base_url", "https://example.com"),
    ("LINKEDIN_BASE_URL", "automation", "base_url", "https://example.com"),
    ("LINKEDIN_NAVIGATION_TIMEOUT_S", "browser", "navigation_timeout_s", "12"),
    ("LINKEDIN_MAX_PAGE_MB", "browser", "max_page_mb", "9"),
    ("LINKEDIN_MAX_CONSECUTIVE_BLOCKS", "browser", "max_consecutive_blocks", "4"),
    ("LINKEDIN_BLOCK_BACKOFF_S", "browser", "block_backoff_s", "5"),
    ("LINKEDIN_MAX_CONCURRENT_PAGES", "browser", "max_concurrent_pages", "3"),
    ("LINKEDIN_ALLOWED_HOSTS", "browser", "allowed_hosts", "none"),
    ("LINKEDIN_MAX_SCREENSHOT_PIXELS", "browser", "max_screenshot_pixels", "1000"),
    ("LINKEDIN_MAX_SCREENSHOT_MB", "browser", "max_screenshot_mb", "3"),
    ("S3_SCREENSHOT_PREFIX", "profile_storage", "screenshot_prefix", "shots/"),
    ("S3_PROFILE_TEXT_BUCKET_NAME", "profile_storage", "profile_text_bucket", "texts"),
    ("S3_PROFILE_TEXT_PREFIX", "profile_storage", "profile_text_prefix", "docs/"),
    ("S3_PROFILE_TEXT_REGION", "profile_storage", "profile_text_region", "eu-west-1"),
    ("S3_KMS_KEY_ID", "profile_storage", "kms_key_id", "key-1"),
    ("PROFILE_UPLOAD_WORKERS", "profile_storage", "workers", "4"),
    ("PROFILE_STORAGE_RETRY_ROUNDS", "profile_storage", "retry_rounds", "3"),
    ("UPLOAD_METRICS_CLOUDWATCH_NAMESPACE", "profile_storage", "metrics_namespace", "ns"),
    ("PROFILE_URL_INBOX", "automation", "inbox", "s3://inbox-bucket/in/"),
    ("PROFILE_RUN_BATCH_SIZE", "automation", "batch_size", "20"),
    ("PROFILE_INTAKE_MAX_LINES_PER_TICK", "automation", "max_lines_per_tick", "100"),
    ("PROFILE_REFRESH_MAX_AGE_DAYS", "automation", "refresh_max_age_days", "9"),
    ("PROFILE_REFRESH_MAX_PROFILES_PER_TICK", "automation", "refresh_max_profiles_per_tick", "9"),
    ("PROFILE_NOT_FOUND_RETRY_DAYS", "automation", "not_found_retry_days", "9"),
    ("PROFILE_AUTH_WALL_RETRY_DAYS", "automation", "auth_wall_retry_days", "9"),
]
# (variable, resource, field, value, as read): fractions, which Dagster's EnvVar cannot carry.
READ = [
    ("LINKEDIN_MIN_DELAY_S", "browser", "min_delay_s", "1.5", 1.5),
    ("LINKEDIN_DELAY_JITTER", "browser", "delay_jitter", "0.25", 0.25),
    ("PROFILE_STORAGE_RETRY_PAUSE_S", "profile_storage", "retry_pause_s", "0.5", 0.5),
    ("PROFILE_STORAGE_RETRY_MAX_S", "profile_storage", "retry_max_s", "20", 20.0),
    ("PROFILE_STORAGE_SLOWDOWN_S", "profile_storage", "slowdown_s", "3", 3.0),
    ("PROFILE_INTAKE_STABLE_AFTER_S", "automation", "stable_after_s", "5", 5.0),
]


@pytest.mark.parametrize(("name", "resource", "field", "value"), WIRED)
def test_a_set_variable_is_wired_by_name_into_its_field(
    name: str, resource: str, field: str, value: str
) -> None:
    wired = getattr(build_resources("prod", {**DEPLOYED, name: value})[resource], field)
    # EnvVar is a str holding the name; EnvVar.int an int that carries it as ``name``.
    assert type(wired).__name__ in ("EnvVar", "IntEnvVar")
    assert (wired.name if type(wired).__name__ == "IntEnvVar" else wired) == name


@pytest.mark.parametrize(("name", "resource", "field", "value", "read"), READ)
def test_a_set_fraction_is_read_into_its_field(
    name: str, resource: str, field: str, value: str, read: float
) -> None:
    assert getattr(build_resources("prod", {**DEPLOYED, name: value})[resource], field) == read


# What an unset variable leaves in prod (docs/configuration.md gives each default).
PROD_DEFAULTS = {
    "browser": {
        "chromium_executable": None, "storage_state_path": None,
        "base_url": "https://www.linkedin.com", "navigation_timeout_s": 30, "max_page_mb": 8,
        "max_consecutive_blocks": 3, "block_backoff_s": 30, "max_concurrent_pages": 2,
        "min_delay_s": 2.0, "delay_jitter": 0.5,
        "allowed_hosts": "*.licdn.com,platform.linkedin.com", "internal_addresses_allowed": False,
        "max_screenshot_pixels": 25_000_000, "max_screenshot_mb": 20,
    },
    "profile_storage": {
        "screenshot_prefix": "screenshots/", "profile_text_bucket": None,
        "profile_text_prefix": "profiles/", "profile_text_region": None,
        "sse_algorithm": "AES256", "kms_key_id": None, "workers": 8, "retry_rounds": 6,
        "retry_pause_s": 2.0, "retry_max_s": 300.0, "slowdown_s": 10.0, "metrics_namespace": None,
    },
    "automation": {
        "inbox": None, "base_url": "https://www.linkedin.com", "batch_size": 200,
        "max_lines_per_tick": 50_000, "stable_after_s": 60.0, "refresh_max_age_days": 30,
        "refresh_max_profiles_per_tick": 2_000, "not_found_retry_days": 30,
        "auth_wall_retry_days": 7,
    },
}  # fmt: skip


def test_unset_variables_leave_the_documented_defaults() -> None:
    resources = build_resources("prod", DEPLOYED)
    for resource, defaults in PROD_DEFAULTS.items():
        found = {field: getattr(resources[resource], field) for field in defaults}
        assert found == defaults, resource
    aws = resources["profile_storage"].aws
    assert (aws.region_name, aws.endpoint_url, aws.max_attempts) == ("us-west-2", None, 10)
    assert (aws.aws_access_key_id, aws.aws_secret_access_key, aws.aws_session_token) == (
        None, None, None)  # fmt: skip
    # One settings object for every client that reaches AWS.
    assert resources["profile_index_store"].aws is aws and resources["automation"].aws is aws


def test_the_region_and_attempts_are_read_and_local_wires_the_stacks_endpoint() -> None:
    prod = build_resources("prod", {**DEPLOYED, "AWS_DEFAULT_REGION": "eu-central-1",
                                    "AWS_MAX_ATTEMPTS": "3"})["profile_storage"].aws  # fmt: skip
    # By name, as everything else: the first of AWS_REGION and AWS_DEFAULT_REGION that is set.
    assert prod.region_name == "AWS_DEFAULT_REGION" and prod.max_attempts.name == "AWS_MAX_ATTEMPTS"
    both = {**DEPLOYED, "AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "eu-central-1"}
    assert build_resources("prod", both)["profile_storage"].aws.region_name == "AWS_REGION"
    local = build_resources("local", {})["profile_storage"].aws
    assert (local.endpoint_url, local.aws_access_key_id, local.aws_secret_access_key) == (
        "http://127.0.0.1:5757", "local-not-a-secret", "local-not-a-secret")  # fmt: skip
    assert local.aws_session_token is None
    wired = build_resources("local", {"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert wired["profile_storage"].aws.endpoint_url == "AWS_ENDPOINT_URL"


def test_a_local_inbox_is_the_stacks_inbox_folder(tmp_path: Path) -> None:
    inbox = build_resources("local", {"LINKEDIN_ASSETS_DATA_DIR": str(tmp_path)})[
        "automation"
    ].inbox
    assert inbox == str(tmp_path / "inbox")


def test_the_unknown_environment_error_lists_every_choice() -> None:
    with pytest.raises(ConfigurationError) as raised:
        build_resources("production", {})
    assert str(raised.value) == (
        "'production' is not an environment of this project; choose one of local, dev, staging, prod"
    )


def test_the_missing_variables_error_says_where_they_are_listed() -> None:
    with pytest.raises(ConfigurationError) as raised:
        build_resources("prod", {})
    assert str(raised.value) == (
        "required variables not set: S3_SCREENSHOT_BUCKET_NAME, DYNAMODB_PROFILE_TABLE "
        "(docs/configuration.md lists what each environment needs)"
    )
