"""Extraction on hostile pages: whatever a captured page holds, ``extract_profile`` returns, the
document validates and serialises to UTF-8 JSON, no field carries a control character (other than
"\\n"), and nothing that was markup in the page comes out as markup.

Pages are small strings shaped like the logged-in 2022–24 (`artdeco`), logged-out 2023 (public,
with JSON-LD) and 2025 (headings only) markup of docs' field guide, with hostile parts slotted in.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from linkedin_assets.core.documents import build_document, serialise, validate_document
from linkedin_assets.core.extraction import ExtractedProfile, extract_profile

PROFILE_ID = "test-person"
PROFILE_URL = "https://www.linkedin.com/in/test-person/"
NAME = "Ada Example"
# An element tag, end tag, comment or processing instruction, as markup would spell it.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]")


def logged_in_2022(
    *,
    name: str = NAME,
    headline: str = "Maker of things",
    location: str = "Sampletown",
    about: str = "Builds things.",
    title: str = "Tinkerer",
    company: str = "Example Works",
    description: str = "Fixes things.",
    skill: str = "Welding",
    post: str = "My own post.",
    post_href: str = "/feed/update/urn:li:activity:1/",
    head: str = "",
    chrome: str = "",
) -> str:
    """Every visible string twice (aria-hidden and visually-hidden), as 2022–24 pages have it."""

    def twice(text: str) -> str:
        return f'<span aria-hidden="true">{text}</span><span class="visually-hidden">{text}</span>'

    return f"""<!DOCTYPE html><html lang="en"><head><title>{NAME} | LinkedIn</title>{head}</head>
<body><header class="global-nav"><a href="/feed/">Home</a><a href="/jobs/">Jobs</a></header>
<main class="scaffold-layout__main">
<section class="artdeco-card pv-top-card">
<h1 class="text-heading-xlarge">{name}</h1>
<div class="text-body-medium break-words">{headline}</div>
<span class="text-body-small inline t-black--light break-words">{location}</span>
</section>
<section class="artdeco-card"><div id="about" class="pv-profile-card__anchor"></div>
<h2>{twice("About")}</h2>
<div class="inline-show-more-text">{twice(about)}<button>…see more</button></div></section>
<section class="artdeco-card"><div id="experience" class="pv-profile-card__anchor"></div>
<h2>{twice("Experience")}</h2><ul><li class="artdeco-list__item">
<div class="t-bold">{twice(title)}</div>
<span class="t-14 t-normal">{twice(company + " · Full-time")}</span>
<span class="t-14 t-normal t-black--light">{twice("Jan 2020 - Present · 4 yrs")}</span>
<span class="t-14 t-normal t-black--light">{twice("Sampletown · Hybrid")}</span>
<div class="inline-show-more-text">{twice(description)}</div></li></ul></section>
<section class="artdeco-card"><div id="skills" class="pv-profile-card__anchor"></div>
<h2>{twice("Skills")}</h2><ul><li class="artdeco-list__item">
<div class="t-bold">{twice(skill)}</div></li></ul></section>
<section class="artdeco-card"><div id="content_collections" class="pv-profile-card__anchor"></div>
<h2>{twice("Activity")}</h2><ul><li><a href="{post_href}">Open post</a>
<div class="feed-mini-update-commentary__text">{twice(post)}</div></li></ul></section>
</main>{chrome}<footer><a href="/legal/">Privacy &amp; Terms</a></footer></body></html>"""


def logged_out_2023(
    *,
    name: str = NAME,
    headline: str = "Maker of things",
    location: str = "Sampletown",
    about: str | None = "Builds things.",
    title: str = "Tinkerer",
    company: str = "Example Works",
    description: str = "Fixes things.",
    post: str = "My own post.",
    post_href: str = "https://www.linkedin.com/posts/ada-example_activity-1",
    json_ld: str = "",
    chrome: str = "",
) -> str:
    """The public page; ``about=None`` leaves the About section out, so JSON-LD fills it."""
    about_section = (
        ""
        if about is None
        else f"""<section class="core-section-container summary">
