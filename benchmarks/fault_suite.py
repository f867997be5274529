"""Faults injected for real, figures printed: a batched run over a generated sample site with a
share of S3 requests failing (503 SlowDown) or reset on the way to moto's server.

    .venv/bin/python benchmarks/fault_suite.py [--profiles 200] [--transient 0.30] [--reset 0.05]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from linkedin_assets.testing.fault_proxy import FaultRule
from linkedin_assets.testing.fault_suite import run_fault_suite


@click.command()
@click.option("--profiles", default=200, show_default=True)
@click.option(
    "--transient",
    default=0.30,
    show_default=True,
    help="Share of S3 requests answered 503 SlowDown.",
)
@click.option(
    "--reset",
    default=0.05,
    show_default=True,
    help="Share of S3 requests whose connection is reset.",
)
@click.option("--seed", default=7, show_default=True)
@click.option(
    "--backoff-scale", default=1.0, show_default=True, help="Shorten botocore's waits (1 = real)."
)
def main(profiles: int, transient: float, reset: float, seed: int, backoff_scale: float) -> None:
    rules = [
        FaultRule("reset", reset, service="s3"),
        FaultRule("error", transient, service="s3", status=503, code="SlowDown"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        result = run_fault_suite(
            Path(tmp),
            count=profiles,
            rules=rules,
            seed=seed,
            backoff_scale=backoff_scale,
            log=print,
        )
    figures = result.run_figures
    print(f"requests through the proxy: {result.requests:,}; faults injected: {result.injected}")
    print(
        f"uploads: {figures.get('uploaded')} uploaded, {figures.get('failed')} failed; "
        f"retried uploads: {figures.get('retried')}; upload attempts: {figures.get('attempts')}"
    )
    print(
        f"profiles complete (4 assets, 3 checks passed): {result.complete} of {result.profiles}; "
        f"profiles lost: {len(result.lost)} {result.lost[:5]}"
    )
    print(f"store audit after the run: {result.inconsistencies}")
    print(
        f"run time {result.seconds:.0f} s ({result.profiles / result.seconds:.2f} profiles/s); run success: {result.run_success}"
    )
    if result.extra["failures"]:
        print(f"failures: {list(result.extra['failures'].items())[:5]}")


if __name__ == "__main__":
    main()
