"""The profile-text bucket in its own region (``S3_PROFILE_TEXT_REGION``), on moto's server over
HTTP: every object lands in its own bucket, each request is signed for that bucket's region (the
second client), and the checks and the audit find everything."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import dagster as dg
import pytest

from linkedin_assets.assets.partitions import partition_range_tags
from linkedin_assets.assets.reports.profile_store_audit import profile_store_audit
from linkedin_assets.assets.run_report import run_rows
from linkedin_assets.automation import intake
from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.sample_site import load_sample_profiles
from linkedin_assets.resources import aws as aws_module
from linkedin_assets.resources.environments import build_resources
from tests.integration.conftest import stack_environ
from tests.integration.local_aws import running_stack

pytestmark = pytest.mark.integration

OK = [p for p in load_sample_profiles() if p.outcome == "ok"][:2]
SHOTS, SHOTS_REGION = "xr-screenshots", "us-west-2"
TEXT, TEXT_REGION = "xr-profile-text", "eu-central-1"
# SigV4: "Credential=<key>/<date>/<region>/s3/aws4_request".
SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/s3/")


@pytest.fixture(scope="module")
def environ(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    environ = {
        **stack_environ(tmp_path_factory.mktemp("cross-region")),
        "S3_SCREENSHOT_BUCKET_NAME": SHOTS,
        "S3_PROFILE_TEXT_BUCKET_NAME": TEXT,
        "S3_PROFILE_TEXT_REGION": TEXT_REGION,
    }
    with running_stack(environ):  # the local stack creates each bucket in its own region
        yield environ


@pytest.fixture(autouse=True)
def _environment(environ: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    # The root conftest scrubs AWS variables for every test; put the stack's back.
    for name, value in environ.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def signed() -> Iterator[Counter[tuple[str, str]]]:
    """(bucket, region the request was signed for) of every S3 request the project's clients
    send: a public botocore event on each client ``build_client`` builds."""
    seen: Counter[tuple[str, str]] = Counter()
    real = aws_module.build_client

    def recording(service: str, settings: Any, stats: Any = None) -> Any:
        client = real(service, settings, stats)

        def record(request: Any, **_: Any) -> None:
            bucket = request.url.split("://", 1)[1].split("/")[1].split("?")[0]
            scope = SCOPE.search(str(request.headers.get("Authorization", "")))
            seen[(bucket, scope.group(1) if scope else "unsigned")] += 1

        if service == "s3":
            client.meta.events.register("before-send.s3", record)
        return client

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(aws_module, "build_client", recording)
        yield seen


@pytest.fixture(scope="module")
def run(environ: dict[str, str], signed: Counter) -> Iterator[tuple[dg.DagsterInstance, dict]]:
    with dg.instance_for_test() as instance:
        defs = build_definitions("local", environ)
        ids = [p.profile_id for p in OK]
        intake.register(instance, None, ids, base_url=environ["LINKEDIN_BASE_URL"])
        result = defs.resolve_job_def("profile_pipeline_job").execute_in_process(
            instance=instance, tags=partition_range_tags(instance, ids), raise_on_error=False
        )
        assert result.success
        yield instance, {r.profile_id: r for r in run_rows(instance, result.run_id, ids)}


def plain_s3(environ: dict[str, str], region: str) -> Any:
    return boto3.client(
        "s3", endpoint_url=environ["AWS_ENDPOINT_URL"], region_name=region,
        aws_access_key_id="x", aws_secret_access_key="x",
    )  # fmt: skip


def keys(environ: dict[str, str], bucket: str, region: str) -> set[str]:
    listed = plain_s3(environ, region).list_objects_v2(Bucket=bucket)
    return {o["Key"] for o in listed.get("Contents", [])}


def test_each_bucket_is_in_its_own_region(environ: dict[str, str]) -> None:
    s3 = plain_s3(environ, SHOTS_REGION)
    assert s3.get_bucket_location(Bucket=SHOTS)["LocationConstraint"] == SHOTS_REGION
    assert s3.get_bucket_location(Bucket=TEXT)["LocationConstraint"] == TEXT_REGION


def test_objects_land_in_their_own_bucket(environ: dict[str, str], run: tuple) -> None:
    shots, text = keys(environ, SHOTS, SHOTS_REGION), keys(environ, TEXT, TEXT_REGION)
    for sample in OK:
        pid = sample.profile_id
        assert {
            f"profiles/{pid}.json",
            f"profiles/{pid}.meta.json",
            f"extracted/{pid}.json",
        } <= text
        assert f"screenshots/{pid}-profile.png" in shots
        assert f"captures/{pid}/profile.html" in shots
    assert not {k for k in shots if k.startswith(("profiles/", "extracted/"))}
    assert not {k for k in text if k.startswith(("screenshots/", "captures/"))}


def test_each_bucket_is_reached_by_the_client_of_its_region(run: tuple, signed: Counter) -> None:
    by_bucket: dict[str, set[str]] = {}
    for (bucket, region), _ in signed.items():
        by_bucket.setdefault(bucket, set()).add(region)
    assert by_bucket[SHOTS] == {SHOTS_REGION}
    assert by_bucket[TEXT] == {TEXT_REGION}


def test_the_checks_pass_and_the_audit_finds_everything(
    environ: dict[str, str], run: tuple
) -> None:
    instance, rows = run
    for sample in OK:
        row = rows[sample.profile_id]
        assert row.failure is None and len(row.checks) == 3 and not row.failed_checks, row
        assert row.materialized["profile_json"]["s3_url"] == (
            f"s3://{TEXT}/profiles/{sample.profile_id}.json"
        )
    result = dg.materialize(
        [profile_store_audit],
        instance=instance,
        resources=build_resources("local", environ),
        raise_on_error=False,
    )
    [mat] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in mat.materialization.metadata.items()}
    [check] = result.get_asset_check_evaluations()
    assert check.passed and metadata["inconsistencies"] == 0, metadata
    assert metadata["objects_profiles"] == 2 * len(OK)  # documents and upload records
    assert metadata["objects_screenshots"] >= len(OK)
    assert metadata["index_items"] == len(OK)
    assert str(metadata["report_s3_url"]).startswith(f"s3://{TEXT}/reports/audit/")
