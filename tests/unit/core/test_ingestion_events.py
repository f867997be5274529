"""What an ingestion consumer makes of the queue's messages (core.ingestion_events)."""

from __future__ import annotations

import json

import pytest

from linkedin_assets.core.ingestion_events import is_profile_document, object_created_events


def s3_message(*keys: str, event: str = "ObjectCreated:Put") -> str:
    # The shape S3 sends (docs: "Event message structure"); keys URL-encoded as S3 does.
    return json.dumps(
        {
            "Records": [
                {
                    "eventVersion": "2.1",
                    "eventSource": "aws:s3",
                    "eventName": event,
                    "eventTime": "2026-01-02T03:04:05.678Z",
                    "s3": {
                        "bucket": {"name": "b"},
                        "object": {"key": key, "size": 12, "eTag": "abc"},
                    },
                }
                for key in keys
            ]
        }
    )


def test_records_are_read_with_their_keys_decoded() -> None:
    events = object_created_events(s3_message("profiles/jane-doe.json", "profiles/a+b%C3%A9.json"))
    assert [(e.bucket, e.key, e.size, e.etag) for e in events] == [
        ("b", "profiles/jane-doe.json", 12, "abc"),
        ("b", "profiles/a bé.json", 12, "abc"),
    ]
    assert events[0].event_name == "ObjectCreated:Put"


def test_s3s_test_event_and_other_events_are_no_objects() -> None:
    test_event = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"})
    assert object_created_events(test_event) == []
    assert object_created_events(s3_message("profiles/x.json", event="ObjectRemoved:Delete")) == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [("not json", "not JSON"), ("[1]", "not a JSON object"), ("{}", "no 'Records' list")],
)
def test_a_body_that_is_not_an_s3_event_is_refused_naming_why(body: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        object_created_events(body)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("profiles/jane-doe.json", True),
        ("profiles/jane-doe.meta.json", False),  # its upload record: same prefix and suffix
        ("profiles/jane-doe-meta.json", True),  # the document of a profile "jane-doe-meta"
        ("profiles/sub/jane.json", False),
        ("profiles/.json", False),
        ("profiles/_linkedin-assets-access.0123.probe", False),
        ("extracted/jane-doe.json", False),
    ],
)
def test_only_documents_are_documents(key: str, expected: bool) -> None:
    assert is_profile_document(key, "profiles/") is expected
