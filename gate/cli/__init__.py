"""The `gate` command line: a click group, one module per command."""

from __future__ import annotations

import importlib
import io
import os
import sys
from typing import Any, TextIO

import click

from gate import __version__
from gate.cli.options import group_config_option
from gate.status import ExitCode

#: Every command, by name, and where it lives: a command's module is imported only
#: when that command runs (or `gate --help` lists them all), so a pre-commit hook
#: running `gate validate` never loads `gate run`'s (benchmarks/startup.py).
COMMANDS = {
    "init": "gate.cli.init_cmd:init_command",
    "run": "gate.cli.run_cmd:run_command",
    "validate": "gate.cli.validate_cmd:validate_command",
    "list": "gate.cli.list_cmd:list_command",
    "kinds": "gate.cli.kinds_cmd:kinds_group",
    "merge": "gate.cli.merge_cmd:merge_command",
    "trace": "gate.cli.trace_cmd:trace_command",
    "explain": "gate.cli.explain_cmd:explain_command",
    "new-check": "gate.cli.new_check_cmd:new_check_command",
    "postmortem": "gate.cli.postmortem_cmd:postmortem_group",
    "corpus": "gate.cli.corpus_cmd:corpus_group",
    "smoke": "gate.cli.smoke_cmd:smoke_command",
    "pr-comment": "gate.cli.pr_comment_cmd:pr_comment_command",
    "compare": "gate.cli.compare_cmd:compare_command",
    "prove": "gate.cli.prove_cmd:prove_command",
}


class GateGroup(click.Group):
    """Turns expected errors into a sentence and an exit code, and command results into exits.

    Its commands are those of COMMANDS, each imported when it is first asked for.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return self.commands.get(cmd_name)

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
            import traceback

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
