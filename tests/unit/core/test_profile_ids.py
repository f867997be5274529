import ast
import re
import unicodedata
from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkedin_assets import errors
from linkedin_assets.core.profile_ids import (
    MAX_SLUG_LENGTH,
    MAX_URL_LENGTH,
    MIN_SLUG_LENGTH,
    InvalidProfileUrl,
    profile_id_from_url,
    profile_url,
    validate_profile_id,
)

JUERGEN_NFC = unicodedata.normalize("NFC", "jürgen-müller")
JUERGEN_NFD = unicodedata.normalize("NFD", "jürgen-müller")
MEMBER_ID = "ACoAAB1234xyz_AbC-9"

ACCEPTED = [
    ("https://www.linkedin.com/in/john-doe", "john-doe"),
    ("https://www.linkedin.com/in/john-doe/", "john-doe"),
    ("https://linkedin.com/in/john-doe", "john-doe"),
    ("http://www.linkedin.com/in/john-doe/", "john-doe"),
    ("linkedin.com/in/john-doe", "john-doe"),
    ("www.linkedin.com/in/john-doe/", "john-doe"),
    ("//www.linkedin.com/in/john-doe", "john-doe"),
    ("  https://www.linkedin.com/in/john-doe/ \n", "john-doe"),
    ("\thttps://www.linkedin.com/in/john-doe\t", "john-doe"),
    ("https://de.linkedin.com/in/john-doe", "john-doe"),
    ("https://uk.linkedin.com/in/john-doe/", "john-doe"),
    ("https://cn.linkedin.com/in/john-doe", "john-doe"),
    ("https://m.linkedin.com/in/john-doe", "john-doe"),
    ("https://touch.linkedin.com/in/john-doe/", "john-doe"),
    ("HTTPS://WWW.LINKEDIN.COM/in/john-doe", "john-doe"),
    ("https://Www.LinkedIn.Com/in/john-doe", "john-doe"),
    ("https://www.linkedin.com./in/john-doe", "john-doe"),
    ("https://www.linkedin.com:443/in/john-doe", "john-doe"),
    ("http://www.linkedin.com:80/in/john-doe", "john-doe"),
    ("https://www.linkedin.com/IN/john-doe", "john-doe"),
    ("https://www.linkedin.com/in/John-Doe", "john-doe"),
    ("https://www.linkedin.com/in/JOHN-DOE/", "john-doe"),
    ("https://www.linkedin.com/in/john-doe?trk=public_profile_browsemap", "john-doe"),
    ("https://de.linkedin.com/in/john-doe?originalSubdomain=de", "john-doe"),
    ("https://www.linkedin.com/in/john-doe#experience", "john-doe"),
    ("https://www.linkedin.com/in/john-doe/?trk=x#top", "john-doe"),
    ("https://www.linkedin.com/in/john-doe/details/experience/", "john-doe"),
    ("https://www.linkedin.com/in/john-doe/recent-activity/all/", "john-doe"),
    ("https://www.linkedin.com/in/john-doe/overlay/contact-info/", "john-doe"),
    ("https://www.linkedin.com/in/john-doe/de", "john-doe"),
    ("https://www.linkedin.com/in/name-a68a2b51", "name-a68a2b51"),
    ("https://www.linkedin.com/in/jd123", "jd123"),
    ("https://www.linkedin.com/in/abc", "abc"),
    ("https://www.linkedin.com/in/-john-doe-", "-john-doe-"),
    ("https://www.linkedin.com/in/john--doe", "john--doe"),
    ("https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller", JUERGEN_NFC),
    ("https://www.linkedin.com/in/J%C3%9Crgen-M%C3%9Cller/", JUERGEN_NFC),
    ("https://www.linkedin.com/in/ju%CC%88rgen-mu%CC%88ller", JUERGEN_NFC),
    (f"https://www.linkedin.com/in/{JUERGEN_NFC}", JUERGEN_NFC),
    (f"https://www.linkedin.com/in/{JUERGEN_NFD}/", JUERGEN_NFC),
    (f"www.linkedin.com/in/{JUERGEN_NFD.upper()}", JUERGEN_NFC),
    ("https://www.linkedin.com/in/%E5%BC%A0%E4%BC%9F-123", "张伟-123"),
    ("https://www.linkedin.com/in/Ελένη-παππά", "ελένη-παππά"),
    (f"https://www.linkedin.com/in/{MEMBER_ID}", MEMBER_ID),
    (f"https://www.linkedin.com/in/{MEMBER_ID}/details/experience/", MEMBER_ID),
    ("linkedin.com/in/ACwAAAbCdEf-_x", "ACwAAAbCdEf-_x"),
    ("https://www.linkedin.com/pub/abdi-ahmed/100/384/6b0", "abdi-ahmed-6b0384100"),
    ("https://www.linkedin.com/pub/abdi-ahmed/100/384/6b0/", "abdi-ahmed-6b0384100"),
    ("http://uk.linkedin.com/pub/Jane-Roe/1/2a/B", "jane-roe-00b02a001"),
    ("linkedin.com/pub/jane-roe/10/2/3?trk=x", "jane-roe-003002010"),
    (f"https://www.linkedin.com/in/{'a' * MAX_SLUG_LENGTH}", "a" * MAX_SLUG_LENGTH),
    (f"https://www.linkedin.com/in/{'%C3%BC' * MAX_SLUG_LENGTH}", "ü" * MAX_SLUG_LENGTH),
]

