"""LinkedIn member-profile URL → profile ID (the partition key), and back.

Accepted (all give the same ID for the same profile):

- ``/in/<slug>`` on ``linkedin.com``, ``www.``, two-letter country hosts (``de.``, ``uk.`` …) and
  mobile hosts (``m.``, ``touch.``); host case-insensitive; one trailing dot on the host (the
  fully-qualified spelling, ``www.linkedin.com.``) is accepted, two are not.
- With or without ``http(s)://``, surrounding whitespace, trailing slash, query, fragment, default
  port (``:443`` for https, ``:80`` for http) and sub-pages (``/details/experience/`` …; sub-page
  segments must be plain ASCII letters, digits, ``-`` and ``_``).
- Legacy ``/pub/<name>/<a>/<b>/<c>`` → ``<name>-<c><b><a>``, each part 1–3 letters or digits,
  left-padded with zeros to three (``/pub/abdi-ahmed/100/384/6b0`` → ``abdi-ahmed-6b0384100``).

The ID is the slug, percent-decoded (strict UTF-8), in NFKC:

- Compatibility forms fold to the characters they stand for (NFKC): fullwidth ``ｊｏｈｎ``,
  mathematical ``𝐣𝐨𝐡𝐧``, ligatures, superscripts. They look like, and are typed as, those
  characters, so they name the same profile: one ID, never a look-alike second one.
- Member-id slugs (start with ``ACoAA`` or ``ACwAA``) are opaque and case-sensitive: ASCII letters,
  digits, ``_`` and ``-``; kept as they are.
- Vanity slugs are case-insensitive: lower-cased; Unicode letters and digits (``str.isalnum``) and
  ``-``, at least one letter or digit. Leading, trailing and repeated hyphens are accepted, because
  LinkedIn has issued such slugs and rejecting them would lose real profiles.
- A vanity slug's letters are of at most one of the scripts whose letters look alike (Latin,
  Greek, Cyrillic): ``јohn`` with a Cyrillic ``ј`` is refused as a look-alike (NFKC does not fold
  scripts into each other). Other scripts mix freely with these (``张伟-zhang``).
- 3–100 characters, counted after decoding. ``me`` (the viewer's own alias) is not a profile.
- A refused character is named as the input has it: ``İ`` (which lower-cases to ``i`` and a
  combining dot) is named, not the combining dot.

So every ID is a safe Dagster partition key and S3 key segment (no ``/ \\ , [ ] .``, whitespace or
control characters), and ``profile_id_from_url(profile_url(i)) == i``.

Everything else raises ``InvalidProfileUrl`` with a specific reason; there is never a fallback ID.
Inputs longer than ``MAX_URL_LENGTH`` are refused before parsing. Error messages show the input cut
to 200 characters plus ``…`` (the exception's ``value`` holds that cut form, so logs stay small).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import SplitResult, quote, unquote, unquote_to_bytes, urlsplit

from linkedin_assets.errors import InvalidProfileUrl

__all__ = [
    "MAX_SLUG_LENGTH",
    "MAX_URL_LENGTH",
    "MIN_SLUG_LENGTH",
    "InvalidProfileUrl",
    "profile_id_from_url",
    "profile_url",
    "validate_profile_id",
]

MAX_SLUG_LENGTH = 100
MIN_SLUG_LENGTH = 3
MAX_URL_LENGTH = 2048
_SHOWN_LENGTH = 200

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PROFILE_HOST = re.compile(r"(?:(?:www|m|touch|[a-z]{2})\.)?linkedin\.com", re.ASCII)
# Only what a LinkedIn netloc can hold: no userinfo, no IP literals, no odd port spellings.
_NETLOC = re.compile(r"(?P<host>[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{0,5}))?", re.ASCII)
# A scheme followed by "//", or a dot-less one without it ("javascript:"); "linkedin.com:443/…"
# has a dot, so it is a scheme-less host with a port.
_SCHEME = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):(?P<slashes>//)?", re.ASCII)
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_MEMBER_ID = re.compile(r"AC[ow]AA[A-Za-z0-9_-]*", re.ASCII)
_PUB_PART = re.compile(r"[0-9A-Za-z]{1,3}", re.ASCII)
_SUB_PAGE = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)
_MARKUP = frozenset("<>\"'&`")
# Scripts with letters that look like each other's (а/a, ο/o, ј/j): one slug uses one of them.
_LOOK_ALIKE_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC"})
_NOT_PROFILES = {
    "company": "a company page",
    "school": "a school page",
    "showcase": "a showcase page",
    "feed": "the news feed",
    "sales": "a Sales Navigator page",
    "groups": "a group page",
    "jobs": "a jobs page",
    "posts": "a post",
    "pulse": "an article",
    "authwall": "the auth wall",
    "login": "the login page",
}


def profile_id_from_url(url: str) -> str:
    """The profile ID of a LinkedIn member-profile URL; ``InvalidProfileUrl`` if it is not one."""
    text = _check_text(url)
    parts = _split_url(url, text)
    _check_host(url, parts)
    return _id_from_path(url, parts.path)


def validate_profile_id(profile_id: str) -> str:
    """``profile_id`` unchanged if it is a canonical profile ID, else ``InvalidProfileUrl``."""
    text = _check_text(profile_id)
    if text != profile_id:
        raise _invalid(profile_id, "surrounding whitespace in profile ID")
    canonical = _normalise_slug(profile_id, profile_id)
    if canonical != profile_id:
        raise _invalid(profile_id, f"profile ID is not canonical (expected {canonical!r})")
    return profile_id


def profile_url(profile_id: str, base_url: str = "https://www.linkedin.com") -> str:
    """The ``/in/`` URL of a profile ID under ``base_url`` (the ID percent-encoded as UTF-8)."""
    validate_profile_id(profile_id)
    _check_base_url(base_url)
    return f"{base_url.rstrip('/')}/in/{quote(profile_id, safe='')}/"


def _shown(value: object) -> object:
    """The input as the error message shows it: cut, so a 2 MB paste does not flood the logs."""
    if not isinstance(value, str):
        text = repr(value)
        return value if len(text) <= _SHOWN_LENGTH else text[:_SHOWN_LENGTH] + "…"
    return value if len(value) <= _SHOWN_LENGTH else value[:_SHOWN_LENGTH] + "…"


def _part(text: str) -> str:
    """A piece of the input as a reason quotes it. Cut like the input itself: a 2,000-character
    host or path segment would otherwise come back whole in the reason, flooding the logs."""
    return repr(_shown(text))


def _invalid(value: object, reason: str) -> InvalidProfileUrl:
    return InvalidProfileUrl(_shown(value), reason)


def _check_text(value: object) -> str:
    """Type, size and characters every input must pass before it is parsed; returns it stripped."""
    if not isinstance(value, str):
        raise _invalid(value, f"expected a str, got {type(value).__name__}")
    if len(value) > MAX_URL_LENGTH:
        raise _invalid(value, f"input is {len(value)} characters, over {MAX_URL_LENGTH}")
    text = value.strip()
    if not text:
        raise _invalid(value, "empty or blank input")
    for char in text:
        # urlsplit silently drops tabs and newlines, so they must be refused before it runs.
        if unicodedata.category(char) == "Cc":
            raise _invalid(value, f"control character U+{ord(char):04X} in input")
    if "\\" in text:
        # Browsers read "\" as "/" in http URLs, which hides the real host or path.
        raise _invalid(value, "backslash in input")
    return text


def _split_url(value: str, text: str) -> SplitResult:
    """Split into parts, adding ``https://`` when the scheme is missing; http and https only."""
    match = _SCHEME.match(text)
    if text.startswith("//"):
        text = "https:" + text
    elif match and (match["slashes"] or "." not in match["scheme"]):
        scheme = match["scheme"].lower()
        if scheme not in _DEFAULT_PORTS:
            raise _invalid(value, f"scheme {_part(scheme)} is not http or https")
        if not match["slashes"]:
            raise _invalid(value, f"no '//' after '{scheme}:'")
    else:
        text = "https://" + text
    try:
        return urlsplit(text)
    except ValueError as exc:
        raise _invalid(value, f"unparseable URL ({_shown(str(exc))})") from exc


