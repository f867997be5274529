"""Transient storage failures: a profile goes back in the run's queue after a growing, jittered
pause, resumes where it stopped, and is deferred (never failed) once its rounds or time run out;
SlowDown cuts how many profiles do storage work at once. No browser, no HTTP: moto's in-process
mock behind a store that fails on cue."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import botocore.exceptions
import pytest

from linkedin_assets.assets.concurrency import Requeue, StorageGate, bounded_map, retry_pause_s
from linkedin_assets.assets.profile_run import ALL_ASSETS, CHECK_SPECS, process_profile
from linkedin_assets.assets.reporting import summarise
from linkedin_assets.assets.work import ProfileOutcome, ProfileWork, RunContext
from linkedin_assets.core.storage_layout import StorageLayout
from linkedin_assets.errors import UploadFailed
from linkedin_assets.resources.aws import (
    ClientSettings,
    ProfileRequests,
    RequestStats,
    StorageRetry,
    build_client,
    is_transient,
)
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import ObjectInfo, PutResult, S3ObjectStore
from linkedin_assets.resources.profile_index import DynamoDBIndexStore
from tests.assets.fakes import BASE, FakeBrowser
from tests.conftest import BUCKET, REGION, TABLE
from tests.index_reads import index_item
from tests.unit.assets.test_concurrency import Recorder


class FlakyStore:
    """An ``ObjectStore`` whose puts to keys containing ``fragment`` fail ``failures`` times first,
    transiently (SlowDown after botocore's retries) or not (AccessDenied)."""

    def __init__(
        self, inner: S3ObjectStore, fragment: str, failures: int, transient: bool = True
    ) -> None:
        self.inner = inner
        self.fragment = fragment
        self.failures = failures
        self.transient = transient
        self.failed_puts = 0
        self.keys: list[str] = []

    def put(self, bucket: str, key: str, body: bytes, **kwargs: Any) -> PutResult:
        self.keys.append(key)
        if self.fragment in key and self.failed_puts < self.failures:
            self.failed_puts += 1
            code = "SlowDown (HTTP 503)" if self.transient else "AccessDenied (HTTP 403)"
            raise UploadFailed(
                f"upload of s3://{bucket}/{key} failed after 10 attempt(s): {code}",
                transient=self.transient,
                attempts=10,
            )
        return self.inner.put(bucket, key, body, **kwargs)

    def get(self, bucket: str, key: str, byte_range: str | None = None) -> bytes:
        return self.inner.get(bucket, key, byte_range)

    def head(self, bucket: str, key: str) -> ObjectInfo | None:
        return self.inner.head(bucket, key)


def run_context(
    aws: Mapping[str, Any], store: FlakyStore, calls: list[str], retry: StorageRetry
) -> RunContext:
    storage = ProfileStorage(store, StorageLayout(), BUCKET, BUCKET)
    return RunContext(
        selected=frozenset(ALL_ASSETS),
        checks=frozenset(spec.key for spec in CHECK_SPECS),
        storage=storage,
        index=DynamoDBIndexStore(aws["dynamodb"], TABLE),
        index_table=TABLE,
        browser=FakeBrowser(calls),
        base_url=BASE,
        statuses={},
        emit=lambda *args: None,
        log=Recorder(),
        retry=retry,
    )


def flaky(
    aws: Mapping[str, Any], fragment: str, failures: int, transient: bool = True
) -> FlakyStore:
    return FlakyStore(S3ObjectStore(aws["s3"]), fragment, failures, transient)


def until_done(run: RunContext, work: ProfileWork) -> tuple[ProfileOutcome, list[float]]:
    """Run a profile's rounds back to back, as the queue would after each pause (which the run's
    clock is moved past)."""
    pauses: list[float] = []
    run.clock = lambda: 1000.0 + sum(pauses)
    while isinstance(result := process_profile(run, work), Requeue):
        assert result.item is work
        pauses.append(result.delay_s)
    return result, pauses


def test_a_transient_upload_failure_sends_the_profile_back_and_it_resumes_where_it_stopped(
    aws: dict[str, Any],
) -> None:
    calls: list[str] = []
    store = flaky(aws, "profiles/ada-lovelace.json", failures=2)
    run = run_context(aws, store, calls, StorageRetry(rounds=4, first_pause_s=2.0))
    outcome, pauses = until_done(run, ProfileWork.start("ada-lovelace"))
    assert outcome.ok and outcome.rounds == 3 and run.profile_retries == 2
    assert calls == ["ada-lovelace"]  # the site was visited once, whatever S3 did
    assert outcome.completed == [
        "profile_screenshots",
        "profile_text",
        "profile_json",
        "profile_index",
    ]
    assert [spec.name for spec, _ in outcome.check_results] == [
        "screenshots_stored", "json_intact", "index_consistent",
    ]  # fmt: skip
    assert all(result.passed for _, result in outcome.check_results)
    assert 1.5 <= pauses[0] < 2.5 and 3.0 <= pauses[1] < 5.0  # growing, jittered
    retried = [line for level, line in run.log.lines if level == "warning"]
    assert len(retried) == 2 and "round 2/4" in retried[0] and "SlowDown" in retried[0]


def test_a_round_sends_only_what_the_last_one_did_not_store(aws: dict[str, Any]) -> None:
    store = flaky(aws, "captures/ada-lovelace/capture.json", failures=2)
    run = run_context(aws, store, [], StorageRetry(rounds=4))
    outcome, pauses = until_done(run, ProfileWork.start("ada-lovelace"))
    assert outcome.ok and len(pauses) == 2
    screenshot_puts = store.keys[:5]  # the screenshot layer comes first
    assert screenshot_puts == [
        "screenshots/ada-lovelace-profile.png",
        "captures/ada-lovelace/profile.html",
        "captures/ada-lovelace/capture.json",  # fails
        "captures/ada-lovelace/capture.json",  # round 2: only what is missing; fails
        "captures/ada-lovelace/capture.json",  # round 3: stored
    ]


def test_when_the_rounds_run_out_the_profile_is_deferred_not_failed(aws: dict[str, Any]) -> None:
    store = flaky(aws, "profiles/", failures=100)
    run = run_context(aws, store, [], StorageRetry(rounds=3, first_pause_s=1.0))
    outcome, pauses = until_done(run, ProfileWork.start("alan-turing"))
    assert len(pauses) == 2 and store.failed_puts == 3
    assert outcome.deferred and not outcome.failed and outcome.error_kind == "storage_unavailable"
    assert outcome.failed_stage == "profile_json"
    assert "after 3 round(s)" in (outcome.error or "") and "SlowDown" in (outcome.error or "")
    assert summarise([outcome])["failed"] == 0 and summarise([outcome])["deferred"] == 1
    # Not a failure of the profile: the index does not mark its text upload failed.
    assert index_item(aws["dynamodb"], TABLE, "alan-turing", missing_ok=True) is None


def test_the_time_budget_defers_before_the_rounds_run_out(aws: dict[str, Any]) -> None:
    store = flaky(aws, "profiles/", failures=100)
    run = run_context(aws, store, [], StorageRetry(rounds=10, first_pause_s=4.0, max_s=10.0))
    outcome, pauses = until_done(run, ProfileWork.start("alan-turing"))
    # 4 s, then 8 s would end past 10 s after the first failure (jitter at most ×1.25, at least ×0.75).
    assert len(pauses) == 1 and outcome.deferred


def test_a_permanent_storage_error_fails_at_once_with_its_reason(aws: dict[str, Any]) -> None:
    store = flaky(aws, "profiles/", failures=1, transient=False)
    run = run_context(aws, store, [], StorageRetry(rounds=5))
    result = process_profile(run, ProfileWork.start("ada-lovelace"))
    assert isinstance(result, ProfileOutcome) and result.failed and run.profile_retries == 0
    assert result.error_kind == "storage_failed" and "AccessDenied" in (result.error or "")
    item = index_item(aws["dynamodb"], TABLE, "ada-lovelace")
    assert item["text_upload_failed"] == {"BOOL": True}


def test_retry_pauses_grow_are_capped_and_are_the_same_on_every_run() -> None:
    pauses = [retry_pause_s("ada", n, 2.0, 20.0) for n in range(2, 8)]
    assert pauses == [retry_pause_s("ada", n, 2.0, 20.0) for n in range(2, 8)]
    for n, pause in zip(range(2, 8), pauses, strict=True):
        base = min(2.0 * 2 ** (n - 2), 20.0)
        assert 0.75 * base <= pause < 1.25 * base
    # Profiles failed by the same outage do not all come back at once.
    assert len({retry_pause_s(f"p{n}", 2, 2.0, 20.0) for n in range(20)}) == 20


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (botocore.exceptions.ClientError({"Error": {"Code": "SlowDown"}, "ResponseMetadata": {"HTTPStatusCode": 503}}, "PutObject"), True),
        (botocore.exceptions.ClientError({"Error": {"Code": "InternalError"}, "ResponseMetadata": {"HTTPStatusCode": 500}}, "PutObject"), True),
        (botocore.exceptions.ClientError({"Error": {"Code": "ThrottlingException"}, "ResponseMetadata": {"HTTPStatusCode": 400}}, "UpdateItem"), True),
        (botocore.exceptions.ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}, "ResponseMetadata": {"HTTPStatusCode": 400}}, "UpdateItem"), True),
        (botocore.exceptions.ClientError({"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "PutObject"), False),
        (botocore.exceptions.ClientError({"Error": {"Code": "NoSuchBucket"}, "ResponseMetadata": {"HTTPStatusCode": 404}}, "PutObject"), False),
        (botocore.exceptions.ClientError({"Error": {"Code": "ValidationException"}, "ResponseMetadata": {"HTTPStatusCode": 400}}, "UpdateItem"), False),
        (botocore.exceptions.ConnectionClosedError(endpoint_url="http://127.0.0.1:1"), True),
        (botocore.exceptions.ReadTimeoutError(endpoint_url="http://127.0.0.1:1"), True),
        (botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), True),
        (botocore.exceptions.NoCredentialsError(), False),
        (botocore.exceptions.ParamValidationError(report="bad key"), False),
    ],
)  # fmt: skip
def test_transient_means_worth_trying_later(error: Exception, transient: bool) -> None:
    assert is_transient(error) is transient


