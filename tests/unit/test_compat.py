"""Guard tests for linkedin_assets._compat: each private name of Dagster, botocore or moto the
project uses still exists and behaves as we rely on. When one fails after an upgrade, the test's
name says which use to revisit (the reasons are in _compat's docstring). Also: no private name is
used outside _compat, and the plain tag strings are the ones Dagster reads."""

import inspect
import json
import re
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import dagster as dg
import pytest

from linkedin_assets import _compat
from linkedin_assets.assets.partitions import (
    PARTITION_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
    range_tags,
)

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = re.compile(
    r"\bdagster\._|\bdagster_\w+\._|moto\.\w+\._internal|\bmoto\.\w+\._|botocore\.retries\b"
    r"|\bbotocore\.\w*\._"
)


def test_no_private_name_outside_compat() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for folder in ("linkedin_assets", "tests", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name not in ("_compat.py", "test_compat.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if PRIVATE.search(line)
    ]
    assert found == []


# --- Dagster ------------------------------------------------------------------------------------


def test_check_results_take_the_target_materialization_type() -> None:
    target = _compat.AssetCheckEvaluationTargetMaterializationData(
        storage_id=7, run_id="run", timestamp=1.5
    )
    evaluation = dg.AssetCheckEvaluation(
        asset_key=dg.AssetKey("a"), check_name="c", passed=True, target_materialization_data=target
    )
    assert evaluation.target_materialization_data == target
    assert (target.storage_id, target.run_id, target.timestamp) == (7, "run", 1.5)


def test_asset_events_are_the_events_that_update_the_asset_tables() -> None:
    assert {
        dg.DagsterEventType.ASSET_MATERIALIZATION,
        dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED,
        dg.DagsterEventType.ASSET_OBSERVATION,
        dg.DagsterEventType.ASSET_FAILED_TO_MATERIALIZE,
    } <= set(_compat.ASSET_EVENTS)
    assert all(isinstance(t, dg.DagsterEventType) for t in _compat.ASSET_EVENTS)


def test_sqlite_event_log_storage_is_dagsters_default_and_has_what_we_extend(
    tmp_path: Path,
) -> None:
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        assert type(instance.event_log_storage) is _compat.SqliteEventLogStorage
    for method in (
        "store_event",
        "store_event_batch",
        "run_connection",
        "index_transaction",
        "prepare_insert_event",
        "prepare_insert_event_batch",
        "config_type",
        "from_config_value",
    ):
        assert callable(getattr(_compat.SqliteEventLogStorage, method)), method
    params = inspect.signature(_compat.SqliteEventLogStorage.__init__).parameters
    assert list(params)[:3] == ["self", "base_dir", "inst_data"]


def test_configurable_class_data_is_what_dagster_builds_storages_with(tmp_path: Path) -> None:
    data = _compat.ConfigurableClassData("m", "C", "{}\n")
    assert (data.module_name, data.class_name, data.config_dict) == ("m", "C", {})
    from linkedin_assets.local.instance import event_log_config

    overrides = {"event_log_storage": event_log_config(tmp_path / "events")}
    with dg.instance_for_test(overrides=overrides) as instance:
        built = instance.event_log_storage.inst_data
    assert isinstance(built, _compat.ConfigurableClassData)
    assert built.class_name == "BatchingSqliteEventLogStorage"


@pytest.mark.parametrize(
    ("helper", "private", "parameters"),
    [
        (
            "store_asset_event_tags",
            "_store_asset_event_tags",
            ["self", "conn", "events", "event_ids"],
        ),
        ("store_asset_event", "_store_asset_event", ["self", "conn", "event", "event_id"]),
    ],
)
def test_the_private_storage_helpers_keep_their_signature(
    helper: str, private: str, parameters: list[str]
) -> None:
    method = getattr(_compat.SqliteEventLogStorage, private)
    assert list(inspect.signature(method).parameters) == parameters
    assert list(inspect.signature(getattr(_compat, helper)).parameters) == [
        "storage",
        *parameters[1:],
    ]


def test_the_private_storage_helpers_are_called_as_named(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, tuple[Any, ...]]] = []
    for private in ("_store_asset_event_tags", "_store_asset_event"):
        monkeypatch.setattr(
            _compat.SqliteEventLogStorage,
            private,
            lambda self, *args, name=private: calls.append((name, args)),
        )
    storage = object.__new__(_compat.SqliteEventLogStorage)
    _compat.store_asset_event_tags(storage, "conn", ["e"], [1])
    _compat.store_asset_event(storage, "conn", "e", 1)  # type: ignore[arg-type]
    assert calls == [
        ("_store_asset_event_tags", ("conn", ["e"], [1])),
        ("_store_asset_event", ("conn", "e", 1)),
    ]


def test_validate_config_checks_a_configurable_class_config() -> None:
    from dagster_aws.s3.compute_log_manager import S3ComputeLogManager

    ok = _compat.validate_config(S3ComputeLogManager.config_type(), {"bucket": {"env": "B"}})
    assert ok.success and ok.value["bucket"] == {"env": "B"}  # unresolved: no variable read
    bad = _compat.validate_config(S3ComputeLogManager.config_type(), {"bucket_name": "b"})
    assert not bad.success and bad.errors


