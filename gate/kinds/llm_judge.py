"""llm_judge: a rubric graded by a model, pass or fail or a score, for every answer."""

from __future__ import annotations

import string
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import orjson

from gate.corpus import CorpusItem
from gate.grader.endpoint import SCHEMA
from gate.grader.reply import read_grade
from gate.intervals import Interval, mean_interval
from gate.kinds.base import Judgement, Measurement, rate_verdict
from gate.kinds.fields import MISSING, get_field
from gate.kinds.graded import GradedKind
from gate.registry import kind
from gate.status import Status

PPM, SQUARE = 1_000_000, 1_000  # scores in millionths, squares in thousandths squared
FIELDS = ("prompt", "answer", "rubric", "expected")
REPLY = {
    "pass_fail": '{{"pass": true or false, "reason": "one sentence"}}',
    "score": '{{"score": a number from 0 to 1, "reason": "one sentence"}}',
}
DEFAULT_PROMPT = (
    "Grade the answer a service gave to a request, by the rubric alone.\n\n"
    "Rubric: {rubric}\n\nRequest: {prompt}\n\nAnswer: {answer}\n\nReply with JSON only: "
)

if TYPE_CHECKING:
    from gate.tally import Tally


@kind
class LlmJudge(GradedKind):
    """A rubric graded by a model behind an OpenAI-compatible chat endpoint.

    Params:
      rubric: what a good answer does, in words the judging model reads.
      grade: pass_fail (default: the judge says whether each answer passes) or score (0 to 1).
      max_failure_rate: pass_fail: the largest share of answers judged failing (default 0).
      min_score: score: the lowest mean score that passes (default 1); an answer scoring
        below it is listed among the samples.
      field: the response field to grade, as a dotted path (default: the whole answer, as JSON).
      prompt: the judging prompt; {prompt}, {answer}, {rubric} and {expected} are filled in,
        and the reply's shape is appended.
      judge: the endpoint (url, model, api_key as ${NAME}, json_mode, timeout_s,
        concurrency, max_rps, retry, cache), over gate.yaml's judge: section.
    The judge's own failures (refused, 429 or 5xx after retries, timeouts, a reply it
    cannot read) make the item errored, never passed. Replies are cached on disk by
    judging model, rubric, prompt and answer, so a re-run pays only for new answers.
    """

    name = "llm_judge"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["rubric"],
        "examples": [
            {
                "rubric": "The gloss says what the English says, in natural Spanish.",
                "field": "spanish",
                "max_failure_rate": 0.05,
            }
        ],
        "properties": {
            "rubric": {"type": "string", "minLength": 1, "description": "what a good answer does"},
            "grade": {"enum": ["pass_fail", "score"], "description": "default pass_fail"},
            "max_failure_rate": {"type": "number", "minimum": 0, "maximum": 1,
                                 "description": "pass_fail: the largest share judged failing"},
            "min_score": {"type": "number", "minimum": 0, "maximum": 1,
                          "description": "score: the lowest mean score that passes"},
            "field": {"type": "string", "minLength": 1, "description": "the field to grade"},
            "prompt": {"type": "string", "minLength": 1, "description": "the judging prompt"},
            "judge": SCHEMA,
        },
    }  # fmt: skip

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.mode: str = params.get("grade", "pass_fail")
        self.template = params.get("prompt", DEFAULT_PROMPT) + REPLY[self.mode]

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        mode = params.get("grade", "pass_fail")
        wrong = "max_failure_rate" if mode == "score" else "min_score"
        if wrong in params:
            return [((wrong,), f"does not apply with grade: {mode}")]
        try:
            names = {part[1] for part in string.Formatter().parse(params.get("prompt", ""))}
        except ValueError as exc:
            return [(("prompt",), f"is not a valid template: {exc}; write {{{{ and }}}}")]
        unknown = sorted(name for name in names - {None, *FIELDS} if name is not None)
        if unknown:
            known = ", ".join("{" + name + "}" for name in FIELDS)
            return [(("prompt",), f"uses {{{unknown[0]}}}, which is not one of {known}")]
        return []

    @classmethod
    def rate_limit(cls, params: Mapping[str, Any]) -> float | None:
        if params.get("grade", "pass_fail") == "score":
            return None
        return float(params.get("max_failure_rate", 0.0))

    def grading(self, item: CorpusItem, response: Mapping[str, Any]) -> tuple[str, list[str]]:
        field = self.params.get("field")
        value = response if field is None else get_field(response, field)
        answer = value if isinstance(value, str) else "" if value is MISSING else _json(value)
        expected = _json(item.expected) if item.expected else ""
        fields = {"prompt": item.prompt, "answer": answer, "rubric": self.params["rubric"]}
        prompt = self.template.format(**fields, expected=expected)
        return prompt, [self.params["rubric"], self.template, item.prompt, answer, expected]

    def judge_reply(self, item: CorpusItem, response: Mapping[str, Any], reply: str) -> Judgement:
        grade = read_grade(reply, self.mode)
        why = f"the judge: {grade.reason}" if grade.reason else "the judge gave no reason"
        if grade.score is None:
            return Judgement(bool(grade.passed), "" if grade.passed else why)
        score = round(grade.score * PPM)
        sums = {"scored": 1, "score_ppm": score, "score_sq": round(grade.score * SQUARE) ** 2}
        ok = Fraction(score, PPM) >= Fraction(str(self.params.get("min_score", 1.0)))
        return Judgement(ok, "" if ok else f"score {grade.score:.2f}: {why}", sums)

    def unanswered(self, item: CorpusItem, reason: str) -> Judgement:
        sums = {"scored": 1, "score_ppm": 0, "score_sq": 0} if self.mode == "score" else None
        return Judgement(False, reason, sums)

    def bound(self, tally: Tally, *, errored_passed: bool) -> Tally:
        bounded = super().bound(tally, errored_passed=errored_passed)
        if self.mode == "score":  # each errored answer at its best score (1) or its worst (0)
            best = tally.errored if errored_passed else 0
            sums = dict(bounded.sums)
            for key, amount in (("scored", tally.errored), ("score_ppm", best * PPM),
                                ("score_sq", best * SQUARE**2)):  # fmt: skip
                sums[key] = sums.get(key, 0) + amount
            bounded.sums = sums
        return bounded

    def verdict(self, tally: Tally) -> Measurement:
        if self.mode == "pass_fail":
            limit = float(self.params.get("max_failure_rate", 0.0))
            return rate_verdict(tally, limit, "judged failing the rubric")
        scored = int(tally.sums.get("scored", 0))
        total = int(tally.sums.get("score_ppm", 0))
        bar = float(self.params.get("min_score", 1.0))
        low, high = mean_interval(scored, total / PPM, tally.sums.get("score_sq", 0) / SQUARE**2)
        interval = Interval(total / PPM / scored, low, high, bar, "min", "score", scored)
        ok = Fraction(total, scored * PPM) >= Fraction(str(bar))
        message = (
            f"mean judged score {interval.text()} over {scored} answers, "
            f"{'at or above' if ok else 'below'} {bar}{interval.unsettled_text()}"
        )
        status = Status.PASS if ok else Status.FAIL
        details = {"interval": interval.to_json()}
        return Measurement(status, round(interval.value, 6), f">= {bar}", message, details)


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
