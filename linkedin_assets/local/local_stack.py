"""The embedded local default: moto's server (S3, DynamoDB, SQS over real HTTP) and the sample site.

moto's server keeps everything in memory; its recorder appends every request to a file and can
replay it, which is how local data survives a restart. Both servers bind loopback only.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from linkedin_assets.core.setting_rules import queue_arn_parts
from linkedin_assets.core.storage_layout import normalise_prefix
from linkedin_assets.errors import ConfigurationError
from linkedin_assets.local.loopback import is_loopback_host
from linkedin_assets.local.sample_site import SampleSite
from linkedin_assets.resources.aws import ClientSettings, build_client
from linkedin_assets.resources.ingestion_queue import create_queue
from linkedin_assets.resources.provisioning import (
    REPORTS_RETENTION_DAYS,
    EventsTarget,
    ensure_bucket,
    ensure_table,
)
from linkedin_assets.settings import LOCAL_DEFAULTS, local_events_queue_arn, setting

RECORDING_FILE = "moto-recording.jsonl"
# moto's server once took over 30 s to answer on a 2-core machine under a load of 19.
START_TIMEOUT_S = 120.0
# How long a terminated moto server gets to exit before it is killed.
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class StackSettings:
    endpoint_url: str
    site_url: str
    bucket: str
    table: str
    region: str
    data_dir: Path
    access_key: str
    secret_key: str
    # The profile-text bucket (the screenshot bucket unless set), its region, the prefix of the
    # documents, and the queue told of every document (docs/ingestion.md).
    text_bucket: str = ""
    text_region: str = ""
    profile_text_prefix: str = "profiles/"
    events_queue_arn: str = ""
    reports_retention_days: int = REPORTS_RETENTION_DAYS

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> StackSettings:
        region = environ.get("AWS_REGION", "us-west-2")
        return cls(
            endpoint_url=environ["AWS_ENDPOINT_URL"],
            site_url=environ["LINKEDIN_BASE_URL"],
            bucket=environ["S3_SCREENSHOT_BUCKET_NAME"],
            table=environ["DYNAMODB_PROFILE_TABLE"],
            region=region,
            data_dir=Path(environ.get("LINKEDIN_ASSETS_DATA_DIR", ".local-data")).resolve(),
            # Never the shell's credentials: moto needs none, and its recording keeps headers.
            access_key=LOCAL_DEFAULTS["AWS_ACCESS_KEY_ID"],
            secret_key=LOCAL_DEFAULTS["AWS_SECRET_ACCESS_KEY"],
            text_bucket=environ.get("S3_PROFILE_TEXT_BUCKET_NAME")
            or environ["S3_SCREENSHOT_BUCKET_NAME"],
            text_region=environ.get("S3_PROFILE_TEXT_REGION") or region,
            profile_text_prefix=normalise_prefix(
                environ.get("S3_PROFILE_TEXT_PREFIX") or "profiles/"
            ),
            events_queue_arn=setting("S3_PROFILE_EVENTS_QUEUE_ARN", environ)
            or local_events_queue_arn(environ),
            reports_retention_days=setting("REPORTS_RETENTION_DAYS", environ)
            or REPORTS_RETENTION_DAYS,
        )


def loopback_address(url: str, what: str) -> tuple[str, int]:
    """Host and port of ``url``, which must be on this machine's loopback."""
    parsed = urllib.parse.urlsplit(url)
    host = parsed.hostname or ""
    if not is_loopback_host(host) or parsed.port is None:
        raise ConfigurationError(
            f"{what} {url!r} must be http://127.0.0.1:<port> for the local stack"
        )
    return host, parsed.port


