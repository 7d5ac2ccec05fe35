"""What a kind says about itself, read from its params schema: `gate kinds show`, new-check
and the README's reference of kinds are all made here, so they cannot drift apart.

A param's type, default, allowed values and description come from its schema
(`type`, `default`, `enum`, `minimum`..., `description`); a kind's example
check comes from the schema's `examples`. Nested settings (eval_score's axes,
corpus_coverage's `tagged`) are listed with dotted names.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gate.registry import KindClass

# The action item an example check names: a reader sees the `<postmortem id>#AI-<n>` form.
EXAMPLE_ITEM = "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4"
EXAMPLE_CORPUS = "regression"
SCOPES = {
    "response": "judges the target's answers, item by item",
    "static": "looks at files, or at the live service's endpoints, once per run",
}
_TYPE_WORDS = {"object": "mapping", "array": "list", "integer": "whole number"}
# Where a docstring's list of params starts ("Params:", "Params (give query or alert):").
_PARAMS = re.compile(r"^Params\b.*:$", re.MULTILINE)


@dataclass(frozen=True)
class Param:
    """One param of a kind, as its schema describes it."""

    name: str  # dotted for nested settings: axes.<name>.scorer
    type: str
    required: bool
    default: str | None  # as YAML writes it
    allowed: str | None
    description: str


def summary(kind_class: KindClass) -> str:
    """The kind's description: its docstring up to the list of params."""
    doc = textwrap.dedent("\n".join((kind_class.__doc__ or "").splitlines()[1:]))
    first = (kind_class.__doc__ or "").strip().splitlines()[0]
    body = _PARAMS.split(doc)[0].strip()
    return f"{first}\n\n{body}" if body else first


def example_params(kind_class: KindClass) -> dict[str, Any]:
    """The first example in the kind's params schema (every built-in kind has one)."""
    examples = kind_class.params_schema.get("examples") or [{}]
    return dict(examples[0])


def example_check(kind_class: KindClass) -> dict[str, Any]:
    """A complete check file using the kind's example params."""
    check: dict[str, Any] = {
        "id": f"{kind_class.name.replace('_', '-')}-example",
        "kind": kind_class.name,
        "action_item": EXAMPLE_ITEM,
        "suites": ["release"],
        "blocking": True,
    }
    if kind_class.scope == "response":
        check["corpora"] = [EXAMPLE_CORPUS]
    check["params"] = example_params(kind_class)
    return check


def yaml_text(value: Any) -> str:
    """YAML as a person writes it: block mappings, with lists and mappings of scalars inline."""
    import yaml

    text = yaml.safe_dump(value, sort_keys=False, default_flow_style=None, allow_unicode=True)
    return text.removesuffix("...\n")  # the end marker PyYAML puts after a lone scalar


def check_yaml(check: Mapping[str, Any]) -> str:
    """A check file's text: one key a line, `params` as a block, deeper values inline."""
    lines: list[str] = []
    for key, value in check.items():
        if key != "params" or not value:
            lines += _entry(key, value)
            continue
        lines.append("params:")
        for name, param in value.items():
            lines += [f"  {line}" for line in _entry(name, param)]
    return "\n".join(lines) + "\n"


def _entry(key: str, value: Any) -> list[str]:
    # A lone scalar mapping would come out inline ({id: x}); only collections go whole.
    if isinstance(value, dict | list) and value:
        return yaml_text({key: value}).rstrip().splitlines()
    return [f"{key}: {yaml_text(value).strip()}"]


def params(schema: Mapping[str, Any], prefix: str = "") -> Iterator[Param]:
    """Every param of a schema, nested settings after their parent."""
    required = set(schema.get("required", ()))
    for name, spec in schema.get("properties", {}).items():
        yield _param(f"{prefix}{name}", spec, name in required)
        yield from _nested(spec, f"{prefix}{name}.")


def _nested(spec: Mapping[str, Any], prefix: str) -> Iterator[Param]:
    if "properties" in spec:
        yield from params(spec, prefix)
    extra = spec.get("additionalProperties")
    if isinstance(extra, Mapping) and "properties" in extra:
        yield from params(extra, f"{prefix}<name>.")


def _param(name: str, spec: Mapping[str, Any], required: bool) -> Param:
    default = spec.get("default")
    return Param(
        name=name,
        type=_type(spec),
        required=required,
        default=None if "default" not in spec else yaml_text(default).strip(),
        allowed=_allowed(spec),
        description=spec.get("description", ""),
    )


