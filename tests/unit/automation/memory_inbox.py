"""An in-memory ``InboxSource`` for the intake tests: versions are content hashes, every read is
recorded, and a read of a changed file fails as the real sources do."""

from __future__ import annotations

import hashlib

from linkedin_assets.resources.inbox_source import InboxFile, InboxFileChanged, Listing


class MemoryInbox:
    description = "memory"

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.reports: dict[str, str] = {}
        self.reads: list[tuple[str, int, int]] = []  # (file, offset, length)

    def version(self, name: str) -> str:
        return hashlib.sha256(self.files[name]).hexdigest()[:16]

    def listing(self) -> Listing:
        return Listing({n: InboxFile(self.version(n), len(d)) for n, d in self.files.items()})

    def read(self, name: str, version: str, offset: int, length: int) -> bytes:
        self.reads.append((name, offset, length))
        if name not in self.files or self.version(name) != version:
            raise InboxFileChanged(f"{name} changed while it was being read")
        return self.files[name][offset : offset + length]

    def write_report(self, name: str, content: str) -> str:
        self.reports[name] = content
        return f"memory/_rejects/{name}"
