"""The main job on the embedded local default, end to end, with a table per profile.

Start the local stack, register the sample profiles as partitions, materialize all four assets for
all of them in one run on the Dagster instance in ``DAGSTER_HOME``, check every stored object and
index item, materialize the two reports (``profile_store_audit``, ``upload_metrics``), and print
what happened to each profile and which UI pages show it. Exit status 0 means the run succeeded and
every sample profile is in S3 and DynamoDB, or ended as the sample site was built to make it: not
found or behind an auth wall (recorded in the index), or rate limited (deferred).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
from rich.console import Console
from rich.table import Table

from linkedin_assets.assets.partitions import partition_range_tags
from linkedin_assets.assets.pipeline import ALL_ASSETS, profile_pipeline, profile_pipeline_job
from linkedin_assets.assets.reports.profile_store_audit import profile_store_audit
from linkedin_assets.assets.reports.upload_metrics_report import upload_metrics
from linkedin_assets.assets.run_report import ProfileRow, run_rows
from linkedin_assets.automation import intake
from linkedin_assets.local.instance import ensure_dagster_home
from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.local.sample_site import load_sample_profiles
from linkedin_assets.resources.environments import build_resources
from linkedin_assets.settings import apply_local_defaults

CHECKS_PER_PROFILE = 3
# What the index records for the sample site's profiles that are not there to capture: a 404, and
# an auth wall met without a session (the member shows the profile to signed-in members only).
EXPECTED_RECORD = {"not_found": "not_found", "blocked": "auth_wall"}
REPORTS = (profile_store_audit.key, upload_metrics.key)
UI = "http://127.0.0.1:3000"


@dataclass
class DemoRow:
    row: ProfileRow
    expected: str

    @property
    def verdict(self) -> str:
        if self.expected == "ok":
            checked = len(self.row.checks) == CHECKS_PER_PROFILE
            ok = self.row.failure is None and checked and not self.row.failed_checks
            return "ok" if ok else "UNEXPECTED"
        if self.expected == "rate_limited":
            # Rate limiting says nothing about the profile: it is left for a later run.
            return "deferred as expected" if self.row.deferred else "UNEXPECTED"
        # The site's answer about the profile is data: recorded, not failed.
        got = (self.row.unavailable or {}).get("unavailable")
        ok = got == EXPECTED_RECORD[self.expected] and self.row.failure is None
        return "recorded as expected" if ok else "UNEXPECTED"


def run_demo(console: Console) -> bool:
    """Run the demo; ``True`` when every profile ended as the sample site intends (for a captured
    profile: all four assets materialized and all three checks passed)."""
    apply_local_defaults(os.environ)
    ensure_dagster_home()
    settings = StackSettings.from_environ(os.environ)
    samples = load_sample_profiles()
    defs = pipeline_definitions()  # a bad setting stops the demo before the stack starts
    with LocalStack(settings) as stack:
        console.print(
            f"local stack: S3/DynamoDB at {settings.endpoint_url} (moto, "
            f"{'replayed' if stack.replayed else 'fresh'}), sample site at {settings.site_url}"
        )
        instance = dg.DagsterInstance.get()
        ids = [p.profile_id for p in samples]
        new = intake.register(instance, None, ids, base_url=settings.site_url)
        console.print(f"registered {len(ids)} sample profiles ({len(new)} new partitions)")
        result = run_profiles(instance, defs, ids)
        console.print(f"run {result.run_id}: {'success' if result.success else 'failure'}")
        rows = [
            DemoRow(row, sample.outcome)
            for sample, row in zip(samples, run_rows(instance, result.run_id, ids), strict=True)
        ]
        console.print(ingestion_events_line(settings, instance, result.run_id, rows))
        reports = run_reports(instance, defs)
        console.print(
            f"reports run {reports.run_id}: {'success' if reports.success else 'failure'} "
            f"({', '.join(k.to_user_string() for k in REPORTS)})"
        )
    console.print(render_table(rows))
    bad = [r for r in rows if r.verdict == "UNEXPECTED"]
    console.print(
        f"{len(rows) - len(bad)} of {len(rows)} profiles as expected"
        + (f"; unexpected: {', '.join(r.row.profile_id for r in bad)}" if bad else "")
    )
    console.print(render_pages(result.run_id))
    return not bad and result.success and reports.success


def pipeline_definitions() -> dg.Definitions:
    """The main job and the reports with the local resources: what the demo runs, without the
    code location's sensor and schedule."""
    return dg.Definitions(
        assets=[profile_pipeline, profile_store_audit, upload_metrics],
        jobs=[profile_pipeline_job],
        resources=build_resources("local", os.environ),
    )


def run_profiles(
    instance: dg.DagsterInstance, defs: dg.Definitions, profile_ids: list[str]
) -> dg.ExecuteInProcessResult:
    """Materialize every asset for ``profile_ids`` in one run (a partition range covering them)."""
    return defs.resolve_job_def("profile_pipeline_job").execute_in_process(
        instance=instance,
        tags=partition_range_tags(instance, profile_ids),
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        raise_on_error=False,
    )


