"""The project's one error hierarchy.

    LinkedInAssetsError                      kind               what
    ├── InvalidProfileUrl (also ValueError)  internal_error     not a member-profile URL or ID
    ├── ConfigurationError                   internal_error     unknown environment, bad settings
    ├── ProvisioningError                    internal_error     bucket 403, wrong table key
    ├── InvalidDocument (also ValueError)    internal_error     a document that breaks the schema
    ├── ProfileInUse                         internal_error     forget refused: a run covers it
    ├── CaptureError                         capture_failed     the browser could not capture it
    │   ├── ProfileNotFound                  not_found ‡        404 / "Profile Not Found"
    │   ├── ProfileBlocked                   blocked            refused, off the site, no profile
    │   │   ├── AuthWall                     blocked ‡          sign-in wall, seen anonymously
    │   │   ├── SessionExpired               session_expired *  sign-in wall, seen signed in
    │   │   └── RateLimited                  rate_limited *     the site says we go too fast
    │   └── NotVisited                       deferred *         the run stopped visiting the site
    ├── ExtractionError                      extraction_failed  stored HTML missing or no profile
    ├── CheckFailed                          check_failed       a blocking asset check failed
    └── StorageError                         storage_failed     S3 or DynamoDB refused or gave up
        ├── ObjectNotFound                   storage_failed     an expected object is not there
        ├── UploadFailed                     storage_failed     an upload failed after retries
        ├── NotRegularFile †                 storage_failed     an inbox entry that is no file
        └── InboxFileChanged †               storage_failed     an inbox file changed as we read

    * ``defers``: the profile waits for a later run instead of failing.
    ‡ ``records`` (``not_found``, ``auth_wall``): the site's answer is data about the profile (it
      is gone, or hidden from logged-out viewers): recorded in the index item and the partition's
      observation, not a failure.
    † defined beside the inbox source (``resources/inbox_source.py``), the one place that raises
      and handles them (the intake tick skips the file).

``kind`` is the failure kind a profile records when the error ends its stages
(docs/architecture.md, "Failure kinds"); ``defers`` says the profile is deferred to a later run
rather than failed: not the profile's fault; ``records`` says the error is the site's answer
about the profile, which the pipeline records instead of failing it. A ``StorageError`` with
``transient`` set may succeed later: the pipeline retries the profile, then defers it as
``storage_unavailable``. The errors
above ``CaptureError`` say nothing about one profile's page (bad input or settings, a document our
own extractor built wrong, a refused forget): should one end a profile's stages it is a bug, so
it is ``internal_error`` (its traceback is logged), as any exception not ours; ``kind_of`` and
``defers_profile`` answer for both.

Resources translate botocore and Playwright errors at the boundary (``raise X(...) from exc``) so
assets and logs speak these words. Messages name the input and what is wrong, and never carry a
credential.
"""

from __future__ import annotations

INTERNAL_ERROR = "internal_error"


class LinkedInAssetsError(Exception):
    """Base of every error this project raises on purpose."""

    kind: str = INTERNAL_ERROR
    defers: bool = False
    # The outcome recorded instead of a failure (``records_outcome``), if the error is one.
    records: str | None = None


class InvalidProfileUrl(LinkedInAssetsError, ValueError):
    """Input that is not a LinkedIn member-profile URL (or profile ID)."""

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"invalid profile URL {value!r}: {reason}")


class ConfigurationError(LinkedInAssetsError):
    """Unknown environment, a missing setting, or settings that contradict each other."""


class ProvisioningError(LinkedInAssetsError):
    """``provision`` was refused a read (403), or found drift it must not repair (a table's key)."""


class InvalidDocument(LinkedInAssetsError, ValueError):
    """A profile document that does not match docs/profile.schema.json."""


class ProfileInUse(LinkedInAssetsError):
    """A run that has not finished covers a profile that was asked to be forgotten."""


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
    records = "not_found"


class ProfileBlocked(CaptureError):
    """The site put up an auth wall, a login or checkpoint page, or refused the request."""

    kind = "blocked"


class AuthWall(ProfileBlocked):
    """The site asks to sign in (auth wall, login page or form) instead of showing the profile,
    to a browser without a session: the member shows the profile to signed-in members only."""

    records = "auth_wall"


class SessionExpired(ProfileBlocked):
    """An auth wall although the browser is signed in (``LINKEDIN_STORAGE_STATE``): the session
    has expired or was revoked. The operator's problem, not the profile's: the run stops visiting
    the site, defers the rest and fails once, saying what to renew."""

    kind = "session_expired"
    defers = True


class RateLimited(ProfileBlocked):
    """The site is rate limiting us (HTTP 999 / 429 / "too many requests")."""

    kind = "rate_limited"
    defers = True


class NotVisited(CaptureError):
    """The run stopped visiting the site (it kept rate limiting): the profile waits for later."""

    kind = "deferred"
    defers = True


class ExtractionError(LinkedInAssetsError):
    """The stored HTML of a profile is missing or is not a profile page."""

    kind = "extraction_failed"


class CheckFailed(LinkedInAssetsError):
    """A blocking asset check failed, so the assets downstream of it are not written."""

    kind = "check_failed"


class StorageError(LinkedInAssetsError):
    """S3 or DynamoDB refused a request or failed after retries.

    ``transient`` says whether the same request may well succeed later (5xx, throttling, a reset
    or a timeout: the pipeline retries the profile, then defers it); ``attempts`` and
    ``duration_s`` are what the failed request cost, for the upload metrics. A transient error
    does not defer by itself: the profile is retried first (``assets/pipeline.py``).
    """

    kind = "storage_failed"

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


def kind_of(exc: BaseException) -> str:
    """The failure kind ``exc`` gives a profile: its class's ``kind`` if it is one of ours, else
    ``internal_error`` (a bug: the pipeline logs its traceback)."""
    return exc.kind if isinstance(exc, LinkedInAssetsError) else INTERNAL_ERROR


def defers_profile(exc: BaseException) -> bool:
    """Whether ``exc`` defers the profile to a later run instead of failing it."""
    return isinstance(exc, LinkedInAssetsError) and exc.defers


def records_outcome(exc: BaseException) -> str | None:
    """The outcome recorded for ``exc`` (``not_found``, ``auth_wall``) when it is the site's
    answer about the profile rather than a failure; else ``None``."""
    return exc.records if isinstance(exc, LinkedInAssetsError) else None
