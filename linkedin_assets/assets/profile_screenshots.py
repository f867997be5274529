"""Layer 1, ``profile_screenshots``: full-page screenshots and rendered HTML of each profile."""

from __future__ import annotations

import base64
import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import dagster as dg

from linkedin_assets.assets.checks import CheckOutcome, check_spec, object_problems
from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.assets.work import ProfileWork, RunContext, Stage
from linkedin_assets.core.storage_layout import PageKind
from linkedin_assets.errors import ExtractionError, ObjectNotFound
from linkedin_assets.resources.browser import PageCapture, ProfileCapture
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import (
    MAX_METADATA_BYTES,
    PutResult,
    metadata_size,
    sent_metadata,
)

SPEC = dg.AssetSpec(
    "profile_screenshots",
    description=(
        "Full-page PNG screenshots of each profile and its activity page, taken in headless "
        "Chromium, with the rendered HTML kept in S3 for offline re-extraction."
    ),
    partitions_def=profile_partitions,
    group_name="profiles",
    kinds={"chromium", "s3"},
    skippable=True,
)


@dataclass(frozen=True)
class StoredCapture:
    """What ``profile_text`` needs from a capture, read back from S3."""

    profile_id: str
    url: str
    profile_html: str
    activity_html: str | None
    manifest: dict[str, Any]


def capture_manifest(capture: ProfileCapture) -> dict[str, Any]:
    """The browser's account of a capture (pure): URLs, HTTP statuses, activity outcome."""

    def page(p: PageCapture | None) -> dict[str, Any] | None:
        if p is None:
            return None
        return {
            "requested_url": p.requested_url,
            "final_url": p.final_url,
            "status": p.status,
            "refused_requests": p.refused_requests,
            "refused_hosts": list(p.refused_hosts),
            "popups_closed": p.popups_closed,
        }

    return {
        "profile_id": capture.profile_id,
        "captured_at": capture.captured_at,
        "profile": page(capture.profile),
        "activity": page(capture.activity),
        "activity_missing_reason": capture.activity_note,
    }


def page_metadata(common: Mapping[str, str], kind: PageKind, url: str) -> dict[str, str]:
    """User metadata of a page's screenshot and HTML (pure).

    ``source-url`` holds the URL as text (``…/in/田中/``): the store percent-encodes metadata
    once, so on the wire it is the request URL itself. Given the URL as requested, already
    percent-encoded, the store encoded its ``%`` again and a long CJK slug went over S3's 2 KB.
    It is left out when even so it would not fit (a long slug of 4-byte characters): it is
    ``profile_url(profile-id)`` and is kept in ``captures/<id>/capture.json`` anyway.
    """
    meta = {**common, "page": kind, "source-url": urllib.parse.unquote(url)}
    digest = "0" * 64  # the size of the sha256 and fingerprint the store adds
    if metadata_size(sent_metadata(meta, digest, digest)) > MAX_METADATA_BYTES:
        del meta["source-url"]
    return meta


def store_capture(
    storage: ProfileStorage, capture: ProfileCapture, done: dict[str, PutResult] | None = None
) -> dict[str, PutResult]:
    """Upload the screenshots, the HTML and the capture manifest; return each put by name.

    ``done`` holds the puts that already succeeded (an earlier storage round of this run): they
    are not sent again, so a round after a transient failure sends only what is missing."""
    bucket, layout, pid = storage.screenshot_bucket, storage.layout, capture.profile_id
    common = {"profile-id": pid, "captured-at": capture.captured_at}
    results: dict[str, PutResult] = {} if done is None else done

    def put(name: str, key: str, body: bytes, content_type: str, meta: dict[str, str]) -> None:
        if name not in results:
            results[name] = storage.objects.put(
                bucket, key, body, content_type=content_type, metadata=meta
            )

    pages: list[tuple[PageKind, PageCapture]] = [("profile", capture.profile)]
    if capture.activity is not None:
        pages.append(("activity", capture.activity))
    for kind, page in pages:
        meta = page_metadata(common, kind, page.requested_url)
        put(f"{kind}_png", layout.screenshot_key(pid, kind), page.png, "image/png", meta)
        put(
            f"{kind}_html", layout.capture_html_key(pid, kind), page.html.encode("utf-8"),
            "text/html; charset=utf-8", meta,
        )  # fmt: skip
    manifest = json.dumps(capture_manifest(capture), sort_keys=True).encode()
    put("manifest", layout.capture_manifest_key(pid), manifest, "application/json", common)
    return dict(results)


