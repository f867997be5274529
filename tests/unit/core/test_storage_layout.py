from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkedin_assets.core.profile_ids import profile_id_from_url
from linkedin_assets.core.storage_layout import (
    StorageLayout,
    is_upload_record,
    normalise_prefix,
    s3_url,
)
from linkedin_assets.errors import InvalidProfileUrl


def test_default_keys_match_the_documented_layout() -> None:
    layout = StorageLayout()
    assert layout.screenshot_key("john-doe", "profile") == "screenshots/john-doe-profile.png"
    assert layout.screenshot_key("john-doe", "activity") == "screenshots/john-doe-activity.png"
    assert layout.profile_key("john-doe") == "profiles/john-doe.json"
    assert layout.profile_meta_key("john-doe") == "profiles/john-doe.meta.json"
    assert layout.legacy_profile_meta_key("john-doe") == "profiles/john-doe-meta.json"
    assert layout.capture_html_key("john-doe", "profile") == "captures/john-doe/profile.html"
    assert layout.capture_manifest_key("john-doe") == "captures/john-doe/capture.json"
    assert layout.extracted_key("john-doe") == "extracted/john-doe.json"


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("screenshots", "screenshots/"), ("/a/b", "a/b/"), ("", ""), (" shots/ ", "shots/")],
)
def test_prefixes_are_normalised(prefix: str, expected: str) -> None:
    assert normalise_prefix(prefix) == expected


def test_traversal_in_a_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\.\."):
        normalise_prefix("a/../b")


@pytest.mark.parametrize(
    ("prefix", "reason"),
    [
        ("../", r"'\.\.'"),
        ("./x", r"'\.'"),
        ("a//b", "empty segment"),
        ("a\nb", "control"),
        ("a\\b", "control"),
        # profiles/<id>.json under "extracted/" is extracted/<id>.json: two layers, one key.
        ("extracted", "reserved"),
        ("captures/", "reserved"),
    ],
)
def test_prefixes_that_would_leave_or_share_the_layout_are_refused(
    prefix: str, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        normalise_prefix(prefix)


def test_an_upload_record_is_not_taken_for_another_profiles_document() -> None:
    # The key profiles/jane-meta.json was jane's record under the earlier scheme, and is the
    # document of the profile jane-meta: only a body that names jane's document is her record.
    assert is_upload_record({"profile_key": "profiles/jane.json"}, "profiles/jane.json")
    assert not is_upload_record({"profile_id": "jane-meta"}, "profiles/jane.json")
    assert not is_upload_record({"profile_key": "profiles/joe.json"}, "profiles/jane.json")
    assert not is_upload_record(["profiles/jane.json"], "profiles/jane.json")  # type: ignore[arg-type]


def test_an_upload_record_is_not_another_profiles_document() -> None:
    layout = StorageLayout()
    assert layout.profile_meta_key("jane") != layout.profile_key("jane-meta")


def _canonical(slug: str) -> str | None:
    try:
        return profile_id_from_url(f"https://www.linkedin.com/in/{quote(slug, safe='')}/")
    except InvalidProfileUrl:
        return None


# Suffixes that an ID may end in and that the layout itself appends: the likely collisions.
LAYOUT_WORDS = ["", "-meta", "-profile", "-activity", "-meta-meta", "-json", "-png", "-capture"]
VANITY = st.builds(
    lambda stem, word: stem + word,
    st.text(
        st.one_of(st.characters(categories=("Ll", "Lu", "Lo", "Nd")), st.just("-")),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(LAYOUT_WORDS),
)
MEMBER = st.from_regex(r"AC[ow]AA[A-Za-z0-9_-]{0,30}", fullmatch=True)
PROFILE_IDS = st.one_of(VANITY, MEMBER).map(_canonical).filter(lambda pid: pid is not None)
LAYOUTS = st.sampled_from(
    [
        StorageLayout(),
        StorageLayout("", ""),
        StorageLayout("data/", "data/"),  # both layers in one folder of one bucket
        StorageLayout("shots", "docs/v2"),
    ]
)


def written_keys(layout: StorageLayout, pid: str) -> list[str]:
    """Every key the pipeline writes for ``pid``; the buckets may be one, so roles are ignored."""
    return [
        *(layout.screenshot_key(pid, page) for page in ("profile", "activity")),
        *(layout.capture_html_key(pid, page) for page in ("profile", "activity")),
        layout.capture_manifest_key(pid),
        layout.extracted_key(pid),
        layout.profile_key(pid),
        layout.profile_meta_key(pid),
    ]


@settings(max_examples=400, deadline=None)
@given(layout=LAYOUTS, first=PROFILE_IDS, second=PROFILE_IDS, word=st.sampled_from(LAYOUT_WORDS))
def test_no_two_profile_ids_share_a_key(
    layout: StorageLayout, first: str, second: str, word: str
) -> None:
    # The second ID is also tried as the first plus a layout word ("jane" and "jane-meta").
    for other in {second, _canonical(first + word)} - {None, first}:
        assert other is not None
        mine, theirs = written_keys(layout, first), written_keys(layout, other)
        assert len(set(mine)) == len(mine), f"two keys of {first!r} are one"
        assert not set(mine) & set(theirs), f"{first!r} and {other!r} share a key"


@pytest.mark.parametrize("bad_id", ["../etc", "a/b", "John-Doe", " john-doe", ""])
def test_keys_refuse_ids_that_are_not_canonical(bad_id: str) -> None:
    with pytest.raises(InvalidProfileUrl):
        StorageLayout().profile_key(bad_id)


def test_unicode_ids_stay_one_key_segment() -> None:
    key = StorageLayout(profile_text_prefix="p").profile_key("jürgen-müller")
    assert key == "p/jürgen-müller.json"
    assert s3_url("b", key) == "s3://b/p/jürgen-müller.json"
