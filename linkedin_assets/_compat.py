"""Every private name of a dependency this project uses, and only here (STYLE #14).

A name is private when its module or attribute starts with ``_`` (``dagster._core…``,
``moto.moto_api._internal…``, ``_store_asset_event``) or when the dependency does not document it
(``botocore.retries.standard``). ``tests/unit/test_compat.py`` has a guard test per name that
fails loudly, naming it, when an upgrade moves or changes it; Dagster, botocore and moto are pinned
to the minor versions those tests ran on (``pyproject.toml``). Tag names that are plain strings
(``dagster/partition``, ``dagster/asset_partition_range_start``) are written as strings where
they are used, not imported.

Why each is needed, and the public alternative that was checked:

``AssetCheckEvaluationTargetMaterializationData`` (``assets/checks.py``)
    ties a check result to the materialization it checked; without it Dagster shows the
    partition's check as missing. ``dg.AssetCheckEvaluation(target_materialization_data=...)`` is
    public, the type of its argument is not exported.
``SqliteEventLogStorage``, ``ConfigurableClassData``, ``ASSET_EVENTS``,
``store_asset_event_tags``, ``store_asset_event`` (``local/event_store.py``, opt-in)
    the batching event log extends Dagster's SQLite storage, is built by Dagster with
    ``ConfigurableClassData``, batches the events in ``ASSET_EVENTS`` (an own list would drift from
    Dagster's) and writes their rows with the two helpers dagster-postgres' own batch write uses.
    A ``dagster.yaml`` ``event_log_storage: {module, class}`` entry and ``store_event_batch`` are
    the documented extension points; the classes and helpers are exported only under ``dagster._``.
``dagster_instance_config``, ``validate_config``, ``AssetCheckExecutionRecordStatus`` (tests only)
    Dagster's own loader of a ``dagster.yaml``, every key checked against the installed schema
    (``DagsterInstance.from_config`` would also connect to the PostgreSQL it names); the check of a
    run launcher's or compute log manager's own config against its class's schema, which the
    loader leaves to instantiation (a K8sRunLauncher would then look for a cluster); the status
    ``get_asset_check_partition_info`` reports, an enum not exported publicly.
``CheckRunHealthResult``, ``WorkerStatus``, ``launcher_instance`` (``local/run_launcher.py``)
    what a run launcher's ``check_run_worker_health`` returns, and the instance a launcher is
    attached to (``RunLauncher._instance``, which Dagster's own launchers read): the local
    launcher tells run monitoring whether a run's process lives. ``DefaultRunLauncher`` is public
    and its health-check hook documented for custom launchers; these two types and the attribute
    are not exported.
``ExponentialBackoff`` (``testing/fault_suite.py``, fault tests)
    botocore's standard-mode backoff: the fault tools shorten its ``delay_amount`` so that
    botocore's own retries (which errors, how many, its quota) run as in production without the
    waits. The ``retries`` client config sets the mode and attempts, not the pause between them.
``lock_moto_recorder`` (``local/moto_server.py``)
    moto's ``Recorder._record_request``, made to write each entry whole (below). moto offers
    recording on or off, not a thread-safe writer.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import dagster as dg
from botocore.retries.standard import ExponentialBackoff
from dagster._config import validate_config
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)
from dagster._core.events import ASSET_EVENTS
from dagster._core.instance.config import dagster_instance_config
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._serdes import ConfigurableClassData

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "ASSET_EVENTS",
    "AssetCheckEvaluationTargetMaterializationData",
    "AssetCheckExecutionRecordStatus",
    "CheckRunHealthResult",
    "ConfigurableClassData",
    "ExponentialBackoff",
    "SqliteEventLogStorage",
    "WorkerStatus",
    "dagster_instance_config",
    "launcher_instance",
    "lock_moto_recorder",
    "validate_config",
    "store_asset_event",
    "store_asset_event_tags",
]


def store_asset_event_tags(
    storage: SqliteEventLogStorage,
    conn: Connection,
    events: Sequence[dg.EventLogEntry],
    event_ids: Sequence[int],
) -> None:
    """``SqlEventLogStorage._store_asset_event_tags``: the tag rows of asset ``events``, in the
    caller's transaction (``store_event`` opens one of its own per event)."""
    storage._store_asset_event_tags(conn, events, event_ids)


def store_asset_event(
    storage: SqliteEventLogStorage, conn: Connection, event: dg.EventLogEntry, event_id: int
) -> None:
    """``SqlEventLogStorage._store_asset_event``: the asset table's row for ``event``, as
    ``store_event`` writes it, in the caller's transaction."""
    storage._store_asset_event(conn, event, event_id)


def launcher_instance(launcher: dg.DefaultRunLauncher) -> dg.DagsterInstance:
    """``RunLauncher._instance``: the instance a launcher was built for (a weak reference Dagster
    sets when it builds the instance)."""
    return launcher._instance


_RECORD_LOCK = threading.Lock()


def lock_moto_recorder() -> None:
    """Make moto's request recorder write each entry under one lock.

    ``Recorder._record_request`` appends a request to the recording with two unsynchronised
    writes, and moto's server serves requests on many threads: entries of large bodies
    interleaved and the next start's replay failed on the broken line (moto 5.2). Idempotent.
    moto is imported here, not with this module, so that only moto's server process pays for it.
    """
    from moto.moto_api._internal.recorder.models import Recorder

    record = Recorder._record_request
    if getattr(record, "_linkedin_assets_locked", False):
        return

    def record_whole(self: Recorder, request: Any, body: bytes | None = None) -> None:
        with _RECORD_LOCK:
            record(self, request, body)

    record_whole._linkedin_assets_locked = True  # type: ignore[attr-defined]
    Recorder._record_request = record_whole  # type: ignore[method-assign]
