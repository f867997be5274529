"""Logged-in profiles of 2019–21: `pv-top-card`, `#experience-section`, `pv-entity__*` classes.

Field labels ("Dates Employed", "Company Name") sit in `.visually-hidden` spans, which
`_document.prepare` has already removed.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from linkedin_assets.core.extraction import _fallback as fallback
from linkedin_assets.core.extraction._model import Draft, Experience, education, experience
from linkedin_assets.core.extraction._text import (
    counts,
    is_count,
    line,
    multiline,
    one_line,
    select,
    split_dates,
)
from linkedin_assets.core.extraction._words import section_kind

MARKER = ".pv-top-card, #experience-section, .pv-about-section"
# Where each section was in 2019–21; a section none of these finds is looked up by its heading.
_LANDMARKS = (
    ("about", "section.pv-about-section"),
    ("experience", "#experience-section"),
    ("education", "#education-section"),
    ("skills", "section.pv-skill-categories-section"),
)


def _role(node: LexborNode, company: str | None) -> Experience:
    if company is None:
        # "<p class=pv-entity__secondary-title>Acme<span class=separator>Full-time</span></p>"
        secondary = node.css_first("p.pv-entity__secondary-title")
        company = one_line(secondary.text(deep=False)) if secondary is not None else None
    return experience(
        line(node.css_first("h3")),
        company,
        split_dates(line(node.css_first(".pv-entity__date-range"))),
        line(node.css_first(".pv-entity__location")),
        multiline(node.css_first(".pv-entity__description")),
    )


def _experience(section: LexborNode) -> list[Experience]:
    items: list[Experience] = []
    for li in select(
        section, "li.pv-entity__position-group-pager, li.pv-profile-section__list-item"
    ):
        roles = li.css("li.pv-entity__position-group-role-item")
        if roles:
            company = line(li.css_first(".pv-entity__company-summary-info h3"))
            items += [_role(role, company) for role in roles]
        else:
            items.append(_role(li, None))
    return items


def _dates(node: LexborNode | None) -> tuple[str | None, str | None]:
    if node is None:
        return None, None
    times = [line(t) for t in node.css("time")]
    if times:
        return times[0], times[1] if len(times) > 1 else None
    return split_dates(line(node))


def read(root: LexborNode) -> Draft:
    top = root.css_first(".pv-top-card") or root
    bullets = [
        (li, text) for li in top.css("ul.pv-top-card--list-bullet > li") if (text := line(li))
    ]
    # "Contact info" is a link; the location is plain text. Counts may be either.
    plain = [text for li, text in bullets if li.css_first("a") is None and not is_count(text)]
    draft = Draft(
        name=line(top.css_first("h1")),
        headline=line(top.css_first("h2")),
        location=plain[0] if plain else None,
        current_company=line(
            top.css_first('[data-control-name="position_see_more"]')
            or top.css_first(".pv-top-card--experience-list-item")
        ),
    )
    draft.connections, draft.followers = counts("\n".join(text for _, text in bullets))
    draft.about = multiline(root.css_first(".pv-about__summary-text"))
    draft.skills = [
        text for node in root.css(".pv-skill-category-entity__name-text") if (text := line(node))
    ]
    draft.education = [
        education(
            line(li.css_first(".pv-entity__school-name")),
            line(li.css_first(".pv-entity__degree-name .pv-entity__comma-item"))
            or line(li.css_first(".pv-entity__degree-name")),
            line(li.css_first(".pv-entity__fos .pv-entity__comma-item"))
            or line(li.css_first(".pv-entity__fos")),
            _dates(li.css_first(".pv-entity__dates")),
        )
        for li in root.css("#education-section li.pv-education-entity")
    ]
    section = root.css_first("#experience-section")
    if section is not None:
        draft.experience = _experience(section)
    # A section found by its landmark whose inner classes all changed: read its text instead.
    sections = _sections(root)
    if "about" in sections:
        draft.about = fallback.about(draft, draft.about, *sections["about"])
    if "experience" in sections:
        draft.experience = fallback.experience_list(
            draft, draft.experience, *sections["experience"]
        )
    if "education" in sections:
        draft.education = fallback.education_list(draft, draft.education, *sections["education"])
    if "skills" in sections:
        draft.skills = fallback.skills_list(draft, draft.skills, *sections["skills"])
    return draft


def _sections(root: LexborNode) -> dict[str, tuple[LexborNode, str]]:
    """Each section by kind, with the landmark that found it: its id or class, else its heading."""
    found: dict[str, tuple[LexborNode, str]] = {}
    for kind, landmark in _LANDMARKS:
        node = root.css_first(landmark)
        if node is not None:
            found[kind] = (node, landmark)
    for h2 in root.css("section h2"):
        title = line(h2)
        heading_kind = section_kind(title)
        section = _closest_section(h2)
        if heading_kind and heading_kind not in found and section is not None:
            found[heading_kind] = (section, f"heading {title!r}")
    return found


def _closest_section(node: LexborNode) -> LexborNode | None:
    current = node.parent
    while current is not None and current.tag != "section":
        current = current.parent
    return current