REJECTED = [
    (None, "expected a str, got NoneType"),
    (b"https://www.linkedin.com/in/john-doe", "expected a str, got bytes"),
    (42, "expected a str, got int"),
    ("", "empty or blank"),
    ("   \n\t ", "empty or blank"),
    ("https://linkedin.com.example.test/in/john-doe", "not a LinkedIn host"),
    ("https://evil-linkedin.com/in/john-doe", "not a LinkedIn host"),
    ("https://linkedin.co/in/john-doe", "not a LinkedIn host"),
    ("https://www.linkedin.com../in/john-doe", "not a LinkedIn host"),
    ("https://example.com/in/john-doe", "not a LinkedIn host"),
    ("https://xn--lnkedin-2va.com/in/john-doe", "punycode"),
    ("https://www.xn--linkedn-yxa.com/in/john-doe", "punycode"),
    ("https://lіnkedin.com/in/john-doe", "non-ASCII host"),
    ("https://lin\u212aedin.com/in/john-doe", "non-ASCII host"),
    ("https://linkedin.com@evil.test/in/john-doe", "user info"),
    ("linkedin.com@evil.test/in/john-doe", "user info"),
    ("https://user:pw@www.linkedin.com/in/john-doe", "user info"),
    ("https://lnkd.in/abc123", "short link"),
    ("https://evil.linkedin.com/in/john-doe", "not a LinkedIn profile host"),
    ("https://www.de.linkedin.com/in/john-doe", "not a LinkedIn profile host"),
    ("https://www.linkedin.com:8080/in/john-doe", "port 8080"),
    ("http://www.linkedin.com:443/in/john-doe", "port 443 is not the default for http"),
    ("linkedin.com:8443/in/john-doe", "port 8443"),
    ("https://[::1]/in/john-doe", "malformed host"),
    ("https:///in/john-doe", "no host"),
    ("ftp://www.linkedin.com/in/john-doe", "scheme 'ftp'"),
    ("javascript:alert(1)", "scheme 'javascript'"),
    ("JavaScript://www.linkedin.com/in/john-doe", "scheme 'javascript'"),
    ("file:///etc/passwd", "scheme 'file'"),
    ("data:text/html,<script>alert(1)</script>", "scheme 'data'"),
    ("https:www.linkedin.com/in/john-doe", "no '//' after 'https:'"),
    ("https://www.linkedin.com/company/acme", "company page"),
    ("https://www.linkedin.com/school/mit/", "school page"),
    ("https://www.linkedin.com/showcase/acme-labs/", "showcase page"),
    ("https://www.linkedin.com/feed/", "news feed"),
    ("https://www.linkedin.com/sales/lead/ACwAAA,NAME_SEARCH", "Sales Navigator"),
    ("https://www.linkedin.com/", "no path"),
    ("https://www.linkedin.com", "no path"),
    ("https://www.linkedin.com/profile/view?id=123", "/profile/ is not a member-profile path"),
    ("https://www.linkedin.com/in/", "no profile slug after /in/"),
    ("https://www.linkedin.com/in", "no profile slug after /in/"),
    ("https://www.linkedin.com/in/me", "viewer's own alias"),
    ("https://www.linkedin.com/in/me/", "viewer's own alias"),
    ("https://www.linkedin.com/in/ME/", "viewer's own alias"),
    ("https://www.linkedin.com/in//john-doe", "empty path segment"),
    ("https://www.linkedin.com/in/ab", "shorter than 3"),
    ("https://www.linkedin.com/in/%C3%BC", "shorter than 3"),
    (f"https://www.linkedin.com/in/{'a' * (MAX_SLUG_LENGTH + 1)}", "longer than 100"),
    (f"https://www.linkedin.com/in/{'ü' * (MAX_SLUG_LENGTH + 1)}", "longer than 100"),
    ("https://www.linkedin.com/in/---", "no letters or digits"),
    ("https://www.linkedin.com/in/..", "path traversal"),
    ("https://www.linkedin.com/in/.", "path traversal"),
    ("https://www.linkedin.com/in/%2e%2e", "path traversal"),
    ("https://www.linkedin.com/in/%2E%2E/company/acme", "path traversal"),
    ("https://www.linkedin.com/in/john-doe/../../company/acme", "path traversal"),
    ("https://www.linkedin.com/in/john..doe", "path traversal"),
    ("https://www.linkedin.com/in/john.doe", "'.'"),
    ("https://www.linkedin.com/in/..%2fcompany", "slash"),
    ("https://www.linkedin.com/in/john%2fdoe", "slash"),
    ("https://www.linkedin.com/in/john%2Fdoe", "slash"),
    ("https://www.linkedin.com/in/john%5cdoe", "slash"),
    ("https://www.linkedin.com/in/john\\doe", "backslash in input"),
    ("https://evil.test\\@www.linkedin.com/in/john-doe", "backslash in input"),
    ("https://www.linkedin.com/in/%252e%252e", "double percent-encoding"),
    ("https://www.linkedin.com/in/john%2520doe", "double percent-encoding"),
    ("https://www.linkedin.com/in/john\x00doe", "control character U+0000"),
    ("https://www.linkedin.com/in/john\tdoe", "control character U+0009"),
    ("https://www.linkedin.com/in/john\ndoe", "control character U+000A"),
    ("https://www.linkedin.com/in/john%00doe", "control character U+0000 in slug"),
    ("https://www.linkedin.com/in/john%0Adoe", "control character U+000A in slug"),
    ("https://www.linkedin.com/in/john doe", "space U+0020"),
    ("https://www.linkedin.com/in/john%20doe", "space U+0020"),
    ("https://www.linkedin.com/in/john%C2%A0doe", "space U+00A0"),
    ("https://www.linkedin.com/in/<script>alert(1)</script>", "markup character '<'"),
    ("https://www.linkedin.com/in/%3Cscript%3E", "markup character '<'"),
    ("https://www.linkedin.com/in/john>doe", "markup character '>'"),
    ('https://www.linkedin.com/in/john"doe', "markup character '\"'"),
    ("https://www.linkedin.com/in/john'doe", 'markup character "\'"'),
    ("https://www.linkedin.com/in/john%zzdoe", "invalid percent-encoding"),
    ("https://www.linkedin.com/in/john-doe%e", "invalid percent-encoding"),
    ("https://www.linkedin.com/in/john%", "invalid percent-encoding"),
    ("https://www.linkedin.com/in/john%ffdoe", "not valid UTF-8"),
    ("https://www.linkedin.com/in/john%C3doe", "not valid UTF-8"),
    ("https://www.linkedin.com/in/john_doe", "'_'"),
    ("https://www.linkedin.com/in/john~doe", "'~'"),
    ("https://www.linkedin.com/in/john\u200ddoe", "ZERO WIDTH JOINER"),
    ("https://www.linkedin.com/in/ACoAAB%C3%BC123", "not allowed in a member id"),
    ("https://www.linkedin.com/in/ACoAAB.x", "'.'"),
    ("https://www.linkedin.com/in/john-doe/details/%2e%2fx", "not plain ASCII"),
    ("https://www.linkedin.com/in/john-doe/<script>", "not plain ASCII"),
    ("https://www.linkedin.com/pub/abdi-ahmed/100/384", "/pub/<name>/<a>/<b>/<c>"),
    ("https://www.linkedin.com/pub/abdi-ahmed/100/384/6b0/x", "/pub/<name>/<a>/<b>/<c>"),
    ("https://www.linkedin.com/pub/abdi-ahmed/1000/384/6b0", "part '1000'"),
    ("https://www.linkedin.com/pub/abdi-ahmed/10_/384/6b0", "part '10_'"),
    ("https://www.linkedin.com/pub/abdi-ahmed/%31/384/6b0", "part '%31'"),
    ("https://www.linkedin.com/pub/abdi%2fahmed/1/2/3", "slash"),
    ("https://www.linkedin.com/pub/dir/john/doe", "/pub/<name>/<a>/<b>/<c>"),
    ("https://www.linkedin.com/in/" + "a" * MAX_URL_LENGTH, "over 2048"),
]


