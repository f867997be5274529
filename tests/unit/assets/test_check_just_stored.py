"""``screenshots_stored`` right after an upload: S3's own checksum stands in for reading the
object back, and anything that does not match is read as usual (moto's in-process S3)."""

from __future__ import annotations

from typing import Any

import pytest

from linkedin_assets.assets import profile_screenshots
from linkedin_assets.core.storage_layout import StorageLayout
from linkedin_assets.resources.browser import PageCapture, ProfileCapture
from linkedin_assets.resources.configured import ProfileStorage
from linkedin_assets.resources.object_store import S3ObjectStore
from tests.conftest import BUCKET

PNG = b"\x89PNG\r\n\x1a\n" + b"\1" * 64


class CountingStore(S3ObjectStore):
    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.gets: list[str] = []

    def get(self, bucket: str, key: str, byte_range: str | None = None) -> bytes:
        self.gets.append(key)
        return super().get(bucket, key, byte_range)


@pytest.fixture
def store(aws: dict) -> CountingStore:
    return CountingStore(aws["s3"])


def capture(with_activity: bool = True) -> ProfileCapture:
    url = "https://x/in/ada-lovelace/"
    page = PageCapture(url, url, 200, "<html></html>", PNG)
    activity = PageCapture(url + "recent-activity/all/", url, 200, "<html></html>", PNG + b"a")
    return ProfileCapture(
        "ada-lovelace", page, activity if with_activity else None,
        None if with_activity else "activity page not_found: HTTP 404", "2026-01-01T00:00:00Z",
    )  # fmt: skip


def test_just_stored_needs_no_read_back(store: CountingStore) -> None:
    storage = ProfileStorage(store, StorageLayout(), BUCKET, BUCKET)
    taken = capture()
    puts = profile_screenshots.store_capture(storage, taken)
    store.gets.clear()
    result = profile_screenshots.check_stored(
        storage, "ada-lovelace", profile_screenshots.JustStored.of(taken, puts)
    )
    assert result.passed, result.description
    assert store.gets == []  # no manifest, no first bytes: the HEADs sufficed
    assert result.metadata["observed"]["activity"]["png"] is True


def test_an_object_replaced_after_the_upload_is_read_and_caught(
    store: CountingStore, aws: dict
) -> None:
    storage = ProfileStorage(store, StorageLayout(), BUCKET, BUCKET)
    taken = capture()
    puts = profile_screenshots.store_capture(storage, taken)
    aws["s3"].put_object(
        Bucket=BUCKET, Key="screenshots/ada-lovelace-profile.png", Body=b"<html>not a png",
        ContentType="image/png", ServerSideEncryption="AES256", ChecksumAlgorithm="SHA256",
    )  # fmt: skip
    store.gets.clear()
    result = profile_screenshots.check_stored(
        storage, "ada-lovelace", profile_screenshots.JustStored.of(taken, puts)
    )
    assert not result.passed
    assert "screenshots/ada-lovelace-profile.png is not a PNG" in result.description
    assert store.gets == ["screenshots/ada-lovelace-profile.png"]


def test_a_missing_activity_page_is_not_expected(store: CountingStore) -> None:
    storage = ProfileStorage(store, StorageLayout(), BUCKET, BUCKET)
    taken = capture(with_activity=False)
    puts = profile_screenshots.store_capture(storage, taken)
    result = profile_screenshots.check_stored(
        storage, "ada-lovelace", profile_screenshots.JustStored.of(taken, puts)
    )
    assert result.passed and result.description == "1 screenshot(s) stored"