def _check_host(value: str, parts: SplitResult) -> None:
    """Only LinkedIn's profile hosts, on the scheme's default port."""
    netloc = parts.netloc
    if not netloc:
        raise _invalid(value, "no host")
    if "@" in netloc:
        raise _invalid(value, "user info ('…@') before the host is not allowed")
    if not netloc.isascii():
        raise _invalid(value, f"non-ASCII host {_part(netloc)} (possible look-alike)")
    match = _NETLOC.fullmatch(netloc)
    if match is None:
        raise _invalid(value, f"malformed host {_part(netloc)}")
    port = match["port"]
    if port and int(port) != _DEFAULT_PORTS[parts.scheme.lower()]:
        raise _invalid(value, f"port {port} is not the default for {parts.scheme.lower()}")
    host = match["host"].lower()
    # "www.linkedin.com." is the fully-qualified spelling of the same host.
    bare = host[:-1] if host.endswith(".") else host
    if _PROFILE_HOST.fullmatch(bare):
        return
    if "xn--" in host:
        raise _invalid(value, f"punycode host {_part(host)} is not LinkedIn (possible look-alike)")
    if bare == "lnkd.in" or bare.endswith(".lnkd.in"):
        raise _invalid(value, "lnkd.in short link: resolve it to the profile URL first")
    if bare.endswith(".linkedin.com"):
        raise _invalid(value, f"host {_part(host)} is not a LinkedIn profile host")
    raise _invalid(value, f"host {_part(host)} is not a LinkedIn host")


