"""The DynamoDB profile index behind a small interface.

``IndexStore`` is everything the project does with the index (the pipeline, intake, the audit and
forget); ``DynamoDBIndexStore`` is the boto3 implementation.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import botocore.exceptions

from linkedin_assets.core.index_items import ItemUpdate, from_item
from linkedin_assets.errors import StorageError
from linkedin_assets.resources.aws import storage_error

BATCH_GET_LIMIT = 100
# BatchGetItem may return part of a batch as UnprocessedKeys (a partial success, not an error
# botocore retries); ask again for those a bounded number of times with a growing pause.
UNPROCESSED_ROUNDS = 8


class IndexStore(Protocol):
    def update(self, profile_id: str, update: ItemUpdate) -> None: ...

    def get(self, profile_id: str) -> dict[str, Any] | None: ...

    def get_many(self, profile_ids: Iterable[str]) -> dict[str, dict[str, Any]]: ...

    def scan(self, attributes: Iterable[str]) -> Iterator[dict[str, Any]]: ...

    def delete(self, profile_id: str) -> bool: ...


class DynamoDBIndexStore:
    """``IndexStore`` over one boto3 DynamoDB client."""

    def __init__(
        self, client: Any, table: str, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._client = client
        self.table = table
        # The pause between rounds of unprocessed keys; tests pass a recorder instead of waiting.
        self._sleep = sleep

    def update(self, profile_id: str, update: ItemUpdate) -> None:
        try:
            self._client.update_item(
                TableName=self.table, Key={"profile_id": {"S": profile_id}}, **update.expression()
            )
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise storage_error(
                f"index write for profile {profile_id!r} in table {self.table!r} failed", exc
            ) from exc

    def get_many(self, profile_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = list(dict.fromkeys(profile_ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), BATCH_GET_LIMIT):
            keys = [{"profile_id": {"S": pid}} for pid in ids[start : start + BATCH_GET_LIMIT]]
            found.update(self._batch_get(keys))
        return found

    def scan(self, attributes: Iterable[str]) -> Iterator[dict[str, Any]]:
        """Every item, with only ``attributes`` (and the key), page by page."""
        names = {f"#a{i}": name for i, name in enumerate(["profile_id", *attributes])}
        paginator = self._client.get_paginator("scan")
        try:
            for page in paginator.paginate(
                TableName=self.table,
                ProjectionExpression=", ".join(names),
                ExpressionAttributeNames=names,
            ):
                for item in page.get("Items", []):
                    yield from_item(item)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise storage_error(f"scanning the index table {self.table!r} failed", exc) from exc

    def get(self, profile_id: str) -> dict[str, Any] | None:
        return self.get_many([profile_id]).get(profile_id)

    def delete(self, profile_id: str) -> bool:
        """Delete the profile's item; whether there was one."""
        try:
            response = self._client.delete_item(
                TableName=self.table, Key={"profile_id": {"S": profile_id}}, ReturnValues="ALL_OLD"
            )
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise storage_error(
                f"deleting the index item of profile {profile_id!r} in table {self.table!r} failed",
                exc,
            ) from exc
        return bool(response.get("Attributes"))

    def _batch_get(self, keys: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        request: dict[str, Any] = {self.table: {"Keys": keys, "ConsistentRead": True}}
        for round_ in range(UNPROCESSED_ROUNDS):
            try:
                response = self._client.batch_get_item(RequestItems=request)
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
                raise storage_error(f"reading the index table {self.table!r} failed", exc) from exc
            for item in response.get("Responses", {}).get(self.table, []):
                plain = from_item(item)
                found[plain["profile_id"]] = plain
            request = response.get("UnprocessedKeys") or {}
            if not request:
                return found
            if round_ + 1 < UNPROCESSED_ROUNDS:  # no pause before giving up
                self._sleep(min(0.05 * 2**round_, 2.0))
        raise StorageError(
            f"reading the index table {self.table!r}: keys still unprocessed after "
            f"{UNPROCESSED_ROUNDS} rounds (table throttled)",
            transient=True,
        )
