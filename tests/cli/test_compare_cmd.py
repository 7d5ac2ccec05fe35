"""`gate compare`: two reports of one suite, check by check and item by item; exit 1 on worse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode


def _sample(item: str, line: int, outcome: str = "failed") -> dict[str, Any]:
    return {
        "item": item,
        "corpus": "regression",
        "line": line,
        "outcome": outcome,
        "reason": "'spanish' is blank",
        "cause": "",
    }


def _check(
    ident: str, status: str, measured: float, samples: list[dict[str, Any]], **more: Any
) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": "field_nonempty",
        "status": status,
        "blocking": True,
        "message": f"{ident} said so",
        "measured": measured,
        "limit": "<= 2.00%",
        "samples": samples,
        "samples_cap": 1000,
        "samples_left_out": 0,
        **more,
    }


def _report(path: Path, version: str, checks: list[dict[str, Any]], suite: str = "release") -> Path:
    path.write_text(
        json.dumps(
            {
                "schema": "gate-report/1",
                "verdict": "pass",
                "suite": suite,
                "target": {},
                "manifest": {"path": f"releases/v{version}.yaml", "version": version},
                "started_at": "2026-08-14T09:00:00Z",
                "finished_at": "2026-08-14T09:00:05Z",
                "duration_s": 5.0,
                "checks": checks,
                "inputs": {
                    "digest": "d",
                    "config": "c",
                    "checks": "k",
                    "corpora": "o",
                    "manifest": "m",
                },
                "commit": None,
                "shard": None,
            }
        )
    )
    return path


def _compare(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["compare", *args])
    return result.exit_code, result.output


@pytest.fixture
def reports(tmp_path: Path) -> tuple[Path, Path]:
    base = _report(
        tmp_path / "base.json",
        "2.3.4",
        [
            _check(
                "gloss",
                "pass",
                0.01,
                [_sample("rg-0003", 4), _sample("rg-0007", 8), _sample("rg-0009", 10)],
            ),
            _check("shape", "pass", 0.0, []),
            _check("gone", "pass", 0.0, []),
        ],
    )
    now = _report(
        tmp_path / "now.json",
        "2.4.0",
        [
            _check(
                "gloss",
                "fail",
                0.03,
                [_sample("rg-0001", 2), _sample("rg-0003", 4), _sample("rg-0009", 10, "errored")],
            ),
            _check("shape", "pass", 0.0, []),
            _check("advice", "fail", 0.5, [_sample("rg-0002", 3)], blocking=False),
        ],
    )
    return base, now


def test_a_worse_candidate_exits_1_naming_every_change(
    reports: tuple[Path, Path], tmp_path: Path
) -> None:
    base, now = reports
    markdown, data = tmp_path / "c.md", tmp_path / "c.json"
    code, output = _compare(
        str(base), str(now), "--markdown", str(markdown), "--report-json", str(data)
    )
    assert code == ExitCode.BLOCKED
    assert output == (
        "compare (suite release): base 2.3.4 (pass), now 2.4.0 (pass)\n"
        "WORSE    gloss   1.00% -> 3.00%  pass -> fail; 1 newly failing, 1 newly fixed\n"
        "same     shape   0.00% -> 0.00%  pass; 0 newly failing, 0 newly fixed\n"
        "WORSE    advice  absent -> 50.00%  absent -> fail; 1 newly failing, 0 newly fixed\n"
        "CHANGED  gone    0.00% -> absent  pass -> absent; 0 newly failing, 0 newly fixed\n"
        "gloss newly failing (1): rg-0001\n"
        "gloss newly fixed (1): rg-0007\n"
        "advice newly failing (1): rg-0002\n"
        "WORSE: 1 blocking check got worse; 1 item newly fails a blocking check\n"
    )
    written = json.loads(data.read_text())
    assert (written["worse"], written["suite"]) == (True, "release")
    assert written["base"] == {
        "report": str(base),
        "version": "2.3.4",
        "verdict": "pass",
        "commit": None,
        "started_at": "2026-08-14T09:00:00Z",
    }
    assert written["checks"][0] == {
        "check": "gloss",
        "blocking": True,
        "status": {"base": "pass", "now": "fail"},
        "measured": {"base": 0.01, "now": 0.03},
        "limit": "<= 2.00%",
        "worse": True,
        # rg-0003 failed in both; rg-0009 failed then and errored now: neither failing nor fixed.
        "newly_failing": [{"item": "rg-0001", "at": "regression:2"}],
        "newly_fixed": [{"item": "rg-0007", "at": "regression:8"}],
        "lists_cut": False,
    }
    text = markdown.read_text()
    assert "| `gloss` **worse** | 1.00% | 3.00% | pass -&gt; fail | 1 | 1 |" in text
    assert "<details><summary><code>gloss</code>: 1 newly failing</summary>" in text


def test_items_newly_failing_an_advisory_check_do_not_block(tmp_path: Path) -> None:
    base = _report(tmp_path / "b.json", "1", [_check("gloss", "pass", 0.0, [])])
    advisory = _check("gloss", "pass", 0.01, [_sample("rg-0001", 2)], blocking=False)
    now = _report(tmp_path / "n.json", "2", [advisory])
    code, output = _compare(str(base), str(now))
    assert code == ExitCode.OK
    assert output.endswith("NOT WORSE: no blocking check got worse and no item newly fails one\n")
    blocking = _report(tmp_path / "m.json", "2", [{**advisory, "blocking": True}])
    assert _compare(str(base), str(blocking))[0] == ExitCode.BLOCKED


def test_a_list_cut_by_the_cap_is_said_to_leave_items_uncompared(tmp_path: Path) -> None:
    cut = _check("gloss", "fail", 0.5, [_sample("rg-0001", 2)], samples_left_out=40)
    base = _report(tmp_path / "b.json", "1", [cut])
    now = _report(tmp_path / "n.json", "2", [cut])
    code, output = _compare(str(base), str(now))
    assert code == ExitCode.OK
    assert (
        "  gloss: a report's list of items was cut (--max-items-per-check); items past it "
        "are not compared\n"
    ) in output


def test_an_item_a_cut_base_list_left_out_is_not_newly_failing(tmp_path: Path) -> None:
    # The base listed 2 of its 42 failures; the candidate fixed rg-0001, so its
    # list (also cut) reaches rg-0042, which may well have failed in the base too.
    base = _check("gloss", "fail", 0.5, [_sample("rg-0001", 2), _sample("rg-0002", 3)])
    now = _check("gloss", "fail", 0.49, [_sample("rg-0002", 3), _sample("rg-0042", 43)])
    b = _report(tmp_path / "b.json", "1", [{**base, "samples_left_out": 40}])
    n = _report(tmp_path / "n.json", "2", [{**now, "samples_left_out": 39}])
    code, output = _compare(str(b), str(n), "--report-json", str(tmp_path / "c.json"))
    assert code == ExitCode.OK, output
    (change,) = json.loads((tmp_path / "c.json").read_text())["checks"]
    # rg-0001 is past the candidate's cut too: neither list can say it was fixed.
    assert (change["newly_failing"], change["newly_fixed"]) == ([], [])
    errored = _report(
        tmp_path / "e.json",
        "1",
        [{**base, "samples": [_sample("rg-0042", 43, "errored")], "samples_left_out": 40}],
    )
    code, output = _compare(str(errored), str(n), "--report-json", str(tmp_path / "c.json"))
    assert code == ExitCode.BLOCKED, output  # listed then, as errored: failing now is new
    (change,) = json.loads((tmp_path / "c.json").read_text())["checks"]
    assert change["newly_failing"] == [{"item": "rg-0042", "at": "regression:43"}]


@pytest.mark.parametrize(
    ("then", "now", "code"),
    [
        ("pass", "error", ExitCode.BLOCKED),
        ("skipped", "error", ExitCode.BLOCKED),
        ("error", "fail", ExitCode.BLOCKED),
        ("pass", "fail", ExitCode.BLOCKED),
        ("fail", "error", ExitCode.OK),
        ("error", "error", ExitCode.OK),
        ("fail", "pass", ExitCode.OK),
        ("error", "pass", ExitCode.OK),
    ],
)
def test_a_blocking_check_whose_status_moves_towards_fail_got_worse(
    tmp_path: Path, then: str, now: str, code: ExitCode
) -> None:
    base = _report(tmp_path / "b.json", "1", [_check("gloss", then, 0.0, [])])
    candidate = _report(tmp_path / "n.json", "2", [_check("gloss", now, 0.0, [])])
    assert _compare(str(base), str(candidate))[0] == code


def test_reports_of_two_suites_are_not_compared(tmp_path: Path) -> None:
    base = _report(tmp_path / "b.json", "1", [], suite="smoke")
    now = _report(tmp_path / "n.json", "2", [])
    code, output = _compare(str(base), str(now))
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        f"gate: {now}: is a report of suite 'release', but the base report is of suite 'smoke'\n"
        "  fix: compare two reports of the same suite\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<html><body>502</body></html>", "report is not valid JSON: unexpected character"),
        ("", "report is not valid JSON: Input is a zero-length, empty document"),
        ("null", "is not a gate report: it has no 'schema: gate-report/1'"),
        ('{"schema": 1}', "is not a gate report: it has no 'schema: gate-report/1'"),
        ("[]", "is not a gate report: it has no 'schema: gate-report/1'"),
    ],
)
def test_a_file_that_is_no_report_is_exit_2(tmp_path: Path, text: str, message: str) -> None:
    base = _report(tmp_path / "b.json", "1", [])
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    code, output = _compare(str(base), str(bad))
    assert code == ExitCode.INPUT_ERROR
    assert output.startswith(f"gate: {bad}:")
    assert message in output
    assert _compare(str(base), str(tmp_path / "missing.json")) == (
        ExitCode.INPUT_ERROR,
        f"gate: {tmp_path / 'missing.json'}: report not found\n"
        "  fix: pass the files written by gate run --report-json\n",
    )
