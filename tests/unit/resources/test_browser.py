"""ChromiumSession's own logic on an async fake of Playwright's context: politeness pacing (on a
fake clock), page slots, page reuse, the ``_call`` timeout; ``find_chromium``; the storage-state
file check. The real browser's behaviour is the integration tier's (test_browser_boundary.py)."""

from __future__ import annotations

import asyncio
import math
import os
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Error as PlaywrightError

from linkedin_assets.core.host_policy import DEFAULT_ALLOWED_HOSTS, HostPolicy, parse_allowed_hosts
from linkedin_assets.errors import (
    AuthWall,
    CaptureError,
    ConfigurationError,
    ProfileBlocked,
    ProfileNotFound,
    RateLimited,
    SessionExpired,
)
from linkedin_assets.resources.browser import (
    CHROMIUM_NAMES,
    ChromiumSession,
    PageCapture,
    PageTooLarge,
    ScreenshotTooLarge,
    _short,
    _Visit,
    activity_url,
    default_max_pages,
    find_chromium,
    open_browser,
)

SITE = "http://127.0.0.1:9"
HTML = "<html><head><title>Ada</title></head><body><h1>Ada</h1></body></html>"
PNG = b"\x89PNG\r\n\x1a\n"


class FakeResponse:
    def __init__(self, status: int, length: int = len(HTML)) -> None:
        self.status = status
        self.length = length

    async def header_value(self, name: str) -> str | None:
        return str(self.length) if name.lower() == "content-length" else None


class FakePage:
    """The part of Playwright's async ``Page`` the session uses."""

    def __init__(self, context: FakeContext) -> None:
        self.context = context
        self.url = "about:blank"
        self.viewport_size = {"width": 1280, "height": 900}
        self.closed = False
        self.closes_dropped = 0  # closes Chromium acknowledges and drops (a close racing a commit)
        self.closed_event = asyncio.Event()
        self.loads = 0
        self.read = 0  # times the rendered document was read

    def on(self, event: str, handler: Any) -> None:
        pass

    async def goto(self, url: str, wait_until: str, timeout: float) -> FakeResponse:
        self.loads += 1
        await self.context.on_goto(self, url)
        self.url = self.context.moves.get(url, url)
        status = self.context.statuses.get(url, 200)
        return FakeResponse(status, self.context.declared.get(url, len(HTML)))

    async def wait_for_load_state(self, state: str, timeout: float) -> None:
        pass

    async def content(self) -> str:
        self.read += 1
        return self.context.html.get(self.url, HTML)

    async def screenshot(self, **_: Any) -> bytes:
        return PNG

    def is_closed(self) -> bool:
        return self.closed

    async def close(self) -> None:
        if self.closes_dropped:
            self.closes_dropped -= 1
            await self.closed_event.wait()  # as Playwright does: until the target is gone
        self.shut()

    def shut(self) -> None:
        self.closed = True
        self.closed_event.set()


class FakeCdp:
    def __init__(self, page: FakePage) -> None:
        self.page = page

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.page.context.cdp_sent.append(method)
        if method == "Target.getTargetInfo":
            return {"targetInfo": {"targetId": f"target-{id(self.page)}"}}
        if method == "Target.closeTarget":
            assert params == {"targetId": f"target-{id(self.page)}"}
            if self.page.closes_dropped:  # dropped again
                self.page.closes_dropped -= 1
            else:
                self.page.shut()
            return {"success": True}
        assert method == "Page.getLayoutMetrics"
        width, height = self.page.context.content_size
        return {"cssContentSize": {"width": width, "height": height}}

    async def detach(self) -> None:
        pass


