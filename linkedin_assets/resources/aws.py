"""boto3 clients built once per run, with botocore's standard retry mode and request counting.

``AwsSettings`` is the one place the project's AWS configuration lives (region, endpoint,
credentials, attempts, timeouts); every resource that talks to AWS holds the same object, and every
boto3 client is built from it by ``build_client``, with the connection pool sized per use. Clients
are built once per run and shared across threads (boto3 clients are thread-safe): dagster-aws's
``S3Resource.get_client()`` would build a new session on every call (~170 ms) and takes no timeouts
or pool size.

Retries happen at two levels. Each request is retried by botocore (standard mode: exponential
backoff with jitter on 5xx, throttling and connection errors, none on 4xx client errors), within
botocore's own retry quota: the per-client circuit breaker that stops retrying when too many
attempts fail, which is S3 asking us to slow down. What still fails for a transient reason
(``is_transient``) is retried a level up, per profile, by the pipeline (``retrying``). Attempts are
counted, never logged one by one (``RequestStats``): at 30 % faults that would be thousands of
event-log writes that drown the real problems.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import dagster as dg
from pydantic import Field

from linkedin_assets.errors import StorageError
from linkedin_assets.settings import DEFAULT_REGION

# Error codes of throttling: S3 or DynamoDB asking us to slow down (botocore's list, and ours).
THROTTLING_CODES = frozenset(
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "SlowDown",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
        "RequestThrottled", "EC2ThrottledException", "PriorRequestNotComplete",
    }
)  # fmt: skip
# Error codes worth another try later: throttling, and S3's or DynamoDB's passing failures.
TRANSIENT_CODES = THROTTLING_CODES | frozenset(
    {
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
        "ServiceUnavailable", "TransactionInProgressException",
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
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_pool_connections: int = 16


class AwsSettings(dg.Config):
    """How every boto3 client of the project reaches AWS; unset values are left to boto3's own
    chain (``AWS_PROFILE``, the credential variables, the instance role), the region aside."""

    region_name: str | None = Field(
        default=None, description=f"AWS_REGION or AWS_DEFAULT_REGION; unset: {DEFAULT_REGION}."
    )
    endpoint_url: str | None = Field(
        default=None, description="Local only: moto's server (AWS_ENDPOINT_URL)."
    )
    profile_name: str | None = None
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None
    aws_session_token: str | None = None
    max_attempts: int = Field(
        default=10,
        description="Attempts per request, the first one included (AWS_MAX_ATTEMPTS), for every "
        "client: S3, DynamoDB, the inbox and CloudWatch.",
    )
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0

    def region(self) -> str:
        return self.region_name or DEFAULT_REGION

    def client_settings(
        self, region: str | None = None, pool_size: int = ClientSettings.max_pool_connections
    ) -> ClientSettings:
        """These settings for one client: in ``region`` (default: ``region()``), with a pool of
        ``pool_size`` connections (one per thread that will use it at once)."""
        return ClientSettings(
            region_name=region or self.region(),
            endpoint_url=self.endpoint_url,
            profile_name=self.profile_name,
            aws_access_key_id=self.aws_access_key_id,
            aws_secret_access_key=self.aws_secret_access_key,
            aws_session_token=self.aws_session_token,
            max_attempts=self.max_attempts,
            connect_timeout=self.connect_timeout_s,
            read_timeout=self.read_timeout_s,
            max_pool_connections=pool_size,
        )

    def client(
        self,
        service: str,
        *,
        region: str | None = None,
        pool_size: int = ClientSettings.max_pool_connections,
        stats: RequestStats | None = None,
    ) -> Any:
        """One boto3 client for ``service`` (``build_client``); ``stats`` counts its requests."""
        return build_client(service, self.client_settings(region, pool_size), stats)


@dataclass(frozen=True)
class StorageRetry:
    """How a profile whose S3 or DynamoDB work failed for a transient reason is tried again: at
    most ``rounds`` storage rounds in all, each after a growing, jittered pause from
    ``first_pause_s``, within ``max_s`` of its first failure; then it is deferred."""

    rounds: int = 6
    first_pause_s: float = 2.0
    max_pause_s: float = 60.0
    max_s: float = 300.0


@dataclass
class ProfileRequests:
    """One profile's AWS requests in this run: every attempt, and those that failed transiently."""

    attempts: int = 0
    transient_failures: int = 0


