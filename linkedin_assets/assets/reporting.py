"""What a run tells its reader: progress lines, the summary and the failure message (pure: no
Dagster, no I/O; ``log`` is whatever callable the caller passes)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from linkedin_assets.errors import SessionExpired

if TYPE_CHECKING:
    from linkedin_assets.assets.work import ProfileOutcome

MAX_FAILURES_IN_MESSAGE = 20


class Progress:
    """A progress line every ``every_s`` seconds (and at the end), not one per profile."""

    def __init__(
        self,
        total: int,
        log: Callable[[str], None],
        every_s: float = 10.0,
        detail: Callable[[], str] = lambda: "",
    ) -> None:
        self.total = total
        self._log = log
        self._detail = detail
        self._every_s = every_s
        self._started = self._last = time.monotonic()
        self.counts: Counter[str] = Counter()

    def count(self, outcome: ProfileOutcome) -> None:
        self.counts[
            "done" if outcome.ok
            else "deferred" if outcome.deferred
            else "recorded" if outcome.recorded
            else "failed"
        ] += 1  # fmt: skip
        if time.monotonic() - self._last >= self._every_s:
            self.log()

    def log(self, final: bool = False) -> None:
        self._last = time.monotonic()
        finished = sum(self.counts.values())
        elapsed = self._last - self._started
        rate = finished / elapsed if elapsed > 0 else 0.0
        self._log(
            f"{'finished' if final else 'progress'}: {finished}/{self.total} profiles "
            f"({self.counts['done']} done, {self.counts['failed']} failed, "
            f"{self.counts['deferred']} deferred, {self.counts['recorded']} unavailable) "
            f"in {elapsed:.0f}s, {rate:.2f} profiles/s" + self._detail()
        )


def storage_figures(
    requests: int, transient_failures: int, profile_retries: int, slowdowns: int
) -> dict[str, int]:
    """The run's S3 and DynamoDB requests, their transient failures (each retried by botocore
    or, past its retries, by a profile round), the profile rounds and the storage gate's cuts."""
    return {
        "storage_requests": requests,
        "storage_transient_failures": transient_failures,
        "profile_retries": profile_retries,
        "slowdowns": slowdowns,
    }


def storage_line(figures: dict[str, int]) -> str:
    return (
        f"; storage: {figures['storage_requests']} requests, "
        f"{figures['storage_transient_failures']} transient failures, "
        f"{figures['profile_retries']} profile retries, {figures['slowdowns']} slowdowns"
    )


def summarise(outcomes: list[ProfileOutcome]) -> dict[str, Any]:
    """Run-level figures (pure)."""
    kinds = Counter(o.error_kind for o in outcomes if o.failed)
    durations = sorted(o.duration_s for o in outcomes)
    return {
        "profiles": len(outcomes),
        "succeeded": sum(o.ok for o in outcomes),
        "failed": sum(o.failed for o in outcomes),
        "deferred": sum(o.deferred for o in outcomes),
        # The site's answers recorded as data (not found, auth wall): not failures.
        "unavailable": sum(o.recorded is not None for o in outcomes),
        "failures_by_kind": dict(kinds),
        "p50_profile_s": round(durations[len(durations) // 2], 3) if durations else 0.0,
        "p95_profile_s": round(durations[int(len(durations) * 0.95) - 1], 3) if durations else 0.0,
    }


def session_expired(outcomes: list[ProfileOutcome]) -> list[ProfileOutcome]:
    """The profiles that met an auth wall although signed in: the session no longer works."""
    return [o for o in outcomes if o.error_kind == SessionExpired.kind]


def failure_message(outcomes: list[ProfileOutcome]) -> str:
    """Why the run failed: an expired session once, then each profile that failed."""
    failed = [o for o in outcomes if o.failed]
    lines: list[str] = []
    expired = session_expired(outcomes)
    if expired:
        deferred = sum(o.deferred for o in outcomes)
        lines.append(
            "The signed-in session in LINKEDIN_STORAGE_STATE has expired: the site asked to sign "
            f"in at {expired[0].profile_id} ({expired[0].error}). Renew it: sign in again and "
            "save the browser's Playwright storage state to the file LINKEDIN_STORAGE_STATE names. "
            f"{deferred} of {len(outcomes)} profiles were deferred to a later run."
        )
        if not failed:
            return lines[0]
    lines.append(f"{len(failed)} of {len(outcomes)} profiles failed:")
    for o in failed[:MAX_FAILURES_IN_MESSAGE]:
        lines.append(f"- {o.profile_id}: {o.failed_stage} {o.error_kind}: {o.error}")
    if len(failed) > MAX_FAILURES_IN_MESSAGE:
        lines.append(f"- … and {len(failed) - MAX_FAILURES_IN_MESSAGE} more (see the run's logs)")
    return "\n".join(lines)