class FakeContext:
    """An async fake of Playwright's ``BrowserContext``: pages, and a hook on every page load."""

    def __init__(self) -> None:
        self.pages: list[FakePage] = []
        self.failing: set[str] = set()  # URLs whose load fails (a Playwright error)
        self.declared: dict[str, int] = {}  # URLs whose answer declares another Content-Length
        self.gate: asyncio.Event | None = None  # when set, loads wait for it
        self.in_goto = 0
        self.peak_in_goto = 0
        self.cdp_sent: list[str] = []
        self.statuses: dict[str, int] = {}  # URLs answered with another status than 200
        self.moves: dict[str, str] = {}  # URLs whose load ends on another URL (a redirect)
        self.html: dict[str, str] = {}  # final URLs whose document is not HTML
        self.content_size: tuple[float, float] = (1280, 2000)  # the laid-out page, CSS pixels
        self.routed: list[tuple[str, Any]] = []
        self.socket_routes: list[tuple[Any, Any]] = []
        self.handlers: list[tuple[str, Any]] = []

    async def new_page(self) -> FakePage:
        page = FakePage(self)
        self.pages.append(page)
        return page

    async def new_cdp_session(self, page: FakePage) -> FakeCdp:
        return FakeCdp(page)

    async def route(self, pattern: str, handler: Any) -> None:
        self.routed.append((pattern, handler))

    async def route_web_socket(self, matcher: Any, handler: Any) -> None:
        self.socket_routes.append((matcher, handler))

    def on(self, event: str, handler: Any) -> None:
        self.handlers.append((event, handler))

    async def on_goto(self, page: FakePage, url: str) -> None:
        self.in_goto += 1
        self.peak_in_goto = max(self.peak_in_goto, self.in_goto)
        try:
            if self.gate is not None:
                await self.gate.wait()
            if url in self.failing:
                raise PlaywrightError(f"net::ERR_CONNECTION_RESET at {url}\nCall log: ...")
        finally:
            self.in_goto -= 1


class FakeClock:
    """The session's monotonic clock; it moves only when the session pauses on it."""

    def __init__(self) -> None:
        self.now = 500.0
        self.pauses: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop on its own thread, as open_browser runs Playwright."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def session(
    loop: asyncio.AbstractEventLoop, context: FakeContext, **kwargs: Any
) -> ChromiumSession:
    return ChromiumSession(loop, context, timeout_s=5, **kwargs)  # type: ignore[arg-type]


def url(n: int) -> str:
    return f"{SITE}/in/person-{n}/"


# --- pacing -------------------------------------------------------------------------------------


def test_page_loads_start_the_minimum_delay_apart(loop: asyncio.AbstractEventLoop) -> None:
    clock = FakeClock()
    browser = session(loop, FakeContext(), min_delay_s=2.0, clock=clock, sleep=clock.sleep)
    browser.capture_page(url(1))  # the first load does not wait
    assert clock.pauses == []
    browser.capture_page(url(2))
    clock.now += 0.5  # time the caller spent elsewhere counts towards the delay
    browser.capture_page(url(3))
    clock.now += 5  # longer than the delay: nothing owed
    browser.capture_page(url(4))
    assert clock.pauses == [2.0, 1.5]


def test_jitter_spreads_the_delay_within_its_bounds(loop: asyncio.AbstractEventLoop) -> None:
    clock = FakeClock()
    browser = session(
        loop, FakeContext(), min_delay_s=2.0, jitter=0.5, clock=clock, sleep=clock.sleep
    )
    for n in range(12):
        browser.capture_page(url(n))
    assert len(clock.pauses) == 11
    assert all(1.0 <= pause <= 3.0 for pause in clock.pauses)
    assert len(set(clock.pauses)) > 1  # spread, not one fixed delay


def test_no_delay_means_no_pause(loop: asyncio.AbstractEventLoop) -> None:
    clock = FakeClock()
    browser = session(loop, FakeContext(), clock=clock, sleep=clock.sleep)
    for n in range(3):
        browser.capture_page(url(n))
    assert clock.pauses == []


# --- slots and page reuse -------------------------------------------------------------------------


