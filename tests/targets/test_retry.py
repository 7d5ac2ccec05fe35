"""The retry policy: backoff bounds, Retry-After in both forms, and which causes retry."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from gate.targets.retry import RETRYABLE, RetryPolicy, parse_retry_after


def test_backoff_doubles_up_to_its_ceiling_with_full_jitter() -> None:
    policy = RetryPolicy(backoff_s=0.5, backoff_max_s=3)
    rng = random.Random(7)
    for retry, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 3.0), (9, 3.0)]:
        waits = [policy.backoff(retry, rng) for _ in range(200)]
        assert min(waits) >= 0
        assert max(waits) <= ceiling
        assert max(waits) > ceiling * 0.8  # jitter spreads over the whole range


def test_retry_after_is_a_floor_and_too_long_a_wait_is_refused() -> None:
    policy = RetryPolicy(backoff_s=0.001, backoff_max_s=0.001, retry_after_max_s=30)
    assert policy.delay(1, 2.0) == 2.0
    assert policy.delay(1, 30.0) == 30.0
    assert policy.delay(1, 31.0) is None
    delay = policy.delay(1, None)
    assert delay is not None and delay <= 0.001


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("3", 3.0),
        (" 120 ", 120.0),
        ("Wed, 21 Oct 2026 07:28:10 GMT", 10.0),
        ("Wed, 21 Oct 2026 07:27:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("-1", None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(
    header: str | None, seconds: float | None
) -> None:
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(header, now) == seconds


def test_only_transient_causes_are_retried() -> None:
    assert sorted(RETRYABLE) == ["dns", "http_429", "http_5xx", "refused", "reset", "timeout"]


def test_the_policy_reads_its_settings_with_defaults() -> None:
    assert RetryPolicy.from_settings(None) == RetryPolicy(3, 0.5, 8.0, 30.0)
    assert RetryPolicy.from_settings({"attempts": 1, "backoff_s": 0}) == RetryPolicy(
        1, 0, 8.0, 30.0
    )
