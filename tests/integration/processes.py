"""Stopping the Dagster processes the integration tests start in their own process groups."""

from __future__ import annotations

import os
import signal
import subprocess


def stop_process_group(process: subprocess.Popen[bytes], grace_s: float = 30) -> None:
    """SIGTERM to the process group, then SIGKILL if it has not ended within ``grace_s``."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace_s)
