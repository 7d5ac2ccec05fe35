"""prometheus_query: production's own metrics, read from Prometheus, held to a limit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from gate.context import ProjectView, RunContext
from gate.errors import InputError
from gate.kinds import promql_ast as q
from gate.kinds.base import Measurement, StaticKind
from gate.kinds.prometheus_rules import alert_errors, alert_expression
from gate.kinds.promql import parse_duration
from gate.kinds.promql_data import unjudgeable
from gate.registry import kind
from gate.status import Status

_DURATION = {"type": "string", "pattern": "^([0-9]+(ms|s|m|h|d|w|y))+$"}


@kind
class PrometheusQuery(StaticKind):
    """A PromQL instant query against the run's Prometheus, every series held to a limit.

    No data is never a pass: a query that matches no series, a value that is NaN
    or infinite (a ratio whose denominator was 0), a selector whose newest sample
    is older than `stale_after`, and any query error (Prometheus's own message)
    make the check `error`. Without a Prometheus (gate.yaml's `prometheus.url` or
    --prometheus-url) the check is an error too.

    Params (give `query` with `max` and/or `min`, or `alert`):
      query: the PromQL; `{{ release }}` and `{{ service }}` stand for the manifest's
        version and service (or gate.yaml's name) inside a label value's quotes.
      alert: {file, name}: an alerting rule whose expression is the query, and whose
        comparison (`> 0.01`) is the limit, so the check and the alert cannot drift.
      max / min: a series fails above `max` or below `min` (a scalar is one series).
      window: a duration that replaces the range of every range selector, such as
        the bake's 15m where the alert looks at 5m.
      match: label values added to every selector, such as {release: "{{ release }}"}.
      labels: the labels to name each series by in messages (default: all of them).
      stale_after: a selector with no sample this recent stopped reporting (default 2m).
    """

    name = "prometheus_query"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "query": {
                "type": "string",
                "minLength": 1,
                "description": "the PromQL query; {{ release }} and {{ service }} stand for the "
                "manifest's version and service inside a label value's quotes",
            },
            "alert": {
                "type": "object",
                "additionalProperties": False,
                "required": ["file", "name"],
                "description": "the alerting rule whose expression is the query and whose "
                "comparison is the limit, so the check and the alert cannot drift",
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "repo-path",
                        "description": "the Prometheus rules file",
                    },
                    "name": {"type": "string", "minLength": 1, "description": "the alert's name"},
                },
            },
            "max": {"type": "number", "description": "a series above this fails"},
            "min": {"type": "number", "description": "a series below this fails"},
            "window": {
                **_DURATION,
                "description": "a duration that replaces the range of every range selector, "
                "such as the bake's 15m",
            },
            "match": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "label values added to every selector, such as "
                '{release: "{{ release }}"}',
            },
            "labels": {
                "type": "array",
                "items": {"type": "string"},
                "uniqueItems": True,
                "description": "the labels that name each series in messages (default: all)",
            },
            "stale_after": {
                **_DURATION,
                "default": "2m",
                "description": "a selector with no sample this recent stopped reporting",
            },
        },
        "examples": [
            {
                "alert": {"file": "examples/tutor/alerts.yml", "name": "TutorSpanishGlossEmpty"},
                "window": "15m",
                "match": {"service": "{{ service }}"},
            }
        ],
    }

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        if "query" in params and "alert" in params:
            return [(("alert",), "cannot go with 'query': give one of them")]
        if "query" not in params and "alert" not in params:
            return [(("query",), "is missing: give 'query' (with 'max' or 'min') or 'alert'")]
        if "alert" in params and ("max" in params or "min" in params):
            return [(("alert",), "takes its limit from the alert's comparison: drop max and min")]
        if "query" in params and "max" not in params and "min" not in params:
            return [(("query",), "needs a limit: 'max', 'min' or both")]
        for key in ("window", "stale_after"):
            if key in params and parse_duration(params[key]) is None:
                return [((key,), f"is {params[key]!r}, not a duration such as 15m or 1h30m")]
        texts: dict[tuple[str | int, ...], str] = {("query",): params.get("query", "")}
        texts.update({("match", k): v for k, v in params.get("match", {}).items()})
        for path, text in texts.items():
            for name in q.unknown_placeholders(text):
                known = "{{ release }} and {{ service }}"
                return [(path, f"has '{{{{ {name} }}}}', which is not known; known: {known}")]
        try:
            q.parse(q.fill(params.get("query", "0"), {"release": "0", "service": "s"}))
        except ValueError as exc:
            return [(("query",), f"is not PromQL: {exc}")]
        return []

    @classmethod
    def validate(cls, params: Mapping[str, Any], project: ProjectView) -> list[InputError]:
        """The alert it takes its query from is in its rules file."""
        return alert_errors(params, project)

    def evaluate(self, context: RunContext) -> Measurement:
        # Imported here: the client brings in httpx and jsonschema, and loading the
        # kinds (every `gate validate`, a pre-commit hook) needs neither.
        from gate.prometheus import PrometheusError

        prometheus = context.prometheus
        if prometheus is None:
            message = "no Prometheus to ask: set prometheus.url in gate.yaml or --prometheus-url"
            return Measurement(Status.ERROR, None, None, message)
        texts = [self.params.get("query", ""), *self.params.get("match", {}).values()]
        if context.manifest is None and any("release" in q.placeholders(t) for t in texts):
            # An empty release would match the series without the label: every release's.
            message = "{{ release }} needs the release manifest: pass --manifest"
            return Measurement(Status.ERROR, None, None, message)
        query, limits = self._query(context)
        shown, bar = q.one_line(q.parse(query)), " and ".join(x.bar() for x in limits)
        try:
            result = prometheus.query(query)
            unjudged = unjudgeable(prometheus, query, result, self.params.get("stale_after", "2m"))
        except PrometheusError as exc:
            return Measurement(Status.ERROR, None, bar, f"{shown}: {exc}")
        if unjudged is not None:
            return Measurement(Status.ERROR, None, bar, f"{shown}: {unjudged}")
        series = [(self._name(s.labels), s.value) for s in result.series]
        details = {"query": query, "series": [{"labels": n, "value": v} for n, v in series[:20]]}
        crossed = [(n, v, x) for n, v in series for x in limits if x.crossed(v)]
        if crossed:
            listed = "; ".join(f"{q.show(v)}{n}, {x.crossing()}" for n, v, x in crossed[:5])
            more = f" (and {len(crossed) - 5} more)" if len(crossed) > 5 else ""
            measured = crossed[0][1]
            return Measurement(Status.FAIL, measured, bar, f"{shown} = {listed}{more}", details)
        # The series nearest its limit: the lowest when only a minimum holds it.
        lowest = all(x.operator in ("<", "<=") for x in limits)
        name, value = (min if lowest else max)(series, key=lambda pair: pair[1])
        extreme = "at least" if lowest else "at most"
        where = f" {extreme}, over {len(series)} series" if len(series) > 1 else name
        message = f"{shown} = {q.show(value)}{where}, within {bar}"
        return Measurement(Status.PASS, value, bar, message, details)

    def _query(self, context: RunContext) -> tuple[str, list[q.Limit]]:
        """The query as sent (placeholders, window and matchers applied) and its limits."""
        if "query" in self.params:
            source, limits = self.params["query"], []
            if "max" in self.params:
                limits.append(q.Limit(">", self.params["max"]))
            if "min" in self.params:
                limits.append(q.Limit("<", self.params["min"]))
        else:
            alert = self.params["alert"]
            expr = alert_expression(context.root, alert["file"], alert["name"])
            try:
                source, limit = q.split_alert(expr)
            except ValueError as exc:
                message = f"alert {alert['name']} cannot be a query: {exc}"
                raise InputError(alert["file"], message) from None
            limits = [limit]
        values = _placeholders(context)
        match = {key: q.fill(value, values) for key, value in self.params.get("match", {}).items()}
        window = self.params.get("window")
        window_ms = parse_duration(window) if window else None  # checked in check_params
        window_s = window_ms / 1000 if window_ms is not None else None
        return q.rewrite(q.fill(source, values), window_s, match), limits

    def _name(self, labels: Mapping[str, str]) -> str:
        """` for {instance="a"}` with the labels asked for, or nothing for a series without."""
        wanted = self.params.get("labels")
        shown = [f'{k}="{v}"' for k, v in sorted(labels.items()) if wanted is None or k in wanted]
        return f" for {{{', '.join(shown)}}}" if shown else ""


def _placeholders(context: RunContext) -> dict[str, str]:
    manifest = context.manifest
    data = manifest.data if manifest is not None else {}
    service = data.get("service")
    return {
        "release": manifest.version if manifest is not None else "",
        "service": service if isinstance(service, str) else context.config.name,
    }
