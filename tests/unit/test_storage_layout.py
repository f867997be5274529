import pytest

from linkedin_assets.errors import InvalidProfileUrl
from linkedin_assets.storage_layout import StorageLayout, normalise_prefix, s3_url


def test_default_keys_match_the_documented_layout() -> None:
    layout = StorageLayout()
    assert layout.screenshot_key("john-doe", "profile") == "screenshots/john-doe-profile.png"
    assert layout.screenshot_key("john-doe", "activity") == "screenshots/john-doe-activity.png"
    assert layout.profile_key("john-doe") == "profiles/john-doe.json"
    assert layout.profile_meta_key("john-doe") == "profiles/john-doe-meta.json"
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


@pytest.mark.parametrize("bad_id", ["../etc", "a/b", "John-Doe", " john-doe", ""])
def test_keys_refuse_ids_that_are_not_canonical(bad_id: str) -> None:
    with pytest.raises(InvalidProfileUrl):
        StorageLayout().profile_key(bad_id)


def test_unicode_ids_stay_one_key_segment() -> None:
    key = StorageLayout(profile_text_prefix="p").profile_key("jürgen-müller")
    assert key == "p/jürgen-müller.json"
    assert s3_url("b", key) == "s3://b/p/jürgen-müller.json"
