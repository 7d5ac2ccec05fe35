"""The pull request comment: the branch's verdict, each check beside the base branch's run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from gate.cli import cli
from gate.reports.pr_comment import MARKER, render_comment
from gate.status import ExitCode
from tests.conftest import INCIDENT, ProjectFactory

ROW = (
    "| {icon} | `spanish-gloss-nonempty`{changed} | {head} | {base} | &lt;= 2.00% | "
    f"{INCIDENT}#AI-4 |"
)


def _report(project: ProjectFactory, chdir: Any, empty: int, name: str) -> Path:
    project.gloss_run(total=100, empty=empty)
    chdir(project.root)
    CliRunner().invoke(cli, ["run", "--report-json", name])
    return project.root / name


def test_the_comment_sets_the_branch_beside_its_base(project: ProjectFactory, chdir: Any) -> None:
    base = _report(project, chdir, 1, "base.json")
    head = _report(project, chdir, 30, "head.json")
    result = CliRunner().invoke(
        cli, ["pr-comment", "head.json", "--base", "base.json", "-o", "c.md"]
    )
    assert result.exit_code == ExitCode.OK, result.output
    comment = (project.root / "c.md").read_text(encoding="utf-8")
    assert comment.splitlines()[:2] == [MARKER, "## ❌ gate on this pull request: BLOCKED"]
    row = ROW.format(icon="❌", changed=" **changed**", head="30.00% (fail)", base="1.00% (pass)")
    assert row in comment.splitlines()
    assert comment.endswith("\n1 check; the JSON reports are in the workflow's artifacts.\n")
    # Without a base run, its column is empty and the comment says why.
    alone = render_comment(json.loads(head.read_bytes()), None)
    assert "The base branch could not be run: its column is empty." in alone
    assert ROW.format(icon="❌", changed="", head="30.00% (fail)", base="—") in alone
    assert json.loads(base.read_bytes())["verdict"] == "pass"


def test_removed_checks_are_named_and_long_tables_fit(project: ProjectFactory, chdir: Any) -> None:
    head = json.loads(_report(project, chdir, 0, "head.json").read_bytes())
    base = {**head, "checks": [*head["checks"], {**head["checks"][0], "id": "old-check"}]}
    head["checks"] = [{**head["checks"][0], "id": f"check-{index:03d}"} for index in range(300)]
    comment = render_comment(head, base, limit=6000)
    assert len(comment) <= 6000
    assert "Checks of the base branch that this branch removes: `spanish-gloss-nonempty`, " \
        "`old-check`" in comment  # fmt: skip
    shown = sum(line.startswith("| ✅ | `check-") for line in comment.splitlines())
    assert 0 < shown < 300
    assert f"\n{300 - shown} more rows are left out to fit GitHub's comment limit.\n" in comment


def test_a_file_that_is_not_a_report_is_exit_2(tmp_path: Path, chdir: Any) -> None:
    chdir(tmp_path)
    (tmp_path / "head.json").write_text("<html>nope</html>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pr-comment", "head.json", "-o", "c.md"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "gate: head.json:1:1: report is not valid JSON: unexpected character, expected a "
        "JSON value\n  fix: pass the files written by gate run --report-json\n"
    )
    assert not (tmp_path / "c.md").exists()


def test_a_base_report_of_another_suite_is_exit_2(project: ProjectFactory, chdir: Any) -> None:
    head = _report(project, chdir, 0, "head.json")
    data = json.loads(head.read_bytes())
    (project.root / "base.json").write_text(json.dumps({**data, "suite": "smoke"}))
    result = CliRunner().invoke(
        cli, ["pr-comment", "head.json", "--base", "base.json", "-o", "c.md"]
    )
    assert (result.exit_code, result.output) == (
        ExitCode.INPUT_ERROR,
        "gate: base.json: is a report of suite 'smoke', but head.json is of suite 'release'\n"
        "  fix: compare with a report of the same suite\n",
    )
    assert not (project.root / "c.md").exists()
