import re
from pathlib import Path

import pytest

from linkedin_assets.core.setting_rules import FloatRange, IntRange, KeyPrefix
from linkedin_assets.errors import ConfigurationError
from linkedin_assets.settings import (
    SETTINGS,
    Cron,
    apply_local_defaults,
    current_environment,
    setting,
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
    from linkedin_assets.local.loopback import is_loopback_host

    assert is_loopback_host(host) is expected


# --- Settings checked at load (issue 13, item 9) -------------------------------------------------

BAD_SETTINGS = [
    # (variable, value, what the one-line error must say)
    ("LINKEDIN_MIN_DELAY_S", "nan", "is not a finite number; allowed: a number from 0 to 3600"),
    ("LINKEDIN_MIN_DELAY_S", "inf", "is not a finite number"),
    ("LINKEDIN_MIN_DELAY_S", "-1", "is out of range; allowed: a number from 0 to 3600"),
    ("LINKEDIN_DELAY_JITTER", "1.5", "is out of range; allowed: a number from 0 to 1"),
    (
        "PROFILE_URL_SENSOR_INTERVAL_S",
        "abc",
        "is not a whole number; allowed: a whole number from 1 to 86400",
    ),
    ("PROFILE_URL_SENSOR_INTERVAL_S", "-5", "is out of range"),
    ("PROFILE_RUN_BATCH_SIZE", "0", "is out of range; allowed: a whole number from 1 to 10000"),
    ("PROFILE_INTAKE_MAX_LINES_PER_TICK", "0", "is out of range"),
    ("AWS_MAX_ATTEMPTS", "abc", "is not a whole number"),
    ("AWS_MAX_ATTEMPTS", "2.5", "is not a whole number"),
    ("PROFILE_REFRESH_CRON", "61 * * * *", "is not a cron expression Dagster accepts"),
    ("PROFILE_REFRESH_CRON", "every night", "is not a cron expression Dagster accepts"),
    ("S3_SCREENSHOT_PREFIX", "../", "is not a usable S3 key prefix"),
    (
        "S3_PROFILE_TEXT_PREFIX",
        "extracted/",
        "is not a usable S3 key prefix: S3 prefix 'extracted/' is reserved",
    ),
    ("PROFILE_UPLOAD_WORKERS", "0", "is out of range"),
    ("LINKEDIN_MAX_CONCURRENT_PAGES", "1e3", "is not a whole number"),
    ("UPLOAD_METRICS_CLOUDWATCH_NAMESPACE", "AWS/S3", "may not start with ':' or 'AWS/'"),
    ("UPLOAD_METRICS_CLOUDWATCH_NAMESPACE", "Métriques", "is not a CloudWatch namespace"),
    ("REPORTS_RETENTION_DAYS", "0", "is out of range; allowed: a whole number from 1 to 36500"),
    ("S3_PROFILE_EVENTS_QUEUE_ARN", "my-queue", "is not an SQS queue ARN"),
    ("S3_PROFILE_EVENTS_QUEUE_ARN", "arn:aws:sns:us-west-2:123456789012:t", "is not an SQS"),
    ("S3_PROFILE_EVENTS_QUEUE_ARN", "arn:aws:sqs:us-west-2:1234:q", "is not an SQS queue ARN"),
    (
        "S3_PROFILE_EVENTS_QUEUE_ARN",
        "arn:aws:sqs:us-west-2:123456789012:q.fifo",
        "is a FIFO queue, which S3 event notifications cannot send to",
    ),
]


@pytest.mark.parametrize(("name", "value", "reason"), BAD_SETTINGS)
def test_a_bad_setting_is_one_line_naming_variable_value_and_range(
    name: str, value: str, reason: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        setting(name, {name: value})
    message = str(caught.value)
    assert message.startswith(f"{name}={value!r} {reason}")
    assert "\n" not in message
    # No chained traceback: the reason is the message, not an exception buried beneath it.
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize(("name", "value", "reason"), BAD_SETTINGS)
def test_the_definitions_refuse_to_load_with_a_bad_setting(
    name: str, value: str, reason: str
) -> None:
    from linkedin_assets.definitions import build_definitions

    environ = {"S3_SCREENSHOT_BUCKET_NAME": "b", "DYNAMODB_PROFILE_TABLE": "t", name: value}
    with pytest.raises(ConfigurationError, match=re.escape(f"{name}={value!r} {reason}")):
        build_definitions("prod", environ)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LINKEDIN_MIN_DELAY_S", " 2.5 ", 2.5),
        ("LINKEDIN_MIN_DELAY_S", "0", 0.0),
        ("LINKEDIN_DELAY_JITTER", "1", 1.0),
        ("PROFILE_RUN_BATCH_SIZE", "1", 1),
        ("PROFILE_RUN_BATCH_SIZE", "10000", 10_000),
        ("PROFILE_URL_SENSOR_INTERVAL_S", "5", 5),
        ("PROFILE_REFRESH_CRON", "0 3 * * *", "0 3 * * *"),
        ("PROFILE_REFRESH_CRON", "@daily", "@daily"),
        ("S3_SCREENSHOT_PREFIX", "shots", "shots/"),
        ("REPORTS_RETENTION_DAYS", "90", 90),
        (
            "S3_PROFILE_EVENTS_QUEUE_ARN",
            "arn:aws:sqs:eu-west-1:123456789012:profile_events-1",
            "arn:aws:sqs:eu-west-1:123456789012:profile_events-1",
        ),
        ("AWS_MAX_ATTEMPTS", "", None),  # blank: the caller's default
        ("AWS_MAX_ATTEMPTS", "   ", None),
    ],
)
def test_good_settings_are_read(name: str, value: str, expected: object) -> None:
    assert setting(name, {name: value}) == expected


