"""`gate run --shard` and `gate merge` from the command line: verdicts, files, refusals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from junitparser import JUnitXml

from gate.cli import cli
from gate.status import ExitCode
from tests.conftest import ProjectFactory


def _gate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _shards(project: ProjectFactory, chdir: Any, count: int) -> list[str]:
    chdir(project.root)
    paths = []
    for index in range(1, count + 1):
        path = f"shards/shard-{index}.json"
        code, _ = _gate("run", "--shard", f"{index}/{count}", "--report-json", path)
        assert code in (ExitCode.OK, ExitCode.BLOCKED)
        paths.append(path)
    return paths


def test_merge_writes_the_verdict_of_the_sum(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=300, empty=9)  # 3.00%: above the 2% limit
    paths = _shards(project, chdir, 3)
    code, output = _gate(
        "merge", *paths, "--report-json", "merged.json", "--junit", "merged.xml",
        "--summary", "summary.md",
    )  # fmt: skip
    assert code == ExitCode.BLOCKED
    assert "FAIL     spanish-gloss-nonempty  measured 3.00%    limit <= 2.00%" in output
    report = orjson.loads((project.root / "merged.json").read_bytes())
    assert (report["verdict"], report["shard"], report["shards_merged"]) == ("fail", None, 3)
    assert report["checks"][0]["tally"]["total"] == 300
    assert report["checks"][0]["tally"]["failed"] == 9
    suite = next(iter(JUnitXml.fromfile(str(project.root / "merged.xml"))))
    assert [case.name for case in suite] == ["spanish-gloss-nonempty"]
    summary = (project.root / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ❌ gate: BLOCKED — at least one blocking check failed\n")


def test_a_missing_shard_is_named_and_nothing_is_written(
    project: ProjectFactory, chdir: Any
) -> None:
    project.gloss_run(total=100, empty=0)
    paths = _shards(project, chdir, 4)
    code, output = _gate("merge", paths[0], paths[2], "--report-json", "merged.json")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "shards 2/4, 4/4 are missing: 2 of 4 shards were given\n"
        "  fix: pass the report of every shard; re-run a shard job that wrote none\n"
        "1 problem in the gate's input; nothing was run.\n"
    )
    assert not (project.root / "merged.json").exists()


def test_a_duplicated_shard_is_named(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=100, empty=0)
    paths = _shards(project, chdir, 2)
    Path(project.root / "copy.json").write_bytes((project.root / paths[1]).read_bytes())
    code, output = _gate("merge", *paths, "copy.json")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "copy.json: is shard 2/2 again: shards/shard-2.json is that shard already\n"
        "  fix: pass each shard's report once\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_shards_of_different_counts_are_refused(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=100, empty=0)
    two = _shards(project, chdir, 2)
    code, _ = _gate("run", "--shard", "2/3", "--report-json", "other.json")
    assert code == ExitCode.OK
    code, output = _gate("merge", two[0], "other.json")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "other.json: is shard 2/3, but shards/shard-1.json is shard 1/2: "
        "the shards of one run share their count\n"
        "  fix: merge the shard reports of one run of one commit, nothing else\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_file_that_is_not_a_report(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=10, empty=0)
    chdir(project.root)
    project.write("broken.json", '{"schema": "gate-report/1",\n  "suite": }\n')
    project.write("other.json", '{"hello": "world"}\n')
    code, output = _gate("merge", "broken.json", "other.json")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "broken.json:2:12: report is not valid JSON: unexpected character, expected a JSON value\n"
        "  fix: pass the files written by gate run --report-json\n"
        "other.json: is not a gate report: it has no 'schema: gate-report/1'\n"
        "  fix: pass the files written by gate run --report-json\n"
        "2 problems in the gate's input; nothing was run.\n"
    )


def test_a_report_of_the_wrong_shape(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=10, empty=0)
    (path,) = _shards(project, chdir, 1)
    data = orjson.loads((project.root / path).read_bytes())
    data["shard"] = {"index": 0, "count": 2}
    old = {key: value for key, value in data.items() if key != "inputs"}
    project.write("bad.json", orjson.dumps(data).decode())
    project.write("old.json", orjson.dumps(old).decode())
    code, output = _gate("merge", "bad.json", "old.json")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "bad.json: 'shard.index': 0 is less than the minimum of 1\n"
        "  fix: 'shard.index' is the shard, from 1\n"
        "old.json: report does not record the inputs it judged (an older gate wrote it), so it "
        "cannot be merged or compared safely\n"
        "  fix: run gate again with this version to write the report\n"
        "2 problems in the gate's input; nothing was run.\n"
    )


def test_a_bad_shard_option_is_a_usage_error(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=10, empty=0)
    chdir(project.root)
    code, output = _gate("run", "--shard", "3/2")
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines()[-1] == (
        "Error: Invalid value for '--shard': '3/2': the shard must be from 1 to 2"
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_merge_exits_3_and_writes_nothing(
    project: ProjectFactory, signum: signal.Signals
) -> None:
    project.gloss_run(total=4, empty=0)
    shard = project.root / "shard.json"
    os.mkfifo(shard)  # a report that never finishes arriving: the merge waits on it
    merge = subprocess.Popen(
        [sys.executable, "-m", "gate", "merge", "shard.json", "--report-json", "merged.json"],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer = None
    try:
        deadline = time.monotonic() + 20
        while writer is None and time.monotonic() < deadline:
            try:  # succeeds once the merge has the report open for reading
                writer = os.open(shard, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                time.sleep(0.02)
        assert writer is not None, "the merge never opened the report"
        merge.send_signal(signum)
        for _ in range(40):
            try:
                _, stderr = merge.communicate(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                # A signal that lands between open() and read() wakes Python only when
                # the read returns, here never: one more interrupts the read itself.
                if "pipe_read" in Path(f"/proc/{merge.pid}/wchan").read_text():
                    merge.send_signal(signum)
    finally:
        if writer is not None:
            os.close(writer)
        if merge.poll() is None:
            merge.kill()
    assert merge.returncode == ExitCode.UNJUDGED
    assert stderr == "gate: interrupted; no report was written\n"
    assert not (project.root / "merged.json").exists()
