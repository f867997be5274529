# ruff: noqa: E501 - HTML templates keep one element per line to read like the real markup.
"""Logged-in profiles: 2019–21 (`pv-` classes), 2022–24 (artdeco/pvs, doubled strings) and 2025+
(hashed class names: only `main`, `h1`, `h2` headings and `ul > li > p` structure are stable)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from itertools import groupby

from linkedin_assets.local.sample_site._people import BYSTANDERS, Job, Person
from linkedin_assets.local.sample_site._render_common import (
    activity_url,
    bystander_cards,
    doubled,
    esc,
    initials,
    lines_html,
    page,
)

NAV = ("Home", "My Network", "Jobs", "Messaging", "Notifications", "Me", "Try Premium")
NAV_DE = ("Startseite", "Mein Netzwerk", "Jobs", "Nachrichten", "Mitteilungen", "Ich")
FOOTER = (
    "About",
    "Accessibility",
    "Talent Solutions",
    "Community Guidelines",
    "Careers",
    "Marketing Solutions",
    "Privacy &amp; Terms",
    "Ad Choices",
    "Sales Solutions",
)
FOOTER_DE = ("Info", "Barrierefreiheit", "Nutzervereinbarung", "Datenschutzrichtlinie", "Karriere")


def _nav(items: tuple[str, ...], cls: str = "global-nav") -> str:
    links = "".join(f'<a href="#">{esc(item)}</a>' for item in items)
    return f'<nav class="top {cls}" id="global-nav"><span class="logo">in</span>{links}</nav>'


def _footer(items: tuple[str, ...], cls: str = "global-footer") -> str:
    return f'<footer class="{cls}">' + "".join(f'<a href="#">{i}</a>' for i in items) + "</footer>"


def _groups(jobs: tuple[Job, ...]) -> list[tuple[str, list[Job]]]:
    return [(company, list(group)) for company, group in groupby(jobs, key=lambda j: j.company)]


def _dates(job: Job, dash: str = " - ") -> str:
    return f"{job.start}{dash}{job.end} · {job.duration}"


# ---- 2019–21 -------------------------------------------------------------------------------


def _pv_label(label: str, value: str, value_class: str = "") -> str:
    cls = f' class="{value_class}"' if value_class else ""
    return f'<span class="visually-hidden">{esc(label)}</span><span{cls}>{esc(value)}</span>'


def _pv_role(job: Job, nested: bool) -> str:
    title = (
        f'<h3 class="t-14 t-black t-bold">{_pv_label("Title", job.title)}</h3>'
        if nested
        else f'<h3 class="t-16 t-black t-bold">{esc(job.title)}</h3>'
        '<p class="visually-hidden">Company Name</p>'
        f'<p class="pv-entity__secondary-title t-14 t-black t-normal">{esc(job.company)}'
        f'<span class="pv-entity__secondary-title separator">{esc(job.kind)}</span></p>'
    )
    location = (
        f'<h4 class="pv-entity__location t-14 t-black--light">{_pv_label("Location", job.shown_location)}</h4>'
        if job.shown_location
        else ""
    )
    desc = (
        '<div class="pv-entity__extra-details"><p class="pv-entity__description t-14 t-black t-normal">'
        f"{lines_html(job.description)}</p></div>"
        if job.description
        else ""
    )
    return f"""<div class="pv-entity__summary-info">{title}<div class="display-flex">
<h4 class="pv-entity__date-range t-14 t-black--light">{_pv_label("Dates Employed", f"{job.start} – {job.end}")}</h4>
<h4 class="t-14 t-black--light">{_pv_label("Employment Duration", job.duration, "pv-entity__bullet-item-v2")}</h4></div>
{location}</div>{desc}"""


def _pv_body(person: Person) -> str:
    items = []
    for company, jobs in _groups(person.jobs):
        if len(jobs) == 1:
            items.append(
                '<li class="pv-entity__position-group-pager pv-profile-section__list-item">'
                f'<section class="pv-profile-section__card-item-v2 pv-position-entity">{_pv_role(jobs[0], False)}'
                "</section></li>"
            )
            continue
        roles = "".join(
            f'<li class="pv-entity__position-group-role-item">{_pv_role(job, True)}</li>'
            for job in jobs
        )
        items.append(f"""<li class="pv-entity__position-group-pager pv-profile-section__list-item">
