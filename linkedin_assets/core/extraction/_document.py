"""One parse per page, then the few tree edits every era's reader relies on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkedin_assets.core.extraction._structured import find_person
from linkedin_assets.core.extraction._text import BR, NON_TEXT_TAGS, clean, select

# Chromium's HTML parser never nests elements deeper than 512 (deeper tags become siblings), so no
# captured page is deeper; a hostile file can be, and the readers' walks over nested list items
# grow with depth squared or cubed (5,000 nested <li> took minutes). Deeper subtrees keep only
# their text.
MAX_DEPTH = 512
# Screen-reader copies of visible strings (2022–24 doubles every string) and field labels
# ("Dates Employed") the pv- era hides the same way.
SCREEN_READER_ONLY = ".visually-hidden, .sr-only, .lt-line-clamp__more, .lt-line-clamp__less"


@dataclass
class Document:
    tree: LexborHTMLParser
    person: dict[str, Any]

    @property
    def root(self) -> LexborNode:
        return self.tree.body or self.tree.root  # type: ignore[return-value]


def prepare(html: str) -> Document:
    tree = LexborHTMLParser(html)
    # JSON-LD lives in a <script>, so read it before scripts go.
    person = find_person(tree)
    tree.strip_tags(NON_TEXT_TAGS)
    _drop_screen_reader_twins(tree)
    for node in select(tree, SCREEN_READER_ONLY):
        node.decompose()
    # 2023 ships each long description twice (clamped and full): keep the full copy.
    for more in tree.css(".show-more-less-text__text--more"):
        parent = more.parent
        less = parent.css_first(".show-more-less-text__text--less") if parent else None
        if less is not None:
            less.decompose()
    # Text-only buttons are UI labels ("…see more", "Show all", "Connect"); buttons that wrap
    # markup (the 2022 top card's current-company link) carry content and stay.
    for button in tree.css("button"):
        if next(button.iter(), None) is None:
            button.decompose()
    for br in tree.css("br"):
        br.replace_with(BR)
    if html.count("<") >= MAX_DEPTH:  # a shallower page cannot be too deep; skip the walk
        _flatten_below(tree, MAX_DEPTH)
    return Document(tree, person)


def _drop_screen_reader_twins(tree: LexborHTMLParser) -> None:
    """Drop the screen-reader copy that follows an `aria-hidden` string, whatever its class.

    2022–24 pages write every string twice: `<span aria-hidden="true">X</span>` for the eye, then
    the same X for screen readers, usually classed `visually-hidden`; a deploy that renames that
    class still pairs the copy with the `aria-hidden` one, and that pairing is what we read. The
    shown copy loses its `aria-hidden`, so that what keeps it (`_fallback.lines` skips
    `aria-hidden` elements, which are otherwise decoration: logos, avatars) is only real text.
    """
    for shown in tree.css('[aria-hidden="true"]'):
        text = clean(shown.text())
        twin = shown.next
        while twin is not None and twin.is_text_node and not (twin.text_content or "").strip():
            twin = twin.next
        if text and twin is not None and twin.is_element_node and clean(twin.text()) == text:
            twin.decompose()
            del shown.attrs["aria-hidden"]


def _flatten_below(tree: LexborHTMLParser, max_depth: int) -> None:
    """Replace each element at ``max_depth`` by its text (iteratively: no recursion limit)."""
    too_deep: list[LexborNode] = []
    stack = [(node, 1) for node in (tree.root,) if node is not None]
    while stack:
        node, depth = stack.pop()
        for child in node.iter():
            if depth + 1 >= max_depth:
                too_deep.append(child)
            else:
                stack.append((child, depth + 1))
    for node in too_deep:
        node.replace_with(node.text())
