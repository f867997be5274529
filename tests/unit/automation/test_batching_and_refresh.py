from datetime import UTC, datetime, timedelta

import pytest

from linkedin_assets.assets.partitions import contiguous_ranges
from linkedin_assets.automation.intake_tick import take_in
from linkedin_assets.core.inbox import InboxCursor
from linkedin_assets.core.refresh import ProfileState, select_for_refresh
from tests.unit.automation.memory_inbox import MemoryInbox

ORDER = [f"p{n:02d}" for n in range(10)]


@pytest.mark.parametrize(
    ("selected", "batch", "expected"),
    [
        (ORDER, 4, [("p00", "p03", 4), ("p04", "p07", 4), ("p08", "p09", 2)]),
        (
            ["p01", "p02", "p05", "p09"],
            10,
            [("p01", "p02", 2), ("p05", "p05", 1), ("p09", "p09", 1)],
        ),
        (["p09", "p00"], 5, [("p00", "p00", 1), ("p09", "p09", 1)]),
        ([], 3, []),
        (["zz"], 3, []),
    ],
)
def test_contiguous_ranges(selected: list[str], batch: int, expected: list) -> None:
    assert contiguous_ranges(selected, ORDER, batch) == expected


def test_ranges_never_cover_an_unselected_partition() -> None:
    selected = {"p00", "p01", "p03", "p04", "p05", "p08"}
    for first, last, count in contiguous_ranges(selected, ORDER, 2):
        covered = ORDER[ORDER.index(first) : ORDER.index(last) + 1]
        assert set(covered) <= selected and len(covered) == count


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="batch size"):
        contiguous_ranges(ORDER, ORDER, 0)


NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def state(
    pid: str, status: str = "materialized", days_ago: float | None = 1, failed: bool = False
) -> ProfileState:
    refreshed = (
        None
        if days_ago is None
        else (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    return ProfileState(pid, status, refreshed, failed)  # type: ignore[arg-type]


def test_selection_reasons_and_oldest_first() -> None:
    states = [
        state("fresh"),
        state("stale-40", days_ago=40),
        state("stale-90", days_ago=90),
        state("never", status="missing", days_ago=None),
        state("failed", status="failed", days_ago=2),
        state("upload", failed=True, days_ago=3),
        state("running", status="in_progress", days_ago=None),
    ]
    chosen, waiting = select_for_refresh(states, now=NOW, max_age=timedelta(days=30), cap=100)
    assert [(s.profile_id, s.reason) for s in chosen] == [
        ("never", "missing"), ("stale-90", "stale"), ("stale-40", "stale"),
        ("upload", "text_upload_failed"), ("failed", "failed"),
    ]  # fmt: skip
    assert waiting == 0


def tombstone(pid: str, kind: str, seen_days_ago: float, status: str = "missing") -> ProfileState:
    seen = (NOW - timedelta(days=seen_days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ProfileState(pid, status, seen, unavailable=kind, unavailable_seen_at=seen)  # type: ignore[arg-type]


def test_a_profile_the_site_would_not_show_waits_its_retry_days_whatever_its_status() -> None:
    states = [
        tombstone("gone-29", "not_found", 29),
        tombstone("gone-31", "not_found", 31),
        # A run failed by another profile shows this partition failed: the tombstone still holds.
        tombstone("gone-failed-run", "not_found", 2, status="failed"),
        tombstone("walled-6", "auth_wall", 6),
        tombstone("walled-8", "auth_wall", 8, status="materialized"),
        tombstone("walled-running", "auth_wall", 8, status="in_progress"),
    ]
    retry_after = {"not_found": timedelta(days=30), "auth_wall": timedelta(days=7)}
    chosen, waiting = select_for_refresh(
        states, now=NOW, max_age=timedelta(days=90), cap=100, retry_after=retry_after
    )
    assert [(s.profile_id, s.reason) for s in chosen] == [
        ("gone-31", "unavailable"), ("walled-8", "unavailable"),
    ]  # fmt: skip
    assert waiting == 0
    # Longer waits keep them all.
    longer = {kind: timedelta(days=60) for kind in retry_after}
    assert select_for_refresh(
        states, now=NOW, max_age=timedelta(days=90), cap=100, retry_after=longer
    ) == ([], 0)


def test_cap_keeps_the_oldest_and_counts_the_rest() -> None:
    states = [state(f"s{n}", days_ago=31 + n) for n in range(10)]
    chosen, waiting = select_for_refresh(states, now=NOW, max_age=timedelta(days=30), cap=3)
    assert [s.profile_id for s in chosen] == ["s9", "s8", "s7"] and waiting == 7


def test_tick_dedups_within_and_across_files_and_against_existing() -> None:
    source = MemoryInbox({
        "a.txt": b"linkedin.com/in/known-1\nlinkedin.com/in/new-one\nlinkedin.com/in/New-One\n",
        "b.csv": b"url,status\nlinkedin.com/in/new-one,possible\nlinkedin.com/in/new-two,\nnope,\n",
    })  # fmt: skip
    tick = take_in(source, InboxCursor(), {"known-1"}, max_lines=1000)
    assert tick.new_ids == ["new-one", "new-two"]
    assert tick.duplicates == 3 and tick.statuses == {"new-one": "possible"}
    assert [(r.file, r.line) for r in tick.rejected] == [("b.csv", 4)]
    assert (
        "b.csv:4" not in source.reports["b.csv.rejects.csv"]
        and "nope" in source.reports["b.csv.rejects.csv"]
    )
    reads = len(source.reads)
    again = take_in(source, tick.cursor, {"known-1", "new-one", "new-two"}, max_lines=1000)
    assert again.files == [] and len(source.reads) == reads  # nothing re-read


def test_a_large_file_is_taken_in_chunks_across_ticks() -> None:
    lines = "".join(f"linkedin.com/in/person-{n:05d}\n" for n in range(2500)).encode()
    source = MemoryInbox({"big.txt": lines})
    cursor, existing, got = InboxCursor(), set(), []
    for _ in range(3):
        tick = take_in(source, cursor, existing, max_lines=1000)
        got += tick.new_ids
        existing |= set(tick.new_ids)
        cursor = InboxCursor.load(tick.cursor.dump())
    assert got == [f"person-{n:05d}" for n in range(2500)]
    assert cursor.done == {"big.txt": source.version("big.txt")}
    assert take_in(source, cursor, existing, max_lines=1000).lines_taken == 0


def test_an_unreadable_file_is_reported_once_not_every_tick() -> None:
    source = MemoryInbox({"bad.txt": b"\xff\xfe\x00garbage\n"})
    tick = take_in(source, InboxCursor(), set(), max_lines=10)
    assert "not UTF-8" in tick.rejected[0].reason and "bad.txt.rejects.csv" in source.reports
    assert take_in(source, tick.cursor, set(), max_lines=10).files == []


def test_a_file_that_cannot_be_read_waits_for_the_next_tick_and_the_rest_goes_in() -> None:
    class Locked(MemoryInbox):
        locked = True

        def read(self, name: str, version: str, offset: int, length: int) -> bytes:
            if name == "locked.txt" and self.locked:
                raise PermissionError(13, "Permission denied")
            return super().read(name, version, offset, length)

    source = Locked(
        {"locked.txt": b"linkedin.com/in/late-one\n", "ok.txt": b"linkedin.com/in/fine-one\n"}
    )
    tick = take_in(source, InboxCursor(), set(), max_lines=10)
    assert tick.new_ids == ["fine-one"] and tick.rejected == []
    assert [name for name, _ in tick.retrying] == ["locked.txt"]
    assert "Permission denied" in tick.retrying[0][1]
    source.locked = False  # the operator fixes the permission; the file itself does not change
    assert take_in(source, tick.cursor, {"fine-one"}, max_lines=10).new_ids == ["late-one"]


def test_s3_inbox_lists_only_its_own_level_and_reads_through_the_paginator(aws: dict) -> None:
    from linkedin_assets.resources.inbox_source import S3Inbox
    from tests.conftest import BUCKET

    for n in range(1005):  # more than one page of list_objects_v2
        aws["s3"].put_object(
            Bucket=BUCKET, Key=f"inbox/f{n:04d}.txt", Body=b"linkedin.com/in/abc-def\n"
        )
    aws["s3"].put_object(Bucket=BUCKET, Key="inbox/_rejects/f0000.txt.rejects.csv", Body=b"x")
    aws["s3"].put_object(Bucket=BUCKET, Key="inbox/sub/deeper.txt", Body=b"x")
    inbox = S3Inbox(aws["s3"], BUCKET, "inbox/")
    listing = inbox.listing().files
    assert len(listing) == 1005 and "sub/deeper.txt" not in listing
    version = listing["f0001.txt"].version
    assert inbox.read("f0001.txt", version, 0, 100) == b"linkedin.com/in/abc-def\n"
    where = inbox.write_report("f0001.txt.rejects.csv", "file,line,input,reason\n")
    assert where == f"s3://{BUCKET}/inbox/_rejects/f0001.txt.rejects.csv"
    head = aws["s3"].head_object(Bucket=BUCKET, Key="inbox/_rejects/f0001.txt.rejects.csv")
    assert head["ServerSideEncryption"] == "AES256"