def test_an_unset_setting_is_none_and_an_unknown_one_is_a_programming_error() -> None:
    assert setting("PROFILE_RUN_BATCH_SIZE", {}) is None
    with pytest.raises(KeyError, match="NOT_A_SETTING has no rule"):
        setting("NOT_A_SETTING", {"NOT_A_SETTING": "1"})


def test_a_long_or_multiline_value_stays_one_short_line() -> None:
    value = "1\n" + "x" * 5000
    with pytest.raises(ConfigurationError) as caught:
        setting("PROFILE_RUN_BATCH_SIZE", {"PROFILE_RUN_BATCH_SIZE": value})
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


def test_every_kind_of_rule_is_a_pure_check() -> None:
    assert IntRange(1, 3)("3") == 3
    assert FloatRange(0, 1)("0.5") == 0.5
    assert Cron()("*/5 * * * *") == "*/5 * * * *"
    assert KeyPrefix()("/a/b") == "a/b/"
    for rule, text in [
        (IntRange(1, 3), "4"),
        (FloatRange(0, 1), "nan"),
        (Cron(), "x"),
        (KeyPrefix(), "a/../b"),
    ]:
        with pytest.raises(ValueError):
            rule(text)


def test_every_number_the_resources_read_is_in_the_table() -> None:
    # A setting added to build_resources without a rule fails here (and at load), not in a run.
    from linkedin_assets.resources.environments import build_resources

    seen: list[str] = []

    class Recording(dict):
        def get(self, name: str, default: object = None) -> object:
            seen.append(name)
            return super().get(name, default)

    build_resources("prod", Recording(S3_SCREENSHOT_BUCKET_NAME="b", DYNAMODB_PROFILE_TABLE="t"))
    numeric = {
        n
        for n in seen
        if n.endswith(
            (
                "_S",
                "_MB",
                "_SIZE",
                "_TICK",
                "_DAYS",
                "_ATTEMPTS",
                "_PAGES",
                "_BLOCKS",
                "_JITTER",
                "_WORKERS",
                "_PREFIX",
            )
        )
    }
    assert numeric <= set(SETTINGS), numeric - set(SETTINGS)


def test_every_checked_setting_is_documented_with_its_range() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text()
    section = docs.split("## Checked at load", 1)[1].split("\n## ", 1)[0]
    assert [name for name in SETTINGS if f"`{name}`" not in section] == []


def test_local_events_go_to_the_stacks_own_queue_in_the_text_buckets_region() -> None:
    environ = {"S3_PROFILE_EVENTS_QUEUE_ARN": " ", "AWS_REGION": "eu-west-1"}
    apply_local_defaults(environ)
    assert environ["S3_PROFILE_EVENTS_QUEUE_ARN"] == (
        "arn:aws:sqs:eu-west-1:123456789012:linkedin-profile-events-local"
    )
    environ = {"S3_PROFILE_TEXT_REGION": "ap-south-1"}
    apply_local_defaults(environ)
    assert ":ap-south-1:" in environ["S3_PROFILE_EVENTS_QUEUE_ARN"]
    own = "arn:aws:sqs:us-west-2:210987654321:mine"
    environ = {"S3_PROFILE_EVENTS_QUEUE_ARN": own}
    apply_local_defaults(environ)
    assert environ["S3_PROFILE_EVENTS_QUEUE_ARN"] == own
