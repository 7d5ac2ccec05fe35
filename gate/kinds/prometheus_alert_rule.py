"""prometheus_alert_rule: an alert watches a metric, with a low enough threshold and delay."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

from gate.context import ProjectView, RunContext
from gate.errors import InputError
from gate.kinds.base import Measurement, StaticKind
from gate.kinds.prometheus_rules import RULES, alerting_rules, promtool_says, rules_file_errors
from gate.kinds.promql import comparison, parse_duration, reads_metric
from gate.registry import kind
from gate.status import Status
from gate.yamlfile import load_yaml


@kind
class PrometheusAlertRule(StaticKind):
    """A Prometheus rules file holds an alert on a metric, quick and sensitive enough.

    Params:
      file: the rules file, relative to the folder of gate.yaml.
      metric: the metric the alert's expression must read, such as
        tutor_response_empty_field_total.
      alert: the alert's name (optional; default: any alert whose expression reads the metric).
      max_threshold: the alert must fire when the expression goes above a number at most
        this, read from the expression's top-level comparison (`... > 0.01`), as written.
      max_for: the alert's `for:` must be at most this Prometheus duration, such as 5m
        (no `for:` means it fires at once).
      test_file: a `promtool test rules` file of unit tests for the alert, relative to the
        folder of gate.yaml.
      require_promtool: when true, a missing promtool makes the check an error (default
        false: the YAML part is still judged, and the message says promtool was skipped).
      Where promtool is installed, the check also runs `promtool check rules` on the file
      and `promtool test rules` on test_file; a promtool failure fails the check.
    """

    name = "prometheus_alert_rule"
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["file", "metric"],
        "properties": {
            "file": {
                "type": "string",
                "minLength": 1,
                "format": "repo-path",
                "description": "the Prometheus rules file",
            },
            "metric": {
                "type": "string",
                "pattern": "^[a-zA-Z_:][a-zA-Z0-9_:]*$",
                "description": "the metric the alert's expression must read",
            },
            "alert": {
                "type": "string",
                "minLength": 1,
                "description": "the alert's name (default: any alert whose expression reads "
                "the metric)",
            },
            "max_threshold": {
                "type": "number",
                "description": "the alert must fire above a number at most this, read from its "
                "expression's top-level comparison",
            },
            "max_for": {
                "type": "string",
                "description": "the longest for: allowed, as a Prometheus duration such as 5m",
            },
            "test_file": {
                "type": "string",
                "minLength": 1,
                "format": "repo-path",
                "description": "a promtool test rules file of unit tests for the alert",
            },
            "require_promtool": {
                "type": "boolean",
                "default": False,
                "description": "whether a missing promtool makes the check an error (otherwise "
                "the YAML part is judged and the message says promtool was skipped)",
            },
        },
        "examples": [
            {
                "file": "examples/tutor/alerts.yml",
                "metric": "tutor_response_empty_field_total",
                "max_threshold": 0.01,
                "max_for": "5m",
            }
        ],
    }

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        if "max_for" in params and parse_duration(params["max_for"]) is None:
            return [(("max_for",), f"is {params['max_for']!r}, not a duration such as 5m or 1h30m")]
        return []

    @classmethod
    def validate(cls, params: Mapping[str, Any], project: ProjectView) -> list[InputError]:
        """The rules file is a Prometheus rules file, and the unit tests file exists."""
        return rules_file_errors(params, project)

    def evaluate(self, context: RunContext) -> Measurement:
        path = context.root / self.params["file"]
        shown = self.params["file"]
        alerts = alerting_rules(load_yaml(path, what=RULES).data)
        if alerts is None:
            message = f"{shown} is not a Prometheus rules file: it has no list of groups"
            return Measurement(Status.ERROR, None, self._limit(), message)
        metric, wanted = self.params["metric"], self.params.get("alert")
        names = ", ".join(str(rule["alert"]) for rule in alerts) or "none"
        if wanted is not None:
            chosen = [rule for rule in alerts if rule["alert"] == wanted]
            missing = f"{shown} has no alert named {wanted} (alerts: {names})"
        else:
            chosen = [rule for rule in alerts if reads_metric(str(rule.get("expr", "")), metric)]
            missing = f"no alert in {shown} reads {metric} (alerts: {names})"
        if not chosen:
            return Measurement(Status.FAIL, None, self._limit(), missing)
        judged = [self._judge(rule) for rule in chosen]
        threshold, found, problems = next((j for j in judged if not j[2]), judged[0])
        tool_problems, note = self._run_promtool(context.root)
        problems = [*problems, *tool_problems]
        status = Status.FAIL if problems else Status.PASS
        skipped = shutil.which("promtool") is None
        if status is Status.PASS and skipped and self.params.get("require_promtool", False):
            status = Status.ERROR
        text = "; ".join([found, *problems, note])
        return Measurement(status, threshold, self._limit(), text)

    def _limit(self) -> str:
        parts = [f"reads {self.params['metric']}"]
        if "max_threshold" in self.params:
            parts.append(f"threshold <= {self.params['max_threshold']}")
        if "max_for" in self.params:
            parts.append(f"for <= {self.params['max_for']}")
        return ", ".join(parts)

    def _judge(self, rule: Mapping[str, Any]) -> tuple[float | None, str, list[str]]:
        """(threshold, what was found, problems) for one alerting rule."""
        name, expr = rule["alert"], str(rule.get("expr", ""))
        metric = self.params["metric"]
        problems = [] if reads_metric(expr, metric) else [f"its expression does not read {metric}"]
        held = comparison(expr, metric)
        wait = str(rule.get("for", "0s"))
        found = f"alert {name} fires when {' '.join(expr.split())} for {wait}"
        limit = self.params.get("max_threshold")
        if held is None and limit is not None:
            problems.append("no comparison with a number can be read at the top of its expression")
        elif held is not None and held.operator not in (">", ">="):
            problems.append(
                f"it fires on '{held.operator} {float(held.threshold):g}', not above it"
            )
        elif held is not None and limit is not None and held.threshold > Fraction(str(limit)):
            problems.append(f"its threshold {float(held.threshold):g} is above {limit}")
        if "max_for" in self.params:
            wait_ms, limit_ms = parse_duration(wait), parse_duration(self.params["max_for"])
            if wait_ms is None:
                problems.append(f"its for: {wait!r} is not a Prometheus duration")
            elif limit_ms is not None and wait_ms > limit_ms:
                problems.append(f"its for: {wait} is longer than {self.params['max_for']}")
        return (float(held.threshold) if held else None), found, problems

    def _run_promtool(self, root: Path) -> tuple[list[str], str]:
        """(problems, a note of what promtool did) for the rules file and its unit tests."""
        test_file = self.params.get("test_file")
        test_path = root / test_file if test_file else None
        problems = []
        if test_path is not None and not test_path.is_file():
            problems.append(f"the unit tests {test_file} do not exist")
            test_path = None
        promtool = shutil.which("promtool")
        if promtool is None:
            tests = f" and the unit tests in {test_file}" if test_file else ""
            return (
                problems,
                f"promtool is not installed, so `promtool check rules`{tests} were skipped",
            )
        # Relative paths, run from the project's folder, so promtool's messages name
        # the files as the check file does.
        runs = [["check", "rules", self.params["file"]]]
        if test_path is not None:
            runs.append(["test", "rules", self.params["test_file"]])
        failures = [promtool_says(promtool, args, root) for args in runs]
        problems.extend(failure for failure in failures if failure is not None)
        done = " and `promtool test rules`" if test_path is not None else ""
        return problems, f"`promtool check rules`{done} ran"
