"""A loopback-only HTTP server that answers like linkedin.com for the sample (or a generated) site.

Routing comes from `manifest.json` inside the pages directory, so a generated site behaves the same:
"ok" serves `<id>/profile.html` (and `<id>/activity.html` when present), "blocked" redirects to the
auth wall, "rate_limited" answers HTTP 999, and "not_found" or any unknown slug answers 404.
"""

from __future__ import annotations

import json
import socket
import threading
import unicodedata
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from linkedin_assets.local.loopback import is_loopback_host

PAGES_DIR = Path(__file__).parent / "pages"
SPECIAL_DIR_NAME = "_special"
# Member-id slugs (ACoAA…, ACwAA…) are opaque and case-sensitive; vanity slugs are not.
MEMBER_ID_PREFIXES = ("ACo", "ACw")
HTML = "text/html; charset=utf-8"


def normalise_slug(raw: str) -> str:
    """Percent-decoded, NFC, and lower-cased unless it is a member id."""
    slug = unicodedata.normalize("NFC", unquote(raw, errors="strict"))
    return slug if slug.startswith(MEMBER_ID_PREFIXES) else slug.lower()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: SampleSite


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        # Quiet on purpose: tests and benchmarks make thousands of requests.
        return

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        site = self.server.site
        site._count()
        status, headers, body = site.route(self.path)
        self.send_response(status, _reason(status))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def _reason(status: int) -> str:
    if status == 999:
        return "Request denied"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class SampleSite:
    """Serve a pages directory on 127.0.0.1; use as a context manager or call start()/stop()."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, pages_dir: Path | None = None
    ) -> None:
        if not is_loopback_host(host):
            raise ValueError(f"SampleSite only binds loopback addresses, not {host!r}")
        self.host = host
        self.port = port
        self.pages_dir = Path(pages_dir) if pages_dir is not None else PAGES_DIR
        self._profiles = _load_profiles(self.pages_dir)
        self._lock = threading.Lock()
        self._requests = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._requests

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("SampleSite is not started")
        host, port = self._server.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}"

    def start(self) -> SampleSite:
        if self._server is not None:
            return self
        server_class = _Server
        if ":" in self.host:
            server_class = type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
        self._server = server_class((self.host, self.port), _Handler)
        self._server.site = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="sample-site", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _count(self) -> None:
        with self._lock:
            self._requests += 1

    def route(self, raw_path: str) -> tuple[int, dict[str, str], bytes]:
        """Decide the answer for a request path: (status, headers, body)."""
        path = urlsplit(raw_path).path
        if path == "/favicon.ico":
            return 404, {"Content-Type": "text/plain"}, b""
        if path.startswith("/authwall"):
            return self._special(200, "login.html")
        parts = [part for part in path.split("/") if part]
        if len(parts) < 2 or parts[0] != "in":
            return self._special(404, "not_found.html")
        try:
            profile_id = normalise_slug(parts[1])
        except UnicodeDecodeError:
            return self._special(404, "not_found.html")
        rest = parts[2:]
        if rest not in ([], ["recent-activity", "all"]):
            return self._special(404, "not_found.html")
        manifest_id, outcome = self._profiles.get(profile_id, (profile_id, "not_found"))
        if outcome == "blocked":
            target = quote(f"https://www.linkedin.com{path}", safe="")
            location = f"/authwall?trk=public_profile&sessionRedirect={target}"
            return 302, {"Location": location, "Content-Type": HTML}, b""
        if outcome == "rate_limited":
            return self._special(999, "rate_limited.html")
        if outcome != "ok":
            return self._special(404, "not_found.html")
        name = "activity.html" if rest else "profile.html"
        file = self.pages_dir / manifest_id / name
        if not file.is_file():
            return self._special(404, "not_found.html")
        return 200, {"Content-Type": HTML}, file.read_bytes()

    def _special(self, status: int, name: str) -> tuple[int, dict[str, str], bytes]:
        file = self.pages_dir / SPECIAL_DIR_NAME / name
        if not file.is_file():
            file = PAGES_DIR / SPECIAL_DIR_NAME / name
        return status, {"Content-Type": HTML}, file.read_bytes()


def load_manifest(pages_dir: Path | None = None) -> list[dict[str, Any]]:
    folder = Path(pages_dir) if pages_dir is not None else PAGES_DIR
    data: list[dict[str, Any]] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


def _load_profiles(pages_dir: Path) -> dict[str, tuple[str, str]]:
    """Normalised slug -> (profile id as the manifest spells it, which is its folder; outcome)."""
    profiles = {}
    for entry in load_manifest(pages_dir):
        profile_id = unicodedata.normalize("NFC", entry["profile_id"])
        key = profile_id if profile_id.startswith(MEMBER_ID_PREFIXES) else profile_id.lower()
        profiles[key] = (profile_id, entry["outcome"])
    return profiles
