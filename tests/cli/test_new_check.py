"""`gate new-check`: scaffolds written beside unfinished ones, ids that do not collide,
the example's structure, params from the command line, and a word on manual items."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.status import ExitCode
from tests.conftest import INCIDENT, REPO, ProjectFactory, gate_cli

ITEM = f"{INCIDENT}#AI-4"
DRILL = "INC-2026-06-10-carta-checkout-payments-drill"


@pytest.fixture
def tutor_project(project: ProjectFactory) -> ProjectFactory:
    project.corpus("regression", 3)
    return project


def new_check(project: ProjectFactory, chdir: object, *args: str) -> tuple[int, str]:
    return gate_cli(project, chdir, "new-check", "--from", ITEM, *args)


EVAL_SCORE = f"""\
# Grammar tutor left the Spanish gloss empty in about 30% of answers for 47 minutes
# AI-4: Add a non-empty Spanish gloss sub-check to the eval gate that blocks the release on its own
# owner Borja, due 2026-08-22; done when: A release with an empty gloss in more than 2% of its \
answers fails the eval gate
id: tutor-spanish-gloss-missing-ai-4-eval-score
kind: eval_score
action_item: {ITEM}
description: TODO say in a sentence what this check measures
suites: [release]
blocking: true
corpora: [regression]
params:
  min_score: null
  axes:
    english: {{scorer: null}}

