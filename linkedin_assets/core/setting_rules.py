"""What each setting read at load may hold: one table, one small check per kind of value.

A bad value stops the code location's load (and every command) with a one-line
``ConfigurationError`` naming the variable, the value and what is allowed. Without it ``nan``
turned politeness off (``max(0.0, nan)`` is ``0.0``), a zero batch size loaded and then raised on
every tick, and a bad cron or ``AWS_MAX_ATTEMPTS=abc`` buried the reason in a long traceback.

A new setting is one line in ``SETTINGS``; ``setting(name, environ)`` reads and checks it. An unset
or blank variable is ``None``: the caller's default applies.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import dagster as dg

from linkedin_assets.core.storage_layout import normalise_prefix
from linkedin_assets.errors import ConfigurationError

# A pasted file or a stray newline must not turn the one-line error into many lines.
_SHOWN_LENGTH = 80


@dataclass(frozen=True)
class IntRange:
    """A whole number from ``low`` to ``high``, both included (as ``int()`` and Dagster's
    ``EnvVar.int`` read it)."""

    low: int
    high: int

    def __call__(self, text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"is not a whole number; allowed: {self.allowed}") from None
        if not self.low <= value <= self.high:
            raise ValueError(f"is out of range; allowed: {self.allowed}")
        return value

    @property
    def allowed(self) -> str:
        return f"a whole number from {self.low} to {self.high}"


@dataclass(frozen=True)
class FloatRange:
    """A finite number from ``low`` to ``high``, both included; ``nan`` and ``inf`` are not."""

    low: float
    high: float

    def __call__(self, text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"is not a number; allowed: {self.allowed}") from None
        if not math.isfinite(value):
            raise ValueError(f"is not a finite number; allowed: {self.allowed}")
        if not self.low <= value <= self.high:
            raise ValueError(f"is out of range; allowed: {self.allowed}")
        return value

    @property
    def allowed(self) -> str:
        return f"a number from {self.low:g} to {self.high:g}"


@dataclass(frozen=True)
class Cron:
    """A cron expression Dagster's schedules accept (5 fields, or ``@daily`` and the like)."""

    def __call__(self, text: str) -> str:
        try:
            # Dagster's own check, through its public constructor: the schedule built from this
            # value later can then not fail on it.
            dg.ScheduleDefinition(name="cron_check", cron_schedule=text, job_name="cron_check")
        except dg.DagsterInvalidDefinitionError:
            raise ValueError(
                "is not a cron expression Dagster accepts; allowed: 5 fields, e.g. '0 3 * * *'"
            ) from None
        return text


@dataclass(frozen=True)
class KeyPrefix:
    """An S3 key prefix the storage layout accepts (no ``..``, no reserved prefix)."""

    def __call__(self, text: str) -> str:
        try:
            return normalise_prefix(text)
        except ValueError as exc:
            raise ValueError(f"is not a usable S3 key prefix: {exc}") from None


Rule = Callable[[str], Any]

SETTINGS: Final[Mapping[str, Rule]] = {
    "AWS_MAX_ATTEMPTS": IntRange(1, 50),
    "LINKEDIN_NAVIGATION_TIMEOUT_S": IntRange(1, 600),
    "LINKEDIN_MAX_PAGE_MB": IntRange(1, 1024),
    "LINKEDIN_MAX_CONSECUTIVE_BLOCKS": IntRange(1, 1000),
    "LINKEDIN_BLOCK_BACKOFF_S": IntRange(0, 3600),
    "LINKEDIN_MAX_CONCURRENT_PAGES": IntRange(1, 64),
    "LINKEDIN_MIN_DELAY_S": FloatRange(0, 3600),
    "LINKEDIN_DELAY_JITTER": FloatRange(0, 1),
    "LINKEDIN_MAX_SCREENSHOT_PIXELS": IntRange(1, 1_000_000_000),
    "LINKEDIN_MAX_SCREENSHOT_MB": IntRange(1, 1024),
    "PROFILE_UPLOAD_WORKERS": IntRange(1, 256),
    "PROFILE_STORAGE_RETRY_ROUNDS": IntRange(1, 100),
    "PROFILE_STORAGE_RETRY_PAUSE_S": FloatRange(0, 3600),
    "PROFILE_STORAGE_RETRY_MAX_S": FloatRange(0, 86_400),
    "PROFILE_STORAGE_SLOWDOWN_S": FloatRange(0, 3600),
    "PROFILE_RUN_BATCH_SIZE": IntRange(1, 10_000),
    "PROFILE_INTAKE_MAX_LINES_PER_TICK": IntRange(1, 1_000_000),
    "PROFILE_INTAKE_STABLE_AFTER_S": FloatRange(0, 86_400),
    "PROFILE_REFRESH_MAX_AGE_DAYS": IntRange(1, 3650),
    "PROFILE_REFRESH_MAX_PROFILES_PER_TICK": IntRange(1, 1_000_000),
    "PROFILE_URL_SENSOR_INTERVAL_S": IntRange(1, 86_400),
    "PROFILE_REFRESH_CRON": Cron(),
    "S3_SCREENSHOT_PREFIX": KeyPrefix(),
    "S3_PROFILE_TEXT_PREFIX": KeyPrefix(),
}


def setting(name: str, environ: Mapping[str, str]) -> Any:
    """``name``'s value in ``environ``, checked against its rule; ``None`` if unset or blank."""
    rule = SETTINGS.get(name)
    if rule is None:
        # A programming mistake, not a configuration one: every setting read must have a rule.
        raise KeyError(f"setting {name} has no rule in linkedin_assets.core.setting_rules.SETTINGS")
    raw = environ.get(name, "")
    if not raw.strip():
        return None
    try:
        return rule(raw.strip())
    except ValueError as exc:
        raise ConfigurationError(f"{name}={_shown(raw)} {exc}") from None


def check_settings(environ: Mapping[str, str]) -> None:
    """Check every setting of the table that ``environ`` sets; the first bad one raises."""
    for name in SETTINGS:
        setting(name, environ)


def _shown(raw: str) -> str:
    cut = raw if len(raw) <= _SHOWN_LENGTH else raw[:_SHOWN_LENGTH] + "…"
    return repr(cut)