def test_at_most_max_pages_load_at_once(loop: asyncio.AbstractEventLoop) -> None:
    context = FakeContext()
    browser = session(loop, context, max_pages=2)

    async def close_gate() -> None:
        context.gate = asyncio.Event()

    asyncio.run_coroutine_threadsafe(close_gate(), loop).result(10)
    results: list[Any] = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(browser.capture_page(url(n))))
        for n in range(5)
    ]
    for thread in threads:
        thread.start()

    async def two_loading() -> None:
        while context.in_goto < 2:
            await asyncio.sleep(0)  # yields to the loads in progress; no time passes by design
        assert context.gate is not None
        context.gate.set()

    asyncio.run_coroutine_threadsafe(two_loading(), loop).result(30)
    for thread in threads:
        thread.join(30)
    assert len(results) == 5
    assert context.peak_in_goto == 2 and browser.peak_pages_open == 2
    assert browser.pages_open == 0
    assert len(context.pages) == 2  # two pages, each reused


def test_a_page_is_reused_and_one_that_failed_is_closed(loop: asyncio.AbstractEventLoop) -> None:
    context = FakeContext()
    context.failing.add(url(2))
    browser = session(loop, context)
    browser.capture_page(url(1))
    browser.capture_page(url(1))
    assert len(context.pages) == 1 and context.pages[0].loads == 2  # one renderer for both
    with pytest.raises(PlaywrightError, match="ERR_CONNECTION_RESET"):
        browser.capture_page(url(2))
    assert context.pages[0].closed  # a page that failed is never reused
    capture = browser.capture_page(url(3))
    assert len(context.pages) == 2 and not context.pages[1].closed
    assert capture.final_url == url(3) and capture.status == 200


def test_a_page_that_declares_itself_too_large_is_refused_before_it_is_read(
    loop: asyncio.AbstractEventLoop,
) -> None:
    context = FakeContext()
    context.declared[url(1)] = 9_000_000
    browser = session(loop, context, max_page_bytes=8_000_000)
    with pytest.raises(PageTooLarge, match="page is 9.0 MB, over the 8 MB limit"):
        browser.capture_page(url(1))
    assert context.pages[0].read == 0 and context.pages[0].closed
    context.declared[url(2)] = 8_000_000  # at the limit: loaded as usual
    assert browser.capture_page(url(2)).status == 200


def test_a_failed_profile_load_is_a_capture_error_with_its_first_line(
    loop: asyncio.AbstractEventLoop,
) -> None:
    context = FakeContext()
    context.failing.add(f"{SITE}/in/ada/")
    with pytest.raises(CaptureError) as raised:
        session(loop, context).capture_profile("ada", SITE)
    assert raised.value.reason == f"net::ERR_CONNECTION_RESET at {SITE}/in/ada/"


def test_a_close_chromium_drops_is_asked_again_over_cdp(loop: asyncio.AbstractEventLoop) -> None:
    context = FakeContext()
    context.failing.add(url(1))
    # How long a close may take is the behaviour under test: a short wait, so the test waits 0.05 s.
    browser = session(loop, context, close_wait_s=0.05)
    page = asyncio.run_coroutine_threadsafe(context.new_page(), loop).result(10)
    browser._idle.append(page)  # type: ignore[arg-type]
    page.closes_dropped = 1  # the close races the navigation's commit and is dropped
    with pytest.raises(PlaywrightError, match="ERR_CONNECTION_RESET"):
        browser.capture_page(url(1))
    assert page.closed and (browser.closes_reissued, browser.pages_abandoned) == (1, 0)
    assert context.cdp_sent == ["Target.getTargetInfo", "Target.closeTarget"]


def test_a_page_that_never_closes_is_abandoned_and_the_call_returns(
    loop: asyncio.AbstractEventLoop,
) -> None:
    context = FakeContext()
    context.failing.add(f"{SITE}/in/ada/")
    browser = session(loop, context, close_wait_s=0.05)
    page = asyncio.run_coroutine_threadsafe(context.new_page(), loop).result(10)
    browser._idle.append(page)  # type: ignore[arg-type]
    page.closes_dropped = 10  # every close dropped: left to the browser's own close
    with pytest.raises(CaptureError, match="ERR_CONNECTION_RESET"):
        browser.capture_profile("ada", SITE)
    assert not page.closed and (browser.closes_reissued, browser.pages_abandoned) == (2, 1)
    assert browser.pages_open == 0
    assert browser.capture_page(url(2)).status == 200  # on a new page


# --- the _call timeout ----------------------------------------------------------------------------


