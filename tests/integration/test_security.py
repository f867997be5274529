"""No secret is ever printed or stored, and everything stored is encrypted.

The local stack runs with recognisable fake AWS credentials in the environment and a fake
signed-in Playwright session (``LINKEDIN_STORAGE_STATE``: an ``li_at`` cookie). ``linkedin-assets
demo`` captures every sample profile (the ok ones and the failing ones) in a subprocess, then an
inbox tick (with rejected lines) and the two reports run in-process on the same instance. Each
secret, and its URL-encoded and base64 forms, is then looked for in the command's output, every
Dagster run record and event log entry, every file under the data dir (the instance's databases
and compute logs, the inbox and its ``_rejects/``), every S3 object and its metadata, and every
index item. A relay in front of the sample site records the ``Cookie`` header of every request, so
the session is shown to have reached the site: a leak, if there were one, would have been there
to find. See docs/security.md.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import boto3
import dagster as dg
import pytest

from linkedin_assets.assets.reports.profile_store_audit import profile_store_audit
from linkedin_assets.assets.reports.upload_metrics_report import upload_metrics
from linkedin_assets.definitions import build_definitions
from linkedin_assets.local.local_stack import RECORDING_FILE, LocalStack, StackSettings
from linkedin_assets.local.sample_site import SampleSite, load_sample_profiles
from linkedin_assets.resources.environments import build_resources
from linkedin_assets.settings import LOCAL_DEFAULTS
from tests.integration.conftest import stack_environ

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent
SAMPLES = load_sample_profiles()
MARKER = "LEAKCHECK"  # in every secret: catches a cut or wrapped one too
ACCESS_KEY_ID = "AKIAFAKELEAKCHECK0001"
SECRET_ACCESS_KEY = "fake/secret+LEAKCHECK/Zx9Qw"
SESSION_TOKEN = "FwoFakeSessionToken/LEAKCHECK+9b2e4a=="
COOKIE_VALUE = "COOKIE-LEAKCHECK-7f3e9a"
SECRETS = {
    "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
    "AWS_SESSION_TOKEN": SESSION_TOKEN,
    "li_at cookie": COOKIE_VALUE,
}
STORAGE_STATE = {
    "cookies": [
        {"name": "li_at", "value": COOKIE_VALUE, "domain": "127.0.0.1", "path": "/",
         "expires": -1, "httpOnly": True, "secure": False, "sameSite": "Lax"}
    ],
    "origins": [],
}  # fmt: skip
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


def encoded_forms(secret: str) -> dict[str, bytes]:
    """The secret as it could appear in stored bytes: raw, URL-encoded, JSON-escaped, and base64
    (the part that is the same whatever bytes precede it, at each of the three alignments)."""
    raw = secret.encode()
    forms = {
        "raw": raw,
        "url-encoded": quote(secret, safe="").encode(),
        "url-encoded (path)": quote(secret).encode(),
        "form-encoded": quote_plus(secret).encode(),
        "json": json.dumps(secret)[1:-1].encode(),
    }
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw)
        start, end = -(-8 * offset // 6), 8 * (offset + len(raw)) // 6
        core = encoded[start:end]
        forms[f"base64@{offset}"] = core
        forms[f"base64url@{offset}"] = core.replace(b"+", b"-").replace(b"/", b"_")
    return forms


FORMS = {name: encoded_forms(value) for name, value in SECRETS.items()}


def leaks(data: bytes | str, secrets: Iterable[str] | None = None) -> list[str]:
    """Which secrets (and in which form) ``data`` holds. Looking for all of them (``None``), the
    marker counts as part of one: a cut or wrapped secret."""
    blob = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    folded = blob.lower()
    found = []
    for name in SECRETS if secrets is None else secrets:
        for form, needle in FORMS[name].items():
            text_form = not form.startswith("base64")
            if (needle.lower() in folded) if text_form else (needle in blob):
                found.append(f"{name} ({form})")
    if secrets is None and not found and MARKER.lower().encode() in folded:
        found.append(f"part of a secret ({MARKER!r})")
    return found


def test_encoded_forms_find_what_they_should() -> None:
    """The grep itself: every form is found where it was planted, nothing where it was not."""
    for name, value in SECRETS.items():
        for prefix in (b"", b"x", b"xy"):
            planted = base64.b64encode(prefix + b"header " + value.encode() + b" tail")
            assert leaks(planted, [name]), (name, prefix)
        assert leaks(f"Cookie: li_at={quote(value, safe='')}; x", [name])
        cut = value[: value.index(MARKER) + len(MARKER)] + "…"
        assert leaks(cut) == ["part of a secret ('LEAKCHECK')"]
    assert leaks(b"nothing to see here " * 100) == []


class CookieFront:
    """A loopback relay in front of the sample site that records each request's Cookie header."""

    def __init__(self, upstream_port: int) -> None:
        self.seen: list[tuple[str, str | None]] = []
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:
                front.seen.append((self.path, self.headers.get("Cookie")))
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                    upstream.request("GET", self.path, headers=headers)
                    response = upstream.getresponse()
                    body = response.read()
                finally:
                    upstream.close()
                self.send_response(response.status, response.reason)
                for name, value in response.getheaders():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> CookieFront:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="module")
