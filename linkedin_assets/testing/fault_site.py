"""A profile site that misbehaves on purpose, in front of a running ``SampleSite``.

``FaultSite(upstream)`` listens on loopback and relays every request to ``upstream`` (status,
headers, body), except for the fault profiles below, which answer the same way on their profile
page (``/in/<id>/``) and their activity page (``/in/<id>/recent-activity/all/``)::

    with SampleSite() as site, FaultSite(site.base_url) as faulty:
        session.capture_profile(FAULT_NEVER_LOADS, faulty.base_url)  # times out

- ``never-loads``: 200 headers and the start of a page, then a whitespace chunk every second and
  never the end (until ``stop()``, the client hangs up, or ``never_loads_s``): ``load`` never fires;
- ``crashes-tab``: a script that fills the V8 heap with double arrays until the renderer dies of
  out-of-memory (about 4 GB and 4-12 s on Chromium 156); Playwright reports "Page crashed" and
  other tabs of the same context carry on;
- ``huge-page``: a real sample profile under another name, padded to ``huge_page_bytes`` (10 MiB)
  of visible text;
- ``redirect-loop``: a 302 to itself, so Chromium gives up with ``net::ERR_TOO_MANY_REDIRECTS``.

The browser-boundary faults (issue 13) reach for ``other_host`` (``http://127.0.0.2:9`` unless told:
another loopback address, never a real one; ``StandIn`` answers there and counts what reached it):

- ``reaches-other-host``: a real sample profile whose script asks ``other_host`` for a secret by
  synchronous XHR (an open-CORS answer is written into the page), ``fetch``, an image, a
  WebSocket and a beacon;
- ``redirects-off-site``: a 302 to the same path on ``other_host``;
- ``opens-popups``: a real sample profile whose script calls ``window.open`` ``POPUPS`` times (each
  popup, if it loaded, would do the same);
- ``tall-page``: a real sample profile with a seeded noise canvas and a spacer, ``TALL_PAGE_PX``
  tall: over 25 megapixels as a full-page screenshot;
- ``noise-canvas``: a real sample profile with a 1280 × 1600 canvas of seeded noise, which PNG
  cannot compress (a screenshot of about 6 MB).

``rate_limit(status=999, after=N, count=M)`` lets N more profile-page requests (``/in/<id>/``, any
ID; activity pages are never counted nor refused) through, refuses the M after them with
``status`` (999 "Request denied" or 429 "Too Many Requests"), then relays again. ``stats()`` counts
requests, forwarded requests and faults served (by fault ID, and ``"rate-limit:<status>"``). Both
ends must be loopback: the site never binds to or forwards to another address.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import json
import threading
import time
import urllib.parse
from collections import Counter
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TypedDict, cast

from linkedin_assets.local.sample_site._build import render_profile
from linkedin_assets.local.sample_site._people import PEOPLE
from linkedin_assets.local.sample_site._render_common import activity_page
from linkedin_assets.local.sample_site.server import normalise_slug
from linkedin_assets.testing._http import LoopbackServer, LoopbackService, require_loopback

__all__ = [
    "FAULT_CRASHES_TAB",
    "FAULT_HUGE_PAGE",
    "FAULT_IDS",
    "FAULT_NEVER_LOADS",
    "FAULT_REDIRECT_LOOP",
    "BOUNDARY_FAULT_IDS",
    "FAULT_NOISE_CANVAS",
    "FAULT_OPENS_POPUPS",
    "FAULT_REACHES_OTHER_HOST",
    "FAULT_REDIRECTS_OFF_SITE",
    "FAULT_TALL_PAGE",
    "OTHER_HOST",
    "POPUPS",
    "SECRET",
    "FaultSite",
    "StandIn",
    "FaultSiteStats",
    "HUGE_PAGE_BYTES",
    "huge_pages",
]

FAULT_NEVER_LOADS = "never-loads"
FAULT_CRASHES_TAB = "crashes-tab"
FAULT_HUGE_PAGE = "huge-page"
FAULT_REDIRECT_LOOP = "redirect-loop"
FAULT_IDS = (FAULT_NEVER_LOADS, FAULT_CRASHES_TAB, FAULT_HUGE_PAGE, FAULT_REDIRECT_LOOP)
FAULT_REACHES_OTHER_HOST = "reaches-other-host"
FAULT_REDIRECTS_OFF_SITE = "redirects-off-site"
FAULT_OPENS_POPUPS = "opens-popups"
FAULT_TALL_PAGE = "tall-page"
FAULT_NOISE_CANVAS = "noise-canvas"
BOUNDARY_FAULT_IDS = (
    FAULT_REACHES_OTHER_HOST,
    FAULT_REDIRECTS_OFF_SITE,
    FAULT_OPENS_POPUPS,
    FAULT_TALL_PAGE,
    FAULT_NOISE_CANVAS,
)
# Another loopback address: on Linux all of 127.0.0.0/8 is this machine. Port 9 (discard) is
# closed, so a request that got out would be refused, never answered by a real host.
OTHER_HOST = "http://127.0.0.2:9"
SECRET = "STAND-IN-SECRET-7f3a"
POPUPS = 20
TALL_PAGE_PX = 24_000
NOISE_CANVAS = (1280, 1600)

HUGE_PAGE_BYTES = 10 * 1024 * 1024
NEVER_LOADS_S = 120.0
DRIP_INTERVAL_S = 1.0
UPSTREAM_TIMEOUT_S = 30.0
HTML = "text/html; charset=utf-8"
RATE_LIMIT_REASONS = {999: "Request denied", 429: "Too Many Requests"}
# Per-connection headers belong to each hop, and the site recomputes the body's framing.
HOP_BY_HOP = frozenset(
    {
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "content-length",
    }
)  # fmt: skip

NEVER_LOADS_START = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    b"<title>Loading | LinkedIn</title>\n</head>\n<body>\n<main><h1>Loading"
)
# Tight allocation of 8 MB double arrays that stay reachable: V8 cannot collect them, hits its
# heap limit and kills the renderer ("Aw, Snap! Out of memory"). It runs in <head>, so the parser
# is blocked and `load` never fires before the crash.
CRASH_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Crashes the tab | LinkedIn</title>
<script>
const hoard = [];
for (let i = 0; ; i++) hoard.push(new Array(1e6).fill(i + 0.5));
</script>
</head>
<body><main><h1>This tab should have crashed</h1></main></body>
</html>
"""
# Each way a page's script can reach another host. The synchronous XHR finishes before `load`, so
# an answer that got through would be in the captured HTML.
REACH_SCRIPT = """<pre id="reach-result">not tried</pre>
<script>
(() => {
  const other = %(other)s, out = document.getElementById("reach-result");
  try {
    const xhr = new XMLHttpRequest();
    xhr.open("GET", other + "/latest/meta-data/xhr", false);
    xhr.send();
    out.textContent = "leaked: " + xhr.responseText;
  } catch (e) { out.textContent = "refused: " + e.name; }
  fetch(other + "/latest/meta-data/fetch").then(r => r.text()).then(
    t => { out.textContent += " fetch leaked: " + t; }, () => {});
  const img = new Image(); img.src = other + "/pixel.png"; document.body.appendChild(img);
  try { new WebSocket(other.replace("http", "ws") + "/socket"); } catch (e) {}
  try { navigator.sendBeacon(other + "/beacon", "x"); } catch (e) {}
})();
</script>
"""
POPUP_SCRIPT = """<script>
for (let i = 0; i < %(popups)d; i++) window.open(location.pathname + "?popup=" + i, "_blank");
</script>
"""
# A seeded xorshift32 (the same pixels every time): noise that no PNG encoder can compress.
NOISE_SCRIPT = """<canvas id="noise" width="%(width)d" height="%(height)d"
 style="display:block"></canvas>%(spacer)s
<script>
(() => {
  const canvas = document.getElementById("noise"), g = canvas.getContext("2d");
  const image = g.createImageData(canvas.width, canvas.height);
  const pixels = new Uint32Array(image.data.buffer);
  let x = %(seed)d;
  for (let i = 0; i < pixels.length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    pixels[i] = x | 0xff000000;
  }
  g.putImageData(image, 0, 0);
})();
</script>
"""
PADDING_SENTENCE = (
    "Padding line {n:07d}: quarterly notes on kiln schedules, freight manifests and data "
    "contracts, repeated on purpose so that the page weighs ten megabytes. "
)


