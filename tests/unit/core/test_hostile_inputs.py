"""Hostile and malformed profile URLs and inbox lines: every one is rejected with a reason naming
what is wrong, nothing crashes, and the good lines around a bad one still count.

Each row is ``(where, raw, reason)``:

- ``url``: ``raw`` goes to ``profile_id_from_url``, which may only raise ``InvalidProfileUrl``.
- ``txt`` / ``csv``: ``raw`` is one line of an inbox file, between two good lines (after a
  ``url,status`` header for csv); exactly that line is rejected and both good lines are accepted.
- ``txt-file`` / ``csv-file``: ``raw`` is the whole file, which yields no entry and one rejection.

``parse_file`` never raises, so any exception fails the row.
"""

from __future__ import annotations

import pytest

from linkedin_assets.core.inbox import parse_file
from linkedin_assets.core.profile_ids import InvalidProfileUrl, profile_id_from_url

MAX_REASON = 1_000  # no reason or message may echo a long input back
MAX_SHOWN_INPUT = 201  # the rejected input is cut to 200 characters plus "…"

TXT_GOOD = ("https://www.linkedin.com/in/ada-l", "linkedin.com/in/alan-t")
CSV_GOOD = ("https://www.linkedin.com/in/ada-l,possible", "linkedin.com/in/alan-t,")
GOOD_IDS = ["ada-l", "alan-t"]

TEN_KB = "https://www.linkedin.com/in/" + "a" * 10_000
ONE_MB = "https://www.linkedin.com/in/" + "a" * 1_000_000
GOOD_TXT_BYTES = b"https://www.linkedin.com/in/ada-l\n"

