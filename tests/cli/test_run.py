"""`gate run` on recorded answers: exit codes, the 2% boundary and the reports."""

from __future__ import annotations

import json

import pytest
from junitparser import JUnitXml

from gate.shard import parse_shard
from gate.status import ExitCode
from tests.conftest import INCIDENT, ProjectFactory, gate_cli


def _run(project: ProjectFactory, chdir: object, *args: str) -> tuple[int, str]:
    return gate_cli(project, chdir, "run", *args)


@pytest.mark.parametrize(
    ("total", "empty", "expected"),
    [
        (100, 2, ExitCode.OK),  # exactly 2%: at the limit, passes
        (100, 3, ExitCode.BLOCKED),
        (300, 6, ExitCode.OK),  # 6/300 is 2% exactly, whatever floats make of it
        (300, 7, ExitCode.BLOCKED),
        (50, 1, ExitCode.OK),
        (49, 1, ExitCode.BLOCKED),  # 1/49 is 2.04%
    ],
)
def test_the_two_percent_boundary(
    project: ProjectFactory, chdir: object, total: int, empty: int, expected: ExitCode
) -> None:
    project.gloss_run(total=total, empty=empty)
    code, _ = _run(project, chdir, "--report-json", "r.json")
    assert code == expected
    (check,) = json.loads((project.root / "r.json").read_text())["checks"]
    word = "within" if expected == ExitCode.OK else "above"
    assert check["message"].startswith(
        f"{empty}/{total} with 'spanish' missing or blank: {empty / total:.2%} (95%: "
    )
    assert check["message"].endswith(
        f" {word} 2.00%: {total} items cannot separate this from the limit"
    )
    interval = check["details"]["interval"]
    assert (interval["method"], interval["settled"], interval["point_within"]) == (
        "wilson",
        False,
        expected == ExitCode.OK,
    )


def test_json_report_of_a_blocked_run(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=100, empty=30)
    code, output = _run(project, chdir, "--report-json", "out/report.json")
    assert code == ExitCode.BLOCKED
    assert "FAIL     spanish-gloss-nonempty  measured 30.00%   limit <= 2.00%" in output
    report = json.loads((project.root / "out/report.json").read_text())
    assert report["schema"] == "gate-report/1"
    assert (report["verdict"], report["exit_code"]) == ("fail", 1)
    (check,) = report["checks"]
    assert check["status"] == "fail"
    assert check["measured"] == pytest.approx(0.30)
    assert check["limit"] == "<= 2.00%"
    assert check["action_item"]["ref"] == "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4"
    assert check["tally"] == {
        "total": 100,
        "passed": 70,
        "failed": 30,
        "errored": 0,
        "judged": 100,
        "accounted": True,
        "sums": {},
        "causes": {},
        "failed_causes": {},
    }
    # Every failing item is listed, in corpus order; the console shows a handful.
    assert [sample["item"] for sample in check["samples"]] == [f"rg-{n:04d}" for n in range(30)]
    assert check["samples"][0] == {
        "item": "rg-0000",
        "corpus": "regression",
        "line": 1,
        "outcome": "failed",
        "reason": "'spanish' is blank",
        "cause": "",
    }
    assert (check["samples_cap"], check["samples_left_out"]) == (1000, 0)
    assert report["notes"] == []
    assert (
        "    rg-0004 (failed): 'spanish' is blank\n    ... and 25 more failed or errored items\n"
        in output
    )
    assert "rg-0005" not in output


def test_a_cap_on_listed_items_is_stated_in_the_report(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=100, empty=30)
    code, output = _run(project, chdir, "--report-json", "r.json", "--max-items-per-check", "7")
    assert code == ExitCode.BLOCKED
    report = json.loads((project.root / "r.json").read_text())
    (check,) = report["checks"]
    assert [sample["item"] for sample in check["samples"]] == [f"rg-{n:04d}" for n in range(7)]
    assert (check["samples_cap"], check["samples_left_out"]) == (7, 23)
    note = (
        "spanish-gloss-nonempty lists the first 7 of its 30 failed and errored items; "
        "23 are left out (--max-items-per-check 7)"
    )
    assert report["notes"] == [note]
    assert f"note: {note}\n" in output


