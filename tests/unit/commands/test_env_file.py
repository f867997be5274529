"""The commands read ./.env as `dagster dev` does, without overriding the real environment."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from linkedin_assets.commands.cli import main
from linkedin_assets.commands.env_file import load_env_file

ENV_VARS = (
    "LINKEDIN_ASSETS_ENV",
    "AWS_ENDPOINT_URL",
    "AWS_ALLOW_LOOPBACK_ENDPOINT",
    "S3_SCREENSHOT_BUCKET_NAME",
    "DYNAMODB_PROFILE_TABLE",
    "DAGSTER_HOME",
)


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A working directory of its own, and none of the variables the .env files below set: what
    the command loads into os.environ is removed again after the test."""
    for name in ENV_VARS:
        # setenv then delenv: the variable is absent during the test and restored afterwards,
        # whatever the command set in between.
        monkeypatch.setenv(name, "x")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_variable_is_loaded_only_where_the_environment_has_none(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# a comment\n"
        "S3_SCREENSHOT_BUCKET_NAME=from-file\n"
        "DYNAMODB_PROFILE_TABLE=from-file\n"
        "S3_KMS_KEY_ID=\n"  # blank, as in .env.example: unset
        "export AWS_REGION='eu-west-1'\n"
        "LINKEDIN_STORAGE_STATE\n"  # a name alone: unset
    )
    environ = {"DYNAMODB_PROFILE_TABLE": "from-shell", "LINKEDIN_ASSETS_ENV": ""}
    loaded = load_env_file(env_file, environ)
    assert loaded == ["S3_SCREENSHOT_BUCKET_NAME", "AWS_REGION"]
    assert environ == {
        "DYNAMODB_PROFILE_TABLE": "from-shell",  # the real environment wins
        "LINKEDIN_ASSETS_ENV": "",
        "S3_SCREENSHOT_BUCKET_NAME": "from-file",
        "AWS_REGION": "eu-west-1",
    }


def test_no_file_loads_nothing(tmp_path: Path) -> None:
    environ: dict[str, str] = {}
    assert load_env_file(tmp_path / ".env", environ) == [] and environ == {}


def test_the_commands_read_the_env_file_of_the_working_directory(clean_environ: Path) -> None:
    (clean_environ / ".env").write_text("LINKEDIN_ASSETS_ENV=bogus\n")
    result = CliRunner().invoke(main, ["forget", "someone", "--dry-run"])
    assert result.exit_code == 2, result.output
    assert "LINKEDIN_ASSETS_ENV='bogus' is not an environment" in result.output
    # Which variables came from the file is said, by name.
    assert "Loaded environment variables from .env: LINKEDIN_ASSETS_ENV" in result.output


def test_the_real_environment_wins_over_the_env_file(
    clean_environ: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_environ / ".env").write_text("LINKEDIN_ASSETS_ENV=bogus\n")
    monkeypatch.setenv("LINKEDIN_ASSETS_ENV", "from-the-shell")
    result = CliRunner().invoke(main, ["forget", "someone", "--dry-run"])
    assert result.exit_code == 2, result.output
    assert "LINKEDIN_ASSETS_ENV='from-the-shell' is not an environment" in result.output
    assert "bogus" not in result.output


def test_a_local_endpoint_in_env_cannot_send_prod_to_moto(clean_environ: Path) -> None:
    # The trap a .env copied from a local setup used to set: boto3 reads AWS_ENDPOINT_URL in
    # every environment.
    (clean_environ / ".env").write_text(
        "LINKEDIN_ASSETS_ENV=prod\n"
        "S3_SCREENSHOT_BUCKET_NAME=b\n"
        "DYNAMODB_PROFILE_TABLE=t\n"
        "AWS_ENDPOINT_URL=http://127.0.0.1:5757\n"
    )
    result = CliRunner().invoke(main, ["forget", "someone", "--dry-run"])
    assert result.exit_code == 2, result.output
    assert "AWS_ENDPOINT_URL=http://127.0.0.1:5757 points prod at this machine" in result.output
    assert "AWS_ALLOW_LOOPBACK_ENDPOINT=1" in result.output
