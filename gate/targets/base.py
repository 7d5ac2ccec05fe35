"""What a target is: something that answers corpus items, one answer per item."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any, ClassVar, NamedTuple, Self

from gate.corpus import CorpusItem
from gate.errors import TargetError


class Timing(NamedTuple):
    """How long one answer took, in seconds (the last attempt's, when it was retried)."""

    first_byte_s: float  # from sending the request to the response's status line and headers
    total_s: float  # to the end of the body


class Answer(NamedTuple):
    """The target's reply to one item: a JSON object, or the reason there is none."""

    body: Mapping[str, Any] | None
    error: str = ""  # what went wrong, for the report's samples
    cause: str = ""  # a short class of the error: timeout, refused, http_503, not_json, ...
    timing: Timing | None = None  # None when no response came back, or the target measures none


class AnsweredBlock(NamedTuple):
    """Items with their answers, a block at a time: the unit the runner judges.

    `bodies[i]` is the answer to `items[i]`, or None when there is none; then
    `missed[i]` is the Answer that says why. A block with every item answered
    has an empty `missed`. `timings[i]` is how long the answer to `items[i]`
    took; `timings` is None when no target measured any.
    """

    items: Sequence[CorpusItem]
    bodies: list[Mapping[str, Any] | None]
    missed: Mapping[int, Answer]
    timings: Sequence[Timing | None] | None = None


#: The `missed` of a block whose every item was answered.
NOTHING_MISSED: Mapping[int, Answer] = MappingProxyType({})


@dataclass(frozen=True)
class TargetEnv:
    """What a target may know about the run that builds it."""

    root: Path  # the folder of gate.yaml; relative paths start here
    config_path: Path  # gate.yaml, for error messages
    manifest: Path | None  # the candidate release manifest
    url_override: str | None = None  # --target-url
    # The line of a key path of gate.yaml, such as ("target", "headers", "Authorization").
    locate: Callable[[tuple[str | int, ...]], int | None] | None = None


class Target(ABC):
    """Where answers come from. Used as `async with target:` around `answers(...)`.

    Subclasses set `name` and `settings_schema` (the JSON Schema of their
    mapping in gate.yaml) and take the validated settings in `__init__`.
    """

    name: ClassVar[str]  # the `target.type` value in gate.yaml
    settings_schema: ClassVar[Mapping[str, Any]]  # the JSON Schema of the target mapping
    # `gate run` counts timeouts, resets and 5xx against the release (failed)
    # rather than as items it could not judge (errored): `server_failures: failed`.
    server_failures_fail: bool = False

    def __init__(self, settings: Mapping[str, Any], env: TargetEnv) -> None:
        self.settings = settings
        self.env = env

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        """Problems the settings schema cannot express, as (key path in target, message)."""
        return []

    def notes(self) -> list[str]:
        """What the run should say about the target as a whole (such as: it was unreachable)."""
        return []

    def redact(self, text: str) -> str:
        """`text` with every secret this target holds masked; the runner applies it to output."""
        return text

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def get(self, path: str) -> str:
        """The text of GET `path` on the live service (such as /metrics), while open.

        Raises TargetError when there is none or it cannot be read; targets
        without a live service (a recorded file) keep this default.
        """
        raise TargetError(f"the {self.name} target has no live service to GET {path} from")

    @abstractmethod
    def answers(self, items: Iterable[CorpusItem]) -> AsyncIterator[tuple[CorpusItem, Answer]]:
        """Yield each item with its answer, exactly once per item, in any order."""

    async def answer_blocks(
        self, blocks: Iterable[Sequence[CorpusItem]]
    ) -> AsyncIterator[AnsweredBlock]:
        """Yield every item of `blocks` with its answer, exactly once, in blocks of any size.

        By default each answer from `answers` is a block of its own, so a live
        service's answers are judged as they arrive; a target that has its
        answers at hand (a recorded file) overrides this to answer whole blocks.
        """
        async for item, answer in self.answers(chain.from_iterable(blocks)):
            body, timing = answer.body, answer.timing
            yield AnsweredBlock(
                [item],
                [body],
                NOTHING_MISSED if body is not None else {0: answer},
                None if timing is None else [timing],
            )

    @abstractmethod
    def describe(self) -> dict[str, Any]:
        """What the report says about this target; never secrets."""
