"""Naming a release as known bad, from `gate new-check --known-bad`: one entry added to the file.

The file is edited as text, so that its comments and layout stay; the result is
read back and must hold exactly the old data plus the new entry, or nothing is
written and the message says what to add by hand.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from gate.errors import InputError
from gate.project import Project
from gate.proof.known import SUFFIX
from gate.reports.atomic import write_atomic
from gate.yamlfile import parse_yaml, read_text


def record_known_bad(project: Project, postmortem: str, manifest: str, check: str) -> str:
    """Name `manifest` a known-bad release of `postmortem`, expected to be blocked by `check`.

    `manifest` is a path relative to gate.yaml. Returns a sentence saying what was written.
    """
    path = project.config.postmortems_dir / f"{postmortem}{SUFFIX}"
    manifest = _repo_path(project, manifest)
    good = [r for r in project.known_releases if not r.bad and r.name == manifest]
    if good:
        raise InputError(
            path,
            f"{manifest} is a known-good release of {good[0].postmortem}",
            line=good[0].line,
            fix="name a release the incident was about",
        )
    entry = f"- manifest: {manifest}\n  blocked_by: [{check}]\n"
    if not path.exists():
        header = f"# The releases {postmortem} was about; `gate prove` replays them.\n"
        write_atomic(path, f"{header}known_bad:\n{_indent(entry, 2)}".encode())
        return f"wrote {path}: {manifest} is known bad, expected to be blocked by {check}"
    text = read_text(path, what="known releases file")
    data = parse_yaml(text, path).data
    wanted = _with_entry(data, manifest, check)
    if wanted == data:
        return f"{path} already expects {manifest} to be blocked by {check}"
    changed = _edited(text, manifest, check)
    if changed is None or _data(changed, path) != wanted:
        raise InputError(
            path,
            f"could not add {manifest} to it without rewriting it",
            fix=f"add it by hand under known_bad:\n{_indent(entry, 4)}".rstrip(),
        )
    write_atomic(path, changed.encode())
    return f"added to {path}: {manifest} is known bad, expected to be blocked by {check}"


def _repo_path(project: Project, given: str) -> str:
    """`given`, from the working directory, as known releases files name it: from gate.yaml's."""
    found = Path(given).resolve()
    root = project.config.root
    if not found.is_file():
        raise InputError(None, f"--known-bad {given} is not a file", fix="give the manifest's path")
    if not found.is_relative_to(root):
        raise InputError(None, f"--known-bad {given} is outside the repository ({root})")
    return found.relative_to(root).as_posix()


def _data(text: str, path: Path) -> Any:
    try:
        return parse_yaml(text, path).data
    except InputError:  # an edit gone wrong: nothing is written
        return None


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line for line in text.splitlines(keepends=True))


def _with_entry(data: Any, manifest: str, check: str) -> Any:
    wanted = copy.deepcopy(data)
    entries = wanted.setdefault("known_bad", [])
    for entry in entries:
        if entry.get("manifest") == manifest:
            if check not in entry.setdefault("blocked_by", []):
                entry["blocked_by"].append(check)
            return wanted
    entries.append({"manifest": manifest, "blocked_by": [check]})
    return wanted


def _last_line(node: yaml.Node) -> int:
    """The 0-based line on which a node's content ends (not where the next token starts)."""
    while (
        isinstance(node, yaml.MappingNode | yaml.SequenceNode)
        and node.value
        and not node.flow_style
    ):
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return int(node.end_mark.line)


def _insert_after(text: str, line: int, lines: str) -> str:
    kept = text.splitlines(keepends=True)
    if kept and not kept[-1].endswith("\n"):
        kept[-1] += "\n"
    return "".join([*kept[: line + 1], lines, *kept[line + 1 :]])


def _edited(text: str, manifest: str, check: str) -> str | None:
    """`text` with the entry added, or None when its layout is one this does not edit."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    found = {key.value: value for key, value in root.value}
    bad = found.get("known_bad")
    if bad is None:
        end = "" if text.endswith("\n") else "\n"
        return f"{text}{end}known_bad:\n  - manifest: {manifest}\n    blocked_by: [{check}]\n"
    if not isinstance(bad, yaml.SequenceNode) or bad.flow_style or not bad.value:
        return None
    for item in bad.value:
        fields = {key.value: value for key, value in getattr(item, "value", ())}
        if getattr(fields.get("manifest"), "value", None) != manifest:
            continue
        blocked = fields.get("blocked_by")
        if not isinstance(blocked, yaml.SequenceNode):
            return None
        if blocked.flow_style:
            at = blocked.end_mark.index - 1  # the closing bracket
            return f"{text[:at]}, {check}{text[at:]}"
        dash = " " * blocked.start_mark.column
        return _insert_after(text, _last_line(blocked), f"{dash}- {check}\n")
    dash = " " * bad.start_mark.column
    added = f"{dash}- manifest: {manifest}\n{dash}  blocked_by: [{check}]\n"
    return _insert_after(text, _last_line(bad), added)
