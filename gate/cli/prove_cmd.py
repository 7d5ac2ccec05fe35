"""`gate prove`: replay every release a postmortem was written about against the gate."""

from __future__ import annotations

from pathlib import Path

import click

from gate.cli.options import config_option, prometheus_option, sigterm_interrupts, warn


@click.command("prove")
@config_option
@click.option("--suite", default="release", show_default=True, help="The suite to run.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="How many releases run at once (default: one per core, at least two).",
)
@prometheus_option
@click.option(
    "--report-json",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the proof (gate-proof/1) here; `gate trace --proof` reads it.",
)
def prove_command(
    config_path: Path,
    suite: str,
    jobs: int | None,
    prometheus_url: str | None,
    report_json: Path | None,
) -> int:
    """Run the suite against every known release; exit 1 if a past incident would get through.

    Known releases are named beside each postmortem, in
    postmortems/<postmortem id>.releases.yaml. Exit 0 when every known-bad
    release is blocked by each check expected and every known-good one
    ships; 1 when one is not; 3 when an expected check could not be judged.
    """
    from gate.errors import InputError
    from gate.project import load_project
    from gate.proof.known import SUFFIX
    from gate.proof.report import proof_lines, write_proof
    from gate.proof.runs import prove_configured

    with sigterm_interrupts():
        project = load_project(config_path)
        warn(project.warnings)
        if not project.known_releases:
            # Proving nothing is never a pass.
            raise InputError(
                project.config.postmortems_dir,
                "no postmortem names a known release, so there is nothing to prove",
                fix=f"name the releases an incident was about in <postmortem id>{SUFFIX} "
                "beside its postmortem (README: Incidents stay caught)",
            )
        proof = prove_configured(project, suite, jobs, prometheus_url)
    for line in proof_lines(proof, project.config.root):
        click.echo(line)
    if report_json is not None:
        write_proof(proof, project, report_json)
    return proof.exit_code
