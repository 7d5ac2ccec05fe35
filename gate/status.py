"""The words of a verdict: check statuses and the gate's exit codes."""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """The outcome of one check.

    `fail` means the release was judged and is below the bar; `error` means it
    could not be judged at all. Both block, and they are never merged.
    """

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    SKIPPED = "skipped"


class ExitCode(enum.IntEnum):
    """What `gate` tells its caller, as documented in the README."""

    OK = 0  # every blocking check passed
    BLOCKED = 1  # at least one blocking check failed
    INPUT_ERROR = 2  # the gate's own input is wrong
    UNJUDGED = 3  # a blocking check could not be judged and none failed


def exit_code_for(statuses: list[tuple[Status, bool]]) -> ExitCode:
    """Fold (status, blocking) pairs into the run's exit code.

    A failure outranks an error: if the release is already known to be bad,
    saying so is more useful than saying part of it could not be judged.
    """
    blocking = [status for status, is_blocking in statuses if is_blocking]
    if Status.FAIL in blocking:
        return ExitCode.BLOCKED
    if Status.ERROR in blocking:
        return ExitCode.UNJUDGED
    return ExitCode.OK
