"""``take_in`` over in-memory and S3 inboxes: a file is taken only once complete, a read error
leaves it for the next tick, and each tick reads only what it takes."""

from __future__ import annotations

from typing import Any

import pytest

from linkedin_assets.automation.intake_tick import take_in
from linkedin_assets.core import inbox_lines
from linkedin_assets.core.inbox import FIRST_WINDOW, InboxCursor
from linkedin_assets.errors import ConfigurationError, StorageError
from linkedin_assets.resources.configured import AutomationSettings
from linkedin_assets.resources.inbox_source import InboxFileChanged, S3Inbox
from tests.conftest import BUCKET
from tests.unit.automation.memory_inbox import MemoryInbox


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_file_cut_off_mid_line_waits_and_its_finished_version_is_taken() -> None:
    # A writer half-way: the last line is "…/in/john-doe-12" of "…/in/john-doe-123".
    source = MemoryInbox(
        {"leads.txt": b"linkedin.com/in/ada-l\nhttps://www.linkedin.com/in/john-doe-12"}
    )
    clock = Clock()
    tick = take_in(source, InboxCursor(), set(), 100, stable_after_s=60, clock=clock)
    assert (tick.new_ids, tick.waiting, tick.rejected) == ([], ["leads.txt"], [])
    clock.now += 30
    tick = take_in(source, tick.cursor, set(), 100, stable_after_s=60, clock=clock)
    assert (tick.new_ids, tick.waiting) == ([], ["leads.txt"])
    source.files["leads.txt"] += b"3/\n"  # the writer finishes the line
    tick = take_in(source, tick.cursor, set(), 100, stable_after_s=60, clock=clock)
    assert tick.new_ids == ["ada-l", "john-doe-123"] and tick.waiting == []


def test_a_file_without_a_final_line_break_is_taken_once_unchanged_for_the_window() -> None:
    source = MemoryInbox({"leads.txt": b"linkedin.com/in/ada-l\nlinkedin.com/in/alan-t"})
    clock = Clock()
    tick = take_in(source, InboxCursor(), set(), 100, stable_after_s=60, clock=clock)
    clock.now += 59
    source.files["leads.txt"] += b"-x"  # still being written: the wait starts again
    tick = take_in(source, tick.cursor, set(), 100, stable_after_s=60, clock=clock)
    clock.now += 59
    tick = take_in(source, tick.cursor, set(), 100, stable_after_s=60, clock=clock)
    assert tick.new_ids == [] and tick.waiting == ["leads.txt"]
    clock.now += 1
    tick = take_in(source, tick.cursor, set(), 100, stable_after_s=60, clock=clock)
    assert tick.new_ids == ["ada-l", "alan-t-x"] and tick.cursor.waiting == {}


def test_an_empty_file_waits_too_then_is_reported() -> None:
    # Created, not yet written: reporting "no profile URLs" at once would be wrong.
    source = MemoryInbox({"new.txt": b""})
    clock = Clock()
    tick = take_in(source, InboxCursor(), set(), 100, stable_after_s=60, clock=clock)
    assert tick.rejected == [] and tick.waiting == ["new.txt"]
    clock.now += 60
    tick = take_in(source, tick.cursor, set(), 100, stable_after_s=60, clock=clock)
    assert ["no profile URLs" in r.reason for r in tick.rejected] == [True]


class Failing(MemoryInbox):
    """Reads of one file fail while ``failures`` lasts, from its ``after``-th read on."""

    def __init__(self, files: dict[str, bytes], failing: str, failures: int, after: int) -> None:
        super().__init__(files)
        self.failing, self.failures, self.after, self.seen = failing, failures, after, 0

    def read(self, name: str, version: str, offset: int, length: int) -> bytes:
        if name == self.failing:
            self.seen += 1
            if self.seen > self.after and self.failures:
                self.failures -= 1
                raise StorageError(f"s3://inbox/{name}: RequestTimeout (HTTP 400)")
        return super().read(name, version, offset, length)