<section class="pv-profile-section__card-item-v2"><div class="pv-entity__company-summary-info">
<h3 class="t-16 t-black t-bold">{_pv_label("Company Name", company)}</h3>
<h4 class="t-14 t-black t-normal">{_pv_label("Total Duration", f"{len(jobs)} roles")}</h4></div>
<ul class="pv-entity__position-group">{roles}</ul></section></li>""")
    schools = "".join(
        f"""<li class="pv-profile-section__list-item pv-education-entity"><div class="pv-entity__summary-info">
<div class="pv-entity__degree-info"><h3 class="pv-entity__school-name t-16 t-black t-bold">{esc(s.school)}</h3>
<p class="pv-entity__secondary-title pv-entity__degree-name t-14">{_pv_label("Degree Name", s.degree or "", "pv-entity__comma-item")}</p>
<p class="pv-entity__secondary-title pv-entity__fos t-14">{_pv_label("Field Of Study", s.field or "", "pv-entity__comma-item")}</p></div>
<p class="pv-entity__dates t-14 t-black--light"><span class="visually-hidden">Dates attended or expected graduation</span>
<span><time>{esc(s.start or "")}</time> – <time>{esc(s.end or "")}</time></span></p></div></li>"""
        for s in person.schools
    )
    skills = "".join(
        f"""<li class="pv-skill-category-entity__top-skill pv-skill-category-entity"><p class="pv-skill-category-entity__name">
<a href="#"><span class="pv-skill-category-entity__name-text t-16 t-black t-bold">{esc(skill)}</span></a></p>
<a class="pv-skill-category-entity__endorsement-count muted" href="#"> · {7 + len(skill)}</a></li>"""
        for skill in person.skills
    )
    about = (
        f"""<section class="pv-about-section card"><h2 class="pv-profile-section__card-heading">About</h2>
<p class="pv-about__summary-text t-14 t-black t-normal"><span class="lt-line-clamp__raw-line">{lines_html(person.about, "<br><br>")}</span></p>
<a class="lt-line-clamp__more" href="#">see more</a></section>"""
        if person.about
        else ""
    )
    company = (
        '<ul class="pv-top-card--experience-list"><li class="pv-top-card--experience-list-item">'
        f'<a data-control-name="position_see_more" href="#"><span>{esc(person.current_company)}</span></a></li>'
        f'<li class="pv-top-card--experience-list-item"><a data-control-name="education_see_more" href="#">'
        f"<span>{esc(person.schools[0].school)}</span></a></li></ul>"
        if person.current_company
        else ""
    )
    connections = person.connections[0] if person.connections else ""
    aside = bystander_cards(
        "People also viewed",
        "pv-browsemap-section__member-container",
        "name actor-name",
        "browsemap-headline",
    )
    return f"""{_nav(NAV[:-1])}
<div class="layout"><main class="maincol core-rail" id="main">
<section class="pv-top-card pv-profile-section card"><div class="banner"></div>
<div class="avatar pv-top-card__photo">{esc(initials(person.name))}</div>
<div class="pv-top-card--list-wrap"><h1 class="pv-top-card--list t-24 t-black t-normal">{esc(person.name)}</h1>
<h2 class="mt1 t-18 t-black t-normal break-words">{esc(person.headline)}</h2>
<ul class="pv-top-card--list pv-top-card--list-bullet mt1 muted">
<li class="t-16 t-black t-normal inline-block">{esc(person.location)}</li>
<li class="inline-block"><span class="t-16 t-black--light t-normal">{esc(connections)}</span></li>
<li class="inline-block"><a data-control-name="contact_see_more" href="#">Contact info</a></li></ul>
{company}<button class="btn">Connect</button> <button class="btn">Message</button></div></section>
{about}
<section id="experience-section" class="pv-profile-section experience-section card"><header><h2 class="pv-profile-section__card-heading">Experience</h2></header>
<ul class="pv-profile-section__section-info section-info">{"".join(items)}</ul></section>
<section id="education-section" class="pv-profile-section education-section card"><header><h2 class="pv-profile-section__card-heading">Education</h2></header>
<ul class="pv-profile-section__section-info section-info">{schools}</ul></section>
<section class="pv-profile-section pv-skill-categories-section card"><h2 class="pv-profile-section__card-heading">Skills &amp; Endorsements</h2>
<ol class="pv-skill-categories-section__top-skills">{skills}</ol>
<button class="pv-skills-section__additional-skills">Show more</button></section>
</main><aside class="aside"><section class="pv-browsemap-section card">{aside}</section></aside></div>
{_footer(FOOTER)}"""


# ---- 2022–24 -------------------------------------------------------------------------------

AD_CSS = """
.t-14.t-normal,.t-bold{display:block}.t-black--light{color:rgba(0,0,0,.6)}
.pvs-list .pvs-list{margin-top:6px}.pv-top-card--list li{display:inline-block;border:0;margin-right:12px}
"""


def _ad_section(anchor: str, title: str, content: str, footer: str = "", subtitle: str = "") -> str:
    sub = (
        f'<p class="pvs-header__subtitle text-body-small muted">{doubled(esc(subtitle))}</p>'
        if subtitle
        else ""
    )
    foot = (
        f'<div class="pvs-list__footer-wrapper"><a class="optional-action-target-wrapper" href="#">'
        f"<span>{esc(footer)}</span></a></div>"
        if footer
        else ""
    )
    return f"""<section class="artdeco-card pv-profile-card break-words card" data-view-name="profile-card">
