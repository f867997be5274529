"""Throughput, side by side, on the local stack with a generated sample site (prints; asserts nothing):

1. the project's batched run: profiles/s end to end, peak RSS, S3 and DynamoDB requests per profile;
2. a bare loop without Dagster doing the same page loads, screenshots and PUTs with the same
   concurrency (the practical ceiling), and the ratio batched/bare;
3. one Dagster run per partition, for a small sample, extrapolated: launched as the Dagster CLI
   does (a process per run), and in-process for reference; the speed-up of the batched run;
4. re-extraction only (a ``profile_text`` backfill from stored HTML, no browser): profiles/s, when
   the documents come out unchanged (nothing written) and when every one is written again;
5. the browser alone (same pages at once, nothing extracted or stored): the machine's ceiling for
   any path, and so for the speed-up of 3.

    .venv/bin/python benchmarks/throughput.py [--profiles 200] [--naive-sample 5] [--profile-run]
        [--batched-event-log]

Every path gets its own fresh profiles, so none finds its work already done.
"""

from __future__ import annotations

import cProfile
import io
import json
import logging
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click
import dagster as dg
import psutil

from linkedin_assets.assets.concurrency import BlockBackoff, PoliteBrowser, bounded_map
from linkedin_assets.assets.partitions import partition_range_tags
from linkedin_assets.assets.profile_run import ALL_ASSETS, CHECK_SPECS, TEXT, process_profile
from linkedin_assets.assets.work import ProfileWork, RunContext
from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.instance import (
    BATCH_SIZE_VAR,
    BATCHED_EVENT_LOG_VAR,
    DEFAULT_BATCH_SIZE,
    ensure_dagster_home,
)
from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.local.sample_site import SampleSite
from linkedin_assets.resources import aws
from linkedin_assets.testing.fault_suite import environment, stack_environment
from linkedin_assets.testing.generated_site import generate_site

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
JOB = "profile_pipeline_job"


