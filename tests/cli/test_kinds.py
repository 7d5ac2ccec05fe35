"""`gate kinds` and `gate kinds show KIND`: what a kind takes, without reading its source."""

from __future__ import annotations

from click.testing import CliRunner

from gate.cli import cli
from gate.registry import load_registry
from gate.status import ExitCode

# Built from the registry, so a kind added later changes no expectation here.
KINDS = load_registry().kinds

FIELD_NONEMPTY = """\
field_nonempty (response: judges the target's answers, item by item)

  A response field is present, is a string, and is not blank after trimming.

params:
  field: string; required; not empty
      the response field to read, as a dotted path such as spanish or answer.text
  max_failure_rate: number; optional; default 0; 0 to 1
      the largest share of judged answers that may be missing or blank: at 0.02, 2 in
      100 pass and 3 fail

example (checks/field-nonempty-example.yaml):

  id: field-nonempty-example
  kind: field_nonempty
  action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-4
  suites: [release]
  blocking: true
  corpora: [regression]
  params:
    field: spanish
    max_failure_rate: 0.02
"""


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_show_prints_every_param_and_an_example() -> None:
    assert invoke("kinds", "show", "field_nonempty") == (ExitCode.OK, FIELD_NONEMPTY)


def test_show_names_the_nearest_kind() -> None:
    assert invoke("kinds", "show", "field_nonemty") == (
        ExitCode.INPUT_ERROR,
        f"gate: kind 'field_nonemty' is not known; known kinds: {', '.join(sorted(KINDS))}\n"
        "  fix: did you mean 'field_nonempty'?\n",
    )


def test_kinds_lists_each_kind_with_its_scope() -> None:
    code, output = invoke("kinds")
    assert code == ExitCode.OK
    lines = output.splitlines()
    assert [line.split()[:2] for line in lines[: len(KINDS)]] == [
        [name, KINDS[name].scope] for name in sorted(KINDS)
    ]
    assert lines[sorted(KINDS).index("field_nonempty")] == (
        "field_nonempty           response  "
        "A response field is present, is a string, and is not blank after trimming."
    )
    assert lines[-1] == "`gate kinds show KIND` lists a kind's params and shows an example check."