class FaultSiteStats(TypedDict):
    requests: int
    forwarded: int
    faults: dict[str, int]


def huge_pages(size: int = HUGE_PAGE_BYTES) -> tuple[bytes, bytes]:
    """(profile page, activity page) of a sample person renamed, each padded to ``size`` bytes."""
    template = next(p for p in PEOPLE if p.era.startswith("logged_out"))
    person = dataclasses.replace(template, profile_id=FAULT_HUGE_PAGE, name="Hugo Pagewright")
    return _padded(render_profile(person), size), _padded(activity_page(person), size)


def boundary_pages(other_host: str = OTHER_HOST) -> dict[str, tuple[bytes, bytes]]:
    """(profile page, activity page) of each body-serving boundary fault: a sample person renamed,
    with the fault's script at the end of the body."""
    template = next(p for p in PEOPLE if p.era.startswith("logged_out"))
    width, height = NOISE_CANVAS
    noise = {"width": width, "height": height, "seed": 20261301, "spacer": ""}
    tall = {**noise, "spacer": f'<div style="height:{TALL_PAGE_PX}px"></div>'}
    scripts = {
        FAULT_REACHES_OTHER_HOST: REACH_SCRIPT % {"other": json.dumps(other_host)},
        FAULT_OPENS_POPUPS: POPUP_SCRIPT % {"popups": POPUPS},
        FAULT_TALL_PAGE: NOISE_SCRIPT % tall,
        FAULT_NOISE_CANVAS: NOISE_SCRIPT % noise,
    }
    pages = {}
    for fault_id, script in scripts.items():
        name = " ".join(part.capitalize() for part in fault_id.split("-"))
        person = dataclasses.replace(template, profile_id=fault_id, name=name)
        pages[fault_id] = (
            _with_script(render_profile(person), script),
            _with_script(activity_page(person), script),
        )
    return pages


