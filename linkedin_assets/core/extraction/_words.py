"""Words the readers match against already-extracted text: section headings and activity context."""

from __future__ import annotations

import re

# Heading text (lower-cased) -> section kind. English and German UIs; add languages here.
SECTION_HEADINGS = {
    "about": "about",
    "info": "about",
    "summary": "about",
    "experience": "experience",
    "berufserfahrung": "experience",
    "erfahrung": "experience",
    "education": "education",
    "ausbildung": "education",
    "skills": "skills",
    "skills & endorsements": "skills",
    "kenntnisse": "skills",
    "activity": "activity",
    "aktivitäten": "activity",
}

# Context lines saying a card is someone else's content the member only reacted to or shared.
OTHER_PEOPLES_CONTENT = re.compile(
    r"\b(liked|likes|loves|celebrates|supports|commented|reposted|"
    r"gefällt|kommentiert|geteilt|reposted)\b",
    re.IGNORECASE,
)


def section_kind(heading: str | None) -> str | None:
    return SECTION_HEADINGS.get((heading or "").strip().lower())


# Labels of links and buttons that only expand or page a section ("…see more", "Show all 7
# experiences", "Join now to see all activity"): UI, never the member's text.
UI_LABEL = re.compile(
    r"^(?:…|\.\.\.)?\s*(?:see more|see less|show more|show less|show all\b.*|see all\b.*|"
    r"join now to see all activity|mehr anzeigen|weniger anzeigen|alle anzeigen\b.*)$",
    re.IGNORECASE,
)


def is_ui_label(text: str | None) -> bool:
    return text is not None and UI_LABEL.match(text.strip()) is not None
