"""Logged-in profiles of 2025 onward, and the fallback for unknown markup.

Class names are hashed per deploy, so this reader uses only what stays: `main`, the `h1`, `section`s
found by their `h2` text (English or German), and `ul > li` items built from `p` lines.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from linkedin_assets.core.extraction import _fallback as fallback
from linkedin_assets.core.extraction._model import Activity, Draft, Education, Experience
from linkedin_assets.core.extraction._model import education as make_education
from linkedin_assets.core.extraction._model import experience as make_experience
from linkedin_assets.core.extraction._text import (
    counts,
    descendants,
    first_part,
    is_count,
    line,
    looks_like_dates,
    multiline,
    place,
    post_url,
    split_dates,
)
from linkedin_assets.core.extraction._words import OTHER_PEOPLES_CONTENT, section_kind

_POSTED = re.compile(r"•\s*(.+)$")


def _closest(node: LexborNode, tag: str, stop: LexborNode | None = None) -> LexborNode | None:
    current = node.parent
    while current is not None and (stop is None or current.mem_id != stop.mem_id):
        if current.tag == tag:
            return current
        current = current.parent
    return None


def _blocks(item: LexborNode) -> list[list[str]]:
    """The item's own `p` lines grouped by parent element, skipping nested list items."""
    blocks: list[list[str]] = []
    last_parent = None
    for p in item.css("p"):
        li = _closest(p, "li")
        if li is None or li.mem_id != item.mem_id:
            continue
        text = line(p)
        if not text:
            continue
        parent = p.parent.mem_id if p.parent is not None else None
        if parent != last_parent or not blocks:
            blocks.append([])
            last_parent = parent
        blocks[-1].append(text)
    return blocks


def _items(section: LexborNode) -> list[LexborNode]:
    lst = section.css_first("ul, ol")
    return [child for child in lst.iter() if child.tag == "li"] if lst is not None else []


def _role(item: LexborNode, company: str | None) -> Experience:
    blocks = _blocks(item) or [[]]
    detail, rest = blocks[0], blocks[1:]
    date_at = next((i for i, text in enumerate(detail) if i and looks_like_dates(text)), None)
    if company is None and len(detail) > 1 and date_at != 1:
        company = first_part(detail[1])
    location = None
    if date_at is not None and date_at + 1 < len(detail):
        location = place(detail[date_at + 1])
    return make_experience(
        detail[0] if detail else None,
        company,
        split_dates(detail[date_at] if date_at is not None else None),
        location,
        "\n".join(text for block in rest for text in block) or None,
    )


def _experience(section: LexborNode) -> list[Experience]:
    found: list[Experience] = []
    for item in _items(section):
        nested = [li for li in descendants(item, "li") if li.css_first("p")]
        if nested:
            header = _blocks(item)
            company = first_part(header[0][0]) if header and header[0] else None
            found += [_role(li, company) for li in nested]
        else:
            found.append(_role(item, None))
    return found


def _education(section: LexborNode) -> list[Education]:
    found = []
    for item in _items(section):
        detail = (_blocks(item) or [[]])[0]
        if not detail:
            continue
        dates = next((t for t in detail[1:] if looks_like_dates(t)), None)
        info = next((t for t in detail[1:2] if not looks_like_dates(t)), "")
        degree, _, field = info.partition(", ")
        found.append(make_education(detail[0], degree or None, field or None, split_dates(dates)))
    return found


def _activity(section: LexborNode) -> list[Activity]:
    cards = []
    for item in _items(section):
        link = item.css_first('a[href*="/feed/update/"], a[href*="/posts/"]')
        if link is None:
            continue
        context = line(item.css_first("span")) or ""
        if OTHER_PEOPLES_CONTENT.search(context):
            continue
        posted = _POSTED.search(context)
        href = link.attributes.get("href")
        cards.append(
            Activity(
                text="\n".join(text for block in _blocks(item) for text in block) or None,
                url=post_url(href),  # javascript:/data: hrefs and junk become None
                posted=posted.group(1).strip() if posted else None,
            )
        )
    return cards


def read(root: LexborNode) -> Draft:
    main = root.css_first("main") or root
    h1 = main.css_first("h1")
    draft = Draft(name=line(h1))
    if h1 is not None:
        top = _closest(h1, "section", stop=main) or h1.parent or main
        # Top-card lines: links are "Contact info", counts and company/school chips.
        lines = [
            text
            for p in top.css("p")
            if (text := line(p)) and p.css_first("a") is None and _closest(p, "a", top) is None
        ]
        plain = [text for text in lines if not is_count(text)]
        draft.headline = plain[0] if plain else None
        draft.location = plain[1] if len(plain) > 1 else None
        draft.current_company = line(top.css_first('a[href*="/company/"]'))
        draft.connections, draft.followers = counts(top.text(separator="\n"))
    for h2 in main.css("h2"):
        title = line(h2)
        kind = section_kind(title)
        section = _closest(h2, "section", stop=main)
        if kind is None or section is None:
            continue
        found_by = f"heading {title!r}"
        if kind == "about" and draft.about is None:
            # Without `p` lines, the section's text would start with its own heading.
            about = multiline(section) if section.css_first("p") is not None else None
            draft.about = fallback.about(draft, about, section, found_by)
        elif kind == "experience" and not draft.experience:
            draft.experience = fallback.experience_list(
                draft, _experience(section), section, found_by
            )
        elif kind == "education" and not draft.education:
            draft.education = fallback.education_list(draft, _education(section), section, found_by)
        elif kind == "skills" and not draft.skills:
            # Each skill item is the skill's name, then an endorsement line.
            skills = [b[0][0] for item in _items(section) if (b := _blocks(item)) and b[0]]
            draft.skills = fallback.skills_list(draft, skills, section, found_by)
        elif kind == "activity" and not draft.activity:
            # A card without `p` lines has a link but no text: not read.
            cards = [card for card in _activity(section) if card["text"] is not None]
            draft.activity = fallback.activity_list(draft, cards, section, found_by)
            if draft.followers is None:
                draft.followers = counts(section.text(separator="\n"))[1]
    return draft