class RequestCounter:
    """Counts every HTTP request (retries included) the project's boto3 clients send, by service,
    through botocore's own ``before-send`` event: no proxy in the way of the figures."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def installed(self) -> Iterator[RequestCounter]:
        original = aws.build_client

        def counting(service: str, *args: Any, **kwargs: Any) -> Any:
            client = original(service, *args, **kwargs)
            client.meta.events.register("before-send", lambda **_: self._count(service))
            return client

        aws.build_client = counting
        try:
            yield self
        finally:
            aws.build_client = original

    def _count(self, service: str) -> None:
        with self._lock:
            self.counts[service] += 1

    def take(self) -> Counter[str]:
        with self._lock:
            taken, self.counts = self.counts, Counter()
        return taken


class RssSampler:
    """Peak resident memory of this process and of its Chromium processes, sampled every 0.2 s."""

    def __init__(self) -> None:
        self._me = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_python_mb = 0.0
        self.peak_browser_mb = 0.0

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            browser = 0
            for child in self._me.children(recursive=True):
                try:
                    if "chrom" in child.name().lower():
                        browser += child.memory_info().rss
                except psutil.Error:
                    continue
            self.peak_python_mb = max(self.peak_python_mb, self._me.memory_info().rss / 1e6)
            self.peak_browser_mb = max(self.peak_browser_mb, browser / 1e6)

    def reset(self) -> None:
        self.peak_python_mb = self.peak_browser_mb = 0.0

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    for line in (
        Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    ):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_gb = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({cpu}), {memory_gb:.0f} GiB, Python {platform.python_version()}, load average {load}"


@click.command()
@click.option("--profiles", default=200, show_default=True, help="Profiles per path (1,000 works).")
@click.option("--naive-sample", default=5, show_default=True, help="Runs of one partition each.")
@click.option(
    "--pages",
    type=int,
    default=None,
    help="LINKEDIN_MAX_CONCURRENT_PAGES (default: sized to the machine).",
)
@click.option("--workers", type=int, default=None, help="PROFILE_UPLOAD_WORKERS (default 8).")
@click.option(
    "--profile-run",
    is_flag=True,
    help="Also cProfile a batched run of --profiles more and print where the time goes.",
)
@click.option(
    "--batched-event-log",
    is_flag=True,
    help="The opt-in batching event log instead of Dagster's own storage (the local default).",
)
def main(
    profiles: int,
    naive_sample: int,
    pages: int | None,
    workers: int | None,
    profile_run: bool,
    batched_event_log: bool,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        paths = 4 if profile_run else 3
        ids = generate_site(workdir / "site", paths * profiles + naive_sample, seed=3)
        bare, batch, naive = (
            ids[:profiles],
            ids[profiles : 2 * profiles],
            ids[2 * profiles : 2 * profiles + naive_sample],
        )
        profiled = ids[2 * profiles + naive_sample :]
        environ = stack_environment(workdir)
        if pages:
            environ["LINKEDIN_MAX_CONCURRENT_PAGES"] = str(pages)
        if workers:
            environ["PROFILE_UPLOAD_WORKERS"] = str(workers)
        if batched_event_log:
            # Before the environment is applied: the runs launched in their own process need both.
            environ[BATCHED_EVENT_LOG_VAR] = "1"
            environ[BATCH_SIZE_VAR] = DEFAULT_BATCH_SIZE
        site_port = int(environ["LINKEDIN_BASE_URL"].rsplit(":", 1)[1])
        counter = RequestCounter()
        with (
            environment(environ),
            SampleSite(port=site_port, pages_dir=workdir / "site"),
            LocalStack(StackSettings.from_environ(environ), persist=False),
            counter.installed(),
            RssSampler() as rss,
        ):
            ensure_dagster_home(environ)
            instance = dg.DagsterInstance.get()
            defs = build_definitions("local")
            job = defs.resolve_job_def(JOB)
            instance.add_dynamic_partitions("profiles", ids)
            browser = defs.resources["browser"]
            page_count = browser.process_config_and_initialize().pages_at_once()
            print(f"machine: {machine()}")
            print(f"event log: {type(instance.event_log_storage).__name__}")
            print(f"{profiles} generated profiles per path; {page_count} page(s) at once, "
                  f"{page_count + int(environ.get('PROFILE_UPLOAD_WORKERS', 8))} workers")  # fmt: skip

            counter.take()
            rss.reset()
            started = time.monotonic()
            result = job.execute_in_process(
                instance=instance, tags=partition_range_tags(instance, batch), run_config=QUIET
            )
            batched_s = time.monotonic() - started
            requests = counter.take()
            print(f"1. batched run: {'ok' if result.success else 'FAILED'}, {profiles / batched_s:.2f} profiles/s "
                  f"({batched_s:.1f} s); per profile {requests['s3'] / profiles:.1f} S3 + "
                  f"{requests['dynamodb'] / profiles:.1f} DynamoDB requests (3 checks included); peak RSS "
                  f"{rss.peak_python_mb:.0f} MB Python + {rss.peak_browser_mb:.0f} MB Chromium")  # fmt: skip
            print(
                f"   Dagster events written per profile: {event_counts(instance, result.run_id, profiles)}"
            )

            rss.reset()
            bare_s = bare_loop(defs, bare)
            requests = counter.take()
            print(f"2. bare loop, no Dagster, same concurrency: {profiles / bare_s:.2f} profiles/s ({bare_s:.1f} s); "
                  f"{requests['s3'] / profiles:.1f} S3 + {requests['dynamodb'] / profiles:.1f} DynamoDB requests "
                  f"per profile; peak RSS {rss.peak_python_mb:.0f} MB + {rss.peak_browser_mb:.0f} MB; "
                  f"ratio batched/bare {bare_s / batched_s:.2f} (target >= 0.8)")  # fmt: skip

            half = max(1, naive_sample // 2)
            launched = [launched_run(pid) for pid in naive[:half]]
            started = time.monotonic()
            for pid in naive[half:]:
                job.execute_in_process(instance=instance, partition_key=pid, run_config=QUIET)
            in_process = (time.monotonic() - started) / max(1, len(naive) - half)
            per_launched = sum(launched) / len(launched)
            print(f"3. one run per partition: launched (a `dagster job execute` process per run, as a run "
                  f"launcher does) {per_launched:.2f} s a profile -> {profiles * per_launched:.0f} s for {profiles}: "
                  f"batched is {profiles * per_launched / batched_s:.1f}x faster (target >= 20x); "
                  f"in-process runs {in_process:.2f} s a profile -> batched {profiles * in_process / batched_s:.1f}x")  # fmt: skip

            # Re-extracting what is already extracted reads and compares (3 GETs + 1 HEAD); after
            # an extractor change each document is also rewritten (+1 PUT): both are shown.
            for case, rewrite in (
                ("unchanged documents", False),
                ("every document rewritten", True),
            ):
                if rewrite:
                    drop_extracted(defs, batch)
                counter.take()
                started = time.monotonic()
                result = job.execute_in_process(
                    instance=instance, tags=partition_range_tags(instance, batch),
                    asset_selection=[TEXT], run_config=QUIET,
                )  # fmt: skip
                extract_s = time.monotonic() - started
                requests = counter.take()
                print(f"4. re-extraction only (profile_text backfill, no browser), {case}: "
                      f"{'ok' if result.success else 'FAILED'}, {profiles / extract_s:.1f} profiles/s ({extract_s:.1f} s), "
                      f"{requests['s3'] / profiles:.1f} S3 requests per profile (target >= 50 profiles/s)")  # fmt: skip
                print(
                    f"   Dagster events written per profile: {event_counts(instance, result.run_id, profiles)}"
                )
                if rewrite:
                    drop_extracted(defs, bare)
                bare_extract_s = bare_loop(defs, bare, assets=frozenset({TEXT}), checks=frozenset())
                print(
                    f"   the same without Dagster (bare loop): {profiles / bare_extract_s:.1f} profiles/s"
                )

            # Capturing stores nothing, so the browser alone can visit the batched run's profiles
            # again (in a new browser, so with a cold cache like the batched run's).
            capture_s = capture_only(defs, batch)
            ceiling = profiles * per_launched / capture_s
            print(f"5. the browser alone (page loads, HTML, full-page screenshots; nothing extracted or stored), "
                  f"same pages at once: {profiles / capture_s:.2f} profiles/s -> no path can beat one run per "
                  f"partition by more than {ceiling:.1f}x on this machine")  # fmt: skip

            if profile_run:
                print_profile(job, instance, profiled)


def event_counts(instance: dg.DagsterInstance, run_id: str, profiles: int) -> str:
    """What the run wrote to the event log, per profile, by kind (the batched run's main cost)."""
    kinds = Counter(
        entry.dagster_event.event_type_value
        for entry in instance.all_logs(run_id)
        if entry.dagster_event is not None
    )
    kinds["log lines"] = sum(
        1 for entry in instance.all_logs(run_id) if entry.dagster_event is None
    )
    total = sum(kinds.values())
    top = ", ".join(f"{kind} {count / profiles:.2f}" for kind, count in kinds.most_common(6))
    return f"{total / profiles:.1f} ({top})"


def bare_loop(
    defs: dg.Definitions,
    ids: list[str],
    assets: frozenset[dg.AssetKey] = frozenset(ALL_ASSETS),
    checks: frozenset[dg.AssetCheckKey] | None = None,
) -> float:
    """The pipeline's own per-profile work (by default capture, extract, publish, index, checks)
    with the same pages and workers as the batched run, and no Dagster run, step, event or log."""
    browser = defs.resources["browser"].process_config_and_initialize()
    log = logging.getLogger("bare")
    with (
        defs.resources["profile_storage"].process_config_and_initialize_cm() as storage_resource,
        defs.resources["profile_index_store"].process_config_and_initialize_cm() as index_resource,
    ):
        capturing = ALL_ASSETS[0] in assets
        pages = browser.pages_at_once() if capturing else 0
        workers = pages + storage_resource.workers
        storage = storage_resource.open(pool_size=workers)
        index = index_resource.open(pool_size=workers)
        started = time.monotonic()
        with ExitStack() as stack:
            polite = None
            if capturing:
                session = stack.enter_context(browser.open())
                polite = PoliteBrowser(session, pages, BlockBackoff(3, 1, log))
            all_checks = frozenset(spec.key for spec in CHECK_SPECS)
            run = RunContext(
                assets, all_checks if checks is None else checks, storage, index,
                index_resource.table, polite, browser.base_url, {}, lambda *args: None, log,
            )  # fmt: skip
            works = (ProfileWork.start(pid) for pid in ids)
            for work, outcome in bounded_map(lambda w: process_profile(run, w), works, workers):
                if not outcome.ok:
                    print(f"   bare loop: {work.profile_id} {outcome.error_kind}: {outcome.error}")
        return time.monotonic() - started


def capture_only(defs: dg.Definitions, ids: list[str]) -> float:
    """The browser's share of every path, alone: each profile's two page loads, HTML and screenshots
    with the same pages at once as the batched run, and nothing else."""
    browser = defs.resources["browser"].process_config_and_initialize()
    with browser.open() as session:
        started = time.monotonic()
        for _pid, _capture in bounded_map(
            lambda pid: session.capture_profile(pid, browser.base_url), ids, browser.pages_at_once()
        ):
            pass
        return time.monotonic() - started


def drop_extracted(defs: dg.Definitions, ids: list[str]) -> None:
    """Delete the profiles' extracted documents, so that re-extraction writes each one again."""
    with defs.resources["profile_storage"].process_config_and_initialize_cm() as resource_:
        storage = resource_.open()
        keys = (storage.layout.extracted_key(pid) for pid in ids)
        storage.objects.delete_many(storage.profile_text_bucket, keys)


def launched_run(pid: str) -> float:
    """One partition's run as its own process, the way Dagster's run launcher starts runs."""
    started = time.monotonic()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("dagster")), "job", "execute", "-m", "linkedin_assets.definitions",
         "-j", JOB, "--tags", json.dumps({"dagster/partition": pid})],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode:
        print(f"   launched run for {pid} failed: {done.stderr[-500:]}")
    return time.monotonic() - started


def print_profile(job: dg.JobDefinition, instance: dg.DagsterInstance, ids: list[str]) -> None:
    """Where the batched run's time goes: cProfile of the step's own thread, top entries."""
    profiler = cProfile.Profile()
    started = time.monotonic()
    profiler.enable()
    job.execute_in_process(
        instance=instance, tags=partition_range_tags(instance, ids), run_config=QUIET
    )
    profiler.disable()
    elapsed = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(90)
    print(f"6. profiled batched run of {len(ids)}: {elapsed:.1f} s wall; process CPU so far user {usage.ru_utime:.0f} s, "
          f"system {usage.ru_stime:.0f} s. Step thread, by cumulative time:")  # fmt: skip
    print(out.getvalue())


if __name__ == "__main__":
    main()
