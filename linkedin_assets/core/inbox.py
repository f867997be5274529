"""Inbox files of profile URLs: their records, rules and rejects, from a byte offset (pure).

Files are ``.txt`` (one URL a line; blank lines and ``#`` comment lines ignored) or ``.csv`` with a
header that has a ``url`` column and optionally a ``status`` column. A UTF-8 byte-order mark is
fine; lines end at LF, CRLF or CR, nothing else. Every rejected line is reported with its file, line
number, input and reason, and costs only itself:

- a CSV quote left open costs only the line it opened on (a quoted field may run over at most
  ``MAX_RECORD_LINES`` lines, and never inside the ``url`` or ``status`` cell);
- a line longer than ``inbox_lines.MAX_LINE_BYTES`` is measured without being held in memory;
- a file whose first ``FIRST_WINDOW`` bytes are not UTF-8 is another encoding and is rejected whole,
  once; a later line that is not UTF-8 is rejected alone.

A file with no profile URL at all (empty, only comments) is reported too. ``take_file`` reads a file
through a ``BlockReader`` from a ``Position`` and stops after a number of lines or bytes, so a tick
costs what it takes, whatever the size of the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from linkedin_assets.core.inbox_cursor import InboxCursor, Position
from linkedin_assets.core.inbox_lines import (
    MAX_LINE_CHARS,
    BlockReader,
    PhysicalLines,
    shortened,
)
from linkedin_assets.core.profile_ids import profile_id_from_url
from linkedin_assets.errors import InvalidProfileUrl

__all__ = [
    "BlockReader",
    "FileTake",
    "InboxCursor",
    "InboxEntry",
    "ParsedFile",
    "Position",
    "Rejected",
    "clean_status",
    "is_inbox_file",
    "parse_file",
    "rejects_csv",
    "shown_name",
    "take_file",
]

SUFFIXES = (".txt", ".csv")
# A quoted CSV field (a note) may run over this many lines; a quote still open after it was
# never meant to be closed there, and costs only the line it opened on.
MAX_RECORD_LINES = 20
# The start of a file that must be UTF-8 for the file to be read at all.
FIRST_WINDOW = 64 * 1024
STATUS_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,39}")
# A cell a spreadsheet would run as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class InboxEntry:
    file: str
    line: int
    url: str
    profile_id: str
    status: str | None


@dataclass(frozen=True)
class Rejected:
    file: str
    line: int
    input: str
    reason: str


@dataclass
class ParsedFile:
    name: str
    entries: list[InboxEntry] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def is_inbox_file(name: str) -> bool:
    """Top-level ``.txt``/``.csv`` files; hidden, ``_``-prefixed and report files are not inputs."""
    base = name.rsplit("/", 1)[-1]
    return base.lower().endswith(SUFFIXES) and not base.startswith((".", "_"))


def shown_name(name: str) -> str:
    """A file name fit for a log line: as is, or ``repr`` if it holds a line break, an escape
    sequence or another unprintable character (a name could otherwise forge log lines)."""
    return name if name.isprintable() else repr(name)


def clean_status(raw: str | None) -> str | None:
    """A lead status (``possible``, ``qualified`` …) or ``None``; ``ValueError`` if malformed."""
    if raw is None or not raw.strip():
        return None
    status = raw.strip()
    if status.startswith(FORMULA_PREFIXES):
        raise ValueError(f"status {status[:40]!r} looks like a spreadsheet formula")
    status = status.lower()
    if not STATUS_PATTERN.fullmatch(status):
        raise ValueError(
            f"status {status[:40]!r} must be 1-40 letters, digits, '-' or '_', "
            "starting with a letter"
        )
    return status


@dataclass
class _State:
    columns: tuple[int, int | None] | None
    ended: bool = False  # a bad CSV header: the rest of the file is not read


def _txt_items(name: str, lines: PhysicalLines) -> Iterator[InboxEntry | Rejected | None]:
    """An entry or reject per line, ``None`` for a line that is no input (blank, comment)."""
    while (line := lines.peek()) is not None:
        lines.pop()
        if line.problem:
            yield Rejected(name, line.number, line.text, line.problem)
            continue
        stripped = line.text.strip()
        yield _entry(name, line.number, stripped) if stripped and stripped[0] != "#" else None


def _csv_record(lines: PhysicalLines) -> tuple[list[str] | None, int, str | None]:
    """The next CSV record: ``(cells, lines it spans, None)``, or ``(None, 1, reason)`` to reject
    its first line alone."""
    first = lines.peek()
    assert first is not None
    if '"' not in first.text:  # nothing quoted: the csv module would only split at commas
        return first.text.split(","), 1, None
    texts: list[str] = []
    for k in range(MAX_RECORD_LINES):
        line = lines.peek(k)
        if line is None or line.problem:
            return (
                None,
                1,
                f"unbalanced quote: the quoted field opened on line {first.number} is never closed",
            )
        texts.append(line.text + "\n")
        try:
            # strict: a quote left open or text after a closing quote is an error, not a guess.
            row = next(csv.reader(texts, strict=True))
        except csv.Error as exc:
            message = str(exc)
            if "unexpected end of data" in message:
                continue  # the quote is still open: the field goes on on the next line
            if k == 0:
                return None, 1, f"malformed CSV record ({message})"
            return (
                None,
                1,
                (
                    f"unbalanced quote: the quoted field opened on line {first.number} runs into "
                    f"line {line.number} ({message})"
                ),
            )
        return row, k + 1, None
    return (
        None,
        1,
        (
            f"unbalanced quote: the quoted field opened on line {first.number} is not closed "
            f"within {MAX_RECORD_LINES} lines"
        ),
    )


def _header(name: str, number: int, row: list[str], state: _State) -> Rejected | None:
    header = [cell.strip().lower() for cell in row]
    shown = shortened(",".join(row))
    if "url" not in header:
        return Rejected(name, number, shown, "CSV header has no 'url' column")
    # Taking the first or the last of two 'url' (or 'status') columns would be a silent guess.
    for column in ("url", "status"):
        if header.count(column) > 1:
            reason = f"CSV header has {header.count(column)} {column!r} columns"
            return Rejected(name, number, shown, reason)
    status = header.index("status") if "status" in header else None
    state.columns = (header.index("url"), status)
    return None


def _csv_items(
    name: str, lines: PhysicalLines, state: _State
) -> Iterator[InboxEntry | Rejected | None]:
    while (first := lines.peek()) is not None:
        if first.problem:
            lines.pop()
            yield Rejected(name, first.number, first.text, first.problem)
            continue
        if not first.text.strip():
            lines.pop()
            yield None
            continue
        row, spans, reason = _csv_record(lines)
        if row is None:
            lines.pop()
            yield Rejected(name, first.number, shortened(first.text), reason or "")
            continue
        if state.columns is None:
            for _ in range(spans):
                last = lines.pop()
            if not any(cell.strip() for cell in row):
                yield None
                continue
            rejected = _header(name, last.number, row, state)
            if rejected is not None:
                state.ended = True
                yield rejected
                return
            yield None
            continue
        url_at, status_at = state.columns
        url = row[url_at] if url_at < len(row) else ""
        status = row[status_at] if status_at is not None and status_at < len(row) else None
        reason = _runaway_quote(lines, first.number, spans, url, status, url_at)
        if reason is not None:
            lines.pop()
            yield Rejected(name, first.number, shortened(first.text), reason)
            continue
        for _ in range(spans):
            last = lines.pop()
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            yield None
            continue
        yield _entry(name, last.number, url, status)


def _runaway_quote(
    lines: PhysicalLines, opened: int, spans: int, url: str, status: str | None, url_at: int
) -> str | None:
    """Why a record over several lines is a quote opened by mistake, or ``None`` for a real
    multi-line note. A URL or a status never holds a line break, and a note does not swallow a
    line that holds a profile URL of its own."""
    if spans == 1:
        return None
    if "\n" in url or "\n" in (status or ""):
        return (
            f"unbalanced quote: the quoted field opened on line {opened} is not closed on that line"
        )
    for k in range(1, spans):
        line = lines.peek(k)
        assert line is not None
        try:
            cells = next(csv.reader([line.text]))  # not strict: what the line says on its own
            profile_id_from_url(cells[url_at])
        except (csv.Error, IndexError, StopIteration, ValueError):
            continue
        return (
            f"unbalanced quote: the quoted field opened on line {opened} would swallow line "
            f"{line.number}, which holds a profile URL of its own"
        )
    return None


def _entry(name: str, line: int, url: str, status: str | None = None) -> InboxEntry | Rejected:
    shown = shortened(url)
    if len(url) > MAX_LINE_CHARS:
        return Rejected(
            name, line, shown, f"line is {len(url)} characters long (at most {MAX_LINE_CHARS})"
        )
    if url.startswith(FORMULA_PREFIXES):
        return Rejected(name, line, shown, "looks like a spreadsheet formula, not a URL")
    try:
        profile_id = profile_id_from_url(url)
        return InboxEntry(name, line, url.strip(), profile_id, clean_status(status))
    except InvalidProfileUrl as exc:
        return Rejected(name, line, shown, exc.reason)
    except ValueError as exc:
        return Rejected(name, line, shown, str(exc))


def _not_utf8(read: BlockReader, size: int) -> str | None:
    """Why the start of the file is not UTF-8 text, or ``None``."""
    window = read(0, min(size, FIRST_WINDOW))
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # Not final inside a longer file: the window may end inside a character.
        decoder.decode(window, final=size <= FIRST_WINDOW)
    except UnicodeDecodeError as exc:
        return f"file is not UTF-8 text ({exc.reason} at byte {exc.start})"
    return None


@dataclass
class FileTake:
    """What one look at a file took: its items in line order, and where the next look starts."""

    items: list[InboxEntry | Rejected]
    position: Position
    finished: bool
    lines: int = 0  # physical lines consumed
    bytes_read: int = 0


def take_file(
    name: str,
    read: BlockReader,
    size: int,
    position: Position,
    *,
    max_lines: int,
    max_bytes: int,
) -> FileTake:
    """Read ``name`` from ``position`` until its end, ``max_lines`` physical lines (blank and
    comment lines count: they cost reading too) or about ``max_bytes`` bytes."""
    if position.offset == 0 and position.skip_to == 0 and size:
        reason = _not_utf8(read, size)
        if reason is not None:
            rejected = Rejected(name, 0, f"<{size} bytes>", reason)
            end = replace(position, offset=size, items=position.items + 1)
            return FileTake([rejected], end, True, bytes_read=min(size, FIRST_WINDOW))
    lines = PhysicalLines(read, size, position.offset, position.line)
    state = _State(position.columns)
    is_csv = name.lower().endswith(".csv")
    produce = _csv_items(name, lines, state) if is_csv else _txt_items(name, lines)
    items: list[InboxEntry | Rejected] = []
    for item in produce:
        if item is not None and item.line > position.skip_to:
            items.append(item)
        if lines.line - position.line >= max_lines or lines.offset - position.offset >= max_bytes:
            break
    finished = state.ended or lines.at_end()
    total = position.items + len(items)
    if finished and total == 0:
        # An empty (or all-comment) file is almost always a failed export; silence would hide it.
        reason = (
            "file has no profile URLs (it is empty or holds only blank lines, comments or a header)"
        )
        items.append(Rejected(name, 0, f"<{size} bytes>", reason))
    end = Position(
        position.version,
        offset=lines.offset,
        line=lines.line,
        items=total,
        columns=state.columns,
        skip_to=position.skip_to if position.skip_to > lines.line else 0,
    )
    return FileTake(items, end, finished, lines.line - position.line, lines.bytes_read)


def parse_file(name: str, data: bytes, start_line: int = 0) -> ParsedFile:
    """Parse a whole inbox file held in memory; records ending on or before ``start_line`` (taken
    in already) are skipped."""
    start = Position("", items=1 if start_line else 0, skip_to=start_line)
    taken = take_file(
        name,
        lambda offset, length: data[offset : offset + length],
        len(data),
        start,
        max_lines=len(data) + 1,
        max_bytes=len(data) + 1,
    )
    parsed = ParsedFile(name)
    for item in taken.items:
        if isinstance(item, InboxEntry):
            parsed.entries.append(item)
        else:
            parsed.rejected.append(item)
    return parsed


def _cell(value: str) -> str:
    """A spreadsheet would run a cell starting like a formula: prefix it with ``'``."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def rejects_csv(rejected: Iterable[Rejected]) -> str:
    """The rejects report, a CSV row per rejected line; every text cell neutralised for
    spreadsheets (the file name too: it is chosen by whoever drops the file)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "line", "input", "reason"])
    for r in rejected:
        writer.writerow([_cell(r.file), r.line, _cell(r.input), _cell(r.reason)])
    return out.getvalue()
