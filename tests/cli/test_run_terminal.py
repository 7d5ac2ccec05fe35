"""`gate run` on a real pseudo-terminal 80 columns wide: the incident reads at a glance.

The repository's own gate launches the reference tutor at the incident's
manifest; what the engineer sees is read back from the terminal, as it was drawn.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

from gate.status import ExitCode
from tests.conftest import REPO

_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _in_a_terminal(args: list[str], columns: int) -> tuple[int, str]:
    """Run `gate ARGS` with a pseudo-terminal of `columns` as its stdout and stderr."""
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "24", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gate", *args],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError as exc:  # the terminal closes when the gate exits
            if exc.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    code = process.wait(timeout=120)
    return code, _ESCAPE.sub("", b"".join(chunks).decode("utf-8", "replace"))


def test_the_incident_release_at_80_columns() -> None:
    code, shown = _in_a_terminal(["run", "--manifest", "releases/v2.4.0.yaml"], 80)
    assert code == ExitCode.BLOCKED, shown
    # A line the progress bar redrew keeps what was drawn last, after its final \r.
    lines = [line.rsplit("\r", 1)[-1] for line in shown.rstrip().split("\r\n")]
    table = lines[lines.index("gate · suite release") :]
    # The columns are as wide as their widest word, SKIPPED among them: any spacing will do.
    row = re.compile(r"FAIL +spanish-gloss-nonempty +28\.40% +<= 2\.00%")
    (at,) = [n for n, line in enumerate(table) if row.fullmatch(line)]
    assert re.fullmatch(
        " +INC-2026-08-14-tutor-spanish-gloss-missing#AI-4, owner Borja", table[at + 1]
    )
    assert any(re.fullmatch(r"FAIL +decode-budget-pin +16 +>= 24, drop <= 4x", x) for x in table)
    assert all(len(line) <= 80 for line in table), [line for line in table if len(line) > 80]
    # The verdict comes last, wrapped at the terminal's width like every line of the details.
    verdict = " ".join(table[table.index(next(x for x in table if x.startswith("BLOCKED"))) :])
    assert re.fullmatch(
        r"BLOCKED: at least one blocking check failed \(8 pass, 5 fail, 1 skipped\) in "
        r"[0-9.]+ +s",
        verdict,
    ), verdict
