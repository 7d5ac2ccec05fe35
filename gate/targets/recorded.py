"""The recorded target: answers read from a JSONL file of earlier responses, keyed by item id.

Besides `{"id": ..., "response": {...}}`, a line written by `gate run --record`
may carry the answer's `timing`, or an item left unanswered as
`"response": null` with its `error` and `cause`; what live checks read from the
service lies beside the file, in `<name>.gets.jsonl` (`{"get": "/metrics",
"text": ...}` or its `error`). A replay judges exactly what the recorded run
judged.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, TypeGuard

from gate.corpus import CorpusBlock, CorpusItem
from gate.errors import InputError, TargetError, display_path
from gate.jsonl import iter_jsonl, iter_jsonl_blocks
from gate.targets.base import (
    NOTHING_MISSED,
    Answer,
    AnsweredBlock,
    Target,
    TargetEnv,
    Timing,
)
from gate.targets.recorded_settings import SCHEMA

_WHAT = "recorded responses file"
_NOT_AN_OBJECT = Answer(None, "the recorded response is not a JSON object", "not_json")
_MISSING = Answer(None, "no recorded response for this item", "missing")
_new = tuple.__new__
_get = dict.get
_has = dict.__contains__
_id_of = itemgetter(0)  # CorpusItem.id, read in C
_repeat_of = itemgetter(7)  # CorpusItem.repeat
_DICT = frozenset((dict,))
_NUMBERS = frozenset((int, float))
_BAD_TIMING = "'timing' needs first_byte_s and total_s, each a number of seconds of at least 0"


def gets_path(path: Path) -> Path:
    """Where a recording keeps what live checks read: `answers.jsonl` -> `answers.gets.jsonl`."""
    return path.with_name(path.name.removesuffix(".jsonl") + ".gets.jsonl")


class _Block(NamedTuple):
    """A block of the recorded file, with its ids and responses read out when it is clean."""

    numbers: Sequence[int]
    values: list[Any]
    ids: list[Any] | None  # None unless every line is an object whose response is one
    responses: list[Any] | None
    timings: list[Timing | None] | None = None  # None when no line of the block has one


def timing_of(value: Any) -> Timing | None:
    """The Timing a line's `timing` holds; None for none; ValueError for any other shape."""
    if value is None:
        return None
    if type(value) is dict and len(value) == 2:
        first, total = value.get("first_byte_s"), value.get("total_s")
        if _seconds(first) and _seconds(total):
            return Timing(float(first), float(total))
    raise ValueError(_BAD_TIMING)


def _seconds(value: Any) -> TypeGuard[float]:
    return type(value) in _NUMBERS and value >= 0


