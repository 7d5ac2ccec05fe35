"""The recorded target: answers read from a JSONL file of earlier responses, keyed by item id."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, ClassVar

from gate.corpus import CorpusItem
from gate.errors import InputError
from gate.jsonl import iter_jsonl_blocks
from gate.targets.base import NOTHING_MISSED, Answer, AnsweredBlock, Target

_WHAT = "recorded responses file"
_NOT_AN_OBJECT = Answer(None, "the recorded response is not a JSON object", "not_json")
_MISSING = Answer(None, "no recorded response for this item", "missing")
_new = tuple.__new__
_get = dict.get
_id_of = itemgetter(0)  # CorpusItem.id, read in C
_DICT = frozenset((dict,))


def _record_keys(values: list[Any]) -> int:
    # The keys of a block of recorded lines, their responses included, for the
    # reader's repeated-key check; any other shape is counted by the reader.
    if not set(map(type, values)) <= _DICT:
        return 0
    responses: list[Any] = list(map(_get, values, repeat("response")))
    inner = sum(map(len, responses)) if set(map(type, responses)) <= _DICT else 0
    return sum(map(len, values)) + inner


class _Records:
    """The recorded file, read ahead a block at a time, line by line or in runs."""

    def __init__(self, path: Path) -> None:
        self._blocks = iter_jsonl_blocks(path, what=_WHAT, count_keys=_record_keys)
        self.numbers: list[int] = []
        self.values: list[Any] = []
        self.at = 0  # the next unread record

    def ahead(self, count: int) -> list[Any]:
        """The next `count` records (fewer at the end of the file), without reading them."""
        while len(self.values) - self.at < count:
            block = next(self._blocks, None)
            if block is None:
                break
            self.numbers = [*self.numbers[self.at :], *block[0]]
            self.values = [*self.values[self.at :], *block[1]]
            self.at = 0
        return self.values[self.at : self.at + count]

    def next(self) -> tuple[int, Any] | None:
        """The next record as (line number, value), or None at the end of the file."""
        if not self.ahead(1):
            return None
        self.at += 1
        return self.numbers[self.at - 1], self.values[self.at - 1]


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
        for block in self._join([item] for item in items):
            for index, item in enumerate(block.items):
                body = block.bodies[index]
                yield item, block.missed[index] if body is None else _new(Answer, (body, "", ""))

    async def answer_blocks(
        self, blocks: Iterable[list[CorpusItem]]
    ) -> AsyncIterator[AnsweredBlock]:
        for block in self._join(blocks):
            yield block

    def _bad_line(self, number: int) -> InputError:
        return InputError(
            self.path,
            "each line needs a string 'id' and a 'response' object",
            line=number,
            fix='write lines such as {"id": "rg-0001", "response": {"spanish": "..."}}',
        )

    def _join(self, blocks: Iterable[list[CorpusItem]]) -> Iterator[AnsweredBlock]:
        records = _Records(self.path)
        pending: dict[str, Answer] = {}
        for items in blocks:
            if not pending:
                # In the usual file the next lines are these items', in order:
                # the whole block is matched and answered in a few calls into C.
                values = records.ahead(len(items))
                if len(values) == len(items) and set(map(type, values)) <= _DICT:
                    bodies = list(map(_get, values, repeat("response")))
                    ids = list(map(_get, values, repeat("id")))
                    if ids == list(map(_id_of, items)) and set(map(type, bodies)) <= _DICT:
                        records.at += len(items)
                        yield AnsweredBlock(items, bodies, NOTHING_MISSED)
                        continue
            yield self._join_each(items, records, pending)

    def _join_each(
        self, items: list[CorpusItem], records: _Records, pending: dict[str, Answer]
    ) -> AnsweredBlock:
        """The block item by item: lines out of order wait in `pending` for their item."""
        bodies: list[Mapping[str, Any] | None] = []
        missed: dict[int, Answer] = {}
        for index, item in enumerate(items):
            answer = pending.pop(item.id, None) if pending else None
            while answer is None:
                record = records.next()
                if record is None:
                    answer = _MISSING
                    break
                number, value = record
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
            bodies.append(answer.body)
            if answer.body is None:
                missed[index] = answer
        return AnsweredBlock(items, bodies, missed)
