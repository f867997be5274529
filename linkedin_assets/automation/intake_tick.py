"""One look at the inbox: which files are new, changed or unfinished, which profiles they bring,
what was rejected, what must wait, and where the cursor moves to (pure but for the source).

A file is taken only once it is complete: it ends with a line break, or its version has not
changed for ``stable_after_s`` (a last line cut off mid-write would otherwise register the wrong
person). A file that cannot be read this time (an S3 connection error, a file changed between the
listing and the read, a permission) is left as it was for the next tick: the cursor does not move,
and the failure is named in ``retrying``. Each tick reads at most ``max_lines`` lines and about
``max_bytes`` bytes, from where the cursor stopped.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from linkedin_assets.core.inbox import (
    InboxCursor,
    InboxEntry,
    Position,
    Rejected,
    rejects_csv,
    take_file,
)
from linkedin_assets.errors import StorageError
from linkedin_assets.resources.inbox_source import InboxFile, InboxSource, NotRegularFile

DEFAULT_STABLE_AFTER_S = 60.0
# Bytes one tick reads at most (between lines; an over-long line is read through to its end).
MAX_BYTES_PER_TICK = 64 * 1024 * 1024


@dataclass
class IntakeTick:
    cursor: InboxCursor
    new_ids: list[str] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)  # last status given per profile
    rejected: list[Rejected] = field(default_factory=list)
    reports: dict[str, str] = field(default_factory=dict)  # file -> where its rejects went
    report_failures: dict[str, str] = field(default_factory=dict)  # file -> why not written
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why), newly skipped
    waiting: list[str] = field(default_factory=list)  # not complete yet
    retrying: list[tuple[str, str]] = field(default_factory=list)  # (file, read error)
    lines_taken: int = 0
    bytes_read: int = 0
    duplicates: int = 0
    more_waiting: bool = False


def _is_complete(
    source: InboxSource,
    name: str,
    info: InboxFile,
    cursor: InboxCursor,
    now: float,
    stable_after_s: float,
) -> bool:
    if info.size and source.read(name, info.version, info.size - 1, 1) in (b"\n", b"\r"):
        cursor.waiting.pop(name, None)
        return True
    seen = cursor.waiting.get(name)
    if seen is None or seen[0] != info.version:
        seen = (info.version, now)
        cursor.waiting[name] = seen
    if now - seen[1] >= stable_after_s:
        cursor.waiting.pop(name, None)
        return True
    return False


def take_in(
    source: InboxSource,
    cursor: InboxCursor,
    existing: set[str],
    max_lines: int,
    *,
    stable_after_s: float = DEFAULT_STABLE_AFTER_S,
    clock: Callable[[], float] = time.time,
    max_bytes: int = MAX_BYTES_PER_TICK,
) -> IntakeTick:
    """Read complete files that are new, changed or half-read; the rest waits for a next tick."""
    listing = source.listing()
    cursor.forget_missing({*listing.files, *listing.skipped})
    tick = IntakeTick(cursor)
    for name, reason in sorted(listing.skipped.items()):
        if cursor.skipped.get(name) != reason:
            tick.skipped.append((name, reason))  # logged once, not every tick
    cursor.skipped = dict(listing.skipped)
    seen = set(existing)
    now = clock()
    for name in sorted(listing.files):
        info = listing.files[name]
        if cursor.done.get(name) == info.version:
            continue
        if tick.lines_taken >= max_lines or tick.bytes_read >= max_bytes:
            tick.more_waiting = True
            break
        position = cursor.position(name, info.version)
        try:
            if position is None:
                if not _is_complete(source, name, info, cursor, now, stable_after_s):
                    tick.waiting.append(name)
                    continue
                position = Position(info.version)
            taken = take_file(
                name,
                functools.partial(source.read, name, info.version),
                info.size,
                position,
                max_lines=max_lines - tick.lines_taken,
                max_bytes=max_bytes - tick.bytes_read,
            )
        except NotRegularFile as exc:  # swapped for a symlink or FIFO after the listing
            cursor.skipped[name] = exc.reason
            tick.skipped.append((name, exc.reason))
            continue
        except (OSError, StorageError) as exc:
            # Nothing of this file is kept from this tick, and the cursor stays: all of it is
            # read again next time.
            tick.retrying.append((name, str(exc)))
            continue
        tick.lines_taken += taken.lines
        tick.bytes_read += taken.bytes_read
        tick.files.append(name)
        for item in taken.items:
            if isinstance(item, Rejected):
                tick.rejected.append(item)
                continue
            _count(tick, seen, item)
        if taken.finished:
            cursor.finish(name, info.version)
        else:
            cursor.stop_at(name, taken.position)
            tick.more_waiting = True
        file_rejects = [r for r in taken.items if isinstance(r, Rejected)]
        if file_rejects:
            start = max(position.line, position.skip_to)
            report = (
                f"{name}.rejects.csv"
                if start == 0 and taken.finished
                else f"{name}.from-line-{start + 1}.rejects.csv"
            )
            try:
                tick.reports[name] = source.write_report(report, rejects_csv(file_rejects))
            except (OSError, StorageError) as exc:
                tick.report_failures[name] = str(exc)
    return tick


def _count(tick: IntakeTick, seen: set[str], entry: InboxEntry) -> None:
    if entry.status:
        tick.statuses[entry.profile_id] = entry.status
    if entry.profile_id in seen:
        tick.duplicates += 1
    else:
        seen.add(entry.profile_id)
        tick.new_ids.append(entry.profile_id)
