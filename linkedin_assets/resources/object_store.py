"""S3 behind a small interface: encrypted, checksummed puts that skip unchanged content.

``ObjectStore`` is everything the project does with S3 (the pipeline, the audit, forget and the
benchmarks); ``S3ObjectStore`` is the boto3 implementation (production, and the local default
against moto's server over HTTP). Every put carries server-side encryption, a SHA-256 checksum
that S3 verifies on receipt, and a ``content-sha256`` fingerprint in its metadata: a later put with
the same fingerprint is skipped and reported ``unchanged``. Listing is paginated (it never stops at
1,000 keys), deletes go in batches, and HEADs of many keys run with bounded concurrency.
"""

from __future__ import annotations

import base64
import hashlib
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

import botocore.exceptions

from linkedin_assets.errors import ObjectNotFound, StorageError, UploadFailed
from linkedin_assets.resources.aws import retry_attempts, storage_error

PutOutcome = Literal["uploaded", "unchanged", "stale"]
CONDITIONAL_ROUNDS = 3
# 412 for a failed If-Match / If-None-Match; 409 when S3 saw two conditional writes at once.
CONFLICT_CODES = frozenset({"PreconditionFailed", "412", "ConditionalRequestConflict", "409"})
FINGERPRINT_KEY = "content-sha256"
SHA256_KEY = "sha256"
# S3 refuses a PUT whose user metadata (the UTF-8 bytes of every name and value, as sent) is over
# 2 KB. moto does not enforce it, so it is checked here, before anything is sent.
MAX_METADATA_BYTES = 2048
DELETE_BATCH = 1000  # DeleteObjects takes at most 1,000 keys
HEAD_CONCURRENCY = 16


@dataclass(frozen=True)
class PutResult:
    bucket: str
    key: str
    size: int
    sha256: str
    etag: str
    outcome: PutOutcome
    attempts: int
    duration_s: float
    version_id: str | None = None

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class ObjectInfo:
    bucket: str
    key: str
    size: int
    etag: str
    content_type: str | None
    metadata: Mapping[str, str]
    server_side_encryption: str | None
    checksum_sha256: str | None


@dataclass(frozen=True)
class Listed:
    """One object as a listing shows it."""

    key: str
    size: int
    etag: str
    last_modified: datetime


class ObjectStore(Protocol):
    def put(
        self,
        bucket: str,
        key: str,
        body: bytes,
        *,
        content_type: str,
        metadata: Mapping[str, str],
        fingerprint: str | None = None,
        conditional: bool = False,
        is_stale: Callable[[ObjectInfo], bool] | None = None,
    ) -> PutResult: ...

    def get(self, bucket: str, key: str, byte_range: str | None = None) -> bytes: ...

    def head(self, bucket: str, key: str) -> ObjectInfo | None: ...

    def head_many(
        self, bucket: str, keys: Iterable[str], concurrency: int = HEAD_CONCURRENCY
    ) -> Iterator[tuple[str, ObjectInfo | None]]: ...

    def list_objects(self, bucket: str, prefix: str) -> Iterator[Listed]: ...

    def delete_many(self, bucket: str, keys: Iterable[str]) -> int: ...


def encode_metadata_value(value: str) -> str:
    """S3 user metadata travels in HTTP headers: keep it ASCII by percent-encoding the rest."""
    return urllib.parse.quote(value, safe=" !#$&'()*+,-./:;=?@[]^_`{|}~")


def decode_metadata_value(value: str) -> str:
    return urllib.parse.unquote(value)


def sent_metadata(metadata: Mapping[str, str], sha256: str, fingerprint: str) -> dict[str, str]:
    """The user metadata a put sends: the caller's values encoded, plus the two checksums."""
    return {
        **{name: encode_metadata_value(value) for name, value in metadata.items()},
        SHA256_KEY: sha256,
        FINGERPRINT_KEY: fingerprint,
    }


def metadata_size(metadata: Mapping[str, str]) -> int:
    """What S3 counts against ``MAX_METADATA_BYTES``: names and values as sent, in UTF-8."""
    return sum(len(name.encode()) + len(value.encode()) for name, value in metadata.items())


