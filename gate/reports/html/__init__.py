"""The HTML report: one self-contained file that works offline.

It shows a verdict banner, the checks table with each check's action item,
charts of each measured value against its limit (and the base report's, with
`--baseline`), the length of a checked text field across the answers, a bake's
rounds over time, and every item with its prompt, answer, verdict and reason.

The page is made by a Jinja2 template with autoescaping on, so no text from a
run becomes markup; the run's data travels as one JSON block escaped for HTML
(`tojson`). Chart.js and the page's own script are carried inline, and the
page's Content-Security-Policy allows those two scripts by hash and nothing
from the network, so the file loads nothing from anywhere.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gate.reports.atomic import write_atomic
from gate.reports.html.page import page_context

if TYPE_CHECKING:
    import jinja2

    from gate.reports.html.items import ItemCollector

__all__ = ["render_html", "write_html_report"]


def _asset(name: str) -> str:
    return (resources.files(__name__) / name).read_text(encoding="utf-8")


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2
    import orjson

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader(__name__, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    # tojson escapes <, >, & and ' for HTML around whatever this returns; orjson
    # makes the data of 100,000 items in a fraction of the standard library's time.
    environment.policies["json.dumps_function"] = lambda value, **_: orjson.dumps(value).decode()
    return environment


def render_html(report: Mapping[str, Any], items: ItemCollector | None = None) -> str:
    """The page for a JSON report (`gate run`'s, with its `comparison`, or `gate smoke`'s).

    Args:
        report: the report as plain data (gate-report/1).
        items: every item of the run, when it was watched; a bake's report lists
            the failed and errored items of its rounds instead.
    """
    from markupsafe import Markup

    chart_js, report_js = _asset("vendor/chart.umd.min.js"), _asset("static/report.js")
    csp = (
        f"default-src 'none'; script-src {_hash(chart_js)} {_hash(report_js)}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    context = page_context(report, items)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            **context,
            csp=csp,
            css=Markup(_asset("static/report.css")),
            chart_js=Markup(chart_js),
            report_js=Markup(report_js),
            chart_js_version=_asset("vendor/chart.js-VERSION").strip(),
        )
    )


def write_html_report(
    report: Mapping[str, Any], path: Path, *, items: ItemCollector | None = None
) -> None:
    """Write the HTML report atomically."""
    write_atomic(path, render_html(report, items).encode("utf-8"))