def _impostor_page() -> bytes:
    """A sample profile as another host would serve it after a redirect off the site."""
    template = next(p for p in PEOPLE if p.era.startswith("logged_out"))
    person = dataclasses.replace(template, profile_id=FAULT_REDIRECTS_OFF_SITE, name="Im Poster")
    return f"{render_profile(person)}<!-- {SECRET} -->".encode()


def _with_script(html: str, script: str) -> bytes:
    head, tail = html.rsplit("</body>", 1)
    return f"{head}{script}</body>{tail}".encode()


def _padded(html: str, size: int) -> bytes:
    """``html`` with paragraphs of text added at the end of its body, up to ``size`` bytes."""
    head, tail = html.encode("utf-8").rsplit(b"</body>", 1)
    opening, closing = b'<section class="card fault-padding">\n', b"</section>\n</body>" + tail
    room = size - len(head) - len(opening) - len(closing)
    lines: list[bytes] = []
    n = 0
    while True:
        line = f"<p>{PADDING_SENTENCE.format(n=n)}</p>\n".encode()
        if len(line) > room:
            break
        lines.append(line)
        room -= len(line)
        n += 1
    return head + opening + b"".join(lines) + closing


@dataclasses.dataclass
class _RateLimit:
    status: int
    after: int
    count: int
    seen: int = 0


