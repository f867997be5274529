"""A real Chromium, driven by Playwright, behind a small capture interface.

One browser (and one context) serves every partition of a run, with a bounded number of pages open
at once; each page load gets a fresh page so a crashed tab fails only its own profile. Playwright
errors are translated to ``CaptureError``s here.
The signed-in session file (``LINKEDIN_STORAGE_STATE``) is handed to Playwright and never logged.

The browser has a boundary (docs/security.md, "Browser boundary"): every request of every page goes
through one ``context.route`` that lets a page reach its own site and the allow-list only
(``host_policy``); a page whose main frame goes anywhere else fails its profile as blocked;
popups are closed at once and never screenshotted; a screenshot over the pixel or byte cap fails
its profile. What was refused is counted in the capture, so the materialization shows it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import math
import os
import random
import shutil
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    Route,
    WebSocketRoute,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from linkedin_assets.core.documents import utc_timestamp
from linkedin_assets.core.extraction import classify_page
from linkedin_assets.core.host_policy import HostPolicy, origin_of, refusal, resolver_rules
from linkedin_assets.core.profile_ids import profile_url
from linkedin_assets.errors import (
    AuthWall,
    CaptureError,
    ConfigurationError,
    ProfileBlocked,
    ProfileNotFound,
    RateLimited,
    SessionExpired,
)

MAX_PAGE_BYTES = 8_000_000
# A full LinkedIn profile is about 1280 × 8,000 px (10 MP) and a few MB of PNG; 25 MP of noise
# would already be a 100 MB bitmap in the renderer (issue 13: an 8 KB page made two 77 MB PNGs).
MAX_SCREENSHOT_PIXELS = 25_000_000
MAX_SCREENSHOT_MB = 20
MAX_SCREENSHOT_BYTES = MAX_SCREENSHOT_MB * 1_000_000
# The metadata shows the first few refused hosts; the count says how many requests in all.
REFUSED_HOSTS_SHOWN = 5
LAUNCH_TIMEOUT_S = 60.0
# How long a page.close() may take before it is asked again, and how many times it is asked.
# Chromium can acknowledge a close that races a navigation commit and then drop it
# (crbug.com/536385539, microsoft/playwright#42366): the page never closes and close() never
# returns. Asking again over CDP closes it; a page that still stays open is abandoned to the
# browser's own close at the end of the run, so no profile ever waits on it.
CLOSE_WAIT_S = 2.0
CLOSE_ATTEMPTS = 3
T = TypeVar("T")


class PageTooLarge(Exception):
    """A page over the size limit (internal to this module; surfaces as a ``CaptureError``)."""


class ScreenshotTooLarge(PageTooLarge):
    """A screenshot over the pixel or byte cap (surfaces as a ``CaptureError``)."""


class NoAnswer(PlaywrightError):
    """A browser call past its deadline (surfaces, for a profile, as a ``CaptureError``)."""


class LeftSite(Exception):
    """The page's main frame went off the site (internal; surfaces as ``ProfileBlocked``)."""


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
    # WebRTC's ICE would reach addresses over UDP, which no route sees: no UDP without a proxy.
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
)
VERDICT_ERRORS: dict[str, type[CaptureError]] = {
    "not_found": ProfileNotFound,
    "auth_wall": AuthWall,
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
    refused_requests: int = 0
    refused_hosts: tuple[str, ...] = ()
    popups_closed: int = 0


@dataclass(frozen=True)
class ProfileCapture:
    profile_id: str
    profile: PageCapture
    activity: PageCapture | None
    activity_note: str | None
    captured_at: str


class ProfileBrowser(Protocol):
    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture: ...


@dataclass
class _Visit:
    """One page load in progress: its site, and what it ran into at the boundary."""

    site: str
    refused: int = 0
    refused_hosts: list[str] = field(default_factory=list)
    popups: int = 0
    left_site: str | None = None

    def refuse(self, url: str, reason: str, leaving: bool) -> None:
        self.refused += 1
        where = origin_of(url)
        host = str(where) if where is not None else url.split(":", 1)[0] + ":"
        if host not in self.refused_hosts and len(self.refused_hosts) < REFUSED_HOSTS_SHOWN:
            self.refused_hosts.append(host)
        if leaving and self.left_site is None:
            self.left_site = f"the page left the site: {reason}"


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
        policy: HostPolicy | None = None,
        max_screenshot_pixels: int = MAX_SCREENSHOT_PIXELS,
        max_screenshot_bytes: int = MAX_SCREENSHOT_BYTES,
        *,
        call_timeout_s: float | None = None,
        close_wait_s: float = CLOSE_WAIT_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._loop = loop
        self._context = context
        self._timeout_ms = timeout_s * 1000
        # A page that hangs past every Playwright timeout still cannot hold a worker for ever.
        self._call_timeout_s = 4 * timeout_s + 30 if call_timeout_s is None else call_timeout_s
        self._close_wait_s = close_wait_s
        # The pacing's clock and pause; tests pass a fake pair so no test waits for real.
        self._clock = clock
        self._sleep = sleep
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
        self._policy = policy or HostPolicy()
        self._max_pixels = max_screenshot_pixels
        self._max_png_bytes = max_screenshot_bytes
        # The page loads in progress, by page: a request of any other page (a popup, an idle
        # page) is refused, so a popup never loads anything even before it is closed.
        self._visits: dict[Page, _Visit] = {}
        self._closing: set[Page] = set()
        self.popups_closed = 0
        self.unattributed_refusals = 0
        # Pages whose close Chromium dropped: re-asked (closes_reissued), or left (pages_abandoned).
        self.closes_reissued = 0
        self.pages_abandoned = 0
        # Whether the context carries a signed-in session (LINKEDIN_STORAGE_STATE): an auth wall
        # then means the session expired (SessionExpired), else the member hides the profile
        # from logged-out viewers (AuthWall).
        self.signed_in = False

    async def guard(self) -> None:
        """Put the boundary on the context: every request and WebSocket, and every new page."""
        await self._context.route("**/*", self._route)
        await self._context.route_web_socket(lambda url: True, self._route_socket)
        self._context.on("request", self._on_request)
        self._context.on("page", self._on_page)

    async def _route(self, route: Route) -> None:
        request = route.request
        visit, _ = self._visit_of(request)
        allowed = visit is not None and refusal(request.url, visit.site, self._policy) is None
        # A page that closed meanwhile cannot take an answer; its request is gone anyway.
        with contextlib.suppress(PlaywrightError):
            if allowed:
                await route.continue_()
            else:
                await route.abort("blockedbyclient")

    def _on_request(self, request: Request) -> None:
        """Count what a load tried and was refused, by the route or, for a redirect's next hop
        (which no route sees), by Chromium's resolver rules; note a main frame leaving."""
        visit, main_frame = self._visit_of(request)
        if visit is None:
            return
        reason = refusal(request.url, visit.site, self._policy)
        if reason is not None:
            visit.refuse(request.url, reason, main_frame and request.is_navigation_request())

    def _visit_of(self, request: Request) -> tuple[_Visit | None, bool]:
        """The load a request belongs to, and whether it comes from that page's main frame."""
        try:
            frame = request.frame
        except PlaywrightError:  # a service worker's request has no frame; none are allowed
            return None, False
        return self._visits.get(frame.page), frame.parent_frame is None

    async def _route_socket(self, socket: WebSocketRoute) -> None:
        # A WebSocket route names no page: the socket may reach what any load in progress may.
        sites = {visit.site for visit in self._visits.values()}
        if any(refusal(socket.url, site, self._policy) is None for site in sites):
            socket.connect_to_server()
            return
        # Counted against the load in progress when there is only one to blame.
        if len(self._visits) == 1:
            next(iter(self._visits.values())).refuse(socket.url, "WebSocket", leaving=False)
        else:
            self.unattributed_refusals += 1
        with contextlib.suppress(PlaywrightError):
            await socket.close(code=1008, reason="refused by the capture's host allow-list")

    async def _on_popup(self, opener: Page, popup: Page) -> None:
        visit = self._visits.get(opener)
        if visit is not None:
            visit.popups += 1
        await self._close_popup(popup)

    async def _on_page(self, page: Page) -> None:
        # Every page this session opens itself has no opener; any other is a popup, perhaps of
        # a popup (which its opener's ``popup`` handler never sees): closed, never captured.
        with contextlib.suppress(PlaywrightError):
            if await page.opener() is not None:
                await self._close_popup(page)

    async def _close_popup(self, popup: Page) -> None:
        # Both handlers may see the same popup: it is closed, and counted, once.
        if popup.is_closed() or popup in self._closing:
            return
        self._closing.add(popup)
        try:
            # A popup is closed as it starts its navigation: the same close Chromium can drop.
            await self._close_page(popup)
            self.popups_closed += 1
        finally:
            self._closing.discard(popup)

    async def _new_page(self) -> Page:
        page = await self._context.new_page()
        page.on("popup", lambda popup: self._on_popup(page, popup))
        return page

    async def _screenshot(self, page: Page) -> bytes:
        """A full-page PNG, refused before it is taken when the page is too large, or after when
        it weighs too much (noise does not compress)."""
        width, height = await self._content_size(page)
        pixels = width * height
        if pixels > self._max_pixels:
            raise ScreenshotTooLarge(
                f"screenshot would be {width} × {height} px = {pixels / 1e6:.1f} megapixels, "
                f"over the {self._max_pixels / 1e6:g} megapixel limit"
            )
        png = await page.screenshot(full_page=True, animations="disabled", timeout=self._timeout_ms)
        if len(png) > self._max_png_bytes:
            raise ScreenshotTooLarge(
                f"screenshot is {len(png) / 1e6:.1f} MB, over the "
                f"{self._max_png_bytes / 1e6:g} MB limit"
            )
        return png

    async def _content_size(self, page: Page) -> tuple[int, int]:
        """The size a full-page screenshot would have, in CSS pixels (device scale 1).

        Asked of Chromium over CDP, not of the page's own scripts, which could lie about
        ``scrollHeight``; the screenshot is never smaller than the viewport.
        """
        cdp = await self._context.new_cdp_session(page)
        try:
            metrics = await cdp.send("Page.getLayoutMetrics")
        finally:
            with contextlib.suppress(PlaywrightError):
                await cdp.detach()
        content = metrics["cssContentSize"]
        viewport = page.viewport_size or {"width": 0, "height": 0}
        width = max(math.ceil(content["width"]), viewport["width"])
        height = max(math.ceil(content["height"]), viewport["height"])
        return width, height

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(self._call_timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise NoAnswer(f"no answer from the browser in {self._call_timeout_s:.0f}s") from None

    def capture_page(self, url: str, site: str | None = None) -> PageCapture:
        """One page of ``site`` (default: the URL's own), loaded and screenshotted (any thread)."""
        return self._call(self._capture_page(url, site or url))

    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        """The profile page and its recent activity (any thread)."""
        try:
            return self._call(self._capture_profile(profile_id, base_url))
        except NoAnswer as exc:
            # A page that holds the browser past every deadline is that profile's failure; the
            # call was cancelled, its page closed, and the run goes on with the next one.
            raise CaptureError(profile_id, profile_url(profile_id, base_url), str(exc)) from exc

    async def _wait_turn(self) -> None:
        """Politeness: page loads of this run start at least the minimum delay apart."""
        if not self._min_delay_s:
            return
        async with self._pace:
            wait = self._next_start - self._clock()
            if wait > 0:
                await self._sleep(wait)
            spread = random.uniform(1 - self._jitter, 1 + self._jitter)
            self._next_start = self._clock() + self._min_delay_s * spread

    async def _capture_page(self, url: str, site: str) -> PageCapture:
        async with self._slots:
            await self._wait_turn()
            self.pages_open += 1
            self.peak_pages_open = max(self.peak_pages_open, self.pages_open)
            page = self._idle.pop() if self._idle else await self._new_page()
            visit = self._visits[page] = _Visit(site)
            reusable = False
            try:
                started = time.monotonic()
                try:
                    # "commit": the answer's headers are in, the document not yet parsed. A page
                    # that says it is too large is refused here, before Chromium lays out
                    # megabytes of it, so the outcome does not depend on how busy the machine is.
                    response = await page.goto(url, wait_until="commit", timeout=self._timeout_ms)
                    if response is not None:
                        self._refuse_declared_size(await response.header_value("content-length"))
                    await self._finish_loading(page, started)
                except PlaywrightError as exc:
                    # A redirect off the site was aborted by the route: say where it went.
                    if visit.left_site is not None:
                        raise LeftSite(visit.left_site) from exc
                    raise
                self._require_on_site(page, visit)
                status = response.status if response is not None else 0
                html = await page.content()
                # Without a Content-Length (chunked), the size is known only once loaded.
                self._refuse_size(len(html.encode("utf-8", errors="replace")))
                png = await self._screenshot(page)
                # A script may have tried to navigate away after the load.
                self._require_on_site(page, visit)
                reusable = True
                return PageCapture(
                    url,
                    page.url,
                    status,
                    html,
                    png,
                    refused_requests=visit.refused,
                    refused_hosts=tuple(visit.refused_hosts),
                    popups_closed=visit.popups,
                )
            finally:
                self._visits.pop(page, None)
                self.pages_open -= 1
                if reusable and not page.is_closed():
                    self._idle.append(page)
                else:
                    await self._close_page(page)

    async def _close_page(self, page: Page) -> None:
        """Close a failed page or a popup, asking again when Chromium drops the close
        (see CLOSE_WAIT_S)."""
        # A crashed tab cannot be closed; the context stays usable.
        closing = asyncio.ensure_future(page.close())
        closing.add_done_callback(_ignore_outcome)
        for attempt in range(CLOSE_ATTEMPTS):
            done, _ = await asyncio.wait({closing}, timeout=self._close_wait_s)
            if done or page.is_closed():
                return
            if attempt + 1 < CLOSE_ATTEMPTS:
                self.closes_reissued += 1
                await self._close_target(page)
        closing.cancel()
        self.pages_abandoned += 1

    async def _close_target(self, page: Page) -> None:
        """Ask Chromium once more, over CDP, to close the page's target."""
        with contextlib.suppress(PlaywrightError, asyncio.TimeoutError):
            wait = self._close_wait_s
            cdp = await asyncio.wait_for(self._context.new_cdp_session(page), wait)
            info = await asyncio.wait_for(cdp.send("Target.getTargetInfo"), wait)
            target = {"targetId": info["targetInfo"]["targetId"]}
            await asyncio.wait_for(cdp.send("Target.closeTarget", target), wait)

    async def _finish_loading(self, page: Page, started: float) -> None:
        """The rest of the navigation's time for its load; a timeout reads as goto's own would."""
        left_ms = self._timeout_ms - (time.monotonic() - started) * 1000
        try:
            await page.wait_for_load_state("load", timeout=max(left_ms, 1.0))
        except PlaywrightTimeoutError:
            raise PlaywrightTimeoutError(
                f"Page.goto: Timeout {self._timeout_ms:.0f}ms exceeded."
            ) from None

    def _refuse_declared_size(self, content_length: str | None) -> None:
        if content_length is not None and content_length.strip().isdigit():
            self._refuse_size(int(content_length))

    def _refuse_size(self, size: int) -> None:
        if size > self._max_page_bytes:
            # Bounded memory per profile, and no multi-megabyte screenshot of a broken page.
            limit_mb = self._max_page_bytes / 1e6
            raise PageTooLarge(f"page is {size / 1e6:.1f} MB, over the {limit_mb:.0f} MB limit")

    def _require_on_site(self, page: Page, visit: _Visit) -> None:
        if visit.left_site is not None:
            raise LeftSite(visit.left_site)
        final = origin_of(page.url)
        if final != origin_of(visit.site):
            raise LeftSite(f"the page's final URL is on {final or page.url}, not on the site")

    async def _capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        url = profile_url(profile_id, base_url)
        try:
            profile = await self._capture_page(url, base_url)
        except LeftSite as exc:
            raise ProfileBlocked(profile_id, url, str(exc)) from exc
        except PageTooLarge as exc:
            raise CaptureError(profile_id, url, str(exc)) from exc
        except PlaywrightError as exc:
            raise CaptureError(profile_id, url, _short(exc)) from exc
        verdict = classify_page(profile.status, profile.final_url, profile.html)
        if verdict.kind == "auth_wall" and self.signed_in:
            # Signed in, the wall says the session no longer works, not anything of the profile.
            raise SessionExpired(profile_id, url, verdict.reason)
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
            activity = await self._capture_page(url, base_url)
        except LeftSite as exc:
            return None, f"activity page blocked: {exc}"
        except PageTooLarge as exc:
            return None, f"activity page not captured: {exc}"
        except PlaywrightError as exc:
            return None, f"activity page not captured: {_short(exc)}"
        verdict = classify_page(activity.status, activity.final_url, activity.html, page="activity")
        if verdict.kind != "profile":
            return None, f"activity page {verdict.kind}: {verdict.reason}"
        return activity, None


def _ignore_outcome(future: asyncio.Future[None]) -> None:
    # A close that failed (a crashed tab) or was given up on has nothing left to say.
    if not future.cancelled():
        future.exception()


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
    policy: HostPolicy | None = None,
    max_screenshot_pixels: int = MAX_SCREENSHOT_PIXELS,
    max_screenshot_bytes: int = MAX_SCREENSHOT_BYTES,
    site: str | None = None,
) -> Iterator[ChromiumSession]:
    """Launch one headless Chromium (and one context) for the duration of a run.

    The browser lives on its own thread and event loop (see ``ChromiumSession``), which stop with
    the context manager whatever happens. ``policy`` is the host allow-list beside each page's
    own site; the default allows internal addresses nowhere (``HostPolicy(internal_allowed=True)``
    for a site on loopback). With ``site`` (the run's base URL), Chromium resolves only the site's
    and the allow-list's hosts, so a redirect's next hop, which no route sees, cannot leave either.
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
            args = list(CHROMIUM_ARGS)
            if site is not None:
                args.append(f"--host-resolver-rules={resolver_rules(site, policy or HostPolicy())}")
            browser = await playwright.chromium.launch(
                executable_path=executable, headless=True, args=args
            )
            context = await browser.new_context(
                viewport={"width": viewport[0], "height": viewport[1]},
                storage_state=storage_state_path or None,
                locale="en-US",
                timezone_id="UTC",
                # A service worker's requests would bypass the context's route.
                service_workers="block",
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
            session = ChromiumSession(
                loop,
                context,
                timeout_s,
                max_page_bytes,
                max_pages,
                min_delay_s,
                jitter,
                policy=policy,
                max_screenshot_pixels=max_screenshot_pixels,
                max_screenshot_bytes=max_screenshot_bytes,
            )
            session.signed_in = bool(storage_state_path)
            call(session.guard())
            yield session
        finally:
            with contextlib.suppress(Exception):  # a dead browser must not hide the real error
                call(shut(playwright, browser))
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(LAUNCH_TIMEOUT_S)
        if not thread.is_alive():
            loop.close()
