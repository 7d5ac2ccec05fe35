"""Whose fault an unanswered request is during a bake: the release's, or the runner's.

A user of the live service would have seen a 5xx, a timeout or a broken body,
so during a bake those are the release failing, not items the gate could not
judge. Problems on the runner's side (a wrong URL or path, missing credentials,
the runner's own network) are errors: they say nothing about the release. The
table of causes is in gate/targets/blame.py.
"""

from __future__ import annotations

import re
from collections import Counter

from gate.targets import Answer
from gate.targets.blame import SERVER, SHAPE, UNREACHED, Blame

_FAILURES = SHAPE | SERVER | {"http_429"}
# Causes that prove a response came back, so the runner's way to the service works.
_RESPONDED = re.compile(r"^(http_.*|not_json|missing_field|too_large)$")


class Unanswered(Blame):
    """Sees every answer of the bake, in arrival order, and counts this round's unanswered ones.

    Called with an answer, it returns True when that answer has no body and
    the release is to blame (the item fails), False otherwise.
    """

    sees_every_answer = True

    def __init__(self) -> None:
        self.reached = False  # the service has answered at least once in this bake
        self.failed: Counter[str] = Counter()
        self.errored: Counter[str] = Counter()

    def begin_round(self) -> None:
        self.failed = Counter()
        self.errored = Counter()

    def release_failed(self, cause: str) -> bool:
        """Whether a request that ended with `cause` is the release's failure."""
        if cause in _FAILURES:
            return True
        return cause in UNREACHED and self.reached

    def __call__(self, answer: Answer) -> bool:
        if answer.body is not None:
            self.reached = True
            return False
        failed = self.release_failed(answer.cause)
        (self.failed if failed else self.errored)[answer.cause or "unknown"] += 1
        if _RESPONDED.match(answer.cause):
            self.reached = True
        return failed