def test_dagster_instance_config_loads_and_checks_a_dagster_yaml(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    value, custom_class = _compat.dagster_instance_config(str(tmp_path), "dagster.yaml")
    assert value["telemetry"] == {"enabled": False} and custom_class is None
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  no_such_key: 1\n")
    with pytest.raises(dg.DagsterInvalidConfigError):
        _compat.dagster_instance_config(str(tmp_path), "dagster.yaml")


def test_asset_check_execution_record_status_has_succeeded() -> None:
    names = {status.name for status in _compat.AssetCheckExecutionRecordStatus}
    assert {"PLANNED", "SUCCEEDED", "FAILED"} <= names


# --- Tag names written as plain strings ---------------------------------------------------------

PARTS = dg.StaticPartitionsDefinition(["a", "b", "c", "d"])


@dg.asset(partitions_def=PARTS, backfill_policy=dg.BackfillPolicy.single_run())
def tagged(context: dg.AssetExecutionContext) -> None:
    context.log.info(",".join(context.partition_keys))


def test_the_range_tags_make_a_run_over_a_partition_range() -> None:
    result = dg.materialize([tagged], tags=range_tags("b", "c"))
    assert result.success
    done = {
        event.partition
        for event in result.get_asset_materialization_events()
        if event.partition is not None
    }
    assert done == {"b", "c"}
    assert tuple(range_tags("b", "c")) == (RANGE_START_TAG, RANGE_END_TAG)


def test_the_partition_tag_names_a_single_partition_run() -> None:
    result = dg.materialize([tagged], partition_key="d")
    assert result.dagster_run.tags[PARTITION_TAG] == "d"


# --- botocore -----------------------------------------------------------------------------------


def test_botocore_standard_retries_wait_through_exponential_backoff(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[int] = []
    asked_contexts: list[Any] = []
    original = _compat.ExponentialBackoff.delay_amount

    def recorded(self: Any, context: Any) -> float:
        asked.append(context.attempt_number)
        asked_contexts.append(context)
        return 0.0

    monkeypatch.setattr(_compat.ExponentialBackoff, "delay_amount", recorded)
    client = boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:9",  # discard port: refused at once
        region_name="us-west-2",
        aws_access_key_id="guard",
        aws_secret_access_key="guard",
        config=botocore.config.Config(
            retries={"mode": "standard", "max_attempts": 3}, connect_timeout=1
        ),
    )
    with pytest.raises(botocore.exceptions.EndpointConnectionError):
        client.list_buckets()
    assert asked[:2] == [1, 2]  # a pause asked for before each retry
    # And the original still computes a pause from the attempt number.
    context = type(asked_contexts[0])(attempt_number=3)
    assert 0 < original(_compat.ExponentialBackoff(random=lambda: 1.0), context) <= 20


# --- moto ---------------------------------------------------------------------------------------


def test_moto_records_through_record_request() -> None:
    import moto.core.utils
    from moto.moto_api import recorder

    assert type(recorder).__name__ == "Recorder"
    assert list(inspect.signature(type(recorder)._record_request).parameters) == [
        "self",
        "request",
        "body",
    ]
    assert "recorder._record_request(" in inspect.getsource(moto.core.utils)


def test_the_locked_recorder_writes_whole_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.moto_api import recorder

    recorder_class = type(recorder)
    # Restored after the test: the patch is for moto's server process.
    monkeypatch.setattr(recorder_class, "_record_request", recorder_class._record_request)
    monkeypatch.setenv("MOTO_RECORDER_FILEPATH", str(tmp_path / "recording"))
    _compat.lock_moto_recorder()
    patched = recorder_class._record_request
    _compat.lock_moto_recorder()
    assert recorder_class._record_request is patched  # idempotent: one lock, not two

    local = recorder_class()
    local.start_recording()
    request = SimpleNamespace(
        raw_path="/bucket/key", headers={"X": "1"}, method="PUT", raw_url="http://h/bucket/key"
    )
    threads = [
        threading.Thread(target=local._record_request, args=(request, bytes([n]) * 200_000))
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = (tmp_path / "recording").read_text().splitlines()
    assert len(lines) == 8
    assert all(json.loads(line)["method"] == "PUT" for line in lines)


# --- The local run launcher's health check (local/run_launcher.py) -------------------------------


def test_run_health_results_take_a_worker_status_and_a_message() -> None:
    assert {"RUNNING", "FAILED", "SUCCESS", "UNKNOWN"} <= {s.name for s in _compat.WorkerStatus}
    result = _compat.CheckRunHealthResult(_compat.WorkerStatus.FAILED, "gone", run_worker_id="7")
    assert (result.status, result.msg, result.run_worker_id) == (
        _compat.WorkerStatus.FAILED, "gone", "7"
    )  # fmt: skip


def test_a_launcher_knows_the_instance_it_was_built_for(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text(
        "run_launcher:\n  module: linkedin_assets.local.run_launcher\n  class: LocalRunLauncher\n"
    )
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert _compat.launcher_instance(instance.run_launcher) is instance
