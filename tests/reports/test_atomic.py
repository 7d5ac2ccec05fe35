"""Reports are written atomically: the old file or the whole new one, never half."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gate.errors import GateError
from gate.reports.atomic import write_atomic


def test_replaces_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "out" / "report.json"
    write_atomic(path, b"first")
    write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert os.listdir(path.parent) == ["report.json"]


def test_a_failed_write_leaves_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    write_atomic(path, b"previous")
    (tmp_path / "report.json.dir").mkdir()
    with pytest.raises(GateError) as caught:
        write_atomic(tmp_path / "report.json.dir", b"new")
    assert "cannot write the report: Is a directory" in str(caught.value)
    assert path.read_bytes() == b"previous"
    assert sorted(os.listdir(tmp_path)) == ["report.json", "report.json.dir"]
