"""`gate pr-comment`: the pull request comment from the reports of a branch and of its base."""

from __future__ import annotations

from pathlib import Path

import click

from gate.status import ExitCode

_REPORT = click.Path(path_type=Path, dir_okay=False)


@click.command("pr-comment")
@click.argument("head", type=_REPORT)
@click.option("--base", type=_REPORT, help="The base branch's JSON report of the same suite.")
@click.option("-o", "--output", type=_REPORT, required=True, help="Write the comment here.")
def pr_comment_command(head: Path, base: Path | None, output: Path) -> int:
    """Write the Markdown comment for a pull request that changes the gate's inputs.

    HEAD is the JSON report of `gate run --report-json` on the pull request;
    the comment gives its verdict and every check's measured value beside the
    one in --base. The comment starts with a marker line, so a workflow can find
    it and edit it in place. Reports that are not gate reports are exit 2.
    """
    from gate.compare import load_baseline
    from gate.reports.atomic import write_atomic
    from gate.reports.pr_comment import render_comment
    from gate.shardset import load_report

    head_data = load_report(head).data
    base_data = None
    if base is not None:
        base_data = load_baseline(base, head_data["suite"], head.name)
    write_atomic(output, render_comment(head_data, base_data).encode("utf-8"), "the comment")
    return ExitCode.OK
