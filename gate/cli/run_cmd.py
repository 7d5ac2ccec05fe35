"""`gate run`: judge a release candidate with one suite and report the verdict."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from gate.cli.options import (
    config_option,
    html_option,
    max_items_option,
    prometheus_option,
    shard_option,
    sigterm_interrupts,
    warn,
)
from gate.shard import Shard

_FILE = click.Path(path_type=Path, dir_okay=False)


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
@click.option("--junit", type=_FILE, help="Write JUnit XML here.")
@html_option
@click.option(
    "--record",
    type=_FILE,
    help="Write every answer (with its timing, or its error and cause) here as JSON Lines, "
    "for --replay.",
)
@click.option(
    "--replay",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Judge the answers of a --record file instead of asking the target.",
)
@click.option(
    "--baseline",
    type=_FILE,
    help="A JSON report of the same suite (the last release's) to compare this run with.",
)
@max_items_option
@click.option(
    "--repeats",
    type=click.IntRange(1, 100),
    help="Ask each item this many times, as that many requests, for every response check "
    "whose file sets no repeats; every answer counts.",
)
@shard_option
@click.option("--check", "check_id", metavar="ID", help="Judge this check alone.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    metavar="N",
    help="Ask only the first N items of each corpus.",
)
def run_command(
    config_path: Path,
    suite: str,
    manifest: Path | None,
    target_url: str | None,
    prometheus_url: str | None,
    report_json: Path | None,
    junit: Path | None,
    report_html: Path | None,
    record: Path | None,
    replay: Path | None,
    baseline: Path | None,
    max_items_per_check: int,
    shard: Shard | None,
    check_id: str | None,
    limit: int | None,
    repeats: int | None,
) -> int:
    """Run a suite against the target and exit 0, 1, 2 or 3 (see `gate --help`).

    --record keeps every answer; --replay judges a recording again, so a
    changed check can be tried on yesterday's answers without the service.
    `--check` and `--limit` are for writing checks: such a run judges part of
    the release, and says so.
    """
    from gate.cli.progress import progress_for
    from gate.compare import compare_reports, load_baseline
    from gate.observers import Observers, RunObserver
    from gate.project import load_project
    from gate.prometheus import build_prometheus
    from gate.recording import record_to
    from gate.repeats import same_request_warnings
    from gate.reports.comparison import render_comparison
    from gate.reports.console import render
    from gate.reports.github import publish
    from gate.reports.html import write_html_report
    from gate.reports.html.items import ItemCollector
    from gate.reports.json_report import report_to_json, write_report_data
    from gate.reports.junit import write_junit
    from gate.runner import build_target, planned_items, run_suite

    if replay is not None and target_url is not None:
        raise click.UsageError("give --replay or --target-url, not both")
    with sigterm_interrupts():
        base = load_baseline(baseline, suite) if baseline is not None else None
        project = load_project(config_path, manifest=manifest)
        warn(project.warnings)
        if check_id is not None:
            project = project.only(check_id, suite)
        if repeats is not None:
            warn(same_request_warnings(project, repeats))
        target = build_target(project, url_override=target_url, replay=replay)
        prometheus = build_prometheus(project.config, prometheus_url)
        planned = lambda: planned_items(project, suite, shard, limit, repeats)  # noqa: E731
        observers: list[RunObserver] = []
        items = ItemCollector(target.redact) if report_html is not None else None
        if items is not None:
            observers.append(items)
        with contextlib.ExitStack() as stack:
            if prometheus is not None:
                stack.enter_context(contextlib.closing(prometheus))
            if record is not None:
                observers.append(stack.enter_context(record_to(record, target.redact)))
            progress = stack.enter_context(progress_for(sys.stderr, planned))
            result = run_suite(
                project,
                suite,
                target=target,
                progress=progress,
                shard=shard,
                repeats=repeats,
                prometheus=prometheus,
                observer=Observers(observers) if observers else None,
                max_items=max_items_per_check,
                limit=limit,
            )
    data = report_to_json(result)
    comparison = None
    if base is not None:
        comparison = compare_reports(base, data, base_path=baseline, now_path=report_json)
    if comparison is not None:
        data["comparison"] = comparison.to_json()
    render(result, sys.stdout)
    if comparison is not None:
        render_comparison(comparison, sys.stdout)
    warn(_partial(check_id, limit))
    if report_json is not None:
        write_report_data(data, report_json)
    if junit is not None:
        write_junit(result, junit)
    if report_html is not None:
        write_html_report(data, report_html, items=items)
    publish(result, report=report_json)
    return result.exit_code


def _partial(check_id: str | None, limit: int | None) -> list[str]:
    """What a run narrowed while writing checks left out: its verdict is not the release's."""
    parts = [f"check {check_id} alone"] if check_id else []
    parts += [f"the first {limit} items of each corpus"] if limit else []
    if not parts:
        return []
    return [f"judged {' and '.join(parts)}: this is not the release's verdict"]
