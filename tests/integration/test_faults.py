"""Faults injected for real: S3 and DynamoDB misbehaving behind the fault proxy in front of moto's
server, and a site that misbehaves in front of the sample site, during real batched runs."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pytest

from linkedin_assets.assets.partitions import partition_range_tags
from linkedin_assets.assets.run_report import run_rows
from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.local.sample_site import SampleSite, load_sample_profiles
from linkedin_assets.testing.fault_proxy import FaultProxy, FaultRule
from linkedin_assets.testing.fault_site import (
    FAULT_CRASHES_TAB,
    FAULT_HUGE_PAGE,
    FAULT_NEVER_LOADS,
    FAULT_REDIRECT_LOOP,
    FaultSite,
)
from linkedin_assets.testing.fault_suite import (
    SuiteResult,
    environment,
    free_port,
    run_fault_suite,
    scaled_backoff,
    stack_environment,
)
from tests.index_reads import index_item
from tests.integration.local_aws import local_client

pytestmark = pytest.mark.integration
OK = [p.profile_id for p in load_sample_profiles() if p.outcome == "ok"]


TRANSIENT = [
    FaultRule("reset", 0.05, service="s3"),
    FaultRule("error", 0.30, service="s3", status=503, code="SlowDown"),
]
# The middle of a 200-profile run (~4,500 requests through the proxy): every S3 request 503 for 10 s.
OUTAGE = FaultRule(
    "error", 1.0, service="s3", status=503, code="SlowDown", after_requests=2_000, for_s=10.0
)
# botocore's waits are scaled to 2 %, the profile rounds' pauses shortened alike: 0.25 s, 0.5 s, …
SHORT_ROUNDS = {"PROFILE_STORAGE_RETRY_PAUSE_S": "0.25", "PROFILE_STORAGE_SLOWDOWN_S": "2"}
# Rounds 0.5 s, 1 s, 2 s, 4 s, 8 s apart (at least 11.6 s with jitter): they outlast the outage.
OUTLAST_OUTAGE = {**SHORT_ROUNDS, "PROFILE_STORAGE_RETRY_PAUSE_S": "0.5"}


def assert_nothing_failed_or_lost(result: SuiteResult) -> None:
    """Every profile stored or deferred, the deferred stored by the next run, the store whole."""
    assert result.failed == [] and result.lost == [], result.extra["failures"]
    assert result.run_success  # deferred is not failed: the run is green
    assert result.complete + len(result.deferred) == result.profiles
    assert result.follow_up_complete == len(result.deferred)
    assert all(count == 0 for count in result.inconsistencies.values()), result.inconsistencies
    figures = result.run_figures
    assert (figures["profiles_failed"], figures["profiles_deferred"]) == (0, len(result.deferred))
    # Every fault the proxy injected was met by the run's clients, once, and counted.
    assert figures["storage_transient_failures"] == result.faults
    assert figures["storage_requests"] >= result.requests
    # Quiet: no line per failed attempt; a line per profile retried or deferred, and per slowdown.
    assert result.warnings == (
        figures["profile_retries"] + len(result.deferred) + figures["slowdowns"]
    )


@pytest.mark.parametrize(
    ("rules", "settings"),
    [(TRANSIENT, SHORT_ROUNDS), ([OUTAGE, *TRANSIENT], OUTLAST_OUTAGE)],
    ids=["30pc-slowdown-5pc-resets", "10s-outage-on-top"],
)
# Two batched runs of 200 profiles: pytest-timeout's alarm would land inside the Dagster step.
@pytest.mark.timeout(1800)
def test_transient_s3_faults_never_fail_a_profile(
    tmp_path: Path, rules: list[FaultRule], settings: dict[str, str]
) -> None:
    result = run_fault_suite(
        tmp_path, count=200, rules=rules, backoff_scale=0.02, settings=settings
    )
    assert_nothing_failed_or_lost(result)
    if OUTAGE in rules:
        assert result.injected["error:503:SlowDown"] > 0 and result.run_figures["slowdowns"] > 0


def batched_run(ids: list[str]) -> tuple[dg.DagsterInstance, dg.ExecuteInProcessResult, dict]:
    """One batched run of ``ids`` on a fresh ephemeral instance; its rows by profile."""
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("profiles", ids)
    result = (
        build_definitions("local")
        .resolve_job_def("profile_pipeline_job")
        .execute_in_process(
            instance=instance, tags=partition_range_tags(instance, ids), raise_on_error=False
        )
    )
    return instance, result, {r.profile_id: r for r in run_rows(instance, result.run_id, ids)}


def run_through(
    proxy_rules: list[FaultRule], ids: list[str], tmp_path: Path, **extra_env: str
) -> tuple[dg.DagsterInstance, list, dict, FaultProxy]:
    environ = {**stack_environment(tmp_path), **extra_env}
    moto_url = environ["AWS_ENDPOINT_URL"]
    with (
        environment(environ),
        LocalStack(StackSettings.from_environ(environ), persist=False),
        FaultProxy(moto_url) as proxy,
        scaled_backoff(0.02),
    ):
        os.environ["AWS_ENDPOINT_URL"] = proxy.url
        proxy.set_rules(proxy_rules)
        instance, _, by_id = batched_run(ids)
        proxy.clear()
        rows = [by_id[pid] for pid in ids]
        dynamodb = local_client("dynamodb", {"AWS_ENDPOINT_URL": moto_url})
        items = {
            pid: index_item(dynamodb, environ["DYNAMODB_PROFILE_TABLE"], pid, missing_ok=True)
            for pid in ids
        }
        return instance, rows, items, proxy


def test_403_on_the_profiles_prefix_is_not_retried_and_the_index_says_so(tmp_path: Path) -> None:
    ids = OK[:3]
    bucket = stack_environment(tmp_path)["S3_SCREENSHOT_BUCKET_NAME"]
    rule = FaultRule(
        "error",
        1.0,
        service="s3",
        operation="PUT",
        path_prefix=f"/{bucket}/profiles/",
        status=403,
        code="AccessDenied",
    )
    _, rows, items, proxy = run_through([rule], ids, tmp_path)
    denied = proxy.stats()["injected"]["error:403:AccessDenied"]
    assert denied == len(ids)  # one PUT per profile: a 403 is never retried
    for row in rows:
        assert row.failure is not None and row.failure["stage"] == "profile_json"
        assert (
            "AccessDenied (HTTP 403)" in row.failure["error"]
            and "after 1 attempt(s)" in row.failure["error"]
        )
        assert "profile_screenshots" in row.materialized
        item = items[row.profile_id]
        assert (
            item["text_upload_failed"]["BOOL"] is True
            and "AccessDenied" in item["text_upload_error"]["S"]
        )


def test_dynamodb_throttling_is_retried_and_nothing_is_lost(tmp_path: Path) -> None:
    ids = OK[:4]
    rule = FaultRule(
        "error",
        0.5,
        service="dynamodb",
        operation="UpdateItem",
        status=400,
        code="ThrottlingException",
    )
    _, rows, items, proxy = run_through([rule], ids, tmp_path)
    assert proxy.stats()["injected"].get("error:400:ThrottlingException", 0) > 0
    for row in rows:
        assert row.failure is None and "profile_index" in row.materialized
        assert items[row.profile_id]["text_upload_failed"]["BOOL"] is False


def test_browser_faults_fail_only_their_own_profile(tmp_path: Path) -> None:
    environ = stack_environment(tmp_path)
    site_port, fault_port = free_port(), int(environ["LINKEDIN_BASE_URL"].rsplit(":", 1)[1])
    faulty = [FAULT_NEVER_LOADS, FAULT_CRASHES_TAB, FAULT_HUGE_PAGE, FAULT_REDIRECT_LOOP]
    ids = [OK[0], *faulty, OK[1]]
    with (
        SampleSite(port=site_port) as site,
        FaultSite(site.base_url, port=fault_port),
        environment({**environ, "LINKEDIN_NAVIGATION_TIMEOUT_S": "20"}),
        LocalStack(StackSettings.from_environ(environ), persist=False),
    ):
        _, result, rows = batched_run(ids)
    for pid in (OK[0], OK[1]):  # before and after the faults: the run went on
        assert rows[pid].failure is None and len(rows[pid].materialized) == 4
    expected = {
        FAULT_NEVER_LOADS: "Timeout",
        FAULT_CRASHES_TAB: "crash",
        FAULT_HUGE_PAGE: "MB limit",
        FAULT_REDIRECT_LOOP: "ERR_TOO_MANY_REDIRECTS",
    }
    for pid, words in expected.items():
        failure = rows[pid].failure
        assert failure is not None and failure["stage"] == "profile_screenshots", (pid, failure)
        assert failure["kind"] == "capture_failed" and words.lower() in failure["error"].lower(), (
            pid,
            failure,
        )


def test_rate_limiting_backs_off_stops_visiting_and_defers_the_rest(tmp_path: Path) -> None:
    environ = {
        **stack_environment(tmp_path),
        "LINKEDIN_MAX_CONSECUTIVE_BLOCKS": "2",
        "LINKEDIN_BLOCK_BACKOFF_S": "1",
        # One visit at a time, so "in a row" means exactly that; which profile the workers bring
        # to the browser first is theirs to decide, so the counts below, not the IDs, are fixed.
        "LINKEDIN_MAX_CONCURRENT_PAGES": "1",
    }
    site_port, fault_port = free_port(), int(environ["LINKEDIN_BASE_URL"].rsplit(":", 1)[1])
    ids = OK[:6]
    with (
        SampleSite(port=site_port) as site,
        FaultSite(site.base_url, port=fault_port) as front,
        environment(environ),
        LocalStack(StackSettings.from_environ(environ), persist=False),
    ):
        front.rate_limit(
            status=999, after=1, count=100
        )  # the site starts refusing after one profile
        _, result, rows = batched_run(ids)
        refused = front.stats()["faults"].get("rate-limit:999", 0)
    assert result.success  # nothing failed: the rest is simply for a later run
    assert refused == 2  # two refusals in a row, then no more visits
    done = [pid for pid in ids if len(rows[pid].materialized) == 4]
    refused_ids = [pid for pid in ids if "HTTP 999" in (rows[pid].deferred or "")]
    not_visited = [pid for pid in ids if "not visited" in (rows[pid].deferred or "")]
    assert (len(done), len(refused_ids), len(not_visited)) == (1, 2, 3)
    assert all(rows[pid].failure is None for pid in ids)
