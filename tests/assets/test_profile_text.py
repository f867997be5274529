"""Asset tier: the profile_text layer reports, in its materialization metadata, the sections whose
field was read from their text because their inner markup changed (issue 16, item 10)."""

from __future__ import annotations

import json

import dagster as dg
import pytest

from linkedin_assets.assets.run_report import run_rows
from tests.assets import fakes
from tests.conftest import BUCKET

TEXT = (dg.AssetKey("profile_screenshots"), dg.AssetKey("profile_text"))


STANDARD_PAGE = fakes.page_html


def _renamed_about(name: str, headline: str) -> str:
    # The About section is still found by its heading, but its content class has been renamed.
    return STANDARD_PAGE(name, headline).replace("core-section-container__content", "_q7a1b2")


def test_a_fallback_is_recorded_in_the_metadata_and_the_document_stays_valid(
    aws: dict, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fakes, "page_html", _renamed_about)
    result = fakes.run(instance, ["ada-lovelace"], assets=TEXT)
    assert result.success
    meta = run_rows(instance, result.run_id, ["ada-lovelace"])[0].materialized["profile_text"]
    assert meta["fallbacks"] == "about"
    assert "about: the section found by" in meta["fallback_warning"]
    body = aws["s3"].get_object(Bucket=BUCKET, Key=meta["s3_key"])["Body"].read()
    document = json.loads(body)
    assert document["about"] == "About Ada Lovelace."
    assert "fallbacks" not in document  # the schema has no place for them: metadata only


def test_no_fallback_on_known_markup(aws: dict, instance: dg.DagsterInstance) -> None:
    result = fakes.run(instance, ["ada-lovelace"], assets=TEXT)
    assert result.success
    meta = run_rows(instance, result.run_id, ["ada-lovelace"])[0].materialized["profile_text"]
    assert meta["fallbacks"] == "none"
    assert "fallback_warning" not in meta
