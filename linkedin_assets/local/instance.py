"""The local default's Dagster instance: the ``dagster.yaml`` the commands write into
``DAGSTER_HOME``.

One file, whichever of ``make demo``, ``make dev`` or another command writes it first. It runs on
Dagster's own storage (SQLite in ``DAGSTER_HOME``) with telemetry off, and run monitoring on: the
daemon (``make dev``) checks every ``RUN_MONITORING_POLL_S`` seconds that each started run's
process still lives (``local/run_launcher.py``) and fails the run when it does not, so a killed
run does not stay STARTED for good (and block ``linkedin-assets forget``).
``LINKEDIN_ASSETS_BATCHED_EVENT_LOG=1`` opts in to the batching event log
(``local/event_store.py``: a run's planned events written in one transaction instead of one by
one; docs/performance.md has the figures); both use the same files, so an instance can switch back
and forth.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any, Final

import yaml

from linkedin_assets.errors import ConfigurationError

BATCHED_EVENT_LOG_VAR: Final = "LINKEDIN_ASSETS_BATCHED_EVENT_LOG"
# Dagster's own switch: events per batch handed to the event log (unset or 0: one by one).
BATCH_SIZE_VAR: Final = "DAGSTER_EVENT_BATCH_SIZE"
# Events per transaction: a 250-profile run's planned events at once, and bounded memory beyond.
DEFAULT_BATCH_SIZE: Final = "1000"
# Named, not imported: the batching store imports Dagster's storage internals, which only an
# instance that opts in should load.
EVENT_STORE_MODULE: Final = "linkedin_assets.local.event_store"
EVENT_STORE_CLASS: Final = "BatchingSqliteEventLogStorage"

RUN_LAUNCHER_MODULE: Final = "linkedin_assets.local.run_launcher"
RUN_LAUNCHER_CLASS: Final = "LocalRunLauncher"
# How often the daemon looks at started runs: a dead run is failed within about this long.
RUN_MONITORING_POLL_S: Final = 5

_ON: Final = ("1", "true", "yes", "on")
_OFF: Final = ("", "0", "false", "no", "off")
# Earlier versions wrote this, or it with the batching event log: still ours, brought up to date.
_EARLIER: Final[dict[str, Any]] = {"telemetry": {"enabled": False}}
# The stock file: telemetry off, Dagster's default storage, run monitoring on.
_STOCK: Final[dict[str, Any]] = {
    **_EARLIER,
    "run_launcher": {"module": RUN_LAUNCHER_MODULE, "class": RUN_LAUNCHER_CLASS},
    "run_monitoring": {
        "enabled": True,
        "poll_interval_seconds": RUN_MONITORING_POLL_S,
        # The local launcher cannot resume a run in a new process: a dead run is failed.
        "max_resume_run_attempts": 0,
    },
}


def wants_batched_event_log(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``LINKEDIN_ASSETS_BATCHED_EVENT_LOG`` opts in to the batching event log; anything
    but a yes or a no fails loudly, naming the variable."""
    environ = os.environ if environ is None else environ
    value = environ.get(BATCHED_EVENT_LOG_VAR, "").strip().lower()
    if value not in _ON + _OFF:
        raise ConfigurationError(
            f"{BATCHED_EVENT_LOG_VAR}={value!r} must be 1 (batching event log) or 0 (Dagster's "
            "own, the default)"
        )
    return value in _ON


def event_log_dir(home: Path) -> Path:
    """Where Dagster's default SQLite event log lives in an instance directory."""
    return home / "history" / "runs"


def event_log_config(base_dir: Path) -> dict[str, Any]:
    """The ``event_log_storage`` entry of a dagster.yaml for the batching store in ``base_dir``.
    The directory is named, so that ``DagsterInstance.from_config(path)`` works without
    ``DAGSTER_HOME``."""
    return {
        "module": EVENT_STORE_MODULE,
        "class": EVENT_STORE_CLASS,
        "config": {"base_dir": str(base_dir)},
    }


def _local_config(home: Path, batched: bool, base: Mapping[str, Any] = _STOCK) -> dict[str, Any]:
    if not batched:
        return dict(base)
    return {**base, "event_log_storage": event_log_config(event_log_dir(home))}


def local_dagster_yaml(home: Path, batched: bool = False) -> str:
    """The local default's instance in ``home``: telemetry off, Dagster's own storage, run
    monitoring on; with ``batched``, the batching event log on the same files."""
    return yaml.safe_dump(_local_config(home, batched), sort_keys=False)


def _written_by_us(text: str, home: Path) -> bool:
    """Whether ``text`` is a dagster.yaml this project wrote, now or in an earlier version (without
    run monitoring), with or without the batching event log, for this directory or one it was
    moved from."""
    try:
        found = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    if not isinstance(found, dict):
        return False
    event_log = found.get("event_log_storage")
    if isinstance(event_log, dict) and isinstance(event_log.get("config"), dict):
        event_log["config"]["base_dir"] = str(event_log_dir(home))
    return any(
        found == _local_config(home, batched, base)
        for base in (_STOCK, _EARLIER)
        for batched in (False, True)
    )


def ensure_dagster_home(environ: MutableMapping[str, str] | None = None) -> Path:
    """Give ``DAGSTER_HOME`` the local default's ``dagster.yaml`` if it has none, or one this
    project wrote that no longer fits (the batching event log switched on or off, another
    directory); a file the user wrote or edited is never touched.

    With the batching event log, ``environ`` (``os.environ`` by default: the processes this one
    starts inherit it) also gets ``DAGSTER_EVENT_BATCH_SIZE``'s default where it is unset, since
    Dagster reads it in every process that writes events; an explicit value wins (0: one by one).
    """
    environ = os.environ if environ is None else environ
    batched = wants_batched_event_log(environ)
    if batched and not environ.get(BATCH_SIZE_VAR, "").strip():
        environ[BATCH_SIZE_VAR] = DEFAULT_BATCH_SIZE
    home = Path(environ["DAGSTER_HOME"]).absolute()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    wanted = local_dagster_yaml(home, batched)
    current = config.read_text() if config.exists() else None
    if current is None or (current != wanted and _written_by_us(current, home)):
        config.write_text(wanted)
    return home
