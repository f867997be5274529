"""Outside local, an AWS endpoint on this machine's loopback is refused unless asked for."""

import pytest

from linkedin_assets.core.endpoints import (
    check_endpoints,
    endpoint_variables,
    is_loopback_host,
    loopback_allowed,
)
from linkedin_assets.errors import ConfigurationError

DEPLOYED = {"S3_SCREENSHOT_BUCKET_NAME": "b", "DYNAMODB_PROFILE_TABLE": "t"}


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("moto.localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("s3.us-west-2.amazonaws.com", False),
        ("10.0.0.5", False),  # a private address is a real network's (a VPC endpoint, a proxy)
        ("", False),
        ("localhost.example.com", False),
    ],
)
def test_loopback_hosts(host: str, expected: bool) -> None:
    assert is_loopback_host(host) is expected


def test_every_endpoint_variable_boto3_reads_is_found_and_blank_ones_are_unset() -> None:
    environ = {
        "AWS_ENDPOINT_URL": " http://127.0.0.1:5757 ",
        "AWS_ENDPOINT_URL_S3": "http://localhost:9000",
        "AWS_ENDPOINT_URL_DYNAMODB": "",
        "AWS_REGION": "us-west-2",
    }
    assert endpoint_variables(environ) == {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:5757",
        "AWS_ENDPOINT_URL_S3": "http://localhost:9000",
    }


def test_a_loopback_endpoint_outside_local_is_refused_naming_every_variable() -> None:
    environ = {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:5757",
        "AWS_ENDPOINT_URL_DYNAMODB": "http://[::1]:8000",
        "AWS_ENDPOINT_URL_S3": "https://s3.eu-west-1.amazonaws.com",
    }
    with pytest.raises(ConfigurationError) as caught:
        check_endpoints("prod", environ)
    message = str(caught.value)
    assert "AWS_ENDPOINT_URL=http://127.0.0.1:5757" in message
    assert "AWS_ENDPOINT_URL_DYNAMODB=http://[::1]:8000" in message
    assert "AWS_ENDPOINT_URL_S3" not in message  # a real endpoint is not the problem
    assert "prod" in message and "AWS_ALLOW_LOOPBACK_ENDPOINT=1" in message


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_asking_for_a_loopback_endpoint_allows_it(value: str) -> None:
    environ = {"AWS_ENDPOINT_URL": "http://localhost:5757", "AWS_ALLOW_LOOPBACK_ENDPOINT": value}
    check_endpoints("dev", environ)  # no error
    assert loopback_allowed(environ)


@pytest.mark.parametrize("value", ["", "0", "false", "no", "off"])
def test_a_no_keeps_the_refusal(value: str) -> None:
    environ = {"AWS_ENDPOINT_URL": "http://localhost:5757", "AWS_ALLOW_LOOPBACK_ENDPOINT": value}
    with pytest.raises(ConfigurationError, match="AWS_ENDPOINT_URL=http://localhost:5757"):
        check_endpoints("dev", environ)


def test_an_unclear_opt_in_fails_naming_the_variable() -> None:
    environ = {"AWS_ENDPOINT_URL": "http://localhost:5757", "AWS_ALLOW_LOOPBACK_ENDPOINT": "maybe"}
    with pytest.raises(ConfigurationError, match=r"AWS_ALLOW_LOOPBACK_ENDPOINT='maybe' must be"):
        check_endpoints("dev", environ)


def test_a_real_endpoint_or_none_passes() -> None:
    check_endpoints("prod", {})
    check_endpoints("prod", {"AWS_ENDPOINT_URL": "https://bucket.vpce-1a2b.s3.amazonaws.com"})


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_the_code_location_refuses_to_load_a_deployed_environment_pointed_at_moto(
    env: str,
) -> None:
    from linkedin_assets.definitions import build_definitions

    environ = {**DEPLOYED, "AWS_ENDPOINT_URL": "http://127.0.0.1:5757"}
    with pytest.raises(ConfigurationError, match=rf"points {env} at this machine"):
        build_definitions(env, environ)
    allowed = {**environ, "AWS_ALLOW_LOOPBACK_ENDPOINT": "1"}
    assert build_definitions(env, allowed).resources  # loads when asked for


def test_local_keeps_its_own_loopback_endpoint() -> None:
    from linkedin_assets.definitions import build_definitions

    assert build_definitions("local", {"AWS_ENDPOINT_URL": "http://127.0.0.1:5757"}).resources
