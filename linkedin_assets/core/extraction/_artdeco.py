"""Logged-in profiles of 2022–24: `artdeco-card` sections found by anchors (`div#experience`),
`pvs` lists of spans. The screen-reader copy of each doubled string is already gone."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from linkedin_assets.core.extraction import _fallback as fallback
from linkedin_assets.core.extraction._model import Activity, Draft, Education, Experience
from linkedin_assets.core.extraction._model import education as make_education
from linkedin_assets.core.extraction._model import experience as make_experience
from linkedin_assets.core.extraction._text import (
    counts,
    descendants,
    first_part,
    line,
    looks_like_dates,
    multiline,
    place,
    post_url,
    select,
    split_dates,
)
from linkedin_assets.core.extraction._words import OTHER_PEOPLES_CONTENT

MARKER = "div.pv-profile-card__anchor, h1.text-heading-xlarge"
ITEMS = "li.artdeco-list__item, li.pvs-list__item--line-separated"
_POSTED = "•"
ANCHORS = frozenset({"about", "experience", "education", "skills", "content_collections"})


def _entity(node: LexborNode) -> tuple[str | None, str | None, list[str]]:
    """(bold line, normal line, light lines) of one list entity, in document order."""
    bold = line(node.css_first(".t-bold"))
    normal = next(
        (
            text
            for span in node.css("span.t-14.t-normal")
            if "t-black--light" not in (span.attributes.get("class") or "") and (text := line(span))
        ),
        None,
    )
    light = [text for span in node.css("span.t-14.t-normal.t-black--light") if (text := line(span))]
    return bold, normal, light


def _role(node: LexborNode, company: str | None) -> Experience:
    title, normal, light = _entity(node)
    dates = next((t for t in light if looks_like_dates(t)), None)
    where = next((t for t in light if not looks_like_dates(t)), None)
    descriptions = [text for n in node.css(".inline-show-more-text") if (text := multiline(n))]
    return make_experience(
        title,
        company or first_part(normal),
        split_dates(dates),
        place(where),
        "\n".join(descriptions) or None,
    )


def _experience(section: LexborNode) -> list[Experience]:
    items: list[Experience] = []
    for li in select(section, ITEMS):
        roles = [sub for sub in descendants(li, "li") if sub.css_first(".t-bold")]
        if roles:
            company = line(li.css_first(".t-bold"))
            items += [_role(role, company) for role in roles]
        else:
            items.append(_role(li, None))
    return items


def _education(section: LexborNode) -> list[Education]:
    found = []
    for li in select(section, ITEMS):
        school, normal, light = _entity(li)
        degree, _, field = (normal or "").partition(", ")
        dates = next((t for t in light if looks_like_dates(t)), None)
        found.append(make_education(school, degree or None, field or None, split_dates(dates)))
    return found


def _activity(section: LexborNode) -> list[Activity]:
    cards = []
    for li in section.css("li"):
        link = li.css_first('a[href*="/feed/update/"], a[href*="/posts/"]')
        if link is None:
            continue
        context = line(li.css_first(".feed-mini-update-contextual-description__text")) or ""
        if OTHER_PEOPLES_CONTENT.search(context):
            continue
        posted = context.rpartition(_POSTED)[2].strip() if _POSTED in context else None
        href = link.attributes.get("href")
        cards.append(
            Activity(
                text=multiline(
                    li.css_first(".feed-mini-update-commentary__text, .update-components-text")
                ),
                url=post_url(href),  # javascript:/data: hrefs and junk become None
                posted=posted or None,
            )
        )
    return cards


def read(root: LexborNode) -> Draft:
    main = root.css_first("main") or root
    top = main.css_first("section.pv-top-card") or main
    draft = Draft(
        name=line(top.css_first("h1")),
        headline=line(top.css_first(".text-body-medium.break-words")),
        location=line(top.css_first(".text-body-small.inline.t-black--light.break-words")),
        current_company=line(top.css_first('button[aria-label^="Current company"]')),
    )
    count_text = [line(li) or "" for li in top.css("ul.pv-top-card--list li")]
    sections: dict[str, LexborNode] = {}
    # The anchor's class may be renamed: a div with a known id right inside a section is one too.
    for anchor in select(main, "div.pv-profile-card__anchor, section > div[id]"):
        anchor_id = anchor.attributes.get("id")
        if anchor_id in ANCHORS and anchor.parent is not None:
            sections.setdefault(anchor_id, anchor.parent)
    if "about" in sections:
        about = multiline(
            sections["about"].css_first(".inline-show-more-text, .pv-shared-text-with-see-more")
        )
        draft.about = fallback.about(draft, about, sections["about"], "the #about anchor")
    if "experience" in sections:
        section = sections["experience"]
        draft.experience = fallback.experience_list(
            draft, _experience(section), section, "the #experience anchor"
        )
    if "education" in sections:
        section = sections["education"]
        draft.education = fallback.education_list(
            draft, _education(section), section, "the #education anchor"
        )
    if "skills" in sections:
        skills = [
            text
            for li in select(sections["skills"], ITEMS)
            if (text := line(li.css_first(".t-bold")))
        ]
        draft.skills = fallback.skills_list(draft, skills, sections["skills"], "the #skills anchor")
    activity = sections.get("content_collections")
    if activity is not None:
        draft.activity = fallback.activity_list(
            draft, _activity(activity), activity, "the #content_collections anchor"
        )
        count_text.append(line(activity.css_first(".pvs-header__subtitle")) or "")
    draft.connections, draft.followers = counts("\n".join(count_text))
    return draft
