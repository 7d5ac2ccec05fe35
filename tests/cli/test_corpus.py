"""`gate corpus sample`: the command line over the sampler, with its summary and its errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from tests.conftest import write_jsonl


@pytest.fixture
def log(tmp_path: Path) -> Path:
    rows = [
        {"prompt": f"Prompt {n}.", "response": {"english": "E.", "spanish": "palabra " * (n + 1)}}
        for n in range(20)
    ]
    rows.append(rows[3])
    return write_jsonl(tmp_path / "portal-log.jsonl", rows)


def _sample(chdir: Any, folder: Path, *args: str) -> Any:
    chdir(folder)
    return CliRunner().invoke(cli, ["corpus", "sample", *args])


def test_the_long_tail(log: Path, chdir: Any) -> None:
    result = _sample(
        chdir, log.parent, "portal-log.jsonl", "-o", "corpora/long-tail.jsonl",
        "--longest", "10", "--tag", "long-tail", "--seed", "7",
    )  # fmt: skip
    assert result.exit_code == ExitCode.OK, result.output
    assert result.output == (
        "gate: corpora/long-tail.jsonl: 2 items sampled from 20 distinct prompts (21 lines, "
        "1 repeat, 0 without a prompt or response.spanish, 0 excluded); response.spanish "
        "19..20 tokens, log median 10.5\n"
    )
    items = [
        json.loads(line)
        for line in (log.parent / "corpora/long-tail.jsonl").read_text().splitlines()
    ]
    assert [(item["id"], item["prompt"], item["tags"]) for item in items] == [
        ("lt-001", "Prompt 19.", ["long-tail", "p90-100"]),
        ("lt-002", "Prompt 18.", ["long-tail", "p90-100"]),
    ]


def test_strata_and_a_count(log: Path, chdir: Any) -> None:
    result = _sample(
        chdir, log.parent, "portal-log.jsonl", "-o", "smoke.jsonl", "--strata", "5",
        "--count", "5", "--id-prefix", "sm-p", "--tag", "portal-sample", "--expected-field", "",
    )  # fmt: skip
    assert result.exit_code == ExitCode.OK, result.output
    items = [json.loads(line) for line in (log.parent / "smoke.jsonl").read_text().splitlines()]
    assert [item["tags"][1] for item in items] == ["p80-100", "p60-80", "p40-60", "p20-40", "p0-20"]
    assert all("expected" not in item for item in items)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Error: give exactly one of --longest and --strata"),
        (["--longest", "10", "--strata", "3"], "Error: give exactly one of --longest and --strata"),
        (["--strata", "3"], "Error: --strata needs --count, the number of items to spread"),
        (
            ["--longest", "0"],
            "Error: Invalid value for '--longest': 0.0 is not in the range 0<x<=100.",
        ),
    ],
)
def test_usage_errors(log: Path, chdir: Any, args: list[str], message: str) -> None:
    result = _sample(chdir, log.parent, "portal-log.jsonl", "-o", "out.jsonl", *args)
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output.splitlines()[-1] == message
    assert not (log.parent / "out.jsonl").exists()


def test_a_missing_log(tmp_path: Path, chdir: Any) -> None:
    result = _sample(chdir, tmp_path, "nope.jsonl", "-o", "out.jsonl", "--longest", "10")
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "gate: nope.jsonl: production log not found\n  fix: create nope.jsonl or fix the path\n"
    )
