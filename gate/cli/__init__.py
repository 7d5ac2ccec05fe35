"""The `gate` command line: a click group, one module per command."""

from __future__ import annotations

import io
import os
import sys
import traceback
from typing import Any, TextIO

import click

from gate import __version__
from gate.cli.compare_cmd import compare_command
from gate.cli.corpus_cmd import corpus_group
from gate.cli.explain_cmd import explain_command
from gate.cli.init_cmd import init_command
from gate.cli.kinds_cmd import kinds_group
from gate.cli.list_cmd import list_command
from gate.cli.merge_cmd import merge_command
from gate.cli.new_check_cmd import new_check_command
from gate.cli.options import group_config_option
from gate.cli.postmortem_cmd import postmortem_group
from gate.cli.pr_comment_cmd import pr_comment_command
from gate.cli.prove_cmd import prove_command
from gate.cli.run_cmd import run_command
from gate.cli.smoke_cmd import smoke_command
from gate.cli.trace_cmd import trace_command
from gate.cli.validate_cmd import validate_command
from gate.status import ExitCode


class GateGroup(click.Group):
    """Turns expected errors into a sentence and an exit code, and command results into exits."""

    def invoke(self, ctx: click.Context) -> Any:
        from gate.errors import GateError, InputErrors
        from gate.redact import scrub

        try:
            result = super().invoke(ctx)
        except GateError as exc:
            # A list of input errors reads best as lines that each start with a file name.
            text = str(exc) if isinstance(exc, InputErrors) else f"gate: {exc}"
            click.echo(scrub(text), err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("gate: interrupted; no report was written", err=True)
            ctx.exit(int(ExitCode.UNJUDGED))
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            # A bug keeps its traceback, but a library may have quoted a request
            # in it: every secret the run expanded is masked before it is shown.
            click.echo(scrub("".join(traceback.format_exception(exc))).rstrip(), err=True)
            click.echo(
                "gate: internal error, a bug in the gate or a plugin: the run could not be judged",
                err=True,
            )
            ctx.exit(int(ExitCode.UNJUDGED))
        if isinstance(result, int):
            ctx.exit(int(result))
        return result


@click.group(cls=GateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gate")
@group_config_option
def cli() -> None:
    """A release gate whose every check comes from a postmortem action item.

    Exit codes: 0 every blocking check passed; 1 blocked by a failed check;
    2 the gate's own input is wrong; 3 a blocking check could not be judged.
    """


for command in (
    init_command,
    run_command,
    validate_command,
    list_command,
    kinds_group,
    merge_command,
    trace_command,
    explain_command,
    new_check_command,
    postmortem_group,
    corpus_group,
    smoke_command,
    pr_comment_command,
    compare_command,
    prove_command,
):
    cli.add_command(command)


def main() -> None:
    """The console script."""
    sys.stdout = _PipeSafe(sys.stdout)
    cli(prog_name="gate")


class _PipeSafe(io.TextIOBase):
    """Standard output that goes quiet when its reader leaves (`gate run | head`).

    The run goes on to write its reports and exit with its verdict; only the
    console lines nobody reads any more are dropped.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._reader_left()
        return len(text)

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._reader_left()

    def _reader_left(self) -> None:
        self.closed_by_reader = True
        # Python flushes stdout once more at exit: point the descriptor at
        # /dev/null so that last flush cannot fail either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self.stream.fileno())
        os.close(devnull)

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding
