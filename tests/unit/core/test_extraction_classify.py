"""classify_page: status codes, redirects, login pages, signed-out profiles, rate limits."""

from __future__ import annotations

import pytest

from linkedin_assets.core.extraction import PageVerdict, classify_page
from linkedin_assets.local.sample_site import PAGES_DIR, SampleProfile, load_sample_profiles

PROFILE_URL = "https://www.linkedin.com/in/ada-example/"
SPECIAL = PAGES_DIR / "_special"
LOGIN = (SPECIAL / "login.html").read_text(encoding="utf-8")
NOT_FOUND = (SPECIAL / "not_found.html").read_text(encoding="utf-8")
RATE_LIMITED = (SPECIAL / "rate_limited.html").read_text(encoding="utf-8")
SIGNED_OUT_PROFILE = """<html><body><header>Join now Sign in</header><main>
<section class="top-card-layout"><h1 class="top-card-layout__title">Ada Example</h1>
<a>Join to view profile</a></section></main>
<div class="contextual-sign-in-modal"><h2>You're signed out</h2>
<p>Sign in to view Ada's full profile</p></div></body></html>"""
HASHED_PROFILE = """<main class="_x1">
<section><h1 class="_y2">Ada Example</h1><p>Maker</p></section>
<section><h2>Berufserfahrung</h2><ul><li><p>Tischlerin</p></li></ul></section></main>"""

CASES = [
    # (status, url, html, kind, evidence in reason)
    (999, PROFILE_URL, RATE_LIMITED, "rate_limited", "HTTP 999"),
    (999, PROFILE_URL, "", "rate_limited", "HTTP 999"),
    (429, PROFILE_URL, "", "rate_limited", "HTTP 429"),
    (200, PROFILE_URL, "<p>Too Many Requests</p>", "rate_limited", "too many requests"),
    (200, PROFILE_URL, RATE_LIMITED, "rate_limited", "too many requests"),
    (404, PROFILE_URL, NOT_FOUND, "not_found", "HTTP 404"),
    (404, PROFILE_URL, "", "not_found", "HTTP 404"),
    (410, PROFILE_URL, "", "not_found", "HTTP 410"),
    (200, PROFILE_URL, NOT_FOUND, "not_found", "does not exist"),
    (200, PROFILE_URL, "<h1>This page doesn’t exist</h1>", "not_found", "does not exist"),
    (200, "https://www.linkedin.com/authwall?trk=public_profile", LOGIN, "auth_wall", "/authwall"),
    (302, "https://www.linkedin.com/authwall?sessionRedirect=x", "", "auth_wall", "/authwall"),
    (200, "https://www.linkedin.com/login?fromSignIn=true", "", "auth_wall", "/login"),
    (200, "https://www.linkedin.com/uas/login?session_redirect=x", "", "auth_wall", "/uas/login"),
    (200, "https://www.linkedin.com/checkpoint/challengesV2/x", "", "auth_wall", "/checkpoint"),
    (200, "https://www.linkedin.com/challenge/abc", "", "auth_wall", "/challenge"),
    (200, PROFILE_URL, LOGIN, "auth_wall", "login form"),
    (
        200,
        PROFILE_URL,
        "<title>LinkedIn Login, Sign in | LinkedIn</title><p>Welcome back</p>",
        "auth_wall",
        "login form",
    ),
    (
        200,
        PROFILE_URL,
        '<form class="login__form"><input id="username"></form>',
        "auth_wall",
        "login",
    ),
    (200, PROFILE_URL, "<p>Sign in to view Ada’s profile</p>", "auth_wall", "sign in"),
    (200, PROFILE_URL, "<p>Sign in to view Ada's profile</p>", "auth_wall", "sign in"),
    (200, PROFILE_URL, "", "blocked", "no profile"),
    (503, PROFILE_URL, "<p>Service unavailable</p>", "blocked", "HTTP 503"),
    (200, PROFILE_URL, SIGNED_OUT_PROFILE, "profile", "top card"),
    (200, PROFILE_URL, HASHED_PROFILE, "profile", "profile sections"),
]


@pytest.mark.parametrize(("status", "url", "html", "kind", "evidence"), CASES)
def test_classify_page(status: int, url: str, html: str, kind: str, evidence: str) -> None:
    verdict = classify_page(status, url, html)
    assert isinstance(verdict, PageVerdict)
    assert verdict.kind == kind
    assert evidence.lower() in verdict.reason.lower()


@pytest.mark.parametrize(
    "sample", [p for p in load_sample_profiles() if p.outcome == "ok"], ids=lambda p: p.profile_id
)
def test_every_sample_profile_is_a_profile(sample: SampleProfile) -> None:
    profile_id = sample.profile_id
    html = (PAGES_DIR / profile_id / "profile.html").read_text(encoding="utf-8")
    verdict = classify_page(200, f"https://www.linkedin.com/in/{profile_id}/", html)
    assert verdict.kind == "profile", verdict.reason


def test_profile_text_mentioning_rate_limits_is_still_a_profile() -> None:
    html = SIGNED_OUT_PROFILE.replace(
        "Ada Example</h1>", "Ada Example</h1><p>Too many requests!</p>"
    )
    assert classify_page(200, PROFILE_URL, html).kind == "profile"


def test_verdict_is_frozen() -> None:
    verdict = classify_page(404, PROFILE_URL, "")
    with pytest.raises(AttributeError):
        verdict.kind = "profile"  # type: ignore[misc]


@pytest.mark.parametrize(
    "profile_id", ["maren-okafor-7b3a21", "hana-kowalczyk", "friederike-albers"]
)
def test_activity_pages_are_judged_as_activity_pages(profile_id: str) -> None:
    from linkedin_assets.local.sample_site import PAGES_DIR

    html = (PAGES_DIR / profile_id / "activity.html").read_text(encoding="utf-8")
    url = f"http://127.0.0.1:8788/in/{profile_id}/recent-activity/all/"
    assert classify_page(200, url, html, page="activity").kind == "profile"
    assert classify_page(200, url, html).kind == "blocked"  # it is not a profile page


@pytest.mark.parametrize(
    ("status", "url", "html", "kind"),
    [
        (404, "http://x/in/a/recent-activity/all/", "<html></html>", "not_found"),
        (200, "http://x/authwall?x=1", "<html></html>", "auth_wall"),
        (999, "http://x/in/a/recent-activity/all/", "", "rate_limited"),
        (
            200,
            "http://x/in/a/recent-activity/all/",
            "<html><main><p>No posts yet</p></main></html>",
            "profile",
        ),
        (500, "http://x/in/a/recent-activity/all/", "<html></html>", "blocked"),
    ],
)
def test_activity_page_failures(status: int, url: str, html: str, kind: str) -> None:
    assert classify_page(status, url, html, page="activity").kind == kind
