"""The activity page reader (`core.extraction._activity`): the member's own posts, each whole."""

from __future__ import annotations

from linkedin_assets.core.extraction._activity import read_activity_page


def _update(urn: str, body: str) -> str:
    return f'<div class="feed-shared-update-v2" data-urn="{urn}">{body}</div>'


def test_own_posts_with_their_url_and_age_others_skipped() -> None:
    html = (
        "<main>"
        + "".join(
            [
                _update(
                    "urn:li:activity:1",
                    '<span class="update-components-actor__sub-description">2w • Edited</span>'
                    '<div class="update-components-text"><p>First.</p><p>More.</p></div>',
                ),
                _update(
                    "urn:li:activity:2",
                    '<div class="update-components-header">Ada likes this</div>'
                    '<div class="update-components-text">Not hers.</div>',
                ),
                # No age, and a data-urn that is no URN: no URL is made up.
                _update("javascript:alert(1)", '<div class="update-components-text">Odd.</div>'),
                _update("", '<div class="update-components-text">Empty urn.</div>'),
            ]
        )
        + "</main>"
    )
    assert read_activity_page(html) == [
        {
            "text": "First.\nMore.",
            "url": "https://www.linkedin.com/feed/update/urn:li:activity:1/",
            "posted": "2w",
        },  # fmt: skip
        {"text": "Odd.", "url": None, "posted": None},
        {"text": "Empty urn.", "url": None, "posted": None},
    ]
