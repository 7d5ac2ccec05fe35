"""The shape of a kind whose answers a model grades: the runner asks the model, the kind reads.

A kind never opens sockets. One that needs a model's judgment of each answer
says what to ask (`grading`) and how to read the reply (`judge_reply`); the
runner asks the judging endpoint through the http target's code, keeps the
cache, and counts the judge's own failures (refused, 429s after retries,
timeouts, replies it cannot read) as errored items, never as passes.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from typing import Any

from gate.corpus import CorpusItem
from gate.grader.endpoint import endpoint_problems, merged
from gate.kinds.base import Judgement, ResponseKind


class GradedKind(ResponseKind):
    """A response kind judged by a model's reply to a prompt made of the item and its answer."""

    @abstractmethod
    def grading(self, item: CorpusItem, response: Mapping[str, Any]) -> tuple[str, list[str]]:
        """The prompt for the judging model, and what else keys its cached reply."""

    @abstractmethod
    def judge_reply(self, item: CorpusItem, response: Mapping[str, Any], reply: str) -> Judgement:
        """The verdict the reply gives; raises gate.grader.reply.Unreadable when it gives none."""

    def endpoint(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The judging endpoint's settings: gate.yaml's `judge:` with the check's own over it."""
        return merged(config, self.params)

    @classmethod
    def config_problems(
        cls, config: Mapping[str, Any], params: Mapping[str, Any]
    ) -> list[tuple[tuple[str | int, ...], str]]:
        """What the endpoint settings lack once gate.yaml's are merged in (`gate validate`)."""
        return endpoint_problems(config, params)

    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        raise TypeError(f"{self.name} is judged from a model's reply: see judge_reply")
