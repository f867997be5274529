"""`dagster dev` for the integration tests: started on a free port in its own process group,
waited for with a deadline, asked through GraphQL as the UI asks, and always stopped."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from linkedin_assets.testing.net import fetch, free_port
from tests.integration.processes import stop_process_group

BIN = Path(sys.executable).parent
START_TIMEOUT_S = 180


def wait_for(what: str, check: Callable[[], Any], timeout_s: float, log: Path) -> Any:
    """``check()``'s first truthy answer, polled once a second (a server or a daemon in another
    process tells us nothing when it is done); past ``timeout_s``, fail with ``log``'s tail."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1)
    tail = log.read_text(errors="replace")[-6000:] if log.exists() else ""
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}\n{tail}")


def graphql(
    url: str, query: str, variables: Mapping[str, Any] | None = None, timeout_s: float = 30
) -> dict[str, Any]:
    """One query to the webserver's GraphQL endpoint, as the UI sends it."""
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = dict(variables)
    request = urllib.request.Request(
        f"{url}/graphql", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return answer


def server_answers(url: str) -> bool:
    try:
        return fetch(f"{url}/server_info", timeout_s=2)[0] == 200
    except OSError:
        return False


@contextmanager
def dagster_dev(
    environ: Mapping[str, str],
    log: Path,
    ready: Callable[[str], Any] = server_answers,
    what: str = "the Dagster webserver",
) -> Iterator[tuple[str, Any]]:
    """``dagster dev`` (webserver + daemon) with exactly ``environ``; yields its URL and what
    ``ready(url)`` answered once truthy. The process group is stopped on the way out."""
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(BIN / "dagster"), "dev", "-h", "127.0.0.1", "-p", str(port), "-m", "linkedin_assets.definitions"],
            env=dict(environ), stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            yield url, wait_for(what, lambda: ready(url), START_TIMEOUT_S, log)
        finally:
            stop_process_group(process)
