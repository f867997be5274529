"""Forgetting a profile: its objects, index item and partition go; everyone else's stay. Asset tier
(moto's in-process mock, fake browser, real temporary instance), plus the pure helpers."""

from __future__ import annotations

from typing import Any

import dagster as dg
import pytest

from linkedin_assets.assets.partitions import profile_partitions, range_tags
from linkedin_assets.commands.forget import ProfileInUse, covers, forget_profiles, profile_keys
from linkedin_assets.core.storage_layout import StorageLayout
from linkedin_assets.errors import InvalidProfileUrl
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import S3ObjectStore
from linkedin_assets.resources.profile_index import DynamoDBIndexStore
from linkedin_assets.resources.provisioning import ensure_bucket
from tests.assets.fakes import run
from tests.conftest import BUCKET, REGION, TABLE
from tests.index_reads import index_item

ADA, ALAN = "ada-lovelace", "alan-turing"
TEXT_BUCKET = "test-text-bucket"
# The fake browser captures no activity page, so these are every object a profile gets.
ADA_KEYS = [
    (BUCKET, "screenshots/ada-lovelace-profile.png"),
    (BUCKET, "captures/ada-lovelace/profile.html"),
    (BUCKET, "captures/ada-lovelace/capture.json"),
    (BUCKET, "extracted/ada-lovelace.json"),
    (BUCKET, "profiles/ada-lovelace.json"),
    (BUCKET, "profiles/ada-lovelace.meta.json"),
]


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        (
            StorageLayout(),
            [
                ("screenshot", "screenshots/jürgen-müller-profile.png"),
                ("screenshot", "screenshots/jürgen-müller-activity.png"),
                ("screenshot", "captures/jürgen-müller/profile.html"),
                ("screenshot", "captures/jürgen-müller/activity.html"),
                ("screenshot", "captures/jürgen-müller/capture.json"),
                ("profile_text", "extracted/jürgen-müller.json"),
                ("profile_text", "profiles/jürgen-müller.json"),
                ("profile_text", "profiles/jürgen-müller.meta.json"),
                ("profile_text", "profiles/jürgen-müller-meta.json"),  # earlier versions' record
            ],
        ),
        (
            StorageLayout("shots", "/docs/v2"),
            [
                ("screenshot", "shots/jürgen-müller-profile.png"),
                ("screenshot", "shots/jürgen-müller-activity.png"),
                ("screenshot", "captures/jürgen-müller/profile.html"),
                ("screenshot", "captures/jürgen-müller/activity.html"),
                ("screenshot", "captures/jürgen-müller/capture.json"),
                ("profile_text", "extracted/jürgen-müller.json"),
                ("profile_text", "docs/v2/jürgen-müller.json"),
                ("profile_text", "docs/v2/jürgen-müller.meta.json"),
                ("profile_text", "docs/v2/jürgen-müller-meta.json"),  # earlier versions' record
            ],
        ),
    ],
)
def test_profile_keys(layout: StorageLayout, expected: list[tuple[str, str]]) -> None:
    assert profile_keys(layout, "jürgen-müller") == expected


@pytest.mark.parametrize("bad", ["../etc", "Ada-Lovelace", "ada lovelace", "", "a/b", "me"])
def test_profile_keys_refuses_what_is_not_a_profile_id(bad: str) -> None:
    with pytest.raises(InvalidProfileUrl):
        profile_keys(StorageLayout(), bad)


ORDER = {"a-one": 0, "b-two": 1, "c-three": 2, "d-four": 3}