def test_a_browser_that_never_answers_fails_the_call_and_frees_the_page(
    loop: asyncio.AbstractEventLoop,
) -> None:
    context = FakeContext()

    async def close_gate() -> None:
        context.gate = asyncio.Event()  # never set: the load hangs past every timeout

    asyncio.run_coroutine_threadsafe(close_gate(), loop).result(10)
    # The call's deadline is the behaviour under test: a short one, so the test waits 0.2 s.
    browser = session(loop, context, call_timeout_s=0.2)
    with pytest.raises(PlaywrightError, match=r"no answer from the browser in 0s"):
        browser.capture_page(url(1))
    assert settled(loop, context, browser) == (0, 0)
    assert context.pages[0].closed


def test_a_profile_the_browser_never_answers_for_is_that_profiles_capture_error(
    loop: asyncio.AbstractEventLoop,
) -> None:
    context = FakeContext()

    async def close_gate() -> None:
        context.gate = asyncio.Event()  # never set

    asyncio.run_coroutine_threadsafe(close_gate(), loop).result(10)
    browser = session(loop, context, call_timeout_s=0.2)
    with pytest.raises(CaptureError) as raised:
        browser.capture_profile("ada", SITE)
    assert (raised.value.profile_id, raised.value.reason) == (
        "ada",
        "no answer from the browser in 0s",
    )
    assert settled(loop, context, browser) == (0, 0)


def settled(
    loop: asyncio.AbstractEventLoop, context: FakeContext, browser: ChromiumSession
) -> tuple[int, int]:
    """Loads in progress and pages open once a cancelled call has wound down."""

    async def wound_down() -> tuple[int, int]:
        while context.in_goto or not all(page.closed for page in context.pages):
            await asyncio.sleep(0)  # yields to the cancelled load and its close; no time passes
        return context.in_goto, browser.pages_open

    return asyncio.run_coroutine_threadsafe(wound_down(), loop).result(10)


def test_the_call_timeout_defaults_to_four_timeouts_and_a_margin(
    loop: asyncio.AbstractEventLoop,
) -> None:
    assert session(loop, FakeContext())._call_timeout_s == 4 * 5 + 30


# --- find_chromium --------------------------------------------------------------------------------


def executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


class FakePlaywright:
    def __init__(self, executable_path: str) -> None:
        self.chromium = type("Chromium", (), {"executable_path": executable_path})()


def test_a_configured_chromium_is_used_and_a_missing_one_is_named(tmp_path: Path) -> None:
    chromium = executable(tmp_path / "my-chromium")
    assert find_chromium(str(chromium), FakePlaywright(str(chromium))) == str(chromium)
    with pytest.raises(ConfigurationError) as raised:
        find_chromium(str(tmp_path / "nope"))
    assert str(raised.value) == f"CHROMIUM_EXECUTABLE={str(tmp_path / 'nope')!r} does not exist"


def test_playwrights_own_chromium_comes_before_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    managed = executable(tmp_path / "managed-chrome")
    executable(tmp_path / "chromium")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium(None, FakePlaywright(str(managed))) is None  # Playwright's, as is


@pytest.mark.parametrize("name", CHROMIUM_NAMES)
def test_a_chromium_on_the_path_is_found_by_any_of_its_names(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = executable(tmp_path / name)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium(None, FakePlaywright(str(tmp_path / "not-installed"))) == str(found)
    assert find_chromium(None) == str(found)


def test_no_chromium_anywhere_says_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="no Chromium found: set CHROMIUM_EXECUTABLE"):
        find_chromium(None, FakePlaywright(str(tmp_path / "not-installed")))


# --- the storage-state file -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_storage_state_that_is_no_file_fails_before_any_browser_starts(
    kind: str, tmp_path: Path
) -> None:
    path = tmp_path / "state.json"
    if kind == "directory":
        path.mkdir()
    threads_before = threading.active_count()
    with pytest.raises(ConfigurationError) as raised, open_browser(storage_state_path=str(path)):
        pass
    # Named by its setting, not by its path: the file is a secret's home.
    assert str(raised.value) == "LINKEDIN_STORAGE_STATE points at a file that does not exist"
    assert str(tmp_path) not in str(raised.value)
    assert threading.active_count() == threads_before  # no browser thread was started
    assert not os.path.isfile(path)


