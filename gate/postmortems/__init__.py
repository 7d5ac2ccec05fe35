"""Postmortems as code: parse the Markdown files in `postmortems/` and lint them.

Every gate check points at an action item of a postmortem (`<id>#AI-<n>`);
this package reads those postmortems, written to any of the templates in
`gate.postmortems.templates`, and holds each to its own template.
"""

from gate.postmortems.lint import Finding, lint, lint_folder, not_applicable, skipped_rules
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
from gate.postmortems.templates import TEMPLATES, Template

__all__ = [
    "DRAFT_SKIPPED",
    "RULES",
    "TEMPLATES",
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
    "Template",
    "TextBlock",
    "TimelineRow",
    "lint",
    "lint_folder",
    "load_postmortems",
    "not_applicable",
    "parse_postmortem",
    "skipped_rules",
]
