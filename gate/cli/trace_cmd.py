"""`gate trace`: from postmortem to action item to check to result, with the gaps."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gate.cli.options import config_option, sigterm_interrupts, warn
from gate.status import ExitCode

if TYPE_CHECKING:  # gate.checks pulls in jsonschema, too slow for `gate --version`
    from gate.checks import CheckSpec


@click.command("trace")
@config_option
@click.option(
    "--report",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A JSON report whose results fill the last column.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "markdown", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when any gate-enforced item lacks coverage or a known release gets through; "
    "proves the known releases unless --proof is given.",
)
@click.option(
    "--base",
    metavar="REF",
    help="Also call out checks deleted or loosened since this git revision.",
)
@click.option(
    "--proof",
    "proof_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A proof written by `gate prove --report-json`: marks each item proven or not.",
)
@click.option(
    "--prove",
    "run_proof",
    is_flag=True,
    help="Prove the known releases now (launches the service at each), as `gate prove` does.",
)
def trace_command(
    config_path: Path,
    report: Path | None,
    output_format: str,
    strict: bool,
    base: str | None,
    proof_path: Path | None,
    run_proof: bool,
) -> int:
    """Show every action item with its checks and last result; list the gaps.

    With a proof (--proof, --prove, or --strict in a project with known
    releases) each item is also marked proven, unproven, broken or unjudged.
    """
    import orjson

    from gate.errors import InputError
    from gate.project import load_project
    from gate.trace import (
        build_trace,
        gap_lines,
        trace_headers,
        trace_rows,
        trace_to_json,
        trace_to_markdown,
    )

    if proof_path is not None and run_proof:
        raise click.UsageError("give --proof or --prove, not both")
    project = load_project(config_path, read_corpora=False, strict_links=False)
    warn(project.warnings)
    data = None
    if report is not None:
        try:
            data = orjson.loads(report.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise InputError(report, f"is not a JSON report: {exc}") from None
        if not isinstance(data, dict) or data.get("schema") != "gate-report/1":
            raise InputError(report, "is not a gate-report/1 JSON report")
    weakened = []
    if base is not None:
        from gate.weakening import checks_at, compare

        head = {check.id: _as_data(check) for check in project.checks}
        before = checks_at(project.config.root, project.config.checks_dir, base)
        weakened = compare(before, head, set(project.action_items))
    proof = None
    if proof_path is not None:
        from gate.proof.report import read_proof

        proof = read_proof(proof_path, project)
    elif run_proof or (strict and project.known_releases):
        from gate.proof.report import proof_to_json
        from gate.proof.runs import prove_configured

        with sigterm_interrupts():
            proof = proof_to_json(prove_configured(project), project)
    trace = build_trace(project, data, weakened=weakened, proof=proof)
    if output_format == "json":
        click.echo(orjson.dumps(trace_to_json(trace), option=orjson.OPT_INDENT_2).decode())
    elif output_format == "markdown":
        click.echo(trace_to_markdown(trace), nl=False)
    elif sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title="gate trace", title_justify="left")
        for header in trace_headers(trace):
            table.add_column(header, overflow="fold")
        for row in trace_rows(trace):
            table.add_row(*row)
        Console().print(table)
    else:
        for row in trace_rows(trace):
            click.echo("  ".join(row))
    if output_format != "json":
        for line in gap_lines(trace) if output_format == "table" else []:
            click.echo(line)
        if output_format == "table":
            click.echo(f"{trace.gaps} gaps" if trace.gaps else "no gaps")
    if strict and trace.gaps:
        return ExitCode.BLOCKED
    # Fail closed: a proof that could not judge an expected check proves nothing.
    return ExitCode.UNJUDGED if strict and trace.unjudged else ExitCode.OK


def _as_data(check: CheckSpec) -> dict[str, object]:
    return {
        "action_item": check.action_item,
        "blocking": check.blocking,
        "suites": list(check.suites),
        "corpora": list(check.corpora),
        "max_error_rate": check.max_error_rate,
        "select": check.select.to_json() if check.select else None,
        "params": dict(check.params),
    }
