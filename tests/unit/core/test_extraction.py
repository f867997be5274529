"""The extractor against every sample profile's hand-written expectations, plus tricky snippets."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from linkedin_assets.core.extraction import ExtractedProfile, extract, extract_profile
from linkedin_assets.local.sample_site import PAGES_DIR, SampleProfile, load_sample_profiles

OK_PROFILES = [p for p in load_sample_profiles() if p.outcome == "ok"]
MARKUP = re.compile(r"<[A-Za-z]")


def _extract(sample: SampleProfile) -> ExtractedProfile:
    folder = PAGES_DIR / sample.profile_id
    activity = folder / "activity.html"
    return extract_profile(
        (folder / "profile.html").read_text(encoding="utf-8"),
        activity.read_text(encoding="utf-8") if sample.has_activity_page else None,
    )


# Each test extracts its page itself (1.5 s for the file): a module-wide fixture ran the extractor in
# the first test only, so mutmut, which runs a mutant against the tests that reached it, never ran
# the entry-by-entry comparisons against the era readers.
@pytest.fixture(params=OK_PROFILES, ids=lambda p: f"{p.era}:{p.profile_id}")
def case(request: pytest.FixtureRequest) -> tuple[SampleProfile, ExtractedProfile]:
    return request.param, _extract(request.param)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.fixture(params=OK_PROFILES, ids=lambda p: f"{p.era}:{p.profile_id}")
def sample(request: pytest.FixtureRequest) -> SampleProfile:
    return request.param


def test_sample_site_has_enough_eras() -> None:
    eras = {p.era for p in OK_PROFILES}
    assert len(OK_PROFILES) >= 12
    assert eras == {
        "logged_out_2023",
        "logged_out_2024",
        "logged_in_2019",
        "logged_in_2022",
        "logged_in_2025",
    }
    for era in eras:
        assert sum(p.era == era for p in OK_PROFILES) >= 2, era
        # …and a page of each era whose sections' inner markup the extractor does not know.
        assert any(p.era == era and p.expected["fallbacks"] for p in OK_PROFILES), era


@pytest.mark.parametrize(
    "field", ["name", "headline", "location", "current_company", "connections", "followers"]
)
def test_scalar_fields(case: tuple[SampleProfile, ExtractedProfile], field: str) -> None:
    sample, got = case
    assert got[field] == sample.expected[field]  # type: ignore[literal-required]


@pytest.mark.parametrize("field", ["experience", "education", "skills", "activity"])
def test_list_fields_entry_by_entry(
    case: tuple[SampleProfile, ExtractedProfile], field: str
) -> None:
    """Every entry whole (title, company, dates …), in order: not only how many there are."""
    sample, got = case
    assert got[field] == sample.expected[field]  # type: ignore[literal-required]


def test_about(case: tuple[SampleProfile, ExtractedProfile]) -> None:
    sample, got = case
    assert got["about"] == sample.expected["about"]
    wanted = sample.expected["about_contains"]
    if wanted is None:
        assert got["about"] is None
    else:
        assert got["about"] is not None
        for text in wanted:
            assert text in got["about"]


def test_fulltext_contains_and_excludes(case: tuple[SampleProfile, ExtractedProfile]) -> None:
    sample, got = case
    for text in sample.expected["fulltext_contains"]:
        assert text in got["fulltext"], text
    for text in sample.expected["fulltext_excludes"]:
        assert text not in got["fulltext"], text


def test_fulltext_has_no_consecutive_repeats(case: tuple[SampleProfile, ExtractedProfile]) -> None:
    _, got = case
    lines = got["fulltext"].split("\n")
    assert all(line.strip() == line and line for line in lines)
    assert all(a != b for a, b in zip(lines, lines[1:], strict=False))


def test_doubled_strings_appear_once(case: tuple[SampleProfile, ExtractedProfile]) -> None:
    _, got = case
    lines = got["fulltext"].split("\n")
    for value in (got["name"], got["headline"], *got["skills"]):
        assert lines.count(value) == 1, value
    if got["about"]:
        first = got["about"].split("\n")[0]
        assert got["fulltext"].count(first) == 1


def test_result_is_json_safe(case: tuple[SampleProfile, ExtractedProfile]) -> None:
    _, got = case
    encoded = json.dumps(got, ensure_ascii=False).encode("utf-8")
    assert json.loads(encoded) == got
    for text in _strings(got):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)


def test_no_markup_smuggled(case: tuple[SampleProfile, ExtractedProfile]) -> None:
    sample, got = case
    literals = sample.expected.get("literal_markup", [])
    for text in _strings(got):
        for literal in literals:
            text = text.replace(literal, "")
        assert not MARKUP.search(text), text


def test_hostile_profile_keeps_literal_text() -> None:
    sample = next(p for p in OK_PROFILES if p.expected.get("literal_markup"))
    got = _extract(sample)
    assert "<script>alert(1)</script>" in (got["about"] or "")
    assert "<img src=x onerror=alert(2)>" in (got["experience"][0]["description"] or "")
    assert "MUST-NOT-LEAK" not in json.dumps(got, ensure_ascii=False)


def test_activity_urls_and_dates(case: tuple[SampleProfile, ExtractedProfile]) -> None:
    sample, got = case
    # Read from the section's text, a card's date stays inside its text: no markup says which it is.
    from_text = "activity" in sample.expected["fallbacks"]
    for post in got["activity"]:
        assert post["text"]
        assert post["url"] and post["url"].startswith(
            "https://www.linkedin.com/feed/update/urn:li:"
        )
        if from_text:
            assert post["posted"] is None
        else:
            assert post["posted"] and "•" not in post["posted"]


def test_fallbacks_are_recorded_for_variant_pages_only(sample: SampleProfile) -> None:
    folder = PAGES_DIR / sample.profile_id
    activity = folder / "activity.html"
    got = extract(
        (folder / "profile.html").read_text(encoding="utf-8"),
        activity.read_text(encoding="utf-8") if sample.has_activity_page else None,
    )
    assert sorted(f.field for f in got.fallbacks) == sample.expected["fallbacks"]
    for fallback in got.fallbacks:
        assert fallback.field in fallback.message and fallback.found_by in fallback.message


def test_extraction_is_deterministic() -> None:
    # Its speed is a benchmark's figure (benchmarks/extraction_benchmark.py), not a timed test.
    pages = [
        (
            (PAGES_DIR / p.profile_id / "profile.html").read_text(encoding="utf-8"),
            (PAGES_DIR / p.profile_id / "activity.html").read_text(encoding="utf-8")
            if p.has_activity_page
            else None,
        )
        for p in OK_PROFILES
    ]
    first = [extract_profile(*page) for page in pages]
    second = [extract_profile(*page) for page in pages]
    assert first == second


# ---- focused snippets ----------------------------------------------------------------------

PUBLIC_2023 = """<html><head><title>Ada Example - Maker | LinkedIn</title>
<script type="application/ld+json">{{"@context":"http://schema.org","@graph":[{{"@type":"Person",
"name":"Ada Example","address":{{"addressLocality":"{locality}"}},
"worksFor":[{{"@type":"Organization","name":"{works_for}"}}],
"description":"{description}",
"interactionStatistic":{{"@type":"InteractionCounter",
"interactionType":"https://schema.org/FollowAction","userInteractionCount":321}}}}]}}</script>
</head><body><main><section class="top-card-layout">
<h1 class="top-card-layout__title">Ada Example</h1>
<h2 class="top-card-layout__headline">Maker</h2>
<h3 class="top-card-layout__first-subline">{subline}</h3>{company}</section>
<section class="core-section-container experience">
<h2 class="core-section-container__title">Experience</h2>
<ul class="experience__list"><li class="experience-item profile-section-card">
<h3 class="profile-section-card__title">Tinkerer</h3>
<h4 class="profile-section-card__subtitle">Example Works</h4>
<span class="date-range"><time>Mar 2023</time> - Present <span>1 year 2 months</span></span>
<div class="show-more-less-text">
<p class="show-more-less-text__text--less">Builds things.<br>Fixes them.
<button class="show-more-less-text__button">Show more</button></p>
<p class="show-more-less-text__text--more">Builds things.<br>Fixes them.
<button class="show-more-less-text__button">Show less</button></p></div></li></ul></section>
</main></body></html>"""


def _public(**overrides: str) -> str:
    values = {
        "locality": "Sampletown",
        "works_for": "Json Works",
        "description": "From JSON-LD.<br>Second line.",
        "subline": "",
        "company": "",
    }
    values.update(overrides)
    return PUBLIC_2023.format(**values)


def test_masked_json_ld_is_ignored_and_dom_wins() -> None:
    html = _public(
        locality="**-*****",
        works_for="**-*****",
        description="**** ** ****",
        subline='<div class="top-card__subline-item">Domville</div>',
        company='<div class="top-card__position-info"><span class="top-card-link__description">'
        "Dom Works</span></div>",
    )
    got = extract_profile(html)
    assert got["location"] == "Domville"
    assert got["current_company"] == "Dom Works"
    assert got["about"] is None
    assert "*" not in got["fulltext"]


def test_json_ld_fills_what_the_dom_lacks() -> None:
    got = extract_profile(_public())
    assert got["location"] == "Sampletown"
    assert got["current_company"] == "Json Works"
    assert got["about"] == "From JSON-LD.\nSecond line."
    assert got["followers"] == 321


def test_masked_values_are_never_invented() -> None:
    got = extract_profile(_public(locality="**-*****", works_for="**-*****"))
    assert got["location"] is None
    # No top-card link and no usable worksFor: the current job from the experience list.
    assert got["current_company"] == "Example Works"


def test_show_more_less_text_is_read_once_and_present_stays() -> None:
    got = extract_profile(_public())
    (job,) = got["experience"]
    assert job["description"] == "Builds things.\nFixes them."
    assert (job["start"], job["end"]) == ("Mar 2023", "Present")
    assert "year" not in got["fulltext"]


@pytest.mark.parametrize(
    ("subline", "connections", "followers"),
    [
        ("<span class='top-card__subline-item'>12K followers</span>", None, 12000),
        ("<span class='top-card__subline-item'>1,234 followers</span>", None, 1234),
        ("<span class='top-card__subline-item'>500+ connections</span>", 500, 321),
        ("<span class='top-card__subline-item'>1.5K followers</span>", None, 1500),
    ],
)
def test_counts_from_text(subline: str, connections: int | None, followers: int | None) -> None:
    got = extract_profile(_public(subline=subline))
    assert (got["connections"], got["followers"]) == (connections, followers)


def test_doubled_spans_read_once() -> None:
    html = """<main><section class="artdeco-card pv-top-card">