# --- verdicts, the activity page, leaving the site, size caps (issue 18, mutation) -------------

PROFILE_HTML = (
    "<html><head><title>Ada</title></head><body><main><section class='top-card-layout'>"
    "<h1 class='top-card-layout__title'>Ada</h1></section></main></body></html>"
)
POSTS_HTML = "<html><body><div class='feed-shared-update-v2'>A post</div></body></html>"
ADA = f"{SITE}/in/ada/"
ADA_ACTIVITY = f"{SITE}/in/ada/recent-activity/all/"


def site_context() -> FakeContext:
    """The profile of ``ada`` and its activity page, both as the site serves them."""
    context = FakeContext()
    context.html.update({ADA: PROFILE_HTML, ADA_ACTIVITY: POSTS_HTML})
    return context


def test_a_profile_and_its_activity_are_captured_together(loop: asyncio.AbstractEventLoop) -> None:
    capture = session(loop, site_context()).capture_profile("ada", SITE)
    assert (capture.profile_id, capture.activity_note) == ("ada", None)
    assert capture.profile == PageCapture(ADA, ADA, 200, PROFILE_HTML, PNG)
    assert capture.activity == PageCapture(ADA_ACTIVITY, ADA_ACTIVITY, 200, POSTS_HTML, PNG)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", capture.captured_at)
    assert activity_url("ada", SITE) == ADA_ACTIVITY


@pytest.mark.parametrize(
    ("status", "error", "reason"),
    [
        (404, ProfileNotFound, "HTTP 404 from the site"),
        (999, RateLimited, "HTTP 999 from the site"),
        (200, ProfileBlocked, "the page has no profile top card or profile sections"),
    ],
)
def test_a_profile_page_that_is_no_profile_fails_with_its_verdict(
    status: int, error: type[CaptureError], reason: str, loop: asyncio.AbstractEventLoop
) -> None:
    context = FakeContext()  # the plain HTML: no top card
    context.statuses[ADA] = status
    with pytest.raises(CaptureError) as raised:
        session(loop, context).capture_profile("ada", SITE)
    assert type(raised.value) is error
    assert (raised.value.profile_id, raised.value.url, raised.value.reason) == ("ada", ADA, reason)


@pytest.mark.parametrize(("signed_in", "error"), [(False, AuthWall), (True, SessionExpired)])
def test_an_auth_wall_is_the_profiles_unless_signed_in_then_the_sessions(
    signed_in: bool, error: type[CaptureError], loop: asyncio.AbstractEventLoop
) -> None:
    context = site_context()
    context.moves[ADA] = f"{SITE}/authwall?trk=x"
    browser = session(loop, context)
    browser.signed_in = signed_in
    with pytest.raises(CaptureError) as raised:
        browser.capture_profile("ada", SITE)
    assert type(raised.value) is error and raised.value.reason == "redirected to /authwall"


def test_a_profile_that_leaves_the_site_is_blocked_naming_where_it_went(
    loop: asyncio.AbstractEventLoop,
) -> None:
    context = site_context()
    context.moves[ADA] = "https://elsewhere.example/in/ada/"
    with pytest.raises(ProfileBlocked) as raised:
        session(loop, context).capture_profile("ada", SITE)
    assert raised.value.reason == (
        "the page's final URL is on elsewhere.example:443, not on the site"
    )
    assert context.pages[0].closed  # a page that left the site is never reused


def test_a_profile_page_too_large_is_that_profiles_capture_error(
    loop: asyncio.AbstractEventLoop,
) -> None:
    context = site_context()
    context.declared[ADA] = 9_000_001
    with pytest.raises(CaptureError) as raised:
        session(loop, context, max_page_bytes=9_000_000).capture_profile("ada", SITE)
    assert type(raised.value) is CaptureError
    assert raised.value.reason == "page is 9.0 MB, over the 9 MB limit"