@pytest.mark.parametrize(("url", "expected"), ACCEPTED)
def test_accepted_spellings(url: str, expected: str) -> None:
    assert profile_id_from_url(url) == expected


@pytest.mark.parametrize(("url", "reason"), REJECTED)
def test_rejected_inputs_say_why(url: object, reason: str) -> None:
    with pytest.raises(InvalidProfileUrl) as info:
        profile_id_from_url(url)  # type: ignore[arg-type]
    assert reason in info.value.reason
    assert str(info.value).startswith("invalid profile URL ")
    assert repr(info.value.value)[:40] in str(info.value)


def test_invalid_profile_url_is_the_project_error_and_a_value_error() -> None:
    assert InvalidProfileUrl is errors.InvalidProfileUrl
    with pytest.raises(ValueError):
        profile_id_from_url("https://example.com/in/john-doe")


def test_huge_input_is_refused_early_and_not_echoed() -> None:
    huge = "https://www.linkedin.com/in/" + "a" * 2_000_000
    with pytest.raises(InvalidProfileUrl) as info:
        profile_id_from_url(huge)
    assert len(str(info.value)) < 400
    assert str(info.value.value).endswith("…")
    assert "2000028 characters" in info.value.reason


def test_member_ids_keep_their_case_and_vanity_slugs_do_not() -> None:
    assert profile_id_from_url("linkedin.com/in/ACoAAx1") == "ACoAAx1"
    assert profile_id_from_url("linkedin.com/in/ACoAAX1") == "ACoAAX1"
    assert profile_id_from_url("linkedin.com/in/Acoaax1") == "acoaax1"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://www.linkedin.com/in/John-Doe", "https://www.linkedin.com/in/john-doe1"),
        ("https://www.linkedin.com/in/john-doe", "https://www.linkedin.com/in/johndoe"),
        ("https://www.linkedin.com/in/john-doe", "https://www.linkedin.com/in/john--doe"),
        ("https://www.linkedin.com/in/john-doe", "https://www.linkedin.com/in/-john-doe"),
        ("https://www.linkedin.com/in/ACoAAx", "https://www.linkedin.com/in/ACoAAX"),
        ("https://www.linkedin.com/in/ACoAAx", "https://www.linkedin.com/in/ACwAAx"),
        ("https://www.linkedin.com/in/ACoAAx", "https://www.linkedin.com/in/acoaax"),
        ("https://www.linkedin.com/in/jurgen-muller", "https://www.linkedin.com/in/jürgen-müller"),
        ("https://www.linkedin.com/in/strasse", "https://www.linkedin.com/in/straße"),
        (
            "https://www.linkedin.com/pub/abdi-ahmed/100/384/6b0",
            "https://www.linkedin.com/pub/abdi-ahmed/6b0/384/100",
        ),
        (
            "https://www.linkedin.com/pub/abdi-ahmed/1/23/4",
            "https://www.linkedin.com/pub/abdi-ahmed/12/3/4",
        ),
    ],
)
def test_different_profiles_never_share_an_id(first: str, second: str) -> None:
    assert profile_id_from_url(first) != profile_id_from_url(second)


