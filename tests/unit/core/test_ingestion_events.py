"""What an ingestion consumer makes of the queue's messages (core.ingestion_events)."""

from __future__ import annotations

import json

import pytest

from linkedin_assets.core.ingestion_events import (
    ObjectCreated,
    is_profile_document,
    object_created_events,
)


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
        ("archives/x.json", False),  # another folder, as long as the prefix
        ("profiles/jane.doe.json", False),  # a profile ID has no "."
    ],
)
def test_only_documents_are_documents(key: str, expected: bool) -> None:
    assert is_profile_document(key, "profiles/") is expected


def test_every_field_of_a_record_is_read() -> None:
    assert object_created_events(s3_message("profiles/jane-doe.json")) == [
        ObjectCreated(
            bucket="b",
            key="profiles/jane-doe.json",
            size=12,
            etag="abc",
            event_name="ObjectCreated:Put",
            event_time="2026-01-02T03:04:05.678Z",
        )
    ]


def test_other_records_are_skipped_not_the_end_of_the_message() -> None:
    body = json.loads(s3_message("profiles/a.json", "profiles/b.json"))
    body["Records"].insert(0, {**body["Records"][0], "eventName": "ObjectRemoved:Delete"})
    body["Records"].insert(1, {**body["Records"][0], "eventSource": "aws:sqs"})
    body["Records"].insert(2, {"eventSource": "aws:s3"})  # no event name at all
    events = object_created_events(json.dumps(body))
    assert [e.key for e in events] == ["profiles/a.json", "profiles/b.json"]


def test_a_record_without_its_object_details_reads_as_empty_fields_no_document_matches() -> None:
    bare = {"eventSource": "aws:s3", "eventName": "ObjectCreated:Put"}
    (event,) = object_created_events(json.dumps({"Records": [bare]}))
    assert event == ObjectCreated(
        bucket="", key="", size=0, etag="", event_name="ObjectCreated:Put", event_time=""
    )
    assert not is_profile_document(event.key, "profiles/")
    no_object = {**bare, "s3": {"bucket": {"name": "b"}}}
    (event,) = object_created_events(json.dumps({"Records": [no_object]}))
    assert (event.bucket, event.key, event.size, event.etag) == ("b", "", 0, "")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[1]", "message body is not a JSON object"),
        ("{}", "message body has no 'Records' list: not an S3 event message"),
        ('{"Records": {}}', "message body has no 'Records' list: not an S3 event message"),
    ],
)
def test_the_refusal_is_the_whole_sentence(body: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        object_created_events(body)
    assert str(refused.value) == message
