"""Regenerate `pages/` and `pages/manifest.json` from the fictional people in `_people.py`.

    python -m linkedin_assets.local.sample_site._build [PAGES_DIR]

The pages are committed; rerun this only after changing `_people.py` or a renderer. The manifest's
`expected` block is copied from the hand-written data, never read back from the rendered pages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from linkedin_assets.local.sample_site._people import PEOPLE, SPECIALS, Person
from linkedin_assets.local.sample_site._render_common import (
    LOGIN_PAGE,
    NOT_FOUND_PAGE,
    RATE_LIMITED_PAGE,
    activity_page,
    activity_url,
)
from linkedin_assets.local.sample_site._render_member import profile_page as member_page
from linkedin_assets.local.sample_site._render_public import profile_page as public_page
from linkedin_assets.local.sample_site._variants import vary

DEFAULT_PAGES_DIR = Path(__file__).parent / "pages"


def render_profile(person: Person) -> str:
    if person.era.startswith("logged_out"):
        return vary(public_page(person), person)
    return vary(member_page(person), person)


def expected(person: Person) -> dict[str, Any]:
    """The golden truth for one person, entry by entry, from the hand-written data."""
    # The activity page wins when there is one; otherwise the profile page's own cards count.
    posts = person.posts if person.has_activity_page else person.cards
    golden = {
        "name": person.name,
        "headline": person.headline,
        "location": person.location,
        "current_company": person.current_company,
        "about": person.about,
        "experience": [
            {
                "title": job.title,
                "company": job.company,
                "location": job.location,
                "start": job.start,
                "end": job.end,
                "description": job.description,
            }
            for job in person.jobs
        ],
        "education": [
            {
                "school": school.school,
                "degree": school.degree,
                "field": school.field,
                "start": school.start,
                "end": school.end,
            }
            for school in person.schools
        ],
        "skills": list(person.skills),
        "activity": [
            {"text": post.text, "url": activity_url(post.urn), "posted": post.posted}
            for post in posts
            if post.author is None
        ],
        "connections": person.connections[1] if person.connections else None,
        "followers": person.followers[1] if person.followers else person.jsonld_followers,
        "about_contains": list(person.about_contains) if person.about else None,
        "fulltext_contains": list(person.fulltext_contains),
        "fulltext_excludes": list(person.fulltext_excludes),
        "literal_markup": list(person.literal_markup),
        # The sections whose field the extractor read from their text: none on a standard page.
        "fallbacks": [],
    }
    # A variant page: what the section-text fallback reads replaces the hand-written entries.
    golden.update(person.fallback or {})
    return golden


def manifest() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = [
        {
            "profile_id": p.profile_id,
            "era": p.era,
            "outcome": "ok",
            "has_activity_page": p.has_activity_page,
            "expected": expected(p),
        }
        for p in PEOPLE
    ]
    entries += [
        {"profile_id": s.profile_id, "era": s.era, "outcome": s.outcome, "has_activity_page": False}
        for s in SPECIALS
    ]
    return entries


def build(pages_dir: Path = DEFAULT_PAGES_DIR) -> None:
    for person in PEOPLE:
        folder = pages_dir / person.profile_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "profile.html").write_text(render_profile(person), encoding="utf-8")
        if person.has_activity_page:
            (folder / "activity.html").write_text(activity_page(person), encoding="utf-8")
    special = pages_dir / "_special"
    special.mkdir(parents=True, exist_ok=True)
    for name, html in (
        ("login.html", LOGIN_PAGE),
        ("not_found.html", NOT_FOUND_PAGE),
        ("rate_limited.html", RATE_LIMITED_PAGE),
    ):
        (special / name).write_text(html, encoding="utf-8")
    text = json.dumps(manifest(), ensure_ascii=False, indent=2) + "\n"
    (pages_dir / "manifest.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PAGES_DIR)
