"""From a response body to the answer: one response shape per case."""

from __future__ import annotations

import pytest

from gate.targets.base import Answer
from gate.targets.extract import Extractor


@pytest.mark.parametrize(
    ("path", "form", "body", "answer"),
    [
        (None, "json", b'{"spanish": "va"}', Answer({"spanish": "va"})),
        (None, "json", b"[1]", Answer(None, "the body is not a JSON object", "not_json")),
        (None, "json", b"<html>", Answer(None, "the body is not JSON", "not_json")),
        ("data.answer", "json", b'{"data": {"answer": {"a": 1}}}', Answer({"a": 1})),
        (
            "data.answer",
            "json",
            b'{"data": {}}',
            Answer(None, "the body has no 'data.answer'", "missing_field"),
        ),
        ("out.1", "json", b'{"out": [{}, "{\\"a\\": 2}"]}', Answer({"a": 2})),
        (
            "out.2",
            "json",
            b'{"out": [{}]}',
            Answer(None, "the body has no 'out.2'", "missing_field"),
        ),
        ("out", "json", b'{"out": 3}', Answer(None, "'out' is not a JSON object", "not_json")),
        ("out", "text", b'{"out": "hola"}', Answer({"text": "hola"})),
        ("out", "text", b'{"out": 3}', Answer(None, "'out' is int, not a string", "not_json")),
        (None, "text", b'"hola"', Answer({"text": "hola"})),
    ],
)
def test_answers_and_their_errors(path: str | None, form: str, body: bytes, answer: Answer) -> None:
    assert Extractor(path, form)(body) == answer
