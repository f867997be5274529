"""When a known section's inner markup has changed: read the field from the section's own text.

Every era's reader finds a section by a landmark (an anchor such as `div#experience`, an id, a
section class or its `h2` heading) and then reads it with inner selectors. LinkedIn renames those
inner classes often; when none of them match, the field must not come out empty. These functions
take the section, drop its heading, its UI links and buttons ("…see more", "Show all 7
experiences") and any screen-reader copy (`_document.prepare` already removed them), and build
the field from the lines of text that remain. Each use is noted on the draft (`Draft.fallbacks`),
and the profile_text layer reports it in its materialization metadata.

What each field gets (docs/extraction.md, "When the inner markup changes"):

- about: the section's lines, one per line;
- experience: one entry per item of the section's first list, its lines in `description` (title,
  company and dates stay None: without markup a title cannot be told from a company, and a grouped
  item starts with the company);
- education: one entry per item: the first line is the school, the first later line that looks like
  dates gives start and end, the first other later line is the degree;
- skills: the first line of each item;
- activity: each item that links to a post and is not someone else's content: its lines as `text`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from selectolax.lexbor import LexborNode

from linkedin_assets.core.extraction._model import (
    Activity,
    Draft,
    Education,
    Experience,
    Fallback,
    education,
    experience,
)
from linkedin_assets.core.extraction._text import clean, looks_like_dates, post_url, split_dates
from linkedin_assets.core.extraction._words import OTHER_PEOPLES_CONTENT, is_ui_label

# Elements that flow inside a line of text. Any other element starts a new line, as does an inline
# element whose siblings are elements only: 2022 pages show spans as lines through CSS alone.
INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
     "label", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
     "var", "wbr"}
)  # fmt: skip
T = TypeVar("T")
_POST_LINK = 'a[href*="/feed/update/"], a[href*="/posts/"]'


def lines(node: LexborNode, skip: Callable[[LexborNode], bool] | None = None) -> list[str]:
    """The node's text as a reader sees it, one entry per line, no line twice in a row.

    Iterative (no recursion limit). Text nodes of one element flow into one line when the element
    holds text of its own; otherwise each child element is a line of its own.
    """
    found: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = clean(" ".join(run))
        run.clear()
        for part in (text or "").split("\n"):
            if part and (not found or found[-1] != part):
                found.append(part)

    stack: list[tuple[LexborNode | None, bool]] = [(node, False)]
    while stack:
        item, in_flow = stack.pop()
        if item is None:
            flush()
            continue
        if item.is_text_node:
            run.append(item.text_content or "")
            continue
        if not item.is_element_node or (skip is not None and skip(item)) or _hidden(item):
            continue
        children = list(item.iter(include_text=True))
        flows = any(c.is_text_node and (c.text_content or "").strip() for c in children)
        if item.tag not in INLINE_TAGS or not in_flow:
            flush()
            stack.append((None, False))  # flush again once the children are read
        stack.extend((child, flows) for child in reversed(children))
    flush()
    return found


def _hidden(node: LexborNode) -> bool:
    """Not text a reader sees: decoration (`aria-hidden`, logos and avatars: the shown copy of a
    doubled string lost the attribute in `_document.prepare`), or the clamped copy of a text that
    follows in full (2023's `show-more-less-text__text--less` before `--more`, whatever their
    classes are called)."""
    if node.attributes.get("aria-hidden") == "true":
        return True
    twin = node.next
    while twin is not None and not twin.is_element_node:
        twin = twin.next
    if twin is None or twin.tag != node.tag:
        return False
    text = clean(node.text())
    return text is not None and clean(twin.text()) == text


def _skipper(section: LexborNode) -> Callable[[LexborNode], bool]:
    """Skip the section's heading (its first `h2`) and links or buttons that are UI labels."""
    heading = section.css_first("h2")
    heading_id = heading.mem_id if heading is not None else None

    def skip(node: LexborNode) -> bool:
        if node.mem_id == heading_id:
            return True
        return node.tag in ("a", "button") and is_ui_label(node.text())

    return skip


def _items(section: LexborNode) -> list[LexborNode]:
    """The items of the section's first list that has any."""
    for lst in section.css("ul, ol"):
        items = [child for child in lst.iter() if child.tag == "li"]
        if items:
            return items
    return []


def _item_lines(section: LexborNode) -> list[list[str]]:
    skip = _skipper(section)
    items = _items(section)
    if not items:
        # No list at all: the section's text is one item.
        return [found] if (found := lines(section, skip)) else []
    return [found for item in items if (found := lines(item, skip))]


def read_about(section: LexborNode) -> str | None:
    return "\n".join(lines(section, _skipper(section))) or None


def read_experience(section: LexborNode) -> list[Experience]:
    return [
        experience(None, None, (None, None), None, "\n".join(found))
        for found in _item_lines(section)
    ]


def read_education(section: LexborNode) -> list[Education]:
    found = []
    for school, *rest in _item_lines(section):
        dates = next((text for text in rest if looks_like_dates(text)), None)
        degree = next((text for text in rest if not looks_like_dates(text)), None)
        found.append(education(school, degree, None, split_dates(dates)))
    return found


def read_skills(section: LexborNode) -> list[str]:
    if not _items(section):
        return lines(section, _skipper(section))
    return [found[0] for found in _item_lines(section)]


def read_activity(section: LexborNode) -> list[Activity]:
    skip = _skipper(section)
    cards = []
    for item in _items(section):
        link = item.css_first(_POST_LINK)
        found = lines(item, skip)
        if link is None or not found or any(OTHER_PEOPLES_CONTENT.search(t) for t in found):
            continue
        cards.append(
            Activity(text="\n".join(found), url=post_url(link.attributes.get("href")), posted=None)
        )
    return cards


def _blank(value: object) -> bool:
    """Nothing read: None, an empty list, or entries whose every field is None (a post's URL
    alone does not count: it comes from an `href`, which no renamed class hides)."""
    if value is None or value == []:
        return True
    if isinstance(value, list):
        return all(
            isinstance(e, dict) and all(v is None for k, v in e.items() if k != "url")
            for e in value
        )
    return False


def _use(
    draft: Draft,
    field: str,
    value: T,
    section: LexborNode,
    found_by: str,
    read: Callable[[LexborNode], T],
) -> T:
    if not _blank(value):
        return value
    rescued = read(section)
    if _blank(rescued):
        return value
    draft.fallbacks.append(Fallback(field, found_by))
    return rescued


def about(draft: Draft, value: str | None, section: LexborNode, found_by: str) -> str | None:
    """``value`` if the era's selectors found it, else the section's text (noted on ``draft``)."""
    return _use(draft, "about", value, section, found_by, read_about)


def experience_list(
    draft: Draft, value: list[Experience], section: LexborNode, found_by: str
) -> list[Experience]:
    return _use(draft, "experience", value, section, found_by, read_experience)


def education_list(
    draft: Draft, value: list[Education], section: LexborNode, found_by: str
) -> list[Education]:
    return _use(draft, "education", value, section, found_by, read_education)


def skills_list(draft: Draft, value: list[str], section: LexborNode, found_by: str) -> list[str]:
    return _use(draft, "skills", value, section, found_by, read_skills)


def activity_list(
    draft: Draft, value: list[Activity], section: LexborNode, found_by: str
) -> list[Activity]:
    return _use(draft, "activity", value, section, found_by, read_activity)
