# ruff: noqa: E501 - HTML templates keep one element per line to read like the real markup.
"""Logged-out public profiles: the 2023 shape (JSON-LD, top card sublines) and the 2024–25 shape
(`profile-info-subheader`, JSON-LD sometimes missing). See docs/extraction.md."""

from __future__ import annotations

import json
from itertools import groupby

from linkedin_assets.local.sample_site._people import Job, Person
from linkedin_assets.local.sample_site._render_common import (
    activity_url,
    bystander_cards,
    esc,
    initials,
    lines_html,
    page,
)

CSS = """
.top-card-layout__title{font-size:24px}.top-card-layout__headline{font-size:16px;font-weight:400}
.top-card-layout__first-subline{font-size:14px;font-weight:400;color:rgba(0,0,0,.6)}
.top-card__subline-item+.top-card__subline-item:before,.profile-info-subheader span+span:before{content:" · "}
.date-range,.experience-item__location{color:rgba(0,0,0,.6);margin:2px 0}
.show-more-less-text__text--more{display:none}
.contextual-sign-in-modal{position:fixed;right:24px;bottom:24px;width:320px;z-index:2}
.experience-group-position{margin-left:24px}.top-card__subline-item{display:inline}
.education__item--degree-info+.education__item--degree-info:before{content:", "}
"""

MASK = "**-*****"


def _show_more_less(text: str) -> str:
    # LinkedIn ships the text twice: a clamped copy and the full copy, toggled by CSS.
    body = lines_html(text)
    return (
        '<div class="show-more-less-text">'
        f'<p class="show-more-less-text__text--less">{body}'
        '<button class="show-more-less-text__button">Show more</button></p>'
        f'<p class="show-more-less-text__text--more">{body}'
        '<button class="show-more-less-text__button">Show less</button></p></div>'
    )


def _date_range(job_start: str, job_end: str, duration: str) -> str:
    end = "Present" if job_end == "Present" else f"<time>{esc(job_end)}</time>"
    return (
        f'<span class="date-range"><time>{esc(job_start)}</time> - {end} '
        f'<span class="before:middot">{esc(duration)}</span></span>'
    )


def _position(job: Job, *, nested: bool) -> str:
    cls = (
        "experience-group-position profile-section-card"
        if nested
        else ("experience-item profile-section-card")
    )
    subtitle = (
        ""
        if nested
        else (
            '<h4 class="profile-section-card__subtitle experience-item__subtitle">'
            f'<a class="profile-section-card__subtitle-link" href="#">{esc(job.company)}</a></h4>'
        )
    )
    location = (
        f'<p class="experience-item__location experience-item__meta-item">{esc(job.shown_location)}</p>'
        if job.shown_location
        else ""
    )
    description = (
        f'<div class="experience-item__description experience-item__meta-item">'
        f"{_show_more_less(job.description)}</div>"
        if job.description
        else ""
    )
    return f"""<li class="{cls}"><div class="profile-section-card__contents">
<h3 class="profile-section-card__title">{esc(job.title)}</h3>{subtitle}
<div class="profile-section-card__meta"><p class="experience-item__duration experience-item__meta-item">{_date_range(job.start, job.end, job.duration)}</p>
{location}{description}</div></div></li>"""


def _experience(person: Person) -> str:
    items = []
    for company, jobs in groupby(person.jobs, key=lambda job: job.company):
        group = list(jobs)
        if len(group) == 1:
            items.append(_position(group[0], nested=False))
            continue
        positions = "\n".join(_position(job, nested=True) for job in group)
        items.append(f"""<li class="experience-group experience-item">
<a class="experience-group-header__url" href="#"><div class="experience-group-header__content">
<h4 class="experience-group-header__company">{esc(company)}</h4>
<p class="experience-group-header__duration muted">{len(group)} positions</p></div></a>
<ul class="experience-group__positions">{positions}</ul></li>""")
    return _section(
        "experience", "Experience", '<ul class="experience__list">' + "\n".join(items) + "</ul>"
    )


