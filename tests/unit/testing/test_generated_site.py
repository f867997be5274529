"""A generated site of 200 fictional profiles: unique valid IDs, served by SampleSite over HTTP on
127.0.0.1, read by load_sample_profiles, and true to its manifest under the extractor."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from linkedin_assets.core.extraction import extract_profile
from linkedin_assets.core.profile_ids import validate_profile_id
from linkedin_assets.local.sample_site import SampleProfile, SampleSite, load_sample_profiles
from linkedin_assets.testing.generated_site import TEMPLATES, generate_site
from linkedin_assets.testing.net import fetch

COUNT = 200


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    pages_dir = tmp_path_factory.mktemp("generated-site")
    return pages_dir, generate_site(pages_dir, COUNT, seed=7)


@pytest.fixture(scope="module")
def profiles(generated: tuple[Path, list[str]]) -> tuple[SampleProfile, ...]:
    return load_sample_profiles(generated[0])


def test_ids_are_unique_valid_and_in_the_manifest(
    generated: tuple[Path, list[str]], profiles: tuple[SampleProfile, ...]
) -> None:
    pages_dir, ids = generated
    assert len(ids) == COUNT == len(set(ids))
    for profile_id in ids:
        assert validate_profile_id(profile_id) == profile_id
        assert profile_id.isascii() and profile_id == profile_id.lower()
        assert (pages_dir / profile_id / "profile.html").is_file()
        assert (pages_dir / profile_id / "activity.html").is_file()
    assert ids[0].endswith("-g0001") and ids[-1].endswith(f"-g{COUNT:04d}")
    assert [p.profile_id for p in profiles] == ids
    assert all(p.outcome == "ok" and p.has_activity_page for p in profiles)
    assert {p.era for p in profiles} == {t.era for t in TEMPLATES}
    template_names = {t.name for t in TEMPLATES}
    names = [p.expected["name"] for p in profiles]
    assert len(set(names)) > COUNT // 2
    assert not template_names & set(names)


def test_same_seed_same_site_other_seed_other_names(
    generated: tuple[Path, list[str]], tmp_path: Path
) -> None:
    pages_dir, ids = generated
    assert generate_site(tmp_path / "again", COUNT, seed=7) == ids
    again = (tmp_path / "again" / "manifest.json").read_bytes()
    assert again == (pages_dir / "manifest.json").read_bytes()
    generate_site(tmp_path / "other", 20, seed=8)
    other = json.loads((tmp_path / "other" / "manifest.json").read_text(encoding="utf-8"))
    first_twenty = json.loads(again)[:20]
    assert [e["profile_id"] for e in other] == [e["profile_id"] for e in first_twenty]
    assert [e["expected"]["name"] for e in other] != [e["expected"]["name"] for e in first_twenty]


def test_empty_and_negative_counts(tmp_path: Path) -> None:
    assert generate_site(tmp_path, 0) == []
    assert load_sample_profiles(tmp_path) == ()
    with pytest.raises(ValueError, match="negative"):
        generate_site(tmp_path, -1)


def test_sample_site_serves_generated_profiles(
    generated: tuple[Path, list[str]], profiles: tuple[SampleProfile, ...]
) -> None:
    pages_dir, _ = generated
    with SampleSite(pages_dir=pages_dir) as site:
        for sample in profiles[:: COUNT // 5]:
            base = f"{site.base_url}/in/{quote(sample.profile_id)}"
            status, _, body = fetch(f"{base}/", follow_redirects=True)
            assert status == 200
            assert sample.expected["name"] in body.decode("utf-8")
            assert fetch(f"{base}/recent-activity/all/", follow_redirects=True)[0] == 200
        status, _, body = fetch(f"{site.base_url}/in/maren-okafor-7b3a21/", follow_redirects=True)
        assert status == 404 and b"Profile Not Found" in body


def test_extractor_finds_the_manifest_truth(
    generated: tuple[Path, list[str]], profiles: tuple[SampleProfile, ...]
) -> None:
    pages_dir, _ = generated
    # Every era, each twice: templates are taken in turn, so 24 consecutive profiles cover them.
    for sample in profiles[50 : 50 + 2 * len(TEMPLATES)]:
        folder = pages_dir / sample.profile_id
        got = extract_profile(
            (folder / "profile.html").read_text(encoding="utf-8"),
            (folder / "activity.html").read_text(encoding="utf-8"),
        )
        wanted = sample.expected
        assert got["name"] == wanted["name"], sample.profile_id
        assert got["headline"] == wanted["headline"], sample.profile_id
        for field in ("experience", "education", "skills", "activity"):
            assert got[field] == wanted[field], (sample.profile_id, field)
        for text in wanted["fulltext_contains"]:
            assert text in got["fulltext"], (sample.profile_id, text)
        for text in wanted["fulltext_excludes"]:
            assert text not in got["fulltext"], (sample.profile_id, text)