def _id_from_path(value: str, path: str) -> str:
    """Route ``/in/…`` and ``/pub/…``; everything else is not a member profile."""
    segments = path.split("/")[1:]
    if segments and segments[-1] == "":
        segments.pop()
    if not segments:
        raise _invalid(value, "no path: expected /in/<slug>")
    for segment in segments:
        if segment in (".", "..") or unquote(segment) in (".", ".."):
            raise _invalid(value, "path traversal ('.' or '..' segment)")
    if "" in segments:
        raise _invalid(value, "empty path segment ('//')")
    head, *rest = segments
    if head.lower() == "in":
        if not rest:
            raise _invalid(value, "no profile slug after /in/")
        slug = _normalise_slug(value, _decode_segment(value, rest[0]))
        for segment in rest[1:]:
            if not _SUB_PAGE.fullmatch(segment):
                raise _invalid(value, f"sub-page segment {_part(segment)} is not plain ASCII")
        return slug
    if head.lower() == "pub":
        return _slug_from_pub(value, rest)
    what = _NOT_PROFILES.get(head.lower(), f"/{_shown(head)}/ is not a member-profile path")
    raise _invalid(value, f"not a member profile: {what} (expected /in/<slug>)")


def _slug_from_pub(value: str, rest: list[str]) -> str:
    """``/pub/<name>/<a>/<b>/<c>`` → ``<name>-<c><b><a>``, the /in/ slug LinkedIn redirects to."""
    if len(rest) != 4:
        raise _invalid(value, "legacy URL is not /pub/<name>/<a>/<b>/<c>")
    name, *numbers = rest
    for part in numbers:
        if not _PUB_PART.fullmatch(part):
            raise _invalid(value, f"legacy /pub/ part {_part(part)} is not 1-3 letters or digits")
    a, b, c = (part.lower().zfill(3) for part in numbers)
    decoded = _decode_segment(value, name)
    _check_characters(value, decoded)
    return _vanity_slug(value, f"{decoded}-{c}{b}{a}")


def _decode_segment(value: str, segment: str) -> str:
    """Percent-decode once, strictly: malformed escapes and invalid UTF-8 are errors, not '?'."""
    if _BAD_PERCENT.search(segment):
        raise _invalid(value, "invalid percent-encoding in slug")
    try:
        return unquote_to_bytes(segment).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid(value, "slug is not valid UTF-8 after percent-decoding") from exc


def _normalise_slug(value: str, slug: str) -> str:
    """The ID of a decoded slug: member ids kept as they are, vanity slugs NFKC and lower-case."""
    _check_characters(value, slug)
    member = _nfkc(slug)
    if _MEMBER_ID.match(member):
        _check_length(value, member)
        if not _MEMBER_ID.fullmatch(member):
            bad = next(char for char in member if not _MEMBER_ID.fullmatch("ACoAA" + char))
            culprit = _culprit(slug, bad, _nfkc)
            raise _invalid(value, f"character {culprit!r} is not allowed in a member id")
        return member
    return _vanity_slug(value, slug)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _fold(text: str) -> str:
    """NFKC, lower-cased, NFKC again (``lower()`` can leave a form NFKC composes)."""
    return _nfkc(_nfkc(text).lower())