class RequestStats:
    """Counts the AWS requests of a run, in total and per profile; tells ``on_throttle`` of each
    throttling answer (``SlowDown``, ``ThrottlingException``), so the run can slow down.

    One object serves every client of a run, on every worker thread. The profile a request counts
    for is the one its thread is working on (``for_profile``).
    """

    def __init__(self, on_throttle: Callable[[], None] = lambda: None) -> None:
        self._on_throttle = on_throttle
        self._lock = threading.Lock()
        self._current = threading.local()
        self.attempts = 0
        self.failures: Counter[str] = Counter()  # transient failures by code

    @contextmanager
    def for_profile(self, counts: ProfileRequests) -> Iterator[ProfileRequests]:
        """Count this thread's requests towards ``counts`` until the block ends."""
        previous = getattr(self._current, "counts", None)
        self._current.counts = counts
        try:
            yield counts
        finally:
            self._current.counts = previous

    def record(self, failure: tuple[str, bool] | None) -> None:
        """One attempt: ``None`` for an answer that is not a failure, else ``(code, transient)``."""
        code, transient = failure if failure is not None else ("", False)
        counts: ProfileRequests | None = getattr(self._current, "counts", None)
        with self._lock:
            self.attempts += 1
            if transient:
                self.failures[code] += 1
            if counts is not None:
                counts.attempts += 1
                counts.transient_failures += transient
        # A HEAD's answer has no body, so S3's SlowDown reaches us as a bare 503.
        if transient and (code in THROTTLING_CODES or code in ("HTTP 503", "HTTP 429")):
            self._on_throttle()

    @property
    def transient_failures(self) -> int:
        with self._lock:
            return sum(self.failures.values())


def build_client(service: str, settings: ClientSettings, stats: RequestStats | None = None) -> Any:
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
    # Which attempt this thread's call is on, for errors that carry no response (below).
    client.meta.events.register(f"before-parameter-build.{service}", _call_starts)
    client.meta.events.register(f"response-received.{service}", _attempt_made)
    if stats is not None:

        def count_attempt(exception: Exception | None, parsed_response: Any, **_: Any) -> None:
            stats.record(_failure(exception, parsed_response))

        # A public event, emitted after every attempt (retried or not, answered or not).
        client.meta.events.register(f"response-received.{service}", count_attempt)
    return client


# A connection reset or a timeout that botocore gave up on reaches us without a response, so
# without its RetryAttempts; botocore retries each call on its caller's thread, so the attempt
# number its last try was given on this thread says what the call cost.
_attempts = threading.local()


def _call_starts(**_: Any) -> None:
    _attempts.number = 0  # no attempt yet: a call refused before sending cost none


def _attempt_made(context: Mapping[str, Any] | None = None, **_: Any) -> None:
    _attempts.number = int(((context or {}).get("retries") or {}).get("attempt", 1))


def _failure(exception: Exception | None, parsed_response: Any) -> tuple[str, bool] | None:
    """``(what failed, transient?)`` for a failed attempt; ``None`` for a success."""
    if exception is not None:
        return type(exception).__name__, _transient_exception(exception)
    if not isinstance(parsed_response, dict):
        return None
    status = parsed_response.get("ResponseMetadata", {}).get("HTTPStatusCode", 200)
    if status < 400:
        return None
    code = str(parsed_response.get("Error", {}).get("Code") or "")
    if not code or code == str(status):
        code = f"HTTP {status}"
    return code, _transient_answer(status, code)


def _transient_answer(status: int, code: str) -> bool:
    return status >= 500 or status == 429 or code in TRANSIENT_CODES


def _transient_exception(exc: BaseException) -> bool:
    # Connection resets, refused connections and read or connect timeouts.
    return isinstance(
        exc,
        (
            botocore.exceptions.HTTPClientError,
            botocore.exceptions.ConnectionError,
            ConnectionError,
            TimeoutError,
        ),
    )


def is_transient(exc: BaseException) -> bool:
    """Whether a request that botocore gave up on may well succeed later: 5xx, throttling,
    ``SlowDown``, a reset or a timeout, or botocore's retry quota spent on such errors (it then
    raises the last of them). 4xx client errors and bad parameters are permanent."""
    if isinstance(exc, botocore.exceptions.ClientError):
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        return _transient_answer(status, str(exc.response.get("Error", {}).get("Code") or ""))
    return _transient_exception(exc)


def storage_error(
    message: str, exc: BaseException, cls: type[StorageError] = StorageError, started: float = 0.0
) -> StorageError:
    """``cls`` for a request botocore gave up on: ``message`` and the error's code, whether it is
    transient, how many attempts it took and (from ``started``, a ``time.monotonic()``) how long."""
    return cls(
        f"{message}: {error_code(exc)}",
        transient=is_transient(exc),
        attempts=retry_attempts(exc),
        duration_s=time.monotonic() - started if started else 0.0,
    )


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
    """How many attempts a call took, from its response or its ClientError; for an error that
    carries no response (a reset, a timeout), the attempts botocore made on this thread's call."""
    response = getattr(response_or_exc, "response", response_or_exc)
    if not isinstance(response, dict):
        return int(getattr(_attempts, "number", 1))
    return int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0)) + 1
