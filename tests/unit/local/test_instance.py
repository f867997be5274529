"""local/instance.py: the local default's dagster.yaml runs on Dagster's own storage; the batching
event log is opt-in; a file this project wrote is kept up to date, one the user wrote never
touched."""

import os
from pathlib import Path

import dagster as dg
import pytest
import yaml

from linkedin_assets._compat import SqliteEventLogStorage
from linkedin_assets.errors import ConfigurationError
from linkedin_assets.local.event_store import BatchingSqliteEventLogStorage
from linkedin_assets.local.instance import (
    BATCH_SIZE_VAR,
    BATCHED_EVENT_LOG_VAR,
    DEFAULT_BATCH_SIZE,
    EVENT_STORE_CLASS,
    EVENT_STORE_MODULE,
    ensure_dagster_home,
    local_dagster_yaml,
    wants_batched_event_log,
)

# What earlier versions (and `make dev`) wrote: still ours, brought up to date.
EARLIER = "telemetry:\n  enabled: false\n"
STOCK = (
    "telemetry:\n  enabled: false\n"
    "run_launcher:\n  module: linkedin_assets.local.run_launcher\n  class: LocalRunLauncher\n"
    "run_monitoring:\n  enabled: true\n  poll_interval_seconds: 5\n  max_resume_run_attempts: 0\n"
)


def batching_config(home: Path) -> dict[str, object]:
    """What the batching dagster.yaml must say, written out here rather than computed by the
    function under test."""
    return {
        "telemetry": {"enabled": False},
        "run_launcher": {
            "module": "linkedin_assets.local.run_launcher",
            "class": "LocalRunLauncher",
        },
        "run_monitoring": {
            "enabled": True,
            "poll_interval_seconds": 5,
            "max_resume_run_attempts": 0,
        },
        "event_log_storage": {
            "module": EVENT_STORE_MODULE,
            "class": EVENT_STORE_CLASS,
            "config": {"base_dir": str(home / "history" / "runs")},
        },
    }


@pytest.fixture(autouse=True)
def no_batch_size(monkeypatch: pytest.MonkeyPatch) -> None:
    # Recorded, so that whatever a test sets is undone after it.
    monkeypatch.setenv(BATCH_SIZE_VAR, "")
    monkeypatch.delenv(BATCH_SIZE_VAR)
    monkeypatch.delenv(BATCHED_EVENT_LOG_VAR, raising=False)


def test_the_local_instance_runs_on_dagsters_own_storage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    environ = {"DAGSTER_HOME": str(tmp_path)}
    ensure_dagster_home(environ)
    assert (tmp_path / "dagster.yaml").read_text() == STOCK
    with dg.DagsterInstance.get() as instance:
        assert type(instance.event_log_storage) is SqliteEventLogStorage
    assert (tmp_path / "history" / "runs" / "index.db").exists()
    # Nothing sets Dagster's batching switch: not the setup, not the storage.
    assert BATCH_SIZE_VAR not in environ and BATCH_SIZE_VAR not in os.environ


def test_opting_in_gives_the_batching_event_log_on_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    environ = {"DAGSTER_HOME": str(tmp_path), BATCHED_EVENT_LOG_VAR: "1"}
    ensure_dagster_home(environ)
    # The setup gives the processes started with this environment Dagster's batching switch.
    assert environ[BATCH_SIZE_VAR] == DEFAULT_BATCH_SIZE
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, BatchingSqliteEventLogStorage)
    assert (tmp_path / "history" / "runs" / "index.db").exists()
    # The storage itself no longer writes to the environment.
    assert BATCH_SIZE_VAR not in os.environ


@pytest.mark.parametrize(("given", "kept"), [("0", "0"), ("250", "250"), ("  ", "1000")])
def test_an_explicit_batch_size_wins(given: str, kept: str, tmp_path: Path) -> None:
    environ = {"DAGSTER_HOME": str(tmp_path), BATCHED_EVENT_LOG_VAR: "1", BATCH_SIZE_VAR: given}
    ensure_dagster_home(environ)
    assert environ[BATCH_SIZE_VAR] == kept


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), ("0", False), ("no", False), ("1", True), (" TRUE ", True)],
)
def test_the_batching_event_log_is_opt_in(value: str | None, expected: bool) -> None:
    environ = {} if value is None else {BATCHED_EVENT_LOG_VAR: value}
    assert wants_batched_event_log(environ) is expected


