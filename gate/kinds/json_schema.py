"""json_schema: the share of answers that break a JSON Schema stays under a limit."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import jsonschema_rs

from gate.corpus import CorpusItem
from gate.kinds.base import (
    PASSED,
    Judgement,
    Measurement,
    ResponseKind,
    positions,
    rate_verdict,
)
from gate.redact import scrub
from gate.registry import kind
from gate.schema import check_schema

if TYPE_CHECKING:
    from gate.tally import Tally

# Keywords whose meaning the two validators may read differently: regular
# expressions (Python's \d matches any digit, ECMA-262's only 0-9), formats,
# and references that could reach outside the schema.
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_UNSHARED = frozenset(("pattern", "patternProperties", "format", "$dynamicRef", "$recursiveRef"))


def _shared(schema: Any) -> bool:
    """Whether both validators read every keyword of `schema` alike."""
    if isinstance(schema, list):
        return all(_shared(value) for value in schema)
    if not isinstance(schema, dict):
        return True
    if _UNSHARED.intersection(schema):
        return False
    if schema.get("$schema", _DRAFT) != _DRAFT:
        return False
    ref = schema.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        return False
    return all(_shared(value) for value in schema.values())


def _quick_check(schema: Any) -> Callable[[Any], bool] | None:
    # jsonschema stays the judge of record: it checks the schema and words
    # every error. jsonschema-rs only answers "valid?" first, at a fiftieth of
    # the cost, so a corpus of a million answers is judged at the speed of
    # reading it; a "no" is always confirmed, and worded, by jsonschema.
    if not _shared(schema):
        return None
    try:
        check: Callable[[Any], bool] = jsonschema_rs.Draft202012Validator(schema).is_valid
    except Exception:  # a schema it cannot compile is left to jsonschema alone
        return None
    return check


# Keywords that tie a subschema to its place in the document: a schema without
# them means the same as the `items` of an array schema.
_PLACED = frozenset(("$ref", "$dynamicRef", "$recursiveRef", "$id", "$anchor", "$dynamicAnchor"))


def _placed(schema: Any) -> bool:
    if isinstance(schema, list):
        return any(_placed(value) for value in schema)
    if not isinstance(schema, dict):
        return False
    return bool(_PLACED.intersection(schema)) or any(_placed(v) for v in schema.values())


def _quick_block_check(schema: Any) -> Callable[[Any], bool] | None:
    # A block of answers checked in one call: valid exactly when each answer is.
    if not _shared(schema) or _placed(schema) or not isinstance(schema, dict):
        return None
    items = {key: value for key, value in schema.items() if key != "$schema"}
    try:
        check: Callable[[Any], bool] = jsonschema_rs.Draft202012Validator(
            {"type": "array", "items": items}
        ).is_valid
    except Exception:  # as in _quick_check
        return None
    return check


@kind
class JsonSchema(ResponseKind):
    """Each response validates against a JSON Schema (draft 2020-12).

    Params:
      schema: the JSON Schema every response must satisfy, written inline.
      max_failure_rate: the largest share of judged answers that may break it,
        from 0 to 1 (default 0); above it, the check fails.
    """

    name = "json_schema"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["schema"],
        "properties": {
            "schema": {
                "type": "object",
                "description": "the JSON Schema (draft 2020-12) every response must satisfy, "
                "written inline",
            },
            "max_failure_rate": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "default": 0,
                "description": "the largest share of judged answers allowed to break the schema",
            },
        },
        "examples": [
            {
                "schema": {
                    "type": "object",
                    "required": ["english", "spanish"],
                    "properties": {
                        "english": {"type": "string", "minLength": 1},
                        "spanish": {"type": "string", "minLength": 1},
                    },
                }
            }
        ],
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        # Imported here, not at the top: loading the kinds (every `gate validate`) needs no judge.
        from jsonschema import Draft202012Validator

        self.validator = Draft202012Validator(params["schema"])
        self.quick = _quick_check(params["schema"])
        self.quick_block = _quick_block_check(params["schema"]) if self.quick else None
        self.max_rate: float = params.get("max_failure_rate", 0.0)

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        problem = check_schema(params["schema"])
        return [(("schema",), f"is not a valid JSON Schema: {problem}")] if problem else []

    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        quick = self.quick
        if quick is not None:
            try:
                if quick(response):
                    return PASSED
            except Exception:  # a value it cannot take (a huge integer): ask jsonschema
                pass
        error = next(self.validator.iter_errors(response), None)
        if error is None:
            return PASSED
        where = "/".join(str(part) for part in error.absolute_path) or "the response"
        # An answer may echo a request's secret: masked before the message is cut.
        return Judgement(False, f"{where}: {scrub(error.message)[:200]}")

    def judge_many(
        self, items: Sequence[CorpusItem], responses: Sequence[Mapping[str, Any]]
    ) -> list[Judgement]:
        quick, quick_block = self.quick, self.quick_block
        if quick_block is not None:
            try:
                if quick_block(responses if isinstance(responses, list) else list(responses)):
                    return [PASSED] * len(responses)
            except Exception:  # a value it cannot take: found below
                pass
        if quick is not None:
            try:
                valid = list(map(quick, responses))
            except Exception:  # a value it cannot take: item by item, as judge does
                return list(map(self.judge, items, responses))
            verdicts = [PASSED] * len(valid)
            for at in positions(valid, False):  # worded by jsonschema, as judge does
                verdicts[at] = self.judge(items[at], responses[at])
            return verdicts
        return list(map(self.judge, items, responses))

    @classmethod
    def rate_limit(cls, params: Mapping[str, Any]) -> float | None:
        return float(params.get("max_failure_rate", 0.0))

    def verdict(self, tally: Tally) -> Measurement:
        return rate_verdict(tally, self.max_rate, "breaking the schema")