def test_legacy_pub_url_is_the_same_profile_as_its_in_url() -> None:
    legacy = profile_id_from_url("https://www.linkedin.com/pub/abdi-ahmed/100/384/6b0")
    assert legacy == profile_id_from_url("https://www.linkedin.com/in/abdi-ahmed-6b0384100")


VALID_IDS = [
    "john-doe",
    "abc",
    "a1b",
    "123",
    "name-a68a2b51",
    "abdi-ahmed-6b0384100",
    "-john-",
    "a--b",
    JUERGEN_NFC,
    "張偉-123",
    "ελένη-παππά",
    "иван-петров",
    "محمد-علي",
    "straße",
    "džemal",
    "x" * MAX_SLUG_LENGTH,
    "ü" * MAX_SLUG_LENGTH,
    "ü" * MIN_SLUG_LENGTH,
    MEMBER_ID,
    "ACoAAx",
    "ACoAAX",
    "ACwAAA_-_",
    "ACoAAABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop",
]


@pytest.mark.parametrize("profile_id", VALID_IDS)
def test_round_trip_through_profile_url(profile_id: str) -> None:
    assert validate_profile_id(profile_id) == profile_id
    assert profile_id_from_url(profile_url(profile_id)) == profile_id


def assert_safe_partition_key_and_s3_segment(profile_id: str) -> None:
    for forbidden in (",", "[", "]", "...", "/", "\\", "%", "\0", "\a", "\b", "\f", "\v"):
        assert forbidden not in profile_id
    assert profile_id == profile_id.strip()
    assert profile_id not in (".", "..")
    assert not any(unicodedata.category(char).startswith("C") for char in profile_id)
    assert not any(char.isspace() for char in profile_id)