def test_junit_report_is_read_by_junitparser(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=100, empty=30)
    code, _ = _run(project, chdir, "--junit", "out/junit.xml")
    assert code == ExitCode.BLOCKED
    xml = JUnitXml.fromfile(str(project.root / "out/junit.xml"))
    suites = list(xml) if not hasattr(xml, "name") or xml.name is None else [xml]
    cases = [case for suite in suites for case in suite]
    assert [case.name for case in cases] == ["spanish-gloss-nonempty"]
    (failure,) = cases[0].result
    assert "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4" in failure.message
    assert "30/100" in failure.message


def test_a_missing_recorded_answer_is_an_error_not_a_skip(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=10, empty=0)
    lines = (project.root / "recorded.jsonl").read_text().splitlines()
    (project.root / "recorded.jsonl").write_text("\n".join(lines[1:]) + "\n")
    code, _output = _run(project, chdir, "--report-json", "r.json")
    assert code == ExitCode.UNJUDGED
    check = json.loads((project.root / "r.json").read_text())["checks"][0]
    assert check["status"] == "error"
    assert check["message"] == (
        "undecided: the 1 errored item (missing 1) could tip it; counted as passed, 0/10 with "
        "'spanish' missing or blank: 0.00% (95%: 0.0%..27.8%) within 2.00%: 10 items cannot "
        "separate this from the limit; counted as failed, 1/10 with 'spanish' missing or "
        "blank: 10.00% (95%: 1.8%..40.4%) above 2.00%: 10 items cannot separate this from "
        "the limit"
    )
    assert check["samples"] == [
        {
            "item": "rg-0000",
            "corpus": "regression",
            "line": 1,
            "outcome": "errored",
            "reason": "no recorded response for this item",
            "cause": "missing",
        }
    ]


def test_an_allowed_error_rate_lets_the_answered_items_decide(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=100, empty=1)
    path = project.root / "checks/spanish-gloss-nonempty.yaml"
    path.write_text(path.read_text() + "max_error_rate: 0.1\n")
    lines = (project.root / "recorded.jsonl").read_text().splitlines()
    (project.root / "recorded.jsonl").write_text("\n".join(lines[:-1]) + "\n")
    # 2 of 100 even if the unanswered item had failed: at the limit, and so a pass.
    report_code, _ = _run(project, chdir, "--report-json", "r.json")
    check = json.loads((project.root / "r.json").read_text())["checks"][0]
    assert (report_code, check["status"], check["message"]) == (
        ExitCode.OK,
        "pass",
        "2/100 with 'spanish' missing or blank: 2.00% (95%: 0.6%..7.0%) within 2.00%: "
        "100 items cannot separate this from the limit, even counting the 1 errored item "
        "(missing 1) as failed",
    )
    assert check["details"]["bounds"] == {"if_errored_passed": 0.01, "if_errored_failed": 0.02}


def test_a_shard_that_plans_no_item_of_a_check_is_an_error(
    project: ProjectFactory, chdir: object
) -> None:
    # An empty corpus or a select that keeps nothing is refused as the project loads
    # (tests/test_crosscheck.py); a shard can still plan nothing for a check.
    project.gloss_run(total=1, empty=0)
    empty = next(k for k in (1, 2) if not parse_shard(f"{k}/2").owns("rg-0000"))
    code, output = _run(project, chdir, "--shard", f"{empty}/2")
    assert code == ExitCode.UNJUDGED
    assert (
        "  spanish-gloss-nonempty: no corpus item was planned for this check: nothing judged"
        in output.splitlines()
    )


def test_checks_outside_the_suite_are_skipped(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=10, empty=0)
    project.write(
        "checks/smoke-only.yaml",
        "id: smoke-only\nkind: field_nonempty\n"
        f"action_item: {INCIDENT}#AI-2\nsuites: [smoke]\n"
        "corpora: [regression]\nparams: {field: english}\n",
    )
    code, _output = _run(project, chdir, "--report-json", "r.json")
    assert code == ExitCode.OK
    statuses = {
        check["id"]: check["status"]
        for check in json.loads((project.root / "r.json").read_text())["checks"]
    }
    assert statuses == {"spanish-gloss-nonempty": "pass", "smoke-only": "skipped"}


