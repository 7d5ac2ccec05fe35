"""eval_score's validate hook: every item holds the expected values its axes compare with.

Found by `gate validate` and by `gate run` alike, as the project loads, before
the target is asked: exit 2 naming the corpus line of each item lacking one.
"""

from __future__ import annotations

from typing import Any

import pytest

from gate.status import ExitCode
from tests.conftest import INCIDENT, ProjectFactory, gate_cli, write_jsonl

CHECK = f"""\
id: eval-score
kind: eval_score
action_item: {INCIDENT}#AI-4
suites: [release]
corpora: [eval]
{{select}}params:
  min_score: 0.9
  axes:
    spanish: {{{{scorer: exact}}}}
    shape: {{{{scorer: json_keys, field: $, expected: shape}}}}
"""

FINE = {"spanish": "Hola.", "shape": {"english": "x", "spanish": "y"}}


def _project(
    project: ProjectFactory, expected: list[Any], select: str = "", tags: list[str] | None = None
) -> None:
    rows = []
    for n, value in enumerate(expected):
        row: dict[str, Any] = {"id": f"ev-{n:02d}", "prompt": f"p{n}", "tags": tags or []}
        if value is not None:
            row["expected"] = value
        rows.append(row)
    write_jsonl(project.root / "corpora/eval.jsonl", rows)
    project.write("checks/eval-score.yaml", CHECK.format(select=select))
    project.recorded({row["id"]: {"spanish": "Hola.", "english": "x"} for row in rows})


@pytest.mark.parametrize("command", ["validate", "run"])
def test_every_shape_of_a_missing_expected_value(
    project: ProjectFactory, chdir: object, command: str
) -> None:
    _project(
        project,
        [
            FINE,
            None,  # no expected at all
            {"shape": FINE["shape"]},  # no spanish
            {**FINE, "spanish": None},  # null
            {**FINE, "spanish": 3},  # a number
            {**FINE, "shape": ["english"]},  # a list where an object is compared with
        ],
    )
    code, output = gate_cli(project, chdir, command)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "corpora/eval.jsonl:2: item ev-01 has no expected 'spanish', which axis spanish of "
        "check eval-score compares with (checks/eval-score.yaml:9)\n"
        "  fix: give the item an expected 'spanish' (a string), or leave it out with the "
        "check's select\n"
        "corpora/eval.jsonl:3: item ev-02 has no expected 'spanish', which axis spanish of "
        "check eval-score compares with (checks/eval-score.yaml:9)\n"
        "  fix: give the item an expected 'spanish' (a string), or leave it out with the "
        "check's select\n"
        "corpora/eval.jsonl:4: item ev-03 has an expected 'spanish' that is NoneType, not a "
        "string, which axis spanish of check eval-score compares with "
        "(checks/eval-score.yaml:9)\n"
        "  fix: give the item an expected 'spanish' (a string), or leave it out with the "
        "check's select\n"
        "corpora/eval.jsonl:5: item ev-04 has an expected 'spanish' that is int, not a "
        "string, which axis spanish of check eval-score compares with "
        "(checks/eval-score.yaml:9)\n"
        "  fix: give the item an expected 'spanish' (a string), or leave it out with the "
        "check's select\n"
        "corpora/eval.jsonl:6: item ev-05 has an expected 'shape' that is list, not an "
        "object, which axis shape of check eval-score compares with "
        "(checks/eval-score.yaml:10)\n"
        "  fix: give the item an expected 'shape' (an object), or leave it out with the "
        "check's select\n"
        "5 problems in the gate's input; nothing was run.\n"
    )


def test_past_five_items_the_rest_are_counted(project: ProjectFactory, chdir: object) -> None:
    _project(project, [FINE, *([None] * 8)])
    code, output = gate_cli(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    lines = output.splitlines()
    assert [line.split(":", 2)[1] for line in lines[0:10:2]] == ["2", "3", "4", "5", "6"]
    assert lines[10:] == [
        "checks/eval-score.yaml:8: 3 more items of corpus eval lack an expected value the "
        "axes compare with",
        "  fix: give every item the expected values, or narrow the check with select",
        "6 problems in the gate's input; nothing was run.",
    ]


def test_one_more_item_is_counted_in_the_singular(project: ProjectFactory, chdir: object) -> None:
    _project(project, [None] * 6)
    code, output = gate_cli(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines()[10] == (
        "checks/eval-score.yaml:8: 1 more item of corpus eval lacks an expected value the "
        "axes compare with"
    )


def test_select_leaves_out_the_items_without_expected_values(
    project: ProjectFactory, chdir: object
) -> None:
    _project(project, [FINE, FINE], select="select: {tags: [scored]}\n", tags=["scored"])
    with (project.root / "corpora/eval.jsonl").open("a") as stream:
        stream.write('{"id": "ev-99", "prompt": "unscored", "tags": ["draft"]}\n')
    code, output = gate_cli(project, chdir, "validate")
    assert code == ExitCode.OK
    assert (
        output.splitlines()[-1] == "gate: gate.yaml: valid: 1 check, 1 corpus, 1 release manifest"
    )


def test_a_regex_axis_needs_no_expected_value(project: ProjectFactory, chdir: object) -> None:
    write_jsonl(project.root / "corpora/eval.jsonl", [{"id": "ev-00", "prompt": "p"}])
    project.write(
        "checks/eval-score.yaml",
        CHECK.format(select="").split("  axes:")[0]
        + "  axes:\n    bare: {scorer: regex, field: spanish, pattern: '^[^:]*$'}\n",
    )
    code, _ = gate_cli(project, chdir, "validate")
    assert code == ExitCode.OK
