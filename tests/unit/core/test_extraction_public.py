"""The logged-out reader (`core.extraction._public`) on a snippet, entry by entry: shapes the
sample site's pages do not all have (a site header with its own h1, a count before the place, an
end date as a bare word, grouped positions, one or two degree lines, a section known only by its
heading, a second section of a kind already read, other people's posts and a javascript: link)."""

from __future__ import annotations

from linkedin_assets.core.extraction import extract
from tests.unit.core.extraction_entries import job, school

PAGE = """<!DOCTYPE html><html><body>
<header><h1>LinkedIn</h1></header><main>
<section class="top-card-layout"><h1 class="top-card-layout__title">Cleo Example</h1>
<h2 class="top-card-layout__headline">Designer</h2>
<div class="top-card__position-info"><span class="top-card-link__description">Studio X</span></div>
<div class="profile-info-subheader"><span>812 followers</span><span>Marseille</span><span>500+ connections</span></div>
</section>
<section class="core-section-container summary"><h2 class="core-section-container__title">About</h2>
<div class="core-section-container__content"><p>Draws.</p><p>Paints.</p></div></section>
<section class="core-section-container experience"><h2>Experience</h2><ul>
<li class="experience-item profile-section-card"><h3 class="profile-section-card__title">Art Lead</h3>
<h4 class="profile-section-card__subtitle">Studio X</h4>
<span class="date-range"><time>Mar 2023</time> - Present <span>1 year</span></span>
<p class="experience-item__location">Marseille</p>
<div class="show-more-less-text"><p>Leads.</p></div></li>
<li class="experience-group profile-section-card"><div class="experience-group-header__company">Big Co</div><ul>
<li class="experience-group-position profile-section-card"><h3 class="profile-section-card__title">Senior</h3>
<span class="date-range"><time>2020</time><time>2023</time></span></li>
<li class="experience-group-position profile-section-card"><h3 class="profile-section-card__title">Junior</h3>
<span class="date-range">2018 - 2020</span></li></ul></li>
</ul></section>
<section class="core-section-container education"><h2>Education</h2><ul>
<li class="education__list-item"><h3>Art School</h3><span class="education__item--degree-info">BA</span><span class="education__item--degree-info">Illustration</span>
<span class="date-range"><time>2012</time><time>2015</time></span></li>
<li class="education__list-item"><h3>Lycee</h3><span class="education__item--degree-info">Bac</span></li>
<li class="education__list-item"><h3>Evening Class</h3></li></ul></section>
<section class="core-section-container"><h2>Activity</h2><ul>
<li class="activities-section__item"><a class="base-card__full-link" href="/posts/cleo-1">x</a><h3 class="base-main-card__title">My new poster</h3><span class="base-main-card__subtitle">Posted by Cleo</span></li>
<li class="activities-section__item"><a class="base-card__full-link" href="javascript:alert(1)">x</a><h3 class="base-main-card__title">Second post</h3></li>
<li class="activities-section__item"><a href="/posts/other">x</a><h3 class="base-main-card__title">Their post</h3><span class="base-main-card__subtitle">Liked by Cleo</span></li>
</ul></section>
<section class="core-section-container"><h2 class="core-section-container__title">Experience</h2><ul><li class="experience-item"><h3 class="profile-section-card__title">Duplicate</h3></li></ul></section>
</main></body></html>"""


def test_a_public_page_entry_by_entry() -> None:
    got = extract(PAGE)
    profile = {k: v for k, v in got.profile.items() if k != "fulltext"}
    assert profile == {
        "name": "Cleo Example",
        "headline": "Designer",
        "location": "Marseille",
        "about": "Draws.\nPaints.",
        "current_company": "Studio X",
        "experience": [
            # "<time>Mar 2023</time> - Present <span>1 year</span>": the end is the bare word.
            job(
                "Art Lead",
                "Studio X",
                "Mar 2023",
                "Present",
                location="Marseille",
                description="Leads.",
            ),  # fmt: skip
            job("Senior", "Big Co", "2020", "2023"),
            job("Junior", "Big Co", "2018", "2020"),
            # The later section headed "Experience" is not read again.
        ],
        "education": [
            school("Art School", "BA", "Illustration", "2012", "2015"),
            school("Lycee", "Bac", None, None, None),
            school("Evening Class", None, None, None, None),
        ],
        "skills": [],
        "connections": 500,
        "followers": 812,
        "activity": [
            {
                "text": "My new poster",
                "url": "https://www.linkedin.com/posts/cleo-1",
                "posted": None,
            },
            {"text": "Second post", "url": None, "posted": None},
        ],
    }
    assert got.fallbacks == ()
