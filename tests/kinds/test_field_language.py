"""field_language: the language of a field told among the named candidates, blanks left to
field_nonempty or failed, and the share of other languages held to its limit exactly."""

from __future__ import annotations

from typing import Any

import pytest
from lingua import Language

from gate.corpus import CorpusItem
from gate.errors import InputErrors
from gate.kinds.base import PASSED, Judgement
from gate.kinds.field_language import LANGUAGES, FieldLanguage
from gate.status import Status
from gate.tally import Tally
from tests.conftest import ProjectFactory

PARAMS = {"field": "spanish", "language": "spanish", "among": ["spanish", "english"]}
GLOSS = FieldLanguage({**PARAMS, "max_failure_rate": 0.02})
STRICT = FieldLanguage({**PARAMS, "empty": "fail"})
SKIPPED = Judgement(True, sums={"blank": 1})


def _item(number: int = 1) -> CorpusItem:
    return CorpusItem(f"rg-{number}", "p", None, (), None, "regression", number)


CASES: list[tuple[str, dict[str, Any], Judgement, Judgement]] = [
    ("a gloss", {"spanish": "Ayer fui al cine."}, PASSED, PASSED),
    (
        "the English again",
        {"spanish": "I went to the cinema yesterday."},
        Judgement(False, "'spanish' reads as english: 'I went to the cinema yesterday.'"),
        Judgement(False, "'spanish' reads as english: 'I went to the cinema yesterday.'"),
    ),
    ("missing", {"english": "I went."}, SKIPPED, Judgement(False, "'spanish' is blank")),
    ("empty", {"spanish": ""}, SKIPPED, Judgement(False, "'spanish' is blank")),
    ("blank", {"spanish": " \n"}, SKIPPED, Judgement(False, "'spanish' is blank")),
    (
        "null",
        {"spanish": None},
        Judgement(False, "'spanish' is NoneType, not a string"),
        Judgement(False, "'spanish' is NoneType, not a string"),
    ),
    (
        "a number",
        {"spanish": 3},
        Judgement(False, "'spanish' is int, not a string"),
        Judgement(False, "'spanish' is int, not a string"),
    ),
    (
        "long English, cut in the reason",
        {"spanish": "She doesn't like vegetables, but she eats them every single day anyway."},
        Judgement(
            False,
            "'spanish' reads as english: "
            '"She doesn\'t like vegetables, but she eats them every sing..."',
        ),
        Judgement(
            False,
            "'spanish' reads as english: "
            '"She doesn\'t like vegetables, but she eats them every sing..."',
        ),
    ),
]


@pytest.mark.parametrize(
    ("shape", "answer", "skip", "fail"), CASES, ids=[case[0] for case in CASES]
)
def test_each_shape_of_an_answer(
    shape: str, answer: dict[str, Any], skip: Judgement, fail: Judgement
) -> None:
    assert GLOSS.judge(_item(), answer) == skip
    assert STRICT.judge(_item(), answer) == fail


@pytest.mark.parametrize(
    ("failed", "blank", "judged", "status", "message"),
    [
        (
            2,
            20,
            120,
            Status.PASS,
            "2/100 with 'spanish' not in spanish: 2.00% (95%: 0.6%..7.0%) within 2.00%: "
            "100 items cannot separate this from the limit",
        ),
        (
            3,
            20,
            120,
            Status.FAIL,
            "3/100 with 'spanish' not in spanish: 3.00% (95%: 1.0%..8.5%) above 2.00%: "
            "100 items cannot separate this from the limit",
        ),
        (
            0,
            0,
            400,
            Status.PASS,
            "0/400 with 'spanish' not in spanish: 0.00% (95%: 0.0%..1.0%) within 2.00%",
        ),
    ],
)
def test_the_share_is_taken_over_the_answers_with_text(
    failed: int, blank: int, judged: int, status: Status, message: str
) -> None:
    tally = Tally(total=judged, passed=judged - failed, failed=failed, sums={"blank": blank})
    measurement = GLOSS.verdict(tally)
    assert (measurement.status, measurement.limit, measurement.message) == (
        status,
        "<= 2.00%",
        message,
    )


def test_a_run_of_blank_glosses_only_has_nothing_to_judge() -> None:
    measurement = GLOSS.verdict(Tally(total=5, passed=5, sums={"blank": 5}))
    assert (measurement.status, measurement.message) == (
        Status.ERROR,
        "none of the 5 judged answers had text to judge",
    )


def test_the_languages_offered_are_exactly_those_lingua_ships() -> None:
    assert sorted(LANGUAGES) == sorted(language.name.lower() for language in Language.all())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            "  field: spanish\n  language: spanish\n  among: [english, french]\n",
            "params.among must include the expected language 'spanish'",
        ),
        (
            "  field: spanish\n  language: spanglish\n  among: [spanish, english]\n",
            "'params.language' is a string \"spanglish\", expected one of: " + ", ".join(LANGUAGES),
        ),
        (
            "  field: spanish\n  language: spanish\n  among: [spanish]\n",
            "'params.among': ['spanish'] is too short",
        ),
    ],
)
def test_bad_params_are_named_with_their_line(
    project: ProjectFactory, params: str, message: str
) -> None:
    from gate.project import load_project

    project.corpus("regression", 2)
    project.write(
        "checks/lang.yaml",
        "id: lang\nkind: field_language\n"
        "action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-4\n"
        "suites: [release]\ncorpora: [regression]\nparams:\n" + params,
    )
    with pytest.raises(InputErrors) as caught:
        load_project(project.config)
    (error,) = caught.value.errors
    assert (error.message, error.line) == (message, 9 if "among" in message else 8)