<h2 class="core-section-container__title">About</h2>
<div class="core-section-container__content"><p>{about}</p></div></section>"""
    )
    ld = f'<script type="application/ld+json">{json_ld}</script>' if json_ld else ""
    return f"""<!DOCTYPE html><html><head><title>{NAME} - Maker | LinkedIn</title>{ld}</head>
<body><header><a href="/signup">Join now</a><a href="/login">Sign in</a></header><main>
<section class="top-card-layout">
<h1 class="top-card-layout__title">{name}</h1>
<h2 class="top-card-layout__headline">{headline}</h2>
<h3 class="top-card-layout__first-subline"><span class="top-card__subline-item">{location}</span>
<span class="top-card__subline-item">500+ connections</span></h3></section>
{about_section}
<section class="core-section-container experience">
<h2 class="core-section-container__title">Experience</h2>
<ul class="experience__list"><li class="experience-item profile-section-card">
<h3 class="profile-section-card__title">{title}</h3>
<h4 class="profile-section-card__subtitle">{company}</h4>
<span class="date-range"><time>Mar 2023</time> - Present <span>1 year</span></span>
<div class="show-more-less-text">
<p class="show-more-less-text__text--less">{description}</p>
<p class="show-more-less-text__text--more">{description}</p></div></li></ul></section>
<section class="core-section-container activities">
<h2 class="core-section-container__title">Activity</h2>
<ul><li class="activities-section__item--posts">
<a class="base-card__full-link" href="{post_href}">Open</a>
<h3 class="base-main-card__title">{post}</h3></li></ul></section>
</main>{chrome}<footer>User Agreement Privacy Policy</footer></body></html>"""


def headings_2025(*, name: str = NAME, experience_items: str = "") -> str:
    """Hashed classes: only `main`, the h1 and sections found by their h2 text."""
    items = experience_items or (
        "<li><div><p>Tinkerer</p><p>Example Works · Full-time</p><p>2020 - Present</p></div></li>"
    )
    return f"""<html><body><main class="_x1"><section class="_a2"><h1 class="_b3">{name}</h1>
