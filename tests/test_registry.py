"""The kind registry: shape checks at import, and third-party kinds from entry points."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Mapping
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any, ClassVar

import pytest

from gate.kinds.base import Judgement, Measurement, ResponseKind
from gate.registry import ENTRY_POINT_GROUP, KindDefinitionError, build_registry, kind
from gate.status import Status
from gate.tally import Tally
from tests.plugins import make_package, pip_install

PLUGIN = textwrap.dedent(
    '''
    """A tiny third-party kind, installed the way any plugin would be."""
    from gate import Judgement, Measurement, ResponseKind, Status, kind


    @kind
    class EnglishEndsWithPeriod(ResponseKind):
        """The English correction ends with a period.

        Params: none.
        """

        name = "english_period"
        params_schema = {"type": "object", "additionalProperties": False, "properties": {}}

        def judge(self, item, response):
            return Judgement(str(response.get("english", "")).endswith("."), "no period")

        def verdict(self, tally):
            status = Status.PASS if tally.failed == 0 else Status.FAIL
            return Measurement(status, tally.failed, "0", f"{tally.failed} without a period")
    '''
)

BROKEN = "raise RuntimeError('this plugin is broken on purpose')\n"


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder with two plugin packages really installed into it by pip."""
    root = tmp_path_factory.mktemp("plugins")
    good = make_package(
        root,
        "gate-plugin-demo",
        "gate_plugin_demo",
        PLUGIN,
        ['english_period = "gate_plugin_demo:EnglishEndsWithPeriod"'],
    )
    bad = make_package(
        root,
        "gate-plugin-broken",
        "gate_plugin_broken",
        BROKEN,
        ['broken_kind = "gate_plugin_broken:Nothing"'],
    )
    return pip_install(root / "site", good, bad)


