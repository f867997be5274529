"""A fault-injecting HTTP proxy in front of moto's server, to test retries over real HTTP.

``FaultProxy(upstream)`` listens on loopback and forwards every request (method, path and query,
headers, body; a chunked body is read completely and re-sent with a Content-Length) to
``upstream``, then relays status, headers and body back, unless one of its rules fires::

    with FaultProxy("http://127.0.0.1:5000", seed=1) as proxy:
        proxy.set_rules([FaultRule("error", 0.3, status=503, code="SlowDown")])
        s3 = build_client("s3", ClientSettings(endpoint_url=proxy.url, ...))

Rules are checked in order for every request. A rule matches on ``service`` (DynamoDB requests
are ``POST /`` with ``X-Amz-Target: DynamoDB_20120810.<Operation>``; everything else is S3),
``operation`` (the DynamoDB operation, or the S3 request's HTTP method) and ``path_prefix``
(S3 path-style ``/bucket/key``); ``None`` matches anything. A matching rule whose ``limit`` is
not used up fires with ``probability``.

Whether it fires is decided per request, not drawn from a shared random stream: a hash of the
seed, the rule, the request (service, operation, S3 path and query or DynamoDB key), botocore's
attempt number (its ``amz-sdk-request: attempt=N`` header) and how many times that same attempt
was seen before. Threads may interleave requests in any order; each request still meets the same
fate on every run with the same seed. (``limit`` counts firings in arrival order, so a rule with a
limit is exact in count, not in which requests it hits.)

A rule with ``after_requests`` waits until the proxy has seen that many requests since
``set_rules``; with ``for_s`` it then applies for that many seconds only: an outage in the middle
of a run is ``FaultRule("error", 1.0, after_requests=2000, for_s=10)``.

The first rule that fires decides the request's fate, except that latency rules add their delay
and let the next rules decide:

- ``error``: answer ``status`` with an S3 XML or DynamoDB JSON error body carrying ``code``;
- ``reset``: close the client's socket with SO_LINGER 0, so that it sees a connection reset;
- ``stall``: hold the connection ``seconds`` without answering, then close it;
- ``latency``: wait ``seconds``, then go on.

``stats()`` counts requests, forwarded requests and injected faults (``"error:503:SlowDown"``,
``"reset"``, ``"stall"``, ``"latency"``). Both ends must be loopback: the proxy never binds to or
forwards to another address, and raises ``ValueError`` naming it.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import struct
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Literal, TypedDict, cast
from xml.sax.saxutils import escape

from linkedin_assets.testing._http import LoopbackServer, LoopbackService

Fault = Literal["error", "reset", "stall", "latency"]
Service = Literal["s3", "dynamodb"]

DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810."
UPSTREAM_TIMEOUT_S = 60.0
MAX_LINE = 65536
# Per-connection headers belong to each hop, and the proxy recomputes the body's framing.
HOP_BY_HOP = frozenset(
    {
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "expect",
        "content-length",
    }
)  # fmt: skip


class ProxyStats(TypedDict):
    requests: int
    forwarded: int
    injected: dict[str, int]


@dataclass(frozen=True)
class FaultRule:
    """One fault, where it applies and how often; see the module docstring."""

    fault: Fault
    probability: float = 1.0
    service: Service | None = None
    operation: str | None = None
    path_prefix: str | None = None
    status: int = 503
    code: str = "SlowDown"
    seconds: float = 0.0
    limit: int | None = None
    after_requests: int = 0
    for_s: float | None = None

    def __post_init__(self) -> None:
        if self.fault not in ("error", "reset", "stall", "latency"):
            raise ValueError(f"unknown fault {self.fault!r}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability {self.probability} is not within 0..1")
        if self.service not in (None, "s3", "dynamodb"):
            raise ValueError(f"unknown service {self.service!r}")
        if self.seconds < 0 or (self.limit is not None and self.limit < 0):
            raise ValueError("seconds and limit cannot be negative")
        if self.after_requests < 0 or (self.for_s is not None and self.for_s <= 0):
            raise ValueError("after_requests cannot be negative, and for_s must be positive")

    def matches(self, service: Service, operation: str, path: str) -> bool:
        if self.service is not None and self.service != service:
            return False
        if self.operation is not None and self.operation.upper() != operation.upper():
            return False
        return self.path_prefix is None or path.startswith(self.path_prefix)

    @property
    def stats_key(self) -> str:
        return f"error:{self.status}:{self.code}" if self.fault == "error" else self.fault


def chance(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``: the same parts give the same number on every run."""
    digest = hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def attempt_number(header: str) -> int:
    """botocore's attempt number from its ``amz-sdk-request: attempt=2; max=10`` header."""
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == "attempt" and value.isdigit():
            return int(value)
    return 1


