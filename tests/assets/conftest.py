from collections.abc import Iterator

import dagster as dg
import pytest

from tests.assets.fakes import CALLS


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    """A temporary Dagster instance (real storage on disk), fresh for each test."""
    CALLS.clear()
    with dg.instance_for_test() as instance:
        yield instance