<div id="{anchor}" class="pv-profile-card__anchor"></div>
<div class="pvs-header__container"><div class="pvs-header__title-container"><h2 class="pvs-header__title text-heading-large">{doubled(esc(title))}</h2>{sub}</div></div>
{content}{foot}</section>"""


def _ad_lines(bold: str, normal: str | None, light: list[str]) -> str:
    out = f'<div class="display-flex align-items-center mr1 t-bold">{doubled(esc(bold))}</div>'
    if normal:
        out += f'<span class="t-14 t-normal">{doubled(esc(normal))}</span>'
    out += "".join(
        f'<span class="t-14 t-normal t-black--light">{doubled(esc(x))}</span>' for x in light
    )
    return f'<div class="display-flex flex-column full-width">{out}</div>'


def _ad_desc(text: str | None) -> str:
    if not text:
        return ""
    return (
        '<div class="pvs-list__outer-container"><ul class="pvs-list"><li class="pvs-list__item--with-top-padding">'
        '<div class="inline-show-more-text inline-show-more-text--is-collapsed">'
        f"{doubled(lines_html(text))}</div></li></ul></div>"
    )


def _ad_item(inner: str) -> str:
    return f"""<li class="artdeco-list__item pvs-list__item--line-separated pvs-list__item--one-column">
<div class="pvs-entity"><a data-field="experience_company_logo" href="#"><div class="ivm-view-attr__img-wrapper" aria-hidden="true"></div></a>
<div class="display-flex flex-column full-width align-self-center">{inner}</div></div></li>"""


def _ad_experience(person: Person) -> str:
    items = []
    for company, jobs in _groups(person.jobs):
        if len(jobs) == 1:
            job = jobs[0]
            light = [_dates(job)] + ([job.shown_location] if job.shown_location else [])
            items.append(
                _ad_item(
                    _ad_lines(job.title, f"{company} · {job.kind}", light)
                    + _ad_desc(job.description)
                )
            )
            continue
        roles = "".join(
            f'<li class="pvs-list__paged-list-item">{_ad_lines(job.title, None, [_dates(job)] + ([job.shown_location] if job.shown_location else []))}'
            f"{_ad_desc(job.description)}</li>"
            for job in jobs
        )
        head = _ad_lines(company, f"{jobs[0].kind} · {len(jobs)} roles", [])
        items.append(
            _ad_item(
                f'{head}<div class="pvs-list__outer-container"><ul class="pvs-list">{roles}</ul></div>'
            )
        )
    footer = f"Show all {person.total_jobs} experiences" if person.total_jobs else ""
    return _ad_section(
        "experience",
        "Experience",
        '<div class="pvs-list__outer-container"><ul class="pvs-list">'
        + "".join(items)
        + "</ul></div>",
        footer,
    )


def _ad_body(person: Person) -> str:
    schools = "".join(
        _ad_item(
            _ad_lines(
                s.school, ", ".join(x for x in (s.degree, s.field) if x), [f"{s.start} - {s.end}"]
            )
        )
        for s in person.schools
    )
    skills = "".join(
        _ad_item(
            _ad_lines(skill, None, []) + _ad_desc(f"Endorsed by {3 + len(skill) % 5} colleagues")
        )
        for skill in person.skills
    )
    cards = []
    for post in person.cards:
        verb = "reposted this" if post.author else f"posted this • {post.posted}"
        actor = (
            f'<div class="feed-mini-update-actor t-bold">{doubled(esc(post.author))}</div>'
            if post.author
            else ""
        )
        cards.append(f"""<li class="profile-creator-shared-feed-update__mini-container">
