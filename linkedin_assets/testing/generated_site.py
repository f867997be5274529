"""A sample site of any size: fictional people derived from the bundled ones, for load tests.

``generate_site(pages_dir, count, seed)`` takes the bundled people that have an activity page as
templates, in turn, and gives each copy a new name and the profile ID ``<template>-g0001`` (ASCII
lower case: a member-id or accented template contributes the ASCII slug of its name instead). The
pages come from the sample site's own renderers and the manifest's ``expected`` blocks from its
``expected()``, with the template's name replaced by the new one, so the extractor's golden truth
holds for every generated profile::

    ids = generate_site(tmp_path, 1000, seed=7)
    with SampleSite(pages_dir=tmp_path) as site: ...
    profiles = load_sample_profiles(tmp_path)

The same ``(count, seed)`` always writes the same site. Only ``ok`` profiles are generated; the
auth-wall, 404 and rate-limit pages are copied from the bundled ``_special`` folder.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

from linkedin_assets.core.profile_ids import validate_profile_id
from linkedin_assets.local.sample_site._build import expected, render_profile
from linkedin_assets.local.sample_site._people import PEOPLE, Person
from linkedin_assets.local.sample_site._render_common import activity_page
from linkedin_assets.local.sample_site.server import PAGES_DIR, SPECIAL_DIR_NAME

__all__ = ["TEMPLATES", "generate_site"]

# Standard markup only: a load or fault run's warnings are then the run's own (a variant page logs
# its section-text fallbacks), and the generated IDs stay those of earlier figures. The variant
# pages are tested as the sample site serves them.
TEMPLATES: tuple[Person, ...] = tuple(
    p for p in PEOPLE if p.has_activity_page and p.markup == "standard"
)
# Invented, and unlike any name or word the templates' expectations include or exclude.
FIRST_NAMES = (
    "Anouk", "Bastian", "Celestine", "Dariusz", "Eilidh", "Florin", "Gwendolyn", "Halvard",
    "Ilse", "Jovan", "Kalani", "Leontine", "Mattias", "Nnamdi", "Orsolya", "Perpetua", "Quillon",
    "Rasmus", "Solveig", "Thaddeus", "Ulrike", "Valentin", "Wilhelmina", "Xandra", "Yannick",
    "Zofia", "Ambrose", "Brigitta", "Cosimo", "Delphine", "Eamon", "Fenella", "Gideon", "Hester",
    "Isidore", "Jessamy", "Kasimir", "Lucasta", "Meriwether", "Noemi",
)  # fmt: skip
LAST_NAMES = (
    "Ashgrove", "Blackthorne", "Coldwater", "Dunmore", "Elmstead", "Fairbairn", "Greystoke",
    "Hollowell", "Ingleby", "Juniperwood", "Kettleborough", "Larkspur", "Marchbanks", "Nettlefold",
    "Oakhurst", "Pennywhistle", "Quarrington", "Rookwood", "Stonebridge", "Thistlewood",
    "Underhay", "Vantongeren", "Wrenfield", "Yarborough", "Zellweger-Moss", "Abernethy-Quist",
    "Birchenough", "Cattermole", "Drinkwater", "Everleigh", "Foxcroft", "Gallowglass",
    "Hazelrigg", "Ironside", "Jessop-Vane", "Kirkpatrick-Oyo", "Loxley", "Mossbrook", "Northcote",
    "Ottershaw",
)  # fmt: skip
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def generate_site(pages_dir: Path, count: int, seed: int = 0) -> list[str]:
    """Write ``count`` generated profiles and their manifest into ``pages_dir``; their IDs."""
    pages_dir = Path(pages_dir)
    entries: list[dict[str, Any]] = []
    for template, person in _derive(count, seed):
        folder = pages_dir / person.profile_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "profile.html").write_bytes(render_profile(person).encode("utf-8"))
        (folder / "activity.html").write_bytes(activity_page(person).encode("utf-8"))
        entries.append(
            {
                "profile_id": person.profile_id,
                "era": person.era,
                "outcome": "ok",
                "has_activity_page": True,
                "expected": _expected(person, template.name),
            }
        )
    shutil.copytree(PAGES_DIR / SPECIAL_DIR_NAME, pages_dir / SPECIAL_DIR_NAME, dirs_exist_ok=True)
    text = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    (pages_dir / "manifest.json").write_text(text, encoding="utf-8")
    return [entry["profile_id"] for entry in entries]


def _derive(count: int, seed: int) -> list[tuple[Person, Person]]:
    """(template, new person) pairs, templates taken in turn; deterministic for a seed."""
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    rng = random.Random(seed)
    pairs = []
    for index in range(1, count + 1):
        template = TEMPLATES[(index - 1) % len(TEMPLATES)]
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        profile_id = validate_profile_id(f"{_base_slug(template)}-g{index:04d}")
        pairs.append((template, dataclasses.replace(template, profile_id=profile_id, name=name)))
    return pairs


def _base_slug(template: Person) -> str:
    """The template's ID if it is plain ASCII lower case, else an ASCII slug of its name."""
    if re.fullmatch(r"[a-z0-9-]+", template.profile_id):
        return template.profile_id
    ascii_name = unicodedata.normalize("NFKD", template.name).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")


def _expected(person: Person, template_name: str) -> dict[str, Any]:
    # Only fulltext_contains names the person (checked over every template); the rest still holds.
    golden = expected(person)
    golden["fulltext_contains"] = [
        text.replace(template_name, person.name) for text in golden["fulltext_contains"]
    ]
    return golden
