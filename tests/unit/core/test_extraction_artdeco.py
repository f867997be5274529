"""The 2022–24 signed-in reader (`core.extraction._artdeco`) on a snippet, entry by entry: a site
header before `main`, a role's place with its workplace type, several description blocks, grouped
roles with dates or a place only, "degree, field", a skills anchor without its class, a skill item
without a bold line, a rail before `main`, posts with and without a date around a repost, after
a link that is no post."""

from __future__ import annotations

from linkedin_assets.core.extraction import extract
from tests.unit.core.extraction_entries import job, school

PAGE = """<!DOCTYPE html><html><body>
<header><h1>LinkedIn</h1><div class="text-body-medium break-words">Site banner</div></header>
<aside><section><div id="skills"></div><ul><li class="artdeco-list__item"><div class="t-bold">Rail skill</div></li></ul></section></aside>
<main>
<section class="artdeco-card pv-top-card"><h1 class="text-heading-xlarge">Dan Example</h1>
<div class="text-body-medium break-words">Chef and teacher</div>
<span class="text-body-small inline t-black--light break-words">Lyon, France</span>
<ul><li><button aria-label="Current company: Bistro. Click to skip">Bistro</button></li></ul>
<ul class="pv-top-card--list"><li><span>500+</span> connections</li></ul></section>
<section class="artdeco-card"><div id="about" class="pv-profile-card__anchor"></div><h2>About</h2>
<div class="inline-show-more-text">Seasonal food.</div></section>
<section class="artdeco-card"><div id="experience" class="pv-profile-card__anchor"></div><h2>Experience</h2><ul>
<li class="artdeco-list__item"><div class="t-bold">Head Chef</div>
<span class="t-14 t-normal">Bistro · Full-time</span>
<span class="t-14 t-normal t-black--light">Jan 2020 - Present · 4 yrs</span>
<span class="t-14 t-normal t-black--light">Lyon, France · Hybrid</span>
<div class="inline-show-more-text">Cooks.</div><div class="inline-show-more-text">Teaches.</div></li>
<li class="artdeco-list__item"><div class="t-bold">Big Group</div><span class="t-14 t-normal">6 yrs</span><ul>
<li><div class="t-bold">Sous Chef</div><span class="t-14 t-normal t-black--light">2016 - 2020</span></li>
<li><div class="t-bold">Commis</div><span class="t-14 t-normal t-black--light">Paris</span></li></ul></li>
<li class="artdeco-list__item"><div class="t-bold">Freelance</div><span class="t-14 t-normal t-black--light">2015 - 2016</span></li>
</ul></section>
<section class="artdeco-card"><div id="education" class="pv-profile-card__anchor"></div><h2>Education</h2><ul>
<li class="pvs-list__item--line-separated"><div class="t-bold">Food School</div>
<span class="t-14 t-normal">MSc, Food Science, Nutrition</span><span class="t-14 t-normal t-black--light">2010 - 2012</span></li>
<li class="pvs-list__item--line-separated"><div class="t-bold">Night Class</div></li></ul></section>
<section class="artdeco-card"><div id="skills"></div><h2>Skills</h2><ul>
<li class="artdeco-list__item"><div class="t-bold">Knife skills</div></li><li class="artdeco-list__item"><span>no bold</span></li>
<li class="artdeco-list__item"><div class="t-bold">Sauces</div></li></ul></section>
<section class="artdeco-card"><div id="content_collections" class="pv-profile-card__anchor"></div>
<h2>Activity</h2><p class="pvs-header__subtitle">1,050 followers</p><ul>
<li><a href="#">Show all posts</a></li>
<li><a href="https://www.linkedin.com/feed/update/urn:li:activity:1/"><div class="feed-mini-update-contextual-description__text">Dan Example posted this • 1w</div>
<div class="feed-mini-update-commentary__text">Spring menu.</div></a></li>
<li><a href="https://www.linkedin.com/feed/update/urn:li:activity:3/"><div class="feed-mini-update-contextual-description__text">Dan Example reposted this</div>
<div class="feed-mini-update-commentary__text">Someone else's.</div></a></li>
<li><a href="/posts/dan-2"><div class="feed-mini-update-contextual-description__text">Dan Example posted this</div><div class="update-components-text">No date.</div></a></li></ul></section>
</main></body></html>"""


def test_a_2022_page_entry_by_entry() -> None:
    got = extract(PAGE)
    profile = {k: v for k, v in got.profile.items() if k != "fulltext"}
    assert profile == {
        "name": "Dan Example",
        "headline": "Chef and teacher",
        "location": "Lyon, France",
        "about": "Seasonal food.",
        "current_company": "Bistro",
        "experience": [
            job(
                "Head Chef",
                "Bistro",
                "Jan 2020",
                "Present",
                location="Lyon, France",
                description="Cooks.\nTeaches.",
            ),  # fmt: skip
            job("Sous Chef", "Big Group", "2016", "2020"),
            job("Commis", "Big Group", None, None, location="Paris"),
            # A light line is no company line.
            job("Freelance", None, "2015", "2016"),
        ],
        "education": [
            school("Food School", "MSc", "Food Science, Nutrition", "2010", "2012"),
            school("Night Class", None, None, None, None),
        ],
        "skills": ["Knife skills", "Sauces"],  # not the rail's, outside main
        "connections": 500,
        "followers": 1050,  # from the activity card's header
        "activity": [
            {
                "text": "Spring menu.",
                "url": "https://www.linkedin.com/feed/update/urn:li:activity:1/",
                "posted": "1w",
            },  # fmt: skip
            {"text": "No date.", "url": "https://www.linkedin.com/posts/dan-2", "posted": None},
        ],
    }
    assert got.fallbacks == ()
