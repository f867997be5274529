import csv
import io
import json
from dataclasses import asdict

import pytest

from linkedin_assets.core import inbox_lines
from linkedin_assets.core.inbox import (
    BlockReader,
    InboxCursor,
    InboxEntry,
    Position,
    Rejected,
    clean_status,
    is_inbox_file,
    parse_file,
    rejects_csv,
    shown_name,
    take_file,
)


def ids(parsed) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.profile_id for e in parsed.entries]


def test_txt_with_comments_blank_lines_bom_and_crlf() -> None:
    data = "\ufeff# leads from the search app\r\nhttps://www.linkedin.com/in/ada-l/\r\n\r\n  linkedin.com/in/alan-t  \r\n#x\r\n".encode()
    parsed = parse_file("leads.txt", data)
    assert ids(parsed) == ["ada-l", "alan-t"]
    assert [e.line for e in parsed.entries] == [2, 4]
    assert parsed.rejected == []


def test_duplicates_within_a_file_are_all_entries_with_one_id() -> None:
    data = b"https://www.linkedin.com/in/Ada-L\nhttps://de.linkedin.com/in/ada-l/?trk=x\n"
    assert ids(parse_file("a.txt", data)) == ["ada-l", "ada-l"]


def test_bad_lines_are_reported_and_good_ones_kept() -> None:
    data = (
        b"https://www.linkedin.com/in/ada-l\nnot a url\nhttps://evil.test/in/x\n"
        + b"x" * 5000
        + b"\nhttps://www.linkedin.com/in/bad\x00nul\nlinkedin.com/in/alan-t\n"
    )
    parsed = parse_file("a.txt", data)
    assert ids(parsed) == ["ada-l", "alan-t"]
    lines = {r.line: r for r in parsed.rejected}
    assert set(lines) == {2, 3, 4, 5}
    assert "evil.test" in lines[3].reason
    assert "5000 characters" in lines[4].reason and len(lines[4].input) < 300
    assert all(r.file == "a.txt" for r in parsed.rejected)


def test_csv_with_url_and_status_columns_in_any_order_and_case() -> None:
    data = b"Status, URL ,name\r\npossible,https://www.linkedin.com/in/ada-l/,Ada\r\n,linkedin.com/in/alan-t,Alan\r\n"
    parsed = parse_file("leads.csv", data)
    assert [(e.profile_id, e.status, e.line) for e in parsed.entries] == [
        ("ada-l", "possible", 2),
        ("alan-t", None, 3),
    ]


def test_csv_quoted_fields_with_commas_and_newlines() -> None:
    data = b'url,status,note\n"https://www.linkedin.com/in/ada-l/",qualified,"met at, a ""fair""\nsecond line"\nlinkedin.com/in/alan-t,,\n'
    parsed = parse_file("leads.csv", data)
    assert [(e.profile_id, e.status) for e in parsed.entries] == [
        ("ada-l", "qualified"),
        ("alan-t", None),
    ]
    assert parsed.entries[1].line == 4  # the line number where the record ends, as csv counts


def test_csv_without_url_column_is_rejected_whole() -> None:
    parsed = parse_file("leads.csv", b"link,status\nhttps://www.linkedin.com/in/ada-l/,x\n")
    assert parsed.entries == []
    assert parsed.rejected[0].reason == "CSV header has no 'url' column"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (b'=HYPERLINK("http://evil.test"),x', "spreadsheet formula"),
        (b"https://www.linkedin.com/in/ada-l/,=cmd|' /C calc'!A0", "spreadsheet formula"),
        (b"https://www.linkedin.com/in/ada-l/,has space", "must be 1-40 letters"),
        (b"https://www.linkedin.com/in/ada-l/," + b"s" * 41, "must be 1-40 letters"),
        (b",possible", "empty"),
    ],
)
def test_csv_bad_rows(row: bytes, reason: str) -> None:
    parsed = parse_file("leads.csv", b"url,status\n" + row + b"\n")
    assert parsed.entries == []
    assert reason in parsed.rejected[0].reason


def test_non_utf8_file_is_rejected_whole_with_a_reason() -> None:
    parsed = parse_file("latin1.txt", "https://www.linkedin.com/in/jürgen\n".encode("latin-1"))
    assert parsed.entries == []
    assert parsed.rejected[0].line == 0 and "not UTF-8" in parsed.rejected[0].reason


def test_start_line_skips_what_was_already_taken() -> None:
    data = b"linkedin.com/in/aaa-1\nlinkedin.com/in/bbb-2\nlinkedin.com/in/ccc-3\n"
    assert ids(parse_file("a.txt", data, start_line=2)) == ["ccc-3"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", True),
        ("b.CSV", True),
        ("c.json", False),
        (".hidden.txt", False),
        ("_rejects", False),
        ("x.txt.swp", False),
    ],
)
def test_which_files_are_inputs(name: str, expected: bool) -> None:
    assert is_inbox_file(name) is expected