def test_an_unreadable_opt_in_fails_loudly_naming_it(tmp_path: Path) -> None:
    environ = {"DAGSTER_HOME": str(tmp_path), BATCHED_EVENT_LOG_VAR: "maybe"}
    with pytest.raises(ConfigurationError, match=f"{BATCHED_EVENT_LOG_VAR}='maybe' must be"):
        ensure_dagster_home(environ)
    assert not (tmp_path / "dagster.yaml").exists()


def test_the_batching_config_names_the_batching_store() -> None:
    module = __import__(EVENT_STORE_MODULE, fromlist=[EVENT_STORE_CLASS])
    assert getattr(module, EVENT_STORE_CLASS) is BatchingSqliteEventLogStorage


def test_what_earlier_versions_wrote_gets_run_monitoring(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text(EARLIER)
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})
    assert (tmp_path / "dagster.yaml").read_text() == STOCK
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})  # and then stays
    assert (tmp_path / "dagster.yaml").read_text() == STOCK


def test_an_earlier_batching_file_gets_run_monitoring_and_keeps_its_event_log(
    tmp_path: Path,
) -> None:
    earlier = local_dagster_yaml(tmp_path, batched=True).replace(STOCK, EARLIER)
    assert "run_monitoring" not in earlier and "event_log_storage" in earlier
    (tmp_path / "dagster.yaml").write_text(earlier)
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path), BATCHED_EVENT_LOG_VAR: "1"})
    assert (tmp_path / "dagster.yaml").read_text() == local_dagster_yaml(tmp_path, batched=True)


def test_the_local_instance_monitors_runs_with_the_local_launcher(tmp_path: Path) -> None:
    from linkedin_assets.local.run_launcher import LocalRunLauncher

    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert type(instance.run_launcher) is LocalRunLauncher
        assert instance.run_launcher.supports_check_run_worker_health
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_poll_interval_seconds == 5
        assert instance.run_monitoring_max_resume_run_attempts == 0


def test_switching_the_batching_event_log_on_and_off_rewrites_our_file(tmp_path: Path) -> None:
    config = tmp_path / "dagster.yaml"
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path), BATCHED_EVENT_LOG_VAR: "1"})
    assert yaml.safe_load(config.read_text()) == batching_config(tmp_path)
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})
    assert config.read_text() == STOCK


def test_a_moved_local_home_points_at_its_new_directory(tmp_path: Path) -> None:
    config = tmp_path / "dagster.yaml"
    config.write_text(local_dagster_yaml(Path("/where/it/was"), batched=True))
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path), BATCHED_EVENT_LOG_VAR: "1"})
    assert yaml.safe_load(config.read_text()) == batching_config(tmp_path)
    assert "/where/it/was" not in config.read_text()


@pytest.mark.parametrize("batched", ["0", "1"])
def test_the_local_instance_loads_by_path_without_dagster_home(
    batched: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path), BATCHED_EVENT_LOG_VAR: batched})
    with dg.DagsterInstance.from_config(str(tmp_path)):
        pass
    assert (tmp_path / "history" / "runs" / "index.db").exists()


@pytest.mark.parametrize("batched", ["0", "1"])
def test_a_users_own_dagster_yaml_is_never_touched(batched: str, tmp_path: Path) -> None:
    own = "telemetry:\n  enabled: true\nrun_retries:\n  enabled: true\n"
    (tmp_path / "dagster.yaml").write_text(own)
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path), BATCHED_EVENT_LOG_VAR: batched})
    assert (tmp_path / "dagster.yaml").read_text() == own


@pytest.mark.parametrize(("written", "now"), [(False, "0"), (True, "1"), (True, "0"), (False, "1")])
def test_a_local_dagster_yaml_the_user_edited_is_never_touched(
    written: bool, now: str, tmp_path: Path
) -> None:
    edited = local_dagster_yaml(tmp_path, batched=written) + "run_retries:\n  enabled: true\n"
    (tmp_path / "dagster.yaml").write_text(edited)
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path), BATCHED_EVENT_LOG_VAR: now})
    assert (tmp_path / "dagster.yaml").read_text() == edited
