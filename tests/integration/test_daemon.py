"""The real daemon path: `dagster dev` (webserver + daemon) on 127.0.0.1 against the local stack.

A URL file dropped in the inbox becomes partitions and successful batched runs with no other
action; a backfill launched the way the UI launches one (GraphQL) runs as few runs as the backfill
policy allows. Bounded: every wait has a deadline and the process group is stopped at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import dagster as dg
import pytest

from linkedin_assets.local.instance import ensure_dagster_home
from linkedin_assets.local.local_stack import LocalStack, StackSettings
from linkedin_assets.local.sample_site import load_sample_profiles
from tests.index_reads import index_item
from tests.integration.conftest import stack_environ
from tests.integration.dagster_dev import dagster_dev, graphql, wait_for
from tests.integration.local_aws import local_client

pytestmark = pytest.mark.integration
OK = [p for p in load_sample_profiles() if p.outcome == "ok"][:3]
ASSETS = ["profile_screenshots", "profile_text", "profile_json", "profile_index"]


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = tmp_path_factory.mktemp("dev")
    environ = {
        **stack_environ(data),
        "PROFILE_URL_INBOX": str(data / "inbox"),
        "PROFILE_URL_SENSOR_STATUS": "running",
        "PROFILE_URL_SENSOR_INTERVAL_S": "5",
        "PROFILE_RUN_BATCH_SIZE": "2",
    }
    environ.pop("S3_PROFILE_TEXT_BUCKET_NAME")
    (data / "inbox").mkdir()
    ensure_dagster_home(environ)
    log = data / "dagster-dev.log"
    with (
        LocalStack(StackSettings.from_environ(environ), persist=False),
        dagster_dev({**os.environ, **environ}, log) as (url, _),
    ):
        instance = dg.DagsterInstance.from_config(environ["DAGSTER_HOME"])
        yield {"environ": environ, "url": url, "instance": instance, "log": log, "data": data}


def finished_runs(
    instance: dg.DagsterInstance, tags: dict[str, str], count: int
) -> list[dg.DagsterRun] | None:
    runs = instance.get_runs(filters=dg.RunsFilter(tags=tags))
    done = [r for r in runs if r.is_finished]
    return done if len(runs) >= count and len(done) == len(runs) else None


@pytest.fixture(scope="module")
def dropped(dev: dict[str, Any]) -> list[dg.DagsterRun]:
    """A URL file dropped in the inbox, and the intake runs it became once they have finished:
    made by whichever test asks first, so each test of this file also passes alone."""
    lines = [f"https://www.linkedin.com/in/{p.profile_id}/" for p in OK] + [
        "https://evil.test/in/nobody"
    ]
    (dev["data"] / "inbox" / "leads.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs: list[dg.DagsterRun] = wait_for(
        "the intake runs",
        lambda: finished_runs(dev["instance"], {"linkedin-assets/source": "intake-sensor"}, 2),
        300,
        dev["log"],
    )
    return runs


def test_a_dropped_file_is_captured_with_no_other_action(
    dev: dict[str, Any], dropped: list[dg.DagsterRun]
) -> None:
    environ, instance, runs = dev["environ"], dev["instance"], dropped
    assert len(runs) == 2  # three profiles, batch size two
    assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs), [r.status for r in runs]
    assert set(instance.get_dynamic_partitions("profiles")) == {p.profile_id for p in OK}

    s3, dynamodb = local_client("s3", environ), local_client("dynamodb", environ)
    for sample in OK:
        head = s3.head_object(
            Bucket=environ["S3_SCREENSHOT_BUCKET_NAME"], Key=f"profiles/{sample.profile_id}.json"
        )
        assert head["ServerSideEncryption"] == "AES256"
        item = index_item(dynamodb, environ["DYNAMODB_PROFILE_TABLE"], sample.profile_id)
        assert item["text_upload_failed"]["BOOL"] is False
    report = (dev["data"] / "inbox" / "_rejects" / "leads.txt.rejects.csv").read_text()
    assert "leads.txt,4,https://evil.test/in/nobody," in report


LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on UnauthorizedError { message }
  }
}
"""


@pytest.mark.parametrize(("picked", "runs_expected"), [((0, 1, 2), 1), ((0, 2), 2)])
def test_a_ui_backfill_runs_as_few_runs_as_the_policy_allows(
    dev: dict[str, Any], dropped: list[dg.DagsterRun], picked: tuple[int, ...], runs_expected: int
) -> None:
    instance = dev["instance"]
    assert len(instance.get_dynamic_partitions("profiles")) == 3  # the intake's, from `dropped`
    order = instance.get_dynamic_partitions("profiles")
    partitions = [order[i] for i in picked]
    params = {
        "partitionNames": partitions,
        "assetSelection": [{"path": [a]} for a in ASSETS],
        "fromFailure": False,
    }
    answer = graphql(dev["url"], LAUNCH, {"params": params})["data"]["launchPartitionBackfill"]
    assert answer["__typename"] == "LaunchBackfillSuccess", answer
    backfill_id = answer["backfillId"]

    def done() -> list[dg.DagsterRun] | None:
        backfill = instance.get_backfill(backfill_id)
        if backfill is None or backfill.status.value == "REQUESTED":  # still creating its runs
            return None
        return finished_runs(instance, {"dagster/backfill": backfill_id}, 1)

    runs = wait_for(f"backfill {backfill_id}", done, 300, dev["log"])
    assert len(runs) == runs_expected
    assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
