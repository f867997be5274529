"""Reading a profile's DynamoDB index item as stored (typed values, ``{"S": ...}``), for tests that
check what the pipeline wrote rather than what the ``IndexStore`` makes of it."""

from __future__ import annotations

from typing import Any


def index_item(
    dynamodb: Any, table: str, profile_id: str, *, missing_ok: bool = False
) -> dict[str, Any] | None:
    """The item of ``profile_id`` in ``table`` (a consistent read). A missing item fails the test,
    naming the profile and the table, unless ``missing_ok``: then it is ``None``."""
    answer = dynamodb.get_item(
        TableName=table, Key={"profile_id": {"S": profile_id}}, ConsistentRead=True
    )
    item: dict[str, Any] | None = answer.get("Item")
    assert item is not None or missing_ok, f"no index item for {profile_id!r} in table {table!r}"
    return item
