"""GitHub Actions output of a failing run, held to GitHub's format rules."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from gate.checks import CheckSpec
from gate.cli import cli
from gate.reports.github import (
    MAX_ANNOTATIONS,
    SUMMARY_LIMIT,
    annotations_for,
    escape_data,
    escape_property,
    publish,
    render_summary,
)
from gate.results import CheckResult, RunResult
from gate.shard import Shard
from gate.status import ExitCode, Status
from gate.tally import Sample, Tally
from tests.conftest import ProjectFactory

ACTION_ITEM = "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4"


def _check(root: Path, name: str, *, blocking: bool = True) -> CheckSpec:
    return CheckSpec(
        id=name,
        kind="field_nonempty",
        action_item=ACTION_ITEM,
        description="",
        suites=("release",),
        blocking=blocking,
        corpora=("regression",),
        select=None,
        max_error_rate=0.0,
        params={"field": "spanish"},
        path=root / "checks" / f"{name}.yaml",
        line=3,
        action_item_line=4,
    )


def _failed(root: Path, name: str, *, samples: int = 2, reason: str = "'spanish' is blank",
            blocking: bool = True) -> CheckResult:  # fmt: skip
    tally = Tally(total=100, passed=88, failed=12)
    for index in range(samples):
        tally.add_sample(Sample("regression", index + 1, f"rg-{index:04d}", "failed", reason))
    return CheckResult(
        _check(root, name, blocking=blocking),
        Status.FAIL,
        measured=0.12,
        limit="<= 2.00%",
        message="12/100 with 'spanish' missing or blank (12.00%), above 2.00%",
        tally=tally,
    )


ITEMS = {
    ACTION_ITEM: {
        "ref": ACTION_ITEM,
        "owner": "María",
        "postmortem_title": "The Spanish gloss went missing",
    }
}


def _run(results: list[CheckResult], **extra: Any) -> RunResult:
    extra.setdefault("action_items", ITEMS)
    return RunResult(
        suite="release",
        results=tuple(results),
        target={"type": "recorded"},
        manifest={"path": "releases/v2.4.0.yaml", "version": "2.4.0"},
        started_at="2026-08-14T09:00:00Z",
        finished_at="2026-08-14T09:01:00Z",
        duration_s=60.0,
        **extra,
    )


def _table_rows(summary: str) -> list[list[str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(summary)
    rows: list[list[str]] = []
    in_body = False
    for token in tokens:
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tbody_close":
            in_body = False
        elif in_body and token.type == "tr_open":
            rows.append([])
        elif in_body and token.type == "inline":
            rows[-1].append(token.content)
    return rows


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("gate: a, b\n%") == "gate%3A a%2C b%0A%25"


def test_annotations_point_at_the_check_files_and_stop_at_ten(tmp_path: Path) -> None:
    results = [_failed(tmp_path, "advisory", blocking=False)]
    results += [_failed(tmp_path, f"check-{index:02d}") for index in range(12)]
    weird = CheckResult(
        _check(tmp_path, "zz-error"),
        Status.ERROR,
        message="100% of items errored\nlast: http_503, timeout",
    )
    run = _run([*results, weird])
    lines, left_over = annotations_for(run, tmp_path)
    assert len(lines) == MAX_ANNOTATIONS
    assert lines[0] == (
        "::error file=checks/check-00.yaml,line=3,title=gate%3A check-00 failed::"
        "12/100 with 'spanish' missing or blank (12.00%25), above 2.00%25 "
        f"[action item {ACTION_ITEM}]"
    )
    # Blocking problems come first; the advisory one, annotated as a warning, is left over.
    assert [result.check.id for result in left_over] == [
        "check-10",
        "check-11",
        "zz-error",
        "advisory",
    ]
    error_line = annotations_for(_run([weird]), tmp_path)[0][0]
    assert error_line == (
        "::error file=checks/zz-error.yaml,line=3,title=gate%3A zz-error could not be judged::"
        f"100%25 of items errored%0Alast: http_503, timeout [action item {ACTION_ITEM}]"
    )
    advisory = annotations_for(_run([results[0]]), tmp_path)[0][0]
    assert advisory.startswith("::warning file=checks/advisory.yaml,line=3,")
    summary = render_summary(run, left_over=left_over)
    assert (
        "4 more problems are not annotated (GitHub shows 10 per step): "
        "`check-10`, `check-11`, `zz-error`, `advisory`"
    ) in summary


def test_the_summary_puts_the_verdict_first_then_the_whole_table(tmp_path: Path) -> None:
    passed = CheckResult(
        _check(tmp_path, "response-shape"), Status.PASS, measured=0.0, limit="<= 0.00% | strict"
    )
    failed = _failed(tmp_path, "spanish-gloss-nonempty", reason="<b>bold</b> | `tick` *star*")
    summary = render_summary(
        _run([failed, passed]),
        report=Path("reports/gate.json"),
    )
    assert summary.startswith("## ❌ gate: BLOCKED — at least one blocking check failed\n")
    assert _table_rows(summary) == [
        [
            "❌",
            "`spanish-gloss-nonempty`",
            "fail",
            "12.00%",
            "&lt;= 2.00%",
            ACTION_ITEM,
            "María",
            "The Spanish gloss went missing",
        ],
        ["✅", "`response-shape`", "pass", "0.00%", "&lt;= 0.00% | strict", ACTION_ITEM, "María",
         "The Spanish gloss went missing"],
    ]  # fmt: skip
    assert (
        "- rg-0000 (regression:1, failed): &lt;b&gt;bold&lt;/b&gt; \\| \\`tick\\` \\*star\\*"
        in (summary)
    )
    assert summary.index("<details>") > summary.index("| ✅ |")
    assert summary.endswith("The whole run is in the JSON report reports/gate.json.\n")


def test_the_summary_stays_under_1_mib_by_leaving_samples_out(tmp_path: Path) -> None:
    many = [
        _failed(tmp_path, f"check-{index:04d}", samples=5, reason="x" * 5000)
        for index in range(1500)
    ]
    summary = render_summary(_run(many), report=Path("gate-reports/gate.json"))
    assert len(summary.encode("utf-8")) <= SUMMARY_LIMIT
    assert len(_table_rows(summary)) == 1500
    assert summary.count("<details>") == summary.count("</details>") > 0
    left_out = 1500 - summary.count("<details>")
    # The samples of the first checks stay; the last checks' go first.
    assert "<code>check-0000</code>" in summary and "<code>check-1499</code>" not in summary
    assert summary.endswith(
        f"\n**Cut to fit GitHub's 1 MiB step summary** (left out: samples of {left_out} "
        "checks); the full report is in the JSON report gate-reports/gate.json (kept with "
        "the workflow's artifacts).\n"
    )
    assert "The whole run is in the JSON report" not in summary
    assert "x" * 500 + "…" in summary and "x" * 501 not in summary


def _mixed_run(root: Path) -> tuple[RunResult, list[CheckResult]]:
    """Two failed checks with samples, three passing ones, two notes, and a left-over problem."""
    failed = [_failed(root, f"failed-{index}", reason="y" * 300) for index in range(2)]
    passed = [
        CheckResult(_check(root, f"passed-{index}"), Status.PASS, measured=0.0, limit="<= 2.00%")
        for index in range(3)
    ]
    notes = ("the first note " + "n" * 200, "the second note " + "n" * 200)
    return _run([*failed, *passed], notes=notes), [failed[1]]


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def test_the_summary_leaves_parts_out_in_the_stated_order(tmp_path: Path) -> None:
    run, left_over = _mixed_run(tmp_path)
    whole = render_summary(run, left_over=left_over, report=Path("gate.json"))
    assert "Cut to fit" not in whole
    assert render_summary(run, left_over=left_over, report=Path("gate.json"), limit=_size(whole))
    seen = []
    # Shrink the limit a little at a time; each cut must follow DROP_ORDER.
    for limit in range(_size(whole) - 1, 0, -31):
        summary = render_summary(run, left_over=left_over, report=Path("gate.json"), limit=limit)
        assert _size(summary) <= limit
        if not summary:
            break
        assert summary.startswith("## ❌ gate: BLOCKED — at least one blocking check failed\n")
        rows = [row[1] for row in _table_rows(summary)]
        state = (
            summary.count("<details>"),
            summary.count("> note:"),
            "more problem" in summary and "not annotated (GitHub shows" in summary,
            rows,
        )
        if not seen or seen[-1] != state:
            seen.append(state)
    everything = ["`failed-0`", "`failed-1`", "`passed-0`", "`passed-1`", "`passed-2`"]
    assert seen == [
        (1, 2, True, everything),
        (0, 2, True, everything),
        (0, 1, True, everything),
        (0, 0, True, everything),
        (0, 0, False, everything),
        (0, 0, False, everything[:4]),
        (0, 0, False, everything[:3]),
        (0, 0, False, everything[:2]),
        (0, 0, False, everything[:1]),
        (0, 0, False, []),
    ]


def test_the_cut_line_names_everything_left_out(tmp_path: Path) -> None:
    run, left_over = _mixed_run(tmp_path)
    heading = render_summary(run, limit=SUMMARY_LIMIT).split("|  |", 1)[0]
    least = heading + (
        "\n**Cut to fit GitHub's 1 MiB step summary** (left out: samples of 2 checks, "
        "2 notes, the list of problems not annotated, 5 table rows); the full report is in "
        "the JSON report (`--report-json`).\n"
    )
    assert render_summary(run, left_over=left_over, limit=_size(least)) == least
    assert render_summary(run, left_over=left_over, limit=_size(least) - 1) == ""


def test_a_shard_annotates_nothing_and_says_it_is_partial(tmp_path: Path) -> None:
    run = _run([_failed(tmp_path, "spanish-gloss-nonempty")], shard=Shard(2, 8))
    lines, left_over = annotations_for(run, tmp_path)
    assert (lines, left_over) == ([], [])
    assert render_summary(run).startswith(
        "## ❌ gate: shard 2/8 of suite release: BLOCKED on its part\n\n"
        "Partial counts of one shard: `gate merge` judges the thresholds on the sum of every "
        "shard, and gives the verdict.\n"
    )


def _github_env(tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
    }


def test_publish_appends_the_summary_and_sets_the_outputs(tmp_path: Path) -> None:
    env = _github_env(tmp_path)
    Path(env["GITHUB_STEP_SUMMARY"]).write_text("earlier step text\n", encoding="utf-8")
    stream = io.StringIO()
    publish(
        _run([_failed(tmp_path, "gloss")]), report=Path("out/gate.json"), env=env, stream=stream
    )
    assert stream.getvalue().startswith("::error file=checks/gloss.yaml,line=3,")
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary.startswith("earlier step text\n## ❌ gate: BLOCKED")
    assert Path(env["GITHUB_OUTPUT"]).read_text(encoding="utf-8") == (
        "verdict=fail\nreport=out/gate.json\n"
    )


def test_a_value_with_a_newline_is_written_with_a_delimiter(tmp_path: Path) -> None:
    env = _github_env(tmp_path)
    publish(_run([]), report=Path("odd\nname.json"), env=env, stream=io.StringIO())
    lines = Path(env["GITHUB_OUTPUT"]).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "verdict=pass"
    assert lines[1].startswith("report<<gate_") and lines[2:4] == ["odd", "name.json"]
    assert lines[4] == lines[1].removeprefix("report<<")


def test_publish_counts_what_the_summary_file_already_holds(tmp_path: Path) -> None:
    env = _github_env(tmp_path)
    summary_path = Path(env["GITHUB_STEP_SUMMARY"])
    earlier = "e" * 1_045_001
    summary_path.write_text(earlier, encoding="utf-8")
    many = [_failed(tmp_path, f"check-{index:02d}", reason="z" * 400) for index in range(20)]
    publish(_run(many), report=Path("gate.json"), env=env, stream=io.StringIO())
    assert summary_path.stat().st_size <= SUMMARY_LIMIT
    text = summary_path.read_text(encoding="utf-8")
    assert text.startswith(earlier + "## ❌ gate: BLOCKED")
    assert text.endswith(
        "the full report is in the JSON report gate.json (kept with the workflow's artifacts).\n"
    )


def test_publish_writes_no_summary_into_a_full_file(tmp_path: Path) -> None:
    env = _github_env(tmp_path)
    summary_path = Path(env["GITHUB_STEP_SUMMARY"])
    summary_path.write_bytes(b"f" * (SUMMARY_LIMIT - 100))
    publish(_run([_failed(tmp_path, "gloss")]), env=env, stream=io.StringIO())
    assert summary_path.read_bytes() == b"f" * (SUMMARY_LIMIT - 100)
    assert Path(env["GITHUB_OUTPUT"]).read_text(encoding="utf-8").startswith("verdict=fail\n")


def test_publish_does_nothing_outside_github_actions(tmp_path: Path) -> None:
    env = _github_env(tmp_path)
    del env["GITHUB_ACTIONS"]
    stream = io.StringIO()
    publish(_run([_failed(tmp_path, "gloss")]), env=env, stream=stream)
    assert stream.getvalue() == ""
    assert not Path(env["GITHUB_STEP_SUMMARY"]).exists()
    assert not Path(env["GITHUB_OUTPUT"]).exists()


def test_gate_run_in_a_workflow(
    project: ProjectFactory, chdir: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.gloss_run(total=100, empty=30)
    chdir(project.root)
    for name, value in _github_env(project.root).items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["run", "--report-json", "gate.json"])
    assert result.exit_code == ExitCode.BLOCKED
    assert result.output.splitlines()[-1] == (
        "::error file=checks/spanish-gloss-nonempty.yaml,line=1,"
        "title=gate%3A spanish-gloss-nonempty failed::30/100 with 'spanish' missing or blank: "
        f"30.00%25 (95%25: 21.9%25..39.6%25) above 2.00%25 [action item {ACTION_ITEM}]"
    )
    outputs = (project.root / "output.txt").read_text(encoding="utf-8")
    assert outputs == "verdict=fail\nreport=gate.json\n"
    summary = (project.root / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ❌ gate: BLOCKED")


@pytest.mark.parametrize("earlier", [1_045_001, SUMMARY_LIMIT - 800])
def test_gate_run_keeps_a_nearly_full_summary_file_under_1_mib(
    project: ProjectFactory, chdir: Any, monkeypatch: pytest.MonkeyPatch, earlier: int
) -> None:
    project.gloss_run(total=100, empty=30)
    chdir(project.root)
    for name, value in _github_env(project.root).items():
        monkeypatch.setenv(name, value)
    summary_path = project.root / "summary.md"
    summary_path.write_bytes((b"earlier steps\n" * 80_000)[:earlier])
    result = CliRunner().invoke(cli, ["run", "--report-json", "gate.json"])
    assert result.exit_code == ExitCode.BLOCKED
    assert earlier < summary_path.stat().st_size <= SUMMARY_LIMIT
    added = summary_path.read_bytes()[earlier:].decode("utf-8")
    assert added.startswith("## ❌ gate: BLOCKED")
    assert _table_rows(added)[0][:4] == ["❌", "`spanish-gloss-nonempty`", "fail", "30.00%"]
    if earlier == 1_045_001:
        assert "<details>" in added and "Cut to fit" not in added
    else:
        assert added.endswith(
            "\n**Cut to fit GitHub's 1 MiB step summary** (left out: samples of 1 check); "
            "the full report is in the JSON report gate.json (kept with the workflow's "
            "artifacts).\n"
        )