def _education(person: Person) -> str:
    items = []
    for school in person.schools:
        infos = "".join(
            f'<span class="education__item education__item--degree-info">{esc(value)}</span>'
            for value in (school.degree, school.field)
            if value
        )
        years = ""
        if school.start:
            years = (
                f'<p class="education__item education__item--duration"><span class="date-range">'
                f"<time>{esc(school.start)}</time> - <time>{esc(school.end or '')}</time></span></p>"
            )
        items.append(f"""<li class="profile-section-card education__list-item">
<div class="profile-section-card__contents"><h3 class="profile-section-card__title">
<a href="#">{esc(school.school)}</a></h3><h4 class="profile-section-card__subtitle">{infos}</h4>
{years}</div></li>""")
    return _section(
        "education", "Education", '<ul class="education__list">' + "".join(items) + "</ul>"
    )


def _section(kind: str, title: str, content: str) -> str:
    return f"""<section class="core-section-container {kind} card">
<h2 class="core-section-container__title section-title">{esc(title)}</h2>
<div class="core-section-container__content break-words">{content}</div></section>"""


def _activity_cards(person: Person) -> str:
    if not person.cards:
        return ""
    cards = []
    for post in person.cards:
        by = f"Liked by {person.name}" if post.author else f"Shared by {person.name}"
        cards.append(f"""<li class="activities-section__item activities-section__item--posts">
<div class="base-card base-main-card"><a class="base-card__full-link" href="{activity_url(post.urn)}">
<span class="sr-only">{esc(post.text)}</span></a><div class="base-main-card__info">
<h3 class="base-main-card__title">{esc(post.text)}</h3>
<h4 class="base-main-card__subtitle muted">{esc(by)}</h4></div></div></li>""")
    content = (
        '<ul class="activities-section__list">' + "".join(cards) + "</ul>"
        '<a class="btn" href="#">Join now to see all activity</a>'
    )
    return _section("activities", "Activity", content)


