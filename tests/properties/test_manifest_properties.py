"""gate.manifest: any manifest loads or is a message; any version the schema allows sorts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.manifest import Manifest, load_manifest, load_releases
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

# Semantic versions as semver.org writes them: no leading zeros in numbers, and
# dot-separated identifiers in the pre-release and build parts.
_number = st.integers(0, 9999).map(str)
_word = st.from_regex(r"[0-9A-Za-z-]{0,3}[A-Za-z-][0-9A-Za-z-]{0,3}", fullmatch=True)
_identifiers = st.lists(st.one_of(_number, _word), min_size=1, max_size=3).map(".".join)
versions = st.builds(
    lambda core, pre, build: (
        ".".join(core) + (f"-{pre}" if pre else "") + (f"+{build}" if build else "")
    ),
    st.tuples(_number, _number, _number),
    st.none() | _identifiers,
    st.none() | _identifiers,
)
manifests = st.fixed_dictionaries(
    {"version": versions},
    optional={"max_decode_tokens": st.integers(1, 4096), "model": text(max_size=10)},
).flatmap(
    lambda data: st.dictionaries(text(min_size=1, max_size=6), json_values, max_size=3).map(
        lambda extra: {**extra, **data}
    )
)


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("releases") / "v.yaml"


@given(manifests)
def test_a_valid_manifest_loads_as_written(path: Path, data: dict[str, Any]) -> None:
    manifest = load_manifest(write(path, dump(data)))
    assert manifest.version == data["version"]
    assert manifest.data == data
    assert str(manifest.version_key) == data["version"]


@given(
    manifests,
    st.sampled_from(["2.4", "v2.4.0", "2.4.0-", " 2.4.0", "2.4.0\n", 240, None, ["2.4.0"]]),
)
def test_a_version_that_is_not_semantic_is_reported(
    path: Path, data: dict[str, Any], version: object
) -> None:
    outcome = input_error_or(lambda: load_manifest(write(path, dump({**data, "version": version}))))
    assert failed(outcome)
    assert any("version" in message for message in messages(outcome))


@given(manifests.flatmap(lambda data: mutated(dump(data))))
def test_one_small_change_gives_a_manifest_or_a_message(path: Path, text: str) -> None:
    outcome = input_error_or(lambda: load_manifest(write(path, text)))
    if not failed(outcome):
        assert isinstance(outcome, Manifest)
        assert str(outcome.version_key) == outcome.version


@given(st.binary(max_size=200))
def test_arbitrary_bytes(path: Path, data: bytes) -> None:
    outcome = input_error_or(lambda: load_manifest(write(path, data)))
    assert failed(outcome) or isinstance(outcome, Manifest)


@given(st.lists(versions, min_size=1, max_size=5))
def test_releases_sort_by_version_and_a_repeat_is_reported(
    tmp_path_factory: pytest.TempPathFactory, chosen: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("releases")
    for index, version in enumerate(chosen):
        write(folder / f"r{index}.yaml", dump({"version": version}))
    outcome = input_error_or(lambda: load_releases(folder))
    if len(set(chosen)) < len(chosen):
        assert failed(outcome)
        assert "is also declared by" in messages(outcome)[0]
    else:
        assert isinstance(outcome, list)
        keys = [manifest.version_key for manifest in outcome]
        assert keys == sorted(keys)
