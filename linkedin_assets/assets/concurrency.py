"""Running a batch of profiles on a bounded pool of threads, with Dagster kept on one thread.

Worker threads do a profile's browser and S3/DynamoDB work; everything that talks to Dagster (log
lines, materializations, check results) is handed back to the step's own thread through an
``EventRelay``, because Dagster's event log, and the ``yield`` of a step, belong to that thread.
At most ``max_in_flight`` profiles are in progress at once, so a run holds at most that many
captures (screenshots and HTML) in memory however many partitions it covers.
"""

from __future__ import annotations

import hashlib
import heapq
import queue
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from linkedin_assets.core.profile_ids import profile_url
from linkedin_assets.errors import NotVisited, RateLimited, SessionExpired
from linkedin_assets.resources.browser import ProfileBrowser, ProfileCapture

T = TypeVar("T")
R = TypeVar("R")

MAX_BLOCK_PAUSE_S = 600.0
SESSION_EXPIRED = "the signed-in session (LINKEDIN_STORAGE_STATE) has expired"


class EventRelay:
    """A queue of calls made on worker threads, replayed in order on the owning thread.

    ``log`` is a logger-like object and ``call`` any callable; on the owning thread they run at
    once, elsewhere they wait for the next ``drain``.
    """

    def __init__(self, log: Any) -> None:
        self._owner = threading.get_ident()
        self._pending: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]]] = (
            queue.SimpleQueue()
        )
        self._target_log = log
        self.log = _RelayedLog(self)

    def call(self, fn: Callable[..., Any], *args: Any) -> None:
        if threading.get_ident() == self._owner:
            fn(*args)
        else:
            self._pending.put((fn, args))

    def drain(self) -> None:
        """Run everything the workers handed over so far (owning thread only)."""
        while True:
            try:
                fn, args = self._pending.get_nowait()
            except queue.Empty:
                return
            fn(*args)


class _RelayedLog:
    def __init__(self, relay: EventRelay) -> None:
        self._relay = relay

    def debug(self, msg: str) -> None:
        self._relay.call(self._relay._target_log.debug, msg)

    def info(self, msg: str) -> None:
        self._relay.call(self._relay._target_log.info, msg)

    def warning(self, msg: str) -> None:
        self._relay.call(self._relay._target_log.warning, msg)

    def error(self, msg: str) -> None:
        self._relay.call(self._relay._target_log.error, msg)


@dataclass(frozen=True)
class Requeue(Generic[T]):
    """What ``bounded_map``'s ``fn`` returns to have ``item`` taken again after ``delay_s``."""

    item: T
    delay_s: float


