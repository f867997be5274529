"""Ingestion events over moto's server: a real run publishes the sample profiles, the local
stack's queue hears of each document exactly once (beside its upload record, which no S3 filter
can hold back), and the consumer loop of docs/ingestion.md hands over each verified document."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from linkedin_assets.assets.partitions import partition_range_tags
from linkedin_assets.assets.run_report import run_rows
from linkedin_assets.automation import intake
from linkedin_assets.core.ingestion_events import ObjectCreated, is_profile_document
from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.sample_site import load_sample_profiles
from linkedin_assets.resources.ingestion_queue import drain
from tests.integration.local_aws import local_client

pytestmark = pytest.mark.integration

SAMPLES = load_sample_profiles()
OK = [p.profile_id for p in SAMPLES if p.outcome == "ok"]
QUEUE = "linkedin-profile-events-local"
DOCS = Path(__file__).parents[2] / "docs" / "ingestion.md"


def run_pipeline(instance: dg.DagsterInstance, ids: list[str], **kwargs: Any) -> dict[str, Any]:
    result = (
        build_definitions("local")
        .resolve_job_def("profile_pipeline_job")
        .execute_in_process(
            instance=instance,
            tags=partition_range_tags(instance, ids),
            raise_on_error=False,
            **kwargs,
        )
    )
    return {r.profile_id: r for r in run_rows(instance, result.run_id, ids)}


def published(rows: dict[str, Any]) -> set[str]:
    """The document keys the run uploaded (not unchanged, not failed)."""
    return {
        str(r.materialized["profile_json"]["s3_key"])
        for r in rows.values()
        if r.materialized.get("profile_json", {}).get("outcome") == "uploaded"
    }


@pytest.fixture(scope="module")
def queue_url(stack: dict[str, str]) -> str:
    url: str = local_client("sqs", stack).get_queue_url(QueueName=QUEUE)["QueueUrl"]
    return url


@pytest.fixture(scope="module")
def first_run(
    stack: dict[str, str], queue_url: str
) -> Iterator[tuple[dg.DagsterInstance, dict, list[ObjectCreated]]]:
    os.environ.update(stack)
    drain(local_client("sqs", stack), queue_url)  # only this module's run from here on
    with dg.instance_for_test() as instance:
        ids = [p.profile_id for p in SAMPLES]
        intake.register(instance, None, ids, base_url=stack["LINKEDIN_BASE_URL"])
        rows = run_pipeline(instance, ids)
        yield instance, rows, drain(local_client("sqs", stack), queue_url)


def test_one_event_per_published_document(first_run: tuple) -> None:
    _, rows, events = first_run
    documents = Counter(e.key for e in events if is_profile_document(e.key, "profiles/"))
    assert published(rows) == {f"profiles/{pid}.json" for pid in OK}
    assert documents == Counter({key: 1 for key in published(rows)})


def test_the_upload_records_events_arrive_too_and_are_the_only_others(first_run: tuple) -> None:
    # The filter (prefix profiles/, suffix .json) passes <id>.meta.json as well: the consumer
    # skips it. Nothing else of the run (screenshots, captures, extracted/) reaches the queue.
    _, rows, events = first_run
    others = Counter(e.key for e in events if not is_profile_document(e.key, "profiles/"))
    # Two per record: written when the document is published ("extracted"), again once the index
    # item is ("indexed").
    assert others == Counter({f"profiles/{pid}.meta.json": 2 for pid in OK})
    assert {e.event_name for e in events} == {"ObjectCreated:Put"}


def test_the_documented_consumer_hands_over_each_verified_document(
    stack: dict[str, str], first_run: tuple, queue_url: str
) -> None:
    instance, _, _ = first_run
    # The queue was drained: re-publish by re-extracting from the stored HTML (no browser) with a
    # changed lead status, so every document is written again and announced again.
    index = build_definitions("local").resources["profile_index_store"]
    store = index.process_config_and_initialize().open()
    intake.register(instance, store, OK, statuses=dict.fromkeys(OK, "contacted"),
                    base_url=stack["LINKEDIN_BASE_URL"])  # fmt: skip
    rows = run_pipeline(
        instance, OK, asset_selection=[dg.AssetKey("profile_text"), dg.AssetKey("profile_json")]
    )
    assert published(rows) == {f"profiles/{pid}.json" for pid in OK}

    [code] = re.findall(r"```python\n(.*?)```", DOCS.read_text(), re.S)
    namespace: dict[str, Any] = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # the loop exactly as documented
    handed: list[tuple[str, str, dict]] = []
    namespace["consume"](
        local_client("sqs", stack), local_client("s3", stack), queue_url,
        lambda bucket, key, document: handed.append((bucket, key, document)),
        wait_s=0, until_empty=True,
    )  # fmt: skip
    bucket = stack["S3_PROFILE_TEXT_BUCKET_NAME"]
    assert sorted((b, k) for b, k, _ in handed) == sorted(
        (bucket, f"profiles/{pid}.json") for pid in OK
    )
    assert all(document["profile_id"] == key.split("/")[1][:-5] for _, key, document in handed)
    # Every message was deleted once handled.
    left = local_client("sqs", stack).receive_message(QueueUrl=queue_url, WaitTimeSeconds=0)
    assert left.get("Messages", []) == []


def test_a_document_that_changed_on_the_way_is_refused(
    stack: dict[str, str], first_run: tuple, queue_url: str
) -> None:
    # The object's sha256 metadata no longer matches its body: the consumer raises, and leaves
    # the message in the queue (deleted only once handled).
    s3, sqs = local_client("s3", stack), local_client("sqs", stack)
    bucket, key = stack["S3_PROFILE_TEXT_BUCKET_NAME"], f"profiles/{OK[0]}.json"
    s3.put_object(Bucket=bucket, Key=key, Body=b'{"tampered": true}', Metadata={"sha256": "0" * 64},
                  ServerSideEncryption="AES256")  # fmt: skip
    # A message received and not deleted comes back after the visibility timeout: make it now.
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "0"})
    [code] = re.findall(r"```python\n(.*?)```", DOCS.read_text(), re.S)
    namespace: dict[str, Any] = {}
    exec(compile(code, str(DOCS), "exec"), namespace)
    with pytest.raises(ValueError, match=f"s3://{bucket}/{key}: checksum mismatch"):
        namespace["consume"](sqs, s3, queue_url, lambda *_: None, wait_s=0, until_empty=True)
    assert [e.key for e in drain(sqs, queue_url)] == [key]
