"""The fault suite: a batched run over a generated sample site, through the fault proxy in front of
moto's server, then every profile verified. Used by the integration test and by
``benchmarks/fault_suite.py``, which prints the figures."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import dagster as dg

from linkedin_assets._compat import ExponentialBackoff
from linkedin_assets.assets.partitions import partition_range_tags
from linkedin_assets.assets.reports.profile_store_audit import (
    FAILING_KINDS,
    audit_findings,
    collect,
)
from linkedin_assets.assets.run_report import ProfileRow, run_rows
from linkedin_assets.automation import intake
from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.local.sample_site import SampleSite
from linkedin_assets.testing.fault_proxy import FaultProxy, FaultRule
from linkedin_assets.testing.generated_site import generate_site
from linkedin_assets.testing.net import free_port


@dataclass
class SuiteResult:
    profiles: int
    complete: int  # all four assets and all three checks passed, in the faulty run
    deferred: list[str]  # left for a later run (storage still failing after its rounds)
    failed: list[str]  # failed the run: someone has to act
    lost: list[str]  # neither complete nor deferred after the faulty run, or after the follow-up
    follow_up_complete: int  # of the deferred, complete after a run without faults
    injected: dict[str, int]
    requests: int
    run_figures: dict[str, Any]
    inconsistencies: dict[str, int]
    seconds: float
    run_success: bool
    warnings: int = 0  # warning lines in the faulty run's event log
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def faults(self) -> int:
        return sum(self.injected.values())


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def scaled_backoff(scale: float) -> Iterator[None]:
    """Shorten botocore's waits between attempts; which errors it retries, and how often, stay its
    own. For tests that cannot wait minutes; the figures script waits for real (scale 1)."""
    original = ExponentialBackoff.delay_amount
    if scale == 1.0:
        yield
        return

    def scaled(self: ExponentialBackoff, context: Any) -> float:
        return float(original(self, context)) * scale

    with mock.patch.object(ExponentialBackoff, "delay_amount", scaled):
        yield


def stack_environment(workdir: Path) -> dict[str, str]:
    return {
        "LINKEDIN_ASSETS_ENV": "local",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
        "LINKEDIN_BASE_URL": f"http://127.0.0.1:{free_port()}",
        "AWS_ACCESS_KEY_ID": "fault-suite",
        "AWS_SECRET_ACCESS_KEY": "fault-suite",
        "AWS_REGION": "us-west-2",
        "S3_SCREENSHOT_BUCKET_NAME": "fault-suite",
        "DYNAMODB_PROFILE_TABLE": "fault-suite",
        "LINKEDIN_ASSETS_DATA_DIR": str(workdir),
        "DAGSTER_HOME": str(workdir / "dagster_home"),
    }


def run_fault_suite(
    workdir: Path,
    *,
    count: int = 200,
    rules: list[FaultRule],
    seed: int = 7,
    backoff_scale: float = 1.0,
    settings: dict[str, str] | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> SuiteResult:
    """Generate ``count`` profiles, run them all in one batched run with ``rules`` injected on the
    way to S3/DynamoDB, then run what was deferred again without faults (what the refresh
    schedule would start), and check every profile and audit the store.

    ``settings`` are extra variables for the runs (e.g. shorter profile-retry pauses)."""
    pages = workdir / "site"
    ids = generate_site(pages, count, seed)
    environ = {**stack_environment(workdir), **(settings or {})}
    moto_url = environ["AWS_ENDPOINT_URL"]
    site_host_port = environ["LINKEDIN_BASE_URL"].rsplit(":", 1)
    with (
        environment(environ),
        SampleSite(port=int(site_host_port[1]), pages_dir=pages),
        LocalStack(StackSettings.from_environ(environ), persist=False),
        FaultProxy(moto_url, seed=seed) as proxy,
        dg.instance_for_test() as instance,
        scaled_backoff(backoff_scale),
    ):
        os.environ["AWS_ENDPOINT_URL"] = proxy.url  # the pipeline talks to S3 through the faults
        # Imported here, not at the top: importing the code location builds it, which importing a
        # test tool should not do.
        from linkedin_assets.definitions import build_definitions

        defs = build_definitions("local")
        intake.register(instance, None, ids, base_url=environ["LINKEDIN_BASE_URL"])
        job = defs.resolve_job_def("profile_pipeline_job")
        quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
        proxy.set_rules(rules)
        log(f"{count} profiles, one batched run, faults: {rules}")
        started = time.monotonic()
        result = job.execute_in_process(
            instance=instance,
            tags=partition_range_tags(instance, ids),
            run_config=quiet,
            raise_on_error=False,
        )
        seconds = time.monotonic() - started
        proxy.clear()
        stats = proxy.stats()
        rows = run_rows(instance, result.run_id, ids)
        complete = {r.profile_id for r in rows if _complete(r)}
        deferred = sorted(r.profile_id for r in rows if r.deferred is not None)
        failed = sorted(r.profile_id for r in rows if r.failure is not None and not r.deferred)
        figures = _run_figures(instance, result.run_id)
        warnings = sum(
            1
            for record in instance.all_logs(result.run_id)
            if record.dagster_event is None and record.level == logging.WARNING
        )
        log(f"{len(complete)} complete, {len(deferred)} deferred, {len(failed)} failed; again")
        follow_up: set[str] = set()
        if deferred:
            again = job.execute_in_process(
                instance=instance,
                tags=partition_range_tags(instance, deferred),
                run_config=quiet,
                raise_on_error=False,
            )
            follow_up = {
                r.profile_id for r in run_rows(instance, again.run_id, deferred) if _complete(r)
            }
        os.environ["AWS_ENDPOINT_URL"] = moto_url  # the audit reads the store as it is
        with defs.resources["profile_storage"].process_config_and_initialize_cm() as resource:
            storage = resource.open()
        with defs.resources["profile_index_store"].process_config_and_initialize_cm() as resource:
            index = resource.open()
        objects = collect(storage, set(ids))
        items = {i["profile_id"]: i for i in index.scan(["text_s3_key", "text_sha256"])}
        findings = audit_findings(
            **objects,
            index_items=items,
            materialized=set(ids),
            profile_key=storage.layout.profile_key,
        )
    counts = {kind: sum(f.kind == kind for f in findings) for kind in FAILING_KINDS}
    return SuiteResult(
        profiles=count,
        complete=len(complete),
        deferred=deferred,
        failed=failed,
        lost=sorted(set(ids) - complete - follow_up),
        follow_up_complete=len(follow_up),
        injected=stats["injected"],
        requests=stats["requests"],
        run_figures=figures,
        inconsistencies=counts,
        seconds=seconds,
        run_success=result.success,
        warnings=warnings,
        extra={"failures": {r.profile_id: r.failure for r in rows if r.failure}},
    )


def _complete(row: ProfileRow) -> bool:
    return len(row.materialized) == 4 and len(row.checks) == 3 and not row.failed_checks


def _run_figures(instance: dg.DagsterInstance, run_id: str) -> dict[str, Any]:
    """The upload figures the run recorded (its ``profile_json`` observation without partition)."""
    for record in instance.fetch_observations(dg.AssetKey("profile_json"), limit=50).records:
        observation = record.asset_observation
        if record.run_id == run_id and record.partition_key is None and observation is not None:
            return {k: v.value for k, v in observation.metadata.items()}
    return {}
