"""Links in both directions: checks to action items, action items to checks and results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from junitparser import JUnitXml

from gate.cli import cli
from gate.status import ExitCode
from tests.conftest import INCIDENT, REPO, ProjectFactory, gate_cli

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
        "  done when:   A release with an empty gloss in more than 2% of its answers fails the "
        "eval gate"
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
    path = project.root / "checks/tutor-spanish-gloss-missing-ai-1-field-nonempty.yaml"
    text = path.read_text()
    assert f"action_item: {INCIDENT}#AI-1\n" in text
    assert "# owner Borja, due 2026-08-21" in text
    code, output = _invoke(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    expected = (
        "checks/tutor-spanish-gloss-missing-ai-1-field-nonempty.yaml:12:3: "
        "'params.field' should be a string, found nothing"
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


# The same incident written to the two source templates: an analysis postmortem under its own
# PM- id, and the four-section one under the incident's own id.
ANALYSIS = REPO / "tests/postmortems/analysis/PM-2026-08-14-tutor-spanish-gloss-missing.md"
PM = "PM-2026-08-14-tutor-spanish-gloss-missing"
FOUR_SECTION = REPO / f"tests/postmortems/four-section/{INCIDENT}.md"
GLOSS_DONE_WHEN = "The eval gate rejects any release in which > 2% of responses lack the gloss"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A copy of this repository with the analysis postmortem added, and the decode budget pin
    linked to its AI-1."""
    for name in ("gate.yaml", "checks", "corpora", "postmortems", "releases", "examples"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copy(ANALYSIS, tmp_path / "postmortems" / ANALYSIS.name)
    pin = tmp_path / "checks/decode-budget-pin.yaml"
    pin.write_text(pin.read_text().replace(f"{INCIDENT}#AI-1", f"{PM}#AI-1"))
    return tmp_path


def _gate(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_check_links_to_an_item_of_an_analysis_postmortem(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _gate(repository, monkeypatch, "validate")
    assert code == ExitCode.OK, out + err
    checks = len(list((repository / "checks").glob("*.yaml")))
    assert out == f"gate: gate.yaml: valid: {checks} checks, 4 corpora, 2 release manifests\n"
    unwritten = f"gate: warning: postmortems/{PM}.md:45: warning [action-done-when]"
    assert unwritten in err.splitlines()[0]
    code, out, _ = _gate(repository, monkeypatch, "trace", "--format", "json")
    assert code == ExitCode.OK
    item = next(row for row in json.loads(out)["items"] if row["ref"] == f"{PM}#AI-1")
    assert item == {
        "ref": f"{PM}#AI-1",
        "postmortem": PM,
        "postmortem_title": "Grammar tutor answered without its Spanish gloss after v2.4.0",
        "template": "analysis",
        "action": "Pin max_decode_tokens in the release manifest; fail CI below 24 or on a cut of "
        "more than 4x",
        "owner": "Borja",
        "due": "2026-08-21",
        "priority": "P1",
        "factor": "1",
        "factor_text": "The release cut max_decode_tokens from 32 to 16 for latency, and no check "
        "compared it with the release before.",
        "done_when": None,
        "enforced": "gate",
        "in_scope": True,
        "checks": [{"id": "decode-budget-pin", "result": None}],
        "proof": None,  # no proof was asked for
    }
    code, out, _ = _gate(repository, monkeypatch, "trace")
    assert f"{PM}#AI-1  Borja  2026-08-21  P1  decode-budget-pin (no result)  not written" in out
    code, out, _ = _gate(repository, monkeypatch, "explain", "decode-budget-pin")
    assert code == ExitCode.OK
    assert out.splitlines()[1:7] == [
        f"  postmortem:  {PM}",
        "               Grammar tutor answered without its Spanish gloss after v2.4.0",
        "  factor:      1 [technical] The release cut max_decode_tokens from 32 to 16 for "
        "latency, and no check compared it with the release before.",
        "  action item: AI-1: Pin max_decode_tokens in the release manifest; fail CI below 24 or "
        "on a cut of more than 4x",
        "  owner:       Borja, due 2026-08-21, priority P1",
        "  done when:   not written",
    ]


def _four_section(project: ProjectFactory) -> None:
    """The project's incident written to the four-section template."""
    project.write(f"postmortems/{INCIDENT}.md", FOUR_SECTION.read_text(encoding="utf-8"))


def _both_source_templates(project: ProjectFactory) -> None:
    """The four-section incident, and beside it the same incident on the analysis template."""
    _four_section(project)
    project.write(f"postmortems/{ANALYSIS.name}", ANALYSIS.read_text(encoding="utf-8"))


def test_trace_and_explain_read_a_four_section_postmortem(
    project: ProjectFactory, chdir: object
) -> None:
    _four_section(project)
    project.gloss_run(total=5, empty=0)
    code, output = _invoke(project, chdir, "trace", "--format", "markdown")
    assert code == ExitCode.OK
    assert (
        f"| {INCIDENT}#AI-4 | Borja | 2026-08-22 | - | spanish-gloss-nonempty (no result) | The "
        "eval gate rejects any release in which > 2% of responses lack the gloss |"
    ) in output.splitlines()
    code, output = _invoke(project, chdir, "explain", "spanish-gloss-nonempty")
    assert code == ExitCode.OK
    assert output.splitlines()[1:6] == [
        f"  postmortem:  {INCIDENT}",
        "               Blank Spanish gloss in ~30% of tutor answers for 47 minutes.",
        '  action item: AI-4: Make "non-empty Spanish gloss" an eval gate sub-check that blocks by '
        "itself",
        "  owner:       Borja, due 2026-08-22",
        f"  done when:   {GLOSS_DONE_WHEN}",
    ]


def test_new_check_from_an_item_of_each_source_template(
    project: ProjectFactory, chdir: object
) -> None:
    _both_source_templates(project)
    project.gloss_run(total=5, empty=0)
    for ref, comment in (
        (
            f"{INCIDENT}#AI-1",
            "# owner Borja, due 2026-08-21; done when: A test under tests/phase38/ "
            "fails when max_decode_tokens is set below 24",
        ),
        (f"{PM}#AI-2", "# owner Borja, due 2026-08-25; done when: not written"),
    ):
        args = ("new-check", "--from", ref, "--kind", "field_nonempty", "--id", "new")
        code, output = _invoke(project, chdir, *args)
        assert code == ExitCode.OK, output
        path = project.root / "checks/new.yaml"
        text = path.read_text()
        assert text.splitlines()[2] == comment
        assert f"action_item: {ref}\n" in text
        path.unlink()  # its params are still to fill in, which the next command would refuse


def test_reports_name_owner_and_due_of_items_from_either_source_template(
    project: ProjectFactory, chdir: object
) -> None:
    _both_source_templates(project)
    project.gloss_run(total=10, empty=5)
    check = (project.root / "checks/spanish-gloss-nonempty.yaml").read_text()
    project.write(
        "checks/pm-gloss.yaml",
        check.replace("spanish-gloss-nonempty", "pm-gloss").replace(
            f"{INCIDENT}#AI-4", f"{PM}#AI-4"
        ),
    )
    code, output = _invoke(project, chdir, "run", "--report-json", "r.json", "--junit", "r.xml")
    assert code == ExitCode.BLOCKED
    assert f"why it exists: {PM}#AI-4 (owner Borja, due 2026-08-22)" in output
    assert f"why it exists: {INCIDENT}#AI-4 (owner Borja, due 2026-08-22)" in output
    report = json.loads((project.root / "r.json").read_text())
    items = {check["id"]: check["action_item"] for check in report["checks"]}
    assert {
        name: (item["owner"], item["due"], item["template"], item["priority"], item["done_when"])
        for name, item in items.items()
    } == {
        "pm-gloss": ("Borja", "2026-08-22", "analysis", "P1", None),
        "spanish-gloss-nonempty": (
            "Borja",
            "2026-08-22",
            "four-section",
            None,
            GLOSS_DONE_WHEN,
        ),
    }
    cases = {
        case.name: case
        for suite in JUnitXml.fromfile(str(project.root / "r.xml"))
        for case in suite
    }
    assert "done when: not written\n" in cases["pm-gloss"].result[0].text
    assert f"done when: {GLOSS_DONE_WHEN}\n" in cases["spanish-gloss-nonempty"].result[0].text
