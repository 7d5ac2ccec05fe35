"""JSON Schema validation whose errors read as sentences pointing at a file and a line."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from gate.errors import InputError

if TYPE_CHECKING:  # jsonschema is imported when it has something to say (see validate)
    import jsonschema

Locator = Callable[[tuple[str | int, ...]], tuple[int | None, int | None]]

_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


@cache
def _end_anchored(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns follow ECMA-262, where a final `$` matches only at the
    # very end; Python's also matches before a trailing newline, which would let
    # "2.4.0\n" pass as a version. A final unescaped `$` becomes `\Z`.
    if pattern.endswith("$"):
        body = pattern[:-1]
        if (len(body) - len(body.rstrip("\\"))) % 2 == 0:  # not an escaped `\$`
            pattern = body + r"\Z"
    return re.compile(pattern)


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterable[jsonschema.ValidationError]:
    import jsonschema

    if validator.is_type(instance, "string") and not _end_anchored(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _validator_class() -> Any:
    import jsonschema

    # The stubs leave `extend` untyped; the result is a Draft 2020-12 validator class.
    return jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, {"pattern": _pattern}
    )


# A pattern both validators read alike: no class escapes such as \d or \w (Unicode
# in Python, ASCII in ECMA-262) and no (?...) groups; a final $ is read as the end
# of the text by both (see _end_anchored). The gate's own schemas use only these.
_PLAIN_PATTERN = re.compile(r"(?:[^\\(]|\\[^A-Za-z0-9]|\((?!\?))*")
_ELSEWHERE = frozenset(("$dynamicRef", "$recursiveRef", "patternProperties"))


def _read_alike(schema: Any, top: bool = True) -> bool:
    """Whether jsonschema-rs and jsonschema read every keyword of `schema` alike.

    An `$id` is allowed at the top only, where it names the schema and moves no reference.
    """
    if isinstance(schema, list):
        return all(_read_alike(value, top=False) for value in schema)
    if not isinstance(schema, dict):
        return True
    if _ELSEWHERE.intersection(schema) or ("$id" in schema and not top):
        return False
    pattern, ref = schema.get("pattern"), schema.get("$ref")
    if isinstance(pattern, str) and not _PLAIN_PATTERN.fullmatch(pattern):
        return False
    if isinstance(ref, str) and not ref.startswith("#"):
        return False
    return all(_read_alike(value, top=False) for value in schema.values())


# Compiled quick checks by schema; the schema is kept so that its id is not reused.
_QUICK: dict[int, tuple[Mapping[str, Any], Callable[[Any], bool] | None]] = {}


def _quick_check(schema: Mapping[str, Any]) -> Callable[[Any], bool] | None:
    kept = _QUICK.get(id(schema))
    if kept is not None and kept[0] is schema:
        return kept[1]
    check: Callable[[Any], bool] | None = None
    if _read_alike(schema):
        try:
            # Neither validator checks formats: repo-path is the gate's own, checked after.
            check = jsonschema_rs.Draft202012Validator(
                dict(schema), validate_formats=False
            ).is_valid
        except Exception:  # a schema it cannot compile is left to jsonschema alone
            check = None
    if len(_QUICK) > 256:  # a caller making its schemas afresh must not grow it forever
        _QUICK.clear()
    _QUICK[id(schema)] = (schema, check)
    return check


@cache
def packaged_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in `gate/schemas/`."""
    text = resources.files("gate").joinpath("schemas", name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def check_schema(schema: Mapping[str, Any]) -> str | None:
    """Why `schema` is not a valid JSON Schema, or None when it is.

    jsonschema-rs answers first, in a fraction of the time (every kind's schema
    is checked on every start); a "no", or a schema it cannot read, is left to
    jsonschema, which words the reason.
    """
    try:
        if jsonschema_rs.meta.is_valid(dict(schema)):
            return None
    except Exception:  # a schema it cannot take: jsonschema decides
        pass
    import jsonschema

    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return exc.message
    return None


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid name to a mistyped one, if any is close enough."""
    import difflib  # for a message about a mistake: a valid project never needs it

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def dotted(key_path: Iterable[str | int]) -> str:
    """`params.fields[0]` from ('params', 'fields', 0)."""
    text = ""
    for part in key_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the top level"


def _describe(value: Any) -> str:
    kind = {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)
    shown = json.dumps(value, default=str)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return kind if isinstance(value, dict | list) or value is None else f"{kind} {shown}"


def validate(
    instance: Any,
    schema: Mapping[str, Any],
    *,
    path: Path,
    locate: Locator | None = None,
    line: int | None = None,
    prefix: tuple[str | int, ...] = (),
) -> list[InputError]:
    """Every way `instance` breaks `schema`, as InputErrors naming the file and place.

    `locate` maps a key path to its line and column (for YAML); `line` is used
    when the whole instance sits on one line (for JSONL).

    jsonschema stays the judge of record and words every error; jsonschema-rs
    only answers "valid?" first, so a valid project is checked without
    importing jsonschema at all (a pre-commit hook validates on every commit).
    A "no" is always confirmed, and worded, by jsonschema.
    """
    quick = _quick_check(schema)
    if quick is not None:
        try:
            if quick(instance):
                return []
        except Exception:  # a value it cannot take (a date, a huge integer): ask jsonschema
            pass
    validator = _validator_class()(schema)
    found: list[InputError] = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path))):
        key_path = (*prefix, *error.absolute_path)
        found.extend(_to_input_errors(error, key_path, path, locate, line))
    return found


def _position(
    key_path: tuple[str | int, ...], locate: Locator | None, line: int | None
) -> tuple[int | None, int | None]:
    if locate is not None:
        return locate(key_path)
    return line, None


def _described(name: object, schema: Mapping[str, Any]) -> str | None:
    description = schema.get("description")
    return f"'{name}' is {description}" if description else None


def _to_input_errors(
    error: jsonschema.ValidationError,
    key_path: tuple[str | int, ...],
    path: Path,
    locate: Locator | None,
    line: int | None,
) -> list[InputError]:
    where = dotted(key_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(schema.get("properties", {}))
        extras = [key for key in error.instance if key not in allowed]
        errors = []
        for key in extras:
            guess = nearest(str(key), allowed)
            allowed_text = f"allowed keys here: {', '.join(allowed) or 'none'}"
            key_fix = f"did you mean '{guess}'? {allowed_text}" if guess else allowed_text
            at_line, column = _position((*key_path, key), locate, line)
            errors.append(
                InputError(
                    path,
                    f"unknown key '{key}' in {where}",
                    line=at_line,
                    column=column,
                    fix=key_fix,
                )
            )
        return errors
    at_line, column = _position(key_path, locate, line)
    fix: str | None
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        hint = schema.get("properties", {}).get(missing, {}).get("description")
        fix = f"add '{missing}'" + (f": {hint}" if hint else "")
        message = f"missing required key '{missing}' in {where}"
    elif error.validator == "type":
        expected: Any = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_WORDS.get(name, name) for name in names)
        subject = f"'{where}'" if key_path else "the file"
        message = f"{subject} should be {wanted}, found {_describe(error.instance)}"
        fix = _described(key_path[-1], schema) if key_path else None
    elif error.validator in ("enum", "const"):
        value: Any = error.validator_value
        options: list[Any] = list(value) if error.validator == "enum" else [value]
        shown = ", ".join(str(option) for option in options)
        message = f"'{where}' is {_describe(error.instance)}, expected one of: {shown}"
        guess = nearest(str(error.instance), [str(option) for option in options])
        fix = f"did you mean '{guess}'?" if guess else None
    else:
        message = f"'{where}': {error.message}"
        fix = _described(where, schema)
    return [InputError(path, message, line=at_line, column=column, fix=fix or None)]
