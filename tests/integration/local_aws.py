"""The local stack as the integration tests run and inspect it: a running stack with its environment
set, and a plain boto3 client on its moto server."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import boto3

from linkedin_assets.local.local_stack import LocalStack, StackSettings


@contextmanager
def running_stack(environ: Mapping[str, str]) -> Iterator[None]:
    """The local stack of ``environ`` (buckets each in its own region), with ``environ`` set in the
    process for its duration and the process's own environment restored after."""
    saved = dict(os.environ)
    os.environ.update(environ)
    try:
        with LocalStack(StackSettings.from_environ(dict(environ)), persist=False):
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def local_client(service: str, environ: Mapping[str, str]) -> Any:
    # moto accepts any credentials; these are never the shell's own.
    return boto3.client(
        service,
        endpoint_url=environ["AWS_ENDPOINT_URL"],
        region_name="us-west-2",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
