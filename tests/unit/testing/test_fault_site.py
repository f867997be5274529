"""FaultSite in front of a real SampleSite on 127.0.0.1, seen by urllib and by the project's own
Chromium session: normal profiles pass through, and each fault fails the way the pipeline must
survive (timeout, crashed tab, 10 MB page, redirect loop, HTTP 999)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from linkedin_assets.core.extraction import classify_page, extract_profile
from linkedin_assets.core.host_policy import HostPolicy
from linkedin_assets.core.profile_ids import validate_profile_id
from linkedin_assets.errors import CaptureError
from linkedin_assets.local.sample_site import SampleSite, load_sample_profiles
from linkedin_assets.resources.browser import ChromiumSession, open_browser
from linkedin_assets.testing.fault_site import (
    BOUNDARY_FAULT_IDS,
    FAULT_CRASHES_TAB,
    FAULT_HUGE_PAGE,
    FAULT_IDS,
    FAULT_NEVER_LOADS,
    FAULT_REACHES_OTHER_HOST,
    FAULT_REDIRECT_LOOP,
    FAULT_REDIRECTS_OFF_SITE,
    HUGE_PAGE_BYTES,
    FaultSite,
    StandIn,
)
from linkedin_assets.testing.net import fetch

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
TIMEOUT_S = 5.0
OK = [p for p in load_sample_profiles() if p.outcome == "ok"]
# The sites here are on loopback, as in local.
LOCAL = HostPolicy(internal_allowed=True)
NORMAL = next(p for p in OK if p.era == "logged_out_2023")


@pytest.fixture(scope="module")
def sample_site() -> Iterator[SampleSite]:
    with SampleSite() as site:
        yield site


@pytest.fixture
def fault_site(sample_site: SampleSite) -> Iterator[FaultSite]:
    with FaultSite(sample_site.base_url) as site:
        yield site


@pytest.fixture
def session() -> Iterator[ChromiumSession]:
    # One browser per test: Playwright's sync API allows one at a time per thread, and the crash
    # test needs its own with a longer timeout. A launch costs about a second.
    with open_browser(chromium_executable=CHROMIUM, timeout_s=TIMEOUT_S, policy=LOCAL) as browser:
        yield browser


def test_fault_ids_are_valid_profile_ids() -> None:
    assert set(FAULT_IDS) == {
        FAULT_NEVER_LOADS,
        FAULT_CRASHES_TAB,
        FAULT_HUGE_PAGE,
        FAULT_REDIRECT_LOOP,
    }
    for fault_id in FAULT_IDS:
        assert validate_profile_id(fault_id) == fault_id


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.test"])
def test_refuses_non_loopback_addresses(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        FaultSite(f"http://{host}:8088")
    with pytest.raises(ValueError, match="loopback"):
        FaultSite("http://127.0.0.1:8088", host=host)
    with pytest.raises(ValueError, match="other_host .* is not a loopback address"):
        FaultSite("http://127.0.0.1:8088", other_host=f"http://{host}:9")
    with pytest.raises(ValueError, match="loopback"):
        StandIn(host)


def test_boundary_faults_are_valid_profile_ids_and_distinct() -> None:
    assert len(set(BOUNDARY_FAULT_IDS) | set(FAULT_IDS)) == 9
    for fault_id in BOUNDARY_FAULT_IDS:
        assert validate_profile_id(fault_id) == fault_id


def test_redirects_off_site_points_at_the_other_host(sample_site: SampleSite) -> None:
    with FaultSite(sample_site.base_url, other_host="http://127.0.0.2:9/") as site:
        status, headers, _ = fetch(f"{site.base_url}/in/{FAULT_REDIRECTS_OFF_SITE}/")
        assert (status, headers["Location"]) == (
            302,
            f"http://127.0.0.2:9/in/{FAULT_REDIRECTS_OFF_SITE}/",
        )
        status, _, body = fetch(f"{site.base_url}/in/{FAULT_REACHES_OTHER_HOST}/")
        assert status == 200 and b'"http://127.0.0.2:9"' in body and b"Reaches Other Host" in body
        assert site.stats()["faults"] == {FAULT_REDIRECTS_OFF_SITE: 1, FAULT_REACHES_OTHER_HOST: 1}


def test_relays_everything_else_unchanged(sample_site: SampleSite, fault_site: FaultSite) -> None:
    for path in (
        f"/in/{NORMAL.profile_id}/",
        f"/in/{NORMAL.profile_id}/recent-activity/all/",
        "/in/nobody-by-this-name/",
        "/in/sigrun-hallvardsdottir/",
        "/in/quentin-marchetti/",
    ):
        direct = fetch(f"{sample_site.base_url}{path}")
        relayed = fetch(f"{fault_site.base_url}{path}")
        assert relayed[0] == direct[0], path
        assert relayed[2] == direct[2], path
        assert relayed[1].get("Location") == direct[1].get("Location"), path
    status, headers, body = fetch(f"{fault_site.base_url}/in/{NORMAL.profile_id}/", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert fault_site.stats() == {"requests": 6, "forwarded": 6, "faults": {}}


@pytest.mark.integration
def test_normal_profile_passes_through_chromium(
    fault_site: FaultSite, session: ChromiumSession
) -> None:
    capture = session.capture_profile(NORMAL.profile_id, fault_site.base_url)
    assert capture.profile.status == 200 and capture.activity is not None
    assert extract_profile(capture.profile.html)["name"] == NORMAL.expected["name"]
    assert capture.profile.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert fault_site.stats()["faults"] == {}


def test_never_loads_sends_a_partial_page_and_stop_ends_it(sample_site: SampleSite) -> None:
    site = FaultSite(sample_site.base_url).start()
    try:
        with socket.create_connection(("127.0.0.1", int(site.base_url.rsplit(":", 1)[1])), 5) as s:
            s.sendall(b"GET /in/never-loads/ HTTP/1.1\r\nHost: x\r\n\r\n")
            s.settimeout(5)
            received = b""
            while b"<h1>" not in received:
                received += s.recv(4096)
            assert received.startswith(b"HTTP/1.1 200 ")
            assert b"Transfer-Encoding: chunked" in received
            site.stop()
            # The server hangs up instead of finishing the page (a page that went on loading
            # would outlast the socket's 5 s timeout: TimeoutError).
            while chunk := s.recv(4096):
                assert b"</html>" not in chunk and not chunk.endswith(b"0\r\n\r\n")
    finally:
        site.stop()
    assert site.stats()["faults"] == {FAULT_NEVER_LOADS: 1}


@pytest.mark.integration
def test_never_loads_times_out_in_chromium(fault_site: FaultSite, session: ChromiumSession) -> None:
    # Playwright's own timeout ends it (its message names the session's TIMEOUT_S).
    with pytest.raises(PlaywrightTimeoutError, match=f"Timeout {TIMEOUT_S * 1000:.0f}ms exceeded"):
        session.capture_page(f"{fault_site.base_url}/in/{FAULT_NEVER_LOADS}/")
    with pytest.raises(CaptureError, match="Timeout") as caught:
        session.capture_profile(FAULT_NEVER_LOADS, fault_site.base_url)
    assert isinstance(caught.value.__cause__, PlaywrightTimeoutError)


@pytest.mark.integration
def test_crashed_tab_is_reported_and_the_context_carries_on(fault_site: FaultSite) -> None:
    # The crash takes 4-12 s (the renderer must fill V8's heap first): more than TIMEOUT_S.
    with open_browser(chromium_executable=CHROMIUM, timeout_s=30, policy=LOCAL) as patient:
        # A crash, not the 30 s timeout: the reason says so.
        with pytest.raises(CaptureError, match="(?i)page crashed") as caught:
            patient.capture_profile(FAULT_CRASHES_TAB, fault_site.base_url)
        assert isinstance(caught.value.__cause__, PlaywrightError)
        # The crash comes while the page loads, after its answer arrived (wait_until="commit").
        assert "page crashed" in caught.value.reason.lower()
        capture = patient.capture_profile(NORMAL.profile_id, fault_site.base_url)
    assert extract_profile(capture.profile.html)["name"] == NORMAL.expected["name"]
    assert fault_site.stats()["faults"] == {FAULT_CRASHES_TAB: 1}


@pytest.mark.integration
def test_huge_page_is_ten_megabytes_and_fails_cleanly(
    fault_site: FaultSite, session: ChromiumSession
) -> None:
    url = f"{fault_site.base_url}/in/{FAULT_HUGE_PAGE}/"
    status, _, body = fetch(url)
    assert status == 200
    assert HUGE_PAGE_BYTES - 1024 <= len(body) <= HUGE_PAGE_BYTES == 10 * 1024 * 1024
    html = body.decode("utf-8")
    assert classify_page(status, url, html).kind == "profile"
    assert "Hugo Pagewright" in html and html.count("<p>Padding line") > 60_000
    assert len(fetch(f"{url}recent-activity/all/")[2]) > HUGE_PAGE_BYTES - 1024
    # Chromium needs ~5 s to load it and ~2 s for content(), and cannot take a full-page screenshot
    # of a page 2.2 million pixels tall; however the session copes, it must fail cleanly (the
    # session's timeouts bound it; pytest-timeout ends a hang).
    try:
        capture = session.capture_profile(FAULT_HUGE_PAGE, fault_site.base_url)
    except CaptureError as exc:
        assert exc.profile_id == FAULT_HUGE_PAGE and exc.reason
    else:
        assert len(capture.profile.html) > HUGE_PAGE_BYTES - 1024
    capture = session.capture_page(f"{fault_site.base_url}/in/{NORMAL.profile_id}/")
    assert capture.status == 200


@pytest.mark.integration
def test_redirect_loop(fault_site: FaultSite, session: ChromiumSession) -> None:
    url = f"{fault_site.base_url}/in/{FAULT_REDIRECT_LOOP}/"
    status, headers, _ = fetch(url)
    assert (status, headers["Location"]) == (302, f"/in/{FAULT_REDIRECT_LOOP}/")
    with pytest.raises(PlaywrightError, match="net::ERR_TOO_MANY_REDIRECTS"):
        session.capture_page(url)
    # urllib made one request; Chromium makes 20 (its redirect limit) before it gives up.
    assert fault_site.stats()["faults"] == {FAULT_REDIRECT_LOOP: 1 + 20}


@pytest.mark.integration
def test_rate_limit_refuses_the_requests_it_was_told_to(
    fault_site: FaultSite, session: ChromiumSession
) -> None:
    fault_site.rate_limit(status=999, after=1, count=2)
    captures = [session.capture_page(f"{fault_site.base_url}/in/{p.profile_id}/") for p in OK[:4]]
    assert [c.status for c in captures] == [200, 999, 999, 200]
    verdicts = [classify_page(c.status, c.final_url, c.html).kind for c in captures]
    assert verdicts == ["profile", "rate_limited", "rate_limited", "profile"]
    assert "Request denied" in captures[1].html
    assert fault_site.stats()["faults"] == {"rate-limit:999": 2}


def test_rate_limit_429_counts_profile_pages_only(fault_site: FaultSite) -> None:
    base = f"{fault_site.base_url}/in/{NORMAL.profile_id}/"
    fault_site.rate_limit(status=429, after=0, count=1)
    assert fetch(f"{base}recent-activity/all/")[0] == 200
    status, headers, body = fetch(base)
    assert (status, headers["Retry-After"]) == (429, "1") and b"Too Many Requests" in body
    assert classify_page(status, base, body.decode()).kind == "rate_limited"
    assert fetch(base)[0] == 200
    fault_site.rate_limit(after=0, count=5)
    fault_site.clear_rate_limit()
    assert fetch(base)[0] == 200
    assert fault_site.stats() == {"requests": 4, "forwarded": 3, "faults": {"rate-limit:429": 1}}
