"""Where every object of a profile lives in S3 (pure; see docs/s3-storage-design.md).

    screenshots/<id>-profile.png       full-page screenshot of the profile page
    screenshots/<id>-activity.png      full-page screenshot of the activity page (when it exists)
    captures/<id>/profile.html         rendered HTML, so text can be re-extracted offline
    captures/<id>/activity.html
    captures/<id>/capture.json         what the browser saw: URLs, HTTP status, activity outcome
    extracted/<id>.json                the extracted document (profile_text), before publication
    profiles/<id>.json                 the published profile document (profile_json)
    profiles/<id>.meta.json            upload record of that document

Captures and extracted documents sit beside the prefix they belong to, under the screenshot and
profile-text buckets respectively.

No two valid IDs share a key: an ID never contains ``/`` or ``.``, so ``<id>.meta.json`` cannot be
the document ``<other>.json`` of any profile (the earlier ``<id>-meta.json`` was the document of a
profile ``<id>-meta``). Records written under that earlier name are read back by
``legacy_profile_meta_key`` and recognised by their body (``is_upload_record``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from linkedin_assets.core.profile_ids import validate_profile_id

PageKind = Literal["profile", "activity"]
PAGE_KINDS: tuple[PageKind, ...] = ("profile", "activity")
CAPTURES_PREFIX = "captures/"
EXTRACTED_PREFIX = "extracted/"
REPORTS_PREFIX = "reports/"
META_SUFFIX = ".meta.json"
LEGACY_META_SUFFIX = "-meta.json"
# Keys outside the configurable prefixes: a prefix equal to one of them would share its keys.
FIXED_PREFIXES = (CAPTURES_PREFIX, EXTRACTED_PREFIX, REPORTS_PREFIX)


def normalise_prefix(prefix: str) -> str:
    """``"screenshots"`` → ``"screenshots/"``; the empty prefix stays empty."""
    prefix = prefix.strip().lstrip("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    if ".." in prefix.split("/") or "." in prefix.split("/"):
        raise ValueError(f"S3 prefix {prefix!r} must not contain a '.' or '..' segment")
    if "//" in prefix:
        raise ValueError(f"S3 prefix {prefix!r} must not contain an empty segment ('//')")
    if any(unicodedata.category(char) in ("Cc", "Cf") or char == "\\" for char in prefix):
        raise ValueError(f"S3 prefix {prefix!r} must not contain control characters or '\\'")
    if prefix in FIXED_PREFIXES:
        raise ValueError(f"S3 prefix {prefix!r} is reserved for the layout's own {prefix} keys")
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
        return f"{prefix}{validate_profile_id(profile_id)}{META_SUFFIX}"

    def legacy_profile_meta_key(self, profile_id: str) -> str:
        """Where earlier versions wrote the upload record; read only, never written. The same
        key may be the document of a profile ``<id>-meta``: check ``is_upload_record``."""
        prefix = normalise_prefix(self.profile_text_prefix)
        return f"{prefix}{validate_profile_id(profile_id)}{LEGACY_META_SUFFIX}"


def is_upload_record(record: Mapping[str, Any], document_key: str) -> bool:
    """Whether a parsed JSON object is the upload record of the document at ``document_key``
    (a profile document has no ``profile_key``; another profile's record names another key)."""
    return isinstance(record, Mapping) and record.get("profile_key") == document_key


def s3_url(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{key}"
