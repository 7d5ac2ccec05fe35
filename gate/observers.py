"""Watching a run as it goes: what `--record` and `--report-html` keep besides the tallies.

The runner tells an observer of every block of answers it judged, every item
a check failed or could not judge, and every page a live check read from the
service. An observer formats or stores; it never changes a verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from gate.checks import CheckSpec
from gate.tally import Sample
from gate.targets.base import AnsweredBlock


class RunObserver:
    """Sees a run as it goes. Each method does nothing here; an observer overrides what it needs."""

    def answered(self, block: AnsweredBlock, checks: Sequence[CheckSpec]) -> None:
        """A block of answers, in corpus order, about to be judged by `checks` (as they select)."""

    def problem(self, check: CheckSpec, sample: Sample) -> None:
        """An item `check` failed or could not judge: every one, whatever the report's cap."""

    def fetched(self, path: str, text: str | None, error: str | None) -> None:
        """A live check's GET of `path`: its text, or the error that stood for it."""


class Observers(RunObserver):
    """Several observers as one, each told in turn."""

    def __init__(self, observers: Sequence[RunObserver]) -> None:
        self.observers = tuple(observers)

    def answered(self, block: AnsweredBlock, checks: Sequence[CheckSpec]) -> None:
        for observer in self.observers:
            observer.answered(block, checks)

    def problem(self, check: CheckSpec, sample: Sample) -> None:
        for observer in self.observers:
            observer.problem(check, sample)

    def fetched(self, path: str, text: str | None, error: str | None) -> None:
        for observer in self.observers:
            observer.fetched(path, text, error)