def test_an_advisory_check_does_not_block(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=10, empty=5)
    path = project.root / "checks/spanish-gloss-nonempty.yaml"
    path.write_text(path.read_text() + "blocking: false\n")
    code, output = _run(project, chdir)
    assert code == ExitCode.OK
    assert output.splitlines()[:2] == [
        "FAIL     spanish-gloss-nonempty  measured 50.00%   limit <= 2.00%",
        f"         {INCIDENT}#AI-4, owner Borja; advisory: does not block",
    ]


def test_no_report_is_written_when_the_input_is_wrong(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=10, empty=0)
    project.write("gate.yaml", "target: [\n")
    code, _ = _run(project, chdir, "--report-json", "r.json", "--junit", "j.xml")
    assert code == ExitCode.INPUT_ERROR
    assert not (project.root / "r.json").exists()
    assert not (project.root / "j.xml").exists()


def test_fail_outranks_error(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=10, empty=5)
    project.corpus("other", 3, prefix="ot")
    project.write(
        "checks/other.yaml",
        "id: other\nkind: field_nonempty\n"
        f"action_item: {INCIDENT}#AI-2\nsuites: [release]\n"
        "corpora: [other]\nparams: {field: english}\n",
    )
    code, _ = _run(project, chdir)  # `other` has no recorded answers at all: error
    assert code == ExitCode.BLOCKED


def test_a_target_url_that_is_not_a_url_is_an_input_error(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=10, empty=0)
    code, output = _run(project, chdir, "--target-url", "127.0.0.1:8080")
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines()[-2:] == [
        "gate: --target-url '127.0.0.1:8080' is not an http or https URL",
        "  fix: give the service's base URL, such as http://127.0.0.1:8080",
    ]


def _second_check(project: ProjectFactory) -> None:
    project.write(
        "checks/english.yaml",
        "id: english\nkind: field_nonempty\n"
        f"action_item: {INCIDENT}#AI-2\nsuites: [release]\n"
        "corpora: [regression]\nparams: {field: english}\n",
    )


def test_check_judges_one_check_alone_and_says_so(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=10, empty=5)  # the gloss check would block
    _second_check(project)
    code, output = _run(project, chdir, "--check", "english", "--report-json", "r.json")
    assert code == ExitCode.OK
    checks = json.loads((project.root / "r.json").read_text())["checks"]
    assert [(check["id"], check["status"]) for check in checks] == [("english", "pass")]
    assert "gate: warning: judged check english alone: this is not the release's verdict" in (
        output.splitlines()
    )


def test_check_names_the_nearest_id(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=10, empty=0)
    code, output = _run(project, chdir, "--check", "spanish-gloss")
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines()[-2:] == [
        "gate: checks: there is no check 'spanish-gloss'",
        "  fix: did you mean 'spanish-gloss-nonempty'?",
    ]


def test_check_outside_the_suite_names_its_suites(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=10, empty=0)
    _second_check(project)
    code, output = _run(project, chdir, "--check", "english", "--suite", "smoke")
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines()[-2:] == [
        "gate: checks/english.yaml: check 'english' is not in suite 'smoke' (its suites: release)",
        "  fix: pass --suite release",
    ]


@pytest.mark.parametrize(("limit", "judged", "code"), [(4, 4, 0), (5, 5, 1), (50, 10, 1)])
def test_limit_asks_the_first_items_of_each_corpus(
    project: ProjectFactory, chdir: object, limit: int, judged: int, code: int
) -> None:
    # The items after the first four lack their gloss; a limit of 4 never asks them.
    project.gloss_run(total=10, empty=0)
    ids = [f"rg-{index:04d}" for index in range(10)]
    project.recorded(
        {
            ident: {"english": "Fine.", "spanish": "Bien." if n < 4 else ""}
            for n, ident in enumerate(ids)
        }
    )
    exit_code, output = _run(project, chdir, "--limit", str(limit), "--report-json", "r.json")
    assert exit_code == code
    (check,) = json.loads((project.root / "r.json").read_text())["checks"]
    assert check["tally"]["total"] == judged
    assert (
        f"gate: warning: judged the first {limit} items of each corpus: "
        "this is not the release's verdict"
    ) in output.splitlines()


def test_limit_is_a_positive_count(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=10, empty=0)
    code, output = _run(project, chdir, "--limit", "0")
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines()[-1] == (
        "Error: Invalid value for '--limit': 0 is not in the range x>=1."
    )
