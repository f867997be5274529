"""FaultProxy between the project's boto3 clients and a real moto server on 127.0.0.1: it passes
traffic through untouched, and the faults it injects are retried (or not) the way botocore's
standard mode says."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import io
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from linkedin_assets._compat import ExponentialBackoff
from linkedin_assets.resources.aws import ClientSettings, RequestStats, build_client
from linkedin_assets.testing import FaultProxy, FaultRule

REGION = "us-west-2"
READ_TIMEOUT_S = 2.0


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    # moto's own threaded server on a port the OS picks: it is listening once start() returns, and
    # no other process can take the port in between.
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        # moto loads a service's backend on its first request (seconds on a busy machine): load
        # both here, directly, so no test's first request through the proxy outlasts its read
        # timeout and is retried into "already exists".
        for service, call in (("s3", "list_buckets"), ("dynamodb", "list_tables")):
            direct = boto3.client(service, region_name=REGION, endpoint_url=url,
                                  aws_access_key_id="x", aws_secret_access_key="x")  # fmt: skip
            getattr(direct, call)()
        yield url
    finally:
        server.stop()


@pytest.fixture
def proxy(moto_url: str) -> Iterator[FaultProxy]:
    with FaultProxy(moto_url) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    # Which failures are retried and how often stays botocore's; only the waiting is skipped.
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)


def client(service: str, proxy: FaultProxy, log: RequestStats) -> Any:
    settings = ClientSettings(
        region_name=REGION, endpoint_url=proxy.url, aws_access_key_id="x",
        aws_secret_access_key="x", max_attempts=5, read_timeout=READ_TIMEOUT_S,
    )  # fmt: skip
    return build_client(service, settings, log)


def s3_with_bucket(proxy: FaultProxy, bucket: str, log: RequestStats) -> Any:
    s3 = client("s3", proxy, log)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return s3


def dynamodb_with_table(proxy: FaultProxy, table: str, log: RequestStats) -> Any:
    dynamodb = client("dynamodb", proxy, log)
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "profile_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "profile_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return dynamodb


def address(proxy: FaultProxy) -> tuple[str, int]:
    host, port = proxy.url.removeprefix("http://").split(":")
    return host, int(port)


def attempts(response: dict[str, Any]) -> int:
    return int(response["ResponseMetadata"]["RetryAttempts"]) + 1


def test_without_rules_s3_and_dynamodb_pass_through(proxy: FaultProxy) -> None:
    log = RequestStats()
    s3 = s3_with_bucket(proxy, "pass-through", log)
    body = b'{"name": "Ada"}'
    put = s3.put_object(
        Bucket="pass-through", Key="profiles/a.json", Body=body,
        ContentType="application/json", ChecksumAlgorithm="SHA256",
    )  # fmt: skip
    assert attempts(put) == 1
    assert put["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(body).digest()).decode()
    got = s3.get_object(Bucket="pass-through", Key="profiles/a.json", ChecksumMode="ENABLED")
    assert got["Body"].read() == body
    head = s3.head_object(Bucket="pass-through", Key="profiles/a.json")
    assert head["ContentLength"] == len(body) and head["ContentType"] == "application/json"
    # A file-like body makes botocore send "Expect: 100-continue" first.
    for number in range(4):
        s3.put_object(Bucket="pass-through", Key=f"profiles/{number}.json", Body=io.BytesIO(b"{}"))
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket="pass-through", Prefix="profiles/", PaginationConfig={"PageSize": 2}
    )
    keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
    assert len(keys) == 5

    dynamodb = dynamodb_with_table(proxy, "pass-through", log)
    dynamodb.update_item(
        TableName="pass-through", Key={"profile_id": {"S": "a"}},
        UpdateExpression="SET #n = :n", ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":n": {"S": "Ada"}},
    )  # fmt: skip
    item = dynamodb.get_item(TableName="pass-through", Key={"profile_id": {"S": "a"}})["Item"]
    assert item == {"profile_id": {"S": "a"}, "name": {"S": "Ada"}}

    stats = proxy.stats()
    assert stats["injected"] == {} and stats["requests"] == stats["forwarded"] >= 13
    assert log.failures == {} and log.attempts > 0


def test_a_chunked_body_is_read_completely_and_resent(proxy: FaultProxy) -> None:
    s3 = s3_with_bucket(proxy, "chunked", RequestStats())
    connection = http.client.HTTPConnection(*address(proxy), timeout=10)
    try:
        # Iterable bodies without a length go out as Transfer-Encoding: chunked. moto takes unsigned
        # PUTs; the second one checks that the keep-alive connection's framing survived the first.
        for key, parts in [("c.txt", [b"hello ", b"chunked ", b"world"]), ("d.txt", [b"again"])]:
            connection.request("PUT", f"/chunked/{key}", body=iter(parts))
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            assert response.getheader("ETag") == f'"{hashlib.md5(b"".join(parts)).hexdigest()}"'
    finally:
        connection.close()
    assert s3.get_object(Bucket="chunked", Key="c.txt")["Body"].read() == b"hello chunked world"
    assert s3.get_object(Bucket="chunked", Key="d.txt")["Body"].read() == b"again"


def test_slow_down_is_retried_and_each_failed_attempt_counted(proxy: FaultProxy) -> None:
    log = RequestStats()
    s3 = s3_with_bucket(proxy, "slow-down", log)
    proxy.set_rules([FaultRule("error", 1.0, status=503, code="SlowDown", limit=2)])
    put = s3.put_object(Bucket="slow-down", Key="profiles/a.json", Body=b"{}")
    assert put["ResponseMetadata"]["RetryAttempts"] == 2
    assert proxy.stats()["injected"] == {"error:503:SlowDown": 2}
    assert log.failures == {"SlowDown": 2}
    assert log.attempts == 1 + 3  # the bucket's creation, then the PUT's three attempts


def test_a_connection_reset_is_retried(proxy: FaultProxy) -> None:
    log = RequestStats()
    s3 = s3_with_bucket(proxy, "reset", log)
    proxy.set_rules([FaultRule("reset", 1.0, operation="PUT", limit=1)])
    put = s3.put_object(Bucket="reset", Key="a.json", Body=b"{}")
    assert attempts(put) == 2
    assert proxy.stats()["injected"] == {"reset": 1}
    assert log.failures == {"ConnectionClosedError": 1}


def test_a_reset_is_a_reset_not_a_close(proxy: FaultProxy) -> None:
    proxy.set_rules([FaultRule("reset", 1.0)])
    with socket.create_connection(address(proxy), timeout=5) as raw:
        raw.sendall(b"GET /anything HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(ConnectionResetError):
            raw.recv(1024)


def test_a_stall_past_the_read_timeout_is_retried_in_bounded_time(proxy: FaultProxy) -> None:
    log = RequestStats()
    s3 = s3_with_bucket(proxy, "stall", log)
    proxy.set_rules([FaultRule("stall", 1.0, operation="PUT", seconds=30, limit=1)])
    # The stall (30 s) ends only by the client's read timeout: one ReadTimeoutError, then a retry.
    put = s3.put_object(Bucket="stall", Key="a.json", Body=b"{}")
    assert attempts(put) == 2
    assert proxy.stats()["injected"] == {"stall": 1}
    assert log.failures == {"ReadTimeoutError": 1}


def test_stopping_the_proxy_ends_a_stall_at_once(moto_url: str) -> None:
    proxy = FaultProxy(moto_url).start()
    proxy.set_rules([FaultRule("stall", 1.0, seconds=30)])
    with socket.create_connection(address(proxy), timeout=5) as raw:
        raw.sendall(b"GET /anything HTTP/1.1\r\nHost: x\r\n\r\n")
        deadline = time.monotonic() + 5
        while proxy.stats()["requests"] == 0 and time.monotonic() < deadline:
            # Polls the proxy's own counter: the request must be inside the stall before the
            # stop under test, and the proxy offers no event for "a request arrived".
            time.sleep(0.01)
        proxy.stop()
        # Closed without an answer; a stall still running (30 s) would outlast the socket's 5 s
        # timeout and fail here with TimeoutError.
        assert raw.recv(1024) == b""


def test_access_denied_is_not_retried(proxy: FaultProxy) -> None:
    log = RequestStats()
    s3 = s3_with_bucket(proxy, "denied", log)
    proxy.set_rules([FaultRule("error", 1.0, path_prefix="/denied/profiles/", status=403, code="AccessDenied")])  # fmt: skip
    before = proxy.stats()["requests"]
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket="denied", Key="profiles/a.json", Body=b"{}")
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert proxy.stats()["requests"] - before == 1
    assert attempts(s3.put_object(Bucket="denied", Key="other/a.json", Body=b"{}")) == 1
    assert proxy.stats()["injected"] == {"error:403:AccessDenied": 1}
    assert log.failures == {} and log.attempts > 0


def test_dynamodb_throttling_is_retried(proxy: FaultProxy) -> None:
    log = RequestStats()
    dynamodb = dynamodb_with_table(proxy, "throttled", log)
    proxy.set_rules(
        [
            FaultRule(
                "error",
                1.0,
                service="dynamodb",
                operation="UpdateItem",
                status=400,
                code="ThrottlingException",
                limit=3,
            )
        ]  # fmt: skip
    )
    updated = dynamodb.update_item(
        TableName="throttled", Key={"profile_id": {"S": "a"}},
        UpdateExpression="SET #n = :n", ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":n": {"S": "Ada"}},
    )  # fmt: skip
    assert attempts(updated) == 4
    assert proxy.stats()["injected"] == {"error:400:ThrottlingException": 3}
    assert log.failures == {"ThrottlingException": 3}
    item = dynamodb.get_item(TableName="throttled", Key={"profile_id": {"S": "a"}})["Item"]
    assert item["name"] == {"S": "Ada"}


def test_latency_delays_a_request_and_adds_to_the_fault_that_follows(proxy: FaultProxy) -> None:
    s3 = s3_with_bucket(proxy, "latency", RequestStats())
    proxy.set_rules([FaultRule("latency", 1.0, seconds=0.5)])
    started = time.monotonic()
    s3.head_bucket(Bucket="latency")
    assert time.monotonic() - started >= 0.5

    proxy.set_rules(
        [
            FaultRule("latency", 1.0, seconds=0.3),
            FaultRule("error", 1.0, status=500, code="InternalError"),
        ]  # fmt: skip
    )
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(proxy.url + "/latency", timeout=5)
    assert raised.value.code == 500 and b"<Code>InternalError</Code>" in raised.value.read()
    assert time.monotonic() - started >= 0.3
    assert proxy.stats()["injected"] == {"latency": 2, "error:500:InternalError": 1}


def _faulted_request_numbers(moto_url: str, seed: int) -> list[int]:
    with FaultProxy(moto_url, seed=seed) as proxy:
        proxy.set_rules([FaultRule("error", 0.5, status=503, code="SlowDown")])
        connection = http.client.HTTPConnection(*address(proxy), timeout=10)
        faulted = []
        try:
            for number in range(30):
                connection.request("GET", "/moto-api/data.json")
                response = connection.getresponse()
                response.read()
                if response.status == 503:
                    faulted.append(number)
        finally:
            connection.close()
        return faulted


def test_the_seed_makes_faults_reproducible(moto_url: str) -> None:
    first = _faulted_request_numbers(moto_url, seed=42)
    assert 0 < len(first) < 30
    assert _faulted_request_numbers(moto_url, seed=42) == first
    assert _faulted_request_numbers(moto_url, seed=7) != first


def _faulted_keys(moto_url: str, keys: list[str], attempt: int = 1) -> set[str]:
    with FaultProxy(moto_url, seed=3) as proxy:
        proxy.set_rules([FaultRule("error", 0.5, status=503, code="SlowDown")])
        connection = http.client.HTTPConnection(*address(proxy), timeout=10)
        faulted = set()
        try:
            for key in keys:
                headers = {"amz-sdk-request": f"attempt={attempt}; max=10"}
                connection.request("GET", f"/bucket/{key}", headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 503:
                    faulted.add(key)
        finally:
            connection.close()
        return faulted


def test_which_request_fails_does_not_depend_on_the_order_requests_arrive(moto_url: str) -> None:
    keys = [f"profiles/p{n}.json" for n in range(40)]
    forward = _faulted_keys(moto_url, keys)
    assert 0 < len(forward) < len(keys)
    # Threads reorder requests; each request's fate is its own.
    assert _faulted_keys(moto_url, keys[::-1]) == forward
    # botocore's next attempt at the same request draws again.
    assert _faulted_keys(moto_url, keys, attempt=2) != forward


def test_a_rule_can_wait_for_a_number_of_requests_then_apply_for_a_while(moto_url: str) -> None:
    with FaultProxy(moto_url) as proxy:
        proxy.set_rules([FaultRule("error", 1.0, after_requests=3, for_s=0.5)])
        statuses = []
        for _ in range(5):
            try:
                with urllib.request.urlopen(proxy.url + "/moto-api/data.json", timeout=5):
                    statuses.append(200)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
        assert statuses == [200, 200, 503, 503, 503]  # the third request opens the window
        time.sleep(0.6)  # the window's length is the behaviour under test: let it close
        with urllib.request.urlopen(proxy.url + "/moto-api/data.json", timeout=5) as answer:
            assert answer.status == 200
        assert proxy.stats()["injected"] == {"error:503:SlowDown": 3}


@pytest.mark.parametrize(
    ("upstream", "host", "named"),
    [
        ("http://10.1.2.3:5000", "127.0.0.1", "10.1.2.3"),
        ("http://example.com:5000", "127.0.0.1", "example.com"),
        ("http://127.0.0.1:5000", "0.0.0.0", "0.0.0.0"),
        ("http://127.0.0.1:5000", "192.168.1.10", "192.168.1.10"),
        ("https://127.0.0.1:5000", "127.0.0.1", "https://127.0.0.1:5000"),
    ],
)
def test_anything_but_loopback_is_refused(upstream: str, host: str, named: str) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        FaultProxy(upstream, host=host)


@pytest.mark.parametrize(
    "rule",
    [
        {"fault": "explode"},
        {"fault": "error", "probability": 1.5},
        {"fault": "error", "service": "sqs"},
        {"fault": "stall", "seconds": -1},
    ],
)
def test_nonsense_rules_are_refused(rule: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        FaultRule(**rule)


def test_stats_are_counted_across_threads(proxy: FaultProxy) -> None:
    proxy.set_rules([FaultRule("error", 1.0, status=503, code="SlowDown", limit=10)])

    def hit() -> None:
        for _ in range(5):
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(proxy.url + "/moto-api/data.json", timeout=5).read()

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert proxy.stats() == {
        "requests": 20, "forwarded": 10, "injected": {"error:503:SlowDown": 10},
    }  # fmt: skip
