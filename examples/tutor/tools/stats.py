"""Report how many answers in each data file outgrow each decode budget.

Run ``python -m examples.tutor.tools.stats`` from the repository root. For
the corpora the measured answer is the tutor's own answer under the baseline
release; for the portal log it is the logged response. Cost is English plus
Spanish tokens under the tutor's token rule.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ..lessons import load_lessons
from ..manifest import load_manifest
from ..model import answer_tokens, decode
from .common import BASELINE_MANIFEST, BUDGETS, EVAL, PORTAL_LOG, REGRESSION, REPO_ROOT, read_jsonl


@dataclass(frozen=True)
class Shares:
    """Answer costs of one file, and the share that overflows each budget."""

    name: str
    costs: tuple[int, ...]

    def count_over(self, budget: int) -> int:
        """Number of answers costing more than ``budget`` tokens."""
        return sum(cost > budget for cost in self.costs)

    def over(self, budget: int) -> float:
        """Share of answers costing more than ``budget`` tokens."""
        return self.count_over(budget) / len(self.costs) if self.costs else 0.0


def corpus_costs(path: Path) -> tuple[int, ...]:
    """Costs of the tutor's baseline answers to a corpus's prompts."""
    lessons = load_lessons()
    manifest = load_manifest(BASELINE_MANIFEST)
    costs = []
    for item in read_jsonl(path):
        answer = decode(lessons.lookup(item["prompt"]), manifest)
        costs.append(answer_tokens(answer.english, answer.spanish))
    return tuple(costs)


def log_costs(path: Path) -> tuple[int, ...]:
    """Costs of the responses recorded in a portal log."""
    return tuple(
        answer_tokens(row["response"]["english"], row["response"]["spanish"])
        for row in read_jsonl(path)
    )


def collect() -> list[Shares]:
    """Measure every data file the tutor ships with."""
    return [
        Shares(str(REGRESSION.relative_to(REPO_ROOT)), corpus_costs(REGRESSION)),
        Shares(str(EVAL.relative_to(REPO_ROOT)), corpus_costs(EVAL)),
        Shares(str(PORTAL_LOG.relative_to(REPO_ROOT)), log_costs(PORTAL_LOG)),
    ]


def render(rows: list[Shares]) -> str:
    """Format the measurements as a fixed-width table."""
    head = f"{'file':<34}{'items':>6}{'max':>5}" + "".join(f"{'> ' + str(b):>14}" for b in BUDGETS)
    lines = [head]
    for row in rows:
        cells = "".join(f"{row.count_over(b):>6} {row.over(b):>7.1%}" for b in BUDGETS)
        lines.append(f"{row.name:<34}{len(row.costs):>6}{max(row.costs, default=0):>5}{cells}")
    lines.append("(answers whose English+Spanish cost exceeds the budget: count and share)")
    return "\n".join(lines)


def main() -> int:
    """Print the table."""
    print(render(collect()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