<h1 class="text-heading-xlarge">Bo Sample</h1>
<div class="text-body-medium break-words">Builder</div></section>
<section class="artdeco-card"><div id="about" class="pv-profile-card__anchor"></div>
<h2><span aria-hidden="true">About</span><span class="visually-hidden">About</span></h2>
<div class="inline-show-more-text"><span aria-hidden="true">Hello there.</span>
<span class="visually-hidden">Hello there.</span><button>…see more</button></div></section>
<section class="artdeco-card"><div id="skills" class="pv-profile-card__anchor"></div>
<ul><li class="artdeco-list__item"><div class="t-bold"><span aria-hidden="true">Welding</span>
<span class="visually-hidden">Welding</span></div></li></ul>
<div class="pvs-list__footer-wrapper"><a href="#">Show all 12 skills</a></div></section></main>"""
    got = extract_profile(html)
    assert got["about"] == "Hello there."
    assert got["skills"] == ["Welding"]
    assert got["fulltext"] == "Bo Sample\nBuilder\nHello there.\nWelding"


def test_german_headings_2025() -> None:
    html = """<main class="_a1"><section class="_b2"><h1 class="_c3">Jo Beispiel</h1>
<p class="_d4">Tischlerin</p><p class="_d4">Kiel, Deutschland</p><p><a href="#">Kontaktinfo</a></p>
<p><a href="#">1.234 Follower</a> · <a href="#">500+ Kontakte</a></p></section>
<section><h2>Info</h2><p>Ich baue Möbel.</p></section>
<section><h2>Berufserfahrung</h2><ul><li><div><p>Tischlerin</p><p>Holzwerk Nord · Vollzeit</p>
<p>März 2021 – Heute · 3 J.</p><p>Kiel, Deutschland · Vor Ort</p></div>
<div><p>Eichenmöbel.</p></div></li></ul></section>
<section><h2>Ausbildung</h2><ul><li><div><p>Fachschule Holz</p><p>Meisterin, Tischlerhandwerk</p>
<p>2015 – 2018</p></div></li></ul></section>
<section><h2>Kenntnisse</h2><ul><li><div><p>Möbelbau</p>
<p>Von 2 Kolleg:innen bestätigt</p></div></li></ul></section>
</main>"""
    got = extract_profile(html)
    assert got["name"] == "Jo Beispiel"
    assert (got["headline"], got["location"]) == ("Tischlerin", "Kiel, Deutschland")
    assert (got["connections"], got["followers"]) == (500, 1234)
    assert got["about"] == "Ich baue Möbel."
    assert got["experience"] == [
        {
            "title": "Tischlerin",
            "company": "Holzwerk Nord",
            "location": "Kiel, Deutschland",
            "start": "März 2021",
            "end": "Heute",
            "description": "Eichenmöbel.",
        }
    ]
    assert got["current_company"] == "Holzwerk Nord"
    assert got["education"] == [
        {
            "school": "Fachschule Holz",
            "degree": "Meisterin",
            "field": "Tischlerhandwerk",
            "start": "2015",
            "end": "2018",
        }
    ]
    assert got["skills"] == ["Möbelbau"]


def test_script_style_template_noscript_are_not_text() -> None:
    html = """<main><h1>Cy Sample</h1><section><h2>About</h2>