# What the code accepts and returns is checked, not the literals above: an ID the validator or the
# URL parser lets through must be a safe partition key and S3 key segment, whatever it was given.
UNSAFE_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(",[]./\\%\0\a\b\f\v \t\n-_ACoAwü田")),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=60,
)


@settings(max_examples=500, deadline=None)
@given(UNSAFE_TEXT)
def test_whatever_the_validator_accepts_is_safe(candidate: str) -> None:
    try:
        profile_id = validate_profile_id(candidate)
    except InvalidProfileUrl:
        return
    assert_safe_partition_key_and_s3_segment(profile_id)


@settings(max_examples=500, deadline=None)
@given(UNSAFE_TEXT)
def test_whatever_the_url_parser_accepts_is_safe(slug: str) -> None:
    try:
        profile_id = profile_id_from_url(IN + quote(slug, safe=",[]\\%"))
    except InvalidProfileUrl:
        return
    assert_safe_partition_key_and_s3_segment(profile_id)


@pytest.mark.parametrize("profile_id", VALID_IDS)
def test_valid_ids_come_back_safe_from_the_code(profile_id: str) -> None:
    assert_safe_partition_key_and_s3_segment(validate_profile_id(profile_id))
    assert_safe_partition_key_and_s3_segment(profile_id_from_url(profile_url(profile_id)))


@pytest.mark.parametrize(("url", "expected"), ACCEPTED)
def test_every_accepted_id_is_valid_and_round_trips(url: str, expected: str) -> None:
    profile_id = profile_id_from_url(url)
    assert validate_profile_id(profile_id) == profile_id
    assert profile_id_from_url(profile_url(profile_id)) == profile_id


