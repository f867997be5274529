"""``linkedin-assets dev`` (``make dev``): ``dagster dev`` on the local instance.

The instance's ``dagster.yaml`` is written by ``local/instance.py``, exactly as ``make demo`` and
every other command write it, so the instance is the same whichever ran first; the intake sensor
runs unless ``PROFILE_URL_SENSOR_STATUS`` says otherwise.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from linkedin_assets.errors import ConfigurationError
from linkedin_assets.local.instance import ensure_dagster_home
from linkedin_assets.settings import local_data_dir

HOST = "127.0.0.1"
PORT = "3000"


def dev_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment ``dagster dev`` runs with: ``DAGSTER_HOME`` (default: the local stack's)
    holding the local instance's ``dagster.yaml``, the inbox folder, the intake sensor on."""
    env = dict(environ)
    if not env.get("DAGSTER_HOME", "").strip():
        env["DAGSTER_HOME"] = str(local_data_dir(env) / "dagster_home")
    env.setdefault("PROFILE_URL_SENSOR_STATUS", "running")
    ensure_dagster_home(env)
    (local_data_dir(env) / "inbox").mkdir(parents=True, exist_ok=True)
    return env


def dagster_command(args: tuple[str, ...]) -> list[str]:
    """``dagster dev`` of this virtualenv on 127.0.0.1:3000, then the caller's own arguments."""
    beside = Path(sys.executable).parent / "dagster"
    dagster = str(beside) if beside.exists() else shutil.which("dagster")
    if dagster is None:
        raise ConfigurationError(
            "no dagster command found: install the local extra (pip install "
            "'linkedin-assets[local]', or make setup), which brings dagster-webserver"
        )
    return [dagster, "dev", "-h", HOST, "-p", PORT, *args]
