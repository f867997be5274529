"""What the test servers (fault proxy, fault site) share: a quiet threading server on loopback, its
lifecycle, and the loopback-only rule."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from linkedin_assets.local.loopback import is_loopback_host


class LoopbackServer(ThreadingHTTPServer):
    """A threading HTTP server that skips the host-name lookup and prints only real bugs."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host's name up (socket.getfqdn); not needed here.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        # Clients hang up on these servers by design (timeouts, resets, crashed tabs).
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def require_loopback(host: str, what: str, owner: str) -> None:
    """Refuse anything but this machine's loopback: these servers never reach another host."""
    if not is_loopback_host(host):
        raise ValueError(f"{what} {host!r} is not a loopback address; {owner} stays local")


class LoopbackService:
    """Start, stop and context-manage a ``LoopbackServer`` that relays to ``upstream``.

    Subclasses build their server in ``_make_server`` and register the connections their
    handlers hold with ``_track``, so ``stop`` can end idle keep-alive connections too.
    """

    def __init__(self, upstream: str, host: str, port: int) -> None:
        owner = type(self).__name__
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.scheme != "http" or not parsed.hostname:
            raise ValueError(f"upstream {upstream!r} must be http://127.0.0.1:<port>")
        require_loopback(parsed.hostname, "upstream", owner)
        require_loopback(host, "listen address", owner)
        self.upstream = (parsed.hostname, parsed.port or 80)
        self._address = (host, port)
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._stopping = threading.Event()  # ends deliberate waits (stalls, never-loading pages)
        self._server: LoopbackServer | None = None
        self._thread: threading.Thread | None = None

    def _make_server(self) -> LoopbackServer:
        raise NotImplementedError

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError(f"{type(self).__name__} is already started")
        self._stopping.clear()
        self._server = self._make_server()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        # Idle keep-alive connections would otherwise keep their handler threads reading.
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)
