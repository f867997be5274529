"""ChromiumSession's own logic on an async fake of Playwright's context: politeness pacing (on a
fake clock), page slots, page reuse, the ``_call`` timeout; ``find_chromium``; the storage-state
file check. The real browser's behaviour is the integration tier's (test_browser_boundary.py)."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Error as PlaywrightError

from linkedin_assets.errors import CaptureError, ConfigurationError
from linkedin_assets.resources.browser import (
    CHROMIUM_NAMES,
    ChromiumSession,
    PageTooLarge,
    find_chromium,
    open_browser,
)

SITE = "http://127.0.0.1:9"
HTML = "<html><head><title>Ada</title></head><body><h1>Ada</h1></body></html>"


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
        self.url = url
        return FakeResponse(200, self.context.declared.get(url, len(HTML)))

    async def wait_for_load_state(self, state: str, timeout: float) -> None:
        pass

    async def content(self) -> str:
        self.read += 1
        return HTML

    async def screenshot(self, **_: Any) -> bytes:
        return b"\x89PNG\r\n\x1a\n"

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
        return {"cssContentSize": {"width": 1280, "height": 2000}}

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

    async def new_page(self) -> FakePage:
        page = FakePage(self)
        self.pages.append(page)
        return page

    async def new_cdp_session(self, page: FakePage) -> FakeCdp:
        return FakeCdp(page)

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
