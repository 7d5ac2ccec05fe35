"""Cross-checks: what a check names elsewhere in the project, refused as the project loads.

`gate validate`, `gate run` and `gate smoke` load a project the same way, so
each case is exit 2 with the same message from every one of them, before a
target is asked anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gate.status import ExitCode
from tests.bakes import SmokeProject
from tests.conftest import INCIDENT, ProjectFactory, gate_cli, write_jsonl

SELECTING = f"""\
id: long-tail-gloss
kind: field_nonempty
action_item: {INCIDENT}#AI-2
suites: [release, smoke]
corpora: [regression]
select: {{select}}
params: {{{{field: spanish}}}}
"""


def _tagged(project: ProjectFactory) -> None:
    project.gloss_run(total=3, empty=0)
    write_jsonl(
        project.root / "corpora/regression.jsonl",
        [
            {"id": "rg-0000", "prompt": "a", "tags": ["long-tail"], "source": "portal"},
            {"id": "rg-0001", "prompt": "b", "tags": ["smoke"], "source": "curated"},
            {"id": "rg-0002", "prompt": "c"},
        ],
    )


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_select_tag_no_item_carries(project: ProjectFactory, chdir: object, command: str) -> None:
    _tagged(project)
    project.write("checks/long-tail-gloss.yaml", SELECTING.format(select="{tags: [long-tial]}"))
    code, output = gate_cli(project, chdir, command)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/long-tail-gloss.yaml:6: select (tagged long-tial) keeps no item of corpus "
        "regression, so the check would judge nothing\n"
        "  fix: did you mean tag 'long-tail'? (the items are tagged long-tail, smoke; "
        "sources: curated, portal)\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_select_source_no_item_comes_from(project: ProjectFactory, chdir: object) -> None:
    _tagged(project)
    project.write("checks/long-tail-gloss.yaml", SELECTING.format(select="{source: logs}"))
    code, output = gate_cli(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/long-tail-gloss.yaml:6: select (from source logs) keeps no item of corpus "
        "regression, so the check would judge nothing\n"
        "  fix: no item comes from source 'logs' (the items are tagged long-tail, smoke; "
        "sources: curated, portal)\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_tags_that_exist_but_never_together(project: ProjectFactory, chdir: object) -> None:
    _tagged(project)
    select = "{tags: [long-tail], source: curated}"
    project.write("checks/long-tail-gloss.yaml", SELECTING.format(select=select))
    code, output = gate_cli(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/long-tail-gloss.yaml:6: select (tagged long-tail and from source curated) keeps "
        "no item of corpus regression, so the check would judge nothing\n"
        "  fix: no item carries all of these at once (the items are tagged long-tail, "
        "smoke; sources: curated, portal)\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_select_that_keeps_an_item_late_in_the_corpus(
    project: ProjectFactory, chdir: object
) -> None:
    _tagged(project)
    select = "{tags: [smoke], source: curated}"
    project.write("checks/long-tail-gloss.yaml", SELECTING.format(select=select))
    code, _ = gate_cli(project, chdir, "validate")
    assert code == ExitCode.OK


def test_an_empty_corpus(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=3, empty=0)
    project.write("corpora/regression.jsonl", "")
    code, output = gate_cli(project, chdir, "run")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/spanish-gloss-nonempty.yaml:5: corpus regression holds no item, so the check "
        "would judge nothing\n"
        "  fix: add items to corpora/regression.jsonl, or name a corpus that has some\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


@pytest.mark.parametrize("command", ["validate", "smoke"])
def test_the_smoke_section_names_a_corpus_and_a_file_that_are_not_there(
    smoke: SmokeProject, chdir: object, command: str
) -> None:
    smoke.configure("  corpus: smok\n  sample: {from: portal.jsonl}\n")  # lines 11 and 12
    code, output = gate_cli(smoke, chdir, command)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate.yaml:11: smoke.corpus 'smok' does not exist (corpora: smoke)\n"
        "  fix: did you mean 'smoke'?\n"
        "gate.yaml:12: smoke.sample.from names portal.jsonl, which is not a file\n"
        "  fix: give the portal log or corpus to sample from, relative to gate.yaml\n"
        "2 problems in the gate's input; nothing was run.\n"
    )
    assert smoke.tutor.asked == [], "the service was asked before the input was checked"


PLUGIN_CHECK = f"""\
id: {{name}}
kind: {{kind}}
action_item: {INCIDENT}#AI-1
suites: [release]
timeout_s: 0.5
params: {{{{file: notes.txt}}}}
"""


def _plugin_gate(
    project: ProjectFactory, site: Path, kind: str
) -> subprocess.CompletedProcess[str]:
    project.gloss_run(total=2, empty=0)
    project.write("checks/plugin.yaml", PLUGIN_CHECK.format(name="plugin", kind=kind))
    return subprocess.run(
        [sys.executable, "-m", "gate", "validate"],
        cwd=project.root,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=60,
    )


PLUGIN_CASES = {
    "its-own-errors": (
        "names_a_file",
        "checks/plugin.yaml:6: notes.txt is not there\n",
    ),
    "raises": (
        "breaks_validating",
        "checks/plugin.yaml:2: kind 'breaks_validating' failed cross-checking check 'plugin': "
        "KeyError: 'corpora'\n"
        "  fix: fix or reinstall the plugin that provides the kind\n",
    ),
    "garbage": (
        "garbage_validating",
        "checks/plugin.yaml:2: kind 'garbage_validating' failed cross-checking check 'plugin': "
        "its validate returned a str, not a list of InputError\n"
        "  fix: fix or reinstall the plugin that provides the kind\n",
    ),
    "hangs": (
        "sleeps_validating",
        "checks/plugin.yaml:2: kind 'sleeps_validating' failed cross-checking check 'plugin': "
        "it did not return within 0.5 s\n"
        "  fix: fix or reinstall the plugin that provides the kind\n",
    ),
}


@pytest.mark.parametrize("case", PLUGIN_CASES, ids=list(PLUGIN_CASES))
def test_a_plugin_kinds_validate_hook(project: ProjectFactory, fault_site: Path, case: str) -> None:
    kind, message = PLUGIN_CASES[case]
    done = _plugin_gate(project, fault_site, kind)
    assert done.returncode == ExitCode.INPUT_ERROR
    assert (done.stdout, done.stderr) == (
        "",
        message + "1 problem in the gate's input; nothing was run.\n",
    )


def test_a_plugin_hook_that_finds_nothing(project: ProjectFactory, fault_site: Path) -> None:
    project.write("notes.txt", "here\n")
    done = _plugin_gate(project, fault_site, "names_a_file")
    assert done.returncode == ExitCode.OK, done.stderr
