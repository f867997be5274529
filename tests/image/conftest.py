"""The built image (make image): skipped where podman or the image is missing, unless
LINKEDIN_ASSETS_IMAGE_TESTS=1 asks for them (make image-smoke), which turns that into a failure."""

from __future__ import annotations

import os

import pytest

from tests.image.podman import REQUIRE_ENV, Podman, image_name, missing


@pytest.fixture(scope="session")
def podman() -> Podman:
    reason = missing()
    if reason is not None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {reason}")
        pytest.skip(reason)
    return Podman(image_name())
