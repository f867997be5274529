from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from linkedin_assets.local.event_store import BATCH_SIZE_VAR, DEFAULT_BATCH_SIZE, event_log_config
from tests.assets.fakes import CALLS


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dg.DagsterInstance]:
    """A temporary Dagster instance (real storage on disk), fresh for each test, with the local
    default's event log (planned events written in batches)."""
    CALLS.clear()
    monkeypatch.setenv(BATCH_SIZE_VAR, DEFAULT_BATCH_SIZE)
    with dg.instance_for_test(overrides=batching_event_log(tmp_path / "events")) as instance:
        yield instance


def batching_event_log(base_dir: Path) -> dict[str, Any]:
    """Instance overrides for ``BatchingSqliteEventLogStorage`` in ``base_dir``."""
    return {"event_log_storage": event_log_config(base_dir)}
