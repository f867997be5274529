"""The JSON-LD Person reader (`core.extraction._structured`), function by function, on the shapes
real pages use and the ones a hostile page can put there."""

from __future__ import annotations

import json
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from linkedin_assets.core.extraction import _structured as structured
from linkedin_assets.core.extraction._model import education


def _tree(*scripts: str, kind: str = "application/ld+json") -> LexborHTMLParser:
    tags = "".join(f'<script type="{kind}">{s}</script>' for s in scripts)
    return LexborHTMLParser(f"<html><head>{tags}</head><body></body></html>")


def _nested(levels: int) -> Any:
    data: Any = {"@type": "Person", "name": "Deep"}
    for _ in range(levels):
        data = [data]
    return data


def test_the_first_person_of_the_first_script_that_has_one() -> None:
    org = json.dumps({"@type": "Organization", "name": "Acme"})
    first = json.dumps({"@graph": [{"@type": "WebPage"}, {"@type": "Person", "name": "Ada"}]})
    second = json.dumps({"@type": "Person", "name": "Bob"})
    assert structured.find_person(_tree("not json {", org, first, second)) == {
        "@type": "Person",
        "name": "Ada",
    }
    # Only ld+json scripts are read.
    assert structured.find_person(_tree(second, kind="application/json")) == {}
    assert structured.find_person(_tree(org)) == {}


def test_a_person_may_be_one_of_several_types() -> None:
    person = {"@type": ["Thing", "Person"], "name": "Ada"}
    assert structured.find_person(_tree(json.dumps(person))) == person
    assert structured.find_person(_tree(json.dumps({"@type": ["Thing"]}))) == {}


def test_nesting_is_followed_to_its_limit_and_no_further() -> None:
    # Each list level and the @graph count one: the Person itself is read at depth `levels`.
    limit = structured.MAX_NESTING
    assert structured.find_person(_tree(json.dumps(_nested(limit)))) == {
        "@type": "Person",
        "name": "Deep",
    }
    assert structured.find_person(_tree(json.dumps(_nested(limit + 1)))) == {}
    # Nested past the JSON parser's own recursion limit: skipped, the next script still read.
    deep = "[" * 100_000 + "]" * 100_000
    assert structured.find_person(_tree(deep, json.dumps({"@type": "Person"}))) == {
        "@type": "Person"
    }


def test_a_graph_inside_a_graph_is_searched() -> None:
    data = {"@graph": [{"@graph": [{"@type": "Person", "name": "Inner"}]}]}
    assert structured.find_person(_tree(json.dumps(data)))["name"] == "Inner"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("**-*****", True),
        ("** **", True),  # spaces do not count
        ("ab**", True),  # half stars
        ("abc**", False),
        ("Ada", False),
        ("", False),
    ],
)
def test_masked_values_are_at_least_half_stars(value: str, masked: bool) -> None:
    assert structured.is_masked(value) is masked


def test_name_takes_strings_and_numbers_not_masks_or_other_types() -> None:
    assert structured.name({"name": "  Ada \n Lovelace "}) == "Ada Lovelace"
    assert structured.name({"name": 42}) == "42"
    assert structured.name({"name": 1.5}) == "1.5"
    for bad in (True, None, ["Ada"], {"x": 1}, "**-*****", "   "):
        assert structured.name({"name": bad}) is None, bad
    assert structured.name({}) is None


def test_location_from_an_address_object_a_list_or_a_string() -> None:
    assert structured.location({"address": {"addressLocality": "Kraków"}}) == "Kraków"
    assert structured.location({"address": [{"addressLocality": "Lyon"}, "Paris"]}) == "Lyon"
    assert structured.location({"address": "Berlin"}) == "Berlin"
    assert structured.location({"address": ["Oslo"]}) == "Oslo"
    assert structured.location({"address": []}) is None
    assert structured.location({"address": {"addressCountry": "PL"}}) is None


def test_about_keeps_breaks_and_drops_code() -> None:
    description = "First line.<br>Second <b>bold</b> line.<script>alert(1)</script><br/>Third"
    assert structured.about({"description": description}) == (
        "First line.\nSecond bold line.\nThird"
    )
    assert structured.about({"description": "** ***"}) is None
    assert structured.about({"description": 7}) == "7"
    assert structured.about({"description": ["a"]}) is None
    assert structured.about({}) is None


def test_works_for_an_organisation_object_list_or_string() -> None:
    assert structured.works_for({"worksFor": [{"name": "Acme"}, {"name": "Other"}]}) == "Acme"
    assert structured.works_for({"worksFor": {"name": "Acme"}}) == "Acme"
    assert structured.works_for({"worksFor": "Acme Ltd"}) == "Acme Ltd"
    assert structured.works_for({"worksFor": {"@type": "Organization"}}) is None
    assert structured.works_for({}) is None


def _stat(kind: Any, count: Any) -> dict[str, Any]:
    return {"@type": "InteractionCounter", "interactionType": kind, "userInteractionCount": count}


def test_followers_is_the_first_whole_follow_count() -> None:
    follow = "https://schema.org/FollowAction"
    stats = [_stat("https://schema.org/LikeAction", 9), _stat(follow, 321), _stat(follow, 5)]
    assert structured.followers({"interactionStatistic": stats}) == 321
    assert structured.followers({"interactionStatistic": _stat(follow, 0)}) == 0
    # Not a whole, non-negative number: the next follow count is read instead.
    for bad in (-1, 1.5, "321", True, None):
        stats = [_stat(follow, bad), _stat(follow, 7)]
        assert structured.followers({"interactionStatistic": stats}) == 7, bad
    assert structured.followers({"interactionStatistic": ["x", _stat(None, 3)]}) is None
    assert structured.followers({}) is None


def test_schools_are_the_educational_organisations_with_their_dates() -> None:
    alumni = [
        {"@type": "Organization", "name": "Acme"},  # a past employer
        {
            "@type": "EducationalOrganization",
            "name": "Uni of Somewhere",
            "member": {"startDate": 2010, "endDate": "2014"},
        },
        {"@type": "EducationalOrganization", "name": "**-*****"},  # masked: no school
        {"@type": "EducationalOrganization", "name": "College", "member": "2001"},
        "Some School",
    ]
    assert structured.schools({"alumniOf": alumni}) == [
        education("Uni of Somewhere", None, None, ("2010", "2014")),
        education("College", None, None, (None, None)),
    ]
    one = {"@type": "EducationalOrganization", "name": "Solo"}
    assert structured.schools({"alumniOf": one}) == [education("Solo", None, None, (None, None))]
    assert structured.schools({}) == []
