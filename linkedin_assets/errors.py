"""The project's one error hierarchy.

    LinkedInAssetsError
    ├── InvalidProfileUrl (also ValueError)   input that is not a LinkedIn member-profile URL or ID
    ├── ConfigurationError                    unknown environment, missing or contradictory settings
    ├── CaptureError                          the browser could not capture a profile
    │   ├── ProfileNotFound                   404 / "Profile Not Found"
    │   └── ProfileBlocked                    auth wall, login/checkpoint redirect, HTTP 999 / 429
    │       └── RateLimited                   the site says we are going too fast
    ├── ExtractionError                       stored HTML missing or not a profile page
    ├── CheckFailed                           a blocking asset check failed for a profile
    └── StorageError                          S3 or DynamoDB refused, or failed after retries
        │                                     (``transient``: may succeed later; the profile is
        │                                     retried, then deferred)
        ├── ObjectNotFound                    an object we expected is not there
        └── UploadFailed                      an upload failed after botocore's retries

Resources translate botocore and Playwright errors at the boundary (``raise X(...) from exc``) so
assets and logs speak these words. Messages name the input and what is wrong, and never carry a
credential.
"""

from __future__ import annotations


class LinkedInAssetsError(Exception):
    """Base of every error this project raises on purpose."""


class InvalidProfileUrl(LinkedInAssetsError, ValueError):
    """Input that is not a LinkedIn member-profile URL (or profile ID)."""

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"invalid profile URL {value!r}: {reason}")


class ConfigurationError(LinkedInAssetsError):
    """Unknown environment, a missing setting, or settings that contradict each other."""


class CaptureError(LinkedInAssetsError):
    """The browser could not capture a profile page."""

    kind = "capture_failed"

    def __init__(self, profile_id: str, url: str, reason: str) -> None:
        self.profile_id = profile_id
        self.url = url
        self.reason = reason
        super().__init__(f"profile {profile_id!r} at {url}: {reason}")


class ProfileNotFound(CaptureError):
    """The site answered 404 or showed its "Profile Not Found" page."""

    kind = "not_found"


class ProfileBlocked(CaptureError):
    """The site put up an auth wall, a login or checkpoint page, or refused the request."""

    kind = "blocked"


class RateLimited(ProfileBlocked):
    """The site is rate limiting us (HTTP 999 / 429 / "too many requests")."""

    kind = "rate_limited"


class NotVisited(CaptureError):
    """The run stopped visiting the site (it kept rate limiting): the profile waits for later."""

    kind = "deferred"


class ExtractionError(LinkedInAssetsError):
    """The stored HTML of a profile is missing or is not a profile page."""


class CheckFailed(LinkedInAssetsError):
    """A blocking asset check failed, so the assets downstream of it are not written."""


class StorageError(LinkedInAssetsError):
    """S3 or DynamoDB refused a request or failed after retries.

    ``transient`` says whether the same request may well succeed later (5xx, throttling, a reset
    or a timeout: the pipeline retries the profile, then defers it); ``attempts`` and
    ``duration_s`` are what the failed request cost, for the upload metrics.
    """

    def __init__(
        self, message: str, *, transient: bool = False, attempts: int = 0, duration_s: float = 0.0
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.attempts = attempts
        self.duration_s = duration_s


class ObjectNotFound(StorageError):
    """An S3 object that should exist does not."""


class UploadFailed(StorageError):
    """An upload failed for good (after botocore's own retries, or at once for client errors)."""
