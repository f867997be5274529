"""The member's own posts from `/in/<id>/recent-activity/all/`."""

from __future__ import annotations

import re

from linkedin_assets.core.extraction._document import prepare
from linkedin_assets.core.extraction._model import Activity
from linkedin_assets.core.extraction._text import line, multiline

FEED_UPDATE_URL = "https://www.linkedin.com/feed/update/{urn}/"
_URN = re.compile(r"urn:li:[A-Za-z]+:[A-Za-z0-9_-]+")


def read_activity_page(html: str) -> list[Activity]:
    root = prepare(html).root
    posts: list[Activity] = []
    for update in root.css("div.feed-shared-update-v2[data-urn]"):
        # A header ("X likes this", "X reposted this") means someone else's post in the feed.
        if line(update.css_first(".update-components-header")):
            continue
        urn = (update.attributes.get("data-urn") or "").strip()
        sub = line(update.css_first(".update-components-actor__sub-description")) or ""
        posted = sub.split("•")[0].strip()
        posts.append(
            Activity(
                text=multiline(update.css_first(".update-components-text")),
                url=FEED_UPDATE_URL.format(urn=urn) if _URN.fullmatch(urn) else None,
                posted=posted or None,
            )
        )
    return posts
