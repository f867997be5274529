"""A real Chromium, driven by Playwright, behind a small capture interface.

One browser (and one context) serves every partition of a run, with a bounded number of pages open
at once; each page load gets a fresh page so a crashed tab fails only its own profile. Playwright
errors are translated to ``CaptureError``s here.
The signed-in session file (``LINKEDIN_STORAGE_STATE``) is handed to Playwright and never logged.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import random
import shutil
import threading
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from linkedin_assets.documents import utc_timestamp
from linkedin_assets.errors import (
    CaptureError,
    ConfigurationError,
    ProfileBlocked,
    ProfileNotFound,
    RateLimited,
)
from linkedin_assets.extraction import classify_page
from linkedin_assets.profile_ids import profile_url

MAX_PAGE_BYTES = 8_000_000
LAUNCH_TIMEOUT_S = 60.0
T = TypeVar("T")


class PageTooLarge(Exception):
    """A page over the size limit (internal to this module; surfaces as a ``CaptureError``)."""


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Chromium's own background traffic is refused on closed networks and slows start-up.
CHROMIUM_ARGS = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
VERDICT_ERRORS: dict[str, type[CaptureError]] = {
    "not_found": ProfileNotFound,
    "blocked": ProfileBlocked,
    "rate_limited": RateLimited,
}


@dataclass(frozen=True)
class PageCapture:
    requested_url: str
    final_url: str
    status: int
    html: str
    png: bytes


@dataclass(frozen=True)
class ProfileCapture:
    profile_id: str
    profile: PageCapture
    activity: PageCapture | None
    activity_note: str | None
    captured_at: str


class ProfileBrowser(Protocol):
    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture: ...


def activity_url(profile_id: str, base_url: str) -> str:
    return f"{profile_url(profile_id, base_url)}recent-activity/all/"


def find_chromium(configured: str | None, playwright: Playwright | None = None) -> str | None:
    """The Chromium to launch: the configured one, Playwright's own, or one on the PATH.

    ``None`` means Playwright's managed browser is installed and should be used as is.
    """
    if configured:
        if not os.path.exists(configured):
            raise ConfigurationError(f"CHROMIUM_EXECUTABLE={configured!r} does not exist")
        return configured
    if playwright is not None and os.path.exists(playwright.chromium.executable_path):
        return None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ConfigurationError(
        "no Chromium found: set CHROMIUM_EXECUTABLE, run `playwright install chromium`, "
        "or install Debian's package (`apt-get install -y chromium`)"
    )


class ChromiumSession:
    """``ProfileBrowser`` over one launched Chromium, safe to call from many threads at once.

    Playwright's sync API binds a browser to the thread that launched it, so a run's worker threads
    could not share one. Instead one thread runs Playwright's async API on its own event loop and
    every call is handed to it: pages load concurrently, at most ``max_pages`` at a time, and page
    loads start at least ``min_delay_s`` (± ``jitter``) apart. Use ``open_browser`` to get one.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        context: BrowserContext,
        timeout_s: float,
        max_page_bytes: int = MAX_PAGE_BYTES,
        max_pages: int = 1,
        min_delay_s: float = 0.0,
        jitter: float = 0.0,
    ) -> None:
        self._loop = loop
        self._context = context
        self._timeout_ms = timeout_s * 1000
        # A page that hangs past every Playwright timeout still cannot hold a worker for ever.
        self._call_timeout_s = 4 * timeout_s + 30
        self._max_page_bytes = max_page_bytes
        self.max_pages = max(1, max_pages)
        self._min_delay_s = max(0.0, min_delay_s)
        self._jitter = min(max(jitter, 0.0), 1.0)
        self._slots = asyncio.Semaphore(self.max_pages)
        # Pages are reused: a new page costs Chromium a renderer process, which measured as much
        # CPU as the page load itself. A page that failed in any way is closed, never reused.
        self._idle: list[Page] = []
        self._pace = asyncio.Lock()
        self._next_start = 0.0
        self.pages_open = 0
        self.peak_pages_open = 0

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(self._call_timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise PlaywrightError(
                f"no answer from the browser in {self._call_timeout_s:.0f}s"
            ) from None

    def capture_page(self, url: str) -> PageCapture:
        """One page, loaded and screenshotted (any thread)."""
        return self._call(self._capture_page(url))

    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        """The profile page and its recent activity (any thread)."""
        return self._call(self._capture_profile(profile_id, base_url))

    async def _wait_turn(self) -> None:
        """Politeness: page loads of this run start at least the minimum delay apart."""
        if not self._min_delay_s:
            return
        async with self._pace:
            wait = self._next_start - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            spread = random.uniform(1 - self._jitter, 1 + self._jitter)
            self._next_start = time.monotonic() + self._min_delay_s * spread

    async def _capture_page(self, url: str) -> PageCapture:
        async with self._slots:
            await self._wait_turn()
            self.pages_open += 1
            self.peak_pages_open = max(self.peak_pages_open, self.pages_open)
            page = self._idle.pop() if self._idle else await self._context.new_page()
            reusable = False
            try:
                response = await page.goto(url, wait_until="load", timeout=self._timeout_ms)
                status = response.status if response is not None else 0
                html = await page.content()
                size = len(html.encode("utf-8", errors="replace"))
                if size > self._max_page_bytes:
                    # Bounded memory per profile, and no multi-megabyte screenshot of a broken page.
                    limit_mb = self._max_page_bytes / 1e6
                    raise PageTooLarge(
                        f"page is {size / 1e6:.1f} MB, over the {limit_mb:.0f} MB limit"
                    )
                png = await page.screenshot(
                    full_page=True, animations="disabled", timeout=self._timeout_ms
                )
                reusable = True
                return PageCapture(url, page.url, status, html, png)
            finally:
                self.pages_open -= 1
                if reusable and not page.is_closed():
                    self._idle.append(page)
                else:
                    # A crashed tab cannot be closed; the context stays usable.
                    with contextlib.suppress(PlaywrightError):
                        await page.close()

    async def _capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        url = profile_url(profile_id, base_url)
        try:
            profile = await self._capture_page(url)
        except PageTooLarge as exc:
            raise CaptureError(profile_id, url, str(exc)) from exc
        except PlaywrightError as exc:
            raise CaptureError(profile_id, url, _short(exc)) from exc
        verdict = classify_page(profile.status, profile.final_url, profile.html)
        if verdict.kind != "profile":
            raise VERDICT_ERRORS[verdict.kind](profile_id, url, verdict.reason)
        activity, note = await self._capture_activity(profile_id, base_url)
        return ProfileCapture(profile_id, profile, activity, note, utc_timestamp())

    async def _capture_activity(
        self, profile_id: str, base_url: str
    ) -> tuple[PageCapture | None, str | None]:
        # A missing or unreadable activity page is recorded, not fatal: the profile stands alone.
        url = activity_url(profile_id, base_url)
        try:
            activity = await self._capture_page(url)
        except PageTooLarge as exc:
            return None, f"activity page not captured: {exc}"
        except PlaywrightError as exc:
            return None, f"activity page not captured: {_short(exc)}"
        verdict = classify_page(activity.status, activity.final_url, activity.html, page="activity")
        if verdict.kind != "profile":
            return None, f"activity page {verdict.kind}: {verdict.reason}"
        return activity, None


def _short(exc: BaseException) -> str:
    """Playwright messages carry a call log; the first line says what happened."""
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


def default_max_pages() -> int:
    """Pages at once when unset: two per core, at most 4. Chromium renders and screenshots on the
    CPU here, so more pages than that only queue inside the browser (docs/performance.md)."""
    return max(1, min(4, 2 * (os.cpu_count() or 1)))


@contextmanager
def open_browser(
    *,
    chromium_executable: str | None = None,
    storage_state_path: str | None = None,
    timeout_s: float = 30.0,
    viewport: tuple[int, int] = (1280, 900),
    max_page_bytes: int = MAX_PAGE_BYTES,
    max_pages: int = 1,
    min_delay_s: float = 0.0,
    jitter: float = 0.0,
) -> Iterator[ChromiumSession]:
    """Launch one headless Chromium (and one context) for the duration of a run.

    The browser lives on its own thread and event loop (see ``ChromiumSession``), which stop with
    the context manager whatever happens.
    """
    if storage_state_path and not os.path.isfile(storage_state_path):
        raise ConfigurationError("LINKEDIN_STORAGE_STATE points at a file that does not exist")
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="chromium-session", daemon=True)
    thread.start()

    def call(coro: Coroutine[Any, Any, T], timeout: float | None = LAUNCH_TIMEOUT_S) -> T:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)

    async def launch() -> tuple[Playwright, Browser, BrowserContext]:
        playwright = await async_playwright().start()
        try:
            executable = find_chromium(chromium_executable, playwright)
            browser = await playwright.chromium.launch(
                executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
            )
            context = await browser.new_context(
                viewport={"width": viewport[0], "height": viewport[1]},
                storage_state=storage_state_path or None,
                locale="en-US",
                timezone_id="UTC",
            )
        except BaseException:
            await playwright.stop()
            raise
        return playwright, browser, context

    async def shut(playwright: Playwright, browser: Browser) -> None:
        try:
            await browser.close()
        finally:
            await playwright.stop()

    try:
        playwright, browser, context = call(launch())
        try:
            yield ChromiumSession(
                loop, context, timeout_s, max_page_bytes, max_pages, min_delay_s, jitter
            )
        finally:
            with contextlib.suppress(Exception):  # a dead browser must not hide the real error
                call(shut(playwright, browser))
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(LAUNCH_TIMEOUT_S)
        if not thread.is_alive():
            loop.close()
