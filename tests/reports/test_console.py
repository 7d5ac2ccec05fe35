"""The console report read at 80, 100 and 160 columns, and as plain lines in a CI log.

Every row keeps its status word, its whole check id and what was measured
against its limit; the action item and owner are a line of their own below it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gate.checks import CheckSpec
from gate.reports.console import render, render_plain, render_table
from gate.results import CheckResult, RunResult
from gate.status import Status
from gate.tally import Sample, Tally

INCIDENT = "INC-2026-08-14-tutor-spanish-gloss-missing"
ALERT_LIMIT = "reads tutor_response_empty_field_total, threshold <= 0.01, for <= 5m"


def _check(name: str, item: str, *, blocking: bool = True) -> CheckSpec:
    return CheckSpec(
        id=name,
        kind="field_nonempty",
        action_item=f"{INCIDENT}#{item}",
        description="",
        suites=("release",),
        blocking=blocking,
        corpora=(),
        select=None,
        max_error_rate=0.0,
        params={},
        path=Path(f"checks/{name}.yaml"),
        line=1,
        action_item_line=3,
    )


def _run(notes: tuple[str, ...] = (), *extra: CheckResult) -> RunResult:
    results = (
        CheckResult(
            _check("decode-budget-pin", "AI-1"),
            Status.FAIL,
            16,
            ">= 24, drop <= 4x",
            "max_decode_tokens is 16 in releases/v2.4.0.yaml, 32 in releases/v2.3.4.yaml: "
            "below the minimum 24",
        ),
        CheckResult(_check("empty-gloss-alert", "AI-3"), Status.PASS, 0.01, ALERT_LIMIT, "ok"),
        CheckResult(
            _check("spanish-gloss-nonempty", "AI-4"),
            Status.FAIL,
            0.284,
            "<= 2.00%",
            "96/338 with 'spanish' missing or blank (28.40%), above 2.00%",
            tally=Tally(338, 242, 96, 0),
        ),
        CheckResult(
            _check("response-shape", "AI-4", blocking=False),
            Status.ERROR,
            None,
            None,
            "2 of 338 items could not be judged (http_5xx 2); max_error_rate is 0.00%",
            tally=Tally(338, 330, 6, 2, causes={"http_5xx": 2}),
        ),
        *extra,
    )
    items = {
        f"{INCIDENT}#{n}": {"ref": f"{INCIDENT}#{n}", "owner": "Borja", "due": f"2026-08-2{d}"}
        for n, d in (("AI-1", 1), ("AI-3", 1), ("AI-4", 2))
    }
    return RunResult("release", results, {}, None, "", "", 1.5, notes=notes, action_items=items)


def _table(run: RunResult, width: int) -> list[str]:
    stream = io.StringIO()
    render_table(run, stream, width=width)
    lines = stream.getvalue().splitlines()
    assert all(len(line) <= width for line in lines), "a line is wider than the console"
    return lines


DETAILS = [
    "  spanish-gloss-nonempty: 96/338 with 'spanish' missing or blank (28.40%), above 2.00%",
    f"    why it exists: {INCIDENT}#AI-4 (owner Borja, due 2026-08-22)",
    "    ... and 96 more failed or errored items",
    "  response-shape: 2 of 338 items could not be judged (http_5xx 2); max_error_rate is 0.00%",
    f"    why it exists: {INCIDENT}#AI-4 (owner Borja, due 2026-08-22)",
    "    ... and 8 more failed or errored items",
    "BLOCKED: at least one blocking check failed (1 pass, 2 fail, 1 error) in 1.50 s",
]


def test_at_80_columns_the_limit_and_the_lines_under_a_row_wrap() -> None:
    assert _table(_run(), 80) == [
        "gate · suite release",
        "status  check                   measured  limit",
        "FAIL    decode-budget-pin       16        >= 24, drop <= 4x",
        f"        {INCIDENT}#AI-1, owner Borja",
        "PASS    empty-gloss-alert       0.01      reads",
        "                                          tutor_response_empty_field_total,",
        "                                          threshold <= 0.01, for <= 5m",
        f"        {INCIDENT}#AI-3, owner Borja",
        "FAIL    spanish-gloss-nonempty  28.40%    <= 2.00%",
        f"        {INCIDENT}#AI-4, owner Borja",
        "        judged 338 of 338 items (242 passed, 96 failed)",
        "ERROR   response-shape          -         -",
        f"        {INCIDENT}#AI-4, owner Borja; advisory:",
        "          does not block",
        "        judged 336 of 338 items (330 passed, 6 failed); 2 errored: http_5xx 2",
        "  decode-budget-pin: max_decode_tokens is 16 in releases/v2.4.0.yaml, 32 in",
        "    releases/v2.3.4.yaml: below the minimum 24",
        f"    why it exists: {INCIDENT}#AI-1 (owner Borja,",
        "      due 2026-08-21)",
        "  spanish-gloss-nonempty: 96/338 with 'spanish' missing or blank (28.40%), above",
        "    2.00%",
        f"    why it exists: {INCIDENT}#AI-4 (owner Borja,",
        "      due 2026-08-22)",
        "    ... and 96 more failed or errored items",
        "  response-shape: 2 of 338 items could not be judged (http_5xx 2);",
        "    max_error_rate is 0.00%",
        f"    why it exists: {INCIDENT}#AI-4 (owner Borja,",
        "      due 2026-08-22)",
        "    ... and 8 more failed or errored items",
        DETAILS[-1],
    ]


def test_at_100_columns() -> None:
    assert _table(_run(), 100)[:15] == [
        "gate · suite release",
        "status  check                   measured  limit",
        "FAIL    decode-budget-pin       16        >= 24, drop <= 4x",
        f"        {INCIDENT}#AI-1, owner Borja",
        "PASS    empty-gloss-alert       0.01      reads tutor_response_empty_field_total, "
        "threshold <= 0.01,",
        "                                          for <= 5m",
        f"        {INCIDENT}#AI-3, owner Borja",
        "FAIL    spanish-gloss-nonempty  28.40%    <= 2.00%",
        f"        {INCIDENT}#AI-4, owner Borja",
        "        judged 338 of 338 items (242 passed, 96 failed)",
        "ERROR   response-shape          -         -",
        f"        {INCIDENT}#AI-4, owner Borja; advisory: does not block",
        "        judged 336 of 338 items (330 passed, 6 failed); 2 errored: http_5xx 2",
        "  decode-budget-pin: max_decode_tokens is 16 in releases/v2.4.0.yaml, 32 in "
        "releases/v2.3.4.yaml:",
        "    below the minimum 24",
    ]


def test_at_160_columns_every_row_is_one_line() -> None:
    assert _table(_run(), 160) == [
        "gate · suite release",
        "status  check                   measured  limit",
        "FAIL    decode-budget-pin       16        >= 24, drop <= 4x",
        f"        {INCIDENT}#AI-1, owner Borja",
        f"PASS    empty-gloss-alert       0.01      {ALERT_LIMIT}",
        f"        {INCIDENT}#AI-3, owner Borja",
        "FAIL    spanish-gloss-nonempty  28.40%    <= 2.00%",
        f"        {INCIDENT}#AI-4, owner Borja",
        "        judged 338 of 338 items (242 passed, 96 failed)",
        "ERROR   response-shape          -         -",
        f"        {INCIDENT}#AI-4, owner Borja; advisory: does not block",
        "        judged 336 of 338 items (330 passed, 6 failed); 2 errored: http_5xx 2",
        "  decode-budget-pin: max_decode_tokens is 16 in releases/v2.4.0.yaml, 32 in "
        "releases/v2.3.4.yaml: below the minimum 24",
        f"    why it exists: {INCIDENT}#AI-1 (owner Borja, due 2026-08-21)",
        *DETAILS,
    ]


def test_plain_lines_keep_every_row_on_one_greppable_line() -> None:
    stream = io.StringIO()
    render_plain(_run(), stream)
    assert stream.getvalue().splitlines() == [
        "FAIL     decode-budget-pin       measured 16       limit >= 24, drop <= 4x",
        f"         {INCIDENT}#AI-1, owner Borja",
        f"PASS     empty-gloss-alert       measured 0.01     limit {ALERT_LIMIT}",
        f"         {INCIDENT}#AI-3, owner Borja",
        "FAIL     spanish-gloss-nonempty  measured 28.40%   limit <= 2.00%",
        f"         {INCIDENT}#AI-4, owner Borja",
        "         judged 338 of 338 items (242 passed, 96 failed)",
        "ERROR    response-shape          measured -        limit -",
        f"         {INCIDENT}#AI-4, owner Borja; advisory: does not block",
        "         judged 336 of 338 items (330 passed, 6 failed); 2 errored: http_5xx 2",
        "  decode-budget-pin: max_decode_tokens is 16 in releases/v2.4.0.yaml, 32 in "
        "releases/v2.3.4.yaml: below the minimum 24",
        f"    why it exists: {INCIDENT}#AI-1 (owner Borja, due 2026-08-21)",
        *DETAILS,
    ]


def test_a_check_id_longer_than_the_space_is_never_cut() -> None:
    long_id = "spanish-gloss-nonempty-for-the-long-tail-of-portal-prompts-in-the-bake"
    extra = CheckResult(_check(long_id, "AI-4"), Status.FAIL, 0.5, "<= 2.00%", "half")
    lines = io.StringIO()
    render_table(_run((), extra), lines, width=80)
    assert f"FAIL    {long_id}  50.00%    <= 2.00%" in lines.getvalue().splitlines()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "first"),
    [(_Terminal(), "gate · suite release"), (io.StringIO(), "FAIL     decode-budget-pin")],
    ids=["terminal", "log"],
)
def test_render_picks_the_table_for_a_terminal(stream: io.StringIO, first: str) -> None:
    render(_run(), stream)
    assert first in stream.getvalue().splitlines()[0]


def test_one_more_item_past_those_shown_is_said_in_the_singular() -> None:
    tally = Tally(10, 4, 6, 0)
    for n in range(5):
        tally.add_sample(Sample("regression", n + 1, f"rg-{n}", "failed", "'spanish' is blank"))
    extra = CheckResult(_check("gloss", "AI-4"), Status.FAIL, 0.6, "<= 2.00%", "6/10", tally=tally)
    stream = io.StringIO()
    render_plain(_run((), extra), stream)
    assert "    ... and 1 more failed or errored item" in stream.getvalue().splitlines()