@pytest.mark.parametrize("after", [0, 1, 2, 3])
def test_a_transient_read_error_leaves_the_file_for_the_next_tick(
    monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    # ``after``: the error comes on the first read, or after some blocks were read already.
    monkeypatch.setattr(inbox_lines, "BLOCK_BYTES", 64)
    lines = b"".join(b"linkedin.com/in/member-%03d\n" % n for n in range(20))
    source = Failing({"a.txt": lines, "b.txt": b"linkedin.com/in/other-one\n"}, "a.txt", 1, after)
    tick = take_in(source, InboxCursor(), set(), 1000)
    assert tick.new_ids == ["other-one"] and tick.rejected == []
    assert [(name, "RequestTimeout" in error) for name, error in tick.retrying] == [("a.txt", True)]
    assert "a.txt" not in tick.cursor.done and "a.txt" not in tick.cursor.partial
    again = take_in(source, InboxCursor.load(tick.cursor.dump()), {"other-one"}, 1000)
    assert again.new_ids == [f"member-{n:03d}" for n in range(20)] and again.retrying == []


def test_a_read_error_half_way_through_a_large_file_keeps_its_position(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(inbox_lines, "BLOCK_BYTES", 64)
    lines = b"".join(b"linkedin.com/in/member-%03d\n" % n for n in range(30))
    source = Failing({"a.txt": lines}, "a.txt", 0, 0)
    first = take_in(source, InboxCursor(), set(), 10)
    position = first.cursor.partial["a.txt"]
    source.failures = 1  # the next read fails: the next tick takes nothing of it
    second = take_in(source, InboxCursor.load(first.cursor.dump()), set(first.new_ids), 10)
    assert second.new_ids == [] and second.cursor.partial["a.txt"] == position
    third = take_in(source, second.cursor, set(first.new_ids), 10)
    assert first.new_ids + third.new_ids == [f"member-{n:03d}" for n in range(20)]


def test_each_tick_reads_only_what_it_takes(monkeypatch: pytest.MonkeyPatch) -> None:
    block = 4096
    monkeypatch.setattr(inbox_lines, "BLOCK_BYTES", block)
    line = b"https://www.linkedin.com/in/member-%05d/?trk=public_profile_browsemap\n"
    data = b"".join(line % n for n in range(20_000))  # 1.4 MB
    source = MemoryInbox({"big.txt": data})
    cursor, existing, got, ticks = InboxCursor(), set[str](), [], 0
    while True:
        source.reads.clear()
        tick = take_in(source, cursor, existing, max_lines=1000)
        read = sum(length for _, _, length in source.reads)
        # What 1,000 lines take, a block of look-ahead, the last byte once (is it complete?) and
        # the start of the file once (is it UTF-8?): never the whole file again.
        assert read <= 1000 * len(line % 0) + 2 * block + (1 + FIRST_WINDOW if ticks == 0 else 0)
        got += tick.new_ids
        existing |= set(tick.new_ids)
        cursor = InboxCursor.load(tick.cursor.dump())
        ticks += 1
        if not tick.more_waiting:
            break
    assert got == [f"member-{n:05d}" for n in range(20_000)] and ticks == 20


def test_a_tick_stops_at_its_byte_budget_too() -> None:
    comments = (
        b"".join(b"# " + b"x" * 1000 + b"\n" for _ in range(200)) + b"linkedin.com/in/ada-l\n"
    )
    source = MemoryInbox({"notes.txt": comments})
    tick = take_in(source, InboxCursor(), set(), 50_000, max_bytes=20_000)
    assert tick.more_waiting and 20_000 <= tick.cursor.partial["notes.txt"].offset < 22_000


def test_s3_inbox_reads_byte_ranges_of_the_listed_version(aws: dict[str, Any]) -> None:
    body = b"".join(b"linkedin.com/in/member-%06d\n" % n for n in range(100_000))  # 3 MB
    aws["s3"].put_object(Bucket=BUCKET, Key="in/big.txt", Body=body)
    source = S3Inbox(aws["s3"], BUCKET, "in/")
    info = source.listing().files["big.txt"]
    assert info.size == len(body)
    assert source.read("big.txt", info.version, 2_000_000, 30) == body[2_000_000:2_000_030]
    aws["s3"].put_object(Bucket=BUCKET, Key="in/big.txt", Body=body + b"linkedin.com/in/x-y-z\n")
    with pytest.raises(InboxFileChanged, match="big.txt changed"):
        source.read("big.txt", info.version, 0, 30)


def test_an_s3_inbox_file_is_taken_over_ticks_with_ranged_reads(aws: dict[str, Any]) -> None:
    body = b"".join(b"linkedin.com/in/member-%06d\n" % n for n in range(100_000))
    aws["s3"].put_object(Bucket=BUCKET, Key="in/big.txt", Body=body)
    cursor, got = InboxCursor(), []
    for _ in range(3):
        tick = take_in(S3Inbox(aws["s3"], BUCKET, "in/"), cursor, set(got), 40_000)
        got += tick.new_ids
        cursor = InboxCursor.load(tick.cursor.dump())
    assert got == [f"member-{n:06d}" for n in range(100_000)]
    assert cursor.done == {
        "big.txt": S3Inbox(aws["s3"], BUCKET, "in/").listing().files["big.txt"].version
    }


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf")])
def test_a_stability_window_that_is_not_a_number_of_seconds_is_refused(value: float) -> None:
    settings = AutomationSettings(inbox="/tmp/inbox", stable_after_s=value)
    with pytest.raises(ConfigurationError, match=r"^PROFILE_INTAKE_STABLE_AFTER_S=.* 0 or more$"):
        settings.open_inbox()
