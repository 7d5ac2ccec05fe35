"""What the HTML report shows of every item: its prompt, its answer, and each check's verdict.

The collector watches the run (`RunObserver`): each block of answers as it is
judged, and every item a check failed or could not judge, whatever the JSON
report's cap. It keeps them in memory until the report is written: about
630 bytes an item for the tutor's answers, 63 MB for 100,000 items
(benchmarks/html_report.py), so it watches a run only when `--report-html`
asks for the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson

from gate.checks import CheckSpec
from gate.kinds.fields import get_field
from gate.observers import RunObserver
from gate.tally import Sample
from gate.targets.base import AnsweredBlock

#: The longest prompt or answer text shown; a longer one is cut and says so.
MAX_TEXT = 2000
_OUTCOME = {"failed": "fail", "errored": "error"}


def _cut(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    return f"{text[:MAX_TEXT]}… (cut: {len(text):,} characters in all)"


def _ranges(indexes: list[int]) -> list[list[int]]:
    """[[start, count], ...]: runs of consecutive indexes, as most checks read whole corpora."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][0] + runs[-1][1] == index:
            runs[-1][1] += 1
        else:
            runs.append([index, 1])
    return runs


class _Check:
    """What one check read, and what it found wrong, by item index."""

    def __init__(self, check: CheckSpec) -> None:
        field = check.params.get("field")
        self.field = field if isinstance(field, str) else None
        self.reads: list[int] = []
        self.problems: dict[int, tuple[str, str, str]] = {}
        self.lengths: Counter[int] = Counter()  # characters of `field`, for a text field
        self.no_text = 0  # answers without that field as a string


class ItemCollector(RunObserver):
    """Every item of a run, for the HTML report's item table and its field-length charts.

    Args:
        redact: the target's masking of its secrets, applied to every answer and reason kept.
    """

    def __init__(self, redact: Callable[[str], str]) -> None:
        self.redact = redact
        self.rows: list[list[Any]] = []  # [id, corpus, line, prompt, answer, milliseconds]
        self.corpora: list[str] = []
        self._corpus_at: dict[str, int] = {}
        self._index: dict[tuple[str, str], int] = {}
        self.checks: dict[str, _Check] = {}
        self._reasons: dict[str, int] = {}

    def answered(self, block: AnsweredBlock, checks: Sequence[CheckSpec]) -> None:
        watched = [self.checks.get(check.id) or self._start(check) for check in checks]
        timings = block.timings
        for at, item in enumerate(block.items):
            body = block.bodies[at]
            index = len(self.rows)
            self._index[(item.corpus, item.id)] = index
            corpus = self._corpus_at.get(item.corpus)
            if corpus is None:
                corpus = self._corpus_at[item.corpus] = len(self.corpora)
                self.corpora.append(item.corpus)
            answer = "" if body is None else self.redact(_cut(orjson.dumps(body).decode()))
            timing = timings[at] if timings is not None else None
            millis = round(timing.total_s * 1000, 1) if timing is not None else None
            self.rows.append([item.id, corpus, item.line, _cut(item.prompt), answer, millis])
            for check, kept in zip(checks, watched, strict=True):
                if check.select is not None and not check.select.matches(item):
                    continue
                kept.reads.append(index)
                if kept.field is not None:
                    value = get_field(body, kept.field) if body is not None else None
                    if isinstance(value, str):
                        kept.lengths[len(value)] += 1
                    else:
                        kept.no_text += 1

    def _start(self, check: CheckSpec) -> _Check:
        kept = self.checks[check.id] = _Check(check)
        return kept

    def problem(self, check: CheckSpec, sample: Sample) -> None:
        index = self._index.get((sample.corpus, sample.item))
        if index is not None:
            self.checks[check.id].problems[index] = (
                _OUTCOME.get(sample.outcome, sample.outcome),
                self.redact(sample.reason),
                sample.cause,
            )

    def _reason(self, reason: str) -> int:
        # Most reasons repeat ("'spanish' is blank"): each is kept once.
        found = self._reasons.get(reason)
        if found is None:
            found = self._reasons[reason] = len(self._reasons)
        return found

    def lengths(self, check_id: str) -> tuple[Mapping[int, int], int] | None:
        """The length of each answer's text field, by characters, and answers without one."""
        kept = self.checks.get(check_id)
        if kept is None or kept.field is None:
            return None
        return kept.lengths, kept.no_text

    def to_json(self) -> dict[str, Any]:
        """The compact form the report's page script reads."""
        checks = {
            check_id: {
                "reads": _ranges(kept.reads),
                "problems": [
                    [index, outcome, self._reason(reason), cause]
                    for index, (outcome, reason, cause) in sorted(kept.problems.items())
                ],
            }
            for check_id, kept in self.checks.items()
        }
        return {
            "corpora": self.corpora,
            "rows": self.rows,
            "checks": checks,
            "reasons": list(self._reasons),
        }
