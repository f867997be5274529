"""What a run shares (``RunContext``), what one profile carries through it (``ProfileWork``), how
far it got (``ProfileOutcome``), and what a layer gives the multi-asset (``Stage``).

A layer module (``profile_screenshots``, ``profile_text``, ``profile_json``, ``profile_index``)
owns its ``Stage``: the function that materializes it for one profile and the function that
checks it, beside its ``AssetSpec`` and check spec. ``pipeline`` only loops over the stages in
lineage order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import dagster as dg

from linkedin_assets.assets.checks import CheckOutcome
from linkedin_assets.assets.upload_metrics import ProfileUpload
from linkedin_assets.errors import CaptureError, StorageError
from linkedin_assets.resources.aws import ProfileRequests, RequestStats, StorageRetry
from linkedin_assets.resources.browser import ProfileBrowser, ProfileCapture
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import PutResult
from linkedin_assets.resources.profile_index import IndexStore

if TYPE_CHECKING:
    from linkedin_assets.assets.concurrency import StorageGate
    from linkedin_assets.assets.profile_json import Published
    from linkedin_assets.assets.profile_screenshots import JustStored, StoredCapture


@dataclass
class ProfileOutcome:
    """How far one profile got in this run."""

    profile_id: str
    # Rate-limited, not visited after the site started rate limiting, or storage still failing
    # after its rounds: not a bad profile, just one for a later run.
    deferred: bool = False
    # The site's answer about the profile, recorded as data rather than failed: "not_found" (404)
    # or "auth_wall" (shown to signed-in members only). ``error_kind`` and ``error`` say more.
    recorded: str | None = None
    completed: list[str] = field(default_factory=list)
    failed_stage: str | None = None
    error_kind: str | None = None
    error: str | None = None
    duration_s: float = 0.0
    # Check results wait for the step's thread, which ties each to its materialization.
    check_results: list[tuple[dg.AssetCheckSpec, CheckOutcome]] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    json_put: PutResult | None = None
    requests: ProfileRequests = field(default_factory=ProfileRequests)
    rounds: int = 1
    # The JSON upload's tries that failed, over the profile's storage rounds, and what they cost:
    # a failed put gives no PutResult, its StorageError carries the attempts and the time.
    json_failed_tries: int = 0
    json_failed_attempts: int = 0
    json_failed_s: float = 0.0

    def upload_failed(self, exc: StorageError) -> None:
        """Count a JSON upload try that failed (the profile may still get another round)."""
        self.json_failed_tries += 1
        self.json_failed_attempts += exc.attempts
        self.json_failed_s += exc.duration_s

    def document_put(self, put: PutResult) -> None:
        """The document's put of one round. A document uploaded in a round whose record then
        failed is found ``unchanged`` by the next round: the upload is still ``uploaded``."""
        if self.json_put is None or self.json_put.outcome != "uploaded":
            self.json_put = put

    def upload(self) -> ProfileUpload:
        """The profile's JSON upload (document and record) for the run's metrics: every try,
        failed ones included; it succeeded only if the profile_json stage completed."""
        put = self.json_put
        if "profile_json" in self.completed and put is not None:
            outcome: str | None = put.outcome
        else:
            outcome = "failed" if self.json_failed_tries else None
        return ProfileUpload(
            profile_id=self.profile_id,
            json_outcome=outcome,
            attempts=self.json_failed_attempts + (put.attempts if put else 0),
            bytes=put.size if put and outcome == "uploaded" else 0,
            duration_s=self.json_failed_s + (put.duration_s if put else 0.0),
            error_kind=self.error_kind,
            error=self.error,
            deferred=self.deferred,
            failed=self.failed,
        )

    @property
    def ok(self) -> bool:
        return self.failed_stage is None and not self.deferred and self.recorded is None

    @property
    def failed(self) -> bool:
        return self.failed_stage is not None and not self.deferred and self.recorded is None


@dataclass
class RunContext:
    """What every profile of a run shares; ``emit`` and ``log`` may be called from any thread."""

    selected: frozenset[dg.AssetKey]
    checks: frozenset[dg.AssetCheckKey]
    storage: ProfileStorage
    index: IndexStore
    index_table: str
    browser: ProfileBrowser | None
    base_url: str
    statuses: dict[str, str]
    emit: Callable[[dg.AssetKey, str, dict[str, Any]], None]
    log: Any
    retry: StorageRetry = field(default_factory=StorageRetry)
    requests: RequestStats = field(default_factory=RequestStats)
    # None: no limit. The pipeline gives it the upload workers, and SlowDown halves it.
    gate: StorageGate | None = None
    profile_retries: int = 0
    clock: Callable[[], float] = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count_retry(self) -> None:
        """One more profile round; workers call it at once, so under a lock."""
        with self._lock:
            self.profile_retries += 1


@dataclass
class ProfileWork:
    """One profile's way through a run, kept across its storage rounds: the steps done and what
    they produced or loaded, so that a retry resumes where the last round stopped (the site is
    visited once, whatever S3 does), and each stored input is loaded at most once (by the layer
    that owns it: ``profile_screenshots.stored``, ``profile_text.document``,
    ``profile_json.published``)."""

    profile_id: str
    outcome: ProfileOutcome
    done: set[str] = field(default_factory=set)
    capture: ProfileCapture | None = None
    # The screenshot layer's puts that succeeded, by name: a later round sends only the rest.
    puts: dict[str, PutResult] = field(default_factory=dict)
    stored: StoredCapture | None = None
    just_stored: JustStored | None = None
    shot_keys: dict[str, str] | None = None
    document: dict[str, Any] | None = None
    published: Published | None = None
    # The blocking check that failed, if any: the layers after it are not written.
    blocked_by: tuple[str, str] | None = None
    # The site's answer about the profile, when it is data (errors.records_outcome): the capture
    # that raised it, kept across storage rounds until the index records it.
    unavailable: CaptureError | None = None
    requests: ProfileRequests = field(default_factory=ProfileRequests)
    rounds: int = 1
    first_failure_at: float | None = None

    @classmethod
    def start(cls, profile_id: str) -> ProfileWork:
        return cls(profile_id, ProfileOutcome(profile_id))


@dataclass(frozen=True)
class Stage:
    """A layer's part in a profile's run.

    ``materialize`` writes the layer for one profile and returns its materialization metadata;
    ``check`` decides its check (``check_spec``); ``browse``, if any, is the part that visits the
    site, which runs outside the storage gate (the browser paces itself).
    """

    spec: dg.AssetSpec
    materialize: Callable[[RunContext, ProfileWork], dict[str, Any]]
    check_spec: dg.AssetCheckSpec | None = None
    check: Callable[[RunContext, ProfileWork], CheckOutcome] | None = None
    browse: Callable[[RunContext, ProfileWork], None] | None = None
