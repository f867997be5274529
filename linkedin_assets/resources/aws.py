"""boto3 clients built once per run, with botocore's standard retry mode and attempt logging.

dagster-aws's ``S3Resource.get_client()`` builds a new session on every call (~170 ms) and takes no
timeouts or pool size, so the resources keep its configuration fields but build their clients here
once, and share them across threads (boto3 clients are thread-safe).

Retries are botocore's alone (standard mode: exponential backoff with jitter on 5xx, throttling and
connection errors; none on 4xx client errors); nothing in this project retries on top of it. Each
failed attempt is logged through ``attempt_log`` with the operation and target, never a credential.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
from botocore.retries.quota import RetryQuota
from botocore.retries.standard import RetryQuotaChecker

AttemptLog = Callable[[str], None]

# Error codes that botocore's standard mode retries (throttling and transient), for the log line.
TRANSIENT_CODES = frozenset(
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "SlowDown",
        "RequestLimitExceeded", "RequestTimeout", "RequestTimeoutException", "InternalError",
        "ServiceUnavailable", "TransactionInProgressException", "BandwidthLimitExceeded",
        "PriorRequestNotComplete", "EC2ThrottledException", "LimitExceededException",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ClientSettings:
    """What a boto3 client is built from; ``None`` leaves the value to boto3's own chain."""

    region_name: str | None = None
    endpoint_url: str | None = None
    profile_name: str | None = None
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None
    aws_session_token: str | None = None
    max_attempts: int = 10
    # botocore's standard mode stops retrying once a per-client token bucket (500 tokens; a retry
    # costs 5 for throttling, 14 otherwise; a success gives some back) is empty. Measured: at 30 %
    # 503s + 5 % resets it is empty after ~5 profiles and uploads then fail after 2 attempts. One
    # client serves a whole batched run, so it gets a bucket sized for one.
    retry_quota: int = 100_000
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_pool_connections: int = 16


def build_client(service: str, settings: ClientSettings, attempt_log: AttemptLog | None) -> Any:
    """One boto3 client for ``service`` with standard retries, timeouts and a sized pool."""
    session = boto3.session.Session(
        profile_name=settings.profile_name,
        aws_access_key_id=settings.aws_access_key_id,
        aws_secret_access_key=settings.aws_secret_access_key,
        aws_session_token=settings.aws_session_token,
    )
    config = botocore.config.Config(
        # total_max_attempts counts the first try; botocore's max_attempts would count retries only.
        retries={"mode": "standard", "total_max_attempts": settings.max_attempts},
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        max_pool_connections=settings.max_pool_connections,
    )
    client = session.client(
        service,
        region_name=settings.region_name,
        endpoint_url=settings.endpoint_url,
        config=config,
    )
    if attempt_log is not None:
        _install_attempt_logging(client, service, settings.max_attempts, attempt_log)
    widen_retry_quota(client, service, settings.retry_quota)
    return client


def widen_retry_quota(client: Any, service: str, capacity: int) -> bool:
    """Give the client's standard-mode retry quota ``capacity`` tokens; ``True`` if it did.

    botocore has no setting for it, so this finds the quota checker it hooked on ``after-call``
    (tests/unit/test_retry_quota.py fails if a botocore upgrade moves it).
    """
    emitter = getattr(client.meta.events, "_emitter", client.meta.events)
    handlers = getattr(emitter, "_handlers", None)
    if handlers is None:
        return False
    for handler in handlers.prefix_search(f"after-call.{service}.PutObject"):
        checker = getattr(handler, "__self__", None)
        if isinstance(checker, RetryQuotaChecker):
            checker._quota = RetryQuota(initial_capacity=capacity)
            return True
    return False


def _install_attempt_logging(
    client: Any, service: str, max_attempts: int, attempt_log: AttemptLog
) -> None:
    events = client.meta.events

    def remember_target(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if "Bucket" in params:
            context["la_target"] = f"s3://{params['Bucket']}/{params.get('Key', '')}"
        elif "TableName" in params:
            context["la_target"] = f"dynamodb table {params['TableName']}"

    def log_failed_attempt(
        context: dict[str, Any], exception: Exception | None, parsed_response: Any, **kw: Any
    ) -> None:
        failure = _failure(exception, parsed_response)
        # Only transient failures are retried; a client error (a HEAD's 404, a 403) surfaces as an
        # exception that the caller translates and reports once.
        if failure is None or not failure[1]:
            return
        attempt = context.get("retries", {}).get("attempt", 1)
        then = "botocore retries it" if attempt < max_attempts else "giving up"
        attempt_log(
            f"{service} attempt {attempt}/{max_attempts} on {context.get('la_target', '?')} "
            f"failed: {failure[0]}; {then}"
        )

    events.register(f"before-parameter-build.{service}", remember_target)
    events.register(f"response-received.{service}", log_failed_attempt)


def _failure(exception: Exception | None, parsed_response: Any) -> tuple[str, bool] | None:
    """``(what failed, transient?)`` for a failed attempt; ``None`` for a success."""
    if exception is not None:
        return type(exception).__name__, True  # connection errors and timeouts
    if not isinstance(parsed_response, dict):
        return None
    status = parsed_response.get("ResponseMetadata", {}).get("HTTPStatusCode", 200)
    if status < 400:
        return None
    code = str(parsed_response.get("Error", {}).get("Code") or "")
    if not code or code == str(status):
        code = f"HTTP {status}"
    return code, status >= 500 or status == 429 or code in TRANSIENT_CODES


def error_code(exc: BaseException) -> str:
    """A short, credential-free description of a botocore error."""
    if isinstance(exc, botocore.exceptions.ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return f"{error.get('Code', 'Unknown')} (HTTP {status})"
    if isinstance(exc, botocore.exceptions.EndpointConnectionError):
        # Its message names the endpoint URL (never a credential): say where we could not reach.
        return f"{type(exc).__name__}: {exc}"
    return type(exc).__name__


def retry_attempts(response_or_exc: Any) -> int:
    """How many attempts a call took, from its response or its ClientError."""
    response = getattr(response_or_exc, "response", response_or_exc)
    if not isinstance(response, dict):
        return 1
    return int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0)) + 1
