"""A static, offline site of fictional LinkedIn-shaped profiles, one or more per markup era.

`SampleSite` serves it on a loopback port; `load_sample_profiles()` reads its manifest, whose
`expected` blocks are the golden truth the extractor is tested against.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkedin_assets.local.sample_site.server import PAGES_DIR, SampleSite, load_manifest

__all__ = ["PAGES_DIR", "SampleProfile", "SampleSite", "load_sample_profiles"]


@dataclass(frozen=True)
class SampleProfile:
    """One manifest entry. `expected` is empty unless outcome is "ok"."""

    profile_id: str
    era: str
    outcome: str
    has_activity_page: bool
    expected: Mapping[str, Any]


def load_sample_profiles(pages_dir: Path | None = None) -> tuple[SampleProfile, ...]:
    return tuple(
        SampleProfile(
            profile_id=unicodedata.normalize("NFC", entry["profile_id"]),
            era=entry["era"],
            outcome=entry["outcome"],
            has_activity_page=bool(entry.get("has_activity_page", False)),
            expected=entry.get("expected") or {},
        )
        for entry in load_manifest(pages_dir)
    )
