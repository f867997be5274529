"""The intake sensor's cursor: how far into each inbox file it got (pure).

Format 2 (JSON, ``"v": 2``)::

    done     {file: version}                  taken in completely at this version
    partial  {file: {version, offset, line, items, columns, skip_to}}
    waiting  {file: [version, first_seen]}    no final line break yet: waits until stable
    skipped  {file: reason}                   not a regular file; logged once per reason

Format 1, before byte offsets, kept ``partial`` as ``{file: [version, line]}``. It still loads: the
file is read again from its start, skipping the records that ended on or before that line, so a
deployed sensor takes nothing twice and loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = 2


@dataclass(frozen=True)
class Position:
    """Where reading one version of a file goes on."""

    version: str
    offset: int = 0  # the next byte to read
    line: int = 0  # physical lines before ``offset``
    items: int = 0  # entries and rejects so far: none by the end means a file without URLs
    columns: tuple[int, int | None] | None = None  # CSV: the url and status columns, once read
    skip_to: int = 0  # records ending on or before this line were taken under format 1

    @classmethod
    def from_json(cls, raw: Any) -> Position:
        if isinstance(raw, list):  # format 1: [version, line]
            line = int(raw[1])
            return cls(str(raw[0]), items=1 if line else 0, skip_to=line)
        columns = raw.get("columns")
        return cls(
            version=str(raw["version"]),
            offset=int(raw["offset"]),
            line=int(raw["line"]),
            items=int(raw.get("items", 0)),
            columns=None if columns is None else (int(columns[0]), _optional_int(columns[1])),
            skip_to=int(raw.get("skip_to", 0)),
        )


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass
class InboxCursor:
    """What the sensor has read: each file's version when done, or where it stopped in it."""

    done: dict[str, str] = field(default_factory=dict)
    partial: dict[str, Position] = field(default_factory=dict)
    waiting: dict[str, tuple[str, float]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, raw: str | None) -> InboxCursor:
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(
            done={str(k): str(v) for k, v in data.get("done", {}).items()},
            partial={k: Position.from_json(v) for k, v in data.get("partial", {}).items()},
            waiting={k: (str(v[0]), float(v[1])) for k, v in data.get("waiting", {}).items()},
            skipped={str(k): str(v) for k, v in data.get("skipped", {}).items()},
        )

    def dump(self) -> str:
        data = {
            "v": FORMAT,
            "done": self.done,
            "partial": {name: asdict(p) for name, p in self.partial.items()},
            "waiting": {name: list(w) for name, w in self.waiting.items()},
            "skipped": self.skipped,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    def position(self, name: str, version: str) -> Position | None:
        """Where to go on reading ``name`` at ``version``; ``None``: from its start."""
        position = self.partial.get(name)
        return position if position is not None and position.version == version else None

    def finish(self, name: str, version: str) -> None:
        self.done[name] = version
        self.partial.pop(name, None)
        self.waiting.pop(name, None)

    def stop_at(self, name: str, position: Position) -> None:
        self.partial[name] = position
        self.waiting.pop(name, None)

    def forget_missing(self, present: Collection[str]) -> None:
        """Drop files no longer in the inbox, so the cursor does not grow forever."""
        for table in (self.done, self.partial, self.waiting, self.skipped):
            for name in [n for n in table if n not in present]:
                del table[name]
