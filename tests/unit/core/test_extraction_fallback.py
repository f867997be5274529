"""The section-text fallback (`core.extraction._fallback`): its line reading, and each era's use of
it on snippets the sample site's variant pages do not cover."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkedin_assets.core.extraction import _fallback as fallback
from linkedin_assets.core.extraction import extract
from linkedin_assets.core.extraction._document import prepare
from linkedin_assets.core.extraction._fallback import lines
from linkedin_assets.core.extraction._words import is_ui_label
from linkedin_assets.local.sample_site import PAGES_DIR


def _lines(html: str) -> list[str]:
    root = prepare(f"<div id=x>{html}</div>").root
    node = root.css_first("#x")
    assert node is not None
    return lines(node)


@pytest.mark.parametrize(
    ("html", "want"),
    [
        # Text flows through inline elements when the element holds text of its own…
        ("<p><time>Mar 2023</time> - Present <span>1 yr</span></p>", ["Mar 2023 - Present 1 yr"]),
        ("<p>Acme<span>Full-time</span></p>", ["Acme Full-time"]),
        # …while sibling elements with no text between them are lines (2022 shows spans as lines).
        ("<h4><span>MSc</span><span>Hydrology</span></h4>", ["MSc", "Hydrology"]),
        ("<div><b>Title</b> <i>Company</i></div>", ["Title", "Company"]),
        # Block elements and <br> break lines; a line never follows itself.
        ("<div>a<br>b</div><p>c</p><p>c</p>", ["a", "b", "c"]),
        # Decoration (aria-hidden logos) and the clamped copy before the full one are not read.
        ('<a><div aria-hidden="true">QA</div></a><p>Quill</p>', ["Quill"]),
        (
            "<div><p>Long text.<br>More.</p><p>Long text.<br>More.</p></div>",
            ["Long text.", "More."],
        ),
        # Text-only buttons are gone after prepare(); markup inside a button is read.
        ("<p>Hello</p><button>…see more</button>", ["Hello"]),
        ("", []),
    ],
)
def test_lines(html: str, want: list[str]) -> None:
    assert _lines(html) == want


def test_lines_of_a_very_deep_tree_do_not_recurse() -> None:
    html = "<div>" * 3000 + "deep" + "</div>" * 3000
    tree = LexborHTMLParser(html)
    body = tree.body
    assert body is not None
    assert lines(body) == ["deep"]


def test_screen_reader_twin_is_dropped_whatever_its_class() -> None:
    root = prepare('<p><span aria-hidden="true">Welding</span><span class="_x1">Welding</span></p>')
    assert root.root.text() == "Welding"
    shown = root.root.css_first("span")
    assert shown is not None and "aria-hidden" not in shown.attributes


def test_different_screen_reader_text_is_not_a_twin() -> None:
    root = prepare(
        '<p><span aria-hidden="true">2w • </span><span class="_x1">2 weeks ago</span></p>'
    )
    assert "2 weeks ago" in root.root.text()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("…see more", True),
        ("Show all 7 experiences", True),
        ("Alle anzeigen", True),
        ("Join now to see all activity", True),
        ("Showcase of my work", False),
        ("See Morecambe Bay", False),
        (None, False),
    ],
)
def test_ui_labels(text: str | None, label: bool) -> None:
    assert is_ui_label(text) is label


PUBLIC_TOP = """<section class="top-card-layout"><h1 class="top-card-layout__title">Ada Example</h1>
<h2 class="top-card-layout__headline">Maker</h2></section>"""


def test_public_activity_cards_from_text_skip_what_others_posted() -> None:
    html = f"""<main>{PUBLIC_TOP}<section class="core-section-container activities">
<h2 class="_t">Activity</h2><ul class="_l">
<li class="_i"><a class="_a" href="https://www.linkedin.com/feed/update/urn:li:activity:1/"></a>
<h3 class="_h">Our kiln is fixed.</h3><h4 class="_s">Shared by Ada Example</h4></li>
<li class="_i"><a class="_a" href="https://www.linkedin.com/feed/update/urn:li:activity:2/"></a>
<h3 class="_h">Hiring season.</h3><h4 class="_s">Liked by Ada Example</h4></li></ul>
<a href="#">Join now to see all activity</a></section></main>"""
    got = extract(html)
    assert got.profile["activity"] == [
        {
            "text": "Our kiln is fixed.\nShared by Ada Example",
            "url": "https://www.linkedin.com/feed/update/urn:li:activity:1/",
            "posted": None,
        }
    ]
    assert [(f.field, f.found_by) for f in got.fallbacks] == [
        ("activity", "section class 'activities'")
    ]


def test_2022_items_found_but_their_lines_renamed_fall_back() -> None:
    """The list items still match, but none of the classes inside them: entries would be empty."""
    html = """<main><section class="artdeco-card pv-top-card"><h1 class="text-heading-xlarge">Bo</h1>