def is_listening(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


class LocalStack:
    """Start (or reuse) moto's server and the sample site; create the bucket(s), each in its
    region, the queue the profile-text bucket notifies of new documents, and the table."""

    def __init__(self, settings: StackSettings, persist: bool = True) -> None:
        self.settings = settings
        self.persist = persist
        self._moto: subprocess.Popen[bytes] | None = None
        self._site: SampleSite | None = None
        self.replayed = False

    @property
    def recording_path(self) -> Path:
        return self.settings.data_dir / RECORDING_FILE

    def start(self) -> LocalStack:
        # Validate both addresses before the first request: the local stack never talks to
        # anything but this machine's loopback.
        loopback_address(self.settings.endpoint_url, "AWS_ENDPOINT_URL")
        site_host, site_port = loopback_address(self.settings.site_url, "LINKEDIN_BASE_URL")
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        if not is_listening(self.settings.endpoint_url + "/moto-api/data.json"):
            self._start_moto()
        if not is_listening(self.settings.site_url + "/"):
            self._site = SampleSite(host=site_host, port=site_port).start()
        self._provision()
        return self

    def _start_moto(self) -> None:
        host, port = loopback_address(self.settings.endpoint_url, "AWS_ENDPOINT_URL")
        if importlib.util.find_spec("moto") is None:
            # A deployed install has no moto: the local stack is an extra.
            raise ConfigurationError(
                "moto is not installed, and the local stack runs on moto's server: install the "
                "local extra (pip install 'linkedin-assets[local]', or make setup)"
            )
        recorded = self.recording_path.exists() and self.recording_path.stat().st_size > 0
        env = dict(os.environ)
        if self.persist:
            env.update(
                MOTO_ENABLE_RECORDING="True", MOTO_RECORDER_FILEPATH=str(self.recording_path)
            )
        log = open(self.settings.data_dir / "moto.log", "ab")  # noqa: SIM115 (lives with the process)
        self._moto = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "linkedin_assets.local.moto_server",
                "-H",
                host,
                "-p",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not is_listening(self.settings.endpoint_url + "/moto-api/data.json"):
            if self._moto.poll() is not None or time.monotonic() > deadline:
                # start() raising means no __exit__: a server still starting would outlive us
                # and be taken for a running stack by the next start.
                self.stop()
                raise ConfigurationError(
                    f"moto's server did not start on {self.settings.endpoint_url}; "
                    f"see {self.settings.data_dir / 'moto.log'}"
                )
            time.sleep(0.1)
        if self.persist and recorded:
            request = urllib.request.Request(
                self.settings.endpoint_url + "/moto-api/recorder/replay-recording", method="POST"
            )
            urllib.request.urlopen(request, timeout=600).read()
            self.replayed = True

    def _client(self, service: str, region: str | None = None) -> Any:
        return build_client(
            service,
            ClientSettings(
                region_name=region or self.settings.region,
                endpoint_url=self.settings.endpoint_url,
                aws_access_key_id=self.settings.access_key,
                aws_secret_access_key=self.settings.secret_key,
            ),
        )

    def _provision(self) -> None:
        s = self.settings
        ensure_bucket(self._client("s3"), s.bucket, s.region)
        text_bucket, text_region = s.text_bucket or s.bucket, s.text_region or s.region
        events = None
        if s.events_queue_arn:
            # The queue first: S3 checks the destination when the notification is saved.
            create_queue(
                self._client("sqs", queue_arn_parts(s.events_queue_arn)[0]), s.events_queue_arn
            )
            events = EventsTarget(s.events_queue_arn, s.profile_text_prefix)
        ensure_bucket(
            self._client("s3", text_region),
            text_bucket,
            text_region,
            reports_retention_days=s.reports_retention_days,
            events=events,
        )
        ensure_table(self._client("dynamodb"), s.table)

    def stop(self) -> None:
        if self._site is not None:
            self._site.stop()
            self._site = None
        if self._moto is not None:
            self._moto.terminate()
            try:
                self._moto.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                # kill() only sends the signal: wait too, so that stop() returns with the server
                # gone (not a zombie), and its port free for the next start.
                self._moto.kill()
                self._moto.wait()
            self._moto = None

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
