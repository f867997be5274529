"""One look at the inbox: which files are new or changed, which profiles they bring (pure but for
reading the source), what was rejected, and where the cursor moves to."""

from __future__ import annotations

from dataclasses import dataclass, field

from linkedin_assets.errors import StorageError
from linkedin_assets.inbox import (
    InboxCursor,
    InboxEntry,
    ParsedFile,
    Rejected,
    parse_file,
    rejects_csv,
)
from linkedin_assets.resources.inbox_source import InboxSource


@dataclass
class IntakeTick:
    cursor: InboxCursor
    new_ids: list[str] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)  # last status given per profile
    rejected: list[Rejected] = field(default_factory=list)
    reports: dict[str, str] = field(default_factory=dict)  # file -> where its rejects went
    files: list[str] = field(default_factory=list)
    lines_taken: int = 0
    duplicates: int = 0
    more_waiting: bool = False


def take_in(
    source: InboxSource, cursor: InboxCursor, existing: set[str], max_lines: int
) -> IntakeTick:
    """Read new or changed files (at most ``max_lines`` lines; the rest waits for the next tick)."""
    listing = source.listing()
    cursor.forget_missing(listing)
    tick = IntakeTick(cursor)
    seen = set(existing)
    for name, version, start in cursor.to_read(listing):
        if tick.lines_taken >= max_lines:
            tick.more_waiting = True
            break
        try:
            data = source.read(name)
        except (OSError, StorageError) as exc:
            # Reported once, like a file that is not UTF-8: retried only when the file changes.
            data = None
            failure = Rejected(name, 0, name, f"file could not be read: {exc}")
        parsed = (
            parse_file(name, data, start_line=start)
            if data is not None
            else ParsedFile(name, rejected=[failure])
        )
        items: list[InboxEntry | Rejected] = sorted(
            [*parsed.entries, *parsed.rejected], key=lambda item: item.line
        )
        budget = max_lines - tick.lines_taken
        taken, rest = items[:budget], items[budget:]
        for item in taken:
            if isinstance(item, Rejected):
                tick.rejected.append(item)
                continue
            if item.status:
                tick.statuses[item.profile_id] = item.status
            if item.profile_id in seen:
                tick.duplicates += 1
            else:
                seen.add(item.profile_id)
                tick.new_ids.append(item.profile_id)
        tick.lines_taken += len(taken)
        tick.files.append(name)
        file_rejects = [r for r in taken if isinstance(r, Rejected)]
        if rest:
            cursor.stop_at(name, version, taken[-1].line if taken else start)
            tick.more_waiting = True
        else:
            cursor.finish(name, version)
        if file_rejects:
            report = (
                f"{name}.rejects.csv"
                if start == 0 and not rest
                else (f"{name}.from-line-{start + 1}.rejects.csv")
            )
            tick.reports[name] = source.write_report(report, rejects_csv(file_rejects))
    return tick
