"""Whose fault an unanswered request is during a bake: the release's, or the runner's.

A user of the live service would have seen a 5xx, a timeout or a broken body,
so during a bake those are the release failing, not items the gate could not
judge. Problems on the runner's side (a wrong URL or path, missing credentials,
the runner's own network) are errors: they say nothing about the release.

| cause | meaning during a bake |
| --- | --- |
| timeout, reset, http_5xx (http_500...), http_429, not_json, missing_field, too_large | failure |
| refused, transport | error until the service has answered once in this bake, then failure |
| any other http_4xx | error: the service refused the runner's request (URL, path, credentials) |
| anything else (deadline, ...) | error |
"""

from __future__ import annotations

import re
from collections import Counter

from gate.targets import Answer

_FAILURES = frozenset(
    ("timeout", "reset", "http_5xx", "http_429", "not_json", "missing_field", "too_large")
)
_UNREACHED = frozenset(("refused", "transport"))
_HTTP_5XX = re.compile(r"^http_5[0-9][0-9]$")
# Causes that prove a response came back, so the runner's way to the service works.
_RESPONDED = re.compile(r"^(http_.*|not_json|missing_field|too_large)$")


class Unanswered:
    """Sees every answer of the bake, in arrival order, and counts this round's unanswered ones.

    Called with an answer, it returns True when that answer has no body and
    the release is to blame (the item fails), False otherwise.
    """

    def __init__(self) -> None:
        self.reached = False  # the service has answered at least once in this bake
        self.failed: Counter[str] = Counter()
        self.errored: Counter[str] = Counter()

    def begin_round(self) -> None:
        self.failed = Counter()
        self.errored = Counter()

    def release_failed(self, cause: str) -> bool:
        """Whether a request that ended with `cause` is the release's failure."""
        if cause in _FAILURES or _HTTP_5XX.match(cause):
            return True
        return cause in _UNREACHED and self.reached

    def __call__(self, answer: Answer) -> bool:
        if answer.body is not None:
            self.reached = True
            return False
        failed = self.release_failed(answer.cause)
        (self.failed if failed else self.errored)[answer.cause or "unknown"] += 1
        if _RESPONDED.match(answer.cause):
            self.reached = True
        return failed