def bounded_map(
    fn: Callable[[T], R | Requeue[T]],
    items: Iterable[T],
    workers: int,
    on_wake: Callable[[], None] = lambda: None,
    wake_every_s: float = 0.25,
    max_waiting: int | None = None,
) -> Iterator[tuple[T, R]]:
    """``fn`` over ``items`` on ``workers`` threads, results in completion order.

    Each worker takes the next item itself as soon as it is free, so a caller busy with a result
    (writing its Dagster events) never holds the next item back. At most ``workers`` items are in
    flight, and items are taken lazily (a million partitions cost no memory up front); a result
    waits in a queue until the caller takes it, so ``fn`` should return something small.

    ``fn`` may return ``Requeue(item, delay_s)``: the item waits, holding no worker, and is taken
    again once its delay is over, before any new item. At most ``max_waiting`` (default
    ``workers``) items wait at once: past that, free workers wait for the next one due instead of
    taking new items, so what waiting items hold in memory stays bounded too.

    ``on_wake`` runs on the calling thread at least every ``wake_every_s`` and before each result,
    which is where the caller drains its ``EventRelay``. ``fn`` must not raise for an item's own
    failure; if it does, the exception reaches the caller once the workers have stopped.
    """
    source = iter(items)
    changed = threading.Condition()
    stop = threading.Event()
    done: queue.SimpleQueue[tuple[T, R] | BaseException | None] = queue.SimpleQueue()
    waiting: list[tuple[float, int, T]] = []  # (due, order, item): a heap
    state = {"exhausted": False, "in_flight": 0, "order": 0}
    waiting_cap = max(1, workers if max_waiting is None else max_waiting)

    def take() -> tuple[T] | None:
        """``(item,)`` for the next item to work on (which may itself be ``None``); ``None`` when
        all is done."""
        with changed:
            while not stop.is_set():
                now = time.monotonic()
                if waiting and waiting[0][0] <= now:
                    state["in_flight"] += 1
                    return (heapq.heappop(waiting)[2],)
                if not state["exhausted"] and len(waiting) < waiting_cap:
                    try:
                        item = next(source)
                    except StopIteration:
                        state["exhausted"] = True
                        continue
                    state["in_flight"] += 1
                    return (item,)
                if state["exhausted"] and not waiting and not state["in_flight"]:
                    return None
                # Wait for the next item due, or for a worker to finish (it may requeue one).
                changed.wait(waiting[0][0] - now if waiting else None)
            return None

    def work() -> None:
        try:
            while True:
                taken = take()
                if taken is None:
                    return
                (item,) = taken
                result = fn(item)
                with changed:
                    state["in_flight"] -= 1
                    if isinstance(result, Requeue):
                        state["order"] += 1
                        due = time.monotonic() + max(0.0, result.delay_s)
                        heapq.heappush(waiting, (due, state["order"], result.item))
                    changed.notify_all()
                if not isinstance(result, Requeue):
                    done.put((item, result))
        except BaseException as exc:  # handed to the caller, which re-raises it
            stop.set()
            done.put(exc)
        finally:
            with changed:
                changed.notify_all()
            done.put(None)  # this worker has finished

    threads = [
        threading.Thread(target=work, name=f"profile-{n}", daemon=True)
        for n in range(max(1, workers))
    ]
    for thread in threads:
        thread.start()
    running, failure = len(threads), None
    try:
        while running:
            try:
                entry = done.get(timeout=wake_every_s)
            except queue.Empty:
                on_wake()
                continue
            on_wake()
            if entry is None:
                running -= 1
            elif isinstance(entry, BaseException):
                failure = failure or entry
            elif failure is None:
                yield entry
    finally:
        # The caller stopped early, or a worker raised: take no new items, let in-flight ones end.
        stop.set()
        with changed:
            changed.notify_all()
        for thread in threads:
            thread.join()
        on_wake()
    if failure is not None:
        raise failure


def retry_pause_s(key: str, round_: int, first_pause_s: float, max_pause_s: float) -> float:
    """The pause before ``key``'s round ``round_`` (2, 3, …): doubling from ``first_pause_s``,
    capped at ``max_pause_s``, times a jitter factor in [0.75, 1.25).

    The jitter spreads retries out (many profiles failed by the same outage do not all come back
    at once) but is drawn from ``key`` and ``round_``, not a shared random stream, so the same
    profile waits the same on every run whatever the threads did.
    """
    base = min(first_pause_s * 2 ** max(0, round_ - 2), max_pause_s)
    digest = hashlib.blake2b(f"{key}\0{round_}".encode(), digest_size=8).digest()
    return base * (0.75 + 0.5 * int.from_bytes(digest, "big") / 2**64)