@pytest.mark.parametrize(
    ("change", "note"),
    [
        ("missing", "activity page not_found: HTTP 404 from the site"),
        ("failing", f"activity page not captured: net::ERR_CONNECTION_RESET at {ADA_ACTIVITY}"),
        ("large", "activity page not captured: page is 20.0 MB, over the 8 MB limit"),
        (
            "elsewhere",
            "activity page blocked: the page's final URL is on elsewhere.example:443, "
            "not on the site",
        ),
    ],  # fmt: skip
)
def test_an_activity_page_that_cannot_be_had_is_a_note_and_the_profile_stands(
    change: str, note: str, loop: asyncio.AbstractEventLoop
) -> None:
    context = site_context()
    if change == "missing":
        context.statuses[ADA_ACTIVITY] = 404
    elif change == "failing":
        context.failing.add(ADA_ACTIVITY)
    elif change == "large":
        context.declared[ADA_ACTIVITY] = 20_000_000
    else:
        context.moves[ADA_ACTIVITY] = "https://elsewhere.example/feed/"
    capture = session(loop, context).capture_profile("ada", SITE)
    assert (capture.activity, capture.activity_note) == (None, note)
    assert capture.profile.html == PROFILE_HTML


def test_a_page_without_a_declared_size_is_measured_once_loaded(
    loop: asyncio.AbstractEventLoop,
) -> None:
    context = FakeContext()
    big = "<html><body>" + "é" * 600 + "</body></html>"  # 1,226 bytes in UTF-8
    context.html[url(1)] = context.html[url(2)] = big
    context.declared[url(1)] = context.declared[url(2)] = -1  # "-1": not a size, ignored
    browser = session(loop, context, max_page_bytes=len(big.encode()) - 1)
    with pytest.raises(PageTooLarge, match=r"^page is 0\.0 MB, over the 0 MB limit$"):
        browser.capture_page(url(1))
    roomy = session(loop, context, max_page_bytes=len(big.encode()))
    assert roomy.capture_page(url(2)).html == big


@pytest.mark.parametrize(
    ("size", "pixels"),
    [((1300.2, 2000.5), 1301 * 2001), ((100, 50), 1280 * 900)],
    ids=["content", "viewport"],
)
def test_the_screenshot_is_measured_as_the_larger_of_content_and_viewport(
    size: tuple[float, float], pixels: int, loop: asyncio.AbstractEventLoop
) -> None:
    context = FakeContext()
    context.content_size = size
    assert session(loop, context, max_screenshot_pixels=pixels).capture_page(url(1)).png == PNG
    with pytest.raises(ScreenshotTooLarge) as raised:
        session(loop, context, max_screenshot_pixels=pixels - 1).capture_page(url(2))
    width, height = max(math.ceil(size[0]), 1280), max(math.ceil(size[1]), 900)
    assert str(raised.value) == (
        f"screenshot would be {width} × {height} px = {pixels / 1e6:.1f} megapixels, "
        f"over the {(pixels - 1) / 1e6:g} megapixel limit"
    )
    assert context.cdp_sent == ["Page.getLayoutMetrics"] * 2


def test_a_screenshot_heavier_than_its_cap_is_refused(loop: asyncio.AbstractEventLoop) -> None:
    context = FakeContext()
    assert session(loop, context, max_screenshot_bytes=len(PNG)).capture_page(url(1)).png == PNG
    with pytest.raises(ScreenshotTooLarge) as raised:
        session(loop, context, max_screenshot_bytes=len(PNG) - 1).capture_page(url(2))
    assert str(raised.value) == "screenshot is 0.0 MB, over the 7e-06 MB limit"


# --- the boundary: routes, requests, sockets and popups ------------------------------------------


class FakeFrame:
    def __init__(self, page: Any, parent: Any = None) -> None:
        self.page = page
        self.parent_frame = parent


class FakeRequest:
    def __init__(self, url: str, frame: FakeFrame | None, navigation: bool = True) -> None:
        self.url = url
        self._frame = frame
        self.navigation = navigation

    @property
    def frame(self) -> FakeFrame:
        if self._frame is None:
            raise PlaywrightError("Service Worker requests do not have an associated frame.")
        return self._frame

    def is_navigation_request(self) -> bool:
        return self.navigation


