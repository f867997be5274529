"""Create the bucket and the table when missing (idempotent), with encryption on by default."""

from __future__ import annotations

from typing import Any

import botocore.exceptions


def ensure_bucket(client: Any, bucket: str, region: str) -> bool:
    """Create ``bucket`` with default SSE and public access blocked; ``True`` if it was created."""
    try:
        client.head_bucket(Bucket=bucket)
        created = False
    except botocore.exceptions.ClientError:
        kwargs: dict[str, Any] = {"Bucket": bucket}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(**kwargs)
        created = True
    client.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    client.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    return created


def ensure_table(client: Any, table: str) -> bool:
    """Create the index table (key ``profile_id``, on-demand) when missing; ``True`` if created."""
    try:
        client.describe_table(TableName=table)
        return False
    except client.exceptions.ResourceNotFoundException:
        pass
    client.create_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "profile_id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "profile_id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=table, WaiterConfig={"Delay": 1})
    return True
