"""eval_score: the mean score of the answers against the corpus's expected answers."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from gate.context import ProjectView
from gate.corpus import CorpusItem
from gate.errors import InputError
from gate.intervals import Interval, mean_interval
from gate.kinds.base import FAILED_ELSEWHERE, Judgement, Measurement, ResponseKind
from gate.kinds.expected import lacking_expected
from gate.kinds.scorers import AXIS_SCHEMA, Axis, Unscorable
from gate.regex import pattern_problem
from gate.registry import kind
from gate.status import Status
from gate.words import counted

if TYPE_CHECKING:
    from gate.tally import Tally

# Scores are tallied in millionths, as whole numbers: sums of integers are exact
# in any order, so a run split into shards reaches the same mean to the last digit.
PPM = 1_000_000
# The squares, for the interval of the mean, in thousandths squared: still whole
# numbers, and exact in a double past a billion items.
SQUARE = 1_000


@kind
class EvalScore(ResponseKind):
    """The mean score of the answers, each scored on named axes against the item's `expected`.

    Params:
      min_score: the check passes when the mean item score over judged items is at
        or above this (0 to 1); an item scoring below it is listed as a failed sample.
      axes: a mapping from axis name to its settings:
        scorer: exact (1 when equal), contains (1 when the expected text is inside
          the answer), regex (1 when `pattern` matches anywhere in the answer; no
          expected value needed), chrf (sacrebleu's sentence chrF, from 0 to 1) or
          json_keys (the share of the expected object's keys present, in any order).
        field: the response field, as a dotted path (default: the axis name); $ is
          the whole response.
        expected: the field of the item's `expected` (default: the same as field).
        weight: the axis's weight in an item's score (default 1).
        min_score: the lowest mean this axis may have (optional).
        normalize: compare ignoring case and runs of whitespace (default false).
        pattern: the regular expression of a regex axis (RE2 syntax).
      Every item of the check's corpora must hold the expected value each axis
      compares with: `gate validate` (and every run) names the corpus line of an
      item that lacks one. An item that still lacks one (a sampled smoke prompt)
      cannot be scored, and the check is then an error: the corpus, not the
      release, must be fixed.
    """

    name = "eval_score"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["min_score", "axes"],
        "properties": {
            "min_score": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "the lowest mean item score that passes; an item scoring below it "
                "is listed among the failed samples",
            },
            "axes": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
                "additionalProperties": AXIS_SCHEMA,
                "description": "the scored axes, by name (lower case); an item's score is the "
                "weighted mean of its axes",
            },
        },
        "examples": [
            {
                "min_score": 0.92,
                "axes": {
                    "english": {"scorer": "chrf"},
                    "spanish": {"scorer": "exact", "normalize": True, "min_score": 0.9},
                },
            }
        ],
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.min_score: float = params["min_score"]
        self.axes = tuple(Axis.from_params(name, spec) for name, spec in params["axes"].items())
        self.total_weight = sum(axis.weight for axis in self.axes)
        self.bar = Fraction(str(self.min_score))

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for name, spec in params["axes"].items():
            pattern = spec.get("pattern")
            if spec["scorer"] == "regex" and pattern is None:
                problems.append((("axes", name), "is a regex axis and needs a 'pattern'"))
            elif spec["scorer"] != "regex" and pattern is not None:
                problems.append((("axes", name, "pattern"), "applies only to a regex axis"))
            elif pattern is not None and (problem := pattern_problem(pattern)):
                problems.append((("axes", name, "pattern"), problem))
        return problems

    @classmethod
    def validate(cls, params: Mapping[str, Any], project: ProjectView) -> list[InputError]:
        """Every item of the check's corpora holds the expected values its axes compare with."""
        axes = [Axis.from_params(name, spec) for name, spec in params["axes"].items()]
        return lacking_expected(axes, project)

    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        sums: dict[str, float] = {"scored": 1}
        weighted = 0.0
        notes = []
        for axis in self.axes:
            try:
                value, note = axis.score(response, item.expected)
            except Unscorable as exc:
                return Judgement(False, f"cannot score: {exc}", {"unscored": 1})
            sums[f"axis.{axis.name}_ppm"] = round(value * PPM)
            weighted += value * axis.weight
            if value < 1.0:
                notes.append(f"{axis.name} {value:.2f} ({note})")
        score = weighted / self.total_weight
        sums["score_ppm"] = round(score * PPM)
        sums["score_sq"] = round(score * SQUARE) ** 2
        # Judged in millionths like the mean, so an item and the tally agree on the bar.
        if Fraction(int(sums["score_ppm"]), PPM) >= self.bar:
            return Judgement(True, sums=sums)
        reason = f"score {score:.4f} below {self.min_score}: " + "; ".join(notes)
        return Judgement(False, reason, sums)

    def unanswered(self, item: CorpusItem, reason: str) -> Judgement:
        # An answer a user could not read scores 0 on every axis: otherwise a
        # service failing most requests would pass on the mean of the few it answered.
        return Judgement(False, reason, self._scores(0, 1))

    def bound(self, tally: Tally, *, errored_passed: bool) -> Tally:
        bounded = super().bound(tally, errored_passed=errored_passed)
        sums = dict(bounded.sums)
        # Each errored item at its best (a score of 1) or its worst (0).
        for key, amount in self._scores(
            tally.errored if errored_passed else 0, tally.errored
        ).items():
            sums[key] = sums.get(key, 0) + amount
        bounded.sums = sums
        return bounded

    def _scores(self, score_items: int, items: int) -> dict[str, float]:
        """The sums of `items` scored items, `score_items` of them at 1 and the rest at 0."""
        sums: dict[str, float] = {
            "scored": items,
            "score_ppm": score_items * PPM,
            "score_sq": score_items * SQUARE**2,
        }
        for axis in self.axes:
            sums[f"axis.{axis.name}_ppm"] = score_items * PPM
        return sums

    def verdict(self, tally: Tally) -> Measurement:
        sums = tally.sums
        unscored, scored = int(sums.get("unscored", 0)), int(sums.get("scored", 0))
        if unscored:
            return Measurement(
                Status.ERROR,
                None,
                None,
                f"{counted(unscored, 'item')} {'lacks' if unscored == 1 else 'lack'} the "
                "expected values the axes compare with "
                "(see the samples); add them to the corpus or narrow the check with select",
            )
        if scored == 0:
            return Measurement(Status.ERROR, None, None, "zero items were scored")
        means = {
            axis.name: Fraction(int(sums.get(f"axis.{axis.name}_ppm", 0)), scored * PPM)
            for axis in self.axes
        }
        mean = Fraction(int(sums.get("score_ppm", 0)), scored * PPM)
        low, high = mean_interval(
            scored, int(sums.get("score_ppm", 0)) / PPM, sums.get("score_sq", 0) / SQUARE**2
        )
        interval = Interval(float(mean), low, high, self.min_score, "min", "score", scored)
        axes_text = ", ".join(f"{name} {float(value):.4f}" for name, value in means.items())
        below_axes = [
            f"axis {a.name} {float(means[a.name]):.4f} is below its minimum {a.min_score}"
            for a in self.axes
            if a.min_score is not None and means[a.name] < Fraction(str(a.min_score))
        ]
        limits = [f">= {self.min_score}"] + [
            f"{a.name} >= {a.min_score}" for a in self.axes if a.min_score is not None
        ]
        details: dict[str, Any] = {
            "axes": {name: round(float(value), 6) for name, value in means.items()},
            "scored": scored,
            "below_min_score": tally.failed,
            "interval": interval.to_json(),
        }
        if mean < self.bar:
            status, bar = Status.FAIL, f"below {self.min_score}{interval.unsettled_text()}"
        else:
            status, bar = Status.PASS, f"at or above {self.min_score}{interval.unsettled_text()}"
        if below_axes:
            status, bar = Status.FAIL, f"{bar}, but " + "; ".join(below_axes)
            details[FAILED_ELSEWHERE] = True
        message = (
            f"mean score {interval.text()} over {counted(scored, 'item')}, {bar} "
            f"(axes: {axes_text}; items scoring below {self.min_score}: {tally.failed})"
        )
        return Measurement(status, round(float(mean), 6), ", ".join(limits), message, details)