def run_reports(instance: dg.DagsterInstance, defs: dg.Definitions) -> dg.ExecuteInProcessResult:
    """Materialize the two reports (and the audit's check) after the run, as the UI's asset job
    would, so the UI's report pages are not empty on first look."""
    return defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance,
        asset_selection=list(REPORTS),
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        raise_on_error=False,
    )


def render_pages(run_id: str) -> Table:
    """Where to look next: the UI pages that show what the demo did (``make dev``)."""
    table = Table(title=f"in the Dagster UI (make stack + make dev, then {UI})")
    table.add_column("page", no_wrap=True)
    table.add_column("what it shows")
    for path, what in (
        (f"/runs/{run_id}", "this run: one step, every profile's events, the summary"),
        ("/assets/profile_json?view=partitions", "each profile's JSON partition, or why missing"),
        ("/assets/profile_json?view=checks", "json_intact: each partition's latest evaluation"),
        ("/assets/profile_store_audit", "the store reconciled with the index and partitions"),
        ("/assets/upload_metrics", "upload success and retry rates, throughput, top errors"),
    ):
        table.add_row(f"{UI}{path}", what)
    return table


def render_table(rows: list[DemoRow]) -> Table:
    table = Table(title="profiles (stages: screenshots, text, json, index)")
    table.add_column("profile", no_wrap=True)
    table.add_column("stages", no_wrap=True)
    table.add_column("checks", no_wrap=True)
    table.add_column("S3 key, or failure and reason")
    table.add_column("verdict", no_wrap=True)
    for r in rows:
        stages = "".join(
            "✓" if k.to_user_string() in r.row.materialized else "·" for k in ALL_ASSETS
        )
        if r.row.deferred:
            detail = f"deferred: {r.row.deferred}"
        elif r.row.unavailable:
            detail = (
                f"recorded in the index as {r.row.unavailable.get('unavailable')}: "
                f"{r.row.unavailable.get('reason')}"
            )
        elif r.row.failure:
            failure = r.row.failure
            detail = f"{failure['stage']} {failure['kind']}: {failure['error']}"
        elif r.row.failed_checks:
            detail = "check failed: " + "; ".join(r.row.failed_checks)
        else:
            detail = r.row.materialized.get("profile_json", {}).get("s3_url", "")
        checks = f"{sum(passed for passed, _ in r.row.checks.values())}/{len(r.row.checks)}"
        if not r.row.materialized and not r.row.failed_checks:
            checks = "–"  # nothing stored: each check said there was nothing to check
        table.add_row(r.row.profile_id, stages, checks, detail, r.verdict)
    return table


def ingestion_events_line(
    settings: StackSettings, instance: dg.DagsterInstance, run_id: str, rows: list[DemoRow]
) -> str:
    """Read the local queue as an ingestion consumer would (docs/ingestion.md), and say how the
    events this run caused match the documents it published: one each is right."""
    import boto3

    from linkedin_assets.core.ingestion_events import is_profile_document
    from linkedin_assets.core.setting_rules import queue_arn_parts
    from linkedin_assets.resources.ingestion_queue import drain, queue_url

    arn = settings.events_queue_arn
    sqs = boto3.client(
        "sqs",
        endpoint_url=settings.endpoint_url,
        region_name=queue_arn_parts(arn)[0],
        aws_access_key_id=settings.access_key,
        aws_secret_access_key=settings.secret_key,
    )
    events = drain(sqs, queue_url(sqs, arn))
    stats = instance.get_run_stats(run_id)
    started = datetime.fromtimestamp(stats.start_time or 0.0, UTC)
    # A restart replays the recorded uploads, and with them their events: not this run's.
    ours = [e for e in events if datetime.fromisoformat(e.event_time) >= started]
    documents = Counter(
        f"s3://{e.bucket}/{e.key}"
        for e in ours
        if is_profile_document(e.key, settings.profile_text_prefix)
    )
    published = {
        str(r.row.materialized["profile_json"]["s3_url"])
        for r in rows
        if r.row.materialized.get("profile_json", {}).get("outcome") == "uploaded"
    }
    line = (
        f"ingestion events ({queue_arn_parts(arn)[2]}): {sum(documents.values())} for the "
        f"{len(published)} documents this run published, "
        f"{len(ours) - sum(documents.values())} upload records skipped"
    )
    if not published and not documents:
        # A run that published nothing (all unchanged) has nothing to match: "one each" would
        # claim a check that did not happen.
        return line + "; nothing published, nothing heard"
    wrong = sorted(url for url in published | set(documents) if documents[url] != 1)
    return line + (f"; NOT one each: {', '.join(wrong)}" if wrong else "; one each")
