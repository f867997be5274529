"""Pure extraction of a captured LinkedIn profile page into JSON-ready fields.

    extract_profile(profile_html, activity_html=None) -> ExtractedProfile
    extract(profile_html, activity_html=None) -> Extraction   # the profile + the fallbacks used
    classify_page(status, url, html) -> PageVerdict

No Dagster, no network: one selectolax (lexbor) parse per page. Each markup era has a small reader
(`_public`, `_pv`, `_artdeco`, `_headings`); docs/extraction.md explains the rules.
"""

from __future__ import annotations

from linkedin_assets.core.extraction._classify import PageVerdict, classify_page
from linkedin_assets.core.extraction._model import (
    Activity,
    Education,
    Experience,
    ExtractedProfile,
    Extraction,
    Fallback,
)
from linkedin_assets.core.extraction._profile import extract, extract_profile

__all__ = [
    "Activity",
    "Education",
    "Experience",
    "ExtractedProfile",
    "Extraction",
    "Fallback",
    "PageVerdict",
    "classify_page",
    "extract",
    "extract_profile",
]
