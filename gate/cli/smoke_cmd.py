"""`gate smoke`: watch a fresh deploy for its bake period and give the rollback signal."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from gate.cli.options import config_option, html_option, prometheus_option, warn
from gate.smoke import SMOKE_SUITE


def _duration(*, positive: bool = False) -> Any:
    """A click callback reading seconds written as 90, 1.5, 90s, 500ms, 5m or 1m30s."""

    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
        from gate.smoke.settings import parse_duration

        if value is None:
            return None
        seconds = parse_duration(value)
        if seconds is None:
            raise click.BadParameter(f"{value!r} is not a duration: write 90, 90s, 5m or 1m30s")
        if positive and seconds <= 0:
            raise click.BadParameter("must be above 0")
        return seconds

    return convert


def _file() -> Any:
    return click.Path(path_type=Path, dir_okay=False)


@click.command("smoke")
@config_option
@click.option("--suite", default=SMOKE_SUITE, show_default=True, help="The suite each round runs.")
@click.option(
    "--manifest",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The release manifest of the deploy (default: gate.yaml's manifest).",
)
@click.option("--target-url", help="The live service's base URL (default: the configured target).")
@prometheus_option
@click.option(
    "--interval",
    metavar="DURATION",
    callback=_duration(positive=True),
    help="From one round's start to the next.",
)
@click.option(
    "--duration",
    metavar="DURATION",
    callback=_duration(positive=True),
    help="How long the bake lasts.",
)
@click.option(
    "--rounds", type=click.IntRange(min=1), help="How many rounds, instead of --duration."
)
@click.option(
    "--initial-delay",
    metavar="DURATION",
    callback=_duration(),
    help="The wait before the first round.",
)
@click.option(
    "--sample-from",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A portal log or corpus (JSONL) to sample fresh prompts from each round.",
)
@click.option(
    "--sample", "sample_count", type=click.IntRange(min=1), help="Prompts sampled a round."
)
@click.option("--seed", type=int, help="The sampling seed (default: drawn, and reported).")
@click.option("--failure-limit", type=click.IntRange(min=0), help="Failed rounds tolerated.")
@click.option(
    "--consecutive-failure-limit", type=click.IntRange(min=0), help="Failed rounds in a row."
)
@click.option(
    "--consecutive-error-limit", type=click.IntRange(min=0), help="Unjudged rounds in a row."
)
@click.option(
    "--min-judged", type=click.IntRange(min=1), help="Fewest items each check must judge."
)
@click.option("--dry-run", multiple=True, metavar="CHECK", help="Report CHECK but never decide.")
@click.option("--event-log", type=_file(), help="Append the JSONL event log here.")
@click.option("--report-json", type=_file(), help="Write the JSON report here.")
@html_option
@click.option("--metrics-file", type=_file(), help="Write Prometheus metrics here.")
@click.option("--pushgateway", metavar="URL", help="Push Prometheus metrics to this Pushgateway.")
@click.option("--on-fail", metavar="COMMAND", help="Run COMMAND once if the verdict becomes fail.")
@click.option(
    "--on-fail-timeout",
    metavar="DURATION",
    callback=_duration(positive=True),
    default="5m",
    show_default=True,
    help="Stop the on-fail command after this long.",
)
def smoke_command(config_path: Path, **values: Any) -> int:
    """Bake a live deploy: rounds of the smoke suite; exit 0 pass, 1 roll back, 3 inconclusive.

    Every round sends the fixed smoke prompts plus prompts sampled afresh and
    judges every check of the suite. The bake stops with exit 1 as soon as a
    deciding check crosses its failure_limit or consecutive_failure_limit;
    a bake that judged too little, could not reach the service, or was cut
    short by SIGINT or SIGTERM is inconclusive (exit 3), never a pass.
    """
    from gate.cli.smoke_display import display_for
    from gate.errors import InputError
    from gate.project import load_project
    from gate.prometheus import build_prometheus
    from gate.reports.console import render
    from gate.runner import build_target
    from gate.smoke.bake import Bake, Outputs
    from gate.smoke.settings import LIMIT_KEYS, Options, resolve

    if values["duration"] is not None and values["rounds"] is not None:
        raise click.UsageError("give --duration or --rounds, not both")
    gateway = values["pushgateway"]
    if gateway is not None and not gateway.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://", param_hint="--pushgateway")
    project = load_project(config_path, manifest=values["manifest"])
    warn(project.warnings)
    target_type = project.config.target["type"]
    if target_type != "http":
        raise InputError(
            project.config.path,
            f"gate smoke watches a live service, but the target is '{target_type}'",
            line=project.config.locate("target", "type"),
            fix="use an http target, or pass --target-url with the deployed service's URL",
        )
    options = Options(
        suite=values["suite"],
        interval_s=values["interval"],
        duration_s=values["duration"],
        rounds=values["rounds"],
        initial_delay_s=values["initial_delay"],
        sample_from=values["sample_from"],
        sample_count=values["sample_count"],
        seed=values["seed"],
        min_judged=values["min_judged"],
        limits={key: values[key] for key in LIMIT_KEYS},
        dry_run=tuple(values["dry_run"]),
    )
    settings = resolve(project, options)
    target = build_target(project, url_override=values["target_url"])
    prometheus = build_prometheus(project.config, values["prometheus_url"])
    outputs = Outputs(
        report=values["report_json"],
        event_log=values["event_log"],
        metrics_file=values["metrics_file"],
        pushgateway=gateway,
        on_fail=values["on_fail"],
        on_fail_timeout_s=values["on_fail_timeout"],
    )
    display = display_for(sys.stdout)
    bake = Bake(project, settings, target, outputs, observer=display, prometheus=prometheus)
    with display, contextlib.closing(prometheus) if prometheus else contextlib.nullcontext():
        run = bake.run()
    render(run, sys.stdout)
    display.finished(bake, run)
    if values["report_html"] is not None:
        from gate.reports.html import write_html_report
        from gate.smoke.report import smoke_report

        report = smoke_report(run, bake.bake_json(), bake.records)
        write_html_report(report, values["report_html"])
    return run.exit_code
