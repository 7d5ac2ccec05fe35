"""Safe YAML loading that remembers where every value came from.

The loader composes PyYAML's node graph and builds plain Python values from it
itself, so that it can refuse duplicate keys, bound alias expansion and depth,
and keep a line and column for every key a later error message may need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gate.errors import InputError, open_input

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]
_FLATTEN = "flatten the nesting; no gate file needs this depth"
# Lone surrogates can be written as escapes but are not characters: no UTF-8 output takes them.
_SURROGATE = re.compile("[\ud800-\udfff]")
_LOOKS = {
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
}
_PLAIN_TAGS = frozenset(("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"))
_STR = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class YamlDocument:
    """A loaded YAML file: its data, and the (line, column) of each value by its key path."""

    path: Path
    data: Any
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key_path: PathKey) -> tuple[int | None, int | None]:
        """The position of the deepest part of `key_path` that exists in the file."""
        return locate_in(self.marks, key_path)


def locate_in(
    marks: Mapping[PathKey, tuple[int, int]], key_path: PathKey
) -> tuple[int | None, int | None]:
    """The (line, column) of the deepest part of `key_path` found in `marks`."""
    for end in range(len(key_path), -1, -1):
        mark = marks.get(tuple(key_path[:end]))
        if mark is not None:
            return mark
    return None, None


def read_text(path: Path, *, what: str, limit: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file (a BOM is fine), or say clearly why it cannot be read."""
    # One byte past the limit is enough to know a file is too long, and a huge
    # file is never read whole.
    with open_input(path, what) as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(path, f"{what} cannot be read: {exc.strerror}") from None
    if len(raw) > limit:
        raise InputError(
            path, f"{what} is longer than the limit of {limit:,} bytes", fix="split it or trim it"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            path,
            f"{what} is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
            line=line,
            column=column,
            fix="save the file as UTF-8",
        ) from None


def load_yaml(path: Path, *, what: str = "YAML file") -> YamlDocument:
    """Load one YAML document safely, with positions; every problem is an InputError."""
    return parse_yaml(read_text(path, what=what), path)


def parse_yaml(text: str, path: Path) -> YamlDocument:
    """Parse YAML text that came from `path` (or from git, for an older version of it)."""
    node = _quick_node(text)
    if node is _UNREAD:
        node = _node(text, path)
    document = YamlDocument(path=path, data=None)
    if node is not None:
        builder = _Builder(path, document.marks)
        object.__setattr__(document, "data", builder.build(node, (), 0))
    return document


_UNREAD = yaml.Node("", "", None, None)  # what _quick_node returns when it could not compose


def _quick_node(text: str) -> yaml.Node | None:
    """The node graph composed by libyaml, five to ten times faster than in Python, or _UNREAD.

    Only a file that both accept is read this way: the characters are checked
    by PyYAML's own reader first, and any file libyaml stops on is read again
    in Python, whose messages the gate words. The graph is the same either
    way: PyYAML's resolver tags the nodes of both.
    """
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None:  # PyYAML built without libyaml
        return _UNREAD
    try:
        yaml.reader.Reader(text)  # refuses characters YAML does not allow, as _node does
        loader = loader_class(text)
    except Exception:
        return _UNREAD
    try:
        node: yaml.Node | None = loader.get_single_node()
    except Exception:  # every error is worded by the Python parser below
        return _UNREAD
    finally:
        loader.dispose()
    return node


def _node(text: str, path: Path) -> yaml.Node | None:
    """The node graph composed in Python; every problem is an InputError."""
    try:
        loader = yaml.SafeLoader(text)  # checks every character up front
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise InputError(
            path,
            f"holds the character U+{exc.character:04X}, which YAML does not allow in a file",
            line=line,
            column=column,
            fix='remove it, or write it as an escape such as "\\x00" inside double quotes',
        ) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "unreadable YAML"
        if problem.startswith("but ") and exc.context:
            # PyYAML splits some sentences in two: "expected a single document", "but found ...".
            problem = f"{exc.context}, {problem}"
        raise InputError(
            path,
            f"is not valid YAML: {problem}",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            fix="correct the YAML syntax at that place",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"is not valid YAML: {exc}") from None
    except (ValueError, OverflowError):
        # PyYAML's scanner calls chr() on the number of a \U escape unchecked.
        raise _at(
            path,
            loader.get_mark(),
            "is not valid YAML: an escape in a double-quoted string names no character",
            "write a real character, or an escape no larger than \\U0010FFFF",
        ) from None
    except RecursionError:
        # PyYAML composes nested collections recursively; a file nested deep enough
        # to exhaust Python's stack is refused like any other too-deep file.
        raise _at(
            path, loader.get_mark(), f"is nested deeper than {MAX_DEPTH} levels", _FLATTEN
        ) from None
    finally:
        loader.dispose()
    return node


