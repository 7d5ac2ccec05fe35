"""`gate list`: every kind with its params, the new ones included, and the checks."""

from __future__ import annotations

from click.testing import CliRunner

from gate.cli import cli
from tests.conftest import REPO


def test_the_kinds_are_listed_with_their_params(monkeypatch: object) -> None:
    monkeypatch.chdir(REPO)  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("  field_language ")))
    assert lines[start + 1 : start + 6] == [
        "      field (required): the response field to read, as a dotted path such as spanish",
        "      language (required): the language the field must be in",
        "      among (required): the languages the detector chooses among, language included",
        "      max_failure_rate: the largest share of answers with text in another language",
        "      empty: a blank or missing field: skip (left to field_nonempty) or fail",
    ]
    for kind, param in (("latency", "slow_s"), ("llm_judge", "rubric (required)")):
        at = lines.index(next(line for line in lines if line.startswith(f"  {kind} ")))
        following = lines[at + 1 : at + 8]
        assert any(line.startswith(f"      {param}") for line in following), following
    assert any(line.startswith("  spanish-gloss-language ") for line in lines)