def test_status_rules() -> None:
    assert clean_status(" Possible ") == "possible"
    assert clean_status("") is None and clean_status(None) is None
    with pytest.raises(ValueError, match="formula"):
        clean_status("+1")


def test_rejects_report_neutralises_formulas() -> None:
    parsed = parse_file("a.csv", b'url\n=HYPERLINK("x")\n')
    report = rejects_csv(parsed.rejected)
    assert report.splitlines()[0] == "file,line,input,reason"
    assert "'=HYPERLINK" in report


def test_cursor_keeps_positions_and_forgets_missing_files() -> None:
    cursor = InboxCursor()
    cursor.finish("a.txt", "v1")
    cursor.stop_at("b.csv", Position("v1", offset=1234, line=50, items=49, columns=(1, None)))
    cursor.waiting["c.txt"] = ("v1", 100.5)
    cursor.skipped["d.txt"] = "not a regular file (a FIFO): skipped, never read"
    loaded = InboxCursor.load(cursor.dump())
    assert loaded == cursor
    assert loaded.position("b.csv", "v1") == Position("v1", 1234, 50, 49, (1, None))
    assert loaded.position("b.csv", "v2") is None  # changed: read again from the start
    loaded.forget_missing({"b.csv"})
    assert (loaded.done, loaded.waiting, loaded.skipped) == ({}, {}, {})
    assert list(loaded.partial) == ["b.csv"]
    assert InboxCursor.load(None) == InboxCursor()


def test_a_format_1_cursor_goes_on_after_the_line_it_stopped_at() -> None:
    # What a deployed sensor holds from before byte offsets: [version, line].
    old = json.dumps({"done": {"a.txt": "v9"}, "partial": {"b.csv": ["v1", 6]}})
    cursor = InboxCursor.load(old)
    data = b"url,status\n" + b"".join(b"linkedin.com/in/person-%03d,\n" % n for n in range(10))
    position = cursor.position("b.csv", "v1")
    assert position is not None and cursor.done == {"a.txt": "v9"}
    taken = take_file("b.csv", reader(data), len(data), position, max_lines=4, max_bytes=10**6)
    position = Position.from_json(json.loads(json.dumps(asdict(taken.position))))
    rest = take_file("b.csv", reader(data), len(data), position, max_lines=100, max_bytes=10**6)
    got = [item.profile_id for item in [*taken.items, *rest.items]]  # type: ignore[union-attr]
    assert got == [f"person-{n:03d}" for n in range(5, 10)]  # line 6 was person-004
    assert rest.finished and not [i for i in rest.items if isinstance(i, Rejected)]


def reader(data: bytes) -> BlockReader:
    return lambda offset, length: data[offset : offset + length]


def test_rejects_report_neutralises_the_file_name_too() -> None:
    # Whoever drops a file chooses its name: "=cmd|' /C calc'!A0.txt" is a formula in Excel.
    report = rejects_csv([Rejected("=cmd|' /C calc'!A0.txt", 2, "x", "malformed host 'x'")])
    [row] = list(csv.reader(io.StringIO(report)))[1:]
    assert row[0] == "'=cmd|' /C calc'!A0.txt"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


@pytest.mark.parametrize(
    ("name", "shown"),
    [("leads.txt", "leads.txt"), ("a b.csv", "a b.csv"), ("a\nb.txt", "'a\\nb.txt'"),
     ("x\x1b[31m.txt", "'x\\x1b[31m.txt'"), ("a\u2028b.txt", "'a\\u2028b.txt'")],
)  # fmt: skip
def test_file_names_are_shown_on_one_line(name: str, shown: str) -> None:
    assert shown_name(name) == shown and "\n" not in shown_name(name)


