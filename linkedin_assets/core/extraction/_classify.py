"""Decide what a captured page is: a profile, missing, an auth wall, blocked, or rate limiting.

``auth_wall`` (a login path, the login form, "sign in to view") is the site asking to sign in;
``blocked`` is any other refusal, or a page with no profile on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from linkedin_assets.core.extraction._text import one_line
from linkedin_assets.core.extraction._words import section_kind

PageKind = Literal["profile", "not_found", "auth_wall", "blocked", "rate_limited"]
RequestedPage = Literal["profile", "activity"]

LOGIN_PATHS = ("/authwall", "/login", "/uas/login", "/checkpoint/", "/challenge")
LOGIN_TITLE = "linkedin login, sign in | linkedin"
TOP_CARD = ".top-card-layout, h1.top-card-layout__title, .pv-top-card, h1.text-heading-xlarge"
SECTIONS = "#experience-section, div.pv-profile-card__anchor, section.core-section-container"
RATE_LIMIT_TEXT = ("too many requests", "very high number of pages", "request denied")
ACTIVITY_POSTS = "div.feed-shared-update-v2, [data-urn^='urn:li:activity:']"
NOT_FOUND_TEXT = ("profile not found", "this page doesn't exist", "this page doesn’t exist")


@dataclass(frozen=True)
class PageVerdict:
    kind: PageKind
    reason: str


def _login_path(url: str) -> str | None:
    path = urlsplit(url).path.lower()
    return next((p.rstrip("/") for p in LOGIN_PATHS if path.startswith(p)), None)


def _profile_evidence(tree: LexborHTMLParser) -> str | None:
    if tree.css_first(TOP_CARD) is not None:
        return "the page has a profile top card"
    if tree.css_first(SECTIONS) is not None:
        return "the page has profile sections"
    # 2025+: hashed classes, so a main h1 plus a recognised section heading.
    main = tree.css_first("main")
    if main is None or main.css_first("h1") is None:
        return None
    for h2 in main.css("h2"):
        heading = one_line(h2.text())
        if section_kind(heading):
            return f"the page has a name heading and profile sections ({heading})"
    return None


def classify_page(status: int, url: str, html: str, page: RequestedPage = "profile") -> PageVerdict:
    """Classify a page from its HTTP status, final URL and HTML; `reason` names the evidence.

    ``page="activity"`` judges a recent-activity page: it has no top card, so its evidence is its
    posts, and one with no posts that is neither an error nor a wall still counts as what was asked
    for (kind ``"profile"``: the requested page, intact).
    """
    if status in (999, 429):
        return PageVerdict("rate_limited", f"HTTP {status} from the site")
    if (login := _login_path(url)) is not None:
        return PageVerdict("auth_wall", f"redirected to {login}")
    if status in (404, 410):
        return PageVerdict("not_found", f"HTTP {status} from the site")
    tree = LexborHTMLParser(html or "")
    title_node = tree.css_first("title")
    title = (one_line(title_node.text()) if title_node else "") or ""
    if title.lower() == LOGIN_TITLE or tree.css_first("form.login__form, input#password"):
        return PageVerdict("auth_wall", "the page is the LinkedIn login form")
    if page == "activity" and tree.css_first(ACTIVITY_POSTS) is not None:
        return PageVerdict("profile", "the page has activity posts")
    if page == "profile" and (evidence := _profile_evidence(tree)) is not None:
        return PageVerdict("profile", evidence)
    tree.strip_tags(["script", "style", "template", "noscript"])
    body = tree.body
    text = (one_line(body.text(separator=" ")) or "").lower() if body is not None else ""
    text = f"{title.lower()} {text}"
    if any(phrase in text for phrase in RATE_LIMIT_TEXT):
        return PageVerdict("rate_limited", "the page says we are making too many requests")
    if any(phrase in text for phrase in NOT_FOUND_TEXT):
        return PageVerdict("not_found", "the page says the profile does not exist")
    if "sign in to view" in text:
        return PageVerdict("auth_wall", "the page asks to sign in and shows no profile")
    if status >= 400:
        return PageVerdict("blocked", f"HTTP {status} from the site")
    if page == "activity":
        return PageVerdict("profile", "an activity page with no posts")
    return PageVerdict("blocked", "the page has no profile top card or profile sections")
