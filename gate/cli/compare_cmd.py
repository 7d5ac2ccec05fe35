"""`gate compare`: a candidate's report beside the last release's, check by check, item by item."""

from __future__ import annotations

import sys
from pathlib import Path

import click

_REPORT = click.Path(path_type=Path, dir_okay=False)


@click.command("compare")
@click.argument("base", type=_REPORT)
@click.argument("candidate", type=_REPORT)
@click.option("--markdown", type=_REPORT, help="Write the comparison as Markdown here.")
@click.option("--report-json", type=_REPORT, help="Write the comparison as JSON here.")
def compare_command(
    base: Path, candidate: Path, markdown: Path | None, report_json: Path | None
) -> int:
    """Compare CANDIDATE.json with BASE.json, two JSON reports of the same suite.

    Per check: the measured value then and now, the status change, and the
    items newly failing and newly fixed, by item id. Exits 1 when a blocking
    check got worse (pass, then error, then fail) or an item newly fails a
    blocking check, 0 otherwise, and 2 when a file is not a gate report or the
    suites differ.
    """
    import orjson

    from gate.compare import compare_reports
    from gate.reports.atomic import write_atomic
    from gate.reports.comparison import comparison_markdown, render_comparison
    from gate.shardset import load_report

    comparison = compare_reports(
        load_report(base).data, load_report(candidate).data, base_path=base, now_path=candidate
    )
    render_comparison(comparison, sys.stdout)
    if markdown is not None:
        write_atomic(markdown, comparison_markdown(comparison).encode("utf-8"))
    if report_json is not None:
        data = orjson.dumps(comparison.to_json(), option=orjson.OPT_INDENT_2) + b"\n"
        write_atomic(report_json, data)
    return comparison.exit_code