def _vanity_slug(value: str, slug: str) -> str:
    normal = _fold(slug)
    if normal == "me":
        raise _invalid(value, "/in/me is the viewer's own alias, not a profile")
    _check_length(value, normal)
    for char in normal:
        if not (char.isalnum() or char == "-"):
            raise _invalid(value, _not_allowed(slug, char))
    if not any(char.isalnum() for char in normal):
        raise _invalid(value, "slug has no letters or digits")
    _check_one_script(value, slug, normal)
    return normal


def _describe(char: str) -> str:
    return f"{char!r} ({unicodedata.name(char, f'U+{ord(char):04X}')})"


def _culprit(slug: str, char: str, fold: Callable[[str], str]) -> str:
    """The character of the input that became ``char`` once folded: a reason names what the
    input holds (``İ``), not what folding made of it (``i`` and U+0307 COMBINING DOT ABOVE)."""
    return next((source for source in slug if char in fold(source)), char)


def _not_allowed(slug: str, char: str) -> str:
    culprit = _culprit(slug, char, _fold)
    reason = f"character {_describe(culprit)} is not allowed in a profile slug"
    if culprit != char:
        reason += f" (it becomes {_fold(culprit)!r}, with {_describe(char)})"
    return reason


def _script(char: str) -> str | None:
    """Which of the look-alike scripts a letter is of (by its Unicode name), else ``None``."""
    if not char.isalpha():
        return None
    word = unicodedata.name(char, "").split(" ", 1)[0]
    return word if word in _LOOK_ALIKE_SCRIPTS else None


def _check_one_script(value: str, slug: str, normal: str) -> None:
    """Refuse letters of two look-alike scripts in one slug, naming one of the fewer."""
    letters: dict[str, list[str]] = {}
    for char in normal:
        script = _script(char)
        if script is not None:
            letters.setdefault(script, []).append(char)
    if len(letters) < 2:
        return
    fewest = min(letters, key=lambda script: len(letters[script]))
    culprit = _describe(_culprit(slug, letters[fewest][0], _fold))
    scripts = " and ".join(script.title() for script in letters)
    raise _invalid(
        value, f"slug mixes {scripts} letters (a look-alike of another slug?): {culprit}"
    )


def _check_characters(value: str, slug: str) -> None:
    """Specific reasons for the dangerous characters, before the generic character check."""
    if not slug:
        raise _invalid(value, "empty slug")
    if "%" in slug:
        raise _invalid(value, "'%' left in slug (double percent-encoding?)")
    if "/" in slug or "\\" in slug:
        raise _invalid(value, "slash or backslash in slug (encoded slash?)")
    if ".." in slug:
        raise _invalid(value, "'..' in slug (path traversal)")
    for char in slug:
        if unicodedata.category(char) == "Cc":
            raise _invalid(value, f"control character U+{ord(char):04X} in slug")
        if char.isspace():
            raise _invalid(value, f"space U+{ord(char):04X} in slug")
        if char in _MARKUP:
            raise _invalid(value, f"markup character {char!r} in slug")


def _check_length(value: str, slug: str) -> None:
    if len(slug) < MIN_SLUG_LENGTH:
        raise _invalid(value, f"slug {slug!r} is shorter than {MIN_SLUG_LENGTH} characters")
    if len(slug) > MAX_SLUG_LENGTH:
        raise _invalid(value, f"slug is {len(slug)} characters, longer than {MAX_SLUG_LENGTH}")


def _check_base_url(base_url: str) -> None:
    if not isinstance(base_url, str):
        raise _invalid(base_url, f"base_url: expected a str, got {type(base_url).__name__}")
    # urlsplit drops tabs and newlines silently; refuse them rather than build a different URL.
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in base_url):
        raise _invalid(base_url, "base_url contains whitespace or control characters")
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise _invalid(base_url, f"base_url is unparseable ({exc})") from exc
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        raise _invalid(base_url, "base_url must be an http or https URL with a host")
    if parts.query or parts.fragment:
        raise _invalid(base_url, "base_url must not have a query or fragment")
