"""The extractor's text helpers (`core.extraction._text`), value by value: every string the
extractor returns passes through them."""

from __future__ import annotations

import pytest

from linkedin_assets.core.extraction._text import (
    BR,
    MAX_LINK_LENGTH,
    clean,
    counts,
    first_part,
    is_count,
    is_present,
    looks_like_dates,
    one_line,
    place,
    post_url,
    split_dates,
)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("  a \t b  ", "a b"),
        (f"a{BR}b", "a\nb"),
        (f"a {BR} {BR}b", "a\nb"),  # a run of breaks is one line break
        (f"{BR}a{BR}", "a"),
        ("x\x00y\x7fz\x85w", "x y z w"),  # C0, DEL and C1 controls
        ("\ud800q", "q"),  # a lone surrogate
    ],
)
def test_clean(raw: str | None, want: str | None) -> None:
    assert clean(raw) == want


@pytest.mark.parametrize(
    ("raw", "want"), [(None, None), ("", None), (f"a{BR}b", "a b"), (" a  b ", "a b")]
)
def test_one_line(raw: str | None, want: str | None) -> None:
    assert one_line(raw) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (None, None),
        ("Veldt Robotics · Full-time", "Veldt Robotics"),
        (" · x", None),
        ("Solo", "Solo"),
    ],
)
def test_first_part(text: str | None, want: str | None) -> None:
    assert first_part(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (None, None),
        ("Kraków, Poland · Hybrid", "Kraków, Poland"),
        ("Berlin · vor ort", "Berlin"),
        ("A · B · Remote", "A · B"),
        ("Kraków, Poland · Poland", "Kraków, Poland · Poland"),  # not a workplace type
        ("Remote", "Remote"),
        (" · Remote", " · Remote"),  # nothing before it: kept as it is
    ],
)
def test_place_drops_only_a_trailing_workplace_type(text: str | None, want: str | None) -> None:
    assert place(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [(None, False), ("", False), ("Present", True), (" heute ", True), ("aujourd’hui", True),
     ("Past", False)],
)  # fmt: skip
def test_is_present(text: str | None, want: bool) -> None:
    assert is_present(text) is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (None, False),
        ("", False),
        ("Mar 2023 - Present · 1 yr", True),
        ("Jan 1900", True),
        ("2099", True),
        ("1899", False),
        ("2100", False),
        ("since 2000s", False),  # not a year on its own
        ("12 · 2023", False),  # only what comes before " · " counts
        ("Present", True),
        ("now", True),
    ],
)
def test_looks_like_dates(text: str | None, want: bool) -> None:
    assert looks_like_dates(text) is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (None, (None, None)),
        ("", (None, None)),
        ("· 3 yrs", (None, None)),
        ("Mar 2023 - Present · 1 yr 5 mos", ("Mar 2023", "Present")),
        ("2019–2021", ("2019", "2021")),
        ("2019 — 2021", ("2019", "2021")),
        ("2019-2021", ("2019", "2021")),
        ("Jan-Feb 2020", ("Jan-Feb 2020", None)),  # a hyphen between words is no range
        ("2020", ("2020", None)),
        ("2019 · 2020", ("2019", None)),
        ("2019 – ", ("2019", None)),
    ],
)
def test_split_dates(text: str | None, want: tuple[str | None, str | None]) -> None:
    assert split_dates(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (None, (None, None)),
        ("followers", (None, None)),
        ("2,345 followers · 500+ connections", (500, 2345)),
        ("1.5K followers", (None, 1500)),
        ("9,9K followers", (None, 9900)),
        ("2M followers", (None, 2_000_000)),
        ("12k Follower", (None, 12_000)),
        ("3 Abonnenten", (None, 3)),
        ("1\u00a0234 Kontakte", (1234, None)),
        # `clean` turns that NBSP into a space: still one number, a space-grouped one.
        ("1 234 Kontakte", (1234, None)),
        ("1 234 567 followers · 2 500+ connections", (2500, 1_234_567)),
        ("Joined 2019 500+ connections", (500, None)),  # a year is no group of three
        ("12 3456 followers", (None, 3456)),
        ("500 connections 600 connections", (500, None)),  # the first of each
        ("1.2.3K followers", (None, None)),
        ("10 Mbps followers", (None, None)),
    ],
)
def test_counts(text: str | None, want: tuple[int | None, int | None]) -> None:
    assert counts(text) == want


def test_counts_read_a_cleaned_line_whole() -> None:
    # The readers hand `counts` cleaned text, whose NBSP and U+202F are spaces by then.
    assert counts(clean("1\u00a0234 Kontakte · 2\u202f345 Abonnenten")) == (1234, 2345)


def test_is_count() -> None:
    assert is_count("500+ connections") and not is_count("Connect")


@pytest.mark.parametrize(
    ("href", "want"),
    [
        (None, None),
        ("", None),
        (" /posts/a ", "https://www.linkedin.com/posts/a"),
        ("//cdn.example/p", "https://cdn.example/p"),
        ("HTTPS://EX.com/p", "https://EX.com/p"),
        ("javascript:alert(1)", None),
        ("data:x", None),
        ("ftp://x/y", None),
        ("http://[", None),  # urljoin raises
        ("/posts/a b", None),
        ("/posts/\x01", None),
    ],
)
def test_post_url(href: str | None, want: str | None) -> None:
    assert post_url(href) == want


def test_post_url_length_limit() -> None:
    base = "https://x.example/"
    at_limit = base + "a" * (MAX_LINK_LENGTH - len(base))
    assert post_url(at_limit) == at_limit
    assert post_url(at_limit + "a") is None
