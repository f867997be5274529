"""Every description the UI shows reads there as written.

The Dagster UI renders asset, check, job, sensor and schedule descriptions (and Markdown metadata
such as the audit's findings) as Markdown with raw HTML allowed, so a placeholder such as ``<id>``
outside a code span is taken for an HTML tag and vanishes ("profiles/.json"). These tests render
each the same way and read back the text a viewer sees.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser

from linkedin_assets.assets.reports.profile_store_audit import (
    ObjectFacts,
    audit_findings,
    findings_markdown,
    findings_table,
)
from linkedin_assets.definitions import defs

# An angle-bracketed word is what Markdown's inline-HTML rule can take for a tag.
PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9_-]*>")


def rendered_text(description: str) -> str:
    """The text a viewer reads once the UI has rendered ``description`` as Markdown."""
    # CommonMark with raw HTML passed through and GitHub's tables, as the UI's renderer reads it.
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(description)
    return LexborHTMLParser(html).text(separator="")


def shown_descriptions() -> dict[str, str]:
    """Every description of the code location that the UI shows, by what it describes."""
    found: dict[str, str | None] = {}
    for spec in defs.resolve_all_asset_specs():
        found[f"asset {spec.key.to_user_string()}"] = spec.description
        assets_def = defs.resolve_assets_def(spec.key)
        for check in assets_def.check_specs:
            found[f"check {check.asset_key.to_user_string()}.{check.name}"] = check.description
    for job in defs.resolve_all_job_defs():
        found[f"job {job.name}"] = job.description
    for sensor in defs.sensors or []:
        found[f"sensor {sensor.name}"] = sensor.description
    for schedule in defs.schedules or []:
        found[f"schedule {schedule.name}"] = schedule.description
    return {name: text for name, text in found.items() if text}


DESCRIPTIONS = shown_descriptions()


def test_every_kind_of_description_is_collected() -> None:
    kinds = {name.split(" ")[0] for name in DESCRIPTIONS}
    assert kinds == {"asset", "check", "job", "sensor", "schedule"}
    assert "asset profile_json" in DESCRIPTIONS
    assert "check profile_json.json_intact" in DESCRIPTIONS


def test_the_renderer_swallows_a_bare_placeholder_as_the_ui_does() -> None:
    # Guards the test itself: were <id> kept here, the tests below could not fail.
    assert rendered_text("profiles/<id>.json") == "profiles/.json\n"
    assert rendered_text("`profiles/<id>.json`") == "profiles/<id>.json\n"


@pytest.mark.parametrize("name", sorted(DESCRIPTIONS))
def test_no_placeholder_vanishes(name: str) -> None:
    source = DESCRIPTIONS[name]
    text = rendered_text(source)
    lost = [p for p in PLACEHOLDER.findall(source) if p not in text]
    assert not lost, f"{name}: {lost} vanish when rendered: {text!r}"


@pytest.mark.parametrize("name", sorted(DESCRIPTIONS))
def test_rendered_text_says_what_the_source_says(name: str) -> None:
    # Besides tags, Markdown may eat underscores or asterisks as emphasis; only the code spans'
    # backticks are meant to go.
    source = DESCRIPTIONS[name]
    assert " ".join(rendered_text(source).split()) == " ".join(source.replace("`", "").split())


def test_profile_json_names_its_key_with_the_placeholder() -> None:
    assert "profiles/<id>.json" in rendered_text(DESCRIPTIONS["asset profile_json"])
    assert "profiles/<id>.json" in rendered_text(DESCRIPTIONS["check profile_json.json_intact"])


def test_audit_findings_read_as_written() -> None:
    findings = audit_findings(
        documents={"_ada_": ObjectFacts("profiles/_ada_.json", False, "s")},
        metas={}, legacy_metas={"jane": ObjectFacts("profiles/jane-meta.json", True, "s")},
        screenshots=[], unexpected=[], index_items={}, materialized=set(),
        profile_key=lambda pid: f"profiles/{pid}.json",
    )  # fmt: skip
    text = rendered_text(findings_markdown(findings_table(findings)))
    assert "the next publish writes <id>.meta.json" in text
    # An ID or key with underscores at its ends is not emphasis.
    assert "profiles/_ada_.json" in text and "\n_ada_\n" in text
