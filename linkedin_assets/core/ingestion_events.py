"""What an ingestion consumer reads from the profile-text bucket's SQS queue (pure; see
docs/ingestion.md).

S3 sends one message per created object under the profile prefix whose key ends in ``.json``: the
document ``<prefix><id>.json`` and its upload record ``<prefix><id>.meta.json`` alike, because an
S3 filter is one prefix and one suffix and the record's key ends in the document's suffix. So the
consumer, not S3, tells them apart: ``is_profile_document``. S3 also sends one ``s3:TestEvent``
when the notification is configured; it names no object.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from linkedin_assets.core.storage_layout import META_SUFFIX

DOCUMENT_SUFFIX = ".json"


@dataclass(frozen=True)
class ObjectCreated:
    """One ``ObjectCreated`` record of an S3 event message."""

    bucket: str
    key: str
    size: int
    etag: str
    event_name: str
    event_time: str


def object_created_events(body: str) -> list[ObjectCreated]:
    """The ``ObjectCreated`` records of one SQS message body; ``[]`` for S3's test event.

    Raises ``ValueError`` for a body that is not an S3 event message, naming what is wrong.
    """
    try:
        message: Any = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError(f"message body is not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise ValueError("message body is not a JSON object")
    if message.get("Event") == "s3:TestEvent":
        return []
    records = message.get("Records")
    if not isinstance(records, list):
        raise ValueError("message body has no 'Records' list: not an S3 event message")
    found = []
    for record in records:
        name = str(record.get("eventName"))  # "None" when absent: not an ObjectCreated
        if record.get("eventSource") != "aws:s3" or not name.startswith("ObjectCreated:"):
            continue
        s3 = record.get("s3", {})
        obj = s3.get("object", {})
        found.append(
            ObjectCreated(
                bucket=str(s3.get("bucket", {}).get("name", "")),
                # Event keys are URL-encoded, spaces as '+'.
                key=urllib.parse.unquote_plus(str(obj.get("key", ""))),
                size=int(obj.get("size", 0)),
                etag=str(obj.get("eTag", "")),
                event_name=name,
                event_time=str(record.get("eventTime", "")),
            )
        )
    return found


def is_profile_document(key: str, profile_prefix: str) -> bool:
    """Whether ``key`` is a published profile document (``<prefix><id>.json``), not its upload
    record (``<prefix><id>.meta.json``) nor anything else under the prefix. A profile ID never
    contains ``/`` or ``.``, so the name between prefix and suffix has neither."""
    if not key.startswith(profile_prefix) or not key.endswith(DOCUMENT_SUFFIX):
        return False
    if key.endswith(META_SUFFIX):
        return False
    name = key[len(profile_prefix) : -len(DOCUMENT_SUFFIX)]
    return bool(name) and "/" not in name and "." not in name
