"""Reports are written atomically: the old file or the whole new one, never half."""

from __future__ import annotations

import fnmatch
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from gate.errors import GateError
from gate.reports.atomic import write_atomic
from gate.status import ExitCode
from tests.conftest import ProjectFactory


def test_replaces_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "out" / "report.json"
    write_atomic(path, b"first")
    write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert os.listdir(path.parent) == ["report.json"]


def test_a_new_file_gets_the_umask_s_mode_and_a_replaced_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "gate.yaml"
        write_atomic(fresh, b"a")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "checks.yaml"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        write_atomic(kept, b"new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(umask)


def test_an_error_names_what_was_written(tmp_path: Path) -> None:
    (tmp_path / "checks").write_bytes(b"")  # a file where the folder should be
    with pytest.raises(GateError) as caught:
        write_atomic(tmp_path / "checks" / "a.yaml", b"x", "the check file")
    assert str(caught.value) == (
        f"{tmp_path / 'checks' / 'a.yaml'}: cannot write the check file: File exists"
    )


def test_a_failed_write_leaves_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    write_atomic(path, b"previous")
    (tmp_path / "report.json.dir").mkdir()
    with pytest.raises(GateError) as caught:
        write_atomic(tmp_path / "report.json.dir", b"new")
    assert "cannot write the report: Is a directory" in str(caught.value)
    assert path.read_bytes() == b"previous"
    assert sorted(os.listdir(tmp_path)) == ["report.json", "report.json.dir"]


def test_a_temporary_file_is_hidden_from_a_glob_for_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a kill -9 between the write and the rename would leave behind.
    seen: list[str] = []
    fsync = os.fsync

    def look(fd: int) -> None:
        seen.extend(os.listdir(tmp_path))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", look)
    write_atomic(tmp_path / "report.json", b"{}")
    (temporary,) = seen
    assert temporary.startswith(".report.json.") and temporary.endswith(".tmp")
    assert not fnmatch.fnmatch(temporary, "*.json")


FULL_DISK = """\
import resource, signal, sys
# The file size limit stands in for a full disk: writes past it fail with EFBIG,
# as they would with ENOSPC, and SIGXFSZ is ignored so the write returns the error.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
from gate.cli import main
sys.argv = ["gate", *sys.argv[1:]]
main()
"""


def test_a_full_disk_is_a_clear_error_and_leaves_the_previous_report(
    project: ProjectFactory,
) -> None:
    project.gloss_run(total=20, empty=0)  # its report is well over 1 KiB
    previous = b'{"previous": true}\n'
    (project.root / "r.json").write_bytes(previous)
    before = sorted(os.listdir(project.root))
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "run", "--report-json", "r.json", "--junit", "j.xml"],
        cwd=project.root,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == ExitCode.INPUT_ERROR
    assert done.stderr == "gate: r.json: cannot write the report: File too large\n"
    assert (project.root / "r.json").read_bytes() == previous
    assert sorted(os.listdir(project.root)) == before
