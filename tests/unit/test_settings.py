import pytest

from linkedin_assets.errors import ConfigurationError
from linkedin_assets.settings import apply_local_defaults, current_environment, wants_running


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
