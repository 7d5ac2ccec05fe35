"""metric_exported: the live service exports a Prometheus metric of the right type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from gate.context import RunContext
from gate.kinds.base import Measurement, StaticKind
from gate.registry import kind
from gate.schema import nearest
from gate.status import Status
from gate.words import counted

TYPES = ("counter", "gauge", "histogram", "summary", "info", "stateset", "gaugehistogram")


def _named(parsed_type: str) -> str:
    # The parser calls a metric without a TYPE line "unknown"; check files say "untyped".
    return "untyped" if parsed_type == "unknown" else parsed_type


def _labels(labels: Mapping[str, str]) -> str:
    return "{" + ",".join(f'{key}="{value}"' for key, value in sorted(labels.items())) + "}"


@kind
class MetricExported(StaticKind):
    """The service's metrics endpoint exports a metric of the given type, with a series.

    An alert can only fire on a series that exists, so a release that stops
    exporting the metric (or changes its type) leaves the alert blind. The
    endpoint is read through the run's live target and parsed with
    prometheus_client's exposition parser; with no live target the check is
    an error, and a body that does not parse is an error too.

    Params:
      metric: the name as a query writes it, such as tutor_response_empty_field_total
        (for a counter, the name with or without `_total`).
      type: the metric type the exposition must declare: counter, gauge, histogram,
        summary, info, stateset, gaugehistogram or untyped.
      labels: label values at least one series must carry, such as {field: spanish}
        (default: any series will do, but there must be one).
      path: where the service exposes its metrics (default /metrics).
    """

    name = "metric_exported"
    live_target = True
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["metric", "type"],
        "properties": {
            "metric": {
                "type": "string",
                "pattern": "^[a-zA-Z_:][a-zA-Z0-9_:]*$",
                "description": "the metric name as a query writes it (a counter with or without "
                "_total)",
            },
            "type": {
                "enum": [*TYPES, "untyped"],
                "description": "the type the exposition must declare, such as counter",
            },
            "labels": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "label values at least one series must carry, such as "
                "{field: spanish} (default: any series)",
            },
            "path": {
                "type": "string",
                "pattern": "^/",
                "default": "/metrics",
                "description": "where the service exposes its metrics",
            },
        },
        "examples": [
            {
                "metric": "tutor_response_empty_field_total",
                "type": "counter",
                "labels": {"field": "spanish"},
            }
        ],
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.metric: str = params["metric"]
        self.type: str = "unknown" if params["type"] == "untyped" else params["type"]
        self.labels: Mapping[str, str] = params.get("labels", {})
        self.path: str = params.get("path", "/metrics")

    def evaluate(self, context: RunContext) -> Measurement:
        wanted = f"{_named(self.type)} {self.metric}"
        if context.fetch is None:
            return Measurement(
                Status.ERROR,
                None,
                wanted,
                f"no live service to read {self.path} from: run this check against an http target",
            )
        # Imported here: loading the kinds (every `gate validate`) needs no parser.
        from prometheus_client.parser import text_string_to_metric_families

        text = context.fetch(self.path)
        try:
            families = {family.name: family for family in text_string_to_metric_families(text)}
        except ValueError as exc:
            return Measurement(
                Status.ERROR, None, wanted, f"{self.path} is not Prometheus text exposition: {exc}"
            )
        family = families.get(self.metric) or families.get(self.metric.removesuffix("_total"))
        if family is None:
            family = next(
                (f for f in families.values() if any(s.name == self.metric for s in f.samples)),
                None,
            )
        if family is None:
            guess = nearest(self.metric, [s.name for f in families.values() for s in f.samples])
            hint = f"; nearest: {guess}" if guess else ""
            return Measurement(
                Status.FAIL,
                "missing",
                wanted,
                f"{self.metric} is not exported at {self.path} "
                f"({counted(len(families), 'metric family', 'metric families')} seen{hint})",
            )
        found = _named(family.type)
        if family.type != self.type:
            return Measurement(
                Status.FAIL,
                found,
                wanted,
                f"{self.metric} is exported as {found}, not as {_named(self.type)}",
            )
        series = [
            sample
            for sample in family.samples
            if all(sample.labels.get(key) == value for key, value in self.labels.items())
        ]
        if not series:
            wanted_series = f"{self.metric}{_labels(self.labels)}" if self.labels else "any series"
            return Measurement(
                Status.FAIL,
                found,
                wanted,
                f"{self.metric} is declared at {self.path} but has no series matching "
                f"{wanted_series}; an alert on it would never fire",
            )
        first = series[0]
        return Measurement(
            Status.PASS,
            found,
            wanted,
            f"{first.name}{_labels(first.labels) if first.labels else ''} is exported as "
            f"{found} ({first.value:g} now)",
            details={"series": len(series), "value": first.value},
        )
