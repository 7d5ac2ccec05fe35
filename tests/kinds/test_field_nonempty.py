"""field_nonempty: every shape of a bad answer gets its own verdict and reason, one by one and
a block at a time, and the rate is held to its limit exactly."""

from __future__ import annotations

from typing import Any

import pytest

from gate.corpus import CorpusItem
from gate.kinds.base import PASSED, Judgement
from gate.kinds.field_nonempty import FieldNonempty
from gate.status import Status
from gate.tally import Tally

GLOSS = FieldNonempty({"field": "spanish", "max_failure_rate": 0.02})
DOTTED = FieldNonempty({"field": "answer.spanish"})

# Each shape of a bad answer, with the exact verdict a report shows for it.
CASES: list[tuple[str, dict[str, Any], Judgement]] = [
    ("a gloss", {"spanish": "Fui."}, PASSED),
    ("padded", {"spanish": "  Fui.  "}, PASSED),
    ("missing", {"english": "I went."}, Judgement(False, "'spanish' is missing")),
    ("null", {"spanish": None}, Judgement(False, "'spanish' is NoneType, not a string")),
    ("a number", {"spanish": 3}, Judgement(False, "'spanish' is int, not a string")),
    ("a bool", {"spanish": False}, Judgement(False, "'spanish' is bool, not a string")),
    ("a list", {"spanish": ["Fui."]}, Judgement(False, "'spanish' is list, not a string")),
    (
        "an object",
        {"spanish": {"text": "Fui."}},
        Judgement(False, "'spanish' is dict, not a string"),
    ),
    ("empty", {"spanish": ""}, Judgement(False, "'spanish' is blank")),
    ("blank", {"spanish": " \t\n"}, Judgement(False, "'spanish' is blank")),
    ("an ideographic space", {"spanish": "\u3000"}, Judgement(False, "'spanish' is blank")),
]


def _item(number: int = 1) -> CorpusItem:
    return CorpusItem(f"rg-{number}", "p", None, (), None, "regression", number)


@pytest.mark.parametrize(("shape", "answer", "verdict"), CASES, ids=[c[0] for c in CASES])
def test_each_shape_of_an_answer(shape: str, answer: dict[str, Any], verdict: Judgement) -> None:
    assert GLOSS.judge(_item(), answer) == verdict


def test_a_block_gets_the_same_verdicts_as_written_out() -> None:
    answers = [answer for _, answer, _ in CASES]
    items = [_item(n) for n in range(len(answers))]
    assert GLOSS.judge_many(items, answers) == [verdict for _, _, verdict in CASES]


def test_a_block_of_strings_only_is_told_in_one_pass() -> None:
    answers = [{"spanish": "Fui."}, {"spanish": ""}, {"spanish": " "}, {"spanish": "Voy."}]
    items = [_item(n) for n in range(4)]
    blank = Judgement(False, "'spanish' is blank")
    assert GLOSS.judge_many(items, answers) == [PASSED, blank, blank, PASSED]


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        ({"answer": {"spanish": "Fui."}}, PASSED),
        ({"answer": {}}, Judgement(False, "'answer.spanish' is missing")),
        ({"answer": "Fui."}, Judgement(False, "'answer.spanish' is missing")),
        (
            {"answer": {"spanish": None}},
            Judgement(False, "'answer.spanish' is NoneType, not a string"),
        ),
    ],
)
def test_a_dotted_field(answer: dict[str, Any], verdict: Judgement) -> None:
    assert DOTTED.judge(_item(), answer) == verdict
    assert DOTTED.judge_many([_item()], [answer]) == [verdict]


@pytest.mark.parametrize(
    ("failed", "judged", "status", "message"),
    [
        (2, 100, Status.PASS, "2/100 with 'spanish' missing or blank (2.00%), within 2.00%"),
        (3, 100, Status.FAIL, "3/100 with 'spanish' missing or blank (3.00%), above 2.00%"),
        (1, 49, Status.FAIL, "1/49 with 'spanish' missing or blank (2.04%), above 2.00%"),
    ],
)
def test_the_verdict_holds_the_rate_to_its_limit_exactly(
    failed: int, judged: int, status: Status, message: str
) -> None:
    tally = Tally(total=judged, passed=judged - failed, failed=failed)
    measurement = GLOSS.verdict(tally)
    assert (measurement.status, measurement.limit, measurement.message) == (
        status,
        "<= 2.00%",
        message,
    )
