"""The member's own text, one logical item per line, rendered from the extracted fields.

Building it from fields (not from the page's text) is what keeps site chrome out by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from linkedin_assets.core.extraction._model import Activity, Education, Experience


def _range(start: str | None, end: str | None) -> str | None:
    if start and end:
        return f"{start} – {end}"
    return start or end


def _joined(*parts: str | None) -> str | None:
    return " · ".join(part for part in parts if part) or None


def _lines(
    name: str | None,
    headline: str | None,
    location: str | None,
    about: str | None,
    experience: Iterable[Experience],
    education: Iterable[Education],
    skills: Iterable[str],
    activity: Iterable[Activity],
) -> Iterator[str | None]:
    yield from (name, headline, location)
    yield from (about or "").split("\n")
    for job in experience:
        yield _joined(
            job["title"], job["company"], _range(job["start"], job["end"]), job["location"]
        )
        yield from (job["description"] or "").split("\n")
    for school in education:
        yield _joined(
            school["school"],
            school["degree"],
            school["field"],
            _range(school["start"], school["end"]),
        )
    yield from skills
    for post in activity:
        yield from (post["text"] or "").split("\n")


def build_fulltext(
    name: str | None,
    headline: str | None,
    location: str | None,
    about: str | None,
    experience: Iterable[Experience],
    education: Iterable[Education],
    skills: Iterable[str],
    activity: Iterable[Activity],
) -> str:
    out: list[str] = []
    for text in _lines(name, headline, location, about, experience, education, skills, activity):
        text = (text or "").strip()
        if text and (not out or out[-1] != text):
            out.append(text)
    return "\n".join(out)
