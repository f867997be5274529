"""The profile-text bucket's SQS queue, read as an ingestion consumer reads it (the demo and the
tests; a real consumer is the search system's, docs/ingestion.md)."""

from __future__ import annotations

from typing import Any

from linkedin_assets.core.ingestion_events import ObjectCreated, object_created_events
from linkedin_assets.core.setting_rules import queue_arn_parts

RECEIVE_BATCH = 10  # SQS's most per ReceiveMessage


def queue_url(client: Any, queue_arn: str) -> str:
    _, account, name = queue_arn_parts(queue_arn)
    url: str = client.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
    return url


def create_queue(client: Any, queue_arn: str) -> str:
    """The queue named by ``queue_arn`` (in ``client``'s region), created if missing; its URL."""
    _, _, name = queue_arn_parts(queue_arn)
    url: str = client.create_queue(QueueName=name)["QueueUrl"]
    return url


def drain(client: Any, url: str, max_messages: int = 100_000) -> list[ObjectCreated]:
    """Receive every message now in the queue, delete each, and return their object-created
    records in the order received.

    Short polling: on moto's server a message is in the queue once the PUT that caused it has
    answered, so an empty answer means an empty queue. On SQS itself short polling samples some
    servers only; a consumer there long-polls in a loop instead (docs/ingestion.md).
    """
    events: list[ObjectCreated] = []
    received = 0
    while received < max_messages:
        answer = client.receive_message(
            QueueUrl=url, MaxNumberOfMessages=RECEIVE_BATCH, WaitTimeSeconds=0
        )
        messages = answer.get("Messages", [])
        if not messages:
            break
        received += len(messages)
        for message in messages:
            events += object_created_events(message["Body"])
        client.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
            ],
        )
    return events
