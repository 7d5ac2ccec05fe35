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
_NOT_AN_OBJECT = Answer(None, "the recorded response is not a JSON object", "not_json")
_MISSING = Answer(None, "no recorded response for this item", "missing")
_END: tuple[int, Any] = (0, None)
_new = tuple.__new__


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

    def _bad_line(self, number: int) -> InputError:
        return InputError(
            self.path,
            "each line needs a string 'id' and a 'response' object",
            line=number,
            fix='write lines such as {"id": "rg-0001", "response": {"spanish": "..."}}',
        )

    def _join(self, items: Iterable[CorpusItem]) -> Iterator[tuple[CorpusItem, Answer]]:
        records = iter_jsonl(self.path, what=_WHAT)
        pending: dict[str, Answer] = {}
        for item in items:
            # In the usual file the next line is this item's, so the loop
            # below runs once; a line for a later item waits in `pending`.
            answer = pending.pop(item.id, None) if pending else None
            while answer is None:
                number, value = next(records, _END)
                if not number:
                    answer = _MISSING
                    break
                ident = value.get("id") if type(value) is dict else None
                if type(ident) is not str:
                    raise self._bad_line(number)
                response = value.get("response")
                recorded = (
                    _new(Answer, (response, "", "")) if type(response) is dict else _NOT_AN_OBJECT
                )
                if ident == item.id:
                    answer = recorded
                else:
                    pending.setdefault(ident, recorded)
            yield item, answer