# Files whose reading must not depend on where blocks or ticks cut them.
LONG = b"https://www.linkedin.com/in/" + b"a" * 40_000
FILES: dict[str, bytes] = {
    "lf.txt": b"# leads\nlinkedin.com/in/ada-l\n\nnot a url\nlinkedin.com/in/alan-t\n",
    "crlf.txt": b"\xef\xbb\xbflinkedin.com/in/ada-l\r\n\r\nlinkedin.com/in/alan-t\r\nx\r\n",
    "cr.txt": b"linkedin.com/in/ada-l\rnope\r\rlinkedin.com/in/alan-t\r",
    "mixed.txt": b"linkedin.com/in/ada-l\r\nlinkedin.com/in/bob-b\rlinkedin.com/in/cy-c\nlast/in/x",
    "long.txt": b"linkedin.com/in/ada-l\n" + LONG + b"\r\n" + LONG + b"\rlinkedin.com/in/alan-t\n",
    "long-end.txt": b"linkedin.com/in/ada-l\n" + LONG,
    "cr.csv": b"\xef\xbb\xbfURL,Status\rlinkedin.com/in/ada-l,possible\r,x\rlinkedin.com/in/alan-t,\r",
    "notes.csv": (
        b'url,status,note\r\nlinkedin.com/in/ada-l,possible,"two\r\nlines"\r\n'
        b'"linkedin.com/in/bob-b,possible\r\nlinkedin.com/in/cy-c,,"a ""q"" note"\r\n'
        b"linkedin.com/in/dee-d,qualified,\r\n"
    ),
    "bad-utf8.txt": b"linkedin.com/in/ada-l\n" * 7000 + b"linkedin.com/in/j\xfcrgen\nlinkedin.com/in/zed-z\n",
}  # fmt: skip


def take_all(name: str, data: bytes, max_lines: int) -> tuple[list[object], int]:
    items: list[object] = []
    position, ticks = Position("v1"), 0
    while True:
        ticks += 1
        taken = take_file(name, reader(data), len(data), position, max_lines=max_lines,
                          max_bytes=10**9)  # fmt: skip
        items += taken.items
        # Through the cursor's JSON, as between two sensor ticks.
        position = Position.from_json(json.loads(json.dumps(asdict(taken.position))))
        if taken.finished:
            return items, ticks
        assert ticks < 20_000


@pytest.mark.parametrize("name", sorted(FILES))
@pytest.mark.parametrize(("block", "max_lines"), [(1, 1), (2, 3), (3, 1000), (7, 2), (64, 5)])
def test_reading_in_small_blocks_over_many_ticks_gives_what_one_read_gives(
    monkeypatch: pytest.MonkeyPatch, name: str, block: int, max_lines: int
) -> None:
    data = FILES[name]
    expected, _ = take_all(name, data, 10**9)
    monkeypatch.setattr(inbox_lines, "BLOCK_BYTES", block)
    got, _ = take_all(name, data, max_lines)
    assert got == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cr.txt", [(1, "ada-l"), (2, "nope"), (4, "alan-t")]),
        ("crlf.txt", [(1, "ada-l"), (3, "alan-t"), (4, "x")]),
        ("mixed.txt", [(1, "ada-l"), (2, "bob-b"), (3, "cy-c"), (4, "host 'last'")]),
        ("long.txt", [(1, "ada-l"), (2, "40028 bytes"), (3, "40028 bytes"), (4, "alan-t")]),
        ("long-end.txt", [(1, "ada-l"), (2, "40028 bytes")]),
        ("cr.csv", [(2, "ada-l"), (3, "empty"), (4, "alan-t")]),
        ("notes.csv", [(3, "ada-l"), (4, "unbalanced quote"), (5, "cy-c"), (6, "dee-d")]),
        ("bad-utf8.txt", [(7001, "not UTF-8"), (7002, "zed-z")]),
    ],
)
def test_line_endings_long_lines_and_late_bad_bytes_cost_only_their_line(
    name: str, expected: list[tuple[int, str]]
) -> None:
    items, _ = take_all(name, FILES[name], 10**9)
    shown = [
        (i.line, i.profile_id if isinstance(i, InboxEntry) else i.reason)  # type: ignore[attr-defined]
        for i in items
    ]
    tail = shown[-len(expected) :] if name == "bad-utf8.txt" else shown
    assert len(tail) == len(expected)
    for (line, what), (want_line, want) in zip(tail, expected, strict=True):
        assert line == want_line and want in what, (line, what)


def test_a_file_whose_start_is_not_utf8_is_rejected_whole_once() -> None:
    data = "linkedin.com/in/ada-l\n".encode("utf-16")
    items, ticks = take_all("u16.txt", data, 1)
    assert ticks == 1 and [(i.line, "not UTF-8" in i.reason) for i in items] == [(0, True)]  # type: ignore[attr-defined]


def test_rejects_report_is_exact_csv_with_newline_rows_and_plain_cells_untouched() -> None:
    report = rejects_csv(
        [
            Rejected("leads.txt", 3, "not a url", "malformed host 'not a url'"),
            Rejected("leads.txt", 4, "-1", "looks like a spreadsheet formula, not a URL"),
        ]
    )
    assert report == (
        "file,line,input,reason\n"
        "leads.txt,3,not a url,malformed host 'not a url'\n"
        'leads.txt,4,\'-1,"looks like a spreadsheet formula, not a URL"\n'
    )
