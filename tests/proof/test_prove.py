"""`gate prove` on releases given as recorded answers: every way a proof holds or breaks."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from aiohttp import web
from jsonschema import Draft202012Validator

from gate.project import load_project
from gate.proof.runs import jobs_allowed
from gate.schema import packaged_schema
from gate.status import ExitCode
from tests.conftest import ACTION_ITEM, INCIDENT, ProjectFactory, gate_cli, write_jsonl
from tests.loopback import LoopbackServer

FILE = f"postmortems/{INCIDENT}.releases.yaml"
# The trace's row of the gloss check's action item, up to its done-when.
ROW = f"{ACTION_ITEM}  Borja  2026-08-22  P1  spanish-gloss-nonempty (no result)  "
DONE_WHEN = "A release with an empty gloss in more than 2% of its answers fails the eval gate"
GOOD = {"english": "Fine.", "spanish": "Bien."}
EMPTY = {"english": "Fine.", "spanish": ""}


class Releases:
    """A project of ten regression prompts, its releases given as recorded answers."""

    def __init__(self, project: ProjectFactory) -> None:
        self.project = project
        self.ids = project.corpus("regression", 10)
        project.recorded({ident: GOOD for ident in self.ids})
        project.write(
            "checks/spanish-gloss-nonempty.yaml",
            (Path(__file__).parents[2] / "checks/spanish-gloss-nonempty.yaml").read_text(),
        )

    def answers(self, name: str, empty: int, missing: int = 0) -> str:
        """Recorded answers whose first `empty` glosses are blank and last `missing` absent."""
        kept = self.ids[: len(self.ids) - missing]
        rows = [
            {"id": ident, "response": EMPTY if at < empty else GOOD}
            for at, ident in enumerate(kept)
        ]
        write_jsonl(self.project.root / "answers" / name, rows)
        return f"answers/{name}"

    def known(self, text: str) -> None:
        self.project.write(FILE, text)


@pytest.fixture
def releases(project: ProjectFactory) -> Releases:
    return Releases(project)


def _bad(recorded: str, *checks: str) -> str:
    return f"  - recorded: {recorded}\n    blocked_by: [{', '.join(checks)}]\n"


def test_a_known_bad_release_blocked_as_expected_is_proven(
    releases: Releases, chdir: object
) -> None:
    bad = releases.answers("v2.4.0.jsonl", empty=3)
    good = releases.answers("v2.3.4.jsonl", empty=0)
    releases.known(
        f"known_bad:\n{_bad(bad, 'spanish-gloss-nonempty')}known_good:\n  - recorded: {good}\n"
    )
    code, output = gate_cli(releases.project, chdir, "prove")
    lines = output.splitlines()
    assert code == ExitCode.OK, output
    assert lines[:3] == [
        f"{INCIDENT} ({FILE})",
        "  PROVEN    answers/v2.4.0.jsonl: known bad, blocked by spanish-gloss-nonempty",
        "  PROVEN    answers/v2.3.4.jsonl: known good, ships",
    ]
    assert lines[3].startswith(
        "PROVEN: every known-bad release is blocked by the checks expected and every "
        "known-good release ships (2 releases in "
    )
    assert len(lines) == 4


def test_a_loosened_check_breaks_the_proof_naming_incident_release_and_check(
    releases: Releases, chdir: object
) -> None:
    bad = releases.answers("v2.4.0.jsonl", empty=3)
    releases.known(f"known_bad:\n{_bad(bad, 'spanish-gloss-nonempty')}")
    path = releases.project.root / "checks/spanish-gloss-nonempty.yaml"
    path.write_text(path.read_text().replace("max_failure_rate: 0.02", "max_failure_rate: 0.5"))
    code, output = gate_cli(releases.project, chdir, "prove")
    assert code == ExitCode.BLOCKED
    assert output.splitlines()[1:] == [
        "  BROKEN    answers/v2.4.0.jsonl: known bad, blocked by none of the checks expected",
        f"{INCIDENT}: answers/v2.4.0.jsonl would no longer be blocked by spanish-gloss-nonempty "
        "(now 30.00% against a limit of 50.00%)",
        f"{INCIDENT}: answers/v2.4.0.jsonl would now ship: no blocking check fails",
        "BROKEN: 1 of 1 known releases no longer get the verdict they are known for: "
        "a past incident could get through",
    ]


def test_an_expected_check_that_is_gone_or_out_of_the_suite_or_advisory_breaks_it(
    releases: Releases, chdir: object
) -> None:
    releases.project.write(
        "checks/smoke-only.yaml",
        f"id: smoke-only\nkind: field_nonempty\naction_item: {ACTION_ITEM}\nsuites: [smoke]\n"
        "corpora: [regression]\nparams: {field: spanish}\n",
    )
    releases.project.write(
        "checks/advisory.yaml",
        f"id: advisory\nkind: field_nonempty\naction_item: {ACTION_ITEM}\nsuites: [release]\n"
        "blocking: false\ncorpora: [regression]\nparams: {field: spanish}\n",
    )
    bad = releases.answers("v2.4.0.jsonl", empty=3)
    checks = ("spanish-gloss-nonempty", "spanish-glos-nonempty", "smoke-only", "advisory")
    releases.known(f"known_bad:\n{_bad(bad, *checks)}")
    code, output = gate_cli(releases.project, chdir, "prove")
    assert code == ExitCode.BLOCKED
    head = f"{INCIDENT}: answers/v2.4.0.jsonl would no longer be blocked by"
    assert output.splitlines() == [
        f"gate: warning: {FILE}:3: answers/v2.4.0.jsonl is expected to be blocked by "
        "spanish-glos-nonempty, which is no check; did you mean spanish-gloss-nonempty?",
        f"{INCIDENT} ({FILE})",
        "  BROKEN    answers/v2.4.0.jsonl: known bad, blocked by spanish-gloss-nonempty",
        f"{head} spanish-glos-nonempty (there is no such check; did you mean "
        "spanish-gloss-nonempty?)",
        f"{head} smoke-only (it is not in suite 'release')",
        f"{head} advisory (it fails, but is not blocking)",
        "BROKEN: 1 of 1 known releases no longer get the verdict they are known for: "
        "a past incident could get through",
    ]


def test_a_known_good_release_blocked_by_a_check_breaks_it(
    releases: Releases, chdir: object
) -> None:
    good = releases.answers("v2.3.4.jsonl", empty=1)
    releases.known(f"known_good:\n  - recorded: {good}\n")
    code, output = gate_cli(releases.project, chdir, "prove")
    assert code == ExitCode.BLOCKED
    assert output.splitlines()[1:3] == [
        "  BROKEN    answers/v2.3.4.jsonl: known good, blocked by spanish-gloss-nonempty",
        f"{INCIDENT}: answers/v2.3.4.jsonl is known good, but spanish-gloss-nonempty now "
        "blocks it (now 10.00% against a limit of 2.00%)",
    ]


def test_an_expected_check_that_could_not_be_judged_proves_nothing(
    releases: Releases, chdir: object
) -> None:
    bad = releases.answers("v2.4.0.jsonl", empty=0, missing=2)
    good = releases.answers("v2.3.4.jsonl", empty=0, missing=1)
    releases.known(
        f"known_bad:\n{_bad(bad, 'spanish-gloss-nonempty')}known_good:\n  - recorded: {good}\n"
    )
    code, output = gate_cli(releases.project, chdir, "prove")
    assert code == ExitCode.UNJUDGED
    why = (
        "undecided: the {0} errored item{1} (missing {0}) could tip it; counted as passed, "
        "0/10 with 'spanish' missing or blank: 0.00% (95%: 0.0%..27.8%) within 2.00%: 10 items "
        "cannot separate this from the limit; counted as failed, {0}/10 with 'spanish' missing "
        "or blank: {0}0.00% (95%: {2}) above 2.00%{3}"
    )
    unsettled = ": 10 items cannot separate this from the limit"
    assert output.splitlines()[1:] == [
        "  UNJUDGED  answers/v2.4.0.jsonl: known bad, blocked by spanish-gloss-nonempty",
        "  UNJUDGED  answers/v2.3.4.jsonl: known good, blocked by spanish-gloss-nonempty",
        f"{INCIDENT}: answers/v2.4.0.jsonl proves nothing about spanish-gloss-nonempty: "
        + why.format(2, "s", "5.7%..51.0%", ""),
        f"{INCIDENT}: answers/v2.3.4.jsonl proves nothing about spanish-gloss-nonempty: "
        + why.format(1, "", "1.8%..40.4%", unsettled),
        "UNJUDGED: 2 of 2 known releases could not be judged, so the proof is incomplete",
    ]


def test_a_release_that_would_ship_outweighs_one_that_could_not_be_judged(
    releases: Releases, chdir: object
) -> None:
    # One proof both broken (a good release blocked) and incomplete (a bad one
    # unjudged): broken is what a person must act on, so it decides the exit.
    bad = releases.answers("v2.4.0.jsonl", empty=0, missing=2)
    good = releases.answers("v2.3.4.jsonl", empty=5)
    releases.known(
        f"known_bad:\n{_bad(bad, 'spanish-gloss-nonempty')}known_good:\n  - recorded: {good}\n"
    )
    code, output = gate_cli(releases.project, chdir, "prove")
    assert code == ExitCode.BLOCKED, output
    assert output.splitlines()[1:3] == [
        "  UNJUDGED  answers/v2.4.0.jsonl: known bad, blocked by spanish-gloss-nonempty",
        "  BROKEN    answers/v2.3.4.jsonl: known good, blocked by spanish-gloss-nonempty",
    ]


def test_nothing_to_prove_is_a_usage_error(releases: Releases, chdir: object) -> None:
    code, output = gate_cli(releases.project, chdir, "prove")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        "gate: postmortems: no postmortem names a known release, so there is nothing to prove\n"
        "  fix: name the releases an incident was about in <postmortem id>.releases.yaml beside "
        "its postmortem (README: Incidents stay caught)\n",
    )


def test_a_manifest_alone_needs_a_service_the_gate_launches(
    releases: Releases, chdir: object
) -> None:
    # The configured target is a recorded file: its answers do not change with the manifest.
    releases.known("known_good:\n  - manifest: releases/v2.3.4.yaml\n")
    code, output = gate_cli(releases.project, chdir, "prove")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        f"gate: {FILE}:2: releases/v2.3.4.yaml has no recorded answers, and gate.yaml's target "
        "is not a service the gate launches, so nothing can answer as this release\n"
        "  fix: add its recorded answers (recorded: FILE), or a launch command to gate.yaml's "
        "target\n",
    )


def test_an_unknown_suite_is_a_usage_error(releases: Releases, chdir: object) -> None:
    good = releases.answers("v2.3.4.jsonl", empty=0)
    releases.known(f"known_good:\n  - recorded: {good}\n")
    code, output = gate_cli(releases.project, chdir, "prove", "--suite", "relase")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        "gate: gate.yaml:5: suite 'relase' is not defined; suites: release, smoke\n"
        "  fix: pass --suite with one of them\n",
    )


def test_the_json_proof_holds_each_release_and_claim(releases: Releases, chdir: object) -> None:
    bad = releases.answers("v2.4.0.jsonl", empty=3)
    releases.known(f"known_bad:\n{_bad(bad, 'spanish-gloss-nonempty')}")
    code, _ = gate_cli(releases.project, chdir, "prove", "--report-json", "out/proof.json")
    assert code == ExitCode.OK
    proof = json.loads((releases.project.root / "out/proof.json").read_text())
    Draft202012Validator(packaged_schema("proof.schema.json")).validate(proof)
    assert (proof["schema"], proof["mark"], proof["exit_code"], proof["suite"]) == (
        "gate-proof/1",
        "proven",
        0,
        "release",
    )
    assert proof["broken"] == proof["unjudged"] == []
    (release,) = proof["releases"]
    assert {key: value for key, value in release.items() if key != "claims"} == {
        "postmortem": INCIDENT,
        "file": FILE,
        "line": 2,
        "expect": "blocked",
        "release": "answers/v2.4.0.jsonl",
        "manifest": None,
        "recorded": "answers/v2.4.0.jsonl",
        "previous": None,
        "mark": "proven",
        "verdict": "fail",
        "blocking": ["spanish-gloss-nonempty"],
        "broken": [],
        "unjudged": [],
    }
    assert release["claims"] == [
        {
            "check": "spanish-gloss-nonempty",
            "action_item": ACTION_ITEM,
            "mark": "proven",
            "message": "",
        }
    ]


def test_a_launch_without_a_port_runs_one_release_at_a_time(project: ProjectFactory) -> None:
    project.gloss_run(total=1, empty=0)
    loaded = load_project(project.config)
    assert jobs_allowed(loaded, None) >= 2
    assert jobs_allowed(loaded, 3) == 3
    launch = {"command": ["serve", "--port", "{port}"]}
    with_port = {**loaded.config.target, "type": "http", "launch": launch}
    without = {**with_port, "launch": {"command": ["serve", "--port", "8080"]}}
    for target, jobs in ((with_port, 3), (without, 1)):
        config = type(loaded.config)(**{**loaded.config.__dict__, "target": target})
        assert jobs_allowed(type(loaded)(**{**loaded.__dict__, "config": config}), 3) == jobs


def test_strict_trace_proves_the_known_releases_and_fails_on_a_broken_one(
    releases: Releases, chdir: object
) -> None:
    bad = releases.answers("v2.4.0.jsonl", empty=0)
    releases.known(f"known_bad:\n{_bad(bad, 'spanish-gloss-nonempty')}")
    code, output = gate_cli(releases.project, chdir, "trace", "--strict")
    assert code == ExitCode.BLOCKED
    lines = output.splitlines()
    assert f"{ROW}{DONE_WHEN}  broken" in lines
    assert lines[-3:] == [
        f"broken: {INCIDENT}: answers/v2.4.0.jsonl would no longer be blocked by "
        "spanish-gloss-nonempty (now 0.00% against a limit of 2.00%)",
        f"broken: {INCIDENT}: answers/v2.4.0.jsonl would now ship: no blocking check fails",
        "6 gaps",
    ]
    # Plain `gate trace` launches nothing and has no proof column.
    code, output = gate_cli(releases.project, chdir, "trace")
    assert code == ExitCode.OK
    assert f"{ROW}{DONE_WHEN}" in output.splitlines()
    code, output = gate_cli(releases.project, chdir, "trace", "--prove", "--format", "markdown")
    assert code == ExitCode.OK
    assert output.splitlines()[:3] == [
        "| action item | owner | due | priority | checks (last result) | done when | proof |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| {INCIDENT}#AI-1 | Borja | 2026-08-21 | P1 | none | A test in tests/phase38/ fails "
        "for any manifest with max_decode_tokens below 24 or cut by more than 4x | unproven |",
    ]


def test_strict_trace_is_unjudged_when_the_proof_could_not_judge(
    releases: Releases, chdir: object
) -> None:
    for number in (1, 2, 3, 5):
        releases.project.write(
            f"checks/ai-{number}.yaml",
            f"id: ai-{number}\nkind: field_nonempty\naction_item: {INCIDENT}#AI-{number}\n"
            "suites: [smoke]\ncorpora: [regression]\nparams: {field: english}\n",
        )
    # No empty gloss, one item missing: it could go either way.
    bad = releases.answers("v2.4.0.jsonl", empty=0, missing=1)
    releases.known(f"known_bad:\n{_bad(bad, 'spanish-gloss-nonempty')}")
    code, output = gate_cli(releases.project, chdir, "trace", "--strict")
    assert code == ExitCode.UNJUDGED
    assert output.splitlines()[-2:] == [
        f"unjudged: {INCIDENT}: answers/v2.4.0.jsonl proves nothing about "
        "spanish-gloss-nonempty: undecided: the 1 errored item (missing 1) could tip it; "
        "counted as passed, 0/10 with 'spanish' missing or blank: 0.00% (95%: 0.0%..27.8%) "
        "within 2.00%: 10 items cannot separate this from the limit; counted as failed, 1/10 "
        "with 'spanish' missing or blank: 10.00% (95%: 1.8%..40.4%) above 2.00%: 10 items "
        "cannot separate this from the limit",
        "no gaps",
    ]


def test_trace_reads_a_proof_only_of_the_inputs_it_has_now(
    releases: Releases, chdir: object
) -> None:
    bad = releases.answers("v2.4.0.jsonl", empty=3)
    releases.known(f"known_bad:\n{_bad(bad, 'spanish-gloss-nonempty')}")
    assert gate_cli(releases.project, chdir, "prove", "--report-json", "p.json")[0] == 0
    code, output = gate_cli(releases.project, chdir, "trace", "--proof", "p.json")
    assert code == ExitCode.OK
    assert f"{ROW}{DONE_WHEN}  proven" in output.splitlines()
    path = releases.project.root / "checks/spanish-gloss-nonempty.yaml"
    path.write_text(path.read_text().replace("0.02", "0.5"))
    releases.answers("v2.4.0.jsonl", empty=4)
    code, output = gate_cli(releases.project, chdir, "trace", "--proof", "p.json")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        "gate: p.json: was proved from other check files, known releases "
        "(postmortems/*.releases.yaml, the files they name, releases/) than these\n"
        "  fix: run `gate prove --report-json` again on this checkout\n",
    )
    (releases.project.root / "r.json").write_text('{"schema": "gate-report/1"}')
    code, output = gate_cli(releases.project, chdir, "trace", "--proof", "r.json")
    assert (code, output) == (
        ExitCode.INPUT_ERROR,
        "gate: r.json: is not a gate-proof/1 proof\n"
        "  fix: write one with `gate prove --report-json`\n",
    )
    code, output = gate_cli(releases.project, chdir, "trace", "--proof", "p.json", "--prove")
    assert code == ExitCode.INPUT_ERROR
    assert output.endswith("Error: give --proof or --prove, not both\n")


def test_every_run_asks_the_prometheus_given(releases: Releases, chdir: object) -> None:
    query = "sum(rate(empty_total[5m])) / sum(rate(answers_total[5m]))"
    asked: list[str] = []

    async def prometheus(request: web.Request) -> web.StreamResponse:
        now = time.time()
        asked.append(str((await request.post())["query"]))
        value = str(now - 1) if asked[-1].startswith("max(timestamp(") else "0.005"
        result = [{"metric": {}, "value": [now, value]}]
        return web.json_response(
            {"status": "success", "data": {"resultType": "vector", "result": result}}
        )

    app = web.Application()
    app.router.add_post("/api/v1/query", prometheus)
    releases.project.write(
        "checks/gloss-share.yaml",
        f"id: gloss-share\nkind: prometheus_query\naction_item: {INCIDENT}#AI-3\n"
        f"suites: [release]\nparams: {{query: '{query}', max: 0.01}}\n",
    )
    good = releases.answers("v2.3.4.jsonl", empty=0)
    bad = releases.answers("v2.4.0.jsonl", empty=3)
    releases.known(
        f"known_bad:\n{_bad(bad, 'spanish-gloss-nonempty')}known_good:\n  - recorded: {good}\n"
    )
    with LoopbackServer(app) as server:
        code, output = gate_cli(releases.project, chdir, "prove", "--prometheus-url", server.url)
    assert code == ExitCode.OK, output
    assert asked.count(query) == 2  # once in each release's run
    # Without a Prometheus the check cannot be judged, and so nothing is proven.
    code, output = gate_cli(releases.project, chdir, "prove")
    assert code == ExitCode.UNJUDGED
    assert output.splitlines()[2] == (
        "  UNJUDGED  answers/v2.3.4.jsonl: known good, blocked by gloss-share"
    )
