"""When to ask again: exponential backoff with full jitter, honouring Retry-After."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

# Causes worth a second try: the service or the network hiccupped. Any other
# 4xx, a body that is not JSON or too large, would be the same the next time.
RETRYABLE = frozenset(("timeout", "refused", "dns", "reset", "http_5xx", "http_429"))

SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "how failed requests are tried again",
    "properties": {
        "attempts": {
            "type": "integer",
            "minimum": 1,
            "maximum": 20,
            "description": "tries per item, the first included (default 3; 1 never retries)",
        },
        "backoff_s": {
            "type": "number",
            "minimum": 0,
            "description": "the first backoff in seconds, doubled on each retry (default 0.5)",
        },
        "backoff_max_s": {
            "type": "number",
            "minimum": 0,
            "description": "the longest backoff in seconds (default 8)",
        },
        "retry_after_max_s": {
            "type": "number",
            "minimum": 0,
            "description": "the longest Retry-After the gate waits; beyond it the item errors "
            "(default 30)",
        },
    },
}


@dataclass(frozen=True)
class RetryPolicy:
    """How many tries an item gets and how long to wait between them."""

    attempts: int = 3
    backoff_s: float = 0.5
    backoff_max_s: float = 8.0
    retry_after_max_s: float = 30.0

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> RetryPolicy:
        """The policy of the target's `retry:` mapping, defaults filled in."""
        values = dict(settings or {})
        return cls(
            attempts=int(values.get("attempts", cls.attempts)),
            backoff_s=float(values.get("backoff_s", cls.backoff_s)),
            backoff_max_s=float(values.get("backoff_max_s", cls.backoff_max_s)),
            retry_after_max_s=float(values.get("retry_after_max_s", cls.retry_after_max_s)),
        )

    def backoff(self, retry: int, rng: random.Random | None = None) -> float:
        """The wait before retry number `retry` (1 for the first): full jitter.

        Full jitter spreads the retries of many items that failed together, so
        a service that hiccupped is not hit by a synchronised wave.
        """
        ceiling = min(self.backoff_max_s, self.backoff_s * 2 ** (retry - 1))
        return (rng or random).uniform(0, ceiling)

    def delay(self, retry: int, retry_after: float | None) -> float | None:
        """The wait before a retry, or None when the service asks for longer than allowed."""
        wait = self.backoff(retry)
        if retry_after is not None:
            if retry_after > self.retry_after_max_s:
                return None
            wait = max(wait, retry_after)
        return wait


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), if readable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