class FaultSite(LoopbackService):
    """A loopback HTTP site relaying to ``upstream`` except for the fault profiles."""

    def __init__(
        self,
        upstream: str,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        never_loads_s: float = NEVER_LOADS_S,
        huge_page_bytes: int = HUGE_PAGE_BYTES,
        other_host: str = OTHER_HOST,
    ) -> None:
        super().__init__(upstream, host, port)
        other = urllib.parse.urlsplit(other_host)
        if other.scheme != "http" or not other.hostname:
            raise ValueError(f"other_host {other_host!r} must be http://127.0.0.x:<port>")
        require_loopback(other.hostname, "other_host", type(self).__name__)
        self.other_host = other_host.rstrip("/")
        self._boundary = boundary_pages(self.other_host)
        self.never_loads_s = never_loads_s
        self._huge_page_bytes = huge_page_bytes
        self._huge: tuple[bytes, bytes] | None = None
        self._rate_limit: _RateLimit | None = None
        self._requests = 0
        self._forwarded = 0
        self._faults: Counter[str] = Counter()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FaultSite is not started")
        host, port = self._server.server_address[:2]
        return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"

    def rate_limit(self, status: int = 999, after: int = 0, count: int = 1) -> None:
        """Let ``after`` more profile-page requests through, then refuse ``count`` of them."""
        if after < 0 or count < 0:
            raise ValueError("after and count cannot be negative")
        if not 400 <= status <= 999:
            raise ValueError(f"status {status} is not an error status")
        with self._lock:
            self._rate_limit = _RateLimit(status, after, count)

    def clear_rate_limit(self) -> None:
        with self._lock:
            self._rate_limit = None

    def stats(self) -> FaultSiteStats:
        with self._lock:
            return {
                "requests": self._requests,
                "forwarded": self._forwarded,
                "faults": dict(self._faults),
            }

    def _make_server(self) -> LoopbackServer:
        return _Server(self._address, self)

    def _decide(self, path: str) -> str | None:
        """The fault to serve for a request path (counted), or ``None`` to forward it."""
        profile_id, is_profile_page = _profile_of(path)
        with self._lock:
            self._requests += 1
            limit = self._rate_limit
            if is_profile_page and limit is not None:
                limit.seen += 1
                if limit.after < limit.seen <= limit.after + limit.count:
                    key = f"rate-limit:{limit.status}"
                    self._faults[key] += 1
                    return key
            if profile_id in FAULT_IDS or profile_id in BOUNDARY_FAULT_IDS:
                self._faults[profile_id] += 1
                return profile_id
        return None

    def _huge_page(self, activity: bool) -> bytes:
        with self._lock:
            if self._huge is None:
                self._huge = huge_pages(self._huge_page_bytes)
            return self._huge[1 if activity else 0]

    def _count_forwarded(self) -> None:
        with self._lock:
            self._forwarded += 1


def _profile_of(path: str) -> tuple[str | None, bool]:
    """(normalised profile ID or None, whether it is the profile page itself) of a path."""
    parts = [part for part in urllib.parse.urlsplit(path).path.split("/") if part]
    if len(parts) < 2 or parts[0] != "in":
        return None, False
    try:
        profile_id = normalise_slug(parts[1])
    except UnicodeDecodeError:
        return None, False
    return profile_id, len(parts) == 2


