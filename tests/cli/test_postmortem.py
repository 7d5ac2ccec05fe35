"""`gate postmortem lint` on files written to any template, and `gate postmortem new`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.postmortems import lint, parse_postmortem
from gate.status import ExitCode
from tests.conftest import INCIDENT, REPO, ProjectFactory, gate_cli

ANALYSIS = REPO / "tests/postmortems/analysis/PM-2026-08-14-tutor-spanish-gloss-missing.md"
FOUR_SECTION = REPO / f"tests/postmortems/four-section/{INCIDENT}.md"
DONE_WHEN = (
    "warning [action-done-when] the action items have no 'Done when' column, so no item says "
    "what done means. Fix: add a 'Done when' column with a yes/no test for each item; until then "
    "`gate trace` shows 'done when: not written'."
)
ENFORCED = (
    "warning [action-enforced] the action items have no 'Enforced' column, so every item counts "
    "as one a gate check must enforce. Fix: add an 'Enforced' column: gate where a gate check "
    "enforces the item, manual for a process change."
)


def _lint(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    """`gate postmortem lint ARGS` run in `folder`, which holds no gate.yaml."""
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, ["postmortem", "lint", *args])
    return result.exit_code, result.output


def test_each_source_template_lints_standalone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for source in (ANALYSIS, FOUR_SECTION):
        shutil.copy(source, tmp_path / source.name)
    code, output = _lint(tmp_path, monkeypatch, ANALYSIS.name, FOUR_SECTION.name)
    assert code == ExitCode.OK
    assert output.splitlines() == [
        f"{ANALYSIS.name}:45: {DONE_WHEN}",
        f"{ANALYSIS.name}:45: {ENFORCED}",
        f"{ANALYSIS.name}: analysis template: not applicable: timeline-markers, incident-window, "
        "factor-id",
        f"{FOUR_SECTION.name}:40: {ENFORCED}",
        f"{FOUR_SECTION.name}: four-section template: not applicable: header-fields, "
        "header-values, timeline-markers, timeline-durations, incident-window, factor-id, "
        "factor-type, factor-counterfactual, no-root-cause, factor-has-action, action-id, "
        "action-id-unique, action-priority, action-factor, action-per-factor, review-record",
        "2 postmortems: 0 errors, 3 warnings",
    ]


def test_a_file_mixing_the_templates_section_names_lints_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ANALYSIS.read_text(encoding="utf-8").replace("## Analysis", "## Contributing factors")
    (tmp_path / ANALYSIS.name).write_text(text, encoding="utf-8")
    code, output = _lint(tmp_path, monkeypatch, ANALYSIS.name)
    assert code == ExitCode.OK
    assert output.endswith("1 postmortem: 0 errors, 2 warnings\n")


def test_template_option_reads_every_file_as_one_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FOUR_SECTION, tmp_path / FOUR_SECTION.name)
    code, output = _lint(tmp_path, monkeypatch, "--template", "gate", FOUR_SECTION.name)
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines()[0] == (
        f"{FOUR_SECTION.name}:1: error [header-fields] header field 'Status' is missing. Fix: add "
        "'- Status: <value>' to the list under the title."
    )
    assert output.endswith("1 postmortem: 42 errors, 0 warnings\n")


def test_a_config_named_on_the_command_line_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ANALYSIS, tmp_path / ANALYSIS.name)
    code, output = _lint(tmp_path, monkeypatch, "-c", "other.yaml", ANALYSIS.name)
    assert code == ExitCode.INPUT_ERROR
    assert output.startswith("gate: other.yaml: gate configuration not found")


def test_gate_yaml_names_the_template_of_the_folder(project: ProjectFactory, chdir: object) -> None:
    project.write("gate.yaml", project.config.read_text() + "postmortems: {template: analysis}\n")
    code, output = gate_cli(project, chdir, "postmortem", "lint")
    # Read as the analysis template, the project's own postmortem lacks only the review's Status.
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines() == [
        f"postmortems/{INCIDENT}.md:64: error [review-record] the review record has no 'Status' "
        "line. Fix: add 'Status: ...' once the review meeting has happened.",
        f"postmortems/{INCIDENT}.md: analysis template: not applicable: timeline-markers, "
        "incident-window, factor-id",
        "1 postmortem: 1 error, 0 warnings",
    ]


@pytest.mark.parametrize(
    ("template", "ident", "rules"),
    [
        (
            "gate",
            "INC-2026-09-01-quiz-timeouts",
            [
                "header-values",
                "header-values",
                "header-values",
                "timeline-utc",
                "timeline-utc",
                "timeline-utc",
                "action-owner",
                "action-due",
            ],
        ),
        (
            "analysis",
            "PM-2026-09-01-quiz-timeouts",
            [
                "header-values",
                "timeline-utc",
                "factor-type",
                "factor-type",
                "factor-type",
                "action-enforced",
                "action-owner",
                "action-due",
            ],
        ),
        (
            "four-section",
            "INC-2026-09-01-quiz-timeouts",
            ["summary-length", "timeline-utc", "action-enforced", "action-owner", "action-due"],
        ),
    ],
)
def test_new_writes_a_postmortem_to_fill_in(
    project: ProjectFactory, chdir: object, template: str, ident: str, rules: list[str]
) -> None:
    code, output = gate_cli(
        project, chdir, "postmortem", "new", "--template", template, ident, "Quiz answers time out"
    )
    assert code == ExitCode.OK, output
    shown = f"postmortems/{ident}.md"
    assert output == (
        f"wrote {shown} ({template} template): fill in every <placeholder>, then run "
        f"`gate postmortem lint {shown}`\n"
    )
    pm = parse_postmortem(project.root / shown)
    assert (pm.template.name, pm.id, pm.title) == (template, ident, "Quiz answers time out")
    # What is left to fill in is what the lint asks for; a Draft is spared the rest.
    assert [finding.rule for finding in lint(pm)] == rules
    code, output = gate_cli(project, chdir, "postmortem", "lint", shown)
    assert code == ExitCode.INPUT_ERROR


def test_new_uses_the_template_gate_yaml_names(project: ProjectFactory, chdir: object) -> None:
    project.write("gate.yaml", project.config.read_text() + "postmortems: {template: analysis}\n")
    code, _ = gate_cli(project, chdir, "postmortem", "new", "PM-2026-09-01-x", "Title")
    assert code == ExitCode.OK
    text = (project.root / "postmortems/PM-2026-09-01-x.md").read_text()
    assert text.startswith("# Postmortem: Title\nID: PM-2026-09-01-x\nStatus: Draft\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("PM-2026-09-01-x", "Title"),
            "gate: the title id 'PM-2026-09-01-x' is not INC-YYYY-MM-DD-<slug>\n"
            "  fix: write the id as INC-, the UTC start date, then a lowercase slug (a-z, 0-9, "
            "hyphens).\n",
        ),
        (
            ("--template", "analysis", "PM-2026-02-30-x", "Title"),
            "gate: the ID 'PM-2026-02-30-x' does not hold a real date\n"
            "  fix: write the id as a capital prefix such as PM- or INC-, the UTC date of the "
            "incident, then a lowercase slug (a-z, 0-9, hyphens).\n",
        ),
        (
            ("--template", "four-section", "INC-2026-09-01-x", " "),
            "gate: the title is empty\n  fix: give the postmortem a one-line title\n",
        ),
        (
            (INCIDENT, "Title"),
            f"gate: postmortems/{INCIDENT}.md: already exists\n"
            "  fix: choose another id, or edit that file\n",
        ),
    ],
)
def test_new_refuses_what_it_cannot_write(
    project: ProjectFactory, chdir: object, args: tuple[str, ...], message: str
) -> None:
    before = sorted(path.name for path in (project.root / "postmortems").iterdir())
    code, output = gate_cli(project, chdir, "postmortem", "new", *args)
    assert (code, output) == (ExitCode.INPUT_ERROR, message)
    assert sorted(path.name for path in (project.root / "postmortems").iterdir()) == before