<a class="app-aware-link profile-creator-shared-feed-update__mini-update" href="{activity_url(post.urn)}">
<div class="feed-mini-update-contextual-description__text muted">{doubled(esc(f"{person.name} {verb}"))}</div>{actor}
<div class="feed-mini-update-commentary__text inline-show-more-text"><span class="break-words"><span dir="ltr">{lines_html(post.text)}</span></span></div></a></li>""")
    followers = person.followers[0] if person.followers else ""
    activity = (
        _ad_section(
            "content_collections",
            "Activity",
            "<ul>" + "".join(cards) + "</ul>",
            "Show all posts",
            followers,
        )
        if cards or followers
        else ""
    )
    about = ""
    if person.about:
        hostile = ""
        if person.literal_markup:
            hostile = (
                '<script>window.__sample = "SCRIPT-CONTENT-MUST-NOT-LEAK";</script>'
                "<style>/* STYLE-CONTENT-MUST-NOT-LEAK */</style>"
                "<noscript>NOSCRIPT-CONTENT-MUST-NOT-LEAK</noscript>"
                "<template><p>TEMPLATE-CONTENT-MUST-NOT-LEAK</p></template>"
            )
        about = _ad_section(
            "about",
            "About",
            f"""<div class="display-flex ph5 pv3">{hostile}
<div class="pv-shared-text-with-see-more full-width t-14 t-normal t-black"><div class="inline-show-more-text inline-show-more-text--is-collapsed">
{doubled(lines_html(person.about, "<br><br>"))}<button class="inline-show-more-text__button">…see more</button></div></div></div>""",
        )
    counts = (
        "".join(
            f'<li class="text-body-small"><span class="t-black--light"><span class="t-bold">{esc(text.split(" ")[0])}</span> '
            f"{esc(text.split(' ', 1)[1])}</span></li>"
            for text, _ in (person.followers, person.connections)
            if text
        )
        if person.connections
        else ""
    )
    company = (
        f'<li class="pv-text-details__right-panel-item"><button aria-label="Current company: {esc(person.current_company)}. '
        f'Click to skip to experience card" class="pv-text-details__right-panel-item-link">'
        f'<div class="inline-show-more-text--is-collapsed">{esc(person.current_company)}</div></button></li>'
        if person.current_company
        else ""
    )
    aside = "".join(
        f"""<section class="artdeco-card pv-profile-card card"><h2 class="pvs-header__title">{doubled(heading)}</h2><ul>"""
        + "".join(
            f'<li class="artdeco-list__item"><div class="t-bold">{doubled(esc(name))}</div>'
            f'<div class="t-14 t-normal">{doubled(esc(headline))}</div><button class="btn">Connect</button></li>'
            for name, headline in BYSTANDERS[i::2]
        )
        + "</ul></section>"
        for i, heading in enumerate(("More profiles for you", "Explore premium profiles"))
    )
    return f"""{_nav(NAV)}
