"""Known releases beside a postmortem: read, held to their schema, every problem a sentence."""

from __future__ import annotations

import pytest

from gate.project import load_project
from gate.status import ExitCode
from tests.conftest import INCIDENT, REPO, ProjectFactory, gate_cli

FILE = f"postmortems/{INCIDENT}.releases.yaml"
TAIL = "1 problem in the gate's input; nothing was run.\n"


@pytest.fixture
def known(project: ProjectFactory) -> ProjectFactory:
    project.gloss_run(total=3, empty=0)
    project.write("releases/v2.4.0.yaml", 'version: "2.4.0"\nmax_decode_tokens: 16\n')
    project.write("variants/v2.4.1.yaml", 'version: "2.4.1"\nmax_decode_tokens: 24\n')
    return project


def test_the_tutors_releases_are_read_with_their_lines() -> None:
    project = load_project(REPO / "gate.yaml", read_corpora=False)
    named = [
        (r.name.rsplit("/", 1)[-1], r.line, r.bad, [e.check for e in r.blocked_by])
        for r in project.known_releases
    ]
    assert named == [
        (
            "v2.4.0.yaml",
            8,
            True,
            ["decode-budget-pin", "spanish-gloss-nonempty", "long-tail-gloss-nonempty"],
        ),
        (
            "budget-20.yaml",
            12,
            True,
            [
                "decode-budget-pin",
                "spanish-gloss-nonempty",
                "long-tail-gloss-nonempty",
                "long-tail-answers",
                "smoke-gloss-nonempty",
            ],
        ),
        ("stop-comma.yaml", 22, True, ["long-tail-answers"]),
        ("stop-semicolon.yaml", 24, True, ["long-tail-answers"]),
        (
            "spanish-label.yaml",
            27,
            True,
            ["long-tail-answers", "eval-score", "spanish-gloss-language"],
        ),
        ("english-gloss.yaml", 32, True, ["spanish-gloss-language"]),
        ("v2.3.4.yaml", 37, False, []),
        ("key-order.yaml", 39, False, []),
    ]
    (budget,) = [r for r in project.known_releases if r.name.endswith("budget-20.yaml")]
    assert budget.previous is not None and budget.previous.version == "2.4.1"
    assert [e.line for e in budget.blocked_by] == [15, 16, 17, 18, 19]


def test_a_release_with_recorded_answers_and_its_previous_release(
    known: ProjectFactory, chdir: object
) -> None:
    known.write(
        FILE,
        "known_bad:\n"
        "  - manifest: releases/v2.4.0.yaml\n"
        "    recorded: recorded.jsonl\n"
        "    previous: variants/v2.4.1.yaml\n"
        "    blocked_by: [spanish-gloss-nonempty]\n",
    )
    (release,) = load_project(known.config).known_releases
    assert (release.postmortem, release.name, release.line) == (
        INCIDENT,
        "releases/v2.4.0.yaml",
        2,
    )
    assert release.recorded == known.root / "recorded.jsonl"
    assert release.previous is not None and release.previous.version == "2.4.1"
    code, output = gate_cli(known, chdir, "validate")
    assert code == ExitCode.OK
    assert (
        output.splitlines()[-1] == "gate: gate.yaml: valid: 1 check, 1 corpus, 2 release manifests"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "known_bad:\n  - manifest: releases/v2.4.0.yaml\n    blocked: [x]\n",
            f"{FILE}:3:5: unknown key 'blocked' in known_bad[0]\n"
            "  fix: did you mean 'blocked_by'? allowed keys here: blocked_by, manifest, previous, "
            "recorded\n"
            f"{FILE}:2:5: missing required key 'blocked_by' in known_bad[0]\n"
            "  fix: add 'blocked_by': the ids of the checks expected to block the release\n"
            "2 problems in the gate's input; nothing was run.\n",
        ),
        (
            "known_bad:\n  - blocked_by: [spanish-gloss-nonempty]\n",
            f"{FILE}:2: known_bad[0] names no release\n"
            "  fix: give its manifest, its recorded answers, or both\n" + TAIL,
        ),
        (
            "known_bad:\n  - manifest: releases/v9.yaml\n    blocked_by: [x]\n",
            f"{FILE}:2: known_bad[0].manifest names releases/v9.yaml, which does not exist\n"
            "  fix: give the path from the folder of gate.yaml\n" + TAIL,
        ),
        (
            "known_good:\n  - recorded: corpora\n",
            f"{FILE}:2: known_good[0].recorded names corpora, which is not a file\n"
            "  fix: give the path from the folder of gate.yaml\n" + TAIL,
        ),
        (
            "known_good:\n  - manifest: ../v9.yaml\n",
            f"{FILE}:2:5: 'known_good[0].manifest' names '../v9.yaml', which climbs out of the "
            "repository (the folder of gate.yaml) with '..'\n"
            "  fix: keep the file inside the repository, or set 'allow_outside_root: true' in "
            "gate.yaml if the gate must read files outside it\n" + TAIL,
        ),
        (
            "known_bad:\n  - manifest: releases/v2.4.0.yaml\n    blocked_by: []\n",
            f"{FILE}:3:5: 'known_bad[0].blocked_by': [] should be non-empty\n"
            "  fix: 'known_bad[0].blocked_by' is the ids of the checks expected to block the "
            "release\n" + TAIL,
        ),
        (
            "known_bad:\n  - manifest: releases/v2.4.0.yaml\n    blocked_by: [Spanish Gloss]\n",
            f"{FILE}:3:18: 'known_bad[0].blocked_by[0]': 'Spanish Gloss' does not match "
            "'^[a-z0-9][a-z0-9._-]*$'\n" + TAIL,
        ),
        (
            "known_good:\n  - recorded: recorded.jsonl\n    previous: releases/v2.3.4.yaml\n",
            f"{FILE}:3: known_good[0].previous has no manifest to compare it with\n"
            "  fix: give the release's manifest too, or drop previous\n" + TAIL,
        ),
        (
            "known_bad:\n  - manifest: releases/v2.4.0.yaml\n    blocked_by: [x]\n"
            "known_good:\n  - manifest: releases/v2.4.0.yaml\n",
            f"{FILE}:5: releases/v2.4.0.yaml is named again; it was first named at line 2\n"
            "  fix: name each release once, in known_bad or in known_good\n" + TAIL,
        ),
        (
            "- releases/v2.4.0.yaml\n",
            f"{FILE}:1:1: the file should be a mapping, found a list\n" + TAIL,
        ),
        (
            "{}\n",
            f"{FILE}:1: names no release\n"
            "  fix: list releases under known_bad (with the checks expected to block each), "
            "known_good, or both\n" + TAIL,
        ),
        (
            "known_good:\n  - manifest: releases/v2.4.0.yaml\n    manifest: releases/v2.3.4.yaml\n",
            f"{FILE}:3:5: repeats the key 'manifest' (first at line 2)\n"
            "  fix: keep one of them; YAML would silently keep only the last\n" + TAIL,
        ),
    ],
    ids=[
        "unknown-key",
        "no-release",
        "missing-manifest",
        "recorded-folder",
        "outside",
        "empty-blocked-by",
        "check-id",
        "previous-alone",
        "twice",
        "not-a-mapping",
        "empty",
        "repeated-key",
    ],
)
def test_every_problem_names_the_file_the_line_and_the_fix(
    known: ProjectFactory, chdir: object, text: str, message: str
) -> None:
    known.write(FILE, text)
    code, output = gate_cli(known, chdir, "validate")
    assert (code, output) == (ExitCode.INPUT_ERROR, message)


