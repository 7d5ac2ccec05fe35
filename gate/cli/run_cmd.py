"""`gate run`: judge a release candidate with one suite and report the verdict."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from gate.cli.options import (
    config_option,
    prometheus_option,
    shard_option,
    sigterm_interrupts,
    warn,
)
from gate.shard import Shard


@click.command("run")
@config_option
@click.option("--suite", default="release", show_default=True, help="The suite to run.")
@click.option(
    "--manifest",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The release manifest of the candidate (default: gate.yaml's manifest).",
)
@click.option("--target-url", help="Judge a service already running at this URL instead.")
@prometheus_option
@click.option(
    "--report-json",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the JSON report (gate-report/1) here.",
)
@click.option(
    "--junit", type=click.Path(path_type=Path, dir_okay=False), help="Write JUnit XML here."
)
@shard_option
def run_command(
    config_path: Path,
    suite: str,
    manifest: Path | None,
    target_url: str | None,
    prometheus_url: str | None,
    report_json: Path | None,
    junit: Path | None,
    shard: Shard | None,
) -> int:
    """Run a suite against the target and exit 0, 1, 2 or 3 (see `gate --help`)."""
    from gate.cli.progress import progress_for
    from gate.project import load_project
    from gate.prometheus import build_prometheus
    from gate.reports.console import render
    from gate.reports.github import publish
    from gate.reports.json_report import write_json_report
    from gate.reports.junit import write_junit
    from gate.runner import build_target, planned_items, run_suite

    with sigterm_interrupts():
        project = load_project(config_path, manifest=manifest)
        warn(project.warnings)
        target = build_target(project, url_override=target_url)
        prometheus = build_prometheus(project.config, prometheus_url)
        planned = lambda: planned_items(project, suite, shard)  # noqa: E731
        with (
            contextlib.closing(prometheus) if prometheus else contextlib.nullcontext(),
            progress_for(sys.stderr, planned) as progress,
        ):
            result = run_suite(
                project, suite, target=target, progress=progress, shard=shard, prometheus=prometheus
            )
    render(result, sys.stdout)
    if report_json is not None:
        write_json_report(result, report_json)
    if junit is not None:
        write_junit(result, junit)
    publish(result, report=report_json)
    return result.exit_code
