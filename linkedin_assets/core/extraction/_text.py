"""Text helpers: every value the extractor returns passes through `clean` or `line`, every
link through `post_url`.

Regexes here only ever see plain text that selectolax already pulled out of text nodes.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Stands in for <br> inside text: `_document.prepare` swaps each <br> for it and `clean`
# turns it into "\n".
BR = "\ue000"

# Never text: code, styles, inert templates, what a browser shows only without JavaScript, and the
# fallback content of iframe/noembed/noframes, which a browser never renders (the parser keeps it
# as raw text, so "<p>…</p>" inside an iframe would come out as literal markup).
NON_TEXT_TAGS = ["script", "style", "template", "noscript", "iframe", "noembed", "noframes"]
# Longest link kept (as profile_ids.MAX_URL_LENGTH): a post URL is short, a megabyte href is junk.
MAX_LINK_LENGTH = 2048
_LINK_SCHEMES = ("http", "https")

# C0/C1 controls (NUL included) and lone surrogates would break JSON or the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACE = re.compile(r"\s+")
_BREAKS = re.compile(rf" ?{BR}[{BR} ]*")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_RANGE_SPLIT = re.compile(r"\s*[–—]\s*|\s+-\s+|(?<=\d)-(?=\d)")
_COUNT = re.compile(
    # A number grouped by spaces comes first: `clean` folds the NBSP or U+202F that German and
    # French pages group thousands with ("1\u00a0234 Kontakte") into a plain space.
    r"(?P<num>(?<!\d)\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d[\d.,\u00a0\u202f]*)"
    r"\s?(?P<mult>[KkMm](?![a-z]))?\+?\s*"
    r"(?P<word>followers?|connections?|kontakte?|abonnenten)\b",
    re.IGNORECASE,
)
_CONNECTION_WORDS = ("connection", "kontakt")

PRESENT_WORDS = frozenset({"present", "heute", "today", "now", "aujourd’hui", "aujourd'hui"})
WORKPLACE_TYPES = frozenset({"on-site", "hybrid", "remote", "vor ort"})


def clean(raw: str | None) -> str | None:
    """Collapse whitespace, keep <br> breaks as single "\\n", drop controls; None when empty."""
    if not raw:
        return None
    text = _CONTROL.sub(" ", raw)
    text = _SPACE.sub(" ", text)
    text = _BREAKS.sub("\n", text).strip()
    return text or None


def one_line(raw: str | None) -> str | None:
    """Like `clean`, for fields that are one line by nature (names, titles)."""
    if not raw:
        return None
    return clean(raw.replace(BR, " "))


def line(node: LexborNode | None) -> str | None:
    return one_line(node.text()) if node is not None else None


def multiline(node: LexborNode | None) -> str | None:
    """Paragraph text: each <p> (or <br> run) becomes one "\\n"-separated line."""
    if node is None:
        return None
    paragraphs = node.css("p")
    if not paragraphs:
        return clean(node.text())
    parts = [text for p in paragraphs if (text := clean(p.text()))]
    return "\n".join(parts) or None


def first_part(text: str | None) -> str | None:
    """'Veldt Robotics · Full-time' -> 'Veldt Robotics'."""
    if text is None:
        return None
    return text.split(" · ")[0].strip() or None


def place(text: str | None) -> str | None:
    """'Kraków, Poland · Hybrid' -> 'Kraków, Poland': the workplace type is not a place."""
    if text is None:
        return None
    head, _, tail = text.rpartition(" · ")
    return head.strip() if head and tail.strip().lower() in WORKPLACE_TYPES else text


def is_present(text: str | None) -> bool:
    return text is not None and text.strip().lower() in PRESENT_WORDS


def looks_like_dates(text: str | None) -> bool:
    if not text:
        return False
    head = text.split(" · ")[0]
    return bool(_YEAR.search(head)) or any(w in head.lower().split() for w in PRESENT_WORDS)


def split_dates(text: str | None) -> tuple[str | None, str | None]:
    """'Mar 2023 - Present · 1 yr 5 mos' -> ('Mar 2023', 'Present'); the duration is dropped."""
    if not text:
        return None, None
    head = text.split(" · ")[0].split("·")[0].strip()
    if not head:
        return None, None
    parts = _RANGE_SPLIT.split(head, maxsplit=1)
    start = parts[0].strip() or None
    end = (parts[1].strip() or None) if len(parts) > 1 else None
    return start, end


def _number(num: str, mult: str | None) -> int | None:
    num = num.strip(".,\u00a0\u202f ")
    if not num:
        return None
    if mult:
        try:
            value = float(num.replace(",", "."))
        except ValueError:
            return None
        return round(value * (1_000 if mult in "Kk" else 1_000_000))
    digits = re.sub(r"[.,\u00a0\u202f ]", "", num)
    return int(digits) if digits.isdigit() else None


def counts(text: str | None) -> tuple[int | None, int | None]:
    """(connections, followers) from text like '2,345 followers · 500+ connections'."""
    connections = followers = None
    for match in _COUNT.finditer(text or ""):
        value = _number(match["num"], match["mult"])
        if match["word"].lower().startswith(_CONNECTION_WORDS):
            connections = connections if connections is not None else value
        else:
            followers = followers if followers is not None else value
    return connections, followers


def is_count(text: str) -> bool:
    return bool(_COUNT.search(text))


def post_url(href: str | None) -> str | None:
    """An ``href`` resolved against https://www.linkedin.com/: an http(s) URL, or None.

    Hrefs are attribute values, not text: a page can put ``javascript:`` or ``data:`` URLs, control
    characters or a megabyte there, and ``urljoin`` raises ``ValueError`` on some (``http://[``).
    None of that may reach the JSON as a post's URL.
    """
    href = (href or "").strip()
    if not href or len(href) > MAX_LINK_LENGTH or _CONTROL.search(href) or _SPACE.search(href):
        return None
    try:
        url = urljoin("https://www.linkedin.com/", href)
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in _LINK_SCHEMES else None


def select(node: LexborNode | LexborHTMLParser, selector: str) -> list[LexborNode]:
    """`node.css` without the repeats lexbor returns when a selector list matches twice."""
    seen: set[int] = set()
    found = []
    for match in node.css(selector):
        if match.mem_id not in seen:
            seen.add(match.mem_id)
            found.append(match)
    return found


def descendants(node: LexborNode, selector: str) -> list[LexborNode]:
    """Matches strictly inside `node`: lexbor's `node.css` also returns `node` itself."""
    return [match for match in select(node, selector) if match.mem_id != node.mem_id]
