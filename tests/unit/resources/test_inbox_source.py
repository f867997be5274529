"""A local inbox is written by people the pipeline does not trust with anything else: it reads
regular files only, and its reports never follow a symbolic link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linkedin_assets.automation.intake_tick import take_in
from linkedin_assets.core.inbox import InboxCursor
from linkedin_assets.errors import StorageError
from linkedin_assets.resources.inbox_source import Listing, LocalInbox, NotRegularFile

HOSTILE_LINE = "$(touch${IFS}/tmp/PWNED)\n"
SECRET = "aws_secret_access_key=wJalrXUtnFEMI-K7MDENG-SECRET\n"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def test_a_symlinked_report_is_replaced_not_written_through(tmp_path: Path, inbox: Path) -> None:
    victim = tmp_path / "bashrc"
    victim.write_text("original\n")
    (inbox / "_rejects").mkdir()
    (inbox / "_rejects" / "leads.txt.rejects.csv").symlink_to(victim)
    (inbox / "leads.txt").write_text(HOSTILE_LINE)
    tick = take_in(LocalInbox(inbox), InboxCursor(), set(), 100)
    assert victim.read_text() == "original\n"
    report = inbox / "_rejects" / "leads.txt.rejects.csv"
    assert not report.is_symlink() and "touch" in report.read_text()
    assert tick.reports == {"leads.txt": str(report)}
    assert sorted(p.name for p in (inbox / "_rejects").iterdir()) == ["leads.txt.rejects.csv"]


def test_a_symlinked_rejects_folder_is_refused(tmp_path: Path, inbox: Path) -> None:
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    (inbox / "_rejects").symlink_to(elsewhere, target_is_directory=True)
    (inbox / "leads.txt").write_text(HOSTILE_LINE)
    tick = take_in(LocalInbox(inbox), InboxCursor(), set(), 100)
    assert list(elsewhere.iterdir()) == []
    assert "not a plain folder" in tick.report_failures["leads.txt"]
    assert [r.line for r in tick.rejected] == [1]  # still in the tick's log
    with pytest.raises(StorageError, match="_rejects is not a plain folder"):
        LocalInbox(inbox).write_report("x.rejects.csv", "file,line,input,reason\n")


def test_a_report_over_a_plain_file_replaces_it_unreadable_to_others(inbox: Path) -> None:
    source = LocalInbox(inbox)
    where = source.write_report("a.txt.rejects.csv", "one\n")
    assert source.write_report("a.txt.rejects.csv", "two\n") == where
    assert Path(where).read_text() == "two\n" and Path(where).stat().st_mode & 0o007 == 0


def test_symlinks_fifos_and_folders_are_skipped_by_name_and_never_read(
    tmp_path: Path, inbox: Path
) -> None:
    secret = tmp_path / "credentials"
    secret.write_text(SECRET)
    (inbox / "s.txt").symlink_to(secret)
    (inbox / "environ.txt").symlink_to("/proc/self/environ")
    os.mkfifo(inbox / "pipe.txt")  # opening it for reading would wait for a writer forever
    (inbox / "folder.csv").mkdir()
    (inbox / "ok.txt").write_text("linkedin.com/in/ada-l\n")
    tick = take_in(LocalInbox(inbox), InboxCursor(), set(), 100)
    assert tick.new_ids == ["ada-l"] and tick.rejected == []
    assert dict(tick.skipped) == {
        "environ.txt": "not a regular file (a symbolic link): skipped, never read",
        "folder.csv": "not a regular file (a folder): skipped, never read",
        "pipe.txt": "not a regular file (a FIFO): skipped, never read",
        "s.txt": "not a regular file (a symbolic link): skipped, never read",
    }
    assert "SECRET" not in repr(tick) and not (inbox / "_rejects").exists()
    again = take_in(LocalInbox(inbox), InboxCursor.load(tick.cursor.dump()), {"ada-l"}, 100)
    assert again.skipped == [] and again.files == []  # reported once, not every tick


def test_a_file_swapped_for_a_symlink_after_the_listing_is_not_read(
    tmp_path: Path, inbox: Path
) -> None:
    secret = tmp_path / "credentials"
    secret.write_text(SECRET)
    (inbox / "a.txt").write_text("linkedin.com/in/ada-l\n")
    source = LocalInbox(inbox)
    listed = source.listing()

    class Stale(LocalInbox):
        def listing(self) -> Listing:
            return listed

    (inbox / "a.txt").unlink()
    (inbox / "a.txt").symlink_to(secret)
    with pytest.raises(NotRegularFile, match="symbolic link"):
        source.read("a.txt", listed.files["a.txt"].version, 0, 100)
    tick = take_in(Stale(inbox), InboxCursor(), set(), 100)
    assert tick.skipped == [("a.txt", "not a regular file (a symbolic link): skipped, never read")]
    assert "SECRET" not in repr(tick)


def test_a_file_changed_after_the_listing_is_read_next_tick(inbox: Path) -> None:
    (inbox / "a.txt").write_text("linkedin.com/in/ada-l\n")
    listed = LocalInbox(inbox).listing()

    class Stale(LocalInbox):
        def listing(self) -> Listing:
            return listed

    (inbox / "a.txt").write_text("linkedin.com/in/ada-l\nlinkedin.com/in/alan-t\n")
    tick = take_in(Stale(inbox), InboxCursor(), set(), 100)
    assert tick.new_ids == [] and "changed while it was being read" in tick.retrying[0][1]
    assert take_in(LocalInbox(inbox), tick.cursor, set(), 100).new_ids == ["ada-l", "alan-t"]