@pytest.mark.parametrize(
    ("tags", "pid", "expected"),
    [
        ({"dagster/partition": "b-two"}, "b-two", True),
        ({"dagster/partition": "b-two"}, "c-three", False),
        (range_tags("b-two", "c-three"), "b-two", True),
        (range_tags("b-two", "c-three"), "c-three", True),
        (range_tags("b-two", "c-three"), "a-one", False),
        (range_tags("b-two", "c-three"), "d-four", False),
        (range_tags("gone-one", "c-three"), "a-one", None),  # an end is gone: cannot tell
        (range_tags("a-one", "d-four"), "not-a-partition", False),
        ({}, "b-two", False),
    ],
)
def test_covers(tags: dict[str, str], pid: str, expected: bool | None) -> None:
    assert covers(tags, ORDER, pid) is expected


def stores(
    aws: dict[str, Any], text_bucket: str = BUCKET
) -> tuple[ProfileStorage, DynamoDBIndexStore]:
    storage = ProfileStorage(S3ObjectStore(aws["s3"]), StorageLayout(), BUCKET, text_bucket)
    return storage, DynamoDBIndexStore(aws["dynamodb"], TABLE)


def snapshot(aws: dict[str, Any], *buckets: str) -> dict[tuple[str, str], str]:
    """Every object of the given buckets: (bucket, key) → ETag."""
    found = {}
    for bucket in buckets or (BUCKET,):
        for page in aws["s3"].get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for obj in page.get("Contents", []):
                found[(bucket, obj["Key"])] = obj["ETag"]
    return found


def item(aws: dict[str, Any], pid: str) -> dict[str, Any] | None:
    return index_item(aws["dynamodb"], TABLE, pid, missing_ok=True)


def partitions(instance: dg.DagsterInstance) -> list[str]:
    return list(instance.get_dynamic_partitions(profile_partitions.name))


