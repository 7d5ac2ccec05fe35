"""Patterns from check params run on RE2: no pattern can stall the gate, a bad one is exit 2."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

from gate.checks import load_check
from gate.corpus import CorpusItem
from gate.errors import InputErrors
from gate.kinds.base import PASSED, Judgement, Measurement, ResponseKind
from gate.regex import PatternError, compile_pattern, pattern_problem
from gate.registry import Registry, kind
from gate.status import Status
from gate.tally import Tally
from tests.conftest import INCIDENT

TAIL = "(patterns run on RE2, in linear time, without back-references or look-around)"


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(a+)+$", "a" * 50_000 + "!"),
        (r"(a|a)*b", "a" * 50_000),
        (r"(x+x+)+y", "x" * 50_000),
        (r"^(\w+\s?)*$", "word " * 10_000 + "!"),
    ],
)
def test_a_pattern_that_backtracks_in_python_runs_in_linear_time(pattern: str, text: str) -> None:
    # Python's re would take longer than the age of the universe on each of these;
    # the timeout mark is the assertion that RE2 does not.
    assert compile_pattern(pattern).search(text) is None


def test_matches_agree_with_python_on_ordinary_patterns() -> None:
    for pattern, text in [
        (r"(?i)hola", "¡HOLA!"),
        (r"\d{3}-\d{4}", "call 555-1234"),
        (r"(?P<word>\w+)$", "a b c"),
        (r"^\s*$", "   "),
    ]:
        ours, theirs = compile_pattern(pattern).search(text), re.search(pattern, text)
        assert (ours and ours.group(0)) == (theirs and theirs.group(0))


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(a)\1", r"invalid escape sequence: \1"),
        (r"(?<=a)b", "invalid perl operator: (?<="),
        (r"a(?!b)", "invalid perl operator: (?!"),
        (r"[a-", "missing ]: [a-"),
        (r"a{1001}", "invalid repetition size: {1001}"),
    ],
)
def test_a_pattern_re2_cannot_run_is_a_sentence(pattern: str, reason: str) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern)
    assert str(caught.value) == reason
    assert pattern_problem(pattern) == f"is not a pattern the gate can run: {reason} {TAIL}"


def test_a_good_pattern_has_no_problem() -> None:
    assert pattern_problem(r"^[A-Z].*\.$") is None


def test_errors_are_not_printed_by_re2_itself(capfd: pytest.CaptureFixture[str]) -> None:
    pattern_problem(r"(a)\1")
    assert capfd.readouterr() == ("", "")


@kind
class Matches(ResponseKind):
    """Each answer's `english` matches a pattern, for these tests.

    Params:
      pattern: the regular expression (RE2 syntax).
    """

    name = "matches"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["pattern"],
        "properties": {"pattern": {"type": "string"}},
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.pattern = compile_pattern(params["pattern"])

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        problem = pattern_problem(params["pattern"])
        return [(("pattern",), problem)] if problem else []

    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        return PASSED if self.pattern.search(str(response.get("english"))) else Judgement(False)

    def verdict(self, tally: Tally) -> Measurement:
        return Measurement(Status.PASS, 0, None, "")


def test_a_check_with_a_pattern_re2_refuses_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "check.yaml"
    path.write_text(
        f"id: ends-with-period\nkind: matches\naction_item: {INCIDENT}#AI-1\nsuites: [release]\n"
        "corpora: [regression]\nparams:\n  pattern: '(\\w)\\1'\n"
    )
    with pytest.raises(InputErrors) as caught:
        load_check(
            path,
            Registry(kinds={"matches": Matches}),
            suites={"release": ""},
            corpora={"regression": tmp_path / "regression.jsonl"},
            corpora_dir=tmp_path,
        )
    assert str(caught.value).replace(str(path), "check.yaml") == (
        "check.yaml:7: params.pattern is not a pattern the gate can run: "
        f"invalid escape sequence: \\1 {TAIL}\n"
        "1 problem in the gate's input; nothing was run."
    )
