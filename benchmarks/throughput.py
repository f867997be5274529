"""Throughput, side by side, on the local stack with a generated sample site (prints; asserts nothing):

1. the project's batched run: profiles/s end to end, peak RSS, S3 requests per profile;
2. a bare loop without Dagster doing the same page loads, screenshots and PUTs (the ceiling);
3. one Dagster run per partition, for a small sample, extrapolated;
4. re-extraction only (profile_text from stored HTML): profiles/s.

    .venv/bin/python benchmarks/throughput.py [--profiles 200] [--naive-sample 5]
"""

from __future__ import annotations

import logging
import os
import resource
import tempfile
import time
from pathlib import Path

import click
import dagster as dg

from linkedin_assets.definitions import build_definitions
from linkedin_assets.local_stack import LocalStack, StackSettings
from linkedin_assets.partitions import partition_range_tags
from linkedin_assets.pipeline import (
    ALL_ASSETS,
    CHECK_SPECS,
    JSON,
    TEXT,
    RunContext,
    process_profile,
)
from linkedin_assets.sample_site import SampleSite
from linkedin_assets.testing.fault_proxy import FaultProxy
from linkedin_assets.testing.fault_suite import environment, stack_environment
from linkedin_assets.testing.generated_site import generate_site

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


@click.command()
@click.option("--profiles", default=200, show_default=True)
@click.option("--naive-sample", default=5, show_default=True)
def main(profiles: int, naive_sample: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        ids = generate_site(workdir / "site", 2 * profiles + naive_sample, seed=3)
        # Fresh profiles for each path, so none of them finds its work already done.
        bare, batch, naive = ids[:profiles], ids[profiles : 2 * profiles], ids[2 * profiles :]
        environ = stack_environment(workdir)
        moto_url = environ["AWS_ENDPOINT_URL"]
        site_port = int(environ["LINKEDIN_BASE_URL"].rsplit(":", 1)[1])
        with (
            environment(environ),
            SampleSite(port=site_port, pages_dir=workdir / "site"),
            LocalStack(StackSettings.from_environ(environ), persist=False),
            FaultProxy(moto_url) as counter,  # no rules: it only counts requests
            dg.instance_for_test() as instance,
        ):
            os.environ["AWS_ENDPOINT_URL"] = counter.url
            defs = build_definitions("local")
            job = defs.resolve_job_def("profile_pipeline_job")
            instance.add_dynamic_partitions("profiles", ids)
            print(f"{profiles} generated profiles; machine: {os.cpu_count()} cores")

            started = time.monotonic()
            result = job.execute_in_process(
                instance=instance, tags=partition_range_tags(instance, batch), run_config=QUIET
            )
            batched_s = time.monotonic() - started
            requests = counter.stats()["requests"]
            print(f"1. batched run: {'ok' if result.success else 'FAILED'}, {profiles / batched_s:.2f} profiles/s "
                  f"({batched_s:.1f} s), {requests / profiles:.1f} S3/DynamoDB requests per profile (checks included), "
                  f"peak RSS {rss_mb():.0f} MB")  # fmt: skip

            bare_s = bare_loop(defs, bare)
            print(f"2. bare loop, no Dagster: {profiles / bare_s:.2f} profiles/s ({bare_s:.1f} s); "
                  f"ratio batched/bare {bare_s / batched_s:.2f}")  # fmt: skip

            started = time.monotonic()
            for pid in naive:
                job.execute_in_process(instance=instance, partition_key=pid, run_config=QUIET)
            per_run = (time.monotonic() - started) / len(naive)
            print(f"3. one run per partition: {per_run:.2f} s a profile, {profiles * per_run:.0f} s extrapolated for "
                  f"{profiles}; batched is {profiles * per_run / batched_s:.1f}x faster")  # fmt: skip

            started = time.monotonic()
            job.execute_in_process(
                instance=instance,
                tags=partition_range_tags(instance, batch),
                asset_selection=[TEXT, JSON],
                run_config=QUIET,
            )
            extract_s = time.monotonic() - started
            print(
                f"4. re-extraction only (profile_text + profile_json, checks included): {profiles / extract_s:.1f} profiles/s"
            )


def bare_loop(defs: dg.Definitions, ids: list[str]) -> float:
    """The pipeline's own per-profile work (capture, extract, publish, index, checks), one browser,
    no Dagster run, step or event: what the batched run would cost with no orchestration at all."""
    browser = defs.resources["browser"].process_config_and_initialize()
    with (
        defs.resources["profile_storage"].process_config_and_initialize_cm() as storage_resource,
        defs.resources["profile_index_store"].process_config_and_initialize_cm() as index_resource,
    ):
        storage, index = storage_resource.open(), index_resource.open()
        started = time.monotonic()
        with browser.open() as session:
            run = RunContext(
                frozenset(ALL_ASSETS), frozenset(spec.key for spec in CHECK_SPECS), storage, index,
                index_resource.table, session, browser.base_url, {}, lambda *args: None,
                logging.getLogger("bare"),
            )  # fmt: skip
            for pid in ids:
                outcome = process_profile(run, pid)
                assert outcome.ok, outcome
        return time.monotonic() - started


if __name__ == "__main__":
    main()
