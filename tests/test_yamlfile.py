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
