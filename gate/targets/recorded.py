"""The recorded target: answers read from a JSONL file of earlier responses, keyed by item id."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from gate.corpus import CorpusItem
from gate.errors import InputError
from gate.jsonl import iter_jsonl
from gate.targets.base import Answer, Target

_WHAT = "recorded responses file"


class RecordedTarget(Target):
    """Answers from a file of lines `{"id": "rg-0001", "response": {...}}`.

    The file is usually in corpus order, so it is read alongside the corpus and
    memory stays flat; lines out of order are held until their item comes.
    An item with no recorded line is an error for that item, never a skip.
    """

    name = "recorded"
    settings_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "path"],
        "properties": {
            "type": {"const": "recorded"},
            "path": {
                "type": "string",
                "format": "repo-path",
                "description": "the JSONL file of recorded responses, relative to gate.yaml",
            },
        },
    }

    @property
    def path(self) -> Path:
        return self.env.root / str(self.settings["path"])

    def describe(self) -> dict[str, Any]:
        return {"type": self.name, "path": str(self.settings["path"])}

    async def answers(
        self, items: Iterable[CorpusItem]
    ) -> AsyncIterator[tuple[CorpusItem, Answer]]:
        for pair in self._join(items):
            yield pair

    def _records(self) -> Iterator[tuple[str, Answer]]:
        for number, value in iter_jsonl(self.path, what=_WHAT):
            if not isinstance(value, dict) or not isinstance(value.get("id"), str):
                raise InputError(
                    self.path,
                    "each line needs a string 'id' and a 'response' object",
                    line=number,
                    fix='write lines such as {"id": "rg-0001", "response": {"spanish": "..."}}',
                )
            response = value.get("response")
            if isinstance(response, dict):
                yield value["id"], Answer(response)
            else:
                yield (
                    value["id"],
                    Answer(None, "the recorded response is not a JSON object", "not_json"),
                )

    def _join(self, items: Iterable[CorpusItem]) -> Iterator[tuple[CorpusItem, Answer]]:
        records = self._records()
        pending: dict[str, Answer] = {}
        exhausted = False
        for item in items:
            answer = pending.pop(item.id, None)
            while answer is None and not exhausted:
                try:
                    ident, recorded = next(records)
                except StopIteration:
                    exhausted = True
                    break
                if ident == item.id:
                    answer = recorded
                else:
                    pending.setdefault(ident, recorded)
            if answer is None:
                answer = Answer(None, "no recorded response for this item", "missing")
            yield item, answer