<p>Visible &lt;b&gt;bold&lt;/b&gt; text.<script>var secret = "S1";</script></p>
<style>p { color: red } /* S2 */</style><template><p>S3</p></template><noscript><p>S4</p></noscript>
</section></main>"""
    got = extract_profile(html)
    assert got["about"] == "Visible <b>bold</b> text."
    for secret in ("S1", "S2", "S3", "S4", "color"):
        assert secret not in json.dumps(got)


def test_control_characters_and_surrogates_are_dropped() -> None:
    html = "<main><h1>Di\x07 Sample\x00</h1><section><h2>About</h2><p>a\x0bb</p></section></main>"
    got = extract_profile(html)
    assert got["name"] == "Di Sample"
    assert got["about"] == "a b"
    description = '"\\ud800 lone"'
    ld = _public(description=description.strip('"'))
    assert "\ud800" not in (extract_profile(ld)["about"] or "")


def test_activity_page_skips_other_peoples_posts() -> None:
    activity = """<div class="feed-shared-update-v2" data-urn="urn:li:activity:1">
<div class="update-components-actor__sub-description"><span aria-hidden="true">2w • </span>
<span class="visually-hidden">2 weeks ago</span></div>
<div class="update-components-text"><span dir="ltr">Mine.<br>Really.</span></div>
<button>…see more</button></div>
<div class="feed-shared-update-v2" data-urn="urn:li:activity:2">
<div class="update-components-header">Ada Example likes this</div>
<div class="update-components-text">Someone else's post.</div></div>"""
    got = extract_profile(_public(), activity)
    assert got["activity"] == [
        {
            "text": "Mine.\nReally.",
            "url": "https://www.linkedin.com/feed/update/urn:li:activity:1/",
            "posted": "2w",
        }
    ]
    assert "Someone else" not in got["fulltext"]


def test_empty_page_gives_empty_profile() -> None:
    got = extract_profile("")
    assert got == {
        "name": None,
        "headline": None,
        "location": None,
        "about": None,
        "current_company": None,
        "experience": [],
        "education": [],
        "skills": [],
        "connections": None,
        "followers": None,
        "activity": [],
        "fulltext": "",
    }
