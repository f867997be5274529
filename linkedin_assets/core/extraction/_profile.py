"""Pick the era's reader, fill gaps from JSON-LD, and assemble the public result."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from linkedin_assets.core.extraction import _artdeco, _headings, _public, _pv, _structured
from linkedin_assets.core.extraction._activity import read_activity_page
from linkedin_assets.core.extraction._document import prepare
from linkedin_assets.core.extraction._fulltext import build_fulltext
from linkedin_assets.core.extraction._model import Draft, ExtractedProfile, Extraction
from linkedin_assets.core.extraction._text import is_present

# Most specific first: the 2022 top card still carries the `pv-top-card` class of 2019.
_READERS = (
    (_public.MARKER, _public.read),
    (_artdeco.MARKER, _artdeco.read),
    (_pv.MARKER, _pv.read),
)


def _read(root: LexborNode) -> Draft:
    for marker, read in _READERS:
        if root.css_first(marker) is not None:
            return read(root)
    return _headings.read(root)


def extract_profile(profile_html: str, activity_html: str | None = None) -> ExtractedProfile:
    """Everything the member shows about themself on a captured profile page (pure, no I/O)."""
    return extract(profile_html, activity_html).profile


def extract(profile_html: str, activity_html: str | None = None) -> Extraction:
    """`extract_profile`, with the sections read from their text because their markup changed."""
    doc = prepare(profile_html)
    draft = _read(doc.root)
    person = doc.person
    if person:
        # The DOM wins; JSON-LD only fills what the page lacks (masked values count as absent).
        draft.name = draft.name or _structured.name(person)
        draft.location = draft.location or _structured.location(person)
        draft.about = draft.about or _structured.about(person)
        draft.current_company = draft.current_company or _structured.works_for(person)
        if draft.followers is None:
            draft.followers = _structured.followers(person)
        draft.education = draft.education or _structured.schools(person)
    if draft.current_company is None:
        draft.current_company = next(
            (
                job["company"]
                for job in draft.experience
                if job["company"] and (job["end"] is None or is_present(job["end"]))
            ),
            None,
        )
    activity = read_activity_page(activity_html) if activity_html is not None else draft.activity
    profile = ExtractedProfile(
        name=draft.name,
        headline=draft.headline,
        location=draft.location,
        about=draft.about,
        current_company=draft.current_company,
        experience=draft.experience,
        education=draft.education,
        skills=draft.skills,
        connections=draft.connections,
        followers=draft.followers,
        activity=activity,
        fulltext=build_fulltext(
            draft.name,
            draft.headline,
            draft.location,
            draft.about,
            draft.experience,
            draft.education,
            draft.skills,
            activity,
        ),
    )
    # With an activity page, the profile's own activity cards are not used, nor their fallback.
    used = [f for f in draft.fallbacks if activity_html is None or f.field != "activity"]
    return Extraction(profile, tuple(used))
