"""The sample site over real HTTP on 127.0.0.1, and one page in real Chromium."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from linkedin_assets.local.sample_site import SampleProfile, SampleSite, load_sample_profiles
from linkedin_assets.testing.net import fetch

PROFILES = load_sample_profiles()
OK = [p for p in PROFILES if p.outcome == "ok"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def site() -> Iterator[SampleSite]:
    with SampleSite() as running:
        yield running


def _one(outcome: str) -> SampleProfile:
    return next(p for p in PROFILES if p.outcome == outcome)


def test_manifest_covers_every_outcome() -> None:
    assert {p.outcome for p in PROFILES} == {"ok", "blocked", "not_found", "rate_limited"}
    assert any(not p.has_activity_page for p in OK)
    assert any(p.profile_id.startswith("ACoAA") for p in OK)
    assert any(not p.profile_id.isascii() for p in OK)
    for p in PROFILES:
        assert unicodedata.is_normalized("NFC", p.profile_id)


@pytest.mark.parametrize("sample", OK, ids=lambda p: p.profile_id)
def test_ok_profile_and_activity(site: SampleSite, sample: SampleProfile) -> None:
    base = f"{site.base_url}/in/{quote(sample.profile_id)}"
    status, headers, body = fetch(f"{base}/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert sample.expected["name"] in body.decode("utf-8") or "&" in sample.expected["name"]
    assert fetch(base)[0] == 200  # no trailing slash
    activity_status = fetch(f"{base}/recent-activity/all/")[0]
    assert activity_status == (200 if sample.has_activity_page else 404)


def test_auth_walled_profile_redirects(site: SampleSite) -> None:
    profile_id = _one("blocked").profile_id
    status, headers, _ = fetch(f"{site.base_url}/in/{profile_id}/")
    assert status == 302
    location = headers["Location"]
    assert location.startswith("/authwall?trk=public_profile&sessionRedirect=")
    status, _, body = fetch(f"{site.base_url}{location}")
    page = body.decode("utf-8")
    assert status == 200
    assert "<title>LinkedIn Login, Sign in | LinkedIn</title>" in page
    assert 'class="login__form"' in page and 'id="password"' in page


def test_missing_and_unknown_profiles_are_404(site: SampleSite) -> None:
    for slug in (_one("not_found").profile_id, "no-such-person-anywhere"):
        status, _, body = fetch(f"{site.base_url}/in/{slug}/")
        assert status == 404
        assert b"Profile Not Found" in body and b"This page doesn't exist" in body


def test_rate_limited_profile_answers_999(site: SampleSite) -> None:
    status, _, body = fetch(f"{site.base_url}/in/{_one('rate_limited').profile_id}/")
    assert status == 999
    assert b"Request denied" in body


@pytest.mark.parametrize(
    "path", ["/", "/feed/", "/company/example/", "/in/", "/in/x/details/experience/"]
)
def test_other_paths_are_404(site: SampleSite, path: str) -> None:
    assert fetch(f"{site.base_url}{path}")[0] == 404


def test_favicon_is_a_quiet_404(site: SampleSite) -> None:
    status, _, body = fetch(f"{site.base_url}/favicon.ico")
    assert (status, body) == (404, b"")


def test_unicode_slug_resolves_encoded_raw_nfd_and_uppercase(site: SampleSite) -> None:
    slug = next(p.profile_id for p in OK if not p.profile_id.isascii())
    for variant in (slug, unicodedata.normalize("NFD", slug), slug.upper()):
        assert fetch(f"{site.base_url}/in/{quote(variant)}/?trk=x")[0] == 200, variant


def test_member_id_keeps_its_case(site: SampleSite) -> None:
    member_id = next(p.profile_id for p in OK if p.profile_id.startswith("ACoAA"))
    assert fetch(f"{site.base_url}/in/{member_id}/")[0] == 200
    assert fetch(f"{site.base_url}/in/{member_id.lower()}/")[0] == 404


def test_head_and_request_count(site: SampleSite) -> None:
    before = site.request_count
    status, headers, body = fetch(f"{site.base_url}/in/{OK[0].profile_id}/", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) > 1000
    assert site.request_count == before + 1


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.test", "::"])
def test_refuses_non_loopback_hosts(host: str) -> None:
    with pytest.raises(ValueError, match=host.replace(".", r"\.")):
        SampleSite(host=host)


def test_base_url_and_stop() -> None:
    site = SampleSite(port=0).start()
    try:
        parts = urlsplit(site.base_url)
        assert parts.hostname == "127.0.0.1" and parts.port
    finally:
        site.stop()
    with pytest.raises(RuntimeError):
        _ = site.base_url


@pytest.mark.integration
def test_profile_renders_offline_in_chromium(site: SampleSite, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    sample = next(p for p in OK if p.era == "logged_out_2023")
    url = f"{site.base_url}/in/{sample.profile_id}/"
    requested: list[str] = []
    failed: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requested.append(request.url))
            page.on("requestfailed", lambda request: failed.append(request.url))
            response = page.goto(url, wait_until="load")
            page.wait_for_load_state("networkidle")
            assert response is not None and response.status == 200
            assert page.inner_text("h1") == sample.expected["name"]
            shot = tmp_path / "profile.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert failed == []
    assert all(u.startswith(site.base_url) or u.startswith("data:") for u in requested), requested
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
