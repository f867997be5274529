"""Seen in a real browser: the Dagster UI of `dagster dev` on 127.0.0.1, against the local stack.

As the demo does, three good sample profiles and the sample site's 404, auth wall and rate-limited
profile are materialized in one run on the instance `dagster dev` reads, then the two reports;
then one profile's published document is damaged by hand in S3 and only the checks are run for
it. Chromium (Playwright) then opens the UI and finds the four assets in the `profiles` group's
lineage, each check passed for a good partition, `json_intact` failed, with its explanation, for
the damaged one; the demo's runs green in the run list (the only failed run is the checks run over
the damaged document); the 404 profile missing, not failed, its check saying why there was nothing
to check; each check listed with its latest evaluation's result; and the descriptions showing
`profiles/<id>.json` as written. Full-page screenshots go to `test-artifacts/ui/`.

Where Dagster 1.13 shows a partitioned check's results: the check's own panel
(`/assets/<asset>?view=checks&checkDetail=<check>`) has an *Overview* tab (the latest evaluation,
whatever its partition), an *Execution history* tab (one row per evaluation, with its partition and
description) and a *Partitions* tab whose detail pane lists a chosen partition's latest evaluation.
Its status filters (Passed/Failed/Missing counts) count only evaluations that name the
materialization they checked: the pipeline's evaluations do (`checks.latest_materialization`),
so the counts read Passed (5) / Failed (1) here (the three profiles with nothing stored pass with
"nothing to check"); before that fix they read Missing.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import dagster as dg
import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from linkedin_assets.assets.partitions import range_tags
from linkedin_assets.commands.demo import run_profiles, run_reports
from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.instance import ensure_dagster_home
from linkedin_assets.local.sample_site import load_sample_profiles
from tests.integration.dagster_dev import dagster_dev, graphql

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"
SAMPLES = load_sample_profiles()
OK_IDS = [p.profile_id for p in SAMPLES if p.outcome == "ok"][:3]
GOOD, DAMAGED = OK_IDS[0], OK_IDS[-1]
# The sample site's other answers, as in the demo: a 404 and an auth wall (recorded), rate limiting
# (deferred).
NOT_FOUND = next(p.profile_id for p in SAMPLES if p.outcome == "not_found")
OTHER_IDS = [p.profile_id for p in SAMPLES if p.outcome != "ok"]
RUN_IDS = OK_IDS + OTHER_IDS
ASSETS = ["profile_screenshots", "profile_text", "profile_json", "profile_index"]
CHECKS = [
    ("profile_screenshots", "screenshots_stored"),
    ("profile_json", "json_intact"),
    ("profile_index", "index_consistent"),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
UI_TIMEOUT_MS = 30_000


def code_location(url: str) -> str | None:
    """`<repository>@<location>` once the webserver has loaded the code location, else None."""
    try:
        answer = graphql(
            url,
            "{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } } } } }",
        )
    except OSError:
        return None
    nodes = (answer.get("data") or {}).get("repositoriesOrError", {}).get("nodes") or []
    return f"{nodes[0]['name']}@{nodes[0]['location']['name']}" if nodes else None


@pytest.fixture(scope="module")
def dev(stack: dict[str, str]) -> Iterator[dict[str, Any]]:
    """`dagster dev` (webserver + daemon) on the stack's DAGSTER_HOME, automation off."""
    ensure_dagster_home(stack)
    data = Path(stack["LINKEDIN_ASSETS_DATA_DIR"])
    environ = {
        **os.environ,
        **stack,
        "PROFILE_URL_SENSOR_STATUS": "stopped",
        "PROFILE_REFRESH_SCHEDULE_STATUS": "stopped",
    }
    log = data / "dagster-dev.log"
    with dagster_dev(
        environ, log, ready=code_location, what="the code location in the webserver"
    ) as (url, location):
        # The first visit on localhost opens a "Join the Dagster community" dialog over the
        # page; this is the instance-wide "seen" flag the dialog's Skip button sets.
        assert graphql(url, "mutation { setNuxSeen }")["data"]["setNuxSeen"] is True
        yield {"url": url, "location": location, "log": log}


