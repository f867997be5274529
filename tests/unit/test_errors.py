"""errors.py: every error says its failure kind and whether it defers the profile; every error the
project raises on purpose sits in the one hierarchy, and stays importable where it was."""

import inspect
import re

import pytest

from linkedin_assets import errors
from linkedin_assets.errors import (
    AuthWall,
    CaptureError,
    CheckFailed,
    ConfigurationError,
    ExtractionError,
    InvalidDocument,
    InvalidProfileUrl,
    LinkedInAssetsError,
    NotVisited,
    ObjectNotFound,
    ProfileBlocked,
    ProfileInUse,
    ProfileNotFound,
    ProvisioningError,
    RateLimited,
    SessionExpired,
    StorageError,
    UploadFailed,
    defers_profile,
    kind_of,
    records_outcome,
)

# The failure kinds of docs/architecture.md, and the pipeline's isinstance ladder they replace.
EXPECTED: list[tuple[BaseException, str, bool]] = [
    (CaptureError("a", "u", "timeout"), "capture_failed", False),
    (ProfileNotFound("a", "u", "404"), "not_found", False),
    (ProfileBlocked("a", "u", "left the site"), "blocked", False),
    (AuthWall("a", "u", "redirected to /authwall"), "blocked", False),
    (SessionExpired("a", "u", "redirected to /authwall"), "session_expired", True),
    (RateLimited("a", "u", "HTTP 999"), "rate_limited", True),
    (NotVisited("a", "u", "the site kept rate limiting"), "deferred", True),
    (ExtractionError("x"), "extraction_failed", False),
    (CheckFailed("x"), "check_failed", False),
    (StorageError("x"), "storage_failed", False),
    # A transient storage error is retried, then deferred, by the pipeline: not by its class.
    (StorageError("x", transient=True), "storage_failed", False),
    (ObjectNotFound("x"), "storage_failed", False),
    (UploadFailed("x"), "storage_failed", False),
    (InvalidProfileUrl("x", "not a URL"), "internal_error", False),
    (ConfigurationError("x"), "internal_error", False),
    (ProvisioningError("x"), "internal_error", False),
    (InvalidDocument("x"), "internal_error", False),
    (ProfileInUse("x"), "internal_error", False),
    (LinkedInAssetsError("x"), "internal_error", False),
    (KeyError("x"), "internal_error", False),
    (RuntimeError("x"), "internal_error", False),
    (KeyboardInterrupt(), "internal_error", False),
]


@pytest.mark.parametrize(
    ("exc", "kind", "defers"), EXPECTED, ids=[type(e).__name__ for e, _, _ in EXPECTED]
)
def test_each_error_says_its_kind_and_whether_it_defers(
    exc: BaseException, kind: str, defers: bool
) -> None:
    assert kind_of(exc) == kind
    assert defers_profile(exc) is defers


# The site's answers about a profile that are data, recorded instead of failing it.
RECORDED = (ProfileNotFound, AuthWall)


@pytest.mark.parametrize(
    "exc", [e for e, _, _ in EXPECTED], ids=[type(e).__name__ for e, _, _ in EXPECTED]
)
def test_only_the_sites_answers_about_a_profile_are_recorded(exc: BaseException) -> None:
    assert (records_outcome(exc) is not None) is (type(exc) in RECORDED)
    # A recorded outcome is never deferred: it is the site's answer, and final for a while.
    assert not (records_outcome(exc) and defers_profile(exc))


def test_a_recorded_outcome_names_what_the_index_records() -> None:
    assert records_outcome(ProfileNotFound("a", "u", "404")) == "not_found"
    assert records_outcome(AuthWall("a", "u", "redirected to /authwall")) == "auth_wall"
    assert records_outcome(SessionExpired("a", "u", "redirected to /authwall")) is None


def _error_classes() -> list[type[LinkedInAssetsError]]:
    return [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if cls.__module__ == errors.__name__
    ]


def test_every_class_of_errors_py_is_in_the_hierarchy_and_in_the_table() -> None:
    classes = _error_classes()
    assert all(issubclass(cls, LinkedInAssetsError) for cls in classes)
    assert {type(exc) for exc, _, _ in EXPECTED if isinstance(exc, LinkedInAssetsError)} == set(
        classes
    )
    for cls in classes:
        assert isinstance(cls.kind, str) and isinstance(cls.defers, bool)


def test_the_docstring_draws_every_class_with_its_kind() -> None:
    drawn = {
        m.group(1): m.group(2)
        for m in re.finditer(r"── (\w+)(?: \(also \w+\))?(?: †)?\s+(\w+)", errors.__doc__ or "")
        if m.group(1) in vars(errors)
    }
    assert drawn == {
        cls.__name__: cls.kind for cls in _error_classes() if cls is not LinkedInAssetsError
    }


def test_value_errors_stay_value_errors() -> None:
    # Callers catch these as ValueError (documents read back, profile IDs parsed).
    assert issubclass(InvalidDocument, ValueError) and issubclass(InvalidProfileUrl, ValueError)


def test_moved_errors_are_importable_where_they_were() -> None:
    from linkedin_assets.commands.forget import ProfileInUse as from_forget
    from linkedin_assets.core.documents import InvalidDocument as from_documents

    assert from_forget is ProfileInUse and from_documents is InvalidDocument


# Exceptions that never leave their module: each is translated at the boundary into one of ours.
MODULE_INTERNAL = {
    "linkedin_assets.commands.cli._ConfigurationProblem": "a ConfigurationError, shown by click",
    "linkedin_assets.resources.browser.PageTooLarge": "surfaces as CaptureError",
    "linkedin_assets.resources.browser.ScreenshotTooLarge": "surfaces as CaptureError",
    "linkedin_assets.resources.browser.LeftSite": "surfaces as ProfileBlocked",
    "linkedin_assets.resources.browser.NoAnswer": "a browser call past its deadline; surfaces as CaptureError",
    "linkedin_assets.testing.postgres.PostgresUnavailable": "a test tool's, skips a test tier",
}


def _exceptions_of_the_package() -> dict[str, type[BaseException]]:
    import pkgutil
    from importlib import import_module

    import linkedin_assets

    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(linkedin_assets.__path__, "linkedin_assets."):
        # Run as programs, never imported: moto_server patches moto's recorder when imported.
        if info.name.endswith(("__main__", "moto_server")):
            continue
        module = import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, BaseException):
                found[f"{module.__name__}.{name}"] = cls
    return found


def test_every_error_raised_on_purpose_is_in_the_drawn_hierarchy() -> None:
    found = _exceptions_of_the_package()
    outside = {name for name, cls in found.items() if not issubclass(cls, LinkedInAssetsError)}
    assert outside == set(MODULE_INTERNAL)
    drawn = set(re.findall(r"── (\w+)", errors.__doc__ or ""))
    ours = {cls.__name__ for cls in found.values() if issubclass(cls, LinkedInAssetsError)}
    assert ours - {"LinkedInAssetsError"} == drawn
