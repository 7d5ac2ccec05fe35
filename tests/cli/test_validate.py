"""`gate validate`: every mistake a user can make is one sentence with file, line and fix."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from tests.conftest import INCIDENT, ProjectFactory, gate_cli


def _validate(project: ProjectFactory, chdir: object, *args: str) -> tuple[int, str]:
    return gate_cli(project, chdir, "validate", *args)


@pytest.fixture
def valid(project: ProjectFactory) -> ProjectFactory:
    project.gloss_run(total=10, empty=0)
    return project


def test_a_valid_project(valid: ProjectFactory, chdir: object) -> None:
    code, output = _validate(valid, chdir)
    assert code == ExitCode.OK
    assert "gate.yaml: valid: 1 check, 1 corpus, 1 release manifest" in output


def test_unknown_key_suggests_the_nearest(valid: ProjectFactory, chdir: object) -> None:
    valid.write(
        "gate.yaml",
        "target: {type: recorded, path: recorded.jsonl}\nsuits: {release: {}}\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate.yaml:2:1: unknown key 'suits' in the top level\n"
        "  fix: did you mean 'suites'? allowed keys here: allow_outside_root, judge, manifest, "
        "name, paths, postmortems, prometheus, smoke, suites, target\n"
        "gate.yaml:1:1: missing required key 'suites' in the top level\n"
        "  fix: add 'suites': the named sets of checks, such as release and smoke\n"
        "2 problems in the gate's input; nothing was run.\n"
    )


def test_wrong_type_in_the_target(valid: ProjectFactory, chdir: object) -> None:
    valid.write(
        "gate.yaml",
        "target:\n  type: http\n  url: http://127.0.0.1:9\n  timeout_s: fast\n"
        "suites: {release: {}}\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate.yaml:4:3: 'target.timeout_s' should be a number, found a string \"fast\"\n"
        "  fix: 'timeout_s' is seconds one request may take\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_bad_yaml_names_file_and_line(valid: ProjectFactory, chdir: object) -> None:
    valid.write("gate.yaml", "target: {type: recorded\nsuites: {}\n")
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate: gate.yaml:2:7: is not valid YAML: expected ',' or '}', but got ':'\n"
        "  fix: correct the YAML syntax at that place\n"
    )


def test_unknown_target_type(valid: ProjectFactory, chdir: object) -> None:
    valid.write("gate.yaml", "target: {type: htp}\nsuites: {release: {}}\n")
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate: gate.yaml:1: target type 'htp' is not known; known types: http, recorded\n"
        "  fix: did you mean 'http'?\n"
    )


def test_unknown_kind(valid: ProjectFactory, chdir: object) -> None:
    valid.write(
        "checks/typo.yaml",
        f"id: typo\nkind: field_nonemty\naction_item: {INCIDENT}#AI-2\nsuites: [release]\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/typo.yaml:2: kind 'field_nonemty' is not known; "
        "known kinds: " + output.split("known kinds: ")[1].split("\n")[0] + "\n"
        "  fix: did you mean 'field_nonempty'?\n"
        "1 problem in the gate's input; nothing was run.\n"
    )
    assert "field_nonempty, " in output and "json_schema" in output


def test_every_problem_of_a_check_file_at_once(valid: ProjectFactory, chdir: object) -> None:
    valid.write(
        "checks/bad.yaml",
        "id: bad\n"
        "kind: field_nonempty\n"
        "action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-2\n"
        "suites: [relase]\n"
        "corpora: [regresion]\n"
        'blocking: "yes"\n'
        "params: {field: spanish, max_failure_rat: 0.02}\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/bad.yaml:4: suite 'relase' is not defined in gate.yaml (suites: release, smoke)\n"
        "  fix: did you mean 'release'?\n"
        "checks/bad.yaml:5: corpus 'regresion' does not exist (corpora: regression)\n"
        "  fix: did you mean 'regression'?\n"
        "checks/bad.yaml:6:1: 'blocking' should be true or false, found a string \"yes\"\n"
        "  fix: 'blocking' is whether a fail or error blocks the release (default true)\n"
        "checks/bad.yaml:7:26: unknown key 'max_failure_rat' in params\n"
        "  fix: did you mean 'max_failure_rate'? allowed keys here: field, max_failure_rate\n"
        "4 problems in the gate's input; nothing was run.\n"
    )


def test_duplicate_check_id(valid: ProjectFactory, chdir: object) -> None:
    text = (valid.root / "checks/spanish-gloss-nonempty.yaml").read_text()
    valid.write("checks/zz-copy.yaml", text)
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/zz-copy.yaml:1: check id 'spanish-gloss-nonempty' is already used by "
        "spanish-gloss-nonempty.yaml\n"
        "  fix: give each check an id of its own\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_response_check_needs_corpora(valid: ProjectFactory, chdir: object) -> None:
    valid.write(
        "checks/nocorpus.yaml",
        "id: nocorpus\nkind: field_nonempty\n"
        f"action_item: {INCIDENT}#AI-2\nsuites: [release]\n"
        "params: {field: spanish}\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/nocorpus.yaml:1: kind 'field_nonempty' judges answers, so the check needs "
        "'corpora'\n"
        "  fix: add corpora: [regression]\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_an_invalid_inline_schema(valid: ProjectFactory, chdir: object) -> None:
    valid.write(
        "checks/shape.yaml",
        "id: shape\nkind: json_schema\n"
        f"action_item: {INCIDENT}#AI-2\nsuites: [release]\n"
        "corpora: [regression]\nparams:\n  schema: {type: 12}\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/shape.yaml:7: params.schema is not a valid JSON Schema: "
        "12 is not valid under any of the given schemas\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_duplicate_corpus_item_id_across_files(valid: ProjectFactory, chdir: object) -> None:
    valid.write("corpora/more.jsonl", '{"id": "rg-0003", "prompt": "again"}\n')
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "corpora/regression.jsonl:4: item id 'rg-0003' is already used at more.jsonl:1\n"
        "  fix: give every corpus item an id of its own\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_bad_jsonl_line(valid: ProjectFactory, chdir: object) -> None:
    valid.write("corpora/more.jsonl", '{"id": "x-1", "prompt": "fine"}\n{"id": "x-2",\n')
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "corpora/more.jsonl:2:14: line is not valid JSON: unexpected end of data\n"
        "  fix: write one complete JSON object per line\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_corpus_item_without_prompt(valid: ProjectFactory, chdir: object) -> None:
    valid.write("corpora/more.jsonl", '{"id": "x-1", "promt": "typo"}\n')
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "corpora/more.jsonl:1: unknown key 'promt' in the top level\n"
        "  fix: did you mean 'prompt'? allowed keys here: expected, id, prompt, source, tags\n"
        "corpora/more.jsonl:1: missing required key 'prompt' in the top level\n"
        "  fix: add 'prompt': the text sent to the target\n"
        "2 problems in the gate's input; nothing was run.\n"
    )


def test_non_utf8_corpus(valid: ProjectFactory, chdir: object) -> None:
    (valid.root / "corpora/more.jsonl").write_bytes(b'{"id": "x-1", "prompt": "caf\xe9"}\n')
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "corpora/more.jsonl:1:29: corpus is not UTF-8: byte 0xe9 cannot be decoded\n"
        "  fix: save the file as UTF-8\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_bom_and_crlf_corpus_is_fine(valid: ProjectFactory, chdir: object) -> None:
    (valid.root / "corpora/more.jsonl").write_bytes(
        b'\xef\xbb\xbf{"id": "x-1", "prompt": "one"}\r\n{"id": "x-2", "prompt": "two"}\r\n'
    )
    code, _ = _validate(valid, chdir)
    assert code == ExitCode.OK


def test_missing_manifest(valid: ProjectFactory, chdir: object) -> None:
    (valid.root / "releases/v2.3.4.yaml").unlink()
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        f"releases/v2.3.4.yaml: release manifest not found\n"
        f"  fix: create {valid.root}/releases/v2.3.4.yaml or fix the path\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_missing_config(project: ProjectFactory, chdir: object) -> None:
    chdir(project.root)  # type: ignore[operator]
    result = CliRunner().invoke(cli, ["validate", "--config", "nope.yaml"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "gate: nope.yaml: gate configuration not found\n  fix: create nope.yaml or fix the path\n"
    )


def test_an_unknown_postmortem_template(valid: ProjectFactory, chdir: object) -> None:
    valid.write("gate.yaml", valid.config.read_text() + "postmortems: {template: analysys}\n")
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate.yaml:8:15: 'postmortems.template' is a string \"analysys\", expected one of: auto, "
        "gate, analysis, four-section\n"
        "  fix: did you mean 'analysis'?\n"
        "1 problem in the gate's input; nothing was run.\n"
    )