def request_identity(service: Service, query: str, body: bytes | None) -> str:
    """What tells one request from another beside its path: S3's query string, or the item key
    (or batch of keys) of a DynamoDB request; never a timestamp, so a retry has the same one."""
    if service == "s3":
        return query
    try:
        document = json.loads(body or b"{}")
    except ValueError:
        return ""
    if not isinstance(document, dict):
        return ""
    key = document.get("Key", document.get("RequestItems", ""))
    return json.dumps(key, sort_keys=True)


def classify(method: str, target: str) -> tuple[Service, str]:
    """``(service, operation)`` of a request from its method and ``X-Amz-Target`` header."""
    if method == "POST" and target.startswith(DYNAMODB_TARGET_PREFIX):
        return "dynamodb", target.removeprefix(DYNAMODB_TARGET_PREFIX)
    return "s3", method


def error_body(rule: FaultRule, service: Service) -> tuple[str, bytes]:
    """Content type and body of an injected error, in the service's own error format."""
    message = f"Injected by FaultProxy: {rule.status} {rule.code}"
    if service == "dynamodb":
        document = {"__type": f"com.amazonaws.dynamodb.v20120810#{rule.code}", "message": message}
        return "application/x-amz-json-1.0", json.dumps(document).encode()
    xml = (
        f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{escape(rule.code)}</Code>"
        f"<Message>{escape(message)}</Message><RequestId>fault</RequestId></Error>"
    )
    return "application/xml", xml.encode()


class FaultProxy(LoopbackService):
    """A loopback HTTP proxy to ``upstream`` that injects the faults its rules ask for."""

    def __init__(self, upstream: str, host: str = "127.0.0.1", port: int = 0, seed: int = 0):
        super().__init__(upstream, host, port)
        self._seed = seed
        self._rules: list[FaultRule] = []
        self._fired: list[int] = []
        self._active_since: list[float | None] = []
        self._rule_requests = 0
        self._seen: Counter[tuple[str, ...]] = Counter()
        self._requests = 0
        self._forwarded = 0
        self._injected: Counter[str] = Counter()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FaultProxy is not started")
        host, port = self._server.server_address[:2]
        return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"

    def set_rules(self, rules: Iterable[FaultRule]) -> None:
        """Replace the rules (and their limits' counts); takes effect on the next request."""
        with self._lock:
            self._rules = list(rules)
            self._fired = [0] * len(self._rules)
            self._active_since = [None] * len(self._rules)
            self._rule_requests = 0

    def clear(self) -> None:
        self.set_rules([])

    def stats(self) -> ProxyStats:
        with self._lock:
            return {
                "requests": self._requests,
                "forwarded": self._forwarded,
                "injected": dict(self._injected),
            }

    def _make_server(self) -> LoopbackServer:
        return _Server(self._address, self)

    def _decide(
        self,
        service: Service,
        operation: str,
        path: str,
        identity: str = "",
        attempt: int = 1,
    ) -> tuple[float, FaultRule | None]:
        """Delay to add and the fault to inject (``None``: forward) for one request."""
        delay = 0.0
        with self._lock:
            self._requests += 1
            self._rule_requests += 1
            request = (service, operation, path, identity, str(attempt))
            seen = self._seen[request]
            self._seen[request] += 1
            now = time.monotonic()
            for index, rule in enumerate(self._rules):
                if not rule.matches(service, operation, path) or not self._active(index, now):
                    continue
                if rule.limit is not None and self._fired[index] >= rule.limit:
                    continue
                if chance(self._seed, index, *request, seen) >= rule.probability:
                    continue
                self._fired[index] += 1
                self._injected[rule.stats_key] += 1
                if rule.fault != "latency":
                    return delay, rule
                delay += rule.seconds
        return delay, None

    def _active(self, index: int, now: float) -> bool:
        """Whether rule ``index``'s window is open (caller holds the lock)."""
        rule = self._rules[index]
        if self._rule_requests < rule.after_requests:
            return False
        since = self._active_since[index]
        if since is None:
            self._active_since[index] = since = now
        return rule.for_s is None or now - since < rule.for_s

    def _count_forwarded(self) -> None:
        with self._lock:
            self._forwarded += 1