def test_a_manifest_it_names_is_held_to_the_manifest_schema(
    known: ProjectFactory, chdir: object
) -> None:
    known.write("variants/bad.yaml", "max_decode_tokens: 16\n")
    known.write(FILE, "known_good:\n  - manifest: variants/bad.yaml\n")
    code, output = gate_cli(known, chdir, "validate")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        "variants/bad.yaml:1:1: missing required key 'version' in the top level\n"
        "  fix: add 'version': the release's semantic version, such as \"2.4.0\" (quoted)\n" + TAIL,
    )


def test_a_file_for_no_postmortem_suggests_the_nearest(
    known: ProjectFactory, chdir: object
) -> None:
    known.write(
        "postmortems/INC-2026-08-14-tutor-spanish-gloss.releases.yaml",
        "known_good:\n  - manifest: releases/v2.3.4.yaml\n",
    )
    code, output = gate_cli(known, chdir, "validate")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        "postmortems/INC-2026-08-14-tutor-spanish-gloss.releases.yaml: there is no postmortem "
        "INC-2026-08-14-tutor-spanish-gloss for these releases to belong to\n"
        f"  fix: name the file {INCIDENT}.releases.yaml\n" + TAIL,
    )


def test_a_file_linked_out_of_the_repository_is_refused(
    known: ProjectFactory, chdir: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "x.releases.yaml"
    outside.write_text("known_good:\n  - manifest: releases/v2.3.4.yaml\n")
    (known.root / FILE).symlink_to(outside)
    code, output = gate_cli(known, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        f"{FILE}: this known releases file leads through a symbolic link to "
        f"{outside.resolve()}, outside the repository\n"
        "  fix: keep the file inside the repository, or set 'allow_outside_root: true' in "
        "gate.yaml if the gate must read files outside it\n" + TAIL
    )


def test_an_expected_check_that_does_not_exist_is_a_warning(
    known: ProjectFactory, chdir: object
) -> None:
    # Not exit 2: `gate prove` fails on it (exit 1), naming the release, as on any
    # change that lets a known-bad release through.
    known.write(
        FILE,
        "known_bad:\n  - manifest: releases/v2.4.0.yaml\n    blocked_by:\n"
        "      - spanish-glos-nonempty\n",
    )
    code, output = gate_cli(known, chdir, "validate")
    assert code == ExitCode.OK
    assert output.splitlines()[0] == (
        f"gate: warning: {FILE}:4: releases/v2.4.0.yaml is expected to be blocked by "
        "spanish-glos-nonempty, which is no check; did you mean spanish-gloss-nonempty?"
    )
