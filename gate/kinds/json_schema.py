"""json_schema: the share of answers that break a JSON Schema stays under a limit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from jsonschema import Draft202012Validator

from gate.corpus import CorpusItem
from gate.kinds.base import PASSED, Judgement, Measurement, ResponseKind, rate_verdict
from gate.registry import kind
from gate.schema import check_schema
from gate.tally import Tally


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
                "description": "the JSON Schema every response must satisfy",
            },
            "max_failure_rate": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "the largest share of answers allowed to break the schema (0 to 1)",
            },
        },
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.validator = Draft202012Validator(params["schema"])
        self.max_rate: float = params.get("max_failure_rate", 0.0)

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        problem = check_schema(params["schema"])
        return [(("schema",), f"is not a valid JSON Schema: {problem}")] if problem else []

    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        error = next(self.validator.iter_errors(response), None)
        if error is None:
            return PASSED
        where = "/".join(str(part) for part in error.absolute_path) or "the response"
        return Judgement(False, f"{where}: {error.message[:200]}")

    def verdict(self, tally: Tally) -> Measurement:
        return rate_verdict(tally, self.max_rate, "breaking the schema")