ROWS: list[tuple[str, str | bytes, str]] = [
    # --- other hosts and look-alikes
    ("url", "https://linkedin.com.evil.test/in/john-doe", "not a LinkedIn host"),
    ("url", "https://evil-linkedin.com/in/john-doe", "not a LinkedIn host"),
    ("url", "https://www.linkedin.com.evil.test./in/john-doe", "not a LinkedIn host"),
    ("url", "https://xn--linkedn-wfb.com/in/john-doe", "punycode host"),  # linkedın (dotless ı)
    ("url", "https://www.xn--lnkedin-rog.com/in/john-doe", "punycode host"),  # Cyrillic і
    ("url", "https://l\u0456nkedin.com/in/john-doe", "non-ASCII host"),  # Cyrillic і, raw
    ("url", "https://www.linked\u0456n.com/in/john-doe", "non-ASCII host"),
    ("url", "https://\uff4cinkedin.com/in/john-doe", "non-ASCII host"),  # fullwidth ｌ
    ("url", "https://linkedin.com@evil.test/in/john-doe", "user info"),
    ("url", "https://www.linkedin.com:443@evil.test/in/john-doe", "user info"),
    ("url", "https://lnkd.in/gXyZ123", "lnkd.in short link"),
    ("url", "lnkd.in/abc", "lnkd.in short link"),
    ("url", "https://[::1]/in/john-doe", "malformed host"),
    ("url", "https://www.linkedin.com:8080/in/john-doe", "port 8080"),
    ("url", "https://" + "a" * 2_000 + ".com/in/x", "is not a LinkedIn host"),
    # --- schemes
    ("url", "javascript:alert(document.cookie)", "scheme 'javascript'"),
    ("url", "JAVASCRIPT://www.linkedin.com/in/john-doe", "scheme 'javascript'"),
    ("url", "data:text/html,<script>alert(1)</script>", "scheme 'data'"),
    ("url", "file:///etc/passwd", "scheme 'file'"),
    ("url", "ftp://www.linkedin.com/in/john-doe", "scheme 'ftp'"),
    # --- paths that are not member profiles
    ("url", "https://www.linkedin.com/company/acme", "a company page"),
    ("url", "https://www.linkedin.com/school/mit/", "a school page"),
    ("url", "https://www.linkedin.com/feed/", "the news feed"),
    ("url", "https://www.linkedin.com/in/me/", "viewer's own alias"),
    ("url", "https://www.linkedin.com/sales/lead/ACwAAA123,NAME_SEARCH,x1", "Sales Navigator"),
    ("url", "https://www.linkedin.com/in/", "no profile slug after /in/"),
    ("url", "https://www.linkedin.com/" + "x" * 2_000, "is not a member-profile path"),
    # --- slug length
    ("url", "https://www.linkedin.com/in/ab", "shorter than 3"),
    ("url", "https://www.linkedin.com/in/" + "a" * 101, "longer than 100"),
    ("url", "https://www.linkedin.com/in/" + "%C3%BC" * 101, "longer than 100"),
    # --- traversal, encoded slashes and backslashes, double encoding
    ("url", "https://www.linkedin.com/in/..", "path traversal"),
    ("url", "https://www.linkedin.com/in/%2e%2e", "path traversal"),
    ("url", "https://www.linkedin.com/in/%2E%2e/company/acme", "path traversal"),
    ("url", "https://www.linkedin.com/in/john-doe/%2e%2e/%2e%2e/company/x", "path traversal"),
    ("url", "https://www.linkedin.com/in/john%2Fdoe", "slash or backslash in slug"),
    ("url", "https://www.linkedin.com/in/john%5Cdoe", "slash or backslash in slug"),
    ("url", "https://www.linkedin.com/in/john\\doe", "backslash in input"),
    ("url", "https://www.linkedin.com\\@evil.test/in/john-doe", "backslash in input"),
    ("url", "https://www.linkedin.com/in/john%252Fdoe", "double percent-encoding"),
    ("url", "https://www.linkedin.com/in/%252e%252e", "double percent-encoding"),
    ("url", "https://www.linkedin.com/in/john-doe/details/%2F", "is not plain ASCII"),
    ("url", "https://www.linkedin.com/in/john%", "invalid percent-encoding"),
    ("url", "https://www.linkedin.com/in/%C0%AF%C0%AF%C0%AF", "not valid UTF-8"),  # overlong '/'
    # --- control characters, NUL, spaces, invisible characters
    ("url", "https://www.linkedin.com/in/john\x00doe", "control character U+0000"),
    ("url", "https://www.linkedin.com/in/john%00doe", "control character U+0000 in slug"),
    ("url", "https://www.linkedin.com/in/john\tdoe", "control character U+0009"),
    ("url", "https://www.linkedin.com/in/john\rdoe", "control character U+000D"),
    ("url", "https://www.linkedin.com/in/\x1b[31mjohn-doe\x1b[0m", "control character U+001B"),
    ("url", "https://www.linkedin.com/in/john%1B%5B31mdoe", "control character U+001B in slug"),
    ("url", "https://www.linkedin.com/in/john doe", "space U+0020"),
    ("url", "https://www.linkedin.com/in/john%20doe", "space U+0020"),
    ("url", "https://www.linkedin.com/in/john\u200bdoe", "ZERO WIDTH SPACE"),
    ("url", "https://www.linkedin.com/in/%E2%80%AEeod-nhoj", "RIGHT-TO-LEFT OVERRIDE"),
    ("url", "   \t ", "empty or blank input"),
    ("url", b"https://www.linkedin.com/in/john-doe", "expected a str, got bytes"),
    # --- markup
    ("url", "https://www.linkedin.com/in/<script>alert(1)</script>", "markup character '<'"),
    ("url", 'https://www.linkedin.com/in/"><img src=x onerror=alert(1)>', "markup character '\"'"),
    ("url", "https://www.linkedin.com/in/john'doe", 'markup character "\'"'),
    ("url", "https://www.linkedin.com/in/%3Cscript%3E", "markup character '<'"),
    ("url", '"><img src=x onerror=alert(1)>', "malformed host"),
    # --- very long input: refused before parsing, not echoed
    ("url", TEN_KB, "10028 characters, over 2048"),
    ("url", ONE_MB, "1000028 characters, over 2048"),
    # --- inbox .txt lines, each between two good lines
    ("txt", "https://linkedin.com.evil.test/in/john-doe", "not a LinkedIn host"),
    ("txt", "https://xn--linkedn-wfb.com/in/john-doe", "punycode host"),
    ("txt", "https://l\u0456nkedin.com/in/john-doe", "non-ASCII host"),
    ("txt", "https://linkedin.com@evil.test/in/x", "user info"),
    ("txt", "https://lnkd.in/gXyZ", "lnkd.in short link"),
    ("txt", "javascript:alert(1)", "scheme 'javascript'"),
    ("txt", "data:text/html;base64,PHNjcmlwdD4=", "scheme 'data'"),
    ("txt", "https://www.linkedin.com/company/acme/", "a company page"),
    ("txt", "https://www.linkedin.com/in/%2E%2e", "path traversal"),
    ("txt", "https://www.linkedin.com/in/john%2fdoe", "slash or backslash in slug"),
    ("txt", b"https://www.linkedin.com/in/bad\x00nul", "control character U+0000"),
    # str.splitlines() would have cut these into ".../in/john" (accepted) and "doe".
    ("txt", "https://www.linkedin.com/in/john\x0bdoe", "control character U+000B"),
    ("txt", "https://www.linkedin.com/in/john\x0cdoe", "control character U+000C"),
    ("txt", "https://www.linkedin.com/in/john\x1cdoe", "control character U+001C"),
    ("txt", "https://www.linkedin.com/in/john\x85doe", "control character U+0085"),
    ("txt", "https://www.linkedin.com/in/john\u2028doe", "space U+2028"),
    ("txt", "https://www.linkedin.com/in/\x1b[31mjohn\x1b[0m", "control character U+001B"),
    ("txt", "https://www.linkedin.com/in/john doe", "space U+0020"),
    ("txt", "https://www.linkedin.com/in/ada-l # a note", "space U+0020"),
    ("txt", "<script>alert(1)</script>", "malformed host"),
    ("txt", '"><img src=x onerror=alert(1)>', "malformed host"),
    ("txt", "x" * 10_000, "line is 10000 characters long (at most 4096)"),
    # Over 16 KiB a line is measured, not decoded or kept.
    ("txt", ONE_MB, "line is 1000028 bytes long (at most 4096 characters)"),
    ("txt", '=HYPERLINK("http://evil.test","x")', "spreadsheet formula"),
    ("txt", "+cmd|' /C calc'!A0", "spreadsheet formula"),
    ("txt", "-2+3", "spreadsheet formula"),
    ("txt", "@SUM(1)", "spreadsheet formula"),
    ("txt", "\t=1", "spreadsheet formula"),
    # --- inbox .csv rows, each between two good rows
    ("csv", "https://evil-linkedin.com/in/john-doe,possible", "not a LinkedIn host"),
    ("csv", "https://linkedin.com@evil.test/in/x,possible", "user info"),
    ("csv", "file:///etc/passwd,possible", "scheme 'file'"),
    ("csv", "ftp://www.linkedin.com/in/john-doe,possible", "scheme 'ftp'"),
    ("csv", "https://www.linkedin.com/school/mit/,possible", "a school page"),
    ("csv", "https://www.linkedin.com/in/me,possible", "viewer's own alias"),
    ("csv", "https://www.linkedin.com/in/%3Cscript%3E,possible", "markup character '<'"),
    ("csv", "https://www.linkedin.com/in/john\x1b[31mdoe,possible", "control character U+001B"),
    ("csv", b"https://www.linkedin.com/in/bad\x00nul,possible", "control character U+0000"),
    ("csv", b"https://www.linkedin.com/in/bob-b,poss\x00ible", "must be 1-40 letters"),
    ("csv", ",possible", "empty or blank input"),
    ("csv", '"=HYPERLINK(""http://evil.test"",""x"")",possible', "spreadsheet formula"),
    ("csv", "\t=1,possible", "spreadsheet formula"),
    ("csv", "https://www.linkedin.com/in/bob-b,+cmd", "status '+cmd' looks like a spreadsheet"),
    ("csv", "https://www.linkedin.com/in/bob-b,-2+3", "status '-2+3' looks like a spreadsheet"),
    ("csv", "https://www.linkedin.com/in/bob-b,@SUM(1)", "looks like a spreadsheet formula"),
    ("csv", "https://www.linkedin.com/in/bob-b,\t=1", "status '=1' looks like a spreadsheet"),
    ("csv", "https://www.linkedin.com/in/bob-b,<script>", "must be 1-40 letters"),
    ("csv", '"https://www.linkedin.com/in/bob-b,possible', "unbalanced quote"),
    ("csv", 'https://www.linkedin.com/in/bob-b,"possible', "unbalanced quote"),
    ("csv", '"https://www.linkedin.com/in/bob-b"x,possible', "malformed CSV record"),
    ("csv", TEN_KB + ",possible", "line is 10028 characters long (at most 4096)"),
    ("csv", ONE_MB + ",possible", "line is 1000037 bytes long (at most 4096 characters)"),
    # --- whole files
    ("txt-file", b"", "file has no profile URLs"),
    ("csv-file", b"", "file has no profile URLs"),
    ("txt-file", b"# leads from the fair\n\n   \n# nothing yet\n", "file has no profile URLs"),
    ("csv-file", b"url,status\n# nothing yet\n\n", "file has no profile URLs"),
    ("csv-file", b"# only\n# comments\n", "CSV header has no 'url' column"),
    ("csv-file", b"link,status\nhttps://www.linkedin.com/in/ada-l,x\n", "no 'url' column"),
    ("csv-file", b"url,status,url\nlinkedin.com/in/ada-l,x,https://evil.test/in/x\n", "2 'url'"),
    ("csv-file", b"url,status,Status\nlinkedin.com/in/ada-l,x,y\n", "2 'status' columns"),
    (
        "txt-file",
        GOOD_TXT_BYTES + "https://www.linkedin.com/in/jürgen\n".encode("latin-1") + GOOD_TXT_BYTES,
        "file is not UTF-8 text",
    ),
    (
        "csv-file",
        b"url,status\n" + GOOD_TXT_BYTES + "linkedin.com/in/jürgen,x\n".encode("latin-1"),
        "file is not UTF-8 text",
    ),
    ("txt-file", "https://www.linkedin.com/in/ada-l\n".encode("utf-16"), "not UTF-8 text"),
    # Without a BOM, UTF-16 is valid UTF-8 full of NULs, and the line is rejected for them.
    (
        "txt-file",
        "https://www.linkedin.com/in/ada-l".encode("utf-16-le"),
        "control character U+0000",
    ),
    ("txt-file", GOOD_TXT_BYTES + b"https://www.linkedin.com/in/\xc0\xaf-x\n", "not UTF-8 text"),
    ("txt-file", GOOD_TXT_BYTES + b"https://www.linkedin.com/in/\xed\xa0\x80x\n", "not UTF-8 text"),
]


