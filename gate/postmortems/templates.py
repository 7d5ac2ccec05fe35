"""The three postmortem templates the gate reads, in their own words, and how a file is recognised.

`gate` is the project's own template (`postmortems/TEMPLATE.md`), the richest of
the three. `analysis` opens with `# Postmortem: <title>` and an `ID:` line and
keeps its typed factors under `## Analysis`. `four-section` has a Situation, a
timeline of `HH:MM event` lines, a list of contributing factors and an action
items table. All three fill the same `Postmortem` model; a rule whose
information a template does not hold is not applicable to its files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.postmortems.model import (
    ACTIONS,
    FACTORS,
    HEADER_FIELDS,
    REVIEW,
    REVIEW_FIELDS,
    SUMMARY,
    TIMELINE,
    WENT_WELL,
)
from gate.postmortems.times import date_in_id

_DATED_ID = r"-\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*"
# A heading may carry its number (`## 1. Situation`) and a note in brackets
# (`## Timeline (UTC)`, `## Contributing factors (3-5 items)`); neither names the section.
_NUMBER = re.compile(r"\d+[.)]\s*")
_NOTE = re.compile(r"\s*\([^)]*\)\s*$")
#: Every heading any template gives a section, mapped to the section it is.
SECTION_NAMES = {
    "summary": SUMMARY,
    "situation": SUMMARY,
    "timeline": TIMELINE,
    "contributing factors": FACTORS,
    "analysis": FACTORS,
    "what went well": WENT_WELL,
    "action items": ACTIONS,
    "review record": REVIEW,
}


@dataclass(frozen=True)
class Template:
    """One template: the sections, lines and columns it asks for, and the words it uses for them.

    `columns` are the action item columns it requires, in its order; `optional`
    ones are read when a file has them, and `warn_missing` are optional columns
    whose absence is a warning. A rule in `not_applicable` asks for something
    this template does not hold.
    """

    name: str
    head: str  # the first lines of a new file, with {id} and {title}
    shown_by: str  # where its layout is shown, for fixes
    title_fix: str
    title_after: str  # what the title follows on the title line
    id_name: str  # what the template calls the id: a title id or an ID line
    id_shape: str
    id_pattern: re.Pattern[str]
    id_fix: str
    headings: tuple[tuple[str, str], ...]  # (section, heading as written here), in order
    header_fields: tuple[str, ...]
    field_prefix: str  # "- " when its `Key: value` lines are list items
    review_fields: tuple[str, ...]
    summary_words: tuple[int, int] | None
    summary_fix: str
    timeline_table: bool
    factor_ids: bool  # factors carry a written F<n> id, and the Factor column cites it
    factor_type_fix: str
    counterfactual: str
    no_root_cause: str
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    warn_missing: tuple[str, ...] = ()
    not_applicable: frozenset[str] = frozenset()

    def id_problem(self, ident: str) -> str | None:
        """Why an id is not one this template takes, or None when it is."""
        if not self.id_pattern.fullmatch(ident):
            return f"{self.id_name} '{ident}' is not {self.id_shape}"
        if date_in_id(ident) is None:
            return f"{self.id_name} '{ident}' does not hold a real date"
        return None

    def heading(self, section: str) -> str:
        """The heading this template gives a section."""
        return dict(self.headings).get(section, section)

    @property
    def timeline_markers(self) -> bool:
        """Whether its timeline tags the (impact start), (detected) and (mitigated) rows."""
        return "timeline-markers" not in self.not_applicable

    def cite(self, factor: str) -> str:
        """A factor named as the Factor column names it: `F3`, or `factor 3`."""
        return factor if self.factor_ids else f"factor {factor}"


GATE = Template(
    name="gate",
    head="# {id}: {title}",
    shown_by="postmortems/TEMPLATE.md",
    title_fix="start the file with a title line '# INC-YYYY-MM-DD-<slug>: <one-line title>'",
    title_after="the colon",
    id_name="title id",
    id_shape="INC-YYYY-MM-DD-<slug>",
    id_pattern=re.compile("INC" + _DATED_ID),
    id_fix="write the id as INC-, the UTC start date, then a lowercase slug (a-z, 0-9, hyphens).",
    headings=tuple((s, s) for s in (SUMMARY, TIMELINE, FACTORS, WENT_WELL, ACTIONS, REVIEW)),
    header_fields=HEADER_FIELDS,
    field_prefix="- ",
    review_fields=REVIEW_FIELDS,
    summary_words=(50, 150),
    summary_fix=(
        "say what broke, who was affected, when it started and ended, how it was mitigated."
    ),
    timeline_table=True,
    factor_ids=True,
    factor_type_fix="write [technical], [process] or [detection] after the id.",
    counterfactual="Counterfactual: had <X> been <Y>, the incident would have <Z>.",
    no_root_cause="This postmortem names no single root cause.",
    columns=("ID", "Action", "Owner", "Due", "Priority", "Factor", "Done when", "Enforced"),
)

_ANY_PREFIX = re.compile("[A-Z][A-Z0-9]*" + _DATED_ID)
_ANY_PREFIX_FIX = (
    "write the id as a capital prefix such as PM- or INC-, the UTC date of the incident, "
    "then a lowercase slug (a-z, 0-9, hyphens)."
)

ANALYSIS = Template(
    name="analysis",
    head="# Postmortem: {title}\nID: {id}",
    shown_by="`gate postmortem new --template analysis`",
    title_fix="start the file with a title line '# Postmortem: <title>' and a line "
    "'ID: PM-YYYY-MM-DD-<slug>' under it",
    title_after="'Postmortem:'",
    id_name="ID",
    id_shape="PREFIX-YYYY-MM-DD-<slug>",
    id_pattern=_ANY_PREFIX,
    id_fix=_ANY_PREFIX_FIX,
    headings=(
        (SUMMARY, "Summary"),
        (TIMELINE, "Timeline (UTC)"),
        (FACTORS, "Analysis"),
        (WENT_WELL, "What went well"),
        (ACTIONS, "Action items"),
        (REVIEW, "Review record"),
    ),
    header_fields=("Status", "Severity", "Authors"),
    field_prefix="",
    review_fields=(*REVIEW_FIELDS, "Status"),
    summary_words=None,
    summary_fix="say in one paragraph what broke, who was affected and for how long.",
    timeline_table=True,
    factor_ids=False,
    factor_type_fix="start the factor with [technical], [process] or [detection].",
    counterfactual="counterfactual: if <X> had <Y>, the incident would have <Z>.",
    no_root_cause="We do not name a single root cause.",
    columns=("ID", "Action", "Owner", "Due", "Priority", "Factor"),
    optional=("Done when", "Enforced"),
    warn_missing=("Done when", "Enforced"),
    not_applicable=frozenset({"timeline-markers", "incident-window", "factor-id"}),
)

FOUR_SECTION = Template(
    name="four-section",
    head="# {id} \u2014 {title}",
    shown_by="`gate postmortem new --template four-section`",
    title_fix="start the file with a title line '# INC-YYYY-MM-DD-<slug> — <one-line title>'",
    title_after="the id",
    id_name="title id",
    id_shape="PREFIX-YYYY-MM-DD-<slug>",
    id_pattern=_ANY_PREFIX,
    id_fix=_ANY_PREFIX_FIX,
    headings=(
        (SUMMARY, "Situation"),
        (TIMELINE, "Timeline (UTC)"),
        (FACTORS, "Contributing factors"),
        (ACTIONS, "Action items"),
    ),
    header_fields=(),
    field_prefix="",
    review_fields=(),
    summary_words=(50, 150),
    summary_fix="say what happened, what users saw, and when it started and ended (UTC).",
    timeline_table=False,
    factor_ids=False,
    factor_type_fix="",
    counterfactual="",
    no_root_cause="",
    columns=("Action", "Owner", "Due", "Done when"),
    optional=("ID", "Priority", "Factor", "Enforced"),
    warn_missing=("Enforced",),
    not_applicable=frozenset(
        {
            "header-fields",
            "header-values",
            "timeline-markers",
            "timeline-durations",
            "incident-window",
            "factor-id",
            "factor-type",
            "factor-counterfactual",
            "no-root-cause",
            "review-record",
        }
    ),
)

#: The templates by name, the project's own first.
TEMPLATES: dict[str, Template] = {t.name: t for t in (GATE, ANALYSIS, FOUR_SECTION)}
#: What gate.yaml's `postmortems.template` may say: a template's name, or `auto` to recognise it.
TEMPLATE_CHOICES: tuple[str, ...] = ("auto", *TEMPLATES)


def _bare(heading: str) -> str:
    return _NOTE.sub("", _NUMBER.sub("", heading.strip(), count=1)).casefold()


def section_of(heading: str) -> str:
    """The section a heading stands for (`## 1. Situation` is the summary), or '' if none."""
    return SECTION_NAMES.get(_bare(heading), "")


def recognise(title: str, fields: set[str], headings: list[str]) -> Template:
    """Which template a file follows, from its title line, header field names and headings.

    A `Postmortem:` title, an `ID:` line or an `## Analysis` section mark the
    analysis template; a `## Situation` section or numbered headings the
    four-section one; anything else is read as the project's own.
    """
    names = {_bare(heading) for heading in headings}
    if title.casefold().startswith("postmortem:") or "id" in fields or "analysis" in names:
        return ANALYSIS
    if "situation" in names or any(_NUMBER.match(h) for h in headings):
        return FOUR_SECTION
    return GATE
