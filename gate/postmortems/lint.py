"""Judge parsed postmortems against the rules in `gate.postmortems.rules`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gate.postmortems.checks import Severity
from gate.postmortems.model import Postmortem, shown_path
from gate.postmortems.parse import load_postmortems
from gate.postmortems.rules import RULES


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


def not_applicable(pm: Postmortem) -> tuple[str, ...]:
    """The ids of the rules whose information the postmortem's template does not hold."""
    return tuple(rule.id for rule in RULES if not rule.applies(pm))


def skipped_rules(pm: Postmortem) -> tuple[str, ...]:
    """The ids of the completeness rules a Draft skips (those that apply to it at all)."""
    if not pm.is_draft:
        return ()
    return tuple(rule.id for rule in RULES if rule.draft_skip and rule.applies(pm))


def lint(pm: Postmortem) -> list[Finding]:
    """Every finding for one postmortem, ordered by line, then by rule order."""
    skipped = set(skipped_rules(pm))
    findings = [
        Finding(
            pm.path, issue.line, rule.id, issue.severity or rule.severity, issue.message, issue.fix
        )
        for rule in RULES
        if rule.id not in skipped and rule.applies(pm)
        for issue in rule.check(pm)
    ]
    return sorted(findings, key=lambda finding: finding.line)  # stable: rule order within a line


def lint_folder(folder: Path, template: str = "auto") -> list[Finding]:
    """Parse and lint every postmortem in a folder (TEMPLATE.md is skipped)."""
    return [finding for pm in load_postmortems(folder, template) for finding in lint(pm)]
