"""The browser boundary's settings: wired per environment, refused at open when they cannot work."""

from __future__ import annotations

import pytest

from linkedin_assets.core.host_policy import DEFAULT_ALLOWED_HOSTS, HostEntry
from linkedin_assets.errors import ConfigurationError
from linkedin_assets.resources.configured import BrowserResource
from linkedin_assets.resources.environments import build_resources

DEPLOYED = {
    "S3_SCREENSHOT_BUCKET_NAME": "acme-linkedin-screenshots",
    "DYNAMODB_PROFILE_TABLE": "acme-linkedin-profiles",
}


def test_internal_addresses_are_allowed_in_local_only() -> None:
    local = build_resources("local", {})["browser"]
    assert local.internal_addresses_allowed and local.allowed_hosts == DEFAULT_ALLOWED_HOSTS
    assert local.host_policy().internal_allowed  # the sample site on 127.0.0.1 is fine
    for env in ("dev", "staging", "prod"):
        browser = build_resources(env, DEPLOYED)["browser"]
        assert not browser.internal_addresses_allowed, env
        assert browser.host_policy().allowed == (
            HostEntry("*.licdn.com"),
            HostEntry("platform.linkedin.com"),
        )
        assert (browser.max_screenshot_pixels, browser.max_screenshot_mb) == (25_000_000, 20)


def test_the_settings_arrive_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = {
        "LINKEDIN_ALLOWED_HOSTS": "static.licdn.com, media.licdn.com:443",
        "LINKEDIN_MAX_SCREENSHOT_PIXELS": "12000000",
        "LINKEDIN_MAX_SCREENSHOT_MB": "7",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    browser = build_resources("prod", {**DEPLOYED, **settings})["browser"]
    resolved = browser.process_config_and_initialize()
    assert resolved.host_policy().allowed == (
        HostEntry("static.licdn.com"),
        HostEntry("media.licdn.com", 443),
    )
    assert resolved.screenshot_caps() == (12_000_000, 7_000_000)


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8788", "http://169.254.169.254", "http://localhost:8788", "http://[::1]:80"],
)
def test_an_internal_site_is_refused_outside_local(base_url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        BrowserResource(base_url=base_url).host_policy()
    assert str(caught.value) == (
        f"LINKEDIN_BASE_URL={base_url!r} is an internal address, which the browser refuses "
        "outside local"
    )
    assert BrowserResource(base_url=base_url, internal_addresses_allowed=True).host_policy()


def test_a_site_that_is_not_an_http_url_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="LINKEDIN_BASE_URL='ftp://x' must be an http"):
        BrowserResource(base_url="ftp://x").host_policy()


def test_a_bad_allowed_host_is_refused_naming_it() -> None:
    with pytest.raises(ConfigurationError, match="LINKEDIN_ALLOWED_HOSTS: entry 'https://x.com'"):
        BrowserResource(allowed_hosts="static.licdn.com https://x.com").host_policy()


@pytest.mark.parametrize(
    ("field", "variable"),
    [
        ("max_screenshot_pixels", "LINKEDIN_MAX_SCREENSHOT_PIXELS"),
        ("max_screenshot_mb", "LINKEDIN_MAX_SCREENSHOT_MB"),
    ],
)
def test_a_screenshot_cap_below_one_is_refused_naming_it(field: str, variable: str) -> None:
    with pytest.raises(ConfigurationError, match=f"^{variable}=0 must be at least 1$"):
        BrowserResource(**{field: 0}).screenshot_caps()
