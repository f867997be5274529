"""The run's thread pool, event relay and politeness (no browser, no AWS)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from linkedin_assets.assets.concurrency import BlockBackoff, EventRelay, PoliteBrowser, bounded_map
from linkedin_assets.errors import NotVisited, ProfileNotFound, RateLimited, SessionExpired
from linkedin_assets.resources.browser import PageCapture, ProfileCapture


class Recorder:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def info(self, msg: str) -> None:
        self.lines.append(("info", msg))

    def warning(self, msg: str) -> None:
        self.lines.append(("warning", msg))

    def error(self, msg: str) -> None:
        self.lines.append(("error", msg))

    def debug(self, msg: str) -> None:
        self.lines.append(("debug", msg))


class Gauge:
    """How many callers are inside at once, at most."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.now -= 1


def test_bounded_map_returns_every_result_with_at_most_workers_in_flight() -> None:
    gauge = Gauge()
    finished: list[int] = []
    # The first four items meet at the barrier: four workers in flight at once, for certain (a
    # fifth would be let in only by a bounded_map that runs too many; the timeout ends a hang).
    all_in_flight = threading.Barrier(4, timeout=30)

    def items() -> Iterator[int]:
        for n in range(40):
            # Lazy: an item is taken only when a worker is free for it.
            assert n - len(finished) <= 4
            yield n

    def square(n: int) -> int:
        with gauge:
            if n < 4:
                all_in_flight.wait()
        finished.append(n)
        return n * n

    seen = list(bounded_map(square, items(), workers=4))
    assert sorted(seen) == [(n, n * n) for n in range(40)]
    assert gauge.peak == 4


def test_bounded_map_wakes_the_caller_while_work_is_slow() -> None:
    # The work ends only once the caller has been woken three times while it was in flight: a
    # bounded_map that woke the caller only with results would leave it to time out.
    wakes: list[int] = []
    woken_thrice = threading.Event()

    def on_wake() -> None:
        wakes.append(1)
        if len(wakes) >= 3:
            woken_thrice.set()

    results = list(
        bounded_map(
            lambda n: n if woken_thrice.wait(timeout=30) else -1,
            [1],
            workers=1,
            on_wake=on_wake,
            wake_every_s=0.01,
        )
    )
    assert results == [(1, 1)]


def test_bounded_map_of_nothing_and_an_error_propagates() -> None:
    assert list(bounded_map(lambda n: n, [], workers=3)) == []

    def boom(n: int) -> int:
        raise ValueError(f"bad {n}")

    with pytest.raises(ValueError, match="bad 1"):
        list(bounded_map(boom, [1], workers=2))


def test_relay_runs_calls_from_workers_only_when_drained_in_order() -> None:
    log = Recorder()
    relay = EventRelay(log)
    relay.log.info("on the owner thread: at once")
    assert log.lines == [("info", "on the owner thread: at once")]

    def worker() -> None:
        relay.log.warning("one")
        relay.call(log.error, "two")

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert len(log.lines) == 1  # still waiting for the owner
    relay.drain()
    assert log.lines[1:] == [("warning", "one"), ("error", "two")]
    relay.drain()
    assert len(log.lines) == 3


def test_backoff_pauses_doubling_then_stops_and_a_success_resets() -> None:
    log = Recorder()
    slept: list[float] = []
    backoff = BlockBackoff(limit=3, first_pause_s=10, log=log, sleep=slept.append)
    backoff.after(rate_limited=True)
    assert 8 <= backoff.pause_s <= 12 and not backoff.stopped
    backoff.after(rate_limited=False)
    assert backoff.in_a_row == 0
    backoff.after(rate_limited=True)
    backoff.after(rate_limited=True)
    assert 16 <= backoff.pause_s <= 24  # the second in a row: doubled
    backoff.after(rate_limited=True)
    assert backoff.stopped
    assert backoff.before_visit() is False
    assert any("no more visits" in msg for _, msg in log.lines)


