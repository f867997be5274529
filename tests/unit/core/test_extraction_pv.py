"""The 2019–21 signed-in reader (`core.extraction._pv`) on snippets: the shapes the sample site's
pages do not all have (a role without a company, grouped roles, one or two <time>s, several comma
items, a section found by its landmark without a heading or by a heading nested in a <div>)."""

from __future__ import annotations

from linkedin_assets.core.extraction import Fallback, extract
from tests.unit.core.extraction_entries import job, school

# A site header with its own h1/h2 before the top card: the name is the top card's.
PAGE = """<!DOCTYPE html><html><body>
<nav><h1>LinkedIn</h1><h2>Navigation</h2></nav>
<main>
<section class="pv-top-card"><h1>Ada Example</h1><h2>Engineer at Acme</h2>
<ul class="pv-top-card--list pv-top-card--list-bullet">
<li><a href="#">Contact info</a></li>
<li>500+ connections</li>
<li>Lyon, France</li>
<li>1,234 followers</li></ul>
<ul><li class="pv-top-card--experience-list-item"><span>Acme Top</span></li></ul>
</section>
<section id="experience-section"><h2>Experience</h2><ul>
<li class="pv-profile-section__list-item"><h3>Solo Role</h3>
<p class="pv-entity__secondary-title">Solo Co<span class="separator">Full-time</span></p>
<h4 class="pv-entity__date-range"><span>Jan 2018 – Mar 2019</span></h4>
<h4 class="pv-entity__location"><span>Paris</span></h4>
<div class="pv-entity__description">Did things.</div></li>
<li class="pv-profile-section__list-item"><h3>No Company Role</h3></li>
<li class="pv-entity__position-group-pager"><div class="pv-entity__company-summary-info"><h3>Group Co</h3></div>
<ul><li class="pv-entity__position-group-role-item"><h3>Lead</h3><h4 class="pv-entity__date-range"><span>2020 – Present</span></h4></li>
<li class="pv-entity__position-group-role-item"><h3>Member</h3><h4 class="pv-entity__date-range"><span>2019 – 2020</span></h4></li></ul></li>
</ul></section>
<section id="education-section"><h2>Education</h2><ul>
<li class="pv-education-entity"><h3 class="pv-entity__school-name">Uni One</h3>
<p class="pv-entity__degree-name"><span class="pv-entity__comma-item">MSc</span></p>
<p class="pv-entity__fos"><span class="pv-entity__comma-item">Physics</span></p>
<p class="pv-entity__dates"><time>2010</time> – <time>2012</time></p></li>
<li class="pv-education-entity"><h3 class="pv-entity__school-name">Uni Two</h3>
<p class="pv-entity__degree-name">BSc</p><p class="pv-entity__fos">Maths</p>
<p class="pv-entity__dates"><time>2006</time></p></li>
<li class="pv-education-entity"><h3 class="pv-entity__school-name">School Three</h3>
<p class="pv-entity__dates">2000 – 2005</p></li>
</ul></section>
</main></body></html>"""

RENAMED = """<!DOCTYPE html><html><body><main>
<section class="pv-top-card"><h1>Bea Example</h1>
<ul class="pv-top-card--list-bullet"><li>Oslo</li></ul>
<div data-control-name="position_see_more"><span>Fjord AS</span></div></section>
<section class="pv-about-section"><div class="renamed-summary">Loves maps.</div></section>
<section class="card"><div class="header"><h2>Skills</h2></div>
<ul><li>Cartography</li><li>GIS</li></ul></section>
<section id="education-section"><h2>Education</h2><ul>
<li class="pv-education-entity"><h3 class="pv-entity__school-name">Uni One</h3>
<p class="pv-entity__degree-name"><span class="pv-entity__comma-item">MSc</span><span class="pv-entity__comma-item">MBA</span></p>
<p class="pv-entity__fos"><span class="pv-entity__comma-item">Physics</span><span class="pv-entity__comma-item">Music</span></p></li></ul></section>
</main></body></html>"""


def test_a_2019_page_entry_by_entry() -> None:
    got = extract(PAGE)
    profile = {k: v for k, v in got.profile.items() if k != "fulltext"}
    assert profile == {
        "name": "Ada Example",
        "headline": "Engineer at Acme",
        # "Contact info" is a link and "500+ connections" a count: neither is the location.
        "location": "Lyon, France",
        "about": None,
        "current_company": "Acme Top",
        "experience": [
            job(
                "Solo Role",
                "Solo Co",
                "Jan 2018",
                "Mar 2019",
                location="Paris",
                description="Did things.",
            ),  # fmt: skip
            job("No Company Role", None, None, None),
            job("Lead", "Group Co", "2020", "Present"),
            job("Member", "Group Co", "2019", "2020"),
        ],
        "education": [
            school("Uni One", "MSc", "Physics", "2010", "2012"),  # two <time>s
            school("Uni Two", "BSc", "Maths", "2006", None),  # one <time>
            school("School Three", None, None, "2000", "2005"),  # plain text
        ],
        "skills": [],
        "connections": 500,
        "followers": 1234,
        "activity": [],
    }
    assert got.fallbacks == ()


def test_renamed_inner_markup_is_read_from_the_landmark_or_the_heading() -> None:
    got = extract(RENAMED)
    profile = {k: v for k, v in got.profile.items() if k != "fulltext"}
    assert profile == {
        "name": "Bea Example",
        "headline": None,
        "location": "Oslo",
        "about": "Loves maps.",
        "current_company": "Fjord AS",
        "experience": [],
        # Several comma items: the first is the degree, the first is the field.
        "education": [school("Uni One", "MSc", "Physics", None, None)],
        "skills": ["Cartography", "GIS"],
        "connections": None,
        "followers": None,
        "activity": [],
    }
    assert got.fallbacks == (
        Fallback(field="about", found_by="section.pv-about-section"),
        Fallback(field="skills", found_by="heading 'Skills'"),
    )
