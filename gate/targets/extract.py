"""From a response body to the answer the checks read: parse, extract a field, check its shape."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from gate.targets.base import Answer


def split_path(dotted: str | None) -> tuple[str | int, ...]:
    """`choices.0.message.content` as ('choices', 0, 'message', 'content')."""
    if not dotted:
        return ()
    return tuple(int(part) if part.isdigit() else part for part in dotted.split("."))


def _unfenced(text: str) -> str:
    # Chat models often wrap JSON in a Markdown code fence; the fence is not the answer.
    stripped = text.strip()
    if stripped.startswith("```") and stripped.endswith("```") and "\n" in stripped:
        return stripped[stripped.index("\n") + 1 : -3]
    return text


class Extractor:
    """Turns a 2xx body into an Answer: the whole JSON object, or the value at `answer_path`.

    With `answer_format: json` the answer must be an object; a string holding a
    JSON object (as a chat model's content does) is parsed. With `text` the
    value must be a string, handed to the checks as `{"text": ...}`.
    """

    def __init__(
        self,
        answer_path: str | None,
        answer_format: str = "json",
        redact: Callable[[str], str] | None = None,
    ) -> None:
        self.redact = redact or (lambda text: text)
        self.dotted = answer_path or ""
        self.path = split_path(answer_path)
        self.format = answer_format

    def __call__(self, content: bytes) -> Answer:
        try:
            value: Any = orjson.loads(content)
        except orjson.JSONDecodeError:
            return Answer(None, "the body is not JSON", "not_json")
        if not self.path and self.format == "json":
            if type(value) is dict:  # the common case, kept short
                return Answer(value)
            return Answer(None, "the body is not a JSON object", "not_json")
        for part in self.path:
            if isinstance(part, int) and isinstance(value, list) and part < len(value):
                value = value[part]
            elif isinstance(value, Mapping) and str(part) in value:
                value = value[str(part)]
            else:
                return Answer(None, f"the body has no '{self.dotted}'", "missing_field")
        where = f"'{self.dotted}'" if self.dotted else "the body"
        if self.format == "text":
            if isinstance(value, str):
                return Answer({"text": value})
            return Answer(None, f"{where} is {type(value).__name__}, not a string", "not_json")
        if isinstance(value, str):
            try:
                value = orjson.loads(_unfenced(value))
            except orjson.JSONDecodeError:
                # Masked before it is cut, so no half of a secret survives.
                shown = " ".join(self.redact(value[:4096]).split())[:200]
                return Answer(
                    None, f"{where} is a string that is not JSON: it begins {shown!r}", "not_json"
                )
        if isinstance(value, dict):
            return Answer(value)
        return Answer(None, f"{where} is not a JSON object", "not_json")
