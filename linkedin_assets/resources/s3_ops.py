"""S3 helper operations shared by the asset checks and the audit: exists, download, delete, list
(paginated: never stops at 1,000 keys) and HEAD many objects with bounded concurrency."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime

import botocore.exceptions

from linkedin_assets.errors import StorageError
from linkedin_assets.resources.aws import error_code
from linkedin_assets.resources.object_store import ObjectInfo, S3ObjectStore

DELETE_BATCH = 1000  # DeleteObjects takes at most 1,000 keys


@dataclass(frozen=True)
class Listed:
    key: str
    size: int
    etag: str
    last_modified: datetime


def exists(store: S3ObjectStore, bucket: str, key: str) -> bool:
    return store.head(bucket, key) is not None


def download(store: S3ObjectStore, bucket: str, key: str) -> bytes:
    return store.get(bucket, key)


def list_objects(store: S3ObjectStore, bucket: str, prefix: str) -> Iterator[Listed]:
    """Every object under ``prefix``, page after page."""
    paginator = store.client_for(bucket).get_paginator("list_objects_v2")
    try:
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                yield Listed(
                    obj["Key"], int(obj["Size"]), obj["ETag"].strip('"'), obj["LastModified"]
                )
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        raise StorageError(f"listing s3://{bucket}/{prefix} failed: {error_code(exc)}") from exc


def delete(store: S3ObjectStore, bucket: str, keys: Iterable[str]) -> int:
    """Delete ``keys`` in batches; returns how many were deleted. Missing keys are not errors."""
    client, batch, deleted = store.client_for(bucket), [], 0

    def flush() -> int:
        if not batch:
            return 0
        try:
            response = client.delete_objects(
                Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True}
            )
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise StorageError(f"deleting from s3://{bucket} failed: {error_code(exc)}") from exc
        errors = response.get("Errors", [])
        if errors:
            first = errors[0]
            raise StorageError(
                f"deleting s3://{bucket}/{first['Key']} failed: {first.get('Code')} "
                f"({len(errors)} of {len(batch)} keys in the batch)"
            )
        count = len(batch)
        batch.clear()
        return count

    for key in keys:
        batch.append(key)
        if len(batch) == DELETE_BATCH:
            deleted += flush()
    return deleted + flush()


def head_many(
    store: S3ObjectStore, bucket: str, keys: Iterable[str], concurrency: int = 16
) -> Iterator[tuple[str, ObjectInfo | None]]:
    """HEAD every key, at most ``concurrency`` at a time, yielding results as they come.

    At most ``2 * concurrency`` requests are in flight or waiting, so memory stays bounded however
    many keys there are.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    with ThreadPoolExecutor(concurrency) as pool:
        pending: dict[Future[ObjectInfo | None], str] = {}
        for key in keys:
            pending[pool.submit(store.head, bucket, key)] = key
            if len(pending) >= 2 * concurrency:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        for future, key in list(pending.items()):
            yield key, future.result()
