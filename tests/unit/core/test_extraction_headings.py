"""The 2025 signed-in reader and fallback for unknown markup (`core.extraction._headings`) on
snippets, entry by entry: a heading outside `main`, a role whose second line is its dates (no
company), a role without dates, a group's roles, a school line that is dates, items with no `p`
lines, posts without text, context or a link, or liked from someone else; a second section of a
kind already read; followers only in the activity card; an About without `p` lines."""

from __future__ import annotations

from linkedin_assets.core.extraction import Fallback, extract
from tests.unit.core.extraction_entries import job, school

PAGE = """<!DOCTYPE html><html><body><nav><h2>Experience</h2><p>Nav line</p></nav>
<main>
<section><h1>Eva Example</h1><p>Data engineer</p><p><a href="#">Contact info</a></p><p>Berlin, Germany</p>
<p>300 followers</p><ul><li><a href="/company/x/"><span>Datawerk</span></a></li></ul></section>
<section><div><h2>Experience</h2></div><ul>
<li><div><p>Founder</p><p>Jan 2021 – Present · 3 yrs</p><p>Berlin · Remote</p></div><div><p>Built it.</p><p>Sold it.</p></div></li>
<li><div><p>Analyst</p><p>Datawerk · Part-time</p></div></li>
<li><div><p>Mega Corp</p><p>2 yrs</p></div><ul>
<li><div><p>Manager</p><p>2019 – 2021</p><p>Hamburg</p></div></li></ul></li>
</ul></section>
<section><h2>Education</h2><ul>
<li><div><p>TU Somewhere</p><p>2010 – 2014</p></div></li>
<li><div><span>logo only</span></div></li>
<li><div><p>Uni</p><p>MSc, Data</p><p>2015 – 2017</p></div></li>
<li><div><p>Evening School</p><p>Pottery</p></div></li></ul></section>
<section><h2>Skills</h2><ul><li><div><p>Rust</p><p>Endorsed by 2</p></div></li><li><span>x</span></li><li><div><p>SQL</p></div></li></ul></section>
<section><h2>Activity</h2><p>1,000 followers</p><ul>
<li><a href="/posts/eva-1"><span>Eva Example posted this • 3d</span><div><p>Hello.</p></div></a></li>
<li><a href="/posts/eva-2"><span>Eva Example posted this</span></a></li>
<li><a href="/posts/eva-3"><span>Eva Example liked this</span><div><p>Not hers.</p></div></a></li>
<li><span>No link</span><p>Orphan.</p></li>
<li><a href="/feed/update/urn:li:activity:9/"><div><p>No context.</p></div></a></li></ul></section>
<section><h2>Experience</h2><ul><li><p>Second list</p></li></ul></section>
</main></body></html>"""

SPARSE = """<!DOCTYPE html><html><body><main>
<section><h1>Fay Example</h1></section>
<section><h2>About</h2><div>Quiet maker.</div></section>
<section><h2>Activity</h2><p>1,000 followers</p><ul>
<li><a href="/posts/fay-1"><span>Fay Example posted this • 1w</span><div><p>Hi.</p></div></a></li></ul></section>
</main></body></html>"""


def test_a_2025_page_entry_by_entry() -> None:
    got = extract(PAGE)
    profile = {k: v for k, v in got.profile.items() if k != "fulltext"}
    assert profile == {
        "name": "Eva Example",
        "headline": "Data engineer",
        "location": "Berlin, Germany",
        "about": None,
        "current_company": "Datawerk",
        "experience": [
            job(
                "Founder",
                None,
                "Jan 2021",
                "Present",
                location="Berlin",
                description="Built it.\nSold it.",
            ),  # fmt: skip
            job("Analyst", "Datawerk", None, None),
            job("Manager", "Mega Corp", "2019", "2021", location="Hamburg"),
        ],
        "education": [
            school("TU Somewhere", None, None, "2010", "2014"),
            school("Uni", "MSc", "Data", "2015", "2017"),
            school("Evening School", "Pottery", None, None, None),
        ],
        "skills": ["Rust", "SQL"],
        "connections": None,
        "followers": 300,  # the top card's, not the activity card's 1,000
        "activity": [
            {"text": "Hello.", "url": "https://www.linkedin.com/posts/eva-1", "posted": "3d"},
            {
                "text": "No context.",
                "url": "https://www.linkedin.com/feed/update/urn:li:activity:9/",
                "posted": None,
            },  # fmt: skip
        ],
    }
    assert got.fallbacks == ()


def test_followers_from_the_activity_card_and_an_about_without_lines() -> None:
    got = extract(SPARSE)
    profile = {k: v for k, v in got.profile.items() if k != "fulltext"}
    assert profile == {
        "name": "Fay Example",
        "headline": None,
        "location": None,
        "about": "Quiet maker.",
        "current_company": None,
        "experience": [],
        "education": [],
        "skills": [],
        "connections": None,
        "followers": 1000,
        "activity": [
            {"text": "Hi.", "url": "https://www.linkedin.com/posts/fay-1", "posted": "1w"}
        ],
    }
    assert got.fallbacks == (Fallback(field="about", found_by="heading 'About'"),)
