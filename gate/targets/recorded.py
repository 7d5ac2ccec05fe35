"""The recorded target: answers read from a JSONL file of earlier responses, keyed by item id."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from gate.corpus import CorpusBlock, CorpusItem
from gate.errors import InputError
from gate.jsonl import iter_jsonl_blocks
from gate.targets.base import NOTHING_MISSED, Answer, AnsweredBlock, Target

_WHAT = "recorded responses file"
_NOT_AN_OBJECT = Answer(None, "the recorded response is not a JSON object", "not_json")
_MISSING = Answer(None, "no recorded response for this item", "missing")
_new = tuple.__new__
_get = dict.get
_has = dict.__contains__
_id_of = itemgetter(0)  # CorpusItem.id, read in C
_repeat_of = itemgetter(7)  # CorpusItem.repeat
_DICT = frozenset((dict,))


class _Block(NamedTuple):
    """A block of the recorded file, with its ids and responses read out when it is clean."""

    numbers: Sequence[int]
    values: list[Any]
    ids: list[Any] | None  # None unless every line is an object whose response is one
    responses: list[Any] | None


def _read_out(numbers: Sequence[int], values: list[Any]) -> _Block:
    # A block with a line that names its repeat is matched line by line, by id and repeat.
    if set(map(type, values)) <= _DICT and not any(map(_has, values, repeat("repeat"))):
        responses: list[Any] = list(map(_get, values, repeat("response")))
        if set(map(type, responses)) <= _DICT:
            return _Block(numbers, values, list(map(_get, values, repeat("id"))), responses)
    return _Block(numbers, values, None, None)


class _Records:
    """The recorded file, read ahead a block at a time, taken a line or a run of lines at a time."""

    def __init__(self, path: Path) -> None:
        self._blocks = iter_jsonl_blocks(path, what=_WHAT, count_keys=self._count_keys)
        self._counted: _Block | None = None
        self._held: deque[_Block] = deque()
        self._at = 0  # the next unread line of the first held block
        self._ahead = 0  # the lines held and not yet read

    def _count_keys(self, values: list[Any]) -> int:
        # The reader's repeated-key check, with the responses counted too. The
        # block read out for it is kept, so the join does not read it out again.
        block = self._counted = _read_out(range(0), values)
        if block.responses is None:
            return 0  # the reader counts odd lines itself
        return sum(map(len, values)) + sum(map(len, block.responses))

    def _fill(self, count: int) -> bool:
        """Hold at least `count` unread lines; False at the end of the file."""
        while self._ahead < count:
            read = next(self._blocks, None)
            if read is None:
                return False
            numbers, values = read
            counted = self._counted
            if counted is not None and counted.values is values:
                block = counted._replace(numbers=numbers)
            else:
                block = _read_out(numbers, values)
            self._counted = None
            self._held.append(block)
            self._ahead += len(values)
        return True

    def run_of(self, count: int) -> tuple[list[Any], list[Any]] | None:
        """The ids and responses of the next `count` lines, if there are as many and all clean."""
        if not self._fill(count):
            return None
        ids: list[Any] = []
        responses: list[Any] = []
        at = self._at
        for block in self._held:
            if block.ids is None or block.responses is None:
                return None
            take = min(count - len(ids), len(block.values) - at)
            ids += block.ids[at : at + take]
            responses += block.responses[at : at + take]
            at = 0
            if len(ids) == count:
                break
        return ids, responses

    def skip(self, count: int) -> None:
        """Mark the next `count` lines read."""
        self._ahead -= count
        at = self._at + count
        while self._held and at >= len(self._held[0].values):
            at -= len(self._held.popleft().values)
        self._at = at

    def next(self) -> tuple[int, Any] | None:
        """The next line as (line number, value), or None at the end of the file."""
        if not self._fill(1):
            return None
        block, at = self._held[0], self._at
        self.skip(1)
        return block.numbers[at], block.values[at]


class RecordedTarget(Target):
    """Answers from a file of lines `{"id": "rg-0001", "response": {...}}`.

    The file is usually in corpus order, so it is read alongside the corpus and
    memory stays flat; lines out of order are held until their item comes.
    An item with no recorded line is an error for that item, never a skip.
    When a check asks each item several times, a line's `"repeat": k` says
    which ask it answers (0, the first, when absent).
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
                yield (
                    item,
                    block.missed[index] if body is None else _new(Answer, (body, "", "", None)),
                )

    async def answer_blocks(
        self, blocks: Iterable[Sequence[CorpusItem]]
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

    def _join(self, blocks: Iterable[Sequence[CorpusItem]]) -> Iterator[AnsweredBlock]:
        records = _Records(self.path)
        pending: dict[tuple[str, int], Answer] = {}
        for items in blocks:
            # A repeated block (each item asked several times) is matched by id and repeat.
            if not pending and (type(items) is CorpusBlock or not any(map(_repeat_of, items))):
                # In the usual file the next lines are these items', in order:
                # the whole block is matched and answered in a few calls into C.
                run = records.run_of(len(items))
                ids = items.ids if type(items) is CorpusBlock else list(map(_id_of, items))
                if run is not None and run[0] == ids:
                    records.skip(len(items))
                    yield AnsweredBlock(items, run[1], NOTHING_MISSED)
                    continue
            yield self._join_each(items, records, pending)

    def _join_each(
        self,
        items: Sequence[CorpusItem],
        records: _Records,
        pending: dict[tuple[str, int], Answer],
    ) -> AnsweredBlock:
        """The block item by item: lines out of order wait in `pending` for their item."""
        bodies: list[Mapping[str, Any] | None] = []
        missed: dict[int, Answer] = {}
        for index, item in enumerate(items):
            answer = pending.pop((item.id, item.repeat), None) if pending else None
            while answer is None:
                record = records.next()
                if record is None:
                    answer = _MISSING
                    break
                number, value = record
                ident = value.get("id") if type(value) is dict else None
                if type(ident) is not str:
                    raise self._bad_line(number)
                ask = value.get("repeat", 0)
                if type(ask) is not int or ask < 0:
                    raise InputError(
                        self.path,
                        f"'repeat' is {ask!r}; it says which ask of the item the line answers",
                        line=number,
                        fix="write a whole number, 0 for the first ask, or leave it out",
                    )
                response = value.get("response")
                recorded = (
                    _new(Answer, (response, "", "", None))
                    if type(response) is dict
                    else _NOT_AN_OBJECT
                )
                if ident == item.id and ask == item.repeat:
                    answer = recorded
                else:
                    pending.setdefault((ident, ask), recorded)
            bodies.append(answer.body)
            if answer.body is None:
                missed[index] = answer
        return AnsweredBlock(items, bodies, missed)
