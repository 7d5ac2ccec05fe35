from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import InputError
from gate.yamlfile import load_yaml


def _error(path: Path, text: str | bytes) -> str:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_yaml(path, what="check file")
    return str(caught.value).replace(str(path), "x.yaml")


def test_positions_of_nested_keys(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\nb:\n  c: [1, 2]\n  d: x\n", encoding="utf-8")
    document = load_yaml(path)
    assert document.data == {"a": 1, "b": {"c": [1, 2], "d": "x"}}
    assert document.locate(("b", "d")) == (4, 3)
    assert document.locate(("b", "c", 1)) == (3, 10)
    assert document.locate(("b", "missing")) == (2, 1)


def test_duplicate_key_is_an_error_not_last_wins(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", "id: a\nkind: b\nid: c\n") == (
        "x.yaml:3:1: repeats the key 'id' (first at line 1)\n"
        "  fix: keep one of them; YAML would silently keep only the last"
    )


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", "suites: [release\n") == (
        "x.yaml:2:1: is not valid YAML: expected ',' or ']', but got '<stream end>'\n"
        "  fix: correct the YAML syntax at that place"
    )


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", b"id: a\nkind: caf\xe9\n") == (
        "x.yaml:2:10: check file is not UTF-8: byte 0xe9 cannot be decoded\n"
        "  fix: save the file as UTF-8"
    )


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    with pytest.raises(InputError) as caught:
        load_yaml(path, what="check file")
    assert caught.value.message == "check file not found"


def test_tags_that_construct_objects_are_refused(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", "a: !!python/object/apply:os.system [true]\n") == (
        "x.yaml:1:4: holds a value PyYAML's safe loader refuses (ConstructorError)\n"
        "  fix: use plain YAML values; tags that construct objects are not allowed"
    )


def test_alias_bomb_is_bounded(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    message = _error(tmp_path / "x.yaml", "\n".join(lines) + "\n")
    assert message.startswith("x.yaml:")
    assert "expands to more than 100,000 values (anchors and aliases count each time)" in message


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: a\r\nkind: b\r\n")
    assert load_yaml(path).data == {"id": "a", "kind": "b"}


def test_a_nested_alias_bomb_is_bounded_before_it_grows(tmp_path: Path) -> None:
    # The classic "billion laughs": nine levels, each ten aliases of the one before.
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    assert _error(tmp_path / "x.yaml", "\n".join(lines) + "\n") == (
        "x.yaml:1: expands to more than 100,000 values (anchors and aliases count each time)\n"
        "  fix: remove the repeated aliases"
    )


def test_nesting_past_the_depth_limit(tmp_path: Path) -> None:
    text = "a: " + "[" * 70 + "]" * 70 + "\n"
    assert _error(tmp_path / "x.yaml", text) == (
        "x.yaml:1:68: is nested deeper than 64 levels\n"
        "  fix: flatten the nesting; no gate file needs this depth"
    )


def test_nesting_past_pythons_recursion_limit_is_a_message_not_a_traceback(
    tmp_path: Path,
) -> None:
    # Deep enough that PyYAML's recursive composer runs out of stack before the
    # gate's own depth count is reached.
    text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    message = _error(tmp_path / "x.yaml", text)
    # The column is where the stack ran out, which depends on how deep it already was.
    assert message.startswith("x.yaml:1:")
    assert message.split(":", 3)[3] == (
        " is nested deeper than 64 levels\n"
        "  fix: flatten the nesting; no gate file needs this depth"
    )


@pytest.mark.parametrize("escape", ["\\UFFFFFFFF", "\\U00110000"])
def test_an_escape_that_names_no_character(tmp_path: Path, escape: str) -> None:
    assert _error(tmp_path / "x.yaml", f'field: "a{escape}"\n') == (
        "x.yaml:1:12: is not valid YAML: an escape in a double-quoted string names no character\n"
        "  fix: write a real character, or an escape no larger than \\U0010FFFF"
    )


def test_a_tag_on_a_key_is_refused_too(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", "? !!python/name:os.system x\n: 1\n") == (
        "x.yaml:1:3: holds a value PyYAML's safe loader refuses (ConstructorError)\n"
        "  fix: use plain YAML values; tags that construct objects are not allowed"
    )


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/new:os.system [echo]\n",
        "a: !!python/name:os.system\n",
        "a: !!python/module:os\n",
        "a: !!set {x, y}\n",
        "a: !!omap [b: 1]\n",
    ],
)
def test_every_object_constructing_tag_is_refused(tmp_path: Path, text: str) -> None:
    assert _error(tmp_path / "x.yaml", text) == (
        "x.yaml:1:4: holds a value PyYAML's safe loader refuses (ConstructorError)\n"
        "  fix: use plain YAML values; tags that construct objects are not allowed"
    )


