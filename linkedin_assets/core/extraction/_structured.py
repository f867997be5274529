"""JSON-LD (`application/ld+json`) Person data of the 2023 logged-out era.

LinkedIn masks some values for logged-out visitors ("**-*****"); those count as absent.
"""

from __future__ import annotations

import json
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from linkedin_assets.core.extraction._model import Education, education
from linkedin_assets.core.extraction._text import BR, NON_TEXT_TAGS, clean, one_line

# Real JSON-LD nests a Person one or two levels down (@graph, a list); a hostile page can nest
# thousands, which would exhaust Python's recursion limit.
MAX_NESTING = 16


def find_person(tree: LexborHTMLParser) -> dict[str, Any]:
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text())
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            continue
        person = _person_in(data)
        if person:
            return person
    return {}


def _person_in(data: Any, depth: int = 0) -> dict[str, Any]:
    if depth > MAX_NESTING:
        return {}
    if isinstance(data, list):
        for item in data:
            if found := _person_in(item, depth + 1):
                return found
        return {}
    if not isinstance(data, dict):
        return {}
    kind = data.get("@type")
    if kind == "Person" or (isinstance(kind, list) and "Person" in kind):
        return data
    return _person_in(data.get("@graph", []), depth + 1)


def is_masked(value: str) -> bool:
    compact = value.replace(" ", "")
    stars = compact.count("*")
    return stars > 0 and stars * 2 >= len(compact)


def _string(value: Any) -> str | None:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    text = one_line(str(value))
    return None if text is None or is_masked(text) else text


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _html_text(value: Any) -> str | None:
    """`description` carries <br> markup: parse it like a page rather than regex it."""
    text = _string(value) and str(value)
    if not text:
        return None
    tree = LexborHTMLParser(f"<div>{text}</div>")
    # The description is parsed as markup, so a <script>/<style> in it is an element whose code
    # would otherwise come out as About text.
    tree.strip_tags(NON_TEXT_TAGS)
    for br in tree.css("br"):
        br.replace_with(BR)
    node = tree.css_first("div")
    return clean(node.text()) if node is not None else None


def name(person: dict[str, Any]) -> str | None:
    return _string(person.get("name"))


def location(person: dict[str, Any]) -> str | None:
    address = _first(person.get("address"))
    if isinstance(address, dict):
        return _string(address.get("addressLocality"))
    return _string(address)


def about(person: dict[str, Any]) -> str | None:
    return _html_text(person.get("description"))


def works_for(person: dict[str, Any]) -> str | None:
    org = _first(person.get("worksFor"))
    return _string(org.get("name")) if isinstance(org, dict) else _string(org)


def followers(person: dict[str, Any]) -> int | None:
    stats = person.get("interactionStatistic")
    for stat in stats if isinstance(stats, list) else [stats]:
        if not isinstance(stat, dict) or "Follow" not in str(stat.get("interactionType", "")):
            continue
        count = stat.get("userInteractionCount")
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            return count
    return None


def schools(person: dict[str, Any]) -> list[Education]:
    """`alumniOf` mixes past employers and schools; only EducationalOrganization is a school."""
    found = []
    alumni = person.get("alumniOf")
    for org in alumni if isinstance(alumni, list) else [alumni]:
        if not isinstance(org, dict) or org.get("@type") != "EducationalOrganization":
            continue
        school = _string(org.get("name"))
        if school is None:
            continue
        member_field = org.get("member")
        member = member_field if isinstance(member_field, dict) else {}
        dates = (_string(member.get("startDate")), _string(member.get("endDate")))
        found.append(education(school, None, None, dates))
    return found
