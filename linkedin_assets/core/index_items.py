"""The DynamoDB index item of a profile, and the update expressions that write it (pure).

Table key: partition key ``profile_id`` (string), no sort key. Item attributes:

    profile_id, url, status, registered_at, updated_at
    name, headline
    screenshot_profile_key, screenshot_activity_key
    text_s3_key, text_s3_url, text_uploaded_at, text_sha256
    text_upload_failed (bool), text_upload_error (present only while failed)
    unavailable, unavailable_reason, unavailable_seen_at (present only while the site says so)

``unavailable`` is a tombstone: the site's last answer about a profile it would not show
(``not_found``: 404 or "Profile Not Found"; ``auth_wall``: shown to signed-in members only),
with why and when it was seen. The refresh schedule leaves such a profile alone for a while
(``core/refresh.py``); a later capture that succeeds removes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

DEFAULT_STATUS = "unknown"
UNAVAILABLE_KINDS = ("not_found", "auth_wall")
TOMBSTONE = ("unavailable", "unavailable_reason", "unavailable_seen_at")
MAX_ERROR_LENGTH = 1000
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@dataclass(frozen=True)
class ItemUpdate:
    """SET these attributes (``if_absent`` ones only when missing) and REMOVE those."""

    set: Mapping[str, Any] = field(default_factory=dict)
    if_absent: Mapping[str, Any] = field(default_factory=dict)
    remove: tuple[str, ...] = ()

    def expression(self) -> dict[str, Any]:
        """``UpdateExpression`` with attribute names and typed values for ``update_item``."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        clauses: list[str] = []
        for i, (name, value) in enumerate([*self.set.items(), *self.if_absent.items()]):
            names[f"#a{i}"] = name
            values[f":v{i}"] = _serializer.serialize(to_dynamodb(value))
            # Every attribute is in `set` or `if_absent`: those not in `set` are if_absent's.
            if name not in self.set:
                clauses.append(f"#a{i} = if_not_exists(#a{i}, :v{i})")
            else:
                clauses.append(f"#a{i} = :v{i}")
        expression = f"SET {', '.join(clauses)}" if clauses else ""
        if self.remove:
            offset = len(names)
            for j, name in enumerate(self.remove):
                names[f"#a{offset + j}"] = name
            removed = ", ".join(f"#a{offset + j}" for j in range(len(self.remove)))
            expression = f"{expression} REMOVE {removed}".strip()
        result: dict[str, Any] = {"UpdateExpression": expression, "ExpressionAttributeNames": names}
        if values:
            result["ExpressionAttributeValues"] = values
        return result


def to_dynamodb(value: Any) -> Any:
    """DynamoDB has no floats; numbers travel as Decimal."""
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A low-level DynamoDB item as plain Python (Decimals that are whole become ints)."""
    plain = {name: _deserializer.deserialize(value) for name, value in item.items()}
    return {
        name: int(value) if isinstance(value, Decimal) and value == value.to_integral() else value
        for name, value in plain.items()
    }


def registration(url: str, status: str | None, now: str) -> ItemUpdate:
    """Intake: the profile exists; a given status replaces the old one, none keeps it."""
    fields = {"url": url, "updated_at": now}
    if status:
        fields["status"] = status
    return ItemUpdate(
        set=fields,
        if_absent={"registered_at": now, **({} if status else {"status": DEFAULT_STATUS})},
    )


def upload_success(
    *,
    url: str,
    name: str | None,
    headline: str | None,
    screenshot_keys: Mapping[str, str],
    text_s3_key: str,
    text_s3_url: str,
    text_sha256: str,
    text_uploaded_at: str,
    now: str,
) -> ItemUpdate:
    """The profile's JSON is in S3: point at it and clear any earlier failure."""
    return ItemUpdate(
        set={
            "url": url,
            "name": name,
            "headline": headline,
            **{f"screenshot_{page}_key": key for page, key in screenshot_keys.items()},
            "text_s3_key": text_s3_key,
            "text_s3_url": text_s3_url,
            "text_sha256": text_sha256,
            "text_uploaded_at": text_uploaded_at,
            "text_upload_failed": False,
            "updated_at": now,
        },
        if_absent={"registered_at": now, "status": DEFAULT_STATUS},
        remove=("text_upload_error", *TOMBSTONE),
    )


def upload_failure(
    *, url: str, screenshot_keys: Mapping[str, str], error: str, now: str
) -> ItemUpdate:
    """The JSON upload failed for good: the screenshots stay, the item says why."""
    return ItemUpdate(
        set={
            "url": url,
            **{f"screenshot_{page}_key": key for page, key in screenshot_keys.items()},
            "text_upload_failed": True,
            "text_upload_error": error[:MAX_ERROR_LENGTH],
            "updated_at": now,
        },
        if_absent={"registered_at": now, "status": DEFAULT_STATUS},
    )


def unavailable(*, url: str, kind: str, reason: str, now: str) -> ItemUpdate:
    """The site would not show the profile (``kind`` of ``UNAVAILABLE_KINDS``): a tombstone with
    why and when. What an earlier capture stored stays, and the item's pointers with it."""
    if kind not in UNAVAILABLE_KINDS:
        raise ValueError(f"unavailable kind {kind!r} is not one of {', '.join(UNAVAILABLE_KINDS)}")
    return ItemUpdate(
        set={
            "url": url,
            "unavailable": kind,
            "unavailable_reason": reason[:MAX_ERROR_LENGTH],
            "unavailable_seen_at": now,
            "updated_at": now,
        },
        if_absent={"registered_at": now, "status": DEFAULT_STATUS},
    )
