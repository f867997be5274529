"""A local inbox is written by people the pipeline does not trust with anything else: it reads
regular files only, and its reports never follow a symbolic link."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from linkedin_assets.automation.intake_tick import take_in
from linkedin_assets.core.inbox import InboxCursor
from linkedin_assets.errors import ConfigurationError, StorageError
from linkedin_assets.resources.inbox_source import (
    InboxFile,
    InboxFileChanged,
    Listing,
    LocalInbox,
    NotRegularFile,
    S3Inbox,
    _kind,
    parse_inbox_location,
)

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


# --- Listing and reading, whole (issue 18, mutation) --------------------------------------------


def test_a_listing_has_each_regular_inbox_file_with_its_version_and_names_the_rest(
    inbox: Path,
) -> None:
    (inbox / "a.txt").write_text("x\n")
    (inbox / "b.CSV").write_text("y,z\n")
    (inbox / "notes.md").write_text("not an input\n")
    (inbox / "_hidden.txt").write_text("not an input\n")
    (inbox / "dir.txt").mkdir()
    os.mkfifo(inbox / "pipe.txt")
    (inbox / "link.txt").symlink_to(inbox / "a.txt")
    listing = LocalInbox(inbox).listing()
    st = (inbox / "a.txt").stat()
    assert listing.files == {
        "a.txt": InboxFile(f"{st.st_mtime_ns}:2", 2),
        "b.CSV": InboxFile(f"{(inbox / 'b.CSV').stat().st_mtime_ns}:4", 4),
    }
    assert listing.skipped == {
        "dir.txt": "not a regular file (a folder): skipped, never read",
        "pipe.txt": "not a regular file (a FIFO): skipped, never read",
        "link.txt": "not a regular file (a symbolic link): skipped, never read",
    }


def test_a_missing_inbox_folder_lists_nothing(tmp_path: Path) -> None:
    assert LocalInbox(tmp_path / "absent").listing() == Listing()


@pytest.mark.parametrize(
    ("mode", "kind"),
    [
        (stat.S_IFLNK, "a symbolic link"),
        (stat.S_IFIFO, "a FIFO"),
        (stat.S_IFDIR, "a folder"),
        (stat.S_IFCHR, "a character device"),
        (stat.S_IFBLK, "a block device"),
        (stat.S_IFSOCK, "a socket"),
        (0, "not a regular file"),
    ],
)
def test_each_kind_of_entry_is_named(mode: int, kind: str) -> None:
    assert _kind(mode | 0o644) == kind


def test_a_read_is_the_byte_range_of_the_listed_version(inbox: Path) -> None:
    (inbox / "a.txt").write_text("0123456789")
    local = LocalInbox(inbox)
    version = local.listing().files["a.txt"].version
    assert local.read("a.txt", version, 2, 3) == b"234"
    assert local.read("a.txt", version, 8, 5) == b"89"  # fewer only at the end
    with pytest.raises(InboxFileChanged) as raised:
        local.read("a.txt", "1:10", 0, 3)
    assert str(raised.value) == f"{inbox / 'a.txt'} changed while it was being read"


def test_a_fifo_swapped_in_is_refused_without_waiting_for_a_writer(inbox: Path) -> None:
    os.mkfifo(inbox / "late.txt")
    with pytest.raises(NotRegularFile) as raised:
        LocalInbox(inbox).read("late.txt", "0:0", 0, 10)
    assert str(raised.value) == "late.txt: not a regular file (a FIFO): skipped, never read"


def test_a_missing_file_is_an_os_error_not_a_symlink(inbox: Path) -> None:
    with pytest.raises(FileNotFoundError):
        LocalInbox(inbox).read("gone.txt", "0:0", 0, 10)


def test_a_report_is_written_beside_the_inbox_readable_by_the_group_only(inbox: Path) -> None:
    where = LocalInbox(inbox).write_report("a.txt.rejects.csv", "line,reason\n")
    assert where == str(inbox / "_rejects" / "a.txt.rejects.csv")
    assert Path(where).read_text() == "line,reason\n"
    assert stat.S_IMODE(Path(where).stat().st_mode) == 0o640
    assert stat.S_IMODE((inbox / "_rejects").stat().st_mode) & 0o007 == 0
    assert LocalInbox(inbox).write_report("a.txt.rejects.csv", "again\n") == where  # replaced
    assert Path(where).read_text() == "again\n"
    assert sorted(p.name for p in (inbox / "_rejects").iterdir()) == ["a.txt.rejects.csv"]


# --- The S3 inbox, on botocore's Stubber --------------------------------------------------------


def s3_inbox() -> tuple[S3Inbox, Any]:
    client = boto3.client("s3", region_name="us-west-2")
    return S3Inbox(client, "b", "in/"), client


def test_an_s3_listing_is_the_inbox_level_only_with_etags_as_versions() -> None:
    inbox, client = s3_inbox()
    page = {"Contents": [
        {"Key": "in/a.txt", "ETag": '"e1"', "Size": 5},
        {"Key": "in/notes.md", "ETag": '"e2"', "Size": 1},
    ]}  # fmt: skip
    with Stubber(client) as stub:
        stub.add_response(
            "list_objects_v2", page, {"Bucket": "b", "Prefix": "in/", "Delimiter": "/"}
        )
        stub.add_response("list_objects_v2", {}, {"Bucket": "b", "Prefix": "in/", "Delimiter": "/"})
        assert inbox.listing() == Listing(files={"a.txt": InboxFile("e1", 5)})
        assert inbox.listing() == Listing()
    assert inbox.description == "s3://b/in/"


def test_an_s3_read_asks_for_the_range_of_the_listed_etag() -> None:
    inbox, client = s3_inbox()
    asked = {"Bucket": "b", "Key": "in/a.txt", "Range": "bytes=10-14", "IfMatch": '"e1"'}
    with Stubber(client) as stub:
        stub.add_response("get_object", {"Body": StreamingBody(io.BytesIO(b"hello"), 5)}, asked)
        assert inbox.read("a.txt", "e1", 10, 5) == b"hello"
        assert inbox.read("a.txt", "e1", 10, 0) == b""  # nothing asked for, nothing sent
        stub.assert_no_pending_responses()


@pytest.mark.parametrize(("code", "status"), [("PreconditionFailed", 412), ("NoSuchKey", 404)])
def test_an_s3_file_changed_or_gone_since_the_listing_is_read_next_tick(
    code: str, status: int
) -> None:
    inbox, client = s3_inbox()
    with Stubber(client) as stub:
        stub.add_client_error("get_object", code, http_status_code=status)
        with pytest.raises(InboxFileChanged) as raised:
            inbox.read("a.txt", "e1", 0, 5)
    assert str(raised.value) == "s3://b/in/a.txt changed while it was being read"


def test_another_s3_read_error_is_a_storage_error_naming_the_file() -> None:
    inbox, client = s3_inbox()
    with Stubber(client) as stub:
        stub.add_client_error("get_object", "AccessDenied", http_status_code=403)
        with pytest.raises(StorageError) as raised:
            inbox.read("a.txt", "e1", 0, 5)
    assert type(raised.value) is StorageError
    assert str(raised.value) == "s3://b/in/a.txt: AccessDenied (HTTP 403)"


def test_an_s3_report_is_encrypted_checksummed_csv_under_rejects() -> None:
    inbox, client = s3_inbox()
    body = b"line,reason\n"
    with Stubber(client) as stub:
        stub.add_response("put_object", {}, {
            "Bucket": "b", "Key": "in/_rejects/a.txt.rejects.csv", "Body": body,
            "ContentType": "text/csv; charset=utf-8", "ServerSideEncryption": "AES256",
            "ChecksumAlgorithm": "SHA256", "Metadata": {"sha256": hashlib.sha256(body).hexdigest()},
        })  # fmt: skip
        where = inbox.write_report("a.txt.rejects.csv", "line,reason\n")
    assert where == "s3://b/in/_rejects/a.txt.rejects.csv"


@pytest.mark.parametrize(
    ("location", "parsed"),
    [
        ("s3://bucket", ("s3", "bucket", "")),
        ("s3://bucket/", ("s3", "bucket", "")),
        ("s3://bucket/in", ("s3", "bucket", "in/")),
        ("  s3://bucket/a/b/  ", ("s3", "bucket", "a/b/")),
        ("/var/inbox", ("local", "/var/inbox", "")),
        (" relative/inbox ", ("local", "relative/inbox", "")),
    ],
)
def test_an_inbox_location_is_a_bucket_and_prefix_or_a_folder(
    location: str, parsed: tuple[str, str, str]
) -> None:
    assert parse_inbox_location(location) == parsed


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("s3:///in/", "PROFILE_URL_INBOX='s3:///in/' names no bucket"),
        (
            "https://example.com/in/",
            "PROFILE_URL_INBOX='https://example.com/in/': use a local folder or s3://bucket/prefix/",
        ),
    ],  # fmt: skip
)
def test_an_inbox_location_that_is_neither_is_refused_naming_it(
    location: str, message: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        parse_inbox_location(location)
    assert str(raised.value) == message
