"""Inbox CSV paths the larger tables leave out: a quote still open after ``MAX_RECORD_LINES``,
many unbalanced quotes in a row, CR-only line endings inside and outside quoted notes, and a
header with two ``status`` columns."""

from __future__ import annotations

import pytest

from linkedin_assets.core.inbox import MAX_RECORD_LINES, parse_file


def entries(data: bytes, name: str = "leads.csv") -> list[tuple[int, str, str | None]]:
    return [(e.line, e.profile_id, e.status) for e in parse_file(name, data).entries]


def rejected(data: bytes, name: str = "leads.csv") -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in parse_file(name, data).rejected]


def test_a_quote_open_for_more_than_the_record_limit_costs_only_its_line() -> None:
    # A note opened on line 2 and never closed; what follows are lines with no quote at all,
    # more of them than a note may span. Only line 2 is lost.
    body = [b"url,status,note", b'linkedin.com/in/ada-l,possible,"a note that never ends']
    body += [f"linkedin.com/in/p-{n:02d},,plain".encode() for n in range(MAX_RECORD_LINES + 5)]
    data = b"\n".join(body) + b"\n"
    assert rejected(data) == [
        (
            2,
            "unbalanced quote: the quoted field opened on line 2 is not closed within "
            f"{MAX_RECORD_LINES} lines",
        )
    ]
    assert [pid for _, pid, _ in entries(data)] == [
        f"p-{n:02d}" for n in range(MAX_RECORD_LINES + 5)
    ]


def test_a_quote_open_at_the_end_of_the_file_is_never_closed() -> None:
    data = b'url,note\nlinkedin.com/in/ada-l,"open\nlinkedin.com/in/alan-t,x\n'
    assert rejected(data) == [
        (2, "unbalanced quote: the quoted field opened on line 2 is never closed")
    ]
    assert entries(data) == [(3, "alan-t", None)]


def test_many_unbalanced_quotes_in_a_row_each_cost_their_own_line_only() -> None:
    lines = [b"url,status"] + [f'"linkedin.com/in/bad-{n:02d},x'.encode() for n in range(30)]
    lines.append(b"linkedin.com/in/good-one,possible")
    data = b"\n".join(lines) + b"\n"
    assert [line for line, _ in rejected(data)] == list(range(2, 32))
    assert all(reason.startswith("unbalanced quote") for _, reason in rejected(data))
    assert entries(data) == [(32, "good-one", "possible")]


@pytest.mark.parametrize("ending", [b"\r", b"\r\n", b"\n"])
def test_cr_only_line_endings_read_as_any_other(ending: bytes) -> None:
    data = ending.join(
        [
            b"URL,Status,Note",
            b'linkedin.com/in/ada-l,possible,"a note' + ending + b'over two lines"',
            b"linkedin.com/in/alan-t,qualified,",
            b"",
        ]
    )
    assert entries(data) == [(3, "ada-l", "possible"), (4, "alan-t", "qualified")]
    assert rejected(data) == []


def test_a_cr_only_txt_file_numbers_its_lines() -> None:
    data = b"linkedin.com/in/ada-l\r\rnot a url\rlinkedin.com/in/alan-t"
    assert entries(data, "leads.txt") == [(1, "ada-l", None), (4, "alan-t", None)]
    assert [line for line, _ in rejected(data, "leads.txt")] == [3]


@pytest.mark.parametrize(
    ("header", "count"), [(b"url,status,Status", 2), (b"STATUS,url,status,status", 3)]
)
def test_two_status_columns_reject_the_file_at_its_header(header: bytes, count: int) -> None:
    data = header + b"\nlinkedin.com/in/ada-l,possible,qualified\nlinkedin.com/in/alan-t,x,y\n"
    parsed = parse_file("leads.csv", data)
    assert parsed.entries == []  # neither column is guessed at
    [(line, reason)] = [(r.line, r.reason) for r in parsed.rejected]
    assert (line, reason) == (1, f"CSV header has {count} 'status' columns")
    assert parsed.rejected[0].input == header.decode()
