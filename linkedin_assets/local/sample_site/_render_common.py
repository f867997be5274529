# ruff: noqa: E501 - HTML templates keep one element per line to read like the real markup.
"""Pieces every era's pages share: escaping, inline CSS, the activity page and the special pages.

Pages are self-contained (inline CSS, initials instead of images) so they load fully offline.
"""

from __future__ import annotations

from html import escape

from linkedin_assets.local.sample_site._people import BYSTANDERS, Person, Post

BASE_CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
background:#f4f2ee;color:rgba(0,0,0,.9);font-size:14px;line-height:1.45}
a{color:#0a66c2;text-decoration:none}
header,nav.top{background:#fff;border-bottom:1px solid #e0dfdc;padding:10px 24px;display:flex;
gap:18px;align-items:center}
.logo{font-weight:700;color:#fff;background:#0a66c2;border-radius:4px;padding:2px 6px}
.layout{display:flex;gap:24px;max-width:1128px;margin:24px auto;padding:0 12px;align-items:flex-start}
.maincol{flex:1;min-width:0}.aside{width:300px}
.card{background:#fff;border-radius:8px;box-shadow:0 0 0 1px rgba(0,0,0,.08);padding:20px 24px;
margin-bottom:12px}
.avatar{width:96px;height:96px;border-radius:50%;background:#7a8ba0;color:#fff;font-size:36px;
display:flex;align-items:center;justify-content:center;border:4px solid #fff}
.banner{height:120px;border-radius:8px 8px 0 0;background:linear-gradient(90deg,#a0b4b7,#d9c8a9);
margin:-20px -24px 0}
h1{font-size:24px;margin:8px 0 2px}h2{font-size:20px;margin:0 0 12px}h3{font-size:16px;margin:0}
h4{font-size:14px;font-weight:400;margin:0}
ul{list-style:none;margin:0;padding:0}li{padding:10px 0;border-bottom:1px solid #eee}
li:last-child{border-bottom:0}
.muted{color:rgba(0,0,0,.6)}
.visually-hidden,.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
footer{max-width:1128px;margin:24px auto;padding:12px;color:rgba(0,0,0,.6);font-size:12px}
footer a,footer li{color:rgba(0,0,0,.6);display:inline-block;margin-right:12px;border:0;padding:2px 0}
button{background:none;border:0;color:rgba(0,0,0,.6);font-weight:600;cursor:pointer;padding:0}
.update-components-actor__meta-link>span{display:block}.update-components-text{margin:8px 0}
.btn{border:1px solid #0a66c2;border-radius:16px;padding:4px 14px;color:#0a66c2;font-weight:600}
"""


def esc(text: str) -> str:
    return escape(text, quote=True)


def lines_html(text: str, joiner: str = "<br>") -> str:
    """Escape each paragraph and join with <br>, the way LinkedIn renders line breaks."""
    return joiner.join(esc(line) for line in text.split("\n"))


def initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


def page(title: str, body: str, css: str = "", lang: str = "en", head_extra: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n{head_extra}<style>{BASE_CSS}{css}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def activity_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/urn:li:activity:{urn}/"


def doubled(text: str) -> str:
    """A 2022-era string: once for sighted readers, once for screen readers."""
    return f'<span aria-hidden="true">{text}</span><span class="visually-hidden">{text}</span>'


def _update(person: Person, post: Post) -> str:
    actor = post.author or person.name
    header = ""
    if post.author:
        header = (
            '<div class="update-components-header"><span class="update-components-header__text">'
            f"{esc(person.name)} likes this</span></div>"
        )
    long = len(post.text) > 40
    toggle = (
        '<button class="feed-shared-inline-show-more-text__see-more-less-toggle">…see more</button>'
        if long
        else ""
    )
    return f"""<li class="profile-creator-shared-feed-update__container">
<div class="feed-shared-update-v2 card" data-urn="urn:li:activity:{post.urn}" role="article">
{header}<div class="update-components-actor"><a class="update-components-actor__meta-link" href="#">
<span class="update-components-actor__title">{doubled(esc(actor))}</span>
<span class="update-components-actor__description muted">{doubled(esc(person.headline if not post.author else "Operations lead"))}</span>
<span class="update-components-actor__sub-description muted"><span aria-hidden="true">{esc(post.posted)} • </span><span class="visually-hidden">{esc(post.posted)} ago</span></span></a></div>
<div class="feed-shared-update-v2__description-wrapper"><div class="feed-shared-inline-show-more-text">
<div class="update-components-text relative update-components-update-v2__commentary"><span class="break-words"><span dir="ltr">{lines_html(post.text)}</span></span></div>
{toggle}</div></div>
<div class="social-details-social-counts muted">12 reactions · 3 comments</div>
<div class="feed-shared-social-action-bar muted"><button>Like</button> <button>Comment</button> <button>Repost</button> <button>Send</button></div>
</div></li>"""


def activity_page(person: Person) -> str:
    """`/in/<id>/recent-activity/all/`: the member's feed updates, same shape in every era."""
    updates = "\n".join(_update(person, post) for post in person.posts)
    body = f"""<nav class="top global-nav"><span class="logo">in</span><a href="#">Home</a>
<a href="#">My Network</a><a href="#">Jobs</a><a href="#">Messaging</a><a href="#">Notifications</a></nav>
<div class="layout"><main class="maincol scaffold-layout__main" id="main">
<section class="card"><h2>{esc(person.name)}'s activity</h2>
<div class="muted"><button class="btn">Posts</button> <button class="btn">Comments</button>
<button class="btn">Reactions</button></div></section>
<div class="scaffold-finite-scroll__content"><ul>
{updates}
</ul></div></main></div>
<footer class="global-footer"><a href="#">About</a><a href="#">Accessibility</a>
<a href="#">Privacy &amp; Terms</a></footer>"""
    return page(f"Activity | {person.name} | LinkedIn", body, lang=person.lang)


def bystander_cards(heading: str, item_class: str, title_class: str, sub_class: str) -> str:
    items = "\n".join(
        f'<li class="{item_class}"><a href="#"><h3 class="{title_class}">{esc(name)}</h3>'
        f'<p class="{sub_class} muted">{esc(headline)}</p></a></li>'
        for name, headline in BYSTANDERS
    )
    return f"<h2>{esc(heading)}</h2><ul>{items}</ul>"


LOGIN_PAGE = page(
    "LinkedIn Login, Sign in | LinkedIn",
    """<header><span class="logo">in</span></header>
<main class="app__content" style="max-width:400px;margin:40px auto">
<div class="card"><h1 class="header__content__heading">Sign in</h1>
<p class="header__content__subheading muted">Stay updated on your professional world</p>
<form class="login__form" action="/checkpoint/lg/login-submit" method="post">
<div><label for="username">Email or Phone</label><br><input id="username" name="session_key" type="text"></div>
<div><label for="password">Password</label><br><input id="password" name="session_password" type="password"></div>
<button class="btn" type="submit">Sign in</button></form>
<p>New to LinkedIn? <a href="/signup">Join now</a></p></div></main>""",
)

NOT_FOUND_PAGE = page(
    "Profile Not Found | LinkedIn",
    """<header><span class="logo">in</span><a href="#">Join now</a><a href="#">Sign in</a></header>
<main style="max-width:600px;margin:60px auto;text-align:center"><div class="card">
<h1>Profile Not Found</h1><p>This page doesn't exist</p>
<p class="muted">Please check your URL or return to LinkedIn home.</p>
<a class="btn" href="/feed/">Go to your feed</a></div></main>""",
)

RATE_LIMITED_PAGE = page(
    "Request denied",
    """<main style="max-width:600px;margin:60px auto"><div class="card"><h1>Request denied</h1>
<p>It looks like you're visiting a very high number of pages on LinkedIn.
Please try again later.</p></div></main>""",
)