def _file(where: str, raw: str | bytes) -> tuple[str, bytes, list[str]]:
    """(file name, file bytes, the profile IDs its good lines must give)."""
    kind, _, scope = where.partition("-")
    data = raw.encode() if isinstance(raw, str) else raw
    if scope == "file":
        return f"hostile.{kind}", data, []
    if kind == "txt":
        before, after = (line.encode() for line in TXT_GOOD)
        return "hostile.txt", b"\n".join([before, data, after]) + b"\n", GOOD_IDS
    before, after = (line.encode() for line in CSV_GOOD)
    return "hostile.csv", b"\n".join([b"url,status", before, data, after]) + b"\n", GOOD_IDS


def _text(raw: str | bytes) -> str:
    return raw if isinstance(raw, str) else raw.decode("utf-8", errors="replace")


def _label(index: int, where: str, raw: str | bytes) -> str:
    text = repr(raw)
    return f"{index:03d}-{where}-{text[:40]}{'…' if len(text) > 40 else ''}"


@pytest.mark.parametrize(
    ("where", "raw", "reason"),
    ROWS,
    ids=[_label(i, where, raw) for i, (where, raw, _) in enumerate(ROWS)],
)
def test_hostile_input_is_rejected_with_a_clear_reason(
    where: str, raw: str | bytes, reason: str
) -> None:
    if where == "url":
        with pytest.raises(InvalidProfileUrl) as info:
            profile_id_from_url(raw)  # type: ignore[arg-type]
        assert reason in info.value.reason
        assert len(str(info.value)) < MAX_REASON
        return
    name, data, good_ids = _file(where, raw)
    parsed = parse_file(name, data)
    assert [e.profile_id for e in parsed.entries] == good_ids
    assert len(parsed.rejected) == 1, parsed.rejected
    (rejected,) = parsed.rejected
    assert reason in rejected.reason
    assert rejected.file == name
    if where in ("txt", "csv"):
        assert rejected.line >= {"txt": 2, "csv": 3}[where]  # the bad line, not a good one
    assert len(rejected.reason) < MAX_REASON
    assert len(rejected.input) <= MAX_SHOWN_INPUT


