"""Pages whose sections keep their landmarks but whose inner classes were renamed or removed.

LinkedIn renames classes with every deploy. A variant page is an era's page, rendered as usual,
whose profile sections keep what finds them (the section's id or anchor, or only its heading) while
every class inside is renamed (``markup="renamed"``) or dropped (``markup="bare"``). The extractor
must then read those fields from the sections' text (`core.extraction._fallback`). The 2025 era has
no classes to rename: its variant (``markup="divs"``) writes its lines as `div`s instead of `p`s,
in `_render_member`.

Edited with the HTML parser the extractor uses (selectolax), never with regexes.
"""

from __future__ import annotations

import hashlib

from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkedin_assets.local.sample_site._people import Person

# Where each era's profile sections are, and what of the section element itself stays.
_SECTIONS = {
    "logged_out_2023": "section.core-section-container",
    "logged_out_2024": "section.core-section-container",
    "logged_in_2019": (
        "section.pv-about-section, #experience-section, #education-section, "
        "section.pv-skill-categories-section"
    ),
    "logged_in_2022": "section.artdeco-card",
}
# Kept on the section element: 2023's kind classes find its sections; 2024 keeps only the generic
# class and is found by headings; 2019 keeps ids only (about and skills by their headings).
_SECTION_KEEPS = {
    "logged_out_2023": None,  # the section element is left as it is
    "logged_out_2024": "core-section-container",
    "logged_in_2019": "",
    "logged_in_2022": None,
}
# Screen-reader utility classes stay, except on the 2022 page, where their renaming is the point:
# its doubled strings must be told apart by their `aria-hidden` pairing.
_UTILITY = frozenset({"visually-hidden", "sr-only"})
HIDDEN_CSS = "{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"


def renamed(name: str) -> str:
    """A bundler-like hash of a class name, the same for every page."""
    return "_" + hashlib.sha1(name.encode()).hexdigest()[:6]


def vary(html: str, person: Person) -> str:
    """``html`` as ``person.markup`` says; a "standard" (or 2025) page comes back unchanged."""
    if person.markup not in ("renamed", "bare") or person.era not in _SECTIONS:
        return html
    rename_utility = person.era == "logged_in_2022"
    if rename_utility:
        # The deploy renames the CSS along with the markup: the copies stay hidden on screen.
        css = "".join(f".{renamed(name)}{HIDDEN_CSS}" for name in sorted(_UTILITY))
        html = html.replace("</style>", css + "</style>", 1)
    tree = LexborHTMLParser(html)
    for section in tree.css(_SECTIONS[person.era]):
        if section.css_first("h1") is not None:
            continue  # the top card: its landmarks find the page's era
        keep = _SECTION_KEEPS[person.era]
        if keep is not None:
            _set_classes(section, keep.split())
        for node in section.css("*"):
            if node.mem_id == section.mem_id:
                continue
            names = (node.attributes.get("class") or "").split()
            if not names:
                continue
            kept = [n for n in names if n in _UTILITY and not rename_utility]
            if person.markup == "renamed":
                kept += [renamed(n) for n in names if n not in kept]
            _set_classes(node, kept)
    return tree.html or html


def _set_classes(node: LexborNode, names: list[str]) -> None:
    if names:
        node.attrs["class"] = " ".join(names)
    elif "class" in node.attrs:
        del node.attrs["class"]
