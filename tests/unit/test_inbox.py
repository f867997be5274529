import pytest

from linkedin_assets.inbox import (
    InboxCursor,
    clean_status,
    is_inbox_file,
    parse_file,
    rejects_csv,
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


def test_cursor_reads_new_and_changed_files_and_resumes_partial_ones() -> None:
    cursor = InboxCursor()
    listing = {"b.txt": "v1", "a.txt": "v1"}
    assert cursor.to_read(listing) == [("a.txt", "v1", 0), ("b.txt", "v1", 0)]
    cursor.finish("a.txt", "v1")
    cursor.stop_at("b.txt", "v1", 500)
    cursor = InboxCursor.load(cursor.dump())
    assert cursor.to_read(listing) == [("b.txt", "v1", 500)]
    assert cursor.to_read({"a.txt": "v2", "b.txt": "v2"}) == [
        ("a.txt", "v2", 0),
        ("b.txt", "v2", 0),
    ]
    cursor.forget_missing({"b.txt": "v1"})
    assert "a.txt" not in cursor.done
    assert InboxCursor.load(None).dump() == InboxCursor().dump()
