"""Whose fault an unanswered item is: the release's (the item fails) or the run's (errored).

A service that answers with a body of the wrong shape (not JSON, an HTML page,
a string where a JSON object was agreed) has failed that item: a user saw it.
Transport failures are the run's problem in `gate run`, where the release may
be fine and the network not, and the release's in `gate smoke`, where the live
service is what users see.

| cause | gate run | gate smoke |
| --- | --- | --- |
| not_json, missing_field, too_large (a 2xx of the wrong shape) | failed | failed |
| timeout, reset, http_5xx | errored; failed with `server_failures: failed` | failed |
| http_429 | errored | failed |
| refused, dns, tls, unreachable, transport | errored | errored, failed once it answered |
| any other http_4xx (URL, path, credentials), deadline, missing | errored | errored |
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from gate.targets.base import Answer

SHAPE = frozenset(("not_json", "missing_field", "too_large"))
SERVER = frozenset(("timeout", "reset", "http_5xx"))
# The service could not be reached at all: nothing is known of the release.
UNREACHED = frozenset(("refused", "dns", "tls", "unreachable", "transport"))


class Blame(ABC):
    """Called with each answer that has no body: True when the release is to blame (failed)."""

    # Whether it must also see the answers that have a body, in order (a bake
    # learns from them that the service is reachable); a run's blame does not,
    # which keeps a million recorded answers off this path.
    sees_every_answer: ClassVar[bool] = False

    @abstractmethod
    def __call__(self, answer: Answer) -> bool:
        """Whether `answer` is the release's failure rather than an item the run could not judge."""


class RunBlame(Blame):
    """`gate run`: a body of the wrong shape fails; transport failures are errored, unless
    the target sets `server_failures: failed`, when timeouts, resets and 5xx fail too."""

    def __init__(self, *, server_failures_fail: bool = False) -> None:
        self.failing = SHAPE | SERVER if server_failures_fail else SHAPE

    def __call__(self, answer: Answer) -> bool:
        return answer.cause in self.failing
