"""Where a capture's time goes, and what Chromium's fast PNG encoding would save (prints; asserts
nothing). On a generated sample site, one browser, the same pages at once as the pipeline:

- ``playwright``: ``page.screenshot(full_page=True, animations="disabled")``, as the pipeline does;
- ``cdp``: the same full-page PNG through a CDP session (``Page.captureScreenshot``), Chromium's
  default encoding: what Playwright's own preparation costs;
- ``cdp-fast``: the same with ``optimizeForSpeed`` (a faster zlib setting, larger files).

    .venv/bin/python benchmarks/screenshot_encoding.py [--profiles 40] [--pages 4] [--rounds 2]
"""

from __future__ import annotations

import asyncio
import base64
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
from playwright.async_api import BrowserContext, Page, async_playwright

from linkedin_assets.core.profile_ids import profile_url
from linkedin_assets.local.sample_site import SampleSite
from linkedin_assets.resources.browser import CHROMIUM_ARGS, activity_url, find_chromium
from linkedin_assets.testing.generated_site import generate_site

MODES = ("playwright", "cdp", "cdp-fast")


@dataclass
class Timings:
    goto: list[float] = field(default_factory=list)
    content: list[float] = field(default_factory=list)
    screenshot: list[float] = field(default_factory=list)
    png_bytes: list[int] = field(default_factory=list)


async def screenshot(context: BrowserContext, page: Page, mode: str) -> bytes:
    if mode == "playwright":
        return await page.screenshot(full_page=True, animations="disabled")
    cdp = await context.new_cdp_session(page)
    try:
        size = (await cdp.send("Page.getLayoutMetrics"))["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = await cdp.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "clip": clip,
                "captureBeyondViewport": True,
                "optimizeForSpeed": mode == "cdp-fast",
            },
        )
        return base64.b64decode(shot["data"])
    finally:
        await cdp.detach()


async def one_round(context: BrowserContext, urls: list[str], pages: int, mode: str) -> None:
    idle = [await context.new_page() for _ in range(pages)]
    slots = asyncio.Semaphore(pages)
    timings = Timings()

    async def capture(url: str) -> None:
        async with slots:
            page = idle.pop()
            try:
                started = time.perf_counter()
                await page.goto(url, wait_until="load")
                loaded = time.perf_counter()
                await page.content()
                read = time.perf_counter()
                png = await screenshot(context, page, mode)
                timings.goto.append(loaded - started)
                timings.content.append(read - loaded)
                timings.screenshot.append(time.perf_counter() - read)
                timings.png_bytes.append(len(png))
            finally:
                idle.append(page)

    started = time.perf_counter()
    await asyncio.gather(*(capture(url) for url in urls))
    elapsed = time.perf_counter() - started
    for page in idle:
        await page.close()
    ms = {name: statistics.mean(getattr(timings, name)) * 1e3 for name in ("goto", "content", "screenshot")}  # fmt: skip
    print(f"{mode:>10}: {len(urls) / elapsed:5.1f} page loads/s; per page (wall, under load) goto "
          f"{ms['goto']:.0f} ms, content {ms['content']:.0f} ms, screenshot {ms['screenshot']:.0f} ms; "
          f"PNG {statistics.mean(timings.png_bytes) / 1e3:.0f} kB")  # fmt: skip


async def run(base_url: str, ids: list[str], pages: int, rounds: int) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=find_chromium(None, playwright), headless=True, args=list(CHROMIUM_ARGS)
        )
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        urls = [profile_url(pid, base_url) for pid in ids] + [activity_url(pid, base_url) for pid in ids]  # fmt: skip
        for _ in range(rounds):
            for mode in MODES:
                await one_round(context, urls, pages, mode)
        await browser.close()


@click.command()
@click.option("--profiles", default=40, show_default=True, help="Two page loads each.")
@click.option("--pages", default=4, show_default=True, help="Pages at once.")
@click.option("--rounds", default=2, show_default=True, help="Each mode this many times.")
def main(profiles: int, pages: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ids = generate_site(Path(tmp), profiles, seed=3)
        with SampleSite(pages_dir=Path(tmp)) as site:
            print(
                f"{profiles} generated profiles ({2 * profiles} page loads), {pages} page(s) at once"
            )
            asyncio.run(run(site.base_url, ids, pages, rounds))


if __name__ == "__main__":
    main()