</section><section class="artdeco-card"><div id="skills" class="pv-profile-card__anchor"></div>
<h2>Skills</h2><ul><li class="artdeco-list__item"><div class="_b">Welding</div>
<span class="_n">Endorsed by 3 colleagues</span></li></ul></section>
<section class="artdeco-card"><div id="experience" class="pv-profile-card__anchor"></div>
<h2>Experience</h2><ul><li class="artdeco-list__item"><div class="_b">Welder</div>
<span class="_n">Forge Co · Full-time</span></li></ul>
<div><a href="#">Show all 4 experiences</a></div></section></main>"""
    got = extract(html)
    assert got.profile["skills"] == ["Welding"]
    assert got.profile["experience"] == [
        {
            "title": None,
            "company": None,
            "location": None,
            "start": None,
            "end": None,
            "description": "Welder\nForge Co · Full-time",
        }
    ]
    assert "Show all" not in got.profile["fulltext"]
    assert {f.field for f in got.fallbacks} == {"skills", "experience"}


def test_an_empty_section_is_not_a_fallback() -> None:
    html = """<main><h1>Cy Sample</h1><section><h2>Experience</h2><ul></ul></section>
<section><h2>About</h2></section></main>"""
    got = extract(html)
    assert got.profile["experience"] == [] and got.profile["about"] is None
    assert got.fallbacks == ()


def test_2025_activity_section_from_text_when_there_is_no_activity_page() -> None:
    html = (PAGES_DIR / "lan-hoang-3f9" / "profile.html").read_text(encoding="utf-8")
    got = extract(html)  # no activity page: the profile's own Activity section counts
    assert got.profile["activity"] == [
        {
            "text": "Lan Hoàng posted this • 3d\nDraft corridor plan is open for comments.",
            "url": "https://www.linkedin.com/feed/update/urn:li:activity:7290000000000001901/",
            "posted": None,
        },
        {
            "text": "Lan Hoàng posted this • 2w\nShade is infrastructure.",
            "url": "https://www.linkedin.com/feed/update/urn:li:activity:7280000000000001902/",
            "posted": None,
        },
    ]
    assert "activity" in {f.field for f in got.fallbacks}


def test_with_an_activity_page_the_profile_cards_fallback_is_not_reported() -> None:
    folder = PAGES_DIR / "lan-hoang-3f9"
    got = extract(
        (folder / "profile.html").read_text(encoding="utf-8"),
        (folder / "activity.html").read_text(encoding="utf-8"),
    )
    assert "activity" not in {f.field for f in got.fallbacks}
    assert [post["posted"] for post in got.profile["activity"]] == ["3d", "2w"]


def _section(html: str) -> LexborNode:
    node = prepare(f"<main>{html}</main>").root.css_first("section")
    assert node is not None
    return node


def test_skills_without_a_list_are_the_lines_less_heading_and_ui_links() -> None:
    section = _section(
        '<section><h2>Skills</h2><div>Python</div><div>SQL</div><a href="#">Show all 12 skills</a>'
        "<button><span>See more</span></button></section>"
    )
    assert fallback.read_skills(section) == ["Python", "SQL"]


def test_skills_in_a_list_are_each_items_first_line() -> None:
    section = _section(
        "<section><h2>Skills</h2><ul><li><p>Python</p><p>3 endorsements</p></li>"
        '<li><a href="#">Show all</a></li><li><p>SQL</p></li></ul></section>'
    )
    assert fallback.read_skills(section) == ["Python", "SQL"]


def test_experience_without_a_list_is_one_entry_of_the_sections_text() -> None:
    section = _section(
        "<section><h2>Experience</h2><div>Baker</div><div>2001 – 2003</div></section>"
    )
    assert fallback.read_experience(section) == [
        {"title": None, "company": None, "location": None, "start": None, "end": None,
         "description": "Baker\n2001 – 2003"}
    ]  # fmt: skip
    assert fallback.read_experience(_section("<section><h2>Experience</h2></section>")) == []


def test_education_items_are_school_then_degree_and_dates_in_any_order() -> None:
    section = _section(
        "<section><h2>Education</h2><ol>"
        "<li><div>Uni</div><div>MSc</div><div>2010 – 2012</div></li>"
        "<li><div>School</div></li>"
        "<li><div>College</div><div>2001 – 2003</div><div>Arts</div></li></ol></section>"
    )
    assert fallback.read_education(section) == [
        {"school": "Uni", "degree": "MSc", "field": None, "start": "2010", "end": "2012"},
        {"school": "School", "degree": None, "field": None, "start": None, "end": None},
        {"school": "College", "degree": "Arts", "field": None, "start": "2001", "end": "2003"},
    ]


def test_activity_items_are_own_posts_with_a_link_and_text() -> None:
    section = _section(
        "<section><h2>Activity</h2><ul>"
        '<li><a href="/posts/a">Own post</a><button><span>…see more</span></button></li>'
        "<li><span>no link</span></li>"
        '<li><a href="/posts/b">x</a><div>Ada liked this</div></li>'
        '<li><a href="/feed/update/c"></a></li>'
        '<li><a href="/posts/d">Later post</a></li></ul></section>'
    )
    assert fallback.read_activity(section) == [
        {"text": "Own post", "url": "https://www.linkedin.com/posts/a", "posted": None},
        {"text": "Later post", "url": "https://www.linkedin.com/posts/d", "posted": None},
    ]


def test_about_is_the_sections_lines_less_heading_and_ui_links() -> None:
    section = _section(
        '<section><h2>About</h2><div>Hi.</div><div>Bye.</div><a href="#">…see more</a></section>'
    )
    assert fallback.read_about(section) == "Hi.\nBye."
    assert fallback.read_about(_section("<section><h2>About</h2></section>")) is None
