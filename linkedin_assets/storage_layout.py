"""Where every object of a profile lives in S3 (pure; see docs/s3-storage-design.md).

    screenshots/<id>-profile.png       full-page screenshot of the profile page
    screenshots/<id>-activity.png      full-page screenshot of the activity page (when it exists)
    captures/<id>/profile.html         rendered HTML, so text can be re-extracted offline
    captures/<id>/activity.html
    captures/<id>/capture.json         what the browser saw: URLs, HTTP status, activity outcome
    extracted/<id>.json                the extracted document (profile_text), before publication
    profiles/<id>.json                 the published profile document (profile_json)
    profiles/<id>-meta.json            upload record of that document

Captures and extracted documents sit beside the prefix they belong to, under the screenshot and
profile-text buckets respectively.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from linkedin_assets.profile_ids import validate_profile_id

PageKind = Literal["profile", "activity"]
PAGE_KINDS: tuple[PageKind, ...] = ("profile", "activity")
CAPTURES_PREFIX = "captures/"
EXTRACTED_PREFIX = "extracted/"


def normalise_prefix(prefix: str) -> str:
    """``"screenshots"`` → ``"screenshots/"``; the empty prefix stays empty."""
    prefix = prefix.strip().lstrip("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    if ".." in prefix.split("/"):
        raise ValueError(f"S3 prefix {prefix!r} must not contain '..'")
    return prefix


@dataclass(frozen=True)
class StorageLayout:
    """The prefixes in use; every key function validates the profile ID it is given."""

    screenshot_prefix: str = "screenshots/"
    profile_text_prefix: str = "profiles/"

    def screenshot_key(self, profile_id: str, page: PageKind) -> str:
        prefix = normalise_prefix(self.screenshot_prefix)
        return f"{prefix}{validate_profile_id(profile_id)}-{page}.png"

    def capture_html_key(self, profile_id: str, page: PageKind) -> str:
        return f"{CAPTURES_PREFIX}{validate_profile_id(profile_id)}/{page}.html"

    def capture_manifest_key(self, profile_id: str) -> str:
        return f"{CAPTURES_PREFIX}{validate_profile_id(profile_id)}/capture.json"

    def extracted_key(self, profile_id: str) -> str:
        return f"{EXTRACTED_PREFIX}{validate_profile_id(profile_id)}.json"

    def profile_key(self, profile_id: str) -> str:
        return f"{normalise_prefix(self.profile_text_prefix)}{validate_profile_id(profile_id)}.json"

    def profile_meta_key(self, profile_id: str) -> str:
        prefix = normalise_prefix(self.profile_text_prefix)
        return f"{prefix}{validate_profile_id(profile_id)}-meta.json"


def s3_url(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{key}"
