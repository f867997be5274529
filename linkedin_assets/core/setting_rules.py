"""What a setting read at load may hold: one small check per kind of value, and one way to read it.

A bad value stops the code location's load (and every command) with a one-line
``ConfigurationError`` naming the variable, the value and what is allowed. Without it ``nan``
turned politeness off (``max(0.0, nan)`` is ``0.0``), a zero batch size loaded and then raised on
every tick, and a bad cron or ``AWS_MAX_ATTEMPTS=abc`` buried the reason in a long traceback.

The table of which setting follows which rule is ``linkedin_assets.settings.SETTINGS``: one of its
rules, the refresh cron, is Dagster's own check, and this module stays free of Dagster. An unset or
blank variable is ``None``: the caller's default applies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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
class KeyPrefix:
    """An S3 key prefix the storage layout accepts (no ``..``, no reserved prefix)."""

    def __call__(self, text: str) -> str:
        try:
            return normalise_prefix(text)
        except ValueError as exc:
            raise ValueError(f"is not a usable S3 key prefix: {exc}") from None


@dataclass(frozen=True)
class MetricNamespace:
    """A CloudWatch namespace PutMetricData accepts: 1–255 printable ASCII characters, not
    starting with ``:`` nor with ``AWS/`` (AWS's own services' namespaces)."""

    def __call__(self, text: str) -> str:
        if len(text) > 255 or not all(" " <= char <= "~" for char in text):
            raise ValueError(
                "is not a CloudWatch namespace; allowed: 1–255 printable ASCII characters"
            )
        if text.startswith(":") or text.upper().startswith("AWS/"):
            raise ValueError("may not start with ':' or 'AWS/'; allowed: a CloudWatch namespace")
        return text


@dataclass(frozen=True)
class SqsQueueArn:
    """An SQS queue's ARN, ``arn:<partition>:sqs:<region>:<12-digit account>:<queue name>``."""

    def __call__(self, text: str) -> str:
        if text.endswith(".fifo"):
            raise ValueError("is a FIFO queue, which S3 event notifications cannot send to")
        if not _SQS_ARN.fullmatch(text):
            raise ValueError(
                "is not an SQS queue ARN; allowed: arn:aws:sqs:<region>:<12-digit account>:<name>"
            )
        return text


# Queue names: 1 to 80 letters, digits, hyphens and underscores.
_SQS_ARN = re.compile(r"arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}")


def queue_arn_parts(arn: str) -> tuple[str, str, str]:
    """``(region, account, name)`` of a queue ARN ``SqsQueueArn`` accepts."""
    _, _, _, region, account, name = arn.split(":")  # a queue name has no ":"
    return region, account, name


Rule = Callable[[str], Any]


def read_setting(name: str, rule: Rule, environ: Mapping[str, str]) -> Any:
    """``name``'s value in ``environ``, checked against ``rule``; ``None`` if unset or blank."""
    raw = environ.get(name, "")
    if not raw.strip():
        return None
    try:
        return rule(raw.strip())
    except ValueError as exc:
        raise ConfigurationError(f"{name}={_shown(raw)} {exc}") from None


def _shown(raw: str) -> str:
    cut = raw if len(raw) <= _SHOWN_LENGTH else raw[:_SHOWN_LENGTH] + "…"
    return repr(cut)
