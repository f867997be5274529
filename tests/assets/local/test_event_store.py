"""The opt-in batching event log writes a run's planned events in batches, and Dagster reads back
what its own SQLite storage would have written: the same events, the same partition statuses
(failed ones included), the same latest materializations."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from linkedin_assets.errors import ConfigurationError
from linkedin_assets.local.event_store import BatchingSqliteEventLogStorage
from linkedin_assets.local.instance import BATCH_SIZE_VAR, event_log_config

KEYS = [f"p{n}" for n in range(6)]


def batching_event_log(base_dir: Path) -> dict[str, Any]:
    """Instance overrides for ``BatchingSqliteEventLogStorage`` in ``base_dir``."""
    return {"event_log_storage": event_log_config(base_dir)}


FAILING = {"p4", "p5"}
PARTITIONS = dg.StaticPartitionsDefinition(KEYS)


@dg.multi_asset(
    specs=[dg.AssetSpec("first"), dg.AssetSpec("second", deps=["first"])],
    partitions_def=PARTITIONS,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def both(context: dg.AssetExecutionContext) -> Iterator[dg.AssetMaterialization]:
    """As the pipeline does: a materialization per partition that succeeds, then the step fails."""
    for key in context.partition_keys:
        if key not in FAILING:
            for asset in ("first", "second"):
                yield dg.AssetMaterialization(asset, partition=key, metadata={"n": int(key[1:])})
    raise RuntimeError(f"{len(FAILING)} partitions failed")


JOB = dg.define_asset_job("both_job", selection=[both], partitions_def=PARTITIONS)
DEFS = dg.Definitions(assets=[both], jobs=[JOB])


def run_all(instance: dg.DagsterInstance) -> dict[str, Any]:
    """One run over every partition; what Dagster reads back afterwards."""
    result = DEFS.resolve_job_def("both_job").execute_in_process(
        instance=instance,
        tags={"dagster/asset_partition_range_start": KEYS[0], "dagster/asset_partition_range_end": KEYS[-1]},
        raise_on_error=False,
    )  # fmt: skip
    planned = [
        (entry.dagster_event.asset_key, entry.dagster_event.partition)
        for entry in instance.all_logs(result.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED)
    ]  # fmt: skip
    seen: dict[str, Any] = {"success": result.success, "planned": sorted(planned, key=str)}
    for asset in ("first", "second"):
        key = dg.AssetKey(asset)
        seen[asset] = {
            "status": instance.get_status_by_partition(key, KEYS, PARTITIONS),
            "materialized": instance.get_materialized_partitions(key),
            "latest": {pid: latest_n(instance, key, pid) for pid in KEYS},
        }
    return seen


def latest_n(instance: dg.DagsterInstance, key: dg.AssetKey, pid: str) -> int | None:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=key, asset_partitions=[pid]), limit=1
    ).records
    materialization = records[0].asset_materialization if records else None
    return materialization.metadata["n"].value if materialization else None  # type: ignore[return-value]


def test_batched_planned_events_read_back_as_dagster_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BATCH_SIZE_VAR, "1000")
    batches: list[int] = []
    original = BatchingSqliteEventLogStorage._store_asset_events

    def counted(self: BatchingSqliteEventLogStorage, events: list[dg.EventLogEntry]) -> None:
        batches.append(len(events))
        original(self, events)

    monkeypatch.setattr(BatchingSqliteEventLogStorage, "_store_asset_events", counted)
    with dg.instance_for_test(overrides=batching_event_log(tmp_path / "events")) as instance:
        batched = run_all(instance)
    with dg.instance_for_test() as instance:
        dagsters_own = run_all(instance)

    # All 12 planned events (6 partitions x 2 assets) went in one batch.
    assert batches == [12]
    assert batched == dagsters_own
    status = batched["second"]["status"]
    assert {
        pid for pid, value in status.items() if value == dg.AssetPartitionStatus.FAILED
    } == FAILING
    assert batched["first"]["latest"] == {
        "p0": 0,
        "p1": 1,
        "p2": 2,
        "p3": 3,
        "p4": None,
        "p5": None,
    }
    assert len(batched["planned"]) == 12


def test_without_the_batch_size_events_are_written_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BATCH_SIZE_VAR, "0")
    batches: list[int] = []
    monkeypatch.setattr(
        BatchingSqliteEventLogStorage,
        "_store_asset_events",
        lambda self, events: batches.append(len(events)),
    )
    with dg.instance_for_test(overrides=batching_event_log(tmp_path / "events")) as instance:
        seen = run_all(instance)
    assert batches == []
    assert len(seen["planned"]) == 12


def test_default_directory_needs_dagster_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    with pytest.raises(ConfigurationError, match="DAGSTER_HOME is not set"):
        BatchingSqliteEventLogStorage.from_config_value(None, {})


def test_default_directory_is_dagsters_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv(BATCH_SIZE_VAR, "0")
    BatchingSqliteEventLogStorage.from_config_value(None, {})
    assert (tmp_path / "history" / "runs" / "index.db").exists()


@pytest.mark.parametrize("value", ["", "  ", None])
def test_the_storage_leaves_the_environment_alone(
    value: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The batch size's default is given where the instance is set up (local/instance.py).
    monkeypatch.setenv(BATCH_SIZE_VAR, value or "")
    if value is None:
        monkeypatch.delenv(BATCH_SIZE_VAR)
    before = dict(os.environ)
    BatchingSqliteEventLogStorage(str(tmp_path))
    assert dict(os.environ) == before


@pytest.mark.parametrize("value", ["ten", "-5", "1e3"])
def test_a_batch_size_dagster_cannot_read_is_refused_naming_it(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BATCH_SIZE_VAR, value)
    with pytest.raises(ConfigurationError, match=f"DAGSTER_EVENT_BATCH_SIZE={value!r} is not"):
        BatchingSqliteEventLogStorage(str(tmp_path))
