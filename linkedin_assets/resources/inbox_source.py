"""Where profile-URL files arrive: a local folder or an ``s3://bucket/prefix/``.

Only top-level inbox files are listed (``inbox.is_inbox_file``); rejects reports go to a
``_rejects/`` folder inside the inbox, which the listing skips. Whoever can drop a file in the inbox
is not trusted with anything else the pipeline can reach, so a local inbox:

- lists and opens regular files only: a symbolic link (to ``~/.aws/credentials``,
  ``/proc/self/environ`` …), a FIFO or a device is skipped and reported by name, never read.
  The open itself (``O_NOFOLLOW | O_NONBLOCK``, then ``fstat``) refuses one swapped in after
  the listing;
- reads a byte range of the version it listed, or fails (the file changed: the next tick
  reads it);
- writes a report with ``O_NOFOLLOW | O_EXCL`` to a temporary name inside a ``_rejects`` that is
  opened as a directory with ``O_NOFOLLOW``, then renames it over the report: a symlinked
  ``_rejects/`` or report file is never followed.

An S3 inbox reads byte ranges with ``If-Match`` on the listed ETag, for the same reasons.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import botocore.exceptions

from linkedin_assets.core.inbox import is_inbox_file, shown_name
from linkedin_assets.errors import ConfigurationError, StorageError
from linkedin_assets.resources.aws import error_code

REJECTS_FOLDER = "_rejects"
REPORT_MODE = 0o640


@dataclass(frozen=True)
class InboxFile:
    version: str  # changes whenever the content may have changed
    size: int


@dataclass
class Listing:
    files: dict[str, InboxFile] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # name -> why it is not read


class NotRegularFile(StorageError):
    """An inbox entry that is a symlink, FIFO, device or folder: skipped, never read."""

    def __init__(self, name: str, kind: str) -> None:
        self.name = name
        self.reason = f"not a regular file ({kind}): skipped, never read"
        super().__init__(f"{shown_name(name)}: {self.reason}")


class InboxFileChanged(StorageError):
    """The file changed or went away between the listing and the read."""


class InboxSource(Protocol):
    description: str

    def listing(self) -> Listing: ...

    def read(self, name: str, version: str, offset: int, length: int) -> bytes:
        """``length`` bytes of ``name`` from ``offset`` (fewer only at its end), if it is still
        at ``version``; else ``InboxFileChanged``."""
        ...

    def write_report(self, name: str, content: str) -> str:
        """Store a report beside the inbox; return where it went."""
        ...


def _kind(mode: int) -> str:
    kinds = {
        stat.S_ISLNK: "a symbolic link",
        stat.S_ISFIFO: "a FIFO",
        stat.S_ISDIR: "a folder",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    return next((kind for test, kind in kinds.items() if test(mode)), "not a regular file")


def _local_version(st: os.stat_result) -> str:
    return f"{st.st_mtime_ns}:{st.st_size}"


class LocalInbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = str(path)

    def listing(self) -> Listing:
        found = Listing()
        if not self.path.is_dir():
            return found
        with os.scandir(self.path) as entries:
            for entry in entries:
                if not is_inbox_file(entry.name):
                    continue
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode):
                    found.files[entry.name] = InboxFile(_local_version(st), st.st_size)
                else:
                    found.skipped[entry.name] = NotRegularFile(entry.name, _kind(st.st_mode)).reason
        return found

    def read(self, name: str, version: str, offset: int, length: int) -> bytes:
        where = shown_name(str(self.path / name))
        folder = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            try:
                # O_NONBLOCK: opening a FIFO must not wait for a writer before fstat refuses it.
                flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
                fd = os.open(name, flags, dir_fd=folder)
            except OSError as exc:
                if exc.errno == errno.ELOOP:  # what O_NOFOLLOW answers for a symlink
                    raise NotRegularFile(name, "a symbolic link") from exc
                raise
        finally:
            os.close(folder)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise NotRegularFile(name, _kind(st.st_mode))
            if _local_version(st) != version:
                raise InboxFileChanged(f"{where} changed while it was being read")
            return os.pread(fd, length, offset)
        finally:
            os.close(fd)

    def write_report(self, name: str, content: str) -> str:
        folder = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            with contextlib.suppress(FileExistsError):
                os.mkdir(REJECTS_FOLDER, 0o750, dir_fd=folder)
            target = self.path / REJECTS_FOLDER
            try:
                reports = os.open(
                    REJECTS_FOLDER,
                    os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                    dir_fd=folder,
                )
            except OSError as exc:
                raise StorageError(
                    f"{shown_name(str(target))} is not a plain folder (a symbolic link or a "
                    f"file?): no report written there ({exc.strerror})"
                ) from exc
        finally:
            os.close(folder)
        try:
            _replace_file(reports, name, content.encode("utf-8"))
        finally:
            os.close(reports)
        return str(target / name)


def _replace_file(folder: int, name: str, body: bytes) -> None:
    """Write ``name`` in ``folder`` through a fresh temporary file and a rename: an existing
    ``name`` (even a symlink) is replaced, never written through."""
    temporary = f".{secrets.token_hex(8)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(temporary, flags, REPORT_MODE, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary, dir_fd=folder)
        raise


class S3Inbox:
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.description = f"s3://{bucket}/{prefix}"

    def listing(self) -> Listing:
        found = Listing()
        paginator = self.client.get_paginator("list_objects_v2")
        # Delimiter keeps the listing to the inbox's own level (no _rejects/, no sub-folders).
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix, Delimiter="/"):
            for obj in page.get("Contents", []):
                name = obj["Key"][len(self.prefix) :]
                if is_inbox_file(name):
                    found.files[name] = InboxFile(obj["ETag"].strip('"'), int(obj["Size"]))
        return found

    def read(self, name: str, version: str, offset: int, length: int) -> bytes:
        where = shown_name(f"s3://{self.bucket}/{self.prefix}{name}")
        if length <= 0:
            return b""
        try:
            response = self.client.get_object(
                Bucket=self.bucket,
                Key=self.prefix + name,
                Range=f"bytes={offset}-{offset + length - 1}",
                IfMatch=f'"{version}"',
            )
            body: bytes = response["Body"].read()
            return body
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            code = error_code(exc)
            if "PreconditionFailed" in code or "NoSuchKey" in code:
                raise InboxFileChanged(f"{where} changed while it was being read") from exc
            raise StorageError(f"{where}: {code}") from exc

    def write_report(self, name: str, content: str) -> str:
        key = f"{self.prefix}{REJECTS_FOLDER}/{name}"
        body = content.encode("utf-8")
        self.client.put_object(
            Bucket=self.bucket, Key=key, Body=body, ContentType="text/csv; charset=utf-8",
            ServerSideEncryption="AES256", ChecksumAlgorithm="SHA256",
            Metadata={"sha256": hashlib.sha256(body).hexdigest()},
        )  # fmt: skip
        return f"s3://{self.bucket}/{key}"


def parse_inbox_location(location: str) -> tuple[str, str, str]:
    """``("local", path, "")`` or ``("s3", bucket, prefix)`` for ``PROFILE_URL_INBOX``."""
    location = location.strip()
    if location.startswith("s3://"):
        parsed = urllib.parse.urlsplit(location)
        if not parsed.netloc:
            raise ConfigurationError(f"PROFILE_URL_INBOX={location!r} names no bucket")
        prefix = parsed.path.lstrip("/")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        return "s3", parsed.netloc, prefix
    if "://" in location:
        raise ConfigurationError(
            f"PROFILE_URL_INBOX={location!r}: use a local folder or s3://bucket/prefix/"
        )
    return "local", location, ""
