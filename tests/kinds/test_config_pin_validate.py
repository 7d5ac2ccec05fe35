"""config_pin's validate hook: a key that no release manifest sets is a typo in the check.

A run would call the release failed ("does not set max_decode_token"); the
project is refused as it loads instead (exit 2), with the nearest key.
"""

from __future__ import annotations

import pytest

from gate.status import ExitCode
from tests.conftest import INCIDENT, ProjectFactory, gate_cli
from tests.kinds.conftest import release

CHECK = f"""\
id: decode-budget-pin
kind: config_pin
action_item: {INCIDENT}#AI-1
suites: [release]
params:
  key: {{key}}
  min: 24
"""


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_key_no_manifest_sets_suggests_the_nearest(
    project: ProjectFactory, chdir: object, command: str
) -> None:
    release(project, "2.4.0", max_decode_tokens=16)
    project.write("checks/decode-budget-pin.yaml", CHECK.format(key="max_decode_token"))
    code, output = gate_cli(project, chdir, command, "--manifest", "releases/v2.4.0.yaml")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/decode-budget-pin.yaml:6: params.key 'max_decode_token' is set by no release "
        "manifest (releases/v2.3.4.yaml, releases/v2.4.0.yaml)\n"
        "  fix: did you mean 'max_decode_tokens'?\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_key_far_from_any_lists_the_keys(project: ProjectFactory, chdir: object) -> None:
    project.write(
        "releases/v2.3.4.yaml", 'version: "2.3.4"\ndecoding: {top_p: 0.9}\nmodel: tutor\n'
    )
    project.write("checks/decode-budget-pin.yaml", CHECK.format(key="temperature"))
    code, output = gate_cli(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/decode-budget-pin.yaml:6: params.key 'temperature' is set by no release "
        "manifest (releases/v2.3.4.yaml)\n"
        "  fix: keys set: decoding, decoding.top_p, model, version\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_key_only_an_older_release_sets_is_the_candidates_failure(
    project: ProjectFactory, chdir: object
) -> None:
    release(project, "2.4.0", model="tutor")
    project.write("checks/decode-budget-pin.yaml", CHECK.format(key="max_decode_tokens"))
    code, output = gate_cli(project, chdir, "run", "--manifest", "releases/v2.4.0.yaml")
    assert code == ExitCode.BLOCKED
    assert output.splitlines()[0].startswith("FAIL     decode-budget-pin")
