import os
from pathlib import Path

import dagster as dg
import pytest

from linkedin_assets.errors import ConfigurationError
from linkedin_assets.event_store import BatchingSqliteEventLogStorage
from linkedin_assets.settings import (
    apply_local_defaults,
    current_environment,
    ensure_dagster_home,
    local_dagster_yaml,
    wants_running,
)


@pytest.mark.parametrize(
    ("value", "expected"), [(None, "local"), ("dev", "dev"), (" PROD ", "prod"), ("", "local")]
)
def test_known_environments(value: str | None, expected: str) -> None:
    environ = {} if value is None else {"LINKEDIN_ASSETS_ENV": value}
    assert current_environment(environ) == expected


@pytest.mark.parametrize("value", ["production", "test", "local2"])
def test_unknown_environment_fails_loudly_naming_it(value: str) -> None:
    with pytest.raises(ConfigurationError, match=value):
        current_environment({"LINKEDIN_ASSETS_ENV": value})


def test_local_never_keeps_the_shells_real_aws_credentials() -> None:
    environ = {
        "AWS_ACCESS_KEY_ID": "AKIAREALKEY",
        "AWS_SECRET_ACCESS_KEY": "real",
        "AWS_SESSION_TOKEN": "t",
        "AWS_PROFILE": "prod",
    }
    apply_local_defaults(environ)
    assert (
        environ["AWS_ACCESS_KEY_ID"] == "local-not-a-secret"
        and environ["AWS_SECRET_ACCESS_KEY"] == "local-not-a-secret"
    )
    assert "AWS_SESSION_TOKEN" not in environ and "AWS_PROFILE" not in environ


def test_local_defaults_do_not_override_what_is_set() -> None:
    environ = {"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "LINKEDIN_ASSETS_DATA_DIR": "/tmp/x"}
    apply_local_defaults(environ)
    assert environ["AWS_ENDPOINT_URL"] == "http://127.0.0.1:1"
    assert environ["S3_SCREENSHOT_BUCKET_NAME"] == "linkedin-assets-local"
    assert environ["DAGSTER_HOME"] == "/tmp/x/dagster_home"


@pytest.mark.parametrize(
    ("environ", "env", "expected"),
    [
        ({}, "local", False),
        ({}, "prod", True),
        ({"V": "Running"}, "local", True),
        ({"V": "stopped"}, "dev", False),
    ],
)
def test_automation_default_status(environ: dict[str, str], env: str, expected: bool) -> None:
    assert wants_running(environ, "V", env) is expected


def test_automation_status_must_be_running_or_stopped() -> None:
    with pytest.raises(ConfigurationError, match="V='paused' must be running or stopped"):
        wants_running({"V": "paused"}, "V", "local")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.9.9.9", True),
        ("::1", True),
        ("localhost", True),
        ("10.0.0.1", False),
        ("example.test", False),
        ("", False),
    ],
)
def test_loopback_rule(host: str, expected: bool) -> None:
    from linkedin_assets.loopback import is_loopback_host

    assert is_loopback_host(host) is expected


def test_local_instance_uses_the_batching_event_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    # Recorded, so that what the storage sets is undone after the test.
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "")
    monkeypatch.delenv("DAGSTER_EVENT_BATCH_SIZE")
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, BatchingSqliteEventLogStorage)
        # Same files as Dagster's default, so an instance can switch back and forth.
        assert Path(instance.event_log_storage._base_dir) == tmp_path / "history" / "runs"
    assert os.environ["DAGSTER_EVENT_BATCH_SIZE"] == "1000"


def test_earlier_local_dagster_yaml_is_brought_up_to_date(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})
    assert (tmp_path / "dagster.yaml").read_text() == local_dagster_yaml(tmp_path)


def test_a_moved_local_home_points_at_its_new_directory(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text(local_dagster_yaml(Path("/where/it/was")))
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})
    assert (tmp_path / "dagster.yaml").read_text() == local_dagster_yaml(tmp_path)


def test_the_local_instance_loads_by_path_without_dagster_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "0")
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert Path(instance.event_log_storage._base_dir) == tmp_path / "history" / "runs"


def test_a_users_own_dagster_yaml_is_never_touched(tmp_path: Path) -> None:
    own = "telemetry:\n  enabled: true\nrun_retries:\n  enabled: true\n"
    (tmp_path / "dagster.yaml").write_text(own)
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})
    assert (tmp_path / "dagster.yaml").read_text() == own


def test_a_local_dagster_yaml_the_user_edited_is_never_touched(tmp_path: Path) -> None:
    edited = local_dagster_yaml(tmp_path) + "run_retries:\n  enabled: true\n"
    (tmp_path / "dagster.yaml").write_text(edited)
    ensure_dagster_home({"DAGSTER_HOME": str(tmp_path)})
    assert (tmp_path / "dagster.yaml").read_text() == edited
