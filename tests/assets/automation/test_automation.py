"""The intake sensor and the refresh schedule, evaluated against a real (temporary) Dagster
instance, with moto's in-process mock for the index and a local inbox folder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from linkedin_assets.assets.partitions import profile_partitions
from linkedin_assets.automation.intake_sensor import build_intake_sensor
from linkedin_assets.automation.refresh_schedule import build_refresh_schedule
from linkedin_assets.resources.aws import AwsSettings
from linkedin_assets.resources.configured import AutomationSettings, ProfileIndexResource
from tests.assets.automation.sensor_results import added, apply
from tests.assets.fakes import run
from tests.conftest import REGION, TABLE
from tests.index_reads import index_item

SENSOR = build_intake_sensor({}, "local")
SCHEDULE = build_refresh_schedule({}, "local")


def automation_resources(inbox: Path, **settings: Any) -> dict[str, Any]:
    return {
        "automation": AutomationSettings(
            inbox=str(inbox), aws=AwsSettings(region_name=REGION), **settings
        ),
        "profile_index_store": ProfileIndexResource(
            table=TABLE, aws=AwsSettings(region_name=REGION)
        ),
    }


def tick(
    instance: dg.DagsterInstance, inbox: Path, cursor: str | None = None, **settings: Any
) -> dg.SensorResult:
    with dg.build_sensor_context(
        instance=instance, cursor=cursor, resources=automation_resources(inbox, **settings)
    ) as context:
        result = SENSOR(context)
    assert isinstance(result, dg.SensorResult)
    return result


def test_a_dropped_file_becomes_partitions_and_batched_runs(
    aws: dict, instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    urls = [f"https://www.linkedin.com/in/person-{n:03d}/" for n in range(25)]
    (inbox / "leads.txt").write_text("# from the search app\n" + "\n".join(urls) + "\nnot-a-url\n")
    result = tick(instance, inbox, batch_size=10)
    assert added(result) == [f"person-{n:03d}" for n in range(25)]
    ranges = [
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in result.run_requests
    ]
    assert ranges == [
        ("person-000", "person-009"),
        ("person-010", "person-019"),
        ("person-020", "person-024"),
    ]
    assert all(len(r.asset_selection) == 4 for r in result.run_requests)
    report = (inbox / "_rejects" / "leads.txt.rejects.csv").read_text()
    assert "leads.txt,27,not-a-url," in report

    apply(instance, result)
    again = tick(instance, inbox, cursor=result.cursor)
    assert added(again) == [] and again.run_requests == []


def test_files_are_read_once_and_changes_and_new_files_are_picked_up(
    aws: dict, instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("linkedin.com/in/first-one\n")
    first = tick(instance, inbox)
    apply(instance, first)
    (inbox / "b.txt").write_text("linkedin.com/in/first-one\nlinkedin.com/in/second-one\n")
    second = tick(instance, inbox, cursor=first.cursor)
    assert added(second) == ["second-one"]  # first-one already exists: not added, not run again


def test_status_goes_to_the_index_and_a_later_change_reruns_json_and_index(
    aws: dict, instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.csv").write_text(
        "url,status\nlinkedin.com/in/ada-lovelace,possible\nlinkedin.com/in/alan-turing,\n"
    )
    first = tick(instance, inbox)
    apply(instance, first)
    item = index_item(aws["dynamodb"], TABLE, "ada-lovelace")
    assert item["status"]["S"] == "possible"
    (inbox / "b.csv").write_text(
        "url,status\nlinkedin.com/in/ada-lovelace,qualified\nlinkedin.com/in/alan-turing,\n"
    )
    second = tick(instance, inbox, cursor=first.cursor)
    assert added(second) == []
    [request] = second.run_requests
    assert {k.to_user_string() for k in request.asset_selection} == {
        "profile_json",
        "profile_index",
    }
    assert request.tags["dagster/asset_partition_range_start"] == "ada-lovelace"
    item = index_item(aws["dynamodb"], TABLE, "ada-lovelace")
    assert item["status"]["S"] == "qualified"


def test_large_inbox_is_chunked_across_ticks(
    aws: dict, instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "big.txt").write_text(
        "".join(f"linkedin.com/in/member-{n:05d}\n" for n in range(2500))
    )
    cursor, total = None, []
    for runs_expected in (2, 2, 1):
        result = tick(instance, inbox, cursor=cursor, max_lines_per_tick=1000, batch_size=500)
        assert len(result.run_requests) == runs_expected
        apply(instance, result)
        total += added(result)
        cursor = result.cursor
    assert len(total) == 2500 == len(set(total))


def test_sensor_without_an_inbox_skips_with_a_reason(instance: dg.DagsterInstance) -> None:
    resources = {
        "automation": AutomationSettings(inbox=None),
        "profile_index_store": ProfileIndexResource(table=TABLE),
    }
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        result = SENSOR(context)
    assert isinstance(result, dg.SkipReason) and "PROFILE_URL_INBOX" in (result.skip_message or "")


def evaluate(
    instance: dg.DagsterInstance, when: datetime, resources: dict[str, Any]
) -> list[tuple[str, str]]:
    with dg.build_schedule_context(
        instance=instance, scheduled_execution_time=when, resources=resources
    ) as context:
        requests = SCHEDULE(context)
    return [
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in requests
    ]


def test_refresh_schedule_picks_missing_failed_and_stale(
    aws: dict, instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    # Real materializations and failures through the pipeline (fake browser), then the schedule.
    run(instance, ["ada-lovelace", "alan-turing", "gone-person"])
    instance.add_dynamic_partitions(profile_partitions.name, ["never-run"])
    resources = automation_resources(tmp_path, refresh_max_age_days=30, batch_size=10)

    tomorrow = datetime.now(UTC) + timedelta(days=1)
    # Never run; the two fresh ones wait, and so does gone-person, which the site said was gone
    # (its index tombstone) for PROFILE_NOT_FOUND_RETRY_DAYS.
    assert evaluate(instance, tomorrow, resources) == [("never-run", "never-run")]
    in_two_months = datetime.now(UTC) + timedelta(days=60)
    assert evaluate(instance, in_two_months, resources) == [("ada-lovelace", "never-run")]
    capped = automation_resources(tmp_path, refresh_max_profiles_per_tick=1)
    assert [r[0] for r in evaluate(instance, in_two_months, capped)] == [
        "never-run"
    ]  # never indexed = oldest
    # A longer wait for not-found profiles keeps gone-person out in two months too.
    patient = automation_resources(tmp_path, not_found_retry_days=90, batch_size=10)
    assert evaluate(instance, in_two_months, patient) == [
        ("ada-lovelace", "alan-turing"), ("never-run", "never-run"),
    ]  # fmt: skip


def test_a_file_name_cannot_forge_log_lines(
    aws: dict, instance: dg.DagsterInstance, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = "leads\nFORGED - dagster - INFO - all profiles approved.txt"
    (inbox / name).write_text("not-a-url\n")
    (inbox / "x\x1b[2K.txt").symlink_to(tmp_path / "anywhere")
    tick(instance, inbox)
    logged = capfd.readouterr().err
    assert repr(name) in logged and "'x\\x1b[2K.txt' not a regular file" in logged
    assert not [line for line in logged.splitlines() if line.startswith("FORGED")]
    assert "\x1b" not in logged


def test_a_symlinked_inbox_file_and_report_are_neither_read_nor_written_through(
    aws: dict, instance: dg.DagsterInstance, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    secret, victim = tmp_path / "session.json", tmp_path / "bashrc"
    secret.write_text('{"cookies": [{"name": "li_at", "value": "AQEDAR-SECRET-COOKIE"}]}\n')
    victim.write_text("original\n")
    inbox = tmp_path / "inbox"
    (inbox / "_rejects").mkdir(parents=True)
    (inbox / "s.txt").symlink_to(secret)
    (inbox / "_rejects" / "leads.txt.rejects.csv").symlink_to(victim)
    (inbox / "leads.txt").write_text("$(touch${IFS}/tmp/PWNED)\n")
    result = tick(instance, inbox)
    assert victim.read_text() == "original\n" and added(result) == []
    reports = [p.read_text() for p in (inbox / "_rejects").iterdir()]
    assert len(reports) == 1 and "touch" in reports[0]
    assert not any("SECRET" in text for text in reports)
    logged = capfd.readouterr().err
    assert "s.txt not a regular file (a symbolic link)" in logged and "SECRET" not in logged