@pytest.mark.parametrize("kind", ["txt", "csv"])
def test_many_bad_lines_between_good_ones_keep_every_good_line(kind: str) -> None:
    # An odd number of quotes opens a field that runs into the next lines: that is CSV, so
    # those rows are checked one at a time above.
    bad = [raw for where, raw, _ in ROWS if where == kind and _text(raw).count('"') % 2 == 0]
    good = TXT_GOOD if kind == "txt" else CSV_GOOD
    lines: list[bytes] = [b"url,status"] if kind == "csv" else []
    for raw in bad:
        lines += [good[0].encode(), raw.encode() if isinstance(raw, str) else raw]
    lines.append(good[1].encode())
    parsed = parse_file(f"mixed.{kind}", b"\n".join(lines) + b"\n")
    assert [e.profile_id for e in parsed.entries] == ["ada-l"] * len(bad) + ["alan-t"]
    assert len(parsed.rejected) == len(bad)


def test_unbalanced_quote_costs_only_its_own_line() -> None:
    data = (
        b"url,status,note\n"
        b'https://www.linkedin.com/in/ada-l,possible,"a note\nover two lines"\n'
        b'"https://www.linkedin.com/in/bob-b,possible\n'
        b"linkedin.com/in/alan-t,qualified,\n"
        b'linkedin.com/in/cy-sample,,"another ""quoted"" note"\n'
    )
    parsed = parse_file("quotes.csv", data)
    assert [(e.line, e.profile_id, e.status) for e in parsed.entries] == [
        (3, "ada-l", "possible"),
        (5, "alan-t", "qualified"),
        (6, "cy-sample", None),
    ]
    (rejected,) = parsed.rejected
    assert rejected.line == 4 and rejected.input == '"https://www.linkedin.com/in/bob-b,possible'
    assert rejected.reason.startswith("unbalanced quote: the quoted field opened on line 4 runs")