<div class="layout"><main class="scaffold-layout__main maincol" id="main">
<section class="artdeco-card pv-top-card card"><div class="banner"></div>
<div class="avatar pv-top-card-profile-picture">{esc(initials(person.name))}</div>
<div class="pv-text-details__left-panel"><div><h1 class="text-heading-xlarge inline t-24 v-align-middle break-words">{esc(person.name)}</h1></div>
<div class="text-body-medium break-words">{esc(person.headline)}</div></div>
<div class="pv-text-details__left-panel mt2"><span class="text-body-small inline t-black--light break-words">{esc(person.location)}</span>
<span class="pv-text-details__separator t-black--light"> · <a id="top-card-text-details-contact-info" href="#">Contact info</a></span></div>
<ul class="pv-text-details__right-panel">{company}</ul>
<ul class="pv-top-card--list pv-top-card--list-bullet">{counts}</ul>
<div class="pv-top-card-v2-ctas"><button class="btn">Message</button> <button class="btn">More</button></div></section>
{about}{activity}{_ad_experience(person)}
{_ad_section("education", "Education", '<ul class="pvs-list">' + schools + "</ul>")}
{_ad_section("skills", "Skills", '<ul class="pvs-list">' + skills + "</ul>", f"Show all {person.total_skills} skills" if person.total_skills else "")}
</main><aside class="scaffold-layout__aside aside">{aside}</aside></div>
{_footer(FOOTER)}"""


# ---- 2025+ ---------------------------------------------------------------------------------

HEADINGS = {
    "en": {
        "about": "About",
        "experience": "Experience",
        "education": "Education",
        "skills": "Skills",
        "activity": "Activity",
        "contact": "Contact info",
        "posted": "posted this",
        "more": "More profiles for you",
        "premium": "Explore premium profiles",
        "endorsed": "Endorsed by {} colleagues",
        "see": "…see more",
        "all": "Show all",
    },
    "de": {
        "about": "Info",
        "experience": "Berufserfahrung",
        "education": "Ausbildung",
        "skills": "Kenntnisse",
        "activity": "Aktivitäten",
        "contact": "Kontaktinfo",
        "posted": "hat das gepostet",
        "more": "Weitere Profile für Sie",
        "premium": "Premium-Profile entdecken",
        "endorsed": "Von {} Kolleg:innen bestätigt",
        "see": "…mehr anzeigen",
        "all": "Alle anzeigen",
    },
}


def _hashed(person: Person) -> Callable[[str], str]:
    """Class names that look like a bundler's hashes, stable per profile so CSS can use them."""

    def h(role: str) -> str:
        return "_" + hashlib.sha1(f"{person.profile_id}/{role}".encode()).hexdigest()[:7]

    return h


def _ps(lines: list[str], cls: str, tag: str = "p") -> str:
    return f'<div class="{cls}">' + "".join(f"<{tag}>{esc(x)}</{tag}>" for x in lines) + "</div>"


