"""`gate new-check --known-bad`: the incident's release named beside its postmortem, the file's
comments and layout kept."""

from __future__ import annotations

import pytest

from gate.status import ExitCode
from tests.conftest import INCIDENT, ProjectFactory, gate_cli

FILE = f"postmortems/{INCIDENT}.releases.yaml"
FROM = ("new-check", "--from", f"{INCIDENT}#AI-1", "--kind", "config_pin", "--id", "pin")


@pytest.fixture
def incident(project: ProjectFactory) -> ProjectFactory:
    project.gloss_run(total=3, empty=0)
    project.write("releases/v2.4.0.yaml", 'version: "2.4.0"\nmax_decode_tokens: 16\n')
    return project


def _new_check(project: ProjectFactory, chdir: object, manifest: str) -> tuple[int, str]:
    return gate_cli(project, chdir, *FROM, "--known-bad", manifest)


def test_the_first_known_release_of_an_incident_starts_its_file(
    incident: ProjectFactory, chdir: object
) -> None:
    code, output = _new_check(incident, chdir, "./releases/v2.4.0.yaml")
    assert code == ExitCode.OK, output
    root = incident.root
    assert output.splitlines() == [
        "wrote checks/pin.yaml; fill in what `gate validate` says is left:",
        "  checks/pin.yaml:11:3: 'params.key' should be a string, found nothing",
        "    fix: 'key' is the manifest key, as a dotted path (max_decode_tokens, decoding.top_p); "
        "a candidate without it fails",
        f"wrote {root}/{FILE}: releases/v2.4.0.yaml is known bad, expected to be blocked by pin",
    ]
    assert (root / FILE).read_text() == (
        f"# The releases {INCIDENT} was about; `gate prove` replays them.\n"
        "known_bad:\n"
        "  - manifest: releases/v2.4.0.yaml\n"
        "    blocked_by: [pin]\n"
    )


BEFORE = """\
# Kept as written.
known_bad:
  # The incident.
  - manifest: releases/v2.4.0.yaml
    blocked_by: [spanish-gloss-nonempty]

  - recorded: recorded.jsonl
    blocked_by:
      - spanish-gloss-nonempty   # a comment stays

# The release before.
known_good:
  - manifest: releases/v2.3.4.yaml
"""


@pytest.mark.parametrize(
    ("manifest", "after"),
    [
        (
            "releases/v2.4.0.yaml",
            BEFORE.replace("[spanish-gloss-nonempty]", "[spanish-gloss-nonempty, pin]"),
        ),
        (
            "releases/v2.4.1.yaml",
            BEFORE.replace(
                "      - spanish-gloss-nonempty   # a comment stays\n",
                "      - spanish-gloss-nonempty   # a comment stays\n"
                "  - manifest: releases/v2.4.1.yaml\n    blocked_by: [pin]\n",
            ),
        ),
    ],
    ids=["to-its-entry", "a-new-entry"],
)
def test_a_known_release_is_added_to_the_file_as_written(
    incident: ProjectFactory, chdir: object, manifest: str, after: str
) -> None:
    incident.write("releases/v2.4.1.yaml", 'version: "2.4.1"\nmax_decode_tokens: 24\n')
    incident.write(FILE, BEFORE)
    code, output = _new_check(incident, chdir, manifest)
    assert code == ExitCode.OK, output
    assert output.splitlines()[-1] == (
        f"added to {incident.root}/{FILE}: {manifest} is known bad, expected to be blocked by pin"
    )
    assert (incident.root / FILE).read_text() == after


def test_a_block_list_of_checks_gets_one_more_line(incident: ProjectFactory, chdir: object) -> None:
    before = (
        "known_bad:\n- manifest: releases/v2.4.0.yaml\n  blocked_by:\n  - spanish-gloss-nonempty\n"
    )
    incident.write(FILE, before)
    assert _new_check(incident, chdir, "releases/v2.4.0.yaml")[0] == ExitCode.OK
    assert (incident.root / FILE).read_text() == before + "  - pin\n"


def test_known_bad_is_added_after_the_known_good(incident: ProjectFactory, chdir: object) -> None:
    incident.write(FILE, "known_good:\n  - manifest: releases/v2.3.4.yaml")
    assert _new_check(incident, chdir, "releases/v2.4.0.yaml")[0] == ExitCode.OK
    assert (incident.root / FILE).read_text() == (
        "known_good:\n  - manifest: releases/v2.3.4.yaml\n"
        "known_bad:\n  - manifest: releases/v2.4.0.yaml\n    blocked_by: [pin]\n"
    )


def test_a_layout_it_does_not_edit_is_left_alone_and_so_is_the_check(
    incident: ProjectFactory, chdir: object
) -> None:
    text = "known_bad: [{manifest: releases/v2.3.4.yaml, blocked_by: [spanish-gloss-nonempty]}]\n"
    incident.write(FILE, text)
    code, output = _new_check(incident, chdir, "releases/v2.4.0.yaml")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        f"gate: {FILE}: could not add releases/v2.4.0.yaml to it without rewriting it\n"
        "  fix: add it by hand under known_bad:\n"
        "    - manifest: releases/v2.4.0.yaml\n"
        "      blocked_by: [pin]\n",
    )
    assert (incident.root / FILE).read_text() == text
    assert not (incident.root / "checks/pin.yaml").exists()


def test_a_known_good_release_or_a_missing_file_is_refused(
    incident: ProjectFactory, chdir: object
) -> None:
    incident.write(FILE, "known_good:\n  - manifest: releases/v2.3.4.yaml\n")
    code, output = _new_check(incident, chdir, "releases/v2.3.4.yaml")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        f"gate: {FILE}:2: releases/v2.3.4.yaml is a known-good release of {INCIDENT}\n"
        "  fix: name a release the incident was about\n",
    )
    code, output = _new_check(incident, chdir, "releases/v9.yaml")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        "gate: --known-bad releases/v9.yaml is not a file\n  fix: give the manifest's path\n",
    )
    assert not (incident.root / "checks/pin.yaml").exists()


def test_a_check_already_expected_is_not_added_twice(
    incident: ProjectFactory, chdir: object
) -> None:
    text = "known_bad:\n  - manifest: releases/v2.4.0.yaml\n    blocked_by: [pin]\n"
    incident.write(FILE, text)
    code, output = _new_check(incident, chdir, "releases/v2.4.0.yaml")
    assert code == ExitCode.OK
    assert output.splitlines()[-1] == (
        f"{incident.root}/{FILE} already expects releases/v2.4.0.yaml to be blocked by pin"
    )
    assert (incident.root / FILE).read_text() == text
