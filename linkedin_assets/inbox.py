"""Inbox files of profile URLs: parsing, and the cursor that remembers what was read (pure).

Files are ``.txt`` (one URL a line; blank lines and ``#`` comment lines ignored) or ``.csv`` with a
header that has a ``url`` column and optionally a ``status`` column. A UTF-8 byte-order mark and
CRLF line ends are fine (lines end at LF, CRLF or CR, nothing else). Every rejected line is
reported with its file, line number, input and reason; the good lines of the same file still count,
also after a malformed CSV record such as an unbalanced quote. A file that is not UTF-8 text is
rejected whole, once: the cursor remembers its version so it is not read again until it changes.
A file with no profile URL at all (empty, only comments) is reported too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field

from linkedin_assets.errors import InvalidProfileUrl
from linkedin_assets.profile_ids import profile_id_from_url

SUFFIXES = (".txt", ".csv")
MAX_LINE_CHARS = 4096
STATUS_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,39}")
# A cell a spreadsheet would run as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Each unbalanced quote costs a re-read of the rest of a CSV file; past this many, stop.
MAX_CSV_RESTARTS = 100


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


def parse_file(name: str, data: bytes, start_line: int = 0) -> ParsedFile:
    """Parse one inbox file; lines before ``start_line`` (already taken in) are skipped."""
    parsed = ParsedFile(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        parsed.rejected.append(
            Rejected(
                name,
                0,
                f"<{len(data)} bytes>",
                f"file is not UTF-8 text ({exc.reason} at byte {exc.start})",
            )
        )
        return parsed
    rows = _csv_rows(name, text) if name.lower().endswith(".csv") else _txt_rows(text)
    for line, url, status in rows:
        if line <= start_line:
            continue
        if isinstance(url, Rejected):
            parsed.rejected.append(url)
            continue
        entry_or_reject = _entry(name, line, url, status)
        target = parsed.entries if isinstance(entry_or_reject, InboxEntry) else parsed.rejected
        target.append(entry_or_reject)  # type: ignore[arg-type]
    if start_line == 0 and not parsed.entries and not parsed.rejected:
        # An empty (or all-comment) file is almost always a failed export; silence would hide it.
        parsed.rejected.append(
            Rejected(
                name,
                0,
                f"<{len(data)} bytes>",
                "file has no profile URLs (it is empty or holds only blank lines, comments "
                "or a header)",
            )
        )
    return parsed


def _physical_lines(text: str) -> list[str]:
    """Lines ended by LF, CRLF or CR only, endings kept. ``str.splitlines`` also breaks at VT, FF,
    FS/GS/RS, NEL, U+2028 and U+2029, which would cut ``…/in/john\x0bdoe`` into an accepted
    ``…/in/john`` instead of rejecting the control character."""
    return io.StringIO(text, newline="").readlines()


def _shown_lines(lines: list[str], first: int, last: int) -> str:
    text = "".join(lines[first - 1 : last]).rstrip("\r\n")
    return text if len(text) <= 200 else text[:200] + "…"


def _txt_rows(text: str) -> Iterator[tuple[int, str, str | None]]:
    for number, raw in enumerate(_physical_lines(text), 1):
        stripped = raw.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped, None


def _csv_rows(name: str, text: str) -> Iterator[tuple[int, str | Rejected, str | None]]:
    """Rows of a CSV file. Malformed records are rejected one by one and reading goes on: the csv
    module raises on them (a field over its size limit, a quote left open or text after a closing
    quote), and an uncaught ``csv.Error`` would lose the whole file."""
    lines = _physical_lines(text)
    header: list[str] | None = None
    start = 0  # the reader reads lines[start:]
    for _ in range(MAX_CSV_RESTARTS + 1):
        # strict: a quote left open or text after a closing quote is an error, not a guess.
        reader = csv.reader(lines[start:], strict=True)
        while True:
            first = start + reader.line_num + 1  # the line the next record starts on
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                last = start + reader.line_num
                message = str(exc)
                at_end = "unexpected end of data" in message
                if not at_end and (last == first or "field limit" in message):
                    reason = f"malformed CSV record ({message})"
                    yield last, Rejected(name, last, _shown_lines(lines, first, last), reason), None
                    continue
                # A quote opened on line `first` swallowed the lines after it: blame that line
                # alone and read on from the next, so the good lines after it still count.
                runs = "is never closed" if at_end else f"runs into line {last} ({message})"
                reason = f"unbalanced quote: the quoted field opened on line {first} {runs}"
                yield first, Rejected(name, first, _shown_lines(lines, first, first), reason), None
                start = first
                break
            number = start + reader.line_num
            if header is None:
                if not any(cell.strip() for cell in row):
                    continue
                header = [cell.strip().lower() for cell in row]
                shown = ",".join(row)[:200]
                if "url" not in header:
                    yield (
                        number,
                        Rejected(name, number, shown, "CSV header has no 'url' column"),
                        None,
                    )
                    return
                # dict(zip(...)) would silently take the last of two 'url' columns.
                for column in ("url", "status"):
                    if header.count(column) > 1:
                        reason = f"CSV header has {header.count(column)} {column!r} columns"
                        yield number, Rejected(name, number, shown, reason), None
                        return
                continue
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            cells = dict(zip(header, row, strict=False))
            yield number, cells.get("url", ""), cells.get("status")
    if start < len(lines):
        reason = f"more than {MAX_CSV_RESTARTS} unbalanced quotes: the rest of the file is not read"
        yield (
            start + 1,
            Rejected(name, start + 1, _shown_lines(lines, start + 1, start + 1), reason),
            None,
        )


def _entry(name: str, line: int, url: str, status: str | None) -> InboxEntry | Rejected:
    shown = url if len(url) <= 200 else url[:200] + "…"
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


def rejects_csv(rejected: Iterable[Rejected]) -> str:
    """The rejects report, a CSV row per rejected line; inputs neutralised for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "line", "input", "reason"])
    for r in rejected:
        safe_input = "'" + r.input if r.input.startswith(FORMULA_PREFIXES) else r.input
        writer.writerow([r.file, r.line, safe_input, r.reason])
    return out.getvalue()


@dataclass
class InboxCursor:
    """What the sensor has read: each file's version when done, or how far into a file it got."""

    done: dict[str, str] = field(default_factory=dict)  # file -> version fully taken in
    partial: dict[str, tuple[str, int]] = field(default_factory=dict)  # file -> (version, line)

    @classmethod
    def load(cls, raw: str | None) -> InboxCursor:
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(
            done=dict(data.get("done", {})),
            partial={k: (v[0], int(v[1])) for k, v in data.get("partial", {}).items()},
        )

    def dump(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    def to_read(self, listing: Mapping[str, str]) -> list[tuple[str, str, int]]:
        """``(file, version, start_line)`` for new or changed files, in name order."""
        pending = []
        for name in sorted(listing):
            version = listing[name]
            if self.done.get(name) == version:
                continue
            partial = self.partial.get(name)
            start = partial[1] if partial and partial[0] == version else 0
            pending.append((name, version, start))
        return pending

    def finish(self, name: str, version: str) -> None:
        self.done[name] = version
        self.partial.pop(name, None)

    def stop_at(self, name: str, version: str, line: int) -> None:
        self.partial[name] = (version, line)

    def forget_missing(self, listing: Mapping[str, str]) -> None:
        """Drop files no longer in the inbox, so the cursor does not grow forever."""
        for name in [n for n in self.done if n not in listing]:
            del self.done[name]
        for name in [n for n in self.partial if n not in listing]:
            del self.partial[name]