def test_unbalanced_quote_at_the_end_is_never_closed() -> None:
    data = b'url,status\nhttps://www.linkedin.com/in/ada-l,"possible\n'
    parsed = parse_file("quotes.csv", data)
    assert parsed.entries == []
    assert [(r.line, r.reason) for r in parsed.rejected] == [
        (2, "unbalanced quote: the quoted field opened on line 2 is never closed")
    ]


def test_a_quote_never_closed_before_ten_thousand_good_lines_costs_only_its_own_line() -> None:
    # Once lost 2,978 of these lines silently: the open field ran on until the csv module's
    # field limit, and only that line was reported.
    good = [f"https://www.linkedin.com/in/member-{n:05d}/,possible" for n in range(10_000)]
    data = "\n".join(["url,status", CSV_GOOD[0], '"https://www.linkedin.com/in/bob-b,x', *good])
    parsed = parse_file("leads.csv", (data + "\n").encode())
    assert [e.profile_id for e in parsed.entries] == ["ada-l"] + [
        f"member-{n:05d}" for n in range(10_000)
    ]
    [rejected] = parsed.rejected
    assert rejected.line == 3 and rejected.reason.startswith("unbalanced quote")


@pytest.mark.parametrize("column", ["url", "status", "note"])
def test_many_unbalanced_quotes_each_cost_only_their_own_line(column: str) -> None:
    # Once: after 100 of them, the rest of the file was not read.
    lines = ["url,status,note"]
    for n in range(300):
        cells = {
            "url": f"https://www.linkedin.com/in/bad-{n:03d}",
            "status": "possible",
            "note": "",
        }
        cells[column] = '"' + cells[column]
        lines += [",".join(cells.values()), f"https://www.linkedin.com/in/good-{n:03d},,"]
    parsed = parse_file("quotes.csv", ("\n".join(lines) + "\n").encode())
    good = [e.profile_id for e in parsed.entries if e.profile_id.startswith("good-")]
    assert good == [f"good-{n:03d}" for n in range(300)]
    assert len(parsed.rejected) == 300
    assert {r.line for r in parsed.rejected} == set(range(2, 602, 2))
    assert all("unbalanced quote" in r.reason for r in parsed.rejected)


def test_a_url_cell_running_over_lines_is_an_open_quote_not_a_note() -> None:
    # A URL or a status never holds a line break: the quote was opened by mistake and costs only
    # its line; what follows is read as the lines it is.
    data = (
        b'url,status\n"https://www.linkedin.com/in/john\ndoe",possible\nlinkedin.com/in/alan-t,\n'
    )
    parsed = parse_file("quotes.csv", data)
    assert [e.profile_id for e in parsed.entries] == ["alan-t"]
    assert [(r.line, r.reason.split(":")[0]) for r in parsed.rejected] == [
        (2, "unbalanced quote"),
        (3, "malformed host 'doe\"'"),
    ]