def test_requeued_items_come_back_before_new_ones_and_every_result_arrives_once() -> None:
    tries: dict[int, int] = {}
    order: list[int] = []
    lock = threading.Lock()

    def fn(n: int) -> str | Requeue[int]:
        with lock:
            tries[n] = tries.get(n, 0) + 1
            order.append(n)
        # Items divisible by 3 fail their first two tries.
        return Requeue(n, 0.0) if n % 3 == 0 and tries[n] < 3 else f"done {n}"

    results = dict(bounded_map(fn, range(12), workers=1))
    assert results == {n: f"done {n}" for n in range(12)}
    assert tries == {n: 3 if n % 3 == 0 else 1 for n in range(12)}
    # One worker: a requeued item that is due is taken before the next new one.
    assert order[:4] == [0, 0, 0, 1]


def test_waiting_items_are_bounded_so_new_items_wait_for_them() -> None:
    taken: list[int] = []
    waiting_peak = 0
    waiting: set[int] = set()
    lock = threading.Lock()

    def fn(n: int) -> str | Requeue[int]:
        nonlocal waiting_peak
        with lock:
            taken.append(n)
            if n in waiting:
                waiting.discard(n)
                return "ok"
            waiting.add(n)
            waiting_peak = max(waiting_peak, len(waiting))
        return Requeue(n, 0.01)

    results = dict(bounded_map(fn, range(20), workers=2, max_waiting=3))
    assert set(results) == set(range(20))
    assert waiting_peak <= 3 + 2  # the cap, plus what the workers hold while deciding


