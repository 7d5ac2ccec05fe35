"""Postmortems as code: parse the Markdown files in `postmortems/` and lint them.

Every gate check points at an action item of a postmortem (`<id>#AI-<n>`);
this package reads those postmortems and holds them to the template.
"""

from gate.postmortems.lint import Finding, lint, lint_folder, skipped_rules
from gate.postmortems.model import (
    ActionItem,
    Duration,
    Factor,
    Field,
    Postmortem,
    PostmortemError,
    Section,
    TextBlock,
    TimelineRow,
)
from gate.postmortems.parse import TEMPLATE_NAME, load_postmortems, parse_postmortem
from gate.postmortems.rules import DRAFT_SKIPPED, RULES, Rule

__all__ = [
    "DRAFT_SKIPPED",
    "RULES",
    "TEMPLATE_NAME",
    "ActionItem",
    "Duration",
    "Factor",
    "Field",
    "Finding",
    "Postmortem",
    "PostmortemError",
    "Rule",
    "Section",
    "TextBlock",
    "TimelineRow",
    "lint",
    "lint_folder",
    "load_postmortems",
    "parse_postmortem",
    "skipped_rules",
]