def screenshot_keys(storage: ProfileStorage, profile_id: str, has_activity: bool) -> dict[str, str]:
    keys = {"profile": storage.layout.screenshot_key(profile_id, "profile")}
    if has_activity:
        keys["activity"] = storage.layout.screenshot_key(profile_id, "activity")
    return keys


def load_capture(storage: ProfileStorage, profile_id: str) -> StoredCapture:
    """Read a stored capture back; a profile never captured is an ``ExtractionError``."""
    bucket, layout = storage.screenshot_bucket, storage.layout
    try:
        manifest = json.loads(storage.objects.get(bucket, layout.capture_manifest_key(profile_id)))
        profile_html = storage.objects.get(bucket, layout.capture_html_key(profile_id, "profile"))
    except ObjectNotFound as exc:
        raise ExtractionError(
            f"profile {profile_id!r} has no stored capture; materialize profile_screenshots first"
        ) from exc
    activity_html = None
    if manifest.get("activity"):
        activity_html = storage.objects.get(
            bucket, layout.capture_html_key(profile_id, "activity")
        ).decode("utf-8", errors="replace")
    return StoredCapture(
        profile_id=profile_id,
        url=manifest["profile"]["requested_url"],
        profile_html=profile_html.decode("utf-8", errors="replace"),
        activity_html=activity_html,
        manifest=manifest,
    )


def materialization_metadata(
    storage: ProfileStorage, capture: ProfileCapture, puts: dict[str, PutResult]
) -> dict[str, Any]:
    png = puts["profile_png"]
    pages = [p for p in (capture.profile, capture.activity) if p is not None]
    refused_hosts = list(dict.fromkeys(host for p in pages for host in p.refused_hosts))
    return {
        "s3_key": png.key,
        "s3_url": png.url,
        "activity_s3_key": puts["activity_png"].key if "activity_png" in puts else None,
        "activity_missing_reason": capture.activity_note,
        "profile_http_status": capture.profile.status,
        "bytes": sum(p.size for p in puts.values() if p.outcome == "uploaded"),
        "outcome": "unchanged"
        if all(put.outcome == "unchanged" for name, put in puts.items() if name.endswith("_png"))
        else "uploaded",
        "captured_at": capture.captured_at,
        # The browser's boundary at work (docs/security.md): what the pages tried and were denied.
        "refused_requests": sum(p.refused_requests for p in pages),
        "refused_hosts": ", ".join(refused_hosts),
        "popups_closed": sum(p.popups_closed for p in pages),
    }