def _hashed_body(person: Person) -> tuple[str, str]:
    h = _hashed(person)
    w = HEADINGS[person.lang]
    lines, desc = h("lines"), h("desc")
    # The "divs" variant (sample_site._variants): the sections' lines are not `p`s.
    tag = "div" if person.markup == "divs" else "p"

    def section(title: str, content: str, extra: str = "") -> str:
        return (
            f'<section class="{h("card")}"><div class="{h("hdr")}"><h2 class="{h("h2")}">{esc(title)}</h2>'
            f"{extra}</div>{content}</section>"
        )

    def role(job: Job, with_company: bool) -> str:
        detail = [job.title] + ([f"{job.company} · {job.kind}"] if with_company else [])
        detail += [_dates(job, " – ")] + ([job.shown_location] if job.shown_location else [])
        body = _ps(detail, lines, tag)
        if job.description:
            body += _ps(job.description.split("\n"), desc, tag)
        return body

    items = []
    for company, jobs in _groups(person.jobs):
        logo = f'<a class="{h("logo")}" href="#"><div class="{h("logoimg")}" aria-hidden="true">{esc(initials(company))}</div></a>'
        if len(jobs) == 1:
            items.append(
                f'<li class="{h("item")}">{logo}<div class="{h("detail")}">{role(jobs[0], True)}</div></li>'
            )
            continue
        sub = "".join(f'<li class="{h("sub")}">{role(job, False)}</li>' for job in jobs)
        items.append(
            f'<li class="{h("item")}">{logo}<div class="{h("detail")}">'
            f"{_ps([company, f'{jobs[0].kind} · {len(jobs)}'], lines, tag)}<ul>{sub}</ul></div></li>"
        )
    schools = "".join(
        f'<li class="{h("item")}"><a class="{h("logo")}" href="#"><div class="{h("logoimg")}" aria-hidden="true">{esc(initials(s.school))}</div></a>'
        f'<div class="{h("detail")}">{_ps([s.school, ", ".join(x for x in (s.degree, s.field) if x), f"{s.start} – {s.end}"], lines, tag)}</div></li>'
        for s in person.schools
    )
    skills = "".join(
        f'<li class="{h("item")}">{_ps([skill, w["endorsed"].format(2 + len(skill) % 6)], lines, tag)}</li>'
        for skill in person.skills
    )
    posts = "".join(
        f'<li class="{h("item")}"><a href="{activity_url(p.urn)}"><span class="{h("ctx")}">{esc(person.name)} {w["posted"]} • {esc(p.posted)}</span>'
        f"{_ps(p.text.split(chr(10)), desc, tag)}</a></li>"
        for p in person.posts
        if not p.author
    )
    about = ""
    if person.about:
        about = section(
            w["about"],
            f'<div class="{h("body")}">'
            + "".join(f"<{tag}>{esc(x)}</{tag}>" for x in person.about.split("\n"))
            + f'<button class="{h("more")}">{w["see"]}</button></div>',
        )
    company = ""
    if person.top_card_company and person.current_company:
        company = (
            f'<li><a href="/company/example/"><span>{esc(person.current_company)}</span></a></li>'
        )
    counts = " · ".join(
        f'<a href="#">{esc(t)}</a>' for t, _ in (person.followers, person.connections) if t
    )
    aside = "".join(
        section(
            heading,
            "<ul>"
            + "".join(
                f'<li class="{h("item")}"><p>{esc(n)}</p><p>{esc(hl)}</p><button class="btn">+</button></li>'
                for n, hl in BYSTANDERS[i::2]
            )
            + "</ul>",
        )
        for i, heading in enumerate((w["more"], w["premium"]))
    )
    main = f"""<main class="{h("main")} maincol" id="workspace">
<section class="{h("card")}"><div class="banner"></div><div class="avatar {h("avatar")}" aria-hidden="true">{esc(initials(person.name))}</div>
<div class="{h("top")}"><h1 class="{h("name")}">{esc(person.name)}</h1><p class="{h("headline")}">{esc(person.headline)}</p>
<p class="{h("loc")} muted">{esc(person.location)}</p><p class="{h("contact")}"><a href="#">{w["contact"]}</a></p>
<p class="{h("counts")}">{counts}</p><ul class="{h("cos")}">{company}<li><a href="/school/example/"><span>{esc(person.schools[0].school)}</span></a></li></ul>
<div><button class="btn">Message</button> <button class="btn">More</button></div></div></section>
{about}
{section(w["activity"], f'<ul class="{h("list")}">{posts}</ul>', f'<p class="muted">{esc(person.followers[0])}</p>' if person.followers else "")}
{section(w["experience"], f'<ul class="{h("list")}">{"".join(items)}</ul><div><a href="#">{w["all"]}</a></div>')}
{section(w["education"], f'<ul class="{h("list")}">{schools}</ul>')}
{section(w["skills"], f'<ul class="{h("list")}">{skills}</ul><div><a href="#">{w["all"]}</a></div>')}
</main>"""
    css = f""".{h("card")}{{background:#fff;border-radius:8px;box-shadow:0 0 0 1px rgba(0,0,0,.08);padding:20px 24px;margin-bottom:12px}}
.{h("name")}{{font-size:24px}}.{h("headline")}{{font-size:16px;margin:0}}.{h("item")}{{display:flex;gap:12px}}
.{h("logoimg")}{{width:48px;height:48px;background:#dde3ea;display:flex;align-items:center;justify-content:center;font-weight:700}}
.{lines} p{{margin:0}}.{lines} p:first-child{{font-weight:600}}.{desc} p{{margin:6px 0}}.{h("sub")}{{margin-left:8px}}
.{h("cos")} li{{border:0;padding:2px 0}}"""
    nav = NAV_DE if person.lang == "de" else NAV
    foot = FOOTER_DE if person.lang == "de" else FOOTER
    body = (
        f'{_nav(nav, h("nav"))}<div class="layout {h("layout")}">{main}'
        f'<aside class="aside {h("aside")}">{aside}</aside></div>{_footer(foot, h("footer"))}'
    )
    return body, css


def profile_page(person: Person) -> str:
    title = f"{person.name} | LinkedIn"
    if person.era == "logged_in_2019":
        return page(title, _pv_body(person), lang=person.lang)
    if person.era == "logged_in_2022":
        return page(title, _ad_body(person), AD_CSS, person.lang)
    body, css = _hashed_body(person)
    return page(title, body, css, person.lang)
