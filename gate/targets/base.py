"""What a target is: something that answers corpus items, one answer per item."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, NamedTuple, Self

from gate.corpus import CorpusItem
from gate.errors import TargetError


class Answer(NamedTuple):
    """The target's reply to one item: a JSON object, or the reason there is none."""

    body: Mapping[str, Any] | None
    error: str = ""  # what went wrong, for the report's samples
    cause: str = ""  # a short class of the error: timeout, refused, http_503, not_json, ...


@dataclass(frozen=True)
class TargetEnv:
    """What a target may know about the run that builds it."""

    root: Path  # the folder of gate.yaml; relative paths start here
    config_path: Path  # gate.yaml, for error messages
    manifest: Path | None  # the candidate release manifest
    url_override: str | None = None  # --target-url


class Target(ABC):
    """Where answers come from. Used as `async with target:` around `answers(...)`.

    Subclasses set `name` and `settings_schema` (the JSON Schema of their
    mapping in gate.yaml) and take the validated settings in `__init__`.
    """

    name: ClassVar[str]  # the `target.type` value in gate.yaml
    settings_schema: ClassVar[Mapping[str, Any]]  # the JSON Schema of the target mapping

    def __init__(self, settings: Mapping[str, Any], env: TargetEnv) -> None:
        self.settings = settings
        self.env = env

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

    @abstractmethod
    def describe(self) -> dict[str, Any]:
        """What the report says about this target; never secrets."""
