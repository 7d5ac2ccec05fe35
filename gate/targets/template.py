"""Request body templates: a JSON value whose strings may name the item's fields.

`{id}`, `{prompt}` and `{source}` may stand anywhere in a string; `{tags}` and
`{expected}` only as a whole string, which then becomes the list or object.
`{repeat}` is the index of the ask when a check asks each item several times
(0 for the first): the number itself as a whole string, its digits inside one.
`{{` and `}}` are literal braces. A template is compiled once, so rendering
per item is a few dictionary look-ups.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import Any

from gate.corpus import CorpusItem

Render = Callable[[CorpusItem], Any]

TEXT_FIELDS = ("id", "prompt", "source", "repeat")
WHOLE_FIELDS = ("tags", "expected")
DEFAULT_BODY: Mapping[str, Any] = {"id": "{id}", "prompt": "{prompt}"}

_FORMATTER = string.Formatter()
KeyPath = tuple[str | int, ...]


def _field(item: CorpusItem, name: str) -> Any:
    if name == "id":
        return item.id
    if name == "prompt":
        return item.prompt
    if name == "source":
        return item.source or ""
    if name == "repeat":
        return item.repeat
    if name == "tags":
        return list(item.tags)
    return dict(item.expected or {})


def _text(item: CorpusItem, name: str) -> str:
    value = _field(item, name)
    return value if isinstance(value, str) else str(value)


def uses_field(template: Any, name: str) -> bool:
    """Whether a (valid) template names the item field `name` anywhere."""
    if isinstance(template, Mapping):
        return any(uses_field(value, name) for value in template.values())
    if isinstance(template, list):
        return any(uses_field(value, name) for value in template)
    if not isinstance(template, str):
        return False
    return any(part[1] == name for part in _FORMATTER.parse(template))


def template_problems(template: Any, key_path: KeyPath = ()) -> list[tuple[KeyPath, str]]:
    """Every placeholder that cannot be filled, as (key path in the template, message)."""
    if isinstance(template, Mapping):
        return [
            problem
            for key, value in template.items()
            for problem in template_problems(value, (*key_path, key))
        ]
    if isinstance(template, list):
        return [
            problem
            for index, value in enumerate(template)
            for problem in template_problems(value, (*key_path, index))
        ]
    if not isinstance(template, str):
        return []
    try:
        parts = list(_FORMATTER.parse(template))
    except ValueError as exc:
        return [(key_path, f"is not a valid template: {exc}; write {{{{ and }}}} for braces")]
    problems = []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        shown = (
            "{"
            + name
            + ("!" + conversion if conversion else "")
            + (":" + spec if spec else "")
            + "}"
        )
        if name in WHOLE_FIELDS:
            if template != "{" + name + "}":
                problems.append(
                    (key_path, f"uses {shown} inside a longer string; it must be the whole value")
                )
        elif name not in TEXT_FIELDS or spec or conversion:
            known = ", ".join("{" + field + "}" for field in (*TEXT_FIELDS, *WHOLE_FIELDS))
            problems.append((key_path, f"uses {shown}, which is not an item field ({known})"))
    return problems


def compile_template(template: Any) -> Render:
    """A function from a corpus item to the request body; the template must be valid."""
    if isinstance(template, Mapping):
        rendered = [(key, compile_template(value)) for key, value in template.items()]
        return lambda item: {key: render(item) for key, render in rendered}
    if isinstance(template, list):
        renders = [compile_template(value) for value in template]
        return lambda item: [render(item) for render in renders]
    if not isinstance(template, str):
        return lambda item: template
    parts = list(_FORMATTER.parse(template))
    if len(parts) == 1 and parts[0][0] == "" and parts[0][1] is not None:
        name = parts[0][1]
        return lambda item: _field(item, name)
    if all(name is None for _literal, name, _spec, _conv in parts):
        literal = "".join(part[0] for part in parts)
        return lambda item: literal
    return lambda item: "".join(
        literal + (_text(item, name) if name is not None else "")
        for literal, name, _spec, _conv in parts
    )
