"""Judge parsed postmortems against the rules in `gate.postmortems.rules`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gate.postmortems.model import Postmortem, shown_path
from gate.postmortems.parse import load_postmortems
from gate.postmortems.rules import RULES, Severity


@dataclass(frozen=True)
class Finding:
    """One broken rule at one line of one postmortem, with the fix."""

    path: Path
    line: int
    rule: str
    severity: Severity
    message: str
    fix: str

    def __str__(self) -> str:
        return (
            f"{shown_path(self.path)}:{self.line}: {self.severity} [{self.rule}] "
            f"{self.message}. Fix: {self.fix}"
        )


def skipped_rules(pm: Postmortem) -> tuple[str, ...]:
    """The ids of the completeness rules this postmortem skips: all of them if Draft, else none."""
    return tuple(rule.id for rule in RULES if rule.draft_skip) if pm.is_draft else ()


def lint(pm: Postmortem) -> list[Finding]:
    """Every finding for one postmortem, ordered by line, then by rule order."""
    skipped = set(skipped_rules(pm))
    findings = [
        Finding(pm.path, issue.line, rule.id, rule.severity, issue.message, issue.fix)
        for rule in RULES
        if rule.id not in skipped
        for issue in rule.check(pm)
    ]
    return sorted(findings, key=lambda finding: finding.line)  # stable: rule order within a line


def lint_folder(folder: Path) -> list[Finding]:
    """Parse and lint every postmortem in a folder (TEMPLATE.md is skipped)."""
    return [finding for pm in load_postmortems(folder) for finding in lint(pm)]
