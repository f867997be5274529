"""Forget profiles: delete what the pipeline stored about a person, everywhere it can.

Every ID is validated, and checked against runs in progress, before anything is deleted. Then,
per profile:

    Dagster   the dynamic partition goes first, so no sensor, schedule or backfill starts a new
              run for it; then its asset events, where the instance's event storage can wipe
              partitions (``wipe_asset_partitions``: Dagster 1.13's SQL storages, SQLite and
              Postgres, raise ``NotImplementedError``, so the events stay and the report says so)
    S3        every key ``StorageLayout`` gives the profile, looked up in both buckets, and
              anything else under ``captures/<id>/``, and the upload record earlier versions
              wrote at ``profiles/<id>-meta.json``; an object whose ``profile-id`` metadata
              names another profile is left alone (``profiles/x-meta.json`` may be the document
              of a profile ``x-meta``: that earlier name is taken only when its metadata names
              ``x``). Only objects that existed are reported, as ``s3://`` URLs
    DynamoDB  the index item

Every step is idempotent, so a forget that stopped half-way is finished by running it again.
``dry_run`` reports what exists and would be deleted, and deletes nothing. What stays behind
(run logs, object versions, inbox files) is listed in docs/security.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import dagster as dg

from linkedin_assets.assets.partitions import (
    PARTITION_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
    profile_partitions,
)
from linkedin_assets.assets.pipeline import ALL_ASSETS
from linkedin_assets.core.profile_ids import validate_profile_id
from linkedin_assets.core.storage_layout import CAPTURES_PREFIX, PAGE_KINDS, StorageLayout, s3_url
from linkedin_assets.errors import ProfileInUse
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.profile_index import IndexStore

PARTITIONS = profile_partitions.name

BucketRole = Literal["screenshot", "profile_text"]
# Runs that may still write a profile's objects: one of them finishing after the forget would
# store the person again.
UNFINISHED_RUN_STATUSES = frozenset(
    [
        dg.DagsterRunStatus.QUEUED,
        dg.DagsterRunStatus.NOT_STARTED,
        dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.STARTED,
        dg.DagsterRunStatus.CANCELING,
        dg.DagsterRunStatus.SUSPENDED,
    ]
)
PROFILE_ID_METADATA = "profile-id"
HEAD_CONCURRENCY = 8
EVENT_PAGE = 1000


@dataclass(frozen=True)
class ForgetReport:
    """What was deleted for one profile (with ``dry_run``: what exists and would be)."""

    profile_id: str
    s3_keys_deleted: list[str]  # s3://bucket/key of every object that existed
    index_item_deleted: bool
    partition_deleted: bool
    dagster_events_wiped: bool  # False when the event storage cannot wipe partitions
    # Runs that targeted this profile or materialized it: their event logs keep its ID (and
    # failure messages) unless they are deleted (`dagster run delete RUN_ID`: the whole run).
    runs_with_events: tuple[str, ...] = ()
    dry_run: bool = False


def profile_keys(layout: StorageLayout, profile_id: str) -> list[tuple[BucketRole, str]]:
    """Every key ``layout`` gives ``profile_id``, with the bucket it belongs in (pure)."""
    return [
        *(("screenshot", layout.screenshot_key(profile_id, page)) for page in PAGE_KINDS),
        *(("screenshot", layout.capture_html_key(profile_id, page)) for page in PAGE_KINDS),
        ("screenshot", layout.capture_manifest_key(profile_id)),
        ("profile_text", layout.extracted_key(profile_id)),
        ("profile_text", layout.profile_key(profile_id)),
        ("profile_text", layout.profile_meta_key(profile_id)),
        ("profile_text", layout.legacy_profile_meta_key(profile_id)),
    ]


def covers(tags: Mapping[str, str], order: Mapping[str, int], profile_id: str) -> bool | None:
    """Whether a run with ``tags`` targets ``profile_id`` (pure); ``order`` is the partitions'
    position, which a partition range is taken in. ``None``: cannot tell, an end of the range is
    no longer a partition."""
    if tags.get(PARTITION_TAG) == profile_id:
        return True
    first, last = tags.get(RANGE_START_TAG), tags.get(RANGE_END_TAG)
    if first is None or last is None or profile_id not in order:
        return False
    if first not in order or last not in order:
        return None
    return order[first] <= order[profile_id] <= order[last]


def forget_profiles(
    instance: dg.DagsterInstance,
    storage: ProfileStorage,
    index: IndexStore,
    profile_ids: Sequence[str],
    *,
    dry_run: bool = False,
) -> list[ForgetReport]:
    """Delete each profile's partition, asset events, S3 objects and index item.

    Raises ``InvalidProfileUrl`` for a non-canonical ID and ``ProfileInUse`` when an unfinished
    run covers one of them, both before anything is deleted.
    """
    ids = list(dict.fromkeys(validate_profile_id(pid) for pid in profile_ids))
    order = {pid: n for n, pid in enumerate(instance.get_dynamic_partitions(PARTITIONS))}
    runs = instance.get_runs()
    # An unfinished run that may cover a profile (even one we cannot tell about) stops it all.
    busy = {
        pid: [
            run.run_id
            for run in runs
            if run.status in UNFINISHED_RUN_STATUSES and covers(run.tags, order, pid) is not False
        ]
        for pid in ids
    }
    if any(busy.values()):
        listed = "; ".join(
            f"{pid}: {', '.join(run_ids)}" for pid, run_ids in busy.items() if run_ids
        )
        raise ProfileInUse(
            f"unfinished runs cover profiles to forget ({listed}); wait for them or cancel them"
        )
    # Read before deleting: once the partition is gone, ranges no longer say whom they cover.
    targeting = {pid: {run.run_id for run in runs if covers(run.tags, order, pid)} for pid in ids}
    reports = []
    for pid in ids:
        held = targeting[pid] | runs_with_materializations(instance, pid)
        reports.append(_forget_one(instance, storage, index, pid, tuple(sorted(held)), dry_run))
    return reports


def _forget_one(
    instance: dg.DagsterInstance,
    storage: ProfileStorage,
    index: IndexStore,
    pid: str,
    runs: tuple[str, ...],
    dry_run: bool,
) -> ForgetReport:
    has_partition = instance.has_dynamic_partition(PARTITIONS, pid)
    objects = stored_objects(storage, pid)
    urls = [s3_url(bucket, key) for bucket, key in objects]
    if dry_run:
        exists = index.get(pid) is not None
        return ForgetReport(pid, urls, exists, has_partition, False, runs, dry_run=True)
    instance.delete_dynamic_partition(PARTITIONS, pid)
    wiped = _wipe_events(instance, pid)
    for bucket in dict.fromkeys(bucket for bucket, _ in objects):
        keys = [key for b, key in objects if b == bucket]
        storage.objects.delete_many(bucket, keys)
    deleted_item = index.delete(pid)
    return ForgetReport(pid, urls, deleted_item, has_partition, wiped, runs)


def stored_objects(storage: ProfileStorage, pid: str) -> list[tuple[str, str]]:
    """``(bucket, key)`` of every object of ``pid`` that exists, in layout order."""
    layout_keys = [key for _, key in profile_keys(storage.layout, pid)]
    # Another profile's document may sit at the earlier record name: it must say it is ours.
    claimed = {storage.layout.legacy_profile_meta_key(pid)}
    folder = f"{CAPTURES_PREFIX}{validate_profile_id(pid)}/"
    found: list[tuple[str, str]] = []
    # Both buckets: the profile-text bucket may once have been the screenshot bucket.
    for bucket in dict.fromkeys([storage.screenshot_bucket, storage.profile_text_bucket]):
        listed = [o.key for o in storage.objects.list_objects(bucket, folder)]
        candidates = list(dict.fromkeys([*layout_keys, *listed]))
        heads = dict(storage.objects.head_many(bucket, candidates, HEAD_CONCURRENCY))
        for key in candidates:
            info = heads.get(key)
            if info is None:
                continue
            owner = info.metadata.get(PROFILE_ID_METADATA, None if key in claimed else pid)
            if owner == pid:
                found.append((bucket, key))
    return found


def runs_with_materializations(instance: dg.DagsterInstance, pid: str) -> set[str]:
    """IDs of the runs that recorded a materialization of one of ``pid``'s assets."""
    found: set[str] = set()
    for key in ALL_ASSETS:
        records_filter = dg.AssetRecordsFilter(asset_key=key, asset_partitions=[pid])
        cursor = None
        while True:
            result = instance.fetch_materializations(
                records_filter, limit=EVENT_PAGE, cursor=cursor
            )
            found.update(record.run_id for record in result.records)
            if not result.has_more:
                break
            cursor = result.cursor
    return found


def _wipe_events(instance: dg.DagsterInstance, pid: str) -> bool:
    try:
        for key in ALL_ASSETS:
            instance.wipe_asset_partitions(key, [pid])
    except NotImplementedError:
        return False  # OSS SQL event storages (SQLite, Postgres) in Dagster 1.13
    return True
