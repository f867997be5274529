"""The profile-text bucket's queue read as a consumer reads it, on botocore's Stubber: the exact
requests, batches of ten, every message deleted, a bound on how many are taken."""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.stub import Stubber

from linkedin_assets.core.ingestion_events import ObjectCreated
from linkedin_assets.resources.ingestion_queue import create_queue, drain, queue_url

ARN = "arn:aws:sqs:us-west-2:123456789012:profile-events"
URL = "https://sqs.us-west-2.amazonaws.com/123456789012/profile-events"


def sqs() -> Any:
    return boto3.client("sqs", region_name="us-west-2")


def message(n: int) -> dict[str, str]:
    record = {
        "eventSource": "aws:s3",
        "eventName": "ObjectCreated:Put",
        "eventTime": "2026-01-01T00:00:00.000Z",
        "s3": {"bucket": {"name": "b"}, "object": {"key": f"profiles/p{n}.json", "size": n,
                                                    "eTag": f"e{n}"}},
    }  # fmt: skip
    return {
        "MessageId": f"m{n}",
        "ReceiptHandle": f"r{n}",
        "Body": json.dumps({"Records": [record]}),
    }


def created(n: int) -> ObjectCreated:
    return ObjectCreated("b", f"profiles/p{n}.json", n, f"e{n}", "ObjectCreated:Put",
                         "2026-01-01T00:00:00.000Z")  # fmt: skip


RECEIVE = {"QueueUrl": URL, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 0}


def deleted(numbers: range) -> dict[str, Any]:
    entries = [{"Id": str(i), "ReceiptHandle": f"r{n}"} for i, n in enumerate(numbers)]
    return {"QueueUrl": URL, "Entries": entries}


def test_the_queue_is_found_and_created_by_the_name_and_account_of_its_arn() -> None:
    client = sqs()
    with Stubber(client) as stub:
        stub.add_response("get_queue_url", {"QueueUrl": URL},
                          {"QueueName": "profile-events", "QueueOwnerAWSAccountId": "123456789012"})  # fmt: skip
        stub.add_response("create_queue", {"QueueUrl": URL}, {"QueueName": "profile-events"})
        assert queue_url(client, ARN) == URL
        assert create_queue(client, ARN) == URL
        stub.assert_no_pending_responses()


def test_drain_receives_until_empty_deleting_each_batch() -> None:
    client = sqs()
    with Stubber(client) as stub:
        stub.add_response("receive_message", {"Messages": [message(n) for n in range(10)]}, RECEIVE)
        stub.add_response(
            "delete_message_batch", {"Successful": [], "Failed": []}, deleted(range(10))
        )
        stub.add_response("receive_message", {"Messages": [message(10)]}, RECEIVE)
        stub.add_response(
            "delete_message_batch", {"Successful": [], "Failed": []}, deleted(range(10, 11))
        )
        stub.add_response("receive_message", {}, RECEIVE)  # no Messages: the queue is empty
        assert drain(client, URL) == [created(n) for n in range(11)]
        stub.assert_no_pending_responses()


def test_drain_stops_once_it_has_taken_at_most_max_messages() -> None:
    client = sqs()
    with Stubber(client) as stub:
        stub.add_response("receive_message", {"Messages": [message(n) for n in range(10)]}, RECEIVE)
        stub.add_response(
            "delete_message_batch", {"Successful": [], "Failed": []}, deleted(range(10))
        )
        # Ten taken, ten allowed: no further receive (the Stubber fails an unexpected call).
        assert len(drain(client, URL, max_messages=10)) == 10
        stub.add_response("receive_message", {"Messages": [message(0)]}, RECEIVE)
        stub.add_response(
            "delete_message_batch", {"Successful": [], "Failed": []}, deleted(range(1))
        )
        stub.add_response("receive_message", {"Messages": [message(1)]}, RECEIVE)
        stub.add_response(
            "delete_message_batch", {"Successful": [], "Failed": []}, deleted(range(1, 2))
        )
        assert len(drain(client, URL, max_messages=2)) == 2
        stub.assert_no_pending_responses()
    assert drain(sqs(), URL, max_messages=0) == []