@pytest.fixture(scope="module")
def profiles(stack: dict[str, str], dev: dict[str, Any]) -> dict[str, Any]:
    """As the demo does: three good profiles and the sample site's 404, auth wall and rate-limited
    profile in one run, then the two reports; then DAMAGED's document replaced in S3 and only the
    checks run for it."""
    instance = dg.DagsterInstance.from_config(stack["DAGSTER_HOME"])
    instance.add_dynamic_partitions("profiles", RUN_IDS)
    defs = build_definitions("local")
    pipeline = run_profiles(instance, defs, RUN_IDS)
    assert pipeline.success, [e.message for e in pipeline.all_events if e.is_failure]
    reports = run_reports(instance, defs)
    assert reports.success, [e.message for e in reports.all_events if e.is_failure]

    s3 = boto3.client(
        "s3",
        endpoint_url=stack["AWS_ENDPOINT_URL"],
        region_name="us-west-2",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    s3.put_object(
        Bucket=stack["S3_PROFILE_TEXT_BUCKET_NAME"],
        Key=f"profiles/{DAMAGED}.json",
        Body=json.dumps({"profile_id": DAMAGED, "tampered": True}).encode(),
        ServerSideEncryption="AES256",
        ContentType="application/json",
    )
    checks = defs.resolve_job_def("profile_checks_job").execute_in_process(
        instance=instance, tags=range_tags(DAMAGED, DAMAGED), raise_on_error=False
    )
    outcomes = {(e.check_name, e.partition): e.passed for e in checks.get_asset_check_evaluations()}
    assert outcomes[("json_intact", DAMAGED)] is False, outcomes
    return {
        "pipeline_run": pipeline.run_id,
        "reports_run": reports.run_id,
        "checks_run": checks.run_id,
        "checks_success": checks.success,
    }


@pytest.fixture(scope="module")
def browser(profiles: dict[str, Any]) -> Iterator[Browser]:
    # After `profiles`: the pipeline drives its own sync Playwright, which refuses to start in a
    # thread where this one's event loop is already running.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    executable = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, timeout=UI_TIMEOUT_MS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.set_default_navigation_timeout(UI_TIMEOUT_MS)
    failed_before = request.session.testsfailed
    try:
        yield page
    finally:
        if request.session.testsfailed > failed_before:  # keep what the browser saw
            name = request.node.name.replace("/", "_").replace("[", "-").rstrip("]")
            page.screenshot(path=str(ARTIFACTS / f"failed-{name}.png"), full_page=True)
        context.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def open_check_partition(page: Page, url: str, asset: str, check: str, partition: str) -> Locator:
    """The check's panel → Partitions tab → ``partition``; returns the partition's detail pane."""
    page.goto(f"{url}/assets/{asset}?view=checks&checkDetail={check}")
    check_tabs = page.get_by_role("tablist").filter(has_text="Execution history")
    check_tabs.get_by_role("tab", name="Partitions").click()
    expect(page.get_by_text("Select a partition to view details")).to_be_visible(
        timeout=UI_TIMEOUT_MS
    )
    # The partition list comes after the (possibly truncated) selection chips.
    page.get_by_text(partition, exact=True).filter(visible=True).last.click()
    detail = (
        page.locator("div")
        .filter(has=page.get_by_text("Latest execution", exact=True))
        .filter(has=page.get_by_text("Description", exact=True))
        .last
    )
    expect(detail.get_by_title(partition, exact=True)).to_be_visible(timeout=UI_TIMEOUT_MS)
    return detail


def test_the_group_lineage_shows_the_four_assets_in_order(
    page: Page, dev: dict[str, Any], profiles: dict[str, Any]
) -> None:
    page.goto(f"{dev['url']}/locations/{dev['location']}/asset-groups/profiles")
    expect(page.get_by_text("Asset Group in", exact=False)).to_be_visible(timeout=UI_TIMEOUT_MS)
    nodes = [page.get_by_text(name, exact=True).filter(visible=True) for name in ASSETS]
    for node in nodes:
        expect(node).to_have_count(1, timeout=UI_TIMEOUT_MS)
    # Every node's partition bar reads the three good profiles of six once the live data has
    # arrived: the other three are missing (recorded or deferred), none failed.
    expect(page.get_by_text("50% filled", exact=True)).to_have_count(4, timeout=UI_TIMEOUT_MS)
    lefts = [box["x"] for box in (node.bounding_box() for node in nodes) if box]
    assert len(lefts) == 4 and lefts == sorted(lefts), lefts  # laid out left to right in lineage
    shot(page, "asset-graph.png")


@pytest.mark.parametrize(("asset", "check"), CHECKS, ids=[c for _, c in CHECKS])
def test_a_good_partition_shows_each_check_passed(
    page: Page, dev: dict[str, Any], profiles: dict[str, Any], asset: str, check: str
) -> None:
    detail = open_check_partition(page, dev["url"], asset, check, GOOD)
    expect(detail.get_by_text("Passed", exact=True)).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(detail.get_by_text("Failed", exact=True)).to_have_count(0)
    expect(detail.get_by_role("link", name=profiles["pipeline_run"][:8])).to_be_visible()
    if check == "json_intact":
        expect(detail).to_contain_text(f"profiles/{GOOD}.json intact")
    shot(page, f"checks-passed-{check}.png")


def test_the_damaged_document_shows_json_intact_failed_with_its_explanation(
    page: Page, dev: dict[str, Any], profiles: dict[str, Any]
) -> None:
    detail = open_check_partition(page, dev["url"], "profile_json", "json_intact", DAMAGED)
    expect(detail.get_by_text("Failed", exact=True)).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(detail.get_by_role("link", name=profiles["checks_run"][:8])).to_be_visible()
    # Each partition's latest evaluation counts, tied to the materialization it checked.
    # The three good profiles less the damaged one, and the three with nothing stored to check.
    for status in ("Passed (5)", "Failed (1)", "Missing (0)", "Execution Failed (0)"):
        expect(page.get_by_text(status, exact=True)).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(detail).to_contain_text(f"profiles/{DAMAGED}.json is ")
    expect(detail).to_contain_text("were uploaded")
    expect(detail).to_contain_text("not a valid profile document")
    shot(page, "check-failed.png")

    # The history keeps every evaluation with its partition: the damaged profile's failure on
    # top of its earlier pass, and the other profiles still passed.
    page.get_by_role("tablist").filter(has_text="Execution history").get_by_role(
        "tab", name="Execution history"
    ).click()
    failed = page.get_by_role("row").filter(has_text="were uploaded")
    expect(failed).to_have_count(1, timeout=UI_TIMEOUT_MS)
    expect(failed).to_contain_text(DAMAGED)
    expect(failed.get_by_text("Failed", exact=True)).to_be_visible()
    for pid in OK_IDS:
        passed = page.get_by_role("row").filter(has_text=f"profiles/{pid}.json intact")
        expect(passed).to_have_count(1)
        expect(passed.get_by_text("Passed", exact=True)).to_be_visible()
    shot(page, "check-history.png")


def test_the_run_list_shows_the_demo_runs_green(
    page: Page, dev: dict[str, Any], profiles: dict[str, Any]
) -> None:
    page.goto(f"{dev['url']}/runs")

    def row(run_id: str) -> Locator:
        # The run list is a grid of divs: a run's row is the innermost one holding its link
        # and who launched it.
        return (
            page.locator("div")
            .filter(has=page.locator(f'a[href="/runs/{run_id}"]'))
            .filter(has_text="Manually launched")
            .last
        )

    for run_id in (profiles["pipeline_run"], profiles["reports_run"]):
        expect(row(run_id)).to_contain_text("Success", timeout=UI_TIMEOUT_MS)
        expect(row(run_id)).not_to_contain_text("Failure")
    # The one failed run is the checks run over the document damaged on purpose above: the
    # 404, the auth wall and the rate limiting failed nothing.
    expect(page.get_by_role("img", name="run_failed")).to_have_count(1)
    expect(row(profiles["checks_run"])).to_contain_text("Failure")
    shot(page, "runs.png")


def test_the_404_profile_is_missing_with_its_reason_not_failed(
    page: Page, dev: dict[str, Any], profiles: dict[str, Any]
) -> None:
    page.goto(f"{dev['url']}/assets/profile_json?view=partitions")
    for status in ("Failed (0)", "Materialized (3)", "Missing (3)"):
        expect(page.get_by_text(status, exact=True)).to_be_visible(timeout=UI_TIMEOUT_MS)
    page.get_by_text(NOT_FOUND, exact=True).filter(visible=True).last.click()
    expect(page.get_by_text("Failed", exact=True)).to_have_count(0)
    shot(page, "partition-not-found.png")
    # Its check says why there was nothing to check, and passed: nothing stored is wrong.
    detail = open_check_partition(page, dev["url"], "profile_json", "json_intact", NOT_FOUND)
    expect(detail.get_by_text("Passed", exact=True)).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(detail).to_contain_text(f"nothing stored for {NOT_FOUND}, so nothing to check")
    expect(detail).to_contain_text("not_found")
    shot(page, "check-not-found.png")


@pytest.mark.parametrize(("asset", "check"), CHECKS, ids=[c for _, c in CHECKS])
def test_each_check_in_the_list_agrees_with_its_latest_evaluation(
    page: Page, dev: dict[str, Any], profiles: dict[str, Any], asset: str, check: str
) -> None:
    page.goto(f"{dev['url']}/assets/{asset}?view=checks&checkDetail={check}")
    expect(page.get_by_text("Evaluation result", exact=True)).to_be_visible(timeout=UI_TIMEOUT_MS)
    # The checks list: the name, then its status ("Succeeded" there is "Passed" in the panel);
    # the panel: the latest evaluation's result. The list's status arrives on its own.
    statuses = "Succeeded|Passed|Failed|Skipped|Execution failed|Not evaluated|In progress|Warning"
    listed = latest = None
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while time.monotonic() < deadline and not (listed and latest):
        text = page.locator("body").inner_text()
        listed = re.search(rf"^{check}\n(?:{check}\n)?({statuses})$", text, re.MULTILINE)
        latest = re.search(rf"^Evaluation result\n({statuses})$", text, re.MULTILINE)
        if not (listed and latest):
            page.wait_for_timeout(250)
    assert listed and latest, text[:2000]
    shown = {"Succeeded": "Passed"}.get(listed.group(1), listed.group(1))
    # Never a run's leftover ("Skipped", "Execution failed"): an evaluation, the latest one.
    assert shown in ("Passed", "Failed"), listed.group(1)
    assert shown == latest.group(1)
    shot(page, f"check-list-{check}.png")


def test_descriptions_show_the_id_placeholder_as_written(
    page: Page, dev: dict[str, Any], profiles: dict[str, Any]
) -> None:
    page.goto(f"{dev['url']}/assets/profile_json")
    expect(page.get_by_text("Description", exact=True)).to_be_visible(timeout=UI_TIMEOUT_MS)
    body = page.locator("body")
    expect(body).to_contain_text("profiles/<id>.json in S3", timeout=UI_TIMEOUT_MS)
    expect(body).to_contain_text("profiles/<id>.meta.json recording the upload")
    page.goto(f"{dev['url']}/assets/profile_json?view=checks&checkDetail=json_intact")
    expect(page.get_by_text("About", exact=True)).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator("body")).to_contain_text("profiles/<id>.json exists")
    shot(page, "descriptions.png")
