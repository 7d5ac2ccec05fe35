"""The files `gate init` writes: a gate for a new service, valid and runnable at once.

The texts live beside this module; `{{name}}` placeholders are filled in from
the answers. Nothing is overwritten unless asked: a file that exists stops
the whole init before anything is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from gate.errors import InputError
from gate.postmortems import TEMPLATES
from gate.postmortems.skeleton import skeleton
from gate.scaffold import check_id_for

PRESETS = ("openai_chat", "http", "recorded")
DEFAULT_URLS = {"openai_chat": "http://127.0.0.1:8000", "http": "http://127.0.0.1:8000/v1/answer"}
EXAMPLE_POSTMORTEM = "INC-2026-01-20-example-empty-answer-field"
EXAMPLE_ITEM = f"{EXAMPLE_POSTMORTEM}#AI-1"
# Where the published action lives comes from the package's metadata (pyproject's
# [project.urls]), its one place; the major version tag follows the package's.
_REPOSITORY_LABEL = "Repository"
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$")


@dataclass(frozen=True)
class Answers:
    """What `gate init` was told (or chose by default)."""

    name: str  # the service, as gate.yaml's name
    preset: str  # openai_chat, http or recorded
    url: str | None  # the service's URL (an http endpoint's full URL, or the chat server's base)
    field: str  # the answer field the example check reads
    model: str  # the model an openai_chat server is asked for


def _text(name: str) -> str:
    return resources.files("gate").joinpath("starter", name).read_text(encoding="utf-8")


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _quoted(value: str) -> str:
    # A JSON string is a YAML string, whatever characters the value holds.
    return json.dumps(value, ensure_ascii=False)


def target_yaml(answers: Answers) -> str:
    """gate.yaml's `target:` for the preset."""
    if answers.preset == "recorded":
        return (
            '# Earlier answers, one JSON object a line: {"id": ..., "response": {...}}.\n'
            "target:\n  type: recorded\n  path: recorded.jsonl"
        )
    url = answers.url or DEFAULT_URLS[answers.preset]
    if answers.preset == "openai_chat":
        prompt = f'Reply with a JSON object: {{"{answers.field}": "..."}}'
        return (
            "# A chat completions server (vLLM, llama.cpp, Ollama): the prompt is the user\n"
            "# message, and the reply's JSON object is what the checks read.\n"
            "target:\n  type: http\n  preset: openai_chat\n"
            f"  url: {_quoted(url)}\n  model: {_quoted(answers.model)}\n"
            f"  system_prompt: {_quoted(prompt)}"
        )
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    return (
        '# Each corpus item is posted as {"id": ..., "prompt": ...}; the JSON answer is\n'
        "# what the checks read.\n"
        f"target:\n  type: http\n  url: {_quoted(base)}\n  path: {_quoted(parts.path or '/')}"
    )


def action_ref() -> str:
    """`owner/repo@v0`: the published action, at the major version of this package."""
    from importlib.metadata import metadata, packages_distributions

    from gate import __version__

    for dist in packages_distributions().get("gate", ()):
        for entry in metadata(dist).get_all("Project-URL") or ():
            label, _, url = entry.partition(", ")
            if label == _REPOSITORY_LABEL:
                path = urlsplit(url).path.strip("/").removesuffix(".git")
                return f"{path}@v{__version__.split('.')[0]}"
    raise RuntimeError("the installed package names no Repository URL; reinstall it")


def starter_files(answers: Answers) -> dict[PurePosixPath, str]:
    """Every file `gate init` writes, by path relative to the repository, with its text."""
    values = {
        "name": answers.name,
        "name_yaml": _quoted(answers.name),
        "target": target_yaml(answers),
        "field": answers.field,
        "check_id": check_id_for(EXAMPLE_POSTMORTEM, "AI-1", "field_nonempty"),
        "item": EXAMPLE_ITEM,
        "action": action_ref(),
    }
    files = {
        "gate.yaml": _fill(_text("gate.yaml"), values),
        f"checks/{values['check_id']}.yaml": _fill(_text("check.yaml"), values),
        "corpora/example.jsonl": _text("example.jsonl"),
        "postmortems/TEMPLATE.md": skeleton(TEMPLATES["gate"]),
        f"postmortems/{EXAMPLE_POSTMORTEM}.md": _fill(_text("postmortem.md"), values),
        ".github/workflows/release-gate.yml": _fill(_text("release-gate.yml"), values),
    }
    if answers.preset == "recorded":
        field = json.dumps(answers.field, ensure_ascii=False)[1:-1]  # inside a JSON string
        files["recorded.jsonl"] = _fill(_text("recorded.jsonl"), {"field": field})
    return {PurePosixPath(path): text for path, text in files.items()}


def check_field(field: str) -> None:
    """A field the example check can read: a dotted path of plain names."""
    if not _FIELD.match(field):
        raise InputError(
            None,
            f"--field {field!r} is not a field name",
            fix="give the answer's field as a dotted path, such as answer or result.text",
        )