class FakeClock:
    """A monotonic clock that moves only when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_backoff_makes_the_next_visit_wait_out_the_pause() -> None:
    clock = FakeClock()
    backoff = BlockBackoff(5, first_pause_s=10, log=Recorder(), sleep=clock.sleep, clock=clock)
    assert backoff.before_visit() is True and clock.slept == []
    backoff.after(rate_limited=True)
    pause = backoff.pause_s
    assert 8 <= pause <= 12
    clock.now += 3  # part of the pause has passed already: only the rest is owed
    assert backoff.before_visit() is True
    assert clock.slept == [pytest.approx(pause - 3)]
    assert backoff.pause_s == 0 and backoff.before_visit() is True
    assert len(clock.slept) == 1


class SlowBrowser:
    def __init__(
        self, rate_limited: frozenset[str] = frozenset(), meet: threading.Barrier | None = None
    ) -> None:
        self.gauge = Gauge()
        self.calls: list[str] = []
        self.rate_limited = rate_limited
        # The first ``meet.parties`` captures wait for each other: that many pages open at once.
        self.meet = meet

    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        with self.gauge:
            self.calls.append(profile_id)
            if self.meet is not None and len(self.calls) <= self.meet.parties:
                self.meet.wait()
            url = f"{base_url}/in/{profile_id}/"
            if profile_id in self.rate_limited:
                raise RateLimited(profile_id, url, "HTTP 999")
            if profile_id.startswith("gone"):
                raise ProfileNotFound(profile_id, url, "HTTP 404")
            if profile_id.startswith("expired"):
                raise SessionExpired(profile_id, url, "redirected to /authwall")
            page = PageCapture(url, url, 200, "<html></html>", b"png")
            return ProfileCapture(profile_id, page, None, None, "2026-01-01T00:00:00Z")


def capture_all(browser: PoliteBrowser, ids: list[str], workers: int) -> dict[str, Any]:
    def capture(pid: str) -> Any:
        try:
            return browser.capture_profile(pid, "http://127.0.0.1:1")
        except Exception as exc:
            return exc

    return dict(bounded_map(capture, ids, workers))


def test_polite_browser_keeps_to_its_pages_however_many_workers() -> None:
    inner = SlowBrowser(meet=threading.Barrier(3, timeout=30))
    polite = PoliteBrowser(inner, pages=3, backoff=BlockBackoff(3, 0, Recorder()))
    results = capture_all(polite, [f"person-{n}" for n in range(24)], workers=10)
    assert all(isinstance(r, ProfileCapture) for r in results.values())
    assert inner.gauge.peak == 3


def test_polite_browser_stops_visiting_after_blocks_in_a_row() -> None:
    # Every visit is rate limited: whatever order the workers arrive in, two visits and no more.
    ids = [f"limited-{n}" for n in range(6)]
    inner = SlowBrowser(rate_limited=frozenset(ids))
    polite = PoliteBrowser(inner, pages=1, backoff=BlockBackoff(2, 0, Recorder()))
    results = capture_all(polite, ids, workers=4)
    assert len(inner.calls) == 2 and inner.gauge.peak == 1
    for pid in ids:
        expected = RateLimited if pid in inner.calls else NotVisited
        assert type(results[pid]) is expected
    assert all("not visited" in str(r) for r in results.values() if isinstance(r, NotVisited))


def test_an_expired_session_stops_every_later_visit_at_once_and_says_why() -> None:
    inner = SlowBrowser()
    log = Recorder()
    polite = PoliteBrowser(inner, pages=1, backoff=BlockBackoff(5, 0, log))
    ids = ["ada", "expired-1", "later-1", "later-2"]
    results = capture_all(polite, ids, workers=1)
    assert inner.calls == ["ada", "expired-1"]  # no visit after the wall, not even a retry
    assert isinstance(results["ada"], ProfileCapture)
    assert isinstance(results["expired-1"], SessionExpired)
    for pid in ("later-1", "later-2"):
        assert isinstance(results[pid], NotVisited)
        assert "not visited: the signed-in session (LINKEDIN_STORAGE_STATE) has expired" in str(
            results[pid]
        )
    said = [msg for level, msg in log.lines if level == "warning" and "no more visits" in msg]
    assert len(said) == 1  # said once, not once per profile


def test_other_capture_errors_do_not_count_as_blocks() -> None:
    inner = SlowBrowser(rate_limited=frozenset({"limited-1", "limited-2"}))
    polite = PoliteBrowser(inner, pages=1, backoff=BlockBackoff(2, 0, Recorder()))
    ids = ["limited-1", "gone-1", "limited-2", "ada"]
    results = capture_all(polite, ids, workers=1)
    assert inner.calls == ids  # a 404 between two blocks breaks the run of blocks
    assert isinstance(results["gone-1"], ProfileNotFound)
    assert isinstance(results["ada"], ProfileCapture)


def test_progress_counts_outcomes_and_logs_at_intervals_and_at_the_end() -> None:
    from linkedin_assets.assets.reporting import Progress
    from linkedin_assets.assets.work import ProfileOutcome

    lines: list[str] = []
    progress = Progress(4, lines.append, every_s=3600)
    progress.count(ProfileOutcome("a"))
    progress.count(ProfileOutcome("b", failed_stage="profile_screenshots"))
    assert lines == []  # not yet: the interval has not passed
    progress.count(ProfileOutcome("c", deferred=True))
    progress.count(ProfileOutcome("d", recorded="not_found", failed_stage="profile_screenshots"))
    progress.log(final=True)
    assert lines[0].startswith(
        "finished: 4/4 profiles (1 done, 1 failed, 1 deferred, 1 unavailable)"
    )
    eager = Progress(2, lines.append, every_s=0)
    eager.count(ProfileOutcome("a"))
    assert lines[-1].startswith(
        "progress: 1/2 profiles (1 done, 0 failed, 0 deferred, 0 unavailable)"
    )