def _read_out(numbers: Sequence[int], values: list[Any]) -> _Block:
    # A block with a line that names its repeat is matched line by line, by id and repeat.
    if set(map(type, values)) <= _DICT and not any(map(_has, values, repeat("repeat"))):
        responses: list[Any] = list(map(_get, values, repeat("response")))
        if set(map(type, responses)) <= _DICT:
            ids = list(map(_get, values, repeat("id")))
            raw = list(map(_get, values, repeat("timing")))
            if raw.count(None) == len(raw):  # the usual file: read out in C, nothing more
                return _Block(numbers, values, ids, responses)
            try:
                timings = list(map(timing_of, raw))
            except ValueError:  # the line by line path names the line
                return _Block(numbers, values, None, None)
            return _Block(numbers, values, ids, responses, timings)
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
        keys = sum(map(len, values)) + sum(map(len, block.responses))
        if block.timings is not None:
            keys += 2 * (len(block.timings) - block.timings.count(None))
        return keys

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

    def run_of(self, count: int) -> tuple[list[Any], list[Any], list[Timing | None] | None] | None:
        """The ids, responses and timings of the next `count` lines, if there are as many
        and all clean; the timings are None when none of those lines has one."""
        if not self._fill(count):
            return None
        ids: list[Any] = []
        responses: list[Any] = []
        timings: list[Timing | None] | None = None
        at = self._at
        for block in self._held:
            if block.ids is None or block.responses is None:
                return None
            take = min(count - len(ids), len(block.values) - at)
            if block.timings is not None:
                timings = timings if timings is not None else [None] * len(ids)
                timings += block.timings[at : at + take]
            elif timings is not None:
                timings += [None] * take
            ids += block.ids[at : at + take]
            responses += block.responses[at : at + take]
            at = 0
            if len(ids) == count:
                break
        return ids, responses, timings

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
    Lines written by `gate run --record` replay exactly: the timing of each
    answer, the error and cause of an item that had none, and what live
    checks read from the service (`get`).
    A check that asks each item several times matches a line's `"repeat": k` to
    the ask it answers (0, the first, when absent).
    """

    name = "recorded"
    settings_schema: ClassVar[Mapping[str, Any]] = SCHEMA

    def __init__(self, settings: Mapping[str, Any], env: TargetEnv) -> None:
        super().__init__(settings, env)
        self._gets: dict[str, Mapping[str, Any]] | None = None  # read on the first `get`

    @property
    def path(self) -> Path:
        return self.env.root / str(self.settings["path"])

    def describe(self) -> dict[str, Any]:
        return {"type": self.name, "path": str(self.settings["path"])}

    async def answers(
        self, items: Iterable[CorpusItem]
    ) -> AsyncIterator[tuple[CorpusItem, Answer]]:
        for block in self._join([item] for item in items):
            timings = block.timings
            for index, item in enumerate(block.items):
                body = block.bodies[index]
                if body is None:
                    yield item, block.missed[index]
                else:
                    timing = timings[index] if timings is not None else None
                    yield item, _new(Answer, (body, "", "", timing))

    async def answer_blocks(
        self, blocks: Iterable[Sequence[CorpusItem]]
    ) -> AsyncIterator[AnsweredBlock]:
        for block in self._join(blocks):
            yield block

    async def get(self, path: str) -> str:
        """What the recorded run read at GET `path`, from the file beside the recording."""
        if self._gets is None:
            self._gets = self._read_gets()
        found = self._gets.get(path)
        if found is None:
            raise TargetError(
                f"{display_path(gets_path(self.path))} holds no recorded GET {path}: record the "
                "run with `gate run --record`, which keeps what checks read from the service"
            )
        if "error" in found:
            raise TargetError(str(found["error"]))
        return str(found["text"])

    def _read_gets(self) -> dict[str, Mapping[str, Any]]:
        beside = gets_path(self.path)
        if not beside.is_file():
            return {}
        pages: dict[str, Mapping[str, Any]] = {}
        for number, value in iter_jsonl(beside, what="recorded pages file"):
            page = value.get("get") if type(value) is dict else None
            text, error = (value.get("text"), value.get("error")) if page else (None, None)
            if type(page) is not str or (type(text) is str) == (type(error) is str):
                raise InputError(
                    beside,
                    "each line needs a string 'get' and a string 'text' or 'error'",
                    line=number,
                    fix='write lines such as {"get": "/metrics", "text": "..."}',
                )
            pages.setdefault(page, value)
        return pages

    def _bad_line(self, number: int, message: str | None = None) -> InputError:
        return InputError(
            self.path,
            message or "each line needs a string 'id' and a 'response' object",
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
                    yield AnsweredBlock(items, run[1], NOTHING_MISSED, run[2])
                    continue
            yield self._join_each(items, records, pending)

    def _recorded(self, number: int, value: dict[str, Any]) -> Answer:
        """The Answer one line holds: a response, a recorded failure, or a bad response."""
        try:
            timing = timing_of(value.get("timing"))
        except ValueError as exc:
            raise self._bad_line(number, str(exc)) from None
        response = value.get("response")
        if type(response) is dict:
            return _new(Answer, (response, "", "", timing))
        cause, error = value.get("cause"), value.get("error", "")
        if response is None and type(cause) is str and cause and type(error) is str:
            return Answer(None, error, cause, timing)  # an item the recorded run had no answer to
        if "response" not in value:  # not a recording at all (a corpus, say): the user's mistake
            raise self._bad_line(number)
        return _NOT_AN_OBJECT

    def _join_each(
        self,
        items: Sequence[CorpusItem],
        records: _Records,
        pending: dict[tuple[str, int], Answer],
    ) -> AnsweredBlock:
        """The block item by item: lines out of order wait in `pending` for their item."""
        bodies: list[Mapping[str, Any] | None] = []
        missed: dict[int, Answer] = {}
        timings: list[Timing | None] = []
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
                recorded = self._recorded(number, value)
                if ident == item.id and ask == item.repeat:
                    answer = recorded
                else:
                    pending.setdefault((ident, ask), recorded)
            bodies.append(answer.body)
            timings.append(answer.timing)
            if answer.body is None:
                missed[index] = answer
        measured = timings.count(None) < len(timings)
        return AnsweredBlock(items, bodies, missed, timings if measured else None)