class FakeRoute:
    def __init__(self, request: FakeRequest) -> None:
        self.request = request
        self.answer = ""

    async def continue_(self) -> None:
        self.answer = "continued"

    async def abort(self, error_code: str) -> None:
        self.answer = f"aborted: {error_code}"


class FakeSocket:
    def __init__(self, url: str) -> None:
        self.url = url
        self.answer = ""

    def connect_to_server(self) -> None:
        self.answer = "connected"

    async def close(self, code: int, reason: str) -> None:
        self.answer = f"closed {code}: {reason}"


def run(loop: asyncio.AbstractEventLoop, coro: Any) -> Any:
    return asyncio.run_coroutine_threadsafe(coro, loop).result(10)


def loading(loop: asyncio.AbstractEventLoop) -> tuple[ChromiumSession, FakePage]:
    """A session with one page load of SITE in progress (its ``_Visit``), on a fresh page."""
    context = FakeContext()
    policy = HostPolicy(parse_allowed_hosts(DEFAULT_ALLOWED_HOSTS), internal_allowed=True)
    browser = session(loop, context, policy=policy)
    page = run(loop, context.new_page())
    browser._visits[page] = _Visit(SITE)  # type: ignore[index]
    return browser, page


@pytest.mark.parametrize(
    ("where", "answer"),
    [
        (f"{SITE}/style.css", "continued"),
        ("https://static.licdn.com/a.js", "continued"),
        ("https://tracker.example/t.gif", "aborted: blockedbyclient"),
    ],
)
def test_a_request_of_a_load_in_progress_is_let_through_only_to_the_site_and_allow_list(
    where: str, answer: str, loop: asyncio.AbstractEventLoop
) -> None:
    browser, page = loading(loop)
    route = FakeRoute(FakeRequest(where, FakeFrame(page)))
    run(loop, browser._route(route))  # type: ignore[arg-type]
    assert route.answer == answer


def test_a_request_of_no_load_in_progress_or_of_no_frame_is_refused(
    loop: asyncio.AbstractEventLoop,
) -> None:
    browser, page = loading(loop)
    idle = run(loop, browser._context.new_page())  # type: ignore[attr-defined]
    for request in (FakeRequest(f"{SITE}/a", FakeFrame(idle)), FakeRequest(f"{SITE}/a", None)):
        route = FakeRoute(request)
        run(loop, browser._route(route))  # type: ignore[arg-type]
        assert route.answer == "aborted: blockedbyclient"
        browser._on_request(request)  # type: ignore[arg-type]
    assert browser._visits[page].refused == 0  # type: ignore[index]


def test_refused_requests_are_counted_with_the_first_five_hosts(
    loop: asyncio.AbstractEventLoop,
) -> None:
    browser, page = loading(loop)
    frame = FakeFrame(page, parent=FakeFrame(page))  # a subframe: not the page leaving
    for n in range(7):
        browser._on_request(FakeRequest(f"https://t{n}.example/x", frame))  # type: ignore[arg-type]
    browser._on_request(FakeRequest("https://t0.example/again", frame))  # type: ignore[arg-type]
    browser._on_request(FakeRequest(f"{SITE}/fine", frame))  # type: ignore[arg-type]
    visit = browser._visits[page]  # type: ignore[index]
    assert visit.refused == 8 and visit.left_site is None
    assert visit.refused_hosts == [f"t{n}.example:443" for n in range(5)]


def test_a_main_frame_navigating_off_the_site_marks_the_load_as_leaving(
    loop: asyncio.AbstractEventLoop,
) -> None:
    browser, page = loading(loop)
    main = FakeFrame(page)
    browser._on_request(FakeRequest("https://t.example/img", main, navigation=False))  # type: ignore[arg-type]
    assert browser._visits[page].left_site is None  # type: ignore[index]
    browser._on_request(FakeRequest("https://away.example/", main))  # type: ignore[arg-type]
    browser._on_request(FakeRequest("ftp://later.example/", main))  # type: ignore[arg-type]
    visit = browser._visits[page]  # type: ignore[index]
    assert visit.left_site == (
        "the page left the site: away.example:443 is not the site nor on LINKEDIN_ALLOWED_HOSTS"
    )
    assert visit.refused_hosts == ["t.example:443", "away.example:443", "ftp:"]