# The params (`gate kinds show eval_score`):
#   min_score: required; the lowest mean item score that passes; an item scoring below it is \
listed among the failed samples
#   axes: required; the scored axes, by name (lower case); an item's score is the weighted mean \
of its axes
# For example:
#   min_score: 0.92
#   axes:
#     english: {{scorer: chrf}}
#     spanish: {{scorer: exact, normalize: true, min_score: 0.9}}
"""


def test_eval_score_gets_an_axes_mapping_with_one_axis_to_fill_in(
    tutor_project: ProjectFactory, chdir: object
) -> None:
    code, output = new_check(tutor_project, chdir, "--kind", "eval_score")
    path = tutor_project.root / "checks" / "tutor-spanish-gloss-missing-ai-4-eval-score.yaml"
    assert code == ExitCode.OK
    assert path.read_text() == EVAL_SCORE
    name = "checks/tutor-spanish-gloss-missing-ai-4-eval-score.yaml"
    assert output == (
        f"wrote {name}; fill in what `gate validate` says is left:\n"
        f"  {name}:12:3: 'params.min_score' should be a number, found nothing\n"
        "    fix: 'min_score' is the lowest mean item score that passes; an item scoring below "
        "it is listed among the failed samples\n"
        f"  {name}:14:15: 'params.axes.english.scorer' is nothing, expected one of: exact, "
        "contains, regex, chrf, json_keys\n"
    )


def test_a_scaffold_is_written_while_another_still_has_todos(
    tutor_project: ProjectFactory, chdir: object
) -> None:
    assert new_check(tutor_project, chdir, "--kind", "eval_score")[0] == ExitCode.OK
    code, output = new_check(tutor_project, chdir, "--kind", "field_nonempty")
    assert code == ExitCode.OK
    assert output.splitlines()[1:] == [
        "  checks/tutor-spanish-gloss-missing-ai-4-field-nonempty.yaml:12:3: 'params.field' "
        "should be a string, found nothing",
        "    fix: 'field' is the response field to read, as a dotted path such as spanish or "
        "answer.text",
    ]
    assert sorted(path.name for path in (tutor_project.root / "checks").iterdir()) == [
        "tutor-spanish-gloss-missing-ai-4-eval-score.yaml",
        "tutor-spanish-gloss-missing-ai-4-field-nonempty.yaml",
    ]


def test_params_from_the_command_line_make_a_check_that_validates(
    tutor_project: ProjectFactory, chdir: object
) -> None:
    code, output = new_check(
        tutor_project, chdir, "--kind", "field_nonempty", "-p", "field=spanish",
        "--param", "max_failure_rate=0.02",
    )  # fmt: skip
    path = tutor_project.root / "checks" / "tutor-spanish-gloss-missing-ai-4-field-nonempty.yaml"
    assert (code, output) == (
        ExitCode.OK,
        "wrote checks/tutor-spanish-gloss-missing-ai-4-field-nonempty.yaml; it validates: "
        "try it with `gate run --check tutor-spanish-gloss-missing-ai-4-field-nonempty`\n",
    )
    assert "params:\n  field: spanish\n  max_failure_rate: 0.02\n" in path.read_text()
    code, output = gate_cli(tutor_project, chdir, "validate")
    assert code == ExitCode.OK


def test_a_structured_param_is_read_as_yaml(tutor_project: ProjectFactory, chdir: object) -> None:
    code, _ = new_check(
        tutor_project, chdir, "--kind", "json_schema", "-p", "schema={type: object, required: [a]}"
    )
    assert code == ExitCode.OK
    text = (
        tutor_project.root / "checks/tutor-spanish-gloss-missing-ai-4-json-schema.yaml"
    ).read_text()
    assert "params:\n  schema:\n    type: object\n    required: [a]\n" in text


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "feild=spanish",
            "gate: --param feild=spanish: the kind has no param 'feild'\n"
            "  fix: did you mean 'field'?\n",
        ),
        (
            "spanish",
            "gate: --param spanish: expected NAME=VALUE\n"
            "  fix: its params: field, max_failure_rate\n",
        ),
        (
            "field=[unclosed",
            "gate: --param field=[unclosed: the value is not YAML (ParserError)\n"
            "  fix: quote it, or write it as YAML: 0.02, answer, [a, b], {type: object}\n",
        ),
    ],
)
def test_a_bad_param_option_writes_nothing(
    tutor_project: ProjectFactory, chdir: object, option: str, message: str
) -> None:
    code, output = new_check(tutor_project, chdir, "--kind", "field_nonempty", "-p", option)
    assert (code, output) == (ExitCode.INPUT_ERROR, message)
    assert list((tutor_project.root / "checks").iterdir()) == []


@pytest.mark.parametrize("check_id", ["../x", "/tmp/abs", "Gloss", "-gloss"])
def test_an_id_that_is_not_a_check_id_writes_nothing(
    tutor_project: ProjectFactory, chdir: object, check_id: str
) -> None:
    before = sorted(path.name for path in tutor_project.root.iterdir())
    code, output = new_check(tutor_project, chdir, "--kind", "field_nonempty", "--id", check_id)
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        f"gate: --id '{check_id}' is not a check id\n"
        "  fix: use lower-case letters, digits, '.', '_' and '-', starting with a letter or "
        "digit, such as spanish-gloss-nonempty\n",
    )
    assert list((tutor_project.root / "checks").iterdir()) == []
    assert sorted(path.name for path in tutor_project.root.iterdir()) == before


def test_an_id_already_used_inside_another_file_is_refused(
    tutor_project: ProjectFactory, chdir: object
) -> None:
    # A scaffold that does not validate yet still holds its id.
    tutor_project.write("checks/gloss.yml", "id: gloss\nkind: field_nonempty\nparams: {field: }\n")
    code, output = new_check(tutor_project, chdir, "--kind", "field_nonempty", "--id", "gloss")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        "gate: checks/gloss.yml: already holds the check 'gloss'\n  fix: choose another --id\n",
    )


def test_the_default_id_names_the_postmortem_so_items_of_two_do_not_collide(
    tutor_project: ProjectFactory, chdir: object
) -> None:
    drill = REPO / "postmortems" / f"{DRILL}.md"
    tutor_project.write(f"postmortems/{drill.name}", drill.read_text(encoding="utf-8"))
    for ref in (f"{INCIDENT}#AI-1", f"{DRILL}#AI-1"):
        code, _ = gate_cli(
            tutor_project, chdir, "new-check", "--from", ref, "--kind", "field_nonempty"
        )
        assert code == ExitCode.OK
    assert sorted(path.name for path in (tutor_project.root / "checks").iterdir()) == [
        "carta-checkout-payments-drill-ai-1-field-nonempty.yaml",
        "tutor-spanish-gloss-missing-ai-1-field-nonempty.yaml",
    ]


def test_a_manual_item_gets_a_warning(tutor_project: ProjectFactory, chdir: object) -> None:
    drill = REPO / "postmortems" / f"{DRILL}.md"
    tutor_project.write(f"postmortems/{drill.name}", drill.read_text(encoding="utf-8"))
    code, output = gate_cli(
        tutor_project, chdir, "new-check", "--from", f"{DRILL}#AI-3",
        "--kind", "field_nonempty", "-p", "field=spanish",
    )  # fmt: skip
    assert code == ExitCode.OK
    assert output.splitlines()[0] == (
        f"gate: warning: {DRILL}#AI-3 is marked 'manual' in its postmortem, a process change "
        "no check counts toward; if this check enforces it, mark it 'gate' there"
    )


def test_an_unknown_item_names_the_nearest(tutor_project: ProjectFactory, chdir: object) -> None:
    code, output = gate_cli(
        tutor_project, chdir, "new-check", "--from", f"{INCIDENT}#AI-9", "--kind", "field_nonempty"
    )
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        f"gate: action item {INCIDENT}#AI-9 does not exist\n  fix: did you mean {INCIDENT}#AI-5?\n",
    )


def test_default_id_strips_the_date_stamp(tmp_path: Path) -> None:
    from gate.links import index_items, load_postmortems
    from gate.scaffold import default_id

    postmortems, _ = load_postmortems(REPO / "postmortems")
    linked = index_items(postmortems)[f"{INCIDENT}#AI-1"]
    assert default_id(linked, "field_nonempty") == "tutor-spanish-gloss-missing-ai-1-field-nonempty"


def test_an_unknown_kind_names_the_nearest(tutor_project: ProjectFactory, chdir: object) -> None:
    from gate.registry import load_registry

    code, output = new_check(tutor_project, chdir, "--kind", "json_shema")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        f"gate: kind 'json_shema' is not known; known kinds: {', '.join(load_registry().names())}"
        "\n  fix: did you mean 'json_schema'?\n",
    )