def _jsonld(person: Person) -> str:
    masked = person.jsonld == "masked"
    current = [job for job in person.jobs if job.end == "Present"]
    past = [job for job in person.jobs if job.end != "Present"]

    def org(name: str, extra: dict[str, object] | None = None) -> dict[str, object]:
        return {"@type": "Organization", "name": MASK if masked else name, **(extra or {})}

    data: dict[str, object] = {
        "@type": "Person",
        "name": person.name,
        "url": f"https://nl.linkedin.com/in/{person.profile_id}",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": MASK if masked else person.location,
        },
        "jobTitle": [MASK if masked else job.title for job in current],
        "worksFor": [
            org(job.company, {"member": {"@type": "OrganizationRole", "startDate": job.start}})
            for job in current
        ],
        "alumniOf": [org(job.company) for job in past]
        + [{"@type": "EducationalOrganization", "name": s.school} for s in person.schools],
        "sameAs": f"https://www.linkedin.com/in/{person.profile_id}",
    }
    if person.about:
        data["description"] = "**** ** ********" if masked else person.about.replace("\n", "<br>")
    followers = person.followers[1] if person.followers else person.jsonld_followers
    if followers is not None:
        data["interactionStatistic"] = {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/FollowAction",
            "name": "Follows",
            "userInteractionCount": followers,
        }
    graph = {"@context": "http://schema.org", "@graph": [data, {"@type": "WebPage", "url": "#"}]}
    # "</" inside a script would end it early; LinkedIn escapes the slash the same way.
    payload = json.dumps(graph, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{payload}</script>\n'


def _top_card(person: Person) -> str:
    counts = [value for value in (person.followers, person.connections) if value]
    if person.era == "logged_out_2023":
        sub = f'<div class="top-card__subline-item">{esc(person.location)}</div>' + "".join(
            f'<span class="top-card__subline-item">{esc(text)}</span>' for text, _ in counts
        )
    else:
        spans = "".join(f"<span>{esc(text)}</span>" for text, _ in counts)
        sub = (
            '<div class="profile-info-subheader"><div class="not-first-middot">'
            f"<span>{esc(person.location)}</span>{spans}</div></div>"
        )
    links = ""
    if person.top_card_company and person.current_company:
        links += (
            '<div class="top-card__position-info" data-section="currentPositionsDetails">'
            '<a class="top-card-link" href="#"><span class="top-card-link__description">'
            f"{esc(person.current_company)}</span></a></div>"
        )
    if person.schools:
        links += (
            '<div class="top-card__education-info" data-section="educationsDetails">'
            '<a class="top-card-link" href="#"><span class="top-card-link__description">'
            f"{esc(person.schools[0].school)}</span></a></div>"
        )
    return f"""<section class="top-card-layout card"><div class="banner"></div>
<div class="avatar top-card__profile-image">{esc(initials(person.name))}</div>
<div class="top-card-layout__entity-info">
<h1 class="top-card-layout__title">{esc(person.name)}</h1>
<h2 class="top-card-layout__headline">{esc(person.headline)}</h2>
<h3 class="top-card-layout__first-subline">{sub}</h3>
<div class="top-card__links-container">{links}</div>
<a class="btn top-card-layout__cta" href="#">Join to view profile</a></div></section>"""


def profile_page(person: Person) -> str:
    first = person.name.split()[0]
    about = (
        _section("summary", "About", f"<p>{lines_html(person.about, '<br><br>')}</p>")
        if person.about
        else ""
    )
    aside = bystander_cards(
        "People also viewed",
        "base-aside-card",
        "base-aside-card__title",
        "base-aside-card__subtitle",
    )
    body = f"""<header class="nav"><span class="logo">in</span>
<a class="nav__button-tertiary" href="#">Join now</a><a class="nav__button-secondary btn" href="#">Sign in</a></header>
<div class="layout"><main class="main maincol" id="main-content"><section class="profile">
{_top_card(person)}
<div class="core-rail">{about}{_experience(person)}{_education(person)}{_activity_cards(person)}</div>
<div class="card"><a href="#">View {esc(first)}’s full profile</a></div></section></main>
<aside class="aside right-rail"><section class="aside-section-container browsemap card">{aside}</section></aside></div>
<div class="contextual-sign-in-modal card" role="dialog"><h2>You're signed out</h2>
<p>Sign in to view {esc(first)}’s full profile</p>
<form class="sign-in-form"><input id="public_profile_contextual-sign-in_sign-in-modal_session_key" type="text">
<button class="btn" type="submit">Sign in</button></form><p>New to LinkedIn? <a href="#">Join now</a></p></div>
<footer class="li-footer"><ul>
<li><a href="#">About</a></li><li><a href="#">Accessibility</a></li><li><a href="#">User Agreement</a></li>
<li><a href="#">Privacy Policy</a></li><li><a href="#">Cookie Policy</a></li><li><a href="#">Copyright Policy</a></li>
<li><a href="#">Brand Policy</a></li><li><a href="#">Guest Controls</a></li><li><a href="#">Community Guidelines</a></li>
</ul></footer>"""
    head = (
        f'<meta name="description" content="{esc((person.about or person.headline)[:120])} | Learn more about '
        f'{esc(person.name)}’s work experience, education, connections &amp; more">\n'
        f'<meta property="og:title" content="{esc(person.name)} - {esc(person.headline)} | LinkedIn">\n'
        f'<meta property="profile:first_name" content="{esc(first)}">\n'
        f'<link rel="canonical" href="https://nl.linkedin.com/in/{esc(person.profile_id)}">\n'
    )
    if person.jsonld:
        head += _jsonld(person)
    return page(f"{person.name} - {person.headline} | LinkedIn", body, CSS, person.lang, head)
