"""A plain boto3 client on the local stack's moto server, as the integration tests inspect it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import boto3


def local_client(service: str, environ: Mapping[str, str]) -> Any:
    # moto accepts any credentials; these are never the shell's own.
    return boto3.client(
        service,
        endpoint_url=environ["AWS_ENDPOINT_URL"],
        region_name="us-west-2",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
