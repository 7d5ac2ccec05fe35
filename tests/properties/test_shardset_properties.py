"""Reports read by `gate merge`: a changed report merges, or is one message; never a crash."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from gate.cli import cli
from gate.merge import merge_reports
from gate.project import Project, load_project
from gate.shardset import load_shard_set
from gate.status import ExitCode
from tests.conftest import ProjectFactory
from tests.properties.strategies import failed, input_error_or, json_values, mutated, write


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, list[bytes]]:
    """A project and its two shard reports, written by real runs."""
    root = tmp_path_factory.mktemp("run")
    ProjectFactory(root).gloss_run(total=12, empty=1)
    reports = []
    here = os.getcwd()
    os.chdir(root)
    try:
        for shard in ("1/2", "2/2"):
            result = CliRunner().invoke(cli, ["run", "--shard", shard, "--report-json", "r.json"])
            assert result.exit_code in (ExitCode.OK, ExitCode.BLOCKED), result.output
            reports.append((root / "r.json").read_bytes())
    finally:
        os.chdir(here)
    return load_project(root / "gate.yaml"), reports


def _places(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _places(child, (*at, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _places(child, (*at, index))
    return found


@st.composite
def _changed(draw: st.DrawFn, report: bytes) -> bytes:
    """The report with one value deleted, replaced by any JSON value, or given a stray key."""
    data = orjson.loads(report)
    place = draw(st.sampled_from(_places(data)[1:]))
    parent = data
    for key in place[:-1]:
        parent = parent[key]
    how = draw(st.sampled_from(["delete", "replace", "add"]))
    if how == "delete":
        del parent[place[-1]]
    elif how == "replace":
        parent[place[-1]] = draw(json_values)
    elif isinstance(parent, dict):
        parent["unexpected"] = draw(json_values)
    else:
        parent.append(copy.deepcopy(draw(json_values)))
    return orjson.dumps(data)


def _merge(folder: Path, project: Project, first: bytes, second: bytes) -> object:
    paths = [write(folder / "a.json", first), write(folder / "b.json", second)]

    def merge() -> object:
        return merge_reports(project, load_shard_set(paths))

    return input_error_or(merge)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


def test_the_real_shards_merge(folder: Path, shards: tuple[Project, list[bytes]]) -> None:
    project, (first, second) = shards
    assert not failed(_merge(folder, project, first, second))


@given(st.data())
def test_one_changed_value(
    folder: Path, shards: tuple[Project, list[bytes]], data: st.DataObject
) -> None:
    project, (first, second) = shards
    _merge(folder, project, first, data.draw(_changed(second)))


@given(st.data())
def test_one_changed_character(
    folder: Path, shards: tuple[Project, list[bytes]], data: st.DataObject
) -> None:
    project, (first, second) = shards
    text = data.draw(mutated(second.decode("utf-8")))
    _merge(folder, project, first, text.encode("utf-8", "surrogatepass"))


@given(st.binary(max_size=300))
def test_arbitrary_bytes(folder: Path, shards: tuple[Project, list[bytes]], raw: bytes) -> None:
    project, (first, _) = shards
    assert failed(_merge(folder, project, first, raw))