def test_a_nul_byte_is_located(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", b"id: a\nkind: b\x00c\n") == (
        "x.yaml:2:8: holds the character U+0000, which YAML does not allow in a file\n"
        '  fix: remove it, or write it as an escape such as "\\x00" inside double quotes'
    )


def test_an_impossible_date_is_a_message(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", "version: 2026-13-45\n") == (
        "x.yaml:1:10: holds a value that looks like a date but cannot be read as one "
        "(month must be in 1..12)\n"
        "  fix: put it in quotes to keep it as text"
    )


def test_an_integer_too_long_to_read_is_a_message(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", "n: " + "9" * 5000 + "\n") == (
        "x.yaml:1:4: holds a value that looks like a whole number but cannot be read as one "
        "(Exceeds the limit (4300 digits) for integer string conversion)\n"
        "  fix: put it in quotes to keep it as text"
    )


def test_a_lone_surrogate_escape_is_refused(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", 'field: "\\ud800"\n') == (
        "x.yaml:1:8: holds a string with a lone surrogate escape (\\ud800 to \\udfff), "
        "which is not a character\n"
        "  fix: write the character itself, or its \\U escape such as \\U0001F600"
    )


def test_a_file_over_the_size_limit_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    with path.open("wb") as stream:
        stream.write(b"a: '")
        stream.write(b"x" * (6 * 1024 * 1024))
        stream.write(b"'\n")
    assert _error(path, path.read_bytes()) == (
        "x.yaml: check file is longer than the limit of 5,242,880 bytes\n  fix: split it or trim it"
    )


def test_a_second_document_is_refused(tmp_path: Path) -> None:
    assert _error(tmp_path / "x.yaml", "a: 1\n---\nb: 2\n") == (
        "x.yaml:2:1: is not valid YAML: expected a single document in the stream, "
        "but found another document\n"
        "  fix: correct the YAML syntax at that place"
    )


def test_libyaml_and_python_read_the_same_values_and_places(tmp_path: Path) -> None:
    # libyaml composes the graph when it can; the Python parser is the one that words errors.
    from gate.yamlfile import _node, _quick_node

    text = (
        '# señal\nid: glosa-ñ\nparams:\n  field: "año"   # ü\n  axes:\n'
        "    english: {scorer: chrf, weight: 2}\n  list: [a, 'b', 3]\n"
        "anchor: &x {k: v}\nagain: *x\nwhen: 2026-02-03\n"
    )
    quick = _quick_node(text)
    assert quick is not None
    slow = _node(text, tmp_path / "x.yaml")

    def shape(node: object) -> object:
        import yaml

        assert isinstance(node, yaml.Node)
        mark = (node.start_mark.line, node.start_mark.column)
        if isinstance(node.value, list):
            return (
                node.tag,
                mark,
                [
                    shape(v) if isinstance(v, yaml.Node) else (shape(v[0]), shape(v[1]))
                    for v in node.value
                ],
            )
        return (node.tag, mark, node.value)

    assert shape(quick) == shape(slow)


def test_what_libyaml_refuses_is_worded_by_the_python_parser(tmp_path: Path) -> None:
    from gate.yamlfile import _UNREAD, _quick_node

    assert _quick_node("a: [1, 2\n") is _UNREAD
    assert _quick_node("a: \x07\n") is _UNREAD  # a character YAML does not allow
    path = tmp_path / "broken.yaml"
    path.write_text("a: [1, 2\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert caught.value.message.startswith("is not valid YAML: ")