class _Server(LoopbackServer):
    def __init__(self, address: tuple[str, int], proxy: FaultProxy) -> None:
        self.proxy = proxy
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's connection pool expects
    # Headers and body are written separately; Nagle plus delayed ACKs would add 40 ms to each.
    disable_nagle_algorithm = True

    @property
    def proxy(self) -> FaultProxy:
        return cast(_Server, self.server).proxy

    def setup(self) -> None:
        super().setup()
        self.proxy._track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.proxy._track(self.connection, open_=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests read the proxy's stats(), not its log

    def _proxy_request(self) -> None:
        body = self._read_body()
        service, operation = classify(self.command, self.headers.get("X-Amz-Target", ""))
        path, _, query = self.path.partition("?")
        delay, rule = self.proxy._decide(
            service,
            operation,
            path,
            request_identity(service, query, body),
            attempt_number(self.headers.get("amz-sdk-request", "")),
        )
        if delay and self.proxy._stopping.wait(delay):
            self.close_connection = True
        elif rule is None:
            self._forward(body)
        elif rule.fault == "error":
            content_type, payload = error_body(rule, service)
            headers = [("Content-Type", content_type), ("x-amz-request-id", "fault")]
            self._respond(rule.status, None, headers, payload, send_length=True)
        elif rule.fault == "reset":
            # Linger 0: close() sends RST instead of FIN, which the client reads as a reset.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.connection.close()
            self.close_connection = True
        else:
            self.proxy._stopping.wait(rule.seconds)
            self.close_connection = True

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _proxy_request

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        return None if length is None else self._read_exactly(int(length))

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while size := int(self._read_line().split(b";", 1)[0].strip() or b"0", 16):
            chunks.append(self._read_exactly(size))
            self._read_line()  # the CRLF after each chunk's data
        # Trailer fields, if any, up to the blank line that ends the message.
        while self._read_line().strip():
            pass
        return b"".join(chunks)

    def _read_line(self) -> bytes:
        line = self.rfile.readline(MAX_LINE)
        if not line.endswith(b"\n"):
            raise ConnectionError("client closed the connection inside a chunked body")
        return line

    def _read_exactly(self, size: int) -> bytes:
        data = self.rfile.read(size)
        if len(data) != size:
            raise ConnectionError("client closed the connection inside the body")
        return data

    def _forward(self, body: bytes | None) -> None:
        host, port = self.proxy.upstream
        upstream = http.client.HTTPConnection(host, port, timeout=UPSTREAM_TIMEOUT_S)
        try:
            # The client's own Host header is kept: SigV4 signed it.
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    upstream.putheader(name, value)
            if body is not None:
                upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body)
            response = upstream.getresponse()
            payload = response.read()
        except OSError as exc:
            message = f"FaultProxy could not reach {host}:{port}: {type(exc).__name__}".encode()
            self._respond(502, None, [("Content-Type", "text/plain")], message, send_length=True)
            return
        finally:
            upstream.close()
        self.proxy._count_forwarded()
        # A HEAD's (or 204's) Content-Length describes a body that is not sent: relay it as is.
        bodiless = self.command == "HEAD" or response.status in (204, 304)
        headers = [
            (name, value)
            for name, value in response.getheaders()
            if name.lower() not in HOP_BY_HOP or (bodiless and name.lower() == "content-length")
        ]
        self._respond(response.status, response.reason, headers, payload, send_length=not bodiless)

    def _respond(
        self,
        status: int,
        reason: str | None,
        headers: list[tuple[str, str]],
        payload: bytes,
        send_length: bool,
    ) -> None:
        self.send_response_only(status, reason)
        for name, value in headers:
            self.send_header(name, value)
        if send_length:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD" and send_length:
            self.wfile.write(payload)
