"""botocore's standard retries and our request counts, over real HTTP on 127.0.0.1: transient
errors are retried and counted, client errors are not retried, and the error that surfaces says
whether it is transient and what it cost, with no credential in it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from linkedin_assets._compat import ExponentialBackoff
from linkedin_assets.errors import UploadFailed
from linkedin_assets.resources.aws import ClientSettings, RequestStats, build_client
from linkedin_assets.resources.object_store import S3ObjectStore

SLOW_DOWN = (
    b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
)
DENIED = b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
SECRET = "wJalrXUtnFEMI-do-not-print-me"


class FaultyS3(BaseHTTPRequestHandler):
    """HEAD: 404. PUT: the scripted answers in order (status -1: no answer, the connection
    dropped), then 200."""

    script: list[tuple[int, bytes]] = []
    puts = 0

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).puts += 1
        status, body = self.script.pop(0) if self.script else (200, b"")
        if status < 0:  # drop the connection without an answer
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(status)
        if status == 200:
            self.send_header("ETag", '"abc"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FaultyS3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FaultyS3.puts = 0
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def store(endpoint: str, log: RequestStats) -> S3ObjectStore:
    settings = ClientSettings(
        region_name="us-west-2", endpoint_url=endpoint, aws_access_key_id="AKIATESTKEY",
        aws_secret_access_key=SECRET, max_attempts=5,
    )  # fmt: skip
    return S3ObjectStore(build_client("s3", settings, log))


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    # Which errors are retried and how often stays botocore's; only the waiting is skipped.
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)


def test_transient_errors_are_retried_and_each_attempt_is_counted(endpoint: str) -> None:
    FaultyS3.script = [(503, SLOW_DOWN), (500, b"")]
    throttles: list[None] = []
    log = RequestStats(on_throttle=lambda: throttles.append(None))
    result = store(endpoint, log).put(
        "b", "profiles/a.json", b"{}", content_type="application/json", metadata={}
    )
    assert result.outcome == "uploaded" and result.attempts == 3
    assert FaultyS3.puts == 3
    assert log.failures == {"SlowDown": 1, "HTTP 500": 1}
    assert log.attempts == 1 + 3  # the HEAD (404: not a failure), then three PUTs
    assert len(throttles) == 1  # SlowDown asks us to slow down; a 500 does not


def test_client_errors_are_not_retried(endpoint: str) -> None:
    FaultyS3.script = [(403, DENIED)]
    log = RequestStats()
    with pytest.raises(
        UploadFailed, match=r"after 1 attempt\(s\): AccessDenied \(HTTP 403\)"
    ) as raised:
        store(endpoint, log).put(
            "b", "profiles/a.json", b"{}", content_type="application/json", metadata={}
        )
    assert FaultyS3.puts == 1
    assert log.failures == {}
    assert not raised.value.transient and raised.value.attempts == 1
    assert SECRET not in str(raised.value) and "AKIATESTKEY" not in str(raised.value)


def test_giving_up_after_max_attempts_says_so(endpoint: str) -> None:
    FaultyS3.script = [(503, SLOW_DOWN)] * 5
    log = RequestStats()
    with pytest.raises(
        UploadFailed, match=r"after 5 attempt\(s\): SlowDown \(HTTP 503\)"
    ) as raised:
        store(endpoint, log).put("b", "k", b"x", content_type="text/plain", metadata={})
    assert FaultyS3.puts == 5
    assert log.failures == {"SlowDown": 5}
    # Worth another try later: the pipeline retries the profile, then defers it.
    assert raised.value.transient and raised.value.attempts == 5 and raised.value.duration_s > 0


def test_a_reset_on_every_attempt_counts_every_attempt(endpoint: str) -> None:
    """A connection error carries no response, so no RetryAttempts: the attempts are still the
    ones botocore made, not 1."""
    FaultyS3.script = [(-1, b"")] * 5
    log = RequestStats()
    with pytest.raises(UploadFailed) as raised:
        store(endpoint, log).put("b", "k", b"x", content_type="text/plain", metadata={})
    assert FaultyS3.puts == 5
    assert raised.value.transient and raised.value.attempts == 5
    assert "after 5 attempt(s)" in str(raised.value)
    # The next call on the same thread starts its count again.
    FaultyS3.script = [(403, DENIED)]
    with pytest.raises(UploadFailed) as again:
        store(endpoint, log).put("b", "k", b"x", content_type="text/plain", metadata={})
    assert again.value.attempts == 1