def test_slow_down_halves_the_gate_once_per_burst_and_quiet_grows_it_back() -> None:
    now = [0.0]
    log = Recorder()
    gate = StorageGate(8, recover_s=10.0, log=log, cut_every_s=1.0, clock=lambda: now[0])
    gate.throttled()
    gate.throttled()  # the same burst: answers to requests already in flight
    assert gate.limit == 4 and gate.cuts == 1
    now[0] = 1.5
    gate.throttled()
    assert gate.limit == 2
    now[0] = 5.0
    with gate.slot():
        assert gate.limit == 2  # not quiet for long enough yet
    now[0] = 11.6
    with gate.slot():
        assert gate.limit == 3
    now[0] = 30.0
    for _ in range(20):
        with gate.slot():
            pass
        now[0] += 10.0
    assert gate.limit == 8  # back to the ceiling, never past it
    assert [level for level, _ in log.lines] == ["warning", "warning"]


def test_the_gate_holds_a_profile_back_while_the_limit_is_in_use() -> None:
    now = [0.0]
    gate = StorageGate(2, recover_s=1000.0, log=Recorder(), clock=lambda: now[0])
    gate.throttled()
    assert gate.limit == 1
    inside, release, entered = threading.Event(), threading.Event(), threading.Event()

    def holder() -> None:
        with gate.slot():
            inside.set()
            release.wait(10)

    def second() -> None:
        with gate.slot():
            entered.set()

    first_thread = threading.Thread(target=holder)
    first_thread.start()
    inside.wait(10)
    other = threading.Thread(target=second)
    other.start()
    assert not entered.wait(0.2)  # held back: one profile at a time
    release.set()
    assert entered.wait(10)
    first_thread.join(10)
    other.join(10)


def test_request_stats_count_per_profile_across_threads() -> None:
    throttles: list[None] = []
    stats = RequestStats(on_throttle=lambda: throttles.append(None))

    counts = [ProfileRequests() for _ in range(4)]

    def work(n: int) -> None:
        with stats.for_profile(counts[n]):
            for i in range(10):
                stats.record(("SlowDown", True) if i < n else None)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    stats.record(("AccessDenied", False))  # outside any profile; not transient
    stats.record(("HTTP 503", True))  # a HEAD's SlowDown has no body to name it
    stats.record(("HTTP 500", True))  # transient, but not a request to slow down
    assert [(c.attempts, c.transient_failures) for c in counts] == [
        (10, 0),
        (10, 1),
        (10, 2),
        (10, 3),
    ]
    assert stats.attempts == 43 and len(throttles) == 7
    assert stats.failures == {"SlowDown": 6, "HTTP 503": 1, "HTTP 500": 1}


def test_no_client_is_built_with_a_private_retry_quota() -> None:
    client = build_client("s3", ClientSettings(region_name=REGION))
    # botocore's own quota, untouched: its circuit breaker stays on (docs/faults.md).
    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 10}
