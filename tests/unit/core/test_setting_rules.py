"""The rules a setting's value must follow (`core/setting_rules.py`), at their edges and with
their whole messages; which setting follows which rule is tests/unit/test_settings.py."""

from __future__ import annotations

import pytest

from linkedin_assets.core.setting_rules import (
    FloatRange,
    IntRange,
    MetricNamespace,
    SqsQueueArn,
    queue_arn_parts,
    read_setting,
)
from linkedin_assets.errors import ConfigurationError

NOT_A_NAMESPACE = "is not a CloudWatch namespace; allowed: 1–255 printable ASCII characters"
RESERVED = "may not start with ':' or 'AWS/'; allowed: a CloudWatch namespace"


@pytest.mark.parametrize("text", ["a" * 255, "My App/Prod", "~tilde~", " x ", "a:b", "MyAWS/x"])
def test_metric_namespaces_accepted_up_to_255_printable_characters(text: str) -> None:
    assert MetricNamespace()(text) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a" * 256, NOT_A_NAMESPACE),
        ("tab\there", NOT_A_NAMESPACE),  # below the space
        ("del\x7f", NOT_A_NAMESPACE),  # above the tilde
        ("é", NOT_A_NAMESPACE),
        (":x", RESERVED),
        ("aws/EC2", RESERVED),
    ],
)
def test_metric_namespaces_refused_with_the_whole_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        MetricNamespace()(text)
    assert str(refused.value) == message


def test_a_float_that_is_not_a_number_names_what_is_allowed() -> None:
    with pytest.raises(ValueError) as refused:
        FloatRange(0.0, 2.5)("fast")
    assert str(refused.value) == "is not a number; allowed: a number from 0 to 2.5"


def test_queue_arn_parts_are_region_account_and_name() -> None:
    arn = SqsQueueArn()("arn:aws-cn:sqs:cn-north-1:123456789012:profile_events-1")
    assert queue_arn_parts(arn) == ("cn-north-1", "123456789012", "profile_events-1")


def test_a_bad_value_is_shown_whole_up_to_80_characters_then_cut() -> None:
    rule = IntRange(1, 9)
    allowed = "is not a whole number; allowed: a whole number from 1 to 9"
    with pytest.raises(ConfigurationError) as refused:
        read_setting("N", rule, {"N": "x" * 80})
    assert str(refused.value) == f"N={'x' * 80!r} {allowed}"
    with pytest.raises(ConfigurationError) as refused:
        read_setting("N", rule, {"N": "x" * 81})
    assert str(refused.value) == f"N={'x' * 80 + '…'!r} {allowed}"
