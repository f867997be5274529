"""The shapes the extractor returns, and the mutable draft each era fills in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict


class Experience(TypedDict):
    title: str | None
    company: str | None
    location: str | None
    start: str | None
    end: str | None
    description: str | None


class Education(TypedDict):
    school: str | None
    degree: str | None
    field: str | None
    start: str | None
    end: str | None


class Activity(TypedDict):
    text: str | None
    url: str | None
    posted: str | None


class ExtractedProfile(TypedDict):
    name: str | None
    headline: str | None
    location: str | None
    about: str | None
    current_company: str | None
    experience: list[Experience]
    education: list[Education]
    skills: list[str]
    connections: int | None
    followers: int | None
    activity: list[Activity]
    fulltext: str


@dataclass(frozen=True)
class Extraction:
    """The profile, and the sections whose field came from their text rather than their markup.

    The fallbacks are not part of the profile document (its schema has no place for them): the
    profile_text layer reports them in its materialization metadata.
    """

    profile: ExtractedProfile
    fallbacks: tuple[Fallback, ...] = ()


@dataclass(frozen=True)
class Fallback:
    """A section found by its landmark whose field was read from its text (`_fallback`)."""

    field: str  # "about", "experience", "education", "skills" or "activity"
    found_by: str  # the landmark: "#experience anchor", "heading 'Experience'" …

    @property
    def message(self) -> str:
        return (
            f"{self.field}: the section found by {self.found_by} matched none of the known inner "
            "selectors; the field was read from the section's text"
        )


@dataclass
class Draft:
    """What one era's reader found on the page; `current_company` here is the top card's only."""

    name: str | None = None
    headline: str | None = None
    location: str | None = None
    about: str | None = None
    current_company: str | None = None
    experience: list[Experience] = field(default_factory=list)
    education: list[Education] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    connections: int | None = None
    followers: int | None = None
    activity: list[Activity] = field(default_factory=list)
    fallbacks: list[Fallback] = field(default_factory=list)


def experience(
    title: str | None,
    company: str | None,
    dates: tuple[str | None, str | None],
    location: str | None = None,
    description: str | None = None,
) -> Experience:
    return Experience(
        title=title,
        company=company,
        location=location,
        start=dates[0],
        end=dates[1],
        description=description,
    )


def education(
    school: str | None,
    degree: str | None,
    field_: str | None,
    dates: tuple[str | None, str | None],
) -> Education:
    return Education(school=school, degree=degree, field=field_, start=dates[0], end=dates[1])
