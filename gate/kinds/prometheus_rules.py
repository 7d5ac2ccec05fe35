"""Prometheus rules files: their alerting rules, and what promtool says about them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gate.context import ProjectView
from gate.errors import InputError, display_path
from gate.schema import nearest
from gate.yamlfile import load_yaml

RULES = "Prometheus rules file"
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
    rules = alerting_rules(load_yaml(root / file, what=RULES).data)
    found = [rule for rule in rules or () if rule["alert"] == name]
    if not found:
        names = ", ".join(str(rule["alert"]) for rule in rules or ()) or "none"
        raise InputError(file, f"has no alert named {name} (alerts: {names})")
    return str(found[0].get("expr", ""))


def promtool_says(promtool: str, args: list[str], cwd: Path) -> str | None:
    """None when promtool agrees; otherwise what it said, trimmed to the last lines."""
    import subprocess  # only a run asks promtool; `gate validate` never does

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


def rules_file_errors(params: Mapping[str, Any], project: ProjectView) -> list[InputError]:
    """A check's `file` (a rules file) and `test_file`, when set, are there: `validate`'s part.

    Args:
        params: the check's params, with `file` and perhaps `test_file`.
        project: the project as the check sees it.
    """
    missing = [
        key
        for key in ("file", "test_file")
        if key in params and not (project.root / params[key]).is_file()
    ]
    errors = [
        project.error(
            ("params", key),
            f"params.{key} names {params[key]}, which is not a file",
            fix="give the path of the file, relative to the folder of gate.yaml",
        )
        for key in missing
    ]
    rules = project.root / params["file"]
    # A file that does not parse raises its own InputError, naming its line.
    if "file" not in missing and alerting_rules(load_yaml(rules, what=RULES).data) is None:
        errors.append(
            InputError(
                rules,
                "is not a Prometheus rules file: it has no list of groups",
                fix=f"point params.file of {display_path(project.check.path)} at the rules "
                "file, which starts with 'groups:'",
            )
        )
    return errors


def alert_errors(params: Mapping[str, Any], project: ProjectView) -> list[InputError]:
    """A check's `alert: {file, name}` names an alert of a rules file: `validate`'s part.

    Args:
        params: the check's params; without `alert` there is nothing to check.
        project: the project as the check sees it.
    """
    alert = params.get("alert")
    if alert is None:
        return []
    file, name = alert["file"], alert["name"]
    if not (project.root / file).is_file():
        return [
            project.error(
                ("params", "alert", "file"),
                f"params.alert.file names {file}, which is not a file",
                fix="give the path of the rules file, relative to the folder of gate.yaml",
            )
        ]
    names = [
        str(rule["alert"])
        for rule in alerting_rules(load_yaml(project.root / file, what=RULES).data) or ()
    ]
    if name in names:
        return []
    guess = nearest(name, names)
    return [
        project.error(
            ("params", "alert", "name"),
            f"params.alert.name '{name}' is no alert of {file} "
            f"(alerts: {', '.join(names) or 'none'})",
            fix=f"did you mean '{guess}'?" if guess else "name an alert the rules file holds",
        )
    ]
