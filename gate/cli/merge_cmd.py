"""`gate merge`: add the shards' tallies up and judge every threshold again on the sum."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gate.cli.options import config_option, sigterm_interrupts, warn

_OUT = click.Path(path_type=Path, dir_okay=False)


@click.command("merge")
@config_option
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--report-json", type=_OUT, help="Write the merged JSON report (gate-report/1) here.")
@click.option("--junit", type=_OUT, help="Write the merged JUnit XML here.")
@click.option("--summary", type=_OUT, help="Write the merged summary (Markdown) here.")
def merge_command(
    config_path: Path,
    reports: tuple[Path, ...],
    report_json: Path | None,
    junit: Path | None,
    summary: Path | None,
) -> int:
    """Merge the JSON reports of `gate run --shard K/N` into one verdict.

    Every shard of one run must be given exactly once, made from the same
    commit, configuration, checks, corpora and manifest; otherwise nothing is
    written and the exit is 2. Exits 0, 1 or 3 like `gate run` on the verdict.
    """
    from gate.merge import merge_reports
    from gate.project import load_project
    from gate.reports.atomic import write_atomic
    from gate.reports.console import render
    from gate.reports.github import publish, render_summary
    from gate.reports.json_report import write_json_report
    from gate.reports.junit import write_junit
    from gate.shardset import load_shard_set

    with sigterm_interrupts():
        shards = load_shard_set(list(reports))
        project = load_project(config_path, read_corpora=False)
        warn(project.warnings)
        result = merge_reports(project, shards)
    render(result, sys.stdout)
    if report_json is not None:
        write_json_report(result, report_json)
    if junit is not None:
        write_junit(result, junit)
    if summary is not None:
        write_atomic(summary, render_summary(result, report=report_json).encode("utf-8"))
    publish(result, report=report_json)
    return result.exit_code