@pytest.mark.parametrize(
    ("profile_id", "expected"),
    [
        ("john-doe", "https://www.linkedin.com/in/john-doe/"),
        (JUERGEN_NFC, "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller/"),
        (MEMBER_ID, f"https://www.linkedin.com/in/{MEMBER_ID}/"),
    ],
)
def test_profile_url_default_base(profile_id: str, expected: str) -> None:
    assert profile_url(profile_id) == expected


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://www.linkedin.com/", "https://www.linkedin.com/in/john-doe/"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/in/john-doe/"),
        ("http://localhost:8765/sample/", "http://localhost:8765/sample/in/john-doe/"),
    ],
)
def test_profile_url_other_bases(base_url: str, expected: str) -> None:
    assert profile_url("john-doe", base_url) == expected


@pytest.mark.parametrize(
    ("base_url", "reason"),
    [
        ("ftp://www.linkedin.com", "http or https URL with a host"),
        ("www.linkedin.com", "http or https URL with a host"),
        ("https://", "http or https URL with a host"),
        ("", "http or https URL with a host"),
        ("https://www.linkedin.com?x=1", "query or fragment"),
        ("https://www.linkedin.com#top", "query or fragment"),
        ("https://www.linkedin.com:99999", "unparseable"),
        ("https://www.linked\nin.com", "whitespace or control"),
        (None, "base_url: expected a str"),
    ],
)
def test_profile_url_rejects_bad_base_url(base_url: object, reason: str) -> None:
    with pytest.raises(InvalidProfileUrl) as info:
        profile_url("john-doe", base_url)  # type: ignore[arg-type]
    assert reason in info.value.reason


@pytest.mark.parametrize(
    ("profile_id", "reason"),
    [
        (None, "expected a str"),
        ("", "empty or blank"),
        ("   ", "empty or blank"),
        (" john-doe", "surrounding whitespace"),
        ("john-doe\n", "surrounding whitespace"),
        ("John-Doe", "not canonical (expected 'john-doe')"),
        (JUERGEN_NFD, f"not canonical (expected {JUERGEN_NFC!r})"),
        ("j%C3%BCrgen", "'%'"),
        ("john/doe", "slash"),
        ("john\\doe", "backslash"),
        ("..", "path traversal"),
        ("john.doe", "'.'"),
        ("john,doe", "','"),
        ("john[1]", "'['"),
        ("john doe", "space"),
        ("john\x00doe", "control character"),
        ("<script>", "markup character"),
        ("me", "viewer's own alias"),
        ("ab", "shorter than 3"),
        ("a" * (MAX_SLUG_LENGTH + 1), "longer than 100"),
        ("---", "no letters or digits"),
        ("john_doe", "'_'"),
        ("ACoAA.b", "'.'"),
    ],
)
def test_validate_profile_id_rejects(profile_id: object, reason: str) -> None:
    with pytest.raises(InvalidProfileUrl) as info:
        validate_profile_id(profile_id)  # type: ignore[arg-type]
    assert reason in info.value.reason


def test_profile_url_rejects_invalid_id() -> None:
    with pytest.raises(InvalidProfileUrl, match="not canonical"):
        profile_url("John-Doe")


def test_vanity_slug_that_merely_starts_with_aco_is_case_insensitive() -> None:
    assert profile_id_from_url("https://www.linkedin.com/in/ACoustic-Joe") == "acoustic-joe"


# --- Look-alikes and the characters a reason names (issue 13, item 10) ---------------------------

IN = "https://www.linkedin.com/in/"


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        # Compatibility forms fold (NFKC) to the characters they stand for: one profile, one ID.
        ("ｊｏｈｎ-doe", "john-doe"),  # fullwidth, as a CJK input method types Latin
        ("ＪＯＨＮ-ＤＯＥ", "john-doe"),
        ("𝐣𝐨𝐡𝐧-doe", "john-doe"),  # mathematical bold
        ("ǆemal", "džemal"),  # the ligature ǆ is d + ž
        ("ﬁona-ｘ", "fiona-x"),
        ("ＡＣｏＡＡB12", "ACoAAB12"),  # a fullwidth member id is that member id, case kept
        ("张伟-zhang", "张伟-zhang"),  # scripts that look like no Latin letter mix freely
        ("иван-петров-2", "иван-петров-2"),
    ],
)
def test_look_alike_spellings_fold_to_one_id(slug: str, expected: str) -> None:
    assert profile_id_from_url(IN + quote(slug)) == expected
    assert validate_profile_id(expected) == expected


