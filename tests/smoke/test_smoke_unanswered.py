"""Whose fault an unanswered request is during a bake."""

from __future__ import annotations

import pytest

from gate.smoke.unanswered import Unanswered
from gate.targets import Answer

OK = Answer({"english": "Hi.", "spanish": "Hola."})


@pytest.mark.parametrize(
    ("cause", "failed"),
    [
        ("timeout", True),
        ("reset", True),
        ("http_5xx", True),
        ("http_429", True),
        ("not_json", True),
        ("missing_field", True),
        ("too_large", True),
        ("http_404", False),
        ("http_401", False),
        ("http_4xx", False),
        ("refused", False),
        ("unreachable", False),
        ("transport", False),
        ("deadline", False),
        ("missing", False),
    ],
)
def test_before_the_service_answered(cause: str, failed: bool) -> None:
    assert Unanswered()(Answer(None, "x", cause)) is failed


def test_refused_after_an_answer_is_the_release() -> None:
    seen = Unanswered()
    assert seen(Answer(None, "refused", "refused")) is False
    assert seen(OK) is False
    assert seen(Answer(None, "refused", "refused")) is True
    assert seen(Answer(None, "x", "http_404")) is False


def test_any_http_response_shows_the_way_to_the_service_works() -> None:
    seen = Unanswered()
    seen(Answer(None, "HTTP 503", "http_5xx"))
    assert seen(Answer(None, "transport error", "transport")) is True


def test_causes_are_counted_per_round() -> None:
    seen = Unanswered()
    seen(Answer(None, "refused", "refused"))
    seen(Answer(None, "HTTP 503", "http_5xx"))
    seen(Answer(None, "HTTP 503", "http_5xx"))
    assert (dict(seen.failed), dict(seen.errored)) == ({"http_5xx": 2}, {"refused": 1})
    seen.begin_round()
    assert (dict(seen.failed), dict(seen.errored)) == ({}, {})
