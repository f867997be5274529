"""Faults injected for real, figures printed: batched runs over a generated sample site with S3
requests failing on the way to moto's server, one scenario after another:

- ``transient``: a share of S3 requests answered 503 SlowDown, and a share reset;
- ``outage``: the same, plus every S3 request answered 503 for ``--outage-s`` seconds in the
  middle of the run.

For each: faults injected, profile-level retries, deferred, failed, lost (neither stored nor
deferred, or deferred and not stored by the follow-up run) and wall time.

    .venv/bin/python benchmarks/fault_suite.py [--profiles 200] [--scenario all] [--backoff-scale 1]
        [--retry-pause-s 2]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from linkedin_assets.testing.fault_proxy import FaultRule
from linkedin_assets.testing.fault_suite import SuiteResult, run_fault_suite

# Requests per profile through the proxy, about: where "the middle of the run" falls.
REQUESTS_PER_PROFILE = 22


def scenarios(
    profiles: int, transient: float, reset: float, outage_s: float, retry_pause_s: float
) -> dict[str, tuple[list[FaultRule], dict[str, str]]]:
    rules = [
        FaultRule("reset", reset, service="s3"),
        FaultRule("error", transient, service="s3", status=503, code="SlowDown"),
    ]
    outage = FaultRule(
        "error", 1.0, service="s3", status=503, code="SlowDown",
        after_requests=profiles * REQUESTS_PER_PROFILE // 2, for_s=outage_s,
    )  # fmt: skip
    rounds = {"PROFILE_STORAGE_RETRY_PAUSE_S": str(retry_pause_s)}
    return {"transient": (rules, rounds), "outage": ([outage, *rules], rounds)}


def report(name: str, result: SuiteResult) -> None:
    figures = result.run_figures
    print(f"\n== {name}: {result.profiles} profiles, {result.seconds:.0f} s")
    print(f"requests through the proxy: {result.requests:,}; faults injected: {result.injected}")
    print(
        f"run's counts: {figures.get('storage_requests')} storage requests, "
        f"{figures.get('storage_transient_failures')} transient failures, "
        f"{figures.get('profile_retries')} profile-level retries, "
        f"{figures.get('slowdowns')} slowdowns"
    )
    print(
        f"stored {result.complete}, deferred {len(result.deferred)}, failed {len(result.failed)}, "
        f"lost {len(result.lost)} {result.lost[:5]}; deferred stored by the follow-up run: "
        f"{result.follow_up_complete}"
    )
    print(f"store audit after both runs: {result.inconsistencies}")
    print(
        f"wall time {result.seconds:.0f} s ({result.profiles / result.seconds:.2f} profiles/s); "
        f"run success: {result.run_success}"
    )
    if result.extra["failures"]:
        print(f"failures: {list(result.extra['failures'].items())[:5]}")


@click.command()
@click.option("--profiles", default=200, show_default=True)
@click.option(
    "--scenario",
    type=click.Choice(["all", "transient", "outage"]),
    default="all",
    show_default=True,
)
@click.option(
    "--transient", default=0.30, show_default=True, help="Share of S3 requests answered 503."
)
@click.option("--reset", default=0.05, show_default=True, help="Share of S3 requests reset.")
@click.option("--outage-s", default=10.0, show_default=True, help="Length of the S3 outage.")
@click.option(
    "--retry-pause-s",
    default=2.0,
    show_default=True,
    help="PROFILE_STORAGE_RETRY_PAUSE_S; the five pauses must outlast the outage.",
)
@click.option("--seed", default=7, show_default=True)
@click.option(
    "--backoff-scale", default=1.0, show_default=True, help="Shorten botocore's waits (1 = real)."
)
def main(
    profiles: int,
    scenario: str,
    transient: float,
    reset: float,
    outage_s: float,
    retry_pause_s: float,
    seed: int,
    backoff_scale: float,
) -> None:
    chosen = scenarios(profiles, transient, reset, outage_s, retry_pause_s)
    for name, (rules, settings) in chosen.items():
        if scenario not in ("all", name):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            result = run_fault_suite(
                Path(tmp),
                count=profiles,
                rules=rules,
                seed=seed,
                backoff_scale=backoff_scale,
                settings=settings,
                log=print,
            )
        report(name, result)


if __name__ == "__main__":
    main()