def test_an_installed_plugin_kind_is_listed_and_a_broken_one_named(
    plugin_site: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from gate.cli import main; main()",
            "list",
            "--config",
            str(tmp_path / "none.yaml"),
        ],
        env={"PYTHONPATH": str(plugin_site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert "english_period           response  The English correction ends with a period." in (
        result.stdout
    )
    assert "field_nonempty" in result.stdout  # the built-ins still load beside a broken plugin
    assert (
        "broken_kind              BROKEN    plugin kind 'broken_kind' from gate-plugin-broken "
        "0.1.0 failed to load: RuntimeError: this plugin is broken on purpose"
    ) in result.stdout


def test_a_plugin_kind_judges_a_run(plugin_site: Path, tmp_path: Path) -> None:
    from tests.conftest import INCIDENT, ProjectFactory

    project = ProjectFactory(tmp_path)
    project.gloss_run(total=4, empty=0)
    project.write(
        "checks/period.yaml",
        "id: period\nkind: english_period\n"
        f"action_item: {INCIDENT}#AI-2\nsuites: [release]\n"
        "corpora: [regression]\n",
    )
    result = subprocess.run(
        [sys.executable, "-c", "from gate.cli import main; main()", "run"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(plugin_site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "PASS     period                  measured 0        limit 0",
        f"         {INCIDENT}#AI-2, owner Borja",
    ]


def _entry(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def test_entry_point_name_must_match_the_kind() -> None:
    registry = build_registry([_entry("nonempty", "gate.kinds.field_nonempty:FieldNonempty")])
    assert registry.kinds == {}
    assert registry.broken["nonempty"] == (
        "entry point 'nonempty' (gate.kinds.field_nonempty:FieldNonempty) names a kind called "
        "'field_nonempty'; the two must match"
    )


def test_an_entry_point_that_is_not_a_kind() -> None:
    registry = build_registry([_entry("thing", "gate.status:Status")])
    assert registry.broken["thing"] == (
        "entry point 'thing' (gate.status:Status) is not a class marked @gate.kind"
    )


def test_a_name_declared_twice_is_refused() -> None:
    registry = build_registry(
        [
            _entry("field_nonempty", "gate.kinds.field_nonempty:FieldNonempty"),
            _entry("field_nonempty", "gate.kinds.json_schema:JsonSchema"),
        ]
    )
    assert "field_nonempty" not in registry.kinds
    assert registry.broken["field_nonempty"].startswith("kind 'field_nonempty' is declared twice")


def _kind_class(**overrides: Any) -> type[ResponseKind]:
    class Sample(ResponseKind):
        """A kind used to test the decorator."""

        name: ClassVar[str] = "sample"
        params_schema: ClassVar[Mapping[str, Any]] = {
            "type": "object",
            "additionalProperties": False,
        }

        def judge(self, item: Any, response: Mapping[str, Any]) -> Judgement:
            return Judgement(True)

        def verdict(self, tally: Tally) -> Measurement:
            return Measurement(Status.PASS, 0, None, "")

    for key, value in overrides.items():
        setattr(Sample, key, value)
    return Sample


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "Bad-Name"}, "kind 'Bad-Name' needs a lower-case `name` with underscores"),
        ({"params_schema": {"type": 12}}, "kind 'sample' has an invalid params_schema"),
        (
            {"params_schema": {"type": "object"}},
            "kind 'sample': params_schema must be an object with additionalProperties: false",
        ),
        ({"__doc__": None}, "kind 'sample' needs a docstring documenting its params"),
    ],
)
def test_the_decorator_checks_the_shape(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(KindDefinitionError) as caught:
        kind(_kind_class(**overrides))
    assert str(caught.value).startswith(message)


def test_the_decorator_accepts_a_well_formed_kind() -> None:
    sample = kind(_kind_class())
    assert getattr(sample, "__gate_kind__", False) is True


@pytest.mark.parametrize(
    "name",
    [
        "os.system",
        "gate.kinds.field_nonempty:FieldNonempty",
        "gate.kinds.field_nonempty",
        "builtins:eval",
        "tests.test_registry_imported:Anything",
    ],
)
def test_a_check_cannot_name_a_module_to_import(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from gate.cli import cli
    from gate.status import ExitCode
    from tests.conftest import INCIDENT, ProjectFactory

    project = ProjectFactory(tmp_path)
    project.gloss_run(total=2, empty=0)
    project.write(
        "checks/sneaky.yaml",
        f"id: sneaky\nkind: '{name}'\naction_item: {INCIDENT}#AI-4\nsuites: [release]\n",
    )
    monkeypatch.chdir(tmp_path)
    before = set(sys.modules)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    known = result.output.split("known kinds: ")[1].split("\n")[0]
    assert result.output == (
        f"checks/sneaky.yaml:2: kind '{name}' is not known; known kinds: {known}\n"
        f"  fix: {result.output.split('  fix: ')[1].split(chr(10))[0]}\n"
        "1 problem in the gate's input; nothing was run.\n"
    )
    assert "field_nonempty" in known.split(", ")
    assert "tests.test_registry_imported" not in set(sys.modules) - before


def test_a_broken_plugin_fails_only_the_checks_that_use_it(tmp_path: Path) -> None:
    from gate.checks import load_check
    from gate.errors import InputError

    registry = build_registry(
        [
            _entry("field_nonempty", "gate.kinds.field_nonempty:FieldNonempty"),
            _entry("gone", "gate_plugin_that_is_not_installed:Gone"),
        ]
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: b\nkind: gone\naction_item: X#AI-1\nsuites: [release]\n")
    fine = tmp_path / "fine.yaml"
    fine.write_text(
        "id: f\nkind: field_nonempty\naction_item: X#AI-1\nsuites: [release]\n"
        "corpora: [regression]\nparams: {field: spanish}\n"
    )
    suites, corpora = {"release": ""}, {"regression": tmp_path / "r.jsonl"}
    with pytest.raises(InputError) as caught:
        load_check(broken, registry, suites=suites, corpora=corpora, corpora_dir=tmp_path)
    assert str(caught.value).replace(str(broken), "broken.yaml") == (
        "broken.yaml:2: plugin kind 'gone' from gate_plugin_that_is_not_installed:Gone failed "
        "to load: ModuleNotFoundError: No module named 'gate_plugin_that_is_not_installed'\n"
        "  fix: reinstall or fix that plugin; the other kinds still work"
    )
    assert (
        load_check(fine, registry, suites=suites, corpora=corpora, corpora_dir=tmp_path).kind
        == "field_nonempty"
    )
