"""Intake at scale through `new_profile_urls_sensor` on a real (temporary) Dagster instance.

Two inboxes: by default 100,000 URLs in a `.txt` export; with `--file-mb 200`, a CSV export of that
size (a `note` column makes each line about `--line-bytes` long) taken in over several ticks. Prints,
per tick, the seconds the sensor took and the process's peak RSS during it (psutil, sampled); and
partitions added. Asserts nothing.

    .venv/bin/python benchmarks/intake_benchmark.py [--urls 100000] [--max-lines 50000]
    .venv/bin/python benchmarks/intake_benchmark.py --file-mb 200 [--line-bytes 1000]
"""

from __future__ import annotations

import resource
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import dagster as dg
import psutil

from linkedin_assets.automation.intake_sensor import build_intake_sensor
from linkedin_assets.resources.configured import AutomationSettings, ProfileIndexResource

HOSTS = [
    "https://www.linkedin.com",
    "linkedin.com",
    "https://de.linkedin.com",
    "http://m.linkedin.com",
]


class PeakRss:
    """The process's largest RSS while a block runs, sampled every few milliseconds."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        process = psutil.Process()
        while not self._stop.is_set():
            self.peak = max(self.peak, process.memory_info().rss)
            self._stop.wait(0.005)

    @contextmanager
    def measuring(self) -> Iterator[PeakRss]:
        self.peak, self._stop = psutil.Process().memory_info().rss, threading.Event()
        sampler = threading.Thread(target=self._sample, daemon=True)
        sampler.start()
        try:
            yield self
        finally:
            self._stop.set()
            sampler.join()


def url(n: int) -> str:
    # 0.1% bad lines, as in a real export.
    return (
        f"https://evil.test/in/x{n}"
        if n % 1000 == 0
        else f"{HOSTS[n % 4]}/in/member-{n:07d}/?trk=bench"
    )


def write_txt(path: Path, urls: int) -> None:
    with path.open("w") as out:
        out.writelines(url(n) + "\n" for n in range(urls))


def write_csv(path: Path, megabytes: int, line_bytes: int) -> int:
    """A CSV export of about ``megabytes`` MB; returns its number of rows."""
    target, rows = megabytes * 1_000_000, 0
    with path.open("w") as out:
        out.write("url,status,note\n")
        written = 0
        while written < target:
            head = f"{url(rows)},,"  # no status: no index writes, intake alone is measured
            line = head + "n" * max(0, line_bytes - len(head) - 1) + "\n"
            out.write(line)
            written += len(line)
            rows += 1
    return rows


@click.command()
@click.option("--urls", default=100_000, show_default=True, help="URLs of the .txt inbox.")
@click.option("--file-mb", default=0, show_default=True, help="Instead: a CSV export this big.")
@click.option("--line-bytes", default=1000, show_default=True, help="Line length of that CSV.")
@click.option("--max-lines", default=50_000, show_default=True, help="Lines per tick.")
@click.option("--batch-size", default=200, show_default=True)
def main(urls: int, file_mb: int, line_bytes: int, max_lines: int, batch_size: int) -> None:
    sensor = build_intake_sensor({}, "local")
    with tempfile.TemporaryDirectory() as tmp, dg.instance_for_test() as instance:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        if file_mb:
            path = inbox / "export.csv"
            rows = write_csv(path, file_mb, line_bytes)
            what = f"{rows:,} CSV rows of about {line_bytes} bytes"
        else:
            path = inbox / "export.txt"
            write_txt(path, urls)
            what = f"{urls:,} URLs"
        resources = {
            "automation": AutomationSettings(
                inbox=str(inbox), max_lines_per_tick=max_lines, batch_size=batch_size
            ),
            "profile_index_store": ProfileIndexResource(table="unused-without-statuses"),
        }
        print(f"inbox: {what} ({path.stat().st_size / 1e6:.1f} MB), "
              f"{max_lines:,} lines per tick, batch size {batch_size}")  # fmt: skip
        cursor, tick_no, total_new, rss = None, 0, 0, PeakRss()
        worst_s, worst_rss = 0.0, 0
        while True:
            tick_no += 1
            with rss.measuring():
                started = time.perf_counter()
                with dg.build_sensor_context(
                    instance=instance, cursor=cursor, resources=resources
                ) as context:
                    result = sensor(context)
                evaluated = time.perf_counter() - started
            assert isinstance(result, dg.SensorResult)
            new = [k for r in result.dynamic_partitions_requests for k in r.partition_keys]
            started = time.perf_counter()
            for request in result.dynamic_partitions_requests:
                instance.add_dynamic_partitions("profiles", list(request.partition_keys))
            added = time.perf_counter() - started
            total_new += len(new)
            worst_s, worst_rss = max(worst_s, evaluated), max(worst_rss, rss.peak)
            print(
                f"tick {tick_no}: {evaluated:.2f} s (limit 60 s), peak RSS {rss.peak / 1e6:.0f} MB: "
                f"{len(new):,} new partitions, {len(result.run_requests)} run requests; adding "
                f"the partitions took {added:.2f} s"
            )
            cursor = result.cursor
            if not new:
                break
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        print(
            f"total: {total_new:,} partitions in {tick_no} ticks; slowest tick {worst_s:.2f} s, "
            f"largest tick peak RSS {worst_rss / 1e6:.0f} MB; process peak RSS {rss_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
