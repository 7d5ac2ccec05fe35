"""JUnit XML: one testcase per check, for CI tools that show test results."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from gate.reports.atomic import write_atomic
from gate.results import CheckResult, RunResult
from gate.status import Status


def action_item_line(item: Mapping[str, Any]) -> str:
    """`ref (owner Borja, due 2026-08-22) from "postmortem title"`, as far as it is known."""
    text = str(item["ref"])
    if "owner" in item:
        text += f" (owner {item['owner']}, due {item['due']})"
    if "postmortem_title" in item:
        text += f' from "{item["postmortem_title"]}"'
    return text


def _done_when(item: Mapping[str, Any]) -> str:
    """The item's Done when; 'not written' where its postmortem gives none, '-' if unknown."""
    return str(item.get("done_when") or ("not written" if "owner" in item else "-"))


def _case(result: CheckResult, run: RunResult) -> TestCase:
    check = result.check
    case = TestCase(name=check.id, classname=f"gate.{check.kind}", time=result.duration_s)
    item = run.action_item(check.action_item)
    text = (
        f"{result.message}\nmeasured: {result.measured}\nlimit: {result.limit}\n"
        f"action item: {action_item_line(item)}\n"
        f"done when: {_done_when(item)}\ncheck file: {check.path.name}"
    )
    if result.status is Status.FAIL:
        failure = Failure(message=f"{result.message} [{check.action_item}]", type_="fail")
        failure.text = text
        case.result = [failure]
    elif result.status is Status.ERROR:
        error = Error(message=f"{result.message} [{check.action_item}]", type_="error")
        error.text = text
        case.result = [error]
    elif result.status is Status.SKIPPED:
        case.result = [Skipped(message=result.message)]
    case.system_out = f"action item: {action_item_line(item)}"
    return case


def write_junit(run: RunResult, path: Path) -> None:
    """Write the JUnit XML atomically."""
    suite = TestSuite(f"gate.{run.suite}")
    for result in run.results:
        suite.add_testcase(_case(result, run))
    suite.time = run.duration_s
    xml = JUnitXml()
    xml.add_testsuite(suite)
    write_atomic(path, xml.tostring())  # type: ignore[no-untyped-call]
