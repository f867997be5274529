"""The physical lines of an inbox file (`core/inbox_lines.py`): each line whole (number, end
offset, text, problem), and the same lines whatever the block size."""

from __future__ import annotations

import pytest

from linkedin_assets.core import inbox_lines
from linkedin_assets.core.inbox_lines import Line, PhysicalLines, shortened


def read_all(
    data: bytes, offset: int = 0, line: int = 0, size: int | None = None
) -> tuple[list[Line], PhysicalLines]:
    lines = PhysicalLines(
        lambda at, length: data[at : at + length],
        len(data) if size is None else size,
        offset,
        line,
    )
    got = []
    while not lines.at_end():
        got.append(lines.pop())
    return got, lines


def test_lf_crlf_and_cr_end_lines_and_the_bom_is_dropped() -> None:
    got, lines = read_all(b"\xef\xbb\xbfa\r\nb\rc\n\nd")
    assert got == [
        Line(1, 6, "a"),  # the BOM's three bytes count in the offset
        Line(2, 8, "b"),
        Line(3, 10, "c"),
        Line(4, 11, ""),
        Line(5, 12, "d"),  # the last line needs no break
    ]
    assert (lines.offset, lines.line, lines.bytes_read) == (12, 5, 12)


def test_a_bom_after_the_first_line_is_text() -> None:
    got, _ = read_all(b"a\n\xef\xbb\xbfb\n")
    assert got == [Line(1, 2, "a"), Line(2, 7, "\ufeffb")]


def test_a_line_that_is_not_utf8_carries_its_problem_not_its_bytes() -> None:
    got, _ = read_all(b"ok\n\xff\xfeab\n")
    assert got == [
        Line(1, 3, "ok"),
        Line(
            2, 8, "<4 bytes>", "line is not UTF-8 text (invalid start byte at byte 0 of the line)"
        ),
    ]


def test_an_over_long_line_is_measured_and_shown_shortened() -> None:
    size = inbox_lines.MAX_LINE_BYTES + 1
    got, _ = read_all(b"x" * size + b"\r\nnext")
    problem = f"line is {size} bytes long (at most 4096 characters)"
    assert got == [Line(1, size + 2, "x" * 200 + "…", problem), Line(2, size + 6, "next")]
    # At the limit it is an ordinary line.
    limit = inbox_lines.MAX_LINE_BYTES
    got, _ = read_all(b"y" * limit + b"\n")
    assert got == [Line(1, limit + 1, "y" * limit)]


def test_a_bom_first_line_longer_than_a_block_is_measured_without_its_bom() -> None:
    # Longer than a block, the line is measured as it streams past rather than held whole.
    size = inbox_lines.BLOCK_BYTES + 10
    got, _ = read_all(inbox_lines.BOM + b"x" * size + b"\nnext")
    problem = f"line is {size} bytes long (at most 4096 characters)"
    assert got == [Line(1, size + 4, "x" * 200 + "…", problem), Line(2, size + 8, "next")]


def test_reading_from_an_offset_numbers_on_from_the_given_line() -> None:
    got, lines = read_all(b"\xef\xbb\xbfbc\ndef\nghi", offset=6, line=7)
    assert got == [Line(8, 10, "def"), Line(9, 13, "ghi")]
    assert (lines.offset, lines.line, lines.bytes_read) == (13, 9, 7)


def test_a_file_shorter_than_listed_ends_where_its_bytes_end() -> None:
    got, lines = read_all(b"abc\nde", size=100)
    assert got == [Line(1, 4, "abc"), Line(2, 6, "de")]
    assert (lines.offset, lines.bytes_read) == (6, 6)


def test_peek_looks_ahead_without_taking() -> None:
    lines = PhysicalLines(lambda at, length: b"a\nb\nc"[at : at + length], 5, 0, 0)
    assert lines.peek(2) == Line(3, 5, "c")
    assert lines.peek(3) is None
    assert lines.peek() == Line(1, 2, "a")
    assert (lines.offset, lines.line) == (0, 0)
    assert lines.pop() == Line(1, 2, "a")
    assert (lines.offset, lines.line) == (2, 1)
    assert not lines.at_end()


def test_shortened_keeps_200_characters() -> None:
    assert shortened("a" * 200) == "a" * 200
    assert shortened("a" * 201) == "a" * 200 + "…"


# Lines ending every way, over-long lines (more than 8 bytes here) ending every way and at the end
# of the file, CRs at every position a block can end.
FILES = [
    b"ab\r\ncd\ref\ngh",
    b"\r\r\n\n\r",
    b"0123456789ab\r\nshort\n0123456789\rx\n",
    b"0123456789abcdef\r",
    b"0123456789abcdef\r\n",
    b"s\n0123456789abcdef",
    b"0123456789\r0123456789\n0123456789\r\n",
    b"\xef\xbb\xbfok\r\n0123456789\r\nok\n",
    b"a\xffb\r\n\xc3\xa9\r",
]


@pytest.mark.parametrize("data", FILES)
@pytest.mark.parametrize("block", [1, 2, 3, 5, 8, 13])
def test_the_lines_are_the_same_whatever_the_block_size(
    monkeypatch: pytest.MonkeyPatch, data: bytes, block: int
) -> None:
    monkeypatch.setattr(inbox_lines, "MAX_LINE_BYTES", 8)
    whole, _ = read_all(data)
    monkeypatch.setattr(inbox_lines, "BLOCK_BYTES", block)
    got, lines = read_all(data)
    # An over-long line shows its start as far as the block that found it too long: with real
    # sizes (1 MiB blocks, 16 KiB lines) always more than the 200 characters shown, here not.
    assert [(line.number, line.end, line.problem) for line in got] == [
        (line.number, line.end, line.problem) for line in whole
    ]
    assert [line.text for line in got if line.problem is None] == [
        line.text for line in whole if line.problem is None
    ]
    assert lines.bytes_read == len(data)
    # Every line ends where the next starts, the last at the end of the file.
    assert [line.end for line in got][-1] == len(data)
    assert [line.number for line in got] == list(range(1, len(got) + 1))
