"""Paths in gate.yaml and check params stay inside the repository unless gate.yaml allows more."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

from gate.checks import load_check
from gate.context import RunContext
from gate.errors import InputError, InputErrors
from gate.kinds.base import Measurement, StaticKind
from gate.paths import PathPolicy
from gate.registry import Registry, kind
from gate.status import ExitCode, Status
from tests.conftest import INCIDENT, ProjectFactory, gate_cli

FIX = (
    "  fix: keep the file inside the repository, or set 'allow_outside_root: true' in gate.yaml "
    "if the gate must read files outside it"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "data" / "inside.txt").write_text("in")
    (tmp_path / "outside.txt").write_text("secret")
    return root


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("data/inside.txt", None),
        ("data/../data/inside.txt", None),
        (".", None),
        ("../outside.txt", "climbs out of the repository (the folder of gate.yaml) with '..'"),
        (
            "data/../../outside.txt",
            "climbs out of the repository (the folder of gate.yaml) with '..'",
        ),
        ("/etc/passwd", "is an absolute path outside the repository (the folder of gate.yaml)"),
    ],
)
def test_what_leaves_the_root(repo: Path, value: str, problem: str | None) -> None:
    assert PathPolicy(repo).problem(value) == problem


def test_an_absolute_path_inside_the_root_is_fine(repo: Path) -> None:
    assert PathPolicy(repo).problem(repo / "data" / "inside.txt") is None


def test_a_symlink_out_of_the_tree_is_followed_then_refused(repo: Path) -> None:
    (repo / "data" / "link.txt").symlink_to(repo.parent / "outside.txt")
    (repo / "data" / "dir").symlink_to(repo.parent)
    real = repo.parent.resolve()
    policy = PathPolicy(repo)
    assert policy.problem("data/link.txt") == (
        f"leads through a symbolic link to {real / 'outside.txt'}, outside the repository"
    )
    assert policy.problem("data/dir/outside.txt") == (
        f"leads through a symbolic link to {real / 'outside.txt'}, outside the repository"
    )


def test_a_symlink_within_the_tree_is_fine(repo: Path) -> None:
    (repo / "alias.txt").symlink_to(repo / "data" / "inside.txt")
    assert PathPolicy(repo).problem("alias.txt") is None


def test_a_symlink_loop_is_refused(repo: Path) -> None:
    (repo / "loop").symlink_to(repo / "loop")
    assert PathPolicy(repo).problem("loop") == (
        "cannot be resolved (is there a loop of symbolic links?)"
    )


def test_allow_outside_lets_everything_through(repo: Path) -> None:
    (repo / "link.txt").symlink_to(repo.parent / "outside.txt")
    policy = PathPolicy(repo, allow_outside=True)
    assert [policy.problem(v) for v in ("../outside.txt", "/etc/passwd", "link.txt")] == [None] * 3


# gate.yaml, end to end through `gate validate`.


def _validate(project: ProjectFactory, chdir: object, *args: str) -> tuple[int, str]:
    return gate_cli(project, chdir, "validate", *args)


@pytest.fixture
def valid(project: ProjectFactory) -> ProjectFactory:
    project.gloss_run(total=4, empty=0)
    return project


def test_config_paths_that_climb_out_are_refused(valid: ProjectFactory, chdir: object) -> None:
    valid.write(
        "gate.yaml",
        "manifest: /etc/hostname\n"
        "paths:\n"
        "  checks: ../elsewhere\n"
        "target: {type: recorded, path: ../../recorded.jsonl}\n"
        "suites: {release: {}}\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate.yaml:1:1: 'manifest' names '/etc/hostname', which is an absolute path outside the "
        "repository (the folder of gate.yaml)\n"
        f"{FIX}\n"
        "gate.yaml:3:3: 'paths.checks' names '../elsewhere', which climbs out of the repository "
        "(the folder of gate.yaml) with '..'\n"
        f"{FIX}\n"
        "gate.yaml:4:26: 'target.path' names '../../recorded.jsonl', which climbs out of the "
        "repository (the folder of gate.yaml) with '..'\n"
        f"{FIX}\n"
        "3 problems in the gate's input; nothing was run.\n"
    )


def test_a_default_folder_that_links_out_is_refused(
    valid: ProjectFactory, chdir: object, tmp_path: Path
) -> None:
    elsewhere = tmp_path.parent / f"{tmp_path.name}-postmortems"
    shutil.move(valid.root / "postmortems", elsewhere)
    (valid.root / "postmortems").symlink_to(elsewhere)
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        f"gate.yaml: the postmortems folder names 'postmortems', which leads through a symbolic "
        f"link to {elsewhere.resolve()}, outside the repository\n"
        f"{FIX}\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_corpus_file_that_links_out_is_refused_before_it_is_read(
    valid: ProjectFactory, chdir: object, tmp_path: Path
) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-secret.jsonl"
    secret.write_text("not json at all\n")
    (valid.root / "corpora" / "leak.jsonl").symlink_to(secret)
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        f"corpora/leak.jsonl: this corpus leads through a symbolic link to {secret.resolve()}, "
        "outside the repository\n"
        f"{FIX}\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_check_file_that_links_out_is_refused(
    valid: ProjectFactory, chdir: object, tmp_path: Path
) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-check.yaml"
    secret.write_text("id: x\n")
    (valid.root / "checks" / "leak.yaml").symlink_to(secret)
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output.startswith(
        f"checks/leak.yaml: this check file leads through a symbolic link to {secret.resolve()}"
    )


def test_allow_outside_root_is_an_explicit_opt_in(
    valid: ProjectFactory, chdir: object, tmp_path: Path
) -> None:
    shared = tmp_path.parent / f"{tmp_path.name}-shared"
    (shared / "releases").mkdir(parents=True)
    (shared / "releases" / "v2.3.4.yaml").write_text('version: "2.3.4"\n')
    valid.write(
        "gate.yaml",
        "allow_outside_root: true\n"
        f"manifest: {shared}/releases/v2.3.4.yaml\n"
        f"paths: {{releases: ../{shared.name}/releases}}\n"
        "target: {type: recorded, path: recorded.jsonl}\n"
        "suites: {release: {}, smoke: {}}\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.OK, output


# Check params that name files.


@kind
class ReadsFiles(StaticKind):
    """A kind whose params name files, for these tests.

    Params:
      file: a file in the repository.
      more: more files in the repository.
    """

    name = "reads_files"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "file": {"type": "string", "format": "repo-path"},
            "more": {"type": "array", "items": {"type": "string", "format": "repo-path"}},
            "label": {"type": "string"},
        },
    }

    def evaluate(self, context: RunContext) -> Measurement:
        return Measurement(Status.PASS, None, None, "")


def _check(project: ProjectFactory, params: str, *, allow: bool = False) -> list[str]:
    path = project.write(
        "checks/files.yaml",
        f"id: files\nkind: reads_files\naction_item: {INCIDENT}#AI-1\nsuites: [release]\n"
        f"params:\n{params}",
    )
    policy = PathPolicy(project.root.resolve(), allow_outside=allow)
    registry = Registry(kinds={"reads_files": ReadsFiles})
    try:
        load_check(
            path,
            registry,
            suites={"release": ""},
            corpora={},
            corpora_dir=project.root / "corpora",
            paths=policy,
        )
    except InputErrors as many:
        return [str(error).replace(str(path), "files.yaml") for error in many.errors]
    except InputError as one:
        return [str(one).replace(str(path), "files.yaml")]
    return []


def test_check_params_marked_as_paths_stay_inside(project: ProjectFactory) -> None:
    params = "  file: ../../etc/passwd\n  more: [ok.txt, /etc/shadow]\n  label: ../not-a-path\n"
    assert _check(project, params) == [
        "files.yaml:6:3: 'params.file' names '../../etc/passwd', which climbs out of the "
        f"repository (the folder of gate.yaml) with '..'\n{FIX}",
        "files.yaml:7:18: 'params.more[1]' names '/etc/shadow', which is an absolute path "
        f"outside the repository (the folder of gate.yaml)\n{FIX}",
    ]


def test_check_params_inside_or_allowed(project: ProjectFactory) -> None:
    assert _check(project, "  file: rules/alerts.yaml\n  more: [a, b/c]\n") == []
    assert _check(project, "  file: ../../etc/passwd\n", allow=True) == []


def test_a_built_in_kind_reading_a_file_keeps_it_inside(
    valid: ProjectFactory, chdir: object
) -> None:
    valid.write(
        "checks/alert.yaml",
        f"id: alert\nkind: prometheus_alert_rule\naction_item: {INCIDENT}#AI-4\n"
        "suites: [release]\nparams:\n  file: ../../etc/prometheus/rules.yaml\n  metric: up\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/alert.yaml:6:3: 'params.file' names '../../etc/prometheus/rules.yaml', which "
        "climbs out of the repository (the folder of gate.yaml) with '..'\n"
        f"{FIX}\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_the_smoke_sample_stays_inside(valid: ProjectFactory, chdir: object) -> None:
    valid.write(
        "gate.yaml",
        "target: {type: recorded, path: recorded.jsonl}\nsuites: {release: {}, smoke: {}}\n"
        "smoke:\n  sample: {from: /var/log/portal.jsonl}\n",
    )
    code, output = _validate(valid, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate.yaml:4:12: 'smoke.sample.from' names '/var/log/portal.jsonl', which is an "
        "absolute path outside the repository (the folder of gate.yaml)\n"
        f"{FIX}\n"
        "1 problem in the gate's input; nothing was run.\n"
    )
