"""Asking the judging model about a run's answers: a window at a time, the cache first.

The runner hands each answered item of a graded check to its Grader, which
holds up to a window of them. When the window is full (and at the end) the
grader looks every one up in the cache and asks the endpoint about the rest,
all at once, as the http target asks a service: with its concurrency, its
retries and its timeouts. The replies go back to the runner in order, to be
read by the kind and counted; a window keeps memory flat however long the
corpus.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Self

from gate.corpus import CorpusItem
from gate.grader.cache import JudgmentCache, cache_key
from gate.grader.endpoint import cache_folder, judge_target
from gate.kinds.graded import GradedKind
from gate.targets.base import Answer


class Asked(NamedTuple):
    """One graded item: the answer it was given, and the judge's reply or why there is none."""

    item: CorpusItem
    response: Mapping[str, Any]
    reply: str | None  # the judge's text, from the endpoint or the cache
    failure: Answer | None  # the endpoint's failure, when there is no reply
    key: str  # where a readable reply is cached


class Grader:
    """One graded check's judging endpoint and cache, for the length of a run or a round."""

    def __init__(
        self, kind: GradedKind, config: Mapping[str, Any], root: Path, source: Path
    ) -> None:
        self.kind = kind
        self.settings = kind.endpoint(config)
        self.model = str(self.settings["model"])
        self.target = judge_target(self.settings, root, source)
        self.cache = JudgmentCache(cache_folder(self.settings, root))
        self.window = max(64, self.target.concurrency * 4)
        self.pending: list[tuple[CorpusItem, Mapping[str, Any]]] = []
        self.asked = 0

    async def __aenter__(self) -> Self:
        await self.target.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.target.__aexit__(exc_type, exc, tb)

    def redact(self, text: str) -> str:
        """`text` with the judge's key masked."""
        return self.target.redact(text)

    @property
    def full(self) -> bool:
        return len(self.pending) >= self.window

    def add(self, item: CorpusItem, response: Mapping[str, Any]) -> None:
        self.pending.append((item, response))

    async def replies(self) -> list[Asked]:
        """Every pending item with its reply, in the order they were added; the window empties."""
        pending, self.pending = self.pending, []
        done: list[Asked | None] = []
        prompts: list[CorpusItem] = []
        waiting: list[tuple[int, CorpusItem, Mapping[str, Any], str]] = []
        for item, response in pending:
            prompt, parts = self.kind.grading(item, response)
            key = cache_key([self.model, *parts])
            cached = self.cache.get(key)
            if cached is not None:
                done.append(Asked(item, response, cached, None, key))
                continue
            waiting.append((len(done), item, response, key))
            done.append(None)
            prompts.append(item._replace(prompt=prompt))
        if prompts:
            self.asked += len(prompts)
            at = 0
            async for _, answer in self.target.answers(prompts):
                index, item, response, key = waiting[at]
                at += 1
                text = answer.body.get("text") if answer.body is not None else None
                if isinstance(text, str):
                    done[index] = Asked(item, response, text, None, key)
                else:
                    done[index] = Asked(item, response, None, answer, key)
        return [entry for entry in done if entry is not None]

    def remember(self, asked: Asked) -> None:
        """Cache a reply that the kind could read."""
        if asked.reply is not None:
            self.cache.put(asked.key, self.model, asked.reply)

    def describe(self) -> dict[str, Any]:
        """What the report says about the judge: never its key."""
        return {
            "url": self.target.describe()["url"],
            "model": self.model,
            "asked": self.asked,
            "cached": self.cache.hits,
            "requests": self.target.requests,
            "retries": self.target.retries,
        }
