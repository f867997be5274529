"""An opt-in event log for the local instance: Dagster's SQLite storage, writing a batch of asset
events in one transaction per database instead of one connection and commit per event.

The local default runs on Dagster's own storage; ``LINKEDIN_ASSETS_BATCHED_EVENT_LOG=1`` gives a
local instance this one instead (``local/instance.py``; docs/performance.md has its figures).

When Dagster creates a run it writes an ``ASSET_MATERIALIZATION_PLANNED`` event per partition per
asset (4 per profile in a batched run, 800 for 200 profiles) before the step starts. With
``DAGSTER_EVENT_BATCH_SIZE`` set, Dagster hands them to ``EventLogStorage.store_event_batch`` in
batches of that size; its SQLite storage still writes them one by one (~12 ms each here), and so
does dagster-postgres (it batches only materializations and observations). This class writes each
batch in one transaction on the run's database and one on the cross-run index, with the same rows
as ``store_event`` would write: every planned event is still stored per partition, so a failed
profile's partition still shows as failed. Everything else is Dagster's own storage.

``store_event_batch`` is the extension point Dagster provides for this; the rows are written with
the same ``SqlEventLogStorage`` helpers that dagster-postgres' own batch write uses, private by
name and so reached through ``linkedin_assets._compat``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

import dagster as dg

from linkedin_assets._compat import (
    ASSET_EVENTS,
    ConfigurableClassData,
    SqliteEventLogStorage,
    store_asset_event,
    store_asset_event_tags,
)
from linkedin_assets.errors import ConfigurationError
from linkedin_assets.local.instance import BATCH_SIZE_VAR, event_log_dir


class BatchingSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` (same files, same layout: an instance can switch back and forth)
    whose ``store_event_batch`` writes asset events in one transaction per database."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        super().__init__(base_dir, inst_data=inst_data)
        # Dagster reads its batching switch from the environment of each process that writes
        # events; the instance's setup gives it a default there (local/instance.py). A value
        # Dagster could not read would fail every event write: refused here, where it is read.
        value = os.environ.get(BATCH_SIZE_VAR, "").strip()
        if value and not value.isdigit():
            raise ConfigurationError(
                f"{BATCH_SIZE_VAR}={value!r} is not a number of events: use a whole number "
                "(0 writes events one by one)"
            )

    @classmethod
    def config_type(cls) -> dict[str, Any]:
        return {"base_dir": dg.Field(dg.StringSource, is_required=False)}

    @classmethod
    def from_config_value(  # type: ignore[override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> BatchingSqliteEventLogStorage:
        return cls(config_value.get("base_dir") or default_base_dir(), inst_data=inst_data)

    def store_event_batch(self, events: Sequence[dg.EventLogEntry]) -> None:
        # Runs of batchable events are written together; anything else (check events, failures)
        # goes through store_event, in the order Dagster gave.
        for batchable, group in groupby(events, key=_batchable):
            run = list(group)
            if batchable and len(run) > 1:
                self._store_asset_events(run)
            else:
                for event in run:
                    self.store_event(event)

    def _store_asset_events(self, events: list[dg.EventLogEntry]) -> None:
        for run_id, group in groupby(events, key=lambda event: event.run_id):
            same_run = list(group)
            with self.run_connection(run_id) as conn:
                conn.execute(self.prepare_insert_event_batch(same_run))
            # As store_event does: mirrored in the cross-run index with their tags, and the asset
            # table updated; for several events of one asset, the last one is what it keeps.
            with self.index_transaction() as conn:
                ids = [
                    conn.execute(self.prepare_insert_event(event)).inserted_primary_key[0]
                    for event in same_run
                ]
                store_asset_event_tags(self, conn, same_run, ids)
                for event, event_id in _last_per_asset(same_run, ids):
                    store_asset_event(self, conn, event, event_id)


def _batchable(event: dg.EventLogEntry) -> bool:
    dagster_event = event.dagster_event
    return (
        dagster_event is not None
        and dagster_event.event_type in ASSET_EVENTS
        and dagster_event.event_type is not dg.DagsterEventType.ASSET_FAILED_TO_MATERIALIZE
        and dagster_event.asset_key is not None
    )


def _last_per_asset(
    events: list[dg.EventLogEntry], ids: list[int]
) -> Iterator[tuple[dg.EventLogEntry, int]]:
    last: dict[dg.AssetKey, tuple[dg.EventLogEntry, int]] = {}
    for event, event_id in zip(events, ids, strict=True):
        last[event.dagster_event.asset_key] = (event, event_id)  # type: ignore[union-attr,index]
    return iter(last.values())


def default_base_dir() -> str:
    """``$DAGSTER_HOME/history/runs``, for a dagster.yaml that names no ``base_dir``."""
    home = os.environ.get("DAGSTER_HOME", "").strip()
    if not home:
        raise ConfigurationError(
            "event_log_storage BatchingSqliteEventLogStorage: no base_dir in dagster.yaml and "
            "DAGSTER_HOME is not set; set DAGSTER_HOME to the instance's directory"
        )
    return str(event_log_dir(Path(home)))
