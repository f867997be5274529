"""Logged-out public profiles, 2023 and 2024–25 shapes.

Landmarks: `top-card-layout`, `core-section-container`, `profile-section-card`.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from linkedin_assets.core.extraction import _fallback as fallback
from linkedin_assets.core.extraction._model import (
    Activity,
    Draft,
    Experience,
    education,
    experience,
)
from linkedin_assets.core.extraction._text import (
    counts,
    descendants,
    is_count,
    is_present,
    line,
    multiline,
    post_url,
    select,
    split_dates,
)
from linkedin_assets.core.extraction._words import OTHER_PEOPLES_CONTENT, section_kind

MARKER = ".top-card-layout, h1.top-card-layout__title"
_SECTION_CLASSES = {
    "summary": "about",
    "experience": "experience",
    "education": "education",
    "activities": "activity",
}


def _dates(node: LexborNode | None) -> tuple[str | None, str | None]:
    if node is None:
        return None, None
    times = [line(t) for t in node.css("time")]
    if not times:
        return split_dates(line(node))
    if len(times) > 1:
        return times[0], times[1]
    # "<time>Mar 2023</time> - Present <span>1 year</span>": the end is a bare word.
    words = (line(node) or "").split()
    return times[0], next((w for w in words if is_present(w)), None)


def _sections(root: LexborNode) -> dict[str, tuple[LexborNode, str]]:
    """Each section by kind, with the landmark that found it: its class, else its heading."""
    found: dict[str, tuple[LexborNode, str]] = {}
    for section in root.css("section.core-section-container"):
        classes = (section.attributes.get("class") or "").split()
        cls = next((c for c in classes if c in _SECTION_CLASSES), None)
        kind: str | None
        if cls is not None:
            kind, found_by = _SECTION_CLASSES[cls], f"section class {cls!r}"
        else:
            # The title's class first; any h2 when that class is gone too.
            title = line(section.css_first(".core-section-container__title, h2"))
            kind, found_by = section_kind(title), f"heading {title!r}"
        if kind and kind not in found:
            found[kind] = (section, found_by)
    return found


def _position(node: LexborNode, company: str | None) -> Experience:
    return experience(
        line(node.css_first(".profile-section-card__title")),
        company or line(node.css_first(".profile-section-card__subtitle")),
        _dates(node.css_first(".date-range")),
        line(node.css_first(".experience-item__location")),
        multiline(node.css_first(".show-more-less-text, .experience-item__description")),
    )


def _experience(section: LexborNode) -> list[Experience]:
    items: list[Experience] = []
    for li in select(section, "li.experience-item, li.profile-section-card"):
        classes = (li.attributes.get("class") or "").split()
        if "experience-group-position" in classes:
            continue  # read through its group, which knows the company
        if "experience-group" in classes:
            company = line(li.css_first(".experience-group-header__company"))
            items += [_position(p, company) for p in li.css("li.experience-group-position")]
        else:
            items.append(_position(li, None))
    return items


def _activity(section: LexborNode) -> list[Activity]:
    cards: list[Activity] = []
    for card in select(section, "li.activities-section__item--posts, li.activities-section__item"):
        context = line(card.css_first(".base-main-card__subtitle")) or ""
        if OTHER_PEOPLES_CONTENT.search(context):
            continue
        link = card.css_first("a.base-card__full-link, a[href]")
        href = link.attributes.get("href") if link is not None else None
        cards.append(
            Activity(
                text=multiline(card.css_first(".base-main-card__title")),
                url=post_url(href),  # javascript:/data: hrefs and junk become None
                posted=None,
            )
        )
    return cards


def read(root: LexborNode) -> Draft:
    top = root.css_first(".top-card-layout") or root
    draft = Draft(
        name=line(top.css_first("h1")),
        headline=line(top.css_first(".top-card-layout__headline")),
        current_company=line(
            top.css_first(
                ".top-card__position-info .top-card-link__description, "
                '[data-section="currentPositionsDetails"] .top-card-link__description'
            )
        ),
    )
    # 2023: .top-card__subline-item entries; 2024–25: spans of .profile-info-subheader.
    sublines = [
        text
        for node in select(top, ".top-card__subline-item, .profile-info-subheader span")
        if (text := line(node)) and not descendants(node, "span")
    ]
    draft.location = next((t for t in sublines if not is_count(t)), None)
    draft.connections, draft.followers = counts("\n".join(sublines))
    sections = _sections(root)
    if "about" in sections:
        section, found_by = sections["about"]
        about = multiline(section.css_first(".core-section-container__content"))
        draft.about = fallback.about(draft, about, section, found_by)
    if "experience" in sections:
        section, found_by = sections["experience"]
        draft.experience = fallback.experience_list(draft, _experience(section), section, found_by)
    if "education" in sections:
        section, found_by = sections["education"]
        schools = [
            education(
                line(li.css_first("h3")),
                *_degree_info(li),
                _dates(li.css_first(".date-range")),
            )
            for li in select(section, "li.education__list-item, li.profile-section-card")
        ]
        draft.education = fallback.education_list(draft, schools, section, found_by)
    if "activity" in sections:
        section, found_by = sections["activity"]
        draft.activity = fallback.activity_list(draft, _activity(section), section, found_by)
    return draft


def _degree_info(li: LexborNode) -> tuple[str | None, str | None]:
    infos = [line(n) for n in li.css(".education__item--degree-info")]
    return (infos[0] if infos else None), (infos[1] if len(infos) > 1 else None)
