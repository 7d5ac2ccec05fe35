"""What `gate smoke` shows each round: a row per check with its action item and owner under it,
laid out for the terminal's width, or as plain labelled lines in a CI log; every note once."""

from __future__ import annotations

import io
from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.cli.smoke_display import LiveDisplay, PlainDisplay
from gate.status import ExitCode
from tests.bakes import ACTION_ITEM, SmokeProject

COVERAGE = """\
id: smoke-coverage
kind: corpus_coverage
action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-5
suites: [smoke]
params:
  corpus: smoke
  tagged: {tags: [t], source: curated, min_items: 5}
"""
AI5 = "INC-2026-08-14-tutor-spanish-gloss-missing#AI-5"


def _round_lines(smoke: SmokeProject, display: Any) -> list[str]:
    """The lines a one-round bake shows for its round, from the round's own line on."""
    smoke.write("checks/smoke-coverage.yaml", COVERAGE)
    with display:
        smoke.bake(display, rounds=1, dry_run=("response-shape",))
    # The live bar, which draws nothing off a terminal, leaves a blank line as it stops.
    lines = display.stream.getvalue().rstrip("\n").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("round 1/1 PASS in "))
    return lines[start + 1 :]


def test_plain_lines_in_a_log(smoke: SmokeProject) -> None:
    assert _round_lines(smoke, PlainDisplay(io.StringIO())) == [
        "  PASS     response-shape          measured 0.00%    limit <= 0.00%",
        f"           {ACTION_ITEM}, owner Borja; dry run: does not decide",
        "  PASS     smoke-coverage          measured 5        limit >= 1 item, >= 5 tagged t and "
        "from source curated",
        f"           {AI5}, owner Borja",
        "  PASS     spanish-gloss-nonempty  measured 0.00%    limit <= 2.00%",
        f"           {ACTION_ITEM}, owner Borja",
    ]


def test_at_80_columns(smoke: SmokeProject) -> None:
    assert _round_lines(smoke, LiveDisplay(io.StringIO(), width=80)) == [
        "status  check                   measured  limit",
        "PASS    response-shape          0.00%     <= 0.00%",
        f"        {ACTION_ITEM}, owner Borja; dry run:",
        "          does not decide",
        "PASS    smoke-coverage          5         >= 1 item, >= 5 tagged t and from",
        "                                          source curated",
        f"        {AI5}, owner Borja",
        "PASS    spanish-gloss-nonempty  0.00%     <= 2.00%",
        f"        {ACTION_ITEM}, owner Borja",
    ]


@pytest.mark.parametrize("width", [100, 160])
def test_at_100_and_160_columns_each_row_is_a_line(smoke: SmokeProject, width: int) -> None:
    assert _round_lines(smoke, LiveDisplay(io.StringIO(), width=width)) == [
        "status  check                   measured  limit",
        "PASS    response-shape          0.00%     <= 0.00%",
        f"        {ACTION_ITEM}, owner Borja; dry run: does not decide",
        "PASS    smoke-coverage          5         >= 1 item, >= 5 tagged t and from source "
        "curated",
        f"        {AI5}, owner Borja",
        "PASS    spanish-gloss-nonempty  0.00%     <= 2.00%",
        f"        {ACTION_ITEM}, owner Borja",
    ]


def test_each_note_is_printed_once(smoke: SmokeProject, chdir: Any) -> None:
    smoke.tutor.mode = "slow"
    smoke.tutor.delay_s = 0.05  # every round takes longer than its interval
    chdir(smoke.root)
    result = CliRunner().invoke(cli, ["smoke", "--rounds", "2", "--interval", "0.001s"])
    assert result.exit_code == ExitCode.OK, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note: ")]
    assert [note.split(" took ")[0] for note in notes] == ["note: round 1", "note: round 2"]
    assert notes[0].endswith(
        "longer than the 0.001 s interval: the rounds after it started late, so detection can "
        "take longer than the bound"
    )
