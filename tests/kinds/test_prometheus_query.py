"""prometheus_query: a PromQL query held to a limit, and no data never a pass.

The unit tests answer each query from a table through httpx's MockTransport,
one response shape each; the end-to-end tests ask Debian's real `prometheus`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.config import load_config
from gate.context import RunContext
from gate.kinds.base import Measurement
from gate.kinds.prometheus_query import PrometheusQuery
from gate.manifest import Manifest
from gate.prometheus import Prometheus
from gate.status import ExitCode, Status
from gate.targets.launch import free_port
from tests.conftest import REPO, ProjectFactory
from tests.prometheus_server import PrometheusServer, Tutor, wait_for

NOW = 1786000000.0
AI_3 = "INC-2026-08-14-tutor-spanish-gloss-missing#AI-3"
RATIO = "sum(rate(empty_total[5m])) / sum(rate(answers_total[5m]))"


def _vector(*values: tuple[Mapping[str, str], str]) -> dict[str, Any]:
    result = [{"metric": dict(labels), "value": [NOW, value]} for labels, value in values]
    return {"status": "success", "data": {"resultType": "vector", "result": result}}


FRESH = _vector(({}, str(NOW - 1)))


class Scripted:
    """A Prometheus whose answers come from a table, query text -> body; it keeps the queries."""

    def __init__(self, answers: Mapping[str, Any]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = httpx.QueryParams(request.content.decode())["query"]
        self.asked.append(query)
        if query.startswith("max(timestamp("):
            return httpx.Response(200, json=self.answers.get(query, FRESH))
        return httpx.Response(200, json=self.answers[query])


def _context(prometheus: Prometheus | None, version: str = "2.4.0") -> RunContext:
    config = load_config(REPO / "gate.yaml")
    data = {"version": version, "service": "grammar-tutor"}
    return RunContext(
        root=REPO,
        config=config,
        manifest=Manifest(Path("releases/x.yaml"), version, data),
        releases=(),
        corpora={},
        prometheus=prometheus,
    )


def _evaluate(answers: Mapping[str, Any], **params: Any) -> tuple[Measurement, list[str]]:
    scripted = Scripted(answers)
    with Prometheus("http://p.test", transport=httpx.MockTransport(scripted)) as prometheus:
        return PrometheusQuery(params).evaluate(_context(prometheus)), scripted.asked


def test_a_value_at_the_limit_passes_and_says_so() -> None:
    found, asked = _evaluate({RATIO: _vector(({}, "0.01"))}, query=RATIO, max=0.01)
    assert (found.status, found.measured, found.limit) == (Status.PASS, 0.01, "<= 0.01")
    assert found.message == f"{RATIO} = 0.01, within <= 0.01"
    assert found.details == {"query": RATIO, "series": [{"labels": "", "value": 0.01}]}
    assert asked == [RATIO, "max(timestamp(empty_total))", "max(timestamp(answers_total))"]


def test_a_value_just_above_the_limit_fails() -> None:
    found, _ = _evaluate({RATIO: _vector(({}, "0.0101"))}, query=RATIO, max=0.01)
    assert (found.status, found.measured) == (Status.FAIL, 0.0101)
    assert found.message == f"{RATIO} = 0.0101, above 0.01"


def test_each_series_is_held_to_the_limit_and_named_by_the_labels_asked_for() -> None:
    query = "sum by (instance, job) (rate(empty_total[5m]))"
    answer = _vector(
        ({"instance": "a", "job": "tutor"}, "0.002"),
        ({"instance": "b", "job": "tutor"}, "0.3"),
        ({"instance": "c", "job": "tutor"}, "0.5"),
    )
    found, _ = _evaluate({query: answer}, query=query, max=0.01, labels=["instance"])
    assert (found.status, found.measured) == (Status.FAIL, 0.3)
    assert found.message == (
        f'{query} = 0.3 for {{instance="b"}}, above 0.01; 0.5 for {{instance="c"}}, above 0.01'
    )
    passed, _ = _evaluate({query: answer}, query=query, max=1)
    assert passed.message == f"{query} = 0.5 at most, over 3 series, within <= 1"


def test_the_series_nearest_a_minimum_is_the_one_shown() -> None:
    query = "sum by (instance) (rate(answers_total[5m]))"
    answer = _vector(({"instance": "a"}, "5"), ({"instance": "b"}, "2"))
    found, _ = _evaluate({query: answer}, query=query, min=1)
    assert (found.status, found.measured, found.message) == (
        Status.PASS,
        2.0,
        f"{query} = 2 at least, over 2 series, within >= 1",
    )


def test_release_without_a_manifest_is_an_error_not_every_release() -> None:
    query = 'sum(rate(x{release="{{ release }}"}[5m]))'
    context = RunContext(**{**_context(None).__dict__, "manifest": None})
    with Prometheus("http://p.test") as prometheus:
        context = RunContext(**{**context.__dict__, "prometheus": prometheus})
        found = PrometheusQuery({"query": query, "max": 1}).evaluate(context)
    assert (found.status, found.message) == (
        Status.ERROR,
        "{{ release }} needs the release manifest: pass --manifest",
    )


def test_a_minimum_fails_below_it() -> None:
    query = "sum(rate(answers_total[5m]))"
    found, _ = _evaluate({query: _vector(({}, "0.5"))}, query=query, min=1, max=100)
    assert (found.status, found.limit, found.message) == (
        Status.FAIL,
        "<= 100 and >= 1",
        f"{query} = 0.5, below 1",
    )


def test_a_scalar_is_held_to_the_limit_too() -> None:
    query = "scalar(sum(up))"
    scalar = {"status": "success", "data": {"resultType": "scalar", "result": [NOW, "2"]}}
    found, asked = _evaluate({query: scalar}, query=query, min=3)
    assert (found.status, found.message) == (Status.FAIL, f"{query} = 2, below 3")
    assert asked == [query, "max(timestamp(up))"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({RATIO: _vector()}, f"{RATIO}: no series matched"),
        (
            {RATIO: _vector(({}, "NaN")), "sum(rate(answers_total[5m]))": _vector(({}, "0"))},
            f"{RATIO}: NaN: the denominator was 0",
        ),
        (
            {RATIO: _vector(({}, "+Inf")), "sum(rate(answers_total[5m]))": _vector(({}, "0"))},
            f"{RATIO}: +Inf: the denominator was 0",
        ),
        (
            {RATIO: _vector(({}, "NaN")), "sum(rate(answers_total[5m]))": _vector(({}, "4"))},
            f"{RATIO}: the value is NaN",
        ),
        (
            {RATIO: _vector(({}, "0.001")), "max(timestamp(answers_total))": _vector()},
            f"{RATIO}: a series stopped reporting: answers_total: it has no recent sample "
            "(stale_after 2m)",
        ),
        (
            {
                RATIO: _vector(({}, "0.001")),
                "max(timestamp(empty_total))": _vector(({}, str(NOW - 121))),
            },
            f"{RATIO}: a series stopped reporting: empty_total: its newest sample is 121 s old "
            "(stale_after 2m)",
        ),
    ],
)
def test_no_data_is_an_error_that_says_which(answers: Mapping[str, Any], message: str) -> None:
    found, _ = _evaluate(answers, query=RATIO, max=0.01)
    assert (found.status, found.measured, found.limit, found.message) == (
        Status.ERROR,
        None,
        "<= 0.01",
        message,
    )


def test_a_sample_as_old_as_stale_after_is_still_fresh() -> None:
    answers = {
        RATIO: _vector(({}, "0")),
        "max(timestamp(empty_total))": _vector(({}, str(NOW - 30))),
    }
    found, _ = _evaluate(answers, query=RATIO, max=0.01, stale_after="30s")
    assert found.status is Status.PASS
    found, _ = _evaluate(answers, query=RATIO, max=0.01, stale_after="29s")
    assert found.message.endswith("its newest sample is 30 s old (stale_after 29s)")


def test_a_query_error_carries_prometheus_own_words() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        body = {
            "status": "error",
            "errorType": "execution",
            "error": "query processing would load too many samples",
        }
        return httpx.Response(422, json=body)

    with Prometheus("http://p.test", transport=httpx.MockTransport(handle)) as prometheus:
        found = PrometheusQuery({"query": RATIO, "max": 0.01}).evaluate(_context(prometheus))
    assert (found.status, found.message) == (
        Status.ERROR,
        f"{RATIO}: Prometheus answered HTTP 422 (execution): query processing would load too "
        "many samples",
    )


def test_without_a_prometheus_the_check_is_an_error() -> None:
    found = PrometheusQuery({"query": RATIO, "max": 0.01}).evaluate(_context(None))
    assert (found.status, found.message) == (
        Status.ERROR,
        "no Prometheus to ask: set prometheus.url in gate.yaml or --prometheus-url",
    )


TUTOR_QUERY = (
    'sum(rate(tutor_response_empty_field_total{field="spanish",release="2.4.0",'
    'service="grammar-tutor"}[15m])) / sum(rate(tutor_responses_total{release="2.4.0",'
    'service="grammar-tutor"}[15m]))'
)


def test_the_alert_gives_the_query_and_the_limit_the_window_and_matchers_scope_it() -> None:
    params = {
        "alert": {"file": "examples/tutor/alerts.yml", "name": "TutorSpanishGlossEmpty"},
        "window": "15m",
        "match": {"service": "{{ service }}", "release": "{{ release }}"},
    }
    asked: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(httpx.QueryParams(request.content.decode())["query"])
        fresh = asked[-1].startswith("max(timestamp(")
        return httpx.Response(200, json=FRESH if fresh else _vector(({}, "0.3125")))

    with Prometheus("http://p.test", transport=httpx.MockTransport(handle)) as prometheus:
        found = PrometheusQuery(params).evaluate(_context(prometheus))
    assert (found.status, found.measured, found.limit) == (Status.FAIL, 0.3125, "<= 0.01")
    assert found.message == f"{TUTOR_QUERY} = 0.3125, above 0.01"
    # Sent as promql_parser writes it: the same query, over several lines.
    assert " ".join(asked[0].split()).replace("( ", "(").replace(" )", ")") == TUTOR_QUERY


@pytest.mark.parametrize(
    ("alert", "message"),
    [
        (
            "Nope",
            "examples/tutor/alerts.yml: has no alert named Nope (alerts: TutorSpanishGlossEmpty)",
        ),
    ],
)
def test_an_alert_that_is_not_there_is_an_error(alert: str, message: str) -> None:
    params = {"alert": {"file": "examples/tutor/alerts.yml", "name": alert}}
    with pytest.raises(Exception) as raised:
        PrometheusQuery(params).evaluate(_context(Prometheus("http://p.test")))
    assert str(raised.value) == message


def test_an_alert_without_a_threshold_cannot_be_the_query(project: ProjectFactory) -> None:
    project.write(
        "rules.yml",
        "groups:\n  - name: g\n    rules:\n      - alert: Always\n        expr: sum(up)\n",
    )
    context = _context(Prometheus("http://p.test"))
    context = RunContext(**{**context.__dict__, "root": project.root})
    with pytest.raises(Exception) as raised:
        PrometheusQuery({"alert": {"file": "rules.yml", "name": "Always"}}).evaluate(context)
    assert str(raised.value) == (
        "rules.yml: alert Always cannot be a query: its expression does not end in a comparison "
        "with a number, such as `... > 0.01`"
    )


CHECK = """\
id: share
kind: prometheus_query
action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-3
suites: [release]
params:
"""


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            "  labels: [instance]\n",
            "checks/share.yaml:5: params.query is missing: give 'query' (with 'max' or 'min') "
            "or 'alert'",
        ),
        (
            "  query: sum(x)\n",
            "checks/share.yaml:6: params.query needs a limit: 'max', 'min' or both",
        ),
        (
            "  query: sum(x)\n  max: 1\n  alert: {file: a.yml, name: A}\n",
            "checks/share.yaml:8: params.alert cannot go with 'query': give one of them",
        ),
        (
            "  alert: {file: a.yml, name: A}\n  max: 0.02\n",
            "checks/share.yaml:6: params.alert takes its limit from the alert's comparison: drop "
            "max and min",
        ),
        (
            "  query: sum(rate(x[5m])\n  max: 1\n",
            "checks/share.yaml:6: params.query is not PromQL: unclosed left parenthesis",
        ),
        (
            "  query: 'x{r=\"{{ releas }}\"}'\n  max: 1\n",
            "checks/share.yaml:6: params.query has '{{ releas }}', which is not known; known: "
            "{{ release }} and {{ service }}",
        ),
        (
            "  query: sum(x)\n  max: 1\n  window: 5m1h\n",
            "checks/share.yaml:8: params.window is '5m1h', not a duration such as 15m or 1h30m",
        ),
    ],
)
def test_bad_params_are_named_with_their_line(
    project: ProjectFactory, chdir: Any, params: str, message: str
) -> None:
    project.write("checks/share.yaml", CHECK + params)
    chdir(project.root)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == f"{message}\n1 problem in the gate's input; nothing was run.\n"


# -- a real Prometheus --------------------------------------------------------------------


@pytest.fixture
def idle(tmp_path: Path) -> Iterator[tuple[Tutor, PrometheusServer]]:
    """A tutor nobody has asked anything, scraped by a real Prometheus."""
    tutor = Tutor(tmp_path)
    prometheus = PrometheusServer(tmp_path / "prometheus", [f"127.0.0.1:{tutor.port}"])
    prometheus.wait_up()
    # Two scrapes of zeros: a rate exists, and it is 0.
    wait_for(lambda: (prometheus.value("count_over_time(tutor_responses_total[1m])") or 0) >= 2)
    yield tutor, prometheus
    prometheus.stop()
    tutor.stop()


def _live(prometheus_url: str, **params: Any) -> Measurement:
    with Prometheus(prometheus_url) as prometheus:
        return PrometheusQuery(params).evaluate(_context(prometheus))


TUTOR_RATIO = (
    "sum(rate(tutor_response_empty_field_total[1m])) / sum(rate(tutor_responses_total[1m]))"
)


def test_a_real_prometheus_no_traffic_nan_and_an_unexported_metric_are_errors(
    idle: tuple[Tutor, PrometheusServer],
) -> None:
    tutor, prometheus = idle
    nan = _live(prometheus.url, query=TUTOR_RATIO, max=0.01)
    assert (nan.status, nan.message) == (
        Status.ERROR,
        f"{TUTOR_RATIO}: NaN: the denominator was 0",
    )
    nothing = _live(prometheus.url, query="sum(rate(tutor_nothing_total[1m]))", max=0.01)
    assert (nothing.status, nothing.message) == (
        Status.ERROR,
        "sum(rate(tutor_nothing_total[1m])): no series matched",
    )
    # Prometheus's own parser speaks when ours has let something through.
    wrong = _live(prometheus.url, query='label_replace(up, "a", "$1", "b", "(")', max=1)
    assert (wrong.status, wrong.message) == (
        Status.ERROR,
        'label_replace(up, "a", "$1", "b", "("): Prometheus answered HTTP 422 (execution): '
        "invalid regular expression in label_replace(): (",
    )
    # Traffic makes the same ratio a number.
    tutor.ask(20)
    prometheus.wait_rate()
    judged = _live(prometheus.url, query=TUTOR_RATIO, max=0.01)
    assert (judged.status, judged.measured) == (Status.PASS, 0)
    # A tutor that stops answering scrapes is marked stale at once: no pass on old samples.
    tutor.stop()
    wait_for(lambda: prometheus.value('up{job="tutor"}') == 0, 20, "the scrape to fail")
    stale = _live(prometheus.url, query=TUTOR_RATIO, max=0.01)
    assert (stale.status, stale.message) == (
        Status.ERROR,
        f"{TUTOR_RATIO}: a series stopped reporting: tutor_response_empty_field_total: it has no "
        "recent sample (stale_after 2m)",
    )


def test_gate_run_asks_a_prometheus_that_is_down_and_cannot_judge(
    project: ProjectFactory, chdir: Any, tmp_path: Path
) -> None:
    project.write("checks/share.yaml", CHECK + f"  query: '{TUTOR_RATIO}'\n  max: 0.01\n")
    url = f"http://127.0.0.1:{free_port()}"
    chdir(project.root)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["run", "--prometheus-url", url, "--report-json", str(report)])
    assert result.exit_code == ExitCode.UNJUDGED, result.output
    (check,) = json.loads(report.read_text())["checks"]
    assert check["status"] == "error"
    assert check["message"].startswith(f"{TUTOR_RATIO}: cannot reach Prometheus at {url}: ")


def test_gate_list_shows_the_kind_and_the_tutor_check_in_the_smoke_suite(chdir: Any) -> None:
    chdir(REPO)
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == ExitCode.OK
    lines = result.output.splitlines()
    assert (
        "  prometheus_query         static    A PromQL instant query against the run's "
        "Prometheus, every series held to a limit."
    ) in lines
    assert (
        f"  empty-gloss-share                prometheus_query       smoke          blocking  {AI_3}"
    ) in lines
