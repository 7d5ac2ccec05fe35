"""Links in both directions: checks to action items, action items to checks and results."""

from __future__ import annotations

import json

from gate.status import ExitCode
from tests.conftest import INCIDENT, ProjectFactory, gate_cli

_invoke = gate_cli


def test_an_unknown_action_item_suggests_the_existing_ids(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=5, empty=0)
    path = project.root / "checks/spanish-gloss-nonempty.yaml"
    path.write_text(path.read_text().replace("#AI-4", "#AI-9"))
    code, output = _invoke(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        f"checks/spanish-gloss-nonempty.yaml:3: action item {INCIDENT}#AI-9 does not exist; "
        f"{INCIDENT} has AI-1, AI-2, AI-3, AI-4, AI-5\n"
        "  fix: point action_item at one of them\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_an_unknown_postmortem_suggests_the_nearest(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=5, empty=0)
    path = project.root / "checks/spanish-gloss-nonempty.yaml"
    path.write_text(path.read_text().replace("gloss-missing#", "glos-missing#"))
    code, output = _invoke(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/spanish-gloss-nonempty.yaml:3: postmortem "
        "INC-2026-08-14-tutor-spanish-glos-missing does not exist in postmortems/\n"
        f"  fix: did you mean {INCIDENT}?\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_trace_lists_the_unenforced_items_and_strict_fails(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=5, empty=0)
    code, output = _invoke(project, chdir, "trace", "--strict", "--format", "json")
    assert code == ExitCode.BLOCKED
    trace = json.loads(output)
    assert trace["unenforced"] == [f"{INCIDENT}#AI-{n}" for n in (1, 2, 3, 5)]
    assert trace["orphans"] == [] and trace["overdue"] == []
    item = next(row for row in trace["items"] if row["ref"] == f"{INCIDENT}#AI-4")
    assert item["owner"] == "Borja" and item["due"] == "2026-08-22"
    assert item["checks"] == [{"id": "spanish-gloss-nonempty", "result": None}]


def test_trace_passes_strict_once_every_item_has_a_check(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=5, empty=0)
    for number in (1, 2, 3, 5):
        project.write(
            f"checks/ai-{number}.yaml",
            f"id: ai-{number}\nkind: field_nonempty\naction_item: {INCIDENT}#AI-{number}\n"
            "suites: [release]\ncorpora: [regression]\nparams: {field: english}\n",
        )
    code, output = _invoke(project, chdir, "trace", "--strict")
    assert code == ExitCode.OK, output
    assert output.endswith("no gaps\n")


def test_trace_with_a_report_shows_results_and_overdue_items(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=10, empty=5)
    code, _ = _invoke(project, chdir, "run", "--report-json", "r.json")
    assert code == ExitCode.BLOCKED
    code, output = _invoke(project, chdir, "trace", "--report", "r.json", "--format", "markdown")
    assert code == ExitCode.OK
    assert (
        f"| {INCIDENT}#AI-4 | Borja | 2026-08-22 | P1 | spanish-gloss-nonempty (fail) |" in output
    )
    assert f"- overdue: {INCIDENT}#AI-4 was due 2026-08-22; its checks do not all pass" in output


def test_trace_names_a_check_whose_item_is_gone(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=5, empty=0)
    path = project.root / "checks/spanish-gloss-nonempty.yaml"
    path.write_text(path.read_text().replace("#AI-4", "#AI-9"))
    code, output = _invoke(project, chdir, "trace", "--strict")
    assert code == ExitCode.BLOCKED
    assert (
        f"orphan: spanish-gloss-nonempty.yaml names {INCIDENT}#AI-9, which does not exist" in output
    )


def test_explain_says_why_a_check_exists(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=5, empty=0)
    code, output = _invoke(project, chdir, "explain", "spanish-gloss-nonempty")
    assert code == ExitCode.OK
    lines = output.splitlines()
    assert lines[0] == "spanish-gloss-nonempty (spanish-gloss-nonempty.yaml)"
    assert lines[1] == f"  postmortem:  {INCIDENT}"
    assert lines[3].startswith("  factor:      F4 [technical] ")
    assert lines[5] == "  owner:       Borja, due 2026-08-22, priority P1"
    assert lines[6] == (
        "  done when:   The eval gate fails any release where more than 2% of answers have an "
        "empty gloss"
    )
    assert lines[-1] == "  params:      field=spanish, max_failure_rate=0.02"


def test_explain_an_unknown_check(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=5, empty=0)
    code, output = _invoke(project, chdir, "explain", "spanish-gloss")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate: checks: there is no check 'spanish-gloss'\n"
        "  fix: did you mean 'spanish-gloss-nonempty'?\n"
    )


def test_new_check_is_linked_and_valid_once_filled(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=5, empty=0)
    code, output = _invoke(
        project, chdir, "new-check", "--from", f"{INCIDENT}#AI-1", "--kind", "field_nonempty"
    )
    assert code == ExitCode.OK, output
    path = project.root / "checks/ai-1-field-nonempty.yaml"
    text = path.read_text()
    assert f"action_item: {INCIDENT}#AI-1\n" in text
    assert "# owner Borja, due 2026-08-21" in text
    code, output = _invoke(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    expected = (
        "checks/ai-1-field-nonempty.yaml:12:3: 'params.field' should be a string, found nothing"
    )
    assert expected in output
    path.write_text(text.replace("field: null", "field: english"))
    code, output = _invoke(project, chdir, "validate")
    assert code == ExitCode.OK, output


def test_new_check_from_an_unknown_item(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=5, empty=0)
    code, output = _invoke(
        project, chdir, "new-check", "--from", f"{INCIDENT}#AI-7", "--kind", "field_nonempty"
    )
    assert code == ExitCode.INPUT_ERROR
    assert output.startswith(f"gate: action item {INCIDENT}#AI-7 does not exist\n")


def test_postmortem_lint_of_the_repository(project: ProjectFactory, chdir: object) -> None:
    code, output = _invoke(project, chdir, "postmortem", "lint")
    assert code == ExitCode.OK
    assert output == "1 postmortem: 0 errors, 0 warnings\n"


def test_postmortem_lint_of_a_broken_file(project: ProjectFactory, chdir: object) -> None:
    path = project.root / f"postmortems/{INCIDENT}.md"
    path.write_text(path.read_text().replace("| Borja |", "| the team |", 1))
    code, output = _invoke(project, chdir, "postmortem", "lint")
    assert code == ExitCode.INPUT_ERROR
    assert "error [action-owner]" in output
    assert output.endswith("1 postmortem: 1 error, 0 warnings\n")