@pytest.mark.parametrize(
    ("slug", "named"),
    [
        ("јohn", "'ј' (CYRILLIC SMALL LETTER JE)"),  # Cyrillic ј, Latin ohn: john's look-alike
        ("jоhn-doe", "'о' (CYRILLIC SMALL LETTER O)"),
        ("αpple", "'α' (GREEK SMALL LETTER ALPHA)"),
        ("ΙВАН", "'Ι' (GREEK CAPITAL LETTER IOTA)"),  # Greek Ι among Cyrillic ВАН
    ],
)
def test_slugs_that_mix_look_alike_scripts_are_refused(slug: str, named: str) -> None:
    with pytest.raises(InvalidProfileUrl) as info:
        profile_id_from_url(IN + quote(slug))
    assert "mixes" in info.value.reason and named in info.value.reason


def test_a_refused_character_is_one_the_input_has() -> None:
    # İ lower-cases to i + U+0307 COMBINING DOT ABOVE; the reason used to name only the dot.
    with pytest.raises(InvalidProfileUrl) as info:
        profile_id_from_url(IN + "İstanbul")
    assert "'İ' (LATIN CAPITAL LETTER I WITH DOT ABOVE)" in info.value.reason
    assert info.value.reason.split("(it becomes", 1)[0].count("COMBINING") == 0


SLUG_TEXT = st.text(
    st.characters(
        categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Mn", "Mc", "Pd", "Pc", "So"),
        exclude_characters="%/\\.",
    ),
    min_size=3,
    max_size=20,
)


@settings(max_examples=500, deadline=None)
@given(SLUG_TEXT)
def test_every_character_a_reason_names_is_in_the_input(slug: str) -> None:
    try:
        pid = profile_id_from_url(IN + quote(slug))
    except InvalidProfileUrl as exc:
        decoded = unquote(quote(slug))
        for quoted in re.findall(r"character ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")", exc.reason):
            assert ast.literal_eval(quoted) in decoded, exc.reason
        for code in re.findall(r"character U\+([0-9A-F]{4,6})", exc.reason):
            assert chr(int(code, 16)) in decoded, exc.reason
        return
    # An accepted slug's ID is canonical and survives its own URL.
    assert validate_profile_id(pid) == pid
    assert profile_id_from_url(profile_url(pid)) == pid


@pytest.mark.parametrize(
    ("base_url", "reason"),
    [
        ("https://x.example\x07", "base_url contains whitespace or control characters"),
        ("https://x.example\u00a0", "base_url contains whitespace or control characters"),
        ("ftp://x.example", "base_url must be an http or https URL with a host"),
        ("https://x.example?q=1", "base_url must not have a query or fragment"),
        ("https://x.example:99999", "base_url is unparseable (Port out of range 0-65535)"),
        (5, "base_url: expected a str, got int"),
    ],
)
def test_a_bad_base_url_is_refused_naming_it_and_why(base_url: object, reason: str) -> None:
    with pytest.raises(InvalidProfileUrl) as refused:
        profile_url("ada-l", base_url)  # type: ignore[arg-type]
    assert (refused.value.value, refused.value.reason) == (base_url, reason)


def test_profile_url_joins_the_base_and_encodes_the_whole_id() -> None:
    assert profile_url("ada-l", "https://x.example//") == "https://x.example/in/ada-l/"
    assert profile_url("jürgen-x") == "https://www.linkedin.com/in/j%C3%BCrgen-x/"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "https://www.linkedin.com/pub/abdi-ahmed/100/384",
            "legacy URL is not /pub/<name>/<a>/<b>/<c>",
        ),
        (
            "https://www.linkedin.com/pub/abdi-ahmed/100/3845/6b0",
            "legacy /pub/ part '3845' is not 1-3 letters or digits",
        ),
    ],
)
def test_a_bad_legacy_url_is_refused_naming_it_and_why(url: str, reason: str) -> None:
    with pytest.raises(InvalidProfileUrl) as refused:
        profile_id_from_url(url)
    assert (refused.value.value, refused.value.reason) == (url, reason)
