"""The physical lines of a file, read from a byte offset a block at a time (pure).

Lines end at LF, CRLF or CR (``bytes.splitlines``: unlike ``str.splitlines`` it does not also break
at VT, FF, NEL or U+2028, which would cut ``…/in/john\x0bdoe`` into an accepted ``…/in/john``).
A CRLF split across two blocks is one line break. A line longer than ``MAX_LINE_BYTES`` is
measured, never held whole; a line that is not UTF-8 carries its problem instead of its text. Each
line knows the byte offset after it, which is what the cursor keeps.
"""

from __future__ import annotations

import codecs
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# (offset, length) -> the file's bytes from offset: ``length`` of them, fewer only at its end.
BlockReader = Callable[[int, int], bytes]

# Bytes read from a source at a time (one ranged GET on S3).
BLOCK_BYTES = 1024 * 1024
# Lines longer than this are not decoded or kept, only measured: memory stays bounded.
MAX_LINE_BYTES = 16 * 1024
MAX_LINE_CHARS = 4096
BOM = codecs.BOM_UTF8


def shortened(text: str) -> str:
    return text if len(text) <= 200 else text[:200] + "…"


@dataclass(frozen=True)
class Line:
    number: int
    end: int  # the byte offset after its line break
    text: str  # without the line break; for a line with a problem, what may be shown of it
    problem: str | None = None  # too long or not UTF-8: the line is rejected for it


class PhysicalLines:
    """The physical lines of a file from a byte offset, read a block at a time, with look-ahead."""

    def __init__(self, read: BlockReader, size: int, offset: int, line: int) -> None:
        self._read = read
        self._size = size
        self._next = offset  # the next byte to fetch
        self._carry = b""  # an unfinished line from the last block
        self._long: tuple[bytes, int] | None = None  # an over-long line: its start, its length
        self._pending_cr = False  # that line ended at a CR: an LF right after it ends it too
        self._ahead: deque[Line] = deque()
        self.offset = offset  # after the last popped line
        self.line = line
        self._numbered = line
        self._line_start = offset
        self.bytes_read = 0

    def peek(self, k: int = 0) -> Line | None:
        while len(self._ahead) <= k and self._next < self._size:
            self._fetch()
        return self._ahead[k] if k < len(self._ahead) else None

    def pop(self) -> Line:
        line = self._ahead.popleft()
        self.offset, self.line = line.end, line.number
        return line

    def at_end(self) -> bool:
        return self.peek() is None

    def _fetch(self) -> None:
        data = self._read(self._next, min(BLOCK_BYTES, self._size - self._next))
        if not data:  # shorter than listed: the file ended early
            self._size = self._next
        self._next += len(data)
        self.bytes_read += len(data)
        at_end = self._next >= self._size
        if self._long is not None:
            data = self._go_on_long(data, at_end)
        buffer = self._carry + data
        self._carry = b""
        pieces = buffer.splitlines(keepends=True)
        for i, piece in enumerate(pieces):
            if i == len(pieces) - 1 and not at_end and not piece.endswith(b"\n"):
                # Unfinished, or a CR whose LF may start the next block.
                if len(piece) > MAX_LINE_BYTES:
                    ends_cr = piece.endswith(b"\r")
                    self._long = (piece[:1024], len(piece) - ends_cr)
                    self._pending_cr = ends_cr
                else:
                    self._carry = piece
                break
            self._emit(piece)
        if at_end and self._long is not None:
            self._emit_long(1 if self._pending_cr else 0)
            self._pending_cr = False

    def _go_on_long(self, data: bytes, at_end: bool) -> bytes:
        """Skip through an over-long line; return what follows its line break."""
        assert self._long is not None
        if self._pending_cr:  # the line ended at a CR, the last byte of the last block
            self._pending_cr = False
            if data.startswith(b"\n"):
                self._emit_long(2)
                return data[1:]
            self._emit_long(1)
            return data
        ends = [i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0]
        if not ends:
            self._long = (self._long[0], self._long[1] + len(data))
            return b""
        cut = min(ends)
        self._long = (self._long[0], self._long[1] + cut)
        if data[cut : cut + 2] == b"\r\n":
            self._emit_long(2)
            return data[cut + 2 :]
        if data[cut : cut + 1] == b"\r" and cut == len(data) - 1 and not at_end:
            # Emitted with the next block: its end offset depends on whether an LF follows.
            self._pending_cr = True
            return b""
        self._emit_long(1)
        return data[cut + 1 :]

    def _emit_long(self, ending: int) -> None:
        assert self._long is not None
        start, length = self._long
        self._long = None
        self._numbered += 1
        end = self._line_start + length + ending
        if self._line_start == 0 and start.startswith(BOM):  # as `_emit` does: not the line's
            start, length = start[len(BOM) :], length - len(BOM)
        shown = shortened(start.decode("utf-8", errors="replace"))
        problem = f"line is {length} bytes long (at most {MAX_LINE_CHARS} characters)"
        self._ahead.append(Line(self._numbered, end, shown, problem))
        self._line_start = end

    def _emit(self, piece: bytes) -> None:
        self._numbered += 1
        end = self._line_start + len(piece)
        raw = piece.rstrip(b"\r\n") if piece.endswith((b"\n", b"\r")) else piece
        if self._line_start == 0 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
        if len(raw) > MAX_LINE_BYTES:
            shown = shortened(raw[:1024].decode("utf-8", errors="replace"))
            problem = f"line is {len(raw)} bytes long (at most {MAX_LINE_CHARS} characters)"
            line = Line(self._numbered, end, shown, problem)
        else:
            try:
                line = Line(self._numbered, end, raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                problem = f"line is not UTF-8 text ({exc.reason} at byte {exc.start} of the line)"
                line = Line(self._numbered, end, f"<{len(raw)} bytes>", problem)
        self._ahead.append(line)
        self._line_start = end