STORED_CHECK = check_spec(
    "screenshots_stored",
    SPEC,
    "Both screenshots (or the profile one, when the activity page was recorded missing) exist, are "
    "non-empty PNGs and are encrypted.",
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class JustStored:
    """What this run has just uploaded for a profile: each page's PNG SHA-256 and first bytes,
    and the manifest the check would otherwise read back."""

    manifest: dict[str, Any]
    pngs: Mapping[str, tuple[str, bytes]]

    @classmethod
    def of(cls, capture: ProfileCapture, puts: Mapping[str, PutResult]) -> JustStored:
        pages = {"profile": capture.profile, "activity": capture.activity}
        return cls(
            capture_manifest(capture),
            {
                kind: (puts[f"{kind}_png"].sha256, page.png[:8])
                for kind, page in pages.items()
                if page is not None and f"{kind}_png" in puts
            },
        )


def check_stored(
    storage: ProfileStorage, profile_id: str, just_stored: JustStored | None = None
) -> CheckOutcome:
    """The ``screenshots_stored`` check of one profile.

    Right after an upload (``just_stored``) the PNG test needs no read of the object: when S3's
    own SHA-256 of the object (from the HEAD) is that of the bytes uploaded, the object *is* those
    bytes, whose first ones are known. Otherwise, or on any mismatch, the first bytes are read.
    """
    bucket, layout = storage.screenshot_bucket, storage.layout
    manifest: dict[str, Any] | None
    if just_stored is not None:
        manifest = just_stored.manifest
    else:
        try:
            manifest = json.loads(
                storage.objects.get(bucket, layout.capture_manifest_key(profile_id))
            )
        except ObjectNotFound:
            manifest = None
    pages: list[PageKind] = ["profile"]
    if manifest is None or manifest.get("activity"):
        pages.append("activity")
    problems: list[str] = []
    observed: dict[str, Any] = {}
    for page in pages:
        key = layout.screenshot_key(profile_id, page)
        info = storage.objects.head(bucket, key)
        page_problems, facts = object_problems(info, key, "image/png")
        if info is not None and info.size:
            known = just_stored.pngs.get(page) if just_stored else None
            if known and info.checksum_sha256 == _b64_sha256(known[0]):
                facts["png"] = known[1] == PNG_MAGIC
            else:
                facts["png"] = storage.objects.get(bucket, key, byte_range="bytes=0-7") == PNG_MAGIC
            if not facts["png"]:
                page_problems.append(f"{key} is not a PNG")
        problems += page_problems
        observed[page] = facts
    expected = {
        "exists": True, "size": "> 0", "server_side_encryption": "AES256 or aws:kms",
        "content_type": "image/png", "png": True,
    }  # fmt: skip
    metadata = {
        "observed": observed,
        "expected": {page: expected for page in pages},
        "activity_missing_reason": (manifest or {}).get("activity_missing_reason"),
    }
    return CheckOutcome.from_problems(problems, f"{len(pages)} screenshot(s) stored", metadata)


def _b64_sha256(hex_digest: str) -> str | None:
    """A hex SHA-256 as S3 reports checksums (base64 of the digest)."""
    try:
        return base64.b64encode(bytes.fromhex(hex_digest)).decode()
    except ValueError:
        return None


# The layer's stage: what the multi-asset runs for one profile (assets/work.py).


def browse(run: RunContext, work: ProfileWork) -> None:
    """Visit the profile and its activity page (outside the storage gate)."""
    assert run.browser is not None
    work.capture = run.browser.capture_profile(work.profile_id, run.base_url)


def materialize(run: RunContext, work: ProfileWork) -> dict[str, Any]:
    """Store what ``browse`` captured; what ``profile_text`` needs stays in memory."""
    storage, capture = run.storage, work.capture
    assert capture is not None
    puts = store_capture(storage, capture, work.puts)
    work.shot_keys = screenshot_keys(storage, work.profile_id, capture.activity is not None)
    work.just_stored = JustStored.of(capture, puts)
    work.stored = StoredCapture(
        work.profile_id,
        capture.profile.requested_url,
        capture.profile.html,
        capture.activity.html if capture.activity else None,
        capture_manifest(capture),
    )
    work.capture = None  # stored: the screenshots need not stay in memory
    return materialization_metadata(storage, capture, puts)


def check(run: RunContext, work: ProfileWork) -> CheckOutcome:
    return check_stored(run.storage, work.profile_id, work.just_stored)


def stored(run: RunContext, work: ProfileWork) -> StoredCapture:
    """The profile's capture: this run's, or the stored one, read once."""
    if work.stored is None:
        work.stored = load_capture(run.storage, work.profile_id)
    return work.stored


def keys(run: RunContext, work: ProfileWork) -> dict[str, str]:
    """The profile's screenshot keys: this run's, or those its stored manifest names."""
    if work.shot_keys is None:
        activity = bool(stored(run, work).manifest.get("activity"))
        work.shot_keys = screenshot_keys(run.storage, work.profile_id, activity)
    return work.shot_keys


STAGE = Stage(SPEC, materialize, STORED_CHECK, check, browse=browse)