def site_front() -> Iterator[CookieFront]:
    with SampleSite() as site, CookieFront(int(site.base_url.rsplit(":", 1)[1])) as front:
        yield front


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, site_front: CookieFront
) -> Iterator[dict[str, str]]:
    """The local stack as `make demo` runs it (moto recording on), with the secrets set and the
    sample site behind the cookie-recording front; overrides the integration tier's `stack`."""
    root = tmp_path_factory.mktemp("security")
    state = root / "secrets" / "storage-state.json"
    state.parent.mkdir(mode=0o700)
    state.write_text(json.dumps(STORAGE_STATE))
    state.chmod(0o600)
    environ = {
        **stack_environ(root / "data"),
        "LINKEDIN_BASE_URL": site_front.url,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "AWS_SESSION_TOKEN": SESSION_TOKEN,
        "LINKEDIN_STORAGE_STATE": str(state),
    }
    environ.pop("S3_PROFILE_TEXT_BUCKET_NAME")
    saved = dict(os.environ)
    os.environ.update(environ)
    try:
        with LocalStack(StackSettings.from_environ(environ), persist=True):
            yield environ
    finally:
        os.environ.clear()
        os.environ.update(saved)


@dataclass
class LeakRun:
    environ: dict[str, str]
    demo: subprocess.CompletedProcess[str]
    cookies: list[tuple[str, str | None]]
    rejects: list[Path] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return Path(self.environ["LINKEDIN_ASSETS_DATA_DIR"])

    def clients(self) -> dict[str, Any]:
        # The inspection clients use the local stack's own values, so that they add nothing to
        # the recording that the test then reads.
        kwargs = {
            "endpoint_url": self.environ["AWS_ENDPOINT_URL"],
            "region_name": "us-west-2",
            "aws_access_key_id": LOCAL_DEFAULTS["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": LOCAL_DEFAULTS["AWS_SECRET_ACCESS_KEY"],
        }
        return {"s3": boto3.client("s3", **kwargs), "dynamodb": boto3.client("dynamodb", **kwargs)}


@pytest.fixture(scope="module")
def leak_run(stack: dict[str, str], site_front: CookieFront) -> LeakRun:
    """The demo in a subprocess; then an inbox tick and the reports in-process, same instance."""
    demo = subprocess.run(
        [str(BIN / "linkedin-assets"), "demo"],
        env={**os.environ, **stack}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    inbox = Path(stack["LINKEDIN_ASSETS_DATA_DIR"]) / "inbox"
    inbox.mkdir(exist_ok=True)
    ok = next(p for p in SAMPLES if p.outcome == "ok")
    (inbox / "leads.csv").write_text(
        f"url,status\nhttps://www.linkedin.com/in/{ok.profile_id}/,contacted\n"
        'not-a-profile-url,\n=HYPERLINK("https://example.com"),\n'
    )
    defs = build_definitions("local")
    with dg.DagsterInstance.get() as instance:
        sensor = defs.resolve_sensor_def("new_profile_urls_sensor")
        with dg.build_sensor_context(instance=instance, resources=build_resources("local")) as ctx:
            assert isinstance(sensor(ctx), dg.SensorResult)
        reports = dg.materialize(
            [profile_store_audit, upload_metrics],
            instance=instance,
            resources=build_resources("local"),
        )
        assert reports.success
    return LeakRun(stack, demo, list(site_front.seen), sorted((inbox / "_rejects").glob("*")))


def test_the_demo_ran_with_the_session_and_the_cookie_reached_the_site(leak_run: LeakRun) -> None:
    demo = leak_run.demo
    # Signed in, the sample site's auth wall says the session expired (docs/intake.md): the run
    # fails once, naming what to renew, and stops visiting; the secret must not leak from there
    # either. Playwright took the storage state (open_browser fails the run otherwise) ...
    assert demo.returncode == 1, demo.stdout[-3000:] + demo.stderr[-3000:]
    assert "The signed-in session in LINKEDIN_STORAGE_STATE has expired" in demo.stderr
    walled = next(p.profile_id for p in SAMPLES if p.outcome == "blocked")
    # ... and sent its cookie with every profile request, the walled one's included.
    profile_requests = [(p, c) for p, c in leak_run.cookies if p.startswith("/in/")]
    assert walled in {p.split("/")[2] for p, _ in profile_requests}
    assert all(c and f"li_at={COOKIE_VALUE}" in c for _, c in profile_requests)


def test_no_secret_in_the_command_output(leak_run: LeakRun) -> None:
    assert "profile_pipeline" in leak_run.demo.stderr  # Dagster's console log is in there
    assert leaks(leak_run.demo.stdout) == []
    assert leaks(leak_run.demo.stderr) == []


def test_no_secret_in_dagster_runs_or_event_logs(leak_run: LeakRun) -> None:
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        assert len(runs) == 3  # the demo's two (profiles, reports), then this fixture's reports
        found, entries = {}, 0
        for run in runs:
            found[f"run {run.run_id}"] = leaks(dg.serialize_value(run))
            snapshot = instance.get_job_snapshot(run.job_snapshot_id)
            found[f"job snapshot of {run.run_id}"] = leaks(dg.serialize_value(snapshot))
            for record in instance.all_logs(run.run_id):
                entries += 1
                found[f"event {entries} of {run.run_id}"] = leaks(
                    dg.serialize_value(record) + str(record)
                )
    assert entries > 100
    assert {where: what for where, what in found.items() if what} == {}


def test_no_secret_in_any_file_under_the_data_dir(leak_run: LeakRun) -> None:
    """The instance's SQLite databases and compute logs, moto's log, the inbox and its rejects.

    moto's request recording is left to the two tests below."""
    files = [p for p in leak_run.data_dir.rglob("*") if p.is_file() and p.name != RECORDING_FILE]
    names = {p.name for p in files}
    assert any(p.parent.name == "compute_logs" for p in files), sorted(names)
    assert {"runs.db", "index.db", "leads.csv.rejects.csv"} <= names
    assert "not-a-profile-url" in leak_run.rejects[0].read_text()
    found = {str(p.relative_to(leak_run.data_dir)): leaks(p.read_bytes()) for p in files}
    assert {where: what for where, what in found.items() if what} == {}


def test_moto_recording_never_holds_the_secret_key_or_the_cookie(leak_run: LeakRun) -> None:
    recording = (leak_run.data_dir / RECORDING_FILE).read_bytes()
    assert len(recording) > 100_000  # every request of the run, bodies base64-encoded
    assert leaks(recording, ["AWS_SECRET_ACCESS_KEY", "li_at cookie"]) == []


def test_moto_recording_holds_no_credential_at_all(leak_run: LeakRun) -> None:
    # moto's recorder stores request headers verbatim; the local stack therefore never uses the
    # shell's credentials (settings.apply_local_defaults), so none can reach the file.
    recording = (leak_run.data_dir / RECORDING_FILE).read_bytes()
    assert leaks(recording, ["AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN"]) == []


def all_objects(s3: Any) -> Iterator[tuple[str, str]]:
    for bucket in s3.list_buckets()["Buckets"]:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket["Name"]):
            for obj in page.get("Contents", []):
                yield bucket["Name"], obj["Key"]


def test_no_secret_in_any_s3_object_or_its_metadata(leak_run: LeakRun) -> None:
    s3, found, keys = leak_run.clients()["s3"], {}, []
    for bucket, key in all_objects(s3):
        keys.append(key)
        response = s3.get_object(Bucket=bucket, Key=key)
        body = response.pop("Body").read()
        headers = json.dumps(response, default=str)
        found[f"s3://{bucket}/{key}"] = leaks(body) + leaks(headers)
    prefixes = {key.split("/", 1)[0] for key in keys}
    assert {"screenshots", "captures", "extracted", "profiles", "reports"} <= prefixes
    assert {where: what for where, what in found.items() if what} == {}


def test_no_secret_in_the_index(leak_run: LeakRun) -> None:
    dynamodb, items = leak_run.clients()["dynamodb"], []
    for table in dynamodb.list_tables()["TableNames"]:
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            items += page["Items"]
    assert len(items) >= len(SAMPLES) - 3  # every captured profile (and the registered ones)
    assert any(item.get("status", {}).get("S") == "contacted" for item in items)  # the inbox's
    assert [
        (i["profile_id"]["S"], leaks(json.dumps(i))) for i in items if leaks(json.dumps(i))
    ] == []


def test_every_object_the_pipeline_wrote_is_encrypted(leak_run: LeakRun) -> None:
    s3 = leak_run.clients()["s3"]
    encryption = {
        f"s3://{bucket}/{key}": s3.head_object(Bucket=bucket, Key=key).get("ServerSideEncryption")
        for bucket, key in all_objects(s3)
    }
    # At least a screenshot, its HTML, the capture manifest, the extracted and the published
    # document and its upload record per captured profile, and the two reports.
    assert len(encryption) >= 6 * len([p for p in SAMPLES if p.outcome == "ok"]) + 2
    assert {url: sse for url, sse in encryption.items() if sse not in ("AES256", "aws:kms")} == {}