class _Server(LoopbackServer):
    def __init__(self, address: tuple[str, int], site: FaultSite) -> None:
        self.site = site
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    @property
    def site(self) -> FaultSite:
        return cast(_Server, self.server).site

    def setup(self) -> None:
        super().setup()
        self.site._track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.site._track(self.connection, open_=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # quiet: tests read the site's stats(), not its log

    def do_GET(self) -> None:
        self._answer()

    do_HEAD = do_GET

    def _answer(self) -> None:
        fault = self.site._decide(self.path)
        activity = not _profile_of(self.path)[1]
        if fault is None:
            self._forward()
        elif fault.startswith("rate-limit:"):
            self._refuse(int(fault.rsplit(":", 1)[1]))
        elif fault == FAULT_NEVER_LOADS:
            self._never_load()
        elif fault == FAULT_CRASHES_TAB:
            self._respond(200, [("Content-Type", HTML)], CRASH_PAGE)
        elif fault == FAULT_HUGE_PAGE:
            self._respond(200, [("Content-Type", HTML)], self.site._huge_page(activity))
        elif fault == FAULT_REDIRECTS_OFF_SITE:
            location = self.site.other_host + urllib.parse.urlsplit(self.path).path
            self._respond(302, [("Location", location), ("Content-Type", HTML)], b"")
        elif fault in BOUNDARY_FAULT_IDS:
            self._respond(200, [("Content-Type", HTML)], self.site._boundary[fault][activity])
        else:
            location = urllib.parse.urlsplit(self.path).path
            self._respond(302, [("Location", location), ("Content-Type", HTML)], b"")

    def _forward(self) -> None:
        host, port = self.site.upstream
        upstream = http.client.HTTPConnection(host, port, timeout=UPSTREAM_TIMEOUT_S)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers.pop("Host", None)
            upstream.request(self.command, self.path, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
        except OSError as exc:
            message = f"FaultSite could not reach {host}:{port}: {type(exc).__name__}".encode()
            self._respond(502, [("Content-Type", "text/plain")], message)
            return
        finally:
            upstream.close()
        self.site._count_forwarded()
        relayed = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
        length = response.getheader("Content-Length") if self.command == "HEAD" else None
        self._respond(response.status, relayed, payload, response.reason, length)

    def _refuse(self, status: int) -> None:
        reason = RATE_LIMIT_REASONS.get(status, "Request denied")
        body = (
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{reason}</title>'
            f"</head><body><h1>{reason}</h1><p>{reason}: you are making a very high number of "
            "page requests. Please try again later.</p></body></html>\n"
        ).encode()
        headers = [("Content-Type", HTML), ("Retry-After", "1")]
        self._respond(status, headers, body, reason)

    def _never_load(self) -> None:
        self.send_response_only(200)
        for name, value in (
            ("Content-Type", HTML),
            ("Cache-Control", "no-store"),
            ("Transfer-Encoding", "chunked"),
        ):
            self.send_header(name, value)
        self.end_headers()
        self.close_connection = True
        if self.command == "HEAD":
            return
        deadline = time.monotonic() + self.site.never_loads_s
        try:
            self._chunk(NEVER_LOADS_START)
            # A space a second: the page stays unfinished, and a client that hung up is noticed.
            while not self.site._stopping.wait(DRIP_INTERVAL_S) and time.monotonic() < deadline:
                self._chunk(b" ")
        except OSError:
            return

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _respond(
        self,
        status: int,
        headers: list[tuple[str, str]],
        payload: bytes,
        reason: str | None = None,
        length: str | None = None,
    ) -> None:
        self.send_response_only(status, reason if reason is not None else _reason(status))
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", length or str(len(payload)))
        if status in (301, 302, 303, 307, 308):
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def _reason(status: int) -> str:
    if status in RATE_LIMIT_REASONS:
        return RATE_LIMIT_REASONS[status]
    with contextlib.suppress(ValueError):
        return HTTPStatus(status).phrase
    return ""


class StandIn:
    """ "Another host" on a loopback address: answers every request with ``SECRET`` and open CORS,
    and records the path of each one, so a test can tell whether anything reached it.

    Loopback only: ``StandIn("127.0.0.2")`` listens on 127.0.0.2 (Linux routes all of
    127.0.0.0/8 to this machine).
    """

    def __init__(self, host: str = "127.0.0.2", port: int = 0) -> None:
        require_loopback(host, "listen address", type(self).__name__)
        self._address = (host, port)
        self._lock = threading.Lock()
        self.paths: list[str] = []
        self._server: LoopbackServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("StandIn is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StandIn:
        self._server = _StandInServer(self._address, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _record(self, path: str) -> None:
        with self._lock:
            self.paths.append(path)


class _StandInServer(LoopbackServer):
    def __init__(self, address: tuple[str, int], stand_in: StandIn) -> None:
        self.stand_in = stand_in
        super().__init__(address, _StandInHandler)


class _StandInHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def _answer(self) -> None:
        cast(_StandInServer, self.server).stand_in._record(self.path)
        # A redirected profile page lands on a real-looking profile under this host's name.
        is_page = urllib.parse.urlsplit(self.path).path.startswith("/in/")
        body = _impostor_page() if is_page else SECRET.encode()
        self.send_response_only(200)
        for name, value in (
            ("Content-Type", HTML if is_page else "text/plain"),
            ("Access-Control-Allow-Origin", "*"),
            ("Content-Length", str(len(body))),
        ):
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer()

    do_HEAD = do_POST = do_OPTIONS = do_GET
