"""Where profile-URL files arrive: a local folder or an ``s3://bucket/prefix/``.

Only top-level inbox files are listed (``inbox.is_inbox_file``); rejects reports go to a
``_rejects/`` folder inside the inbox, which the listing skips.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from pathlib import Path
from typing import Any, Protocol

import botocore.exceptions

from linkedin_assets.errors import ConfigurationError, StorageError
from linkedin_assets.inbox import is_inbox_file
from linkedin_assets.resources.aws import error_code

REJECTS_FOLDER = "_rejects"


class InboxSource(Protocol):
    description: str

    def listing(self) -> dict[str, str]:
        """File name → version (changes whenever the content may have changed)."""
        ...

    def read(self, name: str) -> bytes: ...

    def write_report(self, name: str, content: str) -> str:
        """Store a report beside the inbox; return where it went."""
        ...


class LocalInbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = str(path)

    def listing(self) -> dict[str, str]:
        if not self.path.is_dir():
            return {}
        found = {}
        for entry in self.path.iterdir():
            if entry.is_file() and is_inbox_file(entry.name):
                stat = entry.stat()
                found[entry.name] = f"{stat.st_mtime_ns}:{stat.st_size}"
        return found

    def read(self, name: str) -> bytes:
        return (self.path / name).read_bytes()

    def write_report(self, name: str, content: str) -> str:
        target = self.path / REJECTS_FOLDER / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        return str(target)


class S3Inbox:
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.description = f"s3://{bucket}/{prefix}"

    def listing(self) -> dict[str, str]:
        found = {}
        paginator = self.client.get_paginator("list_objects_v2")
        # Delimiter keeps the listing to the inbox's own level (no _rejects/, no sub-folders).
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix, Delimiter="/"):
            for obj in page.get("Contents", []):
                name = obj["Key"][len(self.prefix) :]
                if is_inbox_file(name):
                    found[name] = obj["ETag"].strip('"')
        return found

    def read(self, name: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)["Body"].read()
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise StorageError(
                f"s3://{self.bucket}/{self.prefix}{name}: {error_code(exc)}"
            ) from exc

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