def test_a_socket_goes_where_a_load_may_go_else_it_is_closed_and_counted(
    loop: asyncio.AbstractEventLoop,
) -> None:
    browser, page = loading(loop)
    allowed, refused = FakeSocket("ws://127.0.0.1:9/live"), FakeSocket("wss://evil.example/")
    run(loop, browser._route_socket(allowed))  # type: ignore[arg-type]
    run(loop, browser._route_socket(refused))  # type: ignore[arg-type]
    assert allowed.answer == "connected"
    assert refused.answer == "closed 1008: refused by the capture's host allow-list"
    visit = browser._visits[page]  # type: ignore[index]
    assert (visit.refused, visit.refused_hosts, visit.left_site) == (1, ["evil.example:443"], None)
    # Two loads in progress: nobody to blame, counted apart.
    other = run(loop, browser._context.new_page())  # type: ignore[attr-defined]
    browser._visits[other] = _Visit(SITE)  # type: ignore[index]
    run(loop, browser._route_socket(FakeSocket("wss://evil.example/")))  # type: ignore[arg-type]
    assert browser.unattributed_refusals == 1 and visit.refused == 1


class FakePopup(FakePage):
    def __init__(self, context: FakeContext, opener: Any) -> None:
        super().__init__(context)
        self._opener = opener
        self.close_calls = 0

    async def opener(self) -> Any:
        return self._opener

    async def close(self) -> None:
        self.close_calls += 1
        await super().close()


def test_a_popup_is_closed_once_and_counted_against_its_opener(
    loop: asyncio.AbstractEventLoop,
) -> None:
    browser, page = loading(loop)
    popup = FakePopup(browser._context, page)  # type: ignore[arg-type]
    run(loop, browser._on_popup(page, popup))  # type: ignore[arg-type]
    run(loop, browser._on_page(popup))  # type: ignore[arg-type]  # the context sees it too
    assert popup.closed and popup.close_calls == 1
    assert browser.popups_closed == 1 and browser._visits[page].popups == 1  # type: ignore[index]
    own = FakePopup(browser._context, None)  # type: ignore[arg-type]  # a page of our own
    run(loop, browser._on_page(own))  # type: ignore[arg-type]
    assert not own.closed and browser.popups_closed == 1


def test_the_guard_routes_every_request_and_socket_and_watches_every_page(
    loop: asyncio.AbstractEventLoop,
) -> None:
    context = FakeContext()
    browser = session(loop, context)
    run(loop, browser.guard())
    assert context.routed == [("**/*", browser._route)]
    [(matcher, handler)] = context.socket_routes
    assert matcher("wss://anything.example/") is True and handler == browser._route_socket
    assert context.handlers == [("request", browser._on_request), ("page", browser._on_page)]


# --- small pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "short"),
    [
        (PlaywrightError("first line\nCall log:\n  - more"), "first line"),
        (PlaywrightError("  \n  "), "Error"),
        (PlaywrightError("x" * 400), "x" * 300),
    ],
)
def test_a_playwright_message_is_cut_to_its_first_line(error: Exception, short: str) -> None:
    assert _short(error) == short


@pytest.mark.parametrize(("cores", "pages"), [(None, 2), (1, 2), (2, 4), (8, 4)])
def test_pages_at_once_default_to_two_per_core_and_at_most_four(
    cores: int | None, pages: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert default_max_pages() == pages


def test_the_session_bounds_its_settings(loop: asyncio.AbstractEventLoop) -> None:
    low = session(loop, FakeContext(), max_pages=0, min_delay_s=-1.0, jitter=-0.5)
    high = session(loop, FakeContext(), jitter=3.0)
    assert (low.max_pages, low._min_delay_s, low._jitter, high._jitter) == (1, 0.0, 0.0, 1.0)
