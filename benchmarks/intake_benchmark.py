"""Intake at scale: a 100,000-URL inbox through `new_profile_urls_sensor` on a real (temporary)
Dagster instance. Prints tick times, partitions added and peak memory; asserts nothing.

    .venv/bin/python benchmarks/intake_benchmark.py [--urls 100000] [--max-lines 50000]
"""

from __future__ import annotations

import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import click
import dagster as dg

from linkedin_assets.intake_sensor import build_intake_sensor
from linkedin_assets.resources.configured import AutomationSettings, ProfileIndexResource


@click.command()
@click.option("--urls", default=100_000, show_default=True)
@click.option("--max-lines", default=50_000, show_default=True, help="Lines per tick.")
@click.option("--batch-size", default=200, show_default=True)
def main(urls: int, max_lines: int, batch_size: int) -> None:
    sensor = build_intake_sensor({}, "local")
    with tempfile.TemporaryDirectory() as tmp, dg.instance_for_test() as instance:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        hosts = [
            "https://www.linkedin.com",
            "linkedin.com",
            "https://de.linkedin.com",
            "http://m.linkedin.com",
        ]
        lines = [f"{hosts[n % 4]}/in/member-{n:06d}/?trk=bench" for n in range(urls)]
        lines[::1000] = [
            f"https://evil.test/in/x{n}" for n in range(len(lines[::1000]))
        ]  # 0.1% bad
        (inbox / "export.txt").write_text("\n".join(lines) + "\n")
        resources = {
            "automation": AutomationSettings(
                inbox=str(inbox), max_lines_per_tick=max_lines, batch_size=batch_size
            ),
            "profile_index_store": ProfileIndexResource(table="unused-for-txt"),
        }
        print(f"inbox: {urls:,} URLs ({(inbox / 'export.txt').stat().st_size / 1e6:.1f} MB), "
              f"{max_lines:,} lines per tick, batch size {batch_size}")  # fmt: skip
        cursor, tick_no, total_new = None, 0, 0
        tracemalloc.start()
        while True:
            tick_no += 1
            started = time.perf_counter()
            with dg.build_sensor_context(
                instance=instance, cursor=cursor, resources=resources
            ) as context:
                result = sensor(context)
            evaluated = time.perf_counter() - started
            new = [k for r in result.dynamic_partitions_requests for k in r.partition_keys]
            started = time.perf_counter()
            for request in result.dynamic_partitions_requests:
                instance.add_dynamic_partitions("profiles", list(request.partition_keys))
            added = time.perf_counter() - started
            total_new += len(new)
            batches, runs = len(result.dynamic_partitions_requests), len(result.run_requests)
            print(
                f"tick {tick_no}: evaluated in {evaluated:.2f} s (limit 60 s): {len(new):,} new "
                f"partitions in {batches} batches, {runs} run requests; adding the partitions "
                f"took {added:.2f} s"
            )
            cursor = result.cursor
            if not new:
                break
        _, peak = tracemalloc.get_traced_memory()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        print(
            f"total: {total_new:,} partitions; Python peak heap {peak / 1e6:.0f} MB; "
            f"process peak RSS {rss_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
