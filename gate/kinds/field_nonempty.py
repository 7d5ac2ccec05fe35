"""field_nonempty: the share of answers whose field is missing or blank stays under a limit."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any, ClassVar

from gate.corpus import CorpusItem
from gate.kinds.base import (
    PASSED,
    Judgement,
    Measurement,
    ResponseKind,
    positions,
    rate_verdict,
)
from gate.kinds.fields import MISSING, get_field
from gate.registry import kind

if TYPE_CHECKING:
    from gate.tally import Tally

_DICT = frozenset((dict,))
_STR = frozenset((str,))
_get: Callable[[Any, str], Any] = dict.get


@kind
class FieldNonempty(ResponseKind):
    """A response field is present, is a string, and is not blank after trimming.

    Params:
      field: the field to read, as a dotted path into the response (`spanish`, `answer.text`).
      max_failure_rate: the largest share of judged answers that may break the rule,
        from 0 to 1 (default 0). The check fails when the measured share is above it:
        at 0.02, 2 empty answers in 100 pass and 3 fail.
    """

    name = "field_nonempty"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["field"],
        "properties": {
            "field": {
                "type": "string",
                "minLength": 1,
                "description": "the response field to read, as a dotted path such as spanish or "
                "answer.text",
            },
            "max_failure_rate": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "default": 0,
                "description": "the largest share of judged answers that may be missing or "
                "blank: at 0.02, 2 in 100 pass and 3 fail",
            },
        },
        "examples": [{"field": "spanish", "max_failure_rate": 0.02}],
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.field: str = params["field"]
        self.max_rate: float = params.get("max_failure_rate", 0.0)
        self._missing = Judgement(False, f"'{self.field}' is missing")
        self._blank = Judgement(False, f"'{self.field}' is blank")

    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        value = response.get(self.field, MISSING) if "." not in self.field else MISSING
        if value is MISSING:
            value = get_field(response, self.field)
        if value is MISSING:
            return self._missing
        if not isinstance(value, str):
            return Judgement(False, f"'{self.field}' is {type(value).__name__}, not a string")
        return PASSED if value.strip() else self._blank

    def judge_many(
        self, items: Sequence[CorpusItem], responses: Sequence[Mapping[str, Any]]
    ) -> list[Judgement]:
        # The usual block, where every answer is an object whose field is a
        # string with some text, is told in C; any other goes item by item.
        if "." not in self.field and set(map(type, responses)) <= _DICT:
            values = list(map(_get, responses, repeat(self.field)))
            if set(map(type, values)) <= _STR:
                verdicts = [PASSED] * len(values)
                for at in positions(list(map(str.strip, values)), ""):
                    verdicts[at] = self._blank
                return verdicts
        return list(map(self.judge, items, responses))

    @classmethod
    def rate_limit(cls, params: Mapping[str, Any]) -> float | None:
        return float(params.get("max_failure_rate", 0.0))

    def verdict(self, tally: Tally) -> Measurement:
        return rate_verdict(tally, self.max_rate, f"with '{self.field}' missing or blank")