def _type(spec: Mapping[str, Any]) -> str:
    if "enum" in spec:
        return "string"
    kind = spec.get("type", "any")
    words = " or ".join(
        _TYPE_WORDS.get(word, word) for word in ([kind] if isinstance(kind, str) else kind)
    )
    items = spec.get("items")
    if kind == "array" and isinstance(items, Mapping) and "type" in items:
        words += f" of {_type(items)}s"
    extra = spec.get("additionalProperties")
    if kind == "object" and isinstance(extra, Mapping) and "properties" not in extra:
        words += f" of {_type(extra)}s"
    elif kind == "object" and isinstance(extra, Mapping):
        words += " by name"
    return words.strip()


def _allowed(spec: Mapping[str, Any]) -> str | None:
    if "enum" in spec:
        return "one of: " + ", ".join(map(str, spec["enum"]))
    low = spec.get("minimum", spec.get("exclusiveMinimum"))
    high = spec.get("maximum", spec.get("exclusiveMaximum"))
    parts = []
    if low is not None and high is not None and "exclusiveMinimum" not in spec:
        parts.append(f"{low} to {high}")
    else:
        if low is not None:
            parts.append(f"{'above' if 'exclusiveMinimum' in spec else 'at least'} {low}")
        if high is not None:
            parts.append(f"at most {high}")
    if spec.get("minLength") == 1 or spec.get("minItems") == 1 or spec.get("minProperties") == 1:
        parts.append("not empty")
    if "pattern" in spec:
        parts.append(f"matching {spec['pattern']}")
    if spec.get("format") == "repo-path":
        parts.append("a file inside the repository")
    return ", ".join(parts) or None


def _facts(param: Param) -> str:
    facts = [param.type, "required" if param.required else "optional"]
    if param.default is not None:
        facts.append(f"default {param.default}")
    if param.allowed:
        facts.append(param.allowed)
    return "; ".join(facts)


def render_text(kind_class: KindClass) -> str:
    """`gate kinds show KIND`: the description, every param, and an example check."""
    lines = [f"{kind_class.name} ({kind_class.scope}: {SCOPES[kind_class.scope]})", ""]
    lines += [f"  {line}".rstrip() for line in summary(kind_class).splitlines()]
    lines += ["", "params:"]
    for param in params(kind_class.params_schema):
        lines.append(f"  {param.name}: {_facts(param)}")
        if param.description:
            lines += textwrap.wrap(
                param.description, 88, initial_indent="      ", subsequent_indent="      "
            )
    example = example_check(kind_class)
    lines += ["", f"example (checks/{example['id']}.yaml):", ""]
    lines += [f"  {line}" for line in check_yaml(example).splitlines()]
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|")


def render_markdown(kinds: Mapping[str, KindClass]) -> str:
    """The README's reference of kinds: a table of all, then each kind's params and example."""
    lines = ["| kind | judges | what it checks |", "| --- | --- | --- |"]
    for name, kind_class in sorted(kinds.items()):
        first = summary(kind_class).splitlines()[0]
        judges = "answers" if kind_class.scope == "response" else "files or endpoints"
        lines.append(f"| [`{name}`](#{name}) | {judges} | {_cell(first)} |")
    for name, kind_class in sorted(kinds.items()):
        lines += ["", f"### {name}", "", summary(kind_class).replace("\n\n", "\n\n"), ""]
        lines += ["| param | type | default | allowed | description |"]
        lines += ["| --- | --- | --- | --- | --- |"]
        for param in params(kind_class.params_schema):
            kind_text = param.type + (", required" if param.required else "")
            lines.append(
                f"| `{param.name}` | {_cell(kind_text)} | {_cell(param.default) or '-'} "
                f"| {_cell(param.allowed) or '-'} | {_cell(param.description)} |"
            )
        lines += ["", "```yaml", check_yaml(example_check(kind_class)).rstrip(), "```"]
    return "\n".join(lines) + "\n"


BEGIN = "<!-- kinds: written by `make readme` from each kind's params schema; edit those -->"
END = "<!-- end of kinds -->"


def splice(text: str, section: str) -> str:
    """`text` with what stands between the BEGIN and END markers replaced by `section`."""
    head, found, rest = text.partition(BEGIN + "\n")
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise ValueError(f"the markers {BEGIN!r} and {END!r} are not both there")
    return f"{head}{BEGIN}\n{section}{END}{tail}"


if __name__ == "__main__":  # `python -m gate.kinds.docs README.md`, run by `make readme`
    import sys
    from pathlib import Path

    from gate.registry import load_registry

    readme = Path(sys.argv[1])
    section = render_markdown(load_registry().kinds)
    readme.write_text(splice(readme.read_text(encoding="utf-8"), section), encoding="utf-8")
