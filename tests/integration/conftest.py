"""Integration tier: the local stack for real (moto's server over HTTP and the sample site on
127.0.0.1, on free ports, with a throwaway data dir) and Debian's or Playwright's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkedin_assets.testing.net import free_port
from tests.integration.local_aws import running_stack

__all__ = ["free_port", "stack_environ"]


def stack_environ(data_dir: Path) -> dict[str, str]:
    return {
        "LINKEDIN_ASSETS_ENV": "local",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
        "LINKEDIN_BASE_URL": f"http://127.0.0.1:{free_port()}",
        "AWS_ACCESS_KEY_ID": "integration-key",
        "AWS_SECRET_ACCESS_KEY": "integration-secret",
        "AWS_REGION": "us-west-2",
        "S3_SCREENSHOT_BUCKET_NAME": "it-screenshots",
        "S3_PROFILE_TEXT_BUCKET_NAME": "it-screenshots",
        "DYNAMODB_PROFILE_TABLE": "it-profiles",
        "LINKEDIN_ASSETS_DATA_DIR": str(data_dir),
        "DAGSTER_HOME": str(data_dir / "dagster_home"),
    }


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A running local stack; yields the environment that points at it."""
    environ = stack_environ(tmp_path_factory.mktemp("stack"))
    with running_stack(environ):
        yield environ


@pytest.fixture(autouse=True)
def _stack_environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # The root conftest scrubs AWS variables for every test; put the stack's back.
    if "stack" in request.fixturenames:
        for name, value in request.getfixturevalue("stack").items():
            monkeypatch.setenv(name, value)
