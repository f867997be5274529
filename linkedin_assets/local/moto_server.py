"""moto's server for the local stack, with its request recorder made safe for concurrent requests.

moto's ``Recorder`` appends each request to the recording with two unsynchronised writes, and its
server handles requests on many threads. Since batched runs upload concurrently, entries of large
bodies interleaved and the next start's replay failed on the broken line (moto 5.2; seen in the
demo's restart test). Holding one lock around each entry keeps every line whole; nothing else of
moto changes. Run as ``python -m linkedin_assets.local.moto_server`` with moto.server's own
arguments.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.moto_api._internal.recorder.models import Recorder
from moto.server import main

_RECORD_LOCK = threading.Lock()
_record_request = Recorder._record_request


def _record_request_whole(self: Recorder, request: Any, body: bytes | None = None) -> None:
    with _RECORD_LOCK:
        _record_request(self, request, body)


Recorder._record_request = _record_request_whole  # type: ignore[method-assign]

if __name__ == "__main__":
    main()
