"""gate.config.load_config on valid, near-valid and arbitrary gate.yaml files."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.config import GateConfig, load_config
from tests.properties.strategies import (
    dump,
    failed,
    input_error_or,
    messages,
    mutated,
    text,
    write,
)

_FOLDERS = ("checks", "corpora", "postmortems", "releases")
_names = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)
_relative = st.from_regex(r"[a-z][a-z0-9_]{0,6}(/[a-z][a-z0-9_.]{0,6}){0,2}", fullmatch=True)

_recorded = st.fixed_dictionaries({"type": st.just("recorded"), "path": _relative})
_http = st.fixed_dictionaries(
    {"type": st.just("http"), "url": st.sampled_from(["http://127.0.0.1:8080", "https://t.dev"])},
    optional={"timeout_s": st.floats(0.1, 60)},
)
configs = st.fixed_dictionaries(
    {
        "target": _recorded | _http,
        "suites": st.dictionaries(
            _names,
            st.fixed_dictionaries({}, optional={"description": text(max_size=20)}),
            min_size=1,
            max_size=3,
        ),
    },
    optional={
        "name": text(max_size=10),
        "manifest": _relative.map(lambda path: f"{path}.yaml"),
        "paths": st.fixed_dictionaries({}, optional=dict.fromkeys(_FOLDERS, _relative)),
        "allow_outside_root": st.just(False),
    },
)


@pytest.fixture(scope="module")
def config_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("repo") / "gate.yaml"


@given(configs)
def test_a_valid_config_loads_as_written(config_path: Path, data: dict[str, Any]) -> None:
    config = load_config(write(config_path, dump(data)))
    root = config_path.resolve().parent
    assert config.root == root
    assert config.target == data["target"]
    assert list(config.suites) == list(data["suites"])
    for folder in _FOLDERS:
        given_path = data.get("paths", {}).get(folder, folder)
        assert getattr(config, f"{folder}_dir") == root / given_path
    assert config.manifest == (root / data["manifest"] if "manifest" in data else None)


def _set(data: dict[str, Any], key_path: tuple[str, ...], value: Any) -> None:
    for key in key_path[:-1]:
        data = data.setdefault(key, {})
    data[key_path[-1]] = value


_MUTATIONS = st.sampled_from(
    ["drop", "unknown_top", "unknown_nested", "escape", "absolute", "wrong_type", "repeat"]
)


@given(configs, _MUTATIONS, st.data())
def test_one_wrong_thing_is_always_reported(
    config_path: Path, data: dict[str, Any], how: str, draw: st.DataObject
) -> None:
    data = copy.deepcopy(data)
    expected = {
        "drop": "missing required key",
        "unknown_top": "unknown key",
        "unknown_nested": "unknown key",
        "escape": "climbs out of the repository",
        "absolute": "is an absolute path outside the repository",
        "wrong_type": "should be",
        "repeat": "repeats the key",
    }[how]
    text = None
    if how == "drop":
        del data[draw.draw(st.sampled_from(["target", "suites"]))]
    elif how == "unknown_top":
        data["concurency"] = 32
    elif how == "unknown_nested":
        where = draw.draw(st.sampled_from(["paths", "target"]))
        _set(data, (where, "chekcs"), "x")
    elif how in ("escape", "absolute"):
        key_path = draw.draw(
            st.sampled_from([("manifest",), *[("paths", folder) for folder in _FOLDERS]])
            | (
                st.just(("target", "path"))
                if data["target"]["type"] == "recorded"
                else st.nothing()
            )
        )
        _set(data, key_path, "../../elsewhere" if how == "escape" else "/etc/elsewhere")
    elif how == "wrong_type":
        key = draw.draw(st.sampled_from(["target", "suites", "paths", "manifest"]))
        data[key] = [1, 2] if key != "manifest" else {"a": 1}
    else:
        text = dump(data) + "target: {type: recorded, path: x}\n"
    outcome = input_error_or(lambda: load_config(write(config_path, text or dump(data))))
    assert failed(outcome), (how, data)
    assert any(expected in message for message in messages(outcome)), messages(outcome)


@given(configs.flatmap(lambda data: mutated(dump(data))))
def test_one_small_change_gives_a_config_or_a_message(config_path: Path, text: str) -> None:
    outcome = input_error_or(lambda: load_config(write(config_path, text)))
    assert failed(outcome) or isinstance(outcome, GateConfig)


@given(st.binary(max_size=300))
def test_arbitrary_bytes(config_path: Path, data: bytes) -> None:
    outcome = input_error_or(lambda: load_config(write(config_path, data)))
    assert failed(outcome) or isinstance(outcome, GateConfig)
