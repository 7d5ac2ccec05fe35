"""Spotting a weakened release policy: a check deleted or loosened against a base revision.

Weakening a check is a change to the release policy, so `gate trace --base REF`
calls out every check that disappears or loosens while its action item still
stands in a postmortem. Loosening is read from the check file alone, by rules
every kind shares: `blocking` turned off, fewer suites or corpora, a higher
`max_error_rate`, a param named `max_*` raised or `min_*` lowered (numbers, or
durations such as `max_for: 5m`).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.errors import InputError
from gate.kinds.promql import parse_duration
from gate.yamlfile import parse_yaml


@dataclass(frozen=True)
class Weakening:
    """One way a check got weaker than it was at the base revision."""

    check: str
    action_item: str
    what: str

    def __str__(self) -> str:
        return f"weakened: {self.check} ({self.action_item}): {self.what}"


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=30
        )
    except FileNotFoundError:
        raise InputError(None, "--base needs git, which was not found") from None
    except subprocess.CalledProcessError as exc:
        raise InputError(
            None,
            f"git could not read the base revision: {exc.stderr.strip() or exc}",
            fix="pass a revision that exists, such as origin/main (fetch it first in CI)",
        ) from None
    return done.stdout


def checks_at(root: Path, checks_dir: Path, revision: str) -> dict[str, dict[str, Any]]:
    """The check files at `revision`, by check id, as plain data."""
    folder = checks_dir.relative_to(root).as_posix()
    listing = _git(root, "ls-tree", "--name-only", f"{revision}:{folder}").split()
    found: dict[str, dict[str, Any]] = {}
    for name in listing:
        if not name.endswith((".yaml", ".yml")):
            continue
        text = _git(root, "show", f"{revision}:{folder}/{name}")
        data = parse_yaml(text, Path(f"{revision}:{folder}/{name}")).data
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found[data["id"]] = data
    return found


def _looser(name: str, before: Any, after: Any) -> bool:
    if isinstance(before, bool) or isinstance(after, bool):
        return False
    if isinstance(before, str) and isinstance(after, str):
        # Durations such as `max_for: 5m` compare by length of time.
        before, after = parse_duration(before), parse_duration(after)
    if not isinstance(before, int | float) or not isinstance(after, int | float):
        return False
    if name.startswith("max_"):
        return after > before
    if name.startswith("min_"):
        return after < before
    return False


def _param_changes(prefix: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    changes = []
    for name, old in before.items():
        new = after.get(name)
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            changes += _param_changes(f"{prefix}{name}.", old, new)
        elif name not in after and (name.startswith(("min_", "max_"))):
            changes.append(f"{prefix}{name} removed (was {old})")
        elif _looser(name, old, new):
            changes.append(f"{prefix}{name} loosened from {old} to {new}")
    return changes


def compare(
    before: Mapping[str, Mapping[str, Any]],
    after: Mapping[str, Mapping[str, Any]],
    open_items: set[str],
) -> list[Weakening]:
    """Every check of `before` that is gone or looser in `after`, while its item is open."""
    found: list[Weakening] = []
    for check_id, old in sorted(before.items()):
        item = str(old.get("action_item", ""))
        if item not in open_items:
            continue  # the action item itself is gone: the postmortem changed, not the check
        new = after.get(check_id)
        if new is None:
            found.append(Weakening(check_id, item, "deleted while its action item stands"))
            continue
        what: list[str] = []
        if old.get("blocking", True) and not new.get("blocking", True):
            what.append("blocking turned off")
        for key in ("suites", "corpora"):
            lost = sorted(set(old.get(key) or []) - set(new.get(key) or []))
            if lost:
                what.append(f"no longer in {key} {', '.join(map(str, lost))}")
        if _looser("max_error_rate", old.get("max_error_rate", 0), new.get("max_error_rate", 0)):
            what.append(
                f"max_error_rate loosened from {old.get('max_error_rate', 0)} "
                f"to {new.get('max_error_rate')}"
            )
        if new.get("select") != old.get("select") and new.get("select"):
            what.append("now judges only a selection of its corpora")
        if new.get("action_item") != old.get("action_item"):
            what.append(f"moved to action item {new.get('action_item')}")
        what += _param_changes("params.", old.get("params") or {}, new.get("params") or {})
        found.extend(Weakening(check_id, item, text) for text in what)
    return found
