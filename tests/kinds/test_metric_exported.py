"""metric_exported: the live service exports a metric of the right type, read from /metrics."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.config import load_config
from gate.context import RunContext
from gate.kinds.base import Measurement
from gate.kinds.metric_exported import MetricExported
from gate.project import load_project
from gate.runner import build_target, run_suite
from gate.status import ExitCode, Status
from tests.conftest import ProjectFactory
from tests.loopback import METRICS, FakeTutor

CHECK = """\
id: empty-field-metric
kind: metric_exported
action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-3
suites: [release, smoke]
params:
  metric: tutor_response_empty_field_total
  type: counter
  labels: {field: spanish}
"""


def _context(text: str | None) -> RunContext:
    """A context whose live service serves `text` at every path (or no live service)."""
    return RunContext(
        root=Path("."),
        config=None,  # type: ignore[arg-type]  # this kind never reads the config
        manifest=None,
        releases=(),
        corpora={},
        fetch=None if text is None else (lambda path: text),
    )


def _evaluate(text: str | None, **params: Any) -> Measurement:
    kind = MetricExported({"metric": "tutor_response_empty_field_total", **params})
    return kind.evaluate(_context(text))


def test_an_exported_counter_with_the_series_passes() -> None:
    found = _evaluate(METRICS, type="counter", labels={"field": "spanish"})
    assert found.status is Status.PASS
    assert found.message == (
        'tutor_response_empty_field_total{field="spanish"} is exported as counter (3 now)'
    )
    assert found.details == {"series": 1, "value": 3.0}


def test_the_name_without_total_finds_the_counter_too() -> None:
    kind = MetricExported({"metric": "tutor_response_empty_field", "type": "counter"})
    assert kind.evaluate(_context(METRICS)).status is Status.PASS


def test_a_missing_metric_fails_and_names_the_nearest() -> None:
    text = METRICS.replace("tutor_response_empty_field_total", "tutor_response_empty_fields_total")
    found = _evaluate(text, type="counter")
    assert found.status is Status.FAIL
    assert found.message == (
        "tutor_response_empty_field_total is not exported at /metrics "
        "(2 metric families seen; nearest: tutor_response_empty_fields_total)"
    )


def test_the_wrong_type_fails() -> None:
    found = _evaluate(METRICS, type="gauge")
    assert found.status is Status.FAIL
    assert found.message == "tutor_response_empty_field_total is exported as counter, not as gauge"


def test_a_declared_metric_without_the_series_fails() -> None:
    found = _evaluate(METRICS, type="counter", labels={"field": "catalan"})
    assert found.status is Status.FAIL
    assert found.message == (
        "tutor_response_empty_field_total is declared at /metrics but has no series matching "
        'tutor_response_empty_field_total{field="catalan"}; an alert on it would never fire'
    )


def test_an_untyped_metric() -> None:
    found = _evaluate("tutor_response_empty_field_total 4\n", type="untyped")
    assert found.status is Status.PASS
    assert found.measured == "untyped"


def test_a_body_that_does_not_parse_is_an_error() -> None:
    found = _evaluate("tutor_response_empty_field_total{field=spanish} one\n", type="counter")
    assert found.status is Status.ERROR
    assert found.message.startswith("/metrics is not Prometheus text exposition: ")


def test_without_a_live_target_it_is_an_error() -> None:
    found = _evaluate(None, type="counter")
    assert found.status is Status.ERROR
    assert found.message == (
        "no live service to read /metrics from: run this check against an http target"
    )


def test_bad_params_are_one_sentence(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=3, empty=0)
    project.write("checks/metric.yaml", CHECK.replace("type: counter", "type: countr"))
    chdir(project.root)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "checks/metric.yaml:7:3: 'params.type' is a string \"countr\", expected one of: "
        "counter, gauge, histogram, summary, info, stateset, gaugehistogram, untyped\n"
        "  fix: did you mean 'counter'?\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


@pytest.fixture
def live(project: ProjectFactory) -> Iterator[tuple[ProjectFactory, FakeTutor]]:
    with FakeTutor() as tutor:
        project.gloss_run(total=3, empty=0)
        project.write(
            "gate.yaml",
            f"target: {{type: http, url: '{tutor.url}'}}\nsuites: {{release: {{}}, smoke: {{}}}}\n",
        )
        project.write("checks/metric.yaml", CHECK.replace("[release, smoke]", "[release]"))
        yield project, tutor


def _run(project: ProjectFactory) -> Any:
    loaded = load_project(project.config)
    return {
        r.check.id: r for r in run_suite(loaded, "release", target=build_target(loaded)).results
    }


def test_gate_run_reads_the_live_service(live: tuple[ProjectFactory, FakeTutor]) -> None:
    project, _ = live
    result = _run(project)["empty-field-metric"]
    assert result.status is Status.PASS
    assert result.measured == "counter"


def test_a_metrics_endpoint_that_fails_is_an_error(live: tuple[ProjectFactory, FakeTutor]) -> None:
    project, tutor = live
    tutor.metrics_status = 503
    result = _run(project)["empty-field-metric"]
    assert result.status is Status.ERROR
    assert result.message == f"GET {tutor.url}/metrics: HTTP 503"


def test_a_recorded_target_has_nothing_to_scrape(project: ProjectFactory) -> None:
    project.gloss_run(total=3, empty=0)
    project.write("checks/metric.yaml", CHECK)
    assert load_config(project.config).target["type"] == "recorded"
    result = _run(project)["empty-field-metric"]
    assert result.status is Status.ERROR
    assert result.message == (
        f"{project.root / 'recorded.gets.jsonl'} holds no "
        "recorded GET /metrics: record the run with `gate run --record`, which keeps what "
        "checks read from the service"
    )


def test_a_launch_that_fails_is_named_not_mistaken_for_the_wrong_target(
    project: ProjectFactory,
) -> None:
    project.gloss_run(total=3, empty=0)
    project.write(
        "gate.yaml",
        "target:\n  type: http\n  launch:\n"
        '    command: ["{python}", "-c", "import sys; sys.exit(1)", "{port}"]\n'
        "suites: {release: {}, smoke: {}}\n",
    )
    project.write("checks/metric.yaml", CHECK)
    results = _run(project)
    metric, gloss = results["empty-field-metric"], results["spanish-gloss-nonempty"]
    assert metric.status is gloss.status is Status.ERROR
    assert metric.message.startswith(
        "the target could not be used: the launched target exited with status 1 before it "
        "was ready: "
    )
    assert "\n" not in metric.message  # the service's output is in the run's notes, once
    assert gloss.message == metric.message
