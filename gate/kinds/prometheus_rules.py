"""Prometheus rules files: their alerting rules, and what promtool says about them."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gate.errors import InputError
from gate.yamlfile import load_yaml

PROMTOOL_TIMEOUT_S = 60
_OUTPUT_LINES = 12


def alerting_rules(data: Any) -> list[Mapping[str, Any]] | None:
    """Every alerting rule of a rules file, or None when it is not shaped as one."""
    if not isinstance(data, Mapping) or not isinstance(data.get("groups"), list):
        return None
    found = []
    for group in data["groups"]:
        rules = group.get("rules") if isinstance(group, Mapping) else None
        for rule in rules if isinstance(rules, list) else ():
            if isinstance(rule, Mapping) and "alert" in rule:
                found.append(rule)
    return found


def alert_expression(root: Path, file: str, name: str) -> str:
    """The expression of the alert `name` in the rules file `file`; InputError when it has none."""
    rules = alerting_rules(load_yaml(root / file, what="Prometheus rules file").data)
    found = [rule for rule in rules or () if rule["alert"] == name]
    if not found:
        names = ", ".join(str(rule["alert"]) for rule in rules or ()) or "none"
        raise InputError(file, f"has no alert named {name} (alerts: {names})")
    return str(found[0].get("expr", ""))


def promtool_says(promtool: str, args: list[str], cwd: Path) -> str | None:
    """None when promtool agrees; otherwise what it said, trimmed to the last lines."""
    try:
        done = subprocess.run(
            [promtool, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=PROMTOOL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"`promtool {' '.join(args)}` did not finish in {PROMTOOL_TIMEOUT_S} s"
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    said = " | ".join(lines[-_OUTPUT_LINES:])
    return f"`promtool {' '.join(args)}` exited {done.returncode}: {said}"
