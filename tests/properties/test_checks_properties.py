"""gate.checks.load_check and load_checks on valid, near-valid and arbitrary check files."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.checks import CheckSpec, load_check, load_checks
from gate.registry import load_registry
from tests.properties.strategies import (
    dump,
    failed,
    input_error_or,
    json_values,
    messages,
    mutated,
    text,
    write,
)

SUITES = {"release": "", "smoke": ""}

_rates = st.floats(0, 1)
_params = {
    "field_nonempty": st.fixed_dictionaries(
        {"field": text(min_size=1, max_size=12)}, optional={"max_failure_rate": _rates}
    ),
    "json_schema": st.fixed_dictionaries(
        {
            "schema": st.sampled_from(
                [
                    {"type": "object"},
                    {"type": "object", "required": ["spanish"]},
                    {"properties": {"spanish": {"type": "string", "minLength": 1}}},
                ]
            )
        },
        optional={"max_failure_rate": _rates},
    ),
}


@st.composite
def checks(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(_params)))
    data: dict[str, Any] = {
        "id": draw(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)),
        "kind": kind,
        "action_item": draw(
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,30}#AI-[0-9]{1,3}", fullmatch=True)
        ),
        "suites": draw(st.lists(st.sampled_from(sorted(SUITES)), min_size=1, unique=True)),
        "corpora": draw(
            st.lists(st.sampled_from(["regression", "long-tail"]), min_size=1, unique=True)
        ),
    }
    optional = {
        "description": text(max_size=30),
        "blocking": st.booleans(),
        "max_error_rate": _rates,
        "select": st.fixed_dictionaries(
            {}, optional={"tags": st.lists(text(max_size=5)), "source": text(max_size=5)}
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            data[key] = draw(strategy)
    data["params"] = draw(_params[kind])
    return data


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("checks")
    for name in ("regression", "long-tail"):
        (path / f"{name}.jsonl").write_text('{"id": "a", "prompt": "p"}\n')
    return path


def _load(folder: Path, text: str | bytes) -> CheckSpec:
    corpora = {name: folder / f"{name}.jsonl" for name in ("regression", "long-tail")}
    path = write(folder / "check.yaml", text)
    return load_check(path, load_registry(), suites=SUITES, corpora=corpora, corpora_dir=folder)


def _usable(outcome: object) -> None:
    """A check that loads is one the runner can build: validation left no gap."""
    if not failed(outcome):
        assert isinstance(outcome, CheckSpec)
        load_registry().kinds[outcome.kind](outcome.params)
        assert set(outcome.suites) <= set(SUITES)
        assert 0 <= outcome.max_error_rate <= 1


@given(checks())
def test_a_valid_check_loads_as_written(folder: Path, data: dict[str, Any]) -> None:
    check = _load(folder, dump(data))
    assert (check.id, check.kind, check.action_item) == (
        data["id"],
        data["kind"],
        data["action_item"],
    )
    assert check.blocking == data.get("blocking", True)
    assert check.params == data["params"]
    _usable(check)


_MUTATIONS = {
    "drop": "missing required key",
    "unknown": "unknown key",
    "unknown_param": "unknown key",
    "kind": "is not known",
    "blocking": "should be true or false",
    "rate": "'max_error_rate'",
    "param_rate": "'params.max_failure_rate'",
    "suite": "is not defined in gate.yaml",
    "corpus": "does not exist",
    "action_item": "'action_item'",
    "repeat": "repeats the key",
}


@given(checks(), st.sampled_from(sorted(_MUTATIONS)), st.data())
def test_one_wrong_thing_is_always_reported(
    folder: Path, data: dict[str, Any], how: str, draw: st.DataObject
) -> None:
    data = copy.deepcopy(data)
    text = None
    if how == "drop":
        del data[draw.draw(st.sampled_from(["id", "kind", "action_item", "suites"]))]
    elif how == "unknown":
        data["blockng"] = False
    elif how == "unknown_param":
        data["params"]["max_failure_rat"] = 0.5
    elif how == "kind":
        data["kind"] = draw.draw(st.sampled_from(["os.system", "field_nonemty", "Field_Nonempty"]))
    elif how == "blocking":
        data["blocking"] = draw.draw(st.sampled_from(["false", "no", 0, None]))
    elif how == "rate":
        data["max_error_rate"] = draw.draw(st.sampled_from([-0.01, 1.01, "0.1"]))
    elif how == "param_rate":
        data["params"]["max_failure_rate"] = draw.draw(st.sampled_from([-1, 2, "2%"]))
    elif how == "suite":
        data["suites"] = [*data["suites"], "relase"]
    elif how == "corpus":
        data["corpora"] = [*data["corpora"], "regresion"]
    elif how == "action_item":
        data["action_item"] = draw.draw(st.sampled_from(["", "INC-1", "INC-1#AI-", "#AI-1"]))
    else:
        text = dump(data) + dump({"id": "again"})
    outcome = input_error_or(lambda: _load(folder, text or dump(data)))
    assert failed(outcome), (how, data)
    assert any(_MUTATIONS[how] in message for message in messages(outcome)), messages(outcome)


@given(checks().flatmap(lambda data: mutated(dump(data))))
def test_one_small_change_gives_a_check_or_a_message(folder: Path, text: str) -> None:
    _usable(input_error_or(lambda: _load(folder, text)))


@given(
    st.dictionaries(
        st.sampled_from(["id", "kind", "action_item", "suites", "corpora", "params", "select"]),
        json_values,
    )
)
def test_any_mapping_gives_a_check_or_a_message(folder: Path, data: dict[str, Any]) -> None:
    _usable(input_error_or(lambda: _load(folder, dump(data))))


@given(st.binary(max_size=300))
def test_arbitrary_bytes(folder: Path, data: bytes) -> None:
    _usable(input_error_or(lambda: _load(folder, data)))


@given(st.lists(checks(), min_size=1, max_size=4))
def test_a_folder_of_checks_reports_reused_ids(
    tmp_path_factory: pytest.TempPathFactory, many: list[dict[str, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("many")
    for index, data in enumerate(many):
        write(folder / f"c{index}.yaml", dump(data))
    corpora = {name: folder / f"{name}.jsonl" for name in ("regression", "long-tail")}
    loaded, errors = load_checks(
        folder, load_registry(), suites=SUITES, corpora=corpora, corpora_dir=folder
    )
    ids = [data["id"] for data in many]
    assert [check.id for check in loaded] == list(dict.fromkeys(ids))
    assert len(errors) == len(ids) - len(set(ids))