class S3ObjectStore:
    """``ObjectStore`` over one boto3 S3 client per bucket region."""

    def __init__(
        self,
        client: Any,
        *,
        sse_algorithm: str = "AES256",
        kms_key_id: str | None = None,
        clients_by_bucket: Mapping[str, Any] | None = None,
    ) -> None:
        self._client = client
        self._clients_by_bucket = dict(clients_by_bucket or {})
        self._sse = {"ServerSideEncryption": sse_algorithm}
        if sse_algorithm == "aws:kms" and kms_key_id:
            self._sse["SSEKMSKeyId"] = kms_key_id

    def client_for(self, bucket: str) -> Any:
        return self._clients_by_bucket.get(bucket, self._client)

    def put(
        self,
        bucket: str,
        key: str,
        body: bytes,
        *,
        content_type: str,
        metadata: Mapping[str, str],
        fingerprint: str | None = None,
        conditional: bool = False,
        is_stale: Callable[[ObjectInfo], bool] | None = None,
    ) -> PutResult:
        """Upload unless the same fingerprint is already there (``unchanged``).

        ``conditional`` makes the write a compare-and-swap on what the HEAD saw (``If-Match`` its
        ETag, or ``If-None-Match: *`` when there was nothing), so a writer that lost a race gets
        412 instead of silently overwriting; it then looks again, and ``is_stale`` may decide the
        object now there is newer (``stale``: nothing written). Bounded, never a blind retry.
        """
        started = time.monotonic()
        digest = hashlib.sha256(body)
        sha256 = digest.hexdigest()
        fingerprint = fingerprint or sha256
        all_metadata = sent_metadata(metadata, sha256, fingerprint)
        if metadata_size(all_metadata) > MAX_METADATA_BYTES:
            largest = max(metadata, key=lambda name: len(all_metadata[name]), default=None)
            raise UploadFailed(
                f"upload of s3://{bucket}/{key} refused: its user metadata is "
                f"{metadata_size(all_metadata)} bytes encoded, over S3's limit of "
                f"{MAX_METADATA_BYTES} (largest value: {largest})"
            )
        for _ in range(CONDITIONAL_ROUNDS):
            try:
                existing = self.head(bucket, key)
            except StorageError as exc:
                # The upload's own time until its HEAD failed, for the upload metrics.
                exc.duration_s = time.monotonic() - started
                raise
            if existing is not None and existing.metadata.get(FINGERPRINT_KEY) == fingerprint:
                return self._kept(existing, "unchanged", started)
            if existing is not None and is_stale is not None and is_stale(existing):
                return self._kept(existing, "stale", started)
            condition = {}
            if conditional:
                condition = {"IfMatch": existing.etag} if existing else {"IfNoneMatch": "*"}
            try:
                response = self.client_for(bucket).put_object(
                    Bucket=bucket,
                    Key=key,
                    Body=body,
                    ContentType=content_type,
                    Metadata=all_metadata,
                    ChecksumAlgorithm="SHA256",
                    ChecksumSHA256=base64.b64encode(digest.digest()).decode(),
                    **condition,
                    **self._sse,
                )
            except botocore.exceptions.ClientError as exc:
                if conditional and exc.response.get("Error", {}).get("Code") in CONFLICT_CODES:
                    continue  # someone wrote in between: look again and decide again
                raise self._upload_failed(bucket, key, exc, started) from exc
            except botocore.exceptions.BotoCoreError as exc:
                raise self._upload_failed(bucket, key, exc, started) from exc
            return PutResult(
                bucket=bucket,
                key=key,
                size=len(body),
                sha256=sha256,
                etag=response.get("ETag", "").strip('"'),
                outcome="uploaded",
                attempts=retry_attempts(response),
                duration_s=time.monotonic() - started,
                version_id=response.get("VersionId"),
            )
        raise UploadFailed(
            f"upload of s3://{bucket}/{key}: other writers changed it {CONDITIONAL_ROUNDS} times "
            "while this one tried; giving up rather than overwriting"
        )

    @staticmethod
    def _upload_failed(bucket: str, key: str, exc: Exception, started: float) -> StorageError:
        what = f"upload of s3://{bucket}/{key} failed after {retry_attempts(exc)} attempt(s)"
        return storage_error(what, exc, UploadFailed, started)

    @staticmethod
    def _kept(existing: ObjectInfo, outcome: PutOutcome, started: float) -> PutResult:
        return PutResult(
            existing.bucket, existing.key, existing.size, existing.metadata.get(SHA256_KEY, ""),
            existing.etag, outcome, 1, time.monotonic() - started,
        )  # fmt: skip

    def get(self, bucket: str, key: str, byte_range: str | None = None) -> bytes:
        """The object's body, or only ``byte_range`` of it (``"bytes=0-7"``)."""
        try:
            extra = {"Range": byte_range} if byte_range else {}
            response = self.client_for(bucket).get_object(Bucket=bucket, Key=key, **extra)
            body: bytes = response["Body"].read()
            return body
        except botocore.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise ObjectNotFound(f"s3://{bucket}/{key} does not exist") from exc
            raise storage_error(f"reading s3://{bucket}/{key} failed", exc) from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise storage_error(f"reading s3://{bucket}/{key} failed", exc) from exc

    def head(self, bucket: str, key: str) -> ObjectInfo | None:
        try:
            response = self.client_for(bucket).head_object(
                Bucket=bucket, Key=key, ChecksumMode="ENABLED"
            )
        except botocore.exceptions.ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404 or exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                return None
            raise storage_error(f"HEAD s3://{bucket}/{key} failed", exc) from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise storage_error(f"HEAD s3://{bucket}/{key} failed", exc) from exc
        return ObjectInfo(
            bucket=bucket,
            key=key,
            size=int(response.get("ContentLength", 0)),
            etag=response.get("ETag", "").strip('"'),
            content_type=response.get("ContentType"),
            metadata={k: decode_metadata_value(v) for k, v in response.get("Metadata", {}).items()},
            server_side_encryption=response.get("ServerSideEncryption"),
            checksum_sha256=response.get("ChecksumSHA256"),
        )

    def head_many(
        self, bucket: str, keys: Iterable[str], concurrency: int = HEAD_CONCURRENCY
    ) -> Iterator[tuple[str, ObjectInfo | None]]:
        """HEAD every key, at most ``concurrency`` at a time, yielding results as they come.

        At most ``2 * concurrency`` requests are in flight or waiting, so memory stays bounded
        however many keys there are.
        """
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency}")
        with ThreadPoolExecutor(concurrency) as pool:
            pending: dict[Future[ObjectInfo | None], str] = {}
            for key in keys:
                pending[pool.submit(self.head, bucket, key)] = key
                if len(pending) >= 2 * concurrency:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        yield pending.pop(future), future.result()
            for future, key in list(pending.items()):
                yield key, future.result()

    def list_objects(self, bucket: str, prefix: str) -> Iterator[Listed]:
        """Every object under ``prefix``, page after page (boto3's paginator)."""
        paginator = self.client_for(bucket).get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
                for obj in page.get("Contents", []):
                    yield Listed(
                        obj["Key"], int(obj["Size"]), obj["ETag"].strip('"'), obj["LastModified"]
                    )
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise storage_error(f"listing s3://{bucket}/{prefix} failed", exc) from exc

    def delete_many(self, bucket: str, keys: Iterable[str]) -> int:
        """Delete ``keys`` in batches; returns how many were deleted. Missing keys are not errors;
        a key S3 refuses fails the call, naming the first such key and how many of its batch."""
        client = self.client_for(bucket)
        batch: list[str] = []
        deleted = 0

        def flush() -> int:
            if not batch:
                return 0
            try:
                response = client.delete_objects(
                    Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True}
                )
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
                raise storage_error(f"deleting from s3://{bucket} failed", exc) from exc
            # DeleteObjects answers 200 and lists the keys it refused, one error each.
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
