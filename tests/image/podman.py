"""Running the built image with podman the way this machine allows (docs/deployment.md): runc as
the runtime, the host's network (the local stack, the sample site and PostgreSQL are on
127.0.0.1), explicit ulimits. Every command has a deadline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

IMAGE_ENV = "LINKEDIN_ASSETS_IMAGE"
DEFAULT_IMAGE = "localhost/linkedin-assets:dev"
# Set to 1 to fail, rather than skip, when podman or the image is missing (make image-smoke).
REQUIRE_ENV = "LINKEDIN_ASSETS_IMAGE_TESTS"
ULIMITS = ("nofile=1024:20000", "nproc=4096:4096")
PODMAN = ("podman", "--runtime", "runc")


def image_name() -> str:
    return os.environ.get(IMAGE_ENV) or DEFAULT_IMAGE


def missing() -> str | None:
    """Why the image tests cannot run here, or None."""
    if shutil.which("podman") is None or shutil.which("runc") is None:
        return "podman and runc are not installed (apt-get install -y podman runc)"
    found = subprocess.run(
        [*PODMAN, "image", "exists", image_name()], capture_output=True, timeout=60, check=False
    )
    if found.returncode != 0:
        return f"no image {image_name()} (make image)"
    return None


def env_args(environ: Mapping[str, str]) -> list[str]:
    # `-e NAME` takes the value from podman's own environment: no value on its command line.
    return [arg for name in environ for arg in ("-e", name)]


@dataclass(frozen=True)
class Podman:
    image: str

    def run(
        self,
        command: Sequence[str],
        environ: Mapping[str, str] | None = None,
        *,
        timeout: float = 300,
        extra: Sequence[str] = (),
    ) -> subprocess.CompletedProcess[str]:
        """``command`` in a fresh container of the image on the host network; removed after."""
        environ = dict(environ or {})
        args = [*PODMAN, "run", "--rm", "--network", "host"]
        args += [a for u in ULIMITS for a in ("--ulimit", u)]
        args += [*env_args(environ), *extra, self.image, *command]
        return subprocess.run(
            args, env={**os.environ, **environ}, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip

    def size_bytes(self) -> int:
        out = subprocess.run(
            [*PODMAN, "image", "inspect", self.image], capture_output=True, text=True,
            timeout=60, check=True,
        ).stdout  # fmt: skip
        return int(json.loads(out)[0]["Size"])
