"""The storage interfaces are closed: each implementation carries every operation of its
Protocol with the same parameters, and no module reaches into another object's client."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import linkedin_assets
from linkedin_assets.resources.object_store import ObjectStore, S3ObjectStore
from linkedin_assets.resources.profile_index import DynamoDBIndexStore, IndexStore

PACKAGE = Path(linkedin_assets.__file__).parent
# Another object's private client (``index._client``), as opposed to an object's own.
FOREIGN_CLIENT = re.compile(r"(?<!self)\._client\b")


def operations(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if callable(member) and not name.startswith("_")
    }


@pytest.mark.parametrize(
    ("protocol", "implementation", "expected"),
    [
        (ObjectStore, S3ObjectStore, {"put", "get", "head", "head_many", "list_objects", "delete_many"}),
        (IndexStore, DynamoDBIndexStore, {"update", "get", "get_many", "scan", "delete"}),
    ],
)  # fmt: skip
def test_the_implementation_carries_every_operation_of_its_interface(
    protocol: type, implementation: type, expected: set[str]
) -> None:
    wanted = operations(protocol)
    assert set(wanted) == expected
    for name, signature in wanted.items():
        assert str(inspect.signature(getattr(implementation, name))) == str(signature), name


def test_no_module_reaches_into_another_objects_client() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FOREIGN_CLIENT.search(line)
    ]
    assert found == []
