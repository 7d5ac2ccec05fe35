"""The HTML report as a file: escaped, self-contained, and its charts drawn from real numbers."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from gate.checks import CheckSpec, Selector
from gate.corpus import CorpusItem
from gate.reports.html import render_html
from gate.reports.html.charts import length_chart, limit_bound, measured_chart
from gate.reports.html.items import MAX_TEXT, ItemCollector
from gate.tally import Sample
from gate.targets.base import Answer, AnsweredBlock, Timing

HOSTILE = '</script><script>alert(1)</script><img src=x onerror="alert(2)">&amp;'
# Attributes through which a page loads something.
LOADING = {"src", "href", "srcset", "action", "data", "poster", "background", "formaction"}


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each script."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _parse(html: str) -> _Elements:
    parsed = _Elements()
    parsed.feed(html)
    return parsed


def _check(ident: str = "gloss", select: Selector | None = None) -> CheckSpec:
    return CheckSpec(
        id=ident,
        kind="field_nonempty",
        action_item="INC-2026-08-14-tutor-spanish-gloss-missing#AI-4",
        description="",
        suites=("release",),
        blocking=True,
        corpora=("regression",),
        select=select,
        max_error_rate=0.0,
        params={"field": "spanish"},
        path=Path("checks/gloss.yaml"),
        line=1,
        action_item_line=3,
    )


def _report(**more: Any) -> dict[str, Any]:
    return {
        "schema": "gate-report/1",
        "verdict": "fail",
        "suite": "release",
        "manifest": {"path": "releases/v2.4.0.yaml", "version": "2.4.0"},
        "started_at": "2026-08-14T09:00:00Z",
        "duration_s": 1.5,
        "counts": {"pass": 0, "fail": 1},
        "notes": [f"a note {HOSTILE}"],
        "checks": [
            {
                "id": "gloss",
                "kind": "field_nonempty",
                "status": "fail",
                "blocking": True,
                "message": f"1/2 blank {HOSTILE}",
                "measured": 0.5,
                "limit": "<= 2.00%",
                "action_item": {"ref": "INC-1#AI-4", "owner": "Borja", "due": "2026-08-22"},
                "tally": {"total": 2, "passed": 1, "failed": 1, "errored": 0, "judged": 2},
            }
        ],
        **more,
    }


def _collected() -> ItemCollector:
    items = [
        CorpusItem(f"rg-{n}", f"prompt {n} {HOSTILE}", None, (), None, "regression", n)
        for n in (1, 2)
    ]
    collector = ItemCollector(lambda text: text.replace("sk-secret", "***"))
    block = AnsweredBlock(
        items,
        [{"english": "x", "spanish": HOSTILE}, {"english": "sk-secret", "spanish": ""}],
        {},
        [Timing(0.1, 0.25), None],
    )
    collector.answered(block, [_check()])
    collector.problem(_check(), Sample("regression", 2, "rg-2", "failed", f"blank {HOSTILE}"))
    return collector


def test_the_page_loads_nothing_and_allows_only_its_own_two_scripts() -> None:
    html = render_html(_report(), _collected())
    parsed = _parse(html)
    loading = [
        (tag, key, value)
        for tag, attrs in parsed.tags
        for key, value in attrs.items()
        if key in LOADING
    ]
    assert loading == []
    assert [
        tag for tag, _ in parsed.tags if tag in ("link", "iframe", "img", "object", "embed")
    ] == []
    assert "url(" not in html.split("<style>", 1)[1].split("</style>", 1)[0]
    (policy,) = [
        attrs["content"] for tag, attrs in parsed.tags if tag == "meta" and "http-equiv" in attrs
    ]
    assert policy is not None and policy.startswith("default-src 'none'; script-src 'sha256-")
    assert policy.endswith(
        "'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    # The data block, Chart.js and the page script: an answer opened none of its own.
    assert [attrs.get("type") for tag, attrs in parsed.tags if tag == "script"] == [
        "application/json",
        None,
        None,
    ]


def test_every_text_from_the_run_is_escaped_and_read_back_whole() -> None:
    html = render_html(_report(), _collected())
    assert "<script>alert(1)" not in html and "<img" not in html
    parsed = _parse(html)
    data = json.loads(parsed.scripts[0])
    rows = data["items"]["rows"]
    assert rows[0] == [
        "rg-1",
        0,
        1,
        f"prompt 1 {HOSTILE}",
        json.dumps({"english": "x", "spanish": HOSTILE}, separators=(",", ":"), ensure_ascii=False),
        250.0,
    ]
    assert rows[1][4] == '{"english":"***","spanish":""}'  # the target's secret masked
    assert data["items"]["checks"]["gloss"] == {"reads": [[0, 2]], "problems": [[1, "fail", 0, ""]]}
    assert data["items"]["reasons"] == [f"blank {HOSTILE}"]
    assert f"1/2 blank {escape(HOSTILE)}" in html


def test_a_long_answer_is_cut_and_says_so() -> None:
    collector = ItemCollector(str)
    item = CorpusItem("rg-1", "p" * (MAX_TEXT + 5), None, (), None, "regression", 1)
    collector.answered(AnsweredBlock([item], [{"t": "a" * 3000}], {}), [_check()])
    prompt, answer = collector.rows[0][3:5]
    assert prompt == "p" * MAX_TEXT + f"… (cut: {MAX_TEXT + 5:,} characters in all)"
    assert answer.endswith("… (cut: 3,008 characters in all)")


def test_only_the_items_a_check_selects_are_its_rows() -> None:
    collector = ItemCollector(str)
    items = [
        CorpusItem(f"rg-{n}", "p", None, ("long",) if n % 2 else (), None, "regression", n)
        for n in range(1, 6)
    ]
    selective = _check("long", Selector(tags=frozenset({"long"})))
    collector.answered(AnsweredBlock(items, [{"spanish": "x"}] * 5, {}), [_check(), selective])
    reads = {ident: kept.reads for ident, kept in collector.checks.items()}
    assert reads == {"gloss": [0, 1, 2, 3, 4], "long": [0, 2, 4]}
    assert collector.to_json()["checks"]["long"]["reads"] == [[0, 1], [2, 1], [4, 1]]


@pytest.mark.parametrize(
    ("limit", "bound"),
    [
        ("<= 2.00%", ("<=", 0.02, True)),
        (">= 0.92", (">=", 0.92, False)),
        (">= 24, drop <= 4x", (">=", 24.0, False)),
        (">= 50 items, >= 50 tagged long-tail", (">=", 50.0, False)),
        ("counter tutor_response_empty_field_total", None),
        (None, None),
        ("", None),
    ],
)
def test_a_limit_is_charted_by_its_first_bound(limit: str | None, bound: Any) -> None:
    assert limit_bound(limit) == bound


def test_a_check_without_a_number_gets_no_chart_and_a_rate_its_percent() -> None:
    assert measured_chart({"measured": "counter", "limit": "counter x"}) is None
    assert measured_chart({"measured": None, "limit": "<= 2.00%"}) is None
    chart = measured_chart(
        {"id": "g", "status": "fail", "measured": 0.284, "limit": "<= 2.00%"}, {"measured": 0.0}
    )
    assert chart is not None
    assert chart["data"]["labels"] == ["this run", "base", "limit (<=)"]
    assert chart["data"]["datasets"][0]["data"] == [28.4, 0.0, 2.0]


def test_the_length_of_a_text_field_is_binned_with_blank_and_missing_apart() -> None:
    chart = length_chart({0: 96, 5: 10, 24: 200, 25: 32}, 2, "spanish")
    assert chart is not None
    labels, counts = chart["data"]["labels"], chart["data"]["datasets"][0]["data"]
    assert labels[:4] == ["missing", "blank", "1-3", "4-6"]
    assert (counts[0], counts[1], sum(counts)) == (2, 96, 340)
    assert labels[-1] == "25" and counts[-1] == 32
    assert length_chart({}, 0, "spanish") is None


def test_an_unanswered_item_is_a_row_with_no_answer(tmp_path: Path) -> None:
    collector = ItemCollector(str)
    item = CorpusItem("rg-1", "p", None, (), None, "regression", 1)
    missed = {0: Answer(None, "HTTP 503", "http_5xx", Timing(0.5, 0.5))}
    collector.answered(AnsweredBlock([item], [None], missed, [Timing(0.5, 0.5)]), [_check()])
    collector.problem(_check(), Sample("regression", 1, "rg-1", "errored", "HTTP 503", "http_5xx"))
    data = collector.to_json()
    assert data["rows"] == [["rg-1", 0, 1, "p", "", 500.0]]
    assert data["checks"]["gloss"]["problems"] == [[0, "error", 0, "http_5xx"]]
    assert collector.lengths("gloss") == ({}, 1)
