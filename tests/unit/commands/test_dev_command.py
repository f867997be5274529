"""`make dev` (linkedin-assets dev) and `make demo` share one dagster.yaml, written the same way."""

from pathlib import Path

import pytest

from linkedin_assets.commands.dev_command import dagster_command, dev_environ
from linkedin_assets.local.instance import ensure_dagster_home, local_dagster_yaml
from linkedin_assets.settings import apply_local_defaults


def test_dev_writes_the_local_instance_config_into_the_local_stacks_home(tmp_path: Path) -> None:
    env = dev_environ({"LINKEDIN_ASSETS_DATA_DIR": str(tmp_path)})
    home = tmp_path / "dagster_home"
    assert env["DAGSTER_HOME"] == str(home)
    assert (home / "dagster.yaml").read_text() == local_dagster_yaml(home)
    assert "run_monitoring" in (home / "dagster.yaml").read_text()
    assert (tmp_path / "inbox").is_dir()
    assert env["PROFILE_URL_SENSOR_STATUS"] == "running"


@pytest.mark.parametrize("dev_first", [True, False])
def test_dev_and_demo_leave_the_same_file_whichever_runs_first(
    dev_first: bool, tmp_path: Path
) -> None:
    def as_dev() -> None:
        dev_environ({"LINKEDIN_ASSETS_DATA_DIR": str(tmp_path)})

    def as_demo() -> None:
        # What the demo (and forget, add) do before touching the instance.
        environ = {"LINKEDIN_ASSETS_DATA_DIR": str(tmp_path)}
        apply_local_defaults(environ)
        ensure_dagster_home(environ)

    config = tmp_path / "dagster_home" / "dagster.yaml"
    first, second = (as_dev, as_demo) if dev_first else (as_demo, as_dev)
    first()
    written = config.read_text()
    second()
    assert config.read_text() == written == local_dagster_yaml(tmp_path / "dagster_home")


def test_a_set_home_and_sensor_status_win(tmp_path: Path) -> None:
    env = dev_environ(
        {"DAGSTER_HOME": str(tmp_path / "mine"), "PROFILE_URL_SENSOR_STATUS": "stopped"}
    )
    assert env["DAGSTER_HOME"] == str(tmp_path / "mine")
    assert (tmp_path / "mine" / "dagster.yaml").exists()
    assert env["PROFILE_URL_SENSOR_STATUS"] == "stopped"


def test_dagster_dev_listens_on_loopback_and_takes_extra_arguments() -> None:
    command = dagster_command(("--verbose",))
    assert Path(command[0]).name == "dagster"
    assert command[1:] == ["dev", "-h", "127.0.0.1", "-p", "3000", "--verbose"]
