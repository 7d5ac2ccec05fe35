"""The HTML report in headless Chromium: the incident's report loads clean, filters, and draws."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

from PIL import Image
from playwright.sync_api import expect

from tests.conftest import GLOSS_CHECK, ProjectFactory
from tests.reports.html.browser import Browser, Page

HOSTILE = '</script><script>window.pwned = 1</script><img src="https://example.invalid/x.png">'


def _filter(opened: Page, check: str, verdict: str) -> int:
    page = opened.page
    page.select_option("#check-filter", check)
    page.select_option("#status-filter", verdict)
    return int(page.locator("#items tbody tr").count())


def _judged(report: dict[str, Any]) -> int:
    return sum(check["tally"]["total"] for check in report["checks"] if "tally" in check)


def test_the_incident_report_loads_offline_with_no_console_error(
    incident_runs: Any, chromium: Browser
) -> None:
    opened = chromium.open(incident_runs.html)
    assert opened.errors == []
    assert opened.requests == [incident_runs.html.resolve().as_uri()]
    page = opened.page
    assert page.inner_text("header h1") == "BLOCKED: at least one blocking check failed"
    report = json.loads(incident_runs.report.read_text())
    # One row per item a check judged: 338 x 2 regression, 55 x 2 long-tail, 15 smoke, 12 eval.
    assert page.inner_text("#row-count") == f"{_judged(report)} rows" == "813 rows"
    assert page.locator("#items tbody tr").count() == 100  # a page at a time
    assert page.locator("canvas").count() == len(json.loads(_data(page))["charts"])


def _data(page: Any) -> str:
    return str(page.locator("#gate-data").text_content())


def test_filtered_to_failures_of_the_gloss_check_the_table_has_the_96_empty_glosses(
    incident_runs: Any, chromium: Browser
) -> None:
    opened = chromium.open(incident_runs.html)
    assert _filter(opened, "spanish-gloss-nonempty", "fail") == 96
    page = opened.page
    assert page.inner_text("#row-count") == "96 rows"
    first = page.locator("#items tbody tr").first.locator("td").all_inner_texts()
    assert first[:2] == ["spanish-gloss-nonempty", "rg-0012 (regression:12)"]
    assert (first[4], first[5]) == ("fail", "'spanish' is blank")
    assert json.loads(first[3])["spanish"] == ""
    assert _filter(opened, "spanish-gloss-nonempty", "pass") == 100
    assert page.inner_text("#row-count") == "242 rows"
    page.fill("#search", "rg-0338")  # a failing item: none among the passes
    expect(page.locator("#row-count")).to_have_text("0 rows")
    page.select_option("#status-filter", "")
    expect(page.locator("#row-count")).to_have_text("1 row")
    assert opened.errors == []


def test_a_screenshot_of_the_report_is_a_picture_not_a_blank_page(
    incident_runs: Any, chromium: Browser
) -> None:
    opened = chromium.open(incident_runs.html)
    png = opened.page.screenshot(full_page=False)
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (1280, 900))
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 100  # text, the red banner, table lines: far more than a blank page
    blank = Image.new("RGB", (1280, 900), "white").getcolors()
    assert blank is not None and len(blank) == 1  # what the measure says of a blank page


def test_an_answer_that_is_markup_shows_as_text_and_runs_nothing(
    project: ProjectFactory, chromium: Browser
) -> None:
    project.corpus("regression", 3)
    project.write("checks/spanish-gloss-nonempty.yaml", GLOSS_CHECK)
    project.recorded(
        {
            "rg-0000": {"english": HOSTILE, "spanish": ""},
            "rg-0001": {"english": "ok", "spanish": HOSTILE},
            "rg-0002": {"english": "ok", "spanish": "bien"},
        }
    )
    # In a process of its own: Playwright's event loop holds this thread.
    done = subprocess.run(
        [sys.executable, "-m", "gate", "run", "--report-html", "r.html"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    html = (project.root / "r.html").read_text()
    assert "<script>window.pwned" not in html
    opened = chromium.open(project.root / "r.html")
    page = opened.page
    assert page.evaluate("window.pwned") is None
    assert page.locator("img").count() == 0
    assert opened.requests == [(project.root / "r.html").resolve().as_uri()]
    assert opened.errors == []
    answers = page.locator("#items tbody tr td:nth-child(4)").all_inner_texts()
    assert json.loads(answers[0])["english"] == HOSTILE
