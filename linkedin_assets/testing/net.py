"""The loopback helpers every test tool and test shares: a free port, and a plain HTTP fetch that
returns any status (redirects included) instead of raising."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request


def free_port(host: str = "127.0.0.1") -> int:
    """A port free on ``host`` now; a server started on it later may still lose a race for it."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 3xx itself is the answer: tests check where it points


_NO_REDIRECTS = urllib.request.build_opener(_NoRedirect)
_REDIRECTS = urllib.request.build_opener()


def fetch(
    url: str, method: str = "GET", *, follow_redirects: bool = False, timeout_s: float = 10
) -> tuple[int, dict[str, str], bytes]:
    """``(status, headers, body)`` of one request; an error status is an answer, not an error."""
    opener = _REDIRECTS if follow_redirects else _NO_REDIRECTS
    request = urllib.request.Request(url, method=method)
    try:
        with opener.open(request, timeout=timeout_s) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()