<p>Maker of things</p><p>Sampletown</p></section>
<section><h2>Experience</h2><ul>{items}</ul></section></main></body></html>"""


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def run(html: str, activity_html: str | None = None) -> tuple[ExtractedProfile, bytes]:
    """Extract, build, validate and serialise like the pipeline; check what every page must meet."""
    extracted = extract_profile(html, activity_html)
    document = build_document(PROFILE_ID, PROFILE_URL, extracted)
    validate_document(document)
    body = serialise(document)
    assert json.loads(body.decode("utf-8")) == document
    for text in _strings(document):
        controls = [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in ("Cc", "Cs")]
        assert set(controls) <= {"U+000A"}, (controls, text[:80])
    assert b"\\u00" not in body  # json.dumps escapes C0 controls this way; none may be left
    return extracted, body


def assert_no_markup(extracted: ExtractedProfile) -> None:
    for text in _strings(extracted):
        assert not MARKUP.search(text), text[:200]


# ---- script, style, template, noscript (and content a browser never renders) ----------------

NON_TEXT = ["script", "style", "template", "noscript", "iframe", "noembed", "noframes"]


def _hidden(tag: str, where: str) -> str:
    code = f"LEAK-{tag}-{where} <p>fake paragraph</p> alert(1); body {{ color: red }}"
    return f"<{tag}>{code}</{tag}>"


@pytest.mark.parametrize("tag", NON_TEXT)
def test_non_text_elements_never_reach_a_field_2022(tag: str) -> None:
    html = logged_in_2022(
        name=f"Ada {_hidden(tag, 'name')}Example",
        headline=f"Maker{_hidden(tag, 'headline')}",
        about=f"Builds things.{_hidden(tag, 'about')}",
        title=f"Tinkerer{_hidden(tag, 'title')}",
        description=f"Fixes things.{_hidden(tag, 'description')}",
        skill=f"Welding{_hidden(tag, 'skill')}",
        post=f"My own post.{_hidden(tag, 'post')}",
        head=_hidden(tag, "head"),
        chrome=_hidden(tag, "chrome"),
    )
    got, body = run(html)
    assert got["name"] == NAME
    assert (got["about"], got["skills"]) == ("Builds things.", ["Welding"])
    assert got["experience"][0]["description"] == "Fixes things."
    assert b"LEAK" not in body and b"alert" not in body and b"color" not in body
    assert_no_markup(got)


@pytest.mark.parametrize("tag", NON_TEXT)
def test_non_text_elements_never_reach_a_field_2023_and_json_ld(tag: str) -> None:
    # JSON-LD escapes "</" as "<\/" (else the outer script would end); the description is markup.
    description = f"From JSON-LD.<br>{_hidden(tag, 'json-ld')}".replace("</", "<\\/")
    person = {"@type": "Person", "name": NAME, "description": description}
    activity = (
        '<div class="feed-shared-update-v2" data-urn="urn:li:activity:7">'
        f'<div class="update-components-text">Mine.{_hidden(tag, "activity")}</div></div>'
    )
    html = logged_out_2023(
        name=f"Ada {_hidden(tag, 'name')}Example",
        about=None,
        description=f"Fixes things.{_hidden(tag, 'description')}",
        json_ld=json.dumps({"@context": "http://schema.org", "@graph": [person]}),
        chrome=_hidden(tag, "chrome"),
    )
    got, body = run(html, activity)
    assert got["name"] == NAME
    assert got["about"] == "From JSON-LD."
    assert got["activity"][0]["text"] == "Mine."
    assert b"LEAK" not in body and b"alert" not in body
    assert_no_markup(got)


# ---- event handlers and javascript: links ----------------------------------------------------

ATTACK = '<img src=x onerror="alert(1)"><svg onload="alert(2)"></svg>'


@pytest.mark.parametrize(
    "post_href",
    [
        "javascript:alert(3)//feed/update/",
        "JaVaScRiPt:alert(3)//posts/",
        "data:text/html,<script>alert(3)</script>/feed/update/",
        "http://[/feed/update/",  # urljoin raises ValueError on it
        "/feed/update/urn:li:activity:1\x01\x1b[31m",
        "/feed/update/" + "a" * 1_000_000,
    ],
)
def test_event_handlers_and_javascript_links(post_href: str) -> None:
    handlers = 'onclick="alert(4)" onmouseover="alert(5)" style="x:expression(alert(6))"'
    for build in (logged_in_2022, logged_out_2023):
        html = build(
            name=f'<a href="javascript:alert(7)" {handlers}>Ada</a> Example{ATTACK}',
            headline=f'Maker <a href="javascript:alert(8)">of things</a>{ATTACK}',
            description=f'Fixes things.<a href="javascript:void(0)" {handlers}>!</a>{ATTACK}',
            post=f"My own post.{ATTACK}",
            post_href=post_href,
        ).replace("<body>", '<body onload="alert(9)">')
        got, body = run(html)
        assert got["name"] == NAME
        assert got["headline"] == "Maker of things"
        assert got["activity"][0]["url"] is None
        for needle in (b"<img", b"<svg", b"onerror", b"onload", b"javascript", b"alert"):
            assert needle not in body, (build.__name__, needle)
        assert_no_markup(got)


def test_a_good_post_link_stays() -> None:
    got, _ = run(logged_in_2022(post_href="/feed/update/urn:li:activity:42/"))
    assert got["activity"][0]["url"] == "https://www.linkedin.com/feed/update/urn:li:activity:42/"


# ---- attribute values of 1 MB ----------------------------------------------------------------


def test_megabyte_attribute_values() -> None:
    big = "A" * 1_000_000
    escaped = "&quot;&gt;&lt;script&gt;LEAK&lt;/script&gt;" * 1000
    attrs = f'data-x="{big}" title="{big}" aria-label="{big}" style="{big}" data-y="{escaped}"'
    html = logged_in_2022(
        name=f"<span {attrs}>Ada</span> Example",
        about=f'<a href="https://example.test/{big}" {attrs}>Builds</a> things.',
        post_href="/feed/update/" + big,
    ).replace('class="text-heading-xlarge"', f'class="text-heading-xlarge {big}"')
    got, body = run(html)
    assert got["name"] == NAME and got["about"] == "Builds things."
    assert got["activity"][0]["url"] is None
    assert len(body) < 10_000
    assert b"AAAA" not in body and b"LEAK" not in body


# ---- markup nested 5,000 levels deep ---------------------------------------------------------
# lexbor's tree builder is itself quadratic in the nesting of block elements (20,000 nested <div>s
# take about a second to parse, 50,000 about ten), so the depth stays at 5,000; Chromium never
# builds a tree deeper than 512, and the extractor flattens anything below that depth.

DEPTH = 5_000


def _nested(open_tag: str, close_tag: str, inner: str) -> str:
    return open_tag * DEPTH + inner + close_tag * DEPTH


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "shape",
    ["divs-in-about", "artdeco-items", "headings-items", "public-spans", "json-ld", "inline"],
)
def test_markup_nested_5000_levels(shape: str) -> None:
    if shape == "divs-in-about":
        html = logged_in_2022(about=_nested("<div>", "</div>", "deep text"))
    elif shape == "artdeco-items":
        item = '<li class="artdeco-list__item"><div class="t-bold">Role</div><ul>'
        html = logged_in_2022(skill="Welding</div></li>" + _nested(item, "</ul></li>", "x"))
    elif shape == "headings-items":
        item = "<li><div><p>Role</p><p>Co · Full-time</p><p>2020 - 2021</p></div><ul>"
        html = headings_2025(experience_items=_nested(item, "</ul></li>", ""))
    elif shape == "public-spans":
        html = logged_out_2023(
            location=_nested('<span class="top-card__subline-item">', "</span>", "Sampletown")
        )
    elif shape == "json-ld":
        html = logged_out_2023(json_ld=_nested("[", "]", '{"@type": "Person", "name": "Deep"}'))
    else:
        html = logged_in_2022(description=_nested("<b><i>", "</i></b>", "deep text"))
    got, _ = run(html)
    assert got["name"] == NAME
    if shape == "divs-in-about":
        assert got["about"] == "deep text"  # flattened below the depth limit, text kept


# ---- invalid UTF-8, NUL and control characters -----------------------------------------------


def test_invalid_utf8_decoded_like_the_capture() -> None:
    html = logged_in_2022(name="Ada @1 Example", about="Builds @2 things @3 and @4.").encode()
    for marker, junk in (
        (b"@1", b"\xff\xfe"),
        (b"@2", b"\xc0\xaf"),  # overlong "/"
        (b"@3", b"\xed\xa0\x80"),  # an encoded surrogate
        (b"@4", b"\xe2\x82"),  # truncated
    ):
        html = html.replace(marker, junk)
    page = (b"\xff\xfe" + html + b"\x80").decode("utf-8", errors="replace")
    got, _ = run(page)
    assert got["name"] is not None and got["name"].startswith("Ada ")
    assert got["name"].endswith(" Example") and "\ufffd" in got["name"]
    assert got["about"] is not None and got["about"].startswith("Builds")


C0_C1 = "".join(chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)))
CHAR_REFS = "&#0;&#1;&#x1b;[31m&#x7f;&#x85;&#x9d;&#xd800;&#x110000;&#13;"


@pytest.mark.parametrize("noise", [C0_C1, CHAR_REFS, "\x00\x00\x1b[31mred\x1b[0m\r\n\t\x0b\x0c"])
def test_nul_and_control_characters_are_dropped(noise: str) -> None:
    person = {"@type": "Person", "name": NAME, "description": f"About{noise}text \ud800 end"}
    for html in (
        logged_in_2022(
            name=f"Ada{noise}Example",
            headline=f"Maker{noise}",
            about=f"Builds{noise}things.",
            description=f"Line{noise}two",
            skill=f"Weld{noise}ing",
            post=f"Post{noise}",
        ),
        # ensure_ascii keeps the lone surrogate as "\ud800" text for json.loads to meet.
        logged_out_2023(about=None, name=f"Ada{noise}Example", json_ld=json.dumps(person)),
    ):
        got, _ = run(html)
        assert got["name"] is not None and got["name"].startswith("Ada")
        assert got["name"].endswith("Example")


# ---- right-to-left text and emoji ------------------------------------------------------------

ARABIC = "مريم الحسيني"
HEBREW = "מהנדסת תוכנה בכירה"
EMOJI = "👩🏽‍💻 Coding · 👨‍👩‍👧‍👦 family · 🏳️‍🌈 · 🇵🇸 · 1️⃣"
MIXED = f"\u2067{ARABIC}\u2069 — Tel Aviv, {HEBREW[:6]}"


def test_rtl_and_emoji_text_is_kept_exactly() -> None:
    html = logged_in_2022(
        name=f'<span dir="rtl">{ARABIC}</span>',
        headline=HEBREW,
        location=MIXED,
        about=EMOJI,
        skill=EMOJI,
    )
    got, body = run(html)
    assert (got["name"], got["headline"], got["location"]) == (ARABIC, HEBREW, MIXED)
    assert got["about"] == EMOJI and got["skills"] == [EMOJI]
    assert "\u200d" in got["about"] and "\ufe0f" in got["about"]  # ZWJ and variation selectors
    assert EMOJI.encode() in body  # UTF-8 as is, not \u escapes


# ---- escaped markup in text stays text -------------------------------------------------------


def test_escaped_markup_is_literal_text() -> None:
    html = logged_in_2022(
        name="Ada &lt;b&gt;Example&lt;/b&gt;",
        about="&lt;script&gt;alert(1)&lt;/script&gt; and a&lt;br&gt;b",
        title="&lt;img src=x onerror=alert(2)&gt;",
        description="&amp;lt;i&amp;gt; &lt;!-- not a comment --&gt;",
        skill="&lt;/span&gt;&lt;span class=&quot;visually-hidden&quot;&gt;Skill",
    )
    got, body = run(html)
    assert got["name"] == "Ada <b>Example</b>"
    assert got["about"] == "<script>alert(1)</script> and a<br>b"  # <br> text is not a break
    assert got["experience"][0]["title"] == "<img src=x onerror=alert(2)>"
    assert got["experience"][0]["description"] == "&lt;i&gt; <!-- not a comment -->"
    assert got["skills"] == ['</span><span class="visually-hidden">Skill']
    document = json.loads(body.decode("utf-8"))
    assert document["about"].startswith("<script>alert(1)</script>")
    assert "<script>alert(1)</script>" in document["fulltext"]


# ---- a 10 MB page ----------------------------------------------------------------------------


def test_ten_megabyte_page() -> None:
    card = (
        '<li class="aside-profile-card"><a href="/in/other-person-{i}/">'
        "<h3>Other Person {i}</h3><p>Somebody else's headline, padded out a little.</p></a></li>"
    )
    cards = "".join(card.format(i=i) for i in range(80_000))
    rail = f'<aside class="right-rail"><h2>People also viewed</h2><ul>{cards}</ul></aside>'
    long_about = "A long but ordinary About paragraph. " * 2_000
    html = logged_out_2023(about=long_about, chrome=rail)
    assert len(html) > 10_000_000
    got, body = run(html)
    assert got["name"] == NAME
    assert got["about"] == long_about.strip()
    assert b"Other Person" not in body and len(body) < 250_000


# ---- comments with fake profile fields -------------------------------------------------------


def test_comments_with_fake_fields() -> None:
    fake_ld = '{"@type": "Person", "name": "FAKE-LD", "description": "FAKE-LD-ABOUT"}'
    fake_top = '<h1 class="top-card-layout__title">FAKE Name</h1>'
    html = logged_out_2023(
        name="Ada <!-- FAKE-1 -->Example",
        about=None,
        headline='Maker<!-- <span class="top-card__subline-item">FAKE-2</span> -->',
        description=(
            "Fixes things.<!--[if IE]><p>FAKE-3</p><![endif]--><![CDATA[FAKE-4]]>"
            "<?FAKE-5?><!FAKE-6><!---->"
        ),
        chrome=f'<!-- <script type="application/ld+json">{fake_ld}</script> -->'
        "<!-- unclosed at the end: FAKE-7",
    ).replace("<main>", f"<main><!-- {fake_top} -->")
    got, body = run(html)
    assert got["name"] == NAME
    assert got["headline"] == "Maker"
    assert got["about"] is None  # the JSON-LD in a comment is not read
    assert got["experience"][0]["description"] == "Fixes things."
    assert b"FAKE" not in body
    assert_no_markup(got)