def test_forget_deletes_one_profile_everywhere_and_leaves_the_other(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    result = run(instance, [ADA, ALAN])
    assert result.success
    before = snapshot(aws)
    alan_before = item(aws, ALAN)
    assert set(ADA_KEYS) <= set(before) and item(aws, ADA) is not None

    [report] = forget_profiles(instance, *stores(aws), [ADA])

    assert report.profile_id == ADA and not report.dry_run
    assert report.s3_keys_deleted == [f"s3://{b}/{k}" for b, k in ADA_KEYS]
    assert report.index_item_deleted and report.partition_deleted
    # Dagster 1.13's SQL event storages cannot wipe single partitions: the events stay and the
    # report says so, naming the runs that hold them.
    assert report.dagster_events_wiped is False
    assert report.runs_with_events == (result.run_id,)

    after = snapshot(aws)
    assert not [key for key in after if ADA in key[1]]
    assert after == {key: etag for key, etag in before.items() if ADA not in key[1]}
    assert item(aws, ADA) is None
    assert item(aws, ALAN) == alan_before
    assert partitions(instance) == [ALAN]
    status = instance.get_status_by_partition(
        dg.AssetKey("profile_index"), [ALAN], profile_partitions
    )
    assert status[ALAN] == dg.AssetPartitionStatus.MATERIALIZED


def test_forget_again_finds_nothing_and_fails_nothing(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    run(instance, [ADA])
    forget_profiles(instance, *stores(aws), [ADA])
    [again] = forget_profiles(instance, *stores(aws), [ADA])
    assert again.s3_keys_deleted == []
    assert not again.index_item_deleted and not again.partition_deleted


def test_dry_run_reports_and_deletes_nothing(aws: dict, instance: dg.DagsterInstance) -> None:
    run(instance, [ADA, ALAN])
    before, ada_before = snapshot(aws), item(aws, ADA)

    [report] = forget_profiles(instance, *stores(aws), [ADA], dry_run=True)

    assert report.dry_run
    assert report.s3_keys_deleted == [f"s3://{b}/{k}" for b, k in ADA_KEYS]
    assert report.index_item_deleted and report.partition_deleted
    assert report.dagster_events_wiped is False
    assert snapshot(aws) == before
    assert item(aws, ADA) == ada_before
    assert partitions(instance) == [ADA, ALAN]


@pytest.mark.parametrize(
    "bad", ["../ada-lovelace", "Ada-Lovelace", "https://www.linkedin.com/in/ada-lovelace/"]
)
def test_an_invalid_id_deletes_nothing(aws: dict, instance: dg.DagsterInstance, bad: str) -> None:
    run(instance, [ADA])
    before, ada_before = snapshot(aws), item(aws, ADA)
    with pytest.raises(InvalidProfileUrl):
        forget_profiles(instance, *stores(aws), [ADA, bad])  # the good one comes first
    assert snapshot(aws) == before
    assert item(aws, ADA) == ada_before
    assert partitions(instance) == [ADA]


def test_an_unfinished_run_over_the_profile_stops_the_forget(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    run(instance, [ADA, ALAN])
    before = snapshot(aws)
    instance.add_run(
        dg.DagsterRun(
            job_name="profile_pipeline_job",
            run_id="0123abcd-0000-0000-0000-000000000000",
            status=dg.DagsterRunStatus.STARTED,
            tags=range_tags(ADA, ALAN),
        )
    )
    with pytest.raises(ProfileInUse, match="ada-lovelace: 0123abcd"):
        forget_profiles(instance, *stores(aws), [ADA])
    assert snapshot(aws) == before and partitions(instance) == [ADA, ALAN]


def test_a_key_that_belongs_to_another_profile_is_left_alone(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    # profiles/ada-lovelace-meta.json is the document key of a profile "ada-lovelace-meta", and
    # the name earlier versions gave Ada's upload record: its profile-id metadata says whose it is.
    run(instance, [ADA])
    aws["s3"].copy_object(
        Bucket=BUCKET, Key="profiles/ada-lovelace-meta.json",
        CopySource={"Bucket": BUCKET, "Key": "profiles/ada-lovelace.meta.json"},
    )  # fmt: skip
    before = snapshot(aws)
    [report] = forget_profiles(instance, *stores(aws), ["ada-lovelace-meta"])
    assert report.s3_keys_deleted == []
    assert snapshot(aws) == before


def test_both_buckets_are_searched(aws: dict, instance: dg.DagsterInstance) -> None:
    ensure_bucket(aws["s3"], TEXT_BUCKET, REGION)
    run(instance, [ADA, ALAN], text_bucket=TEXT_BUCKET)
    # A copy left in the screenshot bucket from before the buckets were split.
    aws["s3"].put_object(
        Bucket=BUCKET, Key="profiles/ada-lovelace.json", Body=b"{}", ServerSideEncryption="AES256"
    )
    [report] = forget_profiles(instance, *stores(aws, TEXT_BUCKET), [ADA])
    assert report.s3_keys_deleted == [
        f"s3://{BUCKET}/screenshots/ada-lovelace-profile.png",
        f"s3://{BUCKET}/captures/ada-lovelace/profile.html",
        f"s3://{BUCKET}/captures/ada-lovelace/capture.json",
        f"s3://{BUCKET}/profiles/ada-lovelace.json",
        f"s3://{TEXT_BUCKET}/extracted/ada-lovelace.json",
        f"s3://{TEXT_BUCKET}/profiles/ada-lovelace.json",
        f"s3://{TEXT_BUCKET}/profiles/ada-lovelace.meta.json",
    ]
    left = snapshot(aws, BUCKET, TEXT_BUCKET)
    assert not [key for key in left if ADA in key[1]]
    assert [key for key in left if ALAN in key[1]]


def test_a_profile_that_failed_is_forgotten_and_its_run_named(
    aws: dict, instance: dg.DagsterInstance
) -> None:
    # No materialization names it, but the run's range covers it and its log holds the failure.
    result = run(instance, [ADA, "gone-person"])
    [report] = forget_profiles(instance, *stores(aws), ["gone-person"])
    assert report.s3_keys_deleted == [] and report.partition_deleted
    assert report.runs_with_events == (result.run_id,)
    assert partitions(instance) == [ADA]