def _at(path: Path, mark: yaml.Mark, message: str, fix: str) -> InputError:
    return InputError(path, message, line=mark.line + 1, column=mark.column + 1, fix=fix)


class _Builder:
    """Turns a composed node graph into plain values, counting nodes to stop alias bombs."""

    def __init__(self, path: Path, marks: dict[PathKey, tuple[int, int]]) -> None:
        self.path = path
        self.marks = marks
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, key_path: PathKey, depth: int) -> Any:
        self.nodes += 1
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if self.nodes > MAX_NODES:
            raise InputError(
                self.path,
                f"expands to more than {MAX_NODES:,} values (anchors and aliases count each time)",
                line=line,
                fix="remove the repeated aliases",
            )
        if depth > MAX_DEPTH:
            raise InputError(
                self.path,
                f"is nested deeper than {MAX_DEPTH} levels",
                line=line,
                column=column,
                fix=_FLATTEN,
            )
        self.marks.setdefault(key_path, (line, column))
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            raise self._refused(line, column, "ConstructorError")
        if isinstance(node, yaml.MappingNode):
            return dict(self._pairs(node, key_path, depth))
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(child, (*key_path, index), depth + 1)
                for index, child in enumerate(node.value)
            ]
        return self._scalar(node, line, column)

    def _scalar(self, node: yaml.Node, line: int, column: int) -> Any:
        if node.tag == _STR:
            value = node.value  # what the safe constructor makes of a string, without its machinery
            if _SURROGATE.search(value):
                raise self._lone_surrogate(line, column)
            return value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self._refused(line, column, exc.__class__.__name__) from None
        except ValueError as exc:
            # A plain scalar that looks like a date or a number but is not one
            # (2024-13-45, or an integer of thousands of digits).
            raise InputError(
                self.path,
                f"holds a value that looks like {_LOOKS.get(node.tag, 'a typed value')} "
                f"but cannot be read as one ({str(exc).split(':')[0]})",
                line=line,
                column=column,
                fix="put it in quotes to keep it as text",
            ) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            raise self._lone_surrogate(line, column)
        return value

    def _lone_surrogate(self, line: int, column: int) -> InputError:
        return InputError(
            self.path,
            "holds a string with a lone surrogate escape (\\ud800 to \\udfff), "
            "which is not a character",
            line=line,
            column=column,
            fix="write the character itself, or its \\U escape such as \\U0001F600",
        )

    def _refused(self, line: int, column: int, why: str) -> InputError:
        return InputError(
            self.path,
            f"holds a value PyYAML's safe loader refuses ({why})",
            line=line,
            column=column,
            fix="use plain YAML values; tags that construct objects are not allowed",
        )

    def _pairs(
        self, node: yaml.MappingNode, key_path: PathKey, depth: int
    ) -> Iterator[tuple[Any, Any]]:
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError(
                    self.path,
                    "uses a merge key '<<', which the gate does not accept",
                    line=line,
                    fix="write the keys out in full",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(self.path, "has a key that is not a plain scalar", line=line)
            key = self._scalar(key_node, line, key_node.start_mark.column + 1)
            if not isinstance(key, str | int | bool | float) and key is not None:
                raise InputError(self.path, "has a key that is not a plain scalar", line=line)
            if key in seen:
                raise InputError(
                    self.path,
                    f"repeats the key '{key}' (first at line {seen[key]})",
                    line=line,
                    column=key_node.start_mark.column + 1,
                    fix="keep one of them; YAML would silently keep only the last",
                )
            seen[key] = line
            child_path = (*key_path, key if isinstance(key, str | int) else str(key))
            self.marks[child_path] = (line, key_node.start_mark.column + 1)
            yield key, self.build(value_node, child_path, depth + 1)
