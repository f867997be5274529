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
