"""A real Chromium, driven by Playwright, behind a small capture interface.

One browser (and one context) serves every partition of a run; each profile gets a fresh page so a
crashed tab fails only its own profile. Playwright errors are translated to ``CaptureError``s here.
The signed-in session file (``LINKEDIN_STORAGE_STATE``) is handed to Playwright and never logged.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

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
    """``ProfileBrowser`` over one launched Chromium; use ``open_browser`` to get one."""

    def __init__(
        self,
        browser: Browser,
        context: BrowserContext,
        timeout_s: float,
        max_page_bytes: int = MAX_PAGE_BYTES,
    ) -> None:
        self._browser = browser
        self._context = context
        self._timeout_ms = timeout_s * 1000
        self._max_page_bytes = max_page_bytes

    def capture_page(self, url: str) -> PageCapture:
        page = self._context.new_page()
        try:
            response = page.goto(url, wait_until="load", timeout=self._timeout_ms)
            status = response.status if response is not None else 0
            html = page.content()
            size = len(html.encode("utf-8", errors="replace"))
            if size > self._max_page_bytes:
                # Bounded memory per profile, and no multi-megabyte screenshot of a broken page.
                limit_mb = self._max_page_bytes / 1e6
                raise PageTooLarge(f"page is {size / 1e6:.1f} MB, over the {limit_mb:.0f} MB limit")
            png = page.screenshot(full_page=True, animations="disabled", timeout=self._timeout_ms)
            return PageCapture(url, page.url, status, html, png)
        finally:
            # A crashed tab cannot be closed; the context stays usable.
            with contextlib.suppress(PlaywrightError):
                page.close()

    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        url = profile_url(profile_id, base_url)
        try:
            profile = self.capture_page(url)
        except PageTooLarge as exc:
            raise CaptureError(profile_id, url, str(exc)) from exc
        except PlaywrightError as exc:
            raise CaptureError(profile_id, url, _short(exc)) from exc
        verdict = classify_page(profile.status, profile.final_url, profile.html)
        if verdict.kind != "profile":
            raise VERDICT_ERRORS[verdict.kind](profile_id, url, verdict.reason)
        activity, note = self._capture_activity(profile_id, base_url)
        return ProfileCapture(profile_id, profile, activity, note, utc_timestamp())

    def _capture_activity(
        self, profile_id: str, base_url: str
    ) -> tuple[PageCapture | None, str | None]:
        # A missing or unreadable activity page is recorded, not fatal: the profile stands alone.
        url = activity_url(profile_id, base_url)
        try:
            activity = self.capture_page(url)
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


@contextmanager
def open_browser(
    *,
    chromium_executable: str | None = None,
    storage_state_path: str | None = None,
    timeout_s: float = 30.0,
    viewport: tuple[int, int] = (1280, 900),
    max_page_bytes: int = MAX_PAGE_BYTES,
) -> Iterator[ChromiumSession]:
    """Launch one headless Chromium (and one context) for the duration of a run."""
    if storage_state_path and not os.path.isfile(storage_state_path):
        raise ConfigurationError("LINKEDIN_STORAGE_STATE points at a file that does not exist")
    with sync_playwright() as playwright:
        executable = find_chromium(chromium_executable, playwright)
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            context = browser.new_context(
                viewport={"width": viewport[0], "height": viewport[1]},
                storage_state=storage_state_path or None,
                locale="en-US",
                timezone_id="UTC",
            )
            yield ChromiumSession(browser, context, timeout_s, max_page_bytes)
        finally:
            browser.close()