class StorageGate:
    """How many profiles may do their S3/DynamoDB work at once: ``ceiling``, until S3 or DynamoDB
    says to slow down.

    Each throttling answer (``SlowDown``, ``ThrottlingException``: ``throttled``) halves the limit,
    at most once per ``cut_every_s`` so that one burst of answers to requests already in flight
    counts once, down to one profile at a time. After ``recover_s`` without throttling it grows back
    by one, every ``recover_s``: additive increase, multiplicative decrease, as TCP does. botocore's
    ``adaptive`` mode does the same to the request rate, per client; this gate is shared by the
    run's S3 and DynamoDB clients, and shows in the run's log and metrics (docs/faults.md).
    """

    def __init__(
        self,
        ceiling: int,
        recover_s: float,
        log: Any,
        cut_every_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ceiling = max(1, ceiling)
        self.limit = self.ceiling
        self.cuts = 0
        self._recover_s = recover_s
        self._cut_every_s = cut_every_s
        self._log = log
        self._clock = clock
        self._changed_at = self._cut_at = -float("inf")
        self._in_use = 0
        self._lock = threading.Condition()

    def throttled(self) -> None:
        with self._lock:
            now = self._clock()
            self._changed_at = now
            if now - self._cut_at < self._cut_every_s or self.limit == 1:
                return
            self._cut_at = now
            self.limit = max(1, self.limit // 2)
            self.cuts += 1
        self._log.warning(
            f"storage is throttling (SlowDown): {self.limit} profile(s) at once until it stops"
        )

    def _grow(self) -> None:
        now = self._clock()
        if self.limit < self.ceiling and now - self._changed_at >= self._recover_s:
            self.limit += 1
            self._changed_at = now
            self._lock.notify_all()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the ``limit`` places for the duration of the block."""
        with self._lock:
            self._grow()
            while self._in_use >= self.limit:
                self._lock.wait(self._recover_s or None)
                self._grow()
            self._in_use += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_use -= 1
                self._lock.notify_all()


class BlockBackoff:
    """Backs off when the site rate-limits, and stops visiting it after ``limit`` in a row, or at
    once when the signed-in session has expired (``stop``).

    Shared by the run's workers: a rate-limited profile makes every worker wait out the pause
    before its next visit (doubling, with jitter so parallel runs spread out). A rate-limited
    profile is deferred, not failed: its page said nothing about the profile.
    """

    RATE_LIMITED = "the site was rate limiting this run"

    def __init__(
        self,
        limit: int,
        first_pause_s: float,
        log: Any,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = max(limit, 1)
        self.first_pause_s = first_pause_s
        self.log = log
        self.in_a_row = 0
        self.stopped = False
        # Why the run stopped visiting, for the profiles it then does not visit.
        self.stopped_because = self.RATE_LIMITED
        self._resume_at = 0.0
        self._lock = threading.Lock()
        self._sleep = sleep
        self._clock = clock  # injected by tests, with ``sleep``, so no test waits for real

    @property
    def pause_s(self) -> float:
        return max(0.0, self._resume_at - self._clock())

    def before_visit(self) -> bool:
        """Wait out any pause owed; ``False`` once the run has stopped visiting the site."""
        while not self.stopped:
            owed = self.pause_s
            if owed <= 0:
                return True
            self._sleep(owed)
        return False

    def stop(self, because: str) -> None:
        """No more visits in this run, whatever the site would answer."""
        with self._lock:
            if not self.stopped:
                self.stopped_because = because
                self.log.warning(
                    f"no more visits in this run: {because}; the remaining profiles are left "
                    "for a later run"
                )
            self.stopped = True

    def after(self, rate_limited: bool) -> None:
        """Record a visit's result."""
        with self._lock:
            if not rate_limited:
                self.in_a_row = 0
                return
            self.in_a_row += 1
            if self.in_a_row >= self.limit:
                if not self.stopped:
                    self.stopped_because = self.RATE_LIMITED
                    self.log.warning(
                        f"the site rate-limited {self.in_a_row} profiles in a row: no more visits "
                        "in this run; the remaining profiles are left for a later run"
                    )
                self.stopped = True
                return
            pause = min(self.first_pause_s * 2 ** (self.in_a_row - 1), MAX_BLOCK_PAUSE_S)
            pause *= random.uniform(0.8, 1.2)
            self._resume_at = max(self._resume_at, self._clock() + pause)
            self.log.warning(
                f"rate-limited ({self.in_a_row} in a row): pausing {pause:.1f}s before the next "
                "visit"
            )


class PoliteBrowser:
    """A ``ProfileBrowser`` that visits the site at most ``pages`` profiles at a time, and minds
    the run's ``BlockBackoff`` before each visit.

    The slot is held for the whole capture, so the visit's verdict is recorded before the next
    visit starts: with one page at a time, "in a row" means exactly that.
    """

    def __init__(self, browser: ProfileBrowser, pages: int, backoff: BlockBackoff) -> None:
        self._browser = browser
        self._slots = threading.BoundedSemaphore(max(1, pages))
        self._backoff = backoff

    def capture_profile(self, profile_id: str, base_url: str) -> ProfileCapture:
        with self._slots:
            if not self._backoff.before_visit():
                raise NotVisited(
                    profile_id,
                    profile_url(profile_id, base_url),
                    f"not visited: {self._backoff.stopped_because}",
                )
            try:
                capture = self._browser.capture_profile(profile_id, base_url)
            except RateLimited:
                self._backoff.after(rate_limited=True)
                raise
            except SessionExpired:
                # Every later visit would meet the same wall: stop, and defer the rest.
                self._backoff.stop(SESSION_EXPIRED)
                raise
            except Exception:
                self._backoff.after(rate_limited=False)
                raise
            self._backoff.after(rate_limited=False)
            return capture
